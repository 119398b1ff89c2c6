//! PDF input: positioned text from `govdocs-pdf`, page furniture removed, turned into the
//! numbered lines and layout lines that `govdocs-core` parses like any other document.

use govdocs_core::layout::{Grid, LayoutLine, Span};
use govdocs_core::lines::{from_numbered, Line, TextStyle};
use govdocs_core::{parse_layout, Document};
use govdocs_pdf::{extract, strip_page_furniture, Limits, PdfText};
use std::time::Duration;

/// Wall-clock budget for reading one PDF; a document past it fails with its own error.
pub const PDF_DEADLINE: Duration = Duration::from_secs(60);

/// The lines of a PDF's text: one per text line, numbered from 1 across pages. A line of
/// several spans (a table row) joins them with tabs so that it is never taken for a heading.
pub fn to_lines(pdf: &PdfText) -> (Vec<Line>, Vec<LayoutLine>) {
    let mut lines = Vec::new();
    let mut layout = Vec::new();
    let mut no = 0u32;
    for page in &pdf.pages {
        for tl in &page.lines {
            no += 1;
            // A heading label printed apart from its title (`第一部分` … `部门概况`) stays one line.
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
                split: true,
            });
        }
    }
    (lines, layout)
}

/// Parse a PDF document; what the reader repaired is in [`Document::repairs`].
pub fn parse_pdf(bytes: &[u8]) -> Result<Document, String> {
    let limits = Limits {
        deadline: PDF_DEADLINE,
        ..Limits::default()
    };
    let mut pdf = extract(bytes, &limits).map_err(|e| e.to_string())?;
    strip_page_furniture(&mut pdf.pages);
    let (lines, layout) = to_lines(&pdf);
    let lines = from_numbered(lines, TextStyle::Wrapped);
    parse_layout(&lines, layout, std::mem::take(&mut pdf.repairs)).map_err(|e| e.to_string())
}
