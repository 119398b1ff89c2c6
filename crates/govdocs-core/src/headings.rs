//! Recognise heading labels: 第一部分 > 一、 > （一） > 1. > （1）.

use crate::normalize::{chinese_numeral, fold_fullwidth};

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

/// Whether `c` is a numeral character of heading labels: 一 … 十, 百, 零, 〇, 两.
fn is_cn(c: char) -> bool {
    matches!(
        c,
        '一' | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '零'
            | '〇'
            | '两'
    )
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

/// A label found at the start of a line: level, number, the numeral as printed (folded) and
/// the unfolded rest of the line after the label and the whitespace following it.
struct Found<'s> {
    level: u8,
    number: u32,
    numeral: String,
    /// For level 4, the text after the digits (the title is taken from there, see below).
    after_numeral: &'s str,
    rest: &'s str,
}

/// A reader of characters as the label patterns see them after full-width folding (full-width
/// digits are ASCII digits, `．` is `.`), with byte positions in the unfolded text.
struct Reader<'s> {
    s: &'s str,
    at: usize,
}

impl<'s> Reader<'s> {
    fn peek(&self) -> Option<char> {
        self.s[self.at..].chars().next().map(|c| match c {
            '\u{ff10}'..='\u{ff19}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '．' => '.',
            _ => c,
        })
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += self.s[self.at..].chars().next().map_or(0, char::len_utf8);
        Some(c)
    }
    fn eat(&mut self, f: impl Fn(char) -> bool) -> bool {
        match self.peek() {
            Some(c) if f(c) => {
                self.bump();
                true
            }
            _ => false,
        }
    }
    fn skip_ws(&mut self) {
        while self.eat(crate::lines::is_whitespace) {}
    }
    /// A run of characters matching `f`, at least one and at most `max`, pushed to `out`.
    fn run(&mut self, f: impl Fn(char) -> bool, max: usize, out: &mut String) -> bool {
        let mut n = 0;
        while n < max {
            match self.peek() {
                Some(c) if f(c) => {
                    out.push(c);
                    self.bump();
                    n += 1;
                }
                _ => break,
            }
        }
        n > 0
    }
}

/// The label at the start of `t` (bullets stripped, end trimmed), read as the patterns
/// `^第\s*([CN0-9]+)\s*部\s*分\s*`, `^([CN]+)\s*[、.]\s*`, `^[（(]\s*([CN]+)\s*[）)]\s*`,
/// `^([0-9]{1,2})\s*(?:、|\.(?:[^0-9]|$))\s*` and `^[（(]\s*([0-9]{1,2})\s*[）)]\s*` read the
/// folded text; the rest of the line must not hold a line break.
fn find_label(t: &str) -> Option<Found<'_>> {
    let mut r = Reader { s: t, at: 0 };
    let mut numeral = String::new();
    let first = r.bump()?;
    let mut after_numeral = "";
    let level = if first == '第' {
        r.skip_ws();
        if !r.run(|c| is_cn(c) || c.is_ascii_digit(), usize::MAX, &mut numeral) {
            return None;
        }
        r.skip_ws();
        if !r.eat(|c| c == '部') {
            return None;
        }
        r.skip_ws();
        if !r.eat(|c| c == '分') {
            return None;
        }
        1
    } else if is_cn(first) {
        numeral.push(first);
        r.run(is_cn, usize::MAX, &mut numeral);
        r.skip_ws();
        if !r.eat(|c| c == '、' || c == '.') {
            return None;
        }
        2
    } else if first == '（' || first == '(' {
        r.skip_ws();
        let level = match r.peek() {
            Some(c) if is_cn(c) => {
                r.run(is_cn, usize::MAX, &mut numeral);
                3
            }
            Some(c) if c.is_ascii_digit() => {
                r.run(|c| c.is_ascii_digit(), 2, &mut numeral);
                5
            }
            _ => return None,
        };
        r.skip_ws();
        if !r.eat(|c| c == '）' || c == ')') {
            return None;
        }
        level
    } else if first.is_ascii_digit() {
        numeral.push(first);
        r.run(|c| c.is_ascii_digit(), 1, &mut numeral);
        after_numeral = &t[r.at..];
        r.skip_ws();
        match r.bump() {
            Some('、') => {}
            // `.` then one character that is not a digit, or the end.
            Some('.') => {
                if r.peek().is_some_and(|c| c.is_ascii_digit()) {
                    return None;
                }
                r.bump();
            }
            _ => return None,
        }
        4
    } else {
        return None;
    };
    r.skip_ws();
    let rest = &t[r.at..];
    if crate::lines::has_byte(rest, b'\n') {
        return None;
    }
    let number = chinese_numeral(&numeral)?;
    Some(Found {
        level,
        number,
        numeral,
        after_numeral,
        rest,
    })
}

