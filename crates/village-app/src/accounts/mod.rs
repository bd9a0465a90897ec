//! Accounts: joining, signing in, changing name, email and password, declaring lived
//! experience, roles and the list of people. Pages, the API and `village user` all call these.

pub mod changes;
pub mod credentials;
pub mod joining;
pub mod sessions;

use crate::audit::record;
use crate::{App, Error, Result};
pub use credentials::{
    form_token_of_session, hash_password, hash_token, new_token, verify_password,
};
use village_domain::access::{self, Action, Refusal};
use village_domain::accounts::{
    AttemptLimit, DisplayName, Email, FieldError, LivedExperience, NewPassword, Role, SignUpMode,
};
use village_domain::audit::AuditAction;
use village_domain::error::ErrorCode;
use village_store::accounts::{self as store, AttemptKind, UserFilter, UserRow};
use village_store::{hub as hub_store, StoreError};

pub use crate::identity::{Identity, Via};
pub use joining::{sign_up, SignUp};

/// An email address someone else's account already has, as the field problem people see.
fn email_taken(e: StoreError) -> Error {
    match e {
        StoreError::Conflict("email") => FieldError::new(
            "email",
            ErrorCode::EmailTaken,
            "There is already an account with this email address. Sign in instead, or reset your password.",
        )
        .into(),
        other => Error::Store(other),
    }
}

/// A refusal from the access rules about accounts, as the answer people get.
fn refused(r: Refusal) -> Error {
    match r {
        Refusal::WouldLeaveNoAdmin => Error::Conflict(
            ErrorCode::CannotChangeOwnAdminRole,
            "Hub admins cannot change their own role, so the hub always has an admin. Ask another hub admin.".into(),
        ),
        Refusal::NotAllowed => Error::Forbidden,
    }
}

/// The one answer for a wrong email address or password (never which of the two).
fn wrong_credentials() -> Error {
    Error::Conflict(
        ErrorCode::WrongCredentials,
        "The email address or password is not right.".into(),
    )
}

/// The hub's current sign-up rule: what an admin chose, or the config file's starting value.
#[tracing::instrument(skip_all)]
pub async fn sign_up_mode(state: &App) -> Result<SignUpMode, StoreError> {
    let mut c = state.store.conn().await?;
    Ok(hub_store::setting(&mut c, "sign_up")
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(state.settings.hub.sign_up))
}

#[tracing::instrument(skip_all)]
pub async fn limited(
    state: &App,
    kind: AttemptKind,
    key: &str,
    limit: AttemptLimit,
    now: i64,
) -> Result<bool, StoreError> {
    let mut c = state.store.conn().await?;
    let recent = store::count_attempts(&mut c, kind, key, limit.window_start(now)).await?;
    Ok(!limit.allows(recent))
}

