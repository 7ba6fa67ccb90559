//! Cell text → domain values, forgiving of case, spacing and punctuation.
//! Each parser returns `None` for what it cannot read; the caller reports it.

use chrono::{Datelike, NaiveDate};

use super::columns::normalise;
use crate::model::date::Date;
use crate::model::risk::{Likelihood, Severity};
use crate::model::status::{ControlStatus, ControlType, HazardStatus};

/// "Major", "major ", "4" (the template's 1–5 scale), "4 - Major", "Major (4)" → major.
pub fn severity(text: &str) -> Option<Severity> {
    step(text, &Severity::ALL.map(|s| vec![normalise(s.as_str())])).map(|i| Severity::ALL[i])
}

/// "Very low", "very-low", "1", "1 - Very low", "Very low (1)" → very-low.
pub fn likelihood(text: &str) -> Option<Likelihood> {
    step(text, &Likelihood::ALL.map(|l| vec![normalise(l.as_str())])).map(|i| Likelihood::ALL[i])
}

/// "TBC" and friends: stated as not yet known.
pub fn is_tbc(text: &str) -> bool {
    matches!(normalise(text).as_str(), "tbc" | "tbd" | "tba" | "na" | "unknown")
}

/// A stated risk score: a whole number, the DCB risk level's word ("High"),
/// or both ("3 - Moderate", "Medium (3)").
pub fn score(text: &str) -> Option<i64> {
    let t = label(text);
    let whole = t
        .parse::<i64>()
        .ok()
        .or_else(|| t.parse::<f64>().ok().filter(|f| f.fract() == 0.0).map(|f| f as i64));
    let levels = [&["verylow"][..], &["low"], &["medium", "moderate"], &["high"], &["veryhigh"]]
        .map(|words| words.iter().map(|w| w.to_string()).collect());
    whole.or_else(|| step(t, &levels).map(|i| i as i64 + 1)).or_else(|| acceptability(t))
}

/// The scale's label without the definition a template prints after it:
/// "2 - Low: Could occur but in the great majority of occasions will not"
/// → "2 - Low" (the Digital Clinical Safety Alliance's DCB0129 template).
fn label(text: &str) -> &str {
    let t = text.trim();
    t.split_once(':').map_or(t, |(label, _)| label.trim())
}

/// A risk score written with DCB0129's acceptability word ("2 - Acceptable",
/// "3 - Undesirable", "4 - Unacceptable"): the number, when the word agrees
/// with it (acceptable 1–2, undesirable 3, unacceptable 4–5).
fn acceptability(t: &str) -> Option<i64> {
    let n = normalise(t);
    let digits: String = n.chars().filter(char::is_ascii_digit).collect();
    let word: String = n.chars().filter(|c| !c.is_ascii_digit()).collect();
    let score = digits.parse::<i64>().ok()?;
    let agrees = match word.as_str() {
        "acceptable" => (1..=2).contains(&score),
        "undesirable" => score == 3,
        "unacceptable" => (4..=5).contains(&score),
        _ => false,
    };
    agrees.then_some(score)
}

/// The 0-based step of a 1–5 scale (`words` per step, normalised) written as
/// its number, its word, or both, as many logs write it ("4 - Major",
/// "Medium (3)"). Both must name the same step: "3 - Major" is not guessed at.
fn step(text: &str, words: &[Vec<String>; 5]) -> Option<usize> {
    let by_number = |n: &str| n.parse::<usize>().ok().filter(|i| (1..=5).contains(i)).map(|i| i - 1);
    let by_word = |w: &str| words.iter().position(|names| names.iter().any(|x| x == w));
    let n = normalise(label(text));
    if let Some(i) = by_number(&n).or_else(|| by_word(&n)) {
        return Some(i);
    }
    let digits: String = n.chars().filter(char::is_ascii_digit).collect();
    let word: String = n.chars().filter(|c| !c.is_ascii_digit()).collect();
    let (i, j) = (by_number(&digits)?, by_word(&word)?);
    (i == j).then_some(i)
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

/// ISO dates and the UK forms seen in real logs (20/11/2026, 20 Nov 2026,
/// 20th November 2026, Excel's 20-Nov-26), with a time of midnight after it
/// as a CSV export of a date cell writes it. A year is four digits or two
/// (this century): "20/11/26" is never the year 26.
pub fn date(text: &str) -> Option<Date> {
    let t = text.trim();
    let t = t
        .strip_suffix("00:00:00")
        .or_else(|| t.strip_suffix("00:00"))
        .map_or(t, |d| d.trim_end_matches([' ', 'T']));
    let t = without_ordinal(t);
    const LONG: [&str; 9] = [
        "%Y-%m-%d",
        "%d/%m/%Y",
        "%d-%m-%Y",
        "%d.%m.%Y",
        "%d %B %Y",
        "%d %b %Y",
        "%d-%b-%Y",
        "%B %d, %Y",
        "%b %d, %Y",
    ];
    const SHORT: [&str; 4] = ["%d/%m/%y", "%d-%b-%y", "%d %b %y", "%d %B %y"];
    let long = LONG.iter().filter_map(|f| NaiveDate::parse_from_str(&t, f).ok()).find(|d| d.year() >= 1000);
    long.or_else(|| SHORT.iter().find_map(|f| NaiveDate::parse_from_str(&t, f).ok())).map(Date)
}

/// "1st Feb 2024" → "1 Feb 2024": the suffix after a day's number.
fn without_ordinal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        let end = i + rest[i..].find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len() - i);
        out.push_str(&rest[..end]);
        rest = &rest[end..];
        let suffix =
            rest.get(..2).filter(|s| ["st", "nd", "rd", "th"].contains(&s.to_ascii_lowercase().as_str()));
        if suffix.is_some() && !rest[2..].starts_with(char::is_alphanumeric) {
            rest = &rest[2..];
        }
    }
    out.push_str(rest);
    out
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

