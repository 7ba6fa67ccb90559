//! Step 5: the project as YAML text. Written by hand so each item can carry
//! a comment saying where in the sheet it came from; every string is
//! double-quoted with YAML escapes, so any cell text reads back unchanged
//! (a property test holds this).

use std::fmt::Write;

use super::records::{EvidenceOut, IncidentOut, Records, ReviewOut};
use super::{values, ControlOut, HazardOut, Imported, RiskOut};
use crate::model::status::DocumentStatus;

/// A YAML double-quoted scalar for any text.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // YAML's printable set, less the characters some parsers read as line breaks.
            ' '..='~'
            | '\u{A0}'..='\u{2027}'
            | '\u{202A}'..='\u{D7FF}'
            | '\u{E000}'..='\u{FEFE}'
            | '\u{FF00}'..='\u{FFFD}' => out.push(c),
            c if (c as u32) >= 0x10000 => out.push(c),
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Text for a `#` comment: one line, whatever the file or sheet is called.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') { ' ' } else { c })
        .collect()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// "rows 5–7, 9": the sheet rows an item came from.
pub fn rows_text(rows: &[u32]) -> String {
    let mut sorted = rows.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[j] + 1 {
            j += 1;
        }
        parts.push(if i == j { sorted[i].to_string() } else { format!("{}-{}", sorted[i], sorted[j]) });
        i = j + 1;
    }
    format!("{} {}", if sorted.len() == 1 { "row" } else { "rows" }, parts.join(", "))
}

fn opt(out: &mut String, indent: &str, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        let _ = writeln!(out, "{indent}{key}: {}", quote(v));
    }
}

fn lines(out: &mut String, indent: &str, key: &str, items: &[String]) {
    if !items.is_empty() {
        let _ = writeln!(out, "{indent}{key}:");
        for i in items {
            let _ = writeln!(out, "{indent}  - {}", quote(i));
        }
    }
}

pub fn manifest(p: &Imported, place: &dyn Fn(usize) -> String) -> String {
    let place = |i| one_line(&place(i));
    let m = &p.manifest;
    let mut out = String::new();
    let _ = writeln!(out, "# Imported by `clinsafe import` from {}.", place(p.sheet));
    if let Some(c) = m.cover_sheet {
        let _ = writeln!(out, "# The document details come from {}.", place(c));
    }
    out.push_str("clinsafe: 1\nsystem:\n");
    let _ = writeln!(out, "  name: {}", quote(&m.system_name));
    opt(&mut out, "  ", "version", &m.system_version);
    opt(&mut out, "  ", "supplier", &m.supplier);
    if let Some(o) = &m.organisation {
        let _ = writeln!(out, "organisation:\n  name: {}", quote(o));
        opt(&mut out, "  ", "ods_code", &m.ods_code);
    } else if let Some(ods) = &m.ods_code {
        let _ = writeln!(out, "# ODS code without an organisation name: {}", quote(ods));
    }
    out.push_str("document:\n");
    let _ = writeln!(out, "  id: {}\n  version: {}", quote(&m.document_id), quote(&m.document_version));
    // draft is the default: stated only when issued.
    if m.status == Some(DocumentStatus::Issued) {
        out.push_str("  status: issued\n");
    }
    if let Some(d) = m.date {
        let _ = writeln!(out, "  date: {d}");
    }
    if let Some(d) = m.review_by {
        let _ = writeln!(out, "  review_by: {d}");
    }
    opt(&mut out, "  ", "owner", &m.owner);
    if !m.authors.is_empty() {
        let _ = writeln!(out, "  authors: {}", list(&m.authors));
    }
    if !m.history.is_empty() {
        out.push_str("  history:\n");
        if let Some(h) = m.history_sheet {
            let _ = writeln!(out, "    # from {}", place(h));
        }
        for h in &m.history {
            let _ = writeln!(out, "    - version: {}", quote(&h.version));
            if let Some(d) = h.date {
                let _ = writeln!(out, "      date: {d}");
            }
            opt(&mut out, "      ", "author", &h.author);
            opt(&mut out, "      ", "summary", &h.summary);
        }
    }
    lines(&mut out, "  ", "notes", &m.notes);
    if let Some(cso) = &m.cso {
        let _ = writeln!(out, "clinical_safety_officer:\n  name: {}", quote(cso));
    }
    if let Some(r) = &m.manufacturer {
        out.push_str(
            "manufacturer:                     # the supplier's DCB0129 clinical safety case report\n",
        );
        // Each value as the cover gives it, else what the user is to write.
        let mut line = |key: &str, value: Option<String>, todo: &str| match value {
            Some(v) => {
                let _ = writeln!(out, "  {key}: {v}");
            }
            None => out.push_str(todo),
        };
        line(
            "ref",
            r.reference.as_deref().map(quote),
            "  ref: \"<the manufacturer's report id>\"  # TODO: its document id, e.g. PM-CSCR-4.2\n",
        );
        line(
            "version",
            r.version.as_deref().map(quote),
            "  # version: \"<version>\"            # TODO: the version relied on\n",
        );
        line("date", r.date.map(|d| d.to_string()), "  # date: 2026-01-31                # TODO: its date\n");
        // Who reviewed it, when: written when the cover gives them (clinsafe's export does).
        if let Some(by) = &r.reviewed_by {
            let _ = writeln!(out, "  reviewed_by: {}", quote(by));
        }
        if let Some(on) = r.reviewed_on {
            let _ = writeln!(out, "  reviewed_on: {on}");
        }
    }
    out
}

