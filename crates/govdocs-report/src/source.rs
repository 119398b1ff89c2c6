//! The source documents behind an output folder, when they are still where the run found them:
//! a text dump's lines (numbered as the parser numbered them) and pictures of a PDF's pages
//! (rendered by `pdftoppm` where it is installed). A file is used only when its content hash is
//! the document's `doc_id`, so a changed or moved file never shows the wrong text.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where to look for source files and whether to draw PDF pages.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Folders a relative `source_path` may be relative to (tried in order after the current
    /// folder).
    pub roots: Vec<PathBuf>,
    /// `pdftoppm`, when page pictures are wanted and it is installed.
    pub pdftoppm: Option<PathBuf>,
}

/// Find `pdftoppm` on the `PATH` (it prints its version and exits 0 or 99 with `-v`).
pub fn find_pdftoppm() -> Option<PathBuf> {
    let ok = Command::new("pdftoppm")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    ok.then(|| PathBuf::from("pdftoppm"))
}

impl Sources {
    /// The bytes of the document `doc_id` as found at one of `paths`, with the path used.
    pub fn load(&self, paths: &[String], doc_id: &str) -> Option<(PathBuf, Vec<u8>)> {
        for p in paths {
            let p = Path::new(p);
            let mut candidates = vec![p.to_path_buf()];
            if p.is_relative() {
                candidates.extend(self.roots.iter().map(|r| r.join(p)));
            }
            for c in candidates {
                let Ok(bytes) = std::fs::read(&c) else {
                    continue;
                };
                if govdocs_core::doc_id(&bytes) == doc_id {
                    return Some((c, bytes));
                }
            }
        }
        None
    }

    /// Render page `page` (1-based) of the PDF at `pdf` to `png` (about 900 pixels on its long
    /// side) unless it exists already (its name holds the document's content hash). False when
    /// it could not be drawn.
    pub fn render_page(&self, pdf: &Path, page: u32, png: &Path) -> bool {
        if png.exists() {
            return true;
        }
        let Some(tool) = &self.pdftoppm else {
            return false;
        };
        let Some(stem) = png.to_str().and_then(|s| s.strip_suffix(".png")) else {
            return false;
        };
        let p = page.to_string();
        Command::new(tool)
            .args([
                "-png",
                "-singlefile",
                "-scale-to",
                "900",
                "-f",
                &p,
                "-l",
                &p,
            ])
            .arg(pdf)
            .arg(stem)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
            && png.exists()
    }
}

/// A text dump's non-blank lines, numbered as the parser numbers them (1-based line of the file).
pub fn text_lines(bytes: &[u8]) -> Option<Vec<(u32, String)>> {
    let decoded = govdocs_core::decode::decode_text(bytes).ok()?;
    let lines = govdocs_core::lines::split_lines(&decoded.text);
    Some(lines.lines.into_iter().map(|l| (l.no, l.text)).collect())
}
