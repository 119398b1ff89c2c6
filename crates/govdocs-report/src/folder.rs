//! Reading an output folder: its buckets (the `part-*.parquet` files of the dataset folders, in
//! one folder or in several shard folders) and, per bucket, the rows of one document at a time.
//! Every dataset but `documents` holds its rows sorted by `doc_id` (docs/schema.md), so a bucket
//! is read front to back once, one batch at a time: memory depends on a document, not an archive.

use anyhow::{bail, Context, Result};
use arrow_array::{Array, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Rows per batch read.
const READ_ROWS: usize = 4096;

/// The per-document datasets the report reads, besides `documents`.
pub const DATASETS: [&str; 4] = ["sections", "tables", "cells", "checks"];

/// One bucket: its `documents` part file and its files of the other datasets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// The output folder holding it.
    pub dir: PathBuf,
    /// The `documents` part file's name (`part-00003-<hash>.parquet`).
    pub name: String,
    /// Dataset → file, relative to `dir`.
    pub files: BTreeMap<String, String>,
}

impl Bucket {
    /// The bucket's file of `dataset` (a missing file has no rows).
    pub fn file(&self, dataset: &str) -> PathBuf {
        match self.files.get(dataset) {
            Some(f) => self.dir.join(f),
            None => self.dir.join(dataset).join(&self.name),
        }
    }
}

/// The published state of an output folder (`_current.json`, written by every run): per
/// bucket, its file of each dataset.
#[derive(Deserialize)]
struct Current {
    by_bucket: Vec<CurrentBucket>,
}

#[derive(Deserialize)]
struct CurrentBucket {
    files: BTreeMap<String, String>,
}

/// The buckets of the output folders, in folder then name order: the files the folder's
/// published state (`_current.json`) lists, else (a folder of an earlier version) the
/// `documents` part files with the files of the same name in the other datasets. A folder
/// without a `documents` dataset is an error (it is not an output folder).
pub fn buckets(dirs: &[PathBuf]) -> Result<Vec<Bucket>> {
    let mut out = Vec::new();
    for dir in dirs {
        let docs = dir.join("documents");
        let entries = std::fs::read_dir(&docs).with_context(|| {
            format!(
                "{} is not a govdocs output folder (no documents/ dataset)",
                dir.display()
            )
        })?;
        if let Ok(text) = std::fs::read(dir.join("_current.json")) {
            let current: Current = serde_json::from_slice(&text)
                .with_context(|| format!("cannot read {}/_current.json", dir.display()))?;
            let mut found: Vec<Bucket> = current
                .by_bucket
                .into_iter()
                .filter_map(|b| {
                    let name = b.files.get("documents")?.rsplit('/').next()?.to_string();
                    Some(Bucket {
                        dir: dir.clone(),
                        name,
                        files: b.files,
                    })
                })
                .collect();
            found.sort_by(|a, b| a.name.cmp(&b.name));
            out.extend(found);
            continue;
        }
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".parquet") && !n.starts_with('.') && !n.starts_with('_'))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|name| Bucket {
            dir: dir.clone(),
            name,
            files: BTreeMap::new(),
        }));
    }
    Ok(out)
}

/// Open a Parquet file reading only `columns` (those the file has).
fn open(path: &Path, columns: &[&str]) -> Result<ParquetRecordBatchReader> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let b = ParquetRecordBatchReaderBuilder::try_new(file)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let schema = b.schema().clone();
    let roots: Vec<usize> = columns
        .iter()
        .filter_map(|c| schema.index_of(c).ok())
        .collect();
    let mask = ProjectionMask::roots(b.parquet_schema(), roots);
    b.with_projection(mask)
        .with_batch_size(READ_ROWS)
        .build()
        .with_context(|| format!("cannot read {}", path.display()))
}

/// Every row of a file (its `columns` that exist), as batches; no file gives no rows.
pub fn read_all(path: &Path, columns: &[&str]) -> Result<Vec<RecordBatch>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    open(path, columns)?
        .map(|b| b.with_context(|| format!("cannot read {}", path.display())))
        .collect()
}

fn doc_ids<'a>(b: &'a RecordBatch, path: &Path) -> Result<&'a StringArray> {
    match crate::cols::strs(b, "doc_id")? {
        Some(a) if a.null_count() == 0 => Ok(a),
        _ => bail!("{}: no doc_id column", path.display()),
    }
}

