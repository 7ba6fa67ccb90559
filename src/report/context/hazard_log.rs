//! The hazard log's views (also shown in the safety case): each hazard with
//! its risks, links and findings, and each control with its upkeep.

use super::*;
use crate::model::date::Period;
use crate::model::risk::{self, Likelihood, Severity};
use crate::model::Risk;

#[derive(Serialize, Clone, PartialEq, Eq, Hash)]
pub struct RiskView {
    pub severity: Option<&'static str>,
    pub likelihood: Option<&'static str>,
    pub rating: Option<u8>,
    pub meaning: Option<&'static str>,
}

#[derive(Serialize, PartialEq, Eq, Hash)]
pub struct CauseView {
    pub id: Option<String>,
    pub text: String,
    #[serde(serialize_with = "super::shared::list")]
    pub controls: Vec<String>,
}

#[derive(Serialize)]
pub struct HazardView {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    #[serde(serialize_with = "super::shared::list")]
    /// [`CauseView`]s, each distinct one converted once (causes recur across hazards).
    pub causes: Vec<Shared>,
    #[serde(serialize_with = "super::shared::list")]
    pub effects: Vec<String>,
    pub harm: Option<String>,
    #[serde(serialize_with = "super::shared::list")]
    pub tags: Vec<String>,
    /// [`RiskView`]s, each distinct one converted once.
    pub initial: Option<Shared>,
    pub residual: Option<Shared>,
    pub justification: Option<String>,
    pub owner: Option<String>,
    pub status: &'static str,
    pub transferred_to: Option<String>,
    pub withdrawn: bool,
    pub withdrawn_reason: Option<String>,
    pub review_by: Option<Date>,
    /// The next review: `review_by`, or the last review plus `review_every`.
    pub next_review: Option<Date>,
    /// How `next_review` was worked out, when it is not `review_by`.
    pub next_review_basis: Option<String>,
    pub review_every: Option<Period>,
    pub review_overdue: bool,
    /// The review history as of the day, oldest first.
    #[serde(serialize_with = "super::shared::list")]
    pub reviews: Vec<super::ReviewView>,
    /// Ratings that differ now from those the last review recorded, in words.
    #[serde(serialize_with = "super::shared::list")]
    pub ratings_since_review: Vec<String>,
    /// Incidents linked to it (either side), as of the day.
    #[serde(serialize_with = "super::shared::list")]
    pub incidents: Vec<super::IncidentView>,
    #[serde(serialize_with = "super::shared::list")]
    pub references: Vec<String>,
    #[serde(serialize_with = "super::shared::list")]
    pub notes: Vec<String>,
    pub category: Option<String>,
    pub raised_on: Option<Date>,
    pub raised_by: Option<String>,
    pub closed_on: Option<Date>,
    pub closed_by: Option<String>,
    pub source: Option<String>,
    /// [`ControlRef`]s, each control's converted once.
    #[serde(serialize_with = "super::shared::list")]
    pub controls: Vec<Shared>,
    #[serde(serialize_with = "super::shared::list")]
    pub related: Vec<Shared>,
    #[serde(serialize_with = "super::shared::list")]
    pub metrics: Vec<Shared>,
    #[serde(serialize_with = "super::shared::list")]
    pub findings: Vec<Shared>,
    /// A metric behind one of its controls is breached or worsening.
    pub review_required: bool,
    /// Why review is required: each such metric, in words.
    #[serde(serialize_with = "super::shared::list")]
    pub review_reasons: Vec<String>,
}

/// A control where a hazard lists it: the link, and its evidence, so the
/// hazard log shows what shows the control works without a second document.
#[derive(Serialize)]
pub struct ControlRef {
    #[serde(flatten)]
    pub link: Link,
    /// [`EvidenceView`]s, shared with the control's own view.
    pub evidence: Shared,
}

#[derive(Serialize)]
pub struct EvidenceView {
    pub reference: String,
    pub date: Option<Date>,
    pub description: Option<String>,
    pub valid_until: Option<Date>,
    /// This is the control's newest evidence and it is past `valid_until`.
    pub expired: bool,
    /// Dated after the day the report is checked as of: not counted.
    pub future: bool,
}

