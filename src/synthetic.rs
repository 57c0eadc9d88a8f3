//! A synthetic site generator for benchmarks and scale tests: N agreements x M shipment
//! records in the format of docs/FORMAT.md, with a realistic spread of units, statuses, verification levels,
//! period records and files per agreement. Deterministic for a given seed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

mod repo;
pub use repo::{History, SyntheticRepo};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub agreements: usize,
    pub records_per_agreement: usize,
    pub seed: u64,
}

/// A small deterministic generator (SplitMix64): no dependency, same numbers everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// (id, name, unit, written units with their factor to the commodity unit as text)
const COMMODITIES: [(&str, &str, &str, &[&str]); 5] = [
    ("telur", "Telur", "t", &["t", "kg", "ton"]),
    ("beras", "Beras", "t", &["t", "kg", "kuintal"]),
    ("sapi", "Sapi", "head", &["head", "ekor"]),
    ("umkm", "Produk UMKM", "truck", &["truck", "truk"]),
    ("minyak", "Minyak goreng", "l", &["l", "liter"]),
];

/// Centres of supplying cities and regencies (approximate), with their Kemendagri codes.
const PLACES: [(&str, f64, f64, &str); 24] = [
    ("Kota Metro", -5.113, 105.307, "18.72"),
    ("Kabupaten Ngawi", -7.404, 111.446, "35.21"),
    ("Kota Kupang", -10.178, 123.607, "53.71"),
    ("Kabupaten Brebes", -6.872, 109.040, "33.29"),
    ("Kabupaten Garut", -7.227, 107.908, "32.05"),
    ("Kabupaten Blitar", -8.096, 112.168, "35.05"),
    ("Kabupaten Bone", -4.539, 120.326, "73.08"),
    ("Kabupaten Sidrap", -3.946, 119.773, "73.14"),
    ("Kota Padang", -0.947, 100.417, "13.71"),
    ("Kabupaten Deli Serdang", 3.530, 98.850, "12.07"),
    ("Kabupaten Lampung Tengah", -4.867, 105.267, "18.02"),
    ("Kota Pontianak", -0.026, 109.342, "61.71"),
    ("Kabupaten Banjar", -3.320, 114.993, "63.03"),
    ("Kota Manado", 1.475, 124.842, "71.71"),
    ("Kabupaten Lombok Timur", -8.651, 116.530, "52.03"),
    ("Kabupaten Sumbawa", -8.500, 117.420, "52.04"),
    ("Kota Jambi", -1.610, 103.613, "15.71"),
    ("Kabupaten Ogan Komering Ilir", -3.400, 105.500, "16.02"),
    ("Kabupaten Jember", -8.172, 113.700, "35.09"),
    ("Kabupaten Karawang", -6.305, 107.305, "32.15"),
    ("Kota Ambon", -3.695, 128.181, "81.71"),
    ("Kabupaten Merauke", -8.493, 140.401, "94.01"),
    ("Kabupaten Gorontalo", 0.570, 122.980, "75.01"),
    ("Kabupaten Buleleng", -8.112, 115.088, "51.08"),
];

/// A point near `(lat, lon)`: within about `spread` degrees, three decimals.
fn near(rng: &mut Rng, (lat, lon): (f64, f64), spread: f64) -> String {
    let mut jitter = || (rng.below(2001) as f64 / 1000.0 - 1.0) * spread;
    format!("{{lat: {:.3}, lon: {:.3}}}", lat + jitter(), lon + jitter())
}

const STATUSES: [&str; 4] = ["shipped", "received", "verified", "planned"];
const LEVELS: [&str; 4] = ["reported", "official", "documented", "audited"];

/// Writes `content/` of a synthetic site into `root` (which should be empty). Returns the bytes
/// of shipment YAML written.
pub fn write_site(root: &Path, spec: Spec) -> std::io::Result<u64> {
    let files = site_files(spec);
    for (path, text) in &files {
        let path = root.join(path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, text)?;
    }
    std::fs::create_dir_all(root.join("content/pages"))?;
    Ok(shipment_bytes(&files))
}

/// The bytes of shipment YAML among `files`.
fn shipment_bytes(files: &BTreeMap<String, String>) -> u64 {
    files
        .iter()
        .filter(|(p, _)| p.contains("/shipments/"))
        .map(|(_, t)| t.len() as u64)
        .sum()
}

/// Every file of the synthetic site, by path relative to the site (with `/`), in memory.
fn site_files(spec: Spec) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert(
        "content/site.yaml".to_string(),
        "title: {id: Portofolio sintetis, en: Synthetic portfolio}\nlanguages: [id, en]\npublisher: sinergi bench\nlicense: CC-BY-4.0\n".to_string(),
    );
    for a in 0..spec.agreements {
        let mut rng = Rng(spec.seed ^ (a as u64).wrapping_mul(0x1000_0000_01B3));
        let dir = format!("content/agreements/kad-{a:04}");
        let mut places = Rng(rng.0 ^ 0x0005_EED0_F1A7_u64);
        files.insert(
            format!("{dir}/agreement.yaml"),
            agreement_yaml(a, &mut places),
        );
        // Records by month, one file per month: typical of how offices keep them.
        let mut by_month: Vec<String> = vec![String::new(); 24];
        for r in 0..spec.records_per_agreement {
            let month = (r * 24 / spec.records_per_agreement.max(1)).min(23);
            record(&mut by_month[month], &mut rng, a, r, month);
        }
        for (m, text) in by_month
            .into_iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty())
        {
            let (y, mo) = year_month(m);
            files.insert(format!("{dir}/shipments/{y}-{mo:02}.yaml"), text);
        }
    }
    files
}

