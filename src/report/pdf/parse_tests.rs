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
