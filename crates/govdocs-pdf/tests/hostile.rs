//! Hostile object syntax, generated here: deeply nested arrays and dictionaries (in objects and
//! in content streams), a cyclic page tree, indirect references that point at themselves, and
//! `/Length` values that lie. Each must end in a clear error or a success; none may panic,
//! overflow the stack or hang. Every case runs on a thread with the default 2 MiB stack (the
//! size of a rayon worker's, where the CLI reads PDFs); a hang guard of 60 s catches a loop
//! (a guard, not a speed test).
//!
//! `regressions/` holds inputs that crashed the reader (found by these tests or by the
//! `pdf_loader` fuzz target, see `docs/fuzzing.md`); each runs through `extract` here and is a
//! seed of the fuzz target.

use std::sync::mpsc;
use std::time::Duration;

use govdocs_pdf::{extract, Limits, PdfError, PdfText};

/// A PDF whose object `n` is `objects[n - 1]` (each the text between `obj` and `endobj`), with a
/// correct xref table and `/Root 1 0 R`.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut buf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(buf.len());
        buf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        buf.extend_from_slice(body);
        buf.extend_from_slice(b"\nendobj\n");
    }
    let xref = buf.len();
    buf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        buf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    buf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    buf
}

/// A stream object with a correct `/Length`.
fn stream(content: &[u8]) -> Vec<u8> {
    let mut s = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    s.extend_from_slice(content);
    s.extend_from_slice(b"\nendstream");
    s
}

/// Catalog, page tree of one page, a Helvetica font; `contents` is the page's content stream
/// object (object 4) and `extra` are objects 6 onwards.
fn one_page(contents: Vec<u8>, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
           /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        contents,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    objects.extend_from_slice(extra);
    pdf(&objects)
}

const HELLO: &[u8] = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET";

/// `extract` on a thread with the default stack, within a 60 s hang guard.
fn extract_guarded(bytes: Vec<u8>) -> Result<PdfText, PdfError> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("extract".into())
        .spawn(move || {
            let _ = tx.send(extract(&bytes, &Limits::default()));
        })
        .unwrap();
    rx.recv_timeout(Duration::from_secs(60))
        .expect("extract did not finish within 60 s (hang) or its thread died")
}

fn texts(doc: &PdfText) -> Vec<String> {
    doc.pages
        .iter()
        .flat_map(|p| p.lines.iter().map(|l| l.text(" ")))
        .collect()
}

/// Not a panic: a clear error of its own kind, or text.
fn assert_clear(r: &Result<PdfText, PdfError>) {
    if let Err(e) = r {
        assert!(!matches!(e, PdfError::Panic(_)), "panicked: {e}");
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn control_case_reads() {
    let doc = extract_guarded(one_page(stream(HELLO), &[])).unwrap();
    assert_eq!(texts(&doc), ["hello"]);
}

#[test]
fn deeply_nested_arrays_in_an_object() {
    // 100 000 `[` in an object nobody draws, then the same depth closed.
    let deep = [vec![b'['; 100_000], vec![b']'; 100_000]].concat();
    let r = extract_guarded(one_page(stream(HELLO), &[deep]));
    // lopdf bounds its own nesting; the object is dropped and the page reads.
    assert_eq!(texts(&r.unwrap()), ["hello"]);
}

#[test]
fn deeply_nested_arrays_unclosed() {
    let r = extract_guarded(one_page(stream(HELLO), &[vec![b'['; 100_000]]));
    // lopdf bounds its own nesting; the object is dropped and the page reads.
    assert_eq!(texts(&r.unwrap()), ["hello"]);
}

#[test]
fn deeply_nested_dictionaries_in_an_object() {
    let deep = [b"<< /A ".repeat(50_000), b">> ".repeat(50_000)].concat();
    let r = extract_guarded(one_page(stream(HELLO), &[deep]));
    // lopdf bounds its own nesting; the object is dropped and the page reads.
    assert_eq!(texts(&r.unwrap()), ["hello"]);
}

#[test]
fn deeply_nested_resources_of_the_page() {
    // The page's own /Resources nested 50 000 deep: the font cannot be found, the page is read
    // or the file is refused, never a crash.
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
    ];
    let mut page = b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources ".to_vec();
    page.extend_from_slice(&b"<< /R ".repeat(50_000));
    page.extend_from_slice(&b">> ".repeat(50_000));
    page.extend_from_slice(b">>");
    objects.push(page);
    objects.push(stream(HELLO));
    assert_clear(&extract_guarded(pdf(&objects)));
}

#[test]
fn deeply_nested_arrays_in_the_content_stream() {
    let content = [
        b"BT /F1 12 Tf 72 720 Td ".to_vec(),
        vec![b'['; 100_000],
        b"(deep)".to_vec(),
        vec![b']'; 100_000],
        b" TJ (hello) Tj ET".to_vec(),
    ]
    .concat();
    // Nesting past the lexer's limit is skipped; the text after it still reads.
    let doc = extract_guarded(one_page(stream(&content), &[])).unwrap();
    assert!(texts(&doc).concat().contains("hello"), "{:?}", texts(&doc));
}

#[test]
fn deeply_nested_dictionaries_in_the_content_stream() {
    let content = [
        b"/P ".to_vec(),
        b"<< /A ".repeat(50_000),
        b">> ".repeat(50_000),
        b"BDC BT /F1 12 Tf 72 720 Td (hello) Tj ET EMC".to_vec(),
    ]
    .concat();
    // Nesting past the lexer's limit is skipped; the text after it still reads.
    let doc = extract_guarded(one_page(stream(&content), &[])).unwrap();
    assert!(texts(&doc).concat().contains("hello"), "{:?}", texts(&doc));
}

#[test]
fn cyclic_page_tree() {
    // The page tree's node 2 lists itself and node 3 among its kids; node 3 lists node 2.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R 4 0 R] /Count 3 /Parent 3 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R \
           /Resources << /Font << /F1 6 0 R >> >> >>"
            .to_vec(),
        stream(HELLO),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    let r = extract_guarded(pdf(&objects));
    assert_clear(&r);
    if let Ok(doc) = &r {
        assert!(texts(doc).iter().all(|t| t == "hello"), "{:?}", texts(doc));
    }
}

#[test]
fn cyclic_parent_chain_for_inherited_attributes() {
    // The page has no MediaBox / Resources of its own and its /Parent chain loops: inherited
    // lookups must stop.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 5 0 R >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>".to_vec(),
        stream(HELLO),
        b"<< /Type /Pages /Kids [] /Count 0 /Parent 2 0 R >>".to_vec(),
    ];
    let r = extract_guarded(pdf(&objects));
    assert_clear(&r);
}

