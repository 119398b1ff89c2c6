//! Fuzz the number normaliser: `parse_number`, `find_numbers`, `fold_fullwidth`,
//! `chinese_numeral` and `Unit::from_label` on arbitrary text (valid UTF-8 as is, other bytes
//! decoded lossily), with the invariants that hold by design.
#![no_main]

use govdocs_core::normalize::{
    chinese_numeral, find_numbers, fold_fullwidth, is_trim_space, parse_number, Unit,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;

    if let Ok(n) = parse_number(s) {
        // `raw` is the input unchanged.
        assert_eq!(n.raw, s);
        // The exact value printed plainly (`-1234.50`) reads back as the same value and scale,
        // with no repair flag: the plain form needs none.
        let plain = n.value.to_string();
        let again = parse_number(&plain).unwrap_or_else(|e| panic!("{plain:?} from {s:?}: {e:?}"));
        assert_eq!(again.value, n.value, "{plain:?} from {s:?}");
        assert_eq!(again.value.scale(), n.value.scale(), "{plain:?} from {s:?}");
        assert!(
            again.flags.is_empty(),
            "{plain:?} from {s:?}: {:?}",
            again.flags
        );
    }

    // Prose numbers: in order, non-overlapping, on char boundaries, `raw` is the slice.
    let mut last_end = 0;
    for (range, n) in find_numbers(s) {
        assert!(range.start >= last_end && range.start < range.end && range.end <= s.len());
        assert!(s.is_char_boundary(range.start) && s.is_char_boundary(range.end));
        assert_eq!(&s[range.clone()], n.raw);
        last_end = range.end;
    }

    // Folding is idempotent and never changes the number of characters.
    let folded = fold_fullwidth(s);
    assert_eq!(folded.chars().count(), s.chars().count());
    assert_eq!(fold_fullwidth(&folded), folded);

    // A numeral label is 0..=999 unless it is written in digits (around which the numeral
    // reader also trims zero-width spaces and byte-order marks).
    if let Some(v) = chinese_numeral(s) {
        let digits = s
            .trim_matches(is_trim_space)
            .chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        assert!(digits || v <= 999, "{s:?} -> {v}");
    }

    let _ = Unit::from_label(s);
});
