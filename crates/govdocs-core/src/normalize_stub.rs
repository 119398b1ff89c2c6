pub fn chinese_numeral(s: &str) -> Option<u32> {
    let s = fold_fullwidth(s);
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let d = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|x| x == c)
            .map(|i| i as u32)
            .or(if c == '两' { Some(2) } else { None })
    };
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        ['十'] => Some(10),
        [a] => d(*a),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        _ => None,
    }
}
pub fn fold_fullwidth(s: &str) -> std::borrow::Cow<'_, str> {
    s.chars()
        .map(|c| {
            if (0xFF10..=0xFF5A).contains(&(c as u32)) {
                char::from_u32(c as u32 - 0xFEE0).unwrap()
            } else if c == '．' {
                '.'
            } else {
                c
            }
        })
        .collect::<String>()
        .into()
}
