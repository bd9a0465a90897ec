//! Making a gathering (`/gatherings/new`) and changing one (`/gatherings/{id}/edit`, its
//! organisers), with "Check my words" on what it is for: every answer kept when something
//! needs changing.

use super::*;
use crate::stories::pages::CheckShown;
use village_app::gatherings::{GatheringBody, VenueBody};
use village_domain::directory::schedule::TimeOfDay;
use village_domain::gatherings::gathering::AccessFact;

/// What the form holds, to show again.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct GatheringForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    about: String,
    #[serde(default)]
    for_whom: String,
    /// The day, as a date field sends it or as typed ("10 December 2026").
    #[serde(default)]
    day: String,
    /// The day it ends, when it goes on past the day it starts.
    #[serde(default)]
    end_day: String,
    /// The start and end, as times ("14:00").
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    online_url: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    reserved_places: String,
    #[serde(default)]
    access: Vec<String>,
    #[serde(default)]
    cost: String,
    #[serde(default)]
    organization_id: String,
    open_space: Option<String>,
    /// `once`, `weekly` or `monthly`.
    #[serde(default)]
    repeats: String,
    /// The last day of a series, as typed or as a date field sends it.
    #[serde(default)]
    repeat_until: String,
    /// Days a series skips, one per line.
    #[serde(default)]
    skip: String,
    /// Open space: the rooms, one per line.
    #[serde(default)]
    rooms: String,
    /// Open space: how long sessions last, in minutes.
    #[serde(default)]
    session_minutes: String,
    /// At the place of this offer in the directory (its id).
    #[serde(default)]
    offer_id: String,
    /// "Check my words" was pressed rather than "Save".
    check: Option<String>,
}

/// A number as typed: nothing is none; anything else that is not a number is named.
fn number(field: &'static str, text: &str, errors: &mut Errors) -> Option<i64> {
    let t = text.trim().replace(',', "");
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(field, "Write a number, like 20, or leave it empty.");
            None
        }
    }
}

impl GatheringForm {
    /// The gathering as the app takes it, with any problem the form itself finds.
    fn body(&self) -> (GatheringBody, Errors) {
        let mut errors = Errors::none();
        let day = match self.day.trim() {
            "" => {
                errors.add("day", "Say which day it is.");
                String::new()
            }
            d => match dates::parse_day(d) {
                Some(d) => d.to_string(),
                None => {
                    errors.add("day", "Write the day like 10 December 2026.");
                    String::new()
                }
            },
        };
        let end_day = match self.end_day.trim() {
            "" => day.clone(),
            d => match dates::parse_day(d) {
                Some(d) if !day.is_empty() => d.to_string(),
                Some(_) => String::new(),
                None => {
                    errors.add("end_day", "Write the day like 11 December 2026.");
                    String::new()
                }
            },
        };
        let mut at = |field: &'static str, day: &str, time: &str, what: &str| {
            let t = time.trim();
            match TimeOfDay::parse(t) {
                Some(_) if !day.is_empty() => format!("{day}T{t}"),
                Some(_) => String::new(),
                None => {
                    errors.add(field, format!("Write the time it {what}, like 14:00."));
                    String::new()
                }
            }
        };
        let starts_at = at("starts_at", &day, &self.starts_at, "starts");
        let ends_at = at("ends_at", &end_day, &self.ends_at, "ends");
        let capacity = number("capacity", &self.capacity, &mut errors);
        let reserved = number("reserved_places", &self.reserved_places, &mut errors);
        let session_minutes = number("session_minutes", &self.session_minutes, &mut errors);
        let opt = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
        let body = GatheringBody {
            title: self.title.clone(),
            about: self.about.clone(),
            starts_at,
            ends_at,
            place: Some(VenueBody {
                venue: opt(&self.venue),
                address: opt(&self.address),
                postcode: opt(&self.postcode),
            }),
            online_url: opt(&self.online_url),
            for_whom: opt(&self.for_whom),
            capacity,
            reserved_places: reserved,
            access: self.access.clone(),
            cost: opt(&self.cost),
            organization_id: opt(&self.organization_id),
            open_space: self.open_space.is_some(),
            rooms: self.rooms.lines().map(str::to_string).collect(),
            session_minutes,
            repeats: opt(&self.repeats),
            repeat_until: opt(&self.repeat_until),
            skip: self.skip.lines().map(str::to_string).collect(),
            offer_id: opt(&self.offer_id),
        };
        (body, errors)
    }

    /// The form filled in from a gathering as it stands, to change it.
    fn from_row(row: &GatheringRow) -> GatheringForm {
        let clock = |ts| dates::london_clock(ts).unwrap_or_default();
        let (starts, ends) = (clock(row.starts_at), clock(row.ends_at));
        let series = row.series();
        GatheringForm {
            title: row.title.clone(),
            about: row.about.clone(),
            for_whom: row.for_whom.clone(),
            day: starts.format("%Y-%m-%d").to_string(),
            end_day: if ends.date() == starts.date() {
                String::new()
            } else {
                ends.format("%Y-%m-%d").to_string()
            },
            starts_at: starts.format("%H:%M").to_string(),
            ends_at: ends.format("%H:%M").to_string(),
            venue: row.venue.clone().unwrap_or_default(),
            address: row.address.clone().unwrap_or_default(),
            postcode: row.postcode.clone().unwrap_or_default(),
            online_url: row.online_url.clone().unwrap_or_default(),
            capacity: row.capacity.map(|c| c.to_string()).unwrap_or_default(),
            reserved_places: Some(row.reserved_places)
                .filter(|r| *r > 0)
                .map(|r| r.to_string())
                .unwrap_or_default(),
            access: row
                .access
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            cost: row.cost.clone(),
            organization_id: row.organization_id.clone().unwrap_or_default(),
            open_space: row.open_space.then(|| "yes".to_string()),
            repeats: series.repeats.code().to_string(),
            repeat_until: row.repeat_until.clone().unwrap_or_default(),
            skip: series
                .skipped
                .iter()
                .map(|d| d.format("%Y-%m-%d").to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            rooms: row.rooms.clone(),
            session_minutes: row.session_minutes.to_string(),
            offer_id: row.offer_id.clone().unwrap_or_default(),
            check: None,
        }
    }
}

