//! The thin binary: parse arguments, call the library, print, choose the exit code.

mod cli;

/// glibc's allocator slows down badly after a large parse (measured 10x on the next phase);
/// rendering allocates a great deal.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use sinergi::diagnostics::{self, Format};
use sinergi::{BuildError, BuildOptions};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Build {
            site,
            out,
            base_url,
        } => build(site, out, base_url, cli.quiet, cli.verbose),
        Command::Pdf {
            site,
            agreement,
            out,
            lang,
        } => pdf(site, agreement, out, lang),
        Command::Check {
            site,
            format,
            deny_warnings,
        } => {
            let checked = sinergi::check_with(&site, &sinergi::load::Reading::changed());
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
            ExitCode::from(u8::from(failed))
        }
        Command::Serve { site, port, bind } => {
            let options = sinergi::serve::ServeOptions {
                site,
                bind,
                port,
                quiet: cli.quiet,
            };
            match sinergi::serve::run(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(1)
                }
            }
        }
        Command::New { dir } => ExitCode::from(sinergi::scaffold::command(&dir)),
        Command::Import {
            agreement,
            file,
            site,
            into,
            dry_run,
            skip_invalid,
        } => ExitCode::from(sinergi::import::command(&sinergi::import::ImportOptions {
            site,
            agreement,
            file,
            into,
            dry_run,
            skip_invalid,
        })),
        Command::Schema { kind } => {
            print!("{}", sinergi::schema::schema(kind));
            ExitCode::SUCCESS
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "sinergi",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
    }
}

/// `SOURCE_DATE_EPOCH`, or exit code 2 when it is not a number.
fn source_date_epoch() -> Result<Option<i64>, ExitCode> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => match v.trim().parse::<i64>() {
            Ok(n) => Ok(Some(n)),
            Err(_) => {
                eprintln!("error: SOURCE_DATE_EPOCH must be a whole number of seconds, not `{v}`");
                Err(ExitCode::from(2))
            }
        },
        Err(_) => Ok(None),
    }
}

fn pdf(
    site: PathBuf,
    agreement: Option<String>,
    file: Option<PathBuf>,
    lang: Option<String>,
) -> ExitCode {
    let source_date_epoch = match source_date_epoch() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let options = sinergi::PdfOptions {
        build: BuildOptions {
            source_date_epoch,
            ..BuildOptions::default()
        },
        agreement,
        file,
        lang,
    };
    match sinergi::pdf(&site, &options) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => report_failure(e),
    }
}

const WRITE_STOPPED: &str = "build stopped while writing: every output file is whole, either its \
     previous or its new version; fix the cause and build again to finish";

fn report_failure(e: BuildError) -> ExitCode {
    match e {
        BuildError::Invalid(d) => {
            eprint!("{}", diagnostics::render(&d, Format::Human));
            eprintln!("failed: {} errors; nothing was written", d.errors());
        }
        BuildError::Output(message) => eprintln!("error: {message}"),
        BuildError::Write(message) => eprintln!("error: {message}\n{WRITE_STOPPED}"),
    }
    ExitCode::from(1)
}

fn build(
    site: PathBuf,
    out: Option<PathBuf>,
    base_url: Option<String>,
    quiet: bool,
    verbose: bool,
) -> ExitCode {
    let source_date_epoch = match source_date_epoch() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let options = BuildOptions {
        out,
        base_url,
        source_date_epoch,
    };
    let progress = (!quiet).then(sinergi::progress::Progress::start);
    if let Some(p) = &progress {
        p.say("building the site");
    }
    let result = sinergi::build(&site, &options);
    if let Some(p) = &progress {
        p.finish();
    }
    match result {
        Ok(report) => {
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
            ExitCode::SUCCESS
        }
        Err(BuildError::Invalid(d)) => {
            eprint!("{}", diagnostics::render(&d, Format::Human));
            eprintln!("build failed: {} errors; nothing was written", d.errors());
            ExitCode::from(1)
        }
        Err(BuildError::Output(message)) => {
            eprintln!("error: {message}");
            eprintln!("build failed; nothing was written");
            ExitCode::from(1)
        }
        Err(BuildError::Write(message)) => {
            eprintln!("error: {message}");
            eprintln!("{WRITE_STOPPED}");
            ExitCode::from(1)
        }
    }
}
