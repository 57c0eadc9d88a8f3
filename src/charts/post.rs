//! The thin layer written by hand: what plotters' SVG backend cannot emit, added to its output.
//!
//! Plotters opens the document with `<svg width=".." height=".." viewBox=".." xmlns="..">` and
//! has no way to write attributes of its own choosing or elements other than shapes and text.
//! [`finish`] therefore
//! - replaces that opening tag with one that keeps plotters' `viewBox` and drops `width` and
//!   `height` (so the chart scales from a phone to A4), adds `role="img"`,
//!   `aria-labelledby` and `font-family="sans-serif"`, and puts the `<title>` and `<desc>` the
//!   label points to right after it;
//! - wraps each text that was shortened to fit (see [`super::canvas::Canvas::label`]) in a
//!   `<g>` whose `<title>` holds the whole text, a tooltip. The canvas marks such texts with
//!   private-use characters (U+E000 id U+E001 before the first line, U+E002 after the last);
//!   they are removed here, and [`super::text::clean`] keeps them out of the data.
//!
//! - joins what plotters writes element by element where one element draws the same
//!   ([`join`]): a run of strokes of one style (the grid lines) becomes one `<path>` whose data
//!   leaves out repeated points and points on a straight run ([`path_data`]), a filled
//!   rectangle or circle followed by its outline becomes one element with both, a run of filled
//!   polygons of one colour (a map's islands) becomes one `<path>` of relative steps, and so
//!   does a run of rectangles of one style that do not overlap (bars); path data is written as
//!   short as SVG reads it ([`Data`]);
//! - fills the shapes the canvas marked as hatched with a `<pattern>` of stripes ([`Hatch`]),
//!   and gives the strokes it marked as dashed their colour and `stroke-dasharray` ([`Dash`]);
//! - leaves out of each text the attributes the root sets for all of them.
//!
//! A chart's picture is unchanged. Everything else is drawn by plotters.

use std::fmt::Write;

use super::text::esc;

/// Opens a tooltip group: followed by its id in decimal digits and [`TIP_ID_END`].
pub const TIP_START: char = '\u{E000}';
pub const TIP_ID_END: char = '\u{E001}';
/// Closes a tooltip group at the end of its last text.
pub const TIP_END: char = '\u{E002}';

/// A hatching: stripes drawn as an SVG `<pattern>`. The canvas fills a shape with the
/// hatching's marker colour (no chart colour is that close to black); [`finish`] fills it with
/// the pattern instead, defined once in the chart's `<defs>` under an id that starts with the
/// chart's prefix (unique on a page that shows charts inline).
#[derive(Clone, Copy)]
pub enum Hatch {
    /// White stripes "/" over what is under them: a period total, an overdue bar.
    Light,
    /// Dark grey stripes "\" on white: shipments whose receiver was not published.
    Dark,
    /// Grey stripes "/" on light grey: the span of a period record.
    Band,
}

impl Hatch {
    const ALL: [Hatch; 3] = [Hatch::Light, Hatch::Dark, Hatch::Band];

    /// The colour the canvas fills the shape with.
    pub fn marker(self) -> plotters::style::RGBColor {
        plotters::style::RGBColor(1, 0, self as u8 + 1)
    }

    fn marker_hex(self) -> String {
        hex(self.marker())
    }

    fn id(self) -> &'static str {
        match self {
            Hatch::Light => "light",
            Hatch::Dark => "dark",
            Hatch::Band => "band",
        }
    }

    /// The `<pattern>`: a tile as wide as the stripes are apart, turned 45 degrees, with one
    /// stripe down its middle on the tile's ground.
    fn pattern(self, prefix: &str) -> String {
        use super::style::{BAND_STRIPE, DARK_STRIPE, TRACK};
        let hex = |c: plotters::style::RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        let (size, turn, ground, stripe, width) = match self {
            Hatch::Light => (5, 45, None, "#FFFFFF".to_string(), 2),
            Hatch::Dark => (5, -45, Some("#FFFFFF".to_string()), hex(DARK_STRIPE), 1),
            Hatch::Band => (6, 45, Some(hex(TRACK)), hex(BAND_STRIPE), 1),
        };
        let ground = ground.map_or(String::new(), |g| {
            format!("<rect width=\"{size}\" height=\"{size}\" fill=\"{g}\"/>")
        });
        let half = f64::from(size) / 2.0;
        format!(
            "<pattern id=\"{prefix}-{}\" width=\"{size}\" height=\"{size}\" \
             patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate({turn})\">{ground}\
             <path d=\"M{half},0v{size}\" stroke=\"{stripe}\" stroke-width=\"{width}\"/></pattern>",
            self.id()
        )
    }
}

