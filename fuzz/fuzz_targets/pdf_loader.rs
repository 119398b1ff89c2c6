//! Fuzz the PDF loader and then the path the CLI takes with its output
//! (`crates/govdocs-cli/src/pdf_input.rs`): page furniture removed, lines numbered across pages,
//! `govdocs_core::parse_layout`.
//!
//! `extract` turns panics into `PdfError::Panic`, but libFuzzer's panic hook aborts the process
//! on any panic, caught or not, so a panic inside it is still reported as a crash here.
#![no_main]

use govdocs_cli::pdf_input::to_lines;
use govdocs_core::lines::{from_numbered, TextStyle};
use govdocs_pdf::{extract, strip_page_furniture, Limits, PdfError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The default limits (60 s deadline): an input that runs past libFuzzer's -timeout (10 s)
    // is reported as a hang, which is what it is for a file of a few KB.
    match extract(data, &Limits::default()) {
        Ok(mut pdf) => {
            strip_page_furniture(&mut pdf.pages);
            let (lines, layout) = to_lines(&pdf);
            let lines = from_numbered(lines, TextStyle::Wrapped);
            let _ = govdocs_core::parse_layout(&lines, layout, pdf.repairs.clone());
        }
        Err(PdfError::Panic(msg)) => panic!("extract panicked: {msg}"),
        Err(_) => {}
    }
});
