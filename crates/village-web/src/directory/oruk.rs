//! The Open Referral UK 3.0 API, exactly as the UK profile describes it: paginated lists with
//! the standard envelope, full records by id, empty fields left out, open CORS, no key.

use crate::api::ApiError;
use crate::extract::Path;
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use village_app::directory::records;
use village_domain::directory::geo::{BoundingBox, LatLon, Postcode};
use village_domain::directory::oruk::without_empty_fields;
use village_domain::directory::schedule::{TimeOfDay, Weekday};
use village_domain::error::ErrorCode;
use village_store::directory::ServiceFilter;

const DEFAULT_PER_PAGE: i64 = 50;
const MAX_PER_PAGE: i64 = 1000;

fn bad(param: &'static str, message: impl Into<String>) -> ApiError {
    let mut e = ApiError::new(ErrorCode::InvalidParameter, message);
    e.field = Some(param.into());
    e
}

pub(crate) async fn root(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "version": "HSDS-UK-3.0",
        "profile": "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md",
        "openapi_url": state.settings.link("/oruk/openapi.json"),
    }))
}

const OPENAPI: &str = include_str!("../../static/oruk-openapi.json");

pub(crate) async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// Query parameters of the UK profile. All arrive as text so a wrong value gets a clear
/// message naming the parameter rather than a bare rejection.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    search: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
    taxonomy_term_id: Option<String>,
    taxonomy_id: Option<String>,
    minimum_age: Option<String>,
    maximum_age: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    day: Option<String>,
    postcode: Option<String>,
    proximity: Option<String>,
    /// A point to search near, in degrees, instead of a postcode (with `long`).
    lat: Option<String>,
    long: Option<String>,
    /// How far from the point or postcode, in metres (the same as `proximity`).
    distance: Option<String>,
    /// Only offers with a place inside `south,west,north,east` (a map's visible area).
    bbox: Option<String>,
}

/// A number of degrees given as `param`, if given.
fn degrees(param: &'static str, value: Option<&str>) -> Result<Option<f64>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Some)
            .ok_or_else(|| {
                bad(
                    param,
                    format!("{param} must be a number of degrees, not {v:?}"),
                )
            }),
    }
}

/// The point of `lat` and `long`, if given (both or neither).
fn point(p: &ListParams) -> Result<Option<LatLon>, ApiError> {
    match (
        degrees("lat", p.lat.as_deref())?,
        degrees("long", p.long.as_deref())?,
    ) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(bad("long", "long is needed with lat")),
        (None, Some(_)) => Err(bad("lat", "lat is needed with long")),
        (Some(lat), Some(long)) => LatLon::new(lat, long).map(Some).map_err(|why| {
            bad(
                if why.starts_with("latitude") {
                    "lat"
                } else {
                    "long"
                },
                why,
            )
        }),
    }
}

fn int(param: &'static str, value: Option<&str>) -> Result<Option<i64>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n >= 0.0 && *n <= 1e9)
            .map(|n| Some(n.floor() as i64))
            .ok_or_else(|| bad(param, format!("{param} must be a whole number, not {v:?}"))),
    }
}

fn time(param: &'static str, value: Option<&str>) -> Result<Option<i64>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => TimeOfDay::parse(v)
            .map(|t| Some(i64::from(t.minutes())))
            .ok_or_else(|| {
                bad(
                    param,
                    format!("{param} must be a time like 10:00, not {v:?}"),
                )
            }),
    }
}

fn day(value: Option<&str>) -> Result<Option<String>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Weekday::parse(v)
            .or_else(|| {
                Weekday::ALL
                    .iter()
                    .copied()
                    .find(|d| d.name().eq_ignore_ascii_case(v))
            })
            .map(|d| Some(d.code().to_string()))
            .ok_or_else(|| {
                bad(
                    "day",
                    format!("day must be a day such as MO or Monday, not {v:?}"),
                )
            }),
    }
}

