//! The reports' one colour palette, read by both writers: the HTML page gets
//! it as CSS (custom properties and one rule per coloured class, see [`css`]),
//! the PDF writer looks up the same entries (`pdf/parse.rs`, `pdf/layout`,
//! the figures). `templates/style.css` holds layout only and names colours
//! by `var(--…)`, never by value, so the two formats cannot drift apart.
//! Colours meet WCAG 2.2 AA contrast for their text (4.5:1) and graphics
//! (3:1), tested below for every pairing; ratings always carry their number
//! as text, never colour alone.

use std::fmt::Write;

/// An sRGB colour, `0xRRGGBB`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour(pub u32);

impl Colour {
    /// `#rrggbb`, as CSS and SVG write it.
    pub fn hex(self) -> String {
        format!("#{:06x}", self.0)
    }

    /// RGB channels 0–1, as PDF writes them.
    pub const fn rgb(self) -> [f32; 3] {
        const fn channel(v: u32, shift: u32) -> f32 {
            ((v >> shift) & 0xff) as f32 / 255.0
        }
        [channel(self.0, 16), channel(self.0, 8), channel(self.0, 0)]
    }
}

pub const INK: Colour = Colour(0x1b1b1b);
pub const MUTED: Colour = Colour(0x4a4a4a);
pub const RULE: Colour = Colour(0x8a8a8a);
pub const ACCENT: Colour = Colour(0x005eb8);
pub const PAPER: Colour = Colour(0xffffff);
/// Table heads.
pub const HEAD_FILL: Colour = Colour(0xe8edee);
/// Row headers of field tables.
pub const FIELD_FILL: Colour = Colour(0xf3f5f6);
/// Errors, breaches, the draft mark; also the fill of rating 5.
pub const ALERT: Colour = Colour(0x8a1c1c);
pub const ALERT_FILL: Colour = Colour(0xfde2e1);
pub const ALERT_INK: Colour = Colour(0x5c0f0f);
/// Warnings (text).
pub const CAUTION: Colour = Colour(0x6b4a00);
/// A metric's warning line in trend charts.
pub const WARN_LINE: Colour = Colour(0x9a6700);
pub const GOOD: Colour = Colour(0x1e5e20);
pub const BADGE_BORDER: Colour = Colour(0x555555);
pub const NEUTRAL_FILL: Colour = Colour(0xeeeeee);
pub const OVERDUE_ROW: Colour = Colour(0xfff4f4);
/// Grid lines inside charts.
pub const GRID: Colour = Colour(0xe0e0e0);

/// Fill of each DCB rating, 1 (acceptable) to 5 (unacceptable).
const RATING_FILL: [Colour; 5] =
    [Colour(0xc8e6c9), Colour(0xfff59d), Colour(0xffcc80), Colour(0xef9a9a), ALERT];

/// Fill of a rating's cell or badge.
pub fn rating_fill(rating: u8) -> Colour {
    RATING_FILL[usize::from(rating.clamp(1, 5)) - 1]
}

/// Text on a rating's fill.
pub fn rating_ink(rating: u8) -> Colour {
    if rating >= 5 {
        PAPER
    } else {
        INK
    }
}

/// The named colours, as CSS custom properties (`--ink`, …) for style.css.
pub const NAMED: &[(&str, Colour)] = &[
    ("ink", INK),
    ("muted", MUTED),
    ("rule", RULE),
    ("accent", ACCENT),
    ("paper", PAPER),
    ("head-fill", HEAD_FILL),
    ("field-fill", FIELD_FILL),
    ("alert", ALERT),
    ("alert-fill", ALERT_FILL),
    ("alert-ink", ALERT_INK),
    ("caution", CAUTION),
    ("good", GOOD),
    ("badge-border", BADGE_BORDER),
    ("neutral-fill", NEUTRAL_FILL),
    ("overdue-row", OVERDUE_ROW),
];

/// How a class that templates use is coloured, in both formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    pub class: &'static str,
    /// Text colour.
    pub ink: Option<Colour>,
    /// Background: a badge behind inline text, or a table cell's fill.
    pub fill: Option<Colour>,
    pub border: Option<Colour>,
}

