//! Shared-power pages: spaces and their proposals (`/spaces…`, `/proposals/{id}…`) and
//! funding rounds (`/rounds…`). Every form posts to a page route that calls the same
//! functions as the API, then redirects back with a short notice, or shows the page again
//! with the problems named beside their fields.

use crate::auth::{ClientAddress, CsrfToken, Identity, MaybeSignedIn, SignedIn};
use crate::pages::{self, Errors, Layout, PageError, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use std::collections::BTreeMap;
use village_app::decisions::ProposalView;
use village_app::Error;
use village_domain::decisions::budget::{pounds, Paper, Phase};
use village_domain::decisions::proposal::{CommentKind, OutcomeDraft, Progress, Stance};
use village_domain::error::ErrorCode;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/spaces", get(view_spaces))
        .route("/spaces/new", get(view_new_space).post(view_new_space_post))
        .route("/spaces/{id}", get(view_space))
        .route("/spaces/{id}/join", post(view_join))
        .route("/spaces/{id}/leave", post(view_leave))
        .route("/spaces/{id}/members", post(view_add_member))
        .route("/spaces/{id}/proposals", post(view_new_proposal))
        .route("/proposals/{id}", get(view_proposal))
        .route("/proposals/{id}/edit", get(view_edit).post(view_edit_post))
        .route("/proposals/{id}/stance", post(view_stance))
        .route("/proposals/{id}/comments", post(view_comment))
        .route("/proposals/{id}/close", post(view_close))
        .route("/proposals/{id}/updates", post(view_update))
        .route("/rounds", get(view_rounds))
        .route("/rounds/new", get(view_new_round).post(view_new_round_post))
        .route("/rounds/{id}", get(view_round))
        .route("/rounds/{id}/ideas", post(view_idea))
        .route("/rounds/{id}/bids", post(view_bid))
        .route("/rounds/{id}/bids/{bid_id}/check", post(view_check))
        .route("/rounds/{id}/bids/{bid_id}/updates", post(view_delivery))
        .route("/rounds/{id}/phase", post(view_phase))
        .route("/rounds/{id}/ballot", post(view_ballot))
        .route("/rounds/{id}/results", get(view_results))
        .route(
            "/rounds/{id}/paper-ballots",
            get(view_papers).post(view_paper_post),
        )
        .route(
            "/rounds/{id}/paper-ballots/{paper}/resolve",
            post(view_resolve),
        )
}

/// Short confirmations after a form, by a fixed key (never words from the address).
fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "space" => "Your space is ready. You facilitate it.",
        "joined" => "You have joined this space.",
        "left" => "You have left this space.",
        "invited" => {
            "Done. They will see the invitation when they next sign in, and we have emailed them."
        }
        "proposal" => "Your proposal is up. Members can now say where they stand.",
        "edited" => "The new wording is up; the earlier one is kept below.",
        "stance" => "Your stance is recorded. You can change it until the proposal is decided.",
        "comment" => "Your comment is added.",
        "closed" => "The decision is recorded and published with the dissent.",
        "updated" => "The update is recorded.",
        "round" => "Your funding round has started, in the ideas phase. You facilitate it.",
        "idea" => "Thank you: your idea is shared.",
        "bid" => "Your bid is in. A steward will check it before voting opens.",
        "checked" => "The check is recorded.",
        "phase" => "The round has moved on.",
        "voted" => "Your ballot is in. You can change it until voting closes.",
        "paper" => "The paper ballot is typed in.",
        "resolved" => "The paper ballot is resolved.",
        "delivery" => "Your update is posted.",
        _ => return None,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

// ---- Spaces ----------------------------------------------------------------------------------

pub struct SpaceItem {
    id: i64,
    name: String,
    about: String,
    rule: String,
    members: i64,
    open_proposals: i64,
    open: bool,
    role: &'static str,
}

fn role_words(role: Option<&str>) -> &'static str {
    match role {
        Some("facilitator") => "You facilitate this space",
        Some("member") => "You are a member",
        Some("invited") => "You are invited",
        _ => "",
    }
}

