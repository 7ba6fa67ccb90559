//! Step 4b: the manufacturer's report in the manifest, for the hazards that
//! point into it.

use super::{HazardOut, ManifestOut, Slip};

/// A `manufacturer:` section when an imported hazard names the manufacturer's
/// hazard it localises (`source`) or the cover names the report: without it
/// `check` refuses those links (`missing-manufacturer`) for a hole the user
/// did not make. What the cover does not give, the user fills in: its `ref`
/// is written as a placeholder, which `unfilled-placeholder` reports.
pub fn manufacturer(
    m: &mut ManifestOut,
    hazards: &[HazardOut],
    (sheet, source_col): (usize, Option<usize>),
    slips: &mut Vec<Slip>,
) {
    let sources: Vec<&HazardOut> = hazards.iter().filter(|h| h.source.is_some()).collect();
    if sources.is_empty() && m.manufacturer.is_none() {
        return;
    }
    let report = m.manufacturer.get_or_insert_default();
    if report.reference.is_some() {
        return;
    }
    let set = "clinsafe.yaml's `manufacturer:` section has a placeholder `ref`: set it to the id of the \
               supplier's DCB0129 clinical safety case report (and give its version and date)";
    let slip = match sources.first() {
        Some(first) => Slip {
            kind: "import-placeholder",
            sheet,
            row: first.rows.iter().copied().min().unwrap_or(1),
            col: source_col,
            subject: "document".into(),
            message: format!(
                "{} the manufacturer's hazard {} localise{} (`source`; {} names {}), but the workbook does \
                 not give the id of the manufacturer's report: {set}",
                if sources.len() == 1 {
                    "1 hazard names".to_string()
                } else {
                    format!("{} hazards name", sources.len())
                },
                if sources.len() == 1 { "it" } else { "they" },
                if sources.len() == 1 { "s" } else { "" },
                first.id,
                first.source.as_deref().unwrap_or_default(),
            ),
        },
        None => Slip {
            kind: "import-placeholder",
            sheet: m.cover_sheet.unwrap_or(sheet),
            row: 1,
            col: None,
            subject: "document".into(),
            message: format!(
                "the cover sheet describes the manufacturer's report but gives no id for it: {set}"
            ),
        },
    };
    slips.push(slip);
}
