//! A small SVG writer: escaped text, compact deterministic numbers, the accessible root
//! element and the shared fill patterns. Every chart is drawn with it directly (see the module
//! documentation of [`crate::charts`] for why not with plotters).

use std::fmt::Write;

/// Width of every chart's viewBox, in user units (about CSS pixels at 1:1).
pub const W: f64 = 560.0;

/// Text colour: near-black, 16:1 on white.
pub const INK: &str = "#1a1a1a";
/// Secondary text and axis lines: 4.6:1 on white (WCAG AA for text).
pub const MUTED: &str = "#595959";
/// Grid lines.
pub const GRID: &str = "#d9d9d9";

/// Okabe–Ito colours, ordered so the first ones are the darkest (they carry lines and bars on
/// white); the light ones come last and every mark also gets an outline.
pub const PALETTE: [&str; 7] = [
    "#0072B2", // blue
    "#D55E00", // vermillion
    "#009E73", // bluish green
    "#CC79A7", // reddish purple
    "#E69F00", // orange
    "#56B4E9", // sky blue
    "#000000", // black
];

/// The colour of the `i`-th commodity of an agreement, the same in every chart.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Font sizes. At the narrowest layout (a 390 px phone, the chart about 358 px wide) 16 units
/// are 10 CSS px; on a 560 px column they are 16 px.
pub const SMALL: f64 = 16.0;
pub const BODY: f64 = 17.0;
pub const HEAD: f64 = 18.0;
/// Distance between two legend lines.
pub const LEGEND_LINE: f64 = 22.0;

/// Escapes text for element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most one decimal, no trailing `.0`, never `-0`.
pub fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    let r = if r == 0.0 || !r.is_finite() { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Estimated advance width of `s` in a generic sans-serif at `size`. Generous on purpose:
/// an estimate that is too wide only costs a little room, one too narrow overlaps.
pub fn text_width(s: &str, size: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | '(' | ')' => 0.3,
            ' ' | 'f' | 't' | 'r' | '-' | '/' => 0.36,
            'm' | 'w' | '%' | '—' | '–' => 0.9,
            'M' | 'W' => 0.95,
            c if c.is_ascii_uppercase() => 0.7,
            c if c.is_ascii_digit() => 0.58,
            c if c.is_ascii() => 0.57,
            // Non-Latin scripts and symbols: assume a full em.
            c if (c as u32) > 0x2000 => 1.0,
            _ => 0.62,
        })
        .sum();
    em * size
}

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

/// Horizontal anchor of a text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One SVG document under construction.
pub struct Svg {
    out: String,
    prefix: String,
    /// Which of [`PATTERNS`] were referenced; only those are written.
    used: [bool; 3],
}

/// Shared fill patterns. `hatch` lays white stripes over a coloured bar (a period total);
/// `dark` draws dark stripes on white (a receiver not published); `band` marks a period's span
/// behind a line. All three read in grayscale.
const PATTERNS: [(&str, &str); 3] = [
    (
        "hatch",
        "width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"2.5\" height=\"6\" fill=\"#fff\" fill-opacity=\"0.85\"/>",
    ),
    (
        "dark",
        "width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#fff\"/><rect width=\"1.5\" height=\"6\" fill=\"#595959\"/>",
    ),
    (
        "band",
        "width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"8\" height=\"8\" fill=\"#f2f2f2\"/><rect width=\"1.5\" height=\"8\" fill=\"#bdbdbd\"/>",
    ),
];

