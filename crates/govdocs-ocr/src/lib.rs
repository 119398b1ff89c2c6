//! OCR of scanned PDF pages: each page is rendered to a grey image by poppler's `pdftoppm`
//! (a well-kept renderer that draws whatever the page holds, whatever the image codec) and
//! read by RapidOCR (PP-OCRv4 ONNX models from the `rapidocr_onnxruntime` wheel, through the
//! shipped script [`RAPIDOCR_SCRIPT`], when `GOVDOCS_OCR_PYTHON` names a Python that has it) or
//! by the Tesseract 5 CLI with the `chi_sim` model (TSV output), pages turned upright and
//! their skew taken out of the word boxes. The words become the same positioned lines and
//! spans ([`govdocs_pdf::Page`]) the text-layer reader produces.
//!
//! The tools run as subprocesses with timeouts; nothing touches the network. With no engine
//! installed, [`Engine::detect`] says what to install.

mod tsv;

use govdocs_pdf::{Page, PdfText};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub use tsv::{deskew, lines_from_words, parse_tsv, Word};

/// Resolution pages are rendered at for OCR, in dots per inch.
pub const DPI: u32 = 300;

/// A word confidence (0–100) below which a number read from it is doubted.
pub const DOUBT_CONFIDENCE: f32 = 60.0;

/// What to install when no OCR engine is found.
pub const INSTALL_HINT: &str = "apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils (or, stronger: poppler-utils, and pip install rapidocr_onnxruntime with GOVDOCS_OCR_PYTHON naming that Python)";

/// The reader of page images.
#[derive(Debug, Clone)]
pub enum Reader {
    /// The Tesseract 5 CLI with the `chi_sim` model.
    Tesseract {
        /// The `tesseract` program.
        program: PathBuf,
        /// Whether the orientation model (`osd`) is installed, to correct rotated pages.
        osd: bool,
    },
    /// RapidOCR (PP-OCR det/cls/rec ONNX models shipped in the `rapidocr_onnxruntime` wheel,
    /// run by onnxruntime) through [`RAPIDOCR_SCRIPT`], one Python process per document.
    RapidOcr {
        /// A Python that imports `rapidocr_onnxruntime` (`GOVDOCS_OCR_PYTHON`).
        python: PathBuf,
    },
}

/// The Python script that reads page images with RapidOCR and prints their words as JSON
/// lines; written to the document's temporary directory and run by [`Reader::RapidOcr`].
pub const RAPIDOCR_SCRIPT: &str = include_str!("rapidocr_pages.py");

/// Environment variable naming a Python that can import `rapidocr_onnxruntime`: when set,
/// RapidOCR reads the pages; otherwise Tesseract does.
pub const PYTHON_ENV: &str = "GOVDOCS_OCR_PYTHON";

/// The OCR engine found on this machine: `pdftoppm` and a reader of page images.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The reader of page images.
    pub reader: Reader,
    /// Poppler's `pdftoppm` program.
    pub pdftoppm: PathBuf,
    /// The reader's name and version (`tesseract 5.3.0`, `rapidocr_onnxruntime 1.4.4`).
    pub version: String,
    /// Time allowed for one subprocess (rendering a document, reading one page).
    pub timeout: Duration,
}

/// A scanned document read by OCR.
#[derive(Debug, Clone)]
pub struct OcrText {
    /// Pages as positioned lines and spans, in points, like the text-layer reader's.
    pub text: PdfText,
    /// Lowest word confidence (0–100) of each span, keyed by [`span_key`].
    pub confidence: HashMap<(u32, u32, u32), f32>,
    /// Pages turned upright before reading: (page number, degrees turned clockwise).
    pub rotated: Vec<(u32, u32)>,
    /// Pages whose small skew was taken out of the word boxes: (page number, degrees).
    pub deskewed: Vec<(u32, f32)>,
    /// Mean word confidence over the document (0–100).
    pub mean_confidence: f32,
}

/// Key of a span in [`OcrText::confidence`]: page number, the line's y and the span's x0 bits.
pub fn span_key(page: u32, y: f32, x0: f32) -> (u32, u32, u32) {
    (page, y.to_bits(), x0.to_bits())
}

fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Run a command with a timeout; its stdout, or an error naming the program.
fn run(cmd: &mut Command, timeout: Duration) -> Result<Vec<u8>, String> {
    let name = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd
        // One thread per page: the pipeline runs documents in parallel already.
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {name}: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{name} took more than {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("{name}: {e}")),
        }
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    if !status.success() {
        let msg = String::from_utf8_lossy(&err);
        return Err(format!(
            "{name} failed ({status}): {}",
            msg.trim().lines().last().unwrap_or("")
        ));
    }
    Ok(out)
}

impl Engine {
    /// The engine of this machine, found once per process: RapidOCR when [`PYTHON_ENV`]
    /// names a Python that imports it, otherwise Tesseract ([`Engine::tesseract`]); the error
    /// says what to install.
    pub fn detect() -> Result<Engine, String> {
        static FOUND: std::sync::OnceLock<Result<Engine, String>> = std::sync::OnceLock::new();
        FOUND
            .get_or_init(|| match std::env::var_os(PYTHON_ENV) {
                Some(py) if !py.is_empty() => Engine::rapidocr(Path::new(&py)),
                _ => Engine::tesseract(),
            })
            .clone()
    }

    /// RapidOCR run by `python`, which must import `rapidocr_onnxruntime`, and `pdftoppm`.
    pub fn rapidocr(python: &Path) -> Result<Engine, String> {
        let pdftoppm = find_program("pdftoppm")
            .ok_or_else(|| format!("pdftoppm (poppler) not found; install it: {INSTALL_HINT}"))?;
        let out = run(
            Command::new(python).args([
                "-c",
                "import importlib.metadata as m, rapidocr_onnxruntime; print(m.version('rapidocr_onnxruntime'))",
            ]),
            Duration::from_secs(60),
        )
        .map_err(|e| {
            format!(
                "{PYTHON_ENV}={} cannot import rapidocr_onnxruntime ({e}); install it: pip install rapidocr_onnxruntime",
                python.display()
            )
        })?;
        Ok(Engine {
            reader: Reader::RapidOcr {
                python: python.to_path_buf(),
            },
            pdftoppm,
            version: format!(
                "rapidocr_onnxruntime {}",
                String::from_utf8_lossy(&out).trim()
            ),
            timeout: Duration::from_secs(120),
        })
    }

    /// `tesseract` with the `chi_sim` model, and `pdftoppm`; the error says what to install.
    pub fn tesseract() -> Result<Engine, String> {
        let missing = |what: &str| format!("{what} not found; install it: {INSTALL_HINT}");
        let tesseract = find_program("tesseract").ok_or_else(|| missing("tesseract"))?;
        let pdftoppm = find_program("pdftoppm").ok_or_else(|| missing("pdftoppm (poppler)"))?;
        let timeout = Duration::from_secs(10);
        let langs = run(Command::new(&tesseract).arg("--list-langs"), timeout)?;
        let langs = String::from_utf8_lossy(&langs);
        if !langs.lines().any(|l| l.trim() == "chi_sim") {
            return Err(missing("the tesseract chi_sim model"));
        }
        let osd = langs.lines().any(|l| l.trim() == "osd");
        let version = run(Command::new(&tesseract).arg("--version"), timeout)?;
        let version = String::from_utf8_lossy(&version)
            .lines()
            .next()
            .unwrap_or("tesseract")
            .trim()
            .to_string();
        Ok(Engine {
            reader: Reader::Tesseract {
                program: tesseract,
                osd,
            },
            pdftoppm,
            version,
            timeout: Duration::from_secs(120),
        })
    }

