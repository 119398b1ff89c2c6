//! govdocs-report: the quality report of an output folder. `report` reads the datasets' part
//! files (one folder or several shard folders), a bucket at a time and a document at a time, and
//! writes `_report/`: `index.html` (the run's figures, plots and a sortable, filterable table of
//! documents), one page per document (tables drawn as grids, each cell coloured by what its
//! checks say) and `summary.json` (the same figures for scripts; docs/report.md). The figures
//! themselves (`figures`) are shared with `govdocs run`'s closing summary.

pub mod cols;
pub mod figures;
pub mod folder;
pub mod html;
pub mod index;
pub mod page;
pub mod rows;
pub mod source;
pub mod svg;

use anyhow::{Context, Result};
use figures::{doc_figures, RunFigures};
use folder::{Bucket, DocStream};
use index::{DocEntry, RunView};
use rayon::prelude::*;
use rows::{CELL_COLUMNS, CHECK_COLUMNS, DOCUMENT_COLUMNS, SECTION_COLUMNS, TABLE_COLUMNS};
use source::Sources;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Name of the report folder inside an output folder.
pub const REPORT_DIR: &str = "_report";

/// Pages of one PDF drawn at most (a 171-page final account must not make 171 pictures).
pub const MAX_PICTURES_PER_DOCUMENT: usize = 40;

/// The vendored table library (list.js 2.3.1, MIT) and its licence, written to `assets/`.
const ASSETS: [(&str, &str); 4] = [
    ("list.min.js", include_str!("../assets/list.min.js")),
    (
        "LICENSE-list.js.txt",
        include_str!("../assets/LICENSE-list.js.txt"),
    ),
    ("index.js", include_str!("../assets/index.js")),
    ("report.css", include_str!("../assets/report.css")),
];

/// What to report on and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The output folders (one run, or the shard folders of one run).
    pub dirs: Vec<PathBuf>,
    /// Where to write the report; default `<first folder>/_report`.
    pub out: Option<PathBuf>,
    /// More folders that relative source paths may be relative to (the current folder, the
    /// output folders and their parents are tried first).
    pub sources: Vec<PathBuf>,
    /// Draw the pages of PDF tables with `pdftoppm` when it is installed.
    pub page_images: bool,
}

/// What a report run wrote.
#[derive(Debug, Clone)]
pub struct Report {
    /// The report folder.
    pub dir: PathBuf,
    /// The figures over every document.
    pub figures: RunFigures,
    /// PDF page pictures in the report.
    pub pictures: usize,
    /// Whether `pdftoppm` was found (and pictures wanted).
    pub pdftoppm: bool,
}

/// Write the report of `opts.dirs`.
pub fn report(opts: &Options) -> Result<Report> {
    anyhow::ensure!(!opts.dirs.is_empty(), "no output folder given");
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| opts.dirs[0].join(REPORT_DIR));
    for d in ["docs", "pages", "assets"] {
        std::fs::create_dir_all(out.join(d))
            .with_context(|| format!("cannot create {}", out.join(d).display()))?;
    }
    for (name, text) in ASSETS {
        write_atomic(&out.join("assets").join(name), text.as_bytes())?;
    }
    let mut roots = Vec::new();
    for d in &opts.dirs {
        roots.extend(input_roots(d));
        roots.push(d.clone());
        if let Some(p) = d.parent() {
            roots.push(p.to_path_buf());
        }
    }
    roots.extend(opts.sources.iter().cloned());
    let sources = Sources {
        roots,
        page_images: opts.page_images,
        pdftoppm: if opts.page_images {
            source::find_pdftoppm()
        } else {
            None
        },
    };
    let buckets = folder::buckets(&opts.dirs)?;
    let per_bucket: Vec<Result<Vec<DocEntry>>> = buckets
        .par_iter()
        .map(|b| bucket_entries(b, &out, &sources))
        .collect();
    let mut entries = Vec::new();
    for r in per_bucket {
        entries.extend(r?);
    }
    // One entry per document, however many buckets or shard folders hold it.
    let mut seen = HashSet::new();
    entries.retain(|e| seen.insert(e.doc.doc_id.clone()));
    entries.sort_by(|a, b| a.doc.source_path.cmp(&b.doc.source_path));
    let figures = index::run_figures(&entries);
    let dirs: Vec<String> = opts.dirs.iter().map(|d| d.display().to_string()).collect();
    let view = RunView {
        dirs: &dirs,
        entries: &entries,
        figures: &figures,
    };
    write_atomic(&out.join("summary.json"), view.summary_json().as_bytes())?;
    write_atomic(&out.join("index.html"), view.index_html().as_bytes())?;
    let pictures = remove_stale(&out, &seen)?;
    Ok(Report {
        dir: out,
        figures,
        pictures,
        pdftoppm: sources.pdftoppm.is_some(),
    })
}

/// Remove pages and pictures of documents no longer in the output; count the pictures kept.
fn remove_stale(out: &Path, ids: &HashSet<String>) -> Result<usize> {
    let mut pictures = 0;
    for (dir, sep) in [("docs", '.'), ("pages", '-')] {
        let Ok(entries) = std::fs::read_dir(out.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name.split(sep).next().unwrap_or("");
            if ids.contains(id) {
                pictures += usize::from(dir == "pages");
            } else {
                std::fs::remove_file(e.path())
                    .with_context(|| format!("cannot remove {}", e.path().display()))?;
            }
        }
    }
    Ok(pictures)
}

