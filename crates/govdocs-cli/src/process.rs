//! Process one input file into its dataset rows. Never fails and never panics outward: any
//! error, including a panic in a parser, becomes the document's `failed` row.

use govdocs_core::checks::Check;
use govdocs_core::tables::{codes, Table, TableStatus};
use govdocs_core::{doc_id, parse_text, Document, SourceFormat, PARSER_VERSION};
use govdocs_output::{CellRow, CheckRow, DocumentRow, LineItemRow, SectionRow, TableRow};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// The rows one input produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The `documents` row (always present).
    pub document: DocumentRow,
    /// The `sections` rows (empty when the document failed).
    pub sections: Vec<SectionRow>,
    /// The `tables` rows.
    pub tables: Vec<TableRow>,
    /// The `cells` rows.
    pub cells: Vec<CellRow>,
    /// The `line_items` rows.
    pub line_items: Vec<LineItemRow>,
    /// The `checks` rows.
    pub checks: Vec<CheckRow>,
}

impl Outcome {
    /// True when the document parsed.
    pub fn ok(&self) -> bool {
        self.document.status == "ok"
    }
}

/// Largest input file read as one document, in bytes (64 MiB): real disclosures are under
/// 10 MB of text; a larger file fails with its own error instead of being read into memory.
pub const MAX_DOCUMENT_BYTES: u64 = 64 << 20;

/// Read and parse one file, within [`MAX_DOCUMENT_BYTES`].
pub fn process_file(path: &Path) -> Outcome {
    process_file_with_limit(path, MAX_DOCUMENT_BYTES)
}

/// Read and parse one file of at most `max_bytes`. The file's metadata is checked before
/// anything is read: a larger file, a folder, a FIFO or a device fails with its own error
/// (reading a FIFO would block the run).
pub fn process_file_with_limit(path: &Path, max_bytes: u64) -> Outcome {
    let source_path = path.to_string_lossy().into_owned();
    match read_limited(path, max_bytes) {
        Ok(bytes) => process_bytes(&source_path, &bytes),
        Err(error) => Outcome {
            document: DocumentRow {
                doc_id: doc_id(source_path.as_bytes()),
                source_path,
                source_format: "unknown".into(),
                status: "failed".into(),
                error: Some(error),
                parser_version: PARSER_VERSION.into(),
                ..Default::default()
            },
            ..Outcome::empty()
        },
    }
}

/// `n` bytes in MB (MiB), rounded up so that a file just over the limit does not print as equal to it.
fn megabytes(n: u64) -> u64 {
    n.div_ceil(1 << 20)
}

/// The bytes of a regular file of at most `max_bytes`, or the reason it cannot be read.
fn read_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    let cannot = |e: std::io::Error| format!("cannot read file: {e}");
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a FIFO, socket or device)"
        };
        return Err(format!("cannot read file: it is {what}"));
    }
    let too_big = |len: u64| {
        format!(
            "file is {} MB, over the {} MB limit for one document",
            megabytes(len),
            max_bytes >> 20
        )
    };
    if meta.len() > max_bytes {
        return Err(too_big(meta.len()));
    }
    // The file may grow between the check and the read: read at most one byte past the limit.
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Parse the bytes of one input named `source_path`.
pub fn process_bytes(source_path: &str, bytes: &[u8]) -> Outcome {
    let id = doc_id(bytes);
    let format = SourceFormat::sniff(bytes);
    let mut row = DocumentRow {
        doc_id: id.clone(),
        source_path: source_path.to_string(),
        source_format: format.as_str().into(),
        bytes: bytes.len() as u64,
        parser_version: PARSER_VERSION.into(),
        ..Default::default()
    };
    let parsed = catch_unwind(AssertUnwindSafe(|| match format {
        SourceFormat::Text => parse_text(bytes).map_err(|e| e.to_string()),
        SourceFormat::Pdf => crate::pdf_input::parse_pdf(bytes),
    }));
    let doc = match parsed {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return failed(row, e),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            return failed(row, format!("internal error (parser panicked): {msg}"));
        }
    };
    fill_row(&mut row, &doc);
    let sections = section_rows(&id, &doc);
    let tables = table_rows(&id, &doc);
    let cells = cell_rows(&id, &doc.tables);
    let line_items = line_item_rows(&row, &doc.tables);
    let checks = check_rows(&id, &doc.checks);
    Outcome {
        document: row,
        sections,
        tables,
        cells,
        line_items,
        checks,
    }
}

