//! Rules about monitoring: breaches, warnings, worsening trends, stale data.
//! Every finding names the controls the metric monitors and the hazards behind them.

use super::{finding, list, Context};
use crate::check::Finding;
use crate::model::Position;
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    for (m, facts) in cx.project.metrics.iter().zip(&cx.facts.metrics) {
        // Every metric finding names what it tells about, in the message itself
        // (the SPEC asks for it, and CI annotations show only the message).
        let touches = |mut f: Finding| {
            let controls = cx.graph.controls_monitored_by(&m.id);
            let hazards = cx.graph.hazards_monitored_by(&m.id);
            f.message = format!("{} (controls: {}; hazards: {})", f.message, list(&controls), list(&hazards));
            f
        };
        let unit = m.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
        let Some(latest) = facts.latest(m) else {
            out.push(touches(finding(
                &rules::METRIC_STALE,
                &m.id,
                format!("metric `{}` has no observations", m.id),
                m.id_span,
            )));
            continue;
        };
        match facts.position {
            Position::Breach { limit } => out.push(touches(finding(
                &rules::METRIC_BREACH,
                &m.id,
                format!(
                    "metric `{}` is {}{unit} on {}, past its threshold of {}{unit}",
                    m.id, latest.value, latest.date, limit
                ),
                latest.span,
            ))),
            Position::Warning { limit } => out.push(touches(finding(
                &rules::METRIC_WARNING,
                &m.id,
                format!(
                    "metric `{}` is {}{unit} on {}, past its warning level of {}{unit}",
                    m.id, latest.value, latest.date, limit
                ),
                latest.span,
            ))),
            Position::Ok | Position::NoData => {}
        }
        if let Some(run) = &facts.worsening {
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
        if let (true, Some(stale_after)) = (facts.stale, m.stale_after) {
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
