//! The safety case a clinical safety officer signs (issue 14): the CSO's own
//! statement with clinsafe's facts beneath it, go-live conditions, the
//! DCB0160 tables in words, document control, findings in words.

use std::path::{Path, PathBuf};

use super::render::render;
use super::{check_json, clinsafe, project, rules_of, AS_OF};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging")
}

fn case_html(dir: &Path) -> String {
    let (_, out, err) = render(dir, &["--format", "html"]);
    std::fs::read_to_string(out.path().join("safety-case.html")).unwrap_or_else(|e| panic!("{e}: {err}"))
}

/// The report's text from section `from` up to `to` (both headings' text).
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let end = html[start..].find(to).map_or(html.len(), |e| start + e);
    &html[start..end]
}

fn assert_holds_all(html: &str, parts: &[&str]) {
    for part in parts {
        assert!(html.contains(part), "{part} in {html}");
    }
}

const HAZARD: &str = "hazards:\n  - { id: HAZ-1, title: Wrong patient, initial_risk: { severity: considerable, likelihood: medium }, residual_risk: { severity: considerable, likelihood: very-low }, controls: [CTL-1, CTL-2] }\ncontrols:\n  - { id: CTL-1, title: Three-identifier check, type: design, status: implemented, owner: Practice manager }\n  - { id: CTL-2, title: Locum induction pack, type: training, status: planned, owner: Practice manager, due: 2026-12-15 }\nactions:\n  - { id: ACT-1, title: Choose the platform, owner: Practice manager, due: 2025-10-15, status: done, done_on: 2025-10-10 }\n";

fn manifest(extra: &str) -> String {
    format!("clinsafe: 1\nsystem: {{ name: S }}\ndocument: {{ id: CSCR-1, version: \"1.0\" }}\nclinical_safety_officer: {{ name: Dr A }}\n{extra}")
}

#[test]
fn the_conclusion_prints_the_cso_statement_then_only_facts() {
    let statement = "safety_statement: |\n  In my judgement the risk is **acceptable** for go-live.\ngo_live_conditions: [CTL-2]\n";
    let dir = project(&[("clinsafe.yaml", &manifest(statement)), ("h.yaml", HAZARD)]);
    let html = case_html(dir.path());
    let conclusion = between(&html, "<section id=\"conclusion\">", "</section>");
    assert!(
        conclusion.contains("In my judgement the risk is <strong>acceptable</strong> for go-live."),
        "{conclusion}"
    );
    assert!(conclusion.contains("0 errors and 0 warnings"), "{conclusion}");
    assert!(conclusion.contains("Every rule runs at its default level or higher."), "{conclusion}");
    assert!(
        conclusion
            .contains("1 of 1 go-live condition still open: CTL-2 Locum induction pack, due 2026-12-15"),
        "{conclusion}"
    );
    // No fixed claim in clinsafe's voice.
    assert!(!html.contains("reasonably practicable"), "{html}");
}

