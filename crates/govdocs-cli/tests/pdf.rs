//! PDF input end to end through `govdocs run`: the six real PDFs parse with the metadata their
//! cover pages print (read with `pdftotext -l 1`), and damaged PDFs each fail with their own error.

use arrow_array::{Array, Int32Array, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_govdocs");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run_on(inputs: &[&str], name: &str) -> (Option<i32>, RecordBatch) {
    let out = std::env::temp_dir().join(format!("govdocs-pdf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let mut args = vec!["run", "pipelines/samples.toml", "-o", out.to_str().unwrap()];
    for i in inputs {
        args.extend(["--input", i]);
    }
    let o = Command::new(BIN)
        .args(&args)
        .current_dir(root())
        .output()
        .unwrap();
    let f = std::fs::File::open(out.join("documents/part-00000.parquet")).unwrap();
    let b = ParquetRecordBatchReaderBuilder::try_new(f)
        .unwrap()
        .build()
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    (o.status.code(), b)
}

fn col<'a>(b: &'a RecordBatch, name: &str) -> &'a StringArray {
    b.column_by_name(name)
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap()
}

#[test]
fn real_pdfs_parse_with_their_cover_metadata() {
    let (code, docs) = run_on(&["samples/pdf"], "real");
    assert_eq!(code, Some(0));
    let path = col(&docs, "source_path");
    let year: &Int32Array = docs
        .column_by_name("fiscal_year")
        .unwrap()
        .as_any()
        .downcast_ref()
        .unwrap();
    let got: Vec<(String, String, i32, String)> = (0..docs.num_rows())
        .map(|i| {
            (
                Path::new(path.value(i))
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                col(&docs, "department").value(i).to_string(),
                year.value(i),
                col(&docs, "doc_kind").value(i).to_string(),
            )
        })
        .collect();
    let want = [
        // `江苏省高级人民法院` / `2019 年度部门预算公开`
        (
            "jiangsu-high-court-2019-budget.pdf",
            "江苏省高级人民法院",
            2019,
            "budget",
        ),
        // tables only: `部门：江苏省人大常委会办公厅`; the year from `2019年政府采购预算表`
        (
            "jiangsu-npc-office-2019-budget-tables.pdf",
            "江苏省人大常委会办公厅",
            2019,
            "budget",
        ),
        (
            "jiangsu-party-office-2019-budget-tables.pdf",
            "中共江苏省委办公厅",
            2019,
            "budget",
        ),
        // `上海市普陀区2025年区级部门预算` / `预算主管部门：上海市普陀区商务委员会`
        (
            "putuo-commerce-2025-budget.pdf",
            "上海市普陀区商务委员会",
            2025,
            "budget",
        ),
        // `中共上海市普陀区委` / `社会工作部 2024 年度` / `部门决算`
        (
            "putuo-social-work-2024-final-accounts.pdf",
            "中共上海市普陀区委社会工作部",
            2024,
            "final_account",
        ),
        (
            "putuo-welfare-home-2024-unit-budget.pdf",
            "上海市普陀区社会福利院",
            2024,
            "budget",
        ),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(f, d, y, k)| (f.to_string(), d.to_string(), *y, k.to_string()))
        .collect();
    assert_eq!(got, want);
    assert!(col(&docs, "source_format").iter().all(|f| f == Some("pdf")));
    assert!(col(&docs, "encoding").iter().all(|e| e.is_none()));
}

#[test]
fn damaged_pdfs_fail_each_with_its_own_error() {
    let data = "crates/govdocs-pdf/tests/data";
    let files = [
        "encrypted-user-password.pdf",
        "truncated.pdf",
        "scan.pdf",
        "fanout-forms.pdf",
    ];
    let inputs: Vec<String> = files.iter().map(|f| format!("{data}/{f}")).collect();
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let (code, docs) = run_on(&refs, "bad");
    assert_eq!(code, Some(1));
    let path = col(&docs, "source_path");
    let err = |suffix: &str| {
        let i = (0..docs.num_rows())
            .find(|&i| path.value(i).ends_with(suffix))
            .unwrap();
        assert_eq!(col(&docs, "status").value(i), "failed");
        col(&docs, "error").value(i).to_string()
    };
    assert!(err("encrypted-user-password.pdf").contains("encrypted"));
    assert!(err("truncated.pdf").contains("damaged"));
    assert!(err("scan.pdf").contains("no text layer") && err("scan.pdf").contains("OCR"));
    assert!(err("fanout-forms.pdf").contains("too complex"));
}
