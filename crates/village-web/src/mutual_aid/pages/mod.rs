//! Pages, by concern: `board` (the board and "Your help"), `posts` (posting, one post,
//! answering it, closing and renewing), `matches` (one match: messages, steps, and contact
//! details once both said yes), `time` (time given in a match, the time account), `safety` (the checks stewards record), `coordinate` (coordinators' pages). What
//! they share is here.

mod board;
mod coordinate;
mod matches;
mod posts;
mod safety;
mod time;

pub(crate) use board::*;
pub(crate) use coordinate::*;
pub(crate) use matches::*;
pub(crate) use posts::*;
pub(crate) use safety::*;
pub(crate) use time::*;

use crate::auth::{ClientAddress, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::{Path, Query};
use crate::pages::{self, field_errors, when, Errors, Layout, PageForm, PageResult};
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
use village_domain::mutual_aid::matches::{Action, Mode as MatchMode, State as MatchState};
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
    /// Posted in a group's name (`by` is the group).
    in_group: bool,
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
        by: if p.organization_name.is_empty() {
            first_name(&p.author_name)
        } else {
            p.organization_name.clone()
        },
        posted: dates::day_of(p.created_at),
        many_times: p.many_times,
        up: post::is_up(p.state, p.expires_at, t),
        in_group: p.organization_id.is_some(),
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

#[derive(Debug, Deserialize, Default)]
pub struct DoneParams {
    done: Option<String>,
}

/// What a coordinator filled in to do something for a member: nothing when the email
/// address is left empty; otherwise the member and how they agreed, or the fields' problems.
async fn for_someone(
    state: &AppState,
    identity: &Identity,
    member: &str,
    agreed: &str,
) -> Result<Option<help::OnBehalf>, Error> {
    if member.trim().is_empty() {
        return Ok(None);
    }
    let (named, agreed) = help::on_behalf_from(member, agreed).map_err(Error::from)?;
    let member = help::member_named(state, identity, &named).await?;
    Ok(Some(help::OnBehalf { member, agreed }))
}

/// The caller coordinates mutual aid.
fn coordinator(identity: &Identity) -> bool {
    identity.may(village_domain::access::Action::CoordinateHelp)
}
