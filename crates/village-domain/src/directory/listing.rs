//! Listings people suggest: a new listing from a short form, or a change to an existing one,
//! turned into an Open Referral UK record; and what changed between two versions, in words.

use super::geo::{LatLon, Postcode};
use super::schedule::{Recurrence, TimeOfDay, Weekday};
use super::taxonomy::{
    category_by_code, Access, Community, GroupKind, Space, LIVED_EXPERIENCE_LED_TERM_ID,
};
use crate::accounts::{Email, FieldError};
use crate::error::ErrorCode;
use serde_json::{json, Map, Value};

/// The short form for suggesting a new listing, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewListingForm {
    pub name: String,
    pub description: String,
    pub organisation: String,
    pub category: String,
    pub kind: String,
    pub day: String,
    pub opens: String,
    pub closes: String,
    pub venue: String,
    pub address: String,
    pub postcode: String,
    pub free: String,
    pub cost: String,
    pub email: String,
    pub lived_led: bool,
    /// Codes of communities it is especially for.
    pub communities: Vec<String>,
    /// Access codes.
    pub access: Vec<String>,
    /// `has_space`, `waiting_list`, or empty.
    pub space: String,
}

fn required(
    value: &str,
    field: &'static str,
    what: &str,
    max: usize,
    problems: &mut Vec<FieldError>,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        problems.push(FieldError::new(
            field,
            ErrorCode::Missing,
            format!("Enter {what}"),
        ));
    } else if v.chars().count() > max {
        problems.push(FieldError::new(
            field,
            ErrorCode::TooLong,
            format!("Keep {what} to {max} characters or fewer"),
        ));
    }
    v.to_string()
}

fn optional(
    value: &str,
    field: &'static str,
    what: &str,
    max: usize,
    problems: &mut Vec<FieldError>,
) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > max {
        problems.push(FieldError::new(
            field,
            ErrorCode::TooLong,
            format!("Keep {what} to {max} characters or fewer"),
        ));
    }
    (!v.is_empty()).then(|| v.to_string())
}

