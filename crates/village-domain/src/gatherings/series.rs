//! A gathering that comes round: every week, or every month on the same week-day of the
//! same week ("the second Tuesday"; the fifth becomes "the last"), at the same London clock
//! time, until a day, with days it does not happen. Its calendar file says the same with
//! `RRULE` and `EXDATE`.

use super::gathering::Repeats;
use crate::error::{ErrorCode, FieldError};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use chrono_tz::Europe::London;

/// How far a series may run from its first time, in days.
pub const LONGEST_DAYS: i64 = 366;
/// The most days one series skips.
pub const SKIPS_MAX: usize = 60;

/// How a gathering comes round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub repeats: Repeats,
    /// The last day it may happen (for weekly and monthly).
    pub until: Option<NaiveDate>,
    /// Days it does not happen.
    pub skipped: Vec<NaiveDate>,
}

impl Series {
    pub fn once() -> Series {
        Series {
            repeats: Repeats::Once,
            until: None,
            skipped: Vec::new(),
        }
    }

    /// From what is stored: the code, the last day and the days skipped (comma-separated).
    pub fn stored(repeats: &str, until: Option<&str>, skipped: &str) -> Series {
        let day = |d: &str| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok();
        Series {
            repeats: Repeats::parse(repeats).unwrap_or(Repeats::Once),
            until: until.and_then(day),
            skipped: skipped.split(',').filter_map(day).collect(),
        }
    }

