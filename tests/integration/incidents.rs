//! Incidents, incident-count metrics and hazard reviews (SPEC §3, issue 13
//! items 2 and 3): links from either side, JSON, the schema, load errors and
//! the facts the rules read. The rules' own fixtures are in `rules.rs`.

use super::{check_json, clinsafe, findings_of, project, rules_of, AS_OF};

fn load_error(files: &[(&str, &str)]) -> String {
    let dir = project(files);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stderr).unwrap()
}

const LOG: &str = "hazards:
  - { id: HAZ-1, title: Wrong patient, incidents: [INC-2], initial_risk: { severity: minor, likelihood: low }, justification: j }
  - { id: HAZ-2, title: Delay, initial_risk: { severity: minor, likelihood: low }, justification: j }
controls:
  - { id: CTL-1, title: Check, type: design, status: implemented, mitigates: [HAZ-1] }
incidents:
  - { id: INC-1, date: 2026-09-14, title: Reply to the wrong patient, reference: LFPSE-1, harm: low, hazards: [HAZ-1], controls: [CTL-1] }
  - { id: INC-2, date: 2026-11-03, title: Second, harm: moderate, status: closed, learning: Retrain. }
  - { id: INC-3, date: 2026-11-04, title: Third, hazards: [HAZ-2] }
";

