//! Documents that are no disclosure (notices an archive also holds), on real PDFs of
//! `../shared/corpus` read where they lie: kind `other`, the title their cover prints and the
//! year of their own date. Expected values were read by a person from `pdftotext` of each file.

use std::path::Path;
use std::process::Command;

/// (title, fiscal year, kind) as `govdocs inspect` prints them.
fn meta(name: &str) -> (String, String, String) {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(name);
    let o = Command::new(env!("CARGO_BIN_EXE_govdocs"))
        .arg("inspect")
        .arg(&p)
        .output()
        .unwrap();
    assert!(o.status.success(), "{name}");
    let out = String::from_utf8(o.stdout).unwrap();
    let field = |f: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(f))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("{name}: no {f}\n{out}"))
    };
    (field("title:"), field("fiscal year:"), field("kind:"))
}

/// A letterhead of nine issuers and `…文件`, the number `厦商务规〔２０２４〕２号`, then the title
/// over two lines; dated `２０２４ 年 １ 月 １０ 日印发` (full-width) at its foot.
#[test]
fn a_notice_of_nine_issuers_keeps_its_title_and_year() {
    let (title, year, kind) = meta("xiamen-01.pdf");
    assert_eq!(
        title,
        "厦门市商务局等九部门关于印发《厦门市企业内设加油点管理暂行办法》的通知"
    );
    assert_eq!(year, "2024");
    assert_eq!(kind, "other");
}

/// `嘉兴市人民政府办公室文件` / `嘉政办发〔2026〕11 号` / the title over two lines, dated
/// `2026 年 3 月 17 日`.
#[test]
fn a_notice_under_its_letterhead_is_titled_by_its_title() {
    let (title, year, kind) = meta("jiaxing-02.pdf");
    assert_eq!(
        title,
        "嘉兴市人民政府办公室关于公布2026年度市政府重大行政决策事项目录的通知"
    );
    assert_eq!(year, "2026");
    assert_eq!(kind, "other");
}

/// Dated `２０２５ 年 １２ 月 ３１ 日` under its signature; the rules it issues take effect in
/// 2026, which is not its year.
#[test]
fn a_notice_dated_in_full_width_digits_gets_that_year() {
    let (_, year, kind) = meta("mianyang-01.pdf");
    assert_eq!(year, "2025");
    assert_eq!(kind, "other");
}
