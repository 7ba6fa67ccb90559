//! The cells of a row that describe its hazard or its control. The first
//! value stated wins; a different one on a later row is kept as a note and
//! reported, never dropped.

use super::columns::Field;
use super::ctx::Ctx;
use super::sheet::Row;
use super::values;

pub(super) fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The items of a cell that holds a list (effects, references, notes): one a
/// line, an indented line continuing the item above (as clinsafe's export
/// writes an item that spans lines).
fn lines(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for line in text.lines() {
        let (indented, line) = (line.starts_with([' ', '\t']), line.trim());
        match items.last_mut() {
            _ if line.is_empty() => {}
            Some(item) if indented => {
                item.push('\n');
                item.push_str(line);
            }
            _ => items.push(line.to_string()),
        }
    }
    items
}

/// The first value stated wins: sets an empty `slot`; `false` when it already
/// holds a different value (the caller keeps that one as a note, and says so).
fn first_wins<T: PartialEq + Clone>(slot: &mut Option<T>, value: &T) -> bool {
    match slot {
        None => {
            *slot = Some(value.clone());
            true
        }
        Some(old) => old == value,
    }
}

pub fn hazard_fields(cx: &mut Ctx, h: usize, row: &Row) {
    type Slot = fn(&mut super::HazardOut) -> &mut Option<String>;
    let singles: [(Field, Slot); 10] = [
        (Field::Description, |o| &mut o.description),
        (Field::Harm, |o| &mut o.harm),
        (Field::HazardOwner, |o| &mut o.owner),
        (Field::Justification, |o| &mut o.justification),
        (Field::Category, |o| &mut o.category),
        (Field::RaisedBy, |o| &mut o.raised_by),
        (Field::ClosedBy, |o| &mut o.closed_by),
        (Field::ManufacturerHazard, |o| &mut o.source),
        (Field::TransferredTo, |o| &mut o.transferred_to),
        (Field::WithdrawnReason, |o| &mut o.withdrawn_reason),
    ];
    for (f, slot) in singles {
        let Some((col, t)) = cx.text(row, f) else { continue };
        if !first_wins(slot(&mut cx.hazards[h].out), &t) {
            extra(cx, h, row, col, t);
        }
    }
    if let Some((col, t)) = cx.text(row, Field::HazardStatus) {
        match values::hazard_status(&t) {
            Some(s) => {
                cx.spelling(col, &row.cell(col).text(), s.as_str(), row.number);
                if !first_wins(&mut cx.hazards[h].out.status, &s) {
                    extra(cx, h, row, col, t);
                }
            }
            None => {
                unread(cx, h, row, col, &t, "open | closed | transferred | withdrawn; the hazard stays open")
            }
        }
    }
    if let Some((col, t)) = cx.text(row, Field::ReviewEvery) {
        // Read here, so a value the project could not load is kept as a note instead.
        match crate::model::date::Period::parse(&t) {
            Err(_) => unread(cx, h, row, col, &t, "a period such as 6 months, 1 year or 90 days"),
            Ok(p) => {
                if !first_wins(&mut cx.hazards[h].out.review_every, &p.to_string()) {
                    extra(cx, h, row, col, t);
                }
            }
        }
    }
    type DateSlot = fn(&mut super::HazardOut) -> &mut Option<crate::model::date::Date>;
    let dates: [(Field, DateSlot); 3] = [
        (Field::RaisedOn, |o| &mut o.raised_on),
        (Field::ClosedOn, |o| &mut o.closed_on),
        (Field::ReviewBy, |o| &mut o.review_by),
    ];
    for (f, slot) in dates {
        let Some((col, t)) = cx.text(row, f) else { continue };
        // A date cell, an Excel day number in a plain cell, or text such as 20/11/2026.
        match row.cell(col).as_date() {
            None => unread(cx, h, row, col, &t, "a date (YYYY-MM-DD or DD/MM/YYYY)"),
            Some(d) => {
                if !first_wins(slot(&mut cx.hazards[h].out), &d) {
                    extra(cx, h, row, col, t);
                }
            }
        }
    }
    let lists = [
        (Field::Effects, 0),
        (Field::References, 1),
        (Field::Notes, 2),
        (Field::Tags, 3),
        (Field::RelatedHazards, 4),
    ];
    for (f, slot) in lists {
        let Some((_, t)) = cx.text(row, f) else { continue };
        let out = &mut cx.hazards[h].out;
        let list = [&mut out.effects, &mut out.references, &mut out.notes, &mut out.tags, &mut out.related]
            .into_iter()
            .nth(slot)
            .expect("five lists");
        // Related hazards are ids, listed as the incidents' are ("H2, H3"); the rest are text.
        let items = if f == Field::RelatedHazards { values::id_list(&t) } else { lines(&t) };
        items.into_iter().for_each(|l| push_unique(list, l));
    }
}

