//! The PDFs: same documents as the HTML, valid, embedded fonts, reproducible.
//! Tests that need poppler-utils or qpdf are ignored by plain `cargo test`
//! and run by `.ci/run`, where a missing tool fails them.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{clinsafe, project, AS_OF};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging")
}

const DOCS: [&str; 5] = ["safety-case", "hazard-log", "dpia", "checklist", "monitoring"];

fn render_pdf(dir: &Path) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let o = clinsafe()
        .args(["render", "--as-of", AS_OF, "--format", "pdf", "--out"])
        .arg(out.path())
        .arg(dir)
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    (out, String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Runs a tool that .ci/run installs; missing means failure, not skip.
fn tool(name: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{name} is not installed ({e}); .ci/run installs it with apt-get"));
    assert!(
        out.status.success(),
        "{name} failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    // poppler reports what it cannot read on stderr and still succeeds.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("Error"), "{name} reports an error in {}: {stderr}", file.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdftotext(file: &Path) -> String {
    tool("pdftotext", &["-enc", "UTF-8"], file);
    std::fs::read_to_string(file.with_extension("txt")).unwrap()
}

/// The file with each deflated stream replaced by its content (other bytes dropped).
fn inflated(pdf: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut rest = pdf;
    while let Some(at) = rest.windows(7).position(|w| w == b"stream\n") {
        let body = &rest[at + 7..];
        let end = body.windows(10).position(|w| w == b"\nendstream").unwrap_or(body.len());
        let mut text = Vec::new();
        if flate2::read::ZlibDecoder::new(&body[..end]).read_to_end(&mut text).is_ok() {
            out.extend(text);
        }
        rest = &body[(end + 10).min(body.len())..];
    }
    out
}

#[test]
fn the_example_has_five_small_reproducible_pdfs() {
    let (a, _) = render_pdf(&example());
    let (b, _) = render_pdf(&example());
    for doc in DOCS {
        let name = format!("{doc}.pdf");
        let bytes = std::fs::read(a.path().join(&name)).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{name}");
        assert!(bytes.len() < 1024 * 1024, "{name} is {} bytes", bytes.len());
        assert_eq!(bytes, std::fs::read(b.path().join(&name)).unwrap(), "{name} differs between renders");
    }
    assert!(!a.path().join("safety-case.html").exists(), "--format pdf writes only PDFs");
    // The hazard log links its index and each hazard's controls inside the document.
    // (Annotations are packed in deflated object streams: read them inflated.)
    let log = inflated(&std::fs::read(a.path().join("hazard-log.pdf")).unwrap());
    let go_to = log.windows(18).filter(|w| w == b"/Subtype/Link/Rect").count();
    assert!(go_to >= 40, "internal links: {go_to}");
    assert!(log.windows(7).any(|w| w == b"/S/GoTo"));
}

#[test]
#[ignore = "needs qpdf and poppler-utils; run by .ci/run"]
fn every_pdf_passes_qpdf_and_embeds_its_fonts() {
    let (out, _) = render_pdf(&example());
    for doc in DOCS {
        let file = out.path().join(format!("{doc}.pdf"));
        tool("qpdf", &["--check"], &file);
        let fonts = tool("pdffonts", &[], &file);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{doc}: no fonts");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(
                &cols[n - 5..n - 2],
                ["yes", "yes", "yes"],
                "{doc}: font not embedded/subset/unicode: {row}"
            );
        }
        let info = tool("pdfinfo", &[], &file);
        assert!(info.contains("Producer:        clinsafe"), "{info}");
        assert!(info.contains("Page size:       595.28 x 841.89"), "A4: {info}");
    }
}

#[test]
#[ignore = "needs poppler-utils; run by .ci/run"]
fn the_hazard_log_text_holds_every_hazard_title_and_rating() {
    let (out, _) = render_pdf(&example());
    let text = pdftotext(&out.path().join("hazard-log.pdf"));
    let json = super::check_json(&example(), &[]).1;
    for h in json["hazards"].as_array().unwrap() {
        let (id, title) = (h["id"].as_str().unwrap(), h["title"].as_str().unwrap());
        // The id and title stand together on one line.
        assert!(text.contains(&format!("{id} — {title}")), "{id} — {title} not on one line");
        let rating = h["residual"]["rating"].as_u64().unwrap();
        // In words, never as a product ("2 — major severity, very low likelihood").
        assert!(text.contains(&format!(
            "{rating} — {} severity, {} likelihood",
            h["residual"]["severity"].as_str().unwrap(),
            h["residual"]["likelihood"].as_str().unwrap().replace('-', " ")
        )));
    }
    let pages = tool("pdfinfo", &[], &out.path().join("hazard-log.pdf"));
    let pages: usize = pages.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    insta::assert_snapshot!("hazard-log.txt", super::mask_digests(&format!("pages: {pages}\n\n{text}")));
}

