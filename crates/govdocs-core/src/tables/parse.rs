//! Parse one table region: pre-header lines (code, 部门, unit), header rows into labelled value
//! columns and blocks, data rows into (code, name, 行次, values), and the `注` notes.
//! Tab-separated rows keep their cell positions; space-separated rows that lost their blank
//! cells are read by role (code, name, 行次, amounts) and their values placed afterwards.

use super::codes::{self, is_code, join_parts, split_prefix};
use super::detect::{code_of_text, line_text, Region};
use super::kind::{kind_of, TableKind};
use super::{Block, Column, Row, Table, TableStatus, Value};
use crate::layout::{Grid, LayoutLine};
use crate::lines::{is_cjk, squash_cjk_spaces, squashed};
use crate::normalize::{is_number, Unit};
use regex::Regex;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::LazyLock;

static UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"单\s*位\s*[：:]\s*(万\s*元|亿\s*元|元)").unwrap());
static DEPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:部\s*门|单位名称|填报单位(?:名称)?|编制单位|预算单位)\s*[：:]").unwrap()
});
static EMPTY_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"本(?:单位|部门)[^。，,]{0,24}(?:无|没有)[^。]{0,40}(?:收入|支出|收支|经费|资金)|本(?:单位|部门)无相关内容|(?:无|没有)[^。，,]{0,12}(?:政府性基金|国有资本经营)[^。，,]{0,24}(?:收入|支出|收支)|本表为空表|此表为空表",
    )
        .unwrap()
});
/// A line of total labels alone (`合 计`, `本年收入合计 本年支出合计`), whitespace removed.
static BARE_TOTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:(?:本年|本期)?(?:收入|支出|收支)?[合总]计)+$").unwrap());
static TOTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:合\s*计|总\s*计|.{0,12}合\s*计|.{0,6}总\s*计)$").unwrap());
static NUMBERED_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[一二三四五六七八九十]+、").unwrap());

/// Known column header phrases, longest first, for reading headers wrapped word by word.
const PHRASES: &[&str] = &[
    "对附属单位补助支出",
    "附属单位上缴收入",
    "国有资本经营预算财政拨款",
    "政府性基金预算财政拨款",
    "一般公共预算财政拨款",
    "公务用车购置及运行维护费",
    "公务用车购置及运行费",
    "公务用车运行维护费",
    "年初结转和结余",
    "年末结转和结余",
    "本年收入合计",
    "本年支出合计",
    "财政拨款收入",
    "上级补助收入",
    "上缴上级支出",
    "因公出国（境）费",
    "因公出国(境)费",
    "公务用车购置费",
    "公务用车运行费",
    "公务接待费",
    "事业收入",
    "经营收入",
    "其他收入",
    "基本支出",
    "项目支出",
    "经营支出",
    "本年收入",
    "本年支出",
    "决算数",
    "预算数",
    "小计",
    "合计",
    "金额",
];

/// Parse a region's lines into a table; an unparsed table keeps its text as printed.
/// `seed`: the codes (类, 类款) in force where a table continued from the previous page goes on,
/// so a first row printing only its 项 digits keeps its code.
pub fn parse_region(
    id: u32,
    lines: &[LayoutLine],
    r: &Region,
    doc_unit: Option<&str>,
    seed: &[Option<String>; 2],
) -> Table {
    let mut t = read_region(id, lines, r, doc_unit, seed);
    if t.status == TableStatus::Unparsed {
        t.raw_text = lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
    }
    t
}

/// [`parse_region`] without the raw text.
fn read_region(
    id: u32,
    lines: &[LayoutLine],
    r: &Region,
    doc_unit: Option<&str>,
    seed: &[Option<String>; 2],
) -> Table {
    let title_rel = r.title_at - r.start;
    let kind = kind_of(&r.title);
    let mut t = Table {
        id,
        title: r.title.clone(),
        code: r.code.clone(),
        kind,
        unit: None,
        status: TableStatus::Unparsed,
        reason: None,
        line_start: lines.first().map_or(0, |l| l.no),
        line_end: lines.last().map_or(0, |l| l.no),
        page: lines.first().and_then(|l| l.page),
        blocks: Vec::new(),
        notes: String::new(),
        raw_text: String::new(),
    };
    // Each line's text for matching, normalised when first needed (most lines need it only
    // when their first visible character allows a match).
    let texts: Vec<OnceCell<String>> = vec![OnceCell::new(); lines.len()];
    let text = |i: usize| -> &str { texts[i].get_or_init(|| line_text(&lines[i])) };
    // Pre-header: code, 部门 and unit lines just after the title.
    let mut body_start = title_rel + 1;
    for i in title_rel..lines.len() {
        let text = text(i);
        if let Some(c) = UNIT.captures(text) {
            t.unit = Unit::from_label(&c[1].replace(char::is_whitespace, ""));
        }
        if i == title_rel {
            continue;
        }
        let is_pre = code_of_text(text).is_some()
            || DEPT.is_match(text)
            || UNIT.is_match(text)
            || (i <= title_rel + 2 && text.starts_with(['（', '(']) && text.ends_with([')', '）']));
        if is_pre && i <= title_rel + 5 {
            body_start = i + 1;
        } else if i > title_rel + 5 {
            break;
        }
    }
    if t.unit.is_none() {
        t.unit = doc_unit.and_then(|u| match u {
            "wan_yuan" => Some(Unit::WanYuan),
            "yuan" => Some(Unit::Yuan),
            "yi_yuan" => Some(Unit::YiYuan),
            _ => None,
        });
    }
    let body_start = body_start.min(lines.len());
    let body = &lines[body_start..];
    let notes_at = (body_start..lines.len())
        .position(|i| {
            first_visible(&lines[i]) == Some('注') && {
                let t = text(i);
                t.starts_with("注") && (t.contains('：') || t.contains(':') || t.starts_with("注 "))
            }
        })
        .unwrap_or(body.len());
    t.notes = (body_start + notes_at..lines.len())
        .map(text)
        .collect::<Vec<_>>()
        .join("\n");
    let grid_lines = &body[..notes_at];
    // Only a table whose rows hold no amounts asks whether it says it is empty.
    let says_empty = || {
        (0..lines.len()).any(|i| {
            lines[i].spans.iter().any(|s| s.text.contains(['本', '此']))
                && EMPTY_STATEMENT.is_match(text(i))
        })
    };
    if kind == TableKind::Performance {
        t.reason = Some(
            "performance table: free-text cells wrapped word by word are kept as raw text".into(),
        );
        return t;
    }
    // Data rows start at the first data-like line, and never before the 栏次 row.
    let after_col_nos = grid_lines
        .iter()
        .rposition(is_col_no_line)
        .map_or(0, |i| i + 1);
    let data_at = grid_lines
        .iter()
        .enumerate()
        .position(|(i, l)| i >= after_col_nos && is_data_line(l))
        .unwrap_or(grid_lines.len());
    let (header, data) = grid_lines.split_at(data_at);
    // A table continued on the next page repeats its header there: drop the repeats. A line can
    // only repeat a header line that starts with its first visible character.
    let header_texts: Vec<&str> = (0..body_start + data_at)
        .map(text)
        .filter(|t| !t.is_empty())
        .collect();
    let keep: Vec<bool> = data
        .iter()
        .enumerate()
        .map(|(k, l)| {
            // A line's normalised text starts with its first piece's: only a line whose first
            // piece starts a header text can repeat it.
            let repeats_header = l
                .spans
                .iter()
                .find(|s| !s.text.is_empty())
                .is_some_and(|s| {
                    let first = squashed(&s.text);
                    header_texts.iter().any(|h| h.starts_with(&*first))
                })
                && header_texts.contains(&text(body_start + data_at + k));
            !repeats_header && !is_col_no_line(l)
        })
        .collect();
    // Most tables repeat no header: their data lines are used as they are, not copied.
    let data: Cow<[LayoutLine]> = if keep.iter().all(|&k| k) {
        Cow::Borrowed(data)
    } else {
        Cow::Owned(
            data.iter()
                .zip(&keep)
                .filter(|(_, &k)| k)
                .map(|(l, _)| l.clone())
                .collect(),
        )
    };
    let data = &data[..];
    let count = |g: Grid| data.iter().chain(header).filter(|l| l.grid == g).count();
    let (positioned, tabbed) = (count(Grid::Positioned), count(Grid::Cells));
    // Space-aligned text rows (pdftotext -layout, a tab dump re-laid): columns stand apart by
    // two spaces or more, so the spans' display columns place the cells as a PDF's x do.
    let aligned = data.iter().filter(|l| is_aligned_row(l)).count();
    let parsed = if positioned * 2 >= data.len() + header.len() && positioned > 0 {
        let (h, d, labels) = to_cells(header, data, false);
        parse_cells(&h, &d, false, Some(&labels), seed)
    } else if tabbed * 2 < data.len() + header.len() && aligned * 2 > data.len() {
        let header: Vec<LayoutLine> = header.iter().map(join_number_pieces).collect();
        let data: Vec<LayoutLine> = data.iter().map(join_number_pieces).collect();
        let (h, d, labels) = to_cells(&header, &data, true);
        parse_cells(&h, &d, true, None, seed)
            .or_else(|_| parse_cells(&h, &d, true, Some(&labels), seed))
    } else if tabbed * 2 >= data.len() + header.len() && tabbed > 0 {
        parse_cells(header, data, true, None, seed)
    } else {
        parse_spaced(header, data).map(|mut blocks| {
            super::place::solve(&mut blocks, &crate::identity::parse_identities(&t.notes));
            blocks
        })
    };
    match parsed {
        Ok(blocks) => {
            let has_values = blocks
                .iter()
                .flat_map(|b| &b.rows)
                .any(|r| r.values.iter().flatten().any(|v| v.value.is_some()));
            t.blocks = blocks;
            if has_values {
                t.status = TableStatus::Parsed;
            } else if says_empty()
                || t.blocks
                    .iter()
                    .flat_map(|b| &b.rows)
                    .all(|r| is_total(&r.name) || r.name.is_empty())
            {
                t.status = TableStatus::Empty;
                t.blocks.iter_mut().for_each(|b| b.rows.clear());
            } else {
                t.reason = Some("no amounts found in the table's rows".into());
            }
        }
        Err(_) if says_empty() => t.status = TableStatus::Empty,
        // Not one amount in the grid, and a total row with no numbers or no rows at all: a
        // table printed empty (its labels only).
        Err(_)
            if grid_lines.iter().all(|l| {
                !l.spans.iter().any(|s| {
                    has_decimal_amount(&s.text) || is_amount(&s.text) && s.text.contains(',')
                })
            }) && (data.is_empty()
                || grid_lines.iter().any(|l| {
                    l.mentions('计') && {
                        let t: String = l.text.chars().filter(|c| !c.is_whitespace()).collect();
                        BARE_TOTAL.is_match(&t)
                    }
                })) =>
        {
            t.status = TableStatus::Empty
        }
        Err(why) => t.reason = Some(why),
    }
    t
}

