//! A change to an offer, applied to its whole record.

use super::*;

/// A suggested change to the simple fields of an offer, as typed. Everything else in the
/// record is kept exactly as it is.
#[derive(Debug, Clone, Default)]
pub struct ChangeForm {
    pub name: String,
    pub description: String,
    pub email: String,
    pub url: String,
    /// Whether it has space now (`has_space`, `waiting_list`, or empty for not saying);
    /// `None` keeps what the offer says.
    pub space: Option<String>,
    /// Codes of the communities it is especially for; `None` keeps them.
    pub communities: Option<Vec<String>>,
    /// Access codes; `None` keeps them.
    pub access: Option<Vec<String>>,
    /// When it happens, one line per day; `None` keeps the times. Blank lines are left out.
    pub times: Option<Vec<TimeLine>>,
    /// What it costs; `None` keeps it.
    pub cost: Option<CostLine>,
    /// Where it happens (its first place); `None` keeps it. All blank: it has no place.
    pub place: Option<PlaceLine>,
    /// Where the typed postcode is, if the hub knows it (the caller looks it up): a place
    /// whose postcode changed gets these coordinates, or none if it is not known, so it is not
    /// found near where it used to be.
    pub place_centre: Option<LatLon>,
}

/// Apply a change to `current`. `ids` gives fresh UUIDs for any new attributes.
pub fn apply_change(
    current: &Value,
    form: &ChangeForm,
    ids: &mut dyn Iterator<Item = String>,
    now: &str,
) -> Result<Value, Vec<FieldError>> {
    let mut problems = Vec::new();
    let name = required(&form.name, "name", "the name", 120, &mut problems);
    let description = required(
        &form.description,
        "description",
        "what happens there",
        2000,
        &mut problems,
    );
    let email = match form.email.trim() {
        "" => None,
        e => Email::parse(e).map_err(|err| problems.push(err)).ok(),
    };
    let url = optional(&form.url, "url", "the web address", 300, &mut problems);
    if let Some(u) = &url {
        if !(u.starts_with("https://") || u.starts_with("http://"))
            || u.contains(char::is_whitespace)
        {
            problems.push(FieldError::new(
                "url",
                ErrorCode::Invalid,
                "Enter a web address starting with https://",
            ));
        }
    }
    let space = match form.space.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(code) => match Space::parse(code) {
            Some(sp) => Some(Some(sp)),
            None => {
                problems.push(FieldError::new(
                    "space",
                    ErrorCode::Unknown,
                    "Choose whether it has space now or a waiting list",
                ));
                None
            }
        },
    };
    let communities = form.communities.as_ref().map(|given| {
        coded(
            given,
            Community::parse,
            "communities",
            "communities",
            &mut problems,
        )
    });
    let access = form.access.as_ref().map(|given| {
        coded(
            given,
            Access::parse,
            "access",
            "kinds of access",
            &mut problems,
        )
    });
    let times = form
        .times
        .as_ref()
        .map(|lines| checked_times(lines, &mut problems));
    let cost = form.cost.as_ref().map(|c| {
        let free = match c.free.trim() {
            "yes" => Some(true),
            "no" => Some(false),
            "" => None,
            _ => {
                problems.push(FieldError::new(
                    "free",
                    ErrorCode::Unknown,
                    "Choose whether it is free",
                ));
                None
            }
        };
        let words = optional(&c.description, "cost", "the cost", 200, &mut problems);
        (free, words)
    });
    let place = form.place.as_ref().map(|p| {
        let venue = optional(&p.venue, "venue", "the place name", 120, &mut problems);
        let address = optional(&p.address, "address", "the address", 200, &mut problems);
        let postcode = match p.postcode.trim() {
            "" => None,
            typed => Postcode::parse(typed)
                .map_err(|why| problems.push(FieldError::new("postcode", ErrorCode::Invalid, why)))
                .ok(),
        };
        (venue, address, postcode)
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut record: Map<String, Value> = current.as_object().cloned().unwrap_or_default();
    // The place is written again only when it changed, like the times and cost below.
    if let Some((venue, address, postcode)) = place {
        let typed = PlaceLine {
            venue: venue.clone().unwrap_or_default(),
            address: address.clone().unwrap_or_default(),
            postcode: postcode
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        };
        let now_line = place_line(current);
        let same = typed.venue == now_line.venue
            && typed.address == now_line.address
            && same_postcode(&typed.postcode, &now_line.postcode);
        if !same {
            replace_place(
                &mut record,
                venue.as_deref(),
                address.as_deref(),
                postcode.as_ref(),
                form.place_centre,
                ids,
            );
        }
    }
    // Times and cost are written again only when they changed, so a record's own shape
    // (times kept per place, several cost options) stays as it was otherwise.
    if let Some(times) = times {
        let now_lines: Vec<TimeLine> = times.iter().map(|(l, _)| l.clone()).collect();
        if now_lines != time_lines(current) {
            replace_times(&mut record, &times, ids);
        }
    }
    if let Some((free, words)) = cost {
        let typed = CostLine {
            free: match free {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            }
            .to_string(),
            description: words.clone().unwrap_or_default(),
        };
        if typed != cost_line(current) {
            match cost_options(free, words.as_deref(), ids) {
                Some(options) => record.insert("cost_options".into(), options),
                None => record.remove("cost_options"),
            };
        }
    }
    if let Some(space) = space {
        let terms: Vec<&str> = space.iter().map(|s| s.term_id()).collect();
        replace_terms(
            &mut record,
            &|t| Space::from_term_id(t).is_some(),
            &terms,
            ids,
        );
    }
    if let Some(communities) = communities {
        let terms: Vec<&str> = communities.iter().map(|c| c.term_id()).collect();
        replace_terms(
            &mut record,
            &|t| Community::from_term_id(t).is_some(),
            &terms,
            ids,
        );
    }
    if let Some(access) = access {
        let terms: Vec<&str> = access.iter().map(|a| a.term_id()).collect();
        replace_terms(
            &mut record,
            &|t| Access::from_term_id(t).is_some(),
            &terms,
            ids,
        );
    }
    record.insert("name".into(), json!(name));
    record.insert("description".into(), json!(description));
    match email {
        Some(e) => record.insert("email".into(), json!(e.as_str())),
        None => record.remove("email"),
    };
    match url {
        Some(u) => record.insert("url".into(), json!(u)),
        None => record.remove("url"),
    };
    record.insert("last_modified".into(), json!(now));
    Ok(Value::Object(record))
}
