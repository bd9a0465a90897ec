//! Joining: the join form, "check your email", and finishing from the emailed link.

pub(crate) use super::*;
use village_app::accounts::joining::{finish_joining, join_link};

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
        Ok(()) => Ok(check_your_email(&state, &csrf, form.email.trim())),
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

/// The answer to the join form, the same whether or not the address already has an account.
fn check_your_email(state: &AppState, csrf: &CsrfToken, email: &str) -> Response {
    pages::problem(
        state,
        None,
        csrf,
        StatusCode::OK,
        "Check your email",
        &[
            &format!("We have sent an email to {email}. Open the link in it to finish joining. The link works for 24 hours."),
            "Nothing arrived? Check your junk folder. If the address had a mistake in it, you can join again.",
        ],
    )
}

fn join_link_dead(state: &AppState, csrf: &CsrfToken) -> Response {
    pages::problem(
        state,
        None,
        csrf,
        StatusCode::NOT_FOUND,
        "This link has run out",
        &["Links to finish joining work once, for 24 hours. If you have joined already, you can sign in. If not, you can join again."],
    )
}

fn finish_page(state: &AppState, csrf: &CsrfToken, token: &str, name: &str) -> FormPage {
    FormPage {
        layout: Layout::new(state, None, csrf, "/sign-up", "Finish joining"),
        back: None,
        errors: Errors::none(),
        heading: format!("Welcome, {name}"),
        intro: vec![format!(
            "You are one step away from joining {}. Press the button to make your account.",
            state.settings.hub.name
        )],
        action: format!("/sign-up/{token}"),
        hidden: vec![],
        fields: vec![],
        button: "Finish joining".into(),
        danger: false,
        links: vec![],
    }
}

pub(crate) async fn view_finish_joining_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Path(token): Path<String>,
) -> PageResult {
    if identity.is_some() {
        return Ok(Redirect::to("/account").into_response());
    }
    Ok(match join_link(&state, &token, now()).await? {
        Some(join) => pages::page(&finish_page(&state, &csrf, &token, &join.display_name)),
        None => join_link_dead(&state, &csrf),
    })
}

pub(crate) async fn view_finish_joining_post(
    State(state): State<AppState>,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(token): Path<String>,
) -> PageResult {
    let now = now();
    match finish_joining(&state, &token, &ip, now).await {
        Ok(Some(user)) => {
            let cookie = auth::start_session(&state, user.id, now).await?;
            let mut response = Redirect::to("/welcome").into_response();
            response.headers_mut().append(header::SET_COOKIE, cookie);
            Ok(response)
        }
        Ok(None) => Ok(join_link_dead(&state, &csrf)),
        Err(Error::Field(f)) => Ok(pages::problem(
            &state,
            None,
            &csrf,
            StatusCode::CONFLICT,
            "We could not finish joining",
            &[&f.message],
        )),
        Err(e) => Err(e.into()),
    }
}
