//! Accounts: joining, signing in and out, password resets, the account pages, people and
//! roles for hub admins, and the matching API calls. Pages and API call the same functions.

use crate::api::{ApiError, ApiJson};
use crate::auth::{self, ApiUser, ClientAddress, CsrfToken, Identity, MaybeSignedIn, SignedIn};
use crate::pages::{self, Errors, Layout, PageForm};
use crate::{now, AppState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use village_app::accounts::{
    change_email, change_password, list_people, set_lived_experience, set_role, sign_in, sign_up,
    sign_up_mode, AccountError, SignUp,
};
use village_domain::access::{self, Action, Refusal};
use village_domain::accounts::{
    AttemptLimit, DisplayName, Email, LivedExperience, LivedExperienceKind, NewPassword, Role,
    SignUpMode,
};
use village_domain::error::ErrorCode;
use village_store::accounts::{UserFilter, UserRow};
use village_store::StoreError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(view_sign_in_get).post(view_sign_in_post))
        .route("/sign-up", get(view_sign_up_get).post(view_sign_up_post))
        .route("/sign-out", post(view_sign_out_post))
        .route("/sign-out-everywhere", post(view_sign_out_everywhere_post))
        .route(
            "/forgotten-password",
            get(view_forgotten_get).post(view_forgotten_post),
        )
        .route(
            "/reset-password/{token}",
            get(view_reset_get).post(view_reset_post),
        )
        .route("/account", get(view_account_get))
        .route("/account/name", get(view_name_get).post(view_name_post))
        .route("/account/email", get(view_email_get).post(view_email_post))
        .route(
            "/account/password",
            get(view_password_get).post(view_password_post),
        )
        .route(
            "/account/lived-experience",
            get(view_lived_get).post(view_lived_post),
        )
        .route(
            "/account/tokens",
            get(view_tokens_get).post(view_tokens_post),
        )
        .route("/account/tokens/{id}/delete", post(view_token_delete_post))
        .route(
            "/account/delete",
            get(view_delete_get).post(view_delete_post),
        )
        .route("/admin/users", get(view_admin_users_get))
        .route("/admin/users/{id}/role", post(view_admin_role_post))
        .route(
            "/admin/invites",
            get(view_admin_invites_get).post(view_admin_invites_post),
        )
        .route("/admin/sign-up-mode", post(view_sign_up_mode_post))
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Field(f) => f.into(),
            AccountError::Limited(limit) => ApiError::new(ErrorCode::TooManyAttempts,
                format!("Too many tries. Please wait {} and try again.", limit.wait_words()),
            ),
            AccountError::WrongCredentials => ApiError::new(ErrorCode::WrongCredentials,
                "The email address or password is not right.",
            ),
            AccountError::NotAllowed(Refusal::WouldLeaveNoAdmin) => ApiError::new(ErrorCode::CannotChangeOwnAdminRole,
                "Hub admins cannot change their own role, so the hub always has an admin. Ask another hub admin.",
            ),
            AccountError::NotAllowed(Refusal::NotAllowed) => ApiError::forbidden(),
            AccountError::Store(e) => ApiError::internal(e),
            AccountError::Other(e) => ApiError::internal(e),
        }
    }
}
// ---- Pages ----------------------------------------------------------------------------

pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub value: String,
    pub hint: &'static str,
    pub autocomplete: &'static str,
}

impl FieldSpec {
    fn new(
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        autocomplete: &'static str,
    ) -> Self {
        Self {
            name,
            label,
            kind,
            value: String::new(),
            hint: "",
            autocomplete,
        }
    }
    fn hint(mut self, hint: &'static str) -> Self {
        self.hint = hint;
        self
    }
    fn value(mut self, value: &str) -> Self {
        self.value = value.to_string();
        self
    }
}

/// A page with one form: sign in, join, change email, and so on.
#[derive(Template)]
#[template(path = "shell/form_page.html")]
pub struct FormPage {
    pub layout: Layout,
    pub back: Option<(String, String)>,
    pub errors: Errors,
    pub heading: String,
    pub intro: Vec<String>,
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub fields: Vec<FieldSpec>,
    pub button: String,
    pub danger: bool,
    pub links: Vec<(String, String)>,
}

