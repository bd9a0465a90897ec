//! The directory search's SQL, built from typed parts: where the rows come from, the
//! conditions every match meets, their order, and how the matches are counted. One text
//! serves both backends (`$n` parameters); only searching by words is written per backend.
//!
//! [`plan`] turns a [`ServiceFilter`] into a [`Plan`] without touching the database, so the
//! SQL a search runs can be read (and tested) from here alone.

use super::*;
use std::fmt;

/// A bind parameter, numbered in the order it was added: `$1`, `$2`, …
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::directory) struct Param(usize);

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${}", self.0)
    }
}

/// The arguments of one search, bound in the order they were added.
#[derive(Default)]
pub(in crate::directory) struct Params(Vec<Arg>);

impl Params {
    fn push(&mut self, arg: Arg) -> Param {
        self.0.push(arg);
        Param(self.0.len())
    }

    fn text(&mut self, text: impl Into<String>) -> Param {
        self.push(Arg::Text(text.into()))
    }

    fn int(&mut self, int: i64) -> Param {
        self.push(Arg::Int(int))
    }

    fn float(&mut self, float: f64) -> Param {
        self.push(Arg::Float(float))
    }

    /// The parameter after the last one added (for `LIMIT` and `OFFSET`, bound last).
    fn next(&self, after: usize) -> Param {
        Param(self.0.len() + after)
    }

    pub(in crate::directory) fn as_slice(&self) -> &[Arg] {
        &self.0
    }
}

/// Where a search's rows come from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// Every offer: `dir_services s`.
    Offers,
    /// SQLite: the offers whose words match, through the FTS5 index.
    WordIndex,
    /// PostgreSQL: the first `k` offers matching the words, in the order the table is read
    /// (deterministic: the pool turns synchronised scans off), each with its rank (`frank`).
    /// Only their ids are read: joined back to the table, the planner hashed the whole table
    /// for each page.
    FirstRanked { words: Param, k: i64 },
}

/// The order of a list (before one row per place is ordered by its own id too).
#[derive(Debug, Clone, Copy)]
enum Order {
    /// By name, then id.
    Name,
    /// PostgreSQL: by how well the words fit, best first.
    Rank(Param),
    /// PostgreSQL: by the rank [`Source::FirstRanked`] worked out.
    FirstRank,
    /// SQLite: offers with every word in their name first, then in the word index's order.
    NameFirst(Param),
}

/// One condition every match meets.
#[derive(Debug, Clone)]
enum Condition {
    /// Written the same for listing and counting.
    Same(String),
    /// Listed as a test of each offer (a page walks offers in order of name); counted the
    /// other way, from an index of the thing tested (thousands of lookups fewer).
    Counted { listed: String, counted: String },
}

impl Condition {
    fn listed(&self) -> &str {
        match self {
            Condition::Same(sql) | Condition::Counted { listed: sql, .. } => sql,
        }
    }

    fn counted(&self) -> &str {
        match self {
            Condition::Same(sql) | Condition::Counted { counted: sql, .. } => sql,
        }
    }
}

/// A search written as SQL: its parameters, rows, conditions and order.
pub(in crate::directory) struct SearchSql {
    pub(in crate::directory) params: Params,
    source: Source,
    conditions: Vec<Condition>,
    order: Order,
    /// One row per place an offer is given at (the row's id is `sal.id`).
    per_location: bool,
    /// How a search by times alone is counted exactly (see [`plan`]).
    count_by_times: Option<String>,
}

/// What a search does.
pub(in crate::directory) enum Plan {
    /// Its words hold no word at all: nothing matches.
    Nothing,
    /// SQLite, words alone for the best match: rank the first `k` matches of `query` (an
    /// FTS5 query) and nothing else (see [`first_matches`]).
    FirstMatches { query: String, k: i64 },
    /// Run this SQL.
    Sql(SearchSql),
}

impl SearchSql {
    fn new() -> Self {
        SearchSql {
            params: Params::default(),
            source: Source::Offers,
            conditions: vec![Condition::Same("s.public = TRUE".into())],
            order: Order::Name,
            per_location: false,
            count_by_times: None,
        }
    }

    fn require(&mut self, condition: impl Into<String>) {
        self.conditions.push(Condition::Same(condition.into()));
    }

