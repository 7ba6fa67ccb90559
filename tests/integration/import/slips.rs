//! Each class of spreadsheet slip is reported at its row and resolved as said.

use super::fixtures::{self, C};
use super::{import_ok, read, slips_of, temp_file};

const HEADER: &str = "Hazard #,Hazard Name,Cause #,Possible Causes,Control #,Additional controls,I. Consequence,I. Likelihood,I. Risk score,Control type,Action status,R. Consequence,R. Likelihood\n";

fn import_csv(rows: &str) -> (tempfile::TempDir, std::path::PathBuf, Vec<(String, u64)>) {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", format!("{HEADER}{rows}").as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let slips = slips_of(&json).into_iter().filter(|(k, _)| k != "import-placeholder").collect();
    (dir, out, slips)
}

fn has(slips: &[(String, u64)], kind: &str, row: u64) -> bool {
    slips.iter().any(|(k, r)| k == kind && *r == row)
}

#[test]
fn every_slip_class_is_reported_at_its_row() {
    let rows = "\
01,Wrong patient,0101,Similar names,010101,Two-identifier check,Major,Medium,3,Design,Closed,Major,Very low
01,Delayed response,0102,Inbox unwatched,010102,Triage rota,Considerable,Medium,3,Design,closed ,Considerable,Low
03,Urgent symptoms,0301,Patient messages instead of calling,010101,Auto-reply signposts 999,Major,High,15,Information,Closed ,Major,Low
04,Missed action,0401,Not filed,,040101Filing check every morning,Major,,,Design,Open,,
04,,,,,Second check by deputy,Minor,Low,,Training,Open,,
05,Lost audit,0501,Export fails,050101,Export check,Major,Medium,3,Test,Open,Major,Low
05,,,,,,Catastrophic,High,5,,,Major,Low
";
    let (_dir, out, slips) = import_csv(rows);
    let expect = [
        ("import-filled-down", 3),
        ("import-status-variant", 3),
        ("import-status-variant", 4),
        ("import-reused-id", 4),
        ("import-score-mismatch", 4),
        ("import-run-in-id", 5),
        ("import-half-rated", 5),
        ("import-unnumbered", 6),
        ("import-ratings-differ", 7),
    ];
    for (kind, row) in expect {
        assert!(has(&slips, kind, row), "no {kind} at row {row}: {slips:?}");
    }
    let hazards = read(&out, "hazards.yaml");
    assert!(hazards.contains("id: \"01-2\"\n    title: \"Delayed response\""), "{hazards}");
    assert!(hazards.contains("Stated initial risk score (row 4): 15"), "{hazards}");
    assert!(
        hazards.contains("initial_risk: { severity: catastrophic, likelihood: high }"),
        "the worst rating is kept: {hazards}"
    );
    let controls = read(&out, "controls.yaml");
    assert!(controls.contains("id: \"040101\"\n    title: \"Filing check every morning\""), "{controls}");
    assert!(controls.contains("id: \"010101-2\"\n    title: \"Auto-reply signposts 999\""), "{controls}");
    assert!(controls.contains("id: \"CTL-6\"\n    title: \"Second check by deputy\""), "{controls}");
}

#[test]
fn identical_text_under_different_ids_is_not_a_duplicate() {
    let rows = "01,Wrong patient,0101,Similar names,010101,Check two identifiers,Major,Medium,3,Design,Closed,Major,Low\n02,Wrong record,0201,Similar names,020101,Check two identifiers,Major,Medium,3,Design,Closed,Major,Low\n";
    let (_dir, out, slips) = import_csv(rows);
    assert!(slips.is_empty(), "{slips:?}");
    let controls = read(&out, "controls.yaml");
    assert!(controls.contains("\"010101\"") && controls.contains("\"020101\""));
}

