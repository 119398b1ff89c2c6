//! Generate documents from the text samples: another department (district), other years,
//! amounts scaled by one integer factor per document, and number noise from DOMAIN.md.

use crate::rng::Rng;

/// The districts of Wuhan (every one three characters long, so line widths do not change).
pub const DISTRICTS: [&str; 12] = [
    "江岸区",
    "江汉区",
    "硚口区",
    "汉阳区",
    "武昌区",
    "青山区",
    "洪山区",
    "蔡甸区",
    "江夏区",
    "黄陂区",
    "新洲区",
    "汉南区",
];

/// A text sample to derive documents from.
#[derive(Debug, Clone)]
pub struct Source {
    /// File name of the sample (for naming generated files).
    pub name: String,
    /// The sample's text (UTF-8).
    pub text: String,
    /// The district named most often in the sample: the department's own.
    pub district: Option<&'static str>,
    /// Years written before `年` in the sample (`2020 年度`, `2021年10月`).
    pub years: Vec<u32>,
}

impl Source {
    /// Read what the generator needs to know about a sample's text.
    pub fn new(name: &str, text: String) -> Source {
        let district = DISTRICTS
            .iter()
            .map(|d| (text.matches(d).count(), *d))
            .filter(|&(n, _)| n > 0)
            .max_by_key(|&(n, _)| n)
            .map(|(_, d)| d);
        let mut years = Vec::new();
        for_each_number(&text, |tok, after| {
            if let Some(y) = year_of(tok) {
                if after.trim_start_matches(' ').starts_with('年') && !years.contains(&y) {
                    years.push(y);
                }
            }
        });
        years.sort_unstable();
        Source {
            name: name.to_string(),
            text,
            district,
            years,
        }
    }
}

/// How one generated document differs from its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The district that replaces the source's throughout.
    pub district: &'static str,
    /// Years added to every year of the document (never 0).
    pub year_delta: i32,
    /// Integer factor every amount is multiplied by (2..=9).
    pub factor: u32,
    /// Chance, per mille, that an amount gets noise.
    pub noise_per_mille: u32,
    /// Seed of the noise choices.
    pub noise_seed: u64,
}

impl Variant {
    /// Draw a variant for `src`: a district other than its own, a year shift in ±1..=4, a
    /// factor in 2..=9, noise on 15% of amounts.
    pub fn draw(src: &Source, rng: &mut Rng) -> Variant {
        let others: Vec<&'static str> = DISTRICTS
            .iter()
            .copied()
            .filter(|d| Some(*d) != src.district)
            .collect();
        let district = others[rng.below(others.len() as u64) as usize];
        let shift = rng.below(4) as i32 + 1;
        let year_delta = if rng.chance(500) { shift } else { -shift };
        Variant {
            district,
            year_delta,
            factor: rng.below(8) as u32 + 2,
            noise_per_mille: 150,
            noise_seed: rng.next_u64(),
        }
    }
}

/// The text of the document `v` derives from `src`.
pub fn generate(src: &Source, v: &Variant) -> String {
    let text = match src.district {
        Some(d) => src.text.replace(d, v.district),
        None => src.text.clone(),
    };
    let mut g = Gen {
        v,
        years: &src.years,
        rng: Rng::new(v.noise_seed),
        out: String::with_capacity(text.len() + text.len() / 8),
    };
    for line in text.split_inclusive('\n') {
        if line.contains('\t') {
            for (i, cell) in line.split('\t').enumerate() {
                if i > 0 {
                    g.out.push('\t');
                }
                g.cell(cell);
            }
        } else {
            g.prose(line);
        }
    }
    g.out
}

/// A number written with ASCII digits, as found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Amount {
    /// All digits, integer part then decimals, as one integer.
    digits: u128,
    /// Number of decimals (0 or 2 for amounts).
    decimals: u32,
    /// Written with thousands separators.
    commas: bool,
}

impl Amount {
    /// The amount multiplied by `k`, with the same decimals and separator style.
    fn scaled(&self, k: u32) -> Amount {
        Amount {
            digits: self.digits * u128::from(k),
            ..*self
        }
    }

    /// The integer part and the decimals as digit strings.
    fn parts(&self) -> (String, String) {
        let p = 10u128.pow(self.decimals);
        let int = (self.digits / p).to_string();
        let frac = format!(
            "{:0width$}",
            self.digits % p,
            width = self.decimals as usize
        );
        (
            int,
            if self.decimals == 0 {
                String::new()
            } else {
                frac
            },
        )
    }

    /// Write the amount: `sep` between thousands groups (when it has them), `point` before the
    /// decimals.
    fn write(&self, thousands: Option<&str>, point: &str) -> String {
        let (int, frac) = self.parts();
        let mut s = String::new();
        match thousands {
            Some(sep) => {
                let first = int.len() % 3;
                for (i, ch) in int.chars().enumerate() {
                    if i > 0 && (i + 3 - first) % 3 == 0 {
                        s.push_str(sep);
                    }
                    s.push(ch);
                }
            }
            None => s.push_str(&int),
        }
        if self.decimals > 0 {
            s.push_str(point);
            s.push_str(&frac);
        }
        s
    }

