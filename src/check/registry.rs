//! Every rule clinsafe knows: stable kebab-case id, default level, one-line
//! description. Levels are overridden per project (`rules:`) in one place,
//! [`super::apply_overrides`], never inside a rule.

use crate::diag::Level;

pub struct Rule {
    pub id: &'static str,
    pub level: Level,
    pub description: &'static str,
}

const fn rule(id: &'static str, level: Level, description: &'static str) -> Rule {
    Rule { id, level, description }
}

use Level::{Error, Warning};

/// The SPEC's rule table, in its order.
pub const RULES: &[Rule] = &[
    rule("duplicate-id", Error, "two items share an id"),
    rule("dangling-reference", Error, "a link names an id that does not exist (or of the wrong kind)"),
    rule("uncovered-hazard", Error, "a hazard that is not transferred has no control, unless its initial rating is within max_residual_rating and it has a justification"),
    rule("unassessed-hazard", Error, "a hazard has no initial_risk, or one that lacks severity or likelihood"),
    rule("rating-mismatch", Error, "a stated rating differs from the DCB0160 matrix"),
    rule("residual-above-initial", Error, "residual rating higher than initial"),
    rule("residual-unacceptable", Error, "residual rating 4 or 5 (with or without a justification)"),
    rule("missing-justification", Error, "residual rating 1–3 above acceptance.max_residual_rating with no justification"),
    rule("missing-residual", Error, "a closed hazard without a residual risk"),
    rule("closed-with-planned-control", Error, "a closed hazard relies on a control that is only planned"),
    rule("unverified-evidence", Error, "a control marked verified without evidence"),
    rule("missing-sign-off", Error, "an issued document without a clinical safety officer or approvals"),
    rule("orphan-control", Warning, "a control that mitigates nothing"),
    rule("review-overdue", Warning, "a hazard's review_by or the document's review_by is past"),
    rule("action-overdue", Warning, "a planned control or open action past due, or a recurring control or action past last_done + every (or with every and no last_done)"),
    rule("metric-breach", Warning, "a metric's latest observation is past its threshold"),
    rule("metric-warning", Warning, "a metric's latest observation is past warn but not threshold"),
    rule("metric-worsening", Warning, "each of the last worsening_after observations is worse than the one before it"),
    rule("metric-stale", Warning, "a metric's latest observation is older than stale_after, or there is none"),
    rule("unmonitored-control", Warning, "a control that a hazard with residual rating 3 or more relies on, that no metric monitors"),
    rule("dpia-incomplete", Error, "a dpia: lacks a required section or a risk has no measure"),
    rule("dpia-high-residual", Warning, "a DPIA risk whose residual is high (prior ICO consultation needed)"),
    // Extensions to the SPEC's table.
    rule("unfilled-placeholder", Warning, "a manifest value is still a `<…>` placeholder or starts with TODO (as `clinsafe init` writes them)"),
];

/// Not a check rule: the id under which load errors (exit 2) appear in
/// machine formats, so CI annotates the bad line too.
pub const INVALID_INPUT: Rule = rule(
    "invalid-input",
    Error,
    "a project file could not be read: bad YAML, a wrong type, an unknown key or a missing manifest",
);

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_documents_every_rule_as_the_registry_has_it() {
        let readme = include_str!("../../README.md");
        for r in RULES.iter().chain([&INVALID_INPUT]) {
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
