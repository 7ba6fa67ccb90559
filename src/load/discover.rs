//! Which files make up a project (SPEC §1): `clinsafe.yaml` at the root and every
//! other `*.yaml`/`*.yml` below it (any case), except under hidden folders and the output folder.
//! Hidden files (`.gitlab-ci.yml`, `.pre-commit-config.yaml`) are skipped too: they
//! belong to other tools, and a project may live at a repository's root.
//!
//! Symbolic links are never followed here, and never skipped in silence: a
//! link named `*.yaml`, a link to a folder and a link that loops or leads
//! nowhere are each reported at their own name (a hazard log that vanished
//! would check clean). Following them could leave the project, loop, or read
//! one file twice under two names.

use std::path::{Path, PathBuf};

pub struct ProjectFile {
    pub path: PathBuf,
    /// Relative to the project root, `/`-separated.
    pub name: String,
    pub is_manifest: bool,
    /// Why this entry is not read (a link, a pipe): reported at the file.
    pub refused: Option<String>,
}

/// Folders nested deeper than this are not followed (a guard, not a feature).
const MAX_DEPTH: usize = 32;

/// All project files in a stable order (manifest first, then by path).
pub fn project_files(root: &Path, exclude: Option<&Path>) -> Result<Vec<ProjectFile>, String> {
    let mut out = Vec::new();
    let real = exclude.and_then(|p| p.canonicalize().ok());
    let exclude = exclude.map(|given| Exclude { given, real: real.as_deref() });
    walk(root, root, exclude, 0, &mut out)?;
    out.sort_by(|a, b| (!a.is_manifest, &a.name).cmp(&(!b.is_manifest, &b.name)));
    Ok(out)
}

/// The output folder, not part of the project; as named (it may be a link,
/// which `render` refuses in its own words) and as resolved.
#[derive(Clone, Copy)]
struct Exclude<'a> {
    given: &'a Path,
    real: Option<&'a Path>,
}

fn walk(
    root: &Path,
    dir: &Path,
    exclude: Option<Exclude>,
    depth: usize,
    out: &mut Vec<ProjectFile>,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read folder `{}`: {}", dir.display(), crate::files::words(&e)))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read folder `{}`: {e}", dir.display()))?;
        let path = entry.path();
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with('.') {
            continue;
        }
        if exclude.is_some_and(|ex| path == ex.given) {
            continue;
        }
        let Ok(kind) = entry.file_type() else { continue };
        // `HAZ-010.YAML` too: Windows tools and exports write upper-case
        // extensions, and a file passed over would drop its items unnoticed.
        let lower = file_name.to_ascii_lowercase();
        let is_yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
        let refused = if kind.is_dir() {
            let excluded =
                exclude.is_some_and(|ex| ex.real.is_some() && path.canonicalize().ok().as_deref() == ex.real);
            if !excluded {
                walk(root, &path, exclude, depth + 1, out)?;
            }
            continue;
        } else if kind.is_symlink() {
            // Stat the target only to tell a folder; its bytes are never read.
            let target = std::fs::metadata(&path);
            if !is_yaml && target.as_ref().is_ok_and(|m| !m.is_dir()) {
                continue; // a link to some other kind of file is not a project file
            }
            let what = match &target {
                Ok(m) if m.is_dir() => "a symbolic link to a folder",
                Ok(_) => "a symbolic link",
                Err(_) => "a symbolic link that loops or leads nowhere",
            };
            Some(format!(
                "this is {what}: clinsafe does not follow links in a project folder \
                 (one could lead outside it, loop, or read a file twice); put the file or folder itself here"
            ))
        } else if !is_yaml {
            continue;
        } else if kind.is_file() && depth > 0 && file_name == "clinsafe.yaml" {
            // Read as an items file it gave one "belongs in the manifest" error per key.
            Some(
                "this is another project's manifest: a project folder cannot hold another project; \
                 check that one on its own (`clinsafe check` with its folder) and move it out of this one"
                    .into(),
            )
        } else if kind.is_file() {
            None
        } else {
            Some(
                "this is not a regular file (a pipe, socket or device): clinsafe reads only ordinary files"
                    .into(),
            )
        };
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        out.push(ProjectFile { is_manifest: name == "clinsafe.yaml", name, path, refused });
    }
    Ok(())
}
