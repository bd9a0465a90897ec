//! The minutes of a gathering (`/gatherings/{id}/minutes`): read once a chair approves them,
//! with how many came, which groups, the actions and every session's notes; written by its
//! organisers and chairs (starting from the sessions' notes if they like), approved by a
//! chair; an action made a proposal in a decision space in one step.

use super::sessions::{chosen_space, on_field};
use super::*;
use village_app::gatherings::minutes::{self as minutes, ActionBody, MinutesBody, MinutesSeen};

/// What the minutes form holds, to show again. Each action is a row of four fields.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct MinutesForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    came: String,
    /// One group on each line.
    #[serde(default)]
    groups: String,
    #[serde(default)]
    action_id: Vec<String>,
    #[serde(default)]
    action_what: Vec<String>,
    #[serde(default)]
    action_who: Vec<String>,
    #[serde(default)]
    action_by: Vec<String>,
}

/// One action row on the form.
pub struct ActionRowForm {
    pub id: String,
    pub what: String,
    pub who: String,
    pub by: String,
}

impl MinutesForm {
    fn rows(&self) -> Vec<ActionRowForm> {
        let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
        let n = self
            .action_what
            .len()
            .max(self.action_who.len())
            .max(self.action_by.len());
        (0..n)
            .map(|i| ActionRowForm {
                id: at(&self.action_id, i),
                what: at(&self.action_what, i),
                who: at(&self.action_who, i),
                by: at(&self.action_by, i),
            })
            .collect()
    }

    fn body(&self) -> (MinutesBody, Errors) {
        let mut errors = Errors::none();
        let came = match self.came.trim().replace(',', "").parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                errors.add("came", "Say how many people came, as a number.");
                0
            }
        };
        let actions = self
            .rows()
            .into_iter()
            .filter(|r| {
                !(r.what.trim().is_empty() && r.who.trim().is_empty() && r.by.trim().is_empty())
            })
            .map(|r| ActionBody {
                id: r.id.trim().parse().ok(),
                what: r.what,
                who: r.who,
                by: Some(r.by),
            })
            .collect();
        (
            MinutesBody {
                body: self.body.clone(),
                came,
                groups: self.groups.lines().map(str::to_string).collect(),
                actions,
            },
            errors,
        )
    }
}

/// An action as the page shows it.
pub struct ActionView {
    pub id: i64,
    pub what: String,
    pub who: String,
    pub by: String,
    pub proposal: Option<i64>,
}

#[derive(Template)]
#[template(path = "gatherings/minutes.html")]
struct MinutesPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    gathering: String,
    when: String,
    /// The minutes to read (approved, or waiting, for the people who write them).
    written: bool,
    approved: bool,
    approved_by: String,
    came: i64,
    groups: Vec<String>,
    body: Vec<String>,
    actions: Vec<ActionView>,
    /// (title, link) of every session.
    sessions: Vec<(String, String)>,
    may_write: bool,
    may_approve: bool,
    may_make_proposals: bool,
    spaces: Vec<(i64, String)>,
    form: MinutesForm,
    rows: Vec<ActionRowForm>,
}

fn form_of(seen: &MinutesSeen) -> MinutesForm {
    match &seen.minutes {
        Some(m) => MinutesForm {
            body: m.body.clone(),
            came: m.came.to_string(),
            groups: m.groups.clone(),
            action_id: seen.actions.iter().map(|a| a.id.to_string()).collect(),
            action_what: seen.actions.iter().map(|a| a.what.clone()).collect(),
            action_who: seen.actions.iter().map(|a| a.who.clone()).collect(),
            action_by: seen
                .actions
                .iter()
                .map(|a| a.by_day.clone().unwrap_or_default())
                .collect(),
        },
        None => MinutesForm {
            body: minutes::from_sessions(&seen.sessions)
                .chars()
                .take(village_domain::gatherings::minutes::BODY_MAX)
                .collect(),
            ..Default::default()
        },
    }
}

