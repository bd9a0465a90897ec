//! One gathering (`/gatherings/{id}`, and `/gatherings/{id}.ics`) as each person sees it:
//! when, where and what the venue has that helps; who chairs it; signing up with what would
//! help, the waiting list and a place offered; for someone asked to chair, saying yes or no;
//! for its organisers, asking chairs, publishing, cancelling, and what would help people
//! (`/gatherings/{id}/needs`, every look audited).

use super::*;
use crate::auth::ClientAddress;
use village_app::gatherings::{Seen, SignUpBody};
use village_domain::gatherings::places::{Need, Place};

#[derive(Debug, Deserialize, Default)]
pub struct DoneParams {
    done: Option<String>,
}

/// What the sign-up form holds, to show again.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct SignUpForm {
    #[serde(default)]
    needs: Vec<String>,
    #[serde(default)]
    words: String,
}

/// What the forms for running it hold (asking a chair, adding someone to run it), to show
/// again.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct ChairForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    organiser_email: String,
}

#[derive(Template)]
#[template(path = "gatherings/gathering.html")]
struct GatheringPage {
    layout: Layout,
    errors: Errors,
    g: Seen,
    when: String,
    place: String,
    facts: Vec<&'static str>,
    needs: Vec<(&'static str, &'static str, bool)>,
    form: SignUpForm,
    chair_form: ChairForm,
    signed_in: bool,
    /// The viewer's own place, in words, and until when an offer is held.
    my_place: Option<&'static str>,
    offered_until: String,
    /// The chairs' states in words, for organisers.
    chairs: Vec<(String, &'static str)>,
    /// The viewer's own member id, to tell their own name among the people running it.
    me: i64,
    /// How many days after a gathering what people said would help them is kept.
    forget_days: u32,
    /// Open space: the grid of rooms × times.
    grid: Option<super::sessions::GridView>,
    /// The minutes can be read (or written, by this person).
    minutes: bool,
    /// For a series: how it comes round, the next times, and the days it skips.
    repeats: Option<String>,
    ahead: Vec<String>,
    skipped: Vec<String>,
}

fn chair_words(state: &str) -> &'static str {
    match state {
        "accepted" => "said yes",
        "declined" => "said no",
        _ => "asked, not answered yet",
    }
}

async fn gathering_page(
    state: &AppState,
    who: Option<&Identity>,
    csrf: &CsrfToken,
    id: i64,
    notice: Option<&str>,
    errors: Errors,
    (form, chair_form): (SignUpForm, ChairForm),
) -> Result<GatheringPage, Error> {
    let g = gatherings::gathering(state, who, id, now()).await?;
    let grid = gatherings::open_space::open_space(state, who, id, now())
        .await?
        .map(|grid| super::sessions::GridView::new(&grid, id, g.row.starts_at));
    let minutes = gatherings::minutes::minutes(state, who, id, now()).await?;
    let minutes = minutes.minutes.is_some() || minutes.may_write;
    let mine = match (who, &g.mine) {
        (Some(w), Some(_)) => gatherings::my_needs(state, w, id).await?,
        _ => None,
    };
    // Someone signed up sees what they said before, to change it.
    let form = match (&mine, form.needs.is_empty() && form.words.is_empty()) {
        (Some(n), true) => SignUpForm {
            needs: n.needs.split(',').map(str::to_string).collect(),
            words: n.words.clone(),
        },
        _ => form,
    };
    Ok(GatheringPage {
        layout: Layout::new(
            state,
            who,
            csrf,
            &format!("/gatherings/{id}"),
            g.row.title.clone(),
        )
        .with_notice(notice),
        errors,
        when: match gatherings::next_time(&g.row, now()) {
            Some((s, e)) => when_words(s, e),
            None => when_words(g.row.starts_at, g.row.ends_at),
        },
        repeats: village_domain::gatherings::series::words(g.row.starts_at, &g.row.series()),
        ahead: gatherings::times_ahead(&g.row, now(), 7)
            .into_iter()
            .skip(1)
            .map(|(s, _)| dates::day_of(s))
            .collect(),
        skipped: g
            .row
            .series()
            .skipped
            .iter()
            .map(|d| d.format("%-d %B %Y").to_string())
            .collect(),
        place: gatherings::calendar::location(&g.row),
        facts: g.access.iter().map(|f| f.words()).collect(),
        needs: Need::ALL
            .iter()
            .map(|n| {
                (
                    n.code(),
                    n.words(),
                    form.needs.iter().any(|c| c == n.code()),
                )
            })
            .collect(),
        form,
        chair_form,
        signed_in: who.is_some(),
        me: who.map(|w| w.user.id).unwrap_or_default(),
        forget_days: gatherings::forget_needs_days(state),
        my_place: g.mine.as_ref().map(|m| match m.place {
            Place::Going => "You have a place.",
            Place::Waiting => "You are on the waiting list. If a place frees, we will tell you.",
            Place::Offered => "A place is free, and it is yours if you want it.",
        }),
        offered_until: g
            .mine
            .as_ref()
            .and_then(|m| m.offered_until)
            .map(dates::when)
            .unwrap_or_default(),
        chairs: g
            .chairs
            .iter()
            .map(|c| (c.display_name.clone(), chair_words(&c.state)))
            .collect(),
        grid,
        minutes,
        g,
    })
}

