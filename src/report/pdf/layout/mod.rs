//! A small typesetting engine: wraps text, breaks pages, lays out tables and
//! lists, and returns positioned drawing commands. It knows nothing about the
//! PDF library (see `backend.rs`) or the documents' content (see `parse.rs`).
//! Written by hand because no maintained crate lays out tables with repeating
//! headers on a PDF library's drawing API (CRATES.md: printpdf's own HTML layout
//! ignores cell widths and does not wrap cells).
//!
//! Coordinates here are points from the top-left of the page, as the backend
//! takes them.
//!
//! Over 400 lines on purpose: the block loop, headings, paragraphs, lists
//! and figures share the page cursor; tables (`table.rs`) and line
//! breaking (`wrap.rs`) are already their own files.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::parse::{Block, Cell, Inline, ParaKind, Row, Style};
use crate::report::palette;

mod bidi;
mod draw;
mod table;
mod wrap;

use wrap::{each_token, Token};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
    Mono,
}

impl Face {
    pub fn of(style: &Style) -> Face {
        match (style.mono, style.bold, style.italic) {
            (true, _, _) => Face::Mono,
            (_, true, true) => Face::BoldItalic,
            (_, true, false) => Face::Bold,
            (_, false, true) => Face::Italic,
            _ => Face::Regular,
        }
    }
}

/// Text measurement, from the same font data the backend embeds.
pub trait Metrics {
    fn width(&self, face: Face, size: f32, text: &str) -> f32;
}

pub use draw::{Draw, Node, Page, Rgb};

/// Page size and margins, in points.
#[derive(Clone, Copy, Debug)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

impl Geometry {
    pub const A4: Geometry =
        Geometry { width: 595.28, height: 841.89, left: 48.0, right: 48.0, top: 62.0, bottom: 54.0 };
    pub fn content_width(&self) -> f32 {
        self.width - self.left - self.right
    }
    pub fn limit(&self) -> f32 {
        self.height - self.bottom
    }
}

pub const BODY: f32 = 9.5;
pub const SMALL: f32 = 8.3;
const LEADING: f32 = 1.32;
const CELL_PAD: f32 = 3.0;
pub const INK: Rgb = palette::INK.rgb();
const RULE: Rgb = palette::RULE.rgb();
const HEAD_FILL: Rgb = palette::HEAD_FILL.rgb();
const FIELD_FILL: Rgb = palette::FIELD_FILL.rgb();
const ACCENT: Rgb = palette::ACCENT.rgb();
const ALERT: Rgb = palette::ALERT.rgb();
const BADGE_BORDER: Rgb = palette::BADGE_BORDER.rgb();

/// Draws a named figure at (x, y) within `width`; returns its draws, its
/// height and its data in words (the text alternative).
pub type FigureFn<'a> = dyn Fn(&str, f32, f32, f32) -> Option<(Vec<Draw>, f32, String)> + 'a;

/// Receives each page as soon as it is full, so no document is held whole.
pub type PageSink<'a> = dyn FnMut(Page) + 'a;

pub struct Layout<'a> {
    m: &'a dyn Metrics,
    g: Geometry,
    /// The page being filled, and how many were sent to the sink before it.
    page: Page,
    page_index: usize,
    sink: &'a mut PageSink<'a>,
    y: f32,
    /// id → (page index, y) of every anchor, for internal links.
    pub anchors: BTreeMap<String, (usize, f32)>,
    /// (title, page index, y) of level 1–2 headings, in document order, for the PDF outline.
    pub outline: Vec<(String, usize, f32)>,
    figure: &'a FigureFn<'a>,
    /// Height that must still fit on the page after the last line or row of
    /// the block being laid out: a trailer (the provenance) that follows it,
    /// so a page never holds the trailer alone.
    reserve: f32,
}

/// A piece of a wrapped line: text in one style, measured. Borrowed from the
/// block's inlines while wrapping; owned once pieces are joined into a run.
#[derive(Clone, Debug)]
struct Piece<'t> {
    text: Cow<'t, str>,
    style: Style,
    link: Option<&'t str>,
    width: f32,
}

/// One wrapped line.
#[derive(Clone, Debug, Default)]
struct Line<'t> {
    pieces: Vec<Piece<'t>>,
    width: f32,
}

impl<'a> Layout<'a> {
    pub fn new(
        m: &'a dyn Metrics,
        g: Geometry,
        figure: &'a FigureFn<'a>,
        sink: &'a mut PageSink<'a>,
    ) -> Self {
        Layout {
            m,
            g,
            page: Page::default(),
            page_index: 0,
            sink,
            y: g.top,
            anchors: BTreeMap::new(),
            outline: Vec::new(),
            figure,
            reserve: 0.0,
        }
    }

