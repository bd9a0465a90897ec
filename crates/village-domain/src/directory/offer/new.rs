//! A new offer from the suggestion form's answers.

use super::*;

/// The short form for suggesting a new offer, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewOfferForm {
    pub name: String,
    pub description: String,
    pub group: String,
    pub category: String,
    pub kind: String,
    pub day: String,
    pub opens: String,
    pub closes: String,
    pub venue: String,
    pub address: String,
    pub postcode: String,
    pub free: String,
    pub cost: String,
    pub email: String,
    pub lived_led: bool,
    /// Codes of communities it is especially for.
    pub communities: Vec<String>,
    /// Access codes.
    pub access: Vec<String>,
    /// `has_space`, `waiting_list`, or empty.
    pub space: String,
}

pub(super) fn required(
    value: &str,
    field: &'static str,
    what: &str,
    max: usize,
    problems: &mut Vec<FieldError>,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        problems.push(FieldError::new(
            field,
            ErrorCode::Missing,
            format!("Enter {what}"),
        ));
    } else if v.chars().count() > max {
        problems.push(FieldError::new(
            field,
            ErrorCode::TooLong,
            format!("Keep {what} to {max} characters or fewer"),
        ));
    }
    v.to_string()
}

pub(super) fn optional(
    value: &str,
    field: &'static str,
    what: &str,
    max: usize,
    problems: &mut Vec<FieldError>,
) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > max {
        problems.push(FieldError::new(
            field,
            ErrorCode::TooLong,
            format!("Keep {what} to {max} characters or fewer"),
        ));
    }
    (!v.is_empty()).then(|| v.to_string())
}

