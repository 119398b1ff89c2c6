//! Metamorphic tests: a noisy copy of a seed (full-width digits, spaced numbers, space-aligned
//! columns, blank lines, GB18030 with CRLF) must parse into the clean seed's cells (table kind
//! and code, block, row code, row label, 行次, column label and 栏次, value), section tree and
//! metadata (a PDF copy is read by the PDF reader of `govdocs-cli`). A difference fails and
//! names the first differing cell, unless the seed and form
//! are in [`KNOWN`] — forms not fixed yet, with the share of clean cells they reproduced when
//! measured (`govdocs-noise measure`); each fix removes its entry.

use govdocs_bench::noise::{apply, compare, Comparison, Form};
use std::path::PathBuf;

/// Seed of the noise's random choices (the same as `govdocs-noise measure`).
const SEED: u64 = 14;

/// Seeds and forms not reproduced yet: (seed prefix, form, share of clean cells measured).
/// The test fails when one of them does worse than measured, or reproduces everything (then
/// its entry must go).
/// The PDF copies differ where a tab dump cannot say how the PDF drew a cell: a caption merged
/// over several columns (`本年支出` over 小计/基本支出/项目支出) is drawn over its first column
/// only, and a name wrapped onto the next row (`…专项债券收` / `入安排的支出`) a full row below,
/// where a PDF draws it inside the cell. One value is lost outright: 000's 表6 prints
/// `公用经费合计 … 64.74` under the third 科目编码 | 科目名称 | 决算数 group, a group no other row
/// fills, so the positioned reading finds no column for it: the cell is missing, not flagged
/// (a known defect of the unruled reading).
const KNOWN: &[(&str, Form, f64)] = &[
    ("000", Form::Pdf, 0.895),
    ("001", Form::Pdf, 0.875),
    ("003", Form::Pdf, 0.823),
];

fn seed(prefix: &str) -> (String, String) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/text");
    let p: PathBuf = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix} missing"));
    let name = p.file_name().unwrap().to_string_lossy().into_owned();
    (name, std::fs::read_to_string(p).unwrap())
}

fn describe(c: &Comparison) -> String {
    let mut s = format!(
        "{}/{} clean cells reproduced ({:.1}%), {} nulled, {} extra",
        c.reproduced,
        c.clean,
        100.0 * c.share(),
        c.nulled,
        c.extra
    );
    if let Some((i, a, b)) = &c.first_difference {
        let show = |x: &Option<_>| {
            x.as_ref()
                .map_or("(none)".to_string(), |c: &govdocs_bench::noise::Cell| {
                    c.to_string()
                })
        };
        s += &format!(
            "\n  first differing cell #{i}:\n    clean: {}\n    noisy: {}",
            show(a),
            show(b)
        );
    }
    if let Some((a, b)) = &c.section_difference {
        s += &format!("\n  first differing section:\n    clean: {a:?}\n    noisy: {b:?}");
    }
    if !c.meta_equal {
        s += "\n  metadata differ";
    }
    s
}

