//! The document fragment a template produced (a small, well-formed subset of
//! HTML) → blocks the PDF layout understands. This is what makes one content
//! source: the PDF reads exactly the elements the HTML page shows.
//!
//! Supported: article, section, header, footer, div, figure (data-figure) and
//! figcaption, h1–h6, p, ul, ol, li, table (caption, thead, tbody, tr, th, td),
//! strong, b, em, i, code, a, br, span, pre, blockquote, hr, del, input
//! (task list boxes); a footer's paragraphs are trailers, kept with the
//! block before them. Classes that change the look: rating-N, flag*, none,
//! note, draft-mark, level-*, status-*, dpia-* (colours from `report::palette`).
//! Unknown elements keep their text.
//!
//! Over 400 lines on purpose: one state machine whose `open`/`close` pair
//! is easiest to check side by side; split, the element list would scatter.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::report::palette::{self, Colour};

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub mono: bool,
    /// Text colour (RGB 0–1); black when `None`.
    pub color: Option<[f32; 3]>,
    /// A filled badge behind the text (ratings, flags).
    pub badge: Option<[f32; 3]>,
    /// Struck through (`del`, `s`: Markdown's `~~text~~`, a withdrawn title):
    /// the line is what says the text no longer stands.
    pub strike: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Inline {
    pub text: String,
    pub style: Style,
    /// The `href` of the link this text is part of.
    pub link: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub header: bool,
    pub inlines: Vec<Inline>,
    pub fill: Option<[f32; 3]>,
    /// `th class="vertical"`: drawn rotated to save width.
    pub vertical: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub id: Option<String>,
    /// Lines of height at the least: 2 for the rows of a `class="fill-in"` table, left
    /// blank to be written in by hand at a meeting.
    pub min_lines: u8,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        inlines: Vec<Inline>,
        id: Option<String>,
    },
    Para {
        inlines: Vec<Inline>,
        kind: ParaKind,
    },
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Table {
        caption: Vec<Inline>,
        head: Vec<Row>,
        body: Vec<Row>,
        /// `class="keep-together"`: never split across pages when it fits on one.
        keep: bool,
    },
    Figure {
        name: String,
        caption: Vec<Inline>,
        id: Option<String>,
    },
    /// An element id that links may point at.
    Anchor(String),
    Rule,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParaKind {
    Normal,
    Draft,
    Pre,
    Quote,
    /// In a `footer` (the provenance): kept on the page of the block before it.
    Trailer,
}

/// A table cell's fill: the last of its classes' palette fills.
fn cell_fill(class: &str) -> Option<[f32; 3]> {
    palette::looks_of(class).filter_map(|l| l.fill).last().map(Colour::rgb)
}

/// An element's name in lower case, copied only when it is not already
/// (the templates write lower case: every element of a long document).
fn lowercase(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(name.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// The values of the attributes named `keys`, in one pass over the element's
/// attributes (the first of each name counts; `None` when absent or unreadable).
fn attributes<const N: usize>(e: &BytesStart, keys: [&str; N]) -> [Option<String>; N] {
    let mut found = [false; N];
    let mut values = [const { None }; N];
    for a in e.attributes().flatten() {
        let key: &str = a.key.as_ref();
        let Some(i) = keys.iter().position(|k| *k == key).filter(|&i| !found[i]) else { continue };
        found[i] = true;
        values[i] = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned());
    }
    values
}

/// Whether `class` has `name` or `name-…` (read for every element: no allocation).
fn has_class(class: &str, name: &str) -> bool {
    class
        .split_whitespace()
        .any(|c| c.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with('-')))
}

/// Parses a fragment; an error names the line of the fragment (a broken custom template).
pub fn parse(fragment: &str) -> Result<Vec<Block>, String> {
    blocks(fragment).collect()
}

/// The fragment's top-level blocks, each parsed when asked for, so a long
/// document is never held parsed whole (10,000 hazards: ~250 MB). After an
/// error, nothing more.
pub fn blocks(fragment: &str) -> Blocks<'_> {
    let mut reader = Reader::from_str(fragment);
    reader.config_mut().check_end_names = true;
    let mut p = Parser::default();
    p.blocks.push(Frame::default()); // the document's own
    Blocks { fragment, reader, p, ready: std::collections::VecDeque::new(), done: false }
}

