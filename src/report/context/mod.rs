//! What the templates see: one serializable view of the analysed project,
//! shared by every document, built once per render. Facts come from
//! `crate::facts` and findings from `check`; this module only shapes them
//! (ids to links, natural order, wording), so templates only lay out.
//! Dates stay typed (`Date`) until a template prints them.
//!
//! One file per document's views: `safety_case.rs` (document control, the
//! risk matrix, summary, traceability), `hazard_log.rs` (hazards and
//! controls), `metrics.rs` (monitoring), `pack.rs` (the monthly pack's month),
//! `checklist.rs`, `dpia.rs`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::check::{list, Finding};
use crate::model::date::{Date, Month};
use crate::model::{Approval, Organisation, Person, RuleChange, System};
use crate::rules::{self, Level};
use crate::Analysis;

mod changes;
mod checklist;
mod dpia;
mod hazard_log;
mod metrics;
mod pack;
mod safety_case;

pub use changes::{marks as change_marks, view as changes_view, ChangeRow, ChangesView};
pub use checklist::{ChecklistItem, OwnerGroup};
pub use dpia::{DpiaRiskView, DpiaView};
pub use hazard_log::{CauseView, ControlRef, ControlView, EvidenceView, HazardView, RiskView};
pub use metrics::{BreachView, MetricView, MonthView, ObservationView};
pub use pack::{DueItem, MonthObservation, PackView};
pub use safety_case::{
    AcceptanceView, DocumentView, MatrixCell, MatrixRow, RatingCount, Summary, TraceIndexRow, TraceRow,
    Traceability, MATRIX_MAX_CONTROLS,
};

#[derive(Serialize)]
pub struct ReportContext {
    pub meta: Meta,
    pub system: System,
    pub organisation: Option<Organisation>,
    /// The manufacturer's DCB0129 report this case relies on.
    pub manufacturer: Option<crate::model::Manufacturer>,
    /// The safety case's document control (also the checklist's and monitoring pack's).
    pub document: DocumentView,
    pub hazard_log_document: DocumentView,
    /// The safety case's id and version, for documents with their own control that refer to it.
    pub case: CaseRef,
    pub dpia_document: Option<DocumentView>,
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
    /// The monthly pack's views of `month` (metrics as they stood at its end).
    pub pack: PackView,
    pub dpia: Option<DpiaView>,
    pub traceability: Traceability,
    /// Rules `rules:` switches off or lowers: every document names them.
    pub rules_weakened: Vec<RuleChange>,
}

#[derive(Serialize)]
pub struct CaseRef {
    pub id: String,
    pub version: String,
}

#[derive(Serialize)]
pub struct Meta {
    pub clinsafe_version: &'static str,
    /// "Today" of the analysis the reports show.
    pub as_of: Date,
    /// SHA-256 over every input file (name and bytes), in name order.
    pub digest: String,
    /// The content digest (`clinsafe digest`): what an approval records.
    pub content_digest: String,
    pub input_files: usize,
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub id: String,
    pub title: String,
    /// The linked control's status, when it is a control.
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

/// Turns ids into [`Link`]s (title, and status for controls).
pub(crate) struct Linker<'a> {
    titles: BTreeMap<&'a str, &'a str>,
    control_status: BTreeMap<&'a str, &'static str>,
}

impl<'a> Linker<'a> {
    fn new(a: &'a Analysis) -> Self {
        Linker {
            titles: a.graph.graph.node_weights().map(|n| (n.id.as_str(), n.title.as_str())).collect(),
            control_status: a.project.controls.iter().map(|c| (c.id.as_str(), c.status.as_str())).collect(),
        }
    }

    pub fn link(&self, id: &str) -> Link {
        Link {
            id: id.to_string(),
            title: self.titles.get(id).copied().unwrap_or("").to_string(),
            status: self.control_status.get(id).copied(),
        }
    }

