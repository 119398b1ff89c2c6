//! `govdocs run`: discover the inputs, find what changed since the output folder's manifests,
//! parse the new and changed documents in a rayon pool, and write the buckets that changed,
//! streaming, a bounded chunk of documents at a time.
//!
//! Layout of the output folder (see `docs/schema.md`): every document goes to bucket
//! `first 64 bits of doc_id % B`; each dataset folder holds `part-BBBBB.parquet` per non-empty
//! bucket; `_manifest/bucket-BBBBB.json` records the inputs behind each bucket's files;
//! `_runs/` holds one record per run. A bucket whose inputs did not change is not touched.

use crate::bucket::{self, Entry, Job, Parsed, Step, Writer};
use crate::config::{Resolved, Shard};
use crate::discover::discover;

use crate::manifest::{self, InputEntry, Manifest, MANIFEST_DIR, RUNS_DIR, TMP_PREFIX};
use crate::plan::{self, bucket_of, Input};
use crate::process::{process_file, Outcome};
use anyhow::{bail, Context, Result};
use govdocs_core::PARSER_VERSION;
use govdocs_output::{Dataset, DocumentRow};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::IsTerminal;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

/// Documents parsed per chunk at most. At most [`CHUNKS_AHEAD`] chunks are parsed or waiting
/// while one is written, so memory depends on the chunk size, not on the corpus.
const CHUNK_DOCS: usize = 16;

/// Chunks handed to the workers ahead of the one being written. More than one, so that the
/// workers keep parsing while the writer finishes a bucket (encoding its last row groups and
/// syncing its files takes longer than parsing a chunk).
const CHUNKS_AHEAD: usize = 3;

/// Input bytes per chunk at most (a chunk holds at least one document).
const CHUNK_BYTES: u64 = 16 << 20;

/// Set when SIGINT or SIGTERM asks the run to stop: no new chunk is started, the bucket being
/// written is abandoned (its old files and manifest stay; the next run writes it) and the run
/// record says `interrupted`.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Most worker threads a run starts: a few per core is plenty (parsing is CPU-bound).
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(4, |n| n.get());
    (cores * 4).max(16)
}

/// The error a run stops with when [`STOP`] is set.
#[derive(Debug)]
struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "interrupted by a signal")
    }
}

impl std::error::Error for Interrupted {}

/// How to run, beyond the pipeline file.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Draw a progress bar (on a terminal only).
    pub progress: bool,
    /// Parse and write everything again, ignoring the manifests.
    pub full_refresh: bool,
    /// Handle only this shard's buckets.
    pub shard: Option<Shard>,
    /// Remove the rows of any number of gone inputs (see [`guard_removals`]).
    pub allow_removals: bool,
}

/// What a run did, for the closing summary and the exit code.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Inputs found.
    pub inputs: usize,
    /// Inputs (re)processed by this run whose document parsed.
    pub ok: usize,
    /// Inputs (re)processed by this run whose document failed.
    pub failed: usize,
    /// Inputs left as they were: same content and parser version as in the output.
    pub skipped: usize,
    /// Inputs of the previous run that are gone: their rows were dropped.
    pub removed: usize,
    /// Failed documents in the output after the run (this shard's buckets), skipped ones included.
    pub failed_in_output: usize,
    /// Inputs read to compute their content hash.
    pub hashed: usize,
    /// Buckets whose files were written.
    pub buckets_written: usize,
    /// Buckets whose files were removed (all their inputs gone).
    pub buckets_removed: usize,
    /// Sections written for the documents parsed.
    pub sections: usize,
    /// Tables found in the documents parsed.
    pub tables: usize,
    /// Trusted amounts written to `line_items` for the documents parsed.
    pub line_items: usize,
    /// Checks run on the documents parsed.
    pub checks: usize,
    /// Checks failed.
    pub checks_failed: usize,
    /// Bytes of the documents parsed.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub elapsed: f64,
    /// Quality figures of the documents parsed (standard tables, verified amounts, totals).
    pub quality: govdocs_report::figures::RunFigures,
    /// The run was stopped by SIGINT or SIGTERM before it finished.
    pub interrupted: bool,
}

