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

// The label patterns match the label and the whitespace after it; the title is the rest of the
// line (see `head`).
static PART: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^第\s*([{CN}0-9]+)\s*部\s*分\s*")).unwrap());
static CN_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^([{CN}]+)\s*[、.]\s*")).unwrap());
static CN_PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^[（(]\s*([{CN}]+)\s*[）)]\s*")).unwrap());
static NUM_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{1,2})\s*(?:、|\.(?:[^0-9]|$))\s*").unwrap());
static NUM_PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[（(]\s*([0-9]{1,2})\s*[）)]\s*").unwrap());

/// A label pattern's match at the start of `s` and the title after it. The title runs to the end
/// of the text on one line: a line break in it means no heading (as `(.*)$` would say).
fn head<'s>(re: &Regex, s: &'s str) -> Option<(regex::Captures<'s>, &'s str)> {
    let c = re.captures(s)?;
    let rest = &s[c.get(0)?.end()..];
    (!rest.contains('\n')).then_some((c, rest))
}

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

/// Whether a line (bullets stripped, not yet folded) has a label's shape at its start, as the
/// label patterns read it after folding: 第 then a numeral or digit; numerals then 、 or .;
/// at most two digits then 、 or .; an opening parenthesis then a numeral or digit (whitespace
/// allowed between the parts). Full-width digits and `．` are read as folded.
fn may_start_with_label(s: &str) -> bool {
    let fold = |c: char| match c {
        '\u{ff10}'..='\u{ff19}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '．' => '.',
        _ => c,
    };
    let mut cs = s.chars().map(fold).peekable();
    let Some(first) = cs.next() else {
        return false;
    };
    let is_cn = |c: char| CN.contains(c);
    // The character after a run of `skip` characters and then whitespace.
    fn after(
        cs: &mut std::iter::Peekable<impl Iterator<Item = char>>,
        skip: impl Fn(char) -> bool,
    ) -> Option<char> {
        while cs.next_if(|&c| skip(c)).is_some() {}
        while cs.next_if(|c| c.is_whitespace()).is_some() {}
        cs.next()
    }
    match first {
        '第' | '（' | '(' => {
            matches!(after(&mut cs, |_| false), Some(c) if is_cn(c) || c.is_ascii_digit())
        }
        c if is_cn(c) => matches!(after(&mut cs, is_cn), Some('、' | '.')),
        c if c.is_ascii_digit() => {
            let second_digit = cs.next_if(|c| c.is_ascii_digit()).is_some();
            let third_digit = second_digit && cs.next_if(|c| c.is_ascii_digit()).is_some();
            !third_digit && matches!(after(&mut cs, |_| false), Some('、' | '.'))
        }
        _ => false,
    }
}

