//! Proposals, stances, comments and outcomes.

use super::*;

// ---- Proposals -------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProposalRow {
    pub id: i64,
    pub space_id: i64,
    pub title: String,
    pub body: String,
    pub affects: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub decision: Option<String>,
    pub reasons: Option<String>,
    pub dissent_summary: Option<String>,
    pub progress: Option<String>,
    pub progress_at: Option<i64>,
    /// Where it came from (a gathering's session or action): a link back, and its words.
    pub came_from_url: Option<String>,
    pub came_from_title: Option<String>,
}

pub(super) const PROPOSAL_SELECT: &str =
    "SELECT p.id, p.space_id, p.title, p.body, p.affects, p.author_id, \
    u.display_name AS author_name, p.created_at, p.updated_at, p.closed_at, p.decision, p.reasons, \
    p.dissent_summary, p.progress, p.progress_at, p.came_from_url, p.came_from_title \
    FROM proposals p LEFT JOIN users u ON u.id = p.author_id";

pub async fn create_proposal(
    db: &mut impl Db,
    space_id: i64,
    title: &str,
    body: &str,
    affects: &str,
    author: i64,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO proposals (space_id, title, body, affects, author_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(space_id)
    .bind(title)
    .bind(body)
    .bind(affects)
    .bind(author)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn proposal(db: &mut impl Db, id: i64) -> Result<Option<ProposalRow>> {
    let sql = format!("{PROPOSAL_SELECT} WHERE p.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// A space's proposals: open ones first, newest first.
pub async fn proposals_in(db: &mut impl Db, space_id: i64) -> Result<Vec<ProposalRow>> {
    let sql = format!(
        "{PROPOSAL_SELECT} WHERE p.space_id = $1 \
         ORDER BY CASE WHEN p.closed_at IS NULL THEN 0 ELSE 1 END, p.id DESC"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(space_id).fetch_all(&mut *c).await)?)
}

/// Change an open proposal's wording, keeping the earlier one. False if it has closed.
pub async fn edit_proposal(
    db: &mut impl Db,
    id: i64,
    title: &str,
    body: &str,
    affects: &str,
    by: i64,
    now: Timestamp,
) -> Result<bool> {
    let kept = query!(db, c => sqlx::query(
        "INSERT INTO proposal_versions (proposal_id, version, title, body, affects, edited_by, edited_at) \
         SELECT p.id, (SELECT COUNT(*) + 1 FROM proposal_versions v WHERE v.proposal_id = p.id), p.title, p.body, p.affects, $2, $3 \
         FROM proposals p WHERE p.id = $1 AND p.closed_at IS NULL",
    )
    .bind(id)
    .bind(by)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if kept == 0 {
        return Ok(false);
    }
    query!(db, c => sqlx::query(
        "UPDATE proposals SET title = $2, body = $3, affects = $4, updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(title)
    .bind(body)
    .bind(affects)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(true)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub affects: String,
    pub edited_by_name: Option<String>,
    /// When this wording was replaced.
    pub edited_at: i64,
}

/// Earlier wordings, oldest first.
pub async fn versions(db: &mut impl Db, proposal_id: i64) -> Result<Vec<VersionRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT v.version, v.title, v.body, v.affects, u.display_name AS edited_by_name, v.edited_at \
         FROM proposal_versions v LEFT JOIN users u ON u.id = v.edited_by WHERE v.proposal_id = $1 ORDER BY v.version",
    )
    .bind(proposal_id)
    .fetch_all(&mut *c)
    .await)?)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StanceRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub name: Option<String>,
    #[sqlx(try_from = "String")]
    pub stance: village_domain::decisions::proposal::Stance,
    pub reason: String,
    pub lived: bool,
    pub response: Option<String>,
    pub updated_at: i64,
}

/// Every stance on a proposal, in the order they were first taken.
pub async fn stances(db: &mut impl Db, proposal_id: i64) -> Result<Vec<StanceRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT s.id, s.user_id, u.display_name AS name, s.stance, s.reason, s.lived, s.response, s.updated_at \
         FROM stances s LEFT JOIN users u ON u.id = s.user_id WHERE s.proposal_id = $1 ORDER BY s.id",
    )
    .bind(proposal_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Take or change a stance; a changed stance keeps its id. `lived` is whether the person had
/// declared lived experience when they took it.
pub async fn put_stance(
    db: &mut impl Db,
    proposal_id: i64,
    user_id: i64,
    stance: &str,
    reason: &str,
    lived: bool,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO stances (proposal_id, user_id, stance, reason, lived, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT (proposal_id, user_id) DO UPDATE SET stance = excluded.stance, reason = excluded.reason, \
         lived = excluded.lived, updated_at = excluded.updated_at RETURNING id",
    )
    .bind(proposal_id)
    .bind(user_id)
    .bind(stance)
    .bind(reason)
    .bind(lived)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub name: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: village_domain::decisions::proposal::CommentKind,
    pub body: String,
    pub created_at: i64,
}

pub async fn comments(db: &mut impl Db, proposal_id: i64) -> Result<Vec<CommentRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT m.id, m.user_id, u.display_name AS name, m.kind, m.body, m.created_at \
         FROM proposal_comments m LEFT JOIN users u ON u.id = m.user_id WHERE m.proposal_id = $1 ORDER BY m.id",
    )
    .bind(proposal_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub async fn add_comment(
    db: &mut impl Db,
    proposal_id: i64,
    user_id: i64,
    kind: &str,
    body: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO proposal_comments (proposal_id, user_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(proposal_id)
    .bind(user_id)
    .bind(kind)
    .bind(body)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

pub struct Closing<'a> {
    pub decision: &'a str,
    pub reasons: &'a str,
    pub dissent_summary: &'a str,
    pub block_responses: &'a BTreeMap<i64, String>,
    /// `agreed` or `not_agreed`.
    pub progress: &'a str,
}

/// Close a proposal with its outcome and the answers to its blocks. False if it was already
/// closed (by someone else a moment ago).
pub async fn close(
    db: &mut impl Db,
    proposal_id: i64,
    o: &Closing<'_>,
    by: i64,
    now: Timestamp,
) -> Result<bool> {
    let closed = query!(db, c => sqlx::query(
        "UPDATE proposals SET closed_at = $2, closed_by = $3, decision = $4, reasons = $5, dissent_summary = $6, \
         progress = $7, progress_at = $2 WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(proposal_id)
    .bind(now)
    .bind(by)
    .bind(o.decision)
    .bind(o.reasons)
    .bind(o.dissent_summary)
    .bind(o.progress)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if closed == 0 {
        return Ok(false);
    }
    for (stance_id, response) in o.block_responses {
        query!(db, c => sqlx::query("UPDATE stances SET response = $3 WHERE id = $1 AND proposal_id = $2")
            .bind(*stance_id)
            .bind(proposal_id)
            .bind(response)
            .execute(&mut *c)
            .await
            .map(|_| ()))?;
    }
    Ok(true)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UpdateRow {
    pub id: i64,
    pub by_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub progress: village_domain::decisions::proposal::Progress,
    pub note: String,
    pub at: i64,
}

pub async fn updates(db: &mut impl Db, proposal_id: i64) -> Result<Vec<UpdateRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT d.id, u.display_name AS by_name, d.progress, d.note, d.at FROM proposal_updates d \
         LEFT JOIN users u ON u.id = d.by_id WHERE d.proposal_id = $1 ORDER BY d.id",
    )
    .bind(proposal_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// A dated update on an agreed decision; moves its progress on. False if the progress had
/// changed meanwhile (the caller checked the move from `from`).
pub async fn add_update(
    db: &mut impl Db,
    proposal_id: i64,
    from: &str,
    to: &str,
    note: &str,
    by: i64,
    now: Timestamp,
) -> Result<bool> {
    let moved = query!(db, c => sqlx::query(
        "UPDATE proposals SET progress = $3, progress_at = $4 WHERE id = $1 AND progress = $2",
    )
    .bind(proposal_id)
    .bind(from)
    .bind(to)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if moved == 0 {
        return Ok(false);
    }
    query!(db, c => sqlx::query(
        "INSERT INTO proposal_updates (proposal_id, by_id, progress, note, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(proposal_id)
    .bind(by)
    .bind(to)
    .bind(note)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    Ok(true)
}

/// Say where a proposal came from (a gathering's session or action), to link back to it.
pub async fn set_came_from(db: &mut impl Db, id: i64, url: &str, title: &str) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE proposals SET came_from_url = $2, came_from_title = $3 WHERE id = $1")
        .bind(id).bind(url).bind(title).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