impl Svg {
    /// Opens the root element with a viewBox and no width/height (so it scales from a phone to
    /// A4), `role="img"`, `aria-labelledby` to its `<title>` and `<desc>`, and writes the shared
    /// patterns. `prefix` makes every id unique on a page and deterministic.
    pub fn new(prefix: &str, height: f64, title: &str, desc: &str) -> Svg {
        let mut out = String::with_capacity(8 * 1024);
        let p = prefix;
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" \
             aria-labelledby=\"{p}-title {p}-desc\" font-family=\"sans-serif\" \
             font-size=\"{}\" fill=\"{INK}\">\n\
             <title id=\"{p}-title\">{}</title>\n<desc id=\"{p}-desc\">{}</desc>\n",
            n(W),
            n(height),
            n(BODY),
            esc(title),
            esc(desc)
        );
        Svg {
            out,
            prefix: prefix.to_string(),
            used: [false; 3],
        }
    }

    /// `url(#<prefix>-<name>)` of a shared pattern.
    pub fn pattern(&mut self, name: &str) -> String {
        let i = PATTERNS
            .iter()
            .position(|(n, _)| *n == name)
            .expect("a known pattern");
        self.used[i] = true;
        format!("url(#{}-{name})", self.prefix)
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, attrs: &str) {
        let _ = writeln!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}/>",
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0))
        );
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, attrs: &str) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {attrs}/>",
            n(x1),
            n(y1),
            n(x2),
            n(y2)
        );
    }

    pub fn path(&mut self, d: &str, attrs: &str) {
        let _ = writeln!(self.out, "<path d=\"{d}\" {attrs}/>");
    }

    pub fn circle(&mut self, x: f64, y: f64, r: f64, attrs: &str) {
        let _ = writeln!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {attrs}/>",
            n(x),
            n(y),
            n(r)
        );
    }

    /// A text; `attrs` may add e.g. `font-weight="bold"`. The text is escaped here.
    pub fn text(&mut self, x: f64, y: f64, anchor: Anchor, size: f64, s: &str, attrs: &str) {
        let anchor = match anchor {
            Anchor::Start => "",
            Anchor::Middle => " text-anchor=\"middle\"",
            Anchor::End => " text-anchor=\"end\"",
        };
        let size = if size == BODY {
            String::new()
        } else {
            format!(" font-size=\"{}\"", n(size))
        };
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" {attrs}")
        };
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\"{anchor}{size}{attrs}>{}</text>",
            n(x),
            n(y),
            esc(s)
        );
    }

    /// A text shortened to `max_width`; when shortened, the whole text is kept in a `<title>`
    /// (a tooltip) next to it.
    #[allow(clippy::too_many_arguments)]
    pub fn label(
        &mut self,
        x: f64,
        y: f64,
        anchor: Anchor,
        size: f64,
        s: &str,
        max_width: f64,
        attrs: &str,
    ) {
        // Bold runs about a tenth wider than the estimate.
        let room = if attrs.contains("bold") {
            max_width / 1.12
        } else {
            max_width
        };
        let short = fit(s, size, room);
        if short == s {
            self.text(x, y, anchor, size, s, attrs);
        } else {
            let _ = writeln!(self.out, "<g><title>{}</title>", esc(s));
            self.text(x, y, anchor, size, &short, attrs);
            self.out.push_str("</g>\n");
        }
    }

    /// A text wrapped onto at most `max_lines` lines `line_h` apart (see [`wrap`]); when
    /// shortened, the whole text is kept in a `<title>`. Returns the number of lines.
    #[allow(clippy::too_many_arguments)]
    pub fn wrapped(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        s: &str,
        width: f64,
        max_lines: usize,
        line_h: f64,
        attrs: &str,
    ) -> usize {
        let room = if attrs.contains("bold") {
            width / 1.12
        } else {
            width
        };
        let lines = wrap(s, size, room, max_lines);
        let whole = lines.join(" ") == s.split_whitespace().collect::<Vec<_>>().join(" ");
        if !whole {
            let _ = writeln!(self.out, "<g><title>{}</title>", esc(s));
        }
        for (i, l) in lines.iter().enumerate() {
            self.text(x, y + i as f64 * line_h, Anchor::Start, size, l, attrs);
        }
        if !whole {
            self.out.push_str("</g>\n");
        }
        lines.len()
    }

    /// A legend swatch and its text; returns the x after it.
    pub fn legend_item(&mut self, x: f64, y: f64, swatch: &Swatch, text: &str) -> f64 {
        let sy = y - 12.0;
        match swatch {
            Swatch::Solid(c) => self.rect(x, sy, 16.0, 13.0, &solid(c)),
            Swatch::Hatched(c) => {
                let p = self.pattern("hatch");
                self.rect(x, sy, 16.0, 13.0, &solid(c));
                self.rect(x, sy, 16.0, 13.0, &format!("fill=\"{p}\""));
            }
            Swatch::Planned(c) => self.rect(x, sy, 16.0, 13.0, &planned(c)),
            Swatch::Unpublished => {
                let p = self.pattern("dark");
                self.rect(x, sy, 16.0, 13.0, &format!("fill=\"{p}\" {OUTLINE}"));
            }
            Swatch::Band => {
                let p = self.pattern("band");
                self.rect(
                    x,
                    sy,
                    16.0,
                    13.0,
                    &format!("fill=\"{p}\" stroke=\"#bdbdbd\""),
                );
            }
            Swatch::Line(c, dash) => {
                let dash = if dash.is_empty() {
                    String::new()
                } else {
                    format!(" stroke-dasharray=\"{dash}\"")
                };
                self.line(
                    x,
                    y - 5.0,
                    x + 18.0,
                    y - 5.0,
                    &format!("stroke=\"{c}\" stroke-width=\"2.5\"{dash}"),
                );
            }
            Swatch::Bracket => {
                self.path(
                    &format!(
                        "M{} {}V{}H{}V{}",
                        n(x),
                        n(y - 9.0),
                        n(y - 4.0),
                        n(x + 14.0),
                        n(y - 9.0)
                    ),
                    &format!("fill=\"none\" stroke=\"{MUTED}\" stroke-width=\"1.5\""),
                );
            }
        }
        let tx = x + 22.0;
        self.text(tx, y, Anchor::Start, SMALL, text, "");
        tx + text_width(text, SMALL) + 16.0
    }

    /// Closes the root element and returns the document.
    pub fn finish(mut self) -> String {
        if self.used.iter().any(|u| *u) {
            self.out.push_str("<defs>\n");
            for (i, (name, body)) in PATTERNS.iter().enumerate() {
                if self.used[i] {
                    let _ = writeln!(
                        self.out,
                        "<pattern id=\"{}-{name}\" {body}</pattern>",
                        self.prefix
                    );
                }
            }
            self.out.push_str("</defs>\n");
        }
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// A thin dark outline so light colours stay visible on white and in grayscale.
pub const OUTLINE: &str = "stroke=\"#1a1a1a\" stroke-width=\"0.75\"";

/// Attributes of a solid bar in colour `c`.
pub fn solid(c: &str) -> String {
    format!("fill=\"{c}\" {OUTLINE}")
}

/// Attributes of a planned (not yet delivered) bar: a pale tint with a dashed outline.
pub fn planned(c: &str) -> String {
    format!(
        "fill=\"{c}\" fill-opacity=\"0.18\" stroke=\"#1a1a1a\" stroke-width=\"1.25\" \
         stroke-dasharray=\"4 3\""
    )
}

/// What a legend entry shows.
pub enum Swatch<'a> {
    Solid(&'a str),
    Hatched(&'a str),
    Planned(&'a str),
    Unpublished,
    Band,
    Line(&'a str, &'a str),
    Bracket,
}

/// Lays out legend entries from `x` on line `y`, wrapping before `right`; returns the y of
/// the last line.
pub fn legend(svg: &mut Svg, x: f64, y: f64, right: f64, items: &[(Swatch, String)]) -> f64 {
    if items.len() <= 1 {
        return y;
    }
    let (mut cx, mut cy) = (x, y);
    for (swatch, text) in items {
        let w = 22.0 + text_width(text, SMALL);
        if cx > x && cx + w > right {
            cx = x;
            cy += LEGEND_LINE;
        }
        cx = svg.legend_item(cx, cy, swatch, text);
    }
    cy
}

/// Vertical room a legend takes: nothing for a single entry (the chart's direct labels say
/// it), else its lines.
pub fn legend_room(x: f64, right: f64, items: &[(Swatch, String)]) -> f64 {
    if items.len() <= 1 {
        0.0
    } else {
        legend_lines(x, right, items) as f64 * LEGEND_LINE + 4.0
    }
}

/// How many lines a legend will take, for layout before drawing.
pub fn legend_lines(x: f64, right: f64, items: &[(Swatch, String)]) -> usize {
    let (mut cx, mut lines) = (x, 1);
    for (_, text) in items {
        let w = 22.0 + text_width(text, SMALL);
        if cx > x && cx + w > right {
            cx = x;
            lines += 1;
        }
        cx += w + 16.0;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact_and_deterministic() {
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.04), "12");
        assert_eq!(n(12.06), "12.1");
        assert_eq!(n(-0.01), "0");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(esc("a\u{1}b"), "a b");
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
