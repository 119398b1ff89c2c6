//! The rows of one document read back from the datasets, as plain structs for its page. Columns
//! an older output lacks read as empty.

use crate::cols::{self, need, os, ou32};
use anyhow::Result;
use arrow_array::{Array, RecordBatch};
use rust_decimal::Decimal;

/// Columns of `documents` the report reads.
pub const DOCUMENT_COLUMNS: [&str; 17] = [
    "doc_id",
    "source_path",
    "source_format",
    "encoding",
    "bytes",
    "title",
    "department",
    "fiscal_year",
    "doc_kind",
    "unit",
    "text_style",
    "status",
    "error",
    "n_lines",
    "parser_version",
    "n_toc_entries",
    "tables_attached",
];

/// Columns of `sections` the report reads (not the sections' texts).
pub const SECTION_COLUMNS: [&str; 11] = [
    "doc_id",
    "section_id",
    "parent_id",
    "level",
    "label",
    "title",
    "path",
    "line_start",
    "line_end",
    "page_start",
    "page_end",
];

/// Columns of `tables` the report reads.
pub const TABLE_COLUMNS: [&str; 20] = [
    "doc_id",
    "table_id",
    "section_id",
    "title",
    "code",
    "kind",
    "unit",
    "status",
    "reason",
    "n_rows",
    "n_cols",
    "n_blocks",
    "column_labels",
    "line_start",
    "line_end",
    "page",
    "checks_passed",
    "checks_failed",
    "notes",
    "raw_text",
];

/// Columns of `cells` the report reads.
pub const CELL_COLUMNS: [&str; 19] = [
    "doc_id",
    "table_id",
    "block",
    "block_label",
    "row",
    "col",
    "line",
    "page",
    "row_label",
    "row_code",
    "row_line_no",
    "col_label",
    "col_no",
    "raw",
    "value",
    "unit",
    "flags",
    "checks_passed",
    "checks_failed",
];

/// Columns of `checks` the report reads.
pub const CHECK_COLUMNS: [&str; 11] = [
    "doc_id",
    "check_id",
    "table_id",
    "rule",
    "location",
    "kind",
    "expected",
    "actual",
    "delta",
    "tolerance",
    "status",
];

/// One `documents` row (one input path).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocRow {
    /// Content hash.
    pub doc_id: String,
    /// Input path as the run found it.
    pub source_path: String,
    /// `text`, `pdf` or `unknown`.
    pub source_format: String,
    /// Encoding of a text dump.
    pub encoding: Option<String>,
    /// File size.
    pub bytes: Option<u64>,
    /// Title as printed.
    pub title: Option<String>,
    /// Department as printed.
    pub department: Option<String>,
    /// Fiscal year.
    pub fiscal_year: Option<i32>,
    /// `budget`, `final_account`, `performance_evaluation`, `other`.
    pub doc_kind: Option<String>,
    /// Default money unit.
    pub unit: Option<String>,
    /// Text style of a dump.
    pub text_style: Option<String>,
    /// `ok` or `failed`.
    pub status: String,
    /// Why it failed.
    pub error: Option<String>,
    /// Lines in the file.
    pub n_lines: Option<u32>,
    /// Entries of the 目录.
    pub n_toc_entries: Option<u32>,
    /// Parser version that wrote the row.
    pub parser_version: String,
    /// The document's tables are attached apart and none is expected (false when the column
    /// is absent, in older outputs).
    pub tables_attached: bool,
}

