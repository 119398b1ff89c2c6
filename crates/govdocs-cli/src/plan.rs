//! The inputs of a run with their sizes, modification times and content hashes, and the bucket
//! each falls in. A file whose path, size and modification time match the previous run's
//! manifest keeps its recorded hash without being read; any other file is read once, streaming,
//! to hash it.

use crate::discover::Found;
use crate::manifest::InputEntry;
use govdocs_core::doc_id;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// One input file as the run found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file.
    pub file: PathBuf,
    /// Its path as a string (`documents.source_path`, the manifest key).
    pub path: String,
    /// Size in bytes (0 when it cannot be read).
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 when unknown).
    pub mtime_ns: i128,
    /// Content hash (`documents.doc_id`); for a file that cannot be read, the hash of its path.
    pub doc_id: String,
    /// The file could not be hashed (unreadable, not a regular file): its id is the hash of
    /// its path, so it is parsed again only when it changes (or becomes readable).
    pub unreadable: bool,
    /// The file was read to hash it (no manifest entry matched).
    pub hashed: bool,
}

/// The bucket of a document: the first 64 bits of its id modulo the bucket count.
pub fn bucket_of(doc_id: &str, buckets: u32) -> u32 {
    let head = doc_id.get(..16).unwrap_or(doc_id);
    let n = u64::from_str_radix(head, 16).unwrap_or_else(|_| {
        // Not hex (never produced by govdocs): hash the id itself.
        let h = blake3::hash(doc_id.as_bytes());
        u64::from_be_bytes(h.as_bytes()[..8].try_into().expect("8 bytes"))
    });
    (n % u64::from(buckets)) as u32
}

/// Nanoseconds since the Unix epoch (negative before it).
fn nanos(t: std::time::SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// The content hash of a file read front to back (the same id as [`govdocs_core::doc_id`] of
/// its bytes), without holding the file in memory.
pub fn hash_file(file: &Path) -> std::io::Result<String> {
    let mut h = blake3::Hasher::new();
    h.update_reader(fs::File::open(file)?)?;
    Ok(h.finalize().to_hex()[..32].to_string())
}

/// Stat every file and find its content hash: from `previous` (path → the last manifest entry)
/// when path, size and modification time match and the file did not fail last time, else by
/// reading it. Runs on the current rayon pool; the order of `files` is kept.
pub fn inputs(files: &[Found], previous: &HashMap<String, &InputEntry>) -> Vec<Input> {
    files
        .par_iter()
        .map(|found| {
            let file = &found.file;
            let path = found.path.clone();
            let unreadable = |path: String| Input {
                file: file.clone(),
                doc_id: doc_id(path.as_bytes()),
                path,
                size: 0,
                mtime_ns: 0,
                unreadable: true,
                hashed: false,
            };
            let meta = match fs::metadata(file) {
                Ok(m) if m.is_file() => m,
                // Folders, FIFOs, devices are never read (a FIFO would block the run).
                _ => return unreadable(path),
            };
            let size = meta.len();
            let mtime_ns = meta.modified().map(nanos).unwrap_or(0);
            // A file over the per-document limit fails without being read, so it is not hashed.
            if size > crate::process::MAX_DOCUMENT_BYTES {
                return Input {
                    size,
                    mtime_ns,
                    ..unreadable(path)
                };
            }
            if let Some(e) = previous.get(&path) {
                if e.size == size && e.mtime_ns == mtime_ns && e.status == "ok" {
                    return Input {
                        file: file.clone(),
                        doc_id: e.doc_id.clone(),
                        path,
                        size,
                        mtime_ns,
                        unreadable: false,
                        hashed: false,
                    };
                }
            }
            match hash_file(file) {
                Ok(doc_id) => Input {
                    file: file.clone(),
                    path,
                    size,
                    mtime_ns,
                    doc_id,
                    unreadable: false,
                    hashed: true,
                },
                Err(_) => Input {
                    size,
                    mtime_ns,
                    ..unreadable(path)
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_hash_is_the_doc_id_and_buckets_spread() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/text");
        let mut seen = std::collections::BTreeSet::new();
        for e in fs::read_dir(&root).unwrap() {
            let p = e.unwrap().path();
            let id = hash_file(&p).unwrap();
            assert_eq!(id, doc_id(&fs::read(&p).unwrap()));
            seen.insert(bucket_of(&id, 16));
        }
        assert!(
            seen.len() > 1,
            "five documents in one bucket of 16: {seen:?}"
        );
        // The first 16 hex digits as a big-endian u64: 0x…07d % 16 = 0xd.
        assert_eq!(bucket_of("5359714c6aa5b07d0000000000000000", 16), 13);
        assert_eq!(
            bucket_of("5359714c6aa5b07d0000000000000000", 7),
            (0x5359714c6aa5b07du64 % 7) as u32
        );
        assert_eq!(bucket_of("ffffffffffffffff", 1), 0);
    }

    #[test]
    fn a_matching_manifest_entry_saves_the_read() {
        let dir = std::env::temp_dir().join(format!("govdocs-plan-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let f = Found {
            path: "a.txt".into(),
            file: dir.join("a.txt"),
        };
        fs::write(&f.file, "abc").unwrap();
        let first = inputs(std::slice::from_ref(&f), &HashMap::new());
        assert!(first[0].hashed && !first[0].unreadable);
        assert_eq!(first[0].doc_id, doc_id(b"abc"));
        let entry = InputEntry {
            path: first[0].path.clone(),
            size: first[0].size,
            mtime_ns: first[0].mtime_ns,
            doc_id: "recorded".into(),
            status: "ok".into(),
            files: vec![],
        };
        let prev: HashMap<_, _> = [(entry.path.clone(), &entry)].into();
        let again = inputs(std::slice::from_ref(&f), &prev);
        assert_eq!(again[0].doc_id, "recorded", "not read again");
        assert!(!again[0].hashed);
        let failed = InputEntry {
            status: "failed".into(),
            ..entry.clone()
        };
        let prev: HashMap<_, _> = [(entry.path.clone(), &failed)].into();
        assert_eq!(
            inputs(std::slice::from_ref(&f), &prev)[0].doc_id,
            doc_id(b"abc")
        );
        let nope = Found {
            path: "nope.txt".into(),
            file: dir.join("nope.txt"),
        };
        let gone = inputs(&[nope], &HashMap::new());
        assert!(gone[0].unreadable);
        assert_eq!(gone[0].doc_id, doc_id(b"nope.txt"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
