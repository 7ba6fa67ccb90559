//! The monthly governance pack (issue 14 item 9): which month it reports,
//! that it uses nothing dated after that month, and what the meeting sees.

use std::path::Path;

use super::{clinsafe, project, rendered, section};

const ITEMS: &str = r#"
hazards:
  - { id: HAZ-1, title: Late reply, owner: Ann, review_by: 2026-12-01, controls: [CTL-1],
      initial_risk: { severity: major, likelihood: medium }, residual_risk: { severity: major, likelihood: low }, justification: ok }
  - { id: HAZ-2, title: Far review, owner: Ann, review_by: 2027-06-01, controls: [CTL-1],
      initial_risk: { severity: minor, likelihood: low } }
controls:
  - { id: CTL-1, title: Response standard, type: business-process, status: implemented, owner: Bob, every: 3 months, last_done: 2026-09-01 }
  - { id: CTL-2, title: Later training, type: training, status: planned, due: 2027-05-01, owner: Bob, mitigates: [HAZ-2] }
actions:
  - { id: ACT-1, title: Name deputies, owner: Cy, due: 2026-11-01 }
  - { id: ACT-2, title: Done already, owner: Cy, due: 2026-10-01, status: done, done_on: 2026-10-01 }
metrics:
  - { id: MET-1, title: Response time, unit: hours, better: lower, threshold: 24, monitors: [CTL-1], data: data/met-1.csv }
"#;

/// The pack rendered as of `as_of` (with more arguments).
fn pack(dir: &Path, as_of: &str, extra: &[&str]) -> String {
    rendered(dir, as_of, extra, "monitoring.html")
}

fn month_project() -> tempfile::TempDir {
    project(&[
        ("items.yaml", ITEMS),
        (
            "data/met-1.csv",
            "date,value,note\n2026-09-30,10,\n2026-10-15,12,\"rota gap, covered by locum\"\n2026-10-31,11,\n2026-11-10,30,November spike\n",
        ),
    ])
}

#[test]
fn by_default_the_pack_reports_the_last_complete_month() {
    let dir = month_project();
    assert!(pack(dir.path(), "2026-11-25", &[]).contains("October 2026 (2026-10-01 to 2026-10-31)"));
    // The last day of a month is not yet a complete month.
    assert!(pack(dir.path(), "2026-11-30", &[]).contains("October 2026 (2026-10-01 to 2026-10-31)"));
    assert!(pack(dir.path(), "2026-12-01", &[]).contains("November 2026 (2026-11-01 to 2026-11-30)"));
    // January: December of the year before.
    assert!(pack(dir.path(), "2027-01-15", &[]).contains("December 2026 (2026-12-01 to 2026-12-31)"));
    // --period still chooses.
    assert!(pack(dir.path(), "2026-11-25", &["--period", "2026-09"]).contains("September 2026"));
}

#[test]
fn no_observation_after_the_month_is_used() {
    let dir = month_project();
    let html = pack(dir.path(), "2026-11-25", &[]);
    // November's breach (30 hours on 2026-11-10) is after October: not in the pack at all.
    assert!(!html.contains("2026-11-10"), "a later observation leaked into the pack");
    assert!(!html.contains("November spike"));
    let summary = section(&html, "summary");
    assert!(summary.contains("11 hours (2026-10-31)"), "latest as of the month's end: {summary}");
    assert!(summary.contains(">ok</span>") && !summary.contains(">breach</span>"));
    assert!(section(&html, "breaches").contains("No observation in October 2026 passed"));
    // The chart too: its time axis ends in October.
    assert!(section(&html, "trends").contains(">2026-10-31</text>"));
    // The same observation does count where the case is judged as of today.
    let out = tempfile::tempdir().unwrap();
    clinsafe()
        .args(["render", "--as-of", "2026-11-25", "--format", "html", "--out"])
        .arg(out.path())
        .arg(dir.path())
        .assert()
        .code(0);
    let case = std::fs::read_to_string(out.path().join("safety-case.html")).unwrap();
    assert!(case.contains("effectiveness in doubt"), "the safety case sees November's breach");
}

#[test]
fn the_months_observations_show_their_csv_notes() {
    let dir = month_project();
    let obs = section(&pack(dir.path(), "2026-11-25", &[]), "observations").to_string();
    assert!(obs.contains("<td>rota gap, covered by locum</td>"), "{obs}");
    assert!(obs.contains("2026-10-31") && !obs.contains("2026-09-30"), "only October's rows");
    // `notes` is accepted as the column's name too; other columns are ignored.
    let dir = project(&[
        ("items.yaml", ITEMS),
        ("data/met-1.csv", "date,value,source,notes\n2026-10-31,11,rota,Checked by Ann\n"),
    ]);
    assert!(section(&pack(dir.path(), "2026-11-25", &[]), "observations").contains("<td>Checked by Ann</td>"));
}

#[test]
fn the_pack_lists_what_is_due_and_leaves_room_for_the_meeting() {
    let dir = month_project();
    let html = pack(dir.path(), "2026-11-25", &[]);
    let due = section(&html, "due");
    assert!(due.contains("Due for review by 2026-12-25"));
    // HAZ-1 is due within the month after the meeting; HAZ-2 not until June.
    assert!(due.contains("HAZ-1</a> Late reply") && !due.contains("HAZ-2"));
    // CTL-1 recurs every 3 months from 2026-09-01: next on 2026-12-01. CTL-2 is due in May.
    assert!(due.contains("CTL-1</a> Response standard") && due.contains("2026-12-01"));
    assert!(!due.contains("CTL-2"));
    let forward = section(&html, "actions-forward");
    assert!(forward.contains("ACT-1 Name deputies") && forward.contains("overdue"));
    assert!(!forward.contains("ACT-2"), "a done action is not brought forward");
    assert!(section(&html, "incidents").contains("No incident recorded in October 2026"));
    let meeting = section(&html, "meeting");
    assert!(meeting.contains("Attendees") && meeting.contains("Decisions"));
}

#[test]
fn an_inline_observation_note_is_shown_too() {
    let items = ITEMS.replace(
        "data: data/met-1.csv }",
        "observations: [{ date: 2026-10-31, value: 11, note: Rota gap covered }] }",
    );
    let dir = project(&[("items.yaml", &items)]);
    assert!(
        section(&pack(dir.path(), "2026-11-25", &[]), "observations").contains("<td>Rota gap covered</td>")
    );
}
