//! One document's page: its metadata and figures, the section tree, every table drawn as a grid
//! with its labels and each cell coloured by what is known of it, the table's source lines (text)
//! or page pictures (PDF), and its checks with expected / actual / delta.

use crate::figures::{fmt_amount, is_repair, CellState, DocFigures, GRAND_TOTALS};
use crate::html::{card, esc, head, percent, push_esc, FOOT, LEGEND};
use crate::rows::{CellRow, CheckRow, DocRow, SectionRow, TableRow};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Pages of one table drawn at most (its first ones).
pub const MAX_TABLE_PAGES: u32 = 3;

/// Source lines shown beside one table at most.
const MAX_SOURCE_LINES: usize = 600;

/// Everything a document page shows.
pub struct DocPage<'a> {
    /// The document's `documents` row (its first path).
    pub doc: &'a DocRow,
    /// Every path holding the document.
    pub paths: &'a [String],
    /// Its figures.
    pub figures: Option<&'a DocFigures>,
    /// Its sections.
    pub sections: &'a [SectionRow],
    /// Its tables.
    pub tables: &'a [TableRow],
    /// Its value cells.
    pub cells: &'a [CellRow],
    /// Its checks.
    pub checks: &'a [CheckRow],
    /// The source file's lines (text input found at its path), by line number.
    pub lines: Option<&'a BTreeMap<u32, String>>,
    /// Where the source was read from, or why not.
    pub source_note: String,
    /// Page pictures by page number: the path relative to the page.
    pub pictures: &'a BTreeMap<u32, String>,
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "—".to_string(), T::to_string)
}

fn amount(v: Option<rust_decimal::Decimal>) -> String {
    v.map_or_else(|| "—".into(), fmt_amount)
}

/// The pages a table spans: its first page to the last page of its cells.
pub fn table_pages(t: &TableRow, cells: &[&CellRow]) -> Vec<u32> {
    let first = t.page.or_else(|| cells.iter().filter_map(|c| c.page).min());
    let last = cells.iter().filter_map(|c| c.page).max();
    match (first, last) {
        (Some(f), Some(l)) if l >= f => (f..=l).collect(),
        (Some(f), _) => vec![f],
        _ => Vec::new(),
    }
}

