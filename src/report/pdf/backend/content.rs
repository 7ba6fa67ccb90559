//! One page's content stream: the layout's drawing commands as PDF
//! operators, in the layout's coordinates (points from the top left: the
//! page is flipped once at the start), with the colour, line and font
//! state tracked so each is set only when it changes.

mod ops;

use pdf_writer::types::{ArtifactSubtype, ArtifactType};
use pdf_writer::{Content, Name, Settings, TextStr};
use rustybuzz::ttf_parser::GlyphId;

use super::file::Out;
use super::fonts::Fonts;
use super::subset::{resource_name, Used};
use super::text_limit;
use crate::report::pdf::layout::{Draw, Face, Rgb};
use ops::Ops;

pub(super) struct Painter {
    c: Ops,
    fill: Option<Rgb>,
    stroke: Option<Rgb>,
    width: f32,
    dash: Option<[f32; 2]>,
    /// The font and size set (the text state outlives `BT`/`ET`).
    font: Option<(Face, f32)>,
    /// The `BDC` of each kind of artifact used on the page, as pdf-writer writes it.
    artifact_bdc: Vec<(ArtifactType, Option<ArtifactSubtype<'static>>, Vec<u8>)>,
    codes: Vec<u8>,
}

/// What drawing text needs besides the page: the fonts and the glyphs the
/// document has used.
pub(super) struct Glyphs<'a, 'w> {
    pub out: &'a mut Out<'w>,
    pub fonts: &'a Fonts,
    pub used: &'a mut Used,
}

/// What pdf-writer writes for the rare operations whose operands have
/// escaping rules of their own.
fn with_pdf_writer(f: impl FnOnce(&mut Content)) -> Vec<u8> {
    let mut c = Content::with_settings(Settings { pretty: false });
    f(&mut c);
    let mut bytes = c.finish().into_vec();
    bytes.push(b'\n');
    bytes
}

impl Painter {
    pub fn new(height: f32) -> Painter {
        // About a page of table rows at 1,000 hazards: few reallocations.
        let mut c = Ops::with_capacity(16 * 1024);
        c.nums(&[1.0, 0.0, 0.0, -1.0, 0.0, height]).op("cm");
        Painter {
            c,
            fill: None,
            stroke: None,
            width: 1.0,
            dash: None,
            font: None,
            artifact_bdc: Vec::new(),
            codes: Vec::new(),
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.c.into_vec()
    }

    /// Content belonging to structure element content `mcid`.
    pub fn begin_tagged(&mut self, tag: &[u8], mcid: i32) {
        self.c
            .raw(b"/")
            .raw(tag)
            .raw(b"<</MCID ")
            .raw(itoa::Buffer::new().format(mcid).as_bytes())
            .raw(b">>")
            .op("BDC");
    }

    pub fn begin_artifact(&mut self, kind: ArtifactType, subtype: Option<ArtifactSubtype<'static>>) {
        let known = self.artifact_bdc.iter().position(|(k, s, _)| *k == kind && *s == subtype);
        let i = known.unwrap_or_else(|| {
            let bdc = with_pdf_writer(|c| {
                let mut mc = c.begin_marked_content_with_properties(Name(b"Artifact"));
                let mut a = mc.properties().artifact();
                a.kind(kind);
                if let Some(s) = subtype.clone() {
                    a.subtype(s);
                }
            });
            self.artifact_bdc.push((kind, subtype, bdc));
            self.artifact_bdc.len() - 1
        });
        self.c.raw(&self.artifact_bdc[i].2);
    }

    pub fn end_marked(&mut self) {
        self.c.op("EMC");
    }

    fn set_fill(&mut self, c: Option<Rgb>) {
        if let Some(c) = c.filter(|c| self.fill != Some(*c)) {
            self.c.nums(&c).op("rg");
            self.fill = Some(c);
        }
    }

    fn set_stroke(&mut self, c: Rgb, width: f32, dash: Option<[f32; 2]>) {
        if self.stroke != Some(c) {
            self.c.nums(&c).op("RG");
            self.stroke = Some(c);
        }
        if self.width != width {
            self.c.num(width).op("w");
            self.width = width;
        }
        if self.dash != dash {
            match dash {
                Some(d) => self.c.raw(b"[").nums(&d).raw(b"] 0 ").op("d"),
                None => self.c.raw(b"[] 0 ").op("d"),
            };
            self.dash = dash;
        }
    }

    /// Draws one command (not `Open`, `Close` or `Link`, which are structure).
    pub fn draw(&mut self, g: &mut Glyphs, d: &Draw) {
        match d {
            Draw::Text { x, y, face, size, color, text, up, rtl } => {
                self.set_fill(Some(*color));
                if *up {
                    let font = self.font;
                    self.c.op("q");
                    self.c.nums(&[0.0, -1.0, 1.0, 0.0, *x, *y]).op("cm");
                    self.text(g, 0.0, 0.0, *face, *size, text, *rtl);
                    self.c.op("Q");
                    self.font = font;
                } else {
                    self.text(g, *x, *y, *face, *size, text, *rtl);
                }
            }
            Draw::Rect { x, y, w, h, fill, stroke } => {
                self.set_fill(*fill);
                if let Some((c, width)) = stroke {
                    self.set_stroke(*c, *width, None);
                }
                self.c.nums(&[*x, *y, w.max(0.01), h.max(0.01)]).op("re");
                self.c.op(match (fill.is_some(), stroke.is_some()) {
                    (true, true) => "B",
                    (true, false) => "f",
                    (false, true) => "S",
                    (false, false) => "n",
                });
            }
            Draw::Line { x1, y1, x2, y2, color, width, dash } => {
                self.polyline(&[(*x1, *y1), (*x2, *y2)], *color, *width, *dash);
            }
            Draw::Polyline { points, color, width } => self.polyline(points, *color, *width, None),
            Draw::Link { .. } | Draw::Open(_) | Draw::Close => {}
        }
    }

    fn polyline(&mut self, points: &[(f32, f32)], c: Rgb, width: f32, dash: Option<[f32; 2]>) {
        if points.len() < 2 {
            return;
        }
        self.set_stroke(c, width, dash);
        for (i, (x, y)) in points.iter().enumerate() {
            self.c.nums(&[*x, *y]).op(if i == 0 { "m" } else { "l" });
        }
        self.c.op("S");
    }

    fn set_font(&mut self, face: Face, size: f32) {
        if self.font != Some((face, size)) {
            self.c.raw(b"/").raw(resource_name(face).0).raw(b" ").num(size).op("Tf");
            self.font = Some((face, size));
        }
    }

    fn text_matrix(&mut self, x: f32, y: f32) {
        self.c.raw(b"1 0 0 -1 ").nums(&[x, y]).op("Tm");
    }

    /// A run of text with its baseline starting at (x, y). Simple text is
    /// one glyph per character at the widths the font declares; shaped text
    /// (right to left, joined, marks) is placed glyph by glyph; text a glyph
    /// cannot carry in the font's map (a cluster of several glyphs, a glyph
    /// standing for other characters elsewhere) is given as /ActualText.
    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, g: &mut Glyphs, x: f32, y: f32, face: Face, size: f32, text: &str, rtl: bool) {
        let used = g.used.face(g.out, g.fonts, face);
        self.c.op("BT");
        self.set_font(face, size);
        self.text_matrix(x, y);
        if Fonts::is_simple(text, rtl) {
            self.codes.clear();
            let mut plain = true;
            for ch in text.chars() {
                let cid = used.known(ch).unwrap_or_else(|| {
                    let (gid, advance) = g.fonts.glyph(face, ch).unwrap_or((0, 600.0));
                    let (cid, same) = used.char_cid(ch, gid, advance);
                    plain &= same;
                    cid
                });
                self.codes.extend(cid.to_be_bytes());
            }
            if !plain {
                self.actual_text(text);
            }
            self.c.string(&self.codes).op("Tj");
            if !plain {
                self.c.op("EMC");
            }
        } else {
            let t = g.fonts.tables(face);
            let upem = t.units_per_em().max(1) as f32;
            let mut pen = x;
            // (code, adjustment after it in 1/1000 em) of glyphs shown together.
            let mut run: Vec<(u16, f32)> = Vec::new();
            let glyphs = g.fonts.glyphs(face, text, rtl);
            let mut i = 0;
            while i < glyphs.len() {
                // A cluster: the glyphs of one stretch of text (a base and its
                // marks; a ligature is one glyph for several characters).
                let range = glyphs[i].range.clone();
                let end = i + glyphs[i..].iter().take_while(|g| g.range == range).count();
                let chars = &text[range];
                let mut codes = Vec::with_capacity(end - i);
                let mut plain = end - i == 1;
                for gl in &glyphs[i..end] {
                    let declared =
                        f32::from(t.glyph_hor_advance(GlyphId(gl.id)).unwrap_or(0)) * 1000.0 / upem;
                    let (cid, same) = used.cid(gl.id, declared, chars);
                    plain &= same;
                    codes.push((cid, declared));
                }
                // Several glyphs for one stretch of text, or a glyph that stands for
                // other text elsewhere: the stretch's text is given as /ActualText.
                // Others extract through the font's map, so a reader puts
                // right-to-left text back in logical order itself.
                if !plain {
                    self.show_run(&mut run);
                    self.actual_text(chars);
                }
                for (gl, (cid, declared)) in glyphs[i..end].iter().zip(codes) {
                    if gl.dx != 0.0 || gl.dy != 0.0 {
                        self.show_run(&mut run);
                        self.text_matrix(pen + gl.dx * size, y - gl.dy * size);
                        self.c.string(&cid.to_be_bytes()).op("Tj");
                        pen += gl.advance * size;
                        self.text_matrix(pen, y);
                    } else {
                        run.push((cid, declared - gl.advance * 1000.0));
                        pen += gl.advance * size;
                    }
                }
                if !plain {
                    self.show_run(&mut run);
                    self.c.op("EMC");
                }
                i = end;
            }
            self.show_run(&mut run);
        }
        self.c.op("ET");
    }

    fn actual_text(&mut self, text: &str) {
        let bdc = with_pdf_writer(|c| {
            c.begin_marked_content_with_properties(Name(b"Span"))
                .properties()
                .actual_text(TextStr(text_limit(text)));
        });
        self.c.raw(&bdc);
    }

    fn show_run(&mut self, run: &mut Vec<(u16, f32)>) {
        if run.is_empty() {
            return;
        }
        self.c.raw(b"[");
        for (cid, adjust) in run.drain(..) {
            self.c.string(&cid.to_be_bytes());
            if adjust.abs() > 0.01 {
                self.c.num(adjust);
            }
        }
        self.c.raw(b"]").op("TJ");
    }
}