/// The run record written to `_runs/`: when, how, and what the run did. Never in a dataset.
#[derive(Serialize)]
struct RunRecord<'a> {
    pipeline: &'a str,
    interrupted: bool,
    input_root: String,
    started: String,
    finished: String,
    shard: Option<String>,
    full_refresh: bool,
    buckets: u32,
    threads: usize,
    parser_version: &'a str,
    output: String,
    summary: &'a Summary,
}

/// What to do with one bucket.
enum Plan {
    /// Nothing changed.
    Clean,
    /// Same documents at the same paths, only file times or sizes changed: new manifest only.
    Touch(Manifest),
    /// Write the bucket's files.
    Write(Job),
    /// All inputs gone: remove the files and the manifest.
    Remove,
}

/// A unit of the streamed work, in write order.
enum Unit {
    Begin(Box<Job>),
    Step(Step),
    End,
}

/// A unit once processed.
enum Done {
    Begin(Box<Job>),
    Keep(String),
    Parsed(Box<Parsed>),
    End,
}

/// Run a resolved pipeline.
pub fn run(p: &Resolved, opts: &RunOptions) -> Result<Summary> {
    let started = SystemTime::now();
    let clock = Instant::now();
    let nb = p.options.buckets;
    if let Some(s) = opts.shard {
        if s.count > nb {
            bail!(
                "--shard {s}: {} shards for {nb} buckets; use at most as many shards as buckets \
                 (options.buckets in the pipeline)",
                s.count
            );
        }
    }
    let owns = |b: u32| opts.shard.is_none_or(|s| s.owns(b));
    let found = discover(&p.inputs, &p.options.extensions)?;
    let root = found.root.display().to_string();
    let files = found.files;
    let out = &p.output;
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output folder {}", out.display()))?;
    let _lock = crate::lock::lock(out, opts.shard)?;
    let manifests = manifest::load_all(out)?;
    let folder = manifest::folder_buckets(&manifests);
    let mut wipe = false;
    match folder {
        Ok(Some(fb)) if fb != nb => {
            if !opts.full_refresh {
                bail!(
                    "the output folder {} was written with {fb} buckets but the pipeline asks for \
                     {nb}; run with --full-refresh to rewrite it with {nb}",
                    out.display()
                );
            }
            wipe = true;
        }
        Ok(_) => {}
        Err(e) if !opts.full_refresh => return Err(e),
        Err(_) => wipe = true,
    }
    if wipe && opts.shard.is_some() {
        bail!(
            "changing the bucket count of {} needs a --full-refresh run without --shard",
            out.display()
        );
    }
    tracing::info!(pipeline = %p.name, inputs = files.len(), input_root = %found.root.display(),
        output = %out.display(), buckets = nb,
        shard = %opts.shard.map(|s| s.to_string()).unwrap_or_else(|| "all".into()),
        full_refresh = opts.full_refresh, "run started");
    if files.is_empty() {
        tracing::warn!("no input found: check the input paths and options.extensions");
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(p.threads)
        .build()
        .context("cannot start worker threads")?;
    let previous: HashMap<String, &InputEntry> = if opts.full_refresh || wipe {
        HashMap::new()
    } else {
        manifests
            .values()
            .flat_map(|m| m.inputs.iter().map(|e| (e.path.clone(), e)))
            .collect()
    };
    let inputs = pool.install(|| plan::inputs(&files, &previous));
    drop(previous);
    guard_removals(
        out,
        &manifests,
        &inputs,
        &owns,
        &p.options,
        opts.allow_removals,
    )?;
    remove_leftovers(out, &owns, opts.shard.is_none(), nb, wipe)?;
    let manifests = if wipe { BTreeMap::new() } else { manifests };
    let mut s = Summary {
        inputs: inputs.len(),
        hashed: inputs.iter().filter(|i| i.hashed).count(),
        ..Summary::default()
    };
    drop(files);
    // Inputs each bucket's previous run had that are gone now.
    let present: HashSet<&str> = inputs.iter().map(|i| i.path.as_str()).collect();
    let gone: BTreeMap<u32, usize> = manifests
        .iter()
        .map(|(b, m)| {
            let n = m
                .inputs
                .iter()
                .filter(|e| !present.contains(e.path.as_str()));
            (*b, n.count())
        })
        .collect();
    drop(present);
    let mut by_bucket: BTreeMap<u32, Vec<Input>> = BTreeMap::new();
    for i in inputs {
        let b = bucket_of(&i.doc_id, nb);
        if owns(b) {
            by_bucket.entry(b).or_default().push(i);
        }
    }

    // Decide per bucket.
    let mut plans = Vec::new();
    for b in (0..nb).filter(|&b| owns(b)) {
        let mut ins = by_bucket.remove(&b).unwrap_or_default();
        ins.sort_by(|x, y| x.path.cmp(&y.path));
        let m = manifests.get(&b);
        s.removed += gone.get(&b).copied().unwrap_or(0);
        let plan = plan_bucket(out, b, nb, ins, m, opts.full_refresh, &root);
        plans.push(plan);
    }

    // Buckets whose manifest alone changes, and buckets to remove.
    let mut jobs = Vec::new();
    for (b, plan) in (0..nb).filter(|&b| owns(b)).zip(plans) {
        match plan {
            Plan::Clean => {
                // An empty bucket without files is clean too.
                if let Some(m) = manifests.get(&b) {
                    s.skipped += m.inputs.len();
                    s.failed_in_output += failed_inputs(m);
                }
            }
            Plan::Touch(m) => {
                m.save(out)?;
                s.skipped += m.inputs.len();
                s.failed_in_output += failed_inputs(&m);
            }
            Plan::Remove => {
                bucket::remove(out, b)?;
                s.buckets_removed += 1;
            }
            Plan::Write(job) => jobs.push(job),
        }
    }
    // From here on: the jobs (their inputs and previous manifests), the chunks in flight and the
    // open bucket.
    drop(manifests);

    // Stream the buckets to write: parse chunks ahead while the oldest parsed one is written.
    let to_parse = jobs
        .iter()
        .map(|j| {
            j.steps()
                .iter()
                .filter(|s| matches!(s, Step::Parse(_)))
                .count()
        })
        .sum::<usize>();
    let bar = if opts.progress && std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(to_parse as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} docs {elapsed_precise} {msg}")
            .expect("valid template"),
    );
    let chunks = chunks(jobs);
    let mut sink = Sink {
        out,
        current: None,
        summary: &mut s,
    };
    let streamed = pool.install(|| stream(chunks, &mut sink, &bar));
    bar.finish_and_clear();
    drop(sink);
    match streamed {
        Ok(()) => {}
        Err(e) if e.is::<Interrupted>() => s.interrupted = true,
        Err(e) => return Err(e),
    }
    // Publish the finished state, then remove the files it no longer lists.
    manifest::publish(out)?;
    let all_buckets = |_: u32| true;
    let gc: &dyn Fn(u32) -> bool = if opts.shard.is_none() {
        &all_buckets
    } else {
        &owns
    };
    let unlisted = bucket::remove_unlisted(out, gc)?;
    tracing::debug!(files = unlisted, "removed files no longer listed");
    s.elapsed = clock.elapsed().as_secs_f64();
    write_record(p, opts, &found.root, started, &s)?;
    Ok(s)
}

