//! Decision space pages: the list, a new space, one space with its members and proposals.

pub(crate) use super::*;

// ---- Spaces ----------------------------------------------------------------------------------

pub struct SpaceItem {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) about: String,
    pub(super) rule: String,
    pub(super) members: i64,
    pub(super) open_proposals: i64,
    pub(super) open: bool,
    pub(super) role: &'static str,
}

pub(super) fn role_words(role: Option<&str>) -> &'static str {
    match role {
        Some("facilitator") => "You help run this space",
        Some("member") => "You are a member",
        Some("invited") => "You are invited",
        _ => "",
    }
}

#[derive(Template)]
#[template(path = "decisions/spaces.html")]
pub(super) struct SpacesPage {
    pub(super) layout: Layout,
    pub(super) spaces: Vec<SpaceItem>,
}

pub(crate) async fn view_spaces(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let list = village_app::decisions::spaces(&state, &who).await?;
    Ok(pages::page(&SpacesPage {
        layout: Layout::new(&state, Some(&who), &csrf, "/spaces", "Decide together"),
        spaces: list
            .iter()
            .map(|v| SpaceItem {
                id: v.space.id,
                name: v.space.name.clone(),
                about: v.space.about.clone(),
                rule: v.rule.words(),
                members: v.space.members,
                open_proposals: v.space.open_proposals,
                open: v.space.open,
                role: role_words(v.my_role.as_deref()),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize)]
pub struct SpaceForm {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) about: String,
    #[serde(default)]
    pub(super) min_lived_share: String,
    #[serde(default)]
    pub(super) min_lived_count: String,
    #[serde(default)]
    pub(super) open: String,
    #[serde(default)]
    pub(super) hide_names: Option<String>,
    #[serde(default)]
    pub(super) update_every_days: String,
}

impl Default for SpaceForm {
    fn default() -> Self {
        SpaceForm {
            name: String::new(),
            about: String::new(),
            min_lived_share: "50".into(),
            min_lived_count: "3".into(),
            open: "open".into(),
            hide_names: None,
            update_every_days: "30".into(),
        }
    }
}

#[derive(Template)]
#[template(path = "decisions/space_new.html")]
pub(super) struct NewSpacePage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) form: SpaceForm,
}

pub(crate) async fn view_new_space(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&NewSpacePage {
        layout: Layout::new(
            &state,
            Some(&who),
            &csrf,
            "/spaces/new",
            "Start a space to decide things together",
        ),
        errors: Errors::none(),
        form: SpaceForm::default(),
    })
}

pub(crate) async fn view_new_space_post(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    PageForm(form): PageForm<SpaceForm>,
) -> PageResult {
    let mut errors = Errors::none();
    let share = form
        .min_lived_share
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse::<f64>();
    if share.is_err() {
        errors.add(
            "min_lived_share",
            "Write the share as a number from 0 to 100, like 50",
        );
    }
    let count = form.min_lived_count.trim().parse::<i64>();
    if count.is_err() {
        errors.add(
            "min_lived_count",
            "Write the number of voices as a whole number, like 3",
        );
    }
    let days = form.update_every_days.trim().parse::<i64>();
    if days.is_err() {
        errors.add(
            "update_every_days",
            "Write how often, in days, as a whole number, like 30",
        );
    }
    let result = match (share, count, days) {
        (Ok(share), Ok(count), Ok(days)) => {
            // On the page the share is a percentage: 1 means 1%, not all.
            let share = share / 100.0;
            Some(
                village_app::decisions::create_space(
                    &state,
                    &who,
                    &village_app::decisions::SpaceInput {
                        name: &form.name,
                        about: &form.about,
                        open: form.open != "invite",
                        hide_names: form.hide_names.is_some(),
                        min_lived_share: share,
                        min_lived_count: count,
                        update_every_days: days,
                    },
                    now(),
                )
                .await,
            )
        }
        _ => None,
    };
    match result {
        Some(Ok(id)) => Ok(Redirect::to(&format!("/spaces/{id}?done=space")).into_response()),
        Some(Err(Error::Field(f))) => {
            errors.add_field_error(&f);
            Ok(new_space_again(&state, &who, &csrf, errors, form))
        }
        Some(Err(e)) => Err(e.into()),
        None => Ok(new_space_again(&state, &who, &csrf, errors, form)),
    }
}

pub(super) fn new_space_again(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    errors: Errors,
    form: SpaceForm,
) -> Response {
    pages::render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewSpacePage {
            layout: Layout::new(
                state,
                Some(who),
                csrf,
                "/spaces/new",
                "Start a space to decide things together",
            ),
            errors,
            form,
        },
    )
}

pub struct ProposalItem {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) status: String,
}

#[derive(Template)]
#[template(path = "decisions/space.html")]
pub(super) struct SpacePage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) about: Vec<String>,
    pub(super) rule: String,
    pub(super) open: bool,
    pub(super) hide_names: bool,
    pub(super) role: &'static str,
    pub(super) takes_part: bool,
    pub(super) invited: bool,
    pub(super) facilitates: bool,
    pub(super) open_proposals: Vec<ProposalItem>,
    pub(super) decided: Vec<ProposalItem>,
    pub(super) members: Vec<(String, &'static str)>,
    pub(super) title: String,
    pub(super) body: String,
    pub(super) affects: String,
    pub(super) email: String,
    /// What "Check my words" found in the proposal being written.
    pub(super) checked: Option<CheckShown>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ProposalForm {
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) body: String,
    #[serde(default)]
    pub(super) affects: String,
    /// "Check my words" was pressed rather than putting it to the space.
    pub(super) check: Option<String>,
}

