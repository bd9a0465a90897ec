//! A gathering and its way from a draft to the day:
//!
//! ```text
//! draft ──publish (an organiser; needs a chair with lived experience who agreed)──► published
//!   │                                                                                 │
//!   └──────────────cancel (an organiser)──► cancelled ◄──────cancel──────────────────┤
//!                                                                                     │
//!                                                             (its end passes) ──► ended
//! ```
//!
//! A chair who steps down leaves a published gathering "looking for a chair" until another
//! agrees; it stays published, so the people who signed up keep their places.

use crate::error::{ErrorCode, FieldError};
use chrono::{DateTime, NaiveDateTime, TimeZone};
use chrono_tz::Europe::London;

coded!(
    #[schema(as = GatheringState)]
    State, "gathering state" {
        Draft => "Not published yet",
        Published => "Published",
        Cancelled => "Cancelled",
        Ended => "Has happened",
    }
);

coded!(
    /// What a venue has that helps people take part, as its organisers say.
    #[schema(as = GatheringAccessFact)]
    AccessFact, "venue access fact" {
        StepFree => "Step-free way in",
        AccessibleToilet => "Accessible toilet",
        HearingLoop => "Hearing loop",
        BslInterpreter => "British Sign Language interpreter",
        Captions => "Live captions",
        QuietRoom => "A quiet room",
        Seating => "Seats with backs and arms, and room to rest",
        FoodAndDrink => "Food and drink",
        ChangingPlaces => "Changing Places toilet",
        Parking => "Parking close by",
    }
);

impl AccessFact {
    /// What a place in the directory has, as a gathering there would say it (the directory's
    /// facts about the place itself; not those about an activity, like easy read).
    pub fn from_directory(a: crate::directory::taxonomy::Access) -> Option<AccessFact> {
        use crate::directory::taxonomy::Access;
        Some(match a {
            Access::StepFree => AccessFact::StepFree,
            Access::AccessibleToilet => AccessFact::AccessibleToilet,
            Access::HearingLoop => AccessFact::HearingLoop,
            Access::QuietSpace => AccessFact::QuietRoom,
            Access::BlueBadgeParking => AccessFact::Parking,
            Access::ChangingPlaces => AccessFact::ChangingPlaces,
            Access::Bsl | Access::EasyRead | Access::LargePrint | Access::AssistanceDogs => {
                return None
            }
        })
    }
}

coded!(
    /// How often a gathering comes round.
    #[schema(as = GatheringRepeats)]
    Repeats, "gathering repeats" {
        Once => "Once",
        Weekly => "Every week",
        Monthly => "Every month",
    }
);

/// Where a gathering is in its life at `now`: a published gathering whose end has passed has
/// ended.
pub fn state_at(stored: State, ends_at: i64, now: i64) -> State {
    match stored {
        State::Published if now >= ends_at => State::Ended,
        s => s,
    }
}

/// Publishing: only a draft, and only with at least one chair who agreed and who declared
/// lived experience (`chair_needed` otherwise).
pub fn publish(state: State, lived_chairs: usize) -> Result<State, ErrorCode> {
    if state != State::Draft {
        return Err(ErrorCode::NotAllowedNow);
    }
    if lived_chairs == 0 {
        return Err(ErrorCode::ChairNeeded);
    }
    Ok(State::Published)
}

/// Cancelling: a draft or a gathering still to come (once).
pub fn cancel(state: State) -> Result<State, ErrorCode> {
    match state {
        State::Draft | State::Published => Ok(State::Cancelled),
        _ => Err(ErrorCode::NotAllowedNow),
    }
}

/// The words of the chair rule, wherever it refuses something.
pub const CHAIR_RULE: &str = "A gathering is published only when at least one person with lived experience has agreed to chair it. Invite a chair, and publish it once they say yes.";

