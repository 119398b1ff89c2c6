//! Reading dataset files back, for incremental runs: the rows of unchanged documents are copied
//! from the files of the previous run instead of being parsed again.

use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch, StringArray, UInt32Array};
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use std::collections::HashSet;
use std::fs::File;
use std::io;
use std::path::Path;

/// Rows per batch when reading a file back.
const READ_ROWS: usize = 8192;

fn open(path: &Path, schema: &SchemaRef) -> io::Result<ParquetRecordBatchReader> {
    let b = ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)
        .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
    if b.schema().fields() != schema.fields() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: columns differ from this version's schema",
                path.display()
            ),
        ));
    }
    b.with_batch_size(READ_ROWS)
        .build()
        .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))
}

fn doc_ids(batch: &RecordBatch) -> io::Result<&StringArray> {
    batch
        .column_by_name("doc_id")
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no string doc_id column"))
}

/// Every row of a file, as one batch under `schema` (which the file must have).
pub fn read_all(path: &Path, schema: &SchemaRef) -> io::Result<RecordBatch> {
    let batches = open(path, schema)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(io::Error::other)?;
    arrow_select::concat::concat_batches(schema, &batches).map_err(io::Error::other)
}

/// The rows of `batches`, one after the other, as one batch under `schema`.
pub fn concat(schema: &SchemaRef, batches: &[RecordBatch]) -> io::Result<RecordBatch> {
    let b: Vec<RecordBatch> = batches
        .iter()
        .map(|b| RecordBatch::try_new(schema.clone(), b.columns().to_vec()))
        .collect::<Result<_, _>>()
        .map_err(io::Error::other)?;
    arrow_select::concat::concat_batches(schema, &b).map_err(io::Error::other)
}

/// The rows of `batch` whose `doc_id` is in `keep`, in their order.
pub fn filter_doc_ids(batch: &RecordBatch, keep: &HashSet<String>) -> io::Result<RecordBatch> {
    let ids = doc_ids(batch)?;
    let mask: BooleanArray = ids
        .iter()
        .map(|d| Some(d.is_some_and(|d| keep.contains(d))))
        .collect();
    arrow_select::filter::filter_record_batch(batch, &mask).map_err(io::Error::other)
}

/// The rows of `batch` at `indices`, in that order, with the string column `column` replaced by
/// `values` (one per index). Used to give one document's row to each path holding its bytes.
pub fn take_with_column(
    batch: &RecordBatch,
    indices: &[u32],
    column: &str,
    values: &[String],
) -> io::Result<RecordBatch> {
    assert_eq!(indices.len(), values.len(), "one value per row taken");
    let idx = UInt32Array::from(indices.to_vec());
    let taken = arrow_select::take::take_record_batch(batch, &idx).map_err(io::Error::other)?;
    let schema = batch.schema();
    let at = schema.index_of(column).map_err(io::Error::other)?;
    let mut columns: Vec<ArrayRef> = taken.columns().to_vec();
    columns[at] = std::sync::Arc::new(StringArray::from_iter_values(values));
    RecordBatch::try_new(schema, columns).map_err(io::Error::other)
}

/// One row-per-fact file read back in order, handing out the rows of one document at a time.
/// The file's rows must be sorted by `doc_id` (as govdocs writes them); asking for documents in
/// increasing `doc_id` order reads the file once, front to back, holding one batch at a time.
pub struct DocRows {
    reader: ParquetRecordBatchReader,
    batch: Option<RecordBatch>,
    at: usize,
    last: String,
}

impl DocRows {
    /// Open `path`, which must hold rows of `schema`.
    pub fn open(path: &Path, schema: &SchemaRef) -> io::Result<DocRows> {
        Ok(DocRows {
            reader: open(path, schema)?,
            batch: None,
            at: 0,
            last: String::new(),
        })
    }

