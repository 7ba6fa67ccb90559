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
    let tree = tree_text(m);
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

/// The canonical text as it was first made, through a JSON tree: `to_value`,
/// then every object's keys sorted. The digests recorded in approvals are of this text.
fn tree_text<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    fn write(v: &serde_json::Value, out: &mut Vec<u8>) {
        match v {
            serde_json::Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                out.push(b'{');
                for (i, (k, v)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut *out, k).unwrap();
                    out.push(b':');
                    write(v, out);
                }
                out.push(b'}');
            }
            serde_json::Value::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write(item, out);
                }
                out.push(b']');
            }
            scalar => serde_json::to_writer(&mut *out, scalar).unwrap(),
        }
    }
    let mut out = Vec::new();
    write(&serde_json::to_value(value).unwrap_or(serde_json::Value::Null), &mut out);
    out
}

/// The text written straight from `Serialize`, as `write_item` writes it.
fn streamed_text<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    super::canonical::write_to(&mut out, value, None).unwrap();
    out
}

fn assert_same_text<T: serde::Serialize + ?Sized>(value: &T) {
    let (tree, streamed) = (tree_text(value), streamed_text(value));
    assert_eq!(String::from_utf8_lossy(&streamed), String::from_utf8_lossy(&tree));
}

/// Every item of the example project (hazards, controls, metrics, incidents,
/// the DPIA, the manifest) is written as the tree wrote it.
#[test]
fn every_item_of_the_example_is_written_as_the_tree_wrote_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
    let p = crate::load::project(&root, None).unwrap_or_else(|_| panic!("the example loads"));
    p.hazards.iter().for_each(assert_same_text);
    p.controls.iter().for_each(assert_same_text);
    p.actions.iter().for_each(assert_same_text);
    p.incidents.iter().for_each(assert_same_text);
    for m in &p.metrics {
        assert_same_text(m);
        let mut streamed = Vec::new();
        super::write_metric(&mut streamed, m);
        assert_eq!(String::from_utf8_lossy(&streamed), String::from_utf8_lossy(&tree_text(m)));
    }
    assert_same_text(&p.dpia);
    assert_same_text(&p.manifest);
    assert!(!p.hazards.is_empty() && !p.metrics.is_empty() && p.dpia.is_some());
}

/// What serde can hand a serializer beyond the model's own shapes: enum
/// variants of every kind, a flattened map meeting a field, non-string map
/// keys, floats of both widths, bytes, unit and absent values.
#[test]
fn every_serde_shape_is_written_as_the_tree_wrote_it() {
    #[derive(serde::Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { z: bool, a: Option<f32> },
    }
    #[derive(serde::Serialize)]
    struct Unit;
    #[derive(serde::Serialize)]
    struct Wrapper(f64);
    #[derive(serde::Serialize)]
    struct All {
        shapes: Vec<Shape>,
        #[serde(flatten)]
        extra: std::collections::BTreeMap<String, i64>,
        zeta: i64,
        by_number: std::collections::BTreeMap<u32, &'static str>,
        by_flag: std::collections::BTreeMap<bool, ()>,
        floats: (f32, f64, f64, f64),
        #[serde(with = "serde_bytes_like")]
        bytes: Vec<u8>,
        unit: Unit,
        wrapper: Wrapper,
        none: Option<String>,
        big: (i128, u128, i64, char),
        text: &'static str,
    }
    mod serde_bytes_like {
        pub fn serialize<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(b)
        }
    }
    let all = All {
        shapes: vec![
            Shape::Unit,
            Shape::Newtype(7),
            Shape::Tuple(-3, "t".into()),
            Shape::Struct { z: true, a: Some(0.1) },
            Shape::Struct { z: false, a: None },
        ],
        extra: [("zeta".to_string(), 1), ("\u{e9}t\u{e9}".to_string(), 2), ("\"q\"".to_string(), 3)].into(),
        zeta: 9,
        by_number: [(10, "ten"), (9, "nine")].into(),
        by_flag: [(true, ()), (false, ())].into(),
        floats: (0.1, f64::NAN, -0.0, 1e300),
        bytes: vec![0, 255, 10],
        unit: Unit,
        wrapper: Wrapper(2.5),
        none: None,
        big: (-5, 7, i64::MIN, '\u{2028}'),
        text: "tab\tnew\nline \u{1} </script>",
    };
    assert_same_text(&all);
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        "[a-z\"\\\\\u{e9}\n]{0,6}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[a-zA-Z_\"\u{e9} ]{0,5}", inner), 0..6)
                .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Any JSON value's canonical text is the tree's.
    #[test]
    fn any_value_is_written_as_the_tree_wrote_it(value in json_value()) {
        prop_assert_eq!(streamed_text(&value), tree_text(&value));
    }
}