    /// Only offers with a place in the box (a circle's bounding box: the exact distance is
    /// measured afterwards).
    pub(in crate::directory) fn within(&mut self, b: &BoundingBox) {
        let [min_lat, max_lat, min_lon, max_lon] =
            [b.min_lat, b.max_lat, b.min_lon, b.max_lon].map(|v| self.params.float(v));
        self.require(format!(
            "EXISTS (SELECT 1 FROM dir_service_places p WHERE p.service_id = s.id \
             AND p.lat BETWEEN {min_lat} AND {max_lat} AND p.lon BETWEEN {min_lon} AND {max_lon})"
        ));
    }

    /// The rows listed: `FROM` this.
    pub(in crate::directory) fn from(&self) -> String {
        let source = match self.source {
            Source::Offers => "dir_services s".to_string(),
            Source::WordIndex => "dir_services_fts f JOIN dir_services s ON s.rowid = f.rowid".into(),
            Source::FirstRanked { words, k } => format!(
                "(SELECT id, public, ts_rank(search, websearch_to_tsquery('english', {words})) AS frank \
                 FROM dir_services WHERE public = TRUE AND search @@ websearch_to_tsquery('english', {words}) \
                 LIMIT {k}) s"
            ),
        };
        if self.per_location {
            format!("{source} JOIN dir_service_at_locations sal ON sal.service_id = s.id")
        } else {
            source
        }
    }

    /// The rows counted: a bounded ranking need not be ranked to be counted.
    fn counted_from(&self) -> String {
        match self.source {
            Source::FirstRanked { words, k } => format!(
                "(SELECT id, public FROM dir_services WHERE public = TRUE \
                 AND search @@ websearch_to_tsquery('english', {words}) LIMIT {k}) s"
            ),
            Source::Offers | Source::WordIndex => self.from(),
        }
    }

    /// The column that names a row: the offer's id, or the place's when listed per place.
    pub(in crate::directory) fn id_column(&self) -> &'static str {
        if self.per_location {
            "sal.id"
        } else {
            "s.id"
        }
    }

    /// How well an offer fits the words, as a number where lower is better and offers that fit
    /// equally well share it (0 for every offer when there are no words): the first key of
    /// [`SearchSql::order`].
    pub(in crate::directory) fn fit(&self, postgres: bool) -> String {
        let fit = match self.order {
            Order::Name => "0".to_string(),
            Order::Rank(words) => {
                format!("-ts_rank(s.search, websearch_to_tsquery('english', {words}))")
            }
            Order::FirstRank => "-s.frank".into(),
            Order::NameFirst(words) => format!(
                "CASE WHEN s.rowid IN (SELECT rowid FROM dir_names_fts WHERE dir_names_fts MATCH {words}) \
                 THEN 0 ELSE 1 END"
            ),
        };
        if postgres {
            format!("CAST(({fit}) AS DOUBLE PRECISION)")
        } else {
            format!("CAST(({fit}) AS REAL)")
        }
    }

    /// `ORDER BY` this.
    pub(in crate::directory) fn order(&self) -> String {
        let order = match self.order {
            Order::Name => "s.name, s.id".to_string(),
            Order::Rank(words) => {
                format!("ts_rank(s.search, websearch_to_tsquery('english', {words})) DESC, s.id")
            }
            Order::FirstRank => "s.frank DESC, s.id".into(),
            Order::NameFirst(words) => format!(
                "CASE WHEN s.rowid IN (SELECT rowid FROM dir_names_fts WHERE dir_names_fts MATCH {words}) \
                 THEN 0 ELSE 1 END, s.rowid"
            ),
        };
        if self.per_location {
            format!("{order}, sal.id")
        } else {
            order
        }
    }

    /// `WHERE` this, when listing.
    pub(in crate::directory) fn where_listed(&self) -> String {
        self.join(Condition::listed)
    }

    fn where_counted(&self) -> String {
        self.join(Condition::counted)
    }

    fn join(&self, form: fn(&Condition) -> &str) -> String {
        self.conditions
            .iter()
            .map(form)
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// One page of matches, as (row id, offer id); `LIMIT` and `OFFSET` are the two
    /// parameters after [`Self::params`].
    pub(in crate::directory) fn list(&self) -> String {
        format!(
            "SELECT {}, s.id FROM {} WHERE {} ORDER BY {} LIMIT {} OFFSET {}",
            self.id_column(),
            self.from(),
            self.where_listed(),
            self.order(),
            self.params.next(1),
            self.params.next(2)
        )
    }

    /// The number of matches, or of at most `cap` and one more.
    pub(in crate::directory) fn count(&self, cap: Option<i64>) -> String {
        let (from, where_) = (self.counted_from(), self.where_counted());
        match (cap, &self.count_by_times) {
            (Some(cap), _) => format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {from} WHERE {where_} LIMIT {}) c",
                cap + 1
            ),
            (None, Some(by_times)) => by_times.clone(),
            (None, None) => format!("SELECT COUNT(*) FROM {from} WHERE {where_}"),
        }
    }
}

