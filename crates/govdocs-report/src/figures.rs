//! The report's figures, per document and per run: standard tables expected from the document's
//! kind (the catalogue) against those found, parsed, empty, unparsed and missing; the checks; the
//! share of amounts verified by a passing check; the summary table's grand totals and whether
//! 收入总计 = 支出总计. Computed from the rows of the `tables`, `cells` and `checks` datasets as
//! Arrow batches, so `govdocs run` (from the batches it writes) and `govdocs report` (from the
//! Parquet files) compute them with the same code.

use crate::cols::{self, need};
use anyhow::Result;
use arrow_array::RecordBatch;
use govdocs_core::catalogue::catalogue;
use govdocs_core::meta::DocKind;
use govdocs_core::tables::TableKind;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The standard tables that hold a document's grand totals (the 收支总表 of each template family).
pub const SUMMARY_KINDS: [TableKind; 2] = [
    TableKind::IncomeExpenditureSummary,
    TableKind::BudgetSummary,
];

/// The grand totals read from the summary table: (key in summary.json, row label as printed).
/// The national 决算 template prints 收入总计 and 支出总计 as a row `总计` in its 收入 and 支出
/// blocks: [`grand_total_key`] reads those too.
pub const GRAND_TOTALS: [(&str, &str); 4] = [
    ("income_total", "收入总计"),
    ("expenditure_total", "支出总计"),
    ("income_this_year", "本年收入合计"),
    ("expenditure_this_year", "本年支出合计"),
];

/// The grand total a summary-table row holds, from its label (spaces removed) and its block's
/// label: `收入总计`, or `总计` in the block of 收入 (`支出` alike).
pub fn grand_total_key(label: &str, block_label: &str) -> Option<&'static str> {
    grand_total_of(label, block_label).map(|(key, _)| key)
}

/// [`grand_total_key`] with a rank: 0 for a row that names the grand total (`收入总计`, `总计` in
/// the 收入 block), 1 for a bare `合计` in the 收入 or 支出 block, which is the grand total only in
/// templates that print no 总计 row (the `部门收支总体情况表` of Chongqing-style budgets, whose
/// 合计 row comes first): a document's rank-0 row always wins.
fn grand_total_of(label: &str, block_label: &str) -> Option<(&'static str, u8)> {
    if let Some(&(key, _)) = GRAND_TOTALS.iter().find(|(_, l)| *l == label) {
        return Some((key, 0));
    }
    let block = squash(block_label);
    let side = if block.contains("收入") && !block.contains("支出") {
        "income_total"
    } else if block.contains("支出") && !block.contains("收入") {
        "expenditure_total"
    } else {
        return None;
    };
    match label {
        "总计" => Some((side, 0)),
        "合计" => Some((side, 1)),
        _ => None,
    }
}

/// Largest difference between 收入总计 and 支出总计 that still balances (one cent).
pub fn balance_tolerance() -> Decimal {
    Decimal::new(1, 2)
}

/// Flags that make a cell's value untrusted (docs/schema.md, `cells.flags`).
pub const DOUBT_FLAGS: [&str; 5] = [
    "not_a_number",
    "failed_check",
    "ambiguous_placement",
    "unplaced",
    "damaged_source",
];

/// True for a flag that records a repair of the printed text: every flag but the doubts,
/// `missing_code` (a note on the row) and `thousands_separator` (`1,050.00` is read as printed).
pub fn is_repair(flag: &str) -> bool {
    !DOUBT_FLAGS.contains(&flag) && flag != "missing_code" && flag != "thousands_separator"
}

/// What is known of one value cell, for its colour in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    /// A value that takes part in at least one passing check and in no failing one.
    Verified,
    /// A value no check covers.
    Unverified,
    /// In a failing check (its value is withheld: `failed_check`).
    Failed,
    /// No trusted value: not a number, or an unsure placement.
    Untrusted,
}

