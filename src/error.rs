//! Why a command failed, as values. Every command returns `Result<_, Error>`; the binary prints
//! the error and exits with [`Error::exit_code`], the one place exit codes are decided.

use std::fmt;
use std::path::PathBuf;

use crate::diagnostics::Diagnostics;
use crate::import::ImportError;
use crate::output::WriteError;
use crate::scaffold::NewError;
use crate::serve::ServeError;

/// The exit code of a run that failed because of the site, its output folder or what it was
/// asked to do with them.
pub const FAILED: u8 = 1;
/// The exit code of a wrong command line.
pub const USAGE: u8 = 2;

#[derive(Debug)]
pub enum Error {
    /// The command line or the environment is wrong (an unknown agreement, a
    /// `SOURCE_DATE_EPOCH` that is not a number).
    Usage(String),
    /// The run's findings, already printed in the format asked for, fail it: errors, or
    /// warnings under `--deny-warnings`, or spreadsheet rows that cannot be imported.
    Findings {
        errors: usize,
        warnings: usize,
    },
    Build(BuildError),
    Pdf(PdfError),
    Serve(ServeError),
    Import(ImportError),
    New(NewError),
}

impl Error {
    /// `1` for everything about the site, its output or a spreadsheet; `2` for the command
    /// line.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::Pdf(PdfError::Usage(_)) => USAGE,
            _ => FAILED,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => f.write_str(m),
            Error::Findings { errors, warnings } => {
                write!(f, "{errors} errors and {warnings} warnings were found")
            }
            Error::Build(e) => e.fmt(f),
            Error::Pdf(e) => e.fmt(f),
            Error::Serve(e) => e.fmt(f),
            Error::Import(e) => e.fmt(f),
            Error::New(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Build(e) => Some(e),
            Error::Pdf(e) => Some(e),
            Error::Serve(e) => Some(e),
            Error::Import(e) => Some(e),
            Error::New(e) => Some(e),
            Error::Usage(_) | Error::Findings { .. } => None,
        }
    }
}

impl From<BuildError> for Error {
    fn from(e: BuildError) -> Error {
        Error::Build(e)
    }
}

impl From<PdfError> for Error {
    fn from(e: PdfError) -> Error {
        Error::Pdf(e)
    }
}

impl From<ServeError> for Error {
    fn from(e: ServeError) -> Error {
        Error::Serve(e)
    }
}

impl From<NewError> for Error {
    fn from(e: NewError) -> Error {
        Error::New(e)
    }
}

impl From<ImportError> for Error {
    /// A mistake on the command line is a usage error whichever command made it.
    fn from(e: ImportError) -> Error {
        match e {
            ImportError::Usage(m) => Error::Usage(m),
            other => Error::Import(other),
        }
    }
}

/// Why a build wrote nothing, or stopped writing.
#[derive(Debug)]
pub enum BuildError {
    /// The data or templates are wrong; every finding is listed.
    Invalid(Diagnostics),
    /// An option the site cannot be built with (`--base-url`, an `--out` inside the site);
    /// nothing was written.
    Option(String),
    /// The output folder cannot be used (it holds files of other origin, or a path would
    /// leave it); nothing was written.
    Output(WriteError),
    /// Writing stopped part-way (e.g. a full disk): each file is whole, old or new.
    Write(WriteError),
}

impl BuildError {
    /// Refusals before the first byte are [`BuildError::Output`]; failures while writing are
    /// [`BuildError::Write`].
    pub fn of_write(e: WriteError) -> BuildError {
        match e {
            WriteError::Io { .. } => BuildError::Write(e),
            other => BuildError::Output(other),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Invalid(d) => write!(
                f,
                "{} error{}",
                d.errors(),
                if d.errors() == 1 { "" } else { "s" }
            ),
            BuildError::Option(m) => f.write_str(m),
            BuildError::Output(e) | BuildError::Write(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Output(e) | BuildError::Write(e) => Some(e),
            BuildError::Invalid(_) | BuildError::Option(_) => None,
        }
    }
}

/// Why `sinergi pdf` printed nothing, or not every report.
#[derive(Debug)]
pub enum PdfError {
    /// The build before printing failed.
    Build(BuildError),
    /// An option names what the site does not have (an agreement, a language), or `--out`
    /// names one file for several reports.
    Usage(String),
    /// No browser to print with, or `SINERGI_CHROME` names no file.
    NoBrowser(String),
    /// The browser could not print a report.
    Print { report: PathBuf, why: String },
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Build(e) => e.fmt(f),
            PdfError::Usage(m) | PdfError::NoBrowser(m) => f.write_str(m),
            PdfError::Print { report, why } => {
                write!(f, "cannot print {}: {why}", report.display())
            }
        }
    }
}

impl std::error::Error for PdfError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PdfError::Build(e) => Some(e),
            _ => None,
        }
    }
}

impl From<BuildError> for PdfError {
    fn from(e: BuildError) -> PdfError {
        PdfError::Build(e)
    }
}

/// `SOURCE_DATE_EPOCH`: seconds since 1970, the build date footers show; `None` when unset.
pub fn source_date_epoch() -> Result<Option<i64>, Error> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().map(Some).map_err(|_| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH must be a whole number of seconds, not `{v}`"
            ))
        }),
        Err(_) => Ok(None),
    }
}
