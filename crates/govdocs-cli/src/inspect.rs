//! `govdocs inspect`: print a document's metadata and section tree for a person to read.

use crate::process::process_bytes;
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::Path;

/// Render the report for one file; returns the text and whether the document parsed.
pub fn inspect(path: &Path) -> Result<(String, bool)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let o = process_bytes(&path.to_string_lossy(), &bytes);
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
    writeln!(out, "sections:    {}", o.sections.len())?;
    for s in &o.sections {
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
    writeln!(out, "tables:      {}", o.tables.len())?;
    for t in &o.tables {
        writeln!(
            out,
            "  #{} [{}] {} {} — {} ({}), {} rows × {} cols, checks {} passed / {} failed  [lines {}–{}]",
            t.table_id,
            t.status,
            t.code.as_deref().unwrap_or("—"),
            t.kind,
            t.title,
            t.unit.as_deref().unwrap_or("no unit"),
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
    }
    let failed: Vec<_> = o.checks.iter().filter(|c| c.status == "fail").collect();
    writeln!(
        out,
        "checks:      {} run, {} failed",
        o.checks.len(),
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
