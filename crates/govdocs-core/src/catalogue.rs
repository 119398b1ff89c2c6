//! The catalogue of standard tables: the national templates' table kinds, their printed names
//! and which documents must carry them, the row roles and the canonical measures of their
//! columns, read from `catalogue/standard_tables.toml` (data, not code: a new template or a new
//! column label is an entry in that file).

use crate::facts::RowRole;
use crate::meta::DocKind;
use crate::tables::TableKind;
use serde::Deserialize;
use std::sync::LazyLock;

/// The catalogue shipped with this build.
pub const STANDARD_TABLES: &str = include_str!("../catalogue/standard_tables.toml");

/// One standard table kind of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The kind.
    pub kind: TableKind,
    /// Document kinds whose template obliges them to print this table.
    pub expected_in: Vec<DocKind>,
    /// The table's names as printed across templates.
    pub names: Vec<String>,
    /// Identities between named rows the table obeys even when no `注` states them
    /// (`收入总计 = 支出总计`); a term `kind.row` names a row of another table of the document.
    pub identities: Vec<String>,
    /// Identities between the columns of every row, by canonical measure
    /// (`total = basic + project`).
    pub column_identities: Vec<ColumnIdentity>,
}

/// An identity between the columns of each row, by canonical measure: the column of `total`
/// equals the sum of the columns of `parts` (a part the table does not print is zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnIdentity {
    /// The identity as written in the catalogue.
    pub text: String,
    /// The measure of the total column.
    pub total: String,
    /// The measures of the part columns.
    pub parts: Vec<String>,
}

impl ColumnIdentity {
    /// Read `total = basic + project`; `None` if malformed (no `=`, an empty name, one part).
    pub fn parse(text: &str) -> Option<ColumnIdentity> {
        let (l, r) = text.split_once('=')?;
        let name = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let parts: Vec<String> = r.split('+').map(name).collect::<Option<_>>()?;
        let total = name(l)?;
        (parts.len() >= 2).then(|| ColumnIdentity {
            text: text.trim().to_string(),
            total,
            parts,
        })
    }
}

/// A rule giving a code-less row its role from its label.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleRule {
    /// The role given.
    pub role: RowRole,
    /// Label starts that give it.
    pub prefixes: Vec<String>,
    /// Label ends that give it.
    pub suffixes: Vec<String>,
    /// Table kinds the rule is limited to; empty for all.
    pub kinds: Vec<TableKind>,
}

/// One canonical measure and the column labels that name it.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// The canonical name (`total`, `basic`, …), the value of `measure_std`.
    pub name: String,
    /// Labels that name it when equal to the column's (normalised, total words removed).
    pub labels: Vec<String>,
    /// Label ends that name it; the longest matching end wins.
    pub endings: Vec<String>,
    /// Table kinds the entry is limited to; empty for all.
    pub kinds: Vec<TableKind>,
}

/// The measure vocabulary: how column labels map to canonical measures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measures {
    /// Words that make a label a total of what precedes them (`合计`, `小计`, `总计`).
    pub total_words: Vec<String>,
    /// Words naming the year's budget, which in a final account are not the account's figures.
    pub planned: Vec<String>,
    /// The measures, in catalogue order.
    pub measures: Vec<Measure>,
}

/// The standard tables, in catalogue order, with the row roles and the measure vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// One entry per kind.
    pub tables: Vec<Entry>,
    /// Row-role rules, first match wins.
    pub row_roles: Vec<RoleRule>,
    /// Column-label vocabulary.
    pub measures: Measures,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    table: Vec<RawEntry>,
    #[serde(default)]
    row_role: Vec<RawRole>,
    #[serde(default)]
    measures: RawMeasures,
    #[serde(default)]
    measure: Vec<RawMeasure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    role: String,
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    suffixes: Vec<String>,
    #[serde(default)]
    kinds: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMeasures {
    #[serde(default)]
    total_words: Vec<String>,
    #[serde(default)]
    planned: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    name: String,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    endings: Vec<String>,
    #[serde(default)]
    kinds: Vec<String>,
}