fn status_for(errors: &Errors, fallback: StatusCode) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        fallback
    }
}

/// The message after a change, chosen by a code in the address (so nothing is kept in memory).
fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "welcome" => "Welcome! Your account is ready.",
        "signed_out" => "You have signed out.",
        "signed_out_everywhere" => "You have signed out on every device.",
        "password_changed" => "Your password has been changed. Other devices have been signed out.",
        "password_reset" => "Your password has been reset. Sign in with your new password.",
        "email_changed" => "Your email address has been changed.",
        "name_changed" => "Your name has been changed.",
        "lived_experience_saved" => "Your lived experience has been saved.",
        "token_removed" => "The token has been removed.",
        "role_changed" => "The role has been changed.",
        "sign_up_mode_saved" => "Who can join has been saved.",
        "account_deleted" => "Your account has been deleted. Thank you for being part of this hub.",
        _ => return None,
    })
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    next: Option<String>,
    done: Option<String>,
    invite: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn sign_in_page(
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

async fn view_sign_in_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Query(q): Query<PageQuery>,
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

async fn view_sign_in_post(
    State(state): State<AppState>,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<SignInForm>,
) -> Response {
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
        return pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    match sign_in(&state, &form.email, &form.password, &ip, now()).await {
        Ok((_, token)) => {
            let mut response = Redirect::to(&auth::safe_next(form.next.as_deref())).into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, auth::session_cookie(&state, &token));
            response
        }
        Err(AccountError::WrongCredentials) => {
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
            pages::render(StatusCode::UNAUTHORIZED, &page)
        }
        Err(AccountError::Limited(limit)) => too_many(&state, &csrf, limit),
        Err(other) => account_error_page(other),
    }
}

fn too_many(state: &AppState, csrf: &CsrfToken, limit: AttemptLimit) -> Response {
    let wait = format!(
        "To keep accounts safe, we pause after several tries that did not work. Please wait {} and try again.",
        limit.wait_words()
    );
    pages::problem(
        state,
        None,
        csrf,
        StatusCode::TOO_MANY_REQUESTS,
        "Too many tries",
        &[
            &wait,
            "If you have forgotten your password, you can reset it from the sign-in page.",
        ],
    )
}

fn account_error_page(e: AccountError) -> Response {
    match e {
        AccountError::Store(e) => pages::store_failed(e),
        AccountError::Other(e) => pages::store_failed(e),
        _ => pages::unavailable(),
    }
}

#[derive(Deserialize, Default)]
pub struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    display_name: String,
    invite: Option<String>,
}

fn sign_up_page(
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

async fn view_sign_up_get(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Query(q): Query<PageQuery>,
) -> Response {
    if identity.is_some() {
        return Redirect::to("/account").into_response();
    }
    let mode = match sign_up_mode(&state).await {
        Ok(m) => m,
        Err(e) => return pages::store_failed(e),
    };
    let form = SignUpForm {
        invite: q.invite,
        ..Default::default()
    };
    pages::page(&sign_up_page(
        &state,
        &csrf,
        &form,
        Errors::none(),
        mode == SignUpMode::InviteOnly,
    ))
}

async fn view_sign_up_post(
    State(state): State<AppState>,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<SignUpForm>,
) -> Response {
    let now = now();
    let input = SignUp {
        email: &form.email,
        password: &form.password,
        display_name: &form.display_name,
        invite: form.invite.as_deref(),
    };
    match sign_up(&state, &input, &ip, now).await {
        Ok(user) => match auth::start_session(&state, user.id, now).await {
            Ok(cookie) => {
                let mut response = Redirect::to("/account?done=welcome").into_response();
                response.headers_mut().append(header::SET_COOKIE, cookie);
                response
            }
            Err(e) => pages::store_failed(e),
        },
        Err(problems) => {
            let mut errors = Errors::none();
            for p in problems {
                match p {
                    AccountError::Field(f) => errors.add_field_error(&f),
                    AccountError::Limited(limit) => return too_many(&state, &csrf, limit),
                    other => return account_error_page(other),
                }
            }
            let invite_only = matches!(sign_up_mode(&state).await, Ok(SignUpMode::InviteOnly));
            pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &sign_up_page(&state, &csrf, &form, errors, invite_only),
            )
        }
    }
}

