//! `suspicious-text`: characters that make text display as something else.
//! An id with a bidi control or an invisible character can look exactly like
//! another id; a bidi override, or an isolate left open, reverses what
//! follows it on the line. Ids are read from the model; other text is read
//! line by line from the project's files, so every field (and comment) is
//! covered without listing the fields.

use super::{finding, Context, Finding};
use crate::rules::SUSPICIOUS_TEXT;
use crate::span::{FileId, Span};
use crate::words::is_invisible;

/// Bidi embeddings, overrides and isolates: never part of an id.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Every character [`is_bidi_control`] accepts.
const BIDI_CONTROLS: [char; 9] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

fn is_override(c: char) -> bool {
    matches!(c, '\u{202D}' | '\u{202E}')
}

/// `U+202E` for a character a reader cannot see.
fn code(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// The id with every hidden character written as `<U+XXXX>`, so the message
/// itself cannot be reordered or look clean.
pub fn shown(text: &str) -> String {
    text.chars()
        .map(|c| if is_bidi_control(c) || is_invisible(c) { format!("<{}>", code(c)) } else { c.to_string() })
        .collect()
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let p = cx.project;
    let mut items: Vec<(&str, Span)> = Vec::new();
    items.extend(p.hazards.iter().map(|h| (h.id.as_str(), h.id_span)));
    items.extend(p.controls.iter().map(|c| (c.id.as_str(), c.id_span)));
    items.extend(p.metrics.iter().map(|m| (m.id.as_str(), m.id_span)));
    items.extend(p.actions.iter().map(|a| (a.id.as_str(), a.id_span)));
    if let Some(d) = &p.dpia {
        items.extend(d.risks.iter().map(|r| (r.id.as_str(), r.id_span)));
    }
    let mut id_spans = Vec::new();
    for &(id, span) in &items {
        if let Some(c) = id.chars().find(|&c| is_bidi_control(c) || is_invisible(c)) {
            let what = if is_invisible(c) { "an invisible character" } else { "a bidi control character" };
            out.push(finding(
                &SUSPICIOUS_TEXT,
                id,
                format!("the id `{}` holds {what} ({}): it could look like another id", shown(id), code(c)),
                span,
            ));
            id_spans.push(span);
        }
    }
    items.sort_by_key(|(_, s)| (s.file, s.offset));
    let subject_at = |file: FileId, offset: u32| -> String {
        let i = items.partition_point(|(_, s)| (s.file, s.offset) <= (file, offset));
        match i.checked_sub(1).map(|i| items[i]) {
            Some((id, s)) if s.file == file => id.to_string(),
            _ => "document".to_string(),
        }
    };
    let in_id = |file: FileId, offset: u32| {
        id_spans.iter().any(|s| s.file == file && (s.offset..s.offset + s.len.max(1)).contains(&offset))
    };
    // Most files hold none: a quick search of each (on all cores; fourteen searches of
    // every file were ~3% of `check` at 10,000 hazards) instead of decoding every line.
    let sources: Vec<_> = p.sources.iter().collect();
    let mut flagged = vec![false; sources.len()];
    crate::parallel::in_order(
        &sources,
        usize::MAX,
        64 * 1024,
        |_, s| may_hold_suspicious_text(&s.text),
        |n, f| flagged[n] = f,
    );
    for (n, source) in sources.into_iter().enumerate().filter(|&(n, _)| flagged[n]) {
        let file = FileId(n as u32);
        let mut line_start = 0usize;
        for (line_no, line) in source.text.split_inclusive('\n').enumerate() {
            if let Some((col, offset, message)) =
                reversing(line, line_start).or_else(|| binary(line, line_start))
            {
                let offset = offset as u32;
                if !in_id(file, offset) {
                    let span = Span { file, line: line_no as u32 + 1, column: col, offset, len: 1 };
                    out.push(finding(&SUSPICIOUS_TEXT, &subject_at(file, offset), message, span));
                }
            }
            line_start += line.len();
        }
    }
}

/// Whether `text` holds anything the line-by-line reading could report: a bidi
/// control, its escape, or the binary tag.
fn may_hold_suspicious_text(text: &str) -> bool {
    BIDI_CONTROLS.iter().any(|&c| text.contains(c))
        || ESCAPE_PREFIXES.iter().any(|&e| text.contains(e))
        || text.contains(BINARY_TAG)
}

/// YAML's tag for base64 data, which the loader decodes into text.
const BINARY_TAG: &str = "!!binary";

/// A value tagged `!!binary` (outside a comment): the documents show it decoded,
/// so the file, and any review of a change to it, shows other text than they do.
fn binary(line: &str, line_start: usize) -> Option<(u32, usize, String)> {
    let at = line.find(BINARY_TAG).filter(|&at| !line[..at].contains('#'))?;
    let col = line[..at].chars().count() as u32 + 1;
    let message = "a value tagged `!!binary` is shown decoded in the reports, so what this file (and a review \
                   of a change to it) shows is not what the documents say: write the text itself, without the tag"
        .to_string();
    Some((col, line_start + at, message))
}

/// How a YAML double-quoted string spells a bidi control as an escape
/// (`"\u202E"`): the file holds no such character, the loaded text does.
const ESCAPE_PREFIXES: [&str; 4] = ["\\u202", "\\u206", "\\U0000202", "\\U0000206"];

/// The line's characters with a `\uXXXX` / `\UXXXXXXXX` escape read as the
/// character it stands for (at the backslash's place); an escaped backslash
/// (`\\u202E`) is text.
fn decoded(line: &str) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push((i, c));
            continue;
        }
        let width = match line[i + 1..].chars().next() {
            Some('u') => 4,
            Some('U') => 8,
            _ => {
                // `\\` and any other escape: keep both characters as text.
                out.push((i, c));
                if let Some(next) = chars.next() {
                    out.push(next);
                }
                continue;
            }
        };
        let hex = line.get(i + 2..i + 2 + width);
        match hex.and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32) {
            Some(escaped) => {
                out.push((i, escaped));
                for _ in 0..width + 1 {
                    chars.next();
                }
            }
            None => out.push((i, c)),
        }
    }
    out
}