fn paging(p: &ListParams) -> Result<(i64, i64), ApiError> {
    let page = int("page", p.page.as_deref())?.unwrap_or(1);
    if page < 1 {
        return Err(bad("page", "page starts at 1"));
    }
    let per_page = int("per_page", p.per_page.as_deref())?.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(bad(
            "per_page",
            format!("per_page must be from 1 to {MAX_PER_PAGE}"),
        ));
    }
    Ok((page, per_page))
}

/// The UK profile's page envelope around `contents`.
fn page_of(contents: Vec<Value>, total: i64, page: i64, per_page: i64) -> Value {
    let total_pages = if total == 0 {
        0
    } else {
        (total + per_page - 1) / per_page
    };
    json!({
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": contents.len(),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

fn parse_doc(doc: &str) -> Value {
    serde_json::from_str(doc).unwrap_or(Value::Null)
}

/// The one-to-one fields of a service, as `/services` lists them.
const LIST_FIELDS: [&str; 16] = [
    "id",
    "organization_id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "alert",
    "last_modified",
    "organization",
];

fn list_item(doc: &str) -> Value {
    let full = parse_doc(doc);
    let mut item = Map::new();
    for key in LIST_FIELDS {
        if let Some(v) = full.get(key) {
            item.insert(key.to_string(), v.clone());
        }
    }
    without_empty_fields(Value::Object(item))
}

/// The service filters of the UK profile, shared by `/services` and `/service_at_locations`.
async fn service_filter(
    state: &AppState,
    p: &ListParams,
    per_location: bool,
) -> Result<ServiceFilter, ApiError> {
    let (page, per_page) = paging(p)?;
    let postcode = p
        .postcode
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let proximity = int("proximity", p.proximity.as_deref())?;
    let distance = int("distance", p.distance.as_deref())?;
    let radius = match (proximity, distance) {
        (Some(_), Some(_)) => {
            return Err(bad(
                "distance",
                "give distance or proximity (both are metres), not both",
            ))
        }
        (a, b) => a.or(b),
    };
    let radius_name = if distance.is_some() {
        "distance"
    } else {
        "proximity"
    };
    let coordinates = point(p)?;
    let within_box = match p.bbox.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(text) => Some(BoundingBox::parse(text).map_err(|why| bad("bbox", why))?),
        None => None,
    };
    let centre = match (postcode, coordinates) {
        (Some(_), Some(_)) => {
            return Err(bad(
                "lat",
                "give a postcode or lat and long to search near, not both",
            ))
        }
        (None, None) => None,
        (None, Some(point)) => Some(point),
        (Some(text), None) => {
            let parsed = Postcode::parse(text).map_err(|why| bad("postcode", why))?;
            Some(
                records::postcode_point(state, &parsed)
                    .await?
                    .ok_or_else(|| {
                        bad(
                            "postcode",
                            format!("this hub does not know where {parsed} is"),
                        )
                    })?,
            )
        }
    };
    let (mut near, mut sort_from, mut covering) = (None, None, None);
    match (centre, radius) {
        (None, Some(_)) => {
            return Err(bad(
                radius_name,
                format!("{radius_name} needs a postcode, or lat and long, to measure from"),
            ))
        }
        (None, None) => {}
        (Some(point), radius) => {
            // "If service_area is available, only return results where the postcode exists
            // within the service_area."
            covering = Some(point);
            match radius {
                // Metres, as the UK profile says.
                Some(metres) => near = Some((point, metres as f64 / 1000.0)),
                None => sort_from = Some(point),
            }
        }
    }
    Ok(ServiceFilter {
        words: p.search.clone(),
        taxonomy_term_id: p.taxonomy_term_id.clone().filter(|v| !v.is_empty()),
        taxonomy_id: p.taxonomy_id.clone().filter(|v| !v.is_empty()),
        minimum_age_at_least: int("minimum_age", p.minimum_age.as_deref())?,
        maximum_age_at_most: int("maximum_age", p.maximum_age.as_deref())?,
        day: day(p.day.as_deref())?,
        opens_at_or_after: time("start_time", p.start_time.as_deref())?,
        closes_at_or_before: time("end_time", p.end_time.as_deref())?,
        near,
        within_box,
        sort_from,
        covering,
        per_location,
        limit: per_page,
        offset: (page - 1).saturating_mul(per_page),
        rank_within: Some(super::pages::RANK_WITHIN),
        ..Default::default()
    })
}

pub(crate) async fn services(
    State(state): State<AppState>,
    crate::extract::Query(p): crate::extract::Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let (page, per_page) = paging(&p)?;
    let filter = service_filter(&state, &p, false).await?;
    let (rows, total) = village_app::directory::search(&state, filter).await?;
    let contents = rows.iter().map(|(_, doc)| list_item(doc)).collect();
    Ok(Json(page_of(contents, total, page, per_page)))
}

/// A service_at_location as ORUK shows it: its own fields, the location, and the service
/// (in full for `/service_at_locations/{id}`, one-to-one fields in lists).
fn service_at_location_of(doc: &str, sal_id: &str, full: bool) -> Option<Value> {
    let service = parse_doc(doc);
    let sal = service
        .get("service_at_locations")?
        .as_array()?
        .iter()
        .find(|s| s.get("id").and_then(Value::as_str) == Some(sal_id))?
        .clone();
    let mut out = match sal {
        Value::Object(map) => map,
        _ => return None,
    };
    if let Some(id) = service.get("id") {
        out.insert("service_id".into(), id.clone());
    }
    if let Some(location_id) = out.get("location").and_then(|l| l.get("id")).cloned() {
        out.entry("location_id").or_insert(location_id);
    }
    let nested = if full {
        let mut s = service.clone();
        if let Some(map) = s.as_object_mut() {
            map.remove("service_at_locations");
        }
        s
    } else {
        list_item(doc)
    };
    out.insert("service".into(), nested);
    Some(without_empty_fields(Value::Object(out)))
}

pub(crate) async fn service_at_locations(
    State(state): State<AppState>,
    crate::extract::Query(p): crate::extract::Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let (page, per_page) = paging(&p)?;
    let filter = service_filter(&state, &p, true).await?;
    let (rows, total) = village_app::directory::search(&state, filter).await?;
    let contents = rows
        .iter()
        .filter_map(|(sal_id, doc)| service_at_location_of(doc, sal_id, false))
        .collect();
    Ok(Json(page_of(contents, total, page, per_page)))
}

pub(crate) async fn service_at_location(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let doc = records::service_by_location(&state, &id).await?;
    service_at_location_of(&doc, &id, true)
        .map(Json)
        .ok_or_else(|| ApiError::not_found("service at location with that id"))
}

pub(crate) async fn service(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let doc = records::service(&state, &id).await?;
    Ok(Json(without_empty_fields(parse_doc(&doc))))
}

pub(crate) async fn taxonomies(
    State(state): State<AppState>,
    crate::extract::Query(p): crate::extract::Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let (page, per_page) = paging(&p)?;
    let (docs, total) =
        records::taxonomies(&state, per_page, (page - 1).saturating_mul(per_page)).await?;
    let contents = docs
        .iter()
        .map(|d| without_empty_fields(parse_doc(d)))
        .collect();
    Ok(Json(page_of(contents, total, page, per_page)))
}

pub(crate) async fn taxonomy(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let doc = records::taxonomy(&state, &id).await?;
    Ok(Json(without_empty_fields(parse_doc(&doc))))
}

pub(crate) async fn taxonomy_terms(
    State(state): State<AppState>,
    crate::extract::Query(p): crate::extract::Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    let (page, per_page) = paging(&p)?;
    let (docs, total) = records::taxonomy_terms(
        &state,
        p.taxonomy_id.as_deref().filter(|v| !v.is_empty()),
        per_page,
        (page - 1).saturating_mul(per_page),
    )
    .await?;
    let contents = docs
        .iter()
        .map(|d| without_empty_fields(parse_doc(d)))
        .collect();
    Ok(Json(page_of(contents, total, page, per_page)))
}

pub(crate) async fn taxonomy_term(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let doc = records::taxonomy_term(&state, &id).await?;
    Ok(Json(without_empty_fields(parse_doc(&doc))))
}
