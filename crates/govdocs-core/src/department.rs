//! A department key that is the same for the same body across documents and years: the printed
//! name without whitespace and without the higher administrative divisions in front of the
//! body's own one (`武汉市江汉区财政局` and `江汉区财政局` → `江汉区财政局`).
//!
//! The rule, from structure only (no list of places): after whitespace is removed, full-width
//! letters and digits are folded, and words naming the document rather than the body are
//! removed from the end (`（汇总）`, `部门综合`, `部门预算情况说明`), a leading `中共` / `中国共产党` is set aside; then the name is
//! read as a run of administrative-division names, each 2–4 characters followed by 省, 市, 区,
//! 县, 州, 盟 or 旗 (2–8 characters before 自治区, 自治州, 自治县, 自治旗, 特别行政区), the
//! shortest first. All but the last division of the run are dropped: the last one is the
//! jurisdiction the body belongs to and stays, so bodies of two districts never share a key.
//! Limits: abbreviations (`科经局` for `科学技术和经济信息化局`) and renamed bodies get other
//! keys; `本级` (the department's own unit) is kept, since its figures cover less than the
//! department's; a body whose own name starts like a division (`高新区管委会`) keeps it as the
//! last division.

/// Suffixes of administrative divisions, longest first, with the longest name allowed before
/// each (in characters).
const DIVISIONS: [(&str, usize); 12] = [
    ("特别行政区", 8),
    ("自治区", 8),
    ("自治州", 8),
    ("自治县", 8),
    ("自治旗", 8),
    ("省", 4),
    ("市", 4),
    ("区", 4),
    ("县", 4),
    ("州", 4),
    ("盟", 4),
    ("旗", 4),
];

/// Words a title block leaves after the name, naming the document rather than the body:
/// the longest removed from the end, repeatedly.
const DOCUMENT_WORDS: [&str; 12] = [
    "部门预算情况说明",
    "部门决算情况说明",
    "（汇总）",
    "汇总",
    "部门综合",
    "预算情况说明",
    "决算情况说明",
    "情况说明",
    "部门预算",
    "部门决算",
    "单位预算",
    "单位决算",
];

/// Party prefixes kept in front of the key.
const PARTY: [&str; 2] = ["中国共产党", "中共"];

/// Length in bytes of the administrative division at the start of `s`, if one is there.
fn division_at(s: &str) -> Option<usize> {
    for (k, (at, _)) in s.char_indices().take(9).enumerate().skip(2) {
        for (suffix, max) in DIVISIONS {
            if k <= max && s[at..].starts_with(suffix) {
                return Some(at + suffix.len());
            }
        }
    }
    None
}

/// The key of a printed department name; `None` for an empty name.
pub fn department_key(name: &str) -> Option<String> {
    let squeezed: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // Full-width ASCII (letters, digits, brackets) to ASCII.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect();
    let mut squeezed = squeezed.as_str();
    while let Some(w) = DOCUMENT_WORDS
        .iter()
        .filter(|w| squeezed.ends_with(*w))
        .max_by_key(|w| w.len())
    {
        squeezed = &squeezed[..squeezed.len() - w.len()];
    }
    if squeezed.is_empty() {
        return None;
    }
    let (party, mut rest) = PARTY
        .iter()
        .find_map(|p| squeezed.strip_prefix(p).map(|r| ("中共", r)))
        .unwrap_or(("", squeezed));
    // Drop each division that another division follows.
    while let Some(n) = division_at(rest) {
        let after = &rest[n..];
        if division_at(after).is_none() || after.is_empty() {
            break;
        }
        rest = after;
    }
    Some(format!("{party}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        department_key(s).unwrap()
    }

    #[test]
    fn higher_divisions_are_dropped() {
        // The samples: 000 and 001 are the same bureau, 2020 final account and 2022 budget.
        assert_eq!(
            key("武汉市江汉区科学技术和经济信息化局"),
            key("江汉区科学技术和经济信息化局")
        );
        assert_eq!(
            key("江汉区科学技术和经济信息化局"),
            "江汉区科学技术和经济信息化局"
        );
        assert_eq!(key("武汉市江汉区财政局"), "江汉区财政局");
        assert_eq!(key("湖北省武汉市财政局"), "武汉市财政局");
        assert_eq!(key("上海市普陀区商务委员会"), "普陀区商务委员会");
        assert_eq!(key("上海市普陀区社会福利院"), "普陀区社会福利院");
        assert_eq!(key("江苏省高级人民法院"), "江苏省高级人民法院");
        assert_eq!(key("江 汉 区 财政局"), "江汉区财政局");
        assert_eq!(key("黑龙江省哈尔滨市道里区财政局"), "道里区财政局");
        assert_eq!(key("广西壮族自治区南宁市财政局"), "南宁市财政局");
        assert_eq!(key("上海市浦东新区财政局"), "浦东新区财政局");
    }

    #[test]
    fn bodies_of_different_places_keep_different_keys() {
        assert_ne!(
            key("武汉市江汉区科学技术和经济信息化局"),
            key("武汉市江岸区科学技术和经济信息化局")
        );
        // 市场 and 城市 start body names, not divisions (one character before 市).
        assert_eq!(key("武汉市市场监督管理局"), "武汉市市场监督管理局");
        assert_ne!(key("江汉区城市管理局"), key("武汉市城市管理局"));
    }

    #[test]
    fn party_bodies_keep_their_prefix() {
        assert_eq!(
            key("中共上海市普陀区委社会工作部"),
            key("中共普陀区委社会工作部")
        );
        assert_eq!(key("中国共产党武汉市江汉区委员会"), "中共江汉区委员会");
    }

    #[test]
    fn names_without_divisions_are_kept() {
        assert_eq!(key("江岸区科经局本级"), "江岸区科经局本级");
        assert_eq!(key("国家统计局"), "国家统计局");
        assert_eq!(key("（西安市）统计局"), "（西安市）统计局");
        assert_eq!(department_key(" "), None);
        assert_eq!(key("西安市统计局（汇总）"), "西安市统计局");
        assert_eq!(key("西安市气象局部门综合"), "西安市气象局");
        assert_eq!(key("重庆市水利局部门预算情况说明"), "重庆市水利局");
        assert_eq!(department_key(""), None);
    }
}
