//! Reads text-layer PDFs (Chinese budget and final-accounts disclosures, as Word, WPS and
//! Excel export them) into positioned text: per page, lines of spans with x positions, the
//! ruling lines of tables, and a count of images.
//!
//! The file, its objects and streams are read with `lopdf`; the text operators are
//! interpreted here (see `DECISION.md` for why). Every call is bounded: a panic anywhere
//! becomes [`PdfError::Panic`], and [`Limits`] caps pages, operators, form nesting and time.
//!
//! ```no_run
//! let bytes = std::fs::read("budget.pdf").unwrap();
//! let text = govdocs_pdf::extract(&bytes, &govdocs_pdf::Limits::default()).unwrap();
//! for page in &text.pages {
//!     for line in &page.lines {
//!         let cells: Vec<&str> = line.spans.iter().map(|s| s.text.as_str()).collect();
//!         println!("{:>4} {:?}", page.number, cells);
//!     }
//! }
//! ```

#![warn(missing_docs)]

mod cmap;
mod encoding;
mod font;
mod furniture;
mod interp;
mod kangxi;
mod layout;
mod lexer;
mod objects;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use lopdf::{Dictionary, Document, Object, ObjectId};

pub use furniture::strip_page_furniture;
pub use kangxi::kangxi_to_unified;
pub use layout::{layout_lines, SPAN_GAP};

use interp::{page_matrix, Budget, DocCache, Interp, Stop};
use objects::{deref, get, resolve};

/// Bounds on the work one document may cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most pages read; a longer document gives [`PdfError::TooComplex`].
    pub max_pages: usize,
    /// Most content-stream operators and shown glyphs, summed over the document.
    pub max_ops: usize,
    /// Deepest nesting of form XObjects drawn inside each other.
    pub max_xobject_depth: usize,
    /// Wall-clock budget for the whole call, checked while interpreting content.
    pub deadline: Duration,
}

impl Default for Limits {
    /// 5000 pages, 20 million operators, form depth 8, 60 seconds.
    fn default() -> Self {
        Limits {
            max_pages: 5000,
            max_ops: 20_000_000,
            max_xobject_depth: 8,
            deadline: Duration::from_secs(60),
        }
    }
}

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The bytes are not a PDF file (no `%PDF-` header).
    NotAPdf,
    /// The file is encrypted and cannot be opened without a password.
    Encrypted,
    /// The file is damaged: truncated, broken cross-reference data, unreadable objects.
    Broken(String),
    /// The file has pages but no text on them: a scan that needs OCR.
    NoTextLayer {
        /// Number of pages in the document.
        pages: usize,
    },
    /// A limit or the deadline was hit (the message says which).
    TooComplex(String),
    /// The reader panicked; the message is the panic's.
    Panic(String),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::NotAPdf => write!(f, "not a PDF file (no %PDF- header)"),
            PdfError::Encrypted => write!(
                f,
                "PDF is encrypted with a password: it cannot be read without the password"
            ),
            PdfError::Broken(why) => write!(f, "PDF is damaged and cannot be read: {why}"),
            PdfError::NoTextLayer { pages } => write!(
                f,
                "PDF has no text layer ({pages} page{} of images): it is a scan and needs OCR",
                if *pages == 1 { "" } else { "s" }
            ),
            PdfError::TooComplex(why) => write!(f, "PDF is too complex to read: {why}"),
            PdfError::Panic(why) => write!(f, "internal error while reading the PDF: {why}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// One shown character with its horizontal extent and baseline, in page space.
///
/// Page space is the page as displayed: its `/Rotate` applied, origin at the top-left
/// corner of the crop box, x growing right and y growing down, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// The character (one code that maps to several characters gives several glyphs).
    pub ch: char,
    /// Left edge.
    pub x0: f32,
    /// Right edge (left edge plus the advance width).
    pub x1: f32,
    /// Baseline, y growing down the page.
    pub y: f32,
    /// Font size in page space (points).
    pub size: f32,
}

