//! The thin binary: parse arguments, call the library, print, choose the exit code.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use sinergi::diagnostics::{self, Format};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check {
            site,
            format,
            deny_warnings,
        } => {
            let checked = sinergi::check(&site);
            let d = &checked.diagnostics;
            let failed = d.has_errors() || (deny_warnings && d.warnings() > 0);
            match format {
                Format::Json | Format::Github => {
                    print!("{}", diagnostics::render(d, format, &site));
                }
                Format::Human => {
                    eprint!("{}", diagnostics::render(d, format, &site));
                    let counts = |n: usize, what: &str| match n {
                        0 => format!("no {what}s"),
                        1 => format!("1 {what}"),
                        n => format!("{n} {what}s"),
                    };
                    let line = format!(
                        "{}: {}, {}",
                        checked.summary(),
                        counts(d.errors(), "error"),
                        counts(d.warnings(), "warning")
                    );
                    if failed {
                        eprintln!("{line}");
                    } else {
                        println!("{line}");
                    }
                }
            }
            let _ = std::io::stdout().flush();
            ExitCode::from(u8::from(failed))
        }
        Command::Schema { kind } => {
            print!("{}", sinergi::schema::schema(kind));
            ExitCode::SUCCESS
        }
    }
}
