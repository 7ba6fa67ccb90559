use super::*;
use proptest::prelude::*;
use DpiaLikelihood::*;
use DpiaSeverity::{Minimal, Severe};
use Likelihood::*;
use Severity::{Catastrophic, Considerable, Major, Minor, Significant};

/// All 25 cells, written out as the SPEC's table (row by row) so a typo in
/// `MATRIX` cannot hide behind the same typo here.
#[test]
fn every_matrix_cell_matches_the_standard() {
    let table = [
        (VeryHigh, [3, 4, 4, 5, 5]),
        (High, [2, 3, 3, 4, 5]),
        (Medium, [2, 2, 3, 3, 4]),
        (Low, [1, 2, 2, 3, 4]),
        (VeryLow, [1, 1, 2, 2, 3]),
    ];
    let severities = [Minor, Significant, Considerable, Major, Catastrophic];
    let mut checked = 0;
    for (likelihood, row) in table {
        for (severity, expected) in severities.iter().zip(row) {
            assert_eq!(rating(*severity, likelihood), expected, "{severity:?} × {likelihood:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 25);
}

#[test]
fn matrix_is_not_a_product() {
    // "3 × 5 = 15" is the classic migration mistake: the DCB rating of
    // medium × catastrophic is 4.
    assert_eq!(rating(Catastrophic, Medium), 4);
}

#[test]
fn every_ico_cell() {
    let cases = [
        (Remote, Minimal, DpiaLevel::Low),
        (Remote, DpiaSeverity::Significant, DpiaLevel::Low),
        (Remote, Severe, DpiaLevel::Medium),
        (Possible, Minimal, DpiaLevel::Low),
        (Possible, DpiaSeverity::Significant, DpiaLevel::Medium),
        (Possible, Severe, DpiaLevel::High),
        (Probable, Minimal, DpiaLevel::Medium),
        (Probable, DpiaSeverity::Significant, DpiaLevel::High),
        (Probable, Severe, DpiaLevel::High),
    ];
    for (l, s, expected) in cases {
        assert_eq!(dpia_level(l, s), expected, "{l:?} × {s:?}");
    }
}

fn severity() -> impl Strategy<Value = Severity> {
    prop::sample::select(Severity::ALL.to_vec())
}
fn likelihood() -> impl Strategy<Value = Likelihood> {
    prop::sample::select(Likelihood::ALL.to_vec())
}

proptest! {
    /// Raising severity or likelihood never lowers the rating, and ratings stay 1–5.
    #[test]
    fn rating_is_monotonic(s1 in severity(), s2 in severity(), l1 in likelihood(), l2 in likelihood()) {
        let r = rating(s1, l1);
        prop_assert!((1..=5).contains(&r));
        if s1 <= s2 && l1 <= l2 {
            prop_assert!(r <= rating(s2, l2));
        }
    }
}