/// True when a row label is a total (合计, 总计, 本年收入合计, 人员经费合计 …).
pub fn is_total(name: &str) -> bool {
    // Every form ends in 计: most labels are ruled out before the pattern runs.
    name.contains('计') && TOTAL.is_match(name.trim())
}

/// Whether a cell is a page number printed as `— 13 —` or `- 13 -`.
fn is_page_number(t: &str) -> bool {
    let t = t.trim();
    let dash = |c: char| matches!(c, '—' | '-' | '－' | '–');
    t.starts_with(dash)
        && t.ends_with(dash)
        && t.trim_matches(|c: char| dash(c) || c.is_whitespace())
            .bytes()
            .all(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_digit())
}

/// Whether `t` starts with a numbered item label (`三、`).
fn is_numbered_item(t: &str) -> bool {
    t.starts_with(|c: char| "一二三四五六七八九十".contains(c)) && NUMBERED_ITEM.is_match(t)
}

/// The first visible character of a line's spans: the first character of its [`line_text`].
fn first_visible(l: &LayoutLine) -> Option<char> {
    l.spans
        .iter()
        .flat_map(|s| s.text.chars())
        .find(|c| !c.is_whitespace())
}

fn is_amount(s: &str) -> bool {
    let s = s.trim();
    // The digit test is cheap and rules out most labels before they are parsed.
    s.bytes().any(|b| b.is_ascii_digit()) && is_number(s)
}

fn has_decimal_amount(s: &str) -> bool {
    is_amount(s) && s.contains('.')
}

/// Whether a line is a 栏次 row (`栏次 1 2 3`, or only the numbers 1…n).
fn is_col_no_line(l: &LayoutLine) -> bool {
    let texts = l
        .spans
        .iter()
        .map(|s| s.text.as_str())
        .filter(|t| !t.is_empty());
    if texts.clone().any(|t| visible_is(t, "栏次")) {
        return true;
    }
    // The numbers 1…n, beside at most the 类/款/项 and 行次 captions of the label columns (a
    // positioned row may put two captions in one cell: `款 项`).
    let (mut n_ints, mut prev, mut in_order) = (0usize, 0u32, true);
    let mut piece = |p: &str| -> bool {
        match p.parse::<u32>() {
            Ok(v) => {
                in_order &= if n_ints == 0 { v == 1 } else { v == prev + 1 };
                prev = v;
                n_ints += 1;
                true
            }
            Err(_) => ["类", "款", "项", "行次", "栏次"].contains(&p),
        }
    };
    for t in texts {
        let spaced = t.bytes().any(|b| b == b' ');
        let ok = if !spaced || visible_is(t, "行次") {
            piece(if spaced { "行次" } else { t })
        } else {
            t.split_whitespace().all(&mut piece)
        };
        if !ok {
            return false;
        }
    }
    in_order && n_ints >= 2
}

/// Whether a space-split text line has two spans apart by two columns or more (a gap between
/// aligned columns, not a word space), or starts indented by two columns or more.
fn is_aligned_row(l: &LayoutLine) -> bool {
    // Leading blank cells indent a row as well.
    l.grid == Grid::Spaced
        && (l.spans.first().is_some_and(|s| s.x0 >= 2.0)
            || l.spans.windows(2).any(|w| w[1].x0 - w[0].x1 >= 2.0))
}

/// A space-split line with the pieces of each number printed with spaced separators
/// (`37,` `083.` `27`) joined into one span, as printed, when they make one number.
fn join_number_pieces(l: &LayoutLine) -> LayoutLine {
    let mut out = l.clone();
    if l.grid != Grid::Spaced {
        return out;
    }
    out.spans.clear();
    let mut i = 0;
    while i < l.spans.len() {
        let mut j = i + 1;
        while j < l.spans.len()
            && l.spans[j - 1].text.ends_with([',', '.'])
            && l.spans[j].text.starts_with(|c: char| c.is_ascii_digit())
            && l.spans[j].x0 - l.spans[j - 1].x1 <= 1.0
        {
            j += 1;
        }
        let joined = l.spans[i..j]
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if j > i + 1 && is_number(&joined) {
            out.spans.push(crate::layout::Span {
                text: joined,
                x0: l.spans[i].x0,
                x1: l.spans[j - 1].x1,
            });
            i = j;
        } else {
            out.spans.push(l.spans[i].clone());
            i += 1;
        }
    }
    out
}

/// Whether `t` with its whitespace removed is `word`.
fn visible_is(t: &str, word: &str) -> bool {
    // `word` has no whitespace: a text as long is it or is not; a shorter one never is.
    match t.len().cmp(&word.len()) {
        std::cmp::Ordering::Equal => t == word,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Greater => t.chars().filter(|c| !c.is_whitespace()).eq(word.chars()),
    }
}