/// A second, different value for a hazard's single field: a note, and a slip.
fn extra(cx: &mut Ctx, h: usize, row: &Row, col: usize, text: String) {
    let name = cx.header_name(col);
    let id = cx.hazards[h].out.id.clone();
    cx.slip(
        "import-extra-value",
        row.number,
        Some(col),
        &id,
        format!(
        "hazard {id} has a different '{name}' on this row: the first is kept, this one is added to its notes"
    ),
    );
    push_unique(&mut cx.hazards[h].out.notes, format!("{name} (row {}): {text}", row.number));
}

/// A value clinsafe cannot read: kept as a note on the hazard, and reported.
pub fn unread(cx: &mut Ctx, h: usize, row: &Row, col: usize, text: &str, expected: &str) {
    let name = cx.header_name(col);
    let id = cx.hazards[h].out.id.clone();
    cx.slip(
        "import-unread-value",
        row.number,
        Some(col),
        &id,
        format!(
        "'{name}' \"{text}\" is not a value clinsafe knows (expected {expected}): kept in hazard {id}'s notes"
    ),
    );
    push_unique(&mut cx.hazards[h].out.notes, format!("{name} (row {}): {text}", row.number));
}

/// The columns that describe a row's control, each read by [`control_fields`].
pub const CONTROL_COLUMNS: [Field; 11] = [
    Field::ControlType,
    Field::ActionStatus,
    Field::ControlOwner,
    Field::Action,
    Field::ControlNotes,
    Field::ControlReferences,
    Field::ControlDetails,
    Field::ControlTransferredFrom,
    Field::ControlEvery,
    Field::ControlDue,
    Field::ControlLastDone,
];

/// Control cells on a row that names no control. Rows do not continue the
/// control above (a blank control cell is a row without one), and giving that
/// control a type or status the sheet did not give it would be a guess about
/// what is in place: each cell is kept in the hazard's notes and reported.
pub fn control_cells_without_control(cx: &mut Ctx, h: usize, row: &Row) {
    let mut cells: Vec<(usize, String)> = CONTROL_COLUMNS.iter().filter_map(|&f| cx.text(row, f)).collect();
    cells.sort();
    // An additional control on the row is read from its text alone (it is planned).
    let column = cx.header.fields.get(&Field::Control).map(|&c| cx.header_name(c));
    let names_no_control = match (cx.text(row, Field::AdditionalControl), column) {
        (Some(_), Some(column)) => format!("names no control in '{column}' (only an additional one)"),
        _ => "names no control".to_string(),
    };
    let id = cx.hazards[h].out.id.clone();
    for (col, t) in cells {
        let name = cx.header_name(col);
        cx.slip(
            "import-no-control",
            row.number,
            Some(col),
            &id,
            format!(
                "'{name}' \"{}\" is on a row that {names_no_control}: kept in hazard {id}'s notes \
                 (name the control on this row, by number or text, to import it as that control's)",
                super::ctx::short(&t)
            ),
        );
        push_unique(&mut cx.hazards[h].out.notes, format!("{name} (row {}): {t}", row.number));
    }
}

