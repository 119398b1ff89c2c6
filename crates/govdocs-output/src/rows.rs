//! Row types of the datasets and their conversion to Arrow record batches.

use crate::columns::{lists, strings, u32s};
use arrow_array::builder::{BooleanBuilder, Int32Builder, UInt64Builder, UInt8Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use std::sync::Arc;

/// One row of `documents`: one input file, parsed or failed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentRow {
    /// Content hash of the file (BLAKE3, 32 hex digits).
    pub doc_id: String,
    /// Path of the input file as given to the run.
    pub source_path: String,
    /// `text`, `pdf` or `unknown`.
    pub source_format: String,
    /// Encoding the text was read in, when it was read.
    pub encoding: Option<String>,
    /// File size in bytes.
    pub bytes: u64,
    /// Title as printed in the title block.
    pub title: Option<String>,
    /// Department name as printed.
    pub department: Option<String>,
    /// Fiscal year the document reports on.
    pub fiscal_year: Option<i32>,
    /// `budget`, `final_account`, `performance_evaluation` or `other`.
    pub doc_kind: Option<String>,
    /// Default money unit: `wan_yuan`, `yuan` or `yi_yuan`.
    pub unit: Option<String>,
    /// `tabbed`, `wrapped` or `plain` for text input.
    pub text_style: Option<String>,
    /// `ok` or `failed`.
    pub status: String,
    /// Why the document failed, when it did.
    pub error: Option<String>,
    /// True when the file was damaged and read after a repair.
    pub repaired: bool,
    /// What was repaired, and what a reader of the data should know (`documents.warnings`).
    pub warnings: Vec<String>,
    /// Lines in the file.
    pub n_lines: u32,
    /// Sections found (front matter included).
    pub n_sections: u32,
    /// Entries listed in the 目录.
    pub n_toc_entries: u32,
    /// Tables found (parsed, empty and unparsed).
    pub n_tables: u32,
    /// Tables whose values were read.
    pub n_tables_parsed: u32,
    /// The document prints none of its standard tables and says they are attached apart
    /// (`附件：…部门预算报表`): it expects none.
    pub tables_attached: bool,
    /// Checks run.
    pub n_checks: u32,
    /// Checks failed.
    pub n_checks_failed: u32,
    /// First line of the 目录, when there is one.
    pub toc_line_start: Option<u32>,
    /// Last line of the 目录, when there is one.
    pub toc_line_end: Option<u32>,
    /// Version of the parsing rules that produced the row.
    pub parser_version: String,
}

/// One row of `sections`: a heading of a document and its own text, borrowed from the parsed
/// document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionRow<'a> {
    /// Document the section belongs to.
    pub doc_id: &'a str,
    /// Ordinal of the section within its document, from 0.
    pub section_id: u32,
    /// The enclosing section's `section_id`; null at the top.
    pub parent_id: Option<u32>,
    /// 0 front matter, 1 第X部分, 2 X、, 3 （X）, 4 1., 5 （1）.
    pub level: u8,
    /// Heading label in canonical form.
    pub label: &'a str,
    /// The label's number.
    pub number: u32,
    /// Heading title, stray spaces removed, wrapped lines joined.
    pub title: &'a str,
    /// Labels from the top down, joined by ` > `.
    pub path: &'a str,
    /// The section's own text.
    pub text: &'a str,
    /// First line (1-based) of the section.
    pub line_start: u32,
    /// Last line (1-based) of the section including sub-sections.
    pub line_end: u32,
    /// Page of the heading (PDF input).
    pub page_start: Option<u32>,
    /// Last page of the section including sub-sections (PDF input).
    pub page_end: Option<u32>,
}

/// A schema field.
pub(crate) fn field(name: &str, dt: DataType, nullable: bool) -> Field {
    Field::new(name, dt, nullable)
}

