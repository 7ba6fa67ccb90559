//! Figures as a small model drawn by each writer: the HTML writer as inline
//! SVG; the PDF writer will draw the same model as vector paths. Templates
//! place a figure with `<figure data-figure="NAME">`; the writer fills it.

use std::fmt::Write;

use super::context::ReportContext;

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

pub enum Figure {
    HeatMap(HeatMap),
}

/// The figure a template asked for by name, if it exists.
pub fn find(name: &str, cx: &ReportContext) -> Option<Figure> {
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

/// Fill colours by rating; the same in the CSS and the PDF.
pub fn rating_fill(rating: u8) -> &'static str {
    match rating {
        1 => "#c8e6c9",
        2 => "#fff59d",
        3 => "#ffcc80",
        4 => "#ef9a9a",
        _ => "#8a1c1c",
    }
}

pub fn rating_ink(rating: u8) -> &'static str {
    if rating >= 5 {
        "#ffffff"
    } else {
        "#1b1b1b"
    }
}

/// Inline SVG; all text in it comes from fixed vocabularies and numbers.
pub fn svg(figure: &Figure) -> String {
    match figure {
        Figure::HeatMap(h) => heatmap_svg(h),
    }
}

fn heatmap_svg(h: &HeatMap) -> String {
    let (left, top, cell_w, cell_h) = (78.0, 10.0, 62.0, 34.0);
    let width = left + cell_w * h.columns.len() as f64 + 10.0;
    let height = top + cell_h * h.rows.len() as f64 + 48.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">"
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
                "<rect x=\"{x}\" y=\"{y}\" width=\"{cell_w}\" height=\"{cell_h}\" fill=\"{}\" stroke=\"#555555\"/><text x=\"{}\" y=\"{}\" fill=\"{}\" font-size=\"9\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\" font-size=\"14\" fill=\"{}\">{label}</text>",
                rating_fill(cell.rating),
                x + 3.0,
                y + 10.0,
                rating_ink(cell.rating),
                cell.rating,
                x + cell_w / 2.0,
                y + cell_h / 2.0 + 6.0,
                rating_ink(cell.rating),
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
