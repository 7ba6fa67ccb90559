//! Acceptance-style hunt, round 2: configuration control and the consumers
//! of clinsafe's output (editors reading `clinsafe schema`, CI annotations,
//! `diff --since` in awkward git states). Each test failed before its fix.

use super::since::git;
use super::{clinsafe, project, AS_OF};

/// A YAML file as an editor's schema checker sees it (an empty or
/// comment-only file is null).
fn yaml_value(text: &str) -> serde_json::Value {
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return serde_json::Value::Null;
    }
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// `clinsafe schema` and `clinsafe check` agree on the shape of a file: the
/// schema accepts every file of a project `check` reads (text written as a
/// number, an empty list or file, `tbc`) and refuses what `check` refuses for
/// its shape alone (a rating of 15, an id with a space, `0 days`, format 2).
#[test]
fn the_schema_accepts_what_check_reads_and_refuses_wrong_shapes() {
    let out = clinsafe().arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    const M: &str = "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\n";
    let cases: &[(&str, &str, &str)] = &[
        // (what, manifest, other file)
        ("numbers as text", "clinsafe: 1\nsystem: { name: S, version: 4.2 }\norganisation: { name: O, ods_code: 12345 }\ndocument: { id: D, version: 1.0, history: [{ version: 1, date: 2026-01-01 }] }\n", "hazards: [{ id: 12, title: 2026 }]\n"),
        ("an empty file", M, ""),
        ("a comment-only file", M, "# hazards come later\n"),
        ("empty lists and mappings", &format!("{M}rules:\napprovals:\n"), "hazards:\n  - { id: H, title: t, causes:, controls: ~, initial_risk: }\ncontrols:\n"),
        ("tbc in lower case", M, "hazards: [{ id: H, title: t, initial_risk: { severity: tbc, likelihood: TBC } }]\n"),
    ];
    let refused: &[(&str, &str, &str)] = &[
        ("format version 2", "clinsafe: 2\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\n", ""),
        ("a rating of 15", M, "hazards: [{ id: H, title: t, initial_risk: { severity: major, likelihood: low, rating: 15 } }]\n"),
        ("an id with a space", M, "hazards: [{ id: HAZ 1, title: t }]\n"),
        ("an empty id", M, "controls: [{ id: \"\", title: t, type: design, status: planned }]\n"),
        ("a period of 0", M, "controls: [{ id: C, title: t, type: design, status: planned, every: 0 days }]\n"),
        ("worsening_after 0", M, "metrics: [{ id: M, title: t, better: lower, worsening_after: 0 }]\n"),
        ("max_residual_rating 4", &format!("{M}acceptance: {{ max_residual_rating: 4 }}\n"), ""),
    ];
    let schema_accepts = |manifest: &str, items: &str| {
        [manifest, items].iter().all(|text| validator.is_valid(&yaml_value(text)))
    };
    for (accepted, list) in [(true, cases), (false, refused)] {
        for (what, manifest, items) in list {
            let dir = project(&[("clinsafe.yaml", manifest), ("items.yaml", items)]);
            let code =
                clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap().status.code();
            assert_eq!(code != Some(2), accepted, "{what}: check exits {code:?}");
            assert_eq!(schema_accepts(manifest, items), accepted, "{what}: the schema disagrees with check");
        }
    }
}

/// A project outside the working directory (`clinsafe check ../safety-case`,
/// or an absolute path elsewhere): SARIF, GitHub and Code Quality paths were
/// written relative to the project, so they named `h.yaml` in the working
/// directory, a file that is not the one with the finding (or none at all).
#[test]
fn ci_paths_lead_to_the_file_when_the_project_is_outside_the_working_directory() {
    let top = tempfile::tempdir().unwrap();
    let project = top.path().join("safety-case");
    let cwd = top.path().join("app");
    std::fs::create_dir_all(&cwd).unwrap();
    super::write(&project, "clinsafe.yaml", super::MANIFEST.as_bytes());
    super::write(&project, "h.yaml", b"hazards:\n  - { id: HAZ-1, title: Not assessed }\n");
    for arg in [std::ffi::OsString::from("../safety-case"), project.clone().into_os_string()] {
        for (format, needle) in [
            ("github", "file=../safety-case/h.yaml,"),
            ("codequality", "\"path\": \"../safety-case/h.yaml\""),
            ("sarif", "\"uri\": \"../safety-case/h.yaml\""),
        ] {
            let out = clinsafe()
                .current_dir(&cwd)
                .args(["check", "--as-of", AS_OF, "--format", format])
                .arg(&arg)
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(text.contains(needle), "{format} for {arg:?}:\n{text}");
        }
    }
}

