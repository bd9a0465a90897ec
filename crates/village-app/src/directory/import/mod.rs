//! Import and export of Open Referral UK JSON: `village import oruk PATH` and
//! `village export oruk DIR`. Every bad record is reported with its file, JSON path and
//! reason; by default one bad record means nothing is written.

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use village_domain::directory::oruk::{read_service, ServiceIndex};
use village_store::directory as store;
use village_store::Store;

mod postcodes;
mod text;
pub use postcodes::import_postcodes;
pub(crate) use text::*;

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

/// A good record waiting to be written.
struct Candidate {
    doc: String,
    index: ServiceIndex,
}

/// What is remembered of every service id met, to notice the same id again.
struct Seen {
    file: std::sync::Arc<str>,
    path: String,
    last_modified: Option<String>,
    len: usize,
    digest: u64,
}

/// Why a file in a folder was not read.
const UNREAD_WHY: &str = "only files named service….json (services, with their organisations and locations) and taxonomy_term….json are read";

/// How many good records are gathered before they are written together.
const BATCH: usize = 2_000;

/// The ORUK service schema (`schema/compiled/service.json`) as a value.
pub fn service_schema_value() -> anyhow::Result<Value> {
    Ok(serde_json::from_str(include_str!(
        "../../../standards/oruk-service-schema.json"
    ))?)
}

pub fn service_schema() -> anyhow::Result<jsonschema::Validator> {
    let schema = service_schema_value()?;
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| anyhow::anyhow!("the ORUK service schema could not be loaded: {e}"))
}

