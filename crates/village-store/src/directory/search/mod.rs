//! Searching the directory: the filter every search takes, and the one function that runs it
//! on either backend (its SQL is built in [`sql`]).

use super::*;

mod sql;
use sql::{plan, Plan};

/// How results are put in order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match for the words if any; nearest first when searching near a place; else by name.
    #[default]
    Best,
    /// Nearest first (needs a place to measure from).
    Nearest,
    /// By name, A to Z.
    Name,
}

/// What a directory search asks for. Every filter combines with the others.
#[derive(Debug, Clone, Default)]
pub struct ServiceFilter {
    /// Words to search for.
    pub words: Option<String>,
    pub taxonomy_term_id: Option<String>,
    pub taxonomy_id: Option<String>,
    /// ORUK `minimum_age`: services whose own minimum age is at least this.
    pub minimum_age_at_least: Option<i64>,
    /// ORUK `maximum_age`: services whose own maximum age is at most this.
    pub maximum_age_at_most: Option<i64>,
    /// An iCalendar day code (MO … SU): services that happen on that day.
    pub day: Option<String>,
    /// ORUK `start_time`, minutes after midnight: services that open at or after this.
    pub opens_at_or_after: Option<i64>,
    /// ORUK `end_time`, minutes after midnight: services that close at or before this.
    pub closes_at_or_before: Option<i64>,
    /// Taxonomy terms a service must have, every one of them (access needs, kind of group…).
    pub all_terms: Vec<String>,
    /// A person's age: services whose age limits include it (no limit counts as including).
    pub age: Option<i64>,
    /// Open at some time in this window (minutes after midnight), on `day` if given.
    pub open_between: Option<(i64, i64)>,
    /// Only offers that cost nothing.
    pub free_only: bool,
    /// Only services with a place within this distance (km) of this point, nearest first
    /// (unless searching by words, when the best match stays first).
    pub near: Option<(LatLon, f64)>,
    /// Only services with a place inside this box (a map's visible area).
    pub within_box: Option<BoundingBox>,
    /// A point the offers must cover, if they say which areas they cover (ORUK
    /// `service_areas` as GeoJSON); offers that give no area are not left out.
    pub covering: Option<LatLon>,
    /// Order by distance from this point, without leaving anything out.
    pub sort_from: Option<LatLon>,
    pub sort: SortOrder,
    /// List one row per service_at_location (the row's id is then its id) instead of one
    /// per service.
    pub per_location: bool,
    pub limit: i64,
    pub offset: i64,
    /// Count at most this many and one more (the total is then "more than this"), so a
    /// page's count never reads every match.
    pub count_up_to: Option<i64>,
    /// When searching by words alone for the best match, rank only the first this many
    /// matches: a very common word then costs no more than a rarer one. Filters and other
    /// orders always see every match.
    pub rank_within: Option<i64>,
    /// The number of matches, when the caller already knows it (the same search counted
    /// before, while the directory has not changed): then it is not counted again.
    pub total_known: Option<i64>,
    /// Start the list at this offer (name and id, as [`name_marks`] gives them), and count
    /// `offset` from there: only for a list of every offer by name whose total is known.
    pub from_mark: Option<(String, String)>,
}

impl ServiceFilter {
    /// The words to search for, trimmed; `None` when there are none.
    pub fn words(&self) -> Option<&str> {
        self.words
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
    }

    /// Whether nothing but words (if any) narrows the search: no term, age, cost, time or
    /// place, one row per offer.
    fn only_words(&self) -> bool {
        self.nothing_but_words_and_times() && !self.has_times()
    }

    /// Whether a day or time is all this searches by.
    fn only_times(&self) -> bool {
        self.words().is_none() && self.nothing_but_words_and_times() && self.has_times()
    }

    /// Whether it asks for a day or time.
    pub(super) fn has_times(&self) -> bool {
        self.day.is_some()
            || self.opens_at_or_after.is_some()
            || self.closes_at_or_before.is_some()
            || self.open_between.is_some()
    }

    /// Whether nothing but words, a day or a time narrows it, listed per offer.
    fn nothing_but_words_and_times(&self) -> bool {
        self.taxonomy_term_id.is_none()
            && self.all_terms.is_empty()
            && self.taxonomy_id.is_none()
            && self.minimum_age_at_least.is_none()
            && self.maximum_age_at_most.is_none()
            && self.age.is_none()
            && !self.free_only
            && self.near.is_none()
            && self.within_box.is_none()
            && self.sort_from.is_none()
            && self.covering.is_none()
            && !self.per_location
    }