#[derive(Template)]
#[template(path = "decisions/spaces.html")]
struct SpacesPage {
    layout: Layout,
    spaces: Vec<SpaceItem>,
}

async fn view_spaces(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
) -> Response {
    let list = match village_app::decisions::spaces(&state, &who).await {
        Ok(l) => l,
        Err(e) => return PageError::from(e).into_response(),
    };
    pages::page(&SpacesPage {
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
    })
}

#[derive(Debug, Deserialize)]
pub struct SpaceForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    about: String,
    #[serde(default)]
    min_lived_share: String,
    #[serde(default)]
    min_lived_count: String,
    #[serde(default)]
    open: String,
    #[serde(default)]
    hide_names: Option<String>,
    #[serde(default)]
    update_every_days: String,
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
struct NewSpacePage {
    layout: Layout,
    errors: Errors,
    form: SpaceForm,
}

async fn view_new_space(
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

async fn view_new_space_post(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    PageForm(form): PageForm<SpaceForm>,
) -> Response {
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
        Some(Ok(id)) => Redirect::to(&format!("/spaces/{id}?done=space")).into_response(),
        Some(Err(Error::Field(f))) => {
            errors.add_field_error(&f);
            new_space_again(&state, &who, &csrf, errors, form)
        }
        Some(Err(e)) => PageError::from(e).into_response(),
        None => new_space_again(&state, &who, &csrf, errors, form),
    }
}

fn new_space_again(
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
    id: i64,
    title: String,
    status: String,
}

#[derive(Template)]
#[template(path = "decisions/space.html")]
struct SpacePage {
    layout: Layout,
    errors: Errors,
    id: i64,
    name: String,
    about: Vec<String>,
    rule: String,
    open: bool,
    hide_names: bool,
    role: &'static str,
    takes_part: bool,
    invited: bool,
    facilitates: bool,
    open_proposals: Vec<ProposalItem>,
    decided: Vec<ProposalItem>,
    members: Vec<(String, &'static str)>,
    title: String,
    body: String,
    affects: String,
    email: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct ProposalForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    affects: String,
}

async fn space_page(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    notice_key: Option<&str>,
    errors: Errors,
    (form, email): (ProposalForm, String),
) -> Response {
    let village_app::decisions::SpaceDetail {
        view: v,
        proposals,
        members,
    } = match village_app::decisions::space_detail(state, who, id).await {
        Ok(d) => d,
        Err(e) => return PageError::from(e).into_response(),
    };
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
    pages::render(
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
                    .map(|m| {
                        let role = match m.role.as_str() {
                            "facilitator" => "facilitator",
                            "member" => "member",
                            _ => "invited",
                        };
                        (m.name, role)
                    })
                    .collect()
            } else {
                Vec::new()
            },
            title: form.title,
            body: form.body,
            affects: form.affects,
            email,
        },
    )
}

