//! `clinsafe init [DIR] [--from NAME[,NAME…]]`: write a new project, optionally
//! from hazard library entries. Writes nothing at all when any file it would
//! write already exists.
//!
//! The templates live beside this file (`init/`) and are embedded; the README's
//! tutorial quotes the CI ones, and a test keeps the two equal.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::{InitArgs, ProjectArgs};
use crate::diag::{self, human};
use crate::library::{self, Entry};

/// The manifest, with placeholders and TODO comments.
pub const MANIFEST: &str = include_str!("init/clinsafe.yaml");
/// The hazard log of a project started without `--from`: a commented example only.
pub const BLANK_HAZARDS: &str = include_str!("init/hazards.yaml");
pub const GITIGNORE: &str = include_str!("init/gitignore");
pub const GITHUB_WORKFLOW: &str = include_str!("init/github-workflow.yml");
pub const GITLAB_CI: &str = include_str!("init/gitlab-ci.yml");

/// Where the JSON Schema goes (a hidden folder: the loader skips it).
pub const SCHEMA_PATH: &str = ".clinsafe/schema.json";
pub const GITHUB_WORKFLOW_PATH: &str = ".github/workflows/clinsafe.yml";
pub const GITLAB_CI_PATH: &str = ".gitlab/clinsafe.gitlab-ci.yml";
const GITIGNORE_PATH: &str = ".gitignore";

pub fn run(args: &InitArgs) -> u8 {
    let entries = match resolve(&args.from) {
        Ok(e) => e,
        Err(message) => return super::usage_error(&message),
    };
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        return super::usage_error(&format!("`{}` exists and is not a folder", dir.display()));
    }
    let mut files = plan(&entries);
    // A .gitignore is shared with the rest of the repository: keep the user's, never refuse over it.
    let gitignore_note = if dir.join(GITIGNORE_PATH).symlink_metadata().is_ok() {
        files.retain(|(rel, _)| rel != GITIGNORE_PATH);
        let kept = std::fs::read_to_string(dir.join(GITIGNORE_PATH)).unwrap_or_default();
        let ignores_out = kept.lines().map(str::trim).any(|l| matches!(l, "out" | "out/" | "/out" | "/out/"));
        (!ignores_out).then_some("note: .gitignore exists and was left alone; add `/out/` to it so rendered reports are not committed")
    } else {
        None
    };
    let existing: Vec<&str> = files
        .iter()
        .map(|(rel, _)| rel.as_str())
        .filter(|rel| dir.join(rel).symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        sayln!("error: `clinsafe init` would overwrite files that already exist in `{}`:", dir.display());
        for rel in &existing {
            sayln!("  {rel}");
        }
        sayln!("nothing was written; choose an empty folder, or move these files away first");
        return 2;
    }
    if let Err(e) = write_all(dir, &files) {
        sayln!("error: {e}");
        sayln!("nothing was written");
        return 2;
    }

    let from = if entries.is_empty() {
        String::new()
    } else {
        format!(" from {}", entries.iter().map(|e| e.name).collect::<Vec<_>>().join(", "))
    };
    let mut msg = format!("Wrote a new clinsafe project in `{}`{from}:\n", dir.display());
    for (rel, _) in &files {
        let _ = writeln!(msg, "  {rel}");
    }
    if let Some(note) = gitignore_note {
        let _ = writeln!(msg, "{note}");
    }
    msg.push_str(&first_check(dir));
    let shown = shell_word(dir);
    let _ = write!(
        msg,
        "Next:\n  \
         1. Replace the placeholders in {shown}/clinsafe.yaml (search for TODO).\n  \
         2. {}\n  \
         3. clinsafe check {shown}   then   clinsafe render {shown}   (reports in {shown}/out/)\n  \
         4. Commit, and run the checks in CI: {GITHUB_WORKFLOW_PATH} (GitHub) or {GITLAB_CI_PATH} (GitLab).\n",
        if entries.is_empty() {
            format!("Write the hazard log: {shown}/hazards/hazards.yaml holds a commented example.")
        } else {
            "Review every hazard, control, metric and action against your own deployment: \
             set owners, due dates, observations and evidence."
                .to_string()
        }
    );
    say!("{msg}");
    0
}

