//! Helpers shared by the end-to-end test files (each includes this module with `mod common;`).
#![allow(dead_code)] // each test file uses its own subset

use arrow_array::{Array, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The `govdocs` binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_govdocs");

/// The repository root (pipelines and samples are named relative to it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh, empty scratch folder for one test: `<tmp>/govdocs-<name>-<pid>`.
pub fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("govdocs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every row of a dataset: its part files (one per bucket) in name order, as one batch.
pub fn read_dataset(out: &Path, dataset: &str) -> RecordBatch {
    let mut files: Vec<PathBuf> = std::fs::read_dir(out.join(dataset))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    files.sort();
    let mut schema = None;
    let mut batches = Vec::new();
    for f in files {
        let b = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(f).unwrap()).unwrap();
        schema = Some(b.schema().clone());
        batches.extend(b.build().unwrap().map(|b| b.unwrap()));
    }
    arrow_select::concat::concat_batches(&schema.unwrap(), &batches).unwrap()
}

/// A string column of a batch.
pub fn col<'a>(b: &'a RecordBatch, name: &str) -> &'a StringArray {
    b.column_by_name(name)
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap()
}

/// Run `cmd` with its output captured; the child is killed and the test fails after 180 s (a
/// hang guard, not a speed test).
pub fn guarded(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("{cmd:?} did not finish in 180 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// `govdocs run pipelines/samples.toml --no-progress --input <input> --output <out> <extra>` from
/// the repository root, under [`guarded`].
pub fn run_samples_pipeline(input: &Path, out: &Path, extra: &[&str]) -> Output {
    guarded(
        Command::new(BIN)
            .args(["run", "pipelines/samples.toml", "--no-progress", "--input"])
            .arg(input)
            .arg("--output")
            .arg(out)
            .args(extra)
            .current_dir(root()),
    )
}
