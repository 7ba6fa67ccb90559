//! Step 4: the manifest, from the cover sheet ("label | value" cells), the
//! rows above the hazard log's header, and the version history sheet.

use super::columns::normalise;
use super::sheet::{Cell, Row, Workbook};
use super::{HistoryOut, ManifestOut, Slip};
use crate::model::date::Date;
use crate::model::status::DocumentStatus;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Key {
    SystemName,
    SystemVersion,
    Supplier,
    Organisation,
    Ods,
    DocId,
    DocVersion,
    Status,
    Date,
    ReviewBy,
    Owner,
    Authors,
    Cso,
    Notes,
    /// The manufacturer's DCB0129 clinical safety case report: its id, version, date,
    /// and who at the deploying organisation reviewed it, when.
    ManufacturerRef,
    ManufacturerVersion,
    ManufacturerDate,
    ManufacturerReviewedBy,
    ManufacturerReviewedOn,
}

const LABELS: &[(Key, &[&str])] = &[
    (
        Key::SystemName,
        &["system", "systemname", "product", "productname", "project", "projectname", "application"],
    ),
    (Key::SystemVersion, &["systemversion", "productversion", "release", "softwareversion"]),
    (Key::Supplier, &["supplier", "manufacturer", "vendor"]),
    (Key::Organisation, &["organisation", "organization", "trust", "practice", "organisationname"]),
    (Key::Ods, &["odscode", "ods"]),
    (
        Key::DocId,
        &[
            "documentid",
            "documentreference",
            "documentref",
            "docref",
            "documentnumber",
            "reference",
            "hazardlogid",
        ],
    ),
    (Key::DocVersion, &["version", "documentversion", "versionno", "issue"]),
    (Key::Status, &["status", "documentstatus"]),
    (Key::Date, &["date", "documentdate", "issuedate", "dateissued", "lastupdated", "dateofissue"]),
    (Key::ReviewBy, &["reviewdate", "nextreview", "reviewby", "nextreviewdate"]),
    (Key::Owner, &["owner", "documentowner", "hazardlogowner"]),
    (Key::Authors, &["author", "authors", "preparedby", "writtenby"]),
    (Key::Cso, &["clinicalsafetyofficer", "cso"]),
    (Key::Notes, &["notes", "note", "comments"]),
];

fn key_of(label: &str) -> Option<Key> {
    let n = normalise(label);
    LABELS
        .iter()
        .find(|(_, names)| names.contains(&n.as_str()))
        .map(|(k, _)| *k)
        .or_else(|| manufacturer_key(&n))
}

/// "Manufacturer's safety case", "Supplier CSCR version", "DCB0129 report date":
/// whose report, which words for it, then which of its details (none: its id).
fn manufacturer_key(n: &str) -> Option<Key> {
    let rest = ["manufacturers", "manufacturer", "suppliers", "supplier", "dcb0129"]
        .iter()
        .find_map(|p| n.strip_prefix(p))?;
    let rest = rest.strip_prefix("dcb0129").unwrap_or(rest);
    let rest = [
        "clinicalsafetycasereport",
        "safetycasereport",
        "clinicalsafetycase",
        "safetycase",
        "cscr",
        "report",
    ]
    .iter()
    .find_map(|p| rest.strip_prefix(p))?;
    match rest {
        "" | "ref" | "reference" | "id" | "documentid" | "documentref" | "documentreference" => {
            Some(Key::ManufacturerRef)
        }
        "version" | "versionno" | "issue" => Some(Key::ManufacturerVersion),
        "date" | "issuedate" | "dateissued" | "dateofissue" => Some(Key::ManufacturerDate),
        "reviewedby" | "reviewer" => Some(Key::ManufacturerReviewedBy),
        "reviewedon" | "datereviewed" | "reviewdate" => Some(Key::ManufacturerReviewedOn),
        _ => None,
    }
}

const HISTORY_VERSION: &[&str] = &["version", "versionno", "version#", "issue"];
const HISTORY_DATE: &[&str] = &["date", "dateissued", "issuedate"];
const HISTORY_AUTHOR: &[&str] = &["author", "authors", "by", "changedby", "editor"];
const HISTORY_SUMMARY: &[&str] =
    &["summary", "changes", "description", "reason", "changesummary", "details", "amendments", "comments"];

