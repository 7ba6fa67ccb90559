//! duplicate-id, dangling-reference: the graph's unresolved links and clashes.

use super::{finding, Context};
use crate::check::Finding;
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    for d in &cx.graph.duplicates {
        out.push(
            finding(
                &rules::DUPLICATE_ID,
                &d.id,
                format!("the id `{}` is already used: ids must be unique across the project", d.id),
                d.span,
            )
            .with_note(format!("first used at {}", cx.place(d.first))),
        );
    }
    for u in &cx.graph.unresolved {
        let expected = u.expected.iter().map(|k| k.noun()).collect::<Vec<_>>().join(" or ");
        let message = match u.found {
            None => format!("`{}` lists `{}` under `{}`, but no item has that id", u.from, u.target, u.field),
            Some(kind) => format!(
                "`{}` lists `{}` under `{}`, but `{}` is a {}, not a {expected}",
                u.from,
                u.target,
                u.field,
                u.target,
                kind.noun()
            ),
        };
        let mut f = finding(&rules::DANGLING_REFERENCE, &u.from, message, u.span);
        if u.found.is_none() {
            let ids =
                cx.graph.graph.node_weights().filter(|n| u.expected.contains(&n.kind)).map(|n| n.id.as_str());
            if let Some(s) = crate::suggest::did_you_mean(&u.target, ids) {
                f = f.with_note(format!("did you mean `{s}`?"));
            }
        }
        out.push(f);
    }
}