/// Parse a line as a heading candidate, if it starts with a heading label.
pub fn parse_candidate(line: &str) -> Option<Candidate> {
    let stripped = strip_bullets(line);
    // Most lines of a document are ruled out by their first characters, before the whole line
    // is folded.
    if !may_start_with_label(stripped) {
        return None;
    }
    let folded = fold_fullwidth(stripped);
    let s = folded.trim();
    let first = s.chars().next()?;
    let after_first = &s[first.len_utf8()..];
    // The character after the whitespace following `t`.
    let next_visible = |t: &str| t.trim_start().chars().next();
    let is_cn = |c: char| CN.contains(c);
    // Each pattern needs its own first character, and a second part cheap to check by hand:
    // only lines passing that check run the pattern.
    if first == '第' {
        if !next_visible(after_first).is_some_and(|c| is_cn(c) || c.is_ascii_digit()) {
            return None;
        }
        let (c, title) = head(&PART, s)?;
        let number = chinese_numeral(&c[1])?;
        return Some(Candidate {
            label: Label {
                level: 1,
                number,
                text: format!("第{}部分", c[1].trim()),
            },
            title: title.trim().to_string(),
        });
    }
    let (level, (caps, title_text), text): (u8, _, fn(&str) -> String) = if is_cn(first) {
        // `十三、`: numerals, then 、 or .
        let after = s.trim_start_matches(is_cn);
        if !next_visible(after).is_some_and(|c| c == '、' || c == '.') {
            return None;
        }
        (2, head(&CN_ITEM, s)?, |n| format!("{n}、"))
    } else if first == '（' || first == '(' {
        match next_visible(after_first) {
            Some(c) if is_cn(c) => (3, head(&CN_PAREN, s)?, |n| format!("（{n}）")),
            Some(c) if c.is_ascii_digit() => (5, head(&NUM_PAREN, s)?, |n| format!("（{n}）")),
            _ => return None,
        }
    } else if first.is_ascii_digit() {
        // `1.` or `12、`: one or two digits, then 、 or .
        let after = s.trim_start_matches(|c: char| c.is_ascii_digit());
        if s.len() - after.len() > 2 || !next_visible(after).is_some_and(|c| c == '、' || c == '.')
        {
            return None;
        }
        (4, head(&NUM_ITEM, s)?, |n| format!("{n}."))
    } else {
        return None;
    };
    let n = caps[1].trim();
    let number = chinese_numeral(n)?;
    let mut title = title_text.trim().to_string();
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

    /// The label patterns as they were: whole-line, `…\s*(.*)$`.
    static WHOLE_LINE: LazyLock<[Regex; 5]> = LazyLock::new(|| {
        let pat = |p: &str| Regex::new(&format!("{p}\\s*(.*)$")).unwrap();
        [
            pat(&format!(r"^第\s*([{CN}0-9]+)\s*部\s*分")),
            pat(&format!(r"^([{CN}]+)\s*[、.]")),
            pat(&format!(r"^[（(]\s*([{CN}]+)\s*[）)]")),
            pat(r"^([0-9]{1,2})\s*(?:、|\.(?:[^0-9]|$))"),
            pat(r"^[（(]\s*([0-9]{1,2})\s*[）)]"),
        ]
    });

    /// `parse_candidate` as it was with whole-line patterns and no pre-checks.
    fn whole_line_reference(line: &str) -> Option<(u8, u32, String, String)> {
        let [part, p2, p3, p4, p5] = &*WHOLE_LINE;
        let folded = fold_fullwidth(strip_bullets(line));
        let s = folded.trim();
        if let Some(c) = part.captures(s) {
            let number = chinese_numeral(&c[1])?;
            return Some((
                1,
                number,
                format!("第{}部分", c[1].trim()),
                c[2].trim().into(),
            ));
        }
        let pats = [(2, p2), (3, p3), (4, p4), (5, p5)];
        let (level, c) = pats
            .iter()
            .find_map(|(l, p)| p.captures(s).map(|c| (*l, c)))?;
        let n = c[1].trim();
        let number = chinese_numeral(n)?;
        let title = if level == 4 {
            s[c.get(1).unwrap().end()..]
                .trim_start()
                .trim_start_matches(['、', '.'])
                .trim()
                .to_string()
        } else {
            c[2].trim().to_string()
        };
        let text = match level {
            2 => format!("{n}、"),
            4 => format!("{n}."),
            _ => format!("（{n}）"),
        };
        Some((level, number, text, title))
    }

    #[test]
    fn same_as_whole_line_patterns() {
        let mut lines = crate::test_support::sample_lines();
        // Line breaks inside a candidate, full-width digits, three digits, spaced labels.
        for l in [
            "一、标题\n正文",
            "一、\n标题",
            "第\n二部分 说明",
            "（三）\n",
            "1.\n2",
            "1.",
            "１２、组织",
            "１２３、组织",
            "１．组织",
            "第３部分 说明",
            "（１）其他",
            "一 ．标题",
            "123、组织",
            "十 三 、 标题",
            "（ 4 ）其他",
            "第 3 部 分",
            "一般公共预算",
            "(类)支出",
        ] {
            lines.push(l.to_string());
        }
        let mut headings = 0;
        for l in &lines {
            let want = whole_line_reference(l);
            headings += want.is_some() as usize;
            assert_eq!(lv(l), want, "{l:?}");
        }
        assert!(headings > 100, "{headings}");
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
