//! Acceptance-style hunt, round 2: what the YAML says, the documents show.
//! Every text of the example, and every free-text field the schema allows,
//! must reach some document; each test failed before its fix.

use std::path::Path;

use super::hunt2::render;
use super::{clinsafe, project, AS_OF};

/// A page's text as a reader sees it: tags out, entities and bidi isolates
/// resolved, Markdown punctuation and runs of white space as one space.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        text.push(' ');
        let tag = &rest[i..];
        let end = if tag.starts_with("<style") {
            tag.find("</style>").map_or(tag.len(), |e| e + 8)
        } else {
            tag.find('>').map_or(tag.len(), |e| e + 1)
        };
        rest = &tag[end..];
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    words(&text)
}

fn words(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| !('\u{2066}'..='\u{2069}').contains(c))
        .map(|c| if "*_`#>|[]-".contains(c) { ' ' } else { c })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The visible text of every HTML document of `dir`, rendered.
fn shown_text(dir: &Path) -> String {
    let out = render(dir, "html");
    let pages = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().path());
    let html = pages.filter(|p| p.extension().is_some_and(|e| e == "html"));
    html.map(|p| visible_text(&std::fs::read_to_string(p).unwrap())).collect::<Vec<_>>().join("\n")
}

/// Every text value under `value`, with its key path (`controls.description`).
fn texts(value: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::String(s) => out.push((path.to_string(), s.clone())),
        serde_json::Value::Array(items) => items.iter().for_each(|v| texts(v, path, out)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                texts(v, &if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, out);
            }
        }
        _ => {}
    }
}

/// What the example's YAML says, the documents show: every text value of
/// every file (its first words, Markdown and all) is in some HTML document.
/// Controls' descriptions and references and evidence descriptions were in
/// none of them.
#[test]
fn every_text_of_the_example_is_in_some_document() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
    let shown = shown_text(&example);
    // Written differently in the documents: a metric's data file is where its
    // observations come from, periods are shown in words ("every 1 month").
    let elsewhere = ["metrics.data", "metrics.stale_after", "controls.every"];
    let mut missing = Vec::new();
    let mut files = vec![example.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let value: serde_json::Value =
            serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut found = Vec::new();
        texts(&value, "", &mut found);
        for (key, text) in found {
            let start: String = words(&text).chars().take(40).collect();
            if !elsewhere.contains(&key.as_str()) && !start.is_empty() && !shown.contains(&start) {
                missing.push(format!("{}: {key}: {start}", path.display()));
            }
        }
    }
    assert!(missing.is_empty(), "in no document:\n{}", missing.join("\n"));
}

/// Fields the format takes that no document showed: a control's `notes`
/// (README: shown in the hazard log), the document's `notes` (an imported
/// cover sheet's extra cells) and the DPIA sign-off's `decision`, `version`
/// and `digest` ("approved with conditions" read as a plain sign-off).
#[test]
fn notes_and_the_dpia_sign_off_decision_are_shown() {
    let manifest =
        super::MANIFEST.replace("version: \"1\" }", "version: \"1\", notes: [\"Cover note kappa\"] }");
    let dir = project(&[
        ("clinsafe.yaml", &manifest),
        (
            "items.yaml",
            r#"hazards:
  - { id: HAZ-1, title: t, initial_risk: { severity: minor, likelihood: low }, controls: [CTL-1] }
controls:
  - { id: CTL-1, title: c, type: design, status: implemented, notes: ["Action column lambda"] }
dpia:
  title: D
  risks:
    - { id: DPR-1, title: r, likelihood: remote, severity: minimal, controls: [CTL-1], residual: { likelihood: remote, severity: minimal } }
  sign_off: { name: Dr B, role: DPO, date: 2026-01-01, decision: approved with conditions mu, version: "0.3" }
"#,
        ),
    ]);
    let log = super::rendered(dir.path(), AS_OF, &[], "hazard-log.html");
    assert!(log.contains("Action column lambda"), "control notes");
    let case = super::rendered(dir.path(), AS_OF, &[], "safety-case.html");
    assert!(case.contains("Cover note kappa"), "document notes");
    let dpia = super::rendered(dir.path(), AS_OF, &[], "dpia.html");
    assert!(
        dpia.contains("approved with conditions mu") && dpia.contains("0.3"),
        "DPIA sign-off decision and version"
    );
}

