//! End-to-end tests of the `govdocs` binary: the sample pipeline, bad inputs, exit codes,
//! determinism across thread counts, and `inspect`.

use arrow_array::{Array, UInt32Array};
use std::path::Path;
use std::process::Command;

mod common;
use common::{col, read_dataset as read, root, tmp, BIN};

fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn sample_pipeline_succeeds_and_writes_both_datasets() {
    let out = tmp("samples");
    let o = run(&[
        "run",
        "pipelines/samples.toml",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    // samples/: the five text seeds (text/) and the PDFs the project renders from them (pdf/).
    let files = |dir: &str, ext: &str| {
        std::fs::read_dir(root().join("samples").join(dir))
            .map(|d| {
                d.filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .path()
                        .extension()
                        .is_some_and(|x| x == ext)
                })
                .count()
            })
            .unwrap_or(0)
    };
    let (n_text, n_pdf) = (files("text", "txt"), files("pdf", "pdf"));
    assert_eq!(n_text, 5);
    let n = n_text + n_pdf;
    assert!(
        stderr.contains(&format!("documents: {n} ok, 0 failed")),
        "{stderr}"
    );
    let docs = read(&out, "documents");
    assert_eq!(docs.num_rows(), n);
    assert!(col(&docs, "status").iter().all(|s| s == Some("ok")));
    let years: &arrow_array::Int32Array = docs
        .column_by_name("fiscal_year")
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap();
    let format = col(&docs, "source_format");
    // In path order: samples/text/000 … 004.
    let path = col(&docs, "source_path");
    let mut text_years: Vec<_> = (0..docs.num_rows())
        .filter(|&i| format.value(i) == "text")
        .map(|i| (path.value(i), years.value(i)))
        .collect();
    text_years.sort();
    let text_years: Vec<i32> = text_years.into_iter().map(|(_, y)| y).collect();
    assert_eq!(text_years, [2020, 2022, 2023, 2024, 2019]);
    assert_eq!(
        (0..docs.num_rows())
            .filter(|&i| format.value(i) == "pdf")
            .count(),
        n_pdf
    );
    let secs = read(&out, "sections");
    let n: &UInt32Array = docs
        .column_by_name("n_sections")
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap();
    let total: u32 = n.iter().map(|v| v.unwrap()).sum();
    assert_eq!(secs.num_rows() as u32, total);
    // No temporary file is left beside the datasets: only part-BBBBB.parquet files.
    for ds in ["documents", "sections"] {
        let names: Vec<_> = std::fs::read_dir(out.join(ds))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(!names.is_empty());
        assert!(
            names
                .iter()
                .all(|n| n.starts_with("part-") && n.ends_with(".parquet")),
            "{names:?}"
        );
    }
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn bad_inputs_fail_with_their_own_rows_and_the_run_goes_on() {
    let out = tmp("bad");
    let fx = "crates/govdocs-cli/tests/fixtures";
    let o = run(&[
        "run",
        "pipelines/samples.toml",
        "--input",
        fx,
        "--input",
        "samples/text/000_5359714c6aa5b07d.txt",
        "--output",
        out.to_str().unwrap(),
        "--log-format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failed document gives exit code 1"
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with('{') && l.contains("document failed")),
        "{stderr}"
    );
    let docs = read(&out, "documents");
    assert_eq!(docs.num_rows(), 4);
    let path = col(&docs, "source_path");
    let status = col(&docs, "status");
    let error = col(&docs, "error");
    let dept = col(&docs, "department");
    let row = |suffix: &str| {
        (0..docs.num_rows())
            .find(|&i| path.value(i).ends_with(suffix))
            .unwrap()
    };
    let (e, b, g, s) = (
        row("empty.txt"),
        row("binary.txt"),
        row("000-gbk.txt"),
        row("000_5359714c6aa5b07d.txt"),
    );
    assert_eq!(status.value(e), "failed");
    assert!(error.value(e).contains("empty file"));
    assert_eq!(status.value(b), "failed");
    assert!(error.value(b).contains("binary"));
    assert_eq!(status.value(g), "ok");
    assert!(error.is_null(g));
    assert_eq!(col(&docs, "encoding").value(g), "gb18030");
    assert_eq!(dept.value(g), dept.value(s));
    let n: &UInt32Array = docs
        .column_by_name("n_sections")
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap();
    assert_eq!(n.value(g), n.value(s));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let (a, b) = (tmp("t1"), tmp("t4"));
    for (dir, t) in [(&a, "1"), (&b, "4")] {
        let o = run(&[
            "run",
            "pipelines/samples.toml",
            "-o",
            dir.to_str().unwrap(),
            "-t",
            t,
        ]);
        assert!(o.status.success());
    }
    for ds in ["documents", "sections"] {
        let names = |d: &Path| {
            let mut n: Vec<_> = std::fs::read_dir(d.join(ds))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            n.sort();
            n
        };
        assert_eq!(names(&a), names(&b));
        for n in names(&a) {
            let fa = std::fs::read(a.join(ds).join(&n)).unwrap();
            let fb = std::fs::read(b.join(ds).join(&n)).unwrap();
            assert!(fa == fb, "{ds}/{n:?} differs between 1 and 4 threads");
        }
    }
    std::fs::remove_dir_all(&a).unwrap();
    std::fs::remove_dir_all(&b).unwrap();
}

#[test]
fn config_errors_exit_2() {
    let o = run(&["run", "no/such/pipeline.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "run",
        "pipelines/samples.toml",
        "--input",
        "no/such/file.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
}

#[test]
fn inspect_prints_metadata_and_tree() {
    let o = run(&["inspect", "samples/text/003_c92812b56496922d.txt"]);
    assert!(o.status.success());
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("department:  武汉市青山区经济信息化和科技创新局"),
        "{s}"
    );
    assert!(s.contains("fiscal year: 2024"));
    assert!(s.contains("十三、 预算绩效情况说明"));
    let o = run(&["inspect", "crates/govdocs-cli/tests/fixtures/binary.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("binary"));
}

/// `govdocs run DIR -o OUT` reads a folder with the default pipeline; `-q` keeps only errors
/// and the closing summary, which says where the output went; `NO_COLOR` and `--color never`
/// give plain text; `--help` lists the environment, the exit codes and examples.
#[test]
fn run_a_folder_without_a_pipeline_quietly_and_without_colours() {
    let out = tmp("nopipeline");
    let o = Command::new(BIN)
        .args(["run", "samples/text", "-o", out.to_str().unwrap(), "-q"])
        .args(["--no-progress", "--color", "always"])
        .env("NO_COLOR", "1")
        .current_dir(root())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let texts = std::fs::read_dir(root().join("samples/text"))
        .unwrap()
        .count();
    assert_eq!(read(&out, "documents").num_rows(), texts);
    // Quiet: no log line, only the summary, which names the output and the report command.
    assert!(!err.contains("INFO"), "{err}");
    assert!(err.starts_with("documents: "), "{err}");
    assert!(
        err.contains(&format!("govdocs report {}", out.display())),
        "{err}"
    );
    // Colours: --color always wins over NO_COLOR; auto honours it.
    let o = Command::new(BIN)
        .args([
            "run",
            "samples/text",
            "-o",
            out.to_str().unwrap(),
            "--no-progress",
        ])
        .args(["--color", "always"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("\u{1b}["));
    let o = Command::new(BIN)
        .args([
            "run",
            "samples/text",
            "-o",
            out.to_str().unwrap(),
            "--no-progress",
        ])
        .env("NO_COLOR", "1")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains("\u{1b}["));
    let help = run(&["--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for want in [
        "GOVDOCS_LOG",
        "NO_COLOR",
        "Exit codes:",
        "govdocs run ../archive",
    ] {
        assert!(help.contains(want), "--help lacks {want}: {help}");
    }
    std::fs::remove_dir_all(&out).unwrap();
}
