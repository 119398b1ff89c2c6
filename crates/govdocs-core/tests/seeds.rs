//! Metadata and section trees of the five seed documents, asserted against what the documents
//! print (titles, department names, years and headings were read from the files by a person).

use govdocs_core::meta::DocKind;
use govdocs_core::sections::Section;
use govdocs_core::{parse_text, Document};

fn sample(name: &str) -> Vec<u8> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/text/");
    let hit = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .unwrap_or_else(|| panic!("sample {name} missing"));
    std::fs::read(hit).unwrap()
}

fn doc(name: &str) -> Document {
    parse_text(&sample(name)).unwrap()
}

fn children<'a>(d: &'a Document, parent: &Section) -> Vec<&'a Section> {
    d.outline
        .sections
        .iter()
        .filter(|s| s.parent == Some(parent.id))
        .collect()
}

fn parts(d: &Document) -> Vec<&Section> {
    d.outline.sections.iter().filter(|s| s.level == 1).collect()
}

fn part(d: &Document, n: u32) -> &Section {
    parts(d).into_iter().find(|s| s.number == n).unwrap()
}

fn titles(ss: &[&Section]) -> Vec<String> {
    ss.iter()
        .map(|s| format!("{}{}", s.label, s.title))
        .collect()
}

#[test]
fn seed_000_final_account_2020() {
    let d = doc("000");
    assert_eq!(
        d.meta.department.as_deref(),
        Some("武汉市江汉区科学技术和经济信息化局")
    );
    assert_eq!(d.meta.fiscal_year, Some(2020));
    assert_eq!(d.meta.kind, DocKind::FinalAccount);
    assert_eq!(d.meta.unit, Some("wan_yuan"));
    assert_eq!(parts(&d).len(), 5);
    // `第一部分 武汉市江汉区科学技术和经济 信息化局概况`: the stray space is gone.
    assert_eq!(part(&d, 1).title, "武汉市江汉区科学技术和经济信息化局概况");
    let p3 = children(&d, part(&d, 3));
    assert_eq!(p3.len(), 13);
    assert_eq!(p3[12].title, "预算绩效情况说明");
    // The 目录 (lines 9..=66 in the file) is not a section.
    let toc = d.outline.toc.unwrap();
    assert_eq!(toc.line_start, 9);
    assert!(d
        .outline
        .sections
        .iter()
        .filter(|s| s.level > 0)
        .all(|s| s.line_start > toc.line_end));
}

#[test]
fn seed_001_budget_2022() {
    let d = doc("001");
    assert_eq!(
        d.meta.department.as_deref(),
        Some("江汉区科学技术和经济信息化局")
    );
    assert_eq!(d.meta.fiscal_year, Some(2022));
    assert_eq!(d.meta.kind, DocKind::Budget);
    let ps = parts(&d);
    assert_eq!(
        titles(&ps),
        [
            "第一部分基本概况",
            "第二部分预算情况说明",
            "第三部分一般公共预算“三公”经费预算情况说明",
            "第四部分名词解释",
            "第五部分预算公开报表"
        ]
    );
    // Body parts start at line 54, after the 目录 repeats them at lines 7..=37.
    assert_eq!(ps[0].line_start, 54);
    assert_eq!(
        titles(&children(&d, part(&d, 2))),
        [
            "一、收支预算总体安排情况",
            "二、一般公共预算支出安排情况",
            "三、一般公共预算基本支出安排情况",
            "四、政府性基金预算支出安排情况",
            "五、国有资本经营预算支出安排情况",
            "六、其他重要事项说明"
        ]
    );
    // The document numbers 人员构成 `二、` a second time; it is still a heading of 第一部分.
    assert_eq!(
        titles(&children(&d, part(&d, 1))),
        ["一、主要职能", "二、预算单位构成情况", "二、人员构成"]
    );
}

