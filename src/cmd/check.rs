//! `clinsafe check`: load, link, check, print; exit 0, 1 or 2.

use std::path::Path;

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
    if !args.more.is_empty() {
        return super::portfolio::run(args, as_of);
    }
    let outcome = check_one(&args.project.project, args.format, as_of, args.deny_warnings, Keep::Leak);
    outcome.print()
}

/// What checking one project printed and how it ended, held so several
/// projects checked on several threads can be printed in order.
pub struct Outcome {
    /// The machine format's text (stdout); `None` for `human`.
    pub stdout: Option<String>,
    /// Diagnostics, the summary and the weakened-rules line (stderr).
    pub stderr: String,
    pub counts: Counts,
    /// `false` when the project could not be read (exit 2).
    pub readable: bool,
    pub deny_warnings: bool,
}

impl Outcome {
    /// Writes stdout then stderr, as a single `check` always has, and returns the exit code.
    pub fn print(&self) -> u8 {
        let written = self.stdout.as_ref().is_none_or(|text| super::emit(text));
        say!("{}", self.stderr);
        self.code(written)
    }

    /// The exit code, given whether stdout could be written.
    pub fn code(&self, written: bool) -> u8 {
        match (self.readable, written) {
            (true, true) => diag::exit_code(self.counts, self.deny_warnings),
            _ => 2,
        }
    }
}

/// Whether to free the analysis after printing.
#[derive(Clone, Copy, PartialEq)]
pub enum Keep {
    /// The process ends right after: skip freeing a large project's tree,
    /// which takes measurable time (bench/run.sh) and gains nothing.
    Leak,
    /// More projects follow in this process: free it.
    Drop,
}

/// Load, link and check one project; the text it prints, not yet printed.
pub fn check_one(root: &Path, format: CheckFormat, as_of: Date, deny_warnings: bool, keep: Keep) -> Outcome {
    let prefix = uri_prefix(root);
    match crate::analyse(root, as_of) {
        Ok(a) => {
            let counts = diag::count(&a.findings);
            let sources = &a.project.sources;
            let changes = a.project.manifest.rules_changed();
            let stdout =
                machine(format, Some((&a.project, &a.graph)), &a.findings, &changes, sources, as_of, &prefix);
            let mut stderr = match stdout {
                Some(_) => format!("{}\n", human::summary(counts)),
                None => human::render(&a.findings, sources, counts, super::use_color()),
            };
            if let Some(line) = human::rules_weakened(&changes) {
                stderr.push_str(&line);
                stderr.push('\n');
            }
            if keep == Keep::Leak {
                std::mem::forget(a);
            }
            Outcome { stdout, stderr, counts, readable: true, deny_warnings }
        }
        Err(failure) => {
            let findings = super::load_findings(&failure);
            let sources = &failure.sources;
            let counts = diag::count(&findings);
            let stdout = machine(format, None, &findings, &[], sources, as_of, &prefix);
            let mut stderr = human::render(&findings, sources, counts, super::use_color());
            stderr.push_str("the project could not be read\n");
            Outcome { stdout, stderr, counts, readable: false, deny_warnings }
        }
    }
}

/// The findings in a machine format, or `None` for `human` (which goes to
/// stderr). `project` is `None` when the project could not be read;
/// `changes` are the rule levels `rules:` sets (SARIF, JUnit and GitHub name
/// them; JSON has them in its summary; Code Quality has no place: README).
pub(super) fn machine(
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
/// SARIF, GitHub and GitLab paths resolve from the repository root where CI runs;
/// a project outside the working directory is reached with `../` steps.
fn uri_prefix(root: &std::path::Path) -> String {
    let (Ok(cwd), Ok(abs)) = (std::env::current_dir(), root.canonicalize()) else { return String::new() };
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let shared = cwd.components().zip(abs.components()).take_while(|(a, b)| a == b).count();
    let up = cwd.components().count() - shared;
    let down = abs.components().skip(shared).map(|c| c.as_os_str().to_string_lossy().into_owned());
    let steps: Vec<String> = std::iter::repeat_n("..".to_string(), up).chain(down).collect();
    if steps.is_empty() {
        String::new()
    } else {
        steps.join("/") + "/"
    }
}
