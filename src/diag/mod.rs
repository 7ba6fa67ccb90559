//! Findings out: one list of findings, several printers, one exit code.

pub mod codequality;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

pub use crate::check::{count, Counts, Finding};
pub use crate::rules::Level;

/// SPEC exit codes: 0 fine; 1 an error-level finding stands (warnings too
/// under `--deny-warnings`); 2 the project could not be read.
pub fn exit_code(counts: Counts, deny_warnings: bool) -> u8 {
    if counts.errors > 0 || (deny_warnings && counts.warnings > 0) {
        1
    } else {
        0
    }
}
