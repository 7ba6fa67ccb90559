//! Where a piece of input came from: the loaded source files and spans into them.
//!
//! Spans travel with the data from the loader to every finding and become
//! `file:line:column` only when a diagnostic is printed.

use std::path::{Path, PathBuf};

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A located region of one input file (1-based line and column, byte range).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub line: u32,
    pub column: u32,
    pub offset: u32,
    pub len: u32,
}

/// A value with the span of the YAML node it was read from. The loader
/// fills the span (`load::de`); every later stage only reads it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Located<T> {
    pub fn new(value: T, span: Span) -> Self {
        Located { value, span }
    }
}

/// A located value serializes as the bare value: where it was written is not content.
impl<T: serde::Serialize> serde::Serialize for Located<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T> std::ops::Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl Span {
    /// A span that only names a file (used for whole-file problems).
    pub fn file_start(file: FileId) -> Span {
        Span { file, line: 1, column: 1, offset: 0, len: 0 }
    }
}

/// One input file: its path relative to the project and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the project root, with `/` separators (stable across OSes).
    pub name: String,
    pub path: PathBuf,
    pub text: String,
}

/// Every file read during a run, so diagnostics can quote the offending line.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, name: String, path: &Path, text: String) -> FileId {
        self.files.push(SourceFile { name, path: path.to_path_buf(), text });
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn name(&self, id: FileId) -> &str {
        &self.get(id).name
    }

    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }

    /// Renames every file, so diagnostics about another copy of the project
    /// (the old side of `--since`) say which: `v1.0:hazards/a.yaml`.
    pub fn rename_all(&mut self, rename: impl Fn(&str) -> String) {
        for f in &mut self.files {
            f.name = rename(&f.name);
        }
    }
}
