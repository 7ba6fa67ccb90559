//! YAML text → a located tree of [`Node`]s.
//!
//! serde-saphyr does the parsing (no unsafe code, budgets against alias bombs and
//! deep nesting, duplicate keys rejected); a plain file's tree is built straight
//! from its parser's events instead (event_tree.rs), to the same result. We keep our own tree, rather than
//! deserializing straight into the typed structs, for three reasons:
//! every later error can point at its line; we can report *all* problems of a
//! file instead of stopping at the first; and plain scalars keep the text the
//! user wrote (`version: 4.10` stays "4.10", a key `n:` stays "n" rather than
//! YAML 1.1's `false`).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Location, Options};

use crate::span::{FileId, Span};

/// A YAML node and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    /// A string value (quoted, block or plain).
    Str(String),
    /// A plain scalar that YAML resolves to a non-string (bool, number); `text`
    /// is exactly what the user wrote, so a string field can still take it.
    Bool(bool, String),
    Int(i64, String),
    Float(f64, String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl NodeKind {
    /// How the kind is named to a user ("found a list").
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::Null => "an empty value",
            NodeKind::Str(_) => "text",
            NodeKind::Bool(..) => "a boolean",
            NodeKind::Int(..) => "a whole number",
            NodeKind::Float(..) => "a number",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The scalar as text, as the user wrote it; `None` for null, lists and mappings.
    pub fn as_text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            NodeKind::Bool(_, t) | NodeKind::Int(_, t) | NodeKind::Float(_, t) => Some(t),
            _ => None,
        }
    }
}

/// A YAML syntax or budget error, located.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

/// Limits that keep hostile input bounded in time and memory while leaving
/// room for very large real projects (tens of thousands of hazards in a file).
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_events = 8_000_000;
    budget.max_nodes = 4_000_000;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_depth = 64;
    let mut options = Options::default();
    options.budget = Some(budget);
    // `.inf` and `.nan` reach the tree, so the field they stand in says "must be a
    // finite number" at its place, instead of the whole file failing to parse.
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
    options
}

/// Parses one YAML document. An empty file (or one holding only comments) is `None`.
///
/// The tree is built straight from the parser's events when the file is plain
/// YAML (the usual case, and the fast one); anything else, and every error, is
/// read by serde-saphyr's deserializer, whose answer is the same tree.
pub fn parse(text: &str, file: FileId) -> Result<Option<Node>, ParseError> {
    match super::event_tree::build(text, file) {
        Some(tree) => Ok(tree),
        None => parse_with_serde_saphyr(text, file),
    }
}

/// [`parse`] through serde-saphyr's deserializer: anchors, aliases, tags and
/// merge keys resolved, budgets kept, and every error in its words and place.
pub(super) fn parse_with_serde_saphyr(text: &str, file: FileId) -> Result<Option<Node>, ParseError> {
    let tree: Option<Parsed> = serde_saphyr::from_str_with_options(text, options()).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line() as u32, l.column() as u32)).unwrap_or((1, 1));
        let message = in_yaml_terms(&e).unwrap_or_else(|| clean_message(&e.without_snippet().to_string()));
        ParseError { message, line, column }
    })?;
    Ok(tree.map(|Parsed(mut node)| {
        finish(&mut node, text, file);
        node
    }))
}

/// serde-saphyr's words for some errors speak of its own types and options
/// (`budget breached: Nodes { nodes: … }`, `set ignore_binary_tag_for_string
/// in Options`, `invalid u64`); these are said in a YAML author's terms.
fn in_yaml_terms(e: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach as B;
    use serde_saphyr::Error as E;
    let mut e = e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = e {
        e = error;
    }
    Some(match e {
        E::Budget { breach, .. } => match breach {
            B::Aliases { .. }
            | B::Anchors { .. }
            | B::AliasAnchorRatio { .. }
            | B::MergeKeys { .. }
            | B::RecordedAnchorEvents { .. }
            | B::RecordedAnchorBytes { .. } => {
                "too many aliases (`*name`) or anchors (`&name`) in this file: a YAML alias bomb? \
                 write the values out instead"
                    .into()
            }
            B::Depth { .. } => "the values are nested too deeply (more than 64 levels)".into(),
            _ => "the file is too large to read as one YAML document: split it into several files".into(),
        },
        E::BinaryNotUtf8 { .. } | E::TaggedScalarCannotDeserializeIntoString { .. } => {
            "a value tagged `!!binary` (or another tag that is not text): write the value as plain text, \
             without the tag"
                .into()
        }
        E::InvalidScalar { .. } | E::InvalidBooleanStrict { .. } => {
            "the value does not match its `!!` tag (`!!int`, `!!float`, `!!bool`): \
             remove the tag or correct the value"
                .into()
        }
        _ => return None,
    })
}

/// serde-saphyr's message starts with "error: line X column Y: " and may carry
/// advice meant for Rust programmers; keep just what a YAML author needs.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw);
    let msg = first.strip_prefix("error: ").unwrap_or(first);
    let msg = match msg.find(": ") {
        Some(i) if msg.starts_with("line ") => &msg[i + 2..],
        _ => msg,
    };
    let msg = msg.split(", set DuplicateKeyPolicy").next().unwrap_or(msg).trim();
    // The place is shown beside the message already.
    let msg = match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(", column ") => msg[..i].trim(),
        _ => msg,
    };
    if msg.starts_with("tabs disallowed") {
        format!("{msg}: indent with spaces; YAML does not allow tabs for indentation")
    } else if msg.starts_with("multiple YAML documents") {
        "a second YAML document (after `---`) starts here: keep one document per file, or split it into another file".to_string()
    } else if msg.starts_with("budget breached") {
        format!(
            "{msg}: the file is too large, too deeply nested, or uses too many aliases (a YAML alias bomb?)"
        )
    } else {
        msg.to_string()
    }
}

