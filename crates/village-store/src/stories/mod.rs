//! Stories: the words as their author wrote them, as a steward suggested changing them, and
//! as published, kept apart; the groups and offers each is about; answers and "me too"
//! (`answers`).

pub mod answers;

use crate::{Db, Result};
use village_domain::stories::story::{Audience, State, ToldBy};
use village_domain::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoryRow {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    #[sqlx(try_from = "String")]
    pub told_by: ToldBy,
    pub screen_name: String,
    pub title: String,
    pub body: String,
    pub happened_month: Option<String>,
    #[sqlx(try_from = "String")]
    pub audience: Audience,
    pub open_data: bool,
    /// A private story sent privately to the groups it names: their organisers may read
    /// and answer it once it is published.
    pub send_to_groups: bool,
    /// Told by a connector for this member, who agrees before it is published.
    pub told_for: Option<i64>,
    pub told_for_name: Option<String>,
    pub person_agreed_at: Option<i64>,
    #[sqlx(try_from = "String")]
    pub state: State,
    pub edited_title: Option<String>,
    pub edited_body: Option<String>,
    /// The rule codes of a steward's edit, comma-separated.
    pub edit_rules: String,
    /// Why a steward held it back.
    pub steward_reason: String,
    pub published_title: Option<String>,
    pub published_body: Option<String>,
    pub submitted_at: i64,
    pub published_at: Option<i64>,
    /// When a steward featured it on "Glimpses of the future".
    pub featured_at: Option<i64>,
}

const SELECT: &str = "SELECT s.id, s.author_id, u.display_name AS author_name, s.told_by, s.screen_name, \
    s.title, s.body, s.happened_month, s.audience, s.open_data, s.send_to_groups, s.told_for, f.display_name AS told_for_name, s.person_agreed_at, s.state, s.edited_title, s.edited_body, \
    s.edit_rules, s.steward_reason, s.published_title, s.published_body, s.submitted_at, s.published_at, s.featured_at \
    FROM stories s JOIN users u ON u.id = s.author_id LEFT JOIN users f ON f.id = s.told_for";

pub struct NewStory<'a> {
    pub author_id: i64,
    pub told_by: ToldBy,
    pub screen_name: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub happened_month: Option<&'a str>,
    pub audience: Audience,
    pub open_data: bool,
    pub send_to_groups: bool,
    pub told_for: Option<i64>,
    pub groups: &'a [String],
    pub offers: &'a [String],
}

