//! STAGE 1 — disk → located raw documents → validated [`crate::model::Project`].
//! The only code that reads input files; [`project`] is the whole stage.

mod build;
mod build_manifest;
mod confine;
pub mod de;
mod discover;
mod further;
mod metric_data;
pub mod node;
mod probe;
pub mod raw;
mod raw_manifest;
pub mod revision;
pub mod stated;

pub use probe::struct_fields;
pub mod templates;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde::de::Deserialize;

use crate::excerpt::excerpt;
use crate::span::Located;
use crate::span::{FileId, Sources, Span};
use crate::suggest::did_you_mean;
pub use build::{build, LoadFailure};
pub use de::DeError;
use further::further_errors;
pub use metric_data::CsvObservation;
use node::{Node, NodeKind};
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
        project.errors.push(LoadError {
            message: format!(
                "no clinsafe.yaml in `{}`: a project needs a manifest (run `clinsafe init` to create one)",
                root.display()
            ),
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
        if let Some(tree) = prepared.tree {
            add_tree(&mut project, id, file.is_manifest, tree);
        }
    });
    metric_data::load_metric_data(&mut project);
    project
}

/// Reads `text` as if it were the file `name` (used by tests and the library).
pub fn load_text(project: &mut RawProject, name: &str, text: String, is_manifest: bool) {
    let path = project.root.join(name);
    let file = project.sources.add(name.to_string(), &path, text);
    parse_file(project, file, is_manifest);
}

/// A file read and parsed, before it joins the project.
struct Prepared {
    text: String,
    /// Why the file could not be read (message, line, column, byte offset).
    read_error: Option<(String, u32, u32, u32)>,
    tree: Option<Result<Option<Node>, node::ParseError>>,
}

/// Reading and parsing dominate the run time of large projects and each file
/// is independent, so worker threads parse while this thread takes each
/// result in file order (so output never depends on thread timing) and then
/// drops its tree, which keeps memory near one file's tree per thread.
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
            return Prepared { text: String::new(), read_error: Some((message, 1, 1, 0)), tree: None }
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let tree = Some(node::parse(&text, id));
            Prepared { text, read_error: None, tree }
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
                tree: None,
            }
        }
    }
}

fn parse_file(project: &mut RawProject, file: FileId, is_manifest: bool) {
    let tree = node::parse(&project.sources.get(file).text, file);
    add_tree(project, file, is_manifest, tree);
}

/// Takes a parsed file's items into the project.
fn add_tree(
    project: &mut RawProject,
    file: FileId,
    is_manifest: bool,
    tree: Result<Option<Node>, node::ParseError>,
) {
    let text = &project.sources.get(file).text;
    let root = match tree {
        Ok(Some(root)) => root,
        Ok(None) if is_manifest => {
            project.errors.push(LoadError {
                message: "clinsafe.yaml is empty: it needs at least `clinsafe: 1`, `system:` and `document:`"
                    .into(),
                span: Span::file_start(file),
            });
            return;
        }
        Ok(None) => return, // an empty file is simply empty
        Err(e) => {
            let span = Span {
                file,
                line: e.line,
                column: e.column,
                offset: offset_of(text, e.line, e.column),
                len: 1,
            };
            project.errors.push(LoadError { message: e.message, span });
            return;
        }
    };
    let NodeKind::Map(entries) = &root.kind else {
        project.errors.push(LoadError {
            message: format!(
                "expected a mapping with top-level keys such as `hazards:` or `controls:`, found {}",
                root.kind.describe()
            ),
            span: root.span,
        });
        return;
    };
    let notes = RefCell::new(Vec::new());
    let manifest_keys = struct_fields::<RawManifest>();
    let mut manifest_entries = Vec::new();
    for (key, value) in entries {
        let Some(name) = key.as_text() else {
            project.errors.push(LoadError {
                message: format!("expected a key written as plain text, found {}", key.kind.describe()),
                span: key.span,
            });
            continue;
        };
        match name {
            "hazards" => read_items(value, &notes, &mut project.hazards, &mut project.errors),
            "controls" => read_items(value, &notes, &mut project.controls, &mut project.errors),
            "metrics" => read_items(value, &notes, &mut project.metrics, &mut project.errors),
            "actions" => read_items(value, &notes, &mut project.actions, &mut project.errors),
            "incidents" => read_items(value, &notes, &mut project.incidents, &mut project.errors),
            "dpia" => match de::from_node::<Located<RawDpia>>(value, &notes) {
                Ok(dpia) => project.dpias.push(dpia),
                Err(e) => {
                    let span = e.span;
                    project.errors.push(located(e, value.span));
                    project.errors.extend(further_errors::<Located<RawDpia>>(value, span));
                }
            },
            _ if is_manifest && manifest_keys.contains(&name) => {
                manifest_entries.push((key.clone(), value.clone()))
            }
            _ if manifest_keys.contains(&name) => project.errors.push(LoadError {
                message: format!("`{name}` belongs in the manifest, clinsafe.yaml, not in this file"),
                span: key.span,
            }),
            _ => {
                let known = if is_manifest {
                    manifest_keys.iter().chain(ITEM_KEYS.iter()).copied().collect::<Vec<_>>()
                } else {
                    ITEM_KEYS.to_vec()
                };
                let hint = did_you_mean(name, known.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        format!(
                            "expected one of {}",
                            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                        )
                    });
                project.errors.push(LoadError {
                    message: format!("unknown top-level key `{}`; {hint}", excerpt(name)),
                    span: key.span,
                });
            }
        }
    }
    if is_manifest {
        let node = Node { span: root.span, kind: NodeKind::Map(manifest_entries) };
        match de::from_node::<RawManifest>(&node, &notes) {
            Ok(m) => project.manifest = Some((m, Span::file_start(file))),
            Err(e) => {
                let span = e.span;
                project.errors.push(located(e, root.span));
                project.errors.extend(further_errors::<RawManifest>(&node, span));
            }
        }
    }
    project.errors.extend(notes.into_inner().into_iter().map(|e| located(e, root.span)));
}

/// Reads each list item on its own, so one bad hazard does not hide the next one's errors.
fn read_items<T: for<'a> Deserialize<'a>>(
    list: &Node,
    notes: &RefCell<Vec<DeError>>,
    out: &mut Vec<Located<T>>,
    errors: &mut Vec<LoadError>,
) {
    let items: &[Node] = match &list.kind {
        NodeKind::Seq(items) => items,
        NodeKind::Null => &[],
        other => {
            errors.push(LoadError {
                message: format!(
                    "expected a list of items (lines starting with `- `), found {}",
                    other.describe()
                ),
                span: list.span,
            });
            return;
        }
    };
    for item in items {
        match de::from_node::<Located<T>>(item, notes) {
            Ok(v) => out.push(v),
            Err(e) => {
                let span = e.span;
                errors.push(located(e, item.span));
                errors.extend(further_errors::<Located<T>>(item, span));
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
