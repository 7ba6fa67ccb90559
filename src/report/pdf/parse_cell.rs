//! Block elements inside a table cell: a cell holds one run of text (see
//! [`CellBlocks`]), so the parser's state machine hands them here.

use super::{ParaKind, Parser, Style};

/// Block elements inside a table cell (Markdown in a review's outcome or an
/// incident's learning). A cell holds one run of text, so each block becomes
/// a line of it: list items get their bullet or number, a nested table's rows
/// become lines with ` | ` between cells. Blocks must not leave the cell: a
/// heading or list pushed as a block would land above the table, out of order.
#[derive(Default)]
pub(super) struct CellBlocks {
    /// Open lists: `Some(n)` an ordered list at item n, `None` a bulleted one.
    lists: Vec<Option<u32>>,
    /// Depth of tables nested in the cell.
    tables: u32,
    /// The next cell of a nested table's row is its first.
    row_start: bool,
}

impl Parser {
    /// Ends the cell's current line, unless it is empty or already ended.
    fn cell_break(&mut self) {
        while let Some(last) = self.inlines.last_mut() {
            let kept = last.text.trim_end_matches(' ').len();
            last.text.truncate(kept);
            if !last.text.is_empty() {
                if !last.text.ends_with('\n') {
                    last.text.push('\n');
                }
                return;
            }
            self.inlines.pop();
        }
    }

    /// A block element opened inside a cell; true when handled here.
    pub(super) fn open_in_cell(&mut self, name: &str, empty: bool) -> bool {
        let nested_table = self.in_cell.tables > 0;
        match name {
            "p" | "div" | "blockquote" | "hr" => self.cell_break(),
            "pre" => {
                self.cell_break();
                self.para_kind.push(ParaKind::Pre);
                self.open_style(name, "", None);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.cell_break();
                let style = Style { bold: true, ..self.style() };
                self.styles.push((name.to_string(), style, None));
            }
            "ul" | "ol" => self.in_cell.lists.push((name == "ol").then_some(0)),
            "li" => {
                self.cell_break();
                let marker = match self.in_cell.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    _ => "• ".to_string(),
                };
                self.text(&marker);
            }
            "table" => {
                self.cell_break();
                self.in_cell.tables += 1;
            }
            "tr" if nested_table => {
                self.cell_break();
                self.in_cell.row_start = true;
            }
            "td" | "th" if nested_table => {
                if !std::mem::replace(&mut self.in_cell.row_start, false) {
                    self.text(" | ");
                }
                let style = Style { bold: name == "th" || self.style().bold, ..self.style() };
                self.styles.push((name.to_string(), style, None));
            }
            "thead" | "tbody" | "caption" if nested_table => {}
            _ => return false,
        }
        if empty {
            self.close_in_cell(name);
        }
        true
    }

    /// A block element closed inside a cell; true when handled here (the
    /// cell's own `td`/`th` is not: it ends the cell).
    pub(super) fn close_in_cell(&mut self, name: &str) -> bool {
        let nested_table = self.in_cell.tables > 0;
        match name {
            "p" | "div" | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.cell_break(),
            "pre" => {
                self.para_kind.pop();
                self.cell_break();
            }
            "ul" | "ol" => {
                self.in_cell.lists.pop();
            }
            "li" | "hr" => {}
            "table" if nested_table => self.in_cell.tables -= 1,
            "tr" | "td" | "th" | "thead" | "tbody" | "caption" if nested_table => {}
            _ => return false,
        }
        true
    }
}
