//! The check engine: apply a document's own arithmetic to its tables and record every check run.
//! Stated identities (from `注` lines), the code hierarchy (类 = Σ款, 款 = Σ项), totals (合计 =
//! Σ top-level rows) and cross-table totals (01 vs 02/03, 05 vs 04). A check passes within a
//! tolerance of 0.01 per summed term, the documents' own rounding warning.

use crate::identity::{parse_identities, Axis, Identity};
use crate::lines::squashed;
use crate::tables::codes::parent;
use crate::tables::parse::is_total;
use crate::tables::{Block, Table, TableKind, TableStatus};
use rust_decimal::Decimal;

/// What a check is based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    /// An identity printed in the table's notes.
    Stated,
    /// A subject code equals the sum of its sub-codes.
    Hierarchy,
    /// A 合计 row equals the sum of the top-level rows.
    Total,
    /// A total of one table equals a total of another.
    CrossTable,
    /// In each row, a total column equals the sum of its part columns, by the catalogue's
    /// column identities (合计 = 基本支出 + 项目支出).
    Column,
}

impl CheckKind {
    /// Stable lowercase name used in datasets.
    pub fn as_str(&self) -> &'static str {
        match self {
            CheckKind::Stated => "stated",
            CheckKind::Hierarchy => "hierarchy",
            CheckKind::Total => "total",
            CheckKind::CrossTable => "cross_table",
            CheckKind::Column => "column",
        }
    }
}

/// A cell of a table: (table id, block, row, value column).
pub type CellRef = (u32, usize, usize, usize);

/// One check that was run.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The table checked; `None` for cross-table checks.
    pub table_id: Option<u32>,
    /// The rule, as printed for stated identities, else described.
    pub rule: String,
    /// Where it was applied: the row or column it ran on.
    pub location: String,
    /// What the rule is based on.
    pub kind: CheckKind,
    /// The value the rule says (left-hand side).
    pub expected: Decimal,
    /// The value the parts add up to.
    pub actual: Decimal,
    /// Allowed rounding difference.
    pub tolerance: Decimal,
    /// Whether |expected − actual| ≤ tolerance.
    pub pass: bool,
    /// The cells involved.
    pub cells: Vec<CellRef>,
}

impl Check {
    /// `actual − expected`.
    pub fn delta(&self) -> Decimal {
        self.actual - self.expected
    }
}

fn cent() -> Decimal {
    Decimal::new(1, 2)
}

/// A cell's value for arithmetic: blank is zero; a cell that is not a number makes the check void.
fn num(t: &Table, b: usize, r: usize, c: usize) -> Result<Option<Decimal>, ()> {
    match t.blocks[b].rows[r].values.get(c) {
        Some(Some(v)) => v.value.map(Some).ok_or(()),
        _ => Ok(None),
    }
}

struct Acc<'a> {
    t: &'a Table,
    out: Vec<Check>,
}

impl Acc<'_> {
    /// Record `lhs = Σ sign·term` if any involved cell has a value and none is unreadable.
    fn add(
        &mut self,
        kind: CheckKind,
        rule: String,
        location: String,
        lhs: CellRef,
        terms: &[(i8, CellRef)],
    ) {
        let get = |c: &CellRef| num(self.t, c.1, c.2, c.3);
        let Ok(e) = get(&lhs) else { return };
        let mut actual = Decimal::ZERO;
        let mut any = e.is_some();
        for (s, c) in terms {
            let Ok(v) = get(c) else { return };
            any |= v.is_some();
            let v = v.unwrap_or_default();
            actual += if *s < 0 { -v } else { v };
        }
        if !any {
            return;
        }
        let expected = e.unwrap_or_default();
        let tolerance = cent() * Decimal::from(terms.len().max(1) as u64);
        let mut cells = vec![lhs];
        cells.extend(terms.iter().map(|(_, c)| *c));
        self.out.push(Check {
            table_id: Some(self.t.id),
            rule,
            location,
            kind,
            expected,
            actual,
            tolerance,
            pass: (actual - expected).abs() <= tolerance,
            cells,
        });
    }
}

