//! The record sheets `render --format xlsx` writes beside the log (`Reviews`,
//! `Incidents`, `Evidence`; [`super::RECORD_SHEETS`]), read back by their column names, so
//! a workbook exported, edited and imported again keeps its reviews and
//! incident log. A cell that cannot be read is a slip and its text is kept
//! (a review's in its outcome, an incident's as a comment above it), never dropped.

use std::collections::HashMap;

mod extra;

use super::sheet::{Row, Sheet, Workbook};
use super::{values, ControlOut, HazardOut, RiskOut, Slip, RECORD_SHEETS};

const REVIEWS: &str = RECORD_SHEETS[0].0;
const INCIDENTS: &str = RECORD_SHEETS[1].0;
const EVIDENCE: &str = RECORD_SHEETS[2].0;
use crate::model::date::Date;
use crate::model::status::{Harm, IncidentStatus};

/// A control's evidence row, to be written under its control's `evidence:`.
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceOut {
    pub control: String,
    pub reference: String,
    pub date: Option<Date>,
    pub valid_until: Option<Date>,
    /// The description, and any date cell that could not be read, as written.
    pub description: Option<String>,
    pub row: u32,
}

/// A hazard review row, to be written under its hazard's `reviews:`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewOut {
    pub hazard: String,
    pub date: Date,
    pub by: Option<String>,
    pub outcome: Option<String>,
    pub initial: Option<RiskOut>,
    pub residual: Option<RiskOut>,
    pub row: u32,
}

/// An incident row, to be written to `incidents.yaml`.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentOut {
    pub id: String,
    pub date: Date,
    pub title: String,
    pub reference: Option<String>,
    pub harm: Option<Harm>,
    pub hazards: Vec<String>,
    pub controls: Vec<String>,
    pub status: Option<IncidentStatus>,
    pub learning: Option<String>,
    /// Cells that could not be read, as written (the format has no notes on an incident:
    /// they are written as comments).
    pub unread: Vec<String>,
    pub row: u32,
}

/// What the record sheets hold, and the sheet each came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Records {
    pub reviews: Vec<ReviewOut>,
    pub incidents: Vec<IncidentOut>,
    pub evidence: Vec<EvidenceOut>,
    pub review_sheet: Option<usize>,
    pub evidence_sheet: Option<usize>,
    pub incident_sheet: Option<usize>,
}

/// The columns `render --format xlsx` writes (it takes their names from here).
pub const REVIEW_COLUMNS: [&str; 11] = [
    "Hazard #",
    "Hazard Name",
    "Review Date",
    "Reviewed By",
    "Outcome",
    "Initial Consequence",
    "Initial Likelihood",
    "Initial Risk",
    "Residual Consequence",
    "Residual Likelihood",
    "Residual Risk",
];
pub const INCIDENT_COLUMNS: [&str; 9] =
    ["Incident #", "Date", "Title", "Reference", "Harm", "Hazards", "Controls", "Status", "Learning"];
pub const EVIDENCE_COLUMNS: [&str; 6] =
    ["Control #", "Control", "Evidence", "Date", "Valid Until", "Description"];

/// Reads every sheet named as a record sheet whose first row names its columns, but
/// the sheets already `taken` (the log, cover, version history). A record sheet without
/// them, or a record of a hazard or control the log does not list, is reported and not imported.
pub fn read(
    book: &Workbook,
    taken: &[Option<usize>],
    (hazards, controls): (&[HazardOut], &[ControlOut]),
    slips: &mut Vec<Slip>,
) -> Records {
    let mut out = Records::default();
    for (i, sheet) in book.sheets.iter().enumerate().filter(|(i, _)| !taken.contains(&Some(*i))) {
        let Some((name, what)) = RECORD_SHEETS.iter().find(|(name, _)| *name == sheet.name) else {
            continue;
        };
        let columns = match *name {
            REVIEWS => &REVIEW_COLUMNS[..],
            INCIDENTS => &INCIDENT_COLUMNS[..],
            _ => &EVIDENCE_COLUMNS[..],
        };
        let Some((header, at)) = header(sheet, columns) else {
            let row = sheet.rows.first().map_or(1, |r| r.number);
            let message = format!(
                "sheet '{}' holds {what}, but its first row is not the header clinsafe writes ({}): not imported",
                sheet.name,
                columns.join(", ")
            );
            slips.push(slip("import-sheet-skipped", i, row, None, "document", message));
            continue;
        };
        let rows = sheet.rows.iter().skip(header + 1).filter(|r| !r.is_blank());
        let names = sheet.rows[header].cells.iter().map(|c| c.text().trim().to_string()).collect();
        let titles = match *name {
            REVIEWS => hazards.iter().map(|h| (h.id.as_str(), h.title.as_str())).collect(),
            EVIDENCE => controls.iter().map(|c| (c.id.as_str(), c.title.as_str())).collect(),
            _ => HashMap::new(),
        };
        let mut reader = Reader { sheet: i, at, names, others: Vec::new(), titles, slips };
        let unlisted = |slips: &mut Vec<Slip>, kind: &str, id: &str, row: u32| {
            let message = format!("{kind} of `{id}`, which the hazard log does not list: not imported");
            slips.push(slip("import-unread-value", i, row, None, id, message));
        };
        if *name == EVIDENCE {
            out.evidence_sheet = Some(i);
            for e in rows.filter_map(|r| reader.evidence(r)).collect::<Vec<_>>() {
                if controls.iter().any(|c| c.id == e.control) {
                    out.evidence.push(e);
                } else {
                    unlisted(reader.slips, "evidence", &e.control, e.row);
                }
            }
        } else if *name == REVIEWS {
            out.review_sheet = Some(i);
            for review in rows.filter_map(|r| reader.review(r)).collect::<Vec<_>>() {
                if hazards.iter().any(|h| h.id == review.hazard) {
                    out.reviews.push(review);
                } else {
                    unlisted(reader.slips, "a review", &review.hazard, review.row);
                }
            }
        } else {
            out.incidents.extend(rows.filter_map(|r| reader.incident(r)));
            out.incident_sheet = Some(i);
        }
    }
    out
}

