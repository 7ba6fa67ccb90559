//! `clinsafe import`: spreadsheets built here (CSV text, xlsx written with
//! rust_xlsxwriter, ods as a zip of XML) → projects that load, with every
//! slip reported where it is.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::{check_json, clinsafe, findings_of, AS_OF};

mod fixtures;
mod manufacturer;
mod published;
mod shapes;
mod slips;

/// Runs `import --format json FILE --out DIR [extra]`; returns exit code,
/// the JSON report (null when nothing was printed) and stderr.
pub fn import(file: &Path, out: &Path, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let o = clinsafe()
        .args(["import", "--format", "json"])
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
    (o.status.code().unwrap(), json, String::from_utf8(o.stderr).unwrap())
}

/// Imports and asserts success and that the project loads (check exits 0 or 1, never 2).
pub fn import_ok(file: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let (code, json, err) = import(file, out, extra);
    assert_eq!(code, 0, "{err}");
    let (check, report) = check_json(out, &[]);
    assert!(check == 0 || check == 1, "imported project does not load: {report}");
    json
}

/// (kind, row) of every slip in an import report.
pub fn slips_of(json: &serde_json::Value) -> Vec<(String, u64)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap_or(0)))
        .collect()
}

pub fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

pub fn temp_file(dir: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Saves `book` as `log.xlsx` in a new folder and imports it into `p/` there
/// Renders `project`'s workbook into `out` (`render --format xlsx`) and returns its path.
pub fn export_xlsx(project: &Path, out: &Path) -> PathBuf {
    let render = clinsafe()
        .args(["render", "--format", "xlsx", "--as-of", AS_OF, "--out"])
        .arg(out)
        .arg(project)
        .output()
        .unwrap();
    assert!(render.status.code().unwrap() < 2, "{}", String::from_utf8_lossy(&render.stderr));
    out.join("hazard-log.xlsx")
}

/// ([`import_ok`]); returns the folder (removed when dropped), the project and the report.
pub fn import_book(book: &mut rust_xlsxwriter::Workbook) -> (TempDir, PathBuf, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.xlsx", &book.save_to_buffer().unwrap());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    (dir, out, json)
}

/// The NHS template, first naming variant, with a title block above the header.
pub const TEMPLATE_A: &str = "\
Patient Messaging hazard log,,,,,,,,,,,,,,,,,
Owner:,Dr Jane Example,,,,,,,,,,,,,,,,
,,,,,,,,,,,,,,,,,
Hazard #,Name,Clinical impact,Cause #,Possible Causes,Control #,Additional controls,I. Consequence,I. Likelihood,I. Risk score,Control type,Control owner,Action,Action status,R. Consequence,R. Likelihood,R. Risk score,Release introduced
01,Message sent to wrong patient,Wrong treatment,0101,Similar names,010101,Two-identifier check,Major,Medium,3,Design,Reception lead,Train staff,Closed,Major,Very low,2,2.1
,,,,,010102,Confirm mobile number,,,,Business process,Reception lead,,Closed,,,,
,,,0102,Out of date demographics,010201,PDS lookup before send,,,,Design,IT lead,,Open,,,,
02,Delayed response,Missed deterioration,0201,Inbox not monitored,020101,Daily triage rota,Considerable,Medium,3,Business process,Practice manager,,Open,Considerable,Low,2,
";

#[test]
fn the_template_imports_with_causes_as_items_and_ids_kept_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", TEMPLATE_A.as_bytes());
    let out = dir.path().join("project");
    let json = import_ok(&file, &out, &[]);
    assert_eq!(json["summary"]["hazards"], 2);
    assert_eq!(json["summary"]["controls"], 4);
    let kinds: Vec<String> = slips_of(&json).into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds, ["import-placeholder"], "a tidy sheet has no slips but the missing document id");
    let hazards = read(&out, "hazards.yaml");
    assert!(hazards.contains("  - id: \"01\"\n    title: \"Message sent to wrong patient\""), "{hazards}");
    assert!(hazards.contains("      - id: \"0101\"  # row 5\n        text: \"Similar names\"\n        controls: [\"010101\", \"010102\"]"), "{hazards}");
    assert!(hazards.contains("# log.csv, rows 5-7"), "{hazards}");
    assert!(hazards.contains("\"Release introduced: 2.1\""));
    let controls = read(&out, "controls.yaml");
    assert!(controls.contains("  - id: \"010101\"\n    title: \"Two-identifier check\"\n    type: design\n    status: implemented\n    owner: \"Reception lead\"\n    notes:\n      - \"Action: Train staff\""), "{controls}");
    assert!(read(&out, "clinsafe.yaml").contains("owner: \"Dr Jane Example\""));
    let (_, report) = check_json(&out, &[]);
    assert_eq!(report["hazards"][0]["controls"], serde_json::json!(["010101", "010102", "010201"]));
    assert_eq!(report["hazards"][0]["initial"]["rating"], 3);
}

