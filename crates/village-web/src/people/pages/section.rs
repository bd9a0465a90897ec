//! Editing one section of a profile, and who can see it.

pub(crate) use super::*;

// ---- Editing a section ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "people/section.html")]
pub(super) struct SectionPage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) back: String,
    pub(super) action: String,
    pub(super) heading: &'static str,
    pub(super) hint: &'static str,
    pub(super) whose: String,
    pub(super) key: &'static str,
    pub(super) text_id: &'static str,
    pub(super) text: String,
    pub(super) is_year: bool,
    /// `(code, words, checked)`; empty when the editor may not change who sees it.
    pub(super) visibilities: Vec<(&'static str, &'static str, bool)>,
    pub(super) who_sees: &'static str,
    pub(super) categories: Vec<(&'static str, &'static str, &'static str, bool)>,
    pub(super) postcode: String,
    /// On the first steps after joining: (this step, how many, where "skip" goes).
    pub(super) step: Option<(usize, usize, String)>,
    /// How far they can travel, in the hub's unit.
    pub(super) max_km: String,
    /// The question for the distance, in the hub's unit.
    pub(super) distance_label: &'static str,
    pub(super) slots: Vec<(String, String, String)>,
    pub(super) days: Vec<(&'static str, &'static str)>,
    pub(super) access: Vec<(&'static str, &'static str, bool, bool)>,
}

