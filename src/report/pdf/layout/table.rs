//! Tables: column widths shared out by content, header rows repeated on
//! every page, rows kept whole (a row taller than a page continues line by line).

use super::*;

impl Layout<'_> {
    /// The columns' widths (none for a table without cells).
    pub(super) fn table_widths(&self, head: &[Row], body: &[Row], indent: f32) -> Vec<f32> {
        let columns = head.iter().chain(body).map(|r| r.cells.len()).max().unwrap_or(0);
        if columns == 0 {
            return Vec::new();
        }
        self.column_widths(head, body, columns, self.g.content_width() - indent)
    }

    /// The height of the caption, the head and the first row: what a heading
    /// above the table must share its page with, so it never ends a page alone.
    pub(super) fn table_start_height(
        &self,
        caption: &[Inline],
        head: &[Row],
        body: &[Row],
        widths: &[f32],
        indent: f32,
    ) -> f32 {
        if widths.is_empty() {
            return 0.0;
        }
        let caption_h = if caption.is_empty() {
            0.0
        } else {
            self.wrap(caption, BODY, self.g.content_width() - indent).len() as f32 * BODY * LEADING + 2.0
        };
        let rows_h: f32 = head.iter().chain(body.first()).map(|r| self.wrap_row(r, widths).height).sum();
        caption_h + rows_h
    }

    pub(super) fn table(
        &mut self,
        caption: &[Inline],
        head: &[Row],
        body: &[Row],
        widths: &[f32],
        indent: f32,
    ) {
        let width = self.g.content_width() - indent;
        let x0 = self.g.left + indent;
        if widths.is_empty() {
            return;
        }
        self.open(Node::Table);
        if !caption.is_empty() {
            let lines = self.wrap(caption, BODY, width);
            self.ensure(lines.len() as f32 * BODY * LEADING + 40.0);
            self.open(Node::Caption);
            for line in &lines {
                self.draw_line(line, x0, BODY);
            }
            self.close();
            self.y += 2.0;
        }
        // Each row's cells are wrapped once, for its height and its drawing
        // (the head once for all its repeats).
        let head: Vec<(&Row, Wrapped)> = head.iter().map(|r| (r, self.wrap_row(r, widths))).collect();
        let head_h: f32 = head.iter().map(|(_, w)| w.height).sum();
        let mut need_head = true;
        let mut head_drawn = false;
        for (n, row) in body.iter().enumerate() {
            let wrapped = self.wrap_row(row, widths);
            // The last row keeps the trailer that follows the table with it.
            let h = wrapped.height + if n + 1 == body.len() { self.reserve } else { 0.0 };
            if need_head || self.y + h > self.g.limit() {
                if !need_head || self.y + head_h + h > self.g.limit() {
                    self.new_page();
                }
                // The head is read once; its repeats on later pages are artifacts.
                if head_drawn {
                    self.open(Node::Artifact);
                }
                for (r, w) in &head {
                    self.draw_row(r, w, widths, x0, true);
                }
                if head_drawn {
                    self.close();
                }
                head_drawn = true;
                need_head = false;
            }
            if let Some(id) = &row.id {
                self.anchor(id);
            }
            self.draw_row(row, &wrapped, widths, x0, false);
        }
        if body.is_empty() {
            for (r, w) in &head {
                self.draw_row(r, w, widths, x0, true);
            }
        }
        self.close();
        self.y += 8.0;
    }

    /// Starts a new page unless the whole table fits on this one, when it
    /// fits on a page at all (a risk matrix split in two cannot be read).
    pub(super) fn keep_together(
        &mut self,
        caption: &[Inline],
        head: &[Row],
        body: &[Row],
        widths: &[f32],
        indent: f32,
    ) {
        let width = self.g.content_width() - indent;
        if widths.is_empty() {
            return;
        }
        let caption_h = self.wrap(caption, BODY, width).len() as f32 * BODY * LEADING + 2.0;
        let rows_h: f32 = head.iter().chain(body).map(|r| self.wrap_row(r, widths).height).sum();
        let h = caption_h + rows_h;
        if h <= self.g.limit() - self.g.top {
            self.ensure(h);
        }
    }

    /// Column widths from each column's narrowest (longest word) and widest
    /// (unwrapped) content, shared out over the available width, as browsers do.
    pub(super) fn column_widths(&self, head: &[Row], body: &[Row], columns: usize, width: f32) -> Vec<f32> {
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

    /// (longest word, longest line) of a cell's text, in points, measured
    /// exactly as `wrap` will place it (words spanning styles, badge room).
    fn cell_extent(&self, cell: &Cell) -> (f32, f32) {
        // Header cells are bold (as `wrap_row` wraps them).
        let width = |i: &Inline, t: &str| {
            self.styled_width(Style { bold: i.style.bold || cell.header, ..i.style }, t, SMALL)
        };
        let (mut longest_word, mut line, mut longest_line) = (0.0f32, 0.0f32, 0.0f32);
        each_token(&cell.inlines, |token| match token {
            Token::Word(word) => {
                let w: f32 = word.frags().iter().map(|(i, t)| width(i, t)).sum();
                longest_word = longest_word.max(w);
                line += w;
            }
            Token::Space(i) => line += width(i, " "),
            Token::Break => {
                longest_line = longest_line.max(line);
                line = 0.0;
            }
        });
        (longest_word + 2.0, longest_line.max(line) + 2.0)
    }

    /// Wraps each cell of `row` to its column and measures the row's height.
    fn wrap_row<'t>(&self, row: &'t Row, widths: &[f32]) -> Wrapped<'t> {
        let mut height = f32::from(row.min_lines.max(1)) * SMALL * LEADING + 2.0 * CELL_PAD;
        let cells = row
            .cells
            .iter()
            .zip(widths)
            .map(|(cell, w)| {
                // A vertical cell's lines are only drawn in a row taller than a page.
                let lines = self.wrap_as(&cell.inlines, SMALL, w - 2.0 * CELL_PAD, cell.header);
                height = height.max(if cell.vertical {
                    let text: String = cell.inlines.iter().map(|i| i.text.as_str()).collect();
                    self.m.width(Face::Bold, SMALL, &text) + 2.0 * CELL_PAD + 2.0
                } else {
                    lines.len() as f32 * SMALL * LEADING + 2.0 * CELL_PAD
                });
                lines
            })
            .collect();
        Wrapped { cells, height }
    }

    fn draw_row(&mut self, row: &Row, wrapped: &Wrapped, widths: &[f32], x0: f32, is_head: bool) {
        let h = wrapped.height;
        let avail = self.g.limit() - self.g.top;
        if h > avail {
            return self.draw_tall_row(row, &wrapped.cells, widths, x0);
        }
        let y = self.y;
        let mut x = x0;
        // Drawn straight onto the page.
        let mut draws = std::mem::take(&mut self.page.draws);
        draws.push(Draw::Open(Node::Row));
        for ((cell, w), lines) in row.cells.iter().zip(widths).zip(&wrapped.cells) {
            let fill = cell.fill.or(if is_head {
                Some(HEAD_FILL)
            } else if cell.header {
                Some(FIELD_FILL)
            } else {
                None
            });
            draws.push(Draw::Rect { x, y, w: *w, h, fill, stroke: Some((RULE, 0.5)) });
            draws.push(Draw::Open(cell_node(cell, is_head)));
            if cell.vertical {
                let text: String = cell.inlines.iter().map(|i| i.text.as_str()).collect();
                draws.push(Draw::Text {
                    x: x + CELL_PAD + SMALL,
                    y: y + h - CELL_PAD,
                    face: Face::Bold,
                    size: SMALL,
                    color: INK,
                    text,
                    up: true,
                    rtl: false,
                });
            } else {
                let centred = cell.fill.is_some();
                for (i, line) in lines.iter().enumerate() {
                    let lx = if centred { x + (w - line.width) / 2.0 } else { x + CELL_PAD };
                    let baseline = y + CELL_PAD + SMALL + i as f32 * SMALL * LEADING;
                    self.line_draws(line, lx, baseline, SMALL, &mut draws);
                }
            }
            draws.push(Draw::Close);
            x += w;
        }
        draws.push(Draw::Close);
        self.page.draws = draws;
        self.y += h;
    }

    /// A row taller than a page: its cells continue on the next pages, line
    /// by line, so nothing is cut off.
    fn draw_tall_row(&mut self, row: &Row, cells: &[Vec<Line>], widths: &[f32], x0: f32) {
        let line_h = SMALL * LEADING;
        let mut start = 0;
        let total = cells.iter().map(Vec::len).max().unwrap_or(0);
        while start < total {
            let fit = (((self.g.limit() - self.y - 2.0 * CELL_PAD) / line_h).floor() as usize).max(1);
            let end = (start + fit).min(total);
            let h = (end - start) as f32 * line_h + 2.0 * CELL_PAD;
            let y = self.y;
            let mut x = x0;
            let mut draws = vec![Draw::Open(Node::Row)];
            for ((lines, w), cell) in cells.iter().zip(widths).zip(&row.cells) {
                draws.push(Draw::Rect { x, y, w: *w, h, fill: None, stroke: Some((RULE, 0.5)) });
                draws.push(Draw::Open(cell_node(cell, false)));
                for (i, line) in lines.iter().enumerate().take(end).skip(start) {
                    let baseline = y + CELL_PAD + SMALL + (i - start) as f32 * line_h;
                    self.line_draws(line, x + CELL_PAD, baseline, SMALL, &mut draws);
                }
                draws.push(Draw::Close);
                x += w;
            }
            draws.push(Draw::Close);
            self.page().draws.extend(draws);
            self.y += h;
            start = end;
            if start < total {
                self.new_page();
            }
        }
    }
}

/// A row's cells wrapped to their columns, and its height.
struct Wrapped<'t> {
    cells: Vec<Vec<Line<'t>>>,
    height: f32,
}

/// A header cell in the table head labels its column; one in the body, its row.
fn cell_node(cell: &Cell, is_head: bool) -> Node {
    if is_head || cell.header {
        Node::HeaderCell { column: is_head }
    } else {
        Node::Cell
    }
}
