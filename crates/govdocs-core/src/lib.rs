//! govdocs-core: the document model and the pure stages of the pipeline (decoding, line
//! splitting, number normalisation, sectioning, metadata). No I/O happens here: every function
//! takes bytes or text and returns values, so every stage can be tested on its own.

pub mod catalogue;
pub mod checks;
pub mod damage;
pub mod decode;
pub mod department;
pub mod facts;
pub mod headings;
pub mod identity;
pub mod layout;
pub mod lines;
pub mod meta;
pub mod normalize;
pub mod sections;
pub mod tables;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod attached_tests {
    #[test]
    fn tables_attached_apart() {
        use super::says_tables_attached as a;
        assert!(a("  附件：北京市信访办公室部门 2026 年度部门预算报表"));
        assert!(a("附件：2019 年部门综合预算公开报表"));
        assert!(a("（公开表附后）"));
        assert!(!a("附件：2025年度部门整体支出绩效自评表"));
        assert!(!a("附件1：项目支出绩效自评表"));
        assert!(!a("本部门无政府性基金预算财政拨款收入及支出"));
    }
}
pub mod verify;

use decode::{DecodeError, Encoding};
use lines::TextStyle;
use meta::Meta;
use sections::Outline;
use std::fmt;

/// Version of the parsing rules; stored with every row so that re-runs can tell stale output.
pub const PARSER_VERSION: &str = concat!("govdocs/", env!("CARGO_PKG_VERSION"), "+rules.5");

/// Decimal places an amount may have: the datasets store amounts at this scale, so a cell printed
/// with more places (none is known in real documents) is flagged `precision_exceeded` and left null.
pub const AMOUNT_DECIMALS: u32 = 6;

/// The input format of a source file, recognised from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// A text dump (UTF-8, GB18030/GBK, UTF-16).
    Text,
    /// A PDF file.
    Pdf,
}

impl SourceFormat {
    /// Recognise the format from the leading bytes (`%PDF-` anywhere in the first KiB is a PDF).
    pub fn sniff(bytes: &[u8]) -> SourceFormat {
        let head = &bytes[..bytes.len().min(1024)];
        if head.windows(5).any(|w| w == b"%PDF-") {
            SourceFormat::Pdf
        } else {
            SourceFormat::Text
        }
    }

    /// Stable lowercase name used in datasets.
    pub fn as_str(&self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Pdf => "pdf",
        }
    }
}

/// Why a document could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocError {
    /// The bytes are not a readable text document.
    Decode(DecodeError),
    /// The text decoded but holds nothing a disclosure has (no heading, no known words).
    NotADisclosure,
    /// The format is recognised but not handled by this build.
    Unsupported(&'static str),
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocError::Decode(e) => e.fmt(f),
            DocError::NotADisclosure => {
                write!(
                    f,
                    "no section heading or disclosure title found in the text"
                )
            }
            DocError::Unsupported(what) => write!(f, "unsupported input: {what}"),
        }
    }
}

impl std::error::Error for DocError {}

/// A parsed document: metadata, outline and the facts about its text.
#[derive(Debug, Clone)]
pub struct Document {
    /// Title-block metadata.
    pub meta: Meta,
    /// The encoding the text was decoded from (`None` for PDF input).
    pub encoding: Option<Encoding>,
    /// The text style recognised.
    pub style: TextStyle,
    /// Number of lines in the file.
    pub total_lines: u32,
    /// The section tree and table of contents.
    pub outline: Outline,
    /// The tables found, in document order.
    pub tables: Vec<tables::Table>,
    /// Every check run on the tables.
    pub checks: Vec<checks::Check>,
    /// What was wrong with the source file and repaired to read it (invalid bytes replaced,
    /// a PDF's cross-reference table rebuilt), in words; empty for an intact file.
    pub repairs: Vec<String>,
    /// What a reader of the data should know: unreadable table titles, values distrusted
    /// because damage took their labels (see [`damage`]).
    pub warnings: Vec<String>,
    /// The document prints none of the standard tables its kind expects and says they are
    /// attached apart (`附件：…部门预算报表`, `公开表附后`): a narrative published without its
    /// tables, which expects none.
    pub tables_attached: bool,
}

static TABLES_ATTACHED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^\s*附\s*件\s*[0-9一二三四五六七八九十]*\s*[：:][^。，]{0,60}(?:报\s*表|公\s*开\s*表)\s*$|(?:公开表|报表|表格)\s*(?:附后|另行公开|另附)")
        .unwrap()
});

/// Whether a line says the document's tables are attached apart (`附件：…2026年度部门预算报表`,
/// `公开表附后`).
pub fn says_tables_attached(line: &str) -> bool {
    (line.contains('附') || line.contains('另')) && TABLES_ATTACHED.is_match(line)
}

/// Content hash of a source file: the first 128 bits of its BLAKE3 hash, as 32 hex digits.
pub fn doc_id(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..32].to_string()
}

