//! Who is asking: session cookies and API tokens, CSRF protection, and the extractors
//! handlers use to require a signed-in person. (Tokens and password hashing are
//! `village_app::accounts::credentials`.)

use crate::api::ApiError;
use crate::{now, AppState};
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use std::net::SocketAddr;
use subtle::ConstantTimeEq;
use village_app::accounts::sessions;
use village_app::accounts::{form_token_of_session, hash_token, new_token, Identity, Via};

pub const SESSION_COOKIE: &str = "village_session";
pub const CSRF_COOKIE: &str = "village_csrf";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

fn looks_like_token(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

use crate::csrf::CsrfToken;

/// The value of the request's cookie `name`, if it sent one.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(name)
        .map(|c| c.value().to_string())
}

pub fn bearer_token(headers: &HeaderMap) -> Option<Option<String>> {
    let value = headers.get(header::AUTHORIZATION)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .filter(|t| looks_like_token(t));
    Some(token)
}

/// A `Set-Cookie` value with the hub's cookie rules: HttpOnly, SameSite=Lax, Secure on https;
/// with `max_age` it lasts that many seconds (0 removes it), without it until the browser closes.
pub fn cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut built = Cookie::build((name.to_string(), value.to_string()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.is_https());
    if let Some(age) = max_age {
        built = built.max_age(cookie::time::Duration::seconds(age));
    }
    HeaderValue::from_str(&built.build().to_string())
        .unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// The visitor's network address, for rate limits and the audit log.
pub fn client_address(
    state: &AppState,
    parts_headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> String {
    if state.settings.trust_forwarded_for {
        if let Some(first) = parts_headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
        {
            return first.to_string();
        }
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The visitor's network address, as an extractor.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(ClientAddress(client_address(state, &parts.headers, peer)))
    }
}

/// Middleware: find who is asking, from a bearer token (API only) or the session cookie.
/// Expired sessions are removed; a session's last visit is written at most once a minute.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/static/") || path == "/favicon.ico" || path == "/healthz" {
        return next.run(request).await;
    }
    let is_api = path.starts_with("/api/");
    let now = now();
    let mut identity = None;
    let mut clear_cookie = false;
    match bearer_token(request.headers()) {
        Some(token) if is_api => {
            let Some(token) = token else {
                return ApiError::unauthenticated().into_response();
            };
            match sessions::api_token_user(&state, &token, now).await {
                Ok(Some(found)) => identity = Some(found),
                Ok(None) => return ApiError::unauthenticated().into_response(),
                Err(e) => return ApiError::internal(e).into_response(),
            }
        }
        _ => {
            if let Some(token) = cookie_value(request.headers(), SESSION_COOKIE) {
                if looks_like_token(&token) {
                    let token_hash = hash_token(&token);
                    match sessions::session_user(&state, &token_hash, now).await {
                        Ok(Some(user)) => {
                            identity = Some(Identity {
                                user,
                                via: Via::Session { token_hash },
                            })
                        }
                        Ok(None) => clear_cookie = true,
                        Err(e) => {
                            tracing::error!(error = %e, "could not read session");
                            return crate::pages::unavailable().into_response();
                        }
                    }
                } else {
                    clear_cookie = true;
                }
            }
        }
    }
    // Kept to draw a problem page a handler answers with (`pages::PageError`) with this
    // visitor's own menu. Done here rather than in a layer of its own: another middleware
    // layer cost a fifth of the hub's requests a second, /healthz included.
    let csrf = request.extensions().get::<CsrfToken>().cloned();
    let shown_as = identity.clone();
    if let Some(identity) = identity {
        request.extensions_mut().insert(identity);
    }
    let writes = !is_safe(request.method());
    let mut response = next.run(request).await;
    if let Some(problem) = crate::pages::drawn_problem(&state, &mut response, shown_as, csrf) {
        response = problem;
    }
    if writes {
        // Whatever this request changed (a sign-out, a role, a password), this process
        // forgets kept sessions before anyone can send the next request, and tells the others.
        state.sessions.changed(&state.store);
    }
    if clear_cookie && !response.headers().contains_key(header::SET_COOKIE) {
        response.headers_mut().append(
            header::SET_COOKIE,
            cookie(&state, SESSION_COOKIE, "", Some(0)),
        );
    }
    response
}

