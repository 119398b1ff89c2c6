//! Analyst-ready facts (#17) on real documents: `amount_yuan`, `measure_std`, `row_role` and
//! `department_key` of `line_items`, read through the same row builders the run uses. Expected
//! values are typed from the documents (the sample texts; `pdftotext -layout` of the PDF).

use govdocs_cli::process::{process_file, Outcome};
use govdocs_output::LineItemRow;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sample(prefix: &str) -> Outcome {
    let dir = root().join("samples/text");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    let o = process_file(&path);
    assert!(o.ok(), "{:?}", o.document.error);
    o
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The rows of a table kind with this subject code (or row label, for code-less rows).
fn rows<'a>(
    items: &'a [LineItemRow<'a>],
    kind: &str,
    code_or_label: &str,
) -> Vec<&'a LineItemRow<'a>> {
    items
        .iter()
        .filter(|r| r.table_kind == kind)
        .filter(|r| r.subject_code == Some(code_or_label) || r.subject_name == code_or_label)
        .collect()
}

fn by_measure<'a>(rows: &[&'a LineItemRow<'a>], measure: &str) -> &'a LineItemRow<'a> {
    let found: Vec<_> = rows
        .iter()
        .filter(|r| r.measure_std == Some(measure))
        .collect();
    assert_eq!(found.len(), 1, "{measure}: {rows:#?}");
    found[0]
}

#[test]
fn expenditure_rows_of_a_final_account_in_wan_yuan() {
    // 002 公开03表 (金额单位：万元):
    // `206 科学技术支出 3,959.66 768.03 3,191.63` and `合计 6,050.66 1,190.74 4,859.92`.
    let o = sample("002");
    let items = o.line_items();
    let r206 = rows(&items, "expenditure", "206");
    let total = by_measure(&r206, "total");
    assert_eq!(total.measure, "本年支出合计");
    assert_eq!(total.amount_yuan, Some(d("39596600")));
    assert_eq!(total.row_role, Some("item"));
    assert_eq!(total.subject_level, Some(1));
    assert_eq!(by_measure(&r206, "basic").amount_yuan, Some(d("7680300")));
    assert_eq!(
        by_measure(&r206, "project").amount_yuan,
        Some(d("31916300"))
    );
    let sum = rows(&items, "expenditure", "合计");
    let grand = by_measure(&sum, "total");
    assert_eq!(grand.row_role, Some("total"));
    assert_eq!(grand.amount_yuan, Some(d("60506600")));
    // The 类 rows' totals add up to the 合计 row as printed, with no column counted twice.
    let classes: Decimal = items
        .iter()
        .filter(|r| r.table_kind == "expenditure" && r.subject_level == Some(1))
        .filter(|r| r.measure_std == Some("total"))
        .filter_map(|r| r.amount_yuan)
        .sum();
    assert_eq!(classes, d("60506600"));
    // 201 一般公共服务支出: `201 一般公共服务支出 5.00 5.00` (项目支出).
    let r201 = rows(&items, "expenditure", "201");
    assert_eq!(by_measure(&r201, "total").amount_yuan, Some(d("50000")));
    assert_eq!(by_measure(&r201, "project").amount_yuan, Some(d("50000")));
}

#[test]
fn summary_and_basic_tables_of_a_final_account() {
    // 003 公开01表: `本年收入合计 27 37083. 27`, `总计 31 37083. 27`; 公开06表:
    // `人员经费合计 1, 025. 98` under the 人员经费 block.
    let o = sample("003");
    let items = o.line_items();
    let summary = "income_expenditure_summary";
    let year = rows(&items, summary, "本年收入合计");
    assert_eq!(year.len(), 1, "{year:#?}");
    assert_eq!(year[0].row_role, Some("total"));
    assert_eq!(year[0].measure_std, Some("total"));
    assert_eq!(year[0].amount_yuan, Some(d("370832700")));
    let grand: Vec<_> = rows(&items, summary, "总计");
    assert!(!grand.is_empty());
    assert!(
        grand.iter().all(|r| r.row_role == Some("grand_total")),
        "{grand:#?}"
    );
    let staff = rows(&items, "basic_expenditure", "人员经费合计");
    assert_eq!(staff.len(), 1, "{staff:#?}");
    assert_eq!(staff[0].row_role, Some("total"));
    assert_eq!(staff[0].measure_std, Some("personnel"));
    assert_eq!(staff[0].amount_yuan, Some(d("10259800")));
    // 武汉市青山区经济信息化和科技创新局 as printed.
    assert_eq!(
        staff[0].department_key.as_deref(),
        Some("青山区经济信息化和科技创新局")
    );
}

#[test]
fn one_department_has_one_key_across_its_documents() {
    // 000 (2020 决算) prints 武汉市江汉区科学技术和经济信息化局, 001 (2022 预算) prints
    // 江汉区科学技术和经济信息化局; 002 is 江岸区's bureau, another body.
    let keys: Vec<Option<String>> = ["000", "001", "002"]
        .iter()
        .map(|p| {
            let o = sample(p);
            let items = o.line_items();
            assert!(!items.is_empty());
            let k = items[0].department_key.as_deref().map(str::to_string);
            assert!(items
                .iter()
                .all(|r| r.department_key.as_deref() == k.as_deref()));
            k
        })
        .collect();
    assert_ne!(
        sample("000").document.department,
        sample("001").document.department
    );
    assert_eq!(keys[0].as_deref(), Some("江汉区科学技术和经济信息化局"));
    assert_eq!(keys[0], keys[1]);
    assert_ne!(keys[0], keys[2]);
}

#[test]
fn a_budget_in_yuan_sums_with_documents_in_wan_yuan() {
    // putuo-commerce-2025-budget.pdf, 2025年部门支出预算总表 (单位：元):
    // `201 一般公共服务支出 21,601,733.00 12,291,733.00 9,310,000.00`.
    let o = process_file(&root().join("../shared/pdfs/putuo-commerce-2025-budget.pdf"));
    assert!(o.ok(), "{:?}", o.document.error);
    let items = o.line_items();
    let r201 = rows(&items, "budget_expenditure", "201");
    let total = by_measure(&r201, "total");
    assert_eq!(total.unit, Some("yuan"));
    assert_eq!(total.amount, d("21601733"));
    assert_eq!(total.amount_yuan, Some(d("21601733")));
    assert_eq!(by_measure(&r201, "basic").amount_yuan, Some(d("12291733")));
    assert_eq!(by_measure(&r201, "project").amount_yuan, Some(d("9310000")));
    // 上海市普陀区商务委员会 as printed.
    assert_eq!(total.department_key.as_deref(), Some("普陀区商务委员会"));
}
