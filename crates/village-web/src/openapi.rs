//! The OpenAPI document of the JSON API: each operation's own annotation, then two passes that
//! make it say what the server really does.
//!
//! - [`with_shared_answers`]: the answers the shell gives for every operation (a body that is
//!   not JSON, a parameter or id that cannot be read), which no handler lists itself.
//! - [`with_limits`]: the limits the server checks on what is sent (a required text that is
//!   blank, a text that is too long, a word from a fixed list, a number out of range, no NUL
//!   anywhere), so a client that keeps to the document is not refused for the shape of what it
//!   sends. The limits come from the constants the checks use. Refusals that depend on what
//!   the hub holds (an id that is not there, a round's own bid limit, the person's password)
//!   or on another field cannot be said in a schema: `contract/hooks.py` lists them.
//!
//! Schemathesis checks the result against the running server in the test command
//! (`scripts/contract`).

use serde_json::{json, Map, Value};
use village_domain::audit::AuditAction;
use village_domain::connections::checkin::Moment;
use village_domain::decisions::budget::{Method, Phase, MAX_POT_PENCE};
use village_domain::decisions::proposal::{
    CommentKind, LivedRule, Progress, Stance, MAX_REASON_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS,
};
use village_domain::directory::offer::{MAX_TIMES, WEEKS};
use village_domain::directory::schedule::Weekday;
use village_domain::directory::taxonomy::{Access, Community, Space};
use village_domain::gatherings::gathering::AccessFact as GatheringAccessFact;
use village_domain::gatherings::gathering::Repeats as GatheringRepeats;
use village_domain::gatherings::places::Need as GatheringNeed;
use village_domain::mutual_aid::post::{
    self as help_post, Category as HelpCategory, Kind as HelpKind, Urgency as HelpUrgency,
};
use village_domain::people::circle::Ring;
use village_domain::people::profile::{Section, Visibility};
use village_domain::stories::story::{
    Audience as StoryAudience, Decision as StoryDecision, Rule as StoryRule, ToldBy,
};

/// No NUL (U+0000) anywhere: PostgreSQL cannot keep it, and every body holding one is refused.
const NO_NUL: &str = "^[^\\u0000]*$";
/// The characters the server trims from text (Rust's `char::is_whitespace`), as ranges, spelt
/// out in the patterns so every regular-expression engine reads the class the same way.
const SPACE: [(u32, u32); 10] = [
    (0x09, 0x0d),
    (0x20, 0x20),
    (0x85, 0x85),
    (0xa0, 0xa0),
    (0x1680, 0x1680),
    (0x2000, 0x200a),
    (0x2028, 0x2029),
    (0x202f, 0x202f),
    (0x205f, 0x205f),
    (0x3000, 0x3000),
];

/// [`SPACE`] inside a character class: `\u0009-\u000d\u0020…`.
fn space_class() -> String {
    SPACE
        .iter()
        .map(|(a, b)| {
            if a == b {
                format!("\\u{a:04x}")
            } else {
                format!("\\u{a:04x}-\\u{b:04x}")
            }
        })
        .collect()
}
/// A time of day as the hub reads it, `HH:MM` (the document gives the plain form).
const CLOCK: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
/// A UK postcode, whole or its first part, as `Postcode::parse` takes it.
const POSTCODE: &str = "^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?( ?[0-9][A-Za-z]{2})?$";
/// An email address the hub takes (`Email::parse` takes more; this is the plain form).
const EMAIL: &str = "^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63})+$";