/// A moment as a client or a form gives it: RFC 3339 with an offset (`2026-12-10T14:00:00Z`)
/// or a time in London without one (`2026-12-10T14:00`, `2026-12-10 14:00`). A London time
/// that happens twice (the clocks going back) is the first; one that never happens (the
/// clocks going forward) is an hour on, as the clocks say then.
///
/// ```
/// use village_domain::gatherings::gathering::parse_moment;
/// assert_eq!(parse_moment("2026-12-10T14:00"), Some(1_796_392_800 + 6 * 86_400));
/// assert_eq!(parse_moment("2026-12-10T14:00:00Z"), parse_moment("2026-12-10 14:00"));
/// assert_eq!(parse_moment("2026-07-01T10:00"), parse_moment("2026-07-01T09:00:00Z"));
/// assert_eq!(parse_moment("2027-03-28T01:30"), parse_moment("2027-03-28T02:30"));
/// assert_eq!(parse_moment("soon"), None);
/// ```
pub fn parse_moment(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.timestamp());
    }
    let local = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())?;
    London
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            London
                .from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|d| d.timestamp())
}

/// A moment in London time as RFC 3339 with its offset, for the API.
pub fn moment_text(ts: i64) -> String {
    DateTime::from_timestamp(ts, 0)
        .map(|utc| London.from_utc_datetime(&utc.naive_utc()).to_rfc3339())
        .unwrap_or_default()
}

/// The longest gathering, in seconds (a weekend, and a little more).
pub const LONGEST: i64 = 4 * 86_400;

/// The earliest a new gathering may start: a day before `now` (a gathering being written up
/// afterwards may have started today).
pub fn earliest_start(now: i64) -> i64 {
    now - 86_400
}

/// The earliest a gathering being changed may start: as for a new one, or on the day it
/// already starts (a series under way keeps its first day while its time or days off
/// change).
pub fn earliest_start_kept(now: i64, starts_at: i64) -> i64 {
    let day_began = crate::dates::london_clock(starts_at)
        .and_then(|d| crate::dates::day_start(d.date()))
        .unwrap_or(starts_at);
    earliest_start(now).min(day_began)
}

/// Check when a gathering starts and ends: both real moments, the end after the start, not
/// longer than four days, starting no earlier than `earliest` (see `earliest_start`).
pub fn check_times(starts: &str, ends: &str, earliest: i64) -> Result<(i64, i64), Vec<FieldError>> {
    let mut problems = Vec::new();
    let s = parse_moment(starts);
    if s.is_none() {
        problems.push(FieldError::new(
            "starts_at",
            ErrorCode::MomentInvalid,
            "Say when it starts: a day and a time, like 2026-12-10T14:00.",
        ));
    }
    let e = parse_moment(ends);
    if e.is_none() {
        problems.push(FieldError::new(
            "ends_at",
            ErrorCode::MomentInvalid,
            "Say when it ends: a day and a time, like 2026-12-10T16:00.",
        ));
    }
    if let (Some(s), Some(e)) = (s, e) {
        if e <= s {
            problems.push(FieldError::new(
                "ends_at",
                ErrorCode::TimeOrder,
                "It needs to end after it starts.",
            ));
        } else if e - s > LONGEST {
            problems.push(FieldError::new(
                "ends_at",
                ErrorCode::TooLong,
                "A gathering can last up to four days. For more, make one for each day.",
            ));
        }
        if s < earliest {
            problems.push(FieldError::new(
                "starts_at",
                ErrorCode::DateInvalid,
                "This is in the past. Choose a time still to come.",
            ));
        }
    }
    match (s, e, problems.is_empty()) {
        (Some(s), Some(e), true) => Ok((s, e)),
        _ => Err(problems),
    }
}

/// Check a joining link for an online gathering: a web address, `https://` (or `http://`).
pub fn check_online_url(url: &str) -> Result<Option<String>, FieldError> {
    let u = url.trim();
    if u.is_empty() {
        return Ok(None);
    }
    let ok = (u.starts_with("https://") || u.starts_with("http://"))
        && u.len() > "https://".len()
        && u.len() <= 500
        && !u.contains(char::is_whitespace);
    if ok {
        Ok(Some(u.to_string()))
    } else {
        Err(FieldError::new(
            "online_url",
            ErrorCode::Invalid,
            "Enter the joining link as a web address starting with https://",
        ))
    }
}

