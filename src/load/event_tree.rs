//! YAML text → a located tree of [`Node`]s, straight from granit-parser's events.
//!
//! granit-parser is the parser serde-saphyr itself reads (taken through
//! serde-saphyr's re-export, so always the same version and options). Reading
//! its events here skips serde-saphyr's deserializer layer (event copies,
//! recorded map keys, a visitor and a located-value map per node), which was
//! most of `check`'s time on a large project.
//!
//! Only the plain case is built here: one document; no anchors, aliases or
//! tags; no merge key (`<<`); no two keys of a mapping that serde-saphyr might
//! call the same; within the budgets. Anything else, and every syntax error,
//! gives `None`, and [`super::node::parse`] asks serde-saphyr, so its answers
//! (and its words and places for every error) stay the only ones. The tests
//! (event_tree_tests.rs) check that both give the same tree.

use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, Span as ParserSpan, StrInput};

use super::node::{Node, NodeKind};
use crate::span::{FileId, Span};

/// Below serde-saphyr's budgets (node.rs `options`), counted at least as
/// generously as it counts them, so a file near a limit is left to it.
pub(super) const MAX_EVENTS: usize = 8_000_000;
pub(super) const MAX_NODES: usize = 4_000_000;
pub(super) const MAX_DEPTH: usize = 63;
pub(super) const MAX_SCALAR_BYTES: usize = 64 * 1024 * 1024;

/// A collection whose end event has not come yet.
enum Open {
    Seq(Span, Vec<Node>),
    /// The entries so far, and a key waiting for its value.
    Map(Span, Vec<(Node, Node)>, Option<Node>),
}

/// The parser with serde-saphyr's options.
pub(super) fn parser(text: &str) -> Parser<'_, StrInput<'_>> {
    let mut options = Options::default();
    options.emit_comments = false; // serde-saphyr's, whatever features others turn on
    Parser::new_from_str_with_options(text, options)
}

/// The file's tree (`None` inside: an empty file), or `None` when serde-saphyr must decide.
pub(super) fn build(text: &str, file: FileId) -> Option<Option<Node>> {
    let parser = parser(text);
    let mut open: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let (mut events, mut nodes, mut scalar_bytes, mut documents) = (0usize, 0usize, 0usize, 0usize);
    for item in parser {
        let (event, span) = item.ok()?;
        events += 1;
        if events >= MAX_EVENTS {
            return None;
        }
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                nodes += 1;
                scalar_bytes += value.len();
                if anchor != 0 || tag.is_some() || nodes >= MAX_NODES || scalar_bytes >= MAX_SCALAR_BYTES {
                    return None;
                }
                let span = span_of(&span, file);
                let kind = if style == ScalarStyle::Plain {
                    plain(value.as_ref(), text, span).unwrap_or_else(|| NodeKind::Str(value.into_owned()))
                } else {
                    NodeKind::Str(value.into_owned())
                };
                Node { span, kind }
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag)
                if anchor != 0 || tag.is_some() =>
            {
                return None;
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                nodes += 1;
                if nodes >= MAX_NODES || open.len() >= MAX_DEPTH {
                    return None;
                }
                let span = span_of(&span, file);
                open.push(match event {
                    Event::SequenceStart(..) => Open::Seq(span, Vec::new()),
                    _ => Open::Map(span, Vec::new(), None),
                });
                continue;
            }
            Event::SequenceEnd => match open.pop()? {
                Open::Seq(span, items) => Node { span, kind: NodeKind::Seq(items) },
                Open::Map(..) => return None,
            },
            Event::MappingEnd => match open.pop()? {
                Open::Map(span, entries, None) if keys_surely_distinct(&entries) => {
                    Node { span, kind: NodeKind::Map(entries) }
                }
                _ => return None,
            },
            _ => return None, // aliases, anchors, comments
        };
        match open.last_mut() {
            None if root.is_none() => root = Some(node),
            None => return None,
            Some(Open::Seq(_, items)) => items.push(node),
            Some(Open::Map(_, entries, waiting)) => match waiting.take() {
                Some(key) => entries.push((key, node)),
                None if is_plain_key(&node) => *waiting = Some(node),
                None => return None,
            },
        }
    }
    if !open.is_empty() {
        return None;
    }
    // serde-saphyr reads a document that is only a null as no document.
    Some(root.filter(|n| n.kind != NodeKind::Null))
}