    fn page(&mut self) -> &mut Page {
        &mut self.page
    }

    fn new_page(&mut self) {
        (self.sink)(std::mem::take(&mut self.page));
        self.page_index += 1;
        self.y = self.g.top;
    }

    /// Sends the last page; returns the number of pages.
    pub fn finish(&mut self) -> usize {
        (self.sink)(std::mem::take(&mut self.page));
        self.page_index + 1
    }

    fn open(&mut self, node: Node) {
        self.page.draws.push(Draw::Open(node));
    }

    fn close(&mut self) {
        self.page.draws.push(Draw::Close);
    }

    /// Starts a new page unless `h` more points fit on this one.
    fn ensure(&mut self, h: f32) {
        if self.y + h > self.g.limit() && self.y > self.g.top + 0.5 {
            self.new_page();
        }
    }

    fn anchor(&mut self, id: &str) {
        let at = (self.page_index, self.y);
        self.anchors.entry(id.to_string()).or_insert(at);
    }

    pub fn blocks(&mut self, blocks: &[Block], indent: f32) {
        // What the caller keeps after the last of these blocks (a list item's trailer).
        let tail = std::mem::take(&mut self.reserve);
        let mut widths = None;
        for (i, b) in blocks.iter().enumerate() {
            self.block(b, blocks.get(i + 1), tail, &mut widths, indent);
        }
        self.reserve = 0.0;
    }

    /// The document's blocks as they are parsed, each laid out with the next
    /// in view (keep-with-next), as [`Layout::blocks`] does with a slice.
    pub fn stream(&mut self, blocks: impl Iterator<Item = Block>) {
        let mut blocks = blocks.peekable();
        let mut widths = None;
        while let Some(b) = blocks.next() {
            self.block(&b, blocks.peek(), 0.0, &mut widths, 0.0);
        }
        self.reserve = 0.0;
    }

    /// Lays out `b`, followed by `next` (`None`: the last, followed by what
    /// needs `tail` points). `widths`: a table's column widths, measured once
    /// — the heading before it needs them to keep itself with the table's
    /// first row, and the table to draw.
    fn block(
        &mut self,
        b: &Block,
        next: Option<&Block>,
        tail: f32,
        widths: &mut Option<Vec<f32>>,
        indent: f32,
    ) {
        self.reserve = match next {
            None => tail,
            Some(Block::Para { inlines, kind: ParaKind::Trailer }) => {
                let lines = self.wrap(inlines, BODY, self.g.content_width() - indent).len();
                lines as f32 * BODY * LEADING + BODY
            }
            // "Evidence:" above a list is read with it: keep its first lines on the page.
            Some(Block::List { .. }) if introduces_list(b) => 2.0 * BODY * LEADING,
            Some(_) => 0.0,
        };
        match b {
            Block::Anchor(id) => self.anchor(id),
            Block::Heading { level, inlines, id } => {
                // Keep a heading with what follows it.
                let next_h = match next {
                    Some(Block::Table { caption, head, body, .. }) => {
                        let w = self.table_widths(head, body, indent);
                        let h = self.table_start_height(caption, head, body, &w, indent);
                        *widths = Some(w);
                        h
                    }
                    Some(next) => self.first_line_height(next),
                    None => 0.0,
                };
                self.heading(*level, inlines, id.as_deref(), next_h);
            }
            Block::Para { inlines, kind } => self.paragraph(inlines, *kind, indent),
            Block::List { ordered, items } => self.list(*ordered, items, indent),
            Block::Table { caption, head, body, keep } => {
                let widths = widths.take().unwrap_or_else(|| self.table_widths(head, body, indent));
                if *keep {
                    self.keep_together(caption, head, body, &widths, indent);
                }
                self.table(caption, head, body, &widths, indent)
            }
            Block::Figure { name, caption, id } => self.figure(name, caption, id.as_deref(), indent),
            Block::Rule => {
                self.ensure(8.0);
                let (x1, x2, y) = (self.g.left + indent, self.g.width - self.g.right, self.y + 4.0);
                self.page().draws.push(Draw::Line {
                    x1,
                    y1: y,
                    x2,
                    y2: y,
                    color: RULE,
                    width: 0.5,
                    dash: None,
                });
                self.y += 8.0;
            }
        }
    }

    /// Roughly the height of the first line of a block other than a table (for keep-with-next).
    fn first_line_height(&self, b: &Block) -> f32 {
        match b {
            Block::Figure { .. } => 120.0,
            _ => 3.0 * BODY * LEADING,
        }
    }

