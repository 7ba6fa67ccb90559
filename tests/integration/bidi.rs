//! `suspicious-text` and bidi isolation: hidden characters cannot make two
//! ids look alike or reverse a line unnoticed, and user text cannot reorder
//! what surrounds it in the HTML.

use super::render::render;
use super::{check_json, project};

const FILES: &[(&str, &str)] = &[
    (
        "items.yaml",
        "hazards:\n  - { id: HAZ-1, title: \"Dose \u{202E}01 gm\", controls: [CTL-1, \"CTL\u{200B}-1\"],\n      initial_risk: { severity: minor, likelihood: low }, justification: \"ok \u{2067}open\" }\n\
         \x20 - { id: HAZ-2, title: \"x \u{2067}y\", controls: [CTL-1], initial_risk: { severity: minor, likelihood: low } }\n\
         controls:\n  - { id: CTL-1, title: Real, type: test, status: implemented, evidence: [{ ref: e }] }\n\
         \x20 - { id: \"CTL\u{200B}-1\", title: Lookalike, type: test, status: implemented, evidence: [{ ref: e }] }\n",
    ),
];

#[test]
fn hidden_characters_and_reversals_are_located_findings() {
    let dir = project(FILES);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{json}");
    let found: Vec<(String, u64, u64, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "suspicious-text")
        .map(|f| {
            (
                f["subject"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(found.len(), 4, "{found:#?}");
    assert_eq!((found[0].0.as_str(), found[0].1, found[0].2), ("HAZ-1", 2, 31), "{found:#?}");
    assert!(found[0].3.contains("U+202E"), "{found:#?}");
    assert_eq!((found[1].0.as_str(), found[1].1), ("HAZ-1", 3), "{found:#?}");
    assert!(found[1].3.contains("U+2067"), "{found:#?}");
    assert_eq!((found[2].0.as_str(), found[2].1), ("HAZ-2", 4), "{found:#?}");
    assert_eq!(found[3].1, 7, "{found:#?}");
    assert!(found[3].3.contains("CTL<U+200B>-1"), "the id is spelt out: {found:#?}");
}

#[test]
fn user_text_is_isolated_in_the_html() {
    let dir = project(FILES);
    let (_, out, err) = render(dir.path(), &[]);
    let html =
        std::fs::read_to_string(out.path().join("hazard-log.html")).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert!(html.contains("\u{2068}Dose \u{202E}01 gm\u{2069}"), "title not isolated");
    assert!(html.contains("\u{2068}x \u{2067}y\u{2069}\u{2069}"), "open isolate not closed");
    assert!(!html.contains("\u{2068}Real"), "plain text stays as it was");
}

/// Markdown fields too: a description with an override is isolated, its
/// paragraph closed, like any other value.
#[test]
fn markdown_text_is_isolated_in_the_html() {
    let dir = project(&[(
        "h.yaml",
        "hazards:\n  - id: HAZ-1\n    title: Plain\n    description: |\n      Give \u{202E}01 gm daily\n\n      Then **\u{2067}stop** here\n",
    )]);
    let (_, out, err) = render(dir.path(), &[]);
    let html =
        std::fs::read_to_string(out.path().join("hazard-log.html")).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert!(html.contains("<p>\u{2068}Give \u{202E}01 gm daily\u{2069}</p>"), "description not isolated");
    assert!(
        html.contains("<strong>\u{2068}\u{2067}stop\u{2069}\u{2069}</strong>"),
        "open isolate not closed"
    );
}