/// One dataset file of a bucket, handing out the rows of one document at a time.
pub struct DocStream {
    path: PathBuf,
    reader: Option<ParquetRecordBatchReader>,
    batch: Option<RecordBatch>,
    at: usize,
    last: String,
}

impl DocStream {
    /// Open `path` for its `columns` (`doc_id` must be among them); a missing file has no rows.
    pub fn open(path: PathBuf, columns: &[&str]) -> Result<DocStream> {
        let reader = if path.exists() {
            Some(open(&path, columns)?)
        } else {
            None
        };
        Ok(DocStream {
            path,
            reader,
            batch: None,
            at: 0,
            last: String::new(),
        })
    }

    /// Make sure the current batch has rows left; false at the end of the file.
    fn fill(&mut self) -> Result<bool> {
        while self.batch.as_ref().is_none_or(|b| self.at >= b.num_rows()) {
            let Some(next) = self.reader.as_mut().and_then(|r| r.next()) else {
                self.batch = None;
                return Ok(false);
            };
            self.batch =
                Some(next.with_context(|| format!("cannot read {}", self.path.display()))?);
            self.at = 0;
        }
        Ok(true)
    }

    /// The rows of `doc_id` (one slice per batch they span). Ids must be asked for in increasing
    /// order; a file whose rows are not sorted by `doc_id` is an error.
    pub fn take(&mut self, doc_id: &str) -> Result<Vec<RecordBatch>> {
        if doc_id < self.last.as_str() {
            bail!("documents asked for out of doc_id order");
        }
        self.last.clear();
        self.last.push_str(doc_id);
        let mut out = Vec::new();
        while self.fill()? {
            let b = self.batch.clone().expect("filled");
            let ids = doc_ids(&b, &self.path)?;
            let n = b.num_rows();
            let mut i = self.at;
            while i < n && ids.value(i) < doc_id {
                if i > 0 && ids.value(i) < ids.value(i - 1) {
                    bail!(
                        "{}: rows are not sorted by doc_id (written by another tool?)",
                        self.path.display()
                    );
                }
                i += 1;
            }
            let start = i;
            while i < n && ids.value(i) == doc_id {
                i += 1;
            }
            if i > start {
                out.push(b.slice(start, i - start));
            }
            self.at = i;
            if i < n {
                return Ok(out);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use govdocs_output::rows::{sections_batch, SectionRow};
    use govdocs_output::{Dataset, PartWriter};

    fn section_ids(batches: &[RecordBatch]) -> Vec<u32> {
        crate::rows::sections(batches)
            .unwrap()
            .iter()
            .map(|s| s.section_id)
            .collect()
    }

    #[test]
    fn a_document_at_a_time_across_batches() {
        let dir =
            std::env::temp_dir().join(format!("govdocs-report-folder-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // 'b' has READ_ROWS + 3 rows: its rows span two batches.
        let mut ids: Vec<(&str, u32)> = vec![("a", 0), ("a", 1)];
        ids.extend((0..READ_ROWS as u32 + 3).map(|i| ("b", i)));
        ids.extend([("d", 0), ("e", 7)]);
        let rows: Vec<SectionRow> = ids
            .iter()
            .map(|&(d, i)| SectionRow {
                doc_id: d,
                section_id: i,
                title: "t",
                ..Default::default()
            })
            .collect();
        let path = dir.join("part-00000.parquet");
        let mut w = PartWriter::create(dir.join(".tmp"), path.clone(), Dataset::Sections).unwrap();
        w.write(&sections_batch(&rows)).unwrap();
        w.finish().unwrap().commit().unwrap();
        let mut s = DocStream::open(path, &["doc_id", "section_id"]).unwrap();
        assert_eq!(section_ids(&s.take("a").unwrap()), [0, 1]);
        let b = s.take("b").unwrap();
        assert_eq!(b.len(), 2, "one slice per batch");
        assert_eq!(section_ids(&b).len(), READ_ROWS + 3);
        assert!(s.take("c").unwrap().is_empty());
        // 'd' is never asked for: skipped.
        assert_eq!(section_ids(&s.take("e").unwrap()), [7]);
        assert!(s.take("f").unwrap().is_empty());
        assert!(
            s.take("a").is_err(),
            "ids are asked for in increasing order"
        );
        // A missing file has no rows; a folder without documents/ is not an output folder.
        let mut none = DocStream::open(dir.join("nope.parquet"), &["doc_id"]).unwrap();
        assert!(none.take("a").unwrap().is_empty());
        assert!(buckets(std::slice::from_ref(&dir)).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
