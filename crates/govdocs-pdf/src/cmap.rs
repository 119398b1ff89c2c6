//! CMap streams: `ToUnicode` maps (`bfchar`/`bfrange`) and embedded encoding CMaps
//! (`codespacerange`, `cidchar`/`cidrange`, `usecmap`).

use std::collections::HashMap;

use crate::lexer::{Lexer, Operand, Token};

/// Most entries one CMap may expand to; a hostile `bfrange` cannot allocate more than this.
const MAX_ENTRIES: usize = 200_000;

/// A byte range of codes of one length, e.g. `<8140> <FEFE>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeRange {
    pub len: u8,
    pub lo: [u8; 4],
    pub hi: [u8; 4],
}

impl CodeRange {
    pub(crate) fn new(lo: &[u8], hi: &[u8]) -> Option<Self> {
        if lo.is_empty() || lo.len() > 4 || lo.len() != hi.len() {
            return None;
        }
        let mut r = CodeRange {
            len: lo.len() as u8,
            lo: [0; 4],
            hi: [0; 4],
        };
        r.lo[..lo.len()].copy_from_slice(lo);
        r.hi[..hi.len()].copy_from_slice(hi);
        Some(r)
    }

    fn matches(&self, bytes: &[u8]) -> bool {
        let n = self.len as usize;
        bytes.len() >= n && (0..n).all(|i| bytes[i] >= self.lo[i] && bytes[i] <= self.hi[i])
    }
}

/// How a font's strings split into character codes.
#[derive(Debug, Clone)]
pub(crate) enum CodeSpace {
    OneByte,
    TwoByte,
    Ranges(Vec<CodeRange>),
}

impl CodeSpace {
    /// The next code at the start of `bytes` (non-empty) and how many bytes it took.
    pub(crate) fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        let take = |n: usize| -> (u32, usize) {
            let n = n.min(bytes.len()).max(1);
            let code = bytes[..n]
                .iter()
                .fold(0u32, |acc, &b| (acc << 8) | b as u32);
            (code, n)
        };
        match self {
            CodeSpace::OneByte => take(1),
            CodeSpace::TwoByte => take(2),
            CodeSpace::Ranges(ranges) => {
                for len in 1..=4u8 {
                    if ranges.iter().any(|r| r.len == len && r.matches(bytes)) {
                        return take(len as usize);
                    }
                }
                // Not in any range: take as many bytes as the shortest range whose first byte
                // fits, else the shortest range, else one byte.
                let by_first = ranges
                    .iter()
                    .filter(|r| bytes[0] >= r.lo[0] && bytes[0] <= r.hi[0])
                    .map(|r| r.len)
                    .min();
                let shortest = ranges.iter().map(|r| r.len).min();
                take(by_first.or(shortest).unwrap_or(1) as usize)
            }
        }
    }
}

/// A parsed CMap stream.
#[derive(Debug, Default)]
pub(crate) struct CMap {
    /// `code -> text` from `bfchar`/`bfrange` (ToUnicode maps).
    pub unicode: HashMap<u32, String>,
    /// Code ranges from `codespacerange`.
    pub codespace: Vec<CodeRange>,
    /// `(lo, hi, first CID)` from `cidrange`/`cidchar`, code values compared numerically.
    pub cid_ranges: Vec<(u32, u32, u32)>,
    /// Name given to `usecmap`, if any.
    pub usecmap: Option<Vec<u8>>,
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| (acc << 8) | b as u32)
}

/// Decode UTF-16BE bytes as found in a ToUnicode destination; `None` if nothing usable.
pub(crate) fn utf16be_to_string(bytes: &[u8]) -> Option<String> {
    if bytes.len() == 1 {
        // Some writers emit one-byte destinations.
        return char::from_u32(bytes[0] as u32).map(String::from);
    }
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| ((c[0] as u16) << 8) | c.get(1).copied().unwrap_or(0) as u16)
        .collect();
    let s: String = char::decode_utf16(units.iter().copied())
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect();
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

/// Add `delta` to the last UTF-16 unit of a destination (the `bfrange` increment rule).
fn bump_last_unit(dst: &[u8], delta: u32) -> Vec<u8> {
    let mut out = dst.to_vec();
    if out.len() >= 2 {
        let n = out.len();
        let last = ((out[n - 2] as u32) << 8 | out[n - 1] as u32).wrapping_add(delta);
        out[n - 2] = (last >> 8) as u8;
        out[n - 1] = last as u8;
    } else if out.len() == 1 {
        out[0] = out[0].wrapping_add(delta as u8);
    }
    out
}

