//! Writing one bucket: its six Parquet files aside, in a fixed order, from rows copied out of the
//! bucket's previous files (unchanged documents) and rows of freshly parsed documents; then the
//! files renamed into place and the bucket's manifest written last.
//!
//! Order inside a bucket: `documents` by `source_path`; every other dataset by `doc_id`, then by
//! the row's position in its document. Both depend only on the bucket's inputs, so a bucket's
//! files are byte-identical however they were produced (full run, incremental run, any thread
//! count, any shard).

use crate::manifest::{self, FileEntry, InputEntry, Manifest, TMP_PREFIX};
use crate::plan::Input;
use crate::process::Outcome;
use anyhow::{Context, Result};
use arrow_array::RecordBatch;
use govdocs_core::PARSER_VERSION;
use govdocs_output::read::{concat, filter_doc_ids, read_all, take_with_column, DocRows};
use govdocs_output::rows::documents_batch;
use govdocs_output::{sync_dir, Dataset, DocumentRow, PartWriter, Written};
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The per-document datasets (all but `documents`), in [`Dataset::ALL`] order.
const CHILDREN: [Dataset; 5] = [
    Dataset::Sections,
    Dataset::Tables,
    Dataset::Cells,
    Dataset::LineItems,
    Dataset::Checks,
];

/// What to write for one bucket.
#[derive(Debug, Clone)]
pub struct Job {
    /// The bucket.
    pub bucket: u32,
    /// Bucket count of the output folder.
    pub buckets: u32,
    /// The bucket's inputs, sorted by path.
    pub inputs: Vec<Input>,
    /// Documents whose rows are copied from the bucket's current files instead of parsed.
    pub keep: HashSet<String>,
    /// The bucket's current manifest, when it is to be replaced.
    pub previous: Option<Manifest>,
    /// The absolute input root the inputs' paths are relative to.
    pub input_root: String,
}

/// One step of the writing of a job, in order: the documents of a bucket by `doc_id`.
#[derive(Debug, Clone)]
pub enum Step {
    /// Copy this document's rows from the bucket's current files.
    Keep(String),
    /// Parse this file, whose content hash is this id.
    Parse(Input),
}

impl Job {
    /// The steps of the job: each distinct document once, by `doc_id`; a document held by
    /// several paths is parsed from the first of them.
    pub fn steps(&self) -> Vec<Step> {
        let mut first: Vec<&Input> = Vec::new();
        let mut seen = HashSet::new();
        for i in &self.inputs {
            if seen.insert(i.doc_id.as_str()) {
                first.push(i);
            }
        }
        first.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
        first
            .into_iter()
            .map(|i| {
                if self.keep.contains(&i.doc_id) {
                    Step::Keep(i.doc_id.clone())
                } else {
                    Step::Parse(i.clone())
                }
            })
            .collect()
    }
}

/// Where a dataset's part file of bucket `b` with content hash `blake3` goes, relative to the
/// output folder.
fn rel(ds: Dataset, b: u32, blake3: &str) -> String {
    format!("{}/{}", ds.name(), manifest::part_name(b, blake3))
}

/// The file of dataset `ds` a manifest lists.
fn listed(m: &Manifest, ds: Dataset) -> Option<&FileEntry> {
    m.files
        .iter()
        .find(|f| f.path.split('/').next() == Some(ds.name()))
}

fn tmp_path(out: &Path, ds: Dataset, b: u32) -> PathBuf {
    out.join(ds.name())
        .join(format!("{TMP_PREFIX}part-{b:05}.{}", std::process::id()))
}

/// A bucket being written: the five per-document files open aside, `documents` kept for the end.
pub struct Writer {
    out: PathBuf,
    job: Job,
    parts: Vec<PartWriter>,
    old: Option<Vec<DocRows>>,
    old_documents: Option<RecordBatch>,
    new_documents: Vec<DocumentRow>,
    /// Per document: bit i set when it has rows in `CHILDREN[i]`.
    rows_in: HashMap<String, u8>,
}

/// A parsed document ready for a bucket: its `documents` row and its rows of the per-document
/// datasets as Arrow batches, in [`CHILDREN`] order. Built by the parsing workers, so the
/// (single) writer only encodes.
pub struct Parsed {
    /// The `documents` row.
    pub document: DocumentRow,
    /// `sections`, `tables`, `cells`, `line_items`, `checks`.
    pub batches: [RecordBatch; 5],
}

