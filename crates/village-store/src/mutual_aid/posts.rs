//! Asks and offers, and the board: open posts not yet past their end, filtered, nearest
//! (by rough distance bands from a point, read area by area) and then newest first.

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

/// A new open post; its area is kept (or moved on) in `help_areas` for the board.
pub async fn create_post(db: &mut impl Db, p: &NewPost<'_>, now: Timestamp) -> Result<i64> {
    let id: i64 = query!(db, c => sqlx::query_scalar(
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
    .await)?;
    if !p.area.is_empty() {
        query!(db, c => sqlx::query(
            "INSERT INTO help_areas (area, lat, lon, last_posted_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (area) DO UPDATE SET lat = COALESCE(excluded.lat, help_areas.lat), \
             lon = COALESCE(excluded.lon, help_areas.lon), last_posted_at = excluded.last_posted_at",
        )
        .bind(p.area)
        .bind(p.point.map(|x| x.0))
        .bind(p.point.map(|x| x.1))
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(id)
}

pub async fn post(db: &mut impl Db, id: i64) -> Result<Option<PostRow>> {
    let sql = format!("{POST_SELECT} WHERE p.id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// A member's own posts, and those in the name of groups they organise, newest first.
pub async fn posts_of(db: &mut impl Db, author_id: i64) -> Result<Vec<PostRow>> {
    // Two indexed reads joined, not one OR (PostgreSQL would read every post for it).
    let sql = format!(
        "{POST_SELECT} WHERE p.id IN (SELECT id FROM help_posts WHERE author_id = $1 UNION \
         SELECT g.id FROM help_posts g JOIN dir_organisers o ON o.organization_id = g.organization_id \
         WHERE o.user_id = $1) ORDER BY p.id DESC"
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
/// first, newest first within each; then those further away; then those with no place.
pub const BANDS_MILES: [f64; 3] = [1.0, 3.0, 10.0];

/// Areas read in one statement when a band holds many (SQLite takes at most 500 parts in a
/// compound statement).
const AREAS_AT_ONCE: usize = 100;

/// One value bound into the board's statements, which are built for the filters given.
#[derive(Debug, Clone, Copy)]
enum Arg<'a> {
    Text(&'a str),
    Int(i64),
}

/// The ids one statement of the board gives (a column `id`), newest first. They come back
/// packed in one text (see `crate::packed`): reading rows one by one costs more than the
/// statement.
async fn ids_of(db: &mut impl Db, sql: &str, args: &[Arg<'_>]) -> Result<Vec<i64>> {
    let sql = match crate::Db::exec(db.as_db()) {
        crate::Exec::Sqlite(_) => format!("SELECT group_concat(id, ',') FROM ({sql}) AS z"),
        crate::Exec::Postgres(_) => {
            format!("SELECT string_agg(CAST(id AS TEXT), ',') FROM ({sql}) AS z")
        }
    };
    let packed: Option<String> = query!(db, c => {
        let mut q = sqlx::query_scalar(&sql);
        for a in args {
            q = match a {
                Arg::Text(t) => q.bind(*t),
                Arg::Int(i) => q.bind(*i),
            };
        }
        q.fetch_one(&mut *c).await
    })?;
    let mut ids = packed
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>()
                .map_err(|_| crate::StoreError::Invalid(format!("not an id: {s}")))
        })
        .collect::<Result<Vec<i64>>>()?;
    ids.sort_unstable_by(|a, b| b.cmp(a));
    Ok(ids)
}

/// The board's filters as SQL (`expires_at` with a unary plus so SQLite walks an index in
/// order of id rather than by end date), their values pushed onto `args`.
fn filters<'a>(f: &BoardFilter<'a>, now: Timestamp, args: &mut Vec<Arg<'a>>) -> String {
    let mut sql = String::new();
    let mut add = |column: &str, a: Arg<'a>| {
        args.push(a);
        sql.push_str(&format!(" AND {column} ${}", args.len()));
    };
    add("+p.expires_at >", Arg::Int(now));
    if let Some(k) = f.kind {
        add("p.kind =", Arg::Text(k.code()));
    }
    if let Some(k) = f.category {
        add("p.category =", Arg::Text(k.code()));
    }
    if let Some(k) = f.urgency {
        add("p.urgency =", Arg::Text(k.code()));
    }
    if let Some(a) = f.area {
        add("p.area =", Arg::Text(a));
    }
    sql
}

/// One page of the board: up to `limit` open posts not yet past their end, from `offset`,
/// newest first; near a place, by bands of distance first. A post's point is the middle of
/// its area, so near a place the board reads the areas in each band (`help_areas`), each
/// newest first through its own index, only as far as the page needs: the work follows the
/// page, not the number of posts.
pub async fn board(
    db: &mut impl Db,
    f: &BoardFilter<'_>,
    now: Timestamp,
    limit: i64,
    offset: i64,
) -> Result<Vec<PostRow>> {
    let want = (offset + limit).max(0) as usize;
    let mut args = Vec::new();
    let filter = filters(f, now, &mut args);
    let found = match f.near {
        None => {
            args.push(Arg::Int(want as i64));
            let index = if f.area.is_some() {
                "help_posts_open_area"
            } else {
                "help_posts_open_newest"
            };
            let sql = format!(
                "SELECT p.id FROM help_posts p {} WHERE p.state = 'open'{filter} ORDER BY p.id DESC LIMIT ${}",
                indexed_by(db, index),
                args.len()
            );
            ids_of(db, &sql, &args).await?
        }
        Some(point) => near_ids(db, f.area, point, &filter, args, want).await?,
    };
    let page: Vec<i64> = found.into_iter().skip(offset.max(0) as usize).collect();
    rows_in_order(db, &page).await
}

/// SQLite's `INDEXED BY` (its planner, without statistics, may otherwise take the end-date
/// index and sort every open post); PostgreSQL chooses by its statistics.
fn indexed_by(db: &mut impl Db, index: &str) -> String {
    match crate::Db::exec(db.as_db()) {
        crate::Exec::Sqlite(_) => format!("INDEXED BY {index}"),
        crate::Exec::Postgres(_) => String::new(),
    }
}

/// Near a place: the areas within each band, newest first, band after band until `want`
/// are found; then posts further away, then those with no place.
async fn near_ids<'a>(
    db: &mut impl Db,
    only_area: Option<&str>,
    point: (f64, f64),
    filter: &str,
    args: Vec<Arg<'a>>,
    want: usize,
) -> Result<Vec<i64>> {
    let mut bands: [Vec<String>; 3] = Default::default();
    for (band, area) in areas_by_band(db, point).await? {
        if only_area.is_some_and(|a| a != area) {
            continue;
        }
        if let Some(b) = bands.get_mut(band) {
            b.push(area);
        }
    }
    let mut found: Vec<i64> = Vec::new();
    for areas in &bands {
        let mut in_band: Vec<i64> = Vec::new();
        for chunk in areas.chunks(AREAS_AT_ONCE) {
            if found.len() >= want {
                break;
            }
            let need = want - found.len();
            let mut args = args.clone();
            args.push(Arg::Int(need as i64));
            let n = args.len();
            let parts: Vec<String> = chunk
                .iter()
                .enumerate()
                .map(|(i, area)| {
                    args.push(Arg::Text(area));
                    format!(
                        "SELECT * FROM (SELECT p.id FROM help_posts p {} WHERE p.state = 'open' AND p.area = ${} \
                         AND p.lat IS NOT NULL{filter} ORDER BY p.id DESC LIMIT ${n}) AS a{i}",
                        indexed_by(db, "help_posts_open_area"),
                        args.len()
                    )
                })
                .collect();
            let sql = format!(
                "SELECT id FROM ({}) AS u ORDER BY id DESC LIMIT ${n}",
                parts.join(" UNION ALL ")
            );
            in_band.extend(ids_of(db, &sql, &args).await?);
        }
        in_band.sort_unstable_by(|a, b| b.cmp(a));
        in_band.truncate(want - found.len().min(want));
        found.extend(in_band);
    }
    if found.len() < want {
        // Further than the last band: every placed post not in an area already read.
        let near: Vec<&String> = bands.iter().flatten().collect();
        let mut args = args.clone();
        let mut not_in = String::new();
        if !near.is_empty() {
            let marks: Vec<String> = near
                .iter()
                .map(|a| {
                    args.push(Arg::Text(a));
                    format!("${}", args.len())
                })
                .collect();
            not_in = format!(" AND p.area NOT IN ({})", marks.join(", "));
        }
        args.push(Arg::Int((want - found.len()) as i64));
        let sql = format!(
            "SELECT p.id FROM help_posts p {} WHERE p.state = 'open' AND p.lat IS NOT NULL{not_in}{filter} \
             ORDER BY p.id DESC LIMIT ${}",
            indexed_by(db, if only_area.is_some() { "help_posts_open_area" } else { "help_posts_open_newest" }),
            args.len()
        );
        found.extend(ids_of(db, &sql, &args).await?);
    }
    if found.len() < want {
        let mut args = args;
        args.push(Arg::Int((want - found.len()) as i64));
        let sql = format!(
            "SELECT p.id FROM help_posts p {} WHERE p.state = 'open' AND p.lat IS NULL{filter} \
             ORDER BY p.id DESC LIMIT ${}",
            indexed_by(db, "help_posts_unplaced"),
            args.len()
        );
        found.extend(ids_of(db, &sql, &args).await?);
    }
    Ok(found)
}

/// Posts by id, in the order given.
async fn rows_in_order(db: &mut impl Db, ids: &[i64]) -> Result<Vec<PostRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("{POST_SELECT} WHERE p.id IN ({})", marks.join(", "));
    let mut rows: Vec<PostRow> = query!(db, c => {
        let mut q = sqlx::query_as(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(&mut *c).await
    })?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

/// The areas posted in within the last band of `point`, each with its band (0, 1 or 2),
/// packed in one text on SQLite (area names are a hub's areas or postcode districts; one
/// holding a separator is read row by row).
async fn areas_by_band(db: &mut impl Db, point: (f64, f64)) -> Result<Vec<(usize, String)>> {
    let (lat, lon) = point;
    let shrink = lat.to_radians().cos();
    let square = |miles: f64| {
        let degrees = miles * 1.609_344 / 111.2;
        degrees * degrees
    };
    let reach = BANDS_MILES[2] * 1.609_344 / 111.2;
    // The box around the last band first (a cheap test), then the distance.
    let d2 = "((a.lat - $1) * (a.lat - $1) + ((a.lon - $2) * $3) * ((a.lon - $2) * $3))";
    let banded = format!(
        "SELECT CAST(CASE WHEN {d2} <= $4 THEN 0 WHEN {d2} <= $5 THEN 1 ELSE 2 END AS BIGINT) AS band, a.area \
         FROM help_areas a WHERE a.lat BETWEEN $7 AND $8 AND a.lon BETWEEN $9 AND $10 AND {d2} <= $6"
    );
    let packed_sql = match crate::Db::exec(db.as_db()) {
        crate::Exec::Sqlite(_) => format!(
            "SELECT group_concat(CAST(band AS TEXT) || char(31) || area, char(30)) FROM ({banded}) AS b"
        ),
        crate::Exec::Postgres(_) => format!(
            "SELECT string_agg(CAST(band AS TEXT) || chr(31) || area, chr(30)) FROM ({banded}) AS b"
        ),
    };
    let values = [
        lat,
        lon,
        shrink,
        square(BANDS_MILES[0]),
        square(BANDS_MILES[1]),
        square(BANDS_MILES[2]),
        lat - reach,
        lat + reach,
        lon - reach / shrink.max(0.01),
        lon + reach / shrink.max(0.01),
    ];
    let packed: Option<String> = query!(db, c => {
        let mut q = sqlx::query_scalar(&packed_sql);
        for v in values {
            q = q.bind(v);
        }
        q.fetch_one(&mut *c).await
    })?;
    if let Some(pairs) = crate::packed::pairs(packed.as_deref()) {
        let read: Option<Vec<(usize, String)>> = pairs
            .into_iter()
            .map(|(band, area)| band.parse().ok().map(|b| (b, area.to_string())))
            .collect();
        if let Some(read) = read {
            return Ok(read);
        }
    }
    let rows: Vec<(i64, String)> = query!(db, c => {
        let mut q = sqlx::query_as(&banded);
        for v in values {
            q = q.bind(v);
        }
        q.fetch_all(&mut *c).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(b, a)| (b.clamp(0, 2) as usize, a))
        .collect())
}

/// The board's generation (`help_generation`: it moves on, in the same transaction, with
/// every change to a post and to a member's name) and, when `area` has been posted in, the
/// middle of that area: what the board reads first on every request, in one statement.
pub async fn board_generation(db: &mut impl Db, area: &str) -> Result<(i64, Option<(f64, f64)>)> {
    let (generation, lat, lon): (i64, Option<f64>, Option<f64>) = query!(db, c => sqlx::query_as(
        "SELECT g.value, a.lat, a.lon FROM help_generation g \
         LEFT JOIN help_areas a ON a.area = $1 WHERE g.id = 1",
    )
    .bind(area)
    .fetch_one(&mut *c)
    .await)?;
    Ok((generation, lat.zip(lon)))
}

/// When the next open post reaches its end after `now` (and so leaves the board), if any does.
pub async fn next_post_end(db: &mut impl Db, now: Timestamp) -> Result<Option<Timestamp>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT MIN(expires_at) FROM help_posts WHERE state = 'open' AND expires_at > $1",
    )
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

/// How long an area stays in the board's list of areas after its last post.
const AREA_LISTED_FOR: i64 = 90 * 24 * 3600;

/// The areas posted in lately, for the board's filter, by name (packed in one text, as
/// the bands of the board near a place are read), and when the list next changes with no
/// new post (the first of them leaves it).
pub async fn board_areas(
    db: &mut impl Db,
    now: Timestamp,
) -> Result<(Vec<String>, Option<Timestamp>)> {
    let listed = "SELECT area, last_posted_at FROM help_areas WHERE last_posted_at > $1 \
                  ORDER BY area LIMIT 50";
    let packed_sql = match crate::Db::exec(db.as_db()) {
        crate::Exec::Sqlite(_) => {
            format!("SELECT group_concat(area, char(30)), MIN(last_posted_at) FROM ({listed}) AS l")
        }
        crate::Exec::Postgres(_) => {
            format!("SELECT string_agg(area, chr(30)), MIN(last_posted_at) FROM ({listed}) AS l")
        }
    };
    let since = now - AREA_LISTED_FOR;
    let (packed, first): (Option<String>, Option<i64>) =
        query!(db, c => sqlx::query_as(&packed_sql).bind(since).fetch_one(&mut *c).await)?;
    let mut areas: Vec<String> = match packed {
        Some(p) => p.split(crate::packed::RECORD).map(str::to_string).collect(),
        None => Vec::new(),
    };
    // Sorted here: neither database promises to join in the order of the rows given.
    areas.sort();
    Ok((areas, first.map(|at| at + AREA_LISTED_FOR)))
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
