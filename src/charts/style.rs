//! The look shared by every chart: the viewBox width, colours and type sizes.

use plotters::style::RGBColor;

/// Width of every chart's viewBox, in user units (about CSS pixels at 1:1).
pub const W: f64 = 560.0;

/// Text colour: near-black, 16:1 on white.
pub const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
/// Secondary text and axis lines: 4.6:1 on white (WCAG AA for text).
pub const MUTED: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xd9, 0xd9, 0xd9);
/// Bars of a legend that stand for every commodity.
pub const NEUTRAL: RGBColor = RGBColor(0x8c, 0x8c, 0x8c);
/// The empty track of a progress bar and the ground of a period band.
pub const TRACK: RGBColor = RGBColor(0xf2, 0xf2, 0xf2);
/// The stripes of a period band.
pub const BAND_STRIPE: RGBColor = RGBColor(0xbd, 0xbd, 0xbd);
/// The stripes of a bar of shipments whose receiver was not published.
pub const DARK_STRIPE: RGBColor = RGBColor(0x4d, 0x4d, 0x4d);
pub const WHITE: RGBColor = RGBColor(0xff, 0xff, 0xff);

/// Okabe–Ito colours, ordered so the first ones are the darkest (they carry lines and bars on
/// white); the light ones come last and every bar also gets an outline.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
];

/// Progress toward a target: blue when on time, vermillion (and striped) when overdue.
pub const DONE: RGBColor = PALETTE[0];
pub const LATE: RGBColor = PALETTE[1];

/// The colour of the `i`-th commodity of an agreement, the same in every chart.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Font sizes. At the narrowest layout (a 390 px phone, the chart about 358 px wide) 16 units
/// are 10 CSS px; on a 560 px column they are 16 px.
pub const SMALL: f64 = 16.0;
pub const BODY: f64 = 17.0;
pub const HEAD: f64 = 18.0;
/// Distance between two legend lines.
pub const LEGEND_LINE: f64 = 22.0;
