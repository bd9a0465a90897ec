//! Gatherings: what, when and where; who organises and who chairs (`gatherings`); places and
//! what would help people take part (`places`); open-space sessions (`sessions`); the minutes
//! and their actions (`minutes`).

pub mod minutes;
pub mod places;
pub mod sessions;

use crate::{Db, Result};
use village_domain::gatherings::gathering::State;
use village_domain::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GatheringRow {
    pub id: i64,
    pub title: String,
    pub about: String,
    pub for_whom: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub venue: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub online_url: Option<String>,
    pub capacity: Option<i64>,
    pub reserved_places: i64,
    /// Venue access fact codes, comma-separated.
    pub access: String,
    pub cost: String,
    /// The group in the directory that runs it (its organisers organise it).
    pub organization_id: Option<String>,
    pub open_space: bool,
    #[sqlx(try_from = "String")]
    pub state: State,
    /// Raised on every change of time or place, for calendars.
    pub sequence: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub cancelled_at: Option<i64>,
    /// When it was first published (a draft cancelled before then was never public).
    pub published_at: Option<i64>,
    /// Open space: the rooms its organisers named, one per line (none: people name them).
    pub rooms: String,
    /// Open space: how long a session lasts, in minutes.
    pub session_minutes: i64,
    /// `once`, `weekly` or `monthly`.
    pub repeats: String,
    /// The last day a series may happen (`YYYY-MM-DD`).
    pub repeat_until: Option<String>,
    /// Days a series skips, comma-separated.
    pub skipped: String,
    /// When its last time ends (its own end when it happens once).
    pub last_ends_at: i64,
    /// The offer in the directory whose place it is at (ORUK service id).
    pub offer_id: Option<String>,
}

impl GatheringRow {
    /// How it comes round.
    pub fn series(&self) -> village_domain::gatherings::series::Series {
        village_domain::gatherings::series::Series::stored(
            &self.repeats,
            self.repeat_until.as_deref(),
            &self.skipped,
        )
    }

    /// When its last time starts.
    pub fn last_starts_at(&self) -> i64 {
        self.last_ends_at - (self.ends_at - self.starts_at)
    }

    /// The rooms its organisers named.
    pub fn room_list(&self) -> Vec<String> {
        self.rooms
            .lines()
            .filter(|r| !r.trim().is_empty())
            .map(str::to_string)
            .collect()
    }
}

const SELECT: &str = "SELECT id, title, about, for_whom, starts_at, ends_at, venue, address, postcode, \
    online_url, capacity, reserved_places, access, cost, organization_id, open_space, state, sequence, \
    created_by, created_at, updated_at, cancelled_at, published_at, rooms, session_minutes, repeats, repeat_until, skipped, last_ends_at, offer_id FROM gatherings";

/// A gathering as checked by the app.
pub struct NewGathering<'a> {
    pub title: &'a str,
    pub about: &'a str,
    pub for_whom: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub venue: Option<&'a str>,
    pub address: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub online_url: Option<&'a str>,
    pub capacity: Option<i64>,
    pub reserved_places: i64,
    pub access: &'a str,
    pub cost: &'a str,
    pub organization_id: Option<&'a str>,
    pub open_space: bool,
    /// The rooms, one per line.
    pub rooms: &'a str,
    pub session_minutes: i64,
    /// `once`, `weekly` or `monthly`, with the last day and the days skipped.
    pub repeats: &'a str,
    pub repeat_until: Option<&'a str>,
    pub skipped: &'a str,
    /// When its last time ends (never before `ends_at`: 0 for one that happens once).
    pub last_ends_at: i64,
    /// The offer in the directory whose place it is at.
    pub offer_id: Option<&'a str>,
}

