//! The taxonomy terms an offer carries (communities, access, space), read and replaced.

use super::*;

/// The term id an attribute gives, however it is written.
pub fn attribute_term(a: &Value) -> Option<&str> {
    a.get("taxonomy_term_id")
        .and_then(Value::as_str)
        .or_else(|| a.pointer("/taxonomy_term/id").and_then(Value::as_str))
}

/// Codes as typed, each checked; unknown ones are named.
pub(super) fn coded<T>(
    given: &[String],
    parse: fn(&str) -> Option<T>,
    field: &'static str,
    what: &str,
    problems: &mut Vec<FieldError>,
) -> Vec<T> {
    let mut out = Vec::new();
    for code in given {
        match parse(code) {
            Some(t) => out.push(t),
            None => problems.push(FieldError::new(
                field,
                ErrorCode::Unknown,
                format!("{code:?} is not one of the {what} on the list"),
            )),
        }
    }
    out
}

/// Replace the attributes whose terms are in `family` with `terms`, keeping the rest.
pub(super) fn replace_terms(
    record: &mut Map<String, Value>,
    family: &dyn Fn(&str) -> bool,
    terms: &[&str],
    ids: &mut dyn Iterator<Item = String>,
) {
    let mut attributes: Vec<Value> = record
        .get("attributes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let keep: Vec<String> = attributes
        .iter()
        .filter_map(attribute_term)
        .filter(|t| family(t) && terms.contains(t))
        .map(str::to_string)
        .collect();
    attributes.retain(|a| attribute_term(a).is_none_or(|t| !family(t) || terms.contains(&t)));
    for t in terms {
        if !keep.iter().any(|k| k == t) {
            let id = ids.next().unwrap_or_default();
            attributes.push(json!({"id": id, "taxonomy_term_id": t}));
        }
    }
    if attributes.is_empty() {
        record.remove("attributes");
    } else {
        record.insert("attributes".into(), Value::Array(attributes));
    }
}
