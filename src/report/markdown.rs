//! Markdown fields (md) → safe HTML. pulldown-cmark has no safe mode: raw HTML
//! and `javascript:` links go through verbatim by default, so events are
//! filtered here before they become HTML. No sanitiser crate is needed
//! because nothing unsafe is ever produced.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// Link schemes a report may carry; everything else becomes `#`.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "#"].iter().any(|p| lower.starts_with(p))
        || (!lower.contains(':') && !lower.starts_with("//"))
}

/// Renders Markdown to HTML in which user text can never become markup:
/// raw HTML is shown as text, links are limited to safe schemes, images
/// (which would fetch from the network) become their alt text and address, and
/// headings are placed under the report's own (see [`Outline`]). For a field
/// under an h3; [`to_html_under`] names the level.
#[cfg(test)]
pub fn to_html(md: &str) -> String {
    to_html_under(md, 3)
}

/// [`to_html`] for a field under a heading of `level` (2 for one directly
/// under a section's h2).
pub fn to_html_under(md: &str, level: u8) -> String {
    let mut outline = Outline::under(level);
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    // Open images: each one's address, and whether its alt text has begun.
    let mut images: Vec<(CowStr<'_>, bool)> = Vec::new();
    let events = Parser::new_ext(md, opts).filter_map(|ev| {
        if let (Some(open), Event::Text(_) | Event::Code(_)) = (images.last_mut(), &ev) {
            open.1 = true;
        }
        Some(match ev {
            // Text isolated like every template value, so a bidi override in a
            // description cannot reorder the rest of its paragraph.
            Event::Html(s) | Event::InlineHtml(s) | Event::Text(s) => Event::Text(isolated(s)),
            Event::Code(s) => Event::Code(isolated(s)),
            // A raw HTML block becomes a paragraph of text, not bare text.
            Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = if safe_url(&dest_url) { dest_url } else { CowStr::Borrowed("#") };
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            // A task list's box as a character, not a form control: a report
            // has no form, and an unlabelled checkbox is an accessibility
            // failure (axe-core: "Form elements must have labels").
            Event::TaskListMarker(done) => Event::Text(if done { "☑ " } else { "☐ " }.into()),
            // An image would fetch from the network: its alt text (what the
            // picture shows, the author's words) stays as text, its address after it.
            Event::Start(Tag::Image { dest_url, .. }) => {
                images.push((dest_url, false));
                return None;
            }
            Event::End(TagEnd::Image) => {
                let (url, alt) = images.pop().unwrap_or((CowStr::Borrowed(""), false));
                Event::Text(format!("{}[image: {url}]", if alt { " " } else { "" }).into())
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                Event::Start(Tag::Heading { level: outline.open(level), id, classes, attrs })
            }
            Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Heading(outline.current())),
            e => e,
        })
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    super::html::without_controls(html)
}

fn isolated(s: CowStr<'_>) -> CowStr<'_> {
    match super::html::isolate(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(o) => o.into(),
    }
}

/// A field's headings in the page's outline: the first one level below the
/// heading the field sits under, each deeper one at most one level deeper
/// than the heading it follows (`#` then `######` is h4 then h5, never a
/// skipped level, which checkers and screen readers flag), none above the
/// report's own; h6 at most.
struct Outline {
    base: u8,
    /// The field's own levels (1–6) of the headings open around this point.
    open: Vec<u8>,
}

impl Outline {
    fn under(level: u8) -> Self {
        Outline { base: level.clamp(1, 5), open: Vec::new() }
    }

    fn open(&mut self, level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
        let level = level as u8;
        while self.open.last().is_some_and(|&l| l >= level) {
            self.open.pop();
        }
        self.open.push(level);
        self.current()
    }

    fn current(&self) -> pulldown_cmark::HeadingLevel {
        let depth = u8::try_from(self.open.len()).unwrap_or(u8::MAX).max(1);
        pulldown_cmark::HeadingLevel::try_from(usize::from(self.base.saturating_add(depth).min(6)))
            .unwrap_or(pulldown_cmark::HeadingLevel::H6)
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn bidi_text_is_isolated() {
        let html = to_html("Dose \u{202E}01 gm and `x \u{2067}y`\n\nplain");
        assert!(html.contains("\u{2068}Dose \u{202E}01 gm and \u{2069}"), "{html}");
        assert!(html.contains("<code>\u{2068}x \u{2067}y\u{2069}\u{2069}</code>"), "{html}");
        assert!(html.contains("<p>plain</p>"), "{html}");
    }

    #[test]
    fn raw_html_is_text() {
        let html = to_html("Hello <script>alert(1)</script> <b onclick=x>b</b>\n\n<div>block</div>");
        assert!(!html.contains("<script") && !html.contains("<b ") && !html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<p>&lt;div&gt;block&lt;/div&gt;</p>"), "{html}");
    }

    #[test]
    fn unsafe_links_are_neutralised() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html;base64,xx",
            "vbscript:x",
            "//evil.example",
        ] {
            let html = to_html(&format!("[x]({bad})"));
            assert!(html.contains("href=\"#\""), "{bad}: {html}");
        }
        assert!(to_html("[nhs](https://www.nhs.uk)").contains("href=\"https://www.nhs.uk\""));
        assert!(to_html("[sop](docs/sop.pdf)").contains("href=\"docs/sop.pdf\""));
    }

    #[test]
    fn images_do_not_fetch() {
        let html = to_html("![alt text](https://tracker.example/p.gif)");
        assert!(!html.contains("<img"), "{html}");
        // The alt text is the author's description of the picture: kept.
        assert!(html.contains("alt text [image: https://tracker.example/p.gif]"), "{html}");
        assert!(to_html("![](x.png)").contains("<p>[image: x.png]</p>"));
    }

    #[test]
    fn task_boxes_are_characters_not_form_controls() {
        let html = to_html("- [ ] open\n- [x] done");
        assert!(!html.contains("<input"), "{html}");
        assert!(html.contains("☐ open") && html.contains("☑ done"), "{html}");
    }

    #[test]
    fn markdown_still_works() {
        let html = to_html("**bold** and *it*\n\n- one\n- two\n\n# Big");
        assert!(
            html.contains("<strong>bold</strong>")
                && html.contains("<em>it</em>")
                && html.contains("<li>one</li>")
        );
        assert!(html.contains("<h4>Big</h4>"), "{html}");
    }

    /// Checkers (the Nu Html Checker, axe-core) flag a heading that skips a
    /// level: a field's headings nest under the report's, one level at a time.
    #[test]
    fn headings_never_skip_a_level_below_the_one_they_sit_under() {
        let levels = |md: &str, under: u8| -> Vec<String> {
            let html = super::to_html_under(md, under);
            html.match_indices("<h").map(|(i, _)| html[i + 1..i + 3].to_string()).collect()
        };
        assert_eq!(
            levels("# a\n## b\n### c\n#### d\n##### e\n###### f", 3),
            ["h4", "h5", "h6", "h6", "h6", "h6"]
        );
        assert_eq!(levels("###### deep first\n\n# then top", 2), ["h3", "h3"]);
        assert_eq!(levels("# a\n\n###### b\n\n## c\n\n### d", 2), ["h3", "h4", "h4", "h5"]);
        assert_eq!(levels("##### only", 3), ["h4"]);
        assert!(super::to_html_under("## x", 2).contains("<h3>x</h3>"));
    }
}
