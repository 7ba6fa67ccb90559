//! A plain items file → its typed items straight from granit-parser's events.
//!
//! The tree path (event_tree.rs, then de.rs over the tree) allocates a located
//! [`super::node::Node`] for every value, copies each scalar's text again into
//! the item, then frees the tree: most of `check`'s time after the parser
//! itself. Here the same serde derives read the items from the events as they
//! come; a scalar's text moves into the item (or is borrowed) instead.
//!
//! Only the way through where nothing is wrong is taken. At the first thing
//! the tree path would report or leave to serde-saphyr (an anchor, alias or tag,
//! a second document, a budget, an unknown or repeated key, a value of the
//! wrong kind, a missing key, a syntax error anywhere in the file) this answers
//! [`Defer`] and the file is read by the tree path from the start, so every
//! message and place is its. Only files of items (`hazards:`, `controls:`,
//! `metrics:`, `actions:`, `incidents:`) are read here; the manifest and a
//! DPIA go the tree way. The tests (event_items_tests.rs) check that whatever
//! is read here is what the tree path reads.
//!
//! Over 400 lines on purpose, as de.rs: one `Deserializer` impl whose methods
//! share the event cursor; splitting it would scatter one trait impl.

use std::borrow::Cow;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use serde::Deserialize;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span as ParserSpan, StrInput};

use super::de::{locate_next, LOCATED, TEXT_OR_STRUCT};
use super::event_tree::{self, Resolved, MAX_DEPTH, MAX_EVENTS, MAX_NODES, MAX_SCALAR_BYTES};
use super::file_items::FileItems;
use crate::span::{FileId, Located};

/// The file is to be read by the tree path instead.
#[derive(Debug, PartialEq)]
pub(super) struct Defer;

impl std::fmt::Display for Defer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("left to the tree path")
    }
}

impl std::error::Error for Defer {}

impl de::Error for Defer {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Defer
    }
}

/// The file's items, or [`Defer`] when the tree path must read it.
pub(super) fn read(file: FileId, text: &str) -> Result<FileItems, Defer> {
    let mut ev = Events::new(text, file);
    let mut out = FileItems::default();
    if !matches!(ev.next()?.0, Event::StreamStart) || !matches!(ev.next()?.0, Event::DocumentStart(..)) {
        return Err(Defer);
    }
    if !matches!(ev.next()?.0, Event::MappingStart(..)) {
        return Err(Defer);
    }
    let mut seen = [false; 5];
    loop {
        let (event, span) = ev.next()?;
        let Event::Scalar(value, style, ..) = event else {
            if matches!(event, Event::MappingEnd) {
                break;
            }
            return Err(Defer);
        };
        let key = ev.scalar(value, style, &span);
        let list = ITEM_LISTS.iter().position(|k| key.text() == Some(*k)).ok_or(Defer)?;
        if std::mem::replace(&mut seen[list], true) {
            return Err(Defer); // a repeated key: serde-saphyr's error
        }
        match list {
            0 => items(&mut ev, &mut out.hazards)?,
            1 => items(&mut ev, &mut out.controls)?,
            2 => items(&mut ev, &mut out.metrics)?,
            3 => items(&mut ev, &mut out.actions)?,
            _ => items(&mut ev, &mut out.incidents)?,
        }
    }
    // Nothing may follow but the document's and the stream's end.
    for item in ev.parser.by_ref() {
        match item.map_err(|_| Defer)?.0 {
            Event::DocumentEnd | Event::StreamEnd => {}
            _ => return Err(Defer),
        }
    }
    Ok(out)
}

/// The top-level keys read here, in the order [`read`] matches them.
const ITEM_LISTS: [&str; 5] = ["hazards", "controls", "metrics", "actions", "incidents"];

/// One top-level list: each item located, as the tree path's `read_items`.
fn items<'a, T: Deserialize<'a>>(ev: &mut Events<'a>, out: &mut Vec<Located<T>>) -> Result<(), Defer> {
    match ev.peek()? {
        (Event::Scalar(value, ScalarStyle::Plain, ..), _) if is_null(value) => {
            ev.next()?;
            return Ok(());
        }
        (Event::SequenceStart(..), _) => {
            ev.next()?;
        }
        _ => return Err(Defer),
    }
    loop {
        if matches!(ev.peek()?.0, Event::SequenceEnd) {
            ev.next()?;
            return Ok(());
        }
        out.push(Located::<T>::deserialize(EventDe { ev })?);
    }
}

fn is_null(value: &str) -> bool {
    matches!(event_tree::resolve_plain(value), Some(Resolved::Null))
}