/// What the server checks on one property of a request body.
enum Rule {
    /// Text a person types: trimmed, refused when blank if `required`, at most `max`
    /// characters.
    Text { required: bool, max: usize },
    /// One word from a fixed list.
    OneOf(Vec<&'static str>),
    /// A whole number from `min` to `max`.
    Whole { min: i64, max: i64 },
    /// A number from `min` to `max`.
    Number { min: f64, max: f64 },
    /// Text matching a pattern, at most `max` characters.
    Like { pattern: &'static str, max: usize },
    /// A list of at most `max` items, each following `each`.
    Each { max: usize, each: Box<Rule> },
    /// A whole schema, as it is.
    Schema(Value),
}

fn text(required: bool, max: usize) -> Rule {
    Rule::Text { required, max }
}

fn one_of<T: Copy + 'static>(all: &[T], code: fn(T) -> &'static str) -> Rule {
    Rule::OneOf(all.iter().map(|v| code(*v)).collect())
}

/// A list of codes from a fixed list (empty allowed).
fn codes<T: Copy + 'static>(all: &[T], code: fn(T) -> &'static str) -> Rule {
    Rule::Each {
        max: all.len(),
        each: Box::new(one_of(all, code)),
    }
}

mod limits;
use limits::{limits, parameter_limits, profile_body};

/// Add the limits to the document's request schemas. Returns the limits that name a schema or
/// property the document does not have (a test checks there are none).
pub fn with_limits(doc: &mut Value) -> Vec<String> {
    let mut missing = Vec::new();
    let profile = profile_body();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for path in ["/api/v1/me/profile", "/api/v1/people/{id}/profile"] {
            match paths
                .get_mut(path)
                .and_then(|p| p.pointer_mut("/put/requestBody/content/application~1json"))
            {
                Some(content) => {
                    content["schema"] = json!({"$ref": "#/components/schemas/ProfileBody"});
                }
                None => missing.push(format!("PUT {path}")),
            }
        }
    }
    for (path, name, rule) in parameter_limits() {
        let parameter = doc
            .pointer_mut(&format!(
                "/paths/{}/get/parameters",
                path.replace('/', "~1")
            ))
            .and_then(Value::as_array_mut)
            .and_then(|ps| {
                ps.iter_mut()
                    .find(|p| p["name"] == name && p["in"] == "query")
            });
        match parameter {
            Some(p) => apply(&mut p["schema"], &rule),
            None => missing.push(format!("GET {path}?{name}")),
        }
    }
    // Request schemas made of parts become one object first, so limits and "no other
    // properties" apply to the whole.
    let parted = request_schemas(doc);
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return vec!["components.schemas".into()];
    };
    schemas.insert("ProfileBody".into(), profile);
    for name in &parted {
        flatten_all_of(schemas, name);
    }
    // A body schema an answer uses too gets a copy for requests (`…Input`), so what is said
    // about sending it does not change what the answers promise.
    let response = response_schemas(doc);
    let shared = separate_inputs(doc, &response);
    let request = request_schemas(doc);
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return vec!["components.schemas".into()];
    };
    for (schema, property, rule) in limits() {
        let schema = if shared.iter().any(|s| s == schema) {
            format!("{schema}Input")
        } else {
            schema.to_string()
        };
        if response.contains(&schema) {
            missing.push(format!("{schema} (an answer uses it too)"));
            continue;
        }
        match property_mut(schemas, &schema, property) {
            Some(target) => apply(target, &rule),
            None => missing.push(format!("{schema}.{property}")),
        }
    }
    for name in request.iter().filter(|n| !response.contains(n)) {
        if let Some(schema) = schemas.get_mut(name) {
            closed(schema);
            no_nul(schema);
        }
    }
    missing
}

/// Point every request body that uses a schema an answer also uses at a copy of it,
/// `<name>Input`. Returns the names copied.
fn separate_inputs(doc: &mut Value, response: &[String]) -> Vec<String> {
    let mut copied: Vec<String> = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut() {
                let Some(schema) = op
                    .pointer_mut("/requestBody/content/application~1json/schema")
                    .and_then(Value::as_object_mut)
                else {
                    continue;
                };
                let Some(name) = schema
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .map(str::to_string)
                else {
                    continue;
                };
                if response.contains(&name) {
                    schema.insert(
                        "$ref".into(),
                        json!(format!("#/components/schemas/{name}Input")),
                    );
                    if !copied.contains(&name) {
                        copied.push(name);
                    }
                }
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for name in &copied {
            if let Some(schema) = schemas.get(name).cloned() {
                schemas.insert(format!("{name}Input"), schema);
            }
        }
    }
    copied
}