    /// Whether the database answers this at least as quickly as the search index, with the
    /// same matches, count and order: a day or time alone (it walks offers by name, passing
    /// over those whose hours cannot meet it, and counts from the times). Offers near a place
    /// without words, which it reads outwards from the centre from places kept in memory,
    /// the index now reads ring by ring at two to three times the rate, without that memory.
    pub fn database_is_quicker(&self) -> bool {
        self.only_times()
    }

    /// Whether this lists every public offer by name, with nothing left out.
    pub fn lists_everything_by_name(&self) -> bool {
        self.words().is_none() && self.only_words()
    }

    /// The search without its page: two searches with the same key have the same matches
    /// (in a directory of the same [`generation`]).
    pub fn count_key(&self) -> String {
        let whole = ServiceFilter {
            limit: 0,
            offset: 0,
            total_known: None,
            from_mark: None,
            ..self.clone()
        };
        format!("{whole:?}")
    }
}

/// Every `every`th public offer in order of name (name and id), from the first: a page deep
/// in the list by name starts from the mark before it instead of stepping over every offer
/// before it.
pub async fn name_marks(db: &mut impl Db, every: i64) -> Result<Vec<(String, String)>> {
    let every = every.max(1);
    Ok(query!(db, c => sqlx::query_as(&format!(
        "SELECT name, id FROM (SELECT name, id, ROW_NUMBER() OVER (ORDER BY name, id) AS n \
         FROM dir_services WHERE public = TRUE) marks WHERE (n - 1) % {every} = 0 ORDER BY n"
    ))
    .fetch_all(&mut *c)
    .await)?)
}

/// The directory's generation: it moves on whenever any offer changes.
pub async fn generation(db: &mut impl Db) -> Result<i64> {
    Ok(
        query!(db, c => sqlx::query_scalar("SELECT value FROM dir_generation WHERE id = 1").fetch_one(&mut *c).await)?,
    )
}

