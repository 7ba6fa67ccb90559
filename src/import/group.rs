//! Step 3: rows → hazards, their causes and controls. One row of the template
//! is one hazard × cause × control; blank id cells continue the item above
//! (merged cells). Every guess is a [`Slip`].

use std::collections::{BTreeMap, HashMap};

use super::columns::{Field, Header};
use super::ctx::{short, Ctx, HazardB};
use super::fields::{control_cells_without_control, control_fields, hazard_fields, other_cells};
use super::ids::{digit_width, Taken};
use super::ratings;
use super::sheet::{Row, Workbook};
use super::{CauseOut, ControlOut, HazardOut, Slip};
use crate::model::status::{ControlStatus, ControlType, HazardStatus};

mod control_sheet;
mod controls;
pub use control_sheet::find as controls_sheet;
use controls::{additional_of, control_of};

pub fn group(
    book: &Workbook,
    sheet: usize,
    header: &Header,
    controls_sheet: Option<&(usize, Header)>,
    slips: &mut Vec<Slip>,
) -> (Vec<HazardOut>, Vec<ControlOut>) {
    let s = &book.sheets[sheet];
    let widths = [Field::HazardId, Field::CauseId, Field::ControlId]
        .into_iter()
        .filter_map(|f| {
            let col = *header.fields.get(&f)?;
            digit_width(s, col, header.index + 1).map(|w| (f, w))
        })
        .collect();
    let mut cx = Ctx {
        book,
        sheet,
        header,
        slips,
        widths,
        taken: Taken::default(),
        hazards: Vec::new(),
        hazard_by_sheet_id: HashMap::new(),
        controls: Vec::new(),
        control_by_sheet_id: HashMap::new(),
        cur_h: None,
        cur_cause: None,
        prev_control: None,
        texty_numbers: BTreeMap::new(),
        coloured: BTreeMap::new(),
        spellings: BTreeMap::new(),
        stated: Default::default(),
        additional: Default::default(),
        section: None,
    };
    for (col, name, field) in &header.doubles {
        cx.slip(
            "import-unmapped-column",
            s.rows[header.index].number,
            Some(*col),
            "document",
            format!("column '{name}' names {field:?} as an earlier column does: its cells are kept as notes"),
        );
    }
    for row in s.rows[header.index + 1..].iter().filter(|r| !r.is_blank()) {
        if !skipped(&mut cx, row) {
            read_row(&mut cx, row);
        }
    }
    if let Some((i, h)) = controls_sheet {
        control_sheet::read(&mut cx, *i, h);
    }
    finish(cx)
}

/// A row that is no hazard: the header again (tables stacked on one sheet,
/// print titles), or a section heading (its one cell, words, in the hazard
/// number column), which becomes a note on each hazard under it.
fn skipped(cx: &mut Ctx, row: &Row) -> bool {
    let rows = &cx.book.sheets[cx.sheet].rows;
    let header_row = |i: usize| {
        let h = &rows[i];
        row.cells
            .iter()
            .enumerate()
            .all(|(c, cell)| cell.is_blank() || cell.text().trim() == h.cell(c).text().trim())
    };
    if header_row(cx.header.index) || (cx.header.first < cx.header.index && header_row(cx.header.first)) {
        cx.slip("import-row-skipped", row.number, None, "document", "the header row again: skipped".into());
        return true;
    }
    let filled: Vec<usize> = (0..row.cells.len()).filter(|&c| !row.cell(c).is_blank()).collect();
    let heading = match filled[..] {
        [c] if Some(&c) == cx.header.fields.get(&Field::HazardId) => row.cell(c).text().trim().to_string(),
        _ => return false,
    };
    if heading.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() < 2 {
        return false;
    }
    cx.slip(
        "import-row-skipped",
        row.number,
        Some(filled[0]),
        "document",
        format!("\"{}\" alone on its row reads as a section heading, not a hazard: kept as a note on each hazard under it", short(&heading)),
    );
    cx.section = Some(heading);
    true
}

fn read_row(cx: &mut Ctx, row: &Row) {
    let h = hazard_of(cx, row);
    cx.hazards[h].out.rows.push(row.number);
    hazard_fields(cx, h, row);
    let cause = cause_of(cx, h, row);
    if let Some(k) = control_of(cx, row) {
        link(cx, h, cause, k, row);
        control_fields(cx, k, row);
        cx.prev_control = Some(k);
    } else {
        cx.prev_control = None;
        control_cells_without_control(cx, h, row);
    }
    if let Some(k) = additional_of(cx, h, cause, row) {
        link(cx, h, cause, k, row);
    }
    if let Some(r) =
        ratings::read(cx, h, row, [Field::InitialSeverity, Field::InitialLikelihood, Field::InitialRating])
    {
        cx.hazards[h].initial.push(r);
    }
    if let Some(r) =
        ratings::read(cx, h, row, [Field::ResidualSeverity, Field::ResidualLikelihood, Field::ResidualRating])
    {
        cx.hazards[h].residual.push(r);
    }
    other_cells(cx, h, row);
}