/// Make a draft; whoever made it organises it.
pub async fn create(
    db: &mut impl Db,
    g: &NewGathering<'_>,
    by: i64,
    now: Timestamp,
) -> Result<i64> {
    let id: i64 = query!(db, c => sqlx::query_scalar(
        "INSERT INTO gatherings (title, about, for_whom, starts_at, ends_at, venue, address, postcode, online_url, \
         capacity, reserved_places, access, cost, organization_id, open_space, state, created_by, created_at, updated_at, \
         rooms, session_minutes, repeats, repeat_until, skipped, last_ends_at, offer_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'draft', $16, $17, $17, $18, $19, \
         $20, $21, $22, $23, $24) RETURNING id",
    )
    .bind(g.title)
    .bind(g.about)
    .bind(g.for_whom)
    .bind(g.starts_at)
    .bind(g.ends_at)
    .bind(g.venue)
    .bind(g.address)
    .bind(g.postcode)
    .bind(g.online_url)
    .bind(g.capacity)
    .bind(g.reserved_places)
    .bind(g.access)
    .bind(g.cost)
    .bind(g.organization_id)
    .bind(g.open_space)
    .bind(by)
    .bind(now)
    .bind(g.rooms)
    .bind(g.session_minutes)
    .bind(g.repeats)
    .bind(g.repeat_until)
    .bind(g.skipped)
    .bind(g.last_ends_at.max(g.ends_at))
    .bind(g.offer_id)
    .fetch_one(&mut *c)
    .await)?;
    query!(db, c => sqlx::query("INSERT INTO gathering_organisers (gathering_id, user_id) VALUES ($1, $2)")
        .bind(id).bind(by).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(id)
}

/// Change what, when and where: the calendar's `SEQUENCE` rises when the time or the place
/// changes.
pub async fn update(db: &mut impl Db, id: i64, g: &NewGathering<'_>, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query(
        "UPDATE gatherings SET sequence = sequence + CASE WHEN starts_at <> $2 OR ends_at <> $3 \
           OR repeats <> $20 OR COALESCE(repeat_until, '') <> COALESCE($21, '') OR skipped <> $22 \
           OR COALESCE(venue, '') <> COALESCE($4, '') OR COALESCE(address, '') <> COALESCE($5, '') \
           OR COALESCE(postcode, '') <> COALESCE($6, '') OR COALESCE(online_url, '') <> COALESCE($7, '') THEN 1 ELSE 0 END, \
         reminded_at = CASE WHEN starts_at <> $2 THEN NULL ELSE reminded_at END, \
         starts_at = $2, ends_at = $3, venue = $4, address = $5, postcode = $6, online_url = $7, \
         title = $8, about = $9, for_whom = $10, capacity = $11, reserved_places = $12, access = $13, cost = $14, \
         organization_id = $15, open_space = $16, updated_at = $17, rooms = $18, session_minutes = $19, \
         repeats = $20, repeat_until = $21, skipped = $22, last_ends_at = $23, offer_id = $24 WHERE id = $1",
    )
    .bind(id)
    .bind(g.starts_at)
    .bind(g.ends_at)
    .bind(g.venue)
    .bind(g.address)
    .bind(g.postcode)
    .bind(g.online_url)
    .bind(g.title)
    .bind(g.about)
    .bind(g.for_whom)
    .bind(g.capacity)
    .bind(g.reserved_places)
    .bind(g.access)
    .bind(g.cost)
    .bind(g.organization_id)
    .bind(g.open_space)
    .bind(now)
    .bind(g.rooms)
    .bind(g.session_minutes)
    .bind(g.repeats)
    .bind(g.repeat_until)
    .bind(g.skipped)
    .bind(g.last_ends_at.max(g.ends_at))
    .bind(g.offer_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn gathering(db: &mut impl Db, id: i64) -> Result<Option<GatheringRow>> {
    let sql = format!("{SELECT} WHERE id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Hold a gathering while its places change: the other people signing up or leaving at the
/// same moment wait (the row's lock on PostgreSQL; the write lock on SQLite). Also returns it.
pub async fn lock(db: &mut impl Db, id: i64) -> Result<Option<GatheringRow>> {
    query!(db, c => sqlx::query("UPDATE gatherings SET sequence = sequence WHERE id = $1")
        .bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    gathering(db, id).await
}

/// Published gatherings (and cancelled ones that had been published, which people who signed
/// up still need to see)
/// ending after `from` and starting before `to`, soonest first; only one group's with `group`.
pub async fn listed(
    db: &mut impl Db,
    from: i64,
    to: i64,
    group: Option<&str>,
    limit: i64,
) -> Result<Vec<GatheringRow>> {
    let sql = format!(
        "{SELECT} WHERE state IN ('published', 'cancelled', 'ended') AND published_at IS NOT NULL AND last_ends_at > $1 AND starts_at < $2 \
         AND ($3 IS NULL OR organization_id = $3) ORDER BY starts_at, id LIMIT $4"
    );
    Ok(
        query!(db, c => sqlx::query_as(&sql).bind(from).bind(to).bind(group).bind(limit).fetch_all(&mut *c).await)?,
    )
}

/// Gatherings `user_id` organises, chairs or is asked to chair, newest first (drafts too).
pub async fn of_member(db: &mut impl Db, user_id: i64, limit: i64) -> Result<Vec<GatheringRow>> {
    let sql = format!(
        "{SELECT} WHERE id IN (SELECT gathering_id FROM gathering_organisers WHERE user_id = $1) \
         OR id IN (SELECT gathering_id FROM gathering_chairs WHERE user_id = $1 AND state <> 'declined') \
         OR organization_id IN (SELECT organization_id FROM dir_organisers WHERE user_id = $1) \
         ORDER BY starts_at DESC, id DESC LIMIT $2"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(user_id).bind(limit).fetch_all(&mut *c).await)?)
}

pub async fn set_state(db: &mut impl Db, id: i64, state: State, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query(
        "UPDATE gatherings SET state = $2, updated_at = $3, \
         cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3 ELSE cancelled_at END, \
         published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, $3) ELSE published_at END, \
         sequence = sequence + CASE WHEN $2 = 'cancelled' THEN 1 ELSE 0 END WHERE id = $1",
    )
    .bind(id)
    .bind(state.code())
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The members who organise it (not counting its group's organisers in the directory).
pub async fn organisers(db: &mut impl Db, id: i64) -> Result<Vec<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT user_id FROM gathering_organisers WHERE gathering_id = $1 ORDER BY user_id",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)?)
}

/// The members who organise it, by name (id, name).
pub async fn organisers_named(db: &mut impl Db, id: i64) -> Result<Vec<(i64, String)>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT u.id, u.display_name FROM gathering_organisers o JOIN users u ON u.id = o.user_id \
         WHERE o.gathering_id = $1 ORDER BY u.display_name, u.id",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Add a member to its organisers: false when they already were one.
pub async fn add_organiser(db: &mut impl Db, id: i64, user_id: i64) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "INSERT INTO gathering_organisers (gathering_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(user_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Take a member off its organisers: false when they were not one.
pub async fn remove_organiser(db: &mut impl Db, id: i64, user_id: i64) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "DELETE FROM gathering_organisers WHERE gathering_id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn is_organiser(db: &mut impl Db, id: i64, user_id: i64) -> Result<bool> {
    let n: i64 = query!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM gathering_organisers WHERE gathering_id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .fetch_one(&mut *c)
    .await)?;
    Ok(n > 0)
}

/// Someone asked to chair, and what they said.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChairRow {
    pub user_id: i64,
    pub display_name: String,
    /// `invited`, `accepted` or `declined`.
    pub state: String,
    pub named: bool,
    /// They said in their profile that they have lived experience.
    pub lived_declared: bool,
}

pub async fn chairs(db: &mut impl Db, id: i64) -> Result<Vec<ChairRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT ch.user_id, u.display_name, ch.state, ch.named, u.lived_declared FROM gathering_chairs ch \
         JOIN users u ON u.id = ch.user_id WHERE ch.gathering_id = $1 ORDER BY ch.invited_at, ch.user_id",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)?)
}

/// Ask someone to chair (again, if they said no before).
pub async fn invite_chair(db: &mut impl Db, id: i64, user_id: i64, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO gathering_chairs (gathering_id, user_id, state, invited_at) VALUES ($1, $2, 'invited', $3) \
         ON CONFLICT (gathering_id, user_id) DO UPDATE SET state = 'invited', named = FALSE, invited_at = $3, answered_at = NULL \
         WHERE gathering_chairs.state = 'declined'",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Record a chair's answer: `accepted` (named on the page if they chose) or `declined`
/// (also how a chair steps down). False when they were not asked.
pub async fn answer_chair(
    db: &mut impl Db,
    id: i64,
    user_id: i64,
    accepted: bool,
    named: bool,
    now: Timestamp,
) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "UPDATE gathering_chairs SET state = $3, named = $4, answered_at = $5 \
         WHERE gathering_id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user_id)
    .bind(if accepted { "accepted" } else { "declined" })
    .bind(accepted && named)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Forget a member: their places, what they said would help them, their invitations to
/// chair and their part in organising go; gatherings they made stay, made by nobody.
pub async fn forget(db: &mut impl Db, user_id: i64) -> Result<()> {
    for sql in [
        "DELETE FROM gathering_needs WHERE user_id = $1",
        "DELETE FROM gathering_sign_ups WHERE user_id = $1",
        "DELETE FROM gathering_chairs WHERE user_id = $1",
        "DELETE FROM gathering_organisers WHERE user_id = $1",
        "UPDATE gatherings SET created_by = NULL WHERE created_by = $1",
    ] {
        query!(db, c => sqlx::query(sql).bind(user_id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    sessions::forget(db, user_id).await?;
    minutes::forget(db, user_id).await
}

/// Published gatherings that may have a time starting after `now` and before `until` (a
/// series is one row: the app finds its next time).
pub async fn to_remind(db: &mut impl Db, now: Timestamp, until: Timestamp) -> Result<Vec<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT id FROM gatherings WHERE state = 'published' \
         AND last_ends_at > $1 AND starts_at <= $2 ORDER BY starts_at, id",
    )
    .bind(now)
    .bind(until)
    .fetch_all(&mut *c)
    .await)?)
}

/// Claim the reminders for one time of a gathering: true for the one caller that may send
/// them, when none have gone since `since` (two days before that time).
pub async fn claim_reminders(
    db: &mut impl Db,
    id: i64,
    now: Timestamp,
    since: Timestamp,
) -> Result<bool> {
    let n = query!(db, c => sqlx::query(
        "UPDATE gatherings SET reminded_at = $2 WHERE id = $1 \
         AND (reminded_at IS NULL OR reminded_at < $3)",
    )
    .bind(id)
    .bind(now)
    .bind(since)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}