/// A request schema made of parts (`allOf`, from `#[serde(flatten)]`) as one object, so it can
/// say which properties it takes.
fn flatten_all_of(schemas: &mut Map<String, Value>, name: &str) {
    let Some(parts) = schemas
        .get(name)
        .and_then(|s| s.get("allOf"))
        .and_then(Value::as_array)
        .cloned()
    else {
        return;
    };
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    for part in parts {
        let part = match part
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            Some(other) => schemas.get(other).cloned().unwrap_or_default(),
            None => part,
        };
        if let Some(p) = part.get("properties").and_then(Value::as_object) {
            properties.extend(p.clone());
        }
        if let Some(r) = part.get("required").and_then(Value::as_array) {
            required.extend(r.iter().cloned());
        }
    }
    if let Some(schema) = schemas.get_mut(name).and_then(Value::as_object_mut) {
        schema.remove("allOf");
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        schema.insert("required".into(), Value::Array(required));
    }
}

/// A request object with named properties takes only those: the server ignores others, and
/// the document does not offer them.
fn closed(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for (key, value) in map.iter_mut() {
                if key != "enum" && key != "const" && key != "properties" {
                    closed(value);
                }
            }
            if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
                properties.values_mut().for_each(closed);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(closed),
        _ => {}
    }
}

/// The property `property` of component `schema`, looking inside `allOf`.
fn property_mut<'a>(
    schemas: &'a mut Map<String, Value>,
    schema: &str,
    property: &str,
) -> Option<&'a mut Value> {
    let schema = schemas.get_mut(schema)?;
    if schema.pointer(&format!("/properties/{property}")).is_some() {
        return schema.pointer_mut(&format!("/properties/{property}"));
    }
    schema
        .get_mut("allOf")?
        .as_array_mut()?
        .iter_mut()
        .find_map(|part| part.get_mut("properties")?.get_mut(property))
}

fn apply(target: &mut Value, rule: &Rule) {
    let nullable = target
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|t| t.iter().any(|t| t == "null"));
    let description = target.get("description").cloned();
    let mut schema = match rule {
        Rule::Text { required, max } => {
            let mut s = json!({"type": "string", "maxLength": max});
            s["pattern"] = json!(NO_NUL);
            if *required {
                // Not only spaces: said as `not` rather than in the pattern, which generators
                // then make quickly even for long texts.
                s["minLength"] = json!(1);
                s["not"] = json!({"pattern": format!("^[{}]*$", space_class())});
            }
            s
        }
        Rule::OneOf(words) => json!({"type": "string", "enum": words}),
        Rule::Whole { min, max } => {
            json!({"type": "integer", "format": "int64", "minimum": min, "maximum": max})
        }
        Rule::Number { min, max } => json!({"type": "number", "minimum": min, "maximum": max}),
        Rule::Like { pattern, max } => {
            json!({"type": "string", "pattern": pattern, "maxLength": max})
        }
        Rule::Each { max, each } => {
            let mut item = json!({});
            apply(&mut item, each);
            json!({"type": "array", "maxItems": max, "items": item})
        }
        Rule::Schema(s) => s.clone(),
    };
    if nullable {
        if let Some(t) = schema.get("type").and_then(Value::as_str) {
            schema["type"] = json!([t, "null"]);
            if let Some(words) = schema.get_mut("enum").and_then(Value::as_array_mut) {
                words.push(Value::Null);
            }
        }
    }
    if let Some(d) = description {
        schema["description"] = d;
    }
    *target = schema;
}

/// The component schemas a request body uses, directly or through another schema.
fn request_schemas(doc: &Value) -> Vec<String> {
    schemas_under(doc, "requestBody")
}

/// The component schemas an answer uses, directly or through another schema.
fn response_schemas(doc: &Value) -> Vec<String> {
    schemas_under(doc, "responses")
}