/// A scalar as the tree path would hold it; non-text kinds keep the text written.
enum Scalar<'a> {
    Null,
    Text(Cow<'a, str>),
    Bool(bool, &'a str),
    Int(i64, &'a str),
    Float(f64, &'a str),
}

impl<'a> Scalar<'a> {
    /// The scalar as text, as the tree's `Node::as_text`.
    fn text(&self) -> Option<&str> {
        match self {
            Scalar::Null => None,
            Scalar::Text(s) => Some(s),
            Scalar::Bool(_, t) | Scalar::Int(_, t) | Scalar::Float(_, t) => Some(t),
        }
    }

    /// Hands the text to `v`, moved or borrowed rather than copied.
    fn visit_text<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
        match self {
            Scalar::Null => Err(Defer),
            Scalar::Text(Cow::Owned(s)) => v.visit_string(s),
            Scalar::Text(Cow::Borrowed(s)) => v.visit_borrowed_str(s),
            Scalar::Bool(_, t) | Scalar::Int(_, t) | Scalar::Float(_, t) => v.visit_borrowed_str(t),
        }
    }
}

/// The parser's events, one looked ahead, within event_tree's budgets.
struct Events<'a> {
    parser: Parser<'a, StrInput<'a>>,
    peeked: Option<(Event<'a>, ParserSpan)>,
    text: &'a str,
    file: FileId,
    /// Collections open; events, nodes and scalar bytes so far.
    depth: usize,
    events: usize,
    nodes: usize,
    scalar_bytes: usize,
}

impl<'a> Events<'a> {
    fn new(text: &'a str, file: FileId) -> Self {
        let parser = event_tree::parser(text);
        Events { parser, peeked: None, text, file, depth: 0, events: 0, nodes: 0, scalar_bytes: 0 }
    }

    fn peek(&mut self) -> Result<&(Event<'a>, ParserSpan), Defer> {
        if self.peeked.is_none() {
            self.peeked = Some(self.parser.next().ok_or(Defer)?.map_err(|_| Defer)?);
        }
        self.peeked.as_ref().ok_or(Defer)
    }

    /// The next event, refused (so the file is deferred) wherever event_tree would refuse it.
    fn next(&mut self) -> Result<(Event<'a>, ParserSpan), Defer> {
        self.peek()?;
        let (event, span) = self.peeked.take().ok_or(Defer)?;
        self.events += 1;
        if self.events >= MAX_EVENTS {
            return Err(Defer);
        }
        match &event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(..) | Event::DocumentEnd => {}
            Event::Scalar(value, _, anchor, tag) => {
                self.nodes += 1;
                self.scalar_bytes += value.len();
                if *anchor != 0
                    || tag.is_some()
                    || self.nodes >= MAX_NODES
                    || self.scalar_bytes >= MAX_SCALAR_BYTES
                {
                    return Err(Defer);
                }
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                self.nodes += 1;
                if *anchor != 0 || tag.is_some() || self.nodes >= MAX_NODES || self.depth >= MAX_DEPTH {
                    return Err(Defer);
                }
                self.depth += 1;
            }
            Event::SequenceEnd | Event::MappingEnd => self.depth = self.depth.saturating_sub(1),
            _ => return Err(Defer), // aliases, anchors, comments
        }
        Ok((event, span))
    }

    fn scalar(&self, value: Cow<'a, str>, style: ScalarStyle, span: &ParserSpan) -> Scalar<'a> {
        if style != ScalarStyle::Plain {
            return Scalar::Text(value);
        }
        let written = || event_tree::written(self.text, event_tree::span_of(span, self.file));
        match event_tree::resolve_plain(&value) {
            None => Scalar::Text(value),
            Some(Resolved::Null) => Scalar::Null,
            Some(Resolved::Bool(b)) => Scalar::Bool(b, written()),
            Some(Resolved::Int(i)) => Scalar::Int(i, written()),
            Some(Resolved::Float(f)) => Scalar::Float(f, written()),
        }
    }

    /// The next event as a scalar; anything else defers.
    fn next_scalar(&mut self) -> Result<Scalar<'a>, Defer> {
        match self.next()? {
            (Event::Scalar(value, style, ..), span) => Ok(self.scalar(value, style, &span)),
            _ => Err(Defer),
        }
    }

    /// True when the next value is a null scalar.
    fn null_next(&mut self) -> Result<bool, Defer> {
        Ok(matches!(self.peek()?, (Event::Scalar(value, ScalarStyle::Plain, ..), _) if is_null(value)))
    }
}

/// A serde `Deserializer` for the next value, answering as de.rs's `NodeDe`
/// answers for the same node when that succeeds, and [`Defer`] otherwise.
struct EventDe<'s, 'a> {
    ev: &'s mut Events<'a>,
}

impl<'s, 'a> EventDe<'s, 'a> {
    /// Reads a list whose start was just taken; deferred unless the visitor read to its end.
    fn seq<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
        let depth = self.ev.depth;
        let value = v.visit_seq(SeqEvents { ev: &mut *self.ev, empty: false })?;
        if self.ev.depth != depth - 1 {
            return Err(Defer);
        }
        Ok(value)
    }
}

macro_rules! forward_to_any {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
            self.deserialize_any(v)
        }
    )*};
}

macro_rules! defer {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'a>>(self, _: V) -> Result<V::Value, Defer> {
            Err(Defer)
        }
    )*};
}

impl<'a> Deserializer<'a> for EventDe<'_, 'a> {
    type Error = Defer;

