//! The command line as plain data (clap derive). Turned into work in `cmd/`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::date::{Date, Month};

#[derive(Parser, Debug)]
#[command(
    name = "clinsafe",
    version,
    about = "Checks a DCB0160 clinical safety case kept as YAML, and renders its documents",
    after_help = "Exit codes: 0 fine; 1 a finding at error level stands (with --deny-warnings: warnings too); \
                  2 the project could not be read or the command line is wrong."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Load, link and check a project; print the findings
    // One list of folders to the user; two fields here, so the first keeps its default.
    #[command(override_usage = "clinsafe check [OPTIONS] [PROJECT]...")]
    Check(CheckArgs),
    /// Write the safety case report, hazard log, DPIA, action checklist and monitoring pack (HTML, PDF)
    Render(RenderArgs),
    /// Preview the HTML reports in a browser, rendered again on every change
    Serve(ServeArgs),
    /// Print the hazard–control–metric graph
    Graph(GraphArgs),
    /// Print the content digest an approval records (sha256:…)
    Digest(DigestArgs),
    /// What changed since a git revision or another copy of the project
    Diff(DiffArgs),
    /// Print the JSON Schema of the YAML files (for editors)
    Schema,
    /// Turn a spreadsheet hazard log (xlsx, xls, ods, csv) into a new project
    Import(ImportArgs),
    /// Write a new project, optionally from the hazard library
    Init(InitArgs),
    /// List the hazard library's entries (for `init --from`)
    Library,
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man(ManArgs),
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// The folder to write the project into (created if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Hazard library entries to start from, comma-separated (see `clinsafe library`)
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub from: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The spreadsheet: .xlsx, .xls, .ods or .csv
    pub file: PathBuf,
    /// The folder to write the project into; must be new or empty [default: the file's name without extension]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The sheet holding the hazard log [default: the one whose header names the most known columns]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// A YAML file naming the columns of a layout other than the NHS template's (see README)
    #[arg(long, value_name = "MAP.yaml")]
    pub map: Option<PathBuf>,
    /// How the slips found are reported (JSON to stdout, as `check --format json`'s findings)
    #[arg(long, value_enum, default_value_t = ImportFormat::Human)]
    pub format: ImportFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Human,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// A subcommand's page instead of the main one (e.g. `check`)
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ProjectArgs {
    /// The project folder (holding clinsafe.yaml)
    #[arg(default_value = ".")]
    pub project: PathBuf,
    /// "Today" for every date check, as YYYY-MM-DD [default: SOURCE_DATE_EPOCH, else today]
    #[arg(long, value_name = "DATE", value_parser = Date::parse)]
    pub as_of: Option<Date>,
}

#[derive(clap::Args, Debug)]
pub struct DigestArgs {
    /// The project folder (holding clinsafe.yaml)
    #[arg(default_value = ".")]
    pub project: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The old side: a git revision (tag, branch, commit) of the repository holding PROJECT, or another copy of the project folder (a folder of that name wins)
    #[arg(long, value_name = "REV_OR_DIR")]
    pub since: String,
    /// Output format (all to stdout; diagnostics to stderr)
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit 1 when the changes hold a warning too (a warning-level finding the old side did not have)
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// a listing for people
    Human,
    /// the shape documented in the README
    Json,
    /// tables for a merge request comment or change note
    Markdown,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// More project folders: each is checked on its own, with one summary per project and a
    /// total; the exit code is the worst (see README, "A portfolio in one run")
    #[arg(value_name = "PROJECT")]
    pub more: Vec<PathBuf>,
    /// Output format (machine formats go to stdout, diagnostics to stderr)
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-style diagnostics on stderr
    Human,
    /// the SPEC's JSON report
    Json,
    /// SARIF 2.1.0 (code scanning)
    Sarif,
    /// JUnit XML (test reports)
    Junit,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// GitLab Code Quality report (JSON)
    Codequality,
}

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output folder [default: PROJECT/out]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Formats to write, comma-separated
    #[arg(long, value_enum, value_delimiter = ',', default_value = "html,pdf")]
    pub format: Vec<RenderFormat>,
    /// A folder of templates that replace the built-in ones by file name
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Write nothing when an error-level finding stands (exit 1)
    #[arg(long)]
    pub strict: bool,
    /// Exit 1 on warnings too (the reports are still written)
    #[arg(long)]
    pub deny_warnings: bool,
    /// The month of the monitoring pack, as YYYY-MM [default: the last complete month before --as-of]
    #[arg(long, value_name = "YYYY-MM", value_parser = Month::parse)]
    pub period: Option<Month>,
    /// Add "Changes since version X" to the safety case and mark changed hazards in the hazard log (a git revision or another copy of the project, as for `diff`)
    #[arg(long, value_name = "REV_OR_DIR")]
    pub since: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The port on 127.0.0.1 (0: any free port)
    #[arg(long, default_value_t = 8160)]
    pub port: u16,
    /// A folder of templates that replace the built-in ones by file name (watched too)
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The month of the monitoring pack, as YYYY-MM [default: the last complete month before --as-of]
    #[arg(long, value_name = "YYYY-MM", value_parser = Month::parse)]
    pub period: Option<Month>,
    /// Show "Changes since version X" as `render --since` does (a git revision or another copy of the project)
    #[arg(long, value_name = "REV_OR_DIR")]
    pub since: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    Html,
    Pdf,
    /// hazard-log.xlsx in the NHS hazard log template's layout
    Xlsx,
}
