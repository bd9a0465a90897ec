//! Pages: the board, posting an ask or an offer, one post (answering it, or for the one who
//! posted, its answers), one match (messages, steps, and contact details once both said
//! yes), and "Your help" (own posts and matches).

use crate::auth::{ClientAddress, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::{Path, Query};
use crate::pages::{self, when, Errors, Layout, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use village_app::accounts::Identity;
use village_app::mutual_aid::{self as help, BoardQuery, Responded, Shares};
use village_app::Error;
use village_domain::connections::introduction::first_name;
use village_domain::dates;
use village_domain::mutual_aid::credits;
use village_domain::mutual_aid::matches::{Action, State as MatchState};
use village_domain::mutual_aid::post::{self, Category, Draft, Kind, Urgency, When, WhenInput};
use village_store::mutual_aid::PostRow;

/// A post as a list shows it.
pub struct PostItem {
    id: i64,
    title: String,
    kind: &'static str,
    category: &'static str,
    area: String,
    when: String,
    urgency: &'static str,
    by: String,
    posted: String,
    many_times: bool,
    up: bool,
}

fn item(p: &PostRow, t: i64) -> PostItem {
    PostItem {
        id: p.id,
        title: p.title.clone(),
        kind: p.kind.short(),
        category: p.category.words(),
        area: p.area.clone(),
        when: When::from_stored(p.when_from.as_deref(), p.when_to.as_deref()).words(),
        urgency: p.urgency.words(),
        by: first_name(&p.author_name),
        posted: dates::day_of(p.created_at),
        many_times: p.many_times,
        up: post::is_up(p.state, p.expires_at, t),
    }
}

/// Choices for a select: (code, words, chosen).
type Choices = Vec<(&'static str, &'static str, bool)>;

fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    words: fn(T) -> &'static str,
    chosen: &str,
) -> Choices {
    all.iter()
        .map(|x| (code(*x), words(*x), code(*x) == chosen.trim()))
        .collect()
}

// ---- The board --------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct BoardParams {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    near: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "mutual_aid/board.html")]
struct BoardPage {
    layout: Layout,
    errors: Errors,
    posts: Vec<PostItem>,
    kinds: Choices,
    categories: Choices,
    urgencies: Choices,
    areas: Vec<(String, bool)>,
    near: String,
    filtered: bool,
    previous: Option<String>,
    next: Option<String>,
}

fn board_link(p: &BoardParams, page: i64) -> String {
    let pairs = [
        ("kind", &p.kind),
        ("category", &p.category),
        ("area", &p.area),
        ("urgency", &p.urgency),
        ("near", &p.near),
    ];
    let mut query: Vec<(&str, String)> = pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (*k, v.trim().to_string()))
        .collect();
    if page > 1 {
        query.push(("page", page.to_string()));
    }
    match serde_urlencoded::to_string(&query) {
        Ok(q) if !q.is_empty() => format!("/help?{q}"),
        _ => "/help".into(),
    }
}

pub(crate) async fn view_board(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(p): Query<BoardParams>,
) -> PageResult {
    let t = now();
    let q = BoardQuery {
        kind: p.kind.clone(),
        category: p.category.clone(),
        area: p.area.clone(),
        urgency: p.urgency.clone(),
        near: p.near.clone(),
        page: p.page.unwrap_or(1),
    };
    let (board, errors) = match help::board(&state, &identity, &q, t).await {
        Ok(b) => (Some(b), Errors::none()),
        Err(e) => (None, field_errors(e)?),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = q.page.max(1);
    let areas = board
        .as_ref()
        .map(|b| b.areas.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|a| {
            let chosen = a == p.area.trim();
            (a, chosen)
        })
        .collect();
    Ok(pages::render(
        status,
        &BoardPage {
            layout: Layout::new(&state, Some(&identity), &csrf, "/help", "Help each other"),
            errors,
            posts: board
                .as_ref()
                .map(|b| b.posts.iter().map(|x| item(x, t)).collect())
                .unwrap_or_default(),
            kinds: vec![
                ("ask", "Asks for help", p.kind.trim() == "ask"),
                ("offer", "Offers of help", p.kind.trim() == "offer"),
            ],
            categories: choices(Category::ALL, Category::code, Category::words, &p.category),
            urgencies: choices(Urgency::ALL, Urgency::code, Urgency::words, &p.urgency),
            areas,
            near: p.near.clone(),
            filtered: [&p.kind, &p.category, &p.area, &p.urgency, &p.near]
                .iter()
                .any(|v| !v.trim().is_empty()),
            previous: (page > 1 && board.is_some()).then(|| board_link(&p, page - 1)),
            next: board
                .as_ref()
                .filter(|b| b.more)
                .map(|_| board_link(&p, page + 1)),
        },
    ))
}

// ---- Posting ----------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct NewParams {
    #[serde(default)]
    kind: String,
}

