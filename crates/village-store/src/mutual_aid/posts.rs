//! Asks and offers, and the board: open posts not yet past their end, filtered, nearest
//! (by rough distance bands from a point) and then newest first.

use super::*;
use village_domain::mutual_aid::post::{Category, Kind, PostState, Urgency};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub posted_by: Option<i64>,
    /// Whoever typed it, when not the member it is for (a coordinator).
    pub posted_by_name: Option<String>,
    /// How the member agreed to a post typed for them: `phone`, `in_person` or `paper`.
    pub agreed_how: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    #[sqlx(try_from = "String")]
    pub category: Category,
    pub title: String,
    pub details: String,
    pub when_from: Option<String>,
    pub when_to: Option<String>,
    pub area: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    #[sqlx(try_from = "String")]
    pub urgency: Urgency,
    pub many_times: bool,
    pub in_home: bool,
    pub personal_care: bool,
    /// Posted in the name of this group in the directory (by one of its organisers).
    pub organization_id: Option<String>,
    /// The group's name as it was when posted ('' for a member's own post).
    pub organization_name: String,
    #[sqlx(try_from = "String")]
    pub state: PostState,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
}

pub(super) const POST_SELECT: &str = "SELECT p.id, p.author_id, u.display_name AS author_name, p.posted_by, \
    CASE WHEN p.posted_by <> p.author_id THEN pb.display_name END AS posted_by_name, p.agreed_how, \
    p.kind, p.category, p.title, p.details, p.when_from, p.when_to, p.area, p.lat, p.lon, p.urgency, p.many_times, \
    p.in_home, p.personal_care, p.organization_id, p.organization_name, p.state, p.created_at, p.updated_at, \
    p.expires_at \
    FROM help_posts p JOIN users u ON u.id = p.author_id LEFT JOIN users pb ON pb.id = p.posted_by";

pub struct NewPost<'a> {
    pub author_id: i64,
    pub posted_by: i64,
    pub kind: Kind,
    pub category: Category,
    pub title: &'a str,
    pub details: &'a str,
    pub when_from: Option<&'a str>,
    pub when_to: Option<&'a str>,
    pub area: &'a str,
    pub point: Option<(f64, f64)>,
    pub urgency: Urgency,
    pub many_times: bool,
    pub in_home: bool,
    pub personal_care: bool,
    pub expires_at: Timestamp,
    /// How the member agreed, when someone else typed it for them.
    pub agreed: Option<village_domain::mutual_aid::matches::Agreed>,
    /// In a group's name: its id and name.
    pub organization: Option<(&'a str, &'a str)>,
}

