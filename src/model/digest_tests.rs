//! The digest follows content, not layout: invariant under key order, file
//! split, comments and YAML style; changed by any value.

use super::content_digest;
use crate::testutil::project;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Hazard {
    title: String,
    severity: &'static str,
    owner: Option<String>,
    controls: bool,
}

const SEVERITIES: [&str; 5] = ["minor", "significant", "considerable", "major", "catastrophic"];

fn hazard() -> impl Strategy<Value = Hazard> {
    ("[A-Za-z][A-Za-z ]{0,20}[a-z]", 0..5usize, proptest::option::of("[A-Za-z]{1,10}"), any::<bool>())
        .prop_map(|(title, s, owner, controls)| Hazard { title, severity: SEVERITIES[s], owner, controls })
}

/// The hazard's fields as (key, YAML value) pairs.
fn fields(i: usize, h: &Hazard) -> Vec<(String, String)> {
    let mut f = vec![
        ("id".to_string(), format!("HAZ-{i}")),
        ("title".to_string(), format!("\"{}\"", h.title)),
        ("initial_risk".to_string(), format!("{{ severity: {}, likelihood: low }}", h.severity)),
    ];
    if let Some(o) = &h.owner {
        f.push(("owner".to_string(), format!("'{o}'")));
    }
    if h.controls {
        f.push(("controls".to_string(), "[CTL-1]".to_string()));
    }
    f
}

const CONTROL_BLOCK: &str =
    "controls:\n  - id: CTL-1\n    title: Check\n    type: design\n    status: verified\n    evidence:\n      - { ref: TR-1, date: 2026-01-02 }\n";
const CONTROL_FLOW: &str = "# the one control\ncontrols: [ { evidence: [ { date: 2026-01-02, ref: \"TR-1\" } ], status: verified, type: design, title: 'Check', id: CTL-1 } ]\n";

/// One file, block style, keys in their usual order.
fn block(hazards: &[Hazard]) -> Vec<(String, String)> {
    let mut text = String::from("hazards:\n");
    for (i, h) in hazards.iter().enumerate() {
        for (n, (k, v)) in fields(i, h).into_iter().enumerate() {
            text.push_str(if n == 0 { "  - " } else { "    " });
            text.push_str(&format!("{k}: {v}\n"));
        }
    }
    text.push_str(CONTROL_BLOCK);
    vec![("all.yaml".to_string(), text)]
}

/// One file per hazard in reverse order, flow style, keys rotated, with comments.
fn scattered(hazards: &[Hazard], rotate: usize) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = hazards
        .iter()
        .enumerate()
        .rev()
        .map(|(i, h)| {
            let mut f = fields(i, h);
            let r = rotate % f.len();
            f.rotate_left(r);
            let body: Vec<String> = f.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            (
                format!("h{}.yaml", 100 - i),
                format!("# hazard {i}\nhazards: [ {{ {} }} ]  # end\n", body.join(", ")),
            )
        })
        .collect();
    files.push(("a-control.yaml".to_string(), CONTROL_FLOW.to_string()));
    files
}

fn digest(files: &[(String, String)]) -> String {
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    content_digest(&project(&refs))
}

proptest! {
    #[test]
    fn layout_does_not_change_the_digest(hazards in prop::collection::vec(hazard(), 1..5), rotate in 0..5usize) {
        prop_assert_eq!(digest(&block(&hazards)), digest(&scattered(&hazards, rotate)));
    }

    #[test]
    fn any_changed_value_changes_the_digest(hazards in prop::collection::vec(hazard(), 1..5), pick in any::<prop::sample::Index>(), what in 0..4usize) {
        let before = digest(&block(&hazards));
        let mut changed = hazards.clone();
        let h = &mut changed[pick.index(hazards.len())];
        match what {
            0 => h.title.push('x'),
            1 => h.severity = if h.severity == "minor" { "major" } else { "minor" },
            2 => h.owner = Some(h.owner.clone().map_or("Someone".into(), |o| o + "x")),
            _ => h.controls = !h.controls,
        }
        prop_assert_ne!(before, digest(&block(&changed)));
    }
}

/// A project whose manifest is `manifest` (not the test default).
fn with_manifest(manifest: &str) -> String {
    let mut raw = crate::load::RawProject::default();
    crate::load::load_text(&mut raw, "clinsafe.yaml", manifest.to_string(), true);
    crate::load::load_text(&mut raw, "h.yaml", CONTROL_BLOCK.to_string(), false);
    content_digest(&crate::load::build(raw).expect("loads"))
}

#[test]
fn approvals_and_history_are_not_content_but_the_manifest_is() {
    let plain =
        with_manifest("clinsafe: 1\nsystem: { name: Test }\ndocument: { id: DOC-1, version: \"1\" }\n");
    let signed = "clinsafe: 1\nsystem: { name: Test }\ndocument:\n  id: DOC-1\n  version: \"1\"\n  history:\n    - { version: \"1\", date: 2026-01-01, summary: First }\napprovals:\n  - { name: Dr A, date: 2026-01-02, version: \"1\", digest: \"sha256:00\" }\n";
    assert_eq!(plain, with_manifest(signed));
    assert!(plain.starts_with("sha256:") && plain.len() == 7 + 64, "{plain}");
    let renamed =
        with_manifest("clinsafe: 1\nsystem: { name: Test 2 }\ndocument: { id: DOC-1, version: \"1\" }\n");
    assert_ne!(plain, renamed);
}

/// Observations are written straight to text, not through a JSON tree: the
/// text must be what the tree gave (so recorded approvals stay valid).
#[test]
fn observations_written_as_text_match_the_tree() {
    let values = ["0", "-0.0", "1.5", "412", "1e308", "-2.5e-300", "123456789.125"];
    let observations: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "{{ date: 2026-{:02}-{:02}, value: {}{} }}",
                1 + i % 12,
                1 + i % 28,
                values[i % values.len()],
                if i % 3 == 0 { ", note: \"a \\\"q\\\" note\"" } else { "" }
            )
        })
        .collect();
    let yaml = format!(
        "metrics:\n  - {{ id: MET-1, title: \"T \\\"observations\\\":[]\", better: lower, threshold: 5, observations: [{}] }}\n",
        observations.join(", ")
    );
    let p = project(&[("m.yaml", &yaml)]);
    let m = &p.metrics[0];
    assert_eq!(m.observations.len(), 40);
    assert!(m.title.contains("\"observations\":[]"), "{}", m.title);
    let mut tree = Vec::new();
    super::write_canonical(&serde_json::to_value(m).unwrap(), &mut tree, None);
    let mut streamed = Vec::new();
    super::write_metric(&mut streamed, m);
    assert_eq!(String::from_utf8(streamed).unwrap(), String::from_utf8(tree).unwrap());
}

#[test]
fn the_dpia_template_items_leave_the_digest_alone_when_not_given() {
    // Added after approvals were recorded: absent, they must not change what those approvals cover.
    let p = project(&[("d.yaml", "dpia:\n  title: t\n  risks:\n    - { id: R-1, title: r }\n")]);
    let json = serde_json::to_string(&p.dpia).unwrap();
    let keys = ["need", "controller", "dpo", "processors", "international_transfers", "individuals_rights"];
    for key in keys.iter().chain(&["outcomes", "effect"]) {
        assert!(!json.contains(&format!("\"{key}\"")), "{key} in {json}");
    }
    // Given, they are content like any other.
    let q = project(&[("d.yaml", "dpia:\n  title: t\n  need: x\n  risks:\n    - { id: R-1, title: r }\n")]);
    assert_ne!(content_digest(&p), content_digest(&q));
}
