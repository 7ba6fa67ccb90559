//! Input quoted back in a message is cut to a short prefix: a project file can
//! hold a 60 MB CSV header or a megabyte YAML scalar, and every message is
//! copied into stderr, JSON, SARIF, JUnit and the reports.

use std::borrow::Cow;

/// The most characters of one piece of input a message quotes.
pub const MAX_QUOTED: usize = 60;

/// The most characters of a whole message (a net under [`excerpt`]).
pub const MAX_MESSAGE: usize = 1_000;

/// What a control character is shown as, in a page or on a terminal (a YAML
/// `\a`, `\e` or `\x85` in a title): a C0 one or DEL as its control picture
/// (`␇`, `␛`), a C1 one as U+FFFD. HTML forbids them even as references, and
/// on a terminal `\e]0;…` or `\e[2J` would act. Tab, newline and return are
/// not shown so.
pub fn control_shown(c: char) -> Option<char> {
    match c {
        '\t' | '\n' | '\r' => None,
        '\0'..='\u{1F}' => char::from_u32(0x2400 + c as u32),
        '\u{7F}' => Some('\u{2421}'),
        '\u{80}'..='\u{9F}' => Some('\u{FFFD}'),
        _ => None,
    }
}

/// Text for a terminal: each control character as [`control_shown`] shows
/// it, a carriage return as `␍`; lines and tabs kept.
pub fn visible(text: &str) -> Cow<'_, str> {
    let shown = |c: char| if c == '\r' { Some('\u{240D}') } else { control_shown(c) };
    if !text.chars().any(|c| shown(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| shown(c).unwrap_or(c)).collect())
}

/// `text` itself when short; else its first characters and how much was left out.
pub fn excerpt(text: &str) -> Cow<'_, str> {
    cut(text, MAX_QUOTED)
}

fn cut(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((end, _)) => {
            let rest = text[end..].chars().count();
            Cow::Owned(format!("{}… ({rest} more characters)", &text[..end]))
        }
    }
}

/// A finished message with every `quoted` piece longer than twice
/// [`MAX_QUOTED`] cut (an [`excerpt`] with its tail stays as it is), and the
/// whole to [`MAX_MESSAGE`]: the one place that bounds what any message
/// repeats, whichever code wrote it.
pub fn bound_message(message: &str) -> Cow<'_, str> {
    let too_long = |q: &str| q.chars().nth(2 * MAX_QUOTED).is_some();
    let long_quote = message.split('`').skip(1).step_by(2).any(too_long);
    if !long_quote && message.chars().nth(MAX_MESSAGE).is_none() {
        return Cow::Borrowed(message);
    }
    let mut out = String::new();
    let parts: Vec<&str> = message.split('`').collect();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts lie between backticks (when closed).
        let quoted = i % 2 == 1 && i + 1 < parts.len();
        out.push_str(&if quoted && too_long(part) { excerpt(part) } else { Cow::Borrowed(*part) });
    }
    Cow::Owned(cut(&out, MAX_MESSAGE).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_input_is_quoted_whole_and_long_input_cut() {
        assert_eq!(excerpt("HAZ-1"), "HAZ-1");
        let long = "x".repeat(1_000_000);
        let cut = excerpt(&long);
        assert!(cut.starts_with(&"x".repeat(MAX_QUOTED)) && cut.ends_with("… (999940 more characters)"));
        let m = format!("`{long}` is not a date: expected YYYY-MM-DD");
        let b = bound_message(&m);
        assert!(b.len() < 200 && b.ends_with("` is not a date: expected YYYY-MM-DD"), "{b}");
        assert!(bound_message(&"y".repeat(5_000)).chars().count() < MAX_MESSAGE + 40);
        assert_eq!(bound_message("`a` and `b`"), "`a` and `b`");
        let once = format!("`{}` is wrong", excerpt(&long));
        assert_eq!(bound_message(&once), once, "an excerpt is not cut again");
    }
}
