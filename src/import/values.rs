//! Cell text → domain values, forgiving of case, spacing and punctuation.
//! Each parser returns `None` for what it cannot read; the caller reports it.

use chrono::NaiveDate;

use super::columns::normalise;
use crate::model::date::Date;
use crate::model::risk::{Likelihood, Severity};
use crate::model::status::{ControlStatus, ControlType, HazardStatus};

/// "Major", "major ", "4" (the template's 1–5 scale) → major.
pub fn severity(text: &str) -> Option<Severity> {
    let n = normalise(text);
    let by_number = n.parse::<usize>().ok().filter(|i| (1..=5).contains(i)).map(|i| Severity::ALL[i - 1]);
    by_number.or_else(|| Severity::ALL.into_iter().find(|s| normalise(s.as_str()) == n))
}

/// "Very low", "very-low", "1" → very-low.
pub fn likelihood(text: &str) -> Option<Likelihood> {
    let n = normalise(text);
    let by_number = n.parse::<usize>().ok().filter(|i| (1..=5).contains(i)).map(|i| Likelihood::ALL[i - 1]);
    by_number.or_else(|| Likelihood::ALL.into_iter().find(|l| normalise(l.as_str()) == n))
}

/// "TBC" and friends: stated as not yet known.
pub fn is_tbc(text: &str) -> bool {
    matches!(normalise(text).as_str(), "tbc" | "tbd" | "tba" | "na" | "unknown")
}

/// A stated risk score, as a whole number.
pub fn score(text: &str) -> Option<i64> {
    let t = text.trim();
    t.parse::<i64>().ok().or_else(|| t.parse::<f64>().ok().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

/// The template's "Action status" → the control's status.
pub fn control_status(text: &str) -> Option<ControlStatus> {
    Some(match normalise(text).as_str() {
        "closed" | "complete" | "completed" | "done" | "implemented" | "inplace" | "live" => {
            ControlStatus::Implemented
        }
        "verified" | "tested" => ControlStatus::Verified,
        "open" | "planned" | "inprogress" | "ongoing" | "notstarted" | "pending" | "tbc" | "new" => {
            ControlStatus::Planned
        }
        _ => return None,
    })
}

pub fn control_type(text: &str) -> Option<ControlType> {
    Some(match normalise(text).as_str() {
        "design" | "systemdesign" | "technical" => ControlType::Design,
        "test" | "testing" => ControlType::Test,
        "training" => ControlType::Training,
        "businessprocess" | "businessprocesschange" | "process" | "businessprocesses" => {
            ControlType::BusinessProcess
        }
        "information" | "guidance" => ControlType::Information,
        _ => return None,
    })
}

pub fn control_type_name(t: ControlType) -> &'static str {
    match t {
        ControlType::Design => "design",
        ControlType::Test => "test",
        ControlType::Training => "training",
        ControlType::BusinessProcess => "business-process",
        ControlType::Information => "information",
    }
}

pub fn hazard_status(text: &str) -> Option<HazardStatus> {
    Some(match normalise(text).as_str() {
        "open" | "active" | "live" => HazardStatus::Open,
        "closed" => HazardStatus::Closed,
        "transferred" => HazardStatus::Transferred,
        "withdrawn" => HazardStatus::Withdrawn,
        _ => return None,
    })
}

/// ISO dates and the UK forms seen in real logs (20/11/2026, 20 Nov 2026).
pub fn date(text: &str) -> Option<Date> {
    let t = text.trim();
    const FORMATS: [&str; 7] =
        ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%d/%m/%y"];
    FORMATS.iter().find_map(|f| NaiveDate::parse_from_str(t, f).ok()).map(Date)
}

/// An id as clinsafe needs it: no whitespace or control characters.
/// Returns the cleaned id; the caller reports when it changed.
pub fn clean_id(text: &str) -> String {
    let mut out = String::new();
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

/// "050301The patient…" → ("050301", "The patient…"): an id of digits (and
/// dots) run into its text, or set off by a space or punctuation.
pub fn split_run_in(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let id = t[..end].trim_end_matches('.');
    let rest = &t[end..];
    let digits = id.chars().filter(char::is_ascii_digit).count();
    if digits < 3
        || rest.trim().is_empty()
        || !rest.starts_with(|c: char| c.is_alphabetic() || " :-–)".contains(c))
    {
        return None;
    }
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || ":-–)".contains(c));
    (!rest.is_empty()).then(|| (id.to_string(), rest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_in_ids_split_but_ordinary_text_does_not() {
        assert_eq!(split_run_in("050301The patient"), Some(("050301".into(), "The patient".into())));
        assert_eq!(split_run_in("0503 - Check"), Some(("0503".into(), "Check".into())));
        assert_eq!(split_run_in("24 hour cover"), None, "two digits are a number in the text, not an id");
        assert_eq!(split_run_in("Check the NHS number"), None);
        assert_eq!(split_run_in("12345"), None);
    }

    #[test]
    fn template_scales_and_words_are_read() {
        assert_eq!(severity(" Major "), Some(Severity::Major));
        assert_eq!(severity("5"), Some(Severity::Catastrophic));
        assert_eq!(likelihood("Very High"), Some(Likelihood::VeryHigh));
        assert_eq!(likelihood("very-low"), Some(Likelihood::VeryLow));
        assert_eq!(control_status("Closed "), Some(ControlStatus::Implemented));
        assert_eq!(control_type("Business Process Change"), Some(ControlType::BusinessProcess));
        assert_eq!(date("20/11/2026"), Date::parse("2026-11-20").ok());
        assert_eq!(clean_id(" H 01 "), "H-01");
    }
}
