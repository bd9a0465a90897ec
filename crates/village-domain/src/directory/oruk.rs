//! Reading an Open Referral UK 3.0 service record into what Village searches and filters on.
//! The record itself is kept whole, so what comes in goes out again unchanged; this extracts
//! the index and says precisely (by JSON path) what is wrong or doubtful.

use super::geo::{Area, LatLon};
use super::schedule::{Schedule, ScheduleProblem};
use serde_json::Value;

/// A problem that stops a record being used, or a doubt worth reporting, at a JSON path such
/// as `$.service_at_locations[0].location.latitude`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    pub message: String,
}

impl Finding {
    fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A place where a service happens, for distance search.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub location_id: Option<String>,
    pub point: LatLon,
    pub postcode: Option<String>,
}

/// Where a service happens, as people read it: its first location's name, the street part
/// of its first address (lines and town) and its postcode.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Venue {
    pub name: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
}

/// A service record's first location (`service_at_locations[0].location`).
pub fn first_location(record: &Value) -> Option<&Value> {
    record
        .get("service_at_locations")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .and_then(|s| s.get("location"))
}

/// Where a service happens (`None` when its record names no place).
pub fn venue(record: &Value) -> Option<Venue> {
    let location = first_location(record)?;
    let address = location
        .get("addresses")
        .and_then(Value::as_array)
        .and_then(|a| a.first());
    let part = |v: Option<&Value>, key: &str| {
        v.and_then(|v| text(v, key))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let street: Vec<String> = ["address_1", "address_2", "city"]
        .iter()
        .filter_map(|k| part(address, k))
        .collect();
    let venue = Venue {
        name: part(Some(location), "name"),
        address: Some(street.join(", ")).filter(|s| !s.is_empty()),
        postcode: part(address, "postal_code"),
    };
    (venue != Venue::default()).then_some(venue)
}

/// What Village indexes about one service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceIndex {
    pub id: String,
    pub name: String,
    pub description: String,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub status: String,
    pub minimum_age: Option<i64>,
    pub maximum_age: Option<i64>,
    /// `Some(true)` when every cost option is free, `Some(false)` when any costs money,
    /// `None` when the record does not say.
    pub free: Option<bool>,
    pub taxonomy_term_ids: Vec<String>,
    pub schedules: Vec<Schedule>,
    pub places: Vec<Place>,
    /// The ids of the record's `service_at_locations`.
    pub service_at_location_ids: Vec<String>,
    pub last_modified: Option<String>,
    /// The areas its `service_areas` cover, where they give them as GeoJSON polygons.
    pub areas: Vec<Area>,
}

const STATUSES: [&str; 4] = ["active", "inactive", "defunct", "temporarily closed"];

