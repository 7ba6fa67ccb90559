//! Rules about the document as a whole: sign-off and review date.

use super::{finding, Context};
use crate::check::Finding;
use crate::model::status::DocumentStatus;
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = &cx.project.manifest;
    placeholders(cx, out);
    if m.document.status == DocumentStatus::Issued {
        let mut missing = Vec::new();
        if m.clinical_safety_officer.is_none() {
            missing.push("`clinical_safety_officer`");
        }
        if cx.facts.approvals(m).is_empty() {
            missing.push(if m.approvals.is_empty() {
                "`approvals`"
            } else {
                "approvals dated on or before the day checked"
            });
        }
        if !missing.is_empty() {
            out.push(
                finding(
                    &rules::MISSING_SIGN_OFF,
                    "document",
                    format!("document {} is issued but has no {}", m.document.id, missing.join(" and no ")),
                    m.span,
                )
                .with_note("an issued clinical safety case report must be signed off by the CSO; keep `status: draft` until it is"),
            );
        }
    }
    approval_outdated(cx, out);
    version_not_in_history(cx, out);
    if m.document.status == DocumentStatus::Issued && m.safety_statement.is_none() {
        out.push(
            finding(
                &rules::MISSING_SAFETY_STATEMENT,
                "document",
                format!("document {} is issued but has no `safety_statement`", m.document.id),
                m.span,
            )
            .with_note("the conclusion of an issued safety case is the clinical safety officer's own: write it under `safety_statement:` in clinsafe.yaml"),
        );
    }
    if let (true, Some(review)) = (cx.facts.document_review_overdue, &m.document.review_by) {
        {
            out.push(finding(
                &rules::REVIEW_OVERDUE,
                "document",
                format!(
                    "document {} was due for review by {} (as of {})",
                    m.document.id, review.value, cx.as_of
                ),
                review.span,
            ));
        }
    }
    // The hazard log's and the DPIA's own control (their `review_by` has no
    // place of its own: the finding points at the manifest, or the DPIA).
    let dpia = cx.project.dpia.as_ref();
    for (overdue, control, subject, span) in [
        (cx.facts.hazard_log_review_overdue, m.hazard_log.as_ref(), "document", m.span),
        (
            cx.facts.dpia_review_overdue,
            dpia.and_then(|d| d.document.as_ref()),
            "dpia",
            dpia.map_or(m.span, |d| d.span),
        ),
    ] {
        let Some((c, review)) = control.and_then(|c| Some((c, c.review_by?))).filter(|_| overdue) else {
            continue;
        };
        let what = if subject == "dpia" { "DPIA" } else { "hazard log" };
        out.push(finding(
            &rules::REVIEW_OVERDUE,
            subject,
            format!("{what} {} was due for review by {review} (as of {})", c.id, cx.as_of),
            span,
        ));
    }
}

/// True for a value `clinsafe init` left for the user: `<…>` or text starting with TODO.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    (v.starts_with('<') && v.ends_with('>')) || v.starts_with("TODO")
}

/// unfilled-placeholder: values a report would print as if they were real.
fn placeholders(cx: &Context, out: &mut Vec<Finding>) {
    let m = &cx.project.manifest;
    let mut fields: Vec<(&str, Option<&str>)> = vec![
        ("system.name", Some(m.system.name.as_str())),
        ("system.version", m.system.version.as_deref()),
        ("system.supplier", m.system.supplier.as_deref()),
        ("system.description", m.system.description.as_deref()),
        ("organisation.name", m.organisation.as_ref().map(|o| o.name.as_str())),
        ("document.id", Some(m.document.id.as_str())),
        ("document.version", Some(m.document.version.as_str())),
    ];
    if let Some(cso) = &m.clinical_safety_officer {
        fields.push(("clinical_safety_officer.name", Some(cso.name.as_str())));
        fields.push(("clinical_safety_officer.registration", cso.registration.as_deref()));
    }
    if let Some(r) = &m.manufacturer {
        fields.push(("manufacturer.ref", Some(r.reference.as_str())));
        fields.push(("manufacturer.version", r.version.as_deref()));
        fields.push(("manufacturer.reviewed_by", r.reviewed_by.as_deref()));
    }
    for a in &m.approvals {
        fields.push(("approvals.name", Some(a.name.as_str())));
        fields.push(("approvals.role", a.role.as_deref()));
    }
    let unfilled: Vec<&str> =
        fields.iter().filter(|(_, v)| v.is_some_and(is_placeholder)).map(|(k, _)| *k).collect();
    if !unfilled.is_empty() {
        out.push(
            finding(
                &rules::UNFILLED_PLACEHOLDER,
                "document",
                format!("clinsafe.yaml still has placeholders in: {}", unfilled.join(", ")),
                m.span,
            )
            .with_note("the reports print these values as they stand; replace each `<…>` and TODO"),
        );
    }
}

