//! The PDF writer: drawing commands → tagged PDF (PDF/UA-1) that is also
//! PDF/A-3a, with links, outline, metadata and the project's source files
//! attached, written to the file as it goes (`pdf-writer` for the objects,
//! `subsetter` for the fonts). Each page's content, annotations and closed
//! structure elements go out when the page is done; what waits for the end
//! is small (the page tree's list, the parent tree's keys, the fonts' glyph
//! lists, the outline). The only code that knows the PDF library.

use std::collections::BTreeMap;
use std::io::Write;

use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, ArtifactSubtype, ArtifactType, OutputIntentSubtype, TabOrder,
};
use pdf_writer::{Filter, Finish, Name, Rect, Ref, Str, TextStr};

use super::layout::{Draw, Page};

mod archive;
mod content;
mod file;
mod fonts;
mod subset;
mod tags;

pub use fonts::Fonts;

use content::{Glyphs, Painter};
use file::{Deflate, Out};
use subset::Used;
use tags::Tags;

pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: Vec<String>,
    /// `--as-of` (midnight UTC): creation date, and the attached files' date.
    pub as_of: (u16, u8, u8),
    /// What the file identifier is derived from: the input digest, the file,
    /// `--as-of` and the document's content.
    pub id_seed: String,
}

/// A source file to attach: its project-relative name and its bytes.
pub struct Attachment<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Deflate level for every stream: 1 deflates several times faster than 6
/// for files about 10% larger (README, PDF performance).
const DEFLATE_LEVEL: u32 = 1;

