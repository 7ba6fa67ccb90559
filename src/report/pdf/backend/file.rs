//! The PDF file as it is written: objects go out as soon as they are
//! complete, the cross-reference stream and trailer at the end. pdf-writer's
//! `Pdf` would hold the whole file until `finish`; here only the objects of
//! the page being written are held, and where every object is, for the
//! cross-reference stream. Small objects that are not streams (structure
//! elements, pages, annotations: most of a long document's objects) are
//! packed into a deflated object stream per batch (PDF 1.5), which makes a
//! hazard log about 40% smaller than writing each as plain text.

use std::collections::VecDeque;
use std::io::Write;

use pdf_writer::{Chunk, Filter, Finish, Name, Ref, Settings, Str};

/// Compact output (pdf-writer's default indents for people reading the file).
pub(super) const SETTINGS: Settings = Settings { pretty: false };

/// About how many bytes of small objects go into one object stream.
const PACK_BYTES: usize = 128 * 1024;

/// An object packed in an object stream: this bit, the stream's number
/// shifted by 32, and the object's index in it.
const PACKED: u64 = 1 << 63;

pub(super) struct Out<'w> {
    w: &'w mut (dyn Write + Send),
    /// Bytes written to `w` so far.
    at: u64,
    /// Objects written whole, not yet queued, and where each starts in it.
    chunk: Chunk,
    chunk_objects: Vec<(Ref, usize)>,
    /// What goes to `w` next, in file order: held until each deflated
    /// stream before it is back from the deflater.
    queue: VecDeque<Queued>,
    /// Objects to pack into the next object stream, and where each starts in
    /// it: written by pdf-writer (framed as `N 0 obj`), and written bare.
    pack: Chunk,
    packed: Vec<(Ref, usize)>,
    bare: Vec<u8>,
    packed_bare: Vec<(Ref, usize)>,
    /// Where each object is, by its number: a byte offset, or `PACKED | …` (0: nowhere yet).
    offsets: Vec<u64>,
    next: i32,
    /// For the few streams deflated here (fonts, cross-references).
    z: Deflate,
    deflater: Deflater,
}

/// A piece of the file waiting its turn.
enum Queued {
    /// Whole objects, and where each starts in the chunk.
    Objects(Chunk, Vec<(Ref, usize)>),
    /// A stream object, as the deflater returns it.
    Stream(Ref),
}

