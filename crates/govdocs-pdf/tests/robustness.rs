//! Damaged, hostile and unusual PDFs. The files in `tests/data/` were made by
//! `tests/data/make_test_pdfs.py` (see its docstring for what each one is).

use std::time::{Duration, Instant};

use govdocs_pdf::{extract, extract_glyphs, Limits, PdfError, PdfText};

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/../../../shared/pdfs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn rows(doc: &PdfText, page: usize) -> Vec<Vec<String>> {
    doc.pages[page - 1]
        .lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.text.clone()).collect())
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

/// First row of the npc sample's page 1 table (pdftotext -layout, page 1).
fn npc_first_row() -> Vec<String> {
    row(&[
        "一、财政拨款",
        "18,330.37",
        "一、一般公共服务支出",
        "13,907.78",
        "一、基本支出",
        "9,312.90",
    ])
}

#[test]
fn encrypted_with_a_user_password() {
    let err = extract(&data("encrypted-user-password.pdf"), &Limits::default()).unwrap_err();
    assert_eq!(err, PdfError::Encrypted);
    assert!(err.to_string().contains("encrypted"), "{err}");
}

#[test]
fn encrypted_with_an_empty_user_password_opens() {
    // Restrictions-only encryption (owner password only) opens like in any viewer.
    let doc = extract(&data("encrypted-owner-only.pdf"), &Limits::default()).unwrap();
    assert_eq!(doc.pages.len(), 13);
    assert!(rows(&doc, 1).contains(&npc_first_row()));
}

#[test]
fn truncated_file_is_broken() {
    let err = extract(&data("truncated.pdf"), &Limits::default()).unwrap_err();
    assert!(matches!(err, PdfError::Broken(_)), "{err:?}");
    assert!(err.to_string().starts_with("PDF is damaged"), "{err}");
}

#[test]
fn truncated_anywhere_never_panics() {
    // Cut the npc sample at 60 places: each result is an error or a (partial) document,
    // never a caught panic, and each call is quick.
    let bytes = sample("jiangsu-npc-office-2019-budget-tables.pdf");
    for k in 1..60 {
        let cut = bytes.len() * k / 60;
        let t0 = Instant::now();
        let r = extract(&bytes[..cut], &Limits::default());
        assert!(!matches!(r, Err(PdfError::Panic(_))), "cut at {cut}: {r:?}");
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "cut at {cut} took {:?}",
            t0.elapsed()
        );
    }
}

#[test]
fn corrupted_bytes_never_panic() {
    // Overwrite 16-byte windows with junk at 200 pseudo-random places, one at a time.
    let bytes = sample("putuo-welfare-home-2024-unit-budget.pdf");
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..200 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let at = (x as usize) % (bytes.len() - 16);
        let mut b = bytes.clone();
        for (i, v) in b[at..at + 16].iter_mut().enumerate() {
            *v = (x >> (i % 8 * 8)) as u8;
        }
        let r = extract(&b, &Limits::default());
        assert!(!matches!(r, Err(PdfError::Panic(_))), "junk at {at}: {r:?}");
    }
}

#[test]
fn broken_xref_is_recovered() {
    // Every xref offset is 7 bytes off; lopdf rebuilds the table by scanning the objects,
    // so the file reads like the original (poppler recovers it the same way).
    let doc = extract(&data("broken-xref.pdf"), &Limits::default()).unwrap();
    assert_eq!(doc.pages.len(), 13);
    assert!(rows(&doc, 1).contains(&npc_first_row()));
    // The repair is reported, not hidden: the caller marks the document repaired.
    assert_eq!(doc.repairs.len(), 1, "{:?}", doc.repairs);
    assert!(doc.repairs[0].starts_with("PDF repaired: cross-reference"));
}

#[test]
fn repairs_are_reported_and_intact_files_have_none() {
    let whole = sample("jiangsu-high-court-2019-budget.pdf");
    assert_eq!(
        extract(&whole, &Limits::default()).unwrap().repairs,
        Vec::<String>::new()
    );
    // Cut at half: the cross-reference table is gone and rebuilt; the fonts' character maps
    // in the lost half leave characters unreadable, and the count says how many.
    let half = extract(&whole[..whole.len() / 2], &Limits::default()).unwrap();
    assert_eq!(half.repairs.len(), 1, "{:?}", half.repairs);
    let r = &half.repairs[0];
    assert!(r.contains("cross-reference table rebuilt"), "{r}");
    let glyphs = extract_glyphs(&whole[..whole.len() / 2], &Limits::default()).unwrap();
    let unreadable = glyphs
        .iter()
        .flat_map(|p| &p.glyphs)
        .filter(|g| g.ch == '\u{FFFD}')
        .count();
    assert!(unreadable > 0);
    assert!(r.contains(&format!("; {unreadable} of ")), "{r}");
}

