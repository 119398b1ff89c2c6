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
}

/// Decode a text document: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030/GBK.
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = String::from_utf8_lossy(rest).into_owned();
        check_not_binary(text.as_bytes())?;
        return Ok(Decoded {
            text,
            encoding: Encoding::Utf8Bom,
        });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, _) = enc.decode_with_bom_removal(bytes);
        let text = text.into_owned();
        check_not_binary(text.as_bytes())?;
        return Ok(Decoded {
            text,
            encoding: Encoding::Utf16,
        });
    }
    check_not_binary(bytes)?;
    // simdutf8 validates CJK text (three-byte characters) about ten times faster than std.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_owned(),
            encoding: Encoding::Utf8,
        });
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
