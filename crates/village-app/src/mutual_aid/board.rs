//! The board: open asks and offers, nearest first when a place is given, newest first; and
//! the pages of it each process keeps in memory while nothing on them has changed.

use super::posts::area_of;
use super::*;
use crate::accounts::Identity;
use std::sync::Arc;
use village_domain::mutual_aid::post::{Category, Kind, Urgency};
use village_domain::Timestamp;
use village_store::directory as dir_store;
use village_store::mutual_aid::{self as store, BoardFilter, PostRow};

/// Posts on one page of the board.
pub const PER_PAGE: i64 = 20;

/// What the board is asked for, as typed in the address or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct BoardQuery {
    pub kind: String,
    pub category: String,
    pub area: String,
    pub urgency: String,
    /// A postcode or district to put the nearest first.
    pub near: String,
    /// From 1.
    pub page: i64,
}

/// One page of the board.
#[derive(Debug, Clone)]
pub struct Board {
    pub posts: Arc<[PostRow]>,
    pub page: i64,
    /// There is a next page.
    pub more: bool,
    /// The hub's areas and those open posts are in, for the filter.
    pub areas: Arc<[String]>,
}

/// Pages of the board kept in memory, so a busy board is not read from the database again
/// for every visitor. A page is used only while it is still what the database would give:
/// the board's generation (`help_generation`, which every change to a post or to a member's
/// name moves on, in the same transaction, whichever process makes it) is read on every
/// request, and a page is kept no later than the moment the first open post reaches its end
/// or an area leaves the list. People asking for the same page at once wait for one reading.
/// `None` when the hub keeps none (`[mutual_aid] board_pages_kept = 0`).
pub struct KeptBoard(Option<moka::future::Cache<String, Arc<KeptPage>>>);

impl KeptBoard {
    /// Keeping pages up to `mb` megabytes as `KeptPage::bytes` counts them (the least used
    /// go first); 0 keeps none.
    pub fn keeping(mb: u64) -> KeptBoard {
        KeptBoard((mb > 0).then(|| {
            moka::future::Cache::builder()
                .weigher(|key: &String, page: &Arc<KeptPage>| {
                    u32::try_from(key.len() + page.bytes()).unwrap_or(u32::MAX)
                })
                .max_capacity(mb.saturating_mul(1 << 20))
                .build()
        }))
    }
}

impl std::fmt::Debug for KeptBoard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptBoard")
            .field("pages", &self.0.as_ref().map(|c| c.entry_count()))
            .finish()
    }
}

/// One page as read, with when it was read and how long it holds.
#[derive(Debug)]
pub struct KeptPage {
    generation: i64,
    /// The time the page was read for, and the first time after it when the page would
    /// change with nothing written (a post reaches its end, an area leaves the list).
    from: Timestamp,
    until: Timestamp,
    board: Board,
}

impl KeptPage {
    /// About how much memory the page holds.
    fn bytes(&self) -> usize {
        let posts: usize = self
            .board
            .posts
            .iter()
            .map(|p| {
                std::mem::size_of::<PostRow>()
                    + p.author_name.len()
                    + p.posted_by_name.as_ref().map_or(0, String::len)
                    + p.agreed_how.as_ref().map_or(0, String::len)
                    + p.title.len()
                    + p.details.len()
                    + p.when_from.as_ref().map_or(0, String::len)
                    + p.when_to.as_ref().map_or(0, String::len)
                    + p.area.len()
                    + p.organization_id.as_ref().map_or(0, String::len)
                    + p.organization_name.len()
            })
            .sum();
        let areas: usize = self
            .board
            .areas
            .iter()
            .map(|a| std::mem::size_of::<String>() + a.len())
            .sum();
        std::mem::size_of::<Self>() + posts + areas
    }

    fn holds(&self, generation: i64, t: Timestamp) -> bool {
        self.generation == generation && self.from <= t && t < self.until
    }
}

