//! The content digest an approval records (SPEC §3): SHA-256 over the
//! project's content as loaded, never over bytes. The model is serialized
//! (spans, `approvals` and `document.history` are skipped by the types' own
//! serde attributes), items are put in id order and every mapping's keys
//! sorted, so reformatting, comments, key order and how items are split over
//! files do not change it; any change of a value does. Recording an approval
//! or a history row does not, so an approval can name the digest it covers.

use std::io::Write;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Metric, Project};

#[path = "digest_canonical.rs"]
mod canonical;

/// `sha256:<hex>` of the project's content.
///
/// The canonical JSON text is fed to the hash as it is written, item by item,
/// never held whole or built as a JSON tree: a tree costs some 600 bytes per
/// CSV observation, which a million-row CSV turned into gigabytes (issue 11
/// item 9), and building one per item was most of the digest's time. The
/// text is what `serde_json::to_value` written with sorted keys would give
/// (`digest_canonical.rs`; a test compares the two).
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
    if canonical::write_to(out, value, None).is_err() {
        let _ = out.write_all(b"null");
    }
}

/// A metric's canonical text, its observations written one by one in the
/// place of its `observations` (each held only while it is written).
fn write_metric(out: &mut dyn Write, m: &Metric) {
    let mut observations = |out: &mut dyn Write| -> Result<(), serde_json::Error> {
        out.write_all(b"[").map_err(serde_json::Error::io)?;
        for (i, o) in m.observations.iter().enumerate() {
            if i > 0 {
                out.write_all(b",").map_err(serde_json::Error::io)?;
            }
            write_item(out, o);
        }
        out.write_all(b"]").map_err(serde_json::Error::io)
    };
    if canonical::write_to(out, m, Some(("observations", &mut observations))).is_err() {
        let _ = out.write_all(b"null");
    }
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

#[cfg(test)]
#[path = "digest_tests.rs"]
mod tests;
