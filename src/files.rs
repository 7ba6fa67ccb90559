//! Reading one regular file, bounded, and I/O errors in words. Shared by
//! `load` (project files, through its confinement to the project folder) and
//! `report::write` (the render manifest and journal it keeps itself).

use std::io::Read;
use std::path::Path;

/// Files larger than this are refused before parsing: a real safety case file
/// is kilobytes; this still leaves room for generated projects of 10,000s of items.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads `path` (already resolved) if it is a regular file of at most [`MAX_FILE_BYTES`].
pub fn read_regular(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read the file: {}", words(&e)))?;
    regular(&meta)?;
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {}", words(&e)))?;
    // Checked again on the handle: the path may have changed since.
    let meta = f.metadata().map_err(|e| format!("cannot read the file: {}", words(&e)))?;
    regular(&meta)?;
    // Sized up front (one read, no regrowing); `take` below still bounds a file that grew.
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FILE_BYTES) as usize + 1);
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {}", words(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the file is larger than {} MiB: split it into several files",
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    Ok(bytes)
}

pub fn regular(meta: &std::fs::Metadata) -> Result<(), String> {
    if meta.is_file() {
        Ok(())
    } else if meta.is_dir() {
        Err("it is a folder, not a file".into())
    } else if meta.file_type().is_symlink() {
        Err("it is a symbolic link: clinsafe does not follow links here; put the file itself in its place"
            .into())
    } else {
        Err("it is not a regular file (a pipe, socket or device): clinsafe reads only ordinary files".into())
    }
}

/// An I/O error in words, without Rust's `kind` names.
pub fn words(e: &std::io::Error) -> String {
    // ELOOP has no stable ErrorKind yet.
    const ELOOP: i32 = if cfg!(target_os = "linux") { 40 } else { 62 };
    match e.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if e.raw_os_error() == Some(ELOOP) => "its symbolic links form a loop".into(),
        _ => e.to_string(),
    }
}

/// The UTF-16 encoding a byte order mark at the start names (Notepad's
/// "Unicode", Excel's "Unicode Text"), with the text after it.
pub fn utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// A regular file's text.
pub fn read_regular_text(path: &Path) -> Result<String, String> {
    String::from_utf8(read_regular(path)?).map_err(|_| format!("`{}` is not valid UTF-8", path.display()))
}

/// In CSV text, the line and byte offset of a quote that opens a cell and is never closed,
/// which the `csv` reader takes to the end of the file as one cell (the rows
/// after it silently gone). A quote is special only at the
/// start of a cell (`5" screen` is text), as for the reader.
pub fn csv_unclosed_quote(text: &str, separator: u8) -> Option<(u32, usize)> {
    let (mut line, mut opened_at, mut in_quotes, mut cell_start) = (1, (0, 0), false, true);
    let mut bytes = text.bytes().enumerate().peekable();
    while let Some((at, b)) = bytes.next() {
        if b == b'\n' {
            line += 1;
        }
        if in_quotes {
            if b == b'"' && bytes.next_if(|&(_, next)| next == b'"').is_none() {
                in_quotes = false;
            }
            continue;
        }
        if cell_start && b == b'"' {
            (in_quotes, opened_at) = (true, (line, at));
        }
        cell_start = b == separator || b == b'\n' || b == b'\r';
    }
    in_quotes.then_some(opened_at)
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// Whatever the cells hold, a CSV a writer quotes properly has no
        /// unclosed quote; one cut inside a quoted cell has.
        #[test]
        fn only_a_quote_left_open_is_unclosed(
            rows in proptest::collection::vec(proptest::collection::vec("[a-c,;\"\n\r ]{0,6}", 1..4), 1..5),
        ) {
            let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
            for r in &rows {
                w.write_record(r).unwrap();
            }
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            proptest::prop_assert_eq!(super::csv_unclosed_quote(&text, b','), None, "{}", text);
            let cut = format!("{text}x,\"open,\nmore");
            proptest::prop_assert!(super::csv_unclosed_quote(&cut, b',').is_some(), "{}", cut);
        }
    }
}
