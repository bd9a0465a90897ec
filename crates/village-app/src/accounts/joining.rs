//! Joining: a person asks to join, and an account is made when they open the link sent to
//! their email address. The answer to asking is the same whether or not the address already
//! has an account (its owner gets an email saying so instead), so nobody can use the join
//! page to find out who is on the hub.

use super::{email_taken, hash_password, hash_token, limited, new_token, sign_up_mode};
use crate::audit::record;
use crate::{App, Error, Result};
use village_domain::accounts::{DisplayName, Email, FieldError, NewPassword, Role, SignUpMode};
use village_domain::audit::AuditAction;
use village_domain::error::ErrorCode;
use village_store::accounts::{self as store, AttemptKind, PendingJoinRow, UserRow};
use village_store::StoreError;

/// How long a join link works.
pub const JOIN_LINK_SECS: i64 = 24 * 60 * 60;

/// What a person typed on the join page.
pub struct SignUp<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    pub invite: Option<&'a str>,
}

/// Ask to join. Checks every field (all problems at once), the hub's sign-up rule and the
/// per-address limit, then emails the address: a link to finish joining, or, if the address
/// already has an account, a note to its owner with how to sign in. The caller answers "check
/// your email" either way. Nothing is an account until the link is opened.
#[tracing::instrument(skip_all)]
pub async fn sign_up(state: &App, input: &SignUp<'_>, ip: &str, now: i64) -> Result<()> {
    let limit = state.settings.limits.sign_up_per_address;
    if limited(state, AttemptKind::SignUpFromAddress, ip, limit, now).await? {
        return Err(Error::Limited(limit));
    }
    {
        let mut c = state.store.conn().await?;
        store::record_attempt(&mut c, AttemptKind::SignUpFromAddress, ip, now).await?;
    }
    let mode = sign_up_mode(state).await?;
    let invite_hash = input.invite.filter(|t| !t.is_empty()).map(hash_token);
    let invite_id = match &invite_hash {
        Some(hash) => {
            let mut c = state.store.conn().await?;
            store::open_invite(&mut c, hash, now).await?
        }
        None => None,
    };
    if mode == SignUpMode::InviteOnly && invite_id.is_none() {
        return Err(invite_needed());
    }
    let mut problems = Vec::new();
    let email = Email::parse(input.email).map_err(|e| problems.push(e)).ok();
    let name = DisplayName::parse(input.display_name)
        .map_err(|e| problems.push(e))
        .ok();
    let password = NewPassword::parse(input.password, &[input.email, input.display_name])
        .map_err(|e| problems.push(e))
        .ok();
    let (Some(email), Some(name), Some(password)) = (email, name, password) else {
        return Err(problems.into());
    };
    // Hashed on both paths, so the answer takes as long whether or not the address is known.
    let hash = hash_password(password.expose().to_string()).await?;
    let hub = &state.settings.hub.name;
    let subject = format!("Joining {hub}");
    let mut c = state.store.conn().await?;
    let body = match store::user_by_email(&mut c, email.as_str()).await? {
        Some(owner) => format!(
            "Hello {},\n\nSomeone (we hope you) asked to join {hub} with this email address. You already have an account here, so there is nothing more to do.\n\nTo sign in, open:\n\n{}\n\nForgotten your password? You can choose a new one here:\n\n{}\n\nIf this was not you, you can ignore this email: nothing has changed.\n",
            owner.display_name,
            state.settings.link("/sign-in"),
            state.settings.link("/forgotten-password"),
        ),
        None => {
            let token = new_token();
            store::create_pending_join(
                &mut c,
                &hash_token(&token),
                &store::NewUser {
                    email: email.as_str(),
                    display_name: name.as_str(),
                    password_hash: &hash,
                    role: Role::Member,
                },
                invite_id,
                now,
                now + JOIN_LINK_SECS,
            )
            .await?;
            format!(
                "Hello {},\n\nThank you for joining {hub}. To finish, open this link within 24 hours:\n\n{}\n\nIf you did not ask to join, you can ignore this email: no account is made until the link is opened.\n",
                name.as_str(),
                state.settings.link(&format!("/sign-up/{token}")),
            )
        }
    };
    drop(c);
    state.mailer.send(email.as_str(), &subject, body).await?;
    Ok(())
}

/// The request a join link is for, while the link works (to greet the person by name).
pub async fn join_link(
    state: &App,
    token: &str,
    now: i64,
) -> Result<Option<PendingJoinRow>, StoreError> {
    let mut c = state.store.conn().await?;
    store::pending_join(&mut c, &hash_token(token), now).await
}

/// Finish joining from the emailed link: the account and its invite are written together or
/// not at all, and the link (with any other for the same address) stops working. `None` when
/// the link has run out or was used.
#[tracing::instrument(skip_all)]
pub async fn finish_joining(
    state: &App,
    token: &str,
    ip: &str,
    now: i64,
) -> Result<Option<UserRow>> {
    let mode = sign_up_mode(state).await?;
    let mut tx = state.store.begin().await?;
    let Some(join) = store::take_pending_join(&mut tx, &hash_token(token), now).await? else {
        return Ok(None);
    };
    if mode == SignUpMode::InviteOnly && join.invite_id.is_none() {
        return Err(invite_needed());
    }
    let id = store::create_user(
        &mut tx,
        &store::NewUser {
            email: &join.email,
            display_name: &join.display_name,
            password_hash: &join.password_hash,
            role: Role::Member,
        },
        now,
    )
    .await
    .map_err(email_taken)?;
    if let Some(invite) = join.invite_id {
        if !store::use_invite(&mut tx, invite, id, now).await? {
            return Err(Error::Field(FieldError::new(
                "email",
                ErrorCode::InviteUsed,
                "That invitation link has been used already. Ask the person who sent it for a new one.",
            )));
        }
    }
    record(
        &mut tx,
        Some(id),
        Some(id),
        AuditAction::SignedUp,
        if join.invite_id.is_some() {
            "with an invitation"
        } else {
            ""
        },
        Some(ip),
        now,
    )
    .await?;
    let user = store::user_by_id(&mut tx, id).await?;
    tx.commit().await?;
    state.forget_home_counts();
    user.map(Some)
        .ok_or_else(|| Error::Other(anyhow::anyhow!("new account vanished")))
}

fn invite_needed() -> Error {
    Error::Field(FieldError::new(
        "email",
        ErrorCode::InviteRequired,
        "This hub is invitation only just now. Ask someone who runs it for an invitation link. If you had one, it may have been used already or run out.",
    ))
}