/// The version sheet's header: (row index, version, date, author, summary columns).
type HistoryHeader = (usize, usize, Option<usize>, Option<usize>, Option<usize>);

fn history_header(rows: &[Row]) -> Option<HistoryHeader> {
    for (i, row) in rows.iter().enumerate().take(20) {
        let find =
            |names: &[&str]| row.cells.iter().position(|c| names.contains(&normalise(&c.text()).as_str()));
        if let Some(v) = find(HISTORY_VERSION) {
            let (d, a, s) = (find(HISTORY_DATE), find(HISTORY_AUTHOR), find(HISTORY_SUMMARY));
            if d.is_some() || s.is_some() {
                return Some((i, v, d, a, s));
            }
        }
    }
    None
}

pub fn manifest(
    book: &Workbook,
    hazard_sheet: usize,
    header_first: usize,
    controls_sheet: Option<usize>,
    slips: &mut Vec<Slip>,
) -> ManifestOut {
    let mut m = ManifestOut::default();
    let mut slip = |kind, sheet, row, col, message: String| {
        slips.push(Slip { kind, sheet, row, col, subject: "document".into(), message })
    };
    let mut history: Option<(usize, Vec<HistoryOut>)> = None;
    for (i, sheet) in book.sheets.iter().enumerate() {
        if i == hazard_sheet || Some(i) == controls_sheet {
            continue;
        }
        if history.is_none() {
            if let Some(h) = history_header(&sheet.rows) {
                history = Some((i, read_history(sheet.rows.as_slice(), h, &mut m.notes)));
                m.history_sheet = Some(i);
                continue;
            }
        }
        if super::RECORD_SHEETS.iter().any(|(name, _)| *name == sheet.name) {
            continue; // read by `records`
        }
        if let Some(h) = super::columns::find_header(sheet, &super::columns::MapFile::default()) {
            // Another hazard log (a second phase, an archive): its rows are
            // hazards, not "label | value" cover cells.
            let rows = sheet.rows[h.index + 1..].iter().filter(|r| !r.is_blank()).count();
            let message = format!(
                "sheet '{}' holds another hazard log ({rows} row{} under its header): not imported, as \
                 clinsafe imports one hazard log sheet ('{}'); import it on its own with `--sheet \"{}\"`",
                sheet.name,
                if rows == 1 { "" } else { "s" },
                book.sheets[hazard_sheet].name,
                sheet.name
            );
            slip("import-sheet-skipped", i, sheet.rows[h.index].number, None, message);
            continue;
        }
        let before = m.notes.len();
        let read = read_labels(&sheet.rows, &mut m, &mut |row, col, msg| {
            slip("import-unread-value", i, row, Some(col), msg)
        });
        if read > 0 {
            m.cover_sheet.get_or_insert(i);
        } else if !sheet.rows.iter().all(Row::is_blank) {
            m.notes.truncate(before);
            slip(
                "import-sheet-skipped",
                i,
                sheet.rows.first().map_or(1, |r| r.number),
                None,
                format!(
                    "sheet '{}' is not a hazard log, cover or version history sheet: not imported",
                    sheet.name
                ),
            );
        }
    }
    let top = &book.sheets[hazard_sheet].rows[..header_first];
    read_labels(top, &mut m, &mut |row, col, msg| {
        slip("import-unread-value", hazard_sheet, row, Some(col), msg)
    });
    if let Some((i, mut entries)) = history {
        let dated: Vec<Date> = entries.iter().filter_map(|e| e.date).collect();
        if dated.windows(2).any(|w| w[1] < w[0]) {
            let newest_first = dated.windows(2).all(|w| w[1] <= w[0]);
            if newest_first {
                entries.reverse();
            } else {
                entries.sort_by_key(|e| e.date);
            }
            let how =
                if newest_first { "newest first: reversed" } else { "out of date order: sorted by date" };
            slip(
                "import-history-order",
                i,
                1,
                None,
                format!("the version history runs {how}, as clinsafe keeps it oldest first"),
            );
        }
        m.history = entries;
    }
    let mut placeholders = Vec::new();
    if m.system_name.is_empty() {
        let stem = book.file_name.rsplit_once('.').map_or(book.file_name.as_str(), |(s, _)| s);
        m.system_name = stem.to_string();
        placeholders.push(format!("system name \"{stem}\" (the file's name)"));
    }
    if m.document_id.is_empty() {
        m.document_id = "TBC".into();
        placeholders.push("document id TBC".into());
    }
    if m.document_version.is_empty() {
        m.document_version = m.history.last().map_or_else(|| "TBC".to_string(), |h| h.version.clone());
        placeholders.push(format!("document version {}", m.document_version));
    }
    if !placeholders.is_empty() {
        let sheet = m.cover_sheet.unwrap_or(hazard_sheet);
        slip("import-placeholder", sheet, 1, None, format!(
            "the cover sheet does not state everything clinsafe.yaml needs: set {}; correct them in clinsafe.yaml",
            placeholders.join(", ")
        ));
    }
    m
}

