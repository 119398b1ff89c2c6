//! Hostile inputs through the `govdocs` binary: a file of several hundred MB, files that are one
//! enormous line, PDFs nested past every limit, and folder entries that cannot be read (a
//! folder named like a document, a dangling symlink, a FIFO, a file without read permission).
//! Each must end in its own `failed` row or an `ok` row while the run goes on. Every run has a
//! hang guard (the child is killed after 180 s and the test fails); it is a guard, not a
//! speed test.

use arrow_array::{Array, StringArray};
use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::{col, read_dataset, root, run_samples_pipeline, tmp};

/// `govdocs run pipelines/samples.toml --input <input> --output <out>`, killed after 180 s.
fn run(input: &Path, out: &Path) -> Output {
    run_samples_pipeline(input, out, &[])
}

/// The `documents` dataset (every `*.parquet` file of it) as (file name, status, error, title)
/// rows, sorted by file name.
fn documents(out: &Path) -> Vec<(String, String, Option<String>, Option<String>)> {
    let b = read_dataset(out, "documents");
    let (path, status, error, title) = (
        col(&b, "source_path"),
        col(&b, "status"),
        col(&b, "error"),
        col(&b, "title"),
    );
    let opt = |a: &StringArray, i: usize| (!a.is_null(i)).then(|| a.value(i).to_string());
    let mut rows: Vec<_> = (0..b.num_rows())
        .map(|i| {
            let name = Path::new(path.value(i))
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                name,
                status.value(i).to_string(),
                opt(error, i),
                opt(title, i),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn copy_sample(dir: &Path) {
    std::fs::copy(
        root().join("samples/text/004_26f01125909598e4.txt"),
        dir.join("good.txt"),
    )
    .unwrap();
}

#[test]
fn a_file_of_400_mb_fails_alone_before_it_is_read() {
    let dir = tmp("big");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    copy_sample(&input);
    // Sparse: 400 MB long, no disk used.
    let f = std::fs::File::create(input.join("huge.txt")).unwrap();
    f.set_len(400 << 20).unwrap();
    drop(f);
    let out = dir.join("out");
    let o = run(&input, &out);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let docs = documents(&out);
    assert_eq!(docs.len(), 2, "{docs:?}");
    let huge = docs.iter().find(|d| d.0 == "huge.txt").unwrap();
    assert_eq!(huge.1, "failed");
    assert_eq!(
        huge.2.as_deref(),
        Some("file is 400 MB, over the 64 MB limit for one document")
    );
    let good = docs.iter().find(|d| d.0 == "good.txt").unwrap();
    assert_eq!(good.1, "ok", "{good:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Deterministic pseudo-random text: CJK words, amounts and spaces, no line break.
fn one_line(bytes: usize) -> String {
    let words: Vec<char> = "部门预算收入支出决算表一般公共服务财政拨款合计万元"
        .chars()
        .collect();
    let mut s = String::with_capacity(bytes + 64);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    while s.len() < bytes {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        match x % 10 {
            0..=4 => {
                for k in 0..1 + (x >> 8) % 8 {
                    s.push(words[((x >> (12 + k)) % words.len() as u64) as usize]);
                }
            }
            5..=7 => s.push_str(&format!(
                "{}. {:02}",
                (x >> 20) % 10_000_000,
                (x >> 8) % 100
            )),
            _ => s.push_str(&" ".repeat(1 + (x >> 8) as usize % 4)),
        }
    }
    s
}

#[test]
fn files_of_one_enormous_line_end_with_a_row_each() {
    let dir = tmp("line");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    copy_sample(&input);
    std::fs::write(input.join("mixed.txt"), one_line(10 << 20)).unwrap();
    let row = "2010101  行政运行  36716. 36  2, 841. 00  1,050.00  一般公共服务支出  ";
    std::fs::write(
        input.join("repeated.txt"),
        row.repeat((10 << 20) / row.len()),
    )
    .unwrap();
    let out = dir.join("out");
    let o = run(&input, &out);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let docs = documents(&out);
    assert_eq!(docs.len(), 3, "{docs:?}");
    for name in ["mixed.txt", "repeated.txt"] {
        let d = docs.iter().find(|d| d.0 == name).unwrap();
        match d.1.as_str() {
            // Neither holds a heading, a title line or a table: a clear "not a disclosure".
            "failed" => assert_eq!(
                d.2.as_deref(),
                Some("no section heading or disclosure title found in the text"),
                "{name}"
            ),
            "ok" => {}
            other => panic!("{name}: status {other}"),
        }
        // A 20 MB line is never a document title.
        assert!(
            d.3.as_ref().is_none_or(|t| t.chars().count() <= 200),
            "{name}"
        );
    }
    assert_eq!(docs.iter().find(|d| d.0 == "good.txt").unwrap().1, "ok");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pdfs_nested_past_every_limit_fail_or_read_without_crashing() {
    let dir = tmp("pdf");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    copy_sample(&input);
    let regressions = root().join("crates/govdocs-pdf/tests/regressions");
    let mut n = 0;
    for e in std::fs::read_dir(&regressions).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "pdf") {
            std::fs::copy(&p, input.join(p.file_name().unwrap())).unwrap();
            n += 1;
        }
    }
    let out = dir.join("out");
    let o = run(&input, &out);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{stderr}");
    let docs = documents(&out);
    assert_eq!(docs.len(), n + 1, "{docs:?}");
    for d in &docs {
        assert!(d.1 == "ok" || d.1 == "failed", "{d:?}");
        let error = d.2.as_deref().unwrap_or("");
        assert!(!error.contains("panic"), "{d:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unreadable_folder_entries_fail_alone_and_the_run_goes_on() {
    let dir = tmp("unreadable");
    let input = dir.join("in");
    std::fs::create_dir_all(input.join("x.txt")).unwrap();
    copy_sample(&input);
    std::os::unix::fs::symlink(dir.join("nowhere.txt"), input.join("y.txt")).unwrap();
    let fifo = input.join("z.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let locked = input.join("w.txt");
    std::fs::write(&locked, "一、部门概况\n").unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    // Root reads a mode-000 file anyway: then it is simply a document.
    let root_user = std::fs::read(&locked).is_ok();

    let out = dir.join("out");
    let o = run(&input, &out);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let docs = documents(&out);
    let get = |name: &str| {
        docs.iter()
            .find(|d| d.0 == name)
            .unwrap_or_else(|| panic!("no row for {name}: {docs:?}"))
    };
    // The folder named x.txt is a folder: searched (it is empty), not a document.
    assert!(docs.iter().all(|d| d.0 != "x.txt"), "{docs:?}");
    let y = get("y.txt");
    assert_eq!(y.1, "failed");
    assert!(
        y.2.as_deref().unwrap().starts_with("cannot read file: "),
        "{y:?}"
    );
    let z = get("z.txt");
    assert_eq!(z.1, "failed");
    assert_eq!(
        z.2.as_deref(),
        Some("cannot read file: it is not a regular file (a FIFO, socket or device)")
    );
    let w = get("w.txt");
    if !root_user {
        assert_eq!(w.1, "failed");
        assert!(
            w.2.as_deref().unwrap().contains("ermission denied"),
            "{w:?}"
        );
    }
    assert_eq!(get("good.txt").1, "ok");
    assert_eq!(docs.len(), 4, "{docs:?}");

    // Named directly, the FIFO fails the same way instead of blocking the run.
    let out2 = dir.join("out2");
    let o = run(&fifo, &out2);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let docs = documents(&out2);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].1, "failed");

    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