/// The SQL of a search on PostgreSQL (`postgres`) or SQLite, all but its distance: a search
/// near a place adds [`SearchSql::within`] if it is not answered from the rows of cells
/// first. `covering` holds the areas that cover the filter's `covering` point (as a JSON
/// list of ids), read beforehand.
pub(in crate::directory) fn plan(
    filter: &ServiceFilter,
    postgres: bool,
    covering: Option<String>,
) -> Plan {
    let mut sql = SearchSql::new();
    let words = filter.words();
    let words_alone = filter.only_words() && filter.sort == SortOrder::Best;
    match (words, filter.rank_within.filter(|_| words_alone), postgres) {
        (None, _, _) => {}
        (Some(words), Some(k), true) => {
            let words = sql.params.text(words);
            sql.source = Source::FirstRanked { words, k };
            sql.order = Order::FirstRank;
        }
        (Some(words), bounded, false) => {
            let query = fts5_query(words);
            if query.is_empty() {
                return Plan::Nothing;
            }
            if let Some(k) = bounded {
                return Plan::FirstMatches { query, k };
            }
            let words = sql.params.text(query);
            sql.source = Source::WordIndex;
            sql.require(format!("dir_services_fts MATCH {words}"));
            sql.order = Order::NameFirst(words);
        }
        (Some(words), None, true) => {
            let words = sql.params.text(words);
            sql.require(format!(
                "s.search @@ websearch_to_tsquery('english', {words})"
            ));
            sql.order = Order::Rank(words);
        }
    }
    for term in filter.taxonomy_term_id.iter().chain(&filter.all_terms) {
        let term = sql.params.text(term.as_str());
        sql.require(format!(
            "EXISTS (SELECT 1 FROM dir_service_terms t WHERE t.service_id = s.id AND t.term_id = {term})"
        ));
    }
    if let Some(taxonomy) = &filter.taxonomy_id {
        let taxonomy = sql.params.text(taxonomy.as_str());
        sql.require(format!(
            "EXISTS (SELECT 1 FROM dir_service_terms t JOIN dir_taxonomy_terms tt ON tt.id = t.term_id \
             WHERE t.service_id = s.id AND tt.taxonomy_id = {taxonomy})"
        ));
    }
    if let Some(age) = filter.minimum_age_at_least {
        let age = sql.params.int(age);
        sql.require(format!("s.minimum_age >= {age}"));
    }
    if let Some(age) = filter.maximum_age_at_most {
        let age = sql.params.int(age);
        sql.require(format!("s.maximum_age <= {age}"));
    }
    if let Some(age) = filter.age {
        let age = sql.params.int(age);
        sql.require(format!(
            "(s.minimum_age IS NULL OR s.minimum_age <= {age}) AND (s.maximum_age IS NULL OR s.maximum_age >= {age})"
        ));
    }
    if filter.free_only {
        sql.require("s.free = TRUE");
    }
    if filter.has_times() {
        times(&mut sql, filter);
    }
    if let Some(ids) = covering {
        // Offers that give the areas they cover must cover the point; the others may.
        let ids = sql.params.text(ids);
        let list = if postgres {
            format!("SELECT jsonb_array_elements_text(CAST({ids} AS jsonb))")
        } else {
            format!("SELECT value FROM json_each({ids})")
        };
        sql.require(format!(
            "(NOT EXISTS (SELECT 1 FROM dir_service_areas a WHERE a.service_id = s.id) OR s.id IN ({list}))"
        ));
    }
    if let Some((name, id)) = &filter.from_mark {
        // (Never when counting: the count is of the whole list.)
        if filter.lists_everything_by_name() && filter.total_known.is_some() {
            let name = sql.params.text(name.as_str());
            let id = sql.params.text(id.as_str());
            sql.require(format!("(s.name, s.id) >= ({name}, {id})"));
        }
    }
    sql.per_location = filter.per_location;
    if filter.sort == SortOrder::Name {
        sql.order = Order::Name;
    }
    Plan::Sql(sql)
}

