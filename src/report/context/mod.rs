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

use super::anchor;
use crate::check::{list, Finding};
use crate::graph::Kind;
use crate::model::date::{Date, Month};
use crate::model::{Approval, Organisation, Person, RuleChange, System};
use crate::rules::{self, Level};
use crate::Analysis;

mod changes;
mod checklist;
mod conclusion;
mod dpia;
mod hazard_log;
mod metrics;
mod pack;
mod records;
mod safety_case;
mod shared;

pub use changes::{marks as change_marks, view as changes_view, ChangeRow, ChangesView};
pub use checklist::{ChecklistItem, OwnerGroup};
pub use conclusion::{
    in_words, CompletedAction, GoLiveView, LikelihoodDefinition, RelatedDocument, SeverityDefinition,
};
pub use dpia::{DpiaRiskView, DpiaView};
pub use hazard_log::{CauseView, ControlRef, ControlView, EvidenceView, HazardView, RiskView};
pub use metrics::{BreachView, MetricView, MonthView, ObservationView};
pub use pack::{DueItem, MonthObservation, PackView};
pub use records::{HarmCount, IncidentSummary, IncidentView, ReviewView};
pub use safety_case::{
    AcceptanceView, DocumentView, MatrixCell, MatrixRow, RatingCount, Summary, TraceIndexRow, TraceRow,
    Traceability, MATRIX_MAX_CONTROLS,
};
use shared::Interner;
pub use shared::Shared;

#[derive(Serialize)]
pub struct ReportContext {
    pub meta: Meta,
    pub system: System,
    pub organisation: Option<Organisation>,
    /// The manufacturer's DCB0129 report this case relies on.
    pub manufacturer: Option<crate::model::Manufacturer>,
    /// The clinical risk management system and plan, as referenced.
    pub crm: Option<crate::model::Crm>,
    /// The safety case's document control (also the checklist's and monitoring pack's).
    pub document: DocumentView,
    pub hazard_log_document: DocumentView,
    /// The safety case's id and version, for documents with their own control that refer to it.
    pub case: CaseRef,
    pub dpia_document: Option<DocumentView>,
    pub cso: Option<Person>,
    pub approvals: Vec<Approval>,
    /// Approvals recorded while the document is a draft: flagged, as a draft is not signed off.
    pub approvals_on_draft: bool,
    /// (Markdown) the clinical safety officer's conclusion, as written.
    pub safety_statement: Option<String>,
    /// `go_live_conditions`, in the order written, with where each stands.
    pub go_live: Vec<GoLiveView>,
    /// The go-live conditions' ids, to mark them where a hazard lists its controls.
    pub go_live_ids: Vec<String>,
    /// How many go-live conditions are still only planned.
    pub go_live_open: usize,
    pub completed_actions: Vec<CompletedAction>,
    pub related_documents: Vec<RelatedDocument>,
    /// The DCB0160 definitions shown beside the matrix.
    pub likelihood_definitions: Vec<LikelihoodDefinition>,
    pub severity_definitions: Vec<SeverityDefinition>,
    pub acceptance: AcceptanceView,
    pub matrix: Vec<MatrixRow>,
    pub severities: Vec<&'static str>,
    pub ratings: Vec<RatingCount>,
    pub summary: Summary,
    /// [`HazardView`]s, in tera's form (see [`Shared`]).
    pub hazards: Vec<Shared>,
    /// [`ControlView`]s, in tera's form.
    pub controls: Vec<Shared>,
    pub metrics: Vec<MetricView>,
    /// [`FindingView`]s, in tera's form.
    pub findings: Vec<Shared>,
    /// [`OwnerGroup`]s, in tera's form.
    pub checklist: Vec<Shared>,
    pub month: MonthView,
    /// Observations in the reporting month past a metric's threshold or warning level.
    pub period_breaches: Vec<BreachView>,
    /// The monthly pack's views of `month` (metrics as they stood at its end).
    pub pack: PackView,
    pub dpia: Option<DpiaView>,
    /// The [`Traceability`] view, in tera's form.
    pub traceability: Shared,
    /// Rules `rules:` switches off or lowers: every document names them.
    pub rules_weakened: Vec<RuleChange>,
    /// The incident log as of the day, oldest first.
    pub incidents: Vec<IncidentView>,
    pub incident_summary: IncidentSummary,
    /// The incidents in the monitoring pack's month.
    pub month_incidents: Vec<IncidentView>,
    /// Incidents linked to no hazard (the hazard log lists them apart, so none is left out).
    pub unlinked_incidents: Vec<IncidentView>,
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
    /// Where the item is in the documents (`control-CTL-1`; see `report::anchor`).
    pub anchor: String,
}