/// A ruling line or thin rectangle drawn by a fill or stroke, in page space (`x0 <= x1`, `y0 <= y1`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Left edge.
    pub x0: f32,
    /// Top edge.
    pub y0: f32,
    /// Right edge.
    pub x1: f32,
    /// Bottom edge.
    pub y1: f32,
}

impl Rule {
    /// Whether the rule is vertical: at most 3 pt wide and taller than that.
    pub fn is_vertical(&self) -> bool {
        self.x1 - self.x0 <= 3.0 && self.y1 - self.y0 > 3.0
    }

    /// Whether the rule is horizontal: at most 3 pt high and wider than that.
    pub fn is_horizontal(&self) -> bool {
        self.y1 - self.y0 <= 3.0 && self.x1 - self.x0 > 3.0
    }

    /// Whether a vertical rule crosses a text line on baseline `y` in a font of `size`.
    pub fn crosses_line(&self, y: f32, size: f32) -> bool {
        self.y0 <= y - 0.6 * size && self.y1 >= y - 0.2 * size
    }
}

/// A run of text on one line without a wide gap or a ruling line inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextSpan {
    /// The characters, with single spaces where words are separated.
    pub text: String,
    /// Left edge of the first glyph.
    pub x0: f32,
    /// Right edge of the last glyph.
    pub x1: f32,
}

/// Glyphs sharing a baseline, split into spans left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// Baseline (mean of the glyphs'), y growing down.
    pub y: f32,
    /// Median font size of the line's glyphs.
    pub size: f32,
    /// Spans, left to right.
    pub spans: Vec<TextSpan>,
}

impl TextLine {
    /// The spans' texts joined by `sep`.
    pub fn text(&self, sep: &str) -> String {
        self.spans
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(sep)
    }
}

/// One page as displayed.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Page number, 1-based.
    pub number: u32,
    /// Width as displayed (after `/Rotate`), in points.
    pub width: f32,
    /// Height as displayed (after `/Rotate`), in points.
    pub height: f32,
    /// The page's `/Rotate`, normalised to 0, 90, 180 or 270.
    pub rotation: i32,
    /// Text lines, top to bottom.
    pub lines: Vec<TextLine>,
    /// Ruling lines and thin rectangles.
    pub rules: Vec<Rule>,
    /// Images drawn on the page (image XObjects and inline images, counted per use).
    pub n_images: usize,
    /// Share of the page's area the images cover (0–1; overlapping images counted once each,
    /// capped at 1): a scanned page's image covers most of it, a logo little.
    pub image_cover: f32,
}

/// The text of a whole document.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfText {
    /// Pages in order.
    pub pages: Vec<Page>,
    /// What was damaged in the file and repaired to read it (its cross-reference data), in
    /// words; empty for an intact file. The reader logs nothing itself: the caller, which
    /// knows the file's name, reports it.
    pub repairs: Vec<String>,
}

/// Fewest glyphs (no Chinese character among them) that make a text layer over page images
/// readable text rather than a scanner's stamp.
const MIN_READABLE_GLYPHS: usize = 40;

/// Least share of a page its images must cover for the page to be a scanned page (see
/// [`Page::needs_ocr`]): a logo or a photo beside no text is no page of text.
pub const MIN_SCAN_COVER: f32 = 0.5;

/// Whether characters shown over page images say something: a Chinese character among them,
/// or at least [`MIN_READABLE_GLYPHS`] that are not spaces. A copier's stamp
/// (`CSCR-2023-19001`) does not.
fn readable(chars: impl Iterator<Item = char> + Clone) -> bool {
    chars
        .clone()
        .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
        || chars.filter(|c| !c.is_whitespace()).count() >= MIN_READABLE_GLYPHS
}