#[test]
#[ignore = "needs poppler-utils; run by .ci/run"]
fn the_safety_case_text_snapshot() {
    let (out, _) = render_pdf(&example());
    let text = pdftotext(&out.path().join("safety-case.pdf"));
    let pages = tool("pdfinfo", &[], &out.path().join("safety-case.pdf"));
    let pages: usize = pages.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    // The document line stands once on page 1 (under the title), then in each later page's header.
    let line = "Patient Messaging 4.2 · CSCR-PM-001 version 1.0 · issued";
    assert_eq!(text.matches(line).count(), pages, "{text}");
    // The risk matrix is never split across pages: its five rows are on one page.
    let matrix_page = text.split('\u{c}').find(|p| p.contains("Risk matrix: rating by likelihood")).unwrap();
    let after = &matrix_page[matrix_page.find("Risk matrix").unwrap()..];
    for row in ["Very high", "High", "Medium", "Low", "Very low"] {
        assert!(after.contains(row), "matrix row {row} not on the matrix's page");
    }
    insta::assert_snapshot!("safety-case.txt", super::mask_digests(&format!("pages: {pages}\n\n{text}")));
}

#[test]
#[ignore = "needs poppler-utils; run by .ci/run"]
fn the_safety_case_pdf_has_the_html_sections_and_an_outline() {
    let (out, _) = render_pdf(&example());
    let text = pdftotext(&out.path().join("safety-case.pdf"));
    for section in [
        "1. Document control",
        "4. Clinical risk management approach",
        "5. Hazard summary",
        "Appendix A. Hazard × control traceability",
    ] {
        assert!(text.contains(section), "{section}");
    }
    assert!(text.contains("Page 1 of "), "running footer");
    assert!(text.contains("Input digest (SHA-256)"));
    // Heat maps are vector drawings with their counts as text.
    assert!(text.contains("columns: severity; rows: likelihood"));
    // The outline lists the sections in document order (not sorted by name).
    let json = tool("qpdf", &["--json", "--json-key=outlines"], &out.path().join("safety-case.pdf"));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let titles: Vec<&str> =
        json["outlines"].as_array().unwrap().iter().map(|o| o["title"].as_str().unwrap()).collect();
    assert_eq!(titles.first(), Some(&"Clinical safety case report"));
    let nine = titles.iter().position(|t| t.starts_with("9. ")).unwrap();
    let ten = titles.iter().position(|t| t.starts_with("10. ")).unwrap();
    assert!(nine < ten, "{titles:?}");
    assert_eq!(titles.last(), Some(&"Appendix B. Findings for the maintainers of the case"));
    // A page as an image, for a person to look at.
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-f", "1", "-l", "3"])
        .arg(out.path().join("safety-case.pdf"))
        .arg(shots.join("safety-case-pdf"))
        .status()
        .expect("pdftoppm is installed");
    assert!(status.success());
}

#[test]
#[ignore = "needs poppler-utils; run by .ci/run"]
fn unicode_comes_back_and_missing_glyphs_are_reported_not_dropped() {
    let dir = project(&[("h.yaml", super::render::HOSTILE)]);
    let (out, stderr) = render_pdf(dir.path());
    assert!(stderr.contains("no glyph for 中 (U+4E2D), 文 (U+6587)"), "{stderr}");
    let text = pdftotext(&out.path().join("hazard-log.pdf"));
    assert!(text.contains("Ελληνικά — Ünïcödé — �� — "), "{text}");
    // (pdftotext reorders the text around the Arabic, so the opening quote moves.)
    assert!(text.contains("quotes” ≤ ≥ £ €"), "{text}");
    assert!(text.contains("<script>alert('title')</script></td></table>"), "markup is text in the PDF too");
    assert!(text.contains("{{ 7 * 7 }}"));
    tool("qpdf", &["--check"], &out.path().join("hazard-log.pdf"));
}

#[test]
fn a_draft_pdf_carries_the_draft_mark() {
    let dir = project(&[]);
    let (out, _) = render_pdf(dir.path());
    let bytes = std::fs::read(out.path().join("safety-case.pdf")).unwrap();
    assert!(bytes.len() > 1000);
}

