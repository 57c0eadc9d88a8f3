//! Reading the values people type into spreadsheets: dates in Indonesian and English,
//! numbers with a decimal comma or thousands dots, column names, status words.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A column of a shipments sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Date,
    From,
    To,
    Commodity,
    Quantity,
    Unit,
    Document,
    Status,
    Verification,
    Sources,
    Note,
    Value,
}

impl Field {
    pub const REQUIRED: [Field; 5] = [
        Field::Date,
        Field::From,
        Field::Commodity,
        Field::Quantity,
        Field::Unit,
    ];

    /// `tanggal (date)`: how messages name a column that is missing.
    pub fn names(self) -> &'static str {
        match self {
            Field::Date => "tanggal (date)",
            Field::From => "pelaku (from)",
            Field::To => "tujuan (to)",
            Field::Commodity => "komoditas (commodity)",
            Field::Quantity => "jumlah (quantity)",
            Field::Unit => "satuan (unit)",
            Field::Document => "dokumen (document)",
            Field::Status => "status",
            Field::Verification => "verifikasi (verification)",
            Field::Sources => "sumber (sources)",
            Field::Note => "keterangan (note)",
            Field::Value => "nilai (value)",
        }
    }

    /// Recognizes a header cell, ignoring case, spaces and punctuation.
    pub fn from_header(text: &str) -> Option<Field> {
        let key: String = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "tanggal" | "tgl" | "date" | "tanggalkirim" | "tanggalpengiriman" => Field::Date,
            "pelaku" | "from" | "pemasok" | "pengirim" | "pelakuusaha" | "supplier"
            | "participant" => Field::From,
            "tujuan" | "to" | "penerima" | "pembeli" | "receiver" | "offtaker" => Field::To,
            "komoditas" | "komoditi" | "commodity" => Field::Commodity,
            "jumlah" | "quantity" | "volume" | "kuantitas" | "qty" => Field::Quantity,
            "satuan" | "unit" => Field::Unit,
            "dokumen" | "document" | "nodokumen" | "nomordokumen" | "documentnumber"
            | "documentno" => Field::Document,
            "status" => Field::Status,
            "verifikasi" | "verification" => Field::Verification,
            "sumber" | "source" | "sources" => Field::Sources,
            "keterangan" | "ket" | "catatan" | "note" | "notes" => Field::Note,
            "nilai" | "nilairp" | "nilairupiah" | "value" | "valueidr" | "valuerp" => Field::Value,
            _ => return None,
        })
    }
}