/// Read the `documents` rows of batches.
pub fn documents(batches: &[RecordBatch]) -> Result<Vec<DocRow>> {
    let mut out = Vec::new();
    for b in batches {
        let id = need(cols::strs(b, "doc_id")?, "documents.doc_id")?;
        let path = cols::strs(b, "source_path")?;
        let fmt = cols::strs(b, "source_format")?;
        let enc = cols::strs(b, "encoding")?;
        let bytes = cols::u64s(b, "bytes")?;
        let title = cols::strs(b, "title")?;
        let dept = cols::strs(b, "department")?;
        let year = cols::i32s(b, "fiscal_year")?;
        let kind = cols::strs(b, "doc_kind")?;
        let unit = cols::strs(b, "unit")?;
        let style = cols::strs(b, "text_style")?;
        let status = cols::strs(b, "status")?;
        let error = cols::strs(b, "error")?;
        let lines = cols::u32s(b, "n_lines")?;
        let toc = cols::u32s(b, "n_toc_entries")?;
        let version = cols::strs(b, "parser_version")?;
        let attached = cols::bools(b, "tables_attached")?;
        let o = |a, i| os(a, i).map(str::to_string);
        for i in 0..b.num_rows() {
            out.push(DocRow {
                doc_id: id.value(i).to_string(),
                source_path: o(path, i).unwrap_or_default(),
                source_format: o(fmt, i).unwrap_or_default(),
                encoding: o(enc, i),
                bytes: bytes.and_then(|a| (!a.is_null(i)).then(|| a.value(i))),
                title: o(title, i),
                department: o(dept, i),
                fiscal_year: year.and_then(|a| (!a.is_null(i)).then(|| a.value(i))),
                doc_kind: o(kind, i),
                unit: o(unit, i),
                text_style: o(style, i),
                status: o(status, i).unwrap_or_default(),
                error: o(error, i),
                n_lines: ou32(lines, i),
                n_toc_entries: ou32(toc, i),
                parser_version: o(version, i).unwrap_or_default(),
                tables_attached: attached.is_some_and(|a| !a.is_null(i) && a.value(i)),
            });
        }
    }
    Ok(out)
}

/// One heading of the section tree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionRow {
    /// Ordinal in the document.
    pub section_id: u32,
    /// Enclosing section.
    pub parent_id: Option<u32>,
    /// 0 front matter … 5 （1）.
    pub level: u8,
    /// Heading label.
    pub label: String,
    /// Heading title.
    pub title: String,
    /// First line.
    pub line_start: Option<u32>,
    /// Last line.
    pub line_end: Option<u32>,
    /// First page (PDF).
    pub page_start: Option<u32>,
    /// Last page (PDF).
    pub page_end: Option<u32>,
}

/// Read `sections` rows.
pub fn sections(batches: &[RecordBatch]) -> Result<Vec<SectionRow>> {
    let mut out = Vec::new();
    for b in batches {
        let id = need(cols::u32s(b, "section_id")?, "sections.section_id")?;
        let parent = cols::u32s(b, "parent_id")?;
        let level = cols::u8s(b, "level")?;
        let label = cols::strs(b, "label")?;
        let title = cols::strs(b, "title")?;
        let ls = cols::u32s(b, "line_start")?;
        let le = cols::u32s(b, "line_end")?;
        let ps = cols::u32s(b, "page_start")?;
        let pe = cols::u32s(b, "page_end")?;
        for i in 0..b.num_rows() {
            out.push(SectionRow {
                section_id: id.value(i),
                parent_id: ou32(parent, i),
                level: level.map_or(0, |a| a.value(i)),
                label: os(label, i).unwrap_or_default().to_string(),
                title: os(title, i).unwrap_or_default().to_string(),
                line_start: ou32(ls, i),
                line_end: ou32(le, i),
                page_start: ou32(ps, i),
                page_end: ou32(pe, i),
            });
        }
    }
    Ok(out)
}

