//! Gatherings: events chaired by people with lived experience. An organiser makes a draft,
//! asks people to chair it, and publishes it once a chair with lived experience has agreed
//! (`village_domain::gatherings::gathering` holds the rule); people sign up saying what would
//! help them take part, and a full gathering keeps a waiting list (`places`). Pages and the
//! API (`village_web::gatherings`) call the functions here.

pub mod calendar;
mod chairs;
mod letters;
pub mod minutes;
pub mod open_space;
mod organisers;
mod places;

pub use chairs::*;
pub use letters::remind;
pub use organisers::*;
pub use places::*;

use crate::accounts::Identity;
use crate::error::{conflict, Error, Result};
use crate::App;
use serde::Deserialize;
use utoipa::ToSchema;
use village_domain::access::gatherings::{self as rules, Standing};
use village_domain::error::{ErrorCode, FieldError};
use village_domain::gatherings::gathering::{self as gathering, AccessFact, State};
use village_domain::gatherings::places::Place;
use village_store::gatherings::places::SignUpRow;
use village_store::gatherings::{self as store, ChairRow, GatheringRow, NewGathering};

/// The longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// The longest "what it is for".
pub const ABOUT_MAX: usize = 5_000;
/// The longest of the shorter parts (who it is for, the cost, the venue, the address).
pub const SHORT_MAX: usize = 300;

/// Where a gathering happens in person.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct VenueBody {
    /// The venue's name ("Meadowfield Community Centre").
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub postcode: Option<String>,
}

/// A gathering as its organiser describes it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct GatheringBody {
    pub title: String,
    /// What it is for.
    pub about: String,
    /// When it starts: RFC 3339 (`2026-12-10T14:00:00Z`), or a time in London without an
    /// offset (`2026-12-10T14:00`).
    pub starts_at: String,
    /// When it ends (the same forms), after it starts and within four days.
    pub ends_at: String,
    /// Where, in person (a venue's name and address with postcode).
    #[serde(default)]
    pub place: Option<VenueBody>,
    /// Online: the joining link, shown only to people with a place, the chairs and the
    /// organisers.
    #[serde(default)]
    pub online_url: Option<String>,
    /// Who it is for, in a few words.
    #[serde(default)]
    pub for_whom: Option<String>,
    /// How many places (none: no limit).
    #[serde(default)]
    pub capacity: Option<i64>,
    /// Places kept for people who draw on care and support.
    #[serde(default)]
    pub reserved_places: Option<i64>,
    /// What the venue has that helps people take part (codes: `step_free`,
    /// `accessible_toilet`, `hearing_loop`, `bsl_interpreter`, `captions`, `quiet_room`,
    /// `seating`, `food_and_drink`, `changing_places`, `parking`).
    #[serde(default)]
    pub access: Vec<String>,
    /// What it costs ("Free", "£2 for tea").
    #[serde(default)]
    pub cost: Option<String>,
    /// The group in the directory that runs it (ORUK organization id): its organisers
    /// organise the gathering too. Only someone who organises the group may name it.
    #[serde(default)]
    pub organization_id: Option<String>,
    /// Run as open space: people propose sessions into a grid of rooms and times.
    #[serde(default)]
    pub open_space: bool,
    /// Open space: the rooms (none: people name a room as they propose a session).
    #[serde(default)]
    pub rooms: Vec<String>,
    /// Open space: how long each session lasts, in minutes (15 to 240; 60 if not said).
    #[serde(default)]
    pub session_minutes: Option<i64>,
    /// How it comes round: `once` (if not said), `weekly`, or `monthly` (the same week-day of
    /// the same week of each month, like the second Tuesday), at the same time.
    #[serde(default)]
    pub repeats: Option<String>,
    /// For a series: the last day it may happen (`2027-06-30`), within a year of the first.
    #[serde(default)]
    pub repeat_until: Option<String>,
    /// For a series: days it does not happen (`2026-12-29`), each one of its days.
    #[serde(default)]
    pub skip: Vec<String>,
    /// At the place of an offer in the directory (ORUK service id): the parts of `place`
    /// left empty are filled from the offer's first location, and the page links to it.
    #[serde(default)]
    pub offer_id: Option<String>,
}

