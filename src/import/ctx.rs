//! The state of a walk down the hazard log sheet, and what every step needs:
//! reading a field's cell, reporting a slip, reading an item's id and text.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::columns::{Field, Header};
use super::ids::{number_id, Taken};
use super::ratings::RiskRow;
use super::sheet::{Cell, Row, Workbook};
use super::{values, ControlOut, HazardOut, Slip};

pub(super) struct HazardB {
    pub out: HazardOut,
    pub sheet_id: Option<String>,
    pub cause_sheet_ids: Vec<Option<String>>,
    pub initial: Vec<RiskRow>,
    pub residual: Vec<RiskRow>,
}

pub(super) struct Ctx<'a> {
    pub(super) book: &'a Workbook,
    pub(super) sheet: usize,
    pub(super) header: &'a Header,
    pub(super) slips: &'a mut Vec<Slip>,
    pub(super) widths: HashMap<Field, usize>,
    pub(super) taken: Taken,
    pub(super) hazards: Vec<HazardB>,
    pub(super) hazard_by_sheet_id: HashMap<String, usize>,
    pub(super) controls: Vec<ControlOut>,
    pub(super) control_by_sheet_id: HashMap<String, usize>,
    pub(super) cur_h: Option<usize>,
    pub(super) cur_cause: Option<usize>,
    pub(super) prev_control: Option<usize>,
    /// Column → (first row, count) of numbers stored as text.
    pub(super) texty_numbers: BTreeMap<usize, (u32, usize)>,
    /// Rating column → (first row, count, its colour) of blank cells filled with a colour.
    pub(super) coloured: BTreeMap<usize, (u32, usize, String)>,
    /// (column, value read) → spellings seen, with their first row.
    pub(super) spellings: BTreeMap<(usize, &'static str), Vec<(String, u32)>>,
    /// (control, field) pairs a row has stated (type, status), to report defaults.
    pub(super) stated: HashSet<(usize, Field)>,
    /// Controls read from an "Additional controls" column beside the control column.
    pub(super) additional: HashSet<usize>,
    /// The section heading the rows are under ("Section A: Clinical hazards").
    pub(super) section: Option<String>,
}