impl CellState {
    /// Classify a cell from its trusted value, its check tallies and its flags.
    pub fn of(has_value: bool, passed: u32, failed: u32, flags: &[String]) -> CellState {
        let flagged = flags.iter().any(|f| f == "failed_check");
        CellState::from_parts(has_value, passed, failed, flagged)
    }

    /// Classify a cell from its trusted value, its check tallies and whether it is flagged
    /// `failed_check`.
    pub fn from_parts(has_value: bool, passed: u32, failed: u32, failed_flag: bool) -> CellState {
        if failed > 0 || failed_flag {
            CellState::Failed
        } else if !has_value {
            CellState::Untrusted
        } else if passed > 0 {
            CellState::Verified
        } else {
            CellState::Unverified
        }
    }

    /// Stable lowercase name (CSS class, summary.json).
    pub fn as_str(&self) -> &'static str {
        match self {
            CellState::Verified => "verified",
            CellState::Unverified => "unverified",
            CellState::Failed => "failed",
            CellState::Untrusted => "untrusted",
        }
    }
}

/// Standard tables of a document (or a run): expected from the kind, and what became of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StandardTables {
    /// Standard tables the document's kind must print (catalogue `expected_in`).
    pub expected: u32,
    /// Expected kinds with at least one table found.
    pub found: u32,
    /// Found kinds whose best table is parsed.
    pub parsed: u32,
    /// Found kinds whose best table is empty (the document says so).
    pub empty: u32,
    /// Found kinds whose tables all stayed unparsed.
    pub unparsed: u32,
    /// Expected kinds with no table at all.
    pub missing: u32,
}

impl StandardTables {
    fn add(&mut self, o: &StandardTables) {
        self.expected += o.expected;
        self.found += o.found;
        self.parsed += o.parsed;
        self.empty += o.empty;
        self.unparsed += o.unparsed;
        self.missing += o.missing;
    }
}

/// Tables found, by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TableCounts {
    /// Every table row.
    pub total: u32,
    /// `status = parsed`.
    pub parsed: u32,
    /// `status = empty`.
    pub empty: u32,
    /// `status = unparsed`.
    pub unparsed: u32,
}

impl TableCounts {
    fn add(&mut self, o: &TableCounts) {
        self.total += o.total;
        self.parsed += o.parsed;
        self.empty += o.empty;
        self.unparsed += o.unparsed;
    }
}

/// Checks run, passed and failed, and the failed ones by rule kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckCounts {
    /// Checks run.
    pub total: u32,
    /// `status = pass`.
    pub passed: u32,
    /// `status = fail`.
    pub failed: u32,
    /// Failed checks per `checks.kind` (`stated`, `hierarchy`, `total`, `cross_table`).
    pub failed_by_kind: BTreeMap<String, u32>,
}

impl CheckCounts {
    fn add(&mut self, o: &CheckCounts) {
        self.total += o.total;
        self.passed += o.passed;
        self.failed += o.failed;
        for (k, n) in &o.failed_by_kind {
            *self.failed_by_kind.entry(k.clone()).or_default() += n;
        }
    }
}

/// Value cells and what is known of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CellCounts {
    /// Rows of `cells` (non-blank value cells of parsed tables).
    pub cells: u32,
    /// Cells with a trusted value (`value` not null): the document's amounts.
    pub amounts: u32,
    /// Amounts that take part in at least one passing check; null when the output predates
    /// `cells.checks_passed`.
    pub verified: Option<u32>,
    /// Cells in at least one failing check.
    pub failed: u32,
    /// Cells without a trusted value and in no failing check (not a number, unsure placement).
    pub untrusted: u32,
    /// Cells whose printed text was repaired (a flag other than a doubt).
    pub repaired: u32,
}

impl CellCounts {
    fn add(&mut self, o: &CellCounts) {
        self.cells += o.cells;
        self.amounts += o.amounts;
        self.verified = match (self.verified, o.verified) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        self.failed += o.failed;
        self.untrusted += o.untrusted;
        self.repaired += o.repaired;
    }

