//! Shortlists: a connector the person chose gathers offers that might suit them, with a note
//! on each, and shares the list; the person picks what they would like to try.

use super::{parse, Error, Result};
use crate::accounts::Identity;
use crate::audit::record;
use crate::people::check_text;
use crate::App;
use serde::Serialize;
use utoipa::ToSchema;
use village_domain::access::people::Relationship;
use village_domain::accounts::FieldError;
use village_domain::audit::AuditAction;
use village_domain::error::ErrorCode;
use village_store::connections as store;
use village_store::{directory as dir_store, people as people_store};

#[derive(Debug, Serialize, ToSchema)]
pub struct ShortlistItemOut {
    pub offer_id: String,
    pub offer_name: String,
    /// The connector's note about why it might suit.
    pub note: String,
    pub picked: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShortlistOut {
    pub id: i64,
    pub person_id: i64,
    pub connector_name: Option<String>,
    pub title: String,
    pub shared: bool,
    pub items: Vec<ShortlistItemOut>,
}

#[tracing::instrument(skip_all)]
pub async fn shortlist_out(
    db: &mut impl village_store::Db,
    s: store::ShortlistRow,
) -> Result<ShortlistOut> {
    let items = store::shortlist_items(db, s.id).await?;
    Ok(ShortlistOut {
        id: s.id,
        person_id: s.person_id,
        connector_name: s.connector_name,
        title: s.title,
        shared: s.shared_at.is_some(),
        items: items
            .into_iter()
            .map(|i| ShortlistItemOut {
                offer_id: i.service_id,
                offer_name: i.offer_name,
                note: i.note,
                picked: i.picked_at.is_some(),
            })
            .collect(),
    })
}

/// The shortlists shared with the person (for them), or those one connector made for them.
#[tracing::instrument(skip_all, fields(actor = who.user.id, person_id))]
pub async fn shortlists(
    state: &App,
    who: &Identity,
    person_id: i64,
    ip: &str,
    t: i64,
) -> Result<Vec<ShortlistOut>> {
    let mut c = state.store.conn().await?;
    let by = if who.user.id == person_id {
        None
    } else {
        if people_store::as_connector(&mut c, person_id, who.user.id).await?
            != Relationship::Connector
        {
            return Err(Error::NotFound("person, offer or introduction"));
        }
        Some(who.user.id)
    };
    let rows = store::shortlists_of(&mut c, person_id, by).await?;
    let mut out = Vec::new();
    for r in rows {
        out.push(shortlist_out(&mut c, r).await?);
    }
    if by.is_some() && !out.is_empty() {
        record(
            &mut c,
            Some(who.user.id),
            Some(person_id),
            AuditAction::PersonalDataViewed,
            "shortlists",
            Some(ip),
            t,
        )
        .await?;
    }
    Ok(out)
}

/// A connector starts a shortlist for someone who chose them (not shared until they share it).
#[tracing::instrument(skip_all, fields(actor = who.user.id, person_id))]
pub async fn new_shortlist(
    state: &App,
    who: &Identity,
    person_id: i64,
    title: &str,
    t: i64,
) -> Result<i64> {
    let title = check_text("title", title, true, 200)?;
    let mut c = state.store.conn().await?;
    if who.user.id == person_id
        || people_store::as_connector(&mut c, person_id, who.user.id).await?
            != Relationship::Connector
    {
        return Err(Error::NotFound("person, offer or introduction"));
    }
    Ok(store::create_shortlist(&mut c, person_id, who.user.id, title.as_str(), t).await?)
}

/// The shortlist, if `who` is the connector who made it and still the person's connector.
async fn own_shortlist(
    c: &mut impl village_store::Db,
    who: &Identity,
    id: i64,
) -> Result<store::ShortlistRow> {
    let Some(s) = store::shortlist(c, id).await? else {
        return Err(Error::NotFound("person, offer or introduction"));
    };
    if s.connector_id != Some(who.user.id)
        || people_store::as_connector(c, s.person_id, who.user.id).await? != Relationship::Connector
    {
        return Err(Error::NotFound("person, offer or introduction"));
    }
    Ok(s)
}

#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn add_item(
    state: &App,
    who: &Identity,
    id: i64,
    offer_id: &str,
    note: &str,
    t: i64,
) -> Result<()> {
    let note = check_text("note", note, false, 1_000)?;
    let mut tx = state.store.begin().await?;
    own_shortlist(&mut tx, who, id).await?;
    let Some(index) = dir_store::service_doc(&mut tx, offer_id, true)
        .await?
        .and_then(|d| parse(&d))
    else {
        return Err(FieldError::new(
            "offer_id",
            ErrorCode::OfferUnknown,
            "There is no listed offer with that id.",
        )
        .into());
    };
    store::add_shortlist_item(&mut tx, id, &index.id, &index.name, &note, t).await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn share(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let s = own_shortlist(&mut tx, who, id).await?;
    if store::shortlist_items(&mut tx, id).await?.is_empty() {
        return Err(FieldError::new(
            "offer_id",
            ErrorCode::ShortlistEmpty,
            "Add at least one offer before sharing.",
        )
        .into());
    }
    store::share_shortlist(&mut tx, id, t).await?;
    store::notify(
        &mut tx,
        s.person_id,
        &format!(
            "{} shared a shortlist with you: {}",
            who.user.display_name, s.title
        ),
        "/me/shortlists",
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The person picks an offer from a shortlist shared with them.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn pick(state: &App, who: &Identity, id: i64, offer_id: &str, t: i64) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let Some(s) = store::shortlist(&mut tx, id).await? else {
        return Err(Error::NotFound("person, offer or introduction"));
    };
    if s.person_id != who.user.id || s.shared_at.is_none() {
        return Err(Error::NotFound("person, offer or introduction"));
    }
    if !store::pick_shortlist_item(&mut tx, id, offer_id, t).await? {
        return Err(Error::NotFound("person, offer or introduction"));
    }
    if let Some(k) = s.connector_id {
        store::notify(
            &mut tx,
            k,
            &format!(
                "{} picked something from “{}”",
                who.user.display_name, s.title
            ),
            &format!("/people/{}/shortlists", s.person_id),
            t,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One shortlist, for the connector who made it or (once shared) the person it is for.
pub async fn shortlist(state: &App, who: &Identity, id: i64) -> Result<ShortlistOut> {
    let mut c = state.store.conn().await?;
    let s = store::shortlist(&mut c, id)
        .await?
        .filter(|s| {
            s.connector_id == Some(who.user.id)
                || (s.person_id == who.user.id && s.shared_at.is_some())
        })
        .ok_or(Error::NotFound("shortlist"))?;
    shortlist_out(&mut c, s).await
}

/// An offer found in the directory to put on a shortlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundOffer {
    pub id: String,
    pub name: String,
    /// The group that runs it, if the record names one.
    pub group: Option<String>,
}

/// How many offers a search from a shortlist page shows.
pub const FIND_LIMIT: i64 = 10;

/// Any public offer in the directory whose words match, best first, for a connector to put
/// on a shortlist (not only the ideas worked out for the person). Empty words find nothing.
#[tracing::instrument(skip_all)]
pub async fn find_offers(state: &App, words: &str) -> Result<Vec<FoundOffer>> {
    let words = words.trim();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let filter = dir_store::ServiceFilter {
        words: Some(words.chars().take(200).collect()),
        limit: FIND_LIMIT,
        count_up_to: Some(FIND_LIMIT),
        ..Default::default()
    };
    let (rows, _) = crate::directory::search(state, filter).await?;
    Ok(rows
        .iter()
        .filter_map(|(_, doc)| parse(doc))
        .map(|s| FoundOffer {
            id: s.id,
            name: s.name,
            group: s.organization_name,
        })
        .collect())
}
