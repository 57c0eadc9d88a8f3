//! The thin binary: parse arguments, call the library, print, choose the exit code.

mod cli;
mod exit;

/// glibc's allocator slows down badly after a large parse (measured 10x on the next phase);
/// rendering allocates a great deal.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use exit::{Error, source_date_epoch};
use sinergi::diagnostics::{self, Diagnostics, Format};
use sinergi::{BuildError, BuildOptions, PdfError};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs one command; what it prints on success, it prints here.
fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Build {
            site,
            out,
            base_url,
        } => build(&site, out, base_url, cli.quiet, cli.verbose),
        Command::Pdf {
            site,
            agreement,
            out,
            lang,
        } => {
            let options = sinergi::PdfOptions {
                build: BuildOptions {
                    source_date_epoch: source_date_epoch()?,
                    ..BuildOptions::default()
                },
                agreement,
                file: out,
                lang,
            };
            for f in sinergi::pdf(&site, &options)? {
                println!("{}", f.display());
            }
            Ok(())
        }
        Command::Check {
            site,
            format,
            deny_warnings,
        } => check(&site, format, deny_warnings),
        Command::Serve { site, port, bind } => {
            Ok(sinergi::serve::run(sinergi::serve::ServeOptions {
                site,
                bind,
                port,
                quiet: cli.quiet,
                source_date_epoch: source_date_epoch()?,
            })?)
        }
        Command::New { dir } => {
            let site = sinergi::scaffold::new_site(&dir)?;
            println!("{}", sinergi::scaffold::summary(&site));
            Ok(())
        }
        Command::Import {
            agreement,
            file,
            site,
            into,
            dry_run,
            skip_invalid,
            format,
        } => Ok(sinergi::import::command(
            &sinergi::import::ImportOptions {
                site,
                agreement,
                file,
                into,
                dry_run,
                skip_invalid,
            },
            format,
        )?),
        Command::Schema { kind } => {
            print!("{}", sinergi::schema::schema(kind));
            Ok(())
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "sinergi",
                &mut std::io::stdout(),
            );
            Ok(())
        }
    }
}

/// Prints why a command failed (the findings it already printed aside).
fn report(e: &Error) {
    let findings = |d: &Diagnostics| eprint!("{}", diagnostics::render(d, Format::Human));
    match e {
        Error::Findings { .. } => {}
        Error::Build(BuildError::Invalid(d))
        | Error::Pdf(PdfError::Build(BuildError::Invalid(d))) => {
            findings(d);
            eprintln!("build failed: {e}; nothing was written");
        }
        Error::Build(BuildError::Write(_)) | Error::Pdf(PdfError::Build(BuildError::Write(_))) => {
            eprintln!("error: {e}");
            eprintln!(
                "build stopped while writing: every output file is whole, either its previous \
                 or its new version; fix the cause and build again to finish"
            );
        }
        Error::Build(_) | Error::Pdf(PdfError::Build(_)) => {
            eprintln!("error: {e}");
            eprintln!("build failed; nothing was written");
        }
        Error::Import(sinergi::import::ImportError::Site(d)) => {
            findings(d);
            eprintln!(
                "import stopped: the site has {} error{} of its own (shown above); fix them \
                 first (`sinergi check`); nothing was imported",
                d.errors(),
                if d.errors() == 1 { "" } else { "s" }
            );
        }
        Error::Import(_) => {
            eprintln!("error: {e}");
            eprintln!("nothing was imported");
        }
        _ => eprintln!("error: {e}"),
    }
}

/// `sinergi check`: every finding in `format`, then (human) a summary line.
fn check(site: &Path, format: Format, deny_warnings: bool) -> Result<(), Error> {
    let mut checked = sinergi::check_with(site, &sinergi::load::Reading::changed());
    sinergi::check_history(site, &mut checked);
    let d = &checked.diagnostics;
    let failed = d.has_errors() || (deny_warnings && d.warnings() > 0);
    match format {
        Format::Json | Format::Github => {
            print!("{}", diagnostics::render(d, format));
        }
        Format::Human => {
            eprint!("{}", diagnostics::render(d, format));
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
    if failed {
        return Err(Error::Findings {
            errors: d.errors(),
            warnings: d.warnings(),
        });
    }
    Ok(())
}

fn build(
    site: &Path,
    out: Option<std::path::PathBuf>,
    base_url: Option<String>,
    quiet: bool,
    verbose: bool,
) -> Result<(), Error> {
    let started = std::time::Instant::now();
    let options = BuildOptions {
        out,
        base_url,
        source_date_epoch: source_date_epoch()?,
        uncommitted: false,
    };
    let progress = (!quiet).then(sinergi::progress::Progress::start);
    if let Some(p) = &progress {
        p.say("building the site");
    }
    let result = sinergi::build(site, &options);
    if let Some(p) = &progress {
        p.finish();
    }
    let report = result?;
    eprint!("{}", diagnostics::render(&report.warnings, Format::Human));
    let w = &report.write;
    let summary = format!(
        "{}: {} pages, {} files ({} written, {} unchanged, {} removed, {} bytes written; \
         {} unchanged agreements not rendered again, {} whose records were not read) in {} ms",
        report.summary,
        report.pages,
        report.files,
        w.written,
        w.unchanged,
        w.removed,
        w.bytes_written,
        report.agreements_kept,
        report.records_unread,
        started.elapsed().as_millis()
    );
    if verbose {
        for (phase, took) in &report.timings {
            eprintln!("{phase:>18}: {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    if !quiet {
        println!("{summary}");
    }
    Ok(())
}
