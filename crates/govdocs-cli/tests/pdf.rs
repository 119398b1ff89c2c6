//! PDF input end to end through `govdocs run`: the six real PDFs parse with the metadata their
//! cover pages print (read with `pdftotext -l 1`), and damaged PDFs each fail with their own error.

use arrow_array::{Array, Int32Array, RecordBatch};
use std::path::Path;
use std::process::Command;

mod common;
use common::{col, read_dataset, root, BIN};

/// Rows of the first table whose kind or code is `key` in the one PDF given, as `block|code|label|v1 v2 …` (trusted
/// values in column order).
fn table_rows(pdf: &str, key: &str) -> Vec<String> {
    let out = std::env::temp_dir().join(format!(
        "govdocs-pdfrows-{}-{}",
        key.len(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&out);
    let o = Command::new(BIN)
        .args([
            "run",
            "pipelines/samples.toml",
            "--input",
            pdf,
            "-o",
            out.to_str().unwrap(),
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success());
    let tables = read_dataset(&out, "tables");
    let cells = read_dataset(&out, "cells");
    std::fs::remove_dir_all(&out).unwrap();
    let u32s = |b: &RecordBatch, n: &str| -> Vec<u32> {
        let a: &arrow_array::UInt32Array = b
            .column_by_name(n)
            .unwrap()
            .as_any()
            .downcast_ref()
            .unwrap();
        a.values().to_vec()
    };
    let ids = u32s(&tables, "table_id");
    let code = col(&tables, "code");
    let table = (0..tables.num_rows())
        .find(|&i| {
            col(&tables, "kind").value(i) == key || (!code.is_null(i) && code.value(i) == key)
        })
        .map(|i| ids[i])
        .unwrap();
    let (t, blk, row) = (
        u32s(&cells, "table_id"),
        u32s(&cells, "block"),
        u32s(&cells, "row"),
    );
    let value: &arrow_array::Decimal128Array = cells
        .column_by_name("value")
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap();
    let mut rows: Vec<((u32, u32), String, Vec<String>)> = Vec::new();
    for i in (0..cells.num_rows()).filter(|&i| t[i] == table) {
        let v = if value.is_null(i) {
            "?".to_string()
        } else {
            {
                // Stored at scale 6; the documents print two decimals.
                let s = value.value_as_string(i);
                s.strip_suffix("0000").unwrap_or(&s).to_string()
            }
        };
        match rows.last_mut() {
            Some((k, _, vs)) if *k == (blk[i], row[i]) => vs.push(v),
            _ => {
                let code = if col(&cells, "row_code").is_null(i) {
                    ""
                } else {
                    col(&cells, "row_code").value(i)
                };
                let head = format!(
                    "{}|{code}|{}",
                    col(&cells, "block_label").value(i),
                    col(&cells, "row_label").value(i)
                );
                rows.push(((blk[i], row[i]), head, vec![v]));
            }
        }
    }
    rows.into_iter()
        .map(|(_, h, v)| format!("{h}|{}", v.join(" ")))
        .collect()
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn jiangsu_classification_table_row_by_row() {
    // `pdftotext -layout -f 5 -l 5 jiangsu-npc-office-2019-budget-tables.pdf`: 公开表五
    // 财政拨款支出预算表（功能科目）, columns 功能科目编码 | 功能科目名称 | 金额.
    let rows = table_rows(
        "../shared/pdfs/jiangsu-npc-office-2019-budget-tables.pdf",
        "公开表五",
    );
    let want = lines(
        "
        ||合计|18330.37
        |201|一般公共服务支出|13907.78
        |20101|人大事务|13907.78
        |2010101|行政运行|7448.20
        |2010102|一般行政管理事务|2464.02
        |2010104|人大会议|1469.73
        |2010105|人大立法|729.00
        |2010106|人大监督|376.88
        |2010107|人大代表履职能力提升|363.38
        |2010108|代表工作|385.52
        |2010109|人大信访工作|42.75
        |2010199|其他人大事务支出|628.30
        |208|社会保障和就业支出|1121.39
        |20805|行政事业单位离退休|1121.39
        |2080504|未归口管理的行政单位离退休|271.45
        |2080505|机关事业单位基本养老保险缴费支出|607.10
        |2080506|机关事业单位职业年金缴费支出|242.84
        |221|住房保障支出|3301.20
        |22102|住房改革支出|3301.20
        |2210201|住房公积金|752.90
        |2210202|提租补贴|2548.30
        ",
    );
    assert_eq!(rows, want);
}

#[test]
fn putuo_income_table_over_two_pages() {
    // `pdftotext -layout -f 6 -l 7 putuo-social-work-2024-final-accounts.pdf`: 收入决算表, columns
    // 本年收入合计 | 财政拨款收入 | …; the table continues on page 7, and 2080505's name is printed
    // over two lines around its code (`机关事业单位基本养老保险缴费` / `支出`).
    let rows = table_rows(
        "../shared/pdfs/putuo-social-work-2024-final-accounts.pdf",
        "income",
    );
    let want = lines(
        "
        ||合计|307.82 307.82
        |201|一般公共服务支出|264.87 264.87
        |20139|社会工作事务|264.87 264.87
        |2013901|行政运行|51.32 51.32
        |2013950|事业运行|11.31 11.31
        |2013999|其他社会工作事务支出|202.24 202.24
        |208|社会保障和就业支出|10.82 10.82
        |20805|行政事业单位养老支出|10.82 10.82
        |2080505|机关事业单位基本养老保险缴费支出|6.18 6.18
        |2080506|机关事业单位职业年金缴费支出|4.64 4.64
        |210|卫生健康支出|2.71 2.71
        |21011|行政事业单位医疗|2.71 2.71
        |2101101|行政单位医疗|2.22 2.22
        |2101102|事业单位医疗|0.49 0.49
        |221|住房保障支出|29.42 29.42
        |22102|住房改革支出|29.42 29.42
        |2210201|住房公积金|17.70 17.70
        |2210203|购房补贴|11.72 11.72
        ",
    );
    assert_eq!(rows, want);
}

#[test]
fn putuo_summary_table_both_sides() {
    // `pdftotext -layout -f 5 -l 5 putuo-social-work-2024-final-accounts.pdf`: 收入支出决算总表,
    // 收入 | 决算数 | 支出 | 决算数; rows without an amount print only their label.
    let rows = table_rows(
        "../shared/pdfs/putuo-social-work-2024-final-accounts.pdf",
        "income_expenditure_summary",
    );
    let want = lines(
        "
        收入||一、一般公共预算财政拨款收入|307.82
        收入||本年收入合计|307.82
        收入||总计|307.82
        支出||一、一般公共服务支出|264.87
        支出||八、社会保障和就业支出|10.82
        支出||九、卫生健康支出|2.71
        支出||十九、住房保障支出|29.42
        支出||本年支出合计|307.82
        支出||总计|307.82
        ",
    );
    assert_eq!(rows, want);
}

fn run_on(inputs: &[&str], name: &str) -> (Option<i32>, RecordBatch) {
    let out = std::env::temp_dir().join(format!("govdocs-pdf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let mut args = vec!["run", "pipelines/samples.toml", "-o", out.to_str().unwrap()];
    for i in inputs {
        args.extend(["--input", i]);
    }
    let o = Command::new(BIN)
        .args(&args)
        .current_dir(root())
        .output()
        .unwrap();
    let b = read_dataset(&out, "documents");
    std::fs::remove_dir_all(&out).unwrap();
    (o.status.code(), b)
}

#[test]
fn real_pdfs_parse_with_their_cover_metadata() {
    let (code, docs) = run_on(&["../shared/pdfs"], "real");
    assert_eq!(code, Some(0));
    let path = col(&docs, "source_path");
    let year: &Int32Array = docs
        .column_by_name("fiscal_year")
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap();
    let mut got: Vec<(String, String, i32, String)> = (0..docs.num_rows())
        .map(|i| {
            (
                Path::new(path.value(i))
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                col(&docs, "department").value(i).to_string(),
                year.value(i),
                col(&docs, "doc_kind").value(i).to_string(),
            )
        })
        .collect();
    got.sort();
    let want = [
        // `江苏省高级人民法院` / `2019 年度部门预算公开`
        (
            "jiangsu-high-court-2019-budget.pdf",
            "江苏省高级人民法院",
            2019,
            "budget",
        ),
        // tables only: `部门：江苏省人大常委会办公厅`; the year from `2019年政府采购预算表`
        (
            "jiangsu-npc-office-2019-budget-tables.pdf",
            "江苏省人大常委会办公厅",
            2019,
            "budget",
        ),
        (
            "jiangsu-party-office-2019-budget-tables.pdf",
            "中共江苏省委办公厅",
            2019,
            "budget",
        ),
        // `上海市普陀区2025年区级部门预算` / `预算主管部门：上海市普陀区商务委员会`
        (
            "putuo-commerce-2025-budget.pdf",
            "上海市普陀区商务委员会",
            2025,
            "budget",
        ),
        // `中共上海市普陀区委` / `社会工作部 2024 年度` / `部门决算`
        (
            "putuo-social-work-2024-final-accounts.pdf",
            "中共上海市普陀区委社会工作部",
            2024,
            "final_account",
        ),
        (
            "putuo-welfare-home-2024-unit-budget.pdf",
            "上海市普陀区社会福利院",
            2024,
            "budget",
        ),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(f, d, y, k)| (f.to_string(), d.to_string(), *y, k.to_string()))
        .collect();
    assert_eq!(got, want);
    assert!(col(&docs, "source_format").iter().all(|f| f == Some("pdf")));
    assert!(col(&docs, "encoding").iter().all(|e| e.is_none()));
}

#[test]
fn damaged_pdfs_fail_each_with_its_own_error() {
    let data = "crates/govdocs-pdf/tests/data";
    let files = [
        "encrypted-user-password.pdf",
        "truncated.pdf",
        "scan.pdf",
        "fanout-forms.pdf",
    ];
    let inputs: Vec<String> = files.iter().map(|f| format!("{data}/{f}")).collect();
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let (code, docs) = run_on(&refs, "bad");
    assert_eq!(code, Some(1));
    let path = col(&docs, "source_path");
    let err = |suffix: &str| {
        let i = (0..docs.num_rows())
            .find(|&i| path.value(i).ends_with(suffix))
            .unwrap();
        assert_eq!(col(&docs, "status").value(i), "failed");
        col(&docs, "error").value(i).to_string()
    };
    assert!(err("encrypted-user-password.pdf").contains("encrypted"));
    assert!(err("truncated.pdf").contains("damaged"));
    assert!(err("scan.pdf").contains("no text layer") && err("scan.pdf").contains("OCR"));
    assert!(err("fanout-forms.pdf").contains("too complex"));
}
