//! A chart's value axis: any finite values in, finite 0..1 positions out.
//!
//! Values come from the project (a threshold of `1.7e308`, observations of
//! ±1e308 or 1e-308 are all valid YAML and CSV), so the arithmetic must not
//! overflow to infinity or divide 0 by 0: either would write `NaN` into the
//! SVG and the PDF. Where `hi - lo` would overflow, the axis works in halves.

/// The axis from `lo` to `hi` (rounded out to nice steps where that stays
/// finite) and its tick values, lowest first.
pub struct Axis {
    lo: f64,
    hi: f64,
    pub ticks: Vec<f64>,
}

/// More ticks than this never come from nice steps; the cap only guards the loop.
const MAX_TICKS: usize = 20;

impl Axis {
    /// The axis that shows every one of `values` (infinite and NaN values are
    /// ignored; the loader admits none). No values: 0..1.
    pub fn new(values: impl IntoIterator<Item = f64>) -> Axis {
        let (mut lo, mut hi) = values
            .into_iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if !lo.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if lo > 0.0 && lo < hi * 0.5 {
            lo = 0.0; // start at zero unless that squashes the data
        }
        if hi - lo < 1e-9 {
            // A flat series: widen it, by more than rounding can swallow at this magnitude.
            let pad = (lo.abs().max(hi.abs()) * 1e-6).max(1.0);
            (lo, hi) = ((lo - pad).max(-f64::MAX), (hi + pad).min(f64::MAX));
        }
        // Round the axis out to "nice" steps (1, 2 or 5 × 10^k) so ticks read well.
        let raw = (hi / 2.0 - lo / 2.0) / 2.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0].iter().map(|f| f * magnitude).find(|s| *s >= raw).unwrap_or(raw);
        let round =
            |v: f64, r: fn(f64) -> f64| Some(r(v / step) * step).filter(|n| n.is_finite()).unwrap_or(v);
        let (lo, hi) = (round(lo, f64::floor), round(hi, f64::ceil));
        let span = if (hi - lo).is_finite() { (hi - lo) / step } else { hi / step - lo / step };
        let count = (span.round() as usize).min(MAX_TICKS);
        let ticks = (0..=count)
            .map(|i| {
                Some(lo + step * i as f64)
                    .filter(|v| v.is_finite())
                    .unwrap_or((lo / 2.0 + step / 2.0 * i as f64) * 2.0)
            })
            .filter(|v| v.is_finite() && *v <= hi + step * 1e-9)
            .collect();
        Axis { lo, hi, ticks }
    }

    /// Where `v` sits on the axis: 0 at the bottom, 1 at the top; always finite.
    pub fn position(&self, v: f64) -> f64 {
        let (lo, hi) = (self.lo, self.hi);
        let p = if (hi - lo).is_finite() {
            (v - lo) / (hi - lo)
        } else {
            (v / 2.0 - lo / 2.0) / (hi / 2.0 - lo / 2.0)
        };
        if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.5
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn finite() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>().prop_filter("finite", |v| v.is_finite()),
            Just(f64::MAX),
            Just(-f64::MAX),
            Just(f64::MIN_POSITIVE),
            Just(1.7e308),
            Just(-1e308),
            Just(1e-308),
            Just(0.0),
            -1e3..1e3f64,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        /// Every value, tick and line lands at a finite place inside the chart.
        #[test]
        fn any_finite_values_have_finite_positions(values in prop::collection::vec(finite(), 0..8)) {
            let axis = Axis::new(values.iter().copied());
            prop_assert!(!axis.ticks.is_empty() && axis.ticks.len() <= MAX_TICKS + 1);
            for v in values.iter().chain(&axis.ticks) {
                let p = axis.position(*v);
                prop_assert!(p.is_finite() && (0.0..=1.0).contains(&p), "{v} at {p}");
            }
            // The data is spread over the axis, not collapsed to one point.
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() && lo < hi {
                prop_assert!(axis.position(lo) <= axis.position(hi));
            }
        }
    }

    #[test]
    fn extremes_keep_their_order_and_spread() {
        let axis = Axis::new([1.7e308, -1e308, 5.0]);
        let (bottom, middle, top) = (axis.position(-1e308), axis.position(5.0), axis.position(1.7e308));
        assert!(bottom < middle && middle < top, "{bottom} {middle} {top}");
        assert!(axis.ticks.iter().all(|t| t.is_finite()));
        assert_eq!(Axis::new([1.7e308, -1.7e308]).ticks.len(), 4);
        let flat = Axis::new([1e308, 1e308]);
        assert!((0.1..0.9).contains(&flat.position(1e308)));
        let tiny = Axis::new([1e-308, 2e-308, -1e-308]);
        assert!(tiny.ticks.len() >= 2 && tiny.position(1e-308).is_finite());
    }

    #[test]
    fn ordinary_values_keep_their_nice_axis() {
        let axis = Axis::new([16.5, 17.2, 24.0, 18.0]);
        assert_eq!(axis.ticks, vec![16.0, 18.0, 20.0, 22.0, 24.0]);
        assert_eq!(axis.position(20.0), 0.5);
        assert_eq!(Axis::new([3.0, 3.0]).ticks, vec![2.0, 2.5, 3.0, 3.5, 4.0]);
    }
}