/// Whether a line is the first data row: it starts with a code, a total, or a numbered item, or
/// it holds an amount with decimals, and it is not the 栏次 row.
fn is_data_line(l: &LayoutLine) -> bool {
    if is_col_no_line(l) {
        return false;
    }
    // Space-split pieces of one number (`0.` `50`) are read together.
    let merged;
    let texts: Vec<&str> = if l.grid == Grid::Spaced {
        merged = merge_number_tokens(&l.texts());
        merged.iter().map(String::as_str).collect()
    } else {
        l.texts()
    };
    let Some(first) = texts.first() else {
        return false;
    };
    let first = squashed(first);
    let has_amount = texts.iter().any(|t| is_amount(t));
    is_code(&first)
        || split_prefix(&first).is_some()
        // A header naming `本年收入合计` among other columns is not the 合计 row.
        || (is_total(&first) && (has_amount || texts.len() == 1))
        || is_numbered_item(&first)
        || texts.iter().any(|t| has_decimal_amount(t))
        || (texts.len() >= 2 && texts.iter().all(|t| is_amount(t)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Code,
    Name,
    LineNo,
    Value,
}

/// A block's layout in a tabbed table: which cell indices hold what.
#[derive(Debug, Clone)]
struct CellBlock {
    codes: Vec<usize>,
    name: Option<usize>,
    line_no: Option<usize>,
    values: Vec<usize>,
}

fn cell(l: &LayoutLine, j: usize) -> &str {
    l.spans.get(j).map_or("", |s| s.text.as_str())
}

/// A value read from a cell of a row whose cells were `folded`, given the cell's text as printed
/// (tab-separated rows: the line's text holds the print) and the `fullwidth` flag.
fn printed(mut v: Value, l: &LayoutLine, j: usize, folded: bool) -> Value {
    if !folded || l.grid != Grid::Cells {
        return v;
    }
    if let Some(p) = l.text.split('\t').nth(j).map(str::trim) {
        if p != v.raw && crate::normalize::fold_cell(p) == v.raw.as_str() {
            v.raw = p.to_string();
            v.flag("fullwidth");
        }
    }
    v
}

/// Parse a table whose rows are tab-separated cells.
/// Parse a table whose rows are cells. `join_wrapped`: a name alone on a line continues the row
/// above (tabbed dumps); PDF rows come with their wrapped parts already merged by position.
fn parse_cells(
    header: &[LayoutLine],
    data: &[LayoutLine],
    join_wrapped: bool,
    label_header: Option<&[LayoutLine]>,
    seed: &[Option<String>; 2],
) -> Result<Vec<Block>, String> {
    let ncols = header
        .iter()
        .chain(data)
        .map(|l| l.spans.len())
        .max()
        .unwrap_or(0);
    if ncols == 0 || data.is_empty() {
        return Err("no data rows".into());
    }
    // Rows of cells with a page are a PDF's ruled rows: every column is cut by rules.
    let ruled = data.iter().any(|l| l.page.is_some());
    let col_no_row = header.iter().rposition(is_col_no_line);
    let col_no = |j: usize| -> Option<u32> {
        col_no_row.and_then(|r| cell(&header[r], j).trim().parse().ok())
    };
    let header_text = |j: usize| -> String {
        header
            .iter()
            .map(|l| squashed(cell(l, j)))
            .collect::<Vec<_>>()
            .concat()
    };
    // Roles, from header words first and the data cells second.
    let roles: Vec<Option<Role>> = (0..ncols)
        .map(|j| {
            let h = header_text(j);
            // The column's data cells and their counts are needed by the later rules only:
            // computed when first asked for.
            let cells = OnceCell::new();
            let cells = || -> &Vec<Cow<str>> {
                cells.get_or_init(|| {
                    data.iter()
                        .map(|l| squashed(cell(l, j)))
                        .filter(|c| !c.is_empty())
                        .collect()
                })
            };
            let n = || cells().len().max(1);
            let codes = || {
                cells()
                    .iter()
                    .filter(|c| {
                        is_code(c)
                            || (c.len() <= 3
                                && c.chars().all(|d| d.is_ascii_digit())
                                && !c.is_empty()
                                && col_no(j).is_none())
                    })
                    .count()
            };
            let amounts = || cells().iter().filter(|c| is_amount(c)).count();
            let texts = || cells().iter().filter(|c| c.chars().any(is_cjk)).count();
            let in_col_no_row = col_no_row
                .map(|r| squashed(cell(&header[r], j)))
                .unwrap_or_default();
            // A header cell reading 类, 款 or 项 captions one part of a split classification code.
            let code_caption = header
                .iter()
                .any(|l| ["类", "款", "项"].iter().any(|w| visible_is(cell(l, j), w)));
            if h.contains("行次") {
                Some(Role::LineNo)
            } else if col_no(j).is_some() {
                Some(Role::Value)
            } else if (h.contains("编码")
                || h.contains("代码")
                || code_caption
                || matches!(&*in_col_no_row, "类" | "款" | "项"))
                // A 名称 column the 类/款/项 captions slid over (`类|款|项` printed one cell
                // right of the codes): its cells are names, not code parts.
                && !(h.contains("名称") && texts() * 2 > n() && codes() == 0)
            {
                Some(Role::Code)
            } else if in_col_no_row == "栏次"
                || h.contains("名称")
                || header
                    .iter()
                    .any(|l| visible_is(cell(l, j), "项目") || visible_is(cell(l, j), "科目"))
                || texts() * 2 > n()
            {
                if codes() * 2 > n() && texts() * 2 <= n() {
                    Some(Role::Code)
                } else {
                    Some(Role::Name)
                }
            } else if codes() * 2 > n()
                && (amounts() < codes()
                    // An uncaptioned column of whole codes (`30101` beside the `301` of a
                    // 编码 column): integers, but no amount prints without its decimals here.
                    || (h.is_empty()
                        && cells()
                            .iter()
                            .all(|c| c.bytes().all(|b| b.is_ascii_digit()))))
            {
                Some(Role::Code)
            } else if cells().is_empty() && (h.is_empty() || (label_header.is_none() && !ruled)) {
                // A positioned header names a column no row fills, and so does a ruled one (a
                // PDF's rows of cells cut by rules); a tab dump's may not.
                None
            } else {
                Some(Role::Value)
            }
        })
        .collect();
    // Blocks: a code or name column after a value column starts a new block.
    let mut blocks: Vec<CellBlock> = Vec::new();
    let mut cur = CellBlock {
        codes: vec![],
        name: None,
        line_no: None,
        values: vec![],
    };
    // Inside a second classification's columns (after its code column was skipped).
    let mut second = false;
    for (j, role) in roles.iter().enumerate() {
        let Some(role) = role else { continue };
        // A second name column before any value (单位名称 | 编码 | 科目名称 | 项目名称) replaces
        // the first: the block keeps its codes and labels rows by the last name column.
        let starts_new = matches!(role, Role::Code | Role::Name)
            && (!cur.values.is_empty() || cur.line_no.is_some());
        if starts_new {
            blocks.push(std::mem::replace(
                &mut cur,
                CellBlock {
                    codes: vec![],
                    name: None,
                    line_no: None,
                    values: vec![],
                },
            ));
        }
        // Once a code column has its name column (部门经济科目编码 | 名称), a further code and
        // name pair (政府经济科目编码 | 名称) is a second classification of the same row.
        let paired = cur.name.is_some_and(|n| {
            cur.codes.first().is_some_and(|&c| c < n) && header_text(n).contains("名称")
        });
        let coded = |j: usize| {
            let h = header_text(j);
            h.contains("编码") || h.contains("代码")
        };
        if starts_new {
            second = false;
        }
        match role {
            Role::Code if paired && coded(j) => second = true,
            Role::Name if second => {}
            Role::Code => cur.codes.push(j),
            Role::Name => cur.name = Some(j),
            Role::LineNo => cur.line_no = Some(j),
            Role::Value => cur.values.push(j),
        }
    }
    blocks.push(cur);
    blocks.retain(|b| !b.values.is_empty());
    if blocks.is_empty() {
        return Err("no value columns found in the header".into());
    }
    let mut out = Vec::new();
    for (k, b) in blocks.iter().enumerate() {
        let first_value = b.values[0];
        // The block's label area: the cells after the previous block's values, before its own.
        let label_area = k
            .checked_sub(1)
            .and_then(|p| blocks[p].values.last())
            .map_or(0, |&v| v + 1)..first_value;
        let columns = b
            .values
            .iter()
            .map(|&j| Column {
                label: match label_header {
                    Some(lh) => column_label(lh, j, first_value, col_no_row, false),
                    None => column_label(header, j, first_value, col_no_row, true),
                },
                col_no: col_no(j),
            })
            .collect();
        let mut rows: Vec<Row> = Vec::new();
        let mut prev_line: Option<usize> = None;
        // The codes of the rows above at each level (类, 类款), for tables that print one level
        // per row in their 类 | 款 | 项 columns (`201` / `14` / `50`).
        let mut context: [Option<String>; 2] = if k == 0 { seed.clone() } else { [None, None] };
        for (li, l) in data.iter().enumerate() {
            let code_parts: Vec<&str> = b.codes.iter().map(|&j| cell(l, j)).collect();
            let mut name = b
                .name
                .map(|j| squash_cjk_spaces(cell(l, j)))
                .unwrap_or_default();
            let line_no = b
                .line_no
                .and_then(|j| cell(l, j).trim().parse::<u32>().ok());
            // Whether the row's cells were folded: only then is their print looked up.
            let folded = crate::normalize::has_fullwidth_digit(&l.text);
            let mut values: Vec<Option<Value>> = b
                .values
                .iter()
                .map(|&j| {
                    Some(cell(l, j).trim())
                        .filter(|s| !s.is_empty())
                        .map(|s| printed(Value::read(s), l, j, folded))
                })
                .collect();
            // A label centred over a value column (`当年支出小计`) is the row's label, not a value.
            if name.is_empty() && b.name.is_some() {
                if let Some(v) = values.iter_mut().find(|v| {
                    v.as_ref()
                        .is_some_and(|v| v.value.is_none() && v.raw.chars().any(is_cjk))
                }) {
                    name = squash_cjk_spaces(&v.take().map(|v| v.raw).unwrap_or_default());
                }
            }
            let mut flags = Vec::new();
            let mut code = None;
            if let Some((c, repaired)) = join_parts(&code_parts) {
                code = Some(c);
                if repaired {
                    flags.push("joined_code".to_string());
                }
            } else if let Some(c) = codes::continue_parts(&code_parts, &context) {
                code = Some(c);
                flags.push("joined_code".to_string());
            } else if let Some((c, rest)) = match code_parts.as_slice() {
                // A code printed with its own name in the code column (`30101 基本工资`): the
                // name there is the row's subject, another name column a second classification.
                [p] => split_prefix(p),
                _ => None,
            } {
                code = Some(c);
                name = squash_cjk_spaces(&rest);
                flags.push("code_from_name".into());
            } else if let Some((c, rest)) = split_prefix(&name) {
                code = Some(c);
                name = rest;
                flags.push("code_from_name".into());
            } else if let Some((c, rest)) = codes::split_sub_code(&name, &context) {
                code = Some(c);
                name = rest;
                flags.push("code_from_name".into());
            } else if name.is_empty() && code_parts.iter().any(|p| p.chars().any(is_cjk)) {
                // A label printed across the code and name columns (`合 计` in the first cell
                // of a `code | | name` table) is the row's label.
                name = squash_cjk_spaces(&code_parts.concat());
            } else if name.is_empty() {
                // A total printed in another label column (`合计` under 单位名称) is the row's.
                if let Some(t) = label_area
                    .clone()
                    .map(|j| squash_cjk_spaces(cell(l, j)))
                    .find(|t| !t.is_empty())
                    .filter(|t| is_total(t))
                {
                    name = t;
                }
            }
            let any_value = values.iter().any(|v| v.is_some());
            if code.is_none() && line_no.is_none() && !any_value && name.is_empty() {
                continue;
            }
            // A page number (`— 13 —`) printed among a table's rows is not a row.
            if code.is_none()
                && name.is_empty()
                && values.iter().flatten().all(|v| is_page_number(&v.raw))
            {
                continue;
            }
            // A name alone right under the previous row is the rest of a wrapped name.
            let cjk = name.chars().filter(|&c| is_cjk(c)).count();
            if code.is_none() && line_no.is_none() && !any_value && cjk * 2 < name.chars().count() {
                continue; // converter noise (`ити Х Ш`), not text of the table
            }
            // A name continues the row above only when nothing else is printed on its line
            // (another block's label or a numbered item `二、…` starts a row of its own).
            let alone = l.spans.iter().filter(|s| !s.text.is_empty()).count() == 1;
            if join_wrapped
                && alone
                && code.is_none()
                && line_no.is_none()
                && !any_value
                && !is_total(&name)
                && !is_numbered_item(&name)
            {
                if let Some(prev) = rows
                    .last_mut()
                    .filter(|p| prev_line == Some(li.wrapping_sub(1)) && p.page == l.page)
                {
                    prev.name.push_str(&name);
                    if !prev.flags.iter().any(|f| f == "wrapped_name") {
                        prev.flags.push("wrapped_name".into());
                    }
                    prev_line = Some(li);
                    continue;
                }
            }
            if code.is_none() && !b.codes.is_empty() && any_value && !is_total(&name) {
                flags.push("missing_code".into());
            }
            if let Some(c) = &code {
                codes::note_context(&mut context, c);
            }
            rows.push(Row {
                line: l.no,
                page: l.page,
                line_no,
                code,
                name,
                values,
                flags,
            });
            prev_line = Some(li);
        }
        out.push(Block {
            label: String::new(),
            columns,
            rows,
        });
    }
    move_centred_totals(&mut out);
    let firsts: Vec<usize> = blocks
        .iter()
        .map(|b| b.codes.first().copied().or(b.name).unwrap_or(b.values[0]))
        .collect();
    match label_header {
        // Positioned headers cover exactly the columns they print over: the block's label is the
        // highest header cell printed over one of its own columns.
        Some(lh) if out.len() >= 2 => {
            for (k, (b, &first)) in out.iter_mut().zip(&firsts).enumerate() {
                let last = firsts.get(k + 1).map_or(ncols, |&n| n);
                let top = lh.iter().find_map(|l| {
                    (first..last)
                        .find_map(|j| clean_label(cell(l, j)))
                        .filter(|s| {
                            s.chars().count() <= 6 && !s.contains("项目") && !s.contains("科目")
                        })
                });
                b.label = total_side(b).or(top).unwrap_or_default();
            }
        }
        _ => label_blocks(&mut out, header, &firsts),
    }
    Ok(out)
}

/// A total label printed centred across two blocks lands in the left block with no value, while
/// its amount sits in the right block with no label: give the label to the amount's row.
fn move_centred_totals(blocks: &mut [Block]) {
    for k in 1..blocks.len() {
        let (left, right) = blocks.split_at_mut(k);
        let left = &mut left[k - 1];
        for r in right[0].rows.iter_mut() {
            if !r.name.is_empty() || r.code.is_some() || r.values.iter().all(|v| v.is_none()) {
                continue;
            }
            let Some(i) = left.rows.iter().position(|l| {
                l.line == r.line
                    && is_summary_label(&l.name)
                    && l.code.is_none()
                    && l.values.iter().all(|v| v.is_none())
            }) else {
                continue;
            };
            r.name = left.rows.remove(i).name;
        }
    }
}

fn clean_label(s: &str) -> Option<String> {
    let s = squash_cjk_spaces(s).replace(' ', "");
    let ok = s.chars().count() >= 2
        && s.chars().count() <= 16
        && s.chars()
            .all(|c| is_cjk(c) || "（）()“”\"、/".contains(c) || c.is_ascii_digit())
        && s.chars().any(is_cjk);
    ok.then_some(s)
}

/// Header label path of column `j`: spanning labels from cells at or right of the block's
/// first value column, joined by `/`; a word wrapped down one column is joined without one.
fn column_label(
    header: &[LayoutLine],
    j: usize,
    first_value: usize,
    col_no_row: Option<usize>,
    look_left: bool,
) -> String {
    let mut parts: Vec<(String, bool)> = Vec::new(); // (label, exact column)
    let mut last: Option<String> = None; // the caption of the row above
                                         // The lowest header row that prints a caption names single columns: an empty cell there
                                         // is a label the print lost, not part of a merged cell. Rows left empty (the lines of a
                                         // ruled row joined into its first) are not that row.
    let lowest = (0..header.len())
        .rev()
        .find(|&r| Some(r) != col_no_row && !header[r].text.trim().is_empty());
    for (r, l) in header.iter().enumerate() {
        if Some(r) == col_no_row {
            continue;
        }
        let here = cell(l, j).trim();
        let (label, exact) = if !here.is_empty() {
            (here.to_string(), true)
        } else if Some(r) == lowest || !look_left {
            continue;
        } else {
            // Nearest non-empty cell to the left, within the value columns, spanning over j.
            let left = (first_value..j)
                .rev()
                .find(|&k| !cell(l, k).trim().is_empty());
            match left {
                Some(k) => (cell(l, k).trim().to_string(), false),
                None => continue,
            }
        };
        let Some(label) = clean_label(&label) else {
            continue;
        };
        // The same caption again: a cell spanning header rows printed in each of them.
        if last.as_deref() == Some(label.as_str()) {
            continue;
        }
        last = Some(label.clone());
        match parts.last_mut() {
            Some((prev, _)) if *prev == label => {}
            Some((prev, prev_exact)) if *prev_exact && exact => prev.push_str(&label),
            _ => parts.push((label, exact)),
        }
    }
    parts
        .into_iter()
        .map(|(l, _)| l)
        .collect::<Vec<_>>()
        .join("/")
}

/// Block labels: the header's spanning label over the block, else the side its total row names.
fn label_blocks(blocks: &mut [Block], header: &[LayoutLine], first_cols: &[usize]) {
    if blocks.len() < 2 {
        return;
    }
    for (b, &j) in blocks.iter_mut().zip(first_cols) {
        let top = header.iter().find_map(|l| {
            let left = (0..=j).rev().find(|&k| !cell(l, k).trim().is_empty())?;
            clean_label(cell(l, left))
                .filter(|s| s.chars().count() <= 6 && !s.contains("项目") && !s.contains("科目"))
        });
        b.label = total_side(b).or(top).unwrap_or_default();
    }
}

/// The side a block's total row names (`支出合计` → 支出).
fn total_side(b: &Block) -> Option<String> {
    b.rows.iter().find_map(|r| {
        // A total names 计 (see `is_total`): other rows are passed over unread.
        if !r.name.contains('计') {
            return None;
        }
        let n = r.name.replace(char::is_whitespace, "");
        ["收入", "支出", "人员经费", "公用经费"]
            .iter()
            .find(|w| n.contains(*w) && is_total(&n))
            .map(|w| w.to_string())
    })
}

/// A summary row's label: a total, a 小计 or a carry-over (`结转下年资金`).
fn is_summary_label(t: &str) -> bool {
    t.chars().any(is_cjk) && (is_total(t) || ["小计", "结转", "结余"].iter().any(|w| t.contains(w)))
}

/// A block's roles in a space-separated table.
#[derive(Debug, Clone)]
struct SpacedBlock {
    has_code: bool,
    has_name: bool,
    has_line_no: bool,
    col_nos: Vec<Option<u32>>,
}

/// Parse a table whose rows lost their column grid (tokens separated by spaces).
fn parse_spaced(header: &[LayoutLine], data: &[LayoutLine]) -> Result<Vec<Block>, String> {
    if data.is_empty() {
        return Err("no data rows".into());
    }
    let htext: String = header
        .iter()
        .map(|l| l.texts().concat())
        .collect::<String>()
        .replace(char::is_whitespace, "");
    let col_line = header.iter().rev().find(|l| is_col_no_line(l));
    let mut groups: Vec<Vec<Option<u32>>> = Vec::new();
    if let Some(l) = col_line {
        for t in l.texts() {
            if t.replace(char::is_whitespace, "") == "栏次" {
                groups.push(Vec::new());
            } else if let Ok(n) = t.parse::<u32>() {
                if groups.is_empty() {
                    groups.push(Vec::new());
                }
                groups.last_mut().unwrap().push(Some(n));
            }
        }
        groups.retain(|g| !g.is_empty());
    }
    if groups.is_empty() {
        let n = htext
            .matches("科目名称")
            .count()
            .max(htext.matches("项目").count())
            .max(1);
        let per = [("决算数", 1), ("预算数", 1), ("金额", 1)]
            .iter()
            .map(|(w, _)| htext.matches(w).count())
            .max()
            .unwrap_or(0);
        if per == 0 {
            return Err("no 栏次 row and no value header: columns unknown".into());
        }
        groups = vec![vec![None; (per / n).max(1)]; n];
    }
    let nblocks = groups.len();
    let first_tokens: Vec<String> = data
        .iter()
        .filter_map(|l| l.texts().first().map(|s| s.to_string()))
        .collect();
    let has_code = htext.contains("编码")
        || htext.contains("代码")
        || first_tokens.iter().filter(|t| is_code(t)).count() * 3 >= first_tokens.len();
    let has_line_no = htext.matches("行次").count() >= nblocks;
    let has_name = htext.contains("项目") || htext.contains("名称");
    let schema: Vec<SpacedBlock> = groups
        .iter()
        .map(|g| SpacedBlock {
            has_code,
            has_name,
            has_line_no,
            col_nos: g.clone(),
        })
        .collect();
    let labels = phrase_labels(&htext, &schema);
    // Logical rows: a line that does not start a row continues the previous one.
    let mut logical: Vec<(u32, Option<u32>, Vec<String>)> = Vec::new();
    for l in data {
        let toks = merge_number_tokens(&l.texts());
        if toks.is_empty() {
            continue;
        }
        let starts = starts_row(&toks, &schema[0]);
        match logical.last_mut() {
            Some(last) if !starts => last.2.extend(toks),
            _ => logical.push((l.no, l.page, toks)),
        }
    }
    let mut blocks: Vec<Block> = schema
        .iter()
        .enumerate()
        .map(|(i, s)| Block {
            label: String::new(),
            columns: s
                .col_nos
                .iter()
                .enumerate()
                .map(|(k, &c)| Column {
                    label: labels[i][k].clone(),
                    col_no: c,
                })
                .collect(),
            rows: Vec::new(),
        })
        .collect();
    // Side-by-side code blocks each hold one family of codes (301… | 302… | 307…): a code whose
    // 类 belongs to a later block skips the blocks before it.
    let mut families: Vec<Vec<String>> = vec![Vec::new(); schema.len()];
    for (line, page, toks) in logical {
        let mut i = 0;
        for (bi, s) in schema.iter().enumerate() {
            let last = bi + 1 == schema.len();
            let mut row = Row {
                line,
                page,
                line_no: None,
                code: None,
                name: String::new(),
                values: Vec::new(),
                flags: Vec::new(),
            };
            if let Some(t) = toks.get(i).filter(|t| s.has_code && is_code(t)) {
                let fam = &t[..3];
                let mine = families[bi].iter().any(|f| f == fam);
                let later = families[bi + 1..]
                    .iter()
                    .any(|f| f.iter().any(|x| x == fam));
                if !mine && later {
                    continue;
                }
            }
            if s.has_code && toks.get(i).is_some_and(|t| is_code(t)) {
                let fam = toks[i][..3].to_string();
                if !families[bi].contains(&fam) {
                    families[bi].push(fam);
                }
                row.code = Some(toks[i].clone());
                i += 1;
            }
            if s.has_name {
                let mut name = String::new();
                while let Some(t) = toks.get(i).filter(|t| {
                    !is_amount(t) && !is_code(t)
                        || (row.code.is_none() && name.is_empty() && split_prefix(t).is_some())
                }) {
                    name.push_str(t);
                    i += 1;
                }
                if row.code.is_none() {
                    if let Some((c, rest)) = split_prefix(&name) {
                        row.code = Some(c);
                        name = rest;
                        row.flags.push("code_from_name".into());
                    }
                }
                row.name = squash_cjk_spaces(&name);
            }
            if s.has_line_no {
                if let Some(n) = toks.get(i).and_then(|t| t.parse::<u32>().ok()) {
                    row.line_no = Some(n);
                    i += 1;
                }
            }
            let mut vals: Vec<String> = Vec::new();
            while let Some(t) = toks.get(i) {
                let value_like = if s.has_line_no {
                    has_decimal_amount(t) || t == "0" || t == "-"
                } else {
                    is_amount(t)
                };
                let next_block_code =
                    !last && schema[bi + 1].has_code && is_code(t) && !t.contains('.');
                if !value_like || next_block_code {
                    break;
                }
                if !last && vals.len() >= s.col_nos.len() {
                    break;
                }
                vals.push(t.clone());
                i += 1;
            }
            if row.code.is_none() && row.name.is_empty() && row.line_no.is_none() && vals.is_empty()
            {
                continue;
            }
            row.values = vec![None; s.col_nos.len()];
            super::place::place_in_order(&mut row, &vals);
            blocks[bi].rows.push(row);
        }
        if i < toks.len() {
            // Tokens no block could take: keep them on the last row and say so.
            if let Some(r) = blocks
                .iter_mut()
                .rev()
                .find_map(|b| b.rows.last_mut().filter(|r| r.line == line))
            {
                r.flags
                    .push(format!("unread_tokens:{}", toks[i..].join(" ")));
            }
        }
    }
    let firsts = vec![0; blocks.len()];
    label_blocks(&mut blocks, &[], &firsts);
    // Side labels printed on one header line (`收入 支出`, `人员经费 公用经费`); a block
    // beyond the labels continues the last one, as a merged header cell would.
    if blocks.len() > 1 {
        let side_labels = header.iter().find_map(|l| {
            let ls: Vec<String> = l.texts().iter().filter_map(|t| clean_label(t)).collect();
            (ls.len() >= 2
                && ls.len() == l.texts().len()
                && ls.len() <= blocks.len()
                && ls.iter().all(|x| {
                    x.chars().count() <= 6
                        && !x.contains("项目")
                        && !x.contains("科目")
                        && !x.contains("行次")
                        && !x.contains("栏次")
                }))
            .then_some(ls)
        });
        if let Some(ls) = side_labels {
            for (i, b) in blocks.iter_mut().enumerate() {
                if b.label.is_empty() {
                    b.label = ls[i.min(ls.len() - 1)].clone();
                }
            }
        }
    }
    Ok(blocks)
}

/// Whether a line's tokens start a new row (rather than continue a wrapped one).
fn starts_row(toks: &[String], first: &SpacedBlock) -> bool {
    let t = &toks[0];
    is_code(t)
        || split_prefix(t).is_some()
        || is_total(t)
        || is_numbered_item(t)
        || (first.has_line_no && t.parse::<u32>().is_ok())
        || (!first.has_name && is_amount(t))
        || (first.has_name
            && !is_amount(t)
            && toks.len() > 1
            && toks[1..].iter().any(|x| is_amount(x)))
}

/// Join tokens that belong to one number split by stray spaces (`2,` `841.` `00`).
fn merge_number_tokens(texts: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(texts.len());
    // Pieces come trimmed (spans); no piece cut after a separator: most rows.
    if !texts.iter().any(|t| t.ends_with([',', '.'])) {
        for t in texts {
            push_piece(&mut out, t.trim());
        }
        return out;
    }
    // Pieces of one number split at the spaces after its separators (`6,` `050.` `66`): a
    // piece ending in `,` or `.` is never whole, so the run is read as one number, with its
    // spaces (as printed), when it is one.
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if run.len() > 1 {
            let joined = run.join(" ");
            if is_number(&joined) {
                out.push(joined);
                run.clear();
                return;
            }
        }
        // Not one number: the pieces stay apart (never `6,` `05.66` from a broken `6, 05. 66`).
        let mut pieces = run.drain(..);
        if let Some(p) = pieces.next() {
            push_piece(out, p);
        }
        out.extend(pieces.map(str::to_string));
    };
    for t in texts {
        let t = t.trim();
        let continues = run.last().is_some_and(|l| {
            l.ends_with([',', '.']) && t.starts_with(|c: char| c.is_ascii_digit())
        });
        if !continues {
            flush(&mut run, &mut out);
        }
        run.push(t);
    }
    flush(&mut run, &mut out);
    out
}

/// Add a token, joined to the previous one when it starts with the separator the previous
/// number lacks (`1` `,050.00`).
fn push_piece(out: &mut Vec<String>, t: &str) {
    if let Some(last) = out.last_mut() {
        let joinable = (last.ends_with([',', '.']) && t.starts_with(|c: char| c.is_ascii_digit()))
            || (t.starts_with([',', '.']) && last.ends_with(|c: char| c.is_ascii_digit()));
        if joinable && is_number(&format!("{last}{t}")) {
            last.push_str(t);
            return;
        }
    }
    out.push(t.to_string());
}

/// Column labels for space-separated tables, from known header phrases read in order.
fn phrase_labels(htext: &str, schema: &[SpacedBlock]) -> Vec<Vec<String>> {
    let n: usize = schema.iter().map(|s| s.col_nos.len()).sum();
    let mut found: Vec<&str> = Vec::new();
    let mut rest = htext;
    while !rest.is_empty() {
        if let Some(p) = PHRASES.iter().find(|p| rest.starts_with(*p)) {
            found.push(p);
            rest = &rest[p.len()..];
        } else {
            let c = rest.chars().next().unwrap();
            rest = &rest[c.len_utf8()..];
        }
    }
    let parents = ["本年支出", "本年收入", "决算数", "预算数"];
    let mut labels: Vec<String> = if found.len() == n {
        found.iter().map(|s| s.to_string()).collect()
    } else if found.len() == n + 1 && parents.contains(&found[0]) {
        found[1..]
            .iter()
            .map(|s| format!("{}/{}", found[0], s))
            .collect()
    } else {
        vec![String::new(); n]
    };
    let mut out = Vec::new();
    for s in schema {
        out.push(labels.drain(..s.col_nos.len()).collect());
    }
    out
}

/// Turn positioned lines (PDF) into cell rows: the x-extents of the data spans, merged where they
/// overlap, are the columns; each span goes to the column it overlaps most (header spans to the
/// leftmost column they cover, so a merged header cell spans right as in a tabbed table). The
/// third result is the header for column labels: each header cell in every column it covers.
/// `text_grid`: the lines are space-aligned text (display columns, no baselines), whose columns
/// are cut by two-space gaps instead.
fn to_cells(
    header: &[LayoutLine],
    data: &[LayoutLine],
    text_grid: bool,
) -> (Vec<LayoutLine>, Vec<LayoutLine>, Vec<LayoutLine>) {
    let data = merge_close_lines(data);
    let data = &data[..];
    // Total and carry-over rows (`当年支出小计`, `结转下年资金`) often print their label centred
    // across two columns: they do not shape the columns unless nothing else does.
    let shaping = |l: &&LayoutLine| {
        !l.spans.iter().any(|s| {
            let t = squashed(&s.text);
            is_summary_label(&t)
        })
    };
    let spans_of = |ls: &mut dyn Iterator<Item = &LayoutLine>| -> Vec<(f32, f32)> {
        ls.flat_map(|l| l.spans.iter().map(|s| (s.x0, s.x1)))
            .collect()
    };
    let mut bands = spans_of(&mut data.iter().filter(shaping));
    if bands.is_empty() {
        bands = spans_of(&mut data.iter());
    }
    let merged = if text_grid {
        // Space-aligned text: every row, header rows included, keeps two spaces or more between
        // columns (amounts right-aligned, captions and 栏次 numbers centred in the same column),
        // so the columns are the runs of text no such gap cuts, over the data and every header
        // row but group captions (lines with under a third of the pieces of the fullest header row).
        let most = header.iter().map(|l| l.spans.len()).max().unwrap_or(0);
        for l in header.iter().filter(|l| l.spans.len() * 3 > most) {
            bands.extend(l.spans.iter().map(|s| (s.x0, s.x1)));
        }
        let merged = merge_gapped(bands, 2.0);
        join_caption_bands(merged, header, data)
    } else {
        // A column no row fills still has its caption: a leaf header cell (nothing printed
        // under it) that overlaps no data span and is not the nearest caption of a data column
        // is a column of its own.
        bands.extend(header_only_columns(header, data, &bands, row_pitch(data)));
        merge_extents(bands)
    };
    let overlap = |a: (f32, f32), b: (f32, f32)| (a.1.min(b.1) - a.0.max(b.0)).max(0.0);
    // Columns of amounts: their amounts are right-aligned, so a caption over one may stand
    // left of every amount, in the gap after the column before.
    // (Text grids only: PDF spans are placed by overlap and nearness alone.)
    let amount_band: Vec<bool> = merged
        .iter()
        .filter(|_| text_grid)
        .map(|&b| {
            let (mut n, mut amounts) = (0, 0);
            for s in data.iter().flat_map(|l| &l.spans) {
                if overlap(b, (s.x0, s.x1)) > 0.0 {
                    n += 1;
                    amounts += usize::from(is_amount(&s.text));
                }
            }
            n > 0 && amounts * 2 > n
        })
        .collect();
    // A text header span over no column: in the gap before a column of amounts it captions
    // that column; right of every column it captions none.
    let gap_column = |s: &crate::layout::Span| -> Option<Option<usize>> {
        if !text_grid || merged.iter().any(|&b| overlap(b, (s.x0, s.x1)) > 0.0) {
            return None;
        }
        let centre = (s.x0 + s.x1) / 2.0;
        match merged.iter().position(|b| b.0 >= centre) {
            Some(r) if amount_band[r] => Some(Some(r)),
            None => Some(None),
            _ => None,
        }
    };
    let convert = |l: &LayoutLine, is_header: bool, every: bool| -> LayoutLine {
        let mut cells: Vec<String> = vec![String::new(); merged.len()];
        for s in &l.spans {
            if every {
                let covered: Vec<usize> = (0..merged.len())
                    .filter(|&i| overlap(merged[i], (s.x0, s.x1)) > 0.0)
                    .collect();
                for &c in &covered {
                    if !cells[c].is_empty() {
                        cells[c].push(' ');
                    }
                    cells[c].push_str(&s.text);
                }
                if !covered.is_empty() {
                    continue;
                }
            }
            let gap = if is_header { gap_column(s) } else { None };
            if gap == Some(None) {
                continue;
            }
            let first = is_header
                .then(|| merged.iter().position(|&b| overlap(b, (s.x0, s.x1)) > 0.0))
                .flatten()
                .or(gap.flatten());
            let col = first.or_else(|| {
                merged
                    .iter()
                    .enumerate()
                    .map(|(i, &b)| (i, overlap(b, (s.x0, s.x1)), (b.0 - s.x0).abs()))
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.2.total_cmp(&a.2)))
                    .map(|(i, _, _)| i)
            });
            if let Some(c) = col {
                if !cells[c].is_empty() {
                    cells[c].push(' ');
                }
                cells[c].push_str(&s.text);
            }
        }
        LayoutLine {
            no: l.no,
            page: l.page,
            y: l.y,
            text: cells.join("\t"),
            spans: cells
                .into_iter()
                .enumerate()
                .map(|(i, t)| crate::layout::Span {
                    text: t,
                    x0: i as f32,
                    x1: i as f32 + 1.0,
                })
                .collect(),
            grid: Grid::Cells,
            split: true,
        }
    };
    (
        header.iter().map(|l| convert(l, true, false)).collect(),
        data.iter().map(|l| convert(l, false, false)).collect(),
        header.iter().map(|l| convert(l, true, true)).collect(),
    )
}

