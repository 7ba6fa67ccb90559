//! The PDF writer: drawing commands → tagged PDF (PDF/UA-1) that is also
//! PDF/A-3a, with links, outline, metadata and the project's source files
//! attached, written to the file as it goes (`pdf-writer` for the objects,
//! `subsetter` for the fonts). Each page's content, annotations and closed
//! structure elements go out when the page is done; what waits for the end
//! is small (the page tree's list, the parent tree's keys, the fonts' glyph
//! lists, the outline). The only code that knows the PDF library.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;

use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, ArtifactSubtype, ArtifactType, OutputIntentSubtype, TabOrder,
};
use pdf_writer::{Finish, Name, Rect, Ref, Str, TextStr};

use super::layout::{Draw, Page};

mod archive;
mod content;
mod file;
mod fonts;
mod subset;
mod tags;

pub use fonts::Fonts;

use content::{Glyphs, Painter};
use file::{Deflate, Out, StreamKind};
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
    /// Its bytes deflated, made by the first document that attaches it and
    /// shared by the others (every PDF carries every source: at 10,000
    /// hazards, 15 MB deflated once instead of once per document).
    deflated: std::sync::OnceLock<Vec<u8>>,
}

impl<'a> Attachment<'a> {
    pub fn new(name: &'a str, bytes: &'a [u8]) -> Self {
        Attachment { name, bytes, deflated: std::sync::OnceLock::new() }
    }
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

/// Writes one document page by page, in one pass: what depends on the
/// whole document (the page count, where each link's target landed) is
/// written at the end, as each page's late content stream (drawn first,
/// written last) and as named destinations.
pub struct Writer<'a> {
    out: Out<'a>,
    z: Deflate,
    fonts: &'a Fonts,
    used: Used,
    tags: Tags,
    size: (f32, f32),
    /// The ids a `#id` link may go to: those the document has.
    targets: &'a HashSet<&'a str>,
    /// The ids links went to: a named destination each, written at the end.
    linked: BTreeSet<String>,
    meta: &'a Meta<'a>,
    /// Each page written: its object and its late content stream (the page
    /// number: first in the page, written at the end).
    pages: Vec<(Ref, Ref)>,
    page_tree: Ref,
    resources: Ref,
    attached: Vec<(Vec<u8>, Ref)>,
    srgb: Ref,
}

