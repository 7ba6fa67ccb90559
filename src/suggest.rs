//! "Did you mean …?" for misspelt keys, enum values and ids.

/// The candidate closest to `input` by edit distance, if it is close enough
/// to be a plausible typo (at most a third of the word, and at least 1).
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    let limit = (input.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(&input_lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Edit distance counting a swap of two neighbouring letters as one edit
/// (optimal string alignment, from `strsim`), since "titel" for "title" is
/// the typical typo.
fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["title", "description", "likelihood", "severity"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("likelyhood", keys), Some("likelihood"));
        assert_eq!(did_you_mean("Severity", keys), Some("severity"));
        assert_eq!(did_you_mean("banana", keys), None);
    }

    #[test]
    fn distance_is_symmetric_and_zero_on_equal() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("sitting", "kitten"), 3);
        assert_eq!(distance("same", "same"), 0);
        assert_eq!(distance("titel", "title"), 1);
    }
}
