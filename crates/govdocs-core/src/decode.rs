//! Turn the raw bytes of a text document into a `String`: BOM handling, UTF-8 or GB18030/GBK
//! detection, and rejection of empty or binary input. Never panics on any byte sequence.

use std::fmt;

/// Text encoding a document was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a leading byte-order mark (stripped).
    Utf8Bom,
    /// UTF-16 (little or big endian) announced by a byte-order mark.
    Utf16,
    /// UTF-16 little endian without a byte-order mark, recognised by its NUL bytes.
    Utf16Le,
    /// UTF-16 big endian without a byte-order mark, recognised by its NUL bytes.
    Utf16Be,
    /// GB18030, the superset of GBK and GB2312.
    Gb18030,
}

impl Encoding {
    /// Stable lowercase name used in datasets.
    pub fn as_str(&self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Gb18030 => "gb18030",
        }
    }
}

/// Why bytes could not be read as a text document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file holds no bytes, or only whitespace.
    Empty,
    /// The bytes look like a binary file (NUL bytes or many control characters).
    Binary {
        /// Byte offset of the first offending byte.
        offset: usize,
    },
    /// Neither UTF-8 nor GB18030 decodes the bytes cleanly.
    UnknownEncoding {
        /// Share of replacement characters when read as GB18030, in per mille.
        bad_per_mille: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "empty file: no text to parse"),
            DecodeError::Binary { offset } => write!(
                f,
                "binary content, not a text document (control byte at offset {offset})"
            ),
            DecodeError::UnknownEncoding { bad_per_mille } => write!(
                f,
                "unknown text encoding: not UTF-8, and {bad_per_mille}\u{2030} of characters are invalid as GB18030/GBK"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A decoded text with the encoding it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without any byte-order mark.
    pub text: String,
    /// The encoding detected.
    pub encoding: Encoding,
    /// Invalid byte sequences replaced with U+FFFD (0 for a clean file).
    pub replaced: usize,
}

/// Most invalid sequences a text without a byte-order mark may hold and still be read as UTF-8
/// or UTF-16: a few damaged bytes, not a file in another encoding.
pub const MAX_BAD_SEQUENCES: usize = 8;

/// Whether `bad` invalid sequences among `chars` decoded characters are isolated damage: at
/// most [`MAX_BAD_SEQUENCES`], and at most one per 1000 characters (one in any file).
pub fn tolerable(bad: usize, chars: usize) -> bool {
    bad <= MAX_BAD_SEQUENCES && bad * 1000 <= chars.max(1000)
}

/// Decode a text document: UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when
/// its NUL bytes show it), else GB18030/GBK.
///
/// UTF-8 without a BOM may hold a few invalid sequences (a stray byte, a Latin-1 letter, a cut
/// last character): they are replaced with U+FFFD and counted in [`Decoded::replaced`] when
/// [`tolerable`] says so *and* the text's valid non-ASCII characters outnumber them twenty to
/// one, so that a GBK file, whose Chinese characters are nearly all invalid UTF-8, is never
/// taken for damaged UTF-8.
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let (text, replaced) = lossy_utf8(rest);
        check_not_binary(text.as_bytes())?;
        return Ok(Decoded {
            text,
            encoding: Encoding::Utf8Bom,
            replaced,
        });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true, Encoding::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false, Encoding::Utf16);
    }
    if let Err(binary) = check_not_binary(bytes) {
        // UTF-16 without a BOM has NULs: the high byte of every ASCII character.
        let decoded = match utf16_byte_order(bytes) {
            Some(true) => utf16(bytes, true, Encoding::Utf16Le),
            Some(false) => utf16(bytes, false, Encoding::Utf16Be),
            None => return Err(binary),
        };
        return decoded.map_err(|e| match e {
            DecodeError::Empty => e,
            _ => binary,
        });
    }
    // simdutf8 validates CJK text (three-byte characters) about ten times faster than std.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_owned(),
            encoding: Encoding::Utf8,
            replaced: 0,
        });
    }
    if let Some(d) = damaged_utf8(bytes) {
        return Ok(d);
    }
    let (text, _, _) = encoding_rs::GB18030.decode(bytes);
    let total = text.chars().count().max(1);
    let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
    let bad_per_mille = bad * 1000 / total;
    // A GBK file decodes with no replacement characters; allow a few for a damaged file.
    if bad_per_mille > 5 {
        return Err(DecodeError::UnknownEncoding { bad_per_mille });
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: Encoding::Gb18030,
        replaced: bad,
    })
}

