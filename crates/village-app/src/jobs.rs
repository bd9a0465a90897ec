//! What the server does by itself every hour, for each capability that needs it: mutual
//! aid (`mutual_aid::hourly`: time waiting unanswered, weekly emails, waiting asks),
//! stories (`stories::answers::ask_follow_ups`: "Did things change?") and gatherings
//! (`gatherings::remind`: reminders two days before; `gatherings::hourly`: places offered from
//! waiting lists, and deleting what people said would help them the hub's days after a
//! gathering). Each step takes the
//! time as an argument, so tests move the clock and call it directly.

use crate::App;

/// Run the hourly steps, every hour, until the server stops.
pub async fn every_hour_forever(state: App) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        hourly(&state, crate::now()).await;
    }
}

/// The hourly steps, once, at `t`.
pub async fn hourly(state: &App, t: i64) {
    crate::mutual_aid::hourly(state, t).await;
    match crate::stories::answers::ask_follow_ups(state, t).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(asked = n, "tellers asked whether things changed"),
        Err(e) => tracing::warn!(error = %e, "could not ask tellers whether things changed"),
    }
    match crate::gatherings::remind(state, t).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(gatherings = n, "reminders sent for gatherings in two days"),
        Err(e) => tracing::warn!(error = %e, "could not send reminders for gatherings"),
    }
    match crate::gatherings::hourly(state, t).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            deleted = n,
            "answers about what would help at past gatherings deleted"
        ),
        Err(e) => {
            tracing::warn!(error = %e, "could not settle gatherings' places or delete old answers")
        }
    }
}
