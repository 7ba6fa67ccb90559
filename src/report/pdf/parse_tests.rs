use super::*;

fn text(inlines: &[Inline]) -> String {
    inlines.iter().map(|i| i.text.as_str()).collect()
}

#[test]
fn headings_paragraphs_and_styles() {
    let b = parse("<section id=\"s\"><h2>1. Title &amp; more</h2><p>Plain <strong>bold</strong> <em>it</em> <a href=\"#x\">link</a></p></section>").unwrap();
    assert_eq!(b[0], Block::Anchor("s".into()));
    let Block::Heading { level, inlines, .. } = &b[1] else { panic!("{b:?}") };
    assert_eq!((*level, text(inlines).as_str()), (2, "1. Title & more"));
    let Block::Para { inlines, .. } = &b[2] else { panic!() };
    assert_eq!(text(inlines), "Plain bold it link");
    assert!(inlines.iter().any(|i| i.text == "bold" && i.style.bold));
    assert!(inlines.iter().any(|i| i.text == "it" && i.style.italic));
    assert!(inlines.iter().any(|i| i.text == "link" && i.link.as_deref() == Some("#x")));
}

#[test]
fn tables_keep_header_rows_and_cells() {
    let b = parse("<table><caption>Cap</caption><thead><tr><th scope=\"col\">A</th><th class=\"vertical\">B</th></tr></thead><tbody><tr id=\"r1\"><th>x<br/>y</th><td class=\"rating-3\">3</td></tr></tbody></table>").unwrap();
    let Block::Table { caption, head, body, .. } = &b[0] else { panic!("{b:?}") };
    assert_eq!(text(caption), "Cap");
    assert_eq!(head[0].cells.len(), 2);
    assert!(head[0].cells[1].vertical);
    assert_eq!(body[0].id.as_deref(), Some("r1"));
    assert_eq!(text(&body[0].cells[0].inlines), "x\ny");
    assert!(body[0].cells[1].fill.is_some());
}

#[test]
fn lists_nest_blocks() {
    let b = parse("<ul><li>one</li><li><p>two</p></li></ul>").unwrap();
    let Block::List { ordered, items } = &b[0] else { panic!() };
    assert!(!ordered);
    assert_eq!(items.len(), 2);
}

#[test]
fn malformed_output_is_an_error_with_a_line() {
    let e = parse("<p>\n<b>open</p>").unwrap_err();
    assert!(e.contains("line 2"), "{e}");
}

#[test]
fn figures_keep_their_name_and_caption() {
    let b = parse(
        "<figure class=\"heatmap\" data-figure=\"heatmap-initial\"><figcaption>Initial</figcaption></figure>",
    )
    .unwrap();
    assert_eq!(
        b[0],
        Block::Figure {
            name: "heatmap-initial".into(),
            caption: vec![Inline {
                text: "Initial".into(),
                style: Style { bold: true, ..Style::default() },
                link: None
            }],
            id: None
        }
    );
}

#[test]
fn fill_in_tables_have_rows_tall_enough_to_write_in() {
    let html = "<table class=\"fill-in\"><thead><tr><th>Name</th></tr></thead><tbody><tr><td>&#160;</td></tr></tbody></table>\
                <table><tbody><tr><td>x</td></tr></tbody></table>";
    let b = parse(html).unwrap();
    let Block::Table { head, body, .. } = &b[0] else { panic!("{b:?}") };
    assert_eq!((head[0].min_lines, body[0].min_lines), (1, 2));
    let Block::Table { body, .. } = &b[1] else { panic!("{b:?}") };
    assert_eq!(body[0].min_lines, 1);
}

/// Markdown in a table cell (a review's outcome) holds paragraphs, headings,
/// lists, rules and tables. A cell holds one run of text: each block becomes
/// a line of it, in order, and nothing leaks out of the table or is lost.
#[test]
fn blocks_inside_a_cell_stay_in_the_cell_in_order() {
    let md = crate::report::markdown::to_html(
        "First para.\n\n- item alpha\n  1. nested beta\n\n## Heading gamma\n\n| a | b |\n|---|---|\n| c | d |\n\n---\n\n```\ncode  x\ny\n```\n\nLast delta.",
    );
    let html =
        format!("<table><tbody><tr><td>2026-01-01</td><td>{md}</td><td>after</td></tr></tbody></table>");
    let b = parse(&html).unwrap();
    assert_eq!(b.len(), 1, "nothing outside the table: {b:?}");
    let Block::Table { body, .. } = &b[0] else { panic!("{b:?}") };
    let cells: Vec<String> = body[0].cells.iter().map(|c| text(&c.inlines)).collect();
    assert_eq!(cells.len(), 3, "{cells:?}");
    assert_eq!(cells[0], "2026-01-01");
    assert_eq!(
        cells[1],
        "First para.\n• item alpha\n1. nested beta\nHeading gamma\na | b\nc | d\ncode  x\ny\nLast delta.",
    );
    assert_eq!(cells[2], "after");
    let heading = body[0].cells[1].inlines.iter().find(|i| i.text.contains("Heading gamma")).unwrap();
    assert!(heading.style.bold, "{heading:?}");
}

#[test]
fn blocks_come_one_at_a_time_as_parse_returns_them_all() {
    let html = "<article><h1>T</h1><p id=\"a\">one</p><ul><li>x</li></ul><table><tr><td>c</td></tr></table><hr/>tail</article>";
    let mut lazy = blocks(html);
    assert!(matches!(lazy.next(), Some(Ok(Block::Heading { .. }))));
    let read = lazy.reader.buffer_position() as usize;
    assert!(read <= html.find("<p").unwrap(), "read {read} bytes for the first block");
    let streamed: Vec<Block> = blocks(html).map(Result::unwrap).collect();
    assert_eq!(streamed, parse(html).unwrap());
    assert_eq!(streamed.len(), 7, "{streamed:?}");
}

#[test]
fn an_error_ends_the_blocks_after_those_before_it() {
    let mut b = blocks("<p>one</p>\n<p><b>open</p><p>never</p>");
    assert!(matches!(b.next(), Some(Ok(Block::Para { .. }))));
    assert!(matches!(b.next(), Some(Err(e)) if e.contains("line 2")));
    assert_eq!(b.next(), None);
}

#[test]
fn an_element_left_open_at_the_end_keeps_what_came_before_it() {
    // No end tag for the list item: its text is still shown, after what preceded it.
    let b = parse("<p>before</p><ul><li>open item").unwrap();
    let texts: Vec<String> = b
        .iter()
        .filter_map(|b| match b {
            Block::Para { inlines, .. } => Some(text(inlines)),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["before", "open item"]);
}

#[test]
fn a_class_matches_by_name_or_name_dash_prefix() {
    assert!(has_class("x rating-3 y", "rating"));
    assert!(has_class("flag", "flag"));
    assert!(!has_class("flagged ratings", "flag"));
    assert!(!has_class("ratings", "rating"));
    assert!(!has_class("", "none"));
}
