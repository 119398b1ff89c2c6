//! Find table regions: a title line (year + standard name, `（表1）`), its code line
//! (`公开01表`, `公开表7`, before or after the title), up to the next table or body heading.

use crate::headings::is_candidate;
use crate::layout::{Grid, LayoutLine};
use crate::lines::squash_joined;
use crate::sections::Outline;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Where a table lies in the document's layout lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Index of the first line (the code line when it precedes the title).
    pub start: usize,
    /// Index of the title line.
    pub title_at: usize,
    /// Index one past the last line.
    pub end: usize,
    /// The title, stray spaces removed.
    pub title: String,
    /// The normalised table code, if printed.
    pub code: Option<String>,
}

static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    // `…表`, `…表（表1）`, `…表（一）`, `…表（功能科目）`,
    // `…明细表 （按支出功能分类科目 -不含上年结转）`
    Regex::new(r"表\s*(?:[（(][^（()）]{1,24}[)）])?\s*$").unwrap()
});
static TITLE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"决算|预算|绩效|自评|经费|收入|支出|收支|采购|购买服务|申报").unwrap()
});
static CODE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // `公开01表`, `公开表一`, `表1`, `表一`, `部门公开表1`, `预算01表`, `单位预算01表`,
    // `预算表 12`, `（预算表 1）`, `附表14`.
    Regex::new(
        r"^[（(]?(?:(公开|(?:部门|单位)(?:公开|预算|决算)|预算|决算)([0-9]{1,2})表|((?:部门|单位)?(?:公开|预算|决算)|附)?表([0-9]{1,2}|[一二三四五六七八九十]{1,3}))[)）]?$",
    )
    .unwrap()
});
static TITLE_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[（(]\s*表\s*([0-9]+)\s*[)）]").unwrap());

/// The text of a line for title and code matching: a tabbed line with one non-empty cell is
/// that cell; stray spaces between CJK characters are removed.
pub fn line_text(l: &LayoutLine) -> String {
    if !l.split {
        // The spans to be are the line's text cut at whitespace: squashed alike.
        return crate::lines::squash_cjk_spaces(&l.text);
    }
    // The squashed text is at most as long as the line's text, for text input.
    squash_joined(
        l.spans
            .iter()
            .map(|s| s.text.as_str())
            .filter(|t| !t.is_empty()),
        l.text.len(),
    )
}

/// [`line_text`] without the unreadable glyphs some fonts print after a title (`…总表\u{FFFD}`).
pub fn title_text(l: &LayoutLine) -> String {
    let t = line_text(l);
    let kept = t.trim_end_matches(['\u{FFFD}', ' ']).len();
    if kept == t.len() {
        t
    } else {
        t[..kept].to_string()
    }
}

/// The normalised table code a line holds, if the line is only a code (`公开 01 表` → `公开01表`).
pub fn code_of_line(l: &LayoutLine) -> Option<String> {
    code_of_text(&line_text(l))
}

/// [`code_of_line`] given the line's [`line_text`].
pub fn code_of_text(text: &str) -> Option<String> {
    // Every code line holds 表.
    if !text.contains('表') {
        return None;
    }
    let t = crate::normalize::fold_cell(text).replace(' ', "");
    let c = CODE_LINE.captures(&t)?;
    if let (Some(p), Some(n)) = (c.get(1), c.get(2)) {
        Some(format!("{}{:0>2}表", p.as_str(), n.as_str()))
    } else {
        let p = c.get(3).map_or("", |p| p.as_str());
        c.get(4).map(|n| format!("{p}表{}", n.as_str()))
    }
}

/// Whether a line is a table title.
pub fn is_title(l: &LayoutLine) -> bool {
    // Every title ends in `表`: most lines are ruled out before their text is normalised.
    if !l.mentions('表') {
        return false;
    }
    // A tabbed row with several filled cells is a table row, not a title.
    if l.grid == Grid::Cells && l.texts().len() > 2 {
        return false;
    }
    let t = title_text(l);
    let n = t.chars().count();
    (4..=60).contains(&n)
        && TITLE.is_match(&t)
        && TITLE_WORDS.is_match(&t)
        && !t.contains(['。', '，', '；', ':', '：'])
        && !is_candidate(&t)
        && !t.starts_with(['-', '—'])
        && code_of_text(&t).is_none()
}

