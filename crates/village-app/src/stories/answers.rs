//! Answers to a published story, in public: organisers of a group it names answer for the
//! group, council officers for the council, each saying whether a change is planned or made
//! (a later answer updates it). The teller is told of every answer that shows; an answer
//! that names them is held until a steward lets it show. Readers say "this happened to me
//! too", once each. Four and twelve weeks after the first answer the teller is asked "Did
//! things change?"; a group's figures are counted over the stories about it.

use super::{field, not_found, reader, StorySeen};
use crate::accounts::Identity;
use crate::error::{conflict, Error, Result};
use crate::App;
use serde::Deserialize;
use utoipa::ToSchema;
use village_domain::access::{self, Action};
use village_domain::error::ErrorCode;
use village_domain::stories::answers::{self as rules, AnswerAs, Change};
use village_domain::stories::follow_up::{self, Changed};
use village_domain::stories::story::{self as story_rules, Audience, State};
use village_store::connections::notify;
use village_store::stories::answers::{self as store, AnswerRow};

/// The longest answer, in characters.
pub const ANSWER_MAX: usize = 4_000;

/// An answer to a story.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// The answer, in public (up to 4,000 characters).
    pub body: String,
    /// `none`, `planned` or `made`.
    pub change: String,
    /// For a group: keep these words on the group's page if the story goes (its teller
    /// withdraws it or is forgotten). Otherwise they go with it.
    #[serde(default)]
    pub keep_if_story_goes: bool,
}

/// An answer as a reader sees it.
#[derive(Debug, Clone)]
pub struct AnswerSeen {
    pub row: AnswerRow,
    /// The group's name, or "The council".
    pub by: String,
}

/// Who `who` may answer this story as, if anyone.
pub async fn answering_as(
    state: &App,
    who: Option<&Identity>,
    seen: &StorySeen,
) -> Result<Option<AnswerAs>> {
    let Some(who) = who else { return Ok(None) };
    let mut c = state.store.conn().await?;
    let mut organised = Vec::new();
    for g in &seen.groups {
        if village_store::directory::is_organiser(&mut c, g, who.user.id).await? {
            organised.push(g.clone());
        }
    }
    Ok(rules::answer_as(
        seen.row.state,
        seen.is_author,
        &organised,
        access::check(&who.actor(), Action::AnswerStoriesForCouncil).is_ok(),
    ))
}

async fn by_name(state: &App, organization_id: Option<&str>) -> Result<String> {
    Ok(match organization_id {
        Some(g) => crate::safeguarding::group_name(state, g)
            .await?
            .unwrap_or_else(|| "A group".into()),
        None => "The council".into(),
    })
}

/// Answer a published story in public. Held for a steward when it names the teller.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn answer(
    state: &App,
    who: &Identity,
    id: i64,
    b: &AnswerBody,
    ip: &str,
    t: i64,
) -> Result<AnswerSeen> {
    let seen = super::story(state, Some(who), id, ip, t).await?;
    let Some(as_who) = answering_as(state, Some(who), &seen).await? else {
        return Err(if seen.row.state == State::Published {
            Error::Forbidden
        } else {
            Error::Conflict(
                ErrorCode::NotAllowedNow,
                "Stories are answered once they are published.".into(),
            )
        });
    };
    let body = village_domain::text::check("body", &b.body, true, ANSWER_MAX, "your answer")?;
    let Some(change) = Change::parse(&b.change) else {
        return Err(field(
            "change",
            ErrorCode::Invalid,
            "Say whether a change is planned, made, or not yet.",
        ));
    };
    let held = rules::names_the_teller(&body, &seen.row.author_name)
        || seen
            .row
            .told_for_name
            .as_deref()
            .is_some_and(|n| rules::names_the_teller(&body, n));
    let group = match &as_who {
        AnswerAs::Group(g) => Some(g.as_str()),
        AnswerAs::Council => None,
    };
    let by = by_name(state, group).await?;
    let mut tx = state.store.begin().await?;
    // Kept in public if the story goes: never an answer to a private story.
    let keep = b.keep_if_story_goes && group.is_some() && seen.row.audience != Audience::Private;
    let answer_id = store::add(
        &mut tx,
        id,
        group,
        who.user.id,
        &body,
        change,
        (held, keep),
        t,
    )
    .await?;
    if !held {
        notify(
            &mut tx,
            seen.row.author_id,
            &format!("{by} answered your story."),
            &format!("/stories/{id}"),
            t,
        )
        .await?;
    }
    tx.commit().await?;
    let mut c = state.store.conn().await?;
    let row = store::of_story(&mut c, id)
        .await?
        .into_iter()
        .find(|a| a.id == answer_id)
        .ok_or_else(not_found)?;
    Ok(AnswerSeen { row, by })
}

