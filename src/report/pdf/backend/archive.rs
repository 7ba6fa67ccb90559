//! What makes the file PDF/A-3a and says what it is: the attached project
//! sources (associated files), the sRGB output intent, the document
//! information and its XMP metadata, and the file identifier.

use pdf_writer::types::AssociationKind;
use pdf_writer::{Date, Filter, Finish, Name, Ref, Str, TextStr};
use xmp_writer::{LangId, RenditionClass, XmpWriter};

use super::file::{Deflate, Out};
use super::{text_limit, Attachment, Meta};

/// sRGB (ICC v4, CC0: see assets/icc/README.md), the output intent's profile
/// (PDF/A: device colours need one).
const SRGB: &[u8] = include_bytes!("../../../../assets/icc/sRGB-v4.icc");

/// Writes each attachment: its stream and its file specification. Returns
/// (name as the name tree keys it, file specification) in key order, for the catalog.
pub(super) fn attach(
    out: &mut Out,
    z: &mut Deflate,
    attachments: &[Attachment],
    date: Date,
) -> std::io::Result<Vec<(Vec<u8>, Ref)>> {
    let mut files: Vec<&Attachment> = attachments.iter().collect();
    // The name tree wants its keys in the order of their bytes as written.
    files.sort_by_cached_key(|a| name_key(a.name));
    let mut specs = Vec::with_capacity(files.len());
    for a in files {
        let (spec, data) = (out.alloc(), out.alloc());
        let mime = if a.name.ends_with(".csv") { "text/csv" } else { "application/yaml" };
        let deflated = a.deflated.get_or_init(|| z.run(a.bytes).to_vec());
        let mut file = out.obj(data).embedded_file(data, deflated);
        file.subtype(Name(mime.as_bytes())).filter(Filter::FlateDecode);
        file.params().size(a.bytes.len() as i32).modification_date(date);
        file.finish();
        let mut s = out.obj(spec).file_spec(spec);
        s.path(Str(ascii_path(a.name).as_bytes()))
            .unic_file(TextStr(a.name))
            .description(TextStr(&format!("Project source: {}", a.name)))
            .association_kind(AssociationKind::Source);
        s.insert(Name(b"EF")).dict().pair(Name(b"F"), data).pair(Name(b"UF"), data);
        s.finish();
        out.flush()?;
        specs.push((name_key(a.name), spec));
    }
    Ok(specs)
}

/// An attachment's name as a PDF text string: ASCII as it is, anything else
/// UTF-16BE after its byte order mark (raw UTF-8, as written before, read
/// back as `Ã©mergence` in qpdf and poppler).
fn name_key(name: &str) -> Vec<u8> {
    if name.is_ascii() {
        return name.as_bytes().to_vec();
    }
    let mut out = vec![0xFE, 0xFF];
    out.extend(name.encode_utf16().flat_map(u16::to_be_bytes));
    out
}

/// The file specification's `/F`, a byte string: the name with each
/// character outside ASCII as `_` (the whole name is in `/UF`).
fn ascii_path(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii() { c } else { '_' }).collect()
}

/// Writes the sRGB profile; returns it, for the catalog's output intent.
pub(super) fn srgb(out: &mut Out, z: &mut Deflate) -> Ref {
    let r = out.alloc();
    out.obj(r)
        .icc_profile(r, z.run(SRGB))
        .n(3)
        .range([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
        .filter(Filter::FlateDecode);
    r
}

/// The date `--as-of` names, midnight UTC.
pub(super) fn date(meta: &Meta) -> Date {
    let (y, m, d) = meta.as_of;
    Date::new(y).month(m).day(d).hour(0).minute(0).second(0).utc_offset_hour(0)
}

/// The document information dictionary; PDF/A asks it to agree with the XMP.
pub(super) fn info(out: &mut Out, meta: &Meta, producer: &str) -> Ref {
    let r = out.alloc();
    let date = date(meta);
    let mut info = out.obj(r).indirect(r).start::<pdf_writer::writers::DocumentInfo>();
    info.title(TextStr(text_limit(meta.title)));
    if !meta.author.is_empty() {
        info.author(TextStr(text_limit(meta.author)));
    }
    info.subject(TextStr(text_limit(meta.subject)))
        .keywords(TextStr(text_limit(&meta.keywords.join(", "))))
        .creator(TextStr(producer))
        .producer(TextStr(producer))
        .creation_date(date)
        .modified_date(date);
    info.finish();
    r
}

/// The file identifier's two halves (the document, this version of it),
/// from what the caller says the document is made from: the same input
/// gives the same file.
pub(super) fn ids(meta: &Meta) -> (String, String) {
    use sha2::Digest;
    let hash = |what: &str| -> String {
        let d = sha2::Sha256::digest(format!("{what}/{}", meta.id_seed).as_bytes());
        d.iter().take(16).map(|b| format!("{b:02x}")).collect()
    };
    (hash("document"), hash("instance"))
}

/// The XMP metadata stream: title, author, dates, and the PDF/A-3a and
/// PDF/UA-1 identification (with the extension schemas PDF/A asks for).
pub(super) fn xmp(out: &mut Out, meta: &Meta, producer: &str, pages: usize) -> Ref {
    let (document, instance) = ids(meta);
    let (y, m, d) = meta.as_of;
    let date = xmp_writer::DateTime::new(y, m, d, 0, 0, 0, xmp_writer::Timezone::Utc);
    let mut x = XmpWriter::new();
    // Cut as the information dictionary's are: PDF/A asks the two to agree.
    x.title([(None, text_limit(meta.title))]);
    x.description([(None, text_limit(meta.subject))]);
    x.pdf_keywords(text_limit(&meta.keywords.join(", ")));
    if !meta.author.is_empty() {
        x.creator([text_limit(meta.author)]);
    }
    x.creator_tool(producer);
    x.producer(producer);
    x.language([LangId("en-GB")]);
    x.modify_date(date);
    x.create_date(date);
    {
        let mut history = x.history();
        let mut saved = history.add_event();
        saved
            .action(xmp_writer::ResourceEventAction::Saved)
            .when(date)
            .instance_id(&format!("{instance}_source"));
        saved.finish();
        let mut converted = history.add_event();
        converted
            .action(xmp_writer::ResourceEventAction::Converted)
            .when(date)
            .software_agent(producer)
            .instance_id(&format!("{instance}_source"));
    }
    {
        let mut schemas = x.extension_schemas();
        schemas.xmp_media_management().properties().describe_instance_id();
        schemas.pdf().properties().describe_all();
        schemas.pdfua_id().properties().describe_part();
    }
    x.pdfa_part(3);
    x.pdfa_conformance("A");
    x.pdfua_part(1);
    x.num_pages(pages as u32);
    x.format("application/pdf");
    x.instance_id(&instance);
    x.document_id(&document);
    x.rendition_class(RenditionClass::Proof);
    x.pdf_version("1.7");
    let xml = x.finish(None);
    let r = out.alloc();
    // Uncompressed, so tools that look for the packet find it.
    out.obj(r).metadata(r, xml.as_bytes());
    r
}