    /// The model the reader uses, for warnings (`chi_sim`, `PP-OCRv4`).
    pub fn model(&self) -> &'static str {
        match self.reader {
            Reader::Tesseract { .. } => "chi_sim",
            Reader::RapidOcr { .. } => "PP-OCRv4",
        }
    }

    /// Read every page of a scanned PDF.
    pub fn read_pdf(&self, bytes: &[u8]) -> Result<OcrText, String> {
        self.read(bytes, None)
    }

    /// Read the pages numbered `pages` (1-based) of a PDF, the scanned pages of a document
    /// whose other pages have a text layer; the pages keep their numbers.
    pub fn read_pdf_pages(&self, bytes: &[u8], pages: &[u32]) -> Result<OcrText, String> {
        self.read(bytes, Some(pages))
    }

    /// Read the pages `only` (all when `None`).
    fn read(&self, bytes: &[u8], only: Option<&[u32]>) -> Result<OcrText, String> {
        let dir = tempfile::tempdir().map_err(|e| format!("OCR: no temporary directory: {e}"))?;
        let pdf = dir.path().join("in.pdf");
        std::fs::write(&pdf, bytes).map_err(|e| format!("OCR: cannot write: {e}"))?;
        let prefix = dir.path().join("p");
        let render = |range: Option<(u32, u32)>| {
            let mut cmd = Command::new(&self.pdftoppm);
            cmd.args(["-r", &DPI.to_string(), "-gray"]);
            if let Some((first, last)) = range {
                cmd.args(["-f", &first.to_string(), "-l", &last.to_string()]);
            }
            run(cmd.arg(&pdf).arg(&prefix), self.timeout)
        };
        match only {
            None => {
                render(None)?;
            }
            Some(pages) => {
                for range in runs(pages) {
                    render(Some(range))?;
                }
            }
        }
        // pdftoppm names pages p-1.pgm … p-12.pgm (zero-padded to the page count's width).
        let mut images: Vec<(u32, PathBuf)> = std::fs::read_dir(dir.path())
            .map_err(|e| format!("OCR: {e}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter_map(|p| {
                let stem = p.file_stem()?.to_str()?.strip_prefix("p-")?.parse().ok()?;
                (p.extension()? == "pgm").then_some((stem, p))
            })
            .collect();
        images.sort();
        if images.is_empty() {
            return Err("OCR: pdftoppm rendered no page".into());
        }
        let reads: Vec<PageRead> = match &self.reader {
            Reader::Tesseract { program, osd } => images
                .iter()
                .map(|(number, path)| self.read_page_tesseract(program, *osd, *number, path))
                .collect::<Result<_, _>>()?,
            Reader::RapidOcr { python } => self.read_pages_rapidocr(python, dir.path(), &images)?,
        };
        let mut text = PdfText {
            pages: Vec::new(),
            repairs: Vec::new(),
        };
        let mut confidence = HashMap::new();
        let mut rotated = Vec::new();
        let mut deskewed = Vec::new();
        let (mut sum, mut n) = (0.0f64, 0usize);
        for ((number, _), read) in images.iter().zip(reads) {
            let number = *number;
            let PageRead {
                size,
                turned,
                skew,
                words,
            } = read;
            if turned != 0 {
                rotated.push((number, turned));
            }
            if skew != 0.0 {
                deskewed.push((number, skew));
            }
            for w in &words {
                sum += w.conf as f64;
                n += 1;
            }
            let scale = 72.0 / DPI as f32;
            let lines = lines_from_words(&words, scale);
            for (line, confs) in &lines {
                for (span, c) in line.spans.iter().zip(confs) {
                    confidence.insert(span_key(number, line.y, span.x0), *c);
                }
            }
            text.pages.push(Page {
                number,
                width: size.0 as f32 * scale,
                height: size.1 as f32 * scale,
                rotation: 0,
                lines: lines.into_iter().map(|(l, _)| l).collect(),
                rules: Vec::new(),
                n_images: 1,
                image_cover: 1.0,
            });
        }
        Ok(OcrText {
            text,
            confidence,
            rotated,
            deskewed,
            mean_confidence: if n == 0 { 0.0 } else { (sum / n as f64) as f32 },
        })
    }

    /// Read all page images with RapidOCR in one Python process (the models load once).
    fn read_pages_rapidocr(
        &self,
        python: &Path,
        dir: &Path,
        images: &[(u32, PathBuf)],
    ) -> Result<Vec<PageRead>, String> {
        let script = dir.join("rapidocr_pages.py");
        std::fs::write(&script, RAPIDOCR_SCRIPT).map_err(|e| format!("OCR: {e}"))?;
        let out = run(
            Command::new(python)
                .arg(&script)
                .args(images.iter().map(|(_, p)| p)),
            self.timeout * images.len().max(1) as u32,
        )
        .map_err(|e| format!("OCR: {e}"))?;
        let reads: Vec<PageRead> = String::from_utf8_lossy(&out)
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(rapid::page)
            .collect::<Result<_, _>>()?;
        if reads.len() != images.len() {
            return Err(format!(
                "OCR: RapidOCR read {} of {} pages",
                reads.len(),
                images.len()
            ));
        }
        Ok(reads)
    }

    /// Read one page image with Tesseract, turned upright by OSD first.
    fn read_page_tesseract(
        &self,
        tesseract: &Path,
        osd: bool,
        number: u32,
        path: &Path,
    ) -> Result<PageRead, String> {
        let mut image = std::fs::read(path).map_err(|e| format!("OCR: {e}"))?;
        let mut turned = 0;
        if osd {
            let osd = run(
                Command::new(tesseract).arg(path).args([
                    "-",
                    "--psm",
                    "0",
                    "--dpi",
                    &DPI.to_string(),
                ]),
                self.timeout,
            )
            // A page OSD cannot judge (too little text) is read as it is.
            .unwrap_or_default();
            if let Some(rot) = osd_rotation(&String::from_utf8_lossy(&osd)) {
                if let Some(r) = pgm::rotate(&image, rot) {
                    image = r;
                    std::fs::write(path, &image).map_err(|e| format!("OCR: {e}"))?;
                    turned = rot;
                }
            }
        }
        let size = pgm::size(&image).ok_or_else(|| format!("OCR: page {number}: bad image"))?;
        let out = run(
            Command::new(tesseract)
                .arg(path)
                // A PGM carries no resolution: without `--dpi` Tesseract assumes 70 and reads
                // far worse.
                .args([
                    "-",
                    "-l",
                    "chi_sim",
                    "--psm",
                    "3",
                    "--dpi",
                    &DPI.to_string(),
                    "tsv",
                ]),
            self.timeout,
        )
        .map_err(|e| format!("OCR of page {number}: {e}"))?;
        let mut words = parse_tsv(&String::from_utf8_lossy(&out));
        let skew = tsv::deskew(&mut words, size);
        Ok(PageRead {
            size,
            turned,
            skew,
            words,
        })
    }
}

