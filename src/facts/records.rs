//! Facts about the DCB0160 records beyond the hazard log: each hazard's
//! reviews (when it was last reviewed, when it is next due) and the monthly
//! counts of an incident-count metric. Only records counted as of the day
//! ([`super::counted`]) are used.

use std::collections::{BTreeMap, BTreeSet};

use super::counted;
use crate::model::date::{Date, Month, Period};
use crate::model::{Hazard, HazardStatus, Incident, IncidentFilter, Observation, Project};
use crate::span::{Located, Span};

/// A hazard's reviews as of the day.
#[derive(Debug, Clone)]
pub struct ReviewFacts {
    /// The latest review counted as of the day.
    pub last: Option<Located<Date>>,
    /// When the next review is due, and why that day.
    pub next: Option<NextReview>,
}

#[derive(Debug, Clone)]
pub struct NextReview {
    pub date: Date,
    /// Where the date comes from (`review_by`, or `review_every`).
    pub span: Span,
    pub basis: ReviewBasis,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReviewBasis {
    /// The hazard's own `review_by`.
    ReviewBy,
    /// The last review plus `review_every`.
    LastReview(Date, Period),
    /// Never reviewed: `raised_on` plus `review_every`.
    Raised(Date, Period),
}

/// The next review: `review_by` when stated; otherwise the last review (or,
/// never reviewed, the day it was raised) plus `review_every`.
pub fn reviews(h: &Hazard, as_of: Date) -> ReviewFacts {
    let last = h.reviews.iter().map(|r| &r.date).filter(|d| counted(d.value, as_of)).max_by_key(|d| d.value);
    let next = match (&h.review_by, &h.review_every) {
        (Some(by), _) => Some(NextReview { date: by.value, span: by.span, basis: ReviewBasis::ReviewBy }),
        (None, Some(every)) => {
            let raised = h.record.raised_on.as_ref().filter(|d| counted(d.value, as_of));
            match (last, raised) {
                (Some(l), _) => Some(NextReview {
                    date: l.value.plus(every.value),
                    span: every.span,
                    basis: ReviewBasis::LastReview(l.value, every.value),
                }),
                (None, Some(r)) => Some(NextReview {
                    date: r.value.plus(every.value),
                    span: every.span,
                    basis: ReviewBasis::Raised(r.value, every.value),
                }),
                (None, None) => None,
            }
        }
        (None, None) => None,
    };
    ReviewFacts { last: last.cloned(), next }
}

/// For each incident (index-aligned with the project's), the indexes of the
/// hazards it is linked to, whichever side declared the link (links to
/// missing ids are the graph's `dangling-reference`, not facts).
pub fn incident_hazards(p: &Project) -> Vec<Vec<usize>> {
    let hazard_index: BTreeMap<&str, usize> =
        p.hazards.iter().enumerate().map(|(i, h)| (h.id.as_str(), i)).collect();
    let incident_index: BTreeMap<&str, usize> =
        p.incidents.iter().enumerate().map(|(i, x)| (x.id.as_str(), i)).collect();
    let mut out: Vec<Vec<usize>> = p
        .incidents
        .iter()
        .map(|i| i.hazards.iter().filter_map(|h| hazard_index.get(h.value.as_str()).copied()).collect())
        .collect();
    for (h, hazard) in p.hazards.iter().enumerate() {
        for i in hazard.incidents.iter().filter_map(|i| incident_index.get(i.value.as_str())) {
            out[*i].push(h);
        }
    }
    for hazards in &mut out {
        hazards.sort_unstable();
        hazards.dedup();
    }
    out
}

/// What an incident, counted as of the day, means for a hazard it is linked to.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentOnHazard {
    pub incident: usize,
    pub hazard: usize,
    pub kind: IncidentKind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IncidentKind {
    /// The hazard is closed and the incident came after its `closed_on`.
    AfterClosure(Date),
    /// The hazard is withdrawn (judged not to apply), yet an incident is linked to it.
    OnWithdrawn,
    /// No review has weighed it: dated after the last review (never reviewed:
    /// after `raised_on`, given as `Raised`), or with neither recorded.
    ReviewDue(ReviewMark),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReviewMark {
    LastReviewed(Date),
    Raised(Date),
    Never,
}

/// Every incident that reopens a question about a hazard (withdrawn hazards
/// excepted: they no longer count as risks). An incident after a closed
/// hazard's closure is that, not also a review due.
pub fn incidents_on_hazards(
    p: &Project,
    links: &[Vec<usize>],
    reviews: &[ReviewFacts],
    as_of: Date,
) -> Vec<IncidentOnHazard> {
    let mut out = Vec::new();
    for (index, (incident, hazards)) in p.incidents.iter().zip(links).enumerate() {
        let date = incident.date.value;
        if !counted(date, as_of) {
            continue;
        }
        for &h in hazards {
            let hazard = &p.hazards[h];
            if hazard.is_withdrawn() {
                out.push(IncidentOnHazard { incident: index, hazard: h, kind: IncidentKind::OnWithdrawn });
                continue;
            }
            let closed =
                hazard.record.closed_on.as_ref().filter(|c| counted(c.value, as_of) && c.value < date);
            let kind = match (hazard.status, closed) {
                (HazardStatus::Closed, Some(c)) => IncidentKind::AfterClosure(c.value),
                _ => {
                    let raised =
                        hazard.record.raised_on.as_ref().map(|d| d.value).filter(|d| counted(*d, as_of));
                    let mark = match (&reviews[h].last, raised) {
                        (Some(last), _) => ReviewMark::LastReviewed(last.value),
                        (None, Some(r)) => ReviewMark::Raised(r),
                        (None, None) => ReviewMark::Never,
                    };
                    match mark {
                        ReviewMark::LastReviewed(d) | ReviewMark::Raised(d) if d >= date => continue,
                        _ => IncidentKind::ReviewDue(mark),
                    }
                }
            };
            out.push(IncidentOnHazard { incident: index, hazard: h, kind });
        }
    }
    out
}

/// An incident-count metric's values: for each month from the first counted
/// incident's (any incident's, so a filter that matches none still reads 0)
/// to the month of `as_of`, the number of matching incidents, dated on the
/// month's last day (the current month: `as_of`, counted so far).
pub fn incident_counts(
    p: &Project,
    links: &[Vec<usize>],
    filter: &IncidentFilter,
    as_of: Date,
) -> Vec<Observation> {
    let hazards: BTreeSet<&str> = filter.hazards.iter().map(|h| h.value.as_str()).collect();
    let controls: BTreeSet<&str> = filter.controls.iter().map(|c| c.value.as_str()).collect();
    let matches = |i: &Incident, linked: &[usize]| {
        (filter.harm.is_empty() || i.harm.is_some_and(|h| filter.harm.contains(&h)))
            && (hazards.is_empty() || linked.iter().any(|h| hazards.contains(p.hazards[*h].id.as_str())))
            && (controls.is_empty() || i.controls.iter().any(|c| controls.contains(c.value.as_str())))
    };
    let log: Vec<(&Incident, &Vec<usize>)> =
        p.incidents.iter().zip(links).filter(|(i, _)| counted(i.date.value, as_of)).collect();
    let counted_months: Vec<Month> =
        log.iter().filter(|(i, l)| matches(i, l)).map(|(i, _)| Month::of(i.date.value)).collect();
    let last = Month::of(as_of);
    let mut month = log.iter().map(|(i, _)| Month::of(i.date.value)).min().unwrap_or(last);
    let mut out = Vec::new();
    while month <= last {
        let value = counted_months.iter().filter(|m| **m == month).count() as f64;
        out.push(Observation { date: month.last_day().min(as_of), value, span: filter.span, note: None });
        month = month.next();
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::model::date::{Date, Month};
    use crate::testutil::project;
    use proptest::prelude::*;

    proptest! {
        /// One value per month from the first incident's month to the month of
        /// `as_of`, dated in order and never after it, adding up to the incidents
        /// counted and matched, whatever their dates (later ones excluded).
        #[test]
        fn incident_counts_cover_every_month_and_add_up(
            days in prop::collection::vec(0u32..900, 0..12),
            harmful in prop::collection::vec(any::<bool>(), 12),
            as_of_day in 0u32..900,
        ) {
            let day = |n: u32| Date::parse("2025-01-01").unwrap().plus(crate::model::date::Period::parse(&format!("{} days", n.max(1))).unwrap());
            let as_of = day(as_of_day);
            let incidents: String = days
                .iter()
                .enumerate()
                .map(|(i, d)| format!("  - {{ id: INC-{i}, date: {}, title: t, harm: {} }}\n", day(*d), if harmful[i] { "low" } else { "none" }))
                .collect();
            let metric = "metrics:\n  - { id: M, title: t, better: lower, from: incidents, filter: { harm: [low] } }\n";
            let p = project(&[("i.yaml", &format!("incidents:\n{incidents}")), ("m.yaml", metric)]);
            let values = super::super::evaluate(&p, as_of).metrics[0].incident_counts.clone().unwrap();
            let counted: Vec<usize> = (0..days.len()).filter(|i| day(days[*i]) <= as_of).collect();
            let first = counted.iter().map(|i| Month::of(day(days[*i]))).min().unwrap_or(Month::of(as_of));
            let mut month = first;
            for o in &values {
                prop_assert!(Month::of(o.date) == month && o.date <= as_of);
                month = month.next();
            }
            prop_assert_eq!(month, Month::of(as_of).next());
            let total: f64 = values.iter().map(|o| o.value).sum();
            prop_assert_eq!(total as usize, counted.iter().filter(|i| harmful[**i]).count());
        }
    }

    #[test]
    fn an_incident_links_from_either_side_once() {
        let p = project(&[(
            "h.yaml",
            "hazards:\n  - { id: H1, title: a, incidents: [I1] }\n  - { id: H2, title: b }\nincidents:\n  - { id: I1, date: 2026-01-01, title: t, hazards: [H1, H2, H9] }\n",
        )]);
        assert_eq!(super::incident_hazards(&p), [vec![0, 1]]);
    }
}
