//! Generated documents are real work for the parser: they parse into the same tables as their
//! sample, every amount comes back as the sample's times the document's factor (noisy forms
//! included), and the checks that held exactly in the sample still hold.

use govdocs_bench::corpus::{generate, pdf_copy, Source, Variant};
use govdocs_bench::rng::Rng;
use govdocs_core::tables::Value;
use rust_decimal::Decimal;
use std::path::PathBuf;

fn samples(kind: &str, ext: &str) -> Vec<PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(PathBuf::from(dir).join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

/// The real PDFs beside the checkout (`../shared/pdfs`), sorted.
fn shared_pdfs() -> Vec<PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/pdfs");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    v.sort();
    v
}

fn sources() -> Vec<Source> {
    samples("text", "txt")
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            Source::new(&stem, std::fs::read_to_string(p).unwrap())
        })
        .collect()
}

/// True when the sample printed the value as an amount the generator scales (two decimals or
/// thousands separators), after folding full-width digits.
fn scaled_form(raw: &str) -> bool {
    let t = govdocs_core::normalize::fold_fullwidth(raw);
    t.contains(',') || t.split('.').nth(1).is_some_and(|f| f.trim().len() == 2)
}

fn noisy(raw: &str) -> bool {
    raw.contains(". ") || raw.contains(", ") || raw.chars().any(|c| ('０'..='９').contains(&c))
}

#[test]
fn generated_documents_parse_like_their_sample_with_scaled_amounts() {
    let mut noisy_cells = 0;
    let mut scaled_cells = 0;
    for src in sources() {
        let a = govdocs_core::parse_text(src.text.as_bytes()).expect("sample parses");
        for i in 0..3u64 {
            let v = Variant::draw(&src, &mut Rng::for_item(42, i));
            let text = generate(&src, &v);
            assert_ne!(text, src.text);
            let b = govdocs_core::parse_text(text.as_bytes())
                .unwrap_or_else(|e| panic!("{} variant {i} fails: {e}", src.name));
            let ctx = format!("{} variant {v:?}", src.name);
            // Another department and year.
            if let (Some(y), Some(y2)) = (a.meta.fiscal_year, b.meta.fiscal_year) {
                assert_eq!(y2, y + v.year_delta, "{ctx}: fiscal year");
            }
            assert_eq!(
                a.meta.fiscal_year.is_some(),
                b.meta.fiscal_year.is_some(),
                "{ctx}"
            );
            if let (Some(d), Some(old)) = (&a.meta.department, src.district) {
                if d.contains(old) {
                    let d2 = b.meta.department.as_deref().unwrap_or("");
                    assert!(d2.contains(v.district), "{ctx}: department {d2:?}");
                }
            }
            // Same sections and tables.
            assert_eq!(a.outline.sections.len(), b.outline.sections.len(), "{ctx}");
            assert_eq!(a.tables.len(), b.tables.len(), "{ctx}: tables");
            let k = Decimal::from(v.factor);
            for (ta, tb) in a.tables.iter().zip(&b.tables) {
                assert_eq!(
                    (ta.kind, ta.status),
                    (tb.kind, tb.status),
                    "{ctx}: {}",
                    ta.title
                );
                assert_eq!(ta.blocks.len(), tb.blocks.len(), "{ctx}: {}", ta.title);
                for (ba, bb) in ta.blocks.iter().zip(&tb.blocks) {
                    assert_eq!(ba.rows.len(), bb.rows.len(), "{ctx}: {}", ta.title);
                    for (ra, rb) in ba.rows.iter().zip(&bb.rows) {
                        assert_eq!(ra.code, rb.code, "{ctx}");
                        let cells = ra.values.iter().zip(&rb.values);
                        for (ca, cb) in cells {
                            let (
                                Some(Value {
                                    value: Some(x),
                                    raw,
                                    ..
                                }),
                                Some(cb),
                            ) = (ca, cb)
                            else {
                                assert_eq!(ca.is_some(), cb.is_some(), "{ctx}: row {}", ra.name);
                                continue;
                            };
                            let want = if scaled_form(raw) { *x * k } else { *x };
                            assert_eq!(
                                cb.value,
                                Some(want),
                                "{ctx}: {} row {} raw {raw:?} -> {:?}",
                                ta.title,
                                ra.name,
                                cb.raw
                            );
                            if scaled_form(raw) {
                                scaled_cells += 1;
                                noisy_cells += usize::from(noisy(&cb.raw));
                            }
                        }
                    }
                }
            }
            // The same checks run; every one that held exactly in the sample holds here too,
            // on amounts `factor` times larger.
            assert_eq!(a.checks.len(), b.checks.len(), "{ctx}: checks");
            for (ca, cb) in a.checks.iter().zip(&b.checks) {
                assert_eq!((&ca.rule, ca.table_id), (&cb.rule, cb.table_id), "{ctx}");
                if ca.pass && ca.delta().is_zero() {
                    assert!(cb.pass && cb.delta().is_zero(), "{ctx}: {cb:?}");
                    assert_eq!(cb.expected, ca.expected * k, "{ctx}: {cb:?}");
                }
            }
            let passed = |d: &govdocs_core::Document| d.checks.iter().filter(|c| c.pass).count();
            assert!(
                passed(&b) >= passed(&a) * 9 / 10,
                "{ctx}: checks passed {} vs {}",
                passed(&b),
                passed(&a)
            );
        }
    }
    // The noise forms really were exercised and read back.
    assert!(scaled_cells > 1000, "{scaled_cells} scaled cells");
    assert!(noisy_cells > 50, "{noisy_cells} noisy cells");
}

#[test]
fn generation_is_deterministic_and_every_document_unique() {
    let srcs = sources();
    let make = |seed: u64| -> Vec<String> {
        (0..20u64)
            .map(|i| {
                let src = &srcs[i as usize % srcs.len()];
                generate(src, &Variant::draw(src, &mut Rng::for_item(seed, i)))
            })
            .collect()
    };
    let a = make(42);
    assert_eq!(a, make(42));
    assert_ne!(a, make(43));
    let mut hashes: Vec<_> = a.iter().map(|t| blake3::hash(t.as_bytes())).collect();
    hashes.sort_by_key(|h| *h.as_bytes());
    hashes.dedup();
    assert_eq!(hashes.len(), a.len());
}

#[test]
fn pdf_copies_read_exactly_like_the_original() {
    for p in shared_pdfs() {
        let pdf = std::fs::read(&p).unwrap();
        let copy = pdf_copy(&pdf, 7);
        assert_ne!(copy, pdf);
        let limits = govdocs_pdf::Limits::default();
        let a = govdocs_pdf::extract(&pdf, &limits).unwrap();
        let b = govdocs_pdf::extract(&copy, &limits)
            .unwrap_or_else(|e| panic!("{}: copy unreadable: {e:?}", p.display()));
        assert_eq!(a, b, "{}", p.display());
    }
}