/// A gathering's description, checked.
pub(crate) struct Checked {
    title: String,
    about: String,
    for_whom: String,
    starts_at: i64,
    ends_at: i64,
    venue: Option<String>,
    address: Option<String>,
    postcode: Option<String>,
    online_url: Option<String>,
    capacity: Option<i64>,
    reserved_places: i64,
    access: String,
    cost: String,
    organization_id: Option<String>,
    open_space: bool,
    rooms: String,
    session_minutes: i64,
    series: village_domain::gatherings::series::Series,
    repeat_until: Option<String>,
    skipped: String,
    last_ends_at: i64,
    offer_id: Option<String>,
}

impl Checked {
    fn new_gathering(&self) -> NewGathering<'_> {
        NewGathering {
            title: &self.title,
            about: &self.about,
            for_whom: &self.for_whom,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            venue: self.venue.as_deref(),
            address: self.address.as_deref(),
            postcode: self.postcode.as_deref(),
            online_url: self.online_url.as_deref(),
            capacity: self.capacity,
            reserved_places: self.reserved_places,
            access: &self.access,
            cost: &self.cost,
            organization_id: self.organization_id.as_deref(),
            open_space: self.open_space,
            rooms: &self.rooms,
            session_minutes: self.session_minutes,
            repeats: self.series.repeats.code(),
            repeat_until: self.repeat_until.as_deref(),
            skipped: &self.skipped,
            last_ends_at: self.last_ends_at,
            offer_id: self.offer_id.as_deref(),
        }
    }
}

fn optional(
    field: &'static str,
    text: Option<&str>,
    what: &str,
    problems: &mut Vec<FieldError>,
) -> Option<String> {
    match village_domain::text::check(field, text.unwrap_or(""), false, SHORT_MAX, what) {
        Ok(t) if t.is_empty() => None,
        Ok(t) => Some(t),
        Err(e) => {
            problems.push(e);
            None
        }
    }
}