#[test]
fn reference_to_itself() {
    // `6 0 obj 6 0 R endobj` used as the page's MediaBox, Resources, Rotate and as a font.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox 6 0 R /Rotate 6 0 R /Contents 4 0 R \
           /Resources 6 0 R >>"
            .to_vec(),
        stream(HELLO),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        b"6 0 R".to_vec(),
    ];
    assert_clear(&extract_guarded(pdf(&objects)));
}

#[test]
fn catalog_that_is_a_reference_loop() {
    // Object 1 (the /Root) is `1 0 R`; objects 2 and 3 point at each other.
    let objects = vec![b"1 0 R".to_vec(), b"3 0 R".to_vec(), b"2 0 R".to_vec()];
    let r = extract_guarded(pdf(&objects));
    assert!(matches!(r, Err(PdfError::Broken(_))), "{r:?}");
}

#[test]
fn contents_and_fonts_that_are_reference_loops() {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R \
           /Resources << /Font << /F1 5 0 R >> /XObject << /X 5 0 R >> >> >>"
            .to_vec(),
        b"[4 0 R 4 0 R]".to_vec(),
        b"5 0 R".to_vec(),
    ];
    assert_clear(&extract_guarded(pdf(&objects)));
}

#[test]
fn length_that_lies() {
    let content = HELLO;
    for length in [
        "1".to_string(),
        "0".to_string(),
        "-5".to_string(),
        (content.len() + 100).to_string(),
        "99999999999".to_string(),
        "18446744073709551615".to_string(),
        "6 0 R".to_string(),
        "7 0 R".to_string(),
    ] {
        let mut s = format!("<< /Length {length} >>\nstream\n").into_bytes();
        s.extend_from_slice(content);
        s.extend_from_slice(b"\nendstream");
        // Object 6: a self-reference; object 7: a real length in the wrong place.
        let extra = [b"6 0 R".to_vec(), b"-1".to_vec()];
        let r = extract_guarded(one_page(s, &extra));
        assert_clear(&r);
        if let Ok(doc) = &r {
            assert!(
                texts(doc).iter().all(|t| t.contains("hello")),
                "/Length {length}: {:?}",
                texts(doc)
            );
        }
    }
}

#[test]
fn regression_inputs_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let r = extract_guarded(bytes);
        if let Err(PdfError::Panic(m)) = &r {
            panic!("{}: panicked: {m}", path.display());
        }
        n += 1;
    }
    assert!(n > 0, "no regression input in {}", dir.display());
}
