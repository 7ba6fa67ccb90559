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
    // `{{ text | markdown(level=2) }}` for a field directly under an h2 (default: an h3):
    // the field's own headings nest below it without skipping a level.
    tera.register_filter("markdown", |s: Cow<'_, str>, kwargs: Kwargs, _: &State| {
        let level = kwargs.get::<u8>("level")?.unwrap_or(3);
        Ok::<_, tera::Error>(Value::safe_string(&markdown::to_html_under(&s, level)))
    });
    // `{{ h.id | anchor(kind="hazard") }}`: the item's anchor (`hazard-HAZ-1`, see
    // `report::anchor`); without `kind`, the id encoded as an anchor or figure name takes it.
    tera.register_filter("anchor", |id: Cow<'_, str>, kwargs: Kwargs, _: &State| {
        let Some(kind) = kwargs.get::<&str>("kind")? else { return Ok(super::anchor::encode(&id)) };
        let kind = super::anchor::kind_named(kind).ok_or_else(|| {
            tera::Error::message(format!(
                "anchor: unknown kind `{kind}` (expected hazard, control, metric, action, dpia-risk or incident)"
            ))
        })?;
        Ok::<_, tera::Error>(super::anchor::anchor(kind, &id))
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

/// HTML-escapes a value, isolated where it holds right-to-left letters or
/// bidi controls (`html::isolate`): user text can never reorder what
/// surrounds it, in any template, overridden ones included.
fn escape_isolated(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_html(&super::html::isolate(input), out)
}

/// `tera::escape_html`'s escaping (`&`, `<`, `>`, `"` and `'`), written a run of
/// plain text at a time rather than a byte at a time.
fn escape_html(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut from = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[from..i])?;
        out.write_all(entity)?;
        from = i + 1;
    }
    out.write_all(&bytes[from..])
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    fn escaped(f: fn(&str, &mut dyn std::io::Write) -> std::io::Result<()>, text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        f(text, &mut out).expect("a Vec takes every write");
        out
    }

    proptest! {
        /// The run-at-a-time escaper writes exactly what tera's own does.
        #[test]
        fn escape_html_is_teras(text in "[a-z&<>\"' \u{e9}\u{5d0}]{0,40}") {
            prop_assert_eq!(escaped(super::escape_html, &text), escaped(tera::escape_html, &text));
        }
    }
}