impl<'a> Writer<'a> {
    /// Starts the file in `w`: a document of pages of `size` points, whose
    /// `#id` links may go to `targets`.
    pub fn new(
        w: &'a mut (dyn Write + Send),
        fonts: &'a Fonts,
        size: (f32, f32),
        targets: &'a HashSet<&'a str>,
        meta: &'a Meta<'a>,
        attachments: &[Attachment],
    ) -> Result<Self, String> {
        let mut out = Out::new(w, DEFLATE_LEVEL).map_err(io)?;
        let mut z = Deflate::new(DEFLATE_LEVEL);
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
            targets,
            linked: BTreeSet::new(),
            meta,
            pages: Vec::new(),
            page_tree,
            resources,
            attached,
            srgb,
        })
    }

    /// Writes one page: its running header and footer (artifacts), then its content.
    pub fn page(&mut self, page: &Page, running: &[Draw]) -> Result<(), String> {
        let (width, height) = self.size;
        let page_ref = self.out.alloc();
        // Written at the end, when what it shows is known (the page count).
        let late = self.out.alloc();
        self.pages.push((page_ref, late));
        // The page's entry in the parent tree: the element each MCID belongs to.
        let parents_ref = self.out.alloc();
        let key = self.tags.key(parents_ref);
        let mut parents: Vec<Ref> = Vec::new();
        let mut annotations = Vec::new();
        let mut p = Painter::new(height);
        let Writer { out, fonts, used, tags, targets, linked, .. } = self;
        let mut g = Glyphs { out, fonts, used };
        pagination(&mut p, &mut g, running, height);
        // Consecutive draws share one marked-content section where they
        // can: the runs of one line of one element (styles, links aside),
        // a figure's strokes, and layout artifacts (cell borders and fills,
        // which structure changes do not interrupt) — fewer operators and
        // references. Each line keeps its own span, so text read from the
        // tags still breaks at lines.
        let mut marked = Marked::None;
        for d in &page.draws {
            // What section the draw is content of (`None`: structure, no content).
            let wanted = match d {
                Draw::Open(_) | Draw::Close | Draw::Link { .. } => None,
                Draw::Text { y, up: false, .. } if !tags.in_artifact() => Some(Marked::Span(*y)),
                Draw::Text { .. } if !tags.in_artifact() => Some(Marked::Upright),
                _ if tags.in_figure() => Some(Marked::Figure),
                _ => Some(Marked::Layout),
            };
            // A structure change ends a tagged section (its content has one parent), not an artifact.
            let keep = match wanted {
                None => marked == Marked::Layout,
                Some(w) => w == marked && w != Marked::Upright,
            };
            if !keep && marked != Marked::None {
                p.end_marked();
                marked = Marked::None;
            }
            match d {
                Draw::Open(node) => tags.open(g.out, node),
                Draw::Close => tags.close(g.out),
                Draw::Link { x, y, w, h, target } => {
                    let Some((action, alt)) = link_target(target, targets) else { continue };
                    if let Action::Named(id) = &action {
                        if !linked.contains(*id) {
                            linked.insert(id.to_string());
                        }
                    }
                    let a = g.out.alloc();
                    let key = tags.annotation(g.out, page_ref, a);
                    let rect = Rect::new(*x, height - (y + h), x + w, height - y);
                    write_link(g.out, a, key, rect, &alt, action);
                    annotations.push(a);
                }
                _ => {
                    let Some(wanted) = wanted else { continue };
                    if marked == Marked::None {
                        if wanted == Marked::Layout {
                            p.begin_artifact(ArtifactType::Layout, None);
                        } else {
                            let mcid = parents.len() as i32;
                            parents.push(tags.parent_of_content(g.out));
                            tags.content(g.out, page_ref, mcid);
                            p.begin_tagged(if wanted == Marked::Figure { b"Figure" } else { b"Span" }, mcid);
                        }
                        marked = wanted;
                    }
                    p.draw(&mut g, d);
                }
            }
        }
        if marked != Marked::None {
            p.end_marked();
        }
        let content = p.finish();
        let contents = self.out.alloc();
        self.out.deflated(contents, content, StreamKind::Content);
        self.out.packed(parents_ref).indirect(parents_ref).array().items(parents);
        let mut pg = self.out.packed(page_ref).page(page_ref);
        pg.parent(self.page_tree)
            .media_box(Rect::new(0.0, 0.0, width, height))
            .contents_array([late, contents])
            .struct_parents(key)
            .tab_order(TabOrder::StructureOrder);
        pg.pair(Name(b"Resources"), self.resources);
        if !annotations.is_empty() {
            pg.annotations(annotations);
        }
        pg.finish();
        self.out.flush().map_err(io)
    }

    /// Finishes the document: each page's late content (`late(page number,
    /// page count)`, artifacts), fonts, structure tree, outline, named
    /// destinations (where `anchors` says each id landed: page index and
    /// height), page tree, metadata, catalog, cross-references.
    pub fn finish(
        mut self,
        outline: &[(String, usize, f32)],
        anchors: &BTreeMap<String, (usize, f32)>,
        late: &dyn Fn(usize, usize) -> Vec<Draw>,
    ) -> Result<usize, String> {
        let height = self.size.1;
        if self.pages.is_empty() {
            self.page(&Page::default(), &[])?;
        }
        let total = self.pages.len();
        for i in 0..total {
            let mut p = Painter::new(height);
            let mut g = Glyphs { out: &mut self.out, fonts: self.fonts, used: &mut self.used };
            pagination(&mut p, &mut g, &late(i + 1, total), height);
            // First in the page, in a graphics state of its own: the page's content follows.
            let mut content = b"q\n".to_vec();
            content.extend(p.finish());
            content.extend(b"\nQ");
            let r = self.pages[i].1;
            self.out.obj(r).stream(r, &content);
            if i % 256 == 255 {
                self.out.flush().map_err(io)?;
            }
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

        let kids: Vec<Ref> = self.pages.iter().map(|p| p.0).collect();
        let page_ref = |i: usize| kids[i.min(total - 1)];
        self.out.packed(self.page_tree).pages(self.page_tree).kids(kids.iter().copied()).count(total as i32);

        let outline_root = (!outline.is_empty()).then(|| self.out.alloc());
        if let Some(root) = outline_root {
            let items = self.out.alloc_many(outline.len()).get();
            let item = |i: usize| Ref::new(items + i as i32);
            let mut o = self.out.packed(root).outline(root);
            o.first(item(0)).last(item(outline.len() - 1)).count(outline.len() as i32);
            o.finish();
            for (i, (title, page, y)) in outline.iter().enumerate() {
                let page = page_ref(*page);
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

        let dests = (!self.linked.is_empty()).then(|| self.out.alloc());
        if let Some(r) = dests {
            let mut d = self.out.packed(r).destinations(r);
            for id in &self.linked {
                // Every linked id is one the document has (`targets`), placed in `anchors`.
                let (page, y) = anchors.get(id).copied().unwrap_or((0, 0.0));
                let y = (y - 4.0).max(0.0);
                d.insert(Name(&destination_name(id))).page(page_ref(page)).xyz(0.0, height - y, Some(0.0));
            }
        }

        let producer = format!("clinsafe {}", env!("CARGO_PKG_VERSION"));
        let info = archive::info(&mut self.out, self.meta, &producer);
        let metadata = archive::xmp(&mut self.out, self.meta, &producer, total);
        let catalog = self.out.alloc();
        let mut c = self.out.obj(catalog).indirect(catalog).start::<pdf_writer::writers::Catalog>();
        c.pages(self.page_tree).metadata(metadata).lang(TextStr("en-GB"));
        c.mark_info().marked(true);
        c.viewer_preferences().display_doc_title(true);
        c.pair(Name(b"StructTreeRoot"), tree_root);
        if let Some(root) = outline_root {
            c.outlines(root);
        }
        if let Some(r) = dests {
            c.destinations(r);
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
        self.out.finish(catalog, info, (document.as_bytes(), instance.as_bytes())).map_err(io)?;
        Ok(total)
    }
}

/// What the marked-content section open in a page's content holds.
#[derive(Clone, Copy, PartialEq)]
enum Marked {
    None,
    /// Text on the line at this height.
    Span(f32),
    /// Text drawn upright (a rotated column head): a span of its own.
    Upright,
    Figure,
    Layout,
}

/// Draws the running header and footer as pagination artifacts, one
/// section for each stretch of draws of the same part (header or footer).
fn pagination(p: &mut Painter, g: &mut Glyphs, running: &[Draw], height: f32) {
    let mut open = None;
    for d in running {
        let footer = matches!(d, Draw::Text { y, .. } | Draw::Line { y1: y, .. } if *y > height / 2.0);
        if open != Some(footer) {
            if open.is_some() {
                p.end_marked();
            }
            let part = if footer { ArtifactSubtype::Footer } else { ArtifactSubtype::Header };
            p.begin_artifact(ArtifactType::Pagination, Some(part));
            open = Some(footer);
        }
        p.draw(g, d);
    }
    if open.is_some() {
        p.end_marked();
    }
}

/// Where a link goes: a named destination (an id in the document), or a URI.
enum Action<'t> {
    Named(&'t str),
    Uri(&'t str),
}

/// Where a link goes and its description for assistive technology; `None`
/// for an anchor the document does not have or a scheme we do not link.
fn link_target<'t>(target: &'t str, targets: &HashSet<&str>) -> Option<(Action<'t>, String)> {
    if let Some(id) = target.strip_prefix('#') {
        return targets.contains(id).then(|| (Action::Named(id), format!("Go to {id}")));
    }
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| target.starts_with(p))
        .then(|| (Action::Uri(target), format!("Open {target}")))
}

/// The name of the destination of `id`: the id itself, so `file.pdf#HAZ-001`
/// opens at the hazard in a viewer, unless PDF/A's 127-byte limit on a name
/// (as written, `#xx` escapes counted) would be passed or it holds a NUL:
/// then a digest of it.
fn destination_name(id: &str) -> Vec<u8> {
    let written: usize =
        id.bytes().map(|b| if b.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&b) { 1 } else { 3 }).sum();
    // A name may not hold a NUL byte, even escaped.
    if written <= 127 && !id.is_empty() && !id.contains('\0') {
        return id.as_bytes().to_vec();
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(id.as_bytes());
    format!("id-{}", digest.iter().take(16).map(|b| format!("{b:02x}")).collect::<String>()).into_bytes()
}

fn write_link(out: &mut Out, a: Ref, key: i32, rect: Rect, alt: &str, action: Action) {
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
        Action::Named(id) => {
            act.action_type(ActionType::GoTo).destination_named(Name(&destination_name(id)));
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

    #[test]
    fn a_destination_is_named_by_its_id_within_pdf_a_name_limit() {
        assert_eq!(super::destination_name("hazard-HAZ-001"), b"hazard-HAZ-001");
        // Each byte of "é" is written as a 3-byte escape: 22 of them, 132 bytes, pass 127.
        for long in ["x".repeat(128), "é".repeat(22), "#".repeat(43)] {
            let name = super::destination_name(&long);
            assert!(name.starts_with(b"id-") && name.len() == 35, "{long}");
            assert_ne!(name, super::destination_name(&format!("{long}!")), "distinct ids, distinct names");
        }
        assert_eq!(super::destination_name(&"é".repeat(20)), "é".repeat(20).as_bytes(), "120 bytes written");
        assert!(super::destination_name("a\0b").starts_with(b"id-"), "no NUL in a name");
    }
}