fn row_label(t: &Table, b: usize, r: usize) -> String {
    let row = &t.blocks[b].rows[r];
    match (&row.code, row.line_no) {
        (Some(c), _) => format!("row {c} {}", row.name),
        (None, Some(n)) => format!("row {n} {}", row.name),
        _ => format!("row {}", row.name),
    }
}

fn col_label(t: &Table, b: usize, c: usize) -> String {
    let col = &t.blocks[b].columns[c];
    match col.col_no {
        Some(n) => format!("column {n} {}", col.label),
        None => format!("column {}", col.label),
    }
}

/// Run every check on one parsed table.
pub fn check_table(t: &Table) -> Vec<Check> {
    if t.status != TableStatus::Parsed {
        return Vec::new();
    }
    let mut acc = Acc { t, out: Vec::new() };
    let identities = parse_identities(&t.notes);
    for id in &identities {
        stated(&mut acc, id);
    }
    column_identities(&mut acc, &identities);
    for (b, block) in t.blocks.iter().enumerate() {
        let groups = sum_groups(block);
        if groups.is_empty() {
            continue;
        }
        let cols: Vec<String> = (0..block.columns.len())
            .map(|c| col_label(t, b, c))
            .collect();
        for g in groups {
            let row = row_label(t, b, g.total);
            for (c, col) in cols.iter().enumerate() {
                let terms: Vec<(i8, CellRef)> =
                    g.parts.iter().map(|&(s, k)| (s, (t.id, b, k, c))).collect();
                let mut location = String::with_capacity(row.len() + 2 + col.len());
                location.push_str(&row);
                location.push_str(", ");
                location.push_str(col);
                acc.add(
                    g.kind,
                    g.rule.clone(),
                    location,
                    (t.id, b, g.total, c),
                    &terms,
                );
            }
        }
    }
    acc.out
}

/// A row that equals the signed sum of other rows of its block, column by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumGroup {
    /// The row holding the sum.
    pub total: usize,
    /// The rows summed, with their signs.
    pub parts: Vec<(i8, usize)>,
    /// Hierarchy or total.
    pub kind: CheckKind,
    /// The rule in words.
    pub rule: String,
}

/// The sums a block's rows obey by structure: each code with sub-codes present equals their
/// sum (类 = Σ款, 款 = Σ项; 301 = Σ301xx), and a 合计 row equals the sum of the top-level code
/// rows (in a flat list of one code level, rows printed without a code count too). A table
/// listing units (codes outside the 3/5/7-digit subject schemes, `125001`, and the department
/// codes they extend) each followed by its own subject rows is checked per unit: a unit equals
/// its top-level subject rows, a department its units, and the 合计 the top-level units.
pub fn sum_groups(block: &Block) -> Vec<SumGroup> {
    let mut out = Vec::new();
    let codes: Vec<Option<&str>> = block.rows.iter().map(|r| r.code.as_deref()).collect();
    if codes.iter().all(Option::is_none) {
        return out;
    }
    let subject = |c: &str| matches!(c.len(), 3 | 5 | 7);
    let unit_codes: Vec<&str> = codes
        .iter()
        .flatten()
        .copied()
        .filter(|c| !subject(c))
        .collect();
    let unit: Vec<bool> = codes
        .iter()
        .map(|c| {
            c.is_some_and(|c| {
                !subject(c)
                    || unit_codes
                        .iter()
                        .any(|u| u.len() > c.len() && u.starts_with(c))
            })
        })
        .collect();
    let all: Vec<usize> = (0..block.rows.len()).collect();
    let segmented =
        unit.iter().any(|&u| u) && codes.iter().zip(&unit).any(|(c, &u)| c.is_some() && !u);
    let tops = if segmented {
        let starts: Vec<usize> = all.iter().copied().filter(|&i| unit[i]).collect();
        for (k, &u) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(block.rows.len());
            let seg: Vec<usize> = (u + 1..end)
                .filter(|&i| !(block.rows[i].code.is_none() && is_total(&block.rows[i].name)))
                .collect();
            let parts = code_groups(block, &codes, &seg, &mut out);
            if !parts.is_empty() {
                let code = codes[u].unwrap_or_default();
                out.push(SumGroup {
                    total: u,
                    parts,
                    kind: CheckKind::Hierarchy,
                    rule: format!("{code} = Σ its top-level subject rows"),
                });
            }
        }
        code_groups(block, &codes, &starts, &mut out)
    } else {
        code_groups(block, &codes, &all, &mut out)
    };
    for (tr, r) in block.rows.iter().enumerate() {
        if r.code.is_none() && is_total(&r.name) && !r.name.contains("经费") && !tops.is_empty() {
            out.push(SumGroup {
                total: tr,
                parts: tops.clone(),
                kind: CheckKind::Total,
                rule: "合计 = Σ top-level subject rows".into(),
            });
        }
    }
    out
}

