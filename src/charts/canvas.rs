//! Drawing with plotters: every shape and text of a chart goes through plotters' `SVGBackend`
//! into a `String` ([`render`]); [`super::post`] then adds what plotters cannot write.
//!
//! The plot areas with a scale (the cumulative and monthly charts) are plotters charts built
//! with `ChartBuilder` on [`Canvas::root`]; everything around them (titles, legends, direct
//! labels, the bar rows of the targets, supplier and portfolio charts) is drawn here as
//! plotters elements on the root area, in viewBox units (plotters rounds them to whole units).
//!
//! Plotters' SVG backend has no fill patterns and no dash arrays, so:
//! - a hatched shape is filled with a marker colour that [`super::post`] replaces with an SVG
//!   `<pattern>` of stripes ([`Hatch`]): a bar's size does not depend on its height;
//! - a dashed line or outline is stroked whole in a marker colour ([`Canvas::dash`]) that
//!   [`super::post`] replaces with its colour and a `stroke-dasharray` ([`Dash`]): a few bytes,
//!   where plotters' own dashed paths write every dash.

use plotters::coord::Shift;
use std::cell::RefCell;

use plotters::element::{PathElement, Rectangle, Text};
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontFamily, FontStyle, IntoFont, RGBColor, ShapeStyle, TextStyle};

use super::post::{self, Dash, Hatch, TIP_END, TIP_ID_END, TIP_START};
use super::style::{BAND_STRIPE, INK, LEGEND_LINE, MUTED, SMALL, W};
use super::text::{BOLD, clean, fit, text_width, wrap};

/// The root drawing area of one chart.
pub type Root<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Why the results of plotters' drawing calls are unwrapped: the SVG backend writing into a
/// `String` has no I/O and, without a font feature, no font to load, so it never fails.
pub const DRAWN: &str = "plotters' SVG backend draws into a String without failing";

/// Plotters' SVG backend writes `font-size` as the requested size divided by 1.24.
const PLOTTERS_EM: f64 = 1.24;

/// Where a text's baseline sits under the `y` plotters places it at (`dy="0.5ex"`): about
/// half the x-height of a generic sans-serif.
const HALF_EX: f64 = 0.27;

/// A chart under construction.
pub struct Canvas<'a> {
    pub root: Root<'a>,
    /// The whole texts of the tooltip groups, by id.
    tips: Vec<String>,
    /// The dashed strokes, by marker ([`Dash::marker`]).
    dashes: RefCell<Vec<Dash>>,
}

/// Draws a chart `height` units high with `draw` and returns the finished `<svg>` element
/// (see [`post::finish`] for what is added afterwards).
pub fn render(
    prefix: &str,
    height: f64,
    title: &str,
    desc: &str,
    draw: impl FnOnce(&mut Canvas),
) -> String {
    let size = (W as u32, height.ceil().max(1.0) as u32);
    let mut plotted = String::with_capacity(16 * 1024);
    let (tips, dashes) = {
        let root = SVGBackend::with_string(&mut plotted, size).into_drawing_area();
        let mut canvas = Canvas {
            root,
            tips: Vec::new(),
            dashes: RefCell::new(Vec::new()),
        };
        draw(&mut canvas);
        canvas.root.present().expect(DRAWN);
        (canvas.tips, canvas.dashes.into_inner())
    };
    post::finish(&plotted, prefix, title, desc, &tips, &dashes)
}

/// A length in viewBox units, rounded to plotters' whole units.
pub fn px(v: f64) -> i32 {
    v.round() as i32
}

/// Horizontal anchor of a text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// How a text looks: its colour and weight or slant.
#[derive(Clone, Copy)]
pub struct Look {
    pub colour: RGBColor,
    pub style: Weight,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Normal,
    Bold,
    Italic,
}

impl Look {
    pub const PLAIN: Look = Look {
        colour: INK,
        style: Weight::Normal,
    };
    pub const BOLD: Look = Look {
        colour: INK,
        style: Weight::Bold,
    };
    pub const ITALIC: Look = Look {
        colour: INK,
        style: Weight::Italic,
    };
    pub const MUTED: Look = Look {
        colour: MUTED,
        style: Weight::Normal,
    };

    pub fn colour(self, colour: RGBColor) -> Look {
        Look { colour, ..self }
    }

    /// The room a text of this look may take when the estimate is for regular weight.
    fn room(self, width: f64) -> f64 {
        if self.style == Weight::Bold {
            width / BOLD
        } else {
            width
        }
    }
}

/// A plotters text style for `size` viewBox units.
pub fn font(size: f64, look: Look, anchor: Anchor) -> TextStyle<'static> {
    let style = match look.style {
        Weight::Normal => FontStyle::Normal,
        Weight::Bold => FontStyle::Bold,
        Weight::Italic => FontStyle::Italic,
    };
    let h = match anchor {
        Anchor::Start => HPos::Left,
        Anchor::Middle => HPos::Center,
        Anchor::End => HPos::Right,
    };
    let mut text = TextStyle::from((FontFamily::SansSerif, size * PLOTTERS_EM, style).into_font());
    text.color = look.colour.to_backend_color();
    text.pos = Pos::new(h, VPos::Center);
    text
}

