//! `clinsafe import`: a spreadsheet hazard log → a format v1 project.
//!
//! Stages, each its own file: read the sheets ([`sheet`]) → find the header
//! and map columns ([`columns`]) → group rows into hazard × cause × control
//! ([`group`], with [`ratings`] and [`ids`]) → the cover and version sheets
//! ([`cover`], [`manufacturer`]) → write YAML ([`emit`]). Every slip found on the way is a
//! [`Slip`], located by sheet and row, and turned into a finding ([`locate`]).

pub mod columns;
pub mod cover;
mod ctx;
pub mod emit;
mod fields;
mod group;
mod ids;
pub mod locate;
mod manufacturer;
mod ratings;
pub mod records;
mod related;
pub mod sheet;
pub mod values;

use crate::model::date::Date;
use crate::model::risk::{Likelihood, Severity};
use crate::model::status::{ControlStatus, ControlType, DocumentStatus, HazardStatus};
use columns::MapFile;
use sheet::Workbook;

/// Something in the sheet that clinsafe had to resolve, and how it did.
#[derive(Clone, Debug, PartialEq)]
pub struct Slip {
    /// A stable name, e.g. `import-reused-id` (shown where a rule's name is).
    pub kind: &'static str,
    pub sheet: usize,
    pub row: u32,
    /// 0-based column, when the slip is about one cell.
    pub col: Option<usize>,
    /// The item it concerns (an id), or `document`.
    pub subject: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RiskOut {
    pub severity: Option<Severity>,
    pub likelihood: Option<Likelihood>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CauseOut {
    pub id: String,
    pub text: String,
    pub controls: Vec<String>,
    pub row: u32,
    /// Written as plain text, not an item: no number on the sheet and no
    /// control linked through it (as clinsafe's own export writes such a cause).
    pub plain: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HazardOut {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub harm: Option<String>,
    pub effects: Vec<String>,
    pub causes: Vec<CauseOut>,
    /// Controls on rows with no cause.
    pub controls: Vec<String>,
    pub initial: Option<RiskOut>,
    pub residual: Option<RiskOut>,
    pub justification: Option<String>,
    pub owner: Option<String>,
    pub status: Option<HazardStatus>,
    pub raised_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub review_by: Option<Date>,
    /// For a transferred hazard (TBC when the sheet does not say: the format needs to whom).
    pub transferred_to: Option<String>,
    /// For a withdrawn hazard (TBC when the sheet does not say: the format needs why).
    pub withdrawn_reason: Option<String>,
    pub category: Option<String>,
    pub raised_by: Option<String>,
    pub closed_by: Option<String>,
    /// The manufacturer's hazard this one localises.
    pub source: Option<String>,
    /// As written ("6 months"); read as a period when the project loads.
    pub review_every: Option<String>,
    pub tags: Vec<String>,
    pub related: Vec<String>,
    pub references: Vec<String>,
    pub notes: Vec<String>,
    pub rows: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ControlOut {
    pub id: String,
    pub title: String,
    pub control_type: ControlType,
    pub status: ControlStatus,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub due: Option<Date>,
    pub last_done: Option<Date>,
    /// As written ("3 months"); checked to read as a period.
    pub every: Option<String>,
    /// The control's id in the manufacturer's report.
    pub transferred_from: Option<String>,
    pub references: Vec<String>,
    pub notes: Vec<String>,
    pub rows: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HistoryOut {
    pub version: String,
    pub date: Option<Date>,
    pub author: Option<String>,
    pub summary: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ManifestOut {
    pub system_name: String,
    pub system_version: Option<String>,
    pub supplier: Option<String>,
    pub organisation: Option<String>,
    pub ods_code: Option<String>,
    pub document_id: String,
    pub document_version: String,
    pub status: Option<DocumentStatus>,
    pub date: Option<Date>,
    pub review_by: Option<Date>,
    pub owner: Option<String>,
    pub authors: Vec<String>,
    pub cso: Option<String>,
    /// The manufacturer's DCB0129 report, when the cover names it or an item
    /// points into it (`source`).
    pub manufacturer: Option<ManufacturerOut>,
    pub history: Vec<HistoryOut>,
    pub notes: Vec<String>,
    /// Where the cover and version sheets were (sheet index, for comments).
    pub cover_sheet: Option<usize>,
    pub history_sheet: Option<usize>,
}

/// The manufacturer's report as the cover sheet gives it; a `reference` of
/// None is written as a placeholder for the user to fill.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ManufacturerOut {
    pub reference: Option<String>,
    pub version: Option<String>,
    pub date: Option<Date>,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<Date>,
}

/// A whole imported hazard log, ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub manifest: ManifestOut,
    pub hazards: Vec<HazardOut>,
    pub controls: Vec<ControlOut>,
    /// The sheet the hazard log came from.
    pub sheet: usize,
    /// Reviews and incidents, from the record sheets `render --format xlsx` writes.
    pub records: records::Records,
}

/// The sheets of records that `render --format xlsx` writes beside the log, by name, with
/// what they hold (read back by [`records`]).
pub const RECORD_SHEETS: [(&str, &str); 3] = [
    ("Reviews", "hazard reviews"),
    ("Incidents", "the incident log"),
    ("Evidence", "each control's evidence"),
];

/// Reads the workbook's hazard log, cover, version and record sheets.
pub fn import(
    book: &Workbook,
    sheet_name: Option<&str>,
    map: &MapFile,
) -> Result<(Imported, Vec<Slip>), String> {
    let mut slips = Vec::new();
    let wanted = sheet_name.or(map.sheet.as_deref());
    let (sheet, header) = match wanted {
        Some(name) => {
            let i = book.sheets.iter().position(|s| s.name == name).ok_or_else(|| {
                let names: Vec<String> = book.sheets.iter().map(|s| format!("'{}'", s.name)).collect();
                format!("{} has no sheet '{name}'; its sheets are {}", book.file_name, names.join(", "))
            })?;
            let header =
                columns::find_header(&book.sheets[i], map).ok_or_else(|| no_header(book, Some(i), map))?;
            (i, header)
        }
        None => book
            .sheets
            .iter()
            .enumerate()
            // A `Reviews` sheet names hazards and ratings too, often in more columns than
            // a short log: it is never the log unless `--sheet` says so.
            .filter(|(_, s)| !RECORD_SHEETS.iter().any(|(name, _)| *name == s.name))
            .filter_map(|(i, s)| columns::find_header(s, map).map(|h| (i, h)))
            // A visible sheet before a hidden one (an old copy kept out of sight).
            .max_by_key(|(i, h)| (!book.sheets[*i].hidden, h.fields.len(), std::cmp::Reverse(*i)))
            .ok_or_else(|| no_header(book, None, map))?,
    };
    if let Some((row, col, formula)) = book.sheets[sheet].formulas_without_value.first() {
        let n = book.sheets[sheet].formulas_without_value.len();
        slips.push(Slip {
            kind: "import-unread-value",
            sheet,
            row: *row,
            col: Some(*col),
            subject: "document".into(),
            message: format!(
                "{} on this sheet hold a formula with no stored result (the first here: `{}`), read as blank: \
                 clinsafe does not compute formulas; open and save the workbook in Excel or LibreOffice, which \
                 stores the results, and import it again",
                crate::words::count(n as u64, "cell"),
                crate::excerpt::excerpt(formula)
            ),
        });
    }
    let controls_sheet = group::controls_sheet(book, sheet);
    let (mut hazards, controls) = group::group(book, sheet, &header, controls_sheet.as_ref(), &mut slips);
    let related_col = header.fields.get(&columns::Field::RelatedHazards).copied();
    related::resolve(&mut hazards, (sheet, &book.sheets[sheet]), related_col, &mut slips);
    let mut manifest = cover::manifest(book, sheet, header.first, controls_sheet.map(|(i, _)| i), &mut slips);
    let col = |f| header.fields.get(&f).copied();
    let cols = (sheet, col(columns::Field::ManufacturerHazard), col(columns::Field::ControlTransferredFrom));
    manufacturer::manufacturer(&mut manifest, (&hazards, &controls), cols, &mut slips);
    let taken = [Some(sheet), manifest.cover_sheet, manifest.history_sheet];
    let records = records::read(book, &taken, (&hazards, &controls), &mut slips);
    Ok((Imported { manifest, hazards, controls, sheet, records }, slips))
}

fn no_header(book: &Workbook, sheet: Option<usize>, map: &MapFile) -> String {
    let place = sheet.map_or_else(|| book.file_name.clone(), |i| book.place(i));
    if let Some(n) = map.header_row {
        let last = sheet.map_or(&book.sheets[..], |i| std::slice::from_ref(&book.sheets[i]));
        let last = last.iter().filter_map(|s| s.rows.last()).map(|r| r.number).max().unwrap_or(0);
        return format!(
            "{place}: the map's `header_row: {n}` is past the last row with anything in it ({last}): name the row \
             the column names are on, as the spreadsheet numbers it"
        );
    }
    format!(
        "{place}: no header row found in the first 50 rows. clinsafe looks for the NHS hazard log template's \
         column names (`Hazard #`, `Hazard Name`, `Possible Causes`, `Control #`, ...); name your columns \
         with `--map MAP.yaml` (see README, \"Coming from a spreadsheet\")"
    )
}
