use std::io::{Read, Seek};

use proptest::prelude::*;

use super::{write, Failed};
use crate::report::figures::{self, tests::example_context, tests::fragments_with_figures};
use crate::report::html::TAIL;

/// The page made in memory, as the renders before this writer made it: the
/// whole fragment read for figures, each SVG copied in at its place.
fn made_in_memory(head: &str, fragment: &str, cx: &crate::report::context::ReportContext) -> Vec<u8> {
    let mut page = head.as_bytes().to_vec();
    let mut from = 0;
    for (at, svg) in figures::svg_inserts(fragment, cx) {
        page.extend_from_slice(&fragment.as_bytes()[from..at]);
        page.extend_from_slice(svg.as_bytes());
        from = at;
    }
    page.extend_from_slice(&fragment.as_bytes()[from..]);
    page.extend_from_slice(TAIL.as_bytes());
    page
}

/// The page [`write`] leaves in a file, the fragment written in `chunks`.
fn made_in_a_file(
    head: &str,
    chunks: &[&str],
    keep: bool,
    cx: &crate::report::context::ReportContext,
) -> (Vec<u8>, Option<String>) {
    let mut file = tempfile::tempfile().unwrap();
    let kept = write(&file, head, keep, cx, |out| {
        chunks.iter().try_for_each(|c| out.write_all(c.as_bytes())).map_err(|e| e.to_string())
    })
    .unwrap_or_else(|_| panic!("written"));
    let mut bytes = Vec::new();
    file.rewind().unwrap();
    file.read_to_end(&mut bytes).unwrap();
    (bytes, kept)
}

/// Cuts `text` into pieces at the given (sorted, deduplicated) places.
fn cut<'a>(text: &'a str, at: &[usize]) -> Vec<&'a str> {
    let mut places: Vec<usize> = at.iter().map(|&i| i.min(text.len())).collect();
    places.sort_unstable();
    places.dedup();
    let mut pieces = Vec::new();
    let mut from = 0;
    for to in places.into_iter().chain([text.len()]) {
        pieces.push(&text[from..to]);
        from = to;
    }
    pieces
}

/// Written into a file however tera's writes fall, a page is the page made
/// in memory, byte for byte: a `<figure` split between two writes, figures in
/// comments and CDATA, broken markup, with and without the fragment kept.
#[test]
fn a_page_written_as_made_is_the_page_made_in_memory() {
    let cx = example_context();
    let fragments = fragments_with_figures();
    let cuts = prop::collection::vec(0usize..400, 0..8);
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&(fragments, cuts, any::<bool>()), |(fragment, cuts, keep)| {
            let cuts: Vec<usize> =
                cuts.into_iter().filter(|&c| fragment.is_char_boundary(c.min(fragment.len()))).collect();
            let (page, kept) = made_in_a_file("<head>", &cut(&fragment, &cuts), keep, &cx);
            prop_assert_eq!(page, made_in_memory("<head>", &fragment, &cx), "{}", fragment);
            prop_assert_eq!(kept, keep.then(|| fragment.clone()));
            Ok(())
        })
        .unwrap();
}

/// Pages longer than the blocks the writer reads and moves: figures early and
/// late, a figure's start tag or a comment hiding one longer than the first
/// read-back, so reading back has to go further.
#[test]
fn long_pages_and_long_tags_are_read_back_and_moved_whole() {
    let cx = example_context();
    let filler = "<p>row of the hazard log ✓</p>\n".repeat(10_000);
    let long_attribute = "x".repeat(300_000);
    let fragments = [
        format!("<figure data-figure=\"heatmap-initial\"></figure>{filler}"),
        format!("{filler}<figure data-figure=\"heatmap-residual\"></figure>{filler}"),
        format!(
            "<figure data-figure=\"heatmap-initial\"></figure>{filler}\
             <figure data-figure=\"heatmap-residual\" title=\"{long_attribute}\"></figure>{filler}"
        ),
        format!("<figure data-figure=\"heatmap-initial\"></figure><!-- <figure data-figure=\"heatmap-residual\"> {filler} -->"),
        format!("<figure data-figure=\"heatmap-initial\"></figure><!-- <figure data-figure=\"heatmap-residual\"> {filler}"),
    ];
    for (n, fragment) in fragments.iter().enumerate() {
        let expected = made_in_memory("<head>", fragment, &cx);
        assert!(!figures::svg_inserts(fragment, &cx).is_empty(), "case {n} has a figure");
        for keep in [false, true] {
            let chunks = cut(
                fragment,
                &(1..40).map(|i| i * 10_007).filter(|&c| fragment.is_char_boundary(c)).collect::<Vec<_>>(),
            );
            assert!(made_in_a_file("<head>", &chunks, keep, &cx).0 == expected, "case {n}, kept {keep}");
        }
    }
}

/// A file that cannot be written is a write failure, not a template error,
/// and a template error is told as the template's.
#[test]
fn write_and_template_failures_are_told_apart() {
    let cx = example_context();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.html"), "").unwrap();
    let read_only = std::fs::File::open(dir.path().join("page.html")).unwrap();
    let failed = write(&read_only, "<head>", false, &cx, |out| {
        out.write_all(b"<p>text</p>").map_err(|e| format!("tera: {e}"))
    });
    assert!(matches!(failed, Err(Failed::Write(_))));
    let file = tempfile::tempfile().unwrap();
    let failed =
        write(&file, "<head>", false, &cx, |_| Err("cannot render checklist.html: no such value".into()));
    assert!(matches!(failed, Err(Failed::Render(e)) if e.contains("no such value")));
}

/// A page's only `<figure`, cut at each place between two of tera's writes, is still found.
#[test]
fn a_figure_mark_split_between_writes_is_found() {
    let cx = example_context();
    let fragment = "<p>before</p><figure data-figure=\"heatmap-initial\"></figure><p>after</p>";
    let expected = made_in_memory("<head>", fragment, &cx);
    let mark = fragment.find("<figure").unwrap();
    for at in mark..=mark + "<figure".len() {
        for cuts in [vec![at], vec![at - 1, at], vec![at, at + 1], vec![mark + 2, mark + 4, at]] {
            assert!(
                made_in_a_file("<head>", &cut(fragment, &cuts), false, &cx).0 == expected,
                "cut at {cuts:?}"
            );
        }
    }
}
