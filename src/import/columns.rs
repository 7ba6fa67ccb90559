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
    /// "Additional controls" beside "Existing controls": the controls still to add.
    AdditionalControl,
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
    RaisedOn,
    ClosedOn,
    ReviewBy,
    Justification,
    References,
    Notes,
    // The hazard's own fields the template has no column for, as clinsafe's
    // export writes them after the template's columns.
    Category,
    Tags,
    RelatedHazards,
    RaisedBy,
    ClosedBy,
    /// The manufacturer's hazard this one localises (the YAML's `source`).
    ManufacturerHazard,
    ReviewEvery,
    TransferredTo,
    WithdrawnReason,
    // A control's own fields beyond the template's, as clinsafe's export writes them.
    ControlDetails,
    ControlDue,
    ControlEvery,
    ControlLastDone,
    ControlReferences,
    /// The control's id in the manufacturer's report (the YAML's `transferred_from`).
    ControlTransferredFrom,
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
        &["existingcontrols", "control", "controls", "controldescription", "mitigation", "mitigations"],
    ),
    (
        Field::AdditionalControl,
        &["additionalcontrols", "additionalcontrol", "furthercontrols", "newhazardcontrols", "newcontrols"],
    ),
    (Field::ControlType, &["controltype", "typeofcontrol"]),
    (Field::ControlOwner, &["controlowner"]),
    (Field::Action, &["action", "actions", "actionrequired"]),
    (Field::ActionStatus, &["actionstatus", "controlstatus"]),
    (Field::ControlNotes, &["controlnotes"]),
    (
        Field::InitialSeverity,
        &[
            "iconsequence",
            "initialconsequence",
            "iseverity",
            "initialseverity",
            "initialseverityconsequence",
            "initialconsequenceseverity",
            // The Digital Clinical Safety Alliance's published template.
            "severityscoring",
        ],
    ),
    (
        Field::InitialLikelihood,
        &["ilikelihood", "initiallikelihood", "initiallikelihoodprobability", "likelihoodscoring"],
    ),
    (
        Field::InitialRating,
        &["iriskscore", "initialrisk", "initialriskscore", "initialriskrating", "irisk", "riskscoring"],
    ),
    (
        Field::ResidualSeverity,
        &[
            "rconsequence",
            "residualconsequence",
            "rseverity",
            "residualseverity",
            "residualseverityconsequence",
            "residualconsequenceseverity",
        ],
    ),
    (Field::ResidualLikelihood, &["rlikelihood", "residuallikelihood", "residuallikelihoodprobability"]),
    (
        Field::ResidualRating,
        &["rriskscore", "residualrisk", "residualriskscore", "residualriskrating", "rrisk"],
    ),
    (Field::HazardOwner, &["hazardowner", "owner", "riskowner"]),
    (Field::HazardStatus, &["hazardstatus", "status"]),
    (
        Field::RaisedOn,
        &[
            "dateraised",
            "raisedon",
            "raiseddate",
            "dateidentified",
            "identifieddate",
            "dateopened",
            "datelogged",
            "dateadded",
        ],
    ),
    (Field::ClosedOn, &["dateclosed", "closedon", "closuredate", "closeddate"]),
    (
        Field::ReviewBy,
        &["reviewdate", "nextreviewdate", "nextreview", "reviewby", "reviewdue", "nextreviewdue"],
    ),
    (Field::Justification, &["justification", "residualriskjustification"]),
    (Field::References, &["references", "reference"]),
    (Field::Notes, &["notes", "comments", "comment"]),
    (Field::Category, &["category", "hazardcategory"]),
    (Field::Tags, &["tags"]),
    (Field::RelatedHazards, &["relatedhazards", "relatedhazard"]),
    (Field::RaisedBy, &["raisedby", "identifiedby"]),
    (Field::ClosedBy, &["closedby"]),
    (Field::ManufacturerHazard, &["manufacturerhazard", "manufacturershazard", "sourcehazard"]),
    (Field::ReviewEvery, &["reviewevery", "reviewfrequency", "reviewinterval"]),
    (Field::TransferredTo, &["transferredto"]),
    (Field::WithdrawnReason, &["withdrawnreason", "reasonwithdrawn", "withdrawalreason"]),
    (Field::ControlDetails, &["controldetails", "controldetail"]),
    (Field::ControlDue, &["controldue", "controlduedate", "actionduedate", "duedate"]),
    (Field::ControlEvery, &["controlevery", "controlfrequency", "repeatevery"]),
    (Field::ControlLastDone, &["controllastdone", "lastdone", "datelastdone"]),
    (Field::ControlReferences, &["controlreferences"]),
    // Not "Transferred from" alone: in a log it may say where a hazard came from.
    (
        Field::ControlTransferredFrom,
        &["controltransferredfrom", "manufacturercontrol", "manufacturerscontrol"],
    ),
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