const fn look(
    class: &'static str,
    ink: Option<Colour>,
    fill: Option<Colour>,
    border: Option<Colour>,
) -> Look {
    Look { class, ink, fill, border }
}

/// Every coloured class, general before specific (later entries win, in CSS
/// and in the PDF alike).
pub const LOOKS: &[Look] = &[
    look("none", Some(MUTED), None, None),
    look("note", Some(MUTED), None, None),
    look("risk", Some(MUTED), None, None),
    look("draft-mark", Some(ALERT), None, Some(ALERT)),
    look("rating-1", Some(INK), Some(RATING_FILL[0]), None),
    look("rating-2", Some(INK), Some(RATING_FILL[1]), None),
    look("rating-3", Some(INK), Some(RATING_FILL[2]), None),
    look("rating-4", Some(INK), Some(RATING_FILL[3]), None),
    look("rating-5", Some(PAPER), Some(RATING_FILL[4]), None),
    look("rating-none", Some(INK), Some(NEUTRAL_FILL), None),
    look("flag", Some(INK), Some(NEUTRAL_FILL), Some(BADGE_BORDER)),
    look("flag-overdue", Some(ALERT_INK), Some(ALERT_FILL), Some(ALERT)),
    look("flag-doubt", Some(ALERT_INK), Some(ALERT_FILL), Some(ALERT)),
    look("flag-review", Some(ALERT_INK), Some(ALERT_FILL), Some(ALERT)),
    look("level-error", Some(ALERT), None, None),
    look("level-warning", Some(CAUTION), None, None),
    look("status-breach", Some(ALERT), None, None),
    look("status-warning", Some(ALERT), None, None),
    look("status-ok", Some(GOOD), None, None),
    look("dpia-low", None, Some(RATING_FILL[0]), None),
    look("dpia-medium", None, Some(RATING_FILL[1]), None),
    look("dpia-high", None, Some(RATING_FILL[3]), None),
];

/// The looks of an element's classes (`class="flag flag-overdue"`), in palette order.
pub fn looks_of(class: &str) -> impl Iterator<Item = &'static Look> + '_ {
    // Split once, not once per look: the PDF reads this for every element with a class.
    let words: Vec<&str> = class.split_whitespace().collect();
    LOOKS.iter().filter(move |l| words.contains(&l.class))
}

