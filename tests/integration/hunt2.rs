//! Acceptance-style hunt, round 2: odd but valid content in the documents a
//! CSO signs, consumers of the machine formats and of `clinsafe schema`.
//! Each test failed before the fix it comes with.

use std::path::Path;
use std::process::Command;

use super::since::git;
use super::{clinsafe, project, AS_OF};

/// Renders `dir` in `formats` into a new folder (exit 0 or 1).
fn render(dir: &Path, formats: &str) -> tempfile::TempDir {
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

/// A page's text as a reader sees it: tags out, entities and bidi isolates
/// resolved, Markdown punctuation and runs of white space as one space.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        text.push(' ');
        let tag = &rest[i..];
        let end = if tag.starts_with("<style") {
            tag.find("</style>").map_or(tag.len(), |e| e + 8)
        } else {
            tag.find('>').map_or(tag.len(), |e| e + 1)
        };
        rest = &tag[end..];
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    words(&text)
}

fn words(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| !('\u{2066}'..='\u{2069}').contains(c))
        .map(|c| if "*_`#>|[]-".contains(c) { ' ' } else { c })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every text value under `value`, with its key path (`controls.description`).
fn texts(value: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::String(s) => out.push((path.to_string(), s.clone())),
        serde_json::Value::Array(items) => items.iter().for_each(|v| texts(v, path, out)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                texts(v, &if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, out);
            }
        }
        _ => {}
    }
}

/// What the example's YAML says, the documents show: every text value of
/// every file (its first words, Markdown and all) is in some HTML document.
/// Controls' descriptions and references and evidence descriptions were in
/// none of them.
#[test]
fn every_text_of_the_example_is_in_some_document() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
    let out = render(&example, "html");
    let shown: String = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| visible_text(&std::fs::read_to_string(p).unwrap()))
        .collect::<Vec<_>>()
        .join("\n");
    // Written differently in the documents: a metric's data file is where its
    // observations come from, periods are shown in words ("every 1 month").
    let elsewhere = ["metrics.data", "metrics.stale_after", "controls.every"];
    let mut missing = Vec::new();
    let mut files = vec![example.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let value: serde_json::Value =
            serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut found = Vec::new();
        texts(&value, "", &mut found);
        for (key, text) in found {
            let start: String = words(&text).chars().take(40).collect();
            if !elsewhere.contains(&key.as_str()) && !start.is_empty() && !shown.contains(&start) {
                missing.push(format!("{}: {key}: {start}", path.display()));
            }
        }
    }
    assert!(missing.is_empty(), "in no document:\n{}", missing.join("\n"));
}

/// A YAML file as an editor's schema checker sees it (an empty or
/// comment-only file is null).
fn yaml_value(text: &str) -> serde_json::Value {
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return serde_json::Value::Null;
    }
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// `clinsafe schema` and `clinsafe check` agree on the shape of a file: the
/// schema accepts every file of a project `check` reads (text written as a
/// number, an empty list or file, `tbc`) and refuses what `check` refuses for
/// its shape alone (a rating of 15, an id with a space, `0 days`, format 2).
#[test]
fn the_schema_accepts_what_check_reads_and_refuses_wrong_shapes() {
    let out = clinsafe().arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    const M: &str = "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\n";
    let cases: &[(&str, &str, &str)] = &[
        // (what, manifest, other file)
        ("numbers as text", "clinsafe: 1\nsystem: { name: S, version: 4.2 }\norganisation: { name: O, ods_code: 12345 }\ndocument: { id: D, version: 1.0, history: [{ version: 1, date: 2026-01-01 }] }\n", "hazards: [{ id: 12, title: 2026 }]\n"),
        ("an empty file", M, ""),
        ("a comment-only file", M, "# hazards come later\n"),
        ("empty lists and mappings", &format!("{M}rules:\napprovals:\n"), "hazards:\n  - { id: H, title: t, causes:, controls: ~, initial_risk: }\ncontrols:\n"),
        ("tbc in lower case", M, "hazards: [{ id: H, title: t, initial_risk: { severity: tbc, likelihood: TBC } }]\n"),
    ];
    let refused: &[(&str, &str, &str)] = &[
        ("format version 2", "clinsafe: 2\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\n", ""),
        ("a rating of 15", M, "hazards: [{ id: H, title: t, initial_risk: { severity: major, likelihood: low, rating: 15 } }]\n"),
        ("an id with a space", M, "hazards: [{ id: HAZ 1, title: t }]\n"),
        ("an empty id", M, "controls: [{ id: \"\", title: t, type: design, status: planned }]\n"),
        ("a period of 0", M, "controls: [{ id: C, title: t, type: design, status: planned, every: 0 days }]\n"),
        ("worsening_after 0", M, "metrics: [{ id: M, title: t, better: lower, worsening_after: 0 }]\n"),
        ("max_residual_rating 4", &format!("{M}acceptance: {{ max_residual_rating: 4 }}\n"), ""),
    ];
    let schema_accepts = |manifest: &str, items: &str| {
        [manifest, items].iter().all(|text| validator.is_valid(&yaml_value(text)))
    };
    for (accepted, list) in [(true, cases), (false, refused)] {
        for (what, manifest, items) in list {
            let dir = project(&[("clinsafe.yaml", manifest), ("items.yaml", items)]);
            let code =
                clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap().status.code();
            assert_eq!(code != Some(2), accepted, "{what}: check exits {code:?}");
            assert_eq!(schema_accepts(manifest, items), accepted, "{what}: the schema disagrees with check");
        }
    }
}

