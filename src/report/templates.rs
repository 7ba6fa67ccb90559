//! The report templates: embedded in the binary, each overridable by a file
//! of the same name (`render --templates DIR`). Autoescaping is on for every
//! `.html` template; the only `safe` output is HTML we generate ourselves
//! (the `markdown` filter), so every exception is greppable.

use std::borrow::Cow;

use tera::{Kwargs, State, Tera, Value};

use super::markdown;

/// Built-in templates by name. `style.css` is copied into each page verbatim.
pub const BUILTIN: &[(&str, &str)] = &[
    ("components.html", include_str!("../../templates/components.html")),
    ("records.html", include_str!("../../templates/records.html")),
    ("safety-case.html", include_str!("../../templates/safety-case.html")),
    ("hazard-log.html", include_str!("../../templates/hazard-log.html")),
    ("dpia.html", include_str!("../../templates/dpia.html")),
    ("checklist.html", include_str!("../../templates/checklist.html")),
    ("monitoring.html", include_str!("../../templates/monitoring.html")),
    ("style.css", include_str!("../../templates/style.css")),
];

pub fn names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

/// The templates in use: built-ins with the user's overrides laid over them.
pub struct Templates {
    pub tera: Tera,
    pub css: String,
}

pub fn build(overrides: &[(String, String)]) -> Result<Templates, String> {
    let text = |name: &str| -> String {
        overrides
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .or_else(|| BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| t.to_string()))
            .unwrap_or_default()
    };
    let mut tera = Tera::new();
    tera.set_escape_fn(escape_isolated);
    // Filters must exist before templates are added (tera 2 checks at add time).
    tera.register_filter("markdown", |s: Cow<'_, str>, _: Kwargs, _: &State| {
        Value::safe_string(&markdown::to_html(&s))
    });
    tera.register_filter("num", |v: f64, _: Kwargs, _: &State| super::figures::number(v));
    // `{{ n | counted(noun="hazard") }}`: "1 hazard", "2 hazards".
    tera.register_filter("counted", |n: u64, kwargs: Kwargs, _: &State| {
        Ok::<_, tera::Error>(crate::words::count(n, kwargs.must_get::<&str>("noun")?))
    });
    let templates: Vec<(&str, String)> =
        BUILTIN.iter().filter(|(n, _)| n.ends_with(".html")).map(|(n, _)| (*n, text(n))).collect();
    tera.add_raw_templates(templates.iter().map(|(n, t)| (*n, t.as_str())))
        .map_err(|e| format!("template error: {}", describe(&e)))?;
    Ok(Templates { tera, css: text("style.css") })
}

/// HTML-escapes a value and, where it holds right-to-left letters or bidi
/// controls, isolates it (FSI … PDI, the in-band `<bdi>`, which works inside
/// attributes too) and closes any isolate it left open: user text can never
/// reorder what surrounds it, in any template, overridden ones included.
fn escape_isolated(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bidi = |c: char| {
        matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
            || matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}' | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
    };
    if !input.chars().any(bidi) {
        return tera::escape_html(input, out);
    }
    let open = input.chars().fold(0usize, |n, c| match c {
        '\u{2066}'..='\u{2068}' => n + 1,
        '\u{2069}' => n.saturating_sub(1),
        _ => n,
    });
    out.write_all("\u{2068}".as_bytes())?;
    tera::escape_html(input, out)?;
    out.write_all("\u{2069}".repeat(open + 1).as_bytes())
}

/// Tera errors nest their cause; show the whole chain (it names the template
/// and the line).
pub fn describe(e: &tera::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
