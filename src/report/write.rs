//! Writing reports: all files go to a temporary folder beside the output
//! first and are moved into place only when every one was written, so a
//! failed render leaves the previous reports as they were.

use std::path::Path;

pub fn write_all(out: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create `{}`: {e}", out.display()))?;
    let tmp = out.join(format!(".clinsafe-render-{}", std::process::id()));
    let result = (|| {
        std::fs::create_dir_all(&tmp).map_err(|e| format!("cannot create `{}`: {e}", tmp.display()))?;
        for (name, bytes) in files {
            std::fs::write(tmp.join(name), bytes).map_err(|e| format!("cannot write `{name}`: {e}"))?;
        }
        for (name, _) in files {
            std::fs::rename(tmp.join(name), out.join(name))
                .map_err(|e| format!("cannot move `{name}` into `{}`: {e}", out.display()))?;
        }
        // Files of a name `render` may write (`super::file_names`) that this
        // render did not produce (a DPIA since removed, say) are deleted, so
        // no stale document sits beside fresh ones.
        for stale in super::file_names().filter(|n| !files.iter().any(|(f, _)| f == n)) {
            let path = out.join(&stale);
            if path.exists() {
                std::fs::remove_file(&path).map_err(|e| format!("cannot remove stale `{stale}`: {e}"))?;
            }
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}
