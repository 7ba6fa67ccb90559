//! Acceptance-style hunt, round 2: odd but valid content (Markdown of every
//! kind, long words, RTL/CJK/emoji) in every document a CSO signs, in every
//! format; see also hunt2_fields and hunt2_config.
//! Each test failed before the fix it comes with.

use std::path::Path;
use std::process::Command;

use super::{clinsafe, project, AS_OF};

/// Renders `dir` in `formats` into a new folder (exit 0 or 1).
pub fn render(dir: &Path, formats: &str) -> tempfile::TempDir {
    render_saying(dir, formats).0
}

/// [`render`], and what it said on stderr.
fn render_saying(dir: &Path, formats: &str) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let o = clinsafe()
        .args(["render", "--as-of", AS_OF, "--format", formats, "--out"])
        .arg(out.path())
        .arg(dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.code().unwrap() <= 1, "{err}");
    (out, err)
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

/// Markdown a user may write in any (md) field: headings of every level and
/// in odd orders, raw HTML, nested lists, a table, an image, a footnote, a
/// task list, a code block, very long words and addresses, RTL/CJK/emoji.
pub const TORTURE: &str = r#"###### Deepest first
# Top heading
## Second heading
##### Fifth heading
### Third heading

Raw <b>bold</b>, <script>alert(1)</script> and <!-- a comment --> stay text.

<div class="x">block html</div>

1. first
   - nested a
     - nested deeper `code`
       1. deepest
2. second

| col A | col B |
|:--|--:|
| a1 | b1 **bold** |

![Triage flow chart](diagram.png) and a footnote[^1].

[^1]: The footnote text.

Supercalifragilisticexpialidociousantidisestablishmentarianismpneumonoultramicroscopic
https://example.org/a/very/long/path/that/keeps/going/and/going/without/any/break/at/all?q=1&x=2

> quoted
> - [ ] task open
> - [x] task done

```
fenced code with a long line ---------------------------------------------------------------------------------------------------------------------
```

~~struck~~ hard  
break

---
مرحبا עברית 😀 end of torture"#;

/// `TORTURE` as a YAML block scalar indented by `indent` spaces.
fn block(indent: usize) -> String {
    let pad = " ".repeat(indent);
    let body: Vec<String> =
        TORTURE.lines().map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") }).collect();
    format!("|\n{}", body.join("\n"))
}

/// A project with `TORTURE` in every Markdown field the documents show, each
/// document rendered (a DPIA, a metric and an incident in the pack's month).
pub fn torture_project() -> tempfile::TempDir {
    let manifest = format!(
        "clinsafe: 1\nsystem:\n  name: Torture\n  description: {}\ndocument: {{ id: DOC-1, version: \"1\" }}\nsafety_statement: {}\n",
        block(4),
        block(2)
    );
    let items = format!(
        r#"hazards:
  - id: HAZ-1
    title: "عنوان 危险 😀 title"
    description: {d}
    harm: {d}
    justification: {d}
    initial_risk: {{ severity: minor, likelihood: low }}
    controls: [CTL-1]
    reviews:
      - date: 2026-10-01
        by: Dr A
        outcome: {e}
controls:
  - id: CTL-1
    title: Duty rota
    type: business-process
    status: implemented
    description: {d}
metrics:
  - {{ id: MET-1, title: Replies, better: lower, threshold: 5, monitors: [CTL-1], observations: [{{ date: 2026-10-31, value: 3 }}] }}
incidents:
  - id: INC-1
    date: 2026-10-14
    title: Linked
    hazards: [HAZ-1]
    learning: {d}
  - id: INC-2
    date: 2026-10-15
    title: Not linked
    learning: {d}
dpia:
  title: Torture DPIA
  need: {c}
  processing: {{ nature: {c2}, scope: {c2}, context: {c2}, purposes: {c2} }}
  consultation: {c}
  necessity: {c}
  dpo_advice: {c}
  risks:
    - {{ id: DPR-1, title: Risk, likelihood: remote, severity: minimal, controls: [CTL-1], residual: {{ likelihood: remote, severity: minimal }} }}
"#,
        d = block(6),
        e = block(10),
        c = block(4),
        c2 = "\"# Heading\\n\\n###### Deep\\n\\ntext\"",
    );
    project(&[("clinsafe.yaml", &manifest), ("items.yaml", &items)])
}

/// The heading levels of a page, in order.
fn heading_levels(html: &str) -> Vec<u8> {
    let bytes = html.as_bytes();
    html.match_indices("<h")
        .filter_map(|(i, _)| {
            let level = *bytes.get(i + 2)?;
            let after = *bytes.get(i + 3)?;
            ((b'1'..=b'6').contains(&level) && (after == b'>' || after == b' ')).then_some(level - b'0')
        })
        .collect()
}

#[test]
fn markdown_headings_never_skip_a_level_in_any_document() {
    let dir = torture_project();
    let out = render(dir.path(), "html");
    let mut pages = 0;
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(&path).unwrap();
        let levels = heading_levels(&html);
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{}: h{} then h{}: {levels:?}", path.display(), pair[0], pair[1]);
        }
        if !path.ends_with("checklist.html") {
            assert!(html.contains("Deepest first"), "{}", path.display());
        }
    }
    assert_eq!(pages, 5);
}

