//! Community editing: any signed-in member suggests an offer or a change; nothing they
//! suggest is public until a steward approves it; stewards approve or reject with a reason the
//! member sees; a group's organisers (a steward approved their request) edit its offers
//! directly; every approved change is kept as a version (who, when, what, why). Who may do
//! what is `village_domain::access::directory`.

use crate::accounts::Identity;
use crate::audit::record;
use crate::error::{conflict, Error, Result};
use crate::App;
use serde_json::Value;
use village_domain::access::directory::{may_edit_offer, may_review};
use village_domain::access::{self, Action};
use village_domain::audit::AuditAction;
use village_domain::directory::geo::Postcode;
use village_domain::directory::offer::{apply_change, new_offer, ChangeForm, NewOfferForm};
use village_domain::directory::oruk::read_service;
use village_domain::error::{ErrorCode, FieldError};
use village_store::directory::{self as store, ClaimRow, SuggestionRow, VersionRow};
use village_store::{Db, StoreError, Tx};

/// How long an offer may go unchecked before stewards are asked to follow it up.
pub(crate) const STALE_AFTER_SECS: i64 = 365 * 24 * 60 * 60;

/// The longest an organiser's request may be, in characters.
const CLAIM_MESSAGE_MAX: usize = 1000;

/// A time as ORUK records write it: `2026-12-04T15:20:47Z`.
pub fn rfc3339(now: i64) -> String {
    chrono::DateTime::from_timestamp(now, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// Fresh UUIDs for new parts of a record.
pub fn fresh_ids() -> impl Iterator<Item = String> {
    std::iter::repeat_with(|| uuid::Uuid::new_v4().to_string())
}

/// A published offer's whole ORUK record.
pub async fn offer(state: &App, id: &str) -> Result<Value> {
    let mut c = state.store.conn().await?;
    published(&mut c, id).await
}

async fn published(db: &mut impl Db, id: &str) -> Result<Value> {
    store::service_doc(db, id, true)
        .await?
        .and_then(|d| serde_json::from_str(&d).ok())
        .ok_or(Error::NotFound("offer"))
}

/// `change` with the typed postcode's centre filled in, if the hub knows the postcode.
async fn with_place_centre(db: &mut impl Db, mut change: ChangeForm) -> Result<ChangeForm> {
    if let Some(Ok(postcode)) = change.place.as_ref().map(|p| Postcode::parse(&p.postcode)) {
        change.place_centre = store::postcode_point(db, &postcode).await?;
    }
    Ok(change)
}

/// What a member suggests: a whole proposed record for a new (`new`) or existing (`change`)
/// offer, and why.
struct Suggested<'a> {
    service_id: &'a str,
    kind: &'a str,
    doc: &'a Value,
    why: &'a str,
}

/// Keep a member's suggestion (nothing public) and audit it, in `tx`.
async fn keep_suggestion(
    tx: &mut Tx,
    who: &Identity,
    suggested: Suggested<'_>,
    ip: &str,
    now: i64,
) -> Result<SuggestionRow> {
    let Suggested {
        service_id,
        kind,
        doc,
        why,
    } = suggested;
    let id = store::create_suggestion(
        tx,
        service_id,
        kind,
        &doc.to_string(),
        why.trim(),
        who.user.id,
        now,
    )
    .await?;
    // The audit names the offer by its public name, never by the member's own words (a
    // new offer's name is theirs, and goes when they ask to be forgotten).
    let what = if kind == "new" {
        "a new offer".to_string()
    } else {
        let public = store::service_doc(tx, service_id, false).await?;
        let name = public
            .and_then(|d| serde_json::from_str::<Value>(&d).ok())
            .and_then(|d| d.get("name").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_else(|| "an offer".into());
        format!("a change to {name}")
    };
    record(
        tx,
        Some(who.user.id),
        None,
        AuditAction::ListingSuggested,
        &format!("suggestion {id}: {what}"),
        Some(ip),
        now,
    )
    .await?;
    store::suggestion(tx, id)
        .await?
        .ok_or(Error::NotFound("suggestion"))
}

/// A member suggests a new offer from the form's answers.
#[tracing::instrument(skip_all, fields(user = who.user.id))]
pub async fn suggest_offer(
    state: &App,
    who: &Identity,
    form: &NewOfferForm,
    why: &str,
    ip: &str,
    now: i64,
) -> Result<SuggestionRow> {
    if access::check(&who.actor(), Action::SuggestOffer).is_err() {
        return Err(Error::Forbidden);
    }
    let mut tx = state.store.begin().await?;
    let place = match Postcode::parse(&form.postcode) {
        Ok(p) => store::postcode_point(&mut tx, &p).await?,
        Err(_) => None,
    };
    let doc = new_offer(form, &mut fresh_ids(), place, &rfc3339(now))?;
    let service_id = doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let row = keep_suggestion(
        &mut tx,
        who,
        Suggested {
            service_id: &service_id,
            kind: "new",
            doc: &doc,
            why,
        },
        ip,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// A member suggests a new offer as a whole ORUK 3.0 record (the API), checked against the
/// standard's schema. Problems name the `record` field.
#[tracing::instrument(skip_all, fields(user = who.user.id))]
pub async fn suggest_record(
    state: &App,
    who: &Identity,
    doc: &Value,
    why: &str,
    ip: &str,
    now: i64,
) -> Result<SuggestionRow> {
    if access::check(&who.actor(), Action::SuggestOffer).is_err() {
        return Err(Error::Forbidden);
    }
    let invalid = |message: String| FieldError::new("record", ErrorCode::RecordInvalid, message);
    let (index, _) = read_service(doc).map_err(|problems| {
        invalid(
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let schema = super::import::service_schema()
        .map_err(|e| StoreError::Invalid(format!("the ORUK schema cannot be read: {e}")))?;
    let schema_problems: Vec<String> = schema
        .iter_errors(doc)
        .map(|e| format!("${}: {e}", e.instance_path()))
        .collect();
    if !schema_problems.is_empty() {
        return Err(invalid(schema_problems.join("; ")).into());
    }
    let mut tx = state.store.begin().await?;
    if store::service_doc(&mut tx, &index.id, false)
        .await?
        .is_some()
    {
        return conflict(
            ErrorCode::ListingExists,
            "An offer with that id exists: suggest a change to it instead.",
        );
    }
    let row = keep_suggestion(
        &mut tx,
        who,
        Suggested {
            service_id: &index.id,
            kind: "new",
            doc,
            why,
        },
        ip,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// A member suggests a change to a published offer; `why` says what has changed.
#[tracing::instrument(skip_all, fields(user = who.user.id))]
pub async fn suggest_change(
    state: &App,
    who: &Identity,
    id: &str,
    change: ChangeForm,
    why: &str,
    ip: &str,
    now: i64,
) -> Result<SuggestionRow> {
    if access::check(&who.actor(), Action::SuggestOffer).is_err() {
        return Err(Error::Forbidden);
    }
    let mut tx = state.store.begin().await?;
    let current = published(&mut tx, id).await?;
    let mut problems = Vec::new();
    if why.trim().is_empty() {
        problems.push(FieldError::new(
            "why",
            ErrorCode::WhyMissing,
            "Say what has changed, so a steward can check it.",
        ));
    }
    let change = with_place_centre(&mut tx, change).await?;
    let proposed = apply_change(&current, &change, &mut fresh_ids(), &rfc3339(now))
        .map_err(|p| problems.extend(p))
        .ok();
    let Some(proposed) = proposed.filter(|_| problems.is_empty()) else {
        return Err(problems.into());
    };
    let row = keep_suggestion(
        &mut tx,
        who,
        Suggested {
            service_id: id,
            kind: "change",
            doc: &proposed,
            why,
        },
        ip,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// One suggestion, as its member or a steward sees it.
pub async fn suggestion(state: &App, who: &Identity, id: i64) -> Result<SuggestionRow> {
    let mut c = state.store.conn().await?;
    match store::suggestion(&mut c, id).await? {
        Some(s) if s.suggested_by == Some(who.user.id) || may_review(&who.actor()) => Ok(s),
        _ => Err(Error::NotFound("suggestion")),
    }
}

/// A member's own suggestions and requests to be an organiser, newest first.
pub async fn my_suggestions(
    state: &App,
    who: &Identity,
    limit: i64,
) -> Result<(Vec<SuggestionRow>, Vec<ClaimRow>)> {
    let mut c = state.store.conn().await?;
    Ok((
        store::suggestions_by(&mut c, who.user.id, limit).await?,
        store::claims_by(&mut c, who.user.id).await?,
    ))
}

/// The stewards' queue: suggestions and organisers' requests waiting, oldest first.
pub async fn review_queue(
    state: &App,
    who: &Identity,
    limit: i64,
) -> Result<(Vec<SuggestionRow>, Vec<ClaimRow>)> {
    if !may_review(&who.actor()) {
        return Err(Error::Forbidden);
    }
    let mut c = state.store.conn().await?;
    Ok((
        store::pending_suggestions(&mut c, limit).await?,
        store::pending_claims(&mut c, limit).await?,
    ))
}

/// A suggestion for a steward to check, with the offer as it is now (none for a new one).
pub async fn for_review(
    state: &App,
    who: &Identity,
    id: i64,
) -> Result<(SuggestionRow, Option<Value>)> {
    if !may_review(&who.actor()) {
        return Err(Error::Forbidden);
    }
    let mut c = state.store.conn().await?;
    let s = store::suggestion(&mut c, id)
        .await?
        .ok_or(Error::NotFound("suggestion"))?;
    let current = store::service_doc(&mut c, &s.service_id, false)
        .await?
        .and_then(|d| serde_json::from_str(&d).ok());
    Ok((s, current))
}

/// Keep how an offer looked before its first reviewed change, so its history can say what
/// each change altered.
async fn keep_first_version(tx: &mut Tx, id: &str, doc: &str, now: i64) -> Result<()> {
    if store::versions(tx, id).await?.is_empty() {
        store::add_version(tx, id, doc, None, "As it was first listed", "", now).await?;
    }
    Ok(())
}

/// Publish `doc` as the offer's record, in `tx`.
async fn publish(tx: &mut Tx, doc: &Value, now: i64) -> Result<String> {
    let (index, _) = read_service(doc).map_err(|p| StoreError::Invalid(format!("{p:?}")))?;
    let text = doc.to_string();
    store::upsert_service(tx, &index, &text, true, now).await?;
    Ok(text)
}

/// A steward approves a suggestion (it is published and kept as a version) or rejects it
/// with a reason the member sees.
#[tracing::instrument(skip_all, fields(user = who.user.id, suggestion = id))]
pub async fn decide(
    state: &App,
    who: &Identity,
    id: i64,
    approve: bool,
    reason: &str,
    ip: &str,
    now: i64,
) -> Result<SuggestionRow> {
    if !may_review(&who.actor()) {
        return Err(Error::Forbidden);
    }
    let reason = reason.trim();
    let mut tx = state.store.begin().await?;
    let s = store::suggestion(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("suggestion"))?;
    let decided = || {
        conflict(
            ErrorCode::AlreadyDecided,
            "That suggestion has already been decided.",
        )
    };
    if s.status != "pending" {
        return decided();
    }
    if !approve && reason.is_empty() {
        return Err(FieldError::new(
            "reason",
            ErrorCode::ReasonMissing,
            "Say why it is not approved: the member will see this.",
        )
        .into());
    }
    if !store::decide_suggestion(&mut tx, id, approve, who.user.id, reason, now).await? {
        return decided();
    }
    if approve {
        if let Some(before) = store::service_doc(&mut tx, &s.service_id, false).await? {
            keep_first_version(&mut tx, &s.service_id, &before, now).await?;
        }
        let doc: Value =
            serde_json::from_str(&s.doc).map_err(|e| StoreError::Invalid(e.to_string()))?;
        publish(&mut tx, &doc, now).await?;
        // The history is public: it names the steward who approved, not the member who
        // suggested (stewards see who suggested what in the review queue).
        let change = if s.kind == "new" {
            "New offer suggested by a member"
        } else {
            "Change suggested by a member"
        };
        store::add_version(
            &mut tx,
            &s.service_id,
            &s.doc,
            Some(who.user.id),
            change,
            &s.why,
            now,
        )
        .await?;
    }
    let action = if approve {
        AuditAction::ListingApproved
    } else {
        AuditAction::ListingRejected
    };
    record(
        &mut tx,
        Some(who.user.id),
        s.suggested_by,
        action,
        &format!("suggestion {id}"),
        Some(ip),
        now,
    )
    .await?;
    let decided = store::suggestion(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("suggestion"))?;
    tx.commit().await?;
    Ok(decided)
}

/// An offer's record as it is now and its versions, newest first. Public.
pub async fn history(state: &App, id: &str) -> Result<(Value, Vec<VersionRow>)> {
    let mut c = state.store.conn().await?;
    let current = published(&mut c, id).await?;
    Ok((current, store::versions(&mut c, id).await?))
}

/// Offers nobody has checked for a year: id, name and when it was last changed (RFC 3339).
pub async fn stale(
    state: &App,
    who: &Identity,
    now: i64,
    limit: i64,
) -> Result<Vec<(String, String, Option<String>)>> {
    if !may_review(&who.actor()) {
        return Err(Error::Forbidden);
    }
    let mut c = state.store.conn().await?;
    Ok(store::stale_services(&mut c, &rfc3339(now - STALE_AFTER_SECS), limit).await?)
}

/// A steward has checked an offer and it is still right: record that, as a version.
#[tracing::instrument(skip_all, fields(user = who.user.id))]
pub async fn mark_checked(state: &App, who: &Identity, id: &str, ip: &str, now: i64) -> Result<()> {
    if !may_review(&who.actor()) {
        return Err(Error::Forbidden);
    }
    let mut tx = state.store.begin().await?;
    let doc = store::service_doc(&mut tx, id, false)
        .await?
        .ok_or(Error::NotFound("offer"))?;
    let mut checked: Value =
        serde_json::from_str(&doc).map_err(|e| StoreError::Invalid(e.to_string()))?;
    keep_first_version(&mut tx, id, &doc, now).await?;
    checked["last_modified"] = Value::String(rfc3339(now));
    let text = publish(&mut tx, &checked, now).await?;
    store::add_version(
        &mut tx,
        id,
        &text,
        Some(who.user.id),
        "Checked by a steward: still right",
        "",
        now,
    )
    .await?;
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::ListingChecked,
        &format!("checked offer {id}: still right"),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The id of the group that runs an offer, as its record says.
fn group_of(doc: &Value) -> Option<&str> {
    doc.get("organization_id")
        .and_then(Value::as_str)
        .or_else(|| {
            doc.get("organization")
                .and_then(|o| o.get("id"))
                .and_then(Value::as_str)
        })
}

async fn may_edit_in(db: &mut impl Db, who: &Identity, doc: &Value) -> Result<bool> {
    let actor = who.actor();
    if may_edit_offer(&actor, false) {
        return Ok(true);
    }
    let organiser = match group_of(doc) {
        Some(org) => store::is_organiser(db, org, who.user.id).await?,
        None => false,
    };
    Ok(may_edit_offer(&actor, organiser))
}

/// Whether this person may edit an offer directly: its organisers, stewards and hub admins.
pub async fn may_edit(state: &App, who: &Identity, doc: &Value) -> Result<bool> {
    if may_edit_offer(&who.actor(), false) {
        return Ok(true);
    }
    let mut c = state.store.conn().await?;
    may_edit_in(&mut c, who, doc).await
}

/// An offer's record, for someone who may edit it directly.
pub async fn offer_to_edit(state: &App, who: &Identity, id: &str) -> Result<Value> {
    let mut c = state.store.conn().await?;
    let current = published(&mut c, id).await?;
    if !may_edit_in(&mut c, who, &current).await? {
        return Err(Error::Forbidden);
    }
    Ok(current)
}

/// An organiser, steward or hub admin changes an offer directly: published at once and kept
/// as a version naming them, with `why`.
#[tracing::instrument(skip_all, fields(user = who.user.id))]
pub async fn edit(
    state: &App,
    who: &Identity,
    id: &str,
    change: ChangeForm,
    why: &str,
    ip: &str,
    now: i64,
) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let current = published(&mut tx, id).await?;
    if !may_edit_in(&mut tx, who, &current).await? {
        return Err(Error::Forbidden);
    }
    let change = with_place_centre(&mut tx, change).await?;
    let proposed = apply_change(&current, &change, &mut fresh_ids(), &rfc3339(now))?;
    keep_first_version(&mut tx, id, &current.to_string(), now).await?;
    let text = publish(&mut tx, &proposed, now).await?;
    let change = format!("Edited by {}", who.user.display_name);
    store::add_version(
        &mut tx,
        id,
        &text,
        Some(who.user.id),
        &change,
        why.trim(),
        now,
    )
    .await?;
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::ListingEdited,
        &format!("offer {id}"),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The name of a group in the directory, as its offers give it.
pub async fn group_name(state: &App, id: &str) -> Result<String> {
    let mut c = state.store.conn().await?;
    store::services_of_organization(&mut c, id)
        .await?
        .iter()
        .filter_map(|(_, d)| serde_json::from_str::<Value>(d).ok())
        .find_map(|d| {
            d.get("organization")
                .and_then(|o| o.get("name"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .ok_or(Error::NotFound("group"))
}

/// A member asks to be one of a group's organisers, saying how they are connected to it.
#[tracing::instrument(skip_all, fields(user = who.user.id))]
pub async fn claim(
    state: &App,
    who: &Identity,
    group_id: &str,
    message: &str,
    ip: &str,
    now: i64,
) -> Result<i64> {
    group_name(state, group_id).await?;
    let message = message.trim();
    if message.is_empty() || message.chars().count() > CLAIM_MESSAGE_MAX {
        return Err(FieldError::new(
            "message",
            ErrorCode::Missing,
            "Say how you are connected to the group, in 1000 characters or fewer",
        )
        .into());
    }
    let mut tx = state.store.begin().await?;
    let id = store::create_claim(&mut tx, group_id, who.user.id, message, now).await?;
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::ListingClaimed,
        &format!("claim {id} for group {group_id}"),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A steward approves a request to be an organiser, or turns it down with a reason.
#[tracing::instrument(skip_all, fields(user = who.user.id, claim = id))]
pub async fn decide_claim(
    state: &App,
    who: &Identity,
    id: i64,
    approve: bool,
    reason: &str,
    ip: &str,
    now: i64,
) -> Result<()> {
    if !may_review(&who.actor()) {
        return Err(Error::Forbidden);
    }
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(FieldError::new(
            "reason",
            ErrorCode::ReasonMissing,
            "To turn down a request, write a reason: the member will see it.",
        )
        .into());
    }
    let mut tx = state.store.begin().await?;
    let claim = store::claim(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("request"))?;
    if !store::decide_claim(&mut tx, id, approve, who.user.id, reason, now).await? {
        return conflict(
            ErrorCode::AlreadyDecided,
            "Someone has already answered that request.",
        );
    }
    let detail = format!(
        "claim {id} for group {}: {}",
        claim.organization_id,
        if approve { "approved" } else { "not approved" }
    );
    record(
        &mut tx,
        Some(who.user.id),
        Some(claim.user_id),
        AuditAction::ClaimDecided,
        &detail,
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How the directory stands as published open data, for council officers and hub admins.
pub async fn open_data(state: &App, who: &Identity, now: i64) -> Result<store::PublishedCounts> {
    if !who.may(Action::PublishDirectory) {
        return Err(Error::Forbidden);
    }
    let mut c = state.store.conn().await?;
    Ok(store::published_counts(&mut c, &rfc3339(now - STALE_AFTER_SECS)).await?)
}
