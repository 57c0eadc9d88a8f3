//! Text made safe inside XML (the Atom feed, the sitemap, the share image's SVG).

/// `s` with markup escaped and every character XML 1.0 cannot carry left out: the control
/// characters other than tab, line feed and carriage return, and the noncharacters U+FFFE and
/// U+FFFF. A feed reader rejects a whole feed over one of them.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\u{0}\u{1b}y\u{fffe}\u{ffff}z"), "xyz");
        assert_eq!(escape("tab\tline\nend\r"), "tab\tline\nend\r");
        assert_eq!(escape("Beras \u{7f}\u{85} é"), "Beras \u{7f}\u{85} é");
        let text = format!("<t>{}</t>", escape("\u{fffe}<script>\u{1}"));
        roxmltree::Document::parse(&text).expect("well-formed");
    }
}
