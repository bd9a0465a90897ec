//! What a change altered, in words, for the review and the public history.

use super::*;

/// What differs between two versions of a record, field by field, for people to read:
/// (what, before, after). Nested parts are compared whole and named plainly.
pub fn differences(before: Option<&Value>, after: &Value) -> Vec<(String, String, String)> {
    const NAMES: [(&str, &str); 12] = [
        ("name", "Name"),
        ("description", "What happens"),
        ("email", "Email"),
        ("url", "Website"),
        ("status", "Status"),
        ("minimum_age", "Youngest age"),
        ("maximum_age", "Oldest age"),
        ("organization", "Who runs it"),
        ("schedules", "When"),
        ("service_at_locations", "Where"),
        ("cost_options", "Cost"),
        (
            "attributes",
            "Categories, kind, access, communities and space",
        ),
    ];
    let words = |v: Option<&Value>| -> String {
        match v {
            None | Some(Value::Null) => "(nothing)".into(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Object(o)) if o.contains_key("name") => o
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            Some(other) => other.to_string(),
        }
    };
    // Places in words: the name, address and postcode of each.
    let places = |v: Option<&Value>| -> String {
        let lines: Vec<String> = v
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|sal| {
                let line = place_line(&json!({"service_at_locations": [sal]}));
                [line.venue, line.address, line.postcode]
                    .into_iter()
                    .filter(|part| !part.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .filter(|line| !line.is_empty())
            .collect();
        if lines.is_empty() {
            words(v)
        } else {
            lines.join("; ")
        }
    };
    NAMES
        .iter()
        .filter_map(|(key, label)| {
            let old = before.and_then(|b| b.get(*key));
            let new = after.get(*key);
            let said = |v: Option<&Value>| match *key {
                "service_at_locations" => places(v),
                "schedules" => schedules_words(v),
                "attributes" => attributes_words(v),
                "cost_options" => match v {
                    None | Some(Value::Null) => "(nothing)".into(),
                    Some(options) => cost_words(&json!({ "cost_options": options })),
                },
                _ => words(v),
            };
            (old != new).then(|| (label.to_string(), said(old), said(new)))
        })
        .collect()
}