/// Refuse a run that would remove more than `options.max_removed_share` of the documents the
/// output folder's buckets (this shard's) hold, or all of them, because their inputs are gone:
/// an unmounted share or a mistyped input must not wipe the datasets. A document is gone when
/// neither its path nor its content is among the inputs.
fn guard_removals(
    out: &Path,
    manifests: &BTreeMap<u32, Manifest>,
    inputs: &[Input],
    owns: &dyn Fn(u32) -> bool,
    options: &crate::config::Options,
    allowed: bool,
) -> Result<()> {
    if allowed || options.allow_removals {
        return Ok(());
    }
    let paths: HashSet<&str> = inputs.iter().map(|i| i.path.as_str()).collect();
    let ids: HashSet<&str> = inputs.iter().map(|i| i.doc_id.as_str()).collect();
    let held: Vec<&InputEntry> = manifests
        .iter()
        .filter(|(b, _)| owns(**b))
        .flat_map(|(_, m)| &m.inputs)
        .collect();
    let gone = held
        .iter()
        .filter(|e| !paths.contains(e.path.as_str()) && !ids.contains(e.doc_id.as_str()))
        .count();
    if gone == 0 {
        return Ok(());
    }
    let share = gone as f64 / held.len() as f64;
    if gone == held.len() || share > options.max_removed_share {
        bail!(
            "refusing to remove {gone} of the {} documents in {} ({:.0}%, more than \
             options.max_removed_share = {}): their inputs are gone ({} inputs found). If the inputs \
             were removed on purpose, run again with --allow-removals",
            held.len(),
            out.display(),
            share * 100.0,
            options.max_removed_share,
            inputs.len()
        );
    }
    Ok(())
}

