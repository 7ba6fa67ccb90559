//! `clinsafe render`: write the reports, then exit with `check`'s code.

use crate::cli::{RenderArgs, RenderFormat};
use crate::diag::{self, human};
use crate::report;

pub fn run(args: &RenderArgs) -> u8 {
    let as_of = match super::as_of(&args.project) {
        Ok(d) => d,
        Err(e) => return super::usage_error(&e),
    };
    let root = &args.project.project;
    let out_dir = args.out.clone().unwrap_or_else(|| root.join("out"));
    let analysis = match crate::analyse(root, as_of) {
        Ok(a) => a,
        Err(failure) => {
            let findings = super::load_findings(&failure);
            eprint!(
                "{}",
                human::render(&findings, &failure.sources, diag::count(&findings), super::use_color())
            );
            eprintln!("the project could not be read; nothing was written");
            return 2;
        }
    };
    let counts = diag::count(&analysis.findings);
    if args.strict && counts.errors > 0 {
        eprint!(
            "{}",
            human::render(&analysis.findings, &analysis.project.sources, counts, super::use_color())
        );
        eprintln!("--strict: error-level findings stand; nothing was written");
        return 1;
    }
    let overrides = match &args.templates {
        Some(dir) => match crate::load::templates::read_overrides(dir, &report::templates::names()) {
            Ok(o) => o,
            Err(e) => return super::usage_error(&e),
        },
        None => Vec::new(),
    };
    let month = args.period.unwrap_or_else(|| crate::model::date::Month::of(as_of));
    let html = args.format.contains(&RenderFormat::Html);
    let pdf = args.format.contains(&RenderFormat::Pdf);
    let rendered = match report::render(&analysis, month, &overrides, html, pdf) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("nothing was written");
            return 2;
        }
    };
    for w in &rendered.warnings {
        eprintln!("warning: {w}");
    }
    let files = rendered.files;
    if let Err(e) = report::write::write_all(&out_dir, &files) {
        eprintln!("error: {e}");
        return 2;
    }
    for (name, _) in &files {
        eprintln!("wrote {}", out_dir.join(name).display());
    }
    if counts.errors + counts.warnings > 0 {
        eprintln!("{} (shown in the reports; run `clinsafe check` for details)", human::summary(counts));
    }
    diag::exit_code(counts, args.deny_warnings)
}