    /// Make sure the current batch has rows left, reading the next one when needed; false at
    /// the end of the file.
    fn fill(&mut self) -> io::Result<bool> {
        while self.batch.as_ref().is_none_or(|b| self.at >= b.num_rows()) {
            match self.reader.next() {
                Some(b) => {
                    self.batch = Some(b.map_err(io::Error::other)?);
                    self.at = 0;
                }
                None => {
                    self.batch = None;
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// The rows of `doc_id` (possibly several slices), skipping the rows of smaller ids. Ids must
    /// be asked for in increasing order; a file found out of order is an error.
    pub fn take(&mut self, doc_id: &str) -> io::Result<Vec<RecordBatch>> {
        if doc_id < self.last.as_str() {
            return Err(io::Error::other("documents asked for out of doc_id order"));
        }
        self.last = doc_id.to_string();
        let mut out = Vec::new();
        while self.fill()? {
            let b = self.batch.clone().expect("filled");
            let ids = doc_ids(&b)?;
            let n = b.num_rows();
            // Rows are sorted by doc_id: skip smaller ids, take this id's rows.
            let mut i = self.at;
            while i < n && ids.value(i) < doc_id {
                if i > self.at && ids.value(i) < ids.value(i - 1) {
                    return Err(unsorted());
                }
                i += 1;
            }
            let start = i;
            while i < n && ids.value(i) == doc_id {
                i += 1;
            }
            if i > start {
                out.push(b.slice(start, i - start));
            }
            self.at = i;
            if i < n {
                // The next row belongs to a later document.
                return Ok(out);
            }
        }
        Ok(out)
    }
}

fn unsorted() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "file rows are not sorted by doc_id",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::{sections_batch, sections_schema, SectionRow};
    use crate::write::{Dataset, PartWriter};

    fn sections<'a>(ids: &[(&'a str, u32)]) -> Vec<SectionRow<'a>> {
        ids.iter()
            .map(|&(d, i)| SectionRow {
                doc_id: d,
                section_id: i,
                title: "标题",
                ..Default::default()
            })
            .collect()
    }

    fn ids_of(batches: &[RecordBatch]) -> Vec<String> {
        batches
            .iter()
            .flat_map(|b| {
                let ids = doc_ids(b).unwrap();
                let sec: &UInt32Array = b
                    .column_by_name("section_id")
                    .unwrap()
                    .as_any()
                    .downcast_ref()
                    .unwrap();
                (0..b.num_rows())
                    .map(|i| format!("{}{}", ids.value(i), sec.value(i)))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn rows_of_one_document_across_batch_boundaries() {
        let dir = std::env::temp_dir().join(format!("govdocs-read-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // 'b' has READ_ROWS + 5 rows, so its rows span two read batches.
        let mut rows = vec![("a", 0), ("a", 1)];
        rows.extend((0..READ_ROWS as u32 + 5).map(|i| ("b", i)));
        rows.extend([("d", 0), ("e", 0), ("e", 1)]);
        let path = dir.join("part.parquet");
        let mut w = PartWriter::create(dir.join(".tmp"), path.clone(), Dataset::Sections).unwrap();
        w.write(&sections_batch(&sections(&rows))).unwrap();
        w.finish().unwrap().commit().unwrap();
        let mut r = DocRows::open(&path, &sections_schema()).unwrap();
        assert_eq!(ids_of(&r.take("a").unwrap()), ["a0", "a1"]);
        let b = r.take("b").unwrap();
        assert_eq!(b.len(), 2, "two slices, one per read batch");
        assert_eq!(b.iter().map(|b| b.num_rows()).sum::<usize>(), READ_ROWS + 5);
        assert!(r.take("c").unwrap().is_empty());
        // 'd' is skipped: its rows are not asked for.
        assert_eq!(ids_of(&r.take("e").unwrap()), ["e0", "e1"]);
        assert!(r.take("f").unwrap().is_empty());
        assert!(r.take("a").is_err(), "ids must come in increasing order");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
