//! OCR of scanned PDF pages: each page is rendered to a grey image by poppler's `pdftoppm`
//! (a well-kept renderer that draws whatever the page holds, whatever the image codec), its
//! orientation found by Tesseract's OSD and corrected, and its words read by the Tesseract 5
//! CLI with the `chi_sim` model (TSV output: word boxes and confidences). The words become the
//! same positioned lines and spans ([`govdocs_pdf::Page`]) the text-layer reader produces.
//!
//! Both tools run as subprocesses with timeouts; nothing touches the network. With no engine
//! installed, [`Engine::detect`] says what to install.

mod tsv;

use govdocs_pdf::{Page, PdfText};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub use tsv::{lines_from_words, parse_tsv, Word};

/// Resolution pages are rendered at for OCR, in dots per inch.
pub const DPI: u32 = 300;

/// A word confidence (0–100) below which a number read from it is doubted.
pub const DOUBT_CONFIDENCE: f32 = 60.0;

/// What to install when no OCR engine is found.
pub const INSTALL_HINT: &str = "apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils";

/// The OCR engine found on this machine: the `tesseract` and `pdftoppm` programs.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The `tesseract` program.
    pub tesseract: PathBuf,
    /// Poppler's `pdftoppm` program.
    pub pdftoppm: PathBuf,
    /// Tesseract's version line (`tesseract 5.3.0`).
    pub version: String,
    /// Whether the orientation model (`osd`) is installed, to correct rotated pages.
    pub osd: bool,
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
    /// Find `tesseract` with the `chi_sim` model and `pdftoppm`; the error says what to install.
    pub fn detect() -> Result<Engine, String> {
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
            tesseract,
            pdftoppm,
            version,
            osd,
            timeout: Duration::from_secs(120),
        })
    }

    /// Read every page of a scanned PDF.
    pub fn read_pdf(&self, bytes: &[u8]) -> Result<OcrText, String> {
        let dir = tempfile::tempdir().map_err(|e| format!("OCR: no temporary directory: {e}"))?;
        let pdf = dir.path().join("in.pdf");
        std::fs::write(&pdf, bytes).map_err(|e| format!("OCR: cannot write: {e}"))?;
        let prefix = dir.path().join("p");
        run(
            Command::new(&self.pdftoppm)
                .args(["-r", &DPI.to_string(), "-gray"])
                .arg(&pdf)
                .arg(&prefix),
            self.timeout,
        )?;
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
        let mut text = PdfText {
            pages: Vec::new(),
            repairs: Vec::new(),
        };
        let mut confidence = HashMap::new();
        let mut rotated = Vec::new();
        let (mut sum, mut n) = (0.0f64, 0usize);
        for (number, path) in images {
            let (page, turned, words) = self.read_page(number, &path)?;
            if turned != 0 {
                rotated.push((number, turned));
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
                width: page.0 as f32 * scale,
                height: page.1 as f32 * scale,
                rotation: 0,
                lines: lines.into_iter().map(|(l, _)| l).collect(),
                rules: Vec::new(),
                n_images: 1,
            });
        }
        Ok(OcrText {
            text,
            confidence,
            rotated,
            mean_confidence: if n == 0 { 0.0 } else { (sum / n as f64) as f32 },
        })
    }

    /// Read one page image: its size in pixels (upright), the degrees it was turned, its words.
    fn read_page(&self, number: u32, path: &Path) -> Result<PageRead, String> {
        let mut image = std::fs::read(path).map_err(|e| format!("OCR: {e}"))?;
        let mut turned = 0;
        if self.osd {
            let osd = run(
                Command::new(&self.tesseract).arg(path).args([
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
            Command::new(&self.tesseract)
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
        Ok((size, turned, parse_tsv(&String::from_utf8_lossy(&out))))
    }
}

/// A page read: its size in pixels (upright), the degrees it was turned, its words.
type PageRead = ((u32, u32), u32, Vec<Word>);

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
    fn osd_output() {
        let s = "Page number: 0\nOrientation in degrees: 270\nRotate: 90\nOrientation confidence: 12.5\nScript: Han\n";
        assert_eq!(super::osd_rotation(s), Some(90));
        let weak = s.replace("12.5", "1.1");
        assert_eq!(super::osd_rotation(&weak), None);
        let upright = "Rotate: 0\nOrientation confidence: 15.78\n";
        assert_eq!(super::osd_rotation(upright), None);
    }
}
