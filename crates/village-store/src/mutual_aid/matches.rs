//! Matches between the one who posted and someone who answered: what each chose to share,
//! the steps taken (each kept in the match's history) and the messages between them.

use super::*;
use crate::StoreError;
use village_domain::mutual_aid::matches::State;
use village_domain::mutual_aid::post::Kind;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MatchRow {
    pub id: i64,
    pub post_id: i64,
    pub responder_id: i64,
    pub responder_name: String,
    #[sqlx(try_from = "String")]
    pub state: State,
    pub poster_email: bool,
    pub poster_phone: bool,
    pub responder_email: bool,
    pub responder_phone: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// The post's: whose it is, what it is called, and whether it asks or offers.
    pub author_id: i64,
    pub author_name: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    /// The post is in the name of this group: its organisers act for it.
    pub organization_id: Option<String>,
}

const MATCH_SELECT: &str = "SELECT m.id, m.post_id, m.responder_id, r.display_name AS responder_name, m.state, \
    m.poster_email, m.poster_phone, m.responder_email, m.responder_phone, m.created_at, m.updated_at, \
    p.author_id, a.display_name AS author_name, p.title, p.kind, p.organization_id \
    FROM help_matches m JOIN help_posts p ON p.id = m.post_id \
    JOIN users r ON r.id = m.responder_id JOIN users a ON a.id = p.author_id";

/// The match this person has open on this post, if any.
pub async fn open_match(db: &mut impl Db, post_id: i64, responder_id: i64) -> Result<Option<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT id FROM help_matches WHERE post_id = $1 AND responder_id = $2 AND state IN ('requested', 'accepted')",
    )
    .bind(post_id)
    .bind(responder_id)
    .fetch_optional(&mut *c)
    .await)?)
}

/// A new match, `requested`. `Conflict` when this person already has one open on the post.
pub async fn create_match(
    db: &mut impl Db,
    post_id: i64,
    responder_id: i64,
    share_email: bool,
    share_phone: bool,
    proxy: Option<Proxy>,
    now: Timestamp,
) -> Result<i64> {
    let id: i64 = query!(db, c => sqlx::query_scalar(
        "INSERT INTO help_matches (post_id, responder_id, state, responder_email, responder_phone, created_at, updated_at) \
         VALUES ($1, $2, 'requested', $3, $4, $5, $5) RETURNING id",
    )
    .bind(post_id)
    .bind(responder_id)
    .bind(share_email)
    .bind(share_phone)
    .bind(now)
    .fetch_one(&mut *c)
    .await)
    .map_err(|e| StoreError::from(e).unique_as("an open match on this post"))?;
    add_event(
        db,
        &Event {
            match_id: id,
            actor: responder_id,
            action: "respond",
            from: None,
            to: State::Requested,
            proxy,
        },
        now,
    )
    .await?;
    Ok(id)
}

pub async fn match_row(db: &mut impl Db, id: i64) -> Result<Option<MatchRow>> {
    let sql = format!("{MATCH_SELECT} WHERE m.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Every match on a post, newest first.
pub async fn matches_of_post(db: &mut impl Db, post_id: i64) -> Result<Vec<MatchRow>> {
    let sql = format!("{MATCH_SELECT} WHERE m.post_id = $1 ORDER BY m.id DESC");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(post_id).fetch_all(&mut *c).await)?)
}

/// Every match a member is in, on their posts or others', newest first.
pub async fn matches_of(db: &mut impl Db, user_id: i64) -> Result<Vec<MatchRow>> {
    // Indexed reads joined, not one OR across two tables (PostgreSQL would read every match).
    let sql = format!(
        "{MATCH_SELECT} WHERE m.id IN (SELECT id FROM help_matches WHERE responder_id = $1 UNION \
         SELECT a.id FROM help_matches a JOIN help_posts ap ON ap.id = a.post_id WHERE ap.author_id = $1 UNION \
         SELECT g.id FROM help_matches g JOIN help_posts gp ON gp.id = g.post_id \
         JOIN dir_organisers o ON o.organization_id = gp.organization_id WHERE o.user_id = $1) \
         ORDER BY m.updated_at DESC, m.id DESC"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(user_id).fetch_all(&mut *c).await)?)
}

/// A step of a match.
pub struct Step<'a> {
    pub id: i64,
    pub actor: i64,
    pub action: &'a str,
    pub from: State,
    pub to: State,
    /// What the poster chose to share, when they say yes.
    pub poster_shares: Option<(bool, bool)>,
    /// Taken by a coordinator for `actor`.
    pub proxy: Option<Proxy>,
}

/// Take a step, only if the match is still in `from` (false when someone else moved it
/// first).
pub async fn step(db: &mut impl Db, s: &Step<'_>, now: Timestamp) -> Result<bool> {
    let (email, phone) = s.poster_shares.unzip();
    let n = query!(db, c => sqlx::query(
        "UPDATE help_matches SET state = $1, updated_at = $2, poster_email = COALESCE($3, poster_email), \
         poster_phone = COALESCE($4, poster_phone) WHERE id = $5 AND state = $6",
    )
    .bind(s.to.code())
    .bind(now)
    .bind(email)
    .bind(phone)
    .bind(s.id)
    .bind(s.from.code())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Ok(false);
    }
    add_event(
        db,
        &Event {
            match_id: s.id,
            actor: s.actor,
            action: s.action,
            from: Some(s.from),
            to: s.to,
            proxy: s.proxy,
        },
        now,
    )
    .await?;
    Ok(true)
}