#[derive(Serialize, Clone)]
pub struct FindingView {
    pub rule: &'static str,
    pub level: &'static str,
    pub subject: String,
    pub message: String,
    /// What the rule means, in plain words (the report body shows this, not the rule id).
    pub words: &'static str,
    /// The message without YAML quoting, for the report body.
    pub body: String,
    pub place: Option<String>,
    pub notes: Vec<String>,
}

/// Turns ids into [`Link`]s (title, anchor, and status for controls).
pub(crate) struct Linker<'a> {
    titles: BTreeMap<&'a str, (&'a str, Kind)>,
    control_status: BTreeMap<&'a str, &'static str>,
    /// Each id's link in tera's form, made once: an item is linked from many
    /// rows (of hazards and controls, made on two threads).
    shared: std::sync::Mutex<std::collections::HashMap<String, Shared>>,
}

impl<'a> Linker<'a> {
    fn new(a: &'a Analysis) -> Self {
        Linker {
            titles: a
                .graph
                .graph
                .node_weights()
                .map(|n| (n.id.as_str(), (n.title.as_str(), n.kind)))
                .collect(),
            control_status: a.project.controls.iter().map(|c| (c.id.as_str(), c.status.as_str())).collect(),
            shared: Default::default(),
        }
    }

    pub fn link(&self, id: &str) -> Link {
        let found = self.titles.get(id).copied();
        Link {
            id: id.to_string(),
            title: found.map_or("", |(title, _)| title).to_string(),
            status: self.control_status.get(id).copied(),
            anchor: found.map_or_else(|| anchor::encode(id), |(_, kind)| anchor::anchor(kind, id)),
        }
    }

    /// The links to `ids`, each [`Link`] shared with every other row linking the same id.
    pub fn links(&self, ids: Vec<&str>) -> Vec<Shared> {
        let mut shared = self.shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        ids.into_iter()
            .map(|id| match shared.get(id) {
                Some(link) => link.clone(),
                None => shared.entry(id.to_string()).or_insert_with(|| Shared::new(&self.link(id))).clone(),
            })
            .collect()
    }
}