#[derive(Serialize)]
pub struct ControlView {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub control_type: &'static str,
    pub status: &'static str,
    pub owner: Option<String>,
    /// [`EvidenceView`]s, shared with each hazard's [`ControlRef`] to it.
    pub evidence: Shared,
    /// Some evidence has a description (shown under the controls table).
    pub evidence_described: bool,
    pub due: Option<Date>,
    pub every: Option<Period>,
    pub last_done: Option<Date>,
    pub next_due: Option<Date>,
    pub overdue: bool,
    pub transferred_to: Option<String>,
    pub transferred_from: Option<String>,
    #[serde(serialize_with = "super::shared::list")]
    pub references: Vec<String>,
    /// Text with no field of its own (an imported sheet's extra columns).
    #[serde(serialize_with = "super::shared::list")]
    pub notes: Vec<String>,
    #[serde(serialize_with = "super::shared::list")]
    pub hazards: Vec<Shared>,
    #[serde(serialize_with = "super::shared::list")]
    pub dpia_risks: Vec<Shared>,
    #[serde(serialize_with = "super::shared::list")]
    pub metrics: Vec<Shared>,
    /// A metric monitoring it is breached or worsening.
    pub effectiveness_in_doubt: bool,
}

fn risk_view(r: &Option<Risk>) -> Option<RiskView> {
    let r = r.as_ref()?;
    let rating = r.rating();
    Some(RiskView {
        severity: r.severity.map(Severity::as_str),
        likelihood: r.likelihood.map(Likelihood::words),
        rating,
        meaning: rating.map(risk::rating_meaning),
    })
}

pub(super) fn hazards(
    a: &Analysis,
    linker: &Linker,
    by_subject: &BTreeMap<&str, Vec<Shared>>,
    review_hazards: &[(&str, String)],
    incidents: &[super::IncidentView],
    evidence: &[Shared],
) -> Vec<HazardView> {
    use crate::facts::records::ReviewBasis;
    let g = &a.graph;
    let review_flag = a.project.manifest.raises(&rules::REVIEW_OVERDUE);
    let index: BTreeMap<&str, usize> =
        a.project.controls.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    // A control listed by several hazards, and each rating, are converted once.
    let mut refs: Interner<&str> = Interner::new();
    let mut control_ref = |id| {
        refs.get_with(id, || ControlRef {
            link: linker.link(id),
            evidence: index
                .get(id)
                .map_or_else(|| Shared::list::<EvidenceView>(&[]), |&i| evidence[i].clone()),
        })
    };
    let mut risks: Interner<RiskView> = Interner::new();
    let mut causes: Interner<CauseView> = Interner::new();
    let mut risk = |r: &Option<Risk>| risk_view(r).map(|r| risks.get(r));
    a.project
        .hazards
        .iter()
        .zip(&a.facts.hazard_review_overdue)
        .zip(&a.facts.hazard_reviews)
        .map(|((h, &review_overdue), next)| HazardView {
            id: h.id.clone(),
            title: h.title.clone(),
            description: h.description.clone(),
            causes: h
                .causes
                .iter()
                .map(|c| {
                    let view = CauseView {
                        id: c.id.as_ref().map(|i| i.value.clone()),
                        text: c.text.clone(),
                        controls: c.controls.iter().map(|l| l.value.clone()).collect(),
                    };
                    causes.get(view)
                })
                .collect(),
            effects: h.effects.clone(),
            harm: h.harm.clone(),
            tags: h.tags.clone(),
            initial: risk(&h.initial),
            residual: risk(&h.residual),
            justification: h.justification.clone(),
            owner: h.owner.clone(),
            status: h.status.as_str(),
            transferred_to: h.transferred_to.clone(),
            withdrawn: h.is_withdrawn(),
            withdrawn_reason: h.withdrawn_reason.clone(),
            review_by: h.review_by.as_ref().map(|d| d.value),
            next_review: next.next.as_ref().map(|n| n.date),
            next_review_basis: next.next.as_ref().and_then(|n| match n.basis {
                ReviewBasis::ReviewBy => None,
                ReviewBasis::LastReview(last, every) => Some(format!("last review {last} + {every}")),
                ReviewBasis::Raised(raised, every) => {
                    Some(format!("never reviewed: raised {raised} + {every}"))
                }
            }),
            review_every: h.review_every.as_ref().map(|e| e.value),
            review_overdue: review_overdue && review_flag,
            reviews: super::records::reviews(h, a.as_of()),
            ratings_since_review: super::records::since_last_review(h, next.last.as_ref().map(|d| d.value)),
            incidents: super::records::of_hazard(incidents, &h.id),
            references: h.references.clone(),
            notes: h.notes.clone(),
            category: h.record.category.clone(),
            raised_on: h.record.raised_on.as_ref().map(|d| d.value),
            raised_by: h.record.raised_by.clone(),
            closed_on: h.record.closed_on.as_ref().map(|d| d.value),
            closed_by: h.record.closed_by.clone(),
            source: h.record.source.as_ref().map(|s| s.value.clone()),
            controls: g.controls_of(&h.id).into_iter().map(&mut control_ref).collect(),
            related: linker.links(g.related(&h.id)),
            metrics: {
                let mut metrics = g.metrics_reaching(&h.id);
                metrics.sort_by_cached_key(|m| natural_key(m));
                linker.links(metrics)
            },
            findings: by_subject.get(h.id.as_str()).cloned().unwrap_or_default(),
            review_required: review_hazards.iter().any(|(x, _)| *x == h.id),
            review_reasons: review_hazards
                .iter()
                .filter(|(x, _)| *x == h.id)
                .map(|(_, why)| why.clone())
                .collect(),
        })
        .collect()
}