/// The words as a safe FTS5 query: each word quoted, all of them required.
pub(super) fn fts5_query(words: &str) -> String {
    words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Public services matching the filter, best match first when searching by words (else by
/// name), with the total number of matches.
pub async fn search_services(
    db: &mut impl Db,
    filter: &ServiceFilter,
) -> Result<(Vec<(String, String)>, i64)> {
    search_services_kept(db, filter, None).await
}

/// [`search_services`], where a search near a place without words may read the places from
/// those kept in memory (`kept`: them and the directory's generation, read before this; see
/// [`crate::connections::KeptPlaces`]) instead of the database. The answer is the same.
pub async fn search_services_kept(
    db: &mut impl Db,
    filter: &ServiceFilter,
    kept: Option<(&crate::connections::KeptPlaces, i64)>,
) -> Result<(Vec<(String, String)>, i64)> {
    let postgres = matches!(db.exec(), Exec::Postgres(_));
    let covering = match filter.covering {
        Some(point) => {
            Some(serde_json::to_string(&covering(db, point).await?).unwrap_or_else(|_| "[]".into()))
        }
        None => None,
    };
    let mut sql = match plan(filter, postgres, covering) {
        Plan::Nothing => return Ok((Vec::new(), 0)),
        Plan::FirstMatches { query, k } => return first_matches(db, &query, k, filter).await,
        Plan::Sql(sql) => sql,
    };
    if let Some((centre, km)) = filter.near {
        // Without words to narrow the search, places are read outwards from the centre.
        // (A map's box as well is left to the database: the rows of cells do not carry it.)
        if filter.words().is_none()
            && !filter.per_location
            && filter.sort != SortOrder::Name
            && filter.within_box.is_none()
        {
            let (where_, args) = (sql.where_listed(), sql.params.as_slice());
            if let Some(found) = nearby(db, filter, centre, km, &where_, args, kept).await? {
                return Ok(found);
            }
        }
        sql.within(&BoundingBox::around(centre, km));
    }
    if let Some(b) = &filter.within_box {
        sql.within(b);
    }
    let args = sql.params.as_slice();
    if filter.near.is_some() || filter.sort_from.is_some() {
        let (from, id_column) = (sql.from(), sql.id_column());
        let (where_, order) = (sql.where_listed(), sql.order());
        let fit = sql.fit(postgres);
        return geographic(db, filter, &from, id_column, &where_, &order, &fit, args).await;
    }
    let total: i64 = if let Some(known) = filter.total_known {
        known
    } else {
        let count = sql.count(filter.count_up_to);
        query!(db, c => {
            let q = bind_args!(sqlx::query_scalar(&count), args);
            q.fetch_one(&mut *c).await
        })?
    };
    let list = sql.list();
    let ids: Vec<(String, String)> = query!(db, c => {
        let q = bind_args!(sqlx::query_as(&list), args);
        q.bind(filter.limit).bind(filter.offset).fetch_all(&mut *c).await
    })?;
    Ok((with_docs(db, ids).await?, total))
}

/// For the fuzzers (`village_store::fuzzing`): search words from arbitrary bytes, planned for
/// both backends, alone and with other filters, as a search box's text would be. Must never
/// panic.
#[doc(hidden)]
pub fn fuzz_search(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = fts5_query(&text);
    let alone = ServiceFilter {
        words: Some(text.clone()),
        limit: 20,
        ..Default::default()
    };
    let with_more = ServiceFilter {
        words: Some(text.clone()),
        day: Some("TU".into()),
        free_only: true,
        age: Some(70),
        limit: 20,
        offset: 40,
        ..Default::default()
    };
    for filter in [alone, with_more] {
        let _ = filter.count_key();
        let _ = filter.lists_everything_by_name();
        for postgres in [false, true] {
            if let Plan::Sql(sql) = plan(&filter, postgres, None) {
                let _ = sql.list();
                let _ = sql.count(None);
            }
        }
    }
}

/// [`search_services`] answered from the search index beside the database, caught up to the
/// directory's `generation` first; `None` when another search is catching the index up (then
/// search the database). Gives the same matches and count as the database would, in the
/// order the index ranks them.
pub async fn search_services_indexed(
    db: &mut impl Db,
    index: &SearchIndex,
    generation: i64,
    filter: &ServiceFilter,
) -> Result<Option<(Vec<(String, String)>, i64)>> {
    if !index.catch_up(db, generation, false).await? {
        return Ok(None);
    }
    let mut resolved = Resolved::default();
    if let Some(taxonomy) = &filter.taxonomy_id {
        let terms: Vec<String> = query!(db, c => sqlx::query_scalar(
            "SELECT id FROM dir_taxonomy_terms WHERE taxonomy_id = $1"
        ).bind(taxonomy).fetch_all(&mut *c).await)?;
        resolved.taxonomy_terms = Some(terms);
    }
    if let Some(point) = filter.covering {
        resolved.covering = Some(covering(db, point).await?);
    }
    let found = index.search(filter, &resolved)?;
    let rows: Vec<(String, String)> = if filter.per_location {
        let sals: Vec<(String, String)> = match db.exec() {
            Exec::Sqlite(c) => {
                let list = serde_json::to_string(&found.services).unwrap_or_else(|_| "[]".into());
                sqlx::query_as(
                    "SELECT service_id, id FROM dir_service_at_locations \
                     WHERE service_id IN (SELECT value FROM json_each($1)) ORDER BY id",
                )
                .bind(list)
                .fetch_all(&mut *c)
                .await?
            }
            Exec::Postgres(c) => {
                sqlx::query_as(
                    "SELECT service_id, id FROM dir_service_at_locations \
                     WHERE service_id = ANY($1) ORDER BY id",
                )
                .bind(found.services.clone())
                .fetch_all(&mut *c)
                .await?
            }
        };
        let mut per: std::collections::HashMap<String, Vec<String>> =
            std::collections::HashMap::new();
        for (service, sal) in sals {
            per.entry(service).or_default().push(sal);
        }
        let take = usize::try_from(filter.limit).unwrap_or(0);
        found
            .services
            .iter()
            .flat_map(|s| {
                per.remove(s)
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |sal| (sal, s.clone()))
            })
            .skip(found.skip_rows)
            .take(take)
            .collect()
    } else {
        found.services.into_iter().map(|s| (s.clone(), s)).collect()
    };
    Ok(Some((with_docs(db, rows).await?, found.total)))
}
