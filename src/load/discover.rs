//! Which files make up a project (SPEC §1): `clinsafe.yaml` at the root and every
//! other `*.yaml`/`*.yml` below it, except under hidden folders and the output folder.
//! Hidden files (`.gitlab-ci.yml`, `.pre-commit-config.yaml`) are skipped too: they
//! belong to other tools, and a project may live at a repository's root.

use std::path::{Path, PathBuf};

pub struct ProjectFile {
    pub path: PathBuf,
    /// Relative to the project root, `/`-separated.
    pub name: String,
    pub is_manifest: bool,
}

/// Folders nested deeper than this are not followed (a guard, not a feature).
const MAX_DEPTH: usize = 32;

/// All project files in a stable order (manifest first, then by path).
pub fn project_files(root: &Path, exclude: Option<&Path>) -> Result<Vec<ProjectFile>, String> {
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut out = Vec::new();
    walk(root, root, exclude.as_deref(), 0, &mut out)?;
    out.sort_by(|a, b| (!a.is_manifest, &a.name).cmp(&(!b.is_manifest, &b.name)));
    Ok(out)
}

fn walk(
    root: &Path,
    dir: &Path,
    exclude: Option<&Path>,
    depth: usize,
    out: &mut Vec<ProjectFile>,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read folder `{}`: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read folder `{}`: {e}", dir.display()))?;
        let path = entry.path();
        let file_name = entry.file_name().to_string_lossy().into_owned();
        // Symlinks are not followed: they could loop or leave the project.
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            let excluded = exclude.is_some_and(|ex| path.canonicalize().is_ok_and(|p| p == ex));
            if !file_name.starts_with('.') && !excluded {
                walk(root, &path, exclude, depth + 1, out)?;
            }
        } else if kind.is_file()
            && !file_name.starts_with('.')
            && (file_name.ends_with(".yaml") || file_name.ends_with(".yml"))
        {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let name =
                rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push(ProjectFile { is_manifest: name == "clinsafe.yaml", name, path });
        }
    }
    Ok(())
}
