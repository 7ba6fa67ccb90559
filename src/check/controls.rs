//! Rules about controls and actions: evidence, orphans, monitoring, and dates
//! on the action checklist.

use std::collections::BTreeMap;

use super::{finding, list, Context};
use crate::check::Finding;
use crate::model::date::{Date, Period};
use crate::model::status::{ActionStatus, ControlStatus};
use crate::rules;
use crate::span::Located;
use crate::span::Span;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    for c in &cx.project.controls {
        if c.status == ControlStatus::Verified && c.evidence.is_empty() {
            out.push(
                finding(&rules::UNVERIFIED_EVIDENCE, &c.id, format!("control `{}` is marked verified but lists no evidence", c.id), c.status_span)
                    .with_note("add `evidence: [{ ref: ..., date: ... }]`, or set `status: implemented` until it is verified"),
            );
        }
        if cx.graph.hazards_of_control(&c.id).is_empty() && cx.graph.dpia_risks_of_control(&c.id).is_empty() {
            out.push(finding(
                &rules::ORPHAN_CONTROL,
                &c.id,
                format!("control `{}` mitigates no hazard or DPIA risk", c.id),
                c.id_span,
            ));
        }
        if c.status == ControlStatus::Planned {
            if let Some(due) = &c.due {
                overdue_due(cx, &c.id, "planned control", due, out);
            }
        }
        recurrence(cx, &c.id, "control", c.every.as_ref(), c.last_done.as_ref(), c.id_span, out);
    }
    for a in &cx.project.actions {
        if a.status == ActionStatus::Open {
            if let Some(due) = &a.due {
                overdue_due(cx, &a.id, "action", due, out);
            }
        }
        recurrence(cx, &a.id, "action", a.every.as_ref(), a.last_done.as_ref(), a.id_span, out);
    }
    unmonitored(cx, out);
}

fn overdue_due(cx: &Context, id: &str, what: &str, due: &Located<Date>, out: &mut Vec<Finding>) {
    if due.value < cx.as_of {
        let days = due.value.days_until(cx.as_of);
        out.push(finding(
            &rules::ACTION_OVERDUE,
            id,
            format!(
                "{what} `{id}` was due on {} ({} overdue as of {})",
                due.value,
                crate::words::count(days as u64, "day"),
                cx.as_of
            ),
            due.span,
        ));
    }
}

/// When a recurring control or action is next due, if it is recurring.
pub fn next_due(every: Option<&Located<Period>>, last_done: Option<&Located<Date>>) -> Option<Option<Date>> {
    let every = every?;
    Some(last_done.map(|d| d.value.plus(every.value)))
}

fn recurrence(
    cx: &Context,
    id: &str,
    what: &str,
    every: Option<&Located<Period>>,
    last_done: Option<&Located<Date>>,
    id_span: Span,
    out: &mut Vec<Finding>,
) {
    match next_due(every, last_done) {
        Some(None) => out.push(finding(
            &rules::ACTION_OVERDUE,
            id,
            format!(
                "recurring {what} `{id}` (every {}) has never been done: no `last_done`",
                every.map(|e| e.value).expect("recurring")
            ),
            every.map_or(id_span, |e| e.span),
        )),
        Some(Some(next)) if next < cx.as_of => out.push(finding(
            &rules::ACTION_OVERDUE,
            id,
            format!(
                "recurring {what} `{id}` (every {}) was next due on {next}; last done {}",
                every.map(|e| e.value).expect("recurring"),
                last_done.map(|d| d.value).expect("has last_done")
            ),
            last_done.map_or(id_span, |d| d.span),
        )),
        _ => {}
    }
}

/// unmonitored-control: one finding per control, naming every hazard with a
/// residual rating of 3 or more that relies on it.
fn unmonitored(cx: &Context, out: &mut Vec<Finding>) {
    let mut reliant: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for h in &cx.project.hazards {
        if h.residual_rating().is_some_and(|r| r >= 3) {
            for c in cx.graph.controls_of(&h.id) {
                if cx.graph.metrics_of(c).is_empty() {
                    reliant.entry(c).or_default().push(&h.id);
                }
            }
        }
    }
    for (c, hazards) in reliant {
        let Some(control) = cx.control(c) else { continue };
        out.push(
            finding(
                &rules::UNMONITORED_CONTROL,
                c,
                format!(
                    "control `{c}` is relied on by {} with residual rating 3 or more, but no metric monitors it",
                    list(&hazards)
                ),
                control.id_span,
            )
            .with_note("add a metric with `monitors: [".to_string() + c + "]` so a failing control would show"),
        );
    }
}
