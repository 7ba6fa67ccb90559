//! Acceptance-style hunt, round 2: odd but valid content in the documents a
//! CSO signs, consumers of the machine formats and of `clinsafe schema`.
//! Each test failed before the fix it comes with.

use std::path::Path;
use std::process::Command;

use super::{clinsafe, project, AS_OF};

/// Renders `dir` in `formats` into a new folder (exit 0 or 1).
fn render(dir: &Path, formats: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = clinsafe()
        .args(["render", "--as-of", AS_OF, "--format", formats, "--out"])
        .arg(out.path())
        .arg(dir)
        .output()
        .unwrap();
    assert!(o.status.code().unwrap() <= 1, "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// pdftotext's reading order of a PDF; .ci/run installs poppler-utils.
fn pdf_text(file: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(file)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is not installed ({e}); .ci/run installs poppler-utils"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A review outcome (Markdown, shown in a table cell) with a list, a heading
/// and a table: the PDF showed the list, the heading and the paragraphs before
/// them above the table, out of order, and the list items' markers on their own.
const REVIEW_OUTCOME: &str = r#"hazards:
  - id: HAZ-1
    title: Reply sent late
    initial_risk: { severity: minor, likelihood: low }
    controls: [CTL-1]
    reviews:
      - date: 2026-01-01
        by: Dr A
        outcome: |
          Opening alpha.

          - bullet beta
          - bullet gamma

          ### Heading delta

          | col epsilon | col zeta |
          |---|---|
          | cell eta | cell theta |

          Closing iota.
controls:
  - { id: CTL-1, title: Duty rota, type: business-process, status: implemented }
"#;

#[test]
#[ignore = "needs poppler-utils; run by .ci/run"]
fn markdown_blocks_in_a_table_cell_stay_in_the_cell_in_order_in_the_pdf() {
    let dir = project(&[("h.yaml", REVIEW_OUTCOME)]);
    let out = render(dir.path(), "pdf");
    let text = pdf_text(&out.path().join("hazard-log.pdf"));
    let history = &text[text.find("Review history").expect("the review table")..];
    let words = [
        "Outcome",
        "2026-01-01",
        "Opening alpha.",
        "• bullet beta",
        "• bullet gamma",
        "Heading delta",
        "col epsilon | col zeta",
        "cell eta | cell theta",
        "Closing iota.",
        "not re-rated",
    ];
    let mut at = 0;
    for w in words {
        let found =
            history[at..].find(w).unwrap_or_else(|| panic!("`{w}` missing or out of order in:\n{history}"));
        at += found + w.len();
    }
}