/// A dashed stroke. The canvas strokes the whole line or outline in the marker colour of its
/// dash (no chart colour is that close to black); [`finish`] writes its colour and a
/// `stroke-dasharray` instead, which SVG starts over at the start of each line.
#[derive(Clone, Copy, PartialEq)]
pub struct Dash {
    pub colour: plotters::style::RGBColor,
    /// Units drawn, then units left out.
    pub dash: f64,
    pub gap: f64,
}

impl Dash {
    /// The marker colour of the dash at `index` of a chart's list.
    pub fn marker(index: usize) -> plotters::style::RGBColor {
        plotters::style::RGBColor(2, (index >> 8) as u8, index as u8)
    }
}

fn hex(c: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The finished, standalone `<svg>` element. `prefix` makes the ids of `<title>` and `<desc>`
/// unique on a page; `tips[id]` is the whole text of tooltip group `id`, `dashes[i]` the dash
/// of marker `i`.
pub fn finish(
    plotted: &str,
    prefix: &str,
    title: &str,
    desc: &str,
    tips: &[String],
    dashes: &[Dash],
) -> String {
    let (open, body) = plotted
        .split_once('\n')
        .filter(|(open, _)| open.starts_with("<svg "))
        .expect("plotters' SVG starts with its <svg> tag on a line of its own");
    let view_box = attribute(open, "viewBox").expect("plotters writes a viewBox");
    let mut body = join(body);
    for (i, d) in dashes.iter().enumerate() {
        body = body.replace(
            &format!("stroke=\"{}\"", hex(Dash::marker(i))),
            &format!(
                "stroke=\"{}\" stroke-dasharray=\"{} {}\"",
                hex(d.colour),
                d.dash,
                d.gap
            ),
        );
    }
    let mut defs = String::new();
    for h in Hatch::ALL {
        let marker = format!("fill=\"{}\"", h.marker_hex());
        if body.contains(&marker) {
            body = body.replace(&marker, &format!("fill=\"url(#{prefix}-{})\"", h.id()));
            defs.push_str(&h.pattern(prefix));
        }
    }
    let mut out = String::with_capacity(plotted.len() + title.len() + desc.len() + 512);
    let p = prefix;
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view_box}\" role=\"img\" \
         aria-labelledby=\"{p}-title {p}-desc\" font-family=\"sans-serif\"{TEXT_SIZE}{TEXT_FILL}>\n\
         <title id=\"{p}-title\">{}</title>\n<desc id=\"{p}-desc\">{}</desc>\n",
        esc(title),
        esc(desc)
    );
    if !defs.is_empty() {
        let _ = writeln!(out, "<defs>{defs}</defs>");
    }
    let mut rest = body.as_str();
    while let Some(i) = rest.find([TIP_START, TIP_END]) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().expect("found");
        rest = &rest[i + c.len_utf8()..];
        if c == TIP_START {
            let (id, after) = rest.split_once(TIP_ID_END).expect("a tooltip id");
            let tip = id.parse::<usize>().ok().and_then(|k| tips.get(k));
            let open_text = out.rfind("<text").expect("the mark is inside a <text>");
            let group = format!(
                "<g><title>{}</title>\n",
                esc(tip.map_or("", |t| t.as_str()))
            );
            out.insert_str(open_text, &group);
            rest = after;
        } else {
            let close = rest.find("</text>\n").expect("the mark is inside a <text>") + 8;
            out.push_str(&rest[..close]);
            out.push_str("</g>\n");
            rest = &rest[close..];
        }
    }
    out.push_str(rest);
    compact(&out)
}

/// What the root sets for every text, left out of the texts that have it.
const TEXT_SIZE: &str = " font-size=\"16\"";
const TEXT_FILL: &str = " fill=\"#1A1A1A\"";

