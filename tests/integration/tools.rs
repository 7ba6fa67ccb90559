//! The GitHub Action, the pre-commit hook and `init`'s CI files, checked with
//! their own tools from PyPI: check-jsonschema (GitHub's and GitLab's schemas)
//! and pre-commit (run for real on a fixture repository).
//! Ignored by plain `cargo test`; `.ci/run` installs the tools into a venv,
//! puts it on PATH and runs these, where a missing tool is a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{write, MANIFEST};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A tool from PATH, or from the venv `.ci/run` installs it into.
fn tool(name: &str) -> Command {
    let venv = std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/clinsafe/venv/bin").join(name));
    let found = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(name))
        .chain(venv)
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("`{name}` is not installed: .ci/run installs it (pip, into ~/.cache/clinsafe/venv)")
        });
    Command::new(found)
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn check_jsonschema(schema: &str, file: &Path, extra: &[&str]) {
    let out = run(tool("check-jsonschema").args(["--builtin-schema", schema]).args(extra).arg(file));
    assert!(out.status.success(), "{} against {schema}:\n{}", file.display(), text(&out));
}

#[test]
#[ignore = "needs check-jsonschema; run by .ci/run"]
fn action_and_ci_files_are_valid_against_their_vendors_schemas() {
    check_jsonschema("vendor.github-actions", &repo().join("action.yml"), &[]);
    check_jsonschema("vendor.github-workflows", &repo().join("src/cmd/init/github-workflow.yml"), &[]);
    check_jsonschema(
        "vendor.gitlab-ci",
        &repo().join("src/cmd/init/gitlab-ci.yml"),
        &["--data-transform", "gitlab-ci"],
    );
    // The schema check is real: a step without `shell:` is not a valid composite step.
    let bad = tempfile::tempdir().unwrap();
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap().replacen("shell: bash\n", "", 1);
    write(bad.path(), "action.yml", action.as_bytes());
    let out = run(tool("check-jsonschema")
        .args(["--builtin-schema", "vendor.github-actions"])
        .arg(bad.path().join("action.yml")));
    assert!(!out.status.success(), "{}", text(&out));
}

#[test]
#[ignore = "needs pre-commit; run by .ci/run"]
fn pre_commit_manifest_is_valid() {
    let out = run(tool("pre-commit").arg("validate-manifest").arg(repo().join(".pre-commit-hooks.yaml")));
    assert!(out.status.success(), "{}", text(&out));
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs")
}

/// A git repository holding this repository's hook manifest with the hook
/// switched to `language: system`, so pre-commit runs the clinsafe built
/// for these tests instead of compiling one in release mode (README,
/// "pre-commit hook", says why). Everything else about the hook is as shipped.
fn hook_repository() -> (tempfile::TempDir, String) {
    let manifest = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    assert_eq!(manifest.matches("language: rust\n").count(), 1, "{manifest}");
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".pre-commit-hooks.yaml",
        manifest.replace("language: rust\n", "language: system\n").as_bytes(),
    );
    assert!(git(dir.path(), &["init", "-q"]).status.success());
    assert!(git(dir.path(), &["add", "-A"]).status.success());
    assert!(git(dir.path(), &["commit", "-qm", "hooks"]).status.success());
    let rev = String::from_utf8(git(dir.path(), &["rev-parse", "HEAD"]).stdout).unwrap().trim().to_string();
    (dir, rev)
}

