//! Standard tables of other regions' templates, on real PDFs of `../shared/corpus` (read where
//! they lie, never copied into the project), through `govdocs inspect --rows`. For two documents
//! of each region: the standard tables its list of tables names (read by a person from the
//! document's 目录 / table titles in `pdftotext -layout`) are all found, and the grand totals of
//! its summary table are the amounts printed in the same file (read from `pdftotext -layout`,
//! never from our own output).

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_govdocs");

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name)
}

/// `govdocs inspect --rows` of one corpus PDF.
fn inspect(name: &str) -> String {
    let o = Command::new(BIN)
        .args(["inspect", "--rows"])
        .arg(corpus(name))
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// The kind of each table, in order.
fn kinds(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.starts_with("  #"))
        .map(|l| l.split_whitespace().nth(3).unwrap().to_string())
        .collect()
}

/// The rows of the first table of `kind`: (block, name, first value as printed by inspect).
fn summary_rows(out: &str, kind: &str) -> Vec<(String, String, String)> {
    let mut lines = out
        .lines()
        .skip_while(|l| !(l.starts_with("  #") && l.split_whitespace().nth(3) == Some(kind)));
    assert!(lines.next().is_some(), "no {kind} table in\n{out}");
    lines
        .take_while(|l| !l.starts_with("  #") && !l.starts_with("checks:"))
        .filter_map(|l| {
            let l = l.trim();
            let (label, values) = l.split_once(" | ")?;
            let (block, name) = label.strip_prefix('[')?.split_once(']')?;
            let first = values.split_whitespace().next()?.strip_prefix("#0=")?;
            Some((
                block.to_string(),
                name.trim().to_string(),
                first.to_string(),
            ))
        })
        .collect()
}

/// A printed amount (`4,704.239912`, `408,696,000`) as a number.
fn amount(s: &str) -> f64 {
    s.replace(',', "").parse().unwrap()
}

struct Doc {
    file: &'static str,
    /// The standard tables the document's list of tables names.
    kinds: &'static [&'static str],
    /// (block, row name, amount as printed) of the summary table's grand totals.
    totals: &'static [(&'static str, &'static str, &'static str)],
}

const BUDGET_CORE: [&str; 6] = [
    "budget_summary",
    "budget_income",
    "budget_expenditure",
    "budget_fiscal_summary",
    "budget_general_expenditure",
    "budget_basic_expenditure",
];

fn check(doc: &Doc) {
    let out = inspect(doc.file);
    let found = kinds(&out);
    for k in BUDGET_CORE.iter().chain(doc.kinds) {
        assert!(
            found.iter().any(|f| f == k),
            "{}: {k} not found in {found:?}",
            doc.file
        );
    }
    let rows = summary_rows(&out, "budget_summary");
    for &(block, name, printed) in doc.totals {
        let got = rows
            .iter()
            .find(|(b, n, _)| b == block && n == name)
            .unwrap_or_else(|| panic!("{}: no [{block}] {name} in {rows:?}", doc.file));
        assert_eq!(
            amount(&got.2),
            amount(printed),
            "{}: [{block}] {name}",
            doc.file
        );
    }
}

#[test]
fn beijing_budgets() {
    // `预算01表 收支总表` … `预算11表 财政拨款政府购买服务明细表`, code and name on one line,
    // amounts with six decimals.
    let kinds = &[
        "budget_gov_fund",
        "budget_state_capital",
        "budget_three_public",
        "budget_procurement",
        "budget_purchase_services",
    ];
    check(&Doc {
        file: "beijing-01.pdf",
        kinds,
        totals: &[
            ("收入", "本年收入合计", "4,695.064898"),
            ("收入", "收入总计", "4,704.239912"),
            ("支出", "本年支出合计", "4,704.239912"),
            ("支出", "支出总计", "4,704.239912"),
        ],
    });
    check(&Doc {
        file: "beijing-02.pdf",
        kinds,
        totals: &[
            ("收入", "本年收入合计", "70,272.196073"),
            ("收入", "收入总计", "92,430.002767"),
            ("支出", "本年支出合计", "92,430.002767"),
            ("支出", "支出总计", "92,430.002767"),
        ],
    });
}

