//! Recently read sessions, kept in memory for a few seconds so a busy process does not ask the
//! database who every request is from. Correct across processes: on PostgreSQL the database
//! tells every process (LISTEN/NOTIFY, migration 0007) when any session is deleted or any
//! account changes; on SQLite every process appends to a file beside the database after such
//! a change (`Store::sessions_changed`) and looks at that file (one `stat`) before trusting
//! what it keeps. Either way a process then forgets everything it kept. Until its listener is
//! connected, and whenever the listener's connection drops, a process keeps nothing.

use crate::accounts::{hash_token, Identity, Via};
use crate::App;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use village_store::accounts::{self as account_store, SessionUser, UserRow};
use village_store::{SessionsStamp, Store};

/// How long a session read from the database is trusted without asking again.
pub const KEEP_FOR: Duration = Duration::from_secs(5);
/// Never keep more than this many sessions (the oldest simply go when it is full).
const MOST: usize = 10_000;

#[derive(Default)]
pub struct SessionCache {
    listening: AtomicBool,
    /// Changes whenever everything is forgotten, so a read that raced a change is not kept.
    generation: AtomicU64,
    kept: Mutex<HashMap<String, (Instant, SessionUser)>>,
    /// SQLite: the file every process touches after changing sessions or accounts, and how it
    /// stood when this process last looked.
    marker: Mutex<Option<(PathBuf, SessionsStamp)>>,
    /// Whether the marker could not be read last time (so the warning is given once).
    marker_failing: AtomicBool,
}

impl SessionCache {
    /// A kept session for this token, if it is fresh.
    pub fn get(&self, token_hash: &str) -> Option<SessionUser> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        if !self.marker_unchanged() {
            return None;
        }
        let kept = self.kept.lock().ok()?;
        match kept.get(token_hash) {
            Some((at, found)) if at.elapsed() < KEEP_FOR => Some(found.clone()),
            _ => None,
        }
    }

    /// On SQLite: whether the marker file is as this process last saw it. When it is not (or
    /// cannot be read), everything kept is forgotten and `false` returned.
    fn marker_unchanged(&self) -> bool {
        let Ok(mut marker) = self.marker.lock() else {
            return false;
        };
        let Some((path, seen)) = marker.as_mut() else {
            return true;
        };
        match village_store::sessions_stamp(path) {
            Ok(now) if now == *seen => {
                self.marker_failing.store(false, Ordering::Release);
                true
            }
            Ok(now) => {
                *seen = now;
                drop(marker);
                self.forget_all();
                false
            }
            Err(e) => {
                drop(marker);
                // Said once, not on every request while it lasts.
                if !self.marker_failing.swap(true, Ordering::AcqRel) {
                    tracing::warn!(error = %e, "cannot read the sessions marker; reading sessions from the database until it can be read");
                }
                self.forget_all();
                false
            }
        }
    }

    /// This process has changed something (any request that may write): forget every kept
    /// session, and on SQLite tell the other processes on the same file.
    pub fn changed(&self, store: &Store) {
        self.forget_all();
        if let Err(e) = store.sessions_changed() {
            tracing::error!(error = %e, "cannot tell other processes that sessions changed");
        }
    }

    /// The generation to pass to `keep` for a read that starts now.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keep a session read from the database, unless anything changed since `generation`.
    pub fn keep(&self, generation: u64, token_hash: &str, found: &SessionUser) {
        if !self.listening.load(Ordering::Acquire) {
            return;
        }
        if let Ok(mut kept) = self.kept.lock() {
            // Checked under the lock, which `forget_all` also takes: no change slips between.
            if self.generation.load(Ordering::Acquire) != generation {
                return;
            }
            if kept.len() >= MOST {
                kept.retain(|_, (at, _)| at.elapsed() < KEEP_FOR);
                if kept.len() >= MOST {
                    kept.clear();
                }
            }
            kept.insert(token_hash.to_string(), (Instant::now(), found.clone()));
        }
    }

    /// Forget every kept session (this process signed someone out, or the database said
    /// something changed).
    pub fn forget_all(&self) {
        if let Ok(mut kept) = self.kept.lock() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            kept.clear();
        }
    }

    fn set_listening(&self, on: bool) {
        if !on {
            self.listening.store(false, Ordering::Release);
        }
        self.forget_all();
        if on {
            self.listening.store(true, Ordering::Release);
        }
    }
}

