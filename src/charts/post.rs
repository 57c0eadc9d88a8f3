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
    let mut rest = body;
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
    out
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
             <g><title>Koperasi Sejahtera</title>\n<text x=\"1\">\nKoperasi…\n</text>\n</g>\n\
             <text x=\"2\">\nplain\n</text>\n</svg>\n"
        );
    }
}
