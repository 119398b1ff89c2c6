//! Incremental, bucketed, shardable and crash-safe runs of `govdocs run`, end to end through the
//! binary: re-runs skip what did not change, a changed/added/deleted input gives the same folder
//! as a fresh run, thread counts and shards give the same bytes, and a run killed with SIGKILL
//! leaves readable files that the next run completes.

use arrow_array::{Array, RecordBatch, StringArray, UInt32Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

mod common;
use common::{root, tmp, BIN};
const DATASETS: [&str; 6] = [
    "documents",
    "sections",
    "tables",
    "cells",
    "line_items",
    "checks",
];

fn sample(name_start: &str) -> Vec<u8> {
    let dir = root().join("samples/text");
    let f = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(name_start)
        })
        .unwrap();
    std::fs::read(f).unwrap()
}

/// A sample's bytes with a unique last line: another document with another doc_id.
fn variant(name_start: &str, tag: &str) -> Vec<u8> {
    let mut b = sample(name_start);
    b.extend_from_slice(format!("\n附注：{tag}\n").as_bytes());
    b
}

/// Inputs: the five text samples, one small PDF, and `n` variants of the text samples.
fn corpus(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for e in std::fs::read_dir(root().join("samples/text")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let pdf = "jiangsu-npc-office-2019-budget-tables.pdf";
    std::fs::copy(root().join("../shared/pdfs").join(pdf), dir.join(pdf)).unwrap();
    for i in 0..n {
        let src = format!("00{}", i % 5);
        std::fs::write(
            dir.join(format!("v{i:03}.txt")),
            variant(&src, &format!("v{i}")),
        )
        .unwrap();
    }
}

/// A pipeline in `dir` reading `dir/in` into `dir/<out>` with `buckets` buckets.
fn pipeline(dir: &Path, buckets: u32) -> PathBuf {
    let p = dir.join("p.toml");
    let text = format!(
        "inputs = [{:?}]\noutput = {:?}\n[options]\nbuckets = {buckets}\n",
        dir.join("in").to_str().unwrap(),
        dir.join("out").to_str().unwrap()
    );
    std::fs::write(&p, text).unwrap();
    p
}

fn govdocs(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .args(["--no-progress"])
        .current_dir(root())
        .output()
        .unwrap()
}

fn run_ok(p: &Path, extra: &[&str]) -> String {
    let mut args = vec!["run", p.to_str().unwrap()];
    args.extend(extra);
    let o = govdocs(&args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    err
}

/// Every file under `out` except the run records and the lock files, by relative path.
fn snapshot(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = BTreeMap::new();
    for e in walk(out) {
        let rel = e.strip_prefix(out).unwrap().to_string_lossy().into_owned();
        if !rel.starts_with("_runs") && !rel.starts_with("_lock") {
            all.insert(rel, std::fs::read(&e).unwrap());
        }
    }
    all
}

/// Two snapshots hold the same files with the same bytes (the message names those that differ).
fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let differ: Vec<&&String> = keys.iter().filter(|k| a.get(**k) != b.get(**k)).collect();
    assert!(differ.is_empty(), "{what}: {differ:?} differ");
}

/// Only the Parquet files of a snapshot.
fn parquet_only(s: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    s.iter()
        .filter(|(k, _)| k.ends_with(".parquet"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn mtimes(out: &Path) -> BTreeMap<PathBuf, SystemTime> {
    walk(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .map(|p| {
            let t = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p, t)
        })
        .collect()
}

/// Every row of a dataset: its `*.parquet` files, as a query engine's glob sees them (each must
/// be readable; temporary files do not end in `.parquet`).
fn read(out: &Path, dataset: &str) -> Vec<RecordBatch> {
    let mut batches = Vec::new();
    let files = walk(&out.join(dataset));
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "parquet"))
    {
        let r = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()))
            .build()
            .unwrap();
        batches.extend(r.map(|b| b.unwrap()));
    }
    batches
}

