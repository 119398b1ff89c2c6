//! Atomic Parquet writing: write a file aside (hidden temporary name), sync it, rename it into place.

use arrow_array::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::fs::{self, File};
use std::io;
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

/// Writer settings shared by every dataset: ZSTD, statistics, no wall-clock values.
fn properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(
            ZstdLevel::try_new(3).expect("valid zstd level"),
        ))
        .set_created_by(concat!("govdocs ", env!("CARGO_PKG_VERSION")).to_string())
        .build()
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
    fs::create_dir_all(&dir)?;
    let final_path = dir.join(file_name);
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = File::create(&tmp)?;
        let mut w = ArrowWriter::try_new(file, batch.schema(), Some(properties()))
            .map_err(io::Error::other)?;
        w.write(batch).map_err(io::Error::other)?;
        let file = w.into_inner().map_err(io::Error::other)?;
        file.sync_all()?;
        fs::rename(&tmp, &final_path)?;
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(final_path.clone())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
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
