//! `clinsafe check A B C …`: a portfolio of projects in one process, each
//! checked on its own (on all cores), printed in the order given, with one
//! summary per project, a total, and the worst exit code.

use std::path::PathBuf;

use super::check::{check_one, Keep, Outcome};
use crate::cli::{CheckArgs, CheckFormat};
use crate::diag::human;
use crate::model::date::Date;

pub fn run(args: &CheckArgs, as_of: Date) -> u8 {
    if args.format == CheckFormat::Junit {
        return super::usage_error(
            "`--format junit` takes one project: a JUnit report describes one project's rules and \
             hazards, so run `clinsafe check --format junit` once per project",
        );
    }
    let roots: Vec<PathBuf> = std::iter::once(&args.project.project).chain(&args.more).cloned().collect();
    let mut outcomes = Vec::with_capacity(roots.len());
    let mut worst = 0;
    let check =
        |_: usize, root: &PathBuf| check_one(root, args.format, as_of, args.deny_warnings, Keep::Drop);
    // Each project's own loading uses threads too; this one needs only the
    // stack those have (deep YAML is deserialized here).
    crate::parallel::in_order(&roots, usize::MAX, crate::load::PARSER_STACK_BYTES, check, |i, o| {
        // Diagnostics stream out as each project is done; stdout waits for
        // the whole document (one JSON array, one SARIF log).
        super::say(&format!("==> {} <==\n{}\n", roots[i].display(), o.stderr));
        worst = worst.max(o.code(true));
        outcomes.push(o);
    });
    let stdout = combined(args.format, &roots, &outcomes);
    if let Some(text) = stdout {
        if !super::emit(&text) {
            worst = 2;
        }
    }
    super::say(&total(&outcomes));
    worst
}

/// The last line: how many projects, how many found wanting, all findings counted.
fn total(outcomes: &[Outcome]) -> String {
    use crate::words::count;
    let unreadable = outcomes.iter().filter(|o| !o.readable).count();
    let failing = outcomes.iter().filter(|o| o.readable && o.code(true) == 1).count();
    let errors: usize = outcomes.iter().map(|o| o.counts.errors).sum();
    let warnings: usize = outcomes.iter().map(|o| o.counts.warnings).sum();
    format!(
        "total: {}; {} failing, {} could not be read; {}\n",
        count(outcomes.len() as u64, "project"),
        failing,
        unreadable,
        human::summary(crate::diag::Counts { errors, warnings }),
    )
}

/// The machine formats of several projects as one document.
fn combined(format: CheckFormat, roots: &[PathBuf], outcomes: &[Outcome]) -> Option<String> {
    let texts = outcomes.iter().map(|o| o.stdout.as_deref().unwrap_or_default());
    Some(match format {
        CheckFormat::Human | CheckFormat::Junit => return None,
        // One report per project, in the order given, each naming its project.
        CheckFormat::Json => json_array(
            texts.zip(roots).map(|(text, root)| with_project_key(text, &root.display().to_string())),
        ),
        CheckFormat::Codequality => {
            json_array(texts.flat_map(|t| array_items(t).map(str::to_string)).collect::<Vec<_>>())
        }
        // Workflow commands are lines, and their paths are already relative to the working folder.
        CheckFormat::Github => texts.collect(),
        CheckFormat::Sarif => sarif_runs(texts, roots),
    })
}

/// `{ "project": PATH, …the single-project report… }`. The report is
/// serde_json's pretty output, which always opens with `{` and a newline.
fn with_project_key(report: &str, project: &str) -> String {
    let key = serde_json::to_string(project).expect("a string serializes");
    match report.strip_prefix("{\n") {
        Some(rest) => format!("{{\n  \"project\": {key},\n{rest}"),
        None => report.to_string(),
    }
}

/// The items of a pretty-printed JSON array (`[]` or `[\n  …,\n  …\n]`), as text.
fn array_items(text: &str) -> impl Iterator<Item = &str> {
    let inner = text.trim().strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or_default();
    let inner = inner.trim_matches('\n');
    (!inner.trim().is_empty()).then_some(inner).into_iter()
}

fn json_array(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| i.as_ref().trim_end().to_string()).collect();
    if items.is_empty() {
        return "[]\n".into();
    }
    format!("[\n{}\n]\n", items.join(",\n"))
}

/// One SARIF log with a run per project. Each run gets its project as
/// `automationDetails.id`, which GitHub code scanning needs to keep runs of
/// one tool apart.
fn sarif_runs<'a>(texts: impl Iterator<Item = &'a str>, roots: &[PathBuf]) -> String {
    use serde_sarif::sarif::{RunAutomationDetails, Sarif};
    let mut log: Option<Sarif> = None;
    for (text, root) in texts.zip(roots) {
        let Ok(mut one) = serde_json::from_str::<Sarif>(text) else { continue };
        for run in &mut one.runs {
            let id = format!("clinsafe/{}/", root.display());
            run.automation_details = Some(RunAutomationDetails::builder().id(id).build());
        }
        match &mut log {
            None => log = Some(one),
            Some(log) => log.runs.append(&mut one.runs),
        }
    }
    log.map(|l| serde_json::to_string_pretty(&l).expect("SARIF serializes") + "\n").unwrap_or_default()
}
