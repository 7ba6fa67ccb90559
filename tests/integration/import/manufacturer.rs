//! A log whose hazards name the manufacturer's hazards they localise: the
//! imported project names the manufacturer's report (filled from the sheet's
//! labels where it gives them, else a placeholder to fill), so `check` reports
//! a placeholder to fill, not a `missing-manufacturer` error the user did not make.

use super::{import_ok, read, slips_of, temp_file};
use crate::{check_json, findings_of};

const LOG: &str = "\
Hazard #,Hazard Name,I. Consequence,I. Likelihood,R. Consequence,R. Likelihood,Justification,Manufacturer hazard
HAZ-1,Wrong patient,Minor,Very low,Minor,Very low,Acceptable,PM-H03
HAZ-2,Delayed response,Minor,Very low,Minor,Very low,Acceptable,PM-H07
HAZ-3,Own hazard,Minor,Very low,Minor,Very low,Acceptable,
";

fn import(text: &str) -> (tempfile::TempDir, std::path::PathBuf, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "log.csv", text.as_bytes());
    let out = dir.path().join("p");
    let json = import_ok(&file, &out, &[]);
    (dir, out, json)
}

#[test]
fn a_manufacturer_hazard_column_gives_a_manufacturer_section_to_fill() {
    let (_dir, out, json) = import(LOG);
    let manifest = read(&out, "clinsafe.yaml");
    assert!(manifest.contains("manufacturer:"), "{manifest}");
    assert!(manifest.contains("  ref: \"<the manufacturer's report id>\""), "{manifest}");
    // The summary says what was added, at the first hazard naming one, in its cell.
    let said: Vec<&serde_json::Value> =
        json["findings"].as_array().unwrap().iter().filter(|f| f["line"] == 2).collect();
    let said = said.iter().find(|f| f["rule"] == "import-placeholder").expect("said at row 2");
    assert_eq!(said["column"], 8, "{said}");
    let message = said["message"].as_str().unwrap();
    assert!(message.starts_with("2 hazards name the manufacturer's hazard they localise"), "{message}");
    assert!(message.contains("`manufacturer:`") && message.contains("placeholder"), "{message}");

    let (_, report) = check_json(&out, &[]);
    assert_eq!(findings_of(&report, "missing-manufacturer").len(), 0, "{report}");
    let unfilled = findings_of(&report, "unfilled-placeholder");
    assert_eq!(unfilled.len(), 1, "{report}");
    assert!(unfilled[0]["message"].as_str().unwrap().ends_with(": manufacturer.ref"), "{}", unfilled[0]);
}

#[test]
fn the_report_the_sheet_names_is_written_as_given() {
    let text = format!(
        "Manufacturer:,Acme Health\nManufacturer's safety case:,ACME-CSCR-7\nManufacturer's safety case version:,7.1\n\
         DCB0129 report date:,30/09/2026\n,\n{LOG}"
    );
    let (_dir, out, json) = import(&text);
    let manifest = read(&out, "clinsafe.yaml");
    assert!(manifest.contains("  supplier: \"Acme Health\"\n"), "{manifest}");
    assert!(
        manifest.contains("  ref: \"ACME-CSCR-7\"\n  version: \"7.1\"\n  date: 2026-09-30\n"),
        "{manifest}"
    );
    assert!(!json.to_string().contains("`manufacturer:`"), "nothing to fill, nothing said: {json}");
    let (_, report) = check_json(&out, &[]);
    assert_eq!(findings_of(&report, "missing-manufacturer").len(), 0, "{report}");
    assert_eq!(findings_of(&report, "unfilled-placeholder").len(), 0, "{report}");
}

#[test]
fn a_log_with_no_manufacturer_hazard_gets_no_manufacturer_section() {
    let text = LOG.replace(",PM-H03", ",").replace(",PM-H07", ",");
    let (_dir, out, json) = import(&text);
    assert!(!read(&out, "clinsafe.yaml").contains("manufacturer"));
    assert!(slips_of(&json).iter().all(|(k, row)| k != "import-placeholder" || *row == 1), "{json}");
}

#[test]
fn a_report_version_without_its_id_gets_a_placeholder_id() {
    let log = LOG.replace(",PM-H03", ",").replace(",PM-H07", ",");
    let (_dir, out, json) = import(&format!("DCB0129 report version:,7.1\n,\n{log}"));
    let manifest = read(&out, "clinsafe.yaml");
    assert!(manifest.contains("  ref: \"<the manufacturer's report id>\""), "{manifest}");
    assert!(manifest.contains("  version: \"7.1\"\n"), "{manifest}");
    let said = json.to_string();
    assert!(
        said.contains("the cover sheet describes the manufacturer's report but gives no id for it"),
        "{json}"
    );
}