/// Whether `s` is a UUID in its usual 8-4-4-4-12 hexadecimal form.
pub fn is_uuid(s: &str) -> bool {
    let lens: Vec<usize> = s.split('-').map(str::len).collect();
    lens == [8, 4, 4, 4, 12] && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Whether a record says it is free: `Some(true)` when every cost option is free,
/// `Some(false)` when any costs money (an amount above nothing, or an option marked `Paid`
/// as Village writes it when no amount is known), `None` when it does not say.
pub fn free_of(record: &Value) -> Option<bool> {
    let options = record
        .get("cost_options")
        .and_then(Value::as_array)
        .filter(|o| !o.is_empty())?;
    let amounts: Vec<Option<f64>> = options
        .iter()
        .map(|o| o.get("amount").and_then(Value::as_f64))
        .collect();
    if amounts.iter().all(|a| *a == Some(0.0)) {
        Some(true)
    } else if amounts.iter().any(|a| a.is_some_and(|x| x > 0.0))
        || options.iter().any(|o| text(o, "option") == Some("Paid"))
    {
        Some(false)
    } else {
        None
    }
}

/// Read one service record. `Err` lists every problem that stops it being imported; `Ok`
/// carries the index and any warnings (kept, but worth telling the importer).
pub fn read_service(record: &Value) -> Result<(ServiceIndex, Vec<Finding>), Vec<Finding>> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    if !record.is_object() {
        return Err(vec![Finding::new("$", "a service must be a JSON object")]);
    }
    let id = match record.get("id") {
        Some(Value::String(s)) if is_uuid(s) => s.clone(),
        Some(Value::String(s)) => {
            problems.push(Finding::new("$.id", format!("{s:?} is not a UUID")));
            String::new()
        }
        Some(_) => {
            problems.push(Finding::new("$.id", "must be a string (a UUID)"));
            String::new()
        }
        None => {
            problems.push(Finding::new("$.id", "is missing"));
            String::new()
        }
    };
    let name = match record.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::String(_)) => {
            problems.push(Finding::new("$.name", "is empty"));
            String::new()
        }
        Some(_) => {
            problems.push(Finding::new("$.name", "must be a string"));
            String::new()
        }
        None => {
            problems.push(Finding::new("$.name", "is missing"));
            String::new()
        }
    };
    let status = match record.get("status") {
        Some(Value::String(s)) if STATUSES.contains(&s.as_str()) => s.clone(),
        Some(other) => {
            problems.push(Finding::new(
                "$.status",
                format!("{other} is not one of: active, inactive, defunct, temporarily closed"),
            ));
            String::new()
        }
        None => {
            problems.push(Finding::new("$.status", "is missing"));
            String::new()
        }
    };
    let age = |key: &str, problems: &mut Vec<Finding>| match record.get(key) {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(n) if (0..=150).contains(&n) => Some(n),
            _ => {
                problems.push(Finding::new(
                    format!("$.{key}"),
                    format!("{v} is not an age from 0 to 150"),
                ));
                None
            }
        },
    };
    let minimum_age = age("minimum_age", &mut problems);
    let maximum_age = age("maximum_age", &mut problems);
    if let (Some(min), Some(max)) = (minimum_age, maximum_age) {
        if min > max {
            problems.push(Finding::new(
                "$.maximum_age",
                format!("{max} is below minimum_age {min}"),
            ));
        }
    }
    for key in [
        "description",
        "organization_id",
        "url",
        "email",
        "last_modified",
    ] {
        if let Some(v) = record.get(key) {
            if !v.is_string() {
                problems.push(Finding::new(format!("$.{key}"), "must be a string"));
            }
        }
    }
    let organization_id = text(record, "organization_id")
        .map(str::to_string)
        .or_else(|| {
            record
                .get("organization")
                .and_then(|o| text(o, "id"))
                .map(str::to_string)
        });
    let organization_name = record
        .get("organization")
        .and_then(|o| text(o, "name"))
        .map(str::to_string);

    let free = free_of(record);

    let mut taxonomy_term_ids = Vec::new();
    if let Some(attributes) = record.get("attributes").and_then(Value::as_array) {
        for a in attributes {
            let id = text(a, "taxonomy_term_id")
                .or_else(|| a.get("taxonomy_term").and_then(|t| text(t, "id")));
            if let Some(id) = id {
                if !taxonomy_term_ids.iter().any(|t| t == id) {
                    taxonomy_term_ids.push(id.to_string());
                }
            }
        }
    }

    let mut schedules = Vec::new();
    let mut read_schedules = |list: Option<&Value>, base: &str, problems: &mut Vec<Finding>| {
        let Some(items) = list.and_then(Value::as_array) else {
            return;
        };
        for (i, s) in items.iter().enumerate() {
            match Schedule::from_oruk(
                text(s, "freq"),
                text(s, "byday"),
                text(s, "opens_at"),
                text(s, "closes_at"),
            ) {
                Ok(Some(schedule)) => schedules.push(schedule),
                Ok(None) => {}
                Err(ScheduleProblem(m)) => problems.push(Finding::new(format!("{base}[{i}]"), m)),
            }
        }
    };
    read_schedules(record.get("schedules"), "$.schedules", &mut problems);

    let mut places = Vec::new();
    let mut service_at_location_ids = Vec::new();
    if let Some(sals) = record.get("service_at_locations").and_then(Value::as_array) {
        for (i, sal) in sals.iter().enumerate() {
            if let Some(id) = text(sal, "id") {
                if service_at_location_ids.iter().any(|s| s == id) {
                    problems.push(Finding::new(
                        format!("$.service_at_locations[{i}].id"),
                        format!("{id} is used twice in this service"),
                    ));
                } else {
                    service_at_location_ids.push(id.to_string());
                }
            }
            read_schedules(
                sal.get("schedules"),
                &format!("$.service_at_locations[{i}].schedules"),
                &mut problems,
            );
            let Some(location) = sal.get("location") else {
                continue;
            };
            let lat = location.get("latitude").and_then(Value::as_f64);
            let lon = location.get("longitude").and_then(Value::as_f64);
            let postcode = location
                .get("addresses")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|a| text(a, "postal_code"))
                .map(str::to_string);
            match (lat, lon) {
                (Some(lat), Some(lon)) => match LatLon::new(lat, lon) {
                    Ok(point) => places.push(Place {
                        location_id: text(location, "id").map(str::to_string),
                        point,
                        postcode,
                    }),
                    Err(why) => warnings.push(Finding::new(
                        format!("$.service_at_locations[{i}].location"),
                        format!("coordinates ({lat}, {lon}) are not real ({why}): the record is kept, but it is left out of distance searches"),
                    )),
                },
                (None, None) => {}
                _ => warnings.push(Finding::new(
                    format!("$.service_at_locations[{i}].location"),
                    "has only one of latitude and longitude: left out of distance searches",
                )),
            }
        }
    }

    let mut areas = Vec::new();
    if let Some(list) = record.get("service_areas").and_then(Value::as_array) {
        for (i, area) in list.iter().enumerate() {
            let geojson =
                text(area, "extent_type").is_some_and(|t| t.eq_ignore_ascii_case("geojson"));
            let Some(extent) = text(area, "extent").filter(|_| geojson) else {
                continue;
            };
            match Area::from_geojson(extent) {
                Some(a) => areas.push(a),
                None => warnings.push(Finding::new(
                    format!("$.service_areas[{i}].extent"),
                    "is not a GeoJSON polygon Village can read: the area is kept, but not used to check which postcodes it covers",
                )),
            }
        }
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((
        ServiceIndex {
            id,
            name,
            description: text(record, "description").unwrap_or_default().to_string(),
            organization_id,
            organization_name,
            status,
            minimum_age,
            maximum_age,
            free,
            taxonomy_term_ids,
            schedules,
            places,
            service_at_location_ids,
            last_modified: text(record, "last_modified").map(str::to_string),
            areas,
        },
        warnings,
    ))
}