    /// verified / amounts; null without amounts or without the verification columns.
    pub fn verified_share(&self) -> Option<f64> {
        let v = self.verified?;
        (self.amounts > 0).then(|| v as f64 / self.amounts as f64)
    }
}

/// One grand total of the summary table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GrandTotal {
    /// The row label it was read from, as printed.
    pub label: String,
    /// The trusted amount (first value column of the row), as an exact decimal string; null when
    /// the cell is not trusted.
    #[serde(serialize_with = "ser_amount")]
    pub value: Option<Decimal>,
    /// The cell's text as printed.
    pub raw: String,
}

/// The summary table's grand totals of one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// The summary table they were read from (`tables.table_id`); null when none was parsed.
    pub table_id: Option<u32>,
    /// Totals found, by key (`income_total`, `expenditure_total`, `income_this_year`,
    /// `expenditure_this_year`).
    pub values: BTreeMap<String, GrandTotal>,
    /// 收入总计 = 支出总计 within one cent; null when either is missing or untrusted.
    pub balanced: Option<bool>,
}

impl Totals {
    /// The trusted value of a total, by key.
    pub fn value(&self, key: &str) -> Option<Decimal> {
        self.values.get(key).and_then(|t| t.value)
    }
}

fn ser_amount<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&fmt_amount(*d)),
        None => s.serialize_none(),
    }
}

/// An exact amount as text: trailing zeros past the cents dropped (`1234.5000` → `1234.50`).
pub fn fmt_amount(d: Decimal) -> String {
    let mut n = d.normalize();
    if n.scale() < 2 {
        n.rescale(2);
    }
    n.to_string()
}

/// The figures of one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DocFigures {
    /// Standard tables expected, found, parsed, empty, unparsed, missing.
    pub standard_tables: StandardTables,
    /// The expected kinds not found (`tables.kind` names).
    pub missing_kinds: Vec<String>,
    /// Each expected kind and what became of it: `parsed`, `empty`, `unparsed` or `missing`.
    pub expected_kinds: BTreeMap<String, String>,
    /// The document's tables are attached apart (`documents.tables_attached`): none expected.
    pub tables_attached: bool,
    /// Every table found, by status.
    pub tables: TableCounts,
    /// Checks run.
    pub checks: CheckCounts,
    /// Value cells.
    pub cells: CellCounts,
    /// Grand totals of the summary table.
    pub totals: Totals,
}

/// The kind of document from its `documents.doc_kind` name (`None` for a failed document).
pub fn doc_kind(name: Option<&str>) -> Option<DocKind> {
    name.and_then(DocKind::from_name)
}

/// The standard tables a document of this kind must print (none for a failed document or a kind
/// the catalogue does not oblige).
pub fn expected_kinds(kind: Option<DocKind>) -> Vec<TableKind> {
    kind.map_or_else(Vec::new, |k| catalogue().expected_kinds(k))
}

/// True when the document's kind must print a summary table.
pub fn expects_summary(kind: Option<DocKind>) -> bool {
    expected_kinds(kind)
        .iter()
        .any(|k| SUMMARY_KINDS.contains(k))
}

/// Rank of a table status for a kind found several times: parsed beats empty beats unparsed.
fn rank(status: &str) -> u8 {
    match status {
        "parsed" => 3,
        "empty" => 2,
        _ => 1,
    }
}