/// Build the ORUK record for a new listing. `ids` supplies fresh UUIDs (the web layer makes
/// them); `place` is the postcode's centroid if the hub knows it; `now` is an RFC 3339 time.
pub fn new_listing(
    form: &NewListingForm,
    ids: &mut dyn Iterator<Item = String>,
    place: Option<LatLon>,
    now: &str,
) -> Result<Value, Vec<FieldError>> {
    let mut problems = Vec::new();
    let name = required(
        &form.name,
        "name",
        "the name of the group or activity",
        120,
        &mut problems,
    );
    let description = required(
        &form.description,
        "description",
        "what happens there",
        2000,
        &mut problems,
    );
    let organisation = required(
        &form.organisation,
        "organisation",
        "who runs it",
        120,
        &mut problems,
    );
    let category = match form.category.trim() {
        "" => None,
        code => match category_by_code(code) {
            Some(c) => Some(c),
            None => {
                problems.push(FieldError::new(
                    "category",
                    ErrorCode::Unknown,
                    "Choose a kind of activity from the list",
                ));
                None
            }
        },
    };
    let kind = match form.kind.trim() {
        "" => None,
        code => match GroupKind::parse(code) {
            Some(k) => Some(k),
            None => {
                problems.push(FieldError::new(
                    "kind",
                    ErrorCode::Unknown,
                    "Choose a kind of group from the list",
                ));
                None
            }
        },
    };
    let day = match form.day.trim() {
        "" => None,
        code => match Weekday::parse(code) {
            Some(d) => Some(d),
            None => {
                problems.push(FieldError::new(
                    "day",
                    ErrorCode::Unknown,
                    "Choose a day from the list",
                ));
                None
            }
        },
    };
    let time = |value: &str, field: &'static str, problems: &mut Vec<FieldError>| match value.trim()
    {
        "" => None,
        t => match TimeOfDay::parse(t) {
            Some(t) => Some(t),
            None => {
                problems.push(FieldError::new(
                    field,
                    ErrorCode::NotATime,
                    "Enter a time like 10:00 or 14:30",
                ));
                None
            }
        },
    };
    let opens = time(&form.opens, "opens", &mut problems);
    let closes = time(&form.closes, "closes", &mut problems);
    if let (Some(o), Some(c)) = (opens, closes) {
        if c <= o {
            problems.push(FieldError::new(
                "closes",
                ErrorCode::BeforeOpening,
                "The finishing time must be after the starting time",
            ));
        }
    }
    if (opens.is_some() || closes.is_some()) && day.is_none() {
        problems.push(FieldError::new(
            "day",
            ErrorCode::Missing,
            "Choose the day it happens on",
        ));
    }
    let venue = optional(&form.venue, "venue", "the place name", 120, &mut problems);
    let address = optional(&form.address, "address", "the address", 200, &mut problems);
    let postcode = match form.postcode.trim() {
        "" => None,
        p => match Postcode::parse(p) {
            Ok(p) => Some(p),
            Err(why) => {
                problems.push(FieldError::new("postcode", ErrorCode::Invalid, why));
                None
            }
        },
    };
    let free = match form.free.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let cost = optional(&form.cost, "cost", "the cost", 200, &mut problems);
    let email = match form.email.trim() {
        "" => None,
        e => match Email::parse(e) {
            Ok(e) => Some(e),
            Err(err) => {
                problems.push(err);
                None
            }
        },
    };
    let communities = coded(
        &form.communities,
        Community::parse,
        "communities",
        "communities",
        &mut problems,
    );
    let access = coded(
        &form.access,
        Access::parse,
        "access",
        "kinds of access",
        &mut problems,
    );
    let space = match form.space.trim() {
        "" => None,
        code => Space::parse(code).or_else(|| {
            problems.push(FieldError::new(
                "space",
                ErrorCode::Unknown,
                "Choose whether it has space now or a waiting list",
            ));
            None
        }),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut id = || ids.next().unwrap_or_default();
    let service_id = id();
    let organization_id = id();
    let mut record = json!({
        "id": service_id,
        "organization_id": organization_id,
        "name": name,
        "description": description,
        "status": "active",
        "last_modified": now,
        "organization": {"id": organization_id, "name": organisation, "description": format!("{organisation} runs {name}.")},
    });
    let Some(map) = record.as_object_mut() else {
        return Err(Vec::new());
    };
    if let Some(e) = email {
        map.insert("email".into(), json!(e.as_str()));
    }
    if let Some(d) = day {
        let mut schedule = json!({"id": id(), "freq": "WEEKLY", "byday": d.code()});
        if let Some(o) = opens {
            schedule["opens_at"] = json!(o.to_string());
        }
        if let Some(c) = closes {
            schedule["closes_at"] = json!(c.to_string());
        }
        map.insert("schedules".into(), json!([schedule]));
    }
    if venue.is_some() || address.is_some() || postcode.is_some() {
        let mut location = json!({"id": id(), "location_type": "physical"});
        if let Some(v) = &venue {
            location["name"] = json!(v);
        }
        if let Some(p) = place {
            location["latitude"] = json!(p.lat());
            location["longitude"] = json!(p.lon());
        }
        if address.is_some() || postcode.is_some() {
            location["addresses"] = json!([{
                "id": id(),
                "address_1": address.clone().unwrap_or_default(),
                "city": "",
                "state_province": "",
                "postal_code": postcode.as_ref().map(ToString::to_string).unwrap_or_default(),
                "country": "GB",
                "address_type": "physical",
            }]);
        }
        map.insert(
            "service_at_locations".into(),
            json!([{"id": id(), "location": location}]),
        );
    }
    if let Some(options) = cost_options(
        free,
        cost.as_deref(),
        &mut std::iter::from_fn(|| Some(id())),
    ) {
        map.insert("cost_options".into(), options);
    }
    let mut attributes = Vec::new();
    if let Some(c) = category {
        attributes.push(json!({"id": id(), "taxonomy_term_id": c.id}));
    }
    if let Some(k) = kind {
        attributes.push(json!({"id": id(), "taxonomy_term_id": k.term_id()}));
    }
    if form.lived_led {
        attributes.push(json!({"id": id(), "taxonomy_term_id": LIVED_EXPERIENCE_LED_TERM_ID}));
    }
    let more = communities
        .iter()
        .map(|c| c.term_id())
        .chain(access.iter().map(|a| a.term_id()))
        .chain(space.map(|s| s.term_id()));
    for term in more {
        attributes.push(json!({"id": id(), "taxonomy_term_id": term}));
    }
    if !attributes.is_empty() {
        map.insert("attributes".into(), json!(attributes));
    }
    Ok(super::oruk::without_empty_fields(record))
}

/// A suggested change to the simple fields of a listing, as typed. Everything else in the
/// record is kept exactly as it is.
#[derive(Debug, Clone, Default)]
pub struct ChangeForm {
    pub name: String,
    pub description: String,
    pub email: String,
    pub url: String,
    /// Whether it has space now (`has_space`, `waiting_list`, or empty for not saying);
    /// `None` keeps what the listing says.
    pub space: Option<String>,
    /// Codes of the communities it is especially for; `None` keeps them.
    pub communities: Option<Vec<String>>,
    /// Access codes; `None` keeps them.
    pub access: Option<Vec<String>>,
    /// When it happens, one line per day; `None` keeps the times. Blank lines are left out.
    pub times: Option<Vec<TimeLine>>,
    /// What it costs; `None` keeps it.
    pub cost: Option<CostLine>,
    /// Where it happens (its first place); `None` keeps it. All blank: it has no place.
    pub place: Option<PlaceLine>,
    /// Where the typed postcode is, if the hub knows it (the caller looks it up): a place
    /// whose postcode changed gets these coordinates, or none if it is not known, so it is not
    /// found near where it used to be.
    pub place_centre: Option<LatLon>,
}

/// Where an offer happens, as typed: the name of the place, its address and postcode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceLine {
    pub venue: String,
    pub address: String,
    pub postcode: String,
}

