//! What an acceptance checker would try: files as Windows editors and Excel
//! save them, messages read by people.

use super::{check_human, clinsafe, project, write};

/// A CRLF file's quoted line shows as the user wrote it, without a '␍'.
#[test]
fn crlf_lines_are_quoted_without_a_carriage_return_mark() {
    let dir = project(&[]);
    write(dir.path(), "h.yaml", b"hazards:\r\n  - id: HAZ-1\r\n    title: Wrong patient\r\n");
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("2 |   - id: HAZ-1\n"), "{err}");
    assert!(!err.contains('\u{240d}'), "{err}");
}

/// A metric's CSV saved by Excel (CRLF): each bad row is located on its own line.
#[test]
fn crlf_metric_data_rows_are_located_on_their_own_line() {
    let dir =
        project(&[("m.yaml", "metrics:\n  - { id: MET-1, title: Waits, better: lower, data: waits.csv }\n")]);
    write(dir.path(), "waits.csv", b"date,value\r\n2026-01-31,14\r\n2026-02-30,3\r\n");
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--> waits.csv:3:1\n"), "{err}");
    assert!(err.contains("3 | 2026-02-30,3\n"), "{err}");
}

#[test]
fn missing_sign_off_names_what_is_missing_in_plain_words() {
    let dir = project(&[(
        "clinsafe.yaml",
        "clinsafe: 1\nsystem: { name: S }\ndocument: { id: DOC-1, version: \"1\", status: issued }\nsafety_statement: Fine.\n",
    )]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("document DOC-1 is issued but has no `clinical_safety_officer` and no `approvals`"),
        "{err}"
    );
}

/// `import` given a pipe (or a `--map` that is one) ends at once with exit 2:
/// opening it would wait for a writer that never comes.
#[test]
fn import_refuses_a_pipe_instead_of_waiting_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("log.csv");
    let ok = std::process::Command::new("mkfifo").arg(&pipe).status().expect("mkfifo runs").success();
    assert!(ok, "mkfifo failed");
    let csv = dir.path().join("real.csv");
    std::fs::write(&csv, "Hazard ID,Hazard Name,Possible Causes\nH1,Wrong patient,Names\n").unwrap();
    for args in [vec![pipe.clone()], vec![csv, "--map".into(), pipe]] {
        let out = clinsafe()
            .arg("import")
            .args(&args)
            .arg("--out")
            .arg(dir.path().join("p"))
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("is not a regular file (a pipe, socket or device)"), "{err}");
    }
}

/// A templates folder kept in the repository is as untrusted as the project:
/// a template that is a link to a file elsewhere must not be quoted into the
/// reports, and one that is a pipe must not stall the render.
#[test]
fn a_template_that_is_a_link_or_a_pipe_is_refused() {
    let dir = project(&[]);
    let secret = tempfile::tempdir().unwrap();
    write(secret.path(), "token.txt", b"SECRET-TOKEN-123");
    let templates = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(secret.path().join("token.txt"), templates.path().join("checklist.html"))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let render = |templates: &std::path::Path| {
        clinsafe()
            .args(["render", "--as-of", super::AS_OF, "--format", "html", "--out"])
            .arg(out.path())
            .arg("--templates")
            .arg(templates)
            .arg(dir.path())
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap()
    };
    let o = render(templates.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("checklist.html") && err.contains("symbolic link"), "{err}");
    assert!(!err.contains("SECRET") && !String::from_utf8_lossy(&o.stdout).contains("SECRET"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");

    let piped = tempfile::tempdir().unwrap();
    let fifo = piped.path().join("safety-case.html");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let o = render(piped.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("safety-case.html") && err.contains("not a regular file"), "{err}");
}

/// A number with a point is quoted with its point: "expected a whole number,
/// found `1`" for `clinsafe: 1.0` read as a contradiction.
#[test]
fn a_decimal_where_a_whole_number_belongs_is_quoted_as_written() {
    let dir = project(&[(
        "clinsafe.yaml",
        "clinsafe: 1.0\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\n",
    )]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("expected a whole number from 0 to 4294967295, found `1.0`"), "{err}");
}

/// SARIF's `artifactLocation.uri` is a URI reference: a project in `my case/`
/// with a file `h, 1%.yaml` under `haz ärds/` must be percent-encoded, or a
/// viewer reads `%.y` as a broken escape and cannot open the file.
#[test]
fn sarif_uris_are_percent_encoded_uri_references() {
    let root = tempfile::tempdir().unwrap();
    let case =
        project(&[("haz \u{e4}rds/h, 1%#.yaml", "hazards:\n  - { id: HAZ-1, title: Wrong patient }\n")]);
    std::fs::rename(case.path(), root.path().join("my case")).unwrap();
    let out = clinsafe()
        .current_dir(root.path())
        .args(["check", "--as-of", super::AS_OF, "--format", "sarif", "my case"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "my%20case/haz%20%C3%A4rds/h%2C%201%25%23.yaml");
}

/// `init` into a folder whose `.github/workflows` is a link elsewhere (a
/// cloned repository can hold one) writes nothing through it.
#[test]
fn init_never_writes_through_a_linked_folder() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".github")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(".github/workflows")).unwrap();
    let out = clinsafe().arg("init").arg(dir.path()).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("workflows` is a symbolic link"), "{said}");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0, "written through the link");
    assert!(!dir.path().join("clinsafe.yaml").exists(), "nothing written: {said}");
}