/// A project outside the working directory (`clinsafe check ../safety-case`,
/// or an absolute path elsewhere): SARIF, GitHub and Code Quality paths were
/// written relative to the project, so they named `h.yaml` in the working
/// directory, a file that is not the one with the finding (or none at all).
#[test]
fn ci_paths_lead_to_the_file_when_the_project_is_outside_the_working_directory() {
    let top = tempfile::tempdir().unwrap();
    let project = top.path().join("safety-case");
    let cwd = top.path().join("app");
    std::fs::create_dir_all(&cwd).unwrap();
    super::write(&project, "clinsafe.yaml", super::MANIFEST.as_bytes());
    super::write(&project, "h.yaml", b"hazards:\n  - { id: HAZ-1, title: Not assessed }\n");
    for arg in [std::ffi::OsString::from("../safety-case"), project.clone().into_os_string()] {
        for (format, needle) in [
            ("github", "file=../safety-case/h.yaml,"),
            ("codequality", "\"path\": \"../safety-case/h.yaml\""),
            ("sarif", "\"uri\": \"../safety-case/h.yaml\""),
        ] {
            let out = clinsafe()
                .current_dir(&cwd)
                .args(["check", "--as-of", AS_OF, "--format", format])
                .arg(&arg)
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(text.contains(needle), "{format} for {arg:?}:\n{text}");
        }
    }
}

/// CI checks out one commit by default (GitHub's `actions/checkout`, GitLab's
/// shallow clones): `--since v1.0` then found no such revision and said only
/// that, though the tag exists; the message now says the clone is shallow
/// and how to fetch the history.
#[test]
#[ignore = "needs git; run by .ci/run"]
fn since_in_a_shallow_clone_says_the_history_is_missing() {
    let origin = tempfile::tempdir().unwrap();
    super::write(origin.path(), "case/clinsafe.yaml", super::MANIFEST.as_bytes());
    git(origin.path(), &["init", "-q"]);
    git(origin.path(), &["add", "-A"]);
    git(origin.path(), &["commit", "-q", "-m", "one"]);
    git(origin.path(), &["tag", "v1.0"]);
    super::write(origin.path(), "case/h.yaml", b"hazards: [{ id: HAZ-1, title: t }]\n");
    git(origin.path(), &["add", "-A"]);
    git(origin.path(), &["commit", "-q", "-m", "two"]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", "--no-tags", &url, "repo"]);
    let case = clone.path().join("repo/case");
    for rev in ["v1.0", "HEAD~1"] {
        let out = clinsafe().args(["diff", "--as-of", AS_OF, "--since", rev]).arg(&case).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("shallow")
                && err.contains("fetch-depth: 0")
                && err.contains("git fetch --unshallow --tags"),
            "{rev}: {err}"
        );
    }
}

/// A verified control whose only evidence has a blank `ref` passed as
/// verified, and the reports listed an empty piece of evidence: no false
/// assurance. A blank `ref` is refused like a missing one, at its place.
#[test]
fn evidence_with_a_blank_ref_is_not_evidence() {
    let dir = project(&[(
        "c.yaml",
        "controls:\n  - id: CTL-1\n    title: Checked\n    type: test\n    status: verified\n    evidence:\n      - { ref: \"  \", date: 2026-01-01 }\n",
    )]);
    let (code, err) = super::check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("c.yaml:7:") && err.contains("`ref`"), "{err}");
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

