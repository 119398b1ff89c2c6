//! `govdocs-corpus`: make a benchmark corpus of a chosen size from the samples.
//!
//!     govdocs-corpus --from samples --out /tmp/corpus-200 --size 200MB --seed 42 [--pdf-copies K --pdfs ../shared/pdfs]
//!
//! Text documents go to `OUT/text/`, each derived from one text sample (`FROM/text/*.txt`) with
//! another district, shifted years, amounts scaled by one integer factor and number noise; every
//! file is unique and written as soon as it is made. `--pdf-copies K` writes K byte-distinct
//! copies of every PDF in `--pdfs DIR` (default `FROM/pdf/`) to `OUT/pdf/`. The same seed gives the same corpus.

use govdocs_bench::corpus::{generate, parse_size, pdf_copy, Source, Variant};
use govdocs_bench::rng::Rng;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: govdocs-corpus --from SAMPLES_DIR --out DIR --size SIZE [--seed N] [--pdf-copies K [--pdfs DIR]]";

struct Args {
    from: PathBuf,
    out: PathBuf,
    size: u64,
    seed: u64,
    pdf_copies: usize,
    pdfs: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut from = None;
    let mut out = None;
    let mut size = None;
    let mut seed = 42u64;
    let mut pdf_copies = 0usize;
    let mut pdfs = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--from" => from = Some(PathBuf::from(val()?)),
            "--out" => out = Some(PathBuf::from(val()?)),
            "--size" => {
                let v = val()?;
                size = Some(parse_size(&v).ok_or_else(|| format!("bad size {v:?}"))?);
            }
            "--seed" => seed = val()?.parse().map_err(|e| format!("bad seed: {e}"))?,
            "--pdf-copies" => {
                pdf_copies = val()?
                    .parse()
                    .map_err(|e| format!("bad --pdf-copies: {e}"))?
            }
            "--pdfs" => pdfs = Some(PathBuf::from(val()?)),
            "-h" | "--help" => return Err(USAGE.into()),
            _ => return Err(format!("unknown argument {a:?}\n{USAGE}")),
        }
    }
    Ok(Args {
        from: from.ok_or(USAGE)?,
        out: out.ok_or(USAGE)?,
        size: size.unwrap_or(0),
        seed,
        pdf_copies,
        pdfs,
    })
}

/// Files with extension `ext` directly in `dir`, sorted.
fn files(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case(ext)))
        .collect();
    v.sort();
    Ok(v)
}

/// Create `dir`, refusing one that already holds files (so two corpora never mix).
fn fresh_dir(dir: &Path) -> Result<(), String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .next()
            .is_some()
    {
        return Err(format!("{} is not empty; remove it first", dir.display()));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

fn run(a: &Args) -> Result<(), String> {
    let text_dir = if a.from.join("text").is_dir() {
        a.from.join("text")
    } else {
        a.from.clone()
    };
    let mut sources = Vec::new();
    for p in files(&text_dir, "txt")? {
        let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{}: the generator reads UTF-8 samples only", p.display()))?;
        let stem = p.file_stem().unwrap_or_default().to_string_lossy();
        sources.push(Source::new(&stem, text));
    }
    if sources.is_empty() && a.size > 0 {
        return Err(format!("no .txt samples in {}", text_dir.display()));
    }
    let mut seen: HashSet<[u8; 32]> = sources
        .iter()
        .map(|s| *blake3::hash(s.text.as_bytes()).as_bytes())
        .collect();
    let (mut written, mut docs) = (0u64, 0u64);
    if a.size > 0 {
        let out = a.out.join("text");
        fresh_dir(&out)?;
        while written < a.size {
            let src = &sources[(docs % sources.len() as u64) as usize];
            let mut rng = Rng::for_item(a.seed, docs);
            // Redraw on the (unlikely) chance that a variant repeats an earlier document.
            let text = loop {
                let v = Variant::draw(src, &mut rng);
                let t = generate(src, &v);
                if seen.insert(*blake3::hash(t.as_bytes()).as_bytes()) {
                    break t;
                }
            };
            let path = out.join(format!("{docs:06}-{}.txt", src.name));
            let mut f = std::fs::File::create(&path)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            f.write_all(text.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            written += text.len() as u64;
            docs += 1;
        }
        println!(
            "text: {docs} documents, {written} bytes ({:.1} MB) in {}",
            written as f64 / 1e6,
            out.display()
        );
    }
    if a.pdf_copies > 0 {
        let dir = a.pdfs.clone().unwrap_or_else(|| a.from.join("pdf"));
        let pdfs = files(&dir, "pdf")?;
        let out = a.out.join("pdf");
        fresh_dir(&out)?;
        let (mut n, mut bytes) = (0usize, 0u64);
        for p in &pdfs {
            let pdf = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let stem = p.file_stem().unwrap_or_default().to_string_lossy();
            for c in 0..a.pdf_copies {
                let copy = pdf_copy(&pdf, c);
                let path = out.join(format!("{stem}-c{c:04}.pdf"));
                std::fs::write(&path, &copy)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                n += 1;
                bytes += copy.len() as u64;
            }
        }
        println!(
            "pdf: {n} copies of {} files, {bytes} bytes ({:.1} MB) in {}",
            pdfs.len(),
            bytes as f64 / 1e6,
            out.display()
        );
    }
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
