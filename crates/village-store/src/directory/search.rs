//! Searching the directory: the filter every search takes, and the one function that builds its SQL for both backends.

use super::*;

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
    /// Whether nothing but words (if any) narrows the search: no term, age, cost, time or
    /// place, one row per offer.
    fn only_words(&self) -> bool {
        self.nothing_but_words_and_times() && !self.has_times()
    }

    /// Whether a day or time is all this searches by.
    fn only_times(&self) -> bool {
        self.words.as_deref().is_none_or(|w| w.trim().is_empty())
            && self.nothing_but_words_and_times()
            && self.has_times()
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
            && self.sort_from.is_none()
            && self.covering.is_none()
            && !self.per_location
    }

    /// Whether this lists every public offer by name, with nothing left out.
    pub fn lists_everything_by_name(&self) -> bool {
        self.words.as_deref().is_none_or(|w| w.trim().is_empty()) && self.only_words()
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
    let mut args: Vec<Arg> = Vec::new();
    let mut conditions: Vec<String> = vec!["s.public = TRUE".into()];
    let push = |args: &mut Vec<Arg>, a: Arg| {
        args.push(a);
        format!("${}", args.len())
    };
    let words = filter
        .words
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty());
    let mut from = "dir_services s".to_string();
    // What to count over, when it can be cheaper than `from` (a bounded ranking need not be
    // ranked to be counted).
    let mut count_from: Option<String> = None;
    let mut order = "s.name, s.id".to_string();
    // A condition written another way for counting: (as listed, as counted).
    let mut count_instead: Option<(String, String)> = None;
    // The whole count of a search by times alone, counted from the times (see below).
    let mut count_by_times: Option<String> = None;
    let words_alone = filter.only_words() && filter.sort == SortOrder::Best;
    let bounded = filter.rank_within.filter(|_| words_alone);
    if let (Some(words), Some(k)) = (words, bounded) {
        // The first k matches in index order, ranked; nothing else is read.
        if postgres {
            // The first k matches in the order the table is read (deterministic: the pool
            // turns synchronised scans off), ranked. Only their ids are read: joined back to
            // the table, the planner hashed the whole table for each page.
            let p = push(&mut args, Arg::Text(words.to_string()));
            from = format!(
                "(SELECT id, public, ts_rank(search, websearch_to_tsquery('english', {p})) AS frank \
                 FROM dir_services WHERE public = TRUE AND search @@ websearch_to_tsquery('english', {p}) \
                 LIMIT {k}) s"
            );
            count_from = Some(format!(
                "(SELECT id, public FROM dir_services WHERE public = TRUE \
                 AND search @@ websearch_to_tsquery('english', {p}) LIMIT {k}) s"
            ));
            order = "s.frank DESC, s.id".into();
        } else {
            let q = fts5_query(words);
            if q.is_empty() {
                return Ok((Vec::new(), 0));
            }
            return first_matches(db, &q, k, filter).await;
        }
    } else if let Some(words) = words {
        if postgres {
            let p = push(&mut args, Arg::Text(words.to_string()));
            conditions.push(format!("s.search @@ websearch_to_tsquery('english', {p})"));
            order = format!("ts_rank(s.search, websearch_to_tsquery('english', {p})) DESC, s.id");
        } else {
            let q = fts5_query(words);
            if q.is_empty() {
                return Ok((Vec::new(), 0));
            }
            let p = push(&mut args, Arg::Text(q));
            from = "dir_services_fts f JOIN dir_services s ON s.rowid = f.rowid".into();
            conditions.push(format!("dir_services_fts MATCH {p}"));
            order = format!(
                "CASE WHEN s.rowid IN (SELECT rowid FROM dir_names_fts WHERE dir_names_fts MATCH {p}) \
                 THEN 0 ELSE 1 END, s.rowid"
            );
        }
    }
    if let Some(term) = &filter.taxonomy_term_id {
        let p = push(&mut args, Arg::Text(term.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM dir_service_terms t WHERE t.service_id = s.id AND t.term_id = {p})"
        ));
    }
    for term in &filter.all_terms {
        let p = push(&mut args, Arg::Text(term.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM dir_service_terms t WHERE t.service_id = s.id AND t.term_id = {p})"
        ));
    }
    if let Some(taxonomy) = &filter.taxonomy_id {
        let p = push(&mut args, Arg::Text(taxonomy.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM dir_service_terms t JOIN dir_taxonomy_terms tt ON tt.id = t.term_id \
             WHERE t.service_id = s.id AND tt.taxonomy_id = {p})"
        ));
    }
    if let Some(age) = filter.minimum_age_at_least {
        let p = push(&mut args, Arg::Int(age));
        conditions.push(format!("s.minimum_age >= {p}"));
    }
    if let Some(age) = filter.maximum_age_at_most {
        let p = push(&mut args, Arg::Int(age));
        conditions.push(format!("s.maximum_age <= {p}"));
    }
    if let Some(age) = filter.age {
        let p = push(&mut args, Arg::Int(age));
        conditions.push(format!(
            "(s.minimum_age IS NULL OR s.minimum_age <= {p}) AND (s.maximum_age IS NULL OR s.maximum_age >= {p})"
        ));
    }
    if filter.free_only {
        conditions.push("s.free = TRUE".into());
    }
    if filter.has_times() {
        // One time slot must meet every part, so "Tuesday from 10:00" means a Tuesday slot.
        let mut time = vec!["t.service_id = s.id".to_string()];
        if let Some(day) = &filter.day {
            let p = push(&mut args, Arg::Text(day.clone()));
            time.push(format!("t.day = {p}"));
        }
        if let Some(start) = filter.opens_at_or_after {
            let p = push(&mut args, Arg::Int(start));
            time.push(format!("t.opens >= {p}"));
        }
        if let Some(end) = filter.closes_at_or_before {
            let p = push(&mut args, Arg::Int(end));
            time.push(format!("t.closes <= {p}"));
        }
        if let Some((from, to)) = filter.open_between {
            let pf = push(&mut args, Arg::Int(from));
            let pt = push(&mut args, Arg::Int(to));
            time.push(format!("t.opens < {pt} AND t.closes > {pf}"));
        }
        // A page walks offers in order of name, passing over those whose hours of the week
        // cannot meet the search (kept beside the name in its index) and looking up the times
        // of the others; counting goes the other way, from the times of that day and hour
        // (thousands of lookups fewer).
        let days: Vec<Weekday> = match &filter.day {
            Some(code) => Weekday::parse(code).into_iter().collect(),
            None => Weekday::ALL.to_vec(),
        };
        if let Some(mask) = hours_to_search(&days, filter.opens_at_or_after, filter.open_between) {
            let parts: Vec<String> = mask
                .iter()
                .enumerate()
                .filter(|(_, m)| **m != 0)
                .map(|(i, m)| {
                    let p = push(&mut args, Arg::Int(*m));
                    format!("(s.h{i} & {p}) <> 0")
                })
                .collect();
            if !parts.is_empty() {
                conditions.push(format!("({})", parts.join(" OR ")));
            }
        }
        if filter.only_times() && filter.count_up_to.is_none() {
            // Counted exactly (the ORUK envelope's total_items), looking each time's offer up
            // to see it is public read tens of thousands of rows across the table (6.5 s
            // with a cold cache at 1M offers): count the offers in the times index alone,
            // less the few not public among them (found through the index led by `public`).
            // The hours of the week are checked too, as the list does (they never rule out a
            // time the exact check finds; a test holds this count to the list's).
            let window = time[1..].join(" AND ");
            let hours = match conditions.get(1..) {
                Some(more) if !more.is_empty() => more.join(" AND "),
                _ => "TRUE".to_string(),
            };
            count_by_times = Some(format!(
                "SELECT (SELECT COUNT(DISTINCT t.service_id) FROM dir_service_times t WHERE {window}) \
                 - (SELECT COUNT(*) FROM dir_services s WHERE s.public = FALSE AND {hours} \
                 AND EXISTS (SELECT 1 FROM dir_service_times t WHERE t.service_id = s.id AND {window}))"
            ));
        }
        let exists = format!(
            "EXISTS (SELECT 1 FROM dir_service_times t WHERE {})",
            time.join(" AND ")
        );
        let within = format!(
            "s.id IN (SELECT t.service_id FROM dir_service_times t WHERE {})",
            time[1..].join(" AND ")
        );
        conditions.push(exists.clone());
        count_instead = Some((exists, within));
    }
    if let Some(point) = filter.covering {
        // Offers that give the areas they cover must cover the point; the others may.
        let ids =
            serde_json::to_string(&covering(db, point).await?).unwrap_or_else(|_| "[]".into());
        let p = push(&mut args, Arg::Text(ids));
        let list = if postgres {
            format!("SELECT jsonb_array_elements_text(CAST({p} AS jsonb))")
        } else {
            format!("SELECT value FROM json_each({p})")
        };
        conditions.push(format!(
            "(NOT EXISTS (SELECT 1 FROM dir_service_areas a WHERE a.service_id = s.id) OR s.id IN ({list}))"
        ));
    }
    if let Some((centre, km)) = filter.near {
        // Without words to narrow the search, places are read outwards from the centre.
        if words.is_none() && !filter.per_location && filter.sort != SortOrder::Name {
            if let Some(found) = nearby(
                db,
                filter,
                centre,
                km,
                &conditions.join(" AND "),
                &args,
                kept,
            )
            .await?
            {
                return Ok(found);
            }
        }
        let b = BoundingBox::around(centre, km);
        let ps: Vec<String> = [b.min_lat, b.max_lat, b.min_lon, b.max_lon]
            .into_iter()
            .map(|v| push(&mut args, Arg::Float(v)))
            .collect();
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM dir_service_places p WHERE p.service_id = s.id \
             AND p.lat BETWEEN {} AND {} AND p.lon BETWEEN {} AND {})",
            ps[0], ps[1], ps[2], ps[3]
        ));
    }
    if let Some((name, id)) = &filter.from_mark {
        // (Never when counting: the count is of the whole list.)
        if filter.lists_everything_by_name() && filter.total_known.is_some() {
            let pn = push(&mut args, Arg::Text(name.clone()));
            let pi = push(&mut args, Arg::Text(id.clone()));
            conditions.push(format!("(s.name, s.id) >= ({pn}, {pi})"));
        }
    }
    let mut id_column = "s.id";
    if filter.per_location {
        from = format!("{from} JOIN dir_service_at_locations sal ON sal.service_id = s.id");
        id_column = "sal.id";
        order = format!("{order}, sal.id");
    }
    if filter.sort == SortOrder::Name {
        order = "s.name, s.id".into();
        if filter.per_location {
            order.push_str(", sal.id");
        }
    }
    let where_ = conditions.join(" AND ");
    let counted = count_from.as_deref().unwrap_or(&from);
    let count_where = match &count_instead {
        Some((listed, counted)) => where_.replace(listed.as_str(), counted),
        None => where_.clone(),
    };
    let where_count = &count_where;
    let count_sql = match filter.count_up_to {
        Some(cap) => format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {counted} WHERE {where_count} LIMIT {}) c",
            cap + 1
        ),
        None => count_by_times
            .unwrap_or_else(|| format!("SELECT COUNT(*) FROM {counted} WHERE {where_count}")),
    };
    let n = args.len();
    let list_sql = format!(
        "SELECT {id_column}, s.id FROM {from} WHERE {where_} ORDER BY {order} LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    if filter.near.is_some() || filter.sort_from.is_some() {
        return geographic(db, filter, &from, id_column, &where_, &order, &args).await;
    }
    let total: i64 = if let Some(known) = filter.total_known {
        known
    } else {
        query!(db, c => {
            let q = bind_args!(sqlx::query_scalar(&count_sql), &args);
            q.fetch_one(&mut *c).await
        })?
    };
    let ids: Vec<(String, String)> = query!(db, c => {
        let q = bind_args!(sqlx::query_as(&list_sql), &args);
        q.bind(filter.limit).bind(filter.offset).fetch_all(&mut *c).await
    })?;
    Ok((with_docs(db, ids).await?, total))
}