#[test]
fn json_carries_the_incident_log_with_links_from_either_side() {
    let dir = project(&[("log.yaml", LOG)]);
    let (_, json) = check_json(dir.path(), &[]);
    let incidents = json["incidents"].as_array().expect("an incidents list");
    assert_eq!(incidents.len(), 3);
    assert_eq!(
        incidents[0],
        serde_json::json!({ "id": "INC-1", "date": "2026-09-14", "title": "Reply to the wrong patient",
            "reference": "LFPSE-1", "harm": "low", "status": "open", "hazards": ["HAZ-1"], "controls": ["CTL-1"] })
    );
    // Declared from the hazard's side only.
    assert_eq!(incidents[1]["hazards"], serde_json::json!(["HAZ-1"]));
    assert_eq!(incidents[1]["status"], "closed");
    assert_eq!(json["hazards"][0]["incidents"], serde_json::json!(["INC-1", "INC-2"]));
    assert_eq!(json["hazards"][1]["incidents"], serde_json::json!(["INC-3"]));
    // A project without a log keeps the SPEC §2 shape.
    let plain = project(&[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a }\n")]);
    let (_, json) = check_json(plain.path(), &[]);
    assert!(json.get("incidents").is_none() && json["hazards"][0].get("incidents").is_none());
}

#[test]
fn dangling_incident_links_are_errors_from_either_side() {
    let dir = project(&[(
        "log.yaml",
        "hazards:\n  - { id: HAZ-1, title: a, incidents: [INC-9] }\nincidents:\n  - { id: INC-1, date: 2026-10-01, title: t, hazards: [HAZ-7], controls: [HAZ-1] }\n",
    )]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let dangling: Vec<String> = findings_of(&json, "dangling-reference")
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(dangling.len(), 3, "{dangling:?}");
    assert!(dangling.iter().any(|m| m.contains("`HAZ-1` lists `INC-9` under `incidents`")), "{dangling:?}");
    assert!(dangling.iter().any(|m| m.contains("`INC-1` lists `HAZ-7` under `hazards`")), "{dangling:?}");
    assert!(dangling.iter().any(|m| m.contains("`HAZ-1` is a hazard, not a control")), "{dangling:?}");
}

#[test]
fn incident_load_errors_are_located_and_suggest_the_key() {
    let err = load_error(&[("i.yaml", "incidents:\n  - { id: INC-1, date: 2026-10-01, titel: t }\n")]);
    assert!(err.contains("i.yaml:2:") && err.contains("did you mean `title`"), "{err}");
    let err = load_error(&[("i.yaml", "incident:\n  - { id: INC-1 }\n")]);
    assert!(err.contains("i.yaml:1:1") && err.contains("did you mean `incidents`"), "{err}");
    let err = load_error(&[(
        "i.yaml",
        "incidents:\n  - { id: INC-1, date: 2026-10-01, title: t, harm: serious }\n",
    )]);
    assert!(err.contains("i.yaml:2:") && err.contains("moderate"), "{err}");
    let err = load_error(&[("i.yaml", "incidents:\n  - { id: INC-1, title: t }\n")]);
    assert!(err.contains("i.yaml:2:") && err.contains("date"), "{err}");
}

#[test]
fn review_every_is_read_in_words_and_refused_with_a_located_reason() {
    for ok in ["6 months", "1 year", "12 weeks"] {
        let dir =
            project(&[("h.yaml", &format!("hazards:\n  - {{ id: HAZ-1, title: a, review_every: {ok} }}\n"))]);
        let (code, _) = check_json(dir.path(), &[]);
        assert_ne!(code, 2, "{ok}");
    }
    let err =
        load_error(&[("h.yaml", "hazards:\n  - id: HAZ-1\n    title: a\n    review_every: twice a year\n")]);
    assert!(err.contains("h.yaml:4:19"), "{err}");
    assert!(
        err.contains("`twice a year` is not a period: expected a number and a unit, for example `3 months`"),
        "{err}"
    );
    let err = load_error(&[(
        "h.yaml",
        "hazards:\n  - { id: HAZ-1, title: a, reviews: [{ date: 2026-01-01, outcom: ok }] }\n",
    )]);
    assert!(err.contains("did you mean `outcome`"), "{err}");
}

#[test]
fn the_next_review_is_the_last_review_plus_review_every_unless_review_by_is_given() {
    let hazard = |extra: &str| {
        format!(
            "hazards:\n  - id: HAZ-1\n    title: a\n    initial_risk: {{ severity: minor, likelihood: low }}\n    justification: j\n    review_every: 6 months\n    raised_on: 2025-01-01\n{extra}"
        )
    };
    // Last review 2026-05-01 + 6 months = 2026-11-01, before the day checked.
    let dir = project(&[(
        "h.yaml",
        &hazard(
            "    reviews:\n      - { date: 2026-05-01, by: Dr A }\n      - { date: 2025-11-01, by: Dr A }\n",
        ),
    )]);
    let (_, json) = check_json(dir.path(), &[]);
    let due = findings_of(&json, "review-overdue");
    assert_eq!(due.len(), 1, "{}", json["findings"]);
    assert!(
        due[0]["message"].as_str().unwrap().contains(
            "due for review by 2026-11-01 (as of 2026-11-25): last reviewed 2026-05-01, every 6 months"
        ),
        "{}",
        due[0]
    );
    assert_eq!(due[0]["line"], 6, "located at review_every");
    // A review since: next 2027-05-20.
    let dir = project(&[("h.yaml", &hazard("    reviews: [{ date: 2026-11-20 }]\n"))]);
    assert!(findings_of(&check_json(dir.path(), &[]).1, "review-overdue").is_empty());
    // Never reviewed: raised 2025-01-01 + 6 months.
    let dir = project(&[("h.yaml", &hazard(""))]);
    let (_, json) = check_json(dir.path(), &[]);
    assert!(findings_of(&json, "review-overdue")[0]["message"]
        .as_str()
        .unwrap()
        .contains("never reviewed, raised 2025-01-01"));
    // review_by wins over the derived date.
    let dir =
        project(&[("h.yaml", &hazard("    review_by: 2027-01-31\n    reviews: [{ date: 2026-01-01 }]\n"))]);
    assert!(findings_of(&check_json(dir.path(), &[]).1, "review-overdue").is_empty());
}

#[test]
fn a_review_dated_later_does_not_count_and_is_future_dated() {
    let dir = project(&[(
        "h.yaml",
        "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: minor, likelihood: low }, justification: j, review_every: 6 months, reviews: [{ date: 2026-01-01 }, { date: 2026-12-01 }] }\nincidents:\n  - { id: INC-1, date: 2026-11-02, title: t, hazards: [HAZ-1] }\n  - { id: INC-2, date: 2027-01-02, title: later, hazards: [HAZ-1] }\n",
    )]);
    let (_, json) = check_json(dir.path(), &[]);
    let rules = rules_of(&json);
    // As of the day, the last review is January's: overdue, and INC-1 came after it.
    assert!(rules.contains(&"review-overdue".to_string()), "{rules:?}");
    let due: Vec<&str> =
        findings_of(&json, "incident-review-due").iter().map(|f| f["subject"].as_str().unwrap()).collect();
    assert_eq!(due, ["INC-1"], "INC-2 is not counted yet");
    let future: Vec<&str> =
        findings_of(&json, "future-dated").iter().map(|f| f["subject"].as_str().unwrap()).collect();
    assert_eq!(future, ["HAZ-1", "INC-2"]);
}

#[test]
fn an_incident_count_metric_counts_the_log_per_month_through_its_filter() {
    let metric = |filter: &str| {
        format!("metrics:\n  - {{ id: MET-1, title: Incidents, better: lower, threshold: 1, from: incidents{filter} }}\n")
    };
    // All three in the log: November has two, past the threshold of 1.
    let dir = project(&[("log.yaml", LOG), ("m.yaml", &metric(""))]);
    let (_, json) = check_json(dir.path(), &[]);
    let breach = findings_of(&json, "metric-breach");
    assert_eq!(breach.len(), 1, "{}", json["findings"]);
    assert!(breach[0]["message"].as_str().unwrap().contains("is 2 on 2026-11-25"), "{}", breach[0]);
    assert!(findings_of(&json, "metric-stale").is_empty());
    // Only moderate harm or worse: one in November, no breach.
    let dir =
        project(&[("log.yaml", LOG), ("m.yaml", &metric(", filter: { harm: [moderate, severe, death] }"))]);
    assert!(findings_of(&check_json(dir.path(), &[]).1, "metric-breach").is_empty());
    // Only HAZ-1's (INC-2 linked from the hazard's side) and CTL-1's.
    let dir = project(&[("log.yaml", LOG), ("m.yaml", &metric(", filter: { hazards: [HAZ-1] }"))]);
    let (_, json) = check_json(dir.path(), &[]);
    assert!(findings_of(&json, "metric-breach").is_empty());
    let dir = project(&[
        ("log.yaml", LOG),
        ("m.yaml", &metric(", threshold: 0, filter: { controls: [CTL-1] }").replace("threshold: 1, ", "")),
    ]);
    let (_, json) = check_json(dir.path(), &[]);
    // September: 1 (INC-1), then 0, 0: the latest (November) is 0, not past 0.
    assert!(findings_of(&json, "metric-breach").is_empty(), "{}", json["findings"]);
    // The filter's links resolve like any other.
    let dir = project(&[("log.yaml", LOG), ("m.yaml", &metric(", filter: { hazards: [HAZ-9] }"))]);
    assert!(rules_of(&check_json(dir.path(), &[]).1).contains(&"dangling-reference".to_string()));
}

#[test]
fn an_incident_count_metric_has_no_observations_of_its_own() {
    let err = load_error(&[(
        "m.yaml",
        "metrics:\n  - { id: MET-1, title: t, better: lower, from: incidents, observations: [{ date: 2026-01-31, value: 1 }] }\n",
    )]);
    assert!(
        err.contains("m.yaml:2:")
            && err.contains("counts the incident log: drop its `observations` and `data`"),
        "{err}"
    );
    let err = load_error(&[(
        "m.yaml",
        "metrics:\n  - { id: MET-1, title: t, better: lower, filter: { harm: [low] } }\n",
    )]);
    assert!(err.contains("it needs `from: incidents`"), "{err}");
    let err =
        load_error(&[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, from: incident }\n")]);
    assert!(err.contains("m.yaml:2:") && err.contains("incidents"), "{err}");
}

#[test]
fn the_schema_takes_incidents_reviews_and_incident_metrics_and_rejects_misspelt_keys() {
    let out = clinsafe().arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let ok: serde_json::Value = serde_saphyr::from_str(LOG).unwrap();
    assert!(v.is_valid(&ok), "{:?}", v.iter_errors(&ok).map(|e| e.to_string()).collect::<Vec<_>>());
    let ok = serde_json::json!({
        "hazards": [{ "id": "H", "title": "x", "review_every": "6 months",
            "reviews": [{ "date": "2026-01-01", "by": "A", "outcome": "o", "residual": { "severity": "minor", "likelihood": "low" } }] }],
        "metrics": [{ "id": "M", "title": "x", "better": "lower", "from": "incidents",
            "filter": { "harm": ["moderate"], "hazards": ["H"], "controls": ["C"] } }] });
    assert!(v.is_valid(&ok), "{:?}", v.iter_errors(&ok).map(|e| e.to_string()).collect::<Vec<_>>());
    for bad in [
        serde_json::json!({ "incidents": [{ "id": "I", "date": "2026-01-01", "title": "x", "harms": "low" }] }),
        serde_json::json!({ "incidents": [{ "id": "I", "date": "2026-01-01", "title": "x", "harm": "serious" }] }),
        serde_json::json!({ "incident": [] }),
        serde_json::json!({ "hazards": [{ "id": "H", "title": "x", "reviews": [{ "date": "2026-01-01", "outcom": "o" }] }] }),
        serde_json::json!({ "hazards": [{ "id": "H", "title": "x", "review_evry": "6 months" }] }),
        serde_json::json!({ "metrics": [{ "id": "M", "title": "x", "better": "lower", "from": "incidents", "filter": { "harms": ["low"] } }] }),
    ] {
        assert!(!v.is_valid(&bad), "{bad}");
    }
}

/// The text from `start` to the first `end` after it (inclusive).
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start}"));
    let to = text[from..].find(end).unwrap_or_else(|| panic!("no {end} after {start}")) + from + end.len();
    &text[from..to]
}

#[test]
fn the_reports_show_incidents_and_review_history() {
    let reviewed = LOG.replace(
        "incidents: [INC-2], ",
        "incidents: [INC-2], review_every: 6 months, reviews: [{ date: 2026-03-01, by: Dr A, outcome: \"Ratings **confirmed**.\", initial: { severity: minor, likelihood: low }, residual: { severity: minor, likelihood: medium } }, { date: 2026-09-01, by: Dr A, outcome: Lowered after training., residual: { severity: minor, likelihood: low } }], ",
    );
    let metric = "metrics:\n  - { id: MET-1, title: Incidents with harm, better: lower, threshold: 1, from: incidents, filter: { harm: [low, moderate, severe, death] } }\n";
    let dir = project(&[("log.yaml", &reviewed), ("m.yaml", metric)]);
    // The pack's month: November, the month the day checked falls in (its default is the last complete one).
    let (_, out, err) = super::render::render(dir.path(), &["--period", "2026-11"]);
    let read = |name: &str| {
        std::fs::read_to_string(out.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e} {err}"))
    };
    let log = read("hazard-log.html");
    let hazard = between(&log, "<section class=\"hazard\" id=\"hazard-HAZ-1\">", "</section>");
    insta::assert_snapshot!("hazard-log-incidents-and-reviews", hazard);
    let sc = read("safety-case.html");
    insta::assert_snapshot!("safety-case-incident-counts", between(&sc, "<h3>Incidents</h3>", "</table>"));
    let pack = read("monitoring.html");
    insta::assert_snapshot!(
        "monitoring-month-incidents",
        between(&pack, "<section id=\"incidents\">", "</section>")
    );
    // The incident-count metric's latest value is this month's count so far.
    assert!(pack.contains("1 (2026-11-25)"), "{}", between(&pack, "<table class=\"metrics\">", "</table>"));
}

#[test]
fn the_hazard_log_lists_incidents_linked_to_no_hazard_so_none_is_left_out() {
    let log = LOG.replace(
        "  - { id: INC-3, date: 2026-11-04, title: Third, hazards: [HAZ-2] }\n",
        "  - { id: INC-3, date: 2026-11-04, title: Third, hazards: [HAZ-2] }\n  \
         - { id: INC-4, date: 2026-11-05, title: Check skipped at the desk, controls: [CTL-1], learning: Remind the team. }\n",
    );
    let dir = project(&[("log.yaml", &log)]);
    let out = tempfile::tempdir().unwrap();
    let run = clinsafe()
        .args(["render", "--format", "html", "--as-of", AS_OF, "--out"])
        .arg(out.path())
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(run.status.code().unwrap() < 2, "{}", String::from_utf8_lossy(&run.stderr));
    let html = std::fs::read_to_string(out.path().join("hazard-log.html")).unwrap();
    let section =
        &html[html.find("<section id=\"incidents-unlinked\">").expect("a section for unlinked incidents")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("1 incident in the incident log names no hazard of this log"), "{section}");
    assert!(section.contains("INC-4 Check skipped at the desk"), "{section}");
    assert!(section.contains("Learning from INC-4"), "{section}");
    assert!(
        !section.contains("INC-1") && !section.contains("INC-3"),
        "linked incidents stay under their hazards"
    );
    // Without such an incident there is no section.
    let dir = project(&[("log.yaml", LOG)]);
    let out = tempfile::tempdir().unwrap();
    clinsafe()
        .args(["render", "--format", "html", "--as-of", AS_OF, "--out"])
        .arg(out.path())
        .arg(dir.path())
        .output()
        .unwrap();
    let html = std::fs::read_to_string(out.path().join("hazard-log.html")).unwrap();
    assert!(!html.contains("incidents-unlinked"));
}

#[test]
fn the_hazard_log_says_when_a_rating_moved_since_the_last_review() {
    let log = "hazards:
  - id: HAZ-1
    title: Wrong patient
    initial_risk: { severity: major, likelihood: medium }
    residual_risk: { severity: major, likelihood: low }
    controls: [CTL-1]
    reviews:
      - { date: 2026-03-01, by: Dr A, initial: { severity: major, likelihood: medium }, residual: { severity: major, likelihood: very-low } }
      - { date: 2026-12-01, by: Dr A, residual: { severity: major, likelihood: low } }
controls:
  - { id: CTL-1, title: Check, type: design, status: implemented }
";
    let dir = project(&[("log.yaml", log)]);
    let (_, out, err) = super::render::render(dir.path(), &[]);
    let html =
        std::fs::read_to_string(out.path().join("hazard-log.html")).unwrap_or_else(|e| panic!("{e} {err}"));
    // As of the day the December review has not happened: the March one is the last.
    assert!(
        html.contains("<p>The residual rating is 3 now; the last review (2026-03-01) recorded 2.</p>"),
        "{html}"
    );
    assert!(!html.contains("The initial rating is"), "the initial rating did not move");
}