/// Whether the data printed nearest left of `ext` is amounts, and nearest right is amounts or
/// nothing: an empty value column sits among value columns, not between a label and its amount.
fn between_amounts(data: &[LayoutLine], ext: (f32, f32)) -> bool {
    let spans = || {
        data.iter()
            .filter(|l| l.spans.iter().any(|s| is_amount(&s.text)))
            .flat_map(|l| &l.spans)
    };
    let left = spans()
        .filter(|s| s.x1 <= ext.0)
        .max_by(|a, b| a.x1.total_cmp(&b.x1));
    let right = spans()
        .filter(|s| s.x0 >= ext.1)
        .min_by(|a, b| a.x0.total_cmp(&b.x0));
    left.is_some_and(|s| is_amount(&s.text)) && right.is_none_or(|s| is_amount(&s.text))
}

/// In a space-aligned grid, a column of codes or names is printed left-aligned and its caption
/// centred, so the caption may stand apart, right of the data: a band holding header text only
/// (no 栏次 number, which marks an empty value column) joins the band of text data on its left.
fn join_caption_bands(
    bands: Vec<(f32, f32)>,
    header: &[LayoutLine],
    data: &[LayoutLine],
) -> Vec<(f32, f32)> {
    let inside = |b: (f32, f32), s: &crate::layout::Span| s.x0 < b.1 && b.0 < s.x1;
    let kind = |b: (f32, f32)| -> (usize, usize) {
        let spans = data.iter().flat_map(|l| &l.spans).filter(|s| inside(b, s));
        spans.fold((0, 0), |(n, a), s| {
            (
                n + 1,
                a + usize::from(is_amount(&s.text) && !is_code(&s.text)),
            )
        })
    };
    let numbered = |b: (f32, f32)| {
        header
            .iter()
            .flat_map(|l| &l.spans)
            .any(|s| inside(b, s) && s.text.trim().parse::<u32>().is_ok())
    };
    let mut out: Vec<(f32, f32)> = Vec::new();
    let mut left_is_text = false;
    for b in bands {
        let (n, amounts) = kind(b);
        if n == 0 && left_is_text && !numbered(b) {
            if let Some(last) = out.last_mut() {
                last.1 = b.1;
                continue;
            }
        }
        if n > 0 {
            left_is_text = amounts * 2 <= n;
        }
        out.push(b);
    }
    // A column of amounts with no caption of its own, right of a caption with no data under
    // it (a wide column: the caption centred, the amounts right-aligned): one column.
    let captioned = |b: (f32, f32)| header.iter().flat_map(|l| &l.spans).any(|s| inside(b, s));
    let mut joined: Vec<(f32, f32)> = Vec::new();
    for b in out {
        if let Some(last) = joined.last_mut() {
            if kind(*last).0 == 0 && kind(b).1 > 0 && !captioned(b) {
                last.1 = b.1;
                continue;
            }
        }
        joined.push(b);
    }
    joined
}