#[test]
fn the_second_template_variant_reads_whatever_the_case_and_spacing() {
    let csv = "\
NUM , hazard  name,Potential Clinical Impact,Cause Number,Possible causes,Control No.,Existing Controls,Initial consequence,INITIAL LIKELIHOOD,Initial Risk,Control Type,Action Status,Residual Consequence,Residual Likelihood,Residual Risk
H1,Lost audit trail,Unrecorded advice,C1,Export fails,K1,Nightly export check,Significant,Low,2,Test,Verified,Significant,Very low,1
";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "variant.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    assert_eq!(json["summary"]["hazards"], 1);
    let (_, report) = check_json(&out, &[]);
    assert_eq!(report["hazards"][0]["residual"]["rating"], 1);
    assert_eq!(report["hazards"][0]["controls"], serde_json::json!(["K1"]));
    assert!(read(&out, "controls.yaml").contains("type: test\n    status: verified"));
}

#[test]
fn a_map_file_names_the_columns_of_another_layout() {
    let csv = "Risk ref,Risk,Why,Mitigation ref,Mitigation,Sev,Lik\nR-1,Wrong dose shown,Rounding,M-1,Show units,Major,Low\n";
    let map = "columns:\n  hazard_id: Risk ref\n  hazard_name: Risk\n  cause: Why\n  control_id: Mitigation ref\n  control: Mitigation\n  initial_severity: Sev\n  initial_likelihood: Lik\n";
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "risks.csv", csv.as_bytes());
    let map_file = temp_file(&dir, "map.yaml", map.as_bytes());
    let out = dir.path().join("p");
    let (code, _, err) = import(&file, &out, &[]);
    assert_eq!(code, 2, "without a map no header is found");
    assert!(err.contains("--map"), "{err}");
    import_ok(&file, &out, &["--map", map_file.to_str().unwrap()]);
    let (_, report) = check_json(&out, &[]);
    assert_eq!(report["hazards"][0]["id"], "R-1");
    assert_eq!(report["hazards"][0]["initial"]["rating"], 3);
    let bad = temp_file(&dir, "bad.yaml", b"columns:\n  hazard_idd: Risk ref\n");
    let (code, _, err) = import(&file, &dir.path().join("q"), &["--map", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("hazard_idd"), "{err}");
}

/// Rating columns under group headings: a two-row header, as CSV (group text
/// in the first cell of its span) and as xlsx with merged cells.
#[test]
fn a_two_row_header_with_group_headings_maps_initial_and_residual_ratings() {
    let csv = "\
Hazard log,,,,,,,,,,
Hazard #,Hazard Name,Possible Causes,Control #,Controls,Initial hazard risk,,,Residual hazard risk,,,Comments
,,,,,Consequence,Likelihood,Risk rating,Severity,Likelihood,Risk rating,
H1,Wrong patient,Similar names,K1,Two-identifier check,Major,Medium,3,Major,Very low,2,Seen in May
";
    let dir = tempfile::tempdir().unwrap();
    let files = [
        temp_file(&dir, "grouped.csv", csv.as_bytes()),
        temp_file(&dir, "grouped.xlsx", &fixtures::xlsx_two_row_header()),
    ];
    for (i, file) in files.iter().enumerate() {
        let out = dir.path().join(format!("p{i}"));
        let json = import_ok(file, &out, &[]);
        let kinds: Vec<String> = slips_of(&json).into_iter().map(|(k, _)| k).collect();
        assert!(
            !kinds.iter().any(|k| k == "import-half-rated" || k == "import-unmapped-column"),
            "{kinds:?}"
        );
        let (_, report) = check_json(&out, &[]);
        assert_eq!(report["hazards"][0]["initial"]["rating"], 3, "{}", read(&out, "hazards.yaml"));
        assert_eq!(report["hazards"][0]["residual"]["rating"], 2);
        assert_eq!(report["hazards"][0]["controls"], serde_json::json!(["K1"]));
    }
    assert!(read(&dir.path().join("p0"), "hazards.yaml").contains("Seen in May"));
}

#[test]
fn import_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", TEMPLATE_A.as_bytes());
    let out = dir.path().join("p");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let (code, _, err) = import(&file, &out, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("never overwrites"), "{err}");
    assert_eq!(read(&out, "keep.txt"), "mine");
    assert!(!out.join("clinsafe.yaml").exists());
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    import_ok(&file, &empty, &[]);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no temporary folder left behind");
}