/// Control `k` is on this row: linked to the row's cause, or to the hazard when
/// the row names no cause.
fn link(cx: &mut Ctx, h: usize, cause: Option<usize>, k: usize, row: &Row) {
    cx.controls[k].rows.push(row.number);
    let links = match cause {
        Some(c) => &mut cx.hazards[h].out.causes[c].controls,
        None => &mut cx.hazards[h].out.controls,
    };
    let id = cx.controls[k].id.clone();
    if !links.contains(&id) {
        links.push(id);
    }
}

fn new_hazard(cx: &mut Ctx, id: String, sheet_id: Option<String>, title: String) -> usize {
    let i = cx.hazards.len();
    if let Some(s) = &sheet_id {
        cx.hazard_by_sheet_id.entry(s.clone()).or_insert(i);
    }
    let notes = cx.section.iter().map(|s| format!("Section: {s}")).collect();
    cx.hazards.push(HazardB {
        out: HazardOut { id, title, notes, ..HazardOut::default() },
        sheet_id,
        cause_sheet_ids: Vec::new(),
        initial: Vec::new(),
        residual: Vec::new(),
    });
    cx.cur_h = Some(i);
    cx.cur_cause = None;
    i
}

fn hazard_of(cx: &mut Ctx, row: &Row) -> usize {
    let (id, name) = cx.item(row, Field::HazardId, Field::HazardName, "hazard");
    let n = row.number;
    let cur = cx.cur_h;
    let same_name = |cx: &Ctx, i: usize| name.as_ref().is_none_or(|t| *t == cx.hazards[i].out.title);
    match id {
        Some(id) => {
            if let Some(c) = cur.filter(|&c| cx.hazards[c].sheet_id.as_deref() == Some(id.as_str())) {
                if same_name(cx, c) {
                    return c;
                }
                let new = cx.taken.fresh(&id);
                cx.slip("import-filled-down", n, None, &new, format!(
                    "hazard number {id} repeats the row above but names a different hazard (\"{}\"): looks filled down; imported as a new hazard {new}",
                    short(name.as_deref().unwrap_or_default())
                ));
                return new_hazard(cx, new, Some(id), name.unwrap_or_default());
            }
            if let Some(&i) = cx.hazard_by_sheet_id.get(&id) {
                if same_name(cx, i) {
                    cx.cur_h = Some(i);
                    cx.cur_cause = None;
                    return i;
                }
                let new = cx.taken.fresh(&id);
                cx.slip("import-reused-id", n, None, &new, format!(
                    "hazard number {id} is used for two hazards (rows {} and {n}): the second imported as {new}",
                    cx.hazards[i].out.rows[0]
                ));
                return new_hazard(cx, new, Some(id), name.unwrap_or_default());
            }
            let new = cx.fresh_id(&id, format!("HAZ-{id}"), "hazard", n);
            let title = name.unwrap_or_else(|| {
                cx.slip(
                    "import-missing-text",
                    n,
                    None,
                    &new,
                    format!("hazard {new} has no name: its title is set to its id"),
                );
                new.clone()
            });
            new_hazard(cx, new, Some(id), title)
        }
        None => match (cur, name) {
            (Some(c), None) => c,
            (Some(c), Some(t)) if t == cx.hazards[c].out.title => c,
            (_, name) => {
                let new = cx.taken.fresh(&format!("HAZ-{n}"));
                cx.slip(
                    "import-unnumbered",
                    n,
                    None,
                    &new,
                    format!("a hazard without a number: given the id {new}"),
                );
                let title = name.unwrap_or_else(|| new.clone());
                new_hazard(cx, new, None, title)
            }
        },
    }
}