#[derive(Template)]
#[template(path = "mutual_aid/new.html")]
struct NewPage {
    layout: Layout,
    errors: Errors,
    kinds: Choices,
    categories: Choices,
    urgencies: Choices,
    areas: Vec<String>,
    today: String,
}

fn new_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    kind: &str,
    errors: Errors,
) -> NewPage {
    let title = match Kind::parse(kind) {
        Some(Kind::Offer) => "Offer help",
        _ => "Ask for help",
    };
    NewPage {
        layout: Layout::new(state, Some(identity), csrf, "/help", title),
        errors,
        kinds: choices(Kind::ALL, Kind::code, Kind::words, kind),
        categories: choices(Category::ALL, Category::code, Category::words, ""),
        urgencies: choices(Urgency::ALL, Urgency::code, Urgency::words, "anytime"),
        areas: state
            .settings
            .mutual_aid
            .areas
            .iter()
            .map(|a| a.name.clone())
            .collect(),
        today: dates::today_ymd(now()),
    }
}

pub(crate) async fn view_new_post_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(p): Query<NewParams>,
) -> PageResult {
    let kind = if Kind::parse(&p.kind).is_some() {
        p.kind.as_str()
    } else {
        "ask"
    };
    Ok(pages::page(&new_page(
        &state,
        &identity,
        &csrf,
        kind,
        Errors::none(),
    )))
}

#[derive(Debug, Deserialize, Default)]
pub struct PostForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    details: String,
    #[serde(default)]
    when: String,
    #[serde(default)]
    when_on: String,
    #[serde(default)]
    when_from: String,
    #[serde(default)]
    when_to: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    up_for_days: String,
    many_times: Option<String>,
    in_home: Option<String>,
    personal_care: Option<String>,
}

pub(crate) async fn view_new_post_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(f): PageForm<PostForm>,
) -> PageResult {
    let draft = Draft {
        kind: f.kind.clone(),
        category: f.category,
        title: f.title,
        details: f.details,
        when: WhenInput::Form {
            choice: f.when,
            on: f.when_on,
            from: f.when_from,
            to: f.when_to,
        },
        area: f.area,
        urgency: f.urgency,
        up_for_days: f.up_for_days,
        many_times: f.many_times.is_some(),
        in_home: f.in_home.is_some(),
        personal_care: f.personal_care.is_some(),
    };
    match help::create_post(&state, &identity, &draft, now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/help/posts/{id}?done=posted")).into_response()),
        Err(e) => match field_errors(e) {
            Ok(errors) => Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &new_page(&state, &identity, &csrf, &f.kind, errors),
            )),
            Err(e) => Err(e.into()),
        },
    }
}

/// The problems with a form's fields, to show beside them; any other error as it is.
fn field_errors(e: Error) -> Result<Errors, Error> {
    let mut errors = Errors::none();
    match e {
        Error::Field(e) => errors.add_field_error(&e),
        Error::Fields(list) => {
            for e in &list {
                errors.add_field_error(e);
            }
        }
        e => return Err(e),
    }
    Ok(errors)
}

// ---- One post ---------------------------------------------------------------------------

pub struct AnswerItem {
    id: i64,
    who: String,
    state: &'static str,
    waiting: bool,
}

#[derive(Template)]
#[template(path = "mutual_aid/post.html")]
struct PostPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    item: PostItem,
    details: String,
    kind_words: &'static str,
    until: String,
    in_home: bool,
    personal_care: bool,
    own: bool,
    closed: bool,
    answers: Vec<AnswerItem>,
    my_match: Option<i64>,
    respond_label: &'static str,
    has_phone: bool,
}

#[derive(Debug, Deserialize, Default)]
pub struct DoneParams {
    done: Option<String>,
}

