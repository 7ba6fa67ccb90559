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
mod memory;
pub mod page;
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

/// What a render made; its files went to the [`Sink`] as each was made.
pub struct Rendered {
    /// The files, in document order (HTML pages, then PDFs).
    pub names: Vec<String>,
    /// Things the reader should know (characters the PDF font lacks).
    pub warnings: Vec<String>,
    /// What the render built and no longer needs (the templates' view of the
    /// whole project): dropped with this, or [`Scratch::leak`]ed by a caller
    /// about to exit, which saves freeing hundreds of thousands of values one by one.
    pub scratch: Scratch,
}

/// Where a render's files go, each written as it is made (from the render
/// threads), so no page is held in memory whole or waits for the others.
pub trait Sink: Sync {
    /// An empty file for `name`, open to write and to read back, and how to
    /// name it in a message.
    fn create(&self, name: &str) -> Result<(std::fs::File, String), String>;
    /// `name`, written through the file [`Sink::create`] gave, is complete.
    fn done(&self, name: &str, file: std::fs::File) -> Result<(), String>;
}

/// Writes the whole of `name` through `sink`.
pub fn put(sink: &dyn Sink, name: &str, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let (mut file, shown) = sink.create(name)?;
    file.write_all(bytes).map_err(|e| format!("cannot write `{shown}`: {}", crate::files::words(&e)))?;
    sink.done(name, file)
}

impl Sink for write::Staged {
    fn create(&self, name: &str) -> Result<(std::fs::File, String), String> {
        write::Staged::create(self, name)
    }

    fn done(&self, _: &str, _: std::fs::File) -> Result<(), String> {
        Ok(())
    }
}

/// A render's files kept in memory (for callers that read them, not write them).
pub struct InMemory {
    /// The files, in document order.
    pub files: Vec<(String, Vec<u8>)>,
    pub warnings: Vec<String>,
}

/// Collects what a render writes (each file through a temporary file of its
/// own), to hand it back as [`InMemory`].
#[derive(Default)]
struct Collect(std::sync::Mutex<Vec<(String, Vec<u8>)>>);

impl Sink for Collect {
    fn create(&self, _: &str) -> Result<(std::fs::File, String), String> {
        let file = tempfile::tempfile().map_err(|e| format!("cannot make a temporary file: {e}"))?;
        Ok((file, "a temporary file".into()))
    }

    fn done(&self, name: &str, mut file: std::fs::File) -> Result<(), String> {
        use std::io::{Read, Seek};
        let mut bytes = Vec::new();
        file.rewind()
            .and_then(|()| file.read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read {name} back: {e}"))?;
        self.0.lock().expect("a render thread panicked").push((name.to_string(), bytes));
        Ok(())
    }
}

impl Collect {
    fn into_files(self, rendered: Rendered) -> InMemory {
        let mut files = self.0.into_inner().expect("a render thread panicked");
        files.sort_by_key(|(name, _)| rendered.names.iter().position(|n| n == name));
        InMemory { files, warnings: rendered.warnings }
    }
}

/// Memory a render is done with; see [`Rendered::scratch`].
#[derive(Default)]
pub struct Scratch(Vec<Box<dyn std::any::Any + Send>>);

impl Scratch {
    pub fn keep<T: Send + 'static>(&mut self, value: T) {
        self.0.push(Box::new(value));
    }

    /// Never frees it: for a process about to exit, whose memory goes back in one piece.
    pub fn leak(self) {
        std::mem::forget(self);
    }
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
) -> Result<InMemory, String> {
    let (templates, cx) = prepare(analysis, month, overrides)?;
    let prepared = Prepared { tera_cx: tera_context(&cx, None)?, templates, cx };
    let collect = Collect::default();
    let rendered = finish(prepared, &analysis.project.sources, html, pdf, &collect)?;
    Ok(collect.into_files(rendered))
}

