//! Where an item can be linked to in the documents: `hazard-HAZ-001`,
//! `control-CTL-1`, `metric-MET-1`, `action-ACT-1`, `dpia-risk-R1`.
//!
//! Namespaced by kind, so an item whose id is `summary` or `controls` never
//! shares an id with a section, nor a hazard with a control of the same id.
//! Percent-encoded, so any id the loader admits (`A&E-4HR`, `50%`, `a/b`,
//! `#1`, quotes, right-to-left letters) gives one plain-ASCII string that is
//! the same in `id="…"`, in `href="#…"` and in the PDF's link targets: a
//! browser matches a fragment against ids as written before it decodes it.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::graph::Kind;

/// Kept as they are: letters, digits and `-_.`; every other byte is `%XX`
/// (`%` itself included, so two ids never encode alike).
const KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// The id as it may stand in an anchor or a figure's name.
pub fn encode(id: &str) -> String {
    utf8_percent_encode(id, KEEP).to_string()
}

/// The anchor of item `id` of `kind`.
pub fn anchor(kind: Kind, id: &str) -> String {
    format!("{}-{}", prefix(kind), encode(id))
}

fn prefix(kind: Kind) -> &'static str {
    match kind {
        Kind::Hazard => "hazard",
        Kind::Control => "control",
        Kind::Metric => "metric",
        Kind::Action => "action",
        Kind::DpiaRisk => "dpia-risk",
        Kind::Incident => "incident",
    }
}

/// The kind a template names in `anchor(kind="…")`.
pub fn kind_named(name: &str) -> Option<Kind> {
    [Kind::Hazard, Kind::Control, Kind::Metric, Kind::Action, Kind::DpiaRisk]
        .into_iter()
        .find(|k| prefix(*k) == name)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn plain_ids_read_as_they_are() {
        assert_eq!(anchor(Kind::Hazard, "HAZ-001"), "hazard-HAZ-001");
        assert_eq!(anchor(Kind::DpiaRisk, "R1.2_a"), "dpia-risk-R1.2_a");
        assert_eq!(anchor(Kind::Metric, "A&E-4HR"), "metric-A%26E-4HR");
        assert_eq!(anchor(Kind::Control, "50%/\"#<"), "control-50%25%2F%22%23%3C");
        assert_eq!(kind_named("dpia-risk"), Some(Kind::DpiaRisk));
        assert_eq!(kind_named("section"), None);
    }

    proptest! {
        /// Distinct items never share an anchor, and every anchor is plain ASCII
        /// without a character HTML or a URL fragment would treat specially.
        #[test]
        fn anchors_are_distinct_and_plain(a in "\\PC{1,12}", b in "\\PC{1,12}", ka in 0..5usize, kb in 0..5usize) {
            let kinds = [Kind::Hazard, Kind::Control, Kind::Metric, Kind::Action, Kind::DpiaRisk];
            let (x, y) = (anchor(kinds[ka], &a), anchor(kinds[kb], &b));
            prop_assert_eq!(x == y, a == b && ka == kb);
            prop_assert!(x.bytes().all(|c| c.is_ascii_alphanumeric() || b"-_.%".contains(&c)), "{}", x);
        }
    }
}