#[test]
fn a_file_that_is_not_a_spreadsheet_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.txt", b"hello");
    let (code, _, err) = import(&file, &dir.path().join("p"), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("expected .xlsx, .xls, .ods or .csv"), "{err}");
    let broken = temp_file(&dir, "log.xlsx", b"not a zip");
    let (code, _, _) = import(&broken, &dir.path().join("p"), &[]);
    assert_eq!(code, 2);
}

#[test]
fn render_xlsx_then_import_gives_back_the_same_project() {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.xlsx", &fixtures::xlsx_template());
    let first = dir.path().join("first");
    import_ok(&file, &first, &[]);
    let workbook = export_xlsx(&first, &dir.path().join("out"));
    let again = export_xlsx(&first, &dir.path().join("out2"));
    assert_eq!(
        std::fs::read(&workbook).unwrap(),
        std::fs::read(again).unwrap(),
        "same input and --as-of, same bytes"
    );
    let second = dir.path().join("second");
    let json = import_ok(&workbook, &second, &[]);
    assert_eq!(slips_of(&json), Vec::<(String, u64)>::new(), "clinsafe's own spreadsheet has no slips");
    let strip = |s: String| {
        s.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(|l| l.split("  # row").next().unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    };
    for f in ["clinsafe.yaml", "hazards.yaml", "controls.yaml"] {
        assert_eq!(strip(read(&first, f)), strip(read(&second, f)), "{f} differs after the round trip");
    }
    assert_eq!(check_json(&first, &[]).1["hazards"], check_json(&second, &[]).1["hazards"]);
}

#[test]
fn the_xlsx_export_carries_reviews_and_incidents_and_import_reads_them_back() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
    let file = export_xlsx(&example, &dir.path().join("out"));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Cover", "Version history", "Hazard Log", "Reviews", "Incidents", "Evidence"]
    );
    let rows = |book: &mut calamine::Xlsx<_>, name: &str| -> Vec<Vec<String>> {
        let range = book.worksheet_range(name).unwrap();
        range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    };
    let incidents = rows(&mut book, "Incidents");
    assert_eq!(incidents[0][..3], ["Incident #", "Date", "Title"]);
    let inc1 = incidents.iter().find(|r| r[0] == "INC-001").expect("INC-001 listed");
    assert_eq!(inc1[1..3], ["2026-01-14", "Reply sent to the wrong patient during the pilot"]);
    assert_eq!(inc1[5], "HAZ-001");
    assert!(inc1[8].starts_with("Two patients with the same surname"), "{inc1:?}");
    let reviews = rows(&mut book, "Reviews");
    assert_eq!(reviews[0][..4], ["Hazard #", "Hazard Name", "Review Date", "Reviewed By"]);
    assert_eq!(
        reviews[0][5..],
        [
            "Initial Consequence",
            "Initial Likelihood",
            "Initial Risk",
            "Residual Consequence",
            "Residual Likelihood",
            "Residual Risk"
        ]
    );
    assert!(reviews.iter().skip(1).any(|r| r[0] == "HAZ-001"), "{reviews:?}");
    // A review that re-rated shows the ratings as the log does: words, then the matrix's number.
    assert!(reviews.iter().skip(1).any(|r| !r[10].is_empty() && !r[8].is_empty()), "{reviews:?}");
    // Imported back, the records come with the log: each review under its hazard, the
    // incident log in incidents.yaml, and nothing skipped.
    let back = dir.path().join("back");
    let json = import_ok(&file, &back, &[]);
    let text = json.to_string();
    assert!(!text.contains("import-sheet-skipped") && !text.contains("import-unread-value"), "{json}");
    assert_eq!(json["summary"]["hazards"], 8, "{json}");
    assert_eq!(
        (&json["summary"]["reviews"], &json["summary"]["incidents"]),
        (&5.into(), &3.into()),
        "{json}"
    );
    let incidents = read(&back, "incidents.yaml");
    assert!(incidents.contains("  - id: \"INC-001\"\n    date: 2026-01-14\n"), "{incidents}");
    assert!(
        incidents.contains("    hazards: [\"HAZ-001\"]\n    controls: [\"CTL-018\"]\n    status: closed\n")
    );
    let hazards = read(&back, "hazards.yaml");
    assert!(
        hazards
            .contains("    reviews:\n      - date: 2025-11-03  # hazard-log.xlsx, sheet 'Reviews', row 2\n"),
        "{hazards}"
    );
    // The same records as the example: its review-due finding on INC-003 comes back too.
    let due = |dir: &std::path::Path| -> Vec<String> {
        findings_of(&check_json(dir, &[]).1, "incident-review-due")
            .iter()
            .map(|f| f["message"].to_string())
            .collect()
    };
    assert_eq!(due(&back), due(&example));
    assert!(!due(&back).is_empty());
}
