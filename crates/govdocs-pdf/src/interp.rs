//! The content-stream interpreter: graphics and text state, text-showing operators,
//! form XObjects, paths that become ruling lines, image counting.
//!
//! Everything is computed in page space: the initial CTM already holds the page's crop box,
//! its `/Rotate` and the flip that makes y grow down the page.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::font::{self, Code, Font};
use crate::lexer::{Lexer, Operand, Token};
use crate::objects::{get, get_dict, get_name, resolve};
use crate::{kangxi_to_unified, Glyph, Limits, Rule};

/// Largest decoded content stream (bytes) read for one page or form.
const MAX_STREAM_BYTES: usize = 256 << 20;
/// Deepest `q` nesting kept; deeper saves are ignored (their `Q` too).
const MAX_SAVE_DEPTH: usize = 4096;
/// Most operands kept before an operator; more are dropped.
const MAX_OPERANDS: usize = 64;
/// Most rules kept per page.
const MAX_RULES: usize = 200_000;
/// A filled rectangle at most this thick (points) is a ruling line.
const MAX_RULE_THICKNESS: f64 = 3.0;

/// Why interpretation stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    TooComplex(String),
    Broken(String),
}

/// A 2-D affine matrix `[a b c d e f]` in PDF's row-vector convention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Matrix([f64; 6]);

impl Matrix {
    pub(crate) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub(crate) fn new(m: [f64; 6]) -> Matrix {
        Matrix(m)
    }

    /// `self × other` (apply `self` first, then `other`).
    pub(crate) fn then(&self, o: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [oa, ob, oc, od, oe, of] = o.0;
        Matrix([
            a * oa + b * oc,
            a * ob + b * od,
            c * oa + d * oc,
            c * ob + d * od,
            e * oa + f * oc + oe,
            e * ob + f * od + of,
        ])
    }

    pub(crate) fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }

    fn apply_vec(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, ..] = self.0;
        (a * x + c * y, b * x + d * y)
    }

    fn translate(tx: f64, ty: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn is_finite(&self) -> bool {
        self.0.iter().all(|v| v.is_finite())
    }
}

/// The matrix from default user space to page space (y down) for a crop box and rotation.
pub(crate) fn page_matrix(bx: [f64; 4], rotation: i32) -> Matrix {
    let [llx, lly, urx, ury] = bx;
    match rotation {
        90 => Matrix([0.0, 1.0, 1.0, 0.0, -lly, -llx]),
        180 => Matrix([-1.0, 0.0, 0.0, 1.0, urx, -lly]),
        270 => Matrix([0.0, -1.0, -1.0, 0.0, ury, urx]),
        _ => Matrix([1.0, 0.0, 0.0, -1.0, -llx, ury]),
    }
}

/// Work counter shared by all pages of a document.
pub(crate) struct Budget {
    pub ops: usize,
    pub max_ops: usize,
    pub started: Instant,
    pub deadline: Duration,
    pub max_depth: usize,
}

impl Budget {
    pub(crate) fn new(limits: &Limits, started: Instant) -> Budget {
        Budget {
            ops: 0,
            max_ops: limits.max_ops,
            started,
            deadline: limits.deadline,
            max_depth: limits.max_xobject_depth,
        }
    }

    /// Count `n` units of work; fail when over the operator limit or past the deadline.
    pub(crate) fn charge(&mut self, n: usize) -> Result<(), Stop> {
        let before = self.ops;
        self.ops = self.ops.saturating_add(n);
        if self.ops > self.max_ops {
            return Err(Stop::TooComplex(format!(
                "more than {} content operations (limit)",
                self.max_ops
            )));
        }
        if before >> 10 != self.ops >> 10 {
            self.check_deadline()?;
        }
        Ok(())
    }

    pub(crate) fn check_deadline(&self) -> Result<(), Stop> {
        if self.started.elapsed() > self.deadline {
            return Err(Stop::TooComplex(format!(
                "not finished within the deadline of {:.1} s",
                self.deadline.as_secs_f64()
            )));
        }
        Ok(())
    }
}

