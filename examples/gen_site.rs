//! Writes a synthetic site for benchmarks:
//! `cargo run --release --example gen_site -- DIR AGREEMENTS RECORDS_PER_AGREEMENT [SEED] [--commits N]`.
//! With `--commits N`, DIR becomes a git repository of N commits (written with gix, no `git`
//! binary needed): the first holds the site, each later one edits a few records.

use std::path::PathBuf;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let commits = match args.iter().position(|a| a == "--commits") {
        Some(i) if i + 1 < args.len() => {
            let n = args.remove(i + 1);
            args.remove(i);
            Some(n)
        }
        Some(_) => usage(),
        None => None,
    };
    if args.len() < 3 {
        usage();
    }
    let number = |text: &str| -> usize {
        text.parse().unwrap_or_else(|_| {
            eprintln!("`{text}` is not a number");
            std::process::exit(2)
        })
    };
    let spec = sinergi::synthetic::Spec {
        agreements: number(&args[1]),
        records_per_agreement: number(&args[2]),
        seed: args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1),
    };
    let dir = PathBuf::from(&args[0]);
    let done = match commits.as_deref().map(number) {
        None => sinergi::synthetic::write_site(&dir, spec)
            .map(|bytes| format!("{bytes} bytes of shipment YAML"))
            .map_err(|e| e.to_string()),
        Some(n) => sinergi::synthetic::SyntheticRepo::create(&dir, spec, n.max(1))
            .map(|repo| {
                let h = repo.history();
                format!(
                    "{} bytes of shipment YAML, {} commits, {} edits",
                    repo.shipment_bytes(),
                    h.commits,
                    h.edits
                )
            })
            .map_err(|e| e.to_string()),
    };
    match done {
        Ok(said) => println!("{}: {said}", dir.display()),
        Err(e) => {
            eprintln!("cannot write {}: {e}", dir.display());
            std::process::exit(1);
        }
    }
}

fn usage() -> ! {
    eprintln!("usage: gen_site DIR AGREEMENTS RECORDS_PER_AGREEMENT [SEED] [--commits N]");
    std::process::exit(2);
}
