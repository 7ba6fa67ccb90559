//! `diff --since` and `render --since` without git: another copy of the
//! project as the old side, git missing, and `removed-hazard` under `rules:`.

use super::since::{diff, CONTROLS_V1, CONTROLS_V1_1, HAZARDS_V1, HAZARDS_V1_1};
use super::{clinsafe, project, AS_OF};

#[test]
fn without_git_a_revision_cannot_be_read_and_the_message_says_why() {
    let dir = project(&[]);
    let empty = tempfile::tempdir().unwrap();
    let out = clinsafe()
        .env("PATH", empty.path())
        .args(["diff", "--as-of", AS_OF, "--since", "v1.0"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: the `git` command was not found: --since REV needs git installed \
         (to compare with another copy of the project, give --since that folder)\n"
    );
}

#[test]
fn another_folder_is_the_old_side_too() {
    let old = project(&[("h.yaml", HAZARDS_V1), ("c.yaml", CONTROLS_V1)]);
    let new = project(&[("h.yaml", HAZARDS_V1_1), ("c.yaml", CONTROLS_V1_1)]);
    let (code, out, err) = diff(new.path(), old.path().to_str().unwrap(), "json");
    assert_eq!(code, 1, "HAZ-3 was deleted\n{err}");
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(c["since"], old.path().to_str().unwrap());
    let ids: Vec<(&str, &str)> = c["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["id"].as_str().unwrap(), h["change"].as_str().unwrap()))
        .collect();
    assert_eq!(ids, [("HAZ-1", "changed"), ("HAZ-2", "changed"), ("HAZ-3", "removed"), ("HAZ-4", "added")]);
    assert_eq!(c["hazards"][0]["fields"], serde_json::json!(["description"]));
    assert_eq!(c["hazards"][1]["status"], serde_json::json!({ "old": "open", "new": "withdrawn" }));
    // The same folder on both sides: nothing changed, exit 0.
    let (code, out, _) = diff(new.path(), new.path().to_str().unwrap(), "human");
    assert_eq!(code, 0);
    assert!(out.ends_with("\nno changes\n"), "{out}");
}

#[test]
fn an_old_folder_that_cannot_be_read_is_named_and_exits_2() {
    let old = project(&[("h.yaml", "hazards:\n  - id: HAZ-1\n    titel: Typo\n")]);
    let new = project(&[]);
    let since = old.path().to_str().unwrap();
    let (code, _, err) = diff(new.path(), since, "json");
    assert_eq!(code, 2);
    assert!(err.contains(&format!("--> {since}/h.yaml:3:5")), "{err}");
    assert!(err.ends_with(&format!("the project as it was at `{since}` could not be read\n")), "{err}");
    // render --since writes nothing then.
    let out = tempfile::tempdir().unwrap();
    clinsafe()
        .args(["render", "--as-of", AS_OF, "--format", "html", "--since", since, "--out"])
        .arg(out.path())
        .arg(new.path())
        .assert()
        .code(2);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn removed_hazard_cannot_be_set_under_rules() {
    let manifest = format!("{}rules: {{ removed-hazard: warning }}\n", super::MANIFEST);
    let dir = project(&[("clinsafe.yaml", &manifest)]);
    let (code, json) = super::check_json(dir.path(), &[]);
    assert_eq!(code, 2, "{json}");
    assert_eq!(json["findings"][0]["line"], 4);
    let message = json["findings"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("`removed-hazard` cannot be set under `rules:`"), "{message}");
}

#[test]
fn render_strict_since_writes_nothing_when_a_hazard_was_deleted() {
    let old = project(&[("h.yaml", HAZARDS_V1), ("c.yaml", CONTROLS_V1)]);
    let new = project(&[("h.yaml", HAZARDS_V1_1), ("c.yaml", CONTROLS_V1_1)]);
    let out = tempfile::tempdir().unwrap();
    let run = clinsafe()
        .args(["render", "--as-of", AS_OF, "--format", "html", "--strict", "--since"])
        .arg(old.path())
        .arg("--out")
        .arg(out.path())
        .arg(new.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("error[removed-hazard]: HAZ-3 (Message not filed to the record) was in the hazard log"),
        "{err}"
    );
    assert!(err.ends_with("--strict: error-level findings stand; nothing was written\n"), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn deny_warnings_fails_on_a_new_warning_only() {
    let old = project(&[("h.yaml", HAZARDS_V1), ("c.yaml", CONTROLS_V1)]);
    // CTL-2 back to planned: HAZ-2's and HAZ-3's residual ratings now rely on it (a warning).
    let planned = CONTROLS_V1.replace(
        "type: design, status: implemented }\n",
        "type: design, status: planned, due: 2027-01-31 }\n",
    );
    let new = project(&[("h.yaml", HAZARDS_V1), ("c.yaml", &planned)]);
    let since = old.path().to_str().unwrap();
    let (code, out, _) = diff(new.path(), since, "json");
    assert_eq!(code, 0, "a warning alone does not fail diff\n{out}");
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(c["summary"]["errors"], 0);
    assert!(c["summary"]["warnings"].as_u64().unwrap() >= 1, "{out}");
    let run = |dir: &std::path::Path, since: &str| {
        clinsafe()
            .args(["diff", "--as-of", AS_OF, "--deny-warnings", "--since", since])
            .arg(dir)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run(new.path(), since), Some(1));
    // A warning that stood on both sides is not new: exit 0 even with --deny-warnings.
    assert_eq!(run(new.path(), new.path().to_str().unwrap()), Some(0));
}

#[test]
fn serve_since_shows_the_changes_as_render_since_does() {
    let old = project(&[("h.yaml", HAZARDS_V1), ("c.yaml", CONTROLS_V1)]);
    let new = project(&[("h.yaml", HAZARDS_V1_1), ("c.yaml", CONTROLS_V1_1)]);
    let serve = super::serve::Serve::start_with(new.path(), &["--since", old.path().to_str().unwrap()]);
    let (status, page) = serve.get("GET", "/safety-case.html");
    assert_eq!(status, 200);
    assert!(page.contains("Changes since version"), "{page}");
    assert!(page.contains("HAZ-3: A hazard was deleted from the log instead of being withdrawn"), "{page}");
    let log = serve.get("GET", "/hazard-log.html").1;
    assert!(log.contains("<span class=\"flag\">added since version"), "{log}");
}
