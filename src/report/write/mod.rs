//! Writing reports into the output folder, which may sit inside the untrusted
//! project folder (`out/` by default) and hold the user's own files.
//!
//! - Only a real folder is written into: a symbolic link (committed as `out`,
//!   or anywhere between the project and the output folder) is refused, so
//!   writes and deletions cannot be redirected outside.
//! - Only what a render wrote is ever removed: `.clinsafe-manifest` names the
//!   files of the last render, and a file named there that this render did not
//!   produce is removed and reported. A user's own `monitoring.pdf` is left alone.
//! - The set is replaced as a unit ([`journal`]): a render that fails, or is
//!   killed, leaves the previous reports in place.
//! - One render at a time: `.clinsafe-lock` is held (an OS file lock, freed when
//!   the process ends, so a killed render never leaves it stuck).

mod journal;

use std::fs::File;
use std::path::{Path, PathBuf};

pub use journal::Written;

const LOCK: &str = ".clinsafe-lock";

/// Writes `files` into `out` as one set; `project` is the project folder, used
/// to refuse links between it and `out`.
pub fn write_all(project: &Path, out: &Path, files: &[(String, Vec<u8>)]) -> Result<Written, String> {
    let _lock = open_out(project, out)?;
    journal::replace_set(out, files, &mut |_| Ok(()))
}

/// Checks and creates the output folder and takes its lock.
fn open_out(project: &Path, out: &Path) -> Result<File, String> {
    refuse_links(project, out)?;
    match std::fs::symlink_metadata(out) {
        Ok(m) if !m.is_dir() => {
            return Err(format!(
            "`{}` exists and is not a folder: the output (--out) must be a folder to write the reports into",
            out.display()
        ))
        }
        Ok(_) => {}
        Err(_) => std::fs::create_dir_all(out).map_err(|e| {
            format!("cannot create the output folder `{}`: {}", out.display(), crate::files::words(&e))
        })?,
    }
    journal::refuse_odd_helpers(out)?;
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join(LOCK))
        .map_err(|e| format!("cannot lock `{}`: {}", out.display(), crate::files::words(&e)))?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "another clinsafe render is writing into `{}` now; run this one again when it has finished",
            out.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(format!("cannot lock `{}`: {}", out.display(), crate::files::words(&e)))
        }
    }
}

/// Refuses `out` if it, or any folder between the project and it, is a link.
fn refuse_links(project: &Path, out: &Path) -> Result<(), String> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (project, out_abs) = (abs(project), abs(out));
    let mut checked: Vec<PathBuf> = vec![out_abs.clone()];
    if let Ok(inside) = out_abs.strip_prefix(&project) {
        let mut at = project.clone();
        for part in inside.components() {
            at.push(part);
            checked.push(at.clone());
        }
    }
    for path in checked {
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "`{}` is a symbolic link: clinsafe does not write reports through links \
                 (a link committed to the project could send writes and deletions anywhere); \
                 remove it, or name a real folder with --out",
                path.display()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
