//! rustc-style diagnostics for people: rule, level, message, `file:line:col`
//! and the offending line, via annotate-snippets.

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Origin, Renderer, Snippet};

use super::{Counts, Finding, Level};
use crate::model::RuleChange;
use crate::span::Sources;

/// Renders every finding, then a summary line.
pub fn render(findings: &[Finding], sources: &Sources, counts: Counts, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    // A file's name may hold control characters (a committed `a\e[2Jb.yaml`): shown, never
    // sent to the terminal (messages and quoted lines are shown so by annotate-snippets).
    let names: Vec<std::borrow::Cow<str>> =
        sources.iter().map(|s| crate::excerpt::visible(&s.name)).collect();
    let mut out = String::new();
    for f in findings {
        out.push_str(&renderer.render(&[group(f, sources, &names)]));
        out.push_str("\n\n");
    }
    out.push_str(&summary(counts));
    out.push('\n');
    out
}

pub fn summary(counts: Counts) -> String {
    use crate::words::count;
    format!("{}, {}", count(counts.errors as u64, "error"), count(counts.warnings as u64, "warning"))
}

/// One line naming the rules `rules:` switches off or lowers, so a clean
/// summary is never read as "nothing wrong by the defaults".
pub fn rules_weakened(changes: &[RuleChange]) -> Option<String> {
    let weakened: Vec<String> = changes
        .iter()
        .filter(|c| c.weakens())
        .map(|c| format!("{} {} (default {})", c.rule, c.setting.as_str(), c.default.as_str()))
        .collect();
    (!weakened.is_empty())
        .then(|| format!("rules switched off or lowered in clinsafe.yaml: {}", weakened.join(", ")))
}

fn group<'a>(f: &'a Finding, sources: &'a Sources, names: &'a [std::borrow::Cow<str>]) -> Group<'a> {
    let level = match f.level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(f.message.as_str()).id(f.rule));
    if let Some(span) = f.span {
        let file = sources.get(span.file);
        let name = names[span.file.0 as usize].as_ref();
        let text = file.text.as_str();
        // Quote only the offending line: fast on huge files, and enough context.
        let start = (span.offset as usize).min(text.len());
        let start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        // A CRLF file's line ends in '\r', which would show as a stray '␍'.
        let line = text[start..end].strip_suffix('\r').unwrap_or(&text[start..end]);
        if line.trim().is_empty() {
            group =
                group.element(Origin::path(name).line(span.line as usize).char_column(span.column as usize));
        } else {
            let from = floor_char(line, (span.offset as usize).saturating_sub(start));
            let to = ceil_char(line, from + (span.len as usize).max(1));
            group = group.element(
                Snippet::source(line)
                    .line_start(span.line as usize)
                    .path(name)
                    .annotation(AnnotationKind::Primary.span(from..to)),
            );
        }
    }
    for note in &f.notes {
        group = group.element(SnippetLevel::NOTE.message(note.as_str()));
    }
    group
}

/// The nearest char boundary at or before `i` (spans come from byte offsets
/// that may not match lossily decoded text).
fn floor_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The nearest char boundary at or after `i`.
fn ceil_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
