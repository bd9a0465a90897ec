//! The audit log: every change worth answering for, and every look at someone's personal
//! data by anyone but them. Entries that belong to a change are written in that change's own
//! transaction ([`record`]); looks that stand alone go through the batched [`AuditWriter`].

use crate::identity::Identity;
use crate::App;
use village_domain::access::{self, Action, Actor};
use village_domain::audit::{AuditAction, AuditEvent};
use village_domain::error::{ErrorCode, FieldError};
use village_store::audit::{self as store, AuditFilter, AuditRow};
use village_store::{Db, StoreError};

/// Write one entry to the audit log.
pub async fn record(
    db: &mut impl Db,
    actor: Option<i64>,
    subject: Option<i64>,
    action: AuditAction,
    detail: &str,
    ip: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    store::record(
        db,
        &AuditEvent {
            at: now,
            actor,
            subject,
            action,
            detail: detail.to_string(),
            ip: ip.map(str::to_string),
        },
    )
    .await
}

/// Call this whenever `viewer` reads personal data about `subject`. Reading your own data is
/// not recorded; anyone else's always is, and the person can see it.
pub async fn personal_data_viewed(
    db: &mut impl Db,
    viewer: &Actor,
    subject: i64,
    what: &str,
    ip: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    if viewer.user_id == subject {
        return Ok(());
    }
    record(
        db,
        Some(viewer.user_id),
        Some(subject),
        AuditAction::PersonalDataViewed,
        what,
        ip,
        now,
    )
    .await
}

/// Writes audit entries that stand alone (a look at someone's data, not part of a change) in
/// batches: every request that looked waits until its entry is committed, but one commit
/// serves all the requests that arrived meanwhile, so a busy hub is not held to one disk
/// flush per page view. Nothing is shown before its entry is safely written.
pub struct AuditWriter {
    queue: tokio::sync::mpsc::Sender<(AuditEvent, tokio::sync::oneshot::Sender<bool>)>,
}

/// The most entries written in one commit.
const BATCH: usize = 512;

/// When entries keep coming (the last commit ended moments ago) and only a few are waiting,
/// the writer waits this long for more before committing: fewer, fuller commits under load,
/// and no wait at all for a look on a quiet hub.
const GATHER: std::time::Duration = std::time::Duration::from_millis(1);

/// Fewer entries than this waiting, while busy, is worth gathering more.
const FEW: usize = 16;

/// The writer keeps a connection of its own only when the pool has at least this many.
const KEEP_CONN_FROM: u32 = 4;

impl AuditWriter {
    pub fn start(store: village_store::Store) -> Self {
        let (queue, mut rx) = tokio::sync::mpsc::channel::<(
            AuditEvent,
            tokio::sync::oneshot::Sender<bool>,
        )>(4 * BATCH);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(BATCH);
            // The writer keeps its own connection rather than checking one out per commit,
            // unless the pool is so small that holding one would keep pages waiting.
            let keep_conn = store.max_connections() >= KEEP_CONN_FROM;
            let mut conn: Option<village_store::Conn> = None;
            let mut last_commit: Option<std::time::Instant> = None;
            while rx.recv_many(&mut batch, BATCH).await > 0 {
                let busy = last_commit.is_some_and(|at| at.elapsed() < GATHER);
                if busy && batch.len() < FEW {
                    tokio::time::sleep(GATHER).await;
                    while batch.len() < BATCH {
                        match rx.try_recv() {
                            Ok(entry) => batch.push(entry),
                            Err(_) => break,
                        }
                    }
                }
                let started = std::time::Instant::now();
                let written = write_batch(&store, &mut conn, &batch).await;
                last_commit = Some(std::time::Instant::now());
                tracing::debug!(
                    entries = batch.len(),
                    micros = started.elapsed().as_micros() as u64,
                    "audit entries written"
                );
                if written.is_err() || !keep_conn {
                    // The connection may be what failed: the next commit takes a fresh one.
                    conn = None;
                }
                if let Err(e) = &written {
                    tracing::error!(error = %e, "could not write audit entries; the looks they record were refused");
                }
                for (_, done) in batch.drain(..) {
                    let _ = done.send(written.is_ok());
                }
            }
        });
        Self { queue }
    }

    /// Write one entry, returning once it is committed.
    pub async fn record(&self, event: AuditEvent) -> Result<(), StoreError> {
        let (done, written) = tokio::sync::oneshot::channel();
        let closed = || StoreError::Invalid("the audit writer has stopped".into());
        self.queue.send((event, done)).await.map_err(|_| closed())?;
        match written.await {
            Ok(true) => Ok(()),
            Ok(false) => Err(StoreError::Invalid(
                "the audit entry could not be written".into(),
            )),
            Err(_) => Err(closed()),
        }
    }
}