/// Letters of a row label without spaces (`收 入 总 计` → `收入总计`).
pub fn squash(label: &str) -> String {
    label.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Compute a document's figures from its rows: `doc_kind` and `tables_attached` as in
/// `documents` (a document whose tables are attached apart expects none), and the batches
/// (possibly several slices each) of its `tables`, `cells` and `checks` rows.
pub fn doc_figures(
    doc_kind_name: Option<&str>,
    tables_attached: bool,
    tables: &[RecordBatch],
    cells: &[RecordBatch],
    checks: &[RecordBatch],
) -> Result<DocFigures> {
    let mut f = DocFigures::default();
    // Tables: the best status per kind, and the summary table.
    let mut best: BTreeMap<String, u8> = BTreeMap::new();
    let mut summary: Option<u32> = None;
    // Every parsed summary table, by id: the grand totals come from the first that prints them
    // (a summary printed in two parts, or after an untitled copy, holds them in a later one).
    let mut summaries: Vec<u32> = Vec::new();
    for b in tables {
        let ids = need(cols::u32s(b, "table_id")?, "tables.table_id")?;
        let kinds = need(cols::strs(b, "kind")?, "tables.kind")?;
        let status = need(cols::strs(b, "status")?, "tables.status")?;
        for i in 0..b.num_rows() {
            let (kind, st) = (kinds.value(i), status.value(i));
            f.tables.total += 1;
            match st {
                "parsed" => f.tables.parsed += 1,
                "empty" => f.tables.empty += 1,
                _ => f.tables.unparsed += 1,
            }
            let r = best.entry(kind.to_string()).or_default();
            *r = (*r).max(rank(st));
            let is_summary = TableKind::from_name(kind).is_some_and(|k| SUMMARY_KINDS.contains(&k));
            if is_summary && st == "parsed" {
                summaries.push(ids.value(i));
                if summary.is_none_or(|s| ids.value(i) < s) {
                    summary = Some(ids.value(i));
                }
            }
        }
    }
    f.tables_attached = tables_attached;
    let expected = if tables_attached {
        Vec::new()
    } else {
        expected_kinds(doc_kind(doc_kind_name))
    };
    for k in expected {
        let s = &mut f.standard_tables;
        s.expected += 1;
        let what = match best.get(k.as_str()) {
            None => {
                s.missing += 1;
                f.missing_kinds.push(k.as_str().to_string());
                "missing"
            }
            Some(&r) => {
                s.found += 1;
                match r {
                    3 => {
                        s.parsed += 1;
                        "parsed"
                    }
                    2 => {
                        s.empty += 1;
                        "empty"
                    }
                    _ => {
                        s.unparsed += 1;
                        "unparsed"
                    }
                }
            }
        };
        f.expected_kinds
            .insert(k.as_str().to_string(), what.to_string());
    }
    // Checks.
    for b in checks {
        let kinds = need(cols::strs(b, "kind")?, "checks.kind")?;
        let status = need(cols::strs(b, "status")?, "checks.status")?;
        for i in 0..b.num_rows() {
            f.checks.total += 1;
            if status.value(i) == "pass" {
                f.checks.passed += 1;
            } else {
                f.checks.failed += 1;
                *f.checks
                    .failed_by_kind
                    .entry(kinds.value(i).to_string())
                    .or_default() += 1;
            }
        }
    }
    // Cells, and the grand totals from the summary table (lowest column of each labelled row).
    let mut verified = Some(0u32);
    let mut found_totals: BTreeMap<&str, ((u8, usize, u32), GrandTotal)> = BTreeMap::new();
    for b in cells {
        let tids = need(cols::u32s(b, "table_id")?, "cells.table_id")?;
        let values = need(cols::decimals(b, "value")?, "cells.value")?;
        let flags = cols::lists(b, "flags")?;
        let passed = cols::u32s(b, "checks_passed")?;
        let failed = cols::u32s(b, "checks_failed")?;
        let labels = cols::strs(b, "row_label")?;
        let blocks = cols::strs(b, "block_label")?;
        let col = cols::u32s(b, "col")?;
        let raw = cols::strs(b, "raw")?;
        if passed.is_none() {
            verified = None;
        }
        for i in 0..b.num_rows() {
            let has = !values.is_null(i);
            let (mut failed_flag, mut repaired) = (false, false);
            cols::each_in_list(flags, i, |f| {
                failed_flag |= f == "failed_check";
                repaired |= is_repair(f);
            });
            let (p, x) = (
                cols::ou32(passed, i).unwrap_or(0),
                cols::ou32(failed, i).unwrap_or(0),
            );
            let c = &mut f.cells;
            c.cells += 1;
            if has {
                c.amounts += 1;
            }
            if repaired {
                c.repaired += 1;
            }
            match CellState::from_parts(has, p, x, failed_flag) {
                CellState::Verified => {
                    if let Some(v) = verified.as_mut() {
                        *v += 1;
                    }
                }
                CellState::Failed => c.failed += 1,
                CellState::Untrusted => c.untrusted += 1,
                CellState::Unverified => {}
            }
            if summaries.contains(&tids.value(i)) {
                let pos = summaries.iter().filter(|&&t| t < tids.value(i)).count();
                let Some(label) = cols::os(labels, i) else {
                    continue;
                };
                let block = cols::os(blocks, i).unwrap_or_default();
                let Some((key, rank)) = grand_total_of(&squash(label), block) else {
                    continue;
                };
                let cn = (rank, pos, cols::ou32(col, i).unwrap_or(0));
                if found_totals.get(key).is_none_or(|(c, _)| cn < *c) {
                    found_totals.insert(
                        key,
                        (
                            cn,
                            GrandTotal {
                                label: label.to_string(),
                                value: values.get(i),
                                raw: cols::os(raw, i).unwrap_or_default().to_string(),
                            },
                        ),
                    );
                }
            }
        }
    }
    f.cells.verified = verified;
    f.totals.table_id = summary;
    f.totals.values = found_totals
        .into_iter()
        .map(|(k, (_, t))| (k.to_string(), t))
        .collect();
    f.totals.balanced = match (
        f.totals.value("income_total"),
        f.totals.value("expenditure_total"),
    ) {
        (Some(i), Some(e)) => Some((i - e).abs() <= balance_tolerance()),
        _ => None,
    };
    Ok(f)
}

/// Grand-total figures over documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TotalsCounts {
    /// Documents whose kind must print a summary table.
    pub expected: u32,
    /// Documents with a parsed summary table.
    pub summary_table: u32,
    /// Documents where both 收入总计 and 支出总计 were read with trusted values.
    pub present: u32,
    /// Of those, documents where 收入总计 = 支出总计 (within one cent).
    pub balanced: u32,
    /// Of those, documents where they differ.
    pub unbalanced: u32,
}