impl Page {
    /// Whether the page is a scanned page in a document with a text layer: its images cover
    /// at least [`MIN_SCAN_COVER`] of it and its own text is not readable (none, or a stamp:
    /// the rule [`PdfError::NoTextLayer`] applies to a whole document). A blank page or a page
    /// of text never needs OCR. Ask before [`strip_page_furniture`], which removes lines.
    pub fn needs_ocr(&self) -> bool {
        self.image_cover >= MIN_SCAN_COVER
            && !readable(
                self.lines
                    .iter()
                    .flat_map(|l| &l.spans)
                    .flat_map(|s| s.text.chars()),
            )
    }
}

/// One page before layout: its glyphs in drawing order, rules and image count.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphPage {
    /// Page number, 1-based.
    pub number: u32,
    /// Width as displayed (after `/Rotate`), in points.
    pub width: f32,
    /// Height as displayed (after `/Rotate`), in points.
    pub height: f32,
    /// The page's `/Rotate`, normalised to 0, 90, 180 or 270.
    pub rotation: i32,
    /// Shown glyphs (spaces included), in the order they are drawn.
    pub glyphs: Vec<Glyph>,
    /// Ruling lines and thin rectangles.
    pub rules: Vec<Rule>,
    /// Images drawn on the page (image XObjects and inline images, counted per use).
    pub n_images: usize,
    /// Share of the page's area the images cover (0–1; overlapping images counted once each,
    /// capped at 1): a scanned page's image covers most of it, a logo little.
    pub image_cover: f32,
}

/// Read a PDF held in memory into positioned text, within `limits`.
///
/// Lines and spans come from [`layout_lines`] with [`SPAN_GAP`] and the page's rules.
/// Never panics and never runs far past `limits.deadline` once content is being read.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<PdfText, PdfError> {
    guarded(|| {
        let (pages, repairs) = glyph_pages(bytes, limits, Instant::now())?;
        Ok(PdfText {
            repairs,
            pages: pages
                .into_iter()
                .map(|p| Page {
                    number: p.number,
                    width: p.width,
                    height: p.height,
                    rotation: p.rotation,
                    lines: layout_lines(&p.glyphs, &p.rules, SPAN_GAP),
                    rules: p.rules,
                    n_images: p.n_images,
                    image_cover: p.image_cover,
                })
                .collect(),
        })
    })
}

/// Read a PDF into glyphs per page, without grouping them into lines (same errors and limits
/// as [`extract`]); use it to lay text out with another span gap.
pub fn extract_glyphs(bytes: &[u8], limits: &Limits) -> Result<Vec<GlyphPage>, PdfError> {
    guarded(|| glyph_pages(bytes, limits, Instant::now()).map(|(pages, _)| pages))
}

/// Run `f`, turning a panic into [`PdfError::Panic`].
fn guarded<T>(f: impl FnOnce() -> Result<T, PdfError>) -> Result<T, PdfError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let msg = if let Some(s) = payload.downcast_ref::<&str>() {
                (*s).to_string()
            } else if let Some(s) = payload.downcast_ref::<String>() {
                s.clone()
            } else {
                "panic with a non-text payload".to_string()
            };
            Err(PdfError::Panic(msg))
        }
    }
}

/// Where the PDF header must start: within the first KiB, as readers accept.
fn has_pdf_header(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

fn lopdf_error(e: lopdf::Error) -> PdfError {
    match e {
        lopdf::Error::Decryption(_)
        | lopdf::Error::InvalidPassword
        | lopdf::Error::UnsupportedSecurityHandler(_) => PdfError::Encrypted,
        lopdf::Error::Parse(lopdf::ParseError::InvalidFileHeader) => PdfError::NotAPdf,
        other => PdfError::Broken(other.to_string()),
    }
}

fn stop_error(s: Stop) -> PdfError {
    match s {
        Stop::TooComplex(m) => PdfError::TooComplex(m),
        Stop::Broken(m) => PdfError::Broken(m),
    }
}

/// A page attribute, looked up on the page and then its ancestors.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Some(v) = get(doc, node, key) {
            return Some(v);
        }
        match get(doc, node, b"Parent") {
            Some(Object::Dictionary(p)) => node = p,
            _ => return None,
        }
    }
    None
}