/// The answers this reader sees: every one that shows; held ones only for stewards and
/// whoever wrote them.
pub async fn answers(
    state: &App,
    who: Option<&Identity>,
    seen: &StorySeen,
) -> Result<Vec<AnswerSeen>> {
    let steward = reader(who, &seen.row).steward;
    let mut c = state.store.conn().await?;
    let rows = store::of_story(&mut c, seen.row.id).await?;
    drop(c);
    let mut out = Vec::new();
    for row in rows {
        let own = who.is_some_and(|w| row.answered_by == Some(w.user.id));
        if row.held && !(steward || own) {
            continue;
        }
        let by = by_name(state, row.organization_id.as_deref()).await?;
        out.push(AnswerSeen { row, by });
    }
    Ok(out)
}

/// A steward lets a held answer show; the teller is told.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn release(state: &App, who: &Identity, id: i64, answer_id: i64, t: i64) -> Result<()> {
    access::check(&who.actor(), Action::ModerateStories).map_err(|_| Error::Forbidden)?;
    let mut tx = state.store.begin().await?;
    let row = village_store::stories::story(&mut tx, id)
        .await?
        .ok_or_else(not_found)?;
    if !store::release(&mut tx, id, answer_id).await? {
        return conflict(ErrorCode::NotAllowedNow, "That answer is not held.");
    }
    notify(
        &mut tx,
        row.author_id,
        "Your story has a new answer.",
        &format!("/stories/{id}"),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A reader says it happened to them too (once each; not the teller). Returns how many
/// have said so.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn me_too(state: &App, who: &Identity, id: i64, t: i64) -> Result<i64> {
    let mut c = state.store.conn().await?;
    let row = village_store::stories::story(&mut c, id)
        .await?
        .ok_or_else(not_found)?;
    let r = super::reader_of(&mut c, Some(who), &row).await?;
    if !story_rules::may_read(r, row.state, row.audience) {
        return Err(not_found());
    }
    if row.audience == Audience::Private {
        return conflict(
            ErrorCode::NotAllowedNow,
            "Only a few people can read this story, so it has no \"me too\".",
        );
    }
    if r.author || r.told_for {
        return conflict(ErrorCode::NotYours, "It is your own story.");
    }
    if row.state != State::Published {
        return conflict(ErrorCode::NotAllowedNow, "This story is not published yet.");
    }
    store::me_too(&mut c, id, who.user.id, t).await?;
    Ok(store::me_too_count(&mut c, id, Some(who.user.id)).await?.0)
}

/// How many said "me too", and whether this reader did.
pub async fn me_too_count(state: &App, who: Option<&Identity>, id: i64) -> Result<(i64, bool)> {
    let mut c = state.store.conn().await?;
    Ok(store::me_too_count(&mut c, id, who.map(|w| w.user.id)).await?)
}

/// The teller's answer to "Did things change?".
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct FollowUpBody {
    /// `yes`, `partly`, `no` or `not_sure`.
    pub changed: String,
    /// In their own words, if they like (up to 2,000 characters).
    #[serde(default)]
    pub words: Option<String>,
}

