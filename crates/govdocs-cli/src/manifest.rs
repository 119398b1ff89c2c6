//! The output folder's bookkeeping: one manifest per bucket (`_manifest/bucket-BBBBB.json`)
//! recording the inputs whose rows the bucket's files hold, and one record per run
//! (`_runs/<utc time>-<shard>.json`). Names starting with `_` are skipped by query engines
//! reading `*.parquet`, and nothing here ends in `.parquet`.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Format of the manifest files; a manifest of another format is not trusted.
pub const FORMAT: u32 = 2;

/// Folder of the bucket manifests under the output folder.
pub const MANIFEST_DIR: &str = "_manifest";

/// Folder of the run records under the output folder.
pub const RUNS_DIR: &str = "_runs";

/// Prefix of every temporary file a run writes (removed by the next run when left over).
pub const TMP_PREFIX: &str = ".tmp-";

/// What one bucket's files hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// Number of buckets of the output folder.
    pub buckets: u32,
    /// This bucket.
    pub bucket: u32,
    /// Parser version that produced the rows.
    pub parser_version: String,
    /// False while the bucket's files are being replaced: its files are then not trusted and the
    /// next run rebuilds the bucket.
    pub complete: bool,
    /// The bucket's files (relative to the output folder) with their rows, sizes and hashes.
    pub files: Vec<FileEntry>,
    /// The inputs whose rows the files hold, by path.
    pub inputs: Vec<InputEntry>,
    /// The absolute input root the inputs' paths are relative to.
    #[serde(default)]
    pub input_root: String,
}

/// One Parquet file of a bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path relative to the output folder, `/`-separated: `cells/part-00003.parquet`.
    pub path: String,
    /// Rows in the file.
    pub rows: u64,
    /// File size in bytes.
    pub bytes: u64,
    /// BLAKE3 hash of the file, 64 hex digits.
    pub blake3: String,
}

/// One input of a bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputEntry {
    /// The input's path as the run found it (`documents.source_path`).
    pub path: String,
    /// Size in bytes when it was read.
    pub size: u64,
    /// Modification time when it was read, nanoseconds since the Unix epoch.
    pub mtime_ns: i128,
    /// `documents.doc_id`: the content hash.
    pub doc_id: String,
    /// `ok` or `failed`.
    pub status: String,
    /// The files holding rows of this input.
    pub files: Vec<String>,
}

/// File name of bucket `b`'s Parquet file whose bytes hash to `blake3` (hex): the name changes
/// with the content, so a run never replaces a file readers may be reading; files no longer
/// listed are removed once the run has published the new state (`_current.json`).
pub fn part_name(b: u32, blake3: &str) -> String {
    format!("part-{b:05}-{}.parquet", blake3.get(..16).unwrap_or(blake3))
}

/// The bucket a part file name belongs to: `part-BBBBB-<16 hex digits>.parquet` (or the
/// unversioned `part-BBBBB.parquet` of earlier versions).
pub fn part_bucket(name: &str) -> Option<u32> {
    let n = name.strip_prefix("part-")?.strip_suffix(".parquet")?;
    let (b, hash) = match n.split_once('-') {
        Some((b, h)) => (b, Some(h)),
        None => (n, None),
    };
    let hash_ok = hash.is_none_or(|h| h.len() == 16 && h.bytes().all(|c| c.is_ascii_hexdigit()));
    (b.len() == 5 && b.bytes().all(|c| c.is_ascii_digit()) && hash_ok)
        .then(|| b.parse().ok())
        .flatten()
}

/// The file the published state lists (see [`publish`]).
pub const CURRENT_FILE: &str = "_current.json";

/// The published state of an output folder (`_current.json`): the files of every finished
/// bucket, by dataset. Readers that read only these files never see a document twice, whatever
/// a run in progress or a killed run left beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Current {
    /// [`FORMAT`] of the manifests it was made from.
    pub format: u32,
    /// Number of buckets of the output folder.
    pub buckets: u32,
    /// Per dataset, the files (relative to the output folder, `/`-separated), in bucket order.
    pub datasets: BTreeMap<String, Vec<String>>,
    /// Per bucket, its file of each dataset.
    pub by_bucket: Vec<CurrentBucket>,
}