async fn post_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    id: i64,
    notice: Option<&str>,
    errors: Errors,
) -> PageResult {
    let t = now();
    let seen = help::post(state, identity, id, t).await?;
    let has_phone = !village_app::accounts::changes::phone(state, identity)
        .await?
        .is_empty();
    let p = &seen.post;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &PostPage {
            layout: Layout::new(state, Some(identity), csrf, "/help", p.title.clone())
                .with_notice(notice),
            errors,
            id,
            item: item(p, t),
            details: p.details.clone(),
            kind_words: p.kind.words(),
            until: dates::day_of(p.expires_at),
            in_home: p.in_home,
            personal_care: p.personal_care,
            own: seen.own,
            closed: p.state == post::PostState::Closed,
            answers: seen
                .matches
                .iter()
                .map(|m| AnswerItem {
                    id: m.id,
                    who: if m.state.contact_shared() {
                        m.responder_name.clone()
                    } else {
                        first_name(&m.responder_name)
                    },
                    state: m.state.words(),
                    waiting: m.state == MatchState::Requested,
                })
                .collect(),
            my_match: seen.my_match,
            respond_label: p.kind.respond_label(),
            has_phone,
        },
    ))
}

pub(crate) async fn view_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let notice = match q.done.as_deref() {
        Some("posted") => Some("Your post is on the board. We will tell you when someone answers."),
        Some("closed") => Some("Your post is closed. It is no longer on the board."),
        Some("renewed") => Some("Your post is up for another 30 days."),
        _ => None,
    };
    post_page(&state, &identity, &csrf, id, notice, Errors::none()).await
}

#[derive(Debug, Deserialize, Default)]
pub struct RespondForm {
    #[serde(default)]
    message: String,
    share_email: Option<String>,
    share_phone: Option<String>,
}

pub(crate) async fn view_respond(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<RespondForm>,
) -> PageResult {
    let shares = Shares {
        email: f.share_email.is_some(),
        phone: f.share_phone.is_some(),
    };
    match help::respond(&state, &identity, id, &f.message, shares, &ip, now()).await {
        Ok(Responded::New(m) | Responded::AlreadyOpen(m)) => {
            Ok(Redirect::to(&format!("/help/matches/{m}")).into_response())
        }
        Err(e) => {
            let errors = field_errors(e)?;
            post_page(&state, &identity, &csrf, id, None, errors).await
        }
    }
}

/// Asked before a post is closed.
pub(crate) async fn view_close_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let seen = help::post(&state, &identity, id, now()).await?;
    if !seen.own || seen.post.state == post::PostState::Closed {
        return Ok(Redirect::to(&format!("/help/posts/{id}")).into_response());
    }
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/help", "Close this post?"),
        lines: vec![
            format!("\"{}\" comes off the board, and nobody new can answer it.", seen.post.title),
            "Anyone you are already talking to can still send you messages. You can put it back up later.".into(),
        ],
        action: format!("/help/posts/{id}/close"),
        yes: "Yes, close it".into(),
        no: "No, keep it up".into(),
        back: format!("/help/posts/{id}"),
        reason_label: String::new(),
    }))
}

pub(crate) async fn view_close(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    help::close_post(&state, &identity, id, now()).await?;
    Ok(Redirect::to(&format!("/help/posts/{id}?done=closed")).into_response())
}

pub(crate) async fn view_renew(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    help::renew_post(&state, &identity, id, now()).await?;
    Ok(Redirect::to(&format!("/help/posts/{id}?done=renewed")).into_response())
}

// ---- One match --------------------------------------------------------------------------

pub struct ActionItem {
    code: &'static str,
    label: &'static str,
    /// Ends the match: asked about first.
    confirm: bool,
}

#[derive(Template)]
#[template(path = "mutual_aid/match.html")]
struct MatchPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    post_id: i64,
    state_words: &'static str,
    waiting_for_me: bool,
    waiting_for_them: bool,
    other_name: String,
    other_id: i64,
    contact: Option<help::Contact>,
    shared: bool,
    messages: Vec<(String, String, String)>,
    can_message: bool,
    actions: Vec<ActionItem>,
    accept: bool,
    has_phone: bool,
    history: Vec<(String, String)>,
    in_home: bool,
    personal_care: bool,
    credits: bool,
    time: Vec<TimeItem>,
    can_record_time: bool,
}

pub struct TimeItem {
    id: i64,
    words: String,
    state: &'static str,
    answer: bool,
}

