//! The printpdf backend: fonts, drawing commands → PDF operators, outline,
//! links and metadata, saved byte-for-byte reproducibly. The only file that
//! knows printpdf, so the library can be swapped (krilla is the fallback).

use std::collections::{BTreeMap, HashMap};

use printpdf::{
    Actions, BorderArray, Color, Destination, FontId, Line, LineDashPattern, LinePoint, LinkAnnotation, Op,
    PaintMode, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect,
    Rgb, TextItem, TextMatrix,
};

use super::layout::{Draw, Face, Metrics, Page};

/// DejaVu Sans (Bitstream Vera licence; see assets/fonts/LICENSE-DejaVu.txt):
/// embedded, subset, and the only family of the measured ones with ✓ ≥ ≤.
pub struct Fonts {
    faces: Vec<(Face, &'static str, ParsedFont, Advances)>,
}

/// Advance widths in 1/1000 em, looked up once: a flat table for Latin
/// (the hot path of layout), a map for the few other characters used.
struct Advances {
    latin: Vec<Option<f32>>,
    other: HashMap<char, Option<f32>>,
}

/// Characters below this have their advance in the flat table.
const LATIN_END: usize = 0x250;

fn face_bytes(face: Face) -> &'static [u8] {
    match face {
        Face::Regular => dejavu::sans::regular(),
        Face::Bold => dejavu::sans::bold(),
        Face::Italic => dejavu::sans::oblique(),
        Face::BoldItalic => dejavu::sans::bold_oblique(),
        Face::Mono => dejavu::sans_mono::regular(),
    }
}

/// Fixed resource names (also the subset tag) so output does not depend on
/// printpdf's id counter.
fn face_id(face: Face) -> &'static str {
    match face {
        Face::Regular => "DJVSAN",
        Face::Bold => "DJVSAB",
        Face::Italic => "DJVSAI",
        Face::BoldItalic => "DJVSBI",
        Face::Mono => "DJVSMO",
    }
}

impl Fonts {
    pub fn load() -> Result<Fonts, String> {
        let faces = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic, Face::Mono]
            .into_iter()
            .map(|face| {
                let font = ParsedFont::from_bytes(face_bytes(face), 0, &mut Vec::new())
                    .ok_or_else(|| format!("cannot read the embedded {face:?} font"))?;
                let measure = |c: char| advance_of(&font, c);
                let latin = (0..LATIN_END).map(|i| char::from_u32(i as u32).and_then(measure)).collect();
                let other = "–—‘’“”•…€≤≥✓✔✗☐☑→×±£·�".chars().map(|c| (c, measure(c))).collect();
                Ok((face, face_id(face), font, Advances { latin, other }))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Fonts { faces })
    }

    /// The faces are loaded in `Face` order, so a face is its own index.
    fn get(&self, face: Face) -> &(Face, &'static str, ParsedFont, Advances) {
        &self.faces[face as usize]
    }

    /// Advance of `c` in 1/1000 em, or `None` when the face has no glyph for it.
    fn advance(&self, face: Face, c: char) -> Option<f32> {
        let (_, _, font, adv) = self.get(face);
        match adv.latin.get(c as usize) {
            Some(w) => *w,
            None => adv.other.get(&c).copied().unwrap_or_else(|| advance_of(font, c)),
        }
    }

    pub fn has_glyph(&self, face: Face, c: char) -> bool {
        self.advance(face, c).is_some()
    }
}

impl Metrics for Fonts {
    fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        text.chars().map(|c| self.advance(face, c).unwrap_or(600.0)).sum::<f32>() * size / 1000.0
    }
}

/// Advance of `c` in 1/1000 em from the font's own tables.
fn advance_of(font: &ParsedFont, c: char) -> Option<f32> {
    let upem = f32::from(font.pdf_font_metrics.units_per_em.max(1));
    font.lookup_glyph_index(c as u32).map(|g| f32::from(font.get_horizontal_advance(g)) * 1000.0 / upem)
}

pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: Vec<String>,
    /// Unix seconds of `--as-of` (midnight UTC): creation and modification date.
    pub as_of_secs: i64,
    /// What the trailer `/ID` is derived from: the input digest, the file,
    /// `--as-of` and the document's content.
    pub id_seed: String,
}

