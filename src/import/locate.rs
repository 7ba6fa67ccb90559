//! Slips → findings, printed by the same printers as `check`'s.
//!
//! A location in a spreadsheet becomes a span in a "source file" named
//! `file.xlsx, sheet 'Hazard Log'` (a CSV file: just its name) whose line N
//! is sheet row N, its cells shown as `a | b | c`; the span's column is the
//! spreadsheet column's number (A = 1). So the human form quotes the row and
//! underlines the cell, and JSON has `file`, `line` = row, `column`.

use std::collections::BTreeMap;
use std::path::Path;

use super::sheet::Workbook;
use super::Slip;
use crate::check::Finding;
use crate::rules::Level;
use crate::span::{Sources, Span};

/// Each cell shows at most this many characters in the quoted row.
const CELL_CHARS: usize = 60;

pub fn findings(book: &Workbook, slips: &[Slip]) -> (Sources, Vec<Finding>) {
    let mut sources = Sources::default();
    let mut files = BTreeMap::new();
    let mut findings = Vec::with_capacity(slips.len());
    for slip in slips {
        let (file, rows) = files.entry(slip.sheet).or_insert_with(|| {
            let (text, rows) = sheet_text(book, slip.sheet);
            (sources.add(book.place(slip.sheet), Path::new(&book.file_name), text), rows)
        });
        let (line_start, cells) = rows.get(&slip.row).cloned().unwrap_or_default();
        // A slip about the whole row points at its first filled cell.
        let cell = slip.col.and_then(|c| cells.get(c)).or_else(|| cells.iter().find(|(_, len)| *len > 0));
        let (offset, len) = cell.map_or((line_start, 0), |&(from, len)| (line_start + from, len.max(1)));
        findings.push(Finding {
            rule: slip.kind,
            level: Level::Warning,
            subject: slip.subject.clone(),
            message: slip.message.clone(),
            span: Some(Span {
                file: *file,
                line: slip.row,
                column: slip.col.map_or(1, |c| c as u32 + 1),
                offset: offset as u32,
                len: len as u32,
            }),
            notes: Vec::new(),
        });
    }
    crate::check::sort(&mut findings, &sources);
    (sources, findings)
}

type RowSpans = BTreeMap<u32, (usize, Vec<(usize, usize)>)>;

/// The sheet as text, line N = row N, and where each row and cell starts.
fn sheet_text(book: &Workbook, sheet: usize) -> (String, RowSpans) {
    let mut text = String::new();
    let mut spans = RowSpans::new();
    let mut line = 1;
    for row in &book.sheets[sheet].rows {
        while line < row.number {
            text.push('\n');
            line += 1;
        }
        let start = text.len();
        let mut cells = Vec::with_capacity(row.cells.len());
        for (i, cell) in row.cells.iter().enumerate() {
            if i > 0 {
                text.push_str(" | ");
            }
            let from = text.len() - start;
            let shown: String =
                cell.text().chars().map(|c| if c.is_control() { ' ' } else { c }).take(CELL_CHARS).collect();
            text.push_str(&shown);
            cells.push((from, shown.len()));
        }
        spans.insert(row.number, (start, cells));
    }
    (text, spans)
}
