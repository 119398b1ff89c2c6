//! The one layout model every input is turned into before any table logic runs: lines of
//! positioned text spans. A tab-separated row gives one span per cell with its column index as
//! position; a space-aligned or pdftotext-like line gives spans split on runs of spaces,
//! positioned by character column; PDF input gives spans with x coordinates.

use crate::lines::{Line, TextStyle};

/// A piece of text on a line, with its horizontal extent.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The text of the span, trimmed.
    pub text: String,
    /// Left edge: cell index (tabbed), character column (spaced) or x coordinate (PDF).
    pub x0: f32,
    /// Right edge, in the same unit as `x0`.
    pub x1: f32,
}

/// How the spans of a line were positioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grid {
    /// Spans are tab-separated cells: `x0` is the cell index and empty cells are kept as spans.
    Cells,
    /// Spans were split on whitespace; empty cells are lost.
    Spaced,
    /// Spans carry x coordinates from a PDF page.
    Positioned,
}

/// One line of a document as positioned spans.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutLine {
    /// 1-based line number in the source (text) or running line number (PDF).
    pub no: u32,
    /// 1-based page number, for PDF input.
    pub page: Option<u32>,
    /// The line's text as printed (cells joined by tabs for tabbed rows).
    pub text: String,
    /// The spans, left to right.
    pub spans: Vec<Span>,
    /// How `spans` were positioned.
    pub grid: Grid,
    /// Baseline from the top of the page (PDF input; `None` for text).
    pub y: Option<f32>,
    /// Whether `spans` holds the line's spans. Text lines are split into spans only when a
    /// table is read from them ([`LayoutLine::split`]); until then `spans` is empty and `grid`
    /// says only whether the line has tabs.
    pub split: bool,
}

impl LayoutLine {
    /// The non-empty spans' texts (for a line not split yet, the texts its spans will have).
    pub fn texts(&self) -> Vec<&str> {
        if self.split {
            self.spans
                .iter()
                .map(|s| s.text.as_str())
                .filter(|t| !t.is_empty())
                .collect()
        } else if self.grid == Grid::Cells {
            self.text
                .split('\t')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .collect()
        } else {
            self.text.split_whitespace().collect()
        }
    }

    /// Whether a span holds `c` (for a line not split yet, whether its text does).
    pub fn mentions(&self, c: char) -> bool {
        if self.split {
            self.spans.iter().any(|s| s.text.contains(c))
        } else {
            self.text.contains(c)
        }
    }

    /// Split a text line into its spans (nothing to do for a line already split): tab-separated
    /// cells, else whitespace-separated pieces; in a tabbed dump a one-piece line is a one-cell row.
    pub fn split(&mut self, style: TextStyle) {
        if self.split {
            return;
        }
        self.split = true;
        if self.grid == Grid::Cells {
            self.spans = memchr::memchr_iter(b'\t', self.text.as_bytes())
                .chain(std::iter::once(self.text.len()))
                .scan(0, |start, end| {
                    let cell = &self.text[*start..end];
                    *start = end + 1;
                    Some(cell)
                })
                .enumerate()
                .map(|(i, c)| Span {
                    text: c.trim().to_string(),
                    x0: i as f32,
                    x1: i as f32 + 1.0,
                })
                .collect();
        } else {
            self.spans = split_spaced(&self.text);
            if style == TextStyle::Tabbed && self.spans.len() <= 1 {
                // A one-cell line of a tabbed dump is a one-cell row.
                self.grid = Grid::Cells;
            }
        }
    }
}

/// Longest line (bytes) split into spans; real table rows are a few hundred bytes.
pub const MAX_SPANNED_LINE: usize = 64 * 1024;

/// Turn text lines into layout lines: tab-separated lines keep every cell (empty ones too);
/// other lines split on whitespace runs, positioned by character column.
pub fn from_text(lines: &[Line], style: TextStyle) -> Vec<LayoutLine> {
    let mut out = from_text_unsplit(lines);
    for l in &mut out {
        l.split(style);
    }
    out
}

/// [`from_text`] without splitting the lines into spans yet (see [`LayoutLine::split`]): the
/// spans of prose lines are never needed.
pub fn from_text_unsplit(lines: &[Line]) -> Vec<LayoutLine> {
    lines
        .iter()
        .map(|l| unsplit(l.no, crate::lines::strip_markup(&l.text).into_owned()))
        .collect()
}

/// [`from_text_unsplit`] taking the lines' texts (a text without markup is moved, not copied).
pub fn from_lines(lines: Vec<Line>) -> Vec<LayoutLine> {
    lines
        .into_iter()
        .map(|l| {
            let text = match crate::lines::strip_markup(&l.text) {
                std::borrow::Cow::Borrowed(_) => l.text,
                std::borrow::Cow::Owned(stripped) => stripped,
            };
            unsplit(l.no, text)
        })
        .collect()
}

