//! Read scanned PDFs by OCR and print their lines (spans joined by ` | `, with the lowest
//! confidence of each line), then the pages per second per core:
//! `cargo run --release -p govdocs-ocr --example ocr_pages -- a.pdf [b.pdf …] [--quiet]`.
//! The engine runs Tesseract single-threaded (`OMP_THREAD_LIMIT=1`): the figure is per core.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quiet = args.iter().any(|a| a == "--quiet");
    let engine = match govdocs_ocr::Engine::detect() {
        Ok(e) => e,
        Err(why) => {
            eprintln!("no OCR engine: {why}");
            std::process::exit(2);
        }
    };
    let (mut pages, start) = (0usize, Instant::now());
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let bytes = std::fs::read(path).expect("readable file");
        match engine.read_pdf(&bytes) {
            Ok(ocr) => {
                pages += ocr.text.pages.len();
                println!(
                    "{path}: {} pages, mean confidence {:.1}, turned {:?}",
                    ocr.text.pages.len(),
                    ocr.mean_confidence,
                    ocr.rotated
                );
                for p in ocr.text.pages.iter().filter(|_| !quiet) {
                    for l in &p.lines {
                        let low = l
                            .spans
                            .iter()
                            .filter_map(|s| {
                                ocr.confidence
                                    .get(&govdocs_ocr::span_key(p.number, l.y, s.x0))
                            })
                            .fold(100.0f32, |a, &b| a.min(b));
                        println!("p{} y{:.0} [{low:.0}] {}", p.number, l.y, l.text(" | "));
                    }
                }
            }
            Err(e) => println!("{path}: error: {e}"),
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{pages} pages in {secs:.1} s: {:.3} pages/s on one core",
        pages as f64 / secs
    );
}
