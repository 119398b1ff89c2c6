//! Small HTML helpers: escaping, the page frame, figures as cards.

use std::fmt::Write;

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_esc(&mut out, s);
    out
}

/// Append `s` escaped to `out`.
pub fn push_esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// JSON for a `<script type="application/json">` element: `<` written as `\u003c` so that no
/// text inside it can close the element.
pub fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// The start of a page: doctype, title, the shared stylesheet at `assets` (a relative path).
pub fn head(title: &str, assets: &str, body_class: &str) -> String {
    let mut h = String::with_capacity(512);
    h.push_str("<!doctype html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(h, "<title>{}</title>", esc(title));
    let _ = writeln!(h, "<link rel=\"stylesheet\" href=\"{assets}/report.css\">");
    let _ = writeln!(h, "</head>\n<body class=\"{body_class}\">");
    h
}

/// The end of a page.
pub const FOOT: &str = "</body>\n</html>\n";

/// One figure card: its value, what it is, and the summary.json key it shows (for scripts and
/// the browser test).
pub fn card(out: &mut String, key: &str, value: &str, what: &str, class: &str) {
    let _ = write!(
        out,
        "<div class=\"card {class}\" data-key=\"{}\"><span class=\"v\">{}</span><span class=\"k\">{}</span></div>",
        esc(key),
        esc(value),
        esc(what)
    );
}

/// A share as a percentage with one decimal (`0.8312` → `83.1%`); `n/a` when unknown.
pub fn percent(share: Option<f64>) -> String {
    match share {
        Some(v) => format!("{:.1}%", v * 100.0),
        None => "n/a".into(),
    }
}

/// The legend of cell colours, shared by the document pages.
pub const LEGEND: &str = "<div class=\"legend\">\
<span class=\"c verified\">verified</span> in a passing check \
<span class=\"c unverified\">unverified</span> no check covers it \
<span class=\"c unverified repaired\">repaired</span> printed text repaired (flags on hover) \
<span class=\"c failed\">failed</span> in a failing check, value withheld \
<span class=\"c untrusted\">untrusted</span> not a number or unsure placement, value null\
</div>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<p a=\"b\">&'</p>"),
            "&lt;p a=&quot;b&quot;&gt;&amp;&#39;&lt;/p&gt;"
        );
        assert_eq!(script_json("[\"</script>\"]"), "[\"\\u003c/script>\"]");
        assert_eq!(percent(Some(0.83125)), "83.1%");
        assert_eq!(percent(None), "n/a");
    }
}
