//! What a map draws over its lines: labels placed where there is room, arrowheads, and the
//! inset of all Indonesia.

use plotters::element::{Polygon, Rectangle};
use plotters::style::{Color, RGBColor, ShapeStyle};

use super::super::basemap;
use super::super::canvas::{Anchor, Canvas, DRAWN, Look, Weight, px};
use super::super::geo::{Bounds, View, Xy};
use super::super::style::{GRID, LATE, MUTED, SMALL, WHITE};
use super::super::text::text_width;
use super::SEARCH;
use super::draw::Spot;

/// Occupied rectangles of the chart: labels go where nothing is yet.
#[derive(Default)]
pub(super) struct Taken {
    /// Points, labels and the inset: never covered.
    pub hard: Vec<Rect>,
    /// Lines: a label covers them only when there is no other room.
    pub soft: Vec<Rect>,
}

/// Left, top, width, height.
pub(super) type Rect = (f64, f64, f64, f64);

impl Taken {
    /// Whether `r` lies inside `frame` over nothing hard, and over no line unless `over_lines`.
    pub fn free(&self, r: Rect, frame: Rect, over_lines: bool) -> bool {
        let inside = r.0 >= frame.0
            && r.1 >= frame.1
            && r.0 + r.2 <= frame.0 + frame.2
            && r.1 + r.3 <= frame.1 + frame.3;
        let apart =
            |t: &Rect| r.0 + r.2 <= t.0 || t.0 + t.2 <= r.0 || r.1 + r.3 <= t.1 || t.1 + t.3 <= r.1;
        inside && self.hard.iter().all(apart) && (over_lines || self.soft.iter().all(apart))
    }
}

/// The offsets a label searches for room, nearest first. The same for every label, so sorted
/// once: sorting them for each label was a sixth of a cold build's time (1,681 offsets, two
/// `hypot` per comparison).
fn search_grid() -> &'static [(f64, f64)] {
    static GRID: std::sync::OnceLock<Vec<(f64, f64)>> = std::sync::OnceLock::new();
    GRID.get_or_init(|| {
        let mut grid: Vec<(f64, f64)> = Vec::new();
        for i in -SEARCH..=SEARCH {
            for j in -SEARCH..=SEARCH {
                grid.push((f64::from(i) * 8.0, f64::from(j) * 8.0));
            }
        }
        grid.sort_by(|a, b| (a.0.hypot(a.1)).total_cmp(&b.0.hypot(b.1)));
        grid
    })
}

/// A label of `lines` on a white box beside `at` (to the right, left, above or below), else
/// at the nearest free place, tied to `at` by a thin line. Returns whether it found room.
pub(super) fn place_label(
    c: &mut Canvas,
    taken: &mut Taken,
    frame: (f64, f64, f64, f64),
    at: Xy,
    lines: &[String],
    gap: f64,
    look: Look,
) -> bool {
    let line_h = 19.0;
    let width = lines
        .iter()
        .map(|l| {
            text_width(l, SMALL)
                * if matches!(look.style, Weight::Bold) {
                    1.12
                } else {
                    1.0
                }
        })
        .fold(0.0, f64::max)
        + 8.0;
    let height = lines.len() as f64 * line_h + 4.0;
    let (x, y) = at;
    let beside = [
        (x + gap, y - height / 2.0),
        (x - gap - width, y - height / 2.0),
        (x - width / 2.0, y - gap - height),
        (x - width / 2.0, y + gap),
    ];
    // Else the free place nearest to `at`, searched on a grid, tied to it by a thin line.
    let near: Vec<(f64, f64)> = search_grid()
        .iter()
        .map(|(dx, dy)| (x + dx - width / 2.0, y + dy - height / 2.0))
        .collect();
    let fits = |places: &[(f64, f64)], over_lines: bool| {
        places
            .iter()
            .copied()
            .find(|&(bx, by)| taken.free((bx, by, width, height), frame, over_lines))
    };
    let Some((bx, by)) = fits(&beside, false)
        .or_else(|| fits(&beside, true))
        .or_else(|| fits(&near, false))
        .or_else(|| fits(&near, true))
    else {
        return false;
    };
    let nearest = (x.clamp(bx, bx + width), y.clamp(by, by + height));
    if (nearest.0 - x).hypot(nearest.1 - y) > gap + 8.0 {
        c.path(&[at, nearest], MUTED.stroke_width(1));
    }
    c.root
        .draw(&Rectangle::new(
            [(px(bx), px(by)), (px(bx + width), px(by + height))],
            WHITE.mix(0.85).filled(),
        ))
        .expect(DRAWN);
    for (k, l) in lines.iter().enumerate() {
        c.text(
            bx + 4.0,
            by + 17.0 + k as f64 * line_h,
            Anchor::Start,
            SMALL,
            l,
            look,
        );
    }
    taken.hard.push((bx, by, width, height));
    true
}

