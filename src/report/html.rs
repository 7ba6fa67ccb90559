//! The HTML writer: a template's fragment becomes a self-contained page
//! (inline CSS, inline SVG figures, no script, no network fetch).

use std::borrow::Cow;

/// Every page's policy: styles and data images only. Belt and braces: nothing
/// in the page should be executable, and if something slipped through, the
/// browser still refuses to run it. (`serve` widens it for its reload script
/// in the pages it serves; files written by `render` keep this one.)
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// A page's start, up to where the fragment goes, which becomes the page's
/// `main` landmark (so a custom template gets one too); [`TAIL`] ends it.
/// The writer renders the template straight after this, so a hazard log of
/// tens of megabytes is not copied into its page.
pub fn head(title: &str, css: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"generator\" content=\"clinsafe {version}\">\n<title>{title}</title>\n<style>\n{palette}{css}</style>\n</head>\n<body>\n<main>\n",
        title = escape(title),
        version = env!("CARGO_PKG_VERSION"),
        csp = CONTENT_SECURITY_POLICY,
        palette = super::palette::css(),
    )
}

/// What ends every page, after the fragment.
pub const TAIL: &str = "\n</main>\n</body>\n</html>\n";

/// Escapes text for HTML element content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `html` with each control character as [`crate::excerpt::control_shown`] shows it.
pub fn without_controls(html: String) -> String {
    use crate::excerpt::control_shown;
    if !html.chars().any(|c| control_shown(c).is_some()) {
        return html;
    }
    html.chars().map(|c| control_shown(c).unwrap_or(c)).collect()
}

/// User text that holds right-to-left letters or bidi controls, isolated
/// (FSI … PDI, the in-band form of `<bdi>`, which works inside attributes
/// too) with any isolate it left open closed, so it cannot reorder what
/// surrounds it; other text as it is. Template values (the escaper) and
/// Markdown text (the `markdown` filter) both go through here.
pub fn isolate(text: &str) -> Cow<'_, str> {
    let bidi = |c: char| {
        matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
            || matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}' | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
    };
    // Every such letter or control is U+0590 or above, so its UTF-8 starts with a byte of 0xD6
    // or more: text without one (most text) needs no closer look. (A fold, not `any`, so the
    // compiler can compare many bytes at once.)
    if text.bytes().fold(0, u8::max) < 0xD6 || !text.chars().any(bidi) {
        return Cow::Borrowed(text);
    }
    let open = text.chars().fold(0usize, |n, c| match c {
        '\u{2066}'..='\u{2068}' => n + 1,
        '\u{2069}' => n.saturating_sub(1),
        _ => n,
    });
    Cow::Owned(format!("\u{2068}{text}{}", "\u{2069}".repeat(open + 1)))
}