    fn heading(&mut self, level: u8, inlines: &[Inline], id: Option<&str>, next_h: f32) {
        let size = match level {
            1 => 17.0,
            2 => 13.0,
            3 => 10.8,
            _ => 10.0,
        };
        let mut size = size;
        let mut lines = self.wrap_as(inlines, size, self.g.content_width(), true);
        // A section title (a hazard's "id — title") stays on one line where it
        // can, so text extraction and screen readers get it in one piece.
        while level == 2 && lines.len() > 1 && size > 10.0 {
            size -= 0.5;
            lines = self.wrap_as(inlines, size, self.g.content_width(), true);
        }
        let space_before = match level {
            1 => 4.0,
            2 => 14.0,
            _ => 8.0,
        };
        let h = space_before + lines.len() as f32 * size * LEADING + 6.0;
        self.ensure(h + next_h.min(200.0));
        if self.y > self.g.top + 0.5 {
            self.y += space_before;
        }
        if let Some(id) = id {
            self.anchor(id);
        }
        let title: String = inlines.iter().map(|i| i.text.as_str()).collect::<String>().replace('\n', " ");
        if level <= 2 {
            self.outline.push((title.clone(), self.page_index, self.y));
        }
        self.open(Node::Heading(level, title));
        for line in &lines {
            self.draw_line(line, self.g.left, size);
        }
        self.close();
        if level == 2 {
            let y = self.y + 1.5;
            let (x1, x2) = (self.g.left, self.g.width - self.g.right);
            self.page().draws.push(Draw::Line {
                x1,
                y1: y,
                x2,
                y2: y,
                color: ACCENT,
                width: 1.2,
                dash: None,
            });
            self.y += 4.0;
        }
        self.y += 4.0;
    }

    fn paragraph(&mut self, inlines: &[Inline], kind: ParaKind, indent: f32) {
        let size = if kind == ParaKind::Pre { BODY - 1.0 } else { BODY };
        let (pad, width) = match kind {
            ParaKind::Draft | ParaKind::Quote => (6.0, self.g.content_width() - indent - 12.0),
            _ => (0.0, self.g.content_width() - indent),
        };
        let lines = self.wrap(inlines, size, width);
        if kind == ParaKind::Draft {
            let h = lines.len() as f32 * size * LEADING + 2.0 * pad;
            self.ensure(h + self.reserve);
            let w = lines.iter().map(|l| l.width).fold(0.0, f32::max) + 2.0 * pad;
            let (x, y) = (self.g.left + indent, self.y);
            self.page().draws.push(Draw::Rect { x, y, w, h, fill: None, stroke: Some((ALERT, 2.0)) });
            self.y += pad;
        }
        self.open(Node::Para);
        for (n, line) in lines.iter().enumerate() {
            if n + 1 == lines.len() {
                self.ensure(size * LEADING + pad + self.reserve);
            }
            self.draw_line(line, self.g.left + indent + pad, size);
        }
        self.close();
        self.y += pad + size * 0.55;
    }

    fn list(&mut self, ordered: bool, items: &[Vec<Block>], indent: f32) {
        // Room for the widest marker ("10." needs more than "•").
        let widest = if ordered { format!("{}.", items.len()) } else { "•".to_string() };
        let hang = (self.m.width(Face::Regular, BODY, &widest) + 6.0).max(14.0);
        let tail = std::mem::take(&mut self.reserve);
        self.open(Node::List(ordered));
        for (n, item) in items.iter().enumerate() {
            self.ensure(BODY * LEADING);
            let marker = if ordered { format!("{}.", n + 1) } else { "•".to_string() };
            let y = self.y + BODY;
            let x = self.g.left + indent + 2.0;
            self.open(Node::Item);
            self.open(Node::Label);
            self.page().draws.push(Draw::Text {
                x,
                y,
                face: Face::Regular,
                size: BODY,
                color: INK,
                text: marker,
                up: false,
                rtl: false,
            });
            self.close();
            self.open(Node::ItemBody);
            let before = self.y;
            self.reserve = if n + 1 == items.len() { tail } else { 0.0 };
            self.blocks(item, indent + hang);
            if (self.y - before).abs() < 0.1 {
                self.y += BODY * LEADING;
            }
            self.close();
            self.close();
            self.y -= BODY * 0.3; // tighter than paragraphs
        }
        self.close();
        self.y += BODY * 0.4;
    }

