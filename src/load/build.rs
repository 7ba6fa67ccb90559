//! Raw documents → validated [`Project`], the last step of loading. Problems here are load errors
//! (exit 2): the project cannot be judged until they are fixed.

use super::build_manifest::{approval, document_control, manifest};
use super::id_lists::once;
use super::raw::*;
use super::{LoadError, RawProject};
use crate::excerpt::excerpt;
use crate::model::status::{ActionStatus, HazardStatus};
use crate::model::*;
use crate::span::{Located, Sources};

/// A project that could not be read, with every reason why.
#[derive(Debug)]
pub struct LoadFailure {
    pub sources: Sources,
    pub errors: Vec<LoadError>,
}

pub fn build(raw: RawProject) -> Result<Project, LoadFailure> {
    let mut errors = raw.errors;
    let manifest = match raw.manifest {
        Some((m, span)) => manifest(m, span, &mut errors),
        None => None,
    };
    let hazards: Vec<Hazard> = raw.hazards.into_iter().map(|h| hazard(h, &mut errors)).collect();
    let controls = raw.controls.into_iter().map(|c| control(c, &mut errors)).collect();
    let mut metric_data = raw.metric_data;
    let metrics = raw
        .metrics
        .into_iter()
        .enumerate()
        .map(|(i, m)| metric(m, metric_data.remove(&i).unwrap_or_default(), &mut errors))
        .collect();
    let actions = raw.actions.into_iter().map(|a| action(a, &mut errors)).collect();
    let incidents = raw.incidents.into_iter().map(|i| incident(i, &mut errors)).collect();
    let mut dpias = raw.dpias.into_iter();
    let dpia = dpias.next().map(|d| dpia(d, &mut errors));
    for extra in dpias {
        errors.push(LoadError {
            message: "a second `dpia:`: a project has at most one DPIA".into(),
            span: extra.span,
        });
    }
    match manifest {
        Some(manifest) if errors.is_empty() => Ok(Project {
            sources: raw.sources,
            manifest,
            hazards,
            controls,
            metrics,
            actions,
            incidents,
            dpia,
        }),
        _ => {
            errors.sort_by_key(|e| e.span);
            errors.dedup();
            Err(LoadFailure { sources: raw.sources, errors })
        }
    }
}

fn cause(c: RawCause, errors: &mut Vec<LoadError>) -> Cause {
    match c {
        RawCause::Text(text) => Cause { id: None, text, controls: Vec::new() },
        RawCause::Item(item) => {
            check_id(&item.id, errors);
            let controls = once(item.controls, "controls", "control", errors);
            Cause { id: Some(item.id), text: item.text, controls }
        }
    }
}

fn check_id(id: &Located<String>, errors: &mut Vec<LoadError>) {
    if id.value.trim().is_empty() || id.value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errors.push(LoadError {
            message: format!(
                "id `{}` is not valid: an id must be non-empty, with no spaces or control characters (e.g. HAZ-001)",
                excerpt(&id.value)
            ),
            span: id.span,
        });
    }
}

fn risk(r: Located<RawRisk>, errors: &mut Vec<LoadError>) -> Risk {
    let stated_rating = r.value.rating.and_then(|rating| match u8::try_from(rating.value) {
        Ok(v @ 1..=5) => Some(Located::new(v, rating.span)),
        _ => {
            errors.push(LoadError {
                message: format!(
                    "rating {} is out of range: DCB0129/DCB0160 ratings run from 1 to 5. The rating is the \
                     matrix cell for severity and likelihood, not likelihood × severity (a 5×5 product such as \
                     15 for 3 × 5 is a common migration mistake); leave `rating` out and clinsafe works it out",
                    rating.value
                ),
                span: rating.span,
            });
            None
        }
    });
    Risk {
        severity: r.value.severity.and_then(|s| s.value()),
        likelihood: r.value.likelihood.and_then(|l| l.value()),
        stated_rating,
        span: r.span,
    }
}

