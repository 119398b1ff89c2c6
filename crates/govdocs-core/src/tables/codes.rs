//! Subject codes: 功能分类 (类 3, 款 5, 项 7 digits) and 经济分类 (3, 5 digits), rebuilt when a
//! converter split them across the 类/款/项 columns or glued them to the subject name.

use regex::Regex;
use std::sync::LazyLock;

static CODE_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{7}|[0-9]{5}|[0-9]{3})\s*([\p{Han}（(].*)$").unwrap());

/// True when `s` is a whole subject code (3, 5 or 7 digits).
pub fn is_code(s: &str) -> bool {
    let t = s.trim();
    matches!(t.len(), 3 | 5 | 7) && t.bytes().all(|b| b.is_ascii_digit())
}

/// The level of a code from its length: 1 = 类 (3 digits), 2 = 款 (5), 3 = 项 (7).
pub fn level(code: &str) -> Option<u8> {
    match code.len() {
        3 => Some(1),
        5 => Some(2),
        7 => Some(3),
        _ => None,
    }
}

/// The parent code (`2060101` → `20601` → `206`), if the code has one.
pub fn parent(code: &str) -> Option<&str> {
    match code.len() {
        7 => Some(&code[..5]),
        5 => Some(&code[..3]),
        _ => None,
    }
}

/// Rebuild a code from the cells of the 类/款/项 columns. Returns the code and whether it had to
/// be repaired (the `20306` `599` form: the first five digits, then three digits of which the last
/// two are the 项 part).
pub fn join_parts(parts: &[&str]) -> Option<(String, bool)> {
    // Each part with its whitespace removed (borrowed when it has none), empty parts left out.
    let mut kept: [std::borrow::Cow<str>; 3] = Default::default();
    let mut n = 0;
    for p in parts {
        let p: std::borrow::Cow<str> = if p.chars().any(char::is_whitespace) {
            p.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .into()
        } else {
            (*p).into()
        };
        if p.is_empty() {
            continue;
        }
        if n == kept.len() || !p.bytes().all(|b| b.is_ascii_digit()) {
            // More than three parts fit no form; a part with a non-digit is no code.
            return None;
        }
        kept[n] = p;
        n += 1;
    }
    let len = |i: usize| kept[i].len();
    match n {
        1 if is_code(&kept[0]) => Some((kept[0].to_string(), false)),
        // A unit code (`125001`: department 125, unit 001) in the code column.
        1 if (6..=12).contains(&len(0)) => Some((kept[0].to_string(), false)),
        // 类 | 款 | 项 printed as 3 + 2 + 2 digits.
        2 if len(0) == 3 && len(1) == 2 => Some((kept[..2].concat(), false)),
        3 if len(0) == 3 && len(1) == 2 && len(2) == 2 => Some((kept.concat(), false)),
        2 if len(0) == 5 && len(1) == 2 => Some((kept[..2].concat(), false)),
        // The split form seen in print: 5 digits, then 3 digits whose last two are the 项 part.
        2 if len(0) == 5 && len(1) == 3 => Some((format!("{}{}", kept[0], &kept[1][1..]), true)),
        _ => None,
    }
}

/// The code of a row that prints only its own level in a table's 类 | 款 | 项 columns (`14` under
/// 款 below a `201` row, `50` under 项 below it): the two digits appended to the code of the row
/// above one level up (`context`: the last 类 and 类款 codes). `None` for any other print, or
/// without a row above to continue.
pub fn continue_parts(parts: &[&str], context: &[Option<String>; 2]) -> Option<String> {
    if let [p] = parts {
        // One code column printing 类 and 项 codes whole and a 款 by its two digits (`208`,
        // `05`, `2080505`): the 款 continues the last 类.
        let p = p.trim();
        if p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return context[0].as_deref().map(|c| format!("{c}{p}"));
    }
    if parts.len() != 3 {
        return None;
    }
    let filled: Vec<(usize, &str)> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| (i, p.trim()))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let &[(i, p)] = filled.as_slice() else {
        return None;
    };
    if i == 0 || p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parent = context[i - 1].as_deref()?;
    Some(format!("{parent}{p}"))
}

/// Remember `code` as the last code of its level for [`continue_parts`] (a 类 code forgets the
/// 类款 code below the previous 类).
pub fn note_context(context: &mut [Option<String>; 2], code: &str) {
    match code.len() {
        3 => *context = [Some(code.to_string()), None],
        5 => context[1] = Some(code.to_string()),
        _ => {}
    }
}

