//! PDF input: positioned text from `govdocs-pdf`, page furniture removed, turned into the
//! numbered lines and layout lines that `govdocs-core` parses like any other document. A PDF
//! without a text layer (a scan) is read by OCR (`govdocs-ocr`) when an engine is installed,
//! and so are the scanned pages of a PDF with one.

use govdocs_core::layout::{Grid, LayoutLine, Span};
use govdocs_core::lines::{from_numbered, Line, TextStyle};
use govdocs_core::tables::Value;
use govdocs_core::{parse_layout, parse_layout_with, Document};
use govdocs_pdf::{extract, strip_page_furniture, Limits, PdfError, PdfText};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// Wall-clock budget for reading one PDF; a document past it fails with its own error.
pub const PDF_DEADLINE: Duration = Duration::from_secs(60);

/// The lines of a PDF's text: one per text line, numbered from 1 across pages. A line of
/// several spans (a table row) joins them with tabs so that it is never taken for a heading.
pub fn to_lines(pdf: &PdfText) -> (Vec<Line>, Vec<LayoutLine>) {
    let (lines, layout, _) = to_readings(pdf);
    (lines, layout)
}

/// [`to_lines`], and the same layout lines with the rows of ruled tables read as rows of cells
/// ([`crate::ruled`]) when the document has any (`None` otherwise).
pub fn to_readings(pdf: &PdfText) -> (Vec<Line>, Vec<LayoutLine>, Option<Vec<LayoutLine>>) {
    let mut lines = Vec::new();
    let mut layout = Vec::new();
    let mut ruled: Vec<LayoutLine> = Vec::new();
    let mut any_ruled = false;
    let mut no = 0u32;
    for page in &pdf.pages {
        let vrules = vertical_rules(&page.rules);
        let first = layout.len();
        let mut xs = Vec::with_capacity(page.lines.len());
        let mut sizes = Vec::with_capacity(page.lines.len());
        for tl in &page.lines {
            xs.push(crate::ruled::crossing(&vrules, tl.y, tl.size));
            sizes.push(tl.size);
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
                    .enumerate()
                    .map(|(i, s)| {
                        // Widened only when the cell holds this span alone: rules round
                        // groups of columns are not cell borders.
                        let text = s.text.chars().any(|c| c.is_alphabetic());
                        let (x0, x1) = cell_extent(&vrules, s.x0, s.x1, tl.y, tl.size, text)
                            .filter(|&(l, r)| {
                                tl.spans
                                    .iter()
                                    .enumerate()
                                    .all(|(j, o)| j == i || o.x1 <= l + 0.5 || o.x0 >= r - 0.5)
                            })
                            .unwrap_or((s.x0, s.x1));
                        Span {
                            text: s.text.trim().to_string(),
                            x0,
                            x1,
                        }
                    })
                    .collect(),
                grid: Grid::Positioned,
                y: Some(tl.y),
                split: true,
            });
        }
        let mut page_lines = layout[first..].to_vec();
        let hrules: Vec<govdocs_pdf::Rule> = page
            .rules
            .iter()
            .filter(|r| r.is_horizontal())
            .copied()
            .collect();
        any_ruled |= crate::ruled::cells_of_page(&mut page_lines, &xs, &sizes, &vrules, &hrules);
        // A row of a ruled table is never a heading, even with one cell filled
        // (`2. 财政拨款收入(上级转移支付)` in a table's first column).
        for (line, row) in lines[first..].iter_mut().zip(&page_lines) {
            if row.grid == Grid::Cells && !line.text.contains('\t') {
                line.text.push('\t');
            }
        }
        ruled.extend(page_lines);
    }
    (lines, layout, any_ruled.then_some(ruled))
}

/// The vertical ruling lines of a page (thin and taller than wide), sorted by x.
fn vertical_rules(rules: &[govdocs_pdf::Rule]) -> Vec<govdocs_pdf::Rule> {
    let mut v: Vec<govdocs_pdf::Rule> = rules.iter().filter(|r| r.is_vertical()).copied().collect();
    // A border drawn cell by cell is one rule: segments on one x that meet (within 1 pt) are
    // joined, so a line printed where two cells' borders meet is crossed.
    v.sort_by(|a, b| {
        ((a.x0 + a.x1) / 2.0)
            .total_cmp(&((b.x0 + b.x1) / 2.0))
            .then(a.y0.total_cmp(&b.y0))
    });
    let mut joined: Vec<govdocs_pdf::Rule> = Vec::with_capacity(v.len());
    for r in v {
        match joined.iter_mut().rev().take(8).find(|j| {
            ((j.x0 + j.x1) / 2.0 - (r.x0 + r.x1) / 2.0).abs() < 0.5
                && r.y0 <= j.y1 + 1.0
                && r.y1 >= j.y0 - 1.0
        }) {
            Some(j) => {
                j.y0 = j.y0.min(r.y0);
                j.y1 = j.y1.max(r.y1);
                j.x0 = j.x0.min(r.x0);
                j.x1 = j.x1.max(r.x1);
            }
            None => joined.push(r),
        }
    }
    joined.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    joined
}

