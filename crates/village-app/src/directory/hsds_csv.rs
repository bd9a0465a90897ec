//! `village import hsds-csv DIR`: the HSDS 3.0 tabular layout (one CSV file per table, as in
//! `examples/csv` of the Open Referral UK standard) assembled into whole ORUK service records,
//! which then go through exactly the checks and the single transaction of the JSON import.
//!
//! Which columns a table may have, and which are numbers, is read from the ORUK service schema
//! itself, so the CSV and JSON imports cannot disagree. Columns that only link a row to its
//! parent (`service_id`, `location_id`, `link_id` …) are used to assemble the record and then
//! left out of it, as the standard's own `service_full.json` does. Every problem names the
//! file, the line (as a spreadsheet shows it, the header being line 1) and the column.

use super::import::{service_schema_value, Collector, ImportReport, Reported};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use village_store::Store;

/// One table: which files may hold it (either spelling), and where its object sits in the
/// ORUK service schema (`None`: not part of a UK service record).
struct TableSpec {
    name: &'static str,
    files: &'static [&'static str],
    schema_at: Option<&'static str>,
}

const LOCATION: &str = "/properties/service_at_locations/items/properties/location";

const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "services",
        files: &["services.csv", "service.csv"],
        schema_at: Some(""),
    },
    TableSpec {
        name: "organizations",
        files: &["organizations.csv", "organization.csv"],
        schema_at: Some("/properties/organization"),
    },
    TableSpec {
        name: "organization_identifiers",
        files: &["organization_identifiers.csv", "organization_identifier.csv"],
        schema_at: Some("/properties/organization/properties/organization_identifiers/items"),
    },
    TableSpec {
        name: "service_at_locations",
        files: &["service_at_locations.csv", "service_at_location.csv"],
        schema_at: Some("/properties/service_at_locations/items"),
    },
    TableSpec {
        name: "locations",
        files: &["locations.csv", "location.csv"],
        schema_at: Some(LOCATION),
    },
    TableSpec {
        name: "addresses",
        files: &["addresses.csv", "address.csv"],
        schema_at: Some(
            "/properties/service_at_locations/items/properties/location/properties/addresses/items",
        ),
    },
    TableSpec {
        name: "accessibility",
        files: &["accessibility.csv", "accessibilities.csv"],
        schema_at: Some(
            "/properties/service_at_locations/items/properties/location/properties/accessibility/items",
        ),
    },
    TableSpec {
        name: "schedules",
        files: &["schedules.csv", "schedule.csv"],
        schema_at: Some("/properties/schedules/items"),
    },
    TableSpec {
        name: "service_areas",
        files: &["service_areas.csv", "service_area.csv"],
        schema_at: Some("/properties/service_areas/items"),
    },
    TableSpec {
        name: "languages",
        files: &["languages.csv", "language.csv"],
        schema_at: Some("/properties/languages/items"),
    },
    TableSpec {
        name: "funding",
        files: &["funding.csv", "fundings.csv"],
        schema_at: Some("/properties/funding/items"),
    },
    TableSpec {
        name: "cost_options",
        files: &["cost_options.csv", "cost_option.csv"],
        schema_at: Some("/properties/cost_options/items"),
    },
    TableSpec {
        name: "contacts",
        files: &["contacts.csv", "contact.csv"],
        schema_at: Some("/properties/contacts/items"),
    },
    TableSpec {
        name: "attributes",
        files: &["attributes.csv", "attribute.csv"],
        schema_at: Some("/properties/attributes/items"),
    },
    TableSpec {
        name: "taxonomy_terms",
        files: &["taxonomy_terms.csv", "taxonomy_term.csv"],
        schema_at: Some("/properties/attributes/items/properties/taxonomy_term"),
    },
    TableSpec {
        name: "taxonomies",
        files: &["taxonomies.csv", "taxonomy.csv"],
        schema_at: None,
    },
    TableSpec {
        name: "phones",
        files: &["phones.csv", "phone.csv"],
        schema_at: None,
    },
    TableSpec {
        name: "programs",
        files: &["programs.csv", "program.csv"],
        schema_at: None,
    },
    TableSpec {
        name: "required_documents",
        files: &["required_documents.csv", "required_document.csv"],
        schema_at: None,
    },
    TableSpec {
        name: "metadata",
        files: &["metadata.csv"],
        schema_at: None,
    },
    TableSpec {
        name: "meta_table_descriptions",
        files: &["meta_table_descriptions.csv", "meta_table_description.csv"],
        schema_at: None,
    },
];

/// Columns that tie a row to the record it belongs in; used to assemble, then left out.
const LINKS: &[&str] = &[
    "service_id",
    "organization_id",
    "location_id",
    "service_at_location_id",
    "link_id",
    "link_type_id",
    "taxonomy_term_id",
    "phone_id",
    "contact_id",
    "link_entity",
];