    /// The plain form in the source's style (`1,050.00` or `1050.00`).
    fn plain(&self) -> String {
        self.write(self.commas.then_some(","), ".")
    }
}

/// Full-width digits for ASCII ones.
fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A four-digit year 1900..=2099.
fn year_of(tok: &str) -> Option<u32> {
    if tok.len() == 4 && (tok.starts_with("19") || tok.starts_with("20")) {
        tok.parse().ok()
    } else {
        None
    }
}

/// Parse a whole table cell that is one amount with two decimals or thousands separators,
/// noisy forms included (`36716. 36`, `2, 841. 00`).
fn cell_amount(t: &str) -> Option<Amount> {
    let b = t.as_bytes();
    let mut i = 0;
    let digits_from = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let n = digits_from(0);
    if n == 0 {
        return None;
    }
    let mut int = t[..n].to_string();
    i += n;
    let mut commas = false;
    while i < b.len() && b[i] == b',' {
        let mut j = i + 1;
        if j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if digits_from(j) != 3 || n > 3 {
            return None;
        }
        int.push_str(&t[j..j + 3]);
        commas = true;
        i = j + 3;
    }
    let mut decimals = 0;
    if i < b.len() && b[i] == b'.' {
        let mut j = i + 1;
        if j < b.len() && b[j] == b' ' {
            j += 1;
        }
        let d = digits_from(j);
        if d != 2 {
            return None;
        }
        int.push_str(&t[j..j + 2]);
        decimals = 2;
        i = j + 2;
    }
    if i != b.len() || (decimals == 0 && !commas) {
        return None;
    }
    Some(Amount {
        digits: int.parse().ok()?,
        decimals,
        commas,
    })
}

/// Call `f(token, rest_of_text)` for every run of ASCII digits with optional thousands groups
/// (`,ddd`) and decimals (`.d+`) that does not continue another number; return nothing.
fn for_each_number(s: &str, mut f: impl FnMut(&str, &str)) {
    scan_numbers(s, |tok, after| {
        f(tok, after);
        None
    });
}

/// Walk `s`, calling `f(token, rest)` on every number token; the token is replaced by what `f`
/// returns (kept when `None`). Returns the rewritten text.
fn scan_numbers(s: &str, mut f: impl FnMut(&str, &str) -> Option<String>) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.' || b[i - 1] == b','));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let first_group = j - i;
        // Thousands groups: `,ddd` not followed by a digit, after a first group of 1-3 digits.
        while first_group <= 3
            && j + 4 <= b.len()
            && b[j] == b','
            && b[j + 1..j + 4].iter().all(u8::is_ascii_digit)
            && !(j + 4 < b.len() && b[j + 4].is_ascii_digit())
        {
            j += 4;
        }
        if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
            j += 1;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
        }
        out.push_str(&s[last..i]);
        match f(&s[i..j], &s[j..]) {
            Some(r) => out.push_str(&r),
            None => out.push_str(&s[i..j]),
        }
        last = j;
        i = j;
    }
    out.push_str(&s[last..]);
    out
}

/// Parse a prose token (`5,349.26`, `131.46`, `171,915,169`) as an amount to scale: two
/// decimals, or an integer with thousands separators.
fn token_amount(tok: &str) -> Option<Amount> {
    let (int, frac) = match tok.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (tok, None),
    };
    let commas = int.contains(',');
    let decimals = match frac {
        Some(f) if f.len() == 2 => 2,
        Some(_) => return None,
        None if commas => 0,
        None => return None,
    };
    let digits: String = int
        .chars()
        .filter(|c| *c != ',')
        .chain(frac.unwrap_or("").chars())
        .collect();
    Some(Amount {
        digits: digits.parse().ok()?,
        decimals,
        commas,
    })
}

/// The state of one document's generation.
struct Gen<'a> {
    v: &'a Variant,
    years: &'a [u32],
    rng: Rng,
    out: String,
}

