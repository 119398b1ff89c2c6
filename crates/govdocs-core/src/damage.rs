//! What damage to a source file took away from its tables. A file the reader repaired (invalid
//! bytes replaced, a PDF's cross-reference table rebuilt) may have lost the text of its labels
//! while its numbers survive: such numbers can no longer be told apart, so their cells are
//! flagged `damaged_source` and not trusted. Table titles with unreadable characters are noted.

use crate::tables::{Table, TableStatus};

/// The flag put on a value whose row or column lost its label to damage in the source.
pub const DAMAGED_SOURCE: &str = "damaged_source";

/// A label damage took away: empty, or holding U+FFFD (a character that could not be read).
fn lost(label: &str) -> bool {
    label.trim().is_empty() || label.contains('\u{FFFD}')
}

/// In a repaired document, flag `damaged_source` every value of a parsed table whose row has
/// neither a code nor a readable name, or whose column has no readable label (nor a 栏次
/// number). Returns one warning per table with flagged values.
pub fn flag_lost_labels(tables: &mut [Table]) -> Vec<String> {
    let mut warnings = Vec::new();
    for t in tables
        .iter_mut()
        .filter(|t| t.status == TableStatus::Parsed)
    {
        let mut flagged = 0usize;
        for b in &mut t.blocks {
            // A block's own label (`收入`, `支出`) names its columns when they have none.
            let block_named = !lost(&b.label);
            let col_lost: Vec<bool> = b
                .columns
                .iter()
                .map(|c| {
                    lost(&c.label) && c.col_no.is_none() && !(block_named && b.columns.len() == 1)
                })
                .collect();
            for r in &mut b.rows {
                let row_lost = r.code.is_none() && lost(&r.name);
                for (ci, v) in r.values.iter_mut().enumerate() {
                    let Some(v) = v else { continue };
                    if row_lost || col_lost.get(ci).copied().unwrap_or(true) {
                        v.flag(DAMAGED_SOURCE);
                        flagged += 1;
                    }
                }
            }
        }
        if flagged > 0 {
            warnings.push(format!(
                "table {} ({}): {flagged} values flagged {DAMAGED_SOURCE}: their row or column label was lost to damage in the source",
                t.id, t.title
            ));
        }
    }
    warnings
}

/// A warning for each table whose title holds characters that could not be read (U+FFFD).
pub fn unreadable_titles(tables: &[Table]) -> Vec<String> {
    tables
        .iter()
        .filter(|t| t.title.contains('\u{FFFD}'))
        .map(|t| {
            format!(
                "table {} title has unreadable characters (U+FFFD): {}",
                t.id, t.title
            )
        })
        .collect()
}
