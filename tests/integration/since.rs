//! `diff --since` and `render --since` (issue 12 item 4): a git repository
//! built here, with the project in a subfolder and three commits — a draft,
//! issue 1.0 signed with the right digest, and a change after sign-off — and
//! the directory form. Tests that need git are ignored by plain `cargo test`
//! and fail when git is missing (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use super::{clinsafe, mask_digests, project, write, AS_OF};

const DRAFT_MANIFEST: &str = r#"clinsafe: 1
system: { name: Patient Messaging, version: "4.2" }
clinical_safety_officer: { name: Dr Jane Example }
document:
  id: CSCR-1
  version: "0.9"
  status: draft
  history:
    - { version: "0.9", date: 2026-06-01, author: Dr Jane Example, summary: Pilot hazard log }
"#;

pub const HAZARDS_V1: &str = r#"hazards:
  - id: HAZ-1
    title: Reply sent to the wrong patient
    description: Two patients with similar names.
    initial_risk: { severity: major, likelihood: medium }
    residual_risk: { severity: major, likelihood: very-low }
    controls: [CTL-1]
  - id: HAZ-2
    title: Reply to a closed conversation
    initial_risk: { severity: minor, likelihood: low }
    residual_risk: { severity: minor, likelihood: very-low }
    controls: [CTL-2]
  - id: HAZ-3
    title: Message not filed to the record
    initial_risk: { severity: minor, likelihood: low }
    residual_risk: { severity: minor, likelihood: very-low }
    controls: [CTL-2]
"#;

pub const CONTROLS_V1: &str = r#"controls:
  - { id: CTL-1, title: Two identifiers before sending, type: design, status: implemented }
  - { id: CTL-2, title: Inbox closes finished threads, type: design, status: implemented }
"#;

/// After sign-off: HAZ-1 re-rated and reworded, HAZ-2 withdrawn, HAZ-3 deleted
/// (it should have been withdrawn), HAZ-4 added, CTL-1 verified with evidence.
pub const HAZARDS_V1_1: &str = r#"hazards:
  - id: HAZ-1
    title: Reply sent to the wrong patient
    description: Two patients with similar names, or a shared device.
    initial_risk: { severity: major, likelihood: high }
    residual_risk: { severity: major, likelihood: very-low }
    controls: [CTL-1]
  - id: HAZ-2
    title: Reply to a closed conversation
    status: withdrawn
    withdrawn_reason: Closed conversations cannot be replied to since release 4.3
    initial_risk: { severity: minor, likelihood: low }
    residual_risk: { severity: minor, likelihood: very-low }
    controls: [CTL-2]
  - id: HAZ-4
    title: Reminder sent twice
    initial_risk: { severity: minor, likelihood: low }
    residual_risk: { severity: minor, likelihood: very-low }
    controls: [CTL-2]
"#;

pub const CONTROLS_V1_1: &str = r#"controls:
  - id: CTL-1
    title: Two identifiers before sending
    type: design
    status: verified
    evidence: [{ ref: UAT-12, date: 2026-11-10 }]
  - { id: CTL-2, title: Inbox closes finished threads, type: design, status: implemented }
"#;

pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("git is not installed ({e}); .ci/run installs it with apt-get"));
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn commit(repo: &Path, message: &str, tag: &str) {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message]);
    git(repo, &["tag", tag]);
}

