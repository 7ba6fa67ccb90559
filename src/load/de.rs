//! A serde `Deserializer` over a located [`Node`] tree.
//!
//! Written by hand because no crate deserializes from a tree of our own
//! located nodes. What it adds over a plain deserializer:
//! - every error is pinned to the innermost node it came from;
//! - unknown keys are recorded (with the nearest known key) and skipped, so one
//!   run reports every misspelt key, not only the first;
//! - a value of the wrong enum gets the list of allowed values and a suggestion;
//! - [`Located<T>`] fields learn the span of their value.
//!
//! Over 400 lines on purpose: one `Deserializer` impl whose methods share the
//! node cursor and the error collector; splitting it would scatter one trait impl.

use std::cell::{Cell, RefCell};
use std::fmt;

use schemars::JsonSchema;
use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use serde::Deserialize;

use super::node::{Node, NodeKind};
use crate::excerpt::excerpt;
use crate::span::{Located, Span};
use crate::suggest::did_you_mean;

/// A deserialization problem and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct DeError {
    pub message: String,
    pub span: Option<Span>,
    /// The required key that was missing, when that is the whole problem
    /// (so callers can tell a gap from a wrong value without reading words).
    pub missing_key: Option<&'static str>,
}

impl DeError {
    fn at(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError { message: msg.to_string(), span: None, missing_key: None }
    }
    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!("expected {}, found {}", expected_words(exp), found_words(unexp)))
    }
    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "{} is not allowed here: expected {}",
            found_words(unexp),
            expected_words(exp)
        ))
    }
    fn missing_field(field: &'static str) -> Self {
        let e = Self::custom(format_args!("missing required key `{field}`"));
        DeError { missing_key: Some(field), ..e }
    }
}

/// A required key missing from this very mapping (not one inside it, which
/// is located already), said in the author's words where the bare key name
/// would not tell them what to write: `manufacturer: {}` is a section
/// written without the report it names.
fn missing_key_hint(section: &str, e: DeError) -> DeError {
    let hint = match (section, e.missing_key) {
        ("RawManufacturer", Some("ref")) => {
            ": `manufacturer:` names the supplier's DCB0129 clinical safety case report by its id \
             (`ref: PM-CSCR-4.2`); with no such report to name, leave `manufacturer:` out"
        }
        _ => return e,
    };
    if e.span.is_some() {
        return e;
    }
    DeError { message: format!("{}{hint}", e.message), ..e }
}

/// What serde expected, in a YAML author's words: serde names Rust types
/// (`u8`, `i64`, `f64`) and its primitive visitors' phrases ("a string").
fn expected_words(exp: &dyn de::Expected) -> String {
    let rust = exp.to_string();
    let range = |max: u64| format!("a whole number from 0 to {max}");
    match rust.as_str() {
        "u8" => range(u8::MAX.into()),
        "u16" => range(u16::MAX.into()),
        "u32" => range(u32::MAX.into()),
        "u64" | "u128" | "usize" => "a whole number, 0 or more".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" => "true or false".into(),
        "a string" | "a borrowed string" | "a character" => "text".into(),
        _ => rust,
    }
}

/// What was found instead, in the same words (`found floating point 1.5` → ``found `1.5` ``).
fn found_words(unexp: de::Unexpected) -> String {
    use de::Unexpected as U;
    match unexp {
        U::Bool(b) => format!("`{b}`"),
        U::Unsigned(n) => format!("`{n}`"),
        U::Signed(n) => format!("`{n}`"),
        // A whole decimal keeps its point: `1.0` as the user wrote it, not `1`
        // (which would read as the whole number asked for).
        U::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("`{f:.1}`"),
        U::Float(f) => format!("`{f}`"),
        U::Char(c) => format!("the text `{c}`"),
        U::Str(s) => format!("the text `{}`", excerpt(s)),
        U::Unit | U::Option => "an empty value".into(),
        U::Seq => "a list".into(),
        U::Map => "a mapping".into(),
        other => other.to_string(),
    }
}

