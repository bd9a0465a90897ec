//! Changes a person makes to their own account (name, password by reset link, signing out
//! everywhere, API tokens) and a hub admin makes to who can join (invitations, the sign-up
//! rule): each written in one transaction with its audit entry.

use crate::accounts::{hash_token, Identity};
use crate::audit::record;
use crate::App;
use village_domain::accounts::{DisplayName, SignUpMode};
use village_domain::audit::AuditAction;
use village_store::accounts::{self as store, AttemptKind, UserRow};
use village_store::{hub as hub_store, StoreError};

/// End every session of the person asking, on every device.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn sign_out_everywhere(
    state: &App,
    who: &Identity,
    ip: &str,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = state.store.begin().await?;
    store::delete_sessions_of(&mut tx, who.user.id, None).await?;
    record(
        &mut tx,
        Some(who.user.id),
        Some(who.user.id),
        AuditAction::SignedOutEverywhere,
        "",
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await
}

/// Set a new password (already hashed) from an email link: the link and every other is used
/// up, every session ends, and the failed sign-ins counted against the address are forgotten.
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
    store::clear_attempts(&mut tx, AttemptKind::SignInToAccount, &user.email).await?;
    record(
        &mut tx,
        None,
        Some(user.id),
        AuditAction::PasswordReset,
        "by email link; every session ended",
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
    store::create_api_token(&mut tx, who.user.id, name, &hash_token(token), now).await?;
    record(
        &mut tx,
        Some(who.user.id),
        Some(who.user.id),
        AuditAction::ApiTokenCreated,
        name,
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
