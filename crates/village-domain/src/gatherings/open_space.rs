//! Open space: people at a gathering propose sessions into a grid of rooms × times. The
//! times are the gathering's start, then every `session_minutes`, while a whole session still
//! fits before it ends; a room holds one session in each time, so no room is ever booked twice
//! at once. The organisers may name the rooms; if they have not, people name a room (a corner,
//! a table) as they propose.

use crate::error::{ErrorCode, FieldError};

/// How long a session lasts unless the organisers say otherwise, in minutes.
pub const SESSION_MINUTES: i64 = 60;
/// The shortest and longest sessions, in minutes.
pub const SESSION_MINUTES_RANGE: (i64, i64) = (15, 240);
/// The most rooms a gathering names.
pub const ROOMS_MAX: usize = 30;
/// The longest room name, in characters.
pub const ROOM_MAX_CHARS: usize = 60;
/// The most times in one grid.
pub const SLOTS_MAX: usize = 96;
/// The longest session title, in characters.
pub const SESSION_TITLE_MAX: usize = 200;
/// The longest notes of one session, in characters.
pub const NOTES_MAX: usize = 20_000;

/// The times sessions start: from `starts_at`, every `minutes`, while a whole session fits
/// before `ends_at`.
///
/// ```
/// use village_domain::gatherings::open_space::slots;
/// assert_eq!(slots(0, 3 * 3600, 60), vec![0, 3600, 7200]);
/// assert_eq!(slots(0, 3 * 3600 - 1, 60), vec![0, 3600]);
/// assert!(slots(0, 1800, 60).is_empty());
/// ```
pub fn slots(starts_at: i64, ends_at: i64, minutes: i64) -> Vec<i64> {
    let step = minutes.max(SESSION_MINUTES_RANGE.0) * 60;
    let mut out = Vec::new();
    let mut t = starts_at;
    while t + step <= ends_at && out.len() < SLOTS_MAX {
        out.push(t);
        t += step;
    }
    out
}

/// A room's name as people wrote it, with spaces tidied.
fn tidy(room: &str) -> String {
    room.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What makes two room names the same room ("Main hall" and "main  hall").
///
/// ```
/// use village_domain::gatherings::open_space::room_key;
/// assert_eq!(room_key(" Main  Hall "), room_key("main hall"));
/// ```
pub fn room_key(room: &str) -> String {
    tidy(room).to_lowercase()
}

/// Check the rooms the organisers name (one per line or a list): each up to
/// [`ROOM_MAX_CHARS`], no two the same, at most [`ROOMS_MAX`].
pub fn check_rooms(rooms: &[String]) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for r in rooms.iter().map(|r| tidy(r)).filter(|r| !r.is_empty()) {
        if r.chars().count() > ROOM_MAX_CHARS {
            return Err(FieldError::new(
                "rooms",
                ErrorCode::TooLong,
                format!("Keep each room's name under {ROOM_MAX_CHARS} characters."),
            ));
        }
        if !out.iter().any(|o| room_key(o) == room_key(&r)) {
            out.push(r);
        }
    }
    if out.len() > ROOMS_MAX {
        return Err(FieldError::new(
            "rooms",
            ErrorCode::TooMany,
            format!("Name up to {ROOMS_MAX} rooms."),
        ));
    }
    Ok(out)
}

/// Check how long sessions last, in minutes.
pub fn check_session_minutes(minutes: Option<i64>) -> Result<i64, FieldError> {
    let m = minutes.unwrap_or(SESSION_MINUTES);
    let (lo, hi) = SESSION_MINUTES_RANGE;
    if (lo..=hi).contains(&m) {
        Ok(m)
    } else {
        Err(FieldError::new(
            "session_minutes",
            ErrorCode::InvalidCount,
            format!("Sessions last between {lo} and {hi} minutes."),
        ))
    }
}

