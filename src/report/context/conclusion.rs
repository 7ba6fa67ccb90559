//! The safety case's closing views: go-live conditions, completed actions,
//! the related documents, the DCB0160 definitions beside the matrix, and
//! findings in plain words for the body (rule ids and positions stay in the
//! maintainers' appendix).

use super::*;
use crate::model::risk::{Likelihood, Severity};
use crate::model::ControlStatus;

/// A planned control accepted as a condition of go-live, and where it stands.
#[derive(Serialize)]
pub struct GoLiveView {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<Date>,
    /// The control's status; "not a control" when the id names none.
    pub status: &'static str,
    /// Still only planned (or not a control at all).
    pub open: bool,
    pub overdue: bool,
    pub hazards: Vec<Shared>,
}

#[derive(Serialize)]
pub struct CompletedAction {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<Date>,
    pub done_on: Option<Date>,
}

/// One row of the related-documents table.
#[derive(Serialize)]
pub struct RelatedDocument {
    pub document: &'static str,
    pub reference: String,
    pub version: Option<String>,
    /// Where the version is part of the reference text (`crm:` gives one text).
    pub version_in_reference: bool,
}

#[derive(Serialize)]
pub struct LikelihoodDefinition {
    pub label: &'static str,
    pub definition: &'static str,
}

#[derive(Serialize)]
pub struct SeverityDefinition {
    pub label: &'static str,
    pub one_patient: &'static str,
    pub several_patients: &'static str,
}

pub(super) fn go_live(a: &Analysis, linker: &Linker) -> Vec<GoLiveView> {
    let overdue_flag = a.project.manifest.raises(&rules::ACTION_OVERDUE);
    // Controls by id, the first of a duplicated id as a search would find it
    // (a project may list thousands of conditions among tens of thousands of controls).
    let mut by_id = std::collections::HashMap::new();
    for (c, upkeep) in a.project.controls.iter().zip(&a.facts.controls) {
        by_id.entry(c.id.as_str()).or_insert((c, upkeep));
    }
    a.project
        .manifest
        .go_live_conditions
        .iter()
        .map(|id| {
            let found = by_id.get(id.value.as_str()).copied();
            match found {
                Some((c, upkeep)) => GoLiveView {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    owner: c.owner.clone(),
                    due: c.due.as_ref().map(|d| d.value),
                    status: c.status.as_str(),
                    open: c.status == ControlStatus::Planned,
                    overdue: c.status == ControlStatus::Planned && upkeep.overdue() && overdue_flag,
                    hazards: linker.links(a.graph.hazards_of_control(&c.id)),
                },
                None => GoLiveView {
                    id: id.value.clone(),
                    title: String::new(),
                    owner: None,
                    due: None,
                    status: "not a control",
                    open: true,
                    overdue: false,
                    hazards: Vec::new(),
                },
            }
        })
        .collect()
}

/// Done actions, latest first (the checklist lists only what is still to do).
pub(super) fn completed_actions(a: &Analysis) -> Vec<CompletedAction> {
    let mut done: Vec<CompletedAction> = a
        .project
        .actions
        .iter()
        // Done as of the day: a later done_on is not done yet.
        .filter(|x| a.facts.action_done(x))
        .map(|x| CompletedAction {
            id: x.id.clone(),
            title: x.title.clone(),
            owner: x.owner.clone(),
            due: x.due.as_ref().map(|d| d.value),
            done_on: x.done_on.as_ref().map(|d| d.value),
        })
        .collect();
    done.sort_by_cached_key(|x| natural_key(&x.id));
    done
}

/// The documents the safety case stands on, each with its id and version.
pub(super) fn related_documents(a: &Analysis, hazard_log: &DocumentView) -> Vec<RelatedDocument> {
    let m = &a.project.manifest;
    let mut out = Vec::new();
    if let Some(mf) = &m.manufacturer {
        out.push(RelatedDocument {
            document: "Manufacturer's clinical safety case report (DCB0129)",
            reference: mf.reference.clone(),
            version: mf.version.clone(),
            version_in_reference: false,
        });
    }
    if let Some(crm) = &m.crm {
        let as_text = |document, text: &Option<String>| {
            text.as_ref().map(|t| RelatedDocument {
                document,
                reference: t.clone(),
                version: None,
                version_in_reference: true,
            })
        };
        out.extend(as_text("Clinical risk management system", &crm.system));
        out.extend(as_text("Clinical risk management plan", &crm.plan));
    }
    out.push(RelatedDocument {
        document: "Hazard log",
        reference: hazard_log.id.clone(),
        version: Some(hazard_log.version.clone()),
        version_in_reference: false,
    });
    if let Some(d) = &a.project.dpia {
        let (id, version) = match &d.document {
            Some(own) => (own.id.clone(), own.version.clone()),
            None => (m.document.id.clone(), m.document.version.clone()),
        };
        out.push(RelatedDocument {
            document: "Data protection impact assessment",
            reference: id,
            version: Some(version),
            version_in_reference: false,
        });
    }
    out
}

