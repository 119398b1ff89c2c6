//! Analyst-ready facts: what a value means across documents. Amounts converted to 元
//! ([`amount_yuan`]), the role of a row in its table ([`RowRole`]) and the canonical measure of a
//! column ([`measure_std`], from the vocabulary in `catalogue/standard_tables.toml`).

use crate::catalogue::{catalogue, Measures};
use crate::normalize::Unit;
use crate::tables::TableKind;
use rust_decimal::Decimal;

/// An amount converted to 元, exactly: × 1 for 元, × 10 000 for 万元, × 100 000 000 for 亿元.
/// `None` when the unit is unknown or not money (a percentage), or the product does not fit
/// a `Decimal` (never for a printed amount).
pub fn amount_yuan(value: Decimal, unit: Option<Unit>) -> Option<Decimal> {
    let factor = match unit? {
        Unit::Yuan => 1i64,
        Unit::WanYuan => 10_000,
        Unit::YiYuan => 100_000_000,
        Unit::Percent => return None,
    };
    value
        .checked_mul(Decimal::from(factor))
        .map(|d| d.normalize())
}

/// The role of a row in its table, so that totals are never summed with the items they total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRole {
    /// A subject (any row with a code) or another labelled item.
    Item,
    /// `其中：…`: a part of the row above, already counted in it.
    OfWhich,
    /// `…小计`.
    Subtotal,
    /// `合计`, `本年支出合计`, `总计`.
    Total,
    /// `收入总计` / `支出总计` of the summary tables: the year's total plus carry-over.
    GrandTotal,
    /// Brought forward from the year before (`年初结转和结余`, `上年结转`).
    Carryover,
    /// Carried forward to the year after (`年末结转和结余`, `结转下年`, `结余分配`).
    Balance,
}

impl RowRole {
    /// Every role.
    pub const ALL: [RowRole; 7] = [
        RowRole::Item,
        RowRole::OfWhich,
        RowRole::Subtotal,
        RowRole::Total,
        RowRole::GrandTotal,
        RowRole::Carryover,
        RowRole::Balance,
    ];

    /// Stable lowercase name used in datasets.
    pub fn as_str(&self) -> &'static str {
        match self {
            RowRole::Item => "item",
            RowRole::OfWhich => "of_which",
            RowRole::Subtotal => "subtotal",
            RowRole::Total => "total",
            RowRole::GrandTotal => "grand_total",
            RowRole::Carryover => "carryover",
            RowRole::Balance => "balance",
        }
    }

    /// The role with this stable name.
    pub fn from_name(name: &str) -> Option<RowRole> {
        RowRole::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// A label as the vocabulary reads it: whitespace and quote marks removed, ASCII brackets made
/// full-width.
fn squeeze(label: &str) -> String {
    label
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」')
        })
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十百零〇".contains(c)
}

/// A label without its leading enumerator: `一、`, `（一）`, `(1)`, `2.`, `3、`, `4．`.
fn strip_enumerator(label: &str) -> &str {
    if let Some(rest) = label.strip_prefix('（') {
        let n = rest.find(|c: char| !is_numeral(c)).unwrap_or(rest.len());
        if n > 0 {
            if let Some(after) = rest[n..].strip_prefix('）') {
                return after;
            }
        }
        return label;
    }
    let n = label.find(|c: char| !is_numeral(c)).unwrap_or(label.len());
    if n > 0 {
        let rest = &label[n..];
        for sep in ['、', '.', '．'] {
            if let Some(after) = rest.strip_prefix(sep) {
                return after;
            }
        }
    }
    label
}

/// The role of a row of a table of this kind from its code and label: a coded row is an item; a
/// code-less row gets the first catalogue rule (for this kind) its label starts or ends with
/// (enumerator removed), else it is an item; a row with neither code nor label has no role.
pub fn row_role(kind: TableKind, code: Option<&str>, label: &str) -> Option<RowRole> {
    if code.is_some_and(|c| !c.is_empty()) {
        return Some(RowRole::Item);
    }
    let squeezed = squeeze(label);
    let label = strip_enumerator(&squeezed);
    if label.is_empty() {
        return None;
    }
    let rule = catalogue().row_roles.iter().find(|r| {
        (r.kinds.is_empty() || r.kinds.contains(&kind))
            && (r.prefixes.iter().any(|p| label.starts_with(p.as_str()))
                || r.suffixes.iter().any(|s| label.ends_with(s.as_str())))
    });
    Some(rule.map_or(RowRole::Item, |r| r.role))
}

/// A label part without a leading year (`2025年预算数` → `预算数`).
fn strip_year(part: &str) -> &str {
    let digits = part
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(part.len());
    match part[digits..].strip_prefix('年') {
        Some(rest) if digits == 4 => rest,
        _ => part,
    }
}

