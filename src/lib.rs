//! clinsafe: a clinical safety case kept as YAML → checks and DCB0160 documents.
//!
//! The pipeline, one stage per module:
//! `load` (disk → validated `model` types) → `graph` (hazard–control–metric
//! links) → `facts` (what is true on `as_of`) → `check` (rules → findings) →
//! `diag` (findings out: human, JSON, SARIF, JUnit, GitHub, GitLab) and `report` (documents out).
//! `span`, `model` and `rules` are the vocabulary every stage shares; they
//! import no stage. See README, "Design notes".

// stderr is written only through `cmd::say`, which survives a closed or full stderr.
#![deny(clippy::print_stderr, clippy::print_stdout)]

pub mod check;
pub mod cli;
mod cmd;
pub mod diag;
pub mod diff;
pub mod excerpt;
pub mod facts;
pub mod files;
#[cfg(test)]
mod fuzz_tests;
pub mod graph;
pub mod import;
#[cfg(test)]
#[path = "layers_tests.rs"]
mod layers;
pub mod library;
pub mod load;
pub mod model;
pub mod parallel;
pub mod report;
pub mod rules;
pub mod span;
mod suggest;
#[cfg(test)]
mod testutil;
pub mod words;

use std::path::Path;

use check::Finding;
use cli::{Cli, Command};
use facts::Facts;
use graph::Graph;
use model::date::Date;
use model::Project;

/// A project read, linked, evaluated on `as_of` and checked: everything the
/// printers and the reports receive.
pub struct Analysis {
    pub project: Project,
    pub graph: Graph,
    /// What is true on `facts.as_of`; findings and report flags both come from it.
    pub facts: Facts,
    pub findings: Vec<Finding>,
}

impl Analysis {
    /// "Today" for this analysis.
    pub fn as_of(&self) -> Date {
        self.facts.as_of
    }
}

/// load → graph → facts → check.
pub fn analyse(root: &Path, as_of: Date) -> Result<Analysis, load::LoadFailure> {
    let project = load::project(root, Some(&root.join("out")))?;
    // Independent of each other: the facts are decided on a second core while the graph is built.
    let (facts, graph) = parallel::beside(|| facts::evaluate(&project, as_of), || graph::build(&project));
    let findings = check::run(&project, &graph, &facts);
    Ok(Analysis { project, graph, facts, findings })
}

/// Runs one command and returns the process exit code (SPEC: 0, 1 or 2).
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => cmd::check::run(&args),
        Command::Render(args) => cmd::render::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
        Command::Graph(args) => cmd::graph::run(&args),
        Command::Digest(args) => cmd::digest::run(&args),
        Command::Diff(args) => cmd::diff::run(&args),
        Command::Schema => cmd::schema::run(),
        Command::Import(args) => cmd::import::run(&args),
        Command::Init(args) => cmd::init::run(&args),
        Command::Library => cmd::library::run(),
        Command::Completions(args) => cmd::completions::run(&args),
        Command::Man(args) => cmd::completions::man(&args),
    }
}
