//! Import and export of Open Referral UK JSON: `village import oruk PATH` and
//! `village export oruk DIR`. Every bad record is reported with its file, JSON path and
//! reason; by default one bad record means nothing is written.

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use village_domain::directory::oruk::{read_service, Finding, ServiceIndex};
use village_store::directory as store;
use village_store::Store;

/// Something the importer wants a person to know, located precisely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub file: String,
    /// A JSON path such as `$.contents[2].name`.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.file, self.path, self.message)
    }
}

#[derive(Debug, Default)]
pub struct ImportReport {
    pub files: usize,
    /// Services written (0 when the import was refused).
    pub imported: usize,
    pub taxonomy_terms: usize,
    pub refused: Vec<Reported>,
    pub warnings: Vec<Reported>,
    /// Whether anything was written.
    pub written: bool,
}

struct Candidate {
    file: String,
    path: String,
    record: Value,
    index: ServiceIndex,
}

pub(crate) fn service_schema() -> anyhow::Result<jsonschema::Validator> {
    let schema: Value =
        serde_json::from_str(include_str!("../../static/oruk-service-schema.json"))?;
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| anyhow::anyhow!("the ORUK service schema could not be loaded: {e}"))
}

/// Which files a path means: the file itself, or every `.json` file under a folder, in name order.
fn json_files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        anyhow::bail!("{} is not a file or folder", path.display());
    }
    let mut found = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "json") {
                found.push(p);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[derive(PartialEq)]
enum Kind {
    Services,
    TaxonomyTerms,
    Other,
}

fn kind_of(file: &Path, single: bool) -> Kind {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.starts_with("taxonomy_term") {
        Kind::TaxonomyTerms
    } else if name.starts_with("service_at_location")
        || name.starts_with("organization")
        || name.starts_with("taxonom")
        || name.starts_with("api_details")
    {
        Kind::Other
    } else if name.starts_with("service") || single {
        Kind::Services
    } else {
        Kind::Other
    }
}

/// The records in a file: a page envelope's `contents`, an array, or one object.
fn records(value: Value) -> Vec<(String, Value)> {
    match value {
        Value::Object(mut map) if map.get("contents").is_some_and(Value::is_array) => {
            match map.remove("contents") {
                Some(Value::Array(items)) => items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (format!("$.contents[{i}]"), v))
                    .collect(),
                _ => Vec::new(),
            }
        }
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (format!("$[{i}]"), v))
            .collect(),
        other => vec![("$".to_string(), other)],
    }
}

fn at(prefix: &str, finding: &Finding) -> String {
    format!(
        "{prefix}{}",
        finding.path.strip_prefix('$').unwrap_or(&finding.path)
    )
}