fn hazard(h: Located<RawHazard>, errors: &mut Vec<LoadError>) -> Hazard {
    let span = h.span;
    let h = h.value;
    check_id(&h.id, errors);
    let status = h.status.as_ref().map_or(HazardStatus::Open, |s| s.value);
    if status == HazardStatus::Transferred && h.transferred_to.as_deref().is_none_or(|t| t.trim().is_empty())
    {
        errors.push(LoadError {
            message: "a hazard with `status: transferred` needs `transferred_to:` naming who holds it now"
                .into(),
            span: h.status.as_ref().map_or(span, |s| s.span),
        });
    }
    Hazard {
        id: h.id.value.clone(),
        span,
        id_span: h.id.span,
        title: h.title,
        description: h.description,
        causes: h.causes.into_iter().map(|c| cause(c, errors)).collect(),
        effects: h.effects,
        harm: h.harm,
        tags: h.tags,
        initial: h.initial_risk.map(|r| risk(r, errors)),
        residual: h.residual_risk.map(|r| risk(r, errors)),
        controls: once(h.controls, "controls", "control", errors),
        related: once(h.related, "related", "hazard", errors),
        justification: h.justification.filter(|j| !j.trim().is_empty()),
        owner: h.owner,
        status,
        transferred_to: h.transferred_to,
        withdrawn_reason: h.withdrawn_reason.filter(|r| !r.trim().is_empty()),
        review_by: h.review_by,
        references: h.references,
        notes: h.notes,
        record: HazardRecord {
            category: h.category,
            raised_on: h.raised_on,
            raised_by: h.raised_by,
            closed_on: h.closed_on,
            closed_by: h.closed_by,
            source: manufacturer_id(h.source, "`source` names the manufacturer's hazard this one localises (its id in their hazard log, e.g. PM-H03)", errors),
        },
        incidents: once(h.incidents, "incidents", "incident", errors),
        review_every: h.review_every,
        reviews: reviews(h.reviews, errors),
    }
}

/// The review history, oldest first (same-day reviews keep their written order).
fn reviews(raw: Vec<RawReview>, errors: &mut Vec<LoadError>) -> Vec<Review> {
    let mut out: Vec<Review> = raw
        .into_iter()
        .map(|r| Review {
            date: r.date,
            by: r.by,
            outcome: r.outcome,
            initial: r.initial.map(|x| risk(x, errors)),
            residual: r.residual.map(|x| risk(x, errors)),
        })
        .collect();
    out.sort_by_key(|r| r.date.value);
    out
}

/// A blank `ref` names no evidence: refused like a missing one, so a control
/// cannot pass as verified on it. Invisible characters alone are blank to a
/// reader too (as the schema's pattern says).
fn evidence_ref(reference: Located<String>, errors: &mut Vec<LoadError>) -> String {
    let what = "evidence needs a `ref` naming it (a test report, an audit, a document)";
    super::required::refuse_blank(&reference, what, "", errors);
    reference.value
}

/// An id in the manufacturer's report (`transferred_from`, `source`): a blank
/// one names nothing, yet the safety case would list the item as taken from
/// that report. Refused where it is written, like a blank evidence `ref`.
fn manufacturer_id(
    id: Option<Located<String>>,
    names: &str,
    errors: &mut Vec<LoadError>,
) -> Option<Located<String>> {
    if let Some(id) = &id {
        super::required::refuse_blank(id, names, ": write the id, or remove the key", errors);
    }
    id
}

fn control(c: Located<RawControl>, errors: &mut Vec<LoadError>) -> Control {
    let span = c.span;
    let c = c.value;
    check_id(&c.id, errors);
    Control {
        id: c.id.value.clone(),
        span,
        id_span: c.id.span,
        title: c.title,
        description: c.description,
        control_type: c.control_type,
        mitigates: once(c.mitigates, "mitigates", "hazard", errors),
        owner: c.owner,
        status: c.status.value,
        status_span: c.status.span,
        evidence: c
            .evidence
            .into_iter()
            .map(|e| Evidence {
                reference: evidence_ref(e.reference, errors),
                date: e.date,
                description: e.description,
                valid_until: e.valid_until,
            })
            .collect(),
        due: c.due,
        every: c.every,
        last_done: c.last_done,
        monitored_by: once(c.monitored_by, "monitored_by", "metric", errors),
        transferred_to: c.transferred_to,
        transferred_from: manufacturer_id(
            c.transferred_from,
            "`transferred_from` names the control's id in the manufacturer's report (e.g. TC-02)",
            errors,
        ),
        references: c.references,
        notes: c.notes,
    }
}

