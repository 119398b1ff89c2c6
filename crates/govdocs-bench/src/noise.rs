//! Noisy copies of a clean text document, one per form of noise seen in the wild (DOMAIN.md),
//! and the comparison of a noisy copy's parse with the clean one's: the cells (table kind and
//! code, block, row code, row label, column label and 栏次, value), the section tree and the
//! metadata. Deterministic: the same text and seed give the same copy.

use crate::rng::Rng;
use govdocs_core::Document;
use unicode_width::UnicodeWidthChar;

/// A form of noise a copy of a document is put in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Every ASCII digit full-width (`５３８２`), and the number punctuation between digits
    /// (`．`, `，`) and `％` after a digit.
    FullWidth,
    /// Decimal amounts with a space after the decimal point (`36716. 36`), some of them with
    /// spaced thousands separators (`2, 841. 00`).
    SpacedNumbers,
    /// Every run of tab-separated rows re-laid as columns padded with spaces, as pdftotext
    /// prints a table (CJK characters two columns wide; amounts right-aligned, header captions and
    /// 行次 / 栏次 numbers centred, the rest left-aligned).
    SpaceAligned,
    /// [`Form::SpaceAligned`] with a blank line after every line.
    SpaceAlignedBlank,
    /// The text encoded as GB18030 with CRLF line ends.
    Gb18030Crlf,
    /// The text rendered to a PDF: each line a text line, each tab-separated cell shown at its
    /// column of the space-aligned layout (CID font, Identity-H, ToUnicode).
    Pdf,
}

impl Form {
    /// Every form, in a stable order.
    pub const ALL: [Form; 6] = [
        Form::FullWidth,
        Form::SpacedNumbers,
        Form::SpaceAligned,
        Form::SpaceAlignedBlank,
        Form::Gb18030Crlf,
        Form::Pdf,
    ];

    /// Stable short name (`fullwidth`, `spaced-numbers`, …).
    pub fn as_str(&self) -> &'static str {
        match self {
            Form::FullWidth => "fullwidth",
            Form::SpacedNumbers => "spaced-numbers",
            Form::SpaceAligned => "space-aligned",
            Form::SpaceAlignedBlank => "space-aligned-blank",
            Form::Gb18030Crlf => "gb18030-crlf",
            Form::Pdf => "pdf",
        }
    }

    /// The form named `s` ([`Form::as_str`]).
    pub fn from_name(s: &str) -> Option<Form> {
        Form::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Whether the form applies to `text` (the space-aligned and PDF forms need tab-separated rows).
    pub fn applies(&self, text: &str) -> bool {
        match self {
            // A PDF is rendered from the table grid of tab-separated rows.
            Form::SpaceAligned | Form::SpaceAlignedBlank | Form::Pdf => text.contains('\t'),
            Form::FullWidth | Form::SpacedNumbers => text.bytes().any(|b| b.is_ascii_digit()),
            Form::Gb18030Crlf => true,
        }
    }
}

/// The copy of `text` in form `form`, as the bytes of a file (`seed` drives the random choices).
pub fn apply(text: &str, form: Form, seed: u64) -> Vec<u8> {
    match form {
        Form::FullWidth => fullwidth(text).into_bytes(),
        Form::SpacedNumbers => spaced_numbers(text, seed).into_bytes(),
        Form::SpaceAligned => space_aligned_with(text, false, Columns::draw(seed)).into_bytes(),
        Form::SpaceAlignedBlank => space_aligned_with(text, true, Columns::draw(seed)).into_bytes(),
        Form::Gb18030Crlf => {
            let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
            encoding_rs::GB18030.encode(&crlf).0.into_owned()
        }
        Form::Pdf => rendered_pdf(text),
    }
}

/// Full-width digits for ASCII ones; `.` and `,` between digits and `%` after one full-width too.
pub fn fullwidth(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 3);
    for (i, &c) in chars.iter().enumerate() {
        let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let next_digit = chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
        let fw = match c {
            '0'..='9' => true,
            '.' | ',' => prev_digit && next_digit,
            '%' => prev_digit,
            _ => false,
        };
        out.push(if fw {
            char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
        } else {
            c
        });
    }
    out
}