/// Start a session for `user_id` and give back its cookie.
pub async fn start_session(
    state: &AppState,
    user_id: i64,
    now: i64,
) -> village_store::Result<HeaderValue> {
    let token = village_app::accounts::start_session(state, user_id, now).await?;
    Ok(session_cookie(state, &token))
}

/// The `Set-Cookie` value that carries a session's secret token.
pub fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    cookie(
        state,
        SESSION_COOKIE,
        token,
        Some(state.settings.sessions.absolute_timeout_secs),
    )
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware: protect every state-changing request against cross-site request forgery.
///
/// Forms carry a `csrf_token` field. For someone holding a session cookie it must be the
/// session's own form token (`form_token_of_session`: worked out from the session's secret, so
/// it cannot be planted and changes with each sign-in); for a visitor without one, the value
/// of their `village_csrf` cookie (double submit). The cookie always holds the token the pages
/// carry (SameSite=Lax, HttpOnly), so API calls authenticated by the session cookie send that
/// value in an `X-CSRF-Token` header; calls with a bearer token carry no ambient credentials
/// and need nothing more.
pub async fn csrf_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // A query string holding a NUL (U+0000) is refused, naming the parameter, before any
    // handler reads it: no database here keeps one.
    if let Some(name) = request
        .uri()
        .query()
        .and_then(|q| crate::nul::in_form(q.as_bytes()))
    {
        let words = crate::nul::words(&name);
        if path.starts_with("/api/") || path == "/oruk" || path.starts_with("/oruk/") {
            let mut e = ApiError::new(village_domain::error::ErrorCode::InvalidParameter, words);
            e.field = Some(name.into());
            return e.into_response();
        }
        return crate::pages::bad_query(&words);
    }
    let machine_only = path == "/healthz"
        || path == "/readyz"
        || path == "/favicon.ico"
        || path.starts_with("/static/");
    if machine_only && is_safe(request.method()) {
        return next.run(request).await;
    }
    // The ORUK API only reads and takes no cookies: a write goes on to the router, which
    // answers 405 with the methods it may use.
    let oruk = path == "/oruk" || path.starts_with("/oruk/");
    if oruk && !is_safe(request.method()) {
        return next.run(request).await;
    }
    let cookie_token = cookie_value(request.headers(), CSRF_COOKIE).filter(|t| looks_like_token(t));
    let expected = match cookie_value(request.headers(), SESSION_COOKIE) {
        Some(session) if looks_like_token(&session) => Some(form_token_of_session(&session)),
        _ => cookie_token.clone(),
    };
    if is_safe(request.method()) {
        let token = expected.unwrap_or_else(new_token);
        let stale = cookie_token.as_deref() != Some(token.as_str());
        let mut request = request;
        request.extensions_mut().insert(CsrfToken(token.clone()));
        let mut response = next.run(request).await;
        keep_form_token(&state, &mut response, stale.then_some(token.as_str()));
        return response;
    }
    let is_api = request.uri().path().starts_with("/api/");
    if is_api {
        if request.headers().contains_key(header::AUTHORIZATION) {
            return next.run(request).await;
        }
        let sent = request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        return match (expected, sent) {
            (Some(expected), Some(sent)) if same(&expected, &sent) => {
                let mut request = request;
                request.extensions_mut().insert(CsrfToken(expected));
                let mut response = next.run(request).await;
                keep_form_token(&state, &mut response, None);
                response
            }
            _ => ApiError::csrf().into_response(),
        };
    }
    // A form: read the body (small, capped), check the token, and pass the body on intact.
    let (parts, body) = request.into_parts();
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return crate::pages::csrf_failed(StatusCode::UNSUPPORTED_MEDIA_TYPE).into_response();
    }
    let bytes = match axum::body::to_bytes(body, village_app::settings::MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => return crate::pages::too_large().into_response(),
    };
    let sent = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.into_owned());
    match (expected, sent) {
        (Some(expected), Some(sent)) if same(&expected, &sent) => {
            let path = parts.uri.path().to_string();
            let mut request = Request::from_parts(parts, Body::from(bytes.clone()));
            request.extensions_mut().insert(CsrfToken(expected));
            let response = next.run(request).await;
            // A form that comes back with a problem keeps every answer the person gave.
            let mut response = crate::refill::keep_answers(response, &path, &bytes).await;
            keep_form_token(&state, &mut response, None);
            response
        }
        _ => crate::pages::csrf_failed(StatusCode::FORBIDDEN).into_response(),
    }
}

