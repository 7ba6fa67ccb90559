//! A small typesetting engine: wraps text, breaks pages, lays out tables and
//! lists, and returns positioned drawing commands. It knows nothing about the
//! PDF library (see `backend.rs`) or the documents' content (see `parse.rs`).
//! Written by hand because no maintained crate lays out tables with repeating
//! headers on printpdf's drawing API (CRATES.md: printpdf's own HTML layout
//! ignores cell widths and does not wrap cells).
//!
//! Coordinates here are points from the top-left of the page; the backend
//! flips them.

use std::collections::BTreeMap;

use super::parse::{Block, Cell, Inline, ParaKind, Row, Style};

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

pub type Rgb = [f32; 3];

#[derive(Clone, Debug, PartialEq)]
pub enum Draw {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        color: Rgb,
        text: String,
    },
    /// Text turned 90° anticlockwise, reading upwards from (x, y).
    TextUp {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        color: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Rgb,
        width: f32,
        dash: Option<[f32; 2]>,
    },
    Polyline {
        points: Vec<(f32, f32)>,
        color: Rgb,
        width: f32,
    },
    /// A clickable area: `#id` inside the document, or an http(s)/mailto URI.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: String,
    },
}

#[derive(Clone, Debug, Default)]
pub struct Page {
    pub draws: Vec<Draw>,
}

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
pub const INK: Rgb = [0.106, 0.106, 0.106];
const RULE: Rgb = [0.54, 0.54, 0.54];
const HEAD_FILL: Rgb = [0.91, 0.93, 0.93];
const ACCENT: Rgb = [0.0, 0.37, 0.72];

/// Draws a named figure at (x, y) within `width`; returns its height.
pub type FigureFn<'a> = dyn Fn(&str, f32, f32, f32) -> Option<(Vec<Draw>, f32)> + 'a;

pub struct Layout<'a> {
    m: &'a dyn Metrics,
    g: Geometry,
    pub pages: Vec<Page>,
    y: f32,
    /// id → (page index, y) of every anchor, for internal links.
    pub anchors: BTreeMap<String, (usize, f32)>,
    /// (title, page index) of level 1–2 headings, for the PDF outline.
    pub outline: Vec<(String, usize)>,
    figure: &'a FigureFn<'a>,
}

/// A piece of a wrapped line: text in one style, measured.
#[derive(Clone, Debug)]
struct Piece {
    text: String,
    style: Style,
    link: Option<String>,
    width: f32,
}

/// One wrapped line.
#[derive(Clone, Debug, Default)]
struct Line {
    pieces: Vec<Piece>,
    width: f32,
}

impl<'a> Layout<'a> {
    pub fn new(m: &'a dyn Metrics, g: Geometry, figure: &'a FigureFn<'a>) -> Self {
        Layout {
            m,
            g,
            pages: vec![Page::default()],
            y: g.top,
            anchors: BTreeMap::new(),
            outline: Vec::new(),
            figure,
        }
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.g.top;
    }

    /// Starts a new page unless `h` more points fit on this one.
    fn ensure(&mut self, h: f32) {
        if self.y + h > self.g.limit() && self.y > self.g.top + 0.5 {
            self.new_page();
        }
    }

    fn anchor(&mut self, id: &str) {
        let at = (self.pages.len() - 1, self.y);
        self.anchors.entry(id.to_string()).or_insert(at);
    }

