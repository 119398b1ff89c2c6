//! Fonts: how a string splits into codes, what each code means in Unicode, how wide it is.
//!
//! Covers simple fonts (`/Widths`, base encodings, `/Differences`), Type 3 fonts (`/FontMatrix`),
//! and Type 0 (CID) fonts with `Identity-H/V`, predefined Chinese CMaps (`UniGB-UCS2-H`,
//! `UniGB-UTF16-H`, `GBK-EUC-H`, `GB-EUC-H`, `GBpc-EUC-H`, `GBK2K-H` …, decoded with
//! `encoding_rs`) or embedded CMaps, with `/W` in both its forms (`c [w1 w2 …]` and
//! `c_first c_last w`) and `/DW`. A `/ToUnicode` map, when present, wins.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use crate::cmap::{self, CMap, CodeRange, CodeSpace};
use crate::encoding::{base_char, glyph_name_to_unicode, BaseEncoding};
use crate::objects::{deref, get, get_array, get_dict, get_name, get_num, num};

/// Largest stream (bytes, decoded) read for a CMap.
const MAX_CMAP_BYTES: usize = 8 << 20;

/// Predefined CMaps this reader knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Predefined {
    /// `Identity-H` / `Identity-V`: two-byte codes, CID = code.
    Identity,
    /// `Uni*-UCS2-*`: two-byte codes that are UCS-2 values.
    Ucs2 { gb: bool },
    /// `Uni*-UTF16-*`: UTF-16BE codes.
    Utf16 { gb: bool },
    /// Multi-byte legacy Chinese/Japanese/Korean encodings, decoded with `encoding_rs`.
    Legacy {
        enc: &'static encoding_rs::Encoding,
        /// CID of byte 0x21 in Adobe-GB1 (814 for half-width, 2 for proportional), if known.
        ascii_cid: Option<u32>,
    },
    /// A name we do not know: two-byte codes, CID = code, no Unicode.
    Unknown,
}

fn predefined(name: &[u8]) -> Predefined {
    let n = String::from_utf8_lossy(name);
    let n = n.as_ref();
    let base = n
        .strip_suffix("-H")
        .or_else(|| n.strip_suffix("-V"))
        .unwrap_or(n);
    let gb = base.starts_with("UniGB");
    match base {
        "Identity" => Predefined::Identity,
        _ if base.starts_with("Uni") && base.ends_with("UCS2") => Predefined::Ucs2 { gb },
        _ if base.starts_with("Uni") && base.ends_with("UTF16") => Predefined::Utf16 { gb },
        "GB-EUC" | "GBT-EUC" | "GBK-EUC" => Predefined::Legacy {
            enc: encoding_rs::GBK,
            ascii_cid: Some(814),
        },
        "GBpc-EUC" | "GBKp-EUC" | "GBTpc-EUC" => Predefined::Legacy {
            enc: encoding_rs::GBK,
            ascii_cid: Some(2),
        },
        "GBK2K" => Predefined::Legacy {
            enc: encoding_rs::GB18030,
            ascii_cid: Some(2),
        },
        "B5pc" | "ETen-B5" | "HKscs-B5" | "ETenms-B5" | "B5" => Predefined::Legacy {
            enc: encoding_rs::BIG5,
            ascii_cid: None,
        },
        "90ms-RKSJ" | "90msp-RKSJ" | "83pv-RKSJ" | "90pv-RKSJ" | "Add-RKSJ" | "Ext-RKSJ" => {
            Predefined::Legacy {
                enc: encoding_rs::SHIFT_JIS,
                ascii_cid: None,
            }
        }
        "EUC" => Predefined::Legacy {
            enc: encoding_rs::EUC_JP,
            ascii_cid: None,
        },
        "KSC-EUC" | "KSCms-UHC" | "KSCpc-EUC" | "KSCms-UHC-HW" => Predefined::Legacy {
            enc: encoding_rs::EUC_KR,
            ascii_cid: None,
        },
        _ => Predefined::Unknown,
    }
}

fn ranges(spec: &[(&[u8], &[u8])]) -> CodeSpace {
    CodeSpace::Ranges(
        spec.iter()
            .filter_map(|(lo, hi)| CodeRange::new(lo, hi))
            .collect(),
    )
}

