//! Posting asks and offers, the board, one post, and closing or renewing a post.

use super::*;
use crate::accounts::Identity;
use village_domain::dates;
use village_domain::directory::geo::Postcode;
use village_domain::mutual_aid::post::{self, Draft, Kind, PostState};
use village_store::mutual_aid::{self as store, MatchRow, PostRow};
use village_store::{directory as dir_store, Db};

const DAY: i64 = 24 * 3600;

/// An area as typed: a hub's area by its name (with its postcode), or a postcode district
/// (a full postcode is cut to its district: no address is ever kept). The area's name, and
/// the district whose middle places it.
pub(super) fn area_of(state: &App, field: &'static str, typed: &str) -> Result<(String, Postcode)> {
    let (name, postcode) = match state
        .settings
        .mutual_aid
        .areas
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(typed))
    {
        Some(a) => (a.name.clone(), a.postcode.clone()),
        None => (String::new(), typed.to_string()),
    };
    let district = Postcode::parse(&postcode)
        .ok()
        .and_then(|p| Postcode::parse(p.district()).ok());
    let Some(district) = district else {
        return Err(FieldError::new(
            field,
            ErrorCode::PostcodeInvalid,
            "Give the first part of a postcode, like NG7, or choose one of the areas.",
        )
        .into());
    };
    let name = if name.is_empty() {
        district.to_string()
    } else {
        name
    };
    Ok((name, district))
}

/// Where a post is, roughly: its area's name and the middle of its district.
pub(super) async fn place(
    state: &App,
    db: &mut impl Db,
    field: &'static str,
    typed: &str,
) -> Result<(String, Option<(f64, f64)>)> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok((String::new(), None));
    }
    let (name, district) = area_of(state, field, typed)?;
    let point = dir_store::postcode_point(db, &district)
        .await?
        .map(|p| (p.lat(), p.lon()));
    Ok((name, point))
}

/// The group a post is in the name of: one the member organises (403 otherwise), found in
/// the directory (422 `group_unknown` naming `group` otherwise), with its name.
async fn in_group(
    db: &mut impl Db,
    member: &Identity,
    group: &str,
) -> Result<Option<(String, String)>> {
    let group = group.trim();
    if group.is_empty() {
        return Ok(None);
    }
    if !dir_store::is_organiser(db, group, member.user.id).await? {
        return crate::error::conflict(
            ErrorCode::NotYours,
            "Only a group's organisers can post in its name.",
        );
    }
    let services = dir_store::services_of_organization(db, group).await?;
    let name = services.first().and_then(|(_, doc)| {
        serde_json::from_str::<serde_json::Value>(doc)
            .ok()?
            .get("organization")?
            .get("name")?
            .as_str()
            .map(str::to_string)
    });
    match name {
        Some(name) => Ok(Some((group.to_string(), name))),
        None => Err(FieldError::new(
            "group",
            ErrorCode::GroupUnknown,
            "That group has no offers in the directory just now, so it cannot post.",
        )
        .into()),
    }
}

/// Whether the caller posted this, or organises the group it is in the name of.
async fn owns(db: &mut impl Db, who: &Identity, p: &PostRow) -> Result<bool> {
    if p.author_id == who.user.id {
        return Ok(true);
    }
    match &p.organization_id {
        Some(group) => Ok(dir_store::is_organiser(db, group, who.user.id).await?),
        None => Ok(false),
    }
}

/// The groups a member organises, by id and name, to post in their name.
pub async fn my_groups(state: &App, who: &Identity) -> Result<Vec<(String, String)>> {
    let mut c = state.store.conn().await?;
    let mut out = Vec::new();
    for id in dir_store::organised_by(&mut c, who.user.id).await? {
        if let Ok(Some(g)) = in_group(&mut c, who, &id).await {
            out.push(g);
        }
    }
    Ok(out)
}

