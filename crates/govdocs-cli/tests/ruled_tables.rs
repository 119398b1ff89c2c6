//! Tables drawn with ruling lines (cell borders): a caption printed at the left of a wide cell
//! and the amounts right-aligned below it share the cell, so each amount gets its column's
//! caption and its row's code. Expected values were read by a person from `pdftotext -layout`
//! of the same file in ../shared/corpus.

use govdocs_cli::pdf_input::parse_pdf;
use govdocs_core::tables::Table;
use govdocs_core::Document;
use std::path::Path;

fn doc(name: &str) -> Document {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name);
    parse_pdf(&std::fs::read(&p).unwrap()).unwrap()
}

fn table<'a>(d: &'a Document, title_part: &str) -> &'a Table {
    d.tables
        .iter()
        .find(|t| t.title.contains(title_part))
        .unwrap_or_else(|| panic!("no table titled …{title_part}…"))
}

/// (column labels, values as printed) of the row named `name`.
fn row(t: &Table, name: &str) -> (Option<String>, Vec<String>, Vec<String>) {
    let b = &t.blocks[0];
    let r = b
        .rows
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no row {name} in {}", t.title));
    let mut labels = Vec::new();
    let mut values = Vec::new();
    for (k, v) in r.values.iter().enumerate() {
        if let Some(v) = v {
            labels.push(b.columns[k].label.clone());
            values.push(v.value.map(|d| d.to_string()).unwrap_or_default());
        }
    }
    (r.code.clone(), labels, values)
}

/// chongqing-01 表三: `合计 186,549.30 41,418.94 145,130.37` under 总计 / 基本支出 / 项目支出, and
/// `201 一般公共服务支出 59.56 … 59.56` (总计 and 项目支出). Its page number `— 18 —`, printed
/// inside the bottom 15 % of the landscape page, is furniture, not a row of the table.
#[test]
fn chongqing_expenditure_table_keeps_its_total_column() {
    let d = doc("chongqing-01.pdf");
    let t = table(&d, "部门支出总体情况表");
    let labels: Vec<&str> = t.blocks[0]
        .columns
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(labels, ["总计", "基本支出", "项目支出"]);
    let (_, _, v) = row(t, "合计");
    assert_eq!(v, ["186549.30", "41418.94", "145130.37"]);
    let (code, l, v) = row(t, "一般公共服务支出");
    assert_eq!(code.as_deref(), Some("201"));
    assert_eq!(l, ["总计", "项目支出"]);
    assert_eq!(v, ["59.56", "59.56"]);
}

/// xian-03 表5 (一般公共预算支出明细表, 按支出功能分类科目): `205 教育支出 390000 0 0 390000`
/// under 合计 / 人员经费支出 / 公用经费支出 / 专项业务经费支出; the code was lost before the
/// cells were read by their rules.
#[test]
fn xian_function_table_keeps_codes_and_captions() {
    let d = doc("xian-03.pdf");
    let t = table(&d, "按支出功能分类科目");
    let (code, l, v) = row(t, "教育支出");
    assert_eq!(code.as_deref(), Some("205"));
    assert_eq!(
        l,
        ["合计", "人员经费支出", "公用经费支出", "专项业务经费支出"]
    );
    assert_eq!(v, ["390000", "0", "0", "390000"]);
}

/// yantai-03 公开表5 (一般公共预算支出情况表): the caption `科目编码` is parted from `类 | 款 | 项`
/// by a rule under those cells only, and the borders are drawn cell by cell. Read from
/// `pdftotext -layout`: `01 行政运行 588.75 588.75 502.45 86.30` under 201 / 05, and
/// `02 一般行政管理事务 41.00 … 41.00` (合计 and 项目支出). Every row obeys 合计 = 基本支出 +
/// 项目支出 and 基本支出 = 人员支出 + 日常公用支出, which the catalogue's column identities check.
#[test]
fn yantai_codes_split_over_ruled_columns_and_column_identities() {
    use govdocs_core::checks::CheckKind;
    let d = doc("yantai-03.pdf");
    let t = table(&d, "一般公共预算支出情况表");
    let (code, _, v) = row(t, "行政运行");
    assert_eq!(code.as_deref(), Some("2010501"));
    assert_eq!(v, ["588.75", "588.75", "502.45", "86.30"]);
    let (code, l, v) = row(t, "一般行政管理事务");
    assert_eq!(code.as_deref(), Some("2010502"));
    assert_eq!(v, ["41.00", "41.00"]);
    assert_eq!(l, ["合计", "项目支出"]);
    // `合计` and `项目支出` span both header levels, `基本支出` spans 小计 | 人员支出 | 日常公用支出.
    let labels: Vec<&str> = t.blocks[0]
        .columns
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "合计",
            "基本支出小计",
            "基本支出/人员支出",
            "基本支出/日常公用支出",
            "项目支出"
        ]
    );
    let column: Vec<_> = d
        .checks
        .iter()
        .filter(|c| c.kind == CheckKind::Column && c.table_id == Some(t.id))
        .collect();
    assert!(column.len() >= 20, "{} column checks", column.len());
    assert!(column.iter().all(|c| c.pass));
}

/// beijing-01 预算02表 收入总表: `合计` spans both header levels beside `本年收入` and
/// `上年结转结余`, each over its own 小计 | 一般公共预算资金 | … columns; a rule across most of
/// the width parts the two levels. Read from `pdftotext -layout`: `4,704.239912 4,695.064898
/// 4,695.064898 … 9.175014 9.175014`.
#[test]
fn beijing_income_table_captions_over_two_levels() {
    let d = doc("beijing-01.pdf");
    let t = table(&d, "收入总表");
    let b = &t.blocks[0];
    let label = |k: usize| b.columns[k].label.as_str();
    assert_eq!(b.columns.len(), 17);
    assert_eq!(label(0), "合计");
    assert_eq!(label(1), "本年收入小计");
    assert_eq!(label(2), "本年收入/一般公共预算资金");
    assert_eq!(label(11), "上年结转结余小计");
    assert_eq!(label(12), "上年结转结余/一般公共预算资金");
    assert_eq!(label(16), "上年结转结余/单位资金");
    let values: Vec<(usize, String)> = b.rows[0]
        .values
        .iter()
        .enumerate()
        .filter_map(|(k, v)| Some((k, v.as_ref()?.value?.to_string())))
        .collect();
    assert_eq!(
        values,
        [
            (0, "4704.239912".to_string()),
            (1, "4695.064898".to_string()),
            (2, "4695.064898".to_string()),
            (11, "9.175014".to_string()),
            (12, "9.175014".to_string())
        ]
    );
}