fn rect(doc: &Document, obj: Option<&Object>) -> Option<[f64; 4]> {
    let Some(Object::Array(a)) = obj else {
        return None;
    };
    let v: Vec<f64> = a
        .iter()
        .filter_map(|o| objects::num(deref(doc, o)))
        .map(|v| v as f64)
        .collect();
    if v.len() != 4 {
        return None;
    }
    let r = [
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ];
    if r[2] - r[0] < 1.0 || r[3] - r[1] < 1.0 || r[2] - r[0] > 1e6 || r[3] - r[1] > 1e6 {
        return None;
    }
    Some(r)
}

/// The page's content streams, decoded and joined.
fn page_content(doc: &Document, page: &Dictionary, number: u32) -> Result<Vec<u8>, PdfError> {
    const MAX_PAGE_BYTES: usize = 256 << 20;
    let missing = |id: ObjectId| {
        PdfError::Broken(format!(
            "page {number}: its content (object {} {} R) is missing from the file",
            id.0, id.1
        ))
    };
    let mut streams: Vec<&Object> = Vec::new();
    match page.get(b"Contents") {
        Ok(c) => match resolve(doc, c).map_err(|m| missing(m.0))? {
            Object::Array(items) => {
                for item in items {
                    streams.push(resolve(doc, item).map_err(|m| missing(m.0))?);
                }
            }
            other => streams.push(other),
        },
        Err(_) => return Ok(Vec::new()),
    }
    let mut out = Vec::new();
    for s in streams {
        if let Object::Stream(stream) = s {
            let data = stream
                .get_plain_content_with_limit(MAX_PAGE_BYTES.saturating_sub(out.len()))
                .map_err(|e| {
                    PdfError::Broken(format!("page {number}: cannot decode its content: {e}"))
                })?;
            out.extend_from_slice(&data);
            out.push(b'\n');
        }
    }
    Ok(out)
}

/// How lenient loading repaired the file's cross-reference data, in words.
fn xref_repair(recovery: Option<lopdf::xref::XrefRecovery>) -> Option<&'static str> {
    use lopdf::xref::XrefRecovery;
    match recovery? {
        XrefRecovery::OffsetCorrected => Some(
            "cross-reference offsets did not point at cross-reference data and were corrected",
        ),
        XrefRecovery::Reconstructed => Some(
            "cross-reference table rebuilt by scanning the file for objects (the file is truncated or its cross-reference data is damaged; objects may be missing)",
        ),
        _ => Some("cross-reference data repaired"),
    }
}

