//! Atomic Parquet writing: write a file aside (hidden temporary name), sync it, rename it into place.
//!
//! [`PartWriter`] streams rows into one file aside. Its bytes depend only on the sequence of rows
//! written, never on how the rows were cut into batches: rows are handed to the Parquet writer
//! in slices of exactly [`WRITE_ROWS`] rows and row groups hold [`ROW_GROUP_ROWS`] rows, so a file
//! assembled from copied and freshly parsed rows is byte-identical to one written in one go.

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The datasets govdocs writes, each in a folder of its own name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// One row per input file.
    Documents,
    /// One row per section heading.
    Sections,
    /// One row per table.
    Tables,
    /// One row per non-blank value cell.
    Cells,
    /// One row per trusted amount, with its context.
    LineItems,
    /// One row per check run.
    Checks,
}

impl Dataset {
    /// Every dataset: the per-document datasets first, `documents` last (the order a bucket's
    /// files are renamed into place, so a reader who sees a document sees its rows).
    pub const ALL: [Dataset; 6] = [
        Dataset::Sections,
        Dataset::Tables,
        Dataset::Cells,
        Dataset::LineItems,
        Dataset::Checks,
        Dataset::Documents,
    ];

    /// The dataset's Arrow schema.
    pub fn schema(&self) -> SchemaRef {
        match self {
            Dataset::Documents => crate::rows::documents_schema(),
            Dataset::Sections => crate::rows::sections_schema(),
            Dataset::Tables => crate::facts::tables_schema(),
            Dataset::Cells => crate::facts::cells_schema(),
            Dataset::LineItems => crate::facts::line_items_schema(),
            Dataset::Checks => crate::facts::checks_schema(),
        }
    }

    /// Rows per Parquet row group in the dataset's files.
    pub fn row_group_rows(&self) -> usize {
        match self {
            Dataset::Sections | Dataset::Tables => TEXT_ROW_GROUP_ROWS,
            _ => ROW_GROUP_ROWS,
        }
    }

    /// Columns written without a dictionary: amounts and the texts that hold them seldom
    /// repeat, and plain pages of them compress smaller (on the generated 50 MB corpus, cells
    /// −8%, line_items −13%, checks −23%).
    pub fn plain_columns(&self) -> &'static [&'static str] {
        match self {
            Dataset::Cells => &["raw", "value", "value_yuan"],
            Dataset::LineItems => &["amount", "amount_yuan"],
            Dataset::Checks => &["location", "expected", "actual", "delta"],
            _ => &[],
        }
    }

    /// The dataset's folder name.
    pub fn name(&self) -> &'static str {
        match self {
            Dataset::Documents => "documents",
            Dataset::Sections => "sections",
            Dataset::Tables => "tables",
            Dataset::Cells => "cells",
            Dataset::LineItems => "line_items",
            Dataset::Checks => "checks",
        }
    }
}

/// Rows per Parquet row group of the datasets whose rows are small (the last group of a file
/// holds the rest). The writer holds a whole row group in memory (a column chunk's dictionary
/// page precedes its data pages), so this bounds the memory of an open file whatever the
/// bucket's size.
pub const ROW_GROUP_ROWS: usize = 8192;

/// Rows per row group of `sections` and `tables`, whose rows carry whole texts.
pub const TEXT_ROW_GROUP_ROWS: usize = 1024;

/// Rows handed to the Parquet writer per call; divides [`ROW_GROUP_ROWS`] and
/// [`TEXT_ROW_GROUP_ROWS`]. Rows wait in Arrow
/// form (uncompressed) until this many are pending, so it bounds that buffer: sections and
/// tables rows carry whole texts.
pub const WRITE_ROWS: usize = 1024;

/// Writer settings shared by every dataset: ZSTD, statistics, no wall-clock values, row groups
/// cut by row count only (never by a byte estimate, which would depend on batch boundaries).
fn properties(dataset: Dataset) -> WriterProperties {
    let mut b = WriterProperties::builder();
    for col in dataset.plain_columns() {
        b = b.set_column_dictionary_enabled(parquet::schema::types::ColumnPath::from(*col), false);
    }
    let row_group_rows = dataset.row_group_rows();
    b.set_compression(Compression::ZSTD(
        ZstdLevel::try_new(3).expect("valid zstd level"),
    ))
    .set_max_row_group_row_count(Some(row_group_rows))
    .set_max_row_group_bytes(None)
    .set_created_by(concat!("govdocs ", env!("CARGO_PKG_VERSION")).to_string())
    .build()
}