/// Each control's evidence (see [`evidence`]), in the project's order, in tera's form.
pub(super) fn all_evidence(a: &Analysis) -> Vec<Shared> {
    (0..a.project.controls.len()).map(|i| Shared::list(&evidence(a, i))).collect()
}

/// The evidence of `a.project.controls[i]`, its newest flagged while expired
/// (as far as `evidence-expired` is raised).
fn evidence(a: &Analysis, i: usize) -> Vec<EvidenceView> {
    let expired_flag = a.project.manifest.raises(&rules::EVIDENCE_EXPIRED);
    let expired = &a.facts.evidence_expired[i];
    a.project.controls[i]
        .evidence
        .iter()
        .map(|e| EvidenceView {
            reference: e.reference.clone(),
            date: e.date.as_ref().map(|d| d.value),
            future: !crate::facts::point_in_time::counted_opt(e.date.as_ref().map(|d| d.value), a.as_of()),
            description: e.description.clone(),
            valid_until: e.valid_until.as_ref().map(|d| d.value),
            expired: expired_flag
                && expired.as_ref().is_some_and(|x| e.valid_until.as_ref().is_some_and(|v| v.span == x.span)),
        })
        .collect()
}

pub(super) fn controls(
    a: &Analysis,
    linker: &Linker,
    doubtful_controls: &[&str],
    evidence: &[Shared],
) -> Vec<ControlView> {
    let g = &a.graph;
    let overdue_flag = a.project.manifest.raises(&rules::ACTION_OVERDUE);
    a.project
        .controls
        .iter()
        .zip(&a.facts.controls)
        .enumerate()
        .map(|(i, (c, upkeep))| ControlView {
            id: c.id.clone(),
            title: c.title.clone(),
            description: c.description.clone(),
            control_type: c.control_type.as_str(),
            status: c.status.as_str(),
            owner: c.owner.clone(),
            evidence: evidence[i].clone(),
            evidence_described: c.evidence.iter().any(|e| e.description.is_some()),
            due: c.due.as_ref().map(|d| d.value),
            every: c.every.as_ref().map(|e| e.value),
            last_done: c.last_done.as_ref().map(|d| d.value),
            next_due: upkeep.recurrence.as_ref().and_then(|r| r.next),
            overdue: upkeep.overdue() && overdue_flag,
            transferred_to: c.transferred_to.clone(),
            transferred_from: c.transferred_from.as_ref().map(|t| t.value.clone()),
            references: c.references.clone(),
            notes: c.notes.clone(),
            hazards: linker.links(g.hazards_of_control(&c.id)),
            dpia_risks: linker.links(g.dpia_risks_of_control(&c.id)),
            metrics: linker.links(g.metrics_of(&c.id)),
            effectiveness_in_doubt: doubtful_controls.contains(&c.id.as_str()),
        })
        .collect()
}
