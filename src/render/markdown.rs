//! Markdown to safe HTML: raw HTML is shown as text, only http(s), relative and in-page links
//! survive, no external images, and headings get stable ids.

use std::collections::BTreeSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// Renders `md` with its highest heading level moved to `top` (h2 under a page's own h1), so
/// headings stay in order whatever level the author started at.
pub fn to_html(md: &str, top: u8) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_FOOTNOTES);
    let events: Vec<Event> = Parser::new_ext(md, options).collect();
    let highest = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut ids = BTreeSet::new();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    // Images are replaced by their alt text; `in_image` counts nesting inside one.
    let mut in_image = 0usize;
    let mut link_stack: Vec<bool> = Vec::new();
    while i < events.len() {
        let ev = events[i].clone();
        i += 1;
        match ev {
            Event::Html(s) | Event::InlineHtml(s) => out.push(Event::Text(s)),
            Event::Start(Tag::Heading { level, .. }) => {
                let text = heading_text(&events[i..]);
                let id = unique_id(&slugify(&text), &mut ids);
                out.push(Event::Start(Tag::Heading {
                    level: move_level(level, highest, top),
                    id: Some(CowStr::from(id)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                out.push(Event::End(TagEnd::Heading(move_level(level, highest, top))))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // An email autolink `<a@b.c>` is written as `mailto:a@b.c`: judge what is written.
                let ok = match link_type {
                    LinkType::Email => is_safe_link(&format!("mailto:{dest_url}")),
                    _ => is_safe_link(&dest_url),
                };
                link_stack.push(ok);
                if ok {
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if link_stack.pop().unwrap_or(false) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(t) if in_image > 0 => out.push(Event::Text(t)),
            _ if in_image > 0 => {}
            other => out.push(other),
        }
    }
    let mut s = String::new();
    html::push_html(&mut s, out.into_iter());
    s
}

/// `level` moved so that `highest` becomes `top`, kept within h1..h6.
fn move_level(level: HeadingLevel, highest: u8, top: u8) -> HeadingLevel {
    let n = (u16::from(level as u8) + u16::from(top))
        .saturating_sub(u16::from(highest))
        .clamp(1, 6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

fn heading_text(rest: &[Event]) -> String {
    let mut s = String::new();
    for ev in rest {
        match ev {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            _ => {}
        }
    }
    s
}

/// Relative paths, in-page anchors and http(s) URLs; nothing with another scheme, and no
/// `//host` (browsers read `\` as `/`, so `/\host` is one too).
pub fn is_safe_link(dest: &str) -> bool {
    let d = dest.trim();
    let lower: String = d
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .map(|c| if c == '\\' { '/' } else { c })
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return crate::validate::values::is_http_url(d);
    }
    if lower.starts_with("//") {
        return false;
    }
    // A scheme is letters followed by ':' before any '/', '?' or '#'.
    let before = lower.split(['/', '?', '#']).next().unwrap_or("");
    !before.contains(':')
}

/// A lowercase ASCII id from heading text (`Latar Belakang` -> `latar-belakang`).
pub fn slugify(text: &str) -> String {
    let s = crate::validate::values::slug_of(text, 60);
    if s.is_empty() {
        "section".to_string()
    } else {
        s
    }
}

fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text_and_bad_links_drop() {
        let h = to_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://a.id/) [z](../m/index.html)",
            2,
        );
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"));
        assert!(!h.contains("javascript:"));
        assert!(h.contains(r#"href="https://a.id/""#));
        assert!(h.contains(r#"href="../m/index.html""#));
    }

    #[test]
    fn headings_start_below_the_page_title() {
        let h = to_html("### Deep start\n\n#### Deeper", 2);
        assert!(h.contains("<h2 id=\"deep-start\">"), "{h}");
        assert!(h.contains("<h3 id=\"deeper\">"), "{h}");
    }

    #[test]
    fn headings_get_stable_unique_ids_and_shift() {
        let h = to_html("# Latar Belakang\n\n## Latar Belakang", 2);
        assert!(h.contains(r#"<h2 id="latar-belakang">"#), "{h}");
        assert!(h.contains(r#"<h3 id="latar-belakang-2">"#), "{h}");
    }

    #[test]
    fn email_autolinks_are_text_like_every_other_scheme() {
        let h = to_html("<humas@example.go.id> <https://a.id/>", 2);
        assert!(!h.contains("mailto:"), "{h}");
        assert!(h.contains("humas@example.go.id"), "{h}");
        assert!(h.contains(r#"href="https://a.id/""#), "{h}");
    }

    #[test]
    fn any_top_level_stays_within_h1_to_h6() {
        let h = to_html("# a\n\n###### b", u8::MAX);
        assert!(h.contains("<h6 id=\"a\">"), "{h}");
    }

    #[test]
    fn images_become_alt_text() {
        let h = to_html("![a tracker](https://evil.example/t.png)", 0);
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains("a tracker"));
    }

    #[test]
    fn sneaky_schemes_are_refused() {
        for d in [
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
        ] {
            assert!(!is_safe_link(d), "{d}");
        }
        assert!(is_safe_link("#sumber"));
        assert!(is_safe_link("../about/index.html"));
    }
}
