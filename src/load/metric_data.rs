//! Metric observations kept in CSV files (`data: metrics/response.csv`):
//! a header row naming `date` and `value` columns and optionally `note` (or
//! `notes`), shown in the monthly pack; other columns are ignored.

use std::path::Path;

use super::confine::Root;
use super::{LoadError, Located, RawProject};
use crate::excerpt::excerpt;
use crate::model::date::Date;
use crate::span::{FileId, Span};

/// One CSV row, located.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvObservation {
    pub date: Date,
    pub value: f64,
    /// The `note` column, when the file has one and the cell is not empty.
    pub note: Option<String>,
    pub span: Span,
}

/// Reads the `data:` file of every metric into `project.metric_data`.
pub fn load_metric_data(project: &mut RawProject) {
    let wanted: Vec<(usize, Located<String>)> =
        project.metrics.iter().enumerate().filter_map(|(i, m)| m.data.clone().map(|d| (i, d))).collect();
    if wanted.is_empty() {
        return;
    }
    let root = match Root::new(&project.root) {
        Ok(root) => root,
        Err(e) => {
            let span = wanted[0].1.span;
            project.errors.push(LoadError { message: e, span });
            return;
        }
    };
    for (index, data) in wanted {
        let rel = data.value.trim();
        let path = project.root.join(rel);
        let escapes = Path::new(rel).is_absolute()
            || Path::new(rel).components().any(|c| matches!(c, std::path::Component::ParentDir));
        if escapes {
            project.errors.push(LoadError {
                message: format!("`data: {}` must be a path inside the project folder", excerpt(rel)),
                span: data.span,
            });
            continue;
        }
        let text = match root.read(&path).and_then(|b| {
            let utf16 = crate::files::utf16(&b).is_some();
            String::from_utf8(b).map_err(|_| {
                if utf16 {
                    "the file is UTF-16: save it as UTF-8"
                } else {
                    "the file is not valid UTF-8: save it as UTF-8"
                }
                .to_string()
            })
        }) {
            Ok(text) => text,
            Err(e) => {
                project.errors.push(LoadError {
                    message: format!("cannot use `data: {}`: {e}", excerpt(rel)),
                    span: data.span,
                });
                continue;
            }
        };
        let file = project.sources.add(rel.replace('\\', "/"), &path, text);
        let (rows, errors) = parse(&project.sources.get(file).text, file);
        project.errors.extend(errors);
        project.metric_data.insert(index, rows);
    }
}

/// Parses CSV text; returns the good rows and one error per bad row.
pub fn parse(text: &str, file: FileId) -> (Vec<CsvObservation>, Vec<LoadError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    if let Some((line, offset)) = crate::files::csv_unclosed_quote(text, b',') {
        // The reader would take the rest of the file as one cell: the rows below, breaches
        // included, silently gone.
        let column = text[..offset].rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        errors.push(LoadError {
            message: "a quoted value opens here and never closes: the rest of the file would be read as \
                      this one value, and the rows below it lost; close the quote (a `\"` inside a quoted \
                      value is written `\"\"`), or remove it"
                .into(),
            span: Span { file, line, column, offset: offset as u32, len: 1 },
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            errors.push(LoadError {
                message: format!("cannot read the CSV header: {e}"),
                span: Span::file_start(file),
            });
            return (rows, errors);
        }
    };
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let note_col = column("note").or_else(|| column("notes"));
    let (Some(date_col), Some(value_col)) = (column("date"), column("value")) else {
        errors.push(LoadError {
            message: format!(
                "the CSV header must name a `date` and a `value` column, found: {}{}",
                headers.iter().take(8).map(|h| format!("`{}`", excerpt(h))).collect::<Vec<_>>().join(", "),
                if headers.len() > 8 { format!(" and {} more", headers.len() - 8) } else { String::new() }
            ),
            span: Span::file_start(file),
        });
        return (rows, errors);
    };
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let span = e.position().map_or(Span::file_start(file), |p| row_span(text, file, p));
                errors.push(LoadError { message: format!("unreadable CSV row: {e}"), span });
                continue;
            }
        };
        let span = record.position().map_or(Span::file_start(file), |p| row_span(text, file, p));
        if record.iter().all(str::is_empty) {
            continue;
        }
        // `2026-10-31,1,000` is three values: read by position, 1,000 would count as 1.
        if record.len() > headers.len() && record.iter().skip(headers.len()).any(|v| !v.is_empty()) {
            errors.push(LoadError {
                message: format!(
                    "this row has {} values but the header names {} columns; write numbers without a thousands comma (1000, not 1,000) and quote text that holds a comma",
                    record.len(),
                    headers.len()
                ),
                span,
            });
            continue;
        }
        let date = record.get(date_col).unwrap_or("");
        let value = record.get(value_col).unwrap_or("");
        let date = match Date::parse(date) {
            Ok(d) => d,
            Err(msg) => {
                errors.push(LoadError { message: format!("column `date`: {msg}"), span });
                continue;
            }
        };
        match value.parse::<f64>() {
            Ok(v) if v.is_finite() => {
                let note = note_col.and_then(|c| record.get(c)).filter(|n| !n.is_empty()).map(str::to_string);
                rows.push(CsvObservation { date, value: v, note, span })
            }
            _ => errors.push(LoadError {
                message: if value.is_empty() {
                    "column `value` is empty: write the observation's number (like 14 or 3.5), or leave the row out".to_string()
                } else {
                    format!(
                        "column `value`: `{}` is not a number (write it like 14 or 3.5, without units)",
                        excerpt(value)
                    )
                },
                span,
            }),
        }
    }
    (rows, errors)
}

