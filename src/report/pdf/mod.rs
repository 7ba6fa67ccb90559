//! The PDF writer: reads the same document fragment as the HTML writer
//! (`parse`), typesets it (`layout`), draws figures from the shared figure
//! model (`figures`) and writes tagged PDF through the sink as it goes (`backend`).

pub mod backend;
mod figures;
pub mod layout;
pub mod parse;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use backend::{Attachment, Fonts, Meta, Writer};
use layout::{Draw, Face, Geometry, Layout, Metrics};
use parse::{Block, Inline};

use super::context::{DocumentView, ReportContext};

/// Pages laid out and not yet written, at most: enough to keep both
/// threads busy, few enough to hold (a page is ~50 kB of drawing commands).
const PAGES_IN_FLIGHT: usize = 8;

/// A written PDF and anything the reader should know about it.
pub struct PdfOutput {
    pub pages: usize,
    pub warnings: Vec<String>,
}

const MUTED: [f32; 3] = crate::report::palette::MUTED.rgb();
const RED: [f32; 3] = crate::report::palette::ALERT.rgb();

/// Makes the PDF of `fragment` and writes it to `file` through `sink`, each
/// page as soon as it is laid out.
#[allow(clippy::too_many_arguments)]
pub fn render(
    fragment: String,
    title: &str,
    file: &str,
    cx: &ReportContext,
    doc: &DocumentView,
    fonts: &Fonts,
    attachments: &[Attachment],
    sink: &dyn super::Sink,
) -> Result<PdfOutput, String> {
    let mut missing = BTreeSet::new();
    let g = Geometry::A4;
    // A monitoring pack places a chart per metric: looked up, not searched for.
    let finder = super::figures::Finder::new(cx);
    let figure = |name: &str, x: f32, y: f32, width: f32| {
        finder.find(name).map(|f| {
            let (draws, h) = figures::draw(&f, fonts, x, y, width);
            (draws, h, super::figures::in_words(&f))
        })
    };
    let system = match &cx.system.version {
        Some(v) => format!("{} {v}", cx.system.name),
        None => cx.system.name.clone(),
    };
    // Fitted to their line once, not on every page.
    let header = fit(
        &visible(
            &format!("{system} · {} version {} · {}", doc.id, doc.version, doc.status),
            fonts,
            &mut missing,
        ),
        fonts,
        7.5,
        g.content_width() - 70.0,
    );
    let footer = fit(
        &visible(
            &format!("{title} · clinsafe {} · as of {}", cx.meta.clinsafe_version, cx.meta.as_of),
            fonts,
            &mut missing,
        ),
        fonts,
        7.5,
        g.content_width() - 80.0,
    );
    // The document properties a viewer shows (its window title) and `pdfinfo` prints: control
    // characters shown as the page shows them, never sent raw.
    let shown = |text: String| crate::excerpt::visible(&text).into_owned();
    let meta = Meta {
        title: &shown(format!("{title} — {} ({} version {})", cx.system.name, doc.id, doc.version)),
        author: &shown(cx.cso.as_ref().map_or(String::new(), |c| c.name.clone())),
        subject: &shown(format!(
            "{} version {} ({}) for {}",
            doc.id, doc.version, doc.status, cx.system.name
        )),
        keywords: if doc.clinical {
            vec!["DCB0160".into(), "clinical safety".into(), shown(doc.id.clone())]
        } else {
            vec!["DPIA".into(), "UK GDPR Article 35".into(), shown(doc.id.clone())]
        },
        id_seed: {
            use sha2::Digest;
            let content: String =
                sha2::Sha256::digest(fragment.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
            format!("{}/{file}/{}/{content}", cx.meta.digest, cx.meta.as_of)
        },
        as_of: {
            use chrono::Datelike;
            let d = cx.meta.as_of.0;
            (d.year().clamp(0, 9999) as u16, d.month() as u8, d.day() as u8)
        },
    };
    // One pass: each page goes to the file as soon as it is full; what
    // depends on the whole document (the page count, where each link's
    // target landed) is written at the end.
    let ids = anchor_ids(&fragment);
    let targets: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let (mut out, shown) = sink.create(file)?;
    // The layout on this thread, the pages' writing (content, tags, deflate)
    // on another, a few pages apart: a long document uses two cores.
    let mut w = std::io::BufWriter::with_capacity(256 * 1024, &mut out);
    let total = std::thread::scope(|scope| -> Result<usize, String> {
        let (pages, laid_out) = std::sync::mpsc::sync_channel::<layout::Page>(PAGES_IN_FLIGHT);
        let (w, targets, meta) = (&mut w, &targets, &meta);
        let writing = scope.spawn(move || {
            let mut writer = Writer::new(w, fonts, (g.width, g.height), targets, meta, attachments)?;
            let running = [false, true].map(|first| running(first, &header, &footer, doc.is_draft, fonts, g));
            for (n, page) in laid_out.into_iter().enumerate() {
                writer.page(&page, &running[usize::from(n == 0)])?;
            }
            Ok::<_, String>(writer)
        });
        let mut unreadable = None;
        let (mut anchors, outline) = {
            // Once the writer has stopped (it failed), no more pages are made.
            let stopped = std::cell::Cell::new(false);
            let mut send_page = |page: layout::Page| {
                if pages.send(page).is_err() {
                    stopped.set(true);
                }
            };
            let mut layout = Layout::new(fonts, g, &figure, &mut send_page);
            let blocks = drawable_blocks(&fragment, fonts, &mut missing, &mut unreadable);
            layout.stream(blocks.take_while(|_| !stopped.get()));
            layout.finish();
            (std::mem::take(&mut layout.anchors), std::mem::take(&mut layout.outline))
        };
        drop(pages);
        let writer = writing.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        // A fragment that cannot be read (a broken template) is the error to
        // report: the pages after it were never made.
        if let Some(e) = unreadable {
            return Err(e);
        }
        let writer = writer.map_err(|e| format!("{shown}: {e}"))?;
        drop(fragment);
        place_the_unplaced(&ids, &mut anchors);
        let page_number = |n: usize, total: usize| page_number(n, total, fonts, g);
        writer.finish(&outline, &anchors, &page_number).map_err(|e| format!("{shown}: {e}"))
    })?;
    drop(w);
    sink.done(file, out)?;
    let mut warnings = Vec::new();
    if !missing.is_empty() {
        warnings.push(format!("{file}: the PDF font has no glyph for {}; shown as �", glyph_list(&missing)));
    }
    Ok(PdfOutput { pages: total, warnings })
}

/// The ids of the fragment's elements (`id="…"`, as the reader reads it), in
/// document order, found before the layout places them so a link to one is
/// written as it comes: a link to an id the fragment does not have is not made.
fn anchor_ids(fragment: &str) -> Vec<String> {
    let bytes = fragment.as_bytes();
    let mut ids = Vec::new();
    for at in memchr::memmem::find_iter(bytes, b"id=") {
        // An attribute named exactly `id`, after a space. Text written
        // the same way (a template's own words: ours are escaped) is taken
        // too: a spare id costs nothing, a missed one would drop links to it.
        if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = &fragment[at + 3..];
        let Some(quote) = rest.chars().next().filter(|q| *q == '"' || *q == '\'') else { continue };
        let Some(end) = rest[1..].find(quote) else { continue };
        let raw = &rest[1..1 + end];
        let value = quick_xml::escape::unescape(raw).map_or_else(|_| raw.into(), |v| v.into_owned());
        // As the reader normalises an attribute's value: each white-space character a space.
        ids.push(value.replace(['\t', '\n', '\r'], " "));
    }
    ids
}

/// An id on an element the layout does not place (an inline element, a
/// list item, a cell) goes where the element before it with a placed id
/// went — the section or row it is in — or to the top of the first page.
fn place_the_unplaced(ids: &[String], anchors: &mut BTreeMap<String, (usize, f32)>) {
    let mut last = (0, 0.0);
    for id in ids {
        match anchors.get(id) {
            Some(&at) => last = at,
            None => {
                anchors.insert(id.clone(), last);
            }
        }
    }
}

/// A line of running text (header or footer).
fn running_text(x: f32, y: f32, face: Face, size: f32, color: [f32; 3], text: String) -> Draw {
    Draw::Text { x, y, face, size, color, text, up: false, rtl: false }
}

/// "Page n of total", right-aligned in the footer: drawn once the page count is known.
fn page_number(n: usize, total: usize, fonts: &Fonts, g: Geometry) -> Vec<Draw> {
    let page_no = format!("Page {n} of {total}");
    let w = fonts.width(Face::Regular, 7.5, &page_no);
    vec![running_text(g.width - g.right - w, g.height - 30.0, Face::Regular, 7.5, MUTED, page_no)]
}

/// The running header and footer of the first page or of the others
/// (artifacts in the tagged PDF), the page number aside.
fn running(first: bool, header: &str, footer: &str, draft: bool, fonts: &Fonts, g: Geometry) -> Vec<Draw> {
    let text = running_text;
    let rule = |y: f32| Draw::Line {
        x1: g.left,
        y1: y,
        x2: g.width - g.right,
        y2: y,
        color: MUTED,
        width: 0.4,
        dash: None,
    };
    let mut out = vec![
        rule(38.0),
        rule(g.height - 40.0),
        text(g.left, g.height - 30.0, Face::Regular, 7.5, MUTED, footer.to_string()),
    ];
    // Page 1 carries the document line under its title: printed once there.
    if !first {
        out.push(text(g.left, 32.0, Face::Regular, 7.5, MUTED, header.to_string()));
    }
    if draft {
        let w = fonts.width(Face::Bold, 9.0, "DRAFT");
        out.push(text(g.width - g.right - w, 32.0, Face::Bold, 9.0, RED, "DRAFT".into()));
    }
    out
}

/// Shortens running header/footer text to one line: the longest start of it
/// that fits with an ellipsis, found by halving (taking a character off at a
/// time measured the whole text again each time: a 20,000-character system
/// name took minutes).
fn fit(text: &str, m: &dyn Metrics, size: f32, width: f32) -> String {
    if m.width(Face::Regular, size, text) <= width {
        return text.to_string();
    }
    // Where each character starts, past the first: the ends of the starts to try.
    let ends: Vec<usize> = text.char_indices().skip(1).map(|(i, _)| i).collect();
    let fit =
        ends.partition_point(|&end| m.width(Face::Regular, size, &format!("{}…", &text[..end])) <= width);
    // The ellipsis alone when not even one character fits.
    format!("{}…", &text[..fit.checked_sub(1).map_or(0, |i| ends[i])])
}

/// Running header/footer text as the regular face can draw it.
fn visible(text: &str, fonts: &Fonts, missing: &mut BTreeSet<char>) -> String {
    drawable(text, Face::Regular, fonts, missing)
}

/// `text` with each character `face` lacks replaced by a visible �, and
/// noted in `missing` (line breaks are kept: they are not drawn).
fn drawable(text: &str, face: Face, fonts: &Fonts, missing: &mut BTreeSet<char>) -> String {
    text.chars()
        .filter(|&c| !is_isolate_mark(c))
        .map(|c| {
            if c == '\n' || fonts.has_glyph(face, c) {
                c
            } else {
                missing.insert(c);
                '\u{FFFD}'
            }
        })
        .collect()
}

/// "患 (U+60A3), U+0007": a control, bidi or invisible character is named by
/// its code only, so the warning cannot ring, erase or reorder the terminal.
fn glyph_list(missing: &BTreeSet<char>) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
    };
    let named =
        |c: char| if hidden(c) { format!("U+{:04X}", c as u32) } else { format!("{c} (U+{:04X})", c as u32) };
    missing.iter().map(|&c| named(c)).collect::<Vec<_>>().join(", ")
}