/// Mermaid reads `%%{init: …}%%` anywhere in the text as a directive (one can
/// set `securityLevel: loose`, enabling script links) and `&amp;` as an
/// entity: user text in a label must carry neither.
#[test]
fn mermaid_labels_carry_no_directive_or_entity() {
    let dir = project(&[(
        "h.yaml",
        "hazards:\n  - id: HAZ-1\n    title: \"%%{init: {'securityLevel':'loose'}}%% A&amp;E\\r\\nclick\"\n",
    )]);
    let out = clinsafe().args(["graph", "--format", "mermaid"]).arg(dir.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('%') && !text.contains('&') && !text.contains('\r'), "{text}");
    assert!(text.contains("#37;#37;{init: {'securityLevel':'loose'}}#37;#37; A#amp;amp;E  click"), "{text}");
}

/// The one `suspicious-text` finding of a hazard whose title line is `title`:
/// (line, column, message).
fn suspicious_title(title: &str) -> (u64, u64, String) {
    let hazard = format!(
        "hazards:\n  - id: HAZ-1\n    {title}\n    initial_risk: {{ severity: minor, likelihood: low }}\n    justification: Low.\n"
    );
    let dir = project(&[("h.yaml", hazard.as_str())]);
    let (code, json) = super::check_json(dir.path(), &[]);
    let found = super::findings_of(&json, "suspicious-text");
    assert_eq!((code, found.len()), (1, 1), "{json}");
    assert_eq!(found[0]["subject"], "HAZ-1");
    let at = |k: &str| found[0][k].as_u64().unwrap();
    (at("line"), at("column"), found[0]["message"].as_str().unwrap().to_string())
}

/// `suspicious-text` read the files' raw lines, so a bidi override written as
/// a YAML escape (`"\u202E"`) reached every report unreported.
#[test]
fn a_bidi_override_written_as_a_yaml_escape_is_suspicious_text() {
    let (line, column, _) = suspicious_title("title: \"Dose 10 \\u202Egm 001\\u202C per day\"");
    assert_eq!((line, column), (3, 21));
}

/// A folder named `clinsafe.yaml` is named as such, not reported missing.
#[test]
fn a_manifest_that_is_a_folder_is_named_as_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("clinsafe.yaml")).unwrap();
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`clinsafe.yaml` here is a folder: the manifest must be a file"), "{err}");
}

/// `title: !!binary <base64>` loads decoded: the file (and a pull request's
/// diff) shows base64 while every report shows other text, which may hold a
/// bidi override the raw-line scan cannot see.
#[test]
fn a_binary_tagged_value_is_suspicious_text() {
    // "Dose 10 \u{202E}gm 001", base64-encoded.
    let (line, column, message) = suspicious_title("title: !!binary RG9zZSAxMCDigK5nbSAwMDE=");
    assert_eq!((line, column), (3, 12));
    assert!(message.contains("`!!binary` is shown decoded"), "{message}");
}

