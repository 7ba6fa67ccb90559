//! Figures as a small model drawn by each writer: the HTML writer as inline
//! SVG followed by the same data as a table (`figure_table.rs`: the text
//! alternative), the PDF writer as vector paths with the data in words.
//!
//! The one placeholder: a template places a figure with
//! `<figure data-figure="NAME">` (NAME: `heatmap-initial`, `heatmap-residual`
//! or `trend-METRIC`), caption inside. The HTML page gets the SVG and the
//! table here, in [`svg_inserts`]; the PDF writer draws the figure where `pdf/parse.rs` meets
//! the same element. Both read the element with the same XML reader.

use std::collections::HashMap;
use std::fmt::Write;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::axis::Axis;
use super::context::ReportContext;
use super::html::escape;
use super::palette::{self, rating_fill, rating_ink};

/// One filled, labelled cell of a heat map.
pub struct HeatCell {
    pub rating: u8,
    pub count: usize,
}

/// A 5×5 heat map: rows likelihood (very-high first), columns severity.
pub struct HeatMap {
    pub rows: Vec<(String, Vec<HeatCell>)>,
    pub columns: Vec<String>,
}

/// A metric's observations over time, in chart space: x and y run 0..1
/// (left to right, bottom to top), so each writer only scales.
pub struct TrendChart {
    pub points: Vec<(f64, f64)>,
    /// (y, label) for the threshold and warning lines, when set.
    pub threshold: Option<(f64, String)>,
    pub warn: Option<(f64, String)>,
    pub y_ticks: Vec<(f64, String)>,
    pub x_ticks: Vec<(f64, String)>,
    pub caption: String,
    /// The observations and lines in words (the PDF figure's alternative text).
    pub words: String,
    /// The observations as (date, value), oldest first, under the value
    /// column's heading, and the lines' levels (the HTML page's data table).
    pub rows: Vec<(String, String)>,
    pub value_head: String,
    pub levels: Vec<String>,
}

pub enum Figure {
    HeatMap(HeatMap),
    Trend(Box<TrendChart>),
}

/// The attribute that names a figure on a template's `<figure>` element.
pub const ATTRIBUTE: &str = "data-figure";

/// Each placeholder's SVG and data table, with the byte offset in
/// `fragment` it goes at (right after the placeholder's opening tag), in
/// order. Unknown names get none (the caption still shows); reading stops
/// where the fragment is not well-formed (the PDF writer reports it).
pub fn svg_inserts(fragment: &str, cx: &ReportContext) -> Vec<(usize, String)> {
    // Most documents have no figure, and the safety case's two come before its
    // long appendices: nothing after the last `<figure` is read as XML (no
    // figure can start there). Found searching forward: memchr's forward search
    // runs many bytes at a time, `str::rfind` one (it was 1.6% of a render).
    match memchr::memmem::find_iter(fragment.as_bytes(), b"<figure").last() {
        Some(last) => inserts_through(fragment, cx, last).0,
        None => Vec::new(),
    }
}

/// [`svg_inserts`], reading the fragment as XML until past byte `last`; says
/// whether the reading got past it (rather than ending at an error or the end:
/// on a cut fragment, where reading more may find more).
pub fn inserts_through(fragment: &str, cx: &ReportContext, last: usize) -> (Vec<(usize, String)>, bool) {
    let finder = Finder::new(cx);
    let mut reader = Reader::from_str(fragment);
    let mut inserts = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == "figure" => {
                // The value as the template meant it (`&amp;` read as `&`), as the PDF writer reads it.
                let name = e.attributes().flatten().find(|a| a.key.as_ref() == ATTRIBUTE).and_then(|a| {
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned())
                });
                if let Some(figure) = name.and_then(|name| finder.find(&name)) {
                    let html = svg(&figure) + &super::figure_table::details(&figure);
                    inserts.push((reader.buffer_position() as usize, html));
                }
            }
            Ok(Event::Eof) | Err(_) => return (inserts, false),
            Ok(_) => {}
        }
        if reader.buffer_position() as usize > last {
            return (inserts, true);
        }
    }
}