async fn view_space(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Response {
    space_page(
        &state,
        &who,
        &csrf,
        id,
        q.done.as_deref(),
        Errors::none(),
        (ProposalForm::default(), String::new()),
    )
    .await
}

async fn view_join(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    village_app::decisions::join(&state, &who, id, now()).await?;
    Ok(Redirect::to(&format!("/spaces/{id}?done=joined")).into_response())
}

async fn view_leave(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    village_app::decisions::leave(&state, &who, id).await?;
    Ok(Redirect::to("/spaces?done=left").into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct MemberForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    facilitator: Option<String>,
}

async fn view_add_member(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<MemberForm>,
) -> Response {
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
        Ok(()) => Redirect::to(&format!("/spaces/{id}?done=invited")).into_response(),
        Err(Error::Field(f)) => {
            space_page(
                &state,
                &who,
                &csrf,
                id,
                None,
                f.into(),
                (ProposalForm::default(), form.email),
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn view_new_proposal(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ProposalForm>,
) -> Response {
    let input = village_app::decisions::ProposalInput {
        title: &form.title,
        body: &form.body,
        affects: &form.affects,
    };
    match village_app::decisions::create_proposal(&state, &who, id, &input, now()).await {
        Ok(p) => Redirect::to(&format!("/proposals/{p}?done=proposal")).into_response(),
        Err(Error::Field(f)) => {
            space_page(
                &state,
                &who,
                &csrf,
                id,
                None,
                f.into(),
                (form, String::new()),
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

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
struct ProposalPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    space_id: i64,
    space_name: String,
    title: String,
    body: Vec<String>,
    affects: String,
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

fn proposal_page(
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
            lived_missing: lived.missing_words().unwrap_or_default(),
            lived_summary: format!(
                "{} of {} {} so far {} from people with lived experience.",
                lived.voices.lived,
                lived.voices.total,
                if lived.voices.total == 1 {
                    "stance"
                } else {
                    "stances"
                },
                if lived.voices.lived == 1 {
                    "comes"
                } else {
                    "come"
                }
            ),
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
                    kind: CommentKind::parse(&c.kind)
                        .map(CommentKind::words)
                        .unwrap_or(""),
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
                        Progress::parse(&u.progress)
                            .map(|p| p.words().to_string())
                            .unwrap_or_default(),
                        u.note.clone(),
                    )
                })
                .collect(),
        },
    )
}

async fn view_proposal(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Response {
    match village_app::decisions::proposal(&state, &who, id, now()).await {
        Ok(v) => proposal_page(
            &state,
            &who,
            &csrf,
            &v,
            q.done.as_deref(),
            Errors::none(),
            CloseForm::default(),
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// Show the proposal again with a problem from one of its forms.
async fn proposal_again(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    errors: Errors,
    close: CloseForm,
) -> Response {
    match village_app::decisions::proposal(state, who, id, now()).await {
        Ok(v) => proposal_page(state, who, csrf, &v, None, errors, close),
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "decisions/proposal_edit.html")]
struct EditPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    form: ProposalForm,
}

async fn view_edit(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> Response {
    let v = match village_app::decisions::proposal(&state, &who, id, now()).await {
        Ok(v) => v,
        Err(e) => return PageError::from(e).into_response(),
    };
    if v.proposal.author_id != Some(who.user.id) && !v.space.facilitates() {
        return pages::forbidden(&state, Some(&who), &csrf);
    }
    pages::page(&EditPage {
        layout: Layout::new(
            &state,
            Some(&who),
            &csrf,
            &format!("/proposals/{id}/edit"),
            "Change the proposal's wording",
        ),
        errors: Errors::none(),
        id,
        form: ProposalForm {
            title: v.proposal.title,
            body: v.proposal.body,
            affects: v.proposal.affects,
        },
    })
}

async fn view_edit_post(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ProposalForm>,
) -> Response {
    let input = village_app::decisions::ProposalInput {
        title: &form.title,
        body: &form.body,
        affects: &form.affects,
    };
    match village_app::decisions::edit_proposal(&state, &who, id, &input, now()).await {
        Ok(()) => Redirect::to(&format!("/proposals/{id}?done=edited")).into_response(),
        Err(Error::Field(f)) => pages::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &EditPage {
                layout: Layout::new(
                    &state,
                    Some(&who),
                    &csrf,
                    &format!("/proposals/{id}/edit"),
                    "Change the proposal's wording",
                ),
                errors: f.into(),
                id,
                form,
            },
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct StanceForm {
    #[serde(default)]
    stance: String,
    #[serde(default)]
    reason: String,
}

async fn view_stance(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<StanceForm>,
) -> Response {
    match village_app::decisions::take_stance(&state, &who, id, &form.stance, &form.reason, now())
        .await
    {
        Ok(_) => Redirect::to(&format!("/proposals/{id}?done=stance#your-stance")).into_response(),
        Err(Error::Field(f)) => {
            proposal_again(&state, &who, &csrf, id, f.into(), CloseForm::default()).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
}

async fn view_comment(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CommentForm>,
) -> Response {
    match village_app::decisions::comment(&state, &who, id, &form.kind, &form.body, now()).await {
        Ok(_) => Redirect::to(&format!("/proposals/{id}?done=comment#discussion")).into_response(),
        Err(Error::Field(f)) => {
            proposal_again(&state, &who, &csrf, id, f.into(), CloseForm::default()).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn view_close(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CloseForm>,
) -> Response {
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
        Ok(()) => Redirect::to(&format!("/proposals/{id}?done=closed")).into_response(),
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
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct UpdateForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

async fn view_update(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<UpdateForm>,
) -> Response {
    match village_app::decisions::update(&state, &who, id, &form.status, &form.note, now()).await {
        Ok(()) => Redirect::to(&format!("/proposals/{id}?done=updated#progress")).into_response(),
        Err(Error::Field(f)) => {
            proposal_again(&state, &who, &csrf, id, f.into(), CloseForm::default()).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

// ---- Rounds ----------------------------------------------------------------------------------

pub struct RoundItem {
    id: i64,
    name: String,
    pot: String,
    phase: &'static str,
}

#[derive(Template)]
#[template(path = "decisions/rounds.html")]
struct RoundsPage {
    layout: Layout,
    rounds: Vec<RoundItem>,
}

async fn view_rounds(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    csrf: CsrfToken,
) -> Response {
    let rounds = match village_app::decisions::rounds(&state).await {
        Ok(r) => r,
        Err(e) => return PageError::from(e).into_response(),
    };
    pages::page(&RoundsPage {
        layout: Layout::new(
            &state,
            who.as_ref(),
            &csrf,
            "/rounds",
            "Community funding rounds",
        ),
        rounds: rounds
            .into_iter()
            .map(|r| RoundItem {
                id: r.id,
                name: r.name,
                pot: pounds(r.pot_pence),
                phase: r.phase.words(),
            })
            .collect(),
    })
}

#[derive(Debug, Deserialize)]
pub struct RoundForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    about: String,
    #[serde(default)]
    pot: String,
    #[serde(default)]
    max_bid: String,
    #[serde(default)]
    method: String,
}

impl Default for RoundForm {
    fn default() -> Self {
        RoundForm {
            name: String::new(),
            about: String::new(),
            pot: String::new(),
            max_bid: String::new(),
            method: "approval".into(),
        }
    }
}

#[derive(Template)]
#[template(path = "decisions/round_new.html")]
struct NewRoundPage {
    layout: Layout,
    errors: Errors,
    form: RoundForm,
}

async fn view_new_round(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&NewRoundPage {
        layout: Layout::new(
            &state,
            Some(&who),
            &csrf,
            "/rounds/new",
            "Start a funding round",
        ),
        errors: Errors::none(),
        form: RoundForm::default(),
    })
}

/// Pounds as typed on a form ("£20,000", "250.50") in pence.
fn pence(field: &'static str, typed: &str, errors: &mut Errors) -> i64 {
    let clean: String = typed
        .trim()
        .trim_start_matches('£')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let parsed = clean
        .parse::<f64>()
        .ok()
        .filter(|p| p.is_finite() && *p > 0.0 && *p < 1e9);
    match parsed {
        Some(p) => (p * 100.0).round() as i64,
        None => {
            errors.add(field, "Write an amount in pounds, like 250 or 1,500");
            0
        }
    }
}

async fn view_new_round_post(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    PageForm(form): PageForm<RoundForm>,
) -> Response {
    let mut errors = Errors::none();
    let pot = pence("pot", &form.pot, &mut errors);
    let max = pence("max_bid", &form.max_bid, &mut errors);
    if errors.is_empty() {
        match village_app::decisions::create_round(
            &state,
            &who,
            &village_app::decisions::RoundInput {
                name: &form.name,
                about: &form.about,
                space_id: None,
                pot_pence: pot,
                max_bid_pence: max,
                method: &form.method,
            },
            now(),
        )
        .await
        {
            Ok(id) => return Redirect::to(&format!("/rounds/{id}?done=round")).into_response(),
            Err(Error::Field(f)) => {
                let field = match f.field {
                    "pot_pence" => "pot",
                    "max_bid_pence" => "max_bid",
                    other => other,
                };
                errors.add(field, f.message);
            }
            Err(e) => return PageError::from(e).into_response(),
        }
    }
    pages::render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewRoundPage {
            layout: Layout::new(
                &state,
                Some(&who),
                &csrf,
                "/rounds/new",
                "Start a funding round",
            ),
            errors,
            form,
        },
    )
}

pub struct BidItem {
    id: i64,
    title: String,
    summary: Vec<String>,
    for_whom: String,
    group: String,
    amount: String,
    check: &'static str,
    check_reason: String,
    eligible: bool,
    chosen: bool,
    funded: bool,
    mine: bool,
    updates: Vec<(String, String)>,
}

#[derive(Debug, Deserialize, Default)]
pub struct BidForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    for_whom: String,
    #[serde(default)]
    group_name: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    charity_number: String,
}

#[derive(Template)]
#[template(path = "decisions/round.html")]
struct RoundPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    name: String,
    about: Vec<String>,
    pot: String,
    max_bid: String,
    method_words: &'static str,
    knapsack: bool,
    phase: &'static str,
    phases: Vec<(&'static str, bool, bool)>,
    next_phase: Option<(&'static str, &'static str)>,
    signed_in: bool,
    facilitates: bool,
    checks: bool,
    may_vote: bool,
    taking_ideas: bool,
    taking_bids: bool,
    checking: bool,
    voting: bool,
    results_known: bool,
    delivering: bool,
    has_ballot: bool,
    bids: Vec<BidItem>,
    ideas: Vec<(String, String)>,
    bid: BidForm,
}

/// The round's page again with one problem, by the field it is about.
async fn round_with_problem(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    field: &str,
    message: String,
) -> Response {
    let mut errors = Errors::none();
    errors.add(field, message);
    round_page(state, Some(who), csrf, id, None, errors, BidForm::default()).await
}

async fn round_page(
    state: &AppState,
    who: Option<&Identity>,
    csrf: &CsrfToken,
    id: i64,
    notice_key: Option<&str>,
    errors: Errors,
    bid: BidForm,
) -> Response {
    let village_app::decisions::RoundDetail {
        view: v,
        ideas,
        updates,
        my_ballot: ballot,
    } = match village_app::decisions::round_detail(state, who, id).await {
        Ok(d) => d,
        Err(e) => return PageError::from(e).into_response(),
    };
    let published = village_app::decisions::published(&v);
    let funded: Vec<i64> = published
        .as_ref()
        .map(|p| p.funded.clone())
        .unwrap_or_default();
    let chosen = ballot.clone().unwrap_or_default();
    let viewer = who.map(|w| w.user.id);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let current = v.phase;
    pages::render(
        status,
        &RoundPage {
            layout: Layout::new(
                state,
                who,
                csrf,
                &format!("/rounds/{id}"),
                v.round.name.clone(),
            )
            .with_notice(notice(notice_key)),
            errors,
            id,
            name: v.round.name.clone(),
            about: paragraphs(&v.round.about),
            pot: pounds(v.round.pot_pence),
            max_bid: pounds(v.round.max_bid_pence),
            method_words: v.method.how_to_vote(),
            knapsack: v.method == village_domain::decisions::budget::Method::Knapsack,
            phase: current.words(),
            phases: Phase::ALL
                .iter()
                .map(|p| (p.words(), *p == current, *p < current))
                .collect(),
            next_phase: current.next().map(|p| (p.code(), p.words())),
            signed_in: who.is_some(),
            facilitates: v.facilitates,
            checks: v.checks,
            may_vote: v.may_vote,
            taking_ideas: current == Phase::Ideas,
            taking_bids: current.takes_bids(),
            checking: matches!(current, Phase::Bids | Phase::Checks),
            voting: current == Phase::Voting,
            results_known: current.results_known(),
            delivering: current == Phase::Delivery,
            has_ballot: ballot.is_some(),
            bids: v
                .bids
                .iter()
                .map(|b| BidItem {
                    id: b.id,
                    title: b.title.clone(),
                    summary: paragraphs(&b.summary),
                    for_whom: b.for_whom.clone(),
                    group: b.group_name.clone(),
                    amount: pounds(b.amount_pence),
                    check: match b.check_status.as_str() {
                        "eligible" => "Checked: eligible",
                        "not_eligible" => "Checked: not eligible",
                        _ => "Not checked yet",
                    },
                    check_reason: b.check_reason.clone(),
                    eligible: b.check_status == "eligible",
                    chosen: chosen.contains(&b.id),
                    funded: funded.contains(&b.id),
                    mine: viewer.is_some() && b.submitted_by == viewer,
                    updates: updates
                        .iter()
                        .filter(|u| u.bid_id == b.id)
                        .map(|u| (pages::when(u.at), u.body.clone()))
                        .collect(),
                })
                .collect(),
            ideas: ideas.into_iter().map(|i| (i.title, i.body)).collect(),
            bid,
        },
    )
}

async fn view_round(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Response {
    round_page(
        &state,
        who.as_ref(),
        &csrf,
        id,
        q.done.as_deref(),
        Errors::none(),
        BidForm::default(),
    )
    .await
}

#[derive(Debug, Deserialize, Default)]
pub struct IdeaForm {
    #[serde(default)]
    idea_title: String,
    #[serde(default)]
    idea_body: String,
}

async fn view_idea(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<IdeaForm>,
) -> Response {
    match village_app::decisions::add_idea(
        &state,
        &who,
        id,
        &form.idea_title,
        &form.idea_body,
        now(),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/rounds/{id}?done=idea#ideas")).into_response(),
        Err(Error::Field(f)) => {
            round_with_problem(
                &state,
                &who,
                &csrf,
                id,
                &format!("idea_{}", f.field),
                f.message,
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn view_bid(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<BidForm>,
) -> Response {
    let mut errors = Errors::none();
    let amount = pence("amount", &form.amount, &mut errors);
    if errors.is_empty() {
        let input = village_app::decisions::BidInput {
            title: &form.title,
            summary: &form.summary,
            for_whom: &form.for_whom,
            amount_pence: amount,
            group_name: &form.group_name,
            organisation_id: None,
            charity_number: &form.charity_number,
        };
        match village_app::decisions::create_bid(&state, &who, id, &input, now()).await {
            Ok(_) => return Redirect::to(&format!("/rounds/{id}?done=bid#bids")).into_response(),
            Err(Error::Field(f)) => {
                let field = if f.field == "amount_pence" {
                    "amount"
                } else {
                    f.field
                };
                errors.add(field, f.message);
            }
            Err(e) => return PageError::from(e).into_response(),
        }
    }
    round_page(&state, Some(&who), &csrf, id, None, errors, form).await
}

#[derive(Debug, Deserialize, Default)]
pub struct CheckForm {
    #[serde(default)]
    eligible: String,
    #[serde(default)]
    reason: String,
}

async fn view_check(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, bid_id)): Path<(i64, i64)>,
    PageForm(form): PageForm<CheckForm>,
) -> Response {
    match village_app::decisions::check_bid(
        &state,
        &who,
        (id, bid_id),
        form.eligible == "yes",
        &form.reason,
        &ip,
        now(),
    )
    .await
    {
        Ok(()) => Redirect::to(&format!("/rounds/{id}?done=checked#bid-{bid_id}")).into_response(),
        Err(Error::Field(f)) => {
            round_with_problem(
                &state,
                &who,
                &csrf,
                id,
                &format!("reason-{bid_id}"),
                f.message,
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct DeliveryForm {
    #[serde(default)]
    text: String,
}

async fn view_delivery(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path((id, bid_id)): Path<(i64, i64)>,
    PageForm(form): PageForm<DeliveryForm>,
) -> Response {
    match village_app::decisions::delivery_update(&state, &who, id, bid_id, &form.text, now()).await
    {
        Ok(_) => Redirect::to(&format!("/rounds/{id}?done=delivery#bid-{bid_id}")).into_response(),
        Err(Error::Field(f)) => {
            round_with_problem(
                &state,
                &who,
                &csrf,
                id,
                &format!("update-{bid_id}"),
                f.message,
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct PhaseForm {
    #[serde(default)]
    phase: String,
}

async fn view_phase(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<PhaseForm>,
) -> Response {
    match village_app::decisions::set_phase(&state, &who, id, &form.phase, &ip, now()).await {
        Ok(()) => Redirect::to(&format!("/rounds/{id}?done=phase")).into_response(),
        Err(Error::Conflict(_, message)) => {
            let mut errors = Errors::none();
            errors.add("next-phase", message);
            round_page(
                &state,
                Some(&who),
                &csrf,
                id,
                None,
                errors,
                BidForm::default(),
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct BallotForm {
    #[serde(default)]
    bid: Vec<i64>,
}

async fn view_ballot(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<BallotForm>,
) -> Response {
    match village_app::decisions::vote(&state, &who, id, &form.bid, now()).await {
        Ok(_) => Redirect::to(&format!("/rounds/{id}?done=voted#vote")).into_response(),
        Err(Error::Field(f)) => {
            let mut errors = Errors::none();
            errors.add("vote", f.message);
            round_page(
                &state,
                Some(&who),
                &csrf,
                id,
                None,
                errors,
                BidForm::default(),
            )
            .await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

pub struct ResultRow {
    title: String,
    group: String,
    amount: String,
    votes: u64,
    outcome: &'static str,
}

#[derive(Template)]
#[template(path = "decisions/results.html")]
struct ResultsPage {
    layout: Layout,
    id: i64,
    name: String,
    pot: String,
    left: String,
    ballots: u64,
    online: u64,
    paper: u64,
    method: &'static str,
    rows: Vec<ResultRow>,
    not_eligible: Vec<(String, String)>,
    any_funded: bool,
}

async fn view_results(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> Response {
    let v = match village_app::decisions::round(&state, who.as_ref(), id).await {
        Ok(v) => v,
        Err(e) => return PageError::from(e).into_response(),
    };
    let Some(p) = village_app::decisions::published(&v) else {
        return pages::problem(
            &state,
            who.as_ref(),
            &csrf,
            StatusCode::CONFLICT,
            "The results are not out yet",
            &["The results are published when voting closes. Come back then."],
        );
    };
    let rows = p
        .order
        .iter()
        .filter_map(|bid_id| v.bids.iter().find(|b| b.id == *bid_id))
        .map(|b| ResultRow {
            title: b.title.clone(),
            group: b.group_name.clone(),
            amount: pounds(b.amount_pence),
            votes: p.counts.get(&b.id.to_string()).copied().unwrap_or(0),
            outcome: if p.funded.contains(&b.id) {
                "Funded"
            } else {
                "Not funded: it did not fit in what was left"
            },
        })
        .collect();
    pages::page(&ResultsPage {
        layout: Layout::new(
            &state,
            who.as_ref(),
            &csrf,
            &format!("/rounds/{id}/results"),
            format!("Results: {}", v.round.name),
        ),
        id,
        name: v.round.name.clone(),
        pot: pounds(v.round.pot_pence),
        left: pounds(p.left_pence),
        ballots: p.ballots,
        online: p.online_ballots,
        paper: p.paper_ballots,
        method: crate::decisions::api::METHOD_WORDS,
        rows,
        not_eligible: v
            .bids
            .iter()
            .filter(|b| b.check_status == "not_eligible")
            .map(|b| (b.title.clone(), b.check_reason.clone()))
            .collect(),
        any_funded: !p.funded.is_empty(),
    })
}

pub struct PaperItem {
    paper: String,
    state: &'static str,
    entries: Vec<String>,
    needs_resolving: bool,
}

#[derive(Template)]
#[template(path = "decisions/papers.html")]
struct PapersPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    name: String,
    voting: bool,
    bids: Vec<(i64, String)>,
    papers: Vec<PaperItem>,
    paper: String,
}

async fn papers_page(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    notice_key: Option<&str>,
    errors: Errors,
    paper: String,
) -> Response {
    let v = match village_app::decisions::round(state, Some(who), id).await {
        Ok(v) => v,
        Err(e) => return PageError::from(e).into_response(),
    };
    if !v.checks && !v.facilitates {
        return pages::forbidden(state, Some(who), csrf);
    }
    let list = match village_app::decisions::papers(state, id).await {
        Ok(l) => l,
        Err(e) => return PageError::from(e).into_response(),
    };
    let title_of = |ids: &[i64]| -> String {
        if ids.is_empty() {
            return "no bids chosen".into();
        }
        ids.iter()
            .map(|i| {
                v.bids
                    .iter()
                    .find(|b| b.id == *i)
                    .map(|b| b.title.clone())
                    .unwrap_or_else(|| format!("bid {i}"))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    pages::render(
        status,
        &PapersPage {
            layout: Layout::new(
                state,
                Some(who),
                csrf,
                &format!("/rounds/{id}/paper-ballots"),
                "Paper ballots",
            )
            .with_notice(notice(notice_key)),
            errors,
            id,
            name: v.round.name.clone(),
            voting: v.phase == Phase::Voting && v.checks,
            bids: v
                .bids
                .iter()
                .filter(|b| b.check_status == "eligible")
                .map(|b| (b.id, format!("{} ({})", b.title, pounds(b.amount_pence))))
                .collect(),
            papers: list
                .iter()
                .map(|(paper, p, rows)| PaperItem {
                    paper: paper.clone(),
                    state: p.words(),
                    entries: rows
                        .iter()
                        .map(|r| {
                            format!(
                                "Entry {} by {}: {}",
                                r.entry,
                                r.steward_name.clone().unwrap_or_else(|| "a steward".into()),
                                title_of(&village_app::decisions::parse_choices(&r.choices))
                            )
                        })
                        .collect(),
                    needs_resolving: matches!(p, Paper::Mismatch { .. }),
                })
                .collect(),
            paper,
        },
    )
}

async fn view_papers(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Response {
    papers_page(
        &state,
        &who,
        &csrf,
        id,
        q.done.as_deref(),
        Errors::none(),
        String::new(),
    )
    .await
}

#[derive(Debug, Deserialize, Default)]
pub struct PaperForm {
    #[serde(default)]
    paper: String,
    #[serde(default)]
    bid: Vec<i64>,
    #[serde(default)]
    note: String,
}

async fn view_paper_post(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<PaperForm>,
) -> Response {
    match village_app::decisions::enter_paper(&state, &who, id, &form.paper, &form.bid, &ip, now())
        .await
    {
        Ok(_) => Redirect::to(&format!("/rounds/{id}/paper-ballots?done=paper")).into_response(),
        Err(Error::Field(f)) => {
            let field = if f.field == "bid_ids" {
                "bids"
            } else {
                f.field
            };
            let mut errors = Errors::none();
            errors.add(field, f.message);
            papers_page(&state, &who, &csrf, id, None, errors, form.paper).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn view_resolve(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, paper)): Path<(i64, String)>,
    PageForm(form): PageForm<PaperForm>,
) -> Response {
    match village_app::decisions::resolve_paper(
        &state,
        &who,
        (id, &paper),
        &form.bid,
        &form.note,
        &ip,
        now(),
    )
    .await
    {
        Ok(()) => {
            Redirect::to(&format!("/rounds/{id}/paper-ballots?done=resolved")).into_response()
        }
        Err(Error::Field(f)) => {
            let mut errors = Errors::none();
            errors.add(&format!("resolve-{paper}"), f.message);
            papers_page(&state, &who, &csrf, id, None, errors, String::new()).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}
