//! Workbooks built in the test: xlsx with rust_xlsxwriter, ods as a zip of XML.

use std::io::Write;

use rust_xlsxwriter::{Workbook, Worksheet};

/// A cell: text, or a number (the type matters to the importer).
pub enum C {
    T(&'static str),
    N(f64),
    E,
}

fn sheet(name: &str, rows: &[&[C]]) -> Worksheet {
    let mut ws = Worksheet::new();
    ws.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                C::T(t) => ws.write_string(r as u32, c as u16, *t).map(|_| ()),
                C::N(n) => ws.write_number(r as u32, c as u16, *n).map(|_| ()),
                C::E => Ok(()),
            }
            .unwrap();
        }
    }
    ws
}

pub fn header() -> Vec<C> {
    use C::T;
    vec![
        T("Hazard #"),
        T("Hazard Name"),
        T("Clinical impact"),
        T("Cause #"),
        T("Possible Causes"),
        T("Control #"),
        T("Additional controls"),
        T("Initial Consequence"),
        T("Initial Likelihood"),
        T("Initial Risk"),
        T("Control type"),
        T("Control owner"),
        T("Action status"),
        T("Residual Consequence"),
        T("Residual Likelihood"),
        T("Residual Risk"),
    ]
}

/// The NHS template as a workbook: cover, version history (newest first, as
/// many are kept), and the log with a title block above its header. Control
/// 010102 is stored as the number 10102 and one risk score as text "3".
pub fn xlsx_template() -> Vec<u8> {
    use C::{E, N, T};
    let mut book = Workbook::new();
    book.push_worksheet(sheet(
        "Cover",
        &[
            &[T("Clinical Safety Hazard Log")],
            &[],
            &[T("System"), T("Patient Messaging")],
            &[T("Supplier"), T("Example Messaging Ltd")],
            &[T("Document reference"), T("HL-PM-001")],
            &[T("Version"), T("1.1")],
            &[T("Date"), T("20/11/2026")],
            &[T("Owner"), T("Dr Jane Example")],
            &[T("Authors"), T("Dr Jane Example; A. Nurse")],
        ],
    ));
    book.push_worksheet(sheet(
        "Version History",
        &[
            &[T("Version"), T("Date"), T("Author"), T("Summary of changes")],
            &[T("1.1"), T("2026-11-20"), T("Dr Jane Example"), T("Residual risks reviewed")],
            &[T("1.0"), T("2026-06-01"), T("Dr Jane Example"), T("First issue")],
        ],
    ));
    let header = header();
    let rows: Vec<Vec<C>> = vec![
        vec![T("Hazard Log"), E, E, E, E, E, E, E, E, E, E, E, E, E, E, E],
        vec![],
        header,
        vec![
            T("01"),
            T("Message sent to wrong patient"),
            T("Wrong treatment"),
            T("0101"),
            T("Similar names"),
            T("010101"),
            T("Two-identifier check"),
            T("Major"),
            T("Medium"),
            N(3.0),
            T("Design"),
            T("Reception lead"),
            T("Closed"),
            T("Major"),
            T("Very low"),
            N(2.0),
        ],
        vec![
            E,
            E,
            E,
            E,
            E,
            N(10102.0),
            T("Confirm mobile number"),
            E,
            E,
            E,
            T("Business process"),
            T("Reception lead"),
            T("Closed"),
            E,
            E,
            E,
        ],
        vec![
            T("02"),
            T("Delayed response"),
            T("Missed deterioration"),
            T("0201"),
            T("Inbox not monitored"),
            T("020101"),
            T("Daily triage rota"),
            T("Considerable"),
            T("Medium"),
            T("3"),
            T("Business process"),
            T("Practice manager"),
            T("Open"),
            T("Considerable"),
            T("Low"),
            N(2.0),
        ],
    ];
    let refs: Vec<&[C]> = rows.iter().map(Vec::as_slice).collect();
    book.push_worksheet(sheet("Hazard Log", &refs));
    book.save_to_buffer().unwrap()
}

fn ods_cell(c: &C) -> String {
    match c {
        C::T(t) => format!("<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>"),
        C::N(n) => format!("<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"),
        C::E => "<table:table-cell/>".into(),
    }
}

