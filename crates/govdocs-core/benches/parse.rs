//! Throughput of text parsing (decode, lines, sections, metadata) on the samples, against a
//! baseline measured in the same run that only UTF-8-validates the same bytes.
//! Run with `cargo bench -p govdocs-core --bench parse`; set `GOVDOCS_BENCH_CORPUS` to a text
//! folder of a generated corpus to measure it too.

use std::time::{Duration, Instant};

fn measure(label: &str, bytes: usize, mut f: impl FnMut()) -> f64 {
    // Repeat until at least a second has passed, so short inputs give stable figures.
    let start = Instant::now();
    let mut rounds = 0u32;
    while start.elapsed() < Duration::from_secs(1) || rounds < 3 {
        f();
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let mbps = bytes as f64 * rounds as f64 / secs / 1e6;
    println!("{label:<32} {rounds:>6} rounds  {mbps:>10.1} MB/s");
    mbps
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/text");
    let mut docs: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .expect("samples/text")
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    docs.sort();
    let total: usize = docs.iter().map(Vec::len).sum();
    println!("{} documents, {} bytes", docs.len(), total);
    let base = measure("baseline: utf-8 validation", total, || {
        for d in &docs {
            std::hint::black_box(simdutf8::basic::from_utf8(d).is_ok());
        }
    });
    let parse = measure("parse_text (single thread)", total, || {
        for d in &docs {
            std::hint::black_box(govdocs_core::parse_text(d).ok());
        }
    });
    println!("ratio parse / baseline: {:.4}", parse / base);
    // A generated corpus (govdocs-corpus … --out DIR), when GOVDOCS_BENCH_CORPUS names its text
    // folder: every file once per round, so the figure covers many documents, not five.
    if let Some(dir) = std::env::var_os("GOVDOCS_BENCH_CORPUS") {
        let mut docs: Vec<Vec<u8>> = std::fs::read_dir(&dir)
            .expect("GOVDOCS_BENCH_CORPUS is a folder")
            .map(|e| std::fs::read(e.unwrap().path()).unwrap())
            .collect();
        docs.sort();
        let total: usize = docs.iter().map(Vec::len).sum();
        println!("corpus: {} documents, {} bytes", docs.len(), total);
        let parse = measure("parse_text corpus (1 thread)", total, || {
            for d in &docs {
                std::hint::black_box(govdocs_core::parse_text(d).ok());
            }
        });
        println!("corpus parse: {parse:.1} MB/s");
    }
}
