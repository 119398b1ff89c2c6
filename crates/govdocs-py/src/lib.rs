//! The `govdocs` Python module: the Rust extractor called in-process from Python, Spark
//! (`mapInArrow`), Ray Data (`map_batches`), DuckDB and polars. Each document gives the same
//! rows of the six datasets as `govdocs run` writes, as Arrow tables or record batches (the
//! arrow project's pyarrow bridge, zero-copy through the C data interface).
//!
//! Differences from the CLI, by design: `source_path` is the path the caller passes (the CLI
//! stores the path relative to its input folder), and nothing is incremental (the CLI's
//! manifests, buckets and Parquet files are the CLI's).

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_pyarrow::{FromPyArrow, IntoPyArrow, Table, ToPyArrow};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use govdocs_cli::process::{panic_message, process_bytes, Outcome};
use govdocs_output::rows::documents_batch;
use govdocs_output::{Dataset, DocumentRow};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// The Rust side of the module allocates with mimalloc, as the CLI does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The per-document datasets in the order of [`Outcome::batches`].
const CHILDREN: [Dataset; 5] = [
    Dataset::Sections,
    Dataset::Tables,
    Dataset::Cells,
    Dataset::LineItems,
    Dataset::Checks,
];

/// One document's rows: its `documents` row and its batches of the five other datasets.
struct Rows {
    document: DocumentRow,
    batches: [RecordBatch; 5],
}

/// Parse one document and build its batches. As in the CLI's run, a failure while building
/// the rows (a bug) fails this document alone: its row says why and it has no other rows.
fn rows_of(source_path: &str, bytes: &[u8]) -> Rows {
    let o: Outcome = process_bytes(source_path, bytes);
    match catch_unwind(AssertUnwindSafe(|| o.batches())) {
        Ok(batches) => Rows {
            document: o.document,
            batches,
        },
        Err(panic) => {
            let mut document = o.document;
            document.status = "failed".into();
            document.error = Some(format!(
                "internal error (cannot store the document's rows): {}",
                panic_message(panic.as_ref())
            ));
            Rows {
                document,
                batches: CHILDREN.map(|d| RecordBatch::new_empty(d.schema())),
            }
        }
    }
}

/// The dataset named `name`, or a `ValueError` listing the names.
fn dataset(name: &str) -> PyResult<Dataset> {
    Dataset::ALL
        .into_iter()
        .find(|d| d.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = Dataset::ALL.iter().map(|d| d.name()).collect();
            PyValueError::new_err(format!(
                "unknown dataset {name:?}; the datasets are {}",
                names.join(", ")
            ))
        })
}

/// The signed Arrow type holding every value of `t` (Spark has no unsigned integers).
fn signed(t: &DataType) -> DataType {
    match t {
        DataType::UInt8 => DataType::Int16,
        DataType::UInt16 => DataType::Int32,
        DataType::UInt32 | DataType::UInt64 => DataType::Int64,
        DataType::List(f) => DataType::List(Arc::new(signed_field(f))),
        other => other.clone(),
    }
}

fn signed_field(f: &Field) -> Field {
    f.clone().with_data_type(signed(f.data_type()))
}

/// `schema` with its unsigned integer columns widened to signed types.
fn signed_schema(schema: &Schema) -> SchemaRef {
    let fields: Vec<Field> = schema.fields().iter().map(|f| signed_field(f)).collect();
    Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()))
}

/// The schema of a dataset, widened for Spark when asked.
fn schema_of(d: Dataset, spark: bool) -> SchemaRef {
    if spark {
        signed_schema(&d.schema())
    } else {
        d.schema()
    }
}

/// `batch` cast to `schema` (a widening; a value that does not fit is an error, never wrapped).
fn cast_to(batch: &RecordBatch, schema: &SchemaRef) -> Result<RecordBatch, ArrowError> {
    let columns = batch
        .columns()
        .iter()
        .zip(schema.fields())
        .map(|(c, f)| arrow_cast::cast(c, f.data_type()))
        .collect::<Result<Vec<ArrayRef>, _>>()?;
    RecordBatch::try_new(schema.clone(), columns)
}

