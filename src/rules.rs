//! Every rule clinsafe knows: stable kebab-case id, default level, one-line
//! description, and the level a finding carries. Rules are constants, so a
//! misspelt rule is a compile error, not a finding no one can switch off.
//! Levels are overridden per project (`rules:`) in one place,
//! `check::apply_overrides`, never inside a rule.
//!
//! A base module like `span` and `model`: it imports no stage, so `check`
//! (which raises findings) and `diag` (which prints them) both read it.

use serde::Serialize;

/// How much a finding matters. (Never "severity": that is a DCB risk term.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    pub description: &'static str,
}

const fn rule(id: &'static str, level: Level, description: &'static str) -> Rule {
    Rule { id, level, description }
}

use Level::{Error, Warning};

pub const DUPLICATE_ID: Rule = rule("duplicate-id", Error, "two items share an id");
pub const DANGLING_REFERENCE: Rule =
    rule("dangling-reference", Error, "a link names an id that does not exist (or of the wrong kind)");
pub const UNCOVERED_HAZARD: Rule = rule("uncovered-hazard", Error, "a hazard that is not transferred has no control, unless its initial rating is within max_residual_rating and it has a justification");
pub const UNASSESSED_HAZARD: Rule = rule(
    "unassessed-hazard",
    Error,
    "a hazard has no initial_risk, or one that lacks severity or likelihood",
);
pub const RATING_MISMATCH: Rule =
    rule("rating-mismatch", Error, "a stated rating differs from the DCB0160 matrix");
pub const RESIDUAL_ABOVE_INITIAL: Rule =
    rule("residual-above-initial", Error, "residual rating higher than initial");
pub const RESIDUAL_UNACCEPTABLE: Rule =
    rule("residual-unacceptable", Error, "residual rating 4 or 5 (with or without a justification)");
pub const MISSING_JUSTIFICATION: Rule = rule(
    "missing-justification",
    Error,
    "residual rating 1–3 above acceptance.max_residual_rating with no justification",
);
pub const MISSING_RESIDUAL: Rule = rule("missing-residual", Error, "a closed hazard without a residual risk");
pub const CLOSED_WITH_PLANNED_CONTROL: Rule =
    rule("closed-with-planned-control", Error, "a closed hazard relies on a control that is only planned");
pub const UNVERIFIED_EVIDENCE: Rule =
    rule("unverified-evidence", Error, "a control marked verified without evidence");
pub const MISSING_SIGN_OFF: Rule =
    rule("missing-sign-off", Error, "an issued document without a clinical safety officer or approvals");
pub const ORPHAN_CONTROL: Rule = rule("orphan-control", Warning, "a control that mitigates nothing");
pub const REVIEW_OVERDUE: Rule =
    rule("review-overdue", Warning, "a hazard's review_by or the document's review_by is past (also the hazard log's and the DPIA's own review_by)");
pub const ACTION_OVERDUE: Rule = rule("action-overdue", Warning, "a planned control or open action past due, or a recurring control or action past last_done + every (or with every and no last_done)");
pub const METRIC_BREACH: Rule =
    rule("metric-breach", Warning, "a metric's latest observation is past its threshold");
pub const METRIC_WARNING: Rule =
    rule("metric-warning", Warning, "a metric's latest observation is past warn but not threshold");
pub const METRIC_WORSENING: Rule = rule(
    "metric-worsening",
    Warning,
    "each of the last worsening_after observations is worse than the one before it",
);
pub const METRIC_STALE: Rule = rule(
    "metric-stale",
    Warning,
    "a metric's latest observation is older than stale_after, or there is none",
);
pub const UNMONITORED_CONTROL: Rule = rule(
    "unmonitored-control",
    Warning,
    "a control that a hazard with residual rating 3 or more relies on, that no metric monitors",
);
pub const DPIA_INCOMPLETE: Rule =
    rule("dpia-incomplete", Error, "a dpia: lacks a required section or a risk has no measure");
pub const DPIA_HIGH_RESIDUAL: Rule =
    rule("dpia-high-residual", Warning, "a DPIA risk whose residual is high (prior ICO consultation needed)");
pub const MISSING_WITHDRAWN_REASON: Rule =
    rule("missing-withdrawn-reason", Error, "a withdrawn hazard without withdrawn_reason");
pub const APPROVAL_OUTDATED: Rule = rule(
    "approval-outdated",
    Error,
    "an issued document's approval for its current version records a digest that is not the content digest now, or none",
);
pub const SUSPICIOUS_TEXT: Rule = rule("suspicious-text", Error, "an id holds a bidi control (U+202A–202E, U+2066–2069) or an invisible character (U+200B–200D, U+2060, U+FEFF, U+00AD), or a title or text holds a bidi override (U+202D, U+202E) or isolate left unclosed: two items could look alike, or a line read reversed");
// Extensions to the SPEC's table.
pub const VERSION_NOT_IN_HISTORY: Rule = rule(
    "version-not-in-history",
    Warning,
    "an issued document's version has no row in its document.history, or rows for later versions follow it (the version table stops short of, or goes past, the version signed)",
);
pub const UNFILLED_PLACEHOLDER: Rule = rule(
    "unfilled-placeholder",
    Warning,
    "a manifest value is still a `<…>` placeholder or starts with TODO (as `clinsafe init` writes them)",
);

pub const EVIDENCE_EXPIRED: Rule =
    rule("evidence-expired", Warning, "a control's newest evidence is past valid_until");
