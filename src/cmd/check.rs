//! `clinsafe check`: load, link, check, print; exit 0, 1 or 2.

use crate::cli::{CheckArgs, CheckFormat};
use crate::diag::{self, human, json, junit, sarif};

pub fn run(args: &CheckArgs) -> u8 {
    let as_of = match super::as_of(&args.project) {
        Ok(d) => d,
        Err(e) => return super::usage_error(&e),
    };
    let root = &args.project.project;
    let prefix = uri_prefix(root);
    match crate::analyse(root, as_of) {
        Ok(a) => {
            let counts = diag::count(&a.findings);
            let sources = &a.project.sources;
            let written = match args.format {
                CheckFormat::Human => {
                    eprint!("{}", human::render(&a.findings, sources, counts, super::use_color()));
                    true
                }
                CheckFormat::Json => super::emit(&json::render(
                    Some((&a.project, &a.graph)),
                    sources,
                    &a.findings,
                    counts,
                    as_of,
                )),
                CheckFormat::Sarif => super::emit(&sarif::render(&a.findings, sources, &prefix)),
                CheckFormat::Junit => super::emit(&junit::render(Some(&a.project), &a.findings, sources)),
            };
            if args.format != CheckFormat::Human {
                eprintln!("{}", human::summary(counts));
            }
            if let Some(line) = human::rules_weakened(&a.project.manifest.rules_changed()) {
                eprintln!("{line}");
            }
            let code = if written { diag::exit_code(counts, args.deny_warnings) } else { 2 };
            // The process ends here: skip freeing a large project's tree, which
            // takes measurable time (bench/run.sh) and gains nothing.
            std::mem::forget(a);
            code
        }
        Err(failure) => {
            let findings = super::load_findings(&failure);
            let counts = diag::count(&findings);
            let sources = &failure.sources;
            let _ = match args.format {
                CheckFormat::Human => true,
                CheckFormat::Json => super::emit(&json::render(None, sources, &findings, counts, as_of)),
                CheckFormat::Sarif => super::emit(&sarif::render(&findings, sources, &prefix)),
                CheckFormat::Junit => super::emit(&junit::render(None, &findings, sources)),
            };
            eprint!("{}", human::render(&findings, sources, counts, super::use_color()));
            eprintln!("the project could not be read");
            2
        }
    }
}

/// The project folder relative to the working directory, `/`-terminated, so
/// SARIF URIs resolve from the repository root where CI runs.
fn uri_prefix(root: &std::path::Path) -> String {
    let (Ok(cwd), Ok(abs)) = (std::env::current_dir(), root.canonicalize()) else { return String::new() };
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    match abs.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => String::new(),
        Ok(rel) => {
            rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/") + "/"
        }
        Err(_) => String::new(),
    }
}
