//! People at the centre: profile sections, their history, sharing choices (the consent
//! ledger), circles of support and chosen connectors; how a viewer stands to a person; and
//! forgetting a person completely.

use crate::{Db, Result, Store, StoreError};
use village_domain::access::people::Relationship;
use village_domain::Timestamp;

/// One section as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SectionRow {
    #[sqlx(try_from = "String")]
    pub section: village_domain::people::Section,
    pub body: String,
    pub structure: Option<String>,
    #[sqlx(try_from = "String")]
    pub visibility: village_domain::people::Visibility,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
}

pub async fn sections(db: &mut impl Db, user_id: i64) -> Result<Vec<SectionRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT section, body, structure, visibility, updated_at, updated_by FROM profile_sections WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// What a section will say and who sees it.
pub struct SectionWrite<'a> {
    pub user_id: i64,
    pub section: &'a str,
    pub body: &'a str,
    pub structure: Option<&'a str>,
    pub visibility: &'a str,
    pub editor: i64,
}

pub async fn put_section(db: &mut impl Db, w: &SectionWrite<'_>, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO profile_sections (user_id, section, body, structure, visibility, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (user_id, section) DO UPDATE SET body = excluded.body, structure = excluded.structure, \
         visibility = excluded.visibility, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(w.user_id)
    .bind(w.section)
    .bind(w.body)
    .bind(w.structure)
    .bind(w.visibility)
    .bind(now)
    .bind(w.editor)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- History of changes --------------------------------------------------------------

/// One change to a section: who made it, what it said before and after.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EditRow {
    pub id: i64,
    pub user_id: i64,
    #[sqlx(try_from = "String")]
    pub section: village_domain::people::Section,
    pub editor_id: Option<i64>,
    /// The editor's name as it is now (`None` once they have left the hub).
    pub editor_name: Option<String>,
    pub before_body: String,
    pub before_structure: Option<String>,
    pub after_body: String,
    pub after_structure: Option<String>,
    pub at: i64,
    /// The change this one put back, when it was an undo.
    pub undoes: Option<i64>,
}

pub struct NewEdit<'a> {
    pub user_id: i64,
    pub section: &'a str,
    pub editor_id: i64,
    pub before_body: &'a str,
    pub before_structure: Option<&'a str>,
    pub after_body: &'a str,
    pub after_structure: Option<&'a str>,
    pub undoes: Option<i64>,
}

pub async fn record_edit(db: &mut impl Db, e: &NewEdit<'_>, now: Timestamp) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO profile_edits (user_id, section, editor_id, before_body, before_structure, after_body, after_structure, at, undoes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(e.user_id)
    .bind(e.section)
    .bind(e.editor_id)
    .bind(e.before_body)
    .bind(e.before_structure)
    .bind(e.after_body)
    .bind(e.after_structure)
    .bind(now)
    .bind(e.undoes)
    .fetch_one(&mut *c)
    .await)?)
}

const EDIT_COLUMNS: &str =
    "e.id, e.user_id, e.section, e.editor_id, u.display_name AS editor_name, \
    e.before_body, e.before_structure, e.after_body, e.after_structure, e.at, e.undoes";

/// The changes to a person's profile, newest first (`before_id` pages further back).
pub async fn edits(
    db: &mut impl Db,
    user_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<EditRow>> {
    let sql = format!(
        "SELECT {EDIT_COLUMNS} FROM profile_edits e LEFT JOIN users u ON u.id = e.editor_id \
         WHERE e.user_id = $1 AND ($2 IS NULL OR e.id < $2) ORDER BY e.id DESC LIMIT $3"
    );
    Ok(query!(db, c => sqlx::query_as(&sql)
        .bind(user_id)
        .bind(before_id)
        .bind(limit)
        .fetch_all(&mut *c)
        .await)?)
}

pub async fn edit(db: &mut impl Db, user_id: i64, id: i64) -> Result<Option<EditRow>> {
    let sql = format!(
        "SELECT {EDIT_COLUMNS} FROM profile_edits e LEFT JOIN users u ON u.id = e.editor_id \
         WHERE e.user_id = $1 AND e.id = $2"
    );
    Ok(query!(db, c => sqlx::query_as(&sql)
        .bind(user_id)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)?)
}

// ---- Consent ledger -------------------------------------------------------------------

/// One sharing choice: what, with whom (a visibility code or a plain description), when,
/// and who made it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConsentRow {
    pub id: i64,
    pub what: String,
    pub shared_with: String,
    pub previous: Option<String>,
    pub by_id: Option<i64>,
    pub by_name: Option<String>,
    pub at: i64,
}