/// What matching reads from a stored record to explain a suggestion: its name and
/// organisation, words, taxonomy terms and schedules, each as [`read_service`] reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchDetails {
    pub name: String,
    pub description: String,
    pub organization_name: Option<String>,
    pub taxonomy_term_ids: Vec<String>,
    pub schedules: Vec<Schedule>,
}

impl From<ServiceIndex> for MatchDetails {
    fn from(index: ServiceIndex) -> Self {
        MatchDetails {
            name: index.name,
            description: index.description,
            organization_name: index.organization_name,
            taxonomy_term_ids: index.taxonomy_term_ids,
            schedules: index.schedules,
        }
    }
}

/// The parts of a record [`match_details`] reads; everything else is skipped unread.
#[derive(serde::Deserialize)]
struct SlimService<'a> {
    #[serde(borrow)]
    name: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    description: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    organization: Option<SlimOrganization<'a>>,
    #[serde(default, borrow)]
    attributes: Option<Vec<SlimAttribute<'a>>>,
    #[serde(default, borrow)]
    schedules: Option<Vec<SlimSchedule<'a>>>,
    #[serde(default, borrow)]
    service_at_locations: Option<Vec<SlimServiceAtLocation<'a>>>,
}

#[derive(serde::Deserialize)]
struct SlimOrganization<'a> {
    #[serde(default, borrow)]
    name: Option<std::borrow::Cow<'a, str>>,
}

#[derive(serde::Deserialize)]
struct SlimAttribute<'a> {
    #[serde(default, borrow)]
    taxonomy_term_id: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    taxonomy_term: Option<SlimTerm<'a>>,
}

#[derive(serde::Deserialize)]
struct SlimTerm<'a> {
    #[serde(default, borrow)]
    id: Option<std::borrow::Cow<'a, str>>,
}

#[derive(serde::Deserialize)]
struct SlimSchedule<'a> {
    #[serde(default, borrow)]
    freq: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    byday: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    opens_at: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    closes_at: Option<std::borrow::Cow<'a, str>>,
}

#[derive(serde::Deserialize)]
struct SlimServiceAtLocation<'a> {
    #[serde(default, borrow)]
    schedules: Option<Vec<SlimSchedule<'a>>>,
}