/// The code hierarchy among the rows `idx` of a block: pushes each code with sub-codes as a
/// hierarchy group and returns the top-level rows.
fn code_groups(
    block: &Block,
    codes: &[Option<&str>],
    idx: &[usize],
    out: &mut Vec<SumGroup>,
) -> Vec<(i8, usize)> {
    let code_at = |i: usize| codes[i];
    let one_total = block
        .rows
        .iter()
        .filter(|r| r.code.is_none() && is_total(&r.name))
        .nth(1)
        .is_none();
    // How many times each code is printed among the rows.
    let mut printed: std::collections::HashMap<&str, u32> =
        std::collections::HashMap::with_capacity(idx.len());
    for c in idx.iter().filter_map(|&i| code_at(i)) {
        *printed.entry(c).or_default() += 1;
    }
    let is_code = |p: &str| printed.contains_key(p);
    // A code belongs to its parent in the scheme (`2060101` → `20601`) when that is printed,
    // else to the longest other code among the rows it extends (`3010201` under `301` when no
    // `30102` row is printed; a unit code `116001` under its department's `116`).
    let parents: Vec<Option<&str>> = idx
        .iter()
        .map(|&i| {
            let c = code_at(i)?;
            parent(c).filter(|p| is_code(p)).or_else(|| {
                (1..c.len())
                    .rev()
                    .filter(|&n| c.is_char_boundary(n))
                    .map(|n| &c[..n])
                    .find(|p| is_code(p))
                    .or(parent(c))
            })
        })
        .collect();
    for (n, &r) in idx.iter().enumerate() {
        let Some(code) = code_at(r) else {
            continue;
        };
        // A code printed more than once (one 301 per unit listed) owns the rows below it, up
        // to the first code outside it; not in a block of several 合计 rows, which is several
        // tables run together (titles lost), whose sums must not vouch for their rows.
        let repeated = one_total && printed.get(code).is_some_and(|&n| n > 1);
        let scope = if repeated {
            let end = idx[n + 1..]
                .iter()
                .position(|&i| code_at(i).is_some_and(|c| c == code || !c.starts_with(code)))
                .map_or(idx.len(), |p| n + 1 + p);
            n + 1..end
        } else {
            0..idx.len()
        };
        let kids: Vec<(i8, usize)> = parents[scope.clone()]
            .iter()
            .zip(&idx[scope])
            .filter(|&(p, &i)| i != r && *p == Some(code))
            .map(|(_, &i)| (1, i))
            .collect();
        if !kids.is_empty() {
            out.push(SumGroup {
                total: r,
                parts: kids,
                kind: CheckKind::Hierarchy,
                rule: format!("{code} = Σ sub-codes of {code}"),
            });
        }
    }
    // A flat list: every coded row has a code of one length.
    let mut lengths = idx.iter().filter_map(|&i| code_at(i)).map(str::len);
    let first = lengths.next();
    let flat = lengths.all(|l| Some(l) == first);
    idx.iter()
        .zip(&parents)
        .filter(|&(&i, p)| {
            code_at(i).is_some() && p.is_none_or(|p| !is_code(p))
                || (flat && block.rows[i].flags.iter().any(|f| f == "missing_code"))
        })
        .map(|(&i, _)| (1, i))
        .collect()
}

