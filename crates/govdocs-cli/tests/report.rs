//! `govdocs report` end to end: the quality report of the sample run, of shard folders, of a
//! real PDF and of a run with a failed document. Expected values are read from the documents
//! (the seeds' text), not from our own output.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

mod common;
use common::{root, tmp, BIN};

fn govdocs(args: &[&str]) -> std::process::Output {
    let o = Command::new(BIN)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "govdocs {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn run_samples(out: &Path, extra: &[&str]) {
    let mut args = vec!["run", "pipelines/samples.toml", "--no-progress", "--output"];
    args.push(out.to_str().unwrap());
    args.extend_from_slice(extra);
    govdocs(&args);
}

fn summary(report: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(report.join("summary.json")).unwrap()).unwrap()
}

/// The summary entry of the document whose path contains `name`.
fn doc<'a>(s: &'a Value, name: &str) -> &'a Value {
    s["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["source_path"].as_str().unwrap().contains(name))
        .unwrap_or_else(|| panic!("no document {name}"))
}

fn total<'a>(d: &'a Value, key: &str) -> (&'a str, &'a str) {
    let t = &d["totals"]["values"][key];
    (t["raw"].as_str().unwrap(), t["value"].as_str().unwrap())
}

#[test]
fn report_of_the_sample_run() {
    let dir = tmp("report-samples");
    let out = dir.join("out");
    run_samples(&out, &[]);
    let o = govdocs(&["report", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("report written to"), "{err}");
    let report = out.join("_report");
    assert!(report.join("index.html").exists());
    assert!(report.join("assets/list.min.js").exists());
    assert!(report.join("assets/LICENSE-list.js.txt").exists());
    let s = summary(&report);
    let f = &s["figures"];
    assert_eq!(f["failed"], 0);
    assert_eq!(f["documents"], f["ok"]);

    // 003, 公开01表 (lines 106 and 111 of the seed): 本年收入合计 `37083. 27`, 本年支出合计
    // `37, 083. 27`, and `总计` on both sides: 37083.27, so the balance holds.
    let d3 = doc(&s, "003_");
    assert_eq!(d3["doc_kind"], "final_account");
    assert_eq!(total(d3, "income_total"), ("37083. 27", "37083.27"));
    assert_eq!(total(d3, "expenditure_total"), ("37, 083. 27", "37083.27"));
    assert_eq!(total(d3, "income_this_year"), ("37083. 27", "37083.27"));
    assert_eq!(
        total(d3, "expenditure_this_year"),
        ("37, 083. 27", "37083.27")
    );
    assert_eq!(d3["totals"]["balanced"], true);
    // A 决算 prints the nine national tables (DOMAIN.md): all nine are in 003.
    assert_eq!(d3["standard_tables"]["expected"], 9);
    assert_eq!(d3["standard_tables"]["found"], 9);
    // 003 says 本单位无国有资本经营预算财政拨款收入及支出 (公开08表), and its 三公 table has no amounts.
    assert_eq!(d3["expected_kinds"]["state_capital"], "empty");

    // 000, 公开01表 (lines 147 and 150): 本年收入合计 5,382.07, 本年支出合计 5,349.26, 总 计
    // 5,757.19 on both sides.
    let d0 = doc(&s, "000_");
    assert_eq!(total(d0, "income_this_year").1, "5382.07");
    assert_eq!(total(d0, "expenditure_this_year").1, "5349.26");
    assert_eq!(total(d0, "income_total"), ("5,757.19", "5757.19"));
    assert_eq!(total(d0, "expenditure_total"), ("5,757.19", "5757.19"));
    assert_eq!(d0["totals"]["balanced"], true);

    // 001, a 预算 (line 275): 收入总计 5,949.92, 支出总计 5,949.92.
    let d1 = doc(&s, "001_");
    assert_eq!(d1["doc_kind"], "budget");
    assert_eq!(total(d1, "income_total").1, "5949.92");
    assert_eq!(total(d1, "expenditure_total").1, "5949.92");
    // The catalogue expects eight tables of every budget (the 国有资本经营预算支出表 only of
    // the templates that print one: not counted).
    let st = &d1["standard_tables"];
    assert_eq!(st["expected"], 8);
    assert_eq!(
        st["found"].as_u64().unwrap() + st["missing"].as_u64().unwrap(),
        8
    );

    // 004 is a performance self-evaluation: no standard table is expected of it.
    let d4 = doc(&s, "004_");
    assert_eq!(d4["doc_kind"], "performance_evaluation");
    assert_eq!(d4["standard_tables"]["expected"], 0);

    // 003's page: the 01 table's `36716. 36` (line 80) is drawn as printed and flagged as
    // repaired (spaced_decimal); the source line is shown beside the table.
    let page = std::fs::read_to_string(report.join(d3["page"].as_str().unwrap())).unwrap();
    let at = page
        .find("data-raw=\"36716. 36\"")
        .expect("the cell 36716. 36");
    let td = &page[page[..at].rfind("<td").unwrap()..at + page[at..].find("</td>").unwrap()];
    assert!(td.contains("repaired"), "{td}");
    assert!(td.contains("data-flags=\"spaced_decimal\""), "{td}");
    assert!(page.contains("<span class=\"ln\">80</span>一、一般公共预算财政拨款收入"));
    // 000's 三公 table fails its stated identity (0.00 against 0.20): those cells are drawn as failed.
    let page0 = std::fs::read_to_string(report.join(d0["page"].as_str().unwrap())).unwrap();
    assert!(page0.contains("class=\"c failed\" data-state=\"failed\" data-raw=\"0.20\""));

    // The run's closing summary prints the same figures as the report.
    let line = err.lines().find(|l| l.starts_with("report:")).unwrap();
    let expected = format!(
        "standard tables: {}/{} found",
        f["standard_tables"]["found"], f["standard_tables"]["expected"]
    );
    assert!(line.contains(&expected), "{line}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_run_summary_prints_the_quality_figures() {
    let dir = tmp("report-run-line");
    let out = dir.join("out");
    let o = govdocs(&[
        "run",
        "pipelines/samples.toml",
        "--no-progress",
        "--output",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    let line = err
        .lines()
        .find(|l| l.starts_with("standard tables:"))
        .unwrap_or_else(|| panic!("{err}"));
    govdocs(&["report", out.to_str().unwrap()]);
    let s = summary(&out.join("_report"));
    let f = &s["figures"];
    let want = format!(
        "standard tables: {}/{} found ({} parsed, {} empty, {} unparsed, {} missing); amounts verified by a passing check: {}/{}",
        f["standard_tables"]["found"],
        f["standard_tables"]["expected"],
        f["standard_tables"]["parsed"],
        f["standard_tables"]["empty"],
        f["standard_tables"]["unparsed"],
        f["standard_tables"]["missing"],
        f["cells"]["verified"],
        f["cells"]["amounts"],
    );
    assert!(line.starts_with(&want), "{line}\n{want}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn shard_folders_report_as_one_run() {
    let dir = tmp("report-shards");
    let (one, a, b) = (dir.join("one"), dir.join("s0"), dir.join("s1"));
    run_samples(&one, &[]);
    run_samples(&a, &["--shard", "0/2"]);
    run_samples(&b, &["--shard", "1/2"]);
    govdocs(&["report", one.to_str().unwrap()]);
    let both = dir.join("both");
    govdocs(&[
        "report",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        both.to_str().unwrap(),
    ]);
    let (x, y) = (summary(&one.join("_report")), summary(&both));
    assert_eq!(x["figures"], y["figures"]);
    let ids = |s: &Value| -> Vec<String> {
        s["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["doc_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&x), ids(&y));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_document_and_a_pdf_in_the_report() {
    let dir = tmp("report-pdf");
    let out = dir.join("out");
    let pdf = root().join("../shared/pdfs/putuo-social-work-2024-final-accounts.pdf");
    let bad = root().join("crates/govdocs-cli/tests/fixtures/binary.txt");
    let o = Command::new(BIN)
        .args(["run", "pipelines/samples.toml", "--no-progress", "--output"])
        .arg(&out)
        .arg("--input")
        .arg(&pdf)
        .arg("--input")
        .arg(&bad)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    govdocs(&["report", out.to_str().unwrap()]);
    let report = out.join("_report");
    let s = summary(&report);
    assert_eq!(s["figures"]["documents"], 2);
    assert_eq!(s["figures"]["failed"], 1);
    let failed = doc(&s, "binary.txt");
    assert_eq!(failed["status"], "failed");
    assert!(failed["error"].as_str().unwrap().contains("binary"));
    assert!(failed.get("standard_tables").is_none());
    let page = std::fs::read_to_string(report.join(failed["page"].as_str().unwrap())).unwrap();
    assert!(page.contains("<dt>error</dt>"));

    // The PDF's tables name their pages; with pdftoppm installed, the pages are drawn.
    let p = doc(&s, "putuo-social-work");
    assert_eq!(p["doc_kind"], "final_account");
    let page = std::fs::read_to_string(report.join(p["page"].as_str().unwrap())).unwrap();
    assert!(page.contains("page "), "pages named");
    let drawn = std::fs::read_dir(report.join("pages")).unwrap().count();
    if Command::new("pdftoppm").arg("-v").output().is_ok() {
        assert!(drawn > 0, "pdftoppm is installed: pages drawn");
        assert!(page.contains("<img loading=\"lazy\" src=\"../pages/"));
    } else {
        assert_eq!(drawn, 0);
    }
    // --no-page-images writes none.
    let plain = dir.join("plain");
    govdocs(&[
        "report",
        out.to_str().unwrap(),
        "--out",
        plain.to_str().unwrap(),
        "--no-page-images",
    ]);
    assert_eq!(std::fs::read_dir(plain.join("pages")).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn report_of_a_folder_that_is_not_an_output_fails_with_2() {
    let dir = tmp("report-none");
    let o = Command::new(BIN)
        .args(["report", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a govdocs output folder"));
    std::fs::remove_dir_all(&dir).unwrap();
}