/// One table of the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableRow {
    /// Ordinal in the document.
    pub table_id: u32,
    /// Title as printed.
    pub title: String,
    /// Table code.
    pub code: Option<String>,
    /// Standard kind.
    pub kind: String,
    /// Money unit.
    pub unit: Option<String>,
    /// `parsed`, `empty`, `unparsed`.
    pub status: String,
    /// Why unparsed.
    pub reason: Option<String>,
    /// Blocks side by side.
    pub n_blocks: u32,
    /// Every value column as `block/label [栏次]`.
    pub column_labels: Vec<String>,
    /// First source line.
    pub line_start: Option<u32>,
    /// Last source line.
    pub line_end: Option<u32>,
    /// First page (PDF).
    pub page: Option<u32>,
    /// Checks passed on the table.
    pub checks_passed: u32,
    /// Checks failed on the table.
    pub checks_failed: u32,
    /// The `注` lines.
    pub notes: String,
    /// Raw text of an unparsed table.
    pub raw_text: Option<String>,
}

/// Read `tables` rows.
pub fn tables(batches: &[RecordBatch]) -> Result<Vec<TableRow>> {
    let mut out = Vec::new();
    for b in batches {
        let id = need(cols::u32s(b, "table_id")?, "tables.table_id")?;
        let title = cols::strs(b, "title")?;
        let code = cols::strs(b, "code")?;
        let kind = cols::strs(b, "kind")?;
        let unit = cols::strs(b, "unit")?;
        let status = cols::strs(b, "status")?;
        let reason = cols::strs(b, "reason")?;
        let blocks = cols::u32s(b, "n_blocks")?;
        let labels = cols::lists(b, "column_labels")?;
        let ls = cols::u32s(b, "line_start")?;
        let le = cols::u32s(b, "line_end")?;
        let page = cols::u32s(b, "page")?;
        let cp = cols::u32s(b, "checks_passed")?;
        let cf = cols::u32s(b, "checks_failed")?;
        let notes = cols::strs(b, "notes")?;
        let raw = cols::strs(b, "raw_text")?;
        let o = |a, i| os(a, i).map(str::to_string);
        for i in 0..b.num_rows() {
            out.push(TableRow {
                table_id: id.value(i),
                title: o(title, i).unwrap_or_default(),
                code: o(code, i),
                kind: o(kind, i).unwrap_or_default(),
                unit: o(unit, i),
                status: o(status, i).unwrap_or_default(),
                reason: o(reason, i),
                n_blocks: ou32(blocks, i).unwrap_or(1),
                column_labels: cols::list_at(labels, i),
                line_start: ou32(ls, i),
                line_end: ou32(le, i),
                page: ou32(page, i),
                checks_passed: ou32(cp, i).unwrap_or(0),
                checks_failed: ou32(cf, i).unwrap_or(0),
                notes: o(notes, i).unwrap_or_default(),
                raw_text: o(raw, i),
            });
        }
    }
    Ok(out)
}

/// One value cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellRow {
    /// Table.
    pub table_id: u32,
    /// Block index.
    pub block: u32,
    /// Block label.
    pub block_label: String,
    /// Row index in the block.
    pub row: u32,
    /// Value column index in the block.
    pub col: u32,
    /// Source line of the row.
    pub line: Option<u32>,
    /// Page (PDF).
    pub page: Option<u32>,
    /// Row label.
    pub row_label: String,
    /// Subject code.
    pub row_code: Option<String>,
    /// 行次.
    pub row_line_no: Option<u32>,
    /// Column label path.
    pub col_label: String,
    /// 栏次.
    pub col_no: Option<u32>,
    /// Text as printed.
    pub raw: String,
    /// Trusted value.
    pub value: Option<Decimal>,
    /// Unit.
    pub unit: Option<String>,
    /// Repairs and doubts.
    pub flags: Vec<String>,
    /// Passing checks listing the cell (`None` in outputs without the column).
    pub checks_passed: Option<u32>,
    /// Failing checks listing the cell.
    pub checks_failed: Option<u32>,
}