fn notice_for(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "changed" => "Your changes are saved.",
        "organiser_added" => "They can help to run it now. We have told them.",
        "organiser_removed" => "They no longer help to run it. We have told them.",
        "made" => "Your gathering is saved. Nobody else can see it yet: ask someone with lived experience to chair it, then publish it.",
        "asked" => "We have asked them to chair it.",
        "accepted" => "Thank you for saying yes to chairing.",
        "declined" => "You have said no to chairing. The organisers are told.",
        "published" => "It is published. Everyone can see it and sign up.",
        "cancelled" => "It is cancelled. Everyone who signed up is told.",
        "going" => "You have a place. We look forward to seeing you.",
        "waiting" => "It is full, so you are on the waiting list. If a place frees, we will tell you.",
        "offered" => "A place is free, and it is yours if you want it.",
        "taken" => "The place is yours. We look forward to seeing you.",
        "left" => "You are no longer signed up. What you told us about what would help you is deleted.",
        _ => return None,
    })
}

/// `/gatherings/{id}`, or `/gatherings/{id}.ics` for its calendar file.
pub(crate) async fn view_gathering(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
    Query(q): Query<DoneParams>,
) -> PageResult {
    if let Some(n) = id.strip_suffix(".ics") {
        let n: i64 = n.parse().map_err(|_| Error::NotFound("gathering"))?;
        let text = gatherings::calendar::one(&state, identity.as_ref(), n, now()).await?;
        return Ok(calendar_response(text, &format!("gathering-{n}.ics")));
    }
    let id: i64 = id.parse().map_err(|_| Error::NotFound("gathering"))?;
    let page = gathering_page(
        &state,
        identity.as_ref(),
        &csrf,
        id,
        notice_for(q.done.as_deref()),
        Errors::none(),
        Default::default(),
    )
    .await?;
    Ok(pages::page(&page))
}

fn done(id: i64, what: &str) -> Response {
    Redirect::to(&format!("/gatherings/{id}?done={what}")).into_response()
}

/// A form's problem shown on the gathering's page, with every answer kept.
async fn again(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    e: Error,
    forms: (SignUpForm, ChairForm),
) -> PageResult {
    let errors = field_errors(e)?;
    let page = gathering_page(state, Some(who), csrf, id, None, errors, forms).await?;
    Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

/// A step refused for now (409), said on the gathering's page beside `field`.
async fn refused(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    field: &'static str,
    words: String,
) -> PageResult {
    let mut errors = Errors::none();
    errors.add(field, words);
    let page = gathering_page(state, Some(who), csrf, id, None, errors, Default::default()).await?;
    Ok(pages::render(StatusCode::CONFLICT, &page))
}

pub(crate) async fn view_sign_up(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<SignUpForm>,
) -> PageResult {
    let body = SignUpBody {
        needs: f.needs.clone(),
        words: Some(f.words.clone()),
    };
    match gatherings::sign_up(&state, &identity, id, &body, now()).await {
        Ok(place) => Ok(done(id, place.code())),
        Err(e) => again(&state, &identity, &csrf, id, e, (f, ChairForm::default())).await,
    }
}

pub(crate) async fn view_take(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    gatherings::take_offer(&state, &identity, id, now()).await?;
    Ok(done(id, "taken"))
}

async fn confirm(
    state: &AppState,
    who: &Identity,
    csrf: &CsrfToken,
    id: i64,
    (question, detail, action, (yes, no)): (&str, &str, &str, (&str, &str)),
) -> PageResult {
    let g = gatherings::gathering(state, Some(who), id, now()).await?;
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(
            state,
            Some(who),
            csrf,
            &format!("/gatherings/{id}"),
            question,
        ),
        lines: vec![
            format!(
                "{}: {}.",
                g.row.title,
                when_words(g.row.starts_at, g.row.ends_at)
            ),
            detail.to_string(),
        ],
        action: format!("/gatherings/{id}/{action}"),
        yes: yes.to_string(),
        no: no.to_string(),
        back: format!("/gatherings/{id}"),
        reason_label: String::new(),
    }))
}