async fn write_batch(
    store: &village_store::Store,
    conn: &mut Option<village_store::Conn>,
    batch: &[(AuditEvent, tokio::sync::oneshot::Sender<bool>)],
) -> Result<(), StoreError> {
    let events: Vec<&AuditEvent> = batch.iter().map(|(e, _)| e).collect();
    let c = match conn {
        Some(c) => c,
        None => conn.insert(store.conn().await?),
    };
    // One statement: committed whole, with no transaction to open and close around it.
    store::record_many(c, &events).await
}

/// The whole audit log, filtered, newest first (hub admins only): only entries of the action
/// with code `action` (if given, and an error if unknown), and with `person`, the entries by
/// or about that person.
#[tracing::instrument(skip_all, fields(actor = who.user.id, person = ?person))]
pub async fn log(
    state: &App,
    who: &Identity,
    filter: &AuditFilter,
    action: Option<&str>,
    person: Option<i64>,
) -> crate::Result<Vec<AuditRow>> {
    access::check(&who.actor(), Action::ReadAuditLog).map_err(|_| crate::Error::Forbidden)?;
    let action = match action.filter(|code| !code.is_empty()) {
        None => None,
        Some(code) => Some(AuditAction::parse(code).ok_or_else(|| {
            crate::Error::Field(FieldError::new(
                "action",
                ErrorCode::AuditActionUnknown,
                "That is not an audit action code.",
            ))
        })?),
    };
    let filter = AuditFilter {
        action,
        ..filter.clone()
    };
    let filter = &filter;
    let mut c = state.store.conn().await?;
    Ok(match person {
        // "By or about" this person: two lookups merged, newest first.
        Some(p) => {
            let mut by = store::list(
                &mut c,
                &AuditFilter {
                    actor: Some(p),
                    ..filter.clone()
                },
            )
            .await?;
            let about = store::list(
                &mut c,
                &AuditFilter {
                    subject: Some(p),
                    ..filter.clone()
                },
            )
            .await?;
            by.extend(about);
            by.sort_by_key(|r| std::cmp::Reverse(r.id));
            by.dedup_by_key(|r| r.id);
            by.truncate(usize::try_from(filter.limit).unwrap_or(100));
            by
        }
        None => store::list(&mut c, filter).await?,
    })
}

/// Every entry about the person asking (their activity, and who has looked at their
/// information), newest first; the filter's subject is always them.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn about_me(
    state: &App,
    who: &Identity,
    filter: &AuditFilter,
) -> Result<Vec<AuditRow>, StoreError> {
    let filter = AuditFilter {
        subject: Some(who.user.id),
        ..filter.clone()
    };
    let mut c = state.store.conn().await?;
    store::list(&mut c, &filter).await
}

/// One audit entry, as the API and a person's download show it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    /// Seconds since the Unix epoch.
    pub at: i64,
    pub actor_id: Option<i64>,
    pub subject_id: Option<i64>,
    /// A stable code such as `signed_in` or `personal_data_viewed`.
    pub action: String,
    pub detail: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        Self {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            subject_id: r.subject_id,
            action: r.action,
            detail: r.detail,
        }
    }
}