/// Which files a path means: the file itself, or every file under a folder (but hidden ones),
/// in name order.
fn files_under(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        anyhow::bail!("{} is not a file or folder", path.display());
    }
    let mut found = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| anyhow::anyhow!("{} cannot be read: {e}", dir.display()))?;
        for entry in entries {
            let p = entry?.path();
            if p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
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
    if !name.ends_with(".json") && !single {
        Kind::Other
    } else if name.starts_with("taxonomy_term") {
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

/// Read, check and (unless anything is refused and `skip_invalid` is off) write the services
/// and taxonomy terms under `path`, all in one transaction. `progress(done, total)` is called
/// as records are written.
#[tracing::instrument(skip_all)]
pub async fn import_oruk(
    store_: &Store,
    path: &Path,
    skip_invalid: bool,
    now: i64,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<ImportReport> {
    let single = path.is_file();
    let (files, unread): (Vec<PathBuf>, Vec<PathBuf>) = files_under(path)?
        .into_iter()
        .partition(|f| kind_of(f, single) != Kind::Other);
    let mut collector = Collector::new(skip_invalid, now)?;
    collector.report.files = files.len();
    for file in &unread {
        collector.report.warnings.push(Reported {
            file: file.display().to_string(),
            path: "the whole file".into(),
            message: format!("not read: {UNREAD_WHY}"),
        });
    }
    if files.is_empty() {
        collector.report.refused.push(Reported {
            file: path.display().to_string(),
            path: "the whole folder".into(),
            message: if unread.is_empty() {
                "there is nothing here to import: no .json files".into()
            } else {
                format!(
                    "no services or taxonomy terms to import: {UNREAD_WHY}; here there is {}",
                    unread
                        .iter()
                        .map(|f| f
                            .file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().to_string()))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        });
        return Ok(collector.report);
    }
    let file_count = files.len() as u64;
    let mut tx = store_.begin().await?;
    store::prepare_for_import(&mut tx).await?;

    // Reading, parsing and checking run on their own thread, writing on this one: a big
    // import keeps both cores busy.
    let (send, mut receive) = tokio::sync::mpsc::channel::<anyhow::Result<Read>>(8);
    let reader = std::thread::spawn(move || {
        let checker = match Checker::new() {
            Ok(c) => c,
            Err(e) => {
                let _ = send.blocking_send(Err(e));
                return;
            }
        };
        for file in &files {
            let read = read_file(file, single, &checker);
            let failed = read.is_err();
            if send.blocking_send(read).is_err() || failed {
                return;
            }
        }
    });
    let mut records = 0u64;
    let mut files_done = 0u64;
    while let Some(read) = receive.recv().await {
        let read = read?;
        files_done += 1;
        collector.report.refused.extend(read.refused);
        for (record, file, path) in read.terms {
            collector.term(record, &file, &path);
        }
        for (checked, path) in read.services {
            records += 1;
            collector.accept(checked, &read.file, path);
            if collector.pending.len() >= BATCH {
                collector.flush(&mut tx).await?;
            }
        }
        collector.flush(&mut tx).await?;
        // An estimate of the whole from the files read so far; exact at the end.
        let estimate = records * file_count / files_done.max(1);
        progress(collector.written, estimate.max(collector.written));
    }
    if reader.join().is_err() {
        anyhow::bail!("the import's reader stopped unexpectedly");
    }
    collector.finish(store_, tx, progress).await
}

/// One file, read and checked.
struct Read {
    file: std::sync::Arc<str>,
    services: Vec<(Checked, String)>,
    terms: Vec<(Value, String, String)>,
    refused: Vec<Reported>,
}

fn read_file(file: &Path, single: bool, checker: &Checker) -> anyhow::Result<Read> {
    let shown = file.display().to_string();
    let mut read = Read {
        file: shown.as_str().into(),
        services: Vec::new(),
        terms: Vec::new(),
        refused: Vec::new(),
    };
    let kind = kind_of(file, single);
    if kind == Kind::Other {
        return Ok(read);
    }
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{shown} cannot be read: {e}"))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            read.refused.push(not_text(&shown, &e.as_bytes()[..valid]));
            return Ok(read);
        }
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            read.refused.push(Reported {
                file: shown,
                path: format!("line {}, column {}", e.line(), e.column()),
                message: format!("not valid JSON: {e}"),
            });
            return Ok(read);
        }
    };
    drop(text);
    for (prefix, record) in records(value) {
        if kind == Kind::TaxonomyTerms {
            read.terms.push((record, shown.clone(), prefix));
            continue;
        }
        let locate = |path: &str, message: String| Reported {
            file: shown.clone(),
            path: format!("{prefix}{}", path.strip_prefix('$').unwrap_or(path)),
            message,
        };
        let checked = checker.check(record, &locate);
        read.services.push((checked, prefix));
    }
    Ok(read)
}

/// Maps a JSON path inside one record (`$.schedules[0].opens_at`) and a message to where a
/// person finds the problem in what they gave.
pub(crate) type Locate<'a> = dyn Fn(&str, String) -> Reported + 'a;

/// A record after its checks: refused with reasons, or good and ready to write.
pub(crate) enum Checked {
    Refused(Vec<Reported>),
    Good {
        index: Box<ServiceIndex>,
        doc: String,
        warnings: Vec<Reported>,
        /// Taxonomy terms given whole inside the record's attributes.
        terms: Vec<(String, Value)>,
    },
}

/// The checks every imported record goes through: the ORUK schema with formats, and Village's
/// own reading of it.
pub(crate) struct Checker {
    schema: jsonschema::Validator,
}

impl Checker {
    pub(crate) fn new() -> anyhow::Result<Self> {
        Ok(Self {
            schema: service_schema()?,
        })
    }

    pub(crate) fn check(&self, record: Value, locate: &Locate<'_>) -> Checked {
        // No database here keeps a NUL character (PostgreSQL refuses it): name where it is.
        if let Some(path) = nul_at(&record, "$".to_string()) {
            return Checked::Refused(vec![locate(
                &path,
                "holds a NUL character (U+0000), which cannot be stored: remove it".into(),
            )]);
        }
        let schema_problems: Vec<Reported> = self
            .schema
            .iter_errors(&record)
            .map(|e| {
                locate(
                    &format!("${}", pointer_to_path(&e.instance_path().to_string())),
                    e.to_string(),
                )
            })
            .collect();
        let (index, warnings) = match read_service(&record) {
            Err(problems) => {
                return Checked::Refused(
                    problems
                        .iter()
                        .map(|p| locate(&p.path, p.message.clone()))
                        .collect(),
                )
            }
            Ok(_) if !schema_problems.is_empty() => return Checked::Refused(schema_problems),
            Ok(read) => read,
        };
        let terms = record
            .get("attributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| a.get("taxonomy_term"))
            .filter_map(|t| Some((t.get("id")?.as_str()?.to_string(), t.clone())))
            .collect();
        Checked::Good {
            warnings: warnings
                .iter()
                .map(|w| locate(&w.path, w.message.clone()))
                .collect(),
            doc: record.to_string(),
            index: Box::new(index),
            terms,
        }
    }
}

/// Checks records one by one and writes the good ones in batches inside one transaction,
/// which is committed only if nothing was refused (or `skip_invalid`). Only a little about
/// each record is kept in memory, so a million records import in the space of a few.
pub(crate) struct Collector {
    checker: Checker,
    pub(crate) report: ImportReport,
    skip_invalid: bool,
    now: i64,
    pending: Vec<Candidate>,
    pending_at: HashMap<String, usize>,
    seen: HashMap<String, Seen>,
    /// Ids given more than once with different content: where each copy was, in the order met.
    conflicts: HashMap<String, Vec<String>>,
    terms: HashMap<String, Value>,
    taxonomies: HashMap<String, Value>,
    written: u64,
    /// Whether the directory had offers before this import (found out at the first write):
    /// only then can an import change an offer, and so add to its history.
    had_offers: Option<bool>,
}

/// Whether two stored records say the same (the same text, or the same JSON written another way).
fn same_record(a: &str, b: &str) -> bool {
    a == b
        || matches!(
            (serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

fn digest(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Collector {
    pub(crate) fn new(skip_invalid: bool, now: i64) -> anyhow::Result<Self> {
        Ok(Self {
            checker: Checker::new()?,
            report: ImportReport::default(),
            skip_invalid,
            now,
            pending: Vec::new(),
            pending_at: HashMap::new(),
            seen: HashMap::new(),
            conflicts: HashMap::new(),
            terms: HashMap::new(),
            taxonomies: HashMap::new(),
            written: 0,
            had_offers: None,
        })
    }

    /// A taxonomy term given on its own (`taxonomy_terms.json`, `taxonomy_terms.csv`).
    pub(crate) fn term(&mut self, record: Value, file: &str, path: &str) {
        if let Some(at) = nul_at(&record, path.to_string()) {
            self.report.refused.push(Reported {
                file: file.to_string(),
                path: at,
                message: "holds a NUL character (U+0000), which cannot be stored: remove it".into(),
            });
            return;
        }
        match record.get("id").and_then(Value::as_str) {
            Some(id) if record.get("name").is_some_and(Value::is_string) => {
                self.terms.insert(id.to_string(), record);
            }
            _ => self.report.refused.push(Reported {
                file: file.to_string(),
                path: path.to_string(),
                message: "a taxonomy term needs a string id and name".into(),
            }),
        }
    }

    /// A taxonomy (`taxonomies.csv`): kept so its name shows beside its terms.
    pub(crate) fn taxonomy(&mut self, id: &str, record: Value) {
        self.taxonomies.insert(id.to_string(), record);
    }

    pub(crate) fn pending_len(&self) -> usize {
        self.pending.len()
    }

    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    /// Whether what is gathered will be written at all.
    fn writing(&self) -> bool {
        self.skip_invalid || self.report.refused.is_empty()
    }

    /// A whole service record: checked against the ORUK schema and Village's reading of it.
    pub(crate) fn service(
        &mut self,
        record: Value,
        file: &std::sync::Arc<str>,
        path: &str,
        locate: &Locate<'_>,
    ) {
        let checked = self.checker.check(record, locate);
        self.accept(checked, file, path.to_string());
    }

    /// Keep a checked record (unless the same id came before, the same or newer).
    pub(crate) fn accept(&mut self, checked: Checked, file: &std::sync::Arc<str>, path: String) {
        let (index, doc, warnings, terms) = match checked {
            Checked::Refused(problems) => {
                self.report.refused.extend(problems);
                return;
            }
            Checked::Good {
                index,
                doc,
                warnings,
                terms,
            } => (index, doc, warnings, terms),
        };
        self.report.warnings.extend(warnings);
        for (id, term) in terms {
            self.terms.entry(id).or_insert(term);
        }
        let seen = Seen {
            file: file.clone(),
            path,
            last_modified: index.last_modified.clone(),
            len: doc.len(),
            digest: digest(&doc),
        };
        match self.seen.get(&index.id) {
            None => {}
            Some(before) if before.digest == seen.digest => return,
            Some(before) => {
                let places = self
                    .conflicts
                    .entry(index.id.clone())
                    .or_insert_with(|| vec![format!("{} {}", before.file, before.path)]);
                places.push(format!("{} {}", seen.file, seen.path));
                if !newer(&seen, before) {
                    return;
                }
            }
        }
        self.seen.insert(index.id.clone(), seen);
        let candidate = Candidate { doc, index: *index };
        match self.pending_at.get(&candidate.index.id) {
            Some(&i) => self.pending[i] = candidate,
            None => {
                self.pending_at
                    .insert(candidate.index.id.clone(), self.pending.len());
                self.pending.push(candidate);
            }
        }
    }

    /// Write what is gathered (nothing, once the import is sure to be refused).
    pub(crate) async fn flush(&mut self, tx: &mut village_store::Tx) -> anyhow::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.pending_at.clear();
        if !self.writing() || pending.is_empty() {
            return Ok(());
        }
        // Offers this import changes: what they were, to keep in their history.
        if self.had_offers.is_none() {
            self.had_offers = Some(store::count_services(tx).await? > 0);
        }
        let mut changed: Vec<(&Candidate, String)> = Vec::new();
        if self.had_offers == Some(true) {
            let ids: Vec<&str> = pending.iter().map(|c| c.index.id.as_str()).collect();
            let before = store::stored_docs(tx, &ids).await?;
            for c in &pending {
                if let Some(old) = before.get(&c.index.id) {
                    if !same_record(old, &c.doc) {
                        changed.push((c, old.clone()));
                    }
                }
            }
        }
        let items: Vec<(&ServiceIndex, &str)> =
            pending.iter().map(|c| (&c.index, c.doc.as_str())).collect();
        store::upsert_services(tx, &items, true, self.now).await?;
        // As when a steward approves a change: how it was first listed is kept the first time
        // it changes, then each change.
        for (c, old) in changed {
            let id = c.index.id.as_str();
            if store::versions(tx, id).await?.is_empty() {
                store::add_version(tx, id, &old, None, "As it was first listed", "", self.now)
                    .await?;
            }
            let from = self
                .seen
                .get(id)
                .map(|s| {
                    std::path::Path::new(&*s.file)
                        .file_name()
                        .map_or_else(|| s.file.to_string(), |n| n.to_string_lossy().to_string())
                })
                .unwrap_or_default();
            store::add_version(
                tx,
                id,
                &c.doc,
                None,
                &format!("Imported from {from}"),
                "",
                self.now,
            )
            .await?;
        }
        self.written += pending.len() as u64;
        Ok(())
    }

    /// Write the rest and the taxonomy, and commit; or, if something was refused and
    /// `skip_invalid` is off, roll everything back.
    pub(crate) async fn finish(
        mut self,
        store_conn: &Store,
        mut tx: village_store::Tx,
        progress: &mut dyn FnMut(u64, u64),
    ) -> anyhow::Result<ImportReport> {
        self.flush(&mut tx).await?;
        let mut conflicts: Vec<_> = self.conflicts.iter().collect();
        conflicts.sort();
        for (id, places) in conflicts {
            if let Some(kept) = self.seen.get(id) {
                let here = format!("{} {}", kept.file, kept.path);
                self.report.warnings.push(repeated(
                    "service",
                    id,
                    &kept.file,
                    &kept.path,
                    places.iter().filter(|p| **p != here),
                    places.len(),
                ));
            }
        }
        let mut report = self.report;
        if !report.refused.is_empty() && !self.skip_invalid {
            // Dropping the transaction rolls back anything already written.
            drop(tx);
            return Ok(report);
        }
        let total = self.written + (self.terms.len() + self.taxonomies.len()) as u64;
        let mut done = self.written;
        for (id, taxonomy) in &self.taxonomies {
            let name = taxonomy
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            store::upsert_taxonomy(&mut tx, id, name, &serde_json::to_string(taxonomy)?).await?;
            done += 1;
            progress(done, total);
        }
        for (id, term) in &self.terms {
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
        tx.commit().await?;
        let mut c = store_conn.conn().await?;
        store::refresh_statistics(&mut c).await?;
        report.imported = self.seen.len();
        report.taxonomy_terms = self.terms.len();
        report.written = true;
        Ok(report)
    }
}

/// Which of two records with one id to keep: the newest `last_modified`, then the fuller one.
fn newer(a: &Seen, b: &Seen) -> bool {
    preferred(
        (a.last_modified.as_deref(), a.len),
        (b.last_modified.as_deref(), b.len),
    )
}

/// The path (`$.locations[0].name`) of the first string or key in a record holding a NUL.
fn nul_at(value: &Value, at: String) -> Option<String> {
    match value {
        Value::String(s) if s.contains('\0') => Some(at),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_at(v, format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let here = format!("{at}.{}", k.replace('\0', ""));
            if k.contains('\0') {
                Some(here)
            } else {
                nul_at(v, here)
            }
        }),
        _ => None,
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
#[tracing::instrument(skip_all)]
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
