//! Process one input file into its dataset rows. Never fails and never panics outward: any
//! error, including a panic in a parser, becomes the document's `failed` row.

use arrow_array::RecordBatch;
use govdocs_core::checks::Check;
use govdocs_core::department::department_key;
use govdocs_core::facts::{amount_yuan, measure_std, row_role};
use govdocs_core::meta::DocKind;
use govdocs_core::tables::{codes, Block, Table, TableStatus};
use govdocs_core::verify::CellTallies;
use govdocs_core::{doc_id, parse_text, Document, SourceFormat, PARSER_VERSION};
use govdocs_output::facts::{cells_batch, checks_batch, line_items_batch, tables_batch};
use govdocs_output::rows::sections_batch;
use govdocs_output::{CellRow, CheckRow, DocumentRow, LineItemRow, SectionRow, TableRow};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// What one input produced: its `documents` row and, when it parsed, the parsed document, from
/// which the rows of the other datasets are borrowed on demand (no string is copied until the
/// rows become Arrow arrays).
#[derive(Debug)]
pub struct Outcome {
    /// The `documents` row (always present).
    pub document: DocumentRow,
    /// The parsed document; `None` when it failed.
    pub parsed: Option<Document>,
}

impl Outcome {
    /// True when the document parsed.
    pub fn ok(&self) -> bool {
        self.document.status == "ok"
    }

    /// The `sections` rows (empty when the document failed).
    pub fn sections(&self) -> Vec<SectionRow<'_>> {
        self.rows(section_rows)
    }

    /// The `tables` rows.
    pub fn tables(&self) -> Vec<TableRow<'_>> {
        self.rows(table_rows)
    }

    /// The `cells` rows.
    pub fn cells(&self) -> Vec<CellRow<'_>> {
        self.rows(|id, doc| {
            let tallies = CellTallies::new(&doc.tables, &doc.checks);
            cell_rows(
                id,
                doc.meta.kind == DocKind::FinalAccount,
                &doc.tables,
                &tallies,
            )
        })
    }

    /// The `line_items` rows.
    pub fn line_items(&self) -> Vec<LineItemRow<'_>> {
        self.parsed
            .as_ref()
            .map_or_else(Vec::new, |d| line_item_rows(&self.document, &d.tables))
    }

    /// The `checks` rows.
    pub fn checks(&self) -> Vec<CheckRow<'_>> {
        self.rows(|id, doc| check_rows(id, &doc.checks))
    }

    /// The rows of `sections`, `tables`, `cells`, `line_items` and `checks` as Arrow batches,
    /// in that order. Panics only on a bug (a value the schema cannot hold); the run calls it
    /// inside the document's isolation, the `document_rows` fuzz target without.
    pub fn batches(&self) -> [RecordBatch; 5] {
        [
            sections_batch(&self.sections()),
            tables_batch(&self.tables()),
            cells_batch(&self.cells()),
            line_items_batch(&self.line_items()),
            checks_batch(&self.checks()),
        ]
    }

    fn rows<'a, R>(&'a self, f: impl FnOnce(&'a str, &'a Document) -> Vec<R>) -> Vec<R> {
        self.parsed
            .as_ref()
            .map_or_else(Vec::new, |d| f(&self.document.doc_id, d))
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
            parsed: None,
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
            let msg = panic_message(panic.as_ref());
            return failed(row, format!("internal error (parser panicked): {msg}"));
        }
    };
    fill_row(&mut row, &doc);
    if row.repaired {
        tracing::warn!(path = %source_path, repairs = ?doc.repairs, "document read from a damaged file");
    }
    Outcome {
        document: row,
        parsed: Some(doc),
    }
}

/// The message a panic carried, for a document's error.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

