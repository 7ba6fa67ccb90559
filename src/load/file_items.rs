//! One parsed file's tree → its typed items and errors.
//!
//! Runs on the parsing thread, so reading items into their types and freeing
//! the file's tree happen on all cores; the loader then only appends each
//! file's [`FileItems`] in file order.

use std::cell::RefCell;

use serde::de::Deserialize;

use super::further::further_errors;
use super::node::{self, Node, NodeKind};
use super::raw::*;
use super::{de, located, offset_of, struct_fields, DeError, LoadError, RawProject};
use crate::excerpt::excerpt;
use crate::span::{FileId, Located, Span};
use crate::suggest::did_you_mean;

/// What one file holds, in the order it was written, and every problem found in it.
#[derive(Debug, Default)]
pub(super) struct FileItems {
    pub(super) manifest: Option<(RawManifest, Span)>,
    pub(super) hazards: Vec<Located<RawHazard>>,
    pub(super) controls: Vec<Located<RawControl>>,
    pub(super) metrics: Vec<Located<RawMetric>>,
    pub(super) actions: Vec<Located<RawAction>>,
    pub(super) incidents: Vec<Located<RawIncident>>,
    pub(super) dpias: Vec<Located<RawDpia>>,
    pub(super) errors: Vec<LoadError>,
}

impl FileItems {
    /// Appends this file's items and errors to the project.
    pub(super) fn add_to(self, project: &mut RawProject) {
        if self.manifest.is_some() {
            project.manifest = self.manifest;
        }
        project.hazards.extend(self.hazards);
        project.controls.extend(self.controls);
        project.metrics.extend(self.metrics);
        project.actions.extend(self.actions);
        project.incidents.extend(self.incidents);
        project.dpias.extend(self.dpias);
        project.errors.extend(self.errors);
    }
}

/// Reads a file's items: a plain file of items straight from the parser's
/// events (event_items.rs), anything else (and anything wrong) through its tree.
pub(super) fn read_text(file: FileId, text: &str, is_manifest: bool) -> FileItems {
    if !is_manifest {
        if let Ok(items) = super::event_items::read(file, text) {
            return items;
        }
    }
    read(file, text, is_manifest, node::parse(text, file))
}

/// Reads a parsed file's items (`text`: the file's text, to place a syntax error).
pub(super) fn read(
    file: FileId,
    text: &str,
    is_manifest: bool,
    tree: Result<Option<Node>, node::ParseError>,
) -> FileItems {
    let mut out = FileItems::default();
    let root = match tree {
        Ok(Some(root)) => root,
        Ok(None) if is_manifest => {
            out.errors.push(LoadError {
                message: "clinsafe.yaml is empty: it needs at least `clinsafe: 1`, `system:` and `document:`"
                    .into(),
                span: Span::file_start(file),
            });
            return out;
        }
        Ok(None) => return out, // an empty file is simply empty
        Err(e) => {
            let span = Span {
                file,
                line: e.line,
                column: e.column,
                offset: offset_of(text, e.line, e.column),
                len: 1,
            };
            out.errors.push(LoadError { message: e.message, span });
            return out;
        }
    };
    let NodeKind::Map(entries) = &root.kind else {
        out.errors.push(LoadError {
            message: format!(
                "expected a mapping with top-level keys such as `hazards:` or `controls:`, found {}",
                root.kind.describe()
            ),
            span: root.span,
        });
        return out;
    };
    let notes = RefCell::new(Vec::new());
    let manifest_keys = struct_fields::<RawManifest>();
    let mut manifest_entries = Vec::new();
    for (key, value) in entries {
        let Some(name) = key.as_text() else {
            out.errors.push(LoadError {
                message: format!("expected a key written as plain text, found {}", key.kind.describe()),
                span: key.span,
            });
            continue;
        };
        match name {
            "hazards" => read_items(value, &notes, &mut out.hazards, &mut out.errors),
            "controls" => read_items(value, &notes, &mut out.controls, &mut out.errors),
            "metrics" => read_items(value, &notes, &mut out.metrics, &mut out.errors),
            "actions" => read_items(value, &notes, &mut out.actions, &mut out.errors),
            "incidents" => read_items(value, &notes, &mut out.incidents, &mut out.errors),
            "dpia" => match de::from_node::<Located<RawDpia>>(value, &notes) {
                Ok(dpia) => out.dpias.push(dpia),
                Err(e) => {
                    let span = e.span;
                    out.errors.push(located(e, value.span));
                    let (more, rest) = further_errors::<Located<RawDpia>>(value, span);
                    out.errors.extend(more);
                    out.dpias.extend(rest);
                }
            },
            _ if is_manifest && manifest_keys.contains(&name) => {
                manifest_entries.push((key.clone(), value.clone()))
            }
            _ if manifest_keys.contains(&name) => out.errors.push(LoadError {
                message: format!("`{name}` belongs in the manifest, clinsafe.yaml, not in this file"),
                span: key.span,
            }),
            _ => out.errors.push(unknown_top_level_key(name, key.span, is_manifest, manifest_keys)),
        }
    }
    if is_manifest {
        let node = Node { span: root.span, kind: NodeKind::Map(manifest_entries) };
        match de::from_node::<RawManifest>(&node, &notes) {
            Ok(m) => out.manifest = Some((m, Span::file_start(file))),
            Err(e) => {
                let span = e.span;
                out.errors.push(located(e, root.span));
                let (more, rest) = further_errors::<RawManifest>(&node, span);
                out.errors.extend(more);
                out.manifest = rest.map(|m| (written_sections_kept(m, &node), Span::file_start(file)));
            }
        }
    }
    out.errors.extend(notes.into_inner().into_iter().map(|e| located(e, root.span)));
    out
}

/// The copy read without the wrong values may have lost a whole section the
/// user wrote (`system:` whose `name` was a list): it is put back empty, so the
/// build does not also call it missing. The load has failed; the copy is only
/// built for what else it can report.
fn written_sections_kept(mut m: RawManifest, node: &Node) -> RawManifest {
    let NodeKind::Map(entries) = &node.kind else { return m };
    let written = |key: &str| entries.iter().find(|(k, _)| k.as_text() == Some(key)).map(|(_, v)| v.span);
    if m.clinsafe.is_none() {
        m.clinsafe = written("clinsafe").map(|span| Located::new(1, span));
    }
    if m.system.is_none() && written("system").is_some() {
        m.system = Some(RawSystem::default());
    }
    if m.document.is_none() && written("document").is_some() {
        m.document = Some(RawDocument::default());
    }
    m
}

fn unknown_top_level_key(name: &str, span: Span, is_manifest: bool, manifest_keys: &[&str]) -> LoadError {
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
    LoadError { message: format!("unknown top-level key `{}`; {hint}", excerpt(name)), span }
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
    out.reserve(items.len());
    for item in items {
        match de::from_node::<Located<T>>(item, notes) {
            Ok(v) => out.push(v),
            Err(e) => {
                let span = e.span;
                errors.push(located(e, item.span));
                let (more, rest) = further_errors::<Located<T>>(item, span);
                errors.extend(more);
                out.extend(rest);
            }
        }
    }
}
