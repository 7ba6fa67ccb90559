//! `clinsafe init`, `library`, `completions`, `man`, and the CI snippets that
//! `init` writes and the README quotes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clap::Parser;

use super::{check_json, clinsafe, rules_of, write, AS_OF};

const GITHUB_WORKFLOW: &str = include_str!("../../src/cmd/init/github-workflow.yml");
const GITLAB_CI: &str = include_str!("../../src/cmd/init/gitlab-ci.yml");
const BLANK_HAZARDS: &str = include_str!("../../src/cmd/init/hazards.yaml");

/// The findings a project fresh from the library has, and why: its metrics have no
/// observations yet, its recurring controls have no `last_done` yet, and the
/// manifest's placeholders are still to be filled in.
// A library entry's residual risks rest on its controls, all planned until the project puts them in place.
const FRESH_PROJECT_RULES: [&str; 4] =
    ["action-overdue", "metric-stale", "unfilled-placeholder", "residual-relies-on-planned"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `clinsafe init DIR [args]`; returns the exit code and stderr.
fn init(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = clinsafe().arg("init").arg(dir).args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Every file below `dir` with its bytes, `/`-separated relative paths.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The entry names `clinsafe library` prints (first word of each line).
fn library_names() -> Vec<String> {
    let out = clinsafe().arg("library").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

#[test]
fn library_lists_every_entry_folder_with_its_title() {
    let names = library_names();
    let mut folders: Vec<String> = std::fs::read_dir(repo().join("hazards"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(names, folders);
    let listing = String::from_utf8(clinsafe().arg("library").output().unwrap().stdout).unwrap();
    assert!(
        listing.contains("patient-messaging")
            && listing.contains("Patient messaging: Two-way secure messaging")
    );
}

#[test]
fn every_library_entry_inits_and_checks_with_only_the_expected_findings() {
    for name in library_names() {
        let dir = tempfile::tempdir().unwrap();
        let (code, stderr) = init(dir.path(), &["--from", &name]);
        assert_eq!(code, 0, "{name}: {stderr}");
        assert!(stderr.contains("First check: 0 errors"), "{name}: {stderr}");
        let files = tree(dir.path());
        assert!(files.keys().all(|f| !f.ends_with("entry.yaml")), "{name}: entry.yaml copied");
        for kind in ["hazards", "controls", "metrics", "actions"] {
            assert!(files.contains_key(&format!("{kind}/{name}.yaml")), "{name}: {kind} missing");
        }
        let (code, json) = check_json(dir.path(), &[]);
        assert_eq!(json["summary"]["errors"], 0, "{name}: {json:#}");
        assert_eq!(code, 0, "{name}");
        let rules: BTreeSet<String> = rules_of(&json).into_iter().collect();
        assert!(
            rules.iter().all(|r| FRESH_PROJECT_RULES.contains(&r.as_str())),
            "{name}: unexpected findings {rules:?}"
        );
        assert!(json["summary"]["hazards"].as_u64().unwrap() > 0);
    }
}

#[test]
fn init_into_an_empty_folder_writes_a_project_that_checks_clean() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("new-case"); // created by init
    let (code, stderr) = init(&dir, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("First check: 1 error, 1 warning (empty-hazard-log 1, unfilled-placeholder 1)"),
        "{stderr}"
    );
    assert!(stderr.contains("the hazard log is empty (empty-hazard-log)"), "{stderr}");
    let files = tree(&dir);
    let names: BTreeSet<&str> = files.keys().map(String::as_str).filter(|f| !f.ends_with('/')).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            ".clinsafe/schema.json",
            ".github/workflows/clinsafe.yml",
            ".gitignore",
            ".gitlab/clinsafe.gitlab-ci.yml",
            "clinsafe.yaml",
            "hazards/hazards.yaml",
        ])
    );
    let text = |f: &str| String::from_utf8(files[f].clone()).unwrap();
    assert!(text("clinsafe.yaml").starts_with("# yaml-language-server: $schema=.clinsafe/schema.json\n"));
    assert!(text("clinsafe.yaml").contains("name: \"<your system name>\""));
    assert!(text("clinsafe.yaml").contains("status: draft"));
    assert!(text("clinsafe.yaml").contains("max_residual_rating: 2"));
    assert!(text("hazards/hazards.yaml")
        .starts_with("# yaml-language-server: $schema=../.clinsafe/schema.json\n"));
    assert!(text(".gitignore").lines().any(|l| l == "/out/"));
    let schema = clinsafe().arg("schema").output().unwrap().stdout;
    assert_eq!(files[".clinsafe/schema.json"], schema, "the schema written is `clinsafe schema`'s");
    assert_eq!(text(".github/workflows/clinsafe.yml"), GITHUB_WORKFLOW);
    assert_eq!(text(".gitlab/clinsafe.gitlab-ci.yml"), GITLAB_CI);
    // A new project without library entries has nothing in it yet: its hazard log is
    // empty (an error until the first hazard is written), and its placeholders stand.
    let (code, json) = check_json(&dir, &[]);
    assert_eq!((code, json["summary"]["errors"].as_u64()), (1, Some(1)));
    assert_eq!(rules_of(&json), ["empty-hazard-log", "unfilled-placeholder"]);
}

#[test]
fn the_blank_hazard_logs_commented_example_is_valid_once_uncommented() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(init(dir.path(), &[]).0, 0);
    // Uncomment the example: drop "# " from every line after the first `# hazards:`.
    let start = BLANK_HAZARDS.find("# hazards:").unwrap();
    let example: String = BLANK_HAZARDS[start..]
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or("").to_string() + "\n")
        .collect();
    write(dir.path(), "hazards/hazards.yaml", example.as_bytes());
    let (code, json) = check_json(dir.path(), &[]);
    assert_ne!(code, 2, "{json:#}");
    assert_eq!(json["summary"]["hazards"], 1);
    let rules = rules_of(&json);
    assert!(!rules.iter().any(|r| r == "dangling-reference" || r == "invalid-input"), "{rules:?}");
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clinsafe.yaml", b"clinsafe: 1\n# mine\n");
    write(dir.path(), "notes/readme.txt", b"keep me");
    let before = tree(dir.path());
    let (code, stderr) = init(dir.path(), &["--from", "patient-messaging"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("would overwrite") && stderr.contains("  clinsafe.yaml"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(tree(dir.path()), before);

    // A clash deep down stops every other file too.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "controls/patient-messaging.yaml", b"controls: []\n");
    let before = tree(dir.path());
    let (code, stderr) = init(dir.path(), &["--from", "patient-messaging"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("controls/patient-messaging.yaml") && !stderr.contains("  clinsafe.yaml"),
        "{stderr}"
    );
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn init_into_a_folder_with_other_files_keeps_them_and_its_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", b"target/\n");
    write(dir.path(), "README.md", b"# our safety case\n");
    let (code, stderr) = init(dir.path(), &["--from", "test-results"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read(dir.path().join(".gitignore")).unwrap(), b"target/\n");
    assert!(stderr.contains(".gitignore exists and was left alone; add `/out/`"), "{stderr}");
    assert_eq!(std::fs::read(dir.path().join("README.md")).unwrap(), b"# our safety case\n");
    assert_eq!(check_json(dir.path(), &[]).1["summary"]["errors"], 0);
}

#[test]
fn unknown_entry_exits_2_with_a_suggestion_and_writes_nothing() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("case");
    let (code, stderr) = init(&dir, &["--from", "patient-messaging,test-result"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no hazard library entry `test-result`; did you mean `test-results`?"),
        "{stderr}"
    );
    assert!(!dir.exists());
}

#[test]
fn two_entries_combine_without_clashes() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = init(dir.path(), &["--from", "patient-messaging,test-results"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{json:#}");
    let rules = rules_of(&json);
    assert!(!rules.iter().any(|r| r == "dangling-reference" || r == "duplicate-id"), "{rules:?}");
    assert!(rules.iter().all(|r| FRESH_PROJECT_RULES.contains(&r.as_str())), "{rules:?}");
    let count = |name: &str| {
        let d = tempfile::tempdir().unwrap();
        init(d.path(), &["--from", name]);
        check_json(d.path(), &[]).1["summary"]["hazards"].as_u64().unwrap()
    };
    assert_eq!(
        json["summary"]["hazards"].as_u64().unwrap(),
        count("patient-messaging") + count("test-results")
    );
    let ids: Vec<&str> =
        json["hazards"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(ids.iter().any(|i| i.starts_with("PM-")) && ids.iter().any(|i| i.starts_with("TR-")), "{ids:?}");
}

#[test]
fn a_scaffolded_project_renders() {
    for from in [None, Some("patient-messaging")] {
        let dir = tempfile::tempdir().unwrap();
        let args: Vec<&str> = from.map(|f| vec!["--from", f]).unwrap_or_default();
        assert_eq!(init(dir.path(), &args).0, 0);
        let out_dir = tempfile::tempdir().unwrap();
        let out = clinsafe()
            .args(["render", "--format", "html", "--as-of", AS_OF, "--out"])
            .arg(out_dir.path())
            .arg(dir.path())
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
        for file in ["safety-case.html", "hazard-log.html", "checklist.html"] {
            assert!(out_dir.path().join(file).is_file(), "{from:?}: {file} missing");
        }
    }
}

#[test]
fn completions_generate_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = clinsafe().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("clinsafe") && text.contains("init"), "{shell}");
    }
    clinsafe().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_pages_generate() {
    let out = clinsafe().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH clinsafe 1") && page.contains("clinsafe\\-init"), "{page}");
    let out = clinsafe().args(["man", "init"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH clinsafe-init 1") && page.contains("\\-\\-from"), "{page}");
    let out = clinsafe().args(["man", "chek"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `check`?"));
}

// ---------------------------------------------------------------------------
// CI snippets: valid YAML, real commands, and the README quotes them verbatim.

/// One shell command from a snippet: its words (variables expanded) and a `>` target.
#[derive(Debug)]
struct ShellCommand {
    words: Vec<String>,
    stdout_to: Option<String>,
}

/// Splits a one-line shell command at the first operator (`>` is kept as a
/// redirect); understands quotes and `#` comments; expands `$VAR`.
fn shell_command(line: &str, vars: &BTreeMap<String, String>) -> ShellCommand {
    let (mut words, mut stdout_to) = (Vec::new(), None);
    let mut word: Option<String> = None;
    let mut redirect = false;
    let mut chars = line.chars().peekable();
    let mut quote: Option<char> = None;
    let finish =
        |w: &mut Option<String>, words: &mut Vec<String>, redirect: &mut bool, to: &mut Option<String>| {
            if let Some(w) = w.take() {
                if *redirect {
                    *to = Some(w);
                    *redirect = false;
                } else {
                    words.push(w);
                }
            }
        };
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '$') | (None, '$') => {
                let mut name = String::new();
                let braced = chars.peek() == Some(&'{');
                if braced {
                    chars.next();
                }
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if braced {
                    assert_eq!(chars.next(), Some('}'), "{line}");
                }
                let value =
                    vars.get(&name).unwrap_or_else(|| panic!("`${name}` is not set in the snippet: {line}"));
                word.get_or_insert_with(String::new).push_str(value);
            }
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => finish(&mut word, &mut words, &mut redirect, &mut stdout_to),
            (None, '>') => {
                finish(&mut word, &mut words, &mut redirect, &mut stdout_to);
                redirect = true;
            }
            (None, '#') if word.is_none() => break,
            (None, '|' | '&' | ';') => break,
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    assert!(quote.is_none(), "unclosed quote: {line}");
    finish(&mut word, &mut words, &mut redirect, &mut stdout_to);
    ShellCommand { words, stdout_to }
}

/// The `clinsafe` commands a CI file runs (GitHub `run:`, GitLab `script:` and
/// friends), with the variables its `env:`/`variables:` set.
fn clinsafe_commands(yaml: &str) -> Vec<ShellCommand> {
    let doc: serde_json::Value = serde_saphyr::from_str(yaml).expect("the snippet is valid YAML");
    fn walk(v: &serde_json::Value, vars: &mut BTreeMap<String, String>, lines: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("env" | "variables", serde_json::Value::Object(vs)) => {
                            for (name, value) in vs {
                                vars.insert(
                                    name.clone(),
                                    value.as_str().expect("string variable").to_string(),
                                );
                            }
                        }
                        ("run" | "script" | "before_script" | "after_script", v) => {
                            let texts: Vec<&str> = match v {
                                serde_json::Value::String(s) => vec![s.as_str()],
                                serde_json::Value::Array(a) => {
                                    a.iter().map(|s| s.as_str().unwrap()).collect()
                                }
                                other => panic!("unexpected {k}: {other}"),
                            };
                            lines.extend(texts.iter().flat_map(|t| t.lines()).map(str::to_string));
                        }
                        _ => walk(v, vars, lines),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, vars, lines)),
            _ => {}
        }
    }
    let (mut vars, mut lines) = (BTreeMap::new(), Vec::new());
    walk(&doc, &mut vars, &mut lines);
    lines
        .iter()
        .map(|l| shell_command(l, &vars))
        .filter(|c| c.words.first().map(String::as_str) == Some("clinsafe"))
        .collect()
}

#[test]
fn ci_snippets_are_valid_yaml_and_their_commands_parse() {
    let snippets: [(&str, &str, &[&str]); 2] =
        [("GitHub", GITHUB_WORKFLOW, &["github"]), ("GitLab", GITLAB_CI, &["codequality", "junit"])];
    for (name, yaml, formats) in snippets {
        let commands = clinsafe_commands(yaml);
        for c in &commands {
            if let Err(e) = clinsafe::cli::Cli::try_parse_from(&c.words) {
                panic!("{name}: `{}` does not parse: {e}", c.words.join(" "));
            }
        }
        let checks: Vec<&[String]> =
            commands.iter().filter(|c| c.words[1] == "check").map(|c| &c.words[1..]).collect();
        let expected: Vec<Vec<&str>> = formats.iter().map(|f| vec!["check", ".", "--format", f]).collect();
        assert_eq!(checks, expected, "{name}: {commands:?}");
        let renders = commands.iter().filter(|c| c.words[1] == "render").count();
        assert_eq!((renders, commands.len()), (1, formats.len() + 1), "{name}: {commands:?}");
    }
    let github: serde_json::Value = serde_saphyr::from_str(GITHUB_WORKFLOW).unwrap();
    let steps = github["jobs"]["safety-case"]["steps"].as_array().unwrap();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/upload-artifact@")), "{uses:?}");
    // Code scanning needs a paid add-on in private repositories: offered, commented out.
    assert!(!uses.iter().any(|u| u.contains("upload-sarif")), "{uses:?}");
    assert!(GITHUB_WORKFLOW.contains("#   uses: github/codeql-action/upload-sarif@"));
    assert!(GITHUB_WORKFLOW
        .contains("#   run: clinsafe check \"$CLINSAFE_PROJECT\" --format sarif > clinsafe.sarif"));
    assert_eq!(github["permissions"], serde_json::json!({ "contents": "read" }));
    let gitlab: serde_json::Value = serde_saphyr::from_str(GITLAB_CI).unwrap();
    assert_eq!(gitlab["clinsafe"]["artifacts"]["reports"]["junit"], "clinsafe-junit.xml");
    assert_eq!(gitlab["clinsafe"]["artifacts"]["reports"]["codequality"], "gl-code-quality-report.json");
    assert_eq!(gitlab["clinsafe"]["artifacts"]["when"], "always");
}

/// Runs each snippet's commands, as CI would, in a project fresh from `init`.
#[test]
fn ci_snippet_commands_run_on_a_fresh_project() {
    for (name, yaml) in [("GitHub", GITHUB_WORKFLOW), ("GitLab", GITLAB_CI)] {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(init(dir.path(), &["--from", "patient-messaging"]).0, 0);
        for c in clinsafe_commands(yaml) {
            let out = clinsafe().current_dir(dir.path()).args(&c.words[1..]).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name}: {:?}: {}",
                c.words,
                String::from_utf8_lossy(&out.stderr)
            );
            if let Some(to) = &c.stdout_to {
                std::fs::write(dir.path().join(to), &out.stdout).unwrap();
            }
        }
        match name {
            "GitHub" => {} // annotations go to stdout, checked in formats.rs
            _ => {
                let xml = std::fs::read_to_string(dir.path().join("clinsafe-junit.xml")).unwrap();
                assert!(xml.contains("<testsuites"), "{xml}");
                let report: serde_json::Value = serde_json::from_slice(
                    &std::fs::read(dir.path().join("gl-code-quality-report.json")).unwrap(),
                )
                .unwrap();
                let path = report[0]["location"]["path"].as_str().unwrap();
                assert!(!path.starts_with('/') && path.ends_with(".yaml"), "{path}");
            }
        }
        assert!(dir.path().join("clinsafe-reports/safety-case.html").is_file(), "{name}");
    }
}

#[test]
fn readme_quotes_the_ci_snippets_verbatim() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    for (file, text) in [("github-workflow.yml", GITHUB_WORKFLOW), ("gitlab-ci.yml", GITLAB_CI)] {
        assert!(
            readme.contains(&format!("```yaml\n{text}```\n")),
            "README.md must quote src/cmd/init/{file} verbatim in a ```yaml block"
        );
    }
}