fn predefined_codespace(p: Predefined, name: &[u8]) -> CodeSpace {
    match p {
        Predefined::Identity | Predefined::Ucs2 { .. } | Predefined::Unknown => CodeSpace::TwoByte,
        Predefined::Utf16 { .. } => ranges(&[
            (&[0x00, 0x00], &[0xD7, 0xFF]),
            (&[0xD8, 0x00, 0xDC, 0x00], &[0xDB, 0xFF, 0xDF, 0xFF]),
            (&[0xE0, 0x00], &[0xFF, 0xFF]),
        ]),
        Predefined::Legacy { enc, .. } => {
            if enc == encoding_rs::GB18030 {
                ranges(&[
                    (&[0x00], &[0x7F]),
                    (&[0x81, 0x40], &[0xFE, 0xFE]),
                    (&[0x81, 0x30, 0x81, 0x30], &[0xFE, 0x39, 0xFE, 0x39]),
                ])
            } else if enc == encoding_rs::SHIFT_JIS {
                ranges(&[
                    (&[0x00], &[0x80]),
                    (&[0x81, 0x40], &[0x9F, 0xFC]),
                    (&[0xA0], &[0xDF]),
                    (&[0xE0, 0x40], &[0xFC, 0xFC]),
                ])
            } else if name.starts_with(b"GB-") || name.starts_with(b"GBT-") {
                ranges(&[(&[0x00], &[0x80]), (&[0xA1, 0xA1], &[0xFE, 0xFE])])
            } else {
                ranges(&[(&[0x00], &[0x80]), (&[0x81, 0x40], &[0xFE, 0xFE])])
            }
        }
    }
}

/// Widths, in glyph units (1/1000 of the font size except for Type 3 fonts).
#[derive(Debug)]
enum Widths {
    Simple {
        first: u32,
        widths: Vec<f32>,
        missing: f32,
    },
    Cid {
        single: HashMap<u32, f32>,
        ranges: Vec<(u32, u32, f32)>,
        default: f32,
    },
}

/// How codes become CIDs (for `/W` lookups) in a Type 0 font.
#[derive(Debug)]
enum CidMap {
    Predefined(Predefined),
    Embedded {
        ranges: Vec<(u32, u32, u32)>,
        fallback: Predefined,
    },
}

/// A loaded font.
#[derive(Debug)]
pub(crate) struct Font {
    codespace: CodeSpace,
    to_unicode: HashMap<u32, String>,
    /// Simple fonts: the character of each byte under the font's encoding.
    simple: Option<Box<[Option<char>; 256]>>,
    /// Type 0 fonts: code to CID and the predefined CMap's own Unicode meaning.
    cid: Option<CidMap>,
    widths: Widths,
    /// Glyph units to text space (0.001, or `/FontMatrix[0]` for Type 3).
    pub scale: f32,
    /// Vertical writing mode (`-V` CMaps).
    pub vertical: bool,
}

/// One decoded code.
pub(crate) struct Code {
    pub code: u32,
    /// How many bytes the code took.
    pub nbytes: usize,
    /// Advance in glyph units (multiply by `scale`).
    pub width: f32,
}

impl Font {
    /// A stand-in for a font the page names but does not define: one byte per code and
    /// no known characters, so its text shows as U+FFFD rather than as guesses.
    pub(crate) fn fallback() -> Font {
        Font {
            codespace: CodeSpace::OneByte,
            to_unicode: HashMap::new(),
            simple: Some(Box::new([None; 256])),
            cid: None,
            widths: Widths::Simple {
                first: 0,
                widths: Vec::new(),
                missing: 500.0,
            },
            scale: 0.001,
            vertical: false,
        }
    }

    /// Split `bytes` into codes with their widths.
    pub(crate) fn codes(&self, bytes: &[u8], out: &mut Vec<Code>) {
        out.clear();
        let mut rest = bytes;
        while !rest.is_empty() {
            let (code, n) = self.codespace.next_code(rest);
            rest = &rest[n.min(rest.len())..];
            out.push(Code {
                code,
                nbytes: n,
                width: self.width(code, n),
            });
        }
    }