/// A file sink that hashes (BLAKE3) and counts what goes through it.
struct HashingFile {
    file: File,
    hasher: blake3::Hasher,
    bytes: u64,
}

impl Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// One Parquet file being written aside under a temporary name; see the module documentation.
/// Dropped without [`PartWriter::finish`], it removes its temporary file.
pub struct PartWriter {
    writer: Option<ArrowWriter<HashingFile>>,
    schema: SchemaRef,
    pending: Vec<RecordBatch>,
    pending_rows: usize,
    rows: u64,
    tmp: PathBuf,
    path: PathBuf,
}

/// A finished file still under its temporary name, ready to be renamed into place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The temporary file holding the data.
    pub tmp: PathBuf,
    /// Where [`Written::commit`] puts it.
    pub path: PathBuf,
    /// Rows in the file.
    pub rows: u64,
    /// File size in bytes.
    pub bytes: u64,
    /// BLAKE3 hash of the file's bytes, 64 hex digits.
    pub blake3: String,
}

impl PartWriter {
    /// Start writing rows of `dataset` to `tmp`, to be renamed to `path` once committed.
    /// `tmp` should be a hidden name that query engines do not read (not ending in `.parquet`).
    pub fn create(tmp: PathBuf, path: PathBuf, dataset: Dataset) -> io::Result<PartWriter> {
        let schema = dataset.schema();
        if let Some(dir) = tmp.parent() {
            fs::create_dir_all(dir)?;
        }
        let file = File::create(&tmp)?;
        let sink = HashingFile {
            file,
            hasher: blake3::Hasher::new(),
            bytes: 0,
        };
        let writer = ArrowWriter::try_new(sink, schema.clone(), Some(properties(dataset)))
            .map_err(io::Error::other);
        let writer = match writer {
            Ok(w) => w,
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        };
        Ok(PartWriter {
            writer: Some(writer),
            schema,
            pending: Vec::new(),
            pending_rows: 0,
            rows: 0,
            tmp,
            path,
        })
    }

    /// The schema rows must have.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows + self.pending_rows as u64
    }

    /// Append rows (any batch size; the file does not depend on it).
    pub fn write(&mut self, batch: &RecordBatch) -> io::Result<()> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        // Same columns under the writer's schema (batches read back from a file may carry
        // other schema metadata).
        let batch = RecordBatch::try_new(self.schema.clone(), batch.columns().to_vec())
            .map_err(io::Error::other)?;
        self.pending_rows += batch.num_rows();
        self.pending.push(batch);
        if self.pending_rows >= WRITE_ROWS {
            self.drain(false).map_err(|e| self.named(e))?;
        }
        Ok(())
    }

    /// An error of this file, naming it (a full disk must say which file it stopped).
    fn named(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("{}: {e}", self.tmp.display()))
    }

    /// Hand pending rows to the Parquet writer in slices of [`WRITE_ROWS`]; with `all`, the rest too.
    fn drain(&mut self, all: bool) -> io::Result<()> {
        if self.pending_rows == 0 {
            return Ok(());
        }
        let joined = arrow_select::concat::concat_batches(&self.schema, &self.pending)
            .map_err(io::Error::other)?;
        self.pending.clear();
        let w = self.writer.as_mut().expect("writer open until finish");
        let mut at = 0;
        while joined.num_rows() - at >= WRITE_ROWS {
            w.write(&joined.slice(at, WRITE_ROWS))
                .map_err(io::Error::other)?;
            at += WRITE_ROWS;
        }
        let rest = joined.num_rows() - at;
        if rest > 0 && all {
            w.write(&joined.slice(at, rest)).map_err(io::Error::other)?;
            at += rest;
        } else if rest > 0 {
            self.pending.push(joined.slice(at, rest));
        }
        self.rows += at as u64;
        self.pending_rows = if all { 0 } else { rest };
        Ok(())
    }

    /// Write the remaining rows and the footer, sync the file to disk and return it, still
    /// under its temporary name.
    pub fn finish(mut self) -> io::Result<Written> {
        self.drain(true).map_err(|e| self.named(e))?;
        let w = self.writer.take().expect("writer open until finish");
        let sink = w
            .into_inner()
            .map_err(|e| self.named(io::Error::other(e)))?;
        sink.file.sync_all().map_err(|e| self.named(e))?;
        Ok(Written {
            tmp: std::mem::take(&mut self.tmp),
            path: self.path.clone(),
            rows: self.rows,
            bytes: sink.bytes,
            blake3: sink.hasher.finalize().to_hex().to_string(),
        })
    }
}

