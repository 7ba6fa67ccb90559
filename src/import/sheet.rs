//! Step 1: a workbook (xlsx, xls, ods via calamine) or a CSV file → sheets
//! of typed cells, each row with its number as the user sees it.

use std::path::Path;

use chrono::NaiveDate;

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
            // A zero-width space alone is as empty as a space (and a title of it would not load).
            Cell::Text(t) => crate::words::says_nothing(t),
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
    /// In the sheet's order: row numbers ascending.
    pub rows: Vec<Row>,
    /// Formula cells with no stored result: (row number, 0-based column, `=formula`).
    pub formulas_without_value: Vec<(u32, usize, String)>,
    /// The cells' styles (xlsx only), for the colour of a blank cell.
    pub styles: Option<calamine::StyleRange>,
    /// Hidden in the workbook (a list of choices, an old copy of the log).
    pub hidden: bool,
}

impl Sheet {
    /// The fill colour (`#RRGGBB`) of a cell, by row number and 0-based
    /// column, when it is filled with a colour: not white, black or a grey
    /// (the banding of alternate rows).
    pub fn fill(&self, row: u32, col: usize) -> Option<String> {
        let fill = self.styles.as_ref()?.get((row.checked_sub(1)?, col as u32))?.fill.as_ref()?;
        let rgb = fill.get_color().filter(|_| fill.is_visible())?.to_argb() & 0xFF_FFFF;
        let [_, r, g, b] = rgb.to_be_bytes();
        (r != g || g != b).then(|| format!("#{rgb:06X}"))
    }
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

/// Only a regular file is opened: opening a pipe would wait for a writer,
/// and a folder or device is no spreadsheet.
pub fn regular_file(path: &Path) -> Result<(), String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.is_dir() => Err(format!("{} is a folder, not a file", path.display())),
        Ok(_) => Err(format!(
            "{} is not a regular file (a pipe, socket or device): clinsafe reads files only",
            path.display()
        )),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

pub fn read(path: &Path) -> Result<Workbook, String> {
    regular_file(path)?;
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
    let text = csv_text(&bytes);
    let separator = delimiter(&text);
    if let Some((line, _)) = crate::files::csv_unclosed_quote(&text, separator) {
        return Err(format!(
            "{}, line {line}: a quoted cell opens here and never closes: the rest of the file would be read \
             as this one cell, and the rows below it lost; close the quote (a `\"` inside a quoted cell is \
             written `\"\"`), or remove it",
            path.display()
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
        // In a CRLF file (Excel's CSV) the reader places a row at the '\n' that ends the
        // line above it: that row's own line is the next one.
        let number = record.position().map_or(0, |p| {
            p.line() as u32 + u32::from(text.as_bytes().get(p.byte() as usize) == Some(&b'\n'))
        });
        let cells = record
            .iter()
            .map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text(c.to_string()) })
            .collect();
        rows.push(Row { number, cells });
    }
    let name = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    Ok(Sheet { name, rows, formulas_without_value: Vec::new(), styles: None, hidden: false })
}

/// Excel's "CSV UTF-8" starts with a BOM; its plain "CSV" is Windows-1252,
/// where "£", "é" and "–" are single bytes that are not UTF-8. Read those as
/// Windows-1252 rather than turning each into U+FFFD. Its "Unicode Text" is
/// UTF-16 with a BOM (and tabs, which [`delimiter`] finds).
fn csv_text(bytes: &[u8]) -> String {
    if let Some(encoding) = crate::files::utf16(bytes) {
        return encoding.decode_with_bom_removal(bytes).0.into_owned();
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// The field separator: a comma, or the semicolon (Excel where the decimal
/// mark is a comma) or tab (a "text" export) when the first lines hold more
/// of it.
fn delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(50).collect();
    let count = |c: char| head.matches(c).count();
    [b';', b'\t'].into_iter().find(|&d| count(d as char) > count(',')).unwrap_or(b',')
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
                    .chain(cells.iter().map(cell_of))
                    .collect(),
            })
            .collect();
        // A formula the file stores no result for (saved by a script, never
        // opened in Excel) reads as blank, as does one whose result is "": which
        // it was cannot be told, so such cells are counted and reported.
        let formulas = book.worksheet_formula(&name).unwrap_or_default();
        let (f_row0, f_col0) = formulas.start().unwrap_or((0, 0));
        let formulas_without_value = formulas
            .used_cells()
            .filter(|(_, _, f)| !f.trim().is_empty())
            .map(|(r, c, f)| (f_row0 + r as u32, f_col0 + c as u32, f))
            .filter(|&(r, c, _)| matches!(range.get_value((r, c)), None | Some(Data::Empty)))
            .map(|(r, c, f)| (r + 1, c as usize, format!("={f}")))
            .collect();
        // A rating kept only as a cell's colour is reported, never guessed: xlsx keeps styles.
        let styles = match &mut book {
            calamine::Sheets::Xlsx(x) => x.worksheet_style(&name).ok(),
            _ => None,
        };
        let hidden = book
            .sheets_metadata()
            .iter()
            .any(|m| m.name == name && m.visible != calamine::SheetVisible::Visible);
        sheets.push(Sheet { name, rows, formulas_without_value, styles, hidden });
    }
    Ok(sheets)
}

