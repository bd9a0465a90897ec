//! Emails about gatherings: the confirmation with the calendar file when someone has a
//! place, and reminders two days before (to everyone going: when, where, what the place has
//! and the joining link; to its organisers: how many need what, never names).

use super::{calendar, chairs::everyone_organising, link, Seen};
use crate::accounts::Identity;
use crate::error::Result;
use crate::App;
use village_domain::dates;
use village_domain::gatherings::places::Place;
use village_store::gatherings::{self as store, GatheringRow};

/// When reminders go: this long before a gathering starts.
pub const REMIND_BEFORE: i64 = 48 * 3600;

/// What an email says about a gathering: when (`time`, its next time for a series, with
/// how it comes round), where, the joining link (for someone with a place) and what the
/// place has.
fn details(
    state: &App,
    row: &GatheringRow,
    time: (i64, i64),
    joining_link: Option<&str>,
) -> String {
    let mut out = format!("When: {}\n", dates::span(time.0, time.1));
    if let Some(words) = village_domain::gatherings::series::words(row.starts_at, &row.series()) {
        out.push_str(&format!("{words}.\n"));
    }
    let place = calendar::location(row);
    if !place.is_empty() {
        out.push_str(&format!("Where: {place}\n"));
    }
    if let Some(l) = joining_link {
        out.push_str(&format!("Join online: {l}\n"));
    }
    let facts: Vec<&str> = row
        .access
        .split(',')
        .filter_map(village_domain::gatherings::gathering::AccessFact::parse)
        .map(|f| f.words())
        .collect();
    if !facts.is_empty() {
        out.push_str("\nWhat the place has:\n");
        for f in facts {
            out.push_str(&format!("- {f}\n"));
        }
    }
    out.push_str(&format!(
        "\nMore about it: {}\n",
        state.settings.link(&link(row.id))
    ));
    out
}

/// Tell someone who now has a place, with the calendar file to add it. Failures are logged.
pub(crate) async fn confirm(state: &App, who: &Identity, id: i64, t: i64) {
    let sent = async {
        let seen: Seen = super::gathering(state, Some(who), id, t).await?;
        if seen.mine.as_ref().map(|m| m.place) != Some(Place::Going) {
            return Ok(());
        }
        let body = format!(
            "Hello {},\n\nYou have a place at \"{}\".\n\n{}\nThe calendar file with this email adds it to your calendar, and your calendar app keeps it up to date.\n\nIf you cannot come, please give up your place on the gathering's page, so someone else can have it.\n",
            who.user.display_name,
            seen.row.title,
            details(
                state,
                &seen.row,
                super::next_time(&seen.row, t).unwrap_or((seen.row.starts_at, seen.row.ends_at)),
                seen.online_url.as_deref()
            )
        );
        let ics = calendar::one_seen(state, &seen).await?;
        let subject = format!("Your place at {}", seen.row.title);
        state
            .mailer
            .send_with_calendar(
                &who.user.email,
                &subject,
                body,
                (&format!("gathering-{id}.ics"), ics),
            )
            .await
            .map_err(crate::Error::Other)
    };
    if let Err(e) = sent.await {
        tracing::warn!(error = %e, gathering = id, "could not send the confirmation of a place");
    }
}

/// The hourly step: for each published gathering with a time starting in the next two days
/// (the next of a series) whose reminders for that time have not gone, claim them (so they
/// go once) and send them. Returns how many were sent (a gathering and one of its times).
pub async fn remind(state: &App, t: i64) -> Result<usize> {
    let candidates = {
        let mut c = state.store.conn().await?;
        store::to_remind(&mut c, t, t + REMIND_BEFORE).await?
    };
    let mut done = 0;
    for id in candidates {
        let (row, time, going, needs, organisers) = {
            let mut tx = state.store.begin().await?;
            let Some(row) = store::gathering(&mut tx, id).await? else {
                continue;
            };
            let next = village_domain::gatherings::series::occurrences(
                row.starts_at,
                row.ends_at,
                &row.series(),
                400,
            )
            .into_iter()
            .find(|(s, _)| *s > t);
            let Some(time) = next.filter(|(s, _)| *s <= t + REMIND_BEFORE) else {
                continue;
            };
            if !store::claim_reminders(&mut tx, id, t, time.0 - REMIND_BEFORE).await? {
                continue;
            }
            let going: Vec<_> = store::places::sign_ups(&mut tx, id)
                .await?
                .into_iter()
                .filter(|s| s.place == Place::Going)
                .collect();
            let needs = store::places::needs(&mut tx, id).await?;
            let organisers = everyone_organising(&mut tx, &row).await?;
            tx.commit().await?;
            (row, time, going, needs, organisers)
        };
        for s in &going {
            let body = format!(
                "Hello {},\n\nA reminder: \"{}\" is soon, and you have a place.\n\n{}\nIf you cannot come now, please give up your place on the gathering's page, so someone else can have it.\n",
                s.display_name,
                row.title,
                details(state, &row, time, row.online_url.as_deref())
            );
            let subject = format!("Soon: {}", row.title);
            if let Err(e) = state.mailer.send(&s.email, &subject, body).await {
                tracing::warn!(error = %e, gathering = id, "could not send a reminder");
            }
        }
        let counts = super::need_counts(&needs);
        let mut words = format!(
            "\"{}\" is on {}. {} {} going.",
            row.title,
            dates::when(time.0),
            going.len(),
            if going.len() == 1 {
                "person is"
            } else {
                "people are"
            }
        );
        if counts.is_empty() {
            words.push_str(" Nobody has said they need anything.");
        } else {
            let list: Vec<String> = counts
                .iter()
                .map(|(n, c)| format!("{}: {c}", n.words()))
                .collect();
            words.push_str(&format!(" What would help people: {}.", list.join("; ")));
        }
        let mut tx = state.store.begin().await?;
        for o in organisers {
            village_store::connections::notify(&mut tx, o, &words, &link(id), t).await?;
        }
        tx.commit().await?;
        done += 1;
    }
    Ok(done)
}