/// Bidi isolate marks (U+2066–2069): the HTML escaper brackets right-to-left
/// user text with them; they have no visible form and this writer lays text
/// out left to right, so they are left out rather than drawn as �.
/// (`suspicious-text` reports one left open.)
fn is_isolate_mark(c: char) -> bool {
    matches!(c, '\u{2066}'..='\u{2069}')
}

/// The fragment's blocks as they are parsed, with the characters the fonts
/// lack replaced (and noted in `missing`); a parse error ends them, kept in `failed`.
fn drawable_blocks<'a>(
    fragment: &'a str,
    fonts: &'a Fonts,
    missing: &'a mut BTreeSet<char>,
    failed: &'a mut Option<String>,
) -> impl Iterator<Item = Block> + 'a {
    parse::blocks(fragment).map_while(move |block| match block {
        Ok(mut b) => {
            replace_missing_glyphs(std::slice::from_mut(&mut b), fonts, missing);
            Some(b)
        }
        Err(e) => {
            *failed = Some(e);
            None
        }
    })
}

/// Characters the font cannot draw become a visible � and are reported,
/// never dropped silently (printpdf would draw nothing and say nothing).
fn replace_missing_glyphs(blocks: &mut [Block], fonts: &Fonts, missing: &mut BTreeSet<char>) {
    let fix = |inlines: &mut Vec<Inline>, missing: &mut BTreeSet<char>| {
        for i in inlines.iter_mut() {
            let face = Face::of(&i.style);
            if fonts.draws_plain_ascii(face, &i.text)
                || i.text.chars().all(|c| c == '\n' || (fonts.has_glyph(face, c) && !is_isolate_mark(c)))
            {
                continue;
            }
            i.text = drawable(&i.text, face, fonts, missing);
        }
    };
    for b in blocks {
        match b {
            Block::Heading { inlines, .. } | Block::Para { inlines, .. } => fix(inlines, missing),
            Block::Figure { caption, .. } => fix(caption, missing),
            Block::List { items, .. } => {
                for item in items {
                    replace_missing_glyphs(item, fonts, missing);
                }
            }
            Block::Table { caption, head, body, .. } => {
                fix(caption, missing);
                for row in head.iter_mut().chain(body.iter_mut()) {
                    for cell in &mut row.cells {
                        fix(&mut cell.inlines, missing);
                    }
                }
            }
            Block::Anchor(_) | Block::Rule => {}
        }
    }
}