pub async fn create_post(db: &mut impl Db, p: &NewPost<'_>, now: Timestamp) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO help_posts (author_id, posted_by, kind, category, title, details, when_from, when_to, \
         area, lat, lon, urgency, many_times, in_home, personal_care, state, created_at, updated_at, expires_at, agreed_how, \
         organization_id, organization_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'open', $16, $16, $17, $18, $19, $20) RETURNING id",
    )
    .bind(p.author_id)
    .bind(p.posted_by)
    .bind(p.kind.code())
    .bind(p.category.code())
    .bind(p.title)
    .bind(p.details)
    .bind(p.when_from)
    .bind(p.when_to)
    .bind(p.area)
    .bind(p.point.map(|x| x.0))
    .bind(p.point.map(|x| x.1))
    .bind(p.urgency.code())
    .bind(p.many_times)
    .bind(p.in_home)
    .bind(p.personal_care)
    .bind(now)
    .bind(p.expires_at)
    .bind(p.agreed.map(|a| a.code()))
    .bind(p.organization.map(|o| o.0))
    .bind(p.organization.map_or("", |o| o.1))
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn post(db: &mut impl Db, id: i64) -> Result<Option<PostRow>> {
    let sql = format!("{POST_SELECT} WHERE p.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// A member's own posts, and those in the name of groups they organise, newest first.
pub async fn posts_of(db: &mut impl Db, author_id: i64) -> Result<Vec<PostRow>> {
    let sql = format!(
        "{POST_SELECT} WHERE p.author_id = $1 OR p.organization_id IN \
         (SELECT organization_id FROM dir_organisers WHERE user_id = $1) ORDER BY p.id DESC"
    );
    Ok(query!(db, c => sqlx::query_as(&sql).bind(author_id).fetch_all(&mut *c).await)?)
}

/// Close a post, or open it again until `expires_at` (false when it was not in `from`).
pub async fn set_post_state(
    db: &mut impl Db,
    id: i64,
    from: PostState,
    to: PostState,
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<bool> {
    Ok(query!(db, c => sqlx::query(
        "UPDATE help_posts SET state = $1, updated_at = $2, expires_at = COALESCE($3, expires_at) \
         WHERE id = $4 AND state = $5",
    )
    .bind(to.code())
    .bind(now)
    .bind(expires_at)
    .bind(id)
    .bind(from.code())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// What the board is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter<'a> {
    pub kind: Option<Kind>,
    pub category: Option<Category>,
    pub area: Option<&'a str>,
    pub urgency: Option<Urgency>,
    /// Nearest first from here (latitude, longitude).
    pub near: Option<(f64, f64)>,
}

/// How far each band of "nearest first" reaches, in miles: posts within the first come
/// first, newest first within each; then those with no place.
pub const BANDS_MILES: [f64; 3] = [1.0, 3.0, 10.0];

/// One page of the board: up to `limit` open posts not yet past their end, from `offset`.
pub async fn board(
    db: &mut impl Db,
    f: &BoardFilter<'_>,
    now: Timestamp,
    limit: i64,
    offset: i64,
) -> Result<Vec<PostRow>> {
    // Distance as degrees squared, with longitude shrunk by the latitude's cosine: the same
    // arithmetic on both databases (neither needs trigonometry), close enough for bands.
    let (lat, lon) = f.near.unwrap_or((0.0, 0.0));
    let shrink = lat.to_radians().cos();
    let band = |miles: f64| {
        let degrees = miles * 1.609_344 / 111.2;
        degrees * degrees
    };
    let distance = "((p.lat - $8) * (p.lat - $8) + ((p.lon - $9) * $10) * ((p.lon - $9) * $10))";
    let order = if f.near.is_some() {
        format!(
            "CASE WHEN p.lat IS NULL THEN 4 WHEN {distance} <= $11 THEN 0 WHEN {distance} <= $12 THEN 1 \
             WHEN {distance} <= $13 THEN 2 ELSE 3 END, p.id DESC"
        )
    } else {
        "p.id DESC".to_string()
    };
    let sql = format!(
        "{POST_SELECT} WHERE p.state = 'open' AND p.expires_at > $1 \
         AND ($2 IS NULL OR p.kind = $2) AND ($3 IS NULL OR p.category = $3) \
         AND ($4 IS NULL OR p.area = $4) AND ($5 IS NULL OR p.urgency = $5) \
         ORDER BY {order} LIMIT $6 OFFSET $7"
    );
    Ok(query!(db, c => {
        let q = sqlx::query_as(&sql)
            .bind(now)
            .bind(f.kind.map(|k| k.code()))
            .bind(f.category.map(|k| k.code()))
            .bind(f.area)
            .bind(f.urgency.map(|k| k.code()))
            .bind(limit)
            .bind(offset);
        let q = if f.near.is_some() {
            q.bind(lat)
                .bind(lon)
                .bind(shrink)
                .bind(band(BANDS_MILES[0]))
                .bind(band(BANDS_MILES[1]))
                .bind(band(BANDS_MILES[2]))
        } else {
            q
        };
        q.fetch_all(&mut *c).await
    })?)
}

/// The areas open posts are in, for the board's filter, most used first.
pub async fn board_areas(db: &mut impl Db, now: Timestamp) -> Result<Vec<String>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT area FROM help_posts WHERE state = 'open' AND expires_at > $1 AND area <> '' \
         GROUP BY area ORDER BY COUNT(*) DESC, area LIMIT 50",
    )
    .bind(now)
    .fetch_all(&mut *c)
    .await)?)
}

/// For coordinators: open asks not past their end that nobody has said yes to yet, oldest
/// first, each with how many answers wait for a yes or no.
pub async fn open_asks_oldest(
    db: &mut impl Db,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<(PostRow, i64)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        post: PostRow,
        waiting: i64,
    }
    let sql = format!(
        "SELECT q.*, (SELECT COUNT(*) FROM help_matches w WHERE w.post_id = q.id AND w.state = 'requested') AS waiting \
         FROM ({POST_SELECT} WHERE p.kind = 'ask' AND p.state = 'open' AND p.expires_at > $1 \
         AND NOT EXISTS (SELECT 1 FROM help_matches m WHERE m.post_id = p.id AND m.state IN ('accepted', 'done'))) q \
         ORDER BY q.created_at, q.id LIMIT $2"
    );
    let rows: Vec<Row> =
        query!(db, c => sqlx::query_as(&sql).bind(now).bind(limit).fetch_all(&mut *c).await)?;
    Ok(rows.into_iter().map(|r| (r.post, r.waiting)).collect())
}