async fn minutes_page(
    state: &AppState,
    who: Option<&Identity>,
    csrf: &CsrfToken,
    id: i64,
    notice: Option<&str>,
    errors: Errors,
    form: Option<MinutesForm>,
) -> Result<MinutesPage, Error> {
    let seen = minutes::minutes(state, who, id, now()).await?;
    let may_make_proposals = who.is_some()
        && village_domain::access::gatherings::may_make_proposal(seen.standing, false);
    let spaces = match who {
        Some(w) if may_make_proposals && seen.actions.iter().any(|a| a.proposal_id.is_none()) => {
            village_app::decisions::spaces(state, w)
                .await?
                .into_iter()
                .filter(|s| s.takes_part())
                .map(|s| (s.space.id, s.space.name))
                .collect()
        }
        _ => Vec::new(),
    };
    let form = form.unwrap_or_else(|| form_of(&seen));
    // Three empty rows to add actions.
    let mut rows = form.rows();
    rows.retain(|r| !(r.what.is_empty() && r.who.is_empty() && r.by.is_empty() && r.id.is_empty()));
    for _ in 0..3 {
        rows.push(ActionRowForm {
            id: String::new(),
            what: String::new(),
            who: String::new(),
            by: String::new(),
        });
    }
    let m = seen.minutes.clone();
    Ok(MinutesPage {
        layout: Layout::new(
            state,
            who,
            csrf,
            &minutes::minutes_link(id),
            format!("Minutes: {}", seen.gathering.title),
        )
        .with_notice(notice),
        errors,
        id,
        gathering: seen.gathering.title.clone(),
        when: when_words(seen.gathering.starts_at, seen.gathering.ends_at),
        written: m.is_some(),
        approved: seen.approved(),
        approved_by: m
            .as_ref()
            .and_then(|m| m.approved_by_name.clone())
            .unwrap_or_default(),
        came: m.as_ref().map(|m| m.came).unwrap_or_default(),
        groups: m.as_ref().map(|m| m.group_list()).unwrap_or_default(),
        body: m
            .as_ref()
            .map(|m| {
                m.body
                    .split('\n')
                    .filter(|p| !p.trim().is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        actions: seen
            .actions
            .iter()
            .map(|a| ActionView {
                id: a.id,
                what: a.what.clone(),
                who: a.who.clone(),
                by: a.by_day.as_deref().map(dates::day).unwrap_or_default(),
                proposal: a.proposal_id,
            })
            .collect(),
        sessions: seen
            .sessions
            .iter()
            .map(|s| {
                (
                    s.title.clone(),
                    village_app::gatherings::open_space::session_link(id, s.id),
                )
            })
            .collect(),
        may_write: seen.may_write,
        may_approve: seen.may_approve,
        may_make_proposals,
        spaces,
        form,
        rows,
    })
}

fn minutes_notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "saved" => {
            "The minutes are saved. A chair needs to approve them before others can read them."
        }
        "approved" => "The minutes are approved. Everyone who signed up is told.",
        _ => return None,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct MinutesParams {
    done: Option<String>,
    /// `sessions`: the box filled from the sessions' notes, to start again from them.
    start: Option<String>,
}

/// `/gatherings/{id}/minutes` (`?start=sessions` fills the box from the sessions' notes).
pub(crate) async fn view_minutes(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<MinutesParams>,
) -> PageResult {
    let form = match q.start.as_deref() {
        Some("sessions") => {
            let seen = minutes::minutes(&state, identity.as_ref(), id, now()).await?;
            let mut form = form_of(&seen);
            form.body = minutes::from_sessions(&seen.sessions);
            Some(form)
        }
        _ => None,
    };
    let page = minutes_page(
        &state,
        identity.as_ref(),
        &csrf,
        id,
        minutes_notice(q.done.as_deref()),
        Errors::none(),
        form,
    )
    .await?;
    Ok(pages::page(&page))
}

fn minutes_done(id: i64, what: &str) -> Response {
    Redirect::to(&format!("{}?done={what}", minutes::minutes_link(id))).into_response()
}

pub(crate) async fn view_save_minutes(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<MinutesForm>,
) -> PageResult {
    let (body, errors) = f.body();
    let errors = if errors.is_empty() {
        match minutes::put_minutes(&state, &identity, id, &body, now()).await {
            Ok(()) => return Ok(minutes_done(id, "saved")),
            Err(e) => on_field("body", e)?,
        }
    } else {
        errors
    };
    let page = minutes_page(&state, Some(&identity), &csrf, id, None, errors, Some(f)).await?;
    Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub(crate) async fn view_approve_minutes(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    minutes::approve_minutes(&state, &identity, id, now()).await?;
    Ok(minutes_done(id, "approved"))
}

#[derive(Debug, Deserialize, Default)]
pub struct ActionProposalForm {
    #[serde(default)]
    space_id: String,
}

pub(crate) async fn view_action_to_proposal(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Path((id, aid)): Path<(i64, i64)>,
    PageForm(f): PageForm<ActionProposalForm>,
) -> PageResult {
    let made = match chosen_space(&f.space_id) {
        Ok(body) => minutes::action_to_proposal(&state, &identity, id, aid, &body, now()).await,
        Err(e) => Err(e),
    };
    match made {
        Ok(pid) => Ok(Redirect::to(&format!("/proposals/{pid}")).into_response()),
        Err(e) => {
            let errors = on_field("space_id", e)?;
            let page = minutes_page(&state, Some(&identity), &csrf, id, None, errors, None).await?;
            Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