/// Keep the `village_csrf` cookie holding the token the pages carry: the new session's, when
/// this response starts one (signing in, joining, a new password), else `stale`'s value when
/// the cookie did not hold it.
fn keep_form_token(state: &AppState, response: &mut Response, stale: Option<&str>) {
    let started = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && looks_like_token(value))
        .map(|(_, session)| form_token_of_session(session));
    if let Some(token) = started.as_deref().or(stale) {
        let value = cookie(state, CSRF_COOKIE, token, None);
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// A page that needs someone signed in: others are sent to sign in and brought back.
#[derive(Debug, Clone)]
pub struct SignedIn(pub Identity);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Identity>() {
            Some(i) => Ok(SignedIn(i.clone())),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "/".into());
                let target = format!(
                    "/sign-in?next={}",
                    form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// Someone who may or may not be signed in.
#[derive(Debug, Clone)]
pub struct MaybeSignedIn(pub Option<Identity>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeSignedIn(parts.extensions.get::<Identity>().cloned()))
    }
}

/// An API call that needs someone signed in: others get 401 with a JSON error.
#[derive(Debug, Clone)]
pub struct ApiUser(pub Identity);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Identity>()
            .cloned()
            .map(ApiUser)
            .ok_or_else(ApiError::unauthenticated)
    }
}

/// Only local paths are followed after sign-in, so a link cannot send people elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    // Only a path on this hub: one leading slash, then printable characters, no backslash.
    // Browsers drop tabs and new lines inside an address ("/<TAB>/evil.example" becomes
    // "//evil.example", another site), and control characters cannot go in a header at all,
    // so a space or control character anywhere sends people home instead. Letters beyond
    // ASCII ("/directory?q=café") are kept, percent-encoded.
    let Some(n) = next.filter(|n| n.starts_with('/') && !n.starts_with("//")) else {
        return "/".to_string();
    };
    let mut out = String::with_capacity(n.len());
    for c in n.chars() {
        if c.is_ascii_graphic() && c != '\\' {
            out.push(c);
        } else if !c.is_ascii() && !c.is_whitespace() && !c.is_control() {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            return "/".to_string();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(looks_like_token(&a));
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
    }

    #[test]
    fn cookies_are_read_by_name_among_many() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("other=1; village_csrf=abc-DEF_123;village_session=xyz"),
        );
        assert_eq!(
            cookie_value(&headers, CSRF_COOKIE).as_deref(),
            Some("abc-DEF_123")
        );
        assert_eq!(
            cookie_value(&headers, SESSION_COOKIE).as_deref(),
            Some("xyz")
        );
        assert_eq!(cookie_value(&headers, "missing"), None);
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/account")), "/account");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n")), "/");
        assert_eq!(safe_next(Some("/a b")), "/");
        assert_eq!(
            safe_next(Some("/directory?q=walk&day=TU")),
            "/directory?q=walk&day=TU"
        );
        assert_eq!(
            safe_next(Some("/directory?q=café")),
            "/directory?q=caf%C3%A9"
        );
        assert_eq!(safe_next(Some("/\u{2028}/evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
