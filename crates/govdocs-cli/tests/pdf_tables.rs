//! The tables of the six real PDFs, through `govdocs inspect --rows`: for each document its table
//! inventory (status, code, kind, unit), its first summary table and one classification table.
//! Every expected amount was read by a person from `pdftotext -layout` of the same PDF, not from
//! our own output; every check that runs on them passes.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_govdocs");

fn pdf(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/pdfs")
        .join(name)
}

/// `govdocs inspect --rows` of one sample PDF.
fn inspect(name: &str) -> String {
    let o = Command::new(BIN)
        .args(["inspect", "--rows"])
        .arg(pdf(name))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// Each table's `[status] code kind (unit)`, in order (`—` for no code).
fn inventory(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.starts_with("  #"))
        .map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            let before_rows = l.rsplit_once(" rows × ").unwrap().0;
            let unit = before_rows.rsplit_once(" (").unwrap().1;
            let unit = unit.split(')').next().unwrap();
            format!("{} {} {} ({unit})", t[1], t[2], t[3])
        })
        .collect()
}

/// The row lines of table `#n`: `[block] code label | #col=value …`, trimmed.
fn rows(out: &str, n: usize) -> Vec<String> {
    let start = format!("  #{n} [");
    out.lines()
        .skip_while(|l| !l.starts_with(&start))
        .skip(1)
        .take_while(|l| !l.starts_with("  #") && !l.starts_with("checks:"))
        .filter(|l| !l.trim_start().starts_with("columns:"))
        .map(|l| l.trim().to_string())
        .collect()
}

/// The `checks: N run, M failed` line.
fn checks(out: &str) -> (usize, usize) {
    let l = out.lines().find(|l| l.starts_with("checks:")).unwrap();
    let nums: Vec<usize> = l
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    (nums[0], nums[1])
}

fn expect_rows(got: &[String], want: &[&str]) {
    for w in want {
        assert!(
            got.iter().any(|g| g == w),
            "missing row {w:?} in\n{}",
            got.join("\n")
        );
    }
}

#[test]
fn jiangsu_high_court_tables() {
    let out = inspect("jiangsu-high-court-2019-budget.pdf");
    let codes: Vec<String> = (1..=12).map(|i| format!("公开{i:02}表")).collect();
    let kinds = [
        "budget_summary",
        "budget_income",
        "budget_expenditure",
        "budget_fiscal_summary",
        "budget_expenditure",
        "budget_basic_expenditure",
        "budget_general_expenditure",
        "budget_basic_expenditure",
        "budget_three_public",
        "budget_gov_fund",
        // 公开11表 一般公共预算机关运行经费支出预算表: not the 支出预算表, no standard table.
        "other",
        "budget_procurement",
    ];
    let inv = inventory(&out);
    assert_eq!(inv.len(), 12);
    for (i, l) in inv.iter().enumerate() {
        assert!(l.contains(&codes[i]) && l.contains(kinds[i]), "{l}");
        assert!(l.ends_with("(wan_yuan)"), "{l}");
    }
    // 公开01表: three blocks, the expenditure by function and by use both on the 支出 side.
    let summary = rows(&out, 0);
    expect_rows(
        &summary,
        &[
            "[收入]  一、财政拨款 | #0=37188.34",
            "[收入]  1.一般公共预算 | #0=37188.34",
            "[收入]  当年收入小计 | #0=37188.34",
            "[收入]  收入合计 | #0=37188.34",
            "[支出]  四、公共安全支出 | #0=27488.23",
            "[支出]  八、社会保障和就业支出 | #0=2355.65",
            "[支出]  十八、住房保障支出 | #0=7344.46",
            "[支出]  一、基本支出 | #0=21968.00",
            "[支出]  二、项目支出 | #0=10208.94",
            "[支出]  三、单位预留机动经费 | #0=5011.40",
            "[支出]  当年支出小计 | #0=37188.34",
            "[支出]  支出合计 | #0=37188.34",
        ],
    );
    // 公开05表, by function.
    let class = rows(&out, 4);
    expect_rows(
        &class,
        &[
            "合计 | #0=37188.34",
            "204 公共安全支出 | #0=27488.23",
            "20405 法院 | #0=27488.23",
            "2040501 行政运行 | #0=17279.29",
            "2040505 案件执行 | #0=775.00",
            "2080505 机关事业单位基本养老保险缴费支出 | #0=1384.70",
            "2210202 提租补贴 | #0=5465.10",
        ],
    );
    assert_eq!(class.len(), 18);
    // 公开03表: one row of five columns, the last (结转下年资金) printed empty.
    assert_eq!(
        rows(&out, 2),
        ["| #0=37188.34 #1=21968.00 #2=10208.94 #3=5011.40"]
    );
    assert!(out.contains("合计 | 基本支出 | 项目支出 | 单位预留机动经费 | 结转下年资金"));
    let (run, failed) = checks(&out);
    assert!(run >= 20 && failed == 0, "{run} run, {failed} failed");
}