/// The figures of a set of documents (a run, a report).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunFigures {
    /// Documents (distinct contents) counted.
    pub documents: u32,
    /// Documents that parsed.
    pub ok: u32,
    /// Documents that failed.
    pub failed: u32,
    /// Documents by `doc_kind` (`failed` documents have none and are not counted here).
    pub by_kind: BTreeMap<String, u32>,
    /// Standard tables over all documents.
    pub standard_tables: StandardTables,
    /// Standard tables per kind (`tables.kind`), over the documents that expect the kind.
    pub standard_tables_by_kind: BTreeMap<String, StandardTables>,
    /// Every table found, by status.
    pub tables: TableCounts,
    /// Checks over all documents.
    pub checks: CheckCounts,
    /// Value cells over all documents.
    pub cells: CellCounts,
    /// Grand totals over all documents.
    pub totals: TotalsCounts,
}

impl RunFigures {
    /// Count one document: whether it parsed, its kind, and its figures (none when it failed).
    pub fn add(&mut self, ok: bool, kind_name: Option<&str>, f: Option<&DocFigures>) {
        if self.documents == 0 {
            self.cells.verified = Some(0);
        }
        self.documents += 1;
        if !ok {
            self.failed += 1;
            return;
        }
        self.ok += 1;
        if let Some(k) = kind_name {
            *self.by_kind.entry(k.to_string()).or_default() += 1;
        }
        if expects_summary(doc_kind(kind_name)) && !f.is_some_and(|f| f.tables_attached) {
            self.totals.expected += 1;
        }
        let Some(f) = f else { return };
        self.standard_tables.add(&f.standard_tables);
        for (kind, what) in &f.expected_kinds {
            let k = self
                .standard_tables_by_kind
                .entry(kind.clone())
                .or_default();
            k.expected += 1;
            match what.as_str() {
                "missing" => k.missing += 1,
                w => {
                    k.found += 1;
                    match w {
                        "parsed" => k.parsed += 1,
                        "empty" => k.empty += 1,
                        _ => k.unparsed += 1,
                    }
                }
            }
        }
        self.tables.add(&f.tables);
        self.checks.add(&f.checks);
        self.cells.add(&f.cells);
        if f.totals.table_id.is_some() {
            self.totals.summary_table += 1;
        }
        match f.totals.balanced {
            Some(true) => {
                self.totals.present += 1;
                self.totals.balanced += 1;
            }
            Some(false) => {
                self.totals.present += 1;
                self.totals.unbalanced += 1;
            }
            None => {}
        }
    }

