//! What a record sheet holds beyond the columns `render --format xlsx` writes: a
//! column added by hand, a name edited beside its id. Kept with the record and
//! reported, never dropped.

use super::{slip, Reader};
use crate::import::sheet::Row;

impl Reader<'_> {
    /// The cells of a column clinsafe does not write (a "Comments" column added by
    /// hand), as "Header: text", for the record to keep (`kept_in` says where); each
    /// such column is reported once, at its first cell.
    pub(super) fn other_cells(&mut self, row: &Row, subject: &str, kept_in: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (col, cell) in row.cells.iter().enumerate() {
            if cell.is_blank() || self.at.contains(&col) {
                continue;
            }
            let name = match self.names.get(col).filter(|n| !n.is_empty()) {
                Some(n) => n.clone(),
                None => format!("column {}", crate::import::ctx::column_letter(col)),
            };
            if !self.others.contains(&col) {
                self.others.push(col);
                let message =
                    format!("'{name}' is not a column clinsafe writes here: its cells are kept in {kept_in}");
                self.slips.push(slip(
                    "import-unmapped-column",
                    self.sheet,
                    row.number,
                    Some(col),
                    subject,
                    message,
                ));
            }
            out.push(format!("{name}: {}", cell.text().trim()));
        }
        out
    }

    /// The log's item named again beside its id (a review's `Hazard Name`, an evidence's
    /// `Control`): a different name there is an edit the log does not have, kept in `notes`.
    pub(super) fn renamed(
        &mut self,
        row: &Row,
        column: usize,
        id: &str,
        kept_in: &str,
        notes: &mut Vec<String>,
    ) {
        let (Some(text), Some(&title)) = (self.text(row, column), self.titles.get(id)) else { return };
        if text != title {
            let name = self.names[self.at[column]].clone();
            let message = format!(
                "'{name}' \"{}\" is not {id}'s name in the hazard log (\"{}\"): the log's is kept, this one is added to {kept_in}",
                crate::import::ctx::short(&text),
                crate::import::ctx::short(title)
            );
            let col = Some(self.at[column]);
            self.slips.push(slip("import-extra-value", self.sheet, row.number, col, id, message));
            notes.push(format!("{name}: {text}"));
        }
    }
}