/// The line with bullets stripped and its end trimmed, if it may start with a label.
fn label_text(line: &str) -> Option<&str> {
    let stripped = strip_bullets(line);
    // Most lines of a document are ruled out by their first characters.
    may_start_with_label(stripped).then(|| stripped.trim_end())
}

/// The unfolded title text of a found label.
fn raw_title<'s>(f: &Found<'s>) -> &'s str {
    if f.level == 4 {
        // The title starts after the digits, their `、` or `.` and the whitespace around them.
        f.after_numeral
            .trim_start()
            .trim_start_matches(['、', '.', '．'])
    } else {
        f.rest
    }
}

/// Parse a line as a heading candidate, if it starts with a heading label.
pub fn parse_candidate(line: &str) -> Option<Candidate> {
    let f = find_label(label_text(line)?)?;
    Some(candidate(&f))
}

/// [`parse_candidate`] for lines whose title has at most `max_title` visible characters (its
/// length once stray spaces are removed is at least that count): a longer one gives `None`
/// before its title is built.
pub fn parse_short_candidate(line: &str, max_title: usize) -> Option<Candidate> {
    let f = find_label(label_text(line)?)?;
    let visible = raw_title(&f)
        .chars()
        .filter(|&c| !crate::lines::is_whitespace(c))
        .take(max_title + 1)
        .count();
    (visible <= max_title).then(|| candidate(&f))
}

/// Whether a line starts with a heading label ([`parse_candidate`] is `Some`), without building it.
pub fn is_candidate(line: &str) -> bool {
    label_text(line).and_then(find_label).is_some()
}

fn candidate(f: &Found<'_>) -> Candidate {
    let n = f.numeral.as_str();
    let text = match f.level {
        1 => format!("第{n}部分"),
        2 => format!("{n}、"),
        4 => format!("{n}."),
        _ => format!("（{n}）"),
    };
    Candidate {
        label: Label {
            level: f.level,
            number: f.number,
            text,
        },
        title: fold_fullwidth(raw_title(f)).trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;
    use std::sync::LazyLock;

    const CN: &str = "一二三四五六七八九十百零〇两";

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
    fn same_as_whole_line_patterns_on_random_lines() {
        // Lines drawn from the characters labels are made of: every prefix shape, spaces and
        // line breaks in odd places, full-width digits and dots.
        let alphabet: Vec<char> = "第部分一二十两〇（(）)、.．１２3 \n\u{3000}，标题a- *#"
            .chars()
            .collect();
        let mut state = 0x2545F4914F6CDD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut headings = 0;
        for _ in 0..200_000 {
            let len = (next() % 9) as usize;
            let l: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let want = whole_line_reference(&l);
            headings += want.is_some() as usize;
            assert_eq!(lv(&l), want, "{l:?}");
            assert_eq!(is_candidate(&l), want.is_some(), "{l:?}");
            let short = parse_short_candidate(&l, 2).map(|c| c.title);
            let want_short = want
                .map(|w| w.3)
                .filter(|t| t.chars().filter(|c| !c.is_whitespace()).count() <= 2);
            assert_eq!(short, want_short, "{l:?}");
        }
        assert!(headings > 1000, "{headings}");
    }

    #[test]
    fn numerals_are_the_cn_set() {
        for c in (0..0x30000u32).filter_map(char::from_u32) {
            assert_eq!(is_cn(c), CN.contains(c), "{c}");
        }
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