pub async fn record_consent(
    db: &mut impl Db,
    user_id: i64,
    what: &str,
    shared_with: &str,
    previous: Option<&str>,
    by: i64,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO consents (user_id, what, shared_with, previous, by_id, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(what)
    .bind(shared_with)
    .bind(previous)
    .bind(by)
    .bind(now)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every sharing choice, newest first.
pub async fn consents(db: &mut impl Db, user_id: i64) -> Result<Vec<ConsentRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT k.id, k.what, k.shared_with, k.previous, k.by_id, u.display_name AS by_name, k.at \
         FROM consents k LEFT JOIN users u ON u.id = k.by_id WHERE k.user_id = $1 ORDER BY k.id DESC",
    )
    .bind(user_id)
    .fetch_all(&mut *c)
    .await)?)
}

// ---- Circle of support ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CircleRow {
    pub id: i64,
    pub owner_id: i64,
    #[sqlx(try_from = "String")]
    pub ring: village_domain::people::circle::Ring,
    pub name: String,
    pub contact: String,
    pub member_id: Option<i64>,
    /// The linked member's own name, as it is now.
    pub member_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: village_domain::people::circle::LinkStatus,
    pub supporter: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const CIRCLE_COLUMNS: &str = "e.id, e.owner_id, e.ring, e.name, e.contact, e.member_id, \
    m.display_name AS member_name, e.status, e.supporter, e.created_at, e.updated_at";

pub struct NewCircleEntry<'a> {
    pub owner_id: i64,
    pub ring: &'a str,
    pub name: &'a str,
    pub contact: &'a str,
    pub member_id: Option<i64>,
    pub status: &'a str,
}

pub async fn add_circle_entry(
    db: &mut impl Db,
    e: &NewCircleEntry<'_>,
    now: Timestamp,
) -> Result<i64> {
    let r: std::result::Result<i64, sqlx::Error> = query!(db, c => sqlx::query_scalar(
        "INSERT INTO circle_entries (owner_id, ring, name, contact, member_id, status, supporter, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $7) RETURNING id",
    )
    .bind(e.owner_id)
    .bind(e.ring)
    .bind(e.name)
    .bind(e.contact)
    .bind(e.member_id)
    .bind(e.status)
    .bind(now)
    .fetch_one(&mut *c)
    .await);
    r.map_err(|e| StoreError::from(e).unique_as("member"))
}

/// A person's circle, in the order it was added.
pub async fn circle(db: &mut impl Db, owner_id: i64) -> Result<Vec<CircleRow>> {
    let sql = format!(
        "SELECT {CIRCLE_COLUMNS} FROM circle_entries e LEFT JOIN users m ON m.id = e.member_id \
         WHERE e.owner_id = $1 ORDER BY e.id"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(owner_id).fetch_all(&mut *c).await)?)
}

