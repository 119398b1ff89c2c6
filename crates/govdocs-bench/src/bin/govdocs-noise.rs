//! `govdocs-noise`: noisy copies of a clean text document, and how much of it they keep.
//!
//!     govdocs-noise copy FORM INPUT OUTPUT [--seed N]   write INPUT in form FORM to OUTPUT
//!     govdocs-noise html INPUT OUTPUT                   INPUT as an HTML page for Chromium to
//!                                                         print (scripts/render-seeds.sh)
//!     govdocs-noise measure [FILE…]                      per file and form, the share of the
//!                                                         clean cells a noisy copy reproduces
//!     govdocs-noise diff FORM FILE [N]                   the first N clean cells the copy misses
//!                                                         and the first N cells it adds (FORM
//!                                                         may be a rendered copy's .pdf path)
//!
//! Forms: fullwidth, spaced-numbers, space-aligned, space-aligned-blank, gb18030-crlf, pdf.
//! `measure` defaults to the samples (`samples/text/00[0-3]*.txt`).

use govdocs_bench::noise::{apply, cells, compare, parse, Cell, Form};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: govdocs-noise copy FORM INPUT OUTPUT [--seed N] | html INPUT OUTPUT | measure [FILE…] | diff FORM FILE [N]";

/// Seed of the random choices when none is given.
const DEFAULT_SEED: u64 = 14;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("copy") => {
            let (mut pos, mut seed) = (Vec::new(), DEFAULT_SEED);
            let mut it = args[1..].iter();
            while let Some(a) = it.next() {
                if a == "--seed" {
                    let v = it.next().ok_or("--seed needs a value")?;
                    seed = v.parse().map_err(|e| format!("bad seed: {e}"))?;
                } else {
                    pos.push(a.as_str());
                }
            }
            let [form, input, output] = pos[..] else {
                return Err(USAGE.into());
            };
            let form = Form::from_name(form).ok_or_else(|| format!("unknown form {form:?}"))?;
            let text = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
            std::fs::write(output, apply(&text, form, seed)).map_err(|e| format!("{output}: {e}"))
        }
        Some("html") => {
            let [_, input, output] = &args[..] else {
                return Err(USAGE.into());
            };
            let text = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
            std::fs::write(output, govdocs_bench::noise::html(&text))
                .map_err(|e| format!("{output}: {e}"))
        }
        Some("diff") => {
            let [_, form, file, ..] = &args[..] else {
                return Err(USAGE.into());
            };
            let n: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(20);
            let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
            let clean = govdocs_core::parse_text(text.as_bytes()).map_err(|e| e.to_string())?;
            // FORM may be a rendered copy's path (`tests/rendered/000.pdf`) instead of a form.
            let copy = match Form::from_name(form) {
                Some(f) => apply(&text, f, DEFAULT_SEED),
                None if form.ends_with(".pdf") => {
                    std::fs::read(form).map_err(|e| format!("{form}: {e}"))?
                }
                None => return Err(format!("unknown form {form:?}")),
            };
            let noisy = parse(&copy)?;
            let (a, b) = (cells(&clean), cells(&noisy));
            let missing = multiset_minus(&a, &b);
            let added = multiset_minus(&b, &a);
            println!(
                "{} clean cells, {} missing, {} added",
                a.len(),
                missing.len(),
                added.len()
            );
            for c in missing.iter().take(n) {
                println!("- {c}");
            }
            for c in added.iter().take(n) {
                println!("+ {c}");
            }
            Ok(())
        }
        Some("measure") => {
            let mut files: Vec<PathBuf> = args[1..].iter().map(PathBuf::from).collect();
            if files.is_empty() {
                let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/text");
                files = std::fs::read_dir(dir)
                    .map_err(|e| format!("{dir}: {e}"))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        let n = p.file_name().unwrap_or_default().to_string_lossy();
                        ["000", "001", "002", "003"]
                            .iter()
                            .any(|s| n.starts_with(s))
                    })
                    .collect();
                files.sort();
            }
            println!("file\tform\tclean_cells\treproduced\tshare\tnulled\textra\tsections\tmeta");
            for f in &files {
                let text =
                    std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
                let clean = govdocs_core::parse_text(text.as_bytes())
                    .map_err(|e| format!("{}: {e}", f.display()))?;
                let name = f.file_name().unwrap_or_default().to_string_lossy();
                for form in Form::ALL {
                    if !form.applies(&text) {
                        continue;
                    }
                    let noisy = apply(&text, form, DEFAULT_SEED);
                    let c = match parse(&noisy) {
                        Ok(d) => compare(&clean, &d),
                        Err(e) => {
                            println!("{name}\t{}\terror: {e}", form.as_str());
                            continue;
                        }
                    };
                    println!(
                        "{name}\t{}\t{}\t{}\t{:.1}%\t{}\t{}\t{}\t{}",
                        form.as_str(),
                        c.clean,
                        c.reproduced,
                        100.0 * c.share(),
                        c.nulled,
                        c.extra,
                        if c.section_difference.is_none() {
                            "same"
                        } else {
                            "differ"
                        },
                        if c.meta_equal { "same" } else { "differ" },
                    );
                }
            }
            Ok(())
        }
        _ => Err(USAGE.into()),
    }
}

/// The cells of `a` not in `b`, counted as multisets, in `a`'s order.
fn multiset_minus<'a>(a: &'a [Cell], b: &[Cell]) -> Vec<&'a Cell> {
    let mut pool: std::collections::HashMap<&Cell, usize> = std::collections::HashMap::new();
    for c in b {
        *pool.entry(c).or_default() += 1;
    }
    a.iter()
        .filter(|c| match pool.get_mut(c) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}
