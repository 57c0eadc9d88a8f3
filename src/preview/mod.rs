//! The share image of an agreement (`preview.png`, 1200x630): what a chat app shows when a link
//! to one of the agreement's pages is shared. It is laid out as SVG here, with lines wrapped and
//! shortened by measuring the bundled font, and rasterized with resvg: the same card on every
//! machine, byte for byte.

mod encode;
mod text;

use std::fmt::Write;
use std::sync::{Arc, OnceLock};

use crate::xml;
use text::Weight;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// Everything the card shows, already written in the page's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Above the title: the agreement's kind and the site's title.
    pub kicker: String,
    pub title: String,
    /// The parties' names.
    pub parties: Vec<String>,
    /// The headline figures, most important first; as many as fit are drawn.
    pub figures: Vec<Figure>,
    /// What the card says when there is no figure.
    pub no_figures: String,
    /// `+3 more commodities`, shown when figures are left out; `{n}` is their number.
    pub more: String,
    /// `Data as of 5 September 2022`.
    pub as_of: Option<String>,
}

impl Card {
    /// A card with made-up Indonesian words, `figures` figures with bars and `title`: for tests
    /// and the benchmark.
    pub fn sample(title: &str, figures: usize) -> Card {
        Card {
            kicker: "KAD · Pemantauan".into(),
            title: title.into(),
            parties: vec!["Kota Metro".into(), "Provinsi DKI Jakarta".into()],
            figures: (0..figures)
                .map(|i| Figure {
                    name: format!("Komoditas {i}"),
                    detail: "123,4 t dari target 1.000 t".into(),
                    progress: Some("12,3%".into()),
                    ratio: Some(0.123),
                })
                .collect(),
            no_figures: "Belum ada pengiriman".into(),
            more: "+{n} komoditas lain".into(),
            as_of: Some("Data per 5 September 2022".into()),
        }
    }
}

/// One commodity's delivered total against its target.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub name: String,
    /// `123,4 t delivered of a 1.000 t target`.
    pub detail: String,
    /// `12,3%`.
    pub progress: Option<String>,
    /// The progress from 0 to 1, for the bar.
    pub ratio: Option<f32>,
}

const BACKGROUND: &str = "#ffffff";
const INK: &str = "#1a1a1a";
const MUTED: &str = "#555555";
const ACCENT: &str = "#0b5394";
const TRACK: &str = "#e4e4e4";
const FILL: &str = "#0072b2";
/// The colours the card is drawn with: the PNG's palette is made of these and their blends.
const COLOURS: [&str; 6] = [BACKGROUND, INK, MUTED, ACCENT, TRACK, FILL];

const MARGIN: f32 = 64.0;
const BAND: f32 = 14.0;
const KICKER: f32 = 28.0;
const PARTIES: f32 = 32.0;
const FIGURE: f32 = 32.0;
const DETAIL: f32 = 28.0;
const BAR: f32 = 14.0;
const FOOTER: f32 = 28.0;
const FOOTER_Y: f32 = HEIGHT as f32 - 44.0;
/// Where the figures must end.
const FIGURES_BOTTOM: f32 = FOOTER_Y - FOOTER - 12.0;

impl Figure {
    /// From this figure's top to the next one's: a figure with a bar takes three lines.
    fn height(&self) -> f32 {
        if self.ratio.is_some() { 120.0 } else { 54.0 }
    }
}

/// The card as an SVG document.
pub fn svg(card: &Card) -> String {
    drawing(card, true)
}

