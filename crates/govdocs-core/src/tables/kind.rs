//! The standard tables of the national 预算/决算 templates, recognised from a table's title.

use crate::meta::DocKind;

/// The kind of a table, from the documented list of standard tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    /// 决算 01: 收入支出决算总表.
    IncomeExpenditureSummary,
    /// 决算 02: 收入决算表.
    Income,
    /// 决算 03: 支出决算表.
    Expenditure,
    /// 决算 04: 财政拨款收入支出决算总表.
    FiscalSummary,
    /// 决算 05: 一般公共预算财政拨款支出决算表.
    GeneralBudgetExpenditure,
    /// 决算 06: 一般公共预算财政拨款基本支出决算(明细)表.
    BasicExpenditure,
    /// 决算 07: 政府性基金预算财政拨款收入支出决算表.
    GovFund,
    /// 决算 08: 国有资本经营预算财政拨款支出决算表.
    StateCapital,
    /// 决算 09: (财政拨款)“三公”经费支出决算表.
    ThreePublic,
    /// 预算: 收支预算总表.
    BudgetSummary,
    /// 预算: 收入预算总表.
    BudgetIncome,
    /// 预算: 支出预算总表.
    BudgetExpenditure,
    /// 预算: 项目支出预算表.
    BudgetProject,
    /// 预算: 财政拨款收支预算总表.
    BudgetFiscalSummary,
    /// 预算: 一般公共预算支出表.
    BudgetGeneralExpenditure,
    /// 预算: 一般公共预算基本支出表.
    BudgetBasicExpenditure,
    /// 预算: 一般公共预算“三公”经费支出表.
    BudgetThreePublic,
    /// 预算: 政府性基金预算支出表.
    BudgetGovFund,
    /// 预算: 国有资本经营预算支出表.
    BudgetStateCapital,
    /// 预算: 政府采购预算表.
    BudgetProcurement,
    /// 预算: 政府购买服务预算表.
    BudgetPurchaseServices,
    /// 绩效目标表, 绩效自评表 and other performance tables.
    Performance,
    /// Any other table.
    Other,
}

impl TableKind {
    /// Every kind, in the order of the documented list.
    pub const ALL: [TableKind; 23] = {
        use TableKind::*;
        [
            IncomeExpenditureSummary,
            Income,
            Expenditure,
            FiscalSummary,
            GeneralBudgetExpenditure,
            BasicExpenditure,
            GovFund,
            StateCapital,
            ThreePublic,
            BudgetSummary,
            BudgetIncome,
            BudgetExpenditure,
            BudgetProject,
            BudgetFiscalSummary,
            BudgetGeneralExpenditure,
            BudgetBasicExpenditure,
            BudgetThreePublic,
            BudgetGovFund,
            BudgetStateCapital,
            BudgetProcurement,
            BudgetPurchaseServices,
            Performance,
            Other,
        ]
    };

    /// The kind with this stable name ([`TableKind::as_str`]).
    pub fn from_name(name: &str) -> Option<TableKind> {
        TableKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Stable snake_case name used in datasets.
    pub fn as_str(&self) -> &'static str {
        use TableKind::*;
        match self {
            IncomeExpenditureSummary => "income_expenditure_summary",
            Income => "income",
            Expenditure => "expenditure",
            FiscalSummary => "fiscal_summary",
            GeneralBudgetExpenditure => "general_budget_expenditure",
            BasicExpenditure => "basic_expenditure",
            GovFund => "gov_fund",
            StateCapital => "state_capital",
            ThreePublic => "three_public",
            BudgetSummary => "budget_summary",
            BudgetIncome => "budget_income",
            BudgetExpenditure => "budget_expenditure",
            BudgetProject => "budget_project",
            BudgetFiscalSummary => "budget_fiscal_summary",
            BudgetGeneralExpenditure => "budget_general_expenditure",
            BudgetBasicExpenditure => "budget_basic_expenditure",
            BudgetThreePublic => "budget_three_public",
            BudgetGovFund => "budget_gov_fund",
            BudgetStateCapital => "budget_state_capital",
            BudgetProcurement => "budget_procurement",
            BudgetPurchaseServices => "budget_purchase_services",
            Performance => "performance",
            Other => "other",
        }
    }

