//! Analyst-ready facts: what a value means across documents. Amounts converted to 元
//! ([`amount_yuan`]), the role of a row in its table ([`RowRole`]) and the canonical measure of a
//! column ([`measure_std`], from the vocabulary in `catalogue/standard_tables.toml`).

use crate::normalize::Unit;
use rust_decimal::Decimal;

/// An amount converted to 元, exactly: × 1 for 元, × 10 000 for 万元, × 100 000 000 for 亿元.
/// `None` when the unit is unknown or not money (a percentage), or the product does not fit
/// a `Decimal` (never for a printed amount).
pub fn amount_yuan(value: Decimal, unit: Option<Unit>) -> Option<Decimal> {
    let factor = match unit? {
        Unit::Yuan => 1i64,
        Unit::WanYuan => 10_000,
        Unit::YiYuan => 100_000_000,
        Unit::Percent => return None,
    };
    value
        .checked_mul(Decimal::from(factor))
        .map(|d| d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_become_yuan_exactly() {
        // 003 公开01表 prints `36716. 36` 万元: 367 163 600 元.
        assert_eq!(
            amount_yuan(d("36716.36"), Some(Unit::WanYuan)),
            Some(d("367163600"))
        );
        // 万元 to the yuan cent (six places) stays exact.
        assert_eq!(
            amount_yuan(d("9616.338314"), Some(Unit::WanYuan)),
            Some(d("96163383.14"))
        );
        assert_eq!(
            amount_yuan(d("45110404.74"), Some(Unit::Yuan)),
            Some(d("45110404.74"))
        );
        assert_eq!(
            amount_yuan(d("1.25"), Some(Unit::YiYuan)),
            Some(d("125000000"))
        );
        assert_eq!(
            amount_yuan(d("-0.50"), Some(Unit::WanYuan)),
            Some(d("-5000"))
        );
        assert_eq!(amount_yuan(d("435.2"), Some(Unit::Percent)), None);
        assert_eq!(amount_yuan(d("12"), None), None);
        assert_eq!(amount_yuan(Decimal::MAX, Some(Unit::YiYuan)), None);
    }
}
