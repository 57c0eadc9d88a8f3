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
//!   ([`join`]): a run of strokes of one style (a band's stripes, a dashed line's dashes, the
//!   grid lines) becomes one `<path>`, and a filled rectangle or circle followed by its outline
//!   becomes one element with both, and a run of filled polygons of one colour (a map's
//!   islands) becomes one `<path>`. A chart's picture is unchanged; a page holding eight of
//!   them has hundreds of elements fewer.
//!
//! Everything else, the hatching and the dashes included, is drawn by plotters.

use std::fmt::Write;

use super::text::esc;

/// Opens a tooltip group: followed by its id in decimal digits and [`TIP_ID_END`].
pub const TIP_START: char = '\u{E000}';
pub const TIP_ID_END: char = '\u{E001}';
/// Closes a tooltip group at the end of its last text.
pub const TIP_END: char = '\u{E002}';

/// The finished, standalone `<svg>` element. `prefix` makes the ids of `<title>` and `<desc>`
/// unique on a page; `tips[id]` is the whole text of tooltip group `id`.
pub fn finish(plotted: &str, prefix: &str, title: &str, desc: &str, tips: &[String]) -> String {
    let (open, body) = plotted
        .split_once('\n')
        .filter(|(open, _)| open.starts_with("<svg "))
        .expect("plotters' SVG starts with its <svg> tag on a line of its own");
    let view_box = attribute(open, "viewBox").expect("plotters writes a viewBox");
    let body = join(body);
    let mut out = String::with_capacity(plotted.len() + title.len() + desc.len() + 512);
    let p = prefix;
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view_box}\" role=\"img\" \
         aria-labelledby=\"{p}-title {p}-desc\" font-family=\"sans-serif\">\n\
         <title id=\"{p}-title\">{}</title>\n<desc id=\"{p}-desc\">{}</desc>\n",
        esc(title),
        esc(desc)
    );
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

