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

/// A new report set being written into `out`, file by file as a render
/// makes each one (so no page is held in memory longer than it takes to make
/// it). Nothing the reader sees changes until [`Staged::commit`]; dropped
/// uncommitted (a render that failed part-way), it leaves `out` as it was.
pub struct Staged {
    out: PathBuf,
    _lock: File,
    /// Set when an interrupted render's leftovers were undone first.
    recovered: Option<String>,
    /// What to remove if the render fails: the folders and the lock file this render made.
    made: Vec<PathBuf>,
    committed: bool,
}

impl Staged {
    /// Checks and locks `out` (made if missing) and starts a new set in it;
    /// `project` is the project folder, used to refuse links between it and `out`.
    pub fn open(project: &Path, out: &Path) -> Result<Staged, String> {
        // The folders this render makes (`out` and any missing above it), then its lock file.
        let mut made: Vec<PathBuf> = out
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .take_while(|p| std::fs::symlink_metadata(p).is_err())
            .map(Path::to_path_buf)
            .collect();
        made.reverse();
        if !out.join(LOCK).exists() {
            made.push(out.join(LOCK));
        }
        let lock = open_out(project, out)?;
        let mut staged =
            Staged { out: out.to_path_buf(), _lock: lock, recovered: None, made, committed: false };
        staged.recovered = journal::begin(out)?;
        Ok(staged)
    }

    /// A new, empty file of the set, open to write and read back (from any
    /// render thread), and its path as a message names it.
    pub fn create(&self, name: &str) -> Result<(File, String), String> {
        journal::stage_file(&self.out, name)
    }

    /// Puts the new set in place of the old: `names` are every file made through
    /// [`Staged::create`], in the order the manifest lists them.
    pub fn commit(mut self, names: &[&str]) -> Result<Written, String> {
        self.committed = true;
        journal::commit(&self.out, names, self.recovered.take())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        journal::abandon(&self.out);
        // Lock file first, then the folders from the deepest (each removed only if empty).
        for path in self.made.iter().rev() {
            let _ = if path.ends_with(LOCK) { std::fs::remove_file(path) } else { std::fs::remove_dir(path) };
        }
    }
}

/// Writes `files` into `out` as one set; `project` is the project folder, used
/// to refuse links between it and `out`.
#[cfg(test)]
pub fn write_all(project: &Path, out: &Path, files: &[(String, Vec<u8>)]) -> Result<Written, String> {
    use std::io::Write;
    let staged = Staged::open(project, out)?;
    for (name, bytes) in files {
        let (mut file, shown) = staged.create(name)?;
        file.write_all(bytes).map_err(|e| format!("cannot write `{shown}`: {e}"))?;
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    staged.commit(&names)
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