/// The README's setup for a project in a subfolder: `args` names the
/// folder, `files` limits the hook to it. A commit that breaks the case is
/// refused with the located error; fixing it lets the commit through; a
/// commit outside the folder does not run the check.
#[test]
#[ignore = "needs pre-commit; run by .ci/run"]
fn pre_commit_hook_checks_a_subfolder_project_before_each_commit() {
    let (hooks, rev) = hook_repository();
    let work = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap(); // pre-commit's cache, away from the user's
    let dir = work.path();
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: clinsafe-check\n        args: [safety-case, --as-of, \"{}\"]\n        files: ^safety-case/\n",
        hooks.path().display(),
        super::AS_OF
    );
    write(dir, ".pre-commit-config.yaml", config.as_bytes());
    write(dir, "safety-case/clinsafe.yaml", MANIFEST.as_bytes());
    write(dir, &format!("safety-case/{}", super::HAZARD.0), super::HAZARD.1.as_bytes());
    write(dir, "README.md", b"# a repository with a safety case in a subfolder\n");
    assert!(git(dir, &["init", "-q"]).status.success());
    let bin = Path::new(env!("CARGO_BIN_EXE_clinsafe")).parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::var_os("PATH").iter().flat_map(std::env::split_paths)),
    )
    .unwrap();
    let out = run(tool("pre-commit").current_dir(dir).env("PRE_COMMIT_HOME", home.path()).arg("install"));
    assert!(out.status.success(), "{}", text(&out));
    let commit = |message: &str| {
        assert!(git(dir, &["add", "-A"]).status.success());
        let out = Command::new("git")
            .current_dir(dir)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", home.path())
            .env("NO_COLOR", "1")
            .env_remove("SOURCE_DATE_EPOCH")
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.invalid",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(["commit", "-m", message])
            .output()
            .unwrap();
        (out.status.success(), text(&out))
    };

    let (ok, out) = commit("a new safety case");
    assert!(ok, "{out}");
    assert!(out.contains("clinsafe check") && out.contains("Passed"), "{out}");

    write(
        dir,
        "safety-case/hazards/h.yaml",
        b"hazards:\n  - { id: HAZ-1, title: Wrong patient, status: shut }\n",
    );
    let (ok, out) = commit("a typo");
    assert!(!ok, "a commit with a load error went through:\n{out}");
    assert!(out.contains("Failed") && out.contains("hazards/h.yaml:2:"), "{out}");

    write(dir, "safety-case/hazards/h.yaml", b"hazards:\n  - id: HAZ-1\n    title: Wrong patient\n    initial_risk: { severity: major, likelihood: medium }\n");
    let (ok, out) = commit("an uncovered hazard");
    assert!(!ok, "a commit with an error-level finding went through:\n{out}");
    assert!(out.contains("uncovered-hazard"), "{out}");

    write(dir, "safety-case/hazards/h.yaml", b"hazards:\n  - id: HAZ-1\n    title: Wrong patient\n    controls: [CTL-1]\n    initial_risk: { severity: major, likelihood: medium }\ncontrols:\n  - { id: CTL-1, title: Banner, type: design, status: implemented }\n");
    let (ok, out) = commit("a control");
    assert!(ok, "{out}");
    assert!(out.contains("Passed"), "{out}");

    write(dir, "README.md", b"# changed outside the safety case\n");
    let (ok, out) = commit("docs");
    assert!(ok, "{out}");
    assert!(out.contains("(no files to check)Skipped"), "{out}");
}

/// The hook exactly as shipped (`language: rust`): pre-commit clones this
/// repository (a local clone of the commit under test), runs `cargo install`
/// of clinsafe from it into an environment of its own and runs that binary
/// on a fixture repository, which it refuses with the located error. No
/// other clinsafe is on PATH, so the output can only come from the one
/// pre-commit built. (`pre_commit_hook_checks_a_subfolder_project_before_each_commit`
/// covers passing, skipping and `args` with the test build.)
///
/// Kept fast by the environment pre-commit passes through to cargo: a build
/// folder shared between runs (`target/pre-commit-hook`, so only the first
/// run builds the dependencies) and a release profile without LTO or
/// optimisation (what is proved is that the hook installs and runs, not how
/// fast the binary is). Needs crates.io: pre-commit's `cargo install` does
/// not pass `--locked`, so dependencies are resolved afresh.
#[test]
#[ignore = "needs pre-commit, cargo and crates.io; run by .ci/run"]
fn pre_commit_installs_the_rust_hook_from_this_repository() {
    let rev = String::from_utf8(git(&repo(), &["rev-parse", "HEAD"]).stdout).unwrap().trim().to_string();
    let scratch = tempfile::tempdir().unwrap();
    let clone = scratch.path().join("clinsafe");
    let out = git(
        scratch.path(),
        &["clone", "-q", "--shared", "--no-checkout", repo().to_str().unwrap(), "clinsafe"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(git(&clone, &["checkout", "-q", &rev]).status.success());

    let work = scratch.path().join("work");
    write(&work, "clinsafe.yaml", MANIFEST.as_bytes());
    write(&work, "hazards/h.yaml", b"hazards:\n  - { id: HAZ-1, title: Wrong patient, status: shut }\n");
    assert!(git(&work, &["init", "-q"]).status.success());
    assert!(git(&work, &["add", "-A"]).status.success());
    let path = std::env::join_paths(
        std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .filter(|d| !d.join("clinsafe").exists()),
    )
    .unwrap();
    let out = run(tool("pre-commit")
        .current_dir(&work)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", scratch.path().join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", repo().join("target/pre-commit-hook"))
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        // pre-commit's `cargo install` ignores Cargo.lock: offline, it resolves to the
        // crates this test build already downloaded, so a newer release on crates.io
        // (a raised minimum Rust version, say) cannot break the check.
        .env("CARGO_NET_OFFLINE", "true")
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["try-repo", clone.to_str().unwrap(), "clinsafe-check", "--ref", &rev, "--all-files"]));
    let out_text = text(&out);
    assert!(!out.status.success(), "a typo passed the hook:\n{out_text}");
    assert!(out_text.contains("Installing environment"), "{out_text}");
    assert!(out_text.contains("clinsafe check") && out_text.contains("Failed"), "{out_text}");
    assert!(out_text.contains("hazards/h.yaml:2:") && out_text.contains("shut"), "{out_text}");
}
