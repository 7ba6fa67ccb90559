//! The changes in words: `diff`'s human and Markdown formats, and the lines
//! the reports' "Changes since" section shows (one wording for all three).

use std::fmt::Write;

use super::{Changes, FindingOut, ItemChange, Kind, Pair, RiskOut};

/// One word for what happened to an item.
pub fn label(c: &ItemChange) -> &'static str {
    match c.change {
        Kind::Added => "added",
        Kind::Removed => "removed",
        Kind::Changed if c.withdrawn() => "withdrawn",
        Kind::Changed if c.re_rated() => "re-rated",
        Kind::Changed => "changed",
    }
}

/// What changed, one phrase each: status, ratings, evidence, links, fields.
pub fn details(c: &ItemChange) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(note) = c.removed_note {
        out.push(note.to_string());
    }
    if let Some(s) = &c.status {
        out.push(format!("status {} → {}", s.old, s.new));
    }
    if let Some(reason) = &c.withdrawn_reason {
        out.push(format!("reason: {reason}"));
    }
    for (name, pair) in [("initial", &c.initial), ("residual", &c.residual)] {
        match pair {
            Some(Pair { new, .. }) if c.change == Kind::Added => {
                out.push(format!("{name} {}", risk(new.as_ref())))
            }
            Some(Pair { old, new }) => {
                out.push(format!("{name} {} → {}", risk(old.as_ref()), risk(new.as_ref())))
            }
            None => {}
        }
    }
    for (name, delta) in [("evidence", &c.evidence), ("links", &c.links), ("observations", &c.observations)] {
        if let Some(d) = delta {
            if !d.added.is_empty() {
                out.push(format!("{name} added: {}", d.added.join(", ")));
            }
            if !d.removed.is_empty() {
                out.push(format!("{name} removed: {}", d.removed.join(", ")));
            }
        }
    }
    if !c.fields.is_empty() {
        out.push(format!("changed: {}", c.fields.join(", ")));
    }
    out
}

/// "3 (major severity, medium likelihood)", "not rated (major severity,
/// likelihood not stated)", "none": in words, never as a product (the rating
/// is the matrix cell).
fn risk(r: Option<&RiskOut>) -> String {
    let Some(r) = r else { return "none".to_string() };
    let rating = r.rating.map_or("not rated".to_string(), |n| n.to_string());
    let severity = r.severity.map_or("severity not stated".to_string(), |s| format!("{s} severity"));
    let likelihood = r
        .likelihood
        .map_or("likelihood not stated".to_string(), |l| format!("{} likelihood", l.replace('-', " ")));
    format!("{rating} ({severity}, {likelihood})")
}

/// "version 1.0 (issued)" of a side, for headings.
fn side(s: &super::Side) -> String {
    format!("{} version {} ({})", s.document, s.version, s.status)
}

/// One line of counts; "no changes" when nothing changed.
pub fn summary(c: &Changes) -> String {
    let s = &c.summary;
    let parts: Vec<String> = [
        (s.hazards_added, "hazard added", "hazards added"),
        (s.hazards_withdrawn, "hazard withdrawn", "hazards withdrawn"),
        (s.hazards_removed, "hazard removed", "hazards removed"),
        (s.hazards_re_rated, "hazard re-rated", "hazards re-rated"),
        (s.hazards_changed, "hazard changed", "hazards changed"),
        (s.controls_added, "control added", "controls added"),
        (s.controls_removed, "control removed", "controls removed"),
        (s.controls_changed, "control changed", "controls changed"),
        (s.metrics_changed, "metric changed", "metrics changed"),
        (s.incidents_changed, "incident changed", "incidents changed"),
        (s.findings_new, "finding new", "findings new"),
        (s.findings_gone, "finding gone", "findings gone"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    let other = (!c.other_changed.is_empty()).then(|| format!("changed: {}", c.other_changed.join(", ")));
    match (parts.is_empty(), other) {
        (true, None) => "no changes".to_string(),
        (true, Some(other)) => other,
        (false, Some(other)) => format!("{}; {other}", parts.join(", ")),
        (false, None) => parts.join(", "),
    }
}

fn place(f: &FindingOut) -> String {
    match (&f.file, f.line) {
        (Some(file), Some(line)) => format!(" ({file}:{line})"),
        _ => String::new(),
    }
}

/// The item lists that are not empty, with their headings.
fn item_groups(c: &Changes) -> impl Iterator<Item = (&'static str, &Vec<ItemChange>)> {
    [("Hazards", &c.hazards), ("Controls", &c.controls), ("Metrics", &c.metrics), ("Incidents", &c.incidents)]
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
}

/// The finding lists that are not empty, with their headings.
fn finding_groups(c: &Changes) -> impl Iterator<Item = (&'static str, &Vec<FindingOut>)> {
    [
        ("Raised by the comparison", &c.findings),
        ("Findings new since then", &c.findings_new),
        ("Findings gone since then (places in the old side)", &c.findings_gone),
    ]
    .into_iter()
    .filter(|(_, list)| !list.is_empty())
}

/// The human format (stdout).
pub fn human(c: &Changes) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Changes since {}", c.since);
    let _ = writeln!(out, "  then: {}, content {}", side(&c.old), c.old.content_digest);
    let _ = writeln!(out, "  now:  {}, content {}", side(&c.new), c.new.content_digest);
    for (heading, list) in item_groups(c) {
        let _ = writeln!(out, "\n{heading}");
        for item in list {
            let _ = write!(out, "  {:<10} {} {}", label(item), item.id, item.title);
            let d = details(item);
            if !d.is_empty() {
                let _ = write!(out, ": {}", d.join("; "));
            }
            out.push('\n');
        }
    }
    for (heading, list) in finding_groups(c) {
        let _ = writeln!(out, "\n{heading}");
        for f in list {
            let _ = writeln!(out, "  {}[{}] {}: {}{}", f.level, f.rule, f.subject, f.message, place(f));
        }
    }
    let _ = writeln!(out, "\n{}", summary(c));
    out
}

/// Markdown for a merge request comment or a change note: user text is
/// escaped so a title cannot break the table or inject a link.
pub fn markdown(c: &Changes) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Changes since {}\n", md(&c.since));
    let _ = writeln!(out, "- then: {}, content `{}`", md(&side(&c.old)), c.old.content_digest);
    let _ = writeln!(out, "- now: {}, content `{}`", md(&side(&c.new)), c.new.content_digest);
    let _ = writeln!(out, "- {}", summary(c));
    for (heading, list) in item_groups(c) {
        let _ = writeln!(out, "\n### {heading}\n\n| Id | Title | Change | Details |\n|---|---|---|---|");
        for item in list {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&item.id),
                md(&item.title),
                label(item),
                md(&details(item).join("; "))
            );
        }
    }
    for (heading, list) in finding_groups(c) {
        let _ = writeln!(out, "\n### {heading}\n\n| Level | Rule | Subject | Message |\n|---|---|---|---|");
        for f in list {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {}{} |",
                f.level,
                f.rule,
                md(&f.subject),
                md(&f.message),
                md(&place(f))
            );
        }
    }
    out
}

/// Escapes Markdown's punctuation and folds line breaks, for one table cell.
/// An `@` is followed by a zero-width space entity, as Renovate does, so a title
/// naming `@org/team` does not notify the team when the table is posted to a pull request.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\n' | '\r' => out.push(' '),
            '@' => out.push_str("@&#8203;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}
