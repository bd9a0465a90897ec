//! A forgotten password: the link by email, and choosing a new password with it.

pub(crate) use super::*;

// ---- Forgotten password -----------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    pub(super) email: String,
}

pub(crate) fn forgotten_page(
    state: &AppState,
    csrf: &CsrfToken,
    email: &str,
    errors: Errors,
) -> FormPage {
    FormPage {
        layout: Layout::new(state, None, csrf, "/forgotten-password", "Forgotten password"),
        back: Some(("/sign-in".into(), "Back to sign in".into())),
        errors,
        heading: "Forgotten your password?".into(),
        intro: vec!["Tell us your email address and we will send you a link to choose a new password. The link works for one hour.".into()],
        action: "/forgotten-password".into(),
        hidden: vec![],
        fields: vec![FieldSpec::new("email", "Email address", "email", "email").value(email)],
        button: "Send me a link".into(),
        danger: false,
        links: vec![],
    }
}

pub(crate) async fn view_forgotten_get(State(state): State<AppState>, csrf: CsrfToken) -> Response {
    pages::page(&forgotten_page(&state, &csrf, "", Errors::none()))
}

pub(crate) async fn view_forgotten_post(
    State(state): State<AppState>,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<EmailForm>,
) -> PageResult {
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(e) => {
            return Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &forgotten_page(&state, &csrf, &form.email, e.into()),
            ))
        }
    };
    match village_app::accounts::changes::request_password_reset(&state, &email, &ip, now()).await {
        Ok(()) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(pages::problem(
        &state,
        None,
        &csrf,
        StatusCode::OK,
        "Check your email",
        &[
            &format!("If there is an account for {email}, we have sent it a link to choose a new password. The link works for one hour."),
            "Nothing arrived? Check your junk folder, or try again in a few minutes.",
        ],
    ))
}

#[derive(Deserialize, Default)]
pub struct NewPasswordForm {
    #[serde(default)]
    pub(super) password: String,
}

pub(crate) fn reset_page(
    state: &AppState,
    csrf: &CsrfToken,
    token: &str,
    errors: Errors,
) -> FormPage {
    FormPage {
        layout: Layout::new(state, None, csrf, "/reset-password", "Choose a new password"),
        back: None,
        errors,
        heading: "Choose a new password".into(),
        intro: vec!["Once you save it, you will be signed out on every device and can sign in with the new password.".into()],
        action: format!("/reset-password/{token}"),
        hidden: vec![],
        fields: vec![FieldSpec::new("password", "New password", "password", "new-password")
            .hint("At least 10 characters. A few unrelated words strung together work well.")],
        button: "Save new password".into(),
        danger: false,
        links: vec![],
    }
}

pub(crate) fn reset_link_dead(state: &AppState, csrf: &CsrfToken) -> Response {
    pages::problem(
        state,
        None,
        csrf,
        StatusCode::NOT_FOUND,
        "This link has run out",
        &["Password reset links work once, for one hour. You can ask for a new one."],
    )
}

pub(crate) async fn reset_user(
    state: &AppState,
    token: &str,
    now: i64,
) -> Result<Option<UserRow>, StoreError> {
    village_app::accounts::changes::reset_link_user(state, token, now).await
}

pub(crate) async fn view_reset_get(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(token): Path<String>,
) -> PageResult {
    Ok(match reset_user(&state, &token, now()).await? {
        Some(_) => pages::page(&reset_page(&state, &csrf, &token, Errors::none())),
        None => reset_link_dead(&state, &csrf),
    })
}

pub(crate) async fn view_reset_post(
    State(state): State<AppState>,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(token): Path<String>,
    PageForm(form): PageForm<NewPasswordForm>,
) -> PageResult {
    let now = now();
    let Some(user) = reset_user(&state, &token, now).await? else {
        return Ok(reset_link_dead(&state, &csrf));
    };
    let password = match NewPassword::parse(&form.password, &[&user.email, &user.display_name]) {
        Ok(p) => p,
        Err(e) => {
            return Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &reset_page(&state, &csrf, &token, e.into()),
            ))
        }
    };
    let hash = village_app::accounts::hash_password(password.expose().to_string()).await?;
    village_app::accounts::changes::reset_password(&state, &user, &hash, &ip, now).await?;
    Ok(Redirect::to("/sign-in?done=password_reset").into_response())
}