/// How a bar is filled.
#[derive(Clone, Copy)]
pub enum Fill {
    /// Delivered: solid colour, dark outline.
    Solid(RGBColor),
    /// A period total, or progress past its due date: solid colour with white stripes.
    Hatched(RGBColor),
    /// Planned, not delivered: a pale tint with a dashed outline.
    Planned(RGBColor),
    /// Shipments whose receiver was not published: dark stripes on white.
    Unpublished,
    /// The span of a period record behind a line: grey stripes on light grey, no outline.
    Band,
}

impl Canvas<'_> {
    pub fn rect(&self, x: f64, y: f64, w: f64, h: f64, style: impl Into<ShapeStyle>) {
        let (x0, y0, x1, y1) = (px(x), px(y), px(x + w), px(y + h));
        self.root
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], style))
            .expect(DRAWN);
    }

    /// A polyline through `points`.
    pub fn path(&self, points: &[(f64, f64)], style: impl Into<ShapeStyle>) {
        let points: Vec<(i32, i32)> = points.iter().map(|(x, y)| (px(*x), px(*y))).collect();
        self.root
            .draw(&PathElement::new(points, style))
            .expect(DRAWN);
    }

    /// A dashed polyline: `dash` units drawn, `gap` units left out.
    pub fn dashed(&self, points: &[(f64, f64)], dash: f64, gap: f64, style: ShapeStyle) {
        self.path(points, self.dash(style, dash, gap));
    }

    /// `style` dashed, `dash` units drawn and `gap` units left out, for a stroke drawn with it
    /// (plotters draws it whole in a marker colour, see [`Dash`]).
    pub fn dash(&self, style: ShapeStyle, dash: f64, gap: f64) -> ShapeStyle {
        let wanted = Dash {
            colour: RGBColor(style.color.0, style.color.1, style.color.2),
            dash,
            gap,
        };
        let mut dashes = self.dashes.borrow_mut();
        let index = match dashes.iter().position(|d| *d == wanted) {
            Some(i) => i,
            None => {
                dashes.push(wanted);
                dashes.len() - 1
            }
        };
        ShapeStyle {
            color: Dash::marker(index).mix(style.color.3),
            ..style
        }
    }

    /// A bar from (`x`, `y`), `w` by `h`, filled and outlined as `fill` says.
    pub fn bar(&self, x: f64, y: f64, w: f64, h: f64, fill: Fill) {
        self.fill(x, y, w, h, fill);
        self.outline(x, y, w, h, fill);
    }

    /// The inside of a bar (see [`Canvas::bar`]).
    pub fn fill(&self, x: f64, y: f64, w: f64, h: f64, fill: Fill) {
        let rect = (px(x), px(y), px(x + w), px(y + h));
        let (x0, y0, x1, y1) = rect;
        let paint = |style: ShapeStyle| {
            self.root
                .draw(&Rectangle::new([(x0, y0), (x1, y1)], style))
                .expect(DRAWN);
        };
        match fill {
            Fill::Solid(c) => paint(c.filled()),
            Fill::Hatched(c) => {
                paint(c.filled());
                self.stripes(x, y, w, h);
            }
            Fill::Planned(c) => paint(c.mix(0.18).filled()),
            Fill::Unpublished => paint(Hatch::Dark.marker().filled()),
            Fill::Band => paint(Hatch::Band.marker().filled()),
        }
    }

    /// The white stripes of [`Fill::Hatched`] alone, over what is drawn already.
    pub fn stripes(&self, x: f64, y: f64, w: f64, h: f64) {
        self.rect(x, y, w, h, Hatch::Light.marker().filled());
    }

    /// The outline of a bar: dark, dashed when planned, none around a band. Drawn over the
    /// stripes, it covers the turns of their zigzag.
    pub fn outline(&self, x: f64, y: f64, w: f64, h: f64, fill: Fill) {
        let (x0, y0, x1, y1) = (px(x), px(y), px(x + w), px(y + h));
        match fill {
            Fill::Solid(_) | Fill::Hatched(_) | Fill::Unpublished => {
                self.root
                    .draw(&Rectangle::new([(x0, y0), (x1, y1)], INK))
                    .expect(DRAWN);
            }
            Fill::Planned(_) => {
                let dashed = self.dash(INK.into(), 4.0, 3.0);
                self.root
                    .draw(&Rectangle::new([(x0, y0), (x1, y1)], dashed))
                    .expect(DRAWN);
            }
            Fill::Band => {}
        }
    }

    /// A text with its baseline at `y`. Plotters escapes it; [`clean`] drops what XML cannot
    /// carry.
    pub fn text(&self, x: f64, y: f64, anchor: Anchor, size: f64, s: &str, look: Look) {
        self.raw_text(x, y, anchor, size, &clean(s), look);
    }

    fn raw_text(&self, x: f64, y: f64, anchor: Anchor, size: f64, s: &str, look: Look) {
        let style = font(size, look, anchor);
        self.root
            .draw(&Text::new(
                s.to_string(),
                (px(x), px(y - HALF_EX * size)),
                style,
            ))
            .expect(DRAWN);
    }

    /// A text shortened to `max_width`; when shortened, the whole text is kept in a
    /// tooltip `<title>` next to it.
    #[allow(clippy::too_many_arguments)]
    pub fn label(
        &mut self,
        x: f64,
        y: f64,
        anchor: Anchor,
        size: f64,
        s: &str,
        max_width: f64,
        look: Look,
    ) {
        let s = clean(s);
        let short = fit(&s, size, look.room(max_width));
        if short == s {
            self.raw_text(x, y, anchor, size, &s, look);
        } else {
            let id = self.tip(&s);
            let marked = format!("{TIP_START}{id}{TIP_ID_END}{short}{TIP_END}");
            self.raw_text(x, y, anchor, size, &marked, look);
        }
    }

    /// A text wrapped onto at most `max_lines` lines `line_h` apart (see [`wrap`]); when
    /// shortened, the whole text is kept in a tooltip. Returns the number of lines.
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
        look: Look,
    ) -> usize {
        let s = clean(s);
        let mut lines = wrap(&s, size, look.room(width), max_lines);
        let whole = lines.join(" ") == s.split_whitespace().collect::<Vec<_>>().join(" ");
        if !whole {
            let id = self.tip(&s);
            lines[0] = format!("{TIP_START}{id}{TIP_ID_END}{}", lines[0]);
            if let Some(last) = lines.last_mut() {
                last.push(TIP_END);
            }
        }
        for (i, l) in lines.iter().enumerate() {
            self.raw_text(x, y + i as f64 * line_h, Anchor::Start, size, l, look);
        }
        lines.len()
    }

    fn tip(&mut self, whole: &str) -> usize {
        self.tips.push(whole.to_string());
        self.tips.len() - 1
    }

    /// A legend swatch and its text on baseline `y`; returns the x after it.
    pub fn legend_item(&self, x: f64, y: f64, swatch: &Swatch, text: &str) -> f64 {
        let sy = y - 12.0;
        match swatch {
            Swatch::Bar(fill) => {
                self.bar(x, sy, 16.0, 13.0, *fill);
                if matches!(fill, Fill::Band) {
                    self.rect(x, sy, 16.0, 13.0, BAND_STRIPE);
                }
            }
            Swatch::Line(c, width, dash) => {
                let points = [(x, y - 5.0), (x + 18.0, y - 5.0)];
                let style = c.stroke_width(*width);
                match dash {
                    Some((d, g)) => self.dashed(&points, *d, *g, style),
                    None => self.path(&points, style),
                }
            }
            Swatch::Bracket => bracket(self, x, x + 14.0, y - 9.0),
            Swatch::Dot(c) => {
                self.root
                    .draw(&plotters::element::Circle::new(
                        (px(x + 8.0), px(y - 6.0)),
                        6,
                        c.filled(),
                    ))
                    .expect(DRAWN);
            }
            Swatch::Square(c) => self.rect(x + 3.0, y - 11.0, 10.0, 10.0, c.filled()),
        }
        let tx = x + 22.0;
        self.text(tx, y, Anchor::Start, SMALL, text, Look::PLAIN);
        tx + text_width(text, SMALL) + 16.0
    }
}