#[test]
fn seed_002_wrapped_final_account_2023() {
    let d = doc("002");
    assert_eq!(d.meta.department.as_deref(), Some("江岸区科经局本级"));
    assert_eq!(d.meta.fiscal_year, Some(2023));
    assert_eq!(d.meta.kind, DocKind::FinalAccount);
    assert!(d.outline.toc.is_none());
    assert_eq!(parts(&d).len(), 6);
    // Part headings wrapped over two lines are joined.
    assert_eq!(part(&d, 2).title, "江岸区科经局本级 2023 年度部门决算表");
    assert_eq!(
        part(&d, 3).title,
        "江岸区科经局本级 2023 年度部门决算情况说明"
    );
    let p3 = children(&d, part(&d, 3));
    assert_eq!(p3.len(), 13);
    assert_eq!(p3[0].title, "收入支出决算总体情况说明");
    assert_eq!(p3[12].title, "预算绩效情况说明");
    // Duties wrapped over lines (`1.贯彻执行…、中` / `小企业…`) are prose, not headings.
    let p1 = children(&d, part(&d, 1));
    assert_eq!(titles(&p1), ["一、部门主要职责", "二、机构设置情况"]);
    assert!(children(&d, p1[0]).is_empty());
}

#[test]
fn seed_003_final_account_2024() {
    let d = doc("003");
    assert_eq!(
        d.meta.department.as_deref(),
        Some("武汉市青山区经济信息化和科技创新局")
    );
    assert_eq!(d.meta.fiscal_year, Some(2024));
    assert_eq!(d.meta.kind, DocKind::FinalAccount);
    assert_eq!(d.meta.unit, Some("wan_yuan"));
    let ps = parts(&d);
    assert_eq!(
        titles(&ps),
        [
            "第一部分武汉市青山区经济信息化和科技创新局概况",
            "第二部分武汉市青山区经济信息化和科技创新局 2024 年度部门决算表",
            "第三部分武汉市青山区经济信息化和科技创新局 2024 年度部门决算情况说明",
            "第四部分2024年重点工作完成情况",
            "第五部分名词解释",
            "第六部分附件"
        ]
    );
    let p3 = children(&d, ps[2]);
    assert_eq!(
        titles(&p3),
        [
            "一、收入支出决算总体情况说明",
            "二、收入决算情况说明",
            "三、支出决算情况说明",
            "四、财政拨款收入支出决算总体情况说明",
            "五、一般公共预算财政拨款支出决算情况说明",
            "六、一般公共预算财政拨款基本支出决算情况说明",
            "七、政府性基金预算财政拨款收入支出决算情况说明",
            "八、国有资本经营预算财政拨款支出决算情况说明",
            "九、财政拨款\"三公\"经费支出决算情况说明",
            "十、机关运行经费支出说明",
            "十一、政府采购支出说明",
            "十二、国有资产占用情况说明",
            "十三、预算绩效情况说明"
        ]
    );
    assert!(p3
        .iter()
        .all(|s| s.level == 2 && s.path.starts_with("第三部分 > ")));
    assert_eq!(p3[12].path, "第三部分 > 十三、");
    // 目录 at lines 5..=51; the first body part starts after it.
    let toc = d.outline.toc.unwrap();
    assert_eq!((toc.line_start, toc.line_end), (5, 51));
    assert_eq!(ps[0].line_start, 53);
    // Spans nest: a part covers its children.
    for s in &p3 {
        assert!(s.line_start >= ps[2].line_start && s.line_end <= ps[2].line_end);
    }
    // Body text belongs to its own section.
    assert!(p3[1].text.contains("37083. 27 万元"));
}