/// Fields the format takes that no document showed: a control's `notes`
/// (README: shown in the hazard log), the document's `notes` (an imported
/// cover sheet's extra cells) and the DPIA sign-off's `decision`, `version`
/// and `digest` ("approved with conditions" read as a plain sign-off).
#[test]
fn notes_and_the_dpia_sign_off_decision_are_shown() {
    let manifest =
        super::MANIFEST.replace("version: \"1\" }", "version: \"1\", notes: [\"Cover note kappa\"] }");
    let dir = project(&[
        ("clinsafe.yaml", &manifest),
        (
            "items.yaml",
            r#"hazards:
  - { id: HAZ-1, title: t, initial_risk: { severity: minor, likelihood: low }, controls: [CTL-1] }
controls:
  - { id: CTL-1, title: c, type: design, status: implemented, notes: ["Action column lambda"] }
dpia:
  title: D
  risks:
    - { id: DPR-1, title: r, likelihood: remote, severity: minimal, controls: [CTL-1], residual: { likelihood: remote, severity: minimal } }
  sign_off: { name: Dr B, role: DPO, date: 2026-01-01, decision: approved with conditions mu, version: "0.3" }
"#,
        ),
    ]);
    let log = super::rendered(dir.path(), AS_OF, &[], "hazard-log.html");
    assert!(log.contains("Action column lambda"), "control notes");
    let case = super::rendered(dir.path(), AS_OF, &[], "safety-case.html");
    assert!(case.contains("Cover note kappa"), "document notes");
    let dpia = super::rendered(dir.path(), AS_OF, &[], "dpia.html");
    assert!(
        dpia.contains("approved with conditions mu") && dpia.contains("0.3"),
        "DPIA sign-off decision and version"
    );
}

/// A value for every key the schema allows under `schema`: a marker text
/// (`MK7_hazards_harm`) where free text goes, the first choice of an enum,
/// a date, a period, one item in each list.
fn fill(defs: &serde_json::Value, schema: &serde_json::Value, path: &str, n: &mut u32) -> serde_json::Value {
    use serde_json::{json, Value};
    let mut s = schema;
    while let Some(r) = s.get("$ref").and_then(Value::as_str) {
        s = &defs[r.rsplit('/').next().unwrap()];
    }
    if let Some(options) = s.get("anyOf").and_then(Value::as_array) {
        let options: Vec<&Value> = options.iter().filter(|o| o.get("type") != Some(&json!("null"))).collect();
        // A mapping before a plain text (a cause as an item), a choice before free text.
        let pick = options
            .iter()
            .find(|o| o.get("$ref").is_some())
            .or_else(|| options.iter().find(|o| o.get("type") == Some(&json!("string"))))
            .unwrap_or(&options[0]);
        return fill(defs, pick, path, n);
    }
    if let Some(first) = s.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    let pattern = s.get("pattern").and_then(Value::as_str).unwrap_or_default();
    let types: Vec<&str> = match &s["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    match types.first().copied().unwrap_or("string") {
        _ if s.get("format") == Some(&json!("date")) => json!("2026-06-01"),
        _ if pattern.contains("day|week") => json!("3 months"),
        _ if pattern.contains("sha256") => json!(format!("sha256:{}", "0".repeat(64))),
        "object" => {
            let mut out = serde_json::Map::new();
            for (k, v) in s["properties"].as_object().into_iter().flatten() {
                out.insert(k.clone(), fill(defs, v, &format!("{path}_{k}"), n));
            }
            Value::Object(out)
        }
        "array" => json!([fill(defs, &s["items"], path, n)]),
        "integer" => s.get("minimum").cloned().unwrap_or(json!(1)),
        "number" => json!(1),
        "boolean" => json!(true),
        _ => {
            *n += 1;
            json!(format!("MK{n}{path}"))
        }
    }
}

