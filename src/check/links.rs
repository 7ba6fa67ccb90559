//! duplicate-id, dangling-reference, self-link: the graph's unresolved links
//! and clashes, and links that lead back to their own item.

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
        let expected = crate::words::a(&expected);
        let message = match u.found {
            None => format!("`{}` lists `{}` under `{}`, but no item has that id", u.from, u.target, u.field),
            Some(kind) => format!(
                "`{}` lists `{}` under `{}`, but `{}` is {}, not {expected}",
                u.from,
                u.target,
                u.field,
                u.target,
                crate::words::a(kind.noun())
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
    self_links(cx, out);
}

/// self-link: a hazard related to itself names no other hazard; the link
/// resolves, so only here is it seen (the log would show it related to itself).
fn self_links(cx: &Context, out: &mut Vec<Finding>) {
    for h in &cx.project.hazards {
        for link in h.related.iter().filter(|r| r.value == h.id) {
            out.push(
                finding(
                    &rules::SELF_LINK,
                    &h.id,
                    format!("hazard `{}` lists itself under `related`", h.id),
                    link.span,
                )
                .with_note("`related` names other hazards this one bears on; remove the hazard's own id, or correct it to the hazard meant"),
            );
        }
    }
}
