//! The event builder against serde-saphyr's deserializer: whenever the builder
//! answers, serde-saphyr gives the same tree (kinds, values, the text written
//! and every place); whenever serde-saphyr refuses a file, the builder leaves
//! it to serde-saphyr, so every error keeps its words and place.

use proptest::prelude::*;

use super::*;
use crate::load::node::{parse, parse_with_serde_saphyr};

/// Both readings of `text`; true when the builder answered.
fn same(text: &str) -> bool {
    let old = parse_with_serde_saphyr(text, FileId(3));
    match build(text, FileId(3)) {
        Some(tree) => {
            let old =
                old.unwrap_or_else(|e| panic!("serde-saphyr refuses what the builder read: {e:?}\n{text}"));
            // Debug text, so NaN equals NaN.
            assert_eq!(format!("{tree:?}"), format!("{old:?}"), "different trees for:\n{text}");
            true
        }
        None => false,
    }
}

#[test]
fn every_fixture_file_gives_the_same_tree_from_the_builder() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    crate::testutil::yaml_files(&root.join("examples"), &mut files);
    crate::testutil::yaml_files(&root.join("tests"), &mut files);
    assert!(files.len() >= 10, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(same(&text), "the builder left a plain fixture to serde-saphyr: {}", file.display());
    }
}

/// Spellings whose kind depends on the resolver's every rule.
const SCALARS: &[&str] = &[
    "4.10",
    "1.0",
    "007",
    "-007",
    "+7",
    "-0",
    "0",
    "00",
    "1_000",
    "1__0",
    "_1",
    "1_",
    "0x1F",
    "0X1F",
    "0o17",
    "0O17",
    "0b101",
    "0B1",
    "0x",
    "-0x10",
    "+0x10",
    "0xG",
    "0o8",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "1e5",
    "1E-3",
    "1e999",
    "-1e999",
    ".5",
    "5.",
    "+.5",
    "-.5",
    ".",
    "+",
    "-",
    "e5",
    ".inf",
    ".Inf",
    ".INF",
    "-.inf",
    "+.inf",
    ".nan",
    ".NaN",
    ".NAN",
    "-.nan",
    "+.nan",
    "inf",
    "-inf",
    "nan",
    "NaN",
    "infinity",
    "true",
    "True",
    "TRUE",
    "tRuE",
    "false",
    "yes",
    "Yes",
    "no",
    "NO",
    "y",
    "Y",
    "n",
    "N",
    "on",
    "On",
    "off",
    "OFF",
    "null",
    "Null",
    "NULL",
    "nUll",
    "~",
    "",
    "hello",
    "two words",
    "a:b",
    "12:30",
    "2026-11-25",
    "1.2.3",
    "v1",
    "0.1e",
    "1,000",
    "é",
    "1 ",
    "<<",
    "-1_0",
    "0_1",
    "0x_1",
    "1.5_0",
];

#[test]
fn every_scalar_spelling_resolves_as_serde_saphyr_resolves_it() {
    for s in SCALARS {
        for text in [
            format!("k: {s}\n"),
            format!("- {s}\n"),
            format!("{s}: v\n"),
            format!("k: [{s}]\n"),
            format!("{s}\n"),
        ] {
            same(&text);
        }
        assert!(same(&format!("k: '{s}'\n")) && same(&format!("k: \"{s}\"\n")));
    }
}

#[test]
fn layouts_give_the_same_tree() {
    let cases = [
        "",
        "# only a comment\n",
        "---\n",
        "---\n...\n",
        "~\n",
        "null\n",
        "just text\n",
        "- a\n- b\n",
        "[]\n",
        "{}\n",
        "a:\nb: ~\nc: ''\n",
        "a: {x: 1, y: [1, 2, {z: 3}]}\n",
        "a: >\n  folded\n  text\n\nb: |\n  literal\n   kept\n",
        "a: |-\n  x\nb: >+\n  y\n\n",
        "a: plain\n  over two lines\n",
        "a: \"esc \\u00e9 \\n \\t\"\n",
        "a: 'it''s'\n",
        "\u{feff}a: 1\n",
        "a: 1\r\nb:\r\n  - x\r\n",
        "hazards:\n  - id: H-1\n    title: Wrong patient\n    causes:\n      - text: x\n",
        "? a\n: 1\n",
        "a: 1 # comment\n# between\nb: 2\n",
        "%YAML 1.2\n---\na: 1\n",
        "é: ü\n",
        "k1: 1\nk2: 2\nk3: 3\nk4: 4\nk5: 5\nk6: 6\nk7: 7\nk8: 8\nk9: 9\nk10: 10\nk11: 11\nk12: 12\nk13: 13\nk14: 14\nk15: 15\nk16: 16\nk17: 17\nk18: 18\n",
    ];
    for text in cases {
        assert!(same(text), "left to serde-saphyr: {text:?}");
    }
}

