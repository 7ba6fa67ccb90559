//! For every rule in the SPEC: a fixture where it fires and one where it must not.

use super::{check_json, project, rules_of, MANIFEST};

struct Case {
    rule: &'static str,
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
    fires: bool,
}

const fn case(
    rule: &'static str,
    name: &'static str,
    fires: bool,
    files: &'static [(&'static str, &'static str)],
) -> Case {
    Case { rule, name, files, fires }
}

const ISSUED: &str =
    "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\", status: issued }\n";
const ISSUED_SIGNED: &str = "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\", status: issued }\nclinical_safety_officer: { name: Dr A, registration: GMC 1 }\napprovals: [{ name: B, role: Manager, date: 2026-11-01 }]\n";
const STRICT: &str = "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\nacceptance: { max_residual_rating: 1 }\n";

const DPIA_OK: &str = r#"dpia:
  title: Messaging DPIA
  processing: { nature: n, scope: s, context: c, purposes: p }
  lawful_basis: { article_6: "6(1)(e)", article_9: "9(2)(h)" }
  necessity: Needed.
  risks:
    - { id: DPR-1, title: Access, likelihood: possible, severity: severe, controls: [CTL-1], residual: { likelihood: remote, severity: significant } }
controls:
  - { id: CTL-1, title: Encryption, type: design, status: implemented }
"#;