/// Sort x-extents and merge those less than `gap` apart: the columns of a space-aligned grid.
fn merge_gapped(mut bands: Vec<(f32, f32)>, gap: f32) -> Vec<(f32, f32)> {
    bands.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f32, f32)> = Vec::new();
    for (x0, x1) in bands {
        match merged.last_mut() {
            Some(last) if x0 < last.1 + gap => last.1 = last.1.max(x1),
            _ => merged.push((x0, x1)),
        }
    }
    merged
}

/// Sort x-extents and merge those that overlap: the columns.
fn merge_extents(mut bands: Vec<(f32, f32)>) -> Vec<(f32, f32)> {
    bands.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f32, f32)> = Vec::new();
    for (x0, x1) in bands {
        match merged.last_mut() {
            Some(last) if x0 < last.1 - 0.5 => last.1 = last.1.max(x1),
            _ => merged.push((x0, x1)),
        }
    }
    merged
}

/// Median distance between consecutive data lines on one page: the row pitch.
fn row_pitch(data: &[LayoutLine]) -> Option<f32> {
    let mut gaps: Vec<f32> = data
        .windows(2)
        .filter(|w| w[0].page == w[1].page)
        .filter_map(|w| Some(w[1].y? - w[0].y?))
        .filter(|g| *g > 0.0)
        .collect();
    gaps.sort_by(f32::total_cmp);
    gaps.get(gaps.len() / 2).copied()
}

