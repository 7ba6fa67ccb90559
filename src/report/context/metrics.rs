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
    /// What the chart draws: every observation, or past [`CHART_POINTS`] the
    /// lowest and highest of each run (`chart_series`); `observations` counts all.
    pub series: Vec<ObservationView>,
    pub controls: Vec<Shared>,
    pub hazards: Vec<Shared>,
    /// What `monitors:` names: its controls, then the hazards it watches
    /// directly (an incident count for a hazard has no control to name).
    pub monitors: Vec<Shared>,
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
    pub controls: Vec<Shared>,
    pub hazards: Vec<Shared>,
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
        series: chart_series(observed),
        controls: linker.links(a.graph.controls_monitored_by(&mt.id)),
        hazards: linker.links(a.graph.hazards_monitored_by(&mt.id)),
        monitors: linker.links(
            a.graph
                .controls_monitored_by(&mt.id)
                .into_iter()
                .chain(a.graph.hazards_monitored_directly(&mt.id))
                .collect(),
        ),
    }
}

/// At most this many points go to a chart (and into every document's context).
/// A trend chart is about 460 pixels wide: more points than this cannot be told apart.
pub const CHART_POINTS: usize = 500;

/// The observations a chart draws: all of them when they are few; else, per
/// run of consecutive observations, the lowest and the highest (in date
/// order), with the first and last kept, so every breach or spike still shows
/// and memory stays bounded however long the CSV (issue 11 item 9).
fn chart_series(all: &[Observation]) -> Vec<ObservationView> {
    let view = |o: &Observation| ObservationView { date: o.date, value: o.value };
    if all.len() <= CHART_POINTS {
        return all.iter().map(view).collect();
    }
    let per = all.len().div_ceil((CHART_POINTS - 2) / 2);
    let mut out = vec![view(&all[0])];
    for run in all[1..all.len() - 1].chunks(per) {
        let low = run.iter().enumerate().min_by(|a, b| a.1.value.total_cmp(&b.1.value)).map(|(i, _)| i);
        let high = run.iter().enumerate().max_by(|a, b| a.1.value.total_cmp(&b.1.value)).map(|(i, _)| i);
        let (Some(low), Some(high)) = (low, high) else { continue };
        let (first, second) = (low.min(high), low.max(high));
        out.push(view(&run[first]));
        if second != first {
            out.push(view(&run[second]));
        }
    }
    out.push(view(&all[all.len() - 1]));
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Date;
    use crate::span::Span;

    fn observations(n: usize) -> Vec<Observation> {
        let start = Date::parse("2020-01-01").unwrap();
        (0..n)
            .map(|i| Observation {
                date: Date::from_unix(start.unix_seconds() + (i as i64 / 50) * 86_400).unwrap(),
                value: if i == 123_457 { 5000.0 } else { ((i * 7919) % 1000) as f64 },
                note: None,
                span: Span::default(),
            })
            .collect()
    }

    #[test]
    fn a_long_series_is_thinned_keeping_its_ends_and_extremes() {
        let all = observations(300_000);
        let series = chart_series(&all);
        assert!(series.len() <= CHART_POINTS, "{}", series.len());
        assert_eq!((series[0].date, series[0].value), (all[0].date, all[0].value));
        let last = series.last().unwrap();
        assert_eq!((last.date, last.value), (all[all.len() - 1].date, all[all.len() - 1].value));
        assert!(series.iter().any(|o| o.value == 5000.0), "the one spike still shows");
        assert!(series.iter().any(|o| o.value == 0.0), "and the lowest value");
        assert!(series.windows(2).all(|w| w[0].date <= w[1].date), "in date order");
        let few = observations(CHART_POINTS);
        assert_eq!(chart_series(&few).len(), CHART_POINTS, "a short series is drawn whole");
    }
}
