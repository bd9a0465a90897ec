//! Posting an ask or an offer; one post, answering it, and closing or renewing it.

use super::*;

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
    coordinator: bool,
    /// Groups the member organises, to post in their name: (id, name).
    groups: Vec<(String, String)>,
}

fn new_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    kind: &str,
    errors: Errors,
    groups: Vec<(String, String)>,
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
        coordinator: coordinator(identity),
        groups,
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
    let groups = help::my_groups(&state, &identity).await?;
    Ok(pages::page(&new_page(
        &state,
        &identity,
        &csrf,
        kind,
        Errors::none(),
        groups,
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
    #[serde(default)]
    for_member: String,
    #[serde(default)]
    agreed: String,
    #[serde(default)]
    group: String,
}

pub(crate) async fn view_new_post_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
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
        group: f.group.clone(),
    };
    let made = match for_someone(&state, &identity, &f.for_member, &f.agreed).await {
        Ok(on_behalf) => help::create_post(&state, &identity, &draft, on_behalf, &ip, now()).await,
        Err(e) => Err(e),
    };
    match made {
        Ok(id) => Ok(Redirect::to(&format!("/help/posts/{id}?done=posted")).into_response()),
        Err(e) => match field_errors(e) {
            Ok(errors) => {
                let groups = help::my_groups(&state, &identity).await?;
                Ok(pages::render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &new_page(&state, &identity, &csrf, &f.kind, errors, groups),
                ))
            }
            Err(e) => Err(e.into()),
        },
    }
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
    /// The safety checks the helper needs, in words.
    safety_needed: String,
    /// Why the caller cannot answer (or say yes) yet.
    safety_missing: Option<help::SafetyGap>,
    my_checks: String,
    coordinator: bool,
    /// "typed in by Sam, a coordinator, for Grace, who agreed by phone".
    typed: Option<String>,
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
            safety_needed: seen
                .safety_needed
                .iter()
                .map(|m| m.words())
                .collect::<Vec<_>>()
                .join(", "),
            safety_missing: seen.safety_missing.clone(),
            my_checks: format!("/people/{}/safety-marks", identity.user.id),
            coordinator: coordinator(identity),
            typed: p
                .posted_by_name
                .as_deref()
                .map(|by| help::proxy_words(Some(by), &p.author_name, p.agreed_how.as_deref())),
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
    #[serde(default)]
    for_member: String,
    #[serde(default)]
    agreed: String,
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
    let answered = match for_someone(&state, &identity, &f.for_member, &f.agreed).await {
        Ok(on_behalf) => {
            help::respond(
                &state,
                &identity,
                id,
                &f.message,
                shares,
                on_behalf,
                &ip,
                now(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match answered {
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