impl ProposalForm {
    /// The parts "Check my words" reads, by field.
    fn parts(&self) -> [(&'static str, &str); 3] {
        [
            ("title", self.title.as_str()),
            ("body", &self.body),
            ("affects", &self.affects),
        ]
    }

    /// "Check my words" on the proposal: what it found (or the part too long to check).
    pub(super) fn check_words(
        &self,
        state: &AppState,
    ) -> Result<(Errors, Option<CheckShown>), Error> {
        match village_app::stories::check_parts(state, &self.parts()) {
            Ok(found) => {
                let mut found = found.into_iter().map(|(_, flags)| flags);
                let mut next = || found.next().unwrap_or_default();
                let shown = CheckShown::new(
                    vec![
                        ("In the title", &self.title, next()),
                        ("In what you propose", &self.body, next()),
                        ("In who it affects", &self.affects, next()),
                    ],
                    Vec::new(),
                );
                Ok((Errors::none(), Some(shown)))
            }
            Err(e) => Ok((pages::field_errors(e)?, None)),
        }
    }
}

pub(super) async fn space_page(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    notice_key: Option<&str>,
    errors: Errors,
    (form, email, checked): (ProposalForm, String, Option<CheckShown>),
) -> PageResult {
    let village_app::decisions::SpaceDetail {
        view: v,
        proposals,
        members,
    } = village_app::decisions::space_detail(state, who, id).await?;
    let item = |p: &village_store::decisions::ProposalRow| ProposalItem {
        id: p.id,
        title: p.title.clone(),
        status: match p.progress.as_deref().and_then(Progress::parse) {
            Some(pr) => pr.words().to_string(),
            None => "Open: say where you stand".to_string(),
        },
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &SpacePage {
            layout: Layout::new(
                state,
                Some(who),
                csrf,
                &format!("/spaces/{id}"),
                v.space.name.clone(),
            )
            .with_notice(notice(notice_key)),
            errors,
            id,
            name: v.space.name.clone(),
            about: paragraphs(&v.space.about),
            rule: v.rule.words(),
            open: v.space.open,
            hide_names: v.space.hide_names,
            role: role_words(v.my_role.as_deref()),
            takes_part: v.takes_part(),
            invited: v.my_role.as_deref() == Some("invited"),
            facilitates: v.facilitates(),
            open_proposals: proposals
                .iter()
                .filter(|p| p.closed_at.is_none())
                .map(item)
                .collect(),
            decided: proposals
                .iter()
                .filter(|p| p.closed_at.is_some())
                .map(item)
                .collect(),
            members: if v.takes_part() {
                members
                    .into_iter()
                    .map(|m| (m.name, m.role.code()))
                    .collect()
            } else {
                Vec::new()
            },
            title: form.title,
            body: form.body,
            affects: form.affects,
            email,
            checked,
        },
    ))
}

pub(crate) async fn view_space(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> PageResult {
    space_page(
        &state,
        &who,
        &csrf,
        id,
        q.done.as_deref(),
        Errors::none(),
        (ProposalForm::default(), String::new(), None),
    )
    .await
}

pub(crate) async fn view_join(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    village_app::decisions::join(&state, &who, id, now()).await?;
    Ok(Redirect::to(&format!("/spaces/{id}?done=joined")).into_response())
}

pub(crate) async fn view_leave(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    village_app::decisions::leave(&state, &who, id).await?;
    Ok(Redirect::to("/spaces?done=left").into_response())
}

/// Asked before a member leaves a space.
pub(crate) async fn view_leave_confirm(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let view = village_app::decisions::space(&state, &who, id).await?;
    if view.my_role.is_none() {
        return Ok(Redirect::to(&format!("/spaces/{id}")).into_response());
    }
    let name = view.space.name.clone();
    let mut lines = vec![format!(
        "You will no longer be a member of {name}, and your voice will not count in its decisions from now on."
    )];
    lines.push(if view.space.open {
        "What you have already said stays, with your name as it was. You can join again at any time.".into()
    } else {
        "What you have already said stays, with your name as it was. To come back, someone running the space will need to invite you again.".into()
    });
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(
            &state,
            Some(&who),
            &csrf,
            "/spaces",
            format!("Leave {name}?"),
        ),
        lines,
        action: format!("/spaces/{id}/leave"),
        yes: format!("Yes, leave {name}"),
        no: "No, stay".into(),
        back: format!("/spaces/{id}"),
        reason_label: String::new(),
    }))
}

#[derive(Debug, Deserialize, Default)]
pub struct MemberForm {
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) facilitator: Option<String>,
}

pub(crate) async fn view_add_member(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<MemberForm>,
) -> PageResult {
    match village_app::decisions::add_member(
        &state,
        &who,
        id,
        &form.email,
        form.facilitator.is_some(),
        now(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/spaces/{id}?done=invited")).into_response()),
        Err(Error::Field(f)) => {
            space_page(
                &state,
                &who,
                &csrf,
                id,
                None,
                f.into(),
                (ProposalForm::default(), form.email, None),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn view_new_proposal(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ProposalForm>,
) -> PageResult {
    if form.check.is_some() {
        let (errors, checked) = form.check_words(&state)?;
        return space_page(
            &state,
            &who,
            &csrf,
            id,
            None,
            errors,
            (form, String::new(), checked),
        )
        .await;
    }
    let input = village_app::decisions::ProposalInput {
        title: &form.title,
        body: &form.body,
        affects: &form.affects,
    };
    match village_app::decisions::create_proposal(&state, &who, id, &input, now()).await {
        Ok(p) => Ok(Redirect::to(&format!("/proposals/{p}?done=proposal")).into_response()),
        Err(Error::Field(f)) => {
            space_page(
                &state,
                &who,
                &csrf,
                id,
                None,
                f.into(),
                (form, String::new(), None),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
