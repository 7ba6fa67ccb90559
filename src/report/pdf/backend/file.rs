//! The PDF file as it is written: objects go out as soon as they are
//! complete, the cross-reference table and trailer at the end. pdf-writer's
//! `Pdf` would hold the whole file until `finish`; here only the objects of
//! the page being written are held (a `Chunk`), and the byte offset of every
//! object, for the cross-reference table.

use std::io::Write;

use pdf_writer::{Chunk, Ref, Settings};

/// Compact output (pdf-writer's default indents for people reading the file).
const SETTINGS: Settings = Settings { pretty: false };

pub(super) struct Out<'w> {
    w: &'w mut dyn Write,
    /// Bytes written to `w` so far.
    at: u64,
    /// The objects not yet written to `w`.
    chunk: Chunk,
    /// Byte offset of each object, by its number (0: none).
    offsets: Vec<u64>,
    next: i32,
}

impl<'w> Out<'w> {
    /// Starts the file: the header of a PDF 1.7 file with binary content
    /// (PDF/A asks for the four high bytes on the comment line).
    pub fn new(w: &'w mut dyn Write) -> std::io::Result<Self> {
        const HEADER: &[u8] = b"%PDF-1.7\n%\x80\x80\x80\x80\n";
        w.write_all(HEADER)?;
        Ok(Out { w, at: HEADER.len() as u64, chunk: new_chunk(), offsets: vec![0], next: 1 })
    }

    /// A new object number.
    pub fn alloc(&mut self) -> Ref {
        let r = Ref::new(self.next);
        self.next += 1;
        self.offsets.push(0);
        r
    }

    /// `n` consecutive object numbers; the first.
    pub fn alloc_many(&mut self, n: usize) -> Ref {
        let first = Ref::new(self.next);
        for _ in 0..n {
            self.alloc();
        }
        first
    }

    /// Where object `r` is to be written next: its offset is noted, then the
    /// caller writes exactly that one object into the chunk.
    pub fn obj(&mut self, r: Ref) -> &mut Chunk {
        self.offsets[r.get() as usize] = self.at + self.chunk.len() as u64;
        &mut self.chunk
    }

    /// Writes the objects held so far to the file.
    pub fn flush(&mut self) -> std::io::Result<()> {
        let chunk = std::mem::replace(&mut self.chunk, new_chunk());
        self.w.write_all(chunk.as_bytes())?;
        self.at += chunk.len() as u64;
        Ok(())
    }

    /// Writes the cross-reference table and the trailer: every allocated
    /// object must have been written.
    pub fn finish(mut self, root: Ref, info: Ref, id: (&[u8], &[u8])) -> std::io::Result<()> {
        self.flush()?;
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02X}")).collect::<String>();
        let mut tail = String::with_capacity(self.offsets.len() * 20 + 300);
        tail.push_str(&format!("xref\n0 {}\n0000000000 65535 f\r\n", self.offsets.len()));
        for (n, at) in self.offsets.iter().enumerate().skip(1) {
            debug_assert!(*at > 0, "object {n} was allocated but never written");
            tail.push_str(&format!("{at:010} 00000 n\r\n"));
        }
        tail.push_str(&format!(
            "trailer\n<</Size {}/Root {} 0 R/Info {} 0 R/ID[<{}><{}>]>>\nstartxref\n{}\n%%EOF\n",
            self.offsets.len(),
            root.get(),
            info.get(),
            hex(id.0),
            hex(id.1),
            self.at
        ));
        self.w.write_all(tail.as_bytes())?;
        self.w.flush()
    }
}

fn new_chunk() -> Chunk {
    Chunk::with_settings_and_capacity(SETTINGS, 64 * 1024)
}

/// Deflates streams with one compressor reused for the whole document
/// (a new one per stream cost krilla several per cent of the CPU).
pub(super) struct Deflate {
    z: flate2::Compress,
    out: Vec<u8>,
}

impl Deflate {
    pub fn new(level: u32) -> Self {
        Deflate { z: flate2::Compress::new(flate2::Compression::new(level), true), out: Vec::new() }
    }

    /// `data` compressed (zlib format, as /FlateDecode reads it).
    pub fn run(&mut self, data: &[u8]) -> &[u8] {
        self.z.reset();
        self.out.clear();
        self.out.reserve(data.len() / 2 + 64);
        loop {
            let consumed = self.z.total_in() as usize;
            match self.z.compress_vec(&data[consumed..], &mut self.out, flate2::FlushCompress::Finish) {
                Ok(flate2::Status::StreamEnd) => break,
                Ok(_) => self.out.reserve(self.out.capacity().max(1024)),
                Err(e) => unreachable!("deflate into a growing buffer cannot fail: {e}"),
            }
        }
        &self.out
    }
}

#[cfg(test)]
mod tests {
    use pdf_writer::Ref;

    /// Each cross-reference entry points at its object, however the objects
    /// were batched before they reached the file.
    #[test]
    fn the_cross_reference_table_points_at_each_object() {
        let mut bytes = Vec::new();
        let mut out = super::Out::new(&mut bytes).unwrap();
        let first = out.alloc_many(3);
        let (a, b, c) = (first, Ref::new(first.get() + 1), Ref::new(first.get() + 2));
        out.obj(b).indirect(b).primitive(2);
        out.flush().unwrap();
        out.obj(c).indirect(c).primitive(3);
        out.obj(a).indirect(a).primitive(1);
        out.finish(a, b, (b"doc", b"ins")).unwrap();
        // One ASCII byte per byte, so string positions are the file's offsets.
        let text: String = bytes.iter().map(|&b| if b.is_ascii() { char::from(b) } else { '?' }).collect();
        let xref = text.find("xref\n").unwrap();
        let entries: Vec<usize> =
            text[xref..].lines().skip(3).take(3).map(|l| l[..10].parse().unwrap()).collect();
        for (n, at) in (1..=3).zip(entries) {
            assert!(text[at..].starts_with(&format!("{n} 0 obj\n{n}\nendobj")), "object {n} at {at}");
        }
        let start: usize = text.lines().rev().nth(1).unwrap().parse().unwrap();
        assert_eq!(start, xref);
        assert!(text.contains("/ID[<646F63><696E73>]"));
    }

    #[test]
    fn deflate_round_trips_with_one_compressor() {
        use std::io::Read;
        let mut z = super::Deflate::new(1);
        for data in [&b"BT /F0 9.5 Tf ET"[..], &[7u8; 100_000][..], b""] {
            let packed = z.run(data).to_vec();
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(&packed[..]).read_to_end(&mut back).unwrap();
            assert_eq!(back, data);
        }
    }
}
