//! `check --format junit`: JUnit XML for GitLab and Jenkins test reports.
//! One suite per rule with a test case per subject that fails it, plus a
//! "hazards" suite with a test case per hazard (failed when any error-level
//! finding is about it), so the hazard list is visible as passing tests too.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Finding, Level};
use crate::model::Project;
use crate::rules;
use crate::span::Sources;

pub fn render(project: Option<&Project>, findings: &[Finding], sources: &Sources) -> String {
    let mut report = Report::new("clinsafe");
    let place = |f: &Finding| {
        f.span.map(|s| format!("{}:{}:{}", sources.name(s.file), s.line, s.column)).unwrap_or_default()
    };
    let case = |name: String, classname: &str, failing: &[&Finding]| {
        let status = if failing.iter().any(|f| f.level == Level::Error) {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(failing[0].message.clone());
            s.set_type(failing[0].rule);
            s.set_description(
                failing
                    .iter()
                    .map(|f| format!("{} [{}] {}", place(f), f.rule, f.message))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            s
        } else {
            TestCaseStatus::success()
        };
        let mut tc = TestCase::new(name, status);
        tc.set_classname(classname.to_string());
        let warnings: Vec<String> = failing
            .iter()
            .filter(|f| f.level == Level::Warning)
            .map(|f| format!("warning: {} [{}] {}", place(f), f.rule, f.message))
            .collect();
        if !warnings.is_empty() {
            tc.set_system_out(warnings.join("\n"));
        }
        tc
    };

    if let Some(p) = project {
        let mut suite = TestSuite::new("hazards");
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
        if hits.is_empty() {
            suite.add_test_case(case(format!("{rule}: no findings"), &format!("clinsafe.rules.{rule}"), &[]));
        }
        let mut by_subject: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in hits {
            by_subject.entry(&f.subject).or_default().push(f);
        }
        for (subject, fs) in by_subject {
            suite.add_test_case(case(format!("{rule}: {subject}"), &format!("clinsafe.rules.{rule}"), &fs));
        }
        report.add_test_suite(suite);
    }
    report.to_string().expect("JUnit serializes")
}