/// The extent of the ruled cell a span of `x0..x1` on baseline `y` is printed in: from the
/// nearest vertical rule crossing the line left of its centre to the nearest right of it.
/// A caption printed at the left of a wide cell and the amounts right-aligned below it then
/// share the cell's extent, as a tab dump's cells share a column. A span may overrun its cell a
/// little (right-aligned amounts often do); text (`text`) that overruns it more belongs to the
/// cell it starts in, a number that does to none. `None` outside a ruled cell.
fn cell_extent(
    vrules: &[govdocs_pdf::Rule],
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    text: bool,
) -> Option<(f32, f32)> {
    let slack = 0.3 * size;
    let cell = |at: f32| -> Option<(f32, f32)> {
        let crosses = |r: &&govdocs_pdf::Rule| r.crosses_line(y, size);
        let cx = |r: &govdocs_pdf::Rule| (r.x0 + r.x1) / 2.0;
        let left = vrules
            .iter()
            .filter(crosses)
            .map(cx)
            .filter(|&c| c <= at)
            .fold(None, |m: Option<f32>, c| Some(m.map_or(c, |m| m.max(c))))?;
        let right = vrules
            .iter()
            .filter(crosses)
            .map(cx)
            .filter(|&c| c >= at)
            .fold(None, |m: Option<f32>, c| Some(m.map_or(c, |m| m.min(c))))?;
        Some((left, right))
    };
    let (left, right) = match cell((x0 + x1) / 2.0)? {
        (l, r) if x0 >= l - slack && x1 <= r + slack => (l, r),
        _ if text => cell(x0 + 0.5 * size).filter(|&(l, _)| x0 >= l - slack)?,
        _ => return None,
    };
    // Inset from the borders, so that neighbouring cells never touch (a gap stays a gap).
    let inset = (0.15 * size).min((right - left) / 4.0);
    let (left, right) = (left + inset, right - inset);
    if text && x1 > right {
        // Text overrunning into the next cell is clipped to its own.
        return Some((left.min(x0), right));
    }
    Some((left.min(x0), right.max(x1)))
}

/// Parse a PDF document; what the reader repaired is in [`Document::repairs`]. A scan is read
/// by OCR when an engine is installed (see [`parse_scan`]); so are the scanned pages of a
/// document with a text layer ([`govdocs_pdf::Page::needs_ocr`]), in their place among its
/// text pages. Without an engine those pages are left out and a warning names them.
pub fn parse_pdf(bytes: &[u8]) -> Result<Document, String> {
    let limits = Limits {
        deadline: PDF_DEADLINE,
        ..Limits::default()
    };
    let mut pdf = match extract(bytes, &limits) {
        Ok(pdf) => pdf,
        Err(e @ PdfError::NoTextLayer { .. }) => return parse_scan(bytes, &e),
        Err(e) => return Err(e.to_string()),
    };
    let scanned: Vec<u32> = pdf
        .pages
        .iter()
        .filter(|p| p.needs_ocr())
        .map(|p| p.number)
        .collect();
    let mut warnings = Vec::new();
    let mut ocr = None;
    if !scanned.is_empty() {
        match ocr_scanned_pages(bytes, &mut pdf, &scanned) {
            Ok(read) => ocr = Some(read),
            Err(why) => warnings.push(why),
        }
    }
    strip_page_furniture(&mut pdf.pages);
    let (lines, layout, ruled) = to_readings(&pdf);
    let lines = from_numbered(lines, TextStyle::Wrapped);
    let marks = ocr.as_ref().map(|_| layout.clone());
    let mut doc = parse_layout_with(&lines, layout, ruled, std::mem::take(&mut pdf.repairs))
        .map_err(|e| e.to_string())?;
    if let (Some((read, engine)), Some(layout)) = (ocr, marks) {
        let pages: HashSet<u32> = scanned.iter().copied().collect();
        mark_ocr(&mut doc, &layout, &read.confidence, Some(&pages));
        doc.warnings.push(ocr_warning(
            &engine,
            &read,
            &format!(
                "scanned page{} {} (page images without a text layer, among pages with one)",
                plural(scanned.len()),
                page_list(&scanned)
            ),
        ));
    }
    doc.warnings.extend(warnings);
    Ok(doc)
}

