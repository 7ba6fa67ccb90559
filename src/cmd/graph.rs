//! `clinsafe graph`: the hazard–control–metric graph as DOT, Mermaid or JSON.

use crate::cli::{GraphArgs, GraphFormat};
use crate::diag::{self, human};
use crate::graph::export;

pub fn run(args: &GraphArgs) -> u8 {
    let as_of = match super::as_of(&args.project) {
        Ok(d) => d,
        Err(e) => return super::usage_error(&e),
    };
    match crate::analyse(&args.project.project, as_of) {
        Ok(a) => {
            let text = match args.format {
                GraphFormat::Dot => export::dot(&a.graph),
                GraphFormat::Mermaid => export::mermaid(&a.graph),
                GraphFormat::Json => export::json(&a.graph),
            };
            if !super::emit(&text) {
                return 2;
            }
            let counts = diag::count(&a.findings);
            if counts.errors + counts.warnings > 0 {
                sayln!("{} (run `clinsafe check` for details)", human::summary(counts));
            }
            diag::exit_code(counts, false)
        }
        Err(failure) => {
            let findings = super::load_findings(&failure);
            let counts = diag::count(&findings);
            say!("{}", human::render(&findings, &failure.sources, counts, super::use_color()));
            2
        }
    }
}
