//! Open space on the pages: the grid of rooms × times on a gathering's page (`GridView`),
//! adding a session (`/gatherings/{id}/sessions/new`, with the room and time chosen from a
//! free square), and one session (`/gatherings/{id}/sessions/{sid}`): its notes, offering to
//! take them, and making it a proposal in a decision space.

use super::*;
use village_app::gatherings::open_space::{self as open_space, Grid, SessionBody, ToProposalBody};
use village_domain::gatherings::gathering::moment_text;

/// One square of the grid.
pub struct Cell {
    /// The session's title, or empty when the room is free.
    pub title: String,
    /// The session's page, or where to add one here (empty when none can be added).
    pub link: String,
    /// Who leads it.
    pub convener: String,
}

/// One time of the grid.
pub struct GridRow {
    pub label: String,
    pub cells: Vec<Cell>,
}

/// The grid as the gathering's page shows it.
pub struct GridView {
    pub rooms: Vec<String>,
    pub rows: Vec<GridRow>,
    pub may_propose: bool,
    pub open: bool,
}

fn query_escape(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl GridView {
    pub fn new(g: &Grid, id: i64, starts_at: i64) -> GridView {
        let day = dates::day_of(starts_at);
        let rows = g
            .times
            .iter()
            .map(|t| GridRow {
                label: if dates::day_of(*t) == day {
                    dates::clock(*t)
                } else {
                    dates::when(*t)
                },
                cells: g
                    .rooms
                    .iter()
                    .map(|room| match g.at(room, *t) {
                        Some(s) => Cell {
                            title: s.title.clone(),
                            link: open_space::session_link(id, s.id),
                            convener: s.convener_name.clone().unwrap_or_default(),
                        },
                        None => Cell {
                            title: String::new(),
                            link: if g.may_propose {
                                format!(
                                    "/gatherings/{id}/sessions/new?room={}&at={}",
                                    query_escape(room),
                                    query_escape(&moment_text(*t))
                                )
                            } else {
                                String::new()
                            },
                            convener: String::new(),
                        },
                    })
                    .collect(),
            })
            .collect();
        GridView {
            rooms: g.rooms.clone(),
            rows,
            may_propose: g.may_propose,
            open: g.open_now,
        }
    }
}

/// What the new-session form holds, to show again.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct SessionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    room: String,
    /// The time, as the grid gives it (RFC 3339).
    #[serde(default)]
    at: String,
    #[serde(default)]
    for_name: String,
}

#[derive(Template)]
#[template(path = "gatherings/session_new.html")]
struct NewSessionPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    gathering: String,
    form: SessionForm,
    /// The rooms to choose from (empty: people name one).
    rooms: Vec<String>,
    /// The times: (value, words, chosen).
    times: Vec<(String, String, bool)>,
    may_type_for_others: bool,
}

