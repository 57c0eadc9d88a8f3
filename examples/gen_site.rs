//! Writes a synthetic site for benchmarks:
//! `cargo run --release --example gen_site -- DIR AGREEMENTS RECORDS_PER_AGREEMENT [SEED]`.

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: gen_site DIR AGREEMENTS RECORDS_PER_AGREEMENT [SEED]");
        std::process::exit(2);
    }
    let number = |i: usize| -> usize {
        args[i].parse().unwrap_or_else(|_| {
            eprintln!("`{}` is not a number", args[i]);
            std::process::exit(2)
        })
    };
    let spec = sinergi::synthetic::Spec {
        agreements: number(1),
        records_per_agreement: number(2),
        seed: args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1),
    };
    let dir = PathBuf::from(&args[0]);
    match sinergi::synthetic::write_site(&dir, spec) {
        Ok(bytes) => println!("{}: {bytes} bytes of shipment YAML", dir.display()),
        Err(e) => {
            eprintln!("cannot write {}: {e}", dir.display());
            std::process::exit(1);
        }
    }
}
