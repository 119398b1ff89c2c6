//! The nightly batch as a careful operator runs it (#13): nothing in one document, one folder or
//! one night stops the run or destroys its output. Each test reproduces one defect of the issue
//! through the `govdocs` binary and failed before its fix. Every run has a hang guard (the child
//! is killed after 180 s and the test fails); it is a guard, not a speed test.

use arrow_array::{Array, Decimal128Array, ListArray, StringArray};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{col, guarded, read_dataset, root, run_samples_pipeline, tmp, BIN};

/// The real seed documents (beside the checkout, never copied into the project).
fn seed(prefix: &str) -> PathBuf {
    let dir = root().join("../shared/seeds");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}_*"))
}

/// `govdocs <args>` from the repository root, killed after 180 s.
fn govdocs(args: &[&str]) -> Output {
    guarded(Command::new(BIN).args(args).current_dir(root()))
}

/// `govdocs run pipelines/samples.toml --no-progress --input <input> --output <out> <extra>`.
fn run(input: &Path, out: &Path, extra: &[&str]) -> Output {
    run_samples_pipeline(input, out, extra)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// (file name, status, error) of every `documents` row, sorted.
fn documents(out: &Path) -> Vec<(String, String, Option<String>)> {
    let b = read_dataset(out, "documents");
    let (path, status, error) = (col(&b, "source_path"), col(&b, "status"), col(&b, "error"));
    let mut rows: Vec<_> = (0..b.num_rows())
        .map(|i| {
            let name = Path::new(path.value(i))
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let err = (!error.is_null(i)).then(|| error.value(i).to_string());
            (name, status.value(i).to_string(), err)
        })
        .collect();
    rows.sort();
    rows
}

/// Every cell whose raw text is `raw`: (value as printed at the dataset's scale, flags).
fn cells_with_raw(out: &Path, raw: &str) -> Vec<(Option<String>, Vec<String>)> {
    let b = read_dataset(out, "cells");
    let raws = col(&b, "raw");
    let values: &Decimal128Array = b
        .column_by_name("value")
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap();
    let flags: &ListArray = b
        .column_by_name("flags")
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap();
    (0..b.num_rows())
        .filter(|&i| raws.value(i) == raw)
        .map(|i| {
            let v = (!values.is_null(i)).then(|| values.value_as_string(i));
            let f = flags.value(i);
            let f: &StringArray = f.as_any().downcast_ref().unwrap();
            (v, (0..f.len()).map(|k| f.value(k).to_string()).collect())
        })
        .collect()
}

/// Defect 1: a cell with five or six decimals (万元 printed to the yuan cent) panicked the run
/// outside the per-document isolation. Now the values are kept exactly, a cell with more places
/// than the datasets hold is flagged and null, and the other documents of the run are written.
#[test]
fn amounts_with_six_decimals_are_kept_and_seven_are_flagged() {
    let dir = tmp("robust-decimals");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let text = std::fs::read_to_string(seed("000")).unwrap();
    // Rows of 表2 as printed: `21004 <tab><tab> 公共卫生 <tab> 2.30 <tab> 2.30`.
    let row = "21004\t\t公共卫生\t2.30\t2.30\t";
    assert!(text.contains(row), "the seed prints {row:?}");
    let five = text.replacen(row, "21004\t\t公共卫生\t2.30001\t2.30\t", 1);
    std::fs::write(input.join("five.txt"), &five).unwrap();
    // Six places in the row and its one sub-row (`2100410 … 2.30`), so the sums still hold.
    let sub = "2100410\t\t突发公共卫生事件应急处理\t2.30\t2.30\t";
    assert!(text.contains(sub), "the seed prints {sub:?}");
    let six = text
        .replacen(row, "21004\t\t公共卫生\t2.300001\t2.30\t", 1)
        .replacen(
            sub,
            "2100410\t\t突发公共卫生事件应急处理\t2.300001\t2.30\t",
            1,
        );
    std::fs::write(input.join("six.txt"), &six).unwrap();
    let seven = text.replacen(row, "21004\t\t公共卫生\t2.3000001\t2.30\t", 1);
    std::fs::write(input.join("seven.txt"), &seven).unwrap();
    std::fs::copy(seed("001"), input.join("other.txt")).unwrap();
    let out = dir.join("out");
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docs = documents(&out);
    assert_eq!(docs.len(), 4, "{docs:?}");
    assert!(docs.iter().all(|d| d.1 == "ok"), "{docs:?}");
    // Within the checks' rounding tolerance: trusted, and stored exactly as printed.
    let five = cells_with_raw(&out, "2.30001");
    assert_eq!(five.len(), 1, "{five:?}");
    assert_eq!(five[0].0.as_deref(), Some("2.300010"), "{five:?}");
    let six = cells_with_raw(&out, "2.300001");
    assert_eq!(six.len(), 2, "{six:?}");
    assert!(
        six.iter().all(|(v, _)| v.as_deref() == Some("2.300001")),
        "{six:?}"
    );
    let seven = cells_with_raw(&out, "2.3000001");
    assert!(!seven.is_empty());
    for (v, flags) in &seven {
        assert_eq!(v, &None);
        assert!(flags.iter().any(|f| f == "precision_exceeded"), "{flags:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every file under `out` with its bytes, except the run records and the lock files.
fn snapshot(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir(out)
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(out).unwrap().to_string_lossy().into_owned();
            (!rel.starts_with("_runs") && !rel.starts_with("_lock"))
                .then(|| (rel, std::fs::read(&p).unwrap()))
        })
        .collect()
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Copies of the sample texts in `dir`.
fn samples_into(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for e in std::fs::read_dir(root().join("samples/text")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
}

/// Defect 2: an input folder that exists but is empty (an unmounted share) removed every
/// document and exited 0. Now the run refuses with exit 2 and changes nothing, unless removals
/// are allowed; removing a few documents goes on as before.
#[test]
fn a_run_that_would_remove_everything_refuses() {
    let dir = tmp("robust-guard");
    let input = dir.join("in");
    samples_into(&input);
    let out = dir.join("out");
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let n = documents(&out).len();
    assert!(n >= 5);
    let before = snapshot(&out);

    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = run(&empty, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("refusing to remove"), "{}", stderr(&o));
    assert!(snapshot(&out) == before, "a refused run changes nothing");

    // More than half gone: refused too; one gone: done.
    let some = dir.join("some");
    samples_into(&some);
    let mut names: Vec<PathBuf> = std::fs::read_dir(&some)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in &names[..n / 2 + 1] {
        std::fs::remove_file(p).unwrap();
    }
    let o = run(&some, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(snapshot(&out) == before);
    std::fs::remove_file(input.join(names[0].file_name().unwrap())).unwrap();
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(documents(&out).len(), n - 1);

    // Allowed: the folder is emptied.
    let o = run(&empty, &out, &["--allow-removals"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let left = snapshot(&out);
    assert!(
        !left.keys().any(|k| k.ends_with(".parquet")),
        "{:?}",
        left.keys()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Defect 2: `extensions = [".txt"]` (with the dot) found nothing.
#[test]
fn extensions_are_accepted_with_a_leading_dot() {
    let dir = tmp("robust-ext");
    let input = dir.join("in");
    samples_into(&input);
    let p = dir.join("p.toml");
    std::fs::write(
        &p,
        format!(
            "inputs = [{:?}]\noutput = {:?}\n[options]\nextensions = [\".TXT\"]\n",
            input.to_str().unwrap(),
            dir.join("out").to_str().unwrap()
        ),
    )
    .unwrap();
    let o = govdocs(&["run", p.to_str().unwrap(), "--no-progress"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let want = std::fs::read_dir(&input).unwrap().count();
    assert_eq!(documents(&dir.join("out")).len(), want);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Defect 7: the same files reached through differently spelled paths were different inputs
/// (every bucket rewritten, "11 ok, 11 removed"). Now the source paths are relative to the
/// input root and the second run skips everything.
#[test]
fn spelling_the_input_differently_changes_nothing() {
    let dir = tmp("robust-spell");
    let input = dir.join("a/in");
    samples_into(&input);
    std::fs::create_dir_all(dir.join("b")).unwrap();
    let out = dir.join("out");
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = snapshot(&out);
    let docs = documents(&out);
    let b = read_dataset(&out, "documents");
    let paths = col(&b, "source_path");
    for i in 0..b.num_rows() {
        assert!(!paths.value(i).contains('/'), "{}", paths.value(i));
    }
    // The manifests name the absolute input root the paths start from.
    for m in walkdir(&out.join("_manifest")) {
        let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&m).unwrap()).unwrap();
        assert_eq!(m["input_root"].as_str(), input.to_str());
    }
    let again = dir.join("b/../a/./in");
    let o = run(&again, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "0 ok, 0 failed; {} unchanged (skipped), 0 removed",
            docs.len()
        )),
        "{err}"
    );
    assert!(snapshot(&out) == before);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Defect 8: a FIFO and a dangling symlink were parsed again every night, so the run exited 1
/// forever; a symlink loop bypassed the extension filter. Now they fail once, keep their rows
/// while unchanged, and the next run exits 0; `inspect` on a FIFO fails at once.
#[test]
fn unreadable_entries_fail_once_and_do_not_block() {
    let dir = tmp("robust-unreadable");
    let input = dir.join("in");
    samples_into(&input);
    let fifo = input.join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink(input.join("nowhere.txt"), input.join("dangling.txt")).unwrap();
    std::os::unix::fs::symlink(&input, input.join("loop")).unwrap();
    let out = dir.join("out");
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let docs = documents(&out);
    let failed: Vec<&str> = docs
        .iter()
        .filter(|d| d.1 == "failed")
        .map(|d| d.0.as_str())
        .collect();
    assert_eq!(failed, ["dangling.txt", "pipe.txt"], "{docs:?}");
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2 failed in the output"),
        "{}",
        stderr(&o)
    );
    assert_eq!(documents(&out), docs);
    let o = govdocs(&["inspect", fifo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("not a regular file"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Defect 9: `--threads 100000` ran for minutes and aborted; now it is capped with a message.
/// Under `--log-format json` every line of standard error is a JSON object (the summary too).
#[test]
fn threads_are_capped_and_json_logs_are_all_json() {
    let dir = tmp("robust-threads");
    let input = dir.join("in");
    samples_into(&input);
    let out = dir.join("out");
    let o = govdocs(&[
        "--log-format",
        "json",
        "run",
        "pipelines/samples.toml",
        "--no-progress",
        "--threads",
        "100000",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("too many worker threads"), "{err}");
    for line in err.lines() {
        assert!(
            line.starts_with('{') && line.ends_with('}'),
            "not JSON: {line}"
        );
    }
    assert!(err.contains("\"summary\":\"documents: "), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Defect 9: SIGTERM left no log line and no `_runs` record. Now the run stops after the
/// documents in flight, logs it, records the run as interrupted and exits 2; the next run
/// completes the folder.
#[test]
fn sigterm_stops_the_run_cleanly() {
    use std::io::{BufRead, BufReader};
    let dir = tmp("robust-sigterm");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let text =
        std::fs::read_to_string(root().join("samples/text/004_26f01125909598e4.txt")).unwrap();
    for i in 0..400 {
        std::fs::write(
            input.join(format!("d{i:03}.txt")),
            format!("{text}\n第{i}份\n"),
        )
        .unwrap();
    }
    let out = dir.join("out");
    let mut child = Command::new(BIN)
        .args([
            "run",
            "pipelines/samples.toml",
            "--no-progress",
            "--threads",
            "2",
            "--input",
        ])
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .env("GOVDOCS_LOG", "debug")
        .current_dir(root())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut log = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        log.push_str(&line);
        log.push('\n');
        if line.contains("parsed") {
            break;
        }
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for line in lines {
        log.push_str(&line.unwrap());
        log.push('\n');
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(2), "{log}");
    assert!(log.contains("signal received"), "{log}");
    assert!(log.contains("run interrupted"), "{log}");
    let records: Vec<String> = walkdir(&out.join("_runs"))
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert_eq!(records.len(), 1);
    assert!(
        records[0].contains("\"interrupted\": true"),
        "{}",
        records[0]
    );
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(documents(&out).len(), 400);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The published view of an output folder: the `source_path` of every `documents` row in the
/// files `_current.json` lists (every listed file must exist).
fn view(out: &Path) -> Vec<String> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let text = std::fs::read(out.join("_current.json")).expect("a published state");
    let current: serde_json::Value = serde_json::from_slice(&text).unwrap();
    let mut paths = Vec::new();
    for f in current["datasets"]["documents"].as_array().unwrap() {
        let file = std::fs::File::open(out.join(f.as_str().unwrap()))
            .unwrap_or_else(|e| panic!("{f} is listed but cannot be opened: {e}"));
        for b in ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap()
        {
            let b = b.unwrap();
            let p = col(&b, "source_path");
            paths.extend((0..b.num_rows()).map(|i| p.value(i).to_string()));
        }
    }
    paths.sort();
    paths
}

/// Defect 6: during an incremental run, or after one is killed, a changed document could be in
/// its old and its new bucket (its rows doubled); a `--full-refresh` changing the bucket count
/// deleted everything first. Now readers of `_current.json` see each document once at every
/// moment a run can be killed, and never an empty folder.
#[test]
fn the_published_view_never_shows_a_document_twice() {
    let dir = tmp("robust-view");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let text = std::fs::read(root().join("samples/text/004_26f01125909598e4.txt")).unwrap();
    let write = |i: usize, tag: &str| {
        let mut b = text.clone();
        b.extend_from_slice(format!("\n附注：{tag}\n").as_bytes());
        std::fs::write(input.join(format!("d{i:03}.txt")), b).unwrap();
    };
    for i in 0..120 {
        write(i, &format!("a{i}"));
    }
    let out = dir.join("out");
    let o = run(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let all: Vec<String> = (0..120).map(|i| format!("d{i:03}.txt")).collect();
    assert_eq!(view(&out), all);

    // Incremental runs killed at several points: half the documents change (and so move to
    // other buckets) each round.
    let manifests = |out: &Path| -> Vec<std::time::SystemTime> {
        std::fs::read_dir(out.join("_manifest"))
            .map(|d| {
                d.flatten()
                    .filter_map(|e| e.metadata().ok()?.modified().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut killed = 0;
    for (round, extra) in [(1, vec![]), (2, vec![]), (3, vec!["--full-refresh"])].into_iter() {
        for i in (round % 2..120).step_by(2) {
            write(i, &format!("r{round}-{i}"));
        }
        let mut args = vec!["-t", "1"];
        args.extend(extra.iter().copied());
        let p = dir.join("p.toml");
        // Round 3 also changes the bucket count (16 → 5).
        std::fs::write(
            &p,
            format!(
                "inputs = [{:?}]\noutput = {:?}\n[options]\nbuckets = {}\n",
                input.to_str().unwrap(),
                out.to_str().unwrap(),
                if round == 3 { 5 } else { 16 }
            ),
        )
        .unwrap();
        let before = manifests(&out);
        let newest = before.iter().max().copied();
        let mut child = Command::new(BIN)
            .args(["run", p.to_str().unwrap(), "--no-progress"])
            .args(&args)
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let t = Instant::now();
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let written = manifests(&out)
                .iter()
                .filter(|m| newest.is_none_or(|n| **m > n))
                .count();
            if written >= 2 + round {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                killed += 1;
                break;
            }
            assert!(t.elapsed() < Duration::from_secs(120), "run too slow");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(view(&out), all, "round {round}: the published view");
        // The next run completes the folder.
        let o = govdocs(&["run", p.to_str().unwrap(), "--no-progress"]);
        let extra_ok = o.status.code() == Some(0);
        assert!(extra_ok, "{}", stderr(&o));
        assert_eq!(view(&out), all, "round {round}: after the rerun");
        // Every part file in the folder is listed (replaced ones were removed).
        let listed = std::fs::read_to_string(out.join("_current.json")).unwrap();
        for f in walkdir(&out) {
            let rel = f.strip_prefix(&out).unwrap().to_string_lossy().into_owned();
            if rel.ends_with(".parquet") {
                assert!(listed.contains(&rel), "{rel} is not listed");
            }
        }
    }
    assert!(killed >= 1, "no run was killed mid-way");
    std::fs::remove_dir_all(&dir).unwrap();
}
