//! `village import hsds-csv DIR`: the HSDS 3.0 tabular layout (one CSV file per table, as in
//! `examples/csv` of the Open Referral UK standard) assembled into whole ORUK service records,
//! which then go through exactly the checks and the single transaction of the JSON import.
//!
//! Which columns a table may have, and which are numbers, is read from the ORUK service schema
//! itself, so the CSV and JSON imports cannot disagree. Columns that only link a row to its
//! parent (`service_id`, `location_id`, `link_id` …) are used to assemble the record and then
//! left out of it, as the standard's own `service_full.json` does. Every problem names the
//! file, the line (as a spreadsheet shows it, the header being line 1) and the column.

mod record;
mod tables;

use super::import::{
    csv_problem, preferred, repeated, service_schema_value, Collector, ImportReport, Lines,
    Reported,
};
use record::*;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tables::*;
use village_store::Store;

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

/// For the fuzzers (`village_app::fuzzing::hsds_csv`): `data` as the files of a folder, split at
/// each NUL byte (the first piece is `services.csv`, the next the second table's file, and so
/// on), read into tables and every service assembled, as an import does before its checks.
pub fn fuzz(data: &[u8]) {
    static SCHEMA: std::sync::OnceLock<Option<Value>> = std::sync::OnceLock::new();
    let Some(schema) = SCHEMA.get_or_init(|| service_schema_value().ok()) else {
        return;
    };
    let files: Vec<CsvFile> = data
        .split(|b| *b == 0)
        .zip(TABLES.iter())
        .map(|(bytes, table)| CsvFile {
            shown: table.files[0].to_string(),
            name: table.files[0].to_string(),
            bytes: bytes.to_vec(),
        })
        .collect();
    let mut report = ImportReport::default();
    let tables = tables_of(&files, Path::new(""), schema, &mut report);
    let mut problems = Vec::new();
    orphans(&tables, &mut problems);
    loose_attributes(&tables, &mut report.warnings);
    for service in tables.rows("services") {
        let (record, _) = assemble(&tables, service, &mut problems);
        let _ = record.is_object();
    }
}