fn failed(mut row: DocumentRow, error: String) -> Outcome {
    row.status = "failed".into();
    row.error = Some(error);
    Outcome {
        document: row,
        parsed: None,
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
    row.repaired = !doc.repairs.is_empty();
    row.warnings = doc.repairs.iter().chain(&doc.warnings).cloned().collect();
    row.n_lines = doc.total_lines;
    row.n_sections = doc.outline.sections.len() as u32;
    row.n_tables = doc.tables.len() as u32;
    row.n_tables_parsed = doc
        .tables
        .iter()
        .filter(|t| t.status == TableStatus::Parsed)
        .count() as u32;
    row.tables_attached = doc.tables_attached;
    row.n_checks = doc.checks.len() as u32;
    row.n_checks_failed = doc.checks.iter().filter(|c| !c.pass).count() as u32;
    if let Some(t) = doc.outline.toc {
        row.n_toc_entries = t.entries;
        row.toc_line_start = Some(t.line_start);
        row.toc_line_end = Some(t.line_end);
    }
}

fn section_rows<'a>(id: &'a str, doc: &'a Document) -> Vec<SectionRow<'a>> {
    doc.outline
        .sections
        .iter()
        .map(|s| SectionRow {
            doc_id: id,
            section_id: s.id,
            parent_id: s.parent,
            level: s.level,
            label: &s.label,
            number: s.number,
            title: &s.title,
            path: &s.path,
            text: &s.text,
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

fn table_rows<'a>(id: &'a str, doc: &'a Document) -> Vec<TableRow<'a>> {
    doc.tables
        .iter()
        .map(|t| {
            let checks = doc.checks.iter().filter(|c| c.table_id == Some(t.id));
            let (pass, fail) = checks.fold(
                (0, 0),
                |(p, f), c| if c.pass { (p + 1, f) } else { (p, f + 1) },
            );
            TableRow {
                doc_id: id,
                table_id: t.id,
                section_id: section_of(doc, t.line_start),
                title: &t.title,
                code: t.code.as_deref(),
                kind: t.kind.as_str(),
                unit: t.unit.map(|u| u.as_str()),
                status: t.status.as_str(),
                reason: t.reason.as_deref(),
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
                notes: &t.notes,
                raw_text: (t.status == TableStatus::Unparsed).then_some(t.raw_text.as_str()),
            }
        })
        .collect()
}

/// The canonical measure of each value column of a block (see `govdocs_core::facts`).
fn block_measures(t: &Table, b: &Block, final_account: bool) -> Vec<Option<&'static str>> {
    b.columns
        .iter()
        .map(|c| measure_std(t.kind, &b.label, &c.label, final_account))
        .collect()
}

fn cell_rows<'a>(
    id: &'a str,
    final_account: bool,
    tables: &'a [Table],
    tallies: &CellTallies,
) -> Vec<CellRow<'a>> {
    let mut out = Vec::new();
    for t in tables.iter().filter(|t| t.status == TableStatus::Parsed) {
        for (bi, b) in t.blocks.iter().enumerate() {
            let measures = block_measures(t, b, final_account);
            for (ri, r) in b.rows.iter().enumerate() {
                let role = row_role(t.kind, r.code.as_deref(), &r.name).map(|r| r.as_str());
                for (ci, v) in r.values.iter().enumerate() {
                    let Some(v) = v else { continue };
                    let col = &b.columns[ci];
                    let flags = v.flags.iter().chain(&r.flags).map(String::as_str);
                    let tally = tallies.get(t.id, bi, ri, ci);
                    let value = if v.trusted() { v.value } else { None };
                    let unit = v.unit.or(t.unit);
                    out.push(CellRow {
                        doc_id: id,
                        table_id: t.id,
                        block: bi as u32,
                        block_label: &b.label,
                        row: ri as u32,
                        col: ci as u32,
                        line: r.line,
                        page: r.page,
                        row_label: &r.name,
                        row_code: r.code.as_deref(),
                        row_line_no: r.line_no,
                        col_label: &col.label,
                        col_no: col.col_no,
                        raw: &v.raw,
                        value,
                        unit: unit.map(|u| u.as_str()),
                        value_yuan: value.and_then(|v| amount_yuan(v, unit)),
                        flags: flags.collect(),
                        checks_passed: tally.passed,
                        checks_failed: tally.failed,
                        measure_std: measures[ci],
                        row_role: role,
                    });
                }
            }
        }
    }
    out
}

fn line_item_rows<'a>(doc: &'a DocumentRow, tables: &'a [Table]) -> Vec<LineItemRow<'a>> {
    let mut out = Vec::new();
    let final_account = doc.doc_kind.as_deref() == Some(DocKind::FinalAccount.as_str());
    let key: Option<std::sync::Arc<str>> = doc
        .department
        .as_deref()
        .and_then(department_key)
        .map(Into::into);
    for t in tables.iter().filter(|t| t.status == TableStatus::Parsed) {
        for b in &t.blocks {
            let measures = block_measures(t, b, final_account);
            for r in &b.rows {
                let role = row_role(t.kind, r.code.as_deref(), &r.name).map(|r| r.as_str());
                for (ci, v) in r.values.iter().enumerate() {
                    let Some(v) = v.as_ref().filter(|v| v.trusted()) else {
                        continue;
                    };
                    let amount = v.value.expect("trusted values have a value");
                    let unit = v.unit.or(t.unit);
                    out.push(LineItemRow {
                        doc_id: &doc.doc_id,
                        fiscal_year: doc.fiscal_year,
                        department: doc.department.as_deref(),
                        doc_kind: doc.doc_kind.as_deref().unwrap_or_default(),
                        table_id: t.id,
                        table_kind: t.kind.as_str(),
                        table_code: t.code.as_deref(),
                        block: &b.label,
                        subject_code: r.code.as_deref(),
                        subject_level: r.code.as_deref().and_then(codes::level),
                        subject_name: &r.name,
                        measure: &b.columns[ci].label,
                        col_no: b.columns[ci].col_no,
                        amount,
                        unit: unit.map(|u| u.as_str()),
                        amount_yuan: amount_yuan(amount, unit),
                        measure_std: measures[ci],
                        row_role: role,
                        department_key: key.clone(),
                    });
                }
            }
        }
    }
    out
}

fn check_rows<'a>(id: &'a str, checks: &'a [Check]) -> Vec<CheckRow<'a>> {
    checks
        .iter()
        .enumerate()
        .map(|(i, c)| CheckRow {
            doc_id: id,
            check_id: i as u32,
            table_id: c.table_id,
            rule: &c.rule,
            location: &c.location,
            kind: c.kind.as_str(),
            expected: c.expected,
            actual: c.actual,
            delta: c.delta(),
            tolerance: c.tolerance,
            status: if c.pass { "pass" } else { "fail" },
        })
        .collect()
}