fn metric(
    m: Located<RawMetric>,
    csv_rows: Vec<super::CsvObservation>,
    errors: &mut Vec<LoadError>,
) -> Metric {
    let span = m.span;
    let m = m.value;
    check_id(&m.id, errors);
    for (name, v) in [("threshold", &m.threshold), ("warn", &m.warn)] {
        if let Some(v) = v.as_ref().filter(|v| !v.value.is_finite()) {
            errors.push(LoadError {
                message: format!("`{}` must be a finite number", excerpt(name)),
                span: v.span,
            });
        }
    }
    if m.better == Better::Neutral {
        for (name, v) in [("threshold", &m.threshold), ("warn", &m.warn)] {
            if let Some(v) = v {
                let span = v.span;
                errors.push(LoadError {
                    message: format!(
                        "`{name}` on a `better: neutral` metric: a neutral metric (a volume) has no bad \
                         direction, so nothing can be past a limit; use `better: lower` or `higher`, or drop `{name}`"
                    ),
                    span,
                });
            }
        }
    }
    // A warning level past the threshold is never reached first: `metric-warning`
    // ("past `warn` but not the threshold") could never fire.
    if let (Some(warn), Some(threshold)) = (&m.warn, &m.threshold) {
        let (w, t) = (warn.value, threshold.value);
        let past = match m.better {
            Better::Lower => (w > t).then_some(("above", "lower", "at or below")),
            Better::Higher => (w < t).then_some(("below", "higher", "at or above")),
            Better::Neutral => None,
        };
        if let Some((side, better, before)) = past {
            errors.push(LoadError {
                message: format!(
                    "`warn` ({w}) is {side} `threshold` ({t}), past it for a `better: {better}` metric: \
                     the warning level must be {before} the threshold, so that it is reached first"
                ),
                span: warn.span,
            });
        }
    }
    let worsening_after = match m.worsening_after {
        Some(n) if n.value == 0 => {
            errors.push(LoadError { message: "`worsening_after` must be at least 1".into(), span: n.span });
            3
        }
        Some(n) => n.value,
        None => 3,
    };
    let mut observations: Vec<Observation> = m
        .observations
        .into_iter()
        .map(|o| Observation { date: o.value.date, value: o.value.value, note: o.value.note, span: o.span })
        .chain(csv_rows.into_iter().map(|r| Observation {
            date: r.date,
            value: r.value,
            note: r.note,
            span: r.span,
        }))
        .collect();
    for o in &observations {
        if !o.value.is_finite() {
            errors.push(LoadError {
                message: "an observation's value must be a finite number".into(),
                span: o.span,
            });
        }
    }
    // Stable sort: same-day observations keep the order they were written in.
    observations.sort_by_key(|o| o.date);
    let incidents =
        incident_source(m.from, m.filter, !observations.is_empty() || m.data.is_some(), span, errors);
    Metric {
        id: m.id.value.clone(),
        span,
        id_span: m.id.span,
        title: m.title,
        unit: m.unit,
        better: m.better,
        threshold: m.threshold.map(|v| v.value),
        warn: m.warn.map(|v| v.value),
        monitors: once(m.monitors, "monitors", "control", errors),
        stale_after: m.stale_after,
        worsening_after,
        observations,
        incidents,
    }
}

/// `from:` and `filter:`: a metric counts either its own observations or the
/// incident log, never both; a filter only means something on the log.
fn incident_source(
    from: Option<Located<MetricFrom>>,
    filter: Option<Located<RawIncidentFilter>>,
    has_observations: bool,
    span: crate::span::Span,
    errors: &mut Vec<LoadError>,
) -> Option<IncidentFilter> {
    let counts_incidents = from.as_ref().is_some_and(|f| f.value == MetricFrom::Incidents);
    if !counts_incidents {
        if let Some(f) = &filter {
            errors.push(LoadError {
                message: "`filter` chooses which incidents a metric counts: it needs `from: incidents`"
                    .into(),
                span: f.span,
            });
        }
        return None;
    }
    let from_span = from.map_or(span, |f| f.span);
    if has_observations {
        errors.push(LoadError {
            message:
                "a metric with `from: incidents` counts the incident log: drop its `observations` and `data`"
                    .into(),
            span: from_span,
        });
    }
    let filter = filter.map(|f| f.value);
    Some(IncidentFilter {
        harm: filter.as_ref().map(|f| f.harm.clone()).unwrap_or_default(),
        hazards: once(
            filter.as_ref().map(|f| f.hazards.clone()).unwrap_or_default(),
            "hazards",
            "hazard",
            errors,
        ),
        controls: once(filter.map(|f| f.controls).unwrap_or_default(), "controls", "control", errors),
        span: from_span,
    })
}