    /// The same table in the budget (`budget`) or final-account family (`收支总表` printed in a
    /// 决算 is its 收入支出决算总表); kinds without a counterpart stay as they are.
    pub fn in_family(self, budget: bool) -> TableKind {
        use TableKind::*;
        const PAIRS: [(TableKind, TableKind); 9] = [
            (BudgetSummary, IncomeExpenditureSummary),
            (BudgetIncome, Income),
            (BudgetExpenditure, Expenditure),
            (BudgetFiscalSummary, FiscalSummary),
            (BudgetGeneralExpenditure, GeneralBudgetExpenditure),
            (BudgetBasicExpenditure, BasicExpenditure),
            (BudgetGovFund, GovFund),
            (BudgetStateCapital, StateCapital),
            (BudgetThreePublic, ThreePublic),
        ];
        PAIRS
            .iter()
            .find_map(|&(b, f)| match (self == b || self == f, budget) {
                (true, true) => Some(b),
                (true, false) => Some(f),
                _ => None,
            })
            .unwrap_or(self)
    }

    /// True for the two-sided summary tables (收入 | 支出 side by side).
    pub fn is_summary(&self) -> bool {
        use TableKind::*;
        matches!(
            self,
            IncomeExpenditureSummary | FiscalSummary | BudgetSummary | BudgetFiscalSummary
        )
    }
}

/// Recognise a table's kind from its title alone (stray spaces already removed): a title naming
/// neither 预算 nor 决算 is read as a 决算 table.
pub fn kind_of(title: &str) -> TableKind {
    kind_in(title, DocKind::Other)
}

/// Recognise a table's kind from its title, in a document of kind `doc`: a title naming neither
/// 预算 nor 决算 (`收支总表`, `财政拨款收支总表`) takes the document's family. Distinctive words
/// (三公, 政府性基金, 财政拨款收支, 基本支出 …) decide first, then the longest catalogue name the
/// title contains (`收支总体情况表`, `部门综合预算收入总表`).
pub fn kind_in(title: &str, doc: DocKind) -> TableKind {
    use TableKind::*;
    let t: String = title
        .chars()
        .filter(|c| !c.is_whitespace() && !is_quote(*c))
        .collect();
    let has = |w: &str| t.contains(w);
    // 一般公共预算 / 政府性基金预算 / 国有资本经营预算 name funds, not the family of the table.
    let names_budget = ["公共预算", "基金预算", "经营预算"]
        .iter()
        .fold(t.clone(), |acc, w| acc.replace(w, ""))
        .contains("预算");
    let final_account = has("决算") || (!names_budget && doc == DocKind::FinalAccount);
    let budget = !final_account && (has("预算") || doc == DocKind::Budget);
    if has("绩效") || has("自评") || has("评价表") {
        return Performance;
    }
    if has("三公") {
        return if budget {
            BudgetThreePublic
        } else {
            ThreePublic
        };
    }
    if has("政府性基金") {
        return if budget { BudgetGovFund } else { GovFund };
    }
    if has("国有资本经营") {
        return if budget {
            BudgetStateCapital
        } else {
            StateCapital
        };
    }
    if has("财政拨款收入支出") || has("财政拨款收支") {
        return if budget {
            BudgetFiscalSummary
        } else {
            FiscalSummary
        };
    }
    if has("收入支出决算总表") || has("收支决算总表") {
        return IncomeExpenditureSummary;
    }
    if has("收支预算总表") || has("收入支出预算总表") {
        return BudgetSummary;
    }
    if has("基本支出") {
        return if budget {
            BudgetBasicExpenditure
        } else {
            BasicExpenditure
        };
    }
    if has("政府采购") {
        return BudgetProcurement;
    }
    if has("政府购买服务") {
        return BudgetPurchaseServices;
    }
    if has("一般公共预算财政拨款支出决算表") {
        return GeneralBudgetExpenditure;
    }
    if has("一般公共预算支出") && budget {
        return BudgetGeneralExpenditure;
    }
    if has("收入决算表") {
        return Income;
    }
    if has("支出决算表") {
        return Expenditure;
    }
    // The longest catalogue name the title contains.
    let named = crate::catalogue::catalogue()
        .tables
        .iter()
        .flat_map(|e| e.names.iter().map(move |n| (e.kind, n)))
        .filter_map(|(k, n)| {
            let n: String = n.chars().filter(|c| !is_quote(*c)).collect();
            t.contains(&n).then(|| (n.chars().count(), k))
        })
        .max_by_key(|&(len, _)| len);
    if let Some((_, k)) = named {
        return k.in_family(budget);
    }
    if has("项目支出预算") {
        return BudgetProject;
    }
    if has("收入预算") {
        return BudgetIncome;
    }
    if has("支出预算") {
        return BudgetExpenditure;
    }
    Other
}

