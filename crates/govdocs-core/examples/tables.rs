//! Print the tables and failed checks of text documents (a development aid; `govdocs inspect` is the tool).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    for p in args.iter().filter(|a| *a != "-v") {
        let d = govdocs_core::parse_text(&std::fs::read(p).unwrap()).unwrap();
        println!(
            "== {p}: {} tables, {} checks ({} failed)",
            d.tables.len(),
            d.checks.len(),
            d.checks.iter().filter(|c| !c.pass).count()
        );
        for t in &d.tables {
            println!(
                "#{} [{}] {:?} {} {:?} unit={:?} rows={} cols={} lines {}-{} {}",
                t.id,
                t.status.as_str(),
                t.code,
                t.kind.as_str(),
                t.title,
                t.unit,
                t.n_rows(),
                t.n_cols(),
                t.line_start,
                t.line_end,
                t.reason.clone().unwrap_or_default()
            );
            if verbose {
                for b in &t.blocks {
                    println!(
                        "   block {:?} cols {:?}",
                        b.label,
                        b.columns
                            .iter()
                            .map(|c| format!(
                                "{}:{}",
                                c.col_no.map(|n| n.to_string()).unwrap_or_default(),
                                c.label
                            ))
                            .collect::<Vec<_>>()
                    );
                    for r in &b.rows {
                        let vals: Vec<String> = r
                            .values
                            .iter()
                            .map(|v| {
                                v.as_ref()
                                    .map(|v| {
                                        format!(
                                            "{}{}",
                                            v.value
                                                .map(|d| d.to_string())
                                                .unwrap_or(format!("?{}", v.raw)),
                                            if v.flags.is_empty() {
                                                String::new()
                                            } else {
                                                format!("[{}]", v.flags.join(","))
                                            }
                                        )
                                    })
                                    .unwrap_or("_".into())
                            })
                            .collect();
                        println!(
                            "     L{} {:?} {:?} {} | {} {:?}",
                            r.line,
                            r.line_no,
                            r.code,
                            r.name,
                            vals.join(" "),
                            r.flags
                        );
                    }
                }
            }
        }
        for c in d.checks.iter().filter(|c| !c.pass) {
            println!(
                "  FAIL t{:?} {} @ {}: expected {} actual {}",
                c.table_id, c.rule, c.location, c.expected, c.actual
            );
        }
    }
}
