//! The project folder is untrusted input: a merge request can commit a symbolic
//! link to `/proc/self/environ` or a named pipe. Every file clinsafe reads goes
//! through here: its real path (all links resolved) must lie inside the
//! project's real path, and it must be a regular file, checked before it is
//! opened (a pipe would block the open for ever) and again on the open handle.

use std::path::{Path, PathBuf};

use crate::files::{read_regular, regular, words};

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

    /// Reads a regular file inside the project, at most [`crate::files::MAX_FILE_BYTES`].
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        read_regular(&self.resolve_file(path)?)
    }
}
