//! Introductions, their history of steps, and the follow-up of those nobody answered.

use super::*;

// ---- Introductions ---------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IntroductionRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub person_email: String,
    pub service_id: String,
    pub organization_id: Option<String>,
    pub offer_name: String,
    pub requested_by: Option<i64>,
    #[sqlx(try_from = "String")]
    pub state: village_domain::connections::introduction::State,
    pub share_support: bool,
    pub contact: String,
    pub message: String,
    pub support_text: String,
    pub reason: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub sent_at: Option<i64>,
    pub nudged_at: Option<i64>,
    pub escalated_at: Option<i64>,
}

pub(super) const INTRODUCTION_SELECT: &str = "SELECT i.id, i.person_id, u.display_name AS person_name, u.email AS person_email, \
    i.service_id, i.organization_id, i.offer_name, i.requested_by, i.state, i.share_support, i.contact, i.message, \
    i.support_text, i.reason, i.created_at, i.updated_at, i.sent_at, i.nudged_at, i.escalated_at \
    FROM introductions i JOIN users u ON u.id = i.person_id";

pub struct NewIntroduction<'a> {
    pub person_id: i64,
    pub service_id: &'a str,
    pub organization_id: Option<&'a str>,
    pub offer_name: &'a str,
    pub requested_by: i64,
    pub share_support: bool,
    pub contact: &'a str,
    pub message: &'a str,
}

pub async fn create_introduction(
    db: &mut impl Db,
    n: &NewIntroduction<'_>,
    now: Timestamp,
) -> Result<i64> {
    let id: i64 = query!(db, c => sqlx::query_scalar(
        "INSERT INTO introductions (person_id, service_id, organization_id, offer_name, requested_by, state, \
         share_support, contact, message, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(n.person_id)
    .bind(n.service_id)
    .bind(n.organization_id)
    .bind(n.offer_name)
    .bind(n.requested_by)
    .bind(n.share_support)
    .bind(n.contact)
    .bind(n.message)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?;
    add_event(
        db,
        id,
        Some(n.requested_by),
        "request",
        None,
        "requested",
        "",
        now,
    )
    .await?;
    Ok(id)
}

pub async fn introduction(db: &mut impl Db, id: i64) -> Result<Option<IntroductionRow>> {
    let sql = format!("{INTRODUCTION_SELECT} WHERE i.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn introductions_of_person(
    db: &mut impl Db,
    person_id: i64,
) -> Result<Vec<IntroductionRow>> {
    let sql = format!("{INTRODUCTION_SELECT} WHERE i.person_id = $1 ORDER BY i.id DESC");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(person_id).fetch_all(&mut *c).await)?)
}

/// The introductions to one group's offers that have been sent (never the ones still
/// being written).
pub async fn introductions_to_organization(
    db: &mut impl Db,
    organization_id: &str,
) -> Result<Vec<IntroductionRow>> {
    let sql = format!(
        "{INTRODUCTION_SELECT} WHERE i.organization_id = $1 AND i.sent_at IS NOT NULL ORDER BY i.id DESC"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(organization_id).fetch_all(&mut *c).await)?)
}

/// A change of state, with what goes with it.
pub struct Transition<'a> {
    pub id: i64,
    pub actor: i64,
    pub action: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub reason: &'a str,
    /// The `support` words shared with the group (set when sent; cleared when it ends).
    pub support_text: Option<&'a str>,
}

/// Move an introduction on, only if it is still in `from` (false when someone else moved it
/// first).
pub async fn transition(db: &mut impl Db, t: &Transition<'_>, now: Timestamp) -> Result<bool> {
    let sent = t.to == "sent";
    let n = query!(db, c => sqlx::query(
        "UPDATE introductions SET state = $1, updated_at = $2, reason = CASE WHEN $3 = '' THEN reason ELSE $3 END, \
         support_text = COALESCE($4, support_text), sent_at = CASE WHEN $5 THEN $2 ELSE sent_at END \
         WHERE id = $6 AND state = $7",
    )
    .bind(t.to)
    .bind(now)
    .bind(t.reason)
    .bind(t.support_text)
    .bind(sent)
    .bind(t.id)
    .bind(t.from)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Ok(false);
    }
    add_event(
        db,
        t.id,
        Some(t.actor),
        t.action,
        Some(t.from),
        t.to,
        t.reason,
        now,
    )
    .await?;
    Ok(true)
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn add_event(
    db: &mut impl Db,
    id: i64,
    actor: Option<i64>,
    action: &str,
    from: Option<&str>,
    to: &str,
    reason: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO introduction_events (introduction_id, actor_id, action, from_state, to_state, reason, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(actor)
    .bind(action)
    .bind(from)
    .bind(to)
    .bind(reason)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventRow {
    pub action: String,
    pub actor_name: Option<String>,
    pub from_state: Option<String>,
    pub to_state: String,
    pub reason: String,
    pub at: i64,
}

pub async fn events(db: &mut impl Db, id: i64) -> Result<Vec<EventRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT e.action, u.display_name AS actor_name, e.from_state, e.to_state, e.reason, e.at \
         FROM introduction_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.introduction_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Introductions sent before `before` that the group has not answered and that have not yet
/// been nudged (`column` = `nudged_at`) or passed to the connector (`escalated_at`).
pub async fn unanswered(
    db: &mut impl Db,
    column: &str,
    before: Timestamp,
) -> Result<Vec<IntroductionRow>> {
    let column = if column == "escalated_at" {
        "escalated_at"
    } else {
        "nudged_at"
    };
    let sql = format!(
        "{INTRODUCTION_SELECT} WHERE i.state = 'sent' AND i.sent_at <= $1 AND i.{column} IS NULL ORDER BY i.id"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(before).fetch_all(&mut *c).await)?)
}

/// Mark an introduction reminded (or passed on); false when another process already did.
pub async fn mark_followed_up(
    db: &mut impl Db,
    id: i64,
    column: &str,
    now: Timestamp,
) -> Result<bool> {
    let sql = if column == "escalated_at" {
        "UPDATE introductions SET escalated_at = $1 WHERE id = $2 AND escalated_at IS NULL"
    } else {
        "UPDATE introductions SET nudged_at = $1 WHERE id = $2 AND nudged_at IS NULL"
    };
    let n = query!(db, c => sqlx::query(sql).bind(now).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}