/// Inputs of a bucket whose document failed.
fn failed_inputs(m: &Manifest) -> usize {
    m.inputs.iter().filter(|e| e.status != "ok").count()
}

/// Decide what to do with bucket `b`, whose inputs now are `ins` (sorted by path).
fn plan_bucket(
    out: &Path,
    b: u32,
    nb: u32,
    ins: Vec<Input>,
    m: Option<&Manifest>,
    full_refresh: bool,
    root: &str,
) -> Plan {
    if ins.is_empty() {
        return if m.is_some() {
            Plan::Remove
        } else {
            Plan::Clean
        };
    }
    let rebuild = |previous: Option<&Manifest>| {
        Plan::Write(Job {
            bucket: b,
            buckets: nb,
            inputs: ins.clone(),
            keep: HashSet::new(),
            previous: previous.cloned(),
            input_root: root.to_string(),
        })
    };
    let Some(m) = m else {
        return rebuild(None);
    };
    let trusted = m.complete
        && m.buckets == nb
        && m.parser_version == PARSER_VERSION
        && bucket::files_in_place(out, m);
    if full_refresh || !trusted {
        return rebuild(Some(m));
    }
    let same_docs = m.inputs.len() == ins.len()
        && m.inputs
            .iter()
            .zip(&ins)
            .all(|(e, i)| e.path == i.path && e.doc_id == i.doc_id);
    if same_docs {
        let same_stat = m
            .inputs
            .iter()
            .zip(&ins)
            .all(|(e, i)| e.size == i.size && e.mtime_ns == i.mtime_ns);
        if same_stat && m.input_root == root {
            return Plan::Clean;
        }
        let mut m2 = m.clone();
        m2.input_root = root.to_string();
        for (e, i) in m2.inputs.iter_mut().zip(&ins) {
            e.size = i.size;
            e.mtime_ns = i.mtime_ns;
        }
        return Plan::Touch(m2);
    }
    // Documents already in the bucket keep their rows; the others are parsed.
    let had: HashSet<&str> = m.inputs.iter().map(|e| e.doc_id.as_str()).collect();
    let keep: HashSet<String> = ins
        .iter()
        .filter(|i| had.contains(i.doc_id.as_str()))
        .map(|i| i.doc_id.clone())
        .collect();
    Plan::Write(Job {
        bucket: b,
        buckets: nb,
        inputs: ins,
        keep,
        previous: Some(m.clone()),
        input_root: root.to_string(),
    })
}