/// The row's span from the reader's own position (byte offset and line),
/// so locating a row costs nothing however long the file is.
fn row_span(text: &str, file: FileId, p: &csv::Position) -> Span {
    let (mut offset, mut line) = ((p.byte() as usize).min(text.len()), p.line() as u32);
    // In a CRLF file (Excel's "CSV") the reader places a row at the '\n' that
    // ends the line above it: step onto the row itself.
    if text[offset..].starts_with('\n') {
        offset += 1;
        line += 1;
    }
    let rest = &text[offset..];
    let len = rest.find('\n').map_or(rest.len(), |i| rest[..i].strip_suffix('\r').map_or(i, str::len));
    Span { file, line, column: 1, offset: offset as u32, len: len as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_that_never_closes_is_an_error_at_it() {
        let (_, errors) = parse("date,value,note\n2026-08-31,3,\"ok\n2026-09-30,50,breach\n", FileId(0));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].span.line, errors[0].span.column), (2, 14));
        assert!(errors[0].message.contains("never closes"));
    }

    #[test]
    fn reads_rows_and_ignores_extra_columns() {
        let (rows, errors) = parse("date,value,note\n2026-01-31,14,ok\n2026-02-28, 3.5 ,\n", FileId(0));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].value, 3.5);
        assert_eq!(rows[1].span.line, 3);
    }

    #[test]
    fn a_row_with_more_values_than_the_header_is_refused_not_read_by_position() {
        // Unquoted, 1,000 is two values: the row would have counted as 1.
        let (rows, errors) = parse("date,value\n2026-01-31,1,000\n2026-02-28,12,\n2026-03-31,\n", FileId(0));
        assert_eq!(rows.len(), 1, "a trailing empty field is harmless: {rows:?}");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].message.contains("3 values but the header names 2 columns"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].span.line, 2);
        assert!(errors[1].message.contains("column `value` is empty"), "{}", errors[1].message);
        assert_eq!(errors[1].span.line, 4);
    }

    #[test]
    fn bad_rows_are_located_and_good_rows_kept() {
        let (rows, errors) = parse("date,value\n2026-01-31,14\n31/01/2026,3\n2026-03-31,lots\n", FileId(0));
        assert_eq!(rows.len(), 1);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].span.line, 3);
        assert!(errors[0].message.contains("YYYY-MM-DD"));
        assert_eq!(errors[1].span.line, 4);
        assert!(errors[1].message.contains("not a number"));
    }

    #[test]
    fn rows_of_a_crlf_file_are_located_on_their_own_line() {
        let text = "date,value\r\n2026-01-31,14\r\n2026-02-30,3\r\n2026-03-31,lots\r\n";
        let (rows, errors) = parse(text, FileId(0));
        assert_eq!(rows[0].span.line, 2);
        let at = |e: &LoadError| (e.span.line, &text[e.span.offset as usize..][..e.span.len as usize]);
        assert_eq!(at(&errors[0]), (3, "2026-02-30,3"));
        assert_eq!(at(&errors[1]), (4, "2026-03-31,lots"));
    }

    #[test]
    fn header_must_name_date_and_value() {
        let (_, errors) = parse("when,count\n2026-01-31,14\n", FileId(0));
        assert!(errors[0].message.contains("`date` and a `value`"));
    }
}
