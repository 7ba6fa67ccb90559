//! `clinsafe schema`: the JSON Schema of project files, generated from the
//! same types the loader deserializes (`load::raw`), so it cannot drift.

use schemars::transform::RecursiveTransform;
use schemars::Schema;

use crate::load::raw::RawFile;

/// The formats JSON Schema (2020-12) defines. schemars also writes Rust's
/// (`uint8`, `uint32`, `int64`, `double`), which strict validators such as
/// Ajv refuse; their ranges stay in `minimum`/`maximum`.
const STANDARD_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

fn standard_formats_only(schema: &mut Schema) {
    let format = schema.get("format").and_then(|f| f.as_str());
    if format.is_some_and(|f| !STANDARD_FORMATS.contains(&f)) {
        schema.remove("format");
    }
}

pub fn schema_json() -> String {
    let settings = schemars::generate::SchemaSettings::default()
        .with_transform(RecursiveTransform(standard_formats_only));
    let mut schema = settings.into_generator().into_root_schema_for::<RawFile>().to_value();
    as_the_loader_reads(&mut schema);
    item_ids_without_spaces(&mut schema);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// What the loader accepts beyond serde's types, so an editor never flags a
/// file `check` reads: text written as a number or `true` (`version: 1.0`,
/// `ods_code: 12345`, `title: 2026`) is read as the text it is written as; an
/// empty value (`controls:` with nothing after it, an empty or comment-only
/// file) is an empty list or mapping, where nothing in it is required.
fn as_the_loader_reads(schema: &mut serde_json::Value) {
    // Children first, so the branches added here are not widened again.
    match schema {
        serde_json::Value::Object(obj) => obj.values_mut().for_each(as_the_loader_reads),
        serde_json::Value::Array(items) => items.iter_mut().for_each(as_the_loader_reads),
        _ => return,
    }
    let Some(obj) = schema.as_object_mut() else { return };
    let types: Vec<String> = match obj.get("type") {
        Some(serde_json::Value::String(t)) => vec![t.clone()],
        Some(serde_json::Value::Array(ts)) => {
            ts.iter().filter_map(|t| t.as_str().map(String::from)).collect()
        }
        _ => return,
    };
    let free_text = types.iter().any(|t| t == "string")
        && !["enum", "const", "pattern", "format"].iter().any(|k| obj.contains_key(*k));
    if free_text {
        // A union of several types is written as `anyOf` (Ajv's strict mode
        // allows `type` lists only as "T or null").
        obj.remove("type");
        let mut any_of: Vec<serde_json::Value> =
            ["string", "number", "boolean"].iter().map(|t| serde_json::json!({ "type": t })).collect();
        any_of.extend(types.iter().filter(|t| *t != "string").map(|t| serde_json::json!({ "type": t })));
        obj.insert("anyOf".into(), any_of.into());
        return;
    }
    let nothing_required = obj.get("required").and_then(|r| r.as_array()).is_none_or(|r| r.is_empty());
    if types.len() == 1 && (types[0] == "array" || (types[0] == "object" && nothing_required)) {
        obj.insert("type".into(), serde_json::json!([types[0], "null"]));
    }
}

/// An item's id (hazard, control, metric, action, incident, DPIA risk,
/// cause) is refused with a space or control character in it, as the loader
/// refuses it; written as a number it is text like any other.
fn item_ids_without_spaces(schema: &mut serde_json::Value) {
    const ITEMS: &[&str] =
        &["RawHazard", "RawControl", "RawMetric", "RawAction", "RawIncident", "RawDpiaRisk", "RawCauseItem"];
    let Some(defs) = schema.get_mut("$defs").and_then(|d| d.as_object_mut()) else { return };
    for name in ITEMS {
        if let Some(id) = defs.get_mut(*name).and_then(|d| d.pointer_mut("/properties/id")) {
            if let Some(any_of) = id.get_mut("anyOf").and_then(|a| a.as_array_mut()) {
                any_of[0] = serde_json::json!({ "type": "string", "pattern": "^[^\\s\\u0000-\\u001F\\u007F-\\u009F]+$" });
            }
        }
    }
}

pub fn run() -> u8 {
    if super::emit(&schema_json()) {
        0
    } else {
        2
    }
}
