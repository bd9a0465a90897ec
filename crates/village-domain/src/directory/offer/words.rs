//! An offer's parts in the words pages use: what it costs, when it happens, what it is.

use super::*;
use crate::directory::schedule::Schedule;
use crate::directory::taxonomy::term_label;

/// What an offer costs, as pages say it: "Free", the cost in words, or "Ask about cost".
pub fn cost_words(record: &Value) -> String {
    let options = record.get("cost_options").and_then(Value::as_array);
    let Some(options) = options.filter(|o| !o.is_empty()) else {
        return "Ask about cost".into();
    };
    let all_free = options
        .iter()
        .all(|o| o.get("amount").and_then(Value::as_f64) == Some(0.0));
    if all_free {
        return "Free".into();
    }
    options
        .iter()
        .map(|o| {
            o.get("amount_description")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| {
                    o.get("amount")
                        .and_then(Value::as_f64)
                        .map(|a| format!("£{a:.2}"))
                })
                .unwrap_or_else(|| "Ask about cost".into())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A list of ORUK schedules in words, one per schedule ("Thursdays 2pm to 3:30pm"), or what
/// a schedule says in words when it names no days.
pub fn schedules_words(schedules: Option<&Value>) -> String {
    let text = |s: &Value, key: &str| s.get(key).and_then(Value::as_str).map(str::to_string);
    let lines: Vec<String> = schedules
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let read = Schedule::from_oruk(
                text(s, "freq").as_deref(),
                text(s, "byday").as_deref(),
                text(s, "opens_at").as_deref(),
                text(s, "closes_at").as_deref(),
            );
            match read {
                Ok(Some(schedule)) => Some(schedule.words()),
                _ => text(s, "description").filter(|d| !d.trim().is_empty()),
            }
        })
        .collect();
    if lines.is_empty() {
        "(nothing)".into()
    } else {
        lines.join("; ")
    }
}

/// A list of ORUK attributes in words: each term Village knows by its name ("Arts and making,
/// Step-free access"); terms from other taxonomies by the name the record gives them.
pub fn attributes_words(attributes: Option<&Value>) -> String {
    let names: Vec<String> = attributes
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| {
            attribute_term(a)
                .and_then(term_label)
                .map(str::to_string)
                .or_else(|| {
                    a.pointer("/taxonomy_term/name")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
        })
        .collect();
    if names.is_empty() {
        "(nothing)".into()
    } else {
        names.join(", ")
    }
}
