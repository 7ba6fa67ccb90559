use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ExitCode::from(clinsafe::run(clinsafe::cli::Cli::parse()))
}
