//! The `govdocs` command: `run` a pipeline over an archive, `inspect` one document.
//!
//! Exit codes: 0 every document the run processed parsed; 1 at least one document processed by
//! this run failed (each has its row in `documents` with the error; failed documents left
//! unchanged from an earlier run are counted in the summary but do not set the exit code); 2 the
//! run itself could not be done (bad pipeline file, missing input, unwritable output, a bucket
//! count that differs from the output folder's, an invalid shard, another run holding the output
//! folder, a run that would remove more documents than allowed), or was interrupted by SIGINT or
//! SIGTERM. No other exit code: a panic outside a document's isolation is logged and exits 2.

mod bucket;
mod config;
mod discover;
mod inspect;
mod lock;
mod manifest;
mod plan;
use govdocs_cli::process;
mod report;
mod run;

/// mimalloc: the parser allocates many small strings per line, and glibc malloc/free took about
/// a quarter of its time (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Shown after every `--help`: environment, exit codes.
const AFTER_HELP: &str = "\
Environment:
  GOVDOCS_LOG   log filter, e.g. debug or govdocs=debug (overrides -q/-v)
  NO_COLOR      set (to anything) to turn colours off (as --color never)

Exit codes:
  0  every document the run processed parsed
  1  at least one document processed by this run failed (its row in documents says why)
  2  the run could not be done (bad pipeline or input, output folder in use, too many removals,
     another bucket count) or was stopped by SIGINT/SIGTERM

Examples:
  govdocs run ../archive --output out       every document under ../archive into out/
  govdocs run pipelines/nightly.toml        a pipeline file (README: Pipelines)
  govdocs report out                        the quality report: out/_report/index.html
  govdocs inspect doc.pdf --rows            one document's metadata, sections and table rows";

/// govdocs: turn government budget and final-account disclosures into checked Parquet datasets.
#[derive(Parser)]
#[command(name = "govdocs", version, about, after_help = AFTER_HELP)]
struct Cli {
    /// Log format on standard error.
    #[arg(long, value_enum, default_value_t = LogFormat::Human, global = true)]
    log_format: LogFormat,
    /// Colours in log lines: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    /// Log only errors (and the closing summary).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Log more: -v every document, -vv everything.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
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
    /// Run a pipeline (TOML), or read a folder or files with the defaults, and write the datasets.
    #[command(
        after_help = "Examples:\n  govdocs run ../archive -o out\n  govdocs run pipelines/samples.toml\n  govdocs run nightly.toml --shard 0/4\n\nWithout a pipeline file: output ./output (or -o), one worker per core, extensions txt, text,\npdf, 16 buckets."
    )]
    Run {
        /// A pipeline file (`*.toml`, e.g. pipelines/samples.toml), or a folder or document to
        /// read with the default pipeline.
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
        /// Remove the rows of gone inputs even when they are all, or more than
        /// options.max_removed_share (default half), of the documents the output folder holds.
        #[arg(long)]
        allow_removals: bool,
    },
    /// Write the quality report of output folders to <first folder>/_report.
    #[command(after_help = "Example:\n  govdocs report out    then open out/_report/index.html")]
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
    #[command(
        after_help = "Example:\n  govdocs inspect samples/text/000_5359714c6aa5b07d.txt --rows"
    )]
    Inspect {
        /// The document to read.
        file: PathBuf,
        /// Also print every parsed table's rows and values.
        #[arg(long)]
        rows: bool,
    },
}

fn init_logging(cli: &Cli) {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "info",
        (false, 1) => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("GOVDOCS_LOG")
        // lopdf's own repair messages name no file: the run logs the repair with the file's
        // path and records it in `documents.repaired` / `warnings` instead.
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("{level},lopdf=off")));
    let ansi = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::IsTerminal::is_terminal(&std::io::stderr())
        }
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false);
    match cli.log_format {
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

/// SIGINT or SIGTERM: the first asks the run to stop cleanly ([`run::STOP`]); a second one
/// stops the process at once (exit 2; the next run completes what was left).
fn on_signal() {
    if run::STOP.swap(true, std::sync::atomic::Ordering::SeqCst) {
        tracing::error!("second signal: stopping at once");
        std::process::exit(2);
    }
    tracing::warn!("signal received: stopping after the documents being parsed");
}

/// Panics are logged like every other message (one JSON object under `--log-format json`); a
/// panic inside a document's processing fails that document alone.
fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let msg = process::panic_message(info.payload());
        tracing::error!(at = %at, "internal error (panic): {msg}");
    }));
}

fn main() -> ExitCode {
    tune_c_allocator();
    tune_mimalloc();
    let cli = Cli::parse();
    init_logging(&cli);
    log_panics();
    match cli.command {
        Command::Run {
            pipeline,
            inputs,
            output,
            threads,
            no_progress,
            full_refresh,
            shard,
            allow_removals,
        } => {
            let overrides = config::Overrides {
                inputs,
                output,
                threads,
            };
            // A pipeline file, or a folder or document read with the default pipeline.
            let is_pipeline = pipeline
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
            let loaded = if is_pipeline {
                config::load(&pipeline, &overrides)
            } else {
                let mut inputs = vec![pipeline.clone()];
                inputs.extend(overrides.inputs.iter().cloned());
                Ok(config::from_inputs(inputs, &overrides))
            };
            let mut resolved = match loaded {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!("{e:#}");
                    return ExitCode::from(2);
                }
            };
            let max = run::max_threads();
            if resolved.threads > max {
                tracing::warn!(
                    asked = resolved.threads,
                    used = max,
                    "too many worker threads asked for: using {max} (four per core, at least 16)"
                );
                resolved.threads = max;
            }
            if let Err(e) = ctrlc::set_handler(on_signal) {
                tracing::warn!("cannot catch SIGINT/SIGTERM: {e}");
            }
            let opts = run::RunOptions {
                progress: !no_progress,
                full_refresh,
                shard,
                allow_removals,
            };
            let ran = std::panic::catch_unwind(|| run::run(&resolved, &opts));
            match ran {
                Ok(Ok(s)) => {
                    let summary = s.line();
                    let quality = s.quality.line();
                    if s.interrupted {
                        tracing::error!(ok = s.ok, failed = s.failed, summary = %summary,
                            "run interrupted by a signal: the buckets written so far are complete, \
                             the one in flight was abandoned; the next run completes the rest");
                        return ExitCode::from(2);
                    }
                    tracing::info!(
                        ok = s.ok,
                        failed = s.failed,
                        skipped = s.skipped,
                        removed = s.removed,
                        failed_in_output = s.failed_in_output,
                        sections = s.sections,
                        tables = s.tables,
                        line_items = s.line_items,
                        checks = s.checks,
                        checks_failed = s.checks_failed,
                        bytes = s.bytes,
                        elapsed_s = s.elapsed,
                        output = %resolved.output.display(),
                        summary = %summary,
                        quality = %quality,
                        "run finished"
                    );
                    if matches!(cli.log_format, LogFormat::Human) {
                        eprintln!("{summary}");
                        eprintln!("{quality}");
                        let out = discover::normalize(&resolved.output)
                            .unwrap_or_else(|_| resolved.output.clone());
                        eprintln!(
                            "output: {} (datasets; readers take the file list from _current.json); quality report: govdocs report {}",
                            out.display(),
                            out.display()
                        );
                    }
                    if s.failed == 0 {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Ok(Err(e)) => {
                    tracing::error!("{e:#}");
                    ExitCode::from(2)
                }
                // Logged by the panic hook.
                Err(_) => ExitCode::from(2),
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
