//! The `govdocs` command: `run` a pipeline over an archive, `inspect` one document.
//!
//! Exit codes: 0 every document parsed; 1 at least one document failed (each has its row in
//! `documents` with the error); 2 the run itself could not be done (bad pipeline file, missing
//! input, unwritable output).

mod config;
mod discover;
mod inspect;
mod pdf_input;
mod process;
mod run;

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

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match cli.command {
        Command::Run {
            pipeline,
            inputs,
            output,
            threads,
            no_progress,
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
            match run::run(&resolved, !no_progress) {
                Ok(s) => {
                    tracing::info!(
                        ok = s.ok,
                        failed = s.failed,
                        sections = s.sections,
                        bytes = s.bytes,
                        elapsed_s = s.elapsed,
                        "run finished"
                    );
                    eprintln!("{}", s.line());
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