async fn match_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    id: i64,
    notice: Option<&str>,
    errors: Errors,
) -> PageResult {
    let seen = help::view_match(state, identity, id, ip, now()).await?;
    let time = help::time_in_match(state, identity, id).await?;
    let has_phone = !village_app::accounts::changes::phone(state, identity)
        .await?
        .is_empty();
    let row = &seen.row;
    let me = identity.user.id;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &MatchPage {
            layout: Layout::new(state, Some(identity), csrf, "/help", row.title.clone())
                .with_notice(notice),
            errors,
            id,
            post_id: row.post_id,
            state_words: row.state.words(),
            waiting_for_me: row.state == MatchState::Requested && seen.parties.poster,
            waiting_for_them: row.state == MatchState::Requested && !seen.parties.poster,
            other_name: seen.other_name.clone(),
            other_id: if seen.parties.poster {
                row.responder_id
            } else {
                row.author_id
            },
            contact: seen.contact.clone(),
            shared: row.state.contact_shared(),
            messages: seen
                .messages
                .iter()
                .map(|m| {
                    let who = if m.author_id == me {
                        "You".to_string()
                    } else {
                        m.author_name.clone()
                    };
                    (who, when(m.at), m.body.clone())
                })
                .collect(),
            can_message: row.state.open_to_messages(),
            accept: seen.actions.contains(&Action::Accept),
            actions: seen
                .actions
                .iter()
                .filter(|a| **a != Action::Accept)
                .map(|a| ActionItem {
                    code: a.code(),
                    label: a.words(),
                    confirm: *a != Action::Done,
                })
                .collect(),
            has_phone,
            history: seen
                .events
                .iter()
                .map(|e| {
                    let who = match &e.actor_name {
                        Some(_) if e.actor_id == Some(me) => "You".to_string(),
                        Some(n) if seen.contact.is_some() => n.clone(),
                        Some(n) => first_name(n),
                        None => "Someone".into(),
                    };
                    let what = match e.action.as_str() {
                        "respond" => "answered the post",
                        "accept" => "said yes",
                        "decline" => "said no, thank you",
                        "done" => "said it happened",
                        "didnt_happen" => "said it did not happen",
                        "withdraw" => "withdrew",
                        _ => "changed it",
                    };
                    (when(e.at), format!("{who} {what}"))
                })
                .collect(),
            in_home: seen.in_home,
            personal_care: seen.personal_care,
            credits: state.settings.mutual_aid.credits,
            can_record_time: state.settings.mutual_aid.credits && row.state == MatchState::Done,
            time: time
                .iter()
                .map(|x| {
                    let name = |n: &Option<String>, id: Option<i64>| {
                        if id == Some(me) {
                            "you".to_string()
                        } else {
                            n.as_deref()
                                .map(first_name)
                                .unwrap_or_else(|| "a former member".into())
                        }
                    };
                    let giver = name(&x.giver_name, x.giver_id);
                    let mut words = format!(
                        "{} gave {} to {}",
                        giver,
                        credits::minutes_words(x.minutes),
                        name(&x.receiver_name, x.receiver_id)
                    );
                    if let Some(first) = words.get(..1) {
                        words = first.to_uppercase() + &words[1..];
                    }
                    TimeItem {
                        id: x.id,
                        words,
                        state: x.state.words(),
                        answer: x.state == credits::ExchangeState::Proposed
                            && x.recorded_by != Some(me),
                    }
                })
                .collect(),
        },
    ))
}

pub(crate) async fn view_match(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let notice = match q.done.as_deref() {
        Some("sent") => Some("Your message has been sent."),
        Some("accept") => Some("You said yes. You can now see how to reach each other."),
        Some("decline") => Some("You said no, thank you. They have been told kindly."),
        Some("done") => Some("Thank you for letting us know it happened."),
        Some("didnt_happen") => Some("Thank you for letting us know."),
        Some("withdraw") => Some("You have withdrawn. They have been told."),
        Some("time") => Some("The time is added once the other person confirms it."),
        Some("confirmed") => Some("Thank you. The time has been added."),
        Some("disputed") => {
            Some("Thank you for telling us. A coordinator will look at it with you.")
        }
        _ => None,
    };
    match_page(&state, &identity, &csrf, &ip, id, notice, Errors::none()).await
}

#[derive(Debug, Deserialize, Default)]
pub struct MessageForm {
    #[serde(default)]
    message: String,
}

