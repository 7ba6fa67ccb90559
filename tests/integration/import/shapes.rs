//! Bug hunt 3: published hazard logs' ways of writing values — a rating
//! as number and word ("4 - Major", "Medium (3)"), dates as text ("1st Feb
//! 2024", "01/02/24", Excel's "01-Feb-24") — read as meant, or reported.

use super::{export_xlsx, import_book, import_ok, read, slips_of, temp_file};

/// A log as trusts keep it: notes rows above the table, ratings with their
/// numbers, dates as text, blank trailing rows and columns.
const LOG: &str = "\
Clinical Hazard Log,,,,,,,,,,,,
Notes: one row per cause; rate with the DCB0160 matrix.,,,,,,,,,,,,
,,,,,,,,,,,,
Hazard ID,Hazard Name,Possible Causes,Existing Controls,Initial Severity,Initial Likelihood,Initial Risk Rating,Residual Severity,Residual Likelihood,Residual Risk Rating,Date Raised,Review Date,
H1,Wrong patient,Similar names,NHS number check,4 - Major,3 - Medium,4 - High,Major (4),Very low (1),Low (2),1st Feb 2024,01-Feb-27,
H2,Late reply,Inbox unwatched,Triage rota,Considerable,Medium,Moderate,Considerable,Low,3 - Moderate,01/02/24,01/02/2027 00:00,
,,,,,,,,,,,,
,,,,,,,,,,,,
";

#[test]
fn ratings_with_their_numbers_and_dates_as_text_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", LOG.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let hazards = read(&out, "hazards.yaml");
    let slips = slips_of(&json);
    assert!(!slips.iter().any(|(k, _)| k == "import-unread-value" || k == "import-half-rated"), "{json}");
    assert!(hazards.contains("initial_risk: { severity: major, likelihood: medium }"), "{hazards}");
    assert!(hazards.contains("residual_risk: { severity: major, likelihood: very-low }"), "{hazards}");
    assert!(hazards.contains("residual_risk: { severity: considerable, likelihood: low }"), "{hazards}");
    assert_eq!(hazards.matches("raised_on: 2024-02-01").count(), 2, "never the year 24: {hazards}");
    assert_eq!(hazards.matches("review_by: 2027-02-01").count(), 2, "{hazards}");
}