/// Decimal amounts (`1234.56`, `1,234.56`) re-written with a space after the point, and for
/// about half of those of four or more integer digits, with `, ` between thousands groups.
pub fn spaced_numbers(text: &str, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        // The start of a digit run not preceded by a digit, letter, `.` or `,`.
        let starts = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'.' | b',')));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut int = String::new();
        let mut commas = false;
        while j < b.len() {
            if b[j].is_ascii_digit() {
                int.push(b[j] as char);
                j += 1;
            } else if b[j] == b','
                && j + 3 < b.len()
                && b[j + 1..j + 4].iter().all(u8::is_ascii_digit)
            {
                commas = true;
                j += 1;
            } else {
                break;
            }
        }
        let is_amount = j + 2 < b.len()
            && b[j] == b'.'
            && b[j + 1].is_ascii_digit()
            && b[j + 2].is_ascii_digit()
            && b.get(j + 3)
                .is_none_or(|c| !c.is_ascii_digit() && *c != b'.');
        if !is_amount {
            i = j.max(i + 1);
            continue;
        }
        let frac = &text[j + 1..j + 3];
        let group = int.len() >= 4 && (commas || rng.chance(500));
        out.push_str(&text[copied..i]);
        if group {
            let first = int.len() % 3;
            for (k, ch) in int.chars().enumerate() {
                if k > 0 && (k + 3 - first).is_multiple_of(3) {
                    out.push_str(", ");
                }
                out.push(ch);
            }
        } else {
            out.push_str(&int);
        }
        out.push_str(". ");
        out.push_str(frac);
        i = j + 3;
        copied = i;
    }
    out.push_str(&text[copied..]);
    out
}

/// Display width of `s` in a fixed-width font (East Asian wide characters two columns).
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Whether a cell is an amount (right-aligned in a printed table; codes, 行次 and 栏次 numbers
/// are integers printed left-aligned).
fn numeric(cell: &str) -> bool {
    cell.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | ' ' | '%'))
        && cell.chars().any(|c| c.is_ascii_digit())
        && cell.contains(['.', ','])
}

/// Every run of tab-separated lines laid out as space-padded columns: each column as wide as
/// its widest cell in the run, two spaces between columns, amounts right-aligned, captions of
/// the rows above the first amount and one- or two-digit numbers centred, the rest left-aligned; with `blank`, a blank line after every line of the document.
pub fn space_aligned(text: &str, blank: bool) -> String {
    space_aligned_with(text, blank, Columns::default())
}

/// How [`space_aligned`] lays its columns out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// Spaces between two columns (2 or more).
    pub gap: usize,
    /// Amounts right-aligned and captions and 行次 / 栏次 numbers centred, as pdftotext prints
    /// a PDF table; else every cell left-aligned.
    pub printed: bool,
}

impl Default for Columns {
    fn default() -> Columns {
        Columns {
            gap: 2,
            printed: true,
        }
    }
}

impl Columns {
    /// The layout a seed picks: a gap of 2 to 4 spaces, printed alignment three times in four.
    pub fn draw(seed: u64) -> Columns {
        let mut rng = Rng::new(seed ^ 0x05EE_DC01);
        Columns {
            gap: 2 + rng.below(3) as usize,
            printed: rng.chance(750),
        }
    }
}

/// [`space_aligned`] with the column layout `cols`.
pub fn space_aligned_with(text: &str, blank: bool, cols: Columns) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].contains('\t') {
            push_line(&mut out, lines[i], blank, i + 1 == lines.len());
            i += 1;
            continue;
        }
        // A run goes on across one or two blank lines between tab-separated rows.
        let mut j = i;
        while j < lines.len() {
            if lines[j].contains('\t') {
                j += 1;
            } else if let Some(k) = (j..lines.len().min(j + 3))
                .take_while(|&k| lines[k].trim().is_empty())
                .last()
                .filter(|&k| lines.get(k + 1).is_some_and(|l| l.contains('\t')))
            {
                j = k + 1;
            } else {
                break;
            }
        }
        let rows: Vec<Vec<&str>> = lines[i..j]
            .iter()
            .map(|l| {
                l.trim_end_matches('\r')
                    .split('\t')
                    .map(str::trim)
                    .collect()
            })
            .collect();
        let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0usize; ncols];
        for r in &rows {
            for (k, c) in r.iter().enumerate() {
                widths[k] = widths[k].max(width(c));
            }
        }
        // Rows above the first with an amount are header rows: their captions are centred.
        let first_amount = rows
            .iter()
            .position(|r| r.iter().any(|c| numeric(c)))
            .unwrap_or(rows.len());
        for (n, r) in rows.iter().enumerate() {
            let header = n < first_amount;
            let mut line = String::new();
            for (k, c) in r.iter().enumerate() {
                if k > 0 {
                    line.extend(std::iter::repeat_n(' ', cols.gap));
                }
                let pad = widths[k] - width(c);
                let small_int = (1..=2).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit());
                let left = if !cols.printed {
                    0
                } else if numeric(c) {
                    pad
                } else if header || small_int {
                    pad / 2
                } else {
                    0
                };
                line.extend(std::iter::repeat_n(' ', left));
                line.push_str(c);
                line.extend(std::iter::repeat_n(' ', pad - left));
            }
            push_line(&mut out, line.trim_end(), blank, i + n + 1 == lines.len());
        }
        i = j;
    }
    out
}

