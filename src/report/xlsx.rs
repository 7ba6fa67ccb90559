//! `render --format xlsx`: `hazard-log.xlsx` in the NHS hazard log template's
//! layout (one row per hazard × cause × control), with a cover sheet and a
//! version history sheet, for organisations that must submit a spreadsheet.
//! `clinsafe import` reads it back to the same project.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::graph::Graph;
use crate::import::{records, RECORD_SHEETS};
use crate::model::date::Date;
use crate::model::status::{DocumentStatus, HazardStatus};
use crate::model::{Control, Hazard, Project, Risk};

/// The hazard log sheet's columns, as `clinsafe import` knows them.
pub const COLUMNS: [&str; 42] = [
    "Hazard #",
    "Hazard Name",
    "Hazard Description",
    "Potential Clinical Impact",
    "Effects",
    "Cause #",
    "Possible Causes",
    "Control #",
    "Additional Controls",
    "Control Type",
    "Control Owner",
    "Action Status",
    "Control Notes",
    "Initial Consequence",
    "Initial Likelihood",
    "Initial Risk",
    "Residual Consequence",
    "Residual Likelihood",
    "Residual Risk",
    "Justification",
    "Hazard Owner",
    "Hazard Status",
    "References",
    "Notes",
    // The hazard's dates, after the template's columns (which have none for them), as
    // `clinsafe import` reads them: an imported log comes back with its dates.
    "Date Raised",
    "Date Closed",
    "Review Date",
    // The rest of what a hazard records, so a native project's export loses none of it.
    "Category",
    "Tags",
    "Related Hazards",
    "Raised By",
    "Closed By",
    "Manufacturer Hazard",
    "Review Every",
    "Transferred To",
    "Withdrawn Reason",
    // And what a control records beyond the template's columns.
    "Control Details",
    "Control Due",
    "Control Every",
    "Control Last Done",
    "Control References",
    "Control Transferred From",
];

/// Excel's limit for one cell, in UTF-16 units; rust_xlsxwriter refuses the
/// whole workbook past it.
const CELL_LIMIT: usize = 32_767;

const LOG_SHEET: &str = "Hazard Log";

thread_local! {
    /// The cells [`fit`] cut during this [`write`], for its warnings.
    static CUT: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `text`, cut to fit one cell with a note saying so (and where the whole
/// text is) when it is longer than Excel allows.
fn fit<'a>(text: &'a str, sheet: &str, row: u32, col: u16) -> std::borrow::Cow<'a, str> {
    let units = text.encode_utf16().count();
    if units <= CELL_LIMIT {
        return text.into();
    }
    let note = " … [cut at Excel's limit of 32,767 characters a cell: the full text is in hazard-log.html and hazard-log.pdf]";
    let room = CELL_LIMIT - note.encode_utf16().count();
    let (mut used, mut end) = (0, 0);
    for (i, c) in text.char_indices() {
        if used + c.len_utf16() > room {
            break;
        }
        used += c.len_utf16();
        end = i + c.len_utf8();
    }
    CUT.with(|cut| {
        cut.borrow_mut().push(format!(
            "hazard-log.xlsx: sheet {sheet}, cell {} holds {units} characters, past Excel's limit of \
             32,767: it is cut there and says so (the HTML and PDF hold the whole text)",
            rust_xlsxwriter::utility::row_col_to_cell(row, col)
        ))
    });
    format!("{}{note}", &text[..end]).into()
}

fn err(e: XlsxError) -> String {
    format!("cannot write hazard-log.xlsx: {e}")
}

