//! `clinsafe render`: the documents, their safety, reproducibility and atomicity.

use std::path::{Path, PathBuf};

use super::{clinsafe, project, write, AS_OF, MANIFEST};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging")
}

/// Renders `dir` into a fresh output folder; returns (exit code, out dir, stderr).
pub fn render(dir: &Path, extra: &[&str]) -> (i32, tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let o = clinsafe()
        .args(["render", "--as-of", AS_OF, "--format", "html", "--out"])
        .arg(out.path())
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (o.status.code().unwrap(), out, String::from_utf8_lossy(&o.stderr).into_owned())
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_example_renders_five_documents() {
    let (code, out, err) = render(&example(), &[]);
    assert_eq!(code, 0, "{err}");
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with(".clinsafe-"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["checklist.html", "dpia.html", "hazard-log.html", "monitoring.html", "safety-case.html"]
    );
    let sc = read(out.path(), "safety-case.html");
    for section in [
        "1. Document control",
        "2. Purpose and scope",
        "3. System description and intended use",
        "4. Clinical risk management approach",
        "5. Hazard summary",
        "6. Hazards and their controls",
        "7. Controls and evidence",
        "8. Post-deployment monitoring",
        "9. Outstanding findings",
        "10. Go-live conditions and actions",
        "11. Safety statement and sign-off",
        "Appendix A. Hazard × control traceability",
        "Appendix B. Findings for the maintainers of the case",
    ] {
        assert!(sc.contains(section), "missing section {section}");
    }
    assert!(sc.contains(&format!("clinsafe {}", env!("CARGO_PKG_VERSION"))));
    assert!(sc.contains(&format!("as of {AS_OF}")));
    assert!(sc.contains("Input digest (SHA-256): <code>"));
    assert_eq!(sc.matches("<svg").count(), 2, "two heat maps");
    // Every hazard of the log, with every control linked back.
    let log = read(out.path(), "hazard-log.html");
    for id in ["HAZ-001", "HAZ-002", "HAZ-003", "HAZ-004", "HAZ-005", "HAZ-006", "HAZ-007", "HAZ-008"] {
        assert!(log.contains(&format!("<section class=\"hazard\" id=\"hazard-{id}\">")), "{id}");
    }
    assert!(log.contains("<a href=\"#control-CTL-001\">CTL-001</a>"), "controls link within the log");
    assert!(log.contains("<tr id=\"control-CTL-001\">"), "and the log lists them");
    // The worsening metric marks its controls and hazards (issue: monitoring effect).
    assert!(sc.contains("effectiveness in doubt"));
    assert!(log.contains("Review required"));
    assert!(
        read(out.path(), "checklist.html").contains("Review control and hazards (effectiveness in doubt)")
    );
}

#[test]
fn the_example_html_snapshots() {
    let (_, out, _) = render(&example(), &[]);
    for name in ["safety-case.html", "hazard-log.html", "dpia.html", "checklist.html", "monitoring.html"] {
        insta::assert_snapshot!(name, super::mask_digests(&read(out.path(), name)));
    }
}

#[test]
fn rendering_twice_is_byte_identical() {
    let (_, a, _) = render(&example(), &[]);
    let (_, b, _) = render(&example(), &[]);
    for name in ["safety-case.html", "hazard-log.html", "dpia.html", "checklist.html", "monitoring.html"] {
        assert_eq!(
            std::fs::read(a.path().join(name)).unwrap(),
            std::fs::read(b.path().join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn a_draft_is_marked_and_an_issued_document_is_not() {
    let dir = project(&[]);
    let (_, out, _) = render(dir.path(), &[]);
    assert!(read(out.path(), "safety-case.html").contains("class=\"draft-mark\""));
    let (_, out, _) = render(&example(), &[]);
    assert!(!read(out.path(), "safety-case.html").contains("class=\"draft-mark\""));
}

#[test]
fn a_failed_render_leaves_the_previous_reports() {
    let dir = project(&[("h.yaml", "hazards:\n  - { id: HAZ-1, title: First, controls: [] }\n")]);
    let out = tempfile::tempdir().unwrap();
    let run = |dir: &Path| {
        clinsafe().args(["render", "--as-of", AS_OF, "--out"]).arg(out.path()).arg(dir).output().unwrap()
    };
    assert_ne!(run(dir.path()).status.code(), Some(2));
    let before = std::fs::read(out.path().join("hazard-log.html")).unwrap();
    write(dir.path(), "h.yaml", b"hazards:\n  - { id: HAZ-1, title: Second, controls: [\n");
    let failed = run(dir.path());
    assert_eq!(failed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("nothing was written"));
    assert_eq!(std::fs::read(out.path().join("hazard-log.html")).unwrap(), before);
    // No temporary folder is left behind: three documents, HTML and PDF each,
    // the manifest of what was written, and the lock file.
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 8);
    assert!(out.path().join(".clinsafe-manifest").is_file() && out.path().join(".clinsafe-lock").is_file());
}

#[test]
fn render_removes_only_what_it_wrote_and_says_so() {
    let dir = project(&[("d.yaml", "dpia:\n  title: t\n")]);
    let out = dir.path().join("out");
    write(&out, "monitoring.pdf", b"the user's own file");
    write(&out, "notes.md", b"mine");
    let run = || {
        let o = clinsafe().args(["render", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    run();
    assert!(out.join("dpia.pdf").exists());
    let err =
        clinsafe().args(["render", "--as-of", AS_OF, "--format", "html"]).arg(dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&err.stderr);
    assert!(err.contains("removed ") && err.contains("dpia.pdf (an earlier render wrote it"), "{err}");
    assert!(!out.join("dpia.pdf").exists());
    std::fs::remove_file(dir.path().join("d.yaml")).unwrap();
    let err = run();
    assert!(err.contains("dpia.html (an earlier render wrote it"), "{err}");
    assert_eq!(std::fs::read(out.join("monitoring.pdf")).unwrap(), b"the user's own file");
    assert!(out.join("notes.md").exists());
}

#[test]
fn a_linked_or_file_output_folder_is_refused_in_words() {
    let dir = project(&[]);
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("out")).unwrap();
    let o = clinsafe().args(["render", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("is a symbolic link") && err.contains("--out"), "{err}");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);

    let file = elsewhere.path().join("reports");
    std::fs::write(&file, "x").unwrap();
    let o =
        clinsafe().args(["render", "--as-of", AS_OF, "--out"]).arg(&file).arg(dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("exists and is not a folder") && !err.contains("os error"), "{err}");
}

#[test]
fn findings_do_not_block_a_render_but_strict_does() {
    let dir = project(&[("h.yaml", "hazards:\n  - { id: HAZ-1, title: Uncovered, initial_risk: { severity: major, likelihood: high } }\n")]);
    let (code, out, _) = render(dir.path(), &[]);
    assert_eq!(code, 1);
    let sc = read(out.path(), "safety-case.html");
    assert!(sc.contains("uncovered-hazard") && sc.contains("The safety case is not complete"));
    let (code, out, err) = render(dir.path(), &["--strict"]);
    assert_eq!(code, 1);
    assert!(err.contains("nothing was written"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_stale_dpia_is_removed_when_the_project_drops_it() {
    let dir = project(&[("d.yaml", "dpia:\n  title: t\n")]);
    let out = tempfile::tempdir().unwrap();
    let run = || {
        clinsafe()
            .args(["render", "--as-of", AS_OF, "--out"])
            .arg(out.path())
            .arg(dir.path())
            .output()
            .unwrap()
    };
    run();
    assert!(out.path().join("dpia.html").exists());
    std::fs::remove_file(dir.path().join("d.yaml")).unwrap();
    run();
    assert!(!out.path().join("dpia.html").exists());
}

#[test]
fn a_custom_template_replaces_the_builtin_one() {
    let dir = project(&[super::HAZARD]);
    let templates = tempfile::tempdir().unwrap();
    write(
        templates.path(),
        "checklist.html",
        b"<article><h1>Our checklist for {{ system.name }}</h1>{% for g in checklist %}<p>{{ g.owner }}</p>{% endfor %}</article>",
    );
    let (code, out, err) = render(dir.path(), &["--templates", templates.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(read(out.path(), "checklist.html").contains("<h1>Our checklist for Test system</h1>"));
    assert!(read(out.path(), "safety-case.html").contains("1. Document control"), "others stay built in");
    write(templates.path(), "check-list.html", b"x");
    let (code, _, err) = render(dir.path(), &["--templates", templates.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `checklist.html`?"), "{err}");
}

#[test]
fn a_broken_custom_template_is_a_located_error() {
    let dir = project(&[]);
    let templates = tempfile::tempdir().unwrap();
    write(templates.path(), "dpia.html", b"<p>{{ dpia.title | nosuchfilter }}</p>");
    let (code, out, err) = render(dir.path(), &["--templates", templates.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("dpia.html") && err.contains("nosuchfilter"), "{err}");
    assert!(!err.contains("error: error") && !err.contains("template error: error"), "{err}");
    // The file named is the one the user wrote, in their templates folder.
    let located = format!(" --> {}:", templates.path().join("dpia.html").display());
    assert!(err.contains(&located), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

/// Each page goes into the output folder's staging area as it is made (so a
/// large render holds one page at a time); a render failing after some pages
/// were made must still leave the folder exactly as it was.
#[test]
fn a_render_failing_part_way_leaves_the_folder_as_it_was() {
    let dir = project(&[super::HAZARD]);
    let templates = tempfile::tempdir().unwrap();
    // Only the checklist fails, and only at render time: the other pages are made first or beside it.
    write(templates.path(), "checklist.html", b"<p>{{ no_such_value.anywhere }}</p>");
    let listing = |out: &Path| -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<_> = std::fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
            .collect();
        all.sort();
        all
    };
    let out = tempfile::tempdir().unwrap();
    let run = |out: &Path, broken: bool| {
        let mut cmd = clinsafe();
        cmd.args(["render", "--as-of", AS_OF, "--format", "html", "--out"]).arg(out).arg(dir.path());
        if broken {
            cmd.arg("--templates").arg(templates.path());
        }
        cmd.output().unwrap()
    };
    assert_eq!(run(out.path(), false).status.code(), Some(0));
    let before = listing(out.path());
    let failed = run(out.path(), true);
    let err = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(2), "{err}");
    assert!(err.contains("checklist.html") && err.contains("nothing was written"), "{err}");
    assert!(err.starts_with("error: cannot render checklist.html: Variable `no_such_value`"), "{err}");
    assert!(err.contains(&format!(" --> {}:1:", templates.path().join("checklist.html").display())), "{err}");
    assert_eq!(listing(out.path()), before, "no page, staging folder or journal is left behind");
    // With PDFs asked for, the other documents' PDFs are made while the broken
    // fragment fails: the same error, and still nothing written.
    for format in ["pdf", "html,pdf"] {
        let mut cmd = clinsafe();
        cmd.args(["render", "--as-of", AS_OF, "--format", format, "--templates"]).arg(templates.path());
        let failed = cmd.arg("--out").arg(out.path()).arg(dir.path()).output().unwrap();
        let err = String::from_utf8_lossy(&failed.stderr);
        assert_eq!(failed.status.code(), Some(2), "{format}: {err}");
        assert!(err.starts_with("error: cannot render checklist.html: Variable `no_such_value`"), "{err}");
        assert_eq!(listing(out.path()), before, "{format}: nothing is left behind");
    }

    // Into a folder that did not exist, nor its parents: none is left behind.
    let fresh = out.path().join("new/reports/2026");
    assert_eq!(run(&fresh, true).status.code(), Some(2));
    assert!(!out.path().join("new").exists());
    assert_eq!(listing(out.path()), before);
    // Into an existing folder never rendered into: not even the lock file stays.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(run(empty.path(), true).status.code(), Some(2));
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

/// Text fields full of markup, template syntax and scripts.
pub const HOSTILE: &str = r#"hazards:
  - id: HAZ-1
    title: "<script>alert('title')</script></td></table><b onmouseover=alert(1)>x</b>"
    description: |
      Look: <script>alert('md')</script> <img src=x onerror="document.body.setAttribute('data-pwned','1')">
      [click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) ![pixel](https://tracker.example/p.gif)
      <iframe src="https://evil.example"></iframe> {{ 7 * 7 }} {% raw %} {# comment #}
    causes: ["</li></ul><script>alert('cause')</script>", "{{ meta.digest }}"]
    effects: ["Ελληνικά — Ünïcödé — 中文 — العربية — “quotes” ≤ ≥ £ €"]
    harm: "<style>body{display:none}</style>**bold** harm"
    owner: "\"><svg onload=alert(1)>"
    initial_risk: { severity: minor, likelihood: low }
    justification: "javascript:alert(1)"
    references: ["<a href=javascript:alert(1)>ref</a>"]
controls:
  - { id: CTL-1, title: "<u>ctl</u> & co", type: design, status: implemented, mitigates: [HAZ-1], owner: "<script>x</script>" }
"#;

#[test]
fn hostile_text_is_shown_not_executed_and_nothing_is_lost() {
    let dir = project(&[("h.yaml", HOSTILE)]);
    let (code, out, err) = render(dir.path(), &[]);
    assert_ne!(code, 2, "{err}");
    for name in ["safety-case.html", "hazard-log.html", "checklist.html"] {
        let html = read(out.path(), name);
        let lower = html.to_ascii_lowercase();
        for bad in [
            "<script",
            "<iframe",
            "<img",
            "<svg onload",
            "<b onmouseover",
            "<style>body",
            "href=\"javascript:",
            "href=\"data:",
            "<u>ctl",
        ] {
            assert!(!lower.contains(bad), "{name} contains {bad}");
        }
        // Only our own SVG figures, and no event-handler attributes anywhere.
        assert!(!regex_like_event_handler(&lower), "{name} has an on…= attribute");
    }
    let log = read(out.path(), "hazard-log.html");
    // Nothing lost: the text is there, escaped.
    assert!(
        log.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;&lt;/td&gt;&lt;/table&gt;"),
        "title"
    );
    assert!(log.contains("{{ 7 * 7 }} {% raw %} {# comment #}"), "template syntax stays text");
    assert!(log.contains("{{ meta.digest }}"));
    assert!(log.contains("Ελληνικά — Ünïcödé — 中文 — العربية — “quotes” ≤ ≥ £ €"));
    assert!(
        log.contains("<p>&lt;style&gt;body{display:none}&lt;/style&gt;**bold** harm</p>"),
        "raw HTML block kept as text"
    );
    assert!(log.contains("&lt;u&gt;ctl&lt;/u&gt; &amp; co"));
    assert!(log.contains("[image: https://tracker.example/p.gif]"));
    assert!(log.contains("<p>javascript:alert(1)</p>"), "a scheme in text is text");
}

/// True when a tag has an attribute like ` onload=` / ` onerror=` (text and
/// quoted attribute values do not count).
fn regex_like_event_handler(html: &str) -> bool {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let tag_end = rest[i..].find('>').map_or(rest.len(), |j| i + j);
        // Attribute values are quoted by the writer; drop them before looking at names.
        let tag: String = rest[i..tag_end].split('"').step_by(2).collect::<Vec<_>>().join(" ");
        if tag.split_whitespace().skip(1).any(|attr| attr.starts_with("on") && attr.contains('=')) {
            return true;
        }
        rest = &rest[tag_end.min(rest.len())..];
        if rest.is_empty() {
            break;
        }
        rest = &rest[1..];
    }
    false
}

#[test]
fn default_output_folder_is_project_out_and_is_not_read_back() {
    let dir = project(&[super::HAZARD]);
    clinsafe().args(["render", "--as-of", AS_OF]).arg(dir.path()).assert().code(0);
    assert!(dir.path().join("out/safety-case.html").exists());
    // A YAML file left in out/ is not part of the project.
    write(dir.path(), "out/stray.yaml", b"nonsense: [\n");
    clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).assert().code(0);
    let _ = MANIFEST;
}

const MONITORED: &str = r#"hazards:
  - { id: HAZ-1, title: Late reply, controls: [CTL-1], initial_risk: { severity: major, likelihood: medium }, residual_risk: { severity: major, likelihood: very-low } }
  - { id: HAZ-2, title: Unrelated, controls: [CTL-2], initial_risk: { severity: minor, likelihood: low }, residual_risk: { severity: minor, likelihood: very-low } }
controls:
  - { id: CTL-1, title: Response standard, type: business-process, status: implemented, owner: Practice manager }
  - { id: CTL-2, title: Other, type: design, status: implemented }
metrics:
  - id: MET-1
    title: Response time
    unit: hours
    better: lower
    threshold: 24
    monitors: [CTL-1]
    data: data/met-1.csv
  - { id: MET-2, title: Quiet, better: lower, threshold: 5, monitors: [CTL-2], observations: [{ date: 2026-10-31, value: 1 }] }
"#;

#[test]
fn a_breach_marks_its_controls_and_hazards_in_every_report() {
    let dir = project(&[
        ("x.yaml", MONITORED),
        ("data/met-1.csv", "date,value\n2026-08-31,12\n2026-09-30,30\n2026-10-31,27\n"),
    ]);
    let (code, out, err) = render(dir.path(), &["--period", "2026-09"]);
    assert_eq!(code, 0, "{err}");
    let sc = read(out.path(), "safety-case.html");
    assert!(
        sc.contains("CTL-1 Response standard <span class=\"flag flag-doubt\">effectiveness in doubt</span>"),
        "safety case"
    );
    assert!(
        !sc.contains("CTL-2 Other <span class=\"flag flag-doubt\">"),
        "unmonitored-by-breach control is not marked"
    );
    let log = read(out.path(), "hazard-log.html");
    let haz1 = &log[log.find("id=\"hazard-HAZ-1\">").unwrap()..log.find("id=\"hazard-HAZ-2\">").unwrap()];
    assert!(haz1.contains("Review required"), "hazard log");
    assert!(!log[log.find("id=\"hazard-HAZ-2\">").unwrap()..].contains("Review required"));
    let checklist = read(out.path(), "checklist.html");
    let pm = &checklist[checklist.find("<h2>Practice manager</h2>").expect("grouped by the control owner")..];
    assert!(
        pm.contains("CTL-1 Response standard")
            && pm.contains("Review control and hazards (effectiveness in doubt)")
    );
    // The pack for September lists September's breach with what it touches, not October's.
    let pack = read(out.path(), "monitoring.html");
    assert!(pack.contains("September 2026 (2026-09-01 to 2026-09-30)"));
    let breaches = &pack[pack.find("id=\"breaches\"").unwrap()..pack.find("id=\"trends\"").unwrap()];
    assert!(
        breaches.contains("<td class=\"date\">2026-09-30</td>")
            && breaches.contains("30 hours")
            && breaches.contains("HAZ-1")
    );
    assert!(!breaches.contains("2026-10-31"));
    assert_eq!(pack.matches("<svg").count(), 2, "one trend chart per metric");
    assert!(pack.contains("threshold 24"), "threshold line drawn");
}

#[test]
fn no_metrics_no_monitoring_pack() {
    let dir = project(&[]);
    let (_, out, _) = render(dir.path(), &[]);
    assert!(!out.path().join("monitoring.html").exists());
}

#[test]
fn a_bad_period_is_a_usage_error() {
    let dir = project(&[]);
    clinsafe().args(["render", "--period", "Nov 2026"]).arg(dir.path()).assert().code(2);
}

#[test]
fn traceability_is_a_matrix_while_it_fits_and_an_index_beyond() {
    let items = |n: usize| {
        let controls: Vec<String> = (1..=n).map(|i| format!("CTL-{i}")).collect();
        let mut text = format!(
            "hazards:\n  - {{ id: HAZ-1, title: a, controls: [{}] }}\ncontrols:\n",
            controls.join(", ")
        );
        for c in &controls {
            text.push_str(&format!("  - {{ id: {c}, title: t, type: design, status: implemented }}\n"));
        }
        text
    };
    let small = project(&[("x.yaml", &items(30))]);
    let (_, out, _) = render(small.path(), &[]);
    let sc = read(out.path(), "safety-case.html");
    assert!(
        sc.contains("<table class=\"trace\">")
            && sc.contains("<th scope=\"col\" class=\"vertical\">CTL-30</th>")
    );
    let large = project(&[("x.yaml", &items(31))]);
    let (_, out, _) = render(large.path(), &[]);
    let sc = read(out.path(), "safety-case.html");
    assert!(!sc.contains("<table class=\"trace\">"));
    assert!(sc.contains("<tr><th scope=\"row\">CTL-31</th><td>HAZ-1</td></tr>"));
}

#[test]
fn render_deny_warnings_exits_1_but_still_writes() {
    let dir = project(&[
        ("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: test, status: implemented }\n"),
        super::HAZARD,
    ]);
    let (code, out, _) = render(dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(out.path().join("safety-case.html").exists());
    let (code, out, _) = render(dir.path(), &["--deny-warnings"]);
    assert_eq!(code, 1);
    assert!(out.path().join("safety-case.html").exists());
}

/// The reports flag what `check` raises: a rule set `off` under `rules:`
/// removes its flags from every document, exactly as it removes its findings.
/// (The facts themselves — dates, values, a metric's status — still show.)
#[test]
fn report_flags_follow_the_rule_settings_as_check_does() {
    let files = |rules: &str| {
        let manifest = format!(
            "clinsafe: 1\nsystem: {{ name: Flags }}\ndocument: {{ id: DOC-1, version: \"1\", review_by: 2026-01-01 }}\nrules:{rules}\n"
        );
        vec![
            ("clinsafe.yaml", manifest),
            (
                "items.yaml",
                "hazards:\n  - { id: H-1, title: Hazard, owner: Ann, review_by: 2026-01-01, controls: [C-1, C-2],\n      initial_risk: { severity: major, likelihood: low } }\n\
                 controls:\n  - { id: C-1, title: Planned, type: design, status: planned, due: 2026-01-01, owner: Bob }\n\
                 \x20 - { id: C-2, title: Recurring, type: training, status: implemented, every: 3 months, owner: Bob }\n\
                 actions:\n  - { id: A-1, title: Chase, owner: Cy, due: 2026-01-01 }\n\
                 metrics:\n  - { id: M-1, title: Errors, better: lower, threshold: 5, stale_after: 30 days, worsening_after: 2,\n      monitors: [C-1], observations: [{ date: 2026-01-01, value: 1 }, { date: 2026-01-02, value: 2 }, { date: 2026-01-03, value: 6 }] }\n"
                    .to_string(),
            ),
        ]
    };
    let row_flagged = |html: &str, id: &str| {
        html.split("<tr")
            .filter(|row| row.contains(&format!(">{id} ")))
            .any(|row| row.contains("flag-overdue"))
    };
    // Each flag with the rules that raise it: is it shown exactly when one of them fires?
    type Shown = fn(&dyn Fn(&str) -> String, &dyn Fn(&str, &str) -> bool) -> bool;
    let flags: [(&[&str], Shown); 5] = [
        (&["action-overdue"], |doc, row| {
            row(&doc("checklist.html"), "A-1") || row(&doc("checklist.html"), "C-1")
        }),
        (&["review-overdue"], |doc, _| {
            doc("safety-case.html").contains("review overdue</span>")
                || doc("hazard-log.html").contains("flag-overdue\">overdue")
                || doc("checklist.html").contains("Review hazard")
        }),
        (&["metric-stale"], |doc, _| doc("monitoring.html").contains("<span class=\"flag\">stale</span>")),
        (&["metric-worsening"], |doc, _| doc("monitoring.html").contains("flag-doubt\">worsening")),
        (&["metric-breach", "metric-worsening"], |doc, _| {
            doc("safety-case.html").contains("effectiveness in doubt")
                && doc("hazard-log.html").contains("Review required")
                && doc("checklist.html").contains("effectiveness in doubt")
        }),
    ];
    let settings = [
        "",
        " { action-overdue: off }",
        " { review-overdue: off, metric-stale: off }",
        " { metric-worsening: off }",
        " { metric-worsening: off, metric-breach: warning }",
        " { metric-worsening: off, metric-breach: off }",
    ];
    for rules in settings {
        let files = files(if rules.is_empty() { " {}" } else { rules });
        let dir = project(&files.iter().map(|(n, t)| (*n, t.as_str())).collect::<Vec<_>>());
        let (_, json) = super::check_json(dir.path(), &[]);
        let raised = super::rules_of(&json);
        let (code, out, err) = render(dir.path(), &[]);
        assert!(code <= 1, "{err}");
        let doc = |name: &str| read(out.path(), name);
        for (by, shown) in &flags {
            let fires = raised.iter().any(|r| by.contains(&r.as_str()));
            assert_eq!(
                shown(&doc, &row_flagged),
                fires,
                "rules:{rules}: {by:?} fires={fires} in check, but the reports disagree"
            );
        }
        // A fact is never hidden: the metric's status still reads "breach".
        assert!(doc("monitoring.html").contains(">breach</span>"), "rules:{rules}");
    }
}

/// A metric with thousands of observations (issue 11 item 9): the chart draws
/// a bounded number of points, its words summarise instead of listing every
/// row, and the PDF is written (the full list once passed PDF/A's limit on a
/// string's length, and krilla refused the document).
#[test]
fn a_long_metric_csv_renders_with_a_bounded_chart() {
    let mut csv = String::from("date,value,note\n");
    for i in 0..6000u32 {
        csv.push_str(&format!(
            "{}-{:02}-{:02},{},\n",
            2010 + i / 336,
            1 + (i / 28) % 12,
            1 + i % 28,
            (i * 37) % 100
        ));
    }
    let dir = project(&[
        ("m.yaml", "metrics:\n  - { id: MET-1, title: Busy, better: lower, threshold: 90, data: m.csv }\n"),
        ("m.csv", &csv),
    ]);
    let out = tempfile::tempdir().unwrap();
    let o = clinsafe()
        .args(["render", "--as-of", AS_OF, "--format", "html,pdf", "--out"])
        .arg(out.path())
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.code().unwrap() < 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.path().join("monitoring.pdf").is_file(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = read(out.path(), "monitoring.html");
    let points = html.matches("<circle").count();
    assert!((100..=500).contains(&points), "{points} points drawn");
}