fn risk(out: &mut String, indent: &str, key: &str, r: &Option<RiskOut>) {
    if let Some(r) = r {
        let s = r.severity.map_or("TBC", |s| s.as_str());
        let l = r.likelihood.map_or("TBC", |l| l.as_str());
        let _ = writeln!(out, "{indent}{key}: {{ severity: {s}, likelihood: {l} }}");
    }
}

/// A hazard's reviews from the `Reviews` sheet, oldest first.
fn reviews(out: &mut String, hazard: &str, all: &[ReviewOut], place: &str) {
    let mut mine: Vec<&ReviewOut> = all.iter().filter(|r| r.hazard == hazard).collect();
    if mine.is_empty() {
        return;
    }
    mine.sort_by_key(|r| r.date);
    out.push_str("    reviews:\n");
    for r in mine {
        let _ = writeln!(out, "      - date: {}  # {place}, {}", r.date, rows_text(&[r.row]));
        opt(out, "        ", "by", &r.by);
        opt(out, "        ", "outcome", &r.outcome);
        risk(out, "        ", "initial", &r.initial);
        risk(out, "        ", "residual", &r.residual);
    }
}

pub fn hazards(
    hazards: &[HazardOut],
    records: &Records,
    place: &dyn Fn(usize) -> String,
    sheet: usize,
) -> String {
    let reviews_place = records.review_sheet.map(|i| one_line(&place(i))).unwrap_or_default();
    let place = place(sheet);
    let place = one_line(&place);
    let mut out = String::from("hazards:\n");
    for h in hazards {
        let _ = writeln!(out, "  # {place}, {}", rows_text(&h.rows));
        let _ = writeln!(out, "  - id: {}\n    title: {}", quote(&h.id), quote(&h.title));
        opt(&mut out, "    ", "description", &h.description);
        opt(&mut out, "    ", "harm", &h.harm);
        lines(&mut out, "    ", "effects", &h.effects);
        if !h.causes.is_empty() {
            out.push_str("    causes:\n");
            for c in &h.causes {
                if c.plain {
                    let _ = writeln!(out, "      - {}  # {}", quote(&c.text), rows_text(&[c.row]));
                    continue;
                }
                let _ = writeln!(out, "      - id: {}  # {}", quote(&c.id), rows_text(&[c.row]));
                let _ = writeln!(out, "        text: {}", quote(&c.text));
                if !c.controls.is_empty() {
                    let _ = writeln!(out, "        controls: {}", list(&c.controls));
                }
            }
        }
        if !h.controls.is_empty() {
            let _ = writeln!(out, "    controls: {}", list(&h.controls));
        }
        risk(&mut out, "    ", "initial_risk", &h.initial);
        risk(&mut out, "    ", "residual_risk", &h.residual);
        opt(&mut out, "    ", "justification", &h.justification);
        opt(&mut out, "    ", "owner", &h.owner);
        if let Some(s) = h.status {
            let _ = writeln!(out, "    status: {}", s.as_str());
        }
        opt(&mut out, "    ", "transferred_to", &h.transferred_to);
        opt(&mut out, "    ", "withdrawn_reason", &h.withdrawn_reason);
        opt(&mut out, "    ", "category", &h.category);
        lines(&mut out, "    ", "tags", &h.tags);
        if !h.related.is_empty() {
            let _ = writeln!(out, "    related: {}", list(&h.related));
        }
        opt(&mut out, "    ", "source", &h.source);
        for (key, date) in
            [("raised_on", h.raised_on), ("closed_on", h.closed_on), ("review_by", h.review_by)]
        {
            if let Some(d) = date {
                let _ = writeln!(out, "    {key}: {d}");
            }
        }
        opt(&mut out, "    ", "raised_by", &h.raised_by);
        opt(&mut out, "    ", "closed_by", &h.closed_by);
        opt(&mut out, "    ", "review_every", &h.review_every);
        lines(&mut out, "    ", "references", &h.references);
        lines(&mut out, "    ", "notes", &h.notes);
        reviews(&mut out, &h.id, &records.reviews, &reviews_place);
    }
    out
}

