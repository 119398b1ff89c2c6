//! Find the input files of a run: files as given, folders searched recursively, glob patterns.

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// Expand inputs into a sorted, de-duplicated list of files. A folder yields the files whose
/// extension is in `extensions`; a file given by name is always taken; a pattern or path that
/// matches nothing is an error.
pub fn discover(inputs: &[PathBuf], extensions: &[String]) -> Result<Vec<PathBuf>> {
    let wanted = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    };
    let mut files = Vec::new();
    for input in inputs {
        let s = input.to_string_lossy();
        if input.is_dir() {
            for entry in walkdir::WalkDir::new(input)
                .follow_links(true)
                .sort_by_file_name()
            {
                match entry {
                    // Not only regular files: a FIFO, socket or device with a wanted name
                    // becomes an input that fails with its own error (it is never read).
                    Ok(e) if !e.file_type().is_dir() && wanted(e.path()) => {
                        files.push(e.into_path())
                    }
                    Ok(_) => {}
                    // An unreadable folder entry becomes an input that fails with its own error.
                    Err(e) => match e.path() {
                        Some(p) => files.push(p.to_path_buf()),
                        None => bail!("cannot list {}: {e}", input.display()),
                    },
                }
            }
        } else if input.exists() {
            files.push(input.clone());
        } else if s.contains(['*', '?', '[']) {
            let before = files.len();
            for p in glob::glob(&s)?.flatten() {
                if p.is_file() {
                    files.push(p);
                }
            }
            if files.len() == before {
                bail!("input pattern {s} matches no file");
            }
        } else {
            bail!("input {s} does not exist");
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_globs_and_files() {
        let dir = std::env::temp_dir().join(format!("govdocs-disc-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for f in ["a.txt", "b.TXT", "c.md", "sub/d.pdf"] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let ext = vec!["txt".to_string(), "pdf".to_string()];
        let got = discover(std::slice::from_ref(&dir), &ext).unwrap();
        assert_eq!(
            got,
            [dir.join("a.txt"), dir.join("b.TXT"), dir.join("sub/d.pdf")]
        );
        let got = discover(
            &[dir.join("*.md"), dir.join("a.txt"), dir.join("a.txt")],
            &ext,
        )
        .unwrap();
        assert_eq!(got, [dir.join("a.txt"), dir.join("c.md")]);
        assert!(discover(&[dir.join("nope.txt")], &ext).is_err());
        assert!(discover(&[dir.join("*.zip")], &ext).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
