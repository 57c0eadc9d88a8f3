//! Text on a chart without a font: estimated widths, shortening with an ellipsis, wrapping,
//! and the characters an SVG can carry.
//!
//! Plotters' SVG backend writes text as `<text>` for the browser to lay out; without one of
//! plotters' font features it guesses every width at 0.7 em per byte, far too wide for the
//! ellipsis rule (and 2-3x too wide for Indonesian names). The layout therefore measures text
//! with [`text_width`], a generous per-character estimate for a generic sans-serif.

/// Estimated advance width of `s` in a generic sans-serif at `size`. Generous on purpose:
/// an estimate that is too wide only costs a little room, one too narrow overlaps. Measured
/// against DejaVu Sans, the widest common default (Debian's `sans-serif`; Arial and Liberation
/// Sans are narrower): Indonesian names and labels come out 0-5% wider than it renders them.
pub fn text_width(s: &str, size: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '\'' | 'I' => 0.3,
            '.' | ',' | ':' | ';' | '|' | ' ' | '/' | '·' => 0.34,
            '!' | '(' | ')' | 'f' | '-' => 0.4,
            't' | 'r' => 0.42,
            'm' | '%' | '—' => 1.0,
            'w' => 0.84,
            '–' => 0.52,
            'M' => 0.88,
            'W' => 1.0,
            c if c.is_ascii_uppercase() => 0.72,
            c if c.is_ascii_digit() => 0.65,
            c if c.is_ascii() => 0.63,
            // Non-Latin scripts and symbols: assume a full em.
            c if (c as u32) > 0x2000 => 1.0,
            _ => 0.62,
        })
        .sum();
    em * size
}

/// Bold runs about a tenth wider than [`text_width`]'s estimate.
pub const BOLD: f64 = 1.12;

/// `s` shortened with an ellipsis so it fits `max_width` at `size`; unchanged if it fits.
pub fn fit(s: &str, size: f64, max_width: f64) -> String {
    if text_width(s, size) <= max_width {
        return s.to_string();
    }
    let ellipsis = text_width("…", size);
    let mut out = String::new();
    let mut width = 0.0;
    for c in s.chars() {
        let cw = text_width(c.encode_utf8(&mut [0; 4]), size);
        if width + cw + ellipsis > max_width {
            break;
        }
        width += cw;
        out.push(c);
    }
    let trimmed = out.trim_end();
    format!("{trimmed}…")
}

/// `s` broken into lines of at most `width` at `size`, at most `max_lines` of them; the last
/// line ends with an ellipsis when the text does not fit, and so does a word wider than a
/// line.
pub fn wrap(s: &str, size: f64, width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in s.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || text_width(&candidate, size) <= width {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    let max_lines = max_lines.max(1);
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(rest);
    }
    // A cut last line is wider than `width` (greedy breaking), so it gets its ellipsis here.
    lines.into_iter().map(|l| fit(&l, size, width)).collect()
}

/// `s` with the characters XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF) turned
/// into spaces, and the private-use characters [`super::canvas`] marks tooltips with turned
/// into U+FFFD. Plotters escapes `<>&"'` but passes everything else through.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => ' ',
            '\u{FFFE}' | '\u{FFFF}' => ' ',
            '\u{E000}'..='\u{E00F}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Escapes text for element content and attribute values written by hand (the root element,
/// `<title>` and `<desc>`), with [`clean`]'s replacements.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(esc("a\u{1}b"), "a b");
        assert_eq!(clean("a\u{E000}b\u{1}"), "a\u{FFFD}b ");
    }

    #[test]
    fn wraps_then_shortens() {
        let lines = wrap("Food Station sebagai pembeli siaga beras", 16.0, 200.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| text_width(l, 16.0) <= 200.0));
        let long = "kata ".repeat(60);
        let lines = wrap(&long, 16.0, 200.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert_eq!(wrap("PT SUJ", 16.0, 200.0, 2), ["PT SUJ"]);
    }

    #[test]
    fn fits_with_an_ellipsis() {
        let long = "Koperasi ".repeat(20);
        let short = fit(&long, 13.0, 200.0);
        assert!(short.ends_with('…'));
        assert!(text_width(&short, 13.0) <= 200.0);
        assert_eq!(fit("PT SUJ", 13.0, 200.0), "PT SUJ");
    }
}