/// A step in a match's history: taken by `actor`, or by a coordinator for them.
struct Event<'a> {
    match_id: i64,
    actor: i64,
    action: &'a str,
    from: Option<State>,
    to: State,
    proxy: Option<Proxy>,
}

async fn add_event(db: &mut impl Db, e: &Event<'_>, now: Timestamp) -> Result<()> {
    // Typed in by a coordinator: they are the actor, and the member is who it was for.
    let (actor, for_id) = match e.proxy {
        Some(p) => (p.by, Some(e.actor)),
        None => (e.actor, None),
    };
    query!(db, c => sqlx::query(
        "INSERT INTO help_match_events (match_id, actor_id, action, from_state, to_state, at, for_id, agreed_how) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.match_id)
    .bind(actor)
    .bind(e.action)
    .bind(e.from.map(|s| s.code()))
    .bind(e.to.code())
    .bind(now)
    .bind(for_id)
    .bind(e.proxy.map(|p| p.agreed.code()))
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MatchEventRow {
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    /// Taken by a coordinator (the actor) for this member.
    pub for_id: Option<i64>,
    pub for_name: Option<String>,
    pub agreed_how: Option<String>,
    pub action: String,
    #[sqlx(try_from = "String")]
    pub to_state: State,
    pub at: i64,
}

pub async fn match_events(db: &mut impl Db, match_id: i64) -> Result<Vec<MatchEventRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT e.actor_id, u.display_name AS actor_name, e.for_id, f.display_name AS for_name, e.agreed_how, \
         e.action, e.to_state, e.at FROM help_match_events e LEFT JOIN users u ON u.id = e.actor_id \
         LEFT JOIN users f ON f.id = e.for_id WHERE e.match_id = $1 ORDER BY e.id",
    )
    .bind(match_id)
    .fetch_all(&mut *c)
    .await)?)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub typed_by: Option<i64>,
    pub typed_by_name: Option<String>,
    pub agreed_how: Option<String>,
    pub body: String,
    pub at: i64,
}

pub async fn add_message(
    db: &mut impl Db,
    match_id: i64,
    author_id: i64,
    proxy: Option<Proxy>,
    body: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO help_messages (match_id, author_id, typed_by, body, at, agreed_how) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(match_id)
    .bind(author_id)
    .bind(proxy.map(|p| p.by))
    .bind(body)
    .bind(now)
    .bind(proxy.map(|p| p.agreed.code()))
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn messages(db: &mut impl Db, match_id: i64) -> Result<Vec<MessageRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT m.id, m.author_id, u.display_name AS author_name, m.typed_by, t.display_name AS typed_by_name, \
         m.agreed_how, m.body, m.at FROM help_messages m JOIN users u ON u.id = m.author_id \
         LEFT JOIN users t ON t.id = m.typed_by WHERE m.match_id = $1 ORDER BY m.id",
    )
    .bind(match_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// For coordinators: answers waiting for a yes or no, oldest first.
pub async fn matches_waiting(db: &mut impl Db, limit: i64) -> Result<Vec<MatchRow>> {
    let sql =
        format!("{MATCH_SELECT} WHERE m.state = 'requested' ORDER BY m.created_at, m.id LIMIT $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(limit).fetch_all(&mut *c).await)?)
}

/// Whether this person typed anything into a match for someone (its post, a step, or a
/// message), or settled time in it.
pub async fn acted_in_match(db: &mut impl Db, match_id: i64, user_id: i64) -> Result<bool> {
    let n: i64 = query!(db, c => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM help_match_events WHERE match_id = $1 AND actor_id = $2 AND for_id IS NOT NULL) \
         + (SELECT COUNT(*) FROM help_messages WHERE match_id = $1 AND typed_by = $2) \
         + (SELECT COUNT(*) FROM help_exchanges WHERE match_id = $1 AND (answered_by = $2 OR take_back_kept_by = $2)) \
         + (SELECT COUNT(*) FROM help_matches m JOIN help_posts p ON p.id = m.post_id \
            WHERE m.id = $1 AND p.posted_by = $2 AND p.author_id <> $2)",
    )
    .bind(match_id)
    .bind(user_id)
    .fetch_one(&mut *c)
    .await)?;
    Ok(n > 0)
}

/// Who said yes to a match: the member (for whom a coordinator may have typed it in).
pub async fn accepted_by(db: &mut impl Db, match_id: i64) -> Result<Option<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT COALESCE(for_id, actor_id) FROM help_match_events WHERE match_id = $1 AND action = 'accept' \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(match_id)
    .fetch_optional(&mut *c)
    .await)?
    .flatten())
}
