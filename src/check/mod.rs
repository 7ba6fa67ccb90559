//! STAGE 4 — rules as pure functions of (project, graph, facts). One file per
//! family; levels come from the registry (`crate::rules`) and project overrides are applied
//! once, at the end, in [`apply_overrides`].

mod controls;
mod dates;
mod document;
mod dpia;
mod finding;
mod go_live;
mod hazards;
mod incidents;
mod links;
mod manufacturer;
mod metrics;
mod text;

pub use finding::{bound, count, finding, sort, Counts, Finding};

use crate::facts::Facts;
use crate::graph::{Graph, Kind};
use crate::model::date::Date;
use crate::model::status::RuleSetting;
use crate::model::{Control, Project};
use crate::rules::Level;
use crate::span::Span;

/// What every rule may look at. `as_of` is "today": rules never read the clock.
pub struct Context<'a> {
    pub project: &'a Project,
    pub graph: &'a Graph,
    /// What is true on `as_of` (overdue, due next, metric status), decided once.
    pub facts: &'a Facts,
    pub as_of: Date,
}

impl Context<'_> {
    /// `file:line` of a span, for notes that point at a second place.
    pub fn place(&self, span: Span) -> String {
        format!("{}:{}", self.project.sources.name(span.file), span.line)
    }

    /// The hazard's controls that are only planned (not yet in place).
    pub fn planned_controls_of(&self, hazard: &str) -> Vec<&str> {
        self.graph
            .controls_of(hazard)
            .into_iter()
            .filter(|c| {
                self.control(c).is_some_and(|x| x.status == crate::model::status::ControlStatus::Planned)
            })
            .collect()
    }

    /// The control with this id (the first, if the id is duplicated).
    pub fn control(&self, id: &str) -> Option<&Control> {
        let item = &self.graph.graph[self.graph.node(id)?];
        (item.kind == Kind::Control).then(|| &self.project.controls[item.index])
    }
}

/// Runs every rule and returns the findings, overrides applied, in stable order.
pub fn run(project: &Project, graph: &Graph, facts: &Facts) -> Vec<Finding> {
    let cx = Context { project, graph, facts, as_of: facts.as_of };
    type Family = fn(&Context, &mut Vec<Finding>);
    let run = |families: &[Family]| {
        let mut out = Vec::new();
        families.iter().for_each(|family| family(&cx, &mut out));
        out
    };
    // The text rules (a third of the rules' time on a large project) run on a
    // second core beside the others; their findings still come last, as when
    // run one after another, so the order (a stable sort below) is the same.
    let (text, mut out) = crate::parallel::beside(
        || run(&[text::check]),
        || {
            run(&[
                links::check,
                hazards::check,
                incidents::check,
                controls::check,
                manufacturer::check,
                dates::check,
                metrics::check,
                document::check,
                go_live::check,
                dpia::check,
            ])
        },
    );
    out.extend(text);
    let mut out = apply_overrides(out, project);
    bound(&mut out);
    sort(&mut out, &project.sources);
    out
}

/// The project's `rules:` settings: change a finding's level or drop it.
fn apply_overrides(findings: Vec<Finding>, project: &Project) -> Vec<Finding> {
    let rules = &project.manifest.rules;
    findings
        .into_iter()
        .filter_map(|mut f| {
            match rules.get(f.rule) {
                Some(RuleSetting::Off) => return None,
                Some(RuleSetting::Error) => f.level = Level::Error,
                Some(RuleSetting::Warning) => f.level = Level::Warning,
                None => {}
            }
            Some(f)
        })
        .collect()
}

/// "a control that is only planned: CTL-1", or "controls that are only planned: CTL-1, CTL-2".
pub fn only_planned(ids: &[&str]) -> String {
    let noun = crate::words::one_or_more(
        ids.len(),
        "a control that is only planned",
        "controls that are only planned",
    );
    format!("{noun}: {}", list(ids))
}

/// "HAZ-001, HAZ-002" or "none".
pub fn list(ids: &[&str]) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}