/// Arrow schema of `documents`.
pub fn documents_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("doc_id", Utf8, false),
        field("source_path", Utf8, false),
        field("source_format", Utf8, false),
        field("encoding", Utf8, true),
        field("bytes", UInt64, false),
        field("title", Utf8, true),
        field("department", Utf8, true),
        field("fiscal_year", Int32, true),
        field("doc_kind", Utf8, true),
        field("unit", Utf8, true),
        field("text_style", Utf8, true),
        field("status", Utf8, false),
        field("error", Utf8, true),
        field("repaired", Boolean, false),
        field(
            "warnings",
            List(Arc::new(Field::new("item", Utf8, true))),
            false,
        ),
        field("n_lines", UInt32, false),
        field("n_sections", UInt32, false),
        field("n_toc_entries", UInt32, false),
        field("n_tables", UInt32, false),
        field("n_tables_parsed", UInt32, false),
        field("tables_attached", Boolean, false),
        field("n_checks", UInt32, false),
        field("n_checks_failed", UInt32, false),
        field("toc_line_start", UInt32, true),
        field("toc_line_end", UInt32, true),
        field("parser_version", Utf8, false),
    ]))
}

/// Arrow schema of `sections`.
pub fn sections_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("doc_id", Utf8, false),
        field("section_id", UInt32, false),
        field("parent_id", UInt32, true),
        field("level", UInt8, false),
        field("label", Utf8, false),
        field("number", UInt32, false),
        field("title", Utf8, false),
        field("path", Utf8, false),
        field("text", Utf8, false),
        field("line_start", UInt32, false),
        field("line_end", UInt32, false),
        field("page_start", UInt32, true),
        field("page_end", UInt32, true),
    ]))
}

/// Build the `documents` record batch.
pub fn documents_batch(rows: &[DocumentRow]) -> RecordBatch {
    let s = |f: fn(&DocumentRow) -> &str| strings(rows, |r| Some(f(r)));
    let os = |f: fn(&DocumentRow) -> Option<&str>| strings(rows, f);
    let u32s = |f: fn(&DocumentRow) -> Option<u32>| u32s(rows, f);
    let mut bytes = UInt64Builder::with_capacity(rows.len());
    let mut year = Int32Builder::with_capacity(rows.len());
    let mut repaired = BooleanBuilder::with_capacity(rows.len());
    let mut attached = BooleanBuilder::with_capacity(rows.len());
    for r in rows {
        bytes.append_value(r.bytes);
        year.append_option(r.fiscal_year);
        repaired.append_value(r.repaired);
        attached.append_value(r.tables_attached);
    }
    let cols: Vec<ArrayRef> = vec![
        s(|r| &r.doc_id),
        s(|r| &r.source_path),
        s(|r| &r.source_format),
        os(|r| r.encoding.as_deref()),
        Arc::new(bytes.finish()),
        os(|r| r.title.as_deref()),
        os(|r| r.department.as_deref()),
        Arc::new(year.finish()),
        os(|r| r.doc_kind.as_deref()),
        os(|r| r.unit.as_deref()),
        os(|r| r.text_style.as_deref()),
        s(|r| &r.status),
        os(|r| r.error.as_deref()),
        Arc::new(repaired.finish()),
        lists(rows, |r| &r.warnings),
        u32s(|r| Some(r.n_lines)),
        u32s(|r| Some(r.n_sections)),
        u32s(|r| Some(r.n_toc_entries)),
        u32s(|r| Some(r.n_tables)),
        u32s(|r| Some(r.n_tables_parsed)),
        Arc::new(attached.finish()),
        u32s(|r| Some(r.n_checks)),
        u32s(|r| Some(r.n_checks_failed)),
        u32s(|r| r.toc_line_start),
        u32s(|r| r.toc_line_end),
        s(|r| &r.parser_version),
    ];
    RecordBatch::try_new(documents_schema(), cols).expect("documents columns match schema")
}

/// Build the `sections` record batch.
pub fn sections_batch(rows: &[SectionRow<'_>]) -> RecordBatch {
    let mut level = UInt8Builder::with_capacity(rows.len());
    rows.iter().for_each(|r| level.append_value(r.level));
    let cols: Vec<ArrayRef> = vec![
        strings(rows, |r| Some(r.doc_id)),
        u32s(rows, |r| Some(r.section_id)),
        u32s(rows, |r| r.parent_id),
        Arc::new(level.finish()),
        strings(rows, |r| Some(r.label)),
        u32s(rows, |r| Some(r.number)),
        strings(rows, |r| Some(r.title)),
        strings(rows, |r| Some(r.path)),
        strings(rows, |r| Some(r.text)),
        u32s(rows, |r| Some(r.line_start)),
        u32s(rows, |r| Some(r.line_end)),
        u32s(rows, |r| r.page_start),
        u32s(rows, |r| r.page_end),
    ];
    RecordBatch::try_new(sections_schema(), cols).expect("sections columns match schema")
}