/// The first non-blank row, when it names every column: its index and each column's position.
fn header(sheet: &Sheet, columns: &[&str]) -> Option<(usize, Vec<usize>)> {
    let (index, row) = sheet.rows.iter().enumerate().find(|(_, r)| !r.is_blank())?;
    let names: Vec<String> = row.cells.iter().map(|c| c.text().trim().to_lowercase()).collect();
    let at =
        columns.iter().map(|c| names.iter().position(|n| *n == c.to_lowercase())).collect::<Option<_>>()?;
    Some((index, at))
}

fn slip(
    kind: &'static str,
    sheet: usize,
    row: u32,
    col: Option<usize>,
    subject: &str,
    message: String,
) -> Slip {
    Slip { kind, sheet, row, col, subject: subject.to_string(), message }
}

struct Reader<'a> {
    sheet: usize,
    /// Each expected column's position in the sheet.
    at: Vec<usize>,
    /// The header row's cells, to name a column clinsafe does not write.
    names: Vec<String>,
    /// Such columns already reported (once each, at their first cell).
    others: Vec<usize>,
    /// The log's id → name of the items this sheet's rows name (hazards, controls).
    titles: HashMap<&'a str, &'a str>,
    slips: &'a mut Vec<Slip>,
}

impl Reader<'_> {
    fn text(&self, row: &Row, column: usize) -> Option<String> {
        let cell = row.cell(self.at[column]);
        (!cell.is_blank()).then(|| cell.text().trim().to_string())
    }

    /// An id cell, without the spaces or control characters ids cannot hold: a change is
    /// reported, as the log's ids are.
    fn id(&mut self, row: &Row, column: usize, noun: &str) -> Option<String> {
        let raw = self.text(row, column)?;
        let clean = values::clean_id(&raw);
        if clean != raw {
            let message = format!(
                "{noun} id \"{}\" has spaces or control characters, which ids cannot hold: read as {clean}",
                raw.escape_debug()
            );
            let col = Some(self.at[column]);
            self.slips.push(slip("import-id-changed", self.sheet, row.number, col, &clean, message));
        }
        Some(clean)
    }

    fn unread(&mut self, row: &Row, column: usize, subject: &str, message: String) {
        let col = Some(self.at[column]);
        self.slips.push(slip("import-unread-value", self.sheet, row.number, col, subject, message));
    }

    /// A required date; a row without one cannot be written, and says so.
    fn date(&mut self, row: &Row, column: usize, subject: &str, what: &str) -> Option<Date> {
        let cell = row.cell(self.at[column]);
        let date = cell.as_date();
        if date.is_none() {
            let found = if cell.is_blank() { "nothing".to_string() } else { format!("'{}'", cell.text()) };
            let message = format!("{what} needs a date, found {found}: row not imported");
            self.unread(row, column, subject, message);
        }
        date
    }

    /// An optional date; one that cannot be read is reported and its text returned to keep.
    fn optional_date(&mut self, row: &Row, column: usize, subject: &str) -> (Option<Date>, Option<String>) {
        let cell = row.cell(self.at[column]);
        if cell.is_blank() {
            return (None, None);
        }
        match cell.as_date() {
            Some(d) => (Some(d), None),
            None => {
                let text = cell.text();
                let message = format!("'{text}' is not a date clinsafe can read: kept in the description");
                self.unread(row, column, subject, message);
                (None, Some(format!("{}: {text}", EVIDENCE_COLUMNS[column])))
            }
        }
    }

    fn evidence(&mut self, row: &Row) -> Option<EvidenceOut> {
        let Some(control) = self.id(row, 0, "control") else {
            let message = "evidence needs the control it supports (Control #): row not imported";
            self.unread(row, 0, "document", message.into());
            return None;
        };
        let Some(reference) = self.text(row, 2) else {
            self.unread(row, 2, &control, "evidence needs its reference: row not imported".into());
            return None;
        };
        let (date, bad_date) = self.optional_date(row, 3, &control);
        let (valid_until, bad_until) = self.optional_date(row, 4, &control);
        let mut description: Vec<String> =
            self.text(row, 5).into_iter().chain(bad_date).chain(bad_until).collect();
        self.renamed(row, 1, &control, "the evidence's description", &mut description);
        description.extend(self.other_cells(row, &control, "each evidence's description"));
        Some(EvidenceOut {
            description: (!description.is_empty()).then(|| description.join("\n\n")),
            control,
            reference,
            date,
            valid_until,
            row: row.number,
        })
    }

    /// A rating from its consequence and likelihood columns (`TBC` or blank: not rated).
    fn risk(&mut self, row: &Row, first: usize, subject: &str, notes: &mut Vec<String>) -> Option<RiskOut> {
        if self.text(row, first).is_none() && self.text(row, first + 1).is_none() {
            return None;
        }
        Some(RiskOut {
            severity: self.rating_word(row, first, values::severity, subject, notes),
            likelihood: self.rating_word(row, first + 1, values::likelihood, subject, notes),
        })
    }

    /// One rating word; one clinsafe does not know is reported and kept in `notes`.
    fn rating_word<T>(
        &mut self,
        row: &Row,
        column: usize,
        parse: fn(&str) -> Option<T>,
        subject: &str,
        notes: &mut Vec<String>,
    ) -> Option<T> {
        let text = self.text(row, column).filter(|t| !values::is_tbc(t))?;
        let value = parse(&text);
        if value.is_none() {
            let name = REVIEW_COLUMNS[column];
            self.unread(
                row,
                column,
                subject,
                format!("'{text}' is not a {name} clinsafe knows: kept in the outcome"),
            );
            notes.push(format!("{name}: {text}"));
        }
        value
    }

    /// One of a closed list of words (`all`, named by `word`); another is reported and kept in `notes`.
    fn choice<T: Copy>(
        &mut self,
        row: &Row,
        column: usize,
        (all, word): (&[T], fn(T) -> &'static str),
        subject: &str,
        notes: &mut Vec<String>,
    ) -> Option<T> {
        let text = self.text(row, column)?;
        if let Some(v) = all.iter().copied().find(|v| word(*v).eq_ignore_ascii_case(&text)) {
            return Some(v);
        }
        let known: Vec<&str> = all.iter().map(|v| word(*v)).collect();
        let name = INCIDENT_COLUMNS[column];
        let message = format!(
            "'{text}' is not a {name} clinsafe knows ({}): kept as a comment above the incident",
            known.join(", ")
        );
        self.unread(row, column, subject, message);
        notes.push(format!("{name}: {text}"));
        None
    }

    fn review(&mut self, row: &Row) -> Option<ReviewOut> {
        let Some(hazard) = self.id(row, 0, "hazard") else {
            self.unread(
                row,
                0,
                "document",
                "a review needs the hazard it reviews (Hazard #): row not imported".into(),
            );
            return None;
        };
        let date = self.date(row, 2, &hazard, "a review")?;
        let mut notes = Vec::new();
        let initial = self.risk(row, 5, &hazard, &mut notes);
        let residual = self.risk(row, 8, &hazard, &mut notes);
        self.renamed(row, 1, &hazard, "the review's outcome", &mut notes);
        notes.extend(self.other_cells(row, &hazard, "each review's outcome"));
        let outcome = self.text(row, 4).into_iter().chain(notes).collect::<Vec<_>>().join("\n\n");
        Some(ReviewOut {
            by: self.text(row, 3),
            outcome: (!outcome.is_empty()).then_some(outcome),
            hazard,
            date,
            initial,
            residual,
            row: row.number,
        })
    }

    fn incident(&mut self, row: &Row) -> Option<IncidentOut> {
        let Some(id) = self.id(row, 0, "incident") else {
            self.unread(row, 0, "document", "an incident needs its id (Incident #): row not imported".into());
            return None;
        };
        let date = self.date(row, 1, &id, "an incident")?;
        let Some(title) = self.text(row, 2) else {
            self.unread(row, 2, &id, "an incident needs a title: row not imported".into());
            return None;
        };
        let mut notes = Vec::new();
        let harm = self.choice(row, 4, (&Harm::ALL, Harm::as_str), &id, &mut notes);
        let status = self.choice(row, 7, (&IncidentStatus::ALL, IncidentStatus::as_str), &id, &mut notes);
        notes.extend(self.other_cells(row, &id, "a comment above each incident"));
        let ids = |text: Option<String>| values::id_list(&text.unwrap_or_default());
        Some(IncidentOut {
            reference: self.text(row, 3),
            hazards: ids(self.text(row, 5)),
            controls: ids(self.text(row, 6)),
            learning: self.text(row, 8),
            id,
            date,
            title,
            harm,
            status,
            unread: notes,
            row: row.number,
        })
    }
}