#[test]
fn any_cell_text_lands_in_the_yaml_unchanged() {
    let nasty = [
        "\"quoted\" and 'single'",
        "key: value # not a comment",
        "  leading and trailing  ",
        "yes",
        "null",
        "~",
        "010101",
        "- dash",
        "{ braces }",
        "line one\nline two",
        "tab\there",
        "émoji 🩺 ünïcode",
        "back\\slash",
    ];
    let mut csv = String::from(HEADER);
    for (i, text) in nasty.iter().enumerate() {
        let cell = format!("\"{}\"", text.replace('"', "\"\""));
        csv.push_str(&format!("H{i},{cell},,,K{i},{cell},Major,Low,,Design,Open,,\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    import_ok(&file, &out, &[]);
    let (_, report) = super::check_json(&out, &[]);
    for (i, text) in nasty.iter().enumerate() {
        assert_eq!(report["hazards"][i]["title"], text.trim(), "cells are trimmed, nothing else changes");
    }
}

#[test]
fn workbook_cells_stored_as_the_wrong_type_are_read_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.xlsx", &fixtures::xlsx_template());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let slips = slips_of(&json);
    assert!(has(&slips, "import-text-as-number", 5), "{slips:?}");
    assert!(has(&slips, "import-number-as-text", 6), "{slips:?}");
    assert!(slips.iter().any(|(k, _)| k == "import-history-order"), "{slips:?}");
    assert!(read(&out, "controls.yaml").contains("id: \"010102\""), "10102 gets its leading zero back");
    let manifest = read(&out, "clinsafe.yaml");
    assert!(manifest.contains("  id: \"HL-PM-001\"\n  version: \"1.1\"\n  date: 2026-11-20"), "{manifest}");
    assert!(manifest.contains("authors: [\"Dr Jane Example\", \"A. Nurse\"]"), "{manifest}");
    assert!(
        manifest.find("First issue").unwrap() < manifest.find("Residual risks reviewed").unwrap(),
        "oldest first"
    );
    assert!(manifest.contains("\"Clinical Safety Hazard Log\""), "the cover's title is kept as a note");
    let f =
        &json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "import-text-as-number").unwrap();
    assert_eq!(f["file"], "log.xlsx, sheet 'Hazard Log'");
    assert_eq!(f["column"], 6, "column F");
}

#[test]
fn an_ods_workbook_imports() {
    use C::{N, T};
    let mut rows = vec![fixtures::header()];
    rows.push(vec![
        T("01"),
        T("Wrong patient"),
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
    ]);
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.ods", &fixtures::ods("Hazards", &rows));
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &["--sheet", "Hazards"]);
    assert_eq!(json["summary"]["hazards"], 1);
    let (_, report) = super::check_json(&out, &[]);
    assert_eq!(report["hazards"][0]["controls"], serde_json::json!(["010101"]));
    assert_eq!(report["hazards"][0]["residual"]["rating"], 2);
}

#[test]
fn human_output_quotes_the_row_and_names_the_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.xlsx", &fixtures::xlsx_template());
    let out = super::super::clinsafe()
        .arg("import")
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("p"))
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("warning[import-text-as-number]: control id stored as a number (10102)"), "{err}");
    assert!(err.contains("--> log.xlsx, sheet 'Hazard Log':5:"), "{err}");
    assert!(err.contains("imported 2 hazards and 3 controls"), "{err}");
}