/// The first override, or the first isolate left open at the end of the
/// line: (column, byte offset in the file, message).
fn reversing(line: &str, line_start: usize) -> Option<(u32, usize, String)> {
    let chars = decoded(line);
    if !chars.iter().any(|&(_, c)| is_bidi_control(c)) {
        return None;
    }
    let mut open: Vec<(u32, usize, char)> = Vec::new();
    for (col, (i, c)) in chars.into_iter().enumerate() {
        let col = col as u32 + 1;
        if is_override(c) {
            let msg =
                format!("the text holds a bidi override ({}): it displays what follows it reversed", code(c));
            return Some((col, line_start + i, msg));
        }
        match c {
            '\u{2066}'..='\u{2068}' => open.push((col, line_start + i, c)),
            '\u{2069}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.first().map(|&(col, offset, c)| {
        let msg = format!(
            "the text opens a bidi isolate ({}) and never closes it (U+2069): what follows may display reordered",
            code(c)
        );
        (col, offset, msg)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_or_an_open_isolate_is_reported_at_its_column() {
        assert_eq!(reversing("title: a\u{202E}b\n", 10).map(|r| (r.0, r.1)), Some((9, 18)));
        assert_eq!(reversing("x \u{2067}y\n", 0).map(|r| r.0), Some(3));
        assert!(reversing("x \u{2067}y\u{2069} z\n", 0).is_none());
        assert!(reversing("plain עברית text\n", 0).is_none());
    }

    #[test]
    fn a_binary_tag_is_found_outside_comments() {
        assert_eq!(binary("    title: !!binary RG9zZQ==\n", 100).map(|r| (r.0, r.1)), Some((12, 111)));
        assert!(binary("    title: plain # not !!binary\n", 0).is_none());
    }

    #[test]
    fn an_escaped_override_counts_as_the_character() {
        assert_eq!(reversing("title: \"a\\u202Eb\"\n", 0).map(|r| (r.0, r.1)), Some((10, 9)));
        assert_eq!(reversing("t: \"\\U0000202dx\"\n", 0).map(|r| r.0), Some(5));
        assert_eq!(reversing("t: \"\\u2067y\"\n", 0).map(|r| r.0), Some(5));
        assert!(reversing("t: \"\\u2067y\\u2069\"\n", 0).is_none());
        assert!(reversing("t: \"\\\\u202E is text\"\n", 0).is_none(), "an escaped backslash");
        assert!(reversing("t: \"\\u20\"\n", 0).is_none());
    }

    #[test]
    fn the_quick_search_knows_every_bidi_control() {
        let all: Vec<char> = ('\u{2000}'..='\u{20FF}').filter(|&c| is_bidi_control(c)).collect();
        assert_eq!(all, BIDI_CONTROLS);
    }

    #[test]
    fn hidden_characters_are_spelt_out() {
        assert_eq!(shown("CTL\u{200B}-1"), "CTL<U+200B>-1");
    }
}
