use crate::testutil::{load_errors, project};

#[test]
fn items_load_from_any_file_with_located_ids() {
    let p = project(&[("hazards/a.yaml", "hazards:\n  - id: HAZ-001\n    title: Wrong patient\n")]);
    assert_eq!(p.hazards.len(), 1);
    assert_eq!(p.hazards[0].id_span.line, 2);
    assert_eq!(p.sources.name(p.hazards[0].id_span.file), "hazards/a.yaml");
}

#[test]
fn every_bad_item_is_reported_not_just_the_first() {
    let errors = load_errors(&[(
        "h.yaml",
        "hazards:\n  - id: A\n    titel: x\n  - id: B\n    title: y\n    status: opne\n  - id: C\n    title: z\n    initial_risk: { severity: high }\n",
    )]);
    let text = errors.join("\n");
    assert!(text.contains("h.yaml:3:5: unknown key `titel`; did you mean `title`?"), "{text}");
    assert!(text.contains("h.yaml:2:5: missing required key `title`"), "{text}");
    assert!(text.contains("h.yaml:6:13: `opne` is not allowed here"), "{text}");
    assert!(text.contains("did you mean `open`?"), "{text}");
    assert!(text.contains("h.yaml:9:31: `high` is not allowed here: expected one of `minor`"), "{text}");
}

#[test]
fn several_wrong_values_in_one_item_are_all_reported() {
    let errors = load_errors(&[(
        "h.yaml",
        "hazards:\n  - id: A\n    title: x\n    status: opne\n    review_by: 31/12/2026\n    initial_risk: { severity: majr, likelihood: low }\n    tags: notalist\n",
    )]);
    let text = errors.join("\n");
    assert_eq!(errors.len(), 4, "{text}");
    for place in ["h.yaml:4:13", "h.yaml:5:16", "h.yaml:6:31", "h.yaml:7:11"] {
        assert!(text.contains(place), "missing {place} in\n{text}");
    }
}

#[test]
fn a_wrong_required_value_is_reported_once_not_also_as_missing() {
    let errors =
        load_errors(&[("h.yaml", "hazards:\n  - id: A\n    title: [not, text]\n    status: opne\n")]);
    let text = errors.join("\n");
    assert!(text.contains("h.yaml:3:12: expected text, found a list"), "{text}");
    assert!(!text.contains("missing required key `title`"), "{text}");
}

#[test]
fn manifest_keys_outside_the_manifest_are_refused() {
    let errors = load_errors(&[("x.yaml", "system: { name: X }\nhazardz: []\n")]);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("x.yaml:1:1: `system` belongs in the manifest"), "{errors:?}");
    assert!(errors[1].contains("x.yaml:2:1: unknown top-level key `hazardz`; did you mean `hazards`?"));
}

#[test]
fn a_product_rating_is_explained() {
    let errors = load_errors(&[(
        "h.yaml",
        "hazards:\n  - id: A\n    title: x\n    initial_risk: { severity: major, likelihood: medium, rating: 15 }\n",
    )]);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("h.yaml:4:"), "{errors:?}");
    assert!(
        errors[0].contains("rating 15 is out of range") && errors[0].contains("not likelihood × severity")
    );
}

#[test]
fn plain_numbers_are_read_as_text_where_text_is_wanted() {
    let mut raw = crate::load::RawProject::default();
    let text = "clinsafe: 1\nsystem: { name: X, version: 4.10 }\ndocument: { id: D, version: 1.0 }\n";
    crate::load::load_text(&mut raw, "clinsafe.yaml", text.to_string(), true);
    let p = crate::load::build(raw).unwrap();
    assert_eq!(p.manifest.system.version.as_deref(), Some("4.10"));
    assert_eq!(p.manifest.document.version, "1.0");
}

#[test]
fn half_a_risk_loads() {
    let p = project(&[("h.yaml", "hazards:\n  - { id: A, title: x, initial_risk: { severity: major } }\n")]);
    assert_eq!(p.hazards[0].initial_rating(), None);
}

#[test]
fn transferred_needs_a_recipient() {
    let errors = load_errors(&[("h.yaml", "hazards:\n  - { id: A, title: x, status: transferred }\n")]);
    assert!(errors[0].contains("transferred_to"), "{errors:?}");
}