/// Read, check and (unless anything is refused and `skip_invalid` is off) write the services
/// and taxonomy terms under `path`, all in one transaction. `progress(done, total)` is called
/// as records are written.
pub async fn import_oruk(
    store_: &Store,
    path: &Path,
    skip_invalid: bool,
    now: i64,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<ImportReport> {
    let schema = service_schema()?;
    let files = json_files(path)?;
    let single = path.is_file();
    let mut report = ImportReport {
        files: files.len(),
        ..Default::default()
    };
    let mut accepted: Vec<Candidate> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut conflicts: HashMap<String, usize> = HashMap::new();
    let mut terms: HashMap<String, Value> = HashMap::new();

    for file in &files {
        let shown = file.display().to_string();
        let kind = kind_of(file, single);
        if kind == Kind::Other {
            continue;
        }
        let text = std::fs::read_to_string(file)?;
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                report.refused.push(Reported {
                    file: shown,
                    path: format!("line {}, column {}", e.line(), e.column()),
                    message: format!("not valid JSON: {e}"),
                });
                continue;
            }
        };
        for (prefix, record) in records(value) {
            if kind == Kind::TaxonomyTerms {
                match record.get("id").and_then(Value::as_str) {
                    Some(id) if record.get("name").is_some_and(Value::is_string) => {
                        terms.insert(id.to_string(), record);
                    }
                    _ => report.refused.push(Reported {
                        file: shown.clone(),
                        path: prefix,
                        message: "a taxonomy term needs a string id and name".into(),
                    }),
                }
                continue;
            }
            let schema_problems: Vec<Reported> = schema
                .iter_errors(&record)
                .map(|e| Reported {
                    file: shown.clone(),
                    path: format!(
                        "{prefix}{}",
                        pointer_to_path(&e.instance_path().to_string())
                    ),
                    message: e.to_string(),
                })
                .collect();
            match read_service(&record) {
                Err(problems) => report.refused.extend(problems.iter().map(|p| Reported {
                    file: shown.clone(),
                    path: at(&prefix, p),
                    message: p.message.clone(),
                })),
                Ok(_) if !schema_problems.is_empty() => report.refused.extend(schema_problems),
                Ok((index, warnings)) => {
                    report.warnings.extend(warnings.iter().map(|w| Reported {
                        file: shown.clone(),
                        path: at(&prefix, w),
                        message: w.message.clone(),
                    }));
                    for attribute in record
                        .get("attributes")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if let Some(term) = attribute.get("taxonomy_term") {
                            if let Some(id) = term.get("id").and_then(Value::as_str) {
                                terms.entry(id.to_string()).or_insert_with(|| term.clone());
                            }
                        }
                    }
                    let candidate = Candidate {
                        file: shown.clone(),
                        path: prefix,
                        record,
                        index,
                    };
                    match by_id.get(&candidate.index.id).copied() {
                        None => {
                            by_id.insert(candidate.index.id.clone(), accepted.len());
                            accepted.push(candidate);
                        }
                        Some(i) if accepted[i].record == candidate.record => {}
                        Some(i) => {
                            *conflicts.entry(candidate.index.id.clone()).or_default() += 1;
                            if newer(&candidate, &accepted[i]) {
                                accepted[i] = candidate;
                            }
                        }
                    }
                }
            }
        }
    }
    for (id, count) in &conflicts {
        if let Some(kept) = by_id.get(id).and_then(|i| accepted.get(*i)) {
            report.warnings.push(Reported {
                file: kept.file.clone(),
                path: kept.path.clone(),
                message: format!(
                    "service {id} appears {} times with different content; kept this one (the newest last_modified, then the fullest record)",
                    count + 1
                ),
            });
        }
    }
    if !report.refused.is_empty() && !skip_invalid {
        return Ok(report);
    }
    let total = (accepted.len() + terms.len()) as u64;
    let mut done = 0u64;
    let mut tx = store_.begin().await?;
    for (id, term) in &terms {
        let name = term.get("name").and_then(Value::as_str).unwrap_or_default();
        let taxonomy_id = term.get("taxonomy_id").and_then(Value::as_str);
        let parent = term.get("parent_id").and_then(Value::as_str);
        store::upsert_taxonomy_term(
            &mut tx,
            id,
            taxonomy_id,
            parent,
            name,
            &serde_json::to_string(term)?,
        )
        .await?;
        done += 1;
        progress(done, total);
    }
    for c in &accepted {
        store::upsert_service(
            &mut tx,
            &c.index,
            &serde_json::to_string(&c.record)?,
            true,
            now,
        )
        .await?;
        done += 1;
        progress(done, total);
    }
    tx.commit().await?;
    report.imported = accepted.len();
    report.taxonomy_terms = terms.len();
    report.written = true;
    Ok(report)
}

/// Which of two records with one id to keep: the newest `last_modified`, then the fuller one.
fn newer(a: &Candidate, b: &Candidate) -> bool {
    match (&a.index.last_modified, &b.index.last_modified) {
        (Some(x), Some(y)) if x != y => x > y,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        _ => a.record.to_string().len() > b.record.to_string().len(),
    }
}

/// "/contents/0/name" → ".contents[0].name"
fn pointer_to_path(pointer: &str) -> String {
    pointer
        .split('/')
        .filter(|p| !p.is_empty())
        .map(|p| {
            if p.chars().all(|c| c.is_ascii_digit()) {
                format!("[{p}]")
            } else {
                format!(".{}", p.replace("~1", "/").replace("~0", "~"))
            }
        })
        .collect()
}