/// Parse a CMap program. Never fails; unknown constructs are skipped.
pub(crate) fn parse(data: &[u8]) -> CMap {
    let mut cmap = CMap::default();
    let mut lexer = Lexer::new(data);
    let mut stack: Vec<Operand> = Vec::new();
    let mut mode: Option<&'static str> = None;
    let mut entries = 0usize;
    while let Some(tok) = lexer.next_token() {
        match tok {
            Token::Operand(o) => {
                if mode.is_some() || stack.len() < 64 {
                    stack.push(o);
                }
            }
            Token::ArrayEnd | Token::DictEnd => {}
            Token::Op(op) => {
                match op {
                    b"begincodespacerange" => mode = Some("codespace"),
                    b"beginbfchar" => mode = Some("bfchar"),
                    b"beginbfrange" => mode = Some("bfrange"),
                    b"begincidchar" => mode = Some("cidchar"),
                    b"begincidrange" => mode = Some("cidrange"),
                    b"endcodespacerange" | b"endbfchar" | b"endbfrange" | b"endcidchar"
                    | b"endcidrange" => {
                        apply(&mut cmap, mode.unwrap_or(""), &stack, &mut entries);
                        mode = None;
                    }
                    b"usecmap" => {
                        if let Some(Operand::Name(n)) = stack.last() {
                            cmap.usecmap = Some(n.clone());
                        }
                    }
                    _ => {}
                }
                if mode.is_none() || op.starts_with(b"begin") {
                    stack.clear();
                }
            }
        }
    }
    cmap
}

fn apply(cmap: &mut CMap, mode: &str, ops: &[Operand], entries: &mut usize) {
    match mode {
        "codespace" => {
            for pair in ops.chunks(2) {
                if let [Operand::Str(lo), Operand::Str(hi)] = pair {
                    if let Some(r) = CodeRange::new(lo, hi) {
                        if cmap.codespace.len() < 256 {
                            cmap.codespace.push(r);
                        }
                    }
                }
            }
        }
        "bfchar" => {
            for pair in ops.chunks(2) {
                if *entries >= MAX_ENTRIES {
                    return;
                }
                if let [Operand::Str(src), dst] = pair {
                    let text = match dst {
                        Operand::Str(d) => utf16be_to_string(d),
                        Operand::Name(n) => {
                            crate::encoding::glyph_name_to_unicode(n).map(String::from)
                        }
                        _ => None,
                    };
                    if let Some(t) = text {
                        cmap.unicode.insert(code_value(src), t);
                        *entries += 1;
                    }
                }
            }
        }
        "bfrange" => {
            for triple in ops.chunks(3) {
                let [Operand::Str(lo), Operand::Str(hi), dst] = triple else {
                    continue;
                };
                let (lo, hi) = (code_value(lo), code_value(hi));
                if hi < lo || (hi - lo) as usize > 0xFFFF {
                    continue;
                }
                for (i, code) in (lo..=hi).enumerate() {
                    if *entries >= MAX_ENTRIES {
                        return;
                    }
                    let text = match dst {
                        Operand::Str(d) => utf16be_to_string(&bump_last_unit(d, i as u32)),
                        Operand::Array(items) => match items.get(i) {
                            Some(Operand::Str(d)) => utf16be_to_string(d),
                            _ => None,
                        },
                        _ => None,
                    };
                    if let Some(t) = text {
                        cmap.unicode.insert(code, t);
                        *entries += 1;
                    }
                }
            }
        }
        "cidchar" => {
            for pair in ops.chunks(2) {
                if let [Operand::Str(src), Operand::Num(cid)] = pair {
                    let c = code_value(src);
                    if cmap.cid_ranges.len() < MAX_ENTRIES {
                        cmap.cid_ranges.push((c, c, cid.max(0.0) as u32));
                    }
                }
            }
        }
        "cidrange" => {
            for triple in ops.chunks(3) {
                if let [Operand::Str(lo), Operand::Str(hi), Operand::Num(cid)] = triple {
                    let (lo, hi) = (code_value(lo), code_value(hi));
                    if hi >= lo && cmap.cid_ranges.len() < MAX_ENTRIES {
                        cmap.cid_ranges.push((lo, hi, cid.max(0.0) as u32));
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_and_bfrange() {
        let data = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0010> <4E00> endbfchar
2 beginbfrange <0013> <0015> <0030> <0020> <0021> [<0041> <D835DC00>] endbfrange
endcmap";
        let c = parse(data);
        assert_eq!(c.unicode.get(&3).map(String::as_str), Some(" "));
        assert_eq!(c.unicode.get(&0x10).map(String::as_str), Some("一"));
        assert_eq!(c.unicode.get(&0x13).map(String::as_str), Some("0"));
        assert_eq!(c.unicode.get(&0x15).map(String::as_str), Some("2"));
        assert_eq!(c.unicode.get(&0x20).map(String::as_str), Some("A"));
        assert_eq!(c.unicode.get(&0x21).map(String::as_str), Some("\u{1D400}"));
        assert_eq!(c.codespace.len(), 1);
    }

    #[test]
    fn codespace_split() {
        let cs = CodeSpace::Ranges(vec![
            CodeRange::new(&[0x00], &[0x80]).unwrap(),
            CodeRange::new(&[0x81, 0x40], &[0xFE, 0xFE]).unwrap(),
        ]);
        assert_eq!(cs.next_code(b"A\xb0\xa1"), (0x41, 1));
        assert_eq!(cs.next_code(b"\xb0\xa1"), (0xb0a1, 2));
    }

    #[test]
    fn huge_range_is_bounded() {
        let c = parse(b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert!(c.unicode.is_empty());
    }
}