/// The canonical measure of a column from its label path (`本年支出/基本支出` → `basic`) in a
/// table of this kind, by the catalogue's vocabulary (rules in `catalogue/standard_tables.toml`);
/// `final_account` says the table is part of a 决算, where a column of the year's budget is no
/// measure of the account. A column that gives `total` takes its block's measure when the
/// block's label names another (`人员经费` | `决算数` → personnel). `None` when no entry fits.
pub fn measure_std(
    kind: TableKind,
    block: &str,
    label: &str,
    final_account: bool,
) -> Option<&'static str> {
    match column_measure(kind, label, final_account) {
        Some("total") => match column_measure(kind, block, final_account) {
            Some(m) if m != "total" => Some(m),
            _ => Some("total"),
        },
        m => m,
    }
}

/// [`measure_std`] of a label path alone.
fn column_measure(kind: TableKind, label: &str, final_account: bool) -> Option<&'static str> {
    let m = &catalogue().measures;
    let parts: Vec<String> = label
        .split('/')
        .map(|p| strip_year(&squeeze(p)).to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let mentions = |words: &[String]| {
        parts
            .iter()
            .any(|p| words.iter().any(|w| p.contains(w.as_str())))
    };
    if final_account && mentions(&m.planned) && !parts.iter().any(|p| p.contains("决算")) {
        return None;
    }
    for (i, part) in parts.iter().enumerate().rev() {
        let rest = strip_total_words(part, &m.total_words);
        if !rest.is_empty() {
            return lookup(m, kind, rest);
        }
        if i == 0 {
            return Some("total");
        }
    }
    None
}

/// `part` without the total words it ends with (`本年支出合计` → `本年支出`).
fn strip_total_words<'a>(part: &'a str, words: &[String]) -> &'a str {
    let mut rest = part;
    while let Some(w) = words.iter().find(|w| rest.ends_with(w.as_str())) {
        rest = &rest[..rest.len() - w.len()];
    }
    rest
}

