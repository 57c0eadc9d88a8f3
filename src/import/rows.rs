//! Turning sheet rows into shipment records: finding the header, reading each cell, and
//! resolving names to the agreement's ids.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::parse::{self, Field};
use super::sheet::{Cell, Sheet};
use super::{Column, Place};
use crate::diagnostics::Diagnostic;
use crate::load::raw::AgreementFile;
use crate::model::Text;

/// How many rows from the top may come before the header row (titles, blank lines).
pub(super) const HEADER_SEARCH_ROWS: usize = 20;

/// One sheet row read into the values of a shipment record. References that match no id or
/// name are kept as written, so the validator reports them like any YAML data.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub sheet: Option<String>,
    pub row: u32,
    /// The header text of each column the row was read from.
    pub columns: BTreeMap<Field, Column>,
    pub date: NaiveDate,
    pub from: String,
    pub to: Option<String>,
    pub commodity: String,
    pub quantity: Decimal,
    pub unit: String,
    pub status: Option<&'static str>,
    pub verification: Option<&'static str>,
    pub sources: Vec<String>,
    /// A document id of the agreement.
    pub document: Option<String>,
    /// The document number or name as written in the sheet.
    pub document_text: Option<String>,
    pub value_idr: Option<Decimal>,
    pub note: Option<String>,
}

impl Candidate {
    pub fn place(&self, field: Option<Field>) -> Place {
        Place {
            sheet: self.sheet.clone(),
            row: Some(self.row),
            column: field.and_then(|f| self.columns.get(&f).cloned()),
        }
    }
}

/// Names and ids of one kind of thing in the agreement, for matching cells against.
pub struct Names {
    kind: &'static str,
    ids: BTreeSet<String>,
    by_key: BTreeMap<String, BTreeSet<String>>,
}

pub enum Resolved {
    Id(String),
    /// Matches nothing: kept as written.
    Unknown(String),
    Ambiguous(Vec<String>),
}

impl Names {
    fn new(kind: &'static str) -> Names {
        Names {
            kind,
            ids: BTreeSet::new(),
            by_key: BTreeMap::new(),
        }
    }

    fn add(&mut self, id: &str, names: &[&str]) {
        self.ids.insert(id.to_string());
        let mut keys = vec![parse::name_key(id)];
        for n in names {
            keys.push(parse::name_key(n));
            // `PT Superindo Utama Jaya (PT SUJ)`: also the name alone and the short form.
            if let (Some(open), Some(close)) = (n.find('('), n.rfind(')'))
                && open < close
            {
                keys.push(parse::name_key(&n[..open]));
                keys.push(parse::name_key(&n[open + 1..close]));
            }
        }
        for k in keys.into_iter().filter(|k| !k.is_empty()) {
            self.by_key.entry(k).or_default().insert(id.to_string());
        }
    }

    fn add_text(&mut self, id: &str, name: &Text, more: &[&str]) {
        let mut names: Vec<&str> = match name {
            Text::Plain(s) => vec![s.as_str()],
            Text::PerLanguage(m) => m.values().map(String::as_str).collect(),
        };
        names.extend_from_slice(more);
        self.add(id, &names);
    }

    pub fn resolve(&self, text: &str) -> Resolved {
        let text = text.trim();
        if self.ids.contains(text) {
            return Resolved::Id(text.to_string());
        }
        match self.by_key.get(&parse::name_key(text)) {
            Some(ids) if ids.len() == 1 => {
                Resolved::Id(ids.iter().next().cloned().unwrap_or_default())
            }
            Some(ids) => Resolved::Ambiguous(ids.iter().cloned().collect()),
            None => Resolved::Unknown(text.to_string()),
        }
    }

    pub fn kind(&self) -> &'static str {
        self.kind
    }
}

/// Everything in the agreement a sheet cell may name.
pub struct Lookup {
    pub participants: Names,
    pub offtakers: Names,
    pub commodities: Names,
    pub documents: Names,
    pub sources: Names,
}

