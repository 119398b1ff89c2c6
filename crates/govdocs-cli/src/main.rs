//! The `govdocs` command: `run` a pipeline over an archive, `inspect` one document.
//!
//! Exit codes: 0 every document the run processed parsed; 1 at least one document processed by
//! this run failed (each has its row in `documents` with the error; failed documents left
//! unchanged from an earlier run are counted in the summary but do not set the exit code); 2 the
//! run itself could not be done (bad pipeline file, missing input, unwritable output, a bucket
//! count that differs from the output folder's, an invalid shard).

mod bucket;
mod config;
mod discover;
mod inspect;
mod manifest;
use govdocs_cli::pdf_input;
mod plan;
mod process;
mod report;
mod run;

/// mimalloc: the parser allocates many small strings per line, and glibc malloc/free took about
/// a quarter of its time (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// govdocs: turn government budget and final-account disclosures into checked Parquet datasets.
#[derive(Parser)]
#[command(name = "govdocs", version, about)]
struct Cli {
    /// Log format on standard error.
    #[arg(long, value_enum, default_value_t = LogFormat::Human, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Human,
    /// One JSON object per line.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run a pipeline (TOML) and write the datasets.
    Run {
        /// The pipeline definition, e.g. pipelines/samples.toml.
        pipeline: PathBuf,
        /// Inputs (files, folders or globs) replacing the pipeline's.
        #[arg(long = "input", short = 'i')]
        inputs: Vec<PathBuf>,
        /// Output folder replacing the pipeline's.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// Worker threads (0 = one per core).
        #[arg(long, short = 't')]
        threads: Option<usize>,
        /// Do not draw a progress bar even on a terminal.
        #[arg(long)]
        no_progress: bool,
        /// Parse and write every document again, ignoring what the output folder holds (also
        /// needed to change the pipeline's bucket count for an existing output folder).
        #[arg(long)]
        full_refresh: bool,
        /// Handle only shard I of N (I from 0 to N-1): the buckets b with b % N == I, chosen by
        /// content hash, so N runs (machines, array jobs) split an archive between them.
        #[arg(long, value_name = "I/N")]
        shard: Option<config::Shard>,
    },
    /// Write the quality report of output folders to <first folder>/_report.
    Report {
        /// The output folder (or the shard folders of one run).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Write the report here instead.
        #[arg(long)]
        out: Option<PathBuf>,
        /// A folder relative source paths start from (repeatable), to show source lines and pages.
        #[arg(long = "sources")]
        sources: Vec<PathBuf>,
        /// Do not draw the pages of PDF tables (pdftoppm).
        #[arg(long)]
        no_page_images: bool,
    },
    /// Print a document's metadata and section tree.
    Inspect {
        /// The document to read.
        file: PathBuf,
        /// Also print every parsed table's rows and values.
        #[arg(long)]
        rows: bool,
    },
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GOVDOCS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    match format {
        LogFormat::Human => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Keep the C allocator (used by ZSTD inside the Parquet writer, which creates a compression
/// context per column chunk) from serving those contexts with fresh `mmap`s that are zeroed by
/// page faults and unmapped again: they come from the heap and are reused (a third of the
/// run's page faults, about 3% of its CPU).
fn tune_c_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

/// `mi_option_purge_delay` in mimalloc 3 (`mi_option_e`, the version the `mimalloc` crate bundles).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keep mimalloc from returning freed pages to the OS: the run frees and reuses the same memory
/// for every document, and each return cost a page fault that zeroed a 2 MB huge page when the
/// memory was used again (5 044 → 1 794 minor faults on the 50 MB corpus, same peak RSS). Set
/// only for mimalloc 3, whose option numbering this is.
fn tune_mimalloc() {
    // SAFETY: reading the version and setting an option of the allocator, before other threads
    // start.
    unsafe {
        if libmimalloc_sys::mi_version() / 10_000 == 3 {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
}

fn main() -> ExitCode {
    tune_c_allocator();
    tune_mimalloc();
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match cli.command {
        Command::Run {
            pipeline,
            inputs,
            output,
            threads,
            no_progress,
            full_refresh,
            shard,
        } => {
            let overrides = config::Overrides {
                inputs,
                output,
                threads,
            };
            let resolved = match config::load(&pipeline, &overrides) {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!("{e:#}");
                    return ExitCode::from(2);
                }
            };
            let opts = run::RunOptions {
                progress: !no_progress,
                full_refresh,
                shard,
            };
            match run::run(&resolved, &opts) {
                Ok(s) => {
                    tracing::info!(
                        ok = s.ok,
                        failed = s.failed,
                        skipped = s.skipped,
                        removed = s.removed,
                        failed_in_output = s.failed_in_output,
                        sections = s.sections,
                        bytes = s.bytes,
                        elapsed_s = s.elapsed,
                        "run finished"
                    );
                    eprintln!("{}", s.line());
                    eprintln!("{}", s.quality.line());
                    if s.failed == 0 {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Err(e) => {
                    tracing::error!("{e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Report {
            dirs,
            out,
            sources,
            no_page_images,
        } => report::report(dirs, out, sources, !no_page_images),
        Command::Inspect { file, rows } => match inspect::inspect(&file, rows) {
            Ok((text, ok)) => {
                print!("{text}");
                if ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                }
            }
            Err(e) => {
                tracing::error!("{e:#}");
                ExitCode::from(2)
            }
        },
    }
}
