//! `clinsafe library`: the embedded hazard library's entries, one a line.

use crate::library::ENTRIES;

pub fn run() -> u8 {
    let code = super::completions::emit(listing().as_bytes());
    sayln!("Start a project from entries with: clinsafe init DIR --from NAME[,NAME…]");
    code
}

/// `name  title: summary`, names padded to one column.
pub fn listing() -> String {
    let width = ENTRIES.iter().map(|e| e.name.len()).max().unwrap_or(0);
    ENTRIES
        .iter()
        .map(|e| {
            let meta = e.meta();
            format!("{:<width$}  {}: {}\n", e.name, meta.title, meta.summary.trim())
        })
        .collect()
}