#[test]
fn an_issued_case_needs_a_safety_statement_and_a_draft_says_it_has_none() {
    let issued = "document: { id: CSCR-1, version: \"1.0\", status: issued }\napprovals: [{ name: Dr A, role: CSO, date: 2026-11-02 }]\n";
    let text = manifest("").replace("document: { id: CSCR-1, version: \"1.0\" }\n", issued);
    let dir = project(&[("clinsafe.yaml", &text), ("h.yaml", HAZARD)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{json}");
    assert!(rules_of(&json).contains(&"missing-safety-statement".to_string()), "{json}");
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "missing-safety-statement")
        .unwrap();
    assert_eq!(
        (finding["file"].as_str(), finding["line"].as_u64()),
        (Some("clinsafe.yaml"), Some(1)),
        "{finding}"
    );

    let draft = project(&[("clinsafe.yaml", &manifest("")), ("h.yaml", HAZARD)]);
    assert!(!rules_of(&check_json(draft.path(), &[]).1).contains(&"missing-safety-statement".to_string()));
    assert!(case_html(draft.path()).contains("No safety statement recorded"));
}

#[test]
fn go_live_conditions_quiet_the_rule_and_are_listed_with_owner_due_and_state() {
    let dir = project(&[("clinsafe.yaml", &manifest("")), ("h.yaml", HAZARD)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(rules_of(&json), vec!["residual-relies-on-planned".to_string()], "{json}");
    assert!(json["findings"][0]["message"].as_str().unwrap().contains("CTL-2"), "{json}");

    let dir = project(&[("clinsafe.yaml", &manifest("go_live_conditions: [CTL-2]\n")), ("h.yaml", HAZARD)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!((code, rules_of(&json)), (0, Vec::<String>::new()), "{json}");
    let html = case_html(dir.path());
    let section = between(&html, "<table class=\"go-live\">", "</table>");
    assert_holds_all(
        section,
        &[
            "CTL-2</a> Locum induction pack",
            "<td>Practice manager</td>",
            "<td>2026-12-15</td>",
            "<td>open: planned</td>",
            "HAZ-1</a>",
        ],
    );
    // Where the hazard lists its controls, the planned one is marked, and as a condition.
    let hazards = between(&html, "<section id=\"hazards\">", "</section>");
    assert!(hazards.contains("CTL-2</a> <span class=\"flag\">planned</span> <span class=\"flag\">go-live\u{a0}condition</span>"), "{hazards}");
    assert!(!hazards.contains("CTL-1</a> <span class=\"flag\">planned"), "{hazards}");
}

#[test]
fn a_go_live_condition_naming_no_control_is_a_located_dangling_reference() {
    let dir = project(&[
        ("clinsafe.yaml", &manifest("go_live_conditions:\n  - CTL-1\n  - CTL-3\n")),
        ("h.yaml", HAZARD),
    ]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{json}");
    let f = &json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "dangling-reference").unwrap();
    assert_eq!(
        (f["file"].as_str(), f["line"].as_u64(), f["column"].as_u64()),
        (Some("clinsafe.yaml"), Some(7), Some(5)),
        "{f}"
    );
    assert!(f["message"].as_str().unwrap().contains("`go_live_conditions` lists `CTL-3`"), "{f}");
}

#[test]
fn counts_are_in_correct_plurals() {
    let one_error = "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major, likelihood: medium } }\ncontrols:\n  - { id: CTL-9, title: orphan, type: design, status: implemented }\n";
    let dir = project(&[("h.yaml", one_error)]);
    let html = case_html(dir.path());
    assert!(html.contains("1 error and 1 warning"), "{html}");
    assert!(!html.contains("1 errors") && !html.contains("1 warnings"), "{html}");
}

#[test]
fn the_body_names_no_rule_and_no_file_position_and_the_appendix_keeps_both() {
    let html = case_html(&example());
    let body = between(&html, "<article", "<section id=\"findings-detail\"");
    for rule in clinsafe::rules::RULES {
        assert!(!body.contains(rule.id), "the body names the rule {}", rule.id);
    }
    assert!(!body.contains(".csv:") && !body.contains(".yaml:"), "a file position in the body");
    let findings = between(&html, "<section id=\"findings\">", "</section>");
    assert!(findings.contains("A monitoring measure has got worse several times in a row"), "{findings}");
    let appendix = between(&html, "<section id=\"findings-detail\"", "</section>");
    assert!(
        appendix.contains("<code>metric-worsening</code>")
            && appendix.contains("metrics/data/met-004.csv:13")
    );
}

#[test]
fn the_matrix_is_in_words_with_the_dcb0160_definitions_and_ratings_never_read_as_products() {
    let html = case_html(&example());
    let approach = between(&html, "<section id=\"approach\">", "</section>");
    assert_holds_all(
        approach,
        &[
            "<th scope=\"row\">Very high</th>",
            "<th scope=\"col\">Considerable</th>",
            "<th scope=\"row\">Very low</th>",
        ],
    );
    assert!(!approach.contains("very-high") && !approach.contains("very-low"), "slugs in the matrix");
    assert!(approach.contains("Could occur but in the great majority of occasions will not"));
    assert!(approach.contains("<th scope=\"col\">One patient</th><th scope=\"col\">Several patients</th>"));
    let hazards = between(&html, "<section id=\"hazards\">", "</section>");
    assert!(hazards.contains("<span class=\"rating rating-3\">3</span> <span class=\"risk\">— considerable severity, medium likelihood</span>"), "{hazards}");
    assert!(!hazards.contains(" × "), "a rating written as a product");
}

#[test]
fn document_control_has_reviewers_related_documents_and_sign_off_decisions() {
    let extra = "crm: { system: CRMS-001 v2, plan: CRMP-1 v1 }\nmanufacturer: { ref: M-CSCR-4, version: \"4.2\" }\nhazard_log: { id: HL-1, version: \"1.1\" }\napprovals:\n  - { name: Dr A, role: CSO, date: 2026-11-02, version: \"1.0\", decision: approved with conditions }\n";
    let text = manifest(extra).replace(
        "document: { id: CSCR-1, version: \"1.0\" }",
        "document: { id: CSCR-1, version: \"1.0\", reviewers: [Dr B, Ms C] }",
    );
    let dir = project(&[("clinsafe.yaml", &text), ("h.yaml", HAZARD)]);
    let html = case_html(dir.path());
    assert!(html.contains("<td>Dr B; Ms C</td>"), "reviewers");
    let related = between(&html, "<table class=\"related-documents\">", "</table>");
    assert_holds_all(
        related,
        &[
            "<td>M-CSCR-4</td><td>4.2</td>",
            "<td>CRMS-001 v2</td>",
            "<td>CRMP-1 v1</td>",
            "Hazard log</th><td>HL-1</td><td>1.1</td>",
        ],
    );
    let signoff = between(&html, "<table class=\"signoff\">", "</table>");
    assert!(
        signoff.contains(
            "<td>approved with conditions <span class=\"flag flag-overdue\">on a draft</span></td>"
        ),
        "{signoff}"
    );
    assert!(
        html.contains("These approvals are recorded while the document is a draft"),
        "approvals on a draft flagged"
    );
}

#[test]
fn done_actions_appear_in_a_completed_actions_table() {
    let dir = project(&[("clinsafe.yaml", &manifest("")), ("h.yaml", HAZARD)]);
    let html = case_html(dir.path());
    let done = between(&html, "<table class=\"completed-actions\">", "</table>");
    assert!(done.contains("ACT-1 Choose the platform") && done.contains("<td>2025-10-10</td>"), "{done}");
}

#[test]
fn review_required_says_why_and_monitored_by_reaches_through_controls() {
    let html = case_html(&example());
    let row = between(&html, "<tr id=\"HAZ-002\">", "</tr>");
    assert!(row.contains("review required"), "{row}");
    assert!(row.contains("MET-004 Repeat contacts within 48 hours has got worse several times in a row (it monitors CTL-002, CTL-003)"), "{row}");
    // MET-002 monitors CTL-002 and MET-001 monitors CTL-005: both reach HAZ-002 through its controls.
    assert!(row.contains("Monitored by") && row.contains(">MET-001<") && row.contains(">MET-002<"), "{row}");
}

#[test]
fn the_traceability_appendix_runs_in_id_order() {
    let html = case_html(&example());
    let trace = between(&html, "<table class=\"trace\">", "</table>");
    let ids: Vec<&str> = trace.match_indices("HAZ-0").map(|(i, _)| &trace[i..i + 7]).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    let controls: Vec<&str> = trace.match_indices(">CTL-0").map(|(i, _)| &trace[i + 1..i + 8]).collect();
    let mut sorted = controls.clone();
    sorted.sort();
    assert_eq!(controls, sorted);
}

#[test]
fn the_example_checks_clean_apart_from_its_one_warning() {
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(example()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}