/// Cut the jobs' steps into chunks of at most [`CHUNK_DOCS`] documents to parse or
/// [`CHUNK_BYTES`] of input, made one at a time as the run asks for them (so only the chunks in
/// flight hold copies of their inputs).
fn chunks(jobs: Vec<Job>) -> impl Iterator<Item = Vec<Unit>> + Send {
    let mut units = jobs.into_iter().flat_map(|job| {
        let steps = job.steps();
        std::iter::once(Unit::Begin(Box::new(job)))
            .chain(steps.into_iter().map(Unit::Step))
            .chain(std::iter::once(Unit::End))
    });
    let mut next: Option<Unit> = None;
    std::iter::from_fn(move || {
        let (mut cur, mut docs, mut bytes) = (Vec::new(), 0usize, 0u64);
        while let Some(u) = next.take().or_else(|| units.next()) {
            if let Unit::Step(Step::Parse(i)) = &u {
                if docs > 0 && (docs >= CHUNK_DOCS || bytes + i.size > CHUNK_BYTES) {
                    next = Some(u);
                    break;
                }
                docs += 1;
                bytes += i.size;
            }
            cur.push(u);
        }
        (!cur.is_empty()).then_some(cur)
    })
}

/// A chunk's parsed documents, once its job has run (a panic kept to be raised in the writer).
type Slot = Arc<Mutex<Option<std::thread::Result<Vec<Done>>>>>;

/// Parse the chunks in the pool and write them in order: up to [`CHUNKS_AHEAD`] chunks are
/// spawned (first in, first out) ahead of the one the calling thread writes. Waiting for a
/// chunk, the writer parses too, so no thread waits while there is work. Call it on a pool
/// thread (inside `install`).
fn stream(
    chunks: impl Iterator<Item = Vec<Unit>> + Send,
    sink: &mut Sink<'_>,
    bar: &ProgressBar,
) -> Result<()> {
    rayon::scope_fifo(|scope| {
        let mut chunks = chunks.fuse();
        let mut window: VecDeque<Slot> = VecDeque::with_capacity(CHUNKS_AHEAD);
        loop {
            if STOP.load(Ordering::SeqCst) {
                // The chunks in flight finish parsing (the scope waits for them); nothing more
                // is written.
                return Err(Interrupted.into());
            }
            while window.len() < CHUNKS_AHEAD {
                let Some(chunk) = chunks.next() else { break };
                let slot: Slot = Arc::default();
                let filled = Arc::clone(&slot);
                scope.spawn_fifo(move |_| {
                    let parsed = catch_unwind(AssertUnwindSafe(|| parse_chunk(chunk, bar)));
                    *lock(&filled) = Some(parsed);
                });
                window.push_back(slot);
            }
            let Some(next) = window.pop_front() else {
                return Ok(());
            };
            match wait_for(&next) {
                Ok(done) => sink.consume(done)?,
                Err(panic) => resume_unwind(panic),
            }
        }
    })
}

/// Take a chunk's result, running other pool jobs (or, with none left, yielding the core)
/// until its job has filled it.
fn wait_for(slot: &Slot) -> std::thread::Result<Vec<Done>> {
    let mut idle = 0u32;
    loop {
        if let Some(r) = lock(slot).take() {
            return r;
        }
        if rayon::yield_now() == Some(rayon::Yield::Executed) {
            idle = 0;
        } else if idle < 100 {
            idle += 1;
            std::thread::yield_now();
        } else {
            std::thread::sleep(std::time::Duration::from_micros(50));
        }
    }
}

