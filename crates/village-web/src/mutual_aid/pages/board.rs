//! The board of asks and offers, and "Your help": a member's own posts and matches.

use super::*;

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
    /// A steward: the safety checks they record.
    steward: bool,
    coordinator: bool,
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
        .map(|b| {
            b.areas
                .iter()
                .map(|a| (a.clone(), a == p.area.trim()))
                .collect()
        })
        .unwrap_or_default();
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
            steward: identity.may(village_domain::access::Action::RecordSafetyMarks),
            coordinator: coordinator(&identity),
        },
    ))
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
    errors: Errors,
    credits: bool,
    my_checks: String,
    posts: Vec<PostItem>,
    matches: Vec<MatchItem>,
    /// The weekly email: the area, and the day the next one is due.
    digest: Option<(String, String)>,
    areas: Vec<String>,
}

pub(super) async fn mine_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    notice: Option<&str>,
    errors: Errors,
) -> PageResult {
    let t = now();
    let mine = help::mine(state, identity).await?;
    let digest = help::digest(state, identity).await?;
    let me = identity.user.id;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &MinePage {
            layout: Layout::new(state, Some(identity), csrf, "/help", "Your help")
                .with_notice(notice),
            errors,
            credits: state.settings.mutual_aid.credits,
            my_checks: format!("/people/{me}/safety-marks"),
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
            digest: digest.map(|d| (d.area, dates::day_of(d.next_at))),
            areas: state
                .settings
                .mutual_aid
                .areas
                .iter()
                .map(|a| a.name.clone())
                .collect(),
        },
    ))
}

pub(crate) async fn view_mine(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let notice = match q.done.as_deref() {
        Some("digest") => Some("Done. We will email you each week about help near you."),
        Some("digest_stopped") => Some("Done. We will not email you about help near you."),
        _ => None,
    };
    mine_page(&state, &identity, &csrf, notice, Errors::none()).await
}

#[derive(Debug, Deserialize, Default)]
pub struct DigestForm {
    #[serde(default)]
    area: String,
}

pub(crate) async fn view_start_digest(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(f): PageForm<DigestForm>,
) -> PageResult {
    match help::start_digest(&state, &identity, &f.area, now()).await {
        Ok(_) => Ok(Redirect::to("/help/mine?done=digest").into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            mine_page(&state, &identity, &csrf, None, errors).await
        }
    }
}

pub(crate) async fn view_stop_digest(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
) -> PageResult {
    help::stop_digest(&state, &identity).await?;
    Ok(Redirect::to("/help/mine?done=digest_stopped").into_response())
}
