//! Accounts: joining, signing in and out, password resets, the account pages, people and
//! roles for hub admins, and the matching API calls. Pages and API call the same functions.

mod api;
mod pages;

pub use api::*;
pub use pages::*;

use crate::api::{ApiError, ApiJson};
use crate::auth::{self, ApiUser, ClientAddress, MaybeSignedIn, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::Path;
use crate::pages::{Errors, Layout, PageForm};
use crate::{now, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use village_app::accounts::Identity;
use village_app::accounts::{
    change_email, change_password, list_people, set_lived_experience, set_role, sign_in, sign_up,
    sign_up_mode, SignUp,
};
use village_app::Error;
use village_domain::access::{self, Action};
use village_domain::accounts::{
    DisplayName, Email, LivedExperience, LivedExperienceKind, NewPassword, Role, SignUpMode,
};
use village_domain::error::ErrorCode;
use village_store::accounts::{UserFilter, UserRow};
use village_store::StoreError;

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
        "phone_changed" => "Your phone number has been saved.",
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