async fn view_sign_out_post(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    ClientAddress(ip): ClientAddress,
) -> Response {
    if let Some(identity) = identity {
        let now = now();
        let result = village_app::accounts::changes::sign_out(&state, &identity, &ip, now).await;
        if let Err(e) = result {
            return pages::store_failed(e);
        }
    }
    let mut response = Redirect::to("/sign-in?done=signed_out").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        auth::cookie(&state, auth::SESSION_COOKIE, "", Some(0)),
    );
    response
}

async fn view_sign_out_everywhere_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
) -> Response {
    let now = now();
    let result =
        village_app::accounts::changes::sign_out_everywhere(&state, &identity, &ip, now).await;
    if let Err(e) = result {
        return pages::store_failed(e);
    }
    let mut response = Redirect::to("/sign-in?done=signed_out_everywhere").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        auth::cookie(&state, auth::SESSION_COOKIE, "", Some(0)),
    );
    response
}

// ---- Forgotten password -----------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

fn forgotten_page(state: &AppState, csrf: &CsrfToken, email: &str, errors: Errors) -> FormPage {
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

async fn view_forgotten_get(State(state): State<AppState>, csrf: CsrfToken) -> Response {
    pages::page(&forgotten_page(&state, &csrf, "", Errors::none()))
}

async fn view_forgotten_post(
    State(state): State<AppState>,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<EmailForm>,
) -> Response {
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(e) => {
            return pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &forgotten_page(&state, &csrf, &form.email, e.into()),
            )
        }
    };
    match village_app::accounts::changes::request_password_reset(&state, &email, &ip, now()).await {
        Ok(()) => {}
        Err(AccountError::Limited(limit)) => return too_many(&state, &csrf, limit),
        Err(e) => return account_error_page(e),
    }
    pages::problem(
        &state,
        None,
        &csrf,
        StatusCode::OK,
        "Check your email",
        &[
            &format!("If there is an account for {email}, we have sent it a link to choose a new password. The link works for one hour."),
            "Nothing arrived? Check your junk folder, or try again in a few minutes.",
        ],
    )
}

#[derive(Deserialize, Default)]
pub struct NewPasswordForm {
    #[serde(default)]
    password: String,
}

fn reset_page(state: &AppState, csrf: &CsrfToken, token: &str, errors: Errors) -> FormPage {
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

fn reset_link_dead(state: &AppState, csrf: &CsrfToken) -> Response {
    pages::problem(
        state,
        None,
        csrf,
        StatusCode::NOT_FOUND,
        "This link has run out",
        &["Password reset links work once, for one hour. You can ask for a new one."],
    )
}

async fn reset_user(
    state: &AppState,
    token: &str,
    now: i64,
) -> Result<Option<UserRow>, StoreError> {
    village_app::accounts::changes::reset_link_user(state, token, now).await
}

async fn view_reset_get(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Path(token): Path<String>,
) -> Response {
    match reset_user(&state, &token, now()).await {
        Ok(Some(_)) => pages::page(&reset_page(&state, &csrf, &token, Errors::none())),
        Ok(None) => reset_link_dead(&state, &csrf),
        Err(e) => pages::store_failed(e),
    }
}

async fn view_reset_post(
    State(state): State<AppState>,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(token): Path<String>,
    PageForm(form): PageForm<NewPasswordForm>,
) -> Response {
    let now = now();
    let user = match reset_user(&state, &token, now).await {
        Ok(Some(u)) => u,
        Ok(None) => return reset_link_dead(&state, &csrf),
        Err(e) => return pages::store_failed(e),
    };
    let password = match NewPassword::parse(&form.password, &[&user.email, &user.display_name]) {
        Ok(p) => p,
        Err(e) => {
            return pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &reset_page(&state, &csrf, &token, e.into()),
            )
        }
    };
    let hash = match auth::hash_password(password.expose().to_string()).await {
        Ok(h) => h,
        Err(e) => return pages::store_failed(e),
    };
    let result =
        village_app::accounts::changes::reset_password(&state, &user, &hash, &ip, now).await;
    match result {
        Ok(()) => Redirect::to("/sign-in?done=password_reset").into_response(),
        Err(e) => pages::store_failed(e),
    }
}

