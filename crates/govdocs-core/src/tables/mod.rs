//! Tables: find every financial table of a document in its layout lines, read its header into
//! labelled value columns, its rows into blocks of (code, name, line number, values), and keep
//! what cannot be read with confidence as raw text. Text and PDF inputs share all of it.

pub mod codes;
pub mod detect;
pub mod kind;
pub mod parse;
pub mod place;

use crate::normalize::Unit;
use rust_decimal::Decimal;

pub use kind::TableKind;

/// Whether a table's values could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableStatus {
    /// Rows and values were read.
    Parsed,
    /// The table says it is empty (`本单位无…`, or a 合计 row with no numbers).
    Empty,
    /// The region looks like a table but could not be read with confidence; its raw text is kept.
    Unparsed,
}

impl TableStatus {
    /// Stable lowercase name used in datasets.
    pub fn as_str(&self) -> &'static str {
        match self {
            TableStatus::Parsed => "parsed",
            TableStatus::Empty => "empty",
            TableStatus::Unparsed => "unparsed",
        }
    }
}

/// A value column of a block: its header label path and its 栏次 number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Header labels from the top level down, joined by `/` (`本年支出/基本支出`).
    pub label: String,
    /// The column's number in the 栏次 row, where the table has one.
    pub col_no: Option<u32>,
}

/// One value of a row, as printed and as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The cell's text as printed.
    pub raw: String,
    /// The exact value, when the text is confidently one number and nothing doubts it.
    pub value: Option<Decimal>,
    /// Unit printed in the cell, if any (else the table's unit applies).
    pub unit: Option<Unit>,
    /// What was repaired or doubted (`spaced_decimal`, `placed_by_identity`, `failed_check`, …).
    pub flags: Vec<String>,
}

impl Value {
    /// Read a cell's text: a number when it is confidently one, else a value-less cell flagged `not_a_number`.
    pub fn read(raw: &str) -> Value {
        let t = raw.trim();
        match crate::normalize::read_value(t) {
            // More decimal places than the datasets hold: kept as text, flagged, never rounded.
            Some((value, _, _)) if value.normalize().scale() > crate::AMOUNT_DECIMALS => Value {
                raw: t.to_string(),
                value: None,
                unit: None,
                flags: vec!["precision_exceeded".into()],
            },
            Some((value, unit, flags)) => Value {
                raw: t.to_string(),
                value: Some(value),
                unit,
                flags: flags.iter().map(|f| f.as_str().to_string()).collect(),
            },
            None => Value {
                raw: t.to_string(),
                value: None,
                unit: None,
                flags: vec!["not_a_number".into()],
            },
        }
    }

    /// Add a flag once.
    pub fn flag(&mut self, f: &str) {
        if !self.flags.iter().any(|x| x == f) {
            self.flags.push(f.to_string());
        }
    }

    /// True when the value can be used: a number not doubted by a failed check or an unsure placement.
    pub fn trusted(&self) -> bool {
        self.value.is_some()
            && !self.flags.iter().any(|f| {
                matches!(
                    f.as_str(),
                    "failed_check"
                        | "ambiguous_placement"
                        | "unplaced"
                        | "damaged_source"
                        | "ocr_doubt"
                )
            })
    }
}

/// A row of one block.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based source line of the row (its first line when wrapped).
    pub line: u32,
    /// Page of the row, for PDF input.
    pub page: Option<u32>,
    /// The 行次 number of the row, in tables that have a 行次 column.
    pub line_no: Option<u32>,
    /// The subject code (功能分类 or 经济分类), rebuilt when split across columns.
    pub code: Option<String>,
    /// The row label (subject name or item), wrapped parts joined.
    pub name: String,
    /// One entry per value column of the block; `None` where the cell is blank.
    pub values: Vec<Option<Value>>,
    /// What was repaired on the row (`joined_code`, `wrapped_name`, `code_from_name`, `missing_code`).
    pub flags: Vec<String>,
}

/// A side of a table (收入 | 支出; 人员经费 | 公用经费), each with its own labels and values.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The block's label (`收入`, `支出`, `人员经费`); empty for single-block tables.
    pub label: String,
    /// The value columns.
    pub columns: Vec<Column>,
    /// The rows, in print order.
    pub rows: Vec<Row>,
}

/// A table found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Ordinal of the table in its document, from 0.
    pub id: u32,
    /// The title line as printed (stray spaces removed).
    pub title: String,
    /// The table code as printed, normalised (`公开01表`, `表1`, `公开表7`).
    pub code: Option<String>,
    /// The standard table it is.
    pub kind: TableKind,
    /// The money unit stated for the table (`金额单位：万元`), else the document's.
    pub unit: Option<Unit>,
    /// Parsed, empty or unparsed.
    pub status: TableStatus,
    /// Why the table is unparsed, when it is.
    pub reason: Option<String>,
    /// 1-based first line of the table (its code line or title).
    pub line_start: u32,
    /// 1-based last line of the table (its notes included).
    pub line_end: u32,
    /// Page where the table starts, for PDF input.
    pub page: Option<u32>,
    /// The blocks with their columns and rows.
    pub blocks: Vec<Block>,
    /// The `注` lines, joined by newlines.
    pub notes: String,
    /// The table's text as printed, kept for unparsed tables (empty for the others).
    pub raw_text: String,
}