fn rgb(c: [f32; 3]) -> Color {
    Color::Rgb(Rgb::new(c[0], c[1], c[2], None))
}

/// Turns laid-out pages into PDF bytes.
pub fn write(
    pages: &[Page],
    height: f32,
    width: f32,
    anchors: &BTreeMap<String, (usize, f32)>,
    outline: &[(String, usize, f32)],
    fonts: &Fonts,
    meta: &Meta,
) -> Vec<u8> {
    let mut doc = PdfDocument::new(meta.title);
    let t = printpdf::OffsetDateTime::from_unix_timestamp(meta.as_of_secs)
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0))
        .expect("the Unix epoch is a valid date");
    doc.metadata.info.creation_date = t;
    doc.metadata.info.modification_date = t;
    doc.metadata.info.metadata_date = t;
    doc.metadata.info.producer = format!("clinsafe {}", env!("CARGO_PKG_VERSION"));
    doc.metadata.info.creator = format!("clinsafe {}", env!("CARGO_PKG_VERSION"));
    doc.metadata.info.author = meta.author.to_string();
    doc.metadata.info.subject = meta.subject.to_string();
    doc.metadata.info.keywords = meta.keywords.clone();
    for (_, id, font, _) in &fonts.faces {
        doc.resources.fonts.map.insert(FontId(id.to_string()), PdfFont::new(font.clone()));
    }
    let flip = |y: f32| height - y;
    let mut pdf_pages = Vec::new();
    for page in pages {
        let mut ops = Vec::new();
        for d in &page.draws {
            match d {
                Draw::Text { x, y, face, size, color, text, up } => {
                    let matrix = if *up {
                        [0.0, 1.0, -1.0, 0.0, *x, flip(*y)]
                    } else {
                        [1.0, 0.0, 0.0, 1.0, *x, flip(*y)]
                    };
                    ops.extend([
                        Op::StartTextSection,
                        Op::SetFont {
                            font: PdfFontHandle::External(FontId(face_id(*face).to_string())),
                            size: Pt(*size),
                        },
                        Op::SetFillColor { col: rgb(*color) },
                        Op::SetTextMatrix { matrix: TextMatrix::Raw(matrix) },
                        Op::ShowText { items: vec![TextItem::Text(text.clone())] },
                        Op::EndTextSection,
                    ]);
                }
                Draw::Rect { x, y, w, h, fill, stroke } => {
                    let rect = |mode| Rect {
                        x: Pt(*x),
                        y: Pt(flip(y + h)),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(mode),
                        winding_order: None,
                    };
                    if let Some(f) = fill {
                        ops.push(Op::SetFillColor { col: rgb(*f) });
                        ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::Fill) });
                    }
                    if let Some((c, width)) = stroke {
                        ops.push(Op::SetOutlineColor { col: rgb(*c) });
                        ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                        ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[]) });
                        ops.push(Op::DrawRectangle { rectangle: rect(PaintMode::Stroke) });
                    }
                }
                Draw::Line { x1, y1, x2, y2, color, width, dash } => {
                    ops.push(Op::SetOutlineColor { col: rgb(*color) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    ops.push(Op::SetLineDashPattern {
                        dash: LineDashPattern::new(0.0, dash.as_ref().map_or(&[][..], |d| &d[..])),
                    });
                    ops.push(Op::DrawLine { line: polyline(&[(*x1, *y1), (*x2, *y2)], &flip) });
                }
                Draw::Polyline { points, color, width } => {
                    ops.push(Op::SetOutlineColor { col: rgb(*color) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[]) });
                    ops.push(Op::DrawLine { line: polyline(points, &flip) });
                }
                Draw::Link { x, y, w, h, target } => {
                    let actions = if let Some(id) = target.strip_prefix('#') {
                        match anchors.get(id) {
                            Some((page, ay)) => Actions::Goto(Destination::Xyz {
                                page: page + 1,
                                left: None,
                                top: Some(flip(*ay)),
                                zoom: None,
                            }),
                            None => continue,
                        }
                    } else if ["http://", "https://", "mailto:"].iter().any(|p| target.starts_with(p)) {
                        Actions::Uri(target.clone())
                    } else {
                        continue;
                    };
                    let rect = Rect {
                        x: Pt(*x),
                        y: Pt(flip(y + h)),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: None,
                        winding_order: None,
                    };
                    ops.push(Op::LinkAnnotation {
                        link: LinkAnnotation::new(
                            rect,
                            actions,
                            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                            None,
                            None,
                        ),
                    });
                }
            }
        }
        pdf_pages.push(PdfPage::new(printpdf::Mm::from(Pt(width)), printpdf::Mm::from(Pt(height)), ops));
    }
    doc.with_pages(pdf_pages);
    let outline: Vec<(String, usize, f32)> =
        outline.iter().map(|(t, p, y)| (t.clone(), *p, flip(*y))).collect();
    save_deterministic(&doc, &outline, &meta.id_seed)
}