/// A value for every key the schema allows under `schema`: a marker text
/// (`MK7_hazards_harm`) where free text goes, the first choice of an enum,
/// a date, a period, one item in each list.
fn fill(defs: &serde_json::Value, schema: &serde_json::Value, path: &str, n: &mut u32) -> serde_json::Value {
    use serde_json::{json, Value};
    let mut s = schema;
    while let Some(r) = s.get("$ref").and_then(Value::as_str) {
        s = &defs[r.rsplit('/').next().unwrap()];
    }
    if let Some(options) = s.get("anyOf").and_then(Value::as_array) {
        let options: Vec<&Value> = options.iter().filter(|o| o.get("type") != Some(&json!("null"))).collect();
        // A mapping before a plain text (a cause as an item), a choice before free text.
        let pick = options
            .iter()
            .find(|o| o.get("$ref").is_some())
            .or_else(|| options.iter().find(|o| o.get("type") == Some(&json!("string"))))
            .unwrap_or(&options[0]);
        return fill(defs, pick, path, n);
    }
    if let Some(first) = s.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    let pattern = s.get("pattern").and_then(Value::as_str).unwrap_or_default();
    let types: Vec<&str> = match &s["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    match types.first().copied().unwrap_or("string") {
        _ if s.get("format") == Some(&json!("date")) => json!("2026-06-01"),
        _ if pattern.contains("day|week") => json!("3 months"),
        _ if pattern.contains("sha256") => json!(format!("sha256:{}", "0".repeat(64))),
        "object" => {
            let mut out = serde_json::Map::new();
            for (k, v) in s["properties"].as_object().into_iter().flatten() {
                out.insert(k.clone(), fill(defs, v, &format!("{path}_{k}"), n));
            }
            Value::Object(out)
        }
        "array" => json!([fill(defs, &s["items"], path, n)]),
        "integer" => s.get("minimum").cloned().unwrap_or(json!(1)),
        "number" => json!(1),
        "boolean" => json!(true),
        _ => {
            *n += 1;
            json!(format!("MK{n}{path}"))
        }
    }
}

/// Every text the format takes is in some document: a project with every key
/// the schema allows, each free text a marker, links pointing at each other.
/// A field the documents leave out must be named here, with why.
#[test]
fn every_text_field_the_schema_allows_is_in_some_document() {
    use serde_json::json;
    let out = clinsafe().arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut v = fill(&schema["$defs"], &schema, "", &mut 0);
    v["clinsafe"] = json!(1);
    v["rules"] = json!({});
    v["go_live_conditions"] = json!([]);
    v["document"]["status"] = json!("draft");
    let ids = [
        ("hazards", "HAZ-1"),
        ("controls", "CTL-1"),
        ("metrics", "MET-1"),
        ("actions", "ACT-1"),
        ("incidents", "INC-1"),
    ];
    for (list, id) in ids {
        v[list][0]["id"] = json!(id);
    }
    let h = &mut v["hazards"][0];
    h["controls"] = json!(["CTL-1"]);
    h["related"] = json!([]);
    h["incidents"] = json!(["INC-1"]);
    h["status"] = json!("open");
    h["causes"] =
        json!([{ "id": "HAZ-1-C1", "text": h["causes"][0]["text"], "controls": ["CTL-1"] }, "MKplain_cause"]);
    for key in ["transferred_to", "withdrawn_reason", "closed_on", "closed_by", "review_by"] {
        h.as_object_mut().unwrap().remove(key);
    }
    let c = &mut v["controls"][0];
    c["mitigates"] = json!(["HAZ-1", "DPR-1"]);
    c["monitored_by"] = json!(["MET-1"]);
    c["status"] = json!("implemented");
    c.as_object_mut().unwrap().remove("transferred_to");
    let m = &mut v["metrics"][0];
    m["monitors"] = json!(["CTL-1"]);
    m["better"] = json!("lower");
    for key in ["data", "from", "filter"] {
        m.as_object_mut().unwrap().remove(key);
    }
    v["actions"][0]["relates_to"] = json!(["HAZ-1"]);
    v["incidents"][0]["hazards"] = json!(["HAZ-1"]);
    v["incidents"][0]["controls"] = json!(["CTL-1"]);
    v["dpia"]["risks"][0]["id"] = json!("DPR-1");
    v["dpia"]["risks"][0]["controls"] = json!(["CTL-1"]);
    let yaml = serde_json::to_string_pretty(&v).unwrap(); // JSON is YAML
    let dir = project(&[("clinsafe.yaml", &yaml)]);
    let shown = shown_text(dir.path());
    // The monthly pack shows the notes of its month's observations; this one
    // (2026-06-01) is months before the pack's month.
    let elsewhere = ["_metrics_observations_note"];
    let mut missing = Vec::new();
    let mut markers = Vec::new();
    texts(&v, "", &mut markers);
    assert!(
        markers.iter().filter(|(_, t)| t.starts_with("MK")).count() > 100,
        "the project holds every field"
    );
    for (key, text) in markers {
        if text.starts_with("MK")
            && !elsewhere.iter().any(|e| text.ends_with(e))
            && !shown.contains(&words(&text))
        {
            missing.push(format!("{key}: {text}"));
        }
    }
    assert!(missing.is_empty(), "in no document:\n{}", missing.join("\n"));
}