/// The card as an SVG document; without its white background (which [`png`] lays down
/// itself, far faster than rasterizing a rectangle the size of the image) unless `background`.
fn drawing(card: &Card, background: bool) -> String {
    let max = WIDTH as f32 - 2.0 * MARGIN;
    // Room for the first two figures (or the line saying there is none), shortening the parties
    // and then the title when they do not fit.
    let needed: f32 = if card.figures.is_empty() {
        FIGURE + 8.0
    } else {
        card.figures.iter().take(2).map(Figure::height).sum::<f32>() - 14.0
    };
    let (mut title_lines, mut party_lines) = (3, 2);
    let l = loop {
        let l = Layout::new(card, max, title_lines, party_lines);
        if FIGURES_BOTTOM - l.figures_top >= needed || (title_lines, party_lines) == (1, 1) {
            break l;
        }
        if party_lines > 1 {
            party_lines -= 1;
        } else {
            title_lines -= 1;
        }
    };
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"{}\">",
        text::FAMILY
    );
    if background {
        let _ = write!(
            s,
            "<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{BACKGROUND}\"/>"
        );
    }
    let _ = write!(
        s,
        "<rect width=\"{WIDTH}\" height=\"{BAND}\" fill=\"{ACCENT}\"/>"
    );
    let left = MARGIN;
    line(
        &mut s,
        left,
        l.kicker_y,
        KICKER,
        Weight::Regular,
        MUTED,
        &l.kicker,
        "start",
    );
    for (i, t) in l.title.iter().enumerate() {
        let y = l.title_y + i as f32 * l.title_size * 1.18;
        line(&mut s, left, y, l.title_size, Weight::Bold, INK, t, "start");
    }
    for (i, p) in l.parties.iter().enumerate() {
        let y = l.parties_y + i as f32 * PARTIES * 1.25;
        line(&mut s, left, y, PARTIES, Weight::Regular, INK, p, "start");
    }
    let mut top = l.figures_top;
    if card.figures.is_empty() {
        let t = text::fit(&card.no_figures, Weight::Regular, FIGURE, max);
        line(
            &mut s,
            left,
            top + FIGURE,
            FIGURE,
            Weight::Regular,
            MUTED,
            &t,
            "start",
        );
    }
    let mut shown = 0;
    for f in &card.figures {
        // The first always; the others while they fit.
        if shown > 0 && top + f.height() - 14.0 > FIGURES_BOTTOM {
            break;
        }
        figure(&mut s, f, left, top + FIGURE, max);
        top += f.height();
        shown += 1;
    }
    let more = (card.figures.len() > shown).then(|| {
        let n = (card.figures.len() - shown).to_string();
        let more = crate::locale::fill(&card.more, &[("n", &n)]);
        text::fit(&more, Weight::Regular, FOOTER, max / 2.0)
    });
    let more_width = more
        .as_ref()
        .map_or(0.0, |m| text::width(m, Weight::Regular, FOOTER) + 32.0);
    if let Some(as_of) = &card.as_of {
        let t = text::fit(as_of, Weight::Bold, FOOTER, max - more_width);
        line(
            &mut s,
            left,
            FOOTER_Y,
            FOOTER,
            Weight::Bold,
            INK,
            &t,
            "start",
        );
    }
    if let Some(m) = &more {
        let right = WIDTH as f32 - MARGIN;
        line(
            &mut s,
            right,
            FOOTER_Y,
            FOOTER,
            Weight::Regular,
            MUTED,
            m,
            "end",
        );
    }
    s.push_str("</svg>");
    s
}

/// Where each block of the card goes, with its lines wrapped.
struct Layout {
    kicker: String,
    kicker_y: f32,
    title: Vec<String>,
    title_size: f32,
    title_y: f32,
    parties: Vec<String>,
    parties_y: f32,
    figures_top: f32,
}

impl Layout {
    fn new(card: &Card, max: f32, title_lines: usize, party_lines: usize) -> Layout {
        let kicker_y = BAND + 24.0 + KICKER;
        // The largest size at which the whole title fits; the smallest, shortened, otherwise.
        let wrapped = |size: f32| text::wrap(&card.title, Weight::Bold, size, max, title_lines);
        let (title, title_size) = [64.0, 56.0]
            .into_iter()
            .map(|size| (wrapped(size), size))
            .find(|((_, whole), _)| *whole)
            .map(|((lines, _), size)| (lines, size))
            .unwrap_or_else(|| (wrapped(48.0).0, 48.0));
        let title_y = kicker_y + 22.0 + title_size;
        let title_bottom = title_y + (title.len().max(1) - 1) as f32 * title_size * 1.18;
        let (parties, _) = text::wrap(
            &card.parties.join(" · "),
            Weight::Regular,
            PARTIES,
            max,
            party_lines,
        );
        let parties_y = title_bottom + 28.0 + PARTIES;
        let parties_bottom = parties_y + (parties.len().max(1) - 1) as f32 * PARTIES * 1.25;
        Layout {
            kicker: text::fit(&card.kicker, Weight::Regular, KICKER, max),
            kicker_y,
            title,
            title_size,
            title_y,
            parties,
            parties_y,
            figures_top: parties_bottom + 26.0,
        }
    }
}