/// The row identities (`27行 = (1+…+8)行`) of a block as sum groups over its rows.
pub fn row_identity_groups(block: &Block, ids: &[Identity]) -> Vec<SumGroup> {
    let pos = |n: u32| block.rows.iter().position(|r| r.line_no == Some(n));
    ids.iter()
        .filter(|i| i.axis == Axis::Rows)
        .filter_map(|i| {
            let total = pos(i.lhs)?;
            let parts = i
                .terms
                .iter()
                .filter_map(|&(s, n)| pos(n).map(|p| (s, p)))
                .collect();
            Some(SumGroup {
                total,
                parts,
                kind: CheckKind::Stated,
                rule: i.text.clone(),
            })
        })
        .collect()
}

fn stated(acc: &mut Acc<'_>, id: &Identity) {
    let t = acc.t;
    match id.axis {
        Axis::Columns => {
            for (b, block) in t.blocks.iter().enumerate() {
                let pos = |n: u32| block.columns.iter().position(|c| c.col_no == Some(n));
                let Some(lhs) = pos(id.lhs) else { continue };
                let Some(terms) = id
                    .terms
                    .iter()
                    .map(|&(s, n)| pos(n).map(|p| (s, p)))
                    .collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                for r in 0..block.rows.len() {
                    let cells: Vec<(i8, CellRef)> =
                        terms.iter().map(|&(s, p)| (s, (t.id, b, r, p))).collect();
                    acc.add(
                        CheckKind::Stated,
                        id.text.clone(),
                        row_label(t, b, r),
                        (t.id, b, r, lhs),
                        &cells,
                    );
                }
            }
        }
        Axis::Rows => {
            for (b, block) in t.blocks.iter().enumerate() {
                // Rows listed but absent from the print are blank (zero).
                for g in row_identity_groups(block, std::slice::from_ref(id)) {
                    for c in 0..block.columns.len() {
                        let cells: Vec<(i8, CellRef)> =
                            g.parts.iter().map(|&(s, r)| (s, (t.id, b, r, c))).collect();
                        acc.add(
                            CheckKind::Stated,
                            id.text.clone(),
                            col_label(t, b, c),
                            (t.id, b, g.total, c),
                            &cells,
                        );
                    }
                }
            }
        }
    }
}

