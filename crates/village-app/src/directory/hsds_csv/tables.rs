//! The CSV files read into typed rows, indexed by id and by the columns that link them.

use super::*;

/// One table: which files may hold it (either spelling), and where its object sits in the
/// ORUK service schema (`None`: not part of a UK service record).
pub(super) struct TableSpec {
    pub(super) name: &'static str,
    pub(super) files: &'static [&'static str],
    pub(super) schema_at: Option<&'static str>,
}

pub(super) const LOCATION: &str = "/properties/service_at_locations/items/properties/location";

pub(super) const TABLES: &[TableSpec] = &[
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
pub(super) const LINKS: &[&str] = &[
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
pub(super) const STANDALONE: &[&str] = &["taxonomies"];

#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) file: String,
    pub(super) line: u64,
    /// The columns that belong in the record, typed.
    pub(super) fields: Map<String, Value>,
    /// The linking columns, as text.
    pub(super) links: HashMap<String, String>,
}

impl Row {
    pub(super) fn id(&self) -> Option<&str> {
        self.fields.get("id").and_then(Value::as_str)
    }

    /// What decides which of two rows with one id is kept: its `last_modified`, and its size.
    fn kept_by(&self) -> (Option<&str>, usize) {
        let size = self
            .fields
            .values()
            .map(|v| v.to_string().len())
            .sum::<usize>()
            + self.links.values().map(String::len).sum::<usize>();
        (
            self.fields.get("last_modified").and_then(Value::as_str),
            size,
        )
    }

    pub(super) fn link(&self, column: &str) -> Option<&str> {
        self.links.get(column).map(String::as_str)
    }

    pub(super) fn at(&self, column: Option<&str>, message: String) -> Reported {
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
pub(super) enum Cell {
    Text,
    Number,
    Integer,
}

pub(super) fn columns_of(schema: &Value, at: &str) -> BTreeMap<String, Cell> {
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

pub(super) struct Tables {
    pub(super) by_name: HashMap<&'static str, Vec<Row>>,
    /// (table, link column) → link value → rows, in file order.
    pub(super) links: HashMap<(&'static str, &'static str), HashMap<String, Vec<usize>>>,
    /// table → id → row.
    pub(super) ids: HashMap<&'static str, HashMap<String, usize>>,
}

impl Tables {
    pub(super) fn new(by_name: HashMap<&'static str, Vec<Row>>) -> Self {
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

    pub(super) fn rows(&self, name: &str) -> &[Row] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Rows of `table` whose `column` is `value`, in file order.
    pub(super) fn linked(
        &self,
        table: &'static str,
        column: &'static str,
        value: &str,
    ) -> Vec<&Row> {
        let rows = self.rows(table);
        self.links
            .get(&(table, column))
            .and_then(|m| m.get(value))
            .map(|found| found.iter().filter_map(|i| rows.get(*i)).collect())
            .unwrap_or_default()
    }

    pub(super) fn by_id(&self, table: &str, id: &str) -> Option<&Row> {
        let i = self.ids.get(table)?.get(id)?;
        self.rows(table).get(*i)
    }
}

/// One CSV file of a folder: how problems name it, its file name, its bytes.
pub(super) struct CsvFile {
    pub(super) shown: String,
    pub(super) name: String,
    pub(super) bytes: Vec<u8>,
}

/// Read every table in `dir`, reporting unreadable lines, bad numbers and unknown columns.
pub(super) fn read_tables(
    dir: &Path,
    schema: &Value,
    report: &mut ImportReport,
) -> anyhow::Result<Tables> {
    if !dir.is_dir() {
        anyhow::bail!(
            "{} is not a folder of HSDS CSV files (services.csv, organizations.csv …)",
            dir.display()
        );
    }
    // Files the import does not read are named, not passed over in silence.
    let mut unread: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("{} cannot be read: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with('.') && !TABLES.iter().any(|t| t.files.contains(&n.as_str())))
        .collect();
    unread.sort();
    for name in unread {
        report.warnings.push(Reported {
            file: dir.join(name).display().to_string(),
            path: "the whole file".into(),
            message: "not read: HSDS CSV tables are read by their standard names (services.csv, organizations.csv, locations.csv …)".into(),
        });
    }
    let mut files = Vec::new();
    for name in TABLES.iter().flat_map(|t| t.files.iter()) {
        let path = dir.join(name);
        if !path.is_file() {
            continue;
        }
        let shown = path.display().to_string();
        let bytes =
            std::fs::read(&path).map_err(|e| anyhow::anyhow!("{shown} cannot be read: {e}"))?;
        files.push(CsvFile {
            shown,
            name: (*name).to_string(),
            bytes,
        });
    }
    Ok(tables_of(&files, dir, schema, report))
}

/// Read the tables from the files of folder `dir`, already in memory (each under one of the
/// standard's names).
pub(super) fn tables_of(
    files: &[CsvFile],
    dir: &Path,
    schema: &Value,
    report: &mut ImportReport,
) -> Tables {
    let mut by_name: HashMap<&'static str, Vec<Row>> = HashMap::new();
    for spec in TABLES {
        let columns = spec.schema_at.map(|at| columns_of(schema, at));
        // Each id met: where its kept row is in `rows`, and every place it was given.
        let mut seen: HashMap<String, (usize, Vec<String>)> = HashMap::new();
        let mut rows: Vec<Row> = Vec::new();
        for file in files
            .iter()
            .filter(|f| spec.files.contains(&f.name.as_str()))
        {
            report.files += 1;
            let shown = file.shown.clone();
            let bytes = &file.bytes;
            let lines = Lines::of(bytes);
            let mut reader = csv::ReaderBuilder::new()
                .flexible(false)
                .from_reader(bytes.as_slice());
            let headers: Vec<String> = match reader.headers() {
                Ok(h) => h
                    .iter()
                    .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
                    .collect(),
                Err(e) => {
                    report.refused.push(csv_problem(&shown, &e, &lines));
                    continue;
                }
            };
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
                reader = csv::ReaderBuilder::new()
                    .flexible(false)
                    .from_reader(bytes.as_slice());
                if let Err(e) = reader.headers() {
                    report.refused.push(csv_problem(&shown, &e, &lines));
                    continue;
                }
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
                        report.refused.push(csv_problem(&shown, &e, &lines));
                        continue;
                    }
                };
                let line = record.position().map_or(0, |p| lines.at(p.byte()));
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
                match seen.get_mut(&id) {
                    // The same row given twice (both spellings of the file): once is enough.
                    Some((at, _)) if same_row(&rows[*at], &row) => {}
                    // Another row with this id: one rule picks which to keep, as in ORUK JSON.
                    Some((at, places)) => {
                        places.push(format!("{} line {}", row.file, row.line));
                        if preferred(row.kept_by(), rows[*at].kept_by()) {
                            rows[*at] = row;
                        }
                    }
                    None => {
                        seen.insert(id, (rows.len(), vec![format!("{shown} line {line}")]));
                        rows.push(row);
                    }
                }
            }
        }
        let mut repeated_ids: Vec<_> = seen.iter().filter(|(_, (_, p))| p.len() > 1).collect();
        repeated_ids.sort();
        for (id, (at, places)) in repeated_ids {
            let kept = &rows[*at];
            let here = format!("{} line {}", kept.file, kept.line);
            report.warnings.push(repeated(
                "id",
                id,
                &kept.file,
                &format!("line {}", kept.line),
                places.iter().filter(|p| **p != here),
                places.len(),
            ));
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
    Tables::new(by_name)
}

/// Whether two rows with one id say the same: the same values, and no link pointing elsewhere
/// (one file may simply carry a link column the other leaves out).
pub(super) fn same_row(a: &Row, b: &Row) -> bool {
    a.fields == b.fields
        && a.links
            .iter()
            .all(|(k, v)| b.links.get(k).is_none_or(|w| w == v))
}

pub(super) fn number(cell: &str, kind: Cell) -> Option<Value> {
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