    fn deserialize_any<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
        match self.ev.peek()?.0 {
            Event::SequenceStart(..) => {
                self.ev.next()?;
                self.seq(v)
            }
            Event::Scalar(..) => match self.ev.next_scalar()? {
                Scalar::Null => v.visit_unit(),
                Scalar::Bool(b, _) => v.visit_bool(b),
                Scalar::Int(i, _) => v.visit_i64(i),
                Scalar::Float(f, _) => v.visit_f64(f),
                text => text.visit_text(v),
            },
            _ => Err(Defer), // a mapping read as any value: not in an item's types
        }
    }

    fn deserialize_str<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
        self.ev.next_scalar()?.visit_text(v)
    }

    fn deserialize_string<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
        self.deserialize_str(v)
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
        if self.ev.null_next()? {
            self.ev.next()?;
            return v.visit_none();
        }
        v.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
        match self.ev.next_scalar()? {
            Scalar::Null => v.visit_unit(),
            _ => Err(Defer),
        }
    }

    fn deserialize_bool<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
        match self.ev.next_scalar()? {
            Scalar::Bool(b, _) => v.visit_bool(b),
            _ => Err(Defer),
        }
    }

    fn deserialize_seq<V: Visitor<'a>>(self, v: V) -> Result<V::Value, Defer> {
        if self.ev.null_next()? {
            self.ev.next()?;
            return v.visit_seq(SeqEvents { ev: self.ev, empty: true });
        }
        match self.ev.next()?.0 {
            Event::SequenceStart(..) => self.seq(v),
            _ => Err(Defer),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Defer> {
        match self.ev.next()? {
            (Event::MappingStart(..), _) => {
                let depth = self.ev.depth;
                let value = v.visit_map(StructEvents { ev: &mut *self.ev, fields, empty: false })?;
                if self.ev.depth != depth - 1 {
                    return Err(Defer);
                }
                Ok(value)
            }
            (Event::Scalar(value, style, ..), span) => match self.ev.scalar(value, style, &span) {
                Scalar::Null => v.visit_map(StructEvents { ev: self.ev, fields, empty: true }),
                text if name == TEXT_OR_STRUCT => text.visit_text(v),
                _ => Err(Defer),
            },
            _ => Err(Defer),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Defer> {
        let scalar = self.ev.next_scalar()?;
        let text = scalar.text().filter(|t| variants.contains(t)).ok_or(Defer)?;
        let de: StrDeserializer<'_, Defer> = StrDeserializer::new(text);
        v.visit_enum(de)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(self, name: &'static str, v: V) -> Result<V::Value, Defer> {
        if name == LOCATED {
            let file = self.ev.file;
            let span = event_tree::span_of(&self.ev.peek()?.1, file);
            locate_next(span);
        }
        v.visit_newtype_struct(self)
    }

    forward_to_any! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
    }

    // Not in an item's types (a map, a tuple) or never a success there (an ignored key).
    defer! { deserialize_map deserialize_ignored_any }

    fn deserialize_unit_struct<V: Visitor<'a>>(self, _: &'static str, _: V) -> Result<V::Value, Defer> {
        Err(Defer)
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _: usize, _: V) -> Result<V::Value, Defer> {
        Err(Defer)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, Defer> {
        Err(Defer)
    }
}

/// A list's elements, up to its end event (none when `empty`: a null read as a list).
struct SeqEvents<'s, 'a> {
    ev: &'s mut Events<'a>,
    empty: bool,
}

impl<'a> de::SeqAccess<'a> for SeqEvents<'_, 'a> {
    type Error = Defer;
    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<Option<T::Value>, Defer> {
        if self.empty {
            return Ok(None);
        }
        if matches!(self.ev.peek()?.0, Event::SequenceEnd) {
            self.ev.next()?;
            self.empty = true;
            return Ok(None);
        }
        seed.deserialize(EventDe { ev: &mut *self.ev }).map(Some)
    }
}

/// A struct's entries up to its mapping's end; a key that is not one of its
/// fields defers (the tree path reports it, with the nearest known key).
struct StructEvents<'s, 'a> {
    ev: &'s mut Events<'a>,
    fields: &'static [&'static str],
    empty: bool,
}

impl<'a> de::MapAccess<'a> for StructEvents<'_, 'a> {
    type Error = Defer;
    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>, Defer> {
        if self.empty {
            return Ok(None);
        }
        if matches!(self.ev.peek()?.0, Event::MappingEnd) {
            self.ev.next()?;
            self.empty = true;
            return Ok(None);
        }
        let key = self.ev.next_scalar()?;
        let name = self.fields.iter().copied().find(|f| key.text() == Some(*f)).ok_or(Defer)?;
        seed.deserialize(BorrowedStrDeserializer::<Defer>::new(name)).map(Some)
    }
    fn next_value_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<T::Value, Defer> {
        seed.deserialize(EventDe { ev: &mut *self.ev })
    }
}

#[cfg(test)]
#[path = "event_items_tests.rs"]
mod tests;
