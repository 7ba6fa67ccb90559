//! Initial and residual risk from the sheet's consequence, likelihood and
//! stated score, per row; then one risk per hazard, the worst where rows differ.

use super::columns::Field;
use super::ctx::Ctx;
use super::fields::unread;
use super::sheet::{Cell, Row};
use super::{values, RiskOut};
use crate::model::risk::{self, Likelihood, Severity};

#[derive(Clone, Debug)]
pub struct RiskRow {
    pub row: u32,
    pub severity: Option<Severity>,
    pub likelihood: Option<Likelihood>,
    pub score: Option<i64>,
}

/// The three cells of one risk on this row, when any is filled in.
pub fn read(cx: &mut Ctx, h: usize, row: &Row, [sev_f, lik_f, score_f]: [Field; 3]) -> Option<RiskRow> {
    let mut r = RiskRow { row: row.number, severity: None, likelihood: None, score: None };
    let mut any = false;
    for f in [sev_f, lik_f, score_f] {
        let Some((col, cell)) = cx.cell(row, f) else {
            let sheet = &cx.book.sheets[cx.sheet];
            if let Some((col, colour)) =
                cx.header.fields.get(&f).and_then(|&c| Some((c, sheet.fill(row.number, c)?)))
            {
                cx.coloured.entry(col).or_insert((row.number, 0, colour)).1 += 1;
            }
            continue;
        };
        any = true;
        let text = cell.text().trim().to_string();
        if let Cell::Text(_) = cell {
            if !cx.book.is_csv && text.parse::<f64>().is_ok() {
                cx.texty_numbers.entry(col).or_insert((row.number, 0)).1 += 1;
            }
        }
        if values::is_tbc(&text) {
            continue;
        }
        let ok = if f == sev_f {
            r.severity = values::severity(&text);
            r.severity.is_some()
        } else if f == lik_f {
            r.likelihood = values::likelihood(&text);
            r.likelihood.is_some()
        } else {
            r.score = values::score(&text);
            r.score.is_some()
        };
        if !ok {
            let expected = if f == score_f { "a whole number" } else { "a word of the DCB scale or 1–5" };
            unread(cx, h, row, col, &text, expected);
        }
    }
    any.then_some(r)
}

fn describe(s: Severity, l: Likelihood) -> String {
    format!("{} × {} = {}", s.as_str(), l.as_str(), risk::rating(s, l))
}

/// One risk for the hazard from its rows. Half-rated rows, stated scores
/// that are not the matrix's, and rows that disagree are each reported.
pub fn resolve(
    cx: &mut Ctx,
    id: &str,
    which: &str,
    rows: &[RiskRow],
    notes: &mut Vec<String>,
) -> Option<RiskOut> {
    let mut full: Vec<(Severity, Likelihood, u32)> = Vec::new();
    let mut half: Option<RiskOut> = None;
    for r in rows {
        match (r.severity, r.likelihood) {
            (Some(s), Some(l)) => {
                if !full.iter().any(|(s2, l2, _)| (*s2, *l2) == (s, l)) {
                    full.push((s, l, r.row));
                }
                if let Some(score) = r.score.filter(|&n| n != i64::from(risk::rating(s, l))) {
                    let product = (Severity::ALL.iter().position(|x| *x == s).unwrap_or(0) + 1)
                        * (Likelihood::ALL.iter().position(|x| *x == l).unwrap_or(0) + 1);
                    let why = if score == product as i64 {
                        " (it is likelihood × consequence on a 1–5 scale; the DCB rating is a matrix lookup, not a product)"
                    } else {
                        ""
                    };
                    cx.slip("import-score-mismatch", r.row, None, id, format!(
                        "hazard {id}'s stated {which} risk score {score} is not the DCB matrix rating for {}{why}: the matrix rating is used, the stated score kept in its notes",
                        describe(s, l)
                    ));
                    notes.push(format!("Stated {which} risk score (row {}): {score}", r.row));
                }
            }
            (s, l) => {
                let missing = match (s, l) {
                    (Some(_), None) => "likelihood",
                    (None, Some(_)) => "consequence",
                    _ => "consequence and likelihood",
                };
                cx.slip("import-half-rated", r.row, None, id, format!(
                    "hazard {id}'s {which} risk has no {missing} on this row: it loads as TBC and counts as not assessed"
                ));
                if let Some(score) = r.score {
                    notes.push(format!("Stated {which} risk score (row {}): {score}", r.row));
                }
                if half.is_none() && (s.is_some() || l.is_some()) {
                    half = Some(RiskOut { severity: s, likelihood: l });
                }
            }
        }
    }
    let Some(worst) = full.iter().copied().max_by_key(|(s, l, _)| (risk::rating(*s, *l), *s, *l)) else {
        return half;
    };
    if full.len() > 1 {
        let seen: Vec<String> =
            full.iter().map(|(s, l, row)| format!("row {row}: {}", describe(*s, *l))).collect();
        cx.slip(
            "import-ratings-differ",
            full[0].2,
            None,
            id,
            format!(
                "hazard {id}'s {which} risk differs between its rows ({}): the worst, {}, is kept",
                seen.join("; "),
                describe(worst.0, worst.1)
            ),
        );
    }
    Some(RiskOut { severity: Some(worst.0), likelihood: Some(worst.1) })
}