#[test]
fn jiangsu_npc_and_party_office_summary_tables() {
    for (name, want, class) in [
        (
            "jiangsu-npc-office-2019-budget-tables.pdf",
            vec![
                "[收入]  一、财政拨款 | #0=18330.37",
                "[收入]  当年收入小计 | #0=18330.37",
                "[支出]  一、一般公共服务支出 | #0=13907.78",
                "[支出]  八、社会保障和就业支出 | #0=1121.39",
                "[支出]  十八、住房保障支出 | #0=3301.20",
                "[支出]  一、基本支出 | #0=9312.90",
                "[支出]  二、项目支出 | #0=6459.58",
                "[支出]  三、单位预留机动经费 | #0=2557.89",
                "[支出]  当年支出小计 | #0=18330.37",
                "[支出]  支出合计 | #0=18330.37",
            ],
            None,
        ),
        (
            "jiangsu-party-office-2019-budget-tables.pdf",
            vec![
                "[收入]  一、财政拨款 | #0=27664.22",
                "[收入]  收入合计 | #0=27664.22",
                "[支出]  一、一般公共服务支出 | #0=22395.50",
                "[支出]  八、社会保障和就业支出 | #0=1374.63",
                "[支出]  十八、住房保障支出 | #0=3894.09",
                "[支出]  一、基本支出 | #0=11700.63",
                "[支出]  二、项目支出 | #0=13025.38",
                "[支出]  三、单位预留机动经费 | #0=2938.21",
                "[支出]  当年支出小计 | #0=27664.22",
            ],
            Some(vec![
                "合计 | #0=27664.22",
                "20131 党委办公厅（室）及相关机构事务 | #0=22395.50",
                "2013101 行政运行 | #0=9370.12",
                "2013102 一般行政管理事务 | #0=13025.38",
                "2080504 未归口管理的行政单位离退休 | #0=275.54",
                "2080505 机关事业单位基本养老保险缴费支出 | #0=785.06",
            ]),
        ),
    ] {
        let out = inspect(name);
        let inv = inventory(&out);
        assert_eq!(inv.len(), 12, "{name}");
        assert!(inv[0].contains("budget_summary") && inv[9].contains("budget_gov_fund"));
        assert!(inv.iter().all(|l| l.ends_with("(wan_yuan)")), "{inv:?}");
        // The 政府性基金 table prints no amounts.
        assert!(
            inv[9].starts_with("[empty]") || inv[9].starts_with("[unparsed]"),
            "{inv:?}"
        );
        expect_rows(&rows(&out, 0), &want);
        if let Some(c) = class {
            expect_rows(&rows(&out, 4), &c);
        }
        let (run, failed) = checks(&out);
        assert!(
            run >= 20 && failed == 0,
            "{name}: {run} run, {failed} failed"
        );
    }
}

#[test]
fn putuo_commerce_tables() {
    let out = inspect("putuo-commerce-2025-budget.pdf");
    let inv = inventory(&out);
    assert_eq!(
        inv[..9],
        [
            "[parsed] — budget_summary (yuan)",
            "[parsed] — budget_income (yuan)",
            "[parsed] — budget_expenditure (yuan)",
            "[parsed] — budget_fiscal_summary (yuan)",
            "[parsed] — budget_general_expenditure (yuan)",
            "[empty] — budget_gov_fund (yuan)",
            "[empty] — budget_state_capital (yuan)",
            "[parsed] — budget_basic_expenditure (yuan)",
            "[parsed] — budget_three_public (wan_yuan)",
        ]
    );
    // The rest are the 项目绩效目标表 pages, kept as raw text.
    assert!(inv[9..].iter().all(|l| l.contains("performance")));
    assert_eq!(
        rows(&out, 0),
        [
            "[收入]  一、财政拨款收入 | #0=371514655.00",
            "[收入]  1. 一般公共预算资金 | #0=371514655.00",
            "[收入]  收入总计 | #0=371514655.00",
            "[支出]  一、一般公共服务支出 | #0=21601733.00",
            "[支出]  二、科学技术支出 | #0=17200000.00",
            "[支出]  三、社会保障和就业支出 | #0=3808085.00",
            "[支出]  四、卫生健康支出 | #0=881803.00",
            "[支出]  五、资源勘探工业信息等支出 | #0=293810000.00",
            "[支出]  六、商业服务业等支出 | #0=31364000.00",
            "[支出]  七、住房保障支出 | #0=2849034.00",
            "[支出]  支出总计 | #0=371514655.00",
        ]
    );
    // 一般公共预算支出功能分类预算表: codes printed 类|款|项 in three columns, over two pages.
    let class = rows(&out, 4);
    expect_rows(
        &class,
        &[
            "201 一般公共服务支出 | #0=21601733.00 #1=12291733.00 #2=9310000.00",
            "2011301 行政运行 | #0=9389913.00 #1=9389913.00",
            "2011302 一般行政管理事务 | #0=4545000.00 #2=4545000.00",
            "2080599 其他行政事业单位养老支出 | #0=13260.00 #1=13260.00",
            "2150899 其他支持中小企业发展和管理支出 | #0=293810000.00 #2=293810000.00",
            "2210203 购房补贴 | #0=1488000.00 #1=1488000.00",
            "合计 | #0=371514655.00 #1=19830655.00 #2=351684000.00",
        ],
    );
    assert_eq!(class.len(), 31);
    let (run, failed) = checks(&out);
    assert!(run >= 100 && failed == 0, "{run} run, {failed} failed");
}