fn push_line(out: &mut String, line: &str, blank: bool, last: bool) {
    out.push_str(line);
    if !last {
        out.push('\n');
        if blank {
            out.push('\n');
        }
    }
}

/// Points per display column of the rendered PDF (10 pt font: CJK 10 pt wide, ASCII 5 pt).
const PT_PER_COLUMN: f32 = 5.0;
/// Line pitch of the rendered PDF, in points.
const LINE_PITCH: f32 = 14.0;
/// Text lines per page of the rendered PDF.
const LINES_PER_PAGE: usize = 48;

/// `text` rendered to a PDF: the lines of [`space_aligned`] (default layout) one per text
/// line, 48 to a page, every piece of text between two-space gaps shown at its column, in a
/// 10 pt CID font (`Identity-H`, code = Unicode, a `ToUnicode` map, ASCII half width). Blank
/// lines are skipped, as a PDF has none. Characters outside the BMP are dropped.
pub fn rendered_pdf(text: &str) -> Vec<u8> {
    let laid = space_aligned(text, false);
    let lines: Vec<&str> = laid.lines().filter(|l| !l.trim().is_empty()).collect();
    let page_w = lines.iter().map(|l| width(l)).max().unwrap_or(0) as f32 * PT_PER_COLUMN + 72.0;
    let height = LINES_PER_PAGE as f32 * LINE_PITCH + 72.0;
    let pages: Vec<&[&str]> = lines.chunks(LINES_PER_PAGE).collect();
    // Objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 ToUnicode, then page and content pairs.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 6 + 2 * i))
        .collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    );
    objects.push(b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>".to_vec());
    objects.push(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /W [32 126 500] >>".to_vec());
    let mut cmap = String::from("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /Identity-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n");
    for chunk in (0u32..256).collect::<Vec<_>>().chunks(100) {
        cmap += &format!("{} beginbfrange\n", chunk.len());
        for hi in chunk {
            cmap += &format!("<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>\n");
        }
        cmap += "endbfrange\n";
    }
    cmap += "endcmap CMapName currentdict /CMap defineresource pop end end\n";
    objects.push(stream(&cmap));
    for page in &pages {
        let mut content = String::from("BT /F1 10 Tf\n");
        for (k, line) in page.iter().enumerate() {
            let y = height - 36.0 - LINE_PITCH * (k as f32 + 1.0);
            for (col, piece) in pieces(line) {
                let hex: String = piece
                    .chars()
                    .filter(|c| (*c as u32) < 0x1_0000)
                    .map(|c| format!("{:04X}", c as u32))
                    .collect();
                let x = 36.0 + col as f32 * PT_PER_COLUMN;
                content += &format!("1 0 0 1 {x:.1} {y:.1} Tm <{hex}> Tj\n");
            }
        }
        content += "ET\n";
        let n = objects.len() + 1;
        objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w:.0} {height:.0}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>", n + 1).into_bytes());
        objects.push(stream(&content));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `text` as an HTML page for a browser to print (the Chromium-rendered form of issue #14): every
/// run of tab-separated lines a bordered `<table>` with one `<td>` per tab cell (empty cells
/// kept), every other non-blank line a paragraph, in WenQuanYi Zen Hei on A4 landscape pages.
/// `scripts/render-seeds.sh` prints it to PDF with headless Chromium.
pub fn html(text: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><style>\n\
         @page { size: A4 landscape; margin: 12mm; }\n\
         body { font-family: 'WenQuanYi Zen Hei'; font-size: 10pt; }\n\
         p { margin: 0.2em 0; }\n\
         table { border-collapse: collapse; width: 100%; margin: 0.4em 0; }\n\
         td { border: 1px solid #000; padding: 1px 3px; font-size: 9pt; }\n\
         td.n { text-align: right; white-space: nowrap; }\n\
         </style></head><body>\n",
    );
    let mut in_table = false;
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.contains('\t') {
            if !in_table {
                out += "<table>\n";
                in_table = true;
            }
            out += "<tr>";
            for cell in line.split('\t') {
                let cell = cell.trim();
                let numeric = !cell.is_empty()
                    && cell
                        .chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '%'));
                out += if numeric { "<td class=\"n\">" } else { "<td>" };
                out += &esc(cell);
                out += "</td>";
            }
            out += "</tr>\n";
            continue;
        }
        if in_table {
            out += "</table>\n";
            in_table = false;
        }
        if !line.trim().is_empty() {
            out += &format!("<p>{}</p>\n", esc(line.trim()));
        }
    }
    if in_table {
        out += "</table>\n";
    }
    out += "</body></html>\n";
    out
}