/// The palette as CSS, put before style.css in every page.
pub fn css() -> String {
    let mut out = String::from("/* clinsafe palette (generated: report/palette.rs) */\n:root {");
    for (name, colour) in NAMED {
        let _ = write!(out, " --{name}: {};", colour.hex());
    }
    out.push_str(" }\n");
    for l in LOOKS {
        let _ = write!(out, ".{} {{", l.class);
        if let Some(c) = l.fill {
            let _ = write!(out, " background: {};", c.hex());
        }
        if let Some(c) = l.ink {
            let _ = write!(out, " color: {};", c.hex());
        }
        if let Some(c) = l.border {
            let _ = write!(out, " border-color: {};", c.hex());
        }
        out.push_str(" }\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::pdf::parse::{parse, Block};

    #[test]
    fn style_css_names_colours_only_through_the_palette() {
        let css = crate::report::templates::BUILTIN.iter().find(|(n, _)| *n == "style.css").unwrap().1;
        let hex_literal = css.match_indices('#').any(|(i, _)| {
            let digits = css[i + 1..].chars().take_while(char::is_ascii_hexdigit).count();
            let next = css[i + 1 + digits..].chars().next().unwrap_or(' ');
            matches!(digits, 3 | 6) && !next.is_alphanumeric() && next != '-'
        });
        assert!(!hex_literal && !css.contains("rgb("), "style.css has a colour literal: use var(--…)");
        for var in css.split("var(--").skip(1).map(|v| &v[..v.find(')').unwrap()]) {
            assert!(NAMED.iter().any(|(n, _)| *n == var), "style.css uses --{var}, which the palette lacks");
        }
    }

    /// The PDF reads each coloured class as the page's CSS colours it.
    #[test]
    fn pdf_and_html_take_each_class_colour_from_the_palette() {
        let page_css = css();
        for l in LOOKS {
            let rule = page_css.lines().find(|r| r.starts_with(&format!(".{} {{", l.class))).unwrap();
            let fragment = format!("<p>a <span class=\"{}\">x</span></p>", l.class);
            let blocks = parse(&fragment).unwrap();
            let Block::Para { inlines, .. } = &blocks[0] else { panic!("{blocks:?}") };
            let style = inlines.iter().find(|i| i.text == "x").unwrap().style;
            if let Some(ink) = l.ink {
                assert!(rule.contains(&format!("color: {}", ink.hex())), "{rule}");
                assert_eq!(style.color, Some(ink.rgb()), "PDF ink of .{}", l.class);
            }
            if let Some(fill) = l.fill {
                assert!(rule.contains(&format!("background: {}", fill.hex())), "{rule}");
                assert_eq!(style.badge, Some(fill.rgb()), "PDF badge of .{}", l.class);
            }
        }
    }

    /// WCAG 2.x contrast ratio of two sRGB colours.
    fn contrast(a: Colour, b: Colour) -> f32 {
        let luminance = |c: Colour| {
            let [r, g, b] =
                c.rgb().map(|v| if v <= 0.040_45 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) });
            0.2126 * r + 0.7152 * g + 0.0722 * b
        };
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// WCAG 2.2 AA 1.4.3 (text 4.5:1) and 1.4.11 (graphics 3:1) for every
    /// pairing the documents and figures use, in HTML and PDF alike.
    #[test]
    fn every_colour_pairing_meets_wcag_aa_contrast() {
        // Backgrounds that plain text and links sit on: the page, table heads,
        // field rows, overdue rows.
        let grounds = [PAPER, HEAD_FILL, FIELD_FILL, OVERDUE_ROW];
        let mut pairs: Vec<(String, Colour, Colour, f32)> = Vec::new();
        for ground in grounds {
            for (name, ink) in [("ink", INK), ("muted", MUTED), ("accent (links)", ACCENT)] {
                pairs.push((format!("{name} on {}", ground.hex()), ink, ground, 4.5));
            }
        }
        for l in LOOKS {
            let ink = l.ink.unwrap_or(INK);
            match l.fill {
                Some(fill) => pairs.push((format!(".{}", l.class), ink, fill, 4.5)),
                None => {
                    for ground in grounds {
                        pairs.push((format!(".{} on {}", l.class, ground.hex()), ink, ground, 4.5));
                    }
                }
            }
            if let Some(border) = l.border {
                pairs.push((format!(".{} border", l.class), border, l.fill.unwrap_or(PAPER), 3.0));
            }
        }
        for rating in 1..=5 {
            pairs.push((format!("heat map cell {rating}"), rating_ink(rating), rating_fill(rating), 4.5));
        }
        pairs.push(("chart warning label".into(), WARN_LINE, PAPER, 4.5));
        pairs.push(("chart threshold label".into(), ALERT, PAPER, 4.5));
        pairs.push(("chart series line".into(), ACCENT, PAPER, 3.0));
        pairs.push(("badge and cell borders".into(), BADGE_BORDER, PAPER, 3.0));
        let failing: Vec<String> = pairs
            .iter()
            .filter(|(_, a, b, min)| contrast(*a, *b) < *min)
            .map(|(what, a, b, min)| format!("{what}: {:.2} < {min}", contrast(*a, *b)))
            .collect();
        assert!(failing.is_empty(), "{failing:#?}");
        assert!((contrast(Colour(0), PAPER) - 21.0).abs() < 0.01, "black on white is 21:1");
    }

    #[test]
    fn rating_cells_take_their_fill_from_the_palette() {
        for rating in 1..=5 {
            let blocks = parse(&format!(
                "<table><tbody><tr><td class=\"rating-{rating}\">{rating}</td></tr></tbody></table>"
            ))
            .unwrap();
            let Block::Table { body, .. } = &blocks[0] else { panic!() };
            assert_eq!(body[0].cells[0].fill, Some(rating_fill(rating).rgb()));
        }
    }
}