const MONTHS: [(&str, u32); 37] = [
    ("januari", 1),
    ("january", 1),
    ("februari", 2),
    ("pebruari", 2),
    ("february", 2),
    ("maret", 3),
    ("march", 3),
    ("april", 4),
    ("mei", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("juli", 7),
    ("july", 7),
    ("agustus", 8),
    ("august", 8),
    ("september", 9),
    ("oktober", 10),
    ("october", 10),
    ("november", 11),
    ("nopember", 11),
    ("desember", 12),
    ("december", 12),
    // Abbreviations not covered by the first three letters of a full name.
    ("agt", 8),
    ("ags", 8),
    ("agu", 8),
    ("aug", 8),
    ("sept", 9),
    ("okt", 10),
    ("oct", 10),
    ("des", 12),
    ("dec", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
];

fn month(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .find(|(n, _)| *n == name)
        .or_else(|| {
            // `Jul`, `Nov`, `Sep`, `Mei`: the first three letters of a full name.
            (name.len() == 3)
                .then(|| MONTHS.iter().find(|(n, _)| n.starts_with(&name)))
                .flatten()
        })
        .map(|(_, m)| *m)
}

/// A date as written in a cell: `2022-06-10`, `10/06/2022`, `10-06-2022`, `10.06.2022`,
/// `10 Juni 2022`, `10 June 2022`, `Jumat, 10 Juni 2022`; a trailing time of day is ignored.
/// Day-first only: `06/10/2022` is the 6th of October.
pub fn date(text: &str) -> Option<NaiveDate> {
    let mut s = text.trim();
    // A weekday in front: `Jumat, 10 Juni 2022`.
    if let Some((head, rest)) = s.split_once(',')
        && head.chars().all(char::is_alphabetic)
    {
        s = rest.trim();
    }
    let mut words: Vec<&str> = s.split_whitespace().collect();
    // `2022-06-10 00:00:00`, `10/06/2022 0:00`.
    if words.len() > 1 && words.last().is_some_and(|w| looks_like_time(w)) {
        words.pop();
    }
    match words.as_slice() {
        [one] => {
            let one = one.split('T').next().unwrap_or(one);
            numeric_date(one)
        }
        [d, m, y] => {
            let day: u32 = d.trim_end_matches('.').parse().ok()?;
            let year: i32 = four_digit_year(y)?;
            NaiveDate::from_ymd_opt(year, month(m)?, day)
        }
        _ => None,
    }
}

fn looks_like_time(w: &str) -> bool {
    w.contains(':')
        && w.chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
}

fn four_digit_year(y: &str) -> Option<i32> {
    (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        .then(|| y.parse().ok())
        .flatten()
}

fn numeric_date(s: &str) -> Option<NaiveDate> {
    let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let small = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if let Some(year) = four_digit_year(a) {
        // Year first: 2022-06-10, 2022/6/10.
        if small(b) && small(c) {
            return NaiveDate::from_ymd_opt(year, b.parse().ok()?, c.parse().ok()?);
        }
        return None;
    }
    let year = four_digit_year(c)?;
    if !(small(a) && small(b)) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, b.parse().ok()?, a.parse().ok()?)
}

/// A number as written in a cell. Indonesian first: `1,5` is one and a half, `1.250` and
/// `1.250.000` use dots between thousands, `1.250,5` has both; `1250.5`, `0.5` and
/// `1,250,000.5` are read as written in English. A single dot followed by exactly three
/// digits after one to three leading digits (`1.250`) is a thousands dot.
pub fn number(text: &str) -> Result<Decimal, String> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t.strip_prefix('+').unwrap_or(&t)),
    };
    let bad = || format!("`{}` is not a number", text.trim());
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(bad());
    }
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    let (int, frac): (String, &str) = match (dots, commas) {
        (0, 0) => (body.to_string(), ""),
        (1, 0) => {
            let (a, b) = body.split_once('.').ok_or_else(bad)?;
            if b.len() == 3 && (1..=3).contains(&a.len()) && a != "0" {
                (format!("{a}{b}"), "")
            } else {
                (a.to_string(), b)
            }
        }
        (0, 1) => {
            let (a, b) = body.split_once(',').ok_or_else(bad)?;
            (a.to_string(), b)
        }
        (_, 0) => (grouped(body, '.').ok_or_else(bad)?, ""),
        (0, _) => (grouped(body, ',').ok_or_else(bad)?, ""),
        _ => {
            let last = body.rfind(['.', ',']).ok_or_else(bad)?;
            let decimal = body[last..].chars().next().ok_or_else(bad)?;
            let thousands = if decimal == ',' { '.' } else { ',' };
            let (a, b) = (&body[..last], &body[last + 1..]);
            if b.contains(decimal) || a.contains(decimal) {
                return Err(bad());
            }
            (grouped(a, thousands).ok_or_else(bad)?, b)
        }
    };
    if int.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    let int = if int.is_empty() { "0" } else { &int };
    let text = if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    };
    Decimal::from_str_exact(&text)
        .or_else(|_| Decimal::from_str(&text))
        .map(|d| d.normalize())
        .map_err(|_| bad())
}

/// `1.250.000` -> `1250000` when every group after the first has three digits.
fn grouped(s: &str, sep: char) -> Option<String> {
    let mut parts = s.split(sep);
    let first = parts.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut out = first.to_string();
    for p in parts {
        if p.len() != 3 {
            return None;
        }
        out.push_str(p);
    }
    Some(out)
}

/// A rupiah amount: a number, optionally with `Rp`/`IDR` in front and `,-` behind.
pub fn rupiah(text: &str) -> Result<Decimal, String> {
    let mut s = text.trim();
    for prefix in ["Rp.", "Rp", "RP", "rp", "IDR", "idr"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start();
            break;
        }
    }
    let s = s
        .strip_suffix(",-")
        .or_else(|| s.strip_suffix(".-"))
        .unwrap_or(s);
    number(s).map_err(|_| format!("`{}` is not an amount of rupiah", text.trim()))
}

