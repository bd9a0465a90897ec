//! Directory pages: find groups and activities (every filter in the address, so results can
//! be shared), and each offer's own page in plain words.

use crate::auth::MaybeSignedIn;
use crate::csrf::CsrfToken;
use crate::extract::Path;
use crate::pages::{self, Errors, Layout, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, RawQuery, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use village_app::directory::records;
use village_domain::directory::geo::{
    distance_km, distance_words, BoundingBox, DistanceUnit, LatLon, Postcode,
};
use village_domain::directory::offer::cost_words;
use village_domain::directory::oruk::read_service;
use village_domain::directory::schedule::Weekday;
use village_domain::directory::taxonomy::{
    category_by_code, category_by_id, Access, Community, GroupKind, Space, CATEGORIES,
    LIVED_EXPERIENCE_LED_TERM_ID,
};
use village_store::directory::{ServiceFilter, SortOrder};

const PER_PAGE: i64 = 20;
/// How far a search may reach, in the hub's unit (`within=2` is 2 miles on a hub that says
/// miles, 2 km on one that says kilometres).
const DISTANCES: [&str; 6] = ["1", "2", "3", "5", "10", "25"];
/// The orders a search can be put in, as the form offers them.
const SORTS: [(&str, &str); 3] = [
    ("", "Best match"),
    ("nearest", "Nearest first (with a postcode)"),
    ("name", "Name, A to Z"),
];
const TIMES: [(&str, &str, i64, i64); 3] = [
    ("morning", "Morning (before midday)", 0, 12 * 60),
    ("afternoon", "Afternoon (midday to 5pm)", 12 * 60, 17 * 60),
    ("evening", "Evening (after 5pm)", 17 * 60, 24 * 60),
];

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    within: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    age: String,
    #[serde(default)]
    free: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    led: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    space: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: String,
    /// A place to search near in degrees (a phone's location, a map), when no postcode is
    /// given.
    #[serde(default)]
    lat: String,
    #[serde(default)]
    long: String,
    /// Only offers with a place inside `south,west,north,east` (a map's visible area).
    #[serde(default)]
    bbox: String,
}

/// A search by words alone ranks the best of this many matches (see `ServiceFilter`).
pub(crate) const RANK_WITHIN: i64 = 2_000;

/// 12345 → "12,345".
fn thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// One offer in the results, in plain words.
pub struct ResultView {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) group: String,
    pub(super) group_id: String,
    pub(super) summary: String,
    pub(super) when: Vec<String>,
    pub(super) place: String,
    pub(super) distance: Option<String>,
    pub(super) cost: String,
    pub(super) lived_led: bool,
    /// "Has space now" or "Waiting list", if the offer says.
    pub(super) space: Option<&'static str>,
    /// Communities it is especially for.
    pub(super) communities: Vec<&'static str>,
    /// Where to put it on the map: its place nearest the search's centre (or its first).
    pub(super) point: Option<(f64, f64)>,
}

/// What the map beside the results needs from the hub's settings.
pub struct MapPanel {
    tiles: String,
    attribution: String,
    attribution_url: String,
}