/// A number and a word that name different steps are not guessed at: kept
/// in the notes and reported at the cell.
#[test]
fn a_rating_whose_number_and_word_disagree_is_reported_at_its_cell() {
    let csv = "Hazard ID,Hazard Name,Possible Causes,Initial Severity,Initial Likelihood\n\
               H1,Wrong patient,Similar names,3 - Major,Medium\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let unread: Vec<&serde_json::Value> =
        json["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "import-unread-value").collect();
    assert_eq!(unread.len(), 1, "{json}");
    assert_eq!(
        (unread[0]["line"].as_u64(), unread[0]["column"].as_u64()),
        (Some(2), Some(4)),
        "the fourth cell: {json}"
    );
    assert!(read(&out, "hazards.yaml").contains("Initial Severity (row 2): 3 - Major"));
}

/// import → render --format xlsx → import gives the same project: the
/// hazards' dates (raised, closed, next review) were left out of the
/// workbook, so the second import lost them; a note of several lines (a cell
/// of an unknown column) came back as one note per line.
#[test]
fn an_imported_log_round_trips_through_the_xlsx_export_with_its_dates() {
    let dir = tempfile::tempdir().unwrap();
    let csv = LOG
        .replace(
            "Date Raised,Review Date,",
            "Date Raised,Review Date,Hazard Status,Date Closed,Justification,Release",
        )
        .replace(
            "01/02/2027 00:00,",
            "01/02/2027 00:00,Closed,2026-03-04,\"Further reduction\nimpractical\",",
        )
        .replace("01-Feb-27,", "01-Feb-27,Open,,Further reduction impractical,\"2.1\nand 2.2\"");
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let first = dir.path().join("first");
    import_ok(&file, &first, &[]);
    assert!(read(&first, "hazards.yaml").contains("closed_on: 2026-03-04"));
    assert!(read(&first, "hazards.yaml").contains("\"Release: 2.1\\nand 2.2\""));
    let second = dir.path().join("second");
    import_ok(&export_xlsx(&first, &dir.path().join("out")), &second, &[]);
    // Comments name the sheet and rows; `status: open` is the default, which the export
    // leaves blank as the template does.
    let strip = |s: String| {
        s.lines()
            .filter(|l| !l.trim_start().starts_with('#') && l.trim() != "status: open")
            .map(|l| l.split("  # row").next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    for f in ["hazards.yaml", "controls.yaml"] {
        assert_eq!(strip(read(&first, f)), strip(read(&second, f)), "{f} differs after the round trip");
    }
}

fn write_rows(ws: &mut rust_xlsxwriter::Worksheet, rows: &[&[&str]]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
}

/// The log names each control by its number; a second sheet says what each
/// is (text, type, status, owner). That sheet was skipped: every control came
/// in titled with its number, of type design, planned.
#[test]
fn a_sheet_of_controls_beside_the_log_describes_the_controls_it_names() {
    use rust_xlsxwriter::{Workbook, Worksheet};
    let mut book = Workbook::new();
    let mut log = Worksheet::new();
    log.set_name("Hazard Log").unwrap();
    write_rows(
        &mut log,
        &[
            &[
                "Hazard ID",
                "Hazard Name",
                "Possible Causes",
                "Control ID",
                "Initial Severity",
                "Initial Likelihood",
            ],
            &["H1", "Wrong patient", "Similar names", "C1", "Major", "Medium"],
            &["", "", "", "C2", "", ""],
            &["H2", "Late reply", "Inbox unwatched", "C3", "Considerable", "Medium"],
        ],
    );
    book.push_worksheet(log);
    let mut controls = Worksheet::new();
    controls.set_name("Controls").unwrap();
    write_rows(
        &mut controls,
        &[
            &["Controls register"],
            &[],
            &[
                "Control ID",
                "Control Description",
                "Control Type",
                "Control Status",
                "Control Owner",
                "Review",
            ],
            &["C1", "Two-identifier check", "Design", "Implemented", "IT lead", "Yearly"],
            &["C2", "Confirm mobile number", "Business process", "Planned", "Reception", ""],
            &["C3", "Daily triage rota", "Business process", "Implemented", "Practice manager", ""],
            &["C9", "A control no hazard names", "Training", "Planned", "", ""],
        ],
    );
    book.push_worksheet(controls);
    let (_dir, out, json) = import_book(&mut book);
    let yaml = read(&out, "controls.yaml");
    for expected in [
        "id: \"C1\"\n    title: \"Two-identifier check\"\n    type: design\n    status: implemented\n    owner: \"IT lead\"",
        "id: \"C2\"\n    title: \"Confirm mobile number\"\n    type: business-process\n    status: planned",
        "id: \"C3\"\n    title: \"Daily triage rota\"",
        "\"Review: Yearly\"",
    ] {
        assert!(yaml.contains(expected), "{expected}\n{yaml}");
    }
    let slips = slips_of(&json);
    for kind in ["import-missing-text", "import-defaulted", "import-sheet-skipped"] {
        assert!(!slips.iter().any(|(k, _)| k == kind), "{kind}: {json}");
    }
    let unnamed: Vec<&serde_json::Value> =
        json["findings"].as_array().unwrap().iter().filter(|f| f["subject"] == "C9").collect();
    assert_eq!(unnamed.len(), 1, "{json}");
    assert_eq!(unnamed[0]["file"], "log.xlsx, sheet 'Controls'");
    assert_eq!(unnamed[0]["line"], 7);
}

/// Excel's "Unicode Text" is UTF-16 with a byte order mark, tab-separated:
/// saved as .csv it was read as Windows-1252 and no header was found.
#[test]
fn a_utf16_csv_from_excel_imports() {
    let text = "Hazard ID\tHazard Name\tPossible Causes\r\nH1\tWrong patient – café\tSimilar names\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", &bytes);
    let out = dir.path().join("p");
    import_ok(&file, &out, &[]);
    assert!(read(&out, "hazards.yaml").contains("title: \"Wrong patient – café\""));
}

/// Headers that say their scale in brackets ("Initial Severity (1-5)",
/// "Residual Likelihood [1-5]") were not known: the ratings went to the notes
/// without a word and every hazard came in unassessed.
#[test]
fn headers_with_their_scale_in_brackets_are_known() {
    let csv = "Hazard ID,Hazard Name,Possible Cause(s),Initial Severity (1-5),Initial Likelihood (1-5),\
               Initial Risk Rating (Severity x Likelihood),Residual Severity [1-5],Residual Likelihood [1-5]\n\
               H1,Wrong patient,Names,4,3,3,4,1\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    import_ok(&file, &out, &[]);
    let hazards = read(&out, "hazards.yaml");
    assert!(hazards.contains("initial_risk: { severity: major, likelihood: medium }"), "{hazards}");
    assert!(hazards.contains("residual_risk: { severity: major, likelihood: very-low }"), "{hazards}");
    assert!(!hazards.contains("notes:"), "{hazards}");
}

/// A cause written as plain text (no number, no controls of its own) came
/// back from clinsafe's own export as an item with an invented id and an
/// `import-unnumbered` warning: 31 of them for the example.
#[test]
fn plain_text_causes_come_back_as_plain_text() {
    let csv = "Hazard ID,Hazard Name,Cause #,Possible Causes,Control #,Existing Controls\n\
               H1,Wrong patient,,Similar names,C1,NHS number check\n\
               ,,,Same date of birth,,\n\
               H2,Late reply,,Inbox unwatched,,\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let hazards = read(&out, "hazards.yaml");
    assert!(hazards.contains("      - \"Same date of birth\"  # row 3\n"), "{hazards}");
    assert!(hazards.contains("      - \"Inbox unwatched\"  # row 4\n"), "{hazards}");
    assert!(
        hazards.contains(
            "      - id: \"H1-C1\"  # row 2\n        text: \"Similar names\"\n        controls: [\"C1\"]"
        ),
        "{hazards}"
    );
    let unnumbered: Vec<(String, u64)> =
        slips_of(&json).into_iter().filter(|(k, _)| k == "import-unnumbered").collect();
    assert_eq!(
        unnumbered,
        [("import-unnumbered".to_string(), 2)],
        "only the cause that links a control needs an id: {json}"
    );
}

/// A quote that opens a cell and never closes made the CSV reader take the
/// rest of the file as that one cell: every row after it was silently gone
/// (three hazards came in as one, its title holding the others). Now the
/// import stops, naming the line the quote opens on.
#[test]
fn a_quote_that_never_closes_stops_the_import_at_its_line() {
    let csv = "Hazard ID,Hazard Name,Possible Causes\nH1,Display 5\" screen,Names\nH2,\"Late reply,Inbox\nH3,Third,Cause\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let (code, _, err) = super::import(&file, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("log.csv") && err.contains("line 3") && err.contains("never closes"), "{err}");
    assert!(!out.exists());

    let fine = "Hazard ID,Hazard Name,Possible Causes\nH1,Display 5\" screen,\"Names,\nover \"\"two\"\" lines\"\nH2,b,c\n";
    let file = temp_file(&dir, "fine.csv", fine.as_bytes());
    let out = dir.path().join("q");
    import_ok(&file, &out, &[]);
    assert!(read(&out, "hazards.yaml").contains("id: \"H2\""));
}

/// Real logs band their rows under section headings ("Section A: Clinical
/// hazards" alone in the first column) and repeat the header (stacked
/// tables, print titles): each was imported as a hazard ("Hazard-ID" titled
/// "Hazard Name", with a control "Existing Controls"). A heading now becomes a
/// note on the hazards under it; a repeated header is skipped; both reported.
#[test]
fn section_headings_and_repeated_headers_are_not_hazards() {
    let csv = "Hazard ID,Hazard Name,Possible Causes,Existing Controls\n\
               Section A: Clinical hazards,,,\n\
               H1,Wrong patient,Names,NHS check\n\
               Hazard ID,Hazard Name,Possible Causes,Existing Controls\n\
               Section B: Technical hazards,,,\n\
               H2,Late reply,Inbox,Rota\n\
               H3,Stub,,\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    assert_eq!(json["summary"]["hazards"], 3, "{json}");
    let hazards = read(&out, "hazards.yaml");
    assert!(!hazards.contains("Hazard-ID") && !hazards.contains("Section-A"), "{hazards}");
    assert!(!read(&out, "controls.yaml").contains("\"Existing Controls\""));
    assert!(hazards.contains("  - id: \"H1\"\n    title: \"Wrong patient\""), "{hazards}");
    assert!(hazards.contains("\"Section: Section A: Clinical hazards\""), "{hazards}");
    assert_eq!(
        hazards.matches("\"Section: Section B: Technical hazards\"").count(),
        2,
        "H2 and H3: {hazards}"
    );
    let skipped: Vec<u64> =
        slips_of(&json).into_iter().filter(|(k, _)| k == "import-row-skipped").map(|(_, r)| r).collect();
    assert_eq!(skipped, [2, 4, 5], "{json}");
}

/// Header names seen in trusts' logs beside the template's.
#[test]
fn common_header_variants_are_known() {
    let csv = "Hazard ID,Hazard Name,Mitigations,Risk Owner,Raised Date,Review Due\n\
               H1,Wrong patient,NHS number check,Dr A,01/02/2026,01/02/2027\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    import_ok(&file, &out, &[]);
    let hazards = read(&out, "hazards.yaml");
    for expected in ["owner: \"Dr A\"", "raised_on: 2026-02-01", "review_by: 2027-02-01"] {
        assert!(hazards.contains(expected), "{expected}: {hazards}");
    }
    assert!(read(&out, "controls.yaml").contains("title: \"NHS number check\""));
}

/// The lines of a written YAML file without comments, in an order that does
/// not depend on the sheet's (lists in brackets sorted too).
fn same_items(yaml: &str) -> Vec<String> {
    let mut lines: Vec<String> = yaml
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && l.trim() != "status: open")
        .map(|l| {
            let l = l.split("  # row").next().unwrap();
            match (l.find('['), l.rfind(']')) {
                (Some(a), Some(b)) if a < b => {
                    let mut items: Vec<&str> = l[a + 1..b].split(", ").collect();
                    items.sort_unstable();
                    format!("{}[{}]{}", &l[..a], items.join(", "), &l[b + 1..])
                }
                _ => l.to_string(),
            }
        })
        .collect();
    lines.sort();
    lines
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 16, ..Default::default() })]

    /// Any log import reads, written back by `render --format xlsx` and
    /// imported again, gives the same items (a fuzz of the round trip).
    #[test]
    fn any_imported_log_round_trips_through_the_xlsx_export(
        columns in proptest::sample::subsequence(ROUND_TRIP_COLUMNS.to_vec(), 2..ROUND_TRIP_COLUMNS.len()),
        cells in proptest::collection::vec(proptest::sample::select(ROUND_TRIP_CELLS.to_vec()), 0..60),
    ) {
        let mut header = vec!["Hazard ID"];
        header.extend(columns.iter().filter(|c| **c != "Hazard ID"));
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        w.write_record(&header).unwrap();
        for row in cells.chunks(header.len()) {
            w.write_record(row).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let file = temp_file(&dir, "log.csv", &w.into_inner().unwrap());
        let first = dir.path().join("first");
        let (code, _, err) = super::import(&file, &first, &[]);
        proptest::prop_assume!(code == 0, "{}", err);
        let out = dir.path().join("out");
        let render = crate::clinsafe()
            .args(["render", "--format", "xlsx", "--as-of", crate::AS_OF, "--out"])
            .arg(&out)
            .arg(&first)
            .output()
            .unwrap();
        proptest::prop_assert!(render.status.code().unwrap() < 2, "{}", String::from_utf8_lossy(&render.stderr));
        let second = dir.path().join("second");
        let (code, _, err) = super::import(&out.join("hazard-log.xlsx"), &second, &[]);
        proptest::prop_assert_eq!(code, 0, "{}", err);
        for f in ["hazards.yaml", "controls.yaml"] {
            proptest::prop_assert_eq!(same_items(&read(&first, f)), same_items(&read(&second, f)), "{}", f);
        }
    }
}

