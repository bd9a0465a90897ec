//! The weekly email of new asks and offers near a member who asked for it, and a notice to
//! them when an ask near them has waited three days with nobody answering. Both run in the
//! server every hour (`hourly`, from `jobs`); the clock is passed in, so tests move it.

use super::*;
use crate::accounts::Identity;
use village_domain::connections::introduction::first_name;
use village_store::connections::notify;
use village_store::mutual_aid::{self as store, Near, BANDS_MILES};

const DAY: i64 = 24 * 3600;
/// A digest goes out once a week.
pub const DIGEST_EVERY_DAYS: i64 = 7;
/// An ask that has waited this long with no answer is told to members near it.
pub const WAITING_DAYS: i64 = 3;
/// How far "near" reaches for the weekly email, and for a waiting ask.
pub const DIGEST_MILES: f64 = BANDS_MILES[2];
pub const WAITING_MILES: f64 = BANDS_MILES[1];
/// The most posts one email lists.
const DIGEST_MOST: i64 = 20;

/// A member's weekly email, as they chose it.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestChoice {
    pub area: String,
    pub next_at: i64,
}

/// The caller's weekly email, if they asked for one.
pub async fn digest(state: &App, who: &Identity) -> Result<Option<DigestChoice>> {
    let mut c = state.store.conn().await?;
    Ok(store::digest_of(&mut c, who.user.id)
        .await?
        .map(|d| DigestChoice {
            area: d.area,
            next_at: d.next_at,
        }))
}

/// Ask for the weekly email about help near `area` (one of the hub's areas or a postcode
/// district); asking again moves it. The first comes a week from now.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn start_digest(state: &App, who: &Identity, area: &str, t: i64) -> Result<DigestChoice> {
    if area.trim().is_empty() {
        return Err(FieldError::new(
            "area",
            ErrorCode::Missing,
            "Say roughly where: one of the areas, or the first part of a postcode, like NG7.",
        )
        .into());
    }
    let mut tx = state.store.begin().await?;
    let (name, point) = super::posts::place(state, &mut tx, "area", area).await?;
    let next_at = t + DIGEST_EVERY_DAYS * DAY;
    store::set_digest(&mut tx, who.user.id, &name, point, t, next_at).await?;
    let chosen = store::digest_of(&mut tx, who.user.id).await?;
    tx.commit().await?;
    Ok(DigestChoice {
        area: name,
        next_at: chosen.map_or(next_at, |d| d.next_at),
    })
}

/// Stop the weekly email; whether there was one.
pub async fn stop_digest(state: &App, who: &Identity) -> Result<bool> {
    let mut c = state.store.conn().await?;
    Ok(store::stop_digest(&mut c, who.user.id).await?)
}

/// Send every weekly email that is due (each once, even with two servers); returns how
/// many went. A week with nothing new near someone sends nothing.
#[tracing::instrument(skip_all)]
pub async fn send_digests(state: &App, t: i64) -> Result<usize> {
    let mut c = state.store.conn().await?;
    let due = store::digests_due(&mut c, t, 500).await?;
    drop(c);
    let mut sent = 0;
    for d in due {
        let mut tx = state.store.begin().await?;
        // The next email covers what comes after this one: from the next second on.
        if !store::claim_digest(&mut tx, &d, t + 1, t + DIGEST_EVERY_DAYS * DAY).await? {
            continue;
        }
        let near = Near {
            area: &d.area,
            point: d.lat.zip(d.lon),
            miles: DIGEST_MILES,
        };
        let posts =
            store::posts_since_near(&mut tx, d.user_id, d.since, t, near, DIGEST_MOST).await?;
        tx.commit().await?;
        if posts.is_empty() {
            continue;
        }
        let mut body = format!("New asks and offers near {} this week:\n\n", d.area);
        for p in &posts {
            body.push_str(&format!(
                "- {}: {} ({}{})\n  {}\n",
                p.kind.short(),
                p.title,
                first_name(&p.author_name),
                if p.area.is_empty() {
                    String::new()
                } else {
                    format!(", {}", p.area)
                },
                state.settings.link(&format!("/help/posts/{}", p.id))
            ));
        }
        body.push_str(&format!(
            "\nYou asked for this email each week. To stop it, or to change where, go to:\n\n{}\n",
            state.settings.link("/help/mine")
        ));
        email_user(state, d.user_id, "Help near you this week", &body).await;
        sent += 1;
    }
    Ok(sent)
}

/// Tell each member who asked for the weekly email about asks near them that have waited
/// three days with nobody answering (each ask once per member); returns how many notices.
#[tracing::instrument(skip_all)]
pub async fn notice_waiting_asks(state: &App, t: i64) -> Result<usize> {
    let mut c = state.store.conn().await?;
    let everyone = store::all_digests(&mut c).await?;
    drop(c);
    let mut told = 0;
    for d in everyone {
        let mut tx = state.store.begin().await?;
        let near = Near {
            area: &d.area,
            point: d.lat.zip(d.lon),
            miles: WAITING_MILES,
        };
        let asks =
            store::unanswered_asks_near(&mut tx, d.user_id, t - WAITING_DAYS * DAY, t, near, 5)
                .await?;
        for p in asks {
            if !store::note_waiting_told(&mut tx, p.id, d.user_id, t).await? {
                continue;
            }
            let words = format!(
                "\"{}\" near you has waited three days with nobody answering. Could you help, or know someone who could?",
                p.title
            );
            notify(
                &mut tx,
                d.user_id,
                &words,
                &format!("/help/posts/{}", p.id),
                t,
            )
            .await?;
            told += 1;
        }
        tx.commit().await?;
    }
    Ok(told)
}

/// Every hour (from `jobs`): post time that waited unanswered, send the weekly emails that
/// are due, and tell people about asks near them that wait.
pub async fn hourly(state: &App, t: i64) {
    match post_waiting(state, t).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(posted = n, "time waiting unanswered posted"),
        Err(e) => tracing::warn!(error = %e, "could not post waiting time"),
    }
    match send_digests(state, t).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(sent = n, "weekly help emails sent"),
        Err(e) => tracing::warn!(error = %e, "could not send the weekly help emails"),
    }
    if let Err(e) = notice_waiting_asks(state, t).await {
        tracing::warn!(error = %e, "could not tell people about waiting asks");
    }
}