impl Lookup {
    pub fn new(a: &AgreementFile) -> Lookup {
        let mut l = Lookup {
            participants: Names::new("participant"),
            offtakers: Names::new("offtaker"),
            commodities: Names::new("commodity"),
            documents: Names::new("document"),
            sources: Names::new("source"),
        };
        for p in &a.participants {
            l.participants
                .add_text(&p.value.id.value, &p.value.name, &[]);
        }
        for o in &a.offtakers {
            l.offtakers.add_text(&o.value.id.value, &o.value.name, &[]);
        }
        for c in &a.commodities {
            l.commodities
                .add_text(&c.value.id.value, &c.value.name, &[]);
        }
        for d in &a.documents {
            let number: Vec<&str> = d.value.number.iter().map(String::as_str).collect();
            l.documents
                .add_text(&d.value.id.value, &d.value.title, &number);
        }
        for s in &a.sources {
            l.sources
                .add_text(&s.value.id.value, &s.value.title, &[&s.value.url.value]);
        }
        l
    }
}

/// Reads every data row of a sheet of the spreadsheet `file`. Findings name the sheet, row
/// and column.
pub fn read_sheet(
    sheet: &Sheet,
    file: &str,
    lookup: &Lookup,
    notes: &mut Vec<String>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Candidate> {
    let sheet_place = |row: Option<u32>| Place {
        sheet: sheet.name.clone(),
        row,
        column: None,
    };
    let label = match &sheet.name {
        Some(n) => format!("sheet {n}: "),
        None => String::new(),
    };
    let header = sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find(|(_, r)| {
            r.cells
                .iter()
                .filter_map(|c| match c {
                    Cell::Text(t) => Field::from_header(t),
                    _ => None,
                })
                .collect::<BTreeSet<_>>()
                .len()
                >= 2
        });
    let Some((header_index, header)) = header else {
        if sheet
            .rows
            .iter()
            .any(|r| r.cells.iter().any(|c| !c.is_blank()))
        {
            notes.push(format!(
                "{label}no header row with shipment columns (tanggal, pelaku, komoditas, \
                 jumlah, satuan, ...) in its first {HEADER_SEARCH_ROWS} rows; not read"
            ));
        }
        return Vec::new();
    };

    // Column index -> field, and field -> header text.
    let mut fields: Vec<Option<Field>> = Vec::new();
    let mut columns: BTreeMap<Field, Column> = BTreeMap::new();
    let mut ignored = Vec::new();
    for (number, c) in (1..).zip(&header.cells) {
        let text = c.text();
        let field = Field::from_header(&text);
        match field {
            Some(f) if columns.contains_key(&f) => {
                problems.push(sheet_place(Some(header.number)).error(
                    file,
                    "duplicate-id",
                    format!(
                        "the header has two columns for {}: `{}` and `{text}`",
                        f.names(),
                        columns[&f].header
                    ),
                    "keep one of them",
                ));
                return Vec::new();
            }
            Some(f) => {
                columns.insert(
                    f,
                    Column {
                        number,
                        header: text,
                    },
                );
            }
            None if !text.is_empty() => ignored.push(text),
            None => {}
        }
        fields.push(field);
    }
    let missing: Vec<&str> = Field::REQUIRED
        .iter()
        .filter(|f| !columns.contains_key(f))
        .map(|f| f.names())
        .collect();
    if !missing.is_empty() {
        problems.push(sheet_place(Some(header.number)).error(
            file,
            "missing-field",
            format!("the header row has no column for {}", missing.join(", ")),
            "name the columns tanggal, pelaku, komoditas, jumlah, satuan (or date, from, \
             commodity, quantity, unit); tujuan, dokumen, status, verifikasi, sumber, \
             keterangan and nilai are optional",
        ));
        return Vec::new();
    }
    if !ignored.is_empty() {
        notes.push(format!(
            "{label}column{} {} not imported",
            if ignored.len() == 1 { "" } else { "s" },
            ignored
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    let mut out = Vec::new();
    let mut totals = 0;
    for row in &sheet.rows[header_index + 1..] {
        if row.cells.iter().all(Cell::is_blank) {
            continue;
        }
        let get = |f: Field| -> &Cell {
            fields
                .iter()
                .position(|x| *x == Some(f))
                .and_then(|i| row.cells.get(i))
                .unwrap_or(&Cell::Empty)
        };
        if is_total_row(&row.cells, get(Field::Date)) {
            totals += 1;
            continue;
        }
        let mut reader = RowReader {
            place: Place {
                sheet: sheet.name.clone(),
                row: Some(row.number),
                column: None,
            },
            file,
            columns: &columns,
            problems: Vec::new(),
        };
        if let Some(c) = reader.candidate(&get, lookup) {
            out.push(c);
        }
        problems.extend(reader.problems);
    }
    if totals > 0 {
        notes.push(format!(
            "{label}{totals} total row{} skipped",
            if totals == 1 { "" } else { "s" }
        ));
    }
    out
}

/// `Total`, `Jumlah`, `Subtotal` in the first filled cell of a row without a date.
fn is_total_row(cells: &[Cell], date: &Cell) -> bool {
    if matches!(date, Cell::Date(_)) || parse::date(&date.text()).is_some() {
        return false;
    }
    cells
        .iter()
        .find(|c| !c.is_blank())
        .map(|c| {
            let key = parse::name_key(&c.text());
            matches!(
                key.as_str(),
                "total" | "jumlah" | "subtotal" | "sub total" | "grand total" | "jumlah total"
            )
        })
        .unwrap_or(false)
}

struct RowReader<'a> {
    place: Place,
    file: &'a str,
    columns: &'a BTreeMap<Field, Column>,
    problems: Vec<Diagnostic>,
}

impl RowReader<'_> {
    fn error(&mut self, field: Field, code: &'static str, message: String, hint: &str) {
        let place = Place {
            column: self.columns.get(&field).cloned(),
            ..self.place.clone()
        };
        self.problems
            .push(place.error(self.file, code, message, hint));
    }

    fn required(&mut self, cell: &Cell, field: Field) -> Option<String> {
        if cell.is_blank() {
            self.error(
                field,
                "missing-field",
                format!("{} is empty", field.names()),
                "fill in the cell; it is required",
            );
            return None;
        }
        if let Cell::Error(e) = cell {
            self.error(
                field,
                "type-error",
                format!("the cell holds {e}"),
                "fix the formula or type the value",
            );
            return None;
        }
        Some(cell.text())
    }

    fn resolve(&mut self, names: &Names, text: String, field: Field) -> String {
        match names.resolve(&text) {
            Resolved::Id(id) => id,
            Resolved::Unknown(t) => t,
            Resolved::Ambiguous(ids) => {
                self.error(
                    field,
                    "unknown-reference",
                    format!(
                        "`{text}` matches more than one {}: {}",
                        names.kind(),
                        ids.join(", ")
                    ),
                    "write the id instead of the name",
                );
                text
            }
        }
    }

    fn candidate<'c>(
        &mut self,
        get: &dyn Fn(Field) -> &'c Cell,
        lookup: &Lookup,
    ) -> Option<Candidate> {
        let date = self.date(get(Field::Date));
        let from = self
            .required(get(Field::From), Field::From)
            .map(|t| self.resolve(&lookup.participants, t, Field::From));
        let to = optional(get(Field::To)).map(|t| self.resolve(&lookup.offtakers, t, Field::To));
        let commodity = self
            .required(get(Field::Commodity), Field::Commodity)
            .map(|t| self.resolve(&lookup.commodities, t, Field::Commodity));
        let quantity = self.quantity(get(Field::Quantity));
        let unit = self
            .required(get(Field::Unit), Field::Unit)
            .map(|u| u.to_lowercase());
        let status = optional(get(Field::Status)).and_then(|s| {
            let v = parse::status(&s);
            if v.is_none() {
                self.error(
                    Field::Status,
                    "type-error",
                    format!("`{s}` is not a shipment status"),
                    "use planned (rencana), shipped (dikirim), received (diterima) or verified \
                     (terverifikasi), or leave it empty for shipped",
                );
            }
            v
        });
        let verification = optional(get(Field::Verification)).and_then(|s| {
            let v = parse::verification(&s);
            if v.is_none() {
                self.error(
                    Field::Verification,
                    "type-error",
                    format!("`{s}` is not a verification level"),
                    "use reported (dilaporkan), official (resmi), documented (terdokumentasi) \
                     or audited (diaudit), or leave it empty for reported",
                );
            }
            v
        });
        let sources = optional(get(Field::Sources))
            .map(|s| {
                s.split([';', ','])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| self.resolve(&lookup.sources, s.to_string(), Field::Sources))
                    .collect()
            })
            .unwrap_or_default();
        let document_text = optional(get(Field::Document));
        let document = document_text
            .as_ref()
            .and_then(|t| match lookup.documents.resolve(t) {
                Resolved::Id(id) => Some(id),
                _ => None,
            });
        let value_idr = self.value(get(Field::Value));
        let mut note = optional(get(Field::Note));
        // A number that names no document of the agreement (a delivery note, an invoice)
        // has no `document` field to go in; it is kept in the note.
        if let (None, Some(t)) = (&document, &document_text) {
            note = Some(match note {
                Some(n) => format!("{n} (dokumen {t})"),
                None => format!("Dokumen {t}"),
            });
        }
        Some(Candidate {
            sheet: self.place.sheet.clone(),
            row: self.place.row.unwrap_or(0),
            columns: self.columns.clone(),
            date: date?,
            from: from?,
            to,
            commodity: commodity?,
            quantity: quantity?,
            unit: unit?,
            status,
            verification,
            sources,
            document,
            document_text,
            value_idr,
            note,
        })
    }

    fn date(&mut self, cell: &Cell) -> Option<NaiveDate> {
        let hint = "write the date as 2022-06-10, 10/06/2022, 10-06-2022 or 10 Juni 2022 \
                    (day first), or format the cell as a date";
        match cell {
            Cell::Date(d) => Some(*d),
            Cell::Int(_) | Cell::Float(_) => {
                self.error(
                    Field::Date,
                    "invalid-date",
                    format!("`{}` is a number, not a date", cell.text()),
                    hint,
                );
                None
            }
            _ => {
                let text = self.required(cell, Field::Date)?;
                let d = parse::date(&text);
                if d.is_none() {
                    self.error(
                        Field::Date,
                        "invalid-date",
                        format!("`{text}` is not a real calendar date"),
                        hint,
                    );
                }
                d
            }
        }
    }

    fn quantity(&mut self, cell: &Cell) -> Option<Decimal> {
        let parsed = match cell {
            Cell::Int(i) => Ok(Decimal::from(*i)),
            Cell::Float(f) => parse::number(&f.to_string()),
            _ => parse::number(&self.required(cell, Field::Quantity)?),
        };
        match parsed {
            Ok(d) => Some(d),
            Err(message) => {
                self.error(
                    Field::Quantity,
                    "invalid-quantity",
                    message,
                    "write a number such as 1250, 1.250 (thousands dot), 7,5 or 7.5",
                );
                None
            }
        }
    }

    fn value(&mut self, cell: &Cell) -> Option<Decimal> {
        let parsed = match cell {
            Cell::Int(i) => Ok(Decimal::from(*i)),
            Cell::Float(f) => parse::number(&f.to_string()),
            c if c.is_blank() => return None,
            c => parse::rupiah(&c.text()),
        };
        match parsed {
            Ok(d) => Some(d),
            Err(message) => {
                self.error(
                    Field::Value,
                    "invalid-quantity",
                    message,
                    "write an amount such as Rp1.500.000 or 1500000",
                );
                None
            }
        }
    }
}

fn optional(cell: &Cell) -> Option<String> {
    (!cell.is_blank()).then(|| cell.text())
}
