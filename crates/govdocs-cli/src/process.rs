//! Process one input file into its dataset rows. Never fails and never panics outward: any
//! error, including a panic in a parser, becomes the document's `failed` row.

use govdocs_core::{doc_id, parse_text, Document, SourceFormat, PARSER_VERSION};
use govdocs_output::{DocumentRow, SectionRow};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// The rows one input produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The `documents` row (always present).
    pub document: DocumentRow,
    /// The `sections` rows (empty when the document failed).
    pub sections: Vec<SectionRow>,
}

impl Outcome {
    /// True when the document parsed.
    pub fn ok(&self) -> bool {
        self.document.status == "ok"
    }
}

/// Read and parse one file.
pub fn process_file(path: &Path) -> Outcome {
    let source_path = path.to_string_lossy().into_owned();
    match std::fs::read(path) {
        Ok(bytes) => process_bytes(&source_path, &bytes),
        Err(e) => Outcome {
            document: DocumentRow {
                doc_id: doc_id(source_path.as_bytes()),
                source_path,
                source_format: "unknown".into(),
                status: "failed".into(),
                error: Some(format!("cannot read file: {e}")),
                parser_version: PARSER_VERSION.into(),
                ..Default::default()
            },
            sections: Vec::new(),
        },
    }
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
        SourceFormat::Text => parse_text(bytes),
        SourceFormat::Pdf => Err(govdocs_core::DocError::Unsupported(
            "PDF ingestion is not implemented in this version",
        )),
    }));
    let doc = match parsed {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return failed(row, e.to_string()),
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
    Outcome {
        document: row,
        sections,
    }
}

fn failed(mut row: DocumentRow, error: String) -> Outcome {
    row.status = "failed".into();
    row.error = Some(error);
    Outcome {
        document: row,
        sections: Vec::new(),
    }
}

fn fill_row(row: &mut DocumentRow, doc: &Document) {
    let m = &doc.meta;
    row.encoding = Some(doc.encoding.as_str().into());
    row.title = m.title.clone();
    row.department = m.department.clone();
    row.fiscal_year = m.fiscal_year;
    row.doc_kind = Some(m.kind.as_str().into());
    row.unit = m.unit.map(str::to_string);
    row.text_style = Some(doc.style.as_str().into());
    row.status = "ok".into();
    row.n_lines = doc.total_lines;
    row.n_sections = doc.outline.sections.len() as u32;
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
        })
        .collect()
}