pub fn control_fields(cx: &mut Ctx, k: usize, row: &Row) {
    if let Some((col, t)) = cx.text(row, Field::ControlType) {
        match values::control_type(&t) {
            Some(ty) => {
                cx.spelling(col, &row.cell(col).text(), values::control_type_name(ty), row.number);
                if cx.stated.insert((k, Field::ControlType)) {
                    cx.controls[k].control_type = ty;
                } else if cx.controls[k].control_type != ty {
                    control_extra(cx, k, row, col, &t);
                }
            }
            None => {
                control_unread(cx, k, row, col, &t, "design, test, training, business process or information")
            }
        }
    }
    if let Some((col, t)) = cx.text(row, Field::ActionStatus) {
        match values::control_status(&t) {
            Some(st) => {
                cx.spelling(col, &row.cell(col).text(), st.as_str(), row.number);
                if cx.stated.insert((k, Field::ActionStatus)) {
                    cx.controls[k].status = st;
                } else if cx.controls[k].status != st {
                    control_extra(cx, k, row, col, &t);
                }
            }
            None => control_unread(cx, k, row, col, &t, "open/planned, closed/implemented or verified"),
        }
    }
    if let Some((col, t)) = cx.text(row, Field::ControlOwner) {
        if !first_wins(&mut cx.controls[k].owner, &t) {
            control_extra(cx, k, row, col, &t);
        }
    }
    if let Some((col, t)) = cx.text(row, Field::Action) {
        let name = cx.header_name(col);
        push_unique(&mut cx.controls[k].notes, format!("{name}: {t}"));
    }
    if let Some((_, t)) = cx.text(row, Field::ControlNotes) {
        lines(&t).into_iter().for_each(|l| push_unique(&mut cx.controls[k].notes, l));
    }
    if let Some((_, t)) = cx.text(row, Field::ControlReferences) {
        lines(&t).into_iter().for_each(|l| push_unique(&mut cx.controls[k].references, l));
    }
    type Slot = fn(&mut super::ControlOut) -> &mut Option<String>;
    let singles: [(Field, Slot); 2] = [
        (Field::ControlDetails, |o| &mut o.description),
        (Field::ControlTransferredFrom, |o| &mut o.transferred_from),
    ];
    for (f, slot) in singles {
        let Some((col, t)) = cx.text(row, f) else { continue };
        if !first_wins(slot(&mut cx.controls[k]), &t) {
            control_extra(cx, k, row, col, &t);
        }
    }
    if let Some((col, t)) = cx.text(row, Field::ControlEvery) {
        // Read here, so a value the project could not load is kept as a note instead.
        match crate::model::date::Period::parse(&t) {
            Err(_) => control_unread(cx, k, row, col, &t, "a period such as 3 months, 1 year or 90 days"),
            Ok(p) => {
                if !first_wins(&mut cx.controls[k].every, &p.to_string()) {
                    control_extra(cx, k, row, col, &t);
                }
            }
        }
    }
    type DateSlot = fn(&mut super::ControlOut) -> &mut Option<crate::model::date::Date>;
    let dates: [(Field, DateSlot); 2] =
        [(Field::ControlDue, |o| &mut o.due), (Field::ControlLastDone, |o| &mut o.last_done)];
    for (f, slot) in dates {
        let Some((col, t)) = cx.text(row, f) else { continue };
        match row.cell(col).as_date() {
            None => control_unread(cx, k, row, col, &t, "a date (YYYY-MM-DD or DD/MM/YYYY)"),
            Some(d) => {
                if !first_wins(slot(&mut cx.controls[k]), &d) {
                    control_extra(cx, k, row, col, &t);
                }
            }
        }
    }
}

pub(super) fn control_extra(cx: &mut Ctx, k: usize, row: &Row, col: usize, text: &str) {
    let name = cx.header_name(col);
    let id = cx.controls[k].id.clone();
    cx.slip(
        "import-extra-value",
        row.number,
        Some(col),
        &id,
        format!(
        "control {id} has a different '{name}' on this row: the first is kept, this one is added to its notes"
    ),
    );
    push_unique(&mut cx.controls[k].notes, format!("{name} (row {}): {text}", row.number));
}

fn control_unread(cx: &mut Ctx, k: usize, row: &Row, col: usize, text: &str, expected: &str) {
    let name = cx.header_name(col);
    let id = cx.controls[k].id.clone();
    cx.slip("import-unread-value", row.number, Some(col), &id, format!(
        "'{name}' \"{text}\" is not a value clinsafe knows (expected {expected}): kept in control {id}'s notes"
    ));
    push_unique(&mut cx.controls[k].notes, format!("{name} (row {}): {text}", row.number));
}

/// Cells in columns that map to no field: notes on the hazard, under their header.
pub fn other_cells(cx: &mut Ctx, h: usize, row: &Row) {
    for (col, cell) in row.cells.iter().enumerate() {
        if cell.is_blank() || cx.header.fields.values().any(|&c| c == col) {
            continue;
        }
        let note = format!("{}: {}", cx.header_name(col), cell.text().trim());
        push_unique(&mut cx.hazards[h].out.notes, note);
    }
}
