//! Ruled tables of a PDF page read as a grid of cells: where the vertical rules drawn across
//! consecutive lines outline the same table, every such line becomes a row of cells (one per
//! column the rules cut, empty ones kept), each text placed in the column its ruled cell starts
//! in, exactly as a spreadsheet's tab dump prints a merged cell: its text in the first column,
//! empty cells after. The table rules of `govdocs-core` then read the row as they read a tab
//! dump's.

use govdocs_core::layout::{Grid, LayoutLine, Span};

/// Rule positions closer than this (points) are one rule (a cell border drawn twice).
const SAME_RULE: f32 = 1.5;

/// Fewest rules crossing a line for it to be a row of a ruled table (two cells).
const MIN_RULES: usize = 3;

/// The x of the vertical rules crossing a line, merged within [`SAME_RULE`], left to right.
pub fn crossing(vrules: &[govdocs_pdf::Rule], y: f32, size: f32) -> Vec<f32> {
    let mut xs: Vec<f32> = vrules
        .iter()
        .filter(|r| r.crosses_line(y, size))
        .map(|r| (r.x0 + r.x1) / 2.0)
        .collect();
    xs.sort_by(f32::total_cmp);
    merge_close(xs)
}

fn merge_close(xs: Vec<f32>) -> Vec<f32> {
    let mut out: Vec<f32> = Vec::with_capacity(xs.len());
    for x in xs {
        match out.last() {
            Some(&l) if x - l < SAME_RULE => {}
            _ => out.push(x),
        }
    }
    out
}

/// Whether a line is a row of a ruled table: enough rules cross it and every span stands
/// between its outermost rules.
fn is_ruled_row(line: &LayoutLine, xs: &[f32], size: f32) -> bool {
    if xs.len() < MIN_RULES || line.spans.is_empty() {
        return false;
    }
    let (lo, hi) = (xs[0] - 0.3 * size, xs[xs.len() - 1] + 0.3 * size);
    line.spans
        .iter()
        .all(|s| (s.x0 + s.x1) / 2.0 > lo && (s.x0 + s.x1) / 2.0 < hi)
}

/// Whether the vertical rules at `x` run unbroken from the line on baseline `ya` (font `sa`)
/// down to the one on `yb` (font `sb`): rows of one table, not of two tables printed one under
/// the other with the same outer edges. Segments that meet within 1 pt are one rule (a border
/// drawn cell by cell).
fn rule_runs_between(
    vrules: &[govdocs_pdf::Rule],
    x: f32,
    ya: f32,
    sa: f32,
    yb: f32,
    sb: f32,
) -> bool {
    let mut segments: Vec<(f32, f32)> = vrules
        .iter()
        .filter(|r| ((r.x0 + r.x1) / 2.0 - x).abs() < SAME_RULE)
        .map(|r| (r.y0, r.y1))
        .collect();
    segments.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut reach, end) = (ya - 0.6 * sa, yb - 0.2 * sb);
    for (y0, y1) in segments {
        if y0 > reach + 1.0 {
            break;
        }
        reach = reach.max(y1);
        if reach >= end {
            return true;
        }
    }
    reach >= end
}

/// Turn the ruled rows of one page's lines into rows of cells. `xs[i]` and `sizes[i]` are the
/// rules crossing `lines[i]` and its font size. Consecutive ruled rows whose outermost rules
/// agree and run unbroken between them form one table; its columns are cut by every rule any
/// of its rows has. Whether any row was turned.
pub fn cells_of_page(
    lines: &mut [LayoutLine],
    xs: &[Vec<f32>],
    sizes: &[f32],
    vrules: &[govdocs_pdf::Rule],
    hrules: &[govdocs_pdf::Rule],
) -> bool {
    let mut any = false;
    let mut i = 0;
    while i < lines.len() {
        if !is_ruled_row(&lines[i], &xs[i], sizes[i]) {
            i += 1;
            continue;
        }
        let (lo, hi) = (xs[i][0], *xs[i].last().unwrap());
        let mut j = i + 1;
        while j < lines.len()
            && is_ruled_row(&lines[j], &xs[j], sizes[j])
            && (xs[j][0] - lo).abs() < 3.0
            && (xs[j].last().unwrap() - hi).abs() < 3.0
            && match (lines[j - 1].y, lines[j].y) {
                (Some(ya), Some(yb)) => {
                    rule_runs_between(vrules, lo, ya, sizes[j - 1], yb, sizes[j])
                }
                _ => true,
            }
        {
            j += 1;
        }
        let mut all: Vec<f32> = xs[i..j].iter().flatten().copied().collect();
        all.sort_by(f32::total_cmp);
        let columns = merge_close(all);
        for k in i..j {
            to_cells(&mut lines[k], &xs[k], &columns, sizes[k]);
        }
        join_wrapped(&mut lines[i..j], &sizes[i..j], hrules, &columns);
        any = true;
        i = j;
    }
    any
}