#[test]
fn scan_without_text_layer() {
    let err = extract(&data("scan.pdf"), &Limits::default()).unwrap_err();
    assert_eq!(err, PdfError::NoTextLayer { pages: 2 });
    assert_eq!(
        err.to_string(),
        "PDF has no text layer (2 pages of images): it is a scan and needs OCR"
    );
}

/// changsha-01 of the corpus is a copier's scan (7 page images) whose only text is the copier's
/// stamp `CSCR-2023-19001` on page 1 (`pdftotext` prints nothing else): a text layer that says
/// nothing is no text layer, and the document goes to OCR.
#[test]
fn a_stamp_over_page_images_is_no_text_layer() {
    let path = format!(
        "{}/../../../shared/corpus/changsha-01.pdf",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(
        extract(&bytes, &Limits::default()).unwrap_err(),
        PdfError::NoTextLayer { pages: 7 }
    );
    // A page of real text stays text: the six sample PDFs all read.
    assert!(extract(
        &sample("jiangsu-npc-office-2019-budget-tables.pdf"),
        &Limits::default()
    )
    .is_ok());
}

/// xiamen-01 of the corpus is a notice with a text layer whose page 2, the signing page, is a
/// scanned page (`pdfimages -list`: a 1240×1753 JPEG at 150 ppi, the page's size, and stamps;
/// `pdftotext -f 2 -l 2` prints nothing; the page image shows `规划、气象、消防等主管部门：` and
/// the issuers under their seals): it alone needs OCR. xian-03 page 16 and xian-05 page 8 are
/// charts without text on a quarter of the page or less: no page of text, no OCR.
#[test]
fn a_scanned_page_among_text_pages_needs_ocr() {
    let corpus = |name: &str| {
        let path = format!(
            "{}/../../../shared/corpus/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        extract(
            &std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
            &Limits::default(),
        )
        .unwrap()
    };
    let doc = corpus("xiamen-01.pdf");
    let scanned: Vec<u32> = doc
        .pages
        .iter()
        .filter(|p| p.needs_ocr())
        .map(|p| p.number)
        .collect();
    assert_eq!(scanned, vec![2]);
    assert!(
        doc.pages[1].image_cover > 0.99,
        "{}",
        doc.pages[1].image_cover
    );
    for (name, page) in [("xian-03.pdf", 16), ("xian-05.pdf", 8)] {
        let p = &corpus(name).pages[page - 1];
        assert!(p.lines.is_empty() && p.n_images > 0, "{name} page {page}");
        assert!(p.image_cover < 0.3, "{name} page {page}: {}", p.image_cover);
        assert!(!p.needs_ocr(), "{name} page {page}");
    }
    // Pages of text over no image, and the samples, need none.
    let text = extract(
        &sample("jiangsu-npc-office-2019-budget-tables.pdf"),
        &Limits::default(),
    )
    .unwrap();
    assert!(text.pages.iter().all(|p| !p.needs_ocr()));
}

#[test]
fn not_a_pdf_at_all() {
    let mut junk = Vec::new();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        junk.push(x as u8);
    }
    let err = extract(&junk, &Limits::default()).unwrap_err();
    assert_eq!(err, PdfError::NotAPdf);
    assert!(err.to_string().contains("not a PDF"));
    assert_eq!(extract(b"", &Limits::default()), Err(PdfError::NotAPdf));
    // A PDF header followed by junk is a damaged PDF, not "not a PDF".
    let mut fake = b"%PDF-1.7\n".to_vec();
    fake.extend_from_slice(&junk);
    assert!(matches!(
        extract(&fake, &Limits::default()),
        Err(PdfError::Broken(_))
    ));
}

#[test]
fn nested_forms_hit_the_depth_limit() {
    let bytes = data("nested-forms.pdf");
    let err = extract(&bytes, &Limits::default()).unwrap_err();
    assert!(
        matches!(err, PdfError::TooComplex(ref m) if m.contains("nested")),
        "{err:?}"
    );
    // With a higher limit the 12 levels read, innermost text included.
    let deep = Limits {
        max_xobject_depth: 16,
        ..Limits::default()
    };
    let doc = extract(&bytes, &deep).unwrap();
    let texts: Vec<String> = doc.pages[0].lines.iter().map(|l| l.text(" ")).collect();
    assert_eq!(texts.first().map(String::as_str), Some("level 1"));
    assert!(texts.contains(&"level 11".to_string()));
    assert!(texts.contains(&"innermost".to_string()));
}

