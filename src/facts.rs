//! STAGE 3 — facts: what is true of the project on `as_of`, each decided in
//! exactly one function here. The rules (`check`) turn facts into findings;
//! the reports print them and flag them. Neither re-derives "overdue",
//! "due next" or a metric's status, so the two cannot drift.
//!
//! A fact is not a judgement: whether it is *raised* (a finding, a flag in a
//! report) depends on the project's `rules:` ([`crate::model::Manifest::raises`]).

pub mod point_in_time;
pub mod records;

use crate::model::date::{Date, Period};
use crate::model::{
    Action, ActionStatus, Approval, Control, ControlStatus, Evidence, Manifest, Metric, Observation,
    Position, Project,
};
use crate::span::Located;
pub use point_in_time::{counted, FutureDated};

/// Every fact about a project on one day. Lists are index-aligned with the
/// project's (`controls[i]` is about `project.controls[i]`).
#[derive(Debug)]
pub struct Facts {
    /// "Today": rules and reports never read the clock.
    pub as_of: Date,
    pub controls: Vec<Upkeep>,
    pub actions: Vec<Upkeep>,
    /// Whether each hazard's next review ([`records::reviews`]) is past (never
    /// for a withdrawn hazard).
    pub hazard_review_overdue: Vec<bool>,
    /// Each hazard's last review and next review date.
    pub hazard_reviews: Vec<records::ReviewFacts>,
    /// Whether each incident is counted as of the day.
    pub incidents_counted: Vec<bool>,
    /// Counted incidents that reopen a question about a linked hazard.
    pub incidents_on_hazards: Vec<records::IncidentOnHazard>,
    pub document_review_overdue: bool,
    /// Whether the hazard log's and the DPIA's own `review_by` (their own
    /// document control) is past.
    pub hazard_log_review_overdue: bool,
    pub dpia_review_overdue: bool,
    pub metrics: Vec<MetricFacts>,
    /// For each control: its newest evidence's `valid_until`, when that is past.
    pub evidence_expired: Vec<Option<Located<Date>>>,
    /// Dated records after `as_of`: not counted by any fact above.
    pub future_dated: Vec<FutureDated>,
}

impl Facts {
    /// A control's evidence as of the day (evidence dated later is not counted).
    pub fn evidence<'c>(&self, c: &'c Control) -> impl Iterator<Item = &'c Evidence> {
        let as_of = self.as_of;
        c.evidence.iter().filter(move |e| point_in_time::counted_opt(e.date.as_ref().map(|d| d.value), as_of))
    }

    /// The approvals given as of the day.
    pub fn approvals<'m>(&self, m: &'m Manifest) -> Vec<&'m Approval> {
        m.approvals.iter().filter(|a| point_in_time::counted_opt(a.date, self.as_of)).collect()
    }

    /// Whether an action is done as of the day (`done_on` later: not yet).
    pub fn action_done(&self, a: &Action) -> bool {
        action_done(a, self.as_of)
    }
}

fn action_done(a: &Action, as_of: Date) -> bool {
    a.status == ActionStatus::Done && point_in_time::counted_opt(a.done_on.as_ref().map(|d| d.value), as_of)
}

/// A recorded `last_done`, unless it is dated after the day.
fn last_done(d: Option<&Located<Date>>, as_of: Date) -> Option<&Located<Date>> {
    d.filter(|d| counted(d.value, as_of))
}

/// When a control or action is due, and whether it is late.
#[derive(Debug, Clone)]
pub struct Upkeep {
    /// The one-off due date while it still applies (a planned control, an open action).
    pub due: Option<Located<Date>>,
    /// `due` is before `as_of`.
    pub due_past: bool,
    /// For a recurring item (`every`).
    pub recurrence: Option<Recurrence>,
}

#[derive(Debug, Clone)]
pub struct Recurrence {
    pub every: Located<Period>,
    pub last_done: Option<Located<Date>>,
    /// `last_done + every`; `None` when it was never done.
    pub next: Option<Date>,
    /// Never done, or `next` is before `as_of`.
    pub late: bool,
}

impl Upkeep {
    /// Late on its one-off date or on its recurrence.
    pub fn overdue(&self) -> bool {
        self.due_past || self.recurrence.as_ref().is_some_and(|r| r.late)
    }
}

/// A metric's standing on `as_of`.
#[derive(Debug, Clone)]
pub struct MetricFacts {
    /// The latest observation against the metric's own limits.
    pub position: Position,
    /// The last `worsening_after + 1` values when each is worse than the one before.
    pub worsening: Option<Vec<f64>>,
    /// No observation, or the latest is older than `stale_after`.
    pub stale: bool,
    /// How many of the metric's observations (oldest first) are dated on or
    /// before `as_of`: the only ones any fact, rule or report counts.
    pub counted: usize,
    /// For a `from: incidents` metric: its monthly counts, which stand in for
    /// observations everywhere.
    pub incident_counts: Option<Vec<Observation>>,
}