#[derive(Template)]
#[template(path = "directory/search.html")]
struct SearchPage {
    layout: Layout,
    errors: Errors,
    q: String,
    postcode: String,
    age: String,
    free: bool,
    categories: Vec<(&'static str, &'static str, bool)>,
    distances: Vec<(&'static str, String, bool)>,
    days: Vec<(&'static str, &'static str, bool)>,
    times: Vec<(&'static str, &'static str, bool)>,
    access: Vec<(&'static str, &'static str, bool)>,
    kinds: Vec<(&'static str, &'static str, bool)>,
    communities: Vec<(&'static str, &'static str, bool)>,
    sorts: Vec<(&'static str, &'static str, bool)>,
    led: bool,
    has_space: bool,
    searched: bool,
    /// How many filters beyond the words and postcode are set (shown on "Filter results").
    filters_in_use: usize,
    /// Open the filters on narrow screens too: one of them has a problem to fix.
    filters_open: bool,
    /// This search with only its words and postcode.
    clear_filters: String,
    total_words: String,
    results: Vec<ResultView>,
    /// The map beside the results, when the hub shows one and a result has a place.
    map: Option<MapPanel>,
    /// A place or map area given by coordinates (`lat`, `long`, `bbox`), kept in the form.
    place_kept: Vec<(&'static str, String)>,
    prev: Option<String>,
    next: Option<String>,
    page_words: String,
}

/// Only http and https addresses become links: imported data could carry anything.
pub(super) fn web_link(url: &str) -> Option<String> {
    let url = url.trim();
    (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_string())
}

fn first_location(record: &Value) -> Option<&Value> {
    village_domain::directory::oruk::first_location(record)
}

fn place_words(record: &Value) -> String {
    match first_location(record) {
        Some(location) => {
            let name = location.get("name").and_then(Value::as_str).unwrap_or("");
            let postcode = location
                .get("addresses")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|a| a.get("postal_code"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let words = [name, postcode]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            if words.is_empty() {
                "No fixed place".into()
            } else {
                words
            }
        }
        None => "No fixed place".into(),
    }
}

pub(super) fn view(doc: &str, from: Option<LatLon>, unit: DistanceUnit) -> Option<ResultView> {
    let record: Value = serde_json::from_str(doc).ok()?;
    let (index, _) = read_service(&record).ok()?;
    let distance = from.and_then(|centre| {
        index
            .places
            .iter()
            .map(|p| distance_km(centre, p.point))
            .reduce(f64::min)
            .map(|km| distance_words(km, unit))
    });
    let point = match from {
        Some(centre) => index
            .places
            .iter()
            .min_by(|a, b| distance_km(centre, a.point).total_cmp(&distance_km(centre, b.point))),
        None => index.places.first(),
    }
    .map(|p| (p.point.lat(), p.point.lon()));
    let summary: String = index.description.chars().take(220).collect();
    let summary = if index.description.chars().count() > 220 {
        format!("{}…", summary.trim_end())
    } else {
        summary
    };
    Some(ResultView {
        id: index.id,
        name: index.name,
        group: index.organization_name.unwrap_or_default(),
        group_id: index.organization_id.unwrap_or_default(),
        summary,
        when: index.schedules.iter().map(|s| s.words()).collect(),
        place: place_words(&record),
        distance,
        cost: cost_words(&record),
        lived_led: index
            .taxonomy_term_ids
            .iter()
            .any(|t| t == LIVED_EXPERIENCE_LED_TERM_ID),
        space: space_of(&index.taxonomy_term_ids),
        communities: communities_of(&index.taxonomy_term_ids),
        point,
    })
}

fn space_of(terms: &[String]) -> Option<&'static str> {
    terms
        .iter()
        .find_map(|t| Space::from_term_id(t))
        .map(Space::label)
}

fn communities_of(terms: &[String]) -> Vec<&'static str> {
    terms
        .iter()
        .filter_map(|t| Community::from_term_id(t))
        .map(Community::label)
        .collect()
}

pub(crate) async fn view_search_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let Query(q) = query.unwrap_or_default();
    // Access needs repeat (`access=step_free&access=bsl`): read them from the raw address.
    let given: Vec<String> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .filter(|(k, v)| k == "access" && !v.trim().is_empty())
        .map(|(_, v)| v.into_owned())
        .collect();
    let access_given = given.len();
    let needs: Vec<Access> = given.iter().filter_map(|v| Access::parse(v)).collect();
    let kind = GroupKind::parse(&q.kind);
    let community = Community::parse(&q.community);
    let has_space = q.space == Space::HasSpace.code();
    let led = !q.led.is_empty();
    let mut errors = Errors::none();
    let page = q.page.trim().parse::<i64>().unwrap_or(1).clamp(1, 10_000);
    let unit = state.settings.hub.distances;
    let within_km = DISTANCES
        .iter()
        .find(|code| **code == q.within)
        .and_then(|code| code.parse::<f64>().ok())
        .map(|n| n * unit.km());
    let age = match q.age.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(n) if (0..=120).contains(&n) => Some(n),
            _ => {
                errors.add("age", "Enter an age as a number, like 34");
                None
            }
        },
    };
    let mut centre = None;
    if !q.postcode.trim().is_empty() {
        match Postcode::parse(&q.postcode) {
            Err(why) => errors.add("postcode", why),
            Ok(p) => {
                let point = records::postcode_point(&state, &p).await;
                match point {
                    Ok(Some(point)) => centre = Some(point),
                    Ok(None) => errors.add(
                        "postcode",
                        format!(
                            "We do not know where {p} is yet. Try the first part, like {}",
                            p.district()
                        ),
                    ),
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    if centre.is_none() && (!q.lat.trim().is_empty() || !q.long.trim().is_empty()) {
        let read = |v: &str| v.trim().parse::<f64>().ok();
        match (read(&q.lat), read(&q.long)) {
            (Some(lat), Some(long)) => match LatLon::new(lat, long) {
                Ok(point) => centre = Some(point),
                Err(why) => errors.add("postcode", format!("That place is not on the map: {why}.")),
            },
            _ => errors.add(
                "postcode",
                "That place is not on the map: it needs a latitude and a longitude, as numbers.",
            ),
        }
    }
    let within_box = match q.bbox.trim() {
        "" => None,
        text => match BoundingBox::parse(text) {
            Ok(b) => Some(b),
            Err(why) => {
                errors.add(
                    "postcode",
                    format!("That part of the map cannot be read: {why}."),
                );
                None
            }
        },
    };
    let time = TIMES.iter().find(|(code, ..)| *code == q.time);
    let day = Weekday::parse(&q.day);
    let category = category_by_code(&q.category);
    // A value the form does not offer (an address typed by hand, an old link) is named, not
    // quietly dropped: the search would otherwise show more than the person asked for.
    let offered = [
        (
            "within",
            &q.within,
            within_km.is_some(),
            "Choose how far from the list",
        ),
        (
            "category",
            &q.category,
            category.is_some(),
            "Choose a kind of activity from the list",
        ),
        ("day", &q.day, day.is_some(), "Choose a day from the list"),
        (
            "time",
            &q.time,
            time.is_some(),
            "Choose a time of day from the list",
        ),
        (
            "kind",
            &q.kind,
            kind.is_some(),
            "Choose a kind of group from the list",
        ),
        (
            "community",
            &q.community,
            community.is_some(),
            "Choose who it is especially for from the list",
        ),
        (
            "space",
            &q.space,
            has_space,
            "Has space now can only be ticked or left empty",
        ),
        (
            "sort",
            &q.sort,
            SORTS.iter().any(|(code, _)| *code == q.sort),
            "Choose an order from the list",
        ),
    ];
    for (field, given, known, message) in offered {
        if !given.trim().is_empty() && !known {
            errors.add(field, message);
        }
    }
    if needs.len() < access_given {
        errors.add("access", "Choose the access you need from the list");
    }
    if within_km.is_some() && centre.is_none() && errors.for_field("postcode").is_none() {
        errors.add(
            "postcode",
            "Enter a postcode to see what is within that distance, or choose any distance",
        );
    }
    let searched = !(q.q.trim().is_empty()
        && category.is_none()
        && centre.is_none()
        && within_box.is_none()
        && day.is_none()
        && time.is_none()
        && age.is_none()
        && q.free.is_empty()
        && needs.is_empty()
        && kind.is_none()
        && community.is_none()
        && !has_space
        && !led);
    let mut all_terms: Vec<String> = needs.iter().map(|a| a.term_id().to_string()).collect();
    all_terms.extend(kind.map(|k| k.term_id().to_string()));
    all_terms.extend(community.map(|c| c.term_id().to_string()));
    if has_space {
        all_terms.push(Space::HasSpace.term_id().to_string());
    }
    if led {
        all_terms.push(LIVED_EXPERIENCE_LED_TERM_ID.to_string());
    }
    let filter = ServiceFilter {
        words: Some(q.q.clone()).filter(|w| !w.trim().is_empty()),
        taxonomy_term_id: category.map(|c| c.id.to_string()),
        day: day.map(|d| d.code().to_string()),
        open_between: time.map(|(_, _, from, to)| (*from, *to)),
        age,
        free_only: !q.free.is_empty(),
        all_terms,
        sort: match q.sort.as_str() {
            "nearest" if centre.is_some() => SortOrder::Nearest,
            "name" => SortOrder::Name,
            _ => SortOrder::Best,
        },
        near: centre.zip(within_km),
        within_box,
        sort_from: if within_km.is_none() { centre } else { None },
        // Offers that say which areas they serve are shown where they serve.
        covering: centre,
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
        rank_within: Some(RANK_WITHIN),
        ..Default::default()
    };
    let found = if errors.is_empty() {
        village_app::directory::search(&state, filter).await
    } else {
        Ok((Vec::new(), 0))
    };
    let (rows, total) = found?;
    let link = |p: i64| {
        let pairs = [
            ("q", q.q.as_str()),
            ("category", q.category.as_str()),
            ("postcode", q.postcode.as_str()),
            ("within", q.within.as_str()),
            ("day", q.day.as_str()),
            ("time", q.time.as_str()),
            ("age", q.age.as_str()),
            ("free", q.free.as_str()),
            ("kind", q.kind.as_str()),
            ("led", q.led.as_str()),
            ("community", q.community.as_str()),
            ("space", q.space.as_str()),
            ("sort", q.sort.as_str()),
            ("lat", q.lat.as_str()),
            ("long", q.long.as_str()),
            ("bbox", q.bbox.as_str()),
        ];
        let mut kept: Vec<(&str, String)> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (*k, v.to_string()))
            .collect();
        kept.extend(needs.iter().map(|a| ("access", a.code().to_string())));
        kept.push(("page", p.to_string()));
        format!(
            "/directory?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    };
    // Every match is counted (the same number the ORUK API gives for the same search).
    let pages_total = (total + PER_PAGE - 1) / PER_PAGE;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // The filters holding a mistake are shown open.
    let filters_open = errors.list.iter().any(|e| e.field != "postcode");
    let results: Vec<ResultView> = rows
        .iter()
        .filter_map(|(_, doc)| view(doc, centre, state.settings.hub.distances))
        .collect();
    Ok(pages::render(
        status,
        &SearchPage {
            layout: Layout::new(
                &state,
                identity.as_ref(),
                &csrf,
                "/directory",
                "Find groups and activities",
            ),
            errors,
            q: q.q.clone(),
            postcode: q.postcode.clone(),
            age: q.age.clone(),
            free: !q.free.is_empty(),
            categories: CATEGORIES
                .iter()
                .map(|c| (c.code, c.name, Some(c.code) == category.map(|x| x.code)))
                .collect(),
            distances: DISTANCES
                .iter()
                .map(|code| {
                    let n = code.parse::<f64>().unwrap_or(0.0);
                    (*code, unit.amount(n), *code == q.within)
                })
                .collect(),
            days: Weekday::ALL
                .iter()
                .map(|d| (d.code(), d.name(), Some(*d) == day))
                .collect(),
            times: TIMES
                .iter()
                .map(|(code, label, ..)| (*code, *label, *code == q.time))
                .collect(),
            access: Access::ALL
                .iter()
                .map(|a| (a.code(), a.label(), needs.contains(a)))
                .collect(),
            kinds: GroupKind::ALL
                .iter()
                .map(|k| (k.code(), k.label(), Some(*k) == kind))
                .collect(),
            communities: Community::ALL
                .iter()
                .map(|c| (c.code(), c.label(), Some(*c) == community))
                .collect(),
            led,
            has_space,
            sorts: SORTS
                .iter()
                .map(|(code, label)| (*code, *label, *code == q.sort))
                .collect(),
            searched,
            filters_in_use: [
                &q.within,
                &q.category,
                &q.day,
                &q.time,
                &q.age,
                &q.kind,
                &q.led,
                &q.community,
                &q.space,
                &q.free,
            ]
            .iter()
            .filter(|v| !v.trim().is_empty())
            .count()
                + needs.len(),
            filters_open,
            clear_filters: format!(
                "/directory?{}",
                serde_urlencoded::to_string([
                    ("q", q.q.as_str()),
                    ("postcode", q.postcode.as_str())
                ])
                .unwrap_or_default()
            ),
            total_words: match total {
                1 => "1 offer found".to_string(),
                n => format!("{} offers found", thousands(n)),
            },
            map: (state.settings.map.enabled && results.iter().any(|r| r.point.is_some())).then(
                || MapPanel {
                    tiles: state.settings.map.tiles.trim().to_string(),
                    attribution: state.settings.map.attribution.clone(),
                    attribution_url: state.settings.map.attribution_url.clone(),
                },
            ),
            results,
            place_kept: [("lat", &q.lat), ("long", &q.long), ("bbox", &q.bbox)]
                .into_iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| (k, v.trim().to_string()))
                .collect(),
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages_total).then(|| link(page + 1)),
            page_words: if pages_total > 1 {
                format!("Page {page} of {pages_total}")
            } else {
                String::new()
            },
        },
    ))
}

#[derive(Template)]
#[template(path = "directory/offer.html")]
struct OfferPage {
    layout: Layout,
    id: String,
    name: String,
    group: String,
    group_id: String,
    description: String,
    who: String,
    when: Vec<String>,
    when_notes: Vec<String>,
    place: String,
    address: String,
    /// Its record says where it is, so a gathering can be held there.
    has_place: bool,
    access: Vec<String>,
    cost: String,
    email: Option<String>,
    url: Option<String>,
    phones: Vec<String>,
    categories: Vec<(&'static str, &'static str)>,
    kind: Option<&'static str>,
    can_edit: bool,
    lived_led: bool,
    access_codes: Vec<&'static str>,
    last_checked: Option<String>,
    space: Option<&'static str>,
    space_words: Option<&'static str>,
    communities: Vec<&'static str>,
}

fn ages_words(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(0) | None, None) => "Everyone, of any age".into(),
        (Some(a), None) => format!("People aged {a} and over"),
        (None | Some(0), Some(b)) => format!("Children and young people up to {b}"),
        (Some(a), Some(b)) => format!("People aged {a} to {b}"),
    }
}

