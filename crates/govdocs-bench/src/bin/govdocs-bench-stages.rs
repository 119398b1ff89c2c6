//! `govdocs-bench-stages`: where the text parser's time goes, stage by stage, in memory.
//!
//!     govdocs-bench-stages /tmp/govdocs-corpus-50/text [passes]
//!
//! Reads every file of the folder into memory, then runs the stages of
//! `govdocs_core::parse_text` on each document in turn (decode, split_lines, outline, meta,
//! from_lines, regions, the table regions' split and parse, checks, freeing the document),
//! timing each stage. Prints the best (shortest) time of each stage over `passes` passes (3
//! by default), its share and the parse-only throughput. Nothing is written: the Parquet side is
//! measured by `govdocs-bench-e2e`. Same allocator as the `govdocs` binary.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use govdocs_core::{checks, decode, layout, lines, meta, sections, tables};
use std::process::ExitCode;
use std::time::Instant;

const STAGES: [&str; 9] = [
    "decode",
    "split_lines",
    "outline",
    "meta",
    "from_lines",
    "regions",
    "tables",
    "checks",
    "free",
];

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: govdocs-bench-stages DIR [passes]");
        return ExitCode::from(2);
    };
    let passes: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let mut files: Vec<Vec<u8>> = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot read {dir}: {e}");
            return ExitCode::from(2);
        }
    };
    for e in entries.flatten() {
        if let Ok(bytes) = std::fs::read(e.path()) {
            files.push(bytes);
        }
    }
    let mb = files.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let mut best = [f64::MAX; STAGES.len()];
    for _ in 0..passes.max(1) {
        let mut t = [0f64; STAGES.len()];
        for f in &files {
            let mut clock = Instant::now();
            let mut lap = |k: usize| {
                t[k] += clock.elapsed().as_secs_f64();
                clock = Instant::now();
            };
            let Ok(d) = decode::decode_text(f) else {
                continue;
            };
            lap(0);
            let lines = lines::split_lines(&d.text);
            drop(d);
            lap(1);
            let outline = sections::outline(&lines);
            lap(2);
            let meta = meta::read_meta(&lines.lines, &outline, &lines.joined());
            lap(3);
            let style = lines.style;
            let mut layout = layout::from_lines(lines.lines);
            lap(4);
            let regions = tables::detect::regions(&layout, &outline);
            lap(5);
            let mut found = tables::parse_regions(&mut layout, &regions, meta.unit, style);
            lap(6);
            let checks = checks::run_checks(&mut found);
            lap(7);
            drop((checks, found, layout, outline, meta));
            lap(8);
        }
        for (b, t) in best.iter_mut().zip(t) {
            *b = b.min(t);
        }
    }
    let total: f64 = best.iter().sum();
    println!("| stage | ms | share |");
    println!("| --- | ---: | ---: |");
    for (name, t) in STAGES.iter().zip(best) {
        println!("| {name} | {:.1} | {:.1}% |", t * 1e3, 100.0 * t / total);
    }
    println!(
        "| all ({} files, {mb:.1} MB) | {:.1} | {:.1} MB/s |",
        files.len(),
        total * 1e3,
        mb / total
    );
    ExitCode::SUCCESS
}