/// The pages' glyphs, and what was repaired to read them.
fn glyph_pages(
    bytes: &[u8],
    limits: &Limits,
    started: Instant,
) -> Result<(Vec<GlyphPage>, Vec<String>), PdfError> {
    if !has_pdf_header(bytes) {
        return Err(PdfError::NotAPdf);
    }
    let doc = Document::load_mem_with_options(bytes, lopdf::LoadOptions::default())
        .map_err(lopdf_error)?;
    if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
        return Err(PdfError::Encrypted);
    }
    let mut budget = Budget::new(limits, started);
    budget.check_deadline().map_err(stop_error)?;

    let page_ids: Vec<ObjectId> = doc
        .page_iter()
        .take(limits.max_pages.saturating_add(1))
        .collect();
    if page_ids.is_empty() {
        return Err(PdfError::Broken(
            "no pages found (the page tree is missing or unreadable)".into(),
        ));
    }
    if page_ids.len() > limits.max_pages {
        return Err(PdfError::TooComplex(format!(
            "more than {} pages (limit)",
            limits.max_pages
        )));
    }

    let mut cache = DocCache::default();
    let mut pages = Vec::with_capacity(page_ids.len());
    let mut any_text = false;
    for (i, id) in page_ids.iter().enumerate() {
        let number = i as u32 + 1;
        let page = match doc.objects.get(id) {
            Some(Object::Dictionary(d)) => d,
            _ => {
                return Err(PdfError::Broken(format!(
                    "page {number} (object {} {} R) is missing or not a dictionary",
                    id.0, id.1
                )))
            }
        };
        let media =
            rect(&doc, inherited(&doc, page, b"MediaBox")).unwrap_or([0.0, 0.0, 595.0, 842.0]);
        let bx = match rect(&doc, inherited(&doc, page, b"CropBox")) {
            Some(c) => {
                let r = [
                    c[0].max(media[0]),
                    c[1].max(media[1]),
                    c[2].min(media[2]),
                    c[3].min(media[3]),
                ];
                if r[2] - r[0] >= 1.0 && r[3] - r[1] >= 1.0 {
                    r
                } else {
                    media
                }
            }
            None => media,
        };
        let rotation = inherited(&doc, page, b"Rotate")
            .and_then(objects::num)
            .map(|r| (((r / 90.0).round() as i64).rem_euclid(4) * 90) as i32)
            .unwrap_or(0);
        let (w, h) = (bx[2] - bx[0], bx[3] - bx[1]);
        let (width, height) = if rotation % 180 == 0 { (w, h) } else { (h, w) };
        let resources = match inherited(&doc, page, b"Resources") {
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        let content = page_content(&doc, page, number)?;
        let mut interp = Interp::new(
            &doc,
            &mut budget,
            &mut cache,
            page_matrix(bx, rotation),
            width,
            height,
        );
        interp.run(&content, resources).map_err(stop_error)?;
        let out = interp.finish();
        any_text |= out.glyphs.iter().any(|g| !g.ch.is_whitespace());
        pages.push(GlyphPage {
            number,
            width: width as f32,
            height: height as f32,
            rotation,
            glyphs: out.glyphs,
            rules: out.rules,
            n_images: out.n_images,
            image_cover: (out.image_area / (width * height).max(1.0)).min(1.0) as f32,
        });
        budget.check_deadline().map_err(stop_error)?;
    }
    // A text layer that says nothing (a scanner's stamp `CSCR-2023-19001` over page images: no
    // Chinese character and a few dozen glyphs in all) is no text layer: the pages need OCR.
    let images = pages.iter().any(|p| p.n_images > 0);
    if !any_text || (images && !readable(pages.iter().flat_map(|p| &p.glyphs).map(|g| g.ch))) {
        return Err(PdfError::NoTextLayer { pages: pages.len() });
    }
    let mut repairs = Vec::new();
    if let Some(why) = xref_repair(doc.xref_recovery) {
        let glyphs = pages.iter().flat_map(|p| &p.glyphs);
        let shown = glyphs.clone().filter(|g| !g.ch.is_whitespace()).count();
        let unreadable = glyphs.filter(|g| g.ch == '\u{FFFD}').count();
        repairs.push(format!(
            "PDF repaired: {why}; {unreadable} of {shown} characters could not be read"
        ));
    }
    Ok((pages, repairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert_eq!(
            PdfError::NoTextLayer { pages: 12 }.to_string(),
            "PDF has no text layer (12 pages of images): it is a scan and needs OCR"
        );
        assert!(PdfError::Encrypted.to_string().contains("password"));
        assert!(PdfError::NotAPdf.to_string().contains("not a PDF"));
    }

    #[test]
    fn panics_become_errors() {
        let r: Result<(), PdfError> = guarded(|| panic!("boom {}", 42));
        assert_eq!(r, Err(PdfError::Panic("boom 42".into())));
        let r: Result<(), PdfError> = guarded(|| panic!("static"));
        assert_eq!(r, Err(PdfError::Panic("static".into())));
    }

    #[test]
    fn not_a_pdf() {
        assert_eq!(extract(b"", &Limits::default()), Err(PdfError::NotAPdf));
        assert_eq!(
            extract(b"hello world, this is text", &Limits::default()),
            Err(PdfError::NotAPdf)
        );
    }
}
