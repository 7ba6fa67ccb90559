//! The krilla backend: fonts, drawing commands → tagged PDF (PDF/UA-1) that
//! is also PDF/A-3a, with links, outline, metadata and the project's source
//! files attached. The only file that knows krilla. Pages are written as the
//! layout finishes them, so a long document is never held whole.

use std::collections::BTreeMap;

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::{Destination, XyzDestination};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope, Tag, TagGroup,
    TagKind, TagTree,
};
use krilla::{Document, SerializeSettings};

use super::layout::{Draw, Node, Page};

mod fonts;
pub use fonts::Fonts;

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

fn color(c: [f32; 3]) -> krilla::paint::Paint {
    let b = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    rgb::Color::new(b(c[0]), b(c[1]), b(c[2])).into()
}

/// An open structure element, or a stretch of artifacts.
enum Open {
    /// An element; `true` for a figure, whose drawings are its content.
    Group(TagGroup, bool),
    Artifact,
}

/// The structure tree being built, and the elements still open.
struct Structure {
    tree: TagTree,
    open: Vec<Open>,
}

/// Writes one document page by page.
pub struct Writer<'a> {
    doc: Document,
    fonts: &'a Fonts,
    size: (f32, f32),
    anchors: &'a BTreeMap<String, (usize, f32)>,
    tags: Structure,
}

impl<'a> Writer<'a> {
    pub fn new(
        fonts: &'a Fonts,
        size: (f32, f32),
        anchors: &'a BTreeMap<String, (usize, f32)>,
        meta: &Meta,
        attachments: &[Attachment],
    ) -> Result<Self, String> {
        let configuration = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A3_A)
            .with_accessibility_validator(Accessibility::UA1)
            .finish()
            .map_err(|e| format!("PDF configuration: {e:?}"))?;
        let settings = SerializeSettings {
            configuration,
            enable_tagging: true,
            compress_content_streams: true,
            ..Default::default()
        };
        // krilla deflates each page with a fresh compressor whose buffers (~300 KB, aligned) live
        // one page; carved from the heap between the pages' long-lived objects they pinned about
        // twice what was in use (10,000 hazards: 1.96 GB peak, 1.53 GB with this).
        crate::report::memory::keep_large_blocks_out_of_the_heap();
        let mut doc = Document::new_with(settings);
        let (y, m, d) = meta.as_of;
        let date = DateTime::new(y).month(m).day(d).hour(0).minute(0).second(0).utc_offset_hour(0);
        let producer = format!("clinsafe {}", env!("CARGO_PKG_VERSION"));
        doc.set_metadata(
            Metadata::new()
                .title(meta.title.to_string())
                .authors(if meta.author.is_empty() { Vec::new() } else { vec![meta.author.to_string()] })
                .description(meta.subject.to_string())
                .keywords(meta.keywords.clone())
                .language("en-GB".into())
                .creator(producer.clone())
                .producer(producer)
                .creation_date(date)
                .document_id(meta.id_seed.clone()),
        );
        for a in attachments {
            let mime = if a.name.ends_with(".csv") { "text/csv" } else { "application/yaml" };
            doc.embed_file(EmbeddedFile {
                path: a.name.to_string(),
                mime_type: MimeType::new(mime),
                description: Some(format!("Project source: {}", a.name)),
                association_kind: AssociationKind::Source,
                data: a.bytes.to_vec().into(),
                modification_date: Some(date),
                compress: Some(true),
                location: None,
            });
        }
        let tags = Structure { tree: TagTree::new().with_lang(Some("en-GB".into())), open: Vec::new() };
        Ok(Writer { doc, fonts, size, anchors, tags })
    }

    /// Writes one page: its running header and footer (artifacts), then its content.
    pub fn page(&mut self, page: &Page, running: &[Draw]) {
        let Writer { doc, fonts, size: (width, height), anchors, tags } = self;
        let (fonts, height) = (*fonts, *height);
        let mut p = doc.start_page_with(PageSettings::from_wh(*width, height).expect("A4 is a valid size"));
        // Annotations first (the page cannot take them while its surface is
        // open); each joins its Link element when the walk below reaches it.
        let mut links = Vec::new();
        for d in &page.draws {
            if let Draw::Link { x, y, w, h, target } = d {
                let annotation = link_target(target, anchors).and_then(|(target, alt)| {
                    let rect = Rect::from_xywh(*x, *y, *w, *h)?;
                    Some(Annotation::new_link(LinkAnnotation::new(rect, target), Some(alt)))
                });
                links.push(annotation.map(|a| p.add_tagged_annotation(a)));
            }
        }
        let mut links = links.into_iter();
        let mut s = p.surface();
        for d in running {
            let kind = match d {
                Draw::Text { y, .. } if *y > height / 2.0 => ArtifactType::Footer,
                _ => ArtifactType::Header,
            };
            s.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
            draw(&mut s, fonts, d);
            s.end_tagged();
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
                s.end_tagged();
                span = None;
            }
            match d {
                Draw::Open(node) => tags.open.push(if tags.in_artifact() || *node == Node::Artifact {
                    Open::Artifact
                } else {
                    Open::Group(TagGroup::new(tag(node)), matches!(node, Node::Figure(_)))
                }),
                Draw::Close => tags.close(),
                Draw::Link { .. } => {
                    if let Some(id) = links.next().flatten() {
                        tags.leaf(id);
                    }
                }
                Draw::Text { .. } if !tags.in_artifact() => {
                    if span.is_none() {
                        tags.leaf(s.start_tagged(ContentTag::Span(SpanTag::empty())));
                        span = line;
                    }
                    draw(&mut s, fonts, d);
                    if line.is_none() {
                        s.end_tagged(); // upright text: a span of its own
                    }
                }
                _ if tags.in_figure() => {
                    let id = s.start_tagged(ContentTag::Other);
                    draw(&mut s, fonts, d);
                    s.end_tagged();
                    tags.leaf(id);
                }
                _ => {
                    s.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)));
                    draw(&mut s, fonts, d);
                    s.end_tagged();
                }
            }
        }
        if span.is_some() {
            s.end_tagged();
        }
        s.finish();
        p.finish();
    }

    /// Finishes the document: outline, structure tree, and the bytes.
    pub fn finish(mut self, outline: &[(String, usize, f32)]) -> Result<Vec<u8>, String> {
        while !self.tags.open.is_empty() {
            self.tags.close();
        }
        let mut o = Outline::new();
        for (title, page, y) in outline {
            o.push_child(OutlineNode::new(
                title.clone(),
                XyzDestination::new(*page, Point::from_xy(0.0, (y - 14.0).max(0.0))),
            ));
        }
        self.doc.set_outline(o);
        self.doc.set_tag_tree(self.tags.tree);
        let mut bytes =
            self.doc.finish().map_err(|e| format!("the PDF library refused the document: {e}"))?;
        blank_suspects_false(&mut bytes);
        Ok(bytes)
    }
}

