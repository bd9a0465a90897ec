/// Run the same query text on whichever backend `$db` is connected to. `$c` is bound to
/// the backend's connection in `$body`, which is compiled once per backend. (Exported for
/// tests that read or write tables directly; they need `village_store::Db` in scope.)
#[macro_export]
macro_rules! query {
    ($db:expr, $c:ident => $body:expr) => {
        match $crate::Db::exec($db.as_db()) {
            $crate::Exec::Sqlite($c) => $body,
            $crate::Exec::Postgres($c) => $body,
        }
    };
}

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value (such as an email address) is already taken.
    #[error("{0} is already in use")]
    Conflict(&'static str),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Invalid(String),
}

impl StoreError {
    /// Turn a unique-constraint failure into `Conflict(what)`; keep anything else.
    pub fn unique_as(self, what: &'static str) -> Self {
        match &self {
            StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                StoreError::Conflict(what)
            }
            _ => self,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to one Village database.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite {
        pool: SqlitePool,
        path: PathBuf,
        /// Connections for statements outside a transaction (see `db::Kept`).
        kept: Arc<Kept>,
    },
    Postgres {
        pool: PgPool,
    },
}

/// The most connections a store opens unless told: four for each core the machine has, at
/// least 8. SQLite's work is done on this machine's cores once the file is in memory, and at
/// a million offers on two cores 8 answered as many searches a second as 16 (`bench/directory`);
/// each connection also keeps its own pages and statements.
pub fn default_max_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    u32::try_from(cores.saturating_mul(4)).map_or(u32::MAX, |n| n.max(8))
}

/// Megabytes of pages each SQLite connection keeps unless told (`StoreOptions::cache_mb`),
/// worked out from how big the file is when the store opens: a 256th of it, at least 2 MB
/// (SQLite's own default) and at most 64. At a million offers (a 5.4 GB file, so 20 MB) 16 MB
/// answered about as many searches a second as 64 and 2 MB up to a quarter fewer; at 20,000
/// offers (a 112 MB file, so 2 MB) the hub held less than half the memory it held with 64
/// (`bench/directory`, two cores).
pub fn default_cache_mb(file_bytes: u64) -> u32 {
    let mb = file_bytes / (1024 * 1024) / 256;
    u32::try_from(mb.clamp(2, 64)).unwrap_or(64)
}

/// Options for opening a store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub max_connections: u32,
    /// How long a writer waits for SQLite's lock before giving up.
    pub busy_timeout: Duration,
    /// On SQLite, the most megabytes of the file's pages each connection keeps after reading
    /// them; `None` works it out from the file's size (`default_cache_mb`). Only pages read
    /// take memory.
    pub cache_mb: Option<u32>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: default_max_connections(),
            busy_timeout: Duration::from_secs(10),
            cache_mb: None,
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Whether SQLite said the file is busy or locked (its primary result codes 5 and 6).
fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| matches!(c & 0xff, 5 | 6)),
        _ => false,
    }
}