/// The title two lines make when a title wraps inside its closing note: the first line holds
/// `表（` (or `表(`) with the note unclosed, the second, short, closes it.
fn wrapped_title(a: &LayoutLine, b: &LayoutLine) -> Option<String> {
    if !a.mentions('表') || a.grid == Grid::Cells && a.texts().len() > 2 {
        return None;
    }
    let ta = line_text(a);
    let open = ta.rfind(['（', '('])?;
    if !ta[..open].trim_end().ends_with('表') || ta[open..].contains(['）', ')']) {
        return None;
    }
    let tb = title_text(b);
    if tb.chars().count() > 20 || !tb.ends_with(['）', ')']) || tb.contains(['（', '(']) {
        return None;
    }
    let t = format!("{ta}{tb}");
    let n = t.chars().count();
    ((4..=80).contains(&n)
        && TITLE_WORDS.is_match(&t)
        && !t.contains(['。', '，', '；', ':', '：']))
    .then_some(t)
}

/// Find the table regions of a document's body.
pub fn regions(lines: &[LayoutLine], outline: &Outline) -> Vec<Region> {
    let toc = outline.toc;
    let in_toc = |no: u32| toc.is_some_and(|t| no >= t.line_start && no <= t.line_end);
    let headings: Vec<(u32, u32)> = outline
        .sections
        .iter()
        .filter(|s| s.level > 0)
        .map(|s| (s.line_start, s.heading_end))
        .collect();
    // Heading lines and heading starts, looked up by line number.
    let max_no = lines.iter().map(|l| l.no).max().unwrap_or(0) as usize;
    let mut heading_line = vec![false; max_no + 1];
    let mut heading_start = vec![false; max_no + 1];
    for &(a, b) in &headings {
        if let Some(s) = heading_start.get_mut(a as usize) {
            *s = true;
        }
        for no in a..=b.min(max_no as u32) {
            heading_line[no as usize] = true;
        }
    }
    let is_heading_line = |no: u32| heading_line.get(no as usize).copied().unwrap_or(false);
    let mut titles: Vec<usize> = (0..lines.len())
        .filter(|&i| !in_toc(lines[i].no) && !is_heading_line(lines[i].no) && is_title(&lines[i]))
        .collect();
    // A title printed twice in a row (a converter artefact) is one title: keep the second.
    titles = titles
        .iter()
        .enumerate()
        .filter(|&(k, &i)| {
            titles
                .get(k + 1)
                .is_none_or(|&j| j != i + 1 || line_text(&lines[j]) != line_text(&lines[i]))
        })
        .map(|(_, &i)| i)
        .collect();
    // A title wrapped over two lines (`…支出明细表（按支出功能分类科` / `目-不含上年结转）`):
    // the region's title line is its second line.
    let mut joined: HashMap<usize, String> = HashMap::new();
    for i in 0..lines.len().saturating_sub(1) {
        if in_toc(lines[i].no) || is_heading_line(lines[i].no) || titles.binary_search(&i).is_ok() {
            continue;
        }
        if let Some(t) = wrapped_title(&lines[i], &lines[i + 1]) {
            joined.insert(i + 1, t);
        }
    }
    if !joined.is_empty() {
        titles.extend(joined.keys().copied());
        titles.sort_unstable();
        titles.dedup();
    }
    let first_line = |t: usize| t - usize::from(joined.contains_key(&t));
    let mut out: Vec<Region> = Vec::new();
    for (k, &t) in titles.iter().enumerate() {
        let title = joined
            .get(&t)
            .cloned()
            .unwrap_or_else(|| title_text(&lines[t]));
        let t0 = first_line(t);
        let mut start = t0;
        let mut code = TITLE_CODE
            .captures(&crate::normalize::fold_cell(&title))
            .map(|c| format!("表{}", &c[1]));
        // A code printed just before the title belongs to it (some layouts put it at the foot
        // of the previous page), unless it follows another title closely.
        if code.is_none() && t0 > 0 {
            if let Some(c) = code_of_line(&lines[t0 - 1]) {
                let prev_title_close = k > 0 && titles[k - 1] + 3 >= t0 - 1;
                if !prev_title_close {
                    code = Some(c);
                    start = t0 - 1;
                }
            }
        }
        let next_title = titles
            .get(k + 1)
            .map(|&n| first_line(n))
            .unwrap_or(lines.len());
        // The next table starts at its code line when that precedes its title.
        let next_start = if next_title < lines.len()
            && next_title > t + 1
            && code_of_line(&lines[next_title - 1]).is_some()
            && t + 3 < next_title - 1
        {
            next_title - 1
        } else {
            next_title
        };
        // The table ends at the next body heading, unless that "heading" is one of its rows
        // (`二、事业收入` of a summary table): its grand total row still follows, before any prose.
        let mut from = t + 1;
        let end = loop {
            let Some(h) = lines[from..next_start]
                .iter()
                .position(|l| heading_start.get(l.no as usize).copied().unwrap_or(false))
                .map(|p| from + p)
            else {
                break next_start;
            };
            match total_before_prose(&lines[h..next_start]) {
                Some(k) => from = h + k + 1,
                None => break h,
            }
        };
        if code.is_none() {
            code = lines[t + 1..end.min(t + 5)].iter().find_map(code_of_line);
        }
        if code.is_none() {
            // A code printed at the head of the title line (`预算01表 收支总表`, `表1 …`).
            code = title
                .split_whitespace()
                .next()
                .filter(|w| w.len() < title.len())
                .and_then(code_of_text);
        }
        out.push(Region {
            start,
            title_at: t,
            end,
            title,
            code,
        });
    }
    drop_title_lists(lines, out)
}