/// One bucket of [`Current`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentBucket {
    /// The bucket.
    pub bucket: u32,
    /// Dataset name → file.
    pub files: BTreeMap<String, String>,
}

/// Publish the folder's state: `_current.json` listing the files of every complete manifest
/// now in the folder, written atomically.
pub fn publish(out: &Path) -> Result<Current> {
    let all = load_all(out)?;
    let mut current = Current {
        format: FORMAT,
        buckets: all.values().map(|m| m.buckets).max().unwrap_or(0),
        datasets: BTreeMap::new(),
        by_bucket: Vec::new(),
    };
    for m in all.values().filter(|m| m.complete) {
        let mut files = BTreeMap::new();
        for f in &m.files {
            let ds = f.path.split('/').next().unwrap_or_default().to_string();
            current
                .datasets
                .entry(ds.clone())
                .or_default()
                .push(f.path.clone());
            files.insert(ds, f.path.clone());
        }
        current.by_bucket.push(CurrentBucket {
            bucket: m.bucket,
            files,
        });
    }
    let mut text = serde_json::to_vec_pretty(&current).expect("serialisable");
    text.push(b'\n');
    write_atomic(
        &out.join(CURRENT_FILE),
        &format!("{TMP_PREFIX}current.{}", std::process::id()),
        &text,
    )?;
    Ok(current)
}

/// The published state, when the folder has one that can be read.
pub fn load_current(out: &Path) -> Option<Current> {
    let text = fs::read(out.join(CURRENT_FILE)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Path of bucket `b`'s manifest.
pub fn manifest_path(out: &Path, b: u32) -> PathBuf {
    out.join(MANIFEST_DIR).join(format!("bucket-{b:05}.json"))
}

fn manifest_bucket(name: &str) -> Option<u32> {
    let n = name.strip_prefix("bucket-")?.strip_suffix(".json")?;
    (n.len() == 5 && n.bytes().all(|c| c.is_ascii_digit()))
        .then(|| n.parse().ok())
        .flatten()
}

/// Every readable manifest of the output folder, by bucket. A manifest that cannot be read or
/// parsed is left out (its bucket is then rebuilt); an unreadable folder is an error.
pub fn load_all(out: &Path) -> Result<BTreeMap<u32, Manifest>> {
    let dir = out.join(MANIFEST_DIR);
    let mut all = BTreeMap::new();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(all),
        Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
    };
    for e in entries {
        let e = e.with_context(|| format!("cannot list {}", dir.display()))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(b) = manifest_bucket(&name) else {
            continue;
        };
        let parsed = fs::read(e.path())
            .ok()
            .and_then(|t| serde_json::from_slice::<Manifest>(&t).ok());
        match parsed {
            Some(m) if m.format == FORMAT && m.bucket == b => {
                all.insert(b, m);
            }
            _ => {
                tracing::warn!(file = %e.path().display(), "unreadable manifest; its bucket will be rebuilt")
            }
        }
    }
    Ok(all)
}

/// Write `bytes` to `path` atomically: a temporary file beside it, synced, renamed, folder synced.
pub fn write_atomic(path: &Path, tmp_name: &str, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().expect("a file in a folder");
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tmp = dir.join(tmp_name);
    let r = (|| -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        fs::File::open(dir)?.sync_all()
    })();
    if r.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    r.with_context(|| format!("cannot write {}", path.display()))
}

impl Manifest {
    /// Write the manifest into place atomically.
    pub fn save(&self, out: &Path) -> Result<()> {
        let mut text = serde_json::to_vec_pretty(self).expect("serialisable");
        text.push(b'\n');
        write_atomic(
            &manifest_path(out, self.bucket),
            &format!(
                "{TMP_PREFIX}bucket-{:05}.{}",
                self.bucket,
                std::process::id()
            ),
            &text,
        )
    }
}