/// Quotation marks, which titles print in several styles (`“三公”`, `"三公"`).
fn is_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」')
}

#[cfg(test)]
mod tests {
    use super::*;
    use TableKind::*;

    #[test]
    fn standard_titles() {
        let cases = [
            ("2020年度收入支出决算总表（表1）", IncomeExpenditureSummary),
            ("2020年度收入决算表（表2）", Income),
            ("2024年度支出决算表", Expenditure),
            ("2024年度财政拨款收入支出决算总表", FiscalSummary),
            (
                "2023 年度一般公共预算财政拨款支出决算表",
                GeneralBudgetExpenditure,
            ),
            (
                "2024年度一般公共预算财政拨款基本支出决算明细表",
                BasicExpenditure,
            ),
            ("2024年度政府性基金预算财政拨款收入支出决算表", GovFund),
            ("2024年度国有资本经营预算财政拨款支出决算表", StateCapital),
            ("2024年度财政拨款\"三公\"经费支出决算表", ThreePublic),
            ("2022年收支预算总表", BudgetSummary),
            ("2022年收入预算总表", BudgetIncome),
            ("2022年支出预算总表", BudgetExpenditure),
            ("2022年项目支出预算表", BudgetProject),
            ("2022年财政拨款收支预算总表", BudgetFiscalSummary),
            ("2022年一般公共预算支出表", BudgetGeneralExpenditure),
            ("2022年一般公共预算基本支出表", BudgetBasicExpenditure),
            ("2022年一般公共预算“三公”经费支出表", BudgetThreePublic),
            ("2022年政府性基金预算支出表", BudgetGovFund),
            ("2022年政府采购预算表", BudgetProcurement),
            ("2022年政府购买服务预算表", BudgetPurchaseServices),
            ("2023 年度江岸区科经局项目自评表", Performance),
            ("项目支出绩效自评表", Performance),
            ("2022 年项目支出(绩效目标) 申报表", Performance),
            (
                "一般公共预算基本支出预算表（经济科目）",
                BudgetBasicExpenditure,
            ),
            (
                "一般公共预算支出预算表（功能科目）",
                BudgetGeneralExpenditure,
            ),
        ];
        for (t, k) in cases {
            assert_eq!(kind_of(t), k, "{t}");
        }
    }

    #[test]
    fn titles_of_other_templates_in_a_budget() {
        // Titles as printed by budgets of several regions (pdftotext -layout of ../shared/corpus).
        let cases = [
            ("预算01表 收支总表", BudgetSummary),
            ("预算02表 收入总表", BudgetIncome),
            ("预算03表 支出总表", BudgetExpenditure),
            ("预算04表 财政拨款收支总表", BudgetFiscalSummary),
            ("预算09表 财政拨款“三公”经费支出表", BudgetThreePublic),
            ("2026年部门收支总体情况表", BudgetSummary),
            ("2026年部门收入总体情况表", BudgetIncome),
            ("2026年部门支出总体情况表", BudgetExpenditure),
            ("2026年财政拨款收支总体情况表", BudgetFiscalSummary),
            ("2026年一般公共预算支出情况表", BudgetGeneralExpenditure),
            ("2022年部门综合预算收支总表", BudgetSummary),
            ("部门综合预算收入总表", BudgetIncome),
            ("部门综合预算支出总表", BudgetExpenditure),
            ("部门综合预算财政拨款收支总表", BudgetFiscalSummary),
            ("一般公共预算机关运行经费支出预算表", Other),
            ("部门综合预算专项业务经费支出表", Other),
            ("部门综合预算财政拨款上年结转资金支出表", Other),
            ("2026年部门整体绩效目标表", Performance),
        ];
        for (t, k) in cases {
            assert_eq!(kind_in(t, DocKind::Budget), k, "{t}");
        }
        // The same names in a 决算 are its final-account tables.
        assert_eq!(
            kind_in("收支总表", DocKind::FinalAccount),
            IncomeExpenditureSummary
        );
        assert_eq!(
            kind_in("财政拨款收支总表", DocKind::FinalAccount),
            FiscalSummary
        );
        // A title naming 预算 keeps its family in any document.
        assert_eq!(
            kind_in("2022年收支预算总表", DocKind::FinalAccount),
            BudgetSummary
        );
    }
}
