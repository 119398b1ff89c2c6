//! Split decoded text into numbered lines and recognise the text style of the dump
//! (tab-separated rows, pdftotext-like with a blank line after every line, or plain).

/// How the text dump was produced, as far as its lines show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStyle {
    /// Table rows are tab-separated; prose is one paragraph per line.
    Tabbed,
    /// pdftotext-like: a blank line after nearly every line, prose wrapped at a fixed width.
    Wrapped,
    /// Neither of the above.
    Plain,
}

impl TextStyle {
    /// Stable lowercase name used in datasets.
    pub fn as_str(&self) -> &'static str {
        match self {
            TextStyle::Tabbed => "tabbed",
            TextStyle::Wrapped => "wrapped",
            TextStyle::Plain => "plain",
        }
    }
}

/// One non-blank line of the source, with its 1-based line number in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the source file.
    pub no: u32,
    /// The line as printed, without its line ending and trailing whitespace.
    pub text: String,
}

/// The non-blank lines of a document and what their layout says about it.
#[derive(Debug, Clone)]
pub struct Lines {
    /// Non-blank lines in source order.
    pub lines: Vec<Line>,
    /// Total number of lines in the file, blank ones included.
    pub total_lines: u32,
    /// The text style recognised.
    pub style: TextStyle,
    /// Typical width, in characters, at which prose lines wrap (0 when prose does not wrap).
    pub wrap_width: usize,
}

impl Lines {
    /// The non-blank lines' texts joined with newlines (what the metadata reader searches).
    pub fn joined(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Split text on LF, CRLF or CR; keep non-blank lines with their numbers and detect the style.
pub fn split_lines(text: &str) -> Lines {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 48 + 1);
    let mut total = 0u32;
    let mut followed_by_blank = 0usize;
    let mut prev_nonblank = false;
    let mut tabbed = 0usize;
    let mut keep = |t: &str, no: u32| {
        // Trimmed at the end, a blank line is empty.
        let t = t.trim_end();
        if t.is_empty() {
            if prev_nonblank {
                followed_by_blank += 1;
            }
            prev_nonblank = false;
            return;
        }
        if has_byte(t, b'\t') {
            tabbed += 1;
        }
        prev_nonblank = true;
        lines.push(Line {
            no,
            text: t.to_string(),
        });
    };
    // Most texts have no CR at all: their lines need no second split.
    let has_cr = has_byte(text, b'\r');
    let mut start = 0;
    loop {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p);
        let raw = &text[start..end];
        total += 1;
        if has_cr {
            for (j, part) in raw.split('\r').enumerate() {
                // A lone CR (old Mac ending) splits a line too; CRLF leaves an empty tail.
                if j == 0 || !part.is_empty() {
                    keep(part, total);
                }
            }
        } else {
            keep(raw, total);
        }
        if end == bytes.len() {
            break;
        }
        start = end + 1;
    }
    if text.ends_with('\n') {
        total = total.saturating_sub(1);
    }
    let n = lines.len().max(1);
    let style = if tabbed * 20 >= n && tabbed >= 3 {
        TextStyle::Tabbed
    } else if followed_by_blank * 10 >= n * 8 && n >= 10 {
        TextStyle::Wrapped
    } else {
        TextStyle::Plain
    };
    let wrap_width = if style == TextStyle::Wrapped {
        prose_wrap_width(&lines)
    } else {
        0
    };
    Lines {
        lines,
        total_lines: total,
        style,
        wrap_width,
    }
}

/// Build `Lines` from lines numbered by their producer (a PDF's text lines, say), with the
/// style given and the prose wrap width measured.
pub fn from_numbered(lines: Vec<Line>, style: TextStyle) -> Lines {
    let total_lines = lines.last().map_or(0, |l| l.no);
    let wrap_width = if style == TextStyle::Wrapped {
        prose_wrap_width(&lines)
    } else {
        0
    };
    Lines {
        lines,
        total_lines,
        style,
        wrap_width,
    }
}