impl From<Outcome> for Parsed {
    /// Turn a document's rows into Arrow batches. Whatever goes wrong here (a value the
    /// datasets cannot hold, a bug in a row builder) fails this document alone: it gets a
    /// `failed` row naming the cause and no other rows.
    fn from(o: Outcome) -> Parsed {
        let built = catch_unwind(AssertUnwindSafe(|| o.batches()));
        match built {
            Ok(batches) => Parsed {
                batches,
                document: o.document,
            },
            Err(panic) => {
                let mut document = o.document;
                document.status = "failed".into();
                document.error = Some(format!(
                    "internal error (cannot store the document's rows): {}",
                    crate::process::panic_message(panic.as_ref())
                ));
                Parsed {
                    batches: CHILDREN.map(|d| RecordBatch::new_empty(d.schema())),
                    document,
                }
            }
        }
    }
}

/// One document of a run handed to [`Writer::add`].
pub enum Entry {
    /// A document whose rows are copied from the bucket's current files.
    Keep(String),
    /// A freshly parsed document.
    Parsed(Box<Parsed>),
}

/// What a finished bucket holds.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The manifest now in place.
    pub manifest: Manifest,
    /// Inputs at the same path with the same content as before (rows copied).
    pub unchanged: usize,
    /// Other inputs whose document parsed.
    pub ok: usize,
    /// Other inputs whose document failed.
    pub failed: usize,
}

impl Writer {
    /// Open the bucket's files aside and, when documents are kept, its current files for reading.
    pub fn start(out: &Path, job: Job) -> Result<Writer> {
        let b = job.bucket;
        let mut parts = Vec::new();
        for ds in CHILDREN {
            // The final name (with the content hash) is given when the file is finished.
            let tmp = tmp_path(out, ds, b);
            let w = PartWriter::create(tmp.clone(), tmp.clone(), ds)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            parts.push(w);
        }
        let (old, old_documents) = if job.keep.is_empty() {
            (None, None)
        } else {
            let prev = job
                .previous
                .as_ref()
                .context("kept documents without a previous manifest")?;
            let file = |ds: Dataset| -> Result<PathBuf> {
                listed(prev, ds)
                    .map(|f| out.join(&f.path))
                    .with_context(|| format!("bucket {b}'s manifest lists no {} file", ds.name()))
            };
            let mut readers = Vec::new();
            for ds in CHILDREN {
                let p = file(ds)?;
                readers.push(
                    DocRows::open(&p, &ds.schema())
                        .with_context(|| format!("cannot read {}", p.display()))?,
                );
            }
            let p = file(Dataset::Documents)?;
            let docs = read_all(&p, &Dataset::Documents.schema())
                .and_then(|d| filter_doc_ids(&d, &job.keep))
                .with_context(|| format!("cannot read {}", p.display()))?;
            (Some(readers), Some(docs))
        };
        Ok(Writer {
            out: out.to_path_buf(),
            job,
            parts,
            old,
            old_documents,
            new_documents: Vec::new(),
            rows_in: HashMap::new(),
        })
    }

    /// Append a run of documents, in order: kept documents' rows copied from the bucket's
    /// current files, parsed documents' rows from their batches. The five files are written in
    /// parallel, each receiving its rows in the run's order (so its bytes do not depend on it).
    pub fn add(&mut self, run: Vec<Entry>) -> Result<()> {
        use rayon::prelude::*;
        let bucket = self.job.bucket;
        let mut old: Vec<Option<&mut DocRows>> = match self.old.as_mut() {
            Some(readers) => readers.iter_mut().map(Some).collect(),
            None => CHILDREN.iter().map(|_| None).collect(),
        };
        // Per dataset, whether each entry of the run has rows in it.
        let has_rows: Vec<Vec<bool>> = self
            .parts
            .par_iter_mut()
            .zip(old.par_iter_mut())
            .enumerate()
            .map(|(i, (w, old))| -> Result<Vec<bool>> {
                let mut has = Vec::with_capacity(run.len());
                for e in &run {
                    match e {
                        Entry::Keep(id) => {
                            let r = old
                                .as_deref_mut()
                                .expect("a bucket with kept documents has readers");
                            let batches = r.take(id).with_context(|| {
                                format!(
                                    "cannot copy rows of {} from bucket {bucket}'s file",
                                    CHILDREN[i].name()
                                )
                            })?;
                            for b in &batches {
                                w.write(b).context("cannot write a dataset file")?;
                            }
                            has.push(batches.iter().any(|b| b.num_rows() > 0));
                        }
                        Entry::Parsed(p) => {
                            w.write(&p.batches[i])
                                .context("cannot write a dataset file")?;
                            has.push(p.batches[i].num_rows() > 0);
                        }
                    }
                }
                Ok(has)
            })
            .collect::<Result<_>>()?;
        for (k, e) in run.into_iter().enumerate() {
            let mask = (0..CHILDREN.len()).fold(0u8, |m, i| m | (u8::from(has_rows[i][k]) << i));
            match e {
                Entry::Keep(id) => {
                    self.rows_in.insert(id, mask);
                }
                Entry::Parsed(p) => {
                    self.rows_in.insert(p.document.doc_id.clone(), mask);
                    self.new_documents.push(p.document);
                }
            }
        }
        Ok(())
    }