/// The first place a record gives, for the change form (other places are kept as they are).
pub fn place_line(record: &Value) -> PlaceLine {
    let location = record
        .get("service_at_locations")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .and_then(|s| s.get("location"));
    let address = location
        .and_then(|l| l.get("addresses"))
        .and_then(Value::as_array)
        .and_then(|a| a.first());
    let text = |v: Option<&Value>, key: &str| {
        v.and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    PlaceLine {
        venue: text(location, "name"),
        address: text(address, "address_1"),
        postcode: text(address, "postal_code"),
    }
}

/// Whether two postcodes as written are the same place ("mf11aa" and "MF1 1AA" are).
fn same_postcode(a: &str, b: &str) -> bool {
    match (Postcode::parse(a), Postcode::parse(b)) {
        (Ok(x), Ok(y)) => x.to_string() == y.to_string(),
        _ => a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

/// Put the typed place in place of the record's first one, keeping everything else about it
/// (its ids, other address lines, its times and any other places). A new postcode brings
/// `centre` as its coordinates (or none); an unchanged one keeps the coordinates it had.
fn replace_place(
    record: &mut Map<String, Value>,
    venue: Option<&str>,
    address: Option<&str>,
    postcode: Option<&Postcode>,
    centre: Option<LatLon>,
    ids: &mut dyn Iterator<Item = String>,
) {
    let mut places: Vec<Value> = record
        .get("service_at_locations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if venue.is_none() && address.is_none() && postcode.is_none() {
        if !places.is_empty() {
            // Times kept with the place stay, as the offer's own.
            let gone = places.remove(0);
            if let Some(times) = gone.get("schedules").and_then(Value::as_array) {
                if !times.is_empty() {
                    let mut all: Vec<Value> = record
                        .get("schedules")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    all.extend(times.iter().cloned());
                    record.insert("schedules".into(), Value::Array(all));
                }
            }
        }
    } else {
        if places.is_empty() {
            places.push(json!({
                "id": ids.next().unwrap_or_default(),
                "location": {"id": ids.next().unwrap_or_default(), "location_type": "physical"},
            }));
        }
        let before = place_line(&json!({"service_at_locations": [places[0].clone()]}));
        let sal = &mut places[0];
        if !sal.get("location").is_some_and(Value::is_object) {
            sal["location"] =
                json!({"id": ids.next().unwrap_or_default(), "location_type": "physical"});
        }
        let location = &mut sal["location"];
        match venue {
            Some(v) => location["name"] = json!(v),
            None => {
                if let Some(l) = location.as_object_mut() {
                    l.remove("name");
                }
            }
        }
        let typed = postcode.map(ToString::to_string).unwrap_or_default();
        let moved = !same_postcode(&typed, &before.postcode);
        if moved {
            if let Some(l) = location.as_object_mut() {
                l.remove("latitude");
                l.remove("longitude");
            }
            if let Some(p) = centre.filter(|_| postcode.is_some()) {
                location["latitude"] = json!(p.lat());
                location["longitude"] = json!(p.lon());
            }
        }
        if address.is_some() || postcode.is_some() {
            let has_address = location
                .get("addresses")
                .and_then(Value::as_array)
                .is_some_and(|a| a.first().is_some_and(Value::is_object));
            if !has_address {
                location["addresses"] = json!([{
                    "id": ids.next().unwrap_or_default(),
                    "address_1": "",
                    "city": "",
                    "state_province": "",
                    "postal_code": "",
                    "country": "GB",
                    "address_type": "physical",
                }]);
            }
            let first = &mut location["addresses"][0];
            first["address_1"] = json!(address.unwrap_or_default());
            first["postal_code"] = json!(typed);
        } else if let Some(l) = location.as_object_mut() {
            l.remove("addresses");
        }
    }
    if places.is_empty() {
        record.remove("service_at_locations");
    } else {
        record.insert("service_at_locations".into(), Value::Array(places));
    }
}

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

/// The times a record gives (as [`read_service`](super::oruk::read_service) reads them: the
/// offer's schedules, then each place's), one line per day, for the change form. Schedules
/// that name no day (words only) are not lines: a change to the times keeps them.
pub fn time_lines(record: &Value) -> Vec<TimeLine> {
    let schedules = super::oruk::read_service(record)
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
    let free = match super::oruk::free_of(record) {
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
fn checked_times(lines: &[TimeLine], problems: &mut Vec<FieldError>) -> Vec<(TimeLine, Weekday)> {
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
fn replace_times(
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

/// The cost options for what was typed (as a new listing makes them).
fn cost_options(
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

/// The term id an attribute gives, however it is written.
pub fn attribute_term(a: &Value) -> Option<&str> {
    a.get("taxonomy_term_id")
        .and_then(Value::as_str)
        .or_else(|| a.pointer("/taxonomy_term/id").and_then(Value::as_str))
}

/// Codes as typed, each checked; unknown ones are named.
fn coded<T>(
    given: &[String],
    parse: fn(&str) -> Option<T>,
    field: &'static str,
    what: &str,
    problems: &mut Vec<FieldError>,
) -> Vec<T> {
    let mut out = Vec::new();
    for code in given {
        match parse(code) {
            Some(t) => out.push(t),
            None => problems.push(FieldError::new(
                field,
                ErrorCode::Unknown,
                format!("{code:?} is not one of the {what} on the list"),
            )),
        }
    }
    out
}

/// Replace the attributes whose terms are in `family` with `terms`, keeping the rest.
fn replace_terms(
    record: &mut Map<String, Value>,
    family: &dyn Fn(&str) -> bool,
    terms: &[&str],
    ids: &mut dyn Iterator<Item = String>,
) {
    let mut attributes: Vec<Value> = record
        .get("attributes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let keep: Vec<String> = attributes
        .iter()
        .filter_map(attribute_term)
        .filter(|t| family(t) && terms.contains(t))
        .map(str::to_string)
        .collect();
    attributes.retain(|a| attribute_term(a).is_none_or(|t| !family(t) || terms.contains(&t)));
    for t in terms {
        if !keep.iter().any(|k| k == t) {
            let id = ids.next().unwrap_or_default();
            attributes.push(json!({"id": id, "taxonomy_term_id": t}));
        }
    }
    if attributes.is_empty() {
        record.remove("attributes");
    } else {
        record.insert("attributes".into(), Value::Array(attributes));
    }
}

/// Apply a change to `current`. `ids` gives fresh UUIDs for any new attributes.
pub fn apply_change(
    current: &Value,
    form: &ChangeForm,
    ids: &mut dyn Iterator<Item = String>,
    now: &str,
) -> Result<Value, Vec<FieldError>> {
    let mut problems = Vec::new();
    let name = required(&form.name, "name", "the name", 120, &mut problems);
    let description = required(
        &form.description,
        "description",
        "what happens there",
        2000,
        &mut problems,
    );
    let email = match form.email.trim() {
        "" => None,
        e => Email::parse(e).map_err(|err| problems.push(err)).ok(),
    };
    let url = optional(&form.url, "url", "the web address", 300, &mut problems);
    if let Some(u) = &url {
        if !(u.starts_with("https://") || u.starts_with("http://"))
            || u.contains(char::is_whitespace)
        {
            problems.push(FieldError::new(
                "url",
                ErrorCode::Invalid,
                "Enter a web address starting with https://",
            ));
        }
    }
    let space = match form.space.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(code) => match Space::parse(code) {
            Some(sp) => Some(Some(sp)),
            None => {
                problems.push(FieldError::new(
                    "space",
                    ErrorCode::Unknown,
                    "Choose whether it has space now or a waiting list",
                ));
                None
            }
        },
    };
    let communities = form.communities.as_ref().map(|given| {
        coded(
            given,
            Community::parse,
            "communities",
            "communities",
            &mut problems,
        )
    });
    let access = form.access.as_ref().map(|given| {
        coded(
            given,
            Access::parse,
            "access",
            "kinds of access",
            &mut problems,
        )
    });
    let times = form
        .times
        .as_ref()
        .map(|lines| checked_times(lines, &mut problems));
    let cost = form.cost.as_ref().map(|c| {
        let free = match c.free.trim() {
            "yes" => Some(true),
            "no" => Some(false),
            "" => None,
            _ => {
                problems.push(FieldError::new(
                    "free",
                    ErrorCode::Unknown,
                    "Choose whether it is free",
                ));
                None
            }
        };
        let words = optional(&c.description, "cost", "the cost", 200, &mut problems);
        (free, words)
    });
    let place = form.place.as_ref().map(|p| {
        let venue = optional(&p.venue, "venue", "the place name", 120, &mut problems);
        let address = optional(&p.address, "address", "the address", 200, &mut problems);
        let postcode = match p.postcode.trim() {
            "" => None,
            typed => Postcode::parse(typed)
                .map_err(|why| problems.push(FieldError::new("postcode", ErrorCode::Invalid, why)))
                .ok(),
        };
        (venue, address, postcode)
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut record: Map<String, Value> = current.as_object().cloned().unwrap_or_default();
    // The place is written again only when it changed, like the times and cost below.
    if let Some((venue, address, postcode)) = place {
        let typed = PlaceLine {
            venue: venue.clone().unwrap_or_default(),
            address: address.clone().unwrap_or_default(),
            postcode: postcode
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        };
        let now_line = place_line(current);
        let same = typed.venue == now_line.venue
            && typed.address == now_line.address
            && same_postcode(&typed.postcode, &now_line.postcode);
        if !same {
            replace_place(
                &mut record,
                venue.as_deref(),
                address.as_deref(),
                postcode.as_ref(),
                form.place_centre,
                ids,
            );
        }
    }
    // Times and cost are written again only when they changed, so a record's own shape
    // (times kept per place, several cost options) stays as it was otherwise.
    if let Some(times) = times {
        let now_lines: Vec<TimeLine> = times.iter().map(|(l, _)| l.clone()).collect();
        if now_lines != time_lines(current) {
            replace_times(&mut record, &times, ids);
        }
    }
    if let Some((free, words)) = cost {
        let typed = CostLine {
            free: match free {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            }
            .to_string(),
            description: words.clone().unwrap_or_default(),
        };
        if typed != cost_line(current) {
            match cost_options(free, words.as_deref(), ids) {
                Some(options) => record.insert("cost_options".into(), options),
                None => record.remove("cost_options"),
            };
        }
    }
    if let Some(space) = space {
        let terms: Vec<&str> = space.iter().map(|s| s.term_id()).collect();
        replace_terms(
            &mut record,
            &|t| Space::from_term_id(t).is_some(),
            &terms,
            ids,
        );
    }
    if let Some(communities) = communities {
        let terms: Vec<&str> = communities.iter().map(|c| c.term_id()).collect();
        replace_terms(
            &mut record,
            &|t| Community::from_term_id(t).is_some(),
            &terms,
            ids,
        );
    }
    if let Some(access) = access {
        let terms: Vec<&str> = access.iter().map(|a| a.term_id()).collect();
        replace_terms(
            &mut record,
            &|t| Access::from_term_id(t).is_some(),
            &terms,
            ids,
        );
    }
    record.insert("name".into(), json!(name));
    record.insert("description".into(), json!(description));
    match email {
        Some(e) => record.insert("email".into(), json!(e.as_str())),
        None => record.remove("email"),
    };
    match url {
        Some(u) => record.insert("url".into(), json!(u)),
        None => record.remove("url"),
    };
    record.insert("last_modified".into(), json!(now));
    Ok(Value::Object(record))
}

/// What differs between two versions of a record, field by field, for people to read:
/// (what, before, after). Nested parts are compared whole and named plainly.
pub fn differences(before: Option<&Value>, after: &Value) -> Vec<(String, String, String)> {
    const NAMES: [(&str, &str); 12] = [
        ("name", "Name"),
        ("description", "What happens"),
        ("email", "Email"),
        ("url", "Website"),
        ("status", "Status"),
        ("minimum_age", "Youngest age"),
        ("maximum_age", "Oldest age"),
        ("organization", "Who runs it"),
        ("schedules", "When"),
        ("service_at_locations", "Where"),
        ("cost_options", "Cost"),
        (
            "attributes",
            "Categories, kind, access, communities and space",
        ),
    ];
    let words = |v: Option<&Value>| -> String {
        match v {
            None | Some(Value::Null) => "(nothing)".into(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Object(o)) if o.contains_key("name") => o
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            Some(other) => other.to_string(),
        }
    };
    // Places in words: the name, address and postcode of each.
    let places = |v: Option<&Value>| -> String {
        let lines: Vec<String> = v
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|sal| {
                let line = place_line(&json!({"service_at_locations": [sal]}));
                [line.venue, line.address, line.postcode]
                    .into_iter()
                    .filter(|part| !part.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .filter(|line| !line.is_empty())
            .collect();
        if lines.is_empty() {
            words(v)
        } else {
            lines.join("; ")
        }
    };
    NAMES
        .iter()
        .filter_map(|(key, label)| {
            let old = before.and_then(|b| b.get(*key));
            let new = after.get(*key);
            let said = |v| {
                if *key == "service_at_locations" {
                    places(v)
                } else {
                    words(v)
                }
            };
            (old != new).then(|| (label.to_string(), said(old), said(new)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> impl Iterator<Item = String> {
        (1..).map(|n: u64| format!("00000000-0000-4000-8000-{n:012x}"))
    }

    #[test]
    fn a_new_listing_becomes_a_valid_record() {
        let form = NewListingForm {
            name: "Tuesday walk".into(),
            description: "A gentle walk round the park".into(),
            organisation: "Park Pals".into(),
            category: "moving".into(),
            kind: "informal_group".into(),
            day: "TU".into(),
            opens: "10:00".into(),
            closes: "11:30".into(),
            venue: "Riverside Park".into(),
            postcode: "mf2 4dg".into(),
            free: "yes".into(),
            lived_led: true,
            communities: vec!["older_people".into()],
            access: vec!["step_free".into()],
            space: "has_space".into(),
            ..Default::default()
        };
        let record = new_listing(
            &form,
            &mut ids(),
            LatLon::new(52.9, -1.1).ok(),
            "2026-11-23T10:00:00Z",
        );
        let record = record.unwrap_or_default();
        let (index, warnings) =
            super::super::oruk::read_service(&record).unwrap_or_else(|p| panic!("{p:?}"));
        assert!(warnings.is_empty());
        assert_eq!(index.name, "Tuesday walk");
        assert_eq!(index.free, Some(true));
        assert_eq!(index.schedules[0].words(), "Tuesdays 10:00–11:30");
        assert_eq!(index.places.len(), 1);
        assert_eq!(index.taxonomy_term_ids.len(), 6);
        assert!(index
            .taxonomy_term_ids
            .iter()
            .any(|t| t == Community::OlderPeople.term_id()));
        assert_eq!(
            record["service_at_locations"][0]["location"]["addresses"][0]["postal_code"],
            "MF2 4DG"
        );
    }

    #[test]
    fn every_problem_names_its_field() {
        let form = NewListingForm {
            opens: "25:00".into(),
            closes: "09:00".into(),
            postcode: "nope".into(),
            email: "x".into(),
            ..Default::default()
        };
        let fields: Vec<&str> = new_listing(&form, &mut ids(), None, "now")
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "name",
                "description",
                "organisation",
                "opens",
                "day",
                "postcode",
                "email"
            ]
        );
    }

    #[test]
    fn a_change_keeps_everything_else() {
        let current = json!({"id": "x", "name": "Old", "description": "Old words", "schedules": [{"byday": "MO"}], "email": "a@b.org"});
        let form = ChangeForm {
            name: "New".into(),
            description: "New words".into(),
            ..Default::default()
        };
        let changed =
            apply_change(&current, &form, &mut ids(), "2026-11-23T10:00:00Z").unwrap_or_default();
        assert_eq!(changed["schedules"], current["schedules"]);
        assert!(
            changed.get("email").is_none(),
            "an emptied email is removed"
        );
        let diff = differences(Some(&current), &changed);
        let labels: Vec<&str> = diff.iter().map(|(l, ..)| l.as_str()).collect();
        assert_eq!(labels, ["Name", "What happens", "Email"]);
        assert_eq!(diff[0], ("Name".into(), "Old".into(), "New".into()));
        let bad = apply_change(
            &current,
            &ChangeForm {
                url: "not a url".into(),
                ..Default::default()
            },
            &mut ids(),
            "now",
        );
        assert_eq!(bad.err().map(|e| e.len()), Some(3));
    }

    #[test]
    fn a_change_can_say_who_it_is_for_its_access_and_whether_it_has_space() {
        let category = category_by_code("social").map(|c| c.id).unwrap_or_default();
        let current = json!({"id": "x", "name": "Club", "description": "Fun", "attributes": [
            {"id": "a1", "taxonomy_term_id": category},
            {"id": "a2", "taxonomy_term_id": Access::StepFree.term_id()},
            {"id": "a3", "taxonomy_term": {"id": Community::Carers.term_id(), "name": "Carers"}},
        ]});
        let form = ChangeForm {
            name: "Club".into(),
            description: "Fun".into(),
            space: Some("waiting_list".into()),
            communities: Some(vec!["carers".into(), "deaf".into()]),
            access: Some(vec!["bsl".into()]),
            ..Default::default()
        };
        let changed = apply_change(&current, &form, &mut ids(), "now").unwrap_or_default();
        let terms: Vec<&str> = changed["attributes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(attribute_term)
            .collect();
        assert_eq!(
            terms,
            [
                category,
                Community::Carers.term_id(),
                Space::WaitingList.term_id(),
                Community::Deaf.term_id(),
                Access::Bsl.term_id(),
            ],
            "the category and the kept community stay as they were; step-free goes"
        );
        // Saying nothing about them keeps them.
        let keep = ChangeForm {
            name: "Club".into(),
            description: "Fun".into(),
            ..Default::default()
        };
        let same = apply_change(&changed, &keep, &mut ids(), "now").unwrap_or_default();
        assert_eq!(same["attributes"], changed["attributes"]);
        // Unknown codes are named by field.
        let bad = ChangeForm {
            name: "Club".into(),
            description: "Fun".into(),
            space: Some("full".into()),
            communities: Some(vec!["martians".into()]),
            access: Some(vec!["ramps".into()]),
            ..Default::default()
        };
        let fields: Vec<&str> = apply_change(&current, &bad, &mut ids(), "now")
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["space", "communities", "access"]);
    }

    fn line(day: &str, week: &str, opens: &str, closes: &str) -> TimeLine {
        TimeLine {
            day: day.into(),
            week: week.into(),
            opens: opens.into(),
            closes: closes.into(),
        }
    }

    #[test]
    fn a_change_can_say_when_it_happens() {
        let current = json!({"id": "00000000-0000-4000-8000-00000000000a", "status": "active",
        "name": "Club", "description": "Fun",
        "schedules": [{"id": "s0", "description": "Ring first"}],
        "service_at_locations": [{"id": "l1", "schedules": [
            {"id": "s1", "freq": "WEEKLY", "byday": "TU,TH", "opens_at": "10:00", "closes_at": "12:00"}
        ]}]});
        assert_eq!(
            time_lines(&current),
            [
                line("TU", "", "10:00", "12:00"),
                line("TH", "", "10:00", "12:00")
            ]
        );
        let same = ChangeForm {
            name: "Club".into(),
            description: "Fun".into(),
            times: Some(vec![
                line("tu", "", "10:00", "12:00"),
                line("", "", "", ""),
                line("TH", "", "10:00", "12:00"),
            ]),
            ..Default::default()
        };
        let kept = apply_change(&current, &same, &mut ids(), "now").unwrap_or_default();
        assert_eq!(kept["schedules"], current["schedules"]);
        assert_eq!(
            kept["service_at_locations"], current["service_at_locations"],
            "the same times keep the record's own shape"
        );
        // Moved to Wednesday afternoons, and the second Saturday of each month.
        let moved = ChangeForm {
            times: Some(vec![
                line("WE", "", "14:00", "16:00"),
                line("SA", "2", "10:00", ""),
            ]),
            ..same
        };
        let changed = apply_change(&current, &moved, &mut ids(), "now").unwrap_or_default();
        assert_eq!(
            time_lines(&changed),
            [
                line("WE", "", "14:00", "16:00"),
                line("SA", "2", "10:00", "")
            ]
        );
        assert_eq!(
            changed["schedules"][0]["description"], "Ring first",
            "words stay"
        );
        assert_eq!(changed["schedules"][2]["byday"], "2SA");
        assert_eq!(changed["schedules"][2]["freq"], "MONTHLY");
        assert!(changed["service_at_locations"][0]
            .get("schedules")
            .is_none());
        let (index, _) = super::super::oruk::read_service(&changed).unwrap();
        let words: Vec<String> = index.schedules.iter().map(|s| s.words()).collect();
        assert_eq!(words.len(), 2, "{words:?}");
        let labels: Vec<String> = differences(Some(&current), &changed)
            .into_iter()
            .map(|(l, ..)| l)
            .collect();
        assert_eq!(labels, ["When", "Where"]);
        // No times at all.
        let none = ChangeForm {
            times: Some(Vec::new()),
            ..moved.clone()
        };
        let cleared = apply_change(&changed, &none, &mut ids(), "now").unwrap_or_default();
        assert!(time_lines(&cleared).is_empty());
        assert_eq!(cleared["schedules"].as_array().map(Vec::len), Some(1));
        // Each problem names its line.
        let bad = ChangeForm {
            times: Some(vec![
                line("", "", "10:00", ""),
                line("MO", "", "14:00", "13:00"),
                line("FR", "", "tea time", ""),
                line("SU", "5", "", ""),
            ]),
            ..moved.clone()
        };
        let fields: Vec<&str> = apply_change(&current, &bad, &mut ids(), "now")
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "times[0].day",
                "times[1].closes",
                "times[2].opens",
                "times[3].week"
            ]
        );
        let many = ChangeForm {
            times: Some(vec![line("MO", "", "", ""); MAX_TIMES + 1]),
            ..moved
        };
        let problems = apply_change(&current, &many, &mut ids(), "now")
            .err()
            .unwrap_or_default();
        assert_eq!(problems.first().map(|p| p.field), Some("times"));
    }

    #[test]
    fn a_change_can_say_what_it_costs() {
        let current = json!({"id": "00000000-0000-4000-8000-00000000000a", "status": "active",
            "name": "Club", "description": "Fun", "cost_options": [
            {"id": "c1", "amount": 2, "currency": "GBP", "amount_description": "Adults"},
            {"id": "c2", "amount": 0, "currency": "GBP", "amount_description": "Children"}
        ]});
        assert_eq!(
            cost_line(&current),
            CostLine {
                free: "no".into(),
                description: "Adults; Children".into()
            }
        );
        let same = ChangeForm {
            name: "Club".into(),
            description: "Fun".into(),
            cost: Some(cost_line(&current)),
            ..Default::default()
        };
        let kept = apply_change(&current, &same, &mut ids(), "now").unwrap_or_default();
        assert_eq!(
            kept["cost_options"], current["cost_options"],
            "unchanged, kept whole"
        );
        let free = ChangeForm {
            cost: Some(CostLine {
                free: "yes".into(),
                description: "Free for everyone".into(),
            }),
            ..same.clone()
        };
        let changed = apply_change(&current, &free, &mut ids(), "now").unwrap_or_default();
        let (index, _) = super::super::oruk::read_service(&changed).unwrap();
        assert_eq!(index.free, Some(true));
        assert_eq!(
            cost_line(&changed),
            CostLine {
                free: "yes".into(),
                description: "Free for everyone".into()
            }
        );
        let unsaid = ChangeForm {
            cost: Some(CostLine::default()),
            ..same.clone()
        };
        let removed = apply_change(&changed, &unsaid, &mut ids(), "now").unwrap_or_default();
        assert!(removed.get("cost_options").is_none());
        let paid = ChangeForm {
            cost: Some(CostLine {
                free: "no".into(),
                description: "Ask at the door".into(),
            }),
            ..same.clone()
        };
        let paid = apply_change(&removed, &paid, &mut ids(), "now").unwrap_or_default();
        let (index, _) = super::super::oruk::read_service(&paid).unwrap();
        assert_eq!(index.free, Some(false), "costs something, amount unknown");
        assert_eq!(cost_line(&paid).free, "no");
        let bad = ChangeForm {
            cost: Some(CostLine {
                free: "maybe".into(),
                description: "x".repeat(201),
            }),
            ..same
        };
        let fields: Vec<&str> = apply_change(&current, &bad, &mut ids(), "now")
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["free", "cost"]);
    }

    #[test]
    fn a_change_can_say_where_it_happens() {
        let current = json!({"id": "00000000-0000-4000-8000-00000000000b", "status": "active",
            "name": "Club", "description": "Fun", "service_at_locations": [
            {"id": "sal-1", "schedules": [{"id": "s1", "freq": "WEEKLY", "byday": "TU"}],
             "location": {"id": "loc-1", "name": "Old Hall", "latitude": 53.48, "longitude": -2.24,
                "addresses": [{"id": "a1", "address_1": "1 Old Road", "city": "Mossford",
                    "state_province": "", "postal_code": "MF1 1AA", "country": "GB"}]}},
            {"id": "sal-2", "location": {"id": "loc-2", "name": "Park", "latitude": 53.5, "longitude": -2.2}}
        ]});
        assert_eq!(
            place_line(&current),
            PlaceLine {
                venue: "Old Hall".into(),
                address: "1 Old Road".into(),
                postcode: "MF1 1AA".into()
            }
        );
        let same = ChangeForm {
            name: "Club".into(),
            description: "Fun".into(),
            place: Some(place_line(&current)),
            ..Default::default()
        };
        let kept = apply_change(&current, &same, &mut ids(), "now").unwrap_or_default();
        assert_eq!(
            kept["service_at_locations"],
            current["service_at_locations"]
        );

        // A new name for the place keeps where it is, its ids, times and the other place.
        let renamed = ChangeForm {
            place: Some(PlaceLine {
                venue: "Community Hall".into(),
                ..place_line(&current)
            }),
            ..same.clone()
        };
        let renamed = apply_change(&current, &renamed, &mut ids(), "now").unwrap_or_default();
        let first = &renamed["service_at_locations"][0];
        assert_eq!(first["location"]["name"], "Community Hall");
        assert_eq!(first["location"]["latitude"], 53.48);
        assert_eq!(first["location"]["addresses"][0]["city"], "Mossford");
        assert_eq!(
            first["schedules"],
            current["service_at_locations"][0]["schedules"]
        );
        assert_eq!(
            renamed["service_at_locations"][1],
            current["service_at_locations"][1]
        );

        // A new postcode moves it to the postcode's centre, or to nowhere if that is unknown.
        let centre = LatLon::new(53.40, -2.10).unwrap();
        let moved = ChangeForm {
            place: Some(PlaceLine {
                venue: "New Hall".into(),
                address: "2 New Street".into(),
                postcode: "mf2 4dg".into(),
            }),
            place_centre: Some(centre),
            ..same.clone()
        };
        let moved = apply_change(&current, &moved, &mut ids(), "now").unwrap_or_default();
        let (index, _) = super::super::oruk::read_service(&moved).unwrap();
        assert_eq!(index.places[0].point, centre);
        assert_eq!(index.places[0].postcode.as_deref(), Some("MF2 4DG"));
        assert_eq!(index.places.len(), 2);
        let unknown = ChangeForm {
            place: Some(PlaceLine {
                postcode: "MF9 9ZZ".into(),
                ..place_line(&current)
            }),
            ..same.clone()
        };
        let unknown = apply_change(&current, &unknown, &mut ids(), "now").unwrap_or_default();
        let (index, _) = super::super::oruk::read_service(&unknown).unwrap();
        assert_eq!(index.places.len(), 1, "only the park still has a point");
        assert!(unknown["service_at_locations"][0]["location"]
            .get("latitude")
            .is_none());

        // All blank: the first place goes; a listing without one can be given one.
        let gone = ChangeForm {
            place: Some(PlaceLine::default()),
            ..same.clone()
        };
        let gone = apply_change(&current, &gone, &mut ids(), "now").unwrap_or_default();
        assert_eq!(
            gone["service_at_locations"].as_array().map(Vec::len),
            Some(1)
        );
        assert_eq!(gone["service_at_locations"][0]["id"], "sal-2");
        assert_eq!(
            gone["schedules"], current["service_at_locations"][0]["schedules"],
            "its times stay, as the offer's"
        );
        // The same postcode written another way is not a move.
        let respelt = ChangeForm {
            place: Some(PlaceLine {
                venue: "Old Hall".into(),
                address: "1 Old Road, by the church".into(),
                postcode: "mf11aa".into(),
            }),
            ..same.clone()
        };
        let respelt = apply_change(&current, &respelt, &mut ids(), "now").unwrap_or_default();
        assert_eq!(
            respelt["service_at_locations"][0]["location"]["latitude"],
            53.48
        );
        let bare = json!({"id": "00000000-0000-4000-8000-00000000000c", "status": "active",
            "name": "Club", "description": "Fun"});
        let given = ChangeForm {
            place: Some(PlaceLine {
                venue: "Library".into(),
                address: String::new(),
                postcode: "MF2 4DG".into(),
            }),
            place_centre: Some(centre),
            ..same.clone()
        };
        let given = apply_change(&bare, &given, &mut ids(), "now").unwrap_or_default();
        let (index, _) = super::super::oruk::read_service(&given).unwrap();
        assert_eq!(index.places.len(), 1);
        assert_eq!(index.places[0].point, centre);
        assert_eq!(place_line(&given).venue, "Library");
        assert_eq!(
            differences(Some(&bare), &given),
            vec![(
                "Where".to_string(),
                "(nothing)".to_string(),
                "Library, MF2 4DG".to_string()
            )]
        );

        let bad = ChangeForm {
            place: Some(PlaceLine {
                postcode: "nowhere".into(),
                ..PlaceLine::default()
            }),
            ..same.clone()
        };
        let problems = apply_change(&current, &bad, &mut ids(), "now").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "postcode");
    }
}