#[test]
fn suzhou_budgets() {
    // `公开 01 表` on the line above `收支总表`: names without 预算 in a budget.
    let kinds = &[
        "budget_three_public",
        "budget_gov_fund",
        "budget_state_capital",
        "budget_procurement",
    ];
    check(&Doc {
        file: "suzhou-01.pdf",
        kinds,
        totals: &[
            ("收入", "本年收入合计", "249,977.11"),
            ("收入", "收入总计", "249,977.11"),
            ("支出", "支出总计", "249,977.11"),
        ],
    });
    check(&Doc {
        file: "suzhou-02.pdf",
        kinds,
        totals: &[
            ("收入", "本年收入合计", "4,651.67"),
            ("收入", "收入总计", "4,651.67"),
            ("支出", "支出总计", "4,651.67"),
        ],
    });
}

#[test]
fn yantai_budgets() {
    // `公开表1` / `收支总体情况表`, letter-spaced totals (`收 入 总 计`).
    let kinds = &[
        "budget_three_public",
        "budget_gov_fund",
        "budget_state_capital",
        "budget_procurement",
    ];
    check(&Doc {
        file: "yantai-01.pdf",
        kinds,
        totals: &[
            ("收入", "收入总计", "33,034.31"),
            ("支出", "支出总计", "33,034.31"),
        ],
    });
    check(&Doc {
        file: "yantai-02.pdf",
        kinds,
        totals: &[
            ("收入", "收入总计", "45,761.72"),
            ("支出", "支出总计", "45,761.72"),
        ],
    });
}

#[test]
fn xian_budgets() {
    // `表1` on its own line, `部门综合预算收支总表`, amounts in 元; the list of tables
    // (`表1 部门综合预算收支总表` …) before them is no table.
    let kinds = &[
        "budget_gov_fund",
        "budget_procurement",
        "budget_three_public",
    ];
    check(&Doc {
        file: "xian-03.pdf",
        kinds,
        totals: &[
            ("收入", "收入总计", "480544221.62"),
            ("支出", "支出总计", "480544221.62"),
        ],
    });
    check(&Doc {
        file: "xian-01.pdf",
        kinds,
        totals: &[
            ("收入", "收入总计", "303,312,586.17"),
            ("支出", "支出总计", "303,312,586.17"),
        ],
    });
}

#[test]
fn changsha_budgets() {
    // `2026年部门收支总体情况表` without a code.
    let kinds = &["budget_three_public", "budget_gov_fund"];
    check(&Doc {
        file: "changsha-02.pdf",
        kinds,
        totals: &[
            ("收入", "收入总计", "656.73"),
            ("支出", "支出总计", "656.73"),
        ],
    });
    check(&Doc {
        file: "changsha-04.pdf",
        kinds,
        totals: &[
            ("收入", "收入总计", "1,935.36"),
            ("支出", "支出总计", "1,935.36"),
        ],
    });
}

#[test]
fn chongqing_budgets() {
    // `表一` on the line above `2026 年部门收支总体情况表`; the summary prints its 合计 row
    // first, above the items.
    let kinds = &[
        "budget_gov_fund",
        "budget_three_public",
        "budget_procurement",
    ];
    check(&Doc {
        file: "chongqing-01.pdf",
        kinds,
        totals: &[
            ("收入", "合计", "186,549.30"),
            ("支出", "合计", "186,549.30"),
        ],
    });
    check(&Doc {
        file: "chongqing-02.pdf",
        kinds,
        totals: &[
            ("收入", "合计", "583,429.56"),
            ("支出", "合计", "583,429.56"),
        ],
    });
}

#[test]
fn shanghai_budgets() {
    // No table codes: `2026年预算单位财务收支预算总表`, amounts in 元 as integers.
    let kinds = &[
        "budget_gov_fund",
        "budget_state_capital",
        "budget_three_public",
    ];
    check(&Doc {
        file: "shanghai-01.pdf",
        kinds,
        totals: &[
            ("收入", "收入总计", "408,696,000"),
            ("支出", "支出总计", "408,696,000"),
        ],
    });
    check(&Doc {
        file: "shanghai-03.pdf",
        kinds,
        totals: &[
            ("收入", "收入总计", "38,639,856"),
            ("支出", "支出总计", "38,639,856"),
        ],
    });
}

