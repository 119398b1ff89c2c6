//! `cargo bench -p govdocs-pdf`: pages per second of `extract` over the six sample PDFs,
//! the same for `pdftotext -layout` when it is on PATH (a process per run, as a pipeline
//! would call it), their ratio, and the process's peak RSS.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use govdocs_pdf::{extract, Limits};

const MIN_TIME: Duration = Duration::from_millis(500);
const MIN_RUNS: u32 = 5;

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/pdfs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files
}

/// Run `f` at least `MIN_RUNS` times and for at least `MIN_TIME`; mean seconds per run.
fn time(mut f: impl FnMut()) -> f64 {
    let t0 = Instant::now();
    let mut n = 0u32;
    while n < MIN_RUNS || t0.elapsed() < MIN_TIME {
        f();
        n += 1;
    }
    t0.elapsed().as_secs_f64() / n as f64
}

fn pdftotext_available() -> bool {
    Command::new("pdftotext")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let files = samples();
    let limits = Limits::default();
    let with_poppler = pdftotext_available();
    println!(
        "{:<45} {:>5} {:>10} {:>10} {:>12} {:>8}",
        "file", "pages", "ours ms", "pages/s", "pdftotext ms", "ratio"
    );
    let (mut pages_total, mut ours_total, mut theirs_total) = (0usize, 0.0f64, 0.0f64);
    for path in &files {
        let bytes = std::fs::read(path).expect("read sample");
        let pages = match extract(&bytes, &limits) {
            Ok(doc) => doc.pages.len(),
            Err(e) => {
                println!(
                    "{:<45} error: {e}",
                    path.file_name().unwrap().to_string_lossy()
                );
                continue;
            }
        };
        let ours = time(|| {
            let doc = extract(&bytes, &limits).expect("extract");
            std::hint::black_box(doc);
        });
        let theirs = if with_poppler {
            Some(time(|| {
                let out = Command::new("pdftotext")
                    .arg("-layout")
                    .arg(path)
                    .arg("-")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .output()
                    .expect("run pdftotext");
                std::hint::black_box(out.stdout.len());
            }))
        } else {
            None
        };
        pages_total += pages;
        ours_total += ours;
        theirs_total += theirs.unwrap_or(0.0);
        println!(
            "{:<45} {:>5} {:>10.2} {:>10.0} {:>12} {:>8}",
            path.file_name().unwrap().to_string_lossy(),
            pages,
            ours * 1e3,
            pages as f64 / ours,
            theirs.map_or("-".into(), |t| format!("{:.2}", t * 1e3)),
            theirs.map_or("-".into(), |t| format!("{:.1}x", t / ours)),
        );
    }
    println!(
        "{:<45} {:>5} {:>10.2} {:>10.0} {:>12} {:>8}",
        "total",
        pages_total,
        ours_total * 1e3,
        pages_total as f64 / ours_total,
        if with_poppler {
            format!("{:.2}", theirs_total * 1e3)
        } else {
            "-".into()
        },
        if with_poppler {
            format!("{:.1}x", theirs_total / ours_total)
        } else {
            "-".into()
        },
    );
    if !with_poppler {
        println!("(pdftotext not found on PATH: no comparison)");
    }
    match peak_rss_kib() {
        Some(kib) => println!("peak RSS (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("peak RSS: /proc/self/status not readable"),
    }
}