const ROUND_TRIP_COLUMNS: [&str; 20] = [
    "Hazard ID",
    "Hazard Name",
    "Hazard Description",
    "Possible Causes",
    "Cause #",
    "Control #",
    "Existing Controls",
    "Additional Controls",
    "Control Type",
    "Action Status",
    "Initial Severity",
    "Initial Likelihood",
    "Initial Risk Rating",
    "Residual Severity",
    "Residual Likelihood",
    "Hazard Status",
    "Date Raised",
    "Review Date",
    "Notes",
    "Release",
];

const ROUND_TRIP_CELLS: [&str; 28] = [
    "",
    "",
    "",
    "H1",
    "H2",
    "H 3",
    "01",
    "010101",
    "3",
    "1.5",
    "Major",
    "4 - Major",
    "3 - Major",
    "Very low",
    "TBC",
    "Closed",
    "Open",
    "Withdrawn",
    "Design",
    "Planned",
    "01/02/24",
    "2024-02-30",
    "a\nb",
    "x,y",
    "q\"uote",
    "é 日本",
    "Section A: Clinical hazards",
    "C1",
];

/// A rating shown only as the cell's colour (red for 5, amber for 3), as
/// some logs keep it: the hazard came in unassessed without a word about the
/// coloured cells. clinsafe does not guess a rating from a colour; it says
/// where they are.
#[test]
fn a_rating_shown_only_as_a_colour_is_reported() {
    use rust_xlsxwriter::{Color, Format, Workbook, Worksheet};
    let mut ws = Worksheet::new();
    ws.set_name("Hazard Log").unwrap();
    write_rows(
        &mut ws,
        &[
            &["Hazard ID", "Hazard Name", "Possible Causes", "Initial Risk Rating", "Residual Risk Rating"],
            &["H1", "Wrong patient", "Similar names"],
            &["H2", "Late reply", "Inbox unwatched"],
        ],
    );
    let red = Format::new().set_background_color(Color::RGB(0xFF0000));
    let amber = Format::new().set_background_color(Color::RGB(0xFFC000));
    ws.write_blank(1, 3, &red).unwrap();
    ws.write_blank(2, 3, &amber).unwrap();
    ws.write_blank(2, 4, &amber).unwrap();
    let banding = Format::new().set_background_color(Color::RGB(0xF2F2F2));
    ws.write_blank(3, 3, &banding).unwrap();
    write_rows(&mut ws, &[&[], &[], &[], &["H3", "Banded row", "A cause"]]);
    let mut book = Workbook::new();
    book.push_worksheet(ws);
    let (_dir, _, json) = import_book(&mut book);
    let coloured: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("colour"))
        .collect();
    assert_eq!(coloured.len(), 2, "one per column: {json}");
    assert_eq!((coloured[0]["line"].as_u64(), coloured[0]["column"].as_u64()), (Some(2), Some(4)), "{json}");
    assert!(coloured[0]["message"].as_str().unwrap().contains("2 cells"), "{json}");
}

