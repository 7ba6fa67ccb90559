//! Step 1: a workbook (xlsx, xls, ods via calamine) or a CSV file → sheets
//! of typed cells, each row with its number as the user sees it.

use std::path::Path;

use chrono::{Duration, NaiveDate};

use crate::model::date::Date;

/// One cell as the spreadsheet stored it. The type matters: an id stored as
/// a number (10101 for "010101") or a rating stored as text is a slip.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
    Bool(bool),
}

impl Cell {
    /// The cell as text, the way a reader of the sheet sees it.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        }
    }

    /// The cell as a date: a date cell, a date written as text (the forms
    /// [`super::values::date`] reads), or a date column pasted without its format
    /// (Excel's day number, when it is one of this era, 1990 on: not a year or a
    /// count typed by mistake).
    pub fn as_date(&self) -> Option<Date> {
        match self {
            Cell::Date(d) => Some(*d),
            Cell::Number(n) if *n >= SERIAL_1990 => excel_date(*n),
            other => super::values::date(&other.text()),
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// 12 → "12", 1.5 → "1.5" (never "12.0").
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[derive(Clone, Debug)]
pub struct Row {
    /// 1-based, as the spreadsheet numbers it (for CSV: the line it starts on).
    pub number: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, col: usize) -> &Cell {
        self.cells.get(col).unwrap_or(&Cell::Empty)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug)]
pub struct Workbook {
    /// The file's name (no folders), as locations show it.
    pub file_name: String,
    /// A CSV file has one sheet and no cell types (everything is text).
    pub is_csv: bool,
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// How a location names a sheet: `file.xlsx, sheet 'Hazard Log'`, or just `file.csv`.
    pub fn place(&self, sheet: usize) -> String {
        if self.is_csv {
            self.file_name.clone()
        } else {
            format!("{}, sheet '{}'", self.file_name, self.sheets[sheet].name)
        }
    }
}

pub fn read(path: &Path) -> Result<Workbook, String> {
    let file_name =
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "csv" => read_csv(path).map(|sheet| Workbook { file_name, is_csv: true, sheets: vec![sheet] }),
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => {
            read_workbook(path).map(|sheets| Workbook { file_name, is_csv: false, sheets })
        }
        _ => Err(format!(
            "{file_name}: not a spreadsheet clinsafe can read (expected .xlsx, .xls, .ods or .csv)"
        )),
    }
}

fn read_csv(path: &Path) -> Result<Sheet, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // Excel writes a BOM, and often Windows-1252: keep every byte readable.
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
        let number = record.position().map_or(0, |p| p.line() as u32);
        let cells = record
            .iter()
            .map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text(c.to_string()) })
            .collect();
        rows.push(Row { number, cells });
    }
    let name = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    Ok(Sheet { name, rows })
}

fn read_workbook(path: &Path) -> Result<Vec<Sheet>, String> {
    use calamine::{open_workbook_auto, Data, Reader};
    let what = path.display();
    let mut book = open_workbook_auto(path).map_err(|e| format!("cannot read {what}: {e}"))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| format!("{what}, sheet '{name}': {e}"))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| Row {
                number: row0 + i as u32 + 1,
                cells: std::iter::repeat_n(Cell::Empty, col0 as usize)
                    .chain(cells.iter().map(|c| match c {
                        Data::Empty => Cell::Empty,
                        Data::String(s) => Cell::Text(s.clone()),
                        Data::Int(i) => Cell::Number(*i as f64),
                        Data::Float(f) => Cell::Number(*f),
                        Data::Bool(b) => Cell::Bool(*b),
                        Data::DateTime(d) => {
                            excel_date(d.as_f64()).map_or(Cell::Number(d.as_f64()), Cell::Date)
                        }
                        Data::DateTimeIso(s) => {
                            Date::parse(s.get(..10).unwrap_or(s)).map_or(Cell::Text(s.clone()), Cell::Date)
                        }
                        Data::DurationIso(s) => Cell::Text(s.clone()),
                        Data::Error(e) => Cell::Text(format!("#{e:?}")),
                    }))
                    .collect(),
            })
            .collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// 1990-01-01 as Excel numbers days.
const SERIAL_1990: f64 = 32_874.0;

/// An Excel serial day number (1900 date system) as a date.
fn excel_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_signed(Duration::days(serial.floor() as i64)).map(Date)
}