fn strings(batches: &[RecordBatch], col: &str) -> Vec<String> {
    batches
        .iter()
        .flat_map(|b| {
            let a: &StringArray = b
                .column_by_name(col)
                .unwrap()
                .as_any()
                .downcast_ref()
                .unwrap();
            (0..a.len())
                .map(|i| a.value(i).to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn u32s(batches: &[RecordBatch], col: &str) -> Vec<u32> {
    batches
        .iter()
        .flat_map(|b| {
            let a: &UInt32Array = b
                .column_by_name(col)
                .unwrap()
                .as_any()
                .downcast_ref()
                .unwrap();
            a.values().to_vec()
        })
        .collect()
}

fn rows(out: &Path, dataset: &str) -> usize {
    read(out, dataset).iter().map(|b| b.num_rows()).sum()
}

/// Rows are never doubled: `(doc_id, section_id)` and `(doc_id, check_id)` are unique, and each
/// document has exactly as many sections as its `documents.n_sections` says.
fn assert_no_doubles(out: &Path) {
    for (ds, key) in [("sections", "section_id"), ("checks", "check_id")] {
        let b = read(out, ds);
        let pairs: Vec<(String, u32)> = strings(&b, "doc_id")
            .into_iter()
            .zip(u32s(&b, key))
            .collect();
        let set: HashSet<_> = pairs.iter().collect();
        assert_eq!(set.len(), pairs.len(), "{ds}: doubled rows");
    }
    let docs = read(out, "documents");
    let mut want: HashMap<String, u32> = HashMap::new();
    for (id, n) in strings(&docs, "doc_id")
        .into_iter()
        .zip(u32s(&docs, "n_sections"))
    {
        want.insert(id, n);
    }
    let mut got: HashMap<String, u32> = HashMap::new();
    for id in strings(&read(out, "sections"), "doc_id") {
        *got.entry(id).or_default() += 1;
    }
    for (id, n) in &want {
        assert_eq!(got.get(id).copied().unwrap_or(0), *n, "sections of {id}");
    }
    assert!(
        got.keys().all(|k| want.contains_key(k)),
        "sections without a document"
    );
}

#[test]
fn rerun_without_changes_processes_nothing_and_touches_nothing() {
    let dir = tmp("rerun");
    corpus(&dir.join("in"), 6);
    let p = pipeline(&dir, 4);
    let first = run_ok(&p, &[]);
    assert!(
        first.contains("documents: 12 ok, 0 failed; 0 unchanged"),
        "{first}"
    );
    let out = dir.join("out");
    let (before, times) = (snapshot(&out), mtimes(&out));
    // Four buckets hold twelve documents: every dataset has one file per non-empty bucket.
    let parts = before
        .keys()
        .filter(|k| k.starts_with("documents/"))
        .count();
    assert!((2..=4).contains(&parts), "{parts} parts");
    std::thread::sleep(Duration::from_millis(20));
    let second = run_ok(&p, &[]);
    assert!(
        second.contains("documents: 0 ok, 0 failed; 12 unchanged (skipped), 0 removed"),
        "{second}"
    );
    assert!(second.contains("buckets: 0 written"), "{second}");
    assert_same(&snapshot(&out), &before, "re-run vs first run");
    assert_eq!(mtimes(&out), times, "files rewritten");
    // Each run leaves its record, outside the datasets.
    assert_eq!(walk(&out.join("_runs")).len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn changed_added_and_deleted_inputs_give_the_fresh_run_folder() {
    let dir = tmp("incr");
    corpus(&dir.join("in"), 10);
    let p = pipeline(&dir, 8);
    run_ok(&p, &[]);
    let out = dir.join("out");
    let input = dir.join("in");
    let deleted = sample("001");
    let deleted_id = govdocs_doc_id(&deleted);
    std::fs::remove_file(
        walk(&input)
            .into_iter()
            .find(|p| p.to_string_lossy().contains("001_"))
            .unwrap(),
    )
    .unwrap();
    std::fs::write(input.join("v003.txt"), variant("003", "changed")).unwrap();
    std::fs::write(input.join("added.txt"), variant("002", "added")).unwrap();
    // Same bytes at two paths: two documents rows, the rest once.
    std::fs::copy(input.join("v000.txt"), input.join("v000-copy.txt")).unwrap();
    let before = mtimes(&out);
    let second = run_ok(&p, &[]);
    // 16 inputs, one deleted, two added: 17. Processed: the changed file, the added file and
    // the copy (its rows are the original's); the other 14 are unchanged.
    assert!(
        second.contains("documents: 3 ok, 0 failed; 14 unchanged (skipped), 1 removed"),
        "{second}"
    );
    let after = mtimes(&out);
    let rewritten = before
        .iter()
        .filter(|(p, t)| after.get(*p) != Some(t))
        .count();
    assert!(rewritten < before.len(), "clean buckets are not rewritten");
    assert_no_doubles(&out);
    for ds in DATASETS {
        let ids = strings(&read(&out, ds), "doc_id");
        assert!(
            !ids.contains(&deleted_id),
            "{ds} keeps the deleted document"
        );
    }
    let docs = read(&out, "documents");
    let ids = strings(&docs, "doc_id");
    assert_eq!(ids.len(), 17);
    let copy_id = govdocs_doc_id(&std::fs::read(input.join("v000.txt")).unwrap());
    assert_eq!(ids.iter().filter(|i| **i == copy_id).count(), 2);

    // A fresh run over the same inputs in another folder gives the same files, byte for byte.
    let fresh = dir.join("fresh.toml");
    std::fs::write(
        &fresh,
        std::fs::read_to_string(&p)
            .unwrap()
            .replace(out.to_str().unwrap(), dir.join("out2").to_str().unwrap()),
    )
    .unwrap();
    run_ok(&fresh, &["-t", "1"]);
    let incremental = snapshot(&out);
    assert_same(
        &incremental,
        &snapshot(&dir.join("out2")),
        "incremental vs fresh",
    );
    // --full-refresh redoes everything and gives the same bytes again.
    let full = run_ok(&p, &["--full-refresh"]);
    assert!(
        full.contains("documents: 17 ok, 0 failed; 0 unchanged"),
        "{full}"
    );
    assert_same(&snapshot(&out), &incremental, "full refresh vs incremental");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn govdocs_doc_id(bytes: &[u8]) -> String {
    govdocs_core::doc_id(bytes)
}

#[test]
fn thread_counts_give_identical_files() {
    let dir = tmp("threads");
    corpus(&dir.join("in"), 4);
    let p = pipeline(&dir, 3);
    run_ok(&p, &["-t", "1"]);
    let one = snapshot(&dir.join("out"));
    std::fs::remove_dir_all(dir.join("out")).unwrap();
    run_ok(&p, &["-t", "4"]);
    assert_same(&one, &snapshot(&dir.join("out")), "1 vs 4 threads");
    assert!(!parquet_only(&one).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn shards_split_the_buckets_and_their_union_is_the_single_run() {
    let dir = tmp("shards");
    corpus(&dir.join("in"), 8);
    let p = pipeline(&dir, 6);
    run_ok(&p, &[]);
    let single = snapshot(&dir.join("out"));
    // Three shards into three folders.
    let mut union = BTreeMap::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for i in 0..3 {
        let o = dir.join(format!("out-{i}"));
        run_ok(
            &p,
            &["--shard", &format!("{i}/3"), "-o", o.to_str().unwrap()],
        );
        let mut s = snapshot(&o);
        // Each folder publishes its own state (its buckets); the shared folder below, the
        // union.
        assert!(s.remove("_current.json").is_some());
        for k in s.keys().filter(|k| k.ends_with(".parquet")) {
            // `<dataset>/part-BBBBB-<16 hex>.parquet`
            let name = k.rsplit('/').next().unwrap();
            let b: u32 = name[5..10].parse().unwrap();
            assert_eq!(b % 3, i, "{k} written by shard {i}");
        }
        for (k, v) in s {
            assert!(
                union.insert(k.clone(), v).is_none(),
                "{k} written by two shards"
            );
        }
        for ds in DATASETS {
            *counts.entry(ds).or_default() += rows(&o, ds);
        }
    }
    let mut single_files = single.clone();
    single_files.remove("_current.json");
    assert_same(
        &union,
        &single_files,
        "union of the shard folders vs single run",
    );
    for ds in DATASETS {
        assert_eq!(counts[ds], rows(&dir.join("out"), ds), "{ds} rows");
    }
    // Three shards into one shared folder give the same folder too.
    let shared = dir.join("shared");
    for i in [2, 0, 1] {
        run_ok(
            &p,
            &["--shard", &format!("{i}/3"), "-o", shared.to_str().unwrap()],
        );
    }
    assert_same(
        &snapshot(&shared),
        &single,
        "shared shard folder vs single run",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bucket_count_changes_and_invalid_shards_exit_2() {
    let dir = tmp("errors");
    corpus(&dir.join("in"), 0);
    let p = pipeline(&dir, 4);
    run_ok(&p, &[]);
    let four = snapshot(&dir.join("out"));
    let p8 = pipeline(&dir, 8);
    let o = govdocs(&["run", p8.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("written with 4 buckets") && err.contains("--full-refresh"),
        "{err}"
    );
    assert!(
        snapshot(&dir.join("out")) == four,
        "a refused run changes nothing"
    );
    let o = govdocs(&[
        "run",
        p8.to_str().unwrap(),
        "--shard",
        "0/2",
        "--full-refresh",
    ]);
    assert_eq!(o.status.code(), Some(2));
    // With --full-refresh the folder is rewritten with eight buckets, none left from four.
    let full = run_ok(&p8, &["--full-refresh"]);
    assert!(full.contains("documents: 6 ok"), "{full}");
    let s = snapshot(&dir.join("out"));
    let manifests: Vec<String> = s
        .keys()
        .filter(|k| k.starts_with("_manifest/"))
        .cloned()
        .collect();
    for m in &manifests {
        let text = String::from_utf8_lossy(&s[m]).into_owned();
        assert!(text.contains("\"buckets\": 8"), "{m}");
    }
    assert_eq!(rows(&dir.join("out"), "documents"), 6);
    for bad in ["3/3", "1", "a/2", "-1/2", "0/0"] {
        let o = govdocs(&["run", p8.to_str().unwrap(), "--shard", bad]);
        assert_eq!(o.status.code(), Some(2), "--shard {bad}");
    }
    let o = govdocs(&["run", p8.to_str().unwrap(), "--shard", "0/9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("at most as many shards as buckets"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every Parquet file under `out` opens and reads to the end.
fn assert_readable(out: &Path) {
    for ds in DATASETS {
        read(out, ds);
    }
}

fn manifests(out: &Path) -> usize {
    walk(&out.join("_manifest"))
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .count()
}

#[test]
fn a_run_killed_mid_way_leaves_readable_files_and_the_rerun_completes_it() {
    let dir = tmp("kill");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    // 120 small documents (the 24 kB sample, each with its own last line) over 16 buckets.
    for i in 0..120 {
        std::fs::write(
            input.join(format!("d{i:03}.txt")),
            variant("004", &format!("k{i}")),
        )
        .unwrap();
    }
    let p = pipeline(&dir, 16);
    let out = dir.join("out");
    // The reference: a clean run in another folder.
    let clean = dir.join("clean");
    run_ok(&p, &["-o", clean.to_str().unwrap()]);
    let want = snapshot(&clean);
    let mut killed_mid_run = 0;
    for (round, after) in [1usize, 6, 12].into_iter().enumerate() {
        let _ = std::fs::remove_dir_all(&out);
        if round == 2 {
            // Kill an incremental run too: a complete folder, then half the inputs change.
            run_ok(&p, &[]);
            for i in (0..120).step_by(2) {
                std::fs::write(
                    input.join(format!("d{i:03}.txt")),
                    variant("004", &format!("k{i}-2")),
                )
                .unwrap();
            }
        }
        let start_manifests = manifests(&out);
        let mut child = Command::new(BIN)
            .args(["run", p.to_str().unwrap(), "--no-progress", "-t", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let t = Instant::now();
        let mut finished = false;
        loop {
            if child.try_wait().unwrap().is_some() {
                finished = true;
                break;
            }
            let progressed = if round == 2 {
                // Manifests are rewritten in place: count the ones newer than the start.
                walk(&out.join("_manifest"))
                    .iter()
                    .filter(|m| {
                        // A temporary manifest may be renamed away meanwhile.
                        m.extension().is_some_and(|e| e == "json")
                            && std::fs::metadata(m)
                                .and_then(|md| md.modified())
                                .is_ok_and(|mt| mt > SystemTime::now() - t.elapsed())
                    })
                    .count()
            } else {
                manifests(&out).saturating_sub(start_manifests)
            };
            if progressed >= after {
                break;
            }
            assert!(t.elapsed() < Duration::from_secs(120), "run too slow");
            std::thread::sleep(Duration::from_millis(2));
        }
        if !finished {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            if manifests(&out) < 16 || round == 2 {
                killed_mid_run += 1;
            }
        }
        assert_readable(&out);
        let again = run_ok(&p, &[]);
        assert_readable(&out);
        assert_no_doubles(&out);
        let got = snapshot(&out);
        if round == 2 {
            // Compare with a fresh run over the changed inputs.
            let fresh = dir.join("fresh2");
            let _ = std::fs::remove_dir_all(&fresh);
            run_ok(&p, &["-o", fresh.to_str().unwrap()]);
            assert_same(&got, &snapshot(&fresh), &format!("round {round}: {again}"));
        } else {
            assert_same(&got, &want, &format!("round {round}: {again}"));
        }
        assert!(
            walk(&out).iter().all(|p| !p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".tmp-")),
            "temporary files left"
        );
    }
    assert!(
        killed_mid_run >= 2,
        "the runs finished before they could be killed"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