/// A shipment status in English or Indonesian.
pub fn status(text: &str) -> Option<&'static str> {
    Some(match text.trim().to_lowercase().as_str() {
        "planned" | "rencana" | "direncanakan" | "dijadwalkan" => "planned",
        "shipped" | "dikirim" | "terkirim" => "shipped",
        "received" | "diterima" => "received",
        "verified" | "terverifikasi" | "diverifikasi" => "verified",
        _ => return None,
    })
}

/// A verification level in English or Indonesian.
pub fn verification(text: &str) -> Option<&'static str> {
    Some(match text.trim().to_lowercase().as_str() {
        "reported" | "dilaporkan" => "reported",
        "official" | "resmi" => "official",
        "documented" | "terdokumentasi" | "berdokumen" => "documented",
        "audited" | "diaudit" | "teraudit" => "audited",
        _ => return None,
    })
}

/// Lowercase words of letters and digits: how names are compared.
pub fn name_key(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_in_every_accepted_spelling() {
        for s in [
            "2022-06-10",
            "10/06/2022",
            "10-06-2022",
            "10.06.2022",
            "10/6/2022",
            "10 Juni 2022",
            "10 juni 2022",
            "10 June 2022",
            "10 Jun 2022",
            "Jumat, 10 Juni 2022",
            "2022-06-10 00:00:00",
            "2022-06-10T00:00:00",
            "10/06/2022 0:00",
            "2022/6/10",
        ] {
            assert_eq!(date(s), d(2022, 6, 10), "{s}");
        }
        assert_eq!(date("17 Agustus 2022"), d(2022, 8, 17));
        assert_eq!(date("17 Agt 2022"), d(2022, 8, 17));
        assert_eq!(date("1 Mei 2023"), d(2023, 5, 1));
        assert_eq!(date("5 Nopember 2023"), d(2023, 11, 5));
        assert_eq!(date("31 Desember 2023"), d(2023, 12, 31));
        for bad in [
            "",
            "10/06/22",
            "2022-02-30",
            "31 Juni 2022",
            "Juni 2022",
            "x",
            "06-2022",
        ] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_indonesian_first() {
        let n = |s: &str| number(s).map(|d| d.to_string());
        assert_eq!(n("1,5").unwrap(), "1.5");
        assert_eq!(n("1.250").unwrap(), "1250");
        assert_eq!(n("1.250.000").unwrap(), "1250000");
        assert_eq!(n("1.250,75").unwrap(), "1250.75");
        assert_eq!(n("1250.5").unwrap(), "1250.5");
        assert_eq!(n("0.125").unwrap(), "0.125");
        assert_eq!(n("1,250,000.5").unwrap(), "1250000.5");
        assert_eq!(n("12 500").unwrap(), "12500");
        assert_eq!(n("7500").unwrap(), "7500");
        assert_eq!(n("2,50").unwrap(), "2.5");
        assert_eq!(n("-3").unwrap(), "-3");
        for bad in ["", "abc", "1.2.3", "1,25.0,1", "12.34.567", "1e5", "--1"] {
            assert!(number(bad).is_err(), "{bad}");
        }
        assert_eq!(rupiah("Rp1.000.000").unwrap().to_string(), "1000000");
        assert_eq!(rupiah("Rp 82.500.000,-").unwrap().to_string(), "82500000");
        assert_eq!(rupiah("IDR 1,5").unwrap().to_string(), "1.5");
    }

    #[test]
    fn headers_ignore_case_spaces_and_punctuation() {
        assert_eq!(Field::from_header(" Tanggal "), Some(Field::Date));
        assert_eq!(Field::from_header("JUMLAH"), Some(Field::Quantity));
        assert_eq!(Field::from_header("Nilai (Rp)"), Some(Field::Value));
        assert_eq!(Field::from_header("value_idr"), Some(Field::Value));
        assert_eq!(Field::from_header("No. Dokumen"), Some(Field::Document));
        assert_eq!(Field::from_header("No"), None);
    }

    #[test]
    fn names_compare_by_words() {
        assert_eq!(
            name_key("PT. Superindo  Utama Jaya"),
            "pt superindo utama jaya"
        );
        assert_eq!(name_key("pt-suj"), "pt suj");
    }
}