impl MetricFacts {
    /// The metric's observations as of the day, oldest first.
    pub fn observed<'a>(&'a self, m: &'a Metric) -> &'a [Observation] {
        match &self.incident_counts {
            Some(counts) => counts,
            None => &m.observations[..self.counted.min(m.observations.len())],
        }
    }

    pub fn latest<'a>(&'a self, m: &'a Metric) -> Option<&'a Observation> {
        self.observed(m).last()
    }
}

/// The facts of `project` on `as_of`.
pub fn evaluate(project: &Project, as_of: Date) -> Facts {
    let past = |d: Option<&Located<Date>>| d.is_some_and(|d| d.value < as_of);
    let hazard_reviews: Vec<_> = project.hazards.iter().map(|h| records::reviews(h, as_of)).collect();
    let incident_hazards = records::incident_hazards(project);
    Facts {
        as_of,
        controls: project.controls.iter().map(|c| control_upkeep(c, as_of)).collect(),
        actions: project.actions.iter().map(|a| action_upkeep(a, as_of)).collect(),
        hazard_review_overdue: project
            .hazards
            .iter()
            .zip(&hazard_reviews)
            .map(|(h, r)| !h.is_withdrawn() && r.next.as_ref().is_some_and(|n| n.date < as_of))
            .collect(),
        incidents_on_hazards: records::incidents_on_hazards(
            project,
            &incident_hazards,
            &hazard_reviews,
            as_of,
        ),
        hazard_reviews,
        incidents_counted: project.incidents.iter().map(|i| counted(i.date.value, as_of)).collect(),
        document_review_overdue: past(project.manifest.document.review_by.as_ref()),
        hazard_log_review_overdue: own_review_past(project.manifest.hazard_log.as_ref(), as_of),
        dpia_review_overdue: own_review_past(project.dpia.as_ref().and_then(|d| d.document.as_ref()), as_of),
        metrics: project
            .metrics
            .iter()
            .map(|m| metric_facts_linked(project, &incident_hazards, m, as_of))
            .collect(),
        evidence_expired: project.controls.iter().map(|c| evidence_expired(c, as_of)).collect(),
        future_dated: point_in_time::future_dated(project, as_of),
    }
}

fn own_review_past(control: Option<&crate::model::DocumentControl>, as_of: Date) -> bool {
    control.and_then(|c| c.review_by).is_some_and(|d| d < as_of)
}

/// The newest evidence (latest `date`; undated counts as oldest, and of equals
/// the last listed) decides: older evidence that expired has been superseded.
fn evidence_expired(c: &Control, as_of: Date) -> Option<Located<Date>> {
    let counted =
        c.evidence.iter().filter(|e| point_in_time::counted_opt(e.date.as_ref().map(|d| d.value), as_of));
    let newest = counted.max_by_key(|e| e.date.as_ref().map(|d| d.value))?;
    newest.valid_until.clone().filter(|v| v.value < as_of)
}

fn control_upkeep(c: &Control, as_of: Date) -> Upkeep {
    let due = c.due.clone().filter(|_| c.status == ControlStatus::Planned);
    upkeep(due, c.every.as_ref(), last_done(c.last_done.as_ref(), as_of), as_of)
}

fn action_upkeep(a: &Action, as_of: Date) -> Upkeep {
    let due = a.due.clone().filter(|_| !action_done(a, as_of));
    upkeep(due, a.every.as_ref(), last_done(a.last_done.as_ref(), as_of), as_of)
}

fn upkeep(
    due: Option<Located<Date>>,
    every: Option<&Located<Period>>,
    last_done: Option<&Located<Date>>,
    as_of: Date,
) -> Upkeep {
    let recurrence = every.map(|every| {
        let next = last_done.map(|d| d.value.plus(every.value));
        Recurrence {
            every: every.clone(),
            last_done: last_done.cloned(),
            next,
            late: next.is_none_or(|n| n < as_of),
        }
    });
    Upkeep { due_past: due.as_ref().is_some_and(|d| d.value < as_of), due, recurrence }
}

/// A metric's standing on `as_of` (the monthly pack asks for it as of a month's end).
pub fn metric_facts(p: &Project, m: &Metric, as_of: Date) -> MetricFacts {
    // The links cost a pass over every hazard and incident: only a metric counting incidents needs them
    // (the pack asks this for every metric).
    let links = if m.incidents.is_some() { records::incident_hazards(p) } else { Vec::new() };
    metric_facts_linked(p, &links, m, as_of)
}