/// A text line (markup stripped) not yet split into spans.
fn unsplit(no: u32, text: String) -> LayoutLine {
    // A line this long is prose or junk, never a table row: it gets no spans, so a one-line
    // file of tens of MB is not cut into millions of them.
    let overlong = text.len() > MAX_SPANNED_LINE;
    let grid = if !overlong && crate::lines::has_byte(&text, b'\t') {
        Grid::Cells
    } else {
        Grid::Spaced
    };
    LayoutLine {
        no,
        page: None,
        text,
        spans: Vec::new(),
        grid,
        y: None,
        split: overlong,
    }
}

/// Display width of one character given as its text: CJK ideographs and punctuation and
/// full-width forms are two columns (read without a table lookup), others as `unicode-width` says.
fn display_width(ch: &str) -> usize {
    match ch.as_bytes() {
        // U+3000–U+9FFF: CJK symbols, kana, ideographs.
        [0xE3..=0xE9, _, _] => return 2,
        // U+FF00–U+FF3F and U+FF40–U+FF60: full-width forms.
        [0xEF, 0xBC, _] | [0xEF, 0xBD, 0x80..=0xA0] => return 2,
        _ => {}
    }
    match ch.chars().next() {
        Some('\u{3000}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF60}') => 2,
        Some(c) => unicode_width::UnicodeWidthChar::width(c)
            .unwrap_or(1)
            .max(1),
        None => 0,
    }
}

/// Split a line on whitespace runs into spans positioned by display column (a wide CJK
/// character counts two, as in a space-aligned dump).
pub fn split_spaced(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, column)
    let mut col = 0usize;
    let mut i = 0;
    while i < text.len() {
        let (ws, len) = crate::lines::whitespace_at(text, i);
        if ws {
            if let Some((b, c0)) = start.take() {
                spans.push(Span {
                    text: text[b..i].to_string(),
                    x0: c0 as f32,
                    x1: col as f32,
                });
            }
        } else if start.is_none() {
            start = Some((i, col));
        }
        // Columns as a fixed-width font prints them: East Asian wide characters take two.
        col += match (len, text.as_bytes()[i]) {
            (1, _) => 1,
            // U+3000–U+9FFF: CJK symbols, kana, ideographs.
            (3, 0xE3..=0xE9) => 2,
            _ => display_width(&text[i..i + len]),
        };
        i += len;
    }
    if let Some((b, c0)) = start {
        spans.push(Span {
            text: text[b..].to_string(),
            x0: c0 as f32,
            x1: col as f32,
        });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(t: &str) -> Line {
        Line {
            no: 1,
            text: t.into(),
        }
    }

    #[test]
    fn overlong_lines_get_no_spans() {
        let row = "合计 5,382.07 ";
        let spaced = row.repeat(MAX_SPANNED_LINE / row.len() + 1);
        let tabbed = spaced.replace(' ', "\t");
        let short = row.repeat(10);
        let out = from_text(
            &[line(&spaced), line(&tabbed), line(&short)],
            TextStyle::Plain,
        );
        assert!(out[0].spans.is_empty() && out[1].spans.is_empty());
        assert!(out[0].texts().is_empty() && !out[1].mentions('合'));
        assert_eq!(out[0].text, spaced, "the text is kept");
        assert_eq!(out[2].spans.len(), 20, "a line under the limit is split");
    }

    #[test]
    fn unsplit_lines_read_like_split_ones() {
        let lines: Vec<Line> = [
            "合计\t\t5,382.07\t",
            "210 卫生健康支出  131.46 0.42",
            "  一般 公共\t 预算 ",
            "单行",
            "<p>科技</p> 局",
        ]
        .iter()
        .map(|t| line(t))
        .collect();
        for style in [TextStyle::Tabbed, TextStyle::Wrapped, TextStyle::Plain] {
            let split = from_text(&lines, style);
            let mut unsplit = from_text_unsplit(&lines);
            assert_eq!(unsplit, from_lines(lines.clone()));
            for (s, u) in split.iter().zip(&mut unsplit) {
                assert!(!u.split && u.spans.is_empty());
                assert_eq!(s.texts(), u.texts(), "{:?}", s.text);
                assert_eq!(s.mentions('科'), u.mentions('科'));
                u.split(style);
                assert_eq!(s, u);
            }
        }
    }

    #[test]
    fn tabbed_rows_keep_empty_cells() {
        let l = &from_text(&[line("合计\t\t5,382.07\t")], TextStyle::Tabbed)[0];
        assert_eq!(l.grid, Grid::Cells);
        let t: Vec<_> = l.spans.iter().map(|s| (s.text.as_str(), s.x0)).collect();
        assert_eq!(t, [("合计", 0.0), ("", 1.0), ("5,382.07", 2.0), ("", 3.0)]);
        assert_eq!(l.texts(), ["合计", "5,382.07"]);
    }

    #[test]
    fn spaced_rows_split_on_whitespace() {
        let l = &from_text(&[line("210 卫生健康支出  131.46 0.42")], TextStyle::Wrapped)[0];
        assert_eq!(l.grid, Grid::Spaced);
        let t: Vec<_> = l.spans.iter().map(|s| (s.text.as_str(), s.x0)).collect();
        assert_eq!(
            t,
            [
                ("210", 0.0),
                ("卫生健康支出", 4.0),
                ("131.46", 18.0),
                ("0.42", 25.0)
            ]
        );
    }
}
