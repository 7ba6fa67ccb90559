//! `check --format github`: GitHub Actions workflow commands
//! (`::error file=…,line=…,col=…,title=…::message`), which GitHub shows as
//! annotations on the run and on the pull request's changed lines, on every
//! plan and without code scanning.

use super::{human, Finding, Level};
use crate::model::RuleChange;
use crate::span::Sources;

/// One line per finding. `path_prefix` is the project folder relative to
/// where CI runs, so the paths resolve from the repository root.
/// Rules `rules:` switches off or lowers end the list as one `::notice`, so
/// the run's annotations never read as "nothing wrong by the defaults".
pub fn render(findings: &[Finding], changes: &[RuleChange], sources: &Sources, path_prefix: &str) -> String {
    let mut out = String::new();
    for f in findings {
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(s) = f.span {
            properties.push(format!("file={}", property(&format!("{path_prefix}{}", sources.name(s.file)))));
            properties.push(format!("line={}", s.line.max(1)));
            properties.push(format!("col={}", s.column.max(1)));
        }
        properties.push(format!("title={}", property(f.rule)));
        let mut message = f.message.clone();
        for note in &f.notes {
            message.push('\n');
            message.push_str(note);
        }
        out.push_str(&format!("::{command} {}::{}\n", properties.join(","), data(&message)));
    }
    if let Some(text) = human::rules_weakened(changes) {
        out.push_str(&format!("::notice title={}::{}\n", property("rules weakened"), data(&text)));
    }
    out
}

/// A command's message, escaped as the Actions toolkit's `escapeData` does; any other
/// control character (ESC, BEL from a quoted value) is written as its code, which the
/// runner shows as text, so an annotation cannot drive the log viewer's terminal.
fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() && c != '\t' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A property value (`file=`, `title=`), escaped as `escapeProperty` does:
/// `:` and `,` would otherwise end the value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped_as_github_documents() {
        assert_eq!(data("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(data("%0A"), "%250A");
        assert_eq!(data("a\u{1b}[31mb\u{7}\tc"), "a%1B[31mb%07\tc");
    }

    #[test]
    fn a_finding_without_a_place_is_a_command_without_a_file() {
        let f = Finding {
            rule: "unfilled-placeholder",
            level: Level::Warning,
            subject: "document".into(),
            message: "still 50%: a, b".into(),
            span: None,
            notes: vec!["fill it in".into()],
        };
        assert_eq!(
            render(&[f], &[], &Sources::default(), "case/"),
            "::warning title=unfilled-placeholder::still 50%25: a, b%0Afill it in\n"
        );
    }
}
