//! Facts about the DCB0160 records beyond the hazard log: each hazard's
//! reviews (when it was last reviewed, when it is next due) and the monthly
//! counts of an incident-count metric. Only records counted as of the day
//! ([`super::counted`]) are used.

use std::collections::BTreeSet;

use super::counted;
use crate::model::date::{Date, Month, Period};
use crate::model::{Hazard, Incident, IncidentFilter, Observation, Project};
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

/// Whether `incident` is linked to `hazard`, from either side.
pub fn involves(incident: &Incident, hazard: &Hazard) -> bool {
    incident.hazards.iter().any(|h| h.value == hazard.id)
        || hazard.incidents.iter().any(|i| i.value == incident.id)
}

/// An incident-count metric's values: for each month from the first counted
/// incident's (any incident's, so a filter that matches none still reads 0)
/// to the month of `as_of`, the number of matching incidents, dated on the
/// month's last day (the current month: `as_of`, counted so far).
pub fn incident_counts(p: &Project, filter: &IncidentFilter, as_of: Date) -> Vec<Observation> {
    let log: Vec<&Incident> = p.incidents.iter().filter(|i| counted(i.date.value, as_of)).collect();
    let hazards: BTreeSet<&str> = filter.hazards.iter().map(|h| h.value.as_str()).collect();
    let matches = |i: &Incident| {
        (filter.harm.is_empty() || i.harm.is_some_and(|h| filter.harm.contains(&h)))
            && (hazards.is_empty()
                || p.hazards.iter().any(|h| hazards.contains(h.id.as_str()) && involves(i, h)))
            && (filter.controls.is_empty()
                || i.controls.iter().any(|c| filter.controls.iter().any(|f| f.value == c.value)))
    };
    let counted_months: Vec<Month> =
        log.iter().filter(|i| matches(i)).map(|i| Month::of(i.date.value)).collect();
    let last = Month::of(as_of);
    let mut month = log.iter().map(|i| Month::of(i.date.value)).min().unwrap_or(last);
    let mut out = Vec::new();
    while month <= last {
        let value = counted_months.iter().filter(|m| **m == month).count() as f64;
        out.push(Observation { date: month.last_day().min(as_of), value, span: filter.span });
        month = month.next();
    }
    out
}
