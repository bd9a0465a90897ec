//! The page shell: the layout every page shares, form errors, and the pages for problems
//! (not found, not allowed, too many tries, form expired).

use crate::csrf::CsrfToken;
use crate::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use village_app::accounts::Identity;
use village_domain::access::Action;
use village_domain::accounts::FieldError;

/// Bumped when the stylesheet changes, so browsers fetch the new one.
pub const ASSET_VERSION: &str = "17";

pub struct NavUser {
    pub display_name: String,
    pub is_admin: bool,
    /// Stewards and hub admins check suggested offers.
    pub is_reviewer: bool,
    pub is_safeguarding_lead: bool,
    /// Connectors walk alongside the people who chose them.
    pub is_connector: bool,
    /// Council officers (and hub admins) follow decisions, rounds and the directory's
    /// publishing.
    pub is_publisher: bool,
}

/// What the shared layout needs: the hub's name, who is signed in, and the form token.
pub struct Layout {
    pub hub_name: String,
    pub title: String,
    pub path: String,
    pub user: Option<NavUser>,
    pub csrf: String,
    pub notice: Option<String>,
    pub asset_version: &'static str,
}

impl Layout {
    pub fn new(
        state: &AppState,
        identity: Option<&Identity>,
        csrf: &CsrfToken,
        path: &str,
        title: impl Into<String>,
    ) -> Self {
        Self {
            hub_name: state.settings.hub.name.clone(),
            title: title.into(),
            path: path.to_string(),
            user: identity.map(|i| NavUser {
                display_name: i.user.display_name.clone(),
                is_admin: i.may(Action::ListAccounts),
                is_reviewer: i.may(Action::ReviewOffers),
                is_safeguarding_lead: i.may(Action::HandleConcerns),
                is_connector: i.may(Action::WalkAlongside),
                is_publisher: i.may(Action::PublishDirectory),
            }),
            csrf: csrf.0.clone(),
            notice: None,
            asset_version: ASSET_VERSION,
        }
    }

    /// A short confirmation shown at the top of the page ("Your password has been changed").
    pub fn with_notice(mut self, notice: Option<&str>) -> Self {
        self.notice = notice.map(str::to_string);
        self
    }
}

/// One problem with one form field.
pub struct FormError {
    pub field: String,
    pub message: String,
}

/// The problems with a form, shown in a summary at the top and beside each field.
#[derive(Default)]
pub struct Errors {
    pub list: Vec<FormError>,
}

impl Errors {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.for_field(field).is_none() {
            self.list.push(FormError {
                field: field.to_string(),
                message: message.into(),
            });
        }
    }

    pub fn add_field_error(&mut self, e: &FieldError) {
        self.add(e.field, e.message.clone());
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

impl From<FieldError> for Errors {
    fn from(e: FieldError) -> Self {
        let mut errors = Errors::none();
        errors.add_field_error(&e);
        errors
    }
}

/// Render a template as a page with a status.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page template failed to render");
            unavailable().into_response()
        }
    }
}

pub fn page(template: &impl Template) -> Response {
    render(StatusCode::OK, template)
}

/// A plain page for a problem: its own title and a sentence or two of what to do.
#[derive(Template)]
#[template(path = "shell/problem.html")]
pub struct ProblemPage {
    pub layout: Layout,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}

/// A problem page without the layout's per-visitor parts (used before we know who is asking).
fn bare_problem(status: StatusCode, heading: &str, paragraph: &str) -> Response {
    let layout = Layout {
        hub_name: "Village".into(),
        title: heading.to_string(),
        path: String::new(),
        user: None,
        csrf: String::new(),
        notice: None,
        asset_version: ASSET_VERSION,
    };
    render(
        status,
        &ProblemPage {
            layout,
            heading: heading.to_string(),
            paragraphs: vec![paragraph.to_string()],
            link: Some(("/".into(), "Go to the home page".into())),
        },
    )
}

pub fn problem(
    state: &AppState,
    identity: Option<&Identity>,
    csrf: &CsrfToken,
    status: StatusCode,
    heading: &str,
    paragraphs: &[&str],
) -> Response {
    render(
        status,
        &ProblemPage {
            layout: Layout::new(state, identity, csrf, "", heading),
            heading: heading.to_string(),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            link: Some(("/".into(), "Go to the home page".into())),
        },
    )
}