/// "Label | value" pairs anywhere on the rows; returns how many labels were read.
fn read_labels(rows: &[Row], m: &mut ManifestOut, unread: &mut dyn FnMut(u32, usize, String)) -> usize {
    let mut read = 0;
    for row in rows {
        let mut col = 0;
        while col < row.cells.len() {
            let cell = row.cell(col);
            if cell.is_blank() {
                col += 1;
                continue;
            }
            let label = cell.text().trim().trim_end_matches(':').trim().to_string();
            let value_col = (col + 1..row.cells.len()).find(|&c| !row.cell(c).is_blank());
            match (key_of(&label), value_col) {
                (Some(key), Some(vc)) => {
                    read += 1;
                    set(m, key, &label, row.cell(vc), &mut |msg| unread(row.number, vc, msg));
                    col = vc + 1;
                }
                (None, Some(vc)) => {
                    m.notes.push(format!("{label}: {}", row.cell(vc).text().trim()));
                    col = vc + 1;
                }
                (_, None) => {
                    m.notes.push(label);
                    col += 1;
                }
            }
        }
    }
    read
}

fn set(m: &mut ManifestOut, key: Key, label: &str, cell: &Cell, unread: &mut dyn FnMut(String)) {
    let text = cell.text().trim().to_string();
    let mut keep = |m: &mut ManifestOut, why: &str| {
        unread(format!("'{label}' \"{text}\" {why}: kept in the document's notes"));
        m.notes.push(format!("{label}: {text}"));
    };
    let slot = |s: &mut Option<String>, m_notes: &mut Vec<String>| match s {
        None => *s = Some(text.clone()),
        Some(_) => m_notes.push(format!("{label}: {text}")),
    };
    match key {
        Key::SystemName if m.system_name.is_empty() => m.system_name = text,
        Key::DocId if m.document_id.is_empty() => m.document_id = text,
        Key::DocVersion if m.document_version.is_empty() => m.document_version = text,
        Key::SystemVersion => slot(&mut m.system_version, &mut m.notes),
        Key::Supplier => slot(&mut m.supplier, &mut m.notes),
        Key::Organisation => slot(&mut m.organisation, &mut m.notes),
        Key::Ods => slot(&mut m.ods_code, &mut m.notes),
        Key::Owner => slot(&mut m.owner, &mut m.notes),
        Key::Cso => slot(&mut m.cso, &mut m.notes),
        Key::ManufacturerRef => slot(&mut m.manufacturer.get_or_insert_default().reference, &mut m.notes),
        Key::ManufacturerVersion => slot(&mut m.manufacturer.get_or_insert_default().version, &mut m.notes),
        Key::ManufacturerReviewedBy => {
            slot(&mut m.manufacturer.get_or_insert_default().reviewed_by, &mut m.notes)
        }
        Key::Authors => m
            .authors
            .extend(text.split([';', '\n']).map(str::trim).filter(|a| !a.is_empty()).map(String::from)),
        Key::Notes => m.notes.extend(text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from)),
        Key::Status => match normalise(&text).as_str() {
            "draft" if m.status.is_none() => m.status = Some(DocumentStatus::Draft),
            "issued" | "final" | "approved" if m.status.is_none() => m.status = Some(DocumentStatus::Issued),
            _ => keep(m, "is not draft or issued"),
        },
        Key::Date | Key::ReviewBy | Key::ManufacturerDate | Key::ManufacturerReviewedOn => match cell
            .as_date()
        {
            Some(d) => {
                let slot = match key {
                    Key::Date => &mut m.date,
                    Key::ReviewBy => &mut m.review_by,
                    Key::ManufacturerReviewedOn => &mut m.manufacturer.get_or_insert_default().reviewed_on,
                    _ => &mut m.manufacturer.get_or_insert_default().date,
                };
                if slot.is_none() {
                    *slot = Some(d);
                } else {
                    m.notes.push(format!("{label}: {text}"));
                }
            }
            None => keep(m, "is not a date clinsafe can read (YYYY-MM-DD or DD/MM/YYYY)"),
        },
        _ => m.notes.push(format!("{label}: {text}")),
    }
}