/// The workbook's bytes, and warnings for cells cut to Excel's limit. Same
/// project and `as_of` → same bytes (the creation date is `as_of`; the zip
/// entries carry a fixed time).
pub fn write(project: &Project, graph: &Graph, as_of: Date) -> Result<(Vec<u8>, Vec<String>), String> {
    CUT.with(|cut| cut.borrow_mut().clear());
    let mut book = Workbook::new();
    // Excel's calendar starts in 1900: a day before it (`--as-of 0001-01-01`) is recorded as
    // its first day rather than refusing the workbook.
    let year: u16 = as_of.0.format("%Y").to_string().parse().unwrap_or(2000);
    let (year, month, day) = if year < 1900 { (1900, 1, 1) } else { (year, month(as_of), day(as_of)) };
    let created = ExcelDateTime::from_ymd(year, month, day).map_err(err)?;
    book.set_properties(&DocProperties::new().set_title("Hazard log").set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    book.push_worksheet(cover(project, &bold).map_err(err)?);
    book.push_worksheet(history(project, &bold, &wrap).map_err(err)?);
    book.push_worksheet(log(project, graph, &bold, &wrap).map_err(err)?);
    // The records kept beside the log, each on its own sheet when there are any.
    if project.hazards.iter().any(|h| !h.reviews.is_empty()) {
        book.push_worksheet(reviews(project, &bold, &wrap).map_err(err)?);
    }
    if !project.incidents.is_empty() {
        book.push_worksheet(incidents(project, &bold, &wrap).map_err(err)?);
    }
    if project.controls.iter().any(|c| !c.evidence.is_empty()) {
        book.push_worksheet(evidence(project, &bold, &wrap).map_err(err)?);
    }
    let bytes = book.save_to_buffer().map_err(err)?;
    Ok((bytes, CUT.with(|cut| std::mem::take(&mut *cut.borrow_mut()))))
}

fn month(d: Date) -> u8 {
    chrono::Datelike::month(&d.0) as u8
}

fn day(d: Date) -> u8 {
    chrono::Datelike::day(&d.0) as u8
}

fn cover(p: &Project, bold: &Format) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("Cover")?;
    ws.set_column_width(0, 28)?.set_column_width(1, 60)?;
    let m = &p.manifest;
    let d = &m.document;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut rows: Vec<(&str, String)> = vec![
        ("System", m.system.name.clone()),
        ("System version", opt(&m.system.version)),
        ("Supplier", opt(&m.system.supplier)),
        ("Organisation", m.organisation.as_ref().map(|o| o.name.clone()).unwrap_or_default()),
        ("ODS code", m.organisation.as_ref().and_then(|o| o.ods_code.clone()).unwrap_or_default()),
        ("Document ID", d.id.clone()),
        ("Version", d.version.clone()),
        ("Status", if d.status == DocumentStatus::Issued { "issued" } else { "draft" }.into()),
        ("Date", shown(&d.date)),
        ("Review date", shown(&d.review_by)),
        ("Owner", opt(&d.owner)),
        ("Authors", d.authors.join("; ")),
        (
            "Clinical safety officer",
            m.clinical_safety_officer.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
        ),
    ];
    // The manufacturer's report, under the labels `import` reads it from.
    if let Some(r) = &m.manufacturer {
        rows.extend([
            ("Manufacturer's safety case", r.reference.clone()),
            ("Manufacturer's safety case version", opt(&r.version)),
            ("Manufacturer's safety case date", shown(&r.date)),
            ("Manufacturer's safety case reviewed by", opt(&r.reviewed_by)),
            ("Manufacturer's safety case reviewed on", shown(&r.reviewed_on)),
        ]);
    }
    rows.extend(d.notes.iter().map(|n| ("Notes", n.clone())));
    for (r, (label, value)) in rows.into_iter().filter(|(_, v)| !v.is_empty()).enumerate() {
        ws.write_string_with_format(r as u32, 0, label, bold)?;
        ws.write_string(r as u32, 1, fit(&value, "Cover", r as u32, 1))?;
    }
    Ok(ws)
}

fn history(p: &Project, bold: &Format, wrap: &Format) -> Result<Worksheet, XlsxError> {
    let header = [("Version", 10.0), ("Date", 12.0), ("Author", 24.0), ("Summary", 60.0)];
    let rows: Vec<Vec<String>> = p
        .manifest
        .document
        .history
        .iter()
        .map(|h| {
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            vec![h.version.clone(), shown(&h.date), text(&h.author), text(&h.summary)]
        })
        .collect();
    table("Version history", &header, &rows, bold, wrap)
}

/// Consequence, likelihood and the matrix rating, "TBC" for a missing half.
fn risk_cells(r: &Option<Risk>) -> [String; 3] {
    match r {
        None => Default::default(),
        Some(r) => [
            r.severity.map_or("TBC", |s| s.as_str()).to_string(),
            r.likelihood.map_or("TBC", |l| l.as_str()).to_string(),
            r.rating().map(|n| n.to_string()).unwrap_or_default(),
        ],
    }
}