impl Outcome {
    fn empty() -> Outcome {
        Outcome {
            document: DocumentRow::default(),
            sections: Vec::new(),
            tables: Vec::new(),
            cells: Vec::new(),
            line_items: Vec::new(),
            checks: Vec::new(),
        }
    }
}

fn failed(mut row: DocumentRow, error: String) -> Outcome {
    row.status = "failed".into();
    row.error = Some(error);
    Outcome {
        document: row,
        ..Outcome::empty()
    }
}

fn fill_row(row: &mut DocumentRow, doc: &Document) {
    let m = &doc.meta;
    row.encoding = doc.encoding.map(|e| e.as_str().into());
    row.title = m.title.clone();
    row.department = m.department.clone();
    row.fiscal_year = m.fiscal_year;
    row.doc_kind = Some(m.kind.as_str().into());
    row.unit = m.unit.map(str::to_string);
    // The text style describes a text dump; a PDF has none.
    row.text_style = doc.encoding.map(|_| doc.style.as_str().into());
    row.status = "ok".into();
    row.n_lines = doc.total_lines;
    row.n_sections = doc.outline.sections.len() as u32;
    row.n_tables = doc.tables.len() as u32;
    row.n_tables_parsed = doc
        .tables
        .iter()
        .filter(|t| t.status == TableStatus::Parsed)
        .count() as u32;
    row.n_checks = doc.checks.len() as u32;
    row.n_checks_failed = doc.checks.iter().filter(|c| !c.pass).count() as u32;
    if let Some(t) = doc.outline.toc {
        row.n_toc_entries = t.entries;
        row.toc_line_start = Some(t.line_start);
        row.toc_line_end = Some(t.line_end);
    }
}

fn section_rows(id: &str, doc: &Document) -> Vec<SectionRow> {
    doc.outline
        .sections
        .iter()
        .map(|s| SectionRow {
            doc_id: id.to_string(),
            section_id: s.id,
            parent_id: s.parent,
            level: s.level,
            label: s.label.clone(),
            number: s.number,
            title: s.title.clone(),
            path: s.path.clone(),
            text: s.text.clone(),
            line_start: s.line_start,
            line_end: s.line_end,
            page_start: s.page_start,
            page_end: s.page_end,
        })
        .collect()
}

/// The section a line falls in: the last section starting at or before it.
fn section_of(doc: &Document, line: u32) -> Option<u32> {
    doc.outline
        .sections
        .iter()
        .filter(|s| s.line_start <= line)
        .max_by_key(|s| (s.line_start, s.level))
        .map(|s| s.id)
}

/// A column's label path with its block: `支出/合计`.
fn measure(block: &str, label: &str) -> String {
    match (block.is_empty(), label.is_empty()) {
        (true, _) => label.to_string(),
        (false, true) => block.to_string(),
        (false, false) => format!("{block}/{label}"),
    }
}