    fn width(&self, code: u32, nbytes: usize) -> f32 {
        match &self.widths {
            Widths::Simple {
                first,
                widths,
                missing,
            } => code
                .checked_sub(*first)
                .and_then(|i| widths.get(i as usize))
                .copied()
                .unwrap_or(*missing),
            Widths::Cid {
                single,
                ranges,
                default,
            } => {
                let Some(cid) = self.cid_of(code, nbytes) else {
                    return *default;
                };
                if let Some(w) = single.get(&cid) {
                    return *w;
                }
                ranges
                    .iter()
                    .find(|(lo, hi, _)| cid >= *lo && cid <= *hi)
                    .map(|r| r.2)
                    .unwrap_or(*default)
            }
        }
    }

    fn cid_of(&self, code: u32, nbytes: usize) -> Option<u32> {
        let predef_cid = |p: Predefined| -> Option<u32> {
            match p {
                Predefined::Identity | Predefined::Unknown => Some(code),
                Predefined::Ucs2 { gb: true } | Predefined::Utf16 { gb: true } => {
                    (0x20..=0x7E).contains(&code).then(|| code - 0x1F)
                }
                Predefined::Legacy {
                    ascii_cid: Some(base),
                    ..
                } if nbytes == 1 => match code {
                    0x21..=0x7E => Some(base + code - 0x21),
                    0x20 if base == 814 => Some(7716),
                    0x20 => Some(1),
                    _ => None,
                },
                _ => None,
            }
        };
        match self.cid.as_ref()? {
            CidMap::Predefined(p) => predef_cid(*p),
            CidMap::Embedded { ranges, fallback } => ranges
                .iter()
                .rev()
                .find(|(lo, hi, _)| code >= *lo && code <= *hi)
                .map(|(lo, _, cid)| cid.saturating_add(code - lo))
                .or_else(|| predef_cid(*fallback)),
        }
    }

    /// Append the text of `code` (which took `nbytes` bytes) to `out`; false if unknown.
    pub(crate) fn text_of(&self, code: u32, nbytes: usize, out: &mut String) -> bool {
        if let Some(t) = self.to_unicode.get(&code) {
            if t.chars()
                .any(|c| c != '\0' && !('\u{1}'..='\u{1F}').contains(&c))
            {
                out.push_str(t);
                return true;
            }
        }
        if let Some(table) = &self.simple {
            if let Some(c) = table[(code & 0xFF) as usize] {
                out.push(c);
                return true;
            }
            return false;
        }
        let p = match &self.cid {
            Some(CidMap::Predefined(p)) => *p,
            Some(CidMap::Embedded { fallback, .. }) => *fallback,
            None => return false,
        };
        match p {
            Predefined::Ucs2 { .. } => match char::from_u32(code) {
                Some(c) if !c.is_control() => {
                    out.push(c);
                    true
                }
                _ => false,
            },
            Predefined::Utf16 { .. } => {
                let units: Vec<u16> = if nbytes == 4 {
                    vec![(code >> 16) as u16, code as u16]
                } else {
                    vec![code as u16]
                };
                let mut any = false;
                for c in char::decode_utf16(units).flatten() {
                    if !c.is_control() {
                        out.push(c);
                        any = true;
                    }
                }
                any
            }
            Predefined::Legacy { enc, .. } => {
                let bytes = code.to_be_bytes();
                let bytes = &bytes[4 - nbytes.clamp(1, 4)..];
                let (s, had_errors) = enc.decode_without_bom_handling(bytes);
                if had_errors || s.is_empty() || s.chars().any(|c| c.is_control()) {
                    return false;
                }
                out.push_str(&s);
                true
            }
            Predefined::Identity | Predefined::Unknown => false,
        }
    }
}

fn read_stream(obj: &Object) -> Option<Vec<u8>> {
    match obj {
        Object::Stream(s) => s.get_plain_content_with_limit(MAX_CMAP_BYTES).ok(),
        _ => None,
    }
}

/// `/W` as single CIDs and `(first, last, width)` ranges.
type CidWidths = (HashMap<u32, f32>, Vec<(u32, u32, f32)>);

fn parse_w(doc: &Document, arr: &[Object]) -> CidWidths {
    let mut single = HashMap::new();
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < arr.len() {
        let Some(first) = num(deref(doc, &arr[i])) else {
            i += 1;
            continue;
        };
        let first = first.max(0.0) as u32;
        match arr.get(i + 1).map(|o| deref(doc, o)) {
            // c [w1 w2 …]
            Some(Object::Array(ws)) => {
                for (j, w) in ws.iter().enumerate().take(65_536) {
                    if let Some(w) = num(deref(doc, w)) {
                        single.insert(first.saturating_add(j as u32), w);
                    }
                }
                i += 2;
            }
            // c_first c_last w
            Some(o) => {
                let last = num(o).map(|v| v.max(0.0) as u32);
                let w = arr.get(i + 2).and_then(|o| num(deref(doc, o)));
                if let (Some(last), Some(w)) = (last, w) {
                    if last >= first {
                        ranges.push((first, last, w));
                    }
                }
                i += 3;
            }
            None => break,
        }
    }
    (single, ranges)
}