/// (cause index, control id) per row of one hazard: controls on no cause
/// first (a blank cause cell continues the cause above), then each cause.
/// A control the hazard names that no item has (a `dangling-reference`) keeps
/// its row, with only its id: dropped, the round trip through `import` would
/// make a broken log look whole.
fn hazard_rows<'a>(h: &'a Hazard, graph: &'a Graph) -> Vec<(Option<usize>, Option<&'a str>)> {
    let under_causes: Vec<&str> =
        h.causes.iter().flat_map(|c| c.controls.iter().map(|l| l.value.as_str())).collect();
    let missing = h.controls.iter().map(|l| l.value.as_str()).filter(|id| graph.node(id).is_none());
    let mut rows: Vec<(Option<usize>, Option<&str>)> = graph
        .controls_of(&h.id)
        .into_iter()
        .chain(missing)
        .filter(|c| !under_causes.contains(c))
        .map(|c| (None, Some(c)))
        .collect();
    for (i, c) in h.causes.iter().enumerate() {
        if c.controls.is_empty() {
            rows.push((Some(i), None));
        }
        rows.extend(c.controls.iter().map(|l| (Some(i), Some(l.value.as_str()))));
    }
    if rows.is_empty() {
        rows.push((None, None));
    }
    rows
}

fn log(p: &Project, graph: &Graph, bold: &Format, wrap: &Format) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(LOG_SHEET)?;
    for (c, name) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, bold)?;
        ws.set_column_width(c as u16, if matches!(c, 1 | 2 | 3 | 6 | 8) { 40 } else { 14 })?;
    }
    ws.set_freeze_panes(1, 0)?;
    let control = |id: &str| p.controls.iter().find(|c| c.id == id);
    let mut r: u32 = 1;
    for h in &p.hazards {
        let mut last_cause = None;
        for (i, (cause, ctl)) in hazard_rows(h, graph).into_iter().enumerate() {
            let mut cells: [String; 42] = std::array::from_fn(|_| String::new());
            if i == 0 {
                let [is, il, ir] = risk_cells(&h.initial);
                let [rs, rl, rr] = risk_cells(&h.residual);
                let opt = |v: &Option<String>| v.clone().unwrap_or_default();
                for (c, v) in [
                    (0, h.id.clone()),
                    (1, h.title.clone()),
                    (2, opt(&h.description)),
                    (3, opt(&h.harm)),
                    (4, list_cell(&h.effects)),
                    (13, is),
                    (14, il),
                    (15, ir),
                    (16, rs),
                    (17, rl),
                    (18, rr),
                    (19, opt(&h.justification)),
                    (20, opt(&h.owner)),
                    (22, list_cell(&h.references)),
                    (23, list_cell(&h.notes)),
                    (24, shown(&h.record.raised_on)),
                    (25, shown(&h.record.closed_on)),
                    (26, shown(&h.review_by)),
                    (27, opt(&h.record.category)),
                    (28, list_cell(&h.tags)),
                    (29, h.related.iter().map(|r| r.value.as_str()).collect::<Vec<_>>().join("\n")),
                    (30, opt(&h.record.raised_by)),
                    (31, opt(&h.record.closed_by)),
                    (32, shown(&h.record.source)),
                    (33, shown(&h.review_every)),
                    (34, opt(&h.transferred_to)),
                    (35, opt(&h.withdrawn_reason)),
                ] {
                    cells[c] = v;
                }
                if h.status != HazardStatus::Open {
                    cells[21] = h.status.as_str().into();
                }
            }
            if let Some(ci) = cause.filter(|&ci| last_cause != Some(ci)) {
                cells[5] = h.causes[ci].id.as_ref().map(|i| i.value.clone()).unwrap_or_default();
                cells[6] = h.causes[ci].text.clone();
                last_cause = Some(ci);
            }
            match ctl.map(|id| (id, control(id))) {
                Some((_, Some(c))) => fill_control(&mut cells, c),
                Some((id, None)) if graph.node(id).is_none() => cells[7] = id.to_string(),
                _ => {}
            }
            for (c, v) in cells.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                // Ratings are numbers; everything else (ids such as 010101 included) is text.
                match v.parse::<f64>() {
                    Ok(n) if c == 15 || c == 18 => ws.write_number(r, c as u16, n)?,
                    _ => ws.write_string_with_format(r, c as u16, fit(v, LOG_SHEET, r, c as u16), wrap)?,
                };
            }
            r += 1;
        }
    }
    Ok(ws)
}

/// A sheet of text rows under a bold header row that stays in view.
fn table(
    name: &str,
    header: &[(&str, f64)],
    rows: &[Vec<String>],
    bold: &Format,
    wrap: &Format,
) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(name)?;
    for (c, (title, width)) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *title, bold)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            ws.write_string_with_format(r as u32 + 1, c as u16, fit(v, name, r as u32 + 1, c as u16), wrap)?;
        }
    }
    Ok(ws)
}

