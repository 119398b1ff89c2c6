//! The source documents behind an output folder, when they are still where the run found them:
//! a text dump's lines (numbered as the parser numbered them) and pictures of a PDF's pages
//! (rendered by `pdftoppm` where it is installed). A file is used only when its content hash is
//! the document's `doc_id`, so a changed or moved file never shows the wrong text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where to look for source files and whether to draw PDF pages.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Folders a relative `source_path` may be relative to (tried in order after the current
    /// folder).
    pub roots: Vec<PathBuf>,
    /// Whether pictures of PDF pages are wanted.
    pub page_images: bool,
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

    /// Draw `pages` (1-based, sorted) of the PDF at `pdf` into `dir` as `<id>-p<N>.jpg`, about
    /// 800 pixels on the long side, one `pdftoppm` call per run of consecutive pages; pages
    /// drawn before (the name holds the document's content hash) are kept. Returns the pages
    /// that have a picture, with their file names.
    pub fn render_pages(
        &self,
        pdf: &Path,
        pages: &[u32],
        dir: &Path,
        id: &str,
    ) -> BTreeMap<u32, String> {
        let name = |p: u32| format!("{id}-p{p}.jpg");
        let mut out = BTreeMap::new();
        let todo: Vec<u32> = pages
            .iter()
            .copied()
            .filter(|&p| {
                let done = dir.join(name(p)).exists();
                if done {
                    out.insert(p, name(p));
                }
                !done
            })
            .collect();
        let Some(tool) = &self.pdftoppm else {
            return out;
        };
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for p in todo {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == p => *last = p,
                _ => runs.push((p, p)),
            }
        }
        for (first, last) in runs {
            let prefix = dir.join(format!(".tmp-{id}-r{first}"));
            let ok = Command::new(tool)
                .args(["-jpeg", "-jpegopt", "quality=70", "-scale-to", "800"])
                .args(["-f", &first.to_string(), "-l", &last.to_string()])
                .arg(pdf)
                .arg(&prefix)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            // pdftoppm names its pictures `<prefix>-<page>.jpg`, the page zero-padded.
            let stem = format!(".tmp-{id}-r{first}-");
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for e in entries.flatten() {
                let f = e.file_name().to_string_lossy().into_owned();
                let Some(p) = f
                    .strip_prefix(&stem)
                    .and_then(|r| r.strip_suffix(".jpg"))
                    .and_then(|n| n.parse::<u32>().ok())
                else {
                    continue;
                };
                if ok
                    && (first..=last).contains(&p)
                    && std::fs::rename(e.path(), dir.join(name(p))).is_ok()
                {
                    out.insert(p, name(p));
                } else {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        out
    }
}

/// A text dump's non-blank lines, numbered as the parser numbers them (1-based line of the file).
pub fn text_lines(bytes: &[u8]) -> Option<Vec<(u32, String)>> {
    let decoded = govdocs_core::decode::decode_text(bytes).ok()?;
    let lines = govdocs_core::lines::split_lines(&decoded.text);
    Some(lines.lines.into_iter().map(|l| (l.no, l.text)).collect())
}