/// `svg` without what changes nothing in the picture, about a tenth of its bytes: plotters'
/// `opacity="1"` and `text-anchor="start"` (the defaults), `font-family="sans-serif"` and
/// the most common text size and colour on a text (the root sets them, and every shape
/// plotters draws has a `fill` of its own), and the line breaks around a text's content (SVG strips a text's leading and trailing
/// white space).
fn compact(svg: &str) -> String {
    let lines: Vec<&str> = svg.lines().collect();
    let mut out = String::with_capacity(svg.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let plotted =
            line.starts_with('<') && !line.starts_with("<svg ") && !line.contains("<title");
        let tag = if plotted && line.starts_with("<text ") {
            line.replace(" opacity=\"1\"", "")
                .replace(" font-family=\"sans-serif\"", "")
                .replace(" text-anchor=\"start\"", "")
                .replace(TEXT_SIZE, "")
                .replace(TEXT_FILL, "")
        } else if plotted {
            line.replace(" opacity=\"1\"", "")
        } else {
            line.to_string()
        };
        if plotted && line.starts_with("<text ") && lines.get(i + 2) == Some(&"</text>") {
            let _ = writeln!(out, "{tag}{}</text>", lines[i + 1]);
            i += 3;
        } else {
            let _ = writeln!(out, "{tag}");
            i += 1;
        }
    }
    out
}

/// Plotters' elements, one a line, with runs of strokes of one style joined into a `<path>`
/// and each fill joined with the outline drawn right after it, then runs of rectangles of one
/// style that do not overlap joined into a `<path>` ([`rects`]). Strokes and polygons are
/// joined only when fully opaque: with `opacity` below 1, two overlapping elements and one
/// element are not the same picture. Texts are left alone (plotters escapes their content, so
/// no line of it starts a tag).
fn join(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some((style, data, next)) = run(&lines, i, stroke) {
            let _ = writeln!(out, "<path fill=\"none\" {style} d=\"{}\"/>", data.concat());
            i = next;
        } else if let Some((fill, data, next)) = run(&lines, i, polygon).filter(|r| r.1.len() > 1) {
            let _ = writeln!(
                out,
                "<path opacity=\"1\" fill=\"{fill}\" d=\"{}\"/>",
                data.concat()
            );
            i = next;
        } else if let Some(both) = lines.get(i + 1).and_then(|next| outlined(line, next)) {
            let _ = writeln!(out, "{both}");
            i += 2;
        } else {
            let _ = writeln!(out, "{line}");
            i += 1;
        }
    }
    rects(&out)
}

/// Runs of `<rect>`s of one style as one `<path>` of rectangles (`M x,y h w v h h -w z`), as
/// long as no two of a run overlap: the bars of a chart. Each rectangle is painted the same,
/// its fill and then its outline, except that an outline shared with the next rectangle is
/// painted above that one's fill instead of under it, in the same colour.
fn rects(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < lines.len() {
        let Some((style, first)) = rect(lines[i]) else {
            let _ = writeln!(out, "{}", lines[i]);
            i += 1;
            continue;
        };
        let mut run = vec![first];
        let mut next = i + 1;
        while let Some((_, r)) = lines
            .get(next)
            .and_then(|l| rect(l))
            .filter(|(s, r)| *s == style && !run.iter().any(|o| overlap(o, r)))
        {
            run.push(r);
            next += 1;
        }
        if run.len() == 1 {
            let _ = writeln!(out, "{}", lines[i]);
        } else {
            let d: Vec<String> = run
                .iter()
                .map(|[x, y, w, h]| format!("M{x},{y}h{w}v{h}h-{w}z"))
                .collect();
            let _ = writeln!(out, "<path {style} d=\"{}\"/>", d.join(""));
        }
        i = next;
    }
    out
}

/// The style and `[x, y, width, height]` of a `<rect x=".." y=".." width=".." height=".."
/// STYLE/>` as plotters writes it.
fn rect(line: &str) -> Option<(&str, [i64; 4])> {
    let rest = line.strip_prefix("<rect x=\"")?;
    let mut v = [0; 4];
    let mut rest = rest;
    for (k, next) in v
        .iter_mut()
        .zip(["\" y=\"", "\" width=\"", "\" height=\"", "\" "])
    {
        let (n, after) = rest.split_once(next)?;
        *k = n.parse().ok()?;
        rest = after;
    }
    Some((rest.strip_suffix("/>")?, v))
}

