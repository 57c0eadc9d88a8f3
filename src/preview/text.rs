//! Text measured with the bundled fonts, so that lines can be wrapped and shortened before they
//! are drawn (SVG text never wraps by itself).

use std::collections::HashMap;
use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

pub(super) const REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
pub(super) const BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// The family name both files declare.
pub(super) const FAMILY: &str = "DejaVu Sans";

const ELLIPSIS: char = '…';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

/// Advance widths in em of one font, by character; characters the font lacks take the width of
/// its empty box, as they are drawn.
struct Widths {
    by_char: HashMap<char, f32>,
    missing: f32,
}

impl Widths {
    fn of(data: &'static [u8]) -> Widths {
        let font = FontRef::new(data).expect("the bundled font parses");
        let metrics = font.glyph_metrics(Size::new(1.0), LocationRef::default());
        let advance = |gid| metrics.advance_width(gid).unwrap_or(0.0);
        let by_char = font
            .charmap()
            .mappings()
            .filter_map(|(code, gid)| Some((char::from_u32(code)?, advance(gid))))
            .collect();
        Widths {
            by_char,
            missing: advance(skrifa::GlyphId::NOTDEF),
        }
    }

    fn em(&self, text: &str) -> f32 {
        text.chars()
            .map(|c| *self.by_char.get(&c).unwrap_or(&self.missing))
            .sum()
    }
}

fn widths(weight: Weight) -> &'static Widths {
    static REGULAR_WIDTHS: OnceLock<Widths> = OnceLock::new();
    static BOLD_WIDTHS: OnceLock<Widths> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR_WIDTHS.get_or_init(|| Widths::of(REGULAR)),
        Weight::Bold => BOLD_WIDTHS.get_or_init(|| Widths::of(BOLD)),
    }
}

/// The width in pixels of `text` set at `size` px (kerning left out: it only ever narrows).
pub(super) fn width(text: &str, weight: Weight, size: f32) -> f32 {
    widths(weight).em(text) * size
}

/// `text` cut to fit `max` pixels, ending in an ellipsis when it was cut.
pub(super) fn fit(text: &str, weight: Weight, size: f32, max: f32) -> String {
    if width(text, weight, size) <= max {
        return text.to_string();
    }
    let room = max - width(&ELLIPSIS.to_string(), weight, size);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]), weight, size);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push(ELLIPSIS);
    out
}

/// `text` broken into lines of at most `max` pixels at word boundaries, at most `lines` of
/// them; the last line ends in an ellipsis when text was left out. A word longer than a line
/// is cut. Returns the lines and whether all of the text fitted.
pub(super) fn wrap(
    text: &str,
    weight: Weight,
    size: f32,
    max: f32,
    lines: usize,
) -> (Vec<String>, bool) {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut whole = true;
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.peek().copied() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if width(&candidate, weight, size) <= max {
            current = candidate;
            words.next();
            continue;
        }
        if current.is_empty() {
            // One word wider than the line: cut where the line ends.
            current = fit(word, weight, size, max);
            whole = false;
            words.next();
        }
        if out.len() + 1 == lines {
            let rest: Vec<&str> = words.collect();
            let last = format!("{current} {}", rest.join(" "));
            out.push(fit(&last, weight, size, max));
            return (out, false);
        }
        out.push(std::mem::take(&mut current));
    }
    if !current.is_empty() {
        out.push(current);
    }
    (out, whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        let w = width("Beras", Weight::Regular, 40.0);
        assert!(w > 0.0);
        assert!(width("Beras medium", Weight::Regular, 40.0) > w);
        assert!(width("Beras", Weight::Bold, 40.0) > w);
        assert!((width("Beras", Weight::Regular, 80.0) - 2.0 * w).abs() < 0.01);
    }

    #[test]
    fn long_text_wraps_and_ends_in_an_ellipsis() {
        let text = "Kerja sama antar daerah Kota Metro dan Provinsi DKI Jakarta bidang pangan \
                    beras, telur dan sayuran tahun 2022 sampai 2025";
        let (lines, all) = wrap(text, Weight::Bold, 56.0, 1000.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(!all);
        assert!(lines[1].ends_with(ELLIPSIS));
        for l in &lines {
            assert!(width(l, Weight::Bold, 56.0) <= 1000.0, "{l}");
        }
        let (lines, all) = wrap("Beras", Weight::Bold, 56.0, 1000.0, 2);
        assert_eq!((lines, all), (vec!["Beras".to_string()], true));
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() {
        let word = "x".repeat(500);
        let (lines, all) = wrap(&word, Weight::Regular, 30.0, 600.0, 3);
        assert!(!all);
        assert_eq!(lines.len(), 1);
        for l in &lines {
            assert!(width(l, Weight::Regular, 30.0) <= 600.0);
        }
        assert!(fit(&word, Weight::Regular, 30.0, 600.0).ends_with(ELLIPSIS));
    }
}