    /// The `documents` rows: one per input path, in path order, each the row of its document
    /// (parsed now or copied) under its own path.
    fn documents(&self) -> Result<RecordBatch> {
        let schema = Dataset::Documents.schema();
        let fresh = documents_batch(&self.new_documents);
        let all = match &self.old_documents {
            Some(old) => concat(&schema, &[old.clone(), fresh])?,
            None => fresh,
        };
        let ids: &arrow_array::StringArray = all
            .column_by_name("doc_id")
            .and_then(|c| c.as_any().downcast_ref())
            .context("documents without doc_id")?;
        let mut at: HashMap<&str, u32> = HashMap::new();
        for i in 0..all.num_rows() {
            at.entry(ids.value(i)).or_insert(i as u32);
        }
        let mut idx = Vec::with_capacity(self.job.inputs.len());
        let mut paths = Vec::with_capacity(self.job.inputs.len());
        for input in &self.job.inputs {
            let i = at
                .get(input.doc_id.as_str())
                .with_context(|| format!("no documents row for {}", input.path))?;
            idx.push(*i);
            paths.push(input.path.clone());
        }
        Ok(take_with_column(&all, &idx, "source_path", &paths)?)
    }

    /// Write `documents`, sync the six files, rename them into place (per-document datasets
    /// first, `documents` last) and then write the bucket's manifest.
    pub fn finish(self) -> Result<Finished> {
        let out = self.out.clone();
        let b = self.job.bucket;
        let documents = self.documents()?;
        let doc_tmp = tmp_path(&out, Dataset::Documents, b);
        let mut doc_writer = PartWriter::create(doc_tmp.clone(), doc_tmp, Dataset::Documents)
            .context("cannot write the documents file")?;
        doc_writer
            .write(&documents)
            .context("cannot write the documents file")?;
        // The six files are finished (last row groups encoded, footers written, synced) in
        // parallel, then listed in `Dataset::ALL` order.
        let (parts, documents_written) = rayon::join(
            || {
                use rayon::prelude::*;
                self.parts
                    .into_par_iter()
                    .map(|w| w.finish().context("cannot write a dataset file"))
                    .collect::<Result<Vec<Written>>>()
            },
            || {
                doc_writer
                    .finish()
                    .context("cannot write the documents file")
            },
        );
        let mut written = parts?;
        written.push(documents_written?);
        // Name each file by its content: `Dataset::ALL` order is `CHILDREN` then `documents`.
        for (w, ds) in written
            .iter_mut()
            .zip(CHILDREN.iter().chain([&Dataset::Documents]))
        {
            w.path = out.join(rel(*ds, b, &w.blake3));
        }
        let statuses: &arrow_array::StringArray = documents
            .column_by_name("status")
            .and_then(|c| c.as_any().downcast_ref())
            .context("documents without status")?;
        let result = (|| -> Result<Manifest> {
            // New names: the old files stay in place (and the old manifest valid) until the new
            // manifest replaces it; they are removed after the run publishes its state.
            for w in &written {
                w.commit()
                    .with_context(|| format!("cannot rename {} into place", w.path.display()))?;
            }
            for ds in Dataset::ALL {
                let d = out.join(ds.name());
                sync_dir(&d).with_context(|| format!("cannot sync {}", d.display()))?;
            }
            let files: Vec<FileEntry> = Dataset::ALL
                .iter()
                .zip(&written)
                .map(|(ds, w)| FileEntry {
                    path: rel(*ds, b, &w.blake3),
                    rows: w.rows,
                    bytes: w.bytes,
                    blake3: w.blake3.clone(),
                })
                .collect();
            let inputs = self
                .job
                .inputs
                .iter()
                .enumerate()
                .map(|(row, i)| {
                    let mask = self.rows_in.get(&i.doc_id).copied().unwrap_or(0);
                    let mut files: Vec<String> = CHILDREN
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| mask & (1 << k) != 0)
                        .map(|(k, ds)| rel(*ds, b, &written[k].blake3))
                        .collect();
                    files.push(rel(Dataset::Documents, b, &written[CHILDREN.len()].blake3));
                    InputEntry {
                        path: i.path.clone(),
                        size: i.size,
                        mtime_ns: i.mtime_ns,
                        doc_id: i.doc_id.clone(),
                        status: statuses.value(row).to_string(),
                        files,
                    }
                })
                .collect();
            let m = Manifest {
                format: manifest::FORMAT,
                buckets: self.job.buckets,
                bucket: b,
                parser_version: PARSER_VERSION.to_string(),
                complete: true,
                files,
                inputs,
                input_root: self.job.input_root.clone(),
            };
            m.save(&out)?;
            Ok(m)
        })();
        for w in &written {
            w.discard();
        }
        let manifest = result?;
        let before: HashSet<(&str, &str)> = self
            .job
            .previous
            .iter()
            .flat_map(|m| &m.inputs)
            .filter(|e| self.job.keep.contains(&e.doc_id))
            .map(|e| (e.path.as_str(), e.doc_id.as_str()))
            .collect();
        let mut f = Finished {
            unchanged: 0,
            ok: 0,
            failed: 0,
            manifest: manifest.clone(),
        };
        for e in &manifest.inputs {
            if before.contains(&(e.path.as_str(), e.doc_id.as_str())) {
                f.unchanged += 1;
            } else if e.status == "ok" {
                f.ok += 1;
            } else {
                f.failed += 1;
            }
        }
        Ok(f)
    }
}