fn cause_of(cx: &mut Ctx, h: usize, row: &Row) -> Option<usize> {
    let (id, text) = cx.item(row, Field::CauseId, Field::Cause, "cause");
    let n = row.number;
    let hid = cx.hazards[h].out.id.clone();
    let new_cause = |cx: &mut Ctx, id: String, sheet_id: Option<String>, text: String| {
        let b = &mut cx.hazards[h];
        b.out.causes.push(CauseOut { id, text, controls: Vec::new(), row: n, plain: false });
        b.cause_sheet_ids.push(sheet_id);
        cx.cur_cause = Some(b.out.causes.len() - 1);
        cx.cur_cause
    };
    match (id, text) {
        (Some(id), text) => {
            let differs =
                |cx: &Ctx, c: usize| text.as_ref().is_some_and(|t| *t != cx.hazards[h].out.causes[c].text);
            let cur =
                cx.cur_cause.filter(|&c| cx.hazards[h].cause_sheet_ids[c].as_deref() == Some(id.as_str()));
            let found = cur.or_else(|| {
                cx.hazards[h].cause_sheet_ids.iter().position(|s| s.as_deref() == Some(id.as_str()))
            });
            match found {
                Some(c) if !differs(cx, c) => {
                    cx.cur_cause = Some(c);
                    Some(c)
                }
                Some(c) => {
                    let new = cx.taken.fresh(&id);
                    let (kind, how) = if cur.is_some() {
                        (
                            "import-filled-down",
                            "repeats the row above but with other text: looks filled down".to_string(),
                        )
                    } else {
                        (
                            "import-reused-id",
                            format!(
                                "is used for two causes of {hid} (rows {} and {n})",
                                cx.hazards[h].out.causes[c].row
                            ),
                        )
                    };
                    cx.slip(
                        kind,
                        n,
                        None,
                        &hid,
                        format!("cause number {id} {how}; imported as a new cause {new}"),
                    );
                    new_cause(cx, new, Some(id), text.unwrap_or_default())
                }
                None => {
                    let new = cx.fresh_id(&id, format!("{hid}-{id}"), "cause", n);
                    let text = text.unwrap_or_else(|| {
                        cx.slip(
                            "import-missing-text",
                            n,
                            None,
                            &hid,
                            format!("cause {new} has no text: its text is set to its id"),
                        );
                        new.clone()
                    });
                    new_cause(cx, new, Some(id), text)
                }
            }
        }
        (None, Some(text)) => {
            if let Some(c) = cx.hazards[h].out.causes.iter().position(|c| c.text == text) {
                cx.cur_cause = Some(c);
                return Some(c);
            }
            // Numbered in `finish` only if a control is linked through it.
            let new = cx.taken.fresh(&format!("{hid}-C{}", cx.hazards[h].out.causes.len() + 1));
            new_cause(cx, new, None, text)
        }
        (None, None) => cx.cur_cause,
    }
}

fn finish(mut cx: Ctx) -> (Vec<HazardOut>, Vec<ControlOut>) {
    let hazards = std::mem::take(&mut cx.hazards);
    let mut out = Vec::with_capacity(hazards.len());
    for b in hazards {
        let mut h = b.out;
        for (c, sheet_id) in h.causes.iter_mut().zip(&b.cause_sheet_ids) {
            c.plain = sheet_id.is_none() && c.controls.is_empty();
            if sheet_id.is_none() && !c.plain && cx.header.fields.contains_key(&Field::CauseId) {
                let message = format!("a cause without a number: given the id {}", c.id);
                cx.slip("import-unnumbered", c.row, None, &h.id, message);
            }
        }
        h.initial = ratings::resolve(&mut cx, &h.id, "initial", &b.initial, &mut h.notes);
        h.residual = ratings::resolve(&mut cx, &h.id, "residual", &b.residual, &mut h.notes);
        h.rows.dedup();
        // A transferred hazard without `transferred_to`, or a withdrawn one without
        // `withdrawn_reason`, does not check: TBC, and said so.
        let (status, to, reason) = (h.status, h.transferred_to.is_none(), h.withdrawn_reason.is_none());
        if status == Some(HazardStatus::Transferred) && to {
            h.transferred_to = Some("TBC".into());
            cx.slip("import-defaulted", h.rows[0], None, &h.id.clone(), format!(
                "hazard {} is transferred but the sheet does not say to whom: `transferred_to` set to TBC; correct it in hazards.yaml",
                h.id
            ));
        }
        if status == Some(HazardStatus::Withdrawn) && reason {
            h.withdrawn_reason = Some("TBC".into());
            cx.slip("import-defaulted", h.rows[0], None, &h.id.clone(), format!(
                "hazard {} is withdrawn but the sheet does not say why: `withdrawn_reason` set to TBC; correct it in hazards.yaml",
                h.id
            ));
        }
        out.push(h);
    }
    cx.report_column_slips();
    // The template's "Existing controls" are in place by definition (its "Additional
    // controls" are the ones to add): a status it does not state defaults to implemented.
    let existing = cx
        .header
        .fields
        .get(&Field::Control)
        .map(|&col| cx.header_name(col))
        .filter(|name| super::columns::normalise(name).ends_with("existingcontrols"));
    for k in 0..cx.controls.len() {
        let (id, row) = (cx.controls[k].id.clone(), cx.controls[k].rows[0]);
        if !cx.stated.contains(&(k, Field::ControlType)) {
            cx.slip("import-defaulted", row, None, &id, format!("control {id} has no control type: set to design (clinsafe needs one; correct it in controls.yaml)"));
        }
        if !cx.stated.contains(&(k, Field::ActionStatus)) {
            let message = match &existing {
                Some(_) if cx.additional.contains(&k) => format!(
                    "control {id} has no action status: set to planned, as it is listed among the additional controls (still to add)"
                ),
                Some(name) => {
                    cx.controls[k].status = ControlStatus::Implemented;
                    format!("control {id} has no action status: set to implemented, as '{name}' lists controls in place")
                }
                None => format!("control {id} has no action status: set to planned (not yet in place)"),
            };
            cx.slip("import-defaulted", row, None, &id, message);
        }
    }
    let mut controls = cx.controls;
    for c in &mut controls {
        c.rows.dedup();
    }
    (out, controls)
}