/// [`render`] into `sink`, for a caller done with the analysis, and with what
/// changed since an older side (`render --since`: templates see `changes`,
/// null without it, and `changed`, hazard id → mark). Once the templates'
/// context is made from the analysis, all of it but the input files (which
/// the PDFs attach) is freed, so the pages are made in that memory.
pub fn render_owned(
    analysis: Analysis,
    month: Month,
    overrides: &[(String, String)],
    html: bool,
    pdf: bool,
    changes: Option<&crate::diff::Changes>,
    sink: &dyn Sink,
) -> Result<Rendered, String> {
    let (templates, cx) = prepare(&analysis, month, overrides)?;
    // Freed before tera's copy of the context is made, so the two do not add up.
    let sources = pdf_attachments_only(analysis, pdf);
    memory::release_freed_memory();
    let prepared = Prepared { tera_cx: tera_context(&cx, changes)?, templates, cx };
    finish(prepared, &sources, html, pdf, sink)
}

/// Drops `analysis`, keeping its input files when the PDFs (which attach them) are made.
fn pdf_attachments_only(analysis: Analysis, pdf: bool) -> Sources {
    if pdf {
        analysis.project.sources
    } else {
        Sources::default()
    }
}

/// What every document is rendered from.
struct Prepared {
    templates: templates::Templates,
    /// The parts of the context Rust code reads (document controls, figures' inputs).
    cx: context::ReportContext,
    /// The whole context in tera's form.
    tera_cx: tera::Context,
}

