//! The figure model (`report::figures`) drawn as PDF vector graphics, the
//! twin of the SVG the HTML page carries.

use super::layout::{Draw, Face, Metrics, Rgb, INK};
use crate::report::figures::{Figure, HeatMap, TrendChart};
use crate::report::palette::{self, rating_fill, rating_ink};

const GRID: Rgb = palette::BADGE_BORDER.rgb();

/// Draws `figure` with its top-left at (x, y) within `width`; returns the draws and height.
pub fn draw(figure: &Figure, m: &dyn Metrics, x: f32, y: f32, width: f32) -> (Vec<Draw>, f32) {
    match figure {
        Figure::HeatMap(h) => heatmap(h, m, x, y, width),
        Figure::Trend(t) => trend(t, m, x, y, width),
    }
}

fn text(x: f32, y: f32, size: f32, face: Face, color: Rgb, t: &str) -> Draw {
    Draw::Text { x, y, face, size, color, text: t.to_string(), up: false, rtl: false }
}

fn heatmap(h: &HeatMap, m: &dyn Metrics, x: f32, y: f32, width: f32) -> (Vec<Draw>, f32) {
    let label_w = 52.0;
    let cell_w = ((width.min(330.0) - label_w) / h.columns.len().max(1) as f32).max(20.0);
    let cell_h = 22.0;
    let mut out = Vec::new();
    for (r, (likelihood, cells)) in h.rows.iter().enumerate() {
        let cy = y + r as f32 * cell_h;
        let lw = m.width(Face::Regular, 7.0, likelihood);
        out.push(text(x + label_w - 4.0 - lw, cy + cell_h / 2.0 + 2.5, 7.0, Face::Regular, INK, likelihood));
        for (c, cell) in cells.iter().enumerate() {
            let cx = x + label_w + c as f32 * cell_w;
            let ink = rating_ink(cell.rating).rgb();
            out.push(Draw::Rect {
                x: cx,
                y: cy,
                w: cell_w,
                h: cell_h,
                fill: Some(rating_fill(cell.rating).rgb()),
                stroke: Some((GRID, 0.5)),
            });
            out.push(text(cx + 2.0, cy + 7.0, 5.5, Face::Regular, ink, &cell.rating.to_string()));
            if cell.count > 0 {
                let n = cell.count.to_string();
                let nw = m.width(Face::Bold, 10.0, &n);
                out.push(text(cx + (cell_w - nw) / 2.0, cy + cell_h / 2.0 + 4.0, 10.0, Face::Bold, ink, &n));
            }
        }
    }
    let base = y + h.rows.len() as f32 * cell_h;
    for (c, severity) in h.columns.iter().enumerate() {
        let sw = m.width(Face::Regular, 6.0, severity);
        let cx = x + label_w + c as f32 * cell_w + (cell_w - sw) / 2.0;
        out.push(text(cx, base + 9.0, 6.0, Face::Regular, INK, severity));
    }
    let note = "columns: severity; rows: likelihood; small number: rating; large: hazards";
    out.push(text(x + label_w, base + 19.0, 6.0, Face::Italic, palette::MUTED.rgb(), note));
    (out, h.rows.len() as f32 * cell_h + 24.0)
}