/// The header found, and the columns it maps.
#[derive(Debug, Clone)]
pub struct Header {
    /// Index into the sheet's rows of the header's first row: for a two-row
    /// header (a group such as "Initial risk" over "Consequence",
    /// "Likelihood", "Rating"), the group row. Cover rows end above it.
    pub first: usize,
    /// Index of the header's last row: data starts below it.
    pub index: usize,
    /// Each column's header as the reader sees it ("Initial risk: Likelihood").
    pub names: Vec<String>,
    pub fields: BTreeMap<Field, usize>,
    /// Columns with a header but no field (their cells become notes), and
    /// columns that name a field already taken by an earlier column.
    pub others: Vec<(usize, String)>,
    pub doubles: Vec<(usize, String, Field)>,
}

/// A header's field; failing that, the field of the header without what it
/// says in brackets ("Initial Severity (1-5)", "Likelihood [A-E]").
fn field_of(header: &str, map: &MapFile) -> Option<Field> {
    named(header, map).or_else(|| {
        let bare = without_brackets(header);
        (bare != header).then(|| named(&bare, map)).flatten()
    })
}

/// "Initial Severity (1-5)" → "Initial Severity ".
fn without_brackets(header: &str) -> String {
    let mut out = String::new();
    let mut close = None;
    for c in header.chars() {
        match (close, c) {
            (None, '(') => close = Some(')'),
            (None, '[') => close = Some(']'),
            (None, c) => out.push(c),
            (Some(end), c) if c == end => close = None,
            _ => {}
        }
    }
    out
}

fn named(header: &str, map: &MapFile) -> Option<Field> {
    let n = normalise(header);
    if n.is_empty() {
        return None;
    }
    if let Some((f, _)) = map.columns.iter().find(|(_, h)| normalise(h) == n) {
        return Some(*f);
    }
    ALIASES.iter().find(|(_, names)| names.contains(&n.as_str())).map(|(f, _)| *f)
}

/// A column under a group heading: the whole name first ("Initial risk
/// Likelihood"), then the rating part the group qualifies ("Residual hazard
/// risk" over "Severity"), then the sub-heading alone ("Hazard" over "Name"
/// is already whole; "Controls" over "Control owner" needs only the sub).
fn grouped_field_of(group: &str, sub: &str, map: &MapFile) -> Option<Field> {
    if let Some(f) = field_of(&format!("{group} {sub}"), map) {
        return Some(f);
    }
    let words: Vec<String> = group.split(|c: char| !c.is_alphanumeric()).map(str::to_lowercase).collect();
    let says = |names: &[&str]| words.iter().any(|w| names.contains(&w.as_str()));
    let stage = if says(&["residual", "post", "after"]) {
        Some((Field::ResidualSeverity, Field::ResidualLikelihood, Field::ResidualRating))
    } else if says(&["initial", "pre", "before", "inherent"]) {
        Some((Field::InitialSeverity, Field::InitialLikelihood, Field::InitialRating))
    } else {
        None
    };
    if let Some((severity, likelihood, rating)) = stage {
        match normalise(&without_brackets(sub)).as_str() {
            "consequence" | "severity" | "impact" | "severityconsequence" | "consequenceseverity" => {
                return Some(severity)
            }
            "likelihood" | "probability" | "likelihoodprobability" => return Some(likelihood),
            "rating" | "score" | "risk" | "riskrating" | "riskscore" | "risklevel" | "level" => {
                return Some(rating)
            }
            _ => {}
        }
    }
    field_of(sub, map)
}

/// Column names of the header rows `first..=last` (one or two rows). A group
/// heading of a merged cell is stored in its first cell only: it carries to
/// the right over empty group cells while the row below names columns.
fn names_of(rows: &[Row], first: usize, last: usize) -> Vec<(String, String)> {
    let width = rows[first..=last].iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut group = String::new();
    (0..width)
        .map(|col| {
            let top = rows[first].cell(col).text().trim().to_string();
            if first == last {
                return (String::new(), top);
            }
            let sub = rows[last].cell(col).text().trim().to_string();
            if !top.is_empty() {
                group = if sub.is_empty() { String::new() } else { top.clone() };
            } else if sub.is_empty() {
                group.clear();
            }
            match (top.is_empty(), sub.is_empty()) {
                (_, true) => (String::new(), top),
                (true, false) => (group.clone(), sub),
                (false, false) => (top, sub),
            }
        })
        .collect()
}