/// Remove bucket `b`'s manifest, if any, and sync its folder.
pub fn remove(out: &Path, b: u32) -> Result<()> {
    let p = manifest_path(out, b);
    match fs::remove_file(&p) {
        Ok(()) => {
            let _ = fs::File::open(out.join(MANIFEST_DIR)).and_then(|d| d.sync_all());
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot remove {}", p.display())),
    }
}

/// The bucket count recorded by the folder's manifests; `None` for a folder without any. Manifests
/// that disagree (a bucket count change interrupted) are an error.
pub fn folder_buckets(all: &BTreeMap<u32, Manifest>) -> Result<Option<u32>> {
    let mut counts: Vec<u32> = all.values().map(|m| m.buckets).collect();
    counts.sort_unstable();
    counts.dedup();
    match counts.as_slice() {
        [] => Ok(None),
        [b] => Ok(Some(*b)),
        _ => bail!(
            "the output folder's manifests disagree on the bucket count ({counts:?}): an \
             interrupted run that changed it; run again with --full-refresh"
        ),
    }
}

/// Seconds and nanoseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC).
pub fn utc(t: std::time::SystemTime) -> String {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn names_round_trip() {
        let h = "0123456789abcdef0123";
        assert_eq!(part_name(3, h), "part-00003-0123456789abcdef.parquet");
        assert_eq!(part_bucket(&part_name(3, h)), Some(3));
        assert_eq!(part_bucket("part-00003.parquet"), Some(3));
        assert_eq!(part_bucket("part-00003-0123.parquet"), None);
        assert_eq!(part_bucket("part-3.parquet"), None);
        assert_eq!(part_bucket(".tmp-part-00003.parquet.12"), None);
        assert_eq!(manifest_bucket("bucket-00015.json"), Some(15));
        assert_eq!(manifest_bucket("bucket-00015.json.tmp"), None);
    }

    #[test]
    fn utc_times() {
        // 2024-02-29T12:34:56.789Z is 1709210096.789 s after the epoch (date -u -d @1709210096).
        let t = UNIX_EPOCH + Duration::from_millis(1_709_210_096_789);
        assert_eq!(utc(t), "2024-02-29T12:34:56.789Z");
        assert_eq!(utc(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        // 2000-03-01, after a century leap day.
        assert_eq!(
            utc(UNIX_EPOCH + Duration::from_secs(951_868_800)),
            "2000-03-01T00:00:00.000Z"
        );
    }

    #[test]
    fn manifests_save_load_and_disagree() {
        let out = std::env::temp_dir().join(format!("govdocs-manifest-{}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        let m = Manifest {
            format: FORMAT,
            buckets: 4,
            bucket: 2,
            parser_version: "v".into(),
            complete: true,
            files: vec![],
            inputs: vec![InputEntry {
                path: "a.txt".into(),
                size: 3,
                mtime_ns: -5,
                doc_id: "ab".into(),
                status: "ok".into(),
                files: vec!["documents/part-00002.parquet".into()],
            }],
            input_root: "/archive".into(),
        };
        m.save(&out).unwrap();
        let all = load_all(&out).unwrap();
        assert_eq!(all.get(&2), Some(&m));
        assert_eq!(folder_buckets(&all).unwrap(), Some(4));
        let m2 = Manifest {
            buckets: 8,
            bucket: 3,
            ..m.clone()
        };
        m2.save(&out).unwrap();
        assert!(folder_buckets(&load_all(&out).unwrap()).is_err());
        // A manifest saved under another bucket's name is not trusted.
        fs::copy(manifest_path(&out, 3), manifest_path(&out, 1)).unwrap();
        assert!(!load_all(&out).unwrap().contains_key(&1));
        remove(&out, 3).unwrap();
        remove(&out, 3).unwrap();
        let names: Vec<_> = fs::read_dir(out.join(MANIFEST_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(
            names.iter().all(|n| !n.starts_with(TMP_PREFIX)),
            "{names:?}"
        );
        fs::remove_dir_all(&out).unwrap();
    }
}
