//! Build the section tree of a document: find the 目录 (table of contents), then accept the body
//! headings that have a heading's shape and fit the numbering, joining titles wrapped or broken
//! by stray spaces.

use crate::headings::{is_candidate, parse_candidate, parse_short_candidate, Candidate};
use crate::lines::{has_byte, squash_cjk_spaces, strip_markup, Line, Lines, TextStyle};
use regex::Regex;
use std::sync::LazyLock;

/// One section of a document: a heading and the text up to the next heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Ordinal of the section in the document, from 0.
    pub id: u32,
    /// The enclosing section, `None` for top-level parts and the front matter.
    pub parent: Option<u32>,
    /// 0 = front matter before the first heading, 1 = 第X部分, 2 = X、, 3 = （X）, 4 = 1., 5 = （1）.
    pub level: u8,
    /// The heading label in canonical form (`第三部分`, `十三、`, `（一）`); empty for front matter.
    pub label: String,
    /// The label's number (13 for `十三、`); 0 for front matter.
    pub number: u32,
    /// The heading title with stray spaces between CJK characters removed and wrapped lines joined.
    pub title: String,
    /// Labels from the top-level part down to this section, joined by ` > `.
    pub path: String,
    /// The section's own text (lines after the heading, before its first sub-heading).
    pub text: String,
    /// 1-based line of the heading in the source file.
    pub line_start: u32,
    /// 1-based last line of the heading itself (after `line_start` when its title wrapped).
    pub heading_end: u32,
    /// 1-based last line of the section including its sub-sections.
    pub line_end: u32,
    /// Page of the heading, for PDF input.
    pub page_start: Option<u32>,
    /// Last page of the section including its sub-sections, for PDF input.
    pub page_end: Option<u32>,
}

/// Where the table of contents was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Toc {
    /// 1-based line of the 目录 heading.
    pub line_start: u32,
    /// 1-based last line of the table of contents.
    pub line_end: u32,
    /// Number of entries (heading-shaped lines) listed in it.
    pub entries: u32,
}

/// The result of sectioning: the tree (in document order) and the table of contents, if any.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Sections in document order; parents come before their children.
    pub sections: Vec<Section>,
    /// The 目录, which is not a section.
    pub toc: Option<Toc>,
    /// Index into the document's lines of the first body line (after the title block and 目录).
    pub body_start: usize,
}

static TOC_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^目\s*录$").unwrap());
static DECIMAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9]\s*\.\s*[0-9]").unwrap());
/// A number standing two spaces or more after text: the next column of a space-aligned row.
static COLUMN_GAP_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S\s{2,}[0-9]").unwrap());
static DIGIT_RUN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9][0-9,]*").unwrap());
/// Longest title, in characters, a heading may have.
const MAX_TITLE: usize = 40;
/// Titles at most this long and without sentence punctuation are accepted even out of sequence.
const STRONG_TITLE: usize = 20;

/// Build the outline of a document from its lines.
pub fn outline(lines: &Lines) -> Outline {
    let ls = &lines.lines;
    let toc = find_toc(ls);
    let body_start = toc.map_or(0, |(_, end, _)| end + 1);
    let mut b = Builder::default();
    let mut i = body_start;
    let first_heading = loop {
        if i >= ls.len() {
            break ls.len();
        }
        if accept(ls, i, &strip_markup(&ls[i].text), lines, &b).is_some() {
            break i;
        }
        i += 1;
    };
    // Front matter: the lines before the 目录 (title block) or before the first heading.
    let front_end = toc.map_or(first_heading, |(s, _, _)| s);
    let front: Vec<&Line> = ls[..front_end.min(ls.len())]
        .iter()
        .chain(&ls[body_start.min(ls.len())..first_heading])
        .collect();
    if !front.is_empty() {
        b.push_front_matter(&front);
    }
    let mut i = first_heading;
    while i < ls.len() {
        // The line without converter markup, read once for both uses.
        let raw = strip_markup(&ls[i].text);
        if let Some((cand, consumed)) = accept(ls, i, &raw, lines, &b) {
            b.open(cand, &ls[i..i + consumed]);
            i += consumed;
        } else {
            b.add_text(ls[i].no, &raw);
            i += 1;
        }
    }
    b.close_all();
    Outline {
        sections: b.sections,
        toc: toc.map(|(s, e, n)| Toc {
            line_start: ls[s].no,
            line_end: ls[e].no,
            entries: n,
        }),
        body_start,
    }
}