/// The rows of dataset `d` over `docs`, as one batch.
fn dataset_batch(d: Dataset, docs: &[Rows], spark: bool) -> Result<RecordBatch, ArrowError> {
    let batch = match CHILDREN.iter().position(|c| *c == d) {
        Some(i) => {
            let parts: Vec<&RecordBatch> = docs.iter().map(|r| &r.batches[i]).collect();
            arrow_select::concat::concat_batches(&d.schema(), parts)?
        }
        None => {
            let rows: Vec<DocumentRow> = docs.iter().map(|r| r.document.clone()).collect();
            documents_batch(&rows)
        }
    };
    if spark {
        cast_to(&batch, &schema_of(d, true))
    } else {
        Ok(batch)
    }
}

fn arrow_err(e: ArrowError) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// Every dataset's rows over `docs` as a dict of `pyarrow.Table`, keyed by dataset name.
fn tables<'py>(py: Python<'py>, docs: &[Rows], spark: bool) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for d in Dataset::ALL {
        let batch = dataset_batch(d, docs, spark).map_err(arrow_err)?;
        let schema = batch.schema();
        let table = Table::try_new(vec![batch], schema).map_err(arrow_err)?;
        out.set_item(d.name(), table.into_pyarrow(py)?)?;
    }
    Ok(out)
}

/// The rows of the six datasets for one document, as `{name: pyarrow.Table}`.
///
/// `data` is the file's content (text dump or PDF), `source_path` is stored as given in
/// `documents.source_path`. The parse runs without the GIL, so threads parse in parallel.
/// With `spark=True` unsigned integer columns are widened to signed ones (see `schema`).
#[pyfunction]
#[pyo3(signature = (data, source_path, *, spark = false))]
fn parse<'py>(
    py: Python<'py>,
    data: &[u8],
    source_path: &str,
    spark: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let docs = py.detach(|| vec![rows_of(source_path, data)]);
    tables(py, &docs, spark)
}

/// The `(path, content)` pairs of one input batch.
fn documents_of(batch: &RecordBatch) -> PyResult<Vec<(&str, &[u8])>> {
    let column = |name: &str| {
        batch.column_by_name(name).ok_or_else(|| {
            PyValueError::new_err(format!(
                "the batch has no {name:?} column (it needs `path` (string) and `content` (binary))"
            ))
        })
    };
    // Spark's `binaryFile` source names the bytes `content`, Ray's `read_binary_files` `bytes`.
    let contents = match batch.column_by_name("bytes") {
        Some(c) if batch.column_by_name("content").is_none() => c,
        _ => column("content")?,
    };
    let paths = column("path")?;
    let paths = strings(paths.as_ref())?;
    let contents = binaries(contents.as_ref())?;
    Ok(paths.into_iter().zip(contents).collect())
}

/// The values of a string column (`string`, `large_string` or `string_view`); a null path is
/// an error (a document needs a name).
fn strings(a: &dyn Array) -> PyResult<Vec<&str>> {
    let values: Vec<Option<&str>> = if let Some(s) = a.as_string_opt::<i32>() {
        s.iter().collect()
    } else if let Some(s) = a.as_string_opt::<i64>() {
        s.iter().collect()
    } else if let Some(s) = a.as_string_view_opt() {
        s.iter().collect()
    } else {
        return Err(PyTypeError::new_err(format!(
            "`path` must be a string column, not {}",
            a.data_type()
        )));
    };
    values
        .into_iter()
        .map(|v| v.ok_or_else(|| PyValueError::new_err("`path` has a null value")))
        .collect()
}

