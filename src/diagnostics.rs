//! Findings about a site's data: values with a stable code and a location, printed by the
//! command line as human text, JSON or GitHub workflow commands.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column inside a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub fn new(line: u64, column: u64) -> Pos {
        Pos {
            line: line.clamp(1, u32::MAX as u64) as u32,
            column: column.clamp(1, u32::MAX as u64) as u32,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    /// Path relative to the site folder, with `/` separators.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    #[serde(skip)]
    pub hint: Option<Box<str>>,
    /// The source line at `line`, from bytes read under the loader's checks; the human format
    /// shows it. Never read from a path by the printer.
    #[serde(skip)]
    pub quote: Option<Box<str>>,
    /// Set for a finding about a spreadsheet (`sinergi import`): `file` is then the
    /// spreadsheet as named on the command line, `line` the row and `column` the column's
    /// position in the header row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Box<Cell>>,
}

/// Where in a spreadsheet a finding is, beyond its row and column number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The sheet of a workbook; `None` for a CSV file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The column's header as written, when the finding is about one column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            hint: None,
            quote: None,
            cell: None,
        }
    }

    pub fn warning(code: &'static str, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, pos, message)
        }
    }

    /// The same finding about the cell of a spreadsheet.
    pub fn in_cell(mut self, cell: Cell) -> Self {
        self.cell = Some(Box::new(cell));
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into().into_boxed_str());
        self
    }

    /// Quotes the line this finding is on from `text`, the file as it was read.
    pub fn quoting(mut self, text: &str) -> Self {
        self.quote = quote_line(text, self.line);
        self
    }

    /// What is wrong and what to do, in one line: the message and its hint. JSON and GitHub
    /// output have no hint line, so they carry this.
    pub fn full_message(&self) -> String {
        match &self.hint {
            Some(h) => format!("{}; {h}", self.message),
            None => self.message.clone(),
        }
    }
}

/// All findings of one run, kept in a stable order (file, line, column, code).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        self.items.dedup();
    }

    /// Quotes the source line of each finding on `file` that has none, from `text`, going
    /// through the text once however many findings it has.
    pub fn quote(&mut self, file: &str, text: &str) {
        let unquoted = |d: &Diagnostic| d.file == file && d.quote.is_none();
        let wanted: BTreeSet<u32> = self
            .items
            .iter()
            .filter(|d| unquoted(d))
            .map(|d| d.line)
            .collect();
        let Some(&last) = wanted.last() else {
            return;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: BTreeMap<u32, Box<str>> = (1..=last)
            .zip(text.lines())
            .filter(|(n, _)| wanted.contains(n))
            .map(|(n, l)| (n, shorten(l)))
            .collect();
        for d in self.items.iter_mut().filter(|d| unquoted(d)) {
            d.quote = lines.get(&d.line).cloned();
        }
    }

    /// The files with a finding that quotes no source line.
    pub fn unquoted_files(&self) -> BTreeSet<String> {
        self.items
            .iter()
            .filter(|d| d.quote.is_none())
            .map(|d| d.file.clone())
            .collect()
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == s).count()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }
}

/// How `check` and `import` print their findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

pub fn render(diags: &Diagnostics, format: Format) -> String {
    match format {
        Format::Human => render_human(diags),
        Format::Json => {
            let items: Vec<Diagnostic> = diags
                .items()
                .iter()
                .map(|d| Diagnostic {
                    message: d.full_message(),
                    ..d.clone()
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&items).expect("diagnostics serialize");
            s.push('\n');
            s
        }
        Format::Github => diags.items().iter().map(github_line).collect(),
    }
}

/// One GitHub Actions workflow command in the shape docs/FORMAT.md gives,
/// `::error file=...,line=...,col=...::message`.
fn github_line(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!(
        "::{kind} file={},line={},col={}::{}\n",
        github_escape_property(&d.file),
        d.line,
        d.column,
        github_escape_data(&d.full_message())
    )
}

fn github_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_escape_property(s: &str) -> String {
    github_escape_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// Human output in the style of rustc/miette: a header, the location, the source line with a
/// caret under the column (when the finding quotes one), and a hint.
fn render_human(diags: &Diagnostics) -> String {
    let mut out = String::new();
    for d in diags.items() {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{kind}[{}]: {}", d.code, clean(&d.message));
        if let Some(cell) = &d.cell {
            let _ = writeln!(out, "  --> {}: {}", clean(&d.file), cell_words(d, cell));
            if let Some(h) = &d.hint {
                let _ = writeln!(out, "  = hint: {}", clean(h));
            }
            out.push('\n');
            continue;
        }
        let _ = writeln!(out, "  --> {}:{}:{}", d.file, d.line, d.column);
        if let Some(shown) = &d.quote {
            let width = d.line.to_string().len();
            let caret_at = (d.column as usize)
                .saturating_sub(1)
                .min(shown.chars().count());
            let pad: String = shown
                .chars()
                .take(caret_at)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{:width$} |", "");
            let _ = writeln!(out, "{} | {}", d.line, clean(shown));
            let _ = writeln!(out, "{:width$} | {pad}^", "");
        }
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "  = hint: {}", clean(h));
        }
        out.push('\n');
    }
    out
}

/// `sheet Juni, row 7, column jumlah`.
fn cell_words(d: &Diagnostic, cell: &Cell) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &cell.sheet {
        parts.push(format!("sheet {}", clean(s)));
    }
    parts.push(format!("row {}", d.line));
    if let Some(h) = &cell.header {
        parts.push(format!("column {}", clean(h)));
    }
    parts.join(", ")
}

/// Line `line` (1-based) of `text`, without a byte-order mark.
fn quote_line(text: &str, line: u32) -> Option<Box<str>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .nth((line as usize).checked_sub(1)?)
        .map(shorten)
}

/// A source line as shown: at most 160 characters.
fn shorten(line: &str) -> Box<str> {
    line.chars().take(160).collect::<String>().into()
}

/// Terminal output never carries control characters from the user's data.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_quote_their_lines_from_the_text_given() {
        let mut diags = Diagnostics::default();
        for (file, line) in [("a.yaml", 2), ("a.yaml", 3), ("a.yaml", 9), ("b.yaml", 1)] {
            diags.push(Diagnostic::error("x", file, Pos::new(line, 1), "m"));
        }
        diags.quote("a.yaml", "\u{feff}one\ntwo\r\nthree\n");
        let quotes: Vec<Option<&str>> = diags.items().iter().map(|d| d.quote.as_deref()).collect();
        assert_eq!(quotes, [Some("two"), Some("three"), None, None]);
        assert_eq!(
            diags.unquoted_files().into_iter().collect::<Vec<_>>(),
            ["a.yaml", "b.yaml"]
        );
        let human = render(&diags, Format::Human);
        assert!(human.contains("  |\n2 | two\n  | ^\n"), "{human}");
        assert!(human.contains("  --> b.yaml:1:1\n\n"), "{human}");
    }

    #[test]
    fn github_escapes_newlines_and_separators() {
        let d = Diagnostic::error("unknown-key", "a,b:c.yaml", Pos::new(3, 4), "x\ny%");
        assert_eq!(
            github_line(&d),
            "::error file=a%2Cb%3Ac.yaml,line=3,col=4::x%0Ay%25\n"
        );
    }
}