/// The component schemas every operation's `part` uses, directly or through another schema.
fn schemas_under(doc: &Value, part: &str) -> Vec<String> {
    let mut todo: Vec<String> = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            for op in item.values() {
                if let Some(found) = op.get(part) {
                    collect_refs(found, &mut todo);
                }
            }
        }
    }
    reachable(doc, todo)
}

/// `start` and every component schema they refer to, transitively.
fn reachable(doc: &Value, mut todo: Vec<String>) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    while let Some(name) = todo.pop() {
        if found.contains(&name) {
            continue;
        }
        if let Some(schema) = doc.pointer(&format!("/components/schemas/{name}")) {
            collect_refs(schema, &mut todo);
        }
        found.push(name);
    }
    found
}

fn collect_refs(v: &Value, into: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                into.push(name.to_string());
            }
            map.values().for_each(|v| collect_refs(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

/// Say, on every text and every object key of a request schema, that a NUL is refused.
fn no_nul(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let types: Vec<String> = match map.get("type") {
                Some(Value::String(t)) => vec![t.clone()],
                Some(Value::Array(ts)) => ts
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            };
            let free_text = types.iter().any(|t| t == "string")
                && !["pattern", "enum", "format", "const"]
                    .iter()
                    .any(|k| map.contains_key(*k));
            if free_text {
                map.insert("pattern".into(), json!(NO_NUL));
            }
            let open_object = types.iter().any(|t| t == "object")
                && !map.contains_key("propertyNames")
                && map.get("additionalProperties") != Some(&Value::Bool(false));
            if open_object {
                map.insert("propertyNames".into(), json!({"pattern": NO_NUL}));
            }
            for (key, value) in map.iter_mut() {
                if key != "enum" && key != "const" {
                    no_nul(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(no_nul),
        _ => {}
    }
}

/// The answers every operation can give that its own annotation does not list, because the
/// shell gives them: a JSON body that is not sent as JSON (415 `json_required`), cannot be
/// read (400 `json_malformed`, `body_unreadable`) or does not fit (422 `json_invalid`, and
/// `text_invalid` for a NUL character), a query parameter that cannot be read (400
/// `invalid_parameter`), an id in the path that cannot be one (404 `not_found`).
pub fn with_shared_answers(doc: &mut Value) {
    let answer = |words: &str| {
        json!({"description": words, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ErrorBody"}}}})
    };
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for (method, op) in item.iter_mut() {
            if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            let params: Vec<String> = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .filter_map(|p| p.get("in").and_then(Value::as_str))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let in_path = params.iter().any(|p| p == "path");
            let in_query = params.iter().any(|p| p == "query");
            let body = op.get("requestBody").is_some();
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            if body {
                responses
                    .entry("415")
                    .or_insert_with(|| answer("The body was not sent as JSON (`json_required`)."));
                responses.entry("422").or_insert_with(|| {
                    answer("The body is JSON of the wrong shape (`json_invalid`), or a text in it holds a NUL character (`text_invalid`, naming where in `field`).")
                });
            }
            if body || in_query {
                responses.entry("400").or_insert_with(|| {
                    answer("The body or a query parameter cannot be read (`json_malformed`, `body_unreadable`, `invalid_parameter` naming the parameter in `field`).")
                });
            }
            if in_path {
                responses.entry("404").or_insert_with(|| {
                    answer("Nothing has that id, or the id cannot be one (`not_found`).")
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_names_a_property_the_document_has() {
        let mut doc = serde_json::to_value(crate::router::api_document()).unwrap();
        assert_eq!(with_limits(&mut doc), Vec::<String>::new());
    }

    #[test]
    fn the_space_class_is_what_the_server_trims() {
        // Every character Rust trims is in the class, and no other.
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            let in_class = SPACE.iter().any(|(a, b)| (*a..=*b).contains(&(c as u32)));
            assert_eq!(c.is_whitespace(), in_class, "{:#x}", c as u32);
        }
        assert!(space_class().starts_with("\\u0009-\\u000d\\u0020"));
    }
}