/// UTF-8 with each invalid sequence (a maximal invalid subpart, as `String::from_utf8_lossy`
/// counts them) replaced by U+FFFD, and the number replaced.
fn lossy_utf8(bytes: &[u8]) -> (String, usize) {
    let mut text = String::with_capacity(bytes.len());
    let mut bad = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            text.push('\u{FFFD}');
            bad += 1;
        }
    }
    (text, bad)
}

/// BOM-less UTF-8 with isolated damage (see [`decode_text`]), or `None`.
fn damaged_utf8(bytes: &[u8]) -> Option<Decoded> {
    // A file in another encoding has many invalid sequences: stop counting past the most allowed.
    let invalid = bytes.utf8_chunks().filter(|c| !c.invalid().is_empty());
    if invalid.take(MAX_BAD_SEQUENCES + 1).count() > MAX_BAD_SEQUENCES {
        return None;
    }
    let (text, bad) = lossy_utf8(bytes);
    let chars = text.chars().count();
    let non_ascii = text
        .chars()
        .filter(|&c| !c.is_ascii() && c != '\u{FFFD}')
        .count();
    (tolerable(bad, chars) && non_ascii >= 20 * bad).then_some(Decoded {
        text,
        encoding: Encoding::Utf8,
        replaced: bad,
    })
}

/// The byte order of BOM-less UTF-16 (`Some(true)` little endian), judged from where its NUL
/// bytes fall in the first 64 KiB: ASCII characters put one at every odd (little endian) or
/// even (big endian) offset. The NULs at one parity must be at least 2% of the characters and
/// four times those at the other (CJK characters such as 一 U+4E00 and the ideographic space
/// U+3000 have a NUL byte too). Binary junk has NULs at both parities alike.
fn utf16_byte_order(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(64 * 1024) & !1];
    let pairs = sample.len() / 2;
    let (even, odd) = sample.chunks_exact(2).fold((0usize, 0usize), |(e, o), p| {
        (e + usize::from(p[0] == 0), o + usize::from(p[1] == 0))
    });
    let dominant = |a: usize, b: usize| a * 50 >= pairs && a >= 4 * b;
    if dominant(odd, even) {
        Some(true)
    } else if dominant(even, odd) {
        Some(false)
    } else {
        None
    }
}