pub(crate) async fn view_message(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<MessageForm>,
) -> PageResult {
    match help::send_message(&state, &identity, id, &f.message, now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/help/matches/{id}?done=sent")).into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            match_page(&state, &identity, &csrf, &ip, id, None, errors).await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ActForm {
    share_email: Option<String>,
    share_phone: Option<String>,
}

pub(crate) async fn view_act(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, action)): Path<(i64, String)>,
    PageForm(f): PageForm<ActForm>,
) -> PageResult {
    let Some(action) = Action::parse(&action) else {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    };
    let shares = Shares {
        email: f.share_email.is_some(),
        phone: f.share_phone.is_some(),
    };
    match help::act(&state, &identity, id, action, shares, &ip, now()).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/help/matches/{id}?done={}", action.code())).into_response())
        }
        Err(e) => {
            let errors = field_errors(e)?;
            match_page(&state, &identity, &csrf, &ip, id, None, errors).await
        }
    }
}

/// Asked before a step that ends a match (saying no, withdrawing, it did not happen).
pub(crate) async fn view_act_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, action)): Path<(i64, String)>,
) -> PageResult {
    let Some(action) =
        Action::parse(&action).filter(|a| !matches!(a, Action::Accept | Action::Done))
    else {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    };
    let seen = help::view_match(&state, &identity, id, &ip, now()).await?;
    if !seen.actions.contains(&action) {
        return Ok(Redirect::to(&format!("/help/matches/{id}")).into_response());
    }
    let name = &seen.other_name;
    let (title, line, yes, no) = match action {
        Action::Decline => (
            format!("Say no, thank you, to {name}?"),
            format!("{name} will be told kindly that it will not go ahead this time. Your post stays up for others."),
            "Yes, say no, thank you",
            "No, go back",
        ),
        Action::DidntHappen => (
            "Say it did not happen?".to_string(),
            format!("{name} will be told. Nothing else changes."),
            "Yes, it did not happen",
            "No, go back",
        ),
        _ => (
            "Withdraw from this match?".to_string(),
            format!("{name} will be told. You will no longer see each other's contact details."),
            "Yes, withdraw",
            "No, keep it going",
        ),
    };
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/help", title),
        lines: vec![line],
        action: format!("/help/matches/{id}/{}", action.code()),
        yes: yes.into(),
        no: no.into(),
        back: format!("/help/matches/{id}"),
        reason_label: String::new(),
    }))
}

// ---- Your help --------------------------------------------------------------------------

pub struct MatchItem {
    id: i64,
    title: String,
    with: String,
    state: &'static str,
    mine_to_answer: bool,
}

#[derive(Template)]
#[template(path = "mutual_aid/mine.html")]
struct MinePage {
    layout: Layout,
    credits: bool,
    posts: Vec<PostItem>,
    matches: Vec<MatchItem>,
}

pub(crate) async fn view_mine(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let t = now();
    let mine = help::mine(&state, &identity).await?;
    let me = identity.user.id;
    Ok(pages::page(&MinePage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/help", "Your help"),
        credits: state.settings.mutual_aid.credits,
        posts: mine.posts.iter().map(|p| item(p, t)).collect(),
        matches: mine
            .matches
            .iter()
            .map(|m| {
                let poster = m.author_id == me;
                let other = if poster {
                    &m.responder_name
                } else {
                    &m.author_name
                };
                MatchItem {
                    id: m.id,
                    title: m.title.clone(),
                    with: if m.state.contact_shared() {
                        other.clone()
                    } else {
                        first_name(other)
                    },
                    state: m.state.words(),
                    mine_to_answer: poster && m.state == MatchState::Requested,
                }
            })
            .collect(),
    }))
}

// ---- Time credits -----------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub struct TimeForm {
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    gave: String,
    #[serde(default)]
    note: String,
}

pub(crate) async fn view_record_time(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<TimeForm>,
) -> PageResult {
    let mut errors = Errors::none();
    let minutes = credits::read_minutes(&f.minutes);
    if minutes.is_none() {
        errors.add("minutes", "Give the time like 1:30, 90 minutes or 2 hours.");
    }
    let gave = match f.gave.as_str() {
        "gave" => Some(true),
        "received" => Some(false),
        _ => {
            errors.add("gave", "Choose whether you gave the help or received it.");
            None
        }
    };
    let result = match (minutes, gave) {
        (Some(m), Some(g)) => {
            help::record_time(&state, &identity, id, m, g, &f.note, &ip, now()).await
        }
        _ => Err(Error::Fields(Vec::new())),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/help/matches/{id}?done=time")).into_response()),
        Err(e) => {
            for problem in field_errors(e)?.list {
                errors.add(&problem.field, problem.message);
            }
            match_page(&state, &identity, &csrf, &ip, id, None, errors).await
        }
    }
}

