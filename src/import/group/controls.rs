//! Step 3, the control columns: a row's control (the template's control or
//! "existing controls" column) and its additional control (planned).

use super::*;

fn new_control(cx: &mut Ctx, id: String, sheet_id: Option<String>, title: String) -> usize {
    let k = cx.controls.len();
    if let Some(s) = sheet_id {
        cx.control_by_sheet_id.entry(s).or_insert(k);
    }
    cx.controls.push(ControlOut {
        id,
        title,
        control_type: ControlType::Design,
        status: ControlStatus::Planned,
        owner: None,
        description: None,
        due: None,
        last_done: None,
        every: None,
        transferred_from: None,
        references: Vec::new(),
        notes: Vec::new(),
        rows: Vec::new(),
    });
    k
}

/// The control an "Additional controls" cell names (it has no number): the one of
/// the same text already linked to this cause or hazard, or a new one.
pub(super) fn additional_of(cx: &mut Ctx, h: usize, cause: Option<usize>, row: &Row) -> Option<usize> {
    let (_, text) = cx.text(row, Field::AdditionalControl)?;
    let linked = match cause {
        Some(c) => &cx.hazards[h].out.causes[c].controls,
        None => &cx.hazards[h].out.controls,
    };
    if let Some(k) = cx
        .additional
        .iter()
        .copied()
        .find(|&k| cx.controls[k].title == text && linked.contains(&cx.controls[k].id))
    {
        return Some(k);
    }
    let new = cx.taken.fresh(&format!("CTL-{}", row.number));
    cx.slip(
        "import-unnumbered",
        row.number,
        None,
        &new,
        format!("an additional control without a number (\"{}\"): given the id {new}", short(&text)),
    );
    let k = new_control(cx, new, None, text);
    cx.additional.insert(k);
    Some(k)
}

pub(super) fn control_of(cx: &mut Ctx, row: &Row) -> Option<usize> {
    let (id, text) = cx.item(row, Field::ControlId, Field::Control, "control");
    let n = row.number;
    match (id, text) {
        (Some(id), text) => match cx.control_by_sheet_id.get(&id).copied() {
            Some(k) if text.as_ref().is_none_or(|t| *t == cx.controls[k].title) => Some(k),
            Some(k) => {
                let new = cx.taken.fresh(&id);
                let (kind, how) = if cx.prev_control == Some(k) {
                    (
                        "import-filled-down",
                        "repeats the row above but with other text: looks filled down".to_string(),
                    )
                } else {
                    (
                        "import-reused-id",
                        format!(
                            "is used for two different controls (rows {} and {n})",
                            cx.controls[k].rows[0]
                        ),
                    )
                };
                cx.slip(
                    kind,
                    n,
                    None,
                    &new,
                    format!("control number {id} {how}; the second imported as {new}"),
                );
                Some(new_control(cx, new, None, text.unwrap_or_default()))
            }
            None => {
                let new = cx.fresh_id(&id, format!("CTL-{id}"), "control", n);
                let title = text.unwrap_or_else(|| {
                    cx.slip(
                        "import-missing-text",
                        n,
                        None,
                        &new,
                        format!("control {new} has no text: its title is set to its id"),
                    );
                    new.clone()
                });
                Some(new_control(cx, new, Some(id), title))
            }
        },
        (None, Some(text)) => {
            if let Some(k) = cx.prev_control.filter(|&k| cx.controls[k].title == text) {
                return Some(k);
            }
            let new = cx.taken.fresh(&format!("CTL-{n}"));
            cx.slip(
                "import-unnumbered",
                n,
                None,
                &new,
                format!("a control without a number (\"{}\"): given the id {new}", short(&text)),
            );
            Some(new_control(cx, new, None, text))
        }
        (None, None) => None,
    }
}
