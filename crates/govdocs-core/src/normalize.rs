//! Number normalisation: reading exact amounts, counts and percentages out of noisy text.
//!
//! The documents print numbers with converter noise: full-width digits (`５`), a space after or
//! before the decimal point (`36716. 36`), spaced thousands separators (`2, 841. 00`),
//! comparators (`≥95%`) and sometimes garbled digit groups (`37192. 3 65`). Everything here is
//! exact ([`Decimal`], never floats), keeps the printed scale (`0.00` stays scale 2), records
//! every repair as a [`NumFlag`], and never turns several digit groups into one number.
//!
//! # Cells: [`parse_number`]
//! A cell must hold exactly one number: optional `(`…`)` / `（`…`）` (negative), optional
//! comparator, optional sign, the digits, optional unit. Anything else is a [`NotANumber`].
//! `Ambiguous` carries the trimmed input; `Malformed` carries a short English reason.
//! `Number::raw` is the input unchanged; `-0.00` reads as `0.00` (no negative zero).
//!
//! # Prose: [`find_numbers`]
//! Scans running text and reports:
//! - a number followed by a unit (`元`, `万元`, `亿元`, `%`, `％`), possibly after spaces or a
//!   line break (pdftotext wraps `59000` / `元`), with that unit;
//! - a number standing alone (followed by whitespace, a tab, punctuation or the end), unit `None`.
//!
//! It does not report (and does not glue):
//! - counts, dates and codes followed by a word on the same line (`３项`, `2020年`, `36 人`);
//! - list markers and bracketed labels: an integer followed by `.` (not a decimal point), `、`
//!   or a closing bracket (`（1）`, `〔2018〕`);
//! - parts of ranges, dates and formulas (`1-8月`, `2020/12`, `2+3`);
//! - digits glued to ASCII letters (`WIFI6`, `H5`) or inside HTML attributes (`="2"`);
//! - a run that is malformed (`1.2.3`, `1,05.0`) or too large for a [`Decimal`];
//! - a spaced-decimal number followed by a bare digit group (`37192. 3 65`): ambiguous.
//!
//! Separators join digits only across spaces (never tabs, line breaks or Chinese words).
//! A sign must touch the digits (`- 5` is a bullet) and follow a space, a Chinese character or
//! opening punctuation (`10%-20%` is a range of two positive numbers). `<`/`>` count as
//! comparators only when not part of HTML markup. A decimal amount without a
//! unit wrapped in parentheses (`(3.00)`) is negative with `ParenNegative`, as in accounting
//! tables; with a unit (`（5.9 万元）`) the parentheses are a prose aside and the value stays
//! positive.
//!
//! # Flags
//! `Fullwidth` is set when a digit or a piece of number punctuation (sign, comparator, `．`,
//! `，`) was full-width; the unit `％` alone does not set it. A separator followed by spaces
//! (`2, 841`) sets `SpacedThousands`; an unspaced one (`1,050`) sets `ThousandsSeparator`.

use rust_decimal::Decimal;
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// Unit a number is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// 元.
    Yuan,
    /// 万元 (ten thousand yuan).
    WanYuan,
    /// 亿元 (hundred million yuan).
    YiYuan,
    /// Percentage (`%` or `％`).
    Percent,
}

impl Unit {
    /// Stable lowercase name used in datasets: "yuan", "wan_yuan", "yi_yuan", "percent".
    pub fn as_str(&self) -> &'static str {
        match self {
            Unit::Yuan => "yuan",
            Unit::WanYuan => "wan_yuan",
            Unit::YiYuan => "yi_yuan",
            Unit::Percent => "percent",
        }
    }

    /// Parse a unit word: "元" -> Yuan, "万元" -> WanYuan, "亿元" -> YiYuan, "%"/"％" -> Percent (surrounding whitespace ignored); else None.
    pub fn from_label(s: &str) -> Option<Unit> {
        match s.trim_matches(is_trim_space) {
            "元" => Some(Unit::Yuan),
            "万元" => Some(Unit::WanYuan),
            "亿元" => Some(Unit::YiYuan),
            "%" | "％" => Some(Unit::Percent),
            _ => None,
        }
    }
}

/// A repair or doubt noted while reading a number (names are stable, used in datasets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NumFlag {
    /// Full-width digits or number punctuation were folded to ASCII.
    Fullwidth,
    /// Spaces around the decimal point were removed (`36716. 36`).
    SpacedDecimal,
    /// Thousands separators followed by spaces were removed (`2, 841`).
    SpacedThousands,
    /// Thousands separators were removed (`1,050.00`).
    ThousandsSeparator,
    /// The number was wrapped in parentheses and read as negative (`(3.00)`).
    ParenNegative,
    /// The number carries a comparison prefix (`≥95%`).
    Comparator,
}

impl NumFlag {
    /// snake_case name: "fullwidth", "spaced_decimal", "spaced_thousands", "thousands_separator", "paren_negative", "comparator".
    pub fn as_str(&self) -> &'static str {
        match self {
            NumFlag::Fullwidth => "fullwidth",
            NumFlag::SpacedDecimal => "spaced_decimal",
            NumFlag::SpacedThousands => "spaced_thousands",
            NumFlag::ThousandsSeparator => "thousands_separator",
            NumFlag::ParenNegative => "paren_negative",
            NumFlag::Comparator => "comparator",
        }
    }
}

const ALL_FLAGS: [NumFlag; 6] = [
    NumFlag::Fullwidth,
    NumFlag::SpacedDecimal,
    NumFlag::SpacedThousands,
    NumFlag::ThousandsSeparator,
    NumFlag::ParenNegative,
    NumFlag::Comparator,
];

/// Comparison prefix such as `≥95%`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// `≥`, `>=`.
    Ge,
    /// `≤`, `<=`.
    Le,
    /// `>`.
    Gt,
    /// `<`.
    Lt,
}

/// One number read from raw text, exact, with the raw text kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The text the number was read from, unchanged.
    pub raw: String,
    /// Exact value, with the scale as printed.
    pub value: Decimal,
    /// Unit printed with the number, if any.
    pub unit: Option<Unit>,
    /// Comparison prefix, if any.
    pub comparator: Option<Comparator>,
    /// Repairs and doubts, sorted and deduplicated.
    pub flags: Vec<NumFlag>,
}

/// Why a string is not confidently one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotANumber {
    /// Nothing but whitespace.
    Empty,
    /// No digit at all.
    NoDigits,
    /// Several digit groups that do not form one number (carries the trimmed text, e.g. "37192. 3 65").
    Ambiguous(String),
    /// Digits present but not a well-formed number (carries a short reason).
    Malformed(String),
}

impl fmt::Display for NotANumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotANumber::Empty => write!(f, "empty"),
            NotANumber::NoDigits => write!(f, "no digits"),
            NotANumber::Ambiguous(s) => write!(f, "ambiguous digit groups: {s}"),
            NotANumber::Malformed(s) => write!(f, "malformed number: {s}"),
        }
    }
}

impl std::error::Error for NotANumber {}

// ---------------------------------------------------------------------------------------------
// Character classes and cursor helpers (byte positions, always on char boundaries).

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{ff10}'..='\u{ff19}' => Some(c as u32 - 0xff10),
        _ => None,
    }
}

fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
}

fn is_fw_digit(c: char) -> bool {
    ('\u{ff10}'..='\u{ff19}').contains(&c)
}

fn is_fw_letter(c: char) -> bool {
    ('\u{ff21}'..='\u{ff3a}').contains(&c) || ('\u{ff41}'..='\u{ff5a}').contains(&c)
}

/// Spaces that may sit inside one number (never tabs or line breaks: those separate cells).
fn is_inline_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{3000}' | '\u{2000}'..='\u{200a}' | '\u{202f}'
    )
}

/// Whether `c` is trimmed around a number or numeral: whitespace, a byte-order mark or a
/// zero-width space.
pub fn is_trim_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

fn is_dot(c: char) -> bool {
    c == '.' || c == '．'
}

fn is_open_paren(c: char) -> bool {
    c == '(' || c == '（'
}

fn is_close_paren(c: char) -> bool {
    c == ')' || c == '）'
}