pub const MANUFACTURER_CONTROL_OPEN: Rule = rule(
    "manufacturer-control-open",
    Warning,
    "a control transferred_from the manufacturer is still planned",
);
pub const INCIDENT_REVIEW_DUE: Rule = rule(
    "incident-review-due",
    Warning,
    "an incident linked to a hazard is dated after that hazard's last review (or, never reviewed, after it was raised, or with neither)",
);
pub const INCIDENT_ON_CLOSED_HAZARD: Rule = rule(
    "incident-on-closed-hazard",
    Error,
    "an incident linked to a closed hazard is dated after the hazard's closed_on",
);
pub const INCIDENT_ON_WITHDRAWN_HAZARD: Rule = rule(
    "incident-on-withdrawn-hazard",
    Warning,
    "an incident is linked to a withdrawn hazard (one judged not to apply)",
);
pub const FUTURE_DATED: Rule = rule(
    "future-dated",
    Warning,
    "a date in the case lies after --as-of: an observation, evidence, approval, review, incident, done_on or last_done not counted as of that day, a hazard's raised_on or closed_on, or a document's own date (document.date, a history row, the manufacturer's report's date or reviewed_on, a DPIA sign-off line)",
);

pub const MISSING_SAFETY_STATEMENT: Rule =
    rule("missing-safety-statement", Error, "an issued document has no `safety_statement`");
pub const RESIDUAL_RELIES_ON_PLANNED: Rule = rule(
    "residual-relies-on-planned",
    Warning,
    "an open hazard's residual rating relies on a control that is only planned and not listed in `go_live_conditions`",
);

pub const EMPTY_HAZARD_LOG: Rule = rule(
    "empty-hazard-log",
    Error,
    "the project has no hazards, or only withdrawn ones: a safety case with an empty hazard log assesses nothing",
);
pub const SELF_LINK: Rule =
    rule("self-link", Error, "a hazard lists itself under related: a link must name another item");
pub const MISSING_MANUFACTURER: Rule = rule(
    "missing-manufacturer",
    Error,
    "a control is transferred_from the manufacturer's report, or a hazard names its source there, but clinsafe.yaml has no manufacturer: naming that report",
);

/// The SPEC's rule table, in its order.
pub const RULES: &[&Rule] = &[
    &DUPLICATE_ID,
    &DANGLING_REFERENCE,
    &UNCOVERED_HAZARD,
    &UNASSESSED_HAZARD,
    &RATING_MISMATCH,
    &RESIDUAL_ABOVE_INITIAL,
    &RESIDUAL_UNACCEPTABLE,
    &MISSING_JUSTIFICATION,
    &MISSING_RESIDUAL,
    &CLOSED_WITH_PLANNED_CONTROL,
    &UNVERIFIED_EVIDENCE,
    &MISSING_SIGN_OFF,
    &ORPHAN_CONTROL,
    &REVIEW_OVERDUE,
    &ACTION_OVERDUE,
    &METRIC_BREACH,
    &METRIC_WARNING,
    &METRIC_WORSENING,
    &METRIC_STALE,
    &UNMONITORED_CONTROL,
    &DPIA_INCOMPLETE,
    &DPIA_HIGH_RESIDUAL,
    &SUSPICIOUS_TEXT,
    &UNFILLED_PLACEHOLDER,
    &EVIDENCE_EXPIRED,
    &MANUFACTURER_CONTROL_OPEN,
    &MISSING_WITHDRAWN_REASON,
    &APPROVAL_OUTDATED,
    &MISSING_SAFETY_STATEMENT,
    &RESIDUAL_RELIES_ON_PLANNED,
    &FUTURE_DATED,
    &INCIDENT_REVIEW_DUE,
    &INCIDENT_ON_CLOSED_HAZARD,
    &INCIDENT_ON_WITHDRAWN_HAZARD,
    &VERSION_NOT_IN_HISTORY,
    &EMPTY_HAZARD_LOG,
    &SELF_LINK,
    &MISSING_MANUFACTURER,
];

/// Not a check rule: the id under which load errors (exit 2) appear in
/// machine formats, so CI annotates the bad line too.
pub const INVALID_INPUT: Rule = rule(
    "invalid-input",
    Error,
    "a project file could not be read: bad YAML, a wrong type, an unknown key or a missing manifest",
);

/// Not a `check` rule either (it needs two sides): raised by `diff --since`
/// and `render --since`, always at error — `rules:` cannot change it, since
/// the fix (keep the hazard, `status: withdrawn`) is always at hand.
pub const REMOVED_HAZARD: Rule = rule(
    "removed-hazard",
    Error,
    "a hazard in the old side of `--since` is missing now: it should have been withdrawn, not deleted (`diff`, `render --since`)",
);

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_documents_every_rule_as_the_registry_has_it() {
        let readme = include_str!("../README.md");
        for r in RULES.iter().copied().chain([&INVALID_INPUT, &REMOVED_HAZARD]) {
            let row = format!("| `{}` | {} | {} |", r.id, r.level.as_str(), r.description);
            assert!(readme.contains(&row), "README lacks the row: {row}");
        }
    }

    #[test]
    fn rule_ids_are_unique_kebab_case_and_stable() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        insta::assert_snapshot!(ids.join("\n"));
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len(), "duplicate rule id");
        for id in ids {
            assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{id}");
        }
    }
}