impl<'w> Out<'w> {
    /// Starts the file: the header of a PDF 1.7 file with binary content
    /// (PDF/A asks for the four high bytes on the comment line).
    pub fn new(w: &'w mut (dyn Write + Send), deflate_level: u32) -> std::io::Result<Self> {
        const HEADER: &[u8] = b"%PDF-1.7\n%\x80\x80\x80\x80\n";
        w.write_all(HEADER)?;
        Ok(Out {
            w,
            at: HEADER.len() as u64,
            chunk: new_chunk(),
            chunk_objects: Vec::new(),
            queue: VecDeque::new(),
            pack: new_chunk(),
            packed: Vec::new(),
            bare: Vec::new(),
            packed_bare: Vec::new(),
            offsets: vec![0],
            next: 1,
            z: Deflate::new(deflate_level),
            deflater: Deflater::new(deflate_level),
        })
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

    /// Where object `r` is to be written next, whole (a stream, or an object
    /// a reader looks for first): its offset is noted, then the caller
    /// writes exactly that one object into the chunk.
    pub fn obj(&mut self, r: Ref) -> &mut Chunk {
        self.chunk_objects.push((r, self.chunk.len()));
        &mut self.chunk
    }

    /// Stream object `r` of `data`, deflated (on the deflater's thread, while
    /// this one goes on), with `kind`'s entries: written where it was asked for.
    pub fn deflated(&mut self, r: Ref, data: Vec<u8>, kind: StreamKind) {
        self.queue_chunk();
        let job = Job { r, data, kind };
        let queued = match &self.deflater {
            Deflater::Beside { jobs, .. } => {
                // A send fails only when the thread is gone (it panicked):
                // writing the stream then reports it.
                let _ = jobs.send(job);
                Queued::Stream(r)
            }
            Deflater::Here => Queued::Objects(stream_object(&mut self.z, job), vec![(r, 0)]),
        };
        self.queue.push_back(queued);
    }

    /// Where object `r` (not a stream) is to be written next, to be packed
    /// into an object stream: the caller writes exactly that one object.
    pub fn packed(&mut self, r: Ref) -> &mut Chunk {
        self.packed.push((r, self.pack.len()));
        &mut self.pack
    }

    /// Where object `r` (not a stream) is to be written next, to be packed
    /// into an object stream, as bare PDF (no `N 0 obj` frame): the caller
    /// appends exactly that one object. For the structure tree's elements,
    /// a long document's most numerous objects, written without pdf-writer's
    /// per-key work (see `tags`).
    pub fn packed_bare(&mut self, r: Ref) -> &mut Vec<u8> {
        self.packed_bare.push((r, self.bare.len()));
        &mut self.bare
    }

    /// Writes the objects held so far to the file, but for small objects
    /// to pack, which wait for more (one object stream for several pages:
    /// fewer streams to start, and each deflates better).
    pub fn flush(&mut self) -> std::io::Result<()> {
        if self.pack.len() + self.bare.len() >= PACK_BYTES {
            self.write_pack();
        }
        self.queue_chunk();
        self.write_queued(STREAMS_IN_FLIGHT)
    }

    /// The whole objects so far join the queue.
    fn queue_chunk(&mut self) {
        if !self.chunk_objects.is_empty() {
            let chunk = std::mem::replace(&mut self.chunk, new_chunk());
            self.queue.push_back(Queued::Objects(chunk, std::mem::take(&mut self.chunk_objects)));
        }
    }

    /// Writes the queue's pieces that are ready, in order, waiting for the
    /// deflater while more than `in_flight` of its streams are not written.
    fn write_queued(&mut self, in_flight: usize) -> std::io::Result<()> {
        while let Some(front) = self.queue.pop_front() {
            let (chunk, objects) = match front {
                Queued::Objects(chunk, objects) => (chunk, objects),
                Queued::Stream(r) => match self.deflater.next(self.queue.len() >= in_flight)? {
                    Some(stream) => (stream, vec![(r, 0)]),
                    None => {
                        self.queue.push_front(Queued::Stream(r));
                        break;
                    }
                },
            };
            for (r, start) in objects {
                self.offsets[r.get() as usize] = self.at + start as u64;
            }
            self.w.write_all(chunk.as_bytes())?;
            self.at += chunk.len() as u64;
        }
        Ok(())
    }

    /// Turns the objects to pack into one object stream in the chunk.
    fn write_pack(&mut self) {
        if self.packed.is_empty() && self.packed_bare.is_empty() {
            return;
        }
        let pack = std::mem::replace(&mut self.pack, new_chunk());
        let framed_objects = std::mem::take(&mut self.packed);
        let bare_objects = std::mem::take(&mut self.packed_bare);
        let bare_bytes = std::mem::take(&mut self.bare);
        let stream = self.alloc();
        let bytes = pack.as_bytes();
        let count = framed_objects.len() + bare_objects.len();
        let mut header = Vec::with_capacity(count * 12);
        let mut body = Vec::with_capacity(bytes.len() + bare_bytes.len() + count);
        let framed = framed_objects.iter().enumerate().map(|(i, &(r, start))| {
            let end = framed_objects.get(i + 1).map_or(bytes.len(), |next| next.1);
            (r, bare(&bytes[start..end], r))
        });
        let unframed = bare_objects.iter().enumerate().map(|(i, &(r, start))| {
            let end = bare_objects.get(i + 1).map_or(bare_bytes.len(), |next| next.1);
            (r, &bare_bytes[start..end])
        });
        let mut number = itoa::Buffer::new();
        for (i, (r, inner)) in framed.chain(unframed).enumerate() {
            // "number offset " straight into the buffer (through `write!` this was 1.6% of a render).
            header.extend_from_slice(number.format(r.get()).as_bytes());
            header.push(b' ');
            header.extend_from_slice(number.format(body.len()).as_bytes());
            header.push(b' ');
            body.extend_from_slice(inner);
            body.push(b'\n');
            self.offsets[r.get() as usize] = PACKED | (u64::from(stream.get() as u32) << 32) | i as u64;
        }
        // The buffer's capacity is kept for the next batch.
        self.bare = bare_bytes;
        self.bare.clear();
        let first = header.len();
        let mut data = header;
        data.extend_from_slice(&body);
        self.deflated(stream, data, StreamKind::Objects { count: count as i32, first: first as i32 });
    }

    /// Writes the cross-reference stream and the trailer: every allocated
    /// object must have been written.
    pub fn finish(mut self, root: Ref, info: Ref, id: (&[u8], &[u8])) -> std::io::Result<()> {
        self.write_pack();
        self.queue_chunk();
        self.write_queued(0)?;
        let xref = self.alloc();
        self.offsets[xref.get() as usize] = self.at;
        // Fields: type, offset or object stream, generation or index; each
        // as wide as its largest value needs.
        let width = |max: u64| (1..8).find(|&n| max < 1u64 << (8 * n)).unwrap_or(8);
        let (mut max2, mut max3) = (0u64, 0u64);
        for &o in &self.offsets {
            if o & PACKED != 0 {
                max2 = max2.max((o & !PACKED) >> 32);
                max3 = max3.max(o & 0xFFFF_FFFF);
            } else {
                max2 = max2.max(o);
            }
        }
        let (w2, w3) = (width(max2), width(max3.max(0xFFFF)));
        let mut data = Vec::with_capacity(self.offsets.len() * (1 + w2 + w3));
        let field = |data: &mut Vec<u8>, v: u64, w: usize| data.extend_from_slice(&v.to_be_bytes()[8 - w..]);
        for (n, &o) in self.offsets.iter().enumerate() {
            if n == 0 {
                data.push(0);
                field(&mut data, 0, w2);
                field(&mut data, 0xFFFF, w3);
            } else if o & PACKED != 0 {
                data.push(2);
                field(&mut data, (o & !PACKED) >> 32, w2);
                field(&mut data, o & 0xFFFF_FFFF, w3);
            } else {
                debug_assert!(o > 0, "object {n} was allocated but never written");
                data.push(1);
                field(&mut data, o, w2);
                field(&mut data, 0, w3);
            }
        }
        let mut s = self.chunk.stream(xref, self.z.run(&data));
        s.filter(Filter::FlateDecode);
        s.pair(Name(b"Type"), Name(b"XRef"));
        s.pair(Name(b"Size"), self.offsets.len() as i32);
        s.insert(Name(b"W")).array().items([1, w2 as i32, w3 as i32]);
        s.pair(Name(b"Root"), root);
        s.pair(Name(b"Info"), info);
        s.insert(Name(b"ID")).array().items([Str(id.0), Str(id.1)]);
        s.finish();
        let start = self.at;
        let chunk = std::mem::replace(&mut self.chunk, new_chunk());
        self.w.write_all(chunk.as_bytes())?;
        self.w.write_all(format!("startxref\n{start}\n%%EOF\n").as_bytes())?;
        self.w.flush()
    }
}

/// An object as pdf-writer writes it (`N 0 obj\n…\nendobj\n`) without its
/// frame, as an object stream holds it.
pub(super) fn bare(object: &[u8], r: Ref) -> &[u8] {
    let mut number = itoa::Buffer::new();
    object
        .strip_prefix(number.format(r.get()).as_bytes())
        .and_then(|o| o.strip_prefix(b" 0 obj\n"))
        .and_then(|o| o.strip_suffix(b"\nendobj\n"))
        .expect("pdf-writer frames an object as `N 0 obj\\n…\\nendobj\\n`")
}

/// Deflated streams not yet written, at most (beyond these, the writer
/// waits for the deflater): enough to keep both threads busy.
const STREAMS_IN_FLIGHT: usize = 16;

/// What a deflated stream's dictionary says besides its length and filter.
pub(super) enum StreamKind {
    /// A page's content.
    Content,
    /// An object stream of `count` objects, the first at `first`.
    Objects { count: i32, first: i32 },
}

struct Job {
    r: Ref,
    data: Vec<u8>,
    kind: StreamKind,
}

/// The stream object `job` asks for, framed, its data deflated.
fn stream_object(z: &mut Deflate, job: Job) -> Chunk {
    let deflated = z.run(&job.data);
    let mut chunk = Chunk::with_settings_and_capacity(SETTINGS, deflated.len() + 100);
    let mut s = chunk.stream(job.r, deflated);
    s.filter(Filter::FlateDecode);
    if let StreamKind::Objects { count, first } = job.kind {
        s.pair(Name(b"Type"), Name(b"ObjStm"));
        s.pair(Name(b"N"), count);
        s.pair(Name(b"First"), first);
    }
    s.finish();
    chunk
}

/// Deflates a document's page content and object streams on a thread of its
/// own (about half of a long document's writing), in the order they were
/// asked for; here, when no thread could be started.
enum Deflater {
    Beside { jobs: std::sync::mpsc::Sender<Job>, done: std::sync::mpsc::Receiver<Chunk> },
    Here,
}

impl Deflater {
    fn new(level: u32) -> Self {
        let (jobs, todo) = std::sync::mpsc::channel::<Job>();
        let (finished, done) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new().name("deflate".into()).spawn(move || {
            let mut z = Deflate::new(level);
            for job in todo {
                if finished.send(stream_object(&mut z, job)).is_err() {
                    break;
                }
            }
        });
        match thread {
            Ok(_) => Deflater::Beside { jobs, done },
            Err(_) => Deflater::Here,
        }
    }

