//! Bug hunt 4, the documents: what the reports, the monthly pack, the xlsx
//! round trip and the import say on unusual content, and the PDF checkers
//! over it — each test that fixes a bug failed before its fix.

use super::{clinsafe, project, rendered, AS_OF};

/// Content the documents are rarely given, for the accessibility and PDF
/// checkers: no hazards at all (manifest only); and very long unbroken ids and
/// URLs, right-to-left names, headings, tables, images and raw HTML in
/// Markdown, a hazard with no control, a metric with no observation, a DPIA
/// of empty sections whose only risk has no measure.
pub fn unusual_projects() -> Vec<tempfile::TempDir> {
    let long = "X".repeat(300);
    let manifest = format!(
        "clinsafe: 1\nsystem: {{ name: \"نظام المراسلة\", description: \"مقدمة **عربي** [رابط](https://example.org/{long})\" }}\norganisation: {{ name: \"מרפאה\" }}\ndocument: {{ id: DOC-{long}, version: \"1\", status: draft }}\n"
    );
    let items = format!(
        r#"hazards:
  - id: HAZ-{long}
    title: "رسالة أرسلت إلى المريض الخطأ"
    description: |
      # Heading one
      ###### Heading six
      | a | b |
      |---|---|
      | https://example.org/{long} | ![alt text](https://example.org/i.png) |
      <table><tr><td>raw</td></tr></table>
      <img src="x" alt="y">
      ![](https://example.org/noalt.png)
      - [ ] task
      - [x] done
    initial_risk: {{ severity: major, likelihood: high }}
  - {{ id: HAZ-2, title: "עברית", initial_risk: {{ severity: minor, likelihood: low }} }}
controls:
  - {{ id: CTL-{long}, title: "https://example.org/{long}", type: design, status: planned }}
metrics:
  - {{ id: MET-{long}, title: "עברית", better: lower, threshold: 1, monitors: [CTL-{long}] }}
dpia:
  title: "تقييم"
  processing: {{ nature: "", scope: "", context: "", purposes: "" }}
  lawful_basis: {{ article_6: "", article_9: "" }}
  necessity: ""
  risks:
    - {{ id: DPR-{long}, title: "خطر", likelihood: probable, severity: severe }}
"#
    );
    vec![project(&[]), project(&[("clinsafe.yaml", &manifest), ("h.yaml", &items)])]
}

/// SPEC: a metric `monitors` controls and/or hazards. One that monitors a
/// hazard directly (an incident count for HAZ-1) was shown as "Monitors:
/// none" in the safety case's monitoring table and the monthly pack's trend
/// caption — false, and it hid what the metric is there to watch.
#[test]
fn a_metric_monitoring_a_hazard_says_so() {
    let items = "hazards:\n  - { id: HAZ-1, title: h, initial_risk: { severity: minor, likelihood: low }, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented }\nmetrics:\n  - { id: MET-1, title: Incidents, better: lower, threshold: 1, monitors: [HAZ-1], observations: [{ date: 2026-10-31, value: 0 }] }\n  - { id: MET-2, title: Both, better: lower, threshold: 1, monitors: [CTL-1, HAZ-1], observations: [{ date: 2026-10-31, value: 0 }] }\n";
    let dir = project(&[("h.yaml", items)]);
    let case = rendered(dir.path(), AS_OF, &[], "safety-case.html");
    let row = |id: &str| {
        let at = case.find(&format!("<tr id=\"metric-{id}\">")).unwrap();
        case[at..at + case[at..].find("</tr>").unwrap()].to_string()
    };
    let monitors = |row: &str| row.rsplit("<td>").next().unwrap().to_string();
    assert!(monitors(&row("MET-1")).contains(">HAZ-1</a>"), "{}", row("MET-1"));
    let both = monitors(&row("MET-2"));
    assert!(both.contains(">CTL-1</a>") && both.contains(">HAZ-1</a>"), "{both}");
    let pack = rendered(dir.path(), AS_OF, &[], "monitoring.html");
    let at = pack.find("<figcaption>MET-1 Incidents").unwrap();
    let caption = &pack[at..at + pack[at..].find("</figcaption>").unwrap()];
    assert!(caption.contains(">HAZ-1</a>") && !caption.contains("none"), "{caption}");
}

/// A hazard log whose hazard lists a control that does not exist (an error
/// `check` reports) went through `render --format xlsx` and `import` as a
/// clean log: the export wrote only controls that resolve, so the missing
/// one vanished and with it the error. The export keeps the id in the
/// control column; the import says it found no text for it.
#[test]
fn a_reference_to_a_missing_control_survives_the_xlsx_round_trip() {
    let items = "hazards:\n  - id: HAZ-1\n    title: t\n    initial_risk: { severity: minor, likelihood: low }\n    controls: [CTL-1, CTL-404]\n    causes:\n      - { id: HAZ-1-C1, text: A cause, controls: [CTL-405] }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented }\n";
    let dir = project(&[("h.yaml", items)]);
    let out = tempfile::tempdir().unwrap();
    let o = clinsafe()
        .args(["render", "--as-of", AS_OF, "--format", "xlsx", "--out"])
        .arg(out.path())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let back = out.path().join("p");
    let (code, json, err) = super::import::import(&out.path().join("hazard-log.xlsx"), &back, &[]);
    assert_eq!(code, 0, "{err}");
    let hazards = std::fs::read_to_string(back.join("hazards.yaml")).unwrap();
    for id in ["CTL-404", "CTL-405"] {
        assert!(hazards.contains(id), "{id} dropped:\n{hazards}");
        let said =
            json["findings"].as_array().unwrap().iter().any(|f| f["message"].as_str().unwrap().contains(id));
        assert!(said, "{id}: the import says nothing: {json}");
    }
}

/// A hazard log exported from the Digital Clinical Safety Alliance's
/// published DCB0129 template: its scoring columns are "Likelihood
/// scoring", "Severity scoring" and "Risk scoring", their cells the scale's
/// label with its definition ("2 - Low: Could occur but in the great
/// majority of occasions will not"), and controls still to add are "New
/// hazard controls". Every hazard came in unassessed (the scores kept only as
/// notes) and the new controls as notes.
#[test]
fn a_log_in_the_dcsa_template_imports_its_scores_and_new_controls() {
    let csv = "Hazard ID,Hazard name,Cause(s),Existing controls,Likelihood scoring,Severity scoring,Risk scoring,New hazard controls,Residual likelihood,Residual severity,Residual risk,Hazard Status\n\
1,Wrong weight used,Imperial units entered,Unit labels,\"2 - Low: Could occur but in the great majority of occasions will not\",\"2 - Significant: Minor injury, long term, 1; Significant psych. trauma, 1; Minor inj/psych trauma, 2+\",\"2 - Acceptable: Acceptable if cost of further reduction > benefits, or further risk reduction is impractical\",Range check on entry,\"1 - Very low: Negligible or nearly negligible possibility of occurring\",\"2 - Significant: Minor injury, long term, 1\",\"1 - Acceptable: Acceptable, no further action required\",open\n";
    let dir = tempfile::tempdir().unwrap();
    let file = super::import::temp_file(&dir, "log.csv", csv.as_bytes());
    let out = dir.path().join("p");
    let json = super::import::import_ok(&file, &out, &[]);
    let unread: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "import-unread-value")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(unread.is_empty(), "{unread:#?}");
    let (_, check) = super::check_json(&out, &[]);
    let h = &check["hazards"][0];
    assert_eq!(h["initial"]["rating"], 2, "{check}");
    assert_eq!(h["initial"]["likelihood"], "low");
    assert_eq!(h["initial"]["severity"], "significant");
    assert_eq!(h["residual"]["rating"], 1, "{check}");
    let controls = std::fs::read_to_string(out.join("controls.yaml")).unwrap();
    assert!(controls.contains("Range check on entry") && controls.contains("status: planned"), "{controls}");
}

