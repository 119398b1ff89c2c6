//! Hostile text input: every file in `tests/regressions/text_parser/` (inputs kept from fuzzing
//! and hostile-input runs, see `docs/fuzzing.md`) goes through `parse_text` on its own thread
//! with a 60 s hang guard (a guard against a hang, not a speed test), and a line that is a whole
//! file is never taken for the document's title.

use std::sync::mpsc;
use std::time::Duration;

use govdocs_core::{parse_text, DocError, Document};

/// `parse_text` on a thread; a panic fails the test with the input's name, a hang after 60 s.
fn parse_guarded(name: &str, bytes: Vec<u8>) -> Result<Document, DocError> {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        let _ = tx.send(parse_text(&bytes));
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let msg = handle.join().err().map(|p| {
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            });
            panic!("{name}: parse_text panicked: {msg:?}")
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: parse_text did not finish in 60 s"),
    }
}

#[test]
fn regression_inputs_parse_without_panic() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/text_parser");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no input in {}", dir.display());
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Ok(doc) = parse_guarded(&name, std::fs::read(&path).unwrap()) {
            if let Some(t) = &doc.meta.title {
                assert!(
                    t.chars().count() <= 200,
                    "{name}: title of {} chars",
                    t.chars().count()
                );
            }
        }
    }
}

#[test]
fn a_long_line_naming_a_document_kind_is_not_the_title() {
    // One line of 376 characters that starts like a cover title: prose, not a title.
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/text_parser");
    let bytes = std::fs::read(dir.join("long-line-with-title-words.txt")).unwrap();
    let r = parse_guarded("long line", bytes);
    assert!(
        r.as_ref().map_or(true, |d| d.meta.title.is_none()),
        "{:?}",
        r.map(|d| d.meta.title)
    );
    // The same words on a short line of their own are the title.
    let doc = parse_guarded(
        "short title",
        "2024年度武汉市部门决算公开\n一、部门概况\n"
            .as_bytes()
            .to_vec(),
    )
    .unwrap();
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("2024年度武汉市部门决算公开")
    );
}

#[test]
fn one_line_of_two_megabytes_finishes() {
    // CJK, amounts and spaces without a line break.
    let unit = "部门预算 收入支出决算表 36716. 36 2, 841. 00 一般公共服务 1,050.00   ";
    let text = unit.repeat((2 << 20) / unit.len());
    let r = parse_guarded("2 MB line", text.into_bytes());
    match r {
        Ok(doc) => assert!(doc.meta.title.is_none()),
        Err(e) => assert_eq!(e, DocError::NotADisclosure),
    }
}
