//! Fuzz the PDF loader and then the path the CLI takes with its output
//! (`crates/govdocs-cli/src/pdf_input.rs`): page furniture removed, lines numbered across pages,
//! `govdocs_core::parse_layout`.
//!
//! `extract` turns panics into `PdfError::Panic`, but libFuzzer's panic hook aborts the process
//! on any panic, caught or not, so a panic inside it is still reported as a crash here.
#![no_main]

use govdocs_core::layout::{Grid, LayoutLine, Span};
use govdocs_core::lines::{from_numbered, Line, TextStyle};
use govdocs_pdf::{extract, strip_page_furniture, Limits, PdfError, PdfText};
use libfuzzer_sys::fuzz_target;

/// Same conversion as `govdocs-cli`'s `pdf_input::to_lines` (the binary crate has no library).
fn to_lines(pdf: &PdfText) -> (Vec<Line>, Vec<LayoutLine>) {
    let mut lines = Vec::new();
    let mut layout = Vec::new();
    let mut no = 0u32;
    for page in &pdf.pages {
        for tl in &page.lines {
            no += 1;
            let label_apart = tl.spans.len() == 2
                && govdocs_core::headings::parse_candidate(&tl.spans[0].text)
                    .is_some_and(|c| c.title.is_empty());
            let text = tl.text(if label_apart { " " } else { "\t" });
            lines.push(Line {
                no,
                text: text.clone(),
            });
            layout.push(LayoutLine {
                no,
                page: Some(page.number),
                text,
                spans: tl
                    .spans
                    .iter()
                    .map(|s| Span {
                        text: s.text.trim().to_string(),
                        x0: s.x0,
                        x1: s.x1,
                    })
                    .collect(),
                grid: Grid::Positioned,
                y: Some(tl.y),
            });
        }
    }
    (lines, layout)
}

fuzz_target!(|data: &[u8]| {
    // The default limits (60 s deadline): an input that runs past libFuzzer's -timeout (10 s)
    // is reported as a hang, which is what it is for a file of a few KB.
    match extract(data, &Limits::default()) {
        Ok(mut pdf) => {
            strip_page_furniture(&mut pdf.pages);
            let (lines, layout) = to_lines(&pdf);
            let lines = from_numbered(lines, TextStyle::Wrapped);
            let _ = govdocs_core::parse_layout(&lines, layout);
        }
        Err(PdfError::Panic(msg)) => panic!("extract panicked: {msg}"),
        Err(_) => {}
    }
});