pub async fn circle_entry(db: &mut impl Db, id: i64) -> Result<Option<CircleRow>> {
    let sql = format!(
        "SELECT {CIRCLE_COLUMNS} FROM circle_entries e LEFT JOIN users m ON m.id = e.member_id WHERE e.id = $1"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// The circles a member has been invited into or belongs to, with the owner's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MembershipRow {
    pub entry_id: i64,
    pub owner_id: i64,
    pub owner_name: String,
    #[sqlx(try_from = "String")]
    pub ring: village_domain::people::circle::Ring,
    #[sqlx(try_from = "String")]
    pub status: village_domain::people::circle::LinkStatus,
    pub supporter: bool,
}

pub async fn memberships(db: &mut impl Db, member_id: i64) -> Result<Vec<MembershipRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT e.id AS entry_id, e.owner_id, o.display_name AS owner_name, e.ring, e.status, e.supporter \
         FROM circle_entries e JOIN users o ON o.id = e.owner_id \
         WHERE e.member_id = $1 AND e.status IN ('invited', 'accepted') ORDER BY e.id",
    )
    .bind(member_id)
    .fetch_all(&mut *c)
    .await)?)
}

pub struct CircleUpdate<'a> {
    pub ring: &'a str,
    pub name: &'a str,
    pub contact: &'a str,
    pub status: &'a str,
    pub supporter: bool,
}

pub async fn update_circle_entry(
    db: &mut impl Db,
    id: i64,
    u: &CircleUpdate<'_>,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "UPDATE circle_entries SET ring = $1, name = $2, contact = $3, status = $4, supporter = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(u.ring)
    .bind(u.name)
    .bind(u.contact)
    .bind(u.status)
    .bind(u.supporter)
    .bind(now)
    .bind(id)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn remove_circle_entry(db: &mut impl Db, id: i64) -> Result<()> {
    query!(db, c => sqlx::query("DELETE FROM circle_entries WHERE id = $1")
        .bind(id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- Connectors -----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConnectorLinkRow {
    pub person_id: i64,
    pub person_name: String,
    pub connector_id: i64,
    pub connector_name: String,
    /// `offered` (by the connector, waiting for the person) or `accepted`.
    pub status: String,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
}

const LINK_SELECT: &str = "SELECT l.person_id, p.display_name AS person_name, l.connector_id, \
    k.display_name AS connector_name, l.status, l.created_at, l.accepted_at \
    FROM person_connectors l JOIN users p ON p.id = l.person_id JOIN users k ON k.id = l.connector_id";

/// The connectors a person has chosen or been offered.
pub async fn connectors_of(db: &mut impl Db, person_id: i64) -> Result<Vec<ConnectorLinkRow>> {
    let sql =
        format!("{LINK_SELECT} WHERE l.person_id = $1 ORDER BY k.display_name, l.connector_id");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(person_id).fetch_all(&mut *c).await)?)
}

/// The people who chose a connector, or to whom they offered to be one.
pub async fn people_of(db: &mut impl Db, connector_id: i64) -> Result<Vec<ConnectorLinkRow>> {
    let sql =
        format!("{LINK_SELECT} WHERE l.connector_id = $1 ORDER BY p.display_name, l.person_id");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(connector_id).fetch_all(&mut *c).await)?)
}

pub async fn connector_link(
    db: &mut impl Db,
    person_id: i64,
    connector_id: i64,
) -> Result<Option<ConnectorLinkRow>> {
    let sql = format!("{LINK_SELECT} WHERE l.person_id = $1 AND l.connector_id = $2");
    Ok(
        query!(db, c => sqlx::query_as(&sql).bind(person_id).bind(connector_id).fetch_optional(&mut *c).await)?,
    )
}

