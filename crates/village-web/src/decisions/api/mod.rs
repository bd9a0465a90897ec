//! The shared-power API: spaces, proposals, stances and outcomes; funding rounds, bids,
//! ballots, paper ballots, results and 360Giving data.

mod proposals;
mod rounds;
mod spaces;

pub use proposals::*;
pub use rounds::*;
pub use spaces::*;

use crate::api::{ApiError, ApiJson};
use crate::auth::{ApiUser, ClientAddress, MaybeSignedIn};
use crate::extract::Path;
use crate::{now, AppState};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use village_app::decisions::ProposalView;
use village_domain::decisions::budget::Paper;
use village_domain::decisions::giving;
use village_domain::decisions::proposal::OutcomeDraft;
use village_domain::error::ErrorCode;

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}
