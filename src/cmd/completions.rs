//! `clinsafe completions SHELL` and `clinsafe man [COMMAND]`: generated from the
//! same clap definition the binary parses with, so they cannot drift.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};

pub fn run(args: &CompletionsArgs) -> u8 {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "clinsafe", &mut buf);
    emit(&buf)
}

pub fn man(args: &ManArgs) -> u8 {
    let mut cmd = Cli::command();
    cmd.build();
    let page = match &args.command {
        None => cmd,
        Some(name) => {
            let names: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
            match cmd.find_subcommand(name) {
                // Named `clinsafe-check` etc., as git and cargo name theirs.
                Some(sub) => sub.clone().version(env!("CARGO_PKG_VERSION")),
                None => {
                    let hint = crate::suggest::did_you_mean(name, names.iter().map(String::as_str))
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    return super::usage_error(&format!(
                        "no command `{name}`{hint} (commands: {})",
                        names.join(", ")
                    ));
                }
            }
        }
    };
    let mut buf = Vec::new();
    if let Err(e) = clap_mangen::Man::new(page).render(&mut buf) {
        sayln!("error: cannot write the man page: {e}");
        return 2;
    }
    emit(&buf)
}

/// Writes to stdout; a closed pipe (`| head`) is not a panic.
pub(crate) fn emit(bytes: &[u8]) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            sayln!("error: cannot write to stdout: {e}");
            2
        }
    }
}
