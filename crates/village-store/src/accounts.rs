//! Accounts: people's sign-in details and roles, sessions, API tokens, password resets,
//! invites and the attempt counts behind rate limits.

use crate::{Db, Result, StoreError};
use village_domain::accounts::{LivedExperience, Role};
use village_domain::Timestamp;

/// A person's account as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub lived_declared: bool,
    pub lived_kinds: String,
    pub lived_words: Option<String>,
    /// A safeguarding lead: sees and acts on safeguarding concerns, beside their main role.
    pub safeguarding_lead: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRow {
    /// The role (an unknown stored value is an error when the row is read, never a guess).
    pub fn role(&self) -> Role {
        self.role
    }

    pub fn lived_experience(&self) -> LivedExperience {
        LivedExperience {
            declared: self.lived_declared,
            kinds: LivedExperience::kinds_from_code(&self.lived_kinds),
            in_my_words: self.lived_words.clone(),
        }
    }
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, role, lived_declared, \
                            lived_kinds, lived_words, safeguarding_lead, created_at, updated_at";

/// A new account, already checked by the domain.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
}

pub async fn create_user(db: &mut impl Db, user: &NewUser<'_>, now: Timestamp) -> Result<i64> {
    let sql =
        "INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
    let id: std::result::Result<i64, sqlx::Error> = query!(db, c => sqlx::query_scalar(sql)
        .bind(user.email)
        .bind(user.display_name)
        .bind(user.password_hash)
        .bind(user.role.as_str())
        .bind(now)
        .fetch_one(&mut *c)
        .await);
    id.map_err(|e| StoreError::from(e).unique_as("email"))
}

pub async fn user_by_id(db: &mut impl Db, id: i64) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn user_by_email(db: &mut impl Db, email: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
    Ok(query!(db, c => sqlx::query_as(&sql).bind(email).fetch_optional(&mut *c).await)?)
}

/// Filters for the admin list of accounts.
#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    /// Part of a name or email address.
    pub text: Option<String>,
    pub role: Option<Role>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list_users(db: &mut impl Db, filter: &UserFilter) -> Result<(Vec<UserRow>, i64)> {
    let pattern = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| format!("%{}%", escape_like(&t.to_lowercase())));
    let role = filter.role.map(Role::as_str);
    let condition =
        "($1 IS NULL OR LOWER(display_name) LIKE $1 ESCAPE '\\' OR email LIKE $1 ESCAPE '\\') \
                     AND ($2 IS NULL OR role = $2)";
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE {condition} ORDER BY display_name, id LIMIT $3 OFFSET $4"
    );
    let rows: Vec<UserRow> = query!(db, c => sqlx::query_as(&sql)
        .bind(pattern.clone())
        .bind(role)
        .bind(filter.limit)
        .bind(filter.offset)
        .fetch_all(&mut *c)
        .await)?;
    let count_sql = format!("SELECT COUNT(*) FROM users WHERE {condition}");
    let total: i64 = query!(db, c => sqlx::query_scalar(&count_sql)
        .bind(pattern.clone())
        .bind(role)
        .fetch_one(&mut *c)
        .await)?;
    Ok((rows, total))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn count_users(db: &mut impl Db) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *c).await)?)
}

pub async fn count_role(db: &mut impl Db, role: Role) -> Result<i64> {
    Ok(
        query!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = $1")
        .bind(role.as_str())
        .fetch_one(&mut *c)
        .await)?,
    )
}

/// How many people have joined, and how many of them at or after `since`, in one query
/// (the home page asks on every visit).
pub async fn count_joined(db: &mut impl Db, since: Timestamp) -> Result<(i64, i64)> {
    let sql = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN created_at >= $1 THEN 1 ELSE 0 END), 0) FROM users";
    let row: (i64, i64) =
        query!(db, c => sqlx::query_as(sql).bind(since).fetch_one(&mut *c).await)?;
    Ok(row)
}