/// The outline (bookmarks), written with lopdf: printpdf sorts bookmarks by
/// page and then by name ("10." before "9."), and points at the page's top;
/// these keep document order and jump to the heading itself.
fn add_outline(lo: &mut lopdf::Document, outline: &[(String, usize, f32)]) {
    use lopdf::{Dictionary, Object};
    let pages = lo.get_pages();
    let items: Vec<(&String, lopdf::ObjectId, f32)> = outline
        .iter()
        .filter_map(|(title, page, top)| Some((title, *pages.get(&(*page as u32 + 1))?, *top)))
        .collect();
    if items.is_empty() {
        return;
    }
    let root = lo.new_object_id();
    let ids: Vec<lopdf::ObjectId> = items.iter().map(|_| lo.new_object_id()).collect();
    for (i, (title, page, top)) in items.iter().enumerate() {
        // PDF text strings: UTF-16BE with a byte order mark.
        let utf16: Vec<u8> =
            [0xFEu8, 0xFF].into_iter().chain(title.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        let mut item = Dictionary::new();
        item.set("Title", Object::String(utf16, lopdf::StringFormat::Hexadecimal));
        item.set("Parent", Object::Reference(root));
        item.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(*page),
                Object::Name(b"XYZ".to_vec()),
                Object::Null,
                Object::Real(*top + 14.0),
                Object::Null,
            ]),
        );
        if i > 0 {
            item.set("Prev", Object::Reference(ids[i - 1]));
        }
        if let Some(next) = ids.get(i + 1) {
            item.set("Next", Object::Reference(*next));
        }
        lo.objects.insert(ids[i], Object::Dictionary(item));
    }
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    outlines.set("First", Object::Reference(ids[0]));
    outlines.set("Last", Object::Reference(*ids.last().expect("not empty")));
    outlines.set("Count", Object::Integer(ids.len() as i64));
    lo.objects.insert(root, Object::Dictionary(outlines));
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
}

fn polyline(points: &[(f32, f32)], flip: &dyn Fn(f32) -> f32) -> Line {
    Line {
        points: points
            .iter()
            .map(|(x, y)| LinePoint { p: Point { x: Pt(*x), y: Pt(flip(*y)) }, bezier: false })
            .collect(),
        is_closed: false,
    }
}

/// printpdf's trailer `/ID` comes from a process-wide counter; replace it
/// with one derived from the inputs so equal input gives equal bytes.
fn save_deterministic(doc: &PdfDocument, outline: &[(String, usize, f32)], id_seed: &str) -> Vec<u8> {
    use sha2::Digest;
    let opts = PdfSaveOptions { optimize: true, subset_fonts: true, ..Default::default() };
    let mut lo = doc.to_lopdf_document(&opts, &mut Vec::new());
    add_outline(&mut lo, outline);
    lo.compress();
    let id = sha2::Sha256::digest(id_seed.as_bytes())[..16].to_vec();
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.clone(), lopdf::StringFormat::Hexadecimal),
            lopdf::Object::String(id, lopdf::StringFormat::Hexadecimal),
        ]),
    );
    let mut out = Vec::new();
    lo.save_to(&mut out).expect("PDF serializes to memory");
    out
}