#[test]
fn putuo_social_work_expenditure_table() {
    let out = inspect("putuo-social-work-2024-final-accounts.pdf");
    let inv = inventory(&out);
    let kinds: Vec<&str> = inv
        .iter()
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(
        kinds[1..],
        [
            "income_expenditure_summary",
            "income",
            "expenditure",
            "fiscal_summary",
            "general_budget_expenditure",
            "basic_expenditure",
            "three_public",
            "gov_fund",
            "state_capital",
        ]
    );
    assert!(inv.iter().all(|l| l.ends_with("(wan_yuan)")));
    // 支出决算表: names wrapped over two lines around their code.
    let exp = rows(&out, 3);
    expect_rows(
        &exp,
        &[
            "合计 | #0=307.82 #1=105.58 #2=202.24",
            "201 一般公共服务支出 | #0=264.87 #1=62.63 #2=202.24",
            "2013999 其他社会工作事务支出 | #0=202.24 #2=202.24",
            "2080505 机关事业单位基本养老保险缴费支出 | #0=6.18 #1=6.18",
            "2080506 机关事业单位职业年金缴费支出 | #0=4.64 #1=4.64",
            "2210203 购房补贴 | #0=11.72 #1=11.72",
        ],
    );
    assert_eq!(exp.len(), 18);
    assert!(out.contains(
        "本年支出合计 | 基本支出 | 项目支出 | 上缴上级支出 | 经营支出 | 对附属单位补助支出"
    ));
    let (run, failed) = checks(&out);
    assert!(run >= 60 && failed == 0, "{run} run, {failed} failed");
}

#[test]
fn putuo_welfare_home_tables() {
    let out = inspect("putuo-welfare-home-2024-unit-budget.pdf");
    let inv = inventory(&out);
    assert_eq!(inv.len(), 9);
    assert!(inv[5].starts_with("[empty]") && inv[6].starts_with("[empty]"));
    assert!(inv[8].ends_with("budget_three_public (wan_yuan)"));
    // 财务收支预算总表: the 支出 side has 合计, 人员经费, 公用经费 and 项目支出 under 预算数.
    assert_eq!(
        rows(&out, 0),
        [
            "[收入]  一、财政拨款收入 | #0=9501164",
            "[收入]  1、一般公共预算资金 | #0=9501164",
            "[收入]  二、事业收入 | #0=2620000",
            "[收入]  收入总计 | #0=12121164",
            "[支出]  二、社会保障和就业支出 | #0=11281624 #1=6540674 #2=2120950 #3=2620000",
            "[支出]  三、医疗卫生与计划生育支出 | #0=503724 #1=503724",
            "[支出]  四、住房保障支出 | #0=335816 #1=335816",
            "[支出]  支出总计 | #0=12121164 #1=7380214 #2=2120950 #3=2620000",
        ]
    );
    let class = rows(&out, 4);
    expect_rows(
        &class,
        &[
            "208 社会保障和就业支出 | #0=8661624 #1=8661624",
            "2080505 机关事业单位基本养老保险缴费支出 | #0=767579 #1=767579",
            "2081005 社会福利事业单位 | #0=6964796 #1=6964796",
            "2210201 住房公积金 | #0=335816 #1=335816",
            "合计 | #0=9501164 #1=9501164",
        ],
    );
    // The source prints `7` in the 类 cell of 事业单位医疗 (2101102): the row keeps its amount
    // but gets no code.
    expect_rows(&class, &["事业单位医疗 | #0=503724 #1=503724"]);
    let (run, failed) = checks(&out);
    assert!(run >= 50 && failed == 0, "{run} run, {failed} failed");
}
