//! The HTML writer: a template's fragment becomes a self-contained page
//! (inline CSS, inline SVG figures, no script, no network fetch).

use super::context::ReportContext;
use super::figures;

/// Wraps `body` in a complete page and fills its figure placeholders.
pub fn page(title: &str, body: &str, css: &str, cx: &ReportContext) -> String {
    let body = expand_figures(body, cx);
    let title = escape(title);
    // The CSP is belt and braces: nothing in the page should be executable,
    // and if something slipped through, the browser still refuses to run it.
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"clinsafe {version}\">\n<title>{title}</title>\n<style>\n{palette}{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        version = env!("CARGO_PKG_VERSION"),
        palette = super::palette::css(),
    )
}

/// Inserts the SVG for each `<figure ... data-figure="NAME">` right after its
/// opening tag. Unknown names are left empty (the caption still shows).
fn expand_figures(body: &str, cx: &ReportContext) -> String {
    const MARK: &str = "data-figure=\"";
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find(MARK) {
        let name_start = i + MARK.len();
        let Some(name_len) = rest[name_start..].find('"') else { break };
        let name = &rest[name_start..name_start + name_len];
        let Some(tag_end) = rest[name_start..].find('>').map(|j| name_start + j + 1) else { break };
        out.push_str(&rest[..tag_end]);
        if let Some(figure) = figures::find(name, cx) {
            out.push_str(&figures::svg(&figure));
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    out
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