fn incident(i: Located<RawIncident>, errors: &mut Vec<LoadError>) -> Incident {
    let span = i.span;
    let i = i.value;
    check_id(&i.id, errors);
    Incident {
        id: i.id.value.clone(),
        span,
        id_span: i.id.span,
        date: i.date,
        title: i.title,
        reference: i.reference,
        harm: i.harm,
        hazards: once(i.hazards, "hazards", "hazard", errors),
        controls: once(i.controls, "controls", "control", errors),
        status: i.status.unwrap_or(IncidentStatus::Open),
        learning: i.learning,
    }
}

fn action(a: Located<RawAction>, errors: &mut Vec<LoadError>) -> Action {
    let span = a.span;
    let a = a.value;
    check_id(&a.id, errors);
    Action {
        id: a.id.value.clone(),
        span,
        id_span: a.id.span,
        title: a.title,
        owner: a.owner,
        due: a.due,
        status: a.status.unwrap_or(ActionStatus::Open),
        done_on: a.done_on,
        every: a.every,
        last_done: a.last_done,
        relates_to: once(a.relates_to, "relates_to", "item", errors),
    }
}

fn dpia(d: Located<RawDpia>, errors: &mut Vec<LoadError>) -> Dpia {
    let span = d.span;
    let d = d.value;
    let (nature, scope, context, purposes) = match d.processing {
        Some(p) => (p.nature, p.scope, p.context, p.purposes),
        None => (None, None, None, None),
    };
    let (article_6, article_9) = match d.lawful_basis {
        Some(l) => (l.article_6, l.article_9),
        None => (None, None),
    };
    Dpia {
        span,
        sections: DpiaSections {
            title: d.title,
            nature,
            scope,
            context,
            purposes,
            article_6,
            article_9,
            data_categories: d.data_categories,
            data_subjects: d.data_subjects,
            recipients: d.recipients,
            retention: d.retention,
            consultation: d.consultation,
            necessity: d.necessity,
            dpo_advice: d.dpo_advice,
        },
        items: DpiaTemplateItems {
            need: d.need,
            controller: d.controller,
            dpo: d.dpo,
            processors: d.processors,
            international_transfers: d.international_transfers,
            individuals_rights: d.individuals_rights,
        },
        risks: d
            .risks
            .into_iter()
            .map(|r| {
                let span = r.span;
                let r = r.value;
                check_id(&r.id, errors);
                let (rl, rs, rspan) = match r.residual {
                    Some(res) => (res.value.likelihood, res.value.severity, Some(res.span)),
                    None => (None, None, None),
                };
                DpiaRisk {
                    id: r.id.value.clone(),
                    span,
                    id_span: r.id.span,
                    title: r.title,
                    likelihood: r.likelihood,
                    severity: r.severity,
                    controls: once(r.controls, "controls", "control", errors),
                    residual_likelihood: rl,
                    residual_severity: rs,
                    residual_span: rspan,
                    approved: r.approved,
                    effect: r.effect,
                }
            })
            .collect(),
        sign_off: d.sign_off.map(approval),
        document: d.document.map(document_control),
        outcomes: d.outcomes.map(outcomes),
    }
}

fn outcomes(o: RawDpiaOutcomes) -> DpiaOutcomes {
    let line = |s: Option<Located<RawDpiaSignature>>| {
        s.map(|s| DpiaSignature {
            span: s.span,
            name: s.value.name,
            role: s.value.role,
            date: s.value.date,
            comments: s.value.comments,
            decision: None,
        })
    };
    DpiaOutcomes {
        measures_approved_by: line(o.measures_approved_by),
        residual_risks_approved_by: line(o.residual_risks_approved_by),
        dpo_advice_provided: line(o.dpo_advice_provided),
        dpo_advice_decision: o.dpo_advice_decision.map(|s| DpiaSignature {
            span: s.span,
            name: s.value.name,
            role: s.value.role,
            date: s.value.date,
            comments: s.value.comments,
            decision: Some(s.value.decision),
        }),
        consultation_reviewed_by: line(o.consultation_reviewed_by),
        kept_under_review_by: line(o.kept_under_review_by),
    }
}