/// Split a code that extends a code of the rows above (`context`) from the front of the name: a
/// unit code `116001` printed before the unit's name under its department's `116` row. The digits
/// must continue a known code and be followed by a space or a Han character.
pub fn split_sub_code(name: &str, context: &[Option<String>; 2]) -> Option<(String, String)> {
    let t = name.trim();
    let end = t
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(t.len());
    if !(4..=12).contains(&end) || end == t.len() {
        return None;
    }
    let (digits, rest) = t.split_at(end);
    let rest_start = rest.chars().next()?;
    if !(rest_start.is_whitespace() || ('\u{4e00}'..='\u{9fff}').contains(&rest_start)) {
        return None;
    }
    let extends = context
        .iter()
        .flatten()
        .any(|c| c.len() < digits.len() && digits.starts_with(c.as_str()));
    let rest = rest.trim();
    (extends && !rest.is_empty()).then(|| (digits.to_string(), rest.to_string()))
}

/// Split a code printed in front of the subject name (`201一般公共服务支出`).
pub fn split_prefix(name: &str) -> Option<(String, String)> {
    let t = name.trim();
    // Every match starts with a digit: most names are ruled out before the pattern runs.
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let c = CODE_PREFIX.captures(t)?;
    Some((c[1].to_string(), c[2].trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_levels() {
        assert!(is_code("206") && is_code("20601") && is_code("2060101"));
        assert!(!is_code("2060") && !is_code("20601011") && !is_code("2a6"));
        assert_eq!(level("2060101"), Some(3));
        assert_eq!(parent("2060101"), Some("20601"));
        assert_eq!(parent("20601"), Some("206"));
        assert_eq!(parent("206"), None);
    }

    #[test]
    fn split_codes_are_rebuilt() {
        // DOMAIN.md: in 003 the 支出决算表 prints `20306` `599` for `2030699`.
        assert_eq!(
            join_parts(&["20306", "599", ""]),
            Some(("2030699".into(), true))
        );
        assert_eq!(
            join_parts(&["20601", "101"]),
            Some(("2060101".into(), true))
        );
        assert_eq!(
            join_parts(&["206", "01", "01"]),
            Some(("2060101".into(), false))
        );
        assert_eq!(join_parts(&["206", "", ""]), Some(("206".into(), false)));
        assert_eq!(
            join_parts(&["2060101", "", ""]),
            Some(("2060101".into(), false))
        );
        assert_eq!(join_parts(&["", "", ""]), None);
        assert_eq!(
            join_parts(&[" 2 06", "0 1", " 01 "]),
            Some(("2060101".into(), false))
        );
        assert_eq!(join_parts(&["206", "01", "01", "1"]), None);
        assert_eq!(
            join_parts(&["206", "", "", "01"]),
            Some(("20601".into(), false))
        );
        assert_eq!(join_parts(&["类", "款"]), None);
        assert_eq!(join_parts(&["125001"]), Some(("125001".into(), false)));
        assert_eq!(join_parts(&["2060"]), None);
    }

    #[test]
    fn sub_code_in_front_of_the_name() {
        let ctx = [Some("116".to_string()), None];
        assert_eq!(
            split_sub_code("116001   西安市财政局", &ctx),
            Some(("116001".into(), "西安市财政局".into()))
        );
        assert_eq!(split_sub_code("117001 某局", &ctx), None);
        assert_eq!(split_sub_code("116001", &ctx), None);
        assert_eq!(split_sub_code("116001.00 x", &ctx), None);
        assert_eq!(split_sub_code("116001 西安", &[None, None]), None);
    }

    #[test]
    fn code_glued_to_name() {
        assert_eq!(
            split_prefix("201一般公共服务支出"),
            Some(("201".into(), "一般公共服务支出".into()))
        );
        assert_eq!(
            split_prefix("309资本性支出（基本建设）"),
            Some(("309".into(), "资本性支出（基本建设）".into()))
        );
        assert_eq!(split_prefix("一般公共服务支出"), None);
        assert_eq!(split_prefix("2022年"), None);
    }

    #[test]
    fn one_level_per_row_continues_the_row_above() {
        let mut ctx: [Option<String>; 2] = [None, None];
        assert_eq!(continue_parts(&["", "14", ""], &ctx), None);
        note_context(&mut ctx, "201");
        assert_eq!(
            continue_parts(&["", "14", ""], &ctx).as_deref(),
            Some("20114")
        );
        assert_eq!(continue_parts(&["", "", "50"], &ctx), None);
        note_context(&mut ctx, "20114");
        assert_eq!(
            continue_parts(&["", "", "50"], &ctx).as_deref(),
            Some("2011450")
        );
        assert_eq!(continue_parts(&["", "1", ""], &ctx), None);
        assert_eq!(continue_parts(&["", "14", "50"], &ctx), None);
        assert_eq!(continue_parts(&["", "14"], &ctx), None);
        let one: [Option<String>; 2] = [Some("208".into()), Some("20805".into())];
        assert_eq!(continue_parts(&["99"], &one).as_deref(), Some("20899"));
        assert_eq!(continue_parts(&["999"], &one), None);
        assert_eq!(continue_parts(&["05"], &[None, None]), None);
        note_context(&mut ctx, "205");
        assert_eq!(continue_parts(&["", "", "50"], &ctx), None);
    }
}
