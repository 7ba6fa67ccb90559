//! The manifest's raw → validated step (document control, history, approvals), split from
//! `build.rs` to keep each file short; problems are load errors like the rest of `build`.

use std::collections::BTreeMap;

use super::raw::*;
use super::LoadError;
use crate::excerpt::excerpt;
use crate::model::date::Date;
use crate::model::status::DocumentStatus;
use crate::model::*;
use crate::rules;
use crate::span::{Located, Span};
use crate::suggest::did_you_mean;

pub(super) fn manifest(m: RawManifest, span: Span, errors: &mut Vec<LoadError>) -> Option<Manifest> {
    let missing = |key: &str, what: &str| LoadError {
        message: format!("clinsafe.yaml is missing `{key}:` ({what})"),
        span,
    };
    match &m.clinsafe {
        None => errors.push(missing("clinsafe", "the format version: `clinsafe: 1`")),
        Some(v) if v.value != 1 => errors.push(LoadError {
            message: format!(
                "format version {} is not supported: this clinsafe reads `clinsafe: 1`",
                v.value
            ),
            span: v.span,
        }),
        Some(_) => {}
    }
    if m.system.is_none() {
        errors.push(missing("system", "the health IT system being deployed, with at least `name:`"));
    }
    if m.document.is_none() {
        errors.push(missing("document", "the document's `id:` and `version:`"));
    }
    let max_residual_rating = match m.acceptance.and_then(|a| a.max_residual_rating) {
        Some(r) if !(1..=3).contains(&r.value) => {
            errors.push(LoadError {
                message: format!(
                    "max_residual_rating {} is out of range: it must be 1, 2 or 3 (ratings 4 and 5 are never acceptable)",
                    r.value
                ),
                span: r.span,
            });
            2
        }
        Some(r) => r.value,
        None => 2,
    };
    let mut rules = BTreeMap::new();
    for (name, level) in m.rules {
        if name == rules::REMOVED_HAZARD.id {
            errors.push(LoadError {
                message: "`removed-hazard` cannot be set under `rules:`: a deleted hazard is always an error \
                          of `diff --since` and `render --since`; keep the hazard with `status: withdrawn` instead"
                    .into(),
                span: level.span,
            });
            continue;
        }
        if rules::find(&name).is_none() {
            let hint = did_you_mean(&name, rules::RULES.iter().map(|r| r.id))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            errors.push(LoadError {
                message: format!("unknown rule `{}` under `rules:`{hint}", excerpt(&name)),
                span: level.span,
            });
            continue;
        }
        if name == rules::RESIDUAL_UNACCEPTABLE.id && level.value != RuleSetting::Error {
            errors.push(LoadError {
                message: format!(
                    "`residual-unacceptable` cannot be set to `{}`: a residual rating of 4 or 5 is never acceptable, so this rule is always an error",
                    level.value.as_str()
                ),
                span: level.span,
            });
            continue;
        }
        rules.insert(name, level.value);
    }
    let (system, document) = (m.system?, m.document?);
    Some(Manifest {
        span,
        system: System {
            name: system.name,
            version: system.version,
            supplier: system.supplier,
            description: system.description,
        },
        organisation: m.organisation.map(|o| Organisation { name: o.name, ods_code: o.ods_code }),
        document: Document {
            id: document.id,
            version: document.version,
            status: document.status.map_or(DocumentStatus::Draft, |s| s.value),
            date: document.date,
            review_by: document.review_by,
            authors: document.authors,
            distribution: document.distribution,
            reviewers: document.reviewers,
            owner: document.owner,
            history: history(document.history, errors),
            notes: document.notes,
        },
        clinical_safety_officer: m
            .clinical_safety_officer
            .map(|p| Person { name: p.name, registration: p.registration }),
        approvals: m.approvals.into_iter().map(approval).map(canonical_digest).collect(),
        manufacturer: m.manufacturer.map(|r| Manufacturer {
            reference: manufacturer_ref(r.reference, errors),
            version: r.version,
            date: r.date,
            reviewed_by: r.reviewed_by,
            reviewed_on: r.reviewed_on,
        }),
        hazard_log: m.hazard_log.map(document_control),
        safety_statement: m.safety_statement.filter(|s| !s.trim().is_empty()),
        // Each condition once: the reports would count a second listing twice.
        go_live_conditions: super::id_lists::once(
            m.go_live_conditions,
            "go_live_conditions",
            "control",
            errors,
        ),
        crm: m.crm.map(|c| Crm { system: c.system, plan: c.plan }),
        max_residual_rating,
        rules,
    })
}

/// A blank `ref` (spaces or invisible characters alone) names no report: the
/// documents would cite an empty reference.
fn manufacturer_ref(reference: Located<String>, errors: &mut Vec<LoadError>) -> String {
    let what =
        "`manufacturer:` needs a `ref` naming the supplier's clinical safety case report (e.g. PM-CSCR-4.2)";
    super::required::refuse_blank(&reference, what, "", errors);
    reference.value
}

/// The version table, which must run oldest first.
fn history(rows: Vec<Located<RawHistoryEntry>>, errors: &mut Vec<LoadError>) -> Vec<HistoryEntry> {
    let mut latest: Option<Date> = None;
    let mut out: Vec<HistoryEntry> = Vec::with_capacity(rows.len());
    for row in rows {
        let r = row.value;
        if r.version.trim().is_empty() {
            errors.push(LoadError {
                message: "a `document.history` entry needs a `version:`".into(),
                span: row.span,
            });
        } else if out.iter().any(|earlier| earlier.version == r.version) {
            // Two rows for one version: the table would say two things about it.
            errors.push(LoadError {
                message: format!(
                    "version {} has two rows in `document.history`; give each version one row (a later change is a new version)",
                    r.version
                ),
                span: row.span,
            });
        }
        if let Some(date) = &r.date {
            if latest.is_some_and(|l| date.value < l) {
                errors.push(LoadError {
                    message: format!(
                        "`document.history` runs oldest first, but {} comes after {}",
                        date.value,
                        latest.map(|l| l.to_string()).unwrap_or_default()
                    ),
                    span: date.span,
                });
            }
            latest = Some(date.value);
        }
        out.push(HistoryEntry { version: r.version, date: r.date, author: r.author, summary: r.summary });
    }
    out
}

pub(super) fn document_control(d: RawDocumentControl) -> DocumentControl {
    DocumentControl { id: d.id, version: d.version, status: d.status, review_by: d.review_by }
}

/// A SHA-256 digest as other tools print it (`SHA256:`, upper-case hex, the
/// hex alone) is the digest `clinsafe digest` prints, so an approval of the
/// content now is not said to be of other content. Anything else is kept as
/// written (approval-outdated says it is no digest). Only the manifest's
/// approvals: they are not content, so their digest never moves with this;
/// the DPIA sign-off is content, kept as written.
fn canonical_digest(mut a: Approval) -> Approval {
    if let Some(d) = &a.digest {
        let hex = d.get(..7).filter(|p| p.eq_ignore_ascii_case("sha256:")).map_or(d.as_str(), |_| &d[7..]);
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            a.digest = Some(format!("sha256:{}", hex.to_ascii_lowercase()));
        }
    }
    a
}

pub(super) fn approval(a: RawApproval) -> Approval {
    let span = a.date.as_ref().map(|d| d.span).or(a.digest.as_ref().map(|d| d.span));
    Approval {
        name: a.name,
        role: a.role,
        date: a.date.map(|d| d.value),
        version: a.version,
        digest: a.digest.map(|d| d.value.trim().to_string()),
        decision: a.decision,
        span,
    }
}