async fn new_session_page(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    form: SessionForm,
    errors: Errors,
) -> Result<NewSessionPage, Error> {
    let g = gatherings::gathering(state, Some(who), id, now()).await?;
    let grid = open_space::open_space(state, Some(who), id, now())
        .await?
        .ok_or(Error::NotFound("open space"))?;
    if !grid.may_propose {
        return Err(Error::Conflict(
            village_domain::error::ErrorCode::NotAllowedNow,
            "Sign up to come first. Then you can add a session.".into(),
        ));
    }
    let chosen = village_domain::gatherings::gathering::parse_moment(&form.at);
    Ok(NewSessionPage {
        layout: Layout::new(
            state,
            Some(who),
            csrf,
            &format!("/gatherings/{id}/sessions/new"),
            "Add a session",
        ),
        errors,
        id,
        gathering: g.row.title.clone(),
        rooms: g.row.room_list(),
        times: grid
            .times
            .iter()
            .map(|t| (moment_text(*t), dates::when(*t), Some(*t) == chosen))
            .collect(),
        may_type_for_others: grid.may_type_for_others,
        form,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct NewSessionParams {
    room: Option<String>,
    at: Option<String>,
}

/// `/gatherings/{id}/sessions/new`: the room and time from the grid's free square.
pub(crate) async fn view_new_session(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<NewSessionParams>,
) -> PageResult {
    let form = SessionForm {
        room: q.room.unwrap_or_default(),
        at: q.at.unwrap_or_default(),
        ..Default::default()
    };
    let page = new_session_page(&state, &identity, &csrf, id, form, Errors::none()).await?;
    Ok(pages::page(&page))
}

pub(crate) async fn view_propose_session(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<SessionForm>,
) -> PageResult {
    let body = SessionBody {
        title: f.title.clone(),
        room: f.room.clone(),
        starts_at: f.at.clone(),
        for_name: Some(f.for_name.clone()),
    };
    match open_space::propose(&state, &identity, id, &body, now()).await {
        Ok(sid) => Ok(
            Redirect::to(&format!("{}?done=added", open_space::session_link(id, sid)))
                .into_response(),
        ),
        Err(e) => {
            let errors = on_field("room", e)?;
            let page = new_session_page(&state, &identity, &csrf, id, f, errors).await?;
            Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

#[derive(Template)]
#[template(path = "gatherings/session.html")]
struct SessionPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    sid: i64,
    gathering: String,
    room: String,
    when: String,
    convener: String,
    note_taker: String,
    notes: Vec<String>,
    notes_form: String,
    may_write_notes: bool,
    may_take_notes: bool,
    may_make_proposal: bool,
    /// The decision spaces the viewer takes part in (id, name).
    spaces: Vec<(i64, String)>,
    proposal: Option<i64>,
}

fn session_notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "added" => "Your session is on the grid.",
        "notes" => "The notes are saved.",
        "taking" => "Thank you. You are taking the notes.",
        _ => return None,
    })
}

#[derive(Debug, Deserialize, Default, Clone)]
pub struct NotesForm {
    #[serde(default)]
    notes: String,
}

async fn session_page(
    state: &AppState,
    who: Option<&Identity>,
    csrf: &CsrfToken,
    (id, sid): (i64, i64),
    notice: Option<&str>,
    errors: Errors,
    notes_form: Option<String>,
) -> Result<SessionPage, Error> {
    let seen = open_space::session(state, who, id, sid).await?;
    let spaces = match who {
        Some(w) if seen.may_make_proposal => village_app::decisions::spaces(state, w)
            .await?
            .into_iter()
            .filter(|s| s.takes_part())
            .map(|s| (s.space.id, s.space.name))
            .collect(),
        _ => Vec::new(),
    };
    let s = seen.session;
    Ok(SessionPage {
        layout: Layout::new(
            state,
            who,
            csrf,
            &open_space::session_link(id, sid),
            s.title.clone(),
        )
        .with_notice(notice),
        errors,
        id,
        sid,
        gathering: seen.gathering.title.clone(),
        room: s.room.clone(),
        when: dates::when(s.starts_at),
        convener: s
            .convener_name
            .clone()
            .unwrap_or_else(|| "Someone who has left".into()),
        note_taker: s.note_taker_name.clone().unwrap_or_default(),
        notes: s
            .notes
            .split('\n')
            .filter(|p| !p.trim().is_empty())
            .map(str::to_string)
            .collect(),
        notes_form: notes_form.unwrap_or_else(|| s.notes.clone()),
        may_write_notes: seen.may_write_notes,
        may_take_notes: seen.may_take_notes,
        may_make_proposal: seen.may_make_proposal,
        spaces,
        proposal: s.proposal_id,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct DoneOnly {
    pub(super) done: Option<String>,
}

/// `/gatherings/{id}/sessions/{sid}`.
pub(crate) async fn view_session(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Path((id, sid)): Path<(i64, i64)>,
    Query(q): Query<DoneOnly>,
) -> PageResult {
    let page = session_page(
        &state,
        identity.as_ref(),
        &csrf,
        (id, sid),
        session_notice(q.done.as_deref()),
        Errors::none(),
        None,
    )
    .await?;
    Ok(pages::page(&page))
}

fn session_done(id: i64, sid: i64, what: &str) -> Response {
    Redirect::to(&format!(
        "{}?done={what}",
        open_space::session_link(id, sid)
    ))
    .into_response()
}

pub(crate) async fn view_take_notes(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path((id, sid)): Path<(i64, i64)>,
) -> PageResult {
    open_space::take_notes(&state, &identity, id, sid).await?;
    Ok(session_done(id, sid, "taking"))
}

pub(crate) async fn view_write_notes(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path((id, sid)): Path<(i64, i64)>,
    PageForm(f): PageForm<NotesForm>,
) -> PageResult {
    match open_space::write_notes(&state, &identity, id, sid, &f.notes, now()).await {
        Ok(()) => Ok(session_done(id, sid, "notes")),
        Err(e) => {
            let errors = field_errors(e)?;
            let page = session_page(
                &state,
                Some(&identity),
                &csrf,
                (id, sid),
                None,
                errors,
                Some(f.notes),
            )
            .await?;
            Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ProposalForm {
    #[serde(default)]
    space_id: String,
}

/// A refusal shown beside the form's field it is about: a field's own problem, or a
/// conflict (the room taken, not in the space) beside `field`.
pub(super) fn on_field(field: &'static str, e: Error) -> Result<Errors, Error> {
    match e {
        Error::Conflict(_, words) => {
            let mut errors = Errors::none();
            errors.add(field, words);
            Ok(errors)
        }
        e => field_errors(e),
    }
}

/// The space chosen on a form, or a problem naming the field.
pub(super) fn chosen_space(text: &str) -> Result<ToProposalBody, Error> {
    match text.trim().parse::<i64>() {
        Ok(space_id) => Ok(ToProposalBody {
            space_id,
            ..Default::default()
        }),
        Err(_) => Err(Error::Fields(vec![village_domain::error::FieldError::new(
            "space_id",
            village_domain::error::ErrorCode::Missing,
            "Choose a decision space.",
        )])),
    }
}

pub(crate) async fn view_session_to_proposal(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path((id, sid)): Path<(i64, i64)>,
    PageForm(f): PageForm<ProposalForm>,
) -> PageResult {
    let made = match chosen_space(&f.space_id) {
        Ok(body) => open_space::session_to_proposal(&state, &identity, id, sid, &body, now()).await,
        Err(e) => Err(e),
    };
    match made {
        Ok(pid) => Ok(Redirect::to(&format!("/proposals/{pid}")).into_response()),
        Err(e) => {
            let errors = on_field("space_id", e)?;
            let page = session_page(
                &state,
                Some(&identity),
                &csrf,
                (id, sid),
                None,
                errors,
                None,
            )
            .await?;
            Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