/// Read `cells` rows.
pub fn cells(batches: &[RecordBatch]) -> Result<Vec<CellRow>> {
    let mut out = Vec::new();
    for b in batches {
        let tid = need(cols::u32s(b, "table_id")?, "cells.table_id")?;
        let block = cols::u32s(b, "block")?;
        let bl = cols::strs(b, "block_label")?;
        let row = cols::u32s(b, "row")?;
        let col = cols::u32s(b, "col")?;
        let line = cols::u32s(b, "line")?;
        let page = cols::u32s(b, "page")?;
        let rl = cols::strs(b, "row_label")?;
        let rc = cols::strs(b, "row_code")?;
        let rn = cols::u32s(b, "row_line_no")?;
        let cl = cols::strs(b, "col_label")?;
        let cn = cols::u32s(b, "col_no")?;
        let raw = cols::strs(b, "raw")?;
        let value = cols::decimals(b, "value")?;
        let unit = cols::strs(b, "unit")?;
        let flags = cols::lists(b, "flags")?;
        let cp = cols::u32s(b, "checks_passed")?;
        let cf = cols::u32s(b, "checks_failed")?;
        let o = |a, i| os(a, i).map(str::to_string);
        for i in 0..b.num_rows() {
            out.push(CellRow {
                table_id: tid.value(i),
                block: ou32(block, i).unwrap_or(0),
                block_label: o(bl, i).unwrap_or_default(),
                row: ou32(row, i).unwrap_or(0),
                col: ou32(col, i).unwrap_or(0),
                line: ou32(line, i),
                page: ou32(page, i),
                row_label: o(rl, i).unwrap_or_default(),
                row_code: o(rc, i),
                row_line_no: ou32(rn, i),
                col_label: o(cl, i).unwrap_or_default(),
                col_no: ou32(cn, i),
                raw: o(raw, i).unwrap_or_default(),
                value: value.and_then(|v| v.get(i)),
                unit: o(unit, i),
                flags: cols::list_at(flags, i),
                checks_passed: ou32(cp, i),
                checks_failed: ou32(cf, i),
            });
        }
    }
    Ok(out)
}

/// One check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckRow {
    /// Ordinal in the document.
    pub check_id: u32,
    /// Table checked; `None` for cross-table checks.
    pub table_id: Option<u32>,
    /// The rule.
    pub rule: String,
    /// Where it was applied.
    pub location: String,
    /// `stated`, `hierarchy`, `total`, `cross_table`.
    pub kind: String,
    /// Left-hand side.
    pub expected: Option<Decimal>,
    /// Sum of the parts.
    pub actual: Option<Decimal>,
    /// actual − expected.
    pub delta: Option<Decimal>,
    /// Allowed difference.
    pub tolerance: Option<Decimal>,
    /// `pass` or `fail`.
    pub status: String,
}

/// Read `checks` rows.
pub fn checks(batches: &[RecordBatch]) -> Result<Vec<CheckRow>> {
    let mut out = Vec::new();
    for b in batches {
        let id = need(cols::u32s(b, "check_id")?, "checks.check_id")?;
        let tid = cols::u32s(b, "table_id")?;
        let rule = cols::strs(b, "rule")?;
        let loc = cols::strs(b, "location")?;
        let kind = cols::strs(b, "kind")?;
        let exp = cols::decimals(b, "expected")?;
        let act = cols::decimals(b, "actual")?;
        let delta = cols::decimals(b, "delta")?;
        let tol = cols::decimals(b, "tolerance")?;
        let status = cols::strs(b, "status")?;
        let o = |a, i| os(a, i).unwrap_or_default().to_string();
        for i in 0..b.num_rows() {
            out.push(CheckRow {
                check_id: id.value(i),
                table_id: ou32(tid, i),
                rule: o(rule, i),
                location: o(loc, i),
                kind: o(kind, i),
                expected: exp.and_then(|v| v.get(i)),
                actual: act.and_then(|v| v.get(i)),
                delta: delta.and_then(|v| v.get(i)),
                tolerance: tol.and_then(|v| v.get(i)),
                status: o(status, i),
            });
        }
    }
    Ok(out)
}
