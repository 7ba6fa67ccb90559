//! User template overrides (`render --templates DIR`): read here, like every
//! other input file.

use std::path::Path;

/// Reads `DIR/<name>` for each known template name present. Unknown `*.html`
/// or `*.css` files are reported, since a misspelt name would silently do nothing.
pub fn read_overrides(dir: &Path, known: &[&str]) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read templates folder `{}`: {e}", dir.display()))?;
    let mut out = Vec::new();
    let mut names: Vec<String> =
        entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for name in names {
        let is_template = name.ends_with(".html") || name.ends_with(".css");
        if !is_template {
            continue;
        }
        if !known.contains(&name.as_str()) {
            let hint = crate::suggest::did_you_mean(&name, known.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_else(|| format!("; known templates: {}", known.join(", ")));
            return Err(format!("`{}` is not a clinsafe template{hint}", dir.join(&name).display()));
        }
        // Only the regular files themselves: a template folder kept in the
        // repository is as untrusted as the project, and a link or pipe there
        // would quote a file from elsewhere into the reports, or wait forever.
        let bytes = crate::files::read_regular(&dir.join(&name))
            .map_err(|e| format!("cannot read template `{name}`: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|_| format!("template `{name}` is not valid UTF-8"))?;
        out.push((name, text));
    }
    Ok(out)
}
