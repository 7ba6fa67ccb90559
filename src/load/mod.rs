//! STAGE 1 — disk → located raw documents → validated [`crate::model::Project`].
//! The only code that reads input files; [`project`] is the whole stage.

mod build;
mod build_manifest;
mod confine;
pub mod de;
mod discover;
mod event_items;
mod event_tree;
mod file_items;
mod further;
mod id_lists;
mod metric_data;
pub mod node;
mod probe;
pub mod raw;
mod raw_manifest;
mod required;
pub mod revision;
mod scalars;
pub mod stated;

pub use probe::struct_fields;
pub mod templates;

use std::path::{Path, PathBuf};

use crate::span::Located;
use crate::span::{FileId, Sources, Span};
pub use build::{build, LoadFailure};
pub use de::DeError;
pub use metric_data::CsvObservation;
use raw::*;

pub use crate::files::MAX_FILE_BYTES;

/// Stack for each parsing thread: room for the deepest nesting the parser
/// allows, in a debug build too (only the pages used are committed).
pub const PARSER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// A problem that stops the project from being read (exit 2).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    pub message: String,
    pub span: Span,
}

/// Everything read from a project folder, not yet validated.
#[derive(Debug, Default)]
pub struct RawProject {
    pub root: PathBuf,
    pub sources: Sources,
    /// The manifest and the span of `clinsafe.yaml`'s start.
    pub manifest: Option<(RawManifest, Span)>,
    pub hazards: Vec<Located<RawHazard>>,
    pub controls: Vec<Located<RawControl>>,
    pub metrics: Vec<Located<RawMetric>>,
    pub actions: Vec<Located<RawAction>>,
    pub incidents: Vec<Located<RawIncident>>,
    pub dpias: Vec<Located<RawDpia>>,
    /// Observations read from each metric's `data:` CSV file, by metric index.
    pub metric_data: std::collections::BTreeMap<usize, Vec<CsvObservation>>,
    /// Every problem found; the project is usable only when this is empty.
    pub errors: Vec<LoadError>,
}

/// Reads and validates the project under `root` (`exclude`: the output folder).
pub fn project(root: &Path, exclude: Option<&Path>) -> Result<crate::model::Project, LoadFailure> {
    build(load(root, exclude))
}

/// Reads every project file under `root` (skipping hidden folders and `exclude`).
pub fn load(root: &Path, exclude: Option<&Path>) -> RawProject {
    let mut project = RawProject { root: root.to_path_buf(), ..RawProject::default() };
    if !root.is_dir() {
        let file = project.sources.add(root.display().to_string(), root, String::new());
        project.errors.push(LoadError {
            message: format!(
                "`{}` is not a folder: expected a project folder holding clinsafe.yaml",
                root.display()
            ),
            span: Span::file_start(file),
        });
        return project;
    }
    let files = match discover::project_files(root, exclude) {
        Ok(files) => files,
        Err(message) => {
            let file = project.sources.add(root.display().to_string(), root, String::new());
            project.errors.push(LoadError { message, span: Span::file_start(file) });
            return project;
        }
    };
    if !files.iter().any(|f| f.is_manifest) {
        let file = project.sources.add("clinsafe.yaml".into(), &root.join("clinsafe.yaml"), String::new());
        let is_folder = root.join("clinsafe.yaml").symlink_metadata().is_ok_and(|m| m.is_dir());
        project.errors.push(LoadError {
            message: if is_folder {
                "`clinsafe.yaml` here is a folder: the manifest must be a file".to_string()
            } else {
                format!(
                    "no clinsafe.yaml in `{}`: a project needs a manifest (run `clinsafe init` to create one)",
                    root.display()
                )
            },
            span: Span::file_start(file),
        });
    }
    let first_id = project.sources.iter().count() as u32;
    read_and_parse_all(&files, first_id, |file, prepared| {
        let id = project.sources.add(file.name.clone(), &file.path, prepared.text);
        debug_assert_eq!(id.0 - first_id, project.sources.iter().count() as u32 - 1 - first_id);
        if let Some((message, line, column, offset)) = prepared.read_error {
            project.errors.push(LoadError { message, span: Span { file: id, line, column, offset, len: 1 } });
        }
        if let Some(items) = prepared.items {
            items.add_to(&mut project);
        }
    });
    metric_data::load_metric_data(&mut project);
    project
}

/// Reads `text` as if it were the file `name` (used by tests and the library).
pub fn load_text(project: &mut RawProject, name: &str, text: String, is_manifest: bool) {
    let path = project.root.join(name);
    let file = project.sources.add(name.to_string(), &path, text);
    let text = &project.sources.get(file).text;
    file_items::read_text(file, text, is_manifest).add_to(project);
}

/// A file read and parsed, before it joins the project.
struct Prepared {
    text: String,
    /// Why the file could not be read (message, line, column, byte offset).
    read_error: Option<(String, u32, u32, u32)>,
    /// The file's items, read on the parsing thread.
    items: Option<file_items::FileItems>,
}

/// Reading and parsing dominate the run time of large projects and each file
/// is independent, so worker threads parse, read the items into their types
/// and drop the tree (one file's tree per thread in memory), while this
/// thread takes each file's items in file order (so output never depends on
/// thread timing).
fn read_and_parse_all(
    files: &[discover::ProjectFile],
    first_id: u32,
    mut take: impl FnMut(&discover::ProjectFile, Prepared),
) {
    // The parser recurses once per level of nesting (at most 64, its
    // budget); a spawned thread's default 2 MiB stack overflows before that.
    crate::parallel::in_order(
        files,
        8,
        PARSER_STACK_BYTES,
        |i, file| read_and_parse(file, FileId(first_id + i as u32)),
        |i, prepared| take(&files[i], prepared),
    );
}

fn read_and_parse(file: &discover::ProjectFile, id: FileId) -> Prepared {
    let read = match &file.refused {
        Some(why) => Err(why.clone()),
        None => crate::files::read_regular(&file.path),
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(message) => {
            return Prepared { text: String::new(), read_error: Some((message, 1, 1, 0)), items: None }
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let items = file_items::read_text(id, &text, file.is_manifest);
            Prepared { text, read_error: None, items: Some(items) }
        }
        Err(e) if crate::files::utf16(e.as_bytes()).is_some() => {
            let message = "the file is UTF-16 (it starts with a UTF-16 byte order mark, as Notepad's \
                           \"Unicode\" saves): save it as UTF-8"
                .to_string();
            Prepared { text: String::new(), read_error: Some((message, 1, 1, 0)), items: None }
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() as u32 + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            let message = format!(
                "the file is not valid UTF-8 (byte 0x{:02X} at offset {valid}): save it as UTF-8",
                bytes[valid]
            );
            let offset = before.len() as u32;
            Prepared {
                text: String::from_utf8_lossy(&bytes).into_owned(),
                read_error: Some((message, line, column, offset)),
                items: None,
            }
        }
    }
}

fn located(e: DeError, fallback: Span) -> LoadError {
    LoadError { message: e.message, span: e.span.unwrap_or(fallback) }
}

/// Byte offset of a 1-based line and column (columns counted in chars).
pub fn offset_of(text: &str, line: u32, column: u32) -> u32 {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1) as usize).map(str::len).sum();
    let rest = &text[start.min(text.len())..];
    let within: usize = rest.chars().take(column.saturating_sub(1) as usize).map(char::len_utf8).sum();
    (start + within) as u32
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
