//! Wellbeing check-ins (ONS4): a person answers the four questions at the start, after six
//! weeks and after three months. Only they see their answers.

use super::Result;
use crate::accounts::Identity;
use crate::App;
use serde::Serialize;
use utoipa::ToSchema;
use village_domain::accounts::FieldError;
use village_domain::connections::checkin::{Answers, Moment};
use village_domain::error::ErrorCode;
use village_store::connections as store;

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckinOut {
    pub moment: Moment,
    #[serde(flatten)]
    pub answers: Answers,
    pub at: i64,
}

pub fn to_out(rows: Vec<store::CheckinRow>) -> Vec<CheckinOut> {
    rows.into_iter()
        .map(|r| CheckinOut {
            moment: r.moment,
            answers: Answers {
                satisfied: r.satisfied,
                worthwhile: r.worthwhile,
                happy: r.happy,
                anxious: r.anxious,
                changed: r.changed,
            },
            at: r.at,
        })
        .collect()
}

#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn my_checkins(state: &App, who: &Identity) -> Result<Vec<CheckinOut>> {
    let mut c = state.store.conn().await?;
    Ok(to_out(store::checkins(&mut c, who.user.id).await?))
}

#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn check_in(
    state: &App,
    who: &Identity,
    moment: &str,
    answers: Answers,
    t: i64,
) -> Result<()> {
    let Some(moment) = Moment::parse(moment) else {
        return Err(FieldError::new(
            "moment",
            ErrorCode::MomentInvalid,
            "Choose start, six_weeks or three_months.",
        )
        .into());
    };
    let a = answers.check()?;
    let mut c = state.store.conn().await?;
    store::put_checkin(
        &mut c,
        &store::NewCheckin {
            person_id: who.user.id,
            moment: moment.code(),
            scores: a.scores(),
            changed: &a.changed,
        },
        t,
    )
    .await?;
    Ok(())
}