fn simple_table(doc: &Document, font: &Dictionary, subtype: &[u8]) -> Box<[Option<char>; 256]> {
    let symbolic = get_dict(doc, font, b"FontDescriptor")
        .and_then(|fd| get_num(doc, fd, b"Flags"))
        .map(|f| (f as i64) & 4 != 0)
        .unwrap_or(false);
    let default_base = if subtype == b"TrueType" || symbolic {
        BaseEncoding::WinAnsi
    } else {
        BaseEncoding::Standard
    };
    let name_to_base = |n: &[u8]| match n {
        b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
        b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
        b"StandardEncoding" => Some(BaseEncoding::Standard),
        _ => None,
    };
    let mut base = default_base;
    let mut differences: Option<&[Object]> = None;
    match get(doc, font, b"Encoding") {
        Some(Object::Name(n)) => base = name_to_base(n).unwrap_or(default_base),
        Some(Object::Dictionary(d)) => {
            if let Some(n) = get_name(doc, d, b"BaseEncoding") {
                base = name_to_base(n).unwrap_or(default_base);
            }
            differences = get_array(doc, d, b"Differences");
        }
        _ => {}
    }
    let mut table = Box::new([None; 256]);
    for (b, slot) in table.iter_mut().enumerate() {
        *slot = base_char(base, b as u8);
    }
    if let Some(diff) = differences {
        let mut code: usize = 0;
        for item in diff {
            match deref(doc, item) {
                Object::Integer(i) => code = (*i).clamp(0, 1 << 20) as usize,
                Object::Name(n) => {
                    if code < 256 {
                        table[code] = glyph_name_to_unicode(n);
                    }
                    code += 1;
                }
                _ => {}
            }
        }
    }
    table
}

fn standard14_width(doc: &Document, font: &Dictionary) -> f32 {
    let name = get_name(doc, font, b"BaseFont").unwrap_or(b"");
    if name.windows(7).any(|w| w.eq_ignore_ascii_case(b"courier")) {
        600.0
    } else {
        500.0
    }
}

/// Load a font dictionary. Malformed entries fall back to defaults; it never fails.
pub(crate) fn load(doc: &Document, font: &Dictionary) -> Font {
    let subtype = get_name(doc, font, b"Subtype").unwrap_or(b"");
    let to_unicode = get(doc, font, b"ToUnicode")
        .and_then(read_stream)
        .map(|data| cmap::parse(&data).unicode)
        .unwrap_or_default();

    if subtype == b"Type0" {
        return load_type0(doc, font, to_unicode);
    }

    let first = get_num(doc, font, b"FirstChar").unwrap_or(0.0).max(0.0) as u32;
    let widths: Vec<f32> = get_array(doc, font, b"Widths")
        .map(|a| {
            a.iter()
                .take(65_536)
                .map(|o| num(deref(doc, o)).unwrap_or(0.0))
                .collect()
        })
        .unwrap_or_default();
    let missing = get_dict(doc, font, b"FontDescriptor")
        .and_then(|fd| get_num(doc, fd, b"MissingWidth"))
        .filter(|w| *w > 0.0);
    let (widths, missing) = if widths.is_empty() {
        (
            Vec::new(),
            missing.unwrap_or_else(|| standard14_width(doc, font)),
        )
    } else {
        (widths, missing.unwrap_or(0.0))
    };
    let mut scale = 0.001;
    if subtype == b"Type3" {
        if let Some(m) = get_array(doc, font, b"FontMatrix") {
            if let Some(a) = m.first().and_then(|o| num(deref(doc, o))) {
                if a.abs() > 1e-9 && a.abs() < 1e3 {
                    scale = a;
                }
            }
        }
    }
    Font {
        codespace: CodeSpace::OneByte,
        to_unicode,
        simple: Some(simple_table(doc, font, subtype)),
        cid: None,
        widths: Widths::Simple {
            first,
            widths,
            missing,
        },
        scale,
        vertical: false,
    }
}

