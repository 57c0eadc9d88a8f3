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
pub const EXTENSIONS: [&str; 3] = ["csv", "xlsx", "xlsm"];

/// Why a file of another kind is not read, with what to do. `.xls` and `.ods` are refused on
/// purpose: fuzzing found an 8.5 KB `.xls` that makes calamine 0.38's reader loop until memory
/// runs out (`fuzz/known/`), and its `.ods` reader expands repeated cells without a bound.
pub fn unsupported(shown: &str, ext: &str) -> String {
    match ext {
        "xls" | "ods" => format!(
            "{shown}: .{ext} workbooks are not read, because a crafted one can make the \
             spreadsheet reader use all memory; save the sheet as .xlsx or .csv and import that"
        ),
        _ => format!("{shown} is not a .csv or .xlsx file (also read: .xlsm)"),
    }
}

/// Every sheet of the file, with notes about sheets left out.
/// The file is read under the loader's checks: a regular file of at most `max` bytes.
pub fn read(path: &Path, max: u64, notes: &mut Vec<String>) -> Result<Vec<Sheet>, ReadError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(ReadError::Unsupported(unsupported(
            &path.display().to_string(),
            &ext,
        )));
    }
    let bytes = crate::load::files::read_named(path, max)
        .map_err(|e| ReadError::Broken(format!("cannot read {}: {e}", path.display())))?;
    read_bytes(&ext, &bytes, &path.display().to_string(), notes)
}

/// Every sheet of a file of kind `ext` (one of [`EXTENSIONS`]) held in memory; `shown` names
/// the file in messages. The command reads the file whole and comes here too, so the fuzz
/// targets run exactly what it runs.
pub fn read_bytes(
    ext: &str,
    bytes: &[u8],
    shown: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<Sheet>, ReadError> {
    use calamine::open_workbook_from_rs;
    let broken = |e: &dyn std::fmt::Display| {
        ReadError::Broken(format!("cannot read the workbook {shown}: {e}"))
    };
    match ext {
        "csv" => read_csv(bytes, shown).map(|s| vec![s]),
        "xlsx" | "xlsm" => {
            let mut book = open_workbook_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| broken(&calamine::Error::Xlsx(e)))?;
            read_xlsx(&mut book, shown, notes)
        }
        _ => Err(ReadError::Unsupported(unsupported(shown, ext))),
    }
}

fn read_csv(bytes: &[u8], shown: &str) -> Result<Sheet, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        ReadError::Broken(format!(
            "{shown} is not UTF-8 text (line {line}); in Excel choose \"Save as\" -> \"CSV UTF-8\""
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| ReadError::Broken(format!("{shown} is not valid CSV: {e}")))?;
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

/// Most cells one sheet may spread over: each row counts from the sheet's first column to its
/// own last cell. A shipments sheet needs a few thousand; the limit keeps a small crafted
/// workbook (one cell at `XFD1048576`, or a compressed sheet of millions of cells) from taking
/// gigabytes of memory.
pub const MAX_CELLS: usize = 4_000_000;

/// A workbook in the Office Open XML format, read cell by cell (calamine's `worksheet_range`
/// would allocate the whole rectangle from `A1` to the farthest cell first).
fn read_xlsx<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Xlsx<RS>,
    shown: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<Sheet>, ReadError> {
    let broken = |e: &dyn std::fmt::Display| {
        ReadError::Broken(format!("cannot read the workbook {shown}: {e}"))
    };
    let too_big = |sheet: &str| {
        ReadError::Broken(format!(
            "the sheet {sheet} of {shown} spreads over more than {MAX_CELLS} cells; import it in \
             parts, or delete the rows and columns far from the data"
        ))
    };
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
        let mut reader = match book.worksheet_cells_reader(&sheet.name) {
            Ok(r) => r,
            Err(calamine::XlsxError::NotAWorksheet(_)) => {
                sheets.push(Sheet {
                    name: Some(sheet.name.clone()),
                    rows: Vec::new(),
                });
                continue;
            }
            Err(e) => return Err(broken(&calamine::Error::Xlsx(e))),
        };
        let mut filled = Vec::new();
        while let Some(c) = reader
            .next_cell()
            .map_err(|e| broken(&calamine::Error::Xlsx(e)))?
        {
            if matches!(c.get_value(), calamine::DataRef::Empty) {
                continue;
            }
            if filled.len() >= MAX_CELLS {
                return Err(too_big(&sheet.name));
            }
            filled.push((c.get_position(), cell(&Data::from(c.get_value().clone()))));
        }
        sheets.push(Sheet {
            name: Some(sheet.name.clone()),
            rows: rows_of(filled).ok_or_else(|| too_big(&sheet.name))?,
        });
    }
    Ok(sheets)
}