fn cell_of(data: &calamine::Data) -> Cell {
    use calamine::Data;
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => date_cell(d).map_or(Cell::Number(d.as_f64()), Cell::Date),
        Data::DateTimeIso(s) => {
            Date::parse(s.get(..10).unwrap_or(s)).map_or(Cell::Text(s.clone()), Cell::Date)
        }
        Data::DurationIso(s) => Cell::Text(s.clone()),
        // As Excel shows it: "#DIV/0!", "#N/A".
        Data::Error(e) => Cell::Text(e.to_string()),
    }
}

/// An Excel date cell as a date, in the workbook's own date system: a
/// workbook from Excel for Mac counts days from 1904, not 1900.
fn date_cell(d: &calamine::ExcelDateTime) -> Option<Date> {
    if !d.is_datetime() || !(1.0..2_958_466.0).contains(&d.as_f64()) {
        return None;
    }
    let (year, month, day, ..) = d.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(year.into(), month.into(), day.into()).map(Date)
}

/// 1990-01-01 as Excel numbers days.
const SERIAL_1990: f64 = 32_874.0;

/// An Excel serial day number (1900 date system) as a date.
fn excel_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_signed(chrono::Duration::days(serial.floor() as i64)).map(Date)
}

#[cfg(test)]
mod tests {
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    use super::*;

    #[test]
    fn csv_text_is_utf8_or_windows_1252_and_its_separator_is_found() {
        assert_eq!(csv_text(b"\xEF\xBB\xBFCost \xC2\xA3"), "Cost \u{a3}");
        assert_eq!(csv_text(b"Cost \xA3 \x96 caf\xE9"), "Cost \u{a3} \u{2013} caf\u{e9}");
        assert_eq!(delimiter("Hazard ID;Hazard Name;Owner\nH1;Wrong patient, twice;CSO\n"), b';');
        assert_eq!(delimiter("Hazard ID\tHazard Name\nH1\tWrong\n"), b'\t');
        assert_eq!(delimiter("Hazard ID,Hazard Name\nH1,\"Wrong; twice\"\n"), b',');
    }

    #[test]
    fn date_cells_follow_the_workbooks_date_system() {
        let date =
            |serial, is_1904| date_cell(&ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904));
        let day = |s: &str| Date::parse(s).ok();
        assert_eq!(date(46346.0, false), day("2026-11-20"));
        assert_eq!(date(46346.5, false), day("2026-11-20"), "the time of day is dropped");
        assert_eq!(date(44884.0, true), day("2026-11-20"), "Excel for Mac: days since 1904-01-01");
        assert_eq!(date(0.5, false), None);
        assert_eq!(date_cell(&ExcelDateTime::new(2.0, ExcelDateTimeType::TimeDelta, false)), None);
        assert_eq!(excel_date(46346.0), day("2026-11-20"));
    }
}