/// Write a file aside and rename it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".tmp-{name}.{}", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// A doc_id as a file name (it is 32 hex digits; anything else is replaced).
fn safe_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The documents of one bucket, their pages written.
fn bucket_entries(b: &Bucket, out: &Path, sources: &Sources) -> Result<Vec<DocEntry>> {
    let docs = rows::documents(&folder::read_all(&b.file("documents"), &DOCUMENT_COLUMNS)?)
        .with_context(|| format!("{}", b.file("documents").display()))?;
    let mut by_id: BTreeMap<String, Vec<rows::DocRow>> = BTreeMap::new();
    for d in docs {
        by_id.entry(d.doc_id.clone()).or_default().push(d);
    }
    let open = |ds: &str, cols: &[&str]| DocStream::open(b.file(ds), cols);
    let mut sections = open("sections", &SECTION_COLUMNS)?;
    let mut tables = open("tables", &TABLE_COLUMNS)?;
    let mut cells = open("cells", &CELL_COLUMNS)?;
    let mut checks = open("checks", &CHECK_COLUMNS)?;
    let mut out_entries = Vec::with_capacity(by_id.len());
    for (id, mut rows_of) in by_id {
        rows_of.sort_by(|a, b| a.source_path.cmp(&b.source_path));
        let paths: Vec<String> = rows_of.iter().map(|r| r.source_path.clone()).collect();
        // The row of a path whose document parsed, else the first.
        let at = rows_of.iter().position(|r| r.status == "ok").unwrap_or(0);
        let doc = rows_of.swap_remove(at);
        let ctx = || format!("document {id} in {}", b.dir.display());
        let s = sections.take(&id).with_context(ctx)?;
        let t = tables.take(&id).with_context(ctx)?;
        let c = cells.take(&id).with_context(ctx)?;
        let k = checks.take(&id).with_context(ctx)?;
        let figures = if doc.status == "ok" {
            Some(
                doc_figures(doc.doc_kind.as_deref(), doc.tables_attached, &t, &c, &k)
                    .with_context(ctx)?,
            )
        } else {
            None
        };
        let file = format!("{}.html", safe_id(&id));
        let page = {
            let sections = rows::sections(&s)?;
            let tables = rows::tables(&t)?;
            let cells = rows::cells(&c)?;
            let checks = rows::checks(&k)?;
            drop((s, t, c, k));
            let (lines, pictures, note) = source_view(&doc, &paths, &tables, &cells, out, sources);
            page::DocPage {
                doc: &doc,
                paths: &paths,
                figures: figures.as_ref(),
                sections: &sections,
                tables: &tables,
                cells: &cells,
                checks: &checks,
                lines: lines.as_ref(),
                source_note: note,
                pictures: &pictures,
            }
            .render()
        };
        write_atomic(&out.join("docs").join(&file), page.as_bytes())?;
        out_entries.push(DocEntry {
            doc,
            paths,
            figures,
            page: format!("docs/{file}"),
        });
    }
    Ok(out_entries)
}

/// What a page shows of the source: a text dump's lines, or a PDF's page pictures (relative to
/// the page), and a note on where the source was found.
fn source_view(
    doc: &rows::DocRow,
    paths: &[String],
    tables: &[rows::TableRow],
    cells: &[rows::CellRow],
    out: &Path,
    sources: &Sources,
) -> (Option<BTreeMap<u32, String>>, BTreeMap<u32, String>, String) {
    let mut pictures = BTreeMap::new();
    let is_pdf = doc.source_format == "pdf";
    if doc.status != "ok" || tables.is_empty() || (is_pdf && sources.pdftoppm.is_none()) {
        let note = if is_pdf && !sources.page_images {
            "not read: page pictures are off (--no-page-images)".to_string()
        } else if is_pdf && sources.pdftoppm.is_none() {
            "not read: page pictures need pdftoppm (poppler-utils)".to_string()
        } else {
            "not needed".to_string()
        };
        return (None, pictures, note);
    }
    let Some((path, bytes)) = sources.load(paths, &doc.doc_id) else {
        return (
            None,
            pictures,
            "not found with the same content at its path (moved or changed?); \
             `govdocs report --sources DIR` names the folder relative paths start from"
                .to_string(),
        );
    };
    let note = format!("read from {}", path.display());
    if !is_pdf {
        let lines = source::text_lines(&bytes).map(|l| l.into_iter().collect());
        return (lines, pictures, note);
    }
    drop(bytes);
    let mut by_table: BTreeMap<u32, Vec<&rows::CellRow>> = BTreeMap::new();
    for c in cells {
        by_table.entry(c.table_id).or_default().push(c);
    }
    let mut pages: Vec<u32> = Vec::new();
    for t in tables {
        let cs = by_table.get(&t.table_id).map(Vec::as_slice).unwrap_or(&[]);
        let span = page::table_pages(t, cs);
        pages.extend(span.into_iter().take(page::MAX_TABLE_PAGES as usize));
    }
    pages.sort_unstable();
    pages.dedup();
    pages.truncate(MAX_PICTURES_PER_DOCUMENT);
    let id = safe_id(&doc.doc_id);
    for (p, name) in sources.render_pages(&path, &pages, &out.join("pages"), &id) {
        pictures.insert(p, format!("../pages/{name}"));
    }
    (None, pictures, note)
}

/// The input roots the runs into output folder `dir` named (`input_root` of its `_runs`
/// records, newest first): source paths are relative to them.
fn input_roots(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join("_runs")) else {
        return Vec::new();
    };
    let mut records: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    records.sort();
    let mut roots: Vec<PathBuf> = Vec::new();
    for r in records.iter().rev() {
        let root = std::fs::read(r)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v.get("input_root")?.as_str().map(PathBuf::from));
        if let Some(root) = root.filter(|r| !roots.contains(r)) {
            roots.push(root);
        }
    }
    roots
}