// ---- The account pages ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    layout: Layout,
    display_name: String,
    email: String,
    role_label: &'static str,
    lived_summary: String,
    joined: String,
    sessions: i64,
}

fn lived_summary(lived: &LivedExperience) -> String {
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

async fn view_account_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<PageQuery>,
) -> Response {
    let sessions = match village_app::accounts::changes::session_count(&state, &identity).await {
        Ok(n) => n,
        Err(e) => return pages::store_failed(e),
    };
    let user = &identity.user;
    pages::page(&AccountPage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/account", "Your account")
            .with_notice(notice(q.done.as_deref())),
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        role_label: user.role().label(),
        lived_summary: lived_summary(&user.lived_experience()),
        joined: pages::when(user.created_at),
        sessions,
    })
}

/// What differs between the one-form account pages.
struct FormSpec<'a> {
    path: &'a str,
    heading: &'a str,
    intro: &'a [&'a str],
    fields: Vec<FieldSpec>,
    button: &'a str,
}

fn account_form(
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

fn name_page(
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

async fn view_name_get(
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
    display_name: String,
}

async fn view_name_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<NameForm>,
) -> Response {
    let name = match DisplayName::parse(&form.display_name) {
        Ok(n) => n,
        Err(e) => {
            return pages::render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &name_page(&state, &identity, &csrf, &form.display_name, e.into()),
            )
        }
    };
    let now = now();
    let result =
        village_app::accounts::changes::change_name(&state, &identity, &name, &ip, now).await;
    match result {
        Ok(()) => Redirect::to("/account?done=name_changed").into_response(),
        Err(e) => pages::store_failed(e),
    }
}

fn email_page(
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

async fn view_email_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&email_page(&state, &identity, &csrf, "", Errors::none()))
}

#[derive(Deserialize, Default)]
pub struct ChangeEmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn view_email_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<ChangeEmailForm>,
) -> Response {
    match change_email(&state, &identity, &form.email, &form.password, &ip, now()).await {
        Ok(()) => Redirect::to("/account?done=email_changed").into_response(),
        Err(AccountError::Field(f)) => pages::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &email_page(&state, &identity, &csrf, &form.email, f.into()),
        ),
        Err(e) => account_error_page(e),
    }
}

fn password_page(
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
            intro: &["When you save a new password, you stay signed in here and are signed out everywhere else."],
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

async fn view_password_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&password_page(&state, &identity, &csrf, Errors::none()))
}

#[derive(Deserialize, Default)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
}

async fn view_password_post(
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
        Err(AccountError::Field(f)) => pages::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &password_page(&state, &identity, &csrf, f.into()),
        ),
        Err(e) => account_error_page(e),
    }
}

#[derive(Template)]
#[template(path = "accounts/lived_experience.html")]
struct LivedPage {
    layout: Layout,
    errors: Errors,
    declared: bool,
    kinds: Vec<(&'static str, &'static str, bool)>,
    in_my_words: String,
}

fn lived_page(
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

async fn view_lived_get(
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

async fn view_lived_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    body: axum::body::Bytes,
) -> Response {
    // Read by hand: checkboxes repeat the `kinds` name, which serde's form reader cannot collect.
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
        Err(e) => account_error_page(e),
    }
}

pub struct TokenView {
    id: i64,
    name: String,
    created: String,
    last_used: String,
}

#[derive(Template)]
#[template(path = "accounts/tokens.html")]
struct TokensPage {
    layout: Layout,
    errors: Errors,
    tokens: Vec<TokenView>,
    new_token: Option<String>,
    token_name: String,
}

async fn tokens_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    new_token: Option<String>,
    name: &str,
    errors: Errors,
    done: Option<&str>,
) -> Response {
    let tokens = match village_app::accounts::changes::tokens(state, identity).await {
        Ok(t) => t,
        Err(e) => return pages::store_failed(e),
    };
    let status = status_for(&errors, StatusCode::UNPROCESSABLE_ENTITY);
    pages::render(
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
    )
}

async fn view_tokens_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<PageQuery>,
) -> Response {
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
    name: String,
}

