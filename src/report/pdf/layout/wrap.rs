//! Line breaking: styled text → lines that fit a width.

use std::borrow::Cow;

use super::*;

impl Layout<'_> {
    /// Greedy line breaking over words; a word may be made of several styled
    /// fragments (`CTL-1</a>,`) and only breaks at spaces, `\n` forces a
    /// break, and a word wider than the line is split between characters.
    pub(super) fn wrap<'t>(&self, inlines: &'t [Inline], size: f32, width: f32) -> Vec<Line<'t>> {
        self.wrap_as(inlines, size, width, false)
    }

    /// `wrap`, with every piece bold when `bold` (header cells, headings):
    /// the style is set as pieces are made rather than on a copy of the text.
    pub(super) fn wrap_as<'t>(
        &self,
        inlines: &'t [Inline],
        size: f32,
        width: f32,
        bold: bool,
    ) -> Vec<Line<'t>> {
        let styled = |i: &Inline| Style { bold: i.style.bold || bold, ..i.style };
        // About as many pieces (words and spaces) as a full line holds: a line's
        // list grown from empty was reallocated several times.
        let per_line = ((width / size.max(1.0)) * 0.7).clamp(2.0, 64.0) as usize;
        let new_line = || Line { pieces: Vec::with_capacity(per_line), width: 0.0 };
        let mut lines = vec![new_line()];
        each_token(inlines, |token| {
            match token {
                Token::Break => lines.push(new_line()),
                Token::Space(inline) => {
                    let cur = lines.last_mut().expect("a line");
                    if !cur.pieces.is_empty() {
                        let style = styled(inline);
                        let w = self.styled_width(style, " ", size);
                        push_piece(cur, " ", style, inline, w);
                    }
                }
                Token::Word(word) => {
                    let frags = word.frags();
                    // A word in one style (nearly all) is measured once.
                    let one = match frags {
                        [(i, t)] => Some(self.styled_width(styled(i), t, size)),
                        _ => None,
                    };
                    let w = one.unwrap_or_else(|| {
                        frags.iter().map(|(i, t)| self.styled_width(styled(i), t, size)).sum()
                    });
                    let cur = lines.last_mut().expect("a line");
                    if cur.width + w > width && !cur.pieces.is_empty() {
                        trim_trailing_space(cur);
                        lines.push(new_line());
                    }
                    let cur = lines.last_mut().expect("a line");
                    if cur.width + w <= width {
                        for (i, t) in frags {
                            let style = styled(i);
                            let fw = one.unwrap_or_else(|| self.styled_width(style, t, size));
                            push_piece(cur, t, style, i, fw);
                        }
                        return;
                    }
                    // Longer than a whole line (a URL, a digest): split between
                    // characters, one piece per line (not per character, which
                    // cost ~500 bytes a character on long unbroken runs).
                    for (i, t) in frags {
                        let style = styled(i);
                        let (mut chunk_start, mut chunk_w) = (0, 0.0);
                        for (at, c) in t.char_indices() {
                            let cw = self.styled_width(style, c.encode_utf8(&mut [0; 4]), size);
                            let line = lines.last_mut().expect("a line");
                            if line.width + chunk_w + cw > width
                                && !(line.pieces.is_empty() && chunk_start == at)
                            {
                                if chunk_start < at {
                                    push_piece(line, &t[chunk_start..at], style, i, chunk_w);
                                    (chunk_start, chunk_w) = (at, 0.0);
                                }
                                lines.push(new_line());
                            }
                            chunk_w += cw;
                        }
                        if chunk_start < t.len() {
                            push_piece(
                                lines.last_mut().expect("a line"),
                                &t[chunk_start..],
                                style,
                                i,
                                chunk_w,
                            );
                        }
                    }
                }
            }
        });
        for l in &mut lines {
            trim_trailing_space(l);
        }
        if lines.len() > 1 && lines.last().is_some_and(|l| l.pieces.is_empty()) {
            lines.pop();
        }
        lines
    }

    /// Width of a fragment in `style`; badges get room for their box.
    pub(super) fn styled_width(&self, style: Style, text: &str, size: f32) -> f32 {
        let w = self.m.width(Face::of(&style), size, text);
        if style.badge.is_some() && !text.trim().is_empty() {
            w + 3.0
        } else {
            w
        }
    }
}

/// A word (possibly spanning styles), a space, or a forced line break.
/// Words are slices of the inlines' text: no copy per word.
pub(super) enum Token<'a> {
    Word(Word<'a>),
    Space(&'a Inline),
    Break,
}

/// A word's styled fragments: nearly always one, held without a list of its own.
pub(super) enum Word<'a> {
    One([(&'a Inline, &'a str); 1]),
    Many(Vec<(&'a Inline, &'a str)>),
}

impl<'a> Word<'a> {
    pub(super) fn frags(&self) -> &[(&'a Inline, &'a str)] {
        match self {
            Word::One(one) => one,
            Word::Many(many) => many,
        }
    }
}

/// Splits styled text into words (possibly spanning styles), spaces and breaks.
/// Ends the word being read, if any.
fn end_word<'a>(word: &mut Vec<(&'a Inline, &'a str)>, f: &mut impl FnMut(Token<'a>)) {
    match word.len() {
        0 => {}
        1 => f(Token::Word(Word::One([word.pop().expect("one")]))),
        _ => f(Token::Word(Word::Many(std::mem::take(word)))),
    }
}

/// Hands each token of `inlines` to `f` in order (as they are read: a list
/// of every token of a paragraph grew one push at a time).
pub(super) fn each_token<'a>(inlines: &'a [Inline], mut f: impl FnMut(Token<'a>)) {
    // The fragments of the word being read; its list is reused from word to word.
    let mut word: Vec<(&Inline, &str)> = Vec::new();
    for inline in inlines {
        let text = inline.text.as_str();
        let mut start = 0;
        for (at, c) in text.bytes().enumerate().filter(|(_, b)| matches!(b, b' ' | b'\n')) {
            if start < at {
                word.push((inline, &text[start..at]));
            }
            end_word(&mut word, &mut f);
            f(if c == b' ' { Token::Space(inline) } else { Token::Break });
            start = at + 1;
        }
        if start < text.len() {
            word.push((inline, &text[start..]));
        }
    }
    end_word(&mut word, &mut f);
}

/// Words and spaces stay separate pieces so trailing spaces can be dropped
/// exactly; `line_draws` joins neighbours of one style into one text run.
pub(super) fn push_piece<'t>(
    line: &mut Line<'t>,
    text: &'t str,
    style: Style,
    inline: &'t Inline,
    width: f32,
) {
    line.pieces.push(Piece { text: Cow::Borrowed(text), style, link: inline.link.as_deref(), width });
    line.width += width;
}

pub(super) fn trim_trailing_space(line: &mut Line) {
    while line.pieces.last().is_some_and(|p| p.text == " ") {
        let p = line.pieces.pop().expect("checked");
        line.width -= p.width;
    }
}
