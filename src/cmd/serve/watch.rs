//! Which file changes make `serve` render again: anything in the project
//! (or the templates folder) except the output folder and hidden files and
//! folders, which the loader skips too (`.git/` churns on every commit).
//! Reads are not changes: rendering opens every file, and would otherwise
//! set off the next render.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// Changes arriving within this time of each other become one render
/// (an editor's save is often several events).
const QUIET: Duration = Duration::from_millis(150);

/// Watches `folders`; sends `()` for each relevant change. Keep the returned
/// watcher alive for as long as changes should arrive.
pub fn start(
    folders: &[PathBuf],
    ignore: PathBuf,
    changed: Sender<()>,
) -> Result<RecommendedWatcher, String> {
    let roots: Vec<PathBuf> =
        folders.iter().map(|f| f.canonicalize().unwrap_or_else(|_| f.clone())).collect();
    let ignore = ignore.canonicalize().unwrap_or(ignore);
    let watched = roots.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        if event.paths.iter().any(|p| relevant(p, &watched, &ignore)) {
            let _ = changed.send(());
        }
    })
    .map_err(|e| format!("cannot watch for changes: {e}"))?;
    for root in &roots {
        watcher
            .watch(root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch `{}`: {e}", root.display()))?;
    }
    Ok(watcher)
}

/// Waits for a change, then until changes stop for a moment. `false` once
/// the watcher is gone.
pub fn next_batch(changes: &Receiver<()>) -> bool {
    if changes.recv().is_err() {
        return false;
    }
    loop {
        match changes.recv_timeout(QUIET) {
            Ok(()) => {}
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}

fn relevant(path: &Path, roots: &[PathBuf], ignore: &Path) -> bool {
    if path.starts_with(ignore) {
        return false;
    }
    roots.iter().any(|root| {
        path.strip_prefix(root)
            .is_ok_and(|rel| !rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_and_hidden_paths_do_not_count() {
        let roots = [PathBuf::from("/p")];
        let out = Path::new("/p/out");
        assert!(relevant(Path::new("/p/hazards/h.yaml"), &roots, out));
        assert!(relevant(Path::new("/p/clinsafe.yaml"), &roots, out));
        assert!(!relevant(Path::new("/p/out/safety-case.html"), &roots, out));
        assert!(!relevant(Path::new("/p/.git/index"), &roots, out));
        assert!(!relevant(Path::new("/p/hazards/.h.yaml.swp"), &roots, out));
        assert!(!relevant(Path::new("/elsewhere/x.yaml"), &roots, out));
    }
}
