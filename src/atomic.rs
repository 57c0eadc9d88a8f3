//! The one way sinergi replaces a file in place: write a temporary file beside it, then rename
//! it over the target.

use std::fs;
use std::io::Write;
use std::path::Path;

/// The end of every temporary file name [`write`] uses; a leftover of a killed process can be
/// recognized, and removed, by it.
pub const TMP_SUFFIX: &str = ".sinergi-tmp";

/// What a finished [`write`] survives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// A killed process or a full disk never leaves a partial file under the target's name (the
    /// rename is atomic), but after a power loss the target may hold its old bytes, or on some
    /// file systems none. For files that are checked when read or can be made again (the
    /// output manifest, cache entries): syncing them would cost seconds per thousand files.
    Crash,
    /// As [`Durability::Crash`], and the new bytes and the rename are on disk before `write`
    /// returns (the file is synced, then its folder where the system allows). For the site's own data (`import`).
    PowerLoss,
}

/// Replaces `target` with `bytes` through `.<name>.<pid>.sinergi-tmp` in the same folder. On
/// failure the temporary file is removed and the target is left as it was.
pub fn write(target: &Path, bytes: &[u8], durability: Durability) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}{TMP_SUFFIX}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durability == Durability::PowerLoss {
            f.sync_all()?;
        }
        drop(f);
        fs::rename(&tmp, target)?;
        if durability == Durability::PowerLoss {
            // The rename is done; a folder that cannot be synced (not every system opens
            // one) does not undo it.
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