/// Which form it is: making a gathering, or changing one (its id, and the group it is run
/// by now, kept in the list of groups).
#[derive(Debug, Clone)]
enum Making {
    New,
    Change(i64, Option<String>),
}

#[derive(Template)]
#[template(path = "gatherings/new.html")]
struct NewPage {
    layout: Layout,
    errors: Errors,
    form: GatheringForm,
    facts: Vec<(&'static str, &'static str, bool)>,
    /// The groups the person organises (id, name), to name one.
    groups: Vec<(String, String)>,
    checked: Option<CheckShown>,
    /// The place of the offer in the directory it is at, in words (empty when the directory
    /// no longer lists it).
    offer_place: String,
    /// Where the form goes (`/gatherings/new` or `/gatherings/{id}/edit`) and where "Back"
    /// goes.
    action: String,
    back: String,
    changing: bool,
}

async fn new_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    making: &Making,
    (form, errors, checked): (GatheringForm, Errors, Option<CheckShown>),
) -> Result<NewPage, Error> {
    let (title, action, back, keep) = match making {
        Making::New => (
            "Make a gathering".to_string(),
            "/gatherings/new".to_string(),
            "/gatherings".to_string(),
            None,
        ),
        Making::Change(id, keep) => (
            "Change the gathering".to_string(),
            format!("/gatherings/{id}/edit"),
            format!("/gatherings/{id}"),
            keep.as_deref(),
        ),
    };
    Ok(NewPage {
        layout: Layout::new(state, Some(identity), csrf, "/gatherings", title),
        errors,
        facts: AccessFact::ALL
            .iter()
            .map(|f| {
                (
                    f.code(),
                    f.words(),
                    form.access.iter().any(|a| a == f.code()),
                )
            })
            .collect(),
        groups: gatherings::groups_organised(state, identity, keep).await?,
        offer_place: match form.offer_id.trim() {
            "" => String::new(),
            o => gatherings::offer_venue(state, o)
                .await?
                .map(|(v, _)| {
                    [v.name, v.address, v.postcode]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        },
        form,
        checked,
        action,
        back,
        changing: matches!(making, Making::Change(..)),
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct NewParams {
    /// At the place of this offer in the directory ("Hold a gathering here").
    offer: Option<String>,
}

pub(crate) async fn view_new(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<NewParams>,
) -> PageResult {
    let mut form = GatheringForm::default();
    if let Some(o) = q.offer.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        if let Some((v, access)) = gatherings::offer_venue(&state, o).await? {
            form.offer_id = o.to_string();
            form.access = access.iter().map(|a| a.code().to_string()).collect();
            form.venue = v.name.unwrap_or_default();
            form.address = v.address.unwrap_or_default();
            form.postcode = v.postcode.unwrap_or_default();
        }
    }
    let blank = (form, Errors::none(), None);
    let page = new_page(&state, &identity, &csrf, &Making::New, blank).await?;
    Ok(pages::page(&page))
}

/// `/gatherings/{id}/edit`: the form filled in as it stands, for its organisers.
pub(crate) async fn view_edit(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let row = gatherings::to_change(&state, &identity, id, now()).await?;
    let making = Making::Change(id, row.organization_id.clone());
    let filled = (GatheringForm::from_row(&row), Errors::none(), None);
    let page = new_page(&state, &identity, &csrf, &making, filled).await?;
    Ok(pages::page(&page))
}

pub(crate) async fn view_update(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<GatheringForm>,
) -> PageResult {
    let row = gatherings::to_change(&state, &identity, id, now()).await?;
    let making = Making::Change(id, row.organization_id);
    save(&state, &identity, &csrf, &making, f).await
}

pub(crate) async fn view_create(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(f): PageForm<GatheringForm>,
) -> PageResult {
    save(&state, &identity, &csrf, &Making::New, f).await
}

/// Check the words, or make or change the gathering; the form again with every answer kept
/// when something needs changing.
async fn save(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    making: &Making,
    f: GatheringForm,
) -> PageResult {
    if f.check.is_some() {
        let parts = [("title", f.title.as_str()), ("about", f.about.as_str())];
        let (errors, checked) = match village_app::stories::check_parts(state, &parts) {
            Ok(found) => {
                let mut found = found.into_iter().map(|(_, flags)| flags);
                let mut next = || found.next().unwrap_or_default();
                let shown = CheckShown::new(
                    vec![
                        ("In the title", &f.title, next()),
                        ("In what it is for", &f.about, next()),
                    ],
                    Vec::new(),
                );
                (Errors::none(), Some(shown))
            }
            Err(e) => (field_errors(e)?, None),
        };
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let page = new_page(state, identity, csrf, making, (f, errors, checked)).await?;
        return Ok(pages::render(status, &page));
    }
    let (body, mut errors) = f.body();
    let t = now();
    let made = match (making, errors.is_empty()) {
        (Making::New, true) => gatherings::create(state, identity, &body, t)
            .await
            .map(|id| Some(format!("/gatherings/{id}?done=made"))),
        (Making::Change(id, _), true) => gatherings::update(state, identity, *id, &body, t)
            .await
            .map(|_| Some(format!("/gatherings/{id}?done=changed"))),
        (Making::New, false) => gatherings::validate(state, identity, &body, t)
            .await
            .map(|_| None),
        (Making::Change(id, _), false) => {
            gatherings::validate_change(state, identity, *id, &body, t)
                .await
                .map(|_| None)
        }
    };
    match made {
        Ok(Some(to)) => Ok(Redirect::to(&to).into_response()),
        Ok(None) => {
            let page = new_page(state, identity, csrf, making, (f, errors, None)).await?;
            Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => {
            let day_wrong = errors.for_field("day").is_some();
            let list = match e {
                Error::Field(p) => vec![p],
                Error::Fields(list) => list,
                e => return Err(e.into()),
            };
            // With the day not understood, the moments built from it cannot be either.
            for p in list {
                if !(day_wrong && p.code == village_domain::error::ErrorCode::MomentInvalid) {
                    errors.add_field_error(&p);
                }
            }
            let page = new_page(state, identity, csrf, making, (f, errors, None)).await?;
            Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
