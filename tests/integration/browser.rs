//! The rendered pages in headless Chromium: they load with no console
//! message (no CSP violation, no script, no fetch), nothing from user text
//! runs, and a screenshot is taken for a person to look at.
//! Needs Chromium: ignored by plain `cargo test`, run by `.ci/run`
//! (`--include-ignored`), where a missing browser is a failure, not a skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::project;
use super::render::{render, HOSTILE};

pub fn chromium() -> Command {
    let bin = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
        .expect("Chromium is not installed: .ci/run installs it (apt-get install chromium)");
    let profile = tempfile::tempdir().unwrap().keep();
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Loads a page; returns the DOM after load and the console lines.
fn load(page: &Path) -> (String, Vec<String>) {
    let out = chromium().arg("--dump-dom").arg(format!("file://{}", page.display())).output().unwrap();
    assert!(out.status.success(), "chromium failed on {}", page.display());
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

fn check_pages(out: &Path, label: &str) {
    let mut pages = 0;
    for entry in std::fs::read_dir(out).unwrap() {
        let page = entry.unwrap().path();
        if page.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let (dom, console) = load(&page);
        assert!(console.is_empty(), "{}: console messages:\n{}", page.display(), console.join("\n"));
        assert!(dom.contains("<article"), "{}: page did not load", page.display());
        assert!(!dom.contains("data-pwned=\"1\""), "{}: user text ran", page.display());
        let shot =
            screenshot_dir().join(format!("{label}-{}.png", page.file_stem().unwrap().to_string_lossy()));
        let status = chromium()
            .arg("--window-size=1200,1800")
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .unwrap();
        assert!(status.status.success());
        assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "{}: blank screenshot?", shot.display());
        pages += 1;
    }
    assert!(pages >= 3);
}

#[test]
#[ignore = "needs Chromium; run by .ci/run"]
fn example_pages_load_cleanly_in_chromium() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
    let (code, out, err) = render(&example, &[]);
    assert_eq!(code, 0, "{err}");
    check_pages(out.path(), "example");
}

#[test]
#[ignore = "needs Chromium; run by .ci/run"]
fn hostile_text_does_not_run_in_chromium() {
    let dir = project(&[("h.yaml", HOSTILE)]);
    let (code, out, err) = render(dir.path(), &[]);
    assert_ne!(code, 2, "{err}");
    check_pages(out.path(), "hostile");
}
