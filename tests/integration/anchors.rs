//! Item anchors in the HTML (issue 11 item 16): an item whose id is a
//! section's id (`summary`, `controls`) or holds punctuation (`A&E-4HR`,
//! `50%`, `a/b`, `#1`, quotes, `<`) keeps every id in a page unique, every
//! link pointing at something, and every metric its chart.

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::events::Event;

use super::project;
use super::render::render;

/// Section ids of the built-in templates, and punctuation an id may hold.
const ODD_IDS: &[&str] = &[
    "summary",
    "hazards",
    "controls",
    "monitoring",
    "findings",
    "actions",
    "conclusion",
    "contents",
    "index",
    "trends",
    "breaches",
    "follow-up",
    "traceability",
    "purpose",
    "system",
    "A&E-4HR",
    "50%",
    "a/b",
    "#1",
    "q\"x",
    "<m>",
    "it's",
    "x%26y",
    "x&y",
];

fn fixture() -> String {
    let quoted = |id: &str| format!("'{}'", id.replace('\'', "''"));
    let all: Vec<String> = ODD_IDS.iter().map(|id| quoted(id)).collect();
    let mut yaml = String::from("hazards:\n");
    // Every kind uses every odd id with its own prefix letter, so ids stay unique across kinds
    // while equal to a section's id in one kind each.
    for (i, raw) in ODD_IDS.iter().enumerate() {
        let (id, control) = (quoted(raw), quoted(&format!("{raw}-c")));
        yaml += &format!(
            "  - {{ id: {id}, title: Hazard {i}, controls: [{control}], initial_risk: {{ severity: major, likelihood: low }}, residual_risk: {{ severity: minor, likelihood: low }} }}\n"
        );
    }
    yaml += "controls:\n";
    for (i, id) in ODD_IDS.iter().enumerate() {
        yaml += &format!(
            "  - {{ id: {}, title: Control {i}, type: design, status: implemented, evidence: [{{ ref: e }}] }}\n",
            quoted(&format!("{id}-c"))
        );
    }
    yaml += "metrics:\n";
    for (i, id) in ODD_IDS.iter().enumerate() {
        yaml += &format!(
            "  - {{ id: {}, title: Metric {i}, better: lower, threshold: 5, monitors: [{}], observations: [{{ date: 2026-09-30, value: 1 }}, {{ date: 2026-10-31, value: 9 }}] }}\n",
            quoted(&format!("{id}-m")),
            quoted(&format!("{id}-c"))
        );
    }
    yaml += &format!(
        "actions:\n  - {{ id: actions-a, title: Act, owner: O, due: 2027-01-01, relates_to: [{}] }}\n",
        all[0]
    );
    yaml
}

/// Every `id` in the page's body, and every `href`.
fn ids_and_links(html: &str) -> (Vec<String>, Vec<String>) {
    let body = &html[html.find("<body").unwrap()..html.rfind("</body>").unwrap() + 7];
    let mut reader = quick_xml::Reader::from_str(body);
    let (mut ids, mut links) = (Vec::new(), Vec::new());
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("body is not well-formed: {e}")) {
            Event::Start(e) | Event::Empty(e) => {
                for a in e.attributes().flatten() {
                    let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap().into_owned();
                    match a.key.as_ref() {
                        "id" => ids.push(value),
                        "href" => links.push(value),
                        _ => {}
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (ids, links)
}

#[test]
fn item_ids_never_collide_with_sections_or_lose_links_and_charts() {
    let dir = project(&[("items.yaml", &fixture())]);
    let (code, out, err) = render(dir.path(), &[]);
    assert!(code < 2, "{err}");
    let mut pages = BTreeMap::new();
    for page in ["safety-case.html", "hazard-log.html", "checklist.html", "monitoring.html"] {
        let html =
            std::fs::read_to_string(out.path().join(page)).unwrap_or_else(|e| panic!("{page}: {e}\n{err}"));
        let (ids, links) = ids_and_links(&html);
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{page}: an id is used twice: {ids:?}");
        pages.insert(page, (ids, links, html));
    }
    for (page, (_, links, _)) in &pages {
        for link in links.iter().filter(|l| l.contains('#')) {
            let (target_page, fragment) = link.split_once('#').unwrap();
            let target_page = if target_page.is_empty() { *page } else { target_page };
            let Some((ids, _, _)) = pages.get(target_page) else { continue };
            assert!(
                ids.iter().any(|id| id == fragment),
                "{page}: link {link} has no target in {target_page}"
            );
        }
    }
    let (ids, _, monitoring) = &pages["monitoring.html"];
    for id in ODD_IDS {
        let anchor = format!("metric-{}", percent(&format!("{id}-m")));
        assert!(ids.contains(&anchor), "no anchor {anchor} for metric {id}-m");
    }
    assert_eq!(
        monitoring.matches("<figure class=\"trend\"").count(),
        ODD_IDS.len(),
        "one trend figure per metric"
    );
    let charts = monitoring.split("<figure class=\"trend\"").skip(1).filter(|f| f.contains("<svg")).count();
    assert_eq!(charts, ODD_IDS.len(), "every trend figure has its chart");
    // The hazards named like sections are still linked from the safety case to the hazard log.
    let (_, links, _) = &pages["safety-case.html"];
    assert!(links.contains(&"hazard-log.html#hazard-summary".to_string()), "{links:?}");
}

/// The encoding `report::anchor` documents, written out here so the test does not trust it.
fn percent(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