/// A minimal OpenDocument spreadsheet: one sheet, written as the format's XML in a zip.
pub fn ods(sheet_name: &str, rows: &[Vec<C>]) -> Vec<u8> {
    let body: String = rows
        .iter()
        .map(|r| format!("<table:table-row>{}</table:table-row>", r.iter().map(ods_cell).collect::<String>()))
        .collect();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"{sheet_name}\">{body}</table:table>\
</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A log whose rating columns sit under merged group headings ("Initial
/// hazard risk" over Consequence / Likelihood / Risk rating), as many trusts'
/// sheets have them; the group text is stored in the merged range's first cell.
pub fn xlsx_two_row_header() -> Vec<u8> {
    use rust_xlsxwriter::Format;
    use C::{E, N, T};
    let mut ws = sheet(
        "Hazard Log",
        &[
            &[
                T("Hazard #"),
                T("Hazard Name"),
                T("Possible Causes"),
                T("Control #"),
                T("Controls"),
                E,
                E,
                E,
                E,
                E,
                E,
                T("Status"),
            ],
            &[
                E,
                E,
                E,
                E,
                E,
                T("Consequence"),
                T("Likelihood"),
                T("Risk rating"),
                T("Severity"),
                T("Likelihood"),
                T("Risk rating"),
                E,
            ],
            &[
                T("H1"),
                T("Wrong patient"),
                T("Similar names"),
                T("K1"),
                T("Two-identifier check"),
                T("Major"),
                T("Medium"),
                N(3.0),
                T("Major"),
                T("Very low"),
                N(2.0),
                T("Open"),
            ],
        ],
    );
    ws.merge_range(0, 5, 0, 7, "Initial hazard risk", &Format::new()).unwrap();
    ws.merge_range(0, 8, 0, 10, "Residual hazard risk", &Format::new()).unwrap();
    let mut book = Workbook::new();
    book.push_worksheet(ws);
    book.save_to_buffer().unwrap()
}

/// A log with `Reviews` and `Incidents` sheets as a user edited them after an export:
/// a date as an Excel serial number, a consequence in other words, a review of a hazard the log
/// does not list, a harm graded in other words, rows missing what they need, evidence with a
/// date in words and evidence for a control the log does not list.
pub fn xlsx_with_records() -> Vec<u8> {
    use C::{E, N, T};
    let mut book = Workbook::new();
    book.push_worksheet(sheet(
        "Hazard Log",
        &[
            &header(),
            &[
                T("01"),
                T("Wrong patient"),
                E,
                T("0101"),
                T("Similar names"),
                T("010101"),
                T("Two-identifier check"),
                T("Major"),
                T("Medium"),
                N(3.0),
                T("Design"),
                E,
                T("Closed"),
                T("Major"),
                T("Very low"),
                N(2.0),
            ],
        ],
    ));
    let review_header: &[C] = &[
        T("Hazard #"),
        T("Hazard Name"),
        T("Review Date"),
        T("Reviewed By"),
        T("Outcome"),
        T("Initial Consequence"),
        T("Initial Likelihood"),
        T("Initial Risk"),
        T("Residual Consequence"),
        T("Residual Likelihood"),
        T("Residual Risk"),
    ];
    book.push_worksheet(sheet(
        "Reviews",
        &[
            review_header,
            &[
                T("01"),
                T("Wrong patient"),
                T("2026-02-10"),
                T("Dr A"),
                T("Checked"),
                E,
                E,
                E,
                T("Quite bad"),
                T("Low"),
                E,
            ],
            &[T("09"), T("Not in the log"), T("2026-03-01"), T("Dr A"), T("Orphan"), E, E, E, E, E, E],
            &[T("01"), T("Wrong patient"), E, T("Dr A"), T("No date"), E, E, E, E, E, E],
        ],
    ));
    let incident_header: &[C] = &[
        T("Incident #"),
        T("Date"),
        T("Title"),
        T("Reference"),
        T("Harm"),
        T("Hazards"),
        T("Controls"),
        T("Status"),
        T("Learning"),
    ];
    book.push_worksheet(sheet(
        "Incidents",
        &[
            incident_header,
            // 46036 is 2026-01-14 as Excel counts days.
            &[
                T("INC-1"),
                N(46036.0),
                T("Reply to the wrong patient"),
                T("LFPSE-1"),
                T("Moderate harm"),
                // Named twice by hand: one link.
                T("01; 01"),
                T("010101"),
                T("Closed"),
                T("Retrained"),
            ],
            &[T("INC 2"), T("2026-02-01"), E, E, E, E, E, E, E],
        ],
    ));
    book.push_worksheet(sheet(
        "Evidence",
        &[
            &[T("Control #"), T("Control"), T("Evidence"), T("Date"), T("Valid Until"), T("Description")],
            &[
                T("010101"),
                T("Two-identifier check"),
                T("Test report TR-1"),
                T("12/03/2026"),
                T("next year"),
                E,
            ],
            &[T("999999"), T("Not in the log"), T("Audit A-1"), E, E, E],
        ],
    ));
    book.save_to_buffer().unwrap()
}
