//! Command-line definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use sinergi::diagnostics::Format;
use sinergi::schema::SchemaKind;

#[derive(Parser)]
#[command(
    name = "sinergi",
    version,
    about = "Static, bilingual transparency reports for inter-regional cooperation agreements"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print only warnings and errors: no summary or progress lines.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print how long each phase of a build took.
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check the data, render the whole site in memory, then write what changed.
    Build {
        /// The site folder (holding content/).
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Output folder; default <site>/output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Absolute URL the site is published at (overrides site.yaml's base_url).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Build, then print the monitoring report to PDF with an installed Chromium or Chrome.
    Pdf {
        /// The site folder (holding content/).
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// The agreement to print; default: every agreement.
        #[arg(long)]
        agreement: Option<String>,
        /// The PDF file; default <site>/output/agreements/<slug>/report.pdf.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Report language; default: the site's first language.
        #[arg(long)]
        lang: Option<String>,
    },
    /// Check the site's data and report every finding.
    Check {
        /// The site folder (holding content/).
        #[arg(long, default_value = ".")]
        site: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Build in memory, serve it, rebuild on every change and reload open pages.
    Serve {
        /// The site folder (holding content/).
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on; anything but loopback opens the site to other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
    /// Write a new, working example site into DIR (which must be new or empty).
    New {
        /// The folder to create the site in.
        dir: PathBuf,
    },
    /// Add shipment records from a spreadsheet (CSV or XLSX) to an agreement.
    Import {
        /// The agreement's folder name under content/agreements/.
        #[arg(long)]
        agreement: String,
        /// The spreadsheet: .csv, or .xlsx (every sheet with a header row is read).
        file: PathBuf,
        /// The site folder (holding content/).
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// The YAML file to append to; default
        /// content/agreements/<slug>/shipments/imported-<latest date in the sheet>.yaml.
        #[arg(long)]
        into: Option<PathBuf>,
        /// Show what would be added; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Leave out rows with errors (listed) instead of importing nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// How findings about the rows are printed (json and github: on stdout).
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Print the JSON Schema (2020-12) of a data file kind.
    Schema {
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}