/// An image in a Markdown field is not fetched; its alt text (the author's
/// description of the picture) was dropped with it, now it stays.
#[test]
fn an_images_alt_text_is_kept_with_its_address() {
    let dir = torture_project();
    let log = super::rendered(dir.path(), AS_OF, &[], "hazard-log.html");
    assert!(log.contains("Triage flow chart [image: diagram.png]"), "alt text lost");
    assert!(!log.contains("<img"));
}

/// Excel holds at most 32,767 characters in a cell, and rust_xlsxwriter
/// refuses the whole workbook past it: one long description (a pasted SOP)
/// made `render --format xlsx` write nothing at all (exit 2, naming no
/// field). The cell is now cut there, says so in itself, and render warns
/// which cell it was.
#[test]
fn a_text_longer_than_an_excel_cell_is_cut_with_a_note_not_a_failed_render() {
    let long = "word ".repeat(8000) + "END";
    let items = format!(
        "hazards:\n  - {{ id: HAZ-1, title: Long, description: \"{long}\", initial_risk: {{ severity: minor, likelihood: low }}, controls: [CTL-1] }}\ncontrols:\n  - {{ id: CTL-1, title: c, type: design, status: implemented }}\n"
    );
    let dir = project(&[("h.yaml", &items)]);
    let (out, err) = render_saying(dir.path(), "xlsx,html");
    assert!(err.contains("hazard-log.xlsx") && err.contains("32,767"), "{err}");
    let book = std::fs::File::open(out.path().join("hazard-log.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(book).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/sharedStrings.xml").unwrap(), &mut strings).unwrap();
    assert!(
        strings.contains("word word") && strings.contains("the full text is in hazard-log.html"),
        "the cut is marked"
    );
    assert!(!strings.contains("END"), "the text is cut");
    assert!(
        std::fs::read_to_string(out.path().join("hazard-log.html")).unwrap().contains("END"),
        "the HTML has it all"
    );
}

/// Long words and addresses (a pasted URL, a drug name run together) wrap
/// inside the page instead of pushing it wider than the window, in the
/// body and in table cells (a review's outcome).
#[test]
#[ignore = "needs Chromium; run by .ci/run"]
fn long_words_and_addresses_do_not_widen_the_page() {
    let dir = torture_project();
    let out = render(dir.path(), "html");
    let mut browser = super::browser::Browser::open("about:blank");
    for doc in ["hazard-log.html", "safety-case.html", "dpia.html", "monitoring.html"] {
        browser.goto(&format!("file://{}", out.path().join(doc).display()));
        let widths =
            browser.eval("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        let (page, window) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
        let wide = browser.eval("Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !Array.from(e.children).some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1)).slice(0, 8).map(e => e.tagName + ' ' + e.textContent.slice(0, 60))");
        assert!(page <= window, "{doc}: the page is {page}px wide in a {window}px window: {wide}");
    }
}

/// Runs a checker .ci/run installs (on PATH there); its output, having
/// asserted it succeeded.
fn checker(name: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{name} is not installed ({e}); .ci/run installs it"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{name} on {}: {text}", file.display());
    text
}

/// Markdown of every kind in every field, rendered to every format: the same
/// bytes twice, each PDF valid (qpdf) and PDF/UA-clean (pdfua), and the hazard
/// log's PDF text holds the field's content in the order the YAML has it.
#[test]
#[ignore = "needs poppler-utils, qpdf and pdfua; run by .ci/run"]
fn every_format_of_a_markdown_torture_project_is_valid_whole_and_reproducible() {
    let dir = torture_project();
    let (a, b) = (render(dir.path(), "html,pdf,xlsx"), render(dir.path(), "html,pdf,xlsx"));
    let mut names: Vec<String> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    assert_eq!(names.len(), 11, "{names:?}");
    for name in &names {
        let (x, y) =
            (std::fs::read(a.path().join(name)).unwrap(), std::fs::read(b.path().join(name)).unwrap());
        assert!(x == y, "{name} differs between two renders");
        if name.ends_with(".pdf") {
            checker("qpdf", &["--check"], &a.path().join(name));
            checker("pdfua", &["check"], &a.path().join(name));
        }
    }
    let text = pdf_text(&a.path().join("hazard-log.pdf"));
    let description = &text[text.find("Description").expect("the description")..];
    let mut at = 0;
    for w in [
        "Deepest first",
        "Top heading",
        "Raw <b>bold</b>, <script>alert(1)</script>",
        "first",
        "nested deeper code",
        "deepest",
        "second",
        "a1",
        "Triage flow chart [image: diagram.png]",
        "The footnote text.",
        "quoted",
        "☐ task open",
        "☑ task done",
        "fenced code with a long line",
        "struck hard",
        "end of torture",
    ] {
        let found = description[at..].find(w).unwrap_or_else(|| panic!("`{w}` missing or out of order"));
        at += found + w.len();
    }
}