fn trend(t: &TrendChart, m: &dyn Metrics, x: f32, y: f32, width: f32) -> (Vec<Draw>, f32) {
    let left = 34.0;
    let label_room = 70.0;
    let (w, h) = ((width - left - label_room).min(330.0), 110.0);
    let px = |v: f64| x + left + v as f32 * w;
    let py = |v: f64| y + (1.0 - v as f32) * h;
    let mut out = vec![Draw::Rect {
        x: x + left,
        y,
        w,
        h,
        fill: Some(palette::PAPER.rgb()),
        stroke: Some((palette::RULE.rgb(), 0.6)),
    }];
    for (v, label) in &t.y_ticks {
        out.push(Draw::Line {
            x1: x + left,
            y1: py(*v),
            x2: x + left + w,
            y2: py(*v),
            color: palette::GRID.rgb(),
            width: 0.4,
            dash: None,
        });
        let lw = m.width(Face::Regular, 6.5, label);
        out.push(text(x + left - 3.0 - lw, py(*v) + 2.3, 6.5, Face::Regular, INK, label));
    }
    for (v, label) in &t.x_ticks {
        let lw = m.width(Face::Regular, 6.5, label);
        out.push(text((px(*v) - lw / 2.0).max(x), y + h + 9.0, 6.5, Face::Regular, INK, label));
    }
    for (line, color, dash) in
        [(&t.warn, palette::WARN_LINE.rgb(), [3.0, 2.0]), (&t.threshold, palette::ALERT.rgb(), [5.0, 2.0])]
    {
        if let Some((v, label)) = line {
            out.push(Draw::Line {
                x1: x + left,
                y1: py(*v),
                x2: x + left + w,
                y2: py(*v),
                color,
                width: 1.0,
                dash: Some(dash),
            });
            out.push(text(x + left + w + 3.0, py(*v) + 2.3, 6.5, Face::Regular, color, label));
        }
    }
    let blue = palette::ACCENT.rgb();
    if t.points.len() > 1 {
        out.push(Draw::Polyline {
            points: t.points.iter().map(|(a, b)| (px(*a), py(*b))).collect(),
            color: blue,
            width: 1.4,
        });
    }
    for (a, b) in &t.points {
        out.push(Draw::Rect {
            x: px(*a) - 1.6,
            y: py(*b) - 1.6,
            w: 3.2,
            h: 3.2,
            fill: Some(blue),
            stroke: None,
        });
    }
    if t.points.is_empty() {
        out.push(text(px(0.4), py(0.5), 8.0, Face::Italic, INK, "no observations"));
    }
    (out, h + 14.0)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::date::Date;
    use crate::report::context::{MetricView, ObservationView};
    use crate::report::figures::{self, svg};

    struct Mono;
    impl Metrics for Mono {
        fn width(&self, _: Face, size: f32, text: &str) -> f32 {
            text.chars().count() as f32 * size * 0.5
        }
    }

    fn metric(values: &[f64], threshold: Option<f64>, warn: Option<f64>) -> MetricView {
        let start = Date::parse("2026-01-01").unwrap();
        MetricView {
            id: "MET-1".into(),
            title: "Extreme".into(),
            unit: None,
            better: "lower",
            threshold,
            warn,
            latest: None,
            status: "ok",
            worsening: false,
            stale: false,
            in_doubt: false,
            observations: values.len(),
            trend: "n/a",
            series: values
                .iter()
                .enumerate()
                .map(|(i, v)| ObservationView {
                    date: Date::from_unix(start.unix_seconds() + i as i64 * 86_400).unwrap(),
                    value: *v,
                })
                .collect(),
            controls: vec![],
            hazards: vec![],
            monitors: vec![],
        }
    }

    /// Both writers' output for one chart, for looking for NaN and infinity.
    fn drawn(m: &MetricView) -> (String, String) {
        let figure = Figure::Trend(Box::new(figures::trend(m)));
        (svg(&figure), format!("{:?}", draw(&figure, &Mono, 50.0, 50.0, 480.0).0))
    }

    fn finite() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>().prop_filter("finite", |v| v.is_finite()),
            Just(f64::MAX),
            Just(-f64::MAX),
            Just(1e-308),
            -100.0..100.0f64,
        ]
    }

    #[test]
    fn extreme_values_draw_without_nan() {
        for (values, threshold, warn) in [
            (vec![1e308, -1e308, 5.0], Some(1.7e308), Some(-1.7e308)),
            (vec![1e-308, 2e-308, -1e-308], Some(1e-308), None),
            (vec![f64::MAX, f64::MAX], None, None),
            (vec![-f64::MAX, f64::MAX], Some(0.0), Some(f64::MAX)),
        ] {
            let (svg, pdf) = drawn(&metric(&values, threshold, warn));
            for bad in ["NaN", "inf"] {
                assert!(!svg.contains(bad) && !pdf.contains(bad), "{bad} for {values:?}:\n{svg}\n{pdf}");
            }
            assert!(svg.contains("<polyline"), "{svg}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        #[test]
        fn any_finite_values_draw_at_finite_places(
            values in prop::collection::vec(finite(), 0..6),
            threshold in prop::option::of(finite()),
            warn in prop::option::of(finite()),
        ) {
            let (svg, pdf) = drawn(&metric(&values, threshold, warn));
            prop_assert!(!svg.contains("NaN") && !svg.contains("inf"), "{}", svg);
            prop_assert!(!pdf.contains("NaN") && !pdf.contains("inf"), "{}", pdf);
        }
    }
}
