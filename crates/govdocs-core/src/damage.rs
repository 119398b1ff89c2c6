//! What damage to a source file took away from its tables. A file the reader repaired (invalid
//! bytes replaced, a PDF's cross-reference table rebuilt) may have lost the text of its labels
//! while its numbers survive: such numbers can no longer be told apart, so their cells are
//! flagged `damaged_source` and not trusted. Damage shows as U+FFFD (a byte or glyph that
//! could not be read), so only tables holding one are looked at: a stray byte elsewhere in a
//! text file leaves them as they are. Table titles with unreadable characters are noted.

use crate::tables::{Table, TableStatus};

/// The flag put on a value whose row or column lost its label to damage in the source.
pub const DAMAGED_SOURCE: &str = "damaged_source";

/// A label damage took away: empty, or holding U+FFFD (a character that could not be read).
fn lost(label: &str) -> bool {
    label.trim().is_empty() || label.contains('\u{FFFD}')
}

/// True when a text holds a character that could not be read.
fn bad(s: &str) -> bool {
    s.contains('\u{FFFD}')
}

/// True when some text of the table could not be read: U+FFFD in its title, a block or column
/// label, a row name or a cell.
fn unreadable(t: &Table) -> bool {
    bad(&t.title)
        || t.blocks.iter().any(|b| {
            bad(&b.label)
                || b.columns.iter().any(|c| bad(&c.label))
                || b.rows
                    .iter()
                    .any(|r| bad(&r.name) || r.values.iter().flatten().any(|v| bad(&v.raw)))
        })
}

/// In a repaired document, flag `damaged_source` every value of a parsed table with unreadable
/// text whose column has no readable label (nor a 栏次 number), or whose row has neither a code
/// nor a readable name and shows the damage itself (U+FFFD in its name or cells). Returns one
/// warning per table with flagged values.
pub fn flag_lost_labels(tables: &mut [Table]) -> Vec<String> {
    let mut warnings = Vec::new();
    for t in tables
        .iter_mut()
        .filter(|t| t.status == TableStatus::Parsed && unreadable(t))
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
                // The row's own text shows the damage (a nameless row of an intact part of
                // the table is as the parser read it, damaged or not).
                let row_lost = r.code.is_none()
                    && lost(&r.name)
                    && (bad(&r.name) || r.values.iter().flatten().any(|v| bad(&v.raw)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{Block, Column, Row, TableKind, Value};

    fn row(code: Option<&str>, name: &str, cells: &[&str]) -> Row {
        Row {
            line: 1,
            page: None,
            line_no: None,
            code: code.map(str::to_string),
            name: name.to_string(),
            values: cells.iter().map(|c| Some(Value::read(c))).collect(),
            flags: Vec::new(),
        }
    }

    fn table(title: &str, labels: &[&str], rows: Vec<Row>) -> Table {
        Table {
            id: 0,
            title: title.to_string(),
            code: None,
            kind: TableKind::BudgetGeneralExpenditure,
            unit: None,
            status: TableStatus::Parsed,
            reason: None,
            line_start: 1,
            line_end: 2,
            page: None,
            blocks: vec![Block {
                label: String::new(),
                columns: labels
                    .iter()
                    .map(|l| Column {
                        label: l.to_string(),
                        col_no: None,
                    })
                    .collect(),
                rows,
            }],
            notes: String::new(),
            raw_text: String::new(),
        }
    }

    fn trusted(t: &Table) -> Vec<Vec<bool>> {
        t.blocks[0]
            .rows
            .iter()
            .map(|r| {
                r.values
                    .iter()
                    .map(|v| v.as_ref().unwrap().trusted())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn values_that_lost_their_labels_are_distrusted() {
        let mut tables = vec![table(
            "一般公共预算支出表",
            &["合计", "基本支出"],
            vec![
                row(None, "合计", &["10.00", "4.00"]),
                // Name unreadable, no code: its numbers belong to no known row.
                row(None, "\u{FFFD}\u{FFFD}", &["6.00", "4.00"]),
                // Name lost, its text pushed into a cell: damaged too.
                row(None, "", &["\u{FFFD}\u{FFFD} 4.00", "4.00"]),
                // The code still says which row it is.
                row(Some("20101"), "\u{FFFD}政服务", &["4.00", "0.00"]),
            ],
        )];
        let warnings = flag_lost_labels(&mut tables);
        assert_eq!(
            trusted(&tables[0]),
            vec![
                vec![true, true],
                vec![false, false],
                vec![false, false],
                vec![true, true]
            ]
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("4 values flagged damaged_source"));
    }

    #[test]
    fn a_column_without_a_label_in_a_damaged_table_is_distrusted() {
        let mut tables = vec![table(
            "支出预算总表",
            &["合计", ""],
            vec![
                row(None, "合计", &["10.00", "4.00"]),
                row(None, "\u{FFFD}", &[]),
            ],
        )];
        flag_lost_labels(&mut tables);
        assert_eq!(trusted(&tables[0])[0], vec![true, false]);
        assert!(tables[0].blocks[0].rows[0].values[1]
            .as_ref()
            .unwrap()
            .flags
            .contains(&DAMAGED_SOURCE.to_string()));
    }

    #[test]
    fn intact_tables_and_nameless_rows_away_from_the_damage_stay() {
        // No unreadable text in the table: its nameless row is as the parser read it.
        let intact = table(
            "支出预算总表",
            &["合计", ""],
            vec![row(None, "", &["10.00", "4.00"])],
        );
        let mut tables = vec![intact.clone()];
        assert!(flag_lost_labels(&mut tables).is_empty());
        assert_eq!(tables[0], intact);
        // Damage in another row leaves a nameless row with clean cells trusted.
        let mut tables = vec![table(
            "支出预算总表",
            &["合计", "基本支出"],
            vec![
                row(None, "", &["10.00", "4.00"]),
                row(Some("201"), "一般\u{FFFD}共服务支出", &["10.00", "4.00"]),
            ],
        )];
        assert!(flag_lost_labels(&mut tables).is_empty());
        assert_eq!(
            trusted(&tables[0]),
            vec![vec![true, true], vec![true, true]]
        );
    }

    #[test]
    fn unreadable_titles_are_noted() {
        let tables = vec![
            table("\u{FFFD}三公\u{FFFD}经费支出预算表", &["合计"], Vec::new()),
            table("收入预算总表", &["合计"], Vec::new()),
        ];
        assert_eq!(
            unreadable_titles(&tables),
            vec!["table 0 title has unreadable characters (U+FFFD): \u{FFFD}三公\u{FFFD}经费支出预算表"]
        );
    }
}