fn check_seed(prefix: &str) {
    let (name, text) = seed(prefix);
    let clean = govdocs_core::parse_text(text.as_bytes()).unwrap();
    assert!(!clean.tables.is_empty());
    let mut failures = Vec::new();
    for form in Form::ALL {
        if !form.applies(&text) {
            continue;
        }
        let noisy = govdocs_bench::noise::parse(&apply(&text, form, SEED))
            .unwrap_or_else(|e| panic!("{name} {}: {e}", form.as_str()));
        let c = compare(&clean, &noisy);
        let known = KNOWN.iter().find(|k| k.0 == prefix && k.1 == form);
        match known {
            None if !c.identical() => {
                failures.push(format!("{name} {}: {}", form.as_str(), describe(&c)))
            }
            Some(_) if c.identical() => failures.push(format!(
                "{name} {}: now reproduced in full; remove it from KNOWN",
                form.as_str()
            )),
            Some(k) if c.share() + 5e-4 < k.2 => failures.push(format!(
                "{name} {}: worse than the {:.1}% measured: {}",
                form.as_str(),
                100.0 * k.2,
                describe(&c)
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Other seeds lay space-aligned copies out otherwise (gap of 2 to 4 spaces, pdftotext-like or
/// plain left alignment): every one gives the clean cells too.
#[test]
fn space_aligned_layouts_of_every_seed_give_its_cells() {
    let mut layouts = std::collections::HashSet::new();
    for prefix in ["000", "001", "003"] {
        let (name, text) = seed(prefix);
        let clean = govdocs_core::parse_text(text.as_bytes()).unwrap();
        for s in 1..=6u64 {
            layouts.insert(format!("{:?}", govdocs_bench::noise::Columns::draw(s)));
            let noisy = govdocs_core::parse_text(&apply(&text, Form::SpaceAligned, s)).unwrap();
            let c = compare(&clean, &noisy);
            assert!(c.identical(), "{name} seed {s}: {}", describe(&c));
        }
    }
    assert!(layouts.len() >= 3, "{layouts:?}");
}

#[test]
fn noisy_copies_of_000_give_its_cells() {
    check_seed("000");
}

#[test]
fn noisy_copies_of_001_give_its_cells() {
    check_seed("001");
}

#[test]
fn noisy_copies_of_002_give_its_cells() {
    check_seed("002");
}

#[test]
fn noisy_copies_of_003_give_its_cells() {
    check_seed("003");
}

/// Forms composed as a converter would compose them: the digits of a space-aligned copy printed
/// full-width, its amounts spaced (the columns laid out after the noise, so they stay aligned),
/// and the full-width copy with spaced amounts.
#[test]
fn composed_forms_give_the_clean_cells() {
    use govdocs_bench::noise::{fullwidth, space_aligned, spaced_numbers};
    for prefix in ["000", "001", "002", "003"] {
        let (name, text) = seed(prefix);
        let clean = govdocs_core::parse_text(text.as_bytes()).unwrap();
        let composed = [
            (
                "fullwidth, space-aligned",
                space_aligned(&fullwidth(&text), false),
            ),
            (
                "spaced-numbers, space-aligned-blank",
                space_aligned(&spaced_numbers(&text, SEED), true),
            ),
            (
                "spaced-numbers, fullwidth",
                fullwidth(&spaced_numbers(&text, SEED)),
            ),
        ];
        for (forms, copy) in composed {
            let noisy = govdocs_core::parse_text(copy.as_bytes()).unwrap();
            let c = compare(&clean, &noisy);
            assert!(c.identical(), "{name} {forms}: {}", describe(&c));
        }
    }
}

/// Seeds printed as HTML tables by headless Chromium with WenQuanYi Zen Hei
/// (`scripts/render-seeds.sh`; the PDFs are committed in `tests/rendered/`), read by the PDF
/// reader, give every cell of the clean seed. 003 prints the two parts of its 公开04表 as two
/// ruled tables one under the other with the same outer edges; 000's 表7 has header cells
/// wrapped over lines.
#[test]
fn chromium_rendered_seeds_give_their_cells() {
    let mut failures = Vec::new();
    for prefix in ["000", "001", "003"] {
        let (name, text) = seed(prefix);
        let clean = govdocs_core::parse_text(text.as_bytes()).unwrap();
        let pdf = std::fs::read(format!(
            "{}/tests/rendered/{prefix}.pdf",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap_or_else(|e| panic!("{prefix}.pdf (made by scripts/render-seeds.sh): {e}"));
        let noisy = govdocs_bench::noise::parse(&pdf).unwrap_or_else(|e| panic!("{name}: {e}"));
        let c = compare(&clean, &noisy);
        eprintln!("{name} chromium: {}", describe(&c));
        if !c.identical() {
            failures.push(format!("{name} chromium: {}", describe(&c)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
