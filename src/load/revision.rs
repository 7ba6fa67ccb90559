//! The project as it was at a git revision (`diff --since`, `render --since`),
//! written into a private temporary folder and then loaded like any project.
//!
//! Uses the `git` command (plumbing only: `rev-parse`, `cat-file`, `ls-tree`),
//! which runs no hooks, filters or fsmonitor and leaves the work tree and index
//! alone. The old side is as untrusted as the new: only regular files and
//! symbolic links are written, each under the temporary folder (a path with
//! `..` or a link above a file is refused), links are written as links so the
//! loader's confinement refuses one that leads out of the project exactly as
//! it would on disk, and the folder is removed when the [`Checkout`] drops.

use std::io::{BufRead, BufReader, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use crate::files::MAX_FILE_BYTES;

/// A revision's copy of the project, removed on drop.
#[derive(Debug)]
pub struct Checkout {
    dir: tempfile::TempDir,
}

impl Checkout {
    /// The project folder as it was at the revision.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }
}

/// One entry of the revision's tree under the project folder.
struct Entry {
    path: PathBuf,
    object: String,
    link: bool,
}

/// Writes the project under `project` as it was at `revision` into a private
/// temporary folder. Errors are sentences naming the revision.
pub fn checkout(project: &Path, revision: &str) -> Result<Checkout, String> {
    if revision.starts_with('-') || revision.is_empty() || revision.contains(['\0', '\n']) {
        return Err(format!("`{revision}` is not a git revision (nor a folder)"));
    }
    let prefix = git(project, &["rev-parse", "--show-prefix"]).map_err(|e| match e {
        GitError::Failed(msg) if msg.contains("not a git repository") => format!(
            "`{}` is not in a git repository, so --since `{revision}` cannot name a revision \
             (to compare with another copy of the project, give --since that folder)",
            project.display()
        ),
        e => e.describe(),
    })?;
    let prefix = String::from_utf8_lossy(&prefix).trim_end_matches('\n').to_string();
    let commit = git(
        project,
        &["rev-parse", "--verify", "--quiet", "--end-of-options", &format!("{revision}^{{commit}}")],
    )
    .map_err(|e| match e {
        GitError::Failed(_) => {
            let mut msg = format!(
                "there is no revision `{revision}` in the git repository (nor a folder of that name)"
            );
            // CI checks out one commit unless told otherwise: say so, not just "no revision".
            if git(project, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|o| o.starts_with(b"true")) {
                msg.push_str(
                    "; this clone is shallow (only the latest commits, often without tags), as CI \
                     checks out by default: fetch the history first (`git fetch --unshallow --tags`, \
                     or `fetch-depth: 0` for GitHub's actions/checkout, `GIT_DEPTH: 0` on GitLab)",
                );
            }
            msg
        }
        e => e.describe(),
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let tree = format!("{commit}:{}", prefix.trim_end_matches('/'));
    let kind = git(project, &["cat-file", "-t", &tree]).map_err(|_| {
        format!(
            "the project folder `{}` did not exist at revision `{revision}`",
            prefix.trim_end_matches('/')
        )
    })?;
    if kind != b"tree\n" {
        return Err(format!("`{}` was not a folder at revision `{revision}`", prefix.trim_end_matches('/')));
    }
    let listing = git(project, &["ls-tree", "-r", "-z", "--full-tree", &tree]).map_err(|e| e.describe())?;
    let entries = parse_listing(&listing, revision)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix("clinsafe-since-");
    // Private: tempfile's default is the umask's (often readable by every user).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let dir = builder
        .tempdir()
        .map_err(|e| format!("cannot make a temporary folder for revision `{revision}`: {e}"))?;
    write_entries(project, dir.path(), &entries, revision)?;
    Ok(Checkout { dir })
}

/// `ls-tree -r -z` lines: `<mode> <type> <object>\t<path>\0`. Files and links
/// are kept; submodules (`commit`) are not part of the project.
fn parse_listing(listing: &[u8], revision: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let text = String::from_utf8_lossy(record);
        let Some((head, path)) = text.split_once('\t') else { continue };
        let mut parts = head.split(' ');
        let (Some(mode), Some(kind), Some(object)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if kind != "blob" {
            continue;
        }
        let rel = Path::new(path);
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(format!("revision `{revision}` holds a path clinsafe will not write: `{path}`"));
        }
        entries.push(Entry { path: rel.to_path_buf(), object: object.to_string(), link: mode == "120000" });
    }
    Ok(entries)
}

/// Reads every blob through one `git cat-file --batch` and writes it: files
/// first, then links, so no file is ever written through a link.
fn write_entries(project: &Path, root: &Path, entries: &[Entry], revision: &str) -> Result<(), String> {
    let mut child = git_command(project)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| GitError::Spawn(e).describe())?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let objects: String = entries.iter().map(|e| format!("{}\n", e.object)).collect();
    // Written from another thread: git answers while it reads, and both pipes are bounded.
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(objects.as_bytes());
    });
    let mut out = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut links = Vec::new();
    let mut result = Ok(());
    for entry in entries {
        match read_blob(&mut out, entry, revision) {
            Ok(bytes) if entry.link => links.push((entry, bytes)),
            Ok(bytes) => {
                if let Err(e) = write_file(root, &entry.path, &bytes) {
                    result = Err(e);
                    break;
                }
            }
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    drop(out);
    let _ = feeder.join();
    let _ = child.wait();
    result?;
    for (entry, target) in links {
        write_link(root, &entry.path, &target)?;
    }
    Ok(())
}

/// One `<object> blob <size>\n<bytes>\n` answer.
fn read_blob(out: &mut impl BufRead, entry: &Entry, revision: &str) -> Result<Vec<u8>, String> {
    let broken = || format!("git stopped answering while reading revision `{revision}`");
    let mut header = String::new();
    out.read_line(&mut header).map_err(|_| broken())?;
    let size: u64 = header.split(' ').nth(2).and_then(|s| s.trim().parse().ok()).ok_or_else(broken)?;
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "`{}` at revision `{revision}` is larger than {} MiB: clinsafe reads no file that large",
            entry.path.display(),
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    let mut bytes = vec![0; size as usize + 1];
    out.read_exact(&mut bytes).map_err(|_| broken())?;
    bytes.pop(); // the newline after each object
    Ok(bytes)
}

/// Makes each folder above `rel` under `root`, refusing to pass through
/// anything that is not a real folder (a link written earlier).
fn make_parents(root: &Path, rel: &Path) -> Result<PathBuf, String> {
    let mut at = root.to_path_buf();
    if let Some(parent) = rel.parent() {
        for c in parent.components() {
            at.push(c);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(format!("`{}` is both a file and a folder in the revision", rel.display()))
                }
                Err(_) => std::fs::create_dir(&at)
                    .map_err(|e| format!("cannot write the revision's `{}`: {e}", rel.display()))?,
            }
        }
    }
    Ok(root.join(rel))
}