/// Listen for changes for as long as the process runs (PostgreSQL; reconnects after a second
/// when the connection drops), or, on SQLite, start watching the marker file.
pub fn start(store: Store, cache: Arc<SessionCache>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    if store.backend() != village_store::Backend::Postgres {
        let Some(path) = store.sessions_marker() else {
            return;
        };
        match village_store::sessions_stamp(&path) {
            Ok(seen) => {
                if let Ok(mut marker) = cache.marker.lock() {
                    *marker = Some((path, seen));
                    drop(marker);
                    cache.set_listening(true);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the sessions marker; not keeping sessions in memory");
            }
        }
        return;
    }
    runtime.spawn(async move {
        loop {
            match store.session_changes().await {
                Ok(Some(mut changes)) => {
                    // Listening before forgetting: nothing that changes from here is missed.
                    cache.set_listening(true);
                    // Until the connection drops (`Ok(false)`) or fails.
                    while let Ok(true) = changes.next().await {
                        cache.forget_all();
                    }
                    cache.set_listening(false);
                }
                Ok(None) => return,
                Err(e) => {
                    cache.set_listening(false);
                    tracing::warn!(error = %e, "cannot listen for session changes; not keeping sessions in memory");
                }
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

/// The person a session (by its token's hash) belongs to, while it is fresh: expired
/// sessions are removed; a session's last visit is written at most once a minute, and a
/// session needing no touch is kept in memory for a few seconds.
pub async fn session_user(
    state: &App,
    token_hash: &str,
    now: i64,
) -> village_store::Result<Option<UserRow>> {
    let limits = &state.settings.sessions;
    let fresh = |found: &SessionUser| {
        now - found.session_last_seen_at <= limits.idle_timeout_secs
            && now - found.session_created_at <= limits.absolute_timeout_secs
    };
    // A kept session is used only while it needs no touch, so last-seen times stay right.
    if let Some(kept) = state.sessions.get(token_hash) {
        if fresh(&kept) && now - kept.session_last_seen_at < 60 {
            return Ok(Some(kept.user));
        }
    }
    let generation = state.sessions.generation();
    let mut c = state.store.conn().await?;
    let Some(found) = account_store::session_user(&mut c, token_hash).await? else {
        return Ok(None);
    };
    if !fresh(&found) {
        account_store::delete_session(&mut c, token_hash).await?;
        return Ok(None);
    }
    if now - found.session_last_seen_at >= 60 {
        account_store::touch_session(&mut c, token_hash, now).await?;
    } else {
        state.sessions.keep(generation, token_hash, &found);
    }
    Ok(Some(found.user))
}

/// The person an API token belongs to; its last use is noted.
pub async fn api_token_user(
    state: &App,
    token: &str,
    now: i64,
) -> village_store::Result<Option<Identity>> {
    let mut c = state.store.conn().await?;
    let Some((id, user)) = account_store::api_token_user(&mut c, &hash_token(token)).await? else {
        return Ok(None);
    };
    // Noting the last use is a courtesy: a failure here does not refuse the request.
    let _ = account_store::touch_api_token(&mut c, id, now).await;
    Ok(Some(Identity {
        user,
        via: Via::ApiToken { id },
    }))
}

/// Remove expired sessions, old attempt counts and spent reset links every ten minutes.
pub async fn sweep_forever(state: App) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        let now = crate::now();
        let limits = &state.settings;
        let longest_window = [
            limits.limits.sign_in_per_address,
            limits.limits.sign_in_per_account,
            limits.limits.sign_up_per_address,
            limits.limits.reset_per_address,
            limits.limits.concern_per_address,
        ]
        .iter()
        .map(|l| l.window_secs)
        .max()
        .unwrap_or(3600);
        let result = match state.store.conn().await {
            Ok(mut c) => {
                account_store::sweep(
                    &mut c,
                    now - limits.sessions.idle_timeout_secs,
                    now - limits.sessions.absolute_timeout_secs,
                    now - longest_window,
                    now,
                )
                .await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not sweep expired sessions");
        }
    }
}