/// `incidents.yaml`: the `Incidents` sheet, in its order.
pub fn incidents(incidents: &[IncidentOut], place: &str) -> String {
    let place = one_line(place);
    let mut out = String::from("incidents:\n");
    for i in incidents {
        let _ = writeln!(out, "  # {place}, {}", rows_text(&[i.row]));
        for unread in &i.unread {
            let _ = writeln!(out, "  # not read: {}", one_line(unread));
        }
        let _ =
            writeln!(out, "  - id: {}\n    date: {}\n    title: {}", quote(&i.id), i.date, quote(&i.title));
        opt(&mut out, "    ", "reference", &i.reference);
        if let Some(h) = i.harm {
            let _ = writeln!(out, "    harm: {}", h.as_str());
        }
        if !i.hazards.is_empty() {
            let _ = writeln!(out, "    hazards: {}", list(&i.hazards));
        }
        if !i.controls.is_empty() {
            let _ = writeln!(out, "    controls: {}", list(&i.controls));
        }
        if let Some(s) = i.status {
            let _ = writeln!(out, "    status: {}", s.as_str());
        }
        opt(&mut out, "    ", "learning", &i.learning);
    }
    out
}

pub fn controls(
    controls: &[ControlOut],
    records: &Records,
    place: &dyn Fn(usize) -> String,
    sheet: usize,
) -> String {
    let evidence_place = records.evidence_sheet.map(|i| one_line(&place(i))).unwrap_or_default();
    let place = one_line(&place(sheet));
    let mut out = String::from("controls:\n");
    for c in controls {
        let _ = writeln!(out, "  # {place}, {}", rows_text(&c.rows));
        let _ = writeln!(out, "  - id: {}\n    title: {}", quote(&c.id), quote(&c.title));
        let _ = writeln!(out, "    type: {}", values::control_type_name(c.control_type));
        let _ = writeln!(out, "    status: {}", c.status.as_str());
        opt(&mut out, "    ", "owner", &c.owner);
        opt(&mut out, "    ", "description", &c.description);
        for (key, date) in [("due", c.due), ("last_done", c.last_done)] {
            if let Some(d) = date {
                let _ = writeln!(out, "    {key}: {d}");
            }
        }
        opt(&mut out, "    ", "every", &c.every);
        opt(&mut out, "    ", "transferred_from", &c.transferred_from);
        lines(&mut out, "    ", "references", &c.references);
        lines(&mut out, "    ", "notes", &c.notes);
        evidence(&mut out, &c.id, &records.evidence, &evidence_place);
    }
    out
}

/// A control's evidence from the `Evidence` sheet, in the sheet's order.
fn evidence(out: &mut String, control: &str, all: &[EvidenceOut], place: &str) {
    let mut mine = all.iter().filter(|e| e.control == control).peekable();
    if mine.peek().is_none() {
        return;
    }
    out.push_str("    evidence:\n");
    for e in mine {
        let _ = writeln!(out, "      - ref: {}  # {place}, {}", quote(&e.reference), rows_text(&[e.row]));
        if let Some(d) = e.date {
            let _ = writeln!(out, "        date: {d}");
        }
        if let Some(d) = e.valid_until {
            let _ = writeln!(out, "        valid_until: {d}");
        }
        opt(out, "        ", "description", &e.description);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use proptest::prelude::*;

    use super::*;
    use crate::load::node::parse;
    use crate::span::FileId;

    /// Reads `title: <quoted>` back through the loader's own parser and deserializer.
    fn read_back(text: &str) -> String {
        #[derive(serde::Deserialize)]
        struct T {
            title: String,
        }
        let yaml = format!("# {}\ntitle: {}\n", "comment", quote(text));
        let node = parse(&yaml, FileId(0)).expect("parses").expect("a document");
        let notes = RefCell::new(Vec::new());
        crate::load::de::from_node::<T>(&node, &notes).expect("deserializes").title
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn any_cell_text_reads_back_unchanged(text in any::<String>()) {
            prop_assert_eq!(read_back(&text), text);
        }

        #[test]
        fn text_made_of_yaml_punctuation_reads_back(text in "[-:#{}\\[\\],&*!|>'\"%@` \t\n\r\u{85}\u{2028}\u{feff}a0-9]{0,40}") {
            prop_assert_eq!(read_back(&text), text);
        }
    }

    #[test]
    fn rows_are_shown_as_ranges() {
        assert_eq!(rows_text(&[5, 6, 7, 9]), "rows 5-7, 9");
        assert_eq!(rows_text(&[12]), "row 12");
    }
}
