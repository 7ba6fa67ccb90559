//! Step 3, a sheet of controls beside the log ("Control ID | Control | Type |
//! Status | Owner"), as some logs keep them: the log's rows name each control
//! by its number, this sheet says what it is.

use super::*;
use crate::import::fields::{control_extra, push_unique, CONTROL_COLUMNS};
use crate::import::RECORD_SHEETS;

/// The first sheet, other than the log and the record sheets, whose header
/// names control numbers and no hazard (see [`super::super::columns::find_controls_header`]).
pub fn find(book: &Workbook, log: usize) -> Option<(usize, Header)> {
    book.sheets
        .iter()
        .enumerate()
        .filter(|(i, s)| *i != log && !RECORD_SHEETS.iter().any(|(name, _)| *name == s.name))
        .find_map(|(i, s)| super::super::columns::find_controls_header(s).map(|h| (i, h)))
}

/// Each row of the controls sheet fills in the control of its number: its
/// text where the log had none, its type, status and owner, and any other
/// column as a note. A control the log never names is reported, not imported
/// (it would mitigate nothing).
pub(super) fn read<'a>(cx: &mut Ctx<'a>, sheet: usize, header: &'a Header) {
    let (log_sheet, log_header) = (cx.sheet, cx.header);
    (cx.sheet, cx.header) = (sheet, header);
    let name = &cx.book.sheets[sheet].name;
    for row in cx.book.sheets[sheet].rows[header.index + 1..].iter().filter(|r| !r.is_blank()) {
        let (id, text) = cx.item(row, Field::ControlId, Field::Control, "control");
        let Some(k) = id.as_ref().and_then(|id| cx.control_by_sheet_id.get(id).copied()) else {
            let (subject, what) = match &id {
                Some(id) => (id.as_str(), format!("control {id} is")),
                None => ("document", "a control without a number is".to_string()),
            };
            let message = format!(
                "{what} on sheet '{name}' but no row of the hazard log names it: not imported (it would \
                 mitigate nothing); name it on its hazard's row, or add it to controls.yaml"
            );
            cx.slip("import-unread-value", row.number, None, subject, message);
            continue;
        };
        let cid = cx.controls[k].id.clone();
        if let Some(text) = text {
            let untitled = |s: &Slip| s.kind == "import-missing-text" && s.subject == cid;
            if cx.slips.iter().any(untitled) {
                cx.slips.retain(|s| !untitled(s));
                cx.controls[k].title = text;
            } else if cx.controls[k].title != text {
                let col = header.fields[&Field::Control];
                control_extra(cx, k, row, col, &text);
            }
        }
        control_fields(cx, k, row);
        // Any column the control does not read (one of a hazard's fields too: `Category`) is a note.
        let read: Vec<usize> = [Field::ControlId, Field::Control]
            .iter()
            .chain(&CONTROL_COLUMNS)
            .filter_map(|f| header.fields.get(f).copied())
            .collect();
        for (col, cell) in row.cells.iter().enumerate() {
            if !cell.is_blank() && !read.contains(&col) {
                let note = format!("{}: {}", cx.header_name(col), cell.text().trim());
                push_unique(&mut cx.controls[k].notes, note);
            }
        }
    }
    (cx.sheet, cx.header) = (log_sheet, log_header);
}