/// A search by day or time: one time slot must meet every part, so "Tuesday from 10:00"
/// means a Tuesday slot.
fn times(sql: &mut SearchSql, filter: &ServiceFilter) {
    let mut window = Vec::new();
    if let Some(day) = &filter.day {
        let day = sql.params.text(day.as_str());
        window.push(format!("t.day = {day}"));
    }
    if let Some(start) = filter.opens_at_or_after {
        let start = sql.params.int(start);
        window.push(format!("t.opens >= {start}"));
    }
    if let Some(end) = filter.closes_at_or_before {
        let end = sql.params.int(end);
        window.push(format!("t.closes <= {end}"));
    }
    if let Some((from, to)) = filter.open_between {
        let (from, to) = (sql.params.int(from), sql.params.int(to));
        window.push(format!("t.opens < {to} AND t.closes > {from}"));
    }
    let window = window.join(" AND ");
    // A page walks offers in order of name, passing over those whose hours of the week cannot
    // meet the search (kept beside the name in its index) and looking up the times of the
    // others; counting goes the other way, from the times of that day and hour.
    let days: Vec<Weekday> = match &filter.day {
        Some(code) => Weekday::parse(code).into_iter().collect(),
        None => Weekday::ALL.to_vec(),
    };
    let mut hours = None;
    if let Some(mask) = hours_to_search(&days, filter.opens_at_or_after, filter.open_between) {
        let parts: Vec<String> = mask
            .iter()
            .enumerate()
            .filter(|(_, m)| **m != 0)
            .map(|(i, m)| format!("(s.h{i} & {}) <> 0", sql.params.int(*m)))
            .collect();
        if !parts.is_empty() {
            let any = format!("({})", parts.join(" OR "));
            sql.require(any.clone());
            hours = Some(any);
        }
    }
    if filter.only_times() && filter.count_up_to.is_none() {
        // Counted exactly (the ORUK envelope's total_items), looking each time's offer up to
        // see it is public read tens of thousands of rows across the table (6.5 s with a cold
        // cache at 1M offers): count the offers in the times index alone, less the few not
        // public among them (found through the index led by `public`). The hours of the week
        // are checked too, as the list does (they never rule out a time the exact check
        // finds; a test holds this count to the list's).
        let hours = hours.as_deref().unwrap_or("TRUE");
        sql.count_by_times = Some(format!(
            "SELECT (SELECT COUNT(DISTINCT t.service_id) FROM dir_service_times t WHERE {window}) \
             - (SELECT COUNT(*) FROM dir_services s WHERE s.public = FALSE AND {hours} \
             AND EXISTS (SELECT 1 FROM dir_service_times t WHERE t.service_id = s.id AND {window}))"
        ));
    }
    sql.conditions.push(Condition::Counted {
        listed: format!(
            "EXISTS (SELECT 1 FROM dir_service_times t WHERE t.service_id = s.id AND {window})"
        ),
        counted: format!("s.id IN (SELECT t.service_id FROM dir_service_times t WHERE {window})"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The parameter numbers an SQL text names.
    fn named(sql: &str) -> BTreeSet<usize> {
        let mut found = BTreeSet::new();
        let mut rest = sql;
        while let Some(at) = rest.find('$') {
            rest = &rest[at + 1..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse() {
                found.insert(n);
            }
        }
        found
    }

    /// Every filter made of some of these parts (each part on or off).
    fn filters() -> Vec<ServiceFilter> {
        const PARTS: u32 = 11;
        (0..1u32 << PARTS)
            .map(|on| {
                let has = |part: u32| on & (1 << part) != 0;
                ServiceFilter {
                    words: has(0).then(|| "knitting group".to_string()),
                    taxonomy_term_id: has(1).then(|| "arts".to_string()),
                    all_terms: if has(2) {
                        vec!["step-free".into(), "bsl".into()]
                    } else {
                        Vec::new()
                    },
                    taxonomy_id: has(3).then(|| "village".to_string()),
                    minimum_age_at_least: has(4).then_some(18),
                    age: has(4).then_some(70),
                    free_only: has(5),
                    day: has(6).then(|| "TU".to_string()),
                    opens_at_or_after: has(7).then_some(600),
                    open_between: has(7).then_some((600, 720)),
                    covering: has(8)
                        .then(|| LatLon::new(53.48, -2.24))
                        .and_then(std::result::Result::ok),
                    per_location: has(9),
                    sort: if has(10) {
                        SortOrder::Name
                    } else {
                        SortOrder::Best
                    },
                    rank_within: Some(1000),
                    from_mark: Some(("K".into(), "k-1".into())),
                    total_known: has(6).then_some(3),
                    limit: 10,
                    ..ServiceFilter::default()
                }
            })
            .collect()
    }

    #[test]
    fn every_parameter_a_search_names_is_bound_and_every_one_bound_is_used() {
        for postgres in [false, true] {
            for filter in filters() {
                let covering = filter.covering.map(|_| "[\"m1\"]".to_string());
                let Plan::Sql(mut sql) = plan(&filter, postgres, covering) else {
                    continue;
                };
                if filter.covering.is_some() {
                    sql.within(&BoundingBox::around(
                        LatLon::new(53.48, -2.24).unwrap(),
                        5.0,
                    ));
                }
                let n = sql.params.as_slice().len();
                let bound: BTreeSet<usize> = (1..=n).collect();
                let list: BTreeSet<usize> = (1..=n + 2).collect();
                assert_eq!(
                    named(&sql.list()),
                    list,
                    "{filter:?} on postgres={postgres}"
                );
                let count = named(&sql.count(None));
                assert!(count.is_subset(&bound), "{filter:?}: {}", sql.count(None));
                assert_eq!(named(&sql.count(Some(20))), bound, "{filter:?}");
                let rows = format!("{} WHERE {}", sql.from(), sql.where_listed());
                assert_eq!(named(&rows), bound, "{filter:?}");
            }
        }
    }

    #[test]
    fn a_search_by_times_is_listed_offer_by_offer_and_counted_from_the_times() {
        let filter = ServiceFilter {
            day: Some("TU".into()),
            ..ServiceFilter::default()
        };
        let Plan::Sql(sql) = plan(&filter, false, None) else {
            panic!("a search by day is SQL");
        };
        assert!(sql.list().contains(
            "EXISTS (SELECT 1 FROM dir_service_times t WHERE t.service_id = s.id AND t.day = $1)"
        ));
        let capped = sql.count(Some(20));
        assert!(capped
            .contains("s.id IN (SELECT t.service_id FROM dir_service_times t WHERE t.day = $1)"));
        assert!(!capped.contains("EXISTS (SELECT 1 FROM dir_service_times"));
        assert!(sql
            .count(None)
            .starts_with("SELECT (SELECT COUNT(DISTINCT t.service_id) FROM dir_service_times t"));
    }

    #[test]
    fn words_that_hold_no_word_match_nothing_and_sqlite_ranks_words_alone_apart() {
        let words = |w: &str| ServiceFilter {
            words: Some(w.into()),
            rank_within: Some(50),
            ..ServiceFilter::default()
        };
        assert!(matches!(plan(&words(" -- "), false, None), Plan::Nothing));
        assert!(
            matches!(plan(&words("tea dance"), false, None), Plan::FirstMatches { query, k: 50 } if query == "\"tea\" \"dance\"")
        );
        let Plan::Sql(sql) = plan(&words("tea dance"), true, None) else {
            panic!("PostgreSQL ranks in SQL");
        };
        assert!(sql.list().contains("LIMIT 50) s"));
        assert!(sql.list().contains("ORDER BY s.frank DESC, s.id"));
    }
}
