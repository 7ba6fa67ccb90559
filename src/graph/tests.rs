use super::*;
use crate::testutil::project;
use proptest::prelude::*;

const ITEMS: &str = r#"
hazards:
  - { id: H1, title: one, controls: [C1], related: [H2] }
  - { id: H2, title: two }
controls:
  - { id: C1, title: c1, type: design, status: implemented, mitigates: [H1] }
  - { id: C2, title: c2, type: design, status: implemented, mitigates: [H2, R1], monitored_by: [M1] }
metrics:
  - { id: M1, title: m1, better: lower, monitors: [C2, H1] }
dpia:
  risks:
    - { id: R1, title: r1 }
"#;

#[test]
fn links_from_both_sides_make_one_edge() {
    let p = project(&[("items.yaml", ITEMS)]);
    let g = build(&p);
    assert!(g.unresolved.is_empty(), "{:?}", g.unresolved);
    let c1_h1 = g.graph.edges_connecting(g.node("C1").unwrap(), g.node("H1").unwrap()).count();
    assert_eq!(c1_h1, 1);
    assert_eq!(g.controls_of("H1"), ["C1"]);
    assert_eq!(g.controls_of("R1"), ["C2"]);
    assert_eq!(g.metrics_of("C2"), ["M1"]);
    assert_eq!(g.hazards_monitored_by("M1"), ["H1", "H2"]);
    assert_eq!(g.related("H2"), ["H1"]);
    assert_eq!(g.related("H1"), ["H2"]);
}

#[test]
fn missing_and_wrong_kind_links_are_reported_not_linked() {
    let p = project(&[("items.yaml", "hazards:\n  - { id: H1, title: t, controls: [NOPE, H1] }\n")]);
    let g = build(&p);
    assert_eq!(g.unresolved.len(), 2);
    assert_eq!(g.unresolved[0].found, None);
    assert_eq!(g.unresolved[1].found, Some(Kind::Hazard));
    assert_eq!(g.graph.edge_count(), 0);
}

#[test]
fn duplicate_ids_across_kinds_are_reported() {
    let p = project(&[(
        "items.yaml",
        "hazards:\n  - { id: X, title: t }\ncontrols:\n  - { id: X, title: c, type: test, status: planned }\n",
    )]);
    let g = build(&p);
    assert_eq!(g.duplicates.len(), 1);
    assert_eq!(g.duplicates[0].kind, Kind::Control);
}

proptest! {
    /// Whatever links are declared, from whichever side or both, the graph
    /// holds each (control, hazard) pair at most once and exactly the pairs
    /// declared. (Each list names an id once: a second listing in one list
    /// is a load error, `load::id_lists`.)
    #[test]
    fn edges_are_the_union_of_declarations(
        from_hazard in prop::collection::vec((0usize..4, 0usize..4), 0..12),
        from_control in prop::collection::vec((0usize..4, 0usize..4), 0..12),
    ) {
        let mut text = String::from("hazards:\n");
        for h in 0..4 {
            let mut cs: Vec<String> = from_hazard.iter().filter(|(hh, _)| *hh == h).map(|(_, c)| format!("C{c}")).collect();
            cs.sort();
            cs.dedup();
            text.push_str(&format!("  - {{ id: H{h}, title: t, controls: [{}] }}\n", cs.join(", ")));
        }
        text.push_str("controls:\n");
        for c in 0..4 {
            let mut hs: Vec<String> = from_control.iter().filter(|(_, cc)| *cc == c).map(|(h, _)| format!("H{h}")).collect();
            hs.sort();
            hs.dedup();
            text.push_str(&format!("  - {{ id: C{c}, title: t, type: design, status: planned, mitigates: [{}] }}\n", hs.join(", ")));
        }
        let p = project(&[("items.yaml", &text)]);
        let g = build(&p);
        let mut expected: Vec<(usize, usize)> = from_hazard.iter().chain(&from_control).copied().collect();
        expected.sort();
        expected.dedup();
        prop_assert_eq!(g.graph.edge_count(), expected.len());
        for h in 0..4 {
            let want: Vec<String> = expected.iter().filter(|(hh, _)| *hh == h).map(|(_, c)| format!("C{c}")).collect();
            prop_assert_eq!(g.controls_of(&format!("H{h}")), want);
        }
    }
}