impl Store {
    /// Open the database named by `url`: `postgres://…` or `postgresql://…` for PostgreSQL,
    /// otherwise an SQLite file (a plain path or `sqlite:` URL; created if missing).
    pub async fn open(url: &str, options: &StoreOptions) -> crate::Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // A search by words alone ranks the first matches PostgreSQL reads (see
            // `directory::search_services`); with synchronised scans a scan of a big table
            // starts wherever another one is, so the same search would rank other offers.
            let connect =
                PgConnectOptions::from_str(url)?.options([("synchronize_seqscans", "off")]);
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                // A ping before every checkout doubles the round trips of a one-query request;
                // a connection that died meanwhile fails its query, is dropped, and the next
                // checkout opens a fresh one.
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(connect)
                .await?;
            return Ok(Store::Postgres { pool });
        }
        let path = PathBuf::from(
            url.strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url),
        );
        if path.as_os_str().is_empty() {
            return Err(StoreError::Invalid(
                "the database URL is empty: give a file path or a postgres:// URL".into(),
            ));
        }
        let cache_mb = match options.cache_mb {
            Some(mb) => mb,
            None => default_cache_mb(std::fs::metadata(&path).map_or(0, |m| m.len())),
        };
        let connect = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // An acknowledged write survives a crash or power cut.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(options.busy_timeout)
            .foreign_keys(true)
            // Deleted content is overwritten with zeros, so what a person asks to be forgotten
            // is really gone from the file (see `people::forget`).
            .pragma("secure_delete", "ON")
            // Pages kept per connection (`cache_mb`; unless set, from the file's size, see
            // `default_cache_mb`). Only pages read take memory, but every busy connection
            // fills its own.
            .pragma(
                "cache_size",
                format!("-{}", u64::from(cache_mb.max(1)) * 1024),
            );
        let pool_options = SqlitePoolOptions::new()
            .max_connections(options.max_connections)
            // As on PostgreSQL: a ping before every checkout is one more hand-over to the
            // connection's thread per query, and an SQLite file connection does not drop.
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(10));
        // Two processes opening a new file at once both ask to turn it into a WAL file; SQLite
        // refuses one of them at once ("database is locked") instead of waiting, since waiting
        // could deadlock. The file is a WAL file by the time it tries again.
        let started = std::time::Instant::now();
        let mut attempt = 0u64;
        let pool = loop {
            match pool_options.clone().connect_with(connect.clone()).await {
                Ok(pool) => break pool,
                Err(e) if is_busy(&e) && started.elapsed() < options.busy_timeout => {
                    attempt += 1;
                    tracing::debug!(attempt, error = %e, "the database file is busy; trying again");
                    // Processes started together should not keep retrying in step.
                    let jitter = u64::from(std::process::id() % 20);
                    tokio::time::sleep(Duration::from_millis(10 * attempt.min(10) + jitter)).await;
                }
                Err(e) => return Err(e.into()),
            }
        };
        let kept = Arc::new(Kept::new(options.max_connections, connect));
        Ok(Store::Sqlite { pool, path, kept })
    }

    /// The most connections this store's pool opens.
    pub fn max_connections(&self) -> u32 {
        match self {
            Store::Sqlite { pool, .. } => pool.options().get_max_connections(),
            Store::Postgres { pool } => pool.options().get_max_connections(),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite { .. } => Backend::Sqlite,
            Store::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Bring the schema up to date. On PostgreSQL the migrator holds an advisory lock, so
    /// several processes can start together; on SQLite the write lock serialises them and a
    /// process that loses the race simply finds the work done when it retries.
    pub async fn migrate(&self) -> crate::Result<()> {
        let mut last = None;
        for attempt in 0..5u64 {
            let result = match self {
                Store::Sqlite { pool, .. } => {
                    // On a connection of its own, closed after: a migration that edits a
                    // table's definition in place (`writable_schema`, 0034 and 0039) leaves
                    // the connection that ran it holding the old definition, which a pool
                    // connection would then check later writes against.
                    let mut own = sqlx::ConnectOptions::connect(&*pool.connect_options()).await?;
                    let ran = SQLITE_MIGRATIONS.run(&mut own).await;
                    let closed = sqlx::Connection::close(own).await;
                    ran.map_err(Into::into)
                        .and_then(|()| closed.map_err(Into::into))
                }
                Store::Postgres { pool } => POSTGRES_MIGRATIONS.run(pool).await.map_err(Into::into),
            };
            // Two processes may both find derived rows to fill; the one whose read went stale
            // is refused and finds the work done when it tries again.
            let result = match result {
                Ok(()) => self.fill_derived().await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => return Ok(()),
                Err(e) => {
                    tracing::warn!(attempt, error = %e, "migration did not finish; trying again");
                    last = Some(e);
                    tokio::time::sleep(Duration::from_millis(200 * (attempt + 1))).await;
                }
            }
        }
        match last {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Tables derived from stored records that a new migration left empty.
    async fn fill_derived(&self) -> crate::Result<()> {
        let mut tx = self.begin().await?;
        let read = crate::directory::fill_match_facts(&mut tx).await?;
        let areas = crate::directory::fill_service_areas(&mut tx).await?;
        tx.commit().await?;
        if read > 0 {
            tracing::info!(offers = read, "matching facts filled in from the directory");
        }
        if let Some(areas) = areas {
            tracing::info!(areas, "service areas read from the directory");
        }
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> crate::Result<()> {
        let mut c = self.conn().await?;
        let one: i64 = query!(c, x => sqlx::query_scalar("SELECT CAST(1 AS BIGINT)").fetch_one(&mut *x).await)?;
        if one == 1 {
            Ok(())
        } else {
            Err(StoreError::Invalid(
                "the database gave a strange answer".into(),
            ))
        }
    }

    pub async fn conn(&self) -> crate::Result<Conn> {
        Ok(match self {
            Store::Sqlite { kept, .. } => Conn::Sqlite(kept.acquire().await?),
            Store::Postgres { pool } => Conn::Postgres(pool.acquire().await?),
        })
    }

    /// Begin a transaction that may write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), waiting up to the busy timeout for another writer to finish: two
    /// people saving at once wait for each other instead of failing. A deferred `BEGIN` would
    /// read first and then ask for the lock, and SQLite refuses that at once ("database is
    /// locked") when another connection wrote in between, since waiting could not help.
    pub async fn begin(&self) -> crate::Result<Tx> {
        Ok(match self {
            Store::Sqlite { pool, .. } => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Store::Postgres { pool } => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Write a consistent copy of an SQLite database to `target` while the hub keeps running.
    pub async fn backup(&self, target: &Path) -> crate::Result<()> {
        match self {
            Store::Sqlite { pool, .. } => {
                if target.exists() {
                    return Err(StoreError::Invalid(format!(
                        "{} already exists: choose a new file name",
                        target.display()
                    )));
                }
                let target = target.to_string_lossy().to_string();
                sqlx::query("VACUUM INTO $1")
                    .bind(target)
                    .execute(pool)
                    .await?;
                Ok(())
            }
            Store::Postgres { .. } => Err(StoreError::Invalid(
                "this hub runs on PostgreSQL: back it up with pg_dump (see docs/OPERATIONS.md)"
                    .into(),
            )),
        }
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite { pool, kept, .. } => {
                kept.close().await;
                pool.close().await;
            }
            Store::Postgres { pool } => pool.close().await,
        }
    }
}

/// SQLite connections the store keeps itself, for statements outside a transaction (most
/// page reads). sqlx's pool tests every connection given back to it with a round trip to the
/// connection's own thread, one more hand-over for every page; a connection here goes
/// straight back. At most `max_connections` are open, beside the pool's own (which serves
/// transactions); each is opened when first needed.
#[derive(Debug)]
pub struct Kept {
    slots: Vec<Arc<tokio::sync::Mutex<Option<SqliteConnection>>>>,
    /// One per slot: holding one means a slot is free for its holder.
    permits: Arc<tokio::sync::Semaphore>,
    connect: SqliteConnectOptions,
}

impl Kept {
    fn new(size: u32, connect: SqliteConnectOptions) -> Kept {
        let size = size.max(1) as usize;
        Kept {
            slots: (0..size)
                .map(|_| Arc::new(tokio::sync::Mutex::new(None)))
                .collect(),
            permits: Arc::new(tokio::sync::Semaphore::new(size)),
            connect,
        }
    }

    async fn acquire(&self) -> crate::Result<KeptConn> {
        let permit = tokio::time::timeout(
            Duration::from_secs(10),
            Arc::clone(&self.permits).acquire_owned(),
        )
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)?
        .map_err(|_| sqlx::Error::PoolClosed)?;
        // With a permit at least one slot is free (a holder lets go of its slot before its
        // permit); the first free one is the one most used, so its pages are the warmest.
        let slot = self
            .slots
            .iter()
            .find_map(|slot| Arc::clone(slot).try_lock_owned().ok())
            .ok_or(sqlx::Error::PoolTimedOut)?;
        let conn = match tokio::sync::OwnedMutexGuard::try_map(slot, Option::as_mut) {
            Ok(conn) => conn,
            Err(mut empty) => {
                use sqlx::ConnectOptions;
                *empty = Some(self.connect.connect().await?);
                tokio::sync::OwnedMutexGuard::try_map(empty, Option::as_mut)
                    .map_err(|_| sqlx::Error::PoolClosed)?
            }
        };
        Ok(KeptConn {
            conn,
            _permit: permit,
        })
    }

    async fn close(&self) {
        self.permits.close();
        // A connection still in use is closed when its last holder lets go of the store.
        for slot in &self.slots {
            let open = slot.try_lock().ok().and_then(|mut slot| slot.take());
            if let Some(conn) = open {
                let _ = sqlx::Connection::close(conn).await;
            }
        }
    }
}

/// A connection taken from [`Kept`]; it goes back when dropped. A statement cancelled
/// half-way leaves nothing behind: the connection's thread finishes or resets it before it
/// takes the next one.
pub struct KeptConn {
    // Declared first so it is let go of before the permit.
    conn: tokio::sync::OwnedMappedMutexGuard<Option<SqliteConnection>, SqliteConnection>,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl std::ops::Deref for KeptConn {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for KeptConn {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.conn
    }
}

/// A borrowed connection on one backend: what the `query!` macro matches on.
pub enum Exec<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// Anything a query can run on: a pooled connection or a transaction.
pub trait Db: Send {
    fn exec(&mut self) -> Exec<'_>;
    /// Lets `query!` take either an owned connection or a `&mut` to one.
    fn as_db(&mut self) -> &mut Self {
        self
    }
}

pub enum Conn {
    Sqlite(KeptConn),
    Postgres(PoolConnection<Postgres>),
}

impl Db for Conn {
    fn exec(&mut self) -> Exec<'_> {
        match self {
            Conn::Sqlite(c) => Exec::Sqlite(c),
            Conn::Postgres(c) => Exec::Postgres(c),
        }
    }
}

/// A transaction: everything in it lands together or not at all. Dropped without `commit`,
/// it rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> crate::Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl Db for Tx {
    fn exec(&mut self) -> Exec<'_> {
        match self {
            Tx::Sqlite(t) => Exec::Sqlite(t),
            Tx::Postgres(t) => Exec::Postgres(t),
        }
    }
}

/// Tells a process when sessions or accounts change anywhere (PostgreSQL `LISTEN`), so it can
/// keep recently read sessions in memory safely.
pub struct SessionChanges(sqlx::postgres::PgListener);

impl SessionChanges {
    /// Wait for the next change. `Ok(false)` means the connection was lost: changes may have
    /// been missed, so forget everything and open a new listener.
    pub async fn next(&mut self) -> crate::Result<bool> {
        Ok(self.0.try_recv().await?.is_some())
    }
}

impl Store {
    /// Start listening for session and account changes. `None` on SQLite, where processes
    /// tell each other through a file instead (see [`Store::sessions_changed`]).
    pub async fn session_changes(&self) -> crate::Result<Option<SessionChanges>> {
        match self {
            Store::Sqlite { .. } => Ok(None),
            Store::Postgres { pool } => {
                // A connection of its own, beside the pool: a listener taken from the pool
                // would hold one of its connections for good (all of a pool of one).
                let own = PgPoolOptions::new()
                    .max_connections(1)
                    .connect_lazy_with((*pool.connect_options()).clone());
                let mut listener = sqlx::postgres::PgListener::connect_with(&own).await?;
                listener.listen("village_sessions").await?;
                Ok(Some(SessionChanges(listener)))
            }
        }
    }

    /// SQLite only: the file beside the database that every process sharing it touches after
    /// it changes sessions or accounts (`village.db.sessions-changed`). `None` on PostgreSQL
    /// (triggers and `LISTEN` do this job there) and for an SQLite database with no file.
    pub fn sessions_marker(&self) -> Option<PathBuf> {
        match self {
            Store::Sqlite { path, .. } => {
                let name = path.to_string_lossy();
                if name.starts_with(':') || name.starts_with("file:") {
                    return None;
                }
                let mut marker = path.clone().into_os_string();
                marker.push(".sessions-changed");
                Some(PathBuf::from(marker))
            }
            Store::Postgres { .. } => None,
        }
    }

    /// Tell every process on this database that sessions or accounts have changed, once the
    /// change is committed, so none goes on trusting a session it keeps in memory. On SQLite a
    /// byte is appended to [`Store::sessions_marker`] (the file is emptied now and then); on
    /// PostgreSQL the database's triggers have already said so.
    pub fn sessions_changed(&self) -> std::io::Result<()> {
        let Some(marker) = self.sessions_marker() else {
            return Ok(());
        };
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&marker)?;
        if file.metadata()?.len() >= 4096 {
            file.set_len(0)?;
        }
        std::io::Write::write_all(&mut file, b".")
    }
}

/// How the sessions marker stood when it was last looked at: any change to sessions or
/// accounts by any process changes it. `None` while no process has changed anything.
pub type SessionsStamp = Option<(u64, std::time::SystemTime)>;

/// Look at the sessions marker (one `stat`, no database round trip).
pub fn sessions_stamp(marker: &Path) -> std::io::Result<SessionsStamp> {
    match std::fs::metadata(marker) {
        Ok(m) => Ok(Some((m.len(), m.modified()?))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both backends' migrations have the same versions with the same names, so a change to
    /// the schema cannot land on one backend only.
    #[test]
    fn both_backends_have_the_same_migrations() {
        let names = |m: &sqlx::migrate::Migrator| -> Vec<(i64, String)> {
            m.iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect()
        };
        let sqlite = names(&SQLITE_MIGRATIONS);
        let postgres = names(&POSTGRES_MIGRATIONS);
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
    }

    /// `db_cache_mb` sets how many megabytes of pages each SQLite connection keeps, for the
    /// connections of transactions and those of single statements alike.
    #[tokio::test]
    async fn each_sqlite_connection_keeps_the_pages_it_is_told_to() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("village.db");
        let options = StoreOptions {
            cache_mb: Some(3),
            ..StoreOptions::default()
        };
        let store = Store::open(url.to_str().unwrap(), &options).await.unwrap();
        let Store::Sqlite { pool, kept, .. } = &store else {
            panic!("a file path opens SQLite");
        };
        let in_pool: i64 = sqlx::query_scalar("PRAGMA cache_size")
            .fetch_one(pool)
            .await
            .unwrap();
        let mut single = kept.acquire().await.unwrap();
        let alone: i64 = sqlx::query_scalar("PRAGMA cache_size")
            .fetch_one(&mut *single.conn)
            .await
            .unwrap();
        // Negative: kibibytes rather than pages.
        assert_eq!((in_pool, alone), (-3 * 1024, -3 * 1024));
    }

    /// Unless told, a connection keeps a 256th of the file: SQLite's own 2 MB for a small
    /// hub's file, more for a big one, never more than 64 MB.
    #[test]
    fn the_pages_kept_unless_told_follow_the_size_of_the_file() {
        const MB: u64 = 1024 * 1024;
        assert_eq!(default_cache_mb(0), 2);
        assert_eq!(default_cache_mb(112 * MB), 2);
        assert_eq!(default_cache_mb(1024 * MB), 4);
        assert_eq!(default_cache_mb(5_440 * MB), 21);
        assert_eq!(default_cache_mb(100 * 1024 * MB), 64);
    }

    /// Unless told, four connections for each core, never fewer than 8.
    #[test]
    fn the_connections_unless_told_follow_the_cores() {
        let cores = std::thread::available_parallelism().unwrap().get() as u32;
        assert_eq!(default_max_connections(), (cores * 4).max(8));
        assert_eq!(
            StoreOptions::default().max_connections,
            default_max_connections()
        );
    }

    /// The size is read from the file the store opens.
    /// Migration 34 widens `users.role` by editing SQLite's schema text: the file stays
    /// sound, every connection in the pool (not only the one that ran it) takes the new
    /// role at once, and the check still refuses a role nobody knows.
    #[tokio::test]
    async fn every_sqlite_connection_takes_the_coordinator_role_after_upgrading() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("village.db");
        let store = Store::open(url.to_str().unwrap(), &StoreOptions::default())
            .await
            .unwrap();
        let Store::Sqlite { pool, .. } = &store else {
            panic!("a file path opens SQLite");
        };
        let insert = |n: i64, role: &'static str| {
            sqlx::query(
                "INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at) \
                 VALUES ($1, 'x', 'x', $2, 0, 0)",
            )
            .bind(format!("p{n}@example.org"))
            .bind(role)
        };
        // The hub as it was before migration 34, with connections that have read its schema
        // and stay open while the upgrade runs.
        let before = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(
                super::SQLITE_MIGRATIONS
                    .iter()
                    .filter(|m| m.version < 34)
                    .cloned()
                    .collect(),
            ),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        before.run(pool).await.unwrap();
        let mut early = Vec::new();
        for n in 0..3 {
            let mut c = pool.acquire().await.unwrap();
            insert(n, "member").execute(&mut *c).await.unwrap();
            assert!(insert(10 + n, "coordinator")
                .execute(&mut *c)
                .await
                .is_err());
            early.push(c);
        }
        store.migrate().await.unwrap();
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(ok, "ok");
        for (n, c) in early.iter_mut().enumerate() {
            insert(20 + n as i64, "coordinator")
                .execute(&mut **c)
                .await
                .unwrap();
        }
        assert!(insert(9, "wizard").execute(pool).await.is_err());
    }

    #[tokio::test]
    async fn a_store_opened_without_a_cache_size_takes_it_from_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("village.db");
        let small = Store::open(url.to_str().unwrap(), &StoreOptions::default())
            .await
            .unwrap();
        let Store::Sqlite { pool, .. } = &small else {
            panic!("a file path opens SQLite");
        };
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(pool)
            .await
            .unwrap();
        small.close().await;
        // Made 2 GB long without writing to it (sparse): SQLite reads the size its first page
        // gives and leaves the rest alone.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&url)
            .unwrap()
            .set_len(2048 * 1024 * 1024)
            .unwrap();
        let store = Store::open(url.to_str().unwrap(), &StoreOptions::default())
            .await
            .unwrap();
        let Store::Sqlite { pool, .. } = &store else {
            panic!("a file path opens SQLite");
        };
        let kept: i64 = sqlx::query_scalar("PRAGMA cache_size")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(kept, -8 * 1024);
    }
}

