use std::cell::RefCell;

use serde::Deserialize;

use super::*;
use crate::load::node::parse;
use crate::span::FileId;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Thing {
    name: Located<String>,
    version: Option<String>,
    count: Option<u8>,
}

fn read(text: &str) -> (Result<Thing, DeError>, Vec<DeError>) {
    let node = parse(text, FileId(0)).unwrap().unwrap();
    let notes = RefCell::new(Vec::new());
    let r = from_node::<Thing>(&node, &notes);
    (r, notes.into_inner())
}

#[test]
fn located_values_know_their_span() {
    let (r, notes) = read("version: 1.10\nname: x\n");
    let t = r.unwrap();
    assert!(notes.is_empty());
    assert_eq!((t.name.span.line, t.name.span.column), (2, 7));
    assert_eq!(t.version.as_deref(), Some("1.10"));
}

#[test]
fn all_unknown_keys_are_noted() {
    let (r, notes) = read("nme: x\nname: y\nverison: 2\n");
    assert!(r.is_ok());
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0].message, "unknown key `nme`; did you mean `name`?");
    assert_eq!(notes[1].span.unwrap().line, 3);
}

#[test]
fn type_errors_point_at_the_value() {
    let (r, _) = read("name: x\ncount: 300\n");
    assert!(r.as_ref().map(|t| t.count).is_err());
    let e = r.unwrap_err();
    assert_eq!(e.span.unwrap().line, 2);
    assert!(e.message.contains("300"), "{}", e.message);
    let (r, _) = read("name: [a]\n");
    assert_eq!(r.unwrap_err().message, "expected text, found a list");
}

#[test]
fn missing_keys_point_at_the_mapping() {
    let (r, _) = read("version: x\n");
    let e = r.unwrap_err();
    assert_eq!(e.message, "missing required key `name`");
    assert_eq!(e.span.unwrap().line, 1);
}
