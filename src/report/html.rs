//! The HTML writer: a template's fragment becomes a self-contained page
//! (inline CSS, inline SVG figures, no script, no network fetch).

/// Every page's policy: styles and data images only. Belt and braces: nothing
/// in the page should be executable, and if something slipped through, the
/// browser still refuses to run it. (`serve` widens it for its reload script
/// in the pages it serves; files written by `render` keep this one.)
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// Wraps `body` (a fragment whose figures are already filled, see
/// `figures::embed_svg`) in a complete page, the fragment as its `main`
/// landmark (so a custom template gets one too).
pub fn page(title: &str, body: &str, css: &str) -> String {
    let title = escape(title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"generator\" content=\"clinsafe {version}\">\n<title>{title}</title>\n<style>\n{palette}{css}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        version = env!("CARGO_PKG_VERSION"),
        csp = CONTENT_SECURITY_POLICY,
        palette = super::palette::css(),
    )
}

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
