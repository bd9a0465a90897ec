//! Calendars that work: one gathering (`/gatherings/{id}.ics`, and with the confirmation
//! email) or all of them (`/gatherings.ics`, one group's with `?group=`), as iCalendar
//! (RFC 5545) with a stable `UID`, a `SEQUENCE` raised on every change of time or place,
//! `STATUS:CANCELLED` once cancelled, a `URL` back to the page, `LOCATION` and `GEO`, the
//! chairs who agreed to be named as `ATTENDEE;ROLE=CHAIR`, times in Europe/London with its
//! `VTIMEZONE`, and a series as `RRULE` with the days it skips as `EXDATE`.

use super::{Listing, Seen};
use crate::accounts::Identity;
use crate::error::Result;
use crate::App;
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus, Property};
use village_domain::gatherings::gathering::State;
use village_store::gatherings::{ChairRow, GatheringRow};

/// Europe/London's rules since 1996: British Summer Time from 1am GMT on the last Sunday of
/// March to 1am GMT on the last Sunday of October.
const LONDON: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\nDTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\nDTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// The hub's host, for `UID`s that stay the same wherever the calendar is read.
fn host(state: &App) -> String {
    url::Url::parse(&state.settings.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "village.invalid".into())
}

fn london(ts: i64) -> CalendarDateTime {
    match village_domain::dates::london_clock(ts) {
        Some(date_time) => CalendarDateTime::WithTimezone {
            date_time,
            tzid: "Europe/London".into(),
        },
        None => CalendarDateTime::Utc(chrono::DateTime::UNIX_EPOCH),
    }
}

/// Where, in words: the venue, address and postcode, and "Online" when it is online too.
pub fn location(row: &GatheringRow) -> String {
    let mut parts: Vec<&str> = [&row.venue, &row.address, &row.postcode]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect();
    if row.online_url.is_some() {
        parts.push("Online");
    }
    parts.join(", ")
}

/// One gathering as a calendar event. `joining_link` only for someone who may see it.
async fn event(
    state: &App,
    row: &GatheringRow,
    chairs: &[ChairRow],
    joining_link: Option<&str>,
) -> Result<Event> {
    let mut e = Event::new();
    let url = state.settings.link(&super::link(row.id));
    let mut about = row.about.clone();
    if let Some(link) = joining_link {
        about.push_str(&format!("\n\nJoin online: {link}"));
    }
    about.push_str(&format!("\n\nMore, and to sign up: {url}"));
    e.uid(&format!("gathering-{}@{}", row.id, host(state)))
        .sequence(u32::try_from(row.sequence).unwrap_or(0))
        .summary(&row.title)
        .description(&about)
        .url(&url)
        .starts(london(row.starts_at))
        .ends(london(row.ends_at))
        .timestamp(chrono::DateTime::from_timestamp(row.updated_at, 0).unwrap_or_default())
        .status(if row.state == State::Cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    let series = row.series();
    if let Some(rule) = village_domain::gatherings::series::rrule(row.starts_at, &series) {
        e.append_property(Property::new("RRULE", rule));
        let clock = village_domain::dates::london_clock(row.starts_at).map(|c| c.time());
        for day in &series.skipped {
            if let Some(time) = clock {
                let mut p = Property::new(
                    "EXDATE",
                    day.and_time(time).format("%Y%m%dT%H%M%S").to_string(),
                );
                p.add_parameter("TZID", "Europe/London");
                e.append_multi_property(p);
            }
        }
    }
    let place = location(row);
    if !place.is_empty() {
        e.location(&place);
    }
    if let Some(p) = row
        .postcode
        .as_deref()
        .and_then(|p| village_domain::directory::geo::Postcode::parse(p).ok())
    {
        if let Some(point) = crate::directory::records::postcode_point(state, &p).await? {
            e.append_property(Property::new(
                "GEO",
                format!("{:.6};{:.6}", point.lat(), point.lon()),
            ));
        }
    }
    for (n, chair) in chairs
        .iter()
        .filter(|c| c.state == "accepted" && c.named)
        .enumerate()
    {
        let mut p = Property::new(
            "ATTENDEE",
            format!("urn:x-village:gathering:{}:chair:{}", row.id, n + 1),
        );
        p.add_parameter("ROLE", "CHAIR")
            .add_parameter("CN", &chair.display_name);
        e.append_multi_property(p);
    }
    Ok(e)
}

/// The calendar text, with London's time zone.
fn text(cal: &Calendar) -> String {
    let out = cal.to_string();
    // The time zone goes after the calendar's own properties, before the first event.
    match out
        .find("BEGIN:VEVENT")
        .or_else(|| out.find("END:VCALENDAR"))
    {
        Some(at) => format!("{}{LONDON}{}", &out[..at], &out[at..]),
        None => out,
    }
}

fn calendar(state: &App, name: &str) -> Calendar {
    let mut cal = Calendar::new();
    cal.name(name)
        .append_property(Property::new("PRODID", "-//Village//Gatherings//EN"))
        .append_property(Property::new(
            "X-WR-CALDESC",
            format!("Gatherings at {}", state.settings.hub.name),
        ));
    cal
}

/// One gathering's calendar file, as `who` may see it (a draft: 404 for others).
pub async fn one(state: &App, who: Option<&Identity>, id: i64, t: i64) -> Result<String> {
    let seen = super::gathering(state, who, id, t).await?;
    one_seen(state, &seen).await
}

/// The calendar file of a gathering already read for someone.
pub async fn one_seen(state: &App, seen: &Seen) -> Result<String> {
    let chairs = {
        let mut c = state.store.conn().await?;
        village_store::gatherings::chairs(&mut c, seen.row.id).await?
    };
    let mut cal = calendar(state, &seen.row.title);
    cal.push(event(state, &seen.row, &chairs, seen.online_url.as_deref()).await?);
    Ok(text(&cal))
}

/// How far back the subscribable calendar reaches.
const PAST_DAYS: i64 = 90;

/// Every published gathering from 90 days ago on (cancelled ones too, so calendars that
/// already hold them show them cancelled), or one group's.
pub async fn all(state: &App, group: Option<&str>, t: i64) -> Result<String> {
    let listing = Listing {
        from: Some(t - PAST_DAYS * 86_400),
        to: None,
        group: group.map(str::to_string),
    };
    let rows = super::list(state, &listing, t).await?;
    let name = match group {
        Some(g) => match crate::safeguarding::group_name(state, g).await? {
            Some(name) => format!("{name}: gatherings"),
            None => return Err(crate::Error::NotFound("group")),
        },
        None => format!("Gatherings at {}", state.settings.hub.name),
    };
    let mut cal = calendar(state, &name);
    for row in &rows {
        let chairs = {
            let mut c = state.store.conn().await?;
            village_store::gatherings::chairs(&mut c, row.id).await?
        };
        cal.push(event(state, row, &chairs, None).await?);
    }
    Ok(text(&cal))
}