fn header_of(rows: &[Row], first: usize, index: usize, map: &MapFile) -> Header {
    let mut h = Header {
        first,
        index,
        names: Vec::new(),
        fields: BTreeMap::new(),
        others: Vec::new(),
        doubles: Vec::new(),
    };
    for (col, (group, sub)) in names_of(rows, first, index).into_iter().enumerate() {
        let (text, field) = if group.is_empty() {
            let f = field_of(&sub, map);
            (sub, f)
        } else {
            let f = grouped_field_of(&group, &sub, map);
            (format!("{group}: {sub}"), f)
        };
        h.names.push(text.clone());
        if text.is_empty() {
            continue;
        }
        match field {
            Some(f) if h.fields.contains_key(&f) => h.doubles.push((col, text, f)),
            Some(f) => {
                h.fields.insert(f, col);
            }
            None => h.others.push((col, text)),
        }
    }
    // "Additional controls" alone is the log's control column (the template's first
    // variant); beside another control column it holds the controls still to add.
    if !h.fields.contains_key(&Field::Control) {
        if let Some(col) = h.fields.remove(&Field::AdditionalControl) {
            h.fields.insert(Field::Control, col);
        }
    }
    h
}

/// A sheet of controls beside the log: the first of its top 50 rows that
/// names a control number and something about the control (its text, type,
/// status or owner), and no hazard number. A `Name`/`Title` column there is
/// the control's text.
pub fn find_controls_header(sheet: &Sheet) -> Option<Header> {
    let map = MapFile::default();
    // A plain `Name`/`Title` column names the control; `Hazard Name` (or a cause, a rating)
    // makes it another hazard log.
    let plain_name = |h: &Header| {
        h.fields
            .get(&Field::HazardName)
            .is_none_or(|&c| matches!(normalise(&h.names[c]).as_str(), "name" | "title"))
    };
    let hazardish = [Field::HazardId, Field::Cause, Field::InitialSeverity, Field::ResidualSeverity];
    let about =
        [Field::Control, Field::HazardName, Field::ControlType, Field::ActionStatus, Field::ControlOwner];
    let mut h = (0..sheet.rows.len().min(50)).map(|i| header_of(&sheet.rows, i, i, &map)).find(|h| {
        h.fields.contains_key(&Field::ControlId)
            && !hazardish.iter().any(|f| h.fields.contains_key(f))
            && plain_name(h)
            && about.iter().any(|f| h.fields.contains_key(f))
    })?;
    // On a sheet of controls, the plain names a log gives its hazard's fields
    // (`Name`, `Status`, `Owner`, …) are the control's.
    let as_control = [
        (Field::HazardName, Field::Control),
        (Field::HazardStatus, Field::ActionStatus),
        (Field::HazardOwner, Field::ControlOwner),
        (Field::Description, Field::ControlDetails),
        (Field::References, Field::ControlReferences),
        (Field::Notes, Field::ControlNotes),
    ];
    for (plain, control) in as_control {
        if !h.fields.contains_key(&control) {
            if let Some(col) = h.fields.remove(&plain) {
                h.fields.insert(control, col);
            }
        }
    }
    Some(h)
}

/// The header: the first of the top 50 rows that maps the most fields and
/// names a hazard (by id or name), or a pair of rows (group headings over
/// column headings) when the pair maps more. Cover rows above it are skipped.
pub fn find_header(sheet: &Sheet, map: &MapFile) -> Option<Header> {
    if let Some(n) = map.header_row {
        let index = sheet.rows.iter().position(|r| r.number == n)?;
        return Some(header_of(&sheet.rows, index, index, map));
    }
    let mut best: Option<Header> = None;
    let mut consider = |h: Header| {
        let names_hazard =
            h.fields.contains_key(&Field::HazardId) || h.fields.contains_key(&Field::HazardName);
        if names_hazard
            && h.fields.len() >= 3
            && best.as_ref().is_none_or(|b| h.fields.len() > b.fields.len())
        {
            best = Some(h);
        }
    };
    for last in 0..sheet.rows.len().min(50) {
        let single = header_of(&sheet.rows, last, last, map);
        // A pair must map more than its lower row alone: a title above a
        // one-row header is a cover row, not a group heading.
        let pair = (last > 0).then(|| header_of(&sheet.rows, last - 1, last, map));
        let single_fields = single.fields.len();
        consider(single);
        if let Some(pair) = pair.filter(|p| p.fields.len() > single_fields) {
            consider(pair);
        }
    }
    best
}
