//! Hazard logs shaped like the published DCB0129/DCB0160 templates as trusts
//! keep them: a merged title above the header, "Severity/Consequence"
//! headings, an instructions sheet, a hidden list sheet, a second hazard log
//! sheet, formulas. Nothing may be lost without a word.

use std::io::{Read, Write};

use rust_xlsxwriter::{Formula, Workbook, Worksheet};

use super::{import_book, import_ok, read, slips_of, temp_file};
use crate::check_json;

const HEADER: [&str; 15] = [
    "Hazard ID",
    "Hazard Name",
    "Hazard Description",
    "Potential Clinical Impact",
    "Possible Causes",
    "Existing Controls",
    "Initial Severity/Consequence",
    "Initial Likelihood",
    "Initial Risk Rating",
    "Additional Controls",
    "Residual Severity/Consequence",
    "Residual Likelihood",
    "Residual Risk Rating",
    "Hazard Status",
    "Owner",
];

fn log_sheet(name: &str, first_row: u32, rows: &[[&str; 15]]) -> Worksheet {
    let mut ws = Worksheet::new();
    ws.set_name(name).unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(first_row, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            ws.write_string(first_row + 1 + r as u32, c as u16, *v).unwrap();
        }
    }
    ws
}

fn published_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let mut instructions = Worksheet::new();
    instructions.set_name("Instructions").unwrap();
    instructions.write_string(0, 0, "Complete one row per hazard; rate with the DCB0129 matrix.").unwrap();
    book.push_worksheet(instructions);
    let mut lists = Worksheet::new();
    lists.set_name("Lists").unwrap().set_hidden(true);
    for (r, v) in ["Minor", "Significant", "Considerable", "Major", "Catastrophic"].iter().enumerate() {
        lists.write_string(r as u32, 0, *v).unwrap();
    }
    book.push_worksheet(lists);
    let mut log = log_sheet(
        "Hazard Log",
        3,
        &[
            [
                "H001",
                "Wrong patient record displayed",
                "Another patient's record shown",
                "Treatment based on wrong data",
                "Demographic mismatch",
                "NHS number check",
                "Major",
                "Medium",
                "3",
                "Second identifier check",
                "Major",
                "Very Low",
                "2",
                "Open",
                "CSO",
            ],
            [
                "H002",
                "Appointment not booked",
                "Booking fails silently",
                "Delayed care",
                "Integration outage",
                "Interface monitoring",
                "Considerable",
                "Low",
                "",
                "Alerting",
                "Considerable",
                "Very Low",
                "",
                "Open",
                "Service manager",
            ],
        ],
    );
    log.merge_range(0, 0, 0, 14, "Clinical Safety Hazard Log - Patient Portal", &Default::default()).unwrap();
    // A rating the sheet computes; its stored result is removed below.
    log.write_formula(5, 8, "=IF(G6=\"Considerable\",2,0)").unwrap();
    // An empty template row whose cells compute "": blank, as Excel shows it.
    for c in 0..15 {
        log.write_formula(7, c, Formula::new("=IF(A8=\"\",\"\",1)").set_result("")).unwrap();
    }
    book.push_worksheet(log);
    book.push_worksheet(log_sheet(
        "Hazard Log (Phase 2)",
        0,
        &[[
            "H101",
            "Message to the wrong recipient",
            "",
            "Disclosure",
            "Autocomplete",
            "Confirm recipient",
            "Major",
            "Low",
            "3",
            "",
            "Major",
            "Very Low",
            "2",
            "Open",
            "CSO",
        ]],
    ));
    without_formula_results(&book.save_to_buffer().unwrap())
}

/// The workbook as a script (openpyxl, a database export) saves it: formulas
/// without the result Excel would have stored beside them.
fn without_formula_results(xlsx: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        while let Some(at) = text.find("</f><v>0</v>") {
            let end = at + text[at..].find("</v>").unwrap() + "</v>".len();
            text.replace_range(at..end, "</f>");
        }
        out.start_file(entry.name().unwrap().to_string(), stored).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn severity_consequence_headings_are_read_as_the_ratings() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.xlsx", &published_workbook());
    let out = dir.path().join("p");
    import_ok(&file, &out, &[]);
    let (_, report) = check_json(&out, &[]);
    let h = &report["hazards"][0];
    assert_eq!(h["initial"]["rating"], 3, "{h}");
    assert_eq!(h["residual"]["rating"], 2, "{h}");
    assert_eq!(report["hazards"][1]["initial"]["severity"], "considerable");
    assert_eq!(
        report["hazards"].as_array().unwrap().len(),
        2,
        "a row of formulas computing \"\" is blank: {report}"
    );
}

