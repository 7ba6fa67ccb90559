//! A figure's data as an HTML table in a `<details>` element: the page's text
//! alternative to the SVG, made from the same figure model (the PDF says the
//! same in words, `figures::in_words`). The SVG names itself briefly and
//! points here, rather than carrying its data in a long label.

use std::fmt::Write;

use super::figures::{Figure, HeatMap, TrendChart};
use super::html::escape;

/// The SVG's own short name (its `<title>`).
pub fn svg_title(figure: &Figure) -> &'static str {
    match figure {
        Figure::HeatMap(_) => "Heat map of hazards per risk-matrix cell; its data follow as a table",
        Figure::Trend(_) => "Trend chart of the metric's observations; its data follow as a table",
    }
}

/// `<details>` with the figure's data as a table (closed: the chart is the
/// summary for those who can see it).
pub fn details(figure: &Figure) -> String {
    let body = match figure {
        Figure::HeatMap(h) => heatmap(h),
        Figure::Trend(t) => trend(t),
    };
    format!("<details class=\"figure-data\"><summary>The figure's data as a table</summary>{body}</details>")
}

fn heatmap(h: &HeatMap) -> String {
    let mut s = String::from(
        "<table class=\"matrix\"><caption>Hazards per cell, with the cell's rating</caption><thead><tr><th scope=\"col\">Likelihood</th>",
    );
    for severity in &h.columns {
        let _ = write!(s, "<th scope=\"col\">{}</th>", escape(severity));
    }
    s.push_str("</tr></thead><tbody>");
    for (likelihood, cells) in &h.rows {
        let _ = write!(s, "<tr><th scope=\"row\">{}</th>", escape(likelihood));
        for c in cells {
            let _ = write!(s, "<td class=\"rating-{}\">{} (rating {})</td>", c.rating, c.count, c.rating);
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

fn trend(t: &TrendChart) -> String {
    let mut s = String::new();
    if t.rows.is_empty() {
        s.push_str("<p>No observations.</p>");
    } else {
        let _ = write!(
            s,
            "<table class=\"observations\"><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            escape(&t.value_head)
        );
        for (date, value) in &t.rows {
            let _ = write!(s, "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", escape(date), escape(value));
        }
        s.push_str("</tbody></table>");
    }
    if !t.levels.is_empty() {
        let _ = write!(s, "<p>{}.</p>", escape(&t.levels.join("; ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::figures::HeatCell;

    #[test]
    fn a_heat_maps_table_has_every_cell_with_its_count_and_rating() {
        let h = HeatMap {
            rows: vec![
                ("high".into(), vec![HeatCell { rating: 3, count: 2 }, HeatCell { rating: 5, count: 0 }]),
                ("low".into(), vec![HeatCell { rating: 1, count: 0 }, HeatCell { rating: 2, count: 1 }]),
            ],
            columns: vec!["minor".into(), "<major>".into()],
        };
        let html = details(&Figure::HeatMap(h));
        assert!(html.starts_with("<details class=\"figure-data\"><summary>"), "{html}");
        assert!(html.contains("<th scope=\"col\">&lt;major&gt;</th>"), "escaped heads: {html}");
        assert!(html.contains(
            "<tr><th scope=\"row\">high</th><td class=\"rating-3\">2 (rating 3)</td><td class=\"rating-5\">0 (rating 5)</td></tr>"
        ));
        assert_eq!(html.matches("<td ").count(), 4);
    }

    fn chart(rows: Vec<(String, String)>, levels: Vec<String>) -> Figure {
        Figure::Trend(Box::new(TrendChart {
            points: Vec::new(),
            threshold: None,
            warn: None,
            y_ticks: Vec::new(),
            x_ticks: Vec::new(),
            caption: String::new(),
            words: String::new(),
            rows,
            value_head: "Value (hours)".into(),
            levels,
        }))
    }

    #[test]
    fn a_trend_charts_table_has_every_observation_and_its_levels() {
        let rows = vec![("2026-09-30".into(), "30".into()), ("2026-10-31".into(), "27.5".into())];
        let html = details(&chart(rows, vec!["Threshold 24 hours".into()]));
        assert!(html.contains("<th scope=\"col\">Value (hours)</th>"), "{html}");
        assert!(html.contains("<tr><th scope=\"row\">2026-09-30</th><td>30</td></tr>"), "{html}");
        assert!(html.contains("<tr><th scope=\"row\">2026-10-31</th><td>27.5</td></tr>"), "{html}");
        assert!(html.contains("<p>Threshold 24 hours.</p>"), "{html}");
        let empty = details(&chart(Vec::new(), Vec::new()));
        assert!(empty.contains("<p>No observations.</p>") && !empty.contains("<table"), "{empty}");
    }
}
