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
    // The user's own components apply everywhere, also where a built-in template writes one inline.
    let own_components = overrides.iter().any(|(n, _)| n == "components.html");
    let templates: Vec<(&str, String)> = BUILTIN
        .iter()
        .filter(|(n, _)| n.ends_with(".html"))
        .map(|(n, _)| match own_components {
            true => (*n, call_inlined_components(&text(n))),
            false => (*n, text(n)),
        })
        .collect();
    tera.add_raw_templates(templates.iter().map(|(n, t)| (*n, t.as_str())))
        .map_err(|e| format!("template error: {}", describe(&e)))?;
    Ok(Templates { tera, css: text("style.css") })
}

/// Where a built-in template writes a component's markup inline (in the loops
/// over every hazard and control, where calling components was a tenth of a
/// render's CPU: tera builds a context of hash maps for each call), it marks
/// the place `{# inline <rating r={h.initial} /> #}…{# /inline #}`. This puts
/// the call back in its place, for when the components are the user's own; a
/// test checks that with the built-in components both give the same pages.
fn call_inlined_components(template: &str) -> String {
    const OPEN: &str = "{# inline ";
    const CLOSE: &str = "{# /inline #}";
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(OPEN) {
        let call_and_after = &rest[at + OPEN.len()..];
        let (Some(call_end), Some(close)) = (call_and_after.find(" #}"), call_and_after.find(CLOSE)) else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push_str("{{ ");
        out.push_str(&call_and_after[..call_end]);
        out.push_str(" }}");
        rest = &call_and_after[close + CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

/// HTML-escapes a value, isolated where it holds right-to-left letters or
/// bidi controls (`html::isolate`): user text can never reorder what
/// surrounds it, in any template, overridden ones included.
fn escape_isolated(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_html(&super::html::isolate(input), out)
}

/// `tera::escape_html`'s escaping (`&`, `<`, `>`, `"` and `'`), written a run of
/// plain text at a time rather than a byte at a time. Control characters are
/// written as [`crate::excerpt::control_shown`] shows them: the page stays valid
/// and the reader sees that something was there.
fn escape_html(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut from = 0;
    let mut picture = [0u8; 4];
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            b'\t' | b'\n' | b'\r' => continue,
            0..=0x1F | 0x7F => crate::excerpt::control_shown(char::from(*b))
                .unwrap_or('\u{FFFD}')
                .encode_utf8(&mut picture)
                .as_bytes(),
            // A C1 control (U+0080–U+009F) is 0xC2 then 0x80–0x9F in UTF-8.
            0x80..=0x9F if i > 0 && bytes[i - 1] == 0xC2 => {
                out.write_all(&bytes[from..i - 1])?;
                out.write_all("\u{FFFD}".as_bytes())?;
                from = i + 1;
                continue;
            }
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
    // tera starts its report with `error: `, which our own prefix already says.
    let shown = e.to_string();
    let mut out = shown.strip_prefix("error: ").map_or_else(|| shown.clone(), str::to_string);
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

    /// Every inline mark in the built-in templates is put back as a call, and
    /// with the built-in components the example's pages are the same either way
    /// (the pipeline's fuzz test checks the same over generated projects).
    #[test]
    fn inlined_components_write_what_the_calls_write() {
        for (name, text) in super::BUILTIN {
            let calls = super::call_inlined_components(text);
            assert!(!calls.contains("{# inline") && !calls.contains("{# /inline"), "{name}");
            assert_eq!(
                calls.matches("{{ <").count(),
                text.matches("{{ <").count() + text.matches("{# inline ").count()
            );
        }
        assert!(super::BUILTIN.iter().any(|(_, t)| t.contains("{# inline <rating")), "the marks are in use");
        use crate::model::date::{Date, Month};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
        let as_of = Date::parse("2026-11-25").unwrap();
        let analysis = crate::analyse(&root, as_of).expect("the example loads");
        let own: Vec<(String, String)> = super::BUILTIN
            .iter()
            .filter(|(name, _)| *name == "components.html")
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        let render = |overrides: &[(String, String)]| {
            crate::report::render(&analysis, Month::last_complete_before(as_of), overrides, true, false)
                .expect("renders")
                .files
        };
        let (inline, calls) = (render(&[]), render(&own));
        assert_eq!(inline.len(), calls.len());
        for ((name, a), (_, b)) in inline.iter().zip(&calls) {
            assert!(a == b, "{name} differs");
        }
        // Each branch of the inlined components, which the example does not all reach.
        let mut raw = crate::load::RawProject::default();
        let manifest = format!("{}go_live_conditions: [CTL-1]\n", crate::testutil::MANIFEST);
        crate::load::load_text(&mut raw, "clinsafe.yaml", manifest, true);
        crate::load::load_text(&mut raw, "x.yaml", EDGES.to_string(), false);
        let project = crate::load::build(raw).unwrap_or_else(|f| panic!("{:?}", f.errors));
        let graph = crate::graph::build(&project);
        let facts = crate::facts::evaluate(&project, as_of);
        let findings = crate::check::run(&project, &graph, &facts);
        let analysis = crate::Analysis { project, graph, facts, findings };
        let render = |overrides: &[(String, String)]| {
            crate::report::render(&analysis, Month::last_complete_before(as_of), overrides, true, false)
                .expect("renders")
                .files
        };
        let (inline, calls) = (render(&[]), render(&own));
        for ((name, a), (_, b)) in inline.iter().zip(&calls) {
            assert!(a == b, "{name} differs");
        }
        let page = |name: &str| {
            let (_, bytes) = inline.iter().find(|(n, _)| n == name).expect("rendered");
            String::from_utf8_lossy(bytes).into_owned()
        };
        for (name, shown) in [
            ("hazard-log.html", "not assessed"),
            ("hazard-log.html", "not rated"),
            ("hazard-log.html", "expired"),
            ("hazard-log.html", "not counted"),
            ("hazard-log.html", "none recorded"),
            ("hazard-log.html", "not stated"),
            ("hazard-log.html", "safety-case.html#metric-MET-1"),
            ("safety-case.html", "go-live\u{a0}condition"),
            ("safety-case.html", "not assessed"),
            ("safety-case.html", "dpia.html#"),
        ] {
            assert!(page(name).contains(shown), "{name} shows no {shown}");
        }
    }

    /// Hazards and controls that reach every branch of the inlined components.
    const EDGES: &str = "hazards:
  - { id: HAZ-1, title: Unassessed, controls: [CTL-1, CTL-2] }
  - id: HAZ-2
    title: Partly rated
    initial_risk: { severity: major }
    residual_risk: { severity: minor, likelihood: low }
    controls: [CTL-1]
    related: [HAZ-1]
    owner: Someone
controls:
  - id: CTL-1
    title: Planned one
    type: training
    status: planned
    mitigates: [DPR-1]
    evidence:
      - { ref: OLD, date: 2025-01-01, valid_until: 2026-01-01 }
      - { ref: LATER, date: 2027-01-01 }
    monitored_by: [MET-1]
  - { id: CTL-2, title: Bare, type: design, status: verified }
metrics:
  - { id: MET-1, title: Calls, better: lower, threshold: 5, observations: [ { date: 2026-10-01, value: 1 } ] }
dpia:
  title: D
  risks:
    - { id: DPR-1, title: Leak }
";

    proptest! {
        /// The run-at-a-time escaper writes exactly what tera's own does.
        #[test]
        fn escape_html_is_teras(text in "[a-z&<>\"' \u{e9}\u{5d0}]{0,40}") {
            prop_assert_eq!(escaped(super::escape_html, &text), escaped(tera::escape_html, &text));
        }
    }
}
