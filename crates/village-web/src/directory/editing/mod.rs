//! Community editing: any signed-in member suggests an offer or a change; nothing they
//! suggest is public until a steward approves it; stewards approve or reject with a reason
//! the member sees; every approved change is kept as a version (who, when, what, why).

mod organisers;
mod review;
mod suggest;

pub use organisers::*;
pub use review::*;
pub use suggest::*;

use crate::auth::{ClientAddress, MaybeSignedIn, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::Path;
use crate::pages::{self, Errors, Layout, PageError, PageForm, PageResult};
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;
use village_app::accounts::Identity;
use village_app::directory::editing;
use village_app::Error;
use village_domain::directory::offer::{
    attribute_term, cost_line, differences, place_line, time_lines, ChangeForm, CostLine,
    NewOfferForm, PlaceLine, TimeLine, MAX_TIMES, TIME_FIELDS, WEEKS,
};
use village_domain::directory::schedule::Weekday;
use village_domain::directory::taxonomy::{Access, Community, GroupKind, Space, CATEGORIES};
use village_store::directory::{ClaimRow, SuggestionRow};

fn errors_from(e: Error) -> Result<Errors, PageError> {
    let mut errors = Errors::none();
    match e {
        Error::Field(p) => errors.add_field_error(&p),
        Error::Fields(list) => list.iter().for_each(|p| errors.add_field_error(p)),
        other => return Err(other.into()),
    }
    Ok(errors)
}