/// Link a connector: `accepted` when the person chose them, `offered` when the connector
/// offered. An existing link is only ever moved on to `accepted`.
pub async fn link_connector(
    db: &mut impl Db,
    person_id: i64,
    connector_id: i64,
    accepted: bool,
    now: Timestamp,
) -> Result<()> {
    let status = if accepted { "accepted" } else { "offered" };
    let accepted_at = accepted.then_some(now);
    query!(db, c => sqlx::query(
        "INSERT INTO person_connectors (person_id, connector_id, status, created_at, accepted_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (person_id, connector_id) DO UPDATE SET \
         status = CASE WHEN person_connectors.status = 'accepted' THEN 'accepted' ELSE excluded.status END, \
         accepted_at = COALESCE(person_connectors.accepted_at, excluded.accepted_at)",
    )
    .bind(person_id)
    .bind(connector_id)
    .bind(status)
    .bind(now)
    .bind(accepted_at)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn unlink_connector(db: &mut impl Db, person_id: i64, connector_id: i64) -> Result<bool> {
    let n = query!(db, c => sqlx::query("DELETE FROM person_connectors WHERE person_id = $1 AND connector_id = $2")
        .bind(person_id)
        .bind(connector_id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

// ---- Relationship ---------------------------------------------------------------------

/// How `viewer` stands to `person`: the closest of their relationships. A connector link
/// counts only while it is accepted and the viewer still has the connector role; a circle
/// link only once the member accepted.
pub async fn relationship(
    db: &mut impl Db,
    person_id: i64,
    viewer: Option<i64>,
) -> Result<Relationship> {
    if viewer.is_none() || viewer == Some(person_id) {
        return Ok(closest(person_id, viewer, None, 0));
    }
    let sql = format!("SELECT {RELATIONSHIP_COLUMNS} FROM users u WHERE u.id = $1");
    let found: Option<(Option<i64>, i64)> = query!(db, c => sqlx::query_as(&sql)
        .bind(person_id)
        .bind(viewer)
        .fetch_optional(&mut *c)
        .await)?;
    let (circle, connector) = found.unwrap_or((None, 0));
    Ok(closest(person_id, viewer, circle, connector))
}

/// How `viewer` stands to `person` as far as conversation notes go: themself, a connector
/// they chose (even one who is also in their circle), or anyone else (`Member`).
pub async fn as_connector(db: &mut impl Db, person_id: i64, viewer: i64) -> Result<Relationship> {
    if viewer == person_id {
        return Ok(Relationship::Themself);
    }
    let sql = format!("SELECT {RELATIONSHIP_COLUMNS} FROM users u WHERE u.id = $1");
    let found: Option<(Option<i64>, i64)> = query!(db, c => sqlx::query_as(&sql)
        .bind(person_id)
        .bind(viewer)
        .fetch_optional(&mut *c)
        .await)?;
    Ok(match found {
        Some((_, n)) if n > 0 => Relationship::Connector,
        _ => Relationship::Member,
    })
}

/// The two facts a relationship is made of, for the person `u.id` and the viewer `$2`: the
/// viewer's accepted circle entry (2 when a supporter, 1 otherwise) and whether they are an
/// accepted connector who still has the connector role.
const RELATIONSHIP_COLUMNS: &str = "\
    (SELECT CAST(MAX(CASE WHEN e.supporter THEN 2 ELSE 1 END) AS BIGINT) FROM circle_entries e \
       WHERE e.owner_id = u.id AND e.member_id = $2 AND e.status = 'accepted') AS circle, \
    (SELECT COUNT(*) FROM person_connectors l JOIN users k ON k.id = l.connector_id \
       WHERE l.person_id = u.id AND l.connector_id = $2 AND l.status = 'accepted' \
       AND k.role = 'connector') AS connector";

/// The closest relationship those facts make.
fn closest(
    person_id: i64,
    viewer: Option<i64>,
    circle: Option<i64>,
    connector: i64,
) -> Relationship {
    match (viewer, circle) {
        (None, _) => Relationship::Anonymous,
        (Some(v), _) if v == person_id => Relationship::Themself,
        (Some(_), Some(2)) => Relationship::Supporter,
        (Some(_), Some(_)) => Relationship::Circle,
        (Some(_), None) if connector > 0 => Relationship::Connector,
        _ => Relationship::Member,
    }
}

// ---- What connectors say about themselves ---------------------------------------------

/// A connector's words to people choosing one: who they are and how they work.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ConnectorIntroRow {
    pub user_id: i64,
    pub about: String,
    pub how_i_work: String,
}

/// What every connector who has written one says, by connector.
pub async fn connector_intros(db: &mut impl Db) -> Result<Vec<ConnectorIntroRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT user_id, about, how_i_work FROM connector_intros ORDER BY user_id",
    )
    .fetch_all(&mut *c)
    .await)?)
}