/// A filled triangle whose tip stops short of `to`, pointing away from `control`; smaller on
/// a short line.
pub(super) fn arrowhead(c: &Canvas, control: Xy, to: Xy, colour: RGBColor) {
    let (dx, dy) = (to.0 - control.0, to.1 - control.1);
    let len = dx.hypot(dy).max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    let size = (len / 4.0).clamp(4.0, 10.0);
    let tip = (to.0 - ux * 8.0, to.1 - uy * 8.0);
    let back = (tip.0 - ux * size, tip.1 - uy * size);
    let half = size / 2.0;
    let points = vec![
        (px(tip.0), px(tip.1)),
        (px(back.0 - uy * half), px(back.1 + ux * half)),
        (px(back.0 + uy * half), px(back.1 - ux * half)),
    ];
    c.root
        .draw(&Polygon::new(points, colour.filled()))
        .expect(DRAWN);
}

/// Width and height of the inset of all Indonesia.
pub(super) const INSET: (f64, f64) = (150.0, 60.0);

/// Where the inset goes: the corner of the frame with the fewest points near it; `None` when
/// the map already shows most of Indonesia.
pub(super) fn inset_place(view: &View, frame: Rect, spots: &[Spot]) -> Option<Xy> {
    let shown = view.bounds();
    let all = Bounds::INDONESIA;
    if shown.east - shown.west > 0.6 * (all.east - all.west) {
        return None;
    }
    let (fx, fy, fw, fh) = frame;
    let (iw, ih) = INSET;
    let corners = [
        (fx + fw - iw - 6.0, fy + fh - ih - 6.0),
        (fx + 6.0, fy + fh - ih - 6.0),
        (fx + fw - iw - 6.0, fy + 6.0),
        (fx + 6.0, fy + 6.0),
    ];
    let crowd = |&(x, y): &Xy| {
        spots
            .iter()
            .filter(|s| {
                s.at.0 > x - 80.0
                    && s.at.0 < x + iw + 80.0
                    && s.at.1 > y - 30.0
                    && s.at.1 < y + ih + 30.0
            })
            .count()
    };
    corners.into_iter().min_by_key(crowd)
}

/// A small map of all Indonesia at `(x, y)`, with the main map's area marked.
pub(super) fn draw_inset(c: &Canvas, view: &View, (x, y): Xy) {
    let shown = view.bounds();
    let (iw, ih) = INSET;
    let inset = View::fit(Bounds::INDONESIA, (x, y, iw, ih));
    c.rect(x, y, iw, ih, WHITE.filled());
    for (indonesia, points) in inset.land(basemap::rings(), 0.8) {
        let colour = if indonesia { MUTED } else { GRID };
        c.root
            .draw(&Polygon::new(points, colour.filled()))
            .expect(DRAWN);
    }
    let (a, b) = (
        inset.project((shown.west, shown.north)),
        inset.project((shown.east, shown.south)),
    );
    let mark: ShapeStyle = LATE.stroke_width(2);
    // At least 4 units each way, and inside the inset.
    let (cx, cy) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let (hw, hh) = (((b.0 - a.0) / 2.0).max(2.0), ((b.1 - a.1) / 2.0).max(2.0));
    let (x0, y0) = ((cx - hw).max(x), (cy - hh).max(y));
    let (x1, y1) = ((cx + hw).min(x + iw), (cy + hh).min(y + ih));
    c.rect(x0, y0, x1 - x0, y1 - y0, mark);
    c.rect(x, y, iw, ih, MUTED.stroke_width(1));
}