/// The teller says whether things changed, once a story has an answer (again later, if
/// they like: the newest counts). `partly` and `no` keep it open: whoever answered is told.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn follow_up(
    state: &App,
    who: &Identity,
    id: i64,
    b: &FollowUpBody,
    ip: &str,
    t: i64,
) -> Result<Changed> {
    let seen = super::story(state, Some(who), id, ip, t).await?;
    // The teller, or for a story told for someone, that person (or the connector with them).
    if !seen.is_author && !seen.is_told_for {
        return Err(not_found());
    }
    let shown: Vec<AnswerRow> = {
        let mut c = state.store.conn().await?;
        store::of_story(&mut c, id)
            .await?
            .into_iter()
            .filter(|a| !a.held)
            .collect()
    };
    if seen.row.state != State::Published || shown.is_empty() {
        return conflict(
            ErrorCode::NotAllowedNow,
            "You can say whether things changed once your story has an answer.",
        );
    }
    let Some(changed) = Changed::parse(&b.changed) else {
        return Err(field(
            "changed",
            ErrorCode::Invalid,
            "Choose yes, partly, no or not sure.",
        ));
    };
    let words = village_domain::text::check(
        "words",
        b.words.as_deref().unwrap_or(""),
        false,
        2_000,
        "what happened",
    )?;
    let mut tx = state.store.begin().await?;
    store::add_follow_up(&mut tx, id, changed, &words, t).await?;
    if changed.keeps_open() {
        let mut told = Vec::new();
        for by in shown.iter().filter_map(|a| a.answered_by) {
            if !told.contains(&by) {
                told.push(by);
                notify(
                    &mut tx,
                    by,
                    &format!(
                        "The person who told a story you answered says things have {}.",
                        if changed == Changed::Partly {
                            "partly changed"
                        } else {
                            "not changed"
                        }
                    ),
                    &format!("/stories/{id}"),
                    t,
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(changed)
}

/// The teller's newest "Did things change?", with their words for those who may see them
/// (the teller, stewards, and whoever may answer it).
pub async fn latest_follow_up(
    state: &App,
    who: Option<&Identity>,
    seen: &StorySeen,
) -> Result<Option<(Changed, Option<String>)>> {
    let mut c = state.store.conn().await?;
    let Some(f) = store::latest_follow_up(&mut c, seen.row.id).await? else {
        return Ok(None);
    };
    drop(c);
    let words_for_them = seen.is_author
        || seen.is_told_for
        || reader(who, &seen.row).steward
        || answering_as(state, who, seen).await?.is_some();
    Ok(Some((f.changed, words_for_them.then_some(f.words))))
}

/// Ask each teller "Did things change?" four and twelve weeks after the first answer to
/// their story (once each); for a story told for someone, that person, and the connector
/// who told it to help them. Run by the server every hour; returns how many were asked.
pub async fn ask_follow_ups(state: &App, now: i64) -> Result<usize> {
    let mut c = state.store.conn().await?;
    let answered = store::answered_stories(&mut c).await?;
    drop(c);
    let mut asked = 0;
    for (id, author, told_for, first) in answered {
        let mut tx = state.store.begin().await?;
        let done = store::asked_weeks(&mut tx, id).await?;
        let due = follow_up::weeks_due(first, &done, now);
        if due.is_empty() {
            continue;
        }
        let mut newly = false;
        for week in due {
            newly |= store::record_asked(&mut tx, id, week, now).await?;
        }
        if newly {
            let path = format!("/stories/{id}#follow-up");
            match told_for {
                // The person it is about is asked; the connector who told it, to help them.
                Some(person) => {
                    notify(&mut tx, person, "The story told for you was answered a while ago. Did things change for you? Say so on its page.", &path, now).await?;
                    notify(&mut tx, author, "The story you told for someone was answered a while ago. Ask them whether things changed, and say so with them on its page.", &path, now).await?;
                }
                None => {
                    notify(&mut tx, author, "Your story was answered a while ago. Did things change? Tell us on its page.", &path, now).await?;
                }
            }
            asked += 1;
        }
        tx.commit().await?;
    }
    Ok(asked)
}

/// The answers a group kept when the stories they answered went, newest first.
pub async fn kept(state: &App, organization_id: &str) -> Result<Vec<store::KeptRow>> {
    let mut c = state.store.conn().await?;
    Ok(store::kept_of_group(&mut c, organization_id).await?)
}

/// For stewards: the answers held because they name a teller, oldest first, each with its
/// story's id and published title.
pub async fn held(state: &App, who: &Identity) -> Result<Vec<(i64, String)>> {
    access::check(&who.actor(), Action::ModerateStories).map_err(|_| Error::Forbidden)?;
    let mut c = state.store.conn().await?;
    let mut out: Vec<(i64, String)> = Vec::new();
    for (_, story) in store::held(&mut c, 200).await? {
        if out.iter().any(|(s, _)| *s == story) {
            continue;
        }
        if let Some(row) = village_store::stories::story(&mut c, story).await? {
            out.push((story, row.published_title.unwrap_or_default()));
        }
    }
    Ok(out)
}

/// A group's figures over the published stories about it.
pub async fn group_figures(state: &App, organization_id: &str) -> Result<follow_up::Figures> {
    let mut c = state.store.conn().await?;
    let facts = store::group_facts(&mut c, organization_id).await?;
    Ok(follow_up::figures(&facts))
}
