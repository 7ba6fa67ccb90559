//! future-dated: records dated after `--as-of`, which no other rule counted
//! (the facts leave them out; see `facts::point_in_time`).

use super::{finding, Context};
use crate::check::Finding;
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    for f in &cx.facts.future_dated {
        out.push(
            finding(
                &rules::FUTURE_DATED,
                &f.subject,
                format!("{} is dated {}, after the day checked ({}): {}", f.what, f.date, cx.as_of, f.effect),
                f.span,
            )
            .with_note("if the date is a typo, correct it; if it is planned, record it once it has happened"),
        );
    }
}