/// Check an email and password; on success return the account. Failed tries are counted per
/// address and per account, and both are limited.
#[tracing::instrument(skip_all)]
pub async fn check_credentials(
    state: &App,
    email: &str,
    password: &str,
    ip: &str,
    now: i64,
) -> Result<UserRow> {
    let limits = &state.settings.limits;
    let email_key = email.trim().to_lowercase();
    // Failed tries are counted under a hash of the address, so the address someone typed
    // is not kept (it may be a forgotten person's, or a typo of someone else's).
    let attempt_key = hash_token(&email_key);
    let by_address = limited(
        state,
        AttemptKind::SignInFromAddress,
        ip,
        limits.sign_in_per_address,
        now,
    )
    .await?;
    let by_account = limited(
        state,
        AttemptKind::SignInToAccount,
        &attempt_key,
        limits.sign_in_per_account,
        now,
    )
    .await?;
    if by_address || by_account {
        let mut c = state.store.conn().await?;
        let user = store::user_by_email(&mut c, &email_key).await?;
        record(
            &mut c,
            None,
            user.map(|u| u.id),
            AuditAction::SignInLimited,
            if by_address {
                "too many failed sign-ins from this address"
            } else {
                "too many failed sign-ins to this account"
            },
            Some(ip),
            now,
        )
        .await?;
        let limit = if by_address {
            limits.sign_in_per_address
        } else {
            limits.sign_in_per_account
        };
        return Err(Error::Limited(limit));
    }
    let user = {
        let mut c = state.store.conn().await?;
        store::user_by_email(&mut c, &email_key).await?
    };
    let ok = verify_password(
        password.to_string(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await;
    let mut c = state.store.conn().await?;
    match user {
        Some(user) if ok => {
            store::clear_attempts(&mut c, AttemptKind::SignInToAccount, &attempt_key).await?;
            Ok(user)
        }
        other => {
            store::record_attempt(&mut c, AttemptKind::SignInFromAddress, ip, now).await?;
            store::record_attempt(&mut c, AttemptKind::SignInToAccount, &attempt_key, now).await?;
            let detail = if other.is_some() {
                "wrong password"
            } else {
                "no account with that address"
            };
            record(
                &mut c,
                None,
                other.map(|u| u.id),
                AuditAction::SignInFailed,
                detail,
                Some(ip),
                now,
            )
            .await?;
            Err(wrong_credentials())
        }
    }
}

/// Sign in with email and password: returns the account and its new session's secret token
/// (the web layer puts it in the session cookie).
/// Start a session for `user_id`: returns its secret token, of which only the hash is kept.
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn start_session(state: &App, user_id: i64, now: i64) -> village_store::Result<String> {
    let token = new_token();
    let mut c = state.store.conn().await?;
    store::create_session(&mut c, &hash_token(&token), user_id, now).await?;
    Ok(token)
}

#[tracing::instrument(skip_all)]
pub async fn sign_in(
    state: &App,
    email: &str,
    password: &str,
    ip: &str,
    now: i64,
) -> Result<(UserRow, String)> {
    let user = check_credentials(state, email, password, ip, now).await?;
    let token = start_session(state, user.id, now).await?;
    let mut c = state.store.conn().await?;
    record(
        &mut c,
        Some(user.id),
        Some(user.id),
        AuditAction::SignedIn,
        "",
        Some(ip),
        now,
    )
    .await?;
    Ok((user, token))
}

/// Change a password after checking the current one. Other sessions are ended.
#[tracing::instrument(skip_all, fields(actor = identity.user.id))]
pub async fn change_password(
    state: &App,
    identity: &Identity,
    current: &str,
    new: &str,
    ip: &str,
    now: i64,
) -> Result<()> {
    let user = &identity.user;
    let new = NewPassword::parse(new, &[&user.email, &user.display_name])?;
    if !verify_password(current.to_string(), Some(user.password_hash.clone())).await {
        return Err(Error::Field(FieldError::new(
            "current_password",
            ErrorCode::CurrentPasswordWrong,
            "Your current password is not right",
        )));
    }
    let hash = hash_password(new.expose().to_string()).await?;
    let mut tx = state.store.begin().await?;
    store::set_password_hash(&mut tx, user.id, &hash, now).await?;
    store::delete_sessions_of(&mut tx, user.id, identity.session_hash()).await?;
    let tokens = store::delete_api_tokens_of(&mut tx, user.id).await?;
    record(
        &mut tx,
        Some(user.id),
        Some(user.id),
        AuditAction::PasswordChanged,
        &format!("other sessions ended{}", changes::tokens_ended(tokens)),
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(actor = identity.user.id))]
pub async fn change_email(
    state: &App,
    identity: &Identity,
    new_email: &str,
    password: &str,
    ip: &str,
    now: i64,
) -> Result<()> {
    let email = Email::parse(new_email)?;
    if !verify_password(
        password.to_string(),
        Some(identity.user.password_hash.clone()),
    )
    .await
    {
        return Err(Error::Field(FieldError::new(
            "password",
            ErrorCode::PasswordWrong,
            "Your password is not right",
        )));
    }
    let old = identity.user.email.clone();
    let mut tx = state.store.begin().await?;
    store::set_email(&mut tx, identity.user.id, email.as_str(), now)
        .await
        .map_err(email_taken)?;
    record(
        &mut tx,
        Some(identity.user.id),
        Some(identity.user.id),
        AuditAction::EmailChanged,
        "",
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    // Tell the old address, so a change someone else made does not go unnoticed.
    let body = format!(
        "Hello {},\n\nThe email address for your account on {} was changed from this address to {}.\n\nIf you did not do this, reset your password at {} and tell the people who run the hub.\n",
        identity.user.display_name, state.settings.hub.name, email, state.settings.link("/forgotten-password")
    );
    if let Err(e) = state
        .mailer
        .send(&old, "Your email address was changed", body)
        .await
    {
        tracing::warn!(error = %e, "could not send email-change notice");
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(actor = identity.user.id))]
pub async fn set_lived_experience(
    state: &App,
    identity: &Identity,
    lived: &LivedExperience,
    ip: &str,
    now: i64,
) -> Result<()> {
    let mut tx = state.store.begin().await?;
    store::set_lived_experience(&mut tx, identity.user.id, lived, now).await?;
    let detail = if lived.declared {
        "declared"
    } else {
        "not declared"
    };
    record(
        &mut tx,
        Some(identity.user.id),
        Some(identity.user.id),
        AuditAction::LivedExperienceChanged,
        detail,
        Some(ip),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Change someone's role (hub admins only; never their own).
#[tracing::instrument(skip_all, fields(actor = identity.user.id, target))]
pub async fn set_role(
    state: &App,
    identity: &Identity,
    target: i64,
    role: Role,
    ip: &str,
    now: i64,
) -> Result<UserRow> {
    access::check(&identity.actor(), Action::ChangeRole { target }).map_err(refused)?;
    let mut tx = state.store.begin().await?;
    let Some(before) = store::user_by_id(&mut tx, target).await? else {
        return Err(Error::NotFound("account with that id"));
    };
    store::set_role(&mut tx, target, role, now).await?;
    let detail = format!("from {} to {}", before.role, role.as_str());
    record(
        &mut tx,
        Some(identity.user.id),
        Some(target),
        AuditAction::RoleChanged,
        &detail,
        Some(ip),
        now,
    )
    .await?;
    let after = store::user_by_id(&mut tx, target).await?;
    tx.commit().await?;
    after.ok_or_else(|| Error::Other(anyhow::anyhow!("account vanished")))
}

/// The admin list of accounts. Every person shown (other than the admin) gets an audit entry,
/// because their email address was read.
#[tracing::instrument(skip_all, fields(actor = identity.user.id))]
pub async fn list_people(
    state: &App,
    identity: &Identity,
    filter: &UserFilter,
    ip: &str,
    now: i64,
) -> Result<(Vec<UserRow>, i64)> {
    access::check(&identity.actor(), Action::ListAccounts).map_err(refused)?;
    let mut tx = state.store.begin().await?;
    let (rows, total) = store::list_users(&mut tx, filter).await?;
    for row in rows.iter().filter(|r| r.id != identity.user.id) {
        crate::audit::personal_data_viewed(
            &mut tx,
            &identity.actor(),
            row.id,
            "name, email address and role in the list of people",
            Some(ip),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok((rows, total))
}

/// Used by the binary's `user set-role`: give the account with this email address a role, with
/// its audit entry, in one transaction. A running hub on the same SQLite file then stops
/// trusting the sessions it keeps, so the new role applies at once.
#[tracing::instrument(skip_all)]
pub async fn set_role_by_email(
    state_store: &village_store::Store,
    email: &str,
    role: Role,
    now: i64,
) -> Result<()> {
    let mut tx = state_store.begin().await?;
    let Some(user) = store::user_by_email(&mut tx, &email.trim().to_lowercase()).await? else {
        return Err(Error::NotFound("account with that email address"));
    };
    store::set_role(&mut tx, user.id, role, now).await?;
    record(
        &mut tx,
        None,
        Some(user.id),
        AuditAction::RoleChanged,
        &format!(
            "from {} to {} on the command line",
            user.role,
            role.as_str()
        ),
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    state_store
        .sessions_changed()
        .map_err(|e| Error::Other(e.into()))?;
    Ok(())
}

/// Used by the binary's `user create` and the demo: make an account with a role directly.
#[tracing::instrument(skip_all)]
pub async fn create_account(
    state_store: &village_store::Store,
    email: &str,
    display_name: &str,
    password: &str,
    role: Role,
    now: i64,
) -> Result<i64> {
    let email = Email::parse(email)?;
    let name = DisplayName::parse(display_name)?;
    let password = NewPassword::parse(password, &[email.as_str(), name.as_str()])?;
    let hash = hash_password(password.expose().to_string()).await?;
    let mut tx = state_store.begin().await?;
    let id = store::create_user(
        &mut tx,
        &store::NewUser {
            email: email.as_str(),
            display_name: name.as_str(),
            password_hash: &hash,
            role,
        },
        now,
    )
    .await
    .map_err(email_taken)?;
    record(
        &mut tx,
        None,
        Some(id),
        AuditAction::SignedUp,
        &format!(
            "account made by the hub's administrator, with the role {}",
            role.label()
        ),
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A member's display name ("" once they have left the hub). Callers have already checked
/// that the reader may see something of this person.
pub async fn name_of(state: &App, user_id: i64) -> Result<String, StoreError> {
    let mut c = state.store.conn().await?;
    Ok(store::user_by_id(&mut c, user_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default())
}
