use super::*;
use crate::report::pdf::parse::parse;

/// Every character 5pt wide at 10pt (scaled with size): easy arithmetic.
struct Mono;
impl Metrics for Mono {
    fn width(&self, _: Face, size: f32, text: &str) -> f32 {
        text.chars().count() as f32 * size * 0.5
    }
}

fn no_figures(_: &str, _: f32, _: f32, _: f32) -> Option<(Vec<Draw>, f32, String)> {
    None
}

/// Lays out `html` as the PDF writer does: block by block as it is parsed.
fn layout(html: &str) -> Vec<Page> {
    let f = no_figures;
    let mut pages = Vec::new();
    let mut keep = |p: Page| pages.push(p);
    let mut l = Layout::new(&Mono, Geometry::A4, &f, &mut keep);
    l.stream(crate::report::pdf::parse::blocks(html).map(Result::unwrap));
    l.finish();
    drop(l);
    pages
}

/// Lays out `html` parsed whole first.
fn layout_parsed_whole(html: &str) -> Vec<Page> {
    let blocks = parse(html).unwrap();
    let f = no_figures;
    let mut pages = Vec::new();
    let mut keep = |p: Page| pages.push(p);
    let mut l = Layout::new(&Mono, Geometry::A4, &f, &mut keep);
    l.blocks(&blocks, 0.0);
    l.finish();
    drop(l);
    pages
}

#[test]
fn blocks_laid_out_as_parsed_land_where_the_whole_document_puts_them() {
    // Keep-with-next across top-level blocks: a heading with the table after it,
    // a paragraph with its trailer, "Evidence:" with its list, over many pages.
    let section = "<section><h2>HAZ-1 — a title</h2><table><thead><tr><th>A</th><th>B</th></tr></thead>\
        <tbody><tr><td>one two three</td><td>four</td></tr></tbody></table>\
        <p>Evidence:</p><ul><li>first</li><li><p>second</p><footer><p>kept with it</p></footer></li></ul>\
        <p>Body text that wraps over more than one line of the page at this width, twice over.</p>\
        <footer><p>Provenance line</p></footer></section>";
    let html = format!("<article><h1>Title</h1>{}</article>", section.repeat(60));
    let (streamed, whole) = (layout(&html), layout_parsed_whole(&html));
    assert!(whole.len() > 3, "{} pages", whole.len());
    assert_eq!(streamed.len(), whole.len());
    for (a, b) in streamed.iter().zip(&whole) {
        assert_eq!(a.draws, b.draws);
    }
}

