//! Glyphs to lines and spans.

use crate::{Glyph, Rule, TextLine, TextSpan};

/// Default span-splitting gap, as a multiple of the font size (see [`layout_lines`]).
pub const SPAN_GAP: f32 = 0.8;

/// Gap (× font size) between two non-CJK glyphs read as a word space.
const WORD_GAP: f32 = 0.2;

/// Baseline tolerance (× font size) for glyphs of one line.
const BASELINE_TOL: f32 = 0.3;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
        | 0x3200..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// Whether a vertical rule stands between `left` and `right` across baseline `y`.
fn rule_between(vrules: &[Rule], left: &Glyph, right: &Glyph, y: f32, size: f32) -> bool {
    let lo = (left.x0 + left.x1) / 2.0;
    let hi = (right.x0 + right.x1) / 2.0;
    if hi <= lo {
        return false;
    }
    let start = vrules.partition_point(|r| r.x1 < lo);
    vrules[start..].iter().take_while(|r| r.x0 <= hi).any(|r| {
        let cx = (r.x0 + r.x1) / 2.0;
        cx > lo && cx < hi && r.crosses_line(y, size)
    })
}

/// Group glyphs into lines by baseline and split each line into spans.
///
/// Lines run top to bottom, spans and glyphs left to right. A span ends where the horizontal
/// gap between two glyphs exceeds `gap_factor` × the font size, or where a vertical ruling
/// line stands between them. Inside a span, an explicit space glyph or a gap of more than
/// 0.2 × the font size between two non-CJK glyphs becomes one space. A glyph drawn twice at
/// (almost) the same place, as Word does for simulated bold, is kept once.
pub fn layout_lines(glyphs: &[Glyph], rules: &[Rule], gap_factor: f32) -> Vec<TextLine> {
    let mut order: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| g.x0.is_finite() && g.x1.is_finite() && g.y.is_finite() && g.size > 0.0)
        .collect();
    order.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));

    // Vertical rules, sorted by x.
    let mut vrules: Vec<Rule> = rules.iter().filter(|r| r.is_vertical()).copied().collect();
    vrules.sort_by(|a, b| a.x0.total_cmp(&b.x0));

    // Cluster by baseline.
    let mut clusters: Vec<Vec<&Glyph>> = Vec::new();
    let mut line_y = f32::NAN;
    let mut line_size = 0.0f32;
    for g in order {
        let tol = BASELINE_TOL * g.size.min(line_size.max(g.size * 0.5)).max(1.0);
        if clusters.is_empty() || g.y - line_y > tol {
            clusters.push(Vec::new());
            line_y = g.y;
            line_size = g.size;
        }
        if let Some(c) = clusters.last_mut() {
            c.push(g);
        }
        if !is_blank(g.ch) {
            line_size = line_size.max(g.size);
        }
    }

    let mut lines = Vec::with_capacity(clusters.len());
    for mut cluster in clusters {
        cluster.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        // Drop simulated-bold duplicates.
        let mut kept: Vec<&Glyph> = Vec::with_capacity(cluster.len());
        for g in cluster {
            let dup = kept.iter().rev().take(4).any(|k| {
                k.ch == g.ch
                    && (k.x0 - g.x0).abs() < 0.25 * g.size
                    && (k.y - g.y).abs() < 0.25 * g.size
            });
            if !dup {
                kept.push(g);
            }
        }
        let solid: Vec<&Glyph> = kept.iter().copied().filter(|g| !is_blank(g.ch)).collect();
        if solid.is_empty() {
            continue;
        }
        let mut sizes: Vec<f32> = solid.iter().map(|g| g.size).collect();
        sizes.sort_by(f32::total_cmp);
        let size = sizes[sizes.len() / 2];
        let y = solid.iter().map(|g| g.y).sum::<f32>() / solid.len() as f32;

        let mut spans: Vec<TextSpan> = Vec::new();
        let mut prev: Option<&Glyph> = None;
        let mut space_seen = false;
        for g in kept {
            if is_blank(g.ch) {
                if prev.is_some() {
                    space_seen = true;
                }
                continue;
            }
            match prev {
                None => spans.push(TextSpan {
                    text: g.ch.to_string(),
                    x0: g.x0,
                    x1: g.x1,
                }),
                Some(p) => {
                    let gsize = g.size.max(p.size);
                    let gap = g.x0 - p.x1;
                    let split = gap > gap_factor * gsize || rule_between(&vrules, p, g, y, gsize);
                    if split {
                        spans.push(TextSpan {
                            text: g.ch.to_string(),
                            x0: g.x0,
                            x1: g.x1,
                        });
                    } else if let Some(span) = spans.last_mut() {
                        let word_gap = gap > WORD_GAP * gsize && !is_cjk(p.ch) && !is_cjk(g.ch);
                        if (space_seen || word_gap) && !span.text.ends_with(' ') {
                            span.text.push(' ');
                        }
                        span.text.push(g.ch);
                        span.x1 = span.x1.max(g.x1);
                    }
                }
            }
            prev = Some(g);
            space_seen = false;
        }
        lines.push(TextLine { y, size, spans });
    }
    lines.sort_by(|a, b| a.y.total_cmp(&b.y));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str, x: f32, y: f32, size: f32, advance: f32) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, ch)| Glyph {
                ch,
                x0: x + i as f32 * advance,
                x1: x + i as f32 * advance + advance,
                y,
                size,
            })
            .collect()
    }

    fn texts(lines: &[TextLine]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.text.clone()).collect())
            .collect()
    }

    #[test]
    fn cells_split_and_lines_sort() {
        let mut g = glyphs("1,234.56", 300.0, 100.0, 10.0, 5.0);
        g.extend(glyphs("收入合计", 50.0, 100.5, 10.0, 10.0));
        g.extend(glyphs("78.00", 400.0, 99.8, 10.0, 5.0));
        g.extend(glyphs("标题", 50.0, 60.0, 16.0, 16.0));
        let lines = layout_lines(&g, &[], SPAN_GAP);
        assert_eq!(
            texts(&lines),
            vec![vec!["标题"], vec!["收入合计", "1,234.56", "78.00"]]
        );
    }

    #[test]
    fn rule_splits_close_cells() {
        let mut g = glyphs("18,330.37", 100.0, 100.0, 10.0, 5.0);
        g.extend(glyphs("一、支出", 147.0, 100.0, 10.0, 10.0));
        let rule = Rule {
            x0: 145.5,
            y0: 85.0,
            x1: 146.0,
            y1: 105.0,
        };
        let joined = layout_lines(&g, &[], SPAN_GAP);
        assert_eq!(texts(&joined), vec![vec!["18,330.37一、支出"]]);
        let split = layout_lines(&g, &[rule], SPAN_GAP);
        assert_eq!(texts(&split), vec![vec!["18,330.37", "一、支出"]]);
    }

    #[test]
    fn word_spaces_and_bold_duplicates() {
        let mut g = glyphs("ab", 10.0, 50.0, 10.0, 5.0);
        g.extend(glyphs("cd", 23.0, 50.0, 10.0, 5.0));
        g.extend(glyphs("合计", 50.0, 50.0, 10.0, 10.0));
        g.extend(glyphs("合计", 50.3, 50.0, 10.0, 10.0));
        let lines = layout_lines(&g, &[], SPAN_GAP);
        assert_eq!(texts(&lines), vec![vec!["ab cd", "合计"]]);
    }
}