/// Forget bucket `b` (all its inputs are gone): remove its manifest. Its files stay listed in
/// the published state until the run publishes a new one, and are removed then.
pub fn remove(out: &Path, b: u32) -> Result<()> {
    manifest::remove(out, b)
}

/// True when every file the manifest lists is in place with its recorded size.
pub fn files_in_place(out: &Path, m: &Manifest) -> bool {
    m.files.len() == Dataset::ALL.len()
        && Dataset::ALL
            .iter()
            .zip(&m.files)
            .all(|(ds, f)| f.path == rel(*ds, m.bucket, &f.blake3))
        && m.files.iter().all(|f| {
            std::fs::metadata(out.join(&f.path)).is_ok_and(|md| md.is_file() && md.len() == f.bytes)
        })
}

/// Remove the part files of the buckets `owns` selects that no manifest of the folder lists:
/// files a run replaced (once it has published the new state), files of removed buckets, files
/// an interrupted run renamed into place before writing the manifest. Returns how many.
pub fn remove_unlisted(out: &Path, owns: &dyn Fn(u32) -> bool) -> Result<usize> {
    let all = manifest::load_all(out)?;
    let listed: HashSet<String> = all
        .values()
        .flat_map(|m| m.files.iter().map(|f| f.path.clone()))
        .chain(
            manifest::load_current(out)
                .into_iter()
                .flat_map(|c| c.datasets.into_values().flatten()),
        )
        .collect();
    let mut removed = 0;
    for ds in Dataset::ALL {
        let dir = out.join(ds.name());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut any = false;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(b) = manifest::part_bucket(&name) else {
                continue;
            };
            if !owns(b) || listed.contains(&format!("{}/{name}", ds.name())) {
                continue;
            }
            std::fs::remove_file(e.path())
                .with_context(|| format!("cannot remove {}", e.path().display()))?;
            any = true;
            removed += 1;
        }
        if any {
            let _ = sync_dir(&dir);
        }
    }
    Ok(removed)
}
