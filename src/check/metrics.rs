//! Rules about monitoring: breaches, warnings, worsening trends, stale data.
//! Every finding names the controls the metric monitors and the hazards behind them.

use super::{finding, list, Context};
use crate::diag::Finding;
use crate::model::Metric;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    for m in &cx.project.metrics {
        let touches = |f: Finding| {
            let controls = cx.graph.controls_monitored_by(&m.id);
            let hazards = cx.graph.hazards_monitored_by(&m.id);
            f.with_note(format!("monitors controls: {}; hazards: {}", list(&controls), list(&hazards)))
        };
        let unit = m.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
        let Some(latest) = m.latest() else {
            out.push(touches(finding(
                "metric-stale",
                &m.id,
                format!("metric `{}` has no observations", m.id),
                m.id_span,
            )));
            continue;
        };
        if let Some(threshold) = m.threshold.filter(|t| m.is_past(latest.value, *t)) {
            out.push(touches(finding(
                "metric-breach",
                &m.id,
                format!(
                    "metric `{}` is {}{unit} on {}, past its threshold of {}{unit}",
                    m.id, latest.value, latest.date, threshold
                ),
                latest.span,
            )));
        } else if let Some(warn) = m.warn.filter(|w| m.is_past(latest.value, *w)) {
            out.push(touches(finding(
                "metric-warning",
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
                "metric-worsening",
                &m.id,
                format!(
                    "metric `{}` got worse {} times in a row: {}",
                    m.id,
                    m.worsening_after,
                    run.iter().map(|v| format!("{v}")).collect::<Vec<_>>().join(" → ")
                ),
                latest.span,
            )));
        }
        if let Some(stale_after) = m.stale_after {
            if latest.date.plus(stale_after) < cx.as_of {
                out.push(touches(finding(
                    "metric-stale",
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