/// Every hazard review, by hazard then date, with the ratings it recorded (as the log's
/// columns give them; blank where the review did not re-rate).
fn reviews(p: &Project, bold: &Format, wrap: &Format) -> Result<Worksheet, XlsxError> {
    let widths = [12.0, 40.0, 12.0, 20.0, 50.0, 14.0, 14.0, 12.0, 14.0, 14.0, 12.0];
    let header: Vec<(&str, f64)> = records::REVIEW_COLUMNS.into_iter().zip(widths).collect();
    let rows: Vec<Vec<String>> = p
        .hazards
        .iter()
        .flat_map(|h| {
            h.reviews.iter().map(move |v| {
                let mut row = vec![
                    h.id.clone(),
                    h.title.clone(),
                    v.date.value.to_string(),
                    v.by.clone().unwrap_or_default(),
                    v.outcome.clone().unwrap_or_default(),
                ];
                row.extend(risk_cells(&v.initial));
                row.extend(risk_cells(&v.residual));
                row
            })
        })
        .collect();
    table(RECORD_SHEETS[0].0, &header, &rows, bold, wrap)
}

/// The incident log as written, with the hazards and controls each names.
fn incidents(p: &Project, bold: &Format, wrap: &Format) -> Result<Worksheet, XlsxError> {
    let widths = [12.0, 12.0, 40.0, 16.0, 10.0, 16.0, 16.0, 10.0, 50.0];
    let header: Vec<(&str, f64)> = records::INCIDENT_COLUMNS.into_iter().zip(widths).collect();
    let ids = |list: &[crate::span::Located<String>]| {
        list.iter().map(|x| x.value.as_str()).collect::<Vec<_>>().join("\n")
    };
    let rows: Vec<Vec<String>> = p
        .incidents
        .iter()
        .map(|i| {
            vec![
                i.id.clone(),
                i.date.value.to_string(),
                i.title.clone(),
                i.reference.clone().unwrap_or_default(),
                i.harm.map(|h| h.as_str().to_string()).unwrap_or_default(),
                ids(&i.hazards),
                ids(&i.controls),
                i.status.as_str().into(),
                i.learning.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(RECORD_SHEETS[1].0, &header, &rows, bold, wrap)
}

/// Each control's evidence (the template has no column for it), one row per item.
fn evidence(p: &Project, bold: &Format, wrap: &Format) -> Result<Worksheet, XlsxError> {
    let widths = [12.0, 40.0, 30.0, 12.0, 12.0, 50.0];
    let header: Vec<(&str, f64)> = records::EVIDENCE_COLUMNS.into_iter().zip(widths).collect();
    let rows: Vec<Vec<String>> = p
        .controls
        .iter()
        .flat_map(|c| {
            c.evidence.iter().map(move |e| {
                vec![
                    c.id.clone(),
                    c.title.clone(),
                    e.reference.clone(),
                    shown(&e.date),
                    shown(&e.valid_until),
                    e.description.clone().unwrap_or_default(),
                ]
            })
        })
        .collect();
    table(RECORD_SHEETS[2].0, &header, &rows, bold, wrap)
}

/// A located value (a date, a period) as its cell shows it; blank when not stated.
fn shown<T: std::fmt::Display>(v: &Option<crate::span::Located<T>>) -> String {
    v.as_ref().map(|v| v.value.to_string()).unwrap_or_default()
}

/// A list in one cell, an item a line, the further lines of an item indented,
/// so `import` reads each back whole.
fn list_cell(items: &[String]) -> String {
    items.iter().map(|i| i.replace('\n', "\n  ")).collect::<Vec<_>>().join("\n")
}

fn fill_control(cells: &mut [String; 42], c: &Control) {
    cells[7] = c.id.clone();
    cells[8] = c.title.clone();
    cells[9] = c.control_type.as_str().into();
    cells[10] = c.owner.clone().unwrap_or_default();
    cells[11] = c.status.as_str().into();
    cells[12] = list_cell(&c.notes);
    cells[36] = c.description.clone().unwrap_or_default();
    cells[37] = shown(&c.due);
    cells[38] = shown(&c.every);
    cells[39] = shown(&c.last_done);
    cells[40] = list_cell(&c.references);
    cells[41] = shown(&c.transferred_from);
}
