//! Secrets: random tokens (sessions, API tokens, invitations, resets) stored only as their
//! SHA-256, and passwords hashed with argon2id.

use argon2::password_hash::{PasswordHash, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A fresh secret: 256 random bits from the operating system, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The form token (CSRF) of a session, worked out from the session's secret token: only a
/// browser holding the session cookie can know it, so a value planted in the `village_csrf`
/// cookie from elsewhere does not pass, and signing in again gives a new one. Not the stored
/// hash of the session token (that would let a copy of the database forge it).
pub fn form_token_of_session(session_token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"village form token\0");
    h.update(session_token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(h.finalize())
}

/// Tokens are stored only as their SHA-256, so a copy of the database cannot sign anyone in.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Password hashing is slow and memory-hungry on purpose (argon2id, 19 MiB each). Running
/// more at once than there are cores only queues them and multiplies the memory, so a burst
/// of sign-ins waits its turn here instead.
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        tokio::sync::Semaphore::new(cores)
    })
}

/// argon2's working memory, kept between hashes. Allocating 19 MiB afresh for every sign-in
/// left each worker thread holding its own copy; reusing at most one buffer per core keeps
/// the memory bounded and the idle footprint small.
fn with_hash_memory<R>(blocks: usize, work: impl FnOnce(&mut [argon2::Block]) -> R) -> R {
    static SPARE: std::sync::Mutex<Vec<Vec<argon2::Block>>> = std::sync::Mutex::new(Vec::new());
    let reuse = SPARE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .pop()
        .filter(|b| b.len() == blocks);
    let mut memory = reuse.unwrap_or_else(|| vec![argon2::Block::default(); blocks]);
    let result = work(&mut memory);
    SPARE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(memory);
    result
}

/// The raw argon2id output for a password, salt and parameters.
fn argon2_raw(password: &[u8], salt: &[u8], params: argon2::Params) -> anyhow::Result<Vec<u8>> {
    let mut out = vec![
        0u8;
        params
            .output_len()
            .unwrap_or(argon2::Params::DEFAULT_OUTPUT_LEN)
    ];
    let blocks = params.block_count();
    let hasher = Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    with_hash_memory(blocks, |memory| {
        hasher.hash_password_into_with_memory(password, salt, &mut out, memory)
    })
    .map_err(|e| anyhow::anyhow!("could not hash password: {e}"))?;
    Ok(out)
}

/// Hash a password with argon2id (OWASP's parameters: 19 MiB, 2 passes), in the standard
/// PHC string form, off the async threads: it is slow on purpose.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    let _slot = hashing_slots().acquire().await?;
    tokio::task::spawn_blocking(move || {
        let params = argon2::Params::default();
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let mut salt_bytes = [0u8; 64];
        let salt_raw = salt
            .decode_b64(&mut salt_bytes)
            .map_err(|e| anyhow::anyhow!("bad salt: {e}"))?;
        let out = argon2_raw(password.as_bytes(), salt_raw, params.clone())?;
        Ok(format!(
            "$argon2id$v=19$m={},t={},p={}${}${}",
            params.m_cost(),
            params.t_cost(),
            params.p_cost(),
            salt.as_str(),
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(out)
        ))
    })
    .await?
}

/// A hash of a password nobody knows, checked when an address has no account so that a
/// wrong address takes as long as a wrong password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$IAHud8kjG7wMY2hWbfMDjA$a3XpfSvT0CXL9kUQX3H426W6WPACGa0Of1DWZlJKBMc";

fn password_matches(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(params), Some(salt), Some(expected)) =
        (argon2::Params::try_from(&parsed), parsed.salt, parsed.hash)
    else {
        return false;
    };
    if parsed.algorithm.as_str() != "argon2id" {
        // Anything else was made by another tool: let the library check it the usual way.
        return Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_raw) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    match argon2_raw(password.as_bytes(), salt_raw, params) {
        Ok(out) => bool::from(out.as_slice().ct_eq(expected.as_bytes())),
        Err(_) => false,
    }
}

pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    let Ok(_slot) = hashing_slots().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let stored = hash.as_deref().unwrap_or(DUMMY_HASH);
        password_matches(&password, stored) && hash.is_some()
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordHasher;

    #[tokio::test]
    async fn hashes_interoperate_with_the_argon2_library() {
        // Ours verify with the library, and the library's verify with ours.
        let ours = hash_password("marigold tuesday bicycle".into())
            .await
            .unwrap_or_default();
        let parsed = PasswordHash::new(&ours);
        assert!(parsed.is_ok(), "{ours}");
        if let Ok(parsed) = parsed {
            assert!(Argon2::default()
                .verify_password(b"marigold tuesday bicycle", &parsed)
                .is_ok());
        }
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let theirs = Argon2::default()
            .hash_password(b"autumn lanterns glow", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default();
        assert!(password_matches("autumn lanterns glow", &theirs));
        assert!(!password_matches("autumn lanterns glows", &theirs));
        assert!(!password_matches("anything", "not a hash"));
    }

    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash() {
        // If it did not parse, a wrong address would answer faster than a wrong password.
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[tokio::test]
    async fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("marigold tuesday bicycle".into()).await.ok();
        assert!(hash.is_some());
        assert!(verify_password("marigold tuesday bicycle".into(), hash.clone()).await);
        assert!(!verify_password("marigold tuesday bicycles".into(), hash).await);
        assert!(!verify_password("anything at all".into(), None).await);
    }
}
