//! Changes a person makes to their own account (name, password by reset link, signing out
//! everywhere, API tokens) and a hub admin makes to who can join (invitations, the sign-up
//! rule): each written in one transaction with its audit entry.

use crate::accounts::{hash_token, limited, new_token, Identity};
use crate::audit::record;
use crate::App;
use village_domain::access::{self, Action};
use village_domain::accounts::{DisplayName, Email, SignUpMode};
use village_domain::audit::AuditAction;
use village_store::accounts::{self as store, ApiTokenRow, AttemptKind, InviteRow, UserRow};
use village_store::{hub as hub_store, StoreError};

/// How long a reset link works.
const RESET_LINK_SECS: i64 = 60 * 60;

/// End the session this request came with.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn sign_out(state: &App, who: &Identity, ip: &str, now: i64) -> Result<(), StoreError> {
    let mut c = state.store.conn().await?;
    if let Some(hash) = who.session_hash() {
        store::delete_session(&mut c, hash).await?;
    }
    record(
        &mut c,
        Some(who.user.id),
        Some(who.user.id),
        AuditAction::SignedOut,
        "",
        Some(ip),
        now,
    )
    .await
}

/// Send a reset link if the address has an account. The answer is the same either way, so
/// nobody can use this page to find out who has an account.
pub async fn request_password_reset(
    state: &App,
    email: &Email,
    ip: &str,
    now: i64,
) -> crate::Result<()> {
    let limit = state.settings.limits.reset_per_address;
    if limited(state, AttemptKind::ResetFromAddress, ip, limit, now).await? {
        return Err(crate::Error::Limited(limit));
    }
    let mut c = state.store.conn().await?;
    store::record_attempt(&mut c, AttemptKind::ResetFromAddress, ip, now).await?;
    let Some(user) = store::user_by_email(&mut c, email.as_str()).await? else {
        return Ok(());
    };
    let token = new_token();
    store::create_password_reset(
        &mut c,
        &hash_token(&token),
        user.id,
        now,
        now + RESET_LINK_SECS,
    )
    .await?;
    record(
        &mut c,
        None,
        Some(user.id),
        AuditAction::PasswordResetRequested,
        "",
        Some(ip),
        now,
    )
    .await?;
    drop(c);
    let link = state.settings.link(&format!("/reset-password/{token}"));
    let body = format!(
        "Hello {},\n\nSomeone (we hope you) asked to reset the password for your account on {}.\n\nTo choose a new password, open this link within one hour:\n\n{}\n\nIf you did not ask for this, you can ignore this email: your password has not changed.\n",
        user.display_name, state.settings.hub.name, link
    );
    state
        .mailer
        .send(&user.email, "Reset your password", body)
        .await?;
    Ok(())
}

/// The account a reset link is for, while the link still works.
pub async fn reset_link_user(
    state: &App,
    token: &str,
    now: i64,
) -> Result<Option<UserRow>, StoreError> {
    let mut c = state.store.conn().await?;
    match store::password_reset_user(&mut c, &hash_token(token), now).await? {
        Some(id) => store::user_by_id(&mut c, id).await,
        None => Ok(None),
    }
}

/// How many devices the person is signed in on.
pub async fn session_count(state: &App, who: &Identity) -> Result<i64, StoreError> {
    let mut c = state.store.conn().await?;
    store::count_sessions_of(&mut c, who.user.id).await
}

/// The person's API tokens (names and when made and last used; never the tokens).
pub async fn tokens(state: &App, who: &Identity) -> Result<Vec<ApiTokenRow>, StoreError> {
    let mut c = state.store.conn().await?;
    store::api_tokens_of(&mut c, who.user.id).await
}

/// The newest invitations (hub admins; nobody else sees any).
pub async fn recent_invites(
    state: &App,
    who: &Identity,
    limit: i64,
) -> Result<Vec<InviteRow>, StoreError> {
    if access::check(&who.actor(), Action::ManageSignUp).is_err() {
        return Ok(Vec::new());
    }
    let mut c = state.store.conn().await?;
    store::recent_invites(&mut c, limit).await
}

/// End every session of the person asking, on every device, and remove their API tokens.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn sign_out_everywhere(
    state: &App,
    who: &Identity,
    ip: &str,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = state.store.begin().await?;
    store::delete_sessions_of(&mut tx, who.user.id, None).await?;
    let tokens = store::delete_api_tokens_of(&mut tx, who.user.id).await?;
    record(
        &mut tx,
        Some(who.user.id),
        Some(who.user.id),
        AuditAction::SignedOutEverywhere,
        &tokens_ended(tokens),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await
}