/// A hidden sheet holding an older copy of the log (more columns, kept for
/// the record) was chosen over the visible log, because it mapped more
/// columns: the import read the stale hazards. Visible sheets come first.
#[test]
fn a_hidden_old_log_is_not_chosen_over_the_visible_one() {
    use rust_xlsxwriter::{Workbook, Worksheet};
    let mut old = Worksheet::new();
    old.set_name("Old log").unwrap().set_hidden(true);
    write_rows(
        &mut old,
        &[
            &[
                "Hazard ID",
                "Hazard Name",
                "Possible Causes",
                "Existing Controls",
                "Initial Severity",
                "Initial Likelihood",
                "Owner",
            ],
            &["H1", "Stale wording", "Old cause", "Old control", "Minor", "Low", "Someone"],
        ],
    );
    let mut log = Worksheet::new();
    log.set_name("Hazard Log").unwrap();
    write_rows(
        &mut log,
        &[&["Hazard ID", "Hazard Name", "Possible Causes"], &["H1", "Wrong patient", "Similar names"]],
    );
    let mut book = Workbook::new();
    book.push_worksheet(log);
    book.push_worksheet(old);
    let (_dir, out, json) = import_book(&mut book);
    assert!(read(&out, "hazards.yaml").contains("title: \"Wrong patient\""), "{json}");
    assert!(
        slips_of(&json).contains(&("import-sheet-skipped".to_string(), 1)),
        "the hidden log is reported: {json}"
    );
}