async fn view_tokens_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<TokenForm>,
) -> Response {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        let mut errors = Errors::none();
        errors.add(
            "name",
            "Say what the token is for, in 80 characters or fewer",
        );
        return tokens_page(&state, &identity, &csrf, None, &form.name, errors, None).await;
    }
    let token = auth::new_token();
    let now = now();
    let result =
        village_app::accounts::changes::create_token(&state, &identity, name, &token, &ip, now)
            .await;
    match result {
        Ok(()) => {
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
        Err(e) => pages::store_failed(e),
    }
}

async fn view_token_delete_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
) -> Response {
    let now = now();
    let result =
        village_app::accounts::changes::delete_token(&state, &identity, id, &ip, now).await;
    match result {
        Ok(()) => Redirect::to("/account/tokens?done=token_removed").into_response(),
        Err(e) => pages::store_failed(e),
    }
}

fn delete_page(
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
            "This removes your profile, your story, your circle of support, notes about you, your sharing choices, your contact details, your lived experience and your account from this hub straight away, and signs you out everywhere. It cannot be undone.",
            "The audit log keeps a record that an account with your number existed and what happened to it, without your name, email address or any words from your profile, so that access to people's information can always be checked.",
            "If a safeguarding concern about you is open, the law may need us to keep what the safeguarding leads hold until it is closed. Only they can see it.",
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

async fn view_delete_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&delete_page(&state, &identity, &csrf, Errors::none()))
}

/// "Forget me" from the account page: the same as `POST /api/v1/me/forget`.
async fn view_delete_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(form): PageForm<NewPasswordForm>,
) -> Response {
    match crate::people::forget(&state, &identity, &form.password, now()).await {
        Ok(()) => {
            let mut response = Redirect::to("/sign-in?done=account_deleted").into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                auth::cookie(&state, auth::SESSION_COOKIE, "", Some(0)),
            );
            response
        }
        Err(village_app::Error::Field(f)) => pages::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &delete_page(&state, &identity, &csrf, f.into()),
        ),
        Err(e) => pages::PageError::from(e).into_response(),
    }
}

// ---- People and roles (hub admins) ------------------------------------------------------

const PAGE_SIZE: i64 = 50;

pub struct PersonRow {
    id: i64,
    display_name: String,
    email: String,
    joined: String,
    options: Vec<(&'static str, &'static str, bool)>,
    role_label: &'static str,
    is_me: bool,
}

#[derive(Template)]
#[template(path = "accounts/admin_users.html")]
struct AdminUsersPage {
    layout: Layout,
    errors: Errors,
    q: String,
    role_options: Vec<(&'static str, &'static str, bool)>,
    role_descriptions: Vec<(&'static str, &'static str, &'static str)>,
    total: i64,
    rows: Vec<PersonRow>,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
    page: Option<i64>,
    done: Option<String>,
}

async fn view_admin_users_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    query: Result<Query<PeopleQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Query(q) = query.unwrap_or_default();
    let role: Option<Role> = q.role.parse().ok();
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let filter = UserFilter {
        text: Some(q.q.clone()),
        role,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let (rows, total) = match list_people(&state, &identity, &filter, &ip, now()).await {
        Ok(r) => r,
        Err(AccountError::NotAllowed(_)) => {
            return pages::forbidden(&state, Some(&identity), &csrf)
        }
        Err(e) => return account_error_page(e),
    };
    let link = |p: i64| {
        format!(
            "/admin/users?{}",
            serde_urlencoded::to_string([
                ("q", q.q.as_str()),
                ("role", q.role.as_str()),
                ("page", &p.to_string())
            ])
            .unwrap_or_default()
        )
    };
    pages::page(&AdminUsersPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/admin/users",
            "People and roles",
        )
        .with_notice(notice(q.done.as_deref())),
        errors: Errors::none(),
        q: q.q.clone(),
        role_options: Role::ALL
            .iter()
            .map(|r| (r.as_str(), r.label(), Some(*r) == role))
            .collect(),
        role_descriptions: Role::ALL
            .iter()
            .map(|r| (r.as_str(), r.label(), r.description()))
            .collect(),
        total,
        rows: rows
            .into_iter()
            .map(|u| PersonRow {
                id: u.id,
                is_me: u.id == identity.user.id,
                options: Role::ALL
                    .iter()
                    .map(|r| (r.as_str(), r.label(), *r == u.role()))
                    .collect(),
                role_label: u.role().label(),
                joined: pages::when(u.created_at),
                display_name: u.display_name,
                email: u.email,
            })
            .collect(),
        prev: (page > 1).then(|| link(page - 1)),
        next: (page * PAGE_SIZE < total).then(|| link(page + 1)),
    })
}