impl Structure {
    fn in_artifact(&self) -> bool {
        self.open.iter().any(|o| matches!(o, Open::Artifact))
    }

    fn in_figure(&self) -> bool {
        self.open.iter().any(|o| matches!(o, Open::Group(_, true)))
    }

    /// Content marked `id` belongs to the innermost open element (a stray
    /// piece of content gets a paragraph of its own).
    fn leaf(&mut self, id: Identifier) {
        match self.open.last_mut() {
            Some(Open::Group(g, _)) => g.push(id),
            Some(Open::Artifact) => {}
            None => self.tree.push(TagGroup::with_children(Tag::P, vec![id.into()])),
        }
    }

    fn close(&mut self) {
        if let Some(Open::Group(mut g, _)) = self.open.pop() {
            // The tree is held until the file is written: no spare capacity
            // (a Vec's doubling left up to half of each element's children unused).
            g.children.shrink_to_fit();
            match self.open.last_mut() {
                Some(Open::Group(parent, _)) => parent.push(g),
                Some(Open::Artifact) => {}
                None => self.tree.push(g),
            }
        }
    }
}

/// The structure tag of a layout node.
fn tag(node: &Node) -> TagKind {
    match node {
        Node::Heading(level, title) => {
            let level = std::num::NonZeroU16::new(u16::from((*level).clamp(1, 6))).expect("1 to 6");
            Tag::Hn(level, Some(title.clone())).into()
        }
        Node::Para => Tag::P.into(),
        Node::List(ordered) => {
            Tag::L(if *ordered { ListNumbering::Decimal } else { ListNumbering::Disc }).into()
        }
        Node::Item => Tag::LI.into(),
        Node::Label => Tag::Lbl.into(),
        Node::ItemBody => Tag::LBody.into(),
        Node::Table => Tag::Table.into(),
        Node::Caption => Tag::Caption.into(),
        Node::Row => Tag::TR.into(),
        Node::HeaderCell { column } => {
            Tag::TH(if *column { TableHeaderScope::Column } else { TableHeaderScope::Row }).into()
        }
        Node::Cell => Tag::TD.into(),
        Node::Link => Tag::Link.into(),
        Node::Figure(alt) => Tag::Figure(Some(alt.clone())).into(),
        Node::Artifact => Tag::Span.into(),
    }
}