/// The figure a template asked for by name, if it exists: `trend-` takes
/// the metric's id as `{{ m.id | anchor }}` writes it, or as it is.
pub fn find(name: &str, cx: &ReportContext) -> Option<Figure> {
    find_in(name, cx, None)
}

/// [`find`] for a whole document: its metrics looked up in an index made once.
pub struct Finder<'a> {
    cx: &'a ReportContext,
    index: MetricIndex,
}

impl<'a> Finder<'a> {
    pub fn new(cx: &'a ReportContext) -> Self {
        Finder { cx, index: MetricIndex::new(cx) }
    }

    pub fn find(&self, name: &str) -> Option<Figure> {
        find_in(name, self.cx, Some(&self.index))
    }
}

/// [`find`], looking metrics up in `index` when given.
fn find_in(name: &str, cx: &ReportContext, index: Option<&MetricIndex>) -> Option<Figure> {
    // The monthly pack's charts: the metric as it stood at the month's end.
    // The id encoded as an anchor (what the built-in templates write: any id is plain
    // ASCII so), or as it is.
    let named = |id: &str, m: &super::context::MetricView| super::anchor::encode(&m.id) == id || m.id == id;
    if let Some(id) = name.strip_prefix("month-trend-") {
        let m = match index {
            Some(ix) => ix.pack.get(id).map(|&i| &cx.pack.metrics[i]),
            None => cx.pack.metrics.iter().find(|m| named(id, m)),
        };
        return m.map(|m| Figure::Trend(Box::new(trend(m))));
    }
    if let Some(id) = name.strip_prefix("trend-") {
        let m = match index {
            Some(ix) => ix.all.get(id).map(|&i| &cx.metrics[i]),
            None => cx.metrics.iter().find(|m| named(id, m)),
        };
        return m.map(|m| Figure::Trend(Box::new(trend(m))));
    }
    let which = name.strip_prefix("heatmap-")?;
    let residual = match which {
        "initial" => false,
        "residual" => true,
        _ => return None,
    };
    Some(Figure::HeatMap(HeatMap {
        rows: cx
            .matrix
            .iter()
            .map(|row| {
                let cells = row
                    .cells
                    .iter()
                    .map(|c| HeatCell {
                        rating: c.rating,
                        count: if residual { c.residual } else { c.initial },
                    })
                    .collect();
                (row.likelihood.to_string(), cells)
            })
            .collect(),
        columns: cx.severities.iter().map(|s| s.to_string()).collect(),
    }))
}

/// Where each metric is in the context's lists, by its id as written and as
/// an anchor: a monitoring pack places a chart per metric, and searching the
/// list for each made a pack of a thousand metrics quadratic.
struct MetricIndex {
    pack: HashMap<String, usize>,
    all: HashMap<String, usize>,
}

impl MetricIndex {
    fn new(cx: &ReportContext) -> Self {
        // The first metric either name matches, as `find`'s search takes it.
        let index = |metrics: &[super::context::MetricView]| {
            let mut by_name = HashMap::new();
            for (i, m) in metrics.iter().enumerate() {
                by_name.entry(super::anchor::encode(&m.id)).or_insert(i);
                by_name.entry(m.id.clone()).or_insert(i);
            }
            by_name
        };
        MetricIndex { pack: index(&cx.pack.metrics), all: index(&cx.metrics) }
    }
}

/// The figure's data in words, for readers who cannot see it (the tagged
/// PDF's alternative text).
pub fn in_words(figure: &Figure) -> String {
    match figure {
        Figure::Trend(t) => t.words.clone(),
        Figure::HeatMap(h) => {
            let cells: Vec<String> = h
                .rows
                .iter()
                .flat_map(|(likelihood, cells)| {
                    cells.iter().zip(&h.columns).filter(|(c, _)| c.count > 0).map(move |(c, severity)| {
                        let n = if c.count == 1 {
                            "1 hazard".to_string()
                        } else {
                            format!("{} hazards", c.count)
                        };
                        format!(
                            "{n} of likelihood {likelihood} and severity {severity} (rating {})",
                            c.rating
                        )
                    })
                })
                .collect();
            if cells.is_empty() {
                "Risk matrix of likelihood by severity: no hazards.".to_string()
            } else {
                format!(
                    "Risk matrix of likelihood by severity: {}; no other cell has hazards.",
                    cells.join("; ")
                )
            }
        }
    }
}