fn texts(page: &Page) -> Vec<String> {
    page.draws
        .iter()
        .filter_map(|d| match d {
            Draw::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn wrap_words(width: f32, text: &str) -> Vec<String> {
    let f = no_figures;
    let mut drop_page = |_: Page| {};
    let l = Layout::new(&Mono, Geometry::A4, &f, &mut drop_page);
    let inline = Inline { text: text.to_string(), style: Style::default(), link: None };
    l.wrap(&[inline], 10.0, width)
        .iter()
        .map(|line| line.pieces.iter().map(|p| p.text.as_ref()).collect())
        .collect()
}

#[test]
fn lines_break_between_words_and_never_exceed_the_width() {
    // 5pt per char: 50pt holds 10 characters.
    assert_eq!(wrap_words(50.0, "aaaa bbbb cccc dd"), ["aaaa bbbb", "cccc dd"]);
    assert_eq!(wrap_words(50.0, "aaaa\nbb"), ["aaaa", "bb"]);
}

#[test]
fn an_overlong_word_is_split_not_lost() {
    let lines = wrap_words(50.0, "0123456789abcdefghij!");
    assert_eq!(lines, ["0123456789", "abcdefghij", "!"]);
}

#[test]
fn long_text_flows_onto_more_pages() {
    let para = format!("<p>{}</p>", "word ".repeat(4000));
    let pages = layout(&para);
    assert!(pages.len() > 2, "{}", pages.len());
    let words: usize = pages.iter().flat_map(texts).map(|t| t.split_whitespace().count()).sum();
    assert_eq!(words, 4000, "every word placed once");
}

#[test]
fn table_header_repeats_on_every_page_and_rows_stay_whole() {
    let rows: String = (0..120).map(|i| format!("<tr><td>row {i}</td><td>value</td></tr>")).collect();
    let pages = layout(&format!(
        "<table><thead><tr><th>Name</th><th>Value</th></tr></thead><tbody>{rows}</tbody></table>"
    ));
    assert!(pages.len() >= 2);
    for (n, page) in pages.iter().enumerate() {
        let t = texts(page);
        assert_eq!(t.first().map(String::as_str), Some("Name"), "page {n} starts with the header");
        assert_eq!(t.iter().filter(|s| *s == "Name").count(), 1);
    }
    let all: Vec<String> = pages.iter().flat_map(texts).collect();
    for i in 0..120 {
        assert_eq!(all.iter().filter(|t| **t == format!("row {i}")).count(), 1, "row {i} exactly once");
    }
    // No row straddles the bottom margin.
    for page in &pages {
        for d in &page.draws {
            if let Draw::Rect { y, h, .. } = d {
                assert!(y + h <= Geometry::A4.limit() + 0.01);
            }
        }
    }
}

#[test]
fn columns_share_the_width_by_content() {
    let f = no_figures;
    let mut drop_page = |_: Page| {};
    let l = Layout::new(&Mono, Geometry::A4, &f, &mut drop_page);
    let blocks =
        parse("<table><tbody><tr><td>a</td><td>a much longer cell text here</td></tr></tbody></table>")
            .unwrap();
    let Block::Table { head, body, .. } = &blocks[0] else { panic!() };
    let w = l.column_widths(head, body, 2, 400.0);
    assert!((w[0] + w[1] - 400.0).abs() < 0.01);
    assert!(w[1] > 3.0 * w[0]);
}

#[test]
fn a_heading_is_kept_with_what_follows() {
    // Fill the page almost to the bottom, then a heading and a paragraph.
    let filler = "<p>x</p>".repeat(60);
    let pages = layout(&format!("{filler}<h2>Next section</h2><p>body</p>"));
    let last = texts(pages.last().unwrap());
    assert!(last.contains(&"Next section".to_string()) && last.contains(&"body".to_string()), "{last:?}");
}

#[test]
fn a_heading_stays_on_the_page_of_the_first_row_of_the_table_below_it() {
    // The checklist's "Practice manager" ended a page alone: the table's first
    // row (an item over several lines) was taller than the one line allowed for.
    let tall = ["first", "second", "third", "fourth", "fifth", "sixth"].join("<br/>");
    let table = format!(
        "<table><thead><tr><th>Item</th><th>Due</th></tr></thead>\
         <tbody><tr><td>{tall}</td><td>soon</td></tr><tr><td>next</td><td>later</td></tr></tbody></table>"
    );
    for n in 40..80 {
        let filler = "<p>x</p>".repeat(n);
        let pages = layout(&format!("{filler}<h3>Owner</h3>{table}"));
        let page = pages.iter().map(texts).find(|t| t.contains(&"Owner".to_string())).unwrap();
        assert!(page.contains(&"sixth".to_string()), "{n} paragraphs: heading without its table's first row");
    }
}

#[test]
fn a_paragraph_ending_in_a_colon_stays_with_the_list_it_introduces() {
    // The hazard log's "Evidence:" ended a page with its list on the next one.
    // Paragraphs and short lists of filler, so the lead-in lands at every height near the foot.
    for (n, m) in (25..45).flat_map(|n| (0..6).map(move |m| (n, m))) {
        let filler = "<p>x</p>".repeat(n) + &"<ul><li>y</li></ul>".repeat(m);
        let pages = layout(&format!(
            "{filler}<p><strong>Evidence:</strong></p><ul><li>first item</li><li>second</li></ul>"
        ));
        let page = pages.iter().map(texts).find(|t| t.iter().any(|s| s.contains("Evidence:"))).unwrap();
        assert!(
            page.iter().any(|s| s.contains("first")),
            "{n} paragraphs, {m} lists: the lead-in without its list"
        );
    }
}

#[test]
fn anchors_and_outline_record_pages() {
    let filler = "<p>x</p>".repeat(80);
    let f = no_figures;
    let mut drop_page = |_: Page| {};
    let mut l = Layout::new(&Mono, Geometry::A4, &f, &mut drop_page);
    l.blocks(&parse(&format!("<h1>Doc</h1>{filler}<h2 id=\"two\">Two</h2>")).unwrap(), 0.0);
    assert_eq!((l.outline[0].0.as_str(), l.outline[0].1), ("Doc", 0));
    assert_eq!(l.outline[1].0, "Two");
    assert_eq!(l.anchors["two"].0, l.outline[1].1);
    assert!(l.outline[1].1 >= 1);
}

#[test]
fn line_breaks_in_cells_are_kept() {
    let pages = layout("<table><tbody><tr><th scope=\"row\">Controls</th><td><a href=\"#a\">CTL-1</a> One (verified)<br/><a href=\"#b\">CTL-2</a> Two (planned)</td></tr></tbody></table>");
    let t = texts(&pages[0]);
    assert!(t.contains(&"CTL-2".to_string()), "{t:?}");
    assert!(
        t.iter()
            .any(|s| s.starts_with(" One (verified)") || s == "One (verified)" || s.ends_with("(verified)")),
        "{t:?}"
    );
    assert!(!t.iter().any(|s| s.contains("(verified) CTL-2") || s.contains("verified)CTL")), "{t:?}");
}

#[test]
fn badges_and_words_spanning_styles_are_not_split_by_column_sizing() {
    let long = "a long cell text that wraps ".repeat(12);
    let pages = layout(&format!(
        "<table><tbody><tr><td><span class=\"rating rating-3\">medium</span></td><td><a href=\"#x\">CTL-016</a>, next</td><td>{long}</td></tr></tbody></table>"
    ));
    let t = texts(&pages[0]);
    assert!(t.contains(&"medium".to_string()), "{t:?}");
    assert!(
        t.iter().any(|s| s == "CTL-016") && t.iter().any(|s| s.starts_with(", next") || s.starts_with(',')),
        "{t:?}"
    );
    // The comma stays on CTL-016's line: no text run begins a line with ",".
    let first_after_link = t.iter().position(|s| s == "CTL-016").unwrap() + 1;
    assert!(t[first_after_link].starts_with(','), "{t:?}");
}

#[test]
fn list_markers_never_overlap_their_items() {
    let items: String = (1..=12).map(|i| format!("<li>item {i}</li>")).collect();
    let pages = layout(&format!("<ol>{items}</ol>"));
    let draws = &pages[0].draws;
    let x_of = |t: &str| {
        draws.iter().find_map(|d| match d {
            Draw::Text { x, text, .. } if text == t => Some(*x),
            _ => None,
        })
    };
    // "12." is 3 characters at 4.75 pt each in the test metrics.
    assert!(x_of("item 12").unwrap() >= x_of("12.").unwrap() + 3.0 * 4.75, "{draws:?}");
}

#[test]
fn an_unbroken_run_is_split_into_one_piece_per_line() {
    let f = no_figures;
    let mut drop_page = |_: Page| {};
    let l = Layout::new(&Mono, Geometry::A4, &f, &mut drop_page);
    let inlines = [Inline { text: "x".repeat(10_000), style: Style::default(), link: None }];
    let lines = l.wrap(&inlines, 10.0, 100.0);
    assert_eq!(lines.len(), 500, "20 characters of 5 pt fit in 100 pt");
    assert!(lines.iter().all(|line| line.pieces.len() == 1 && line.pieces[0].text.len() == 20));
}

#[test]
fn right_to_left_runs_are_drawn_in_visual_order() {
    let pages = layout("<p>abc אבג דהו def</p>");
    let runs: Vec<(String, bool)> = pages[0]
        .draws
        .iter()
        .filter_map(|d| match d {
            Draw::Text { text, rtl, .. } => Some((text.clone(), *rtl)),
            _ => None,
        })
        .collect();
    let expected = [("abc ", false), ("אבג דהו", true), (" def", false)];
    assert_eq!(runs, expected.map(|(t, r)| (t.to_string(), r)));
}

#[test]
fn a_keep_together_table_moves_whole_to_the_next_page_and_a_plain_one_splits() {
    // Paragraphs fill most of page 1, then a six-row table follows.
    let filler: String = (0..36).map(|i| format!("<p>line {i}</p>")).collect();
    let rows: String = (1..=6).map(|i| format!("<tr><td>row {i}</td></tr>")).collect();
    let table = |class: &str| {
        format!("{filler}<table class=\"{class}\"><thead><tr><th>head</th></tr></thead><tbody>{rows}</tbody></table>")
    };
    let page_of = |pages: &[Page], text: &str| pages.iter().position(|p| texts(p).iter().any(|t| t == text));

    let plain = layout(&table("plain"));
    assert_ne!(page_of(&plain, "row 1"), page_of(&plain, "row 6"), "the fixture must split a plain table");

    let kept = layout(&table("matrix keep-together"));
    assert_eq!(page_of(&kept, "row 1"), page_of(&kept, "row 6"));
    assert_eq!(page_of(&kept, "head"), page_of(&kept, "row 1"));
}

#[test]
fn the_provenance_footer_never_stands_alone_on_a_page() {
    let footer = "<footer class=\"provenance\"><p>Generated by clinsafe from 3 input files. Input digest 0123456789abcdef0123456789abcdef.</p></footer>";
    let trailer_alone = |html: &str| {
        let pages = layout(html);
        let last = texts(pages.last().unwrap());
        last.iter().all(|t| t.contains("Generated") || t.contains("digest") || t.contains("input files"))
    };
    // Whatever the block before it, at every length around a page break.
    for n in 20..80 {
        let rows: String = (0..n).map(|i| format!("<tr><td>row {i}</td><td>x</td></tr>")).collect();
        let table = format!("<article><table><thead><tr><th>A</th><th>B</th></tr></thead><tbody>{rows}</tbody></table>{footer}</article>");
        assert!(!trailer_alone(&table), "table of {n} rows");
        let paras: String = (0..n).map(|i| format!("<p>paragraph {i}</p>")).collect();
        assert!(!trailer_alone(&format!("<article>{paras}{footer}</article>")), "{n} paragraphs");
        let items: String = (0..n).map(|i| format!("<li>item {i}</li>")).collect();
        assert!(!trailer_alone(&format!("<article><ul>{items}</ul>{footer}</article>")), "list of {n}");
    }
}

/// `~~10 mg~~ 1 mg` read "10 mg 1 mg" in the PDF: struck text is drawn with
/// its line through it, over the words only.
#[test]
fn struck_text_is_drawn_struck_through() {
    let pages = layout("<p>Give <del>10 mg</del> 1 mg</p>");
    let draws = &pages[0].draws;
    let struck = draws
        .iter()
        .position(|d| matches!(d, Draw::Text { text, .. } if text == "10 mg"))
        .expect("struck run");
    let Draw::Text { x, y, size, .. } = draws[struck] else { unreachable!() };
    let line = draws.iter().find_map(|d| match d {
        Draw::Line { x1, y1, x2, y2, .. } => Some((*x1, *y1, *x2, *y2)),
        _ => None,
    });
    let (x1, y1, x2, y2) = line.expect("a line through the struck words");
    assert_eq!((x1, y1, y2), (x, y - size * 0.3, y - size * 0.3));
    assert!((x2 - x1 - 5.0 * size * 0.5).abs() < 0.01, "over the 5 characters: {x1}..{x2}");
    assert_eq!(draws.iter().filter(|d| matches!(d, Draw::Line { .. })).count(), 1, "only the struck run");
}