/// A map naming a header row past the sheet's end said "no header row found
/// in the first 50 rows", which is not what went wrong.
#[test]
fn a_map_header_row_past_the_end_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", b"Hazard ID,Hazard Name\nH1,One\n");
    let map = temp_file(&dir, "map.yaml", b"header_row: 999\n");
    let (code, _, err) = super::import(&file, &dir.path().join("p"), &["--map", map.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("header_row: 999") && err.contains("(2)"), "{err}");
}

/// A project written in YAML (not imported) keeps what a hazard records
/// beyond the template's columns through render --format xlsx → import:
/// its category, tags, related hazards, who raised and closed it, the
/// manufacturer's hazard it localises, how often it is reviewed, to whom it
/// was transferred and why it was withdrawn; and a control's description,
/// due date, recurrence, last done and references. The export left them out,
/// so a transferred hazard came back "transferred to TBC" and the rest was lost.
#[test]
fn a_native_projects_hazard_and_control_fields_survive_the_xlsx_round_trip() {
    let hazards = "\
hazards:
  - id: H1
    title: Wrong patient
    category: clinical
    tags: [identity, messaging]
    related: [H2]
    raised_by: A. Nurse
    source: MAN-HAZ-7
    review_every: 6 months
    controls: [C1]
    initial_risk: { severity: major, likelihood: medium }
    residual_risk: { severity: major, likelihood: low }
  - id: H2
    title: Reply lost
    status: transferred
    transferred_to: The supplier's service desk
    closed_by: B. Officer
  - id: H3
    title: Printing fails
    status: withdrawn
    withdrawn_reason: Printing was removed from the rollout
";
    let controls = "\
controls:
  - id: C1
    title: NHS number check
    type: design
    status: implemented
    description: The sender confirms the NHS number against the record
    every: 3 months
    last_done: 2026-10-01
    references: [SOP-12]
  - { id: C2, title: Pilot sign-off, type: business-process, status: planned, due: 2027-01-31, mitigates: [H1] }
";
    let p = crate::project(&[("hazards.yaml", hazards), ("controls.yaml", controls)]);
    let dir = tempfile::tempdir().unwrap();
    let back = dir.path().join("back");
    import_ok(&export_xlsx(p.path(), &dir.path().join("out")), &back, &[]);
    let got = read(&back, "hazards.yaml");
    for want in [
        "category: \"clinical\"",
        "  - \"identity\"\n      - \"messaging\"",
        "related: [\"H2\"]",
        "raised_by: \"A. Nurse\"",
        "source: \"MAN-HAZ-7\"",
        "review_every: \"6 months\"",
        "transferred_to: \"The supplier's service desk\"",
        "closed_by: \"B. Officer\"",
        "withdrawn_reason: \"Printing was removed from the rollout\"",
    ] {
        assert!(got.contains(want), "missing {want:?} in:\n{got}");
    }
    assert!(!got.contains("TBC"), "nothing defaulted: {got}");
    let controls = read(&back, "controls.yaml");
    for want in [
        "description: \"The sender confirms the NHS number against the record\"",
        "every: \"3 months\"",
        "last_done: 2026-10-01",
        "references:\n      - \"SOP-12\"",
        "due: 2027-01-31",
    ] {
        assert!(controls.contains(want), "missing {want:?} in:\n{controls}");
    }
    let (code, checked) = crate::check_json(&back, &[]);
    assert!(code < 2, "{checked}");
}