/// `render --period` for a month that has not begun as of `--as-of` made a
/// pack saying "No observation in January 2030 passed a threshold" and "No
/// follow-up needed: every metric is within its levels" — an assurance about
/// a month no one has seen yet. It is refused as a wrong command line.
#[test]
fn a_monthly_pack_for_a_month_not_begun_is_refused() {
    let items = "metrics:\n  - { id: MET-1, title: m, better: lower, threshold: 1, observations: [{ date: 2026-10-31, value: 0 }] }\n";
    let dir = project(&[("h.yaml", items)]);
    let out = tempfile::tempdir().unwrap();
    let o = clinsafe()
        .args(["render", "--as-of", AS_OF, "--format", "html", "--period", "2026-12", "--out"])
        .arg(out.path())
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("2026-12") && err.contains(AS_OF), "{err}");
    assert!(!out.path().join("monitoring.html").exists());
    // The month of --as-of itself (so far) and earlier months are fine.
    let pack = rendered(dir.path(), AS_OF, &["--period", "2026-11"], "monitoring.html");
    assert!(pack.contains("November 2026"));
}

/// A PDF checker's run over [`unusual_projects`]' PDFs: qpdf finds no damage,
/// the PDF/UA checks pass, poppler reads them without an error, and the
/// project files come back from the attachments byte for byte.
#[test]
#[ignore = "needs qpdf, poppler-utils and the pdfua checker (PyPI); run by .ci/run"]
fn unusual_content_gives_sound_tagged_pdfs() {
    let run = |tool: &str, args: &[&str], file: &std::path::Path| {
        let venv = std::env::var_os("HOME")
            .map(|h| std::path::Path::new(&h).join(".cache/clinsafe/venv/bin").join(tool))
            .filter(|p| p.is_file());
        let o = std::process::Command::new(venv.as_deref().unwrap_or(std::path::Path::new(tool)))
            .args(args)
            .arg(file)
            .output()
            .unwrap_or_else(|e| panic!("{tool} is not installed ({e}); .ci/run installs it"));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success() && !err.contains("Error"), "{tool} on {}: {err}", file.display());
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    for dir in unusual_projects() {
        let out = tempfile::tempdir().unwrap();
        let o = clinsafe()
            .args(["render", "--as-of", AS_OF, "--format", "pdf", "--out"])
            .arg(out.path())
            .arg(dir.path())
            .output()
            .unwrap();
        assert_ne!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
        for entry in std::fs::read_dir(out.path()).unwrap() {
            let file = entry.unwrap().path();
            if file.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            run("qpdf", &["--check"], &file);
            run("pdfua", &["check"], &file);
            assert!(run("pdfinfo", &[], &file).contains("Tagged:          yes"));
            run("pdftotext", &["-enc", "UTF-8"], &file);
            let saved = out.path().join("attachment");
            run("pdfdetach", &["-save", "1", "-o", saved.to_str().unwrap()], &file);
            assert_eq!(
                std::fs::read(&saved).unwrap(),
                std::fs::read(dir.path().join("clinsafe.yaml")).unwrap()
            );
        }
    }
}

