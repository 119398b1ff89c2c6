//! The measurement behind DECISION.md: pdf-extract 0.12.1 glyph output vs govdocs-pdf
//! (lopdf 0.47 + its own text interpreter), both laid out by `govdocs_pdf::layout_lines`,
//! compared with `pdftotext -layout` on the six sample PDFs.
//!
//! Not part of the workspace (it pulls pdf-extract and an old lopdf). Run from this folder:
//!   cargo run --release                # parse/amount/char/time table for the six samples
//!   cargo run --release -- sweep       # span-gap factor sweep (under/over-split counts)
//!   cargo run --release -- hist        # histogram of glyph gaps / font size
//!   cargo run --release -- load        # lopdf load time vs whole extract
//!   cargo run --release -- one FILE a|b   # one file, option a (pdf-extract) or b (ours);
//!                                         # run per file: a stack overflow aborts the process
//! Env: MISS=1 lists amounts not found as a span, SHOW=1 glued spans, DIFF=1 extra chars.
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::Command;
use std::time::Instant;

use govdocs_pdf::{layout_lines, Glyph, Rule, TextLine};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

struct V {
    x: f64,
    y: f64,
}

struct Collect {
    pages: Vec<(Vec<Glyph>, f64, f64)>,
    rotations: Vec<i32>,
    cur: Vec<Glyph>,
    mbox: [f64; 4],
    rot: i32,
}

impl Collect {
    fn to_page(&self, x: f64, y: f64) -> (f64, f64) {
        let [llx, lly, urx, ury] = self.mbox;
        match self.rot {
            90 => (y - lly, x - llx),
            180 => (urx - x, y - lly),
            270 => (ury - y, urx - x),
            _ => (x - llx, ury - y),
        }
    }
}