/// What the builder leaves to serde-saphyr: its answer (tree or error) is the answer.
#[test]
fn anchors_tags_merges_duplicates_and_errors_are_left_to_serde_saphyr() {
    let cases = [
        "a: &x 1\nb: *x\n",
        "a: &x 1\n",
        "base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n",
        "a: !!str 1\n",
        "a: !custom x\n",
        "a: 1\nb: 2\na: 3\n",
        "a: 1\n'a': 2\n",
        "1: a\n0x1: b\n",
        "1: a\n2: b\n",
        "~: a\n",
        "[a]: b\n",
        "a: 1\n---\nb: 2\n",
        "a: [1, 2\n",
        "a:\n\t- x\n",
        "a: 'open\n",
        "- a\nb: c\n",
    ];
    for text in cases {
        assert!(!same(text), "the builder read {text:?}");
        // The file's answer is serde-saphyr's, error words and place included.
        assert_eq!(
            format!("{:?}", parse(text, FileId(3))),
            format!("{:?}", parse_with_serde_saphyr(text, FileId(3)))
        );
    }
}

#[test]
fn budgets_are_left_to_serde_saphyr() {
    let deep = format!("a: {}", "[".repeat(100_000));
    assert!(build(&deep, FileId(0)).is_none());
    let nested_64 = format!("{}x{}", "[".repeat(64), "]".repeat(64));
    assert!(build(&nested_64, FileId(0)).is_none());
    let nested_62 = format!("{}x{}", "[".repeat(62), "]".repeat(62));
    // serde-saphyr recurses per level: the loader's parsing threads have a large stack too.
    let worker = std::thread::Builder::new().stack_size(64 << 20);
    assert!(worker.spawn(move || same(&nested_62)).unwrap().join().unwrap());
}

/// A YAML value drawn from a small grammar, written in block or flow style.
#[derive(Debug, Clone)]
enum Value {
    Scalar(String),
    Seq(Vec<Value>),
    Map(Vec<(String, Value)>),
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(SCALARS).prop_map(str::to_string),
        2 => "[a-zA-Z0-9 ._:+-]{0,8}",
        1 => "[0-9]{1,25}",
        1 => proptest::sample::select(SCALARS).prop_map(|s| format!("'{s}'")),
        1 => proptest::sample::select(SCALARS).prop_map(|s| format!("\"{s}\"")),
        1 => Just("&a x".to_string()),
        1 => Just("*a".to_string()),
        1 => Just("!!str 5".to_string()),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_map(Value::Scalar).prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Seq),
            proptest::collection::vec((scalar(), inner), 0..5).prop_map(Value::Map),
        ]
    })
}

fn flow(v: &Value, out: &mut String) {
    match v {
        Value::Scalar(s) => out.push_str(s),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow(item, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push_str(": ");
                flow(item, out);
            }
            out.push('}');
        }
    }
}

fn block(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Seq(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                nested(item, indent + 2, out);
            }
        }
        Value::Map(entries) if !entries.is_empty() => {
            for (k, item) in entries {
                out.push_str(&format!("{pad}{k}:"));
                nested(item, indent + 2, out);
            }
        }
        _ => {
            out.push_str(&pad);
            flow(v, out);
            out.push('\n');
        }
    }
}

/// A value after `key:` or `-`: on the same line when it is a scalar or empty.
fn nested(v: &Value, indent: usize, out: &mut String) {
    let inline = match v {
        Value::Scalar(_) => true,
        Value::Seq(items) => items.is_empty(),
        Value::Map(entries) => entries.is_empty(),
    };
    if inline {
        out.push(' ');
        flow(v, out);
        out.push('\n');
    } else {
        out.push('\n');
        block(v, indent, out);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn generated_yaml_gives_the_same_tree(v in value(), use_flow in any::<bool>()) {
        let mut text = String::new();
        if use_flow { flow(&v, &mut text); text.push('\n'); } else { block(&v, 0, &mut text); }
        same(&text);
    }

    /// Fixture text with a few characters changed: mostly broken YAML, which
    /// the builder must leave to serde-saphyr, or read as serde-saphyr does.
    #[test]
    fn edited_fixture_text_gives_the_same_tree_or_is_left(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0..4usize, proptest::sample::select(&[
            "", " ", "  ", "\t", "\n", ":", "- ", "-", "[", "]", "{", "}", ",", "'", "\"", "#", "&a ", "*a", "!", "|",
            ">", "?", "~", "1", "0x", ".inf", "yes", "<<: ", "\r\n", "é",
        ][..])), 1..4),
        which in any::<prop::sample::Index>(),
    ) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
        let mut files = Vec::new();
        crate::testutil::yaml_files(&root, &mut files);
        files.sort();
        let mut text = std::fs::read_to_string(which.get(&files)).unwrap();
        crate::testutil::apply_edits(&mut text, &edits);
        same(&text);
    }
}