    /// One line for the run's closing summary.
    pub fn line(&self) -> String {
        let s = &self.standard_tables;
        let share = match self.cells.verified_share() {
            Some(v) => format!("{:.1}%", v * 100.0),
            None => "n/a".into(),
        };
        format!(
            "standard tables: {}/{} found ({} parsed, {} empty, {} unparsed, {} missing); amounts verified by a passing check: {}/{} ({share}); grand totals: {} of {} documents with 收入总计 and 支出总计, {} balanced",
            s.found,
            s.expected,
            s.parsed,
            s.empty,
            s.unparsed,
            s.missing,
            self.cells.verified.unwrap_or(0),
            self.cells.amounts,
            self.totals.present,
            self.totals.expected,
            self.totals.balanced,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use govdocs_output::facts::{cells_batch, checks_batch, tables_batch};
    use govdocs_output::{CellRow, CheckRow, TableRow};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn table(id: u32, kind: &'static str, status: &'static str) -> TableRow<'static> {
        TableRow {
            doc_id: "a",
            table_id: id,
            kind,
            status,
            ..Default::default()
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn cell(
        table_id: u32,
        block_label: &'static str,
        col: u32,
        label: &'static str,
        raw: &'static str,
        value: Option<&str>,
        flags: Vec<&'static str>,
        (passed, failed): (u32, u32),
    ) -> CellRow<'static> {
        CellRow {
            doc_id: "a",
            table_id,
            block_label,
            col,
            row_label: label,
            raw,
            value: value.map(d),
            flags,
            checks_passed: passed,
            checks_failed: failed,
            ..Default::default()
        }
    }

    fn check(kind: &'static str, status: &'static str) -> CheckRow<'static> {
        CheckRow {
            doc_id: "a",
            rule: "r",
            location: "l",
            kind,
            status,
            ..Default::default()
        }
    }

    /// A final account (nine standard tables expected) with some found, one twice.
    fn tables() -> RecordBatch {
        tables_batch(&[
            table(0, "income_expenditure_summary", "parsed"),
            table(1, "income", "unparsed"),
            table(2, "income", "parsed"),
            table(3, "expenditure", "unparsed"),
            table(4, "gov_fund", "empty"),
            table(5, "other", "parsed"),
            table(6, "performance", "unparsed"),
        ])
    }

    fn cells(expenditure_total: &'static str) -> RecordBatch {
        cells_batch(&[
            // The 决算 template prints both grand totals as `总计`, one per block.
            cell(
                0,
                "收入",
                0,
                "总计",
                "100.00",
                Some("100.00"),
                vec![],
                (1, 0),
            ),
            cell(0, "支出", 1, "总 计", "7.00", Some("7.00"), vec![], (0, 0)),
            cell(
                0,
                "支出",
                0,
                "总 计",
                expenditure_total,
                Some(expenditure_total),
                vec!["spaced_decimal"],
                (2, 0),
            ),
            cell(
                0,
                "收入",
                0,
                "本年收入合计",
                "9O.00",
                None,
                vec!["not_a_number"],
                (0, 0),
            ),
            cell(2, "", 0, "合计", "5.00", None, vec!["failed_check"], (1, 1)),
            cell(
                2,
                "",
                1,
                "合计",
                "1,050.00",
                Some("1050"),
                vec!["thousands_separator"],
                (0, 0),
            ),
        ])
    }

    fn checks() -> RecordBatch {
        checks_batch(&[
            check("hierarchy", "pass"),
            check("hierarchy", "pass"),
            check("total", "pass"),
            check("stated", "fail"),
            check("cross_table", "fail"),
        ])
    }

    #[test]
    fn figures_of_a_final_account() {
        let f = doc_figures(
            Some("final_account"),
            false,
            &[tables()],
            &[cells("100.00")],
            &[checks()],
        )
        .unwrap();
        assert_eq!(
            f.standard_tables,
            StandardTables {
                expected: 9,
                found: 4,
                parsed: 2,
                empty: 1,
                unparsed: 1,
                missing: 5
            }
        );
        assert_eq!(
            f.missing_kinds,
            [
                "fiscal_summary",
                "general_budget_expenditure",
                "basic_expenditure",
                "state_capital",
                "three_public"
            ]
        );
        assert_eq!(f.expected_kinds["income"], "parsed");
        assert_eq!(f.expected_kinds["expenditure"], "unparsed");
        assert_eq!(f.expected_kinds["gov_fund"], "empty");
        assert_eq!(f.expected_kinds["three_public"], "missing");
        assert_eq!(
            f.tables,
            TableCounts {
                total: 7,
                parsed: 3,
                empty: 1,
                unparsed: 3
            }
        );
        assert_eq!(
            (f.checks.total, f.checks.passed, f.checks.failed),
            (5, 3, 2)
        );
        assert_eq!(f.checks.failed_by_kind.get("stated"), Some(&1));
        assert_eq!(f.checks.failed_by_kind.get("cross_table"), Some(&1));
        assert_eq!(f.checks.failed_by_kind.get("hierarchy"), None);
        assert_eq!(
            f.cells,
            CellCounts {
                cells: 6,
                amounts: 4,
                verified: Some(2),
                failed: 1,
                untrusted: 1,
                repaired: 1
            }
        );
        assert_eq!(f.cells.verified_share(), Some(0.5));
        assert_eq!(f.totals.table_id, Some(0));
        assert_eq!(f.totals.value("income_total"), Some(d("100")));
        // The lowest column of the row: col 0, not the 7.00 of col 1.
        assert_eq!(f.totals.value("expenditure_total"), Some(d("100")));
        assert_eq!(f.totals.values["expenditure_total"].label, "总 计");
        // 本年收入合计 was found but is not a number: no value.
        assert_eq!(f.totals.values["income_this_year"].raw, "9O.00");
        assert_eq!(f.totals.value("income_this_year"), None);
        assert_eq!(f.totals.balanced, Some(true));
    }

    #[test]
    fn balance_within_a_cent() {
        let f = |e| {
            doc_figures(
                Some("final_account"),
                false,
                &[tables()],
                &[cells(e)],
                &[checks()],
            )
            .unwrap()
            .totals
            .balanced
        };
        assert_eq!(f("100.01"), Some(true));
        assert_eq!(f("99.99"), Some(true));
        assert_eq!(f("100.02"), Some(false));
    }

    #[test]
    fn a_document_that_is_no_disclosure_expects_no_table() {
        for kind in [Some("other"), Some("performance_evaluation"), None] {
            let f = doc_figures(kind, false, &[tables()], &[], &[]).unwrap();
            assert_eq!(f.standard_tables, StandardTables::default(), "{kind:?}");
            assert_eq!(f.cells.verified_share(), None);
        }
    }

    #[test]
    fn an_older_output_has_no_verified_share() {
        let c = cells("100.00");
        let keep: Vec<usize> = (0..c.num_columns())
            .filter(|&i| !c.schema().field(i).name().starts_with("checks_"))
            .collect();
        let old = c.project(&keep).unwrap();
        let f = doc_figures(Some("final_account"), false, &[tables()], &[old], &[]).unwrap();
        assert_eq!(f.cells.amounts, 4);
        assert_eq!(f.cells.verified, None);
        assert_eq!(f.cells.verified_share(), None);
        let mut r = RunFigures::default();
        r.add(true, Some("final_account"), Some(&f));
        assert_eq!(r.cells.verified, None);
    }

    #[test]
    fn run_figures_add_up() {
        let f = doc_figures(
            Some("final_account"),
            false,
            &[tables()],
            &[cells("100.00")],
            &[checks()],
        )
        .unwrap();
        let mut r = RunFigures::default();
        r.add(true, Some("final_account"), Some(&f));
        r.add(true, Some("final_account"), Some(&f));
        r.add(false, None, None);
        let other = doc_figures(Some("other"), false, &[], &[], &[]).unwrap();
        r.add(true, Some("other"), Some(&other));
        assert_eq!((r.documents, r.ok, r.failed), (4, 3, 1));
        assert_eq!(r.by_kind["final_account"], 2);
        assert_eq!(r.standard_tables.expected, 18);
        assert_eq!(r.standard_tables.missing, 10);
        assert_eq!(r.standard_tables_by_kind["income"].parsed, 2);
        assert_eq!(r.standard_tables_by_kind["three_public"].missing, 2);
        assert_eq!(r.cells.verified, Some(4));
        assert_eq!(r.cells.amounts, 8);
        assert_eq!(r.checks.failed_by_kind["stated"], 2);
        assert_eq!(
            r.totals,
            TotalsCounts {
                expected: 2,
                summary_table: 2,
                present: 2,
                balanced: 2,
                unbalanced: 0
            }
        );
        assert!(
            r.line().contains("standard tables: 8/18 found"),
            "{}",
            r.line()
        );
    }

    #[test]
    fn cell_states_and_grand_total_labels() {
        let flags = |f: &[&str]| f.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(CellState::of(true, 1, 0, &[]), CellState::Verified);
        assert_eq!(CellState::of(true, 0, 0, &[]), CellState::Unverified);
        assert_eq!(
            CellState::of(false, 2, 1, &flags(&["failed_check"])),
            CellState::Failed
        );
        assert_eq!(
            CellState::of(false, 0, 0, &flags(&["not_a_number"])),
            CellState::Untrusted
        );
        assert!(
            is_repair("spaced_decimal")
                && !is_repair("unplaced")
                && !is_repair("thousands_separator")
        );
        assert_eq!(grand_total_key("收入总计", ""), Some("income_total"));
        assert_eq!(
            grand_total_key("总计", "本年支出"),
            Some("expenditure_total")
        );
        assert_eq!(grand_total_key("总计", "收入支出"), None);
        assert_eq!(grand_total_key("总计", ""), None);
        // A bare 合计 in one side's block is that side's grand total, ranked after 总计.
        assert_eq!(grand_total_of("合计", "收入"), Some(("income_total", 1)));
        assert_eq!(
            grand_total_of("合计", "支出"),
            Some(("expenditure_total", 1))
        );
        assert_eq!(
            grand_total_of("总计", "支出"),
            Some(("expenditure_total", 0))
        );
        assert_eq!(grand_total_of("合计", "收入支出"), None);
        assert_eq!(
            grand_total_key("本年支出合计", "支出"),
            Some("expenditure_this_year")
        );
        assert_eq!(fmt_amount(d("1234.5000")), "1234.50");
        assert_eq!(fmt_amount(d("100")), "100.00");
        assert_eq!(fmt_amount(d("0.123456")), "0.123456");
    }
}