/// A case with no hazards or controls yet: the safety case and the hazard
/// log printed their tables as a header row with nothing under it (in the PDF
/// the header stood alone at a page's foot). They say there are none.
#[test]
fn empty_hazard_and_control_tables_say_there_are_none() {
    let dir = project(&[]);
    for doc in ["safety-case.html", "hazard-log.html"] {
        let html = rendered(dir.path(), AS_OF, &[], doc);
        assert!(
            !html.contains("<table class=\"hazards\">") && !html.contains("<table class=\"controls\">"),
            "{doc}"
        );
        assert!(html.contains("No hazards recorded.") && html.contains("No controls recorded."), "{doc}");
    }
}

/// A name or control cell holding only spaces, a tab or a zero-width space is
/// empty: the import gives the hazard its id as title (and says so) rather
/// than write a title the loader refuses as blank.
#[test]
fn cells_that_show_nothing_are_empty_to_the_import() {
    let csv = "Hazard ID,Hazard Name,Existing Controls,Control #,Additional Controls\n1,\"   \",Ctl,C1,\"  \"\n2,Name,\"\t\",C2,\n3,\"\u{200B}\",x,,\n";
    let dir = tempfile::tempdir().unwrap();
    let file = super::import::temp_file(&dir, "log.csv", csv.as_bytes());
    super::import::import_ok(&file, &dir.path().join("p"), &[]);
}
