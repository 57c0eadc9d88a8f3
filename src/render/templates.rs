//! The tera engine loaded with the site's templates, and template errors as diagnostics.

use tera::{Context, ErrorKind, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::theme::Theme;

pub struct Engine {
    tera: Tera,
    theme: Theme,
}

impl Engine {
    pub fn new(theme: &Theme) -> Result<Engine, Diagnostics> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let templates: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .filter(|(name, _)| name.ends_with(".html"))
            .map(|(name, src)| (name.as_str(), src.text.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(templates) {
            let mut d = Diagnostics::default();
            d.push(to_diagnostic(theme, &e));
            return Err(d);
        }
        Ok(Engine {
            tera,
            theme: theme.clone(),
        })
    }

    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|e| to_diagnostic(&self.theme, &e))
    }

    /// A file served as is from `assets/` (`style.css`, `filter.js`): the site's own of that
    /// name in `templates/`, else the built-in one.
    pub fn asset(&self, name: &str) -> &str {
        self.theme
            .templates
            .get(name)
            .map(|s| s.text.as_str())
            .unwrap_or("")
    }
}

/// Names the template file (the site's override or the built-in one) and the line.
fn to_diagnostic(theme: &Theme, e: &tera::Error) -> Diagnostic {
    let (name, pos, message) = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => (
            r.filename().to_string(),
            Pos::new(r.span().start_line as u64, r.span().start_col as u64 + 1),
            r.message().to_string(),
        ),
        other => (String::new(), Pos::START, other.to_string()),
    };
    let source = theme.templates.get(&name);
    let file = source.map(|t| t.origin.clone()).unwrap_or_else(|| {
        if name.is_empty() {
            "templates".to_string()
        } else {
            format!("templates/{name}")
        }
    });
    let d = Diagnostic::error("template-error", &file, pos, message).with_hint(
        "fix the template; docs/TEMPLATES.md lists the variables each template receives",
    );
    match source {
        Some(t) => d.quoting(&t.text),
        None => d,
    }
}
