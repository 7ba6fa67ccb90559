//! Required texts that must say something. A title or name written as `""`
//! or spaces satisfies serde (the key is there) but says nothing: an issued
//! case "signed off" by a blank name would pass `missing-sign-off`, and a
//! hazard would be listed with no title. Refused where it is written, and the
//! schema refuses it too, so editors and `check` agree.

use schemars::{json_schema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer};

use crate::span::Located;

fn words<'de, D: Deserializer<'de>>(d: D, what: &str) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    // Spaces and invisible characters alone (those `suspicious-text` names in
    // ids) are blank to a reader too.
    if crate::words::says_nothing(&text) {
        return Err(de::Error::custom(format_args!(
            "{what} is blank (nothing a reader can see): it is required, so write it out"
        )));
    }
    Ok(text)
}

/// An item's title (hazard, control, metric, action, incident, DPIA risk).
pub fn title<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    words(d, "the title")
}

/// A person's or organisation's or system's name.
pub fn name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    words(d, "the name")
}

/// A document's id.
pub fn document_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    words(d, "the document's id")
}

/// A document's version.
pub fn version<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    words(d, "the version")
}

/// As [`schema`], or no value: an optional text that, once written, must say
/// something (`transferred_from`, `source`: `load::build` refuses a blank one,
/// as it does a blank evidence or manufacturer `ref`, which take [`schema`]).
pub fn optional_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "anyOf": [{ "type": "string", "pattern": VISIBLE }, { "type": "number" }, { "type": "boolean" }, { "type": "null" }] })
}

/// Text with at least one character that is neither white space nor invisible; written as a
/// number or `true` it is the text it is written as, as for any other text
/// (`cmd::schema` widens plain text the same way).
pub fn schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "anyOf": [{ "type": "string", "pattern": VISIBLE }, { "type": "number" }, { "type": "boolean" }] })
}

/// The schema's "says something": a character neither white space nor
/// invisible (what [`crate::words::says_nothing`] decides for `check`).
const VISIBLE: &str = "[^\\s\\u200B-\\u200D\\u2060\\uFEFF\\u00AD]";

/// A located error when `value` says nothing (blank, or invisible characters
/// alone): an id or reference that must name something. `what` says what to
/// write, `then` what else the author may do (or nothing).
pub fn refuse_blank(value: &Located<String>, what: &str, then: &str, errors: &mut Vec<super::LoadError>) {
    if crate::words::says_nothing(&value.value) {
        let message = format!("{what}, not a blank one{then}");
        errors.push(super::LoadError { message, span: value.span });
    }
}
