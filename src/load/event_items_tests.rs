//! The event reader against the tree path: whenever it answers, the tree path
//! reads the same items (every value and every place) and finds nothing wrong;
//! whenever the tree path would find something wrong, it has deferred.

use proptest::prelude::*;

use super::*;
use crate::load::{file_items, node};

fn tree(text: &str) -> FileItems {
    file_items::read(FileId(3), text, false, node::parse(text, FileId(3)))
}

/// Both readings of `text`; true when the event reader answered.
fn same(text: &str) -> bool {
    match read(FileId(3), text) {
        Ok(fast) => {
            let slow = tree(text);
            assert!(
                slow.errors.is_empty(),
                "the tree path finds {:?} in what was read:\n{text}",
                slow.errors
            );
            // Debug text, so NaN equals NaN.
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "different items for:\n{text}");
            true
        }
        Err(Defer) => false,
    }
}

fn example_item_files() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
    let mut files = Vec::new();
    crate::testutil::yaml_files(&root, &mut files);
    files.retain(|f| !f.ends_with("clinsafe.yaml") && !f.ends_with("dpia.yaml"));
    files.sort();
    files
}

#[test]
fn every_fixture_file_reads_the_same_or_is_left_to_the_tree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    crate::testutil::yaml_files(&root.join("examples"), &mut files);
    crate::testutil::yaml_files(&root.join("tests"), &mut files);
    assert!(files.len() >= 10, "{files:?}");
    let read = files.iter().filter(|f| same(&std::fs::read_to_string(f).unwrap())).count();
    assert!(read >= 5, "only {read} fixture files read from the events");
}

#[test]
fn the_example_item_files_are_read_from_the_events() {
    let files = example_item_files();
    assert!(files.len() >= 7, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(same(&text), "left to the tree: {}", file.display());
    }
}

#[test]
fn every_way_of_writing_a_value_reads_as_the_tree_reads_it() {
    let cases = [
        "hazards:\n  - id: H-1\n    title: A\n",
        "hazards:\n",
        "hazards: []\ncontrols: []\n",
        "---\nhazards:\n  - {id: H-1, title: 'It''s', tags: [a, \"b\\tc\"]}\n...\n",
        // Text fields written as numbers, booleans, folded and block scalars.
        "hazards:\n  - id: 0x1F\n    title: yes\n    owner: 4.10\n    category: ~\n    harm: |\n      two\n      lines\n    description: >\n      folded\n      text\n",
        "hazards:\n  - id: H-1\n    title: a plain\n      scalar over lines\n    causes:\n      - text\n      - id: C-1\n        text: mapped\n        controls: [CTL-1]\n      - 12\n",
        "hazards:\n  - id: H-1\n    title: T\n    controls:\n    effects: []\n    initial_risk: { severity: major, likelihood: TBC, rating: 3 }\n    residual_risk:\n    status: open\n    review_by: 2026-01-02\n    review_every: 6 months\n",
        "controls:\n  - id: C-1\n    title: T\n    type: training\n    status: verified\n    evidence:\n      - ref: E1\n        date: 2026-01-01\n",
        "metrics:\n  - id: M-1\n    title: T\n    better: lower\n    threshold: 5\n    warn: 2.5\n    worsening_after: 4\n    observations:\n      - { date: 2026-01-01, value: 1 }\n      - { date: 2026-02-01, value: .inf }\n",
        "actions:\n  - id: A-1\n    title: T\n    status: done\n    done_on: 2026-01-01\nincidents:\n  - id: I-1\n    date: 2026-01-01\n    title: T\n    harm: low\n",
    ];
    for text in cases {
        assert!(same(text), "left to the tree:\n{text}");
    }
}