/// Rows of cells from `((row, column), cell)` in any order, as `worksheet_range` would give
/// them: columns counted from the sheet's first filled column, a later cell at the same place
/// winning. Empty rows are kept among the first rows, where the header is looked for, and left
/// out further down, where they would be skipped anyway. `None` past [`MAX_CELLS`].
fn rows_of(mut filled: Vec<((u32, u32), Cell)>) -> Option<Vec<Row>> {
    filled.sort_by_key(|(pos, _)| *pos);
    let Some(first_col) = filled.iter().map(|((_, c), _)| *c).min() else {
        return Some(Vec::new());
    };
    let mut budget = MAX_CELLS;
    let mut rows: Vec<Row> = Vec::new();
    let mut previous: Option<u32> = None;
    let mut at = 0;
    while at < filled.len() {
        let row = filled[at].0.0;
        let end = at
            + filled[at..]
                .iter()
                .take_while(|((r, _), _)| *r == row)
                .count();
        if let Some(p) = previous {
            let mut gap = p.saturating_add(1);
            while gap < row && rows.len() < super::rows::HEADER_SEARCH_ROWS {
                rows.push(Row {
                    number: gap.saturating_add(1),
                    cells: Vec::new(),
                });
                gap += 1;
            }
        }
        let width = (filled[end - 1].0.1 - first_col) as usize + 1;
        budget = budget.checked_sub(width)?;
        let mut cells = vec![Cell::Empty; width];
        // Sorting is stable, so of two cells at one place the later one is assigned last.
        for ((_, col), c) in &mut filled[at..end] {
            cells[(*col - first_col) as usize] = std::mem::replace(c, Cell::Empty);
        }
        rows.push(Row {
            number: row.saturating_add(1),
            cells,
        });
        previous = Some(row);
        at = end;
    }
    Some(rows)
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
    fn sparse_cells_become_the_rows_worksheet_range_would_give() {
        let t = |s: &str| Cell::Text(s.into());
        let rows = rows_of(vec![
            ((4, 3), t("b")),
            ((1, 2), t("old")),
            ((1, 2), t("a")),
            ((90, 2), Cell::Int(1)),
        ])
        .unwrap();
        let shape: Vec<(u32, usize)> = rows.iter().map(|r| (r.number, r.cells.len())).collect();
        // Empty rows stand in the first 20, where the header is looked for; not further down.
        let mut expected = vec![(2, 1), (3, 0), (4, 0), (5, 2)];
        expected.extend((6..=21).map(|n| (n, 0)));
        expected.push((91, 1));
        assert_eq!(shape, expected);
        assert_eq!(rows[0].cells, [t("a")]);
        assert_eq!(rows[3].cells, [Cell::Empty, t("b")]);
        assert!(rows_of(Vec::new()).unwrap().is_empty());
    }

    #[test]
    fn a_far_cell_cannot_make_a_huge_sheet() {
        let far = (u32::MAX, 16_383);
        let rows: Vec<_> = (0..300).map(|r| ((r, 0), Cell::Int(1))).collect();
        let mut spread = rows.clone();
        spread.extend((0..300).map(|r| ((r, 16_383), Cell::Int(2))));
        assert!(rows_of(spread).is_none());
        let mut one = rows;
        one.push((far, Cell::Int(3)));
        let read = rows_of(one).unwrap();
        assert_eq!(read.last().map(|r| r.number), Some(u32::MAX));
    }

    #[test]
    fn delimiter_follows_the_header_line() {
        assert_eq!(delimiter("Tanggal;Jumlah;Satuan\n1;2,5;t"), b';');
        assert_eq!(delimiter("date,quantity,unit\n"), b',');
        assert_eq!(delimiter("\"a;b\",c,d\n"), b',');
        assert_eq!(delimiter("a\tb\tc"), b'\t');
        assert_eq!(delimiter("tanggal"), b',');
    }
}
