//! Suggesting a new offer, or a change to one.

pub(crate) use super::*;

// ---- Suggest a new offer --------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct NewOfferFields {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) group: String,
    #[serde(default)]
    pub(super) category: String,
    #[serde(default)]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) day: String,
    #[serde(default)]
    pub(super) opens: String,
    #[serde(default)]
    pub(super) closes: String,
    #[serde(default)]
    pub(super) venue: String,
    #[serde(default)]
    pub(super) address: String,
    #[serde(default)]
    pub(super) postcode: String,
    #[serde(default)]
    pub(super) free: String,
    #[serde(default)]
    pub(super) cost: String,
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) lived_led: String,
    #[serde(default)]
    pub(super) communities: Vec<String>,
    #[serde(default)]
    pub(super) access: Vec<String>,
    #[serde(default)]
    pub(super) space: String,
    #[serde(default)]
    pub(super) why: String,
}

#[derive(Template)]
#[template(path = "directory/suggest.html")]
pub(super) struct SuggestPage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) f: NewOfferFields,
    pub(super) categories: Vec<(&'static str, &'static str, bool)>,
    pub(super) kinds: Vec<(&'static str, &'static str, bool)>,
    pub(super) days: Vec<(&'static str, &'static str, bool)>,
    pub(super) communities: Vec<(&'static str, &'static str, bool)>,
    pub(super) access: Vec<(&'static str, &'static str, bool)>,
    pub(super) spaces: Vec<(&'static str, &'static str, bool)>,
}

pub(super) fn suggest_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    f: NewOfferFields,
    errors: Errors,
) -> SuggestPage {
    SuggestPage {
        layout: Layout::new(
            state,
            Some(identity),
            csrf,
            "/directory",
            "Suggest an offer",
        ),
        errors,
        categories: CATEGORIES
            .iter()
            .map(|c| (c.code, c.name, c.code == f.category))
            .collect(),
        kinds: GroupKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(), k.code() == f.kind))
            .collect(),
        days: Weekday::ALL
            .iter()
            .map(|d| (d.code(), d.name(), d.code() == f.day))
            .collect(),
        communities: Community::ALL
            .iter()
            .map(|c| {
                (
                    c.code(),
                    c.label(),
                    f.communities.iter().any(|x| x == c.code()),
                )
            })
            .collect(),
        access: Access::ALL
            .iter()
            .map(|a| (a.code(), a.label(), f.access.iter().any(|x| x == a.code())))
            .collect(),
        spaces: SPACE_CHOICES
            .into_iter()
            .map(|(code, label)| (code, label, f.space == code))
            .collect(),
        f,
    }
}

pub(crate) async fn view_suggest_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&suggest_page(
        &state,
        &identity,
        &csrf,
        NewOfferFields::default(),
        Errors::none(),
    ))
}

pub(crate) async fn view_suggest_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(f): PageForm<NewOfferFields>,
) -> PageResult {
    let form = f.form();
    match editing::suggest_offer(&state, &identity, &form, &f.why, &ip, now()).await {
        Ok(_) => Ok(Redirect::to("/directory/suggestions?done=suggested").into_response()),
        Err(e) => {
            let errors = errors_from(e)?;
            Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &suggest_page(&state, &identity, &csrf, f, errors),
            ))
        }
    }
}

impl NewOfferFields {
    /// The new offer as the domain takes it.
    fn form(&self) -> NewOfferForm {
        let f = self;
        NewOfferForm {
            name: f.name.clone(),
            description: f.description.clone(),
            group: f.group.clone(),
            category: f.category.clone(),
            kind: f.kind.clone(),
            day: f.day.clone(),
            opens: f.opens.clone(),
            closes: f.closes.clone(),
            venue: f.venue.clone(),
            address: f.address.clone(),
            postcode: f.postcode.clone(),
            free: f.free.clone(),
            cost: f.cost.clone(),
            email: f.email.clone(),
            lived_led: !f.lived_led.is_empty(),
            communities: f.communities.clone(),
            access: f.access.clone(),
            space: f.space.clone(),
        }
    }
}

