//! Calendar dates (`YYYY-MM-DD`) and periods (`3 months`) as the YAML writes them.

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};
use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::excerpt::excerpt;

/// A calendar date. Only `YYYY-MM-DD` is accepted: a safety case must not
/// depend on how a locale reads `03/04/2026`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn parse(text: &str) -> Result<Date, String> {
        let t = text.trim();
        let well_formed = t.len() == 10
            && t.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !well_formed {
            return Err(format!(
                "`{}` is not a date: expected the form YYYY-MM-DD, for example 2026-11-20",
                excerpt(t)
            ));
        }
        // The calendar has no year 0 (1 BC is followed by AD 1): `0000-01-01` is a placeholder.
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .filter(|d| d.year() != 0)
            .map(Date)
            .ok_or_else(|| format!("`{}` is not a real calendar date (YYYY-MM-DD)", excerpt(t)))
    }

    /// The date `period` after this one (month ends clamp: 31 Jan + 1 month = 28/29 Feb).
    pub fn plus(self, period: Period) -> Date {
        let d = self.0;
        let n = period.count;
        let next = match period.unit {
            Unit::Days => d.checked_add_days(Days::new(n.into())),
            Unit::Weeks => d.checked_add_days(Days::new(u64::from(n) * 7)),
            Unit::Months => d.checked_add_months(Months::new(n)),
            Unit::Years => d.checked_add_months(Months::new(n.saturating_mul(12))),
        };
        Date(next.unwrap_or(NaiveDate::MAX))
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).num_days()
    }

    /// From a Unix timestamp (for `SOURCE_DATE_EPOCH`).
    pub fn from_unix(secs: i64) -> Option<Date> {
        chrono::DateTime::from_timestamp(secs, 0).map(|t| Date(t.date_naive()))
    }

    /// Seconds since the Unix epoch at midnight UTC (PDF dates).
    pub fn unix_seconds(self) -> i64 {
        self.0.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp())
    }

    /// Days since 1 January of year 1 (a linear scale for charts).
    pub fn day_number(self) -> i64 {
        i64::from(self.0.num_days_from_ce())
    }

    pub fn year_month(self) -> (i32, u32) {
        (self.0.year(), self.0.month())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // chrono's `format` reads its format string again on every call, and
        // the reports print hundreds of thousands of dates: digits directly
        // for the four-digit years `parse` accepts.
        let (year, month, day) = (self.0.year(), self.0.month(), self.0.day());
        match year {
            0..=9999 => write!(f, "{year:04}-{month:02}-{day:02}"),
            _ => write!(f, "{}", self.0.format("%Y-%m-%d")),
        }
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Date::parse(s)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).map_err(de::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A date as YYYY-MM-DD"
        })
    }
}

