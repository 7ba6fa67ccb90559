//! What the templates see: one serializable view of the analysed project,
//! shared by every document. Derived facts (ratings, next due dates, who
//! links to whom, which findings touch what) are computed here once, so
//! templates only lay out.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::check::list;
use crate::check::Finding;
use crate::model::date::{Date, Month};
use crate::model::risk::{self, Likelihood, Severity};
use crate::model::status::{ActionStatus, Better, ControlStatus, ControlType, DocumentStatus, HazardStatus};
use crate::model::{Approval, DpiaSections, Metric, Organisation, Person, Position, Risk, System};
use crate::rules::{self, Level};
use crate::Analysis;

mod checklist;
mod dpia;
mod metrics;

use checklist::checklist;
use dpia::dpia_view;
use metrics::{metric_view, period_breaches};

#[derive(Serialize)]
pub struct ReportContext {
    pub meta: Meta,
    pub system: System,
    pub organisation: Option<Organisation>,
    pub document: DocumentView,
    pub cso: Option<Person>,
    pub approvals: Vec<Approval>,
    pub acceptance: AcceptanceView,
    pub matrix: Vec<MatrixRow>,
    pub severities: Vec<&'static str>,
    pub ratings: Vec<RatingCount>,
    pub summary: Summary,
    pub hazards: Vec<HazardView>,
    pub controls: Vec<ControlView>,
    pub metrics: Vec<MetricView>,
    pub findings: Vec<FindingView>,
    pub checklist: Vec<OwnerGroup>,
    pub month: MonthView,
    /// Observations in the reporting month past a metric's threshold or warning level.
    pub period_breaches: Vec<BreachView>,
    pub dpia: Option<DpiaView>,
    pub traceability: Traceability,
}

#[derive(Serialize)]
pub struct Meta {
    pub clinsafe_version: &'static str,
    pub as_of: String,
    /// SHA-256 over every input file (name and bytes), in name order.
    pub digest: String,
    pub input_files: usize,
}

#[derive(Serialize)]
pub struct DocumentView {
    pub id: String,
    pub version: String,
    pub status: &'static str,
    pub is_draft: bool,
    pub date: Option<String>,
    pub review_by: Option<String>,
    pub review_overdue: bool,
    pub authors: Vec<String>,
    pub distribution: Vec<String>,
    pub owner: Option<String>,
    pub history: Vec<crate::model::HistoryEntry>,
    pub notes: Vec<String>,
}

#[derive(Serialize)]
pub struct CauseView {
    pub id: Option<String>,
    pub text: String,
    pub controls: Vec<String>,
}

#[derive(Serialize)]
pub struct AcceptanceView {
    pub max_residual_rating: u8,
}

#[derive(Serialize)]
pub struct MatrixRow {
    pub likelihood: &'static str,
    pub cells: Vec<MatrixCell>,
}

#[derive(Serialize)]
pub struct MatrixCell {
    pub severity: &'static str,
    pub rating: u8,
    pub initial: usize,
    pub residual: usize,
}

#[derive(Serialize)]
pub struct RatingCount {
    pub rating: u8,
    pub meaning: &'static str,
    pub initial: usize,
    pub residual: usize,
}

#[derive(Serialize)]
pub struct Summary {
    pub hazards: usize,
    pub open: usize,
    pub closed: usize,
    pub transferred: usize,
    pub unassessed: usize,
    pub controls: usize,
    pub controls_planned: usize,
    pub controls_implemented: usize,
    pub controls_verified: usize,
    pub transferred_controls: usize,
    pub metrics: usize,
    pub errors: usize,
    pub warnings: usize,
    pub acceptable: bool,
}

#[derive(Serialize, Clone)]
pub struct RiskView {
    pub severity: Option<&'static str>,
    pub likelihood: Option<&'static str>,
    pub rating: Option<u8>,
    pub meaning: Option<&'static str>,
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub id: String,
    pub title: String,
    /// Which document holds the item (`hazard-log.html`, …) for cross links.
    pub status: Option<&'static str>,
}

