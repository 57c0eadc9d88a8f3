//! A synthetic site generator for benchmarks and scale tests: N agreements x M shipment
//! records in the format of docs/FORMAT.md, with a realistic spread of units, statuses, verification levels,
//! period records and files per agreement. Deterministic for a given seed.

use std::fmt::Write as _;
use std::path::Path;

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

const STATUSES: [&str; 4] = ["shipped", "received", "verified", "planned"];
const LEVELS: [&str; 4] = ["reported", "official", "documented", "audited"];

/// Writes `content/` of a synthetic site into `root` (which should be empty).
pub fn write_site(root: &Path, spec: Spec) -> std::io::Result<u64> {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("pages"))?;
    std::fs::write(
        content.join("site.yaml"),
        "title: {id: Portofolio sintetis, en: Synthetic portfolio}\nlanguages: [id, en]\npublisher: sinergi bench\nlicense: CC-BY-4.0\n",
    )?;
    let mut bytes = 0;
    for a in 0..spec.agreements {
        let mut rng = Rng(spec.seed ^ (a as u64).wrapping_mul(0x1000_0000_01B3));
        let dir = content.join(format!("agreements/kad-{a:04}"));
        std::fs::create_dir_all(dir.join("shipments"))?;
        std::fs::write(dir.join("agreement.yaml"), agreement_yaml(a))?;
        // Records by month, one file per month: typical of how offices keep them.
        let mut by_month: Vec<String> = vec![String::new(); 24];
        for r in 0..spec.records_per_agreement {
            let month = (r * 24 / spec.records_per_agreement.max(1)).min(23);
            record(&mut by_month[month], &mut rng, a, r, month);
        }
        for (m, text) in by_month.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            let (y, mo) = (2022 + (m + 5) / 12, (m + 5) % 12 + 1);
            let path = dir.join(format!("shipments/{y}-{mo:02}.yaml"));
            std::fs::write(&path, text)?;
            bytes += text.len() as u64;
        }
    }
    Ok(bytes)
}

fn agreement_yaml(a: usize) -> String {
    let mut s = format!(
        "title: {{id: Kerja sama sintetis {a}, en: Synthetic agreement {a}}}\nkind: KAD\nstatus: active\nsigned: 2022-06-01\nperiod: {{start: 2022-06-01, end: 2024-06-30}}\nsummary: Data sintetis untuk uji kinerja.\nparties:\n  - {{id: kota, name: Kota {a}}}\n  - {{id: dki, name: Provinsi DKI Jakarta}}\ncommodities:\n"
    );
    for (id, name, unit, _) in COMMODITIES {
        let _ = writeln!(s, "  - {{id: {id}, name: {name}, unit: {unit}}}");
    }
    s.push_str("participants:\n");
    for p in 0..8 {
        let _ = writeln!(
            s,
            "  - {{id: pelaku-{p}, name: Pelaku usaha {p}, party: kota, commodities: [telur, beras, sapi, umkm, minyak]}}"
        );
    }
    s.push_str("offtakers:\n");
    for o in 0..4 {
        let _ = writeln!(
            s,
            "  - {{id: penerima-{o}, name: Penerima {o}, party: dki}}"
        );
    }
    s.push_str("targets:\n  - {id: target-telur, title: Target telur, commodity: telur, quantity: 50000, due: 2024-06-30}\n  - {id: target-sapi, title: Target sapi, commodity: sapi, quantity: 900000, due: 2024-06-30}\n");
    s.push_str("sources:\n  - {id: laporan, title: Laporan sintetis, url: \"https://example.org/laporan\"}\n");
    s
}

fn record(out: &mut String, rng: &mut Rng, a: usize, r: usize, month: usize) {
    let (commodity, _, _, units) = COMMODITIES[rng.below(COMMODITIES.len() as u64) as usize];
    let unit = units[rng.below(units.len() as u64) as usize];
    let (y, m) = (2022 + (month + 5) / 12, (month + 5) % 12 + 1);
    let day = 1 + rng.below(28);
    let quantity = match unit {
        "kg" => format!("{}", 100 + rng.below(20_000)),
        "kuintal" => format!("{}.{}", 1 + rng.below(50), rng.below(10)),
        "t" | "ton" => format!("{}.{:03}", rng.below(30), 1 + rng.below(999)),
        "l" | "liter" => format!("{}", 50 + rng.below(5_000)),
        _ => format!("{}", 1 + rng.below(60)),
    };
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