/// `svg` without what changes nothing in the picture, about a tenth of its bytes: plotters'
/// `opacity="1"` (the default) and `font-family="sans-serif"` (the root sets it for every
/// text), and the line breaks around a text's content (SVG strips a text's leading and trailing
/// white space).
fn compact(svg: &str) -> String {
    let lines: Vec<&str> = svg.lines().collect();
    let mut out = String::with_capacity(svg.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let plotted =
            line.starts_with('<') && !line.starts_with("<svg ") && !line.contains("<title");
        let tag = if plotted {
            line.replace(" opacity=\"1\"", "")
                .replace(" font-family=\"sans-serif\"", "")
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
/// and each fill joined with the outline drawn right after it. Only fully opaque elements are
/// joined: with `opacity` below 1, two overlapping elements and one element are not the same
/// picture. Texts are left alone (plotters escapes their content, so no line of it starts a
/// tag).
fn join(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        // Islands never overlap, so one path of many filled shapes paints the same.
        let joined = run(&lines, i, stroke)
            .map(|(style, data, next)| (format!("fill=\"none\" {style}"), data, next))
            .or_else(|| {
                run(&lines, i, polygon).map(|(fill, data, next)| {
                    (format!("opacity=\"1\" fill=\"{fill}\""), data, next)
                })
            });
        if let Some((style, data, next)) = joined {
            if data.len() == 1 {
                let _ = writeln!(out, "{line}");
            } else {
                let _ = writeln!(out, "<path {style} d=\"{}\"/>", data.join(" "));
            }
            i = next;
        } else if let Some(both) = lines.get(i + 1).and_then(|next| outlined(line, next)) {
            let _ = writeln!(out, "{both}");
            i += 2;
        } else {
            let _ = writeln!(out, "{line}");
            i += 1;
        }
    }
    out
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

/// The style and the path data of a fully opaque `<polyline fill="none" .. points=".."/>` or
/// `<line .. x1=".." y1=".." x2=".." y2=".."/>` as plotters writes them.
fn stroke(line: &str) -> Option<(&str, String)> {
    let (style, data) = if let Some(rest) = line.strip_prefix("<polyline fill=\"none\" ") {
        let (style, points) = rest.split_once(" points=\"")?;
        (
            style,
            format!("M{}", points.strip_suffix("\"/>")?.trim_end()),
        )
    } else {
        let (style, _) = line.strip_prefix("<line ")?.split_once(" x1=\"")?;
        let at = |name| attribute(line, name);
        let (x1, y1, x2, y2) = (at("x1")?, at("y1")?, at("x2")?, at("y2")?);
        (style, format!("M{x1},{y1} {x2},{y2}"))
    };
    style.starts_with("opacity=\"1\" ").then_some((style, data))
}

/// The fill and the path data (`M.. Z`) of a fully opaque `<polygon opacity="1" fill=".."
/// points=".."/>` as plotters writes it.
fn polygon(line: &str) -> Option<(&str, String)> {
    let rest = line.strip_prefix("<polygon opacity=\"1\" fill=\"")?;
    let (fill, rest) = rest.split_once('"')?;
    let points = rest.strip_prefix(" points=\"")?.strip_suffix("\"/>")?;
    Some((fill, format!("M{}Z", points.trim_end())))
}

/// A fully opaque filled rectangle or circle and the outline plotters draws right after it
/// (`<rect .. fill="#F2F2F2" stroke="none"/>`, then the same `<rect .. fill="none"
/// stroke="#BDBDBD"/>`) as one element, which paints its fill and then its stroke just the same.
fn outlined(fill: &str, outline: &str) -> Option<String> {
    let (shape, paint) = fill.split_once(" fill=\"")?;
    let (colour, rest) = paint.split_once('"')?;
    let (same_shape, stroke) = outline.split_once(" fill=\"none\" ")?;
    let joinable = (shape.starts_with("<rect ") || shape.starts_with("<circle "))
        && shape.ends_with(" opacity=\"1\"")
        && shape == same_shape
        && colour != "none"
        && rest.starts_with(" stroke=\"none\"")
        && !stroke.starts_with("stroke=\"none\"");
    joinable.then(|| format!("{shape} fill=\"{colour}\" {stroke}"))
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
            "<path opacity=\"1\" fill=\"#DCDCDC\" d=\"M1,2 3,4 5,6Z M7,8 9,9 7,9Z\"/>\n\
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
        );
        assert_eq!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 560 100\" role=\"img\" \
             aria-labelledby=\"chart-x-title chart-x-desc\" font-family=\"sans-serif\">\n\
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
                   <text x=\"3\" font-family=\"sans-serif\" font-size=\"16\" opacity=\"1\">\n1.000\n</text>\n</svg>\n";
        assert_eq!(
            compact(svg),
            "<svg viewBox=\"0 0 1 1\" font-family=\"sans-serif\">\n\
             <title id=\"t\">opacity=\"1\"</title>\n\
             <rect x=\"1\" fill=\"#000\"/>\n\
             <rect x=\"2\" opacity=\"0.18\" fill=\"#000\"/>\n\
             <text x=\"3\" font-size=\"16\">1.000</text>\n</svg>\n"
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
            "<path fill=\"none\" opacity=\"1\" stroke=\"#BDBDBD\" stroke-width=\"1\" d=\"M1,2 3,4 M5,6 7,8 M0,9 10,9\"/>\n\
             <polyline fill=\"none\" opacity=\"1\" stroke=\"#0072B2\" stroke-width=\"3\" points=\"1,1 2,2 3,1 \"/>\n\
             <polyline fill=\"none\" opacity=\"0.5\" stroke=\"#0072B2\" stroke-width=\"1\" points=\"1,1 2,2 \"/>\n\
             <polyline fill=\"none\" opacity=\"0.5\" stroke=\"#0072B2\" stroke-width=\"1\" points=\"3,3 4,4 \"/>\n\
             <rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"#F2F2F2\" stroke=\"#1A1A1A\"/>\n\
             <rect x=\"9\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"#F2F2F2\" stroke=\"none\"/>\n\
             <rect x=\"8\" y=\"2\" width=\"3\" height=\"4\" opacity=\"1\" fill=\"none\" stroke=\"#1A1A1A\"/>\n\
             <text x=\"1\">\n&lt;polyline\n</text>\n</svg>\n",
            "a lone stroke, semi-opaque strokes and shapes that differ stay as they were"
        );
    }
}