#[derive(Serialize, Clone)]
pub struct FindingView {
    pub rule: &'static str,
    pub level: &'static str,
    pub subject: String,
    pub message: String,
    pub place: Option<String>,
    pub notes: Vec<String>,
}

#[derive(Serialize)]
pub struct HazardView {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub causes: Vec<CauseView>,
    pub effects: Vec<String>,
    pub harm: Option<String>,
    pub tags: Vec<String>,
    pub initial: Option<RiskView>,
    pub residual: Option<RiskView>,
    pub justification: Option<String>,
    pub owner: Option<String>,
    pub status: &'static str,
    pub transferred_to: Option<String>,
    pub review_by: Option<String>,
    pub review_overdue: bool,
    pub references: Vec<String>,
    pub notes: Vec<String>,
    pub controls: Vec<Link>,
    pub related: Vec<Link>,
    pub metrics: Vec<Link>,
    pub findings: Vec<FindingView>,
    /// A metric behind one of its controls is breached or worsening.
    pub review_required: bool,
}

#[derive(Serialize)]
pub struct EvidenceView {
    pub reference: String,
    pub date: Option<String>,
    pub description: Option<String>,
}

#[derive(Serialize)]
pub struct ControlView {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub control_type: &'static str,
    pub status: &'static str,
    pub owner: Option<String>,
    pub evidence: Vec<EvidenceView>,
    pub due: Option<String>,
    pub every: Option<String>,
    pub last_done: Option<String>,
    pub next_due: Option<String>,
    pub overdue: bool,
    pub transferred_to: Option<String>,
    pub references: Vec<String>,
    pub hazards: Vec<Link>,
    pub dpia_risks: Vec<Link>,
    pub metrics: Vec<Link>,
    /// A metric monitoring it is breached or worsening.
    pub effectiveness_in_doubt: bool,
}

#[derive(Serialize)]
pub struct ObservationView {
    pub date: String,
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
    /// ok | warning | breach | no data
    pub status: &'static str,
    pub worsening: bool,
    pub stale: bool,
    pub observations: usize,
    /// latest against the one before: worse | better | steady | n/a
    pub trend: &'static str,
    pub series: Vec<ObservationView>,
    pub controls: Vec<Link>,
    pub hazards: Vec<Link>,
}

#[derive(Serialize)]
pub struct MonthView {
    pub label: String,
    pub start: String,
    pub end: String,
}

#[derive(Serialize)]
pub struct BreachView {
    pub metric: String,
    pub title: String,
    pub date: String,
    pub value: f64,
    pub unit: Option<String>,
    /// breach | warning
    pub kind: &'static str,
    pub limit: f64,
    pub controls: Vec<Link>,
    pub hazards: Vec<Link>,
}

#[derive(Serialize)]
pub struct ChecklistItem {
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    pub due: Option<String>,
    pub overdue: bool,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct OwnerGroup {
    pub owner: String,
    pub items: Vec<ChecklistItem>,
}

#[derive(Serialize)]
pub struct DpiaRiskView {
    pub id: String,
    pub title: String,
    pub likelihood: Option<&'static str>,
    pub severity: Option<&'static str>,
    pub level: Option<&'static str>,
    pub residual_likelihood: Option<&'static str>,
    pub residual_severity: Option<&'static str>,
    pub residual_level: Option<&'static str>,
    pub approved: Option<bool>,
    pub measures: Vec<Link>,
}

#[derive(Serialize)]
pub struct DpiaView {
    #[serde(flatten)]
    pub sections: DpiaSections,
    pub risks: Vec<DpiaRiskView>,
    pub sign_off: Option<Approval>,
    pub findings: Vec<FindingView>,
    pub prior_consultation_needed: bool,
}

/// The hazard × control matrix while it fits on a page; beyond
/// [`MATRIX_MAX_CONTROLS`] columns, an index of each control's hazards instead
/// (a 1,000 × 2,000 matrix would be two million cells nobody can read).
#[derive(Serialize)]
pub struct Traceability {
    pub as_matrix: bool,
    /// Controls that mitigate at least one hazard, as matrix columns.
    pub controls: Vec<String>,
    pub rows: Vec<TraceRow>,
    /// Without the matrix: each control with the hazards it mitigates.
    pub index: Vec<TraceIndexRow>,
}

#[derive(Serialize)]
pub struct TraceIndexRow {
    pub control: String,
    pub hazards: Vec<String>,
}

pub const MATRIX_MAX_CONTROLS: usize = 30;

#[derive(Serialize)]
pub struct TraceRow {
    pub hazard: String,
    pub cells: Vec<bool>,
}

fn opt_date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn risk_view(r: &Option<Risk>) -> Option<RiskView> {
    let r = r.as_ref()?;
    let rating = r.rating();
    Some(RiskView {
        severity: r.severity.map(Severity::as_str),
        likelihood: r.likelihood.map(Likelihood::as_str),
        rating,
        meaning: rating.map(risk::rating_meaning),
    })
}

pub fn control_type_label(t: ControlType) -> &'static str {
    match t {
        ControlType::Design => "design",
        ControlType::Test => "test",
        ControlType::Training => "training",
        ControlType::BusinessProcess => "business process",
        ControlType::Information => "information",
    }
}