/// A PDF stream object holding `data`.
fn stream(data: &str) -> Vec<u8> {
    format!(
        "<< /Length {} >>\nstream\n{data}\nendstream",
        data.len() + 1
    )
    .into_bytes()
}

/// The pieces of a laid-out line between gaps of two spaces or more, with their display column.
fn pieces(line: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let (mut col, mut spaces) = (0usize, 0usize);
    for c in line.chars() {
        if c == ' ' {
            spaces += 1;
        } else {
            match out.last_mut() {
                Some((_, t)) if spaces < 2 && !t.is_empty() => {
                    t.extend(std::iter::repeat_n(' ', spaces));
                    t.push(c);
                }
                _ => out.push((col, c.to_string())),
            }
            spaces = 0;
        }
        col += c.width().unwrap_or(0);
    }
    out
}

/// Parse a copy in any form: a PDF through the PDF reader (`govdocs_cli::pdf_input`), text
/// through [`govdocs_core::parse_text`].
pub fn parse(bytes: &[u8]) -> Result<Document, String> {
    match govdocs_core::SourceFormat::sniff(bytes) {
        govdocs_core::SourceFormat::Pdf => govdocs_cli::pdf_input::parse_pdf(bytes),
        govdocs_core::SourceFormat::Text => {
            govdocs_core::parse_text(bytes).map_err(|e| e.to_string())
        }
    }
}

/// One cell of a parsed document, as the metamorphic comparison sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    /// Table kind and printed code (`income 表2`).
    pub table: String,
    /// Block label.
    pub block: String,
    /// Row code (subject code), empty when none.
    pub code: String,
    /// Row label.
    pub name: String,
    /// 行次, when printed.
    pub line_no: Option<u32>,
    /// Column label and 栏次 (`本年支出/基本支出 #2`).
    pub column: String,
    /// The value read, or `null` (with the raw text) when none.
    pub value: String,
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{} | {} | {} {} 行次{} | {}] = {}",
            self.table,
            self.block,
            self.code,
            self.name,
            self.line_no.map(|n| n.to_string()).unwrap_or_default(),
            self.column,
            self.value
        )
    }
}

/// The non-blank cells of a document's tables, in document order.
pub fn cells(d: &Document) -> Vec<Cell> {
    let mut out = Vec::new();
    for t in &d.tables {
        let table = format!("{} {}", t.kind.as_str(), t.code.as_deref().unwrap_or(""));
        for b in &t.blocks {
            for r in &b.rows {
                for (k, v) in r.values.iter().enumerate() {
                    let Some(v) = v else { continue };
                    let col = b.columns.get(k);
                    out.push(Cell {
                        table: table.clone(),
                        block: b.label.clone(),
                        code: r.code.clone().unwrap_or_default(),
                        name: r.name.clone(),
                        line_no: r.line_no,
                        column: format!(
                            "{} #{}",
                            col.map_or("", |c| c.label.as_str()),
                            col.and_then(|c| c.col_no)
                                .map(|n| n.to_string())
                                .unwrap_or_default()
                        ),
                        value: v.value.map_or_else(|| "null".into(), |d| d.to_string()),
                    });
                }
            }
        }
    }
    out
}

/// The section tree as `level label title (parent)` lines, line numbers left out.
pub fn sections(d: &Document) -> Vec<String> {
    d.outline
        .sections
        .iter()
        .map(|s| {
            format!(
                "{} {} {} [{}] ({:?})",
                s.level, s.path, s.title, s.label, s.parent
            )
        })
        .collect()
}

