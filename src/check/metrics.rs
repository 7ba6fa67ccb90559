//! Rules about monitoring: breaches, warnings, worsening trends, stale data.
//! Every finding names the controls the metric monitors and the hazards behind them.

use super::{finding, list, Context};
use crate::check::Finding;
use crate::model::Metric;
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    for m in &cx.project.metrics {
        // Every metric finding names what it tells about, in the message itself
        // (the SPEC asks for it, and CI annotations show only the message).
        let touches = |mut f: Finding| {
            let controls = cx.graph.controls_monitored_by(&m.id);
            let hazards = cx.graph.hazards_monitored_by(&m.id);
            f.message = format!("{} (controls: {}; hazards: {})", f.message, list(&controls), list(&hazards));
            f
        };
        let unit = m.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
        let Some(latest) = m.latest() else {
            out.push(touches(finding(
                &rules::METRIC_STALE,
                &m.id,
                format!("metric `{}` has no observations", m.id),
                m.id_span,
            )));
            continue;
        };
        if let Some(threshold) = m.threshold.filter(|t| m.is_past(latest.value, *t)) {
            out.push(touches(finding(
                &rules::METRIC_BREACH,
                &m.id,
                format!(
                    "metric `{}` is {}{unit} on {}, past its threshold of {}{unit}",
                    m.id, latest.value, latest.date, threshold
                ),
                latest.span,
            )));
        } else if let Some(warn) = m.warn.filter(|w| m.is_past(latest.value, *w)) {
            out.push(touches(finding(
                &rules::METRIC_WARNING,
                &m.id,
                format!(
                    "metric `{}` is {}{unit} on {}, past its warning level of {}{unit}",
                    m.id, latest.value, latest.date, warn
                ),
                latest.span,
            )));
        }
        if let Some(run) = worsening_run(m) {
            out.push(touches(finding(
                &rules::METRIC_WORSENING,
                &m.id,
                format!(
                    "metric `{}` got worse {} in a row: {}",
                    m.id,
                    crate::words::count(m.worsening_after, "time"),
                    run.iter().map(|v| format!("{v}")).collect::<Vec<_>>().join(" → ")
                ),
                latest.span,
            )));
        }
        if let Some(stale_after) = m.stale_after {
            if latest.date.plus(stale_after) < cx.as_of {
                out.push(touches(finding(
                    &rules::METRIC_STALE,
                    &m.id,
                    format!(
                        "metric `{}`'s latest observation is from {}, older than {stale_after} as of {}",
                        m.id, latest.date, cx.as_of
                    ),
                    latest.span,
                )));
            }
        }
    }
}

/// The last `worsening_after + 1` values when each is worse than the one
/// before it; `None` when there is no such run (or too few observations).
pub fn worsening_run(m: &Metric) -> Option<Vec<f64>> {
    let n = m.worsening_after as usize;
    let values: Vec<f64> = m.observations.iter().map(|o| o.value).collect();
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
            prop_assert!(worsening_run(&m).is_some());
            // One more required move than there is data for: no finding.
            let m = metric(better, steps.len() as u32 + 1 + prefix.len() as u32, &values);
            prop_assert!(worsening_run(&m).is_none());
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
            prop_assert_eq!(worsening_run(&m).is_some(), all_worse);
        }
    }
}
