//! The TOML pipeline definition and the command-line overrides applied to it.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A pipeline as written in `pipelines/*.toml`. Relative paths are relative to the TOML file's folder.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    /// A name for logs.
    #[serde(default = "default_name")]
    pub name: String,
    /// Input files, folders (searched recursively) or glob patterns.
    pub inputs: Vec<String>,
    /// Output folder; one sub-folder per dataset.
    #[serde(default = "default_output")]
    pub output: String,
    /// Worker threads; 0 means one per core.
    #[serde(default)]
    pub threads: usize,
    /// Parsing and discovery options.
    #[serde(default)]
    pub options: Options,
}

/// Options of a pipeline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// File extensions picked up when an input is a folder (case-insensitive, without the dot).
    #[serde(default = "default_extensions")]
    pub extensions: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            extensions: default_extensions(),
        }
    }
}

fn default_name() -> String {
    "govdocs".into()
}
fn default_output() -> String {
    "output".into()
}
fn default_extensions() -> Vec<String> {
    vec!["txt".into(), "text".into(), "pdf".into()]
}

/// A pipeline with its paths resolved and the command-line overrides applied.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Name for logs.
    pub name: String,
    /// Inputs, resolved against the pipeline file's folder (or the working folder for flags).
    pub inputs: Vec<PathBuf>,
    /// Output folder.
    pub output: PathBuf,
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// Options.
    pub options: Options,
}

/// Overrides given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Replace the pipeline's inputs.
    pub inputs: Vec<PathBuf>,
    /// Replace the output folder.
    pub output: Option<PathBuf>,
    /// Replace the thread count.
    pub threads: Option<usize>,
}

/// Read a pipeline file and apply the overrides.
pub fn load(path: &Path, o: &Overrides) -> Result<Resolved> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read pipeline file {}", path.display()))?;
    let p: Pipeline = toml::from_str(&text)
        .with_context(|| format!("invalid pipeline file {}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let rel = |s: &str| -> PathBuf {
        let p = Path::new(s);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            base.join(p)
        }
    };
    Ok(Resolved {
        name: p.name,
        inputs: if o.inputs.is_empty() {
            p.inputs.iter().map(|s| rel(s)).collect()
        } else {
            o.inputs.clone()
        },
        output: o.output.clone().unwrap_or_else(|| rel(&p.output)),
        threads: o.threads.unwrap_or(p.threads),
        options: p.options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_pipeline_and_flags_override() {
        let dir = std::env::temp_dir().join(format!("govdocs-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("p.toml");
        std::fs::write(
            &f,
            "inputs = [\"../samples\"]\noutput = \"out\"\nthreads = 3\n",
        )
        .unwrap();
        let r = load(&f, &Overrides::default()).unwrap();
        assert_eq!(r.inputs, [dir.join("../samples")]);
        assert_eq!(r.output, dir.join("out"));
        assert_eq!(r.threads, 3);
        assert_eq!(r.options.extensions, ["txt", "text", "pdf"]);
        let o = Overrides {
            inputs: vec!["a.txt".into()],
            output: Some("o2".into()),
            threads: Some(1),
        };
        let r = load(&f, &o).unwrap();
        assert_eq!(r.inputs, [PathBuf::from("a.txt")]);
        assert_eq!(r.output, PathBuf::from("o2"));
        assert_eq!(r.threads, 1);
        std::fs::write(&f, "inputs = []\nbogus = 1\n").unwrap();
        assert!(load(&f, &Overrides::default()).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
