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
            tables.push(Entry {
                kind,
                expected_in,
                names: e.names,
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
    }
}
