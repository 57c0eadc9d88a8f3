//! The presentation files of a site: built-in templates and interface strings, each of which a
//! file of the same name in the site's `templates/` or `i18n/` replaces, and `static/` files.

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::load::files;
use crate::load::limits::DEFAULT_MAX_FILE_SIZE;
use crate::load::relative;

/// Built-in templates, compiled into the binary.
pub const BUILTIN_TEMPLATES: [(&str, &str); 16] = [
    ("base.html", include_str!("../templates/base.html")),
    (
        "portfolio.html",
        include_str!("../templates/portfolio.html"),
    ),
    (
        "agreement.html",
        include_str!("../templates/agreement.html"),
    ),
    ("ledger.html", include_str!("../templates/ledger.html")),
    (
        "participants.html",
        include_str!("../templates/participants.html"),
    ),
    ("history.html", include_str!("../templates/history.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("report.html", include_str!("../templates/report.html")),
    ("chart.html", include_str!("../templates/chart.html")),
    (
        "data_table.html",
        include_str!("../templates/data_table.html"),
    ),
    (
        "agreement_header.html",
        include_str!("../templates/agreement_header.html"),
    ),
    ("style.css", include_str!("../templates/style.css")),
    ("filter.js", include_str!("../templates/filter.js")),
    ("search.html", include_str!("../templates/search.html")),
    ("search.js", include_str!("../templates/search.js")),
];

const BUILTIN_STRINGS: [(&str, &str); 2] = [
    ("id", include_str!("render/i18n/id.yaml")),
    ("en", include_str!("render/i18n/en.yaml")),
];

/// A template's text and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// `templates/x.html` for a site override, `(built-in) x.html` otherwise.
    pub origin: String,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, TemplateSource>,
    /// Language code -> key -> interface string.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// `static/` files: output path -> bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The built-in templates and strings alone, as for a site with no theme files.
    pub fn builtin() -> Theme {
        let mut theme = Theme::default();
        for (name, text) in BUILTIN_TEMPLATES {
            theme.templates.insert(
                name.to_string(),
                TemplateSource {
                    origin: format!("(built-in) {name}"),
                    text: text.to_string(),
                },
            );
        }
        for (lang, text) in BUILTIN_STRINGS {
            let map: BTreeMap<String, String> =
                crate::load::yaml::parse("(built-in)", text, 0).expect("built-in strings parse");
            theme.strings.insert(lang.to_string(), map);
        }
        theme
    }

    /// The interface string `key` in `lang`, by the one fallback rule of [`Theme::lookup`].
    pub fn string(&self, lang: &str, key: &str) -> String {
        self.lookup(lang, key)
            .map(|(_, s)| s.to_string())
            .unwrap_or_else(|| key.to_string())
    }

    /// The one fallback rule of every reader-visible word: the site's `i18n/<lang>.yaml`, then
    /// the built-in strings of `lang`, then English (the site's `i18n/en.yaml` when the site has
    /// English, then the built-in English).
    /// Returns the language the string was found in with the string.
    pub fn lookup<'t>(&'t self, lang: &'t str, key: &str) -> Option<(&'t str, &'t str)> {
        let find = |l: &'t str| {
            self.strings
                .get(l)
                .and_then(|m| m.get(key))
                .map(|s| (l, s.as_str()))
        };
        find(lang).or_else(|| find(FALLBACK))
    }
}

/// The language every missing interface string comes from.
pub const FALLBACK: &str = "en";

pub fn load(root: &Path, languages: &[String], diags: &mut Diagnostics) -> Theme {
    let mut theme = Theme::builtin();
    for (rel, bytes) in read_tree(root, "templates", diags) {
        let name = rel.trim_start_matches("templates/").to_string();
        match String::from_utf8(bytes) {
            Ok(text) => {
                theme
                    .templates
                    .insert(name, TemplateSource { origin: rel, text });
            }
            Err(_) => diags.push(Diagnostic::error(
                "template-error",
                &rel,
                Pos::START,
                "the template is not valid UTF-8 text",
            )),
        }
    }
    for lang in languages {
        let file = format!("i18n/{lang}.yaml");
        // Missing: the built-in strings stay. A link, a pipe or a folder is an error.
        let Some(bytes) = read_theme_file(root, &file, diags) else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            diags.push(Diagnostic::error(
                "unreadable-file",
                &file,
                Pos::START,
                "the strings file is not valid UTF-8 text",
            ));
            continue;
        };
        let text = text.trim_start_matches('\u{feff}');
        match crate::load::yaml::parse::<BTreeMap<String, String>>(&file, text, 0) {
            Ok(map) => theme.strings.entry(lang.clone()).or_default().extend(map),
            Err(d) => diags.push(d.quoting(text)),
        }
    }
    for (rel, bytes) in read_tree(root, "static", diags) {
        theme
            .statics
            .insert(rel.trim_start_matches("static/").to_string(), bytes);
    }
    theme
}

/// Regular files below `root/dir`, as (site-relative path, bytes), sorted. A symbolic link
/// (`dir` itself included) is an error and is not followed, so nothing outside the site is
/// ever read.
fn read_tree(root: &Path, dir: &str, diags: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let base = root.join(dir);
    if std::fs::symlink_metadata(&base).is_err() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walk = WalkDir::new(&base)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name();
    for entry in walk.into_iter().flatten() {
        let rel = relative(root, entry.path());
        if entry.path_is_symlink() {
            diags.push(files::link_error(&rel));
        } else if entry.file_type().is_file()
            && let Some(bytes) = read_theme_file(root, &rel, diags)
        {
            out.push((rel, bytes));
        }
    }
    out
}

/// A theme file's bytes, read under the loader's checks; `None` (with no finding) when it does
/// not exist. Files over the default data-file limit (256 MiB) are refused unread: the whole
/// site is held in memory while it renders.
fn read_theme_file(root: &Path, rel: &str, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    let max = DEFAULT_MAX_FILE_SIZE;
    match files::read_checked(root, rel, max) {
        Ok(bytes) => Some(bytes),
        Err(files::Refusal::Missing) => None,
        Err(files::Refusal::TooLarge(len)) => {
            diags.push(
                Diagnostic::error(
                    "file-too-large",
                    rel,
                    Pos::START,
                    format!("the file is {len} bytes, more than the {max} bytes a theme file may have; it was not read"),
                )
                .with_hint("publish large downloads elsewhere and link to them"),
            );
            None
        }
        Err(refusal) => {
            diags.push(refusal.diagnostic(rel));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_is_built_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for e in std::fs::read_dir(dir).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                BUILTIN_TEMPLATES.iter().any(|(n, _)| *n == name),
                "templates/{name} is not compiled in"
            );
        }
    }
}