fn cases() -> Vec<Case> {
    vec![
        case("duplicate-id", "two hazards share an id", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a }\n  - { id: HAZ-1, title: b }\n")]),
        case("duplicate-id", "a hazard and a control share an id", true, &[("h.yaml", "hazards:\n  - { id: X, title: a }\n"), ("c.yaml", "controls:\n  - { id: X, title: c, type: test, status: planned }\n")]),
        case("duplicate-id", "distinct ids", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a }\n  - { id: HAZ-2, title: b }\n")]),
        case("dangling-reference", "link to a missing control", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, controls: [CTL-9] }\n")]),
        case("dangling-reference", "link to the wrong kind", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, controls: [HAZ-2] }\n  - { id: HAZ-2, title: b }\n")]),
        case("dangling-reference", "metric monitors a missing control", true, &[("m.yaml", "metrics:\n  - { id: MET-1, title: m, better: lower, monitors: [CTL-404] }\n")]),
        case("dangling-reference", "links resolve", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: test, status: implemented }\n")]),
        case("uncovered-hazard", "no control", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major, likelihood: medium } }\n")]),
        case("uncovered-hazard", "low initial rating but no justification", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: minor, likelihood: low } }\n")]),
        case("uncovered-hazard", "control linked from the control side", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major, likelihood: medium } }\ncontrols:\n"), ("c.yaml", "controls:\n  - { id: CTL-1, title: Check, type: design, status: implemented, mitigates: [HAZ-1] }\n")]),
        case("uncovered-hazard", "transferred", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, status: transferred, transferred_to: Supplier }\n")]),
        case("uncovered-hazard", "initial rating within acceptance and justified", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: minor, likelihood: low }, justification: Negligible. }\n")]),
        case("unassessed-hazard", "no initial risk", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a }\n")]),
        case("unassessed-hazard", "only severity (TBC likelihood)", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major } }\n")]),
        case("unassessed-hazard", "likelihood written as TBC", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major, likelihood: TBC } }\n")]),
        case("unassessed-hazard", "assessed", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major, likelihood: low } }\n")]),
        case("rating-mismatch", "stated 4 where the matrix says 3", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major, likelihood: medium, rating: 4 } }\n")]),
        case("rating-mismatch", "stated rating agrees", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major, likelihood: medium, rating: 3 } }\n")]),
        case("residual-above-initial", "residual 3 over initial 1", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: minor, likelihood: low }, residual_risk: { severity: major, likelihood: medium }, justification: j }\n")]),
        case("residual-above-initial", "residual below initial", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major, likelihood: medium }, residual_risk: { severity: major, likelihood: very-low } }\n")]),
        case("residual-unacceptable", "residual 4 even with a justification", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, residual_risk: { severity: major, likelihood: high }, justification: We tried. }\n")]),
        case("residual-unacceptable", "residual 5", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, residual_risk: { severity: catastrophic, likelihood: very-high } }\n")]),
        case("residual-unacceptable", "residual 3", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, residual_risk: { severity: major, likelihood: low } }\n")]),
        case("missing-justification", "residual 3 unjustified", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, residual_risk: { severity: major, likelihood: low } }\n")]),
        case("missing-justification", "residual 2 above a stricter acceptance of 1", true, &[("clinsafe.yaml", STRICT), ("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, residual_risk: { severity: major, likelihood: very-low } }\n")]),
        case("missing-justification", "residual 3 justified", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, residual_risk: { severity: major, likelihood: low }, justification: Further reduction is impractical. }\n")]),
        case("missing-justification", "residual 2 within acceptance", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, residual_risk: { severity: major, likelihood: very-low } }\n")]),
        case("missing-residual", "closed without residual", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, status: closed }\n")]),
        case("missing-residual", "open without residual", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a }\n")]),
        case("missing-residual", "closed with residual", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, status: closed, residual_risk: { severity: minor, likelihood: low } }\n")]),
        case("closed-with-planned-control", "closed on a planned control", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, status: closed, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: training, status: planned, due: 2027-01-01 }\n")]),
        case("closed-with-planned-control", "closed on an implemented control", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, status: closed, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: training, status: implemented }\n")]),
        case("unverified-evidence", "verified without evidence", true, &[("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: test, status: verified }\n")]),
        case("unverified-evidence", "verified with evidence", false, &[("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: test, status: verified, evidence: [{ ref: TR-12, date: 2026-10-02 }] }\n")]),
        case("missing-sign-off", "issued without CSO or approvals", true, &[("clinsafe.yaml", ISSUED)]),
        case("missing-sign-off", "issued and signed", false, &[("clinsafe.yaml", ISSUED_SIGNED)]),
        case("missing-sign-off", "draft needs no signature", false, &[("clinsafe.yaml", MANIFEST)]),
        case("orphan-control", "mitigates nothing", true, &[("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: test, status: implemented }\n")]),
        case("orphan-control", "linked from the hazard side", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: test, status: implemented }\n")]),
        case("review-overdue", "hazard review date past", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, review_by: 2026-11-24 }\n")]),
        case("review-overdue", "document review date past", true, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\", review_by: 2026-01-01 }\n")]),
        case("review-overdue", "review due today is not past", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, review_by: 2026-11-25 }\n")]),
        case("action-overdue", "planned control past due", true, &[("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: training, status: planned, due: 2026-11-01 }\n")]),
        case("action-overdue", "open action past due", true, &[("a.yaml", "actions:\n  - { id: ACT-1, title: Publish, due: 2026-10-01 }\n")]),
        case("action-overdue", "recurring control past last_done + every", true, &[("c.yaml", "controls:\n  - { id: CTL-1, title: Audit, type: business-process, status: implemented, every: 3 months, last_done: 2026-08-15 }\n")]),
        case("action-overdue", "recurring action never done", true, &[("a.yaml", "actions:\n  - { id: ACT-1, title: Review, every: 12 months }\n")]),
        case("action-overdue", "done action past due", false, &[("a.yaml", "actions:\n  - { id: ACT-1, title: Publish, due: 2026-10-01, status: done, done_on: 2026-09-30 }\n")]),
        case("action-overdue", "implemented control past its old due date", false, &[("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: training, status: implemented, due: 2026-01-01 }\n")]),
        case("action-overdue", "recurring control done recently", false, &[("c.yaml", "controls:\n  - { id: CTL-1, title: Audit, type: business-process, status: implemented, every: 3 months, last_done: 2026-09-15 }\n")]),
        case("metric-breach", "latest past threshold (lower is better)", true, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, threshold: 24, observations: [{ date: 2026-10-31, value: 27 }] }\n")]),
        case("metric-breach", "latest below threshold (higher is better)", true, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: higher, threshold: 90, observations: [{ date: 2026-10-31, value: 85 }] }\n")]),
        case("metric-breach", "latest equal to threshold", false, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, threshold: 24, observations: [{ date: 2026-10-31, value: 24 }] }\n")]),
        case("metric-breach", "an earlier breach, latest fine", false, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, threshold: 24, observations: [{ date: 2026-10-31, value: 10 }, { date: 2026-09-30, value: 30 }] }\n")]),
        case("metric-warning", "past warn, not threshold", true, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, threshold: 24, warn: 18, observations: [{ date: 2026-10-31, value: 20 }] }\n")]),
        case("metric-warning", "past threshold is a breach, not a warning", false, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, threshold: 24, warn: 18, observations: [{ date: 2026-10-31, value: 30 }] }\n")]),
        case("metric-warning", "within warn", false, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, threshold: 24, warn: 18, observations: [{ date: 2026-10-31, value: 12 }] }\n")]),
        case("metric-worsening", "three moves up (lower is better)", true, &[("m.yaml", "metrics:\n  - id: MET-1\n    title: t\n    better: lower\n    observations: [{ date: 2026-07-31, value: 1 }, { date: 2026-08-31, value: 2 }, { date: 2026-09-30, value: 3 }, { date: 2026-10-31, value: 4 }]\n")]),
        case("metric-worsening", "three moves down (higher is better)", true, &[("m.yaml", "metrics:\n  - id: MET-1\n    title: t\n    better: higher\n    observations: [{ date: 2026-07-31, value: 9 }, { date: 2026-08-31, value: 8 }, { date: 2026-09-30, value: 7 }, { date: 2026-10-31, value: 6 }]\n")]),
        case("metric-worsening", "two moves with worsening_after: 2", true, &[("m.yaml", "metrics:\n  - id: MET-1\n    title: t\n    better: lower\n    worsening_after: 2\n    observations: [{ date: 2026-08-31, value: 2 }, { date: 2026-09-30, value: 3 }, { date: 2026-10-31, value: 4 }]\n")]),
        case("metric-worsening", "only three observations", false, &[("m.yaml", "metrics:\n  - id: MET-1\n    title: t\n    better: lower\n    observations: [{ date: 2026-08-31, value: 2 }, { date: 2026-09-30, value: 3 }, { date: 2026-10-31, value: 4 }]\n")]),
        case("metric-worsening", "a neutral (volume) metric rising has no bad direction", false, &[("m.yaml", "metrics:\n  - id: MET-1\n    title: t\n    better: neutral\n    observations: [{ date: 2026-07-31, value: 1 }, { date: 2026-08-31, value: 2 }, { date: 2026-09-30, value: 3 }, { date: 2026-10-31, value: 4 }]\n")]),
        case("metric-worsening", "a flat step breaks the run", false, &[("m.yaml", "metrics:\n  - id: MET-1\n    title: t\n    better: lower\n    observations: [{ date: 2026-07-31, value: 1 }, { date: 2026-08-31, value: 2 }, { date: 2026-09-30, value: 2 }, { date: 2026-10-31, value: 4 }]\n")]),
        case("metric-stale", "no observations", true, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower }\n")]),
        case("metric-stale", "older than stale_after", true, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, stale_after: 45 days, observations: [{ date: 2026-10-01, value: 1 }] }\n")]),
        case("metric-stale", "recent enough", false, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, stale_after: 45 days, observations: [{ date: 2026-10-31, value: 1 }] }\n")]),
        case("unmonitored-control", "residual 3 relies on an unmonitored control", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, residual_risk: { severity: major, likelihood: low }, justification: j, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented }\n")]),
        case("unmonitored-control", "the control is monitored", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, residual_risk: { severity: major, likelihood: low }, justification: j, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented }\nmetrics:\n  - { id: MET-1, title: m, better: lower, monitors: [CTL-1], observations: [{ date: 2026-10-31, value: 1 }] }\n")]),
        case("unmonitored-control", "residual 2 needs no metric", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, residual_risk: { severity: major, likelihood: very-low }, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented }\n")]),
        case("dpia-incomplete", "no Article 9 condition", true, &[("d.yaml", "dpia:\n  title: t\n  processing: { nature: n, scope: s, context: c, purposes: p }\n  lawful_basis: { article_6: x }\n  necessity: n\n  risks:\n    - { id: DPR-1, title: r, likelihood: remote, severity: minimal, controls: [CTL-1], residual: { likelihood: remote, severity: minimal } }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented }\n")]),
        case("dpia-incomplete", "a risk without a measure", true, &[("d.yaml", "dpia:\n  title: t\n  processing: { nature: n, scope: s, context: c, purposes: p }\n  lawful_basis: { article_6: x, article_9: y }\n  necessity: n\n  risks:\n    - { id: DPR-1, title: r, likelihood: remote, severity: minimal, residual: { likelihood: remote, severity: minimal } }\n")]),
        case("dpia-incomplete", "complete", false, &[("d.yaml", DPIA_OK)]),
        case("dpia-high-residual", "residual probable and severe", true, &[("d.yaml", "dpia:\n  risks:\n    - { id: DPR-1, title: r, likelihood: probable, severity: severe, residual: { likelihood: probable, severity: significant } }\n")]),
        case("dpia-high-residual", "residual medium", false, &[("d.yaml", DPIA_OK)]),
        case("suspicious-text", "a zero-width space in a control id", true, &[("c.yaml", "controls:\n  - { id: \"CTL\u{200B}-1\", title: c, type: test, status: planned }\n")]),
        case("suspicious-text", "a right-to-left override in a title", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: \"dose \u{202E}01\" }\n")]),
        case("suspicious-text", "Hebrew text and a closed isolate", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: \"\u{5E9}\u{5DC}\u{5D5}\u{5DD} \u{2067}x\u{2069}\" }\n")]),
        case("unfilled-placeholder", "init's placeholders left in", true, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: \"<your system name>\", description: \"TODO: intended use\" }\ndocument: { id: D, version: \"1\" }\n")]),
        case("missing-withdrawn-reason", "withdrawn with no reason", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, status: withdrawn }\n")]),
        case("missing-withdrawn-reason", "withdrawn with its reason", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, status: withdrawn, withdrawn_reason: duplicate of HAZ-2 }\n")]),
        case("approval-outdated", "issued, approved for a digest that is not the content's", true, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\", status: issued }\nclinical_safety_officer: { name: C }\napprovals: [ { name: C, version: \"1\", digest: \"sha256:00\" } ]\n")]),
        case("approval-outdated", "issued, approvals recording no version or digest (as before SPEC §3)", false, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\", status: issued }\nclinical_safety_officer: { name: C }\napprovals: [ { name: C } ]\n")]),
        case("unfilled-placeholder", "real values, even with angle brackets inside", false, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: \"Messaging <beta> app\" }\ndocument: { id: D, version: \"1\" }\n")]),
        case("manufacturer-control-open", "a transferred-from control still planned", true, &[("c.yaml", "controls:\n  - { id: CTL-1, title: Local config, type: business-process, status: planned, transferred_from: TC-02 }\n")]),
        case("manufacturer-control-open", "a transferred-from control in place", false, &[("c.yaml", "controls:\n  - { id: CTL-1, title: Local config, type: business-process, status: implemented, transferred_from: TC-02 }\n")]),
        case("evidence-expired", "newest evidence past valid_until", true, &[("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: test, status: verified, evidence: [{ ref: Pen test 2025, date: 2025-10-01, valid_until: 2026-10-01 }] }\n")]),
        case("evidence-expired", "expired evidence superseded by newer", false, &[("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: test, status: verified, evidence: [{ ref: Pen test 2025, date: 2025-10-01, valid_until: 2026-10-01 }, { ref: Pen test 2026, date: 2026-10-02, valid_until: 2027-10-01 }] }\n")]),
        case("missing-safety-statement", "issued without a statement", true, &[("clinsafe.yaml", ISSUED_SIGNED)]),
        case("missing-safety-statement", "issued with a statement", false, &[("clinsafe.yaml", ISSUED_STATED)]),
        case("missing-safety-statement", "a draft needs none yet", false, &[("clinsafe.yaml", MANIFEST)]),
        case("residual-relies-on-planned", "residual rests on a planned control", true, &[("h.yaml", RELIES_ON_CTL_1), ("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: design, status: planned }\n")]),
        case("residual-relies-on-planned", "the planned control is a go-live condition", false, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\ngo_live_conditions: [CTL-1]\n"), ("h.yaml", RELIES_ON_CTL_1), ("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: design, status: planned }\n")]),
        case("residual-relies-on-planned", "the control is in place", false, &[("h.yaml", RELIES_ON_CTL_1), ("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: design, status: implemented }\n")]),
        case("dangling-reference", "a go-live condition names no control", true, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\ngo_live_conditions: [CTL-9]\n")]),
        case("future-dated", "an observation dated 2062 (a typo)", true, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, observations: [{ date: 2062-10-31, value: 1 }] }\n")]),
        case("future-dated", "every date on or before the day checked", false, &[("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, observations: [{ date: 2026-11-25, value: 1 }] }\n"), ("a.yaml", "actions:\n  - { id: ACT-1, title: a, status: done, done_on: 2026-11-01 }\n")]),
        case("incident-review-due", "an incident after the hazard's last review", true, &[("h.yaml", REVIEWED), ("i.yaml", "incidents:\n  - { id: INC-1, date: 2026-10-14, title: Wrong patient, hazards: [HAZ-1] }\n")]),
        case("incident-review-due", "linked from the hazard's side, never reviewed", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, incidents: [INC-1], initial_risk: { severity: minor, likelihood: low }, justification: j }\nincidents:\n  - { id: INC-1, date: 2026-10-14, title: Wrong patient }\n")]),
        case("incident-review-due", "an incident the last review weighed", false, &[("h.yaml", REVIEWED), ("i.yaml", "incidents:\n  - { id: INC-1, date: 2026-08-14, title: Wrong patient, hazards: [HAZ-1] }\n")]),
        case("incident-on-closed-hazard", "an incident after the hazard was closed", true, &[("h.yaml", CLOSED_HAZARD), ("i.yaml", "incidents:\n  - { id: INC-1, date: 2026-10-14, title: Again, hazards: [HAZ-1] }\n")]),
        case("incident-on-closed-hazard", "an incident before it was closed", false, &[("h.yaml", CLOSED_HAZARD), ("i.yaml", "incidents:\n  - { id: INC-1, date: 2026-05-14, title: Before, hazards: [HAZ-1] }\n")]),
        case("incident-on-withdrawn-hazard", "an incident on a hazard withdrawn as not applying", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, status: withdrawn, withdrawn_reason: Not used here }\n"), ("i.yaml", "incidents:\n  - { id: INC-1, date: 2026-10-14, title: It happened, hazards: [HAZ-1] }\n")]),
        case("incident-on-withdrawn-hazard", "an incident on an open hazard", false, &[("h.yaml", REVIEWED), ("i.yaml", "incidents:\n  - { id: INC-1, date: 2026-10-14, title: Wrong patient, hazards: [HAZ-1] }\n")]),
        case("version-not-in-history", "issued as 2, the version table stops at 1", true, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"2\", status: issued, history: [{ version: \"1\", date: 2026-01-01 }] }\n")]),
        case("version-not-in-history", "issued as 2, with its row", false, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"2\", status: issued, history: [{ version: \"1\", date: 2026-01-01 }, { version: \"2\", date: 2026-11-01 }] }\n")]),
        case("version-not-in-history", "a draft of 2 (its row comes when it is issued)", false, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"2\", history: [{ version: \"1\", date: 2026-01-01 }] }\n")]),
        case("empty-hazard-log", "a project with no hazard file", true, &[("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: design, status: implemented }\n")]),
        case("empty-hazard-log", "a hazard file with no items", true, &[("h.yaml", "hazards: []\n")]),
        case("empty-hazard-log", "every hazard withdrawn", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, status: withdrawn, withdrawn_reason: Feature removed }\n")]),
        case("empty-hazard-log", "one hazard standing beside a withdrawn one", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, status: withdrawn, withdrawn_reason: Feature removed }\n  - { id: HAZ-2, title: b }\n")]),
        case("self-link", "a hazard related to itself", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, related: [HAZ-1] }\n")]),
        case("self-link", "a hazard related to another", false, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, related: [HAZ-2] }\n  - { id: HAZ-2, title: b, related: [HAZ-1] }\n")]),
        case("missing-manufacturer", "a control transferred_from the manufacturer, no manufacturer:", true, &[("c.yaml", "controls:\n  - { id: CTL-1, title: Local config, type: business-process, status: implemented, transferred_from: TC-02 }\n")]),
        case("missing-manufacturer", "a hazard with a manufacturer's source, no manufacturer:", true, &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, source: PM-H03 }\n")]),
        case("missing-manufacturer", "both, with the manufacturer's report named", false, &[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\nmanufacturer: { ref: PM-CSCR-4.2, version: \"4.2\" }\n"), ("h.yaml", "hazards:\n  - { id: HAZ-1, title: a, source: PM-H03 }\ncontrols:\n  - { id: CTL-1, title: Local config, type: business-process, status: implemented, transferred_from: TC-02, mitigates: [HAZ-1] }\n")]),
    ]
}