impl Table {
    /// Number of rows over all blocks.
    pub fn n_rows(&self) -> usize {
        self.blocks.iter().map(|b| b.rows.len()).sum()
    }

    /// Number of value columns over all blocks.
    pub fn n_cols(&self) -> usize {
        self.blocks.iter().map(|b| b.columns.len()).sum()
    }
}

/// Find and parse every table of a document; the lines of its tables are split into spans
/// (text input; `style` is the text style of the dump).
pub fn find_tables(
    lines: &mut [crate::layout::LayoutLine],
    outline: &crate::sections::Outline,
    doc_unit: Option<&str>,
    style: crate::lines::TextStyle,
) -> Vec<Table> {
    let regions = detect::regions(lines, outline);
    parse_regions(lines, &regions, doc_unit, style)
}

/// Parse the tables of regions already found: their lines are split into spans first.
pub fn parse_regions(
    lines: &mut [crate::layout::LayoutLine],
    regions: &[detect::Region],
    doc_unit: Option<&str>,
    style: crate::lines::TextStyle,
) -> Vec<Table> {
    for r in regions {
        for l in &mut lines[r.start..r.end] {
            l.split(style);
            // Cells are classified (code, 行次, 栏次, amount) on folded text: `５，３８２．０７`
            // reads as `5,382.07`. The line's text keeps the print.
            if !crate::normalize::has_fullwidth_digit(&l.text) {
                continue;
            }
            for s in &mut l.spans {
                if let std::borrow::Cow::Owned(f) = crate::normalize::fold_cell(&s.text) {
                    s.text = f;
                }
            }
        }
    }
    let mut tables: Vec<Table> = Vec::with_capacity(regions.len());
    for (i, r) in regions.iter().enumerate() {
        // Under a repeated title, the codes in force at the end of the previous part.
        let mut seed: [Option<String>; 2] = [None, None];
        if let Some(prev) = tables.last().filter(|p| p.title == r.title) {
            for row in prev.blocks.iter().take(1).flat_map(|b| &b.rows) {
                if let Some(c) = &row.code {
                    codes::note_context(&mut seed, c);
                }
            }
        }
        tables.push(parse::parse_region(
            i as u32,
            &lines[r.start..r.end],
            r,
            doc_unit,
            &seed,
        ));
    }
    merge_continuations(tables)
}

/// Whether a block has a total row (`合计` printed without a code).
fn has_total(b: &Block) -> bool {
    b.rows
        .iter()
        .any(|r| r.code.is_none() && parse::is_total(&r.name))
}

/// Join a table continued on the next page under its repeated title: the next table has the
/// same title (and code, if it prints one), starts on a later page, has blocks of the same
/// columns, and not both parts hold a total row (two tables of one title, each with its own
/// 合计, stay apart). Its rows are appended to the first part's blocks; ids are renumbered.
pub fn merge_continuations(tables: Vec<Table>) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::with_capacity(tables.len());
    for t in tables {
        if let Some(a) = out.last_mut().filter(|a| continues(a, &t)) {
            for (ab, tb) in a.blocks.iter_mut().zip(t.blocks) {
                ab.rows.extend(tb.rows);
            }
            a.line_end = t.line_end;
            if !t.notes.is_empty() {
                if !a.notes.is_empty() {
                    a.notes.push('\n');
                }
                a.notes.push_str(&t.notes);
            }
            continue;
        }
        out.push(t);
    }
    for (i, t) in out.iter_mut().enumerate() {
        t.id = i as u32;
    }
    out
}

/// Whether `b` is the continuation of `a` on a later page (see [`merge_continuations`]).
fn continues(a: &Table, b: &Table) -> bool {
    let last_page = a
        .blocks
        .iter()
        .flat_map(|bl| bl.rows.last())
        .filter_map(|r| r.page)
        .max();
    a.status == TableStatus::Parsed
        && b.status == TableStatus::Parsed
        && a.title == b.title
        && (b.code.is_none() || b.code == a.code)
        && matches!((last_page, b.page), (Some(x), Some(y)) if y > x)
        && a.blocks.len() == b.blocks.len()
        && a.blocks
            .iter()
            .zip(&b.blocks)
            .all(|(x, y)| x.columns.len() == y.columns.len())
        && !(a.blocks.iter().any(has_total) && b.blocks.iter().any(has_total))
}
