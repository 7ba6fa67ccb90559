//! The structure tree (tagged PDF), written as it goes: an element's number
//! is taken when it opens and the element is written when it closes, its
//! children then known. What stays until the end is small: the document's
//! top-level elements and, per page, the number of its parent-tree array.
//!
//! Elements are written as bare PDF by `write_element` rather than through
//! pdf-writer's `StructElement`: a long hazard log has a quarter of a
//! million of them, and pdf-writer's per-key work (and the `/Type` key it
//! always writes, which the format makes optional) was most of the cost.

use pdf_writer::types::StructRole;
use pdf_writer::{Finish, Ref, TextStr};

use super::file::Out;
use super::text_limit;
use crate::report::pdf::layout::Node;

/// A child of a structure element.
enum Kid {
    Element(Ref),
    /// Marked content `mcid` on `page`.
    Content {
        page: Ref,
        mcid: i32,
    },
    /// An annotation (a link's) on `page`.
    Annotation {
        page: Ref,
        annotation: Ref,
    },
}

struct Element {
    id: Ref,
    node: Node,
    /// Where its kids start in `Tags::kids` (one list for every open element).
    kids_from: usize,
}

/// An open structure element, or a stretch of artifacts (not in the tree).
enum Open {
    Element(Element),
    Artifact,
}

pub(super) struct Tags {
    /// The structure tree root and the document element under it.
    pub root: Ref,
    document: Ref,
    top: Vec<Ref>,
    open: Vec<Open>,
    /// The open elements' kids, innermost last: an element's are the tail
    /// from its `kids_from` (a list per element was an allocation each).
    kids: Vec<Kid>,
    /// Artifacts open (any `Open::Artifact` on the stack).
    artifacts: usize,
    figures: usize,
    /// The innermost element is a paragraph opened for one stray piece of content.
    stray: bool,
    /// The parent tree: (key, the page's array of parents by MCID, or the
    /// link element an annotation belongs to), keys ascending.
    parents: Vec<(i32, Ref)>,
    next_key: i32,
}

impl Tags {
    pub fn new(out: &mut Out) -> Tags {
        Tags {
            root: out.alloc(),
            document: out.alloc(),
            top: Vec::new(),
            open: Vec::new(),
            kids: Vec::new(),
            artifacts: 0,
            figures: 0,
            stray: false,
            parents: Vec::new(),
            next_key: 0,
        }
    }

    pub fn in_artifact(&self) -> bool {
        self.artifacts > 0
    }

    pub fn in_figure(&self) -> bool {
        self.figures > 0
    }

    pub fn open(&mut self, out: &mut Out, node: &Node) {
        if self.in_artifact() || *node == Node::Artifact {
            self.artifacts += 1;
            self.open.push(Open::Artifact);
            return;
        }
        if matches!(node, Node::Figure(_)) {
            self.figures += 1;
        }
        let kids_from = self.kids.len();
        self.open.push(Open::Element(Element { id: out.alloc(), node: node.clone(), kids_from }));
    }

    /// The innermost open element, which content marked now belongs to.
    /// A stray piece of content gets a paragraph of its own.
    pub fn parent_of_content(&mut self, out: &mut Out) -> Ref {
        match self.open.last() {
            Some(Open::Element(e)) => e.id,
            _ => {
                self.open(out, &Node::Para);
                let id = self.current();
                self.stray = true;
                id
            }
        }
    }

    fn current(&self) -> Ref {
        match self.open.last() {
            Some(Open::Element(e)) => e.id,
            _ => unreachable!("an element was just opened"),
        }
    }

    /// Content `mcid` on `page` belongs to the innermost element.
    pub fn content(&mut self, out: &mut Out, page: Ref, mcid: i32) {
        self.kid(Kid::Content { page, mcid });
        self.close_stray(out);
    }

    /// A link annotation belongs to the innermost (Link) element; its key in
    /// the parent tree.
    pub fn annotation(&mut self, out: &mut Out, page: Ref, annotation: Ref) -> i32 {
        let parent = self.parent_of_content(out);
        let key = self.key(parent);
        self.kid(Kid::Annotation { page, annotation });
        self.close_stray(out);
        key
    }

    fn kid(&mut self, kid: Kid) {
        if let Some(Open::Element(_)) = self.open.last() {
            self.kids.push(kid);
        }
    }

    fn close_stray(&mut self, out: &mut Out) {
        if std::mem::take(&mut self.stray) {
            self.close(out);
        }
    }

    /// A new parent-tree key pointing at `parent` (a page's array, or a link element).
    pub fn key(&mut self, parent: Ref) -> i32 {
        let key = self.next_key;
        self.next_key += 1;
        self.parents.push((key, parent));
        key
    }

    pub fn close(&mut self, out: &mut Out) {
        match self.open.pop() {
            Some(Open::Artifact) => self.artifacts -= 1,
            Some(Open::Element(e)) => {
                if matches!(e.node, Node::Figure(_)) {
                    self.figures -= 1;
                }
                let parent = match self.open.last() {
                    Some(Open::Element(p)) => Some(p.id),
                    // Inside an artifact: not part of the tree (never happens:
                    // nothing opens an element inside an artifact).
                    Some(Open::Artifact) => None,
                    None => {
                        self.top.push(e.id);
                        None
                    }
                };
                write_element(
                    out.packed_bare(e.id),
                    &e,
                    &self.kids[e.kids_from..],
                    parent.unwrap_or(self.document),
                );
                self.kids.truncate(e.kids_from);
                if parent.is_some() {
                    self.kids.push(Kid::Element(e.id));
                }
            }
            None => {}
        }
    }