/// Excel's calendar starts in 1900: a workbook for an earlier `--as-of` is still written.
#[test]
fn an_xlsx_as_of_before_1900_is_still_written() {
    let dir = project(&[]);
    let out = tempfile::tempdir().unwrap();
    let render = clinsafe()
        .args(["render", "--format", "xlsx", "--as-of", "0001-01-01", "--out"])
        .arg(out.path())
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(render.status.code().unwrap() < 2, "{}", String::from_utf8_lossy(&render.stderr));
    assert!(out.path().join("hazard-log.xlsx").is_file());
}

/// A quoted value's ESC or BEL reaches a GitHub annotation as its code, never raw.
#[test]
fn github_annotations_carry_no_raw_control_characters() {
    let dir = project(&[("h.yaml", "hazards:\n  - id: HAZ-1\n    title: \"Red \\e[31m alert \\a\"\n")]);
    let out = clinsafe()
        .args(["check", "--format", "github", "--as-of", super::AS_OF])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("::error"), "{text}");
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
}

/// A title naming `@org/team` does not notify the team when the diff is posted to a pull request.
#[test]
fn diff_markdown_does_not_mention_people() {
    let old = project(&[]);
    let new = project(&[("h.yaml", "hazards:\n  - id: HAZ-1\n    title: Ask @nhs-trust/safety-team\n")]);
    let out = clinsafe()
        .args(["diff", "--format", "markdown", "--as-of", super::AS_OF, "--since"])
        .arg(old.path())
        .arg(new.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Ask @&#8203;nhs-trust/safety-team"), "{text}");
    assert!(!text.contains("@nhs"), "{text}");
}

/// Every wrong element of a list inside an item is reported in one run, not only the first.
#[test]
fn every_bad_element_of_a_nested_list_is_reported_in_one_run() {
    let dir = project(&[(
        "m.yaml",
        "metrics:\n  - id: MET-1\n    title: t\n    better: lower\n    observations:\n      - { date: 2026-02-30, value: 1 }\n      - { date: 2026-02-31, value: 2 }\n      - { date: 2026-03-01, value: x }\n",
    )]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    for place in ["--> m.yaml:6:17\n", "--> m.yaml:7:17\n", "--> m.yaml:8:36\n"] {
        assert!(err.contains(place), "{place} missing:\n{err}");
    }
}

/// A non-finite limit is located at its own key, not at the metric.
#[test]
fn a_non_finite_threshold_is_located_at_its_value() {
    let dir = project(&[(
        "m.yaml",
        "metrics:\n  - id: MET-1\n    title: t\n    better: lower\n    threshold: .nan\n    warn: .inf\n",
    )]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`threshold` must be a finite number\n --> m.yaml:5:16\n"), "{err}");
    assert!(err.contains("`warn` must be a finite number\n --> m.yaml:6:11\n"), "{err}");
}

/// What only the build stage sees (a limit that is not finite, a history out of order) is
/// reported in the same run as the wrong values of the same item, not after they are fixed.
#[test]
fn build_stage_errors_come_out_beside_an_items_value_errors() {
    let dir = project(&[
        (
            "clinsafe.yaml",
            "clinsafe: 1\nsystem: { name: S }\ndocument:\n  id: D\n  version: \"1\"\n  status: finished\n  history:\n    - { version: \"2\", date: 2026-05-01 }\n    - { version: \"1\", date: 2026-01-01 }\n",
        ),
        (
            "m.yaml",
            "metrics:\n  - id: MET-1\n    title: t\n    better: lower\n    threshold: .nan\n    observations:\n      - { date: 2026-02-30, value: 1 }\n      - { date: 2026-03-01, value: .inf }\n",
        ),
    ]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    for place in [
        "--> clinsafe.yaml:6:11\n", // status: finished
        "--> clinsafe.yaml:9:29\n", // history out of order (build stage)
        "--> m.yaml:5:16\n",        // threshold .nan (build stage)
        "--> m.yaml:7:17\n",        // 2026-02-30
        "--> m.yaml:8:9\n",         // value .inf (build stage)
    ] {
        assert!(err.contains(place), "{place} missing:\n{err}");
    }
}
