//! STAGE 5 — reports. One content source, per-format writers: the tera
//! templates emit a semantic HTML fragment per document; the HTML writer
//! wraps it as a page. A user's template changes the document for every format.

pub mod anchor;
pub mod axis;
pub mod context;
pub mod figure_table;
pub mod figures;
pub mod html;
pub mod markdown;
pub mod palette;
pub mod pdf;
pub mod templates;
pub mod write;
pub mod xlsx;

use sha2::{Digest, Sha256};

use crate::model::date::Month;
use crate::span::Sources;
use crate::Analysis;

/// A document `render` can produce.
pub struct DocumentKind {
    pub template: &'static str,
    pub file_stem: &'static str,
    pub title: &'static str,
    /// Whether a project has this document.
    pub applies: fn(&context::ReportContext) -> bool,
}

const ALWAYS: fn(&context::ReportContext) -> bool = |_| true;

pub const SAFETY_CASE: DocumentKind = DocumentKind {
    template: "safety-case.html",
    file_stem: "safety-case",
    title: "Clinical safety case report",
    applies: ALWAYS,
};
pub const HAZARD_LOG: DocumentKind = DocumentKind {
    template: "hazard-log.html",
    file_stem: "hazard-log",
    title: "Hazard log",
    applies: ALWAYS,
};
pub const DPIA: DocumentKind = DocumentKind {
    template: "dpia.html",
    file_stem: "dpia",
    title: "Data protection impact assessment",
    applies: |cx| cx.dpia.is_some(),
};
pub const MONITORING: DocumentKind = DocumentKind {
    template: "monitoring.html",
    file_stem: "monitoring",
    title: "Monthly governance pack",
    applies: |cx| !cx.metrics.is_empty(),
};
pub const CHECKLIST: DocumentKind = DocumentKind {
    template: "checklist.html",
    file_stem: "checklist",
    title: "Action checklist",
    applies: ALWAYS,
};

/// Every document `render` can produce, in the order it renders them.
pub const DOCUMENTS: [DocumentKind; 5] = [SAFETY_CASE, HAZARD_LOG, DPIA, CHECKLIST, MONITORING];

/// The formats `render` writes, as file extensions.
pub const EXTENSIONS: [&str; 2] = ["html", "pdf"];

/// Every file name `render` may write: each document in each format.
pub fn file_names() -> impl Iterator<Item = String> {
    EXTENSIONS.iter().flat_map(|ext| DOCUMENTS.iter().map(move |d| format!("{}.{ext}", d.file_stem)))
}

/// SHA-256 over every input file, in name order, each as name, NUL, length,
/// NUL, bytes, so renaming or moving content between files changes it too.
pub fn input_digest(sources: &Sources) -> String {
    let mut files: Vec<_> = sources.iter().collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let mut hasher = Sha256::new();
    for f in files {
        hasher.update(f.name.as_bytes());
        hasher.update([0]);
        hasher.update(f.text.len().to_string().as_bytes());
        hasher.update([0]);
        hasher.update(f.text.as_bytes());
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What a render produced, in memory, before anything is written.
pub struct Rendered {
    pub files: Vec<(String, Vec<u8>)>,
    /// Things the reader should know (characters the PDF font lacks).
    pub warnings: Vec<String>,
}

/// Renders every document of the project, in each asked format, in memory.
/// Each template is rendered once; the HTML page and the PDF are both made
/// from that one fragment.
pub fn render(
    analysis: &Analysis,
    month: Month,
    overrides: &[(String, String)],
    html: bool,
    pdf: bool,
) -> Result<Rendered, String> {
    render_with(analysis, month, overrides, html, pdf, None)
}

/// [`render`], with what changed since an older side (`render --since`):
/// templates see `changes` (null without it) and `changed` (hazard id → mark).
pub fn render_with(
    analysis: &Analysis,
    month: Month,
    overrides: &[(String, String)],
    html: bool,
    pdf: bool,
    changes: Option<&crate::diff::Changes>,
) -> Result<Rendered, String> {
    let templates = templates::build(overrides)?;
    let digest = input_digest(&analysis.project.sources);
    let cx = context::build(analysis, month, &digest);
    // One context for every document: each sets its own `document` in turn
    // (cloning the whole project's context per document cost time and memory).
    let mut tera_cx = tera::Context::from_serialize(&cx).map_err(|e| templates::describe(&e))?;
    tera_cx.insert("changes", &changes.map(context::changes_view));
    tera_cx.insert("changed", &changes.map(context::change_marks).unwrap_or_default());
    let kinds = DOCUMENTS.into_iter().filter(|k| (k.applies)(&cx));
    let mut out = Rendered { files: Vec::new(), warnings: Vec::new() };
    let mut fragments = Vec::new();
    for kind in kinds {
        let control = cx.control_of(kind.template);
        tera_cx.insert("document", control);
        let body = templates
            .tera
            .render(kind.template, &tera_cx)
            .map_err(|e| format!("cannot render {}: {}", kind.template, templates::describe(&e)))?;
        if html {
            let title =
                format!("{} — {} ({} version {})", kind.title, cx.system.name, control.id, control.version);
            let page = html::page(&title, &figures::embed_svg(&body, &cx), &templates.css);
            out.files.push((format!("{}.html", kind.file_stem), page.into_bytes()));
        }
        if pdf {
            fragments.push((kind, body));
        }
    }
    if pdf {
        let fonts = pdf::backend::Fonts::load()?;
        let sources = attachments(&analysis.project.sources);
        for (kind, doc) in fragments.iter().zip(pdfs_in_parallel(&fragments, &cx, &fonts, &sources)) {
            let file = format!("{}.pdf", kind.0.file_stem);
            let doc = doc.map_err(|e| format!("cannot make {file} from {}: {e}", kind.0.template))?;
            out.warnings.extend(doc.warnings);
            out.files.push((file, doc.bytes));
        }
    }
    Ok(out)
}

/// The project's YAML and CSV files, in name order, to attach to every PDF
/// (PDF/A-3) so a report carries what it was made from.
fn attachments(sources: &Sources) -> Vec<pdf::backend::Attachment<'_>> {
    let mut files: Vec<_> = sources
        .iter()
        .filter(|f| [".yaml", ".yml", ".csv"].iter().any(|e| f.name.ends_with(e)) && !f.text.is_empty())
        .map(|f| pdf::backend::Attachment { name: &f.name, bytes: f.text.as_bytes() })
        .collect();
    files.sort_by(|a, b| a.name.cmp(b.name));
    files
}

/// Typesets the PDFs on all cores, one document per task, results in
/// document order. krilla's output depends only on what it is given (the
/// file identifier comes from the inputs), which a test checks by rendering twice.
fn pdfs_in_parallel(
    fragments: &[(DocumentKind, String)],
    cx: &context::ReportContext,
    fonts: &pdf::backend::Fonts,
    sources: &[pdf::backend::Attachment],
) -> Vec<Result<pdf::PdfOutput, String>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<pdf::PdfOutput, String>>>> =
        fragments.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(fragments.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((kind, body)) = fragments.get(i) else { break };
                let file = format!("{}.pdf", kind.file_stem);
                let doc =
                    pdf::render(body, kind.title, &file, cx, cx.control_of(kind.template), fonts, sources);
                *results[i].lock().expect("a PDF task panicked") = Some(doc);
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().expect("a PDF task panicked").expect("every task ran"))
        .collect()
}
