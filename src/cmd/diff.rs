//! `clinsafe diff --since REV_OR_DIR`: analyse the project then and now, print
//! what changed. Exit 0; 1 when the changes hold an error (a removed hazard,
//! or an error-level finding the old side did not have), or with
//! `--deny-warnings` a new warning; 2 when either side cannot be read.

use std::path::Path;

use crate::cli::{DiffArgs, DiffFormat};
use crate::diag::{self, human};
use crate::model::date::Date;
use crate::Analysis;

pub fn run(args: &DiffArgs) -> u8 {
    let as_of = match super::as_of(&args.project) {
        Ok(d) => d,
        Err(e) => return super::usage_error(&e),
    };
    let root = &args.project.project;
    let color = super::use_color();
    let new = match crate::analyse(root, as_of) {
        Ok(a) => a,
        Err(failure) => {
            let findings = super::load_findings(&failure);
            say!("{}", human::render(&findings, &failure.sources, diag::count(&findings), color));
            sayln!("the project could not be read");
            return 2;
        }
    };
    let old = match old_side(root, &args.since, as_of, color) {
        Ok(a) => a,
        Err(diagnostics) => {
            say!("{diagnostics}");
            return 2;
        }
    };
    let changes = crate::diff::compare(&args.since, &old, &new);
    let text = match args.format {
        // Titles may hold control characters (a YAML `\e`): shown, never sent to the terminal.
        DiffFormat::Human => crate::excerpt::visible(&crate::diff::text::human(&changes)).into_owned(),
        DiffFormat::Json => serde_json::to_string_pretty(&changes).unwrap_or_default() + "\n",
        DiffFormat::Markdown => crate::excerpt::visible(&crate::diff::text::markdown(&changes)).into_owned(),
    };
    if !super::emit(&text) {
        return 2;
    }
    let s = &changes.summary;
    u8::from(s.errors > 0 || (args.deny_warnings && s.warnings > 0))
}

/// The project as `since` names it: a folder (when one of that name exists),
/// else a git revision of the repository holding `root`, analysed on the same
/// `as_of`. On failure, the diagnostics to print, each file named as
/// `REV:path` (or under the folder) so no one mistakes it for today's.
pub fn old_side(root: &Path, since: &str, as_of: Date, color: bool) -> Result<Analysis, String> {
    let folder = Path::new(since);
    let checkout;
    let (dir, prefix) = if folder.is_dir() {
        (folder, format!("{}/", since.trim_end_matches('/')))
    } else {
        checkout = crate::load::revision::checkout(root, since).map_err(|e| format!("error: {e}\n"))?;
        (checkout.root(), format!("{since}:"))
    };
    crate::analyse(dir, as_of).map_err(|mut failure| {
        failure.sources.rename_all(|name| format!("{prefix}{name}"));
        let findings = super::load_findings(&failure);
        let shown = human::render(&findings, &failure.sources, diag::count(&findings), color);
        format!("{shown}the project as it was at `{since}` could not be read\n")
    })
}
