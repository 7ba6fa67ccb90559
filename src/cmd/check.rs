//! `clinsafe check`: load, link, check, print; exit 0, 1 or 2.

use crate::cli::{CheckArgs, CheckFormat};
use crate::diag::{self, codequality, github, human, json, junit, sarif, Counts, Finding};
use crate::graph::Graph;
use crate::model::date::Date;
use crate::model::{Project, RuleChange};
use crate::span::Sources;

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
            let changes = a.project.manifest.rules_changed();
            let written = match machine(
                args.format,
                Some((&a.project, &a.graph)),
                &a.findings,
                &changes,
                sources,
                as_of,
                &prefix,
            ) {
                Some(text) => {
                    let written = super::emit(&text);
                    sayln!("{}", human::summary(counts));
                    written
                }
                None => {
                    say!("{}", human::render(&a.findings, sources, counts, super::use_color()));
                    true
                }
            };
            if let Some(line) = human::rules_weakened(&changes) {
                sayln!("{line}");
            }
            let code = if written { diag::exit_code(counts, args.deny_warnings) } else { 2 };
            // The process ends here: skip freeing a large project's tree, which
            // takes measurable time (bench/run.sh) and gains nothing.
            std::mem::forget(a);
            code
        }
        Err(failure) => {
            let findings = super::load_findings(&failure);
            let sources = &failure.sources;
            if let Some(text) = machine(args.format, None, &findings, &[], sources, as_of, &prefix) {
                let _ = super::emit(&text);
            }
            say!("{}", human::render(&findings, sources, diag::count(&findings), super::use_color()));
            sayln!("the project could not be read");
            2
        }
    }
}

/// The findings in a machine format, or `None` for `human` (which goes to
/// stderr). `project` is `None` when the project could not be read;
/// `changes` are the rule levels `rules:` sets (SARIF, JUnit and GitHub name
/// them; JSON has them in its summary; Code Quality has no place: README).
fn machine(
    format: CheckFormat,
    project: Option<(&Project, &Graph)>,
    findings: &[Finding],
    changes: &[RuleChange],
    sources: &Sources,
    as_of: Date,
    prefix: &str,
) -> Option<String> {
    let counts: Counts = diag::count(findings);
    Some(match format {
        CheckFormat::Human => return None,
        CheckFormat::Json => json::render(project, sources, findings, counts, as_of),
        CheckFormat::Sarif => sarif::render(findings, changes, sources, prefix),
        CheckFormat::Junit => junit::render(project.map(|(p, _)| p), findings, changes, sources),
        CheckFormat::Github => github::render(findings, changes, sources, prefix),
        CheckFormat::Codequality => codequality::render(findings, sources, prefix),
    })
}

/// The project folder relative to the working directory, `/`-terminated, so
/// SARIF, GitHub and GitLab paths resolve from the repository root where CI runs.
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