/// Tables Village reads only for their own sake (not nested in a service record).
const STANDALONE: &[&str] = &["taxonomies"];

#[derive(Debug, Clone)]
struct Row {
    file: String,
    line: u64,
    /// The columns that belong in the record, typed.
    fields: Map<String, Value>,
    /// The linking columns, as text.
    links: HashMap<String, String>,
}

impl Row {
    fn id(&self) -> Option<&str> {
        self.fields.get("id").and_then(Value::as_str)
    }

    fn link(&self, column: &str) -> Option<&str> {
        self.links.get(column).map(String::as_str)
    }

    fn at(&self, column: Option<&str>, message: String) -> Reported {
        Reported {
            file: self.file.clone(),
            path: match column {
                Some(c) => format!("line {}, column {c}", self.line),
                None => format!("line {}", self.line),
            },
            message,
        }
    }
}

/// What a column may hold, from the schema.
#[derive(Clone, Copy, PartialEq)]
enum Cell {
    Text,
    Number,
    Integer,
}

fn columns_of(schema: &Value, at: &str) -> BTreeMap<String, Cell> {
    let mut out = BTreeMap::new();
    if let Some(props) = schema
        .pointer(&format!("{at}/properties"))
        .and_then(Value::as_object)
    {
        for (name, def) in props {
            let kind = match def.get("type").and_then(Value::as_str) {
                Some("string") => Cell::Text,
                Some("number") => Cell::Number,
                Some("integer") => Cell::Integer,
                _ => continue, // nested arrays and objects come from their own tables
            };
            out.insert(name.clone(), kind);
        }
    }
    out
}

struct Tables {
    by_name: HashMap<&'static str, Vec<Row>>,
    /// (table, link column) → link value → rows, in file order.
    links: HashMap<(&'static str, &'static str), HashMap<String, Vec<usize>>>,
    /// table → id → row.
    ids: HashMap<&'static str, HashMap<String, usize>>,
}

impl Tables {
    fn new(by_name: HashMap<&'static str, Vec<Row>>) -> Self {
        let mut links: HashMap<(&'static str, &'static str), HashMap<String, Vec<usize>>> =
            HashMap::new();
        let mut ids: HashMap<&'static str, HashMap<String, usize>> = HashMap::new();
        for (table, rows) in &by_name {
            for (i, row) in rows.iter().enumerate() {
                if let Some(id) = row.id() {
                    ids.entry(table).or_default().insert(id.to_string(), i);
                }
                for column in LINKS {
                    if let Some(value) = row.link(column) {
                        links
                            .entry((table, column))
                            .or_default()
                            .entry(value.to_string())
                            .or_default()
                            .push(i);
                    }
                }
            }
        }
        Self {
            by_name,
            links,
            ids,
        }
    }

    fn rows(&self, name: &str) -> &[Row] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Rows of `table` whose `column` is `value`, in file order.
    fn linked(&self, table: &'static str, column: &'static str, value: &str) -> Vec<&Row> {
        let rows = self.rows(table);
        self.links
            .get(&(table, column))
            .and_then(|m| m.get(value))
            .map(|found| found.iter().filter_map(|i| rows.get(*i)).collect())
            .unwrap_or_default()
    }

    fn by_id(&self, table: &str, id: &str) -> Option<&Row> {
        let i = self.ids.get(table)?.get(id)?;
        self.rows(table).get(*i)
    }
}

