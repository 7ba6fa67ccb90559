//! Related hazards written differently from the hazards' own ids: a log
//! numbers its hazards `H001` and writes `H1` or `h-01` in the related
//! column. Each such id that names no hazard exactly, but exactly one hazard
//! once case, zero padding and separators are set aside, is read as that
//! hazard's id, and a slip says so at the cell; any other stays as written
//! (`check` then reports it as a reference to no hazard).

use std::collections::HashMap;

use super::sheet::{Row, Sheet};
use super::{values, HazardOut, Slip};

/// `id` with case, leading zeros of each number and separators set aside:
/// `H001`, `h-1` and `H 01` are all `h1`. A separator between two numbers
/// stays a boundary (`1.2` is not `12`).
fn loose(id: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    let mut separated = false;
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            let kept = digits.trim_start_matches('0');
            out.push_str(if kept.is_empty() { "0" } else { kept });
            digits.clear();
        }
    };
    for c in id.chars() {
        if c.is_ascii_digit() {
            if digits.is_empty() && separated && out.ends_with(|c: char| c.is_ascii_digit()) {
                out.push('.');
            }
            digits.push(c);
            separated = false;
            continue;
        }
        flush(&mut digits, &mut out);
        separated = !c.is_alphanumeric();
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    flush(&mut digits, &mut out);
    out
}

/// Reads each hazard's related ids against the hazards' own (see the module);
/// `sheet` is the log, `related_col` its related-hazards column.
pub fn resolve(
    hazards: &mut [HazardOut],
    (sheet_index, sheet): (usize, &Sheet),
    related_col: Option<usize>,
    slips: &mut Vec<Slip>,
) {
    let exact: std::collections::HashSet<String> = hazards.iter().map(|h| h.id.clone()).collect();
    // Each loose key, with the hazard it stands for (None: several do).
    let mut by_key: HashMap<String, Option<String>> = HashMap::new();
    for h in hazards.iter() {
        by_key.entry(loose(&h.id)).and_modify(|one| *one = None).or_insert_with(|| Some(h.id.clone()));
    }
    for h in hazards.iter_mut() {
        let mut read: Vec<String> = Vec::with_capacity(h.related.len());
        for written in std::mem::take(&mut h.related) {
            let meant = match exact.contains(&written) {
                true => written.clone(),
                false => by_key.get(&loose(&written)).cloned().flatten().unwrap_or_else(|| written.clone()),
            };
            if meant != written {
                // The row of this hazard whose related cell lists it (rows are
                // in the sheet's order: found by number), else its first.
                let lists = |row: &Row| {
                    related_col.is_some_and(|c| values::id_list(&row.cell(c).text()).contains(&written))
                };
                let first = h.rows.first().copied().unwrap_or(0);
                let row = h
                    .rows
                    .iter()
                    .filter_map(|n| {
                        sheet.rows.binary_search_by_key(n, |r| r.number).ok().map(|i| &sheet.rows[i])
                    })
                    .find(|r| lists(r))
                    .map_or(first, |r| r.number);
                slips.push(Slip {
                    kind: "import-id-changed",
                    sheet: sheet_index,
                    row,
                    col: related_col,
                    subject: h.id.clone(),
                    message: format!(
                        "hazard {} lists related hazard \"{written}\", which no hazard is numbered; hazard {meant} \
                         is, but for case, zero padding or separators: read as {meant}",
                        h.id
                    ),
                });
            }
            // The same hazard written two ways is listed once (a list may not name one twice).
            if !read.contains(&meant) {
                read.push(meant);
            }
        }
        h.related = read;
    }
}

#[cfg(test)]
mod tests {
    use super::super::sheet::Cell;
    use super::*;

    #[test]
    fn ids_differing_in_case_zero_padding_or_separators_share_a_key() {
        for (a, b) in [
            ("H001", "h1"),
            ("H001", "H-01"),
            ("HAZ-007", "haz 7"),
            ("01.02", "1.2"),
            ("01 - 02", "1.2"),
            ("H0", "H000"),
        ] {
            assert_eq!(loose(a), loose(b), "{a} {b}");
        }
        for (a, b) in [("H1", "H10"), ("H1", "C1"), ("1.2", "12"), ("H1a", "H1")] {
            assert_ne!(loose(a), loose(b), "{a} {b}");
        }
    }

    fn hazard(id: &str, related: &[&str], row: u32) -> HazardOut {
        HazardOut {
            id: id.into(),
            related: related.iter().map(|s| s.to_string()).collect(),
            rows: vec![row],
            ..HazardOut::default()
        }
    }

    #[test]
    fn a_related_id_written_differently_is_read_as_the_one_hazard_it_stands_for() {
        let cells = |id: &str, related: &str| vec![Cell::Text(id.into()), Cell::Text(related.into())];
        let sheet = Sheet {
            name: "Hazard Log".into(),
            rows: vec![
                Row { number: 2, cells: cells("H001", "h-2, H2, H9") },
                Row { number: 3, cells: cells("H002", "H001") },
                Row { number: 4, cells: cells("H02", "2") },
            ],
            formulas_without_value: Vec::new(),
            styles: None,
            hidden: false,
        };
        let mut hazards = vec![
            hazard("H001", &["h-2", "H2", "H9"], 2),
            hazard("H002", &["H001"], 3),
            hazard("H02", &["2"], 4),
        ];
        // H002 and H02 share a key: "h-2" and "H2" stand for either, so stay as written.
        let mut slips = Vec::new();
        resolve(&mut hazards, (0, &sheet), Some(1), &mut slips);
        assert_eq!(hazards[0].related, ["h-2", "H2", "H9"]);
        assert!(slips.is_empty(), "{slips:?}");

        hazards[2] = hazard("H3", &["h-1", "H001", "2"], 4);
        resolve(&mut hazards, (0, &sheet), Some(1), &mut slips);
        assert_eq!(hazards[0].related, ["H002", "H9"], "h-2 and H2 both stand for H002, listed once");
        assert_eq!(
            hazards[2].related,
            ["H001", "2"],
            "an id that is exact stays; a number alone has no letters to match"
        );
        let said: Vec<(u32, &str)> = slips.iter().map(|s| (s.row, s.message.as_str())).collect();
        assert_eq!(said.len(), 3, "{said:?}");
        assert_eq!(slips[0].row, 2);
        assert_eq!(slips[0].col, Some(1));
        assert!(
            slips[0].message.contains("\"h-2\"") && slips[0].message.contains("read as H002"),
            "{said:?}"
        );
        // Row 4's related cell does not list h-1: the slip goes to the hazard's first row.
        assert_eq!(slips[2].row, 4);
    }
}