impl Gen<'_> {
    /// A tab-separated cell: a whole-cell amount is scaled and may get any noise form; other
    /// cells are treated as prose.
    fn cell(&mut self, cell: &str) {
        let t = cell.trim();
        let Some(a) = cell_amount(t) else {
            self.prose(cell);
            return;
        };
        let lead = &cell[..cell.len() - cell.trim_start().len()];
        let trail = &cell[cell.trim_end().len()..];
        let a = a.scaled(self.v.factor);
        let text = if self.rng.chance(self.v.noise_per_mille) {
            match self.rng.below(3) {
                0 => fullwidth(&a.plain()),
                1 if a.decimals > 0 => a.write(a.commas.then_some(","), ". "),
                _ if a.digits / 10u128.pow(a.decimals) >= 1000 => a.write(Some(", "), ". "),
                _ if a.decimals > 0 => a.write(None, ". "),
                _ => fullwidth(&a.plain()),
            }
        } else {
            a.plain()
        };
        self.out.push_str(lead);
        self.out.push_str(&text);
        self.out.push_str(trail);
    }

    /// Running text (or a space-separated row): years shifted, amounts scaled; in sentences
    /// (a line with `，` or `。`) some amounts get full-width digits, as DOMAIN.md saw them in
    /// prose. Space-separated table rows get no noise: a space inside a number would split it,
    /// and full-width amounts were not seen in such rows.
    fn prose(&mut self, s: &str) {
        let v = self.v;
        let years = self.years;
        let sentence = s.contains(['，', '。']);
        let rng = &mut self.rng;
        let out = scan_numbers(s, |tok, after| {
            if let Some(y) = year_of(tok) {
                if after.trim_start_matches(' ').starts_with('年') || years.contains(&y) {
                    return Some((y as i32 + v.year_delta).to_string());
                }
                return None;
            }
            let a = token_amount(tok)?;
            if a.decimals > 0 && after.trim_start_matches(' ').starts_with(['%', '％']) {
                return None;
            }
            let a = a.scaled(v.factor);
            if sentence && rng.chance(v.noise_per_mille / 3) {
                Some(fullwidth(&a.plain()))
            } else {
                Some(a.plain())
            }
        });
        self.out.push_str(&out);
    }
}

/// A copy of a PDF that differs from it in bytes but not in content: a comment line after the
/// final `%%EOF`, which readers ignore.
pub fn pdf_copy(pdf: &[u8], copy: usize) -> Vec<u8> {
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.extend_from_slice(format!("% govdocs-corpus copy {copy}\n").as_bytes());
    out
}

/// Parse a size such as `200MB`, `50 MB`, `1GB`, `512KiB` or `1000000` into bytes (MB = 10^6).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some((n * mult).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_amounts_read_noisy_forms() {
        let a = cell_amount("36716. 36").unwrap();
        assert_eq!((a.digits, a.decimals, a.commas), (3671636, 2, false));
        let a = cell_amount("2, 841. 00").unwrap();
        assert_eq!((a.digits, a.decimals, a.commas), (284100, 2, true));
        let a = cell_amount("171,915,169").unwrap();
        assert_eq!((a.digits, a.decimals, a.commas), (171915169, 0, true));
        assert_eq!(cell_amount("2060101"), None, "codes are not amounts");
        assert_eq!(cell_amount("12.5"), None);
        assert_eq!(cell_amount("37192. 3 65"), None);
        assert_eq!(cell_amount("1234,567.00"), None);
    }

    #[test]
    fn amounts_scale_and_write_in_every_form() {
        let a = cell_amount("1,050.07").unwrap().scaled(3);
        assert_eq!(a.plain(), "3,150.21");
        assert_eq!(a.write(Some(", "), ". "), "3, 150. 21");
        assert_eq!(a.write(None, ". "), "3150. 21");
        assert_eq!(fullwidth(&a.plain()), "３,１５０.２１");
        let z = cell_amount("0.00").unwrap().scaled(7);
        assert_eq!(z.plain(), "0.00");
        let big = token_amount("171,915,169").unwrap().scaled(2);
        assert_eq!(big.plain(), "343,830,338");
    }

    #[test]
    fn prose_years_and_amounts_change_codes_and_percentages_do_not() {
        let src = Source::new("t", "2020 年度部门决算，2021年10月\n".into());
        assert_eq!(src.years, [2020, 2021]);
        let v = Variant {
            district: "洪山区",
            year_delta: -2,
            factor: 3,
            noise_per_mille: 0,
            noise_seed: 1,
        };
        let s = Source::new(
            "t",
            "江汉区 2020 年度支出 5,349.26 万元，占 95.10 %。2060101 科目 2020项目\n".into(),
        );
        assert_eq!(
            generate(&s, &v),
            "洪山区 2018 年度支出 16,047.78 万元，占 95.10 %。2060101 科目 2018项目\n"
        );
    }

    #[test]
    fn tab_cells_keep_their_place() {
        let s = Source::new("t", "合计\t\t5,382.07\t 36716. 36 \t3\n".into());
        let v = Variant {
            district: "洪山区",
            year_delta: 1,
            factor: 2,
            noise_per_mille: 0,
            noise_seed: 1,
        };
        assert_eq!(generate(&s, &v), "合计\t\t10,764.14\t 73432.72 \t3\n");
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("200MB"), Some(200_000_000));
        assert_eq!(parse_size("50 mb"), Some(50_000_000));
        assert_eq!(parse_size("1.5GB"), Some(1_500_000_000));
        assert_eq!(parse_size("2MiB"), Some(2 * 1024 * 1024));
        assert_eq!(parse_size("12"), Some(12));
        assert_eq!(parse_size("12 parsecs"), None);
    }

    #[test]
    fn pdf_copies_differ_after_eof_only() {
        let pdf = b"%PDF-1.4\n...\n%%EOF\n";
        let c1 = pdf_copy(pdf, 1);
        let c2 = pdf_copy(pdf, 2);
        assert!(c1.starts_with(pdf) && c2.starts_with(pdf));
        assert_ne!(c1, c2);
    }
}
