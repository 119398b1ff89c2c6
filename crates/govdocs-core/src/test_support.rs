//! Inputs shared by the unit tests.

/// Every line of the text samples (`samples/text`), for comparing a fast rule with its plain
/// reference on real text.
pub(crate) fn sample_lines() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/text");
    let lines: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|e| {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap_or_default();
            text.lines().map(String::from).collect::<Vec<_>>()
        })
        .collect();
    assert!(lines.len() > 1000, "the text samples are there");
    lines
}
