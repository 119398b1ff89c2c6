//! Which checks each value cell takes part in: per cell, the number of passing and failing
//! checks of its document. A cell with a value in at least one passing check is verified by the
//! document's own arithmetic; the datasets carry these counts (`cells.checks_passed`,
//! `cells.checks_failed`) so that the quality report can tell verified amounts from the others.

use crate::checks::Check;
use crate::tables::Table;

/// Passing and failing checks one cell takes part in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Checks that passed and list the cell (as the sum or as a term).
    pub passed: u32,
    /// Checks that failed and list the cell.
    pub failed: u32,
}

/// The tallies of every cell of a document's tables, in one flat vector indexed by table, block,
/// row and column (no hashing: a document may run tens of thousands of checks).
#[derive(Debug, Clone, Default)]
pub struct CellTallies {
    /// Per table id: the offset of each of its blocks in `counts`, and each block's column count.
    blocks: Vec<Vec<(usize, usize, usize)>>,
    counts: Vec<Tally>,
}

impl CellTallies {
    /// Count, for every cell of `tables`, the checks of `checks` that list it.
    pub fn new(tables: &[Table], checks: &[Check]) -> CellTallies {
        let ids = tables.iter().map(|t| t.id as usize + 1).max().unwrap_or(0);
        let mut blocks = vec![Vec::new(); ids];
        let mut n = 0usize;
        for t in tables {
            let layout = &mut blocks[t.id as usize];
            layout.clear();
            for b in &t.blocks {
                let cols = b.columns.len();
                layout.push((n, b.rows.len(), cols));
                n += b.rows.len() * cols;
            }
        }
        let mut tallies = CellTallies {
            blocks,
            counts: vec![Tally::default(); n],
        };
        for c in checks {
            for &(t, b, r, col) in &c.cells {
                if let Some(i) = tallies.index(t, b, r, col) {
                    let tally = &mut tallies.counts[i];
                    if c.pass {
                        tally.passed += 1;
                    } else {
                        tally.failed += 1;
                    }
                }
            }
        }
        tallies
    }

    fn index(&self, table: u32, block: usize, row: usize, col: usize) -> Option<usize> {
        let &(base, rows, cols) = self.blocks.get(table as usize)?.get(block)?;
        (row < rows && col < cols).then_some(base + row * cols + col)
    }

    /// The tally of one cell (zero for a cell no check lists, or one outside the tables).
    pub fn get(&self, table: u32, block: usize, row: usize, col: usize) -> Tally {
        self.index(table, block, row, col)
            .map_or_else(Tally::default, |i| self.counts[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::run_checks;
    use crate::parse_text;

    /// In 003's 支出决算表 (tabbed, codes split over 类/款/项), the 类 row 206 is the sum of its
    /// 款 rows, so its cells take part in passing hierarchy checks.
    #[test]
    fn cells_of_passing_checks_are_counted() {
        let text = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/text/003_c92812b56496922d.txt"
        ))
        .unwrap();
        let doc = parse_text(&text).unwrap();
        let tallies = CellTallies::new(&doc.tables, &doc.checks);
        let mut passed = 0;
        for c in doc.checks.iter().filter(|c| c.pass) {
            for &(t, b, r, col) in &c.cells {
                assert!(tallies.get(t, b, r, col).passed >= 1);
                passed += 1;
            }
        }
        assert!(
            passed > 100,
            "003 has many passing checks, got {passed} cell mentions"
        );
        // A cell named by no check has an empty tally.
        assert_eq!(tallies.get(999, 0, 0, 0), Tally::default());
    }

    #[test]
    fn a_failing_check_is_counted_as_failed() {
        // Two tables' worth of nothing: a check on a table that is not there is ignored.
        let mut tables = Vec::new();
        let checks = run_checks(&mut tables);
        let t = CellTallies::new(&tables, &checks);
        assert_eq!(t.get(0, 0, 0, 0), Tally::default());
        let text = "2020年度某局部门决算\n收入决算表\n公开02表\n单位：万元\n科目编码\t科目名称\t本年收入合计\t财政拨款收入\t其他收入\n栏次\t\t1\t2\t3\n201\t一般公共服务支出\t10.00\t7.00\t2.00\n注：本表反映部门本年度取得的各项收入情况。1栏=（2+3）栏\n";
        let doc = parse_text(text.as_bytes()).unwrap();
        let failed: Vec<&Check> = doc.checks.iter().filter(|c| !c.pass).collect();
        assert!(!failed.is_empty(), "10.00 ≠ 7.00 + 2.00: {:?}", doc.checks);
        let tallies = CellTallies::new(&doc.tables, &doc.checks);
        for &(t, b, r, col) in &failed[0].cells {
            assert!(tallies.get(t, b, r, col).failed >= 1);
        }
    }
}
