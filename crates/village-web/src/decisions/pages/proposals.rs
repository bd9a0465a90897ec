//! Proposal pages: one proposal with its stances and outcome, writing and editing one.

pub(crate) use super::*;

// ---- Proposals -------------------------------------------------------------------------------

pub struct StanceItem {
    stance: &'static str,
    reason: String,
    name: String,
    response: String,
}

pub struct CommentItem {
    kind: &'static str,
    body: Vec<String>,
    name: String,
    at: String,
}

pub struct BlockItem {
    id: i64,
    reason: String,
    answer: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct CloseForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    dissent_summary: String,
    #[serde(default)]
    agreed: String,
    /// `answer_<stance id>` for each block.
    #[serde(flatten)]
    answers: BTreeMap<String, String>,
}

#[derive(Template)]
#[template(path = "decisions/proposal.html")]
pub(super) struct ProposalPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    space_id: i64,
    space_name: String,
    title: String,
    body: Vec<String>,
    affects: String,
    /// Where it came from (a gathering), linked back.
    came_from: Option<(String, String)>,
    author: String,
    created: String,
    open: bool,
    takes_part: bool,
    facilitates: bool,
    may_edit: bool,
    counts: Vec<(&'static str, usize)>,
    stances: Vec<StanceItem>,
    names_hidden: bool,
    lived_met: bool,
    lived_rule: String,
    lived_missing: String,
    lived_summary: String,
    my_stance: String,
    my_reason: String,
    stance_choices: Vec<(&'static str, &'static str, &'static str)>,
    comment_kinds: Vec<(&'static str, &'static str)>,
    comments: Vec<CommentItem>,
    blocks: Vec<BlockItem>,
    close: CloseForm,
    versions: Vec<(i64, String, String)>,
    decision: Vec<String>,
    reasons: Vec<String>,
    dissent_summary: Vec<String>,
    dissent: Vec<StanceItem>,
    progress: String,
    overdue: bool,
    next_statuses: Vec<(&'static str, &'static str)>,
    updates: Vec<(String, String, String)>,
}

pub(super) fn proposal_page(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    v: &ProposalView,
    notice_key: Option<&str>,
    errors: Errors,
    close: CloseForm,
) -> Response {
    let viewer = who.user.id;
    let stance_item = |s: &village_store::decisions::StanceRow| StanceItem {
        stance: s.stance.words(),
        reason: s.reason.clone(),
        name: if v.shows_name(s, viewer) {
            s.name
                .clone()
                .unwrap_or_else(|| "Someone who has left".to_string())
        } else {
            "A member".to_string()
        },
        response: s.response.clone().unwrap_or_default(),
    };
    let mine = v.stances.iter().find(|s| s.user_id == Some(viewer));
    let lived = &v.lived;
    let shown = lived.shown(!v.space.space.hide_names);
    let progress = v.progress();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    pages::render(
        status,
        &ProposalPage {
            layout: Layout::new(
                state,
                Some(who),
                csrf,
                &format!("/proposals/{}", v.proposal.id),
                v.proposal.title.clone(),
            )
            .with_notice(notice(notice_key)),
            errors,
            id: v.proposal.id,
            space_id: v.space.space.id,
            space_name: v.space.space.name.clone(),
            title: v.proposal.title.clone(),
            body: paragraphs(&v.proposal.body),
            affects: v.proposal.affects.clone(),
            came_from: v
                .proposal
                .came_from_url
                .clone()
                .map(|u| (u, v.proposal.came_from_title.clone().unwrap_or_default())),
            author: v
                .proposal
                .author_name
                .clone()
                .unwrap_or_else(|| "Someone who has left".into()),
            created: pages::when(v.proposal.created_at),
            open: v.open(),
            takes_part: v.space.takes_part(),
            facilitates: v.space.facilitates(),
            may_edit: v.open() && (v.proposal.author_id == Some(viewer) || v.space.facilitates()),
            counts: Stance::ALL
                .iter()
                .map(|s| (s.words(), v.counts().get(s.code()).copied().unwrap_or(0)))
                .collect(),
            stances: v.stances.iter().map(stance_item).collect(),
            names_hidden: v.space.space.hide_names,
            lived_met: lived.met,
            lived_rule: lived.rule_words(),
            lived_missing: shown.missing.unwrap_or_default(),
            lived_summary: shown.summary,
            my_stance: mine
                .map(|s| s.stance.code().to_string())
                .unwrap_or_default(),
            my_reason: mine.map(|s| s.reason.clone()).unwrap_or_default(),
            stance_choices: Stance::ALL
                .iter()
                .map(|s| (s.code(), s.words(), s.hint()))
                .collect(),
            comment_kinds: CommentKind::ALL
                .iter()
                .map(|k| (k.code(), k.words()))
                .collect(),
            comments: v
                .comments
                .iter()
                .map(|c| CommentItem {
                    kind: c.kind.words(),
                    body: paragraphs(&c.body),
                    name: if v.space.space.hide_names && c.user_id != Some(viewer) {
                        "A member".into()
                    } else {
                        c.name
                            .clone()
                            .unwrap_or_else(|| "Someone who has left".into())
                    },
                    at: pages::when(c.created_at),
                })
                .collect(),
            blocks: v
                .stances
                .iter()
                .filter(|s| s.stance == Stance::Block)
                .map(|s| BlockItem {
                    id: s.id,
                    reason: s.reason.clone(),
                    answer: close
                        .answers
                        .get(&format!("answer_{}", s.id))
                        .cloned()
                        .unwrap_or_default(),
                })
                .collect(),
            close,
            versions: v
                .versions
                .iter()
                .map(|x| (x.version, x.title.clone(), pages::when(x.edited_at)))
                .collect(),
            decision: paragraphs(v.proposal.decision.as_deref().unwrap_or("")),
            reasons: paragraphs(v.proposal.reasons.as_deref().unwrap_or("")),
            dissent_summary: paragraphs(v.proposal.dissent_summary.as_deref().unwrap_or("")),
            dissent: v
                .stances
                .iter()
                .filter(|s| s.stance.dissents())
                .map(stance_item)
                .collect(),
            progress: progress.map(|p| p.words().to_string()).unwrap_or_default(),
            overdue: v.overdue,
            next_statuses: progress
                .map(|p| {
                    [
                        Progress::Agreed,
                        Progress::InProgress,
                        Progress::Done,
                        Progress::NotDone,
                    ]
                    .into_iter()
                    .filter(|to| p.may_become(*to))
                    .map(|to| (to.code(), to.words()))
                    .collect()
                })
                .unwrap_or_default(),
            updates: v
                .updates
                .iter()
                .map(|u| {
                    (
                        pages::when(u.at),
                        u.progress.words().to_string(),
                        u.note.clone(),
                    )
                })
                .collect(),
        },
    )
}

pub(crate) async fn view_proposal(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> PageResult {
    match village_app::decisions::proposal(&state, &who, id, now()).await {
        Ok(v) => Ok(proposal_page(
            &state,
            &who,
            &csrf,
            &v,
            q.done.as_deref(),
            Errors::none(),
            CloseForm::default(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Show the proposal again with a problem from one of its forms.
pub(super) async fn proposal_again(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    errors: Errors,
    close: CloseForm,
) -> PageResult {
    match village_app::decisions::proposal(state, who, id, now()).await {
        Ok(v) => Ok(proposal_page(state, who, csrf, &v, None, errors, close)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "decisions/proposal_edit.html")]
pub(super) struct EditPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    form: ProposalForm,
    /// What "Check my words" found in the new wording.
    checked: Option<CheckShown>,
}

/// The page changing a proposal's wording, with its problems or what "Check my words" found.
fn edit_page(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    errors: Errors,
    form: ProposalForm,
    checked: Option<CheckShown>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    pages::render(
        status,
        &EditPage {
            layout: Layout::new(
                state,
                Some(who),
                csrf,
                &format!("/proposals/{id}/edit"),
                "Change the proposal's wording",
            ),
            errors,
            id,
            form,
            checked,
        },
    )
}

pub(crate) async fn view_edit(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let v = village_app::decisions::proposal(&state, &who, id, now()).await?;
    if v.proposal.author_id != Some(who.user.id) && !v.space.facilitates() {
        return Ok(pages::forbidden(&state, Some(&who), &csrf));
    }
    let form = ProposalForm {
        title: v.proposal.title,
        body: v.proposal.body,
        affects: v.proposal.affects,
        check: None,
    };
    Ok(edit_page(
        &state,
        &who,
        &csrf,
        id,
        Errors::none(),
        form,
        None,
    ))
}

pub(crate) async fn view_edit_post(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ProposalForm>,
) -> PageResult {
    if form.check.is_some() {
        // Only someone who may change the wording reaches the page it is checked on.
        let v = village_app::decisions::proposal(&state, &who, id, now()).await?;
        if v.proposal.author_id != Some(who.user.id) && !v.space.facilitates() {
            return Ok(pages::forbidden(&state, Some(&who), &csrf));
        }
        let (errors, checked) = form.check_words(&state)?;
        return Ok(edit_page(&state, &who, &csrf, id, errors, form, checked));
    }
    let input = village_app::decisions::ProposalInput {
        title: &form.title,
        body: &form.body,
        affects: &form.affects,
    };
    match village_app::decisions::edit_proposal(&state, &who, id, &input, now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/proposals/{id}?done=edited")).into_response()),
        Err(Error::Field(f)) => Ok(edit_page(&state, &who, &csrf, id, f.into(), form, None)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct StanceForm {
    #[serde(default)]
    stance: String,
    #[serde(default)]
    reason: String,
}

pub(crate) async fn view_stance(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<StanceForm>,
) -> PageResult {
    match village_app::decisions::take_stance(&state, &who, id, &form.stance, &form.reason, now())
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/proposals/{id}?done=stance#your-stance")).into_response())
        }
        Err(Error::Field(f)) => {
            proposal_again(&state, &who, &csrf, id, f.into(), CloseForm::default()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
}

pub(crate) async fn view_comment(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CommentForm>,
) -> PageResult {
    match village_app::decisions::comment(&state, &who, id, &form.kind, &form.body, now()).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/proposals/{id}?done=comment#discussion")).into_response())
        }
        Err(Error::Field(f)) => {
            proposal_again(&state, &who, &csrf, id, f.into(), CloseForm::default()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn view_close(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CloseForm>,
) -> PageResult {
    let block_responses = form
        .answers
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("answer_")?.parse::<i64>().ok()?, v.clone())))
        .collect();
    let draft = OutcomeDraft {
        decision: form.decision.clone(),
        reasons: form.reasons.clone(),
        dissent_summary: form.dissent_summary.clone(),
        block_responses,
        agreed: form.agreed != "no",
    };
    match village_app::decisions::close(&state, &who, id, &draft, &ip, now()).await {
        Ok(()) => Ok(Redirect::to(&format!("/proposals/{id}?done=closed")).into_response()),
        Err(Error::Field(f)) => proposal_again(&state, &who, &csrf, id, f.into(), form).await,
        Err(Error::Conflict(code, message)) if code != ErrorCode::ProposalClosed => {
            // The rule or an unanswered block: say so at the top, linked to the part to fix.
            let mut errors = Errors::none();
            let field = if code == ErrorCode::BlockNotAnswered {
                "blocks"
            } else {
                "lived"
            };
            errors.add(field, message);
            proposal_again(&state, &who, &csrf, id, errors, form).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct UpdateForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

pub(crate) async fn view_update(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<UpdateForm>,
) -> PageResult {
    match village_app::decisions::update(&state, &who, id, &form.status, &form.note, now()).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/proposals/{id}?done=updated#progress")).into_response())
        }
        Err(Error::Field(f)) => {
            proposal_again(&state, &who, &csrf, id, f.into(), CloseForm::default()).await
        }
        Err(e) => Err(e.into()),
    }
}