#[test]
fn record_sheets_edited_by_hand_keep_what_cannot_be_read_and_say_where() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.xlsx", &fixtures::xlsx_with_records());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    // The rows reported on a sheet, with their rule (`import-unread-value` unless named).
    let rows_on = |sheet: &str| -> Vec<(u64, String)> {
        let on_sheet = |f: &&serde_json::Value| f["file"].as_str().unwrap().ends_with(&format!("'{sheet}'"));
        let findings = json["findings"].as_array().unwrap().iter().filter(on_sheet);
        let rule = |f: &serde_json::Value| {
            f["rule"].as_str().unwrap().trim_start_matches("import-unread-value").to_string()
        };
        findings.map(|f| (f["line"].as_u64().unwrap(), rule(f))).collect()
    };
    let unread = |rows: &[u64]| rows.iter().map(|r| (*r, String::new())).collect::<Vec<_>>();
    // Reviews: "Quite bad" is no consequence (2); hazard 09 is not in the log (3); no date (4).
    assert_eq!(rows_on("Reviews"), unread(&[2, 3, 4]), "{json}");
    // Incidents: "Moderate harm" (2); "INC 2" has a space (3), and no title (3).
    assert_eq!(
        rows_on("Incidents"),
        [(2, String::new()), (3, "import-id-changed".into()), (3, String::new())],
        "{json}"
    );
    // Evidence: "next year" is no date (2); control 999999 is not in the log (3).
    assert_eq!(rows_on("Evidence"), unread(&[2, 3]), "{json}");
    let controls = read(&out, "controls.yaml");
    assert!(
        controls.contains("      - ref: \"Test report TR-1\"  # log.xlsx, sheet 'Evidence', row 2\n        date: 2026-03-12\n        description: \"Valid Until: next year\"\n"),
        "{controls}"
    );
    let hazards = read(&out, "hazards.yaml");
    assert!(
        hazards.contains("        outcome: \"Checked\\n\\nResidual Consequence: Quite bad\"\n"),
        "{hazards}"
    );
    assert!(hazards.contains("        residual: { severity: TBC, likelihood: low }\n"), "{hazards}");
    assert_eq!(hazards.matches("      - date:").count(), 1, "only the readable review of 01: {hazards}");
    let incidents = read(&out, "incidents.yaml");
    assert!(
        incidents.contains("  # not read: Harm: Moderate harm\n  - id: \"INC-1\"\n    date: 2026-01-14\n"),
        "{incidents}"
    );
    assert!(incidents.contains("    status: closed\n"), "{incidents}");
    assert!(incidents.contains("    hazards: [\"01\"]\n"), "{incidents}");
    assert!(
        !incidents.contains("INC-2"),
        "an incident without a title is reported, not written: {incidents}"
    );
    assert_eq!(
        (&json["summary"]["reviews"], &json["summary"]["incidents"]),
        (&1.into(), &1.into()),
        "{json}"
    );
}

/// A control's cell (type, status, owner, …) on a row that names no control has
/// no control to go to: rows do not continue the control above, so it is kept in
/// the hazard's notes and reported at its cell, never dropped without a word.
#[test]
fn a_control_value_on_a_row_without_a_control_is_kept_and_reported() {
    let csv = "\
Hazard #,Hazard Name,Cause #,Possible Causes,Control #,Control,Control type,Action status,Control owner,Control transferred from,Control due
01,Wrong patient,0101,Similar names,010101,Two-identifier check,Design,Closed,Ward manager,,
01,,0102,Typo,,,Training,Done,Ann,M-7,next week
";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let at: Vec<(u64, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "import-no-control")
        .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(at, [(3, 7), (3, 8), (3, 9), (3, 10), (3, 11)], "{json}");
    let message = json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "import-no-control");
    assert!(
        message.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("'Control type' \"Training\" is on a row that names no control"),
        "{json}"
    );
    let hazards = read(&out, "hazards.yaml");
    for note in [
        "Control type (row 3): Training",
        "Action status (row 3): Done",
        "Control owner (row 3): Ann",
        "Control transferred from (row 3): M-7",
        "Control due (row 3): next week",
    ] {
        assert!(hazards.contains(note), "{note}: {hazards}");
    }
    let controls = read(&out, "controls.yaml");
    assert!(
        controls.contains("type: design\n    status: implemented\n    owner: \"Ward manager\"")
            && !controls.contains("Ann"),
        "the control above keeps its own values: {controls}"
    );
}