impl OutputDev for Collect {
    fn begin_page(
        &mut self,
        n: u32,
        mb: &MediaBox,
        _a: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.mbox = [mb.llx, mb.lly, mb.urx, mb.ury];
        self.rot = self.rotations.get(n as usize - 1).copied().unwrap_or(0);
        self.cur.clear();
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        let (w, h) = (self.mbox[2] - self.mbox[0], self.mbox[3] - self.mbox[1]);
        let (w, h) = if self.rot % 180 == 0 { (w, h) } else { (h, w) };
        self.pages.push((std::mem::take(&mut self.cur), w, h));
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        let (x, y) = (trm.m31, trm.m32);
        let tv = |vx: f64, vy: f64| (vx * trm.m11 + vy * trm.m21, vx * trm.m12 + vy * trm.m22);
        let adv = tv(width * font_size, 0.0);
        let sz = tv(0.0, font_size);
        let (adv, sz) = (V { x: adv.0, y: adv.1 }, V { x: sz.0, y: sz.1 });
        let (px0, py0) = self.to_page(x, y);
        let (px1, _) = self.to_page(x + adv.x, y + adv.y);
        let size = (sz.x * sz.x + sz.y * sz.y).sqrt();
        let n = ch.chars().count().max(1) as f64;
        let step = (px1 - px0) / n;
        for (i, c) in ch.chars().enumerate() {
            let gx = px0 + step * i as f64;
            self.cur.push(Glyph {
                ch: govdocs_pdf::kangxi_to_unified(c),
                x0: gx as f32,
                x1: (gx + step) as f32,
                y: py0 as f32,
                size: size as f32,
            });
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

fn rotations(doc: &pdf_extract::Document) -> Vec<i32> {
    use pdf_extract::Object;
    let mut out = Vec::new();
    for (_, id) in doc.get_pages() {
        let mut node = doc.get_dictionary(id).ok();
        let mut rot = 0;
        for _ in 0..32 {
            let Some(d) = node else { break };
            if let Ok(r) = d.get(b"Rotate") {
                if let Ok(v) = r.as_i64() {
                    rot = ((v / 90 * 90) % 360 + 360) as i32 % 360;
                }
                break;
            }
            node = match d.get(b"Parent") {
                Ok(Object::Reference(p)) => doc.get_dictionary(*p).ok(),
                _ => None,
            };
        }
        out.push(rot);
    }
    out
}

/// Option A: pdf-extract 0.12.1 glyphs, our layout. Err = error or panic text.
fn option_a(bytes: &[u8]) -> Result<Vec<Vec<TextLine>>, String> {
    let r = catch_unwind(AssertUnwindSafe(
        || -> Result<Vec<(Vec<Glyph>, f64, f64)>, String> {
            let doc = pdf_extract::Document::load_mem(bytes).map_err(|e| format!("load: {e}"))?;
            let mut c = Collect {
                pages: vec![],
                rotations: rotations(&doc),
                cur: vec![],
                mbox: [0.0; 4],
                rot: 0,
            };
            pdf_extract::output_doc(&doc, &mut c).map_err(|e| format!("output: {e:?}"))?;
            Ok(c.pages)
        },
    ));
    match r {
        Ok(Ok(pages)) => Ok(pages
            .iter()
            .map(|(g, _, _)| layout_lines(g, &[], govdocs_pdf::SPAN_GAP))
            .collect()),
        Ok(Err(e)) => Err(e),
        Err(p) => Err(format!(
            "PANIC: {}",
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
    }
}

fn option_b(bytes: &[u8], gap: f32, with_rules: bool) -> Result<Vec<Vec<TextLine>>, String> {
    // Re-layout from the public API output is not possible (glyphs are internal), so use the
    // hidden glyph dump when gap/rules differ from the defaults.
    let t = govdocs_pdf::extract_glyphs(bytes, &govdocs_pdf::Limits::default())
        .map_err(|e| e.to_string())?;
    Ok(t.into_iter()
        .map(|p| {
            layout_lines(
                &p.glyphs,
                if with_rules { &p.rules } else { &[] as &[Rule] },
                gap,
            )
        })
        .collect())
}

fn amount_re() -> regex::Regex {
    regex::Regex::new(r"^-?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)$").unwrap()
}

#[derive(Default, Debug, Clone)]
struct Score {
    amounts: usize,
    matched: usize,
    glued: usize,
    chars_ref: usize,
    chars_common: usize,
    chars_cand: usize,
    cjk_splits: usize,
}

fn score(reference: &str, cand: &[TextLine], re: &regex::Regex, glued_re: &regex::Regex) -> Score {
    let mut s = Score::default();
    let mut want: HashMap<String, usize> = HashMap::new();
    for tok in reference.split_whitespace() {
        if re.is_match(tok) {
            *want.entry(tok.to_string()).or_default() += 1;
            s.amounts += 1;
        }
    }
    let mut have: HashMap<String, usize> = HashMap::new();
    for l in cand {
        for sp in &l.spans {
            if re.is_match(&sp.text) {
                *have.entry(sp.text.clone()).or_default() += 1;
            } else if glued_re.is_match(&sp.text) {
                s.glued += 1;
            }
        }
    }
    for (k, n) in &want {
        let m = (*n).min(have.get(k).copied().unwrap_or(0));
        s.matched += m;
        if m < *n && std::env::var("MISS").is_ok() {
            println!("   miss {k} x{}", n - m);
        }
    }
    // character multisets (non-space)
    let mut rc: HashMap<char, isize> = HashMap::new();
    for c in reference.chars().filter(|c| !c.is_whitespace()) {
        *rc.entry(c).or_default() += 1;
        s.chars_ref += 1;
    }
    let mut extra = String::new();
    for l in cand {
        for sp in &l.spans {
            for c in sp.text.chars().filter(|c| !c.is_whitespace()) {
                s.chars_cand += 1;
                match rc.get_mut(&c) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        s.chars_common += 1;
                    }
                    _ => extra.push(c),
                }
            }
        }
    }
    if !extra.is_empty() && std::env::var("DIFF").is_ok() {
        println!("   extra: {}", extra.chars().take(200).collect::<String>());
    }
    // CJK-only spans whose concatenation with the next span (same line) appears in the reference as a word
    for l in cand {
        for w in l.spans.windows(2) {
            let cjk = |t: &str| {
                !t.is_empty() && t.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            };
            if cjk(&w[0].text) && cjk(&w[1].text) {
                let joined = format!("{}{}", w[0].text, w[1].text);
                if reference.split_whitespace().any(|t| t == joined) {
                    s.cjk_splits += 1;
                }
            }
        }
    }
    s
}

/// (under-split spans, over-split adjacent pairs) against pdftotext cells (split at 2+ spaces).
fn split_errors(reference: &str, cand: &[TextLine], show: bool) -> (usize, usize) {
    let norm = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let cells: Vec<String> = reference
        .lines()
        .flat_map(|l| {
            let re = regex::Regex::new(r"\s{2,}").unwrap();
            re.split(l.trim())
                .map(|c| norm(c))
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
        })
        .collect();
    let within = |t: &str| cells.iter().any(|c| c.contains(t));
    let (mut under, mut over) = (0, 0);
    for l in cand {
        for sp in &l.spans {
            let t = norm(&sp.text);
            if !within(&t) {
                under += 1;
                if show {
                    println!("   under: {:?}", sp.text);
                }
            }
        }
        for w in l.spans.windows(2) {
            let j = norm(&format!("{}{}", w[0].text, w[1].text));
            if within(&j) {
                over += 1;
                if show {
                    println!("   over: {:?} | {:?}", w[0].text, w[1].text);
                }
            }
        }
    }
    (under, over)
}

fn pdftotext(path: &str) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout", path, "-"])
        .output()
        .expect("pdftotext");
    let s = String::from_utf8_lossy(&out.stdout).to_string();
    let s: String = s.chars().map(govdocs_pdf::kangxi_to_unified).collect();
    s.split('\x0c').map(|p| p.to_string()).collect()
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../../shared/pdfs");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let re = amount_re();
    let glued_re = regex::Regex::new(r"\d\.\d\d ?[\d\-]").unwrap();
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode == "load" {
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            let t0 = Instant::now();
            for _ in 0..20 {
                let d = lopdf47::Document::load_mem(&bytes).unwrap();
                std::hint::black_box(d);
            }
            let load = t0.elapsed().as_secs_f64() / 20.0 * 1e3;
            let t0 = Instant::now();
            for _ in 0..20 {
                let d = govdocs_pdf::extract(&bytes, &govdocs_pdf::Limits::default()).unwrap();
                std::hint::black_box(d);
            }
            let all = t0.elapsed().as_secs_f64() / 20.0 * 1e3;
            println!(
                "{:<45} lopdf load {load:.2} ms, extract {all:.2} ms",
                f.file_name().unwrap().to_string_lossy()
            );
        }
        return;
    }
    if mode == "one" {
        let path = std::env::args().nth(2).unwrap();
        let opt = std::env::args().nth(3).unwrap();
        let bytes = if path == "random" {
            let mut rnd = Vec::new();
            let mut x: u64 = 0x9E3779B97F4A7C15;
            for _ in 0..4096 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                rnd.push(x as u8);
            }
            rnd
        } else {
            std::fs::read(&path).unwrap()
        };
        let t0 = Instant::now();
        let r = if opt == "a" {
            match option_a(&bytes) {
                Ok(p) => format!(
                    "ok, {} pages, {} lines",
                    p.len(),
                    p.iter().map(|l| l.len()).sum::<usize>()
                ),
                Err(e) => e
                    .chars()
                    .take(100)
                    .collect::<String>()
                    .replace('|', "/")
                    .replace('\n', " "),
            }
        } else {
            match govdocs_pdf::extract(&bytes, &govdocs_pdf::Limits::default()) {
                Ok(t) => format!(
                    "ok, {} pages, {} lines",
                    t.pages.len(),
                    t.pages.iter().map(|p| p.lines.len()).sum::<usize>()
                ),
                Err(e) => format!("{e:?}").chars().take(100).collect(),
            }
        };
        println!("{r} | {:.1}", t0.elapsed().as_secs_f64() * 1000.0);
        return;
    }
    if mode == "robust" {
        let mut files: Vec<_> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data"))
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
                .collect();
        files.sort();
        let mut rnd = Vec::new();
        let mut x: u64 = 0x9E3779B97F4A7C15;
        for _ in 0..4096 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            rnd.push(x as u8);
        }
        let mut inputs: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|f| {
                (
                    f.file_name().unwrap().to_string_lossy().to_string(),
                    std::fs::read(f).unwrap(),
                )
            })
            .collect();
        inputs.push(("random-bytes (4 KiB)".into(), rnd));
        println!("| file | pdf-extract 0.12.1 | ms | lopdf 0.47 + own | ms |");
        println!("|---|---|---|---|---|");
        for (name, bytes) in &inputs {
            let t0 = Instant::now();
            let a = match option_a(bytes) {
                Ok(p) => format!(
                    "ok, {} pages, {} lines",
                    p.len(),
                    p.iter().map(|l| l.len()).sum::<usize>()
                ),
                Err(e) => e
                    .chars()
                    .take(90)
                    .collect::<String>()
                    .replace('|', "/")
                    .replace('\n', " "),
            };
            let ta = t0.elapsed().as_secs_f64() * 1000.0;
            let t0 = Instant::now();
            let b = match govdocs_pdf::extract(bytes, &govdocs_pdf::Limits::default()) {
                Ok(t) => format!(
                    "ok, {} pages, {} lines",
                    t.pages.len(),
                    t.pages.iter().map(|p| p.lines.len()).sum::<usize>()
                ),
                Err(e) => format!("{e:?}").chars().take(90).collect(),
            };
            let tb = t0.elapsed().as_secs_f64() * 1000.0;
            println!("| {name} | {a} | {ta:.1} | {b} | {tb:.1} |");
        }
        return;
    }
    if mode == "hist" {
        let mut h = [0usize; 31];
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            let pages =
                govdocs_pdf::extract_glyphs(&bytes, &govdocs_pdf::Limits::default()).unwrap();
            for p in pages {
                // one line per baseline via layout with a huge gap → glyph order per line
                let lines = layout_lines(&p.glyphs, &[], 1000.0);
                let _ = lines;
                let mut g: Vec<&Glyph> =
                    p.glyphs.iter().filter(|g| !g.ch.is_whitespace()).collect();
                g.sort_by(|a, b| {
                    (a.y.round() as i64)
                        .cmp(&(b.y.round() as i64))
                        .then(a.x0.total_cmp(&b.x0))
                });
                for w in g.windows(2) {
                    if (w[0].y - w[1].y).abs() > 0.5 {
                        continue;
                    }
                    let r = (w[1].x0 - w[0].x1) / w[0].size.max(w[1].size);
                    if r < 0.0 {
                        continue;
                    }
                    let b = ((r * 10.0) as usize).min(30);
                    h[b] += 1;
                }
            }
        }
        for (i, n) in h.iter().enumerate() {
            println!(
                "{:>4.1}-{:<4.1} {:>6} {}",
                i as f32 / 10.0,
                (i + 1) as f32 / 10.0,
                n,
                "#".repeat(((*n as f64).ln().max(0.0) * 3.0) as usize)
            );
        }
        return;
    }
    if mode == "sweep" {
        for gap in [0.3f32, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 2.0] {
            for rules in [false, true] {
                let mut tot = Score::default();
                let (mut under, mut over) = (0, 0);
                for f in &files {
                    let bytes = std::fs::read(f).unwrap();
                    let reference = pdftotext(f.to_str().unwrap());
                    let b = option_b(&bytes, gap, rules).unwrap();
                    for (i, p) in b.iter().enumerate() {
                        let (u, o) = split_errors(
                            &reference[i],
                            p,
                            std::env::var("SHOWSPLIT").is_ok() && (gap - 0.8).abs() < 0.01 && rules,
                        );
                        under += u;
                        over += o;
                        let s = score(&reference[i], p, &re, &glued_re);
                        tot.amounts += s.amounts;
                        tot.matched += s.matched;
                        tot.glued += s.glued;
                        tot.cjk_splits += s.cjk_splits;
                        tot.chars_cand += p.iter().map(|l| l.spans.len()).sum::<usize>();
                    }
                }
                println!("gap {gap:.1} rules {rules:5}: amounts {}/{} glued {} spans {} under-split {under} over-split {over}", tot.matched, tot.amounts, tot.glued, tot.chars_cand);
            }
        }
        return;
    }
    println!("| file | pages (pdfinfo) | option | result | amounts as own span | glued spans | chars common/ref | time ms (x10 avg) |");
    println!("|---|---|---|---|---|---|---|---|");
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let reference = pdftotext(f.to_str().unwrap());
        let npages = reference.len() - 1;
        for opt in ["pdf-extract 0.12.1", "lopdf 0.47 + own"] {
            let t0 = Instant::now();
            let mut res = Err(String::new());
            for _ in 0..10 {
                res = if opt.starts_with("pdf") {
                    option_a(&bytes)
                } else {
                    option_b(&bytes, govdocs_pdf::SPAN_GAP, true)
                };
            }
            let ms = t0.elapsed().as_secs_f64() * 100.0;
            match res {
                Ok(pages) => {
                    let mut tot = Score::default();
                    for (i, p) in pages.iter().enumerate() {
                        let s = score(
                            reference.get(i).map(String::as_str).unwrap_or(""),
                            p,
                            &re,
                            &glued_re,
                        );
                        tot.amounts += s.amounts;
                        tot.matched += s.matched;
                        tot.glued += s.glued;
                        tot.chars_ref += s.chars_ref;
                        tot.chars_common += s.chars_common;
                        tot.chars_cand += s.chars_cand;
                    }
                    println!("| {name} | {npages} | {opt} | ok, {} pages | {}/{} | {} | {}/{} (cand {}) | {ms:.1} |", pages.len(), tot.matched, tot.amounts, tot.glued, tot.chars_common, tot.chars_ref, tot.chars_cand);
                    if std::env::var("SHOW").is_ok() {
                        for (i, p) in pages.iter().enumerate() {
                            for l in p {
                                for sp in &l.spans {
                                    if glued_re.is_match(&sp.text) && !re.is_match(&sp.text) {
                                        println!("   p{} glued: {:?}", i + 1, sp.text);
                                    }
                                }
                            }
                        }
                    }
                }
                Err(e) => println!(
                    "| {name} | {npages} | {opt} | ERROR {} | - | - | - | {ms:.1} |",
                    e.chars()
                        .take(120)
                        .collect::<String>()
                        .replace('|', "/")
                        .replace('\n', " ")
                ),
            }
        }
    }
}