impl DocPage<'_> {
    /// The page's HTML.
    pub fn render(&self) -> String {
        let d = self.doc;
        let name = d.title.clone().unwrap_or_else(|| file_name(&d.source_path));
        let mut h = head(&format!("{name} · govdocs report"), "../assets", "doc");
        h.push_str("<nav><a href=\"../index.html\">← all documents</a></nav>\n");
        let _ = writeln!(h, "<h1>{}</h1>", esc(&name));
        self.meta(&mut h);
        self.figures(&mut h);
        self.section_tree(&mut h);
        self.tables(&mut h);
        h.push_str(FOOT);
        h
    }

    fn meta(&self, h: &mut String) {
        let d = self.doc;
        h.push_str("<section class=\"meta\"><h2>Document</h2><dl>\n");
        let mut row = |k: &str, v: &str| {
            let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
        };
        row("source", &self.paths.join("\n"));
        row("doc_id", &d.doc_id);
        row("status", &d.status);
        if let Some(e) = &d.error {
            row("error", e);
        }
        row("format", &d.source_format);
        row("title", &opt(&d.title));
        row("department", &opt(&d.department));
        row("fiscal year", &opt(&d.fiscal_year));
        row("kind", &opt(&d.doc_kind));
        row("unit", &opt(&d.unit));
        if d.source_format == "text" {
            row("encoding", &opt(&d.encoding));
            row("text style", &opt(&d.text_style));
        }
        row("bytes", &opt(&d.bytes));
        row("lines", &opt(&d.n_lines));
        row("目录 entries", &opt(&d.n_toc_entries));
        row("parser", &d.parser_version);
        row("source file", &self.source_note);
        h.push_str("</dl></section>\n");
    }

    fn figures(&self, h: &mut String) {
        let Some(f) = self.figures else { return };
        h.push_str("<section class=\"figures\"><h2>Figures</h2><div class=\"cards\">");
        let s = &f.standard_tables;
        for (k, v, what) in [
            (
                "standard_tables.expected",
                s.expected,
                "standard tables expected",
            ),
            ("standard_tables.found", s.found, "found"),
            ("standard_tables.parsed", s.parsed, "parsed"),
            ("standard_tables.empty", s.empty, "empty"),
            ("standard_tables.unparsed", s.unparsed, "unparsed"),
            ("standard_tables.missing", s.missing, "missing"),
            ("tables.total", f.tables.total, "tables found"),
            ("checks.passed", f.checks.passed, "checks passed"),
            ("checks.failed", f.checks.failed, "checks failed"),
            ("cells.amounts", f.cells.amounts, "amounts"),
        ] {
            card(h, k, &v.to_string(), what, "");
        }
        card(
            h,
            "cells.verified",
            &opt(&f.cells.verified),
            "amounts verified",
            "",
        );
        card(
            h,
            "verified_share",
            &percent(f.cells.verified_share()),
            "verified share",
            "headline",
        );
        let bal = match f.totals.balanced {
            Some(true) => "holds",
            Some(false) => "fails",
            None => "n/a",
        };
        card(h, "totals.balanced", bal, "收入总计 = 支出总计", "");
        h.push_str("</div>\n");
        if !f.missing_kinds.is_empty() {
            let _ = writeln!(
                h,
                "<p class=\"missing\">Standard tables not found: {}</p>",
                esc(&f.missing_kinds.join(", "))
            );
        }
        if f.totals.table_id.is_some() || !f.totals.values.is_empty() {
            let _ = write!(
                h,
                "<table class=\"totals\"><caption>Grand totals of the summary table{}</caption><tr><th>total</th><th>row as printed</th><th>cell as printed</th><th>amount</th></tr>",
                f.totals.table_id.map_or(String::new(), |t| format!(" (table {t})"))
            );
            for (key, label) in GRAND_TOTALS {
                let (row, raw, v) = f.totals.values.get(key).map_or(
                    ("—".to_string(), "—".to_string(), "—".to_string()),
                    |t| (t.label.clone(), t.raw.clone(), amount(t.value)),
                );
                let _ = write!(
                    h,
                    "<tr data-key=\"totals.values.{key}\"><th>{label}</th><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                    esc(&row),
                    esc(&raw),
                    esc(&v)
                );
            }
            h.push_str("</table>\n");
        }
        h.push_str("</section>\n");
    }

    fn section_tree(&self, h: &mut String) {
        if self.sections.is_empty() {
            return;
        }
        let _ = writeln!(
            h,
            "<section class=\"sections\"><h2>Sections ({})</h2>",
            self.sections.len()
        );
        let mut kids: BTreeMap<Option<u32>, Vec<&SectionRow>> = BTreeMap::new();
        let ids: BTreeSet<u32> = self.sections.iter().map(|s| s.section_id).collect();
        for s in self.sections {
            // A parent that is not there (should not happen) puts the section at the top.
            let p = s.parent_id.filter(|p| ids.contains(p));
            kids.entry(p).or_default().push(s);
        }
        fn tree(
            h: &mut String,
            kids: &BTreeMap<Option<u32>, Vec<&SectionRow>>,
            at: Option<u32>,
            depth: usize,
        ) {
            let Some(list) = kids.get(&at) else { return };
            if depth > 16 {
                return;
            }
            h.push_str("<ul class=\"tree\">");
            for s in list {
                let where_ = match (s.page_start, s.line_start) {
                    (Some(p), _) => format!("p. {p}"),
                    (None, Some(l)) => format!("line {l}"),
                    _ => String::new(),
                };
                let title = if s.level == 0 {
                    "(front matter)".to_string()
                } else {
                    format!("{} {}", s.label, s.title)
                };
                let _ = write!(
                    h,
                    "<li><span class=\"h\">{}</span> <span class=\"where\">{}</span>",
                    esc(&title),
                    esc(&where_)
                );
                tree(h, kids, Some(s.section_id), depth + 1);
                h.push_str("</li>");
            }
            h.push_str("</ul>\n");
        }
        tree(h, &kids, None, 0);
        h.push_str("</section>\n");
    }

    fn tables(&self, h: &mut String) {
        let mut by_table: BTreeMap<u32, Vec<&CellRow>> = BTreeMap::new();
        for c in self.cells {
            by_table.entry(c.table_id).or_default().push(c);
        }
        let mut checks: BTreeMap<Option<u32>, Vec<&CheckRow>> = BTreeMap::new();
        for c in self.checks {
            checks.entry(c.table_id).or_default().push(c);
        }
        let _ = writeln!(
            h,
            "<section class=\"tables\"><h2>Tables ({})</h2>",
            self.tables.len()
        );
        if !self.tables.is_empty() {
            h.push_str(LEGEND);
            h.push_str("<ol class=\"toc\">");
            for t in self.tables {
                let _ = write!(
                    h,
                    "<li><a href=\"#t{}\">{}</a> <span class=\"st {}\">{}</span></li>",
                    t.table_id,
                    esc(&t.title),
                    esc(&t.status),
                    esc(&t.status)
                );
            }
            h.push_str("</ol>\n");
        }
        for t in self.tables {
            let cells = by_table.get(&t.table_id).map_or(&[][..], Vec::as_slice);
            let tchecks = checks.get(&Some(t.table_id)).map_or(&[][..], Vec::as_slice);
            self.table(h, t, cells, tchecks);
        }
        h.push_str("</section>\n");
        if let Some(cross) = checks.get(&None) {
            h.push_str("<section class=\"cross\"><h2>Checks across tables</h2>\n");
            checks_table(h, cross);
            h.push_str("</section>\n");
        }
    }

    fn table(&self, h: &mut String, t: &TableRow, cells: &[&CellRow], checks: &[&CheckRow]) {
        let _ = writeln!(
            h,
            "<section class=\"table\" id=\"t{}\" data-kind=\"{}\" data-status=\"{}\">",
            t.table_id,
            esc(&t.kind),
            esc(&t.status)
        );
        let _ = writeln!(
            h,
            "<h3>{} {} <span class=\"kind\">{}</span> <span class=\"st {}\">{}</span></h3>",
            esc(t.code.as_deref().unwrap_or("")),
            esc(&t.title),
            esc(&t.kind),
            esc(&t.status),
            esc(&t.status)
        );
        let pages = table_pages(t, cells);
        let mut where_ = Vec::new();
        if let (Some(a), Some(b)) = (t.line_start, t.line_end) {
            where_.push(format!("lines {a}–{b}"));
        }
        match pages.as_slice() {
            [] => {}
            [p] => where_.push(format!("page {p}")),
            [a, .., b] => where_.push(format!("pages {a}–{b}")),
        }
        if let Some(u) = &t.unit {
            where_.push(format!("unit {u}"));
        }
        where_.push(format!(
            "checks {} passed, {} failed",
            t.checks_passed, t.checks_failed
        ));
        let _ = writeln!(h, "<p class=\"where\">{}</p>", esc(&where_.join(" · ")));
        h.push_str("<div class=\"side\"><div class=\"grid\">");
        match t.status.as_str() {
            "parsed" => grid(h, t, cells),
            "empty" => h.push_str("<p class=\"note\">The document says this table is empty.</p>"),
            _ => {
                let _ = write!(
                    h,
                    "<p class=\"note\">Unparsed: {}</p>",
                    esc(t.reason.as_deref().unwrap_or("no reason recorded"))
                );
                if let Some(raw) = &t.raw_text {
                    let _ = write!(h, "<pre class=\"raw\">{}</pre>", esc(raw));
                }
            }
        }
        h.push_str("</div>");
        self.source(h, t, cells, &pages);
        h.push_str("</div>\n");
        if !t.notes.is_empty() {
            let _ = writeln!(
                h,
                "<details class=\"notes\"><summary>注</summary><pre>{}</pre></details>",
                esc(&t.notes)
            );
        }
        if !checks.is_empty() {
            checks_table(h, checks);
        }
        h.push_str("</section>\n");
    }

    fn source(&self, h: &mut String, t: &TableRow, cells: &[&CellRow], pages: &[u32]) {
        if self.doc.source_format == "pdf" {
            if pages.is_empty() {
                return;
            }
            h.push_str("<div class=\"source pages\">");
            for p in pages.iter().take(MAX_TABLE_PAGES as usize) {
                match self.pictures.get(p) {
                    Some(src) => {
                        let _ = write!(
                            h,
                            "<figure><img loading=\"lazy\" src=\"{}\" alt=\"page {p}\"><figcaption>page {p}</figcaption></figure>",
                            esc(src)
                        );
                    }
                    None => {
                        let _ = write!(h, "<p class=\"page\">page {p}</p>");
                    }
                }
            }
            if pages.len() > MAX_TABLE_PAGES as usize {
                let _ = write!(
                    h,
                    "<p class=\"page\">pages {}–{} not drawn</p>",
                    pages[MAX_TABLE_PAGES as usize],
                    pages[pages.len() - 1]
                );
            }
            h.push_str("</div>");
            return;
        }
        let (Some(lines), Some(a), Some(b)) = (self.lines, t.line_start, t.line_end) else {
            return;
        };
        let rows: BTreeSet<u32> = cells.iter().filter_map(|c| c.line).collect();
        h.push_str("<div class=\"source\"><pre class=\"src\">");
        for (n, (no, text)) in lines.range(a..=b).enumerate() {
            if n == MAX_SOURCE_LINES {
                h.push_str("<span class=\"l\"><span class=\"ln\">…</span></span>");
                break;
            }
            let class = if rows.contains(no) { " row" } else { "" };
            let _ = write!(
                h,
                "<span class=\"l{class}\" id=\"L{no}\"><span class=\"ln\">{no}</span>"
            );
            push_esc(h, text);
            h.push_str("</span>");
        }
        h.push_str("</pre></div>");
    }
}

