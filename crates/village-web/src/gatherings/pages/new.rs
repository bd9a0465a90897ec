//! Making a gathering (`/gatherings/new`), with "Check my words" on what it is for: every
//! answer kept when something needs changing.

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
        let mut at = |field: &'static str, time: &str, what: &str| {
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
        let starts_at = at("starts_at", &self.starts_at, "starts");
        let ends_at = at("ends_at", &self.ends_at, "ends");
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
        };
        (body, errors)
    }
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
}

async fn new_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    form: GatheringForm,
    errors: Errors,
    checked: Option<CheckShown>,
) -> Result<NewPage, Error> {
    Ok(NewPage {
        layout: Layout::new(
            state,
            Some(identity),
            csrf,
            "/gatherings",
            "Make a gathering",
        ),
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
        groups: gatherings::groups_organised(state, identity).await?,
        form,
        checked,
    })
}

pub(crate) async fn view_new(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let page = new_page(
        &state,
        &identity,
        &csrf,
        GatheringForm::default(),
        Errors::none(),
        None,
    )
    .await?;
    Ok(pages::page(&page))
}

pub(crate) async fn view_create(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(f): PageForm<GatheringForm>,
) -> PageResult {
    if f.check.is_some() {
        let parts = [("title", f.title.as_str()), ("about", f.about.as_str())];
        let (errors, checked) = match village_app::stories::check_parts(&state, &parts) {
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
        let page = new_page(&state, &identity, &csrf, f, errors, checked).await?;
        return Ok(pages::render(status, &page));
    }
    let (body, mut errors) = f.body();
    let t = now();
    let made = if errors.is_empty() {
        gatherings::create(&state, &identity, &body, t)
            .await
            .map(Some)
    } else {
        gatherings::validate(&state, &identity, &body, t)
            .await
            .map(|_| None)
    };
    match made {
        Ok(Some(id)) => Ok(Redirect::to(&format!("/gatherings/{id}?done=made")).into_response()),
        Ok(None) => {
            let page = new_page(&state, &identity, &csrf, f, errors, None).await?;
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
            let page = new_page(&state, &identity, &csrf, f, errors, None).await?;
            Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