/// Closing brackets after an integer label or year: `（1）`, `〔2018〕`, `[2020]`, `【2014】`.
fn is_close_bracket(c: char) -> bool {
    is_close_paren(c) || matches!(c, ']' | '〕' | '】' | '］')
}

/// Operators that join numbers into ranges, dates, times or formulas.
fn is_op(c: char) -> bool {
    matches!(
        c,
        '-' | '－'
            | '−'
            | '~'
            | '～'
            | '〜'
            | '—'
            | '–'
            | '/'
            | '／'
            | ':'
            | '+'
            | '＋'
            | '='
            | '＝'
            | '×'
            | '*'
            | '÷'
    )
}

/// A sign character: (negative, full-width).
fn sign_of(c: char) -> Option<(bool, bool)> {
    match c {
        '-' | '−' => Some((true, false)),
        '－' => Some((true, true)),
        '+' => Some((false, false)),
        '＋' => Some((false, true)),
        _ => None,
    }
}

fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..)?.chars().next()
}

fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i)?.chars().next_back()
}

fn digit_at(s: &str, i: usize) -> bool {
    char_at(s, i).is_some_and(is_digit)
}

fn skip_inline(s: &str, mut i: usize) -> usize {
    while let Some(c) = char_at(s, i) {
        if !is_inline_space(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

fn skip_inline_back(s: &str, mut i: usize) -> usize {
    while let Some(c) = char_before(s, i) {
        if !is_inline_space(c) {
            break;
        }
        i -= c.len_utf8();
    }
    i
}

/// Skip inline spaces and line breaks (a unit may be wrapped to the next line), not tabs.
fn skip_inline_and_breaks(s: &str, mut i: usize) -> usize {
    while let Some(c) = char_at(s, i) {
        if !(is_inline_space(c) || c == '\n' || c == '\r') {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// Consecutive digits from `i`: (end, count, any full-width).
fn digit_run(s: &str, i: usize) -> (usize, usize, bool) {
    let mut end = i;
    let mut count = 0;
    let mut fw = false;
    while let Some(c) = char_at(s, end) {
        if !is_digit(c) {
            break;
        }
        fw |= is_fw_digit(c);
        count += 1;
        end += c.len_utf8();
    }
    (end, count, fw)
}

fn push_digits(s: &str, start: usize, end: usize, mut push: impl FnMut(u32)) {
    for c in s[start..end].chars() {
        if let Some(d) = digit_value(c) {
            push(d);
        }
    }
}

/// Unit starting at `i`: (unit, end).
fn match_unit(s: &str, i: usize) -> Option<(Unit, usize)> {
    let rest = s.get(i..)?;
    for (label, unit) in [
        ("万元", Unit::WanYuan),
        ("亿元", Unit::YiYuan),
        ("元", Unit::Yuan),
        ("%", Unit::Percent),
        ("％", Unit::Percent),
    ] {
        if rest.starts_with(label) {
            return Some((unit, i + label.len()));
        }
    }
    None
}

/// Comparator starting at `i`: (comparator, end, full-width).
fn match_comparator(s: &str, i: usize) -> Option<(Comparator, usize, bool)> {
    let c = char_at(s, i)?;
    let j = i + c.len_utf8();
    let (base, fw) = match c {
        '≥' | '≧' | '⩾' => return Some((Comparator::Ge, j, false)),
        '≤' | '≦' | '⩽' => return Some((Comparator::Le, j, false)),
        '>' => (Comparator::Gt, false),
        '＞' => (Comparator::Gt, true),
        '<' => (Comparator::Lt, false),
        '＜' => (Comparator::Lt, true),
        _ => return None,
    };
    match char_at(s, j) {
        Some(e @ ('=' | '＝')) => {
            let cmp = if base == Comparator::Gt {
                Comparator::Ge
            } else {
                Comparator::Le
            };
            Some((cmp, j + e.len_utf8(), fw || e == '＝'))
        }
        _ => Some((base, j, fw)),
    }
}

/// Comparator ending at `i`: (comparator, start, full-width).
fn match_comparator_back(s: &str, i: usize) -> Option<(Comparator, usize, bool)> {
    let c = char_before(s, i)?;
    let start = i - c.len_utf8();
    if c == '=' || c == '＝' {
        let b = char_before(s, start)?;
        if !matches!(b, '>' | '<' | '＞' | '＜') {
            return None;
        }
        let bstart = start - b.len_utf8();
        let (cmp, _, fw) = match_comparator(s, bstart)?;
        return Some((cmp, bstart, fw));
    }
    let (cmp, end, fw) = match_comparator(s, start)?;
    (end == i).then_some((cmp, start, fw))
}

fn snippet(s: &str, i: usize) -> String {
    let rest = s.get(i..).unwrap_or("");
    let mut out: String = rest.chars().take(12).collect();
    if rest.chars().nth(12).is_some() {
        out.push('…');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Flags.

#[derive(Debug, Default, Clone, Copy)]
struct FlagSet(u8);

impl FlagSet {
    fn set(&mut self, f: NumFlag) {
        self.0 |= 1 << (f as u8);
    }

    fn has(self, f: NumFlag) -> bool {
        self.0 & (1 << (f as u8)) != 0
    }

    fn union(self, other: FlagSet) -> FlagSet {
        FlagSet(self.0 | other.0)
    }

    fn to_vec(self) -> Vec<NumFlag> {
        ALL_FLAGS.into_iter().filter(|f| self.has(*f)).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The shared numeral scanner.

/// The digits of a number, read into its decimal mantissa: the integer digits without their
/// leading zeros, then the decimal digits. Only the first [`MAX_DIGITS`] digits are kept (a
/// longer number is out of range anyway).
#[derive(Debug, Default)]
struct Digits {
    mantissa: u128,
    /// Integer digits, leading zeros not counted.
    int_len: usize,
    /// Decimal digits (all of them).
    frac_len: usize,
    /// Whether the first integer digit is 0.
    leading_zero: bool,
    any: bool,
}

/// Most significant digits a `Decimal` mantissa holds (checked again against its 96 bits).
const MAX_DIGITS: usize = 29;

impl Digits {
    fn push_int(&mut self, d: u32) {
        if !self.any {
            self.leading_zero = d == 0;
            self.any = true;
        }
        if self.int_len == 0 && d == 0 {
            return;
        }
        self.int_len += 1;
        self.add(d);
    }

    fn push_frac(&mut self, d: u32) {
        self.frac_len += 1;
        self.add(d);
    }

    fn add(&mut self, d: u32) {
        if self.int_len + self.frac_len <= MAX_DIGITS {
            self.mantissa = self.mantissa * 10 + d as u128;
        }
    }
}

/// The digits of one number as read by [`scan_numeral`].
#[derive(Debug)]
struct Scan {
    end: usize,
    digits: Digits,
    has_frac: bool,
    grouped: bool,
    flags: FlagSet,
}

impl Scan {
    /// Has a decimal part or thousands separators (an amount, not a list marker or count).
    fn looks_like_amount(&self) -> bool {
        self.has_frac || self.grouped
    }
}

#[derive(Debug)]
struct ScanError {
    at: usize,
    reason: &'static str,
}

/// Read digits, thousands separators and a decimal part starting at the digit at `start`.
/// Greedy: stops before anything that cannot continue the number.
fn scan_numeral(s: &str, start: usize) -> Result<Scan, ScanError> {
    let mut flags = FlagSet::default();
    let (mut end, first_len, fw) = digit_run(s, start);
    let mut digits = Digits::default();
    push_digits(s, start, end, |d| digits.push_int(d));
    if fw {
        flags.set(NumFlag::Fullwidth);
    }
    let first_ok = (1..=3).contains(&first_len) && !digits.leading_zero;
    let mut grouped = false;

    // Thousands groups.
    while let Some(c @ (',' | '，')) = char_at(s, end) {
        let after = end + c.len_utf8();
        let g = if c == ',' {
            skip_inline(s, after)
        } else {
            after
        };
        let spaced = g > after;
        let (gend, glen, gfw) = digit_run(s, g);
        if glen == 0 {
            break;
        }
        if glen == 3 && first_ok {
            push_digits(s, g, gend, |d| digits.push_int(d));
            flags.set(if spaced {
                NumFlag::SpacedThousands
            } else {
                NumFlag::ThousandsSeparator
            });
            if c == '，' || gfw {
                flags.set(NumFlag::Fullwidth);
            }
            grouped = true;
            end = gend;
        } else if spaced {
            // `1, 2`: a list separator, not a thousands separator.
            break;
        } else {
            return Err(ScanError {
                at: gend,
                reason: "invalid thousands grouping",
            });
        }
    }

    // Decimal part, with spaces allowed around the point.
    let mut has_frac = false;
    let q = skip_inline(s, end);
    if let Some(d) = char_at(s, q).filter(|&c| is_dot(c)) {
        let r = q + d.len_utf8();
        let r1 = skip_inline(s, r);
        let (fend, flen, ffw) = digit_run(s, r1);
        if flen > 0 {
            if q > end || r1 > r {
                flags.set(NumFlag::SpacedDecimal);
            }
            if d == '．' || ffw {
                flags.set(NumFlag::Fullwidth);
            }
            push_digits(s, r1, fend, |d| digits.push_frac(d));
            has_frac = true;
            end = fend;
            if let Some(c) = char_at(s, end) {
                let next_is_digit = digit_at(s, end + c.len_utf8());
                if is_dot(c) && next_is_digit {
                    return Err(ScanError {
                        at: end,
                        reason: "more than one decimal point",
                    });
                }
                if (c == ',' || c == '，') && next_is_digit {
                    return Err(ScanError {
                        at: end,
                        reason: "separator after the decimal part",
                    });
                }
            }
        }
    }

    Ok(Scan {
        end,
        digits,
        has_frac,
        grouped,
        flags,
    })
}

/// Build the exact value; bounded work, no panic on overflow.
fn to_decimal(negative: bool, scan: &Scan) -> Result<Decimal, &'static str> {
    let d = &scan.digits;
    if d.int_len > MAX_DIGITS || d.frac_len > 28 || d.int_len + d.frac_len > MAX_DIGITS {
        return Err("number out of range");
    }
    // At most 29 digits: the mantissa fits an i128.
    let m = d.mantissa as i128;
    let mut value =
        Decimal::try_from_i128_with_scale(if negative { -m } else { m }, d.frac_len as u32)
            .map_err(|_| "number out of range")?;
    if value.is_zero() {
        // `-0.00` reads as 0.00: no negative zero in datasets.
        value.set_sign_positive(true);
    }
    Ok(value)
}

// ---------------------------------------------------------------------------------------------
// Public functions.

/// Fold full-width digits, ASCII letters and number punctuation to ASCII, keeping Chinese prose punctuation.
pub fn fold_fullwidth(s: &str) -> Cow<'_, str> {
    fn simple(c: char) -> Option<char> {
        match c {
            '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
                char::from_u32(c as u32 - 0xfee0)
            }
            '％' => Some('%'),
            '．' => Some('.'),
            '＋' => Some('+'),
            '－' => Some('-'),
            '／' => Some('/'),
            '＜' => Some('<'),
            '＞' => Some('>'),
            '＝' => Some('='),
            _ => None,
        }
    }
    // A full-width comma between two digits (after folding) is a thousands separator.
    let fold = |i: usize, c: char| -> Option<char> {
        if let Some(f) = simple(c) {
            return Some(f);
        }
        if c == '，' && char_before(s, i).is_some_and(is_digit) && digit_at(s, i + c.len_utf8()) {
            return Some(',');
        }
        None
    };
    let Some(first) = s.char_indices().position(|(i, c)| fold(i, c).is_some()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    for (k, (i, c)) in s.char_indices().enumerate() {
        if k < first {
            out.push(c);
        } else {
            out.push(fold(i, c).unwrap_or(c));
        }
    }
    Cow::Owned(out)
}

/// Whether `s` holds a full-width digit (`０`…`９`, UTF-8 `EF BC 90`…`EF BC 99`), found by a
/// byte search: most text has none.
pub fn has_fullwidth_digit(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(0xEF, b).any(|i| {
        b.get(i + 1) == Some(&0xBC) && b.get(i + 2).is_some_and(|c| (0x90..=0x99).contains(c))
    })
}

/// [`fold_fullwidth`] for a table cell: only a cell holding a full-width digit is folded (its
/// digits, number punctuation and letters), so labels with full-width brackets stay as printed.
pub fn fold_cell(s: &str) -> Cow<'_, str> {
    if has_fullwidth_digit(s) {
        fold_fullwidth(s)
    } else {
        Cow::Borrowed(s)
    }
}

/// Why a token is not one number, before its message is written.
enum Refusal {
    Empty,
    NoDigits,
    Ambiguous,
    Malformed(&'static str),
    /// A reason with the text from a byte position on.
    MalformedAt(&'static str, usize),
}

/// A number read by [`read_number`], without its raw text.
struct Read {
    value: Decimal,
    unit: Option<Unit>,
    comparator: Option<Comparator>,
    flags: FlagSet,
}

/// Parse a cell or token that should hold exactly one number (amount, count or percentage).
pub fn parse_number(raw: &str) -> Result<Number, NotANumber> {
    let t = raw.trim_matches(is_trim_space);
    match read_number(t) {
        Ok(r) => Ok(Number {
            raw: raw.to_string(),
            value: r.value,
            unit: r.unit,
            comparator: r.comparator,
            flags: r.flags.to_vec(),
        }),
        Err(Refusal::Empty) => Err(NotANumber::Empty),
        Err(Refusal::NoDigits) => Err(NotANumber::NoDigits),
        Err(Refusal::Ambiguous) => Err(NotANumber::Ambiguous(t.to_string())),
        Err(Refusal::Malformed(reason)) => Err(NotANumber::Malformed(reason.into())),
        Err(Refusal::MalformedAt(reason, i)) => Err(NotANumber::Malformed(format!(
            "{reason}: {}",
            snippet(t, i)
        ))),
    }
}

/// Whether [`parse_number`] reads `raw` as a number (no value or message is built).
pub fn is_number(raw: &str) -> bool {
    read_number(raw.trim_matches(is_trim_space)).is_ok()
}

/// [`parse_number`] for a cell's value: the value, the unit printed with it and the repairs,
/// without the raw text.
pub fn read_value(raw: &str) -> Option<(Decimal, Option<Unit>, Vec<NumFlag>)> {
    read_number(raw.trim_matches(is_trim_space))
        .ok()
        .map(|r| (r.value, r.unit, r.flags.to_vec()))
}

/// The reading of [`parse_number`] on trimmed text.
fn read_number(t: &str) -> Result<Read, Refusal> {
    if t.is_empty() {
        return Err(Refusal::Empty);
    }
    if !t.chars().any(is_digit) {
        return Err(Refusal::NoDigits);
    }
    let mut flags = FlagSet::default();
    let mut i = 0;

    let paren = match char_at(t, 0) {
        Some(c) if is_open_paren(c) => {
            i = skip_inline(t, c.len_utf8());
            true
        }
        _ => false,
    };

    let mut comparator = None;
    if let Some((cmp, end, fw)) = match_comparator(t, i) {
        comparator = Some(cmp);
        flags.set(NumFlag::Comparator);
        if fw {
            flags.set(NumFlag::Fullwidth);
        }
        i = skip_inline(t, end);
    }

    let mut negative = false;
    if let Some(c) = char_at(t, i) {
        if let Some((neg, fw)) = sign_of(c) {
            if paren {
                return Err(Refusal::Malformed("sign inside parentheses"));
            }
            negative = neg;
            if fw {
                flags.set(NumFlag::Fullwidth);
            }
            i = skip_inline(t, i + c.len_utf8());
        }
    }

    if !digit_at(t, i) {
        return Err(Refusal::MalformedAt("expected digits at", i));
    }
    let scan = match scan_numeral(t, i) {
        Ok(scan) => scan,
        Err(e) => return Err(Refusal::Malformed(e.reason)),
    };
    flags = flags.union(scan.flags);
    let mut j = scan.end;

    // Another digit group after spaces (or after `, `): several numbers, not one.
    let mut k = skip_inline(t, j);
    if let Some(c @ (',' | '，')) = char_at(t, k) {
        k = skip_inline(t, k + c.len_utf8());
    }
    if k > j && digit_at(t, k) {
        return Err(Refusal::Ambiguous);
    }

    let mut unit = None;
    if let Some((u, end)) = match_unit(t, skip_inline(t, j)) {
        unit = Some(u);
        j = end;
    }
    if paren {
        let k = skip_inline(t, j);
        match char_at(t, k) {
            Some(c) if is_close_paren(c) => {
                j = k + c.len_utf8();
                negative = true;
                flags.set(NumFlag::ParenNegative);
            }
            _ => return Err(Refusal::Malformed("unclosed parenthesis")),
        }
        if unit.is_none() {
            if let Some((u, end)) = match_unit(t, skip_inline(t, j)) {
                unit = Some(u);
                j = end;
            }
        }
    }
    if j < t.len() {
        return Err(Refusal::MalformedAt("unexpected text after number", j));
    }

    let value = to_decimal(negative, &scan).map_err(Refusal::Malformed)?;
    Ok(Read {
        value,
        unit,
        comparator,
        flags,
    })
}

/// Find every number with its unit in running prose (e.g. `45110404.74 元`, `5,757.19 万元`, `435. 2%`), returning byte spans into the input.
pub fn find_numbers(text: &str) -> Vec<(Range<usize>, Number)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = char_at(text, i) {
        if !is_digit(c) {
            i += c.len_utf8();
            continue;
        }
        match read_prose_number(text, i) {
            Step::Found(range, number) => {
                i = range.end;
                out.push((range, number));
            }
            Step::Skip(next) => i = next,
        }
    }
    out
}

enum Step {
    Found(Range<usize>, Number),
    Skip(usize),
}

/// Skip a run of digits and ASCII number punctuation (after a malformed or rejected number);
/// `，` is left alone, it is usually prose punctuation.
fn skip_run(s: &str, mut i: usize) -> usize {
    while let Some(c) = char_at(s, i) {
        if !(is_digit(c) || is_dot(c) || c == ',') {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// May a sign character follow `c` (so that it is a sign, not a dash between two things)?
fn sign_context_ok(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) if c.is_whitespace() => true,
        Some(c) if c.is_alphabetic() && !c.is_ascii() && !is_fw_letter(c) => true,
        Some(c) => "(（[【:：，,；;、=＝<>≥≤≧≦⩾⩽\"“‘'".contains(c),
    }
}

/// May a comparator follow `c` (so that `<`/`>` are not the end of HTML markup)?
fn comparator_context_ok(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            !(c.is_ascii_alphanumeric()
                || is_digit(c)
                || is_fw_letter(c)
                || matches!(c, '"' | '\'' | '/' | '-' | '=' | '<' | '>' | '_'))
        }
    }
}

fn read_prose_number(text: &str, i: usize) -> Step {
    let mut flags = FlagSet::default();
    let mut start = i;

    // Sign directly before the digits.
    let mut signed = false;
    let mut negative = false;
    if let Some(p) = char_before(text, i) {
        if let Some((neg, fw)) = sign_of(p) {
            let sign_start = i - p.len_utf8();
            if sign_context_ok(char_before(text, sign_start)) {
                start = sign_start;
                signed = true;
                negative = neg;
                if fw {
                    flags.set(NumFlag::Fullwidth);
                }
            }
        }
    }

    // Comparator before the sign or digits, spaces allowed in between.
    let mut comparator = None;
    let k = skip_inline_back(text, start);
    if let Some((cmp, cstart, fw)) = match_comparator_back(text, k) {
        if comparator_context_ok(char_before(text, cstart)) {
            comparator = Some(cmp);
            start = cstart;
            flags.set(NumFlag::Comparator);
            if fw {
                flags.set(NumFlag::Fullwidth);
            }
        }
    }

    // Context before: identifiers, ranges, dotted tails, HTML attributes.
    if let Some(b) = char_before(text, start) {
        let bb = char_before(text, start - b.len_utf8());
        let reject = b.is_ascii_alphanumeric()
            || b == '_'
            || is_digit(b)
            || is_fw_letter(b)
            || is_dot(b)
            || (is_op(b) && bb.is_some_and(is_digit))
            || (matches!(b, '"' | '\'') && bb == Some('='));
        if reject {
            return Step::Skip(skip_run(text, i));
        }
    }

    let scan = match scan_numeral(text, i) {
        Ok(scan) => scan,
        Err(e) => return Step::Skip(skip_run(text, e.at)),
    };
    flags = flags.union(scan.flags);

    // `37192. 3 65`: a spaced decimal followed by a bare digit group is ambiguous.
    if scan.flags.has(NumFlag::SpacedDecimal) {
        let k = skip_inline(text, scan.end);
        if k > scan.end && digit_at(text, k) {
            let (rend, _, _) = digit_run(text, k);
            let continues = char_at(text, rend).is_some_and(|c| is_dot(c) || c == ',' || c == '，');
            if !continues {
                return Step::Skip(rend);
            }
        }
    }

    let unit_match = match_unit(text, skip_inline_and_breaks(text, scan.end));
    let mut end = unit_match.map_or(scan.end, |(_, e)| e);
    let unit = unit_match.map(|(u, _)| u);

    if unit.is_none() {
        let f = skip_inline(text, scan.end);
        if let Some(c) = char_at(text, f) {
            let list_marker =
                !scan.looks_like_amount() && ((f == scan.end && is_dot(c)) || is_close_bracket(c));
            let reject = c.is_alphabetic()
                || (is_op(c) && digit_at(text, f + c.len_utf8()))
                || c == '、'
                || list_marker;
            if reject {
                return Step::Skip(scan.end);
            }
        }
        // `(3.00)`: an accounting negative.
        let open = skip_inline_back(text, start);
        let close = skip_inline(text, scan.end);
        if let (Some(o), Some(c)) = (char_before(text, open), char_at(text, close)) {
            if is_open_paren(o)
                && is_close_paren(c)
                && scan.looks_like_amount()
                && !signed
                && comparator.is_none()
            {
                negative = true;
                flags.set(NumFlag::ParenNegative);
                start = open - o.len_utf8();
                end = close + c.len_utf8();
            }
        }
    }

    match to_decimal(negative, &scan) {
        Ok(value) => Step::Found(
            start..end,
            Number {
                raw: text[start..end].to_string(),
                value,
                unit,
                comparator,
                flags: flags.to_vec(),
            },
        ),
        Err(_) => Step::Skip(skip_run(text, scan.end)),
    }
}

/// Value of a Chinese numeral label 一 … 九十九 (also 零, 〇, 两, 百 up to 999; and ASCII/full-width digits); None if not a numeral.
pub fn chinese_numeral(s: &str) -> Option<u32> {
    let t = s.trim_matches(is_trim_space);
    if t.is_empty() {
        return None;
    }
    if t.chars().all(is_digit) {
        let mut n: u32 = 0;
        for c in t.chars() {
            n = n.checked_mul(10)?.checked_add(digit_value(c)?)?;
        }
        return Some(n);
    }
    // The longest standard label is 九百九十九 (5 characters).
    let mut cs = [' '; 5];
    let mut len = 0;
    for c in t.chars() {
        if len == cs.len() {
            return None;
        }
        cs[len] = c;
        len += 1;
    }
    let cs = &cs[..len];
    // 1..=9, without 两 (which only stands alone or before 百).
    let unit_digit = |c: char| -> Option<u32> {
        "一二三四五六七八九"
            .chars()
            .position(|x| x == c)
            .map(|p| p as u32 + 1)
    };
    let is_zero = |c: char| c == '零' || c == '〇';
    // 1..=99 written after a hundreds digit or alone (`lead_ten` allows a bare 十 prefix).
    let tens = |cs: &[char], lead_ten: bool| -> Option<u32> {
        match cs {
            ['十'] if lead_ten => Some(10),
            [a] => unit_digit(*a),
            ['十', b] if lead_ten => Some(10 + unit_digit(*b)?),
            [a, '十'] => Some(unit_digit(*a)? * 10),
            [a, '十', b] => Some(unit_digit(*a)? * 10 + unit_digit(*b)?),
            _ => None,
        }
    };
    match cs {
        [c] if is_zero(*c) => Some(0),
        ['两'] => Some(2),
        [h, '百', rest @ ..] => {
            let hundreds = if *h == '两' { 2 } else { unit_digit(*h)? } * 100;
            match rest {
                [] => Some(hundreds),
                [z, d] if is_zero(*z) => Some(hundreds + unit_digit(*d)?),
                [_, '十', ..] => Some(hundreds + tens(rest, false)?),
                _ => None,
            }
        }
        _ => tens(cs, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value as the digits were first turned into one: through text and `from_str_exact`.
    fn value_through_text(t: &str) -> Option<Decimal> {
        let folded: String = t
            .chars()
            .filter_map(|c| {
                digit_value(c)
                    .map(|d| char::from(b'0' + d as u8))
                    .or((c == '.' || c == '-').then_some(c))
            })
            .collect();
        let negative = folded.starts_with('-');
        let body = folded.trim_start_matches('-');
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let int = int.trim_start_matches('0');
        if int.len() > 29 || frac.len() > 28 || int.len() + frac.len() > 29 {
            return None;
        }
        let mut text = String::new();
        if negative {
            text.push('-');
        }
        text.push_str(if int.is_empty() { "0" } else { int });
        if !frac.is_empty() {
            text.push('.');
            text.push_str(frac);
        }
        let mut v = Decimal::from_str_exact(&text).ok()?;
        if v.is_zero() {
            v.set_sign_positive(true);
        }
        Some(v)
    }

    #[test]
    fn numerals_trim_zero_width_spaces() {
        // Found by the `normalize` fuzz target (its invariant trimmed less than the reader).
        assert_eq!(chinese_numeral("90000\u{200b}"), Some(90000));
        assert_eq!(chinese_numeral("\u{feff}十三 "), Some(13));
    }

    #[test]
    fn values_are_built_exactly_as_through_text() {
        let mut state = 0x9E3779B97F4A7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut cases: Vec<String> = vec![
            "79228162514264337593543950335".into(),
            "79228162514264337593543950336".into(),
            "7922816251426433759354395033.5".into(),
            "7922816251426433759354395033.6".into(),
            "99999999999999999999999999999".into(),
            "0.0000000000000000000000000001".into(),
            "0.00000000000000000000000000001".into(),
            "0000000000000000000000000000000000001.5".into(),
            "-0.00".into(),
            "1.10".into(),
        ];
        for _ in 0..20_000 {
            let int_len = (next() % 33) as usize;
            let frac_len = (next() % 31) as usize;
            let zeros = (next() % 4) as usize;
            let digit = |n: u64| char::from(b'0' + (n % 10) as u8);
            let mut t = String::new();
            if next() % 3 == 0 {
                t.push('-');
            }
            t.extend(std::iter::repeat_n('0', zeros));
            for _ in 0..int_len.max(1) {
                t.push(digit(next()));
            }
            if frac_len > 0 {
                t.push('.');
                for _ in 0..frac_len {
                    t.push(digit(next()));
                }
            }
            cases.push(t);
        }
        for t in &cases {
            let got = parse_number(t).ok().map(|n| n.value);
            let want = value_through_text(t);
            assert_eq!(got, want, "{t}");
            if let Some(v) = got {
                assert_eq!(
                    v.scale() as usize,
                    t.split_once('.').map_or(0, |(_, f)| f.len()),
                    "{t}"
                );
            }
        }
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn ok(raw: &str) -> Number {
        parse_number(raw).unwrap_or_else(|e| panic!("{raw:?} should parse: {e:?}"))
    }

    fn check(raw: &str, value: &str, unit: Option<Unit>, flags: &[NumFlag]) {
        let n = ok(raw);
        assert_eq!(n.value, dec(value), "value of {raw:?}");
        assert_eq!(n.value.scale(), dec(value).scale(), "scale of {raw:?}");
        assert_eq!(n.unit, unit, "unit of {raw:?}");
        assert_eq!(n.flags, flags, "flags of {raw:?}");
        assert_eq!(n.raw, raw);
    }

    fn is_malformed(raw: &str) -> bool {
        matches!(parse_number(raw), Err(NotANumber::Malformed(_)))
    }

    fn is_ambiguous(raw: &str) -> bool {
        parse_number(raw) == Err(NotANumber::Ambiguous(raw.trim().to_string()))
    }

    /// (text, value, unit) of every number find_numbers reports.
    fn found(text: &str) -> Vec<(String, Decimal, Option<Unit>)> {
        find_numbers(text)
            .into_iter()
            .map(|(r, n)| {
                assert_eq!(&text[r.clone()], n.raw);
                (n.raw, n.value, n.unit)
            })
            .collect()
    }

    use NumFlag::{Fullwidth, ParenNegative, SpacedDecimal, SpacedThousands, ThousandsSeparator};

    #[test]
    fn plain_numbers() {
        check("576.00", "576.00", None, &[]);
        check("0.00", "0.00", None, &[]);
        check("0", "0", None, &[]);
        check("37083.27", "37083.27", None, &[]);
        check("19708126", "19708126", None, &[]);
        check("007", "7", None, &[]);
        assert_eq!(ok("0.00").value.scale(), 2);
        assert_eq!(ok("5382.07").value.to_string(), "5382.07");
    }

    #[test]
    fn spaced_decimal() {
        check("36716. 36", "36716.36", None, &[SpacedDecimal]);
        check("36716 .36", "36716.36", None, &[SpacedDecimal]);
        check("36716 . 36", "36716.36", None, &[SpacedDecimal]);
        check("576. 00", "576.00", None, &[SpacedDecimal]);
        check("36716.\u{3000}36", "36716.36", None, &[SpacedDecimal]);
    }

    #[test]
    fn thousands_separators() {
        check("1,050.00", "1050.00", None, &[ThousandsSeparator]);
        check("5,382.07", "5382.07", None, &[ThousandsSeparator]);
        check("171,915,169", "171915169", None, &[ThousandsSeparator]);
        check(
            "2, 841. 00",
            "2841.00",
            None,
            &[SpacedDecimal, SpacedThousands],
        );
        check(
            "37, 083. 27",
            "37083.27",
            None,
            &[SpacedDecimal, SpacedThousands],
        );
        check(
            "1, 234,567.8",
            "1234567.8",
            None,
            &[SpacedThousands, ThousandsSeparator],
        );
        assert!(is_malformed("1,05.0"));
        assert!(is_malformed("10,50"));
        assert!(is_malformed("1234,567"));
        assert!(is_malformed("1,2345"));
        assert!(is_malformed("0,123"));
        assert!(is_malformed("1,050.00,1"));
        assert!(is_malformed("1,"));
        assert!(is_ambiguous("1, 2"));
        assert!(is_ambiguous("1, 05.0"));
    }

    #[test]
    fn fullwidth_numbers() {
        check("５", "5", None, &[Fullwidth]);
        check("１２", "12", None, &[Fullwidth]);
        check(
            "１，０５０．００",
            "1050.00",
            None,
            &[Fullwidth, ThousandsSeparator],
        );
        check("１０５０．００", "1050.00", None, &[Fullwidth]);
        check("5．5", "5.5", None, &[Fullwidth]);
        check("43.69％", "43.69", Some(Unit::Percent), &[]);
        assert!(is_malformed("３项"));
        assert!(is_malformed("５场"));
        assert!(is_malformed("3项"));
        assert!(is_malformed("2 个"));
    }

    #[test]
    fn percentages_and_comparators() {
        check("435. 2%", "435.2", Some(Unit::Percent), &[SpacedDecimal]);
        check("100.0 %", "100.0", Some(Unit::Percent), &[]);
        check("92.91%", "92.91", Some(Unit::Percent), &[]);
        let n = ok("≥95%");
        assert_eq!(n.value, dec("95"));
        assert_eq!(n.unit, Some(Unit::Percent));
        assert_eq!(n.comparator, Some(Comparator::Ge));
        assert_eq!(n.flags, vec![NumFlag::Comparator]);
        assert_eq!(ok("≤95%").comparator, Some(Comparator::Le));
        assert_eq!(ok(">95%").comparator, Some(Comparator::Gt));
        assert_eq!(ok("<5").comparator, Some(Comparator::Lt));
        assert_eq!(ok(">=90%").comparator, Some(Comparator::Ge));
        assert_eq!(ok("<=1").comparator, Some(Comparator::Le));
        assert_eq!(ok("≥ 98 %").value, dec("98"));
        let n = ok("＞＝5");
        assert_eq!(n.comparator, Some(Comparator::Ge));
        assert_eq!(n.flags, vec![Fullwidth, NumFlag::Comparator]);
        let n = ok("≥-5%");
        assert_eq!(n.value, dec("-5"));
        assert_eq!(parse_number("≥"), Err(NotANumber::NoDigits));
        assert!(is_malformed("≥≥5"));
        assert!(is_malformed("-≥5"));
        assert!(is_malformed("5%%"));
        assert!(is_malformed("5％元"));
    }

    #[test]
    fn units() {
        check("45110404.74 元", "45110404.74", Some(Unit::Yuan), &[]);
        check("45110404.74元", "45110404.74", Some(Unit::Yuan), &[]);
        check(
            "5,757.19 万元",
            "5757.19",
            Some(Unit::WanYuan),
            &[ThousandsSeparator],
        );
        check("1.6万元", "1.6", Some(Unit::WanYuan), &[]);
        check("3.5亿元", "3.5", Some(Unit::YiYuan), &[]);
        check("12 亿元", "12", Some(Unit::YiYuan), &[]);
        check(
            "36716. 36 万元",
            "36716.36",
            Some(Unit::WanYuan),
            &[SpacedDecimal],
        );
        assert!(is_malformed("5 万"));
        assert!(is_malformed("5 千元"));
        assert!(is_malformed("万元 5"));
    }

    #[test]
    fn negatives() {
        check("-12.50", "-12.50", None, &[]);
        check("－12.50", "-12.50", None, &[Fullwidth]);
        check("−1", "-1", None, &[]);
        check("- 3", "-3", None, &[]);
        check("+4.5", "4.5", None, &[]);
        check("＋4.5", "4.5", None, &[Fullwidth]);
        check("（12.50）", "-12.50", None, &[ParenNegative]);
        check("(3.00)", "-3.00", None, &[ParenNegative]);
        check("( 3.00 )", "-3.00", None, &[ParenNegative]);
        check("(3.00)万元", "-3.00", Some(Unit::WanYuan), &[ParenNegative]);
        check(
            "(3.00 万元)",
            "-3.00",
            Some(Unit::WanYuan),
            &[ParenNegative],
        );
        check(
            "（2, 841. 00）",
            "-2841.00",
            None,
            &[SpacedDecimal, SpacedThousands, ParenNegative],
        );
        check("-0.00", "0.00", None, &[]);
        assert!(ok("-0.00").value.is_sign_positive());
        assert_eq!(ok("(0.00)").value.to_string(), "0.00");
        assert!(is_malformed("(3.00"));
        assert!(is_malformed("(-3.00)"));
        assert!(is_malformed("3.00)"));
        assert!(is_malformed("--3"));
        assert!(is_malformed("3-"));
        assert!(is_malformed("1-8"));
    }

    #[test]
    fn whitespace_variants() {
        check("  576.00 ", "576.00", None, &[]);
        check("\t576.00\n", "576.00", None, &[]);
        check("\u{3000}576.00\u{3000}", "576.00", None, &[]);
        check("\u{a0}576.00\u{a0}", "576.00", None, &[]);
        check("\u{feff}1", "1", None, &[]);
        assert_eq!(parse_number(""), Err(NotANumber::Empty));
        assert_eq!(parse_number("   "), Err(NotANumber::Empty));
        assert_eq!(parse_number("\u{3000}\t\n"), Err(NotANumber::Empty));
        // Tabs and line breaks inside are not spaces of a number.
        assert!(is_malformed("36716.\t36"));
        assert!(is_malformed("36716.\n36"));
    }

    #[test]
    fn not_a_number() {
        assert_eq!(parse_number("abc"), Err(NotANumber::NoDigits));
        assert_eq!(parse_number("—"), Err(NotANumber::NoDigits));
        assert_eq!(parse_number("-"), Err(NotANumber::NoDigits));
        assert_eq!(parse_number("五"), Err(NotANumber::NoDigits));
        assert_eq!(parse_number("%"), Err(NotANumber::NoDigits));
        assert_eq!(
            parse_number("37192. 3 65"),
            Err(NotANumber::Ambiguous("37192. 3 65".into()))
        );
        assert!(is_ambiguous("12 34"));
        assert!(is_ambiguous("131.46 131.04"));
        assert!(is_ambiguous("1，  2"));
        assert!(is_ambiguous(" 12 34 "));
        assert!(is_malformed("1.2.3"));
        assert!(is_malformed("2020.12.31"));
        assert!(is_malformed("5."));
        assert!(is_malformed(".5"));
        assert!(is_malformed("5 abc"));
        assert!(is_malformed("a5"));
        assert!(is_malformed("<p>5</p>"));
        assert!(is_malformed("1.234,56"));
        assert!(is_malformed(
            "１２３４５６７８９０１２３４５６７８９０１２３４５６７８９０１"
        ));
        assert_eq!(
            NotANumber::Malformed("x".into()).to_string(),
            "malformed number: x"
        );
    }

    #[test]
    fn decimal_limits() {
        let nines = "9".repeat(200);
        assert!(is_malformed(&nines));
        assert!(is_malformed(&format!("0.{}", "1".repeat(40))));
        assert!(is_malformed("79228162514264337593543950336"));
        check(
            "79228162514264337593543950335",
            "79228162514264337593543950335",
            None,
            &[],
        );
        check(
            "0.0000000000000000000000000001",
            "0.0000000000000000000000000001",
            None,
            &[],
        );
        check(&format!("{}1", "0".repeat(100)), "1", None, &[]);
        assert!(find_numbers(&nines).is_empty());
        assert!(find_numbers(&format!("{nines} 元")).is_empty());
    }

    #[test]
    fn unit_and_flag_names() {
        assert_eq!(Unit::Yuan.as_str(), "yuan");
        assert_eq!(Unit::WanYuan.as_str(), "wan_yuan");
        assert_eq!(Unit::YiYuan.as_str(), "yi_yuan");
        assert_eq!(Unit::Percent.as_str(), "percent");
        assert_eq!(Unit::from_label("元"), Some(Unit::Yuan));
        assert_eq!(Unit::from_label(" 万元 "), Some(Unit::WanYuan));
        assert_eq!(Unit::from_label("亿元"), Some(Unit::YiYuan));
        assert_eq!(Unit::from_label("%"), Some(Unit::Percent));
        assert_eq!(Unit::from_label("\u{3000}％"), Some(Unit::Percent));
        assert_eq!(Unit::from_label("万"), None);
        assert_eq!(Unit::from_label("千元"), None);
        assert_eq!(Unit::from_label(""), None);
        let names: Vec<&str> = ALL_FLAGS.iter().map(NumFlag::as_str).collect();
        assert_eq!(
            names,
            [
                "fullwidth",
                "spaced_decimal",
                "spaced_thousands",
                "thousands_separator",
                "paren_negative",
                "comparator"
            ]
        );
        let mut sorted = ALL_FLAGS;
        sorted.sort();
        assert_eq!(sorted, ALL_FLAGS);
    }

    #[test]
    fn fold_rules() {
        assert_eq!(fold_fullwidth("ＡＢＣ１２３"), "ABC123");
        assert_eq!(fold_fullwidth("ａｂｃｘｙｚ"), "abcxyz");
        assert_eq!(fold_fullwidth("９５％"), "95%");
        assert_eq!(fold_fullwidth("１，０５０．００"), "1,050.00");
        assert_eq!(fold_fullwidth("1，050"), "1,050");
        assert_eq!(fold_fullwidth("＋－／＜＞＝"), "+-/<>=");
        // Prose punctuation is kept.
        let prose = "注：本表（表1）为空，单位：万元。";
        assert!(matches!(fold_fullwidth(prose), Cow::Borrowed(_)));
        assert_eq!(fold_fullwidth(prose), prose);
        let kept = "、。；“”《》（）：，";
        assert!(matches!(fold_fullwidth(kept), Cow::Borrowed(_)));
        assert_eq!(fold_fullwidth("离休 0 人，退休"), "离休 0 人，退休");
        assert_eq!(fold_fullwidth("项目４个，５个"), "项目4个，5个");
        assert_eq!(fold_fullwidth("５，"), "5，");
        assert_eq!(fold_fullwidth("，５"), "，5");
        assert_eq!(fold_fullwidth("注：本表（表１）"), "注：本表（表1）");
        assert!(matches!(fold_fullwidth(""), Cow::Borrowed("")));
        assert!(matches!(fold_fullwidth("abc 123"), Cow::Borrowed(_)));
        assert!(matches!(fold_fullwidth("１"), Cow::Owned(_)));
        // Outside the folded ranges.
        assert_eq!(fold_fullwidth("＠＿\u{3000}"), "＠＿\u{3000}");
    }

    #[test]
    fn find_in_prose() {
        let t = "2019 年度本年支出合计 45110404.74 元。其中：基本支出 19708126 元，占本年支出 43.69%；项";
        assert_eq!(
            found(t),
            vec![
                (
                    "45110404.74 元".into(),
                    dec("45110404.74"),
                    Some(Unit::Yuan)
                ),
                ("19708126 元".into(), dec("19708126"), Some(Unit::Yuan)),
                ("43.69%".into(), dec("43.69"), Some(Unit::Percent)),
            ]
        );
        let t = "2020 年度收、支总计 5,757.19 万元。与 2019 年度相比，收、支总计各减少 523.14 万元，下降 8.3%，主要原因";
        assert_eq!(
            found(t),
            vec![
                ("5,757.19 万元".into(), dec("5757.19"), Some(Unit::WanYuan)),
                ("523.14 万元".into(), dec("523.14"), Some(Unit::WanYuan)),
                ("8.3%".into(), dec("8.3"), Some(Unit::Percent)),
            ]
        );
        let t = "项目支出25402278.74元，占总支出的56.31％。";
        assert_eq!(
            found(t),
            vec![
                ("25402278.74元".into(), dec("25402278.74"), Some(Unit::Yuan)),
                ("56.31％".into(), dec("56.31"), Some(Unit::Percent)),
            ]
        );
        assert_eq!(
            found("占本年支出合计的 100.0 %。规模 3.5亿元"),
            vec![
                ("100.0 %".into(), dec("100.0"), Some(Unit::Percent)),
                ("3.5亿元".into(), dec("3.5"), Some(Unit::YiYuan)),
            ]
        );
        // Unit wrapped onto the next line by pdftotext.
        assert_eq!(
            found("因公出国 59000\n\n元，维护费 9635 元"),
            vec![
                ("59000\n\n元".into(), dec("59000"), Some(Unit::Yuan)),
                ("9635 元".into(), dec("9635"), Some(Unit::Yuan)),
            ]
        );
        // Byte ranges point into the input.
        let t = "合计：435. 2%。";
        let hits = find_numbers(t);
        assert_eq!(hits.len(), 1);
        let (r, n) = &hits[0];
        assert_eq!(&t[r.clone()], "435. 2%");
        assert_eq!(r.start, "合计：".len());
        assert_eq!(n.value, dec("435.2"));
        assert_eq!(n.flags, vec![SpacedDecimal]);
    }

    #[test]
    fn find_noisy_table_cells() {
        let t = "一、一般公共预算财政拨款收入\t1\t36716. 36\t一、一般公共服务支出\t32\t";
        assert_eq!(
            found(t),
            vec![
                ("1".into(), dec("1"), None),
                ("36716. 36".into(), dec("36716.36"), None),
                ("32".into(), dec("32"), None),
            ]
        );
        let hits = find_numbers("本年支出合计\t58\t37, 083. 27\n六、科学技术支出\t37\t2, 841. 00");
        let values: Vec<_> = hits.iter().map(|(_, n)| n.value).collect();
        assert_eq!(
            values,
            [dec("58"), dec("37083.27"), dec("37"), dec("2841.00")]
        );
        assert_eq!(hits[1].1.flags, vec![SpacedDecimal, SpacedThousands]);
        assert_eq!(hits[3].1.value.scale(), 2);
        let hits = find_numbers("其他技术研究与开发支出\t1,050.00\t1, 050. 00");
        assert_eq!(hits[0].1.flags, vec![ThousandsSeparator]);
        assert_eq!(hits[1].1.flags, vec![SpacedDecimal, SpacedThousands]);
        assert_eq!(hits[0].1.value, hits[1].1.value);
        // pdftotext rows: space-separated cells stay separate.
        assert_eq!(
            found("210 卫生健康支出 131.46 131.04 0.42"),
            vec![
                ("131.46".into(), dec("131.46"), None),
                ("131.04".into(), dec("131.04"), None),
                ("0.42".into(), dec("0.42"), None),
            ]
        );
        assert_eq!(
            found("合计 6,050.66 6,050.66"),
            vec![
                ("6,050.66".into(), dec("6050.66"), None),
                ("6,050.66".into(), dec("6050.66"), None),
            ]
        );
        // Two spaced-decimal cells in a row are two numbers.
        assert_eq!(
            found("36716. 36 366. 91"),
            vec![
                ("36716. 36".into(), dec("36716.36"), None),
                ("366. 91".into(), dec("366.91"), None),
            ]
        );
        // Full-width digits and separators.
        let hits = find_numbers("合计１，０５０．００万元");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].1.value, dec("1050.00"));
        assert_eq!(hits[0].1.unit, Some(Unit::WanYuan));
        assert_eq!(hits[0].1.flags, vec![Fullwidth, ThousandsSeparator]);
    }

    #[test]
    fn find_ambiguous_and_rejected() {
        // Garbled cell: neither 37192.3 nor 65 is reported.
        let t = "年度财政资金总额\t37192. 3 65\t33033.7\t88.8%\t17.76";
        assert_eq!(
            found(t),
            vec![
                ("33033.7".into(), dec("33033.7"), None),
                ("88.8%".into(), dec("88.8"), Some(Unit::Percent)),
                ("17.76".into(), dec("17.76"), None),
            ]
        );
        // Counts with measure words, years, codes followed by words.
        assert!(found("院士专家项目落地３项；举办科技成果转化活动５场，").is_empty());
        assert!(found("实有人数 10 人，其中：行政 10 人，2019 年度").is_empty());
        assert!(found("201 一般公共服务支出").is_empty());
        // List markers and headings.
        assert!(found("1. 科学技术支出(类)。2.公务用车 3、其他 （1）基本 (2) 项目").is_empty());
        assert!(found("<p>1. 2020年年初预算</p> <p>3. 2021年</p>").is_empty());
        assert!(found("(武政规〔2018〕22号, 江财【2014】31号, 江政办[2020]18号)").is_empty());
        assert_eq!(
            found("<p>1. 2020年年初预算安排47万元，年中调减指标23.5万元</p>"),
            vec![
                ("47万元".into(), dec("47"), Some(Unit::WanYuan)),
                ("23.5万元".into(), dec("23.5"), Some(Unit::WanYuan)),
            ]
        );
        // Ranges, dates, formulas.
        assert!(found("2021年1-8月执行情况").is_empty());
        assert!(found("1栏=（2+3+6）栏；27行 = (1+2+3+4+5+6+7+8) 行").is_empty());
        assert!(found("日期 2020-12-31，2020/12/31，10:30").is_empty());
        assert!(found("版本 2020.12.31 与 1,05.0").is_empty());
        // Identifiers and markup.
        assert!(found("公共 WIFI6 服务 H5 页面 <td colspan=\"2\"> ^{2.}").is_empty());
        // Nothing is glued across a Chinese word.
        assert_eq!(
            found("支出 5.9 万元比 36 个 .5"),
            vec![("5.9 万元".into(), dec("5.9"), Some(Unit::WanYuan))]
        );
    }

    #[test]
    fn find_signs_comparators_parens() {
        let hits = find_numbers("满意率≥95%，成本≤ 90%，<p>5</p>，增长-5.2%，较上年－1.0万元");
        let got: Vec<_> = hits
            .iter()
            .map(|(_, n)| (n.raw.as_str(), n.value, n.comparator))
            .collect();
        assert_eq!(
            got,
            vec![
                ("≥95%", dec("95"), Some(Comparator::Ge)),
                ("≤ 90%", dec("90"), Some(Comparator::Le)),
                ("5", dec("5"), None),
                ("-5.2%", dec("-5.2"), None),
                ("－1.0万元", dec("-1.0"), None),
            ]
        );
        assert_eq!(hits[0].1.flags, vec![NumFlag::Comparator]);
        assert_eq!(hits[4].1.flags, vec![Fullwidth]);
        // 10%-20%: a range of two positive percentages.
        assert_eq!(
            found("10%-20%"),
            vec![
                ("10%".into(), dec("10"), Some(Unit::Percent)),
                ("20%".into(), dec("20"), Some(Unit::Percent)),
            ]
        );
        // Accounting negative in a row vs. a prose aside with a unit.
        let hits = find_numbers("行政运行 (3.00) 5.00，三公经费（5.9 万元）");
        assert_eq!(hits.len(), 3);
        assert_eq!(hits[0].1.raw, "(3.00)");
        assert_eq!(hits[0].1.value, dec("-3.00"));
        assert_eq!(hits[0].1.flags, vec![ParenNegative]);
        assert_eq!(hits[1].1.value, dec("5.00"));
        assert_eq!(hits[2].1.raw, "5.9 万元");
        assert_eq!(hits[2].1.value, dec("5.9"));
        assert!(hits[2].1.flags.is_empty());
        let hits = find_numbers("（12.50）");
        assert_eq!(hits[0].0, 0.."（12.50）".len());
        assert_eq!(hits[0].1.value, dec("-12.50"));
    }

    #[test]
    fn find_agrees_with_parse_on_single_tokens() {
        for raw in [
            "36716. 36",
            "2, 841. 00",
            "37, 083. 27",
            "1,050.00",
            "５",
            "435. 2%",
            "≥95%",
            "45110404.74 元",
            "171,915,169",
            "-12.50",
            "－12.50",
            "（12.50）",
            "(3.00)",
            "−1",
            "0.00",
            "3.5亿元",
            "１，０５０．００",
        ] {
            let parsed = ok(raw);
            let hits = find_numbers(raw);
            assert_eq!(hits.len(), 1, "{raw:?}");
            assert_eq!(hits[0].0, 0..raw.len(), "{raw:?}");
            assert_eq!(hits[0].1, parsed, "{raw:?}");
        }
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            ("零", 0),
            ("〇", 0),
            ("一", 1),
            ("二", 2),
            ("两", 2),
            ("九", 9),
            ("十", 10),
            ("十一", 11),
            ("十九", 19),
            ("二十", 20),
            ("一十", 10),
            ("二十三", 23),
            ("九十九", 99),
            ("一百", 100),
            ("两百", 200),
            ("一百零五", 105),
            ("一百〇五", 105),
            ("一百一十", 110),
            ("一百一十一", 111),
            ("三百二十", 320),
            ("九百九十九", 999),
            ("3", 3),
            ("１２", 12),
            ("０", 0),
            (" 十二 ", 12),
        ];
        for (s, v) in cases {
            assert_eq!(chinese_numeral(s), Some(v), "{s:?}");
        }
        for s in [
            "",
            " ",
            "十十",
            "一二",
            "百",
            "一百十",
            "零五",
            "两十",
            "十两",
            "一百零",
            "一百零十",
            "一千",
            "九百九十九九",
            "二十三四",
            "1二",
            "abc",
            "十a",
            "第三",
            "-1",
            "99999999999",
        ] {
            assert_eq!(chinese_numeral(s), None, "{s:?}");
        }
        assert_eq!(chinese_numeral("4294967295"), Some(u32::MAX));
        assert_eq!(chinese_numeral("4294967296"), None);
    }

    #[test]
    fn odd_inputs_never_panic() {
        let long_digits = "9".repeat(200);
        let long_spaced = "1 ".repeat(5000);
        let long_commas = "1,000".repeat(3000);
        let long_dots = "1. ".repeat(5000);
        let long_fw = "９".repeat(300);
        let inputs: Vec<String> = [
            "",
            " ",
            "\u{0}",
            "\u{feff}",
            "\u{10ffff}",
            "\u{fffd}\u{fffd}",
            "𝟘𝟙𝟚",
            "١٢٣",
            "(",
            ")",
            "（",
            "（）",
            "()",
            "(%)",
            "((1))",
            "≥",
            "≥=",
            ">=",
            "=>5",
            "-",
            "--",
            "+-1",
            "−",
            ".",
            "..",
            ". 5",
            "5 .",
            ",",
            ",5",
            "5,",
            "5, ",
            "，，",
            "1，",
            "1.，2",
            "%5",
            "5%5",
            "元",
            "万元",
            "5万元元",
            "1e10",
            "0x10",
            "1_000",
            "NaN",
            "inf",
            "-0",
            "(0)",
            "０．",
            "１，",
            "1,000,",
            "1,000.",
            "1,000. ",
            "1, 000, 00",
            "37192. 3 65",
            "\t\n\r",
            "a\u{301}1\u{301}",
            "1\u{200b}2",
            "¹²³",
            "①②",
            "Ⅻ",
            "２\u{ff0e}\u{ff0e}３",
            "<p>≥</p>",
            "(1)(2)(3)",
            "1-",
            "-1-",
            "1.2.",
            "......1",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([
            long_digits.clone(),
            format!("-{long_digits}"),
            format!("{long_digits}.{long_digits}"),
            format!("0.{long_digits}"),
            format!("({long_digits})"),
            format!("≥{long_digits}%"),
            long_spaced,
            long_commas,
            long_dots,
            long_fw,
        ])
        .collect();
        for s in &inputs {
            let _ = parse_number(s);
            let _ = fold_fullwidth(s);
            let _ = chinese_numeral(s);
            for (r, n) in find_numbers(s) {
                assert!(s.get(r.clone()).is_some(), "range {r:?} in {s:?}");
                assert_eq!(n.raw, s[r].to_string());
            }
            // Embedded in prose too.
            let t = format!("合计{s}万元，{s}\t{s}");
            for (r, _) in find_numbers(&t) {
                assert!(t.get(r).is_some());
            }
        }
        assert!(is_malformed(&long_digits));
        assert!(find_numbers(&long_digits).is_empty());
    }

    #[test]
    fn every_byte_pattern_is_safe() {
        // Every short combination of the characters the scanner cares about.
        let alphabet = [
            "1", "９", ".", "．", ",", "，", " ", "\t", "\n", "(", "）", "-", "－", "≥", ">", "=",
            "%", "元", "万", "项", "a",
        ];
        let mut s = String::new();
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for d in ["1", "．", " ", "元"] {
                        s.clear();
                        s.push_str(a);
                        s.push_str(b);
                        s.push_str(c);
                        s.push_str(d);
                        let _ = parse_number(&s);
                        let _ = chinese_numeral(&s);
                        let _ = fold_fullwidth(&s);
                        let mut last = 0;
                        for (r, _) in find_numbers(&s) {
                            assert!(r.start >= last || last == 0, "overlap in {s:?}");
                            assert!(s.get(r.clone()).is_some());
                            last = r.end;
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn linear_on_large_input() {
        let unit = "支出 36716. 36 万元，占 95.1 %；2, 841. 00\t项目３项 1-8月 ";
        let big = unit.repeat(20_000);
        let hits = find_numbers(&big);
        assert_eq!(hits.len(), 3 * 20_000);
        let spaces = format!("1{}", " ".repeat(1_000_000));
        assert_eq!(find_numbers(&spaces).len(), 1);
        assert!(parse_number(&spaces).is_ok());
    }
}