/// Key of a loaded font: its object id, or the address of an inline dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FontKey {
    Ref(ObjectId),
    Inline(usize),
}

/// Most decoded form-XObject bytes kept for reuse across draws.
const MAX_CACHED_FORM_BYTES: usize = 64 << 20;

/// Fonts and decoded form contents loaded so far in a document.
#[derive(Default)]
pub(crate) struct DocCache {
    fonts: HashMap<FontKey, Rc<Font>>,
    forms: HashMap<ObjectId, Rc<Vec<u8>>>,
    form_bytes: usize,
}

/// What one page yields.
#[derive(Default)]
pub(crate) struct PageOut {
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    pub n_images: usize,
    /// Area of the page covered by images (each image's box within the page and the clipping
    /// path, summed), page space.
    pub image_area: f64,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_size: f64,
    char_spacing: f64,
    word_spacing: f64,
    h_scale: f64,
    leading: f64,
    rise: f64,
    /// Bounding box of the clipping path, page space; `None` = the whole page.
    clip: Option<[f64; 4]>,
}

#[derive(Default)]
struct PathState {
    /// Straight segments, in page space.
    segments: Vec<((f64, f64), (f64, f64))>,
    /// Bounding boxes of closed subpaths / `re` rectangles, in page space, with a flag telling
    /// whether the subpath was a rectangle drawn by `re` or straight lines only.
    boxes: Vec<[f64; 4]>,
    current: Option<(f64, f64)>,
    start: Option<(f64, f64)>,
    /// Points of the current subpath (for its bounding box), page space.
    sub_pts: Vec<(f64, f64)>,
    sub_curved: bool,
    /// Bounding box of every point of the path (for clipping).
    bbox: Option<[f64; 4]>,
}

impl PathState {
    fn add_pt(&mut self, (x, y): (f64, f64)) {
        let b = self.bbox.get_or_insert([x, y, x, y]);
        b[0] = b[0].min(x);
        b[1] = b[1].min(y);
        b[2] = b[2].max(x);
        b[3] = b[3].max(y);
    }

    fn close_sub(&mut self) {
        if self.sub_pts.len() >= 2 && !self.sub_curved {
            let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            for &(x, y) in &self.sub_pts {
                b[0] = b[0].min(x);
                b[1] = b[1].min(y);
                b[2] = b[2].max(x);
                b[3] = b[3].max(y);
            }
            if self.boxes.len() < MAX_RULES {
                self.boxes.push(b);
            }
        }
        self.sub_pts.clear();
        self.sub_curved = false;
    }

    fn clear(&mut self) {
        self.segments.clear();
        self.boxes.clear();
        self.sub_pts.clear();
        self.sub_curved = false;
        self.current = None;
        self.start = None;
        self.bbox = None;
    }
}

/// Interprets the content of one page (and the forms it draws).
pub(crate) struct Interp<'a> {
    doc: &'a Document,
    budget: &'a mut Budget,
    cache: &'a mut DocCache,
    out: PageOut,
    page_w: f64,
    page_h: f64,
    gs: GState,
    stack: Vec<GState>,
    /// `q`s past `MAX_SAVE_DEPTH` that were not saved (their `Q`s restore nothing).
    unsaved: usize,
    tm: Matrix,
    tlm: Matrix,
    path: PathState,
    /// `W`/`W*` seen: the next painting operator also clips.
    pending_clip: bool,
    forms: Vec<ObjectId>,
    codes: Vec<Code>,
    text_buf: String,
}

fn nums<const N: usize>(ops: &[Operand]) -> Option<[f64; N]> {
    if ops.len() < N {
        return None;
    }
    let mut out = [0.0; N];
    for (i, o) in ops[ops.len() - N..].iter().enumerate() {
        out[i] = o.num()? as f64;
    }
    Some(out)
}

