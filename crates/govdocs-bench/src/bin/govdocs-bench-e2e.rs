//! `govdocs-bench-e2e`: end-to-end throughput and peak memory of the release `govdocs` binary,
//! beside baselines measured in the same run.
//!
//!     govdocs-bench-e2e --corpus /tmp/corpus-200/text --corpus /tmp/corpus-50/text \
//!                       --pdf ../shared/pdfs --pdf /tmp/corpus-200/pdf [--repeat 3]
//!
//! For each text corpus: the baseline (read + UTF-8-validate every file with `simdutf8`, the
//! validator the parser uses, one thread),
//! then `govdocs run` with `--threads 1` and `--threads <cores>`: MB/s, docs/s, MB/s per core,
//! peak RSS of the child (`wait4`). For each PDF folder: `govdocs run` on 1 and all cores,
//! pages/s (pages counted with lopdf), against `pdftotext -layout` on the same files, run one
//! file at a time and on all cores. Every `govdocs run` writes into a fresh output folder.
//! Prints Markdown tables ready to paste. Each figure is the best (shortest) of `--repeat` runs.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: govdocs-bench-e2e [--corpus DIR]... [--pdf DIR]... [--govdocs BIN] \
[--threads N] [--repeat R] [--work DIR]";

struct Args {
    corpora: Vec<PathBuf>,
    pdfs: Vec<PathBuf>,
    govdocs: PathBuf,
    threads: usize,
    repeat: usize,
    work: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let mut a = Args {
        corpora: Vec::new(),
        pdfs: Vec::new(),
        govdocs: exe_dir.join("govdocs"),
        threads: cores,
        repeat: 1,
        work: std::env::temp_dir().join("govdocs-bench-e2e"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--corpus" => a.corpora.push(PathBuf::from(val()?)),
            "--pdf" => a.pdfs.push(PathBuf::from(val()?)),
            "--govdocs" => a.govdocs = PathBuf::from(val()?),
            "--threads" => a.threads = val()?.parse().map_err(|e| format!("--threads: {e}"))?,
            "--repeat" => a.repeat = val()?.parse().map_err(|e| format!("--repeat: {e}"))?,
            "--work" => a.work = PathBuf::from(val()?),
            "-h" | "--help" => return Err(USAGE.into()),
            _ => return Err(format!("unknown argument {flag:?}\n{USAGE}")),
        }
    }
    if a.corpora.is_empty() && a.pdfs.is_empty() {
        return Err(USAGE.into());
    }
    a.repeat = a.repeat.max(1);
    a.threads = a.threads.max(1);
    if !a.govdocs.is_file() {
        return Err(format!(
            "{} not found: build it with `cargo build --profile dist -p govdocs-cli` (same target dir) or pass --govdocs",
            a.govdocs.display()
        ));
    }
    Ok(a)
}

/// Every file under `dir` with one of `exts`, sorted.
fn walk(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.iter().any(|e| e.eq_ignore_ascii_case(x)))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Wall time and peak resident memory of one child process.
#[derive(Debug, Clone, Copy)]
struct Run {
    secs: f64,
    /// Peak RSS in bytes (`ru_maxrss` of the child).
    rss: u64,
}

/// Run `cmd` to completion with its output sent to `log`; wall time and the child's peak RSS.
fn run_child(cmd: &mut Command, log: &Path) -> Result<(Run, i32), String> {
    let log_file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let start = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; both pointers are valid for writes.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = start.elapsed().as_secs_f64();
    if r != pid {
        return Err(format!("wait4 failed: {}", std::io::Error::last_os_error()));
    }
    // The child is reaped; `Child` has no destructor that waits, so dropping it is fine.
    drop(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok((
        Run {
            secs,
            rss: usage.ru_maxrss as u64 * 1024,
        },
        code,
    ))
}

/// Best (shortest) of `n` runs of `f`; the peak RSS is the largest seen.
fn best_of(n: usize, mut f: impl FnMut() -> Result<Run, String>) -> Result<Run, String> {
    let mut best: Option<Run> = None;
    let mut rss = 0;
    for _ in 0..n {
        let r = f()?;
        rss = rss.max(r.rss);
        if best.is_none_or(|b| r.secs < b.secs) {
            best = Some(r);
        }
    }
    let mut b = best.expect("n >= 1");
    b.rss = rss;
    Ok(b)
}

/// Drives `govdocs run` into fresh output folders.
struct Govdocs<'a> {
    a: &'a Args,
    pipeline: PathBuf,
    full_refresh: bool,
    runs: usize,
}

