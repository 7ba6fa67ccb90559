//! One page's content stream: the layout's drawing commands as PDF
//! operators, in the layout's coordinates (points from the top left: the
//! page is flipped once at the start), with the colour and line state
//! tracked so each is set only when it changes.

use pdf_writer::types::{ArtifactSubtype, ArtifactType};
use pdf_writer::{Content, Name, Str, TextStr};
use rustybuzz::ttf_parser::GlyphId;

use super::file::Out;
use super::fonts::Fonts;
use super::subset::{resource_name, Used};
use super::text_limit;
use crate::report::pdf::layout::{Draw, Face, Rgb};

pub(super) struct Painter {
    c: Content,
    fill: Option<Rgb>,
    stroke: Option<Rgb>,
    width: f32,
    dash: Option<[f32; 2]>,
    codes: Vec<u8>,
}

/// What drawing text needs besides the page: the fonts and the glyphs the
/// document has used.
pub(super) struct Glyphs<'a, 'w> {
    pub out: &'a mut Out<'w>,
    pub fonts: &'a Fonts,
    pub used: &'a mut Used,
}

impl Painter {
    pub fn new(height: f32) -> Painter {
        let mut c = Content::new();
        c.transform([1.0, 0.0, 0.0, -1.0, 0.0, height]);
        Painter { c, fill: None, stroke: None, width: 1.0, dash: None, codes: Vec::new() }
    }

    pub fn finish(self) -> Vec<u8> {
        self.c.finish().into_vec()
    }

    /// Content belonging to structure element content `mcid`.
    pub fn begin_tagged(&mut self, tag: &[u8], mcid: i32) {
        self.c.begin_marked_content_with_properties(Name(tag)).properties().identify(mcid);
    }

    pub fn begin_artifact(&mut self, kind: ArtifactType, subtype: Option<ArtifactSubtype>) {
        let mut mc = self.c.begin_marked_content_with_properties(Name(b"Artifact"));
        let mut a = mc.properties().artifact();
        a.kind(kind);
        if let Some(s) = subtype {
            a.subtype(s);
        }
    }

    pub fn end_marked(&mut self) {
        self.c.end_marked_content();
    }

    fn set_fill(&mut self, c: Option<Rgb>) {
        if let Some(c) = c.filter(|c| self.fill != Some(*c)) {
            self.c.set_fill_rgb(c[0], c[1], c[2]);
            self.fill = Some(c);
        }
    }

    fn set_stroke(&mut self, c: Rgb, width: f32, dash: Option<[f32; 2]>) {
        if self.stroke != Some(c) {
            self.c.set_stroke_rgb(c[0], c[1], c[2]);
            self.stroke = Some(c);
        }
        if self.width != width {
            self.c.set_line_width(width);
            self.width = width;
        }
        if self.dash != dash {
            match dash {
                Some(d) => self.c.set_dash_pattern(d, 0.0),
                None => self.c.set_dash_pattern([], 0.0),
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
                    self.c.save_state();
                    self.c.transform([0.0, -1.0, 1.0, 0.0, *x, *y]);
                    self.text(g, 0.0, 0.0, *face, *size, text, *rtl);
                    self.c.restore_state();
                } else {
                    self.text(g, *x, *y, *face, *size, text, *rtl);
                }
            }
            Draw::Rect { x, y, w, h, fill, stroke } => {
                self.set_fill(*fill);
                if let Some((c, width)) = stroke {
                    self.set_stroke(*c, *width, None);
                }
                self.c.rect(*x, *y, w.max(0.01), h.max(0.01));
                match (fill.is_some(), stroke.is_some()) {
                    (true, true) => self.c.fill_nonzero_and_stroke(),
                    (true, false) => self.c.fill_nonzero(),
                    (false, true) => self.c.stroke(),
                    (false, false) => self.c.end_path(),
                };
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
            if i == 0 {
                self.c.move_to(*x, *y);
            } else {
                self.c.line_to(*x, *y);
            }
        }
        self.c.stroke();
    }

    /// A run of text with its baseline starting at (x, y). Simple text is
    /// one glyph per character at the widths the font declares; shaped text
    /// (right to left, joined, marks) is placed glyph by glyph; text a glyph
    /// cannot carry in the font's map (a cluster of several glyphs, a glyph
    /// standing for other characters elsewhere) is given as /ActualText.
    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, g: &mut Glyphs, x: f32, y: f32, face: Face, size: f32, text: &str, rtl: bool) {
        let used = g.used.face(g.out, g.fonts, face);
        self.c.begin_text();
        self.c.set_font(resource_name(face), size);
        self.c.set_text_matrix([1.0, 0.0, 0.0, -1.0, x, y]);
        if Fonts::is_simple(text, rtl) {
            self.codes.clear();
            let mut plain = true;
            for ch in text.chars() {
                let (gid, advance) = g.fonts.glyph(face, ch).unwrap_or((0, 600.0));
                let (cid, same) = used.cid(gid, advance, ch.encode_utf8(&mut [0; 4]));
                plain &= same;
                self.codes.extend(cid.to_be_bytes());
            }
            if !plain {
                self.actual_text(text);
            }
            self.c.show(Str(&self.codes));
            if !plain {
                self.c.end_marked_content();
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
                        self.c.set_text_matrix([1.0, 0.0, 0.0, -1.0, pen + gl.dx * size, y - gl.dy * size]);
                        self.c.show(Str(&cid.to_be_bytes()));
                        pen += gl.advance * size;
                        self.c.set_text_matrix([1.0, 0.0, 0.0, -1.0, pen, y]);
                    } else {
                        run.push((cid, declared - gl.advance * 1000.0));
                        pen += gl.advance * size;
                    }
                }
                if !plain {
                    self.show_run(&mut run);
                    self.c.end_marked_content();
                }
                i = end;
            }
            self.show_run(&mut run);
        }
        self.c.end_text();
    }

    fn actual_text(&mut self, text: &str) {
        self.c
            .begin_marked_content_with_properties(Name(b"Span"))
            .properties()
            .actual_text(TextStr(text_limit(text)));
    }

    fn show_run(&mut self, run: &mut Vec<(u16, f32)>) {
        if run.is_empty() {
            return;
        }
        let mut shown = self.c.show_positioned();
        let mut items = shown.items();
        for (cid, adjust) in run.drain(..) {
            items.show(Str(&cid.to_be_bytes()));
            if adjust.abs() > 0.01 {
                items.adjust(adjust);
            }
        }
    }
}
