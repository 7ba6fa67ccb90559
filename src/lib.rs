//! clinsafe: a clinical safety case kept as YAML → checks and DCB0160 documents.
//!
//! The pipeline, one stage per module:
//! `load` (disk → located raw documents) → `model` (validated types) →
//! `graph` (hazard–control–metric links) → `check` (rules → findings) →
//! `diag` (findings out: human, JSON, SARIF, JUnit) and `report` (documents out).

pub mod check;
pub mod cli;
mod cmd;
pub mod diag;
pub mod graph;
pub mod import;
pub mod library;
pub mod load;
pub mod model;
pub mod report;
pub mod span;
mod suggest;
#[cfg(test)]
mod testutil;

use std::path::Path;

use cli::{Cli, Command};
use diag::Finding;
use graph::Graph;
use model::date::Date;
use model::Project;

/// A project read, linked and checked.
pub struct Analysis {
    pub project: Project,
    pub graph: Graph,
    pub findings: Vec<Finding>,
}

/// load → model → graph → check.
pub fn analyse(root: &Path, as_of: Date) -> Result<Analysis, model::build::LoadFailure> {
    let raw = load::load(root, Some(&root.join("out")));
    let project = model::build(raw)?;
    let graph = graph::build(&project);
    let findings = check::run(&project, &graph, as_of);
    Ok(Analysis { project, graph, findings })
}

/// Runs one command and returns the process exit code (SPEC: 0, 1 or 2).
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => cmd::check::run(&args),
        Command::Render(args) => cmd::render::run(&args),
        Command::Graph(args) => cmd::graph::run(&args),
        Command::Schema => cmd::schema::run(),
        Command::Import(args) => cmd::import::run(&args),
        Command::Init(args) => cmd::init::run(&args),
        Command::Library => cmd::library::run(),
        Command::Completions(args) => cmd::completions::run(&args),
        Command::Man(args) => cmd::completions::man(&args),
    }
}