/// One ruled row as cells over `columns` (the table's rule positions).
fn to_cells(line: &mut LayoutLine, xs: &[f32], columns: &[f32], size: f32) {
    let n = columns.len() - 1;
    let mut cells: Vec<String> = vec![String::new(); n];
    let column_at = |x: f32| {
        columns
            .iter()
            .rposition(|&c| c <= x + SAME_RULE)
            .unwrap_or(0)
            .min(n - 1)
    };
    for s in &line.spans {
        // The ruled cell of this line round the span's start (text overrunning a border
        // belongs where it starts; a right-aligned amount a little past its left border too).
        let mid = (s.x0 + s.x1) / 2.0;
        let start = if s.x1 - s.x0 > 0.0 && xs.iter().any(|&x| x > s.x0 + 0.3 * size && x < mid) {
            s.x0 + 0.3 * size
        } else {
            mid
        };
        let left = xs
            .iter()
            .rev()
            .find(|&&x| x <= start)
            .copied()
            .unwrap_or(xs[0]);
        let c = column_at(left);
        let cell = &mut cells[c];
        if !cell.is_empty() {
            let glue = cell.ends_with(|ch: char| ch.is_ascii_digit() || ch == ',' || ch == '.')
                && s.text
                    .starts_with(|ch: char| ch.is_ascii_digit() || ch == ',' || ch == '.');
            if !glue {
                cell.push(' ');
            }
        }
        cell.push_str(&s.text);
    }
    set_cells(line, cells);
}

