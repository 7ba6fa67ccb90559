//! Ids for imported items: unique, valid, and as close to the sheet's as possible.

use std::collections::HashSet;

use super::sheet::{number_text, Cell, Sheet};

/// Every id handed out so far (hazards, controls and causes share one space,
/// so no two items look alike).
#[derive(Default)]
pub struct Taken(HashSet<String>);

impl Taken {
    pub fn contains(&self, id: &str) -> bool {
        self.0.contains(id)
    }

    /// `base` if free, else `base-2`, `base-3`, ...; then taken.
    pub fn fresh(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 2;
        while self.0.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.0.insert(id.clone());
        id
    }

    pub fn take(&mut self, id: &str) {
        self.0.insert(id.to_string());
    }
}

/// The width of a column's ids written as digits with leading zeros (the
/// template's 010101), when they all agree: a number cell in that column
/// lost its zeros and gets them back.
pub fn digit_width(sheet: &Sheet, col: usize, from_row: usize) -> Option<usize> {
    let mut width = None;
    for row in &sheet.rows[from_row..] {
        if let Cell::Text(t) = row.cell(col) {
            let t = t.trim();
            if t.len() > 1 && t.starts_with('0') && t.chars().all(|c| c.is_ascii_digit()) {
                match width {
                    None => width = Some(t.len()),
                    Some(w) if w != t.len() => return None,
                    Some(_) => {}
                }
            }
        }
    }
    width
}

/// A number cell read as an id: 10101 → "010101" where the column's ids are six digits.
pub fn number_id(n: f64, width: Option<usize>) -> String {
    let text = number_text(n);
    match width {
        Some(w) if text.len() < w && n >= 0.0 && n.fract() == 0.0 => format!("{text:0>w$}"),
        _ => text,
    }
}
