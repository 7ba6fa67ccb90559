//! The structure tree (tagged PDF), written as it goes: an element's number
//! is taken when it opens and the element is written when it closes, its
//! children then known. What stays until the end is small: the document's
//! top-level elements and, per page, the number of its parent-tree array.

use pdf_writer::types::{ListNumbering, StructRole, TableHeaderScope};
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
    kids: Vec<Kid>,
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
        self.open.push(Open::Element(Element { id: out.alloc(), node: node.clone(), kids: Vec::new() }));
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
        if let Some(Open::Element(e)) = self.open.last_mut() {
            e.kids.push(kid);
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
                let parent = match self.open.last_mut() {
                    Some(Open::Element(p)) => {
                        p.kids.push(Kid::Element(e.id));
                        p.id
                    }
                    // Inside an artifact: not part of the tree (never happens:
                    // nothing opens an element inside an artifact).
                    Some(Open::Artifact) => self.document,
                    None => {
                        self.top.push(e.id);
                        self.document
                    }
                };
                write_element(out, &e, parent);
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

fn write_element(out: &mut Out, e: &Element, parent: Ref) {
    let page = e.kids.iter().find_map(|k| match k {
        Kid::Content { page, .. } | Kid::Annotation { page, .. } => Some(*page),
        Kid::Element(_) => None,
    });
    let mut w = out.packed(e.id).struct_element(e.id);
    w.parent(parent);
    if let Some(page) = page {
        w.page(page);
    }
    match &e.node {
        Node::Heading(level, title) => {
            let role = match level {
                0 | 1 => StructRole::H1,
                2 => StructRole::H2,
                3 => StructRole::H3,
                4 => StructRole::H4,
                5 => StructRole::H5,
                _ => StructRole::H6,
            };
            w.kind(role).title(TextStr(text_limit(title)));
        }
        Node::Para => {
            w.kind(StructRole::P);
        }
        Node::List(ordered) => {
            w.kind(StructRole::L);
            let numbering = if *ordered { ListNumbering::Decimal } else { ListNumbering::Disc };
            w.attributes().push().list().list_numbering(numbering);
        }
        Node::Item => {
            w.kind(StructRole::LI);
        }
        Node::Label => {
            w.kind(StructRole::Lbl);
        }
        Node::ItemBody => {
            w.kind(StructRole::LBody);
        }
        Node::Table => {
            w.kind(StructRole::Table);
        }
        Node::Caption => {
            w.kind(StructRole::Caption);
        }
        Node::Row => {
            w.kind(StructRole::TR);
        }
        Node::HeaderCell { column } => {
            w.kind(StructRole::TH);
            let scope = if *column { TableHeaderScope::Column } else { TableHeaderScope::Row };
            w.attributes().push().table().scope(scope);
        }
        Node::Cell => {
            w.kind(StructRole::TD);
        }
        Node::Link => {
            w.kind(StructRole::Link);
        }
        Node::Figure(alt) => {
            w.kind(StructRole::Figure).alt(TextStr(text_limit(alt)));
        }
        Node::Artifact => {
            w.kind(StructRole::Span);
        }
    }
    let mut kids = w.children();
    for k in &e.kids {
        match *k {
            Kid::Element(r) => {
                kids.struct_element(r);
            }
            Kid::Content { page: p, mcid } if Some(p) == page => {
                kids.marked_content_id(mcid);
            }
            Kid::Content { page: p, mcid } => {
                kids.marked_content_ref().page(p).marked_content_id(mcid);
            }
            Kid::Annotation { page: p, annotation } => {
                kids.object_ref().page(p).object(annotation);
            }
        }
    }
}