/// The ids one cell lists ("H2, H3", "01; 01", "H1 and H2", one a line), each
/// as [`clean_id`] reads it ("Hazard 12" → Hazard-12) and once: the project
/// refuses a list naming an id twice, and the second says nothing the first did not.
pub fn id_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(['\n', ',', ';']) {
        let words: Vec<&str> = part.split(|c: char| c.is_whitespace() || c.is_control()).collect();
        let ids = words.split(|w| w.eq_ignore_ascii_case("and") || *w == "&");
        for id in ids.map(|words| clean_id(&words.join(" "))) {
            if !id.is_empty() && !out.contains(&id) {
                out.push(id);
            }
        }
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

    #[test]
    fn an_id_list_splits_at_lines_commas_semicolons_and_and_but_not_inside_an_id() {
        let ids = |t: &str| id_list(t);
        assert_eq!(ids("H2, H3"), ["H2", "H3"]);
        assert_eq!(ids("01; 01\n02"), ["01", "02"]);
        assert_eq!(ids("HAZ-2 and HAZ-3 & HAZ-4"), ["HAZ-2", "HAZ-3", "HAZ-4"]);
        assert_eq!(ids("Hazard 12; Sandbox 3"), ["Hazard-12", "Sandbox-3"]);
        assert_eq!(ids(" , ;\n"), Vec::<String>::new());
    }

    #[test]
    fn a_label_with_its_definition_is_read_by_its_label() {
        assert_eq!(
            likelihood("2 - Low: Could occur but in the great majority of occasions will not"),
            Some(Likelihood::Low)
        );
        assert_eq!(
            severity("4 - Major: Death, 1; Permanent life-changing incapacity, 1"),
            Some(Severity::Major)
        );
        assert_eq!(severity("3 - Major: mismatched"), None, "number and word must agree");
        assert_eq!(score("2 - Acceptable: Acceptable if cost of further reduction > benefits"), Some(2));
        assert_eq!(
            score("3 - Undesirable: Tolerable only if further risk reduction is impractical"),
            Some(3)
        );
        assert_eq!(score("5 - Unacceptable"), Some(5));
        assert_eq!(score("3 - Acceptable"), None, "an acceptable risk is 1 or 2");
    }

    #[test]
    fn a_two_digit_year_is_this_century_never_year_24() {
        let day = |s: &str| Date::parse(s).ok();
        assert_eq!(date("01/02/24"), day("2024-02-01"));
        assert_eq!(date("01/02/2024"), day("2024-02-01"));
        assert_eq!(date("01/02/0024"), None, "a year of fewer than four digits is no year a log means");
    }

    #[test]
    fn dates_as_spreadsheets_and_people_write_them_are_read() {
        let day = |s: &str| Date::parse(s).ok();
        for text in [
            "1st Feb 2024",
            "1st February 2024",
            "01-Feb-24",
            "01-Feb-2024",
            "1 Feb 24",
            "01/02/2024 00:00",
            "01/02/2024 00:00:00",
            "2024-02-01T00:00:00",
            "2024-02-01 00:00:00",
        ] {
            assert_eq!(date(text), day("2024-02-01"), "{text}");
        }
        assert_eq!(date("22nd March 2025"), day("2025-03-22"));
        assert_eq!(date("3rd Jan 2025"), day("2025-01-03"));
        assert_eq!(date("31st Feb 2024"), None);
        assert_eq!(date("1st"), None);
    }

    #[test]
    fn a_rating_written_as_number_and_word_is_read_when_they_agree() {
        assert_eq!(severity("4 - Major"), Some(Severity::Major));
        assert_eq!(severity("Major (4)"), Some(Severity::Major));
        assert_eq!(severity("4. Major"), Some(Severity::Major));
        assert_eq!(likelihood("3 - Medium"), Some(Likelihood::Medium));
        assert_eq!(likelihood("Medium (3)"), Some(Likelihood::Medium));
        assert_eq!(likelihood("Very low (1)"), Some(Likelihood::VeryLow));
        assert_eq!(severity("3 - Major"), None, "number and word disagree: not guessed");
        assert_eq!(severity("Major (6)"), None);
        assert_eq!(score("3 - Moderate"), Some(3));
        assert_eq!(score("Medium (3)"), Some(3));
        assert_eq!(score("High"), Some(4));
        assert_eq!(score("Very high"), Some(5));
        assert_eq!(score("4 - Low"), None, "number and word disagree: not guessed");
        assert_eq!(score("Red"), None);
    }
}