/// Deserializes `T` from `node`. Problems that do not stop deserialization
/// (unknown keys) are pushed to `notes`; the first hard error is returned.
pub fn from_node<'a, T: Deserialize<'a>>(
    node: &'a Node,
    notes: &RefCell<Vec<DeError>>,
) -> Result<T, DeError> {
    T::deserialize(NodeDe { node, notes }).map_err(|e| e.at(node.span))
}

struct NodeDe<'a, 'n> {
    node: &'a Node,
    notes: &'n RefCell<Vec<DeError>>,
}

impl<'a, 'n> NodeDe<'a, 'n> {
    fn child(&self, node: &'a Node) -> NodeDe<'a, 'n> {
        NodeDe { node, notes: self.notes }
    }

    fn wrong(&self, expected: &str) -> DeError {
        DeError {
            message: format!("expected {expected}, found {}", self.node.kind.describe()),
            span: Some(self.node.span),
            missing_key: None,
        }
    }

    fn visit_seq<V: Visitor<'a>>(&self, items: &'a [Node], v: V) -> Result<V::Value, DeError> {
        let seq = SeqDe { items: items.iter(), de: self.child(self.node) };
        v.visit_seq(seq)
    }

    fn visit_map<V: Visitor<'a>>(&self, entries: Vec<&'a (Node, Node)>, v: V) -> Result<V::Value, DeError> {
        v.visit_map(MapDe { entries: entries.into_iter(), value: None, de: self.child(self.node) })
    }
}

macro_rules! forward_to_any {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
            self.deserialize_any(v)
        }
    )*};
}

impl<'a> Deserializer<'a> for NodeDe<'a, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        match &self.node.kind {
            NodeKind::Null => v.visit_unit(),
            NodeKind::Str(s) => v.visit_str(s),
            NodeKind::Bool(b, _) => v.visit_bool(*b),
            NodeKind::Int(i, _) => v.visit_i64(*i),
            NodeKind::Float(f, _) => v.visit_f64(*f),
            NodeKind::Seq(items) => self.visit_seq(items, v),
            NodeKind::Map(entries) => self.visit_map(entries.iter().collect(), v),
        }
        .map_err(|e| e.at(span))
    }

    fn deserialize_str<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        match self.node.as_text() {
            Some(text) => v.visit_str(text).map_err(|e: DeError| e.at(self.node.span)),
            None => Err(self.wrong("text")),
        }
    }

    fn deserialize_string<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        match self.node.kind {
            NodeKind::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        match self.node.kind {
            NodeKind::Null => v.visit_unit(),
            _ => Err(self.wrong("an empty value")),
        }
    }

    fn deserialize_bool<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        match self.node.kind {
            NodeKind::Bool(b, _) => v.visit_bool(b),
            _ => Err(self.wrong("true or false")),
        }
    }

    fn deserialize_seq<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        match &self.node.kind {
            // `controls:` with nothing after it is an empty list, not an error.
            NodeKind::Null => self.visit_seq(&[], v),
            NodeKind::Seq(items) => self.visit_seq(items, v),
            _ => Err(self.wrong("a list (`[A, B]` or lines starting with `- `)")),
        }
        .map_err(|e| e.at(span))
    }

    fn deserialize_map<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        let span = self.node.span;
        match &self.node.kind {
            NodeKind::Null => self.visit_map(Vec::new(), v),
            NodeKind::Map(entries) => self.visit_map(entries.iter().collect(), v),
            _ => Err(self.wrong("a mapping of `key: value` lines")),
        }
        .map_err(|e| e.at(span))
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        let span = self.node.span;
        if name == TEXT_OR_STRUCT {
            if let Some(text) = self.node.as_text() {
                return v.visit_str(text).map_err(|e: DeError| e.at(span));
            }
        }
        let entries: &'a [(Node, Node)] = match &self.node.kind {
            NodeKind::Null => &[],
            NodeKind::Map(entries) => entries,
            _ => return Err(self.wrong("a mapping of `key: value` lines")),
        };
        let known: Vec<&'a (Node, Node)> = entries
            .iter()
            .filter(|(key, _)| {
                let Some(name) = key.as_text() else {
                    self.notes.borrow_mut().push(DeError {
                        message: format!(
                            "expected a key written as plain text, found {}",
                            key.kind.describe()
                        ),
                        span: Some(key.span),
                        missing_key: None,
                    });
                    return false;
                };
                let ok = fields.contains(&name);
                if !ok {
                    self.notes.borrow_mut().push(unknown_key(key, name, fields));
                }
                ok
            })
            .collect();
        self.visit_map(known, v).map_err(|e| missing_key_hint(name, e).at(span))
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        let Some(text) = self.node.as_text() else {
            return Err(self.wrong(&format!("one of {}", list(variants))));
        };
        if !variants.contains(&text) {
            let hint = did_you_mean(text, variants.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(DeError {
                message: format!(
                    "`{}` is not allowed here: expected one of {}{hint}",
                    excerpt(text),
                    list(variants)
                ),
                span: Some(self.node.span),
                missing_key: None,
            });
        }
        let de: StrDeserializer<'_, DeError> = text.into_deserializer();
        v.visit_enum(de).map_err(|e| e.at(self.node.span))
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, DeError> {
        if name == LOCATED {
            locate_next(self.node.span);
        }
        v.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_unit()
    }

    forward_to_any! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(self, _: &'static str, v: V) -> Result<V::Value, DeError> {
        self.deserialize_unit(v)
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _: usize, v: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }
}