fn table_rows(id: &str, doc: &Document) -> Vec<TableRow> {
    doc.tables
        .iter()
        .map(|t| {
            let checks = doc.checks.iter().filter(|c| c.table_id == Some(t.id));
            let (pass, fail) = checks.fold(
                (0, 0),
                |(p, f), c| if c.pass { (p + 1, f) } else { (p, f + 1) },
            );
            TableRow {
                doc_id: id.to_string(),
                table_id: t.id,
                section_id: section_of(doc, t.line_start),
                title: t.title.clone(),
                code: t.code.clone(),
                kind: t.kind.as_str().into(),
                unit: t.unit.map(|u| u.as_str().into()),
                status: t.status.as_str().into(),
                reason: t.reason.clone(),
                n_rows: t.n_rows() as u32,
                n_cols: t.n_cols() as u32,
                n_blocks: t.blocks.len() as u32,
                column_labels: t
                    .blocks
                    .iter()
                    .flat_map(|b| {
                        b.columns.iter().map(|c| match c.col_no {
                            Some(n) => format!("{} [{n}]", measure(&b.label, &c.label)),
                            None => measure(&b.label, &c.label),
                        })
                    })
                    .collect(),
                line_start: t.line_start,
                line_end: t.line_end,
                page: t.page,
                checks_passed: pass,
                checks_failed: fail,
                notes: t.notes.clone(),
                raw_text: (t.status == TableStatus::Unparsed).then(|| t.raw_text.clone()),
            }
        })
        .collect()
}

fn cell_rows(id: &str, tables: &[Table]) -> Vec<CellRow> {
    let mut out = Vec::new();
    for t in tables.iter().filter(|t| t.status == TableStatus::Parsed) {
        for (bi, b) in t.blocks.iter().enumerate() {
            for (ri, r) in b.rows.iter().enumerate() {
                for (ci, v) in r.values.iter().enumerate() {
                    let Some(v) = v else { continue };
                    let col = &b.columns[ci];
                    let mut flags = v.flags.clone();
                    flags.extend(r.flags.iter().cloned());
                    out.push(CellRow {
                        doc_id: id.to_string(),
                        table_id: t.id,
                        block: bi as u32,
                        block_label: b.label.clone(),
                        row: ri as u32,
                        col: ci as u32,
                        line: r.line,
                        page: r.page,
                        row_label: r.name.clone(),
                        row_code: r.code.clone(),
                        row_line_no: r.line_no,
                        col_label: col.label.clone(),
                        col_no: col.col_no,
                        raw: v.raw.clone(),
                        value: if v.trusted() { v.value } else { None },
                        unit: v.unit.or(t.unit).map(|u| u.as_str().into()),
                        flags,
                    });
                }
            }
        }
    }
    out
}

fn line_item_rows(doc: &DocumentRow, tables: &[Table]) -> Vec<LineItemRow> {
    let mut out = Vec::new();
    for t in tables.iter().filter(|t| t.status == TableStatus::Parsed) {
        for b in &t.blocks {
            for r in &b.rows {
                for (ci, v) in r.values.iter().enumerate() {
                    let Some(v) = v.as_ref().filter(|v| v.trusted()) else {
                        continue;
                    };
                    out.push(LineItemRow {
                        doc_id: doc.doc_id.clone(),
                        fiscal_year: doc.fiscal_year,
                        department: doc.department.clone(),
                        doc_kind: doc.doc_kind.clone().unwrap_or_default(),
                        table_id: t.id,
                        table_kind: t.kind.as_str().into(),
                        table_code: t.code.clone(),
                        block: b.label.clone(),
                        subject_code: r.code.clone(),
                        subject_level: r.code.as_deref().and_then(codes::level),
                        subject_name: r.name.clone(),
                        measure: b.columns[ci].label.clone(),
                        col_no: b.columns[ci].col_no,
                        amount: v.value.expect("trusted values have a value"),
                        unit: v.unit.or(t.unit).map(|u| u.as_str().into()),
                    });
                }
            }
        }
    }
    out
}

fn check_rows(id: &str, checks: &[Check]) -> Vec<CheckRow> {
    checks
        .iter()
        .enumerate()
        .map(|(i, c)| CheckRow {
            doc_id: id.to_string(),
            check_id: i as u32,
            table_id: c.table_id,
            rule: c.rule.clone(),
            location: c.location.clone(),
            kind: c.kind.as_str().into(),
            expected: c.expected,
            actual: c.actual,
            delta: c.delta(),
            tolerance: c.tolerance,
            status: if c.pass { "pass" } else { "fail" }.into(),
        })
        .collect()
}
