//! The house's arrows, checked: no module imports a later stage, and only
//! `cmd` and `lib.rs` import `load` (README, "Design notes").

use std::path::Path;

/// Base modules first, then the stages in pipeline order, then the shell.
const ORDER: &[(&str, u8)] = &[
    ("span", 0),
    ("suggest", 0),
    ("excerpt", 0),
    ("words", 0),
    ("files", 0),
    ("parallel", 0),
    ("model", 1),
    ("rules", 0),
    ("library", 1),
    ("load", 2),
    ("graph", 3),
    ("facts", 4),
    ("check", 5),
    ("diag", 6),
    // What changed between two analyses; the reports show it (`render --since`).
    ("diff", 6),
    ("report", 7),
    // Spreadsheet → YAML beside the pipeline: model vocabularies and findings in, text out.
    ("import", 6),
    ("cli", 7),
    ("cmd", 8),
    ("lib", 9),
];

fn rank(module: &str) -> Option<u8> {
    ORDER.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

/// The top-level module a file under src/ belongs to.
fn module_of(rel: &Path) -> String {
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_stage_imports_a_later_one_and_only_cmd_reads_load() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong = Vec::new();
    for path in all {
        let rel = path.strip_prefix(&src).unwrap();
        let name = rel.file_name().unwrap().to_string_lossy();
        // Tests may drive the whole pipeline; so may the test helpers.
        if name == "tests.rs" || name.ends_with("_tests.rs") || name == "testutil.rs" || name == "main.rs" {
            continue;
        }
        let from = module_of(rel);
        let from_rank =
            rank(&from).unwrap_or_else(|| panic!("{} is in no layer: add it to ORDER", rel.display()));
        let text = std::fs::read_to_string(&path).unwrap();
        // Inline test modules come last in a file; what follows them is test code.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (i, _) in code.match_indices("crate::") {
            let to: String =
                code[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let Some(to_rank) = rank(&to) else { continue }; // crate::Analysis and the like live in lib.rs
            let later = to != from && to_rank >= from_rank;
            let reads_load = to == "load" && !matches!(from.as_str(), "load" | "cmd" | "lib");
            if later || reads_load {
                wrong.push(format!("{} imports crate::{to}", rel.display()));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "arrows pointing the wrong way:\n{}", wrong.join("\n"));
}
