//! The hub itself: its public totals and whether it can serve.

use crate::App;
use village_store::accounts as account_store;
use village_store::StoreError;

/// How long the home page's public counts are kept before asking the database again. Every
/// visit to the home page would otherwise count the members; a few seconds' delay in a
/// public total is worth the load it saves on a busy hub.
pub const HOME_COUNTS_FOR: std::time::Duration = std::time::Duration::from_secs(5);

/// How many members have joined, and how many of them in the last 30 days before `now`.
pub async fn home_counts(state: &App, now: i64) -> Result<(i64, i64), StoreError> {
    if let Ok(cached) = state.home_counts.lock() {
        if let Some((at, counts)) = *cached {
            if at.elapsed() < HOME_COUNTS_FOR {
                return Ok(counts);
            }
        }
    }
    let mut c = state.store.conn().await?;
    let counts = account_store::count_joined(&mut c, now - 30 * 24 * 60 * 60).await?;
    if let Ok(mut cached) = state.home_counts.lock() {
        *cached = Some((std::time::Instant::now(), counts));
    }
    Ok(counts)
}

/// Whether the database answers, so the hub can serve requests.
pub async fn ready(state: &App) -> Result<(), StoreError> {
    state.store.ping().await
}

/// What the home page shows a signed-in person beyond the hub's counts: their unread
/// notices and, for a safeguarding lead, how many concerns are open and how many urgent.
#[derive(Debug, Clone, Copy, Default)]
pub struct Waiting {
    /// The wellbeing check-in that is due now, if one is.
    pub checkin_due: Option<village_domain::connections::checkin::Moment>,
    /// Shortlists a connector shared, where the person has not picked anything yet.
    pub shortlists: usize,
    /// For council officers and hub admins: funding rounds still being decided (ideas,
    /// bids, checks or voting).
    pub rounds_deciding: Option<usize>,
    /// For stewards and hub admins: the directory's review queues.
    pub review: Option<village_store::directory::PublishedCounts>,
    /// For stewards and hub admins: stories waiting to be read (not their own).
    pub stories_waiting: Option<i64>,
    /// For stewards and hub admins: answers to stories held because they name the teller.
    pub answers_held: Option<i64>,
    /// For connectors: how many people they walk alongside, and offers not yet accepted.
    pub walk_alongside: Option<(usize, usize)>,
    pub unread_notices: i64,
    /// Invitations into someone's circle, waiting for an answer.
    pub circle_invitations: usize,
    /// Connectors who offered to walk alongside the person, waiting for an answer.
    pub connector_offers: usize,
    /// Introductions a connector made ready, waiting for the person to send them.
    pub introductions_to_send: usize,
    /// (open, urgent), for safeguarding leads only.
    pub concerns: Option<(i64, i64)>,
}

/// The home page's figures: the hub's counts, and what is waiting for the person (if
/// signed in).
pub async fn home(
    state: &App,
    who: Option<&crate::accounts::Identity>,
    now: i64,
) -> crate::error::Result<((i64, i64), Option<Waiting>)> {
    let counts = home_counts(state, now).await?;
    let Some(who) = who else {
        return Ok((counts, None));
    };
    let me = who.user.id;
    let mut c = state.store.conn().await?;
    let unread_notices = village_store::connections::unread_notifications(&mut c, me).await?;
    let circle_invitations = village_store::people::memberships(&mut c, me)
        .await?
        .iter()
        .filter(|m| m.status == village_domain::people::circle::LinkStatus::Invited)
        .count();
    let connector_offers = village_store::people::connectors_of(&mut c, me)
        .await?
        .iter()
        .filter(|l| l.status == "offered")
        .count();
    let introductions_to_send = village_store::connections::introductions_of_person(&mut c, me)
        .await?
        .iter()
        .filter(|i| {
            i.state == village_domain::connections::introduction::State::Requested
                && i.requested_by != Some(me)
        })
        .count();
    let done: Vec<_> = village_store::connections::checkins(&mut c, me)
        .await?
        .iter()
        .map(|r| (r.moment, r.at))
        .collect();
    let checkin_due = village_domain::connections::checkin::next_due(&done)
        .filter(|(_, due)| *due <= now)
        .map(|(moment, _)| moment);
    let mut shortlists = 0;
    for list in village_store::connections::shortlists_of(&mut c, me, None).await? {
        let items = village_store::connections::shortlist_items(&mut c, list.id).await?;
        if items.iter().all(|i| i.picked_at.is_none()) {
            shortlists += 1;
        }
    }
    let rounds_deciding = if who.may(village_domain::access::Action::PublishDirectory) {
        use village_domain::decisions::budget::Phase;
        let rounds = village_store::decisions::rounds(&mut c).await?;
        Some(
            rounds
                .iter()
                .filter(|r| !matches!(r.phase, Phase::Results | Phase::Delivery))
                .count(),
        )
    } else {
        None
    };
    let review = if who.may(village_domain::access::Action::ReviewOffers) {
        let stale_before =
            crate::directory::editing::rfc3339(now - crate::directory::editing::STALE_AFTER_SECS);
        Some(village_store::directory::published_counts(&mut c, &stale_before).await?)
    } else {
        None
    };
    let (stories_waiting, answers_held) =
        if who.may(village_domain::access::Action::ModerateStories) {
            (
                Some(village_store::stories::waiting_count(&mut c, me).await?),
                Some(village_store::stories::answers::held_count(&mut c).await?),
            )
        } else {
            (None, None)
        };
    let walk_alongside = if who.may(village_domain::access::Action::WalkAlongside) {
        let people = village_store::people::people_of(&mut c, me).await?;
        let accepted = people.iter().filter(|l| l.status == "accepted").count();
        Some((accepted, people.len() - accepted))
    } else {
        None
    };
    drop(c);
    let concerns = if who.may(village_domain::access::Action::HandleConcerns) {
        Some(crate::safeguarding::open_counts(state, who).await?)
    } else {
        None
    };
    Ok((
        counts,
        Some(Waiting {
            checkin_due,
            shortlists,
            rounds_deciding,
            review,
            stories_waiting,
            answers_held,
            walk_alongside,
            unread_notices,
            circle_invitations,
            connector_offers,
            introductions_to_send,
            concerns,
        }),
    ))
}
