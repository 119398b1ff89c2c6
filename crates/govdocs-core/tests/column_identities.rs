//! The catalogue's column identities (合计 = 基本支出 + 项目支出 in each row) on a seed whose
//! expenditure table states none in its notes: 001's 2022年支出预算总表 prints, for example,
//! `2060102 | 一般行政管理事务（科学技术） | 356.00 | 36.00 | 320.00` (read from the text dump).

use govdocs_core::checks::CheckKind;
use govdocs_core::parse_text;
use govdocs_core::tables::TableKind;

fn seed_001() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/text/");
    let p = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("001"))
        .expect("seed 001");
    std::fs::read_to_string(p).unwrap()
}

/// The column checks of the 支出预算总表: (row location, pass).
fn column_checks(text: &str) -> Vec<(String, bool)> {
    let d = parse_text(text.as_bytes()).unwrap();
    let t = d
        .tables
        .iter()
        .find(|t| t.kind == TableKind::BudgetExpenditure)
        .expect("支出预算总表");
    d.checks
        .iter()
        .filter(|c| c.kind == CheckKind::Column && c.table_id == Some(t.id))
        .map(|c| (c.location.clone(), c.pass))
        .collect()
}

#[test]
fn every_row_of_the_expenditure_table_is_checked_across_its_columns() {
    let checks = column_checks(&seed_001());
    // 合计 and the 25 classified rows each print 总计 | 基本支出 | 项目支出 and nothing else.
    assert!(checks.len() >= 26, "{checks:?}");
    assert!(checks.iter().all(|c| c.1), "{checks:?}");
    assert!(checks.iter().any(|c| c.0.contains("2060102")), "{checks:?}");
}

#[test]
fn a_wrong_part_fails_its_row_identity() {
    let text = seed_001();
    let row = "2060102\t一般行政管理事务（科学技术）\t356.00\t36.00\t320.00";
    assert!(text.contains(row));
    let bad = text.replacen(
        row,
        "2060102\t一般行政管理事务（科学技术）\t356.00\t63.00\t320.00",
        1,
    );
    let failed: Vec<String> = column_checks(&bad)
        .into_iter()
        .filter(|c| !c.1)
        .map(|c| c.0)
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].contains("2060102"), "{failed:?}");
}