#[cfg(test)]
mod glyph_tests {
    use std::collections::BTreeSet;

    /// The plain-ASCII shortcut takes only what the full check would pass:
    /// a control character, an isolate mark or a character past ASCII still
    /// goes through it.
    #[test]
    fn only_plain_ascii_skips_the_glyph_check() {
        use super::{Block, Face, Inline};
        let fonts = super::Fonts::load().unwrap();
        assert!(fonts.draws_plain_ascii(Face::Regular, "Plain text ~ {x}\nnext line"));
        for text in ["tab\there", "bell\u{7}", "isolate\u{2066}x\u{2069}", "caf\u{e9}", "\u{60A3}"] {
            assert!(!fonts.draws_plain_ascii(Face::Regular, text), "{text:?}");
        }
        let mut blocks = vec![Block::Para {
            inlines: vec![Inline { text: "ok\u{7}\u{60A3}".into(), style: Default::default(), link: None }],
            kind: super::parse::ParaKind::Normal,
        }];
        let mut missing = BTreeSet::new();
        super::replace_missing_glyphs(&mut blocks, &fonts, &mut missing);
        assert_eq!(missing.into_iter().collect::<Vec<_>>(), ['\u{7}', '\u{60A3}']);
    }

    #[test]
    fn missing_glyphs_are_named_without_control_characters() {
        let missing: BTreeSet<char> = ['\u{7}', '\u{1b}', '\u{202E}', '\u{60A3}'].into_iter().collect();
        assert_eq!(super::glyph_list(&missing), "U+0007, U+001B, U+202E, \u{60A3} (U+60A3)");
    }
}