static GRAND_TOTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:收\s*入|支\s*出)?\s*[总合]\s*计").unwrap());

/// The index of a grand total row (`收入总计 … 128138,600`, `合计 186,549.30`) among `lines`
/// when one comes before any line of prose (a sentence ending in `。`), within 40 lines.
fn total_before_prose(lines: &[LayoutLine]) -> Option<usize> {
    for (k, l) in lines.iter().enumerate().take(40) {
        if l.text.contains('。') {
            return None;
        }
        let t = crate::lines::squash_cjk_spaces(&l.text);
        if GRAND_TOTAL.is_match(&t) && AMOUNT_OR_INT.is_match(&t) {
            return Some(k);
        }
    }
    None
}

static AMOUNT_OR_INT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9][0-9,]*(?:\.[0-9]+)?\s*$|[0-9]\s*\.\s*[0-9]").unwrap());

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9]\s*\.\s*[0-9]").unwrap());

/// Titles listed one after another with no amount between them are a list of the tables (a
/// contents page the outline did not mark, `表1 部门综合预算收支总表` / `表2 …`), not tables.
fn drop_title_lists(lines: &[LayoutLine], regions: Vec<Region>) -> Vec<Region> {
    let bare: Vec<bool> = regions
        .iter()
        .map(|r| {
            r.end <= r.title_at + 3
                && !lines[r.title_at + 1..r.end]
                    .iter()
                    .any(|l| AMOUNT.is_match(&l.text))
        })
        .collect();
    let n = regions.len();
    let joined: Vec<bool> = (0..n.saturating_sub(1))
        .map(|i| bare[i] && bare[i + 1] && regions[i].end >= regions[i + 1].start)
        .collect();
    let joined = |i: usize| joined[i];
    regions
        .into_iter()
        .enumerate()
        .filter(|&(i, _)| !((i > 0 && joined(i - 1)) || (i + 1 < n && joined(i))))
        .map(|(_, r)| r)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_styles_of_several_templates() {
        let cases = [
            ("公开 01 表", Some("公开01表")),
            ("公开表7", Some("公开表7")),
            ("公开表一", Some("公开表一")),
            ("表1", Some("表1")),
            ("表十一", Some("表十一")),
            ("部门公开表1", Some("部门公开表1")),
            ("预算01表", Some("预算01表")),
            ("单位预算09表", Some("单位预算09表")),
            ("预算表 12", Some("预算表12")),
            ("（预算表 1）", Some("预算表1")),
            ("附表14", Some("附表14")),
            ("收支总表", None),
            ("表格说明", None),
        ];
        for (t, want) in cases {
            assert_eq!(code_of_text(t).as_deref(), want, "{t}");
        }
    }
}