/// Write every service (and taxonomy term) as ORUK JSON into `dir`: `services.json` (an
/// array of full records in id order) and `taxonomy_terms.json`. Importing them into an empty
/// hub and exporting again gives the same files.
pub async fn export_oruk(store_: &Store, dir: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut c = store_.conn().await?;
    let docs = store::all_service_docs(&mut c).await?;
    let services: Vec<Value> = docs
        .iter()
        .map(|(_, doc)| serde_json::from_str(doc))
        .collect::<Result<_, _>>()?;
    std::fs::write(
        dir.join("services.json"),
        serde_json::to_string_pretty(&services)? + "\n",
    )?;
    let (terms, _) = store::list_taxonomy_terms(&mut c, None, i64::MAX, 0).await?;
    let mut terms: Vec<Value> = terms
        .iter()
        .map(|d| serde_json::from_str(d))
        .collect::<Result<_, _>>()?;
    terms.sort_by(|a, b| {
        a.get("id")
            .map(Value::to_string)
            .cmp(&b.get("id").map(Value::to_string))
    });
    std::fs::write(
        dir.join("taxonomy_terms.json"),
        serde_json::to_string_pretty(&terms)? + "\n",
    )?;
    Ok(services.len())
}

/// Import postcode centroids from a CSV with the ONS Postcode Directory's `pcds`, `lat` and
/// `long` columns (others are ignored). Postcodes the ONS has no location for (latitude
/// 99.999999) are skipped with a warning. Like the ORUK import: one bad line means nothing is
/// written, unless `skip_invalid`.
pub async fn import_postcodes(
    store_: &Store,
    path: &Path,
    skip_invalid: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<ImportReport> {
    use village_domain::directory::geo::{LatLon, Postcode};
    let shown = path.display().to_string();
    let mut reader = csv::Reader::from_path(path)?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(pc), Some(lat_i), Some(lon_i)) = (column("pcds"), column("lat"), column("long"))
    else {
        anyhow::bail!("{shown}: the first line must name the columns pcds, lat and long");
    };
    let mut report = ImportReport {
        files: 1,
        ..Default::default()
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let at = |message: String| Reported {
            file: shown.clone(),
            path: format!("line {line}"),
            message,
        };
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                report.refused.push(at(format!("cannot be read: {e}")));
                continue;
            }
        };
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        let postcode = match Postcode::parse(&field(pc)) {
            Ok(Postcode::Full(p)) => p,
            _ => {
                report
                    .refused
                    .push(at(format!("pcds {:?} is not a full postcode", field(pc))));
                continue;
            }
        };
        let (Ok(lat), Ok(lon)) = (field(lat_i).parse::<f64>(), field(lon_i).parse::<f64>()) else {
            report.refused.push(at(format!(
                "lat and long must be numbers, not {:?} and {:?}",
                field(lat_i),
                field(lon_i)
            )));
            continue;
        };
        if (lat - 99.999999).abs() < 1e-6 {
            report.warnings.push(at(format!(
                "{postcode} has no location in the ONS data: skipped"
            )));
            continue;
        }
        if LatLon::new(lat, lon).is_err() {
            report
                .refused
                .push(at(format!("({lat}, {lon}) is not a place on Earth")));
            continue;
        }
        let district = postcode.split(' ').next().unwrap_or(&postcode).to_string();
        rows.push((postcode, district, lat, lon));
    }
    if !report.refused.is_empty() && !skip_invalid {
        return Ok(report);
    }
    let total = rows.len() as u64;
    let mut tx = store_.begin().await?;
    for (done, chunk) in rows.chunks(1000).enumerate() {
        store::upsert_postcodes(&mut tx, chunk).await?;
        progress(((done * 1000) + chunk.len()) as u64, total);
    }
    tx.commit().await?;
    report.imported = rows.len();
    report.written = true;
    Ok(report)
}