/// Put an ask or an offer on the board, for the signed-in member (or, typed in by a
/// coordinator, for the member they act for). Its words must not give contact details away:
/// those are shared only in a match both said yes to.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn create_post(
    state: &App,
    who: &Identity,
    draft: &Draft,
    on_behalf: Option<super::OnBehalf>,
    ip: &str,
    t: i64,
) -> Result<i64> {
    let today = dates::parse_day(&dates::today_ymd(t)).unwrap_or_default();
    let checked = draft.check(today);
    let mut problems = checked.clone().err().unwrap_or_default();
    for (field, text) in [("title", &draft.title), ("details", &draft.details)] {
        if let Err(e) = no_contact_details(field, text) {
            if !problems.iter().any(|p| p.field == field) {
                problems.push(e);
            }
        }
    }
    let mut tx = state.store.begin().await?;
    let (member, proxy) = match super::acting(&mut tx, who, on_behalf).await {
        Ok(m) => m,
        Err(Error::Field(e)) => {
            problems.push(e);
            (who.clone(), None)
        }
        Err(e) => return Err(e),
    };
    let group = match in_group(&mut tx, &member, &draft.group).await {
        Ok(g) => g,
        Err(Error::Field(e)) => {
            problems.push(e);
            None
        }
        Err(e) => return Err(e),
    };
    let placed = place(state, &mut tx, "area", &draft.area).await;
    let (area, point) = match placed {
        Ok(p) => p,
        Err(Error::Field(e)) => {
            problems.push(e);
            (String::new(), None)
        }
        Err(e) => return Err(e),
    };
    let p = match checked {
        Ok(p) if problems.is_empty() => p,
        _ => return Err(problems.into()),
    };
    let (when_from, when_to) = p.when.stored();
    let id = store::create_post(
        &mut tx,
        &store::NewPost {
            author_id: member.user.id,
            posted_by: who.user.id,
            agreed: proxy.map(|p| p.agreed),
            organization: group
                .as_ref()
                .map(|(id, name)| (id.as_str(), name.as_str())),
            kind: p.kind,
            category: p.category,
            title: &p.title,
            details: &p.details,
            when_from: when_from.as_deref(),
            when_to: when_to.as_deref(),
            area: &area,
            point,
            urgency: p.urgency,
            many_times: p.many_times,
            in_home: p.in_home,
            personal_care: p.personal_care,
            expires_at: t + p.up_for_days * DAY,
        },
        t,
    )
    .await?;
    if let Some(proxy) = proxy {
        let what = format!("put \"{}\" on the board", p.title);
        let link = format!("/help/posts/{id}");
        super::acted_for(&mut tx, who, (member.user.id, proxy), &what, &link, ip, t).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// One post as the caller may see it.
#[derive(Debug, Clone)]
pub struct PostSeen {
    pub post: PostRow,
    /// The caller posted it.
    pub own: bool,
    /// Open and not past its end.
    pub up: bool,
    /// For the one who posted: every answer.
    pub matches: Vec<MatchRow>,
    /// For anyone else: their open answer to it, if any.
    pub my_match: Option<i64>,
    /// The safety checks whoever gives this help needs (none for most help).
    pub safety_needed: Vec<village_domain::mutual_aid::safety::Mark>,
    /// Why the caller cannot answer it (or, for an offer's poster, say yes) yet: the helper
    /// lacks a check it needs.
    pub safety_missing: Option<super::SafetyGap>,
}

/// One post: any member may read it; the one who posted also sees who answered.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn post(state: &App, who: &Identity, id: i64, t: i64) -> Result<PostSeen> {
    let mut c = state.store.conn().await?;
    let Some(post) = store::post(&mut c, id).await? else {
        return Err(not_found());
    };
    let own = owns(&mut c, who, &post).await?;
    let up = post::is_up(post.state, post.expires_at, t);
    let (matches, my_match) = if own {
        (store::matches_of_post(&mut c, id).await?, None)
    } else {
        (
            Vec::new(),
            store::open_match(&mut c, id, who.user.id).await?,
        )
    };
    if !own && !up && my_match.is_none() {
        return Err(not_found());
    }
    let safety_needed = super::safety::needed_for(state, &post);
    let helper = super::safety::helper_of(&post, who.user.id);
    let safety_missing = if own && post.kind == Kind::Ask {
        None
    } else {
        super::safety::gap_for(state, &mut c, &post, helper, who.user.id, t).await?
    };
    Ok(PostSeen {
        safety_needed,
        safety_missing,
        post,
        own,
        up,
        matches,
        my_match,
    })
}

/// The caller's own posts and every match they are in.
#[derive(Debug, Clone)]
pub struct Mine {
    pub posts: Vec<PostRow>,
    pub matches: Vec<MatchRow>,
}

pub async fn mine(state: &App, who: &Identity) -> Result<Mine> {
    let mut c = state.store.conn().await?;
    Ok(Mine {
        posts: store::posts_of(&mut c, who.user.id).await?,
        matches: store::matches_of(&mut c, who.user.id).await?,
    })
}

/// The one who posted takes it off the board (it was met, or is no longer needed).
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn close_post(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let Some(p) = store::post(&mut tx, id).await? else {
        return Err(not_found());
    };
    if !owns(&mut tx, who, &p).await? {
        return crate::error::conflict(
            ErrorCode::NotYours,
            "Only the person who posted this (or, for a group, its organisers) can close it.",
        );
    }
    if !store::set_post_state(&mut tx, id, PostState::Open, PostState::Closed, None, t).await? {
        return crate::error::conflict(ErrorCode::PostClosed, "This post is already closed.");
    }
    tx.commit().await?;
    Ok(())
}

/// Put a post back up for another 30 days (closed or past its end).
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn renew_post(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let Some(p) = store::post(&mut tx, id).await? else {
        return Err(not_found());
    };
    if !owns(&mut tx, who, &p).await? {
        return crate::error::conflict(
            ErrorCode::NotYours,
            "Only the person who posted this (or, for a group, its organisers) can renew it.",
        );
    }
    store::set_post_state(
        &mut tx,
        id,
        p.state,
        PostState::Open,
        Some(t + post::UP_FOR_DAYS * DAY),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
