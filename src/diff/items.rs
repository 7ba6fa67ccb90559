//! Pairing items by id and naming what changed in each: status, risks,
//! evidence, links, observations and the other fields, by their YAML names.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::{Delta, ItemChange, Kind, Pair, RiskOut};
use crate::model::order::natural_key;
use crate::model::{Control, Hazard, Incident, Metric, Risk};
use crate::Analysis;

/// Pairs items by id (the first of a duplicated id) and keeps those that
/// changed, in the order people read ids (HAZ-2 before HAZ-10).
pub(super) fn items<'a, T: Serialize + Titled>(
    old: &'a [T],
    new: &'a [T],
    id: impl Fn(&T) -> &String,
    changed: impl Fn(&T, &T) -> Option<ItemChange>,
) -> Vec<ItemChange> {
    let index = |list: &'a [T]| {
        let mut map: BTreeMap<String, &'a T> = BTreeMap::new();
        for item in list {
            map.entry(id(item).clone()).or_insert(item);
        }
        map
    };
    let (before, after) = (index(old), index(new));
    let mut out = Vec::new();
    for (key, &n) in &after {
        match before.get(key) {
            None => {
                let mut new = ItemChange::bare(key, n.title(), Kind::Added);
                n.describe_added(&mut new);
                out.push(new);
            }
            Some(&o) => out.extend(changed(o, n)),
        }
    }
    for (key, &o) in &before {
        if !after.contains_key(key) {
            let mut gone = ItemChange::bare(key, o.title(), Kind::Removed);
            gone.removed_note = Some(T::REMOVED);
            out.push(gone);
        }
    }
    out.sort_by_cached_key(|c| natural_key(&c.id));
    out
}

pub(super) trait Titled {
    /// What a reader should know about an item of this kind that is missing now.
    const REMOVED: &'static str;
    fn title(&self) -> &str;
    /// What a reader of an added item should see beyond its id and title.
    fn describe_added(&self, _change: &mut ItemChange) {}
}
impl Titled for Hazard {
    const REMOVED: &'static str = "missing now: it should have been withdrawn, not deleted";
    fn title(&self) -> &str {
        &self.title
    }
    /// An added hazard's ratings, as a re-rated one's are shown.
    fn describe_added(&self, c: &mut ItemChange) {
        let rated = |r: &Option<Risk>| risk_out(r).map(|new| Pair { old: None, new: Some(new) });
        c.initial = rated(&self.initial);
        c.residual = rated(&self.residual);
    }
}
impl Titled for Control {
    const REMOVED: &'static str = "missing now";
    fn title(&self) -> &str {
        &self.title
    }
}
impl Titled for Incident {
    const REMOVED: &'static str = "missing now: an incident record is closed, not deleted";
    fn title(&self) -> &str {
        &self.title
    }
}
impl Titled for Metric {
    const REMOVED: &'static str = "missing now";
    fn title(&self) -> &str {
        &self.title
    }
}

impl ItemChange {
    fn bare(id: &str, title: &str, change: Kind) -> ItemChange {
        ItemChange {
            id: id.to_string(),
            title: title.to_string(),
            change,
            status: None,
            initial: None,
            residual: None,
            evidence: None,
            links: None,
            observations: None,
            fields: Vec::new(),
            withdrawn_reason: None,
            removed_note: None,
        }
    }
}

/// An item's content as the digest sees it (spans left out).
fn value<T: Serialize>(item: &T) -> Value {
    serde_json::to_value(item).unwrap_or(Value::Null)
}

/// Top-level fields (and the hazard log's `record` fields) whose content
/// differs, leaving out `skip`, by their YAML names.
fn changed_fields(old: &Value, new: &Value, skip: &[&str]) -> Vec<String> {
    let flat = |v: &Value| -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        if let Value::Object(map) = v {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("record", Value::Object(inner)) => {
                        out.extend(inner.iter().map(|(k, v)| (k.clone(), v.clone())));
                    }
                    _ => {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        out
    };
    let (o, n) = (flat(old), flat(new));
    let keys: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()) && o.get(*k) != n.get(*k))
        .map(|k| yaml_name(k).to_string())
        .collect()
}

/// The model's field names where they differ from the YAML's.
fn yaml_name(field: &str) -> &str {
    match field {
        "control_type" => "type",
        other => other,
    }
}