/// How a noisy copy's parse compares with the clean one's.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Cells of the clean parse.
    pub clean: usize,
    /// Clean cells found identical in the noisy parse (as a multiset).
    pub reproduced: usize,
    /// Noisy cells with a value that no clean cell has (wrong or misplaced values).
    pub extra: usize,
    /// Noisy cells that are null where the clean cell has the same key and a value (flagged).
    pub nulled: usize,
    /// The first position where the two cell lists differ, with both cells.
    pub first_difference: Option<(usize, Option<Cell>, Option<Cell>)>,
    /// The first differing section line (clean, noisy).
    pub section_difference: Option<(Option<String>, Option<String>)>,
    /// Whether the metadata are equal.
    pub meta_equal: bool,
}

impl Comparison {
    /// Share of the clean cells reproduced, 0.0..=1.0.
    pub fn share(&self) -> f64 {
        if self.clean == 0 {
            1.0
        } else {
            self.reproduced as f64 / self.clean as f64
        }
    }

    /// Whether the noisy parse equals the clean one in cells, sections and metadata.
    pub fn identical(&self) -> bool {
        self.first_difference.is_none() && self.section_difference.is_none() && self.meta_equal
    }
}

/// Compare the parse of a noisy copy with the parse of the clean document.
pub fn compare(clean: &Document, noisy: &Document) -> Comparison {
    let a = cells(clean);
    let b = cells(noisy);
    let mut pool: std::collections::HashMap<&Cell, usize> = std::collections::HashMap::new();
    for c in &b {
        *pool.entry(c).or_default() += 1;
    }
    let mut reproduced = 0;
    for c in &a {
        if let Some(n) = pool.get_mut(c) {
            if *n > 0 {
                *n -= 1;
                reproduced += 1;
            }
        }
    }
    let mut clean_pool: std::collections::HashMap<&Cell, usize> = std::collections::HashMap::new();
    for c in &a {
        *clean_pool.entry(c).or_default() += 1;
    }
    let mut extra = 0;
    let mut nulled = 0;
    for c in &b {
        match clean_pool.get_mut(c) {
            Some(n) if *n > 0 => *n -= 1,
            _ if c.value == "null" => nulled += 1,
            _ => extra += 1,
        }
    }
    let first_difference = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .map(|i| (i, a.get(i).cloned(), b.get(i).cloned()));
    let (sa, sb) = (sections(clean), sections(noisy));
    let section_difference = (0..sa.len().max(sb.len()))
        .find(|&i| sa.get(i) != sb.get(i))
        .map(|i| (sa.get(i).cloned(), sb.get(i).cloned()));
    Comparison {
        clean: a.len(),
        reproduced,
        extra,
        nulled,
        first_difference,
        section_difference,
        meta_equal: clean.meta == noisy.meta,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullwidth_turns_digits_and_number_punctuation() {
        assert_eq!(
            fullwidth("5,382.07\t0.00 31 1. 概况 2020年 95%"),
            "５，３８２．０７\t０．００ ３１ １. 概况 ２０２０年 ９５％"
        );
    }

    #[test]
    fn spaced_numbers_space_points_and_separators() {
        let s = spaced_numbers("2,841.00\t36716.36 2020年 0.5 3.14159 206", 1);
        assert!(s.starts_with("2, 841. 00\t"), "{s}");
        assert!(s.contains("36716. 36") || s.contains("36, 716. 36"), "{s}");
        assert!(s.ends_with(" 2020年 0.5 3.14159 206"), "{s}");
        assert_eq!(spaced_numbers("x 1.00", 7), "x 1. 00");
    }

    #[test]
    fn space_aligned_pads_by_display_width() {
        let t = "标题\n合计\t\t5,382.07\n科学\t206\t1.00\n尾";
        let s = space_aligned(t, false);
        assert_eq!(s, "标题\n合计       5,382.07\n科学  206      1.00\n尾");
        assert_eq!(
            space_aligned("项目\t1\nab\t1.00", false),
            "项目   1\nab    1.00"
        );
        let s = space_aligned(t, true);
        assert_eq!(s.lines().count(), 7);
        assert_eq!(s.lines().nth(1), Some(""));
    }

    #[test]
    fn gb18030_copy_round_trips() {
        let b = apply("合计\n１", Form::Gb18030Crlf, 0);
        let (t, _, bad) = encoding_rs::GB18030.decode(&b);
        assert!(!bad);
        assert_eq!(t, "合计\r\n１");
    }
}