/// The values of a binary column (`binary`, `large_binary` or `binary_view`); a null content
/// is read as an empty file (which fails with the CLI's error for an empty file).
fn binaries(a: &dyn Array) -> PyResult<Vec<&[u8]>> {
    let values: Vec<Option<&[u8]>> = if let Some(b) = a.as_binary_opt::<i32>() {
        b.iter().collect()
    } else if let Some(b) = a.as_binary_opt::<i64>() {
        b.iter().collect()
    } else if let Some(b) = a.as_binary_view_opt() {
        b.iter().collect()
    } else {
        return Err(PyTypeError::new_err(format!(
            "`content` must be a binary column, not {}",
            a.data_type()
        )));
    };
    Ok(values.into_iter().map(Option::unwrap_or_default).collect())
}

/// The record batches of `obj`: a `pyarrow.RecordBatch`, or anything exporting an Arrow
/// stream (`pyarrow.Table`, a polars DataFrame, ...).
fn input_batches(obj: &Bound<'_, PyAny>) -> PyResult<Vec<RecordBatch>> {
    if obj.hasattr("__arrow_c_stream__")? {
        Ok(Table::from_pyarrow_bound(obj)?.into_inner().0)
    } else {
        Ok(vec![RecordBatch::from_pyarrow_bound(obj)?])
    }
}

/// The datasets for many documents: `batch` has a `path` (string) and a `content` (binary)
/// column, one row per document (Spark's `binaryFile` source; Ray's
/// `read_binary_files(include_paths=True)` names the content `bytes`, also accepted); other
/// columns are ignored.
///
/// Returns `{name: pyarrow.Table}` for the six datasets, or, with `dataset="line_items"`, that
/// dataset alone as one `pyarrow.RecordBatch` (what Spark's `mapInArrow` expects). Documents
/// are parsed in parallel on rayon's pool (`RAYON_NUM_THREADS` sets its size) without the GIL.
/// With `spark=True` unsigned integer columns are widened to signed ones (see `schema`).
#[pyfunction]
#[pyo3(signature = (batch, dataset = None, *, spark = false))]
fn parse_batch<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyAny>,
    dataset: Option<&str>,
    spark: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let wanted = dataset.map(self::dataset).transpose()?;
    let batches = input_batches(batch)?;
    let mut inputs = Vec::new();
    for b in &batches {
        inputs.extend(documents_of(b)?);
    }
    let docs: Vec<Rows> = py.detach(|| {
        inputs
            .par_iter()
            .map(|(path, bytes)| rows_of(path, bytes))
            .collect()
    });
    match wanted {
        Some(d) => dataset_batch(d, &docs, spark)
            .map_err(arrow_err)?
            .to_pyarrow(py),
        None => Ok(tables(py, &docs, spark)?.into_any()),
    }
}

/// The Arrow schema of the dataset `name` (`documents`, `sections`, `tables`, `cells`,
/// `line_items`, `checks`), as `pyarrow.Schema`. With `spark=True`, the schema `parse_batch`
/// returns under `spark=True`: unsigned integer columns widened to the signed type holding
/// all their values (uint8 -> int16, uint32 and uint64 -> int64), as Spark has no unsigned
/// types.
#[pyfunction]
#[pyo3(signature = (name, *, spark = false))]
fn schema<'py>(py: Python<'py>, name: &str, spark: bool) -> PyResult<Bound<'py, PyAny>> {
    schema_of(self::dataset(name)?, spark).to_pyarrow(py)
}

/// The names of the six datasets, `documents` last.
#[pyfunction]
fn datasets() -> Vec<&'static str> {
    Dataset::ALL.iter().map(|d| d.name()).collect()
}

/// The `govdocs` module; `__version__` is the parser version stored in every dataset.
#[pymodule(name = "govdocs")]
fn govdocs_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", govdocs_core::PARSER_VERSION)?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(parse_batch, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(datasets, m)?)?;
    Ok(())
}
