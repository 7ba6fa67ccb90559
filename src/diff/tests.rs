use super::*;
use crate::model::date::Date;
use crate::testutil;

fn analysis(files: &[(&str, &str)]) -> Analysis {
    let project = testutil::project(files);
    let graph = crate::graph::build(&project);
    let facts = crate::facts::evaluate(&project, Date::parse("2026-11-25").unwrap());
    let findings = crate::check::run(&project, &graph, &facts);
    Analysis { project, graph, facts, findings }
}

const OLD: &str = r#"hazards:
  - id: HAZ-1
    title: Wrong patient
    initial_risk: { severity: major, likelihood: medium }
    residual_risk: { severity: major, likelihood: very-low }
    controls: [CTL-1]
  - id: HAZ-2
    title: Reply to a closed conversation
    initial_risk: { severity: minor, likelihood: low }
    residual_risk: { severity: minor, likelihood: very-low }
    controls: [CTL-1]
  - id: HAZ-10
    title: Message not filed
    initial_risk: { severity: minor, likelihood: low }
    residual_risk: { severity: minor, likelihood: very-low }
    controls: [CTL-1]
controls:
  - { id: CTL-1, title: Two identifiers, type: design, status: implemented }
"#;

fn compare_texts(old: &str, new: &str) -> Changes {
    compare("v1.0", &analysis(&[("h.yaml", old)]), &analysis(&[("h.yaml", new)]))
}

#[test]
fn the_same_content_written_otherwise_is_no_change() {
    // Keys reordered, flow style → block style, a comment, and the items split over two files.
    let (first, second) = OLD.split_at(OLD.find("  - id: HAZ-10").unwrap());
    let second = format!(
        "# moved here\nhazards:\n{}",
        second.replace(
            "controls:\n  - { id: CTL-1, title: Two identifiers, type: design, status: implemented }",
            "controls:\n  - status: implemented\n    type: design\n    title: Two identifiers\n    id: CTL-1"
        )
    );
    let new = analysis(&[("a.yaml", first), ("b.yaml", &second)]);
    let c = compare("v1.0", &analysis(&[("h.yaml", OLD)]), &new);
    assert!(c.hazards.is_empty() && c.controls.is_empty(), "{c:#?}");
    assert!(c.findings_new.is_empty() && c.findings_gone.is_empty(), "{c:#?}");
    assert_eq!(text::summary(&c), "no changes");
}

#[test]
fn each_kind_of_hazard_change_is_named() {
    let new = OLD
        .replace("residual_risk: { severity: major, likelihood: very-low }", "residual_risk: { severity: major, likelihood: low }\n    justification: Accepted by the partners")
        .replace(
            "    title: Reply to a closed conversation\n",
            "    title: Reply to a closed conversation\n    status: withdrawn\n    withdrawn_reason: Feature removed\n",
        )
        .replace("  - id: HAZ-10\n    title: Message not filed\n", "  - id: HAZ-3\n    title: Message not filed\n");
    let c = compare_texts(OLD, &new);
    let labels: Vec<(&str, &str)> = c.hazards.iter().map(|h| (h.id.as_str(), text::label(h))).collect();
    assert_eq!(
        labels,
        [("HAZ-1", "re-rated"), ("HAZ-2", "withdrawn"), ("HAZ-3", "added"), ("HAZ-10", "removed")]
    );
    let haz1 = &c.hazards[0];
    assert_eq!(haz1.residual.as_ref().unwrap().old.as_ref().unwrap().rating, Some(2));
    assert_eq!(haz1.residual.as_ref().unwrap().new.as_ref().unwrap().rating, Some(3));
    assert!(haz1.initial.is_none());
    assert_eq!(haz1.fields, ["justification"]);
    assert_eq!(text::details(&c.hazards[1]), ["status open → withdrawn", "reason: Feature removed"]);
    assert_eq!(c.summary.hazards_removed, 1);
    assert_eq!(c.summary.hazards_withdrawn, 1);
    assert_eq!(c.summary.hazards_re_rated, 1, "an added hazard is not re-rated");
    assert_eq!(
        text::details(&c.hazards[2]),
        ["initial 1 (minor severity, low likelihood)", "residual 1 (minor severity, very low likelihood)"]
    );
    // The removed hazard is itself an error; HAZ-1's new residual of 3 raises nothing new here.
    assert_eq!(c.findings.len(), 1);
    assert_eq!((c.findings[0].rule, c.findings[0].subject.as_str()), ("removed-hazard", "HAZ-10"));
    assert_eq!(c.summary.errors, 1);
}

#[test]
fn a_control_changes_with_its_links_even_when_only_a_hazard_declares_them() {
    let new = OLD
        .replace("    controls: [CTL-1]\n  - id: HAZ-10", "    controls: []\n  - id: HAZ-10")
        .replace("status: implemented }", "status: verified, evidence: [{ ref: TR-12, date: 2026-10-01 }] }");
    let c = compare_texts(OLD, &new);
    let ctl = c.controls.iter().find(|x| x.id == "CTL-1").expect("CTL-1 changed");
    assert_eq!(
        text::details(ctl),
        ["status implemented → verified", "evidence added: TR-12 (2026-10-01)", "links removed: HAZ-2"]
    );
    // HAZ-2 lost its only control: a new finding on the new side.
    assert!(c.findings_new.iter().any(|f| f.rule == "uncovered-hazard" && f.subject == "HAZ-2"), "{c:#?}");
    assert_eq!(c.findings_gone.len(), 0);
}