/// The templates and the context (with the two digests, made first).
fn prepare(
    analysis: &Analysis,
    month: Month,
    overrides: &[(String, String)],
) -> Result<(templates::Templates, context::ReportContext), String> {
    memory::keep_large_blocks_out_of_the_heap();
    // The digests read every input again, the content digest holding the
    // project's whole text for a moment (~90 MB at 10,000 hazards): made
    // before the context rather than beside it, so the two peaks do not add
    // up; the input digest and the templates meanwhile.
    let (templates, digest, content_digest) = std::thread::scope(|scope| {
        let content = scope.spawn(|| crate::model::digest::content_digest(&analysis.project));
        let templates = templates::build(overrides);
        let digest = input_digest(&analysis.project.sources);
        (templates, digest, content.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    let templates = templates?;
    let mut cx = context::build(analysis, month);
    (cx.meta.digest, cx.meta.content_digest) = (digest, content_digest);
    Ok((templates, cx))
}

/// The context in tera's form, with what changed since an older side (null without it).
/// One context for every document: each sets its own `document` on a copy
/// (tera's values are shared, so a copy costs only the top-level keys).
fn tera_context(
    cx: &context::ReportContext,
    changes: Option<&crate::diff::Changes>,
) -> Result<tera::Context, String> {
    let mut tera_cx = tera::Context::from_serialize(cx).map_err(|e| templates::describe(&e))?;
    tera_cx.insert("changes", &changes.map(context::changes_view));
    tera_cx.insert("changed", &changes.map(context::change_marks).unwrap_or_default());
    Ok(tera_cx)
}

/// Renders every document that applies from `prepared` into `sink`; `sources`
/// are the input files the PDFs attach.
fn finish(
    prepared: Prepared,
    sources: &Sources,
    html: bool,
    pdf: bool,
    sink: &dyn Sink,
) -> Result<Rendered, String> {
    let Prepared { templates, mut cx, tera_cx } = prepared;
    let kinds: Vec<DocumentKind> = DOCUMENTS.into_iter().filter(|k| (k.applies)(&cx)).collect();
    // Each document's own copy of tera's context (its values are shared: a
    // copy costs only the top-level keys), dropped once its fragment is made;
    // the long lists the report context shares with it are not read again.
    let contexts: Vec<std::sync::Mutex<Option<tera::Context>>> = kinds
        .iter()
        .map(|kind| {
            let mut doc_cx = tera_cx.clone();
            doc_cx.insert("document", cx.control_of(kind.template));
            std::sync::Mutex::new(Some(doc_cx))
        })
        .collect();
    let mut out = Rendered { names: Vec::new(), warnings: Vec::new(), scratch: Scratch::default() };
    if pdf {
        // The last fragment made frees the templates' values, and the pages are made in that memory.
        drop(tera_cx);
        drop_shared_lists(&mut cx);
    } else {
        out.scratch.keep(tera_cx);
    }
    let (fonts, sources) = match pdf {
        true => (Some(pdf::backend::Fonts::load()?), attachments(sources)),
        false => (None, Vec::new()),
    };
    // Every fragment, then every PDF, on all cores, the largest first so the
    // others fill in beside it: a thread done with fragments starts a PDF
    // while the last fragments are made. Results are taken back in document
    // order, so output never depends on thread timing.
    let mut by_weight: Vec<usize> = (0..kinds.len()).collect();
    by_weight.sort_by_key(|&i| std::cmp::Reverse(weight(&kinds[i])));
    let mut steps: Vec<Step> = by_weight.iter().map(|&i| Step::Fragment(i)).collect();
    if pdf {
        steps.extend(by_weight.iter().map(|&i| Step::Pdf(i)));
    }
    let run = Steps {
        kinds: &kinds,
        templates: &templates,
        cx: &cx,
        html,
        fonts: fonts.as_ref(),
        sources: &sources,
        sink,
        contexts,
        handoffs: kinds.iter().map(|_| Default::default()).collect(),
        fragments_left: std::sync::atomic::AtomicUsize::new(kinds.len()),
    };
    let mut made: Vec<Result<Vec<String>, String>> = kinds.iter().map(|_| Ok(Vec::new())).collect();
    crate::parallel::in_order(
        &steps,
        usize::MAX,
        RENDER_STACK_BYTES,
        |_, step| match *step {
            Step::Fragment(i) => run.fragment(i),
            Step::Pdf(i) => run.pdf(i),
        },
        |at, result| {
            let i = steps[at].document();
            match (&mut made[i], result) {
                (Ok(warnings), Ok(more)) => warnings.extend(more),
                (made @ Ok(_), Err(e)) => *made = Err(e),
                (Err(_), _) => {}
            }
        },
    );
    drop(run);
    // Not freed piece by piece: the process exits soon after (see `Scratch`).
    out.scratch.keep(cx);
    for result in made {
        out.warnings.extend(result?);
    }
    for (asked, extension) in [(html, "html"), (pdf, "pdf")] {
        if asked {
            out.names.extend(kinds.iter().map(|kind| format!("{}.{extension}", kind.file_stem)));
        }
    }
    Ok(out)
}

/// A document's share of a render: its fragment (its HTML page), or its PDF.
enum Step {
    Fragment(usize),
    Pdf(usize),
}

impl Step {
    fn document(&self) -> usize {
        match *self {
            Step::Fragment(i) | Step::Pdf(i) => i,
        }
    }
}

/// What the steps of a render share.
struct Steps<'a> {
    kinds: &'a [DocumentKind],
    templates: &'a templates::Templates,
    cx: &'a context::ReportContext,
    html: bool,
    /// The fonts, when PDFs are made.
    fonts: Option<&'a pdf::backend::Fonts>,
    sources: &'a [pdf::backend::Attachment<'a>],
    sink: &'a dyn Sink,
    /// Each document's copy of tera's context, taken by its fragment's step.
    contexts: Vec<std::sync::Mutex<Option<tera::Context>>>,
    /// Each document's fragment, from its fragment's step to its PDF's
    /// (`None`: the fragment failed, and its step said why).
    handoffs: Vec<crate::parallel::Handoff<Option<String>>>,
    fragments_left: std::sync::atomic::AtomicUsize,
}

impl Steps<'_> {
    /// Document `i`'s fragment (into its HTML page, when asked), handed on
    /// to its PDF's step: what went wrong, if anything.
    fn fragment(&self, i: usize) -> Result<Vec<String>, String> {
        let pdf = self.fonts.is_some();
        // Held here, so that should this step panic its PDF's step is told.
        let put = self.handoffs[i].sender();
        let doc_cx = self.contexts[i].lock().expect("a render thread panicked").take();
        let doc_cx = doc_cx.expect("each document is rendered once");
        let fragment =
            render_fragment(&self.kinds[i], self.templates, &doc_cx, self.cx, self.html, pdf, self.sink);
        let (fragment, failed) = match fragment {
            Ok(fragment) => (fragment, None),
            Err(e) => (None, Some(e)),
        };
        // Its PDF may start now (never blocks: one message in a channel of one).
        if let Some(put) = put {
            let _ = put.send(fragment);
        }
        drop(doc_cx);
        let last = self.fragments_left.fetch_sub(1, std::sync::atomic::Ordering::AcqRel) == 1;
        if last && pdf {
            // The templates' values are gone: their memory goes back for the pages.
            memory::release_freed_memory();
        }
        failed.map_or(Ok(Vec::new()), Err)
    }

    /// Document `i`'s PDF, once its fragment is made: its warnings.
    fn pdf(&self, i: usize) -> Result<Vec<String>, String> {
        let (Some(Some(fragment)), Some(fonts)) = (self.handoffs[i].wait(), self.fonts) else {
            return Ok(Vec::new());
        };
        let warnings = pdf_of(&self.kinds[i], fragment, self.cx, fonts, self.sources, self.sink);
        // What making it freed goes back to the system, not kept in this
        // thread's heap while the others are still made.
        memory::release_freed_memory();
        warnings
    }
}