/// One figure with its baseline at `y`. With a target: what it is in bold with the progress on
/// the right, what was delivered of it under them, and a bar. Without: what and how much on one
/// line.
fn figure(s: &mut String, f: &Figure, left: f32, y: f32, max: f32) {
    if f.ratio.is_none() {
        let name = text::fit(&f.name, Weight::Bold, FIGURE, max * 0.6);
        let gap = FIGURE * 0.5;
        let name_width = text::width(&name, Weight::Bold, FIGURE);
        let detail = text::fit(&f.detail, Weight::Regular, DETAIL, max - name_width - gap);
        let _ = write!(
            s,
            "<text x=\"{left}\" y=\"{y}\" font-size=\"{FIGURE}\" fill=\"{INK}\">\
             <tspan font-weight=\"bold\">{}</tspan>\
             <tspan x=\"{}\" font-size=\"{DETAIL}\">{}</tspan></text>",
            svg_text(&name),
            left + name_width + gap,
            svg_text(&detail)
        );
        return;
    }
    let progress = f.progress.as_deref().unwrap_or("");
    let progress_width = text::width(progress, Weight::Bold, FIGURE) + 24.0;
    let name = text::fit(&f.name, Weight::Bold, FIGURE, max - progress_width);
    line(s, left, y, FIGURE, Weight::Bold, INK, &name, "start");
    line(
        s,
        left + max,
        y,
        FIGURE,
        Weight::Bold,
        ACCENT,
        progress,
        "end",
    );
    let detail = text::fit(&f.detail, Weight::Regular, DETAIL, max);
    line(
        s,
        left,
        y + 40.0,
        DETAIL,
        Weight::Regular,
        INK,
        &detail,
        "start",
    );
    let top = (y + 54.0).round();
    let filled = (max * f.ratio.unwrap_or(0.0).clamp(0.0, 1.0)).round();
    let _ = write!(
        s,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{max}\" height=\"{BAR}\" fill=\"{TRACK}\"/>\
         <rect x=\"{left}\" y=\"{top}\" width=\"{filled}\" height=\"{BAR}\" fill=\"{FILL}\"/>"
    );
}

/// One line of text, escaped.
#[allow(clippy::too_many_arguments)]
fn line(
    s: &mut String,
    x: f32,
    y: f32,
    size: f32,
    weight: Weight,
    colour: &str,
    t: &str,
    anchor: &str,
) {
    let bold = if weight == Weight::Bold {
        " font-weight=\"bold\""
    } else {
        ""
    };
    let _ = write!(
        s,
        "<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\"{bold} fill=\"{colour}\" \
         text-anchor=\"{anchor}\">{}</text>",
        svg_text(t)
    );
}

/// Text for an SVG `<text>`: line breaks and tabs as spaces (SVG would drop a line break and
/// join the words around it), then escaped.
fn svg_text(t: &str) -> String {
    xml::escape(&t.replace(['\t', '\n', '\r'], " "))
}

/// The bundled fonts, loaded once.
fn fonts() -> Arc<resvg::usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = resvg::usvg::fontdb::Database::new();
            db.load_font_data(text::REGULAR.to_vec());
            db.load_font_data(text::BOLD.to_vec());
            Arc::new(db)
        })
        .clone()
}

/// The card as a PNG file.
pub fn png(card: &Card) -> Result<Vec<u8>, String> {
    let svg = drawing(card, false);
    let options = resvg::usvg::Options {
        font_family: text::FAMILY.to_string(),
        fontdb: fonts(),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(&svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("cannot allocate the image")?;
    // The same pixels as the background's rectangle drawn first: opaque white everywhere.
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    encode::png(WIDTH, HEIGHT, pixmap.data(), &COLOURS).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        let svg = svg(&Card::sample("<script>&\"'\u{1}\u{ffff}", 1));
        assert!(svg.contains("&lt;script&gt;&amp;&quot;&apos;"));
        assert!(!svg.contains('\u{1}') && !svg.contains('\u{ffff}'));
    }

    #[test]
    fn figures_that_do_not_fit_are_counted() {
        let svg = svg(&Card::sample(&"Kerja sama pangan ".repeat(20), 6));
        assert!(svg.contains("komoditas lain"));
        assert!(svg.contains('…'));
    }
}