pub fn forbidden(state: &AppState, identity: Option<&Identity>, csrf: &CsrfToken) -> Response {
    problem(
        state,
        identity,
        csrf,
        StatusCode::FORBIDDEN,
        "You cannot see this page",
        &["This page is for people with a different role on this hub. If you think you should have access, ask a hub admin."],
    )
}

pub fn csrf_failed(status: StatusCode) -> Response {
    bare_problem(
        status,
        "This form has expired",
        "For your safety, forms only work from this hub's own pages. Go back, reload the page and try again. Cookies need to be switched on.",
    )
}

pub fn too_large() -> Response {
    bare_problem(
        StatusCode::PAYLOAD_TOO_LARGE,
        "That was too much to send at once",
        "Please send less text, or split it into parts.",
    )
}

/// An address whose query cannot be used, with plain words saying why.
pub fn bad_query(words: &str) -> Response {
    bare_problem(
        StatusCode::BAD_REQUEST,
        "We could not read that address",
        words,
    )
}

pub fn bad_form() -> Response {
    bare_problem(
        StatusCode::BAD_REQUEST,
        "We could not read that form",
        "Go back, reload the page and try again.",
    )
}

pub fn unavailable() -> Response {
    bare_problem(
        StatusCode::SERVICE_UNAVAILABLE,
        "Sorry, something went wrong on our side",
        "Please try again in a moment. If it keeps happening, tell the people who run this hub.",
    )
}

/// Turn a storage failure into a calm page (and a log line for the people running the hub).
fn store_failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "storage failed while serving a page");
    unavailable()
}

/// A form body whose problems (bad encoding) get a clear page rather than a crash. Fields
/// that repeat (checkboxes: `access=bsl&access=step_free`) read into a `Vec`.
pub struct PageForm<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for PageForm<T>
where
    axum_extra::extract::Form<T>: axum::extract::FromRequest<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, village_app::settings::MAX_BODY_BYTES).await
        else {
            return Err(too_large());
        };
        if let Some(refused) = refuse_nul(&bytes) {
            return Err(refused);
        }
        let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum_extra::extract::Form::<T>::from_request(req, state).await {
            Ok(axum_extra::extract::Form(value)) => Ok(PageForm(value)),
            Err(_) => Err(bad_form()),
        }
    }
}

/// The page for a form whose text holds a NUL character, naming the field; `None` when none
/// does. For handlers that read a form's bytes themselves; [`PageForm`] calls it.
pub(crate) fn refuse_nul(form: &[u8]) -> Option<Response> {
    crate::nul::in_form(form).map(|field| {
        bare_problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Something needs changing",
            &crate::nul::words(&field),
        )
    })
}

/// The question asked before something that ends a relationship or removes something
/// (leaving a circle, ending a connector's link, withdrawing an introduction): what will
/// happen, worded for the reader, a button that does it and a way back that does nothing.
/// Works without JavaScript: the list's button is a link to this page.
#[derive(Template)]
#[template(path = "shell/confirm.html")]
pub(crate) struct ConfirmPage {
    pub(crate) layout: Layout,
    /// What will happen, a sentence each.
    pub(crate) lines: Vec<String>,
    /// Where "yes" posts.
    pub(crate) action: String,
    pub(crate) yes: String,
    pub(crate) no: String,
    /// Where "no" (and Back) goes.
    pub(crate) back: String,
    /// A label for an optional reason, or empty for none.
    pub(crate) reason_label: String,
}

/// A moment for pages, as people in Britain say it in the hub's time: "23 November 2026,
/// 2:05pm" (see [`village_domain::dates`]).
pub fn when(ts: i64) -> String {
    village_domain::dates::when(ts)
}

