//! The quality figures in `govdocs run`'s closing summary, and the `govdocs report` command;
//! both are computed by `govdocs_report`.

use arrow_array::RecordBatch;
use govdocs_output::DocumentRow;
use govdocs_report::figures::{doc_figures, RunFigures};
use std::path::PathBuf;
use std::process::ExitCode;

/// Count one document written by the run: its `documents` row and its `tables`, `cells` and
/// `checks` batches.
pub fn count(
    q: &mut RunFigures,
    d: &DocumentRow,
    tables: &RecordBatch,
    cells: &RecordBatch,
    checks: &RecordBatch,
) {
    let ok = d.status == "ok";
    let kind = d.doc_kind.as_deref();
    let f = ok
        .then(|| {
            let tables = std::slice::from_ref(tables);
            doc_figures(
                kind,
                d.tables_attached,
                tables,
                std::slice::from_ref(cells),
                std::slice::from_ref(checks),
            )
        })
        .transpose();
    match f {
        Ok(f) => q.add(ok, kind, f.as_ref()),
        Err(e) => {
            tracing::warn!(path = %d.source_path, error = %e, "quality figures not computed");
            q.add(ok, kind, None);
        }
    }
}

/// `govdocs report`: write the quality report of output folders; exit 0, or 2 when it cannot.
pub fn report(
    dirs: Vec<PathBuf>,
    out: Option<PathBuf>,
    sources: Vec<PathBuf>,
    page_images: bool,
) -> ExitCode {
    let opts = govdocs_report::Options {
        dirs,
        out,
        sources,
        page_images,
    };
    match govdocs_report::report(&opts) {
        Ok(r) => {
            let f = &r.figures;
            eprintln!(
                "report: {} documents ({} ok, {} failed); {}",
                f.documents,
                f.ok,
                f.failed,
                f.line()
            );
            if page_images && !r.pdftoppm {
                eprintln!("report: pdftoppm not found: PDF pages are named, not drawn");
            }
            eprintln!("report written to {}", r.dir.join("index.html").display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!("{e:#}");
            ExitCode::from(2)
        }
    }
}