/// Read every table in `dir`, reporting unreadable lines, bad numbers and unknown columns.
fn read_tables(dir: &Path, schema: &Value, report: &mut ImportReport) -> anyhow::Result<Tables> {
    if !dir.is_dir() {
        anyhow::bail!(
            "{} is not a folder of HSDS CSV files (services.csv, organizations.csv …)",
            dir.display()
        );
    }
    let mut by_name: HashMap<&'static str, Vec<Row>> = HashMap::new();
    for spec in TABLES {
        let columns = spec.schema_at.map(|at| columns_of(schema, at));
        let mut seen: HashMap<String, (String, u64, Row)> = HashMap::new();
        let mut rows = Vec::new();
        for name in spec.files {
            let path = dir.join(name);
            if !path.is_file() {
                continue;
            }
            report.files += 1;
            let shown = path.display().to_string();
            let mut reader = csv::ReaderBuilder::new().flexible(false).from_path(&path)?;
            let headers: Vec<String> = reader
                .headers()?
                .iter()
                .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
                .collect();
            if columns.is_none() {
                let rows_here = reader.records().count();
                if !STANDALONE.contains(&spec.name) && rows_here > 0 {
                    report.warnings.push(Reported {
                        file: shown.clone(),
                        path: "the whole file".into(),
                        message: format!(
                            "{} is not part of an Open Referral UK service record, so its {rows_here} row(s) were not imported",
                            spec.name.replace('_', " ")
                        ),
                    });
                    continue;
                }
                if !STANDALONE.contains(&spec.name) {
                    continue;
                }
                reader = csv::ReaderBuilder::new().flexible(false).from_path(&path)?;
                reader.headers()?;
            }
            if !headers.iter().any(|h| h == "id") {
                report.refused.push(Reported {
                    file: shown.clone(),
                    path: "line 1".into(),
                    message: "the first line must name an id column".into(),
                });
                continue;
            }
            for unknown in headers.iter().filter(|h| {
                !LINKS.contains(&h.as_str())
                    && columns
                        .as_ref()
                        .is_some_and(|c| !c.contains_key(h.as_str()))
            }) {
                report.warnings.push(Reported {
                    file: shown.clone(),
                    path: format!("column {unknown}"),
                    message: "not part of Open Referral UK for this table, so not imported".into(),
                });
            }
            for record in reader.records() {
                let record = match record {
                    Ok(r) => r,
                    Err(e) => {
                        let line = e.position().map(|p| p.line() + 1).unwrap_or(0);
                        report.refused.push(Reported {
                            file: shown.clone(),
                            path: format!("line {line}"),
                            message: format!("cannot be read: {e}"),
                        });
                        continue;
                    }
                };
                // The reader counts lines from 0 after the header; people count the header as 1.
                let line = record.position().map(|p| p.line() + 1).unwrap_or(0);
                let mut row = Row {
                    file: shown.clone(),
                    line,
                    fields: Map::new(),
                    links: HashMap::new(),
                };
                let mut bad = false;
                for (header, given) in headers.iter().zip(record.iter()) {
                    // Text is kept exactly as given; ids and numbers are read without spaces.
                    let cell = given.trim();
                    if cell.is_empty() {
                        continue;
                    }
                    if LINKS.contains(&header.as_str()) {
                        row.links.insert(header.clone(), cell.to_string());
                        continue;
                    }
                    let kind = match &columns {
                        None => Cell::Text,
                        Some(c) => match c.get(header.as_str()) {
                            Some(k) => *k,
                            None => continue,
                        },
                    };
                    let value = match kind {
                        Cell::Text if header == "id" => Value::String(cell.to_string()),
                        Cell::Text => Value::String(given.to_string()),
                        Cell::Number | Cell::Integer => match number(cell, kind) {
                            Some(n) => n,
                            None => {
                                report.refused.push(row.at(
                                    Some(header),
                                    format!(
                                        "{cell:?} is not {}",
                                        if kind == Cell::Integer {
                                            "a whole number"
                                        } else {
                                            "a number"
                                        }
                                    ),
                                ));
                                bad = true;
                                continue;
                            }
                        },
                    };
                    row.fields.insert(header.clone(), value);
                }
                if bad {
                    continue;
                }
                let Some(id) = row.id().map(str::to_string) else {
                    report
                        .refused
                        .push(row.at(Some("id"), "every row needs an id".into()));
                    continue;
                };
                match seen.get(&id) {
                    Some((_, _, first)) if same_row(first, &row) => {
                        // The same row given twice (both spellings of the file): once is enough.
                    }
                    Some((file, line, _)) => report.warnings.push(row.at(
                        None,
                        format!(
                            "id {id} is also at {file} line {line} with different content; kept that one"
                        ),
                    )),
                    None => {
                        seen.insert(id, (shown.clone(), line, row.clone()));
                        rows.push(row);
                    }
                }
            }
        }
        by_name.insert(spec.name, rows);
    }
    if by_name.get("services").is_none_or(Vec::is_empty) {
        report.refused.push(Reported {
            file: dir.join("services.csv").display().to_string(),
            path: "the whole file".into(),
            message: "there are no services to import (services.csv is missing or empty)".into(),
        });
    }
    Ok(Tables::new(by_name))
}

/// Whether two rows with one id say the same: the same values, and no link pointing elsewhere
/// (one file may simply carry a link column the other leaves out).
fn same_row(a: &Row, b: &Row) -> bool {
    a.fields == b.fields
        && a.links
            .iter()
            .all(|(k, v)| b.links.get(k).is_none_or(|w| w == v))
}

fn number(cell: &str, kind: Cell) -> Option<Value> {
    if let Ok(i) = cell.parse::<i64>() {
        return Some(Value::from(i));
    }
    if kind == Cell::Integer {
        return None;
    }
    cell.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
}

