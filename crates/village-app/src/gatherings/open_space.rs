//! Open space at a gathering: people going (and its organisers, chairs and the hub's
//! stewards, typing for people there) propose sessions into a grid of rooms × times; no room
//! holds two sessions at once. Each session has a convener and a note-taker, who write its
//! notes during or after; a session can become a proposal in a decision space in one step.

use super::{link, not_found, standing_of};
use crate::accounts::Identity;
use crate::error::{conflict, Error, Result};
use crate::App;
use serde::Deserialize;
use utoipa::ToSchema;
use village_domain::access::gatherings::{self as rules, Standing};
use village_domain::error::{ErrorCode, FieldError};
use village_domain::gatherings::gathering::{parse_moment, state_at, State};
use village_domain::gatherings::open_space as grid;
use village_store::gatherings::sessions::{self as store, NewSession, SessionRow};
use village_store::gatherings::GatheringRow;
use village_store::StoreError;

/// A session someone proposes.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SessionBody {
    /// What it is about.
    pub title: String,
    /// Which room: one the organisers named, or any name if they named none.
    pub room: String,
    /// When it starts: one of the grid's times (RFC 3339, or a London time).
    pub starts_at: String,
    /// Typed in for someone at the event (their name, as they want it shown); only the
    /// organisers, chairs and the hub's stewards do this. Without it, whoever proposes it
    /// convenes it.
    #[serde(default)]
    pub for_name: Option<String>,
}

/// The open space of a gathering as one person sees it.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The rooms: the ones named, then any others sessions use.
    pub rooms: Vec<String>,
    /// When sessions start.
    pub times: Vec<i64>,
    pub sessions: Vec<SessionRow>,
    /// The viewer may propose a session now.
    pub may_propose: bool,
    /// The viewer may type one in for someone at the event.
    pub may_type_for_others: bool,
    /// Whether sessions can still be proposed (published and not over).
    pub open_now: bool,
}

impl Grid {
    /// The session in a room at a time.
    pub fn at(&self, room: &str, time: i64) -> Option<&SessionRow> {
        let key = grid::room_key(room);
        self.sessions
            .iter()
            .find(|s| s.starts_at == time && grid::room_key(&s.room) == key)
    }
}

/// A gathering the viewer may see, and how they stand to it.
async fn seen_row(
    state: &App,
    who: Option<&Identity>,
    id: i64,
) -> Result<(GatheringRow, Standing)> {
    let mut c = state.store.conn().await?;
    let row = village_store::gatherings::gathering(&mut c, id)
        .await?
        .ok_or(not_found())?;
    let standing = standing_of(&mut c, who, &row).await?;
    if row.published_at.is_none() && !rules::may_see_draft(standing) {
        return Err(not_found());
    }
    Ok((row, standing))
}

fn times_of(row: &GatheringRow, sessions: &[SessionRow]) -> Vec<i64> {
    let mut times = grid::slots(row.starts_at, row.ends_at, row.session_minutes);
    for s in sessions {
        if !times.contains(&s.starts_at) {
            times.push(s.starts_at);
        }
    }
    times.sort_unstable();
    times
}

/// The grid of a gathering run as open space (`None` for one that is not).
pub async fn open_space(
    state: &App,
    who: Option<&Identity>,
    id: i64,
    t: i64,
) -> Result<Option<Grid>> {
    let (row, standing) = seen_row(state, who, id).await?;
    if !row.open_space {
        return Ok(None);
    }
    let sessions = {
        let mut c = state.store.conn().await?;
        store::of_gathering(&mut c, id).await?
    };
    let used: Vec<String> = sessions.iter().map(|s| s.room.clone()).collect();
    let open_now = state_at(row.state, row.last_ends_at, t) == State::Published;
    Ok(Some(Grid {
        rooms: grid::grid_rooms(&row.room_list(), &used),
        times: times_of(&row, &sessions),
        may_propose: open_now && rules::may_propose_session(standing),
        may_type_for_others: open_now && rules::may_type_for_others(standing),
        open_now,
        sessions,
    }))
}