fn digest(dir: &Path) -> String {
    let out = clinsafe().arg("digest").arg(dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The repository: README at the top, the project in `safety/`. Tags `draft`,
/// `v1.0` (issued, approved with the digest `clinsafe digest` printed) and
/// `changed` (HEAD: edited after sign-off, the approval left as it was).
fn repository() -> (TempDir, PathBuf) {
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    let case = repo.path().join("safety");
    write(repo.path(), "README.md", b"Riverside Medical Practice\n");
    write(&case, "clinsafe.yaml", DRAFT_MANIFEST.as_bytes());
    write(&case, "hazards/messaging.yaml", HAZARDS_V1.as_bytes());
    write(&case, "controls/controls.yaml", CONTROLS_V1.as_bytes());
    commit(repo.path(), "Draft hazard log", "draft");

    let issued = DRAFT_MANIFEST.replace(
        "version: \"0.9\"\n  status: draft",
        "version: \"1.0\"\n  status: issued\n  date: 2026-11-02",
    )
        + "    - { version: \"1.0\", date: 2026-11-02, author: Dr Jane Example, summary: First issue }\n";
    write(&case, "clinsafe.yaml", issued.as_bytes());
    let signed = format!(
        "{issued}approvals:\n  - {{ name: Dr Jane Example, role: CSO, date: 2026-11-02, version: \"1.0\", digest: \"{}\" }}\n",
        digest(&case)
    );
    write(&case, "clinsafe.yaml", signed.as_bytes());
    commit(repo.path(), "Issue 1.0", "v1.0");
    let (_, json) = super::check_json(&case, &[]);
    let rules = super::rules_of(&json);
    assert!(!rules.iter().any(|r| r == "approval-outdated" || r == "missing-sign-off"), "v1.0: {json}");

    write(&case, "hazards/messaging.yaml", HAZARDS_V1_1.as_bytes());
    write(&case, "controls/controls.yaml", CONTROLS_V1_1.as_bytes());
    commit(repo.path(), "Changes after sign-off", "changed");
    (repo, case)
}

pub fn diff(case: &Path, since: &str, format: &str) -> (i32, String, String) {
    let out = clinsafe()
        .args(["diff", "--as-of", AS_OF, "--format", format, "--since", since])
        .arg(case)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
#[ignore = "needs git; run by .ci/run"]
fn issue_one_checks_clean_and_the_change_after_sign_off_outdates_its_approval() {
    let (_repo, case) = repository();
    let (code, json) = super::check_json(&case, &[]);
    assert_eq!(code, 1, "{json}");
    assert!(super::rules_of(&json).contains(&"approval-outdated".to_string()), "{json}");
    // At v1.0 the approval covered the content: the finding is new since then, nothing else is.
    let (_, out, _) = diff(&case, "v1.0", "json");
    let changes: serde_json::Value = serde_json::from_str(&out).unwrap();
    let new: Vec<&str> =
        changes["findings_new"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(new, ["approval-outdated"], "{out}");
    assert_eq!(changes["findings_gone"], serde_json::json!([]));
    let (code, _, err) = diff(&case, "draft", "json");
    assert_eq!(code, 1, "{err}");
}

#[test]
#[ignore = "needs git; run by .ci/run"]
fn diff_since_the_issued_version_in_each_format() {
    let (_repo, case) = repository();
    for format in ["human", "json", "markdown"] {
        let (code, out, err) = diff(&case, "v1.0", format);
        assert_eq!(code, 1, "a removed hazard and an outdated approval: exit 1\n{err}");
        assert_eq!(err, "", "{format}");
        insta::assert_snapshot!(format!("diff-{format}"), mask_digests(&out));
    }
    let (_, out, _) = diff(&case, "v1.0", "json");
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &c["summary"];
    let counts = [
        &s["hazards_added"],
        &s["hazards_withdrawn"],
        &s["hazards_removed"],
        &s["hazards_re_rated"],
        &s["controls_changed"],
        &s["errors"],
    ];
    assert_eq!(counts.map(|v| v.as_u64().unwrap()), [1, 1, 1, 1, 2, 2], "{out}");
    assert_eq!(c["old"]["version"], "1.0");
    assert_eq!(c["findings"][0]["rule"], "removed-hazard");
    assert_eq!(c["findings"][0]["subject"], "HAZ-3");
}

#[test]
#[ignore = "needs git; run by .ci/run"]
fn no_change_since_head_exits_0_and_nothing_is_written_anywhere() {
    let (repo, case) = repository();
    let temp = tempfile::tempdir().unwrap();
    let out = clinsafe()
        .env("TMPDIR", temp.path())
        .args(["diff", "--as-of", AS_OF, "--since", "HEAD"])
        .arg(&case)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("\nno changes\n"));
    // The revision's copy is gone, and the project (and repository) gained nothing.
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 0, "temporary folder left behind");
    let status = Command::new("git")
        .current_dir(repo.path())
        .args(["status", "--porcelain", "--ignored"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&status.stdout), "");
}

#[test]
#[ignore = "needs git and pdftotext; run by .ci/run"]
fn render_since_adds_the_changes_section_and_marks_the_hazard_log() {
    let (_repo, case) = repository();
    let out = tempfile::tempdir().unwrap();
    let run = clinsafe()
        .args(["render", "--as-of", AS_OF, "--since", "v1.0", "--out"])
        .arg(out.path())
        .arg(&case)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    let read = |f: &str| std::fs::read_to_string(out.path().join(f)).unwrap();
    let case_html = read("safety-case.html");
    assert!(case_html.contains("<h2>Changes since version 1.0</h2>"), "{case_html}");
    assert!(case_html.contains("<a href=\"#changes\">Changes since version 1.0</a>"));
    assert!(
        case_html.contains("<td>re-rated</td><td>initial 3 (major severity, medium likelihood) → 4 (major severity, high likelihood)"),
        "{case_html}"
    );
    // In words in the body, as every finding there (the rule id is in `diff`'s own output).
    assert!(
        case_html.contains("HAZ-3: A hazard was deleted from the log instead of being withdrawn"),
        "{case_html}"
    );
    let log = read("hazard-log.html");
    assert!(log.contains("<span class=\"flag\">withdrawn since version 1.0</span>"), "{log}");
    assert!(log.contains("<span class=\"flag\">added since version 1.0</span>"), "{log}");
    assert!(
        log.contains(
            "CTL-1 Two identifiers before sending <span class=\"flag\">changed since version 1.0</span>"
        ),
        "{log}"
    );
    assert!(log.contains("Removed since version 1.0, though a hazard should be withdrawn, never deleted: HAZ-3 Message not filed to the record."), "{log}");
    // The PDF is made from the same fragment.
    let pdf = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(out.path().join("safety-case.pdf"))
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is not installed ({e}); .ci/run installs it"));
    let text = String::from_utf8_lossy(&pdf.stdout);
    assert!(text.contains("Changes since version 1.0"), "{text}");
    let log_pdf = Command::new("pdftotext").arg(out.path().join("hazard-log.pdf")).arg("-").output().unwrap();
    assert!(String::from_utf8_lossy(&log_pdf.stdout).contains("added since version 1.0"));
    // Reproducible: nothing of the temporary copy (its path, its times) reaches the documents.
    let again = tempfile::tempdir().unwrap();
    clinsafe()
        .args(["render", "--as-of", AS_OF, "--since", "v1.0", "--out"])
        .arg(again.path())
        .arg(&case)
        .assert()
        .code(1);
    for file in ["safety-case.html", "safety-case.pdf", "hazard-log.html", "hazard-log.pdf"] {
        let bytes = |dir: &Path| std::fs::read(dir.join(file)).unwrap();
        assert!(bytes(out.path()) == bytes(again.path()), "{file} differs between renders");
    }
}

#[test]
#[ignore = "needs git; run by .ci/run"]
fn revisions_that_cannot_be_read_are_named_and_exit_2() {
    let (repo, case) = repository();
    let (code, _, err) = diff(&case, "v9.9", "human");
    assert_eq!(code, 2);
    assert_eq!(err, "error: there is no revision `v9.9` in the git repository (nor a folder of that name)\n");

    // A revision from before the project folder existed.
    git(repo.path(), &["checkout", "-q", "--orphan", "empty"]);
    git(repo.path(), &["rm", "-rq", "--cached", "."]);
    git(repo.path(), &["commit", "-q", "--allow-empty", "-m", "nothing yet"]);
    git(repo.path(), &["tag", "empty"]);
    git(repo.path(), &["checkout", "-q", "-f", "changed"]);
    let (code, _, err) = diff(&case, "empty", "human");
    assert_eq!(code, 2);
    assert_eq!(err, "error: the project folder `safety` did not exist at revision `empty`\n");

    // A revision whose YAML is broken: located, the file named by revision.
    write(&case, "hazards/messaging.yaml", b"hazards:\n  - id: HAZ-1\n    titel: Typo\n");
    commit(repo.path(), "broken", "broken");
    git(repo.path(), &["checkout", "-q", "changed"]);
    let (code, _, err) = diff(&case, "broken", "human");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--> broken:hazards/messaging.yaml:3:5"), "{err}");
    assert!(err.ends_with("the project as it was at `broken` could not be read\n"), "{err}");
}

#[test]
#[ignore = "needs git; run by .ci/run"]
fn a_revision_with_a_link_out_of_the_project_is_refused_as_on_disk() {
    let (repo, case) = repository();
    std::os::unix::fs::symlink("/etc/passwd", case.join("hazards/passwd.yaml")).unwrap();
    std::os::unix::fs::symlink("../../../../../../etc", case.join("etc")).unwrap();
    commit(repo.path(), "hostile", "hostile");
    git(repo.path(), &["checkout", "-q", "changed"]);
    let temp = tempfile::tempdir().unwrap();
    let out = clinsafe()
        .env("TMPDIR", temp.path())
        .args(["diff", "--as-of", AS_OF, "--since", "hostile"])
        .arg(&case)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--> hostile:hazards/passwd.yaml"), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(!err.contains("root:"), "quoted a file outside the project: {err}");
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 0, "temporary folder left behind");
}

#[test]
#[ignore = "needs git; run by .ci/run"]
fn a_project_outside_any_repository_says_so() {
    let dir = project(&[]);
    let (code, _, err) = diff(dir.path(), "v1.0", "human");
    assert_eq!(code, 2);
    assert!(err.contains("is not in a git repository, so --since `v1.0` cannot name a revision"), "{err}");
}
