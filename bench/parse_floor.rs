//! The parse floor that `clinsafe check` is measured against (bench/run.sh):
//! every `*.yaml`/`*.yml` file of a project (hidden folders and `out/`
//! skipped, as `check` does) read and deserialized with serde-saphyr into a
//! plain value tree (`serde_json::Value`: no locations, no list of every error,
//! no typed fields, no model, no checks), on all cores. (Not into the format's
//! own types: a cause written as text or as `{ id, text }` needs clinsafe's
//! own deserializer.)
//!
//!   cargo build --profile profiling --example parse-floor
//!   target/profiling/examples/parse-floor PROJECT [--events]
//!
//! `--events`: the bare parser instead, the lower floor `check` now stands on
//! (granit-parser, which serde-saphyr reads and `check` reads directly, run
//! over each file's events with nothing built).
//!
//! Prints the files and bytes parsed; exits 1 when a file does not parse.

use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || (name == "out" && dir.join("clinsafe.yaml").exists()) {
            continue;
        }
        if path.is_dir() {
            yaml_files(&path, out);
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push(path);
        }
    }
}

/// `check`'s budgets, so large files parse here too.
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 8_000_000;
    budget.max_nodes = 4_000_000;
    options.budget = Some(budget);
    options
}

fn main() -> std::process::ExitCode {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let events_only = std::env::args().any(|a| a == "--events");
    let mut files = Vec::new();
    yaml_files(&root, &mut files);
    files.sort();
    let (mut bytes, mut failed) = (0, false);
    let parse = |_: usize, path: &PathBuf| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if events_only {
            let parser = serde_saphyr::granit_parser::Parser::new_from_str(&text);
            let error = parser.filter_map(Result::err).next().map(|e| e.to_string());
            return (text.len(), error);
        }
        let parsed = serde_saphyr::from_str_with_options::<Option<serde_json::Value>>(&text, options());
        let error = parsed.as_ref().err().map(|e| e.to_string());
        // Not freed, so only parsing is measured.
        std::mem::forget(parsed);
        (text.len(), error)
    };
    clinsafe::parallel::in_order(&files, 8, 64 << 20, parse, |i, (len, error)| {
        bytes += len;
        if let Some(e) = error {
            eprintln!("{}: {e}", files[i].display());
            failed = true;
        }
    });
    println!("{} files, {bytes} bytes", files.len());
    std::process::ExitCode::from(u8::from(failed))
}