/// Set a new password (already hashed) from an email link: the link and every other is used
/// up, every session ends, every API token is removed, and the failed sign-ins counted
/// against the address are forgotten.
#[tracing::instrument(skip_all, fields(user_id = user.id))]
pub async fn reset_password(
    state: &App,
    user: &UserRow,
    hash: &str,
    ip: &str,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = state.store.begin().await?;
    store::set_password_hash(&mut tx, user.id, hash, now).await?;
    store::use_password_resets(&mut tx, user.id, now).await?;
    store::delete_sessions_of(&mut tx, user.id, None).await?;
    let tokens = store::delete_api_tokens_of(&mut tx, user.id).await?;
    store::clear_attempts(
        &mut tx,
        AttemptKind::SignInToAccount,
        &hash_token(&user.email),
    )
    .await?;
    record(
        &mut tx,
        None,
        Some(user.id),
        AuditAction::PasswordReset,
        &format!("by email link; every session ended{}", tokens_ended(tokens)),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await
}

/// Change the name the person asking is shown by.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn change_name(
    state: &App,
    who: &Identity,
    name: &DisplayName,
    ip: &str,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = state.store.begin().await?;
    store::set_display_name(&mut tx, who.user.id, name.as_str(), now).await?;
    record(
        &mut tx,
        Some(who.user.id),
        Some(who.user.id),
        AuditAction::DisplayNameChanged,
        "",
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await
}

/// A member's phone number, to share in a mutual aid match when they choose ('' when none).
pub async fn phone(state: &App, who: &Identity) -> Result<String, StoreError> {
    let mut c = state.store.conn().await?;
    store::phone_of(&mut c, who.user.id).await
}

/// Keep or clear a member's phone number (as typed; it must read as one).
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn change_phone(
    state: &App,
    who: &Identity,
    phone: &str,
    ip: &str,
    now: i64,
) -> crate::Result<()> {
    let phone = phone.trim();
    let digits = phone.chars().filter(|c| c.is_ascii_digit()).count();
    let tidy = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    if !phone.is_empty() && (!tidy || !(10..=15).contains(&digits)) {
        return Err(village_domain::error::FieldError::new(
            "phone",
            village_domain::error::ErrorCode::Invalid,
            "Give a phone number like 07700 900123, or leave it empty.",
        )
        .into());
    }
    let mut tx = state.store.begin().await?;
    store::set_phone(&mut tx, who.user.id, phone, now).await?;
    record(
        &mut tx,
        Some(who.user.id),
        Some(who.user.id),
        AuditAction::PhoneChanged,
        "",
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Keep a new API token (only its hash) for the person asking, named as they said.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn create_token(
    state: &App,
    who: &Identity,
    name: &str,
    token: &str,
    ip: &str,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = state.store.begin().await?;
    let id = store::create_api_token(&mut tx, who.user.id, name, &hash_token(token), now).await?;
    // The audit log is kept after a person is forgotten, so it holds the token's number,
    // never the name they typed.
    record(
        &mut tx,
        Some(who.user.id),
        Some(who.user.id),
        AuditAction::ApiTokenCreated,
        &format!("token {id}"),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await
}

/// Revoke one of the person's own API tokens (someone else's number changes nothing).
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn delete_token(
    state: &App,
    who: &Identity,
    id: i64,
    ip: &str,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = state.store.begin().await?;
    if store::delete_api_token(&mut tx, who.user.id, id).await? {
        record(
            &mut tx,
            Some(who.user.id),
            Some(who.user.id),
            AuditAction::ApiTokenRevoked,
            &format!("token {id}"),
            Some(ip),
            now,
        )
        .await?;
    }
    tx.commit().await
}

/// Keep an invitation (only its token's hash) that works until `expires`.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn create_invite(
    state: &App,
    who: &Identity,
    token: &str,
    note: &str,
    expires: i64,
    ip: &str,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = state.store.begin().await?;
    store::create_invite(&mut tx, &hash_token(token), note, who.user.id, now, expires).await?;
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::InviteCreated,
        "",
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await
}

/// Set who can join the hub.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn set_sign_up_mode(
    state: &App,
    who: &Identity,
    mode: SignUpMode,
    ip: &str,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = state.store.begin().await?;
    hub_store::set_setting(&mut tx, "sign_up", mode.as_str()).await?;
    record(
        &mut tx,
        Some(who.user.id),
        None,
        AuditAction::SignUpModeChanged,
        mode.as_str(),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await
}

/// What the audit entry adds when tokens were removed with the sessions.
pub(crate) fn tokens_ended(count: u64) -> String {
    match count {
        0 => String::new(),
        1 => "; 1 API token removed".to_string(),
        n => format!("; {n} API tokens removed"),
    }
}
