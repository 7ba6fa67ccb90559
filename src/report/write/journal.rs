//! The report set replaced as a unit. The new files are written to
//! `.clinsafe-staging/`; then `.clinsafe-journal` (written atomically) lists
//! every switch to make; each old file is moved to `.clinsafe-backup/` and
//! the new one into place; removing the journal is the commit. Until then any
//! failure is undone from the backup at once, and a render killed part-way is
//! undone by the next render before it starts, so the folder ends either with
//! the previous set or the new one, never a mix of both.

use std::path::Path;

use crate::files::{read_regular_text, words as io_words};

const MANIFEST: &str = ".clinsafe-manifest";
const STAGING: &str = ".clinsafe-staging";
const BACKUP: &str = ".clinsafe-backup";
const JOURNAL: &str = ".clinsafe-journal";
const JOURNAL_TMP: &str = ".clinsafe-journal.tmp";

/// What a render did besides writing its files.
#[derive(Debug, Default, PartialEq)]
pub struct Written {
    /// Files an earlier render wrote that this one did not, now removed.
    pub removed: Vec<String>,
    /// Set when an interrupted render's leftovers were undone first.
    pub recovered: Option<String>,
}

/// A step a test may make fail (`Fail`) or stop dead as a kill would (`Kill`).
#[derive(Debug)]
pub enum Stop {
    Fail(String),
    #[cfg_attr(not(test), allow(dead_code))]
    Kill,
}

/// Called before every change to the output folder, with a running count.
pub type Fault<'a> = dyn FnMut(usize) -> Result<(), Stop> + 'a;

/// One planned change, as written in the journal.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Switch {
    /// A new file over an old one (the old one goes to the backup).
    Replace,
    /// A new file where none was.
    Add,
    /// A file of an earlier render this one did not write (goes to the backup).
    Remove,
}

/// Refuses helper entries that are links or of the wrong kind (the output
/// folder may have been committed with the project).
pub fn refuse_odd_helpers(out: &Path) -> Result<(), String> {
    for (name, want_dir) in [
        (STAGING, true),
        (BACKUP, true),
        (JOURNAL, false),
        (JOURNAL_TMP, false),
        (MANIFEST, false),
        (super::LOCK, false),
    ] {
        if let Ok(m) = std::fs::symlink_metadata(out.join(name)) {
            let ok = if want_dir { m.is_dir() } else { m.is_file() };
            if !ok {
                return Err(format!(
                    "`{}` is not what clinsafe writes there (a link or another kind of file); remove it",
                    out.join(name).display()
                ));
            }
        }
    }
    Ok(())
}

/// Replaces the report set in `out` (locked by the caller) with `files`, in
/// one go: what [`super::Staged`] does file by file, with every step open to `fault`.
#[cfg(test)]
pub fn replace_set(out: &Path, files: &[(String, Vec<u8>)], fault: &mut Fault) -> Result<Written, String> {
    let recovered = recover(out)?;
    let mut steps = Steps { count: 0, fault };
    let staged = stage(out, files, &mut steps);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    settle(out, staged.and_then(|()| switch_all(out, &names, &mut steps)), recovered)
}

/// Undoes what an interrupted render left, then makes the empty staging folder.
pub(super) fn begin(out: &Path) -> Result<Option<String>, String> {
    let recovered = recover(out)?;
    let staging = out.join(STAGING);
    std::fs::create_dir(&staging).map_err(|e| cannot("create", &staging, &e))?;
    Ok(recovered)
}

/// Makes one new, empty file in the staging folder [`begin`] made, open to
/// write and read back; and its path, shown.
pub(super) fn stage_file(out: &Path, name: &str) -> Result<(std::fs::File, String), String> {
    // Refused before the page is made, not only at the switch.
    if let Err(Stop::Fail(e)) = refuse_theirs(out, &[name]) {
        return Err(e);
    }
    let path = out.join(STAGING).join(name);
    // The staging folder is new: a file already there (or a link) is not ours to write through.
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path);
    Ok((file.map_err(|e| cannot("write", &path, &e))?, path.display().to_string()))
}