    /// The next stream back, waiting for it if `wait` (`None`: not back yet).
    fn next(&mut self, wait: bool) -> std::io::Result<Option<Chunk>> {
        let Deflater::Beside { done, .. } = self else {
            unreachable!("streams wait for the deflater only when it has a thread")
        };
        let stopped = || std::io::Error::other("the deflate thread stopped");
        if wait {
            done.recv().map(Some).map_err(|_| stopped())
        } else {
            match done.try_recv() {
                Ok(stream) => Ok(Some(stream)),
                Err(std::sync::mpsc::TryRecvError::Empty) => Ok(None),
                Err(std::sync::mpsc::TryRecvError::Disconnected) => Err(stopped()),
            }
        }
    }
}

fn new_chunk() -> Chunk {
    Chunk::with_settings_and_capacity(SETTINGS, 64 * 1024)
}

/// Deflates streams with one compressor reused for the whole document
/// (a new one per stream cost krilla several per cent of the CPU), with
/// libdeflate: whole buffers at once, and at level 1 as fast as zlib-rs's
/// level 1 for streams ~25% smaller (README, PDF performance).
pub(super) struct Deflate {
    z: libdeflater::Compressor,
    /// Grown to the largest bound seen, never shrunk or cleared: each stream
    /// is written over the start of it.
    out: Vec<u8>,
}

impl Deflate {
    pub fn new(level: u32) -> Self {
        let level = libdeflater::CompressionLvl::new(level as i32).expect("a deflate level from 1 to 12");
        Deflate { z: libdeflater::Compressor::new(level), out: Vec::new() }
    }

