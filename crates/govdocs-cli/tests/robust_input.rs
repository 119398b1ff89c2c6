//! Damaged and re-encoded copies of real documents through the `govdocs` binary (issue #13).
//! A seed text with one stray byte, a Latin-1 letter or its last character cut must give the
//! clean seed's tables and cells, marked `repaired` with a warning; the seed in UTF-16 without
//! a byte-order mark and in GB18030 must give them unchanged; a real PDF cut at half its length
//! is `ok` only with a `repaired` mark, and none of its values is trusted without a row label
//! and a column label. The copies are made at run time from ../shared; none is committed.

use arrow_array::{Array, BooleanArray, Decimal128Array, ListArray, RecordBatch, UInt32Array};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{col, read_dataset, root, run_samples_pipeline, tmp};

/// The seed the text copies are made from: a budget with eight parsed tables, tabbed rows.
const SEED: &str = "../shared/seeds/001_de2a43494463c814.txt";
/// The PDF cut at half its length.
const PDF: &str = "../shared/pdfs/jiangsu-high-court-2019-budget.pdf";

/// `govdocs run pipelines/samples.toml --input <input> --output <out>`, killed after 180 s.
fn run(input: &Path, out: &Path) -> Output {
    run_samples_pipeline(input, out, &[])
}

fn u32s<'a>(b: &'a RecordBatch, name: &str) -> &'a UInt32Array {
    b.column_by_name(name)
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap()
}

/// A list<string> column as vectors.
fn lists(b: &RecordBatch, name: &str) -> Vec<Vec<String>> {
    let a: &ListArray = b
        .column_by_name(name)
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap();
    (0..a.len())
        .map(|i| {
            let v = a.value(i);
            let s: &arrow_array::StringArray = v.as_any().downcast_ref().unwrap();
            (0..s.len()).map(|j| s.value(j).to_string()).collect()
        })
        .collect()
}

/// A `documents` row: (status, encoding, repaired, warnings, doc_id).
type Doc = (String, Option<String>, bool, Vec<String>, String);

/// What the run wrote, by input file name.
struct Run {
    /// file name → its `documents` row.
    docs: BTreeMap<String, Doc>,
    tables: RecordBatch,
    cells: RecordBatch,
    line_items: RecordBatch,
    stderr: String,
}

impl Run {
    fn new(input: &Path, out: &Path) -> Run {
        let o = run(input, out);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        let d = read_dataset(out, "documents");
        let (path, status, enc, id) = (
            col(&d, "source_path"),
            col(&d, "status"),
            col(&d, "encoding"),
            col(&d, "doc_id"),
        );
        let repaired: &BooleanArray = d
            .column_by_name("repaired")
            .unwrap()
            .as_any()
            .downcast_ref()
            .unwrap();
        let warnings = lists(&d, "warnings");
        let docs = (0..d.num_rows())
            .map(|i| {
                let name = Path::new(path.value(i)).file_name().unwrap();
                (
                    name.to_string_lossy().into_owned(),
                    (
                        status.value(i).to_string(),
                        (!enc.is_null(i)).then(|| enc.value(i).to_string()),
                        repaired.value(i),
                        warnings[i].clone(),
                        id.value(i).to_string(),
                    ),
                )
            })
            .collect();
        Run {
            docs,
            tables: read_dataset(out, "tables"),
            cells: read_dataset(out, "cells"),
            line_items: read_dataset(out, "line_items"),
            stderr,
        }
    }

    fn doc(&self, name: &str) -> &Doc {
        self.docs
            .get(name)
            .unwrap_or_else(|| panic!("{name} not in documents: {:?}", self.docs.keys()))
    }

    /// The tables of a document: `id|title|kind|status|n_rows|n_cols|column labels`.
    fn tables(&self, name: &str) -> Vec<String> {
        let id = &self.doc(name).4;
        let t = &self.tables;
        let labels = lists(t, "column_labels");
        (0..t.num_rows())
            .filter(|&i| col(t, "doc_id").value(i) == id)
            .map(|i| {
                format!(
                    "{}|{}|{}|{}|{}|{}|{}",
                    u32s(t, "table_id").value(i),
                    col(t, "title").value(i),
                    col(t, "kind").value(i),
                    col(t, "status").value(i),
                    u32s(t, "n_rows").value(i),
                    u32s(t, "n_cols").value(i),
                    labels[i].join(";"),
                )
            })
            .collect()
    }

