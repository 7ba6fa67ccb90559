//! Step 2: find the header row and say which column holds what. The NHS
//! template's names (both variants) are known; `--map` names any others.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::sheet::{Row, Sheet};

/// What a column of the hazard log holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    HazardId,
    HazardName,
    Description,
    Harm,
    Effects,
    CauseId,
    Cause,
    ControlId,
    Control,
    ControlType,
    ControlOwner,
    Action,
    ActionStatus,
    ControlNotes,
    InitialSeverity,
    InitialLikelihood,
    InitialRating,
    ResidualSeverity,
    ResidualLikelihood,
    ResidualRating,
    HazardOwner,
    HazardStatus,
    Justification,
    References,
    Notes,
}

/// Header names, normalised (see [`normalise`]). First the NHS template's.
const ALIASES: &[(Field, &[&str])] = &[
    (Field::HazardId, &["hazard#", "num", "hazardno", "hazardnumber", "hazardid", "hazardref", "id", "#"]),
    (Field::HazardName, &["name", "hazardname", "hazard", "hazardtitle", "title"]),
    (Field::Description, &["description", "hazarddescription"]),
    (Field::Harm, &["clinicalimpact", "potentialclinicalimpact", "harm", "potentialharm"]),
    (Field::Effects, &["effects", "effect", "hazardeffects"]),
    (Field::CauseId, &["cause#", "causeno", "causenumber", "causeid", "causeref"]),
    (Field::Cause, &["possiblecauses", "possiblecause", "cause", "causes", "hazardcause", "hazardcauses"]),
    (Field::ControlId, &["control#", "controlno", "controlnumber", "controlid", "controlref"]),
    (
        Field::Control,
        &[
            "additionalcontrols",
            "existingcontrols",
            "control",
            "controls",
            "controldescription",
            "mitigation",
        ],
    ),
    (Field::ControlType, &["controltype", "typeofcontrol"]),
    (Field::ControlOwner, &["controlowner"]),
    (Field::Action, &["action", "actions", "actionrequired"]),
    (Field::ActionStatus, &["actionstatus", "controlstatus"]),
    (Field::ControlNotes, &["controlnotes"]),
    (Field::InitialSeverity, &["iconsequence", "initialconsequence", "iseverity", "initialseverity"]),
    (Field::InitialLikelihood, &["ilikelihood", "initiallikelihood"]),
    (Field::InitialRating, &["iriskscore", "initialrisk", "initialriskscore", "initialriskrating", "irisk"]),
    (Field::ResidualSeverity, &["rconsequence", "residualconsequence", "rseverity", "residualseverity"]),
    (Field::ResidualLikelihood, &["rlikelihood", "residuallikelihood"]),
    (
        Field::ResidualRating,
        &["rriskscore", "residualrisk", "residualriskscore", "residualriskrating", "rrisk"],
    ),
    (Field::HazardOwner, &["hazardowner", "owner"]),
    (Field::HazardStatus, &["hazardstatus", "status"]),
    (Field::Justification, &["justification", "residualriskjustification"]),
    (Field::References, &["references", "reference"]),
    (Field::Notes, &["notes", "comments", "comment"]),
];

/// Lower case, letters, digits and `#` only: "I. Risk score" → "iriskscore".
pub fn normalise(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric() || *c == '#').flat_map(char::to_lowercase).collect()
}

/// A `--map` file: which header names which field, for layouts the template
/// names do not cover.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    /// The sheet holding the hazard log (as `--sheet`).
    pub sheet: Option<String>,
    /// The header row's number, when it cannot be found by its names.
    pub header_row: Option<u32>,
    /// Field → the header text in this spreadsheet.
    #[serde(default)]
    pub columns: BTreeMap<Field, String>,
}

impl MapFile {
    pub fn parse(text: &str) -> Result<MapFile, String> {
        serde_saphyr::from_str(text).map_err(|e| e.to_string())
    }
}

/// The header row found, and the columns it maps.
#[derive(Debug, Clone)]
pub struct Header {
    /// Index into the sheet's rows.
    pub index: usize,
    pub fields: BTreeMap<Field, usize>,
    /// Columns with a header but no field (their cells become notes), and
    /// columns that name a field already taken by an earlier column.
    pub others: Vec<(usize, String)>,
    pub doubles: Vec<(usize, String, Field)>,
}

fn field_of(header: &str, map: &MapFile) -> Option<Field> {
    let n = normalise(header);
    if n.is_empty() {
        return None;
    }
    if let Some((f, _)) = map.columns.iter().find(|(_, h)| normalise(h) == n) {
        return Some(*f);
    }
    ALIASES.iter().find(|(_, names)| names.contains(&n.as_str())).map(|(f, _)| *f)
}

fn header_of(rows: &[Row], index: usize, map: &MapFile) -> Header {
    let mut h = Header { index, fields: BTreeMap::new(), others: Vec::new(), doubles: Vec::new() };
    for (col, cell) in rows[index].cells.iter().enumerate() {
        let text = cell.text().trim().to_string();
        if text.is_empty() {
            continue;
        }
        match field_of(&text, map) {
            Some(f) if h.fields.contains_key(&f) => h.doubles.push((col, text, f)),
            Some(f) => {
                h.fields.insert(f, col);
            }
            None => h.others.push((col, text)),
        }
    }
    h
}

/// The header row: the first of the top 50 rows that maps the most fields
/// and names a hazard (by id or name). Cover rows above it are skipped.
pub fn find_header(sheet: &Sheet, map: &MapFile) -> Option<Header> {
    if let Some(n) = map.header_row {
        let index = sheet.rows.iter().position(|r| r.number == n)?;
        return Some(header_of(&sheet.rows, index, map));
    }
    let mut best: Option<Header> = None;
    for index in 0..sheet.rows.len().min(50) {
        let h = header_of(&sheet.rows, index, map);
        let names_hazard =
            h.fields.contains_key(&Field::HazardId) || h.fields.contains_key(&Field::HazardName);
        if names_hazard
            && h.fields.len() >= 3
            && best.as_ref().is_none_or(|b| h.fields.len() > b.fields.len())
        {
            best = Some(h);
        }
    }
    best
}