/// Whether two rectangles share more than an edge.
fn overlap(a: &[i64; 4], b: &[i64; 4]) -> bool {
    let ([ax, ay, aw, ah], [bx, by, bw, bh]) = (*a, *b);
    ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah
}

/// Path data for a polyline through `points`: repeated points and points in the middle of a
/// straight segment left out, every step relative (`h`, `v` or `l`) to the one before.
pub fn path_data(points: &[(i64, i64)]) -> String {
    let mut kept: Vec<(i64, i64)> = Vec::with_capacity(points.len());
    for &p in points {
        if kept.last() == Some(&p) {
            continue;
        }
        if let [.., a, b] = kept[..] {
            let (u, v) = ((b.0 - a.0, b.1 - a.1), (p.0 - b.0, p.1 - b.1));
            // On the line through a and b, and going on the same way: b is in between.
            if u.0 * v.1 == u.1 * v.0 && u.0 * v.0 + u.1 * v.1 > 0 {
                kept.pop();
            }
        }
        kept.push(p);
    }
    let mut d = Data::default();
    let Some(&(mut x, mut y)) = kept.first() else {
        return d.out;
    };
    d.step('M', &[x, y]);
    for &(nx, ny) in &kept[1..] {
        match (nx - x, ny - y) {
            (dx, 0) => d.step('h', &[dx]),
            (0, dy) => d.step('v', &[dy]),
            (dx, dy) => d.step('l', &[dx, dy]),
        }
        (x, y) = (nx, ny);
    }
    d.out
}

/// Path data written as short as SVG reads it: a command letter only when it changes (SVG
/// repeats the last one), and a space between two numbers only where the second has no minus
/// sign to start it.
#[derive(Default)]
struct Data {
    out: String,
    last: Option<char>,
}

impl Data {
    fn step(&mut self, command: char, numbers: &[i64]) {
        // After `M`, further pairs are line-tos, so `M` is never left to repeat.
        let repeat = self.last == Some(command) && command != 'M';
        if !repeat {
            self.out.push(command);
        }
        for (i, n) in numbers.iter().enumerate() {
            if (i > 0 || repeat) && *n >= 0 {
                self.out
                    .push(if i > 0 && command == 'M' { ',' } else { ' ' });
            }
            let _ = write!(self.out, "{n}");
        }
        self.last = Some(command);
    }
}

/// The lines from `i` on that `read` reads with the same style as line `i`: the style, the
/// path data of each, and the index after them.
fn run<'l>(
    lines: &[&'l str],
    i: usize,
    read: fn(&'l str) -> Option<(&'l str, String)>,
) -> Option<(&'l str, Vec<String>, usize)> {
    let (style, first) = read(lines.get(i)?)?;
    let mut data = vec![first];
    let mut next = i + 1;
    while let Some((_, more)) = lines
        .get(next)
        .and_then(|l| read(l))
        .filter(|s| s.0 == style)
    {
        data.push(more);
        next += 1;
    }
    Some((style, data, next))
}

/// The style and the path data ([`path_data`]) of a fully opaque `<polyline fill="none" ..
/// points=".."/>` or `<line .. x1=".." y1=".." x2=".." y2=".."/>` as plotters writes them.
fn stroke(line: &str) -> Option<(&str, String)> {
    let num = |s: &str| s.parse::<i64>().ok();
    let (style, points) = if let Some(rest) = line.strip_prefix("<polyline fill=\"none\" ") {
        let (style, points) = rest.split_once(" points=\"")?;
        let points = points
            .strip_suffix("\"/>")?
            .split_whitespace()
            .map(|p| {
                let (x, y) = p.split_once(',')?;
                Some((num(x)?, num(y)?))
            })
            .collect::<Option<Vec<_>>>()?;
        (style, points)
    } else {
        let (style, _) = line.strip_prefix("<line ")?.split_once(" x1=\"")?;
        let at = |name| attribute(line, name).and_then(num);
        let (x1, y1, x2, y2) = (at("x1")?, at("y1")?, at("x2")?, at("y2")?);
        (style, vec![(x1, y1), (x2, y2)])
    };
    (style.starts_with("opacity=\"1\" ") && !points.is_empty()).then(|| (style, path_data(&points)))
}