/// What one connector says about themselves, if they have written it.
pub async fn connector_intro(db: &mut impl Db, user_id: i64) -> Result<Option<ConnectorIntroRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT user_id, about, how_i_work FROM connector_intros WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *c)
    .await)?)
}

/// Keep what a connector says about themselves (replacing what they said before).
pub async fn put_connector_intro(
    db: &mut impl Db,
    user_id: i64,
    about: &str,
    how_i_work: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO connector_intros (user_id, about, how_i_work, updated_at) VALUES ($1, $2, $3, $4)          ON CONFLICT (user_id) DO UPDATE SET about = excluded.about, how_i_work = excluded.how_i_work,          updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(about)
    .bind(how_i_work)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- Forgetting -----------------------------------------------------------------------

/// Remove everything about a person: their profile and its history, sharing choices,
/// circle, connector links and account (sessions, tokens and resets go with it), and the
/// words of their directory suggestions ([`crate::directory::forget_suggestions_of`]). Their name
/// leaves other people's pages too: edits they made to someone else's profile and entries
/// that linked them keep only what the other person wrote. The audit log keeps its entries
/// (who did what, by number), which hold no words from the profile. Safeguarding concerns
/// about them that are still open stay, for the safeguarding leads only; closed ones go.
pub async fn forget(db: &mut impl Db, user_id: i64) -> Result<()> {
    crate::safeguarding::forget_closed_about(db, user_id).await?;
    crate::decisions::forget(db, user_id).await?;
    crate::directory::forget_suggestions_of(db, user_id).await?;
    crate::mutual_aid::forget(db, user_id).await?;
    crate::stories::forget(db, user_id).await?;
    crate::gatherings::forget(db, user_id).await?;
    // Notices to others about their introductions and shortlists name them: those go too.
    query!(db, c => sqlx::query(
        "DELETE FROM notifications WHERE link IN (SELECT '/introductions/' || CAST(id AS TEXT) FROM introductions WHERE person_id = $1) \
         OR link = $2",
    )
    .bind(user_id)
    .bind(format!("/people/{user_id}/shortlists"))
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    for sql in [
        "DELETE FROM introductions WHERE person_id = $1",
        "DELETE FROM checkins WHERE person_id = $1",
        "DELETE FROM shortlists WHERE person_id = $1",
        "DELETE FROM suggestion_marks WHERE person_id = $1",
        "DELETE FROM suggestion_cache WHERE person_id = $1",
        "DELETE FROM notifications WHERE user_id = $1",
        "DELETE FROM profile_edits WHERE user_id = $1",
        "DELETE FROM profile_sections WHERE user_id = $1",
        "DELETE FROM consents WHERE user_id = $1",
        "DELETE FROM conversations WHERE person_id = $1",
        "DELETE FROM circle_entries WHERE owner_id = $1",
        "DELETE FROM person_connectors WHERE person_id = $1 OR connector_id = $1",
        "DELETE FROM connector_intros WHERE user_id = $1",
        // Where someone else named them in their circle, keep the entry only as the name
        // that person typed, with no link.
        "UPDATE circle_entries SET member_id = NULL, status = 'listed', supporter = FALSE WHERE member_id = $1",
        "DELETE FROM users WHERE id = $1",
    ] {
        query!(db, c => sqlx::query(sql).bind(user_id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// After a person is forgotten (or a visitor's name and way back are removed from a
/// concern): make sure the words are gone from disk, not just from queries. SQLite overwrites deleted content with zeros (`secure_delete`); this copies the
/// write-ahead log into the file and empties it. PostgreSQL marks the space for reuse.
pub async fn scrub(store: &Store) -> Result<()> {
    match store {
        Store::Sqlite { pool, .. } => {
            // A reader in the middle of a query can hold the log back: try again a few times
            // until every frame is copied and the log is empty.
            for _ in 0..50 {
                let (busy, log, copied): (i64, i64, i64) =
                    sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                        .fetch_one(pool)
                        .await?;
                if busy == 0 && log <= 0 && copied <= 0 {
                    return Ok(());
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            return Err(StoreError::Invalid(
                "the write-ahead log could not be emptied: readers kept it busy".into(),
            ));
        }
        Store::Postgres { pool } => {
            // ANALYZE as well: the planner's statistics (pg_statistic) keep samples of
            // column values, which may hold the person's words until they are rebuilt.
            sqlx::query(
                "VACUUM (ANALYZE) profile_sections, profile_edits, consents, circle_entries, person_connectors, conversations, conversation_replies, \
                 introductions, introduction_events, notifications, suggestion_marks, connection_preferences, checkins, shortlists, \
                 shortlist_items, suggestion_cache, stances, proposal_comments, round_ideas, ballots, ballot_choices, \
                 dir_suggestions, dir_service_versions, dir_claims, dir_organisers, sessions, api_tokens, users, \
                 connector_intros, concerns, concern_actions, help_posts, help_matches, help_messages, \
                 help_match_events, help_exchanges, help_transfers, help_ledger, safety_marks, help_digests, help_waiting_notices, \
                 stories, story_groups, story_offers, gatherings, gathering_organisers, gathering_chairs, gathering_sign_ups, gathering_needs",
            )
            .execute(pool)
            .await?;
        }
    }
    Ok(())
}

// ---- Conversations --------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConversationRow {
    pub id: i64,
    pub person_id: i64,
    pub connector_id: Option<i64>,
    pub connector_name: Option<String>,
    pub happened_on: String,
    pub story: String,
    pub next_steps: String,
    /// `shared`, `agreed` or `change_asked`.
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReplyRow {
    pub id: i64,
    pub conversation_id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    /// `agree`, `comment`, `change` (asked for a change) or `revised` (the earlier words).
    pub kind: String,
    pub body: String,
    pub at: i64,
}

const CONVERSATION_SELECT: &str =
    "SELECT v.id, v.person_id, v.connector_id, k.display_name AS connector_name, \
    v.happened_on, v.story, v.next_steps, v.status, v.created_at, v.updated_at \
    FROM conversations v LEFT JOIN users k ON k.id = v.connector_id";

pub struct NewConversation<'a> {
    pub person_id: i64,
    pub connector_id: i64,
    pub happened_on: &'a str,
    pub story: &'a str,
    pub next_steps: &'a str,
}

pub async fn add_conversation(
    db: &mut impl Db,
    n: &NewConversation<'_>,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO conversations (person_id, connector_id, happened_on, story, next_steps, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'shared', $6, $6) RETURNING id",
    )
    .bind(n.person_id)
    .bind(n.connector_id)
    .bind(n.happened_on)
    .bind(n.story)
    .bind(n.next_steps)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

/// Notes about a person, newest first; only those by one connector when `by` is given.
pub async fn conversations(
    db: &mut impl Db,
    person_id: i64,
    by: Option<i64>,
) -> Result<Vec<ConversationRow>> {
    let sql = format!("{CONVERSATION_SELECT} WHERE v.person_id = $1 AND ($2 IS NULL OR v.connector_id = $2) ORDER BY v.happened_on DESC, v.id DESC");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(person_id).bind(by).fetch_all(&mut *c).await)?)
}

pub async fn conversation(db: &mut impl Db, id: i64) -> Result<Option<ConversationRow>> {
    let sql = format!("{CONVERSATION_SELECT} WHERE v.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn update_conversation(
    db: &mut impl Db,
    id: i64,
    story: &str,
    next_steps: &str,
    status: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE conversations SET story = $1, next_steps = $2, status = $3, updated_at = $4 WHERE id = $5")
        .bind(story)
        .bind(next_steps)
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn add_reply(
    db: &mut impl Db,
    conversation_id: i64,
    author_id: i64,
    kind: &str,
    body: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO conversation_replies (conversation_id, author_id, kind, body, at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(conversation_id)
    .bind(author_id)
    .bind(kind)
    .bind(body)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

/// Replies to a set of conversations, oldest first.
pub async fn replies(db: &mut impl Db, person_id: i64) -> Result<Vec<ReplyRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT r.id, r.conversation_id, r.author_id, u.display_name AS author_name, r.kind, r.body, r.at \
         FROM conversation_replies r JOIN conversations v ON v.id = r.conversation_id \
         LEFT JOIN users u ON u.id = r.author_id WHERE v.person_id = $1 ORDER BY r.id",
    )
    .bind(person_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Everything needed to show a profile to one viewer, in one query: the person's name, how
/// the viewer stands to them, and every section. `None` when there is no such person.
pub struct ProfileRead {
    pub display_name: String,
    pub relationship: Relationship,
    pub sections: Vec<SectionRow>,
}

#[derive(sqlx::FromRow)]
struct ProfileReadRow {
    display_name: String,
    circle: Option<i64>,
    connector: i64,
    /// Every section as a JSON array of `[section, body, structure, visibility, updated_at,
    /// updated_by]` arrays.
    sections: String,
}

/// One stored section, as `read_profile` gets it back inside its JSON array.
type PackedSection = (String, String, Option<String>, String, i64, Option<i64>);

pub async fn read_profile(
    db: &mut impl Db,
    person_id: i64,
    viewer: Option<i64>,
) -> Result<Option<ProfileRead>> {
    // The sections come back in one column, so the whole read is one row: the driver's cost
    // per row (a hand-over between threads on SQLite) was most of a profile page's time.
    let sections = match crate::db::Db::exec(db.as_db()) {
        crate::db::Exec::Sqlite(_) => {
            "(SELECT json_group_array(json_array(s.section, s.body, s.structure, s.visibility, \
             s.updated_at, s.updated_by)) FROM profile_sections s WHERE s.user_id = u.id)"
        }
        crate::db::Exec::Postgres(_) => {
            "(SELECT COALESCE(json_agg(json_build_array(s.section, s.body, s.structure, \
             s.visibility, s.updated_at, s.updated_by))::text, '[]') \
             FROM profile_sections s WHERE s.user_id = u.id)"
        }
    };
    let sql = format!(
        "SELECT u.display_name, {RELATIONSHIP_COLUMNS}, {sections} AS sections \
         FROM users u WHERE u.id = $1"
    );
    let row: Option<ProfileReadRow> = query!(db, c => sqlx::query_as(&sql)
    .bind(person_id)
    .bind(viewer)
    .fetch_optional(&mut *c)
    .await)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let relationship = closest(person_id, viewer, row.circle, row.connector);
    let packed: Vec<PackedSection> = serde_json::from_str(&row.sections)
        .map_err(|e| StoreError::Invalid(format!("a stored profile could not be read: {e}")))?;
    let sections = packed
        .into_iter()
        .map(
            |(section, body, structure, visibility, updated_at, updated_by)| {
                let unknown = |e: village_domain::UnknownCode| StoreError::Invalid(e.to_string());
                Ok(SectionRow {
                    section: section.try_into().map_err(unknown)?,
                    body,
                    structure,
                    visibility: visibility.try_into().map_err(unknown)?,
                    updated_at,
                    updated_by,
                })
            },
        )
        .collect::<Result<_>>()?;
    Ok(Some(ProfileRead {
        display_name: row.display_name,
        relationship,
        sections,
    }))
}