/// See [`blocks`].
pub struct Blocks<'a> {
    fragment: &'a str,
    reader: Reader<&'a [u8]>,
    p: Parser,
    /// Top-level blocks complete and not yet handed out, in document order.
    ready: std::collections::VecDeque<Block>,
    done: bool,
}

impl Iterator for Blocks<'_> {
    type Item = Result<Block, String>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.ready.is_empty() && !self.done {
            if let Err(e) = self.step() {
                self.done = true;
                return Some(Err(e));
            }
        }
        self.ready.pop_front().map(Ok)
    }
}

impl Blocks<'_> {
    /// Reads one event; top-level blocks it completes become ready.
    fn step(&mut self) -> Result<(), String> {
        let (p, reader, fragment) = (&mut self.p, &mut self.reader, self.fragment);
        let event = reader.read_event().map_err(|e| {
            let pos = reader.buffer_position() as usize;
            let line = fragment[..pos.min(fragment.len())].matches('\n').count() + 1;
            format!("the template's output is not well-formed (line {line} of the document): {e}")
        })?;
        match event {
            Event::Start(e) => p.open(&e, false),
            Event::Empty(e) => p.open(&e, true),
            Event::End(e) => p.close(e.name().as_ref()),
            Event::Text(t) => {
                p.text(&t.xml10_content());
            }
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&name).unwrap_or("").to_string(),
                };
                p.text(&text);
            }
            Event::CData(t) => p.text(&t.xml10_content()),
            Event::Eof => {
                p.flush_para();
                // Elements left open (a list item) hand over what they hold, in order.
                for frame in p.blocks.drain(..) {
                    self.ready.extend(frame.blocks);
                }
                self.done = true;
                return Ok(());
            }
            _ => {}
        }
        match p.blocks.as_mut_slice() {
            [document] if document.blocks.is_empty() => {}
            [document] => self.ready.extend(document.blocks.drain(..)),
            [] => p.blocks.push(Frame::default()),
            _ => {}
        }
        Ok(())
    }
}

/// A container being filled: the document, a list item, a section.
#[derive(Default)]
struct Frame {
    blocks: Vec<Block>,
}

struct OpenTable {
    keep: bool,
    /// `class="fill-in"`: body rows tall enough to write in.
    fill_in: bool,
    caption: Vec<Inline>,
    head: Vec<Row>,
    body: Vec<Row>,
    in_head: bool,
    row: Option<Row>,
}

#[derive(Default)]
struct Parser {
    /// Block containers; the last is where blocks go.
    blocks: Vec<Frame>,
    /// Inline runs of the paragraph (or heading, cell, caption) being read.
    inlines: Vec<Inline>,
    styles: Vec<(String, Style, Option<String>)>,
    /// (level, id) of the heading being read.
    heading: Option<(u8, Option<String>)>,
    para_kind: Vec<ParaKind>,
    lists: Vec<(bool, Vec<Vec<Block>>)>,
    tables: Vec<OpenTable>,
    cell: Option<Cell>,
    /// Block elements inside the open cell (see [`CellBlocks`]).
    in_cell: CellBlocks,
    in_caption: bool,
    figure: Option<(String, Option<String>)>,
}

impl Parser {
    fn style(&self) -> Style {
        self.styles.last().map(|s| s.1).unwrap_or_default()
    }

    fn push_block(&mut self, b: Block) {
        if self.blocks.is_empty() {
            self.blocks.push(Frame::default());
        }
        self.blocks.last_mut().expect("a frame").blocks.push(b);
    }

    fn text(&mut self, text: &str) {
        let inside_inline_context = self.cell.is_some() || self.in_caption || self.heading.is_some();
        // Copied only where a line break or tab becomes a space (or into a new run below).
        let t: std::borrow::Cow<str> =
            if self.para_kind.last() == Some(&ParaKind::Pre) || !text.contains(['\n', '\t', '\r']) {
                text.into()
            } else {
                text.replace(['\n', '\t', '\r'], " ").into()
            };
        if t.trim().is_empty() && self.inlines.is_empty() && !inside_inline_context {
            return; // whitespace between blocks
        }
        let line_start = self.inlines.last().is_none_or(|i| i.text.ends_with('\n'));
        if self.cell.is_some()
            && line_start
            && t.trim().is_empty()
            && self.para_kind.last() != Some(&ParaKind::Pre)
        {
            return; // whitespace between blocks inside a cell
        }
        let style = self.style();
        // The link's target is copied only when the text starts a new run.
        let link = self.styles.iter().rev().find_map(|s| s.2.as_deref());
        match self.inlines.last_mut() {
            Some(last) if last.style == style && last.link.as_deref() == link => last.text.push_str(&t),
            _ => self.inlines.push(Inline { text: t.into_owned(), style, link: link.map(str::to_string) }),
        }
    }