fn control_status(s: ControlStatus) -> &'static str {
    match s {
        ControlStatus::Planned => "planned",
        ControlStatus::Implemented => "implemented",
        ControlStatus::Verified => "verified",
    }
}

fn hazard_status(s: HazardStatus) -> &'static str {
    match s {
        HazardStatus::Open => "open",
        HazardStatus::Closed => "closed",
        HazardStatus::Transferred => "transferred",
    }
}

fn finding_view(f: &Finding, a: &Analysis) -> FindingView {
    FindingView {
        rule: f.rule,
        level: f.level.as_str(),
        subject: f.subject.clone(),
        message: f.message.clone(),
        place: f.span.map(|s| format!("{}:{}", a.project.sources.name(s.file), s.line)),
        notes: f.notes.clone(),
    }
}

/// Metrics whose latest value is breached or whose trend is worsening, as
/// far as the project's `rules:` raise either.
pub fn metrics_in_doubt(a: &Analysis) -> Vec<&str> {
    let m = &a.project.manifest;
    a.project
        .metrics
        .iter()
        .zip(&a.facts.metrics)
        .filter(|(_, f)| {
            (matches!(f.position, Position::Breach { .. }) && m.raises(&rules::METRIC_BREACH))
                || (f.worsening.is_some() && m.raises(&rules::METRIC_WORSENING))
        })
        .map(|(mt, _)| mt.id.as_str())
        .collect()
}

