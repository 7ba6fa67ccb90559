//! The content digest an approval records (SPEC §3): SHA-256 over the
//! project's content as loaded, never over bytes. The model is serialized
//! (spans, `approvals` and `document.history` are skipped by the types' own
//! serde attributes), items are put in id order and every mapping's keys
//! sorted, so reformatting, comments, key order and how items are split over
//! files do not change it; any change of a value does. Recording an approval
//! or a history row does not, so an approval can name the digest it covers.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Metric, Project};

/// `sha256:<hex>` of the project's content.
///
/// Written as text item by item, never as one JSON tree: a tree costs some
/// 600 bytes per CSV observation, which a million-row CSV turned into
/// gigabytes (issue 11 item 9). The text is the same as the tree's would be.
pub fn content_digest(p: &Project) -> String {
    // The top-level keys in sorted order, as `write_canonical` orders any object.
    let mut parts = vec![
        ("actions", by_id(&p.actions, |a| &a.id, canonical_text)),
        ("controls", by_id(&p.controls, |c| &c.id, canonical_text)),
        ("dpia", canonical_text(&p.dpia)),
        ("hazards", by_id(&p.hazards, |h| &h.id, canonical_text)),
        ("manifest", canonical_text(&p.manifest)),
        ("metrics", by_id(&p.metrics, |m| &m.id, metric_text)),
    ];
    // Only when there are any: a project without incidents keeps the digest it had before SPEC §3's incidents.
    if !p.incidents.is_empty() {
        parts.insert(4, ("incidents", by_id(&p.incidents, |i| &i.id, canonical_text)));
    }
    let mut text = String::from("{");
    for (i, (key, value)) in parts.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!("\"{key}\":{value}"));
    }
    text.push('}');
    let hex: String = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn canonical_text<T: Serialize>(value: &T) -> String {
    // The model holds only strings, numbers, booleans and dates: serializing cannot fail.
    let mut text = String::new();
    write_canonical(&serde_json::to_value(value).unwrap_or(Value::Null), &mut text);
    text
}

/// A metric's canonical text, its observations written one by one into the
/// same text (each through its own small tree, dropped at once).
fn metric_text(m: &Metric) -> String {
    let head = Metric { observations: Vec::new(), ..m.clone() };
    // User text cannot hold this: every quote inside a JSON string is escaped.
    let empty = "\"observations\":[]";
    let mut observations = String::from("\"observations\":[");
    for (i, o) in m.observations.iter().enumerate() {
        if i > 0 {
            observations.push(',');
        }
        write_canonical(&serde_json::to_value(o).unwrap_or(Value::Null), &mut observations);
    }
    observations.push(']');
    canonical_text(&head).replacen(empty, &observations, 1)
}

/// Items in id order; two items with one id (a `duplicate-id` finding) in the
/// order of their content, so file order still does not matter.
fn by_id<T>(items: &[T], id: impl Fn(&T) -> &String, text: impl Fn(&T) -> String) -> String {
    let mut keyed: Vec<(&String, String)> = items.iter().map(|i| (id(i), text(i))).collect();
    keyed.sort();
    let texts: Vec<String> = keyed.into_iter().map(|(_, t)| t).collect();
    format!("[{}]", texts.join(","))
}

/// JSON with every object's keys sorted (whatever map serde_json was built with).
fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
#[path = "digest_tests.rs"]
mod tests;