#[test]
#[ignore = "needs poppler-utils; run by .ci/run"]
fn the_monitoring_pack_pdf_holds_every_metric() {
    let (out, _) = render_pdf(&example());
    let text = pdftotext(&out.path().join("monitoring.pdf"));
    assert!(text.contains("Monthly governance pack") && text.contains("October 2026"));
    for (id, title) in [
        ("MET-001", "Message volume"),
        ("MET-002", "Clinical query response time"),
        ("MET-003", "Escalations to telephone or appointment"),
        ("MET-004", "Repeat contacts within 48 hours"),
        ("MET-005", "Messaging safety incidents"),
    ] {
        assert!(text.contains(&format!("{id} {title}")), "{id} {title}");
    }
    assert!(text.contains("worsening"), "the worsening metric is flagged");
    assert!(text.contains("threshold 10"), "threshold lines are labelled in the charts");
}

#[test]
#[ignore = "needs pdfinfo (poppler-utils); .ci/run installs it"]
fn each_pdf_carries_its_own_document_control_in_its_metadata() {
    let dir = super::config_control::own_control_project();
    let (out, _) = render_pdf(dir.path());
    let log = tool("pdfinfo", &[], &out.path().join("hazard-log.pdf"));
    assert!(log.contains("Hazard log — Test system (HL-1 version 3.1)"), "{log}");
    assert!(log.contains("HL-1 version 3.1 (draft)"), "{log}");
    let dpia = tool("pdfinfo", &[], &out.path().join("dpia.pdf"));
    assert!(dpia.contains("DPIA-7 version 0.4") && !dpia.contains("DCB0160"), "{dpia}");
    let text = pdftotext(&out.path().join("dpia.pdf"));
    assert!(!text.contains("clinical sign-off"), "{text}");
}

/// The catalog (document root) dictionary, as qpdf prints it.
fn catalog(file: &Path) -> String {
    let trailer = tool("qpdf", &["--show-object=trailer"], file);
    let root = trailer.split("/Root ").nth(1).and_then(|r| r.split_whitespace().next()).expect("a /Root");
    tool("qpdf", &[&format!("--show-object={root}")], file)
}

