//! The monitoring view: each metric's status and trend, and the month's breaches.

use super::*;

pub(super) fn metric_view(
    mt: &Metric,
    a: &Analysis,
    doubtful: &[&str],
    as_of: Date,
    links: &dyn Fn(Vec<&str>) -> Vec<Link>,
) -> MetricView {
    let latest = mt.latest();
    let status = match latest {
        None => "no data",
        Some(o) if mt.threshold.is_some_and(|t| mt.is_past(o.value, t)) => "breach",
        Some(o) if mt.warn.is_some_and(|w| mt.is_past(o.value, w)) => "warning",
        Some(_) => "ok",
    };
    MetricView {
        id: mt.id.clone(),
        title: mt.title.clone(),
        unit: mt.unit.clone(),
        better: if mt.better == Better::Lower { "lower" } else { "higher" },
        threshold: mt.threshold,
        warn: mt.warn,
        latest: latest.map(|o| ObservationView { date: o.date.to_string(), value: o.value }),
        status,
        worsening: crate::check::worsening_run(mt).is_some() && doubtful.contains(&mt.id.as_str()),
        stale: latest.is_none_or(|o| mt.stale_after.is_some_and(|s| o.date.plus(s) < as_of)),
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
            let past = |limit: Option<f64>| limit.filter(|l| m.is_past(o.value, *l));
            let (kind, limit) = match (past(m.threshold), past(m.warn)) {
                (Some(t), _) => ("breach", t),
                (None, Some(w)) => ("warning", w),
                _ => continue,
            };
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