/// Where a link goes and its description for assistive technology; `None`
/// for an anchor that does not exist or a scheme we do not link.
fn link_target(target: &str, anchors: &BTreeMap<String, (usize, f32)>) -> Option<(Target, String)> {
    if let Some(id) = target.strip_prefix('#') {
        let (page, y) = anchors.get(id)?;
        let dest = XyzDestination::new(*page, Point::from_xy(0.0, (*y - 4.0).max(0.0)));
        return Some((Target::Action(Action::Goto(Destination::Xyz(dest))), format!("Go to {id}")));
    }
    ["http://", "https://", "mailto:"].iter().any(|p| target.starts_with(p)).then(|| {
        (Target::Action(Action::Link(LinkAction::new(target.to_string()))), format!("Open {target}"))
    })
}

fn stroke(c: [f32; 3], width: f32, dash: Option<[f32; 2]>) -> Stroke {
    Stroke {
        paint: color(c),
        width,
        dash: dash.map(|d| StrokeDash { array: d.to_vec(), offset: 0.0 }),
        ..Default::default()
    }
}

/// Draws one command (not `Open`, `Close` or `Link`, which are structure).
fn draw(s: &mut Surface, fonts: &Fonts, d: &Draw) {
    match d {
        Draw::Text { x, y, face, size, color: c, text, up, rtl } => {
            s.set_fill(Some(Fill { paint: color(*c), ..Default::default() }));
            s.set_stroke(None);
            let glyphs = fonts.glyphs(*face, text, *rtl);
            let font = fonts.font(*face);
            if *up {
                s.push_transform(&Transform::from_row(0.0, -1.0, 1.0, 0.0, *x, *y));
                s.draw_glyphs(Point::from_xy(0.0, 0.0), &glyphs, font, text, *size, false);
                s.pop();
            } else {
                s.draw_glyphs(Point::from_xy(*x, *y), &glyphs, font, text, *size, false);
            }
        }
        Draw::Rect { x, y, w, h, fill, stroke: outline } => {
            let Some(rect) = Rect::from_xywh(*x, *y, w.max(0.01), h.max(0.01)) else { return };
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            let Some(path) = pb.finish() else { return };
            s.set_fill(fill.map(|f| Fill { paint: color(f), ..Default::default() }));
            s.set_stroke(outline.map(|(c, w)| stroke(c, w, None)));
            s.draw_path(&path);
        }
        Draw::Line { x1, y1, x2, y2, color: c, width, dash } => {
            polyline(s, &[(*x1, *y1), (*x2, *y2)], stroke(*c, *width, *dash));
        }
        Draw::Polyline { points, color: c, width } => polyline(s, points, stroke(*c, *width, None)),
        Draw::Link { .. } | Draw::Open(_) | Draw::Close => {}
    }
}

fn polyline(s: &mut Surface, points: &[(f32, f32)], line: Stroke) {
    let mut pb = PathBuilder::new();
    for (i, (x, y)) in points.iter().enumerate() {
        if i == 0 {
            pb.move_to(*x, *y);
        } else {
            pb.line_to(*x, *y);
        }
    }
    let Some(path) = pb.finish() else { return };
    s.set_fill(None);
    s.set_stroke(Some(line));
    s.draw_path(&path);
}

/// krilla writes `/MarkInfo<</Marked true/Suspects false>>`. `false` is valid
/// and the default, but poppler (pdfinfo, pdftotext) reports it as a "Syntax
/// Error" on every run, which reads as a broken file to whoever checks it.
/// Blanking the entry with spaces of the same length keeps every byte offset
/// (the cross-reference table) valid; nothing else in the file changes.
fn blank_suspects_false(bytes: &mut [u8]) {
    const MARK_INFO: &[u8] = b"/MarkInfo<</Marked true/Suspects false>>";
    const SUSPECTS: &[u8] = b"/Suspects false";
    if let Some(at) = bytes.windows(MARK_INFO.len()).position(|w| w == MARK_INFO) {
        let from = at + MARK_INFO.len() - 2 - SUSPECTS.len();
        bytes[from..from + SUSPECTS.len()].fill(b' ');
    }
}
