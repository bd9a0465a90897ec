//! One service's rows assembled into a whole ORUK record, each field traced to its file and line.

use super::*;

/// Where each part of an assembled record came from, so a problem found in the record can be
/// reported at its file, line and column.
#[derive(Default)]
pub(super) struct Sources(pub(super) Vec<(String, String, u64)>);

impl Sources {
    pub(super) fn add(&mut self, path: String, row: &Row) {
        self.0.push((path, row.file.clone(), row.line));
    }

    pub(super) fn locate(&self, path: &str, message: String) -> Reported {
        let best = self
            .0
            .iter()
            .filter(|(p, ..)| {
                path == p
                    || (path.starts_with(p.as_str())
                        && matches!(path.as_bytes().get(p.len()), Some(b'.') | Some(b'[')))
            })
            .max_by_key(|(p, ..)| p.len());
        match best {
            Some((p, file, line)) => {
                let rest = &path[p.len()..];
                let column = rest
                    .strip_prefix('.')
                    .map(|r| r.split(['.', '[']).next().unwrap_or(r));
                Reported {
                    file: file.clone(),
                    path: match column {
                        Some(c) if !c.is_empty() => format!("line {line}, column {c}"),
                        _ => format!("line {line}"),
                    },
                    message,
                }
            }
            None => Reported {
                file: String::new(),
                path: path.to_string(),
                message,
            },
        }
    }
}

/// Attributes that tie taxonomy terms to the row with `id`.
pub(super) fn attributes_for(
    tables: &Tables,
    id: &str,
    at: &str,
    sources: &mut Sources,
    problems: &mut Vec<Reported>,
) -> Vec<Value> {
    let mut out = Vec::new();
    for a in tables.linked("attributes", "link_id", id) {
        let mut attribute = a.fields.clone();
        match a.link("taxonomy_term_id") {
            Some(term_id) => match tables.by_id("taxonomy_terms", term_id) {
                Some(term) => {
                    attribute.insert("taxonomy_term".into(), Value::Object(term.fields.clone()));
                    sources.add(format!("{at}[{}].taxonomy_term", out.len()), term);
                }
                None => {
                    problems.push(a.at(
                        Some("taxonomy_term_id"),
                        format!("there is no taxonomy term {term_id} in taxonomy_terms.csv"),
                    ));
                    continue;
                }
            },
            None => {
                problems.push(a.at(
                    Some("taxonomy_term_id"),
                    "an attribute needs the taxonomy term it gives".into(),
                ));
                continue;
            }
        }
        sources.add(format!("{at}[{}]", out.len()), a);
        out.push(Value::Object(attribute));
    }
    out
}

pub(super) fn put_list(record: &mut Map<String, Value>, key: &str, items: Vec<Value>) {
    if !items.is_empty() {
        record.insert(key.into(), Value::Array(items));
    }
}

/// One service row with everything that belongs to it.
pub(super) fn assemble(
    tables: &Tables,
    service: &Row,
    problems: &mut Vec<Reported>,
) -> (Value, Sources) {
    let mut sources = Sources::default();
    sources.add("$".into(), service);
    let mut record = service.fields.clone();
    let id = service.id().unwrap_or_default();

    if let Some(org_id) = service.link("organization_id") {
        match tables.by_id("organizations", org_id) {
            Some(org) => {
                sources.add("$.organization".into(), org);
                let mut organization = org.fields.clone();
                let identifiers: Vec<Value> = tables
                    .linked("organization_identifiers", "organization_id", org_id)
                    .into_iter()
                    .enumerate()
                    .map(|(i, row)| {
                        sources.add(format!("$.organization.organization_identifiers[{i}]"), row);
                        Value::Object(row.fields.clone())
                    })
                    .collect();
                put_list(&mut organization, "organization_identifiers", identifiers);
                let attributes = attributes_for(
                    tables,
                    org_id,
                    "$.organization.attributes",
                    &mut sources,
                    problems,
                );
                put_list(&mut organization, "attributes", attributes);
                record.insert("organization".into(), Value::Object(organization));
            }
            None => problems.push(service.at(
                Some("organization_id"),
                format!("there is no organisation {org_id} in organizations.csv"),
            )),
        }
    }

    let mut simple = |table: &'static str, key: &str, record: &mut Map<String, Value>| {
        let items: Vec<Value> = tables
            .linked(table, "service_id", id)
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                sources.add(format!("$.{key}[{i}]"), row);
                Value::Object(row.fields.clone())
            })
            .collect();
        put_list(record, key, items);
    };
    simple("service_areas", "service_areas", &mut record);
    simple("languages", "languages", &mut record);
    simple("funding", "funding", &mut record);
    simple("cost_options", "cost_options", &mut record);

    // Schedules: the service's own, and those given for one of its places.
    let places = tables.linked("service_at_locations", "service_id", id);
    let place_ids: Vec<&str> = places.iter().filter_map(|p| p.id()).collect();
    let schedules: Vec<Value> = tables
        .rows("schedules")
        .iter()
        .filter(|s| match s.link("service_id") {
            Some(sid) => sid == id,
            None => s
                .link("service_at_location_id")
                .is_some_and(|sal| place_ids.contains(&sal)),
        })
        .enumerate()
        .map(|(i, row)| {
            sources.add(format!("$.schedules[{i}]"), row);
            Value::Object(row.fields.clone())
        })
        .collect();
    put_list(&mut record, "schedules", schedules);

    let mut at_locations = Vec::new();
    for place in places {
        let i = at_locations.len();
        let mut entry = place.fields.clone();
        sources.add(format!("$.service_at_locations[{i}]"), place);
        if let Some(location_id) = place.link("location_id") {
            match tables.by_id("locations", location_id) {
                Some(loc) => {
                    let at = format!("$.service_at_locations[{i}].location");
                    sources.add(at.clone(), loc);
                    let mut location = loc.fields.clone();
                    for (table, key) in [
                        ("addresses", "addresses"),
                        ("accessibility", "accessibility"),
                    ] {
                        let items: Vec<Value> = tables
                            .linked(table, "location_id", location_id)
                            .into_iter()
                            .enumerate()
                            .map(|(j, row)| {
                                sources.add(format!("{at}.{key}[{j}]"), row);
                                Value::Object(row.fields.clone())
                            })
                            .collect();
                        put_list(&mut location, key, items);
                    }
                    let attributes = attributes_for(
                        tables,
                        location_id,
                        &format!("{at}.attributes"),
                        &mut sources,
                        problems,
                    );
                    put_list(&mut location, "attributes", attributes);
                    entry.insert("location".into(), Value::Object(location));
                }
                None => {
                    problems.push(place.at(
                        Some("location_id"),
                        format!("there is no location {location_id} in locations.csv"),
                    ));
                    continue;
                }
            }
        }
        at_locations.push(Value::Object(entry));
    }
    put_list(&mut record, "service_at_locations", at_locations);

    let mut contacts = Vec::new();
    for row in tables.linked("contacts", "service_id", id) {
        let i = contacts.len();
        sources.add(format!("$.contacts[{i}]"), row);
        let mut contact = row.fields.clone();
        if let Some(contact_id) = row.id() {
            let attributes = attributes_for(
                tables,
                contact_id,
                &format!("$.contacts[{i}].attributes"),
                &mut sources,
                problems,
            );
            put_list(&mut contact, "attributes", attributes);
        }
        contacts.push(Value::Object(contact));
    }
    put_list(&mut record, "contacts", contacts);

    let attributes = attributes_for(tables, id, "$.attributes", &mut sources, problems);
    put_list(&mut record, "attributes", attributes);

    (Value::Object(record), sources)
}