#[cfg(test)]
mod fit_tests {
    use super::{fit, Face, Metrics};

    /// Every character one point wide.
    struct Points;
    impl Metrics for Points {
        fn width(&self, _: Face, _: f32, text: &str) -> f32 {
            text.chars().count() as f32
        }
    }

    #[test]
    fn running_text_keeps_the_longest_start_that_fits_with_its_ellipsis() {
        assert_eq!(fit("short", &Points, 7.5, 10.0), "short");
        assert_eq!(fit("abcdefghijklmnop", &Points, 7.5, 10.0), "abcdefghi…");
        assert_eq!(fit("éèêëēėęěĕȩxyz", &Points, 7.5, 5.0), "éèêë…", "cut between characters");
        assert_eq!(fit("abc", &Points, 7.5, 0.5), "…", "nothing fits: the ellipsis alone");
        let long = "S".repeat(20_000);
        assert_eq!(fit(&long, &Points, 7.5, 400.0).chars().count(), 400);
    }
}

#[cfg(test)]
mod anchor_tests {
    use std::collections::BTreeMap;

    #[test]
    fn ids_are_read_as_the_fragment_reader_reads_them_in_document_order() {
        let fragment = r#"<section id="a"><p title="a > b" data-id="no" id='b&amp;c'>x id="not-in-a-tag"</p><tr
id="d
e"><td>y</td></tr><span id="a"></span></section>"#;
        assert_eq!(super::anchor_ids(fragment), ["a", "b&c", "not-in-a-tag", "d e", "a"]);
    }

    #[test]
    fn an_unplaced_id_goes_where_the_placed_id_before_it_went() {
        let ids: Vec<String> = ["first", "cell", "row", "span"].map(String::from).into();
        let mut anchors = BTreeMap::from([("row".to_string(), (3, 120.0))]);
        super::place_the_unplaced(&ids, &mut anchors);
        assert_eq!(anchors["first"], (0, 0.0), "nothing placed before it: the top of page 1");
        assert_eq!(anchors["cell"], (0, 0.0));
        assert_eq!(anchors["row"], (3, 120.0));
        assert_eq!(anchors["span"], (3, 120.0));
    }
}