fn table_kind(name: &str) -> Result<TableKind, String> {
    TableKind::from_name(name).ok_or_else(|| format!("unknown table kind {name:?}"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    kind: String,
    #[serde(default)]
    expected_in: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    identities: Vec<String>,
    #[serde(default)]
    column_identities: Vec<String>,
}

impl Catalogue {
    /// Read a catalogue from its TOML text; unknown kinds or fields are errors.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let raw: RawCatalogue = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut tables = Vec::with_capacity(raw.table.len());
        for e in raw.table {
            let kind = table_kind(&e.kind)?;
            if tables.iter().any(|t: &Entry| t.kind == kind) {
                return Err(format!("table kind {:?} listed twice", e.kind));
            }
            let expected_in = e
                .expected_in
                .iter()
                .map(|d| {
                    DocKind::from_name(d).ok_or_else(|| format!("unknown document kind {d:?}"))
                })
                .collect::<Result<_, _>>()?;
            for id in &e.identities {
                RowIdentity::parse(id).ok_or_else(|| format!("bad identity {id:?}"))?;
            }
            let column_identities = e
                .column_identities
                .iter()
                .map(|id| {
                    ColumnIdentity::parse(id).ok_or_else(|| format!("bad column identity {id:?}"))
                })
                .collect::<Result<_, _>>()?;
            tables.push(Entry {
                kind,
                expected_in,
                names: e.names,
                identities: e.identities,
                column_identities,
            });
        }
        let row_roles = raw
            .row_role
            .into_iter()
            .map(|r| {
                let role = RowRole::from_name(&r.role)
                    .ok_or_else(|| format!("unknown row role {:?}", r.role))?;
                Ok(RoleRule {
                    role,
                    prefixes: r.prefixes,
                    suffixes: r.suffixes,
                    kinds: r
                        .kinds
                        .iter()
                        .map(|k| table_kind(k))
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<_, String>>()?;
        let measures = raw
            .measure
            .into_iter()
            .map(|m| {
                let kinds = m
                    .kinds
                    .iter()
                    .map(|k| table_kind(k))
                    .collect::<Result<_, _>>()?;
                if m.labels.is_empty() && m.endings.is_empty() {
                    return Err(format!("measure {:?} has no labels nor endings", m.name));
                }
                Ok(Measure {
                    name: m.name,
                    labels: m.labels,
                    endings: m.endings,
                    kinds,
                })
            })
            .collect::<Result<Vec<Measure>, String>>()?;
        for id in tables.iter().flat_map(|t| &t.column_identities) {
            if let Some(m) = std::iter::once(&id.total)
                .chain(&id.parts)
                .find(|m| !measures.iter().any(|x| &x.name == *m))
            {
                return Err(format!(
                    "column identity {:?}: unknown measure {m:?}",
                    id.text
                ));
            }
        }
        Ok(Catalogue {
            tables,
            row_roles,
            measures: Measures {
                total_words: raw.measures.total_words,
                planned: raw.measures.planned,
                measures,
            },
        })
    }

    /// The standard tables a document of this kind is expected to print, in catalogue order.
    pub fn expected_kinds(&self, doc: DocKind) -> Vec<TableKind> {
        self.tables
            .iter()
            .filter(|e| e.expected_in.contains(&doc))
            .map(|e| e.kind)
            .collect()
    }

    /// The entry of a kind, if the catalogue lists it.
    pub fn entry(&self, kind: TableKind) -> Option<&Entry> {
        self.tables.iter().find(|e| e.kind == kind)
    }
}

/// A row of a table named in an identity: its kind (`None`: the table the identity belongs to)
/// and its row name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRef {
    /// Another table of the document, by kind; `None` for the table itself.
    pub kind: Option<TableKind>,
    /// The row's name, spaces removed.
    pub row: String,
}

/// An identity between rows: the sum of `left` equals the sum of `right` (first value column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIdentity {
    /// Terms left of `=`.
    pub left: Vec<RowRef>,
    /// Terms right of `=`.
    pub right: Vec<RowRef>,
}

impl RowIdentity {
    /// Read `收入总计 = 支出总计` or `本年收入合计 = income.合计`; `None` if malformed.
    pub fn parse(text: &str) -> Option<RowIdentity> {
        let (l, r) = text.split_once('=')?;
        let side = |s: &str| -> Option<Vec<RowRef>> {
            s.split('+')
                .map(|t| {
                    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                    if t.is_empty() {
                        return None;
                    }
                    match t.split_once('.') {
                        Some((k, row)) if !row.is_empty() => Some(RowRef {
                            kind: Some(TableKind::from_name(k)?),
                            row: row.to_string(),
                        }),
                        Some(_) => None,
                        None => Some(RowRef { kind: None, row: t }),
                    }
                })
                .collect()
        };
        Some(RowIdentity {
            left: side(l)?,
            right: side(r)?,
        })
    }
}

/// The catalogue shipped with this build ([`STANDARD_TABLES`]), read once.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
        Catalogue::parse(STANDARD_TABLES).expect("catalogue/standard_tables.toml is valid")
    });
    &CATALOGUE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogue_lists_the_national_tables() {
        let c = catalogue();
        // DOMAIN.md: a 决算 prints 公开01表 … 公开09表.
        assert_eq!(c.expected_kinds(DocKind::FinalAccount).len(), 9);
        let budget = c.expected_kinds(DocKind::Budget);
        assert!(budget.contains(&TableKind::BudgetSummary));
        assert!(!budget.contains(&TableKind::BudgetProcurement));
        assert!(c.expected_kinds(DocKind::Other).is_empty());
        assert!(c.expected_kinds(DocKind::PerformanceEvaluation).is_empty());
        // Every summary table balances: 收入总计 = 支出总计.
        let summary = c.entry(TableKind::BudgetSummary).unwrap();
        assert!(summary
            .identities
            .iter()
            .any(|i| i == "收入总计 = 支出总计"));
    }

    #[test]
    fn identities_are_read() {
        let id = RowIdentity::parse("本年收入合计 + 上年结转 = income.合计").unwrap();
        assert_eq!(id.left.len(), 2);
        assert_eq!(id.right[0].kind, Some(TableKind::Income));
        assert_eq!(id.right[0].row, "合计");
        assert!(RowIdentity::parse("= 合计").is_none());
    }

    #[test]
    fn column_identities_name_known_measures() {
        let e = catalogue().entry(TableKind::Expenditure).unwrap();
        assert_eq!(e.column_identities[0].total, "total");
        assert_eq!(e.column_identities[0].parts[..2], ["basic", "project"]);
        assert!(ColumnIdentity::parse("total = basic").is_none());
        let table =
            "[[table]]\nkind = \"income\"\ncolumn_identities = [\"total = basic + nope\"]\n";
        let measure = "[[measure]]\nname = \"total\"\nlabels = [\"合计\"]\n[[measure]]\nname = \"basic\"\nendings = [\"基本支出\"]\n";
        let err = Catalogue::parse(&format!("{table}{measure}")).unwrap_err();
        assert!(err.contains("nope"), "{err}");
    }

    #[test]
    fn bad_entries_are_refused() {
        assert!(Catalogue::parse("[[table]]\nkind = \"nope\"\n").is_err());
        assert!(Catalogue::parse("[[table]]\nkind = \"income\"\nexpected_in = [\"x\"]\n").is_err());
        assert!(
            Catalogue::parse("[[table]]\nkind = \"income\"\n[[table]]\nkind = \"income\"\n")
                .is_err()
        );
        assert!(Catalogue::parse("[[table]]\nkind = \"income\"\ncolour = 1\n").is_err());
        let t = "[[table]]\nkind = \"income\"\n";
        assert!(Catalogue::parse(&format!("{t}[[row_role]]\nrole = \"sum\"\n")).is_err());
        assert!(Catalogue::parse(&format!("{t}[[measure]]\nname = \"total\"\n")).is_err());
        let bad_kind = "[[measure]]\nname = \"x\"\nlabels = [\"a\"]\nkinds = [\"nope\"]\n";
        assert!(Catalogue::parse(&format!("{t}{bad_kind}")).is_err());
        assert!(
            Catalogue::parse("[[table]]\nkind = \"income\"\nidentities = [\"合计\"]\n").is_err()
        );
        assert!(Catalogue::parse(
            "[[table]]\nkind = \"income\"\nidentities = [\"合计 = nope.合计\"]\n"
        )
        .is_err());
    }
}
