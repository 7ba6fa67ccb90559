//! The monitoring pack's views: each metric's status and trend, and the month's breaches.

use super::*;
use crate::facts::MetricFacts;
use crate::model::{Better, Metric, Observation, Position};

#[derive(Serialize)]
pub struct ObservationView {
    pub date: Date,
    pub value: f64,
}

#[derive(Serialize)]
pub struct MetricView {
    pub id: String,
    pub title: String,
    pub unit: Option<String>,
    pub better: &'static str,
    pub threshold: Option<f64>,
    pub warn: Option<f64>,
    pub latest: Option<ObservationView>,
    /// ok | warning | breach | no data | context (a neutral metric)
    pub status: &'static str,
    pub worsening: bool,
    /// Breached or worsening, as far as `rules:` raise either: its controls need a review.
    pub in_doubt: bool,
    pub stale: bool,
    pub observations: usize,
    /// latest against the one before: worse | better | steady | n/a; for a
    /// `neutral` metric up | down | steady | n/a (never "better")
    pub trend: &'static str,
    pub series: Vec<ObservationView>,
    pub controls: Vec<Link>,
    pub hazards: Vec<Link>,
}

#[derive(Serialize)]
pub struct MonthView {
    pub label: String,
    pub start: Date,
    pub end: Date,
}

#[derive(Serialize)]
pub struct BreachView {
    pub metric: String,
    pub title: String,
    pub date: Date,
    pub value: f64,
    pub unit: Option<String>,
    /// breach | warning
    pub kind: &'static str,
    pub limit: f64,
    pub controls: Vec<Link>,
    pub hazards: Vec<Link>,
}

pub(super) fn metric_view(mt: &Metric, facts: &MetricFacts, a: &Analysis, linker: &Linker) -> MetricView {
    let observed = facts.observed(mt);
    let latest = observed.last();
    let raises = |rule| a.project.manifest.raises(rule);
    MetricView {
        id: mt.id.clone(),
        title: mt.title.clone(),
        unit: mt.unit.clone(),
        better: mt.better.as_str(),
        threshold: mt.threshold,
        warn: mt.warn,
        latest: latest.map(|o| ObservationView { date: o.date, value: o.value }),
        // A neutral metric has no limits: "ok" would claim a judgement it cannot make.
        status: if mt.better == Better::Neutral && latest.is_some() {
            "context"
        } else {
            facts.position.as_str()
        },
        worsening: facts.worsening.is_some() && raises(&rules::METRIC_WORSENING),
        in_doubt: in_doubt(facts, &a.project.manifest),
        stale: facts.stale && raises(&rules::METRIC_STALE),
        observations: observed.len(),
        trend: trend(mt, observed),
        series: observed.iter().map(|o| ObservationView { date: o.date, value: o.value }).collect(),
        controls: linker.links(a.graph.controls_monitored_by(&mt.id)),
        hazards: linker.links(a.graph.hazards_monitored_by(&mt.id)),
    }
}

fn trend(mt: &Metric, observed: &[Observation]) -> &'static str {
    match (observed, mt.better) {
        ([.., prev, last], Better::Neutral) if last.value > prev.value => "up",
        ([.., prev, last], Better::Neutral) if last.value < prev.value => "down",
        ([.., prev, last], _) if mt.is_worse(prev.value, last.value) => "worse",
        ([.., prev, last], _) if mt.is_worse(last.value, prev.value) => "better",
        ([_, _, ..], _) => "steady",
        _ => "n/a",
    }
}

pub(super) fn period_breaches(a: &Analysis, month: Month, linker: &Linker) -> Vec<BreachView> {
    let mut out = Vec::new();
    for (m, facts) in a.project.metrics.iter().zip(&a.facts.metrics) {
        for o in facts.observed(m).iter().filter(|o| month.contains(o.date)) {
            let position = m.position(o.value);
            let (Position::Breach { limit } | Position::Warning { limit }) = position else { continue };
            let kind = position.as_str();
            out.push(BreachView {
                metric: m.id.clone(),
                title: m.title.clone(),
                date: o.date,
                value: o.value,
                unit: m.unit.clone(),
                kind,
                limit,
                controls: linker.links(a.graph.controls_monitored_by(&m.id)),
                hazards: linker.links(a.graph.hazards_monitored_by(&m.id)),
            });
        }
    }
    out.sort_by(|x, y| (&x.date, natural_key(&x.metric)).cmp(&(&y.date, natural_key(&y.metric))));
    out
}
