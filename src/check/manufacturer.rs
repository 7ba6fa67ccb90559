//! missing-manufacturer: items that point into the manufacturer's DCB0129
//! report (`transferred_from` on a control, `source` on a hazard) while the
//! manifest names no such report. The link then points at nothing: a reader
//! of the safety case cannot tell which report, or which version, it means.

use super::{finding, Context};
use crate::check::Finding;
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    if cx.project.manifest.manufacturer.is_some() {
        return;
    }
    let note = |id: &str, field: &str| {
        format!(
            "name the supplier's DCB0129 clinical safety case report that `{id}` comes from in clinsafe.yaml \
             (`manufacturer: {{ ref: …, version: …, date: … }}`), or remove `{field}` if the item is this organisation's own"
        )
    };
    for c in &cx.project.controls {
        let Some(from) = &c.transferred_from else { continue };
        out.push(
            finding(
                &rules::MISSING_MANUFACTURER,
                &c.id,
                format!(
                    "control `{}` is transferred from the manufacturer's report as `{}`, but clinsafe.yaml does not name that report (no `manufacturer: {{ ref: … }}`)",
                    c.id, from.value
                ),
                from.span,
            )
            .with_note(note(&from.value, "transferred_from")),
        );
    }
    for h in &cx.project.hazards {
        let Some(source) = &h.record.source else { continue };
        out.push(
            finding(
                &rules::MISSING_MANUFACTURER,
                &h.id,
                format!(
                    "hazard `{}` localises the manufacturer's hazard `{}` (`source`), but clinsafe.yaml does not name the manufacturer's report (no `manufacturer: {{ ref: … }}`)",
                    h.id, source.value
                ),
                source.span,
            )
            .with_note(note(&source.value, "source")),
        );
    }
}
