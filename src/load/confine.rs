//! The project folder is untrusted input: a merge request can commit a symbolic
//! link to `/proc/self/environ` or a named pipe. Every file clinsafe reads goes
//! through here: its real path (all links resolved) must lie inside the
//! project's real path, and it must be a regular file, checked before it is
//! opened (a pipe would block the open for ever) and again on the open handle.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::MAX_FILE_BYTES;

/// The project root, resolved once.
#[derive(Debug, Clone)]
pub struct Root {
    real: PathBuf,
}

impl Root {
    pub fn new(root: &Path) -> Result<Root, String> {
        let real =
            root.canonicalize().map_err(|e| format!("cannot read the project folder: {}", words(&e)))?;
        Ok(Root { real })
    }

    /// The real path of `path` if it is a regular file inside the project.
    /// The message never quotes where a link points: that is not the project's to know.
    pub fn resolve_file(&self, path: &Path) -> Result<PathBuf, String> {
        let real = path.canonicalize().map_err(|e| format!("cannot read the file: {}", words(&e)))?;
        if !real.starts_with(&self.real) {
            return Err("it leads outside the project folder through a symbolic link; \
                 clinsafe reads only files inside the project"
                .into());
        }
        let meta = std::fs::metadata(&real).map_err(|e| format!("cannot read the file: {}", words(&e)))?;
        regular(&meta)?;
        Ok(real)
    }

    /// Reads a regular file inside the project, at most [`MAX_FILE_BYTES`].
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        read_regular(&self.resolve_file(path)?)
    }
}

/// Reads `path` (already resolved) if it is a regular file of at most [`MAX_FILE_BYTES`].
pub fn read_regular(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read the file: {}", words(&e)))?;
    regular(&meta)?;
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {}", words(&e)))?;
    // Checked again on the handle: the path may have changed since.
    regular(&f.metadata().map_err(|e| format!("cannot read the file: {}", words(&e)))?)?;
    let mut bytes = Vec::new();
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {}", words(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the file is larger than {} MiB: split it into several files",
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    Ok(bytes)
}

fn regular(meta: &std::fs::Metadata) -> Result<(), String> {
    if meta.is_file() {
        Ok(())
    } else if meta.is_dir() {
        Err("it is a folder, not a file".into())
    } else {
        Err("it is not a regular file (a pipe, socket or device): clinsafe reads only ordinary files".into())
    }
}

/// An I/O error in words, without Rust's `kind` names.
pub fn words(e: &std::io::Error) -> String {
    // ELOOP has no stable ErrorKind yet.
    const ELOOP: i32 = if cfg!(target_os = "linux") { 40 } else { 62 };
    match e.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if e.raw_os_error() == Some(ELOOP) => "its symbolic links form a loop".into(),
        _ => e.to_string(),
    }
}