fn load_type0(doc: &Document, font: &Dictionary, to_unicode: HashMap<u32, String>) -> Font {
    let (codespace, cid, vertical) = match get(doc, font, b"Encoding") {
        Some(Object::Name(n)) => {
            let p = predefined(n);
            (
                predefined_codespace(p, n),
                CidMap::Predefined(p),
                n.ends_with(b"-V"),
            )
        }
        Some(obj @ Object::Stream(s)) => {
            let parsed: CMap = read_stream(obj)
                .map(|d| cmap::parse(&d))
                .unwrap_or_default();
            let used = parsed
                .usecmap
                .clone()
                .or_else(|| get_name(doc, &s.dict, b"UseCMap").map(|n| n.to_vec()));
            let fallback = used
                .as_deref()
                .map(predefined)
                .unwrap_or(Predefined::Identity);
            let codespace = if parsed.codespace.is_empty() {
                predefined_codespace(fallback, used.as_deref().unwrap_or(b""))
            } else {
                CodeSpace::Ranges(parsed.codespace)
            };
            let vertical = get_num(doc, &s.dict, b"WMode").unwrap_or(0.0) == 1.0;
            (
                codespace,
                CidMap::Embedded {
                    ranges: parsed.cid_ranges,
                    fallback,
                },
                vertical,
            )
        }
        _ => (
            CodeSpace::TwoByte,
            CidMap::Predefined(Predefined::Identity),
            false,
        ),
    };
    let descendant = get_array(doc, font, b"DescendantFonts")
        .and_then(|a| a.first())
        .map(|o| deref(doc, o));
    let (single, ranges, default) = match descendant {
        Some(Object::Dictionary(cf)) => {
            let default = get_num(doc, cf, b"DW").unwrap_or(1000.0);
            let (single, ranges) = get_array(doc, cf, b"W")
                .map(|w| parse_w(doc, w))
                .unwrap_or_default();
            (single, ranges, default)
        }
        _ => (HashMap::new(), Vec::new(), 1000.0),
    };
    Font {
        codespace,
        to_unicode,
        simple: None,
        cid: Some(cid),
        widths: Widths::Cid {
            single,
            ranges,
            default,
        },
        scale: 0.001,
        vertical,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    fn text(font: &Font, bytes: &[u8]) -> (String, Vec<f32>) {
        let mut codes = Vec::new();
        font.codes(bytes, &mut codes);
        let mut s = String::new();
        let mut ws = Vec::new();
        for c in &codes {
            if !font.text_of(c.code, c.nbytes, &mut s) {
                s.push('\u{FFFD}');
            }
            ws.push(c.width);
        }
        (s, ws)
    }

    #[test]
    fn w_array_both_forms() {
        let doc = Document::with_version("1.5");
        let w = vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(500), Object::Integer(600)]),
            Object::Integer(16),
            Object::Integer(25),
            Object::Integer(500),
        ];
        let (single, ranges) = parse_w(&doc, &w);
        assert_eq!(single.get(&3), Some(&500.0));
        assert_eq!(single.get(&4), Some(&600.0));
        assert_eq!(ranges, vec![(16, 25, 500.0)]);
    }

    #[test]
    fn predefined_ucs2_and_gbk() {
        let doc = Document::with_version("1.5");
        let cid = Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "DW" => 1000,
            "W" => vec![Object::Integer(1), Object::Integer(95), Object::Integer(500),
                        Object::Integer(814), Object::Integer(939), Object::Integer(500)],
        });
        let ucs2 = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "Encoding" => "UniGB-UCS2-H",
            "DescendantFonts" => vec![cid.clone()],
        };
        let f = load(&doc, &ucs2);
        let (s, w) = text(&f, &[0x4E, 0x00, 0x00, 0x31]);
        assert_eq!(s, "一1");
        assert_eq!(w, vec![1000.0, 500.0]);

        let gbk = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "Encoding" => "GBK-EUC-H",
            "DescendantFonts" => vec![cid],
        };
        let f = load(&doc, &gbk);
        // "一1" in GBK: D2 BB 31
        let (s, w) = text(&f, &[0xD2, 0xBB, 0x31]);
        assert_eq!(s, "一1");
        assert_eq!(w, vec![1000.0, 500.0]);
    }
}
