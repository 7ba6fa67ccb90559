//! Step 4b: the manufacturer's report in the manifest, for the hazards and
//! controls that point into it.

use super::{ControlOut, HazardOut, ManifestOut, Slip};

/// The first item pointing into the report, for the slip: its id, the id it
/// names there, its first row and the column naming it.
struct Link<'a> {
    id: &'a str,
    names: &'a str,
    row: u32,
    col: Option<usize>,
}

/// A `manufacturer:` section when an imported hazard names the manufacturer's
/// hazard it localises (`source`), a control is transferred from the
/// manufacturer's report (`transferred_from`), or the cover names the report:
/// without it `check` refuses those links (`missing-manufacturer`) for a hole
/// the user did not make. What the cover does not give, the user fills in:
/// its `ref` is written as a placeholder, which `unfilled-placeholder` reports.
pub fn manufacturer(
    m: &mut ManifestOut,
    (hazards, controls): (&[HazardOut], &[ControlOut]),
    (sheet, source_col, transferred_col): (usize, Option<usize>, Option<usize>),
    slips: &mut Vec<Slip>,
) {
    let first_row = |rows: &[u32]| rows.iter().copied().min().unwrap_or(1);
    let sources: Vec<Link> = hazards
        .iter()
        .filter_map(|h| h.source.as_deref().map(|s| (h, s)))
        .map(|(h, s)| Link { id: &h.id, names: s, row: first_row(&h.rows), col: source_col })
        .collect();
    let transferred: Vec<Link> = controls
        .iter()
        .filter_map(|c| c.transferred_from.as_deref().map(|s| (c, s)))
        .map(|(c, s)| Link { id: &c.id, names: s, row: first_row(&c.rows), col: transferred_col })
        .collect();
    if sources.is_empty() && transferred.is_empty() && m.manufacturer.is_none() {
        return;
    }
    let report = m.manufacturer.get_or_insert_default();
    if report.reference.is_some() {
        return;
    }
    let set = "clinsafe.yaml's `manufacturer:` section has a placeholder `ref`: set it to the id of the \
               supplier's DCB0129 clinical safety case report (and give its version and date)";
    // The count, and where the first is: "2 hazards", (row, column, "HAZ-1 names PM-H03").
    let first = |links: &[Link], what: &str| -> Option<(String, u32, Option<usize>, String)> {
        let f = links.first()?;
        Some((
            crate::words::count(links.len() as u64, what),
            f.row,
            f.col,
            format!("{} names {}", f.id, f.names),
        ))
    };
    let (one_source, one_transferred) = (sources.len() == 1, transferred.len() == 1);
    // Where the warning points (the first such item's cell, else the cover) and what it says.
    let (sheet, row, col, message) = match (first(&sources, "hazard"), first(&transferred, "control")) {
        (Some((n, row, col, names)), _) => (
            sheet,
            row,
            col,
            format!(
                "{n} name{} the manufacturer's hazard {} localise{} (`source`; {names}), but the workbook does \
                 not give the id of the manufacturer's report: {set}",
                if one_source { "s" } else { "" },
                if one_source { "it" } else { "they" },
                if one_source { "s" } else { "" },
            ),
        ),
        (None, Some((n, row, col, names))) => (
            sheet,
            row,
            col,
            format!(
                "{n} {} transferred from the manufacturer's report (`transferred_from`; {names}), but the \
                 workbook does not give the id of the manufacturer's report: {set}",
                if one_transferred { "is" } else { "are" },
            ),
        ),
        (None, None) => (
            m.cover_sheet.unwrap_or(sheet),
            1,
            None,
            format!("the cover sheet describes the manufacturer's report but gives no id for it: {set}"),
        ),
    };
    slips.push(Slip { kind: "import-placeholder", sheet, row, col, subject: "document".into(), message });
}
