//! Shared-power pages: spaces and their proposals (`/spaces…`, `/proposals/{id}…`) and
//! funding rounds (`/rounds…`). Every form posts to a page route that calls the same
//! functions as the API, then redirects back with a short notice, or shows the page again
//! with the problems named beside their fields.

mod proposals;
mod results;
mod rounds;
mod spaces;

pub use proposals::*;
pub use results::*;
pub use rounds::*;
pub use spaces::*;

use crate::auth::{ClientAddress, MaybeSignedIn, SignedIn};
use crate::csrf::CsrfToken;
use crate::extract::{Path, Query};
use crate::pages::{self, Errors, Layout, PageForm, PageResult};
use crate::stories::pages::CheckShown;
use crate::{now, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::BTreeMap;
use village_app::accounts::Identity;
use village_app::decisions::ProposalView;
use village_app::Error;
use village_domain::decisions::budget::{pounds, Paper, Phase};
use village_domain::decisions::proposal::{CommentKind, OutcomeDraft, Progress, Stance};
use village_domain::error::ErrorCode;

/// Short confirmations after a form, by a fixed key (never words from the address).
fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "space" => "Your space is ready. You run it.",
        "joined" => "You have joined this space.",
        "left" => "You have left this space.",
        "invited" => {
            "Done. They will see the invitation when they next sign in, and we have emailed them."
        }
        "proposal" => "Your proposal is up. Members can now say where they stand.",
        "edited" => "The new wording is up; the earlier one is kept below.",
        "stance" => "Your view is saved. You can change it until the proposal is decided.",
        "comment" => "Your comment is added.",
        "closed" => "The decision is recorded and published with the dissent.",
        "updated" => "The update is recorded.",
        "round" => "Your funding round has started, in the ideas phase. You run it.",
        "idea" => "Thank you: your idea is shared.",
        "bid" => "Your bid is in. A steward will check it before voting opens.",
        "checked" => "The check is recorded.",
        "phase" => "The round has moved on.",
        "voted" => "Your ballot is in. You can change it until voting closes.",
        "paper" => "The paper ballot is typed in.",
        "resolved" => "The paper ballot is resolved.",
        "delivery" => "Your update is posted.",
        _ => return None,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}
