//! Dates and times as people in Britain say them, in the hub's time (Europe/London): one
//! style on every page and in every email ("4 December 2026, 2pm").

use chrono::{DateTime, NaiveDate, TimeZone};
use chrono_tz::Europe::London;

/// A moment: "4 December 2026, 2pm", "4 December 2026, 9:05am", in London time.
///
/// ```
/// use village_domain::dates::when;
/// assert_eq!(when(1_796_392_800), "4 December 2026, 2pm");
/// assert_eq!(when(1_785_920_700), "5 August 2026, 10:05am"); // British Summer Time
/// ```
pub fn when(ts: i64) -> String {
    match DateTime::from_timestamp(ts, 0) {
        Some(utc) => {
            let local = London.from_utc_datetime(&utc.naive_utc());
            let clock = crate::directory::schedule::TimeOfDay::from_hm(
                chrono::Timelike::hour(&local) as u16,
                chrono::Timelike::minute(&local) as u16,
            )
            .map(|t| t.words())
            .unwrap_or_default();
            format!("{}, {clock}", local.format("%-d %B %Y"))
        }
        None => "an unknown time".into(),
    }
}

/// The time of day of a moment in London: "2pm", "9:30am".
///
/// ```
/// assert_eq!(village_domain::dates::clock(1_796_392_800), "2pm");
/// ```
pub fn clock(ts: i64) -> String {
    london_clock(ts)
        .and_then(|d| {
            crate::directory::schedule::TimeOfDay::from_hm(
                chrono::Timelike::hour(&d) as u16,
                chrono::Timelike::minute(&d) as u16,
            )
        })
        .map(|t| t.words())
        .unwrap_or_default()
}

/// A moment as the clocks in London show it (for calendars' `TZID=Europe/London`).
pub fn london_clock(ts: i64) -> Option<chrono::NaiveDateTime> {
    DateTime::from_timestamp(ts, 0)
        .map(|utc| London.from_utc_datetime(&utc.naive_utc()).naive_local())
}

/// From one moment to another, as people say it: "Thursday 10 December 2026, 2pm to 4pm",
/// or both in full across days.
///
/// ```
/// use village_domain::dates::span;
/// assert_eq!(span(1_796_392_800, 1_796_400_000), "Friday 4 December 2026, 2pm to 4pm");
/// ```
pub fn span(starts: i64, ends: i64) -> String {
    let (Some(s), Some(e)) = (london_clock(starts), london_clock(ends)) else {
        return when(starts);
    };
    let clock = |d: chrono::NaiveDateTime| {
        crate::directory::schedule::TimeOfDay::from_hm(
            chrono::Timelike::hour(&d) as u16,
            chrono::Timelike::minute(&d) as u16,
        )
        .map(|t| t.words())
        .unwrap_or_default()
    };
    if s.date() == e.date() {
        format!("{}, {} to {}", s.format("%A %-d %B %Y"), clock(s), clock(e))
    } else {
        format!(
            "{}, {}, to {}, {}",
            s.format("%A %-d %B %Y"),
            clock(s),
            e.format("%A %-d %B %Y"),
            clock(e)
        )
    }
}

/// The day of a moment in London: "4 December 2026".
pub fn day_of(ts: i64) -> String {
    DateTime::from_timestamp(ts, 0)
        .map(|utc| {
            London
                .from_utc_datetime(&utc.naive_utc())
                .format("%-d %B %Y")
                .to_string()
        })
        .unwrap_or_else(|| "an unknown day".into())
}

/// A day kept as `2026-11-03`, in words: "3 November 2026"; anything else as it is.
///
/// ```
/// use village_domain::dates::day;
/// assert_eq!(day("2026-11-03"), "3 November 2026");
/// assert_eq!(day("soon"), "soon");
/// ```
pub fn day(ymd: &str) -> String {
    NaiveDate::parse_from_str(ymd.trim(), "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| ymd.to_string())
}

/// The months' names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month kept as `2026-03`, in words: "March 2026"; empty for anything else.
///
/// ```
/// use village_domain::dates::month;
/// assert_eq!(month("2026-03"), "March 2026");
/// assert_eq!(month("2026-13"), "");
/// ```
pub fn month(ym: &str) -> String {
    NaiveDate::parse_from_str(&format!("{}-01", ym.trim()), "%Y-%m-%d")
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_default()
}

/// Today's date in London, kept as `2026-11-03` (for date fields and stored days).
pub fn today_ymd(ts: i64) -> String {
    DateTime::from_timestamp(ts, 0)
        .map(|utc| {
            London
                .from_utc_datetime(&utc.naive_utc())
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default()
}

/// A day as people type it: "20 November 2026", "20 Nov 2026", "20/11/2026", "20-11-2026",
/// "20.11.2026" or "2026-11-20" (what a browser's date picker sends).
///
/// ```
/// use village_domain::dates::parse_day;
/// let d = |s| parse_day(s).map(|d| d.to_string());
/// assert_eq!(d("20 November 2026").as_deref(), Some("2026-11-20"));
/// assert_eq!(d(" 3 nov 2026 ").as_deref(), Some("2026-11-03"));
/// assert_eq!(d("3/11/2026").as_deref(), Some("2026-11-03"));
/// assert_eq!(d("2026-11-03").as_deref(), Some("2026-11-03"));
/// assert_eq!(d("31/02/2026"), None);
/// assert_eq!(d("next Tuesday"), None);
/// ```
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d);
    }
    let tidy: String = text
        .replace(['/', '.', '-', ','], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    ["%d %m %Y", "%d %B %Y", "%d %b %Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(&tidy, f).ok())
}

/// When a day starts in London, as a timestamp (for "from this day" filters).
pub fn day_start(day: NaiveDate) -> Option<i64> {
    let midnight = day.and_hms_opt(0, 0, 0)?;
    London
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.timestamp())
}