/// The measure a label names: an equal `labels` entry, else the longest `endings` entry; an
/// entry limited to this table kind wins a tie.
fn lookup(m: &'static Measures, kind: TableKind, label: &str) -> Option<&'static str> {
    m.measures
        .iter()
        .filter(|e| e.kinds.is_empty() || e.kinds.contains(&kind))
        .filter_map(|e| {
            let specific = !e.kinds.is_empty();
            let exact = e
                .labels
                .iter()
                .any(|l| l == label)
                .then_some((2, label.len()));
            let ending = e
                .endings
                .iter()
                .filter(|x| label.ends_with(x.as_str()))
                .map(|x| (1, x.len()))
                .max();
            exact
                .or(ending)
                .map(|(how, len)| ((how, len, specific), e.name.as_str()))
        })
        .max_by_key(|(score, _)| *score)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_become_yuan_exactly() {
        // 003 公开01表 prints `36716. 36` 万元: 367 163 600 元.
        assert_eq!(
            amount_yuan(d("36716.36"), Some(Unit::WanYuan)),
            Some(d("367163600"))
        );
        // 万元 to the yuan cent (six places) stays exact.
        assert_eq!(
            amount_yuan(d("9616.338314"), Some(Unit::WanYuan)),
            Some(d("96163383.14"))
        );
        assert_eq!(
            amount_yuan(d("45110404.74"), Some(Unit::Yuan)),
            Some(d("45110404.74"))
        );
        assert_eq!(
            amount_yuan(d("1.25"), Some(Unit::YiYuan)),
            Some(d("125000000"))
        );
        assert_eq!(
            amount_yuan(d("-0.50"), Some(Unit::WanYuan)),
            Some(d("-5000"))
        );
        assert_eq!(amount_yuan(d("435.2"), Some(Unit::Percent)), None);
        assert_eq!(amount_yuan(d("12"), None), None);
        assert_eq!(amount_yuan(Decimal::MAX, Some(Unit::YiYuan)), None);
    }

    #[test]
    fn row_roles_from_code_and_label() {
        let role = |code: Option<&str>, label: &str| {
            row_role(TableKind::Expenditure, code, label).map(|r| r.as_str())
        };
        // Labels as the samples print them.
        assert_eq!(role(Some("2060101"), "行政运行"), Some("item"));
        assert_eq!(role(None, "合 计"), Some("total"));
        assert_eq!(role(None, "本年支出合计"), Some("total"));
        assert_eq!(role(None, "总计"), Some("total"));
        assert_eq!(role(None, "收入总计"), Some("grand_total"));
        // 000 表1 and 002/003 公开01表 print a bare 总计 below 本年收入合计.
        let summary = row_role(TableKind::IncomeExpenditureSummary, None, "总 计");
        assert_eq!(summary, Some(RowRole::GrandTotal));
        assert_eq!(role(None, "支出总计"), Some("grand_total"));
        assert_eq!(role(None, "当年支出小计"), Some("subtotal"));
        assert_eq!(role(None, "年初结转和结余"), Some("carryover"));
        assert_eq!(role(None, "八、上年结转"), Some("carryover"));
        assert_eq!(role(None, "年末结转和结余"), Some("balance"));
        assert_eq!(role(None, "结转下年"), Some("balance"));
        assert_eq!(role(None, "其中：教育收费"), Some("of_which"));
        assert_eq!(role(None, "一、一般公共预算财政拨款收入"), Some("item"));
        assert_eq!(role(None, "（1）工资福利支出"), Some("item"));
        // A project name that mentions a carry-over is an item.
        assert_eq!(role(None, "出入境业务（实有资金结转）"), Some("item"));
        assert_eq!(role(None, ""), None);
        assert_eq!(role(None, " "), None);
    }

    #[test]
    fn enumerators_are_stripped() {
        assert_eq!(strip_enumerator("一、一般公共服务支出"), "一般公共服务支出");
        assert_eq!(strip_enumerator("（二）项目支出"), "项目支出");
        assert_eq!(strip_enumerator("2.政府性基金"), "政府性基金");
        assert_eq!(
            strip_enumerator("10、对社会保障基金补助"),
            "对社会保障基金补助"
        );
        assert_eq!(strip_enumerator("一般公共预算"), "一般公共预算");
        assert_eq!(strip_enumerator("2060101"), "2060101");
    }

    #[test]
    fn measures_from_column_labels() {
        use TableKind::*;
        let m = |kind, label| measure_std(kind, "", label, true);
        let measure_std = |kind, label, fin| measure_std(kind, "", label, fin);
        // The labels the issue lists for one idea, the row's whole amount.
        assert_eq!(m(Expenditure, "本年支出合计"), Some("total"));
        assert_eq!(m(Expenditure, "合计"), Some("total"));
        assert_eq!(m(IncomeExpenditureSummary, "金额"), Some("total"));
        assert_eq!(m(GeneralBudgetExpenditure, "本年支出/小计"), Some("total"));
        assert_eq!(m(GeneralBudgetExpenditure, "本年支出小计"), Some("total"));
        assert_eq!(measure_std(BudgetExpenditure, "总计", false), Some("total"));
        assert_eq!(m(BasicExpenditure, "决算数"), Some("total"));
        // Parts of it.
        assert_eq!(m(Expenditure, "基本支出"), Some("basic"));
        // Xi'an's budgets print 专项业务经费支出 where others print 项目支出.
        assert_eq!(
            measure_std(BudgetGeneralExpenditure, "专项业务经费支出", false),
            Some("project")
        );
        assert_eq!(
            m(GeneralBudgetExpenditure, "本年支出/项目支出"),
            Some("project")
        );
        assert_eq!(
            measure_std(BudgetExpenditure, "支出预算基本支出", false),
            Some("basic")
        );
        assert_eq!(
            measure_std(BudgetBasicExpenditure, "一般公共预算基本支出合计", false),
            Some("basic")
        );
        assert_eq!(
            measure_std(BudgetBasicExpenditure, "基本支出/人员经费", false),
            Some("personnel")
        );
        assert_eq!(
            m(FiscalSummary, "决算数/政府性基金预算财政拨款"),
            Some("gov_fund")
        );
        assert_eq!(
            m(FiscalSummary, "一般公共预算财政拨款"),
            Some("general_budget")
        );
        assert_eq!(m(Income, "财政拨款收入"), Some("fiscal_grant"));
        assert_eq!(m(Income, "上级补助收入"), Some("superior_grant"));
        assert_eq!(m(GovFund, "本年收入"), Some("income"));
        assert_eq!(m(GovFund, "年初结转和结余"), Some("carryover"));
        assert_eq!(m(ThreePublic, "决算数/公务接待费"), Some("reception"));
        assert_eq!(
            m(ThreePublic, "决算数/因公出国(境)费"),
            Some("overseas_travel")
        );
        assert_eq!(
            m(ThreePublic, "决算数/公务用车购置及运行费/小计"),
            Some("vehicles")
        );
        assert_eq!(
            measure_std(BudgetThreePublic, "“三公”经费合计", false),
            Some("three_public")
        );
        // A final account's column of the year's budget is no measure of the account.
        assert_eq!(
            m(ThreePublic, "预算数/公务用车购置及运行费/公务用车购置费"),
            None
        );
        assert_eq!(measure_std(BudgetSummary, "预算数", false), Some("total"));
        assert_eq!(
            measure_std(BudgetSummary, "2025年预算数", false),
            Some("total")
        );
        // The 06 table's blocks name what their 决算数 columns hold; 收入 | 支出 blocks do not.
        assert_eq!(
            super::measure_std(BasicExpenditure, "人员经费", "决算数", true),
            Some("personnel")
        );
        assert_eq!(
            super::measure_std(BasicExpenditure, "公用经费", "决算数", true),
            Some("public_funds")
        );
        assert_eq!(
            super::measure_std(IncomeExpenditureSummary, "收入", "金额", true),
            Some("total")
        );
        assert_eq!(
            super::measure_std(FiscalSummary, "支出", "一般公共预算财政拨款", true),
            Some("general_budget")
        );
        // Nothing fits.
        assert_eq!(m(Other, "部门经济科目编码"), None);
        assert_eq!(m(Other, ""), None);
        assert_eq!(m(Other, "数量"), None);
    }
}