    /// The cells of a document as (row label, `table|block|row|col|col label|code|raw|value|flags`).
    fn cells(&self, name: &str) -> Vec<(String, String)> {
        let id = &self.doc(name).4;
        let c = &self.cells;
        let value: &Decimal128Array = c
            .column_by_name("value")
            .unwrap()
            .as_any()
            .downcast_ref()
            .unwrap();
        let flags = lists(c, "flags");
        let code = col(c, "row_code");
        (0..c.num_rows())
            .filter(|&i| col(c, "doc_id").value(i) == id)
            .map(|i| {
                (
                    col(c, "row_label").value(i).to_string(),
                    format!(
                        "{}|{}|{}|{}|{}|{}|{}|{}|{}",
                        u32s(c, "table_id").value(i),
                        u32s(c, "block").value(i),
                        u32s(c, "row").value(i),
                        u32s(c, "col").value(i),
                        col(c, "col_label").value(i),
                        if code.is_null(i) { "" } else { code.value(i) },
                        col(c, "raw").value(i),
                        if value.is_null(i) {
                            "null".to_string()
                        } else {
                            value.value_as_string(i)
                        },
                        flags[i].join(";"),
                    ),
                )
            })
            .collect()
    }
}

/// `bytes` with `insert` put at byte offset `at`.
fn with_inserted(bytes: &[u8], at: usize, insert: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b.splice(at..at, insert.iter().copied());
    b
}

fn utf16(text: &str, le: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
        .collect()
}

/// The inputs: the clean seed and its damaged and re-encoded copies, the PDF and its first half.
fn inputs(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let seed = std::fs::read(root().join(SEED)).unwrap();
    let text = std::str::from_utf8(&seed).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(input.join(name), bytes).unwrap();
    write("clean.txt", &seed);
    // A stray 0xFF after the first full stop of the prose (not in a table).
    let stop = text.find('。').unwrap() + '。'.len_utf8();
    write("stray-ff.txt", &with_inserted(&seed, stop, b"\xFF"));
    // A Latin-1 é inside the name of the first table row that has a subject code: the first
    // line that starts with digits and a tab, after its first character.
    let mut offset = 0;
    let row = text
        .split_inclusive('\n')
        .find_map(|l| {
            let at = offset;
            offset += l.len();
            let digits = l.bytes().take_while(u8::is_ascii_digit).count();
            (digits >= 3 && l.as_bytes().get(digits) == Some(&b'\t')).then_some(at + digits + 1)
        })
        .unwrap();
    let name_char = text[row..].chars().next().unwrap();
    assert!(
        !name_char.is_ascii(),
        "the row name starts with a CJK character"
    );
    write(
        "latin1-e.txt",
        &with_inserted(&seed, row + name_char.len_utf8(), b"\xE9"),
    );
    // Cut in the middle of the last multi-byte character: after its lead byte and one more.
    let lead = seed.iter().rposition(|&b| b >= 0xC0).unwrap();
    write("cut.txt", &seed[..lead + 2]);
    write("utf16le.txt", &utf16(text, true));
    write("utf16be.txt", &utf16(text, false));
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    write("gb18030.txt", &gb);
    let pdf = std::fs::read(root().join(PDF)).unwrap();
    write("whole.pdf", &pdf);
    write("half.pdf", &pdf[..pdf.len() / 2]);
    input
}

