//! English for counted and named things: "1 error" / "2 errors", "an action".

/// `n` and the noun, plural unless `n` is 1 (regular plurals: add `s`).
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// "a control that is only planned" or "controls that are only planned":
/// the noun phrase for `n` items, singular for one.
pub fn one_or_more(n: usize, one: &str, more: &str) -> String {
    if n == 1 {
        one.to_string()
    } else {
        more.to_string()
    }
}

/// The noun with `a` or `an` (by its first letter: "an action", "a DPIA risk").
pub fn a(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// "a", "a and b", "a, b and c".
pub fn list_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Characters that take no space and show nothing (zero-width space, joiners,
/// word joiner, BOM, soft hyphen): two ids differing by one look alike.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Text a reader sees nothing of: empty, spaces, invisible characters.
pub fn says_nothing(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_articles() {
        assert_eq!(count(1u32, "time"), "1 time");
        assert_eq!(count(0u32, "error"), "0 errors");
        assert_eq!(count(3u32, "day"), "3 days");
        assert_eq!(a("action"), "an action");
        assert_eq!(a("hazard"), "a hazard");
        assert_eq!(a("DPIA risk"), "a DPIA risk");
        assert_eq!(one_or_more(1, "a control", "controls"), "a control");
        assert_eq!(one_or_more(2, "a control", "controls"), "controls");
        let items = ["a".to_string(), "b".into(), "c".into()];
        assert_eq!(list_and(&items[..1]), "a");
        assert_eq!(list_and(&items[..2]), "a and b");
        assert_eq!(list_and(&items), "a, b and c");
    }
}