const ISSUED_STATED: &str = "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\", status: issued }\nclinical_safety_officer: { name: Dr A, registration: GMC 1 }\napprovals: [{ name: B, role: Manager, date: 2026-11-01 }]\nsafety_statement: |\n  Acceptable for use, **on condition** that CTL-1 is in place.\n";
const RELIES_ON_CTL_1: &str = "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major, likelihood: medium }, residual_risk: { severity: major, likelihood: very-low }, controls: [CTL-1] }\n";

const REVIEWED: &str = "hazards:\n  - id: HAZ-1\n    title: a\n    initial_risk: { severity: minor, likelihood: low }\n    justification: j\n    reviews: [{ date: 2026-09-01, by: Dr A, outcome: Confirmed }]\n";
const CLOSED_HAZARD: &str = "hazards:\n  - { id: HAZ-1, title: a, status: closed, closed_on: 2026-06-01, initial_risk: { severity: minor, likelihood: low }, residual_risk: { severity: minor, likelihood: low }, justification: j, reviews: [{ date: 2026-06-01 }] }\n";

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_its_clean_twin() {
    let mut failures = Vec::new();
    let mut covered = std::collections::BTreeSet::new();
    for c in cases() {
        let dir = project(c.files);
        let (code, json) = check_json(dir.path(), &[]);
        assert_ne!(code, 2, "{} / {}: project did not load: {json}", c.rule, c.name);
        let fired = rules_of(&json).iter().any(|r| r == c.rule);
        if fired != c.fires {
            failures.push(format!(
                "{} / {}: expected fires={}, got {}",
                c.rule, c.name, c.fires, json["findings"]
            ));
        }
        covered.insert((c.rule, c.fires));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    let spec_rules: Vec<&str> = clinsafe::rules::RULES.iter().map(|r| r.id).collect();
    for rule in spec_rules {
        assert!(covered.contains(&(rule, true)), "no firing fixture for {rule}");
        assert!(covered.contains(&(rule, false)), "no clean fixture for {rule}");
    }
}

#[test]
fn error_findings_exit_1_and_warnings_exit_0() {
    let dir = project(&[(
        "h.yaml",
        "hazards:\n  - { id: HAZ-1, title: a, initial_risk: { severity: major, likelihood: medium } }\n",
    )]);
    assert_eq!(check_json(dir.path(), &[]).0, 1);
    let dir = project(&[
        ("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: test, status: implemented }\n"),
        super::HAZARD,
    ]);
    assert_eq!(check_json(dir.path(), &[]).0, 0);
    assert_eq!(check_json(dir.path(), &["--deny-warnings"]).0, 1);
}

#[test]
fn rule_overrides_change_levels_and_can_turn_rules_off() {
    let orphan = ("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: test, status: implemented }\n");
    let raised = format!("{MANIFEST}rules:\n  orphan-control: error\n");
    let dir = project(&[("clinsafe.yaml", &raised), orphan, super::HAZARD]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(json["findings"][0]["level"], "error");
    let off = format!("{MANIFEST}rules:\n  orphan-control: off\n");
    let dir = project(&[("clinsafe.yaml", &off), orphan, super::HAZARD]);
    let (code, json) = check_json(dir.path(), &["--deny-warnings"]);
    assert_eq!((code, rules_of(&json)), (0, Vec::<String>::new()));
}

#[test]
fn metric_findings_name_the_controls_and_hazards_behind_them() {
    let dir = project(&[(
        "x.yaml",
        "hazards:\n  - { id: HAZ-1, title: a, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented, monitored_by: [MET-1] }\nmetrics:\n  - { id: MET-1, title: t, better: lower, threshold: 24, observations: [{ date: 2026-10-31, value: 27 }] }\n",
    )]);
    let (_, json) = check_json(dir.path(), &[]);
    let breach = json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "metric-breach").unwrap();
    assert!(breach["message"].as_str().unwrap().ends_with("(controls: CTL-1; hazards: HAZ-1)"), "{breach}");
    assert_eq!(breach["file"], "x.yaml");
    assert_eq!(breach["line"], 6);
}