fn metric_facts_linked(p: &Project, incident_hazards: &[Vec<usize>], m: &Metric, as_of: Date) -> MetricFacts {
    // Observations are sorted by date: those counted are a prefix.
    let counted = m.observations.partition_point(|o| counted(o.date, as_of));
    let incident_counts =
        m.incidents.as_ref().map(|f| records::incident_counts(p, incident_hazards, f, as_of));
    let observed = incident_counts.as_deref().unwrap_or(&m.observations[..counted]);
    let latest = observed.last();
    MetricFacts {
        position: latest.map_or(Position::NoData, |o| m.position(o.value)),
        worsening: worsening_run(m, observed),
        stale: latest.is_none_or(|o| m.stale_after.is_some_and(|s| o.date.plus(s) < as_of)),
        counted,
        incident_counts,
    }
}

/// The last `worsening_after + 1` values of `observed` (the metric's
/// observations as of the day) when each is worse than the one before it;
/// `None` when there is no such run (or too few observations).
pub fn worsening_run(m: &Metric, observed: &[Observation]) -> Option<Vec<f64>> {
    let n = m.worsening_after as usize;
    let values: Vec<f64> = observed.iter().map(|o| o.value).collect();
    if values.len() < n + 1 {
        return None;
    }
    let tail = &values[values.len() - n - 1..];
    tail.windows(2).all(|w| m.is_worse(w[0], w[1])).then(|| tail.to_vec())
}

#[cfg(test)]
mod tests {
    use super::worsening_run;
    use crate::testutil::project;
    use proptest::prelude::*;

    fn metric(better: &str, after: u32, values: &[f64]) -> crate::model::Metric {
        let obs: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{{ date: 2026-01-{:02}, value: {v} }}", i + 1))
            .collect();
        let text = format!(
            "metrics:\n  - {{ id: M, title: t, better: {better}, worsening_after: {after}, observations: [{}] }}\n",
            obs.join(", ")
        );
        project(&[("m.yaml", &text)]).metrics.into_iter().next().unwrap()
    }

    #[test]
    fn upkeep_is_late_on_a_past_due_date_or_a_missed_recurrence() {
        let p = project(&[(
            "c.yaml",
            "controls:\n  - { id: P, title: t, type: test, status: planned, due: 2026-11-24 }\n  \
             - { id: D, title: t, type: test, status: implemented, due: 2026-11-24 }\n  \
             - { id: N, title: t, type: test, status: implemented, every: 1 month }\n  \
             - { id: R, title: t, type: test, status: implemented, every: 1 month, last_done: 2026-10-26 }\n\
             actions:\n  - { id: A, title: t, due: 2026-11-26 }\n  - { id: X, title: t, due: 2026-01-01, status: done }\n",
        )]);
        let f = super::evaluate(&p, crate::model::date::Date::parse("2026-11-25").unwrap());
        let late: Vec<bool> = f.controls.iter().chain(&f.actions).map(|u| u.overdue()).collect();
        // P planned and past due; D's due date no longer applies once implemented; N never
        // done; R next due 2026-11-26; A due tomorrow; X done.
        assert_eq!(late, [true, false, true, false, false, false]);
        assert_eq!(f.controls[3].recurrence.as_ref().unwrap().next.unwrap().to_string(), "2026-11-26");
    }

    proptest! {
        /// A run of `after` strictly worse moves at the end fires, in either direction.
        #[test]
        fn a_strictly_worsening_tail_fires(
            start in -1000i32..1000,
            steps in prop::collection::vec(1i32..50, 1..6),
            prefix in prop::collection::vec(-1000i32..1000, 0..5),
            higher_is_better in any::<bool>(),
        ) {
            let sign = if higher_is_better { -1.0 } else { 1.0 };
            let mut values: Vec<f64> = prefix.iter().map(|v| f64::from(*v)).collect();
            let mut v = f64::from(start);
            values.push(v);
            for s in &steps {
                v += sign * f64::from(*s);
                values.push(v);
            }
            let better = if higher_is_better { "higher" } else { "lower" };
            let m = metric(better, steps.len() as u32, &values);
            prop_assert!(worsening_run(&m, &m.observations).is_some());
            // One more required move than there is data for: no finding.
            let m = metric(better, steps.len() as u32 + 1 + prefix.len() as u32, &values);
            prop_assert!(worsening_run(&m, &m.observations).is_none());
        }

        /// If any of the last `after` moves is not worse, nothing fires.
        #[test]
        fn a_flat_or_better_step_breaks_the_run(
            values in prop::collection::vec(-100i32..100, 4..10),
            after in 1u32..4,
            higher_is_better in any::<bool>(),
        ) {
            let values: Vec<f64> = values.iter().map(|v| f64::from(*v)).collect();
            let better = if higher_is_better { "higher" } else { "lower" };
            let m = metric(better, after, &values);
            let tail = &values[values.len() - after as usize - 1..];
            let all_worse = tail.windows(2).all(|w| if higher_is_better { w[1] < w[0] } else { w[1] > w[0] });
            prop_assert_eq!(worsening_run(&m, &m.observations).is_some(), all_worse);
        }
    }
}
