//! Fuzz the whole path of one document from bytes to the Arrow batches the run writes: sniffing,
//! text or PDF parsing (inside the document's isolation, as in a run), rows, then the five
//! batches built without isolation, so that a value the datasets cannot hold is a crash here.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let o = govdocs_cli::process::process_bytes("fuzz-input", data);
    let batches = o.batches();
    if !o.ok() {
        assert!(batches.iter().all(|b| b.num_rows() == 0));
    }
});