#[derive(Deserialize, Default)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn view_admin_role_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<RoleForm>,
) -> Response {
    let role =
        match form.role.parse::<Role>() {
            Ok(r) => r,
            Err(_) => return pages::problem(
                &state,
                Some(&identity),
                &csrf,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Choose a role",
                &["That is not one of this hub's roles. Go back and choose one from the list."],
            ),
        };
    match set_role(&state, &identity, id, role, &ip, now()).await {
        Ok(_) => Redirect::to("/admin/users?done=role_changed").into_response(),
        Err(AccountError::NotAllowed(Refusal::NotAllowed)) => {
            pages::forbidden(&state, Some(&identity), &csrf)
        }
        Err(AccountError::NotAllowed(Refusal::WouldLeaveNoAdmin)) => pages::problem(
            &state,
            Some(&identity),
            &csrf,
            StatusCode::CONFLICT,
            "You cannot change your own role",
            &["So that the hub always has an admin, ask another hub admin to change your role."],
        ),
        Err(AccountError::Field(_)) => pages::problem(
            &state,
            Some(&identity),
            &csrf,
            StatusCode::NOT_FOUND,
            "We cannot find that person",
            &["Their account may have been deleted."],
        ),
        Err(e) => account_error_page(e),
    }
}

// ---- Invitations and who can join ---------------------------------------------------------

/// How long an invitation link works.
const INVITE_SECS: i64 = 14 * 24 * 60 * 60;

#[derive(Template)]
#[template(path = "accounts/admin_invites.html")]
struct InvitesPage {
    layout: Layout,
    errors: Errors,
    open: bool,
    new_link: Option<String>,
    note: String,
    invites: Vec<(String, String, String)>,
}

async fn invites_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    new_link: Option<String>,
    errors: Errors,
    done: Option<&str>,
) -> Response {
    if access::check(&identity.actor(), Action::ManageSignUp).is_err() {
        return pages::forbidden(state, Some(identity), csrf);
    }
    let now = now();
    let loaded = async {
        let mode = sign_up_mode(state).await?;
        let invites = village_app::accounts::changes::recent_invites(state, identity, 50).await?;
        Ok::<_, StoreError>((mode, invites))
    }
    .await;
    let (mode, invites) = match loaded {
        Ok(x) => x,
        Err(e) => return pages::store_failed(e),
    };
    let status = status_for(&errors, StatusCode::UNPROCESSABLE_ENTITY);
    pages::render(
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
    )
}

async fn view_admin_invites_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<PageQuery>,
) -> Response {
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
    note: String,
}

async fn view_admin_invites_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<InviteForm>,
) -> Response {
    if access::check(&identity.actor(), Action::ManageSignUp).is_err() {
        return pages::forbidden(&state, Some(&identity), &csrf);
    }
    let note = form.note.trim();
    if note.chars().count() > 200 {
        let mut errors = Errors::none();
        errors.add("note", "Keep the note to 200 characters or fewer");
        return invites_page(&state, &identity, &csrf, None, errors, None).await;
    }
    let token = auth::new_token();
    let now = now();
    let result = village_app::accounts::changes::create_invite(
        &state,
        &identity,
        &token,
        note,
        now + INVITE_SECS,
        &ip,
        now,
    )
    .await;
    match result {
        Ok(()) => {
            let link = state.settings.link(&format!("/sign-up?invite={token}"));
            invites_page(&state, &identity, &csrf, Some(link), Errors::none(), None).await
        }
        Err(e) => pages::store_failed(e),
    }
}

#[derive(Deserialize, Default)]
pub struct ModeForm {
    #[serde(default)]
    mode: String,
}

