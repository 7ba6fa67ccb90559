//! Right-to-left text (Hebrew, Arabic): each wrapped line is put in visual
//! order with the Unicode bidirectional algorithm (`unicode-bidi`); the
//! backend then shapes each right-to-left run right to left.

use std::borrow::Cow;

use unicode_bidi::BidiInfo;

use super::{Layout, Piece};

/// Whether `c` may change a line's order: a character of a right-to-left
/// script (the blocks whose characters are all, or by default, right to
/// left or Arabic letters or digits), a directional mark, embedding or
/// isolate, or a paragraph separator. A line without any (nearly all, though
/// many have a dash or a ≥) is one left-to-right run: it skips the algorithm.
fn may_reorder(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}'
        | '\u{FB1D}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{10800}'..='\u{10FFF}'
        | '\u{1E800}'..='\u{1EFFF}'
        | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\n' | '\r' | '\u{1C}'..='\u{1E}' | '\u{85}' | '\u{2029}')
}

/// Whether any run of a line has a character that [`may_reorder`] it.
/// Printable ASCII cannot: most lines are decided by a byte scan.
pub(super) fn needs_reordering(runs: &[Piece]) -> bool {
    let maybe = |text: &str| text.bytes().any(|b| !(0x20..0x80).contains(&b));
    runs.iter().any(|p| maybe(&p.text) && p.text.chars().any(may_reorder))
}

/// The runs of one line that [`needs_reordering`] in the order they are
/// drawn, left to right, each with whether it reads right to left (the
/// caller draws any other line's runs as they are).
pub(super) fn visual_order<'t>(runs: Vec<Piece<'t>>, l: &Layout, size: f32) -> Vec<(Piece<'t>, bool)> {
    let text: String = runs.iter().map(|p| p.text.as_ref()).collect();
    let mut starts = Vec::with_capacity(runs.len());
    let mut at = 0;
    for p in &runs {
        starts.push(at);
        at += p.text.len();
    }
    let info = BidiInfo::new(&text, None);
    let mut out = Vec::new();
    for para in &info.paragraphs {
        let (levels, visual) = info.visual_runs(para, para.range.clone());
        for range in visual {
            let rtl = levels[range.start].is_rtl();
            let mut pieces: Vec<Piece> = runs
                .iter()
                .zip(&starts)
                .filter_map(|(p, &s)| {
                    let (from, to) = (range.start.max(s), range.end.min(s + p.text.len()));
                    (from < to).then(|| {
                        let part = &text[from..to];
                        let width = if part.len() == p.text.len() {
                            p.width
                        } else {
                            l.styled_width(p.style, part, size)
                        };
                        Piece { text: Cow::Owned(part.to_string()), width, ..p.clone() }
                    })
                })
                .collect();
            if rtl {
                pieces.reverse();
            }
            out.extend(pieces.into_iter().map(|p| (p, rtl)));
        }
    }
    out
}