#[test]
fn unknown_rule_overrides_are_refused_with_a_suggestion() {
    let mut raw = crate::load::RawProject::default();
    let text = format!("{}rules:\n  orphan-contrl: error\n", crate::testutil::MANIFEST);
    crate::load::load_text(&mut raw, "clinsafe.yaml", text, true);
    let err = crate::load::build(raw).unwrap_err();
    assert!(err.errors[0].message.contains("did you mean `orphan-control`?"), "{:?}", err.errors);
}

#[test]
fn struct_fields_come_from_serde() {
    let fields = super::struct_fields::<super::raw::RawManifest>();
    assert!(fields.contains(&"clinical_safety_officer"));
    // The schema type must know every key the loader accepts, and no other.
    let file_fields = super::struct_fields::<super::raw::RawFile>();
    let mut expected: Vec<&str> = fields.iter().chain(super::raw::ITEM_KEYS.iter()).copied().collect();
    expected.sort();
    let mut got = file_fields.to_vec();
    got.sort();
    assert_eq!(got, expected);
}

mod never_panics {
    use proptest::prelude::*;

    /// YAML-ish fragments recombined at random: whatever comes out, loading
    /// and building return errors or a project, never a panic.
    fn yamlish() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "hazards:",
            "controls:",
            "metrics:",
            "dpia:",
            "actions:",
            "\n",
            "  - ",
            "id: H",
            "title: x",
            "controls: [C]",
            "initial_risk: { severity: major, likelihood: low }",
            "rating: 99",
            "&a",
            "*a",
            "{",
            "}",
            "[",
            "]",
            ": ",
            "- ",
            "\"",
            "'",
            "#",
            "\t",
            "~",
            "null",
            "2026-13-45",
            "status: closed",
            "every: 0 days",
            "data: ../x.csv",
            "observations: [{ date: 2026-01-01, value: .nan }]",
            "\u{feff}",
            "<<: *a",
            "!!binary",
            "? ",
            "|\n  md",
            ">-\n  x",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn random_documents_never_panic(text in yamlish()) {
            // …and whatever loads goes through the graph and every rule.
            if let Ok(project) = crate::testutil::try_project(&[("x.yaml", &text)]) {
                let _ = crate::testutil::run_rules(&project);
            }
        }

        #[test]
        fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let _ = crate::testutil::try_project(&[("x.yaml", &text)]);
        }
    }
}

#[test]
fn ids_of_every_kind_must_be_single_words() {
    let errors = load_errors(&[(
        "x.yaml",
        "controls:\n  - { id: CTL 1, title: c, type: test, status: planned }\nactions:\n  - { id: \"A\\x01\", title: a }\ndpia:\n  risks:\n    - { id: \"\", title: r }\n",
    )]);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors.iter().all(|e| e.contains("no spaces or control characters")), "{errors:?}");
}

#[test]
fn files_read_on_parsing_threads_join_in_file_order() {
    // More files than threads, so items are read on several threads at once.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clinsafe.yaml"), crate::testutil::MANIFEST).unwrap();
    for n in 0..12 {
        let text =
            format!("hazards:\n  - id: HAZ-{n:02}a\n    titel: x\n  - id: HAZ-{n:02}b\n    title: y\n");
        std::fs::write(dir.path().join(format!("h{n:02}.yaml")), text).unwrap();
    }
    let raw = super::load(dir.path(), None);
    assert!(raw.manifest.is_some());
    let ids: Vec<String> = raw.hazards.iter().map(|h| h.value.id.value.clone()).collect();
    let expected: Vec<String> = (0..12).map(|n| format!("HAZ-{n:02}b")).collect();
    assert_eq!(ids, expected);
    let places: Vec<(String, u32)> =
        raw.errors.iter().map(|e| (raw.sources.name(e.span.file).to_string(), e.span.line)).collect();
    let expected: Vec<(String, u32)> =
        (0..12).flat_map(|n| [(format!("h{n:02}.yaml"), 2), (format!("h{n:02}.yaml"), 3)]).collect();
    assert_eq!(places, expected, "{:?}", raw.errors);
}
