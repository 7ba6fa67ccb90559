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