/// `kind`'s fragment from `doc_cx`: written into its HTML page when `html`,
/// and returned when `pdf`.
fn render_fragment(
    kind: &DocumentKind,
    templates: &templates::Templates,
    doc_cx: &tera::Context,
    cx: &context::ReportContext,
    html: bool,
    pdf: bool,
    sink: &dyn Sink,
) -> Result<Option<String>, String> {
    let failed = |e: tera::Error| format!("cannot render {}: {}", kind.template, templates::describe(&e));
    if !html {
        let mut fragment = templates.tera.render(kind.template, doc_cx).map_err(failed)?;
        fragment.shrink_to_fit(); // kept while its PDF is made: not twice its size
        return Ok(Some(fragment));
    }
    let control = cx.control_of(kind.template);
    let title = format!("{} — {} ({} version {})", kind.title, cx.system.name, control.id, control.version);
    // The fragment rendered straight into its page's file, after the page's head.
    let name = format!("{}.html", kind.file_stem);
    let (file, shown) = sink.create(&name)?;
    let render =
        |out: &mut dyn std::io::Write| templates.tera.render_to(kind.template, doc_cx, out).map_err(failed);
    let fragment = page::write(&file, &html::head(&title, &templates.css), pdf, cx, render)
        .map_err(|e| e.described(&shown))?;
    sink.done(&name, file)?;
    Ok(fragment)
}

/// The report context's long lists are tera values it shares with the
/// templates' context (~170 MB at 10,000 hazards): the PDFs read document
/// controls and the figures' inputs, not these, so once tera's copies are
/// dropped the memory is freed for the pages.
fn drop_shared_lists(cx: &mut context::ReportContext) {
    for list in [&mut cx.hazards, &mut cx.controls, &mut cx.findings, &mut cx.checklist] {
        *list = Vec::new();
    }
    cx.traceability = context::Shared::list::<()>(&[]);
}

/// Each render thread's stack, as the main thread's (templates nest, and a
/// user's template may nest deeper).
const RENDER_STACK_BYTES: usize = 8 * 1024 * 1024;

/// How much a document usually weighs, to start the heaviest first.
fn weight(kind: &DocumentKind) -> u8 {
    match kind.file_stem {
        "hazard-log" => 4,
        "safety-case" => 3,
        "monitoring" => 2,
        "checklist" => 1,
        _ => 0,
    }
}

/// The project's YAML and CSV files, in name order, to attach to every PDF
/// (PDF/A-3) so a report carries what it was made from.
fn attachments(sources: &Sources) -> Vec<pdf::backend::Attachment<'_>> {
    let mut files: Vec<_> = sources
        .iter()
        .filter(|f| {
            let name = f.name.to_ascii_lowercase();
            [".yaml", ".yml", ".csv"].iter().any(|e| name.ends_with(e)) && !f.text.is_empty()
        })
        .map(|f| pdf::backend::Attachment::new(&f.name, f.text.as_bytes()))
        .collect();
    files.sort_by(|a, b| a.name.cmp(b.name));
    files
}

/// `kind`'s PDF from its `fragment`: what the reader should know about it (missing glyphs).
fn pdf_of(
    kind: &DocumentKind,
    fragment: String,
    cx: &context::ReportContext,
    fonts: &pdf::backend::Fonts,
    sources: &[pdf::backend::Attachment],
    sink: &dyn Sink,
) -> Result<Vec<String>, String> {
    let file = format!("{}.pdf", kind.file_stem);
    pdf::render(fragment, kind.title, &file, cx, cx.control_of(kind.template), fonts, sources, sink)
        .map(|doc| doc.warnings)
        .map_err(|e| format!("cannot make {file} from {}: {e}", kind.template))
}