/// A calendar month (`--period 2026-11`), the reporting period of the
/// monthly governance pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(date: Date) -> Month {
        let (year, month) = date.year_month();
        Month { year, month }
    }

    pub fn parse(text: &str) -> Result<Month, String> {
        let bad = || format!("`{}` is not a month: expected YYYY-MM, for example 2026-11", excerpt(text));
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    pub fn first_day(self) -> Date {
        Date(NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN))
    }

    pub fn last_day(self) -> Date {
        let first = self.first_day();
        Date(first.plus(Period { count: 1, unit: Unit::Months }).0.pred_opt().unwrap_or(first.0))
    }

    pub fn contains(self, date: Date) -> bool {
        Month::of(date) == self
    }

    /// The month after this one.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year.saturating_add(1), month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    /// The month before this one (January → December of the year before).
    pub fn previous(self) -> Month {
        match self.month {
            1 => Month { year: self.year - 1, month: 12 },
            m => Month { year: self.year, month: m - 1 },
        }
    }

    /// The monitoring pack's default period: the last month complete before
    /// `as_of` (the month of `as_of` is still running, its data still coming).
    pub fn last_complete_before(as_of: Date) -> Month {
        Month::of(as_of).previous()
    }

    /// "2026-11", as `--period` takes it.
    pub fn to_string_ym(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// "November 2026".
    pub fn label(self) -> String {
        self.first_day().0.format("%B %Y").to_string()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

/// A length of time such as `3 months` or `45 days`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub count: u32,
    pub unit: Unit,
}

impl Period {
    pub fn parse(text: &str) -> Result<Period, String> {
        let bad = || {
            format!("`{}` is not a period: expected a number and a unit, for example `3 months` (units: days, weeks, months, years)", excerpt(text))
        };
        let mut parts = text.split_whitespace();
        let (Some(count), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let count: u32 = count.parse().map_err(|_| bad())?;
        if count == 0 {
            return Err(format!("`{}` is not a period: the number must be at least 1", excerpt(text)));
        }
        let unit = match unit.to_ascii_lowercase().trim_end_matches('s') {
            "day" => Unit::Days,
            "week" => Unit::Weeks,
            "month" => Unit::Months,
            "year" => Unit::Years,
            _ => return Err(bad()),
        };
        Ok(Period { count, unit })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        f.write_str(&crate::words::count(self.count, unit))
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Period::parse(&text).map_err(de::Error::custom)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^\\s*0*[1-9][0-9]*\\s+(day|week|month|year)s?\\s*$",
            "description": "A period such as `3 months`: a number and days, weeks, months or years"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn dates_must_be_iso() {
        assert!(Date::parse("2026-11-20").is_ok());
        assert!(Date::parse("20/11/2026").unwrap_err().contains("YYYY-MM-DD"));
        assert!(Date::parse("2026-2-1").is_err());
        assert!(Date::parse("2026-02-30").unwrap_err().contains("real calendar date"));
        assert!(Date::parse("0000-01-01").unwrap_err().contains("real calendar date"), "there is no year 0");
        assert!(Date::parse("0001-01-01").is_ok());
    }

    #[test]
    fn months_parse_and_bound() {
        let m = Month::parse("2026-02").unwrap();
        assert_eq!((m.first_day(), m.last_day()), (d("2026-02-01"), d("2026-02-28")));
        assert_eq!(Month::parse("2024-02").unwrap().last_day(), d("2024-02-29"));
        assert_eq!(Month::parse("2026-12").unwrap().last_day(), d("2026-12-31"));
        assert_eq!(m.label(), "February 2026");
        assert!(m.contains(d("2026-02-14")) && !m.contains(d("2026-03-01")));
        assert!(Month::parse("2026-13").is_err() && Month::parse("Nov 2026").is_err());
    }

    #[test]
    fn the_default_pack_month_is_the_last_complete_one() {
        let before = |s: &str| Month::last_complete_before(d(s)).to_string_ym();
        assert_eq!(before("2026-11-25"), "2026-10");
        // The last day of a month: that month is not over until the day is.
        assert_eq!(before("2026-11-30"), "2026-10");
        assert_eq!(before("2026-12-01"), "2026-11");
        // January: December of the year before.
        assert_eq!(before("2027-01-15"), "2026-12");
        assert_eq!(before("2027-01-01"), "2026-12");
    }

    proptest::proptest! {
        /// Dates print as chrono's `%Y-%m-%d` prints them, any year.
        #[test]
        fn dates_print_as_chrono_prints_them(days in -400_000i64..4_000_000) {
            let date = NaiveDate::from_ymd_opt(1, 1, 1).unwrap() + chrono::Duration::days(days);
            proptest::prop_assert_eq!(Date(date).to_string(), date.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn periods_parse_and_add() {
        let p = Period::parse("3 months").unwrap();
        assert_eq!(d("2026-01-31").plus(p), d("2026-04-30"));
        assert_eq!(d("2026-01-01").plus(Period::parse("1 week").unwrap()), d("2026-01-08"));
        assert_eq!(d("2024-02-29").plus(Period::parse("1 year").unwrap()), d("2025-02-28"));
        assert_eq!(Period::parse("45 Days").unwrap().to_string(), "45 days");
        assert!(Period::parse("quarterly").is_err());
        assert!(Period::parse("0 days").is_err());
    }
}
