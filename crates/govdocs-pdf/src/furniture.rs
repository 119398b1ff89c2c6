//! Page furniture: page numbers and running headers/footers.

use std::collections::HashMap;

use crate::Page;

/// Fraction of the page height at the top and at the bottom where furniture may sit.
const EDGE: f32 = 0.10;
/// How many lines from the top or bottom of a page are looked at.
const EDGE_LINES: usize = 2;
/// Baseline tolerance (points) for "the same place" on different pages.
const SAME_Y: f32 = 3.0;

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '－' | '﹣' | '·' | '•'
    )
}

fn all_digits(s: &str, max: usize) -> bool {
    !s.is_empty() && s.len() <= max && s.chars().all(|c| c.is_ascii_digit())
}

/// Whether `text` is only a page number: `3`, `- 3 -`, `—3—`, `第 3 页`, `第3页 共26页`, `3/26`, `Page 3`.
pub(crate) fn is_page_number(text: &str) -> bool {
    let s: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '／' => '/',
            _ => c,
        })
        .collect();
    let t = s.trim_matches(is_dash);
    if all_digits(t, if t.len() < s.len() { 4 } else { 3 }) {
        return true;
    }
    let s = t;
    if let Some((a, b)) = s.split_once('/') {
        return all_digits(a, 4) && all_digits(b, 4);
    }
    let lower = s.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page") {
        let rest = rest.split("of").collect::<Vec<_>>();
        return rest.len() <= 2 && rest.iter().all(|p| all_digits(p, 4));
    }
    // 第3页, 第3页共26页, 共26页第3页, 第3页/共26页
    let mut rest = s;
    let mut parts = 0;
    while !rest.is_empty() {
        rest = rest.trim_start_matches([',', '，', '/', ' ']);
        let Some(r) = rest.strip_prefix('第').or_else(|| rest.strip_prefix('共')) else {
            return false;
        };
        let digits: String = r.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !all_digits(&digits, 4) {
            return false;
        }
        let r = &r[digits.len()..];
        let Some(r) = r.strip_prefix('页') else {
            return false;
        };
        rest = r;
        parts += 1;
    }
    parts > 0
}

/// Page width and height, rounded: pages of one size are compared with each other.
type SizeKey = (i64, i64);

/// Share of the page height at the top and bottom where a decorated page number (`— 18 —`,
/// `第 3 页`, `3/26`: not a bare number) may stand; landscape table pages often print it there.
const NUMBER_EDGE: f32 = 0.15;

fn in_edge(page: &Page, y: f32) -> bool {
    within(page, y, EDGE)
}

fn within(page: &Page, y: f32, edge: f32) -> bool {
    y < page.height * edge || y > page.height * (1.0 - edge)
}

/// Indices of the lines near the top and bottom edge of a page.
fn edge_lines(page: &Page) -> Vec<usize> {
    let n = page.lines.len();
    let mut idx: Vec<usize> = (0..n.min(EDGE_LINES)).collect();
    idx.extend(n.saturating_sub(EDGE_LINES).max(EDGE_LINES.min(n))..n);
    idx.retain(|&i| within(page, page.lines[i].y, NUMBER_EDGE));
    idx
}