/// A withdrawn hazard in a sheet with no reason column: `withdrawn_reason`
/// is set to TBC and said so, as for a transferred hazard with no recipient
/// (the import said nothing and the project failed `check` with an error).
#[test]
fn a_withdrawn_hazard_without_a_reason_imports_as_tbc_and_is_reported() {
    let csv = "Hazard #,Hazard Name,Hazard Status\nH1,Wrong patient,Withdrawn\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    assert!(
        json["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "import-defaulted"
            && f["message"].as_str().unwrap().contains("withdrawn_reason")),
        "{json}"
    );
    assert!(read(&out, "hazards.yaml").contains("withdrawn_reason: \"TBC\""));
    let (code, checked) = crate::check_json(&out, &[]);
    assert!(code < 2, "the imported project checks: {checked}");
}

/// Real hazard logs list related hazards on one line ("H2, H3", "H3; H4",
/// "H1 and H2"): each is a link, read as the incidents' hazard lists are (an
/// id with a space, "Hazard 12", is the hazard imported as Hazard-12). Split
/// only at line breaks, "H2, H3" was written as one id no hazard has.
#[test]
fn related_hazards_listed_on_one_line_are_each_a_link() {
    let csv = "\
Hazard ID,Hazard Name,Related hazards
H1,Wrong patient,\"H2, H3\"
H2,Reply lost,H3; Hazard 12;H3
H3,Late reply,H1 and H2
Hazard 12,Printing fails,\"H1,
H2\"
";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    import_ok(&file, &out, &[]);
    let got = read(&out, "hazards.yaml");
    for want in ["related: [\"H2\", \"H3\"]", "related: [\"H3\", \"Hazard-12\"]", "related: [\"H1\", \"H2\"]"]
    {
        assert!(got.contains(want), "missing {want:?} in:\n{got}");
    }
    assert_eq!(got.matches("related: [\"H1\", \"H2\"]").count(), 2, "{got}");
    let (_, report) = crate::check_json(&out, &[]);
    assert!(crate::findings_of(&report, "dangling-reference").is_empty(), "{report}");
}

