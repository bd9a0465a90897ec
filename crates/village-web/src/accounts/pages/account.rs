//! The account pages: name, email, password, lived experience, sessions, API tokens, deleting the account.

pub(crate) use super::*;

// ---- The account pages ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/account.html")]
pub(crate) struct AccountPage {
    layout: Layout,
    display_name: String,
    email: String,
    role_label: &'static str,
    lived_summary: String,
    joined: String,
    sessions: i64,
    phone: String,
}

pub(crate) fn lived_summary(lived: &LivedExperience) -> String {
    if !lived.declared {
        return "Not shared".into();
    }
    let mut parts: Vec<String> = lived.kinds.iter().map(|k| k.label().to_string()).collect();
    if let Some(w) = &lived.in_my_words {
        parts.push(format!("“{w}”"));
    }
    if parts.is_empty() {
        "Yes".into()
    } else {
        parts.join("; ")
    }
}

pub(crate) async fn view_account_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    crate::extract::Query(q): crate::extract::Query<PageQuery>,
) -> PageResult {
    let sessions = village_app::accounts::changes::session_count(&state, &identity).await?;
    let phone = village_app::accounts::changes::phone(&state, &identity).await?;
    let user = &identity.user;
    Ok(pages::page(&AccountPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/account", "Your account")
            .with_notice(notice(q.done.as_deref())),
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        role_label: user.role().label(),
        lived_summary: lived_summary(&user.lived_experience()),
        joined: pages::when(user.created_at),
        sessions,
        phone,
    }))
}

/// What differs between the one-form account pages.
pub(crate) struct FormSpec<'a> {
    path: &'a str,
    heading: &'a str,
    intro: &'a [&'a str],
    fields: Vec<FieldSpec>,
    button: &'a str,
}

pub(crate) fn account_form(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    spec: FormSpec<'_>,
    errors: Errors,
) -> FormPage {
    let FormSpec {
        path,
        heading,
        intro,
        fields,
        button,
    } = spec;
    FormPage {
        layout: Layout::new(state, Some(identity), csrf, path, heading),
        back: Some(("/account".into(), "Back to your account".into())),
        errors,
        heading: heading.to_string(),
        intro: intro.iter().map(|s| s.to_string()).collect(),
        action: path.to_string(),
        hidden: vec![],
        fields,
        button: button.to_string(),
        danger: false,
        links: vec![],
    }
}

pub(crate) fn name_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    value: &str,
    errors: Errors,
) -> FormPage {
    account_form(
        state,
        identity,
        csrf,
        FormSpec {
            path: "/account/name",
            heading: "Change your name",
            intro: &[],
            fields: vec![FieldSpec::new(
                "display_name",
                "What would you like to be called?",
                "text",
                "nickname",
            )
            .value(value)],
            button: "Save name",
        },
        errors,
    )
}

pub(crate) async fn view_name_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&name_page(
        &state,
        &identity,
        &csrf,
        &identity.user.display_name,
        Errors::none(),
    ))
}

#[derive(Deserialize, Default)]
pub struct NameForm {
    #[serde(default)]
    pub(super) display_name: String,
}

pub(crate) async fn view_name_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<NameForm>,
) -> PageResult {
    let name = match DisplayName::parse(&form.display_name) {
        Ok(n) => n,
        Err(e) => {
            return Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &name_page(&state, &identity, &csrf, &form.display_name, e.into()),
            ))
        }
    };
    village_app::accounts::changes::change_name(&state, &identity, &name, &ip, now()).await?;
    Ok(Redirect::to("/account?done=name_changed").into_response())
}

pub(crate) fn phone_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    value: &str,
    errors: Errors,
) -> FormPage {
    account_form(
        state,
        identity,
        csrf,
        FormSpec {
            path: "/account/phone",
            heading: "Your phone number",
            intro: &["Nobody can see it unless you choose to share it, one person at a time, when you help each other. Leave it empty to remove it."],
            fields: vec![FieldSpec::new("phone", "Phone number (optional)", "tel", "tel")
                .value(value)
                .hint("Like 07700 900123")],
            button: "Save phone number",
        },
        errors,
    )
}

pub(crate) async fn view_phone_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let phone = village_app::accounts::changes::phone(&state, &identity).await?;
    Ok(pages::page(&phone_page(
        &state,
        &identity,
        &csrf,
        &phone,
        Errors::none(),
    )))
}

#[derive(Deserialize, Default)]
pub struct PhoneForm {
    #[serde(default)]
    pub(super) phone: String,
}