/// Find the 目录: returns (index of the 目录 line, index of its last line, entry count).
fn find_toc(ls: &[Line]) -> Option<(usize, usize, u32)> {
    let start = ls
        .iter()
        .take(200)
        // The 目录 line starts with 目: other lines are passed over unread.
        .position(|l| {
            l.text.trim_start().starts_with('目') && TOC_LINE.is_match(&squash_cjk_spaces(&l.text))
        })?;
    let first = (start + 1..ls.len()).find_map(|i| parse_candidate(&ls[i].text).map(|c| (i, c)));
    let mut end = start;
    if let Some((fi, fc)) = first.filter(|(_, c)| c.label.level == 1) {
        // The body starts where the first part's label comes round again.
        let repeat = (fi + 1..ls.len()).find(|&j| {
            parse_candidate(&ls[j].text)
                .is_some_and(|c| c.label.level == 1 && c.label.number == fc.label.number)
        });
        if let Some(j) = repeat {
            end = j - 1;
        }
    }
    if end == start {
        // No repeat: the contents run while lines are short heading-like entries.
        end = (start + 1..ls.len())
            .take_while(|&j| {
                let t = squash_cjk_spaces(&ls[j].text);
                t.chars().count() <= 50 && !t.contains('。')
            })
            .last()
            .unwrap_or(start);
    }
    let entries = (start + 1..=end)
        .filter(|&j| is_candidate(&ls[j].text))
        .count() as u32;
    Some((start, end, entries))
}

/// Decide whether line `i` (`raw`: its text without markup) opens a section; returns the
/// heading and how many lines it spans.
fn accept(
    ls: &[Line],
    i: usize,
    raw: &str,
    lines: &Lines,
    b: &Builder,
) -> Option<(Candidate, usize)> {
    if has_byte(raw, b'\t') {
        return None; // a table row
    }
    // A title longer than MAX_TITLE is refused below: such lines (list items of prose) are
    // refused before their title is built.
    let mut cand = parse_short_candidate(raw, MAX_TITLE)?;
    if in_aligned_table(ls, i) {
        return None; // a row of a space-aligned table: `        2. 财政拨款收入(上级转移支付)`
    }
    let mut consumed = 1;
    let mut title = squash_cjk_spaces(&cand.title);
    if title.is_empty() {
        // Label alone on its line: the title follows.
        let next = ls.get(i + 1)?;
        if is_candidate(&next.text) || has_byte(&next.text, b'\t') {
            return None;
        }
        title = squash_cjk_spaces(&next.text);
        consumed = 2;
    }
    let chars = title.chars().count();
    if chars > MAX_TITLE || DECIMAL.is_match(&title) {
        return None;
    }
    let numbers = DIGIT_RUN.find_iter(&title).count();
    if numbers >= 2 {
        return None; // a space-separated table row such as `二、外交支出 32`
    }
    if numbers == 1 && COLUMN_GAP_NUMBER.is_match(raw.trim()) {
        return None; // a row of a space-aligned table: `1. 财政拨款收入(区级安排数)    30万元`
    }
    let level = cand.label.level;
    let inner_stop = title
        .trim_end_matches(['。', '.'])
        .contains(['。', '；', ';']);
    if level > 1 {
        if inner_stop {
            return None;
        }
        let wrapped_prose = lines.style == TextStyle::Wrapped
            && lines.wrap_width > 0
            && ls[i].text.trim().chars().count() + 2 >= lines.wrap_width
            && ls.get(i + 1).is_some_and(|n| !is_candidate(&n.text));
        if wrapped_prose && consumed == 1 {
            return None;
        }
        let strong = chars <= STRONG_TITLE && !title.contains(['。', '，', ',', '：', ':']);
        let prev = b.last_sibling_number(level);
        let n = cand.label.number;
        // Next in sequence; or, for a short plain title, a repeated number or one skipped number
        // (both seen in print). A restart at 1 under the same parent is an embedded list, not a heading.
        let in_sequence = n == prev + 1;
        let near = n == prev || n == prev + 2;
        if !(in_sequence || (near && strong)) {
            return None;
        }
    }
    // A heading wrapped onto a short second line: join it.
    if consumed == 1 {
        if let Some(next) = ls.get(i + 1) {
            if continues_title(&title, &next.text, lines) {
                title.push_str(&squash_cjk_spaces(&next.text));
                title = squash_cjk_spaces(&title);
                consumed = 2;
            }
        }
    }
    cand.title = title;
    Some((cand, consumed))
}

/// Whether line `i` is a cell of a space-aligned table: indented by eight columns or more
/// under or over an indented row whose columns stand two spaces or more apart.
fn in_aligned_table(ls: &[Line], i: usize) -> bool {
    let indent = |t: &str| t.len() - t.trim_start_matches(' ').len();
    let aligned_row = |l: &Line| indent(&l.text) >= 8 && l.text.trim().contains("  ");
    indent(&ls[i].text) >= 8
        && (i > 0 && aligned_row(&ls[i - 1]) || ls.get(i + 1).is_some_and(aligned_row))
}