/// approval-outdated: the sign-off of the current version must cover the
/// content as it now stands. It applies once approvals record a `version` or
/// `digest` (a project that records neither checks as before SPEC §3).
/// A version table is the document's own configuration record: once it is
/// kept, the version issued belongs in it. (Without a table there is nothing
/// to stop short; a draft's row is written when it is issued.)
fn version_not_in_history(cx: &Context, out: &mut Vec<Finding>) {
    let d = &cx.project.manifest.document;
    let Some(last) = d.history.last() else { return };
    if d.status != DocumentStatus::Issued || last.version == d.version {
        return;
    }
    // A row for the version issued, but later rows after it: `document.version`
    // was left behind when a row was added (the reports name the older version).
    let (message, note) = if d.history.iter().any(|row| row.version == d.version) {
        (
            format!(
                "document {} is issued as version {}, but its `document.history` goes on to version {}",
                d.id, d.version, last.version
            ),
            format!(
                "if version {} is the one issued, set `document.version: \"{}\"` (and record its approval); if not, take its row out until it is",
                last.version, last.version
            ),
        )
    } else {
        (
            format!(
                "document {} is issued as version {}, but its `document.history` stops at version {}",
                d.id, d.version, last.version
            ),
            format!(
                "add a `history` row for version {} (date, author, what changed), so the version table shows the version signed",
                d.version
            ),
        )
    };
    out.push(
        finding(&rules::VERSION_NOT_IN_HISTORY, "document", message, cx.project.manifest.span)
            .with_note(note),
    );
}

fn approval_outdated(cx: &Context, out: &mut Vec<Finding>) {
    let m = &cx.project.manifest;
    let (doc, approvals) = (&m.document, cx.facts.approvals(m));
    let recorded = approvals.iter().any(|a| a.version.is_some() || a.digest.is_some());
    if doc.status != DocumentStatus::Issued || !recorded {
        return;
    }
    // An approval naming no version is taken to be of the current one.
    let current: Vec<_> =
        approvals.iter().filter(|a| a.version.as_deref().is_none_or(|v| v == doc.version)).collect();
    let now = crate::model::digest::content_digest(cx.project);
    if current.iter().any(|a| a.digest.as_deref() == Some(now.as_str())) {
        return;
    }
    let span = current.iter().find_map(|a| a.span).unwrap_or(m.span);
    let is_digest = |d: &str| {
        d.strip_prefix("sha256:")
            .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let message = match current.iter().find_map(|a| a.digest.as_deref().map(|d| (a, d))) {
        Some((a, recorded)) if !is_digest(recorded) => format!(
            "the approval of version {} by {} records `{}`, which is not a content digest (`sha256:` and 64 hex digits, as `clinsafe digest` prints)",
            doc.version,
            a.name,
            crate::excerpt::excerpt(recorded)
        ),
        Some((a, recorded)) => format!(
            "version {} was approved by {} for content {recorded}, but the content digest now is {now}: the case changed after sign-off",
            doc.version, a.name
        ),
        None if current.is_empty() => {
            format!("document {} version {} is issued but no approval is for version {}", doc.id, doc.version, doc.version)
        }
        None => format!("the approval of version {} records no `digest`, so it does not say what content it covers", doc.version),
    };
    out.push(finding(&rules::APPROVAL_OUTDATED, "document", message, span).with_note(format!(
        "review the change; then raise `document.version` and add a `history` row, or, for the same version, record the approval again with `digest: \"{now}\"` (`clinsafe digest`)"
    )));
}