/// Where each part of an assembled record came from, so a problem found in the record can be
/// reported at its file, line and column.
#[derive(Default)]
struct Sources(Vec<(String, String, u64)>);

impl Sources {
    fn add(&mut self, path: String, row: &Row) {
        self.0.push((path, row.file.clone(), row.line));
    }

    fn locate(&self, path: &str, message: String) -> Reported {
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
fn attributes_for(
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

fn put_list(record: &mut Map<String, Value>, key: &str, items: Vec<Value>) {
    if !items.is_empty() {
        record.insert(key.into(), Value::Array(items));
    }
}

/// One service row with everything that belongs to it.
fn assemble(tables: &Tables, service: &Row, problems: &mut Vec<Reported>) -> (Value, Sources) {
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

/// Attributes tied to no service, organisation, location or contact are left out, with a
/// warning (the standard's own example has one).
fn loose_attributes(tables: &Tables, warnings: &mut Vec<Reported>) {
    let known = |id: &str| {
        ["services", "organizations", "locations", "contacts"]
            .iter()
            .any(|t| tables.by_id(t, id).is_some())
    };
    for a in tables.rows("attributes") {
        match a.link("link_id") {
            Some(id) if known(id) => {}
            Some(id) => warnings.push(a.at(
                Some("link_id"),
                format!("{id} is not a service, organisation, location or contact here, so this attribute was not imported"),
            )),
            None => warnings.push(a.at(
                Some("link_id"),
                "an attribute needs the link_id of what it describes; not imported".into(),
            )),
        }
    }
}

/// Rows that say they belong to a service, place or record that is not there.
fn orphans(tables: &Tables, problems: &mut Vec<Reported>) {
    let services: Vec<&str> = tables.rows("services").iter().filter_map(Row::id).collect();
    let places: Vec<&str> = tables
        .rows("service_at_locations")
        .iter()
        .filter_map(Row::id)
        .collect();
    for table in [
        "service_areas",
        "languages",
        "funding",
        "cost_options",
        "contacts",
        "service_at_locations",
        "schedules",
    ] {
        for row in tables.rows(table) {
            match (row.link("service_id"), row.link("service_at_location_id")) {
                (Some(s), _) if !services.contains(&s) => problems.push(row.at(
                    Some("service_id"),
                    format!("there is no service {s} in services.csv"),
                )),
                (None, Some(p)) if table == "schedules" && !places.contains(&p) => {
                    problems.push(row.at(
                        Some("service_at_location_id"),
                        format!("there is no service at location {p} in service_at_location.csv"),
                    ))
                }
                (None, None) if table != "schedules" => problems.push(row.at(
                    Some("service_id"),
                    format!(
                        "a row of {} needs the service_id it belongs to",
                        table.replace('_', " ")
                    ),
                )),
                _ => {}
            }
        }
    }
}

/// Read the HSDS CSV files in `dir`, check every assembled service as the JSON import does,
/// and (unless anything is refused and `skip_invalid` is off) write them in one transaction.
pub async fn import_hsds_csv(
    store_: &Store,
    dir: &Path,
    skip_invalid: bool,
    now: i64,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<ImportReport> {
    let schema = service_schema_value()?;
    let mut collector = Collector::new(skip_invalid, now)?;
    let tables = read_tables(dir, &schema, &mut collector.report)?;
    let mut problems = Vec::new();
    orphans(&tables, &mut problems);
    collector.report.refused.append(&mut problems);
    loose_attributes(&tables, &mut collector.report.warnings);
    for taxonomy in tables.rows("taxonomies") {
        if let Some(id) = taxonomy.id() {
            collector.taxonomy(id, Value::Object(taxonomy.fields.clone()));
        }
    }
    for term in tables.rows("taxonomy_terms") {
        // `taxonomy_id` is one of the term's own columns, so it is already in `fields`.
        collector.term(
            Value::Object(term.fields.clone()),
            &term.file,
            &format!("line {}", term.line),
        );
    }
    let mut tx = store_.begin().await?;
    village_store::directory::prepare_for_import(&mut tx).await?;
    let total = tables.rows("services").len() as u64;
    for service in tables.rows("services") {
        let (record, sources) = assemble(&tables, service, &mut problems);
        if !problems.is_empty() {
            collector.report.refused.append(&mut problems);
            continue;
        }
        let locate = |path: &str, message: String| sources.locate(path, message);
        let file: std::sync::Arc<str> = service.file.as_str().into();
        collector.service(record, &file, &format!("line {}", service.line), &locate);
        if collector.pending_len() >= 2_000 {
            collector.flush(&mut tx).await?;
            progress(collector.written(), total);
        }
    }
    collector.finish(store_, tx, progress).await
}
