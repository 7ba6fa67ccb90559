//! `clinsafe render`: write the reports, then exit with `check`'s code.
//! [`make`] is the render path itself, shared with `serve`.

use std::path::Path;

use crate::cli::{RenderArgs, RenderFormat};
use crate::diag::{self, human, Counts};
use crate::model::date::{Date, Month};
use crate::report::{self, Rendered};

pub fn run(args: &RenderArgs) -> u8 {
    let as_of = match super::as_of(&args.project) {
        Ok(d) => d,
        Err(e) => return super::usage_error(&e),
    };
    if let Err(e) = super::period_begun(args.period, as_of) {
        return super::usage_error(&e);
    }
    let root = &args.project.project;
    let out_dir = args.out.clone().unwrap_or_else(|| root.join("out"));
    let job = Job {
        root,
        out: &out_dir,
        as_of,
        period: args.period,
        templates: args.templates.as_deref(),
        html: args.format.contains(&RenderFormat::Html),
        pdf: args.format.contains(&RenderFormat::Pdf),
        xlsx: args.format.contains(&RenderFormat::Xlsx),
        strict: args.strict,
        color: super::use_color(),
        since: args.since.as_deref(),
    };
    let Done { rendered, written, counts } = match make(&job) {
        Ok(done) => done,
        Err(NotRendered { diagnostics, code }) => {
            say!("{diagnostics}");
            return code;
        }
    };
    for w in &rendered.warnings {
        sayln!("warning: {w}");
    }
    if let Some(note) = written.recovered {
        sayln!("note: {note}");
    }
    for name in &rendered.names {
        sayln!("wrote {}", out_dir.join(name).display());
    }
    // About to exit: what the render built is not freed piece by piece.
    rendered.scratch.leak();
    for name in &written.removed {
        sayln!("removed {} (an earlier render wrote it; this one did not)", out_dir.join(name).display());
    }
    if counts.errors + counts.warnings > 0 {
        sayln!("{} (shown in the reports; run `clinsafe check` for details)", human::summary(counts));
    }
    diag::exit_code(counts, args.deny_warnings)
}

/// One render of a project, as asked on the command line.
pub struct Job<'a> {
    pub root: &'a Path,
    /// The folder the reports go into (replaced as one set: [`report::write`]).
    pub out: &'a Path,
    pub as_of: Date,
    /// The monitoring pack's month [default: the last complete month before `as_of`].
    pub period: Option<Month>,
    pub templates: Option<&'a Path>,
    pub html: bool,
    pub pdf: bool,
    /// Also `hazard-log.xlsx` in the NHS template's layout.
    pub xlsx: bool,
    /// Render nothing while an error-level finding stands.
    pub strict: bool,
    /// Colour in the diagnostics (only for a terminal).
    pub color: bool,
    /// The old side for "Changes since" (`--since REV_OR_DIR`).
    pub since: Option<&'a str>,
}

/// Why nothing was rendered: the diagnostics for people, ending with what
/// happened, and the exit code.
pub struct NotRendered {
    pub diagnostics: String,
    pub code: u8,
}

/// A render written into its folder.
pub struct Done {
    pub rendered: Rendered,
    pub written: report::write::Written,
    pub counts: Counts,
}

/// load → check → render, each file written into `job.out`'s staging folder
/// as it is made, then the set switched into place. Fails with nothing changed.
pub fn make(job: &Job) -> Result<Done, NotRendered> {
    let fail = |diagnostics: String, code: u8| NotRendered { diagnostics, code };
    let analysis = match crate::analyse(job.root, job.as_of) {
        Ok(a) => a,
        Err(failure) => {
            let findings = super::load_findings(&failure);
            let shown = human::render(&findings, &failure.sources, diag::count(&findings), job.color);
            return Err(fail(format!("{shown}the project could not be read; nothing was written\n"), 2));
        }
    };
    let changes = match job.since {
        Some(since) => Some(
            super::diff::old_side(job.root, since, job.as_of, job.color)
                .map(|old| crate::diff::compare(since, &old, &analysis))
                .map_err(|shown| fail(format!("{shown}nothing was written\n"), 2))?,
        ),
        None => None,
    };
    // A removed hazard is an error of this render too (README, `diff`).
    let findings: std::borrow::Cow<[crate::diag::Finding]> = match &changes {
        Some(c) if !c.raised.is_empty() => [analysis.findings.as_slice(), &c.raised].concat().into(),
        _ => analysis.findings.as_slice().into(),
    };
    let counts = diag::count(&findings);
    if job.strict && counts.errors > 0 {
        let shown = human::render(&findings, &analysis.project.sources, counts, job.color);
        return Err(fail(format!("{shown}--strict: error-level findings stand; nothing was written\n"), 1));
    }
    let overrides = match job.templates {
        Some(dir) => crate::load::templates::read_overrides(dir, &report::templates::names())
            .map_err(|e| fail(format!("error: {e}\n"), 2))?,
        None => Vec::new(),
    };
    let month = job.period.unwrap_or_else(|| Month::last_complete_before(job.as_of));
    let not_written = |e: String| fail(format!("error: {e}\nnothing was written\n"), 2);
    let xlsx = match job.xlsx {
        true => {
            Some(report::xlsx::write(&analysis.project, &analysis.graph, job.as_of).map_err(not_written)?)
        }
        false => None,
    };
    let staged =
        report::write::Staged::open(job.root, job.out).map_err(|e| fail(format!("error: {e}\n"), 2))?;
    // The analysis is freed once the templates' context is made from it (memory).
    let mut rendered =
        report::render_owned(analysis, month, &overrides, job.html, job.pdf, changes.as_ref(), &staged)
            .map_err(|e| not_written(in_templates_folder(e, job.templates, &overrides)))?;
    if let Some((bytes, warnings)) = xlsx {
        report::put(&staged, XLSX, &bytes).map_err(not_written)?;
        rendered.names.push(XLSX.into());
        rendered.warnings.extend(warnings);
    }
    let names: Vec<&str> = rendered.names.iter().map(String::as_str).collect();
    let written = staged.commit(&names).map_err(|e| fail(format!("error: {e}\n"), 2))?;
    Ok(Done { rendered, written, counts })
}

/// A template error's ` --> name:line:col` names the file the user wrote: tera
/// knows a template only by its name, so one from `--templates` gets its folder.
fn in_templates_folder(message: String, dir: Option<&Path>, overrides: &[(String, String)]) -> String {
    let Some(dir) = dir else { return message };
    overrides.iter().fold(message, |m, (name, _)| {
        m.replace(&format!(" --> {name}:"), &format!(" --> {}:", dir.join(name).display()))
    })
}

/// The NHS template's hazard log sheet (`--format xlsx`).
const XLSX: &str = "hazard-log.xlsx";
