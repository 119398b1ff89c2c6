//! Read a document's metadata from its title block and headings: department, fiscal year,
//! kind of document and default money unit.

use crate::lines::{squash_cjk_spaces, Line};
use crate::sections::Outline;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// What kind of disclosure a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// 预算: a budget.
    Budget,
    /// 决算: a final account.
    FinalAccount,
    /// 绩效自评 / 绩效评价: a performance evaluation.
    PerformanceEvaluation,
    /// Anything else.
    Other,
}

impl DocKind {
    /// Every kind.
    pub const ALL: [DocKind; 4] = [
        DocKind::Budget,
        DocKind::FinalAccount,
        DocKind::PerformanceEvaluation,
        DocKind::Other,
    ];

    /// The kind with this stable name ([`DocKind::as_str`]).
    pub fn from_name(name: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Stable lowercase name used in datasets.
    pub fn as_str(&self) -> &'static str {
        match self {
            DocKind::Budget => "budget",
            DocKind::FinalAccount => "final_account",
            DocKind::PerformanceEvaluation => "performance_evaluation",
            DocKind::Other => "other",
        }
    }
}

/// Metadata read from a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The document title as printed in its title block (stray spaces removed).
    pub title: Option<String>,
    /// The department's full name as printed.
    pub department: Option<String>,
    /// The fiscal year the document reports on.
    pub fiscal_year: Option<i32>,
    /// Budget, final account, performance evaluation or other.
    pub kind: DocKind,
    /// The default money unit: `wan_yuan`, `yuan` or `yi_yuan`.
    pub unit: Option<&'static str>,
}

static TITLE_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"预算|决算|绩效|评价报告|自评报告|公开").unwrap());
static NAME_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:部门|单位|部门\s*[（(]\s*单位\s*[）)]|预算单位)\s*名\s*称|(?:预算)?主管部门)\s*[：:]\s*(.+)$",
    )
    .unwrap()
});
static DEPT_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)(?:部门|单位|编制部门|编制单位)\s*[：:]\s*([^\t：:]+?)(?:\s{2,}|\t|(?:金额)?单位\s*[：:]|$)").unwrap()
});
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)[0-9]{2})\s*年\s*(度)?\s*([0-9]{1,2}\s*月)?").unwrap());
static YEAR_DU: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20|１９|２０)[0-9０-９]{2})\s*年\s*度").unwrap());
static KIND_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:部门|单位)?(?:整体支出)?(?:预算|决算)(?:公开)?(?:报告|说明)?$").unwrap()
});
static ATTACHMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^附\s*件\s*[0-9]*\s*[:：]?\s*$|^附\s*件\s*[0-9]+\s*").unwrap());
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:19|20)[0-9]{2}\s*年\s*[0-9]{1,2}\s*月").unwrap());
static YEAR_ANY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20|１９|２０)[0-9０-９]{2})\s*年(?:\s*[0-9０-９]{1,2}\s*月)?").unwrap()
});
static UNIT_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"单\s*位\s*[：:]\s*(万元|亿元|元)").unwrap());
static PROSE_UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]\s*(万元|亿元|元)").unwrap());

/// Read the metadata from the title block (lines before the body), the outline and the full text.
pub fn read_meta(lines: &[Line], outline: &Outline, text: &str) -> Meta {
    let block_end = outline
        .toc
        .map(|t| lines.iter().position(|l| l.no >= t.line_start).unwrap_or(0))
        .unwrap_or_else(|| {
            outline
                .sections
                .iter()
                .find(|s| s.level > 0)
                .and_then(|s| lines.iter().position(|l| l.no >= s.line_start))
                .unwrap_or(lines.len())
        })
        .min(15);
    let block: Vec<String> = lines[..block_end]
        .iter()
        .map(|l| squash_cjk_spaces(&crate::normalize::fold_cell(&l.text)))
        .collect();
    let kind = kind(&block, outline, text);
    // A document that is no disclosure (a notice, a plan, a form) is titled by its cover lines.
    let title = if kind == DocKind::Other {
        notice_title(&block)
            .or_else(|| plain_title(&block))
            .or_else(|| cover_title(&block))
    } else {
        cover_title(&block)
    };
    let department = department(&block, title.as_deref(), text);
    let fiscal_year = if kind == DocKind::Other {
        // A notice or plan: the year of its title, else of its own date, never the end year
        // of a plan it mentions (`规划（2025—2035 年）`).
        title
            .as_deref()
            .and_then(title_year)
            .or_else(|| own_date_year(text))
            .or_else(|| doc_number_year(&block))
            .or_else(|| fiscal_year(None, outline, text))
    } else {
        fiscal_year(title.as_deref(), outline, text)
    };
    Meta {
        title,
        department,
        fiscal_year,
        kind,
        unit: unit(text),
    }
}