/// Numbers as people write them: no trailing zeros, at most 2 decimals, more
/// for a value under 0.01 so it never reads as 0 (`0.004`, two significant
/// digits); below 10^-6 and from 10^15 on in scientific notation (`1e-308`,
/// `1.7e308`), so a label fits its chart.
pub fn number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e15 || (a > 0.0 && a < 1e-6) {
        let s = format!("{v:.2e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, ""));
        return format!("{}e{exponent}", mantissa.trim_end_matches('0').trim_end_matches('.'));
    }
    let decimals = if a == 0.0 || a >= 0.01 { 2 } else { (-a.log10()).ceil() as usize + 1 };
    let s = format!("{v:.decimals$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

pub(crate) fn trend(m: &super::context::MetricView) -> TrendChart {
    let days: Vec<i64> = m.series.iter().map(|o| o.date.day_number()).collect();
    let values: Vec<f64> = m.series.iter().map(|o| o.value).collect();
    let axis = Axis::new(values.iter().copied().chain(m.threshold).chain(m.warn));
    let y = |v: f64| axis.position(v);
    let (d0, d1) = (days.first().copied().unwrap_or(0), days.last().copied().unwrap_or(1));
    let span = (d1 - d0).max(1) as f64;
    let x = |d: i64| if days.len() < 2 { 0.5 } else { (d - d0) as f64 / span };
    let unit = m.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    let y_ticks = axis.ticks.iter().map(|v| (y(*v), number(*v)));
    let mut x_ticks = Vec::new();
    if let (Some(first), Some(last)) = (m.series.first(), m.series.last()) {
        x_ticks.push((x(d0), first.date.to_string()));
        if m.series.len() > 1 {
            x_ticks.push((x(d1), last.date.to_string()));
        }
    }
    let rows: Vec<(String, String)> =
        m.series.iter().map(|o| (o.date.to_string(), number(o.value))).collect();
    let levels: Vec<String> = [("Threshold", m.threshold), ("Warning", m.warn)]
        .into_iter()
        .filter_map(|(name, v)| Some(format!("{name} {}{unit}", number(v?))))
        .collect();
    let mut words = match (m.series.first(), m.series.last()) {
        (None, _) | (_, None) => "No observations.".to_string(),
        // Thinned for the chart: say so, and give the range and the ends.
        (Some(first), Some(last)) if m.series.len() < m.observations => {
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            format!(
                "{} observations from {} to {}, between {}{unit} and {}{unit}, drawn as the lowest and highest of each run of about {}; first {}{unit}, latest {}{unit}.",
                m.observations,
                first.date,
                last.date,
                number(lo),
                number(hi),
                m.observations.div_ceil(m.series.len().max(1)) * 2,
                number(first.value),
                number(last.value)
            )
        }
        _ => {
            let observations: Vec<String> =
                m.series.iter().map(|o| format!("{} {}{unit}", o.date, number(o.value))).collect();
            format!("Observations: {}.", observations.join("; "))
        }
    };
    for level in &levels {
        words.push_str(&format!(" {level}."));
    }
    TrendChart {
        words,
        rows,
        value_head: m.unit.as_deref().map_or_else(|| "Value".to_string(), |u| format!("Value ({u})")),
        levels,
        points: days.iter().zip(&values).map(|(d, v)| (x(*d), y(*v))).collect(),
        threshold: m.threshold.map(|t| (y(t), format!("threshold {}", number(t)))),
        warn: m.warn.map(|w| (y(w), format!("warning {}", number(w)))),
        y_ticks: y_ticks.collect(),
        x_ticks,
        caption: format!(
            "{} — {}{} ({})",
            m.id,
            m.title,
            if unit.is_empty() { String::new() } else { format!(",{unit}") },
            if m.better == "neutral" {
                "context: no better direction".to_string()
            } else {
                format!("{} is better", m.better)
            }
        ),
    }
}

/// Inline SVG; all text in it comes from fixed vocabularies and numbers.
pub fn svg(figure: &Figure) -> String {
    let title = super::figure_table::svg_title(figure);
    match figure {
        Figure::HeatMap(h) => heatmap_svg(h, title),
        Figure::Trend(t) => trend_svg(t, title),
    }
}

fn trend_svg(t: &TrendChart, title: &str) -> String {
    let (left, top, w, h) = (52.0, 12.0, 460.0, 150.0);
    let px = |x: f64| left + x * w;
    let py = |y: f64| top + (1.0 - y) * h;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"10\"><title>{title}</title>",
        left + w + 110.0,
        top + h + 30.0,
        left + w + 110.0,
        top + h + 30.0
    );
    let (paper, frame, grid, series) =
        (palette::PAPER.hex(), palette::RULE.hex(), palette::GRID.hex(), palette::ACCENT.hex());
    let _ = write!(
        s,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" fill=\"{paper}\" stroke=\"{frame}\"/>"
    );
    for (y, label) in &t.y_ticks {
        let _ = write!(
            s,
            "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{grid}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            py(*y), px(1.0), py(*y), left - 4.0, py(*y) + 3.0, escape(label)
        );
    }
    for (x, label) in &t.x_ticks {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            px(*x),
            top + h + 16.0,
            escape(label)
        );
    }
    for (line, colour, dash) in
        [(&t.warn, palette::WARN_LINE.hex(), "4 3"), (&t.threshold, palette::ALERT.hex(), "7 3")]
    {
        if let Some((y, label)) = line {
            let _ = write!(
                s,
                "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"{dash}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{}</text>",
                py(*y), px(1.0), py(*y), px(1.0) + 4.0, py(*y) + 3.0, escape(label)
            );
        }
    }
    if !t.points.is_empty() {
        let pts: Vec<String> = t.points.iter().map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y))).collect();
        let _ = write!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{series}\" stroke-width=\"2\"/>",
            pts.join(" ")
        );
        for (x, y) in &t.points {
            let _ =
                write!(s, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{series}\"/>", px(*x), py(*y));
        }
    } else {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">no observations</text>",
            px(0.5),
            py(0.5)
        );
    }
    s.push_str("</svg>");
    s
}