/// Every text the format takes is in some document: a project with every key
/// the schema allows, each free text a marker, links pointing at each other.
/// A field the documents leave out must be named here, with why.
#[test]
fn every_text_field_the_schema_allows_is_in_some_document() {
    use serde_json::json;
    let out = clinsafe().arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut v = fill(&schema["$defs"], &schema, "", &mut 0);
    v["clinsafe"] = json!(1);
    v["rules"] = json!({});
    v["go_live_conditions"] = json!([]);
    v["document"]["status"] = json!("draft");
    let ids = [
        ("hazards", "HAZ-1"),
        ("controls", "CTL-1"),
        ("metrics", "MET-1"),
        ("actions", "ACT-1"),
        ("incidents", "INC-1"),
    ];
    for (list, id) in ids {
        v[list][0]["id"] = json!(id);
    }
    let h = &mut v["hazards"][0];
    h["controls"] = json!(["CTL-1"]);
    h["related"] = json!([]);
    h["incidents"] = json!(["INC-1"]);
    h["status"] = json!("open");
    h["causes"] =
        json!([{ "id": "HAZ-1-C1", "text": h["causes"][0]["text"], "controls": ["CTL-1"] }, "MKplain_cause"]);
    for key in ["transferred_to", "withdrawn_reason", "closed_on", "closed_by", "review_by"] {
        h.as_object_mut().unwrap().remove(key);
    }
    let c = &mut v["controls"][0];
    c["mitigates"] = json!(["HAZ-1", "DPR-1"]);
    c["monitored_by"] = json!(["MET-1"]);
    c["status"] = json!("implemented");
    c.as_object_mut().unwrap().remove("transferred_to");
    let m = &mut v["metrics"][0];
    m["monitors"] = json!(["CTL-1"]);
    m["better"] = json!("lower");
    for key in ["data", "from", "filter"] {
        m.as_object_mut().unwrap().remove(key);
    }
    v["actions"][0]["relates_to"] = json!(["HAZ-1"]);
    v["incidents"][0]["hazards"] = json!(["HAZ-1"]);
    v["incidents"][0]["controls"] = json!(["CTL-1"]);
    v["dpia"]["risks"][0]["id"] = json!("DPR-1");
    v["dpia"]["risks"][0]["controls"] = json!(["CTL-1"]);
    let yaml = serde_json::to_string_pretty(&v).unwrap(); // JSON is YAML
    let dir = project(&[("clinsafe.yaml", &yaml)]);
    let out = render(dir.path(), "html");
    let shown: String = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| visible_text(&std::fs::read_to_string(p).unwrap()))
        .collect::<Vec<_>>()
        .join("\n");
    // The monthly pack shows the notes of its month's observations; this one
    // (2026-06-01) is months before the pack's month.
    let elsewhere = ["_metrics_observations_note"];
    let mut missing = Vec::new();
    let mut markers = Vec::new();
    texts(&v, "", &mut markers);
    assert!(
        markers.iter().filter(|(_, t)| t.starts_with("MK")).count() > 100,
        "the project holds every field"
    );
    for (key, text) in markers {
        if text.starts_with("MK")
            && !elsewhere.iter().any(|e| text.ends_with(e))
            && !shown.contains(&words(&text))
        {
            missing.push(format!("{key}: {text}"));
        }
    }
    assert!(missing.is_empty(), "in no document:\n{}", missing.join("\n"));
}

/// `diff --since` compares hazards, controls, metrics and incidents item by
/// item; a change anywhere else (the CSO's safety statement, the system
/// description, an action, the DPIA) gave "no changes" beside two different
/// content digests. Those parts are now named.
#[test]
fn diff_never_says_no_changes_when_the_content_changed() {
    let old = project(&[(
        "items.yaml",
        "actions: [{ id: ACT-1, title: Publish the response times }]\ndpia: { title: D, need: Needed }\n",
    )]);
    let new_manifest = super::MANIFEST
        .replace("{ name: Test system }", "{ name: Test system, description: Now for urgent use }")
        + "safety_statement: The risk is not acceptable.\n";
    let new = project(&[
        ("clinsafe.yaml", &new_manifest),
        ("items.yaml", "actions: [{ id: ACT-1, title: Withdraw the response times }]\ndpia: { title: D, need: Not needed }\n"),
    ]);
    let run = |format: &str| {
        let out = clinsafe()
            .args(["diff", "--as-of", AS_OF, "--format", format, "--since"])
            .arg(old.path())
            .arg(new.path())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };
    let human = run("human");
    assert!(!human.contains("no changes"), "{human}");
    assert!(human.contains("changed: safety_statement, system, actions, dpia"), "{human}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["other_changed"], serde_json::json!(["safety_statement", "system", "actions", "dpia"]));
    // The same project against itself: no changes, nothing named.
    let same = clinsafe()
        .args(["diff", "--as-of", AS_OF, "--since"])
        .arg(old.path())
        .arg(old.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&same.stdout).contains("no changes"));
}