impl Govdocs<'_> {
    /// Run the pipeline on `input` with `threads` workers; returns the run and its summary line.
    fn run(&mut self, input: &Path, threads: usize) -> Result<(Run, String), String> {
        self.runs += 1;
        let out = self.a.work.join("out");
        if out.exists() {
            std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        let log = self.a.work.join("govdocs.log");
        let mut cmd = Command::new(&self.a.govdocs);
        cmd.arg("run")
            .arg(&self.pipeline)
            .arg("--input")
            .arg(input)
            .arg("--output")
            .arg(&out)
            .arg("--threads")
            .arg(threads.to_string())
            .arg("--no-progress")
            .env("GOVDOCS_LOG", "error");
        if self.full_refresh {
            cmd.arg("--full-refresh");
        }
        let (run, code) = run_child(&mut cmd, &log)?;
        let mut text = String::new();
        std::fs::File::open(&log)
            .and_then(|mut f| f.read_to_string(&mut text))
            .map_err(|e| format!("{}: {e}", log.display()))?;
        if code != 0 && code != 1 {
            return Err(format!(
                "govdocs run exited with {code}:\n{}",
                text.lines().rev().take(10).collect::<Vec<_>>().join("\n")
            ));
        }
        let summary = text
            .lines()
            .rev()
            .find(|l| l.starts_with("documents:"))
            .unwrap_or("")
            .to_string();
        let _ = std::fs::remove_dir_all(&out);
        Ok((run, summary))
    }
}

/// Read and UTF-8-validate every file, one thread: the floor any text parser stands on.
fn baseline_text(files: &[PathBuf]) -> Result<Run, String> {
    let start = Instant::now();
    let mut valid = 0usize;
    for f in files {
        let b = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        valid += usize::from(simdutf8::basic::from_utf8(std::hint::black_box(&b)).is_ok());
    }
    std::hint::black_box(valid);
    Ok(Run {
        secs: start.elapsed().as_secs_f64(),
        rss: 0,
    })
}