/// Lock a slot; a panic while it was held cannot leave it half-written (it holds an `Option`).
fn lock(slot: &Slot) -> std::sync::MutexGuard<'_, Option<std::thread::Result<Vec<Done>>>> {
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Parse a chunk's documents in parallel, keeping the order.
fn parse_chunk(chunk: Vec<Unit>, bar: &ProgressBar) -> Vec<Done> {
    chunk
        .into_par_iter()
        .map(|u| match u {
            Unit::Begin(j) => Done::Begin(j),
            Unit::End => Done::End,
            Unit::Step(Step::Keep(id)) => Done::Keep(id),
            Unit::Step(Step::Parse(input)) => {
                let o = parse(&input);
                if o.ok() {
                    tracing::debug!(path = %input.path, sections = o.document.n_sections, "parsed");
                } else {
                    tracing::warn!(path = %input.path, error = o.document.error.as_deref().unwrap_or(""), "document failed");
                }
                bar.inc(1);
                Done::Parsed(Box::new(Parsed::from(o)))
            }
        })
        .collect()
}

/// Parse one input, making sure its rows carry the id it was planned under: a file that could
/// not be read keeps its planned id (its row has no other rows); a file whose content changed
/// since it was hashed fails (the next run reads it again).
fn parse(input: &Input) -> Outcome {
    let mut o = process_file(&input.file);
    if o.document.doc_id != input.doc_id {
        if o.ok() || o.parsed.is_some() {
            o = Outcome {
                document: DocumentRow {
                    doc_id: input.doc_id.clone(),
                    source_path: input.path.clone(),
                    source_format: "unknown".into(),
                    bytes: input.size,
                    status: "failed".into(),
                    error: Some(
                        "file changed while the run was reading it; the next run reads it again"
                            .into(),
                    ),
                    parser_version: PARSER_VERSION.into(),
                    ..Default::default()
                },
                parsed: None,
            };
        } else {
            o.document.doc_id = input.doc_id.clone();
        }
    }
    o
}

/// The writing side of the stream: one bucket open at a time.
struct Sink<'a> {
    out: &'a Path,
    current: Option<Writer>,
    summary: &'a mut Summary,
}

impl Sink<'_> {
    fn consume(&mut self, done: Vec<Done>) -> Result<()> {
        // Consecutive documents of a bucket are handed to its writer as one run.
        let mut run: Vec<Entry> = Vec::new();
        for d in done {
            match d {
                Done::Keep(id) => run.push(Entry::Keep(id)),
                Done::Parsed(p) => {
                    let s = &mut *self.summary;
                    let d = &p.document;
                    s.bytes += d.bytes;
                    s.sections += d.n_sections as usize;
                    s.tables += d.n_tables as usize;
                    s.line_items += p.batches[3].num_rows();
                    s.checks += d.n_checks as usize;
                    s.checks_failed += d.n_checks_failed as usize;
                    let b = &p.batches;
                    crate::report::count(&mut s.quality, d, &b[1], &b[2], &b[4]);
                    run.push(Entry::Parsed(p));
                }
                Done::Begin(job) => {
                    self.flush(&mut run)?;
                    self.current = Some(Writer::start(self.out, *job)?);
                }
                Done::End => {
                    self.flush(&mut run)?;
                    let w = self.current.take().expect("a bucket is open");
                    let f = w.finish()?;
                    let s = &mut *self.summary;
                    s.skipped += f.unchanged;
                    s.ok += f.ok;
                    s.failed += f.failed;
                    s.buckets_written += 1;
                    s.failed_in_output += failed_inputs(&f.manifest);
                }
            }
        }
        self.flush(&mut run)
    }

    /// Hand the documents gathered so far to the open bucket.
    fn flush(&mut self, run: &mut Vec<Entry>) -> Result<()> {
        if run.is_empty() {
            return Ok(());
        }
        self.current
            .as_mut()
            .expect("a bucket is open")
            .add(std::mem::take(run))
    }
}