/// Why a page could not be shown. Page handlers return `Result<Response, PageError>` and use
/// `?`; the shell ([`drawn_problem`], from `auth::identify`) turns the error into the problem
/// page, with the hub's layout and the visitor's own menu, so no handler has to build one.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Not there, or not for this visitor to know it is there (the same page either way).
    #[error("not found")]
    NotFound,
    /// There, but for people with another role.
    #[error("not allowed")]
    Forbidden,
    /// Not possible in the state things are in: plain words saying why.
    #[error("{0}")]
    Conflict(String),
    /// A step that is someone else's to take: plain words saying whose.
    #[error("{0}")]
    NotYours(String),
    /// What was sent cannot be used, and there is no form to show again: plain words.
    #[error("{0}")]
    Invalid(String),
    /// Too many tries in a short time: the page says how long to wait.
    #[error("too many tries")]
    Limited(village_domain::accounts::AttemptLimit),
    /// Something failed on our side: logged, and the visitor sees a calm page.
    #[error("storage failed: {0}")]
    Store(#[from] village_store::StoreError),
    #[error("{0}")]
    Other(#[from] anyhow::Error),
}

impl From<village_app::Error> for PageError {
    fn from(e: village_app::Error) -> Self {
        use village_app::Error;
        match e {
            Error::Forbidden => PageError::Forbidden,
            Error::NotFound(_) => PageError::NotFound,
            // The page answers with the status the code has in the API.
            Error::Conflict(code, words) => match code.status() {
                403 => PageError::NotYours(words),
                422 => PageError::Invalid(words),
                _ => PageError::Conflict(words),
            },
            Error::Field(f) => PageError::Invalid(f.message),
            Error::Fields(list) => PageError::Invalid(
                list.into_iter()
                    .map(|f| f.message)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Error::Limited(limit) => PageError::Limited(limit),
            Error::Store(e) => PageError::Store(e),
            Error::Other(e) => PageError::Other(e),
        }
    }
}

/// A problem a handler answered with, waiting for [`drawn_problem`] to draw its page.
#[derive(Debug, Clone)]
struct Problem {
    status: StatusCode,
    heading: &'static str,
    paragraphs: Vec<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let problem = match self {
            PageError::NotFound => Problem {
                status: StatusCode::NOT_FOUND,
                heading: "We cannot find that page",
                paragraphs: vec!["The link may be old, or the address may have a typo. Check it, or start again from the home page.".into()],
            },
            PageError::Forbidden => Problem {
                status: StatusCode::FORBIDDEN,
                heading: "You cannot see this page",
                paragraphs: vec!["This page is for people with a different role on this hub. If you think you should have access, ask a hub admin.".into()],
            },
            PageError::Conflict(words) => Problem {
                status: StatusCode::CONFLICT,
                heading: "That cannot be done just now",
                paragraphs: vec![words, "Go back to see where things are.".into()],
            },
            PageError::NotYours(words) => Problem {
                status: StatusCode::FORBIDDEN,
                heading: "That did not happen",
                paragraphs: vec![words, "Go back to see where things are.".into()],
            },
            PageError::Invalid(words) => Problem {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                heading: "Something needs changing",
                paragraphs: vec![words, "Go back and try again.".into()],
            },
            PageError::Limited(limit) => Problem {
                status: StatusCode::TOO_MANY_REQUESTS,
                heading: "Too many tries",
                paragraphs: vec![
                    format!("To keep accounts safe, we pause after several tries that did not work. Please wait {} and try again.", limit.wait_words()),
                    "If you have forgotten your password, you can reset it from the sign-in page.".into(),
                ],
            },
            PageError::Store(e) => return store_failed(e),
            PageError::Other(e) => return store_failed(e),
        };
        let mut response = problem.status.into_response();
        response.extensions_mut().insert(problem);
        response
    }
}

/// The page for a [`PageError`] a handler answered with, if it did, with the layout (hub
/// name, the visitor's menu, the form token) this request would have had. Called by
/// `auth::identify` once the handler has answered.
pub fn drawn_problem(
    state: &AppState,
    response: &mut Response,
    identity: Option<Identity>,
    csrf: Option<CsrfToken>,
) -> Option<Response> {
    let p = response.extensions_mut().remove::<Problem>()?;
    let csrf = csrf.unwrap_or_else(|| CsrfToken(String::new()));
    let paragraphs: Vec<&str> = p.paragraphs.iter().map(String::as_str).collect();
    Some(problem(
        state,
        identity.as_ref(),
        &csrf,
        p.status,
        p.heading,
        &paragraphs,
    ))
}

/// The problems with a form's fields, to show beside them; any other error as it is (for
/// `?`, which draws its problem page).
pub(crate) fn field_errors(e: village_app::Error) -> Result<Errors, village_app::Error> {
    use village_app::Error;
    let mut errors = Errors::none();
    match e {
        Error::Field(e) => errors.add_field_error(&e),
        Error::Fields(list) => {
            for e in &list {
                errors.add_field_error(e);
            }
        }
        e => return Err(e),
    }
    Ok(errors)
}

/// What a page handler answers: the page, or why it could not be shown.
pub type PageResult = Result<Response, PageError>;
