//! `govdocs run`: discover inputs, process them in a rayon pool, write the datasets, summarise.

use crate::config::Resolved;
use crate::discover::discover;
use crate::process::{process_file, Outcome};
use anyhow::{Context, Result};
use govdocs_output::facts::{cells_batch, checks_batch, line_items_batch, tables_batch};
use govdocs_output::rows::{documents_batch, sections_batch};
use govdocs_output::{write_dataset, Dataset};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::time::Instant;

/// What a run did, for the closing summary and the exit code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Documents parsed.
    pub ok: usize,
    /// Documents that failed.
    pub failed: usize,
    /// Sections written.
    pub sections: usize,
    /// Tables found.
    pub tables: usize,
    /// Trusted amounts written to `line_items`.
    pub line_items: usize,
    /// Checks run.
    pub checks: usize,
    /// Checks failed.
    pub checks_failed: usize,
    /// Input bytes read.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub elapsed: f64,
}

/// File name of the single part each dataset holds after a run.
const PART: &str = "part-00000.parquet";

/// Run a resolved pipeline.
pub fn run(p: &Resolved, progress: bool) -> Result<Summary> {
    let start = Instant::now();
    let files = discover(&p.inputs, &p.options.extensions)?;
    tracing::info!(pipeline = %p.name, inputs = files.len(), output = %p.output.display(), "run started");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(p.threads)
        .build()
        .context("cannot start worker threads")?;
    let bar = if progress && std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} docs {elapsed_precise} {msg}")
            .expect("valid template"),
    );
    let outcomes: Vec<Outcome> = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                let o = process_file(f);
                if o.ok() {
                    tracing::debug!(path = %f.display(), sections = o.sections.len(), "parsed");
                } else {
                    tracing::warn!(path = %f.display(), error = o.document.error.as_deref().unwrap_or(""), "document failed");
                }
                bar.inc(1);
                o
            })
            .collect()
    });
    bar.finish_and_clear();
    let mut s = Summary::default();
    for o in &outcomes {
        if o.ok() {
            s.ok += 1;
        } else {
            s.failed += 1;
        }
        s.bytes += o.document.bytes;
        s.sections += o.sections.len();
        s.tables += o.tables.len();
        s.line_items += o.line_items.len();
        s.checks += o.checks.len();
        s.checks_failed += o.checks.iter().filter(|c| c.status == "fail").count();
    }
    let write = |ds: Dataset, batch: arrow_array::RecordBatch| -> Result<()> {
        write_dataset(&p.output, ds, PART, &batch)
            .with_context(|| format!("cannot write the {} dataset", ds.name()))?;
        Ok(())
    };
    let (mut sections, mut tables, mut cells, mut items, mut checks, mut documents) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for o in outcomes {
        sections.extend(o.sections);
        tables.extend(o.tables);
        cells.extend(o.cells);
        items.extend(o.line_items);
        checks.extend(o.checks);
        documents.push(o.document);
    }
    // Facts first, documents last: a reader who sees a document sees its rows.
    write(Dataset::Sections, sections_batch(&sections))?;
    write(Dataset::Tables, tables_batch(&tables))?;
    write(Dataset::Cells, cells_batch(&cells))?;
    write(Dataset::LineItems, line_items_batch(&items))?;
    write(Dataset::Checks, checks_batch(&checks))?;
    write(Dataset::Documents, documents_batch(&documents))?;
    s.elapsed = start.elapsed().as_secs_f64();
    Ok(s)
}

impl Summary {
    /// One line for a person: counts, bytes, time and throughput.
    pub fn line(&self) -> String {
        let mb = self.bytes as f64 / 1e6;
        format!(
            "documents: {} ok, {} failed; sections: {}; tables: {}; line items: {}; checks: {} ({} failed); {:.2} MB in {:.2} s ({:.1} MB/s)",
            self.ok,
            self.failed,
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
