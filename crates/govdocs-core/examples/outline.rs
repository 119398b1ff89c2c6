//! Print the metadata and outline of text documents (a development aid; `govdocs inspect` is the tool).
fn main() {
    for p in std::env::args().skip(1) {
        let bytes = std::fs::read(&p).unwrap();
        match govdocs_core::parse_text(&bytes) {
            Err(e) => println!("{p}: ERROR {e}"),
            Ok(d) => {
                println!(
                    "== {p} {:?} style={:?} toc={:?}",
                    d.meta, d.style, d.outline.toc
                );
                for s in &d.outline.sections {
                    println!(
                        "{}{} {} [{}-{}] p={:?}",
                        "  ".repeat(s.level as usize),
                        s.label,
                        s.title,
                        s.line_start,
                        s.line_end,
                        s.parent
                    );
                }
            }
        }
    }
}