/// The room a session is proposed for: one the organisers named (as they spelt it), or, if
/// they named none, any name up to [`ROOM_MAX_CHARS`].
pub fn check_room(room: &str, named: &[String]) -> Result<String, FieldError> {
    let r = tidy(room);
    if r.is_empty() {
        return Err(FieldError::new(
            "room",
            ErrorCode::TextMissing,
            "Say which room.",
        ));
    }
    if named.is_empty() {
        if r.chars().count() > ROOM_MAX_CHARS {
            return Err(FieldError::new(
                "room",
                ErrorCode::TooLong,
                format!("Keep the room's name under {ROOM_MAX_CHARS} characters."),
            ));
        }
        return Ok(r);
    }
    named
        .iter()
        .find(|n| room_key(n) == room_key(&r))
        .cloned()
        .ok_or_else(|| {
            FieldError::new(
                "room",
                ErrorCode::Invalid,
                format!(
                    "Choose a room. The rooms are {}.",
                    crate::text::and_list(named)
                ),
            )
        })
}

/// The time a session is proposed for: one of the grid's times.
pub fn check_slot(at: Option<i64>, slots: &[i64]) -> Result<i64, FieldError> {
    match at {
        Some(t) if slots.contains(&t) => Ok(t),
        Some(_) => Err(FieldError::new(
            "starts_at",
            ErrorCode::Invalid,
            "Choose one of the session times.",
        )),
        None => Err(FieldError::new(
            "starts_at",
            ErrorCode::MomentInvalid,
            "Say when the session starts: one of the session times.",
        )),
    }
}

/// The rooms of the grid: the ones named, then any others sessions use, in the order first
/// used.
pub fn grid_rooms(named: &[String], used: &[String]) -> Vec<String> {
    let mut out: Vec<String> = named.to_vec();
    for u in used {
        if !out.iter().any(|o| room_key(o) == room_key(u)) {
            out.push(u.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_named_by_the_organisers_are_the_only_rooms() {
        let named = vec!["Main hall".to_string(), "Garden room".to_string()];
        assert_eq!(
            check_room(" main   HALL", &named).ok(),
            Some("Main hall".into())
        );
        let e = check_room("Kitchen", &named).err().map(|e| e.field);
        assert_eq!(e, Some("room"));
        assert_eq!(check_room("Kitchen", &[]).ok(), Some("Kitchen".into()));
        assert!(check_room("  ", &[]).is_err());
        assert!(check_room(&"x".repeat(ROOM_MAX_CHARS + 1), &[]).is_err());
    }

    #[test]
    fn rooms_are_tidied_and_counted_once() {
        let rooms = check_rooms(&[
            "Main  hall".into(),
            "main hall".into(),
            "".into(),
            "Garden".into(),
        ]);
        assert_eq!(rooms.ok(), Some(vec!["Main hall".into(), "Garden".into()]));
        let many: Vec<String> = (0..=ROOMS_MAX).map(|i| format!("Room {i}")).collect();
        assert!(check_rooms(&many).is_err());
    }

    #[test]
    fn a_session_starts_at_one_of_the_grid_times() {
        let s = slots(1000, 1000 + 4 * 3600, 90);
        assert_eq!(s, vec![1000, 1000 + 5400]);
        assert_eq!(check_slot(Some(1000 + 5400), &s).ok(), Some(1000 + 5400));
        assert!(check_slot(Some(1000 + 60), &s).is_err());
        assert!(check_slot(None, &s).is_err());
        assert!(check_session_minutes(Some(10)).is_err());
        assert_eq!(check_session_minutes(None).ok(), Some(SESSION_MINUTES));
        assert_eq!(slots(0, 400 * 86_400, 15).len(), SLOTS_MAX);
    }

    #[test]
    fn the_grid_keeps_named_rooms_first() {
        let g = grid_rooms(
            &["Hall".into()],
            &["Garden".into(), "hall".into(), "Garden".into()],
        );
        assert_eq!(g, vec!["Hall".to_string(), "Garden".to_string()]);
    }
}