impl<'a> Interp<'a> {
    pub(crate) fn new(
        doc: &'a Document,
        budget: &'a mut Budget,
        cache: &'a mut DocCache,
        page_matrix: Matrix,
        page_w: f64,
        page_h: f64,
    ) -> Interp<'a> {
        Interp {
            doc,
            budget,
            cache,
            out: PageOut::default(),
            page_w,
            page_h,
            gs: GState {
                ctm: page_matrix,
                font: None,
                font_size: 0.0,
                char_spacing: 0.0,
                word_spacing: 0.0,
                h_scale: 1.0,
                leading: 0.0,
                rise: 0.0,
                clip: None,
            },
            stack: Vec::new(),
            unsaved: 0,
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            path: PathState::default(),
            pending_clip: false,
            forms: Vec::new(),
            codes: Vec::new(),
            text_buf: String::new(),
        }
    }

    pub(crate) fn finish(self) -> PageOut {
        self.out
    }

    /// Run a content stream with the given resources.
    pub(crate) fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
    ) -> Result<(), Stop> {
        let mut lexer = Lexer::new(content);
        let mut operands: Vec<Operand> = Vec::new();
        while let Some(tok) = lexer.next_token() {
            match tok {
                Token::Operand(o) => {
                    if operands.len() < MAX_OPERANDS {
                        operands.push(o);
                    }
                }
                Token::ArrayEnd | Token::DictEnd => {}
                Token::Op(op) => {
                    self.budget.charge(1)?;
                    if op == b"ID" {
                        lexer.skip_inline_image();
                        self.image_drawn();
                    } else {
                        self.op(op, &operands, resources)?;
                    }
                    operands.clear();
                }
            }
        }
        Ok(())
    }

    fn op(&mut self, op: &[u8], a: &[Operand], res: Option<&'a Dictionary>) -> Result<(), Stop> {
        match op {
            b"q" => {
                if self.stack.len() < MAX_SAVE_DEPTH {
                    self.stack.push(self.gs.clone());
                } else {
                    self.unsaved += 1;
                }
            }
            b"Q" => {
                if self.unsaved > 0 {
                    self.unsaved -= 1;
                } else if let Some(g) = self.stack.pop() {
                    self.gs = g;
                }
            }
            b"cm" => {
                if let Some(m) = nums::<6>(a) {
                    let m = Matrix::new(m);
                    let ctm = m.then(&self.gs.ctm);
                    if ctm.is_finite() {
                        self.gs.ctm = ctm;
                    }
                }
            }
            b"W" | b"W*" => self.pending_clip = true,
            b"BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            b"ET" => {}
            b"Tf" => {
                if let Some([size]) = nums::<1>(a) {
                    self.gs.font_size = size;
                }
                let name = a.iter().rev().find_map(|o| match o {
                    Operand::Name(n) => Some(n.as_slice()),
                    _ => None,
                });
                if let Some(name) = name {
                    self.gs.font = Some(self.font(res, name)?);
                }
            }
            b"Tc" => {
                if let Some([v]) = nums::<1>(a) {
                    self.gs.char_spacing = v;
                }
            }
            b"Tw" => {
                if let Some([v]) = nums::<1>(a) {
                    self.gs.word_spacing = v;
                }
            }
            b"Tz" => {
                if let Some([v]) = nums::<1>(a) {
                    self.gs.h_scale = v / 100.0;
                }
            }
            b"TL" => {
                if let Some([v]) = nums::<1>(a) {
                    self.gs.leading = v;
                }
            }
            b"Ts" => {
                if let Some([v]) = nums::<1>(a) {
                    self.gs.rise = v;
                }
            }
            b"Td" => {
                if let Some([tx, ty]) = nums::<2>(a) {
                    self.next_line(tx, ty);
                }
            }
            b"TD" => {
                if let Some([tx, ty]) = nums::<2>(a) {
                    self.gs.leading = -ty;
                    self.next_line(tx, ty);
                }
            }
            b"Tm" => {
                if let Some(m) = nums::<6>(a) {
                    let m = Matrix::new(m);
                    if m.is_finite() {
                        self.tm = m;
                        self.tlm = m;
                    }
                }
            }
            b"T*" => self.next_line(0.0, -self.gs.leading),
            b"Tj" => {
                if let Some(Operand::Str(s)) = a.last() {
                    self.show(s)?;
                }
            }
            b"'" => {
                self.next_line(0.0, -self.gs.leading);
                if let Some(Operand::Str(s)) = a.last() {
                    self.show(s)?;
                }
            }
            b"\"" => {
                if a.len() >= 3 {
                    if let (Some(aw), Some(ac)) = (a[a.len() - 3].num(), a[a.len() - 2].num()) {
                        self.gs.word_spacing = aw as f64;
                        self.gs.char_spacing = ac as f64;
                    }
                }
                self.next_line(0.0, -self.gs.leading);
                if let Some(Operand::Str(s)) = a.last() {
                    self.show(s)?;
                }
            }
            b"TJ" => {
                if let Some(Operand::Array(items)) = a.last() {
                    for item in items {
                        match item {
                            Operand::Str(s) => self.show(s)?,
                            Operand::Num(n) if n.is_finite() => {
                                let adj = -(*n as f64) / 1000.0 * self.gs.font_size;
                                let vertical = self.gs.font.as_ref().is_some_and(|f| f.vertical);
                                let t = if vertical {
                                    Matrix::translate(0.0, adj)
                                } else {
                                    Matrix::translate(adj * self.gs.h_scale, 0.0)
                                };
                                self.tm = t.then(&self.tm);
                            }
                            _ => {}
                        }
                    }
                }
            }
            b"Do" => {
                if let Some(Operand::Name(name)) = a.last() {
                    self.do_xobject(res, name)?;
                }
            }
            // Paths.
            b"m" => {
                if let Some([x, y]) = nums::<2>(a) {
                    self.path.close_sub();
                    let p = self.gs.ctm.apply(x, y);
                    self.path.current = Some(p);
                    self.path.start = Some(p);
                    self.path.sub_pts.push(p);
                    self.path.add_pt(p);
                }
            }
            b"l" => {
                if let Some([x, y]) = nums::<2>(a) {
                    let p = self.gs.ctm.apply(x, y);
                    if let Some(c) = self.path.current {
                        if self.path.segments.len() < MAX_RULES {
                            self.path.segments.push((c, p));
                        }
                    } else {
                        self.path.start = Some(p);
                    }
                    self.path.current = Some(p);
                    self.path.sub_pts.push(p);
                    self.path.add_pt(p);
                }
            }
            b"c" | b"v" | b"y" => {
                // The last two operands are the end point; control points bound the curve.
                let n = a.len();
                for i in (0..n.saturating_sub(1)).step_by(2).take(3) {
                    if let (Some(x), Some(y)) = (a[i].num(), a[i + 1].num()) {
                        let p = self.gs.ctm.apply(x as f64, y as f64);
                        self.path.add_pt(p);
                    }
                }
                if let Some([x, y]) = nums::<2>(a) {
                    let p = self.gs.ctm.apply(x, y);
                    self.path.current = Some(p);
                    self.path.sub_curved = true;
                }
            }
            b"h" => {
                if let (Some(c), Some(s)) = (self.path.current, self.path.start) {
                    if c != s && self.path.segments.len() < MAX_RULES {
                        self.path.segments.push((c, s));
                    }
                    self.path.current = Some(s);
                }
            }
            b"re" => {
                if let Some([x, y, w, h]) = nums::<4>(a) {
                    self.path.close_sub();
                    let pts = [
                        self.gs.ctm.apply(x, y),
                        self.gs.ctm.apply(x + w, y),
                        self.gs.ctm.apply(x + w, y + h),
                        self.gs.ctm.apply(x, y + h),
                    ];
                    for i in 0..4 {
                        if self.path.segments.len() < MAX_RULES {
                            self.path.segments.push((pts[i], pts[(i + 1) % 4]));
                        }
                    }
                    self.path.sub_pts.extend_from_slice(&pts);
                    for p in pts {
                        self.path.add_pt(p);
                    }
                    self.path.close_sub();
                    self.path.current = Some(pts[0]);
                    self.path.start = Some(pts[0]);
                }
            }
            b"S" | b"s" => self.paint(true, false),
            b"f" | b"F" | b"f*" => self.paint(false, true),
            b"B" | b"B*" | b"b" | b"b*" => self.paint(true, true),
            b"n" => self.paint(false, false),
            _ => {}
        }
        Ok(())
    }

    fn next_line(&mut self, tx: f64, ty: f64) {
        let m = Matrix::translate(tx, ty).then(&self.tlm);
        if m.is_finite() {
            self.tlm = m;
            self.tm = m;
        }
    }

    fn font(&mut self, res: Option<&'a Dictionary>, name: &[u8]) -> Result<Rc<Font>, Stop> {
        let doc = self.doc;
        let entry = res
            .and_then(|r| get_dict(doc, r, b"Font"))
            .and_then(|fonts| fonts.get(name).ok());
        let Some(entry) = entry else {
            return Ok(Rc::new(Font::fallback()));
        };
        let key = match entry {
            Object::Reference(id) => FontKey::Ref(*id),
            other => FontKey::Inline(other as *const Object as usize),
        };
        if let Some(f) = self.cache.fonts.get(&key) {
            return Ok(f.clone());
        }
        let obj = resolve(doc, entry).map_err(|m| {
            Stop::Broken(format!(
                "font /{} refers to object {} {} R, which the file does not contain",
                String::from_utf8_lossy(name),
                m.0 .0,
                m.0 .1
            ))
        })?;
        let font = match obj {
            Object::Dictionary(d) => font::load(doc, d),
            _ => Font::fallback(),
        };
        self.budget.check_deadline()?;
        let font = Rc::new(font);
        self.cache.fonts.insert(key, font.clone());
        Ok(font)
    }

    fn show(&mut self, bytes: &[u8]) -> Result<(), Stop> {
        let font = match &self.gs.font {
            Some(f) => f.clone(),
            None => Rc::new(Font::fallback()),
        };
        let mut codes = std::mem::take(&mut self.codes);
        font.codes(bytes, &mut codes);
        self.budget.charge(codes.len())?;
        let fs = self.gs.font_size;
        let th = self.gs.h_scale;
        for c in &codes {
            let w0 = c.width as f64 * font.scale as f64;
            // Word spacing applies to the single-byte code 32 only.
            let is_space = c.nbytes == 1 && c.code == 32;
            // Text space to page space for this glyph.
            let trm = self.tm.then(&self.gs.ctm);
            let (ox, oy) = trm.apply(0.0, self.gs.rise);
            self.text_buf.clear();
            let known = font.text_of(c.code, c.nbytes, &mut self.text_buf);
            if !known {
                self.text_buf.push('\u{FFFD}');
            }
            if font.vertical {
                let (sx, sy) = trm.apply_vec(fs * th, fs);
                let size = (sx * sx + sy * sy).sqrt() / std::f64::consts::SQRT_2;
                let (hx, _) = trm.apply_vec(fs * th * 0.5, 0.0);
                self.emit(ox - hx.abs(), ox + hx.abs(), oy + size, size);
            } else {
                let (dx, dy) = trm.apply_vec(w0 * fs * th, 0.0);
                let (sx, sy) = trm.apply_vec(0.0, fs);
                let size = (sx * sx + sy * sy).sqrt();
                if dx > 0.0 && dy.abs() <= 0.2 * dx.max(1e-9) || dx.abs() < 1e-9 && dy.abs() < 1e-9
                {
                    self.emit(ox, ox + dx, oy, size);
                } else {
                    // Rotated or mirrored text: use the glyph's box.
                    let xs = [ox, ox + dx, ox + sx, ox + dx + sx];
                    let ys = [oy, oy + dy, oy + sy, oy + dy + sy];
                    let x0 = xs.iter().cloned().fold(f64::MAX, f64::min);
                    let x1 = xs.iter().cloned().fold(f64::MIN, f64::max);
                    let y1 = ys.iter().cloned().fold(f64::MIN, f64::max);
                    self.emit(x0, x1, y1, size);
                }
            }
            // Advance.
            let spacing = self.gs.char_spacing + if is_space { self.gs.word_spacing } else { 0.0 };
            let t = if font.vertical {
                Matrix::translate(0.0, -fs + spacing)
            } else {
                Matrix::translate((w0 * fs + spacing) * th, 0.0)
            };
            self.tm = t.then(&self.tm);
        }
        self.codes = codes;
        Ok(())
    }

    /// The visible part of the page: the page box within the clipping path.
    fn visible_box(&self) -> [f64; 4] {
        let vis = [0.0, 0.0, self.page_w, self.page_h];
        match self.gs.clip {
            Some(c) => [
                vis[0].max(c[0]),
                vis[1].max(c[1]),
                vis[2].min(c[2]),
                vis[3].min(c[3]),
            ],
            None => vis,
        }
    }

    /// Count an image drawn (the unit square under the CTM) and add its visible area.
    fn image_drawn(&mut self) {
        self.out.n_images += 1;
        let corners =
            [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)].map(|(x, y)| self.gs.ctm.apply(x, y));
        let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for (x, y) in corners {
            b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
        let vis = self.visible_box();
        let w = b[2].min(vis[2]) - b[0].max(vis[0]);
        let h = b[3].min(vis[3]) - b[1].max(vis[1]);
        if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 {
            self.out.image_area += w * h;
        }
    }

    /// Push the glyphs of `text_buf` spanning `x0..x1` at baseline `y`.
    fn emit(&mut self, x0: f64, x1: f64, y: f64, size: f64) {
        if !(x0.is_finite() && x1.is_finite() && y.is_finite() && size.is_finite()) {
            return;
        }
        if size < 0.1 {
            return;
        }
        // A glyph whose box does not reach into the crop box and the clipping path is not
        // shown (WPS, for one, draws a page's overflow again on the next page, clipped away).
        let (top, bottom) = (y - 0.75 * size, y + 0.15 * size);
        let (lo, hi) = (x0.min(x1), x0.max(x1));
        let vis = self.visible_box();
        let m = 0.5;
        if hi < vis[0] - m || lo > vis[2] + m || bottom < vis[1] - m || top > vis[3] + m {
            return;
        }
        let n = self.text_buf.chars().count().max(1);
        let step = (x1 - x0) / n as f64;
        for (i, ch) in self.text_buf.chars().enumerate() {
            let gx0 = x0 + step * i as f64;
            self.out.glyphs.push(Glyph {
                ch: kangxi_to_unified(ch),
                x0: gx0 as f32,
                x1: (gx0 + step) as f32,
                y: y as f32,
                size: size as f32,
            });
        }
    }

    fn paint(&mut self, stroke: bool, fill: bool) {
        self.path.close_sub();
        if std::mem::take(&mut self.pending_clip) {
            if let Some(b) = self.path.bbox {
                self.gs.clip = Some(match self.gs.clip {
                    Some(c) => [
                        b[0].max(c[0]),
                        b[1].max(c[1]),
                        b[2].min(c[2]),
                        b[3].min(c[3]),
                    ],
                    None => b,
                });
            }
        }
        let rules = &mut self.out.rules;
        let push = |rules: &mut Vec<Rule>, x0: f64, y0: f64, x1: f64, y1: f64| {
            if rules.len() < MAX_RULES && [x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
                rules.push(Rule {
                    x0: x0.min(x1) as f32,
                    y0: y0.min(y1) as f32,
                    x1: x0.max(x1) as f32,
                    y1: y0.max(y1) as f32,
                });
            }
        };
        if stroke {
            for &((ax, ay), (bx, by)) in &self.path.segments {
                if (ax - bx).abs() < 0.5 || (ay - by).abs() < 0.5 {
                    if (ax - bx).abs() < 0.01 && (ay - by).abs() < 0.01 {
                        continue;
                    }
                    push(rules, ax, ay, bx, by);
                }
            }
        }
        if fill {
            for b in &self.path.boxes {
                let (w, h) = (b[2] - b[0], b[3] - b[1]);
                if w.min(h) <= MAX_RULE_THICKNESS && w.max(h) > MAX_RULE_THICKNESS {
                    push(rules, b[0], b[1], b[2], b[3]);
                }
            }
        }
        self.path.clear();
    }

    fn do_xobject(&mut self, res: Option<&'a Dictionary>, name: &[u8]) -> Result<(), Stop> {
        let doc = self.doc;
        let Some(entry) = res
            .and_then(|r| get_dict(doc, r, b"XObject"))
            .and_then(|x| x.get(name).ok())
        else {
            return Ok(());
        };
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let obj = match resolve(doc, entry) {
            Ok(o) => o,
            Err(m) => {
                return Err(Stop::Broken(format!(
                    "XObject /{} refers to object {} {} R, which the file does not contain",
                    String::from_utf8_lossy(name),
                    m.0 .0,
                    m.0 .1
                )))
            }
        };
        let Object::Stream(stream) = obj else {
            return Ok(());
        };
        match get_name(doc, &stream.dict, b"Subtype") {
            Some(b"Image") => {
                self.image_drawn();
                Ok(())
            }
            Some(b"Form") => {
                if let Some(id) = id {
                    if self.forms.contains(&id) {
                        // A form that draws itself: a cycle. Drawing it again adds nothing.
                        return Ok(());
                    }
                }
                if self.forms.len() + 1 > self.budget.max_depth {
                    return Err(Stop::TooComplex(format!(
                        "form XObjects nested deeper than {} levels (limit)",
                        self.budget.max_depth
                    )));
                }
                let cached = id.and_then(|id| self.cache.forms.get(&id).cloned());
                let content = match cached {
                    Some(c) => c,
                    None => {
                        let c = Rc::new(
                            stream
                                .get_plain_content_with_limit(MAX_STREAM_BYTES)
                                .map_err(|e| {
                                    Stop::Broken(format!(
                                        "cannot decode form XObject /{}: {e}",
                                        String::from_utf8_lossy(name)
                                    ))
                                })?,
                        );
                        if let Some(id) = id {
                            if self.cache.form_bytes + c.len() <= MAX_CACHED_FORM_BYTES {
                                self.cache.form_bytes += c.len();
                                self.cache.forms.insert(id, c.clone());
                            }
                        }
                        c
                    }
                };
                let matrix = match get(doc, &stream.dict, b"Matrix") {
                    Some(Object::Array(m)) if m.len() == 6 => {
                        let v: Vec<f64> = m
                            .iter()
                            .filter_map(|o| crate::objects::num(crate::objects::deref(doc, o)))
                            .map(|v| v as f64)
                            .collect();
                        if v.len() == 6 {
                            Matrix::new([v[0], v[1], v[2], v[3], v[4], v[5]])
                        } else {
                            Matrix::IDENTITY
                        }
                    }
                    _ => Matrix::IDENTITY,
                };
                let form_res = get_dict(doc, &stream.dict, b"Resources").or(res);
                let saved_gs = self.gs.clone();
                let saved_depth = self.stack.len();
                let saved_unsaved = self.unsaved;
                let saved_tm = (self.tm, self.tlm);
                let ctm = matrix.then(&self.gs.ctm);
                if ctm.is_finite() {
                    self.gs.ctm = ctm;
                }
                self.forms.push(id.unwrap_or((u32::MAX, 0)));
                let result = self.run(&content, form_res);
                self.forms.pop();
                self.gs = saved_gs;
                self.stack.truncate(saved_depth);
                self.unsaved = saved_unsaved;
                (self.tm, self.tlm) = saved_tm;
                self.path.clear();
                result
            }
            _ => Ok(()),
        }
    }
}
