//! Exit codes, `--as-of` and `SOURCE_DATE_EPOCH`, and the command line itself.

use super::{clinsafe, project, AS_OF};

#[test]
fn a_bad_command_line_exits_2() {
    clinsafe().args(["check", "--format", "yaml"]).assert().code(2);
    clinsafe().args(["check", "--as-of", "25/11/2026"]).assert().code(2);
    clinsafe().arg("frobnicate").assert().code(2);
}

#[test]
fn help_and_version_exit_0() {
    clinsafe().arg("--help").assert().code(0);
    clinsafe().arg("--version").assert().code(0);
}

#[test]
fn check_usage_shows_one_list_of_project_folders() {
    let out = clinsafe().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Usage: clinsafe check [OPTIONS] [PROJECT]...\n"), "{help}");
}

#[test]
fn a_folder_without_manifest_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no clinsafe.yaml"));
}

#[test]
fn source_date_epoch_is_the_default_today() {
    let dir = project(&[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, review_by: 2026-06-01, initial_risk: { severity: minor, likelihood: low }, justification: j }\n")]);
    // 2026-01-01T00:00:00Z: the review date is still ahead.
    let before = clinsafe()
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&before.stdout).unwrap();
    assert_eq!(json["as_of"], "2026-01-01");
    assert_eq!(json["summary"]["warnings"], 0);
    // --as-of wins over the environment.
    let after = clinsafe()
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .args(["check", "--format", "json", "--as-of", "2026-07-01"])
        .arg(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(json["findings"][0]["rule"], "review-overdue");
    clinsafe().env("SOURCE_DATE_EPOCH", "yesterday").arg("check").arg(dir.path()).assert().code(2);
}

#[test]
fn graph_prints_every_format() {
    let dir = project(&[(
        "x.yaml",
        "hazards:\n  - { id: HAZ-1, title: \"Wrong \\\"patient\\\"\", controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented }\n",
    )]);
    let dot = clinsafe().args(["graph", "--format", "dot"]).arg(dir.path()).output().unwrap();
    let dot = String::from_utf8(dot.stdout).unwrap();
    assert!(dot.contains("\"CTL-1\" -> \"HAZ-1\" [label=\"mitigates\"]"), "{dot}");
    assert!(dot.contains("Wrong \\\"patient\\\""), "{dot}");
    let mermaid = clinsafe().args(["graph", "--format", "mermaid"]).arg(dir.path()).output().unwrap();
    let mermaid = String::from_utf8(mermaid.stdout).unwrap();
    assert!(mermaid.contains("-->|mitigates|"));
    assert!(mermaid.contains("HAZ-1: Wrong #quot;patient#quot;"), "{mermaid}");
    let json = clinsafe().args(["graph", "--format", "json"]).arg(dir.path()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["edges"][0], serde_json::json!({ "from": "CTL-1", "to": "HAZ-1", "kind": "mitigates" }));
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    // Enough output to overflow a pipe buffer, read by someone who stops (`| head`).
    let mut text = String::from("hazards:\n");
    for i in 0..3000 {
        text.push_str(&format!("  - {{ id: HAZ-{i}, title: A long enough title for hazard {i} }}\n"));
    }
    let dir = project(&[("h.yaml", &text)]);
    let bin = assert_cmd::cargo::cargo_bin("clinsafe");
    let mut child = std::process::Command::new(bin)
        .args(["graph", "--format", "json"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101));
}

/// `check … 2>&1 | head -1` and `2>/dev/full`: stderr closed or full is no
/// reason to panic (exit 101); the exit code still tells the result.
#[test]
fn a_closed_or_full_stderr_is_not_a_crash() {
    let broken = project(&[("h.yaml", "hazards:\n  - { id: HAZ-1, title: Uncovered, initial_risk: { severity: major, likelihood: high } }\n")]);
    let unreadable = project(&[("h.yaml", "hazards: [\n")]);
    let out = tempfile::tempdir().unwrap();
    let runs: [(&[&str], &std::path::Path, i32); 4] = [
        (&["check"], broken.path(), 1),
        (&["check"], unreadable.path(), 2),
        (&["check", "--format", "json"], broken.path(), 1),
        (&["render", "--format", "html", "--out", out.path().to_str().unwrap()], broken.path(), 1),
    ];
    for (args, dir, code) in runs {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let (reader, closed) = std::io::pipe().unwrap();
        drop(reader);
        for stderr in [std::process::Stdio::from(full), std::process::Stdio::from(closed)] {
            let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("clinsafe"))
                .args(args)
                .args(["--as-of", AS_OF])
                .arg(dir)
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::null())
                .stderr(stderr)
                .status()
                .unwrap();
            assert_eq!(status.code(), Some(code), "{args:?}");
        }
    }
}
