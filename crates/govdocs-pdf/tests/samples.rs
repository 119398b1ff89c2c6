//! The six real disclosures in `../shared/pdfs/` (beside the checkout).
//!
//! Every expected value below was read by eye from `pdftotext -layout FILE.pdf` (poppler
//! 22.12) on the page named in the comment (page = form-feed-separated page of that output,
//! which is the PDF page), and, where noted, from the page rendered with `pdftoppm`.

use govdocs_pdf::{extract, strip_page_furniture, Limits, Page, PdfText};

fn sample(name: &str) -> PdfText {
    let path = format!("{}/../../../shared/pdfs/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    extract(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn spans(page: &Page) -> Vec<Vec<&str>> {
    page.lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.text.as_str()).collect())
        .collect()
}

/// Assert that page `n` (1-based) has a line whose spans are exactly `want`.
#[track_caller]
fn has_row(doc: &PdfText, n: usize, want: &[&str]) {
    let page = &doc.pages[n - 1];
    let rows = spans(page);
    assert!(
        rows.iter().any(|r| r == want),
        "page {n}: no line {want:?}; lines:\n{}",
        rows.iter()
            .map(|r| format!("{r:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn count_lines_starting(doc: &PdfText, prefix: &str) -> Vec<u32> {
    let mut pages = Vec::new();
    for p in &doc.pages {
        for l in &p.lines {
            if l.text("").starts_with(prefix) {
                pages.push(p.number);
            }
        }
    }
    pages
}

/// `1,234.56`, `9,501,164`, `0.79`, `-3.00`: digits with a thousands separator or decimals.
fn is_amount(tok: &str) -> bool {
    let t = tok.strip_prefix('-').unwrap_or(tok);
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let groups: Vec<&str> = int.split(',').collect();
    let int_ok = !groups[0].is_empty()
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()))
        && (groups.len() == 1 || groups[1..].iter().all(|g| g.len() == 3));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    int_ok && frac_ok && (groups.len() > 1 || frac.is_some())
}

/// A span holding two amounts run together, e.g. `18,330.3718,330.37`, `1.00 2.00` or
/// `9,501,164 6,540,674`.
fn has_glued_amounts(text: &str) -> bool {
    let toks: Vec<&str> = text.split(' ').collect();
    if toks.windows(2).any(|w| is_amount(w[0]) && is_amount(w[1])) {
        return true;
    }
    let b: Vec<char> = text.chars().collect();
    for i in 0..b.len() {
        // "<digit>.<digit><digit>" followed by a digit, or by one space and a digit/minus.
        if i + 3 < b.len()
            && b[i].is_ascii_digit()
            && b[i + 1] == '.'
            && b[i + 2].is_ascii_digit()
            && b[i + 3].is_ascii_digit()
        {
            let next = b.get(i + 4).copied();
            let after = b.get(i + 5).copied();
            if next.is_some_and(|c| c.is_ascii_digit())
                || (next == Some(' ') && after.is_some_and(|c| c.is_ascii_digit() || c == '-'))
            {
                return true;
            }
        }
    }
    false
}

#[test]
fn glued_amount_detector() {
    assert!(has_glued_amounts("18,330.3718,330.37"));
    assert!(has_glued_amounts("293,810,000.00 293,810,000.00"));
    assert!(!has_glued_amounts("18,330.37"));
    assert!(has_glued_amounts("9,501,164 6,540,674"));
    assert!(!has_glued_amounts("37188.34万元，其中"));
    assert!(!has_glued_amounts("2019 年"));
}

fn assert_common(doc: &PdfText, name: &str, pages: usize) {
    // Only the high-court file prints page numbers (pdftotext: a lone number at the foot of
    // each page); no other sample has page furniture, so stripping must not remove anything.
    if name != "high court" {
        let mut stripped = doc.pages.clone();
        strip_page_furniture(&mut stripped);
        assert_eq!(
            stripped, doc.pages,
            "{name}: strip_page_furniture removed body text"
        );
    }
    // Page counts: `pdfinfo FILE.pdf` → "Pages:".
    assert_eq!(doc.pages.len(), pages, "{name}: page count");
    for (i, p) in doc.pages.iter().enumerate() {
        assert_eq!(p.number as usize, i + 1);
        assert!(
            p.lines.windows(2).all(|w| w[0].y <= w[1].y),
            "{name} p{}: lines sorted",
            p.number
        );
        for l in &p.lines {
            assert!(
                l.spans.windows(2).all(|w| w[0].x0 <= w[1].x0),
                "{name}: spans sorted"
            );
            for s in &l.spans {
                assert!(!s.text.is_empty() && !s.text.starts_with(' ') && !s.text.ends_with(' '));
                assert!(
                    !has_glued_amounts(&s.text),
                    "{name} p{}: glued amounts in {:?}",
                    p.number,
                    s.text
                );
                assert!(
                    !s.text.contains('\u{FFFD}'),
                    "{name} p{}: unmapped glyph in {:?}",
                    p.number,
                    s.text
                );
                assert!(
                    !s.text
                        .chars()
                        .any(|c| ('\u{2F00}'..='\u{2FD5}').contains(&c)),
                    "{name}: Kangxi radical left in {:?}",
                    s.text
                );
            }
        }
    }
}

#[test]
fn jiangsu_npc_office() {
    let doc = sample("jiangsu-npc-office-2019-budget-tables.pdf");
    assert_common(&doc, "npc", 13);
    // pdfinfo: every page is A3 842 x 1191 with "rot: 90": displayed landscape.
    let p1 = &doc.pages[0];
    assert_eq!(p1.rotation, 90);
    assert!(p1.width > p1.height);
    // pdftotext page 1: the title, then rows of the two-sided 收支预算总表.
    assert_eq!(spans(p1)[0], vec!["收支预算总表"]);
    has_row(&doc, 1, &["公开表一"]);
    // "一、财政拨款   18,330.37 一、一般公共服务支出   13,907.78 一、基本支出   9,312.90":
    // pdftotext leaves one space between 18,330.37 and the next cell; the ruling line there
    // splits them here.
    has_row(
        &doc,
        1,
        &[
            "一、财政拨款",
            "18,330.37",
            "一、一般公共服务支出",
            "13,907.78",
            "一、基本支出",
            "9,312.90",
        ],
    );
    has_row(&doc, 1, &["八、社会保障和就业支出", "1,121.39"]);
    has_row(&doc, 1, &["收入合计", "18,330.37", "支出合计", "18,330.37"]);
    // pdftotext page 5 (财政拨款支出预算表（功能科目）).
    has_row(&doc, 5, &["财政拨款支出预算表（功能科目）"]);
    has_row(&doc, 5, &["2010101", "行政运行", "7,448.20"]);
    has_row(&doc, 5, &["2210202", "提租补贴", "2,548.30"]);
}

#[test]
fn jiangsu_party_office() {
    let doc = sample("jiangsu-party-office-2019-budget-tables.pdf");
    assert_common(&doc, "party", 12);
    // pdfinfo: pages 6, 8 and 12 have "rot: 0" (portrait), the others "rot: 90".
    let rots: Vec<i32> = doc.pages.iter().map(|p| p.rotation).collect();
    assert_eq!(rots, vec![90, 90, 90, 90, 90, 0, 90, 0, 90, 90, 90, 0]);
    assert!(doc.pages[5].height > doc.pages[5].width);
    // pdftotext page 1.
    has_row(
        &doc,
        1,
        &[
            "一、财政拨款",
            "27,664.22",
            "一、一般公共服务支出",
            "22,395.50",
            "一、基本支出",
            "11,700.63",
        ],
    );
    has_row(&doc, 1, &["部门：中共江苏省委办公厅", "单位：万元"]);
    // pdftotext page 6 (portrait): 财政拨款基本支出预算表（经济科目）.
    assert_eq!(
        spans(&doc.pages[5])[0],
        vec!["财政拨款基本支出预算表（经济科目）"]
    );
    has_row(&doc, 6, &["合计", "11,700.63"]);
    has_row(&doc, 6, &["30231", "公务用车运行维护费", "411.20"]);
    has_row(&doc, 6, &["30309", "奖励金", "1.60"]);
}

#[test]
fn jiangsu_high_court() {
    let mut doc = sample("jiangsu-high-court-2019-budget.pdf");
    assert_common(&doc, "high court", 26);
    // pdftotext page 3: prose, one line per printed line.
    has_row(
        &doc,
        3,
        &["江苏省高级人民法院是国家审判机关，依法独立行使审判权，对"],
    );
    // pdftotext page 8: 公开01表 收支预算总表.
    has_row(&doc, 8, &["公开01表"]);
    has_row(&doc, 8, &["收支预算总表"]);
    has_row(
        &doc,
        8,
        &[
            "一、财政拨款",
            "37,188.34",
            "一、一般公共服务支出",
            "一、基本支出",
            "21,968.00",
        ],
    );
    has_row(
        &doc,
        8,
        &["二、财政专户管理资金", "四、公共安全支出", "27,488.23"],
    );
    has_row(
        &doc,
        8,
        &["当年收入小计", "37,188.34", "当年支出小计", "37,188.34"],
    );
    // pdftotext page 3 ends with the page number "3", alone near the bottom.
    assert_eq!(doc.pages[2].lines.last().unwrap().text(" "), "3");
    strip_page_furniture(&mut doc.pages);
    for p in &doc.pages {
        let last = p.lines.last().map(|l| l.text(" ")).unwrap_or_default();
        assert_ne!(
            last,
            p.number.to_string(),
            "page number left on page {}",
            p.number
        );
    }
    // Body text survives.
    has_row(&doc, 8, &["收入合计", "37,188.34", "支出合计", "37,188.34"]);
}

#[test]
fn putuo_commerce() {
    let doc = sample("putuo-commerce-2025-budget.pdf");
    assert_common(&doc, "commerce", 26);
    // pdftotext page 11: amounts in 元 with thousands separators; pdftotext prints the
    // two 293,810,000.00 cells of this row with a single space between them.
    has_row(
        &doc,
        11,
        &[
            "215",
            "08",
            "99",
            "其他支持中小企业发展和管理支出",
            "293,810,000.00",
            "293,810,000.00",
        ],
    );
    has_row(&doc, 11, &["合计", "371,514,655.00", "371,514,655.00"]);
    // WPS draws the overflow of page 3 again at the top of page 4 and clips it away.
    // pdftotext prints those lines on both pages; rendered (pdftoppm), item 9 starts at the
    // bottom of page 3 and "应急机制，…" is the first line of page 4. Each appears once here.
    assert_eq!(
        count_lines_starting(&doc, "9、组织协调本区商品交易市场规划"),
        vec![3]
    );
    assert_eq!(
        count_lines_starting(&doc, "应急机制，协调重要商品储备"),
        vec![4]
    );
}

#[test]
fn putuo_social_work() {
    let doc = sample("putuo-social-work-2024-final-accounts.pdf");
    assert_common(&doc, "social work", 24);
    // pdfinfo: portrait and landscape pages mixed; page 6 is 841.9 x 595.3.
    assert!(doc.pages[5].width > doc.pages[5].height);
    assert!(doc.pages[0].width < doc.pages[0].height);
    // pdftotext page 6: 收入决算表.
    has_row(&doc, 6, &["收入决算表"]);
    has_row(&doc, 6, &["合计", "307.82", "307.82"]);
    has_row(&doc, 6, &["2013901", "行政运行", "51.32", "51.32"]);
    has_row(
        &doc,
        6,
        &["2080506", "机关事业单位职业年金缴费支出", "4.64", "4.64"],
    );
}

#[test]
fn putuo_welfare_home() {
    let doc = sample("putuo-welfare-home-2024-unit-budget.pdf");
    assert_common(&doc, "welfare home", 16);
    // pdftotext page 7: 2024年预算单位财务收支预算总表, amounts in 元 as integers.
    has_row(&doc, 7, &["2024年预算单位财务收支预算总表"]);
    has_row(
        &doc,
        7,
        &[
            "1、一般公共预算资金",
            "9,501,164",
            "二、社会保障和就业支出",
            "11,281,624",
            "6,540,674",
            "2,120,950",
            "2,620,000",
        ],
    );
    has_row(
        &doc,
        7,
        &[
            "收入总计",
            "12,121,164",
            "支出总计",
            "12,121,164",
            "7,380,214",
            "2,120,950",
            "2,620,000",
        ],
    );
}