    /// `data` compressed (zlib format, as /FlateDecode reads it).
    pub fn run(&mut self, data: &[u8]) -> &[u8] {
        let bound = self.z.zlib_compress_bound(data.len());
        if self.out.len() < bound {
            self.out.resize(bound, 0);
        }
        let n = self
            .z
            .zlib_compress(data, &mut self.out)
            .unwrap_or_else(|e| unreachable!("a buffer of the compressor's own bound fits: {e}"));
        &self.out[..n]
    }
}

#[cfg(test)]
mod tests {
    use pdf_writer::Ref;

    /// Each cross-reference entry finds its object, written whole or packed,
    /// however the objects were batched before they reached the file.
    #[test]
    #[ignore = "needs qpdf; run by .ci/run"]
    fn the_cross_reference_stream_finds_each_object() {
        let mut bytes = Vec::new();
        let mut out = super::Out::new(&mut bytes, 1).unwrap();
        let first = out.alloc_many(3);
        let (a, b, c) = (first, Ref::new(first.get() + 1), Ref::new(first.get() + 2));
        out.obj(b).indirect(b).primitive(2);
        out.packed(c).indirect(c).primitive(3);
        out.flush().unwrap();
        out.packed(a).indirect(a).dict().pair(pdf_writer::Name(b"Type"), pdf_writer::Name(b"Catalog"));
        out.finish(a, b, (b"doc", b"ins")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.pdf");
        std::fs::write(&file, &bytes).unwrap();
        let o = std::process::Command::new("qpdf").arg("--show-xref").arg(&file).output().expect("qpdf runs");
        let xref = String::from_utf8_lossy(&o.stdout);
        assert!(xref.contains("1/0: compressed; stream = "), "{xref}");
        assert!(xref.contains("2/0: uncompressed; offset = 15"), "{xref}");
        assert!(xref.contains("3/0: compressed; stream = "), "{xref}");
        let one = std::process::Command::new("qpdf").args(["--show-object=1"]).arg(&file).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&one.stdout).trim(), "<< /Type /Catalog >>");
        let three = std::process::Command::new("qpdf").args(["--show-object=3"]).arg(&file).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&three.stdout).trim(), "3");
    }

    /// Objects written whole, streams deflated on the deflater's thread and
    /// packed objects, interleaved: the same file as when every stream is
    /// deflated on the writing thread (no thread could be started), each
    /// object where the cross-reference stream says.
    fn interleaved(beside: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut out = super::Out::new(&mut bytes, 1).unwrap();
        if !beside {
            out.deflater = super::Deflater::Here;
        }
        let catalog = out.alloc();
        for i in 0..40 {
            let (whole, stream, packed) = (out.alloc(), out.alloc(), out.alloc());
            out.obj(whole).indirect(whole).primitive(i);
            let content = format!("BT /F0 9 Tf ({i}) Tj ET\n").repeat(i as usize * 50);
            out.deflated(stream, content.into_bytes(), super::StreamKind::Content);
            out.packed(packed).indirect(packed).primitive(-i);
            if i % 3 == 0 {
                out.flush().unwrap();
            }
        }
        out.packed(catalog)
            .indirect(catalog)
            .dict()
            .pair(pdf_writer::Name(b"Type"), pdf_writer::Name(b"Catalog"));
        out.finish(catalog, catalog, (b"doc", b"ins")).unwrap();
        bytes
    }

    #[test]
    fn streams_deflated_beside_make_the_same_file_as_streams_deflated_here() {
        assert_eq!(interleaved(true), interleaved(false));
    }

    #[test]
    #[ignore = "needs qpdf; run by .ci/run"]
    fn streams_deflated_beside_are_where_the_cross_references_say() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.pdf");
        std::fs::write(&file, interleaved(true)).unwrap();
        // Object 3 is the first object `interleaved` deflates, 3 + 3 × 39 the last, the longest.
        for i in [1, 20, 39] {
            let stream = std::process::Command::new("qpdf")
                .arg(format!("--show-object={}", 3 + 3 * i))
                .arg("--filtered-stream-data")
                .arg(&file)
                .output()
                .expect("qpdf runs");
            let said = String::from_utf8_lossy(&stream.stderr);
            assert!(stream.status.success(), "{said}");
            assert_eq!(
                String::from_utf8_lossy(&stream.stdout),
                format!("BT /F0 9 Tf ({i}) Tj ET\n").repeat(i * 50)
            );
        }
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