#[test]
fn a_second_hazard_log_sheet_is_reported_not_read_as_the_cover() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.xlsx", &published_workbook());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let manifest = read(&out, "clinsafe.yaml");
    assert!(
        !manifest.contains("H101") && !manifest.contains("owner:"),
        "hazard rows read as cover cells: {manifest}"
    );
    let skipped: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "import-sheet-skipped")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        skipped.iter().any(|m| m.contains("'Hazard Log (Phase 2)' holds another hazard log (1 row")
            && m.contains("--sheet \"Hazard Log (Phase 2)\"")),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(|m| m.contains("'Instructions'")) && skipped.iter().any(|m| m.contains("'Lists'"))
    );
}

#[test]
fn a_formula_with_no_stored_result_is_reported_not_invented() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.xlsx", &published_workbook());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let unread: Vec<&serde_json::Value> =
        json["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "import-unread-value").collect();
    assert_eq!(unread.len(), 1, "one report for the sheet: {unread:?}");
    let f = unread[0];
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(6), Some(9)), "{f}");
    let message = f["message"].as_str().unwrap();
    assert!(message.starts_with("16 cells on this sheet hold a formula with no stored result"), "{message}");
    assert!(
        message.contains("`=IF(G6=\"Considerable\",2,0)`") && message.contains("Excel or LibreOffice"),
        "{message}"
    );
}

/// Excel's plain "CSV" in Windows-1252 (a pound sign, an en dash, an accent
/// are single bytes), separated by semicolons as Excel writes it where the
/// decimal mark is a comma.
#[test]
fn an_excel_csv_in_windows_1252_with_semicolons_keeps_its_text() {
    let csv =
        b"Hazard ID;Hazard Name;Possible Causes;Existing Controls;Initial Severity;Initial Likelihood\r\n\
H1;Charge of \xa35 shown \x96 caf\xe9 order;Rounding, twice;Price check;Major;Low\r\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv);
    let out = dir.path().join("p");
    import_ok(&file, &out, &[]);
    let hazards = read(&out, "hazards.yaml");
    assert!(hazards.contains("title: \"Charge of \u{a3}5 shown \u{2013} caf\u{e9} order\""), "{hazards}");
    assert!(hazards.contains("text: \"Rounding, twice\""), "{hazards}");
    let (_, report) = check_json(&out, &[]);
    assert_eq!(report["hazards"][0]["initial"]["rating"], 3);
}

/// A log's "Transferred" hazard made the imported project fail to load (the
/// format needs `transferred_to`), so the whole import stopped; "Withdrawn"
/// was not read at all.
#[test]
fn transferred_and_withdrawn_hazards_import() {
    let csv = "Hazard ID,Hazard Name,Possible Causes,Existing Controls,Initial Severity,Initial Likelihood,Hazard Status\n\
H1,Supplier outage,Hosting,Failover,Major,Low,Transferred\n\
H2,Old workflow,Paper forms,Training,Minor,Low,Withdrawn\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    assert!(slips_of(&json).contains(&("import-defaulted".to_string(), 2)), "{json}");
    let hazards = read(&out, "hazards.yaml");
    assert!(hazards.contains("    status: transferred\n    transferred_to: \"TBC\"\n"), "{hazards}");
    assert!(hazards.contains("    status: withdrawn\n"), "{hazards}");
    let (_, report) = check_json(&out, &[]);
    assert_eq!(report["hazards"][1]["status"], "withdrawn", "{report}");
}