/// Width in characters at which prose wraps: the most frequent length of lines that are
/// mostly CJK text with no inner spaces (table rows and short headings do not qualify).
fn prose_wrap_width(lines: &[Line]) -> usize {
    let mut counts = std::collections::BTreeMap::<usize, usize>::new();
    for l in lines {
        let t = l.text.trim();
        // A line of 12 characters or more has at least 12 bytes; count the rest in one pass,
        // stopping at the first inner whitespace.
        if t.len() < 12 {
            continue;
        }
        let (mut n, mut cjk, mut spaced) = (0usize, 0usize, false);
        for c in t.chars() {
            if is_whitespace(c) {
                spaced = true;
                break;
            }
            n += 1;
            cjk += is_cjk(c) as usize;
        }
        if !spaced && n >= 12 && cjk * 10 >= n * 8 {
            *counts.entry(n).or_default() += 1;
        }
    }
    // The wrap width is the largest length that is common: lines end at it or one short of it.
    let total: usize = counts.values().sum();
    if total < 10 {
        return 0;
    }
    let (mode, _) = counts
        .iter()
        .max_by_key(|&(n, c)| (*c, *n))
        .map(|(n, c)| (*n, *c))
        .unwrap_or((0, 0));
    // Prose that wraps seldom runs past its width; paragraphs kept whole (a blank-lined copy of
    // a one-paragraph-per-line dump) mostly do: they do not wrap.
    let at = |n: usize| counts.get(&n).copied().unwrap_or(0);
    let longer: usize = counts.range(mode + 2..).map(|(_, c)| c).sum();
    if longer > at(mode) + at(mode.saturating_sub(1)) {
        return 0;
    }
    mode
}

/// `char::is_whitespace`, with the non-ASCII set spelled out (no table lookup).
#[inline(always)]
pub fn is_whitespace(c: char) -> bool {
    match c as u32 {
        0x20 | 0x09..=0x0D => true,
        0..0x80 => false,
        0x85 | 0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000 => true,
        _ => false,
    }
}

/// True for CJK ideographs and CJK punctuation that never take a space next to them.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F
        | 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0x2018..=0x201F)
}

/// Remove whitespace runs between two CJK characters (`经济 信息化局` → `经济信息化局`) and
/// collapse other whitespace runs to one space.
pub fn squash_cjk_spaces(s: &str) -> String {
    let s = s.trim();
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    push_squashed(&mut out, &mut pending, s);
    out
}

/// [`squash_cjk_spaces`] without a copy when `s` has no whitespace inside (most cells and tokens).
pub fn squashed(s: &str) -> std::borrow::Cow<'_, str> {
    let t = s.trim();
    let mut i = 0;
    while i < t.len() {
        let (ws, len) = whitespace_at(t, i);
        if ws {
            return std::borrow::Cow::Owned(squash_cjk_spaces(t));
        }
        i += len;
    }
    std::borrow::Cow::Borrowed(t)
}

/// [`squash_cjk_spaces`] of the pieces joined by single spaces, without building the joined text;
/// `capacity` is the expected length of the result.
pub fn squash_joined<'a>(pieces: impl IntoIterator<Item = &'a str>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    for p in pieces {
        // The space before each piece is a whitespace run like any other.
        let mut pending = true;
        push_squashed(&mut out, &mut pending, p);
    }
    out
}

/// Append `s` to the squashed text `out`, copying runs of non-whitespace whole. `pending` says a
/// whitespace run precedes the next visible character; it becomes one space in `out` unless it
/// falls between two CJK characters, and nothing at the start of `out`.
fn push_squashed(out: &mut String, pending: &mut bool, s: &str) {
    let mut run: Option<usize> = None;
    let mut i = 0;
    while i < s.len() {
        let (ws, len) = whitespace_at(s, i);
        if ws {
            if let Some(start) = run.take() {
                out.push_str(&s[start..i]);
            }
            *pending = true;
        } else if run.is_none() {
            if *pending {
                if let Some(before) = out.chars().next_back() {
                    let c = s[i..].chars().next().unwrap_or_default();
                    if !(is_cjk(before) && is_cjk(c)) {
                        out.push(' ');
                    }
                }
                *pending = false;
            }
            run = Some(i);
        }
        i += len;
    }
    if let Some(start) = run {
        out.push_str(&s[start..]);
    }
}

/// Whether the character starting at byte `i` of `s` is whitespace (`char::is_whitespace`), and
/// its length in bytes. Whitespace is ASCII or one of the few characters whose UTF-8 starts with
/// C2, E1, E2 or E3 (U+0085, U+00A0, U+1680, U+2000…U+205F, U+3000): only those are decoded.
#[inline(always)]
pub(crate) fn whitespace_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes()[i];
    match b {
        0..0x80 => (matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'), 1),
        0xC2 | 0xE1..=0xE3 => {
            let c = s[i..].chars().next().unwrap_or_default();
            (c.is_whitespace(), c.len_utf8())
        }
        0xC0..0xE0 => (false, 2),
        0xE0..0xF0 => (false, 3),
        _ => (false, 4),
    }
}

/// Whether `s` holds the ASCII byte `b` (SIMD search: these checks run on every line).
#[inline]
pub fn has_byte(s: &str, b: u8) -> bool {
    memchr::memchr(b, s.as_bytes()).is_some()
}