/// Items as bench/generate.py writes them (the large projects `check` is timed on).
const GENERATED: &str = r#"# Hazards HAZ-000001 to HAZ-001000.
hazards:
  - id: HAZ-000001
    title: "Test result read by an unauthorised user (1)"
    description: |
      A test result is read by an unauthorised user,
      so the care team works from the wrong picture of the patient.
    causes:
      - "Manual workaround during planned downtime"
    effects:
      - "Duplicate or contradictory entries in the record"
    harm: "Delayed diagnosis or treatment, which in the worst case could lead to serious harm."
    tags: [record-keeping, clinical]
    initial_risk: { severity: minor, likelihood: medium, rating: 2 }
    residual_risk: { severity: minor, likelihood: very-low }
    controls: [CTL-000001, CTL-000002]
    owner: Reception lead
    status: open
    review_by: 2027-06-30
    references: ["Supplier CSCR v2 section 1"]

controls:
  - id: CTL-000001
    title: "Daily worklist review of appointment (1)"
    type: design
    mitigates: [HAZ-000001, HAZ-000119]
    status: verified
    evidence:
      - { ref: "Test report TR-1", date: 2026-01-01 }

metrics:
  - id: MET-0001
    title: "Metric 1 for care plan"
    unit: messages per month
    better: lower
    threshold: 100
    warn: 80
    monitors: [CTL-000001, CTL-000002, CTL-000003]
    stale_after: 45 days
    worsening_after: 3
    observations:
      - { date: 2024-11-30, value: 38.5 }
      - { date: 2024-12-31, value: 41 }
"#;

#[test]
fn generated_items_are_read_from_the_events() {
    assert!(same(GENERATED));
}

#[test]
fn anything_the_tree_would_report_or_leave_to_serde_saphyr_is_left_to_the_tree() {
    let cases = [
        "",
        "# only a comment\n",
        "~\n",
        "- a\n",
        "hazards: 3\n",
        "hazards:\n  - id: H-1\n    titel: A\n",
        "hazards:\n  - id: H-1\n",
        "hazards:\n  - id: H-1\n    title: A\n    title: B\n",
        "hazards: []\nhazards: []\n",
        "hazards:\n  - id: &a H-1\n    title: *a\n",
        "hazards:\n  - id: !!str H-1\n    title: A\n",
        "hazards:\n  - id: H-1\n    title: A\n---\nhazards: []\n",
        "hazards:\n  - id: H-1\n    title: A\n    status: opne\n",
        "hazards:\n  - id: [H-1]\n    title: A\n",
        "hazards:\n  - id: H-1\n    title: A\n    controls: [~]\n",
        "hazards:\n  - id: H-1\n    title: A\n    initial_risk: { rating: 1.5 }\n",
        "hazards:\n  - id: H-1\n    title: A\n  bad indent: [\n",
        "system: x\n",
        "dpia:\n  title: x\n",
        "hazards:\n  - id: H-1\n    title: A\n    <<: {owner: x}\n",
        "controls:\n  - id: C-1\n    title: T\n    type: training\n    status: verified\n    due: 2026-13-01\n",
    ];
    for text in cases {
        assert_eq!(read(FileId(3), text).err(), Some(Defer), "read from the events:\n{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(800))]

    /// An example item file with a few characters changed: broken YAML, a
    /// wrong or unknown key, a value of another kind, or still fine.
    #[test]
    fn edited_item_files_read_the_same_or_are_left_to_the_tree(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0..4usize, proptest::sample::select(&[
            "", " ", "  ", "\n", ":", "- ", "-", "[", "]", "{", "}", ",", "'", "\"", "#", "&a ", "*a", "!", "|",
            ">", "~", "1", "0x", ".inf", "yes", "<<: ", "é", "TBC", "x", "\n    owner: o\n", "\n    notes: [n]\n",
            "\n  - id: N-1\n    title: t\n", "null", "[]", "{}", "2026-01-01", "3 months",
        ][..])), 1..4),
        which in any::<prop::sample::Index>(),
    ) {
        let files = example_item_files();
        let mut text = std::fs::read_to_string(which.get(&files)).unwrap();
        crate::testutil::apply_edits(&mut text, &edits);
        same(&text);
    }
}
