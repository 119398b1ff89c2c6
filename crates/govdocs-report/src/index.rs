//! The run's page (`index.html`: totals, figures, plots, the table of documents) and
//! `summary.json` (the same figures for scripts, documented in docs/report.md).

use crate::figures::{DocFigures, RunFigures, StandardTables};
use crate::html::{card, esc, head, percent, script_json, FOOT};
use crate::rows::DocRow;
use crate::svg::{bars, share_histogram, Bar};
use serde::Serialize;
use std::fmt::Write;

/// A figure card: summary.json key, value shown, what it is, CSS class.
type Card<'a> = (&'a str, String, &'a str, &'a str);

/// Version of the summary.json layout.
pub const SUMMARY_FORMAT: u32 = 1;

/// One document of the report: its first `documents` row, all its paths and its figures.
#[derive(Debug, Clone)]
pub struct DocEntry {
    /// The `documents` row of its first path.
    pub doc: DocRow,
    /// Every input path holding these bytes, sorted.
    pub paths: Vec<String>,
    /// Its figures (`None` for a failed document).
    pub figures: Option<DocFigures>,
    /// Its page, relative to the report folder (`docs/<doc_id>.html`).
    pub page: String,
}

impl DocEntry {
    /// True when the document parsed.
    pub fn ok(&self) -> bool {
        self.doc.status == "ok"
    }

    /// Share of its amounts verified by a passing check.
    pub fn verified_share(&self) -> Option<f64> {
        self.figures.as_ref().and_then(|f| f.cells.verified_share())
    }
}

/// The figures of every entry.
pub fn run_figures(entries: &[DocEntry]) -> RunFigures {
    let mut r = RunFigures::default();
    for e in entries {
        r.add(e.ok(), e.doc.doc_kind.as_deref(), e.figures.as_ref());
    }
    r
}

#[derive(Serialize)]
struct FiguresOut<'a> {
    #[serde(flatten)]
    run: &'a RunFigures,
    verified_share: Option<f64>,
}

#[derive(Serialize)]
struct DocOut<'a> {
    doc_id: &'a str,
    source_path: &'a str,
    paths: &'a [String],
    source_format: &'a str,
    title: Option<&'a str>,
    department: Option<&'a str>,
    fiscal_year: Option<i32>,
    doc_kind: Option<&'a str>,
    status: &'a str,
    error: Option<&'a str>,
    page: &'a str,
    verified_share: Option<f64>,
    #[serde(flatten)]
    figures: Option<&'a DocFigures>,
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    format: u32,
    generator: String,
    output_dirs: &'a [String],
    parser_versions: Vec<&'a str>,
    inputs: usize,
    figures: FiguresOut<'a>,
    documents: Vec<DocOut<'a>>,
}

/// What the run's page and summary.json are made from.
pub struct RunView<'a> {
    /// The output folders read, as given.
    pub dirs: &'a [String],
    /// Every document, in `source_path` order.
    pub entries: &'a [DocEntry],
    /// Their figures.
    pub figures: &'a RunFigures,
}