/// Switches the staged files (`names`, in the order the manifest lists them) into place.
pub(super) fn commit(out: &Path, names: &[&str], recovered: Option<String>) -> Result<Written, String> {
    let mut no_fault = |_| Ok(());
    let mut steps = Steps { count: 0, fault: &mut no_fault };
    settle(out, switch_all(out, names, &mut steps), recovered)
}

/// Drops what a render staged and never committed: the previous reports were never touched.
pub(super) fn abandon(out: &Path) {
    let _ = std::fs::remove_dir_all(out.join(STAGING));
}

/// After the switch: the leftovers removed, or the previous set put back.
fn settle(
    out: &Path,
    switched: Result<Vec<String>, Stop>,
    recovered: Option<String>,
) -> Result<Written, String> {
    match switched {
        Ok(removed) => {
            // Committed: the leftovers are only clutter now.
            let _ = std::fs::remove_dir_all(out.join(BACKUP));
            let _ = std::fs::remove_dir_all(out.join(STAGING));
            Ok(Written { removed, recovered })
        }
        Err(Stop::Kill) => Err("killed".into()),
        Err(Stop::Fail(e)) => match recover(out) {
            Ok(_) => Err(format!("{e}; the previous reports are left as they were")),
            Err(undo) => Err(format!("{e}; then {undo}")),
        },
    }
}

/// Makes the staging folder and writes `files` into it.
#[cfg(test)]
fn stage(out: &Path, files: &[(String, Vec<u8>)], step: &mut Steps) -> Result<(), Stop> {
    let staging = out.join(STAGING);
    step.run("create", &staging, || std::fs::create_dir(&staging))?;
    for (name, bytes) in files {
        let path = staging.join(name);
        step.run("write", &path, || std::fs::write(&path, bytes))?;
    }
    Ok(())
}

/// Writes the manifest and the journal, then moves each staged file into place.
fn switch_all(out: &Path, names: &[&str], step: &mut Steps) -> Result<Vec<String>, Stop> {
    refuse_theirs(out, names)?;
    let staging = out.join(STAGING);
    let backup = out.join(BACKUP);
    let mut manifest = String::from(
        "# The files the last `clinsafe render` wrote here; the next render removes only\n\
         # files named here that it does not write again.\n",
    );
    for name in names {
        manifest.push_str(name);
        manifest.push('\n');
    }
    let path = staging.join(MANIFEST);
    step.run("write", &path, || std::fs::write(&path, manifest))?;

    let written: Vec<&str> = names.iter().copied().chain([MANIFEST]).collect();
    let removed: Vec<String> = previous_set(out)
        .into_iter()
        .filter(|n| !written.contains(&n.as_str()) && out.join(n).exists())
        .collect();
    let mut plan: Vec<(Switch, &str)> = written
        .iter()
        .map(|n| (if out.join(n).exists() { Switch::Replace } else { Switch::Add }, *n))
        .collect();
    plan.extend(removed.iter().map(|n| (Switch::Remove, n.as_str())));
    let text: String = plan.iter().map(|(s, n)| format!("{s:?} {n}\n")).collect();
    let tmp = out.join(JOURNAL_TMP);
    step.run("write", &tmp, || write_synced(&tmp, &text))?;
    step.run("write", &out.join(JOURNAL), || std::fs::rename(&tmp, out.join(JOURNAL)))?;
    step.run("create", &backup, || std::fs::create_dir(&backup))?;
    for (switch, name) in &plan {
        if matches!(switch, Switch::Replace | Switch::Remove) {
            step.run("move", &out.join(name), || std::fs::rename(out.join(name), backup.join(name)))?;
        }
        if matches!(switch, Switch::Replace | Switch::Add) {
            step.run("move", &out.join(name), || std::fs::rename(staging.join(name), out.join(name)))?;
        }
    }
    let journal = out.join(JOURNAL);
    step.run("remove", &journal, || std::fs::remove_file(&journal))?;
    Ok(removed)
}

