//! `assets/ledger.css`: the labels of a ledger record's cells at phone width, one rule per
//! column and language, so no row repeats them. The ledger's header is hidden there and each
//! record becomes a card; these rules put the header's words before each value.

use crate::locale::Locale;

/// The words of each of a record row's seven cells, as the header of `ledger.html` writes them.
fn labels(loc: &Locale) -> [String; 7] {
    let s = |k| loc.s(k);
    [
        s("date").to_string(),
        format!("{} → {}", s("participant"), s("offtaker")),
        s("commodity").to_string(),
        format!("{} ({})", s("quantity"), s("as_written")),
        format!("{} ({})", s("quantity"), s("in_unit")),
        format!("{} · {}", s("status"), s("verification")),
        s("sources").to_string(),
    ]
}

/// The stylesheet for every language of the site, in site order.
pub fn stylesheet(locales: &[Locale]) -> String {
    let mut css = String::from(
        "/* Written by sinergi from the interface strings: the ledger's column labels at phone width. */\n\
         @media screen and (max-width: 40rem) {\n",
    );
    for loc in locales {
        for (n, label) in labels(loc).iter().enumerate() {
            css.push_str(&format!(
                "html[lang=\"{}\"] .ledger tr[id] > td:nth-child({})::before {{ content: \"{}: \"; }}\n",
                escape(loc.lang),
                n + 1,
                escape(label)
            ));
        }
    }
    css.push_str("}\n");
    css
}

/// `text` as the inside of a double-quoted CSS string.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            '<' => out.push_str("\\3c "),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn quotes_backslashes_and_line_breaks_stay_inside_the_string() {
        assert_eq!(escape("a\"b\\c\nd</style>"), "a\\\"b\\\\c\\a d\\3c /style>");
    }
}