async fn view_sign_up_mode_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    PageForm(form): PageForm<ModeForm>,
) -> Response {
    if access::check(&identity.actor(), Action::ManageSignUp).is_err() {
        return pages::forbidden(&state, Some(&identity), &csrf);
    }
    let Ok(mode) = form.mode.parse::<SignUpMode>() else {
        let mut errors = Errors::none();
        errors.add("mode-open", "Choose who can join");
        return invites_page(&state, &identity, &csrf, None, errors, None).await;
    };
    let now = now();
    let result =
        village_app::accounts::changes::set_sign_up_mode(&state, &identity, mode, &ip, now).await;
    match result {
        Ok(()) => Redirect::to("/admin/invites?done=sign_up_mode_saved").into_response(),
        Err(e) => pages::store_failed(e),
    }
}

// ---- API --------------------------------------------------------------------------------

/// A member's lived experience, as they declared it. Only they ever see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LivedExperienceBody {
    pub declared: bool,
    /// Any of `draws_on_support`, `unpaid_carer`, `other`.
    #[serde(default)]
    pub kinds: Vec<LivedExperienceKind>,
    /// In the member's own words.
    #[serde(default)]
    pub in_my_words: Option<String>,
}

impl From<LivedExperience> for LivedExperienceBody {
    fn from(l: LivedExperience) -> Self {
        Self {
            declared: l.declared,
            kinds: l.kinds,
            in_my_words: l.in_my_words,
        }
    }
}

/// The signed-in member.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub lived_experience: LivedExperienceBody,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
}

fn me_from(user: &UserRow) -> Me {
    Me {
        id: user.id,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        role: user.role(),
        lived_experience: user.lived_experience().into(),
        created_at: user.created_at,
    }
}

/// The signed-in member's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_me(ApiUser(identity): ApiUser) -> Json<Me> {
    Json(me_from(&identity.user))
}

/// Declare, change or withdraw lived experience. Withdrawing clears the kinds and words.
#[utoipa::path(put, path = "/api/v1/me/lived-experience", tag = "accounts",
    request_body = LivedExperienceBody,
    responses((status = 200, body = LivedExperienceBody), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_put_lived_experience(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(body): ApiJson<LivedExperienceBody>,
) -> Result<Json<LivedExperienceBody>, ApiError> {
    let lived = LivedExperience::new(body.declared, body.kinds, body.in_my_words.as_deref())?;
    set_lived_experience(&state, &identity, &lived, &ip, now()).await?;
    Ok(Json(lived.into()))
}

/// One account in the admin list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub created_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleList {
    pub total: i64,
    pub people: Vec<Person>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PeopleParams {
    /// Part of a name or email address.
    pub q: Option<String>,
    /// Only this role.
    pub role: Option<Role>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Up to 200 a page; 50 if not given.
    pub per_page: Option<i64>,
}

/// People on this hub with their roles (hub admins only; each person listed is told in
/// their audit trail).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "accounts", params(PeopleParams),
    responses((status = 200, body = PeopleList), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_list_users(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    query: Result<Query<PeopleParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PeopleList>, ApiError> {
    let Query(params) = query.map_err(|e| ApiError::new(ErrorCode::QueryInvalid, e.body_text()))?;
    let per_page = params.per_page.unwrap_or(PAGE_SIZE).clamp(1, 200);
    let page = params.page.unwrap_or(1).clamp(1, 1_000_000);
    let filter = UserFilter {
        text: params.q,
        role: params.role,
        limit: per_page,
        offset: (page - 1) * per_page,
    };
    let (rows, total) = list_people(&state, &identity, &filter, &ip, now()).await?;
    Ok(Json(PeopleList {
        total,
        people: rows
            .into_iter()
            .map(|u| Person {
                id: u.id,
                role: u.role(),
                email: u.email,
                display_name: u.display_name,
                created_at: u.created_at,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleBody {
    pub role: Role,
}

/// Change someone's role (hub admins only; not their own).
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/role", tag = "accounts",
    params(("id" = i64, Path, description = "The account's id")),
    request_body = RoleBody,
    responses((status = 200, body = Person), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_set_role(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RoleBody>,
) -> Result<Json<Person>, ApiError> {
    match set_role(&state, &identity, id, body.role, &ip, now()).await {
        Ok(u) => Ok(Json(Person {
            id: u.id,
            role: u.role(),
            email: u.email,
            display_name: u.display_name,
            created_at: u.created_at,
        })),
        Err(AccountError::Field(_)) => Err(ApiError::not_found("account with that id")),
        Err(e) => Err(e.into()),
    }
}
