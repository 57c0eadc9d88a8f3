//! Why a build or a print failed, as values.

use std::fmt;
use std::path::PathBuf;

use crate::diagnostics::Diagnostics;
use crate::output::WriteError;

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
