//! Helpers for unit tests: projects built from text, no disk. Not a stage:
//! it may use every stage, so a stage's tests can run the whole pipeline.

use crate::load::{self, LoadFailure, RawProject};
use crate::model::Project;

pub const MANIFEST: &str = "clinsafe: 1\nsystem: { name: Test }\ndocument: { id: DOC-1, version: \"1\" }\n";

/// Loads `files` (name, text) after a minimal manifest.
pub fn try_project(files: &[(&str, &str)]) -> Result<Project, LoadFailure> {
    let mut raw = RawProject::default();
    load::load_text(&mut raw, "clinsafe.yaml", MANIFEST.to_string(), true);
    for (name, text) in files {
        load::load_text(&mut raw, name, text.to_string(), *name == "clinsafe.yaml");
    }
    load::build(raw)
}

pub fn project(files: &[(&str, &str)]) -> Project {
    try_project(files).unwrap_or_else(|f| panic!("load failed: {:?}", f.errors))
}

/// The load error messages with their `line:column`.
pub fn load_errors(files: &[(&str, &str)]) -> Vec<String> {
    match try_project(files) {
        Ok(_) => Vec::new(),
        Err(f) => f
            .errors
            .iter()
            .map(|e| {
                format!("{}:{}:{}: {}", f.sources.name(e.span.file), e.span.line, e.span.column, e.message)
            })
            .collect(),
    }
}

/// The graph and every rule over `project`, as of 2026-11-25.
pub fn run_rules(project: &Project) -> Vec<crate::check::Finding> {
    let graph = crate::graph::build(project);
    let as_of = crate::model::date::Date::parse("2026-11-25").expect("a date");
    crate::check::run(project, &graph, &crate::facts::evaluate(project, as_of))
}

/// Applies a property test's edits to `text`: each cuts up to `cut` bytes at a
/// place chosen by `at` and inserts `insert`, on character boundaries.
pub fn apply_edits(text: &mut String, edits: &[(proptest::sample::Index, usize, &str)]) {
    for (at, cut, insert) in edits {
        let mut i = at.index(text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        let mut end = (i + cut).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(i..end, insert);
    }
}

/// Every YAML file under `dir`, at any depth (the parse-path tests read the fixtures).
pub fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}