/// Check what an organiser wrote, naming every field with a problem. `before` is the
/// gathering as it stands when it is being changed: it may keep the day it started on (a
/// series under way) and the group it is run by (named by another of its organisers).
async fn check(
    state: &App,
    who: &Identity,
    b: &GatheringBody,
    t: i64,
    before: Option<&GatheringRow>,
) -> Result<Checked> {
    let mut problems = Vec::new();
    let text = |field, value: &str, required, max, what| {
        village_domain::text::check(field, value, required, max, what)
    };
    let title = text("title", &b.title, true, TITLE_MAX, "a title");
    let about = text("about", &b.about, true, ABOUT_MAX, "what it is for");
    let earliest = match before {
        Some(row) => gathering::earliest_start_kept(t, row.starts_at),
        None => gathering::earliest_start(t),
    };
    let times = gathering::check_times(&b.starts_at, &b.ends_at, earliest);
    let offer_id = b
        .offer_id
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_string);
    let mut place = b.place.clone().unwrap_or_default();
    if let Some(o) = &offer_id {
        match offer_venue(state, o).await? {
            Some((v, _)) => {
                let keep = |mine: Option<String>, theirs: Option<String>| {
                    mine.filter(|m| !m.trim().is_empty()).or(theirs)
                };
                place.venue = keep(place.venue, v.name);
                place.address = keep(place.address, v.address);
                place.postcode = keep(place.postcode, v.postcode);
            }
            None => problems.push(FieldError::new(
                "offer_id",
                ErrorCode::OfferUnknown,
                "Choose an offer in the directory that says where it is, or write the address.",
            )),
        }
    }
    let venue = optional("venue", place.venue.as_deref(), "the venue", &mut problems);
    let address = optional(
        "address",
        place.address.as_deref(),
        "the address",
        &mut problems,
    );
    let postcode = match place
        .postcode
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(p) => match village_domain::directory::geo::Postcode::parse(p) {
            Ok(p) => Some(p.to_string()),
            Err(words) => {
                problems.push(FieldError::new(
                    "postcode",
                    ErrorCode::PostcodeInvalid,
                    words,
                ));
                None
            }
        },
    };
    let online_url = gathering::check_online_url(b.online_url.as_deref().unwrap_or(""))
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    if venue.is_none() && address.is_none() && online_url.is_none() {
        problems.push(FieldError::new(
            "address",
            ErrorCode::Missing,
            "Say where it is: a venue and its address, or a joining link for online, or both.",
        ));
    }
    let for_whom = optional(
        "for_whom",
        b.for_whom.as_deref(),
        "who it is for",
        &mut problems,
    );
    let cost = optional("cost", b.cost.as_deref(), "what it costs", &mut problems);
    let places = gathering::check_places(b.capacity, b.reserved_places);
    let access = gathering::parse_codes("access", &b.access, AccessFact::parse);
    let rooms = village_domain::gatherings::open_space::check_rooms(&b.rooms)
        .map_err(|e| problems.push(e))
        .ok();
    let session_minutes =
        village_domain::gatherings::open_space::check_session_minutes(b.session_minutes)
            .map_err(|e| problems.push(e))
            .ok();
    let organization_id = b
        .organization_id
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string);
    let group_kept = before.is_some_and(|r| r.organization_id == organization_id);
    if let Some(g) = organization_id.as_ref().filter(|_| !group_kept) {
        let mut c = state.store.conn().await?;
        if crate::safeguarding::group_name(state, g).await?.is_none() {
            problems.push(FieldError::new(
                "organization_id",
                ErrorCode::GroupUnknown,
                "Choose a group from the directory.",
            ));
        } else if !village_store::directory::is_organiser(&mut c, g, who.user.id).await? {
            problems.push(FieldError::new(
                "organization_id",
                ErrorCode::GroupUnknown,
                "You can name a group you organise. Ask one of its organisers to make this gathering with you.",
            ));
        }
    }
    for r in [&title, &about] {
        if let Err(e) = r {
            problems.push(e.clone());
        }
    }
    let times = times.map_err(|p| problems.extend(p)).ok();
    let series = times.and_then(|(starts_at, _)| {
        village_domain::gatherings::series::check(
            b.repeats.as_deref(),
            b.repeat_until.as_deref(),
            &b.skip,
            starts_at,
        )
        .map_err(|p| problems.extend(p))
        .ok()
    });
    if b.open_space
        && series
            .as_ref()
            .is_some_and(|s| s.repeats != gathering::Repeats::Once)
    {
        problems.push(FieldError::new(
            "repeats",
            ErrorCode::Invalid,
            "An open space happens once. To hold another, make a new gathering.",
        ));
    }
    let places = places.map_err(|p| problems.extend(p)).ok();
    let access = access.map_err(|p| problems.push(p)).ok();
    match (
        title,
        about,
        times,
        places,
        access,
        (rooms, session_minutes, series),
    ) {
        (
            Ok(title),
            Ok(about),
            Some((starts_at, ends_at)),
            Some((capacity, reserved)),
            Some(access),
            (Some(rooms), Some(session_minutes), Some(series)),
        ) if problems.is_empty() => Ok(Checked {
            title,
            about,
            for_whom: for_whom.unwrap_or_default(),
            starts_at,
            ends_at,
            venue,
            address,
            postcode,
            online_url,
            capacity,
            reserved_places: reserved,
            access: access
                .iter()
                .map(|a| a.code())
                .collect::<Vec<_>>()
                .join(","),
            cost: cost.unwrap_or_default(),
            organization_id,
            open_space: b.open_space,
            rooms: rooms.join("\n"),
            session_minutes,
            repeat_until: series.until.map(|d| d.format("%Y-%m-%d").to_string()),
            skipped: series.skipped_text(),
            last_ends_at: village_domain::gatherings::series::last_end(starts_at, ends_at, &series),
            series,
            offer_id,
        }),
        _ => Err(Error::Fields(problems)),
    }
}

