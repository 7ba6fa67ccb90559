//! An HTML page written into its file as tera makes it, so a page of tens of
//! megabytes (the hazard log at 10,000 hazards) is never held in memory.
//!
//! A figure's SVG goes just after the start tag of its `<figure data-figure>`,
//! and where that is is known only once the page is made: the writer notes
//! where the last `<figure` starts, only the page up to it is read back to
//! find the figures (the XML reading of [`figures::svg_inserts`]), and the
//! rest of the page is moved up in the file to make room, from its end, a
//! block at a time. A page with no figure (most) is written once, straight through.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

use super::context::ReportContext;
use super::figures;

/// Why a page could not be made.
pub enum Failed {
    /// The template failed (already in words).
    Render(String),
    /// The page's file could not be written or read back.
    Write(io::Error),
}

impl Failed {
    /// In words; `shown` names the page's file.
    pub fn described(self, shown: &str) -> String {
        match self {
            Failed::Render(e) => e,
            Failed::Write(e) => format!("cannot write `{shown}`: {}", crate::files::words(&e)),
        }
    }
}

/// Writes `head`, the fragment `render` makes, its figures and [`super::html::TAIL`]
/// into `file` (empty, opened to read and write). Returns the fragment itself
/// when `keep_fragment` (the PDF is made from it).
pub fn write(
    file: &File,
    head: &str,
    keep_fragment: bool,
    cx: &ReportContext,
    render: impl FnOnce(&mut dyn Write) -> Result<(), String>,
) -> Result<Option<String>, Failed> {
    let mut head_file = file;
    head_file.write_all(head.as_bytes()).map_err(Failed::Write)?;
    // tera writes in small pieces, millions of them on a large page: they are
    // gathered first, and the spotter sees whole blocks.
    let mut out = BufWriter::with_capacity(
        BLOCK,
        Spotter {
            file,
            seen: 0,
            carry: [0; MARK.len() - 1],
            carried: 0,
            last: None,
            kept: keep_fragment.then(Vec::new),
            error: None,
        },
    );
    let rendered = render(&mut out);
    let flushed = out.into_inner();
    let spotter = match flushed {
        Ok(spotter) => spotter,
        Err(e) => return Err(Failed::Write(e.into_error())),
    };
    // A write that failed under tera is told as what it was, not as a template error.
    let Spotter { seen, last, kept, error, .. } = spotter;
    if let Some(e) = error {
        return Err(Failed::Write(e));
    }
    rendered.map_err(Failed::Render)?;
    // tera writes `str`s, so the fragment is UTF-8.
    // Kept while its PDF is made: not twice its size, as the PDF-only path keeps it.
    let fragment = kept.map(|mut bytes| {
        bytes.shrink_to_fit();
        String::from_utf8(bytes).map_err(|e| Failed::Render(e.to_string()))
    });
    let fragment = fragment.transpose()?;
    let start = head.len() as u64;
    let inserts = match (last, &fragment) {
        (None, _) => Vec::new(),
        (Some(_), Some(text)) => figures::svg_inserts(text, cx),
        (Some(last), None) => inserts_read_back(file, start, seen, last, cx).map_err(Failed::Write)?,
    };
    let end = insert_in_place(file, start, start + seen, &inserts).map_err(Failed::Write)?;
    let mut file = file;
    file.seek(SeekFrom::Start(end))
        .and_then(|_| file.write_all(super::html::TAIL.as_bytes()))
        .map_err(Failed::Write)?;
    Ok(fragment)
}

const MARK: &[u8; 7] = b"<figure";
/// The search for the mark, built once. Forward: memchr searches forward many
/// bytes at a time, backward one (the backward search was 1–3% of a render).
static FIND_MARK: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(MARK));
/// How much is read, moved or buffered at a time.
const BLOCK: usize = 64 * 1024;

/// Passes the fragment on to the file, noting where the last `<figure` starts
/// (offsets from the fragment's start), and keeping a copy when asked.
struct Spotter<'a> {
    file: &'a File,
    /// Bytes of the fragment written so far.
    seen: u64,
    /// The last bytes written (`carry[..carried]`), for a mark split between writes.
    carry: [u8; MARK.len() - 1],
    carried: usize,
    last: Option<u64>,
    kept: Option<Vec<u8>>,
    /// The first write that failed (tera sees only that one did).
    error: Option<io::Error>,
}