impl Ctx<'_> {
    pub fn slip(&mut self, kind: &'static str, row: u32, col: Option<usize>, subject: &str, message: String) {
        self.slips.push(Slip { kind, sheet: self.sheet, row, col, subject: subject.to_string(), message });
    }

    /// Slips about a whole column, reported once after the last row: status
    /// spellings, numbers stored as text.
    pub fn report_column_slips(&mut self) {
        for ((col, read), seen) in std::mem::take(&mut self.spellings) {
            if seen.len() > 1 {
                let list: Vec<String> = seen.iter().map(|(s, _)| format!("\"{s}\"")).collect();
                let name = self.header_name(col);
                for (raw, row) in &seen[1..] {
                    self.slip(
                        "import-status-variant",
                        *row,
                        Some(col),
                        "document",
                        format!(
                            "'{name}' is written {} ways ({}): \"{raw}\" is read as {read}",
                            seen.len(),
                            list.join(", ")
                        ),
                    );
                }
            }
        }
        for (col, (row, count, colour)) in std::mem::take(&mut self.coloured) {
            let name = self.header_name(col);
            self.slip(
                "import-unread-value",
                row,
                Some(col),
                "document",
                format!(
                    "{} in '{name}' {} blank but filled with a colour ({colour} here): clinsafe reads a rating \
                     from what a cell says, not its colour; write the rating (1–5 or the DCB word) in each",
                    crate::words::count(count as u64, "cell"),
                    if count == 1 { "is" } else { "are" }
                ),
            );
        }
        for (col, (row, count)) in std::mem::take(&mut self.texty_numbers) {
            let name = self.header_name(col);
            self.slip(
                "import-number-as-text",
                row,
                Some(col),
                "document",
                format!(
                "{count} cell(s) in '{name}' hold numbers stored as text (the first here): read as numbers"
            ),
            );
        }
    }

    /// A new item's id: the sheet's own where it is free; else `alt` (or a
    /// numbered variant) and a slip saying so.
    pub fn fresh_id(&mut self, id: &str, alt: String, noun: &str, row: u32) -> String {
        if !self.taken.contains(id) {
            self.taken.take(id);
            return id.to_string();
        }
        let new = self.taken.fresh(&alt);
        self.slip("import-id-changed", row, None, &new, format!(
            "{noun} number {id} is already the id of another item (hazards, causes and controls share ids): imported as {new}"
        ));
        new
    }

    pub fn header_name(&self, col: usize) -> String {
        let text = self.header.names.get(col).cloned().unwrap_or_default();
        if text.is_empty() {
            format!("column {}", column_letter(col))
        } else {
            text
        }
    }

    pub fn cell<'r>(&self, row: &'r Row, f: Field) -> Option<(usize, &'r Cell)> {
        let col = *self.header.fields.get(&f)?;
        let cell = row.cell(col);
        (!cell.is_blank()).then_some((col, cell))
    }

    pub fn text(&self, row: &Row, f: Field) -> Option<(usize, String)> {
        self.cell(row, f).map(|(c, cell)| (c, cell.text().trim().to_string()))
    }

    /// A status or type written several ways ("Closed", "closed ") is read
    /// as one; the variants are reported once each, after the last row.
    pub fn spelling(&mut self, col: usize, raw: &str, read: &'static str, row: u32) {
        let seen = self.spellings.entry((col, read)).or_default();
        if !seen.iter().any(|(s, _)| s == raw) {
            seen.push((raw.to_string(), row));
        }
    }

    /// The id and text of a hazard, cause or control on this row, with the
    /// slips an id can have: stored as a number, run into the text, not valid.
    pub fn item(
        &mut self,
        row: &Row,
        id_f: Field,
        text_f: Field,
        noun: &str,
    ) -> (Option<String>, Option<String>) {
        let mut text = self.text(row, text_f).map(|(_, t)| t);
        let mut id = match self.cell(row, id_f) {
            Some((col, Cell::Number(n))) => {
                let id = number_id(*n, self.widths.get(&id_f).copied());
                if !self.book.is_csv {
                    let shown = values_number(*n);
                    self.slip("import-text-as-number", row.number, Some(col), &id, format!(
                        "{noun} id stored as a number ({shown}): read as text \"{id}\" (format the column as text in the sheet)"
                    ));
                }
                Some(id)
            }
            Some((_, cell)) => Some(cell.text().trim().to_string()),
            None => None,
        };
        if let Some(t) = text.clone() {
            if let Some((run_id, rest)) = values::split_run_in(&t) {
                let col = self.header.fields.get(&text_f).copied();
                match &id {
                    None => {
                        self.slip("import-run-in-id", row.number, col, &run_id, format!(
                            "{noun} id {run_id} run into its text (\"{}\"): split into id {run_id} and the text", short(&t)
                        ));
                        id = Some(run_id);
                        text = Some(rest);
                    }
                    Some(i) if *i == run_id => {
                        self.slip(
                            "import-run-in-id",
                            row.number,
                            col,
                            &run_id,
                            format!(
                                "{noun} text starts with its own id {run_id}: the id is left out of the text"
                            ),
                        );
                        text = Some(rest);
                    }
                    Some(_) => {}
                }
            }
        }
        if let (Some(raw), None) = (id.clone(), &text) {
            if let Some((run_id, rest)) = values::split_run_in(&raw) {
                let col = self.header.fields.get(&id_f).copied();
                self.slip("import-run-in-id", row.number, col, &run_id, format!(
                    "{noun} id {run_id} run into its text (\"{}\") in the id column: split into id {run_id} and the text", short(&raw)
                ));
                id = Some(run_id);
                text = Some(rest);
            }
        }
        if let Some(raw) = id.clone() {
            let clean = values::clean_id(&raw);
            if clean != raw {
                let col = self.header.fields.get(&id_f).copied();
                self.slip("import-id-changed", row.number, col, &clean, format!(
                    "{noun} id \"{}\" has spaces or control characters, which ids cannot hold: read as {clean}",
                    raw.escape_debug()
                ));
            }
            id = (!clean.is_empty()).then_some(clean);
        }
        (id, text)
    }
}

fn values_number(n: f64) -> String {
    super::sheet::number_text(n)
}

pub fn short(t: &str) -> String {
    let s: String = t.chars().take(40).collect();
    if s.len() < t.len() {
        format!("{s}…")
    } else {
        s
    }
}

/// A → 0, Z → 25, AA → 26, as spreadsheets letter their columns.
pub fn column_letter(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        out.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}
