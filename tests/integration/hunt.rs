//! What an acceptance checker would try: files as Windows editors and Excel
//! save them, messages read by people.

use super::{check_human, project, write};

/// A CRLF file's quoted line shows as the user wrote it, without a '␍'.
#[test]
fn crlf_lines_are_quoted_without_a_carriage_return_mark() {
    let dir = project(&[]);
    write(dir.path(), "h.yaml", b"hazards:\r\n  - id: HAZ-1\r\n    title: Wrong patient\r\n");
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("2 |   - id: HAZ-1\n"), "{err}");
    assert!(!err.contains('\u{240d}'), "{err}");
}

/// A metric's CSV saved by Excel (CRLF): each bad row is located on its own line.
#[test]
fn crlf_metric_data_rows_are_located_on_their_own_line() {
    let dir =
        project(&[("m.yaml", "metrics:\n  - { id: MET-1, title: Waits, better: lower, data: waits.csv }\n")]);
    write(dir.path(), "waits.csv", b"date,value\r\n2026-01-31,14\r\n2026-02-30,3\r\n");
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--> waits.csv:3:1\n"), "{err}");
    assert!(err.contains("3 | 2026-02-30,3\n"), "{err}");
}

#[test]
fn missing_sign_off_names_what_is_missing_in_plain_words() {
    let dir = project(&[(
        "clinsafe.yaml",
        "clinsafe: 1\nsystem: { name: S }\ndocument: { id: DOC-1, version: \"1\", status: issued }\nsafety_statement: Fine.\n",
    )]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("document DOC-1 is issued but has no `clinical_safety_officer` and no `approvals`"),
        "{err}"
    );
}
