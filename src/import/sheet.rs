//! Reading a CSV file or a workbook into plain rows of cells.

use std::path::Path;

use calamine::{Data, Reader, SheetType, SheetVisible};
use chrono::NaiveDate;

/// One cell as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    /// A cell formatted as a date (its time of day dropped).
    Date(NaiveDate),
    Bool(bool),
    /// `#REF!`, `#VALUE!`, an impossible date...
    Error(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a person would read it.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => f.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

#[derive(Debug)]
pub struct Row {
    /// 1-based, as the spreadsheet program shows it.
    pub number: u32,
    pub cells: Vec<Cell>,
}

#[derive(Debug)]
pub struct Sheet {
    /// `None` for a CSV file.
    pub name: Option<String>,
    pub rows: Vec<Row>,
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a kind of file `import` reads (a command-line mistake).
    Unsupported(String),
    /// A file of the right kind that is broken or unreadable.
    Broken(String),
}

/// The kinds of file `import` reads, by extension.
pub const EXTENSIONS: [&str; 5] = ["csv", "xlsx", "xlsm", "xls", "ods"];

/// Every sheet of the file, with notes about sheets left out.
pub fn read(path: &Path, notes: &mut Vec<String>) -> Result<Vec<Sheet>, ReadError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => read_csv(path).map(|s| vec![s]),
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path, notes),
        _ => Err(ReadError::Unsupported(format!(
            "{} is not a .csv or .xlsx file (also read: .xlsm, .xls, .ods)",
            path.display()
        ))),
    }
}

fn read_csv(path: &Path) -> Result<Sheet, ReadError> {
    let bytes = std::fs::read(path)
        .map_err(|e| ReadError::Broken(format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        ReadError::Broken(format!(
            "{} is not UTF-8 text (line {line}); in Excel choose \"Save as\" -> \"CSV UTF-8\"",
            path.display()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record
            .map_err(|e| ReadError::Broken(format!("{} is not valid CSV: {e}", path.display())))?;
        let number = record
            .position()
            .map(|p| p.line() as u32)
            .unwrap_or(rows.len() as u32 + 1);
        rows.push(Row {
            number,
            cells: record
                .iter()
                .map(|c| {
                    if c.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_string())
                    }
                })
                .collect(),
        });
    }
    Ok(Sheet { name: None, rows })
}

/// Excel in an Indonesian locale saves CSV with `;` because `,` is the decimal sign: the
/// separator that occurs most in the first non-empty line (outside quotes) wins.
fn delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b';', 0), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for c in counts.iter_mut() {
                if c.0 == b {
                    c.1 += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|c| (c.1, c.0 == b','))
        .map(|c| c.0)
        .unwrap_or(b',')
}

fn read_workbook(path: &Path, notes: &mut Vec<String>) -> Result<Vec<Sheet>, ReadError> {
    let broken = |e: &dyn std::fmt::Display| {
        ReadError::Broken(format!("cannot read the workbook {}: {e}", path.display()))
    };
    let mut book = calamine::open_workbook_auto(path).map_err(|e| broken(&e))?;
    let meta: Vec<_> = book.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    for sheet in meta {
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        if sheet.visible != SheetVisible::Visible {
            notes.push(format!("sheet {}: hidden, not read", sheet.name));
            continue;
        }
        let range = book.worksheet_range(&sheet.name).map_err(|e| broken(&e))?;
        let first_row = range.start().map(|(r, _)| r).unwrap_or(0);
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| Row {
                number: first_row + i as u32 + 1,
                cells: cells.iter().map(cell).collect(),
            })
            .collect();
        sheets.push(Sheet {
            name: Some(sheet.name.clone()),
            rows,
        });
    }
    Ok(sheets)
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(y.into(), m.into(), day.into())
                .map(Cell::Date)
                .unwrap_or_else(|| Cell::Error(format!("the date serial {}", dt.as_f64())))
        }
        Data::DateTime(dt) => Cell::Error(format!("the duration {}", dt.as_f64())),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("the error value {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_follows_the_header_line() {
        assert_eq!(delimiter("Tanggal;Jumlah;Satuan\n1;2,5;t"), b';');
        assert_eq!(delimiter("date,quantity,unit\n"), b',');
        assert_eq!(delimiter("\"a;b\",c,d\n"), b',');
        assert_eq!(delimiter("a\tb\tc"), b'\t');
        assert_eq!(delimiter("tanggal"), b',');
    }
}
