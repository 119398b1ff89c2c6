//! Tesseract TSV words into positioned lines and spans.

use govdocs_pdf::{TextLine, TextSpan};

/// One recognised word of Tesseract's TSV output (level 5), in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Tesseract's block, paragraph and line numbers.
    pub line: (u32, u32, u32),
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
    /// Confidence, 0–100.
    pub conf: f32,
    /// The text.
    pub text: String,
    /// The reader knows this word starts a new span however close it is to the previous one.
    pub apart: bool,
}

/// The words of a TSV output, blank ones left out.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    tsv.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 12 || f[0] != "5" {
                return None;
            }
            let n = |i: usize| f[i].trim().parse::<f32>().ok();
            let text = f[11..].join("\t").trim().to_string();
            if text.is_empty() {
                return None;
            }
            Some(Word {
                line: (n(2)? as u32, n(3)? as u32, n(4)? as u32),
                left: n(6)?,
                top: n(7)?,
                width: n(8)?,
                height: n(9)?,
                conf: n(10)?,
                text,
                apart: false,
            })
        })
        .collect()
}

fn median(mut v: Vec<f32>) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// Share of the vertical extents `a` and `b` (top, bottom) that overlap, over the smaller one.
fn overlap(a: (f32, f32), b: (f32, f32)) -> f32 {
    let o = a.1.min(b.1) - a.0.max(b.0);
    let h = (a.1 - a.0).min(b.1 - b.0).max(1.0);
    o / h
}