pub(crate) async fn view_answer_time(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path((id, action)): Path<(i64, String)>,
) -> PageResult {
    let Some(action) = credits::ExchangeAction::parse(&action) else {
        return Ok(crate::hub::not_found_page(&state, Some(&identity), &csrf));
    };
    let x = help::exchange_for(&state, &identity, id).await?;
    help::answer_time(&state, &identity, id, action, &ip, now()).await?;
    let done = match action {
        credits::ExchangeAction::Confirm => "confirmed",
        credits::ExchangeAction::Dispute => "disputed",
    };
    let to = match x.match_id {
        Some(m) => format!("/help/matches/{m}?done={done}"),
        None => format!("/help/time?done={done}"),
    };
    Ok(Redirect::to(&to).into_response())
}

pub struct EntryItem {
    when: String,
    words: String,
    with: String,
    plus: bool,
    note: String,
}

#[derive(Template)]
#[template(path = "mutual_aid/time.html")]
struct TimePage {
    layout: Layout,
    errors: Errors,
    balance: Option<String>,
    entries: Vec<EntryItem>,
    to_answer: Vec<(i64, Option<i64>, String)>,
    lowest: String,
}

async fn time_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    notice: Option<&str>,
    errors: Errors,
) -> PageResult {
    let a = help::time_account(state, identity).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &TimePage {
            layout: Layout::new(state, Some(identity), csrf, "/help", "Your time account")
                .with_notice(notice),
            errors,
            balance: a.balance.map(credits::minutes_words),
            entries: a
                .entries
                .iter()
                .map(|e| EntryItem {
                    when: dates::day_of(e.at),
                    words: credits::minutes_words(e.minutes.abs()),
                    with: help::entry_with(e.other_name.as_deref(), e.other_pot),
                    plus: e.minutes > 0,
                    note: e.note.clone().unwrap_or_default(),
                })
                .collect(),
            to_answer: a
                .to_answer
                .iter()
                .map(|x| {
                    let words = format!(
                        "{} gave {} to {}",
                        x.giver_name
                            .as_deref()
                            .map(first_name)
                            .unwrap_or_else(|| "Someone".into()),
                        credits::minutes_words(x.minutes),
                        x.receiver_name
                            .as_deref()
                            .map(first_name)
                            .unwrap_or_else(|| "someone".into()),
                    );
                    (x.id, x.match_id, words)
                })
                .collect(),
            lowest: credits::minutes_words(-state.settings.mutual_aid.lowest_balance_minutes),
        },
    ))
}

pub(crate) async fn view_time(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let notice = match q.done.as_deref() {
        Some("given") => Some("Thank you. Your gift of time has been passed on."),
        Some("confirmed") => Some("Thank you. The time has been added."),
        Some("disputed") => {
            Some("Thank you for telling us. A coordinator will look at it with you.")
        }
        _ => None,
    };
    time_page(&state, &identity, &csrf, notice, Errors::none()).await
}

#[derive(Debug, Deserialize, Default)]
pub struct GiveForm {
    #[serde(default)]
    minutes: String,
}

pub(crate) async fn view_give_time(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(f): PageForm<GiveForm>,
) -> PageResult {
    let Some(minutes) = credits::read_minutes(&f.minutes) else {
        let mut errors = Errors::none();
        errors.add("minutes", "Give the time like 1:30, 90 minutes or 2 hours.");
        return time_page(&state, &identity, &csrf, None, errors).await;
    };
    match help::give(&state, &identity, None, minutes, now()).await {
        Ok(()) => Ok(Redirect::to("/help/time?done=given").into_response()),
        Err(Error::Conflict(_, words)) => {
            let mut errors = Errors::none();
            errors.add("minutes", words);
            time_page(&state, &identity, &csrf, None, errors).await
        }
        Err(e) => {
            let errors = field_errors(e)?;
            time_page(&state, &identity, &csrf, None, errors).await
        }
    }
}