pub(super) fn hazard_change(o: &Hazard, n: &Hazard) -> Option<ItemChange> {
    if value(o) == value(n) {
        return None;
    }
    let mut c = ItemChange::bare(&n.id, &n.title, Kind::Changed);
    if o.status != n.status {
        c.status = Some(Pair { old: o.status.as_str(), new: n.status.as_str() });
    }
    let pair = |a: Option<RiskOut>, b: Option<RiskOut>| (a != b).then_some(Pair { old: a, new: b });
    c.initial = pair(risk_out(&o.initial), risk_out(&n.initial));
    c.residual = pair(risk_out(&o.residual), risk_out(&n.residual));
    c.fields = changed_fields(&value(o), &value(n), &["id", "status", "initial", "residual"]);
    // A stated rating that still matches is no change worth a line.
    if c.fields.is_empty() && c.status.is_none() && !c.re_rated() {
        c.fields.push("initial_risk or residual_risk (the stated rating)".into());
    }
    if n.is_withdrawn() {
        c.withdrawn_reason = n.withdrawn_reason.clone();
        if c.withdrawn() {
            c.fields.retain(|f| f != "withdrawn_reason"); // shown as the reason
        }
    }
    Some(c)
}

fn risk_out(r: &Option<Risk>) -> Option<RiskOut> {
    r.as_ref().map(|r| RiskOut {
        severity: r.severity.map(|s| s.as_str()),
        likelihood: r.likelihood.map(|l| l.as_str()),
        rating: r.rating(),
    })
}

/// A control changes with its own content or with its links, which a
/// hazard or metric may declare from its side.
pub(super) fn control_change(o: &Control, n: &Control, old: &Analysis, new: &Analysis) -> Option<ItemChange> {
    let linked = delta(links(&o.id, old), links(&n.id, new));
    if linked.is_none() && value(o) == value(n) {
        return None;
    }
    let mut c = ItemChange::bare(&n.id, &n.title, Kind::Changed);
    if o.status != n.status {
        c.status = Some(Pair { old: o.status.as_str(), new: n.status.as_str() });
    }
    let evidence = |ctl: &Control| -> BTreeSet<String> {
        ctl.evidence
            .iter()
            .map(|e| match &e.date {
                Some(d) => format!("{} ({})", e.reference, d.value),
                None => e.reference.clone(),
            })
            .collect()
    };
    c.evidence = delta(evidence(o), evidence(n));
    c.links = linked;
    c.fields =
        changed_fields(&value(o), &value(n), &["id", "status", "evidence", "mitigates", "monitored_by"]);
    if c.evidence.is_none() && value(&o.evidence) != value(&n.evidence) {
        c.fields.push("evidence".into()); // a description or `valid_until` changed
    }
    Some(c)
}

/// A metric's observations are content like any other (README, "Monitoring
/// data and the approval"): named apart, so a CSO sees when a month's data
/// is all that changed since sign-off.
pub(super) fn metric_change(o: &Metric, n: &Metric) -> Option<ItemChange> {
    if value(o) == value(n) {
        return None;
    }
    let mut c = ItemChange::bare(&n.id, &n.title, Kind::Changed);
    let seen = |m: &Metric| -> BTreeSet<String> {
        m.observations.iter().map(|x| format!("{}: {}", x.date, x.value)).collect()
    };
    c.observations = delta(seen(o), seen(n));
    c.fields = changed_fields(&value(o), &value(n), &["id", "observations"]);
    Some(c)
}

/// An incident's status and the hazards and controls it names, then its other fields.
pub(super) fn incident_change(o: &Incident, n: &Incident) -> Option<ItemChange> {
    if value(o) == value(n) {
        return None;
    }
    let mut c = ItemChange::bare(&n.id, &n.title, Kind::Changed);
    if o.status != n.status {
        c.status = Some(Pair { old: o.status.as_str(), new: n.status.as_str() });
    }
    let named = |i: &Incident| -> BTreeSet<String> {
        i.hazards.iter().chain(&i.controls).map(|x| x.value.clone()).collect()
    };
    c.links = delta(named(o), named(n));
    c.fields = changed_fields(&value(o), &value(n), &["id", "status", "hazards", "controls"]);
    Some(c)
}

/// Hazards, DPIA risks and metrics linked to a control, whichever side declared it.
fn links(control: &str, a: &Analysis) -> BTreeSet<String> {
    let g = &a.graph;
    g.hazards_of_control(control)
        .into_iter()
        .chain(g.dpia_risks_of_control(control))
        .chain(g.metrics_of(control))
        .map(str::to_string)
        .collect()
}

fn delta(old: BTreeSet<String>, new: BTreeSet<String>) -> Option<Delta> {
    let added: Vec<String> = new.difference(&old).cloned().collect();
    let removed: Vec<String> = old.difference(&new).cloned().collect();
    (!added.is_empty() || !removed.is_empty()).then_some(Delta { added, removed })
}