/// Remove page furniture from every page.
///
/// A line goes when it is among the two topmost or bottommost lines of its page and either is
/// only a page number within the top or bottom 10 % of the page (`3`), or 15 % when decorated
/// (`- 3 -`, `第 3 页`, `3/26`), or sits within the top or bottom 10 % and repeats with the same text at the same height (±3 pt) on at least half of
/// the pages of the same size (and on at least three pages) in a font no larger than the
/// document's median line size (so a table title repeated on each page stays).
pub fn strip_page_furniture(pages: &mut [Page]) {
    // Text → pages (index, y, size key) where it occurs in an edge zone.
    let size_key = |p: &Page| ((p.width.round() as i64), (p.height.round() as i64));
    let mut pages_per_size: HashMap<(i64, i64), usize> = HashMap::new();
    for p in pages.iter() {
        *pages_per_size.entry(size_key(p)).or_default() += 1;
    }
    let mut seen: HashMap<(String, SizeKey), Vec<(usize, f32)>> = HashMap::new();
    for (pi, p) in pages.iter().enumerate() {
        for li in edge_lines(p) {
            let line = &p.lines[li];
            if !in_edge(p, line.y) {
                continue;
            }
            seen.entry((line.text(" "), size_key(p)))
                .or_default()
                .push((pi, line.y));
        }
    }
    // Running headers and footers are set no larger than body text; titles that a long table
    // repeats at the top of its pages are larger and stay.
    let mut sizes: Vec<f32> = pages
        .iter()
        .flat_map(|p| p.lines.iter().map(|l| l.size))
        .collect();
    sizes.sort_by(f32::total_cmp);
    let body_size = sizes.get(sizes.len() / 2).copied().unwrap_or(f32::MAX);
    let mut remove: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    for (pi, p) in pages.iter().enumerate() {
        for li in edge_lines(p) {
            let line = &p.lines[li];
            let text = line.text(" ");
            if is_page_number(&text)
                && (in_edge(p, line.y) || text.chars().any(|c| !c.is_ascii_digit()))
            {
                remove[pi].push(li);
                continue;
            }
            if !in_edge(p, line.y) {
                continue;
            }
            let key = (text, size_key(p));
            let Some(occ) = seen.get(&key) else { continue };
            let mut on_pages: Vec<usize> = occ
                .iter()
                .filter(|(_, y)| (y - line.y).abs() <= SAME_Y)
                .map(|(i, _)| *i)
                .collect();
            on_pages.dedup();
            let total = pages_per_size.get(&key.1).copied().unwrap_or(1);
            if on_pages.len() >= 3 && on_pages.len() * 2 >= total && line.size <= body_size * 1.05 {
                remove[pi].push(li);
            }
        }
    }
    for (p, rm) in pages.iter_mut().zip(remove) {
        if rm.is_empty() {
            continue;
        }
        let mut i = 0;
        p.lines.retain(|_| {
            let keep = !rm.contains(&i);
            i += 1;
            keep
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{TextLine, TextSpan};

    #[test]
    fn page_numbers() {
        for t in [
            "3",
            "- 3 -",
            "—3—",
            "－ 12 －",
            "第 3 页",
            "第3页 共26页",
            "3/26",
            "3 / 26",
            "Page 3",
            "共 26 页 第 3 页",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in [
            "2019",
            "一、收入",
            "3 万元",
            "第三部分",
            "12,345.00",
            "第 3 条",
            "",
        ] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    fn line(y: f32, text: &str) -> TextLine {
        TextLine {
            y,
            size: 10.0,
            spans: vec![TextSpan {
                text: text.into(),
                x0: 100.0,
                x1: 200.0,
            }],
        }
    }

    fn page(n: u32, lines: Vec<TextLine>) -> Page {
        Page {
            number: n,
            width: 595.0,
            height: 842.0,
            rotation: 0,
            lines,
            rules: vec![],
            n_images: 0,
            image_cover: 0.0,
        }
    }

    #[test]
    fn strips_numbers_and_running_headers() {
        let mut pages: Vec<Page> = (1..=4)
            .map(|n| {
                page(
                    n,
                    vec![
                        line(40.0, "某某局2019年部门预算"),
                        line(100.0, "正文"),
                        line(400.0, "合计"),
                        line(800.0, &format!("- {n} -")),
                    ],
                )
            })
            .collect();
        strip_page_furniture(&mut pages);
        for p in &pages {
            let texts: Vec<String> = p.lines.iter().map(|l| l.text(" ")).collect();
            assert_eq!(texts, vec!["正文", "合计"]);
        }
    }

    /// A landscape table page printing its number at 88 % of the height (chongqing-01 of the
    /// corpus prints `— 18 —` there): a decorated number goes, a bare number that high stays
    /// (it may be a table's last amount).
    #[test]
    fn decorated_page_number_low_on_the_page_goes() {
        let mut p = page(1, vec![line(100.0, "合计"), line(525.0, "— 18 —")]);
        p.width = 842.0;
        p.height = 595.0;
        let mut q = p.clone();
        q.lines[1] = line(525.0, "18");
        let mut pages = vec![p, q];
        strip_page_furniture(&mut pages);
        assert_eq!(pages[0].lines.len(), 1);
        assert_eq!(pages[1].lines.len(), 2);
    }

    #[test]
    fn repeated_large_title_stays() {
        let mut pages: Vec<Page> = (1..=4)
            .map(|n| {
                let mut title = line(40.0, "支出决算表");
                title.size = 18.0;
                page(n, vec![title, line(100.0, "正文"), line(400.0, "合计")])
            })
            .collect();
        strip_page_furniture(&mut pages);
        assert!(pages.iter().all(|p| p.lines.len() == 3));
    }
}