pub fn build(a: &Analysis, as_of: Date, month: Month, digest: &str) -> ReportContext {
    let p = &a.project;
    let g = &a.graph;
    let m = &p.manifest;
    let titles: BTreeMap<&str, &str> =
        g.graph.node_weights().map(|n| (n.id.as_str(), n.title.as_str())).collect();
    let control_status_of: BTreeMap<&str, &'static str> =
        p.controls.iter().map(|c| (c.id.as_str(), control_status(c.status))).collect();
    let link = |id: &str| Link {
        id: id.to_string(),
        title: titles.get(id).copied().unwrap_or("").to_string(),
        status: control_status_of.get(id).copied(),
    };
    let links = |ids: Vec<&str>| ids.into_iter().map(link).collect::<Vec<_>>();

    let doubtful_metrics = metrics_in_doubt(a);
    let doubtful_controls: Vec<&str> =
        doubtful_metrics.iter().flat_map(|m| g.controls_monitored_by(m)).collect();
    let review_hazards: Vec<&str> = doubtful_metrics.iter().flat_map(|m| g.hazards_monitored_by(m)).collect();

    let mut by_subject: BTreeMap<&str, Vec<FindingView>> = BTreeMap::new();
    for f in &a.findings {
        by_subject.entry(f.subject.as_str()).or_default().push(finding_view(f, a));
    }

    let review_flag = m.raises(&rules::REVIEW_OVERDUE);
    let hazards: Vec<HazardView> = p
        .hazards
        .iter()
        .zip(&a.facts.hazard_review_overdue)
        .map(|(h, &review_overdue)| HazardView {
            id: h.id.clone(),
            title: h.title.clone(),
            description: h.description.clone(),
            causes: h
                .causes
                .iter()
                .map(|c| CauseView {
                    id: c.id.clone(),
                    text: c.text.clone(),
                    controls: c.controls.iter().map(|l| l.value.clone()).collect(),
                })
                .collect(),
            effects: h.effects.clone(),
            harm: h.harm.clone(),
            tags: h.tags.clone(),
            initial: risk_view(&h.initial),
            residual: risk_view(&h.residual),
            justification: h.justification.clone(),
            owner: h.owner.clone(),
            status: hazard_status(h.status),
            transferred_to: h.transferred_to.clone(),
            review_by: h.review_by.as_ref().map(|d| d.value.to_string()),
            review_overdue: review_overdue && review_flag,
            references: h.references.clone(),
            notes: h.notes.clone(),
            controls: links(g.controls_of(&h.id)),
            related: links(g.related(&h.id)),
            metrics: links(g.metrics_of(&h.id)),
            findings: by_subject.get(h.id.as_str()).cloned().unwrap_or_default(),
            review_required: review_hazards.contains(&h.id.as_str()),
        })
        .collect();

    let overdue_flag = m.raises(&rules::ACTION_OVERDUE);
    let controls: Vec<ControlView> = p
        .controls
        .iter()
        .zip(&a.facts.controls)
        .map(|(c, upkeep)| {
            let next_due = upkeep.recurrence.as_ref().and_then(|r| r.next);
            let overdue = upkeep.overdue() && overdue_flag;
            ControlView {
                id: c.id.clone(),
                title: c.title.clone(),
                description: c.description.clone(),
                control_type: control_type_label(c.control_type),
                status: control_status(c.status),
                owner: c.owner.clone(),
                evidence: c
                    .evidence
                    .iter()
                    .map(|e| EvidenceView {
                        reference: e.reference.clone(),
                        date: opt_date(e.date),
                        description: e.description.clone(),
                    })
                    .collect(),
                due: c.due.as_ref().map(|d| d.value.to_string()),
                every: c.every.as_ref().map(|e| e.value.to_string()),
                last_done: c.last_done.as_ref().map(|d| d.value.to_string()),
                next_due: opt_date(next_due),
                overdue,
                transferred_to: c.transferred_to.clone(),
                references: c.references.clone(),
                hazards: links(g.hazards_of_control(&c.id)),
                dpia_risks: links(g.dpia_risks_of_control(&c.id)),
                metrics: links(g.metrics_of(&c.id)),
                effectiveness_in_doubt: doubtful_controls.contains(&c.id.as_str()),
            }
        })
        .collect();

    let metrics: Vec<MetricView> =
        p.metrics.iter().zip(&a.facts.metrics).map(|(mt, f)| metric_view(mt, f, a, &links)).collect();

    let counts = crate::check::count(&a.findings);
    let mut matrix = Vec::new();
    for l in Likelihood::ALL.iter().rev() {
        let cells = Severity::ALL
            .iter()
            .map(|s| {
                let at = |r: &Option<Risk>| {
                    r.as_ref().is_some_and(|r| r.severity == Some(*s) && r.likelihood == Some(*l))
                };
                MatrixCell {
                    severity: s.as_str(),
                    rating: risk::rating(*s, *l),
                    initial: p.hazards.iter().filter(|h| at(&h.initial)).count(),
                    residual: p.hazards.iter().filter(|h| at(&h.residual)).count(),
                }
            })
            .collect();
        matrix.push(MatrixRow { likelihood: l.as_str(), cells });
    }
    let ratings = (1..=5)
        .map(|r| RatingCount {
            rating: r,
            meaning: risk::rating_meaning(r),
            initial: p.hazards.iter().filter(|h| h.initial_rating() == Some(r)).count(),
            residual: p.hazards.iter().filter(|h| h.residual_rating() == Some(r)).count(),
        })
        .collect();

    let traced: Vec<&str> =
        p.controls.iter().map(|c| c.id.as_str()).filter(|c| !g.hazards_of_control(c).is_empty()).collect();
    let as_matrix = traced.len() <= MATRIX_MAX_CONTROLS;
    let traceability = Traceability {
        as_matrix,
        rows: if as_matrix {
            p.hazards
                .iter()
                .map(|h| {
                    let mine = g.controls_of(&h.id);
                    TraceRow {
                        hazard: h.id.clone(),
                        cells: traced.iter().map(|c| mine.contains(c)).collect(),
                    }
                })
                .collect()
        } else {
            Vec::new()
        },
        index: if as_matrix {
            Vec::new()
        } else {
            traced
                .iter()
                .map(|c| TraceIndexRow {
                    control: c.to_string(),
                    hazards: g.hazards_of_control(c).into_iter().map(str::to_string).collect(),
                })
                .collect()
        },
        controls: traced.iter().map(|c| c.to_string()).collect(),
    };

    let mut hazards = hazards;
    hazards.sort_by_cached_key(|x| natural_key(&x.id));
    let mut controls = controls;
    controls.sort_by_cached_key(|x| natural_key(&x.id));
    let mut metrics = metrics;
    metrics.sort_by_cached_key(|x| natural_key(&x.id));

    ReportContext {
        meta: Meta {
            clinsafe_version: env!("CARGO_PKG_VERSION"),
            as_of: as_of.to_string(),
            digest: digest.to_string(),
            input_files: p.sources.iter().count(),
        },
        system: m.system.clone(),
        organisation: m.organisation.clone(),
        document: DocumentView {
            id: m.document.id.clone(),
            version: m.document.version.clone(),
            status: if m.document.status == DocumentStatus::Issued { "issued" } else { "draft" },
            is_draft: m.document.status == DocumentStatus::Draft,
            date: opt_date(m.document.date),
            review_by: m.document.review_by.as_ref().map(|d| d.value.to_string()),
            review_overdue: a.facts.document_review_overdue && review_flag,
            authors: m.document.authors.clone(),
            distribution: m.document.distribution.clone(),
            owner: m.document.owner.clone(),
            history: m.document.history.clone(),
            notes: m.document.notes.clone(),
        },
        cso: m.clinical_safety_officer.clone(),
        approvals: m.approvals.clone(),
        acceptance: AcceptanceView { max_residual_rating: m.max_residual_rating },
        matrix,
        severities: Severity::ALL.iter().map(|s| s.as_str()).collect(),
        ratings,
        summary: Summary {
            hazards: p.hazards.len(),
            open: p.hazards.iter().filter(|h| h.status == HazardStatus::Open).count(),
            closed: p.hazards.iter().filter(|h| h.status == HazardStatus::Closed).count(),
            transferred: p.hazards.iter().filter(|h| h.status == HazardStatus::Transferred).count(),
            unassessed: p.hazards.iter().filter(|h| h.initial_rating().is_none()).count(),
            controls: p.controls.len(),
            controls_planned: p.controls.iter().filter(|c| c.status == ControlStatus::Planned).count(),
            controls_implemented: p
                .controls
                .iter()
                .filter(|c| c.status == ControlStatus::Implemented)
                .count(),
            controls_verified: p.controls.iter().filter(|c| c.status == ControlStatus::Verified).count(),
            transferred_controls: p.controls.iter().filter(|c| c.transferred_to.is_some()).count(),
            metrics: p.metrics.len(),
            errors: counts.errors,
            warnings: counts.warnings,
            acceptable: counts.errors == 0,
        },
        findings: a.findings.iter().map(|f| finding_view(f, a)).collect(),
        checklist: checklist(a, &doubtful_controls),
        month: MonthView {
            label: month.label(),
            start: month.first_day().to_string(),
            end: month.last_day().to_string(),
        },
        period_breaches: period_breaches(a, month, &links),
        dpia: dpia_view(a, &by_subject, &links),
        hazards,
        controls,
        metrics,
        traceability,
    }
}

/// Sort key that orders ids as people read them: HAZ-2 before HAZ-10.
pub fn natural_key(id: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for c in id.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                out.push((std::mem::take(&mut text), digits.parse().unwrap_or(u64::MAX)));
                digits.clear();
            }
            text.push(c);
        }
    }
    out.push((text, digits.parse().unwrap_or(0)));
    out
}