/// Whether `next` is the wrapped rest of a heading title.
fn continues_title(title: &str, next: &str, lines: &Lines) -> bool {
    // Squashing keeps every visible character: a line with more than 16 of them is too long.
    if next.chars().filter(|c| !c.is_whitespace()).take(17).count() > 16 {
        return false;
    }
    let t = squash_cjk_spaces(next);
    let n = t.chars().count();
    if n == 0 || n > 16 || has_byte(next, b'\t') || is_candidate(next) {
        return false;
    }
    if t.contains(['。', '，', '；', '：', ':', ',', '（', '(']) {
        return false;
    }
    if t.starts_with(|c: char| c.is_ascii_digit()) || t.contains("单位") {
        return false;
    }
    // The heading must look cut: in wrapped dumps, longer than half the wrap width; otherwise long.
    let title_len = title.chars().count();
    match lines.style {
        TextStyle::Wrapped if lines.wrap_width > 0 => title_len * 2 >= lines.wrap_width.max(16),
        _ => title_len >= 18 && n <= 8,
    }
}

#[derive(Default)]
struct Builder {
    sections: Vec<Section>,
    /// Open sections, outermost first: (section index, last child number per level 1..=5).
    stack: Vec<(usize, [u32; 6])>,
    /// Last number seen per level at the top (no open parent).
    top_last: [u32; 6],
    /// Each section's own text so far, and whether it has a line yet.
    text_of: Vec<(String, bool)>,
}

impl Builder {
    fn last_sibling_number(&self, level: u8) -> u32 {
        // The parent is the innermost open section with a lower level.
        for (idx, last) in self.stack.iter().rev() {
            if self.sections[*idx].level < level {
                return last[level as usize];
            }
        }
        self.top_last[level as usize]
    }

    fn push_front_matter(&mut self, lines: &[&Line]) {
        self.sections.push(Section {
            id: 0,
            parent: None,
            level: 0,
            label: String::new(),
            number: 0,
            title: "(front matter)".into(),
            path: String::new(),
            text: String::new(),
            line_start: lines[0].no,
            heading_end: lines[0].no,
            line_end: lines[lines.len() - 1].no,
            page_start: None,
            page_end: None,
        });
        let text = lines
            .iter()
            .map(|l| strip_markup(&l.text))
            .collect::<Vec<_>>()
            .join("\n");
        self.text_of.push((text, true));
    }

    fn open(&mut self, c: Candidate, heading_lines: &[Line]) {
        let level = c.label.level;
        let start = heading_lines[0].no;
        while let Some(&(idx, _)) = self.stack.last() {
            if self.sections[idx].level >= level {
                self.stack.pop();
                self.finish(idx);
            } else {
                break;
            }
        }
        let parent = self.stack.last().map(|&(idx, _)| idx);
        match self.stack.last_mut() {
            Some((_, last)) => last[level as usize] = c.label.number,
            None => self.top_last[level as usize] = c.label.number,
        }
        let path = match parent {
            Some(p) => format!("{} > {}", self.sections[p].path, c.label.text),
            None => c.label.text.clone(),
        };
        let id = self.sections.len();
        self.sections.push(Section {
            id: id as u32,
            parent: parent.map(|p| p as u32),
            level,
            label: c.label.text,
            number: c.label.number,
            title: c.title,
            path,
            text: String::new(),
            line_start: start,
            heading_end: heading_lines[heading_lines.len() - 1].no,
            line_end: heading_lines[heading_lines.len() - 1].no,
            page_start: None,
            page_end: None,
        });
        self.text_of.push((String::new(), false));
        let end = self.sections[id].line_end;
        for &(open, _) in &self.stack {
            self.sections[open].line_end = end;
        }
        self.stack.push((id, [0; 6]));
    }

    /// Add a line (number `no`, text without markup) to the innermost open section.
    fn add_text(&mut self, no: u32, raw: &str) {
        if let Some(&(idx, _)) = self.stack.last() {
            let (text, started) = &mut self.text_of[idx];
            if *started {
                text.push('\n');
            }
            text.push_str(raw);
            *started = true;
            for &(open, _) in &self.stack {
                self.sections[open].line_end = no;
            }
        }
    }

    fn finish(&mut self, idx: usize) {
        self.sections[idx].text = std::mem::take(&mut self.text_of[idx].0);
    }

    fn close_all(&mut self) {
        while let Some((idx, _)) = self.stack.pop() {
            self.finish(idx);
        }
        if let Some(front) = self.sections.first_mut().filter(|s| s.level == 0) {
            front.text = std::mem::take(&mut self.text_of[0].0);
        }
    }
}

/// Set each section's first and last page from the pages of its lines (PDF input).
pub fn assign_pages(sections: &mut [Section], layout: &[crate::layout::LayoutLine]) {
    if layout.iter().all(|l| l.page.is_none()) {
        return;
    }
    let page_of = |no: u32| -> Option<u32> {
        let i = layout.partition_point(|l| l.no < no);
        layout
            .get(i)
            .filter(|l| l.no == no)
            .and_then(|l| l.page)
            .or_else(|| i.checked_sub(1).and_then(|j| layout[j].page))
    };
    for s in sections.iter_mut() {
        s.page_start = page_of(s.line_start);
        s.page_end = page_of(s.line_end);
    }
}