/// The example names its manufacturer's report (ref, version, who reviewed
/// it and when) and transfers two of that report's controls to the practice.
/// Its `render --format xlsx` → `import` lost both: the cover had no rows for
/// the report, so the import wrote a placeholder `ref` (its hazards name their
/// source hazards), and the log had no column for `transferred_from`.
#[test]
fn the_examples_manufacturers_report_survives_the_xlsx_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
    let file = super::export_xlsx(&example, &dir.path().join("out"));
    let back = dir.path().join("back");
    let json = import_ok(&file, &back, &[]);
    assert!(slips_of(&json).iter().all(|(k, _)| k != "import-placeholder"), "{json}");
    let manifest = read(&back, "clinsafe.yaml");
    // The section as written, without the comment inviting a date (the example gives none).
    let section: Vec<&str> = manifest
        .lines()
        .skip_while(|l| !l.starts_with("manufacturer:"))
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    assert_eq!(
        section,
        [
            "  ref: \"PM-CSCR-4.2\"",
            "  version: \"4.2\"",
            "  reviewed_by: \"Dr Amira Hassan\"",
            "  reviewed_on: 2026-09-02"
        ],
        "{manifest}"
    );
    assert!(!manifest.contains("<the manufacturer's report id>"), "{manifest}");
    let controls = read(&back, "controls.yaml");
    assert!(controls.contains("    transferred_from: \"TC-05\"\n"), "{controls}");
    assert!(controls.contains("    transferred_from: \"TC-03\"\n"), "{controls}");
    let (_, report) = check_json(&back, &[]);
    assert_eq!(findings_of(&report, "unfilled-placeholder").len(), 0, "{report}");
    assert_eq!(findings_of(&report, "missing-manufacturer").len(), 0, "{report}");
    // The transferred controls still planned are flagged as in the example.
    let (_, original) = check_json(&example, &[]);
    let open = |r: &serde_json::Value| findings_of(r, "manufacturer-control-open").len();
    assert_eq!(open(&report), open(&original), "{report}");
}

/// A report's date comes back too (the example gives none).
#[test]
fn a_manufacturers_report_date_survives_the_xlsx_round_trip() {
    let manifest = format!("{}manufacturer:\n  ref: ACME-CSCR-7\n  date: 2026-09-30\n", crate::MANIFEST);
    let hazards = "hazards:\n  - { id: H1, title: Wrong patient, source: ACME-H3 }\n";
    let p = crate::project(&[("clinsafe.yaml", &manifest), ("hazards.yaml", hazards)]);
    let dir = tempfile::tempdir().unwrap();
    let back = dir.path().join("back");
    import_ok(&super::export_xlsx(p.path(), &dir.path().join("out")), &back, &[]);
    let got = read(&back, "clinsafe.yaml");
    assert!(got.contains("  ref: \"ACME-CSCR-7\"\n"), "{got}");
    assert!(got.contains("  date: 2026-09-30\n"), "{got}");
}

/// A control transferred from the manufacturer's report, in a log whose
/// hazards name no source hazard: the import writes `transferred_from` and a
/// `manufacturer:` section to fill, said at the control's cell, so `check`
/// reports the placeholder rather than `missing-manufacturer`.
#[test]
fn a_transferred_control_gives_a_manufacturer_section_to_fill() {
    let text = "\
Hazard #,Hazard Name,Control #,Control,Action status,Manufacturer's control
HAZ-1,Wrong patient,C1,Check the NHS number,Implemented,TC-05
HAZ-1,Wrong patient,C2,Train the staff,Implemented,
";
    let (_dir, out, json) = import(text);
    assert!(read(&out, "controls.yaml").contains("    transferred_from: \"TC-05\"\n"));
    assert!(read(&out, "clinsafe.yaml").contains("  ref: \"<the manufacturer's report id>\""));
    let said = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "import-placeholder" && f["line"] != 1);
    let said = said.expect("the placeholder is said");
    assert_eq!((&said["line"], &said["column"]), (&2.into(), &6.into()), "{said}");
    let message = said["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "1 control is transferred from the manufacturer's report (`transferred_from`; C1 names TC-05)"
        ),
        "{message}"
    );
    let (_, report) = check_json(&out, &[]);
    assert_eq!(findings_of(&report, "missing-manufacturer").len(), 0, "{report}");
    assert_eq!(findings_of(&report, "unfilled-placeholder").len(), 1, "{report}");
}
