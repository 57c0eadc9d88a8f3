//! Why a command failed, as one value, and the exit code that says so: every command returns
//! `Result<(), Error>`, and [`Error::exit_code`] is the one place exit codes are decided.

use std::fmt;

use sinergi::import::ImportError;
use sinergi::scaffold::NewError;
use sinergi::serve::ServeError;
use sinergi::{BuildError, PdfError};

/// The site, its output folder or a spreadsheet is wrong, or what was asked cannot be done.
pub const FAILED: u8 = 1;
/// The command line is wrong.
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
    /// A mistake on the command line is a usage error, and rejected rows are findings,
    /// whichever command met them.
    fn from(e: ImportError) -> Error {
        match e {
            ImportError::Usage(m) => Error::Usage(m),
            ImportError::Rejected { errors, warnings } => Error::Findings { errors, warnings },
            other => Error::Import(other),
        }
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
