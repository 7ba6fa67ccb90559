//! The content digest an approval records (SPEC §3): SHA-256 over the
//! project's content as loaded, never over bytes. The model is serialized
//! (spans, `approvals` and `document.history` are skipped by the types' own
//! serde attributes), items are put in id order and every mapping's keys
//! sorted, so reformatting, comments, key order and how items are split over
//! files do not change it; any change of a value does. Recording an approval
//! or a history row does not, so an approval can name the digest it covers.

use std::io::Write;

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Metric, Project};

/// `sha256:<hex>` of the project's content.
///
/// The canonical JSON text is fed to the hash as it is written, item by item,
/// never held whole or built as one JSON tree: a tree costs some 600 bytes per
/// CSV observation, which a million-row CSV turned into gigabytes (issue 11
/// item 9). The text is the same as the tree's would be.
pub fn content_digest(p: &Project) -> String {
    let mut h = Hasher(Sha256::new());
    // The top-level keys in sorted order, as `write_canonical` orders any object.
    h.put("{\"actions\":");
    by_id(&mut h, &p.actions, |a| &a.id, write_item);
    h.put(",\"controls\":");
    by_id(&mut h, &p.controls, |c| &c.id, write_item);
    h.put(",\"dpia\":");
    write_item(&mut h, &p.dpia);
    h.put(",\"hazards\":");
    by_id(&mut h, &p.hazards, |x| &x.id, write_item);
    // Only when there are any: a project without incidents keeps the digest it had before SPEC §3's incidents.
    if !p.incidents.is_empty() {
        h.put(",\"incidents\":");
        by_id(&mut h, &p.incidents, |i| &i.id, write_item);
    }
    h.put(",\"manifest\":");
    write_item(&mut h, &p.manifest);
    h.put(",\"metrics\":");
    by_id(&mut h, &p.metrics, |m| &m.id, write_metric);
    h.put("}");
    let hex: String = h.0.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Where canonical text goes: the hash (or, for ordering duplicates, a buffer).
struct Hasher(Sha256);

impl Hasher {
    fn put(&mut self, text: &str) {
        self.0.update(text.as_bytes());
    }
}

impl Write for Hasher {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn write_item<T: Serialize>(out: &mut dyn Write, value: &T) {
    // The model holds only strings, numbers, booleans and dates: serializing cannot fail.
    write_canonical(&serde_json::to_value(value).unwrap_or(Value::Null), out, None);
}

/// A metric's canonical text, its observations written one by one in the
/// place of its (emptied) `observations` (each through its own small tree,
/// dropped at once).
fn write_metric(out: &mut dyn Write, m: &Metric) {
    let head = Metric { observations: Vec::new(), ..m.clone() };
    let head = serde_json::to_value(&head).unwrap_or(Value::Null);
    write_canonical(&head, out, Some(m));
}

/// Items in id order; two items with one id (a `duplicate-id` finding) in the
/// order of their content, so file order still does not matter.
fn by_id<T>(
    out: &mut dyn Write,
    items: &[T],
    id: impl Fn(&T) -> &String,
    write: impl Fn(&mut dyn Write, &T),
) {
    let mut order: Vec<&T> = items.iter().collect();
    order.sort_by(|a, b| id(a).cmp(id(b)));
    let _ = out.write_all(b"[");
    let mut first = true;
    for run in order.chunk_by(|a, b| id(a) == id(b)) {
        let mut texts: Vec<Vec<u8>> = Vec::new();
        if run.len() > 1 {
            texts = run
                .iter()
                .map(|item| {
                    let mut text = Vec::new();
                    write(&mut text, item);
                    text
                })
                .collect();
            texts.sort();
        }
        for (i, item) in run.iter().enumerate() {
            if !std::mem::take(&mut first) {
                let _ = out.write_all(b",");
            }
            match texts.get(i) {
                Some(text) => {
                    let _ = out.write_all(text);
                }
                None => write(out, item),
            }
        }
    }
    let _ = out.write_all(b"]");
}

/// JSON with every object's keys sorted (whatever map serde_json was built with);
/// `observations` of `metric`, when given, written in place of the top level's own.
fn write_canonical(v: &Value, out: &mut dyn Write, metric: Option<&Metric>) {
    // Writes into a hash or a buffer: neither fails.
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let _ = out.write_all(b"{");
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    let _ = out.write_all(b",");
                }
                let _ = serde_json::to_writer(&mut *out, k);
                let _ = out.write_all(b":");
                match metric.filter(|_| k == "observations") {
                    Some(m) => {
                        let _ = out.write_all(b"[");
                        for (i, o) in m.observations.iter().enumerate() {
                            if i > 0 {
                                let _ = out.write_all(b",");
                            }
                            write_canonical(&serde_json::to_value(o).unwrap_or(Value::Null), out, None);
                        }
                        let _ = out.write_all(b"]");
                    }
                    None => write_canonical(v, out, None),
                }
            }
            let _ = out.write_all(b"}");
        }
        Value::Array(items) => {
            let _ = out.write_all(b"[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    let _ = out.write_all(b",");
                }
                write_canonical(item, out, None);
            }
            let _ = out.write_all(b"]");
        }
        scalar => {
            let _ = serde_json::to_writer(&mut *out, scalar);
        }
    }
}

#[cfg(test)]
#[path = "digest_tests.rs"]
mod tests;