/// Propose a session: into a free room at one of the grid's times (409 `room_taken` if
/// someone was quicker).
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn propose(state: &App, who: &Identity, id: i64, b: &SessionBody, t: i64) -> Result<i64> {
    let (row, standing) = seen_row(state, Some(who), id).await?;
    if !row.open_space {
        return conflict(
            ErrorCode::NotAllowedNow,
            "This gathering is not run as open space.",
        );
    }
    if state_at(row.state, row.last_ends_at, t) != State::Published {
        return conflict(
            ErrorCode::NotAllowedNow,
            "Sessions can be added while the gathering is published and until it ends.",
        );
    }
    if !rules::may_propose_session(standing) {
        return conflict(
            ErrorCode::NotAMember,
            "Sign up to come first. Then you can add a session.",
        );
    }
    let mut problems = Vec::new();
    let title = village_domain::text::check(
        "title",
        &b.title,
        true,
        grid::SESSION_TITLE_MAX,
        "what the session is about",
    )
    .map_err(|e| problems.push(e))
    .ok();
    let room = grid::check_room(&b.room, &row.room_list())
        .map_err(|e| problems.push(e))
        .ok();
    let sessions = {
        let mut c = state.store.conn().await?;
        store::of_gathering(&mut c, id).await?
    };
    let starts_at = grid::check_slot(parse_moment(&b.starts_at), &times_of(&row, &sessions))
        .map_err(|e| problems.push(e))
        .ok();
    let for_name = b
        .for_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if let Some(n) = for_name {
        if !rules::may_type_for_others(standing) {
            return Err(Error::Forbidden);
        }
        if n.chars().count() > 80 {
            problems.push(FieldError::new(
                "for_name",
                ErrorCode::TooLong,
                "Keep their name under 80 characters.",
            ));
        }
    }
    let (Some(title), Some(room), Some(starts_at), true) =
        (title, room, starts_at, problems.is_empty())
    else {
        return Err(Error::Fields(problems));
    };
    let convener_id = if for_name.is_some() {
        None
    } else {
        Some(who.user.id)
    };
    let mut tx = state.store.begin().await?;
    // Hold the gathering: two people choosing the same room and time queue here.
    village_store::gatherings::lock(&mut tx, id)
        .await?
        .ok_or(not_found())?;
    let now = store::of_gathering(&mut tx, id).await?;
    let key = grid::room_key(&room);
    if now
        .iter()
        .any(|s| s.starts_at == starts_at && grid::room_key(&s.room) == key)
    {
        return room_taken(&room, starts_at);
    }
    if convener_id.is_some()
        && now
            .iter()
            .any(|s| s.starts_at == starts_at && s.convener_id == convener_id)
    {
        return conflict(
            ErrorCode::NotAllowedNow,
            "You already lead a session at that time. Choose another time.",
        );
    }
    let new = NewSession {
        title: &title,
        room: &room,
        room_key: &key,
        starts_at,
        convener_id,
        convener_name: for_name,
    };
    let sid = match store::add(&mut tx, id, &new, who.user.id, t).await {
        Ok(sid) => sid,
        Err(StoreError::Conflict(_)) => return room_taken(&room, starts_at),
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(sid)
}

fn room_taken<T>(room: &str, at: i64) -> Result<T> {
    conflict(
        ErrorCode::RoomTaken,
        format!(
            "{room} already has a session at {}. Choose another room or time.",
            village_domain::dates::when(at)
        ),
    )
}

/// One session as someone sees it.
#[derive(Debug, Clone)]
pub struct SessionSeen {
    pub gathering: GatheringRow,
    pub session: SessionRow,
    pub may_write_notes: bool,
    /// Nobody takes the notes yet and the viewer may.
    pub may_take_notes: bool,
    pub may_make_proposal: bool,
}

/// One session of a gathering the viewer may see.
pub async fn session(
    state: &App,
    who: Option<&Identity>,
    id: i64,
    sid: i64,
) -> Result<SessionSeen> {
    let (row, standing) = seen_row(state, who, id).await?;
    let session = {
        let mut c = state.store.conn().await?;
        store::session(&mut c, sid).await?
    }
    .filter(|s| s.gathering_id == id)
    .ok_or(Error::NotFound("session"))?;
    let uid = who.map(|w| w.user.id);
    let convener = uid.is_some() && session.convener_id == uid;
    let note_taker = uid.is_some() && session.note_taker_id == uid;
    let live = row.state != State::Cancelled;
    Ok(SessionSeen {
        may_write_notes: live && rules::may_write_notes(standing, convener, note_taker),
        may_take_notes: live
            && who.is_some()
            && session.note_taker_id.is_none()
            && (standing.going || rules::may_type_for_others(standing)),
        may_make_proposal: who.is_some()
            && session.proposal_id.is_none()
            && rules::may_make_proposal(standing, convener),
        gathering: row,
        session,
    })
}

/// Offer to take a session's notes (someone going, or running the gathering).
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn take_notes(state: &App, who: &Identity, id: i64, sid: i64) -> Result<()> {
    let seen = session(state, Some(who), id, sid).await?;
    if !seen.may_take_notes {
        return conflict(
            ErrorCode::NotAllowedNow,
            "Someone is taking the notes already, or you are not signed up to come.",
        );
    }
    let mut c = state.store.conn().await?;
    if !store::take_notes(&mut c, sid, who.user.id).await? {
        return conflict(
            ErrorCode::NotAllowedNow,
            "Someone is taking the notes already.",
        );
    }
    Ok(())
}

/// Write a session's notes (its convener and note-taker, and the people running it).
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn write_notes(
    state: &App,
    who: &Identity,
    id: i64,
    sid: i64,
    notes: &str,
    t: i64,
) -> Result<()> {
    let seen = session(state, Some(who), id, sid).await?;
    if !seen.may_write_notes {
        return Err(Error::Forbidden);
    }
    let notes = village_domain::text::check("notes", notes, false, grid::NOTES_MAX, "the notes")?;
    let mut c = state.store.conn().await?;
    store::put_notes(&mut c, sid, &notes, t).await?;
    Ok(())
}

/// Where a proposal goes, and (optionally) its words; by default the session's or action's.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ToProposalBody {
    /// The decision space to put it to (you need to take part in it).
    pub space_id: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
}