/// Remove what an interrupted run left: temporary files of this run's buckets and part files
/// neither a manifest nor the published state lists; without a shard, manifests of buckets
/// beyond the bucket count; with `wipe`, every manifest (the bucket count changes). Files of
/// removed manifests stay while the published state lists them: the run removes them once it
/// has published the new state, so readers never find the folder empty.
fn remove_leftovers(
    out: &Path,
    owns: &dyn Fn(u32) -> bool,
    all_shards: bool,
    nb: u32,
    wipe: bool,
) -> Result<()> {
    let tmp_bucket = |name: &str| -> Option<u32> {
        let rest = name.strip_prefix(TMP_PREFIX)?;
        let rest = rest
            .strip_prefix("part-")
            .or_else(|| rest.strip_prefix("bucket-"))?;
        rest.get(..5)?.parse().ok()
    };
    let mut dirs: Vec<String> = Dataset::ALL.iter().map(|d| d.name().to_string()).collect();
    dirs.push(MANIFEST_DIR.to_string());
    for dir in dirs {
        let d = out.join(&dir);
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut removed = false;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let stale_tmp =
                name.starts_with(TMP_PREFIX) && (all_shards || tmp_bucket(&name).is_some_and(owns));
            let bucket = if dir == MANIFEST_DIR {
                name.strip_prefix("bucket-")
                    .and_then(|n| n.strip_suffix(".json"))
                    .and_then(|n| n.parse::<u32>().ok())
            } else {
                None
            };
            let stale_bucket = bucket.is_some_and(|b| wipe || (all_shards && b >= nb));
            if stale_tmp || stale_bucket {
                std::fs::remove_file(e.path())
                    .with_context(|| format!("cannot remove {}", e.path().display()))?;
                removed = true;
            }
        }
        if removed {
            let _ = govdocs_output::sync_dir(&d);
        }
    }
    if !wipe {
        bucket::remove_unlisted(out, owns)?;
    }
    Ok(())
}

/// Write the run record `_runs/<UTC start>-<shard>.json`.
fn write_record(
    p: &Resolved,
    opts: &RunOptions,
    root: &Path,
    started: SystemTime,
    s: &Summary,
) -> Result<()> {
    let start = manifest::utc(started);
    let shard_tag = opts
        .shard
        .map(|s| format!("shard-{}-of-{}", s.index, s.count))
        .unwrap_or_else(|| "all".into());
    let record = RunRecord {
        pipeline: &p.name,
        interrupted: s.interrupted,
        input_root: root.display().to_string(),
        started: start.clone(),
        finished: manifest::utc(SystemTime::now()),
        shard: opts.shard.map(|s| s.to_string()),
        full_refresh: opts.full_refresh,
        buckets: p.options.buckets,
        threads: p.threads,
        parser_version: PARSER_VERSION,
        output: p.output.display().to_string(),
        summary: s,
    };
    let mut text = serde_json::to_vec_pretty(&record).expect("serialisable");
    text.push(b'\n');
    let stamp: String = start.chars().filter(|c| !matches!(c, '-' | ':')).collect();
    let name = format!("{stamp}-{shard_tag}.json");
    manifest::write_atomic(
        &p.output.join(RUNS_DIR).join(&name),
        &format!("{TMP_PREFIX}run-{shard_tag}.{}", std::process::id()),
        &text,
    )
}

impl Summary {
    /// One line for a person: what was processed, skipped and removed, rows, bytes, time.
    pub fn line(&self) -> String {
        let mb = self.bytes as f64 / 1e6;
        format!(
            "documents: {} ok, {} failed; {} unchanged (skipped), {} removed, {} failed in the output; buckets: {} written, {} removed; sections: {}; tables: {}; line items: {}; checks: {} ({} failed); {:.2} MB in {:.2} s ({:.1} MB/s)",
            self.ok,
            self.failed,
            self.skipped,
            self.removed,
            self.failed_in_output,
            self.buckets_written,
            self.buckets_removed,
            self.sections,
            self.tables,
            self.line_items,
            self.checks,
            self.checks_failed,
            mb,
            self.elapsed,
            if self.elapsed > 0.0 {
                mb / self.elapsed
            } else {
                0.0
            }
        )
    }
}