impl Write for Spotter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut file = self.file;
        if let Err(e) = file.write_all(buf) {
            let shown = io::Error::new(e.kind(), e.to_string());
            self.error.get_or_insert(e);
            return Err(shown);
        }
        if let Some(at) = self.split_mark(buf) {
            self.last = Some(at);
        }
        if buf.len() >= MARK.len() {
            if let Some(at) = FIND_MARK.find_iter(buf).last() {
                self.last = Some(self.seen + at as u64);
            }
        }
        self.remember_end(buf);
        self.seen += buf.len() as u64;
        if let Some(kept) = &mut self.kept {
            kept.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Spotter<'_> {
    /// Where a mark begun in the bytes before `buf` and ended in it starts:
    /// the latest, where the carried bytes end with the mark's first `i` bytes
    /// and `buf` starts with the rest.
    fn split_mark(&self, buf: &[u8]) -> Option<u64> {
        let carried = &self.carry[..self.carried];
        (1..MARK.len())
            .filter(|&i| i <= carried.len())
            .find(|&i| carried.ends_with(&MARK[..i]) && buf.starts_with(&MARK[i..]))
            .map(|i| self.seen - i as u64)
    }

    /// Keeps the last bytes of all written so far, `buf` last.
    fn remember_end(&mut self, buf: &[u8]) {
        let room = self.carry.len();
        if buf.len() >= room {
            self.carry.copy_from_slice(&buf[buf.len() - room..]);
            self.carried = room;
            return;
        }
        // Shift the kept bytes left to make room for `buf` at the end.
        let keep = (room - buf.len()).min(self.carried);
        self.carry.copy_within(self.carried - keep..self.carried, 0);
        self.carry[keep..keep + buf.len()].copy_from_slice(buf);
        self.carried = keep + buf.len();
    }
}

/// The figures of the fragment at `start..start + len` in `file`, reading
/// only as far as the XML reading needs to pass byte `last`: a little past it
/// first, then twice as far until the reading passes it or the fragment ends,
/// so the result is what reading the whole fragment gives.
fn inserts_read_back(
    file: &File,
    start: u64,
    len: u64,
    last: u64,
    cx: &ReportContext,
) -> io::Result<Vec<(usize, String)>> {
    let mut margin = BLOCK as u64;
    loop {
        let upto = (last + margin).min(len);
        let mut bytes = vec![0; upto as usize];
        let mut file = file;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut bytes)?;
        // The cut may fall inside a character: read up to it.
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).expect("valid up to here"),
        };
        let (inserts, passed) = figures::inserts_through(text, cx, last as usize);
        if passed || upto == len {
            return Ok(inserts);
        }
        margin *= 2;
    }
}

/// Puts `inserts` (offsets from the fragment's `start`) into the page that
/// ends at `end`, moving what follows each one up, from the end, a block at a
/// time; returns the page's new end.
fn insert_in_place(file: &File, start: u64, end: u64, inserts: &[(usize, String)]) -> io::Result<u64> {
    let grown = end + inserts.iter().map(|(_, svg)| svg.len() as u64).sum::<u64>();
    let (mut end, mut to) = (end, grown);
    let mut block = vec![0; BLOCK];
    let mut file = file;
    for (at, svg) in inserts.iter().rev() {
        let at = start + *at as u64;
        // [at, end) moves up to end at `to`; blocks from the back, so nothing is overwritten before it is read.
        let mut from_end = end;
        while from_end > at {
            let n = (from_end - at).min(BLOCK as u64);
            let piece = &mut block[..n as usize];
            file.seek(SeekFrom::Start(from_end - n))?;
            file.read_exact(piece)?;
            file.seek(SeekFrom::Start(to - (end - from_end) - n))?;
            file.write_all(piece)?;
            from_end -= n;
        }
        to -= end - at;
        file.seek(SeekFrom::Start(to - svg.len() as u64))?;
        file.write_all(svg.as_bytes())?;
        to -= svg.len() as u64;
        end = at;
    }
    Ok(grown)
}

#[cfg(test)]
#[path = "page_tests.rs"]
mod tests;