#[test]
#[ignore = "needs poppler-utils, qpdf and the pdfua checker (PyPI); run by .ci/run"]
fn every_pdf_is_tagged_pdf_ua_and_pdf_a_in_british_english() {
    let (out, _) = render_pdf(&example());
    for doc in DOCS {
        let file = out.path().join(format!("{doc}.pdf"));
        let info = tool("pdfinfo", &[], &file);
        assert!(info.contains("Tagged:          yes"), "{doc}: {info}");
        let root = catalog(&file);
        assert!(root.contains("/Lang (en-GB)"), "{doc}: {root}");
        assert!(
            root.contains("/DisplayDocTitle true"),
            "{doc}: the title, not the file name, is shown: {root}"
        );
        assert!(root.contains("/Outlines "), "{doc}: bookmarks");
        let xmp = tool("pdfinfo", &["-meta"], &file);
        for claim in [
            "<pdfaid:part>3</pdfaid:part>",
            "<pdfaid:conformance>A</pdfaid:conformance>",
            "<pdfuaid:part>1</pdfuaid:part>",
        ] {
            assert!(xmp.contains(claim), "{doc}: {claim}");
        }
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(15).any(|w| w == b"GTS_PDFXVersion"), "{doc}: claims no PDF/X");
        // Exit 0: none of its PDF/UA-1 checks found anything.
        tool("pdfua", &["check"], &file);
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf; run by .ci/run"]
fn the_structure_has_headings_header_cells_lists_and_figures_with_alt_text() {
    let (out, _) = render_pdf(&example());
    let file = out.path().join("safety-case.pdf");
    let tree = tool("pdfinfo", &["-struct"], &file);
    assert!(tree.contains("H1 \"Clinical safety case report\""), "{tree}");
    assert!(tree.contains("H2 \"1. Document control\""), "{tree}");
    assert!(tree.contains("/Scope /Column") && tree.contains("/Scope /Row"), "column and row headers");
    for element in ["Table", "TR", "TD", "L ", "LI", "Lbl", "LBody", "Link", "Figure", "Caption"] {
        assert!(tree.contains(element), "{element} missing");
    }
    // Each heat map's /Alt gives its caption and its data in words.
    let json = tool("qpdf", &["--json"], &file);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let alts: Vec<String> = json["qpdf"][1]
        .as_object()
        .unwrap()
        .values()
        .filter(|o| o["value"]["/S"] == "/Figure")
        .map(|o| o["value"]["/Alt"].as_str().unwrap_or("").trim_start_matches("u:").to_string())
        .collect();
    assert_eq!(alts.len(), 2, "{alts:?}");
    assert!(alts[0].starts_with("Initial risk: hazards per matrix cell. Risk matrix"), "{alts:?}");
    assert!(alts.iter().all(|a| a.contains("hazards of likelihood")), "{alts:?}");
}

#[test]
#[ignore = "needs poppler-utils; run by .ci/run"]
fn the_project_sources_come_back_byte_identical() {
    let (out, _) = render_pdf(&example());
    for doc in DOCS {
        let file = out.path().join(format!("{doc}.pdf"));
        let list = tool("pdfdetach", &["-list"], &file);
        let names: Vec<&str> =
            list.lines().skip(1).filter_map(|l| l.split_once(": ").map(|(_, n)| n)).collect();
        assert!(names.contains(&"clinsafe.yaml") && names.contains(&"metrics/data/met-004.csv"), "{names:?}");
        for (i, name) in names.iter().enumerate() {
            let saved = out.path().join(format!("attachment-{i}"));
            let n = (i + 1).to_string();
            tool("pdfdetach", &["-save", &n, "-o", saved.to_str().unwrap()], &file);
            assert_eq!(
                std::fs::read(&saved).unwrap(),
                std::fs::read(example().join(name)).unwrap(),
                "{doc}: {name} differs"
            );
        }
    }
}

/// A source file named outside ASCII is attached under its own name: the
/// name was written as raw UTF-8 bytes, which readers take for PDFDocEncoding
/// (qpdf listed `hazards/Ã©mergence`). Found by bug hunt 4.
#[test]
#[ignore = "needs qpdf and poppler-utils; run by .ci/run"]
fn an_attachment_named_outside_ascii_keeps_its_name() {
    let name = "hazards/émergence 🩺.yaml";
    let dir = crate::project(&[(name, "hazards:\n  - id: H1\n    title: Wrong patient\n")]);
    let (out, _) = render_pdf(dir.path());
    let file = out.path().join("hazard-log.pdf");
    let listed = tool("qpdf", &["--list-attachments"], &file);
    assert!(listed.contains(name), "{listed}");
    // poppler shows characters beyond the BMP as bytes, but the rest of the name as written.
    assert!(tool("pdfdetach", &["-list"], &file).contains("hazards/émergence "));
    let saved = out.path().join("saved");
    let n = if listed.find(name) < listed.find("clinsafe.yaml") { "1" } else { "2" };
    tool("pdfdetach", &["-save", n, "-o", saved.to_str().unwrap()], &file);
    assert_eq!(std::fs::read(saved).unwrap(), std::fs::read(dir.path().join(name)).unwrap());
}

/// A title longer than PDF/A lets a string be is cut in the document
/// information dictionary; the XMP metadata must say the same (PDF/A asks
/// the two to agree), and it carried the whole title.
#[test]
fn a_title_too_long_for_a_pdf_string_is_cut_alike_in_the_xmp() {
    let long = "S".repeat(20_000);
    let manifest =
        format!("clinsafe: 1\nsystem: {{ name: {long} }}\ndocument: {{ id: DOC-1, version: \"1\" }}\n");
    let dir = crate::project(&[("clinsafe.yaml", &manifest)]);
    let (out, _) = render_pdf(dir.path());
    let bytes = std::fs::read(out.path().join("hazard-log.pdf")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let start = text.find("<dc:title>").expect("an XMP title");
    let title = &text[start..start + text[start..].find("</dc:title>").unwrap()];
    let runs = title.matches('S').count();
    assert!(runs > 1000 && runs < 16_000, "the XMP title is cut as the information dictionary's: {runs}");
}

/// Hebrew and Arabic, alone and inside English, as a hazard's title and text.
const RIGHT_TO_LEFT: &str = r#"hazards:
  - id: HZ-1
    title: "שגיאה בזיהוי המטופל"
    causes: ["الرسالة أرسلت إلى المريض الخطأ"]
    effects: ["English then עברית בתוך משפט and English again"]
    harm: "Delayed care"
    initial_risk: { severity: minor, likelihood: low }
"#;

#[test]
#[ignore = "needs poppler-utils; run by .ci/run"]
fn hebrew_and_arabic_read_in_logical_order() {
    let dir = project(&[("h.yaml", RIGHT_TO_LEFT)]);
    let (out, stderr) = render_pdf(dir.path());
    assert!(!stderr.contains("no glyph"), "DejaVu Sans has Hebrew and Arabic: {stderr}");
    // pdftotext marks right-to-left runs with U+202B … U+202C (and moves the
    // spaces at their edges); the words come back in reading (logical) order.
    let text = pdftotext(&out.path().join("hazard-log.pdf")).replace(['\u{202B}', '\u{202C}'], " ");
    let text = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("HZ-1 — שגיאה בזיהוי המטופל"), "{text}");
    assert!(text.contains("الرسالة أرسلت إلى المريض الخطأ"), "{text}");
    assert!(text.contains("English then עברית בתוך משפט and English again"), "{text}");
}

/// Each internal link, as a reader follows it: (page of the link, page it
/// goes to, the destination's name), read with pikepdf (.ci/run installs it).
fn internal_links(file: &Path) -> Vec<(usize, usize, String)> {
    const SCRIPT: &str = r#"
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
for i, page in enumerate(pdf.pages):
    for a in page.get('/Annots', []):
        act = a.get('/A')
        if act is not None and act.S == '/GoTo':
            d = pdf.Root.Dests[act.D]
            print(i, pages[d[0].objgen], str(act.D)[1:])
"#;
    let python = std::env::var_os("HOME")
        .map(|h| Path::new(&h).join(".cache/clinsafe/venv/bin/python"))
        .filter(|p| p.is_file())
        .expect("the venv with pikepdf: .ci/run installs it (pip, into ~/.cache/clinsafe/venv)");
    let out = Command::new(python).arg("-c").arg(SCRIPT).arg(file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let mut f = l.splitn(3, ' ');
            let mut n = || f.next().unwrap().to_string();
            (n().parse().unwrap(), n().parse().unwrap(), n())
        })
        .collect()
}

