//! Fonts for the PDF: DejaVu faces loaded once, measured for layout, and
//! turned into positioned glyphs (shaped with rustybuzz where the script
//! needs it), so what layout measures is exactly what the PDF draws.

use std::collections::HashMap;
use std::ops::Range;

use crate::report::pdf::layout::{Face, Metrics};

/// DejaVu Sans (Bitstream Vera licence; see assets/fonts/LICENSE-DejaVu.txt):
/// embedded as a subset of the glyphs each document uses; covers Latin,
/// Greek, Cyrillic, Hebrew and Arabic, and has ✓ ≥ ≤.
pub struct Fonts {
    faces: Vec<FaceData>,
}

/// One glyph placed by the shaper: advance and offsets in em, and the bytes
/// of the text it stands for.
pub(super) struct Glyph {
    pub id: u16,
    pub advance: f32,
    pub dx: f32,
    pub dy: f32,
    pub range: Range<usize>,
}

struct FaceData {
    shaper: rustybuzz::Face<'static>,
    /// (glyph, advance in 1/1000 em) of the characters below `SIMPLE_END`,
    /// looked up once: the hot path of layout.
    simple: Vec<Option<(u16, f32)>>,
    other: HashMap<char, Option<(u16, f32)>>,
    /// The advance of each ASCII character (600 where the face has none, as
    /// drawn): measuring a plain word is one lookup per byte.
    ascii: [f32; 128],
    /// Every printable ASCII character (space to `~`) has a glyph.
    printable_ascii: bool,
}

/// Characters below this that are not combining marks need no shaping:
/// one glyph each, placed by its advance (Latin, Greek, Cyrillic).
const SIMPLE_END: usize = 0x590;

/// Needs the shaper: combining marks, and the scripts from Hebrew on
/// (joining, marks, reordering), up to the general punctuation block.
fn complex(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0590}'..='\u{1FFF}' | '\u{200C}'..='\u{200F}' | '\u{FB1D}'..='\u{FEFF}')
}

pub(super) fn face_bytes(face: Face) -> &'static [u8] {
    match face {
        Face::Regular => dejavu::sans::regular(),
        Face::Bold => dejavu::sans::bold(),
        Face::Italic => dejavu::sans::oblique(),
        Face::BoldItalic => dejavu::sans::bold_oblique(),
        Face::Mono => dejavu::sans_mono::regular(),
    }
}

impl Fonts {
    pub fn load() -> Result<Fonts, String> {
        let faces = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic, Face::Mono]
            .into_iter()
            .map(|face| {
                let bytes = face_bytes(face);
                let cannot = || format!("cannot read the embedded {face:?} font");
                let shaper = rustybuzz::Face::from_slice(bytes, 0).ok_or_else(cannot)?;
                let measure = |c: char| glyph_of(&shaper, c);
                let simple = (0..SIMPLE_END).map(|i| char::from_u32(i as u32).and_then(measure)).collect();
                let other = "–—‘’“”•…€≤≥✓✔✗☐☑→×±£·�".chars().map(|c| (c, measure(c))).collect();
                let ascii = std::array::from_fn(|b| measure(char::from(b as u8)).map_or(600.0, |g| g.1));
                let printable_ascii = (0x20u8..0x7f).all(|b| measure(char::from(b)).is_some());
                Ok(FaceData { shaper, simple, other, ascii, printable_ascii })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Fonts { faces })
    }

    /// The faces are loaded in `Face` order, so a face is its own index.
    fn get(&self, face: Face) -> &FaceData {
        &self.faces[face as usize]
    }

