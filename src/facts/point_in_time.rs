//! `--as-of` is a point in time (SPEC §3 "Points in time"): what is dated
//! after it has not happened yet as of that day. [`counted`] is the one
//! place that decides it; [`future_dated`] lists every dated record it
//! leaves out, so each gets a located `future-dated` warning.

use crate::model::date::Date;
use crate::model::Project;
use crate::span::Span;

/// Whether something dated `date` is counted as of `as_of`: dated on or
/// before it. (An undated record has no date to hold against it: counted.)
pub fn counted(date: Date, as_of: Date) -> bool {
    date <= as_of
}

/// [`counted`] for an optional date.
pub fn counted_opt(date: Option<Date>, as_of: Date) -> bool {
    date.is_none_or(|d| counted(d, as_of))
}

/// A dated record that is not counted as of the day.
#[derive(Debug, Clone, PartialEq)]
pub struct FutureDated {
    /// The item it belongs to (`document` for approvals).
    pub subject: String,
    /// What it is, in words: "metric `MET-1`'s observation of 4.2".
    pub what: String,
    pub date: Date,
    pub span: Span,
    /// What follows for the reports, in words.
    pub effect: &'static str,
}

/// What a record dated after the day means: left out of every count.
const NOT_COUNTED: &str = "it is not counted as of that day";

/// Every dated record of `project` after `as_of`, in project order.
pub fn future_dated(p: &Project, as_of: Date) -> Vec<FutureDated> {
    let mut later = Later { as_of, out: Vec::new() };
    let mut add = |subject: &str, what: String, date: Date, span: Span| {
        later.add(subject, what, date, span, NOT_COUNTED);
    };
    for a in &p.manifest.approvals {
        if let (Some(date), Some(span)) = (a.date, a.span) {
            add("document", format!("the approval by {}", a.name), date, span);
        }
    }
    for h in &p.hazards {
        for r in &h.reviews {
            add(&h.id, format!("the review of hazard `{}`", h.id), r.date.value, r.date.span);
        }
    }
    for c in &p.controls {
        for e in &c.evidence {
            if let Some(d) = &e.date {
                add(&c.id, format!("control `{}`'s evidence `{}`", c.id, e.reference), d.value, d.span);
            }
        }
        if let Some(d) = &c.last_done {
            add(&c.id, format!("control `{}`'s `last_done`", c.id), d.value, d.span);
        }
    }
    for m in &p.metrics {
        for o in &m.observations {
            add(&m.id, format!("metric `{}`'s observation of {}", m.id, o.value), o.date, o.span);
        }
    }
    for a in &p.actions {
        if let Some(d) = &a.done_on {
            add(&a.id, format!("action `{}`'s `done_on`", a.id), d.value, d.span);
        }
        if let Some(d) = &a.last_done {
            add(&a.id, format!("action `{}`'s `last_done`", a.id), d.value, d.span);
        }
    }
    for i in &p.incidents {
        add(&i.id, format!("incident `{}`", i.id), i.date.value, i.date.span);
    }
    // A hazard raised or closed after the day is still listed as raised or closed: the
    // date is the fact in doubt, so the warning says what the log shows.
    for h in &p.hazards {
        let dates = [
            (
                &h.record.raised_on,
                "raised_on",
                "the log lists it though as of that day it was not yet raised",
            ),
            (&h.record.closed_on, "closed_on", "the log shows it closed though as of that day it was not"),
        ];
        for (date, key, effect) in dates {
            if let Some(d) = date {
                later.add(&h.id, format!("hazard `{}`'s `{key}`", h.id), d.value, d.span, effect);
            }
        }
    }
    document_dates(p, &mut later);
    later.out
}

/// Collects the records dated after the day.
struct Later {
    as_of: Date,
    out: Vec<FutureDated>,
}

impl Later {
    fn add(&mut self, subject: &str, what: String, date: Date, span: Span, effect: &'static str) {
        if !counted(date, self.as_of) {
            self.out.push(FutureDated { subject: subject.to_string(), what, date, span, effect });
        }
    }
}

/// The documents' own dates (the manifest's, the manufacturer's report's, the DPIA's
/// sign-off lines): still printed as they stand, so the warning says what the
/// document shows that, as of the day, had not happened.
fn document_dates(p: &Project, later: &mut Later) {
    let m = &p.manifest;
    if let Some(d) = &m.document.date {
        let effect = "the report carries a date that, as of that day, had not come";
        later.add("document", "the document's `date`".into(), d.value, d.span, effect);
    }
    for h in &m.document.history {
        if let Some(d) = &h.date {
            let what = format!("version {} in `document.history`", h.version);
            let effect = "the version table lists it though as of that day it was not yet made";
            later.add("document", what, d.value, d.span, effect);
        }
    }
    if let Some(mf) = &m.manufacturer {
        let rows = [
            (&mf.date, "date", "the case cites it though as of that day it was not yet issued"),
            (&mf.reviewed_on, "reviewed_on", "the case shows it reviewed though as of that day it was not"),
        ];
        for (date, key, effect) in rows {
            if let Some(d) = date {
                let what = format!("the manufacturer's report `{}`'s `{key}`", mf.reference);
                later.add("document", what, d.value, d.span, effect);
            }
        }
    }
    if let Some(o) = p.dpia.as_ref().and_then(|d| d.outcomes.as_ref()) {
        for (key, line) in o.lines() {
            if let Some(date) = line.date {
                let what = format!("the DPIA's `{key}` line signed by {}", line.name);
                let effect = "the DPIA shows it signed though as of that day it was not";
                later.add("dpia", what, date, line.span, effect);
            }
        }
    }
}
