//! Fuzz the whole text pipeline: decode, lines, outline, metadata, layout, tables, checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = govdocs_core::parse_text(data);
});