/// PDF/A allows strings up to 32,767 bytes; text strings are written as
/// UTF-16 when not ASCII, so text is cut at half that, on a character boundary.
fn text_limit(text: &str) -> &str {
    const MAX: usize = 16_000;
    if text.len() <= MAX {
        return text;
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn io(e: std::io::Error) -> String {
    format!("cannot write the PDF: {}", crate::files::words(&e))
}

/// Writes one document page by page.
pub struct Writer<'a> {
    out: Out<'a>,
    z: Deflate,
    fonts: &'a Fonts,
    used: Used,
    tags: Tags,
    size: (f32, f32),
    anchors: &'a BTreeMap<String, (usize, f32)>,
    meta: &'a Meta<'a>,
    /// The pages' objects are numbered in a block from `first_page`.
    first_page: i32,
    pages: usize,
    written: usize,
    page_tree: Ref,
    resources: Ref,
    attached: Vec<(Vec<u8>, Ref)>,
    srgb: Ref,
}

impl<'a> Writer<'a> {
    /// Starts the file in `w`: a document of `pages` pages of `size` points.
    pub fn new(
        w: &'a mut dyn Write,
        fonts: &'a Fonts,
        size: (f32, f32),
        pages: usize,
        anchors: &'a BTreeMap<String, (usize, f32)>,
        meta: &'a Meta<'a>,
        attachments: &[Attachment],
    ) -> Result<Self, String> {
        let mut out = Out::new(w, DEFLATE_LEVEL).map_err(io)?;
        let mut z = Deflate::new(DEFLATE_LEVEL);
        let first_page = out.alloc_many(pages).get();
        let (page_tree, resources) = (out.alloc(), out.alloc());
        let tags = Tags::new(&mut out);
        let attached = archive::attach(&mut out, &mut z, attachments, archive::date(meta)).map_err(io)?;
        let srgb = archive::srgb(&mut out, &mut z);
        Ok(Writer {
            out,
            z,
            fonts,
            used: Used::default(),
            tags,
            size,
            anchors,
            meta,
            first_page,
            pages,
            written: 0,
            page_tree,
            resources,
            attached,
            srgb,
        })
    }

    fn page_ref(&self, index: usize) -> Ref {
        Ref::new(self.first_page + index.min(self.pages.saturating_sub(1)) as i32)
    }

    /// Writes one page: its running header and footer (artifacts), then its content.
    pub fn page(&mut self, page: &Page, running: &[Draw]) -> Result<(), String> {
        let (width, height) = self.size;
        if self.written == self.pages {
            // Its object number would be another page's: refuse rather than write a broken file.
            return Err(format!("the layout made more than the {} pages it counted", self.pages));
        }
        let page_ref = self.page_ref(self.written);
        self.written += 1;
        // The page's entry in the parent tree: the element each MCID belongs to.
        let parents_ref = self.out.alloc();
        let key = self.tags.key(parents_ref);
        let mut parents: Vec<Ref> = Vec::new();
        let mut annotations = Vec::new();
        let mut p = Painter::new(height);
        let (first_page, pages) = (self.first_page, self.pages);
        let Writer { out, fonts, used, tags, anchors, .. } = self;
        let mut g = Glyphs { out, fonts, used };
        for d in running {
            let subtype = match d {
                Draw::Text { y, .. } if *y > height / 2.0 => ArtifactSubtype::Footer,
                _ => ArtifactSubtype::Header,
            };
            p.begin_artifact(ArtifactType::Pagination, Some(subtype));
            p.draw(&mut g, d);
            p.end_marked();
        }
        // The runs of one line of one element (styles, links aside) share a
        // marked-content span: fewer operators and references. Each line
        // keeps its own, so text read from the tags still breaks at lines.
        let mut span: Option<f32> = None;
        for d in &page.draws {
            let line = match d {
                Draw::Text { y, up: false, .. } if !tags.in_artifact() => Some(*y),
                _ => None,
            };
            if span.is_some() && span != line {
                p.end_marked();
                span = None;
            }
            match d {
                Draw::Open(node) => tags.open(g.out, node),
                Draw::Close => tags.close(g.out),
                Draw::Link { x, y, w, h, target } => {
                    let Some((action, alt)) = link_target(target, anchors) else { continue };
                    let a = g.out.alloc();
                    let key = tags.annotation(g.out, page_ref, a);
                    let rect = Rect::new(*x, height - (y + h), x + w, height - y);
                    let page_of = |i: usize| Ref::new(first_page + i.min(pages.saturating_sub(1)) as i32);
                    write_link(g.out, a, key, rect, &alt, action, page_of, height);
                    annotations.push(a);
                }
                Draw::Text { .. } if !tags.in_artifact() => {
                    if span.is_none() {
                        let mcid = parents.len() as i32;
                        parents.push(tags.parent_of_content(g.out));
                        tags.content(g.out, page_ref, mcid);
                        p.begin_tagged(b"Span", mcid);
                        span = line;
                    }
                    p.draw(&mut g, d);
                    if line.is_none() {
                        p.end_marked(); // upright text: a span of its own
                    }
                }
                _ if tags.in_figure() => {
                    let mcid = parents.len() as i32;
                    parents.push(tags.parent_of_content(g.out));
                    tags.content(g.out, page_ref, mcid);
                    p.begin_tagged(b"Figure", mcid);
                    p.draw(&mut g, d);
                    p.end_marked();
                }
                _ => {
                    p.begin_artifact(ArtifactType::Layout, None);
                    p.draw(&mut g, d);
                    p.end_marked();
                }
            }
        }
        if span.is_some() {
            p.end_marked();
        }
        let content = p.finish();
        let contents = self.out.alloc();
        self.out.obj(contents).stream(contents, self.z.run(&content)).filter(Filter::FlateDecode);
        self.out.packed(parents_ref).indirect(parents_ref).array().items(parents);
        let mut pg = self.out.packed(page_ref).page(page_ref);
        pg.parent(self.page_tree)
            .media_box(Rect::new(0.0, 0.0, width, height))
            .contents(contents)
            .struct_parents(key)
            .tab_order(TabOrder::StructureOrder);
        pg.pair(Name(b"Resources"), self.resources);
        if !annotations.is_empty() {
            pg.annotations(annotations);
        }
        pg.finish();
        self.out.flush().map_err(io)
    }

    /// Finishes the document: fonts, structure tree, outline, page tree,
    /// metadata, catalog, cross-references.
    pub fn finish(mut self, outline: &[(String, usize, f32)]) -> Result<(), String> {
        let height = self.size.1;
        // A page the layout counted but never sent (none should be) is written blank.
        while self.written < self.pages {
            self.page(&Page::default(), &[])?;
        }
        let tree_root = self.tags.root;
        self.tags.end(&mut self.out).map_err(io)?;
        self.used.write(&mut self.out, self.fonts, &mut self.z)?;
        let mut res = self.out.packed(self.resources).indirect(self.resources).dict();
        let mut fonts = res.insert(Name(b"Font")).dict();
        for (face, r) in self.used.fonts() {
            fonts.pair(subset::resource_name(face), r);
        }
        fonts.finish();
        res.finish();

        let kids: Vec<Ref> = (0..self.pages).map(|i| self.page_ref(i)).collect();
        self.out.packed(self.page_tree).pages(self.page_tree).kids(kids).count(self.pages as i32);

        let outline_root = (!outline.is_empty()).then(|| self.out.alloc());
        if let Some(root) = outline_root {
            let items = self.out.alloc_many(outline.len()).get();
            let item = |i: usize| Ref::new(items + i as i32);
            let mut o = self.out.packed(root).outline(root);
            o.first(item(0)).last(item(outline.len() - 1)).count(outline.len() as i32);
            o.finish();
            for (i, (title, page, y)) in outline.iter().enumerate() {
                let page = self.page_ref(*page);
                let mut it = self.out.packed(item(i)).outline_item(item(i));
                it.title(TextStr(text_limit(title))).parent(root);
                if i > 0 {
                    it.prev(item(i - 1));
                }
                if i + 1 < outline.len() {
                    it.next(item(i + 1));
                }
                it.dest().page(page).xyz(0.0, height - (y - 14.0).max(0.0), Some(0.0));
                it.finish();
            }
        }

        let producer = format!("clinsafe {}", env!("CARGO_PKG_VERSION"));
        let info = archive::info(&mut self.out, self.meta, &producer);
        let metadata = archive::xmp(&mut self.out, self.meta, &producer, self.pages);
        let catalog = self.out.alloc();
        let mut c = self.out.obj(catalog).indirect(catalog).start::<pdf_writer::writers::Catalog>();
        c.pages(self.page_tree).metadata(metadata).lang(TextStr("en-GB"));
        c.mark_info().marked(true);
        c.viewer_preferences().display_doc_title(true);
        c.pair(Name(b"StructTreeRoot"), tree_root);
        if let Some(root) = outline_root {
            c.outlines(root);
        }
        c.output_intents()
            .push()
            .subtype(OutputIntentSubtype::PDFA)
            .output_condition(TextStr("sRGB"))
            .output_condition_identifier(TextStr("Custom"))
            .registry_name(TextStr(""))
            .info(TextStr("sRGB v4"))
            .dest_output_profile(self.srgb);
        if !self.attached.is_empty() {
            let mut names = c.names();
            let mut files = names.embedded_files();
            let mut entries = files.names();
            for (name, spec) in &self.attached {
                entries.insert(Str(name), *spec);
            }
            entries.finish();
            files.finish();
            names.finish();
            c.insert(Name(b"AF")).array().items(self.attached.iter().map(|(_, r)| *r));
        }
        c.finish();
        let (document, instance) = archive::ids(self.meta);
        self.out.finish(catalog, info, (document.as_bytes(), instance.as_bytes())).map_err(io)
    }
}

/// Where a link goes: a page and height in it, or a URI.
enum Action {
    Page(usize, f32),
    Uri(String),
}

/// Where a link goes and its description for assistive technology; `None`
/// for an anchor that does not exist or a scheme we do not link.
fn link_target(target: &str, anchors: &BTreeMap<String, (usize, f32)>) -> Option<(Action, String)> {
    if let Some(id) = target.strip_prefix('#') {
        let (page, y) = anchors.get(id)?;
        return Some((Action::Page(*page, (*y - 4.0).max(0.0)), format!("Go to {id}")));
    }
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| target.starts_with(p))
        .then(|| (Action::Uri(target.to_string()), format!("Open {target}")))
}

#[allow(clippy::too_many_arguments)]
fn write_link(
    out: &mut Out,
    a: Ref,
    key: i32,
    rect: Rect,
    alt: &str,
    action: Action,
    page_ref: impl Fn(usize) -> Ref,
    height: f32,
) {
    let mut annot = out.packed(a).annotation(a);
    annot
        .subtype(AnnotationType::Link)
        .rect(rect)
        .border(0.0, 0.0, 0.0, None)
        .contents(TextStr(text_limit(alt)))
        .flags(AnnotationFlags::PRINT)
        .struct_parent(key);
    let mut act = annot.action();
    match action {
        Action::Page(page, y) => {
            act.action_type(ActionType::GoTo);
            act.destination().page(page_ref(page)).xyz(0.0, height - y, Some(0.0));
        }
        Action::Uri(uri) => {
            act.action_type(ActionType::Uri).uri(Str(uri.as_bytes()));
        }
    }
    act.finish();
    annot.finish();
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        let text = "é".repeat(20_000);
        let cut = super::text_limit(&text);
        assert!(cut.len() <= 16_000 && cut.chars().all(|c| c == 'é'));
        assert_eq!(super::text_limit("short"), "short");
    }
}