/// Very high first, as the matrix's rows run.
pub(super) fn likelihood_definitions() -> Vec<LikelihoodDefinition> {
    Likelihood::ALL
        .iter()
        .rev()
        .map(|l| LikelihoodDefinition { label: l.label(), definition: l.definition() })
        .collect()
}

pub(super) fn severity_definitions() -> Vec<SeverityDefinition> {
    Severity::ALL
        .iter()
        .map(|s| {
            let (one_patient, several_patients) = s.definition();
            SeverityDefinition { label: s.label(), one_patient, several_patients }
        })
        .collect()
}

/// What a rule's finding means, in words for a clinical reader.
pub fn in_words(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "duplicate-id" => "Two items in the case share one identifier",
        "dangling-reference" => "A link in the case points to an item that does not exist",
        "uncovered-hazard" => "A hazard has no control",
        "unassessed-hazard" => "A hazard's risk has not been fully assessed",
        "rating-mismatch" => "A stated risk rating does not match the DCB0160 risk matrix",
        "residual-above-initial" => "A hazard's risk after its controls is rated higher than before them",
        "residual-unacceptable" => "A hazard's risk after its controls is at a level never accepted (4 or 5)",
        "missing-justification" => "A risk after controls above the accepted level has no recorded justification",
        "missing-residual" => "A closed hazard has no assessment of its risk after controls",
        "closed-with-planned-control" => "A closed hazard relies on a control that is not yet in place",
        "unverified-evidence" => "A control is marked verified but no evidence is recorded",
        "missing-sign-off" => "The issued report has no clinical safety officer or approvals",
        "orphan-control" => "A control is not linked to any hazard",
        "review-overdue" => "A review date has passed",
        "action-overdue" => "An action or planned control is past its due date",
        "metric-breach" => "A monitoring measure is past its threshold",
        "metric-warning" => "A monitoring measure is past its warning level",
        "metric-worsening" => "A monitoring measure has got worse several times in a row",
        "metric-stale" => "A monitoring measure has no recent data",
        "unmonitored-control" => "A control that a higher-risk hazard relies on is not monitored",
        "dpia-incomplete" => "The data protection impact assessment is incomplete",
        "dpia-high-residual" => "A data protection risk remains high (prior consultation with the ICO is needed)",
        "suspicious-text" => "Text in the case holds hidden or direction-changing characters",
        "version-not-in-history" => "The version table has no row for the version issued",
        "unfilled-placeholder" => "Document details are still placeholders",
        "evidence-expired" => "A control's evidence has expired",
        "manufacturer-control-open" => "A control the manufacturer hands to this organisation is not yet in place",
        "missing-withdrawn-reason" => "A withdrawn hazard does not say why it was withdrawn",
        "approval-outdated" => "The case has changed since it was approved",
        "missing-safety-statement" => "The issued report has no safety statement from the clinical safety officer",
        "residual-relies-on-planned" => {
            "A hazard's risk after controls relies on a control not yet in place that is not a go-live condition"
        }
        // SPEC §3 rules that other branches add (records, points in time, `--since`): worded here
        // already so the body never falls back to a rule id when they land.
        "incident-review-due" => "An incident linked to a hazard came after the hazard's last review",
        "incident-on-closed-hazard" => "An incident is linked to a hazard after it was closed",
        "incident-on-withdrawn-hazard" => "An incident is linked to a hazard that was withdrawn as not applying",
        "future-dated" => "A date in the case lies after the date of this report",
        "removed-hazard" => "A hazard was deleted from the log instead of being withdrawn",
        "empty-hazard-log" => "The hazard log holds no hazard, so the case assesses nothing",
        "self-link" => "A hazard is listed as related to itself",
        "missing-manufacturer" => {
            "The case refers to the manufacturer's safety case report but does not name that report"
        }
        _ => return None,
    })
}

/// A finding as the report's body says it: no rule id, no file position,
/// no YAML quoting (backticks); the appendix keeps those.
pub(super) fn body_text(message: &str) -> String {
    message.replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_plain_words_for_the_report_body() {
        for r in crate::rules::RULES {
            let words =
                in_words(r.id).unwrap_or_else(|| panic!("rule {} has no plain words in in_words()", r.id));
            assert!(!words.contains('`') && !words.contains(r.id), "{}: {words}", r.id);
        }
    }
}
