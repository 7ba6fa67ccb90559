//! The action checklist: everything someone must do, grouped by owner.
//! Dates and "overdue" come from the facts (as `check` sees them); an item
//! is flagged overdue only while `action-overdue` / `review-overdue` is on.

use super::*;
use crate::model::ControlStatus;

#[derive(Serialize)]
pub struct ChecklistItem {
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    pub due: Option<Date>,
    pub overdue: bool,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct OwnerGroup {
    pub owner: String,
    pub items: Vec<ChecklistItem>,
}

pub(super) fn checklist(a: &Analysis, doubtful_controls: &[&str]) -> Vec<OwnerGroup> {
    let p = &a.project;
    let overdue_flag = p.manifest.raises(&rules::ACTION_OVERDUE);
    let mut groups: BTreeMap<String, Vec<ChecklistItem>> = BTreeMap::new();
    let owner = |o: &Option<String>| o.clone().unwrap_or_else(|| "Owner not stated".to_string());
    for (c, upkeep) in p.controls.iter().zip(&a.facts.controls) {
        let item = |kind, due: Option<Date>, overdue: bool, note: Option<String>| ChecklistItem {
            kind,
            id: c.id.clone(),
            title: c.title.clone(),
            due,
            overdue: overdue && overdue_flag,
            note,
        };
        let mut add = |i: ChecklistItem| groups.entry(owner(&c.owner)).or_default().push(i);
        if c.status == ControlStatus::Planned {
            add(item(
                "Put planned control in place",
                c.due.as_ref().map(|d| d.value),
                upkeep.overdue(),
                None,
            ));
        }
        if let Some(r) = &upkeep.recurrence {
            let note = Some(match &r.last_done {
                Some(d) => format!("every {}; last done {}", r.every.value, d.value),
                None => format!("every {}; never recorded as done", r.every.value),
            });
            add(item("Recurring control", r.next, upkeep.overdue(), note));
        }
        if c.status == ControlStatus::Implemented && a.facts.evidence(c).next().is_none() {
            add(item("Record evidence that the control works", None, upkeep.overdue(), None));
        }
        if doubtful_controls.contains(&c.id.as_str()) {
            let note = Some(format!(
                "monitoring shows a breach or worsening trend; hazards: {}",
                list(&a.graph.hazards_of_control(&c.id))
            ));
            add(item("Review control and hazards (effectiveness in doubt)", None, upkeep.overdue(), note));
        }
    }
    for (act, upkeep) in p.actions.iter().zip(&a.facts.actions) {
        if a.facts.action_done(act) && upkeep.recurrence.is_none() {
            continue;
        }
        let due = match &upkeep.due {
            Some(d) => Some(d.value),
            None => upkeep.recurrence.as_ref().and_then(|r| r.next),
        };
        groups.entry(owner(&act.owner)).or_default().push(ChecklistItem {
            kind: if act.every.is_some() { "Recurring action" } else { "Action" },
            id: act.id.clone(),
            title: act.title.clone(),
            due,
            overdue: upkeep.overdue() && overdue_flag,
            note: act.every.as_ref().map(|e| format!("every {}", e.value)),
        });
    }
    let review_flag = p.manifest.raises(&rules::REVIEW_OVERDUE);
    let due_reviews = p.hazards.iter().zip(&a.facts.hazard_review_overdue).zip(&a.facts.hazard_reviews);
    for ((h, _), reviews) in due_reviews.filter(|((_, o), _)| **o && review_flag) {
        groups.entry(owner(&h.owner)).or_default().push(ChecklistItem {
            kind: "Review hazard",
            id: h.id.clone(),
            title: h.title.clone(),
            due: reviews.next.as_ref().map(|n| n.date),
            overdue: true,
            note: None,
        });
    }
    let incident_flag = p.manifest.raises(&rules::INCIDENT_REVIEW_DUE);
    for x in a.facts.incidents_on_hazards.iter().filter(|_| incident_flag) {
        let crate::facts::records::IncidentKind::ReviewDue(_) = x.kind else { continue };
        let (h, i) = (&p.hazards[x.hazard], &p.incidents[x.incident]);
        groups.entry(owner(&h.owner)).or_default().push(ChecklistItem {
            kind: "Review hazard in the light of an incident",
            id: h.id.clone(),
            title: h.title.clone(),
            due: None,
            overdue: false,
            note: Some(format!("incident {} on {}: {}", i.id, i.date.value, i.title)),
        });
    }
    for f in a.findings.iter().filter(|f| f.level == Level::Error) {
        groups.entry("Clinical safety officer".to_string()).or_default().push(ChecklistItem {
            kind: "Resolve finding",
            id: f.subject_quoted().into_owned(),
            title: f.message.clone(),
            due: None,
            overdue: false,
            note: Some(f.rule.to_string()),
        });
    }
    groups
        .into_iter()
        .map(|(owner, mut items)| {
            items.sort_by(|a, b| (a.due.is_none(), &a.due, &a.id).cmp(&(b.due.is_none(), &b.due, &b.id)));
            OwnerGroup { owner, items }
        })
        .collect()
}
