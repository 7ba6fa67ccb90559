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
    let schema = settings.into_generator().into_root_schema_for::<RawFile>();
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

pub fn run() -> u8 {
    if super::emit(&schema_json()) {
        0
    } else {
        2
    }
}