    pub fn blocks(&mut self, blocks: &[Block], indent: f32) {
        for (i, b) in blocks.iter().enumerate() {
            match b {
                Block::Anchor(id) => self.anchor(id),
                Block::Heading { level, inlines, id } => {
                    // Keep a heading with what follows it.
                    let next_h = blocks.get(i + 1).map_or(0.0, |n| self.first_line_height(n));
                    self.heading(*level, inlines, id.as_deref(), next_h);
                }
                Block::Para { inlines, kind } => self.paragraph(inlines, *kind, indent),
                Block::List { ordered, items } => self.list(*ordered, items, indent),
                Block::Table { caption, head, body } => self.table(caption, head, body, indent),
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
    }

    /// Roughly the height of the first line or row of a block (for keep-with-next).
    fn first_line_height(&self, b: &Block) -> f32 {
        match b {
            Block::Table { head, .. } => {
                (head.len() as f32 + 1.0) * (SMALL * LEADING + 2.0 * CELL_PAD) + 20.0
            }
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
        let bold: Vec<Inline> =
            inlines.iter().map(|i| Inline { style: Style { bold: true, ..i.style }, ..i.clone() }).collect();
        let mut size = size;
        let mut lines = self.wrap(&bold, size, self.g.content_width());
        // A section title (a hazard's "id — title") stays on one line where it
        // can, so text extraction and screen readers get it in one piece.
        while level == 2 && lines.len() > 1 && size > 10.0 {
            size -= 0.5;
            lines = self.wrap(&bold, size, self.g.content_width());
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
        if level <= 2 {
            let title: String =
                inlines.iter().map(|i| i.text.as_str()).collect::<String>().replace('\n', " ");
            self.outline.push((title, self.pages.len() - 1));
        }
        for line in &lines {
            self.draw_line(line, self.g.left, size);
        }
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
            self.ensure(h);
            let w = lines.iter().map(|l| l.width).fold(0.0, f32::max) + 2.0 * pad;
            let (x, y) = (self.g.left + indent, self.y);
            self.page().draws.push(Draw::Rect {
                x,
                y,
                w,
                h,
                fill: None,
                stroke: Some(([0.54, 0.11, 0.11], 2.0)),
            });
            self.y += pad;
        }
        for line in &lines {
            self.draw_line(line, self.g.left + indent + pad, size);
        }
        self.y += pad + size * 0.55;
    }

    fn list(&mut self, ordered: bool, items: &[Vec<Block>], indent: f32) {
        for (n, item) in items.iter().enumerate() {
            self.ensure(BODY * LEADING);
            let marker = if ordered { format!("{}.", n + 1) } else { "•".to_string() };
            let y = self.y + BODY;
            let x = self.g.left + indent + 2.0;
            self.page().draws.push(Draw::Text {
                x,
                y,
                face: Face::Regular,
                size: BODY,
                color: INK,
                text: marker,
            });
            let before = self.y;
            self.blocks(item, indent + 14.0);
            if (self.y - before).abs() < 0.1 {
                self.y += BODY * LEADING;
            }
            self.y -= BODY * 0.3; // tighter than paragraphs
        }
        self.y += BODY * 0.4;
    }

    /// Draws a wrapped line at the cursor and moves the cursor down.
    fn draw_line(&mut self, line: &Line, x0: f32, size: f32) {
        let h = size * LEADING;
        self.ensure(h);
        let baseline = self.y + size;
        let draws = self.line_draws(line, x0, baseline, size);
        self.page().draws.extend(draws);
        self.y += h;
    }

    fn line_draws(&self, line: &Line, x0: f32, baseline: f32, size: f32) -> Vec<Draw> {
        // Join neighbouring pieces of one style and link into runs.
        let mut runs: Vec<Piece> = Vec::new();
        for p in &line.pieces {
            match runs.last_mut() {
                Some(r) if r.style == p.style && r.link == p.link => {
                    r.text.push_str(&p.text);
                    r.width += p.width;
                }
                _ => runs.push(p.clone()),
            }
        }
        let mut out = Vec::new();
        let mut x = x0;
        for p in &runs {
            let inset = if p.style.badge.is_some() { 1.5 } else { 0.0 };
            if let Some(fill) = p.style.badge {
                out.push(Draw::Rect {
                    x,
                    y: baseline - size * 0.92,
                    w: p.width,
                    h: size * 1.18,
                    fill: Some(fill),
                    stroke: Some(([0.33, 0.33, 0.33], 0.4)),
                });
            }
            out.push(Draw::Text {
                x: x + inset,
                y: baseline,
                face: Face::of(&p.style),
                size,
                color: p.style.color.unwrap_or(INK),
                text: p.text.clone(),
            });
            if let Some(target) = &p.link {
                out.push(Draw::Link {
                    x,
                    y: baseline - size,
                    w: p.width,
                    h: size * 1.2,
                    target: target.clone(),
                });
            }
            x += p.width;
        }
        out
    }

    /// Greedy line breaking over words; a word may be made of several styled
    /// fragments (`CTL-1</a>,`) and only breaks at spaces, `\n` forces a
    /// break, and a word wider than the line is split between characters.
    fn wrap(&self, inlines: &[Inline], size: f32, width: f32) -> Vec<Line> {
        let mut lines = vec![Line::default()];
        for token in tokens(inlines) {
            match token {
                Token::Break => lines.push(Line::default()),
                Token::Space(inline) => {
                    let cur = lines.last_mut().expect("a line");
                    if !cur.pieces.is_empty() {
                        let w = self.piece_width(inline, " ", size);
                        push_piece(cur, " ", inline, w);
                    }
                }
                Token::Word(frags) => {
                    let w: f32 = frags.iter().map(|(i, t)| self.piece_width(i, t, size)).sum();
                    let cur = lines.last_mut().expect("a line");
                    if cur.width + w > width && !cur.pieces.is_empty() {
                        trim_trailing_space(cur);
                        lines.push(Line::default());
                    }
                    let cur = lines.last_mut().expect("a line");
                    if cur.width + w <= width {
                        for (i, t) in &frags {
                            let fw = self.piece_width(i, t, size);
                            push_piece(cur, t, i, fw);
                        }
                        continue;
                    }
                    // Longer than a whole line (a URL, a digest): split between characters.
                    for (i, t) in &frags {
                        for c in t.chars() {
                            let s = c.to_string();
                            let cw = self.piece_width(i, &s, size);
                            if lines.last().is_some_and(|l| l.width + cw > width && !l.pieces.is_empty()) {
                                lines.push(Line::default());
                            }
                            push_piece(lines.last_mut().expect("a line"), &s, i, cw);
                        }
                    }
                }
            }
        }
        for l in &mut lines {
            trim_trailing_space(l);
        }
        if lines.len() > 1 && lines.last().is_some_and(|l| l.pieces.is_empty()) {
            lines.pop();
        }
        lines
    }

    /// Width of a fragment; badges get room for their box.
    fn piece_width(&self, inline: &Inline, text: &str, size: f32) -> f32 {
        let w = self.m.width(Face::of(&inline.style), size, text);
        if inline.style.badge.is_some() && !text.trim().is_empty() {
            w + 3.0
        } else {
            w
        }
    }

    fn figure(&mut self, name: &str, caption: &[Inline], id: Option<&str>, indent: f32) {
        let x = self.g.left + indent;
        let width = self.g.content_width() - indent;
        // Ask for the figure's size first so it never splits across pages.
        let Some((_, h)) = (self.figure)(name, x, 0.0, width) else {
            self.paragraph(caption, ParaKind::Normal, indent);
            return;
        };
        let caption_lines = self.wrap(caption, SMALL, width);
        self.ensure(h + caption_lines.len() as f32 * SMALL * LEADING + 10.0);
        if let Some(id) = id {
            self.anchor(id);
        }
        let (draws, h) = (self.figure)(name, x, self.y, width).expect("figure exists");
        self.page().draws.extend(draws);
        self.y += h + 2.0;
        for line in &caption_lines {
            self.draw_line(line, x, SMALL);
        }
        self.y += 8.0;
    }

    fn table(&mut self, caption: &[Inline], head: &[Row], body: &[Row], indent: f32) {
        let width = self.g.content_width() - indent;
        let x0 = self.g.left + indent;
        let columns = head.iter().chain(body).map(|r| r.cells.len()).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let widths = self.column_widths(head, body, columns, width);
        if !caption.is_empty() {
            let lines = self.wrap(caption, BODY, width);
            self.ensure(lines.len() as f32 * BODY * LEADING + 40.0);
            for line in &lines {
                self.draw_line(line, x0, BODY);
            }
            self.y += 2.0;
        }
        let head_h: f32 = head.iter().map(|r| self.row_height(r, &widths)).sum();
        let mut need_head = true;
        for row in body {
            let h = self.row_height(row, &widths);
            if need_head || self.y + h > self.g.limit() {
                if !need_head || self.y + head_h + h > self.g.limit() {
                    self.new_page();
                }
                for r in head {
                    self.draw_row(r, &widths, x0, true);
                }
                need_head = false;
            }
            if let Some(id) = &row.id {
                self.anchor(id);
            }
            self.draw_row(row, &widths, x0, false);
        }
        if body.is_empty() {
            for r in head {
                self.draw_row(r, &widths, x0, true);
            }
        }
        self.y += 8.0;
    }

    /// Column widths from each column's narrowest (longest word) and widest
    /// (unwrapped) content, shared out over the available width, as browsers do.
    fn column_widths(&self, head: &[Row], body: &[Row], columns: usize, width: f32) -> Vec<f32> {
        let mut min = vec![12.0f32; columns];
        let mut max = vec![12.0f32; columns];
        for row in head.iter().chain(body) {
            for (c, cell) in row.cells.iter().enumerate() {
                if cell.vertical {
                    let w = SMALL * LEADING + 2.0 * CELL_PAD;
                    min[c] = min[c].max(w);
                    max[c] = max[c].max(w);
                    continue;
                }
                let (lo, hi) = self.cell_extent(cell);
                min[c] = min[c].max((lo + 2.0 * CELL_PAD).min(width * 0.35));
                max[c] = max[c].max(hi + 2.0 * CELL_PAD);
            }
        }
        let (sum_min, sum_max): (f32, f32) = (min.iter().sum(), max.iter().sum());
        if sum_max <= width {
            // Spread the spare width in proportion to content, like width: 100%.
            return max.iter().map(|m| m * width / sum_max).collect();
        }
        if sum_min >= width {
            return min.iter().map(|m| m * width / sum_min).collect();
        }
        let spare = (width - sum_min) / (sum_max - sum_min);
        min.iter().zip(&max).map(|(lo, hi)| lo + (hi - lo) * spare).collect()
    }

    /// (longest word, longest line) of a cell's text, in points.
    /// (longest word, longest line) of a cell's text, in points, measured
    /// exactly as `wrap` will place it (words spanning styles, badge room).
    fn cell_extent(&self, cell: &Cell) -> (f32, f32) {
        let inlines = Self::cell_inlines(cell);
        let (mut longest_word, mut line, mut longest_line) = (0.0f32, 0.0f32, 0.0f32);
        for token in tokens(&inlines) {
            match token {
                Token::Word(frags) => {
                    let w: f32 = frags.iter().map(|(i, t)| self.piece_width(i, t, SMALL)).sum();
                    longest_word = longest_word.max(w);
                    line += w;
                }
                Token::Space(i) => line += self.piece_width(i, " ", SMALL),
                Token::Break => {
                    longest_line = longest_line.max(line);
                    line = 0.0;
                }
            }
        }
        (longest_word + 2.0, longest_line.max(line) + 2.0)
    }

    fn cell_inlines(cell: &Cell) -> Vec<Inline> {
        cell.inlines
            .iter()
            .map(|i| Inline { style: Style { bold: i.style.bold || cell.header, ..i.style }, ..i.clone() })
            .collect()
    }

    fn row_height(&self, row: &Row, widths: &[f32]) -> f32 {
        row.cells
            .iter()
            .zip(widths)
            .map(|(cell, w)| {
                if cell.vertical {
                    let text: String = cell.inlines.iter().map(|i| i.text.as_str()).collect();
                    self.m.width(Face::Bold, SMALL, &text) + 2.0 * CELL_PAD + 2.0
                } else {
                    let lines = self.wrap(&Self::cell_inlines(cell), SMALL, w - 2.0 * CELL_PAD);
                    lines.len() as f32 * SMALL * LEADING + 2.0 * CELL_PAD
                }
            })
            .fold(SMALL * LEADING + 2.0 * CELL_PAD, f32::max)
    }

    fn draw_row(&mut self, row: &Row, widths: &[f32], x0: f32, is_head: bool) {
        let h = self.row_height(row, widths);
        let avail = self.g.limit() - self.g.top;
        if h > avail {
            return self.draw_tall_row(row, widths, x0);
        }
        let y = self.y;
        let mut x = x0;
        let mut draws = Vec::new();
        for (cell, w) in row.cells.iter().zip(widths) {
            let fill = cell.fill.or(if is_head {
                Some(HEAD_FILL)
            } else if cell.header {
                Some([0.96, 0.97, 0.97])
            } else {
                None
            });
            draws.push(Draw::Rect { x, y, w: *w, h, fill, stroke: Some((RULE, 0.5)) });
            if cell.vertical {
                let text: String = cell.inlines.iter().map(|i| i.text.as_str()).collect();
                draws.push(Draw::TextUp {
                    x: x + CELL_PAD + SMALL,
                    y: y + h - CELL_PAD,
                    face: Face::Bold,
                    size: SMALL,
                    color: INK,
                    text,
                });
            } else {
                let lines = self.wrap(&Self::cell_inlines(cell), SMALL, w - 2.0 * CELL_PAD);
                let centred = cell.fill.is_some();
                for (i, line) in lines.iter().enumerate() {
                    let lx = if centred { x + (w - line.width) / 2.0 } else { x + CELL_PAD };
                    let baseline = y + CELL_PAD + SMALL + i as f32 * SMALL * LEADING;
                    draws.extend(self.line_draws(line, lx, baseline, SMALL));
                }
            }
            x += w;
        }
        self.page().draws.extend(draws);
        self.y += h;
    }

    /// A row taller than a page: its cells continue on the next pages, line
    /// by line, so nothing is cut off.
    fn draw_tall_row(&mut self, row: &Row, widths: &[f32], x0: f32) {
        let cells: Vec<Vec<Line>> = row
            .cells
            .iter()
            .zip(widths)
            .map(|(cell, w)| self.wrap(&Self::cell_inlines(cell), SMALL, w - 2.0 * CELL_PAD))
            .collect();
        let line_h = SMALL * LEADING;
        let mut start = 0;
        let total = cells.iter().map(Vec::len).max().unwrap_or(0);
        while start < total {
            let fit = (((self.g.limit() - self.y - 2.0 * CELL_PAD) / line_h).floor() as usize).max(1);
            let end = (start + fit).min(total);
            let h = (end - start) as f32 * line_h + 2.0 * CELL_PAD;
            let y = self.y;
            let mut x = x0;
            let mut draws = Vec::new();
            for (lines, w) in cells.iter().zip(widths) {
                draws.push(Draw::Rect { x, y, w: *w, h, fill: None, stroke: Some((RULE, 0.5)) });
                for (i, line) in lines.iter().enumerate().take(end).skip(start) {
                    let baseline = y + CELL_PAD + SMALL + (i - start) as f32 * line_h;
                    draws.extend(self.line_draws(line, x + CELL_PAD, baseline, SMALL));
                }
                x += w;
            }
            self.page().draws.extend(draws);
            self.y += h;
            start = end;
            if start < total {
                self.new_page();
            }
        }
    }
}

/// Words and spaces stay separate pieces so trailing spaces can be dropped
/// exactly; `line_draws` joins neighbours of one style into one text run.
enum Token<'a> {
    Word(Vec<(&'a Inline, String)>),
    Space(&'a Inline),
    Break,
}

/// Splits styled text into words (possibly spanning styles), spaces and breaks.
fn tokens(inlines: &[Inline]) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut word: Vec<(&Inline, String)> = Vec::new();
    for inline in inlines {
        let mut frag = String::new();
        for c in inline.text.chars() {
            if c == ' ' || c == '\n' {
                if !frag.is_empty() {
                    word.push((inline, std::mem::take(&mut frag)));
                }
                if !word.is_empty() {
                    out.push(Token::Word(std::mem::take(&mut word)));
                }
                out.push(if c == ' ' { Token::Space(inline) } else { Token::Break });
            } else {
                frag.push(c);
            }
        }
        if !frag.is_empty() {
            word.push((inline, frag));
        }
    }
    if !word.is_empty() {
        out.push(Token::Word(word));
    }
    out
}

fn push_piece(line: &mut Line, text: &str, inline: &Inline, width: f32) {
    line.pieces.push(Piece { text: text.to_string(), style: inline.style, link: inline.link.clone(), width });
    line.width += width;
}

fn trim_trailing_space(line: &mut Line) {
    while line.pieces.last().is_some_and(|p| p.text == " ") {
        let p = line.pieces.pop().expect("checked");
        line.width -= p.width;
    }
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
