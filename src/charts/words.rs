//! The words of the charts in Indonesian and English, unit names, and number labels.

use rust_decimal::Decimal;

use crate::locale;
use crate::model::Unit;

/// Fixed words of one language.
pub struct Words {
    pub lang: &'static str,
    pub no_deliveries: &'static str,
    pub no_deliveries_hint: &'static str,
    pub deliveries: &'static str,
    pub cumulative: &'static str,
    pub monthly: &'static str,
    pub targets: &'static str,
    pub participants: &'static str,
    pub offtakers: &'static str,
    pub portfolio: &'static str,
    pub delivered: &'static str,
    pub planned: &'static str,
    pub incl_planned: &'static str,
    pub period_total: &'static str,
    pub period_span: &'static str,
    pub dated: &'static str,
    pub target: &'static str,
    pub not_published: &'static str,
    pub others: &'static str,
    pub overdue: &'static str,
    pub due: &'static str,
    pub date: &'static str,
    pub month: &'static str,
    pub quarter: &'static str,
    pub quarter_prefix: &'static str,
    pub year: &'static str,
    pub commodity: &'static str,
    pub unit: &'static str,
    pub records: &'static str,
    pub participant: &'static str,
    pub offtaker: &'static str,
    pub progress: &'static str,
    pub agreement: &'static str,
    pub measure: &'static str,
    pub cumulative_delivered: &'static str,
    pub of_which_period: &'static str,
    pub no_quant_target: &'static str,
    pub record_day: &'static str,
    pub record_period: &'static str,
    pub record_planned: &'static str,
}

pub static ID: Words = Words {
    lang: "id",
    no_deliveries: "Belum ada pengiriman",
    no_deliveries_hint: "Grafik muncul setelah ada catatan pengiriman.",
    deliveries: "Pengiriman",
    cumulative: "pengiriman kumulatif",
    monthly: "Pengiriman per bulan",
    targets: "Capaian target",
    participants: "Pengiriman menurut pemasok",
    offtakers: "Pengiriman menurut penerima",
    portfolio: "Kemajuan setiap kerja sama",
    delivered: "Dikirim",
    planned: "Direncanakan",
    incl_planned: "termasuk rencana",
    period_total: "Total periode (di bulan akhir periode)",
    period_span: "Rentang catatan periode",
    dated: "Pengiriman bertanggal",
    target: "Target",
    not_published: "Penerima tidak dipublikasikan",
    others: "Lainnya",
    overdue: "lewat tenggat",
    due: "tenggat",
    date: "Tanggal",
    month: "Bulan",
    quarter: "Triwulan",
    quarter_prefix: "TW",
    year: "Tahun",
    commodity: "Komoditas",
    unit: "Satuan",
    records: "Jumlah catatan",
    participant: "Pemasok",
    offtaker: "Penerima",
    progress: "Capaian",
    agreement: "Kerja sama",
    measure: "Ukuran",
    cumulative_delivered: "Kumulatif dikirim",
    of_which_period: "dari catatan periode",
    no_quant_target: "tanpa target berangka",
    record_day: "pengiriman",
    record_period: "total periode",
    record_planned: "rencana",
};

pub static EN: Words = Words {
    lang: "en",
    no_deliveries: "No deliveries yet",
    no_deliveries_hint: "Charts appear once a shipment is recorded.",
    deliveries: "Deliveries",
    cumulative: "cumulative deliveries",
    monthly: "Deliveries per month",
    targets: "Progress toward targets",
    participants: "Deliveries by supplier",
    offtakers: "Deliveries by receiver",
    portfolio: "Progress of every agreement",
    delivered: "Delivered",
    planned: "Planned",
    incl_planned: "incl. planned",
    period_total: "Period total (in the period's last month)",
    period_span: "Span of a period record",
    dated: "Dated deliveries",
    target: "Target",
    not_published: "Receiver not published",
    others: "Others",
    overdue: "overdue",
    due: "due",
    date: "Date",
    month: "Month",
    quarter: "Quarter",
    quarter_prefix: "Q",
    year: "Year",
    commodity: "Commodity",
    unit: "Unit",
    records: "Records",
    participant: "Supplier",
    offtaker: "Receiver",
    progress: "Progress",
    agreement: "Agreement",
    measure: "Measure",
    cumulative_delivered: "Cumulative delivered",
    of_which_period: "from period records",
    no_quant_target: "no numeric target",
    record_day: "delivery",
    record_period: "period total",
    record_planned: "planned",
};

/// The words of `lang`; languages other than English read Indonesian, as the locale does.
pub fn words(lang: &str) -> &'static Words {
    if lang == "en" { &EN } else { &ID }
}

/// A unit as readers of `lang` write it after `amount` (English plural where it has one).
pub fn unit_name(unit: Unit, lang: &str, amount: Decimal) -> &'static str {
    let one = amount == Decimal::ONE;
    if lang == "en" {
        match unit {
            Unit::Kg => "kg",
            Unit::Kuintal => "quintal",
            Unit::T => "t",
            Unit::Head => "head",
            Unit::Egg if one => "egg",
            Unit::Egg => "eggs",
            Unit::Pack if one => "pack",
            Unit::Pack => "packs",
            Unit::Truck if one => "truck",
            Unit::Truck => "trucks",
            Unit::L => "l",
        }
    } else {
        match unit {
            Unit::Kg => "kg",
            Unit::Kuintal => "kuintal",
            Unit::T => "ton",
            Unit::Head => "ekor",
            Unit::Egg => "butir",
            Unit::Pack => "paket",
            Unit::Truck => "truk",
            Unit::L => "liter",
        }
    }
}

