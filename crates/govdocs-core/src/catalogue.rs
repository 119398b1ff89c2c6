//! The catalogue of standard tables: the national templates' table kinds, their printed names
//! and which documents must carry them, read from `catalogue/standard_tables.toml` (data, not
//! code: a new template is an entry in that file).

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
}

/// The standard tables, in catalogue order.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// One entry per kind.
    pub tables: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    table: Vec<RawEntry>,
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
}

impl Catalogue {
    /// Read a catalogue from its TOML text; unknown kinds or fields are errors.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let raw: RawCatalogue = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut tables = Vec::with_capacity(raw.table.len());
        for e in raw.table {
            let kind = TableKind::from_name(&e.kind)
                .ok_or_else(|| format!("unknown table kind {:?}", e.kind))?;
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
            tables.push(Entry {
                kind,
                expected_in,
                names: e.names,
                identities: e.identities,
            });
        }
        Ok(Catalogue { tables })
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
    fn bad_entries_are_refused() {
        assert!(Catalogue::parse("[[table]]\nkind = \"nope\"\n").is_err());
        assert!(Catalogue::parse("[[table]]\nkind = \"income\"\nexpected_in = [\"x\"]\n").is_err());
        assert!(
            Catalogue::parse("[[table]]\nkind = \"income\"\n[[table]]\nkind = \"income\"\n")
                .is_err()
        );
        assert!(Catalogue::parse("[[table]]\nkind = \"income\"\ncolour = 1\n").is_err());
        assert!(
            Catalogue::parse("[[table]]\nkind = \"income\"\nidentities = [\"合计\"]\n").is_err()
        );
        assert!(Catalogue::parse(
            "[[table]]\nkind = \"income\"\nidentities = [\"合计 = nope.合计\"]\n"
        )
        .is_err());
    }
}