pub(crate) async fn view_phone_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<PhoneForm>,
) -> PageResult {
    match village_app::accounts::changes::change_phone(&state, &identity, &form.phone, &ip, now())
        .await
    {
        Ok(()) => Ok(Redirect::to("/account?done=phone_changed").into_response()),
        Err(Error::Field(e)) => Ok(pages::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &phone_page(&state, &identity, &csrf, &form.phone, e.into()),
        )),
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn email_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    value: &str,
    errors: Errors,
) -> FormPage {
    account_form(
        state,
        identity,
        csrf,
        FormSpec {
            path: "/account/email",
            heading: "Change your email address",
            intro: &["We will tell your old address about the change, in case it was not you."],
            fields: vec![
                FieldSpec::new("email", "New email address", "email", "email").value(value),
                FieldSpec::new("password", "Your password", "password", "current-password")
                    .hint("We ask for it again to check that it is really you."),
            ],
            button: "Save email address",
        },
        errors,
    )
}

pub(crate) async fn view_email_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&email_page(&state, &identity, &csrf, "", Errors::none()))
}

#[derive(Deserialize, Default)]
pub struct ChangeEmailForm {
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) password: String,
}

pub(crate) async fn view_email_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<ChangeEmailForm>,
) -> Response {
    match change_email(&state, &identity, &form.email, &form.password, &ip, now()).await {
        Ok(()) => Redirect::to("/account?done=email_changed").into_response(),
        Err(Error::Field(f)) => pages::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &email_page(&state, &identity, &csrf, &form.email, f.into()),
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}

pub(crate) fn password_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    errors: Errors,
) -> FormPage {
    account_form(
        state,
        identity,
        csrf,
        FormSpec {
            path: "/account/password",
            heading: "Change your password",
            intro: &["When you save a new password, you stay signed in here and are signed out everywhere else. Your API tokens are removed too."],
            fields: vec![
            FieldSpec::new("current_password", "Your current password", "password", "current-password"),
            FieldSpec::new("password", "New password", "password", "new-password")
                .hint("At least 10 characters. A few unrelated words strung together work well."),
        ],
            button: "Save new password",
        },
        errors,
    )
}

pub(crate) async fn view_password_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&password_page(&state, &identity, &csrf, Errors::none()))
}

#[derive(Deserialize, Default)]
pub struct ChangePasswordForm {
    #[serde(default)]
    pub(super) current_password: String,
    #[serde(default)]
    pub(super) password: String,
}

pub(crate) async fn view_password_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<ChangePasswordForm>,
) -> Response {
    match change_password(
        &state,
        &identity,
        &form.current_password,
        &form.password,
        &ip,
        now(),
    )
    .await
    {
        Ok(()) => Redirect::to("/account?done=password_changed").into_response(),
        Err(Error::Field(f)) => pages::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &password_page(&state, &identity, &csrf, f.into()),
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "accounts/lived_experience.html")]
pub(crate) struct LivedPage {
    layout: Layout,
    errors: Errors,
    declared: bool,
    kinds: Vec<(&'static str, &'static str, bool)>,
    in_my_words: String,
}

pub(crate) fn lived_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    lived: &LivedExperience,
    words: &str,
    errors: Errors,
) -> LivedPage {
    LivedPage {
        layout: Layout::new(
            state,
            Some(identity),
            csrf,
            "/account/lived-experience",
            "Lived experience",
        ),
        errors,
        declared: lived.declared,
        kinds: LivedExperienceKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label(), lived.kinds.contains(k)))
            .collect(),
        in_my_words: words.to_string(),
    }
}

pub(crate) async fn view_lived_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    let lived = identity.user.lived_experience();
    let words = lived.in_my_words.clone().unwrap_or_default();
    pages::page(&lived_page(
        &state,
        &identity,
        &csrf,
        &lived,
        &words,
        Errors::none(),
    ))
}

pub(crate) async fn view_lived_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    body: axum::body::Bytes,
) -> Response {
    // Read by hand: checkboxes repeat the `kinds` name, which serde's form reader cannot collect.
    if let Some(refused) = pages::refuse_nul(&body) {
        return refused;
    }
    let mut declared = false;
    let mut kinds = Vec::new();
    let mut words = String::new();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "declared" => declared = v == "yes",
            "kinds" => kinds.extend(LivedExperienceKind::parse(&v)),
            "in_my_words" => words = v.into_owned(),
            _ => {}
        }
    }
    let lived = match LivedExperience::new(declared, kinds.clone(), Some(&words)) {
        Ok(l) => l,
        Err(e) => {
            let shown = LivedExperience {
                declared,
                kinds,
                in_my_words: None,
            };
            return pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &lived_page(&state, &identity, &csrf, &shown, &words, e.into()),
            );
        }
    };
    match set_lived_experience(&state, &identity, &lived, &ip, now()).await {
        Ok(()) => Redirect::to("/account?done=lived_experience_saved").into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

pub struct TokenView {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) created: String,
    pub(super) last_used: String,
}