/// The unit as an axis or column label (plural form in English).
pub fn unit_label(unit: Unit, lang: &str) -> &'static str {
    unit_name(unit, lang, Decimal::TWO)
}

const MILLION: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// A number for a chart label, rounded to what a reader can take in at a glance: no
/// decimals from 1,000 on, one from 10, two from 1, three below (a smaller non-zero amount
/// keeps all its digits, never reading as 0), and from a million on in words (`1,5 juta`,
/// `2 billion`). Tables and descriptions use [`locale::exact`].
pub fn label_number(d: Decimal, lang: &str) -> String {
    if d.abs() >= MILLION {
        let scales: [(u32, &str, &str); 4] = [
            (12, "triliun", "trillion"),
            (9, "miliar", "billion"),
            (6, "juta", "million"),
            (0, "", ""),
        ];
        for (exp, id, en) in scales {
            let base = Decimal::from_i128_with_scale(10i128.pow(exp), 0);
            if d.abs() >= base && exp > 0 {
                let word = if lang == "en" { en } else { id };
                let v = d / base;
                // A trillion-fold stays in trillions: 1.000 triliun rather than an overflow.
                return format!("{} {word}", locale::number(v, lang, 2));
            }
        }
    }
    let abs = d.abs();
    let frac = if abs >= Decimal::ONE_THOUSAND {
        0
    } else if abs >= Decimal::TEN {
        1
    } else if abs >= Decimal::ONE {
        2
    } else {
        3
    };
    let r = locale::number(d, lang, frac);
    if !d.is_zero() && (r == "0" || r == "-0") {
        locale::exact(d, lang)
    } else {
        r
    }
}

/// Labels of an axis's ticks: all in the scale word of the top tick when it reaches a million
/// (`0`, `0,5 juta`, `1 juta`), so one axis never mixes `500.000` with `1 juta`.
pub fn axis_labels(ticks: &[Decimal], lang: &str) -> Vec<String> {
    let top = ticks.iter().copied().max().unwrap_or_default();
    if top < MILLION {
        return ticks.iter().map(|t| label_number(*t, lang)).collect();
    }
    let (exp, id, en) = [(12, "triliun", "trillion"), (9, "miliar", "billion")]
        .into_iter()
        .find(|(e, _, _)| top >= Decimal::from_i128_with_scale(10i128.pow(*e), 0))
        .unwrap_or((6, "juta", "million"));
    let base = Decimal::from_i128_with_scale(10i128.pow(exp), 0);
    let word = if lang == "en" { en } else { id };
    ticks
        .iter()
        .map(|t| {
            if t.is_zero() {
                "0".to_string()
            } else {
                format!("{} {word}", locale::number(*t / base, lang, 3))
            }
        })
        .collect()
}

/// `9 ton`, `30 ekor`, `5 trucks`.
pub fn label_quantity(d: Decimal, unit: Unit, lang: &str) -> String {
    format!("{} {}", label_number(d, lang), unit_name(unit, lang, d))
}

/// A quantity for a table or description: every written digit.
pub fn exact_quantity(d: Decimal, unit: Unit, lang: &str) -> String {
    format!("{} {}", locale::exact(d, lang), unit_name(unit, lang, d))
}

/// A count, grouped the way `lang` groups thousands.
pub fn count(n: usize, lang: &str) -> String {
    locale::number(Decimal::from(n), lang, 0)
}

/// `2 catatan` / `1 record`, `2 records`.
pub fn records(n: usize, lang: &str) -> String {
    let count = locale::number(Decimal::from(n), lang, 0);
    match (lang, n) {
        ("en", 1) => format!("{count} record"),
        ("en", _) => format!("{count} records"),
        _ => format!("{count} catatan"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn labels_stay_short_and_exact() {
        assert_eq!(label_number(d("1234.5"), "id"), "1.235");
        assert_eq!(label_number(d("37849.42"), "en"), "37,849");
        assert_eq!(label_number(d("12.345"), "id"), "12,3");
        assert_eq!(label_number(d("0.001"), "id"), "0,001");
        assert_eq!(label_number(d("0.0001"), "en"), "0.0001");
        assert_eq!(label_number(d("1500000"), "id"), "1,5 juta");
        assert_eq!(label_number(d("1000000000"), "en"), "1 billion");
        assert_eq!(label_quantity(d("5"), Unit::Truck, "en"), "5 trucks");
        assert_eq!(
            axis_labels(&[d("0"), d("500000"), d("1000000")], "id"),
            ["0", "0,5 juta", "1 juta"]
        );
        assert_eq!(label_quantity(d("1"), Unit::Truck, "en"), "1 truck");
        assert_eq!(label_quantity(d("9"), Unit::T, "id"), "9 ton");
    }
}