/// Lines of one ruled row (no horizontal rule across the table between them: a cell's text
/// wrapped over lines, `机关事业单位基本养老保险缴费` / `支出` round a code printed once) become
/// one row: the first line gets every line's cells joined, the others are emptied. Where rules
/// under some cells only part the row (a header: `科目编码` over `类 | 款 | 项`, `基本支出` over
/// `小计 | 人员支出 | 日常公用支出`, with `合计` and `项目支出` over both), each cell's text goes
/// to the sub-row its ruled cell starts in, as a spreadsheet prints a merged cell: in its top
/// row, however the print centred it.
fn join_wrapped(
    lines: &mut [LayoutLine],
    sizes: &[f32],
    hrules: &[govdocs_pdf::Rule],
    columns: &[f32],
) {
    let (x0, x1) = (columns[0], columns[columns.len() - 1]);
    let width = x1 - x0;
    // Horizontal rules across most of the table's width (segments at one height summed: a
    // border may be drawn cell by cell), top to bottom.
    let mut segs: Vec<(f32, f32)> = hrules
        .iter()
        .map(|r| ((r.y0 + r.y1) / 2.0, (r.x1.min(x1) - r.x0.max(x0)).max(0.0)))
        .filter(|&(_, w)| w > 0.0)
        .collect();
    segs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut ys: Vec<f32> = Vec::new();
    let mut k = 0;
    while k < segs.len() {
        let (y, mut covered) = segs[k];
        let mut m = k + 1;
        while m < segs.len() && segs[m].0 - y < SAME_RULE {
            covered += segs[m].1;
            m += 1;
        }
        if covered > 0.5 * width {
            ys.push(y);
        }
        k = m;
    }
    if ys.len() < 2 {
        return;
    }
    let top_of = |l: &LayoutLine, size: f32| l.y.unwrap_or_default() - 0.8 * size;
    // The lines above the first amount are the header: one band however many rules across
    // most of the width part its levels (`本年收入 | 上年结转结余` over their columns, with `合计`
    // beside them over both levels); each caption then goes to the level its cell starts in.
    let amount = |t: &str| {
        let digits = t.chars().filter(char::is_ascii_digit).count();
        digits > 0
            && t.chars()
                .all(|c| c.is_ascii_digit() || ",.-".contains(c) || c.is_whitespace())
            && (digits >= 3 || t.contains('.'))
    };
    let ruled_band = |l: &LayoutLine, size: f32| ys.partition_point(|&y| y < top_of(l, size));
    // The header ends where the ruled row of the first amount starts (a name wrapped above
    // its amounts, first on a continuation page, is that row's).
    let header_end = lines
        .iter()
        .position(|l| l.spans.iter().any(|s| amount(&s.text)))
        .map_or(0, |a| {
            let b = ruled_band(&lines[a], sizes[a]);
            (0..=a)
                .find(|&k| ruled_band(&lines[k], sizes[k]) == b)
                .unwrap_or(a)
        });
    let band = |k: usize, l: &LayoutLine, size: f32| {
        if k < header_end {
            0
        } else {
            1 + ruled_band(l, size)
        }
    };
    // The top of the ruled cell of column `c` round a line whose text starts at `top`: the
    // lowest rule above it across that column's middle.
    let cell_top = |c: usize, top: f32| {
        let mid = (columns[c] + columns[(c + 1).min(columns.len() - 1)]) / 2.0;
        hrules
            .iter()
            .filter(|r| r.x0 <= mid && r.x1 >= mid && (r.y0 + r.y1) / 2.0 < top)
            .map(|r| (r.y0 + r.y1) / 2.0)
            .fold(f32::MIN, f32::max)
    };
    // The bottom of that cell round a line on baseline `base`: the highest rule below it.
    let cell_bottom = |c: usize, base: f32| {
        let mid = (columns[c] + columns[(c + 1).min(columns.len() - 1)]) / 2.0;
        hrules
            .iter()
            .filter(|r| r.x0 <= mid && r.x1 >= mid && (r.y0 + r.y1) / 2.0 > base)
            .map(|r| (r.y0 + r.y1) / 2.0)
            .fold(f32::MAX, f32::min)
    };
    let mut k = 0;
    while k < lines.len() {
        let b = band(k, &lines[k], sizes[k]);
        let mut m = k + 1;
        while m < lines.len() && band(m, &lines[m], sizes[m]) == b {
            m += 1;
        }
        if m - k > 1 {
            let n = lines[k].spans.len();
            // Every non-empty cell with the top and the bottom of its ruled cell.
            let mut placed: Vec<(f32, usize, String, f32)> = Vec::new();
            for (l, &size) in lines[k..m].iter().zip(&sizes[k..m]) {
                // The middle of the glyphs: a line's estimated top may reach above the
                // border of its cell (a row printed first on a page).
                let top = l.y.unwrap_or_default() - 0.5 * size;
                let base = l.y.unwrap_or_default();
                for (c, s) in l.spans.iter().enumerate().take(n) {
                    if !s.text.is_empty() {
                        placed.push((cell_top(c, top), c, s.text.clone(), cell_bottom(c, base)));
                    }
                }
            }
            let mut tops: Vec<f32> = Vec::new();
            for p in &placed {
                if !tops.iter().any(|&t| (t - p.0).abs() < SAME_RULE) {
                    tops.push(p.0);
                }
            }
            tops.sort_by(f32::total_cmp);
            if tops.len() > m - k {
                tops.truncate(1);
            }
            let row_of = |t: f32| tops.iter().rposition(|&x| x <= t + SAME_RULE).unwrap_or(0);
            let mut rows: Vec<Vec<String>> = vec![vec![String::new(); n]; m - k];
            let mut spans: Vec<(usize, usize, f32)> = Vec::new(); // (row, column, cell bottom)
            for (t, c, text, bottom) in placed {
                let r = row_of(t);
                let cell = &mut rows[r][c];
                let cjk = |ch: char| ch > '\u{2E80}';
                if !(cell.is_empty() || cell.ends_with(cjk) && text.starts_with(cjk)) {
                    cell.push(' ');
                }
                cell.push_str(&text);
                spans.push((r, c, bottom));
            }
            // A caption whose ruled cell reaches down over lower levels (`合计` beside `小计 |
            // 人员支出`) is printed in each of them, as the levels' own captions are: an empty
            // cell there is the same cell, not a lost caption nor part of its left neighbour.
            if tops.len() > 1 {
                for (r, c, bottom) in spans {
                    for lower in r + 1..tops.len() {
                        if tops[lower] < bottom - SAME_RULE && rows[lower][c].is_empty() {
                            rows[lower][c] = rows[r][c].clone();
                        }
                    }
                }
            }
            for (l, cells) in lines[k..m].iter_mut().zip(rows) {
                set_cells(l, cells);
            }
        }
        k = m;
    }
}

/// Put `cells` into a line as its tab-separated text and cell spans.
fn set_cells(line: &mut LayoutLine, cells: Vec<String>) {
    line.text = cells.join("\t");
    line.spans = cells
        .into_iter()
        .enumerate()
        .map(|(i, t)| Span {
            text: t,
            x0: i as f32,
            x1: i as f32 + 1.0,
        })
        .collect();
    line.grid = Grid::Cells;
}