fn write_file(root: &Path, rel: &Path, bytes: &[u8]) -> Result<(), String> {
    let path = make_parents(root, rel)?;
    let mut f = std::fs::File::create_new(&path)
        .map_err(|e| format!("cannot write the revision's `{}`: {e}", rel.display()))?;
    f.write_all(bytes).map_err(|e| format!("cannot write the revision's `{}`: {e}", rel.display()))
}

#[cfg(unix)]
fn write_link(root: &Path, rel: &Path, target: &[u8]) -> Result<(), String> {
    use std::os::unix::ffi::OsStrExt;
    let path = make_parents(root, rel)?;
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), &path)
        .map_err(|e| format!("cannot write the revision's `{}`: {e}", rel.display()))
}

/// Elsewhere a link is left out: the loader then finds no file there.
#[cfg(not(unix))]
fn write_link(_root: &Path, _rel: &Path, _target: &[u8]) -> Result<(), String> {
    Ok(())
}

enum GitError {
    Spawn(std::io::Error),
    Failed(String),
}

impl GitError {
    fn describe(self) -> String {
        match self {
            GitError::Spawn(e) if e.kind() == std::io::ErrorKind::NotFound => {
                "the `git` command was not found: --since REV needs git installed \
                 (to compare with another copy of the project, give --since that folder)"
                    .to_string()
            }
            GitError::Spawn(e) => format!("cannot run git: {e}"),
            GitError::Failed(msg) => format!("git failed: {msg}"),
        }
    }
}

fn git_command(project: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(project).env("GIT_TERMINAL_PROMPT", "0").env("GIT_OPTIONAL_LOCKS", "0");
    cmd
}

/// Runs git in the project folder; its stdout, or the first line of its stderr.
fn git(project: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = git_command(project).args(args).stdin(Stdio::null()).output().map_err(GitError::Spawn)?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(GitError::Failed(
            err.lines().next().unwrap_or("no message").trim_start_matches("fatal: ").to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git_in(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("git is not installed ({e}); .ci/run installs it"));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    #[test]
    #[ignore = "needs git; run by .ci/run"]
    fn a_checkout_is_private_holds_the_subfolder_and_is_removed_on_drop() {
        let repo = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(repo.path().join("case/hazards")).unwrap();
        std::fs::write(repo.path().join("case/clinsafe.yaml"), "clinsafe: 1\n").unwrap();
        std::fs::write(repo.path().join("case/hazards/a.yaml"), "hazards: []\n").unwrap();
        std::fs::write(repo.path().join("outside.yaml"), "not the project\n").unwrap();
        git_in(repo.path(), &["init", "-q"]);
        git_in(repo.path(), &["add", "-A"]);
        git_in(repo.path(), &["commit", "-q", "-m", "one"]);
        let checkout = checkout(&repo.path().join("case"), "HEAD").unwrap();
        let root = checkout.root().to_path_buf();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&root).unwrap().permissions().mode() & 0o777, 0o700);
        }
        assert_eq!(std::fs::read_to_string(root.join("hazards/a.yaml")).unwrap(), "hazards: []\n");
        assert!(!root.join("outside.yaml").exists() && !root.join("case").exists());
        drop(checkout);
        assert!(!root.exists());
    }

    #[test]
    fn paths_that_climb_are_refused() {
        let listing = b"100644 blob 0123\t../escape.yaml\0";
        let err = parse_listing(listing, "v1").err().unwrap();
        assert_eq!(err, "revision `v1` holds a path clinsafe will not write: `../escape.yaml`");
    }
}
