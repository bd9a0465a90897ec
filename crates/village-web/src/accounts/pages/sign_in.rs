//! Signing in, joining and signing out.

pub(crate) use super::*;

#[derive(Deserialize, Default)]
pub struct SignInForm {
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) password: String,
    pub(super) next: Option<String>,
}

pub(crate) fn sign_in_page(
    state: &AppState,
    csrf: &CsrfToken,
    email: &str,
    next: Option<&str>,
    errors: Errors,
    done: Option<&str>,
) -> FormPage {
    let mut hidden = Vec::new();
    if let Some(n) = next {
        hidden.push(("next".to_string(), auth::safe_next(Some(n))));
    }
    FormPage {
        layout: Layout::new(state, None, csrf, "/sign-in", "Sign in").with_notice(notice(done)),
        back: None,
        errors,
        heading: "Sign in".into(),
        intro: vec![],
        action: "/sign-in".into(),
        hidden,
        fields: vec![
            FieldSpec::new("email", "Email address", "email", "username").value(email),
            FieldSpec::new("password", "Password", "password", "current-password"),
        ],
        button: "Sign in".into(),
        danger: false,
        links: vec![
            (
                "/forgotten-password".into(),
                "I have forgotten my password".into(),
            ),
            (
                "/sign-up".into(),
                "I do not have an account yet: join".into(),
            ),
        ],
    }
}

pub(crate) async fn view_sign_in_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    crate::extract::Query(q): crate::extract::Query<PageQuery>,
) -> Response {
    if identity.is_some() {
        return Redirect::to(&auth::safe_next(q.next.as_deref())).into_response();
    }
    pages::page(&sign_in_page(
        &state,
        &csrf,
        "",
        q.next.as_deref(),
        Errors::none(),
        q.done.as_deref(),
    ))
}

pub(crate) async fn view_sign_in_post(
    State(state): State<AppState>,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<SignInForm>,
) -> PageResult {
    let mut errors = Errors::none();
    if form.email.trim().is_empty() {
        errors.add("email", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    if !errors.is_empty() {
        let page = sign_in_page(
            &state,
            &csrf,
            &form.email,
            form.next.as_deref(),
            errors,
            None,
        );
        return Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    match sign_in(&state, &form.email, &form.password, &ip, now()).await {
        Ok((_, token)) => {
            let mut response = Redirect::to(&auth::safe_next(form.next.as_deref())).into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, auth::session_cookie(&state, &token));
            Ok(response)
        }
        Err(Error::Conflict(ErrorCode::WrongCredentials, _)) => {
            let mut errors = Errors::none();
            errors.add(
                "email",
                "The email address or password is not right. Check them and try again.",
            );
            let page = sign_in_page(
                &state,
                &csrf,
                &form.email,
                form.next.as_deref(),
                errors,
                None,
            );
            Ok(pages::render(StatusCode::UNAUTHORIZED, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct SignUpForm {
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) password: String,
    #[serde(default)]
    pub(super) display_name: String,
    pub(super) invite: Option<String>,
}

pub(crate) fn sign_up_page(
    state: &AppState,
    csrf: &CsrfToken,
    form: &SignUpForm,
    errors: Errors,
    invite_only: bool,
) -> FormPage {
    let mut intro = vec![format!(
        "Join {} to find groups and activities, offer and ask for help, and have a say. It is free.",
        state.settings.hub.name
    )];
    if invite_only && form.invite.as_deref().unwrap_or("").is_empty() {
        intro.push("This hub is invitation only just now. You need an invitation link from someone who runs it.".into());
    }
    let hidden = form
        .invite
        .iter()
        .filter(|i| !i.is_empty())
        .map(|i| ("invite".to_string(), i.clone()))
        .collect();
    FormPage {
        layout: Layout::new(state, None, csrf, "/sign-up", "Join"),
        back: None,
        errors,
        heading: format!("Join {}", state.settings.hub.name),
        intro,
        action: "/sign-up".into(),
        hidden,
        fields: vec![
            FieldSpec::new("display_name", "What would you like to be called?", "text", "nickname")
                .hint("Your first name or a name you like. Other people on the hub may see it.")
                .value(&form.display_name),
            FieldSpec::new("email", "Email address", "email", "email")
                .hint("We use it to sign you in and to help if you forget your password. We never share it.")
                .value(&form.email),
            FieldSpec::new("password", "Choose a password", "password", "new-password")
                .hint("At least 10 characters. A few unrelated words strung together work well."),
        ],
        button: "Join".into(),
        danger: false,
        links: vec![
            ("/sign-in".into(), "I already have an account: sign in".into()),
            ("/privacy".into(), "How we look after your information".into()),
        ],
    }
}

pub(crate) async fn view_sign_up_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    crate::extract::Query(q): crate::extract::Query<PageQuery>,
) -> PageResult {
    if identity.is_some() {
        return Ok(Redirect::to("/account").into_response());
    }
    let mode = sign_up_mode(&state).await?;
    let form = SignUpForm {
        invite: q.invite,
        ..Default::default()
    };
    Ok(pages::page(&sign_up_page(
        &state,
        &csrf,
        &form,
        Errors::none(),
        mode == SignUpMode::InviteOnly,
    )))
}

pub(crate) async fn view_sign_up_post(
    State(state): State<AppState>,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<SignUpForm>,
) -> PageResult {
    let now = now();
    let input = SignUp {
        email: &form.email,
        password: &form.password,
        display_name: &form.display_name,
        invite: form.invite.as_deref(),
    };
    match sign_up(&state, &input, &ip, now).await {
        Ok(user) => {
            let cookie = auth::start_session(&state, user.id, now).await?;
            let mut response = Redirect::to("/account?done=welcome").into_response();
            response.headers_mut().append(header::SET_COOKIE, cookie);
            Ok(response)
        }
        Err(e @ (Error::Field(_) | Error::Fields(_))) => {
            let mut errors = Errors::none();
            let problems = match e {
                Error::Fields(list) => list,
                Error::Field(f) => vec![f],
                _ => Vec::new(),
            };
            for f in &problems {
                errors.add_field_error(f);
            }
            let invite_only = matches!(sign_up_mode(&state).await, Ok(SignUpMode::InviteOnly));
            Ok(pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &sign_up_page(&state, &csrf, &form, errors, invite_only),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn view_sign_out_post(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    ClientAddress(ip): ClientAddress,
) -> PageResult {
    if let Some(identity) = identity {
        village_app::accounts::changes::sign_out(&state, &identity, &ip, now()).await?;
    }
    let mut response = Redirect::to("/sign-in?done=signed_out").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        auth::cookie(&state, auth::SESSION_COOKIE, "", Some(0)),
    );
    Ok(response)
}

pub(crate) async fn view_sign_out_everywhere_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
) -> PageResult {
    village_app::accounts::changes::sign_out_everywhere(&state, &identity, &ip, now()).await?;
    let mut response = Redirect::to("/sign-in?done=signed_out_everywhere").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        auth::cookie(&state, auth::SESSION_COOKIE, "", Some(0)),
    );
    Ok(response)
}