    /// The days skipped, as stored.
    pub fn skipped_text(&self) -> String {
        self.skipped
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A London wall-clock time as a moment (a time the clocks skip is an hour on).
fn london(local: NaiveDateTime) -> Option<i64> {
    London
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            London
                .from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|d| d.timestamp())
}

/// The nth `weekday` of a month (n from 1; 5 means the last).
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    if n >= 5 {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let mut d = next.pred_opt()?;
        while d.weekday() != weekday {
            d = d.pred_opt()?;
        }
        return Some(d);
    }
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

/// Which week of its month a day is in (1 to 4, or 5 for the last).
fn week_of_month(d: NaiveDate) -> u8 {
    u8::try_from(d.day0() / 7 + 1).unwrap_or(5)
}

/// Every day the series could happen, skipped ones included, from its first, at most `limit`.
fn days(first: NaiveDate, s: &Series, limit: usize) -> Vec<NaiveDate> {
    let Some(until) = s.until.filter(|_| s.repeats != Repeats::Once) else {
        return vec![first];
    };
    let mut out = Vec::new();
    match s.repeats {
        Repeats::Once => out.push(first),
        Repeats::Weekly => {
            let mut d = first;
            while d <= until && out.len() < limit {
                out.push(d);
                d += Duration::days(7);
            }
        }
        Repeats::Monthly => {
            let n = week_of_month(first);
            let (mut y, mut m) = (first.year(), first.month());
            while out.len() < limit {
                let Some(d) = nth_weekday(y, m, first.weekday(), n) else {
                    break;
                };
                if d > until {
                    break;
                }
                if d >= first {
                    out.push(d);
                }
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
        }
    }
    out
}

/// The times it happens (start and end), skipped days left out, at most `limit`.
pub fn occurrences(starts_at: i64, ends_at: i64, s: &Series, limit: usize) -> Vec<(i64, i64)> {
    let Some(start) = crate::dates::london_clock(starts_at) else {
        return Vec::new();
    };
    let length = ends_at - starts_at;
    days(start.date(), s, limit.saturating_mul(2).max(limit))
        .into_iter()
        .filter(|d| !s.skipped.contains(d))
        .filter_map(|d| london(d.and_time(start.time())))
        .map(|t| (t, t + length))
        .take(limit)
        .collect()
}

/// When the last time ends (the first's end for a single gathering).
pub fn last_end(starts_at: i64, ends_at: i64, s: &Series) -> i64 {
    occurrences(starts_at, ends_at, s, 400)
        .last()
        .map(|(_, e)| *e)
        .unwrap_or(ends_at)
}

/// Check how it comes round: `once` (or nothing), `weekly` or `monthly` with the last day
/// (after the first time, within a year) and days it skips (each one of its days).
pub fn check(
    repeats: Option<&str>,
    until: Option<&str>,
    skip: &[String],
    starts_at: i64,
) -> Result<Series, Vec<FieldError>> {
    let repeats = match repeats.map(str::trim).filter(|r| !r.is_empty()) {
        None => Repeats::Once,
        Some(r) => Repeats::parse(r).ok_or_else(|| {
            vec![FieldError::new(
                "repeats",
                ErrorCode::Invalid,
                "Say once, weekly or monthly.",
            )]
        })?,
    };
    if repeats == Repeats::Once {
        return Ok(Series::once());
    }
    let first = crate::dates::london_clock(starts_at)
        .map(|d| d.date())
        .unwrap_or_default();
    let mut problems = Vec::new();
    let until = match until.map(str::trim).filter(|u| !u.is_empty()) {
        None => {
            problems.push(FieldError::new(
                "repeat_until",
                ErrorCode::DateInvalid,
                "Say the last day it happens, like 2027-06-30.",
            ));
            None
        }
        Some(u) => match crate::dates::parse_day(u) {
            Some(d) if d > first && (d - first).num_days() <= LONGEST_DAYS => Some(d),
            Some(_) => {
                problems.push(FieldError::new(
                    "repeat_until",
                    ErrorCode::DateInvalid,
                    "The last day is after the first time, and within a year of it.",
                ));
                None
            }
            None => {
                problems.push(FieldError::new(
                    "repeat_until",
                    ErrorCode::DateInvalid,
                    "Write the last day like 2027-06-30.",
                ));
                None
            }
        },
    };
    let mut skipped = Vec::new();
    if skip.len() > SKIPS_MAX {
        problems.push(FieldError::new(
            "skip",
            ErrorCode::TooMany,
            format!("Skip up to {SKIPS_MAX} days."),
        ));
    }
    let series = Series {
        repeats,
        until,
        skipped: Vec::new(),
    };
    let all = days(first, &series, 400);
    for s in skip.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match crate::dates::parse_day(s) {
            Some(d) if all.contains(&d) => {
                if !skipped.contains(&d) {
                    skipped.push(d);
                }
            }
            Some(d) => problems.push(FieldError::new(
                "skip",
                ErrorCode::DateInvalid,
                format!(
                    "{} is not one of its days, so there is nothing to skip.",
                    d.format("%-d %B %Y")
                ),
            )),
            None => problems.push(FieldError::new(
                "skip",
                ErrorCode::DateInvalid,
                "Write each day to skip like 2026-12-29.",
            )),
        }
    }
    if until.is_some() && skipped.len() >= all.len() {
        problems.push(FieldError::new(
            "skip",
            ErrorCode::Invalid,
            "That skips every day. Leave at least one.",
        ));
    }
    skipped.sort();
    if problems.is_empty() {
        Ok(Series { skipped, ..series })
    } else {
        Err(problems)
    }
}

fn weekday_code(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// The calendar's `RRULE` value (none for a single gathering): `FREQ=WEEKLY;UNTIL=…` or
/// `FREQ=MONTHLY;BYDAY=2TU;UNTIL=…`, UNTIL the end of the last day in UTC.
pub fn rrule(starts_at: i64, s: &Series) -> Option<String> {
    let until = s.until?;
    let first = crate::dates::london_clock(starts_at)?.date();
    let end_of_day = london(until.and_hms_opt(23, 59, 59)?)?;
    let until = chrono::DateTime::from_timestamp(end_of_day, 0)?.format("%Y%m%dT%H%M%SZ");
    match s.repeats {
        Repeats::Once => None,
        Repeats::Weekly => Some(format!("FREQ=WEEKLY;UNTIL={until}")),
        Repeats::Monthly => {
            let n = match week_of_month(first) {
                5 => "-1".to_string(),
                n => n.to_string(),
            };
            Some(format!(
                "FREQ=MONTHLY;BYDAY={n}{};UNTIL={until}",
                weekday_code(first.weekday())
            ))
        }
    }
}

/// How it comes round, in words: "every Tuesday until 30 June 2027", "on the second Tuesday
/// of each month until …", "on the last Friday of each month until …".
pub fn words(starts_at: i64, s: &Series) -> Option<String> {
    let until = s.until?;
    let first = crate::dates::london_clock(starts_at)?.date();
    let day = first.format("%A");
    let until = until.format("%-d %B %Y");
    match s.repeats {
        Repeats::Once => None,
        Repeats::Weekly => Some(format!("Every {day} until {until}")),
        Repeats::Monthly => {
            let nth = ["first", "second", "third", "fourth", "last"]
                [usize::from(week_of_month(first).clamp(1, 5)) - 1];
            Some(format!("On the {nth} {day} of each month until {until}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gatherings::gathering::parse_moment;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_weekly_series_keeps_the_london_clock_across_the_change_of_hour() {
        // Tuesdays at 10am from 17 March 2026, over the clocks going forward on 29 March.
        let start = parse_moment("2026-03-17T10:00").unwrap();
        let s = check(
            Some("weekly"),
            Some("2026-04-07"),
            &["2026-03-24".into()],
            start,
        )
        .unwrap();
        let times = occurrences(start, start + 5400, &s, 10);
        let clocks: Vec<String> = times.iter().map(|(t, _)| crate::dates::when(*t)).collect();
        assert_eq!(
            clocks,
            [
                "17 March 2026, 10am",
                "31 March 2026, 10am",
                "7 April 2026, 10am"
            ]
        );
        assert_eq!(times[1].0 - times[0].0, 14 * 86_400 - 3600);
        assert_eq!(last_end(start, start + 5400, &s), times[2].1);
        assert_eq!(
            rrule(start, &s).as_deref(),
            Some("FREQ=WEEKLY;UNTIL=20260407T225959Z")
        );
        assert_eq!(
            words(start, &s).as_deref(),
            Some("Every Tuesday until 7 April 2026")
        );
    }

    #[test]
    fn a_monthly_series_is_the_same_weekday_of_the_same_week() {
        // The second Tuesday: 8 December 2026, 12 January 2027, 9 February 2027.
        let start = parse_moment("2026-12-08T19:00").unwrap();
        let s = check(Some("monthly"), Some("2027-02-28"), &[], start).unwrap();
        let days: Vec<String> = occurrences(start, start + 3600, &s, 10)
            .iter()
            .map(|(t, _)| crate::dates::day_of(*t))
            .collect();
        assert_eq!(
            days,
            ["8 December 2026", "12 January 2027", "9 February 2027"]
        );
        assert_eq!(
            rrule(start, &s).as_deref(),
            Some("FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270228T235959Z")
        );
        // The fifth Tuesday is the last: 29 December 2026, then 26 January 2027.
        let last = parse_moment("2026-12-29T19:00").unwrap();
        let s = check(Some("monthly"), Some("2027-01-31"), &[], last).unwrap();
        let days: Vec<NaiveDate> = occurrences(last, last + 3600, &s, 10)
            .iter()
            .filter_map(|(t, _)| crate::dates::london_clock(*t).map(|c| c.date()))
            .collect();
        assert_eq!(days, [d("2026-12-29"), d("2027-01-26")]);
        assert!(rrule(last, &s).unwrap().contains("BYDAY=-1TU"));
        assert!(words(last, &s).unwrap().starts_with("On the last Tuesday"));
    }

    #[test]
    fn a_series_needs_a_last_day_and_skips_only_its_own_days() {
        let start = parse_moment("2026-12-08T10:00").unwrap();
        let field = |r: Result<Series, Vec<FieldError>>| {
            r.err()
                .map(|p| p.iter().map(|e| e.field).collect::<Vec<_>>())
        };
        assert_eq!(
            field(check(Some("weekly"), None, &[], start)),
            Some(vec!["repeat_until"])
        );
        assert_eq!(
            field(check(Some("weekly"), Some("2028-01-01"), &[], start)),
            Some(vec!["repeat_until"])
        );
        assert_eq!(
            field(check(
                Some("weekly"),
                Some("2027-01-31"),
                &["2026-12-09".into()],
                start
            )),
            Some(vec!["skip"])
        );
        assert_eq!(
            field(check(
                Some("weekly"),
                Some("2026-12-15"),
                &["2026-12-08".into(), "2026-12-15".into()],
                start
            )),
            Some(vec!["skip"])
        );
        assert_eq!(
            field(check(Some("daily"), None, &[], start)),
            Some(vec!["repeats"])
        );
        assert_eq!(
            check(None, Some("2027-01-01"), &[], start).ok(),
            Some(Series::once())
        );
        let s = Series::stored("weekly", Some("2027-01-31"), "2026-12-29,2026-12-22");
        assert_eq!(s.skipped_text(), "2026-12-29,2026-12-22");
        assert_eq!(occurrences(start, start + 60, &s, 100).len(), 8 - 2);
    }
}