/// Sets what the parse could not know: the file, and the text the user wrote
/// for each non-string scalar (one walk, nothing reallocated).
fn finish(node: &mut Node, text: &str, file: FileId) {
    node.span.file = file;
    let (offset, len) = (node.span.offset as usize, node.span.len as usize);
    match &mut node.kind {
        NodeKind::Bool(_, t) | NodeKind::Int(_, t) | NodeKind::Float(_, t) => {
            *t = text.get(offset..offset + len).unwrap_or("").to_string();
        }
        NodeKind::Seq(items) => items.iter_mut().for_each(|n| finish(n, text, file)),
        NodeKind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            finish(k, text, file);
            finish(v, text, file);
        }),
        NodeKind::Null | NodeKind::Str(_) => {}
    }
}

/// A [`Node`] read straight from serde-saphyr's events, with its place.
///
/// serde-saphyr locates a value when asked for its `Spanned<T>` newtype
/// (`__yaml_spanned`) and answers with a map `{ marker, value, referenced,
/// defined }`. Reading that map here, rather than through `Spanned<T>`, builds
/// the final tree in one pass: no intermediate tree to convert and drop, and
/// no allocated key per node (bench/run.sh: most of `check` is this parse).
struct Parsed(Node);

/// The newtype name serde-saphyr answers with a location (see [`Parsed`]).
const SPANNED: &str = "__yaml_spanned";
const SPANNED_FIELDS: &[&str] = &["__serde_saphyr_private_spanned", "value", "referenced", "defined"];

impl<'de> Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(SPANNED, SpannedVisitor)
    }
}

struct SpannedVisitor;

impl<'de> Visitor<'de> for SpannedVisitor {
    type Value = Parsed;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Parsed, D::Error> {
        d.deserialize_struct("Spanned", SPANNED_FIELDS, self)
    }
    /// The four fields, always in this order (serde-saphyr's `SpannedMapAccess`).
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Parsed, A::Error> {
        key(&mut a, "marker")?;
        a.next_value::<de::IgnoredAny>()?;
        key(&mut a, "value")?;
        let Kind(kind) = a.next_value()?;
        key(&mut a, "referenced")?;
        let loc: Location = a.next_value()?;
        key(&mut a, "defined")?;
        a.next_value::<Unread>()?;
        let sp = loc.span();
        let (offset, len) = (sp.byte_offset().unwrap_or(0) as u32, sp.byte_len().unwrap_or(0) as u32);
        let span =
            Span { file: FileId(0), line: loc.line() as u32, column: loc.column() as u32, offset, len };
        Ok(Parsed(Node { span, kind }))
    }
}

/// A located value's `defined` place (where an alias's anchor is), which the
/// tree does not keep: left unread rather than built and dropped for every node.
struct Unread;

impl<'de> Deserialize<'de> for Unread {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Skip;
        impl<'de> Visitor<'de> for Skip {
            type Value = Unread;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a place in the file")
            }
            fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Unread, A::Error> {
                Ok(Unread)
            }
        }
        d.deserialize_struct("Location", &[], Skip)
    }
}

fn key<'de, A: MapAccess<'de>>(a: &mut A, name: &str) -> Result<(), A::Error> {
    match a.next_key::<de::IgnoredAny>()? {
        Some(_) => Ok(()),
        None => Err(de::Error::custom(format_args!("no `{name}` in a located YAML value"))),
    }
}

/// A node's kind; a scalar's text is filled in by [`finish`].
struct Kind(NodeKind);

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor).map(Kind)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = NodeKind;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<NodeKind, E> {
        Ok(NodeKind::Null)
    }
    fn visit_none<E>(self) -> Result<NodeKind, E> {
        Ok(NodeKind::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeKind, D::Error> {
        Kind::deserialize(d).map(|k| k.0)
    }
    fn visit_bool<E>(self, v: bool) -> Result<NodeKind, E> {
        Ok(NodeKind::Bool(v, String::new()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<NodeKind, E> {
        Ok(NodeKind::Int(v, String::new()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NodeKind, E> {
        Ok(i64::try_from(v)
            .map_or(NodeKind::Float(v as f64, String::new()), |i| NodeKind::Int(i, String::new())))
    }
    fn visit_i128<E>(self, v: i128) -> Result<NodeKind, E> {
        Ok(NodeKind::Float(v as f64, String::new()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<NodeKind, E> {
        Ok(NodeKind::Float(v as f64, String::new()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<NodeKind, E> {
        Ok(NodeKind::Float(v, String::new()))
    }
    fn visit_str<E>(self, v: &str) -> Result<NodeKind, E> {
        Ok(NodeKind::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<NodeKind, E> {
        Ok(NodeKind::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<NodeKind, E> {
        Ok(NodeKind::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<NodeKind, A::Error> {
        let mut items = Vec::with_capacity(a.size_hint().unwrap_or(0).min(64));
        while let Some(Parsed(item)) = a.next_element()? {
            items.push(item);
        }
        Ok(NodeKind::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<NodeKind, A::Error> {
        let mut entries = Vec::with_capacity(a.size_hint().unwrap_or(0).min(64));
        while let Some((Parsed(k), Parsed(v))) = a.next_entry()? {
            entries.push((k, v));
        }
        Ok(NodeKind::Map(entries))
    }
}

#[cfg(test)]
#[path = "node_tests.rs"]
mod tests;