/// Check the number of places, and how many are kept for people who draw on care and
/// support: no places means no limit; kept places need a limit and fit in it.
pub fn check_places(
    capacity: Option<i64>,
    reserved: Option<i64>,
) -> Result<(Option<i64>, i64), Vec<FieldError>> {
    let mut problems = Vec::new();
    if let Some(c) = capacity {
        if !(1..=10_000).contains(&c) {
            problems.push(FieldError::new(
                "capacity",
                ErrorCode::InvalidCount,
                "Give the number of places as a number from 1 to 10,000, or leave it empty for no limit.",
            ));
        }
    }
    let r = reserved.unwrap_or(0);
    if r < 0 {
        problems.push(FieldError::new(
            "reserved_places",
            ErrorCode::InvalidCount,
            "Give the places kept as a number, 0 or more.",
        ));
    } else if r > 0 {
        match capacity {
            None => problems.push(FieldError::new(
                "reserved_places",
                ErrorCode::InvalidCount,
                "Say how many places there are before keeping some.",
            )),
            Some(c) if r > c => problems.push(FieldError::new(
                "reserved_places",
                ErrorCode::InvalidCount,
                "Keep no more places than there are.",
            )),
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok((capacity, r.max(0)))
    } else {
        Err(problems)
    }
}

/// Read a list of codes, naming the field and the first code that is not one.
pub fn parse_codes<T: Copy + PartialEq>(
    field: &'static str,
    codes: &[String],
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, FieldError> {
    let mut out = Vec::new();
    for code in codes {
        match parse(code) {
            Some(c) if !out.contains(&c) => out.push(c),
            Some(_) => {}
            None => {
                return Err(FieldError::new(
                    field,
                    ErrorCode::Unknown,
                    format!("\"{}\" is not one of the choices.", code.trim()),
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_draft_with_a_lived_experience_chair_is_published() {
        for &s in State::ALL {
            for chairs in 0..3 {
                let got = publish(s, chairs);
                let want = match (s, chairs) {
                    (State::Draft, 0) => Err(ErrorCode::ChairNeeded),
                    (State::Draft, _) => Ok(State::Published),
                    _ => Err(ErrorCode::NotAllowedNow),
                };
                assert_eq!(got, want, "{s:?} with {chairs} chairs");
            }
        }
    }

    #[test]
    fn a_gathering_is_cancelled_only_before_it_has_happened_and_once() {
        assert_eq!(cancel(State::Draft), Ok(State::Cancelled));
        assert_eq!(cancel(State::Published), Ok(State::Cancelled));
        assert_eq!(cancel(State::Cancelled), Err(ErrorCode::NotAllowedNow));
        assert_eq!(cancel(State::Ended), Err(ErrorCode::NotAllowedNow));
    }

    #[test]
    fn a_published_gathering_ends_when_its_end_passes() {
        assert_eq!(state_at(State::Published, 100, 99), State::Published);
        assert_eq!(state_at(State::Published, 100, 100), State::Ended);
        assert_eq!(state_at(State::Draft, 100, 200), State::Draft);
        assert_eq!(state_at(State::Cancelled, 100, 200), State::Cancelled);
    }

    #[test]
    fn times_name_the_field_that_is_wrong() {
        let now = earliest_start(parse_moment("2026-12-01T09:00").unwrap());
        assert_eq!(
            check_times("2026-12-10T14:00", "2026-12-10T16:00", now),
            Ok((
                parse_moment("2026-12-10T14:00").unwrap(),
                parse_moment("2026-12-10T16:00").unwrap()
            ))
        );
        let fields = |r: Result<(i64, i64), Vec<FieldError>>| {
            r.unwrap_err()
                .into_iter()
                .map(|p| (p.field, p.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(check_times("tomorrow", "2026-12-10T16:00", now)),
            [("starts_at", ErrorCode::MomentInvalid)]
        );
        assert_eq!(
            fields(check_times("2026-12-10T16:00", "2026-12-10T14:00", now)),
            [("ends_at", ErrorCode::TimeOrder)]
        );
        assert_eq!(
            fields(check_times("2026-12-10T10:00", "2026-12-20T14:00", now)),
            [("ends_at", ErrorCode::TooLong)]
        );
        assert_eq!(
            fields(check_times("2026-11-10T10:00", "2026-11-10T14:00", now)),
            [("starts_at", ErrorCode::DateInvalid)]
        );
    }

    #[test]
    fn a_gathering_being_changed_may_keep_the_day_it_started() {
        let now = parse_moment("2026-12-20T09:00").unwrap();
        let first = parse_moment("2026-12-01T10:00").unwrap();
        let earliest = earliest_start_kept(now, first);
        // The same first day at another time is fine; the day before is not.
        assert!(check_times("2026-12-01T09:30", "2026-12-01T11:00", earliest).is_ok());
        assert!(check_times("2026-12-01T00:00", "2026-12-01T11:00", earliest).is_ok());
        assert!(check_times("2026-11-30T23:30", "2026-12-01T11:00", earliest).is_err());
        // One still to come may move back as far as a new one may start.
        let later = parse_moment("2026-12-25T10:00").unwrap();
        assert_eq!(earliest_start_kept(now, later), earliest_start(now));
    }

    #[test]
    fn moments_in_london_come_back_with_their_offset() {
        let winter = parse_moment("2026-12-10T14:00").unwrap();
        assert_eq!(moment_text(winter), "2026-12-10T14:00:00+00:00");
        let summer = parse_moment("2026-07-01T10:00").unwrap();
        assert_eq!(moment_text(summer), "2026-07-01T10:00:00+01:00");
        // The hour that happens twice when the clocks go back: the first.
        assert_eq!(
            parse_moment("2026-10-25T01:30"),
            parse_moment("2026-10-25T00:30:00Z")
        );
    }

    #[test]
    fn every_moment_the_document_allows_is_read() {
        for text in [
            "2026-12-10T14:00",
            "2026-12-10 14:00",
            "2026-12-10T14:00:59",
            "2026-12-10 14:00:00",
            "2026-12-10T14:00:00Z",
            "2026-12-10T14:00:00+23:59",
            "2026-12-10T14:00:00-01:00",
            "0000-01-01T00:00",
            "9999-12-28T23:59:59+00:00",
            "2027-03-28T01:30",
        ] {
            assert!(parse_moment(text).is_some(), "{text}");
        }
    }

    #[test]
    fn kept_places_fit_in_the_places() {
        assert_eq!(check_places(Some(10), Some(3)), Ok((Some(10), 3)));
        assert_eq!(check_places(None, None), Ok((None, 0)));
        for (c, r, field) in [
            (Some(0), None, "capacity"),
            (Some(10), Some(11), "reserved_places"),
            (None, Some(2), "reserved_places"),
            (Some(10), Some(-1), "reserved_places"),
        ] {
            let e = check_places(c, r).unwrap_err();
            assert_eq!(e[0].field, field, "{c:?} {r:?}");
        }
    }

    #[test]
    fn a_joining_link_is_a_web_address() {
        assert_eq!(
            check_online_url(" https://meet.example/abc "),
            Ok(Some("https://meet.example/abc".into()))
        );
        assert_eq!(check_online_url(""), Ok(None));
        for bad in [
            "meet.example",
            "javascript:alert(1)",
            "https://",
            "https://a b",
        ] {
            assert!(check_online_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_are_read_once_each_and_an_unknown_one_is_named() {
        let codes = [
            "step_free".to_string(),
            "hearing_loop".into(),
            "step_free".into(),
        ];
        assert_eq!(
            parse_codes("access", &codes, AccessFact::parse),
            Ok(vec![AccessFact::StepFree, AccessFact::HearingLoop])
        );
        let e = parse_codes("access", &["lift".to_string()], AccessFact::parse).unwrap_err();
        assert_eq!((e.field, e.code), ("access", ErrorCode::Unknown));
        assert!(e.message.contains("lift"));
    }
}