fn read_history(
    rows: &[Row],
    (header, v, d, a, s): HistoryHeader,
    notes: &mut Vec<String>,
) -> Vec<HistoryOut> {
    let names: Vec<String> = rows[header].cells.iter().map(|c| c.text().trim().to_string()).collect();
    let mut out = Vec::new();
    for row in rows[..header].iter() {
        notes.extend(row.cells.iter().filter(|c| !c.is_blank()).map(|c| c.text().trim().to_string()));
    }
    for row in rows[header + 1..].iter().filter(|r| !r.is_blank()) {
        let text =
            |c: Option<usize>| c.map(|c| row.cell(c).text().trim().to_string()).filter(|t| !t.is_empty());
        let mut summary = text(s);
        let mut extra = Vec::new();
        let mut date = None;
        if let Some(dc) = d.filter(|&dc| !row.cell(dc).is_blank()) {
            date = row.cell(dc).as_date();
            if date.is_none() {
                extra.push(format!("{}: {}", names[dc], row.cell(dc).text().trim()));
            }
        }
        for (col, cell) in row.cells.iter().enumerate() {
            if ![Some(v), d, a, s].contains(&Some(col)) && !cell.is_blank() {
                let name = names
                    .get(col)
                    .filter(|n| !n.is_empty())
                    .cloned()
                    .unwrap_or_else(|| format!("column {}", col + 1));
                extra.push(format!("{name}: {}", cell.text().trim()));
            }
        }
        if !extra.is_empty() {
            let joined = extra.join("; ");
            summary = Some(summary.map_or(joined.clone(), |s| format!("{s} ({joined})")));
        }
        out.push(HistoryOut {
            version: text(Some(v)).unwrap_or_else(|| "TBC".into()),
            date,
            author: text(a),
            summary,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_naming_the_manufacturers_report_are_known_and_others_are_not() {
        let key = key_of;
        let (r, v, d) = (Key::ManufacturerRef, Key::ManufacturerVersion, Key::ManufacturerDate);
        assert_eq!(key("Manufacturer's safety case:"), Some(r));
        assert_eq!(key("Supplier CSCR reference"), Some(r));
        assert_eq!(key("DCB0129 report"), Some(r));
        assert_eq!(key("Manufacturer DCB0129 report version"), Some(v));
        assert_eq!(key("Supplier's clinical safety case report date"), Some(d));
        assert_eq!(key("Manufacturer's safety case reviewed by"), Some(Key::ManufacturerReviewedBy));
        assert_eq!(key("DCB0129 report date reviewed"), Some(Key::ManufacturerReviewedOn));
        // The manufacturer alone is the system's supplier; other words are notes.
        assert_eq!(key("Manufacturer"), Some(Key::Supplier));
        assert_eq!(key("Supplier reference"), None);
        assert_eq!(key("Manufacturer's safety case owner"), None);
    }
}
