use super::*;

fn node(text: &str) -> Node {
    parse(text, FileId(0)).unwrap().unwrap()
}

fn entries(n: &Node) -> &[(Node, Node)] {
    match &n.kind {
        NodeKind::Map(e) => e,
        other => panic!("not a map: {other:?}"),
    }
}

#[test]
fn plain_scalars_keep_their_text() {
    let n = node("version: 4.10\nn: yes\nid: 007\n");
    let e = entries(&n);
    assert_eq!(e[0].1.as_text(), Some("4.10"));
    assert_eq!(e[1].0.as_text(), Some("n"));
    assert_eq!(e[2].1.as_text(), Some("007"));
}

#[test]
fn values_are_located() {
    let n = node("a: 1\nb:\n  - x\n");
    let e = entries(&n);
    assert_eq!((e[1].0.span.line, e[1].0.span.column), (2, 1));
    let NodeKind::Seq(items) = &e[1].1.kind else { panic!() };
    assert_eq!((items[0].span.line, items[0].span.column), (3, 5));
}

#[test]
fn empty_and_comment_only_files_are_empty() {
    assert_eq!(parse("", FileId(0)).unwrap(), None);
    assert_eq!(parse("# nothing here\n", FileId(0)).unwrap(), None);
}

#[test]
fn duplicate_keys_are_located_errors() {
    let e = parse("a: 1\nb: 2\na: 3\n", FileId(0)).unwrap_err();
    assert_eq!((e.line, e.column), (3, 1));
    assert!(e.message.contains("duplicate"), "{}", e.message);
    assert!(!e.message.contains("DuplicateKeyPolicy"));
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut text =
        String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        text.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
    }
    let e = parse(&text, FileId(0)).unwrap_err();
    assert!(e.line > 1);
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("a: {}", "[".repeat(100_000));
    assert!(parse(&text, FileId(0)).is_err());
}

#[test]
fn a_second_document_is_a_plain_located_error() {
    let e = parse("hazards: []\n---\ncontrols: []\n", FileId(0)).unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.starts_with("a second YAML document"), "{}", e.message);
    assert!(!e.message.contains("from_str"), "no Rust API advice: {}", e.message);
}