pub(crate) async fn view_offer_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> PageResult {
    let doc = records::service(&state, &id).await;
    let not_found = |state: &AppState| {
        pages::problem(
            state,
            identity.as_ref(),
            &csrf,
            StatusCode::NOT_FOUND,
            "We cannot find that offer",
            &["It may have finished, or the link may be old. Try searching the directory."],
        )
    };
    let doc = match doc {
        Ok(d) => d,
        Err(village_app::Error::NotFound(_)) => return Ok(not_found(&state)),
        Err(e) => return Err(e.into()),
    };
    let Ok(record) = serde_json::from_str::<Value>(&doc) else {
        return Ok(not_found(&state));
    };
    let Ok((index, _)) = read_service(&record) else {
        return Ok(not_found(&state));
    };
    let location = first_location(&record);
    let address = location
        .and_then(|l| l.get("addresses"))
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .map(|a| {
            ["address_1", "address_2", "city", "postal_code"]
                .iter()
                .filter_map(|k| a.get(*k).and_then(Value::as_str))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let access = location
        .and_then(|l| l.get("accessibility"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    x.get("description")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    let when_notes = record
        .get("schedules")
        .and_then(Value::as_array)
        .map(|s| {
            s.iter()
                .filter_map(|x| {
                    x.get("description")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    let phones = record
        .get("contacts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|c| {
            c.get("phones")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .chain(
            record
                .get("phones")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        )
        .filter_map(|p| p.get("number").and_then(Value::as_str).map(str::to_string))
        .collect();
    let last_checked = index
        .last_modified
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.format("%-d %B %Y").to_string());
    let title = index.name.clone();
    let can_edit = match &identity {
        Some(i) => village_app::directory::editing::may_edit(&state, i, &record)
            .await
            .unwrap_or(false),
        None => false,
    };
    Ok(pages::page(&OfferPage {
        can_edit,
        layout: Layout::new(&state, identity.as_ref(), &csrf, "/directory", title),
        group: index.organization_name.clone().unwrap_or_default(),
        group_id: index.organization_id.clone().unwrap_or_default(),
        description: index.description.clone(),
        who: ages_words(index.minimum_age, index.maximum_age),
        when: index.schedules.iter().map(|s| s.words()).collect(),
        when_notes,
        // A place with no name but an address (a listing given only a postcode) is its
        // address; "No fixed place" only when there is neither.
        place: match location
            .and_then(|l| l.get("name"))
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
        {
            Some(name) => name.to_string(),
            None if !address.is_empty() => String::new(),
            None => "No fixed place".into(),
        },
        address,
        has_place: village_domain::directory::oruk::venue(&record).is_some(),
        access,
        cost: cost_words(&record),
        email: record
            .get("email")
            .and_then(Value::as_str)
            .map(str::to_string),
        url: record.get("url").and_then(Value::as_str).and_then(web_link),
        phones,
        categories: index
            .taxonomy_term_ids
            .iter()
            .filter_map(|id| category_by_id(id))
            .map(|c| (c.code, c.name))
            .collect(),
        kind: index
            .taxonomy_term_ids
            .iter()
            .find_map(|t| GroupKind::from_term_id(t))
            .map(GroupKind::label),
        lived_led: index
            .taxonomy_term_ids
            .iter()
            .any(|t| t == LIVED_EXPERIENCE_LED_TERM_ID),
        access_codes: index
            .taxonomy_term_ids
            .iter()
            .filter_map(|t| Access::from_term_id(t))
            .map(Access::label)
            .collect(),
        last_checked,
        space: space_of(&index.taxonomy_term_ids),
        space_words: index
            .taxonomy_term_ids
            .iter()
            .find_map(|t| Space::from_term_id(t))
            .map(|sp| match sp {
                Space::HasSpace => "Yes: it has space for new people now",
                Space::WaitingList => "It has a waiting list: get in touch to join it",
            }),
        communities: communities_of(&index.taxonomy_term_ids),
        id: index.id.clone(),
        name: index.name,
    }))
}