#[test]
fn seed_004_performance_evaluation_2019() {
    let d = doc("004");
    // `部门（单位）名称：硚口区科学技术和经济信息化局`; the report covers 2019 (dated 2020 年 9 月).
    assert_eq!(
        d.meta.department.as_deref(),
        Some("硚口区科学技术和经济信息化局")
    );
    assert_eq!(d.meta.fiscal_year, Some(2019));
    assert_eq!(d.meta.kind, DocKind::PerformanceEvaluation);
    assert_eq!(d.meta.unit, Some("yuan"));
    let top: Vec<&Section> = d.outline.sections.iter().filter(|s| s.level == 2).collect();
    assert_eq!(
        titles(&top),
        ["一、部门概况", "二、部门整体支出绩效分析", "三、自评结论"]
    );
    // The duties `（二）根据全区国民经济…` wrap over lines: prose, not headings.
    let first = children(&d, top[0]);
    assert_eq!(
        titles(&first),
        ["（一）部门概况", "（二）部门整体支出预算绩效目标"]
    );
}

#[test]
fn gbk_copy_parses_like_the_original() {
    // 000, 001 and 004 hold only GBK characters; 002 and 003 have a few outside GBK (✓, €, private
    // use), so they are encoded as GB18030, GBK's superset.
    for (name, enc) in [
        ("000", encoding_rs::GBK),
        ("001", encoding_rs::GBK),
        ("004", encoding_rs::GBK),
        ("002", encoding_rs::GB18030),
        ("003", encoding_rs::GB18030),
    ] {
        let bytes = sample(name);
        let text = std::str::from_utf8(&bytes).unwrap();
        let (encoded, _, unmappable) = enc.encode(text);
        assert!(
            !unmappable,
            "seed {name} must be representable in {}",
            enc.name()
        );
        assert!(std::str::from_utf8(&encoded).is_err());
        let a = parse_text(&bytes).unwrap();
        let b = parse_text(&encoded).unwrap();
        assert_eq!(b.encoding, Some(govdocs_core::decode::Encoding::Gb18030));
        assert_eq!(a.meta, b.meta);
        assert_eq!(a.outline.sections, b.outline.sections);
    }
}

#[test]
fn crlf_and_bom_copy_parses_like_the_original() {
    let bytes = sample("003");
    let text = std::str::from_utf8(&bytes).unwrap();
    let mut crlf = b"\xEF\xBB\xBF".to_vec();
    crlf.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    let a = parse_text(&bytes).unwrap();
    let b = parse_text(&crlf).unwrap();
    assert_eq!(a.meta, b.meta);
    assert_eq!(a.outline.sections, b.outline.sections);
}

#[test]
fn binary_and_empty_inputs_fail_clearly() {
    let e = parse_text(b"").unwrap_err().to_string();
    assert!(e.contains("empty"), "{e}");
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00";
    let e = parse_text(png).unwrap_err().to_string();
    assert!(e.contains("binary"), "{e}");
    let e = parse_text("hello world\n".as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("no section heading"), "{e}");
}

#[test]
fn blank_lined_copy_keeps_its_headings() {
    // Tabs turned to spaces and a blank line after every line make the dump look
    // pdftotext-like, but its prose is still one paragraph per line (no wrap width) and its
    // table rows are not headings: every heading and the metadata stay. (001's performance
    // tables, re-laid this way, still give numbered rows (`2. 财政拨款收入…`) read as headings.)
    for name in ["000", "003"] {
        let bytes = sample(name);
        let text = std::str::from_utf8(&bytes).unwrap();
        let a = parse_text(&bytes).unwrap();
        let copy = text.replace('\t', "    ").replace('\n', "\n\n");
        let b = parse_text(copy.as_bytes()).unwrap();
        assert_eq!(b.style, govdocs_core::lines::TextStyle::Wrapped);
        assert_eq!(a.meta, b.meta, "{name}");
        let titles = |d: &Document| -> Vec<(u8, String, String)> {
            d.outline
                .sections
                .iter()
                .map(|s| (s.level, s.path.clone(), s.title.clone()))
                .collect()
        };
        assert_eq!(titles(&a), titles(&b), "{name}");
    }
}
