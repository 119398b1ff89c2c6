//! Print a PDF's lines as spans: `cargo run -p govdocs-pdf --example dump -- file.pdf [page]`
//! (`STRIP=1` removes page furniture first).

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: dump FILE.pdf [PAGE]");
        std::process::exit(2);
    };
    let only: Option<u32> = args.get(2).and_then(|p| p.parse().ok());
    let bytes = std::fs::read(path).expect("read file");
    let t0 = std::time::Instant::now();
    let strip = std::env::var("STRIP").is_ok();
    match govdocs_pdf::extract(&bytes, &govdocs_pdf::Limits::default()) {
        Ok(mut text) => {
            if strip {
                govdocs_pdf::strip_page_furniture(&mut text.pages);
            }
            eprintln!("{} pages in {:?}", text.pages.len(), t0.elapsed());
            for p in &text.pages {
                if only.is_some_and(|n| n != p.number) {
                    continue;
                }
                println!(
                    "=== page {} {}x{} rot {} rules {} images {} cover {:.2}{}",
                    p.number,
                    p.width,
                    p.height,
                    p.rotation,
                    p.rules.len(),
                    p.n_images,
                    p.image_cover,
                    if p.needs_ocr() { " needs OCR" } else { "" }
                );
                for l in &p.lines {
                    let spans: Vec<String> = l
                        .spans
                        .iter()
                        .map(|s| format!("{}@{:.0}", s.text, s.x0))
                        .collect();
                    println!("{:6.1} {:4.1} | {}", l.y, l.size, spans.join(" | "));
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