/// Where an offer in the directory happens, to hold a gathering there: its place, and what
/// the directory says the place has. `None` when there is no such published offer or its
/// record names no place.
pub async fn offer_venue(
    state: &App,
    offer_id: &str,
) -> Result<Option<(village_domain::directory::oruk::Venue, Vec<AccessFact>)>> {
    let doc = match crate::directory::records::service(state, offer_id).await {
        Ok(doc) => doc,
        Err(Error::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let Ok(record) = serde_json::from_str::<serde_json::Value>(&doc) else {
        return Ok(None);
    };
    let Some(venue) = village_domain::directory::oruk::venue(&record) else {
        return Ok(None);
    };
    let access = village_domain::directory::oruk::read_service(&record)
        .map(|(index, _)| {
            index
                .taxonomy_term_ids
                .iter()
                .filter_map(|t| village_domain::directory::taxonomy::Access::from_term_id(t))
                .filter_map(AccessFact::from_directory)
                .collect()
        })
        .unwrap_or_default();
    Ok(Some((venue, access)))
}

/// Check a gathering's description without making it (a form with problems of its own, so
/// every problem is named at once).
pub async fn validate(state: &App, who: &Identity, b: &GatheringBody, t: i64) -> Result<()> {
    check(state, who, b, t, None).await.map(|_| ())
}

/// Check a change to a gathering without making it (as `validate`), for its organisers.
pub async fn validate_change(
    state: &App,
    who: &Identity,
    id: i64,
    b: &GatheringBody,
    t: i64,
) -> Result<()> {
    let row = to_change(state, who, id, t).await?;
    check(state, who, b, t, Some(&row)).await.map(|_| ())
}

/// The groups someone organises in the directory (id, name), to run a gathering as; with
/// `keep`, the group a gathering being changed is run by, named by another of its organisers.
pub async fn groups_organised(
    state: &App,
    who: &Identity,
    keep: Option<&str>,
) -> Result<Vec<(String, String)>> {
    let mut ids = {
        let mut c = state.store.conn().await?;
        village_store::directory::organised_by(&mut c, who.user.id).await?
    };
    if let Some(k) = keep.filter(|k| !ids.iter().any(|i| i == k)) {
        ids.push(k.to_string());
    }
    let mut out = Vec::new();
    for id in ids {
        if let Some(name) = crate::safeguarding::group_name(state, &id).await? {
            out.push((id, name));
        }
    }
    Ok(out)
}

/// A gathering as it stands, for one of its organisers to change: 409 once it has happened
/// or was cancelled.
pub async fn to_change(state: &App, who: &Identity, id: i64, t: i64) -> Result<GatheringRow> {
    let (row, _) = organised(state, who, id).await?;
    if !matches!(
        gathering::state_at(row.state, row.last_ends_at, t),
        State::Draft | State::Published
    ) {
        return conflict(
            ErrorCode::NotAllowedNow,
            "This gathering has happened or was cancelled, so it cannot change now.",
        );
    }
    Ok(row)
}

/// Make a draft gathering: whoever makes it organises it. Nobody else sees it until it is
/// published (the people asked to chair it do).
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn create(state: &App, who: &Identity, b: &GatheringBody, t: i64) -> Result<i64> {
    let checked = check(state, who, b, t, None).await?;
    let mut tx = state.store.begin().await?;
    let id = store::create(&mut tx, &checked.new_gathering(), who.user.id, t).await?;
    tx.commit().await?;
    Ok(id)
}

/// Change a gathering's description (its organisers, before it has happened). A change of
/// time or place raises its calendar `SEQUENCE`, and everyone with a place is told.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn update(state: &App, who: &Identity, id: i64, b: &GatheringBody, t: i64) -> Result<()> {
    let row = to_change(state, who, id, t).await?;
    let checked = check(state, who, b, t, Some(&row)).await?;
    let mut tx = state.store.begin().await?;
    // Held, and looked at again: cancelled in the meantime, it stays as it was.
    let row = store::lock(&mut tx, id).await?.ok_or(not_found())?;
    if row.state == State::Cancelled {
        return conflict(
            ErrorCode::NotAllowedNow,
            "This gathering was cancelled, so it cannot change now.",
        );
    }
    store::update(&mut tx, id, &checked.new_gathering(), t).await?;
    let after = store::gathering(&mut tx, id).await?.ok_or(not_found())?;
    // More places (or fewer kept): the people waiting are offered them now.
    places::settle_locked(&mut tx, &after, t).await?;
    if after.sequence != row.sequence && row.state == State::Published {
        for s in village_store::gatherings::places::sign_ups(&mut tx, id).await? {
            village_store::connections::notify(
                &mut tx,
                s.user_id,
                &format!(
                    "\"{}\" has changed: please check when and where.",
                    after.title
                ),
                &link(id),
                t,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub(crate) fn not_found() -> Error {
    Error::NotFound("gathering")
}

/// The page of a gathering.
pub fn link(id: i64) -> String {
    format!("/gatherings/{id}")
}

/// How `who` stands to a gathering.
pub(crate) async fn standing_of(
    db: &mut impl village_store::Db,
    who: Option<&Identity>,
    row: &GatheringRow,
) -> Result<Standing> {
    let Some(w) = who else {
        return Ok(Standing::default());
    };
    let uid = w.user.id;
    let mut organiser = store::is_organiser(db, row.id, uid).await?;
    if !organiser {
        if let Some(g) = &row.organization_id {
            organiser = village_store::directory::is_organiser(db, g, uid).await?;
        }
    }
    let chairs = store::chairs(db, row.id).await?;
    let mine = chairs.iter().find(|c| c.user_id == uid);
    let place = village_store::gatherings::places::sign_up_of(db, row.id, uid).await?;
    Ok(Standing {
        organiser,
        chair: mine.is_some_and(|c| c.state == "accepted"),
        invited_to_chair: mine.is_some_and(|c| c.state == "invited"),
        going: place.is_some_and(|p| p.place == Place::Going),
        steward: matches!(
            w.user.role(),
            village_domain::accounts::Role::Steward | village_domain::accounts::Role::HubAdmin
        ),
    })
}

/// A gathering that `who` organises, or 404 (a draft they may not see) / 403.
pub(crate) async fn organised(
    state: &App,
    who: &Identity,
    id: i64,
) -> Result<(GatheringRow, Standing)> {
    let mut c = state.store.conn().await?;
    let row = store::gathering(&mut c, id).await?.ok_or(not_found())?;
    let standing = standing_of(&mut c, Some(who), &row).await?;
    if !rules::may_organise(standing) {
        if row.published_at.is_none() && !rules::may_see_draft(standing) {
            return Err(not_found());
        }
        return Err(Error::Forbidden);
    }
    Ok((row, standing))
}

/// A gathering as one person sees it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub row: GatheringRow,
    /// Its state now (a published gathering whose end has passed has ended).
    pub state: State,
    pub standing: Standing,
    /// The chairs who agreed to be named.
    pub named_chairs: Vec<String>,
    /// Everyone asked to chair, for its organisers.
    pub chairs: Vec<ChairRow>,
    /// The members who run it (id, name), for its organisers.
    pub organisers: Vec<(i64, String)>,
    /// At least one chair with lived experience agreed.
    pub chaired_by_lived_experience: bool,
    pub going: i64,
    pub waiting: i64,
    /// The viewer's own place, if they signed up.
    pub mine: Option<SignUpRow>,
    /// The joining link, for people who may see it.
    pub online_url: Option<String>,
    pub access: Vec<AccessFact>,
    /// The group that runs it, by its name in the directory.
    pub group_name: Option<String>,
}

impl Seen {
    /// Places left (none when there is no limit).
    pub fn places_left(&self) -> Option<i64> {
        self.row.capacity.map(|c| (c - self.going).max(0))
    }
}

/// How many chairs who agreed have declared lived experience.
pub(crate) fn lived_chairs(chairs: &[ChairRow]) -> usize {
    chairs
        .iter()
        .filter(|c| c.state == "accepted" && c.lived_declared)
        .count()
}

/// One gathering, for whoever may see it: one never published (a draft, or a draft
/// cancelled) only for its organisers and the people asked to chair it (404 for anyone else).
#[tracing::instrument(skip_all)]
pub async fn gathering(state: &App, who: Option<&Identity>, id: i64, t: i64) -> Result<Seen> {
    let mut c = state.store.conn().await?;
    let row = store::gathering(&mut c, id).await?.ok_or(not_found())?;
    let standing = standing_of(&mut c, who, &row).await?;
    if row.published_at.is_none() && !rules::may_see_draft(standing) {
        return Err(not_found());
    }
    let chairs = store::chairs(&mut c, id).await?;
    let (going, waiting) = village_store::gatherings::places::counts(&mut c, id).await?;
    let organisers = if rules::may_organise(standing) {
        store::organisers_named(&mut c, id).await?
    } else {
        Vec::new()
    };
    let mine = match who {
        Some(w) => village_store::gatherings::places::sign_up_of(&mut c, id, w.user.id).await?,
        None => None,
    };
    drop(c);
    let group_name = match &row.organization_id {
        Some(g) => crate::safeguarding::group_name(state, g).await?,
        None => None,
    };
    Ok(Seen {
        state: gathering::state_at(row.state, row.last_ends_at, t),
        standing,
        named_chairs: chairs
            .iter()
            .filter(|c| c.state == "accepted" && c.named)
            .map(|c| c.display_name.clone())
            .collect(),
        chaired_by_lived_experience: lived_chairs(&chairs) > 0,
        chairs: if rules::may_organise(standing) {
            chairs
        } else {
            Vec::new()
        },
        organisers,
        going,
        waiting,
        mine,
        online_url: row
            .online_url
            .clone()
            .filter(|_| rules::may_see_joining_link(standing)),
        access: row
            .access
            .split(',')
            .filter_map(AccessFact::parse)
            .collect(),
        group_name,
        row,
    })
}

/// The next time it happens that has not ended by `t` (start, end), if any.
pub fn next_time(row: &GatheringRow, t: i64) -> Option<(i64, i64)> {
    village_domain::gatherings::series::occurrences(row.starts_at, row.ends_at, &row.series(), 400)
        .into_iter()
        .find(|(_, end)| *end > t)
}

/// Up to `n` times it happens that have not ended by `t`.
pub fn times_ahead(row: &GatheringRow, t: i64, n: usize) -> Vec<(i64, i64)> {
    village_domain::gatherings::series::occurrences(row.starts_at, row.ends_at, &row.series(), 400)
        .into_iter()
        .filter(|(_, end)| *end > t)
        .take(n)
        .collect()
}

/// What to list: gatherings ending after `from` and starting before `to` (timestamps),
/// and only one group's.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub group: Option<String>,
}

/// The most gatherings one list holds.
pub const LIST_MAX: i64 = 500;

/// Published gatherings (and cancelled ones still to come, so people see they are off),
/// soonest first: from now, unless `from` says otherwise.
pub async fn list(state: &App, l: &Listing, t: i64) -> Result<Vec<GatheringRow>> {
    let mut c = state.store.conn().await?;
    let from = l.from.unwrap_or(t);
    let to = l.to.unwrap_or(i64::MAX / 2);
    Ok(store::listed(&mut c, from, to, l.group.as_deref(), LIST_MAX).await?)
}

/// The gatherings someone organises, chairs or is asked to chair, drafts too.
pub async fn mine(state: &App, who: &Identity) -> Result<Vec<GatheringRow>> {
    let mut c = state.store.conn().await?;
    Ok(store::of_member(&mut c, who.user.id, LIST_MAX).await?)
}

/// Publish a draft: refused with `chair_needed` until a chair with lived experience has
/// agreed.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn publish(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    organised(state, who, id).await?;
    let mut tx = state.store.begin().await?;
    let row = store::lock(&mut tx, id).await?.ok_or(not_found())?;
    let chairs = store::chairs(&mut tx, id).await?;
    let next = match gathering::publish(row.state, lived_chairs(&chairs)) {
        Ok(s) => s,
        Err(ErrorCode::ChairNeeded) => {
            return conflict(ErrorCode::ChairNeeded, gathering::CHAIR_RULE)
        }
        Err(code) => return conflict(code, "Only a gathering not yet published can be published."),
    };
    store::set_state(&mut tx, id, next, t).await?;
    tx.commit().await?;
    Ok(())
}

/// Cancel a gathering still to come: everyone who signed up is told; what they said would
/// help them is deleted after the hub's days, counted from now.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn cancel(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    organised(state, who, id).await?;
    let mut tx = state.store.begin().await?;
    let row = store::lock(&mut tx, id).await?.ok_or(not_found())?;
    let next =
        gathering::cancel(gathering::state_at(row.state, row.last_ends_at, t)).or_else(|code| {
            conflict(
                code,
                "This gathering has already happened or was cancelled.",
            )
        })?;
    store::set_state(&mut tx, id, next, t).await?;
    for s in village_store::gatherings::places::sign_ups(&mut tx, id).await? {
        village_store::connections::notify(
            &mut tx,
            s.user_id,
            &format!(
                "\"{}\" on {} is cancelled.",
                row.title,
                village_domain::dates::when(row.starts_at)
            ),
            &link(id),
            t,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