fn heatmap_svg(h: &HeatMap, title: &str) -> String {
    let border = palette::BADGE_BORDER.hex();
    let (left, top, cell_w, cell_h) = (78.0, 10.0, 62.0, 34.0);
    let width = left + cell_w * h.columns.len() as f64 + 10.0;
    let height = top + cell_h * h.rows.len() as f64 + 48.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\"><title>{title}</title>"
    );
    for (r, (likelihood, cells)) in h.rows.iter().enumerate() {
        let y = top + cell_h * r as f64;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{likelihood}</text>",
            left - 6.0,
            y + cell_h / 2.0 + 4.0
        );
        for (c, cell) in cells.iter().enumerate() {
            let x = left + cell_w * c as f64;
            let label = if cell.count == 0 { String::new() } else { cell.count.to_string() };
            let _ = write!(
                s,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{cell_w}\" height=\"{cell_h}\" fill=\"{}\" stroke=\"{border}\"/><text x=\"{}\" y=\"{}\" fill=\"{}\" font-size=\"9\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\" font-size=\"14\" fill=\"{}\">{label}</text>",
                rating_fill(cell.rating).hex(),
                x + 3.0,
                y + 10.0,
                rating_ink(cell.rating).hex(),
                cell.rating,
                x + cell_w / 2.0,
                y + cell_h / 2.0 + 6.0,
                rating_ink(cell.rating).hex(),
            );
        }
    }
    let base = top + cell_h * h.rows.len() as f64;
    for (c, severity) in h.columns.iter().enumerate() {
        let x = left + cell_w * c as f64 + cell_w / 2.0;
        let _ = write!(
            s,
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"9\">{severity}</text>",
            base + 14.0
        );
    }
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">severity → (rows: likelihood; small number: rating; large: hazards)</text></svg>",
        left + cell_w * h.columns.len() as f64 / 2.0,
        base + 34.0
    );
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::number;
    use proptest::prelude::*;

    /// The example project's template context, as of 2026-11-25.
    pub(crate) fn example_context() -> super::ReportContext {
        use crate::model::date::{Date, Month};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
        let as_of = Date::parse("2026-11-25").unwrap();
        let analysis = crate::analyse(&root, as_of).expect("the example loads");
        super::super::context::build(&analysis, Month::last_complete_before(as_of))
    }

    /// The index `svg_inserts` looks metrics up in finds what `find`'s search
    /// finds, for every name a template may write (as an anchor or as written),
    /// and nothing for a name that is no metric's.
    #[test]
    fn the_metric_index_finds_what_the_search_finds() {
        let cx = example_context();
        let index = super::MetricIndex::new(&cx);
        let ids = cx.metrics.iter().chain(&cx.pack.metrics).map(|m| m.id.clone());
        let mut names =
            vec!["trend-NOPE".to_string(), "month-trend-".to_string(), "heatmap-residual".to_string()];
        for id in ids {
            for prefix in ["trend-", "month-trend-"] {
                names.push(format!("{prefix}{id}"));
                names.push(format!("{prefix}{}", super::super::anchor::encode(&id)));
            }
        }
        assert!(names.len() > 3, "the example has metrics");
        for name in &names {
            let searched = super::find(name, &cx).map(|f| super::in_words(&f));
            let looked_up = super::find_in(name, &cx, Some(&index)).map(|f| super::in_words(&f));
            assert_eq!(searched, looked_up, "{name}");
        }
    }

    #[test]
    fn numbers_read_as_written() {
        for (v, shown) in [
            (0.0, "0"),
            (-0.0, "0"),
            (12.0, "12"),
            (12.345, "12.35"),
            (0.5, "0.5"),
            (0.01, "0.01"),
            (0.004, "0.004"),
            (0.0099, "0.0099"),
            (-0.00042, "-0.00042"),
            (0.000001, "0.000001"),
            (1e-308, "1e-308"),
            (1.7e308, "1.7e308"),
        ] {
            assert_eq!(number(v), shown, "{v}");
        }
    }

    /// Fragments of figures (found, unknown, self-closed), markup around and
    /// broken, comments and CDATA that may hide a figure, text with a wide character.
    pub(crate) fn fragments_with_figures() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "<figure data-figure=\"heatmap-initial\">",
            "<figure data-figure=\"heatmap-residual\"/>",
            "<figure data-figure=\"nope\">",
            "</figure>",
            "<figure>",
            "<p>",
            "</p>",
            "</div>",
            "text é ",
            "<",
            "&amp;",
            "&",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<figurex>",
        ]);
        prop::collection::vec(pieces, 0..12).prop_map(|p| p.concat())
    }

    /// Reading stops after the last `<figure`: the same figures go in the same
    /// places as reading the whole fragment, whatever follows and whether or
    /// not the fragment is well-formed (reading stops at the first error either way).
    #[test]
    fn reading_up_to_the_last_figure_finds_what_reading_all_finds() {
        let cx = example_context();
        let fragments = fragments_with_figures();
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&fragments, |fragment| {
                prop_assert_eq!(
                    super::svg_inserts(&fragment, &cx),
                    super::inserts_through(&fragment, &cx, usize::MAX).0,
                    "{}",
                    fragment
                );
                Ok(())
            })
            .unwrap();
    }

    proptest! {
        /// A value that is not zero never reads as zero, and what is shown parses
        /// back to within rounding of the value.
        #[test]
        fn a_non_zero_value_never_reads_as_zero(v in prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL) {
            let shown = number(v);
            let back: f64 = shown.parse().unwrap();
            prop_assert!(back != 0.0, "{v} shown as {shown}");
            prop_assert_eq!(back.is_sign_negative(), v.is_sign_negative(), "{} shown as {}", v, shown);
            let tolerance = if v.abs() >= 1.0 { 0.005 + v.abs() * 0.005 } else { v.abs() * 0.5 + 0.005 };
            prop_assert!((back - v).abs() <= tolerance, "{v} shown as {shown}");
        }
    }
}