impl Drop for PartWriter {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

impl Written {
    /// Rename the file into place (replacing any file there). Sync the folder afterwards with
    /// [`sync_dir`] to make the rename durable.
    pub fn commit(&self) -> io::Result<()> {
        fs::rename(&self.tmp, &self.path)
    }

    /// Remove the temporary file (when the run gives up before committing).
    pub fn discard(&self) {
        let _ = fs::remove_file(&self.tmp);
    }
}

/// Sync a folder, so that renames and removals in it survive a crash.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Write `batch` as `<out>/<dataset>/<file_name>` atomically, replacing any previous file there,
/// and return the final path.
pub fn write_dataset(
    out: &Path,
    dataset: Dataset,
    file_name: &str,
    batch: &RecordBatch,
) -> io::Result<PathBuf> {
    let dir = out.join(dataset.name());
    let tmp = dir.join(format!(".tmp-{file_name}.{}", std::process::id()));
    let mut w = PartWriter::create(tmp, dir.join(file_name), dataset)?;
    w.write(batch)?;
    let done = w.finish()?;
    if let Err(e) = done.commit() {
        done.discard();
        return Err(e);
    }
    let _ = sync_dir(&dir);
    Ok(done.path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::{documents_batch, DocumentRow};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    #[test]
    fn writes_readable_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("govdocs-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let rows = vec![DocumentRow {
            doc_id: "abc".into(),
            source_path: "x.txt".into(),
            source_format: "text".into(),
            status: "ok".into(),
            fiscal_year: Some(2024),
            parser_version: "t".into(),
            ..Default::default()
        }];
        let p = write_dataset(
            &dir,
            Dataset::Documents,
            "part-0.parquet",
            &documents_batch(&rows),
        )
        .unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&p).unwrap())
            .unwrap()
            .build()
            .unwrap();
        let batches: Vec<_> = reader.map(|b| b.unwrap()).collect();
        assert_eq!(batches[0].num_rows(), 1);
        assert_eq!(batches[0].schema().field(7).name(), "fiscal_year");
        let names: Vec<_> = fs::read_dir(dir.join("documents"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["part-0.parquet"]);
        fs::remove_dir_all(&dir).unwrap();
    }
}

#[cfg(test)]
mod row_group_tests {
    use super::*;
    use crate::rows::{sections_batch, SectionRow};
    use parquet::file::reader::{FileReader, SerializedFileReader};

    /// `n` rows borrowing from `texts` (one text per row).
    fn rows(texts: &[String]) -> Vec<SectionRow<'_>> {
        (0..texts.len() as u32)
            .map(|i| SectionRow {
                doc_id: ["doc0", "doc1", "doc2"][(i / 1000) as usize],
                section_id: i % 1000,
                label: "一、",
                number: 1,
                title: "标题",
                path: "一、",
                text: &texts[i as usize],
                line_start: i,
                line_end: i + 1,
                ..Default::default()
            })
            .collect()
    }

    /// Write `all` to a file in batches of the given sizes and return its bytes.
    fn write_in(dir: &Path, name: &str, all: &[SectionRow], cuts: &[usize]) -> Vec<u8> {
        let path = dir.join(name);
        let mut w = PartWriter::create(
            dir.join(format!(".{name}")),
            path.clone(),
            Dataset::Sections,
        )
        .unwrap();
        let mut at = 0;
        for &n in cuts.iter().chain(std::iter::once(&all.len())) {
            let end = n.min(all.len());
            w.write(&sections_batch(&all[at..end])).unwrap();
            at = end;
        }
        w.finish().unwrap().commit().unwrap();
        fs::read(&path).unwrap()
    }

    #[test]
    fn row_groups_are_cut_by_row_count_whatever_the_batches() {
        let dir = std::env::temp_dir().join(format!("govdocs-rowgroups-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let texts: Vec<String> = (0..2500).map(|i| "正文".repeat(i % 50)).collect();
        let all = rows(&texts);
        let one = write_in(&dir, "one.parquet", &all, &[]);
        let cut = write_in(&dir, "cut.parquet", &all, &[7, 1030, 1031, 2047]);
        assert_eq!(one, cut, "same rows, different batches: same bytes");
        let reader =
            SerializedFileReader::new(File::open(dir.join("one.parquet")).unwrap()).unwrap();
        let groups: Vec<i64> = (0..reader.num_row_groups())
            .map(|g| reader.metadata().row_group(g).num_rows())
            .collect();
        assert_eq!(groups, [1024, 1024, 452]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