#[test]
fn damaged_and_re_encoded_copies() {
    let dir = tmp("robust");
    let input = inputs(&dir);
    let r = Run::new(&input, &dir.join("out"));

    // The clean seed: intact, nothing to say.
    let clean = r.doc("clean.txt");
    assert_eq!(
        (clean.0.as_str(), clean.1.as_deref(), clean.2),
        ("ok", Some("utf-8"), false)
    );
    assert!(clean.3.is_empty(), "{:?}", clean.3);
    let (tables, cells) = (r.tables("clean.txt"), r.cells("clean.txt"));
    assert!(tables.iter().filter(|t| t.contains("|parsed|")).count() >= 8);
    assert!(cells.len() > 200, "{}", cells.len());

    // (a) One bad byte: ok, repaired, one replacement counted, same tables and cells.
    for name in ["stray-ff.txt", "latin1-e.txt", "cut.txt"] {
        let d = r.doc(name);
        assert_eq!(
            (d.0.as_str(), d.1.as_deref(), d.2),
            ("ok", Some("utf-8"), true),
            "{name}"
        );
        assert_eq!(
            d.3.first().map(String::as_str),
            Some("1 invalid byte sequence replaced with U+FFFD while decoding as utf-8"),
            "{name}"
        );
        let t = r.tables(name);
        if name == "cut.txt" {
            // The cut takes the end of the last (unparsed) table's text, not its place.
            assert_eq!(t.len(), tables.len());
            assert_eq!(t[..t.len() - 1], tables[..tables.len() - 1], "{name}");
        } else {
            assert_eq!(t, tables, "{name}");
        }
        let c = r.cells(name);
        assert_eq!(c.len(), cells.len(), "{name}");
        let mut relabelled = 0;
        for (got, want) in c.iter().zip(&cells) {
            assert_eq!(got.1, want.1, "{name}");
            if got.0 != want.0 {
                // Only the row whose name holds the bad byte: the name with U+FFFD in it.
                assert_eq!(got.0.replace('\u{FFFD}', ""), want.0, "{name}");
                relabelled += 1;
            }
        }
        assert_eq!(
            relabelled > 0,
            name == "latin1-e.txt",
            "{name}: {relabelled}"
        );
    }

    // (b) UTF-16 without a byte-order mark, (c) GB18030: the clean seed's tables and cells.
    for (name, enc) in [
        ("utf16le.txt", "utf-16le"),
        ("utf16be.txt", "utf-16be"),
        ("gb18030.txt", "gb18030"),
    ] {
        let d = r.doc(name);
        assert_eq!(
            (d.0.as_str(), d.1.as_deref(), d.2),
            ("ok", Some(enc), false),
            "{name}"
        );
        assert!(d.3.is_empty(), "{name}: {:?}", d.3);
        assert_eq!(r.tables(name), tables, "{name}");
        assert_eq!(r.cells(name), cells, "{name}");
    }

    // (d) The PDF: whole, intact; its first half, ok only as repaired, with the warning logged
    // under the file's path.
    let whole = r.doc("whole.pdf");
    assert_eq!((whole.0.as_str(), whole.2), ("ok", false));
    assert!(whole.3.is_empty(), "{:?}", whole.3);
    let half = r.doc("half.pdf");
    if half.0 == "ok" {
        assert!(half.2, "a PDF cut in half is ok only when marked repaired");
        assert!(
            half.3[0].starts_with("PDF repaired: cross-reference"),
            "{:?}",
            half.3
        );
        let logged = r
            .stderr
            .lines()
            .find(|l| l.contains("WARN") && l.contains("half.pdf"))
            .unwrap_or_else(|| panic!("no warning names half.pdf:\n{}", r.stderr));
        assert!(logged.contains("PDF repaired"), "{logged}");
        // Table titles with unreadable characters are noted, each in a warning.
        let titles: Vec<String> = r
            .tables("half.pdf")
            .iter()
            .filter(|t| t.contains('\u{FFFD}'))
            .map(|t| t.split('|').nth(1).unwrap().to_string())
            .collect();
        for title in &titles {
            assert!(
                half.3
                    .iter()
                    .any(|w| w.contains("unreadable characters") && w.ends_with(title.as_str())),
                "{title}: {:?}",
                half.3
            );
        }
    } else {
        assert_eq!(half.0, "failed");
    }
    // No trusted value without a row label (a name or a code) and a column label.
    let unlabelled = |s: &str| s.trim().is_empty() || s.contains('\u{FFFD}');
    for (label, cell) in r.cells("half.pdf") {
        let f: Vec<&str> = cell.split('|').collect();
        let (col_label, code, value) = (f[4], f[5], f[7]);
        if value != "null" {
            assert!(!(unlabelled(&label) && code.is_empty()), "{label} {cell}");
            assert!(!unlabelled(col_label), "{label} {cell}");
        }
    }
    let li = &r.line_items;
    let (doc, name, code, measure) = (
        col(li, "doc_id"),
        col(li, "subject_name"),
        col(li, "subject_code"),
        col(li, "measure"),
    );
    for i in (0..li.num_rows()).filter(|&i| doc.value(i) == half.4) {
        assert!(
            !(unlabelled(name.value(i)) && code.is_null(i)),
            "line item without a subject: row {i}"
        );
        assert!(
            !unlabelled(measure.value(i)),
            "line item without a measure: row {i}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
