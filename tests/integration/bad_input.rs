//! Bad input is expected input: a located error and exit 2, in bounded time,
//! never a panic, hang or stack overflow.

use std::time::Duration;

use super::{check_human, clinsafe, project, write, AS_OF};

/// Runs check on a project holding `h.yaml` = `bytes` and returns (code, stderr).
fn check_bytes(bytes: &[u8]) -> (i32, String) {
    let dir = project(&[]);
    write(dir.path(), "h.yaml", bytes);
    let out = clinsafe()
        .args(["check", "--as-of", AS_OF])
        .arg(dir.path())
        // A guard against hangs, not a speed test (benches measure speed): the
        // unoptimised test build on a loaded 2-core CI machine needs the room.
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().expect("exited normally, not killed"), stderr)
}

#[test]
fn alias_bomb_is_refused_with_its_line() {
    let mut text =
        String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        text.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], vec![format!("*{}", w[0]); 9].join(",")));
    }
    let (code, err) = check_bytes(text.as_bytes());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--> h.yaml:"), "{err}");
    assert!(err.contains("alias"), "{err}");
}

#[test]
fn deep_nesting_is_refused() {
    let (code, err) = check_bytes(format!("hazards: {}", "[".repeat(100_000)).as_bytes());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--> h.yaml:1:"), "{err}");
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let mut bytes = b"# padding\n".repeat(7 * 1024 * 1024);
    bytes.extend_from_slice(b"hazards: []\n");
    let (code, err) = check_bytes(&bytes);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("larger than 64 MiB"), "{err}");
}

#[test]
fn non_utf8_is_located() {
    let (code, err) = check_bytes(b"hazards:\n  - id: HAZ-1\n    title: caf\xe9\n");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not valid UTF-8"), "{err}");
    assert!(err.contains("h.yaml:3:15"), "{err}");
}

#[test]
fn duplicate_keys_are_refused() {
    let (code, err) = check_bytes(b"hazards:\n  - id: HAZ-1\n    title: a\n    title: b\n");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("duplicate mapping key: title"), "{err}");
    assert!(err.contains("h.yaml:4:"), "{err}");
}

#[test]
fn an_empty_file_is_simply_empty() {
    // It loads; and as the project's only file, it leaves the hazard log empty.
    for bytes in [&b""[..], b"# nothing yet\n", b"hazards:\n", b"hazards: []\n"] {
        let (code, err) = check_bytes(bytes);
        assert_eq!(code, 1, "{err}");
        assert!(err.starts_with("error[empty-hazard-log]: the hazard log is empty"), "{err}");
        assert!(err.ends_with("1 error, 0 warnings\n"), "{err}");
    }
}

#[test]
fn a_list_at_the_top_is_refused() {
    let (code, err) = check_bytes(b"- id: HAZ-1\n");
    assert_eq!(code, 2);
    assert!(err.contains("expected a mapping with top-level keys"), "{err}");
}

#[test]
fn every_error_of_every_file_comes_out_in_one_run() {
    let dir = project(&[
        ("a.yaml", "hazards:\n  - { id: HAZ-1, titel: a }\n  - { id: HAZ-2, title: b, status: shut }\n"),
        ("b/c.yaml", "controls:\n  - { id: CTL-1, title: c, type: desing, status: planned }\n"),
        ("d.yaml", "metrics: [\n"),
    ]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2);
    for place in ["a.yaml:2:18", "a.yaml:3:36", "b/c.yaml:2:34", "d.yaml:"] {
        assert!(err.contains(place), "missing {place} in:\n{err}");
    }
    assert!(err.contains("did you mean `design`?"), "{err}");
}

#[test]
fn human_diagnostics_snapshot() {
    let dir = project(&[
        ("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\", status: isued }\n"),
        (
            "hazards.yaml",
            "hazards:\n  - id: HAZ-1\n    titel: Wrong patient\n    initial_risk: { severity: major, likelyhood: low }\n  - id: HAZ-2\n    title: Late reply\n    review_by: 31/12/2026\n",
        ),
    ]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2);
    insta::assert_snapshot!(err);
}

