//! The project folder is untrusted: links and special files never make
//! clinsafe read (or quote) anything outside it, hang, or drop a file in silence.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

use super::{clinsafe, project, AS_OF};

const SECRET: &str = "date,value\nTOKEN=hunter2-very-secret\n";

/// A metric whose observations come from `data: <path>`.
fn metric_with_data(path: &str) -> tempfile::TempDir {
    project(&[("m.yaml", &format!("metrics:\n  - {{ id: MET-1, title: t, better: lower, data: {path} }}\n"))])
}

/// A file outside any project, holding a secret.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.csv"), SECRET).unwrap();
    std::fs::write(
        dir.path().join("h.yaml"),
        "hazards:\n  - { id: HAZ-SECRET, title: hunter2-very-secret }\n",
    )
    .unwrap();
    dir
}

/// Runs check in every format; returns (exit code, stderr + every stdout).
fn check_all(dir: &Path) -> (i32, String) {
    let mut all = String::new();
    let mut code = None;
    for format in ["human", "json", "sarif", "junit"] {
        let out = clinsafe()
            .args(["check", "--as-of", AS_OF, "--format", format])
            .arg(dir)
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let c = out.status.code().expect("exited, not killed by the timeout");
        assert!(code.is_none_or(|k| k == c), "formats disagree on the exit code");
        code = Some(c);
        all.push_str(&String::from_utf8_lossy(&out.stderr));
        all.push_str(&String::from_utf8_lossy(&out.stdout));
    }
    assert!(!all.contains("panicked"), "{all}");
    (code.unwrap(), all)
}

#[test]
fn a_data_link_out_of_the_project_is_refused_and_never_quoted() {
    let secret = outside();
    let dir = metric_with_data("data/m.csv");
    std::fs::create_dir(dir.path().join("data")).unwrap();
    symlink(secret.path().join("secret.csv"), dir.path().join("data/m.csv")).unwrap();
    let (code, all) = check_all(dir.path());
    assert_eq!(code, 2, "{all}");
    assert!(all.contains("--> m.yaml:2:"), "located at the data: value: {all}");
    assert!(all.contains("leads outside the project folder"), "{all}");
    assert!(!all.contains("hunter2"), "bytes of an outside file were quoted: {all}");
    assert!(!all.contains(&secret.path().display().to_string()), "the target was named: {all}");
}

#[test]
fn a_data_path_through_a_linked_folder_is_refused() {
    let secret = outside();
    let dir = metric_with_data("shared/secret.csv");
    symlink(secret.path(), dir.path().join("shared")).unwrap();
    let (code, all) = check_all(dir.path());
    assert_eq!(code, 2, "{all}");
    assert!(all.contains("leads outside the project folder") && !all.contains("hunter2"), "{all}");
    // The same through a link to /dev: /dev/stdin is outside too, and nothing waits on it.
    let dir = metric_with_data("dev/stdin");
    symlink("/dev", dir.path().join("dev")).unwrap();
    let (code, all) = check_all(dir.path());
    assert_eq!(code, 2, "{all}");
}

#[test]
fn a_data_link_inside_the_project_is_read() {
    let dir = metric_with_data("data/latest.csv");
    super::write(dir.path(), "data/2026.csv", b"date,value\n2026-10-31,3\n");
    super::write(dir.path(), super::HAZARD.0, super::HAZARD.1.as_bytes());
    symlink("2026.csv", dir.path().join("data/latest.csv")).unwrap();
    let (code, all) = check_all(dir.path());
    assert_eq!(code, 0, "{all}");
}

#[test]
fn a_data_link_loop_is_located() {
    let dir = metric_with_data("data/loop.csv");
    std::fs::create_dir(dir.path().join("data")).unwrap();
    symlink("loop.csv", dir.path().join("data/loop.csv")).unwrap();
    let (code, all) = check_all(dir.path());
    assert_eq!(code, 2, "{all}");
    assert!(all.contains("--> m.yaml:2:") && all.contains("symbolic links form a loop"), "{all}");
}

#[test]
fn linked_yaml_is_reported_never_skipped_in_silence() {
    // A link inside the project, a link out of it, a link to a folder, and a loop:
    // each is an error at its own name, and nothing outside is read.
    let secret = outside();
    let dir = project(&[("hazards/real.yaml", "hazards:\n  - { id: HAZ-1, title: Real }\n")]);
    let root = dir.path();
    symlink("real.yaml", root.join("hazards/inside.yaml")).unwrap();
    symlink(secret.path().join("h.yaml"), root.join("outside.yaml")).unwrap();
    symlink(secret.path(), root.join("shared")).unwrap();
    symlink("loop.yml", root.join("loop.yml")).unwrap();
    symlink("../hazards", root.join("hazards/again")).unwrap();
    let (code, all) = check_all(root);
    assert_eq!(code, 2, "{all}");
    for name in ["hazards/inside.yaml", "outside.yaml", "shared", "loop.yml", "hazards/again"] {
        assert!(all.contains(&format!("--> {name}")), "{name} not reported: {all}");
    }
    assert!(all.contains("does not follow links"), "{all}");
    assert!(!all.contains("hunter2") && !all.contains("HAZ-SECRET"), "{all}");
}

#[test]
fn a_linked_manifest_is_reported_not_missing() {
    let dir = tempfile::tempdir().unwrap();
    let real = tempfile::tempdir().unwrap();
    std::fs::write(real.path().join("clinsafe.yaml"), super::MANIFEST).unwrap();
    symlink(real.path().join("clinsafe.yaml"), dir.path().join("clinsafe.yaml")).unwrap();
    let (code, all) = check_all(dir.path());
    assert_eq!(code, 2, "{all}");
    assert!(all.contains("--> clinsafe.yaml") && all.contains("symbolic link"), "{all}");
}

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs").success();
    assert!(ok, "mkfifo failed");
}

#[test]
fn a_pipe_is_refused_at_once_not_waited_on() {
    let dir = metric_with_data("data/pipe.csv");
    std::fs::create_dir(dir.path().join("data")).unwrap();
    mkfifo(&dir.path().join("data/pipe.csv"));
    let (code, all) = check_all(dir.path());
    assert_eq!(code, 2, "{all}");
    assert!(all.contains("--> m.yaml:2:") && all.contains("not a regular file"), "{all}");

    let dir = project(&[]);
    mkfifo(&dir.path().join("h.yaml"));
    let (code, all) = check_all(dir.path());
    assert_eq!(code, 2, "{all}");
    assert!(all.contains("--> h.yaml") && all.contains("not a regular file"), "{all}");
}

#[test]
fn a_folder_named_as_data_is_located() {
    let dir = metric_with_data("data");
    std::fs::create_dir(dir.path().join("data")).unwrap();
    let (code, all) = check_all(dir.path());
    assert_eq!(code, 2, "{all}");
    assert!(all.contains("--> m.yaml:2:") && all.contains("a folder, not a file"), "{all}");
}