/// `pdftotext -layout` on every file, `workers` processes at a time.
fn pdftotext(files: &[PathBuf], workers: usize, log: &Path) -> Result<Run, String> {
    let start = Instant::now();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let rss = std::sync::atomic::AtomicU64::new(0);
    let err = std::sync::Mutex::new(None::<String>);
    std::thread::scope(|s| {
        for w in 0..workers {
            let (next, rss, err) = (&next, &rss, &err);
            let log = log.with_extension(format!("{w}.log"));
            s.spawn(move || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(f) = files.get(i) else { break };
                let mut cmd = Command::new("pdftotext");
                cmd.arg("-layout").arg(f).arg("-");
                match run_child(&mut cmd, &log) {
                    Ok((r, 0)) => {
                        rss.fetch_max(r.rss, std::sync::atomic::Ordering::Relaxed);
                    }
                    Ok((_, code)) => {
                        *err.lock().unwrap() =
                            Some(format!("pdftotext {} exited with {code}", f.display()));
                    }
                    Err(e) => *err.lock().unwrap() = Some(e),
                }
            });
        }
    });
    if let Some(e) = err.into_inner().unwrap() {
        return Err(e);
    }
    Ok(Run {
        secs: start.elapsed().as_secs_f64(),
        rss: rss.into_inner(),
    })
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn run(a: &Args) -> Result<(), String> {
    std::fs::create_dir_all(&a.work).map_err(|e| format!("{}: {e}", a.work.display()))?;
    let help = Command::new(&a.govdocs)
        .args(["run", "--help"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", a.govdocs.display()))?;
    let full_refresh = String::from_utf8_lossy(&help.stdout).contains("--full-refresh");
    let pipeline = a.work.join("bench.toml");
    std::fs::write(
        &pipeline,
        "name = \"bench\"\ninputs = [\".\"]\noutput = \"out\"\nthreads = 0\n\n[options]\nextensions = [\"txt\", \"text\", \"pdf\"]\n",
    )
    .map_err(|e| format!("{}: {e}", pipeline.display()))?;
    let mut g = Govdocs {
        a,
        pipeline,
        full_refresh,
        runs: 0,
    };
    let cores = a.threads;
    let uptime = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "govdocs: {}  threads: 1 and {cores}  repeat: best of {}  --full-refresh: {}  load average at start: {}",
        a.govdocs.display(),
        a.repeat,
        if full_refresh { "passed" } else { "not offered" },
        uptime.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );

    if !a.corpora.is_empty() {
        println!("\n### Text corpora\n");
        println!("| corpus | docs | MB | run | threads | wall s | MB/s | docs/s | MB/s per core | peak RSS MB | vs baseline |");
        println!("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    }
    let mut notes = Vec::new();
    for c in &a.corpora {
        let files = walk(c, &["txt", "text"]);
        if files.is_empty() {
            return Err(format!("no text files under {}", c.display()));
        }
        let bytes: u64 = files
            .iter()
            .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
            .sum();
        let n = files.len() as f64;
        // Warm the page cache so every measurement below reads from memory alike.
        baseline_text(&files)?;
        let base = best_of(a.repeat, || baseline_text(&files))?;
        let base_mbps = mb(bytes) / base.secs;
        let name = c.display();
        println!(
            "| {name} | {} | {:.1} | read + UTF-8 check | 1 | {:.2} | {:.1} | {:.0} | {:.1} | – | 1 |",
            files.len(),
            mb(bytes),
            base.secs,
            base_mbps,
            n / base.secs,
            base_mbps
        );
        let mut one = None;
        let mut threads_list = vec![1];
        if cores > 1 {
            threads_list.push(cores);
        }
        for &t in &threads_list {
            let mut summary = String::new();
            let r = best_of(a.repeat, || {
                let (r, s) = g.run(c, t)?;
                summary = s;
                Ok(r)
            })?;
            let mbps = mb(bytes) / r.secs;
            println!(
                "| {name} | {} | {:.1} | govdocs run | {t} | {:.2} | {:.1} | {:.0} | {:.1} | {:.0} | {:.4} |",
                files.len(),
                mb(bytes),
                r.secs,
                mbps,
                n / r.secs,
                mbps / t as f64,
                mb(r.rss),
                mbps / base_mbps
            );
            notes.push(format!("{name}, {t} thread(s): {summary}"));
            match one {
                None => one = Some(r.secs),
                Some(s1) => notes.push(format!(
                    "{name}: {t} threads / 1 thread = {:.2}x",
                    s1 / r.secs
                )),
            }
        }
    }

    if !a.pdfs.is_empty() {
        println!("\n### PDF\n");
        println!("| folder | files | pages | MB | run | threads | wall s | pages/s | MB/s | peak RSS MB | govdocs / pdftotext |");
        println!("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    }
    for d in &a.pdfs {
        let files = walk(d, &["pdf"]);
        if files.is_empty() {
            return Err(format!("no PDF files under {}", d.display()));
        }
        let mut pages = 0usize;
        let mut bytes = 0u64;
        for f in &files {
            let b = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
            bytes += b.len() as u64;
            let doc = lopdf::Document::load_mem(&b)
                .map_err(|e| format!("lopdf cannot count pages of {}: {e}", f.display()))?;
            pages += doc.get_pages().len();
        }
        let name = d.display();
        let mut threads_list = vec![1];
        if cores > 1 {
            threads_list.push(cores);
        }
        for &t in &threads_list {
            let log = a.work.join("pdftotext");
            let p = best_of(a.repeat, || pdftotext(&files, t, &log))?;
            let mut summary = String::new();
            let r = best_of(a.repeat, || {
                let (r, s) = g.run(d, t)?;
                summary = s;
                Ok(r)
            })?;
            println!(
                "| {name} | {} | {pages} | {:.1} | pdftotext -layout | {t} | {:.2} | {:.0} | {:.1} | {:.0} | 1 |",
                files.len(),
                mb(bytes),
                p.secs,
                pages as f64 / p.secs,
                mb(bytes) / p.secs,
                mb(p.rss)
            );
            println!(
                "| {name} | {} | {pages} | {:.1} | govdocs run | {t} | {:.2} | {:.0} | {:.1} | {:.0} | {:.2} |",
                files.len(),
                mb(bytes),
                r.secs,
                pages as f64 / r.secs,
                mb(bytes) / r.secs,
                mb(r.rss),
                p.secs / r.secs
            );
            notes.push(format!("{name}, {t} thread(s): {summary}"));
        }
    }
    println!();
    for n in &notes {
        println!("- {n}");
    }
    println!(
        "- {} `govdocs run` invocations; peak RSS is the child's ru_maxrss (wait4); pdftotext RSS is the largest single process",
        g.runs
    );
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
