//! An id listed twice in one list of links (`related`, `controls`,
//! `monitored_by`, `go_live_conditions`, ...) is a copy-paste slip: the second
//! listing says nothing new, yet rules and reports would count it twice (two
//! `self-link` findings for one `related: [HAZ-1, HAZ-1]`). A load error at
//! the second listing, as two history rows for one version are.

use std::collections::HashSet;

use super::LoadError;
use crate::excerpt::excerpt;
use crate::span::Located;

/// `ids` unchanged, with an error at each id already listed before it.
pub fn once(
    ids: Vec<Located<String>>,
    key: &str,
    what: &str,
    errors: &mut Vec<LoadError>,
) -> Vec<Located<String>> {
    // A set, not a search of the ones before: a generated project lists 2,000.
    let mut seen = HashSet::with_capacity(ids.len());
    for id in &ids {
        if !seen.insert(id.value.as_str()) {
            errors.push(LoadError {
                message: format!("{} is listed twice in `{key}`; list each {what} once", excerpt(&id.value)),
                span: id.span,
            });
        }
    }
    ids
}