pub(crate) async fn view_leave_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let words = (
        "Give up your place?",
        "Your place goes to the next person waiting, and what you told us about what would help you is deleted.",
        "leave",
        ("Yes, give up my place", "No, keep it"),
    );
    confirm(&state, &identity, &csrf, id, words).await
}

pub(crate) async fn view_leave(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    gatherings::leave(&state, &identity, id, now()).await?;
    Ok(done(id, "left"))
}

pub(crate) async fn view_invite_chair(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<ChairForm>,
) -> PageResult {
    match gatherings::invite_chair_by_email(&state, &identity, id, &f.email, now()).await {
        Ok(()) => Ok(done(id, "asked")),
        Err(e) => again(&state, &identity, &csrf, id, e, (SignUpForm::default(), f)).await,
    }
}

pub(crate) async fn view_add_organiser(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<ChairForm>,
) -> PageResult {
    let email = f.organiser_email.clone();
    match gatherings::add_organiser_by_email(&state, &identity, id, &email, now()).await {
        Ok(()) => Ok(done(id, "organiser_added")),
        Err(e) => again(&state, &identity, &csrf, id, e, (SignUpForm::default(), f)).await,
    }
}

/// Take someone off the people running it; taking yourself off goes back to the list (a
/// draft is no longer yours to see).
pub(crate) async fn view_remove_organiser(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path((id, member)): Path<(i64, i64)>,
) -> PageResult {
    match gatherings::remove_organiser(&state, &identity, id, member, now()).await {
        Ok(()) if member == identity.user.id => Ok(Redirect::to("/gatherings").into_response()),
        Ok(()) => Ok(done(id, "organiser_removed")),
        Err(Error::Conflict(_, words)) => {
            refused(&state, &identity, &csrf, id, "organisers", words).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct AnswerForm {
    /// `accept` or `decline`.
    #[serde(default)]
    answer: String,
    named: Option<String>,
}

pub(crate) async fn view_answer_chair(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
    PageForm(f): PageForm<AnswerForm>,
) -> PageResult {
    let accept = match f.answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => {
            return Err(Error::Field(village_domain::error::FieldError::new(
                "answer",
                village_domain::error::ErrorCode::Invalid,
                "Choose yes or no.",
            ))
            .into())
        }
    };
    gatherings::answer_chair(&state, &identity, id, accept, f.named.is_some(), now()).await?;
    Ok(done(id, if accept { "accepted" } else { "declined" }))
}

pub(crate) async fn view_publish(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    match gatherings::publish(&state, &identity, id, now()).await {
        Ok(()) => Ok(done(id, "published")),
        Err(Error::Conflict(_, words)) => {
            refused(&state, &identity, &csrf, id, "publish", words).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn view_cancel_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let words = (
        "Cancel this gathering?",
        "Everyone who signed up is told, and calendars show it as cancelled. This cannot be undone.",
        "cancel",
        ("Yes, cancel it", "No, keep it"),
    );
    confirm(&state, &identity, &csrf, id, words).await
}

pub(crate) async fn view_cancel(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    gatherings::cancel(&state, &identity, id, now()).await?;
    Ok(done(id, "cancelled"))
}

/// What one person said would help them, as the organisers' page shows it.
pub struct NeedsItem {
    name: String,
    needs: Vec<&'static str>,
    words: String,
}

#[derive(Template)]
#[template(path = "gatherings/needs.html")]
struct NeedsPage {
    layout: Layout,
    id: i64,
    counts: Vec<(&'static str, usize)>,
    people: Vec<NeedsItem>,
    forget_days: u32,
}

pub(crate) async fn view_needs(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let rows = gatherings::needs(&state, &identity, id, &ip, now()).await?;
    let g = gatherings::gathering(&state, Some(&identity), id, now()).await?;
    let page = NeedsPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            &format!("/gatherings/{id}"),
            format!("What would help people at {}", g.row.title),
        ),
        id,
        forget_days: gatherings::forget_needs_days(&state),
        counts: gatherings::need_counts(&rows)
            .into_iter()
            .map(|(n, c)| (n.words(), c))
            .collect(),
        people: rows
            .into_iter()
            .map(|r| NeedsItem {
                name: r.display_name,
                needs: r
                    .needs
                    .split(',')
                    .filter_map(Need::parse)
                    .map(|n| n.words())
                    .collect(),
                words: r.words,
            })
            .collect(),
    };
    Ok(pages::page(&page))
}
