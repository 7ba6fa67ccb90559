//! The glyphs a document uses, per face, and the embedded fonts made from
//! them at the end: Type0 fonts over CIDFontType2 subsets (Identity-H), with
//! widths and a ToUnicode map. A glyph's number in the subset (its CID) is
//! fixed when the glyph is first used (`subsetter::GlyphRemapper` numbers in
//! order of first use), so each page's text is written with its final codes.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Rect, Ref, Str};
use subsetter::GlyphRemapper;

use super::file::{Deflate, Out};
use super::fonts::{face_bytes, Fonts};
use crate::report::pdf::layout::Face;

const FACES: [Face; 5] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic, Face::Mono];

/// What one face's subset holds so far.
pub(super) struct FaceUse {
    pub font: Ref,
    remap: GlyphRemapper,
    /// By CID: advance in 1/1000 em, and the text the glyph stands for.
    widths: Vec<f32>,
    text: Vec<String>,
    /// The CID of each Latin-1 character once its glyph is known to stand
    /// for it alone (0: not yet): the common case looked up once.
    by_char: [u16; 256],
}

impl FaceUse {
    /// The CID of glyph `gid` (advance `advance`, 1/1000 em), noting that it
    /// stands for `text`; `false` when it already stands for something else
    /// (the run then needs /ActualText to extract right).
    pub fn cid(&mut self, gid: u16, advance: f32, text: &str) -> (u16, bool) {
        let cid = self.remap.remap(gid);
        let i = usize::from(cid);
        if i == self.widths.len() {
            self.widths.push(advance);
            self.text.push(text.to_string());
            return (cid, true);
        }
        let same = self.text[i] == text || text.is_empty();
        if self.text[i].is_empty() {
            self.text[i] = text.to_string();
        }
        (cid, same)
    }

    /// The CID of character `c` drawn alone, if already known to stand for it.
    #[inline]
    pub fn known(&self, c: char) -> Option<u16> {
        self.by_char.get(c as usize).copied().filter(|&cid| cid != 0)
    }

    /// `cid` for the glyph `gid` drawn for `c` alone, remembered for `c`
    /// when the glyph stands for `c` (a glyph's text, once set, never changes).
    pub fn char_cid(&mut self, c: char, gid: u16, advance: f32) -> (u16, bool) {
        let (cid, same) = self.cid(gid, advance, c.encode_utf8(&mut [0; 4]));
        if let Some(known) = self.by_char.get_mut(c as usize).filter(|_| same && cid != 0) {
            *known = cid;
        }
        (cid, same)
    }
}

#[derive(Default)]
pub(super) struct Used {
    faces: [Option<FaceUse>; 5],
}

/// The resource name a face is drawn with (`/F0` … `/F4`).
pub(super) fn resource_name(face: Face) -> Name<'static> {
    const NAMES: [&[u8]; 5] = [b"F0", b"F1", b"F2", b"F3", b"F4"];
    Name(NAMES[face as usize])
}

impl Used {
    pub fn face(&mut self, out: &mut Out, fonts: &Fonts, face: Face) -> &mut FaceUse {
        self.faces[face as usize].get_or_insert_with(|| {
            let notdef = fonts.tables(face).glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(0)).unwrap_or(0);
            let upem = fonts.tables(face).units_per_em().max(1) as f32;
            FaceUse {
                font: out.alloc(),
                remap: GlyphRemapper::new(),
                widths: vec![f32::from(notdef) * 1000.0 / upem],
                text: vec![String::new()],
                by_char: [0; 256],
            }
        })
    }

    /// The faces used, with their font objects (for the pages' resources).
    pub fn fonts(&self) -> impl Iterator<Item = (Face, Ref)> + '_ {
        FACES.iter().filter_map(|&f| self.faces[f as usize].as_ref().map(|u| (f, u.font)))
    }

    /// Writes each used face as an embedded subset.
    pub fn write(&self, out: &mut Out, fonts: &Fonts, z: &mut Deflate) -> Result<(), String> {
        for face in FACES {
            if let Some(used) = &self.faces[face as usize] {
                write_font(out, fonts, z, face, used)?;
                out.flush().map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }
}

fn postscript_name(face: Face) -> &'static str {
    match face {
        Face::Regular => "DejaVuSans",
        Face::Bold => "DejaVuSans-Bold",
        Face::Italic => "DejaVuSans-Oblique",
        Face::BoldItalic => "DejaVuSans-BoldOblique",
        Face::Mono => "DejaVuSansMono",
    }
}

