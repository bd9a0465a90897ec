//! Invitations and who can join (hub admins).

pub(crate) use super::*;

// ---- Invitations and who can join ---------------------------------------------------------

/// How long an invitation link works.
pub(crate) const INVITE_SECS: i64 = 14 * 24 * 60 * 60;

#[derive(Template)]
#[template(path = "accounts/admin_invites.html")]
pub(crate) struct InvitesPage {
    layout: Layout,
    errors: Errors,
    open: bool,
    new_link: Option<String>,
    note: String,
    invites: Vec<(String, String, String)>,
}

pub(crate) async fn invites_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    new_link: Option<String>,
    errors: Errors,
    done: Option<&str>,
) -> PageResult {
    if access::check(&identity.actor(), Action::ManageSignUp).is_err() {
        return Ok(pages::forbidden(state, Some(identity), csrf));
    }
    let now = now();
    let mode = sign_up_mode(state).await?;
    let invites = village_app::accounts::changes::recent_invites(state, identity, 50).await?;
    let status = status_for(&errors, StatusCode::UNPROCESSABLE_ENTITY);
    Ok(pages::render(
        status,
        &InvitesPage {
            layout: Layout::new(
                state,
                Some(identity),
                csrf,
                "/admin/invites",
                "Invitations and who can join",
            )
            .with_notice(notice(done)),
            errors,
            open: mode == SignUpMode::Open,
            new_link,
            note: String::new(),
            invites: invites
                .into_iter()
                .map(|i| {
                    let status = if i.used_at.is_some() {
                        "Used".to_string()
                    } else if i.expires_at <= now {
                        "Ran out".to_string()
                    } else {
                        format!("Works until {}", pages::when(i.expires_at))
                    };
                    (
                        if i.note.is_empty() {
                            "(no note)".into()
                        } else {
                            i.note
                        },
                        pages::when(i.created_at),
                        status,
                    )
                })
                .collect(),
        },
    ))
}

pub(crate) async fn view_admin_invites_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    crate::extract::Query(q): crate::extract::Query<PageQuery>,
) -> PageResult {
    invites_page(
        &state,
        &identity,
        &csrf,
        None,
        Errors::none(),
        q.done.as_deref(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    pub(super) note: String,
}

pub(crate) async fn view_admin_invites_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<InviteForm>,
) -> PageResult {
    if access::check(&identity.actor(), Action::ManageSignUp).is_err() {
        return Ok(pages::forbidden(&state, Some(&identity), &csrf));
    }
    let note = form.note.trim();
    if note.chars().count() > 200 {
        let mut errors = Errors::none();
        errors.add("note", "Keep the note to 200 characters or fewer");
        return invites_page(&state, &identity, &csrf, None, errors, None).await;
    }
    let token = village_app::accounts::new_token();
    let now = now();
    village_app::accounts::changes::create_invite(
        &state,
        &identity,
        &token,
        note,
        now + INVITE_SECS,
        &ip,
        now,
    )
    .await?;
    let link = state.settings.link(&format!("/sign-up?invite={token}"));
    invites_page(&state, &identity, &csrf, Some(link), Errors::none(), None).await
}

#[derive(Deserialize, Default)]
pub struct ModeForm {
    #[serde(default)]
    pub(super) mode: String,
}

pub(crate) async fn view_sign_up_mode_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<ModeForm>,
) -> PageResult {
    if access::check(&identity.actor(), Action::ManageSignUp).is_err() {
        return Ok(pages::forbidden(&state, Some(&identity), &csrf));
    }
    let Ok(mode) = form.mode.parse::<SignUpMode>() else {
        let mut errors = Errors::none();
        errors.add("mode-open", "Choose who can join");
        return invites_page(&state, &identity, &csrf, None, errors, None).await;
    };
    village_app::accounts::changes::set_sign_up_mode(&state, &identity, mode, &ip, now()).await?;
    Ok(Redirect::to("/admin/invites?done=sign_up_mode_saved").into_response())
}
