//! The monthly governance pack's own views. The pack reports one month as it
//! stood at that month's end: its metrics use no observation dated later
//! (nor after `as_of`), so a pack made late reads as one made on time. What
//! falls due and the actions brought forward are as of `as_of`, the meeting.

use super::*;
use crate::facts;
use crate::model::date::{Period, Unit};
use crate::model::{ActionStatus, ControlStatus, Metric};

#[derive(Serialize)]
pub struct PackView {
    /// The last day whose observations count: the month's end, or `as_of` if earlier.
    pub cutoff: Date,
    /// Each metric as it stood on `cutoff`.
    pub metrics: Vec<MetricView>,
    /// The month's observations with their notes, by date then metric.
    pub observations: Vec<MonthObservation>,
    /// Items due on or before this day (a month after `as_of`) are "due for review".
    pub review_until: Date,
    pub hazards_due: Vec<DueItem>,
    pub controls_due: Vec<DueItem>,
    /// Open actions, oldest due date first (undated last).
    pub actions: Vec<DueItem>,
}

#[derive(Serialize)]
pub struct MonthObservation {
    pub metric: String,
    pub title: String,
    pub date: Date,
    pub value: f64,
    pub unit: Option<String>,
    /// ok | warning | breach | context
    pub position: &'static str,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct DueItem {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<Date>,
    /// `due` is before `as_of` (flagged only while the matching rule is on).
    pub overdue: bool,
    /// Why it is due, in words.
    pub reason: String,
}

/// The pack's views for `month`.
pub(super) fn pack(a: &Analysis, month: Month, linker: &Linker) -> PackView {
    let as_of = a.as_of();
    let cutoff = month.last_day().min(as_of);
    // Each metric as of the month's end, with its facts then: decided once, read by the
    // trends and the month's observations alike.
    let as_then: Vec<(Metric, facts::MetricFacts)> = a
        .project
        .metrics
        .iter()
        .map(|m| {
            let m = until(m, cutoff);
            let f = facts::metric_facts(&a.project, &m, cutoff);
            (m, f)
        })
        .collect();
    let mut metrics: Vec<MetricView> =
        as_then.iter().map(|(m, f)| metrics::metric_view(m, f, a, linker)).collect();
    metrics.sort_by_cached_key(|x| natural_key(&x.id));
    let review_until = as_of.plus(Period { count: 1, unit: Unit::Months });
    PackView {
        cutoff,
        metrics,
        observations: observations(&as_then, month),
        review_until,
        hazards_due: hazards_due(a, review_until),
        controls_due: controls_due(a, review_until),
        actions: actions_forward(a),
    }
}

/// The metric with only the observations dated on or before `cutoff`.
fn until(m: &Metric, cutoff: Date) -> Metric {
    let mut m = m.clone();
    m.observations.retain(|o| o.date <= cutoff);
    m
}

/// The month's observations of every metric, as the metric's facts count them: an
/// incident-count metric's monthly count stands in for observations here as everywhere.
fn observations(as_then: &[(Metric, facts::MetricFacts)], month: Month) -> Vec<MonthObservation> {
    let mut out: Vec<MonthObservation> = as_then
        .iter()
        .flat_map(|(m, facts)| {
            let from_incidents = m.incidents.is_some();
            facts
                .observed(m)
                .iter()
                .filter(|o| month.contains(o.date))
                .map(|o| MonthObservation {
                    metric: m.id.clone(),
                    title: m.title.clone(),
                    date: o.date,
                    value: o.value,
                    unit: m.unit.clone(),
                    position: if m.better == crate::model::Better::Neutral {
                        "context"
                    } else {
                        m.position(o.value).as_str()
                    },
                    note: if from_incidents {
                        Some("counted from the incident log".to_string())
                    } else {
                        o.note.clone()
                    },
                })
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_by_cached_key(|o| (o.date, natural_key(&o.metric)));
    out
}

fn hazards_due(a: &Analysis, until: Date) -> Vec<DueItem> {
    let flag = a.project.manifest.raises(&rules::REVIEW_OVERDUE);
    let mut out: Vec<DueItem> = a
        .project
        .hazards
        .iter()
        .zip(&a.facts.hazard_review_overdue)
        .zip(&a.facts.hazard_reviews)
        .filter(|((h, _), _)| !h.is_withdrawn())
        .filter_map(|((h, &overdue), reviews)| {
            // The next review as the facts decide it: review_by, or the last review + review_every.
            let due = reviews.next.as_ref()?.date;
            (due <= until).then(|| DueItem {
                id: h.id.clone(),
                title: h.title.clone(),
                owner: h.owner.clone(),
                due: Some(due),
                overdue: overdue && flag,
                reason: "review date".into(),
            })
        })
        .collect();
    sort_due(&mut out);
    out
}

/// Planned controls due, recurring controls whose next time falls due (or
/// that were never done), and controls whose newest evidence runs out.
fn controls_due(a: &Analysis, until: Date) -> Vec<DueItem> {
    let p = &a.project;
    let flag = p.manifest.raises(&rules::ACTION_OVERDUE);
    let as_of = a.as_of();
    let mut out = Vec::new();
    for (c, upkeep) in p.controls.iter().zip(&a.facts.controls) {
        let item = |due: Option<Date>, overdue: bool, reason: String| DueItem {
            id: c.id.clone(),
            title: c.title.clone(),
            owner: c.owner.clone(),
            due,
            overdue,
            reason,
        };
        if c.status == ControlStatus::Planned {
            if let Some(due) = upkeep.due.as_ref().map(|d| d.value).filter(|d| *d <= until) {
                out.push(item(Some(due), upkeep.due_past && flag, "planned: to be put in place".into()));
            }
        }
        if let Some(r) = &upkeep.recurrence {
            if r.next.is_none_or(|n| n <= until) {
                let reason = match &r.last_done {
                    Some(d) => format!("every {}, last done {}", r.every.value, d.value),
                    None => format!("every {}, never recorded as done", r.every.value),
                };
                out.push(item(r.next, r.late && flag, reason));
            }
        }
        if let Some(valid) = a
            .facts
            .evidence(c)
            .max_by_key(|e| e.date.as_ref().map(|d| d.value))
            .and_then(|e| e.valid_until.as_ref())
        {
            if valid.value <= until {
                let expired = valid.value < as_of && p.manifest.raises(&rules::EVIDENCE_EXPIRED);
                out.push(item(Some(valid.value), expired, "its newest evidence runs out".into()));
            }
        }
    }
    sort_due(&mut out);
    out
}

fn actions_forward(a: &Analysis) -> Vec<DueItem> {
    let flag = a.project.manifest.raises(&rules::ACTION_OVERDUE);
    let mut out: Vec<DueItem> = a
        .project
        .actions
        .iter()
        .zip(&a.facts.actions)
        .filter(|(x, _)| x.status == ActionStatus::Open)
        .map(|(x, upkeep)| DueItem {
            id: x.id.clone(),
            title: x.title.clone(),
            owner: x.owner.clone(),
            due: x.due.as_ref().map(|d| d.value).or(upkeep.recurrence.as_ref().and_then(|r| r.next)),
            overdue: upkeep.overdue() && flag,
            reason: match &upkeep.recurrence {
                Some(r) => format!("every {}", r.every.value),
                None => "open".to_string(),
            },
        })
        .collect();
    sort_due(&mut out);
    out
}

/// Earliest due first, undated last, then by id as people read ids.
fn sort_due(items: &mut [DueItem]) {
    items.sort_by_cached_key(|i| (i.due.is_none(), i.due, natural_key(&i.id)));
}