/// Six capital letters naming the subset (the same glyphs, the same tag).
fn subset_tag(face: Face, used: &FaceUse) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(postscript_name(face).as_bytes());
    for g in used.remap.remapped_gids() {
        h.update(g.to_be_bytes());
    }
    h.finalize().iter().take(6).map(|b| char::from(b'A' + b % 26)).collect()
}

fn write_font(
    out: &mut Out,
    fonts: &Fonts,
    z: &mut Deflate,
    face: Face,
    used: &FaceUse,
) -> Result<(), String> {
    let t = fonts.tables(face);
    let data = subsetter::subset(face_bytes(face), 0, &used.remap)
        .map_err(|e| format!("cannot subset the {face:?} font: {e}"))?;
    let name = format!("{}+{}", subset_tag(face, used), postscript_name(face));
    let (cid_ref, descriptor, cmap, cid_set, file) =
        (out.alloc(), out.alloc(), out.alloc(), out.alloc(), out.alloc());
    let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

    out.obj(used.font)
        .type0_font(used.font)
        .base_font(Name(name.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_ref)
        .to_unicode(cmap);

    let mut cid = out.obj(cid_ref).cid_font(cid_ref);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(name.as_bytes()))
        .system_info(system)
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, used.widths.iter().copied());
    cid.finish();

    let upem = t.units_per_em().max(1) as f32;
    let pdf = |v: f32| v * 1000.0 / upem;
    let bbox = t.global_bounding_box();
    let mut flags = FontFlags::SYMBOLIC;
    flags.set(FontFlags::FIXED_PITCH, t.is_monospaced());
    flags.set(FontFlags::ITALIC, t.is_italic() || t.italic_angle() != 0.0);
    // The typographic ascent and descent (OS/2), as text extraction groups lines by them.
    let ascent = pdf(f32::from(t.typographic_ascender().unwrap_or(t.ascender())));
    let descent = pdf(f32::from(t.typographic_descender().unwrap_or(t.descender())));
    let weight = f32::from(t.weight().to_number());
    out.obj(descriptor)
        .font_descriptor(descriptor)
        .name(Name(name.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(
            pdf(f32::from(bbox.x_min)),
            pdf(f32::from(bbox.y_min)),
            pdf(f32::from(bbox.x_max)),
            pdf(f32::from(bbox.y_max)),
        ))
        .italic_angle(t.italic_angle())
        .ascent(ascent)
        .descent(descent)
        .cap_height(t.capital_height().map_or(ascent, |h| pdf(f32::from(h))))
        .stem_v(10.0 + 0.244 * (weight - 50.0))
        .cid_set(cid_set)
        .font_file2(file);

    // Every CID from 0 is in the subset (the subsetter numbers them so).
    let n = used.widths.len();
    let mut set = vec![0xFFu8; n / 8];
    if !n.is_multiple_of(8) {
        set.push(!(0xFFu8 >> (n % 8)));
    }
    out.obj(cid_set).stream(cid_set, z.run(&set)).filter(Filter::FlateDecode);

    let mut map = UnicodeCmap::new(Name(b"Custom"), system);
    for (cid, text) in used.text.iter().enumerate().skip(1) {
        if !text.is_empty() {
            map.pair_with_multiple(cid as u16, text.chars());
        }
    }
    let map = map.finish();
    out.obj(cmap).stream(cmap, z.run(map.as_slice())).filter(Filter::FlateDecode);

    let mut stream = out.obj(file).stream(file, z.run(&data));
    stream.filter(Filter::FlateDecode);
    stream.pair(Name(b"Length1"), data.len() as i32);
    stream.finish();
    Ok(())
}