#[cfg(test)]
mod stored_codes {
    use village_domain::connections::checkin::Moment;
    use village_domain::connections::introduction::State;
    use village_domain::decisions::budget::{Method, Phase};
    use village_domain::decisions::proposal::Stance;
    use village_domain::people::circle::Ring;
    use village_domain::people::Visibility;

    /// The values a column's `CHECK (column IN (…))` allows, in every migration of both
    /// backends that names one.
    fn allowed(column: &str) -> Vec<String> {
        allowed_in(None, column)
    }

    /// The same, only in the `CREATE TABLE` of `table` when one is named (many tables have
    /// a `state`).
    fn allowed_in(table: Option<&str>, column: &str) -> Vec<String> {
        let mut found = Vec::new();
        for m in super::SQLITE_MIGRATIONS
            .iter()
            .chain(super::POSTGRES_MIGRATIONS.iter())
        {
            let mut sql = m.sql.to_string();
            if let Some(table) = table {
                let start = format!("CREATE TABLE {table} (");
                let Some(at) = sql.find(&start) else {
                    continue;
                };
                let body = &sql[at..];
                sql = body[..body.find("\n);").unwrap_or(body.len())].to_string();
            }
            let needle = format!("{column} IN (");
            let mut rest = sql.as_str();
            while let Some(at) = rest.find(&needle) {
                let after = &rest[at + needle.len()..];
                let list = after.split(')').next().unwrap_or_default();
                found.extend(
                    list.split(',')
                        .map(|v| v.trim().trim_matches('\'').to_string()),
                );
                rest = after;
            }
        }
        assert!(!found.is_empty(), "no CHECK lists {column}");
        found
    }