/// A bracket under `x1`..`x2` hanging from `y`: a period record's span of months.
pub fn bracket(c: &Canvas, x1: f64, x2: f64, y: f64) {
    c.path(
        &[(x1, y), (x1, y + 5.0), (x2, y + 5.0), (x2, y)],
        MUTED.stroke_width(2),
    );
}

/// What a legend entry shows.
pub enum Swatch {
    Bar(Fill),
    /// A line: colour, width, and (dash, gap) if dashed.
    Line(RGBColor, u32, Option<(f64, f64)>),
    Bracket,
    /// A map's point: a dot (supplier) or a square (receiver).
    Dot(RGBColor),
    Square(RGBColor),
}

/// Lays out legend entries from `x` on baseline `y`, wrapping before `right`; returns the y of
/// the last line.
pub fn legend(c: &Canvas, x: f64, y: f64, right: f64, items: &[(Swatch, String)]) -> f64 {
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
        cx = c.legend_item(cx, cy, swatch, text);
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
    fn plotters_writes_what_the_layout_expects() {
        let svg = render("chart-t", 40.0, "T", "D", |c| {
            c.text(
                10.0,
                20.0,
                Anchor::End,
                SMALL,
                "<script>&\"'\u{1}",
                Look::BOLD,
            );
            c.bar(0.0, 0.0, 20.0, 30.0, Fill::Hatched(INK));
        });
        assert!(svg.contains("font-size=\"16\""), "{svg}");
        assert!(svg.contains("text-anchor=\"end\""));
        assert!(svg.contains("&lt;script&gt;&amp;&quot;&apos; "), "{svg}");
        assert!(svg.contains("<pattern id=\"chart-t-light\""), "{svg}");
        assert!(svg.contains("fill=\"url(#chart-t-light)\""), "{svg}");
        assert!(!svg.contains("width=\"560\""));
    }
}
