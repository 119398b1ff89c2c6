//! Plots as inline SVG: horizontal bar charts and a histogram, drawn by the report itself (no
//! script, no network).

use crate::html::esc;
use std::fmt::Write;

/// One bar: label, value, CSS class of its colour.
pub struct Bar {
    /// What the bar counts.
    pub label: String,
    /// The count.
    pub value: u64,
    /// Colour class (`ok`, `failed`, `verified` …).
    pub class: &'static str,
}

/// A horizontal bar chart titled `title`, one bar per entry with its count at its end.
pub fn bars(title: &str, id: &str, bars: &[Bar]) -> String {
    let row = 22;
    let label_w = 190;
    let bar_w = 300.0;
    let h = 30 + row * bars.len().max(1);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        "<figure class=\"plot\" id=\"{id}\"><figcaption>{}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">",
        esc(title),
        label_w + bar_w as usize + 70,
        esc(title)
    );
    if bars.is_empty() {
        s.push_str("<text x=\"4\" y=\"20\" class=\"none\">nothing to show</text>");
    }
    for (i, b) in bars.iter().enumerate() {
        let y = 10 + i * row;
        let w = (b.value as f64 / max * bar_w).max(if b.value > 0 { 1.0 } else { 0.0 });
        let _ = write!(
            s,
            "<g class=\"bar {}\" data-label=\"{}\" data-value=\"{}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{}\" class=\"n\">{}</text></g>",
            b.class,
            esc(&b.label),
            b.value,
            label_w - 6,
            y + 14,
            esc(&b.label),
            label_w,
            row - 6,
            esc(&b.label),
            b.value,
            label_w as f64 + w + 4.0,
            y + 14,
            b.value
        );
    }
    s.push_str("</svg></figure>\n");
    s
}

/// The verified shares of documents as a histogram of ten bins (0–10 % … 90–100 %, the last
/// bin holding exactly 100 %), plus a bar for documents without amounts.
pub fn share_histogram(title: &str, id: &str, shares: &[Option<f64>]) -> String {
    let mut bins = [0u64; 10];
    let mut none = 0u64;
    for s in shares {
        match s {
            Some(v) => bins[((v * 10.0).floor() as usize).min(9)] += 1,
            None => none += 1,
        }
    }
    let mut list: Vec<Bar> = bins
        .iter()
        .enumerate()
        .map(|(i, &n)| Bar {
            label: if i == 9 {
                "90–100 %".to_string()
            } else {
                format!("{}–{} %", i * 10, i * 10 + 10)
            },
            value: n,
            class: if i >= 9 {
                "verified"
            } else if i >= 5 {
                "partly"
            } else {
                "low"
            },
        })
        .collect();
    list.push(Bar {
        label: "no amounts".into(),
        value: none,
        class: "none",
    });
    bars(title, id, &list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_carry_their_values() {
        let s = bars(
            "t",
            "p",
            &[Bar {
                label: "ok".into(),
                value: 3,
                class: "ok",
            }],
        );
        assert!(s.contains("data-label=\"ok\" data-value=\"3\""));
        let h = share_histogram("h", "x", &[Some(1.0), Some(0.95), Some(0.05), None]);
        assert!(h.contains("data-label=\"90–100 %\" data-value=\"2\""));
        assert!(h.contains("data-label=\"0–10 %\" data-value=\"1\""));
        assert!(h.contains("data-label=\"no amounts\" data-value=\"1\""));
    }
}
