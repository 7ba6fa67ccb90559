//! Every wrong value of an item in one run, not only serde's first.

use std::cell::RefCell;

use serde::de::Deserialize;

use super::node::{Node, NodeKind};
use super::{de, located, LoadError};
use crate::span::Span;

/// serde stops at an item's first wrong value. To report the others in the
/// same run, the offending value is taken out of a copy of the item and the
/// copy read again, until it reads or nothing more can be taken out. A gap we
/// made (a required key we removed) is not reported: the value lacking it is
/// taken out in turn, so a list's later elements are still read.
///
/// Returns those errors and, when a copy without the wrong values reads, that
/// copy: built beside the rest, so what only the build stage sees (a history out
/// of order, a limit that is not finite) is reported in the same run too. The
/// load has failed by then, so the copy never reaches a check or a report.
pub(super) fn further_errors<T: for<'a> Deserialize<'a>>(
    item: &Node,
    first: Option<Span>,
) -> (Vec<LoadError>, Option<T>) {
    const MAX_MORE: usize = 20;
    let mut copy = item.clone();
    let mut removed: Vec<String> = Vec::new();
    let mut at = first;
    let mut out = Vec::new();
    let scratch = RefCell::new(Vec::new()); // unknown keys were reported on the first read
                                            // Each round removes one node, so the rounds are bounded by the item's size too.
    while out.len() < MAX_MORE {
        let Some(key) = at.and_then(|span| remove_value_at(&mut copy, span)) else { break };
        removed.push(key);
        match de::from_node::<T>(&copy, &scratch) {
            Ok(rest) => return (out, Some(rest)),
            Err(e) if e.span == at => break,
            Err(e) => {
                at = e.span;
                // A gap we made (a required key removed): not the user's error. The value
                // that lacks it is taken out next, so the list elements after it are still read
                // (at the item itself, nothing is left to take out and the loop ends).
                let gap = e.missing_key.is_some_and(|k| removed.iter().any(|r| r == k));
                if !gap {
                    out.push(located(e, item.span));
                }
            }
        }
    }
    (out, None)
}

/// Removes the map entry or list element holding the value at `span`;
/// returns the key (or "") it removed, or `None` when nothing matched.
fn remove_value_at(node: &mut Node, span: Span) -> Option<String> {
    match &mut node.kind {
        NodeKind::Map(entries) => {
            if let Some(i) = entries.iter().position(|(k, v)| v.span == span || k.span == span) {
                let (k, _) = entries.remove(i);
                return Some(k.as_text().unwrap_or("").to_string());
            }
            entries.iter_mut().find_map(|(_, v)| remove_value_at(v, span))
        }
        NodeKind::Seq(items) => {
            if let Some(i) = items.iter().position(|v| v.span == span) {
                items.remove(i);
                return Some(String::new());
            }
            items.iter_mut().find_map(|v| remove_value_at(v, span))
        }
        _ => None,
    }
}