/// Longest line read as a document title (the samples' titles are at most 30 characters).
const MAX_TITLE_CHARS: usize = 200;

/// The document title: the first title-block line naming the kind of document, joined with the
/// short cover lines just above it (a cover prints `中共上海市普陀区委` / `社会工作部2024年度` /
/// `部门决算` on three lines). A table title (ending in 表) is not a document title.
fn cover_title(block: &[String]) -> Option<String> {
    let plain = |l: &str| {
        !l.contains(['：', ':'])
            && !DATE.is_match(l)
            && !ATTACHMENT.is_match(l)
            && l.chars().count() <= 30
    };
    // A title is a short line: a long one naming a document kind is prose (or a whole file
    // without line breaks), never copied into `documents.title`.
    let at = block.iter().position(|l| {
        TITLE_WORDS.is_match(l) && !NAME_FIELD.is_match(l) && l.chars().count() <= MAX_TITLE_CHARS
    })?;
    let line = ATTACHMENT.replace(&block[at], "").trim().to_string();
    if line.ends_with('表') {
        return None;
    }
    let mut start = at;
    while start > 0 && plain(&block[start - 1]) && !TITLE_WORDS.is_match(&block[start - 1]) {
        start -= 1;
    }
    let mut parts: Vec<String> = block[start..at].to_vec();
    parts.push(line);
    Some(squash_cjk_spaces(&parts.join(" ")))
}

/// Longest cover line read as part of a plain title.
const MAX_PLAIN_TITLE_LINE: usize = 40;

/// The cover title of an official document (`…关于下达…专项资金预算的通知`; 意见, 决定, 批复, 函)
/// that names no disclosure (`部门预算`, `预算公开` …): a notice, however often it speaks of budgets.
fn notice_title(block: &[String]) -> Option<String> {
    let title = official_title(block).or_else(|| {
        let cover = cover_title(block)?;
        let t = cover.trim_end_matches(|c: char| c.is_whitespace() || "。.".contains(c));
        (t.contains("关于") && NOTICE_END.is_match(t)).then(|| t.to_string())
    })?;
    (!DISCLOSURE_WORDS.is_match(&title)).then_some(title)
}

/// What an official document's title ends with: 通知, 意见, 决定, 批复, 函.
static NOTICE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:通知|意见|决定|批复|函)[。.]?$").unwrap());

/// An issuer line printed above an official title (`长沙市商务局长沙市财政局`).
static ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:局|委|厅|办|院|会|府|部|室|处|队|所|站|中心|政府|委员会|办公室)$").unwrap()
});

/// The title of an official document as its cover prints it: a line starting `关于` (or an
/// issuer and `关于`) and the lines after it until one ends in 通知, 意见, 决定, 批复 or 函, at
/// most three lines, with the issuer line just above it when it is one (`长沙市财政局` /
/// `关于下达2025年文化和旅游项目资金` / `的通知`). Document numbers (`〔2025〕36号`), dates
/// and field lines are never part of it. Only a letterhead may precede it (issuers, `…文件`,
/// the document number, a date, a filing code): in a gazette (`…人民政府公报`) the first
/// notice printed is not the document's title.
fn official_title(block: &[String]) -> Option<String> {
    let letterhead = |l: &str| {
        let cjk = l.chars().filter(|c| crate::lines::is_cjk(*c)).count();
        cjk < 4
            || ISSUER.is_match(l)
            || l.ends_with("文件")
            || l.contains('号')
            || l.contains(['：', ':'])
            || DATE.is_match(l)
    };
    let usable = |l: &str| {
        let n = l.chars().count();
        n > 0
            && n <= MAX_PLAIN_TITLE_LINE
            && !l.contains(['：', ':', '〔', '［', '[', '，'])
            && !DATE.is_match(l)
    };
    let plain = |l: &str| l.split_whitespace().collect::<String>();
    for (at, line) in block.iter().enumerate() {
        let l = plain(line);
        let Some(pos) = l.find("关于") else {
            if letterhead(&l) {
                continue;
            }
            return None;
        };
        if !usable(&l) {
            return None;
        }
        let mut title = l.clone();
        let mut next = at + 1;
        while !NOTICE_END.is_match(&title) && next < block.len() && next < at + 3 {
            let more = plain(&block[next]);
            if !usable(&more) || more.contains("关于") {
                break;
            }
            title.push_str(&more);
            next += 1;
        }
        if !NOTICE_END.is_match(&title) {
            return None;
        }
        if pos == 0 && at > 0 {
            let prev = plain(&block[at - 1]);
            if usable(&prev) && ISSUER.is_match(&prev) && !prev.contains("文件") {
                title.insert_str(0, &prev);
            }
        }
        return Some(title.trim_end_matches(['。', '.']).to_string());
    }
    None
}