/// The catalogue's column identities of the table's kind, in every row of each block that
/// prints the total's column and two of its parts, each measure in one column only. Not run
/// where the notes state an identity of the same total column, nor in a block that prints a
/// part of a part without the part (人员经费 without 基本支出: the sum would miss it), nor in a
/// row with an amount in a column whose label names no measure (it may be a part).
fn column_identities(acc: &mut Acc<'_>, stated: &[Identity]) {
    use crate::catalogue::catalogue;
    use crate::meta::DocKind;
    let t = acc.t;
    let Some(entry) = catalogue().entry(t.kind) else {
        return;
    };
    if entry.column_identities.is_empty() {
        return;
    }
    let final_account = entry.expected_in.contains(&DocKind::FinalAccount);
    for (b, block) in t.blocks.iter().enumerate() {
        let measures: Vec<Option<&str>> = block
            .columns
            .iter()
            .map(|c| crate::facts::measure_std(t.kind, &block.label, &c.label, final_account))
            .collect();
        // The one column of a measure; `Err` when the block prints it more than once.
        let column = |m: &str| -> Result<Option<usize>, ()> {
            let mut at = measures.iter().enumerate().filter(|x| *x.1 == Some(m));
            match (at.next(), at.next()) {
                (Some((i, _)), None) => Ok(Some(i)),
                (None, _) => Ok(None),
                _ => Err(()),
            }
        };
        for id in &entry.column_identities {
            let Ok(Some(lhs)) = column(&id.total) else {
                continue;
            };
            let Ok(parts) = id
                .parts
                .iter()
                .map(|m| column(m))
                .collect::<Result<Vec<_>, ()>>()
            else {
                continue;
            };
            let parts: Vec<usize> = parts.into_iter().flatten().collect();
            let no = block.columns[lhs].col_no;
            let restated = stated
                .iter()
                .any(|s| s.axis == Axis::Columns && no == Some(s.lhs));
            // A part's own parts printed without it: `basic = personnel + public_funds`.
            let split_part = entry.column_identities.iter().any(|sub| {
                id.parts.contains(&sub.total)
                    && column(&sub.total) == Ok(None)
                    && sub.parts.iter().any(|m| column(m) != Ok(None))
            });
            if parts.len() < 2 || restated || split_part {
                continue;
            }
            // Columns whose label names no measure at all (`单位预留机动经费`) may be parts
            // of the total the catalogue does not know; a column of a known measure (`结转下年`,
            // `会议费` beside the 三公, last year's budget in an account) is not.
            let unknown: Vec<usize> = (0..block.columns.len())
                .filter(|&c| c != lhs && !parts.contains(&c))
                .filter(|&c| {
                    let col = &block.columns[c];
                    crate::facts::measure_std(t.kind, &block.label, &col.label, false).is_none()
                })
                .collect();
            for r in 0..block.rows.len() {
                // A row with an amount in such a column may count it in its total: not checked.
                if unknown.iter().any(|&c| num(t, b, r, c) != Ok(None)) {
                    continue;
                }
                let cells: Vec<(i8, CellRef)> =
                    parts.iter().map(|&p| (1, (t.id, b, r, p))).collect();
                acc.add(
                    CheckKind::Column,
                    id.text.clone(),
                    row_label(t, b, r),
                    (t.id, b, r, lhs),
                    &cells,
                );
            }
        }
    }
}

/// Find the row of a table whose name (spaces removed) equals `name`: (block, row).
fn find_row(t: &Table, name: &str) -> Option<(usize, usize)> {
    t.blocks.iter().enumerate().find_map(|(b, bl)| {
        bl.rows
            .iter()
            .position(|r| squashed(&r.name).replace(' ', "") == name)
            .map(|r| (b, r))
    })
}

/// Cross-table checks of one document: 01 totals against the 02 and 03 合计, and the 05 合计
/// against the 04 一般公共预算 column.
pub fn cross_table(tables: &[Table]) -> Vec<Check> {
    let by_kind = |k: TableKind| {
        tables
            .iter()
            .find(|t| t.kind == k && t.status == TableStatus::Parsed)
    };
    let mut out = Vec::new();
    let value = |t: &Table, b: usize, r: usize, c: usize| num(t, b, r, c).ok().flatten();
    let mut pair = |rule: &str,
                    a: (&Table, usize, usize, usize),
                    e: (&Table, usize, usize, usize)| {
        let (Some(expected), Some(actual)) = (value(a.0, a.1, a.2, a.3), value(e.0, e.1, e.2, e.3))
        else {
            return;
        };
        out.push(Check {
            table_id: None,
            rule: rule.to_string(),
            location: format!("table {} vs table {}", a.0.id, e.0.id),
            kind: CheckKind::CrossTable,
            expected,
            actual,
            tolerance: cent(),
            pass: (actual - expected).abs() <= cent(),
            cells: vec![(a.0.id, a.1, a.2, a.3), (e.0.id, e.1, e.2, e.3)],
        });
    };
    if let Some(t01) = by_kind(TableKind::IncomeExpenditureSummary) {
        for (row, other, rule) in [
            (
                "本年收入合计",
                TableKind::Income,
                "01 本年收入合计 = 02 合计",
            ),
            (
                "本年支出合计",
                TableKind::Expenditure,
                "01 本年支出合计 = 03 合计",
            ),
        ] {
            if let (Some((b, r)), Some(t2)) = (find_row(t01, row), by_kind(other)) {
                if let Some((b2, r2)) = find_row(t2, "合计") {
                    pair(rule, (t01, b, r, 0), (t2, b2, r2, 0));
                }
            }
        }
    }
    if let (Some(t04), Some(t05)) = (
        by_kind(TableKind::FiscalSummary),
        by_kind(TableKind::GeneralBudgetExpenditure),
    ) {
        if let (Some((b, r)), Some((b5, r5))) =
            (find_row(t04, "本年支出合计"), find_row(t05, "合计"))
        {
            let cols = &t04.blocks[b].columns;
            let c = cols
                .iter()
                .position(|c| c.label.contains("一般公共预算"))
                .unwrap_or(1.min(cols.len() - 1));
            pair(
                "04 本年支出合计 (一般公共预算) = 05 合计",
                (t04, b, r, c),
                (t05, b5, r5, 0),
            );
        }
    }
    out
}

