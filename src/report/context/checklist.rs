//! The action checklist: everything someone must do, grouped by owner.

use super::*;

pub(super) fn checklist(
    a: &Analysis,
    hazards: &[HazardView],
    controls: &[ControlView],
    metrics: &[MetricView],
    as_of: Date,
) -> Vec<OwnerGroup> {
    let mut groups: BTreeMap<String, Vec<ChecklistItem>> = BTreeMap::new();
    let owner = |o: &Option<String>| o.clone().unwrap_or_else(|| "Owner not stated".to_string());
    for c in controls {
        let item = |kind, due: &Option<String>, note: Option<String>| ChecklistItem {
            kind,
            id: c.id.clone(),
            title: c.title.clone(),
            due: due.clone(),
            overdue: c.overdue,
            note,
        };
        if c.status == "planned" {
            groups.entry(owner(&c.owner)).or_default().push(item(
                "Put planned control in place",
                &c.due,
                None,
            ));
        }
        if let Some(every) = &c.every {
            let note = Some(match &c.last_done {
                Some(d) => format!("every {every}; last done {d}"),
                None => format!("every {every}; never recorded as done"),
            });
            groups.entry(owner(&c.owner)).or_default().push(item("Recurring control", &c.next_due, note));
        }
        if c.status == "implemented" && c.evidence.is_empty() {
            groups.entry(owner(&c.owner)).or_default().push(item(
                "Record evidence that the control works",
                &None,
                None,
            ));
        }
        if c.effectiveness_in_doubt {
            let note = Some(format!(
                "monitoring shows a breach or worsening trend; hazards: {}",
                list(&c.hazards.iter().map(|h| h.id.as_str()).collect::<Vec<_>>())
            ));
            groups.entry(owner(&c.owner)).or_default().push(item(
                "Review control and hazards (effectiveness in doubt)",
                &None,
                note,
            ));
        }
    }
    for act in &a.project.actions {
        let next = crate::check::next_due(act.every.as_ref(), act.last_done.as_ref()).flatten();
        let open = act.status == ActionStatus::Open;
        if !open && act.every.is_none() {
            continue;
        }
        let due = if open { act.due.as_ref().map(|d| d.value) } else { next };
        let overdue = due.is_some_and(|d| d < as_of) || (act.every.is_some() && act.last_done.is_none());
        groups.entry(owner(&act.owner)).or_default().push(ChecklistItem {
            kind: if act.every.is_some() { "Recurring action" } else { "Action" },
            id: act.id.clone(),
            title: act.title.clone(),
            due: opt_date(due),
            overdue,
            note: act.every.as_ref().map(|e| format!("every {}", e.value)),
        });
    }
    for h in hazards.iter().filter(|h| h.review_overdue) {
        groups.entry(owner(&h.owner)).or_default().push(ChecklistItem {
            kind: "Review hazard",
            id: h.id.clone(),
            title: h.title.clone(),
            due: h.review_by.clone(),
            overdue: true,
            note: None,
        });
    }
    let _ = metrics;
    for f in a.findings.iter().filter(|f| f.level == Level::Error) {
        groups.entry("Clinical safety officer".to_string()).or_default().push(ChecklistItem {
            kind: "Resolve finding",
            id: f.subject.clone(),
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