/// Detect a page's small skew from the slope of its lines' word boxes and take it out:
/// every word's centre is turned by minus that angle about the page centre (`size`, pixels),
/// so the words of one printed row share a baseline again. The angle is the median over
/// lines of at least three words spanning ten character heights, of the least-squares slope
/// of the words' bottoms against their centres; angles under 0.05° or over 10° are left (not
/// a skew). Returns the angle taken out, in degrees (positive: the text ran downhill).
pub fn deskew(words: &mut [Word], size: (u32, u32)) -> f32 {
    let mut by_line: std::collections::BTreeMap<(u32, u32, u32), Vec<&Word>> =
        std::collections::BTreeMap::new();
    for w in words.iter() {
        by_line.entry(w.line).or_default().push(w);
    }
    let h = median(words.iter().map(|w| w.height).collect());
    let mut slopes = Vec::new();
    for ws in by_line.values() {
        if ws.len() < 3 {
            continue;
        }
        let xs: Vec<f32> = ws.iter().map(|w| w.left + w.width / 2.0).collect();
        let ys: Vec<f32> = ws.iter().map(|w| w.top + w.height).collect();
        let (lo, hi) = xs
            .iter()
            .fold((f32::MAX, f32::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        if hi - lo < 10.0 * h {
            continue;
        }
        let n = xs.len() as f32;
        let mx = xs.iter().sum::<f32>() / n;
        let my = ys.iter().sum::<f32>() / n;
        let sxy: f32 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        let sxx: f32 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
        if sxx > 0.0 {
            slopes.push(sxy / sxx);
        }
    }
    if slopes.len() < 3 {
        return 0.0;
    }
    let angle = median(slopes).atan();
    let deg = angle.to_degrees();
    if deg.abs() < 0.05 || deg.abs() > 10.0 {
        return 0.0;
    }
    let (cx, cy) = (size.0 as f32 / 2.0, size.1 as f32 / 2.0);
    let (s, c) = (-angle).sin_cos();
    for w in words.iter_mut() {
        let (x, y) = (w.left + w.width / 2.0 - cx, w.top + w.height / 2.0 - cy);
        w.left = cx + x * c - y * s - w.width / 2.0;
        w.top = cy + x * s + y * c - w.height / 2.0;
    }
    deg
}

/// Characters the `chi_sim` model confuses in this domain's words, with the word they belong
/// to: `支` read as `文` (`文出` is no word; `支出` is on every page of a budget), `表` as `舟`. Applied to the
/// text of spans, never to digits. Found by comparing made scans with their text layers.
pub const CONFUSIONS: &[(&str, &str)] =
    &[("文出", "支出"), ("收文预算", "收支预算"), ("总舟", "总表")];

/// A span's text with [`CONFUSIONS`] corrected.
pub fn correct(text: &str) -> String {
    CONFUSIONS
        .iter()
        .fold(text.to_string(), |t, (from, to)| t.replace(from, to))
}

/// Group words into text lines, top to bottom, with the lowest word confidence of each span.
///
/// Tesseract's lines (block, paragraph, line) whose heights overlap by half are one line: the
/// cells of a table row are often separate blocks. Within a line, adjacent words closer than
/// 0.6 × the line's character height are one span (Tesseract splits Chinese text into single
/// characters); wider gaps separate spans. Coordinates are multiplied by `scale` (pixels to
/// points).
pub fn lines_from_words(words: &[Word], scale: f32) -> Vec<(TextLine, Vec<f32>)> {
    // Tesseract lines with their vertical extents.
    type TessLine<'a> = ((u32, u32, u32), (f32, f32), Vec<&'a Word>);
    let mut tl: Vec<TessLine> = Vec::new();
    for w in words {
        match tl.iter_mut().find(|(k, _, _)| *k == w.line) {
            Some((_, ext, ws)) => {
                ext.0 = ext.0.min(w.top);
                ext.1 = ext.1.max(w.top + w.height);
                ws.push(w);
            }
            None => tl.push((w.line, (w.top, w.top + w.height), vec![w])),
        }
    }
    tl.sort_by(|a, b| (a.1 .0 + a.1 .1).total_cmp(&(b.1 .0 + b.1 .1)));
    // Rows: Tesseract lines overlapping the row's first line by half.
    let mut rows: Vec<((f32, f32), Vec<&Word>)> = Vec::new();
    for (_, ext, ws) in tl {
        match rows
            .iter_mut()
            .rev()
            .take(3)
            .find(|(e, _)| overlap(*e, ext) >= 0.5)
        {
            Some((_, rw)) => rw.extend(ws),
            None => rows.push((ext, ws)),
        }
    }
    let mut out = Vec::new();
    for (_, mut ws) in rows {
        ws.sort_by(|a, b| a.left.total_cmp(&b.left));
        let h = median(ws.iter().map(|w| w.height).collect());
        let mut spans: Vec<(TextSpan, f32)> = Vec::new();
        let mut prev_right = f32::NEG_INFINITY;
        for w in &ws {
            let gap = w.left - prev_right;
            // A number cut after its comma or point (`18,330.` `37`) continues across a wider
            // gap: no amount ends with one.
            let cut_number = spans
                .last()
                .is_some_and(|(s, _)| s.text.ends_with(['.', ',']))
                && w.text.starts_with(|c: char| c.is_ascii_digit());
            match spans.last_mut() {
                Some((s, c)) if !w.apart && (gap < 0.6 * h || (cut_number && gap < 2.0 * h)) => {
                    // Digits of one number (`18,` `330.` `37`) join without a space; other
                    // ASCII words keep one; Chinese characters join directly.
                    let numeric = |c: char| c.is_ascii_digit() || matches!(c, ',' | '.' | '-');
                    let last = s.text.chars().last();
                    let first = w.text.chars().next();
                    let ascii_join = last.is_some_and(|c| c.is_ascii())
                        && first.is_some_and(|c| c.is_ascii())
                        && !(last.is_some_and(numeric) && first.is_some_and(numeric));
                    if ascii_join && gap > 0.25 * h {
                        s.text.push(' ');
                    }
                    s.text.push_str(&w.text);
                    s.x1 = (w.left + w.width) * scale;
                    *c = c.min(w.conf);
                }
                _ => spans.push((
                    TextSpan {
                        text: w.text.clone(),
                        x0: w.left * scale,
                        x1: (w.left + w.width) * scale,
                    },
                    w.conf,
                )),
            }
            prev_right = prev_right.max(w.left + w.width);
        }
        let y = median(ws.iter().map(|w| w.top + w.height).collect()) * scale;
        let (mut spans, confs): (Vec<_>, Vec<_>) = spans.into_iter().unzip();
        for s in &mut spans {
            s.text = correct(&s.text);
        }
        out.push((
            TextLine {
                y,
                size: h * scale,
                spans,
            },
            confs,
        ));
    }
    out.sort_by(|a, b| a.0.y.total_cmp(&b.0.y));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(line: u32, left: f32, width: f32, conf: f32, text: &str) -> Word {
        Word {
            line: (line, 1, 1),
            left,
            top: 100.0,
            width,
            height: 50.0,
            conf,
            text: text.into(),
            apart: false,
        }
    }

    #[test]
    fn characters_join_and_cells_split() {
        // 一般公共 as single characters 10 px apart, then a number 200 px right, in another block.
        let words = vec![
            w(1, 0.0, 50.0, 95.0, "一"),
            w(1, 60.0, 50.0, 90.0, "般"),
            w(1, 120.0, 50.0, 96.0, "公"),
            w(1, 180.0, 50.0, 93.0, "共"),
            w(2, 430.0, 150.0, 55.0, "1,234.56"),
        ];
        let lines = lines_from_words(&words, 0.5);
        assert_eq!(lines.len(), 1);
        let (l, c) = &lines[0];
        let texts: Vec<&str> = l.spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["一般公共", "1,234.56"]);
        assert_eq!(c, &[90.0, 55.0]);
        assert_eq!((l.spans[1].x0, l.spans[1].x1), (215.0, 290.0));
    }

    #[test]
    fn a_number_cut_after_its_point_is_one_span() {
        let words = vec![
            w(1, 0.0, 100.0, 90.0, "18,330."),
            w(1, 160.0, 40.0, 90.0, "37"),
            w(1, 400.0, 100.0, 90.0, "9,312.90"),
        ];
        let lines = lines_from_words(&words, 1.0);
        let texts: Vec<&str> = lines[0].0.spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["18,330.37", "9,312.90"]);
    }

    #[test]
    fn a_skewed_page_is_straightened() {
        // Two rows of words, both falling 1 px every 50 px (about 1.15°), each 12 words wide.
        let mut words = Vec::new();
        for row in 0..4u32 {
            for i in 0..12u32 {
                let x = 100.0 + 80.0 * i as f32;
                words.push(Word {
                    line: (row + 1, 1, 1),
                    left: x,
                    top: 200.0 + 100.0 * row as f32 + (x + 20.0) / 50.0,
                    width: 40.0,
                    height: 40.0,
                    conf: 90.0,
                    text: "字".into(),
                    apart: false,
                });
            }
        }
        let deg = deskew(&mut words, (1200, 1000));
        assert!((deg - 1.146).abs() < 0.01, "{deg}");
        for row in words.chunks(12) {
            let tops: Vec<f32> = row.iter().map(|w| w.top).collect();
            let (lo, hi) = tops
                .iter()
                .fold((f32::MAX, f32::MIN), |(a, b), &t| (a.min(t), b.max(t)));
            assert!(hi - lo < 0.5, "{tops:?}");
        }
        // An upright page is left alone.
        let mut upright: Vec<Word> = words
            .iter()
            .map(|w| Word {
                top: 100.0,
                ..w.clone()
            })
            .collect();
        assert_eq!(deskew(&mut upright, (1200, 1000)), 0.0);
    }

    #[test]
    fn tsv_rows() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   4\t1\t1\t1\t1\t0\t460\t466\t1496\t144\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t460\t466\t320\t139\t94.86\t长\n\
                   5\t1\t2\t1\t1\t1\t285\t665\t1853\t37\t95.0\t \n";
        let words = parse_tsv(tsv);
        assert_eq!(words.len(), 1);
        assert_eq!(words[0].text, "长");
        assert_eq!(words[0].line, (1, 1, 1));
        assert_eq!(words[0].conf, 94.86);
    }
}
