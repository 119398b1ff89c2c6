//! The output folder's lock: a run holds `_lock` (an advisory file lock, with the holder's pid,
//! host and start time written in it) for as long as it writes. An unsharded run holds it
//! exclusively; a shard run holds it shared plus `_lock.shard-I-of-N` exclusively, so shards of
//! one run can write into one folder together while a second run of the same shard, or an
//! unsharded run beside any shard, refuses at once. The operating system releases the lock when
//! the process dies, so a lock left by a killed run is stale by construction: the next run takes
//! it over and says so.

use crate::config::Shard;
use anyhow::{bail, Context, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Name of the lock file in the output folder.
pub const LOCK_FILE: &str = "_lock";

/// A held lock; dropping it empties the files this run wrote its name in and releases the lock
/// (the files stay: a lock file that still names a holder but is not locked was left by a run
/// that died).
#[derive(Debug)]
pub struct Held {
    files: Vec<(File, bool)>,
}

impl Drop for Held {
    fn drop(&mut self) {
        for (f, exclusive) in &self.files {
            if *exclusive {
                let _ = f.set_len(0);
            }
        }
    }
}

/// Who holds a lock, as written in its file: `pid <pid> on <host> since <time>`.
fn holder() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown host".into());
    format!(
        "pid {} on {host} since {}",
        std::process::id(),
        crate::manifest::utc(std::time::SystemTime::now())
    )
}

/// Take one lock file, exclusively or shared.
fn take(path: &Path, exclusive: bool, what: &str) -> Result<File> {
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    let mut before = String::new();
    let _ = f.read_to_string(&mut before);
    let got = if exclusive {
        f.try_lock()
    } else {
        f.try_lock_shared()
    };
    match got {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let by = before.trim();
            bail!(
                "{what} is already running into {} (lock {} held by {}); wait for it to finish",
                path.parent().unwrap_or(Path::new(".")).display(),
                path.display(),
                if by.is_empty() { "another run" } else { by }
            );
        }
        Err(TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
    if exclusive {
        if !before.trim().is_empty() {
            tracing::info!(lock = %path.display(), previous = %before.trim(),
                "took over the lock of a run that ended without releasing it");
        }
        f.set_len(0)
            .and_then(|()| f.rewind())
            .and_then(|()| writeln!(f, "{}", holder()))
            .with_context(|| format!("cannot write the lock file {}", path.display()))?;
    }
    Ok(f)
}

/// Lock the output folder `out` for a run (of `shard`, or of every bucket).
pub fn lock(out: &Path, shard: Option<Shard>) -> Result<Held> {
    let main: PathBuf = out.join(LOCK_FILE);
    let files = match shard {
        None => vec![(take(&main, true, "another govdocs run")?, true)],
        Some(s) => {
            let shared = take(&main, false, "an unsharded govdocs run")?;
            let own = out.join(format!("{LOCK_FILE}.shard-{}-of-{}", s.index, s.count));
            let own = take(&own, true, &format!("another run of shard {s}"))?;
            vec![(shared, false), (own, true)]
        }
    };
    Ok(Held { files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_refuses_and_shards_share_the_folder() {
        let dir = std::env::temp_dir().join(format!("govdocs-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let first = lock(&dir, None).unwrap();
        let text = std::fs::read_to_string(dir.join(LOCK_FILE)).unwrap();
        assert!(
            text.starts_with(&format!("pid {} on ", std::process::id())),
            "{text}"
        );
        let err = lock(&dir, None).unwrap_err().to_string();
        assert!(
            err.contains("already running") && err.contains("pid"),
            "{err}"
        );
        let shard = |i| Some(Shard { index: i, count: 2 });
        assert!(lock(&dir, shard(0)).is_err());
        drop(first);
        assert_eq!(std::fs::read_to_string(dir.join(LOCK_FILE)).unwrap(), "");
        // Released: a new run takes it.
        let s0 = lock(&dir, shard(0)).unwrap();
        let s1 = lock(&dir, shard(1)).unwrap();
        assert!(lock(&dir, shard(1)).is_err());
        assert!(lock(&dir, None).is_err());
        drop((s0, s1));
        lock(&dir, None).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