/// A key this builder can take: text, a number or a boolean, and not a merge key.
fn is_plain_key(key: &Node) -> bool {
    match &key.kind {
        NodeKind::Str(s) => s != "<<",
        NodeKind::Bool(..) | NodeKind::Int(..) | NodeKind::Float(..) => true,
        NodeKind::Null | NodeKind::Seq(_) | NodeKind::Map(_) => false,
    }
}

/// True when serde-saphyr cannot find two of these keys equal: no two spell the
/// same text, and at most one is a number, a boolean or text that starts like
/// a number (serde-saphyr compares whole numbers by value: `1` and `0x1`).
fn keys_surely_distinct(entries: &[(Node, Node)]) -> bool {
    let mut typed = 0;
    for (key, _) in entries {
        let (text, is_str) = match &key.kind {
            NodeKind::Str(s) => (s.as_str(), true),
            NodeKind::Bool(_, t) | NodeKind::Int(_, t) | NodeKind::Float(_, t) => (t.as_str(), false),
            _ => return false,
        };
        if !is_str || text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
            typed += 1;
            if typed > 1 {
                return false;
            }
        }
    }
    fn text(n: &Node) -> &str {
        n.as_text().unwrap_or_default()
    }
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .all(|(i, (a, _))| entries[..i].iter().all(|(b, _)| text(a) != text(b)));
    }
    let mut texts: Vec<&str> = entries.iter().map(|(k, _)| text(k)).collect();
    texts.sort_unstable();
    texts.windows(2).all(|w| w[0] != w[1])
}

/// serde-saphyr's place for an event: 1-based line, column + 1, byte range.
pub(super) fn span_of(span: &ParserSpan, file: FileId) -> Span {
    let (offset, len) = match (span.start.byte_offset(), span.end.byte_offset()) {
        (Some(start), Some(end)) => (start as u32, end.saturating_sub(start) as u32),
        _ => (0, 0),
    };
    Span { file, line: span.start.line() as u32, column: span.start.col() as u32 + 1, offset, len }
}

/// A plain scalar that YAML resolves to something other than text.
pub(super) enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
}

/// A plain scalar's kind as serde-saphyr resolves an untyped one (null, then a
/// YAML 1.1 boolean, then an integer, then a float); `None`: text.
pub(super) fn resolve_plain(value: &str) -> Option<Resolved> {
    // Most scalars are words: a letter that starts no null, boolean or number
    // is text (a plain scalar never starts with the space the rules trim).
    if value.as_bytes().first().is_some_and(|b| {
        b.is_ascii_alphabetic() && !matches!(b.to_ascii_lowercase(), b'n' | b't' | b'f' | b'y' | b'o')
    }) {
        return None;
    }
    if matches!(value, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Resolved::Null);
    }
    if let Some(b) = super::scalars::yaml11_bool(value) {
        return Some(Resolved::Bool(b));
    }
    Some(match super::scalars::number(value)? {
        super::scalars::Number::Int(i) => Resolved::Int(i),
        super::scalars::Number::Float(f) => Resolved::Float(f),
    })
}

/// The text a scalar was written as (its bytes in the file).
pub(super) fn written(text: &str, span: Span) -> &str {
    text.get(span.offset as usize..(span.offset + span.len) as usize).unwrap_or("")
}

/// [`resolve_plain`] as a node: non-text kinds keep the text the user wrote.
fn plain(value: &str, text: &str, span: Span) -> Option<NodeKind> {
    let written = || written(text, span).to_string();
    Some(match resolve_plain(value)? {
        Resolved::Null => NodeKind::Null,
        Resolved::Bool(b) => NodeKind::Bool(b, written()),
        Resolved::Int(i) => NodeKind::Int(i, written()),
        Resolved::Float(f) => NodeKind::Float(f, written()),
    })
}

#[cfg(test)]
#[path = "event_tree_tests.rs"]
mod tests;