    pub fn links(&self, ids: Vec<&str>) -> Vec<Link> {
        ids.into_iter().map(|id| self.link(id)).collect()
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
    a.project
        .metrics
        .iter()
        .zip(&a.facts.metrics)
        .filter(|(_, f)| in_doubt(f, &a.project.manifest))
        .map(|(mt, _)| mt.id.as_str())
        .collect()
}

/// A metric breached or worsening, as far as the project's `rules:` raise either.
fn in_doubt(f: &crate::facts::MetricFacts, m: &crate::model::Manifest) -> bool {
    (matches!(f.position, crate::model::Position::Breach { .. }) && m.raises(&rules::METRIC_BREACH))
        || (f.worsening.is_some() && m.raises(&rules::METRIC_WORSENING))
}

/// Everything the reports of `a` show; `month` is the monitoring pack's period.
pub fn build(a: &Analysis, month: Month, digest: &str) -> ReportContext {
    let p = &a.project;
    let g = &a.graph;
    let m = &p.manifest;
    let linker = Linker::new(a);

    let doubtful_metrics = metrics_in_doubt(a);
    let doubtful_controls: Vec<&str> =
        doubtful_metrics.iter().flat_map(|m| g.controls_monitored_by(m)).collect();
    let review_hazards: Vec<&str> = doubtful_metrics.iter().flat_map(|m| g.hazards_monitored_by(m)).collect();

    let mut by_subject: BTreeMap<&str, Vec<FindingView>> = BTreeMap::new();
    for f in &a.findings {
        by_subject.entry(f.subject.as_str()).or_default().push(finding_view(f, a));
    }

    let mut hazards = hazard_log::hazards(a, &linker, &by_subject, &review_hazards);
    hazards.sort_by_cached_key(|x| natural_key(&x.id));
    let mut controls = hazard_log::controls(a, &linker, &doubtful_controls);
    controls.sort_by_cached_key(|x| natural_key(&x.id));
    let mut metrics: Vec<MetricView> = p
        .metrics
        .iter()
        .zip(&a.facts.metrics)
        .map(|(mt, f)| metrics::metric_view(mt, f, a, &linker))
        .collect();
    metrics.sort_by_cached_key(|x| natural_key(&x.id));
    let counts = crate::check::count(&a.findings);

    let document = safety_case::document(a);
    ReportContext {
        hazard_log_document: safety_case::controlled(&document, m.hazard_log.as_ref(), true),
        dpia_document: p
            .dpia
            .as_ref()
            .map(|d| safety_case::controlled(&document, d.document.as_ref(), false)),
        case: CaseRef { id: document.id.clone(), version: document.version.clone() },
        document,
        meta: Meta {
            clinsafe_version: env!("CARGO_PKG_VERSION"),
            as_of: a.as_of(),
            digest: digest.to_string(),
            content_digest: crate::model::digest::content_digest(p),
            input_files: p.sources.iter().count(),
        },
        system: m.system.clone(),
        organisation: m.organisation.clone(),
        manufacturer: m.manufacturer.clone(),
        cso: m.clinical_safety_officer.clone(),
        approvals: m.approvals.clone(),
        acceptance: AcceptanceView { max_residual_rating: m.max_residual_rating },
        matrix: safety_case::matrix(p),
        severities: crate::model::risk::Severity::ALL.iter().map(|s| s.as_str()).collect(),
        ratings: safety_case::ratings(p),
        summary: safety_case::summary(p, counts),
        findings: a.findings.iter().map(|f| finding_view(f, a)).collect(),
        checklist: checklist::checklist(a, &doubtful_controls),
        month: MonthView { label: month.label(), start: month.first_day(), end: month.last_day() },
        period_breaches: metrics::period_breaches(a, month, &linker),
        pack: pack::pack(a, month, &linker),
        dpia: dpia::dpia_view(a, &by_subject, &linker),
        traceability: safety_case::traceability(a),
        rules_weakened: m.rules_changed().into_iter().filter(RuleChange::weakens).collect(),
        hazards,
        controls,
        metrics,
    }
}

impl ReportContext {
    /// The document control a rendered document carries in its header, title and PDF metadata.
    pub fn control_of(&self, template: &str) -> &DocumentView {
        match template {
            "hazard-log.html" => &self.hazard_log_document,
            "dpia.html" => self.dpia_document.as_ref().unwrap_or(&self.document),
            _ => &self.document,
        }
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
