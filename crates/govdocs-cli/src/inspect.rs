//! `govdocs inspect`: print a document's metadata and section tree for a person to read.

use crate::process::process_file;
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;

/// Render the report for one file; returns the text and whether the document parsed.
pub fn inspect(path: &Path, show_rows: bool) -> Result<(String, bool)> {
    // Checked before reading: a FIFO or device fails at once instead of blocking.
    let o = process_file(path);
    let d = &o.document;
    let mut out = String::new();
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    writeln!(out, "file:        {}", d.source_path)?;
    writeln!(out, "doc_id:      {}", d.doc_id)?;
    writeln!(out, "status:      {}", d.status)?;
    if let Some(e) = &d.error {
        writeln!(out, "error:       {e}")?;
        return Ok((out, false));
    }
    writeln!(
        out,
        "format:      {} ({}, {})",
        d.source_format,
        opt(&d.encoding),
        opt(&d.text_style)
    )?;
    if d.repaired {
        writeln!(out, "repaired:    yes (the file is damaged)")?;
    }
    for w in &d.warnings {
        writeln!(out, "warning:     {w}")?;
    }
    writeln!(out, "title:       {}", opt(&d.title))?;
    writeln!(out, "department:  {}", opt(&d.department))?;
    writeln!(
        out,
        "fiscal year: {}",
        d.fiscal_year.map_or("—".into(), |y| y.to_string())
    )?;
    writeln!(out, "kind:        {}", opt(&d.doc_kind))?;
    writeln!(out, "unit:        {}", opt(&d.unit))?;
    writeln!(out, "lines:       {}", d.n_lines)?;
    match (d.toc_line_start, d.toc_line_end) {
        (Some(a), Some(b)) => writeln!(
            out,
            "目录:        lines {a}–{b}, {} entries",
            d.n_toc_entries
        )?,
        _ => writeln!(out, "目录:        none")?,
    }
    let sections = o.sections();
    writeln!(out, "sections:    {}", sections.len())?;
    for s in &sections {
        let indent = "  ".repeat(s.level.saturating_sub(1) as usize);
        writeln!(
            out,
            "  {indent}{}{}{}  [lines {}–{}]",
            s.label,
            if s.label.is_empty() { "" } else { " " },
            s.title,
            s.line_start,
            s.line_end
        )?;
    }
    let tables = o.tables();
    let cells = o.cells();
    writeln!(out, "tables:      {}", tables.len())?;
    for t in &tables {
        writeln!(
            out,
            "  #{} [{}] {} {} — {} ({}), {} rows × {} cols, checks {} passed / {} failed  [lines {}–{}]",
            t.table_id,
            t.status,
            t.code.unwrap_or("—"),
            t.kind,
            t.title,
            t.unit.unwrap_or("no unit"),
            t.n_rows,
            t.n_cols,
            t.checks_passed,
            t.checks_failed,
            t.line_start,
            t.line_end
        )?;
        if let Some(r) = &t.reason {
            writeln!(out, "      {r}")?;
        }
        if show_rows {
            writeln!(out, "      columns: {}", t.column_labels.join(" | "))?;
            write_rows(&mut out, &cells, t.table_id)?;
        }
    }
    let checks = o.checks();
    let failed: Vec<_> = checks.iter().filter(|c| c.status == "fail").collect();
    writeln!(
        out,
        "checks:      {} run, {} failed",
        checks.len(),
        failed.len()
    )?;
    for c in failed {
        let table = c
            .table_id
            .map_or("cross-table".to_string(), |t| format!("#{t}"));
        writeln!(
            out,
            "  FAIL {table} {} at {}: expected {}, parts add up to {} (Δ {})",
            c.rule, c.location, c.expected, c.actual, c.delta
        )?;
    }
    Ok((out, true))
}

/// Print a table's rows: block, code, label, then each value cell as `栏次=value` (`raw?` when
/// the value is not trusted).
fn write_rows(
    out: &mut String,
    cells: &[govdocs_output::CellRow<'_>],
    table: u32,
) -> std::fmt::Result {
    let mut last: Option<(u32, u32)> = None;
    for c in cells.iter().filter(|c| c.table_id == table) {
        if last != Some((c.block, c.row)) {
            if last.is_some() {
                out.push('\n');
            }
            let block = if c.block_label.is_empty() {
                String::new()
            } else {
                format!("[{}] ", c.block_label)
            };
            let line_no = c.row_line_no.map(|n| format!("{n} ")).unwrap_or_default();
            write!(
                out,
                "      {block}{line_no}{} {} |",
                c.row_code.unwrap_or(""),
                c.row_label
            )?;
            last = Some((c.block, c.row));
        }
        let col = c.col_no.map_or(format!("#{}", c.col), |n| n.to_string());
        match c.value {
            Some(v) => write!(out, " {col}={v}")?,
            None => write!(out, " {col}={}?", c.raw)?,
        }
    }
    if last.is_some() {
        out.push('\n');
    }
    Ok(())
}
