//! Single-byte encodings of simple fonts and glyph names.

/// A simple font's base encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
}

/// The character a byte stands for under a base encoding.
pub(crate) fn base_char(enc: BaseEncoding, b: u8) -> Option<char> {
    match enc {
        BaseEncoding::Standard => match b {
            0x27 => Some('\u{2019}'),
            0x60 => Some('\u{2018}'),
            0x20..=0x7E => Some(b as char),
            // The upper half of StandardEncoding differs from Latin-1; WinAnsi is the usual
            // intent of writers that leave it implicit.
            _ => decode_single(encoding_rs::WINDOWS_1252, b),
        },
        BaseEncoding::WinAnsi => match b {
            // WinAnsi maps the unused codes to bullet; treat them as unknown.
            0x7F | 0x81 | 0x8D | 0x8F | 0x90 | 0x9D => None,
            _ => decode_single(encoding_rs::WINDOWS_1252, b),
        },
        BaseEncoding::MacRoman => decode_single(encoding_rs::MACINTOSH, b),
    }
}

fn decode_single(enc: &'static encoding_rs::Encoding, b: u8) -> Option<char> {
    if b < 0x20 {
        return None;
    }
    let buf = [b];
    let (s, _) = enc.decode_without_bom_handling(&buf);
    let c = s.chars().next()?;
    if c == '\u{FFFD}' {
        None
    } else {
        Some(c)
    }
}

/// Common glyph names (Adobe Glyph List subset) that are not single letters.
const GLYPH_NAMES: &[(&str, char)] = &[
    ("space", ' '),
    ("exclam", '!'),
    ("quotedbl", '"'),
    ("numbersign", '#'),
    ("dollar", '$'),
    ("percent", '%'),
    ("ampersand", '&'),
    ("quotesingle", '\''),
    ("quoteright", '\u{2019}'),
    ("quoteleft", '\u{2018}'),
    ("quotedblleft", '\u{201C}'),
    ("quotedblright", '\u{201D}'),
    ("parenleft", '('),
    ("parenright", ')'),
    ("asterisk", '*'),
    ("plus", '+'),
    ("comma", ','),
    ("hyphen", '-'),
    ("minus", '\u{2212}'),
    ("period", '.'),
    ("slash", '/'),
    ("zero", '0'),
    ("one", '1'),
    ("two", '2'),
    ("three", '3'),
    ("four", '4'),
    ("five", '5'),
    ("six", '6'),
    ("seven", '7'),
    ("eight", '8'),
    ("nine", '9'),
    ("colon", ':'),
    ("semicolon", ';'),
    ("less", '<'),
    ("equal", '='),
    ("greater", '>'),
    ("question", '?'),
    ("at", '@'),
    ("bracketleft", '['),
    ("backslash", '\\'),
    ("bracketright", ']'),
    ("asciicircum", '^'),
    ("underscore", '_'),
    ("grave", '`'),
    ("braceleft", '{'),
    ("bar", '|'),
    ("braceright", '}'),
    ("asciitilde", '~'),
    ("bullet", '\u{2022}'),
    ("endash", '\u{2013}'),
    ("emdash", '\u{2014}'),
    ("ellipsis", '\u{2026}'),
    ("periodcentered", '\u{00B7}'),
    ("degree", '\u{00B0}'),
    ("multiply", '\u{00D7}'),
    ("divide", '\u{00F7}'),
    ("plusminus", '\u{00B1}'),
    ("percent", '%'),
    ("perthousand", '\u{2030}'),
    ("yen", '\u{00A5}'),
    ("sterling", '\u{00A3}'),
    ("Euro", '\u{20AC}'),
    ("copyright", '\u{00A9}'),
    ("registered", '\u{00AE}'),
    ("trademark", '\u{2122}'),
    ("section", '\u{00A7}'),
    ("paragraph", '\u{00B6}'),
    ("dagger", '\u{2020}'),
    ("daggerdbl", '\u{2021}'),
    ("fi", '\u{FB01}'),
    ("fl", '\u{FB02}'),
    ("nbspace", '\u{00A0}'),
    ("nonbreakingspace", '\u{00A0}'),
    ("uni00A0", '\u{00A0}'),
];

/// The Unicode character for a glyph name (`uni4E00`, `u1D400`, `zero`, `A` …).
pub(crate) fn glyph_name_to_unicode(name: &[u8]) -> Option<char> {
    let s = std::str::from_utf8(name).ok()?;
    // Drop a suffix such as ".sc" or "_alt".
    let base = s.split(['.', '_']).next().unwrap_or(s);
    if base.len() == 1 {
        let c = base.chars().next()?;
        if c.is_ascii_alphanumeric() {
            return Some(c);
        }
    }
    if let Some(hex) = base.strip_prefix("uni") {
        if hex.len() >= 4 && hex.len() % 4 == 0 {
            let v = u32::from_str_radix(&hex[..4], 16).ok()?;
            return char::from_u32(v);
        }
    }
    if let Some(hex) = base.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let v = u32::from_str_radix(hex, 16).ok()?;
            return char::from_u32(v);
        }
    }
    GLYPH_NAMES
        .iter()
        .find(|(n, _)| *n == base)
        .map(|&(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(glyph_name_to_unicode(b"zero"), Some('0'));
        assert_eq!(glyph_name_to_unicode(b"uni4E00"), Some('一'));
        assert_eq!(glyph_name_to_unicode(b"A"), Some('A'));
        assert_eq!(glyph_name_to_unicode(b"period.alt"), Some('.'));
        assert_eq!(glyph_name_to_unicode(b"g123"), None);
    }

    #[test]
    fn base_encodings() {
        assert_eq!(base_char(BaseEncoding::WinAnsi, b'5'), Some('5'));
        assert_eq!(base_char(BaseEncoding::WinAnsi, 0x96), Some('\u{2013}'));
        assert_eq!(base_char(BaseEncoding::MacRoman, 0xD0), Some('\u{2013}'));
        assert_eq!(base_char(BaseEncoding::Standard, 0x27), Some('\u{2019}'));
    }
}