/// CI checks out one commit by default (GitHub's `actions/checkout`, GitLab's
/// shallow clones): `--since v1.0` then found no such revision and said only
/// that, though the tag exists; the message now says the clone is shallow
/// and how to fetch the history.
#[test]
#[ignore = "needs git; run by .ci/run"]
fn since_in_a_shallow_clone_says_the_history_is_missing() {
    let origin = tempfile::tempdir().unwrap();
    super::write(origin.path(), "case/clinsafe.yaml", super::MANIFEST.as_bytes());
    git(origin.path(), &["init", "-q"]);
    git(origin.path(), &["add", "-A"]);
    git(origin.path(), &["commit", "-q", "-m", "one"]);
    git(origin.path(), &["tag", "v1.0"]);
    super::write(origin.path(), "case/h.yaml", b"hazards: [{ id: HAZ-1, title: t }]\n");
    git(origin.path(), &["add", "-A"]);
    git(origin.path(), &["commit", "-q", "-m", "two"]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", "--no-tags", &url, "repo"]);
    let case = clone.path().join("repo/case");
    for rev in ["v1.0", "HEAD~1"] {
        let out = clinsafe().args(["diff", "--as-of", AS_OF, "--since", rev]).arg(&case).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("shallow")
                && err.contains("fetch-depth: 0")
                && err.contains("git fetch --unshallow --tags"),
            "{rev}: {err}"
        );
    }
}

/// A verified control whose only evidence has a blank `ref` passed as
/// verified, and the reports listed an empty piece of evidence: no false
/// assurance. A blank `ref` is refused like a missing one, at its place.
#[test]
fn evidence_with_a_blank_ref_is_not_evidence() {
    let dir = project(&[(
        "c.yaml",
        "controls:\n  - id: CTL-1\n    title: Checked\n    type: test\n    status: verified\n    evidence:\n      - { ref: \"  \", date: 2026-01-01 }\n",
    )]);
    let (code, err) = super::check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("c.yaml:7:") && err.contains("`ref`"), "{err}");
}

/// `diff --since` compares hazards, controls, metrics and incidents item by
/// item; a change anywhere else (the CSO's safety statement, the system
/// description, an action, the DPIA) gave "no changes" beside two different
/// content digests. Those parts are now named.
#[test]
fn diff_never_says_no_changes_when_the_content_changed() {
    let old = project(&[(
        "items.yaml",
        "actions: [{ id: ACT-1, title: Publish the response times }]\ndpia: { title: D, need: Needed }\n",
    )]);
    let new_manifest = super::MANIFEST
        .replace("{ name: Test system }", "{ name: Test system, description: Now for urgent use }")
        + "safety_statement: The risk is not acceptable.\n";
    let new = project(&[
        ("clinsafe.yaml", &new_manifest),
        ("items.yaml", "actions: [{ id: ACT-1, title: Withdraw the response times }]\ndpia: { title: D, need: Not needed }\n"),
    ]);
    let run = |format: &str| {
        let out = clinsafe()
            .args(["diff", "--as-of", AS_OF, "--format", format, "--since"])
            .arg(old.path())
            .arg(new.path())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };
    let human = run("human");
    assert!(!human.contains("no changes"), "{human}");
    assert!(human.contains("changed: safety_statement, system, actions, dpia"), "{human}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["other_changed"], serde_json::json!(["safety_statement", "system", "actions", "dpia"]));
    // The same project against itself: no changes, nothing named.
    let same = clinsafe()
        .args(["diff", "--as-of", AS_OF, "--since"])
        .arg(old.path())
        .arg(old.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&same.stdout).contains("no changes"));
}