/// Read what matching explains from a stored record, skipping the rest of it: several times
/// quicker than [`read_service`], which checks everything. `None` when the record is not
/// shaped as an imported record always is (a caller then reads it whole).
pub fn match_details(doc: &str) -> Option<MatchDetails> {
    let slim: SlimService<'_> = serde_json::from_str(doc).ok()?;
    let mut taxonomy_term_ids: Vec<String> = Vec::new();
    for a in slim.attributes.iter().flatten() {
        let id = a
            .taxonomy_term_id
            .as_deref()
            .or_else(|| a.taxonomy_term.as_ref().and_then(|t| t.id.as_deref()));
        if let Some(id) = id {
            if !taxonomy_term_ids.iter().any(|t| t == id) {
                taxonomy_term_ids.push(id.to_string());
            }
        }
    }
    let mut schedules = Vec::new();
    let lists = std::iter::once(&slim.schedules).chain(
        slim.service_at_locations
            .iter()
            .flatten()
            .map(|sal| &sal.schedules),
    );
    for s in lists.flatten().flatten() {
        match Schedule::from_oruk(
            s.freq.as_deref(),
            s.byday.as_deref(),
            s.opens_at.as_deref(),
            s.closes_at.as_deref(),
        ) {
            Ok(Some(schedule)) => schedules.push(schedule),
            Ok(None) => {}
            // Never stored: an import refuses it. Read whole, the record says why.
            Err(_) => return None,
        }
    }
    Some(MatchDetails {
        name: slim.name.trim().to_string(),
        description: slim.description.map(|d| d.into_owned()).unwrap_or_default(),
        organization_name: slim
            .organization
            .and_then(|o| o.name)
            .map(|n| n.into_owned()),
        taxonomy_term_ids,
        schedules,
    })
}