    /// Rows carry domain enums, decoded once when read: every value the schema lets a column
    /// hold must be one the enum knows, or reading it would fail.
    #[test]
    fn every_value_the_schema_allows_decodes() {
        fn each<T: TryFrom<String>>(column: &str) {
            for v in allowed(column) {
                assert!(T::try_from(v.clone()).is_ok(), "{column} = {v:?}");
            }
        }
        each::<Visibility>("visibility");
        each::<Ring>("ring");
        fn each_in<T: TryFrom<String>>(table: &str, column: &str) {
            for v in allowed_in(Some(table), column) {
                assert!(T::try_from(v.clone()).is_ok(), "{table}.{column} = {v:?}");
            }
        }
        each_in::<State>("introductions", "state");
        each_in::<village_domain::mutual_aid::post::Kind>("help_posts", "kind");
        each_in::<village_domain::mutual_aid::post::PostState>("help_posts", "state");
        each_in::<village_domain::mutual_aid::matches::State>("help_matches", "state");
        each_in::<village_domain::mutual_aid::safety::Mark>("safety_marks", "mark");
        each::<Stance>("stance");
        each::<Moment>("moment");
        each::<Method>("method");
        each::<Phase>("phase");
        assert!(
            State::try_from("lost".to_string()).is_err(),
            "an unknown code is an error"
        );
    }
}
