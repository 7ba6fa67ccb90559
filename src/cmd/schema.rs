//! `clinsafe schema`: the JSON Schema of project files, generated from the
//! same types the loader deserializes (`load::raw`), so it cannot drift.

use crate::load::raw::RawFile;

pub fn schema_json() -> String {
    let schema = schemars::schema_for!(RawFile);
    serde_json::to_string_pretty(&schema).expect("schema serializes") + "\n"
}

pub fn run() -> u8 {
    if super::emit(&schema_json()) {
        0
    } else {
        2
    }
}