/// For the fuzzers (`village_web::fuzzing::forms`): a form body as the pages suggesting a new
/// offer and a change to one read it (the same decoder as [`PageForm`]), made into a new
/// offer's record and applied to one, as those pages do before anything is kept.
pub(crate) fn fuzz_offer_forms(body: &[u8]) {
    let ids = || (0u32..).map(|i| format!("00000000-0000-4000-8000-{i:012}"));
    let now = "2026-12-05T10:00:00Z";
    if let Ok(f) = serde_html_form::from_bytes::<NewOfferFields>(body) {
        let new = village_domain::directory::offer::new_offer(&f.form(), &mut ids(), None, now);
        if let Ok(record) = new {
            if let Ok(f) = serde_html_form::from_bytes::<ChangeFields>(body) {
                let change = f.change();
                let _ = village_domain::directory::offer::apply_change(
                    &record,
                    &change,
                    &mut ids(),
                    now,
                );
            }
            let _ = ChangeFields::from_record(&record);
        }
    }
}

/// The answers to "can new people join now?".
pub(super) const SPACE_CHOICES: [(&str, &str); 3] = [
    ("", "Not saying"),
    ("has_space", "Has space now"),
    ("waiting_list", "Waiting list"),
];

// ---- Suggest a change -------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ChangeFields {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) url: String,
    #[serde(default)]
    pub(super) why: String,
    /// `has_space`, `waiting_list`, or empty.
    #[serde(default)]
    pub(super) space: String,
    #[serde(default)]
    pub(super) communities: Vec<String>,
    #[serde(default)]
    pub(super) access: Vec<String>,
    /// The time lines, one value per line in each list (the form repeats the four fields).
    #[serde(default)]
    pub(super) day: Vec<String>,
    #[serde(default)]
    pub(super) week: Vec<String>,
    #[serde(default)]
    pub(super) opens: Vec<String>,
    #[serde(default)]
    pub(super) closes: Vec<String>,
    /// `yes`, `no`, or empty for not saying. Left out (a form without the question): kept.
    #[serde(default)]
    pub(super) free: Option<String>,
    #[serde(default)]
    pub(super) cost: Option<String>,
    /// Where it happens. Left out (a form without the questions): kept.
    #[serde(default)]
    pub(super) venue: Option<String>,
    #[serde(default)]
    pub(super) address: Option<String>,
    #[serde(default)]
    pub(super) postcode: Option<String>,
}

/// Empty time lines the change form offers beside the ones an offer has.
pub(super) const SPARE_TIMES: usize = 2;

/// One line of "When does it happen?" on the change form.
pub struct TimeRow {
    pub(super) number: usize,
    pub(super) ids: [&'static str; 4],
    pub(super) line: TimeLine,
}

#[derive(Template)]
#[template(path = "directory/change.html")]
pub(super) struct ChangePage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) id: String,
    pub(super) current_name: String,
    pub(super) f: ChangeFields,
    /// An organiser's or steward's direct edit, rather than a suggestion.
    pub(super) direct: bool,
    /// (code, label, checked) for the checkboxes and radios.
    pub(super) communities: Vec<(&'static str, &'static str, bool)>,
    pub(super) access: Vec<(&'static str, &'static str, bool)>,
    pub(super) spaces: Vec<(&'static str, &'static str, bool)>,
    pub(super) times: Vec<TimeRow>,
    pub(super) days: Vec<(&'static str, &'static str)>,
    pub(super) weeks: [(&'static str, &'static str); 6],
    pub(super) frees: Vec<(&'static str, &'static str, bool)>,
}

impl ChangeFields {
    /// The time lines as typed (blank ones included, so problems keep their line numbers).
    fn time_lines(&self) -> Vec<TimeLine> {
        let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        (0..self.day.len())
            .map(|i| TimeLine {
                day: at(&self.day, i),
                week: at(&self.week, i),
                opens: at(&self.opens, i),
                closes: at(&self.closes, i),
            })
            .collect()
    }

