//! One entry function per subcommand.

/// Writes to stderr through [`say`]; use instead of `eprint!`.
macro_rules! say {
    ($($arg:tt)*) => { $crate::cmd::say(&format!($($arg)*)) };
}

/// Writes a line to stderr through [`say`]; use instead of `eprintln!`.
macro_rules! sayln {
    ($($arg:tt)*) => { $crate::cmd::say(&format!("{}\n", format_args!($($arg)*))) };
}

pub mod check;
pub mod completions;
pub mod diff;
pub mod digest;
pub mod graph;
pub mod import;
pub mod init;
pub mod library;
mod portfolio;
pub mod render;
pub mod schema;
pub mod serve;

use std::io::IsTerminal;

use crate::cli::ProjectArgs;
use crate::diag::Finding;
use crate::load::LoadFailure;
use crate::model::date::{Date, Month};

/// "Today": `--as-of`, else `SOURCE_DATE_EPOCH`, else the system date. The
/// only place clinsafe reads a clock.
pub fn as_of(args: &ProjectArgs) -> Result<Date, String> {
    if let Some(d) = args.as_of {
        return Ok(d);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        return epoch
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(Date::from_unix)
            .ok_or_else(|| format!("SOURCE_DATE_EPOCH=`{epoch}` is not a Unix timestamp in seconds"));
    }
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Date::from_unix(secs).ok_or_else(|| "the system clock is out of range".to_string())
}

/// Colour only for a terminal, and never with `NO_COLOR` set.
pub fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Load errors as findings (rule `invalid-input`), so every printer can show them.
pub fn load_findings(failure: &LoadFailure) -> Vec<Finding> {
    let mut findings: Vec<Finding> = failure
        .errors
        .iter()
        .map(|e| Finding {
            rule: crate::rules::INVALID_INPUT.id,
            level: crate::rules::INVALID_INPUT.level,
            subject: failure.sources.name(e.span.file).to_string(),
            message: e.message.clone(),
            span: Some(e.span),
            notes: Vec::new(),
        })
        .collect();
    crate::check::bound(&mut findings);
    findings
}

/// Writes a command's result to stdout. A reader that stops early (`| head`)
/// is not an error; any other failure (a full disk) is reported, and the
/// caller exits 2 rather than leave a truncated report looking complete.
#[must_use]
pub fn emit(text: &str) -> bool {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            sayln!("error: cannot write to stdout: {e}");
            false
        }
    }
}

/// Every stderr write goes through here. `eprint!` panics (exit 101) when
/// stderr is closed or full (`2>&1 | head -1`, `2>/dev/full`); diagnostics
/// are not worth dying for, and the exit code still says how the run went.
pub fn say(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// `--period` names a month that has begun as of `--as-of`: a pack for a later
/// month would say nothing was breached in a month no one has seen yet.
pub fn period_begun(period: Option<Month>, as_of: Date) -> Result<(), String> {
    let now = Month::of(as_of);
    match period {
        Some(p) if p > now => Err(format!(
            "--period {} has not begun as of {as_of}: the monthly pack reports a month up to {} (or give a later --as-of)",
            p.to_string_ym(),
            now.to_string_ym()
        )),
        _ => Ok(()),
    }
}

/// A command-line problem found after parsing (exit 2).
pub fn usage_error(message: &str) -> u8 {
    sayln!("error: {message}");
    2
}