    /// Draws a wrapped line at the cursor and moves the cursor down.
    fn draw_line(&mut self, line: &Line, x0: f32, size: f32) {
        let h = size * LEADING;
        self.ensure(h);
        let baseline = self.y + size;
        let mut draws = std::mem::take(&mut self.page.draws);
        self.line_draws(line, x0, baseline, size, &mut draws);
        self.page.draws = draws;
        self.y += h;
    }

    /// Appends the draws of a wrapped line to `out` (the page's, or a row's).
    fn line_draws(&self, line: &Line, x0: f32, baseline: f32, size: f32, out: &mut Vec<Draw>) {
        // Join neighbouring pieces of one style and link into runs.
        let mut runs: Vec<Piece> = Vec::with_capacity(line.pieces.len().min(4));
        for p in &line.pieces {
            match runs.last_mut() {
                Some(r) if r.style == p.style && r.link == p.link => {
                    r.text.to_mut().push_str(&p.text);
                    r.width += p.width;
                }
                _ => runs.push(p.clone()),
            }
        }
        let mut x = x0;
        // Nearly every line is one left-to-right run: drawn as it is, not
        // through a reordered list of its own.
        if bidi::needs_reordering(&runs) {
            for (p, rtl) in bidi::visual_order(runs, self, size) {
                x += self.run_draws(p, rtl, x, baseline, size, out);
            }
        } else {
            for p in runs {
                x += self.run_draws(p, false, x, baseline, size, out);
            }
        }
    }

    /// The draws of one run of a line starting at `x`; its width.
    fn run_draws(&self, p: Piece, rtl: bool, x: f32, baseline: f32, size: f32, out: &mut Vec<Draw>) -> f32 {
        let inset = if p.style.badge.is_some() { 1.5 } else { 0.0 };
        if let Some(fill) = p.style.badge {
            out.push(Draw::Rect {
                x,
                y: baseline - size * 0.92,
                w: p.width,
                h: size * 1.18,
                fill: Some(fill),
                stroke: Some((BADGE_BORDER, 0.4)),
            });
        }
        if p.link.is_some() {
            out.push(Draw::Open(Node::Link));
        }
        // Through the middle of lower-case letters, over the words, not the space after.
        let strike =
            p.style.strike.then(|| self.m.width(Face::of(&p.style), size, p.text.trim_end()).min(p.width));
        out.push(Draw::Text {
            x: x + inset,
            y: baseline,
            face: Face::of(&p.style),
            size,
            color: p.style.color.unwrap_or(INK),
            text: p.text.into_owned(),
            up: false,
            rtl,
        });
        if let Some(target) = p.link {
            out.push(Draw::Link {
                x,
                y: baseline - size,
                w: p.width,
                h: size * 1.2,
                target: target.to_string(),
            });
            out.push(Draw::Close);
        }
        if let Some(w) = strike {
            out.push(Draw::Line {
                x1: x + inset,
                y1: baseline - size * 0.3,
                x2: x + inset + w,
                y2: baseline - size * 0.3,
                color: p.style.color.unwrap_or(INK),
                width: size * 0.06,
                dash: None,
            });
        }
        p.width
    }

    fn figure(&mut self, name: &str, caption: &[Inline], id: Option<&str>, indent: f32) {
        let x = self.g.left + indent;
        let width = self.g.content_width() - indent;
        // Ask for the figure's size first so it never splits across pages.
        let Some((_, h, _)) = (self.figure)(name, x, 0.0, width) else {
            self.paragraph(caption, ParaKind::Normal, indent);
            return;
        };
        let caption_lines = self.wrap(caption, SMALL, width);
        self.ensure(h + caption_lines.len() as f32 * SMALL * LEADING + 10.0 + self.reserve);
        if let Some(id) = id {
            self.anchor(id);
        }
        let (draws, h, words) = (self.figure)(name, x, self.y, width).expect("figure exists");
        let caption_text: String = caption.iter().map(|i| i.text.as_str()).collect();
        let alt = format!("{}. {words}", caption_text.trim().trim_end_matches('.'));
        self.open(Node::Figure(alt));
        self.page().draws.extend(draws);
        self.y += h + 2.0;
        self.open(Node::Caption);
        for line in &caption_lines {
            self.draw_line(line, x, SMALL);
        }
        self.close();
        self.close();
        self.y += 8.0;
    }
}

#[cfg(test)]
mod tests;

/// A paragraph that ends in a colon introduces what follows it.
fn introduces_list(b: &Block) -> bool {
    matches!(b, Block::Para { inlines, kind: ParaKind::Normal }
        if inlines.last().is_some_and(|i| i.text.trim_end().ends_with(':')))
}