/// Words for a proposal that came from a gathering: what it says, then where it came from.
pub(crate) fn proposal_words(
    b: &ToProposalBody,
    title: &str,
    text: &str,
    from: &str,
) -> Result<(String, String)> {
    use village_domain::decisions::proposal::{MAX_TEXT_CHARS, MAX_TITLE_CHARS};
    let given = |t: &Option<String>| t.clone().filter(|t| !t.trim().is_empty());
    let title = given(&b.title).unwrap_or_else(|| {
        if title.chars().count() > MAX_TITLE_CHARS {
            title.chars().take(MAX_TITLE_CHARS - 1).collect::<String>() + "…"
        } else {
            title.to_string()
        }
    });
    let mut body = given(&b.body).unwrap_or_else(|| text.trim().to_string());
    let from_line = format!("This came from {from}.");
    if body.chars().count() + from_line.len() + 2 > MAX_TEXT_CHARS {
        body = body
            .chars()
            .take(MAX_TEXT_CHARS.saturating_sub(from_line.len() + 4))
            .collect::<String>()
            + "…";
    }
    let body = if body.trim().is_empty() {
        from_line
    } else {
        format!("{}\n\n{from_line}", body.trim())
    };
    Ok((
        village_domain::text::check("title", &title, true, MAX_TITLE_CHARS, "a title")?,
        village_domain::text::check("body", &body, true, MAX_TEXT_CHARS, "what you propose")?,
    ))
}

/// What a proposal came from at a gathering.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Origin {
    Session(i64),
    Action(i64),
}

/// Put a proposal to a decision space, in the same step linking it both ways with where it
/// came from (409 `already_decided` if it already became one).
pub(crate) async fn to_proposal(
    state: &App,
    who: &Identity,
    space_id: i64,
    (title, body): (String, String),
    (url, from_title): (String, String),
    origin: Origin,
    t: i64,
) -> Result<i64> {
    let space = crate::decisions::space(state, who, space_id).await?;
    if !space.takes_part() {
        return conflict(
            ErrorCode::NotAMember,
            "Join that decision space first to put proposals to it.",
        );
    }
    let mut tx = state.store.begin().await?;
    let pid = village_store::decisions::create_proposal(
        &mut tx,
        space_id,
        &title,
        &body,
        "",
        who.user.id,
        t,
    )
    .await?;
    village_store::decisions::set_came_from(&mut tx, pid, &url, &from_title).await?;
    let linked = match origin {
        Origin::Session(sid) => store::set_proposal(&mut tx, sid, pid).await?,
        Origin::Action(aid) => {
            village_store::gatherings::minutes::set_action_proposal(&mut tx, aid, pid).await?
        }
    };
    if !linked {
        return conflict(ErrorCode::AlreadyDecided, "This is already a proposal.");
    }
    tx.commit().await?;
    Ok(pid)
}

/// The page of a session.
pub fn session_link(id: i64, sid: i64) -> String {
    format!("{}/sessions/{sid}", link(id))
}

/// Turn a session into a proposal in a decision space, in one step, linked both ways.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn session_to_proposal(
    state: &App,
    who: &Identity,
    id: i64,
    sid: i64,
    b: &ToProposalBody,
    t: i64,
) -> Result<i64> {
    let seen = session(state, Some(who), id, sid).await?;
    if seen.session.proposal_id.is_some() {
        return conflict(ErrorCode::AlreadyDecided, "This is already a proposal.");
    }
    if !seen.may_make_proposal {
        return Err(Error::Forbidden);
    }
    let from = format!(
        "the session \"{}\" at {} on {}",
        seen.session.title,
        seen.gathering.title,
        village_domain::dates::day_of(seen.gathering.starts_at)
    );
    let words = proposal_words(b, &seen.session.title, &seen.session.notes, &from)?;
    let from_title = format!("{}: {}", seen.gathering.title, seen.session.title);
    to_proposal(
        state,
        who,
        b.space_id,
        words,
        (session_link(id, sid), from_title),
        Origin::Session(sid),
        t,
    )
    .await
}