/// Extents of the header cells that caption a column no data row fills (`结转下年资金` over an
/// empty column): leaf cells (nothing printed under them) that overlap no data span and are not
/// the nearest leaf cell of any data column.
fn header_only_columns(
    header: &[LayoutLine],
    data: &[LayoutLine],
    data_spans: &[(f32, f32)],
    pitch: Option<f32>,
) -> Vec<(f32, f32)> {
    let tolerance = pitch.map_or(24.0, |p| 0.75 * p);
    let overlaps = |a: (f32, f32), b: (f32, f32)| a.0 < b.1 && b.0 < a.1;
    let mut leaves: Vec<(f32, f32)> = Vec::new();
    let mut leaf_y: Vec<f32> = Vec::new();
    for (i, l) in header.iter().enumerate() {
        // Letter-spaced captions (`金  额`) print one character per span: one cell.
        let mut cells: Vec<((f32, f32), bool)> = Vec::new();
        for s in l.spans.iter().filter(|s| !s.text.trim().is_empty()) {
            // A digit alone is a 栏次 number, never a letter of a spaced caption.
            let single = s.text.trim().chars().count() == 1
                && !s.text.trim().starts_with(|c: char| c.is_ascii_digit());
            match cells.last_mut() {
                Some((ext, true)) if single => ext.1 = s.x1,
                _ => cells.push(((s.x0, s.x1), single)),
            }
        }
        for (ext, _) in cells {
            let under = header[i + 1..]
                .iter()
                .flat_map(|m| &m.spans)
                .any(|t| overlaps(ext, (t.x0, t.x1)));
            if !under {
                leaves.push(ext);
                leaf_y.push(l.y.unwrap_or(i as f32));
            }
        }
    }
    let centre = |a: (f32, f32)| (a.0 + a.1) / 2.0;
    // Each data column claims its nearest caption, preferring low ones: a group label above
    // (`支出` over two columns) is not a column's own caption.
    let lowest = leaf_y.iter().copied().fold(f32::MIN, f32::max);
    let score = |i: usize, d: (f32, f32)| {
        (centre(leaves[i]) - centre(d)).abs() + 2.0 * (lowest - leaf_y[i])
    };
    let claimed: Vec<usize> = data_spans
        .iter()
        .filter_map(|&d| (0..leaves.len()).min_by(|&a, &b| score(a, d).total_cmp(&score(b, d))))
        .collect();
    // Captions of columns print at the height of the other columns' captions; a group label
    // centred above a gap (`收入` over two columns) prints higher.
    let ys = claimed.iter().map(|&i| leaf_y[i]);
    let (lo, hi) = ys.fold((f32::MAX, f32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    leaves
        .iter()
        .enumerate()
        .filter(|&(i, &ext)| {
            !claimed.contains(&i)
                && between_amounts(data, ext)
                && leaf_y[i] >= lo - tolerance
                && leaf_y[i] <= hi + tolerance
                && !data_spans.iter().any(|&d| overlaps(ext, d))
        })
        .map(|(_, &ext)| ext)
        .collect()
}

/// Merge the lines of one table row printed on several baselines (a name wrapped over two lines
/// with its code and amounts centred between them). Lines with a code or an amount anchor rows;
/// a line of text alone joins the nearest anchor on its page within 0.75 of the row pitch, and
/// its text goes before or after the anchor's by height.
fn merge_close_lines(data: &[LayoutLine]) -> Vec<LayoutLine> {
    let anchor = |l: &LayoutLine| {
        l.spans
            .iter()
            .any(|s| is_amount(&s.text) || is_code(&s.text) || split_prefix(&s.text).is_some())
    };
    // A line holding only a code, printed off the baseline of its row's name and amounts
    // (`2010305` just below `专项业务及机关事务管理 59.56`), belongs to the nearest line of
    // amounts that has no code of its own.
    // Subject codes, and unit codes (`201001`, six digits or more).
    let code_like = |t: &str| {
        let t = t.trim();
        is_code(t) || (6..=12).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    let code_only = |l: &LayoutLine| {
        let mut texts = l.spans.iter().filter(|s| !s.text.trim().is_empty());
        texts.next().is_some_and(|s| code_like(&s.text))
            && texts.all(|s| !s.text.bytes().any(|b| b.is_ascii_digit()))
    };
    let uncoded_amounts = |l: &LayoutLine| {
        l.spans
            .iter()
            .any(|s| is_amount(&s.text) && !code_like(&s.text))
            && !l
                .spans
                .iter()
                .any(|s| code_like(&s.text) || split_prefix(&s.text).is_some())
    };
    let anchors: Vec<usize> = (0..data.len())
        .filter(|&i| anchor(&data[i]) && !code_only(&data[i]))
        .collect();
    // The row pitch: gaps between anchors printed on consecutive lines.
    let mut gaps: Vec<f32> = anchors
        .windows(2)
        .filter(|w| w[1] == w[0] + 1 && data[w[0]].page == data[w[1]].page)
        .filter_map(|w| Some(data[w[1]].y? - data[w[0]].y?))
        .filter(|g| *g > 0.0)
        .collect();
    if gaps.len() < 3 && data.iter().any(&code_only) {
        // Every row wrapped, its code printed off its baseline (a name above and below each
        // row of amounts): the gaps between successive anchors on a page.
        gaps = anchors
            .windows(2)
            .filter(|w| data[w[0]].page == data[w[1]].page)
            .filter_map(|w| Some(data[w[1]].y? - data[w[0]].y?))
            .filter(|g| *g > 0.0)
            .collect();
    }
    if gaps.len() < 3 || data.iter().any(|l| l.y.is_none()) {
        return data.to_vec();
    }
    gaps.sort_by(f32::total_cmp);
    let pitch = gaps[gaps.len() / 2];
    // Each line's target: itself (anchors, and lines far from any anchor) or its nearest anchor.
    let target: Vec<usize> = (0..data.len())
        .map(|i| {
            let lone_code = code_only(&data[i]);
            if anchor(&data[i]) && !lone_code {
                return i;
            }
            let y = data[i].y.unwrap_or_default();
            anchors
                .iter()
                .filter(|&&a| data[a].page == data[i].page)
                .filter(|&&a| !lone_code || uncoded_amounts(&data[a]))
                .map(|&a| (a, (data[a].y.unwrap_or_default() - y).abs()))
                .filter(|&(_, d)| d < 0.75 * pitch)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map_or(i, |(a, _)| a)
        })
        .collect();
    let mut out = Vec::new();
    for i in 0..data.len() {
        if target[i] != i {
            continue;
        }
        let members: Vec<usize> = (0..data.len()).filter(|&k| target[k] == i).collect();
        if members.len() == 1 {
            out.push(data[i].clone());
            continue;
        }
        let mut spans: Vec<(f32, crate::layout::Span)> = members
            .iter()
            .flat_map(|&k| {
                data[k]
                    .spans
                    .iter()
                    .map(move |s| (data[k].y.unwrap_or_default(), s.clone()))
            })
            .collect();
        // Top to bottom, then left to right: cell text joins in reading order; a code (digits
        // alone, on the anchor line) goes first, so a name wrapped around it stays whole.
        let is_code_span = |s: &crate::layout::Span| {
            s.text.len() >= 3 && s.text.bytes().all(|b| b.is_ascii_digit())
        };
        spans.sort_by(|a, b| {
            is_code_span(&b.1)
                .cmp(&is_code_span(&a.1))
                .then(a.0.total_cmp(&b.0))
                .then(a.1.x0.total_cmp(&b.1.x0))
        });
        let mut line = data[i].clone();
        line.spans = spans.into_iter().map(|(_, s)| s).collect();
        line.text = line
            .spans
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\t");
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::merge_number_tokens;

    #[test]
    fn spaced_number_pieces_are_joined_as_printed() {
        // 002 line 174 with spaced separators: `… 1 6, 050. 66 一、… 31 5. 00`.
        let toks =
            merge_number_tokens(&["收入", "1", "6,", "050.", "66", "支出", "31", "5.", "00"]);
        assert_eq!(toks, ["收入", "1", "6, 050. 66", "支出", "31", "5. 00"]);
        // Pieces that do not make one number stay apart.
        assert_eq!(
            merge_number_tokens(&["6,", "05.", "66"]),
            ["6,", "05.", "66"]
        );
        assert_eq!(merge_number_tokens(&["1", ",050.00"]), ["1,050.00"]);
    }
}
