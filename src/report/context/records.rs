//! The views of the DCB0160 records beyond the hazard log: incidents (under
//! each hazard, counted by harm in the safety case, the month's in the
//! monitoring pack) and each hazard's review history. Only records counted
//! as of the day appear.

use super::*;
use crate::model::risk::{Likelihood, Severity};
use crate::model::{Harm, Hazard, Incident, Risk};

#[derive(Serialize, Clone)]
pub struct IncidentView {
    pub id: String,
    pub date: Date,
    pub title: String,
    pub reference: Option<String>,
    /// none | low | moderate | severe | death, or absent when not graded.
    pub harm: Option<&'static str>,
    pub status: &'static str,
    pub learning: Option<String>,
    /// Plain links: `of_hazard` reads their ids.
    pub hazards: Vec<Link>,
    pub controls: Vec<Shared>,
}

/// The incident log's counts by harm grade (the safety case's summary).
#[derive(Serialize)]
pub struct IncidentSummary {
    pub total: usize,
    pub open: usize,
    /// One row per LFPSE grade, none → death, zeros included.
    pub by_harm: Vec<HarmCount>,
    pub not_graded: usize,
}

#[derive(Serialize)]
pub struct HarmCount {
    pub harm: &'static str,
    pub count: usize,
}

#[derive(Serialize)]
pub struct ReviewView {
    pub date: Date,
    pub by: Option<String>,
    pub outcome: Option<String>,
    /// "initial 3 → 2", "residual 2 (unchanged)", "residual 2" (first rating).
    pub ratings: Vec<String>,
}

/// The incidents counted as of the day, oldest first.
pub(super) fn incidents(a: &Analysis, linker: &Linker) -> Vec<IncidentView> {
    let mut out: Vec<IncidentView> = a
        .project
        .incidents
        .iter()
        .zip(&a.facts.incidents_counted)
        .filter(|(_, counted)| **counted)
        .map(|(i, _)| incident_view(a, i, linker))
        .collect();
    out.sort_by_cached_key(|x| (x.date, natural_key(&x.id)));
    out
}

fn incident_view(a: &Analysis, i: &Incident, linker: &Linker) -> IncidentView {
    IncidentView {
        id: i.id.clone(),
        date: i.date.value,
        title: i.title.clone(),
        reference: i.reference.clone(),
        harm: i.harm.map(Harm::as_str),
        status: i.status.as_str(),
        learning: i.learning.clone(),
        hazards: a.graph.hazards_of_incident(&i.id).into_iter().map(|h| linker.link(h)).collect(),
        controls: linker.links(a.graph.controls_of_incident(&i.id)),
    }
}

pub(super) fn summary(a: &Analysis) -> IncidentSummary {
    let counted: Vec<&Incident> = a
        .project
        .incidents
        .iter()
        .zip(&a.facts.incidents_counted)
        .filter(|(_, c)| **c)
        .map(|(i, _)| i)
        .collect();
    IncidentSummary {
        total: counted.len(),
        open: counted.iter().filter(|i| i.status == crate::model::IncidentStatus::Open).count(),
        by_harm: Harm::ALL
            .iter()
            .map(|h| HarmCount {
                harm: h.as_str(),
                count: counted.iter().filter(|i| i.harm == Some(*h)).count(),
            })
            .collect(),
        not_graded: counted.iter().filter(|i| i.harm.is_none()).count(),
    }
}

/// Those of `all` (the counted incidents) linked to `hazard`.
pub(super) fn of_hazard(all: &[IncidentView], hazard: &str) -> Vec<IncidentView> {
    all.iter().filter(|i| i.hazards.iter().any(|h| h.id == hazard)).cloned().collect()
}

/// The review history as of the day, oldest first, with each rating against
/// the one the previous review set.
pub(super) fn reviews(h: &Hazard, as_of: Date) -> Vec<ReviewView> {
    let (mut initial, mut residual): (Option<u8>, Option<u8>) = (None, None);
    h.reviews
        .iter()
        .filter(|r| crate::facts::counted(r.date.value, as_of))
        .map(|r| {
            let mut ratings = Vec::new();
            change("initial", &r.initial, &mut initial, &mut ratings);
            change("residual", &r.residual, &mut residual, &mut ratings);
            ReviewView { date: r.date.value, by: r.by.clone(), outcome: r.outcome.clone(), ratings }
        })
        .collect()
}

/// Where a hazard's ratings now differ from those its last review recorded (`last`: the
/// facts' date of it, as of the day): a re-rating no review has weighed, in words.
pub(super) fn since_last_review(h: &Hazard, last: Option<Date>) -> Vec<String> {
    let Some(last) = last.and_then(|d| h.reviews.iter().rev().find(|r| r.date.value == d)) else {
        return Vec::new();
    };
    let pairs = [("initial", &last.initial, &h.initial), ("residual", &last.residual, &h.residual)];
    pairs
        .into_iter()
        .filter_map(|(name, reviewed, now)| {
            let was = reviewed.as_ref().and_then(Risk::rating)?;
            let is = now.as_ref().and_then(Risk::rating)?;
            (was != is).then(|| {
                format!(
                    "The {name} rating is {is} now; the last review ({}) recorded {was}.",
                    last.date.value
                )
            })
        })
        .collect()
}

fn change(name: &str, risk: &Option<Risk>, before: &mut Option<u8>, out: &mut Vec<String>) {
    let Some(r) = risk else { return };
    let words = format!(
        "{} × {}",
        r.severity.map_or("severity not stated", Severity::as_str),
        r.likelihood.map_or("likelihood not stated", Likelihood::as_str)
    );
    let Some(now) = r.rating() else {
        out.push(format!("{name} not rated ({words})"));
        return;
    };
    out.push(match before.replace(now) {
        Some(old) if old != now => format!("{name} {old} → {now} ({words})"),
        Some(_) => format!("{name} {now}, unchanged ({words})"),
        None => format!("{name} {now} ({words})"),
    });
}