/// The identities the catalogue states for each parsed table's kind (`收入总计 = 支出总计`),
/// on the first value column of the rows named; an identity naming a row the document does
/// not print is not run.
pub fn catalogue_identities(tables: &[Table]) -> Vec<Check> {
    use crate::catalogue::{catalogue, RowIdentity, RowRef};
    let parsed = |k: TableKind| {
        tables
            .iter()
            .find(|t| t.kind == k && t.status == TableStatus::Parsed)
    };
    let mut out = Vec::new();
    for t in tables.iter().filter(|t| t.status == TableStatus::Parsed) {
        let Some(entry) = catalogue().entry(t.kind) else {
            continue;
        };
        for text in &entry.identities {
            let Some(id) = RowIdentity::parse(text) else {
                continue;
            };
            let cell = |r: &RowRef| -> Option<(CellRef, Decimal)> {
                let table = match r.kind {
                    None => t,
                    Some(k) => parsed(k)?,
                };
                let (b, row) = find_row(table, &r.row)?;
                let v = num(table, b, row, 0).ok().flatten()?;
                Some(((table.id, b, row, 0), v))
            };
            let side = |terms: &[RowRef]| -> Option<Vec<(CellRef, Decimal)>> {
                terms.iter().map(cell).collect()
            };
            let (Some(left), Some(right)) = (side(&id.left), side(&id.right)) else {
                continue;
            };
            let expected: Decimal = left.iter().map(|c| c.1).sum();
            let actual: Decimal = right.iter().map(|c| c.1).sum();
            let cross = id.left.iter().chain(&id.right).any(|r| r.kind.is_some());
            let tolerance = cent() * Decimal::from((left.len() + right.len() - 1) as u64);
            out.push(Check {
                table_id: (!cross).then_some(t.id),
                rule: text.clone(),
                location: format!("table {}", t.id),
                kind: if cross {
                    CheckKind::CrossTable
                } else {
                    CheckKind::Total
                },
                expected,
                actual,
                tolerance,
                pass: (actual - expected).abs() <= tolerance,
                cells: left.iter().chain(&right).map(|c| c.0).collect(),
            });
        }
    }
    out
}

/// The checks of one table alone (no cross-table identities): how many pass and how many fail.
pub fn table_score(t: &Table) -> (usize, usize) {
    let checks = check_table(t);
    let pass = checks.iter().filter(|c| c.pass).count();
    (pass, checks.len() - pass)
}

/// Run all checks of a document and flag the cells of failed ones `failed_check`.
pub fn run_checks(tables: &mut [Table]) -> Vec<Check> {
    let mut all: Vec<Check> = tables.iter().flat_map(check_table).collect();
    all.extend(cross_table(tables));
    all.extend(catalogue_identities(tables));
    for c in all.iter().filter(|c| !c.pass) {
        for &(t, b, r, col) in &c.cells {
            if let Some(Some(v)) = tables
                .iter_mut()
                .find(|x| x.id == t)
                .and_then(|x| x.blocks.get_mut(b))
                .and_then(|bl| bl.rows.get_mut(r))
                .and_then(|row| row.values.get_mut(col))
            {
                v.flag("failed_check");
            }
        }
    }
    all
}
