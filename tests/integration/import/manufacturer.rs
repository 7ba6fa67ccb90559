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
