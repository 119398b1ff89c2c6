//! Parse the arithmetic a table states about itself in its `注` lines:
//! `1栏各行 = (2+3+4+5+6+7) 栏各行`, `27行 = (1+2+…+8) 行`, `57行 = (31+32+...+56) 行`,
//! `6栏各行=（1+2-3）栏各行`, `1栏=（2+3+6）栏；3栏=（4+5）栏`.

use crate::normalize::fold_fullwidth;
use regex::Regex;
use std::sync::LazyLock;

/// Whether an identity relates columns (栏, for each row) or rows (行, for each column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// `N栏(各行) = (…)栏`: within each row, column N equals the signed sum of the other columns.
    Columns,
    /// `N行 = (…)行`: within each column, row N (its 行次) equals the signed sum of the other rows.
    Rows,
}

/// One stated identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Columns (栏) or rows (行).
    pub axis: Axis,
    /// The number on the left-hand side.
    pub lhs: u32,
    /// The signed terms on the right-hand side: (+1 or -1, number).
    pub terms: Vec<(i8, u32)>,
    /// The identity as printed.
    pub text: String,
}

static RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]+)\s*(栏|行)\s*(?:各\s*行)?\s*=\s*[（(]?\s*([0-9+\-−.…。、\s]+?)\s*[)）]?\s*(栏|行)").unwrap()
});

/// Find every identity stated in a note text.
pub fn parse_identities(notes: &str) -> Vec<Identity> {
    let folded = fold_fullwidth(notes).replace('＝', "=");
    let mut out = Vec::new();
    for c in RULE.captures_iter(&folded) {
        if c[2] != c[4] {
            continue;
        }
        let axis = if &c[2] == "栏" {
            Axis::Columns
        } else {
            Axis::Rows
        };
        let Ok(lhs) = c[1].parse() else { continue };
        let Some(terms) = parse_terms(&c[3]) else {
            continue;
        };
        if terms.is_empty() || terms.iter().any(|&(_, n)| n == lhs) {
            continue;
        }
        out.push(Identity {
            axis,
            lhs,
            terms,
            text: c[0].trim().to_string(),
        });
    }
    out
}

/// Parse `2+3-4` or `31+32+...+56` into signed terms; `None` when malformed.
fn parse_terms(s: &str) -> Option<Vec<(i8, u32)>> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s
        .replace("...", "…")
        .replace("。。。", "…")
        .replace('−', "-");
    let mut terms: Vec<(i8, u32)> = Vec::new();
    let mut sign = 1i8;
    let mut range_pending = false;
    for tok in s.split_inclusive(['+', '-']) {
        let (body, next_sign) = match tok.chars().last() {
            Some('+') => (&tok[..tok.len() - 1], 1),
            Some('-') => (&tok[..tok.len() - 1], -1),
            _ => (tok, 1),
        };
        if body == "…"
            || body == "."
            || body.chars().all(|c| c == '.' || c == '…') && !body.is_empty()
        {
            range_pending = true;
        } else if !body.is_empty() {
            let n: u32 = body.parse().ok()?;
            if range_pending {
                let &(s0, from) = terms.last()?;
                if n <= from || n - from > 500 {
                    return None;
                }
                terms.extend((from + 1..n).map(|k| (s0, k)));
                range_pending = false;
            }
            terms.push((sign, n));
        }
        sign = next_sign;
    }
    Some(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> (Axis, u32, Vec<(i8, u32)>) {
        let v = parse_identities(s);
        assert_eq!(v.len(), 1, "{s}: {v:?}");
        (v[0].axis, v[0].lhs, v[0].terms.clone())
    }

    fn plus(ns: impl IntoIterator<Item = u32>) -> Vec<(i8, u32)> {
        ns.into_iter().map(|n| (1, n)).collect()
    }

    #[test]
    fn forms_from_the_documents() {
        assert_eq!(
            one("1栏各行 = (2+3+4+5+6+7) 栏各行。"),
            (Axis::Columns, 1, plus(2..=7))
        );
        assert_eq!(
            one("27行 = (1+2+3+4+5+6+7+8) 行；"),
            (Axis::Rows, 27, plus(1..=8))
        );
        assert_eq!(
            one("57行 = (31+32+...+56) 行"),
            (Axis::Rows, 57, plus(31..=56))
        );
        assert_eq!(
            one("59行=（33+34+…+58）行"),
            (Axis::Rows, 59, plus(33..=58))
        );
        assert_eq!(
            one("6栏各行=（1+2-3）栏各行"),
            (Axis::Columns, 6, vec![(1, 1), (1, 2), (-1, 3)])
        );
        assert_eq!(
            one("27行＝（1+2+3+4+5+6+7+8）行"),
            (Axis::Rows, 27, plus(1..=8))
        );
    }

    #[test]
    fn several_in_one_note() {
        let v =
            parse_identities("1栏=（2+3+6）栏；3栏=（4+5）栏；7栏=（8+9+12）栏；9栏=（10+11）栏。");
        let got: Vec<_> = v.iter().map(|i| (i.lhs, i.terms.len())).collect();
        assert_eq!(got, [(1, 3), (3, 2), (7, 3), (9, 2)]);
        let v = parse_identities("27行 = (1+2+3+4+5+6+7+8) 行；30行 = (27+28+29) 行；");
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].text, "30行 = (27+28+29) 行");
    }

    #[test]
    fn prose_is_not_an_identity() {
        assert!(parse_identities("注：本表反映部门本年度的总收支和年末结转结余情况。").is_empty());
        assert!(parse_identities("2. 本套报表金额单位转换时可能存在尾数误差。").is_empty());
        assert!(parse_identities("1栏 = (1+2) 栏").is_empty());
    }
}