/// The text of page `index` (from 0).
fn page_text(file: &Path, index: usize) -> String {
    let n = (index + 1).to_string();
    tool("pdftotext", &["-enc", "UTF-8", "-f", &n, "-l", &n], file);
    std::fs::read_to_string(file.with_extension("txt")).unwrap()
}

/// Links are written as pages come, before the page their target lands on
/// exists: each goes through a named destination, resolved at the end to
/// the page the target landed on (a hazard's link to its page, a control's
/// to its row); a link to an id the document lacks is not made.
#[test]
#[ignore = "needs poppler-utils and pikepdf (PyPI); run by .ci/run"]
fn internal_links_go_to_the_page_their_target_landed_on() {
    let (out, _) = render_pdf(&example());
    let log = out.path().join("hazard-log.pdf");
    let links = internal_links(&log);
    assert!(links.len() >= 40, "{links:?}");
    for (from, to, name) in &links {
        let id = name.strip_prefix("hazard-").or(name.strip_prefix("control-")).unwrap_or(name);
        assert!(page_text(&log, *to).contains(id), "link on page {from} to {name}: page {to} lacks {id}");
    }
    assert!(links.iter().any(|(from, to, _)| to > from), "a link forward, to a page not yet written");

    // A custom template: a link to an id on a span (not placed by the
    // layout) goes to the section holding it; one to a missing id is not made.
    let dir = project(&[super::HAZARD]);
    let templates = tempfile::tempdir().unwrap();
    let filler = "<p>Filler paragraph of the custom checklist.</p>".repeat(80);
    let template = format!(
        r##"<article><h1>Checklist</h1><p><a href="#later">to later</a> <a href="#span">to span</a> <a href="#nowhere">to nowhere</a></p>{filler}<section id="later"><h2>Later section</h2><p>Here <span id="span">a span</span>.</p></section></article>"##
    );
    super::write(templates.path(), "checklist.html", template.as_bytes());
    let pdfs = tempfile::tempdir().unwrap();
    let o = clinsafe()
        .args(["render", "--as-of", AS_OF, "--format", "pdf", "--templates"])
        .arg(templates.path())
        .arg("--out")
        .arg(pdfs.path())
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let checklist = pdfs.path().join("checklist.pdf");
    let links = internal_links(&checklist);
    let names: Vec<&str> = links.iter().map(|l| l.2.as_str()).collect();
    assert_eq!(names, ["later", "span"], "no link to #nowhere");
    assert!(links[0].1 > 0 && links[1].1 == links[0].1, "{links:?}");
    assert!(page_text(&checklist, links[0].1).contains("Later section"));
}