/// Read the scanned pages `scanned` of `pdf` by OCR and put their lines in those pages'
/// place; the reading and its engine, or a warning saying which pages were not read and why
/// (no engine installed: what to install).
fn ocr_scanned_pages(
    bytes: &[u8],
    pdf: &mut PdfText,
    scanned: &[u32],
) -> Result<(govdocs_ocr::OcrText, govdocs_ocr::Engine), String> {
    let not_read = |why: String| {
        let one = scanned.len() == 1;
        format!(
            "{} {} {} without a text layer and {} not read: {} text is missing; {why}",
            if one { "page" } else { "pages" },
            page_list(scanned),
            if one {
                "is a scanned page (a page image)"
            } else {
                "are scanned pages (page images)"
            },
            if one { "was" } else { "were" },
            if one { "its" } else { "their" },
        )
    };
    let engine =
        govdocs_ocr::Engine::detect().map_err(|why| not_read(format!("OCR unavailable: {why}")))?;
    let read = engine
        .read_pdf_pages(bytes, scanned)
        .map_err(|e| not_read(format!("OCR failed: {e}")))?;
    for page in &read.text.pages {
        if let Some(slot) = pdf.pages.iter_mut().find(|p| p.number == page.number) {
            *slot = page.clone();
        }
    }
    Ok((read, engine))
}

