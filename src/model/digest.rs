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

use super::Project;

/// `sha256:<hex>` of the project's content.
pub fn content_digest(p: &Project) -> String {
    let mut content = serde_json::json!({
        "manifest": canonical(&p.manifest),
        "hazards": by_id(&p.hazards, |h| &h.id),
        "controls": by_id(&p.controls, |c| &c.id),
        "metrics": by_id(&p.metrics, |m| &m.id),
        "actions": by_id(&p.actions, |a| &a.id),
        "dpia": canonical(&p.dpia),
    });
    // Only when there are any: a project without incidents keeps the digest it had before SPEC §3's incidents.
    if !p.incidents.is_empty() {
        content["incidents"] = by_id(&p.incidents, |i| &i.id);
    }
    let mut text = String::new();
    write_canonical(&content, &mut text);
    let hex: String = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn canonical<T: Serialize>(value: &T) -> Value {
    // The model holds only strings, numbers, booleans and dates: serializing cannot fail.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Items in id order; two items with one id (a `duplicate-id` finding) in the
/// order of their content, so file order still does not matter.
fn by_id<T: Serialize>(items: &[T], id: impl Fn(&T) -> &String) -> Value {
    let mut keyed: Vec<(&String, String, Value)> = items
        .iter()
        .map(|i| {
            let v = canonical(i);
            let mut text = String::new();
            write_canonical(&v, &mut text);
            (id(i), text, v)
        })
        .collect();
    keyed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Value::Array(keyed.into_iter().map(|(_, _, v)| v).collect())
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