pub(super) fn section_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    view: &ProfileView,
    shown: &Shown,
    (content, visibility): (&Content, Visibility),
    errors: Errors,
) -> SectionPage {
    let own = view.relationship == Relationship::Themself;
    let section = shown.section;
    let q = section.question();
    let base = if own {
        "/me/profile".to_string()
    } else {
        format!("/people/{}/profile", view.person_id)
    };
    let mut slots: Vec<(String, String, String)> = content
        .slots
        .iter()
        .map(|s| (s.day.clone(), s.from.clone(), s.to.clone()))
        .collect();
    for _ in 0..3 {
        slots.push((String::new(), String::new(), String::new()));
    }
    let unit = state.settings.hub.distances;
    SectionPage {
        step: None,
        layout: Layout::new(state, Some(identity), csrf, &base, q.heading),
        errors,
        back: if own {
            "/me/profile".into()
        } else {
            format!("/people/{}", view.person_id)
        },
        action: format!("{base}/{}", section.key()),
        heading: q.heading,
        hint: q.hint,
        whose: if own {
            String::new()
        } else {
            view.display_name.clone()
        },
        key: section.key(),
        text_id: section.text_field(),
        text: content.text.clone(),
        is_year: section == Section::BirthYear,
        visibilities: if own {
            Visibility::ALL
                .iter()
                .map(|v| (v.code(), v.words(), *v == visibility))
                .collect()
        } else {
            Vec::new()
        },
        who_sees: visibility.words(),
        categories: if section == Section::Interests {
            CATEGORIES
                .iter()
                .map(|c| {
                    (
                        c.id,
                        c.name,
                        c.description,
                        content.terms.iter().any(|t| t == c.id),
                    )
                })
                .collect()
        } else {
            Vec::new()
        },
        postcode: content.postcode.clone().unwrap_or_default(),
        max_km: content
            .max_km
            .map(|km| {
                let n = ((km / unit.km()) * 10.0).round() / 10.0;
                let text = format!("{n:.1}");
                text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
            })
            .unwrap_or_default(),
        distance_label: match unit {
            DistanceUnit::Miles => "How far can you get to, in miles? (optional)",
            DistanceUnit::Km => "How far can you get to, in kilometres? (optional)",
        },
        slots: if section == Section::Availability {
            slots
        } else {
            Vec::new()
        },
        days: Weekday::ALL.iter().map(|d| (d.code(), d.name())).collect(),
        access: if section == Section::AccessNeeds {
            Access::ALL
                .iter()
                .map(|a| {
                    (
                        a.code(),
                        a.label(),
                        content.needs.iter().any(|n| n == a.code()),
                        content.essential.iter().any(|n| n == a.code()),
                    )
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct SectionForm {
    #[serde(default)]
    pub(super) text: String,
    #[serde(default)]
    pub(super) visibility: Option<String>,
    #[serde(default)]
    pub(super) terms: Vec<String>,
    #[serde(default, rename = "travel.postcode")]
    pub(super) postcode: String,
    #[serde(default, rename = "travel.max_km")]
    pub(super) max_km: String,
    #[serde(default)]
    pub(super) slot_day: Vec<String>,
    #[serde(default)]
    pub(super) slot_from: Vec<String>,
    #[serde(default)]
    pub(super) slot_to: Vec<String>,
    #[serde(default)]
    pub(super) needs: Vec<String>,
    #[serde(default)]
    pub(super) essential: Vec<String>,
}

/// For the fuzzers (`village_web::fuzzing::forms`): a form body as a profile section's page
/// reads it, for every section, through the checks it meets before it is saved.
pub(crate) fn fuzz_section_form(body: &[u8]) {
    if let Ok(form) = serde_html_form::from_bytes::<SectionForm>(body) {
        for section in Section::ALL {
            let (content, _) = form.content(*section, DistanceUnit::Miles);
            let _ = village_domain::people::profile::check(*section, content, |_| true, 2026);
        }
    }
}

impl SectionForm {
    /// What was entered for `section`, and a problem with a number that could not be read
    /// (the rest is kept, to show the form again with everything as typed).
    fn content(
        &self,
        section: Section,
        unit: DistanceUnit,
    ) -> (Content, Option<village_domain::accounts::FieldError>) {
        let mut problem = None;
        let mut c = Content {
            text: self.text.clone(),
            ..Content::default()
        };
        match section {
            Section::Interests => c.terms = self.terms.clone(),
            Section::Travel => {
                c.postcode = Some(self.postcode.clone()).filter(|p| !p.trim().is_empty());
                let km = self.max_km.trim();
                if !km.is_empty() {
                    match km.parse::<f64>() {
                        // Typed in the hub's unit, kept in kilometres.
                        Ok(n) => c.max_km = Some(n * unit.km()),
                        Err(_) => {
                            problem = Some(village_domain::accounts::FieldError::new(
                                "travel.max_km",
                                ErrorCode::DistanceInvalid,
                                "Enter how far you can travel as a number, like 3.",
                            ))
                        }
                    }
                }
            }
            Section::Availability => {
                for (i, day) in self.slot_day.iter().enumerate() {
                    let from = self.slot_from.get(i).map(|s| s.trim()).unwrap_or("");
                    let to = self.slot_to.get(i).map(|s| s.trim()).unwrap_or("");
                    if day.trim().is_empty() && from.is_empty() && to.is_empty() {
                        continue;
                    }
                    c.slots.push(Slot {
                        day: day.clone(),
                        from: from.to_string(),
                        to: to.to_string(),
                    });
                }
            }
            Section::AccessNeeds => {
                c.needs = self.needs.clone();
                c.essential = self.essential.clone();
            }
            _ => {}
        }
        (c, problem)
    }
}

/// The first steps after joining: one question a page, each skippable, then ideas.
pub(crate) const FIRST_STEPS: [Section; 3] =
    [Section::Interests, Section::Travel, Section::Availability];

/// `?start=2`: this page is step 2 of the first steps.
#[derive(Debug, Deserialize, Default)]
pub struct StartQuery {
    start: Option<usize>,
}

/// Where the first steps go after step `n` (saved or skipped).
fn after_step(n: usize) -> String {
    match FIRST_STEPS.get(n) {
        Some(next) => format!("/me/profile/{}?start={}", next.key(), n + 1),
        None => "/me/ideas".to_string(),
    }
}

/// The step a first-steps address names, if it is this section's.
fn step_of(start: Option<usize>, section: Section) -> Option<usize> {
    start.filter(|n| *n >= 1 && FIRST_STEPS.get(*n - 1) == Some(&section))
}

fn with_step(mut page: SectionPage, step: Option<usize>) -> SectionPage {
    if let Some(n) = step {
        page.step = Some((n, FIRST_STEPS.len(), after_step(n)));
        page.action = format!("{}?start={n}", page.action);
    }
    page
}

pub(super) async fn section_get(
    state: AppState,
    identity: Identity,
    ip: String,
    csrf: CsrfToken,
    person: i64,
    key: String,
    start: Option<usize>,
) -> PageResult {
    let Some(section) = Section::parse(&key) else {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    };
    let view = match view_profile(&state, Some(&identity), person, &ip, now()).await {
        Ok(Some(v)) => v,
        Ok(None) => return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf)),
        Err(e) => return Err(e.into()),
    };
    let Some(shown) = view.section(section).filter(|s| s.editable).cloned() else {
        return Ok(pages::forbidden(&state, Some(&identity), &csrf));
    };
    let step = step_of(start, section).filter(|_| person == identity.user.id);
    Ok(pages::page(&with_step(
        section_page(
            &state,
            &identity,
            &csrf,
            &view,
            &shown,
            (&shown.content, shown.visibility),
            Errors::none(),
        ),
        step,
    )))
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn section_post(
    state: AppState,
    identity: Identity,
    ip: String,
    csrf: CsrfToken,
    person: i64,
    key: String,
    form: SectionForm,
    start: Option<usize>,
) -> PageResult {
    let Some(section) = Section::parse(&key) else {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    };
    let t = now();
    let view = match view_profile(&state, Some(&identity), person, &ip, t).await {
        Ok(Some(v)) => v,
        Ok(None) => return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf)),
        Err(e) => return Err(e.into()),
    };
    let Some(shown) = view.section(section).filter(|s| s.editable).cloned() else {
        return Ok(pages::forbidden(&state, Some(&identity), &csrf));
    };
    let visibility = match form.visibility.as_deref() {
        None => None,
        Some(code) => match Visibility::parse(code) {
            Some(v) => Some(v),
            None => return Ok(pages::bad_form()),
        },
    };
    let step = step_of(start, section).filter(|_| person == identity.user.id);
    let shown_again = |content: &Content, errors: Errors| {
        let mut page = section_page(
            &state,
            &identity,
            &csrf,
            &view,
            &shown,
            (content, visibility.unwrap_or(shown.visibility)),
            errors,
        );
        // The distance as typed, even when it was not a number.
        page.max_km = form.max_km.trim().to_string();
        pages::render(StatusCode::UNPROCESSABLE_ENTITY, &with_step(page, step))
    };
    let (content, problem) = form.content(section, state.settings.hub.distances);
    if let Some(e) = problem {
        return Ok(shown_again(&content, e.into()));
    }
    let change = SectionChange {
        section,
        content: Some(content.clone()),
        visibility,
    };
    match save_profile(&state, &identity, person, &[change], &ip, t).await {
        Ok(_) => {
            let back = if let Some(n) = step {
                after_step(n)
            } else if person == identity.user.id {
                "/me/profile?done=saved".to_string()
            } else {
                format!("/people/{person}?done=saved")
            };
            Ok(Redirect::to(&back).into_response())
        }
        Err(Error::Field(f)) if f.code == ErrorCode::Forbidden => {
            Ok(pages::forbidden(&state, Some(&identity), &csrf))
        }
        Err(Error::Field(f)) => Ok(shown_again(&content, f.into())),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn view_my_section_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(key): Path<String>,
    Query(q): Query<StartQuery>,
) -> PageResult {
    let me = identity.user.id;
    section_get(state, identity, ip, csrf, me, key, q.start).await
}

pub(crate) async fn view_my_section_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(key): Path<String>,
    Query(q): Query<StartQuery>,
    PageForm(form): PageForm<SectionForm>,
) -> PageResult {
    let me = identity.user.id;
    section_post(state, identity, ip, csrf, me, key, form, q.start).await
}

pub(crate) async fn view_person_section_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, key)): Path<(i64, String)>,
) -> PageResult {
    section_get(state, identity, ip, csrf, id, key, None).await
}

pub(crate) async fn view_person_section_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, key)): Path<(i64, String)>,
    PageForm(form): PageForm<SectionForm>,
) -> PageResult {
    section_post(state, identity, ip, csrf, id, key, form, None).await
}
