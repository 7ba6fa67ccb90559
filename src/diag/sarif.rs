//! `check --format sarif`: SARIF 2.1.0, so GitHub code scanning (and other
//! SARIF viewers) annotate the YAML line each finding points at.

use serde_sarif::sarif::{
    ArtifactLocation, ConfigurationOverride, Invocation, Location, Message, MultiformatMessageString,
    Notification, PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor,
    ReportingDescriptorReference, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use super::{human, Finding, Level};
use crate::model::{RuleChange, RuleSetting};
use crate::rules::{self, Rule};
use crate::span::Sources;

/// `uri_prefix` is the project folder relative to where CI runs (e.g.
/// `examples/patient-messaging/`), so URIs resolve against the repository root.
/// `changes` (the levels `rules:` sets) become the invocation's rule
/// configuration overrides, and a weakened rule a configuration notification.
pub fn render(findings: &[Finding], changes: &[RuleChange], sources: &Sources, uri_prefix: &str) -> String {
    let all_rules: Vec<&Rule> = rules::RULES.iter().copied().chain([&rules::INVALID_INPUT]).collect();
    let rules = all_rules
        .iter()
        .map(|r| {
            ReportingDescriptor::builder()
                .id(r.id)
                .name(r.id)
                .short_description(MultiformatMessageString::builder().text(r.description).build())
                .default_configuration(
                    ReportingConfiguration::builder().level(serde_json::json!(r.level.as_str())).build(),
                )
                .build()
        })
        .collect::<Vec<_>>();
    let results = findings
        .iter()
        .map(|f| {
            let mut text = f.message.clone();
            for note in &f.notes {
                text.push('\n');
                text.push_str(note);
            }
            let level = match f.level {
                Level::Error => ResultLevel::Error,
                Level::Warning => ResultLevel::Warning,
            };
            let index = all_rules.iter().position(|r| r.id == f.rule).unwrap_or(0) as i64;
            let locations = f
                .span
                .map(|s| {
                    vec![Location::builder()
                        .physical_location(
                            PhysicalLocation::builder()
                                .artifact_location(
                                    ArtifactLocation::builder()
                                        .uri(uri(&format!("{uri_prefix}{}", sources.name(s.file))))
                                        .build(),
                                )
                                .region(
                                    Region::builder()
                                        .start_line(i64::from(s.line.max(1)))
                                        .start_column(i64::from(s.column.max(1)))
                                        .build(),
                                )
                                .build(),
                        )
                        .build()]
                })
                .unwrap_or_default();
            SarifResult::builder()
                .rule_id(f.rule)
                .rule_index(index)
                .level(level)
                .message(Message::builder().text(text).build())
                .locations(locations)
                .build()
        })
        .collect::<Vec<_>>();
    let driver = ToolComponent::builder()
        .name("clinsafe")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/clinsafe/clinsafe")
        .rules(rules)
        .build();
    let tool = Tool::builder().driver(driver).build();
    let run = match invocation(changes, &all_rules) {
        Some(invocation) => Run::builder().tool(tool).invocations(vec![invocation]).results(results).build(),
        None => Run::builder().tool(tool).results(results).build(),
    };
    let sarif = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_string_pretty(&sarif).expect("SARIF serializes") + "\n"
}

/// The run as configured, when `rules:` changes any level: each change as
/// SARIF's override of that rule's default configuration (`enabled: false`
/// for `off`), and the rules switched off or lowered also in words, as a
/// configuration notification.
/// A relative path as a URI reference, which SARIF requires: a space, `%`,
/// `#` or a non-ASCII letter in a folder or file name is percent-encoded, so
/// `my case/h 1%.yaml` does not read as a broken escape or a fragment.
fn uri(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    percent_encoding::utf8_percent_encode(path, KEEP).to_string()
}

fn invocation(changes: &[RuleChange], all_rules: &[&Rule]) -> Option<Invocation> {
    if changes.is_empty() {
        return None;
    }
    let overrides: Vec<ConfigurationOverride> = changes
        .iter()
        .map(|c| {
            let configuration = match c.setting {
                RuleSetting::Off => ReportingConfiguration::builder().enabled(false).build(),
                level => ReportingConfiguration::builder().level(serde_json::json!(level.as_str())).build(),
            };
            ConfigurationOverride::builder()
                .descriptor(reference(c.rule, all_rules))
                .configuration(configuration)
                .build()
        })
        .collect();
    let builder = Invocation::builder().execution_successful(true).rule_configuration_overrides(overrides);
    Some(match human::rules_weakened(changes) {
        Some(text) => builder
            .tool_configuration_notifications(vec![Notification::builder()
                .level(serde_json::json!("warning"))
                .message(Message::builder().text(text).build())
                .build()])
            .build(),
        None => builder.build(),
    })
}

fn reference(rule: &str, all_rules: &[&Rule]) -> ReportingDescriptorReference {
    let index = all_rules.iter().position(|r| r.id == rule).unwrap_or(0) as i64;
    ReportingDescriptorReference::builder().id(rule).index(index).build()
}