#[test]
fn cyclic_forms_are_drawn_once() {
    let doc = extract(&data("cyclic-forms.pdf"), &Limits::default()).unwrap();
    let texts: Vec<String> = doc.pages[0].lines.iter().map(|l| l.text(" ")).collect();
    assert_eq!(texts, vec!["form A", "form B"]);
}

#[test]
fn fan_out_hits_the_operator_limit() {
    // 10^7 form draws: the default 20M-operator budget stops it (in about 2 s in release).
    let bytes = data("fanout-forms.pdf");
    let small = Limits {
        max_ops: 100_000,
        ..Limits::default()
    };
    let t0 = Instant::now();
    let err = extract(&bytes, &small).unwrap_err();
    assert!(
        matches!(err, PdfError::TooComplex(ref m) if m.contains("operations")),
        "{err:?}"
    );
    assert!(t0.elapsed() < Duration::from_secs(2));
}

#[test]
fn fan_out_hits_the_deadline() {
    let bytes = data("fanout-forms.pdf");
    let quick = Limits {
        max_ops: usize::MAX,
        deadline: Duration::from_millis(300),
        ..Limits::default()
    };
    let t0 = Instant::now();
    let err = extract(&bytes, &quick).unwrap_err();
    assert!(
        matches!(err, PdfError::TooComplex(ref m) if m.contains("deadline")),
        "{err:?}"
    );
    assert!(
        t0.elapsed() < Duration::from_secs(3),
        "took {:?}",
        t0.elapsed()
    );
}

#[test]
fn page_limit() {
    let limits = Limits {
        max_pages: 5,
        ..Limits::default()
    };
    let err = extract(
        &sample("jiangsu-npc-office-2019-budget-tables.pdf"),
        &limits,
    )
    .unwrap_err();
    assert!(
        matches!(err, PdfError::TooComplex(ref m) if m.contains("pages")),
        "{err:?}"
    );
}

#[test]
fn predefined_cmaps_without_tounicode() {
    // UniGB-UCS2-H and GBK-EUC-H fonts (not embedded, no ToUnicode), /W in both forms.
    // pdftotext -layout prints "一般公共预算拨款收入    1,234.56   567.00" and, for the
    // GBK-EUC-H line, "政府性基金预算拨款收入      ８９．１０     ０．００" (poppler maps the
    // half-width CIDs to full-width forms; the bytes are GBK's ASCII "89.10" and "0.00").
    // "0.00" is placed by a TJ offset after "89.10", so it lands in its own cell only if the
    // digits' widths (500 from "1 95 500" / "814 [500 …]") are read right.
    let doc = extract(&data("predefined-cmaps.pdf"), &Limits::default()).unwrap();
    assert_eq!(
        rows(&doc, 1),
        vec![
            row(&["一般公共预算拨款收入", "1,234.56", "567.00"]),
            row(&["政府性基金预算拨款收入", "89.10", "0.00"]),
        ]
    );
    // Amounts right-aligned at x = 300 and 400 (see the script).
    let amounts = &doc.pages[0].lines[1].spans;
    assert!((amounts[1].x1 - 300.0).abs() < 0.5, "{:?}", amounts[1]);
    assert!((amounts[2].x1 - 400.0).abs() < 0.5, "{:?}", amounts[2]);
}

#[test]
fn rotated_pages_read_upright() {
    // pdftotext -layout prints "第一行   1,234.56" / "第二行   7.00" on each of the 3 pages.
    let doc = extract(&data("rotated.pdf"), &Limits::default()).unwrap();
    for (i, rot) in [90, 180, 270].into_iter().enumerate() {
        let p = &doc.pages[i];
        assert_eq!(p.rotation, rot);
        if rot == 180 {
            assert_eq!((p.width, p.height), (595.0, 842.0));
        } else {
            assert_eq!((p.width, p.height), (842.0, 595.0));
        }
        assert_eq!(
            rows(&doc, i + 1),
            vec![row(&["第一行", "1,234.56"]), row(&["第二行", "7.00"])],
            "rotation {rot}"
        );
        // Text starts 72 pt from the displayed left and top edges.
        assert!((p.lines[0].spans[0].x0 - 72.0).abs() < 0.5);
        assert!((p.lines[0].y - 72.0).abs() < 0.5);
    }
}

#[test]
fn zero_deadline() {
    let limits = Limits {
        deadline: Duration::ZERO,
        ..Limits::default()
    };
    let err = extract(
        &sample("jiangsu-npc-office-2019-budget-tables.pdf"),
        &limits,
    )
    .unwrap_err();
    assert!(matches!(err, PdfError::TooComplex(_)), "{err:?}");
}