/// The fill and the path data (`M x,y l dx dy .. z`, relative after the first point, see
/// [`Data`]) of a fully opaque `<polygon opacity="1" fill=".." points=".."/>` as plotters
/// writes it.
fn polygon(line: &str) -> Option<(&str, String)> {
    let rest = line.strip_prefix("<polygon opacity=\"1\" fill=\"")?;
    let (fill, rest) = rest.split_once('"')?;
    let points = rest.strip_prefix(" points=\"")?.strip_suffix("\"/>")?;
    let mut d = Data::default();
    let mut at: Option<(i64, i64)> = None;
    for p in points.split_whitespace() {
        let (x, y) = p.split_once(',')?;
        let (x, y) = (x.parse::<i64>().ok()?, y.parse::<i64>().ok()?);
        match at {
            None => d.step('M', &[x, y]),
            Some((px, py)) => d.step('l', &[x - px, y - py]),
        }
        at = Some((x, y));
    }
    at?;
    d.out.push('z');
    Some((fill, d.out))
}

/// A filled rectangle or circle and the fully opaque outline plotters draws right after it
/// (`<rect .. fill="#F2F2F2" stroke="none"/>`, then the same `<rect .. fill="none"
/// stroke="#BDBDBD"/>`) as one element, which paints its fill and then its stroke just the
/// same. A fill's `opacity` below 1 (a planned bar's tint) becomes `fill-opacity`.
fn outlined(fill: &str, outline: &str) -> Option<String> {
    let (shape, paint) = fill.split_once(" fill=\"")?;
    let (colour, rest) = paint.split_once('"')?;
    let (same_shape, stroke) = outline.split_once(" fill=\"none\" ")?;
    let (geometry, opacity) = shape.rsplit_once(" opacity=\"")?;
    let opacity = opacity.strip_suffix('"')?;
    let joinable = (shape.starts_with("<rect ") || shape.starts_with("<circle "))
        && same_shape.strip_suffix(" opacity=\"1\"") == Some(geometry)
        && colour != "none"
        && rest.starts_with(" stroke=\"none\"")
        && !stroke.starts_with("stroke=\"none\"");
    joinable.then(|| {
        if opacity == "1" {
            format!("{shape} fill=\"{colour}\" {stroke}")
        } else {
            format!(
                "{geometry} opacity=\"1\" fill=\"{colour}\" fill-opacity=\"{opacity}\" {stroke}"
            )
        }
    })
}