/// Build the ORUK record for a new offer. `ids` supplies fresh UUIDs (the web layer makes
/// them); `place` is the postcode's centroid if the hub knows it; `now` is an RFC 3339 time.
pub fn new_offer(
    form: &NewOfferForm,
    ids: &mut dyn Iterator<Item = String>,
    place: Option<LatLon>,
    now: &str,
) -> Result<Value, Vec<FieldError>> {
    let mut problems = Vec::new();
    let name = required(
        &form.name,
        "name",
        "the name of the group or activity",
        120,
        &mut problems,
    );
    let description = required(
        &form.description,
        "description",
        "what happens there",
        2000,
        &mut problems,
    );
    let group = required(&form.group, "group", "who runs it", 120, &mut problems);
    let category = match form.category.trim() {
        "" => None,
        code => match category_by_code(code) {
            Some(c) => Some(c),
            None => {
                problems.push(FieldError::new(
                    "category",
                    ErrorCode::Unknown,
                    "Choose a kind of activity from the list",
                ));
                None
            }
        },
    };
    let kind = match form.kind.trim() {
        "" => None,
        code => match GroupKind::parse(code) {
            Some(k) => Some(k),
            None => {
                problems.push(FieldError::new(
                    "kind",
                    ErrorCode::Unknown,
                    "Choose a kind of group from the list",
                ));
                None
            }
        },
    };
    let day = match form.day.trim() {
        "" => None,
        code => match Weekday::parse(code) {
            Some(d) => Some(d),
            None => {
                problems.push(FieldError::new(
                    "day",
                    ErrorCode::Unknown,
                    "Choose a day from the list",
                ));
                None
            }
        },
    };
    let time = |value: &str, field: &'static str, problems: &mut Vec<FieldError>| match value.trim()
    {
        "" => None,
        t => match TimeOfDay::parse(t) {
            Some(t) => Some(t),
            None => {
                problems.push(FieldError::new(
                    field,
                    ErrorCode::NotATime,
                    "Enter a time like 10:00 or 14:30",
                ));
                None
            }
        },
    };
    let opens = time(&form.opens, "opens", &mut problems);
    let closes = time(&form.closes, "closes", &mut problems);
    if let (Some(o), Some(c)) = (opens, closes) {
        if c <= o {
            problems.push(FieldError::new(
                "closes",
                ErrorCode::BeforeOpening,
                "The finishing time must be after the starting time",
            ));
        }
    }
    if (opens.is_some() || closes.is_some()) && day.is_none() {
        problems.push(FieldError::new(
            "day",
            ErrorCode::Missing,
            "Choose the day it happens on",
        ));
    }
    let venue = optional(&form.venue, "venue", "the place name", 120, &mut problems);
    let address = optional(&form.address, "address", "the address", 200, &mut problems);
    let postcode = match form.postcode.trim() {
        "" => None,
        p => match Postcode::parse(p) {
            Ok(p) => Some(p),
            Err(why) => {
                problems.push(FieldError::new("postcode", ErrorCode::Invalid, why));
                None
            }
        },
    };
    let free = match form.free.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let cost = optional(&form.cost, "cost", "the cost", 200, &mut problems);
    let email = match form.email.trim() {
        "" => None,
        e => match Email::parse(e) {
            Ok(e) => Some(e),
            Err(err) => {
                problems.push(err);
                None
            }
        },
    };
    let communities = coded(
        &form.communities,
        Community::parse,
        "communities",
        "communities",
        &mut problems,
    );
    let access = coded(
        &form.access,
        Access::parse,
        "access",
        "kinds of access",
        &mut problems,
    );
    let space = match form.space.trim() {
        "" => None,
        code => Space::parse(code).or_else(|| {
            problems.push(FieldError::new(
                "space",
                ErrorCode::Unknown,
                "Choose whether it has space now or a waiting list",
            ));
            None
        }),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut id = || ids.next().unwrap_or_default();
    let service_id = id();
    let organization_id = id();
    let mut record = json!({
        "id": service_id,
        "organization_id": organization_id,
        "name": name,
        "description": description,
        "status": "active",
        "last_modified": now,
        "organization": {"id": organization_id, "name": group, "description": format!("{group} runs {name}.")},
    });
    let Some(map) = record.as_object_mut() else {
        return Err(Vec::new());
    };
    if let Some(e) = email {
        map.insert("email".into(), json!(e.as_str()));
    }
    if let Some(d) = day {
        let mut schedule = json!({"id": id(), "freq": "WEEKLY", "byday": d.code()});
        if let Some(o) = opens {
            schedule["opens_at"] = json!(o.to_string());
        }
        if let Some(c) = closes {
            schedule["closes_at"] = json!(c.to_string());
        }
        map.insert("schedules".into(), json!([schedule]));
    }
    if venue.is_some() || address.is_some() || postcode.is_some() {
        let mut location = json!({"id": id(), "location_type": "physical"});
        if let Some(v) = &venue {
            location["name"] = json!(v);
        }
        if let Some(p) = place {
            location["latitude"] = json!(p.lat());
            location["longitude"] = json!(p.lon());
        }
        if address.is_some() || postcode.is_some() {
            location["addresses"] = json!([{
                "id": id(),
                "address_1": address.clone().unwrap_or_default(),
                "city": "",
                "state_province": "",
                "postal_code": postcode.as_ref().map(ToString::to_string).unwrap_or_default(),
                "country": "GB",
                "address_type": "physical",
            }]);
        }
        map.insert(
            "service_at_locations".into(),
            json!([{"id": id(), "location": location}]),
        );
    }
    if let Some(options) = cost_options(
        free,
        cost.as_deref(),
        &mut std::iter::from_fn(|| Some(id())),
    ) {
        map.insert("cost_options".into(), options);
    }
    let mut attributes = Vec::new();
    if let Some(c) = category {
        attributes.push(json!({"id": id(), "taxonomy_term_id": c.id}));
    }
    if let Some(k) = kind {
        attributes.push(json!({"id": id(), "taxonomy_term_id": k.term_id()}));
    }
    if form.lived_led {
        attributes.push(json!({"id": id(), "taxonomy_term_id": LIVED_EXPERIENCE_LED_TERM_ID}));
    }
    let more = communities
        .iter()
        .map(|c| c.term_id())
        .chain(access.iter().map(|a| a.term_id()))
        .chain(space.map(|s| s.term_id()));
    for term in more {
        attributes.push(json!({"id": id(), "taxonomy_term_id": term}));
    }
    if !attributes.is_empty() {
        map.insert("attributes".into(), json!(attributes));
    }
    Ok(crate::directory::oruk::without_empty_fields(record))
}
