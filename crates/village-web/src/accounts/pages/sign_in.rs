//! Signing in and signing out.

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