/// One value of a filter: empty for all, else a code the board knows (a 422 naming the
/// field otherwise, never a silent "all").
fn filter<T>(
    problems: &mut Vec<FieldError>,
    (field, code): (&'static str, ErrorCode),
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    words: &str,
) -> Option<T> {
    match value.trim() {
        "" => None,
        v => {
            let found = parse(v);
            if found.is_none() {
                problems.push(FieldError::new(field, code, words));
            }
            found
        }
    }
}

/// The board: open asks and offers not yet past their end, nearest first when a place is
/// given, newest first.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn board(state: &App, who: &Identity, q: &BoardQuery, t: i64) -> Result<Board> {
    let mut problems = Vec::new();
    let p = &mut problems;
    let kind = filter(
        p,
        ("kind", ErrorCode::InvalidKind),
        &q.kind,
        Kind::parse,
        "Choose asks, offers or both.",
    );
    let category = filter(
        p,
        ("category", ErrorCode::CategoryUnknown),
        &q.category,
        Category::parse,
        "Choose one of the sorts of help listed.",
    );
    let urgency = filter(
        p,
        ("urgency", ErrorCode::UrgencyUnknown),
        &q.urgency,
        Urgency::parse,
        "Choose today, this week or any time.",
    );
    if q.page < 1 || q.page > 10_000 {
        problems.push(FieldError::new(
            "page",
            ErrorCode::InvalidParameter,
            "Pages are numbered from 1.",
        ));
    }
    // The place near: a hub's area or a district, read with the board's generation.
    let near = match q.near.trim() {
        "" => None,
        typed => match area_of(state, "near", typed) {
            Ok(found) => Some(found),
            Err(Error::Field(e)) => {
                problems.push(e);
                None
            }
            Err(e) => return Err(e),
        },
    };
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let mut c = state.store.conn().await?;
    let name = near.as_ref().map_or("", |(name, _)| name.as_str());
    let (generation, point) = store::board_generation(&mut c, name).await?;
    // An area already posted in is placed where its posts are; any other by its district.
    let near = match (near, point) {
        (None, _) => None,
        (Some(_), Some(point)) => Some(point),
        (Some((_, district)), None) => dir_store::postcode_point(&mut c, &district)
            .await?
            .map(|p| (p.lat(), p.lon())),
    };
    let area = q.area.trim();
    let f = BoardFilter {
        kind,
        category,
        area: (!area.is_empty()).then_some(area),
        urgency,
        near,
    };
    // The key names the page by what decides it: the filters as understood and the point.
    let key = format!(
        "{:?}|{:?}|{area}|{:?}|{:?}|{}",
        f.kind,
        f.category,
        f.urgency,
        f.near.map(|(lat, lon)| (lat.to_bits(), lon.to_bits())),
        q.page
    );
    let Some(kept) = &state.kept_board.0 else {
        return Ok(read_page(state, &mut c, &f, q.page, generation, t)
            .await?
            .board
            .clone());
    };
    if let Some(page) = kept.get(&key).await {
        if page.holds(generation, t) {
            return Ok(page.board.clone());
        }
        kept.invalidate(&key).await;
    }
    // Not holding a connection while waiting for someone else's reading of the same page.
    drop(c);
    let page = kept
        .try_get_with(key, async {
            let mut c = state.store.conn().await?;
            read_page(state, &mut c, &f, q.page, generation, t).await
        })
        .await
        // The one who read failed: whoever holds the last share of its error gets it back
        // whole; the others, in words.
        .map_err(|e| {
            Arc::try_unwrap(e)
                .unwrap_or_else(|e| Error::Other(anyhow::anyhow!("reading the board: {e}")))
        })?;
    if page.holds(generation, t) {
        return Ok(page.board.clone());
    }
    // Someone else's reading, from before a change this request already sees.
    let mut c = state.store.conn().await?;
    Ok(read_page(state, &mut c, &f, q.page, generation, t)
        .await?
        .board
        .clone())
}

/// One page of the board as the database gives it now, with how long it holds.
async fn read_page(
    state: &App,
    c: &mut village_store::Conn,
    f: &BoardFilter<'_>,
    page: i64,
    generation: i64,
    t: Timestamp,
) -> Result<Arc<KeptPage>> {
    let mut posts = store::board(c, f, t, PER_PAGE + 1, (page - 1) * PER_PAGE).await?;
    let more = posts.len() as i64 > PER_PAGE;
    posts.truncate(PER_PAGE as usize);
    let mut areas: Vec<String> = state
        .settings
        .mutual_aid
        .areas
        .iter()
        .map(|a| a.name.clone())
        .collect();
    let (listed, list_changes) = store::board_areas(c, t).await?;
    for a in listed {
        if !areas.contains(&a) {
            areas.push(a);
        }
    }
    let post_ends = store::next_post_end(c, t).await?;
    let until = [post_ends, list_changes]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(Timestamp::MAX);
    Ok(Arc::new(KeptPage {
        generation,
        from: t,
        until,
        board: Board {
            posts: posts.into(),
            page,
            more,
            areas: areas.into(),
        },
    }))
}