/// A worksheet named `name` of text cells: `header`, then `rows` ("" is a blank cell).
fn sheet(name: &str, header: &[&str], rows: &[&[&str]]) -> rust_xlsxwriter::Worksheet {
    let mut ws = rust_xlsxwriter::Worksheet::new();
    ws.set_name(name).unwrap();
    for (r, row) in std::iter::once(header).chain(rows.iter().copied()).enumerate() {
        for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    ws
}

/// A column added by hand to a record sheet (a "Comments" beside the columns the
/// export writes) is kept with its record and reported once, at its first cell; a
/// hazard renamed in the review's `Hazard Name` is kept in the review's outcome.
#[test]
fn a_column_added_to_a_record_sheet_is_kept_and_reported() {
    use clinsafe::import::records::{EVIDENCE_COLUMNS, INCIDENT_COLUMNS, REVIEW_COLUMNS};
    let with_comments = |columns: &[&'static str]| [columns, &["Comments"]].concat();
    let mut book = rust_xlsxwriter::Workbook::new();
    book.push_worksheet(sheet(
        "Hazard Log",
        &["Hazard #", "Hazard Name", "Control #", "Control", "Control type", "Action status"],
        &[&["01", "Wrong patient", "010101", "Two-identifier check", "Design", "Closed"]],
    ));
    let (r, e) = ("", "");
    book.push_worksheet(sheet(
        "Reviews",
        &with_comments(&REVIEW_COLUMNS),
        &[&["01", "Wrong patients", "2026-02-10", "Dr A", "Checked", r, r, r, r, r, r, "Ask pharmacy"]],
    ));
    book.push_worksheet(sheet(
        "Incidents",
        &with_comments(&INCIDENT_COLUMNS),
        &[&["INC-1", "2026-01-14", "Reply to the wrong patient", e, e, "01", e, e, e, "Datix 77"]],
    ));
    book.push_worksheet(sheet(
        "Evidence",
        &with_comments(&EVIDENCE_COLUMNS),
        &[&["010101", "Two-identifier check", "Test report TR-1", e, e, e, "Signed by Dr B"]],
    ));
    let (_dir, out, json) = super::import_book(&mut book);
    let at: Vec<(&str, u64, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "import-unmapped-column")
        .map(|f| (f["file"].as_str().unwrap(), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        at,
        [
            ("log.xlsx, sheet 'Evidence'", 2, 7),
            ("log.xlsx, sheet 'Incidents'", 2, 10),
            ("log.xlsx, sheet 'Reviews'", 2, 12)
        ],
        "{json}"
    );
    let renamed: Vec<(&str, u64, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "import-extra-value")
        .map(|f| (f["file"].as_str().unwrap(), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(renamed, [("log.xlsx, sheet 'Reviews'", 2, 2)], "only the renamed hazard: {json}");
    let hazards = read(&out, "hazards.yaml");
    assert!(hazards.contains("title: \"Wrong patient\""), "{hazards}");
    assert!(
        hazards.contains("outcome: \"Checked\\n\\nHazard Name: Wrong patients\\n\\nComments: Ask pharmacy\""),
        "{hazards}"
    );
    let controls = read(&out, "controls.yaml");
    assert!(controls.contains("description: \"Comments: Signed by Dr B\""), "{controls}");
    let incidents = read(&out, "incidents.yaml");
    assert!(incidents.contains("Comments: Datix 77"), "{incidents}");
}

/// A sheet of controls beside the log whose columns say `Status`, `Owner`, `Notes`,
/// `References` or `Description` (a hazard's names in a log) describes its controls: those
/// cells are the control's, not dropped because the hazard's field has no place there.
#[test]
fn a_controls_sheet_with_plain_column_names_keeps_every_cell() {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.push_worksheet(sheet(
        "Hazard Log",
        &["Hazard ID", "Hazard Name", "Control ID"],
        &[&["H1", "Wrong patient", "C1"]],
    ));
    book.push_worksheet(sheet(
        "Controls",
        &["Control ID", "Control", "Status", "Owner", "Description", "References", "Notes", "Category"],
        &[&[
            "C1",
            "Two-identifier check",
            "Implemented",
            "IT lead",
            "At booking",
            "SOP-3",
            "Audited",
            "Safety",
        ]],
    ));
    let (_dir, out, _json) = super::import_book(&mut book);
    let controls = read(&out, "controls.yaml");
    for expected in [
        "title: \"Two-identifier check\"\n    type: design\n    status: implemented\n    owner: \"IT lead\"",
        "description: \"At booking\"",
        "\"SOP-3\"",
        "\"Audited\"",
        "\"Category: Safety\"",
    ] {
        assert!(controls.contains(expected), "{expected}\n{controls}");
    }
}

/// Beside `Existing controls`, a row with only an additional control still names no
/// control its status could belong to: kept and reported, saying which column is empty.
#[test]
fn a_control_value_beside_only_an_additional_control_is_kept_and_reported() {
    let csv = "Hazard ID,Hazard Name,Existing Controls,Additional Controls,Action status\n\
               H1,Wrong patient,NHS number check,,Done\nH1,,,Second check,Planned\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let found: Vec<&serde_json::Value> =
        json["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "import-no-control").collect();
    assert_eq!(found.len(), 1, "{json}");
    assert_eq!((&found[0]["line"], &found[0]["column"]), (&3.into(), &5.into()), "{json}");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("names no control in 'Existing Controls' (only an additional one)"),
        "{message}"
    );
    assert!(read(&out, "hazards.yaml").contains("\"Action status (row 3): Planned\""));
}