    /// The form as it starts: what the offer says now.
    pub(super) fn from_record(current: &Value) -> Self {
        let terms: Vec<&str> = current
            .get("attributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(attribute_term)
            .collect();
        // More times than the form has lines for are not shown, and so kept as they are.
        let lines = Some(time_lines(current)).filter(|l| l.len() <= MAX_TIMES);
        let cost = cost_line(current);
        let place = place_line(current);
        let column = |part: fn(&TimeLine) -> &String| -> Vec<String> {
            let Some(lines) = &lines else {
                return Vec::new();
            };
            lines
                .iter()
                .map(|l| part(l).clone())
                .chain(std::iter::repeat_n(String::new(), SPARE_TIMES))
                .take(MAX_TIMES)
                .collect()
        };
        Self {
            name: text(current, "name"),
            description: text(current, "description"),
            email: text(current, "email"),
            url: text(current, "url"),
            why: String::new(),
            day: column(|l| &l.day),
            week: column(|l| &l.week),
            opens: column(|l| &l.opens),
            closes: column(|l| &l.closes),
            free: Some(cost.free),
            cost: Some(cost.description),
            venue: Some(place.venue),
            address: Some(place.address),
            postcode: Some(place.postcode),
            space: Space::ALL
                .iter()
                .find(|sp| terms.contains(&sp.term_id()))
                .map(|sp| sp.code().to_string())
                .unwrap_or_default(),
            communities: Community::ALL
                .iter()
                .filter(|c| terms.contains(&c.term_id()))
                .map(|c| c.code().to_string())
                .collect(),
            access: Access::ALL
                .iter()
                .filter(|a| terms.contains(&a.term_id()))
                .map(|a| a.code().to_string())
                .collect(),
        }
    }

    /// The change as the domain takes it: the page always shows every part, so every part
    /// is said (an unticked box means "not this").
    pub(super) fn change(&self) -> ChangeForm {
        ChangeForm {
            name: self.name.clone(),
            description: self.description.clone(),
            email: self.email.clone(),
            url: self.url.clone(),
            space: Some(self.space.clone()),
            communities: Some(self.communities.clone()),
            access: Some(self.access.clone()),
            // A form without the times or the cost (an older page) keeps them; the page
            // always sends every line, blank ones too.
            times: (!self.day.is_empty()).then(|| self.time_lines()),
            cost: (self.free.is_some() || self.cost.is_some()).then(|| CostLine {
                free: self.free.clone().unwrap_or_default(),
                description: self.cost.clone().unwrap_or_default(),
            }),
            place: (self.venue.is_some() || self.address.is_some() || self.postcode.is_some())
                .then(|| PlaceLine {
                    venue: self.venue.clone().unwrap_or_default(),
                    address: self.address.clone().unwrap_or_default(),
                    postcode: self.postcode.clone().unwrap_or_default(),
                }),
            place_centre: None,
        }
    }
}

/// Whether it is free, as the change form asks.
pub(super) const FREE_CHOICES: [(&str, &str); 3] = [
    ("yes", "Yes, it is free"),
    ("no", "No, it costs something"),
    ("", "Not saying"),
];

/// The change form, for a member's suggestion or (`direct`) an organiser's edit.
pub(super) fn change_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    current: &Value,
    f: ChangeFields,
    errors: Errors,
    direct: bool,
) -> ChangePage {
    let title = if direct {
        "Edit this offer"
    } else {
        "Suggest a change"
    };
    let ticked = |list: &[String], code: &str| list.iter().any(|c| c == code);
    ChangePage {
        layout: Layout::new(state, Some(identity), csrf, "/directory", title),
        errors,
        current_name: text(current, "name"),
        id: text(current, "id"),
        communities: Community::ALL
            .iter()
            .map(|c| (c.code(), c.label(), ticked(&f.communities, c.code())))
            .collect(),
        access: Access::ALL
            .iter()
            .map(|a| (a.code(), a.label(), ticked(&f.access, a.code())))
            .collect(),
        spaces: SPACE_CHOICES
            .into_iter()
            .map(|(code, label)| (code, label, f.space == code))
            .collect(),
        times: f
            .time_lines()
            .into_iter()
            .zip(TIME_FIELDS)
            .enumerate()
            .map(|(i, (line, ids))| TimeRow {
                number: i + 1,
                ids,
                line,
            })
            .collect(),
        days: Weekday::ALL.iter().map(|d| (d.code(), d.name())).collect(),
        weeks: WEEKS,
        frees: FREE_CHOICES
            .into_iter()
            .map(|(code, label)| (code, label, f.free.as_deref().unwrap_or("") == code))
            .collect(),
        f,
        direct,
    }
}

pub(super) fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

pub(crate) async fn view_change_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let current = editing::offer(&state, &id).await?;
    let f = ChangeFields::from_record(&current);
    Ok(pages::page(&change_page(
        &state,
        &identity,
        &csrf,
        &current,
        f,
        Errors::none(),
        false,
    )))
}

pub(crate) async fn view_change_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<String>,
    PageForm(f): PageForm<ChangeFields>,
) -> PageResult {
    let result =
        editing::suggest_change(&state, &identity, &id, f.change(), &f.why, &ip, now()).await;
    match result {
        Ok(_) => Ok(Redirect::to("/directory/suggestions?done=suggested").into_response()),
        Err(e) => {
            let errors = errors_from(e)?;
            let current = editing::offer(&state, &id).await?;
            Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &change_page(&state, &identity, &csrf, &current, f, errors, false),
            ))
        }
    }
}