/// The calendar month of month index `m` (0 is June 2022, the start of every agreement).
fn year_month(m: usize) -> (usize, usize) {
    (2022 + (m + 5) / 12, (m + 5) % 12 + 1)
}

/// An agreement between a supplying place of [`PLACES`] and Jakarta. Participants are spread
/// around their place; every tenth agreement has one participant without a location.
fn agreement_yaml(a: usize, rng: &mut Rng) -> String {
    let (place, lat, lon, region) = PLACES[a % PLACES.len()];
    const JAKARTA: (f64, f64) = (-6.175, 106.827);
    let mut s = format!(
        "title: {{id: Kerja sama sintetis {a}, en: Synthetic agreement {a}}}\nkind: KAD\nstatus: active\nsigned: 2022-06-01\nperiod: {{start: 2022-06-01, end: 2024-06-30}}\nsummary: Data sintetis untuk uji kinerja.\n# Locations are approximate: near the centre of each place.\nparties:\n  - {{id: kota, name: {place} {a}, location: {{lat: {lat}, lon: {lon}}}, region: \"{region}\"}}\n  - {{id: dki, name: Provinsi DKI Jakarta, location: {{lat: {}, lon: {}}}, region: \"31\"}}\ncommodities:\n",
        JAKARTA.0, JAKARTA.1
    );
    for (id, name, unit, _) in COMMODITIES {
        let _ = writeln!(s, "  - {{id: {id}, name: {name}, unit: {unit}}}");
    }
    s.push_str("participants:\n");
    for p in 0..8 {
        let location = if p == 7 && a.is_multiple_of(10) {
            String::new()
        } else {
            format!(", location: {}", near(rng, (lat, lon), 0.3))
        };
        let _ = writeln!(
            s,
            "  - {{id: pelaku-{p}, name: Pelaku usaha {p}, party: kota, commodities: [telur, beras, sapi, umkm, minyak]{location}}}"
        );
    }
    s.push_str("offtakers:\n");
    for o in 0..4 {
        let _ = writeln!(
            s,
            "  - {{id: penerima-{o}, name: Penerima {o}, party: dki, location: {}}}",
            near(rng, JAKARTA, 0.1)
        );
    }
    s.push_str("targets:\n  - {id: target-telur, title: Target telur, commodity: telur, quantity: 50000, due: 2024-06-30}\n  - {id: target-sapi, title: Target sapi, commodity: sapi, quantity: 900000, due: 2024-06-30}\n");
    s.push_str("sources:\n  - {id: laporan, title: Laporan sintetis, url: \"https://example.org/laporan\"}\n");
    s
}

/// A plausible quantity written in `unit`.
fn quantity(rng: &mut Rng, unit: &str) -> String {
    match unit {
        "kg" => format!("{}", 100 + rng.below(20_000)),
        "kuintal" => format!("{}.{}", 1 + rng.below(50), rng.below(10)),
        "t" | "ton" => format!("{}.{:03}", rng.below(30), 1 + rng.below(999)),
        "l" | "liter" => format!("{}", 50 + rng.below(5_000)),
        _ => format!("{}", 1 + rng.below(60)),
    }
}

/// Appends record `r` of agreement `a`, dated in month index `month`, to `out`.
fn record(out: &mut String, rng: &mut Rng, a: usize, r: usize, month: usize) {
    let (commodity, _, _, units) = COMMODITIES[rng.below(COMMODITIES.len() as u64) as usize];
    let unit = units[rng.below(units.len() as u64) as usize];
    let (y, m) = year_month(month);
    let day = 1 + rng.below(28);
    let quantity = quantity(rng, unit);
    let _ = writeln!(out, "- id: s{a}-{r}");
    if rng.below(20) == 0 {
        let _ = writeln!(
            out,
            "  period: {{start: {y}-{m:02}-01, end: {y}-{m:02}-{day:02}}}"
        );
    } else {
        let _ = writeln!(out, "  date: {y}-{m:02}-{day:02}");
    }
    let _ = write!(
        out,
        "  from: pelaku-{}\n  to: penerima-{}\n  commodity: {commodity}\n  quantity: {quantity}\n  unit: {unit}\n",
        rng.below(8),
        rng.below(4)
    );
    let status = match rng.below(40) {
        0 => STATUSES[3],
        1..=4 => STATUSES[1],
        5..=7 => STATUSES[2],
        _ => STATUSES[0],
    };
    if status != "shipped" {
        let _ = writeln!(out, "  status: {status}");
    }
    let _ = write!(
        out,
        "  verification: {}\n  sources: [laporan]\n",
        LEVELS[rng.below(4) as usize]
    );
    if rng.below(10) == 0 {
        let _ = write!(
            out,
            "  value_idr: {}\n  note: Catatan pengiriman {r}\n",
            1_000_000 + rng.below(90_000_000)
        );
    }
}