#[test]
fn markdown_escapes_user_text() {
    let new = OLD.replace("title: Wrong patient", "title: \"Wrong | patient [x](http://e.invalid) <b>\"");
    let md = text::markdown(&compare_texts(OLD, &new));
    assert!(
        md.contains(
            "| HAZ-1 | Wrong \\| patient \\[x\\](http://e.invalid) \\<b\\> | changed | changed: title |"
        ),
        "{md}"
    );
}

#[test]
fn a_month_of_monitoring_data_is_named_as_observations_added() {
    let metric = "metrics:\n  - id: MET-1\n    title: Misdirected replies\n    better: lower\n    threshold: 2\n    monitors: [CTL-1]\n    observations:\n      - { date: 2026-09-30, value: 1 }\n";
    let old = format!("{OLD}{metric}");
    let new = format!("{old}      - {{ date: 2026-10-31, value: 1.5 }}\n");
    let c = compare_texts(&old, &new);
    assert!(c.hazards.is_empty() && c.controls.is_empty(), "{c:#?}");
    assert_eq!(c.metrics.len(), 1);
    assert_eq!(text::details(&c.metrics[0]), ["observations added: 2026-10-31: 1.5"]);
    assert_eq!(text::summary(&c), "1 metric changed");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// Whatever hazards each side holds: those only in the new side are
    /// added, those only in the old are removed (each one `removed-hazard`),
    /// those in both are listed only when their content differs; and a side
    /// compared with itself has no changes.
    #[test]
    fn added_removed_and_changed_follow_the_sides(sides in proptest::collection::vec((0u8..4, proptest::bool::ANY), 1..12)) {
        let hazard = |i: usize, title: &str| format!(
            "  - {{ id: HAZ-{i}, title: \"{title}\", initial_risk: {{ severity: minor, likelihood: low }}, controls: [CTL-1] }}\n"
        );
        let (mut old, mut new) = (String::from("hazards:\n"), String::from("hazards:\n"));
        let mut expected = Vec::new();
        for (i, (presence, retitled)) in sides.iter().enumerate() {
            let (in_old, in_new) = match presence { 0 => (true, false), 1 => (false, true), _ => (true, true) };
            if in_old { old.push_str(&hazard(i, "Title")); }
            if in_new { new.push_str(&hazard(i, if *retitled { "Other title" } else { "Title" })); }
            let label = match (in_old, in_new, retitled) {
                (true, false, _) => Some("removed"),
                (false, true, _) => Some("added"),
                (true, true, true) => Some("changed"),
                _ => None,
            };
            if let Some(l) = label { expected.push((format!("HAZ-{i}"), l)); }
        }
        let control = "controls:\n  - { id: CTL-1, title: C, type: design, status: implemented }\n";
        let (old, new) = (old + control, new + control);
        let c = compare_texts(&old, &new);
        let got: Vec<(String, &str)> = c.hazards.iter().map(|h| (h.id.clone(), text::label(h))).collect();
        proptest::prop_assert_eq!(got, expected.clone());
        let removed = expected.iter().filter(|(_, l)| *l == "removed").count();
        proptest::prop_assert_eq!(c.findings.len(), removed);
        proptest::prop_assert!(compare_texts(&new, &new).hazards.is_empty());
    }
}

#[test]
fn incidents_added_removed_and_changed_are_listed() {
    let log = |rest: &str| {
        format!(
            "{OLD}incidents:\n  - {{ id: INC-1, date: 2026-10-02, title: Reply sent to the wrong patient, harm: low, hazards: [HAZ-1], status: open }}\n{rest}"
        )
    };
    let old = log("  - { id: INC-2, date: 2026-10-09, title: Late reply, status: closed }\n");
    let new = log(
        "  - { id: INC-3, date: 2026-11-02, title: Message not filed, hazards: [HAZ-10], status: open }\n",
    )
    .replace(
        "harm: low, hazards: [HAZ-1], status: open",
        "harm: moderate, hazards: [HAZ-1, HAZ-2], status: closed",
    );
    let c = compare_texts(&old, &new);
    let labels: Vec<(&str, &str)> = c.incidents.iter().map(|i| (i.id.as_str(), text::label(i))).collect();
    assert_eq!(labels, [("INC-1", "changed"), ("INC-2", "removed"), ("INC-3", "added")]);
    assert_eq!(
        text::details(&c.incidents[0]),
        ["status open → closed", "links added: HAZ-2", "changed: harm"]
    );
    assert_eq!(text::details(&c.incidents[1]), ["missing now: an incident record is closed, not deleted"]);
    assert_eq!(c.summary.incidents_changed, 3);
    assert!(text::summary(&c).contains("3 incidents changed"), "{}", text::summary(&c));
    assert!(text::human(&c)
        .contains("\nIncidents\n  changed    INC-1 Reply sent to the wrong patient: status open → closed"));
    // Only hazards carry the "withdrawn, not deleted" line; a removed control says only that.
    let no_ctl = OLD.replace("controls: [CTL-1]", "controls: []").replace(
        "controls:\n  - { id: CTL-1, title: Two identifiers, type: design, status: implemented }\n",
        "",
    );
    let c = compare_texts(OLD, &no_ctl);
    assert_eq!(text::details(&c.controls[0]), ["missing now"]);
}