/// Runs of consecutive page numbers, (first, last), in order (duplicates and 0 dropped).
fn runs(pages: &[u32]) -> Vec<(u32, u32)> {
    let mut sorted: Vec<u32> = pages.iter().copied().filter(|&p| p > 0).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for p in sorted {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == p => *last = p,
            _ => out.push((p, p)),
        }
    }
    out
}

/// A page read: its size in pixels (upright), the degrees it was turned, the skew taken out
/// of its word boxes, its words.
struct PageRead {
    size: (u32, u32),
    turned: u32,
    skew: f32,
    words: Vec<Word>,
}

mod rapid {
    //! The JSON lines of [`super::RAPIDOCR_SCRIPT`].

    use super::{PageRead, Word};
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct JsonPage {
        width: u32,
        height: u32,
        turned: u32,
        skew: f32,
        words: Vec<JsonWord>,
    }

    #[derive(Deserialize)]
    struct JsonWord {
        line: u32,
        left: f32,
        top: f32,
        width: f32,
        height: f32,
        conf: f32,
        text: String,
        #[serde(default)]
        apart: bool,
    }

    /// One page of the script's output.
    pub(super) fn page(line: &str) -> Result<PageRead, String> {
        let p: JsonPage =
            serde_json::from_str(line).map_err(|e| format!("OCR: RapidOCR output: {e}"))?;
        Ok(PageRead {
            size: (p.width, p.height),
            turned: p.turned,
            skew: p.skew,
            words: p
                .words
                .into_iter()
                .filter(|w| !w.text.trim().is_empty())
                .map(|w| Word {
                    line: (w.line, 0, 0),
                    left: w.left,
                    top: w.top,
                    width: w.width,
                    height: w.height,
                    conf: w.conf,
                    text: w.text,
                    apart: w.apart,
                })
                .collect(),
        })
    }
}

