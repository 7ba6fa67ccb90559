use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::Path;

use super::journal::{recover, replace_set, Stop};
use super::*;

type Set = BTreeMap<String, Vec<u8>>;

fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    list.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect()
}

/// Every entry of `out` except the lock and the manifest (what a user sees).
fn state(out: &Path) -> Set {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| ![LOCK, ".clinsafe-manifest"].contains(&e.file_name().to_str().unwrap()))
        .map(|e| {
            let bytes =
                if e.path().is_dir() { b"<folder>".to_vec() } else { std::fs::read(e.path()).unwrap() };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

const OLD: &[(&str, &str)] = &[("safety-case.html", "old sc"), ("dpia.html", "old dpia")];
const NEW: &[(&str, &str)] = &[("safety-case.html", "new sc"), ("hazard-log.html", "new log")];

/// A folder holding the OLD set and two files of the user's own.
fn folder_with_old_set() -> (tempfile::TempDir, Set, Set) {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    std::fs::write(out.path().join("monitoring.pdf"), "my own pdf").unwrap();
    replace_set(out.path(), &files(OLD), &mut |_| Ok(())).unwrap();
    let old = state(out.path());
    let mut new = old.clone();
    new.remove("dpia.html");
    new.insert("safety-case.html".into(), b"new sc".to_vec());
    new.insert("hazard-log.html".into(), b"new log".to_vec());
    (out, old, new)
}

#[test]
fn only_files_an_earlier_render_wrote_are_removed_and_named() {
    let (out, _, new) = folder_with_old_set();
    let written = replace_set(out.path(), &files(NEW), &mut |_| Ok(())).unwrap();
    assert_eq!(written.removed, ["dpia.html"]);
    assert_eq!(state(out.path()), new, "the user's monitoring.pdf and notes.txt stay");
}

#[test]
fn a_file_of_the_users_own_is_never_written_over() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("hazard-log.html"), "my own page").unwrap();
    let before = state(out.path());
    let err = replace_set(out.path(), &files(NEW), &mut |_| Ok(())).unwrap_err();
    assert!(err.contains("hazard-log.html") && err.contains("--out"), "{err}");
    assert_eq!(state(out.path()), before, "nothing written, nothing moved");
}

#[test]
fn without_a_manifest_nothing_is_removed() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("dpia.pdf"), "a file of the user's").unwrap();
    let written = replace_set(out.path(), &files(NEW), &mut |_| Ok(())).unwrap();
    assert!(written.removed.is_empty());
    assert!(out.path().join("dpia.pdf").exists());
}

#[test]
fn a_committed_manifest_cannot_name_other_files() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    std::fs::write(out.path().join(".clinsafe-manifest"), "notes.txt\n../escape\n/etc/passwd\n").unwrap();
    replace_set(out.path(), &files(NEW), &mut |_| Ok(())).unwrap();
    assert!(out.path().join("notes.txt").exists());
}

#[test]
fn a_failure_at_any_step_leaves_the_previous_set() {
    let mut steps = 0;
    for n in 1.. {
        let (out, old, _) = folder_with_old_set();
        let result = replace_set(out.path(), &files(NEW), &mut |i| {
            if i == n {
                Err(Stop::Fail("injected failure".into()))
            } else {
                Ok(())
            }
        });
        match result {
            Ok(_) => break,
            Err(e) => {
                assert!(e.contains("injected failure") && e.contains("previous reports"), "{e}");
                assert_eq!(state(out.path()), old, "after a failure at step {n}");
                steps = n;
            }
        }
    }
    assert!(steps > 8, "every step was tried ({steps})");
}

#[test]
fn a_render_killed_at_any_step_is_undone_or_complete_and_the_next_recovers() {
    for n in 1.. {
        let (out, old, new) = folder_with_old_set();
        let kill = |i: usize| if i == n { Err(Stop::Kill) } else { Ok(()) };
        if replace_set(out.path(), &files(NEW), &mut { kill }).is_ok() {
            break;
        }
        recover(out.path()).unwrap();
        let after = state(out.path());
        assert!(after == old || after == new, "killed at step {n}: a mix {after:?}");
        // The next render starts from a clean folder and succeeds.
        let (out, _, new) = folder_with_old_set();
        let _ = replace_set(out.path(), &files(NEW), &mut { kill });
        let written = replace_set(out.path(), &files(NEW), &mut |_| Ok(())).unwrap();
        assert_eq!(state(out.path()), new, "killed at step {n}, then rendered again");
        assert_eq!(written.recovered.is_some(), n > 1, "killed at step {n}: recovery (not) reported");
    }
}

#[test]
fn a_leftover_temporary_folder_is_cleaned_up() {
    let (out, old, _) = folder_with_old_set();
    std::fs::create_dir(out.path().join(".clinsafe-staging")).unwrap();
    std::fs::write(out.path().join(".clinsafe-staging/safety-case.html"), "half").unwrap();
    std::fs::create_dir(out.path().join(".clinsafe-render-4242")).unwrap();
    let written = replace_set(out.path(), &files(OLD), &mut |_| Ok(())).unwrap();
    assert!(written.recovered.unwrap().contains("temporary files"));
    assert_eq!(state(out.path()), old);
}

#[test]
fn two_renders_of_one_folder_do_not_interleave() {
    let project = tempfile::tempdir().unwrap();
    let out = project.path().join("out");
    let held = open_out(project.path(), &out).unwrap();
    let second = write_all(project.path(), &out, &files(NEW)).unwrap_err();
    assert!(second.contains("another clinsafe render is writing"), "{second}");
    drop(held);
    write_all(project.path(), &out, &files(NEW)).unwrap();
}

#[test]
fn links_and_files_in_place_of_the_output_folder_are_refused_in_words() {
    let project = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    symlink(elsewhere.path(), project.path().join("out")).unwrap();
    let e = write_all(project.path(), &project.path().join("out"), &files(NEW)).unwrap_err();
    assert!(e.contains("is a symbolic link"), "{e}");
    // A link between the project and the output folder.
    let e = write_all(project.path(), &project.path().join("out/reports"), &files(NEW)).unwrap_err();
    assert!(e.contains("is a symbolic link"), "{e}");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0, "nothing written through the link");

    let file = project.path().join("report.txt");
    std::fs::write(&file, "x").unwrap();
    let e = write_all(project.path(), &file, &files(NEW)).unwrap_err();
    assert!(e.contains("exists and is not a folder"), "{e}");

    let out = project.path().join("real");
    std::fs::create_dir(&out).unwrap();
    symlink(elsewhere.path(), out.join(".clinsafe-staging")).unwrap();
    let e = write_all(project.path(), &out, &files(NEW)).unwrap_err();
    assert!(e.contains("not what clinsafe writes there"), "{e}");
}