/// The title of a document that is no disclosure: its first cover line of at least four CJK
/// characters, joined with the short lines after it until the title names what the document is
/// (`…的通知`, `…申请表`), three lines at most. Dates, document numbers (`〔2025〕11 号`) and
/// field lines (`姓名：`) are never part of it.
fn plain_title(block: &[String]) -> Option<String> {
    let usable = |l: &str| {
        let n = l.chars().count();
        n > 0
            && n <= MAX_PLAIN_TITLE_LINE
            && !l.contains(['：', ':', '〔', '[', '，', '。'])
            && !DATE.is_match(l)
            && !ATTACHMENT.is_match(l)
    };
    let cjk = |l: &str| l.chars().filter(|c| crate::lines::is_cjk(*c)).count();
    let at = block.iter().position(|l| usable(l.trim()) && cjk(l) >= 4)?;
    let mut parts: Vec<&str> = vec![block[at].trim()];
    for l in &block[at + 1..] {
        if parts.len() == 3 || DOC_TYPE_END.is_match(parts.last().unwrap()) {
            break;
        }
        let l = l.trim();
        if !usable(l) || cjk(l) == 0 {
            break;
        }
        parts.push(l);
    }
    if !DOC_TYPE_END.is_match(parts.last().unwrap()) {
        parts.truncate(1);
    }
    Some(squash_cjk_spaces(&parts.join(" ")))
}

/// Words only a budget or final-account disclosure prints (`部门预算`, `决算表`, `预算公开` …).
static DISCLOSURE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"部\s*门\s*预\s*算|单\s*位\s*预\s*算|部\s*门\s*决\s*算|单\s*位\s*决\s*算|预\s*算\s*公\s*开|决\s*算\s*公\s*开|预\s*算\s*表|决\s*算\s*表|综\s*合\s*预\s*算|收\s*支\s*总\s*表").unwrap()
});

static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)[0-9]{2})\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日").unwrap()
});
static RANGE_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[—–\-~～至到]\s*$").unwrap());

/// The first year of a title that is neither part of a date nor the end of a range.
fn title_year(title: &str) -> Option<i32> {
    YEAR.captures_iter(title)
        .find(|c| c.get(3).is_none() && !RANGE_END.is_match(&title[..c.get(0).unwrap().start()]))
        .and_then(|c| c[1].parse().ok())
        .filter(|y| (1990..=2100).contains(y))
}

/// The year of the document's own date: the first line that is only a full date
/// (`2026 年 3 月 6 日`, the date under a notice's signature), not a date inside prose.
fn own_date_year(text: &str) -> Option<i32> {
    text.lines()
        .filter_map(|l| {
            // `２０２４ 年 １ 月 １０ 日印发`: the printing date at a notice's foot counts too.
            let l = crate::normalize::fold_fullwidth(l.trim());
            let l = l.trim_end_matches("印发").trim_end();
            let c = FULL_DATE.captures(l)?;
            let whole = c.get(0).unwrap();
            let before = &l[..whole.start()];
            // The date alone, or after the issuing office (`XX办公室 2024年1月10日印发`).
            (whole.end() == l.len()
                && (before.is_empty() || before.chars().count() <= 20 && before.ends_with(' ')))
            .then(|| c[1].parse::<i32>().ok())
            .flatten()
        })
        .find(|y| (1990..=2100).contains(y))
}

/// The year of an official document's number (`厦商务规〔2024〕2号`) on its cover.
fn doc_number_year(block: &[String]) -> Option<i32> {
    block.iter().find_map(|l| {
        let l = crate::normalize::fold_fullwidth(l);
        DOC_NUMBER
            .captures(&l)
            .and_then(|c| c[1].parse::<i32>().ok())
            .filter(|y| (1990..=2100).contains(y))
    })
}

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[〔［\[【(（]\s*((?:19|20)[0-9]{2})\s*[〕］\]】)）]\s*[0-9]+\s*号").unwrap()
});

static DOC_TYPE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:通知|通报|办法|意见|方案|规划|计划|报告|公告|通告|决定|批复|纲要|规定|细则|表|函|目录|清单|指南|图)\s*$").unwrap()
});

fn department(block: &[String], title: Option<&str>, text: &str) -> Option<String> {
    if let Some(c) = block.iter().find_map(|l| NAME_FIELD.captures(l)) {
        return Some(squash_cjk_spaces(&c[1]));
    }
    if let Some(t) = title {
        let no_year = YEAR.replace_all(t, " ");
        let name = squash_cjk_spaces(&no_year);
        let name = KIND_SUFFIX.replace(&name, "");
        let name = name.trim().trim_end_matches("年").trim();
        if name.chars().filter(|c| crate::lines::is_cjk(*c)).count() >= 4 {
            return Some(name.to_string());
        }
    }
    text.lines()
        .take(5000)
        .filter_map(|l| DEPT_FIELD.captures(l.trim()))
        .map(|c| squash_cjk_spaces(&c[1]))
        .find(|d| !d.is_empty() && crate::normalize::Unit::from_label(d).is_none())
}