/// Refuses to write over a file the last render's manifest does not name: it is
/// the user's own (a `safety-case.html` of theirs in the folder `--out` names),
/// and a report of the same name would replace it without a word.
fn refuse_theirs(out: &Path, names: &[&str]) -> Result<(), Stop> {
    let previous = previous_set(out);
    let theirs: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| std::fs::symlink_metadata(out.join(n)).is_ok() && !previous.iter().any(|p| p == n))
        .collect();
    match theirs.first() {
        None => Ok(()),
        Some(first) => Err(Stop::Fail(format!(
            "`{}` is not a report an earlier render wrote here ({MANIFEST} does not name it{}): clinsafe \
             does not write over a file of yours; move it, or name another folder with --out",
            out.join(first).display(),
            match theirs.len() {
                1 => String::new(),
                n => format!("; nor {} other file(s) of the same names as reports", n - 1),
            }
        ))),
    }
}

/// Undoes an interrupted render: every switch its journal lists is reversed
/// from the backup, then its temporary folders are removed.
pub(super) fn recover(out: &Path) -> Result<Option<String>, String> {
    let journal = out.join(JOURNAL);
    let staging = out.join(STAGING);
    let backup = out.join(BACKUP);
    let mut what = None;
    if journal.exists() {
        let text = read_regular_text(&journal)?;
        for (switch, name) in parse_journal(&text).into_iter().rev() {
            let undo = |r: std::io::Result<()>| r.map_err(|e| cannot("restore", &out.join(&name), &e));
            match switch {
                Switch::Replace | Switch::Remove if backup.join(&name).exists() => {
                    undo(std::fs::rename(backup.join(&name), out.join(&name)))?
                }
                Switch::Add if !staging.join(&name).exists() && out.join(&name).exists() => {
                    undo(std::fs::remove_file(out.join(&name)))?
                }
                _ => {}
            }
        }
        std::fs::remove_file(&journal).map_err(|e| cannot("remove", &journal, &e))?;
        what = Some("an interrupted render was undone: its previous reports are back".to_string());
    }
    // Earlier versions staged in `.clinsafe-render-<pid>/`; a killed one left it behind.
    let legacy = std::fs::read_dir(out).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| {
        p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".clinsafe-render-"))
            && std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
    });
    let leftovers: Vec<_> = [staging, backup, out.join(JOURNAL_TMP)].into_iter().chain(legacy).collect();
    for leftover in leftovers {
        if std::fs::symlink_metadata(&leftover).is_ok() {
            let removed = if leftover.is_dir() {
                std::fs::remove_dir_all(&leftover)
            } else {
                std::fs::remove_file(&leftover)
            };
            removed.map_err(|e| cannot("remove", &leftover, &e))?;
            what.get_or_insert_with(|| "removed the temporary files of an interrupted render".to_string());
        }
    }
    Ok(what)
}

/// The journal's switches; only names a render writes are taken.
fn parse_journal(text: &str) -> Vec<(Switch, String)> {
    text.lines()
        .filter_map(|line| {
            let (switch, name) = line.split_once(' ')?;
            let switch = match switch {
                "Replace" => Switch::Replace,
                "Add" => Switch::Add,
                "Remove" => Switch::Remove,
                _ => return None,
            };
            is_ours(name).then(|| (switch, name.to_string()))
        })
        .collect()
}

/// The files the last render wrote, from its manifest (only names a render writes).
fn previous_set(out: &Path) -> Vec<String> {
    let Ok(text) = read_regular_text(&out.join(MANIFEST)) else { return Vec::new() };
    text.lines().filter(|l| !l.starts_with('#') && is_ours(l)).map(str::to_string).collect()
}

/// Only names a render writes may be taken from a manifest or journal found
/// in the output folder (which a project could have committed).
fn is_ours(name: &str) -> bool {
    name == MANIFEST || crate::report::file_names().any(|n| n == name)
}

/// Runs each change to the output folder, after asking the fault hook.
struct Steps<'a, 'b> {
    count: usize,
    fault: &'a mut Fault<'b>,
}

impl Steps<'_, '_> {
    fn run(&mut self, verb: &str, path: &Path, op: impl FnOnce() -> std::io::Result<()>) -> Result<(), Stop> {
        self.count += 1;
        (self.fault)(self.count)?;
        op().map_err(|e| Stop::Fail(cannot(verb, path, &e)))
    }
}

fn write_synced(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

fn cannot(verb: &str, path: &Path, e: &std::io::Error) -> String {
    format!("cannot {verb} `{}`: {}", path.display(), io_words(e))
}
