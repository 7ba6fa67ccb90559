//! `clinsafe import FILE`: a spreadsheet hazard log → a new project folder.
//! Never overwrites: it writes a hidden folder beside the target, checks the
//! result loads, then renames it into place.

use std::path::{Path, PathBuf};

use crate::cli::{ImportArgs, ImportFormat};
use crate::diag::{self, human, json::finding_out};
use crate::import::{self, columns::MapFile, emit, locate, sheet};

pub fn run(args: &ImportArgs) -> u8 {
    let out = match &args.out {
        Some(dir) => dir.clone(),
        None => PathBuf::from(args.file.file_stem().unwrap_or_default()),
    };
    if let Some(why) = occupied(&out) {
        return super::usage_error(&format!(
            "{} {why}: clinsafe import never overwrites; name a new folder with --out",
            out.display()
        ));
    }
    let map = match &args.map {
        None => MapFile::default(),
        Some(path) => {
            let text = sheet::regular_file(path)
                .and_then(|()| std::fs::read_to_string(path).map_err(|e| e.to_string()));
            match text.and_then(|t| MapFile::parse(&t)) {
                Ok(m) => m,
                Err(e) => return super::usage_error(&format!("{}: {e}", path.display())),
            }
        }
    };
    let book = match sheet::read(&args.file) {
        Ok(b) => b,
        Err(e) => return super::usage_error(&e),
    };
    let (imported, slips) = match import::import(&book, args.sheet.as_deref(), &map) {
        Ok(r) => r,
        Err(e) => return super::usage_error(&e),
    };
    let place = book.place(imported.sheet);
    let at = |i| book.place(i);
    let mut files = vec![
        ("clinsafe.yaml", emit::manifest(&imported, &at)),
        ("hazards.yaml", emit::hazards(&imported.hazards, &imported.records, &at, imported.sheet)),
        ("controls.yaml", emit::controls(&imported.controls, &imported.records, &at, imported.sheet)),
    ];
    let records = &imported.records;
    if let (Some(sheet), false) = (records.incident_sheet, records.incidents.is_empty()) {
        files.push(("incidents.yaml", emit::incidents(&records.incidents, &book.place(sheet))));
    }
    if let Err(e) = write_new(&out, &files) {
        return super::usage_error(&e);
    }
    let (sources, findings) = locate::findings(&book, &slips);
    let counts = diag::count(&findings);
    let mut counts_read = vec![
        crate::words::count(imported.hazards.len() as u64, "hazard"),
        crate::words::count(imported.controls.len() as u64, "control"),
    ];
    let read = [
        (records.reviews.len(), "review"),
        (records.incidents.len(), "incident"),
        (records.evidence.len(), "evidence item"),
    ];
    for (n, what) in read {
        if n > 0 {
            counts_read.push(crate::words::count(n as u64, what));
        }
    }
    let done =
        format!("imported {} from {place} into {}", crate::words::list_and(&counts_read), out.display());
    match args.format {
        ImportFormat::Human => {
            say!("{}", human::render(&findings, &sources, counts, super::use_color()));
            sayln!("{done}");
        }
        ImportFormat::Json => {
            let json = serde_json::json!({
                "clinsafe": 1,
                "out": out.display().to_string(),
                "summary": { "hazards": imported.hazards.len(), "controls": imported.controls.len(),
                             "reviews": records.reviews.len(), "incidents": records.incidents.len(),
                             "evidence": records.evidence.len(),
                             "warnings": counts.warnings },
                "findings": findings.iter().map(|f| finding_out(f, &sources)).collect::<Vec<_>>(),
            });
            if !super::emit(&(serde_json::to_string_pretty(&json).unwrap_or_default() + "\n")) {
                return 2;
            }
            sayln!("{done}");
        }
    }
    0
}

/// Why `dir` cannot be written to, if it cannot.
fn occupied(dir: &Path) -> Option<&'static str> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some().then_some("exists and is not empty"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(_) if dir.exists() => Some("exists and is not an empty folder"),
        Err(_) => None,
    }
}

/// Writes the files into a hidden folder beside `out`, checks that they load
/// as a project, then renames the folder to `out`.
fn write_new(out: &Path, files: &[(&str, String)]) -> Result<(), String> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let name = out.file_name().map_or_else(|| "import".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{name}.clinsafe-import-{}", std::process::id()));
    let result = (|| {
        std::fs::create_dir(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
        for (file, text) in files {
            std::fs::write(tmp.join(file), text).map_err(|e| format!("cannot write {file}: {e}"))?;
        }
        if let Err(failure) = crate::load::project(&tmp, None) {
            let findings = super::load_findings(&failure);
            say!("{}", human::render(&findings, &failure.sources, diag::count(&findings), false));
            return Err("the imported project does not load: this is a bug in clinsafe import, please report it with the spreadsheet".into());
        }
        if out.is_dir() {
            // Empty (checked before): replaced by the new folder.
            std::fs::remove_dir(out).map_err(|e| format!("cannot replace {}: {e}", out.display()))?;
        }
        std::fs::rename(&tmp, out).map_err(|e| format!("cannot move the project to {}: {e}", out.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