/// A log numbering its hazards H001 and writing "H1" or "h-02" in the related
/// column: each such id is read as the one hazard it stands for, with a slip at
/// the cell, instead of a reference to no hazard; an id two hazards could be
/// (H002 and H02) or none is kept as written, for `check` to report.
#[test]
fn a_related_hazard_written_without_its_zero_padding_is_the_hazard_it_stands_for() {
    let csv = "\
Hazard ID,Hazard Name,Related hazards
H001,Wrong patient,\"H2, h-003\"
H002,Reply lost,\"H001, H1\"
H003,Late reply,H9
";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    let got = read(&out, "hazards.yaml");
    for want in ["related: [\"H002\", \"H003\"]", "related: [\"H001\"]", "related: [\"H9\"]"] {
        assert!(got.contains(want), "missing {want:?} in:\n{got}");
    }
    let changed: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "import-id-changed")
        .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(changed.len(), 3, "{json}");
    assert_eq!((changed[0].0, changed[0].1), (2, 3), "at the related cell of H001's row: {changed:?}");
    assert!(changed[0].2.contains("\"H2\"") && changed[0].2.contains("read as H002"), "{changed:?}");
    let (_, report) = crate::check_json(&out, &[]);
    let dangling = crate::findings_of(&report, "dangling-reference");
    assert_eq!(dangling.len(), 1, "only H9, which no hazard is: {report}");
}