pub async fn create(db: &mut impl Db, s: &NewStory<'_>, now: Timestamp) -> Result<i64> {
    let id: i64 = query!(db, c => sqlx::query_scalar(
        "INSERT INTO stories (author_id, told_by, screen_name, title, body, happened_month, audience, open_data, send_to_groups, told_for, state, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $11, 'submitted', $9) RETURNING id",
    )
    .bind(s.author_id)
    .bind(s.told_by.code())
    .bind(s.screen_name)
    .bind(s.title)
    .bind(s.body)
    .bind(s.happened_month)
    .bind(s.audience.code())
    .bind(s.open_data)
    .bind(now)
    .bind(s.send_to_groups)
    .bind(s.told_for)
    .fetch_one(&mut *c)
    .await)?;
    for g in s.groups {
        query!(db, c => sqlx::query("INSERT INTO story_groups (story_id, organization_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id).bind(g).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    for o in s.offers {
        query!(db, c => sqlx::query("INSERT INTO story_offers (story_id, service_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id).bind(o).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(id)
}

pub async fn story(db: &mut impl Db, id: i64) -> Result<Option<StoryRow>> {
    let sql = format!("{SELECT} WHERE s.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// The groups (ORUK organization ids) and offers (service ids) a story is about.
pub async fn about(db: &mut impl Db, id: i64) -> Result<(Vec<String>, Vec<String>)> {
    let groups = query!(db, c => sqlx::query_scalar(
        "SELECT organization_id FROM story_groups WHERE story_id = $1 ORDER BY organization_id",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)?;
    let offers = query!(db, c => sqlx::query_scalar(
        "SELECT service_id FROM story_offers WHERE story_id = $1 ORDER BY service_id",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)?;
    Ok((groups, offers))
}

/// Stories waiting for a steward, oldest first.
pub async fn waiting(db: &mut impl Db, limit: i64) -> Result<Vec<StoryRow>> {
    let sql =
        format!("{SELECT} WHERE s.state = 'submitted' ORDER BY s.submitted_at, s.id LIMIT $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(limit).fetch_all(&mut *c).await)?)
}

/// How many stories wait for a steward, besides `except_author`'s own (another steward
/// reads those).
pub async fn waiting_count(db: &mut impl Db, except_author: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM stories WHERE state = 'submitted' AND author_id <> $1";
    Ok(query!(db, c => sqlx::query_scalar(sql).bind(except_author).fetch_one(&mut *c).await)?)
}

/// A member's own stories, and those told for them, newest first.
pub async fn of_author(db: &mut impl Db, author_id: i64) -> Result<Vec<StoryRow>> {
    let sql = format!("{SELECT} WHERE s.author_id = $1 OR s.told_for = $1 ORDER BY s.id DESC");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(author_id).fetch_all(&mut *c).await)?)
}

/// Private stories sent to groups `user_id` organises, published, newest first.
pub async fn sent_to_organiser(
    db: &mut impl Db,
    user_id: i64,
    limit: i64,
) -> Result<Vec<StoryRow>> {
    let sql = format!(
        "{SELECT} WHERE s.state = 'published' AND s.audience = 'private' AND s.send_to_groups \
         AND EXISTS (SELECT 1 FROM story_groups g JOIN dir_organisers o ON o.organization_id = g.organization_id \
         WHERE g.story_id = s.id AND o.user_id = $1) \
         ORDER BY s.published_at DESC, s.id DESC LIMIT $2"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(user_id).bind(limit).fetch_all(&mut *c).await)?)
}

/// Published stories whose audience is one of `audiences`, newest first; only those open
/// for others to reuse when `open_data_only`.
pub async fn published(
    db: &mut impl Db,
    audiences: &[Audience],
    open_data_only: bool,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<StoryRow>> {
    let list = audiences
        .iter()
        .map(|a| format!("'{}'", a.code()))
        .collect::<Vec<_>>()
        .join(", ");
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE s.state = 'published' AND s.audience IN ({list}) {} \
         AND ($2 IS NULL OR EXISTS (SELECT 1 FROM story_groups g WHERE g.story_id = s.id AND g.organization_id = $2)) \
         AND ($3 IS NULL OR EXISTS (SELECT 1 FROM story_offers o WHERE o.story_id = s.id AND o.service_id = $3)) \
         AND ($4 = FALSE OR EXISTS (SELECT 1 FROM story_answers a WHERE a.story_id = s.id AND a.change = 'made' AND a.held = FALSE)) \
         AND ($5 IS NULL OR EXISTS (SELECT 1 FROM story_themes t WHERE t.story_id = s.id AND t.theme = $5)) \
         AND ($6 = FALSE OR s.featured_at IS NOT NULL) \
         ORDER BY {} DESC, s.id DESC LIMIT $1",
        if open_data_only {
            "AND s.open_data"
        } else {
            ""
        },
        if filter.featured {
            "s.featured_at"
        } else {
            "s.published_at"
        }
    );
    Ok(query!(db, c => sqlx::query_as(&sql)
        .bind(limit)
        .bind(filter.group.as_deref())
        .bind(filter.offer.as_deref())
        .bind(filter.changed_things)
        .bind(filter.theme.as_deref())
        .bind(filter.featured)
        .fetch_all(&mut *c)
        .await)?)
}

/// Which published stories a list shows: about a group, about an offer, and only those where
/// a change was made.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub group: Option<String>,
    pub offer: Option<String>,
    pub changed_things: bool,
    /// A theme's code.
    pub theme: Option<String>,
    /// Only those featured on "Glimpses of the future", newest featured first.
    pub featured: bool,
}

/// A story's themes become these (codes).
pub async fn set_themes(db: &mut impl Db, id: i64, themes: &[String]) -> Result<()> {
    query!(db, c => sqlx::query("DELETE FROM story_themes WHERE story_id = $1")
        .bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    for t in themes {
        query!(db, c => sqlx::query("INSERT INTO story_themes (story_id, theme) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id).bind(t).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// A story's themes (codes).
pub async fn themes_of(db: &mut impl Db, id: i64) -> Result<Vec<String>> {
    Ok(
        query!(db, c => sqlx::query_scalar("SELECT theme FROM story_themes WHERE story_id = $1 ORDER BY theme")
        .bind(id).fetch_all(&mut *c).await)?,
    )
}

/// What a steward's decision writes.
pub enum Decided<'a> {
    /// Published as the author wrote it.
    Publish,
    /// Changed words, waiting for the author.
    Edit {
        title: &'a str,
        body: &'a str,
        rules: &'a str,
    },
    /// Held back, with why.
    Withhold { reason: &'a str },
}

/// Feature a published story on "Glimpses of the future", or take it off (false unless it is
/// published, and, to feature it, published for more than its teller).
pub async fn set_featured(
    db: &mut impl Db,
    id: i64,
    featured: bool,
    now: Timestamp,
) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "UPDATE stories SET featured_at = CASE WHEN $1 THEN COALESCE(featured_at, $2) ELSE NULL END \
         WHERE id = $3 AND state = 'published' AND ($1 = FALSE OR audience <> 'private')",
    )
    .bind(featured)
    .bind(now)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// A steward decides about a story still waiting (false when someone decided first).
pub async fn decide(
    db: &mut impl Db,
    id: i64,
    by: i64,
    to: State,
    d: &Decided<'_>,
    now: Timestamp,
) -> Result<bool> {
    let (edited_title, edited_body, rules, reason) = match d {
        Decided::Publish => (None, None, "", ""),
        Decided::Edit { title, body, rules } => (Some(*title), Some(*body), *rules, ""),
        Decided::Withhold { reason } => (None, None, "", *reason),
    };
    let publish = matches!(d, Decided::Publish);
    Ok(query!(db, c => sqlx::query(
        "UPDATE stories SET state = $1, decided_at = $2, decided_by = $3, edited_title = $4, edited_body = $5, \
         edit_rules = $6, steward_reason = $7, \
         published_title = CASE WHEN $8 THEN title ELSE published_title END, \
         published_body = CASE WHEN $8 THEN body ELSE published_body END, \
         published_at = CASE WHEN $8 THEN $2 ELSE published_at END \
         WHERE id = $9 AND state = 'submitted'",
    )
    .bind(to.code())
    .bind(now)
    .bind(by)
    .bind(edited_title)
    .bind(edited_body)
    .bind(rules)
    .bind(reason)
    .bind(publish)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// The author (or the person it was told for) approves the words waiting for them:
/// published as they are (false unless it was waiting).
pub async fn approve(db: &mut impl Db, id: i64, now: Timestamp) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "UPDATE stories SET state = 'published', published_title = edited_title, published_body = edited_body, \
         published_at = $1, person_agreed_at = CASE WHEN told_for IS NULL THEN NULL ELSE $1 END \
         WHERE id = $2 AND state = 'awaiting_author'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// The author withdraws a story: its words go, from every version (false when it was
/// withdrawn already).
pub async fn withdraw(db: &mut impl Db, id: i64, now: Timestamp) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "UPDATE stories SET state = 'withdrawn', title = '', body = '', screen_name = '', edited_title = NULL, \
         edited_body = NULL, published_title = NULL, published_body = NULL, steward_reason = '', featured_at = NULL, withdrawn_at = $1 \
         WHERE id = $2 AND state <> 'withdrawn'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if n == 1 {
        answers::keep_before_going(db, "$1", id).await?;
        for sql in [
            "DELETE FROM story_groups WHERE story_id = $1",
            "DELETE FROM story_offers WHERE story_id = $1",
            "DELETE FROM story_answers WHERE story_id = $1",
            "DELETE FROM story_me_too WHERE story_id = $1",
            "DELETE FROM story_follow_ups WHERE story_id = $1",
            "DELETE FROM story_follow_up_asks WHERE story_id = $1",
            "DELETE FROM story_themes WHERE story_id = $1",
        ] {
            query!(db, c => sqlx::query(sql).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        }
    }
    Ok(n == 1)
}

/// When a person is forgotten: their stories go, and those told for them.
pub async fn forget(db: &mut impl Db, user_id: i64) -> Result<()> {
    answers::keep_before_going(
        db,
        "SELECT id FROM stories WHERE author_id = $1 OR told_for = $1",
        user_id,
    )
    .await?;
    for sql in [
        "DELETE FROM story_groups WHERE story_id IN (SELECT id FROM stories WHERE author_id = $1 OR told_for = $1)",
        "DELETE FROM story_offers WHERE story_id IN (SELECT id FROM stories WHERE author_id = $1 OR told_for = $1)",
        "DELETE FROM story_answers WHERE story_id IN (SELECT id FROM stories WHERE author_id = $1 OR told_for = $1)",
        "DELETE FROM story_me_too WHERE story_id IN (SELECT id FROM stories WHERE author_id = $1 OR told_for = $1) OR user_id = $1",
        "UPDATE story_answers SET answered_by = NULL WHERE answered_by = $1",
        "DELETE FROM story_follow_ups WHERE story_id IN (SELECT id FROM stories WHERE author_id = $1 OR told_for = $1)",
        "DELETE FROM story_follow_up_asks WHERE story_id IN (SELECT id FROM stories WHERE author_id = $1 OR told_for = $1)",
        "DELETE FROM story_themes WHERE story_id IN (SELECT id FROM stories WHERE author_id = $1 OR told_for = $1)",
        "DELETE FROM stories WHERE author_id = $1 OR told_for = $1",
        "UPDATE stories SET decided_by = NULL WHERE decided_by = $1",
    ] {
        query!(db, c => sqlx::query(sql).bind(user_id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}