/// `s` for a count other than one.
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Page numbers as a reader writes them: `2`, `2, 5–7`.
fn page_list(pages: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &p in pages {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == p => *last = p,
            _ => runs.push((p, p)),
        }
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The warning of a reading by OCR: engine, model, dpi, `what` was read, pages turned and
/// deskewed, mean word confidence.
fn ocr_warning(engine: &govdocs_ocr::Engine, ocr: &govdocs_ocr::OcrText, what: &str) -> String {
    let turned = match ocr.rotated.len() {
        0 => String::new(),
        n => format!(", {n} page{} turned upright", plural(n)),
    };
    let deskewed = match ocr.deskewed.len() {
        0 => String::new(),
        n => format!(", {n} page{} deskewed", plural(n)),
    };
    format!(
        "text read by OCR ({}, {}, {} dpi) from {what}{turned}{deskewed}; mean word confidence {:.0}",
        engine.version,
        engine.model(),
        govdocs_ocr::DPI,
        ocr.mean_confidence
    )
}

/// Parse a PDF without a text layer by OCR with the engine of this machine
/// ([`govdocs_ocr::Engine::detect`]; see [`parse_ocr`]). With no engine installed, the error
/// is `no_text`'s, saying what to install.
pub fn parse_scan(bytes: &[u8], no_text: &PdfError) -> Result<Document, String> {
    let engine = govdocs_ocr::Engine::detect()
        .map_err(|why| format!("{no_text}; OCR unavailable: {why}"))?;
    parse_ocr(bytes, &engine).map_err(|e| format!("{no_text}; {e}"))
}

/// Parse a scanned PDF by OCR with `engine`: its words become lines like a text layer's,
/// every value is flagged `ocr`, and a number read with low confidence, of an odd shape or
/// in no passing check is flagged `ocr_doubt` (untrusted). The document says in its warnings
/// that its text came from OCR.
pub fn parse_ocr(bytes: &[u8], engine: &govdocs_ocr::Engine) -> Result<Document, String> {
    let mut ocr = engine
        .read_pdf(bytes)
        .map_err(|e| format!("OCR failed: {e}"))?;
    strip_page_furniture(&mut ocr.text.pages);
    let (lines, layout) = to_lines(&ocr.text);
    let lines = from_numbered(lines, TextStyle::Wrapped);
    let mut doc = parse_layout(&lines, layout.clone(), Vec::new())
        .map_err(|e| format!("read by OCR ({}): {e}", engine.version))?;
    mark_ocr(&mut doc, &layout, &ocr.confidence, None);
    let n = ocr.text.pages.len();
    doc.warnings.push(ocr_warning(
        engine,
        &ocr,
        &format!("{n} page{} without a text layer", plural(n)),
    ));
    Ok(doc)
}

/// Lines searched from a row's first line for the spans of its values (wrapped rows).
const ROW_LINES: u32 = 4;

/// Flag every value of an OCR'd document (of its pages `only`, when given: the values whose
/// row starts on one of them) `ocr`, and a number `ocr_doubt` (untrusted) unless the
/// document's arithmetic confirms it: it must be in a passing check, and the span it was
/// read from must have no word below [`govdocs_ocr::DOUBT_CONFIDENCE`] and a number's shape
/// (see [`odd_number`]). OCR misreads digits with high confidence too: only a check catches them.
fn mark_ocr(
    doc: &mut Document,
    layout: &[LayoutLine],
    conf: &HashMap<(u32, u32, u32), f32>,
    only: Option<&HashSet<u32>>,
) {
    let by_no: HashMap<u32, &LayoutLine> = layout.iter().map(|l| (l.no, l)).collect();
    let verified: std::collections::HashSet<govdocs_core::checks::CellRef> = doc
        .checks
        .iter()
        .filter(|c| c.pass)
        .flat_map(|c| c.cells.iter().copied())
        .collect();
    for t in &mut doc.tables {
        let id = t.id;
        // A subject code printed twice in one OCR'd table means two tables ran together under
        // one title (the next title misread): the checks vouch for the numbers, not for the
        // table they are put in.
        let mut seen = std::collections::HashSet::new();
        let run_together = t
            .blocks
            .iter()
            .flat_map(|b| &b.rows)
            .filter_map(|r| r.code.as_deref())
            .any(|c| !seen.insert(c));
        for (bi, b) in t.blocks.iter_mut().enumerate() {
            for (ri, r) in b.rows.iter_mut().enumerate() {
                if let Some(pages) = only {
                    let page = by_no.get(&r.line).and_then(|l| l.page);
                    if !page.is_some_and(|p| pages.contains(&p)) {
                        continue;
                    }
                }
                for (ci, v) in r.values.iter_mut().enumerate() {
                    let Some(v) = v else { continue };
                    v.flag("ocr");
                    if v.value.is_none() {
                        continue;
                    }
                    let c = value_confidence(v, r.line, &by_no, conf);
                    if c.is_none_or(|c| c < govdocs_ocr::DOUBT_CONFIDENCE)
                        || odd_number(&v.raw)
                        || !verified.contains(&(id, bi, ri, ci))
                        || run_together
                    {
                        v.flag("ocr_doubt");
                    }
                }
            }
        }
    }
}

/// The lowest confidence of the spans holding the value's text on its row's lines.
fn value_confidence(
    v: &Value,
    line: u32,
    by_no: &HashMap<u32, &LayoutLine>,
    conf: &HashMap<(u32, u32, u32), f32>,
) -> Option<f32> {
    let raw: String = v.raw.split_whitespace().collect();
    let mut found: Option<f32> = None;
    for no in line..line + ROW_LINES {
        let Some(l) = by_no.get(&no) else { continue };
        let (Some(page), Some(y)) = (l.page, l.y) else {
            continue;
        };
        for s in &l.spans {
            let st: String = s.text.split_whitespace().collect();
            if !raw.is_empty() && st.contains(&raw) {
                let c = conf
                    .get(&govdocs_ocr::span_key(page, y, s.x0))
                    .copied()
                    .unwrap_or(0.0);
                found = Some(found.map_or(c, |f| f.min(c)));
            }
        }
        if found.is_some() {
            break;
        }
    }
    found
}

/// A number not printed as amounts are: digits in groups of three between commas (or none),
/// an optional decimal part, an optional sign or percent. OCR errors (a dropped comma, a
/// space, a letter for a digit) mostly break this shape.
pub fn odd_number(raw: &str) -> bool {
    let t = raw.trim();
    let t = t.strip_prefix('-').unwrap_or(t);
    let t = t.strip_suffix('%').unwrap_or(t);
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return true;
    }
    let groups: Vec<&str> = int.split(',').collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if !groups.iter().all(|g| digits(g)) {
        return true;
    }
    groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
}

#[cfg(test)]
mod tests {
    #[test]
    fn number_shapes() {
        for ok in ["1,234.56", "0.00", "-12.5", "123456.78", "3.5%", "12"] {
            assert!(!super::odd_number(ok), "{ok}");
        }
        for odd in [
            "1,23.56",
            "12345,678",
            "1 234.56",
            "1.2.3",
            "12O.00",
            "1,234.",
            ",123",
        ] {
            assert!(super::odd_number(odd), "{odd}");
        }
    }
}