#[derive(Template)]
#[template(path = "accounts/tokens.html")]
pub(crate) struct TokensPage {
    layout: Layout,
    errors: Errors,
    tokens: Vec<TokenView>,
    new_token: Option<String>,
    token_name: String,
}

pub(crate) async fn tokens_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    new_token: Option<String>,
    name: &str,
    errors: Errors,
    done: Option<&str>,
) -> PageResult {
    let tokens = village_app::accounts::changes::tokens(state, identity).await?;
    let status = status_for(&errors, StatusCode::UNPROCESSABLE_ENTITY);
    Ok(pages::render(
        status,
        &TokensPage {
            layout: Layout::new(state, Some(identity), csrf, "/account/tokens", "API tokens")
                .with_notice(notice(done)),
            errors,
            tokens: tokens
                .into_iter()
                .map(|t| TokenView {
                    id: t.id,
                    name: t.name,
                    created: pages::when(t.created_at),
                    last_used: t
                        .last_used_at
                        .map(pages::when)
                        .unwrap_or_else(|| "Never".into()),
                })
                .collect(),
            new_token,
            token_name: name.to_string(),
        },
    ))
}

pub(crate) async fn view_tokens_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    crate::extract::Query(q): crate::extract::Query<PageQuery>,
) -> PageResult {
    tokens_page(
        &state,
        &identity,
        &csrf,
        None,
        "",
        Errors::none(),
        q.done.as_deref(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct TokenForm {
    #[serde(default)]
    pub(super) name: String,
}

pub(crate) async fn view_tokens_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<TokenForm>,
) -> PageResult {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        let mut errors = Errors::none();
        errors.add(
            "name",
            "Say what the token is for, in 80 characters or fewer",
        );
        return tokens_page(&state, &identity, &csrf, None, &form.name, errors, None).await;
    }
    let token = village_app::accounts::new_token();
    let now = now();
    village_app::accounts::changes::create_token(&state, &identity, name, &token, &ip, now).await?;
    tokens_page(
        &state,
        &identity,
        &csrf,
        Some(token),
        "",
        Errors::none(),
        None,
    )
    .await
}

pub(crate) async fn view_token_delete_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> PageResult {
    village_app::accounts::changes::delete_token(&state, &identity, id, &ip, now()).await?;
    Ok(Redirect::to("/account/tokens?done=token_removed").into_response())
}

pub(crate) fn delete_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    errors: Errors,
) -> FormPage {
    let mut page = account_form(
        state,
        identity,
        csrf,
        FormSpec {
            path: "/account/delete",
            heading: "Forget me: delete your account and everything about you",
            intro: &[
            "This takes away your profile, your story, your circle of support and notes about you. It takes away your sharing choices, your contact details, your lived experience and your account. It all goes at once, and you are signed out everywhere. You cannot undo it.",
            "The audit log keeps a note that an account with your number was here, and what happened to it. It keeps no name, email address or words from your profile. That way, we can always check who looked at whose information.",
            "If there is an open worry about your safety, the law may ask us to keep what the safeguarding leads hold until it is closed. Only they can see it.",
        ],
            fields: vec![FieldSpec::new("password", "Your password", "password", "current-password")
            .hint("We ask for it again to check that it is really you.")],
            button: "Forget me",
        },
        errors,
    );
    page.danger = true;
    page
}

pub(crate) async fn view_delete_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&delete_page(&state, &identity, &csrf, Errors::none()))
}

/// "Forget me" from the account page: the same as `POST /api/v1/me/forget`.
pub(crate) async fn view_delete_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(form): PageForm<NewPasswordForm>,
) -> PageResult {
    match village_app::people::forget(&state, &identity, &form.password, now()).await {
        Ok(()) => {
            let mut response = Redirect::to("/sign-in?done=account_deleted").into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                auth::cookie(&state, auth::SESSION_COOKIE, "", Some(0)),
            );
            Ok(response)
        }
        Err(village_app::Error::Field(f)) => Ok(pages::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &delete_page(&state, &identity, &csrf, f.into()),
        )),
        Err(e) => Err(e.into()),
    }
}
