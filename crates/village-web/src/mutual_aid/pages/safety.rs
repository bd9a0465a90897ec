//! Safety checks: one person's (their own, or anyone's for a steward, who records and takes
//! them away), and the stewards' list of everyone with checks recorded.

use super::*;
use village_domain::mutual_aid::safety::{Mark, MarkDraft};

pub struct MarkItem {
    code: &'static str,
    words: &'static str,
    seen_on: String,
    seen_by: String,
    until: String,
    holds: bool,
}

#[derive(Template)]
#[template(path = "mutual_aid/marks.html")]
struct MarksPage {
    layout: Layout,
    errors: Errors,
    own: bool,
    person: i64,
    name: String,
    marks: Vec<MarkItem>,
    may_record: bool,
    choices: Choices,
    /// What the hub asks for each sort of help: (sort, the checks in words).
    needs: Vec<(&'static str, String)>,
    today: String,
}

fn needs_words(state: &AppState) -> Vec<(&'static str, String)> {
    let s = &state.settings.mutual_aid.safety;
    let words = |marks: &[Mark]| {
        marks
            .iter()
            .map(|m| m.words())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    if !s.in_home.is_empty() {
        out.push(("Help in someone's home", words(&s.in_home)));
    }
    if !s.personal_care.is_empty() {
        out.push(("Personal care", words(&s.personal_care)));
    }
    out
}

#[allow(clippy::too_many_arguments)]
async fn marks_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    ip: &str,
    person: i64,
    notice: Option<&str>,
    errors: Errors,
    chosen: &str,
) -> PageResult {
    let t = now();
    let seen = help::marks(state, identity, person, ip, t).await?;
    let own = identity.user.id == person;
    let today = dates::parse_day(&dates::today_ymd(t)).unwrap_or_default();
    let marks = seen
        .marks
        .iter()
        .map(|m| {
            let held = m.held();
            MarkItem {
                code: m.mark.code(),
                words: m.mark.words(),
                seen_on: dates::day(&m.seen_on),
                seen_by: m
                    .seen_by_name
                    .clone()
                    .unwrap_or_else(|| "A steward who has since left".into()),
                until: m.expires_on.as_deref().map(dates::day).unwrap_or_default(),
                holds: held.is_some_and(|h| h.holds_on(today)),
            }
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = if own {
        "Your safety checks".to_string()
    } else {
        format!("Safety checks: {}", seen.display_name)
    };
    Ok(pages::render(
        status,
        &MarksPage {
            layout: Layout::new(state, Some(identity), csrf, "/help", title).with_notice(notice),
            errors,
            own,
            person,
            name: seen.display_name,
            marks,
            may_record: seen.may_record,
            choices: choices(Mark::ALL, Mark::code, Mark::words, chosen),
            needs: needs_words(state),
            today: today.to_string(),
        },
    ))
}

pub(crate) async fn view_marks(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(person): Path<i64>,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let notice = match q.done.as_deref() {
        Some("recorded") => Some("The check is recorded. They have been told."),
        Some("removed") => Some("The check is taken away. They have been told."),
        _ => None,
    };
    marks_page(
        &state,
        &identity,
        &csrf,
        &ip,
        person,
        notice,
        Errors::none(),
        "",
    )
    .await
}

#[derive(Debug, Deserialize, Default)]
pub struct MarkForm {
    #[serde(default)]
    mark: String,
    #[serde(default)]
    seen_on: String,
    #[serde(default)]
    expires_on: String,
}

pub(crate) async fn view_record_mark(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(person): Path<i64>,
    PageForm(f): PageForm<MarkForm>,
) -> PageResult {
    let draft = MarkDraft {
        mark: &f.mark,
        seen_on: &f.seen_on,
        expires_on: &f.expires_on,
    };
    match help::record_mark(&state, &identity, person, &draft, &ip, now()).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/people/{person}/safety-marks?done=recorded")).into_response(),
        ),
        Err(e) => {
            let errors = field_errors(e)?;
            marks_page(&state, &identity, &csrf, &ip, person, None, errors, &f.mark).await
        }
    }
}

pub(crate) async fn view_remove_mark(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path((person, mark)): Path<(i64, String)>,
) -> PageResult {
    help::remove_mark(&state, &identity, person, &mark, &ip, now()).await?;
    Ok(Redirect::to(&format!("/people/{person}/safety-marks?done=removed")).into_response())
}

pub struct MarkedItem {
    id: i64,
    name: String,
    marks: i64,
    last: String,
}

#[derive(Template)]
#[template(path = "mutual_aid/marks_people.html")]
struct MarkedPeoplePage {
    layout: Layout,
    errors: Errors,
    people: Vec<MarkedItem>,
    needs: Vec<(&'static str, String)>,
}

#[derive(Debug, Deserialize, Default)]
pub struct FindParams {
    email: Option<String>,
}

pub(crate) async fn view_marked_people(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<FindParams>,
) -> PageResult {
    let mut errors = Errors::none();
    if let Some(email) = q.email.as_deref() {
        match help::find_member(&state, &identity, email).await {
            Ok(id) => {
                return Ok(Redirect::to(&format!("/people/{id}/safety-marks")).into_response())
            }
            Err(e) => errors = field_errors(e)?,
        }
    }
    let people = help::people_with_marks(&state, &identity).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(pages::render(
        status,
        &MarkedPeoplePage {
            layout: Layout::new(&state, Some(&identity), &csrf, "/help", "Safety checks"),
            errors,
            people: people
                .into_iter()
                .map(|p| MarkedItem {
                    id: p.user_id,
                    name: p.display_name,
                    marks: p.marks,
                    last: dates::day_of(p.last_recorded_at),
                })
                .collect(),
            needs: needs_words(&state),
        },
    ))
}