fn list(items: &[&str]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

fn unknown_key(key: &Node, name: &str, fields: &[&str]) -> DeError {
    let hint = match did_you_mean(name, fields.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => format!("; known keys here: {}", list(fields)),
    };
    DeError {
        message: format!("unknown key `{}`{hint}", excerpt(name)),
        span: Some(key.span),
        missing_key: None,
    }
}

struct SeqDe<'a, 'n> {
    items: std::slice::Iter<'a, Node>,
    de: NodeDe<'a, 'n>,
}

impl<'a> de::SeqAccess<'a> for SeqDe<'a, '_> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            None => Ok(None),
            Some(node) => seed.deserialize(self.de.child(node)).map(Some).map_err(|e| e.at(node.span)),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'a, 'n> {
    entries: std::vec::IntoIter<&'a (Node, Node)>,
    value: Option<&'a Node>,
    de: NodeDe<'a, 'n>,
}

impl<'a> de::MapAccess<'a> for MapDe<'a, '_> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            None => Ok(None),
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(self.de.child(key)).map(Some).map_err(|e| e.at(key.span))
            }
        }
    }
    fn next_value_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<T::Value, DeError> {
        let node = self.value.take().expect("next_value called before next_key");
        seed.deserialize(self.de.child(node)).map_err(|e| e.at(node.span))
    }
}

/// Struct name that also accepts plain text (the visitor's `visit_str`), for
/// values written either as text or as a mapping (a hazard's causes).
pub const TEXT_OR_STRUCT: &str = "$clinsafe::TextOrStruct";

// ---------------------------------------------------------------------------
// Located<T>: read here, defined beside `Span` (every stage carries it).

pub(super) const LOCATED: &str = "$clinsafe::Located";

thread_local! {
    /// Side channel from the deserializer to `Located::deserialize`: the span of
    /// the node about to be read. Set and taken within one call, so nesting is safe.
    static CURRENT_SPAN: Cell<Option<Span>> = const { Cell::new(None) };
}

/// Tells the `Located::deserialize` about to run (its newtype is [`LOCATED`]) where its value is.
pub(super) fn locate_next(span: Span) {
    CURRENT_SPAN.with(|c| c.set(Some(span)));
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct LocatedVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for LocatedVisitor<T> {
            type Value = Located<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a located value")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Located<T>, D::Error> {
                let span = CURRENT_SPAN.with(|c| c.take()).unwrap_or_default();
                Ok(Located::new(T::deserialize(d)?, span))
            }
        }
        d.deserialize_newtype_struct(LOCATED, LocatedVisitor(std::marker::PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

#[cfg(test)]
#[path = "de_tests.rs"]
mod tests;
