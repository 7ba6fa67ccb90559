//! The safety case's own views: document control, the risk matrix and its
//! counts, the summary, and the hazard × control traceability.

use super::*;
use crate::check::Counts;
use crate::model::risk::{self, Likelihood, Severity};
use crate::model::status::ControlStatus;
use crate::model::{DocumentControl, DocumentStatus, HazardStatus, Project, Risk};

#[derive(Serialize, Clone)]
pub struct DocumentView {
    /// A clinical document (DCB0160): a draft is "not for clinical sign-off".
    pub clinical: bool,
    pub id: String,
    pub version: String,
    pub status: &'static str,
    pub is_draft: bool,
    pub date: Option<Date>,
    pub review_by: Option<Date>,
    pub review_overdue: bool,
    pub authors: Vec<String>,
    pub distribution: Vec<String>,
    pub reviewers: Vec<String>,
    pub owner: Option<String>,
    pub history: Vec<crate::model::HistoryEntry>,
    pub notes: Vec<String>,
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
    /// Withdrawn hazards stay in the log but are left out of every other count.
    pub withdrawn: usize,
    pub unassessed: usize,
    pub controls: usize,
    pub controls_planned: usize,
    pub controls_implemented: usize,
    pub controls_verified: usize,
    pub transferred_controls: usize,
    /// Controls the manufacturer's report transfers to this organisation.
    pub manufacturer_controls: usize,
    pub metrics: usize,
    pub errors: usize,
    pub warnings: usize,
    pub acceptable: bool,
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

pub(super) fn document(a: &Analysis) -> DocumentView {
    let m = &a.project.manifest;
    DocumentView {
        clinical: true,
        id: m.document.id.clone(),
        version: m.document.version.clone(),
        status: m.document.status.as_str(),
        is_draft: m.document.status == DocumentStatus::Draft,
        date: m.document.date.as_ref().map(|d| d.value),
        review_by: m.document.review_by.as_ref().map(|d| d.value),
        review_overdue: a.facts.document_review_overdue && m.raises(&rules::REVIEW_OVERDUE),
        authors: m.document.authors.clone(),
        distribution: m.document.distribution.clone(),
        reviewers: m.document.reviewers.clone(),
        owner: m.document.owner.clone(),
        history: m.document.history.clone(),
        notes: m.document.notes.clone(),
    }
}

/// A document that has its own control (`own`: id, version, status, review
/// date) in place of the safety case's; its version table is its own, so the
/// safety case's history is not shown on it.
/// `overdue`: its own review date is past (as `facts` decides it), shown
/// where `review-overdue` is raised.
pub(super) fn controlled(
    base: &DocumentView,
    own: Option<&DocumentControl>,
    clinical: bool,
    overdue: bool,
) -> DocumentView {
    let mut view = DocumentView { clinical, ..base.clone() };
    if let Some(own) = own {
        let status =
            own.status.unwrap_or(if base.is_draft { DocumentStatus::Draft } else { DocumentStatus::Issued });
        view.id = own.id.clone();
        view.version = own.version.clone();
        view.status = status.as_str();
        view.is_draft = status == DocumentStatus::Draft;
        view.review_by = own.review_by;
        view.review_overdue = overdue;
        view.history = Vec::new();
    }
    view
}

/// The hazards that still count as risks (not withdrawn).
fn current(p: &Project) -> impl Iterator<Item = &crate::model::Hazard> {
    p.hazards.iter().filter(|h| !h.is_withdrawn())
}

/// The DCB matrix, very-high likelihood first, with hazards per cell.
pub(super) fn matrix(p: &Project) -> Vec<MatrixRow> {
    Likelihood::ALL
        .iter()
        .rev()
        .map(|l| {
            let cells = Severity::ALL
                .iter()
                .map(|s| {
                    let at = |r: &Option<Risk>| {
                        r.as_ref().is_some_and(|r| r.severity == Some(*s) && r.likelihood == Some(*l))
                    };
                    MatrixCell {
                        severity: s.as_str(),
                        rating: risk::rating(*s, *l),
                        initial: current(p).filter(|h| at(&h.initial)).count(),
                        residual: current(p).filter(|h| at(&h.residual)).count(),
                    }
                })
                .collect();
            MatrixRow { likelihood: l.label(), cells }
        })
        .collect()
}

pub(super) fn ratings(p: &Project) -> Vec<RatingCount> {
    (1..=5)
        .map(|r| RatingCount {
            rating: r,
            meaning: risk::rating_meaning(r),
            initial: current(p).filter(|h| h.initial_rating() == Some(r)).count(),
            residual: current(p).filter(|h| h.residual_rating() == Some(r)).count(),
        })
        .collect()
}

pub(super) fn summary(p: &Project, counts: Counts) -> Summary {
    let hazards = |s: HazardStatus| p.hazards.iter().filter(|h| h.status == s).count();
    let controls = |s: ControlStatus| p.controls.iter().filter(|c| c.status == s).count();
    Summary {
        hazards: p.hazards.len() - hazards(HazardStatus::Withdrawn),
        open: hazards(HazardStatus::Open),
        closed: hazards(HazardStatus::Closed),
        transferred: hazards(HazardStatus::Transferred),
        withdrawn: hazards(HazardStatus::Withdrawn),
        unassessed: current(p).filter(|h| h.initial_rating().is_none()).count(),
        controls: p.controls.len(),
        controls_planned: controls(ControlStatus::Planned),
        controls_implemented: controls(ControlStatus::Implemented),
        controls_verified: controls(ControlStatus::Verified),
        transferred_controls: p.controls.iter().filter(|c| c.transferred_to.is_some()).count(),
        manufacturer_controls: p.controls.iter().filter(|c| c.transferred_from.is_some()).count(),
        metrics: p.metrics.len(),
        errors: counts.errors,
        warnings: counts.warnings,
        acceptable: counts.errors == 0,
    }
}

pub(super) fn traceability(a: &Analysis) -> Traceability {
    let (p, g) = (&a.project, &a.graph);
    // Sorted by id, as the hazard log and section 6 are.
    let mut traced: Vec<&str> =
        p.controls.iter().map(|c| c.id.as_str()).filter(|c| !g.hazards_of_control(c).is_empty()).collect();
    traced.sort_by_cached_key(|c| natural_key(c));
    let mut hazards: Vec<&crate::model::Hazard> = p.hazards.iter().collect();
    hazards.sort_by_cached_key(|h| natural_key(&h.id));
    let as_matrix = traced.len() <= MATRIX_MAX_CONTROLS;
    Traceability {
        as_matrix,
        rows: if as_matrix {
            hazards
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
                    hazards: {
                        let mut hs = g.hazards_of_control(c);
                        hs.sort_by_cached_key(|h| natural_key(h));
                        hs.into_iter().map(str::to_string).collect()
                    },
                })
                .collect()
        },
        controls: traced.iter().map(|c| c.to_string()).collect(),
    }
}