/// A `Reviews` sheet (as `render --format xlsx` writes it) names a hazard and
/// six rating columns: beside a log with fewer known columns it was taken for
/// the log, its reviews imported as hazards and the real log skipped.
#[test]
fn a_reviews_sheet_is_never_taken_for_the_hazard_log() {
    let mut book = Workbook::new();
    let mut log = Worksheet::new();
    log.set_name("Hazard Log").unwrap();
    for (r, row) in [
        ["Hazard #", "Hazard Name", "Possible Causes", "Initial Consequence", "Initial Likelihood"],
        ["H1", "Wrong patient", "Similar names", "Major", "Low"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            log.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book.push_worksheet(log);
    let mut reviews = Worksheet::new();
    reviews.set_name("Reviews").unwrap();
    let header = [
        "Hazard #",
        "Hazard Name",
        "Review Date",
        "Reviewed By",
        "Outcome",
        "Initial Consequence",
        "Initial Likelihood",
        "Initial Risk",
        "Residual Consequence",
        "Residual Likelihood",
        "Residual Risk",
    ];
    let review = ["H1", "Wrong patient", "2026-10-01", "CSO", "Still open", "Major", "Low", "3", "", "", ""];
    for (c, (h, v)) in header.iter().zip(review).enumerate() {
        reviews.write_string(0, c as u16, *h).unwrap();
        reviews.write_string(1, c as u16, v).unwrap();
    }
    book.push_worksheet(reviews);
    let (_dir, out, json) = import_book(&mut book);
    assert_eq!(json["summary"]["hazards"], 1, "{json}");
    let hazards = read(&out, "hazards.yaml");
    assert!(hazards.contains("# log.xlsx, sheet 'Hazard Log', row 2"), "{hazards}");
    assert!(hazards.contains("- \"Similar names\""), "{hazards}");
}

/// Controls read from an "Existing Controls" column are in place: defaulted to
/// planned, every closed hazard of a real log failed `closed-with-planned-control`
/// and every open one warned `residual-relies-on-planned`. The "Additional
/// Controls" beside them are the ones still to add: controls too (they were
/// only notes), planned, linked where the row puts them.
#[test]
fn existing_controls_are_in_place_and_additional_ones_planned() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.xlsx", &published_workbook());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    assert!(!slips_of(&json).iter().any(|(k, _)| k == "import-unmapped-column"), "{json}");
    let controls = read(&out, "controls.yaml");
    assert!(
        controls.contains("title: \"NHS number check\"\n    type: design\n    status: implemented"),
        "{controls}"
    );
    assert!(
        controls.contains("title: \"Second identifier check\"\n    type: design\n    status: planned"),
        "{controls}"
    );
    let (_, report) = check_json(&out, &[]);
    let h = &report["hazards"][0];
    assert_eq!(h["causes"][0]["controls"].as_array().unwrap().len(), 2, "{h}");
    let relies: Vec<&serde_json::Value> = crate::findings_of(&report, "residual-relies-on-planned");
    assert!(
        relies.iter().all(|f| !f["message"].as_str().unwrap().contains("NHS number check")),
        "{relies:?}"
    );
    assert!(crate::findings_of(&report, "closed-with-planned-control").is_empty(), "{report}");
}

/// Excel saves CSV with CRLF line ends: each row is named by its own line,
/// not the line above it (the header, for the first hazard).
#[test]
fn a_crlf_csv_names_each_row_by_its_own_line() {
    let csv = "Hazard ID,Hazard Name,Possible Causes\r\nH1,One,Names\r\nH2,,Dates\r\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let hazards = read(&out, "hazards.yaml");
    assert!(hazards.contains("# log.csv, row 2\n  - id: \"H1\""), "{hazards}");
    assert!(slips_of(&json).contains(&("import-missing-text".to_string(), 3)), "{json}");
}

/// The log's date columns land in the hazard's date fields: a date cell, an
/// Excel day number in a plain cell, or text such as 15/10/2026; a value that
/// is no date is kept in the notes and reported.
#[test]
fn date_columns_are_read_as_the_hazards_dates() {
    use rust_xlsxwriter::Format;
    let mut ws = Worksheet::new();
    ws.set_name("Hazard Log").unwrap();
    let header = [
        "Hazard ID",
        "Hazard Name",
        "Possible Causes",
        "Hazard Status",
        "Date Raised",
        "Date Closed",
        "Review Date",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (r, (id, status)) in [("H1", "Closed"), ("H2", "Open")].iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, "A hazard").unwrap();
        ws.write_string(r, 2, "A cause").unwrap();
        ws.write_string(r, 3, *status).unwrap();
    }
    ws.write_number_with_format(1, 4, 46_023.0, &date).unwrap(); // 2026-01-01, a date cell
    ws.write_number(1, 5, 46_310.0).unwrap(); // 2026-10-15, a day number in a plain cell
    ws.write_string(2, 4, "15/10/2026").unwrap();
    ws.write_string(2, 6, "next spring").unwrap();
    let mut book = Workbook::new();
    book.push_worksheet(ws);
    let (_dir, out, json) = import_book(&mut book);
    let hazards = read(&out, "hazards.yaml");
    assert!(
        hazards.contains("    status: closed\n    raised_on: 2026-01-01\n    closed_on: 2026-10-15\n"),
        "{hazards}"
    );
    assert!(hazards.contains("    raised_on: 2026-10-15\n"), "{hazards}");
    assert!(hazards.contains("\"Review Date (row 3): next spring\""), "{hazards}");
    assert!(slips_of(&json).contains(&("import-unread-value".to_string(), 3)), "{json}");
}