    /// `<br/>`: a forced line break (plain `text` turns newlines into spaces).
    fn line_break(&mut self) {
        self.text(" ");
        if let Some(last) = self.inlines.last_mut() {
            last.text.pop();
            last.text.push('\n');
        }
    }

    fn take_inlines(&mut self) -> Vec<Inline> {
        let mut v = std::mem::take(&mut self.inlines);
        // Trimmed in place: no copy of every paragraph's and cell's text.
        if let Some(first) = v.first_mut() {
            let spaces = first.text.len() - first.text.trim_start().len();
            first.text.drain(..spaces);
        }
        if let Some(last) = v.last_mut() {
            last.text.truncate(last.text.trim_end().len());
        }
        v.retain(|i| !i.text.is_empty());
        v
    }

    /// Ends a run of loose inline text as a paragraph.
    fn flush_para(&mut self) {
        if self.cell.is_some() || self.in_caption || self.heading.is_some() {
            return;
        }
        let inlines = self.take_inlines();
        if !inlines.is_empty() {
            let kind = self.para_kind.last().copied().unwrap_or(ParaKind::Normal);
            self.push_block(Block::Para { inlines, kind });
        }
    }

    fn open(&mut self, e: &BytesStart, empty: bool) {
        let qname = e.name();
        let name = lowercase(qname.as_ref());
        let attr = |key: &str| {
            let [value] = attributes(e, [key]);
            value
        };
        // The two every element is asked for, in one pass over its attributes.
        let [class, id] = attributes(e, ["class", "id"]);
        let class = class.unwrap_or_default();
        if self.cell.is_some() && self.open_in_cell(&name, empty) {
            return;
        }
        match name.as_ref() {
            "br" => self.line_break(),
            "hr" => {
                self.flush_para();
                self.push_block(Block::Rule);
            }
            "input" => {
                let checked = attr("checked").is_some();
                self.text(if checked { "☑ " } else { "☐ " });
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if !empty => {
                self.flush_para();
                self.heading = Some((name.as_bytes()[1] - b'0', id));
            }
            "p" | "pre" | "blockquote" | "figcaption" if !empty => {
                self.flush_para();
                if name == "figcaption" {
                    self.in_caption = true;
                }
                let kind = match name.as_ref() {
                    "pre" => ParaKind::Pre,
                    "blockquote" => ParaKind::Quote,
                    _ if has_class(&class, "draft-mark") => ParaKind::Draft,
                    _ => self.para_kind.last().copied().unwrap_or(ParaKind::Normal),
                };
                self.para_kind.push(kind);
                if let Some(id) = id {
                    self.push_block(Block::Anchor(id));
                }
                self.open_style(&name, &class, None);
            }
            "ul" | "ol" if !empty => {
                self.flush_para();
                self.lists.push((name == "ol", Vec::new()));
            }
            "li" if !empty => {
                self.flush_para();
                self.blocks.push(Frame::default());
            }
            "table" if !empty => {
                self.flush_para();
                if let Some(id) = id {
                    self.push_block(Block::Anchor(id));
                }
                self.tables.push(OpenTable {
                    keep: has_class(&class, "keep-together"),
                    fill_in: has_class(&class, "fill-in"),
                    caption: Vec::new(),
                    head: Vec::new(),
                    body: Vec::new(),
                    in_head: false,
                    row: None,
                });
            }
            "caption" if !empty => self.in_caption = true,
            "thead" => {
                if let Some(t) = self.tables.last_mut() {
                    t.in_head = true;
                }
            }
            "tbody" => {
                if let Some(t) = self.tables.last_mut() {
                    t.in_head = false;
                }
            }
            "tr" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    let min_lines = if t.fill_in && !t.in_head { 2 } else { 1 };
                    t.row = Some(Row { cells: Vec::new(), id, min_lines });
                }
            }
            "td" | "th" => {
                self.inlines.clear();
                self.in_cell = CellBlocks::default();
                self.cell = Some(Cell {
                    header: name == "th",
                    inlines: Vec::new(),
                    fill: cell_fill(&class),
                    vertical: has_class(&class, "vertical"),
                });
                if empty {
                    self.close(&name);
                } else {
                    self.open_style(&name, &class, None);
                }
            }
            "figure" if !empty => {
                self.flush_para();
                self.figure = Some((attr(crate::report::figures::ATTRIBUTE).unwrap_or_default(), id));
            }
            _ if empty => {}
            _ => {
                let block_level =
                    matches!(name.as_ref(), "section" | "article" | "header" | "footer" | "div" | "nav");
                if block_level {
                    self.flush_para();
                    if let Some(id) = id {
                        self.push_block(Block::Anchor(id));
                    }
                    if name == "footer" {
                        self.para_kind.push(ParaKind::Trailer);
                    }
                }
                let href = if name == "a" { attr("href") } else { None };
                self.open_style(&name, &class, href);
            }
        }
    }

    fn open_style(&mut self, name: &str, class: &str, href: Option<String>) {
        let mut s = self.style();
        match name {
            "strong" | "b" | "th" | "caption" | "figcaption" => s.bold = true,
            "em" | "i" => s.italic = true,
            "code" | "pre" => s.mono = true,
            "del" | "s" => s.strike = true,
            "a" => s.color = Some(palette::ACCENT.rgb()),
            _ => {}
        }
        // Most elements have no class: nothing to look up (a pass over the palette otherwise).
        if !class.is_empty() {
            // Colours come from the palette, as the page's CSS has them; only
            // inline text (`span`) can carry a badge, cells take fills in `open`.
            for look in palette::looks_of(class) {
                if let Some(ink) = look.ink {
                    s.color = Some(ink.rgb());
                }
                if let Some(fill) = look.fill.filter(|_| name == "span") {
                    s.badge = Some(fill.rgb());
                }
            }
            // Weights as style.css sets them.
            s.italic |= has_class(class, "none");
            s.bold |=
                ["draft-mark", "level", "status-breach", "status-warning", "dpia-level", "flag", "rating"]
                    .iter()
                    .any(|c| has_class(class, c))
                    && !class.split_whitespace().any(|c| c == "rating-none");
        }
        self.styles.push((name.to_string(), s, href));
    }

    fn close(&mut self, name: &str) {
        let name = lowercase(name);
        if let Some(pos) = self.styles.iter().rposition(|(n, _, _)| *n == name) {
            self.styles.truncate(pos);
        }
        if self.cell.is_some() && self.close_in_cell(&name) {
            return;
        }
        match name.as_ref() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let (level, id) = self.heading.take().unwrap_or((2, None));
                let inlines = self.take_inlines();
                self.push_block(Block::Heading { level, inlines, id });
            }
            "figcaption" => {
                self.in_caption = false;
                self.para_kind.pop();
            }
            "p" | "pre" | "blockquote" => {
                self.flush_para();
                self.para_kind.pop();
            }
            "li" => {
                self.flush_para();
                let frame = self.blocks.pop().unwrap_or_default();
                if let Some(list) = self.lists.last_mut() {
                    list.1.push(frame.blocks);
                }
            }
            "ul" | "ol" => {
                if let Some((ordered, items)) = self.lists.pop() {
                    self.push_block(Block::List { ordered, items });
                }
            }
            "caption" => {
                self.in_caption = false;
                let inlines = self.take_inlines();
                if let Some(t) = self.tables.last_mut() {
                    t.caption = inlines;
                }
            }
            "td" | "th" => {
                let inlines = self.take_inlines();
                if let (Some(mut cell), Some(t)) = (self.cell.take(), self.tables.last_mut()) {
                    cell.inlines = inlines;
                    if let Some(row) = t.row.as_mut() {
                        row.cells.push(cell);
                    }
                }
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(row) = t.row.take() {
                        if t.in_head {
                            t.head.push(row)
                        } else {
                            t.body.push(row)
                        }
                    }
                }
            }
            "table" => {
                if let Some(t) = self.tables.pop() {
                    self.push_block(Block::Table {
                        caption: t.caption,
                        head: t.head,
                        body: t.body,
                        keep: t.keep,
                    });
                }
            }
            "figure" => {
                let caption = self.take_inlines();
                if let Some((name, id)) = self.figure.take() {
                    self.push_block(Block::Figure { name, caption, id });
                }
            }
            "footer" => {
                self.flush_para();
                self.para_kind.pop();
            }
            "section" | "article" | "header" | "div" | "nav" => self.flush_para(),
            _ => {}
        }
    }
}

#[path = "parse_cell.rs"]
mod cell;
use cell::CellBlocks;

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