/// The ORUK UK profile leaves empty fields out rather than sending `null`, `""` or `[]`.
/// Remove them, all the way down.
pub fn without_empty_fields(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, without_empty_fields(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(without_empty_fields)
                .filter(|v| !is_empty(v))
                .collect(),
        ),
        other => other,
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The validator's feeds (copied into the repository's `tests/fixtures`).
    fn feed(path: &str) -> Option<Value> {
        let full = format!(
            "{}/../../tests/fixtures/standards/oruk-3.0/validator-feeds/{path}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
        serde_json::from_str(&text).ok()
    }

    #[test]
    fn a_venue_is_read_from_the_first_location() {
        let record = json!({"service_at_locations": [{"location": {"name": "Meadowfield Library",
            "addresses": [{"address_1": "2 Green Lane", "address_2": " ", "city": "Meadowfield",
                "postal_code": "MF1 1AB"}]}}, {"location": {"name": "Elsewhere"}}]});
        assert_eq!(
            venue(&record),
            Some(Venue {
                name: Some("Meadowfield Library".into()),
                address: Some("2 Green Lane, Meadowfield".into()),
                postcode: Some("MF1 1AB".into()),
            })
        );
        assert_eq!(venue(&json!({"service_at_locations": []})), None);
        assert_eq!(
            venue(&json!({"service_at_locations": [{"location": {}}]})),
            None
        );
    }

    #[test]
    fn the_default_feed_reads_with_a_warning_about_its_coordinates() {
        let Some(record) = feed("V3.0-UK-Default/service_full.json") else {
            return;
        };
        let (index, warnings) = read_service(&record).unwrap();
        assert_eq!(index.id, "ac148810-d857-441c-9679-408f346de14b");
        assert_eq!(index.name, "Community Counselling");
        assert_eq!(
            (index.minimum_age, index.maximum_age),
            (Some(12), Some(100))
        );
        assert_eq!(index.free, Some(false));
        assert_eq!(
            index.taxonomy_term_ids,
            ["3f7b145d-84af-42d7-8fae-eaca714b02b2"]
        );
        assert!(!index.schedules.is_empty());
        assert!(
            index.places.is_empty(),
            "latitude 100 is not a place on Earth"
        );
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].path.starts_with("$.service_at_locations[0]"));
        assert!(warnings[0]
            .message
            .contains("left out of distance searches"));
        assert_eq!(warnings[1].path, "$.service_areas[0].extent");
        assert!(
            index.areas.is_empty(),
            "its extent says \"extent\", not GeoJSON"
        );
    }

    /// The quick reader agrees with the full one on every field it reads.
    fn same_details(record: &Value) {
        let (index, _) = read_service(record).unwrap();
        let details = match_details(&record.to_string()).expect("read quickly");
        assert_eq!(details.name, index.name);
        assert_eq!(details.description, index.description);
        assert_eq!(details.organization_name, index.organization_name);
        assert_eq!(details.taxonomy_term_ids, index.taxonomy_term_ids);
        assert_eq!(details.schedules, index.schedules);
    }

    #[test]
    fn match_details_read_what_the_full_reader_reads() {
        let mut records = Vec::new();
        for path in [
            "V3.0-UK-Default/service_full.json",
            "V3.0-UK-Test/service_full.json",
        ] {
            records.extend(feed(path));
        }
        if let Some(list) = feed("V3.0-UK-Test/service_list.json") {
            records.extend(list["contents"].as_array().cloned().unwrap_or_default());
        }
        records.push(json!({
            "id": "5b1c8f1e-0000-4000-8000-000000000001",
            "name": "  Tea and \"talk\"  ",
            "status": "active",
            "organization": {"id": "x", "name": "Friends of the Park"},
            "attributes": [
                {"taxonomy_term_id": "a"},
                {"taxonomy_term": {"id": "b"}},
                {"taxonomy_term_id": "a"},
                {"value": "no term"}
            ],
            "schedules": [
                {"freq": "MONTHLY", "byday": "2TU,-1TU", "opens_at": "10:00", "closes_at": "12:00"},
                {"description": "Ring first"}
            ],
            "service_at_locations": [
                {"id": "s1", "schedules": [{"freq": "WEEKLY", "byday": "SA", "opens_at": "09:30"}]},
                {"id": "s2"}
            ]
        }));
        records.push(json!({
            "id": "5b1c8f1e-0000-4000-8000-000000000002",
            "name": "Nothing else",
            "status": "active",
            "attributes": null
        }));
        assert!(records.len() >= 3, "{}", records.len());
        for r in &records {
            same_details(r);
        }
        assert_eq!(match_details("{\"name\": 3}"), None, "not shaped as stored");
        assert_eq!(
            match_details(r#"{"name": "x", "schedules": [{"byday": "XX"}]}"#),
            None
        );
    }

    #[test]
    fn the_fail_feed_is_refused_with_paths() {
        let Some(list) = feed("V3.0-UK-Fail/service_list.json") else {
            return;
        };
        let items = list["contents"].as_array().unwrap();
        let mut refused = 0;
        for item in items {
            if let Err(problems) = read_service(item) {
                refused += 1;
                assert!(
                    problems.iter().all(|p| p.path.starts_with("$.")),
                    "{problems:?}"
                );
            }
        }
        assert_eq!(
            refused,
            items.len(),
            "every service in the fail feed has a problem"
        );
        let Some(full) = feed("V3.0-UK-Fail/service_full.json") else {
            return;
        };
        assert!(
            read_service(&full).is_ok(),
            "a missing description is allowed"
        );
    }

    #[test]
    fn every_problem_is_named() {
        let problems = read_service(&json!({
            "id": "nope", "status": "open", "minimum_age": 30, "maximum_age": 20,
            "schedules": [{"freq": "WEEKLY", "byday": "XX"}]
        }))
        .unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "$.id",
                "$.name",
                "$.status",
                "$.maximum_age",
                "$.schedules[0]"
            ]
        );
        assert!(read_service(&json!([1, 2])).is_err());
    }

    #[test]
    fn free_means_every_option_is_free() {
        let base = json!({"id": "ac148810-d857-441c-9679-408f346de14b", "name": "Lunch club", "status": "active"});
        let with = |costs: Value| {
            let mut r = base.clone();
            r["cost_options"] = costs;
            read_service(&r).map(|(i, _)| i.free).ok().flatten()
        };
        assert_eq!(with(json!([{"amount": 0}])), Some(true));
        assert_eq!(with(json!([{"amount": 0}, {"amount": 2.5}])), Some(false));
        assert_eq!(with(json!([{"option": "pay what you can"}])), None);
        assert_eq!(with(json!([])), None);
    }

    #[test]
    fn empty_fields_are_left_out() {
        let cleaned = without_empty_fields(json!({
            "name": "x", "email": null, "url": "", "languages": [], "organization": {"id": null},
            "schedules": [{"byday": "MO", "notes": ""}], "minimum_age": 0
        }));
        assert_eq!(
            cleaned,
            json!({"name": "x", "schedules": [{"byday": "MO"}], "minimum_age": 0})
        );
    }
}
