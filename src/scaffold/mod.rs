//! `sinergi new DIR`: writes a small, working site that `check` and `build` accept as it is.
//! The files are compiled in from `src/scaffold/files/`.

use std::fmt;
use std::path::{Path, PathBuf};

/// The example agreement's folder name.
pub const AGREEMENT_SLUG: &str = "contoh-kad-2024";

/// Where `publish.yml` installs sinergi from when Cargo.toml names no `repository`.
pub const REPOSITORY_PLACEHOLDER: &str = "https://github.com/OWNER/sinergi";

/// The branch or tag the workflow installs.
const DEFAULT_REF: &str = "main";

/// (path inside the new site, contents).
fn files() -> Vec<(String, String)> {
    let agreement = format!("content/agreements/{AGREEMENT_SLUG}");
    let repository = match env!("CARGO_PKG_REPOSITORY") {
        "" => REPOSITORY_PLACEHOLDER,
        url => url,
    };
    let workflow = include_str!("files/publish.yml")
        .replace("__SINERGI_GIT__", repository)
        .replace("__SINERGI_REF__", DEFAULT_REF);
    vec![
        (
            "content/site.yaml".into(),
            include_str!("files/site.yaml").into(),
        ),
        (
            format!("{agreement}/agreement.yaml"),
            include_str!("files/agreement.yaml").into(),
        ),
        (
            format!("{agreement}/shipments/2024.yaml"),
            include_str!("files/shipments.yaml").into(),
        ),
        (
            "content/pages/about.md".into(),
            include_str!("files/about.md").into(),
        ),
        (
            "content/pages/about.en.md".into(),
            include_str!("files/about.en.md").into(),
        ),
        (
            "spreadsheets/contoh-pengiriman.csv".into(),
            include_str!("files/contoh-pengiriman.csv").into(),
        ),
        (".gitignore".into(), include_str!("files/gitignore").into()),
        (".github/workflows/publish.yml".into(), workflow),
    ]
}

/// Why nothing was written.
#[derive(Debug)]
pub enum NewError {
    /// The folder holds files already (anything but `.git`).
    NotEmpty { dir: PathBuf, entries: Vec<String> },
    /// The folder or a file could not be created.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::error::Error for NewError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NewError::Io { error, .. } => Some(error),
            NewError::NotEmpty { .. } => None,
        }
    }
}

impl fmt::Display for NewError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            NewError::NotEmpty { dir, entries } => {
                let mut shown: Vec<&str> = entries.iter().map(String::as_str).take(5).collect();
                if entries.len() > 5 {
                    shown.push("...");
                }
                write!(
                    f,
                    "{} is not empty (it holds {}); sinergi new only writes into a new or empty \
                     folder, so nothing of yours is overwritten. Choose another folder.",
                    dir.display(),
                    shown.join(", ")
                )
            }
            NewError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

/// What was written.
#[derive(Debug)]
pub struct NewSite {
    pub dir: PathBuf,
    /// Paths relative to `dir`, with `/`.
    pub files: Vec<String>,
}

/// Writes a new site into `dir`, which must not exist yet or be empty (a lone `.git` is
/// allowed, so a freshly cloned empty repository works).
pub fn new_site(dir: &Path) -> Result<NewSite, NewError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| NewError::Io { path, error }
    };
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut entries: Vec<String> = rd
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != ".git")
                .collect();
            entries.sort();
            if !entries.is_empty() {
                return Err(NewError::NotEmpty {
                    dir: dir.to_path_buf(),
                    entries,
                });
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        Err(e) => return Err(io(dir)(e)),
    }
    let mut written = Vec::new();
    for (rel, text) in files() {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
        written.push(rel);
    }
    Ok(NewSite {
        dir: dir.to_path_buf(),
        files: written,
    })
}

/// What `sinergi new` prints: the files written and what to do next.
pub fn summary(site: &NewSite) -> String {
    let dir = site.dir.display();
    let mut out = format!("created a new sinergi site in {dir}:\n");
    for f in &site.files {
        out.push_str(&format!("  {f}\n"));
    }
    let steps = [
        format!("cd {dir}"),
        "sinergi check      # checks every file".to_string(),
        "sinergi build      # writes the site to output/; open output/index.html".to_string(),
        format!(
            "sinergi import --agreement {AGREEMENT_SLUG} spreadsheets/contoh-pengiriman.csv --dry-run"
        ),
    ];
    out.push_str("\nnext:\n");
    for s in steps {
        out.push_str(&format!("  {s}\n"));
    }
    out.push_str(
        "\nThen replace the example data in content/: every field is explained in comments.\n\
         To publish on GitHub Pages, push to GitHub; see .github/workflows/publish.yml.",
    );
    if env!("CARGO_PKG_REPOSITORY").is_empty() {
        out.push_str(&format!(
            "\nIn that file, set SINERGI_GIT to the git URL sinergi is installed from \
             (it says {REPOSITORY_PLACEHOLDER})."
        ));
    }
    out
}
