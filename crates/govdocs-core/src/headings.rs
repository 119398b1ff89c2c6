//! Recognise heading labels: 第一部分 > 一、 > （一） > 1. > （1）.

use crate::normalize::{chinese_numeral, fold_fullwidth};
use regex::Regex;
use std::sync::LazyLock;

/// A heading label as printed, with its level and number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// 1 = 第X部分, 2 = X、, 3 = （X）, 4 = 1. / 1、, 5 = （1）.
    pub level: u8,
    /// The label's number (第三部分 → 3, 十三、 → 13, （2） → 2).
    pub number: u32,
    /// The label in a canonical printed form: `第三部分`, `十三、`, `（一）`, `1.`, `（1）`.
    pub text: String,
}

/// A line that has the shape of a heading: its label and the title after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The heading label.
    pub label: Label,
    /// The title text after the label, trimmed (may be empty when wrapped to the next line).
    pub title: String,
}

const CN: &str = "一二三四五六七八九十百零〇两";

static PART: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^第\s*([{CN}0-9]+)\s*部\s*分\s*(.*)$")).unwrap());
static CN_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^([{CN}]+)\s*[、.]\s*(.*)$")).unwrap());
static CN_PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^[（(]\s*([{CN}]+)\s*[）)]\s*(.*)$")).unwrap());
static NUM_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{1,2})\s*(?:、|\.(?:[^0-9]|$))\s*(.*)$").unwrap());
static NUM_PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[（(]\s*([0-9]{1,2})\s*[）)]\s*(.*)$").unwrap());

/// Remove list bullets a converter put before a line (`- `, `* `, `#`, `>`), and leading spaces.
pub fn strip_bullets(line: &str) -> &str {
    let mut s = line.trim_start();
    loop {
        let t = s
            .strip_prefix("- ")
            .or_else(|| s.strip_prefix("* "))
            .or_else(|| s.strip_prefix('#'))
            .or_else(|| s.strip_prefix("> "))
            .or_else(|| s.strip_prefix('•'));
        match t {
            Some(rest) => s = rest.trim_start(),
            None => return s,
        }
    }
}

/// Parse a line as a heading candidate, if it starts with a heading label.
pub fn parse_candidate(line: &str) -> Option<Candidate> {
    let folded = fold_fullwidth(strip_bullets(line));
    let s = folded.trim();
    // Every label starts with 第, a Chinese numeral, a digit or an opening parenthesis: other
    // lines (most of a document) need no pattern run.
    let first = s.chars().next()?;
    if !(first == '第'
        || first == '（'
        || first == '('
        || first.is_ascii_digit()
        || CN.contains(first))
    {
        return None;
    }
    if let Some(c) = PART.captures(s) {
        let number = chinese_numeral(&c[1])?;
        return Some(Candidate {
            label: Label {
                level: 1,
                number,
                text: format!("第{}部分", c[1].trim()),
            },
            title: c[2].trim().to_string(),
        });
    }
    let (level, caps, text): (u8, _, fn(&str) -> String) = if let Some(c) = CN_ITEM.captures(s) {
        (2, c, |n| format!("{n}、"))
    } else if let Some(c) = CN_PAREN.captures(s) {
        (3, c, |n| format!("（{n}）"))
    } else if let Some(c) = NUM_ITEM.captures(s) {
        (4, c, |n| format!("{n}."))
    } else if let Some(c) = NUM_PAREN.captures(s) {
        (5, c, |n| format!("（{n}）"))
    } else {
        return None;
    };
    let n = caps[1].trim();
    let number = chinese_numeral(n)?;
    let mut title = caps[2].trim().to_string();
    if level == 4 {
        // The NUM_ITEM pattern consumed the first character after `.`; take the title from the source.
        title = s[caps.get(1).unwrap().end()..]
            .trim_start()
            .trim_start_matches(['、', '.'])
            .trim()
            .to_string();
    }
    Some(Candidate {
        label: Label {
            level,
            number,
            text: text(n),
        },
        title,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lv(s: &str) -> Option<(u8, u32, String, String)> {
        parse_candidate(s).map(|c| (c.label.level, c.label.number, c.label.text, c.title))
    }

    #[test]
    fn all_levels() {
        assert_eq!(
            lv("第三部分 武汉市 2024 年度"),
            Some((1, 3, "第三部分".into(), "武汉市 2024 年度".into()))
        );
        assert_eq!(
            lv("第 一 部 分"),
            Some((1, 1, "第一部分".into(), "".into()))
        );
        assert_eq!(
            lv("十三、预算绩效情况说明"),
            Some((2, 13, "十三、".into(), "预算绩效情况说明".into()))
        );
        assert_eq!(
            lv("(一) 概况"),
            Some((3, 1, "（一）".into(), "概况".into()))
        );
        assert_eq!(
            lv("（十二）推动"),
            Some((3, 12, "（十二）".into(), "推动".into()))
        );
        assert_eq!(
            lv("1.贯彻执行"),
            Some((4, 1, "1.".into(), "贯彻执行".into()))
        );
        assert_eq!(lv("12、组织"), Some((4, 12, "12.".into(), "组织".into())));
        assert_eq!(lv("１．组织"), Some((4, 1, "1.".into(), "组织".into())));
        assert_eq!(lv("（3）其他"), Some((5, 3, "（3）".into(), "其他".into())));
        assert_eq!(
            lv("- (二) 结构"),
            Some((3, 2, "（二）".into(), "结构".into()))
        );
    }

    #[test]
    fn non_headings() {
        assert_eq!(lv("一般公共预算财政拨款收入"), None);
        assert_eq!(lv("1.5万元"), None);
        assert_eq!(lv("2023 年度收入支出决算总表"), None);
        assert_eq!(lv("大部分指标完成"), None);
        assert_eq!(lv("(类)支出"), None);
    }
}