impl RunView<'_> {
    fn parser_versions(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .entries
            .iter()
            .map(|e| e.doc.parser_version.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn inputs(&self) -> usize {
        self.entries.iter().map(|e| e.paths.len()).sum()
    }

    /// summary.json.
    pub fn summary_json(&self) -> String {
        let out = SummaryOut {
            format: SUMMARY_FORMAT,
            generator: format!("govdocs {}", env!("CARGO_PKG_VERSION")),
            output_dirs: self.dirs,
            parser_versions: self.parser_versions(),
            inputs: self.inputs(),
            figures: FiguresOut {
                run: self.figures,
                verified_share: self.figures.cells.verified_share(),
            },
            documents: self
                .entries
                .iter()
                .map(|e| DocOut {
                    doc_id: &e.doc.doc_id,
                    source_path: &e.doc.source_path,
                    paths: &e.paths,
                    source_format: &e.doc.source_format,
                    title: e.doc.title.as_deref(),
                    department: e.doc.department.as_deref(),
                    fiscal_year: e.doc.fiscal_year,
                    doc_kind: e.doc.doc_kind.as_deref(),
                    status: &e.doc.status,
                    error: e.doc.error.as_deref(),
                    page: &e.page,
                    verified_share: e.verified_share(),
                    figures: e.figures.as_ref(),
                })
                .collect(),
        };
        let mut s = serde_json::to_string_pretty(&out).expect("serialisable");
        s.push('\n');
        s
    }

    /// index.html.
    pub fn index_html(&self) -> String {
        let f = self.figures;
        let mut h = head("govdocs quality report", "assets", "index");
        h.push_str("<h1>govdocs quality report</h1>\n");
        let _ = writeln!(
            h,
            "<p class=\"sub\">{} input{} from {} · parser {} · govdocs {}</p>",
            self.inputs(),
            if self.inputs() == 1 { "" } else { "s" },
            esc(&self.dirs.join(", ")),
            esc(&self.parser_versions().join(", ")),
            env!("CARGO_PKG_VERSION")
        );
        // Figures.
        h.push_str("<section class=\"figures\" id=\"figures\">\n<h2>Figures</h2>\n");
        let s = &f.standard_tables;
        let groups: [(&str, Vec<Card>); 5] = [
            (
                "Documents",
                vec![
                    ("documents", f.documents.to_string(), "documents", ""),
                    ("ok", f.ok.to_string(), "ok", "ok"),
                    ("failed", f.failed.to_string(), "failed", "bad"),
                ],
            ),
            (
                "Standard tables",
                vec![
                    (
                        "standard_tables.expected",
                        s.expected.to_string(),
                        "expected",
                        "",
                    ),
                    ("standard_tables.found", s.found.to_string(), "found", ""),
                    (
                        "standard_tables.parsed",
                        s.parsed.to_string(),
                        "parsed",
                        "ok",
                    ),
                    ("standard_tables.empty", s.empty.to_string(), "empty", ""),
                    (
                        "standard_tables.unparsed",
                        s.unparsed.to_string(),
                        "unparsed",
                        "",
                    ),
                    (
                        "standard_tables.missing",
                        s.missing.to_string(),
                        "missing",
                        "bad",
                    ),
                    (
                        "tables.total",
                        f.tables.total.to_string(),
                        "tables in all",
                        "",
                    ),
                ],
            ),
            (
                "Checks",
                vec![
                    ("checks.total", f.checks.total.to_string(), "run", ""),
                    ("checks.passed", f.checks.passed.to_string(), "passed", "ok"),
                    (
                        "checks.failed",
                        f.checks.failed.to_string(),
                        "failed",
                        "bad",
                    ),
                ],
            ),
            (
                "Amounts",
                vec![
                    ("cells.amounts", f.cells.amounts.to_string(), "amounts", ""),
                    (
                        "cells.verified",
                        f.cells.verified.map_or("n/a".into(), |v| v.to_string()),
                        "verified",
                        "ok",
                    ),
                    (
                        "verified_share",
                        percent(f.cells.verified_share()),
                        "verified share",
                        "headline",
                    ),
                    (
                        "cells.failed",
                        f.cells.failed.to_string(),
                        "in a failed check",
                        "bad",
                    ),
                    (
                        "cells.untrusted",
                        f.cells.untrusted.to_string(),
                        "untrusted",
                        "",
                    ),
                    (
                        "cells.repaired",
                        f.cells.repaired.to_string(),
                        "repaired",
                        "",
                    ),
                ],
            ),
            (
                "Grand totals (收入总计 = 支出总计)",
                vec![
                    (
                        "totals.expected",
                        f.totals.expected.to_string(),
                        "documents that must print a summary table",
                        "",
                    ),
                    (
                        "totals.summary_table",
                        f.totals.summary_table.to_string(),
                        "summary table parsed",
                        "",
                    ),
                    (
                        "totals.present",
                        f.totals.present.to_string(),
                        "both totals read",
                        "",
                    ),
                    (
                        "totals.balanced",
                        f.totals.balanced.to_string(),
                        "balance holds",
                        "ok",
                    ),
                    (
                        "totals.unbalanced",
                        f.totals.unbalanced.to_string(),
                        "balance fails",
                        "bad",
                    ),
                ],
            ),
        ];
        for (title, cards) in groups {
            let _ = write!(
                h,
                "<div class=\"group\"><h3>{}</h3><div class=\"cards\">",
                esc(title)
            );
            for (k, v, what, class) in cards {
                card(&mut h, k, &v, what, class);
            }
            h.push_str("</div></div>\n");
        }
        h.push_str("</section>\n");
        // Plots.
        h.push_str("<section class=\"plots\" id=\"plots\"><h2>Plots</h2><div class=\"row\">\n");
        let mut status: Vec<Bar> = f
            .by_kind
            .iter()
            .map(|(k, n)| Bar {
                label: format!("ok · {k}"),
                value: *n as u64,
                class: "ok",
            })
            .collect();
        let unknown = f.ok - f.by_kind.values().sum::<u32>();
        if unknown > 0 {
            status.push(Bar {
                label: "ok · kind unknown".into(),
                value: unknown as u64,
                class: "ok",
            });
        }
        status.push(Bar {
            label: "failed".into(),
            value: f.failed as u64,
            class: "failed",
        });
        h.push_str(&bars("Documents by status", "plot-status", &status));
        let shares: Vec<Option<f64>> = self
            .entries
            .iter()
            .filter(|e| e.ok())
            .map(DocEntry::verified_share)
            .collect();
        h.push_str(&share_histogram(
            "Verified share per document (documents that parsed)",
            "plot-verified",
            &shares,
        ));
        let failed: Vec<Bar> = ["stated", "hierarchy", "total", "column", "cross_table"]
            .iter()
            .map(|k| k.to_string())
            .chain(
                f.checks
                    .failed_by_kind
                    .keys()
                    .filter(|k| {
                        !["stated", "hierarchy", "total", "column", "cross_table"]
                            .contains(&k.as_str())
                    })
                    .cloned(),
            )
            .map(|k| Bar {
                value: f.checks.failed_by_kind.get(&k).copied().unwrap_or(0) as u64,
                label: k,
                class: "failed",
            })
            .collect();
        h.push_str(&bars("Checks failed by rule kind", "plot-failed", &failed));
        h.push_str("</div></section>\n");
        // Standard tables by kind.
        h.push_str("<section class=\"kinds\" id=\"kinds\"><h2>Standard tables by kind</h2><table class=\"kinds\"><thead><tr><th>kind</th><th>expected</th><th>found</th><th>parsed</th><th>empty</th><th>unparsed</th><th>missing</th></tr></thead><tbody>\n");
        for (kind, k) in &f.standard_tables_by_kind {
            let StandardTables {
                expected,
                found,
                parsed,
                empty,
                unparsed,
                missing,
            } = k;
            let _ = writeln!(
                h,
                "<tr data-kind=\"{0}\"><th>{0}</th><td>{expected}</td><td>{found}</td><td>{parsed}</td><td>{empty}</td><td>{unparsed}</td><td>{missing}</td></tr>",
                esc(kind)
            );
        }
        h.push_str("</tbody></table></section>\n");
        // Documents.
        self.documents_table(&mut h);
        h.push_str("<script src=\"assets/list.min.js\"></script>\n<script src=\"assets/index.js\"></script>\n");
        h.push_str(FOOT);
        h
    }

    fn documents_table(&self, h: &mut String) {
        let _ = writeln!(
            h,
            "<section id=\"documents\"><h2>Documents ({})</h2>",
            self.entries.len()
        );
        h.push_str(
            "<div class=\"controls\"><input id=\"f-text\" type=\"search\" placeholder=\"filter: source, department, kind, error …\" aria-label=\"filter\"> \
<select id=\"f-status\" aria-label=\"status\"><option value=\"\">any status</option><option value=\"ok\">ok</option><option value=\"failed\">failed</option></select> \
<select id=\"f-kind\" aria-label=\"kind\"><option value=\"\">any kind</option>",
        );
        for k in self.figures.by_kind.keys() {
            let _ = write!(h, "<option value=\"{0}\">{0}</option>", esc(k));
        }
        h.push_str("</select> \
<select id=\"f-issue\" aria-label=\"issues\"><option value=\"\">any</option><option value=\"missing\">standard tables missing</option><option value=\"failedchecks\">checks failed</option><option value=\"unbalanced\">balance fails</option></select> \
<span id=\"shown\"></span></div>\n");
        h.push_str("<table class=\"docs\"><thead><tr>");
        for (key, label, title) in [
            ("source", "source", "input path"),
            ("dept", "department", ""),
            ("year", "year", "fiscal year"),
            ("kind", "kind", "document kind"),
            ("status", "status", "ok, or the error"),
            ("exp", "exp.", "standard tables expected from the kind"),
            ("found", "found", "expected standard tables found"),
            ("parsed", "parsed", "found and parsed"),
            (
                "empty",
                "empty",
                "found, and empty by the document's own word",
            ),
            ("unparsed", "unparsed", "found but not read"),
            ("missing", "missing", "expected but not found"),
            ("passed", "checks ✓", "checks passed"),
            ("failed", "checks ✗", "checks failed"),
            ("share", "verified", "share of amounts in a passing check"),
            ("balance", "balance", "收入总计 = 支出总计"),
        ] {
            let _ = write!(
                h,
                "<th class=\"sort\" data-sort=\"{key}\" title=\"{}\">{}</th>",
                esc(title),
                esc(label)
            );
        }
        h.push_str("</tr></thead><tbody class=\"list\"></tbody></table><ul class=\"pagination\"></ul></section>\n");
        let rows: Vec<serde_json::Value> = self
            .entries
            .iter()
            .map(|e| {
                let f = e.figures.as_ref();
                let s = f.map(|f| f.standard_tables.clone()).unwrap_or_default();
                let share = e.verified_share();
                serde_json::json!({
                    "id": e.doc.doc_id,
                    "href": e.page,
                    "source": e.doc.source_path,
                    "dept": e.doc.department.clone().unwrap_or_default(),
                    "year": e.doc.fiscal_year,
                    "kind": e.doc.doc_kind.clone().unwrap_or_default(),
                    "status": e.doc.status,
                    "error": e.doc.error.clone().unwrap_or_default(),
                    "exp": s.expected, "found": s.found, "parsed": s.parsed, "empty": s.empty,
                    "unparsed": s.unparsed, "missing": s.missing,
                    "passed": f.map_or(0, |f| f.checks.passed),
                    "failed": f.map_or(0, |f| f.checks.failed),
                    "share": share,
                    "shareText": percent(share),
                    "balance": match f.and_then(|f| f.totals.balanced) {
                        Some(true) => "holds", Some(false) => "fails", None => "",
                    },
                })
            })
            .collect();
        let json = serde_json::to_string(&rows).expect("serialisable");
        let _ = writeln!(
            h,
            "<script id=\"docs-data\" type=\"application/json\">{}</script>",
            script_json(&json)
        );
    }
}