/// The value of `name="..."` in a tag plotters wrote (its values hold no quotes).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygons_of_one_colour_become_one_path() {
        let body = "<polygon opacity=\"1\" fill=\"#DCDCDC\" points=\"1,2 3,4 5,6 \"/>\n\
                    <polygon opacity=\"1\" fill=\"#DCDCDC\" points=\"7,8 9,9 7,9 \"/>\n\
                    <polygon opacity=\"1\" fill=\"#EEEEEE\" points=\"0,0 1,0 1,1 \"/>\n\
                    <polygon opacity=\"0.5\" fill=\"#EEEEEE\" points=\"0,0 1,0 1,1 \"/>\n";
        assert_eq!(
            join(body),
            "<path opacity=\"1\" fill=\"#DCDCDC\" d=\"M1,2l2 2 2 2zM7,8l2 1-2 0z\"/>\n\
             <polygon opacity=\"1\" fill=\"#EEEEEE\" points=\"0,0 1,0 1,1 \"/>\n\
             <polygon opacity=\"0.5\" fill=\"#EEEEEE\" points=\"0,0 1,0 1,1 \"/>\n"
        );
    }

    #[test]
    fn replaces_the_root_and_groups_tooltips() {
        let plotted = "<svg width=\"560\" height=\"100\" viewBox=\"0 0 560 100\" \
                       xmlns=\"http://www.w3.org/2000/svg\">\n\
                       <text x=\"1\">\n\u{E000}0\u{E001}Koperasi…\u{E002}\n</text>\n\
                       <text x=\"2\">\nplain\n</text>\n</svg>\n";
        let out = finish(
            plotted,
            "chart-x",
            "T<",
            "D&",
            &["Koperasi Sejahtera".into()],
            &[],
        );
        assert_eq!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 560 100\" role=\"img\" \
             aria-labelledby=\"chart-x-title chart-x-desc\" font-family=\"sans-serif\" \
             font-size=\"16\" fill=\"#1A1A1A\">\n\
             <title id=\"chart-x-title\">T&lt;</title>\n<desc id=\"chart-x-desc\">D&amp;</desc>\n\
             <g><title>Koperasi Sejahtera</title>\n<text x=\"1\">Koperasi…</text>\n</g>\n\
             <text x=\"2\">plain</text>\n</svg>\n"
        );
    }

    #[test]
    fn drops_default_attributes_and_line_breaks_around_text() {
        let svg = "<svg viewBox=\"0 0 1 1\" font-family=\"sans-serif\">\n\
                   <title id=\"t\">opacity=\"1\"</title>\n\
                   <rect x=\"1\" opacity=\"1\" fill=\"#000\"/>\n\
                   <rect x=\"2\" opacity=\"0.18\" fill=\"#000\"/>\n\
                   <text x=\"3\" font-family=\"sans-serif\" font-size=\"16\" opacity=\"1\">\n1.000\n</text>\n\
                   <text x=\"4\" text-anchor=\"start\" font-size=\"17\" fill=\"#1A1A1A\">\na\n</text>\n\
                   <text x=\"5\" text-anchor=\"end\" fill=\"#595959\">\nb\n</text>\n</svg>\n";
        assert_eq!(
            compact(svg),
            "<svg viewBox=\"0 0 1 1\" font-family=\"sans-serif\">\n\
             <title id=\"t\">opacity=\"1\"</title>\n\
             <rect x=\"1\" fill=\"#000\"/>\n\
             <rect x=\"2\" opacity=\"0.18\" fill=\"#000\"/>\n\
             <text x=\"3\">1.000</text>\n\
             <text x=\"4\" font-size=\"17\">a</text>\n\
             <text x=\"5\" text-anchor=\"end\" fill=\"#595959\">b</text>\n</svg>\n"
        );
    }

    #[test]
    fn joins_strokes_of_one_style_and_fills_with_their_outline() {
        let body = "<polyline fill=\"none\" opacity=\"1\" stroke=\"#BDBDBD\" stroke-width=\"1\" points=\"1,2 3,4 \"/>\n\
             <polyline fill=\"none\" opacity=\"1\" stroke=\"#BDBDBD\" stroke-width=\"1\" points=\"5,6 7,8 \"/>\n\
             <line opacity=\"1\" stroke=\"#BDBDBD\" stroke-width=\"1\" x1=\"0\" y1=\"9\" x2=\"10\" y2=\"9\"/>\n\
             <polyline fill=\"none\" opacity=\"1\" stroke=\"#0072B2\" stroke-width=\"3\" points=\"1,1 2,2 3,1 \"/>\n\
             <polyline fill=\"none\" opacity=\"0.5\" stroke=\"#0072B2\" stroke-width=\"1\" points=\"1,1 2,2 \"/>\n\
             <polyline fill=\"none\" opacity=\"0.5\" stroke=\"#0072B2\" stroke-width=\"1\" points=\"3,3 4,4 \"/>\n\
             <rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"#F2F2F2\" stroke=\"none\"/>\n\
             <rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"none\" stroke=\"#1A1A1A\"/>\n\
             <rect x=\"9\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"#F2F2F2\" stroke=\"none\"/>\n\
             <rect x=\"8\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"none\" stroke=\"#1A1A1A\"/>\n\
             <text x=\"1\">\n&lt;polyline\n</text>\n</svg>\n";
        assert_eq!(
            join(body),
            "<path fill=\"none\" opacity=\"1\" stroke=\"#BDBDBD\" stroke-width=\"1\" d=\"M1,2l2 2M5,6l2 2M0,9h10\"/>\n\
             <path fill=\"none\" opacity=\"1\" stroke=\"#0072B2\" stroke-width=\"3\" d=\"M1,1l1 1 1-1\"/>\n\
             <polyline fill=\"none\" opacity=\"0.5\" stroke=\"#0072B2\" stroke-width=\"1\" points=\"1,1 2,2 \"/>\n\
             <polyline fill=\"none\" opacity=\"0.5\" stroke=\"#0072B2\" stroke-width=\"1\" points=\"3,3 4,4 \"/>\n\
             <rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"#F2F2F2\" stroke=\"#1A1A1A\"/>\n\
             <rect x=\"9\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"#F2F2F2\" stroke=\"none\"/>\n\
             <rect x=\"8\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"none\" stroke=\"#1A1A1A\"/>\n\
             <text x=\"1\">\n&lt;polyline\n</text>\n</svg>\n",
            "semi-opaque strokes and shapes that differ stay as they were"
        );
    }

    #[test]
    fn a_tint_and_its_dashed_outline_become_one_shape() {
        let marker = hex(Dash::marker(0));
        let plotted = format!(
            "<svg width=\"560\" height=\"100\" viewBox=\"0 0 560 100\">\n\
             <rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" opacity=\"0.18\" fill=\"#0072B2\" stroke=\"none\"/>\n\
             <rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"none\" stroke=\"{marker}\"/>\n</svg>\n"
        );
        let dash = Dash {
            colour: plotters::style::RGBColor(0x1A, 0x1A, 0x1A),
            dash: 4.0,
            gap: 3.0,
        };
        let out = finish(&plotted, "chart-x", "T", "D", &[], &[dash]);
        assert!(
            out.contains(
                "<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" fill=\"#0072B2\" \
                 fill-opacity=\"0.18\" stroke=\"#1A1A1A\" stroke-dasharray=\"4 3\"/>"
            ),
            "{out}"
        );
        assert!(!out.contains(&marker));
    }

    #[test]
    fn path_data_leaves_out_repeated_points_and_points_on_a_straight_run() {
        let points = [
            (0, 9),
            (0, 9),
            (2, 9),
            (5, 9),
            (5, 7),
            (5, 3),
            (6, 2),
            (7, 1),
            (7, 1),
        ];
        assert_eq!(path_data(&points), "M0,9h5v-6l2-2");
        assert_eq!(
            path_data(&[(1, 1), (4, 1), (2, 1)]),
            "M1,1h3-2",
            "turning back is kept"
        );
        assert_eq!(path_data(&[(3, 4)]), "M3,4");
    }

    #[test]
    fn joins_rectangles_of_one_style_that_do_not_overlap() {
        let body = "<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" fill=\"#0072B2\" stroke=\"#1A1A1A\"/>\n\
             <rect x=\"4\" y=\"2\" width=\"3\" height=\"4\" fill=\"#0072B2\" stroke=\"#1A1A1A\"/>\n\
             <rect x=\"5\" y=\"3\" width=\"3\" height=\"4\" fill=\"#0072B2\" stroke=\"#1A1A1A\"/>\n\
             <rect x=\"9\" y=\"3\" width=\"3\" height=\"4\" opacity=\"0.18\" fill=\"#0072B2\" stroke=\"none\"/>\n";
        assert_eq!(
            rects(body),
            "<path fill=\"#0072B2\" stroke=\"#1A1A1A\" d=\"M1,2h3v4h-3zM4,2h3v4h-3z\"/>\n\
             <rect x=\"5\" y=\"3\" width=\"3\" height=\"4\" fill=\"#0072B2\" stroke=\"#1A1A1A\"/>\n\
             <rect x=\"9\" y=\"3\" width=\"3\" height=\"4\" opacity=\"0.18\" fill=\"#0072B2\" stroke=\"none\"/>\n",
            "an overlapping rectangle starts a run of its own"
        );
    }

    #[test]
    fn hatching_is_a_pattern_defined_once() {
        let marker = Hatch::Band.marker_hex();
        let plotted = format!(
            "<svg width=\"560\" height=\"100\" viewBox=\"0 0 560 100\">\n\
             <rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"{marker}\" stroke=\"none\"/>\n\
             <rect x=\"8\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"{marker}\" stroke=\"none\"/>\n</svg>\n"
        );
        let out = finish(&plotted, "chart-x", "T", "D", &[], &[]);
        assert_eq!(out.matches("<pattern ").count(), 1, "{out}");
        assert!(out.contains("<pattern id=\"chart-x-band\""), "{out}");
        assert!(out.contains("fill=\"url(#chart-x-band)\" stroke=\"none\" d=\"M1,2h3v4h-3zM8,2"));
        assert!(!out.contains(&marker));
    }
}