pub async fn set_role(db: &mut impl Db, id: i64, role: Role, now: Timestamp) -> Result<bool> {
    let done = query!(db, c => sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

pub async fn set_password_hash(
    db: &mut impl Db,
    id: i64,
    hash: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_email(db: &mut impl Db, id: i64, email: &str, now: Timestamp) -> Result<()> {
    let done: std::result::Result<_, sqlx::Error> = query!(db, c => sqlx::query("UPDATE users SET email = $1, updated_at = $2 WHERE id = $3")
        .bind(email)
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()));
    done.map_err(|e| StoreError::from(e).unique_as("email"))?;
    Ok(())
}

pub async fn set_display_name(db: &mut impl Db, id: i64, name: &str, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE users SET display_name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_lived_experience(
    db: &mut impl Db,
    id: i64,
    lived: &LivedExperience,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "UPDATE users SET lived_declared = $1, lived_kinds = $2, lived_words = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(lived.declared)
    .bind(lived.kinds_code())
    .bind(lived.in_my_words.clone())
    .bind(now)
    .bind(id)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Remove an account and everything that hangs off it (sessions, tokens, resets cascade).
pub async fn delete_user(db: &mut impl Db, id: i64) -> Result<()> {
    query!(db, c => sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- Sessions -------------------------------------------------------------------------

/// A signed-in session with its person.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionUser {
    pub session_created_at: i64,
    pub session_last_seen_at: i64,
    #[sqlx(flatten)]
    pub user: UserRow,
}

pub async fn create_session(
    db: &mut impl Db,
    token_hash: &str,
    user_id: i64,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn session_user(db: &mut impl Db, token_hash: &str) -> Result<Option<SessionUser>> {
    let sql = "SELECT s.created_at AS session_created_at, s.last_seen_at AS session_last_seen_at, \
               u.id, u.email, u.display_name, u.password_hash, u.role, u.lived_declared, \
               u.lived_kinds, u.lived_words, u.safeguarding_lead, u.created_at, u.updated_at \
               FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";
    Ok(query!(db, c => sqlx::query_as(sql).bind(token_hash).fetch_optional(&mut *c).await)?)
}

pub async fn touch_session(db: &mut impl Db, token_hash: &str, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_session(db: &mut impl Db, token_hash: &str) -> Result<()> {
    query!(db, c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// End every session of a person, except `keep` (the one they are using) if given.
pub async fn delete_sessions_of(db: &mut impl Db, user_id: i64, keep: Option<&str>) -> Result<u64> {
    let done = query!(db, c => sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)",
    )
    .bind(user_id)
    .bind(keep)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(done)
}

pub async fn count_sessions_of(db: &mut impl Db, user_id: i64) -> Result<i64> {
    Ok(
        query!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *c)
        .await)?,
    )
}

/// Remove sessions past their idle or absolute limit, old attempt counts, spent reset links
/// and requests to join whose link ran out. Safe to run from every process at once.
pub async fn sweep(
    db: &mut impl Db,
    idle_before: Timestamp,
    created_before: Timestamp,
    attempts_before: Timestamp,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(idle_before)
        .bind(created_before)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    query!(db, c => sqlx::query("DELETE FROM attempts WHERE at < $1")
        .bind(attempts_before)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    query!(db, c => sqlx::query("DELETE FROM password_resets WHERE expires_at < $1 OR used_at IS NOT NULL")
        .bind(now)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    query!(db, c => sqlx::query("DELETE FROM pending_joins WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- API tokens -----------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

pub async fn create_api_token(
    db: &mut impl Db,
    user_id: i64,
    name: &str,
    token_hash: &str,
    now: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(token_hash)
    .bind(now)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn api_tokens_of(db: &mut impl Db, user_id: i64) -> Result<Vec<ApiTokenRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, user_id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(&mut *c)
    .await)?)
}

/// A bearer token's id with the person it belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenUser {
    pub token_id: i64,
    #[sqlx(flatten)]
    pub user: UserRow,
}

/// The person a bearer token belongs to.
pub async fn api_token_user(db: &mut impl Db, token_hash: &str) -> Result<Option<(i64, UserRow)>> {
    let sql = "SELECT t.id AS token_id, u.id, u.email, u.display_name, u.password_hash, u.role, \
               u.lived_declared, u.lived_kinds, u.lived_words, u.safeguarding_lead, u.created_at, u.updated_at \
               FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1";
    let found: Option<TokenUser> =
        query!(db, c => sqlx::query_as(sql).bind(token_hash).fetch_optional(&mut *c).await)?;
    Ok(found.map(|f| (f.token_id, f.user)))
}

pub async fn touch_api_token(db: &mut impl Db, id: i64, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Remove one of a person's tokens. Returns whether it was theirs and existed.
pub async fn delete_api_token(db: &mut impl Db, user_id: i64, id: i64) -> Result<bool> {
    let done = query!(db, c => sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Remove every token a person has: when they sign out everywhere or change their password,
/// so a token someone else made while in their account stops working too.
pub async fn delete_api_tokens_of(db: &mut impl Db, user_id: i64) -> Result<u64> {
    let done = query!(db, c => sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(done)
}

// ---- Password resets ------------------------------------------------------------------

pub async fn create_password_reset(
    db: &mut impl Db,
    token_hash: &str,
    user_id: i64,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The account a reset link is for, if the link is unused and in date.
pub async fn password_reset_user(
    db: &mut impl Db,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *c)
    .await)?)
}

/// Spend every reset link of a person (the one used, and any older ones).
pub async fn use_password_resets(db: &mut impl Db, user_id: i64, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query(
        "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- Joining (waiting for the email link) ---------------------------------------------

/// A request to join, waiting for the person to open the link sent to their address.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingJoinRow {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub invite_id: Option<i64>,
}

const PENDING_JOIN_COLUMNS: &str = "email, display_name, password_hash, invite_id";

pub async fn create_pending_join(
    db: &mut impl Db,
    token_hash: &str,
    join: &NewUser<'_>,
    invite_id: Option<i64>,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query(
        "INSERT INTO pending_joins (token_hash, email, display_name, password_hash, invite_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token_hash)
    .bind(join.email)
    .bind(join.display_name)
    .bind(join.password_hash)
    .bind(invite_id)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The request a join link is for, while the link still works.
pub async fn pending_join(
    db: &mut impl Db,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<PendingJoinRow>> {
    let sql = format!(
        "SELECT {PENDING_JOIN_COLUMNS} FROM pending_joins WHERE token_hash = $1 AND expires_at > $2"
    );
    Ok(query!(db, c => sqlx::query_as(&sql)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *c)
        .await)?)
}

/// Take the request a join link is for (so the link works once), with every other request
/// for the same address.
pub async fn take_pending_join(
    db: &mut impl Db,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<PendingJoinRow>> {
    let sql = format!(
        "DELETE FROM pending_joins WHERE token_hash = $1 AND expires_at > $2 RETURNING {PENDING_JOIN_COLUMNS}"
    );
    let row: Option<PendingJoinRow> = query!(db, c => sqlx::query_as(&sql)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *c)
        .await)?;
    if let Some(r) = &row {
        query!(db, c => sqlx::query("DELETE FROM pending_joins WHERE email = $1")
            .bind(&r.email)
            .execute(&mut *c)
            .await.map(|r| r.rows_affected()))?;
    }
    Ok(row)
}

// ---- Invites --------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InviteRow {
    pub id: i64,
    pub note: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub used_by: Option<i64>,
}

pub async fn create_invite(
    db: &mut impl Db,
    token_hash: &str,
    note: &str,
    created_by: i64,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<i64> {
    Ok(query!(db, c => sqlx::query_scalar(
        "INSERT INTO invites (token_hash, note, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(token_hash)
    .bind(note)
    .bind(created_by)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut *c)
    .await)?)
}

pub async fn recent_invites(db: &mut impl Db, limit: i64) -> Result<Vec<InviteRow>> {
    Ok(query!(db, c => sqlx::query_as(
        "SELECT id, note, created_by, created_at, expires_at, used_at, used_by FROM invites ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *c)
    .await)?)
}

/// An unused, in-date invite with this token.
pub async fn open_invite(
    db: &mut impl Db,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<i64>> {
    Ok(query!(db, c => sqlx::query_scalar(
        "SELECT id FROM invites WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *c)
    .await)?)
}

/// Mark an invite used. Returns false if someone else used it first.
pub async fn use_invite(db: &mut impl Db, id: i64, user_id: i64, now: Timestamp) -> Result<bool> {
    let done = query!(db, c => sqlx::query(
        "UPDATE invites SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(id)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

// ---- Attempts (rate limits) -----------------------------------------------------------

/// What an attempt count is about. Kept in the database so every process sees the same count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptKind {
    SignInFromAddress,
    SignInToAccount,
    SignUpFromAddress,
    ResetFromAddress,
    /// A safeguarding concern raised by someone not signed in.
    ConcernFromAddress,
}

impl AttemptKind {
    fn as_str(self) -> &'static str {
        match self {
            AttemptKind::SignInFromAddress => "sign_in_address",
            AttemptKind::SignInToAccount => "sign_in_account",
            AttemptKind::SignUpFromAddress => "sign_up_address",
            AttemptKind::ResetFromAddress => "reset_address",
            AttemptKind::ConcernFromAddress => "concern_address",
        }
    }
}

pub async fn record_attempt(
    db: &mut impl Db,
    kind: AttemptKind,
    key: &str,
    now: Timestamp,
) -> Result<()> {
    query!(db, c => sqlx::query("INSERT INTO attempts (kind, key, at) VALUES ($1, $2, $3)")
        .bind(kind.as_str())
        .bind(key)
        .bind(now)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn count_attempts(
    db: &mut impl Db,
    kind: AttemptKind,
    key: &str,
    since: Timestamp,
) -> Result<u64> {
    let n: i64 = query!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM attempts WHERE kind = $1 AND key = $2 AND at > $3",
    )
    .bind(kind.as_str())
    .bind(key)
    .bind(since)
    .fetch_one(&mut *c)
    .await)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub async fn clear_attempts(db: &mut impl Db, kind: AttemptKind, key: &str) -> Result<()> {
    query!(db, c => sqlx::query("DELETE FROM attempts WHERE kind = $1 AND key = $2")
        .bind(kind.as_str())
        .bind(key)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Give or take away the safeguarding lead role (beside the account's main role).
pub async fn set_safeguarding_lead(
    db: &mut impl Db,
    id: i64,
    lead: bool,
    now: Timestamp,
) -> Result<bool> {
    let n = query!(db, c => sqlx::query("UPDATE users SET safeguarding_lead = $1, updated_at = $2 WHERE id = $3")
        .bind(lead)
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The hub's safeguarding leads (id, name, email).
pub async fn safeguarding_leads(db: &mut impl Db) -> Result<Vec<(i64, String, String)>> {
    Ok(
        query!(db, c => sqlx::query_as("SELECT id, display_name, email FROM users WHERE safeguarding_lead ORDER BY id")
        .fetch_all(&mut *c)
        .await)?,
    )
}

/// The ids of everyone with one of these roles (e.g. `steward`, `hub_admin`), oldest first.
pub async fn users_with_roles(db: &mut impl Db, roles: &[&str]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for role in roles {
        let ids: Vec<i64> = query!(db, c => sqlx::query_scalar("SELECT id FROM users WHERE role = $1 ORDER BY id")
            .bind(*role)
            .fetch_all(&mut *c)
            .await)?;
        out.extend(ids);
    }
    Ok(out)
}

/// A member's phone number, as they gave it ('' when they have not). It is shared only in a
/// mutual aid match, when they choose.
pub async fn phone_of(db: &mut impl Db, user_id: i64) -> Result<String> {
    let phone: Option<String> = query!(db, c => sqlx::query_scalar("SELECT phone FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *c)
        .await)?;
    Ok(phone.unwrap_or_default())
}

pub async fn set_phone(db: &mut impl Db, user_id: i64, phone: &str, now: Timestamp) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE users SET phone = $1, updated_at = $2 WHERE id = $3")
        .bind(phone)
        .bind(now)
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
