//! `check --format junit`: JUnit XML for GitLab and Jenkins test reports.
//! One suite per rule with a test case per subject that fails it, plus a
//! "hazards" suite with a test case per hazard (failed when any error-level
//! finding is about it), so the hazard list is visible as passing tests too.
//!
//! The output is valid against Jenkins xUnit's `junit-10.xsd` (tested with
//! xmllint): user text is made XML 1.0 characters, and `<testsuites>` carries
//! only the attributes that schema allows.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::{human, Finding, Level};
use crate::model::{Project, RuleChange, RuleSetting};
use crate::rules;
use crate::span::Sources;

/// `changes` (the levels `rules:` sets) are properties of their rule's suite
/// (`level`, `default-level`); a rule switched off has a skipped test case
/// instead of a passing "no findings" one, and the hazards suite names every
/// rule switched off or lowered (`rules-weakened`).
pub fn render(
    project: Option<&Project>,
    findings: &[Finding],
    changes: &[RuleChange],
    sources: &Sources,
) -> String {
    let mut report = Report::new("clinsafe");
    let place = |f: &Finding| {
        f.span.map(|s| format!("{}:{}:{}", sources.name(s.file), s.line, s.column)).unwrap_or_default()
    };
    let case = |name: String, classname: &str, failing: &[&Finding]| {
        let status = if failing.iter().any(|f| f.level == Level::Error) {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(xml_chars(&failing[0].message));
            s.set_type(failing[0].rule);
            s.set_description(xml_chars(
                &failing
                    .iter()
                    .map(|f| format!("{} [{}] {}", place(f), f.rule, f.message))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ));
            s
        } else {
            TestCaseStatus::success()
        };
        let mut tc = TestCase::new(xml_chars(&name), status);
        tc.set_classname(classname.to_string());
        let warnings: Vec<String> = failing
            .iter()
            .filter(|f| f.level == Level::Warning)
            .map(|f| format!("warning: {} [{}] {}", place(f), f.rule, f.message))
            .collect();
        if !warnings.is_empty() {
            tc.set_system_out(xml_chars(&warnings.join("\n")));
        }
        tc
    };

    if let Some(p) = project {
        let mut suite = TestSuite::new("hazards");
        if let Some(text) = human::rules_weakened(changes) {
            suite.add_property(Property::new("rules-weakened", xml_chars(&text)));
        }
        for h in &p.hazards {
            let about: Vec<&Finding> = findings.iter().filter(|f| f.subject == h.id).collect();
            suite.add_test_case(case(format!("{}: {}", h.id, h.title), "clinsafe.hazards", &about));
        }
        report.add_test_suite(suite);
    }

    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(f.rule).or_default().push(f);
    }
    let rule_ids = rules::RULES.iter().map(|r| r.id).chain([rules::INVALID_INPUT.id]);
    for rule in rule_ids {
        let mut suite = TestSuite::new(rule);
        let hits = by_rule.remove(rule).unwrap_or_default();
        let change = changes.iter().find(|c| c.rule == rule);
        if let Some(c) = change {
            suite.add_property(Property::new("level", c.setting.as_str()));
            suite.add_property(Property::new("default-level", c.default.as_str()));
        }
        if hits.is_empty() && change.is_some_and(|c| c.setting == RuleSetting::Off) {
            let mut status = TestCaseStatus::skipped();
            status.set_message("switched off in clinsafe.yaml: not checked");
            let mut tc = TestCase::new(format!("{rule}: switched off"), status);
            tc.set_classname(format!("clinsafe.rules.{rule}"));
            suite.add_test_case(tc);
        } else if hits.is_empty() {
            suite.add_test_case(case(format!("{rule}: no findings"), &format!("clinsafe.rules.{rule}"), &[]));
        }
        let mut by_subject: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in hits {
            by_subject.entry(&f.subject).or_default().push(f);
        }
        for (_, fs) in by_subject {
            let subject = fs[0].subject_quoted();
            suite.add_test_case(case(format!("{rule}: {subject}"), &format!("clinsafe.rules.{rule}"), &fs));
        }
        report.add_test_suite(suite);
    }
    let xml = report.to_string().unwrap_or_default();
    without_suites_skipped(xml)
}

/// Text with every character XML 1.0 does not allow (C0 controls other than
/// tab, newline and return; U+FFFE, U+FFFF) replaced by U+FFFD, which a
/// reader sees as "something was here". Escaping cannot help: `&#1;` is not
/// allowed either.
fn xml_chars(text: &str) -> String {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if text.chars().all(allowed) {
        return text.to_string();
    }
    text.chars().map(|c| if allowed(c) { c } else { '\u{FFFD}' }).collect()
}

/// quick-junit writes `skipped` on `<testsuites>`, which junit-10.xsd does not
/// allow there (it does on each `<testsuite>`); clinsafe never skips a test.
fn without_suites_skipped(xml: String) -> String {
    let Some(start) = xml.find("<testsuites ") else { return xml };
    let end = xml[start..].find('>').map_or(xml.len(), |i| start + i);
    let tag = &xml[start..end];
    let Some(at) = tag.find(" skipped=\"") else { return xml };
    let close = tag[at + 10..].find('"').map_or(tag.len(), |i| at + 10 + i + 1);
    format!("{}{}{}{}", &xml[..start], &tag[..at], &tag[close..], &xml[end..])
}