/// The entries named by `--from`, in order, without repeats; every unknown name
/// is reported at once, with a suggestion.
pub fn resolve(names: &[String]) -> Result<Vec<&'static Entry>, String> {
    let mut out: Vec<&'static Entry> = Vec::new();
    let mut problems = Vec::new();
    for name in names.iter().map(|n| n.trim()) {
        if name.is_empty() {
            problems.push("`--from` has an empty entry name".to_string());
            continue;
        }
        match library::find(name) {
            Some(e) if out.iter().any(|o| o.name == e.name) => {}
            Some(e) => out.push(e),
            None => {
                let hint = crate::suggest::did_you_mean(name, library::ENTRIES.iter().map(|e| e.name))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                problems.push(format!("no hazard library entry `{name}`{hint}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        let known = library::ENTRIES.iter().map(|e| e.name).collect::<Vec<_>>().join(", ");
        Err(format!("{}\n(entries: {known}; `clinsafe library` describes them)", problems.join("\nerror: ")))
    }
}

/// Every file `init` writes, as (path relative to DIR with `/`, content).
pub fn plan(entries: &[&Entry]) -> Vec<(String, String)> {
    let mut files = vec![
        ("clinsafe.yaml".to_string(), MANIFEST.to_string()),
        (SCHEMA_PATH.to_string(), super::schema::schema_json()),
        (GITIGNORE_PATH.to_string(), GITIGNORE.to_string()),
        (GITHUB_WORKFLOW_PATH.to_string(), GITHUB_WORKFLOW.to_string()),
        (GITLAB_CI_PATH.to_string(), GITLAB_CI.to_string()),
    ];
    if entries.is_empty() {
        files.push(("hazards/hazards.yaml".to_string(), BLANK_HAZARDS.to_string()));
    }
    // Grouped by kind, so `hazards/` lists every entry's hazards together.
    let mut by_kind: BTreeMap<usize, Vec<(String, String)>> = BTreeMap::new();
    for entry in entries {
        for (kind, text) in entry.files {
            let order =
                ["hazards", "controls", "metrics", "actions"].iter().position(|k| k == kind).unwrap_or(4);
            let header = format!(
                "# yaml-language-server: $schema=../{SCHEMA_PATH}\n\
                 # From the clinsafe hazard library, entry `{}` (clinsafe {}): a reviewed starting\n\
                 # point, not your safety case. Check every item against your own deployment.\n",
                entry.name,
                env!("CARGO_PKG_VERSION"),
            );
            by_kind.entry(order).or_default().push((format!("{kind}/{}.yaml", entry.name), header + text));
        }
    }
    files.extend(by_kind.into_values().flatten());
    files
}

/// Writes every file, refusing to replace any (`create_new`); on a failure,
/// removes what it wrote and the folders it made.
fn write_all(dir: &Path, files: &[(String, String)]) -> Result<(), String> {
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let mut written: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for (rel, text) in files {
            let path = dir.join(rel);
            let parent = path.parent().unwrap_or(dir);
            // A folder inside DIR that is a link (`.github/workflows` → elsewhere)
            // would have the file written outside the project.
            let mut inside = dir.to_path_buf();
            for part in Path::new(rel).parent().into_iter().flat_map(Path::components) {
                inside.push(part);
                if inside.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
                    return Err(format!(
                        "`{}` is a symbolic link: clinsafe init writes only inside `{}`, never through a link",
                        inside.display(),
                        dir.display()
                    ));
                }
            }
            let mut missing: Vec<PathBuf> = parent
                .ancestors()
                .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
                .map(Path::to_path_buf)
                .collect();
            missing.reverse();
            for d in missing {
                std::fs::create_dir(&d)
                    .map_err(|e| format!("cannot create folder `{}`: {e}", d.display()))?;
                made_dirs.push(d);
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
            written.push(path.clone());
            file.write_all(text.as_bytes()).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        }
        Ok(())
    })();
    if result.is_err() {
        for path in written.iter().rev() {
            let _ = std::fs::remove_file(path);
        }
        for d in made_dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
    result
}

/// Checks the new project once and says what stands, so the user knows that
/// the findings of a fresh project are expected.
fn first_check(dir: &Path) -> String {
    let Ok(as_of) = super::as_of(&ProjectArgs { project: dir.to_path_buf(), as_of: None }) else {
        return String::new();
    };
    match crate::analyse(dir, as_of) {
        Ok(a) => {
            let counts = diag::count(&a.findings);
            let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
            for f in &a.findings {
                *by_rule.entry(f.rule).or_default() += 1;
            }
            let rules = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect::<Vec<_>>().join(", ");
            let mut out = format!("First check: {}", human::summary(counts));
            if !rules.is_empty() {
                let _ = write!(out, " ({rules})");
            }
            out.push('\n');
            if by_rule
                .keys()
                .all(|r| [crate::rules::METRIC_STALE.id, crate::rules::ACTION_OVERDUE.id].contains(r))
                && !by_rule.is_empty()
            {
                out.push_str(
                    "  expected for a new project: metrics have no observations yet (metric-stale), and\n  \
                     recurring controls have never been done (action-overdue) until you set `last_done`.\n",
                );
            }
            if by_rule.contains_key(crate::rules::EMPTY_HAZARD_LOG.id) {
                out.push_str(
                    "  the hazard log is empty (empty-hazard-log): `check` fails until it holds a hazard.\n",
                );
            }
            out
        }
        Err(failure) => {
            let findings = super::load_findings(&failure);
            format!(
                "{}warning: the new project cannot be read yet, because of files that were already in the folder \
                 (clinsafe reads every .yaml/.yml file outside hidden folders); move them away or start in an empty folder\n",
                human::render(&findings, &failure.sources, diag::count(&findings), super::use_color())
            )
        }
    }
}

/// The folder as the user would type it in the next command.
fn shell_word(dir: &Path) -> String {
    let s = dir.display().to_string();
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_yaml_file_points_at_the_schema_it_writes() {
        let all: Vec<&Entry> = library::ENTRIES.iter().collect();
        for entries in [vec![], all] {
            let files = plan(&entries);
            assert!(files.iter().any(|(rel, _)| rel == SCHEMA_PATH));
            for (rel, text) in files.iter().filter(|(rel, _)| rel.ends_with(".yaml") && !rel.starts_with('.'))
            {
                let depth = rel.matches('/').count();
                let line = format!("# yaml-language-server: $schema={}{SCHEMA_PATH}\n", "../".repeat(depth));
                assert!(text.starts_with(&line), "{rel} must start with {line:?}");
            }
        }
    }

    #[test]
    fn plan_never_copies_entry_metadata_and_has_no_repeats() {
        let all: Vec<&Entry> = library::ENTRIES.iter().collect();
        let files = plan(&all);
        assert!(files.iter().all(|(rel, _)| !rel.ends_with("entry.yaml")));
        let mut names: Vec<_> = files.iter().map(|(rel, _)| rel.as_str()).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn unknown_entries_are_all_named_with_a_suggestion() {
        let Err(err) = resolve(&["patient-mesaging".into(), "nope".into()]) else { panic!("must fail") };
        assert!(err.contains("`patient-mesaging`; did you mean `patient-messaging`?"), "{err}");
        assert!(err.contains("no hazard library entry `nope`"), "{err}");
        let ok = resolve(&["test-results".into(), " test-results ".into()]).unwrap();
        assert_eq!(ok.len(), 1);
    }
}
