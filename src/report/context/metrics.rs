//! The monitoring view: each metric's status and trend, and the month's breaches.

use super::*;
use crate::facts::MetricFacts;

pub(super) fn metric_view(
    mt: &Metric,
    facts: &MetricFacts,
    a: &Analysis,
    links: &dyn Fn(Vec<&str>) -> Vec<Link>,
) -> MetricView {
    let latest = mt.latest();
    let raises = |rule| a.project.manifest.raises(rule);
    MetricView {
        id: mt.id.clone(),
        title: mt.title.clone(),
        unit: mt.unit.clone(),
        better: if mt.better == Better::Lower { "lower" } else { "higher" },
        threshold: mt.threshold,
        warn: mt.warn,
        latest: latest.map(|o| ObservationView { date: o.date.to_string(), value: o.value }),
        status: facts.position.as_str(),
        worsening: facts.worsening.is_some() && raises(&rules::METRIC_WORSENING),
        stale: facts.stale && raises(&rules::METRIC_STALE),
        observations: mt.observations.len(),
        trend: match mt.observations.as_slice() {
            [.., prev, last] if mt.is_worse(prev.value, last.value) => "worse",
            [.., prev, last] if mt.is_worse(last.value, prev.value) => "better",
            [_, _, ..] => "steady",
            _ => "n/a",
        },
        series: mt
            .observations
            .iter()
            .map(|o| ObservationView { date: o.date.to_string(), value: o.value })
            .collect(),
        controls: links(a.graph.controls_monitored_by(&mt.id)),
        hazards: links(a.graph.hazards_monitored_by(&mt.id)),
    }
}

pub(super) fn period_breaches(
    a: &Analysis,
    month: Month,
    links: &dyn Fn(Vec<&str>) -> Vec<Link>,
) -> Vec<BreachView> {
    let mut out = Vec::new();
    for m in &a.project.metrics {
        for o in m.observations.iter().filter(|o| month.contains(o.date)) {
            let position = m.position(o.value);
            let (Position::Breach { limit } | Position::Warning { limit }) = position else { continue };
            let kind = position.as_str();
            out.push(BreachView {
                metric: m.id.clone(),
                title: m.title.clone(),
                date: o.date.to_string(),
                value: o.value,
                unit: m.unit.clone(),
                kind,
                limit,
                controls: links(a.graph.controls_monitored_by(&m.id)),
                hazards: links(a.graph.hazards_monitored_by(&m.id)),
            });
        }
    }
    out.sort_by(|x, y| (&x.date, natural_key(&x.metric)).cmp(&(&y.date, natural_key(&y.metric))));
    out
}
