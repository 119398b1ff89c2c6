//! The TOML pipeline definition and the command-line overrides applied to it.

use anyhow::{bail, Context, Result};
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
    /// File extensions picked up when an input is a folder (case-insensitive, with or without
    /// the leading dot).
    #[serde(default = "default_extensions")]
    pub extensions: Vec<String>,
    /// Buckets the documents are spread over by content hash: each dataset folder holds one
    /// file per non-empty bucket. Fixed for an output folder (changing it needs `--full-refresh`).
    #[serde(default = "default_buckets")]
    pub buckets: u32,
    /// Largest share of the documents an output folder holds that a run may remove because
    /// their inputs are gone (0 to 1; default 0.5). A run that would remove more, or every
    /// document, refuses (exit 2) unless removals are allowed: an unmounted share or a wrong
    /// input path must not wipe the datasets.
    #[serde(default = "default_max_removed_share")]
    pub max_removed_share: f64,
    /// Allow any removal (as `--allow-removals` does).
    #[serde(default)]
    pub allow_removals: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            extensions: default_extensions(),
            buckets: default_buckets(),
            max_removed_share: default_max_removed_share(),
            allow_removals: false,
        }
    }
}

fn default_max_removed_share() -> f64 {
    0.5
}

/// Buckets of an output folder when the pipeline does not say.
pub const DEFAULT_BUCKETS: u32 = 16;

/// Most buckets an output folder can have (bucket numbers have five digits in file names).
pub const MAX_BUCKETS: u32 = 99_999;

fn default_buckets() -> u32 {
    DEFAULT_BUCKETS
}

/// `--shard I/N`: this run handles the buckets `b` with `b % N == I` (I counts from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 0.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("invalid shard {s:?}: expected I/N with 0 <= I < N, e.g. 0/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// True when bucket `b` belongs to this shard.
    pub fn owns(&self, b: u32) -> bool {
        b % self.count == self.index
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

/// A pipeline without a file, for `govdocs run DIR`: the given inputs, the overrides, and the
/// defaults of a pipeline file (output `./output`, one worker per core, extensions txt, text,
/// pdf, 16 buckets).
pub fn from_inputs(inputs: Vec<PathBuf>, o: &Overrides) -> Resolved {
    Resolved {
        name: default_name(),
        inputs,
        output: o
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from(default_output())),
        threads: o.threads.unwrap_or(0),
        options: Options::default(),
    }
}

/// Read a pipeline file and apply the overrides.
pub fn load(path: &Path, o: &Overrides) -> Result<Resolved> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read pipeline file {}", path.display()))?;
    let p: Pipeline = toml::from_str(&text)
        .with_context(|| format!("invalid pipeline file {}", path.display()))?;
    if !(1..=MAX_BUCKETS).contains(&p.options.buckets) {
        bail!(
            "invalid pipeline file {}: options.buckets must be between 1 and {MAX_BUCKETS}",
            path.display()
        );
    }
    if !(0.0..=1.0).contains(&p.options.max_removed_share) {
        bail!(
            "invalid pipeline file {}: options.max_removed_share must be between 0 and 1",
            path.display()
        );
    }
    let mut options = p.options;
    // `.txt` and `txt` both name the extension.
    for e in &mut options.extensions {
        *e = e.trim().trim_start_matches('.').to_string();
    }
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
        options,
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
        assert_eq!(r.options.buckets, DEFAULT_BUCKETS);
        std::fs::write(&f, "inputs = []\nbogus = 1\n").unwrap();
        assert!(load(&f, &Overrides::default()).is_err());
        std::fs::write(&f, "inputs = []\n[options]\nbuckets = 4\n").unwrap();
        assert_eq!(load(&f, &Overrides::default()).unwrap().options.buckets, 4);
        std::fs::write(&f, "inputs = []\n[options]\nbuckets = 0\n").unwrap();
        assert!(load(&f, &Overrides::default()).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn shards_parse_and_own_buckets() {
        let s: Shard = "1/3".parse().unwrap();
        assert_eq!(s, Shard { index: 1, count: 3 });
        assert_eq!(s.to_string(), "1/3");
        let owned: Vec<u32> = (0..8).filter(|&b| s.owns(b)).collect();
        assert_eq!(owned, [1, 4, 7]);
        for bad in ["3/3", "0/0", "1", "-1/2", "a/2", "1/2/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