/// The clockwise turn OSD asks for (90, 180 or 270), when it is confident of it.
fn osd_rotation(osd: &str) -> Option<u32> {
    let field = |name: &str| {
        osd.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse::<f32>().ok())
    };
    let rotate = field("Rotate:")? as u32;
    let conf = field("Orientation confidence:")?;
    // Tesseract's own threshold for trusting OSD is about 2; a wrong turn ruins the page, so
    // ask for more.
    (matches!(rotate, 90 | 180 | 270) && conf >= 5.0).then_some(rotate)
}

mod pgm {
    //! Binary grey PGM (`P5`, 8-bit) images as pdftoppm writes them: size and quarter turns.

    fn header(b: &[u8]) -> Option<(u32, u32, usize)> {
        if !b.starts_with(b"P5") {
            return None;
        }
        let mut fields = Vec::new();
        let mut i = 2;
        while fields.len() < 3 {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if b.get(i) == Some(&b'#') {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            fields.push(std::str::from_utf8(&b[s..i]).ok()?.parse::<u32>().ok()?);
        }
        if fields[2] != 255 {
            return None;
        }
        Some((fields[0], fields[1], i + 1))
    }

    /// Width and height of the image.
    pub fn size(b: &[u8]) -> Option<(u32, u32)> {
        header(b).map(|(w, h, _)| (w, h))
    }

    /// The image turned clockwise by 90, 180 or 270 degrees.
    pub fn rotate(b: &[u8], deg: u32) -> Option<Vec<u8>> {
        let (w, h, start) = header(b)?;
        let (w, h) = (w as usize, h as usize);
        let px = b.get(start..start + w * h)?;
        let (nw, nh) = if deg == 180 { (w, h) } else { (h, w) };
        let mut out = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let (nx, ny) = match deg {
                    90 => (h - 1 - y, x),
                    180 => (w - 1 - x, h - 1 - y),
                    270 => (y, w - 1 - x),
                    _ => return None,
                };
                out[ny * nw + nx] = px[y * w + x];
            }
        }
        let mut r = format!("P5\n{nw} {nh}\n255\n").into_bytes();
        r.extend_from_slice(&out);
        Some(r)
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn quarter_turns() {
            // 3×2 image:  1 2 3 / 4 5 6
            let mut img = b"P5\n3 2\n255\n".to_vec();
            img.extend_from_slice(&[1, 2, 3, 4, 5, 6]);
            let r = super::rotate(&img, 90).unwrap();
            assert_eq!(super::size(&r), Some((2, 3)));
            assert_eq!(&r[r.len() - 6..], &[4, 1, 5, 2, 6, 3]);
            let r = super::rotate(&img, 180).unwrap();
            assert_eq!(&r[r.len() - 6..], &[6, 5, 4, 3, 2, 1]);
            let r = super::rotate(&img, 270).unwrap();
            assert_eq!(&r[r.len() - 6..], &[3, 6, 2, 5, 1, 4]);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_runs() {
        assert_eq!(super::runs(&[7, 3, 4, 0, 9, 8, 3]), vec![(3, 4), (7, 9)]);
        assert_eq!(super::runs(&[]), vec![]);
    }

    #[test]
    fn osd_output() {
        let s = "Page number: 0\nOrientation in degrees: 270\nRotate: 90\nOrientation confidence: 12.5\nScript: Han\n";
        assert_eq!(super::osd_rotation(s), Some(90));
        let weak = s.replace("12.5", "1.1");
        assert_eq!(super::osd_rotation(&weak), None);
        let upright = "Rotate: 0\nOrientation confidence: 15.78\n";
        assert_eq!(super::osd_rotation(upright), None);
    }
}