    /// Closes what is still open and writes the document element, the
    /// structure tree root and its parent tree.
    pub fn end(&mut self, out: &mut Out) -> std::io::Result<()> {
        while !self.open.is_empty() {
            self.close(out);
        }
        let mut doc = out.packed(self.document).struct_element(self.document);
        doc.kind(StructRole::Document).parent(self.root).lang(TextStr("en-GB"));
        doc.children().items(self.top.iter().copied());
        doc.finish();
        let mut root =
            out.packed(self.root).indirect(self.root).start::<pdf_writer::writers::StructTreeRoot>();
        root.child(self.document);
        let mut tree = root.parent_tree();
        let mut nums = tree.nums();
        for &(key, parent) in &self.parents {
            nums.insert(key, parent);
        }
        nums.finish();
        tree.finish();
        root.parent_tree_next_key(self.next_key);
        root.finish();
        out.flush()
    }
}

/// Element `e` with its `kids`, under `parent`, as a bare dictionary
/// (what pdf-writer's `StructElement` wrote, less the optional `/Type`).
fn write_element(buf: &mut Vec<u8>, e: &Element, kids: &[Kid], parent: Ref) {
    let page = kids.iter().find_map(|k| match k {
        Kid::Content { page, .. } | Kid::Annotation { page, .. } => Some(*page),
        Kid::Element(_) => None,
    });
    buf.extend_from_slice(b"<</P ");
    reference(buf, parent);
    if let Some(page) = page {
        buf.extend_from_slice(b"/Pg ");
        reference(buf, page);
    }
    buf.extend_from_slice(b"/S/");
    buf.extend_from_slice(role(&e.node));
    match &e.node {
        Node::Heading(_, title) => {
            buf.extend_from_slice(b"/T");
            text_string(buf, text_limit(title));
        }
        Node::List(ordered) => {
            let numbering: &[u8] = if *ordered { b"Decimal" } else { b"Disc" };
            buf.extend_from_slice(b"/A[<</O/List/ListNumbering/");
            buf.extend_from_slice(numbering);
            buf.extend_from_slice(b">>]");
        }
        Node::HeaderCell { column } => {
            let scope: &[u8] = if *column { b"Column" } else { b"Row" };
            buf.extend_from_slice(b"/A[<</O/Table/Scope/");
            buf.extend_from_slice(scope);
            buf.extend_from_slice(b">>]");
        }
        Node::Figure(alt) => {
            buf.extend_from_slice(b"/Alt");
            text_string(buf, text_limit(alt));
        }
        _ => {}
    }
    buf.extend_from_slice(b"/K[");
    let mut number = itoa::Buffer::new();
    for (i, k) in kids.iter().enumerate() {
        if i > 0 {
            buf.push(b' ');
        }
        match *k {
            Kid::Element(r) => reference(buf, r),
            Kid::Content { page: p, mcid } if Some(p) == page => {
                buf.extend_from_slice(number.format(mcid).as_bytes());
            }
            Kid::Content { page: p, mcid } => {
                buf.extend_from_slice(b"<</Type/MCR/Pg ");
                reference(buf, p);
                buf.extend_from_slice(b"/MCID ");
                buf.extend_from_slice(number.format(mcid).as_bytes());
                buf.extend_from_slice(b">>");
            }
            Kid::Annotation { page: p, annotation } => {
                buf.extend_from_slice(b"<</Type/OBJR/Pg ");
                reference(buf, p);
                buf.extend_from_slice(b"/Obj ");
                reference(buf, annotation);
                buf.extend_from_slice(b">>");
            }
        }
    }
    buf.extend_from_slice(b"]>>");
}

/// The standard structure type a node is tagged as (ISO 32000-1, 14.8.4).
fn role(node: &Node) -> &'static [u8] {
    match node {
        Node::Heading(0 | 1, _) => b"H1",
        Node::Heading(2, _) => b"H2",
        Node::Heading(3, _) => b"H3",
        Node::Heading(4, _) => b"H4",
        Node::Heading(5, _) => b"H5",
        Node::Heading(..) => b"H6",
        Node::Para => b"P",
        Node::List(_) => b"L",
        Node::Item => b"LI",
        Node::Label => b"Lbl",
        Node::ItemBody => b"LBody",
        Node::Table => b"Table",
        Node::Caption => b"Caption",
        Node::Row => b"TR",
        Node::HeaderCell { .. } => b"TH",
        Node::Cell => b"TD",
        Node::Link => b"Link",
        Node::Figure(_) => b"Figure",
        Node::Artifact => b"Span",
    }
}

/// `N 0 R`.
fn reference(buf: &mut Vec<u8>, r: Ref) {
    buf.extend_from_slice(itoa::Buffer::new().format(r.get()).as_bytes());
    buf.extend_from_slice(b" 0 R");
}

/// A text string as pdf-writer encodes it (PDFDocEncoding or UTF-16 with
/// its escapes): headings and figures only, a few per page.
fn text_string(buf: &mut Vec<u8>, text: &str) {
    let one = Ref::new(1);
    let mut chunk = pdf_writer::Chunk::with_settings(super::file::SETTINGS);
    chunk.indirect(one).primitive(TextStr(text));
    buf.extend_from_slice(super::file::bare(chunk.as_bytes(), one));
}