/// Strip converter markup left in the text: HTML tags such as `<p>` or `<input type="checkbox"/>`.
pub fn strip_markup(s: &str) -> std::borrow::Cow<'_, str> {
    if !has_byte(s, b'<') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let is_tag = after[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (is_tag, after.find('>')) {
            (true, Some(end)) => {
                let tag = &after[..=end];
                if tag.contains("checked") {
                    out.push('☑');
                } else if tag.contains("checkbox") {
                    out.push('□');
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_matches_std() {
        for c in (0..0x11000u32).filter_map(char::from_u32) {
            assert_eq!(is_whitespace(c), c.is_whitespace(), "{:X}", c as u32);
        }
    }

    #[test]
    fn crlf_and_numbers_are_kept() {
        let l = split_lines("一\r\n\r\n二\r\n三");
        assert_eq!(l.lines.len(), 3);
        assert_eq!(l.lines[1].no, 3);
        assert_eq!(l.lines[1].text, "二");
        assert_eq!(l.total_lines, 4);
    }

    #[test]
    fn lone_cr_splits_lines() {
        let l = split_lines("a\rb\n");
        let texts: Vec<_> = l.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "b"]);
    }

    #[test]
    fn styles_are_recognised() {
        let tabbed = "标题\n项目\t行次\t金额\na\t1\t2\nb\t2\t3\nc\t3\t4\n";
        assert_eq!(split_lines(tabbed).style, TextStyle::Tabbed);
        let wrapped: String = (0..20).map(|i| format!("第{i}行文字\n\n")).collect();
        assert_eq!(split_lines(&wrapped).style, TextStyle::Wrapped);
        assert_eq!(split_lines("一行\n两行\n").style, TextStyle::Plain);
    }

    #[test]
    fn cjk_spaces_are_squashed() {
        assert_eq!(
            squash_cjk_spaces("科学技术和经济 信息化局"),
            "科学技术和经济信息化局"
        );
        assert_eq!(squash_cjk_spaces("概 况"), "概况");
        assert_eq!(
            squash_cjk_spaces(" 武汉市 2024  年度 部门决算 "),
            "武汉市 2024 年度部门决算"
        );
        assert_eq!(squash_cjk_spaces("2 0 2 0"), "2 0 2 0");
        assert_eq!(
            squash_cjk_spaces("\u{3000}概\u{3000}\u{3000}况 a\t b "),
            "概况 a b"
        );
    }

    /// The squashing rule char by char, as first written.
    fn squash_reference(s: &str) -> String {
        let chars: Vec<char> = s.trim().chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                let before = out.chars().next_back();
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
                let after = chars.get(i).copied();
                if let (Some(b), Some(a)) = (before, after) {
                    if !(is_cjk(b) && is_cjk(a)) {
                        out.push(' ');
                    }
                }
                continue;
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }

    #[test]
    fn squash_matches_the_char_by_char_rule() {
        let mut lines = crate::test_support::sample_lines();
        // Every whitespace character Rust knows, between CJK, Latin and CJK punctuation.
        for ws in [
            "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2003}", "\u{200A}", "\u{2028}",
            "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\r\n",
        ] {
            lines.push(format!("{ws}概{ws}况{ws}a{ws}{ws}b、{ws}。c{ws}"));
        }
        // Characters that share a first byte with whitespace but are not whitespace.
        lines.push("\u{A9}概 \u{1681}况 \u{2010}a \u{3001} b \u{30A2} ".into());
        for l in &lines {
            assert_eq!(squash_cjk_spaces(l), squash_reference(l), "{l:?}");
            assert_eq!(squashed(l), squash_reference(l), "{l:?}");
        }
    }

    #[test]
    fn joined_pieces_squash_like_their_joined_text() {
        let cases: &[&[&str]] = &[
            &["合计", "5,382.07"],
            &["一般公共", "预算", "财政拨款"],
            &[" 部 门 ", "", "  ", "单位：万元"],
            &["a", "b c", "表"],
            &[],
        ];
        for pieces in cases {
            assert_eq!(
                squash_joined(pieces.iter().copied(), 0),
                squash_cjk_spaces(&pieces.join(" ")),
                "{pieces:?}"
            );
        }
    }

    #[test]
    fn markup_is_stripped() {
        assert_eq!(strip_markup("<p>科技</p>"), "科技");
        assert_eq!(
            strip_markup("<input checked=\"\" type=\"checkbox\"/>是<input type=\"checkbox\"/>否"),
            "☑是□否"
        );
        assert_eq!(strip_markup("a < b"), "a < b");
    }
}