/// Parse the bytes of a text document into its metadata, sections, tables and checks.
pub fn parse_text(bytes: &[u8]) -> Result<Document, DocError> {
    let decoded = decode::decode_text(bytes).map_err(DocError::Decode)?;
    let encoding = decoded.encoding;
    let repairs = match decoded.replaced {
        0 => Vec::new(),
        n => vec![format!(
            "{n} invalid byte sequence{} replaced with U+FFFD while decoding as {}",
            if n == 1 { "" } else { "s" },
            encoding.as_str()
        )],
    };
    let lines = lines::split_lines(&decoded.text);
    drop(decoded);
    let (outline, meta) = read_outline(&lines);
    let (style, total_lines) = (lines.style, lines.total_lines);
    // The lines' texts move into the layout model: read once, never copied.
    let layout = layout::from_lines(lines.lines);
    let mut doc = read_tables(outline, meta, layout, None, style, total_lines, repairs)?;
    doc.encoding = Some(encoding);
    Ok(doc)
}

/// Parse a document given as numbered text lines and the same lines as positioned spans (the
/// layout model); text and PDF input both end here. `repairs` says what the reader repaired
/// in the source (empty for an intact file); a repaired document's values whose labels were
/// lost are flagged (see [`damage`]).
pub fn parse_layout(
    lines: &lines::Lines,
    layout: Vec<layout::LayoutLine>,
    repairs: Vec<String>,
) -> Result<Document, DocError> {
    parse_layout_with(lines, layout, None, repairs)
}

/// [`parse_layout`] with a second reading of the same lines (`alternative`: a PDF's ruled
/// tables as rows of cells, where `layout` has them as positioned spans). Each table is read
/// from both, and the reading whose own checks pass more (then fail less) is kept; on a tie,
/// the alternative's when it parses (else the first reading's: an empty table stays empty).
/// The documents' arithmetic decides.
pub fn parse_layout_with(
    lines: &lines::Lines,
    layout: Vec<layout::LayoutLine>,
    alternative: Option<Vec<layout::LayoutLine>>,
    repairs: Vec<String>,
) -> Result<Document, DocError> {
    let (outline, meta) = read_outline(lines);
    read_tables(
        outline,
        meta,
        layout,
        alternative,
        lines.style,
        lines.total_lines,
        repairs,
    )
}

/// Keep, table by table, the better of two readings of the same lines (see
/// [`parse_layout_with`]). Only the same table's readings are compared.
fn choose_readings(tables: &mut [tables::Table], others: Vec<tables::Table>) {
    use tables::TableStatus;
    for other in others {
        // The same table: the same lines and kind, or the same printed code over overlapping
        // lines (a title wrapped in its cell is read whole only from the rows of cells).
        let Some(t) = tables.iter_mut().find(|t| {
            (t.line_start == other.line_start
                && t.line_end == other.line_end
                && t.kind == other.kind)
                || (t.code.is_some()
                    && t.code == other.code
                    && t.line_start <= other.line_end
                    && other.line_start <= t.line_end)
        }) else {
            continue;
        };
        let (a, b) = (checks::table_score(t), checks::table_score(&other));
        let better = b.0 > a.0
            || (b.0 == a.0 && b.1 < a.1)
            || (b == a && other.status == TableStatus::Parsed);
        if better {
            let id = t.id;
            *t = other;
            t.id = id;
        }
    }
}

/// The outline and the metadata of a document, from its lines.
fn read_outline(lines: &lines::Lines) -> (Outline, Meta) {
    let outline = sections::outline(lines);
    let meta = meta::read_meta(&lines.lines, &outline, &lines.joined());
    (outline, meta)
}

/// The rest of [`parse_layout`]: pages of the sections, tables and checks.
fn read_tables(
    mut outline: Outline,
    meta: Meta,
    mut layout: Vec<layout::LayoutLine>,
    alternative: Option<Vec<layout::LayoutLine>>,
    style: TextStyle,
    total_lines: u32,
    repairs: Vec<String>,
) -> Result<Document, DocError> {
    sections::assign_pages(&mut outline.sections, &layout);
    let mut tables = tables::find_tables(&mut layout, &outline, meta.unit, style);
    // A title naming neither 预算 nor 决算 (`收支总表`) is a table of the document's family.
    for t in &mut tables {
        t.kind = tables::kind::kind_in(&t.title, meta.kind);
    }
    if let Some(mut alt) = alternative {
        let mut others = tables::find_tables(&mut alt, &outline, meta.unit, style);
        for t in &mut others {
            t.kind = tables::kind::kind_in(&t.title, meta.kind);
        }
        choose_readings(&mut tables, others);
    }
    let expected = catalogue::catalogue().expected_kinds(meta.kind);
    let tables_attached = !expected.is_empty()
        && !tables.iter().any(|t| expected.contains(&t.kind))
        && (0..layout.len()).any(|i| {
            let t = &layout[i].text;
            says_tables_attached(t)
                // `附件：…2026 年度` / `部门预算报表`: the name wrapped over two lines.
                || t.trim_start().starts_with("附件")
                    && layout
                        .get(i + 1)
                        .is_some_and(|n| says_tables_attached(&format!("{t}{}", n.text)))
        });
    drop(layout);
    let has_heading = outline.sections.iter().any(|s| s.level > 0);
    if !has_heading && meta.title.is_none() && tables.is_empty() {
        return Err(DocError::NotADisclosure);
    }
    let mut warnings = damage::unreadable_titles(&tables);
    if !repairs.is_empty() {
        warnings.extend(damage::flag_lost_labels(&mut tables));
    }
    let checks = checks::run_checks(&mut tables);
    Ok(Document {
        meta,
        encoding: None,
        style,
        total_lines,
        outline,
        tables,
        checks,
        repairs,
        warnings,
        tables_attached,
    })
}
