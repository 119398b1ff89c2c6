//! Find the input files of a run: files as given, folders searched recursively, glob patterns;
//! and name each by its canonical path relative to the run's input root, so that spelling an
//! input differently (`pipelines/../samples`, `./samples`, an absolute path) changes nothing.

use anyhow::{bail, Context, Result};
use std::path::{Component, Path, PathBuf};

/// One input file found by [`discover`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// Its canonical path relative to the input root, `/`-separated, without `.` or `..`
    /// (`documents.source_path` and the manifests' key).
    pub path: String,
    /// The file as it can be opened.
    pub file: PathBuf,
}

/// What [`discover`] found: the files, sorted by path, and the input root their paths start
/// from (the deepest folder holding every input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// The input root, absolute and without `.` or `..`.
    pub root: PathBuf,
    /// The files, sorted by `path`, without duplicates.
    pub files: Vec<Found>,
}

/// `p` made absolute (against the working folder) with `.` and `..` folded lexically.
pub fn normalize(p: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(p).with_context(|| format!("cannot resolve {}", p.display()))?;
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The folder an input contributes to the root: a folder itself, a file's folder, a glob
/// pattern's folder before its first wildcard.
fn anchor(input: &Path) -> Result<PathBuf> {
    let n = normalize(input)?;
    if n.is_dir() {
        return Ok(n);
    }
    let mut a = PathBuf::new();
    for c in n.components() {
        if c.as_os_str().to_string_lossy().contains(['*', '?', '[']) {
            return Ok(a);
        }
        a.push(c);
    }
    Ok(n.parent().map(Path::to_path_buf).unwrap_or(n))
}

/// The deepest folder that holds every one of `anchors`.
fn common_root(anchors: &[PathBuf]) -> PathBuf {
    let mut it = anchors.iter();
    let Some(first) = it.next() else {
        return PathBuf::new();
    };
    let mut root = first.clone();
    for a in it {
        while !a.starts_with(&root) {
            if !root.pop() {
                break;
            }
        }
    }
    root
}

/// `file`'s canonical path relative to `root`, `/`-separated (absolute when it lies outside).
fn relative(root: &Path, file: &Path) -> Result<String> {
    let n = normalize(file)?;
    let rel = n.strip_prefix(root).unwrap_or(&n);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/");
    Ok(if rel.is_absolute() {
        format!("/{}", joined.trim_start_matches('/'))
    } else {
        joined
    })
}

/// Expand inputs into a sorted, de-duplicated list of files named by canonical path. A folder
/// yields the files whose extension is in `extensions`, and so do folder entries that cannot be
/// read (a dangling symlink, a loop), which become inputs that fail with their own error; a file
/// given by name is always taken; a pattern or path that matches nothing is an error.
pub fn discover(inputs: &[PathBuf], extensions: &[String]) -> Result<Discovered> {
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
                    // An unreadable folder entry with a wanted name becomes an input that fails
                    // with its own error; others are not inputs.
                    Err(e) => match e.path() {
                        Some(p) if wanted(p) => files.push(p.to_path_buf()),
                        Some(_) => {}
                        None => bail!("cannot list {}: {e}", input.display()),
                    },
                }
            }
        } else if input.exists() || input.symlink_metadata().is_ok() {
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
    let anchors = inputs
        .iter()
        .map(|i| anchor(i))
        .collect::<Result<Vec<_>>>()?;
    let root = common_root(&anchors);
    let mut found = files
        .into_iter()
        .map(|file| {
            Ok(Found {
                path: relative(&root, &file)?,
                file,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    found.sort();
    found.dedup_by(|a, b| a.path == b.path);
    Ok(Discovered { root, files: found })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(d: &Discovered) -> Vec<&str> {
        d.files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn folders_globs_and_files() {
        let dir = std::env::temp_dir().join(format!("govdocs-disc-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for f in ["a.txt", "b.TXT", "c.md", "sub/d.pdf"] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let ext = vec!["txt".to_string(), "pdf".to_string()];
        let got = discover(std::slice::from_ref(&dir), &ext).unwrap();
        assert_eq!(got.root, dir);
        assert_eq!(paths(&got), ["a.txt", "b.TXT", "sub/d.pdf"]);
        assert_eq!(got.files[2].file, dir.join("sub/d.pdf"));
        let got = discover(
            &[dir.join("*.md"), dir.join("a.txt"), dir.join("a.txt")],
            &ext,
        )
        .unwrap();
        assert_eq!(paths(&got), ["a.txt", "c.md"]);
        assert!(discover(&[dir.join("nope.txt")], &ext).is_err());
        assert!(discover(&[dir.join("*.zip")], &ext).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Defect 7 of #13: the same files reached through differently spelled paths.
    #[test]
    fn spelling_an_input_differently_gives_the_same_paths() {
        let dir = std::env::temp_dir().join(format!("govdocs-spell-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pipelines")).unwrap();
        std::fs::create_dir_all(dir.join("samples/text")).unwrap();
        std::fs::write(dir.join("samples/text/x.txt"), "x").unwrap();
        let ext = vec!["txt".to_string()];
        let a = discover(&[dir.join("pipelines/../samples")], &ext).unwrap();
        let b = discover(&[dir.join("samples/./")], &ext).unwrap();
        let c = discover(&[dir.join("samples/text/../../samples")], &ext).unwrap();
        assert_eq!(paths(&a), ["text/x.txt"]);
        assert_eq!(paths(&a), paths(&b));
        assert_eq!(paths(&a), paths(&c));
        assert_eq!(a.root, dir.join("samples"));
        // Two inputs: the root is the folder holding both.
        let d = discover(
            &[
                dir.join("samples/text/x.txt"),
                dir.join("pipelines/../samples/text"),
            ],
            &ext,
        )
        .unwrap();
        assert_eq!(paths(&d), ["x.txt"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Defect 8 of #13: a symlink loop and a dangling link are inputs only when their names are
    /// wanted.
    #[test]
    fn unreadable_entries_obey_the_extension_filter() {
        let dir = std::env::temp_dir().join(format!("govdocs-loop-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("in")).unwrap();
        std::os::unix::fs::symlink(dir.join("in"), dir.join("in/loop")).unwrap();
        std::os::unix::fs::symlink(dir.join("in/nowhere"), dir.join("in/gone.txt")).unwrap();
        std::os::unix::fs::symlink(dir.join("in/nowhere"), dir.join("in/gone.md")).unwrap();
        std::fs::write(dir.join("in/a.txt"), "x").unwrap();
        let got = discover(&[dir.join("in")], &["txt".to_string()]).unwrap();
        assert_eq!(paths(&got), ["a.txt", "gone.txt"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