/// Decode UTF-16 (`le`: little endian). Unpaired surrogates and an odd last byte become
/// U+FFFD. Without a BOM (`encoding` not [`Encoding::Utf16`]) the damage must be
/// [`tolerable`]; the text must not look binary either way.
fn utf16(bytes: &[u8], le: bool, encoding: Encoding) -> Result<Decoded, DecodeError> {
    let units = bytes.chunks_exact(2).map(|p| {
        if le {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(bytes.len() * 3 / 2);
    let mut bad = 0;
    for c in char::decode_utf16(units) {
        text.push(c.unwrap_or_else(|_| {
            bad += 1;
            '\u{FFFD}'
        }));
    }
    if bytes.len() % 2 == 1 {
        text.push('\u{FFFD}');
        bad += 1;
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    check_not_binary(text.as_bytes())?;
    if encoding != Encoding::Utf16 && !tolerable(bad, text.chars().count()) {
        return Err(DecodeError::Binary { offset: 0 });
    }
    Ok(Decoded {
        text,
        encoding,
        replaced: bad,
    })
}

/// Reject bytes with NULs or with more than 1% control characters other than tab, CR, LF, FF.
fn check_not_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    // `contains` on bytes is a fast memchr; the offset is looked for only when there is one.
    if sample.contains(&0) {
        let offset = sample.iter().position(|&b| b == 0).unwrap_or(0);
        return Err(DecodeError::Binary { offset });
    }
    let is_ctrl = |b: &u8| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C);
    // Counted branch-free in blocks of 255 bytes (a `u8` count cannot overflow), so it vectorises.
    let ctrl: usize = sample
        .chunks(255)
        .map(|block| {
            let n = block.iter().fold(0u8, |n, &b| {
                let ctrl = u8::from(b < 0x20)
                    - u8::from(b == b'\t')
                    - u8::from(b == b'\n')
                    - u8::from(b == b'\r')
                    - u8::from(b == 0x0C);
                n + ctrl
            });
            usize::from(n)
        })
        .sum();
    if ctrl * 100 > sample.len() {
        let offset = sample.iter().position(is_ctrl).unwrap_or(0);
        return Err(DecodeError::Binary { offset });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_plain_and_bom() {
        let d = decode_text("部门决算\n".as_bytes()).unwrap();
        assert_eq!(d.encoding, Encoding::Utf8);
        assert_eq!(d.text, "部门决算\n");
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice("部门决算".as_bytes());
        let d = decode_text(&b).unwrap();
        assert_eq!(d.encoding, Encoding::Utf8Bom);
        assert_eq!(d.text, "部门决算");
    }

    #[test]
    fn gbk_bytes_decode_as_gb18030() {
        let (gbk, _, _) = encoding_rs::GBK.encode("2020年度部门决算，单位：万元\r\n");
        assert!(std::str::from_utf8(&gbk).is_err());
        let d = decode_text(&gbk).unwrap();
        assert_eq!(d.encoding, Encoding::Gb18030);
        assert_eq!(d.text, "2020年度部门决算，单位：万元\r\n");
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "决算".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode_text(&b).unwrap();
        assert_eq!(d.encoding, Encoding::Utf16);
        assert_eq!(d.text, "决算");
    }

    #[test]
    fn empty_and_whitespace_are_errors() {
        assert_eq!(decode_text(b""), Err(DecodeError::Empty));
        assert_eq!(decode_text(b" \r\n\t\n"), Err(DecodeError::Empty));
    }

    #[test]
    fn binary_is_rejected() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        assert!(matches!(
            decode_text(&bytes),
            Err(DecodeError::Binary { .. })
        ));
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        assert!(matches!(decode_text(png), Err(DecodeError::Binary { .. })));
    }

    #[test]
    fn control_bytes_count_but_tab_cr_lf_ff_do_not() {
        // Layout bytes alone, however many, are text.
        let layout = "决算\t1\r\n\x0C".repeat(500);
        assert!(decode_text(layout.as_bytes()).is_ok());
        // Over 1% other control bytes is binary, at most 1% is not; the count spans blocks.
        let with_ctrl = |n: usize| {
            let mut b = "a".repeat(2000).into_bytes();
            for k in 0..n {
                b[10 + k * 97] = 0x01;
            }
            decode_text(&b)
        };
        assert!(with_ctrl(20).is_ok());
        assert_eq!(with_ctrl(21), Err(DecodeError::Binary { offset: 10 }));
    }

    /// A Chinese text of `n` lines, mostly CJK with digits and newlines, as a disclosure is.
    fn disclosure(n: usize) -> String {
        (0..n)
            .map(|i| format!("（{i}）年度部门决算收入支出合计 {i}.{i:02}\n"))
            .collect()
    }

    #[test]
    fn isolated_bad_bytes_in_utf8_are_replaced_and_counted() {
        let clean = disclosure(200);
        let at = clean.find("支出").unwrap();
        for bad in [&b"\xFF"[..], b"\xE9", b"\xE9\xE9"] {
            let mut b = clean.as_bytes().to_vec();
            b.splice(at..at, bad.iter().copied());
            let d = decode_text(&b).unwrap();
            assert_eq!(d.encoding, Encoding::Utf8);
            assert_eq!(d.replaced, bad.len(), "{bad:?}");
            let want = format!(
                "{}{}{}",
                &clean[..at],
                "\u{FFFD}".repeat(bad.len()),
                &clean[at..]
            );
            assert_eq!(d.text, want);
        }
        // Cut in the middle of the last character.
        let b = &clean.as_bytes()[..clean.rfind('计').unwrap() + 2];
        let d = decode_text(b).unwrap();
        assert_eq!((d.encoding, d.replaced), (Encoding::Utf8, 1));
        assert!(d.text.ends_with("合\u{FFFD}"));
        // A clean file replaces nothing.
        assert_eq!(decode_text(clean.as_bytes()).unwrap().replaced, 0);
    }

    #[test]
    fn bad_bytes_past_the_tolerance_are_not_utf8() {
        let clean = disclosure(400);
        assert!(clean.chars().count() > 9000);
        // Newlines 30 lines (over 1000 characters) apart become 0xFF.
        let newlines: Vec<usize> = clean.match_indices('\n').map(|(i, _)| i).collect();
        let with_bad = |n: usize| {
            let mut b = clean.clone().into_bytes();
            for k in 0..n {
                b[newlines[k * 30]] = 0xFF;
            }
            decode_text(&b)
        };
        assert_eq!(
            with_bad(MAX_BAD_SEQUENCES).unwrap().replaced,
            MAX_BAD_SEQUENCES
        );
        assert!(!matches!(
            with_bad(MAX_BAD_SEQUENCES + 1),
            Ok(Decoded {
                encoding: Encoding::Utf8,
                ..
            })
        ));
        // One per 1000 characters at most: two bad bytes in 1500 characters are too many.
        let short: String = clean.chars().take(1500).collect();
        let mut b = short.clone().into_bytes();
        b[short.find('\n').unwrap()] = 0xFF;
        assert_eq!(decode_text(&b).unwrap().encoding, Encoding::Utf8);
        b[newlines[10]] = 0xFF;
        assert!(!matches!(
            decode_text(&b),
            Ok(Decoded {
                encoding: Encoding::Utf8,
                ..
            })
        ));
    }

    #[test]
    fn gbk_is_never_taken_for_damaged_utf8() {
        // A whole GBK disclosure, and a GBK file that is ASCII but for one word.
        let text = disclosure(300);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let d = decode_text(&gbk).unwrap();
        assert_eq!((d.encoding, d.replaced), (Encoding::Gb18030, 0));
        assert_eq!(d.text, text);
        let text = format!("{}合计\n", "total 1.00\n".repeat(200));
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let d = decode_text(&gbk).unwrap();
        assert_eq!(d.encoding, Encoding::Gb18030);
        assert_eq!(d.text, text);
    }

    fn utf16_bytes(s: &str, le: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    }

    #[test]
    fn utf16_without_bom_is_recognised_by_its_nuls() {
        let text = disclosure(100);
        for (le, enc) in [(true, Encoding::Utf16Le), (false, Encoding::Utf16Be)] {
            let d = decode_text(&utf16_bytes(&text, le)).unwrap();
            assert_eq!((d.encoding, d.replaced), (enc, 0));
            assert_eq!(d.text, text);
        }
        // ASCII only, and cut to an odd length: the last half character is replaced.
        let b = utf16_bytes("2020 budget\r\n".repeat(100).as_str(), true);
        let d = decode_text(&b[..b.len() - 1]).unwrap();
        assert_eq!((d.encoding, d.replaced), (Encoding::Utf16Le, 1));
        // Whitespace only is empty in UTF-16 too.
        assert_eq!(
            decode_text(&utf16_bytes(" \r\n  \n", true)),
            Err(DecodeError::Empty)
        );
    }

    #[test]
    fn binary_with_nuls_at_one_parity_is_still_binary() {
        // Little-endian 16-bit integers below 256: NULs at every odd offset, but they decode
        // to control characters.
        let ints: Vec<u8> = (0..4096u32).flat_map(|i| [(i % 40) as u8, 0]).collect();
        assert!(matches!(
            decode_text(&ints),
            Err(DecodeError::Binary { offset: 0 })
        ));
        // Pseudo-random bytes with zeros at even offsets only: unpaired surrogates and
        // control characters.
        let mut x = 0x2545_F491u32;
        let junk: Vec<u8> = (0..8192)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                if i % 2 == 0 && x.is_multiple_of(3) {
                    0
                } else {
                    (x >> 8) as u8 | 1
                }
            })
            .collect();
        assert!(matches!(
            decode_text(&junk),
            Err(DecodeError::Binary { .. })
        ));
    }

    #[test]
    fn invalid_everywhere_is_unknown_encoding() {
        // 0xFF is never valid in UTF-8 nor as a GB18030 lead byte.
        let bytes: Vec<u8> = b"abc\xFF\xFF\xFF\xFFdef\xFF\xFF".to_vec();
        assert!(matches!(
            decode_text(&bytes),
            Err(DecodeError::UnknownEncoding { .. })
        ));
    }
}