#[test]
fn findings_snapshot() {
    let dir = project(&[(
        "hazards.yaml",
        "hazards:\n  - id: HAZ-1\n    title: Wrong patient\n    initial_risk: { severity: major, likelihood: medium }\n    residual_risk: { severity: major, likelihood: low }\n    controls: [CTL-2]\n",
    )]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 1);
    insta::assert_snapshot!(err);
}

#[test]
fn bad_csv_rows_are_located() {
    let dir = project(&[
        ("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, data: data/m1.csv }\n"),
        ("data/m1.csv", "date,value\n2026-09-30,3\n2026-10-31,three\n"),
    ]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--> data/m1.csv:3:1"), "{err}");
    assert!(err.contains("`three` is not a number"), "{err}");
}

#[test]
fn csv_data_outside_the_project_is_refused() {
    let dir =
        project(&[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, data: ../secret.csv }\n")]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("inside the project folder"), "{err}");
}

#[test]
fn csv_observations_count_like_inline_ones() {
    let dir = project(&[
        ("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, threshold: 5, data: data/m1.csv }\n"),
        ("data/m1.csv", "date,value,comment\n2026-10-31,9,late\n2026-09-30,3,\n"),
        super::HAZARD,
    ]);
    let (code, json) = super::check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    let f = &json["findings"][0];
    assert_eq!(f["rule"], "metric-breach");
    assert_eq!((f["file"].as_str(), f["line"].as_u64()), (Some("data/m1.csv"), Some(2)));
}

#[test]
fn other_tools_yaml_in_hidden_files_and_folders_is_not_read() {
    let dir = project(&[
        (".gitlab-ci.yml", "stages: [test]\n"),
        (".github/workflows/ci.yml", "on: push\n"),
        ("out/stray.yaml", "nonsense: [\n"),
        super::HAZARD,
    ]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn syntax_errors_read_plainly() {
    let (code, err) = check_bytes(b"hazards:\n\t- id: HAZ-1\n");
    assert_eq!(code, 2);
    assert!(err.contains("indent with spaces"), "{err}");
    let (_, err) = check_bytes(b"hazards: []\n---\ncontrols: []\n");
    assert!(err.contains("a second YAML document") && err.contains("--> h.yaml:3:1"), "{err}");
    let (_, err) = check_bytes(b"hazards: [\n");
    assert!(!err.contains(" at line "), "the place is shown once, not repeated in the message: {err}");
    let (_, err) = check_bytes(b"? [a, b]\n: x\n");
    assert!(err.contains("expected a key written as plain text, found a list"), "{err}");
}

/// A huge CSV header, YAML scalar, key and id are quoted as a short prefix in
/// every format, never whole (a 60 MB header once cost 1.4 GB of output).
#[test]
fn messages_quote_only_a_short_prefix_of_any_input() {
    let long = "x".repeat(300_000);
    let dir = project(&[
        ("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, data: data/m.csv }\n"),
        ("data/m.csv", &format!("{long},y\n2026-10-31,3\n")),
        ("h.yaml", &format!("hazards:\n  - id: HAZ-1\n    title: t\n    status: {long}\n    {long}: 1\n")),
    ]);
    let linked = project(&[(
        "h.yaml",
        &format!("hazards:\n  - {{ id: HAZ-1, title: t, controls: [CTL-{long}], initial_risk: {{ severity: minor, likelihood: low }} }}\n"),
    )]);
    for (dir, code) in [(dir.path(), 2), (linked.path(), 1)] {
        for format in ["human", "json", "sarif", "junit"] {
            let out = clinsafe()
                .args(["check", "--as-of", AS_OF, "--format", format])
                .arg(dir)
                .timeout(Duration::from_secs(60))
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(code), "{format}");
            let all = out.stdout.len() + out.stderr.len();
            assert!(all < 20_000, "{format}: {all} bytes of output");
            let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
            assert!(text.contains("more characters)"), "{format}: {text}");
        }
    }
}

/// Messages speak of YAML and the safety case, never of Rust types or library
/// options, with English articles and plurals: one input per class of message.
#[test]
fn messages_are_in_the_users_terms() {
    let dir = project(&[
        (
            "m.yaml",
            "metrics:
  - { id: MET-1, title: t, better: lower, worsening_after: -1 }
  - { id: MET-2, title: t, better: lower, worsening_after: 1.5 }
  - { id: MET-3, title: t, better: lower, threshold: .inf }
  - { id: MET-4, title: t, better: lower, worsening_after: abc }
hazards:
  - { id: HAZ-1, title: t, initial_risk: { severity: minor, likelihood: low, rating: 99999999999999999999 } }
",
        ),
        ("b.yaml", "hazards:\n  - { id: HAZ-2, title: !!binary /w== }\n"),
        ("i.yaml", "hazards:\n  - { id: HAZ-3, title: !!int x }\n"),
        ("d.yaml", &format!("hazards: {}1{}\n", "[".repeat(80), "]".repeat(80))),
        ("clinsafe.yaml", &format!("{}acceptance: {{ max_residual_rating: 300 }}\n", super::MANIFEST)),
    ]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    for rust in [
        "u8",
        "u32",
        "u64",
        "i64",
        "f64",
        "floating point",
        "policy",
        "Options",
        "breached",
        "{",
        "invalid type",
    ] {
        assert!(!err.lines().any(|l| l.starts_with("error") && l.contains(rust)), "`{rust}` in:\n{err}");
    }
    for plain in [
        "`-1` is not allowed here: expected a whole number from 0 to 4294967295",
        "expected a whole number from 0 to 4294967295, found `1.5`",
        "`threshold` must be a finite number",
        "found the text `abc`",
        "expected a whole number, found `100000000000000000000`",
        "a value tagged `!!binary`",
        "does not match its `!!` tag",
        "nested too deeply",
        "`300` is not allowed here: expected a whole number from 0 to 255",
    ] {
        assert!(err.contains(plain), "missing `{plain}` in:\n{err}");
    }
}

#[test]
fn articles_and_plurals_are_english() {
    let dir = project(&[(
        "h.yaml",
        "hazards:
  - { id: HAZ-1, title: t, controls: [ACT-1], initial_risk: { severity: minor, likelihood: low } }
actions:
  - { id: ACT-1, title: a, status: open, due: 2026-11-24 }
metrics:
  - { id: MET-1, title: m, better: lower, worsening_after: 1, observations: [{ date: 2026-10-31, value: 1 }, { date: 2026-11-01, value: 2 }] }
",
    )]);
    let (_, err) = check_human(dir.path());
    assert!(err.contains("`ACT-1` is an action, not a control"), "{err}");
    assert!(err.contains("got worse 1 time in a row"), "{err}");
    assert!(err.contains("(1 day overdue"), "{err}");
    let one = project(&[
        ("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: design, status: implemented }\n"),
        super::HAZARD,
    ]);
    let (_, err) = check_human(one.path());
    assert!(err.ends_with("0 errors, 1 warning\n"), "{err}");
}

#[test]
fn a_project_inside_another_is_named_as_such_once() {
    // Read as an items file, old/clinsafe.yaml gave one "belongs in the manifest" error per key.
    let dir = project(&[(
        "old/clinsafe.yaml",
        "clinsafe: 1\nsystem: { name: Old }\ndocument: { id: D, version: \"0.9\" }\n",
    )]);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("old/clinsafe.yaml") && stderr.contains("another project's manifest"),
        "{stderr}"
    );
    assert!(!stderr.contains("belongs in the manifest"), "{stderr}");
    assert!(stderr.contains("1 error"), "{stderr}");
}