/// The file name of a path, for a document without a title.
pub fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// The value columns of each block: header label and 栏次 from the cells, else from the
/// table's `column_labels` (`block/label [n]`), so a column no row fills still has its header.
fn block_columns(t: &TableRow, blocks: &BTreeMap<u32, Vec<&CellRow>>) -> Vec<Vec<String>> {
    let labels: Vec<&str> = blocks
        .values()
        .map(|cs| cs.first().map_or("", |c| c.block_label.as_str()))
        .collect();
    let n = blocks.len();
    // Split column_labels among the blocks by their label prefix, in order.
    let mut from_table: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut b = 0usize;
    for l in &t.column_labels {
        if n > 1 {
            while b + 1 < n && !has_block(l, labels[b]) && has_block(l, labels[b + 1]) {
                b += 1;
            }
        }
        let own = if labels.get(b).is_some_and(|x| !x.is_empty()) {
            l.strip_prefix(labels[b])
                .map(|r| r.trim_start_matches('/'))
                .unwrap_or(l)
        } else {
            l
        };
        if let Some(v) = from_table.get_mut(b) {
            v.push(own.to_string());
        }
    }
    blocks
        .values()
        .zip(from_table)
        .map(|(cs, table_labels)| {
            let width = cs.iter().map(|c| c.col as usize + 1).max().unwrap_or(0);
            let width = width.max(table_labels.len());
            (0..width)
                .map(|i| {
                    cs.iter()
                        .find(|c| c.col as usize == i)
                        .map(|c| match c.col_no {
                            Some(n) => format!("{} [{n}]", c.col_label),
                            None => c.col_label.clone(),
                        })
                        .or_else(|| table_labels.get(i).cloned())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

fn has_block(label: &str, block: &str) -> bool {
    !block.is_empty()
        && (label == block
            || label
                .strip_prefix(block)
                .is_some_and(|r| r.starts_with('/') || r.starts_with(" [")))
}

/// The grid of a parsed table: one HTML table per block.
fn grid(h: &mut String, t: &TableRow, cells: &[&CellRow]) {
    let mut blocks: BTreeMap<u32, Vec<&CellRow>> = BTreeMap::new();
    for c in cells {
        blocks.entry(c.block).or_default().push(c);
    }
    if blocks.is_empty() {
        h.push_str("<p class=\"note\">Parsed, but no value cell was printed.</p>");
        return;
    }
    let columns = block_columns(t, &blocks);
    for ((b, cs), cols) in blocks.iter().zip(columns) {
        let mut rows: BTreeMap<u32, BTreeMap<u32, &CellRow>> = BTreeMap::new();
        for c in cs {
            rows.entry(c.row).or_default().insert(c.col, c);
        }
        let has_code = cs.iter().any(|c| c.row_code.is_some());
        let has_no = cs.iter().any(|c| c.row_line_no.is_some());
        let label = cs.first().map_or("", |c| c.block_label.as_str());
        let _ = write!(
            h,
            "<table class=\"cells\" data-table=\"{}\" data-block=\"{b}\">",
            t.table_id
        );
        if !label.is_empty() {
            let _ = write!(h, "<caption>{}</caption>", esc(label));
        }
        h.push_str("<thead><tr>");
        if has_code {
            h.push_str("<th>编码</th>");
        }
        h.push_str("<th>项目</th>");
        if has_no {
            h.push_str("<th>行次</th>");
        }
        for c in &cols {
            let _ = write!(h, "<th>{}</th>", esc(c));
        }
        h.push_str("</tr></thead><tbody>\n");
        for (r, row) in &rows {
            let first = row.values().next().expect("a row has a cell");
            let _ = write!(h, "<tr data-row=\"{r}\">");
            if has_code {
                let _ = write!(
                    h,
                    "<td class=\"code\">{}</td>",
                    esc(first.row_code.as_deref().unwrap_or(""))
                );
            }
            let _ = write!(h, "<th class=\"label\">{}</th>", esc(&first.row_label));
            if has_no {
                let _ = write!(h, "<td class=\"ln\">{}</td>", opt(&first.row_line_no));
            }
            for i in 0..cols
                .len()
                .max(row.keys().max().map_or(0, |m| *m as usize + 1))
            {
                match row.get(&(i as u32)) {
                    Some(c) => cell(h, c),
                    None => h.push_str("<td class=\"blank\"></td>"),
                }
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table>\n");
    }
}

/// One value cell: coloured by state, the raw text shown, value, flags and checks on hover.
fn cell(h: &mut String, c: &CellRow) {
    let p = c.checks_passed.unwrap_or(0);
    let f = c.checks_failed.unwrap_or(0);
    let state = CellState::of(c.value.is_some(), p, f, &c.flags);
    let repaired = c.flags.iter().any(|f| is_repair(f));
    let mut tip = format!("printed: {}\nvalue: {}", c.raw, amount(c.value));
    if let Some(u) = &c.unit {
        let _ = write!(tip, " {u}");
    }
    if !c.flags.is_empty() {
        let _ = write!(tip, "\nflags: {}", c.flags.join(", "));
    }
    match (c.checks_passed, c.checks_failed) {
        (Some(_), Some(_)) => {
            let _ = write!(tip, "\nchecks: {p} passed, {f} failed");
        }
        _ => tip.push_str("\nchecks: not recorded by this output"),
    }
    let _ = write!(tip, "\n{} × {}", c.row_label, c.col_label);
    if let Some(l) = c.line {
        let _ = write!(tip, "\nline {l}");
    }
    if let Some(pg) = c.page {
        let _ = write!(tip, ", page {pg}");
    }
    let _ = write!(
        h,
        "<td class=\"c {}{}\" data-state=\"{}\" data-raw=\"{}\" data-flags=\"{}\" title=\"{}\">{}</td>",
        state.as_str(),
        if repaired { " repaired" } else { "" },
        state.as_str(),
        esc(&c.raw),
        esc(&c.flags.join(" ")),
        esc(&tip),
        esc(&c.raw)
    );
}

/// The checks of a table (or across tables): failed ones first and open, passed ones folded.
fn checks_table(h: &mut String, checks: &[&CheckRow]) {
    let (failed, passed): (Vec<&CheckRow>, Vec<&CheckRow>) =
        checks.iter().partition(|c| c.status != "pass");
    let head = "<tr><th>#</th><th>status</th><th>kind</th><th>rule</th><th>location</th><th>expected</th><th>actual</th><th>delta</th><th>tolerance</th></tr>";
    let rows = |h: &mut String, list: &[&CheckRow]| {
        for c in list {
            let _ = writeln!(
                h,
                "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                if c.status == "pass" { "pass" } else { "fail" },
                c.check_id,
                esc(&c.status),
                esc(&c.kind),
                esc(&c.rule),
                esc(&c.location),
                amount(c.expected),
                amount(c.actual),
                amount(c.delta),
                amount(c.tolerance)
            );
        }
    };
    if !failed.is_empty() {
        let _ = write!(
            h,
            "<details class=\"checks\" open><summary>{} failed check{}</summary><table class=\"checks\">{head}",
            failed.len(),
            if failed.len() == 1 { "" } else { "s" }
        );
        rows(h, &failed);
        h.push_str("</table></details>\n");
    }
    if !passed.is_empty() {
        let _ = write!(
            h,
            "<details class=\"checks\"><summary>{} passed check{}</summary><table class=\"checks\">{head}",
            passed.len(),
            if passed.len() == 1 { "" } else { "s" }
        );
        rows(h, &passed);
        h.push_str("</table></details>\n");
    }
}
