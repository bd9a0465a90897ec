//! When an offer happens and what it costs, as the change form reads and replaces them.

use super::*;

/// One time an offer happens, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeLine {
    /// `MO` … `SU`; empty for a blank line (removed).
    pub day: String,
    /// Which week of the month: empty for every week, `1` to `4`, or `-1` for the last.
    pub week: String,
    /// `HH:MM`, or empty when not known.
    pub opens: String,
    pub closes: String,
}

/// What an offer costs, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CostLine {
    /// `yes` (free), `no` (it costs something) or empty (not saying).
    pub free: String,
    /// The cost in words, e.g. "£2 a session, first one free".
    pub description: String,
}

/// The weeks of the month a time line can name, with words for pages.
pub const WEEKS: [(&str, &str); 6] = [
    ("", "Every week"),
    ("1", "First week of the month"),
    ("2", "Second week of the month"),
    ("3", "Third week of the month"),
    ("4", "Fourth week of the month"),
    ("-1", "Last week of the month"),
];

/// The times a record gives (as [`read_service`](crate::directory::oruk::read_service) reads them: the
/// offer's schedules, then each place's), one line per day, for the change form. Schedules
/// that name no day (words only) are not lines: a change to the times keeps them.
pub fn time_lines(record: &Value) -> Vec<TimeLine> {
    let schedules = crate::directory::oruk::read_service(record)
        .map(|(index, _)| index.schedules)
        .unwrap_or_default();
    let clock = |t: Option<TimeOfDay>| t.map(|t| t.to_string()).unwrap_or_default();
    let mut lines = Vec::new();
    for schedule in &schedules {
        let days: Vec<(String, Weekday)> = match &schedule.recurrence {
            Recurrence::Weekly(days) => days.iter().map(|d| (String::new(), *d)).collect(),
            Recurrence::Monthly(days) => days.iter().map(|(n, d)| (n.to_string(), *d)).collect(),
        };
        for (week, day) in days {
            let line = TimeLine {
                day: day.code().to_string(),
                week,
                opens: clock(schedule.opens),
                closes: clock(schedule.closes),
            };
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
    }
    lines
}

/// What a record says it costs, for the change form.
pub fn cost_line(record: &Value) -> CostLine {
    let options: Vec<&Value> = record
        .get("cost_options")
        .and_then(Value::as_array)
        .map(|o| o.iter().collect())
        .unwrap_or_default();
    let free = match crate::directory::oruk::free_of(record) {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    let description = options
        .iter()
        .filter_map(|o| o.get("amount_description").and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join("; ");
    CostLine {
        free: free.to_string(),
        description,
    }
}

/// At most this many times an offer happens, as lines on the form.
pub const MAX_TIMES: usize = 16;

/// The fields of each time line (day, week, opens, closes), for problems: `times[2].closes`.
#[rustfmt::skip]
pub const TIME_FIELDS: [[&str; 4]; MAX_TIMES] = [
    ["times[0].day", "times[0].week", "times[0].opens", "times[0].closes"],
    ["times[1].day", "times[1].week", "times[1].opens", "times[1].closes"],
    ["times[2].day", "times[2].week", "times[2].opens", "times[2].closes"],
    ["times[3].day", "times[3].week", "times[3].opens", "times[3].closes"],
    ["times[4].day", "times[4].week", "times[4].opens", "times[4].closes"],
    ["times[5].day", "times[5].week", "times[5].opens", "times[5].closes"],
    ["times[6].day", "times[6].week", "times[6].opens", "times[6].closes"],
    ["times[7].day", "times[7].week", "times[7].opens", "times[7].closes"],
    ["times[8].day", "times[8].week", "times[8].opens", "times[8].closes"],
    ["times[9].day", "times[9].week", "times[9].opens", "times[9].closes"],
    ["times[10].day", "times[10].week", "times[10].opens", "times[10].closes"],
    ["times[11].day", "times[11].week", "times[11].opens", "times[11].closes"],
    ["times[12].day", "times[12].week", "times[12].opens", "times[12].closes"],
    ["times[13].day", "times[13].week", "times[13].opens", "times[13].closes"],
    ["times[14].day", "times[14].week", "times[14].opens", "times[14].closes"],
    ["times[15].day", "times[15].week", "times[15].opens", "times[15].closes"],
];

/// The lines checked: each problem names its line (`times[2].closes`); blank lines dropped.
pub(super) fn checked_times(
    lines: &[TimeLine],
    problems: &mut Vec<FieldError>,
) -> Vec<(TimeLine, Weekday)> {
    let mut out = Vec::new();
    if lines.len() > MAX_TIMES {
        problems.push(FieldError::new(
            "times",
            ErrorCode::TooMany,
            format!("Give at most {MAX_TIMES} times; say the rest in the description"),
        ));
        return out;
    }
    for (i, (line, fields)) in lines.iter().zip(TIME_FIELDS).enumerate() {
        let blank = [&line.day, &line.opens, &line.closes]
            .iter()
            .all(|v| v.trim().is_empty());
        if blank {
            continue;
        }
        let [day_field, week_field, opens_field, closes_field] = fields;
        let Some(day) = Weekday::parse(line.day.trim()) else {
            problems.push(FieldError::new(
                day_field,
                if line.day.trim().is_empty() {
                    ErrorCode::Missing
                } else {
                    ErrorCode::Unknown
                },
                format!("Choose the day for time {}", i + 1),
            ));
            continue;
        };
        let week = line.week.trim();
        if !WEEKS.iter().any(|(code, _)| *code == week) {
            problems.push(FieldError::new(
                week_field,
                ErrorCode::Unknown,
                format!("Choose which week of the month for time {}", i + 1),
            ));
            continue;
        }
        let mut clock = |value: &str, part: &'static str| match value.trim() {
            "" => Some(None),
            t => match TimeOfDay::parse(t) {
                Some(t) => Some(Some(t)),
                None => {
                    problems.push(FieldError::new(
                        part,
                        ErrorCode::NotATime,
                        format!("Enter a time like 10:00 or 14:30 for time {}", i + 1),
                    ));
                    None
                }
            },
        };
        let (Some(opens), Some(closes)) = (
            clock(&line.opens, opens_field),
            clock(&line.closes, closes_field),
        ) else {
            continue;
        };
        if let (Some(o), Some(c)) = (opens, closes) {
            if c <= o {
                problems.push(FieldError::new(
                    closes_field,
                    ErrorCode::BeforeOpening,
                    format!(
                        "The finishing time must be after the starting time for time {}",
                        i + 1
                    ),
                ));
                continue;
            }
        }
        let tidy = TimeLine {
            day: day.code().to_string(),
            week: week.to_string(),
            opens: opens.map(|t| t.to_string()).unwrap_or_default(),
            closes: closes.map(|t| t.to_string()).unwrap_or_default(),
        };
        if !out.iter().any(|(l, _)| *l == tidy) {
            out.push((tidy, day));
        }
    }
    out
}

/// Put `lines` in place of the record's times: one schedule per line at the offer's level;
/// schedules that name no day (words only) stay where they are.
pub(super) fn replace_times(
    record: &mut Map<String, Value>,
    lines: &[(TimeLine, Weekday)],
    ids: &mut dyn Iterator<Item = String>,
) {
    let has_days = |s: &Value| {
        s.get("byday")
            .and_then(Value::as_str)
            .is_some_and(|b| !b.trim().is_empty())
    };
    let mut kept: Vec<Value> = record
        .get("schedules")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter(|s| !has_days(s)).cloned().collect())
        .unwrap_or_default();
    if let Some(sals) = record
        .get_mut("service_at_locations")
        .and_then(Value::as_array_mut)
    {
        for sal in sals {
            let Some(sal) = sal.as_object_mut() else {
                continue;
            };
            let rest: Vec<Value> = sal
                .get("schedules")
                .and_then(Value::as_array)
                .map(|list| list.iter().filter(|s| !has_days(s)).cloned().collect())
                .unwrap_or_default();
            if rest.is_empty() {
                sal.remove("schedules");
            } else {
                sal.insert("schedules".into(), Value::Array(rest));
            }
        }
    }
    for (line, day) in lines {
        let mut schedule = if line.week.is_empty() {
            json!({"id": ids.next().unwrap_or_default(), "freq": "WEEKLY", "byday": day.code()})
        } else {
            json!({"id": ids.next().unwrap_or_default(), "freq": "MONTHLY", "byday": format!("{}{}", line.week, day.code())})
        };
        if !line.opens.is_empty() {
            schedule["opens_at"] = json!(line.opens);
        }
        if !line.closes.is_empty() {
            schedule["closes_at"] = json!(line.closes);
        }
        kept.push(schedule);
    }
    if kept.is_empty() {
        record.remove("schedules");
    } else {
        record.insert("schedules".into(), Value::Array(kept));
    }
}

/// The cost options for what was typed (as a new offer makes them).
pub(super) fn cost_options(
    free: Option<bool>,
    cost: Option<&str>,
    ids: &mut dyn Iterator<Item = String>,
) -> Option<Value> {
    if free.is_none() && cost.is_none() {
        return None;
    }
    let mut option = json!({"id": ids.next().unwrap_or_default(), "currency": "GBP"});
    match free {
        Some(true) => {
            option["amount"] = json!(0);
            option["option"] = json!("Free");
        }
        Some(false) => option["option"] = json!("Paid"),
        None => {}
    }
    if let Some(c) = cost {
        option["amount_description"] = json!(c);
    }
    Some(json!([option]))
}