    /// The face's own tables (metrics for the font descriptor).
    pub(super) fn tables(&self, face: Face) -> &rustybuzz::Face<'static> {
        &self.get(face).shaper
    }

    /// Whether `text` is drawn one glyph per character at the font's own
    /// advances (no shaping, no reordering): nearly all text.
    pub(super) fn is_simple(text: &str, rtl: bool) -> bool {
        !rtl && !text.chars().any(complex)
    }

    /// Glyph and advance (1/1000 em) of `c`, or `None` when the face has none.
    #[inline]
    pub(super) fn glyph(&self, face: Face, c: char) -> Option<(u16, f32)> {
        let f = self.get(face);
        match f.simple.get(c as usize) {
            Some(g) => *g,
            None => f.other.get(&c).copied().unwrap_or_else(|| glyph_of(&f.shaper, c)),
        }
    }

    #[inline]
    pub fn has_glyph(&self, face: Face, c: char) -> bool {
        self.glyph(face, c).is_some()
    }

    /// Whether `face` draws every character of `text` without a lookup each:
    /// printable ASCII and line breaks, when the face has all of printable ASCII.
    pub fn draws_plain_ascii(&self, face: Face, text: &str) -> bool {
        self.get(face).printable_ascii && text.bytes().all(|b| b == b'\n' || (0x20..0x7f).contains(&b))
    }

    /// Glyphs of `text` positioned left to right in visual order; `rtl` text
    /// is shaped right to left. Advances are in em.
    pub(super) fn glyphs(&self, face: Face, text: &str, rtl: bool) -> Vec<Glyph> {
        if Self::is_simple(text, rtl) {
            return text
                .char_indices()
                .map(|(i, c)| {
                    let (g, adv) = self.glyph(face, c).unwrap_or((0, 600.0));
                    glyph(g, adv / 1000.0, 0.0, 0.0, i..i + c.len_utf8())
                })
                .collect();
        }
        let f = &self.get(face).shaper;
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        let shaped = rustybuzz::shape(f, &[], buffer);
        let upem = f32::from(f.units_per_em().max(1) as u16);
        let mut clusters: Vec<usize> = shaped.glyph_infos().iter().map(|g| g.cluster as usize).collect();
        clusters.sort_unstable();
        clusters.dedup();
        let end_of = |start: usize| {
            let next = clusters.partition_point(|&c| c <= start);
            clusters.get(next).copied().unwrap_or(text.len())
        };
        shaped
            .glyph_infos()
            .iter()
            .zip(shaped.glyph_positions())
            .map(|(info, pos)| {
                let start = info.cluster as usize;
                glyph(
                    info.glyph_id as u16,
                    pos.x_advance as f32 / upem,
                    pos.x_offset as f32 / upem,
                    pos.y_offset as f32 / upem,
                    start..end_of(start),
                )
            })
            .collect()
    }
}

fn glyph(id: u16, advance: f32, dx: f32, dy: f32, range: Range<usize>) -> Glyph {
    Glyph { id, advance, dx, dy, range }
}

impl Metrics for Fonts {
    fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        if text.is_ascii() {
            let ascii = &self.get(face).ascii;
            return text.bytes().map(|b| ascii[usize::from(b)]).sum::<f32>() * size / 1000.0;
        }
        // One pass: each character's advance, until one needs the shaper.
        let mut sum = 0.0f32;
        for c in text.chars() {
            if complex(c) {
                return self.shaped_width(face, size, text);
            }
            sum += self.glyph(face, c).map_or(600.0, |g| g.1);
        }
        sum * size / 1000.0
    }
}

impl Fonts {
    fn shaped_width(&self, face: Face, size: f32, text: &str) -> f32 {
        let rtl = text.chars().any(|c| c >= '\u{0590}');
        self.glyphs(face, text, rtl).iter().map(|g| g.advance).sum::<f32>() * size
    }
}

/// Glyph and advance in 1/1000 em from the font's own tables.
fn glyph_of(font: &rustybuzz::Face, c: char) -> Option<(u16, f32)> {
    let upem = f32::from(font.units_per_em().max(1) as u16);
    let g = font.glyph_index(c)?;
    Some((g.0, f32::from(font.glyph_hor_advance(g).unwrap_or(0)) * 1000.0 / upem))
}
