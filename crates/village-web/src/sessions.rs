//! Recently read sessions, kept in memory for a few seconds on PostgreSQL so a busy process
//! does not ask the database who every request is from. Correct across processes: the
//! database tells every process (LISTEN/NOTIFY, migration 0007) when any session is deleted or
//! any account changes, and each process then forgets everything it kept. Until its listener is
//! connected, and whenever the listener's connection drops, a process keeps nothing.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use village_store::accounts::SessionUser;
use village_store::Store;

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
}

impl SessionCache {
    /// A kept session for this token, if it is fresh.
    pub fn get(&self, token_hash: &str) -> Option<SessionUser> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        let kept = self.kept.lock().ok()?;
        match kept.get(token_hash) {
            Some((at, found)) if at.elapsed() < KEEP_FOR => Some(found.clone()),
            _ => None,
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

/// Listen for changes for as long as the process runs (PostgreSQL only; on SQLite nothing is
/// kept). Reconnects after a second when the connection drops.
pub fn start(store: Store, cache: Arc<SessionCache>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    if store.backend() != village_store::Backend::Postgres {
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
