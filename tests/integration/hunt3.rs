//! Bug hunt 3: hostile projects and third-party consumers (CI report
//! readers, schema validators) — each test failed before its fix.

use super::{clinsafe, project, rendered, AS_OF};

/// A hazard whose id is longer than a message quotes (60 characters): its
/// findings must still be its own. The subject was cut where findings are
/// made, so the JUnit test case of the hazard passed and the hazard log listed
/// no findings under it while both errors stood.
#[test]
fn a_hazard_with_a_long_id_keeps_its_findings() {
    let id = format!("HAZ-{}", "x".repeat(80));
    let items = format!("hazards:\n  - {{ id: {id}, title: Long hazard title }}\n");
    let dir = project(&[("h.yaml", &items)]);
    let junit =
        clinsafe().args(["check", "--format", "junit", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    assert_eq!(junit.status.code(), Some(1));
    let xml = String::from_utf8(junit.stdout).unwrap();
    let case =
        &xml[xml.find(&format!("<testcase name=\"{id}: Long hazard title\"")).expect("the hazard's case")..];
    let open_tag = &case[..=case.find('>').unwrap()];
    let case = if open_tag.ends_with("/>") { open_tag } else { &case[..case.find("</testcase>").unwrap()] };
    assert!(case.contains("<failure"), "the hazard's test case passes while its errors stand: {case}");

    let log = rendered(dir.path(), AS_OF, &[], "hazard-log.html");
    let listed_under_it = log.match_indices("Long hazard title</h2>").any(|(at, _)| {
        let section = &log[at..at + log[at..].find("</section>").unwrap()];
        section.contains("<h3>Findings</h3>") && section.contains("has no initial_risk")
    });
    assert!(listed_under_it, "{log}");

    let json =
        clinsafe().args(["check", "--format", "json", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let subject = json["findings"][0]["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("HAZ-xxx") && subject.contains("more characters"),
        "still quoted short: {subject}"
    );
}

/// A control character written as a YAML escape (`\a`, `\e`, `\x85`) went
/// into the HTML as it was: a code point HTML forbids (the Nu checker's
/// "Forbidden code point U+0007"), invisible to a reader. It is shown as its
/// control picture (C0) or U+FFFD (C1), so the page stays valid and the
/// reader sees something was there.
#[test]
fn control_characters_in_text_never_reach_the_html() {
    let items =
        "hazards:\n  - { id: HAZ-1, title: \"bell\\a esc\\e[31m del\\x7F next-line\\x85 nul\\0 end\" }\n";
    let dir = project(&[("h.yaml", items)]);
    for doc in ["hazard-log.html", "safety-case.html", "checklist.html"] {
        let html = rendered(dir.path(), AS_OF, &[], doc);
        let forbidden: Vec<char> = html
            .chars()
            .filter(|&c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{C}')
            .collect();
        assert!(forbidden.is_empty(), "{doc}: {forbidden:?}");
        if doc == "hazard-log.html" {
            assert!(
                html.contains("bell\u{2407} esc\u{241B}[31m del\u{2421} next-line\u{FFFD} nul\u{2400} end"),
                "{html}"
            );
        }
    }
}

/// The same through Markdown (a description, a control's text).
#[test]
fn control_characters_in_markdown_never_reach_the_html() {
    let items = "hazards:\n  - id: HAZ-1\n    title: t\n    description: \"*bell*\\a `code\\e` [l\\x85](https://example.org/a\\x07b)\"\n";
    let dir = project(&[("h.yaml", items)]);
    let html = rendered(dir.path(), AS_OF, &[], "hazard-log.html");
    let forbidden: Vec<char> =
        html.chars().filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')).collect();
    assert!(forbidden.is_empty(), "{forbidden:?}");
    assert!(html.contains("<em>bell</em>\u{2407}"), "{html}");
}

/// The README's command table and `--help` agree: every command clap knows
/// has a row, and each row names exactly the options (and option values) of
/// its command's `--help`.
#[test]
fn the_readme_command_table_names_every_command_and_option_help_has() {
    let help = |args: &[&str]| String::from_utf8(clinsafe().args(args).output().unwrap().stdout).unwrap();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = &readme[readme.find("## Commands\n\n| command |").unwrap() + 12..];
    let table = &table[..table.find("\n\n").unwrap_or(table.len())];
    let top = help(&["--help"]);
    let commands: Vec<&str> = top[top.find("Commands:").unwrap()..top.find("Options:").unwrap()]
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() > 5, "{top}");
    let options = |text: &str| -> std::collections::BTreeSet<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| w.starts_with("--") && w.len() > 2 && *w != "--help")
            .map(str::to_string)
            .collect()
    };
    let mut problems = Vec::new();
    for command in commands {
        let rows: String = table
            .lines()
            .filter(|l| {
                l.contains(&format!("`clinsafe {command} ")) || l.contains(&format!("`clinsafe {command}`"))
            })
            .map(|l| l.split(" | ").next().unwrap_or(l))
            .collect();
        if rows.is_empty() {
            problems.push(format!("{command}: no row in the README's command table"));
            continue;
        }
        let text = help(&[command, "--help"]);
        let options_part = &text[text.find("Options:").unwrap_or(0)..];
        let (in_help, in_readme) = (options(options_part), options(&rows));
        if in_help != in_readme {
            problems.push(format!("{command}: --help has {in_help:?}, the README {in_readme:?}"));
        }
        for line in options_part.lines() {
            let values = line.split("[possible values: ").nth(1).map(|v| v.trim_end_matches(']').to_string());
            let listed =
                line.trim_start().strip_prefix("- ").and_then(|v| v.split(':').next()).map(str::to_string);
            for value in values.iter().flat_map(|v| v.split(", ").map(str::to_string)).chain(listed) {
                if !rows.contains(&value) {
                    problems.push(format!("{command}: the value `{value}` is not in the README's row"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// UTF-16 with a byte order mark (Notepad's "Unicode", Excel's "Unicode
/// Text"): a YAML file is named as UTF-16, not as "byte 0xFF" with a line
/// of mojibake quoted under it.
#[test]
fn a_utf16_file_is_named_as_utf16() {
    let text = "hazards:\r\n  - { id: HAZ-1, title: t }\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let dir = project(&[]);
    std::fs::write(dir.path().join("h.yaml"), &bytes).unwrap();
    let (code, err) = super::check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("UTF-16") && err.contains("save it as UTF-8"), "{err}");
    assert!(!err.contains('\u{FFFD}') && !err.contains('\u{2400}'), "no mojibake quoted: {err}");
}

/// `--out` naming a folder of the user's (their `docs/` with a page of their
/// own called `safety-case.html`): the page was replaced without a word. Now
/// render refuses and writes nothing; into the project folder itself, the
/// YAML stays as it was.
#[test]
fn render_never_writes_over_a_file_of_the_users_own() {
    let dir = project(&[("h.yaml", "hazards: []\n"), ("docs/safety-case.html", "my own notes")]);
    let render = |out: &std::path::Path| {
        clinsafe()
            .args(["render", "--format", "html", "--as-of", AS_OF, "--out"])
            .arg(out)
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let o = render(&dir.path().join("docs"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("safety-case.html") && err.contains("--out"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.path().join("docs/safety-case.html")).unwrap(), "my own notes");
    assert!(!dir.path().join("docs/hazard-log.html").exists(), "nothing written");

    let o = render(dir.path());
    assert!(o.status.code().unwrap() < 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(dir.path().join("h.yaml")).unwrap(), "hazards: []\n");
    assert!(render(dir.path()).status.code().unwrap() < 2, "its own reports it writes over");
}

/// A note whose opening quote never closes took the rest of a metric's CSV
/// as one value: the later observations, a breach among them, were silently
/// gone and `check` passed. Now it is a load error at the quote.
#[test]
fn an_unclosed_quote_in_metric_data_cannot_hide_a_breach() {
    let dir = project(&[
        ("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, threshold: 10, data: data/m.csv }\n"),
        ("data/m.csv", "date,value,note\n2026-08-31,3,\"ok\n2026-09-30,4,fine\n2026-10-31,50,breach\n"),
    ]);
    let (code, err) = super::check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("never closes") && err.contains("data/m.csv:2:14"), "{err}");
}

/// A title holding terminal escapes (`\e]0;…\a` sets the window title,
/// `\e[2J` clears the screen), written as YAML escapes, went raw to the
/// terminal in `diff`'s output and `graph`'s DOT and Mermaid. They are shown
/// as control pictures (␛), as the HTML shows them.
#[test]
fn titles_never_send_terminal_escapes() {
    let dir = project(&[("h.yaml", "hazards:\n  - { id: H1, title: \"t\\e]0;pwned\\a x\\e[2J\" }\n")]);
    let before = project(&[]);
    let outputs = [
        clinsafe()
            .args(["diff", "--as-of", AS_OF, "--since"])
            .arg(before.path())
            .arg(dir.path())
            .output()
            .unwrap(),
        clinsafe().args(["graph", "--format", "dot"]).arg(dir.path()).output().unwrap(),
        clinsafe().args(["graph", "--format", "mermaid"]).arg(dir.path()).output().unwrap(),
    ];
    for o in outputs {
        let all = String::from_utf8(o.stdout).unwrap() + &String::from_utf8(o.stderr).unwrap();
        assert!(all.contains("t\u{241B}]0;pwned\u{2407} x\u{241B}[2J"), "{all}");
        assert!(!all.chars().any(|c| c.is_control() && c != '\n'), "{all:?}");
    }
}

/// JUnit as a CI report reader takes it (junitparser, as GitLab's and
/// Jenkins' readers do), on a project with hostile ids, titles and paths:
/// every error finding is a failure of its rule's suite, with its
/// `file:line:column`, and every hazard with an error fails its test case.
#[test]
#[ignore = "needs junitparser (pip); run by .ci/run"]
fn junit_read_by_junitparser_carries_every_finding_with_its_place() {
    let long = format!("H-{}", "L".repeat(90));
    let items = format!(
        "hazards:\n  - {{ id: \"H::1,%0A\", title: \"Wrong ::error file=x:: %25 <![CDATA[ ]]> & ü 日本\", causes: [\"a\\nb\"], controls: [NOPE] }}\n  - {{ id: {long}, title: t }}\n"
    );
    let dir = project(&[("haz ards/h 1%.yaml", &items)]);
    let run = |format: &str| {
        let o = clinsafe()
            .args(["check", "--as-of", AS_OF, "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1));
        o.stdout
    };
    let json: serde_json::Value = serde_json::from_slice(&run("json")).unwrap();
    let xml = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(xml.path(), run("junit")).unwrap();
    let python = std::env::var_os("HOME")
        .map(|h| std::path::Path::new(&h).join(".cache/clinsafe/venv/bin/python"))
        .filter(|p| p.is_file())
        .expect("the venv's python: .ci/run makes it");
    let script = "import json, sys\n\
        from junitparser import JUnitXml\n\
        out = []\n\
        for suite in JUnitXml.fromfile(sys.argv[1]):\n\
        \x20   for case in suite:\n\
        \x20       out.append({'suite': suite.name, 'case': case.name, 'failures': [r.text or '' for r in case.result if r._tag == 'failure']})\n\
        print(json.dumps(out))\n";
    let o = std::process::Command::new(python).args(["-c", script]).arg(xml.path()).output().unwrap();
    assert!(o.status.success(), "junitparser: {}", String::from_utf8_lossy(&o.stderr));
    let cases: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let failures_of = |suite: &str| -> String {
        cases
            .iter()
            .filter(|c| c["suite"] == suite)
            .flat_map(|c| c["failures"].as_array().unwrap().clone())
            .map(|f| f.as_str().unwrap().to_string())
            .collect()
    };
    let findings = json["findings"].as_array().unwrap();
    assert!(findings.len() >= 5, "{json}");
    for f in findings.iter().filter(|f| f["level"] == "error") {
        let rule = f["rule"].as_str().unwrap();
        let place = format!("{}:{}:{} [{rule}]", f["file"].as_str().unwrap(), f["line"], f["column"]);
        assert!(failures_of(rule).contains(&place), "{place} not in the {rule} suite: {cases:?}");
        assert!(failures_of("hazards").contains(&place), "{place} not under its hazard: {cases:?}");
    }
}

/// The PDF's document properties (the title a viewer's window shows, what
/// `pdfinfo` prints) carried a name's control characters raw (`\e[2J`).
#[test]
#[ignore = "needs pdfinfo (poppler-utils); run by .ci/run"]
fn pdf_properties_carry_no_control_characters() {
    let manifest = "clinsafe: 1\nsystem: { name: \"S\\e[2J\" }\ndocument: { id: \"D\\a\", version: \"1\\e]0;x\\a\" }\nclinical_safety_officer: { name: \"Dr \\e[31mA\" }\n";
    let dir = project(&[("clinsafe.yaml", manifest)]);
    let out = tempfile::tempdir().unwrap();
    let o = clinsafe()
        .args(["render", "--format", "pdf", "--as-of", AS_OF, "--out"])
        .arg(out.path())
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.code().unwrap() < 2, "{}", String::from_utf8_lossy(&o.stderr));
    let info = std::process::Command::new("pdfinfo")
        .arg(out.path().join("safety-case.pdf"))
        .output()
        .expect("pdfinfo is installed (.ci/run: poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("S\u{241B}[2J"), "{info}");
    assert!(!info.chars().any(|c| c.is_control() && c != '\n'), "{info:?}");
}

/// A file whose name holds a terminal escape (a committed `a\e[2Jb.yaml`)
/// was named raw in `check`'s diagnostics (`--> a\e[2Jb.yaml:2:11`); the
/// machine formats encode it, the human one now shows it.
#[test]
fn a_file_name_never_sends_terminal_escapes() {
    let dir = project(&[("a\u{1b}[2Jb.yaml", "hazards:\n  - { id: H1, title: t }\n")]);
    let (code, err) = super::check_human(dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--> a\u{241B}[2Jb.yaml:2:"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}