fn finding_view(f: &Finding, a: &Analysis) -> FindingView {
    FindingView {
        rule: f.rule,
        level: f.level.as_str(),
        subject: f.subject_quoted().into_owned(),
        message: f.message.clone(),
        words: conclusion::in_words(f.rule).unwrap_or("A finding of clinsafe check (see the appendix)"),
        body: conclusion::body_text(&f.message),
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

/// Why a metric puts its hazards under review, in words: "MET-004 Repeat
/// contacts is getting worse (monitors CTL-002, CTL-003)".
fn doubt_reason(a: &Analysis, metric: &str, linker: &Linker) -> String {
    let m = &a.project.manifest;
    let facts =
        a.project.metrics.iter().zip(&a.facts.metrics).find(|(mt, _)| mt.id == metric).map(|(_, f)| f);
    let mut states = Vec::new();
    if facts.is_some_and(|f| matches!(f.position, crate::model::Position::Breach { .. }))
        && m.raises(&rules::METRIC_BREACH)
    {
        states.push("is past its threshold");
    }
    if facts.is_some_and(|f| f.worsening.is_some()) && m.raises(&rules::METRIC_WORSENING) {
        states.push("has got worse several times in a row");
    }
    let link = linker.link(metric);
    let controls = a.graph.controls_monitored_by(metric);
    let through =
        if controls.is_empty() { String::new() } else { format!(" (it monitors {})", controls.join(", ")) };
    format!("{} {} {}{through}", link.id, link.title, states.join(" and "))
}

/// Everything the reports of `a` show; `month` is the monitoring pack's
/// period. The two digests in `meta` are left empty for the caller, which
/// makes them beside this (they read every input file again).
pub fn build(a: &Analysis, month: Month) -> ReportContext {
    let p = &a.project;
    let g = &a.graph;
    let m = &p.manifest;
    let linker = Linker::new(a);

    let doubtful_metrics = metrics_in_doubt(a);
    let doubtful_controls: Vec<&str> =
        doubtful_metrics.iter().flat_map(|m| g.controls_monitored_by(m)).collect();
    let review_hazards: Vec<(&str, String)> = doubtful_metrics
        .iter()
        .flat_map(|m| {
            let why = doubt_reason(a, m, &linker);
            g.hazards_monitored_by(m).into_iter().map(move |h| (h, why.clone()))
        })
        .collect();

    // Each finding once, listed in full and again under its subject.
    let findings: Vec<Shared> = a.findings.iter().map(|f| Shared::new(&finding_view(f, a))).collect();
    let mut by_subject: BTreeMap<&str, Vec<Shared>> = BTreeMap::new();
    for (f, view) in a.findings.iter().zip(&findings) {
        by_subject.entry(f.subject.as_str()).or_default().push(view.clone());
    }

    let incidents = records::incidents(a, &linker);
    // The two longest lists, converted as soon as they are in order (see `Shared`).
    let evidence = hazard_log::all_evidence(a);
    // The two on two cores: each is a long list of views converted to tera's form.
    let (controls, hazards) = crate::parallel::beside(
        || {
            let mut controls = hazard_log::controls(a, &linker, &doubtful_controls, &evidence);
            controls.sort_by_cached_key(|x| natural_key(&x.id));
            Shared::each(controls)
        },
        || {
            let mut hazards =
                hazard_log::hazards(a, &linker, &by_subject, &review_hazards, &incidents, &evidence);
            hazards.sort_by_cached_key(|x| natural_key(&x.id));
            Shared::each(hazards)
        },
    );
    let mut metrics: Vec<MetricView> = p
        .metrics
        .iter()
        .zip(&a.facts.metrics)
        .map(|(mt, f)| metrics::metric_view(mt, f, a, &linker))
        .collect();
    metrics.sort_by_cached_key(|x| natural_key(&x.id));
    let counts = crate::check::count(&a.findings);

    let document = safety_case::document(a);
    let flag = |overdue: bool| overdue && m.raises(&rules::REVIEW_OVERDUE);
    let hazard_log_document = safety_case::controlled(
        &document,
        m.hazard_log.as_ref(),
        true,
        flag(a.facts.hazard_log_review_overdue),
    );
    let go_live = conclusion::go_live(a, &linker);
    ReportContext {
        related_documents: conclusion::related_documents(a, &hazard_log_document),
        hazard_log_document,
        dpia_document: p.dpia.as_ref().map(|d| {
            safety_case::controlled(&document, d.document.as_ref(), false, flag(a.facts.dpia_review_overdue))
        }),
        case: CaseRef { id: document.id.clone(), version: document.version.clone() },
        document,
        meta: Meta {
            clinsafe_version: env!("CARGO_PKG_VERSION"),
            as_of: a.as_of(),
            digest: String::new(),
            content_digest: String::new(),
            input_files: p.sources.iter().count(),
        },
        system: m.system.clone(),
        organisation: m.organisation.clone(),
        manufacturer: m.manufacturer.clone(),
        crm: m.crm.clone(),
        cso: m.clinical_safety_officer.clone(),
        // An approval dated after the day checked had not been given as of that day.
        approvals: a.facts.approvals(m).into_iter().cloned().collect(),
        approvals_on_draft: m.document.status == crate::model::DocumentStatus::Draft
            && !m.approvals.is_empty(),
        safety_statement: m.safety_statement.clone(),
        go_live_open: go_live.iter().filter(|g| g.open).count(),
        go_live_ids: go_live.iter().map(|g| g.id.clone()).collect(),
        go_live,
        completed_actions: conclusion::completed_actions(a),
        likelihood_definitions: conclusion::likelihood_definitions(),
        severity_definitions: conclusion::severity_definitions(),
        acceptance: AcceptanceView { max_residual_rating: m.max_residual_rating },
        matrix: safety_case::matrix(p),
        severities: crate::model::risk::Severity::ALL.iter().map(|s| s.label()).collect(),
        ratings: safety_case::ratings(p),
        summary: safety_case::summary(p, counts),
        findings,
        checklist: Shared::each(checklist::checklist(a, &doubtful_controls)),
        month: MonthView { label: month.label(), start: month.first_day(), end: month.last_day() },
        period_breaches: metrics::period_breaches(a, month, &linker),
        pack: pack::pack(a, month, &linker),
        dpia: dpia::dpia_view(a, &by_subject, &linker),
        traceability: Shared::new(&safety_case::traceability(a)),
        rules_weakened: m.rules_changed().into_iter().filter(RuleChange::weakens).collect(),
        incident_summary: records::summary(a),
        month_incidents: incidents.iter().filter(|i| month.contains(i.date)).cloned().collect(),
        unlinked_incidents: incidents.iter().filter(|i| i.hazards.is_empty()).cloned().collect(),
        incidents,
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

pub use crate::model::order::natural_key;