#[test]
fn numbered_rows_of_a_summary_are_no_headings() {
    // shanghai-02's summary (pdftotext -layout lines 74–89): `二、事业收入`, `三、事业单位经营收入`,
    // `四、其他收入 7880,000` are rows of the table, which runs on to `收入总计` / `支出总计`
    // (rows without an amount are not kept).
    let out = inspect("shanghai-02.pdf");
    let rows = summary_rows(&out, "budget_summary");
    for (block, name) in [
        ("收入", "四、其他收入"),
        ("收入", "收入总计"),
        ("支出", "支出总计"),
    ] {
        assert!(
            rows.iter().any(|(b, n, _)| b == block && n == name),
            "no [{block}] {name} in {rows:?}"
        );
    }
}

/// The lines of table `#n` in `inspect --rows` output: its header line, then its rows.
fn table_lines(out: &str, n: usize) -> Vec<&str> {
    let head = format!("  #{n} ");
    let mut lines = out.lines().skip_while(|l| !l.starts_with(&head));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no table #{n} in\n{out}"));
    std::iter::once(first)
        .chain(lines.take_while(|l| !l.starts_with("  #") && !l.starts_with("checks:")))
        .collect()
}

/// The first table whose header line names `title`: its number.
fn table_titled(out: &str, title: &str) -> usize {
    out.lines()
        .filter(|l| l.starts_with("  #"))
        .find(|l| l.contains(title))
        .and_then(|l| l[3..].split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no table titled {title} in\n{out}"))
}

/// The amounts printed for the row labelled `label` (`code name`) of a table, by value column.
fn row_values(table: &[&str], label: &str) -> Vec<(usize, f64)> {
    let line = table
        .iter()
        .find(|l| {
            l.trim()
                .split_once(" | ")
                .is_some_and(|(a, _)| a.trim() == label)
        })
        .unwrap_or_else(|| panic!("no row {label} in\n{}", table.join("\n")));
    line.split_once(" | ")
        .unwrap()
        .1
        .split_whitespace()
        .filter_map(|v| {
            let (c, v) = v.strip_prefix('#')?.split_once('=')?;
            Some((c.parse().ok()?, amount(v.trim_end_matches('?'))))
        })
        .collect()
}

/// Whether a table's header line reports no failed check.
fn no_failed_check(table: &[&str]) -> bool {
    table[0].contains("/ 0 failed")
}

#[test]
fn tables_continued_under_a_repeated_title() {
    // yantai-07 prints 支出总体情况表 over pages 9 and 10 under the same title and header; page
    // 10 starts with the 项 `99 其他行政事业单位医疗支出 10.80` of 21011 and goes on with
    // `221 住房保障支出 87.86` (pdftotext -layout).
    let out = inspect("yantai-07.pdf");
    let t = table_lines(&out, table_titled(&out, "支出总体情况表"));
    assert_eq!(
        row_values(&t, "2101199 其他行政事业单位医疗支出")[0],
        (0, 10.80)
    );
    assert_eq!(row_values(&t, "221 住房保障支出")[0], (0, 87.86));
    assert_eq!(row_values(&t, "21011 行政事业单位医疗")[0], (0, 71.65));
    // yantai-05's 一般公共预算基本支出情况表 lists 301 工资福利支出 once per unit: 2,294.54
    // and 1,050.35, each the sum of the rows below it.
    let out = inspect("yantai-05.pdf");
    let t = table_lines(&out, table_titled(&out, "一般公共预算基本支出情况表"));
    let wages: Vec<f64> = t
        .iter()
        .filter(|l| l.trim().starts_with("301 工资福利支出 |"))
        .map(|l| row_values(&[l], "301 工资福利支出")[0].1)
        .collect();
    assert_eq!(wages, [2294.54, 1050.35]);
    assert!(no_failed_check(&t), "{}", t[0]);
}

#[test]
fn unit_codes_and_a_second_classification_xian() {
    // xian-01 表13 (三公): the department row `116 西安市财政局 2,480,000.00` over its units
    // `116001 西安市财政局 640,800.00` … `116008 西安市政府债务管理中心 172,000.00`.
    let out = inspect("xian-01.pdf");
    let t = table_lines(&out, table_titled(&out, "“三公”经费"));
    assert_eq!(row_values(&t, "116001 西安市财政局")[0], (0, 640800.0));
    assert_eq!(
        row_values(&t, "116008 西安市政府债务管理中心")[0],
        (0, 172000.0)
    );
    assert!(no_failed_check(&t), "{}", t[0]);
    // xian-11 表13: a unit name wrapped around its code (`西安市公安局人民警察训练支` /
    // `153006 … 11,596,000.00` / `队`).
    let out = inspect("xian-11.pdf");
    let t = table_lines(&out, table_titled(&out, "“三公”经费"));
    assert_eq!(
        row_values(&t, "153006 西安市公安局人民警察训练支队")[0],
        (0, 11596000.0)
    );
    assert!(no_failed_check(&t), "{}", t[0]);
    // xian-07 表6: 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称; the row is the first
    // classification's: `30101 基本工资 50101 工资奖金津补贴 3,868,678.80`.
    let out = inspect("xian-07.pdf");
    let t = table_lines(&out, table_titled(&out, "按支出经济分类科目"));
    assert_eq!(row_values(&t, "30101 基本工资")[0], (0, 3868678.80));
    assert_eq!(row_values(&t, "301 工资福利支出")[0], (0, 17103265.51));
    // xian-12 表5: units (`125001 西安市安全生产监督管理局 2,080.32`) each over their own
    // subjects, a 款 printed by its two digits (`05 行政事业单位离退休 113.28` under `208`).
    let out = inspect("xian-12.pdf");
    let t = table_lines(&out, table_titled(&out, "按支出功能分类科目"));
    assert_eq!(
        row_values(&t, "125001 西安市安全生产监督管理局")[0],
        (0, 2080.32)
    );
    assert_eq!(row_values(&t, "20805 行政事业单位离退休")[0], (0, 113.28));
    assert!(no_failed_check(&t), "{}", t[0]);
    // xian-08 表13: every unit row wrapped, its code printed below its amounts (`中共` /
    // `411,400.00 …` / `201001 西安市委`); the department `201 … 827,400.00` is their sum.
    let out = inspect("xian-08.pdf");
    let t = table_lines(&out, table_titled(&out, "“三公”经费"));
    let first_amount = |code: &str| {
        let l = t
            .iter()
            .find(|l| l.trim().starts_with(&format!("{code} ")))
            .unwrap_or_else(|| panic!("no row {code} in\n{}", t.join("\n")));
        let label = l.trim().split_once(" | ").unwrap().0;
        row_values(&t, label)[0]
    };
    assert_eq!(first_amount("201001"), (0, 411400.0));
    assert_eq!(first_amount("201002"), (0, 416000.0));
    assert!(no_failed_check(&t), "{}", t[0]);
}

#[test]
fn codes_printed_below_their_row_chongqing() {
    // chongqing-01 表二 prints a 项 code just below its name and amounts
    // (`专项业务及机关事务管理 59.56` / `2010305`; `机关事业单位基本养老保` / `3,043.23 …` /
    // `2080505 险缴费支出`).
    let out = inspect("chongqing-01.pdf");
    let t = table_lines(&out, table_titled(&out, "部门收入总体情况表"));
    assert_eq!(
        row_values(&t, "2010305 专项业务及机关事务管理")[0],
        (0, 59.56)
    );
    assert_eq!(
        row_values(&t, "2080505 机关事业单位基本养老保险缴费支出")[0],
        (0, 3043.23)
    );
    assert!(no_failed_check(&t), "{}", t[0]);
    assert!(
        !t.iter().any(|l| l.contains("— 13 —")),
        "a page number read as a row"
    );
}

#[test]
fn tables_printed_empty_are_empty() {
    // Each prints the table's header and no amount: shanghai-01 a bare `合计` row, beijing-01
    // `合 计` and `注：本部门无相关内容。`, yantai-01 `（注：2026年没有使用政府性基金预算拨款安排的
    // 支出。）`, xian-01 labels and `本年收入合计 本年支出合计` with no numbers.
    for (file, title) in [
        ("shanghai-01.pdf", "政府性基金预算支出功能分类预算表"),
        ("beijing-01.pdf", "政府性基金预算支出表"),
        ("yantai-01.pdf", "政府性基金预算支出情况表"),
        ("xian-01.pdf", "政府性基金收支表"),
    ] {
        let out = inspect(file);
        let t = table_lines(&out, table_titled(&out, title));
        assert!(t[0].contains("[empty]"), "{file}: {}", t[0]);
    }
}