fn fiscal_year(title: Option<&str>, outline: &Outline, text: &str) -> Option<i32> {
    let valid = |y: i32| (1990..=2100).contains(&y).then_some(y);
    // Years may be printed in full-width digits (`２０２０年度`).
    let fold = crate::normalize::fold_fullwidth;
    if let Some(t) = title {
        // The first year in the title that is not part of a date (`2020 年 9 月`).
        if let Some(y) = YEAR
            .captures_iter(t)
            .find(|c| c.get(3).is_none())
            .and_then(|c| c[1].parse().ok())
            .and_then(valid)
        {
            return Some(y);
        }
    }
    for s in outline.sections.iter().filter(|s| s.level == 1) {
        if let Some(y) = YEAR_DU
            .captures(&fold(&s.title))
            .and_then(|c| c[1].parse().ok())
            .and_then(valid)
        {
            return Some(y);
        }
    }
    // The most frequent `YYYY 年度` in the whole text.
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    // The whole text is not folded: its years may be printed full-width (`２０２０ 年度`).
    for c in YEAR_DU.captures_iter(text) {
        if let Some(y) = fold(&c[1]).parse().ok().and_then(valid) {
            *counts.entry(y).or_default() += 1;
        }
    }
    if counts.is_empty() {
        // No `YYYY 年度` anywhere: the most frequent `YYYY年` that is not part of a date.
        for c in YEAR_ANY.captures_iter(text) {
            if c[0].contains('月') {
                continue;
            }
            if let Some(y) = fold(&c[1]).parse().ok().and_then(valid) {
                *counts.entry(y).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(y, n)| (n, std::cmp::Reverse(y)))
        .map(|(y, _)| y)
}

fn kind(block: &[String], outline: &Outline, text: &str) -> DocKind {
    let of = |s: &str| -> Option<DocKind> {
        if s.contains("绩效") && (s.contains("评价") || s.contains("自评") || s.contains("评估"))
        {
            Some(DocKind::PerformanceEvaluation)
        } else {
            match (s.contains("决算"), s.contains("预算")) {
                (true, false) => Some(DocKind::FinalAccount),
                (false, true) => Some(DocKind::Budget),
                (true, true) => {
                    if s.matches("决算").count() >= s.matches("预算").count() {
                        Some(DocKind::FinalAccount)
                    } else {
                        Some(DocKind::Budget)
                    }
                }
                _ => None,
            }
        }
    };
    // An official document titled `关于…的通知` (意见, 决定, 批复, 函) is a notice, not a
    // disclosure, unless its title names one (`部门预算`, `预算公开` …): `关于下达…专项资金预算的
    // 通知` allocates a fund and speaks of budgets throughout.
    if notice_title(block).is_some() {
        return DocKind::Other;
    }
    if let Some(k) = block.iter().find_map(|l| of(l)) {
        return k;
    }
    let parts: String = outline
        .sections
        .iter()
        .filter(|s| s.level == 1)
        .map(|s| s.title.as_str())
        .collect();
    if let Some(k) = of(&parts) {
        return k;
    }
    // 一般公共预算 / 政府性基金预算 / 国有资本经营预算 name funds, not the kind of document.
    let funds = ["公共预算", "基金预算", "经营预算"]
        .iter()
        .map(|w| text.matches(w).count())
        .sum::<usize>();
    let (j, y) = (
        text.matches("决算").count(),
        text.matches("预算").count().saturating_sub(funds),
    );
    // Prose may say 预算 often (`纳入财政预算`): only a text naming a disclosure or its tables
    // is one.
    if !DISCLOSURE_WORDS.is_match(text) {
        return DocKind::Other;
    }
    match (j, y) {
        (j, y) if j >= 3 && j > y => DocKind::FinalAccount,
        (j, y) if y >= 3 && y > j => DocKind::Budget,
        _ => DocKind::Other,
    }
}

fn unit(text: &str) -> Option<&'static str> {
    let name = |u: &str| match u {
        "万元" => "wan_yuan",
        "亿元" => "yi_yuan",
        _ => "yuan",
    };
    let majority = |re: &Regex| {
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for c in re.captures_iter(text) {
            *counts.entry(name(c.get(1).unwrap().as_str())).or_default() += 1;
        }
        counts.into_iter().max_by_key(|&(_, n)| n).map(|(u, _)| u)
    };
    majority(&UNIT_LINE).or_else(|| majority(&PROSE_UNIT))
}
