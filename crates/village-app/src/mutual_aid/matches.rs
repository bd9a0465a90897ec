//! Answering a post, and the match that follows: messages through the hub, the steps both
//! take, and contact details shown only to the two of them once both said yes. Every step is
//! audited and tells the other person, in the app and by email.

use super::*;
use crate::accounts::Identity;
use crate::audit::record;
use village_domain::access;
use village_domain::audit::AuditAction;
use village_domain::connections::introduction::first_name;
use village_domain::mutual_aid::matches::{
    self as rules, Action, Mode, Parties, Refusal, State, Way,
};
use village_domain::mutual_aid::post;
use village_store::mutual_aid::{self as store, MatchEventRow, MatchRow, MessageRow};
use village_store::{connections::notify, Db, StoreError};

/// The longest message.
pub const MESSAGE_MAX: usize = 1_000;

/// What answering a post did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responded {
    New(i64),
    /// This person already has an open match on the post: that one.
    AlreadyOpen(i64),
}

/// What someone chooses to share with the other person once both say yes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shares {
    pub email: bool,
    pub phone: bool,
}

/// Why a step was refused, in plain words.
fn refused(r: Refusal) -> Error {
    let words = match r {
        Refusal::NotYours => "That step is for the other person in this match.",
        Refusal::NotNow => "That step is not possible now: the match has moved on.",
        Refusal::CoordinatorSaysYes => "On this hub a coordinator says yes for you, after talking with you both. They will be in touch soon.",
    };
    Error::Conflict(r.code(), words.into())
}

/// Sharing a phone number needs one on the account.
async fn check_shares(db: &mut impl Db, who: &Identity, s: Shares) -> Result<()> {
    if s.phone
        && village_store::accounts::phone_of(db, who.user.id)
            .await?
            .is_empty()
    {
        return Err(FieldError::new(
            "share_phone",
            ErrorCode::Missing,
            "You have not given a phone number yet. Add one on your account page, or leave this unticked.",
        )
        .into());
    }
    Ok(())
}

fn check_message(field: &'static str, text: &str, required: bool) -> Result<String> {
    let text = crate::people::check_text(field, text, required, MESSAGE_MAX)?;
    Ok(text)
}

/// Answer a post ("I can help with this" / "I'd like this"): a match, `requested`, that the
/// one who posted says yes or no to. The first message is checked for contact details.
#[tracing::instrument(skip_all, fields(actor = caller.user.id, post_id))]
#[allow(clippy::too_many_arguments)]
pub async fn respond(
    state: &App,
    caller: &Identity,
    post_id: i64,
    message: &str,
    shares: Shares,
    on_behalf: Option<super::OnBehalf>,
    ip: &str,
    t: i64,
) -> Result<Responded> {
    let message = check_message("message", message, false)?;
    no_contact_details("message", &message)?;
    let mut tx = state.store.begin().await?;
    // A coordinator answering for a member: the answer is the member's.
    let (who, proxy) = super::acting(&mut tx, caller, on_behalf).await?;
    let who = &who;
    let Some(p) = store::post(&mut tx, post_id).await? else {
        return Err(not_found());
    };
    if p.author_id == who.user.id {
        return crate::error::conflict(ErrorCode::OwnPost, "This is your own post.");
    }
    if let Some(open) = store::open_match(&mut tx, post_id, who.user.id).await? {
        return Ok(Responded::AlreadyOpen(open));
    }
    if !post::is_up(p.state, p.expires_at, t) {
        return crate::error::conflict(
            ErrorCode::PostClosed,
            "This post is no longer up, so it cannot be answered.",
        );
    }
    let helper = super::safety::helper_of(&p, who.user.id);
    super::safety::check_helper(state, &mut tx, &p, helper, who.user.id, t).await?;
    check_shares(&mut tx, who, shares).await?;
    let id = match store::create_match(
        &mut tx,
        post_id,
        who.user.id,
        shares.email,
        shares.phone,
        proxy,
        t,
    )
    .await
    {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => {
            // Answered twice at once: the other answer won; this one is the same match.
            drop(tx);
            let mut c = state.store.conn().await?;
            return match store::open_match(&mut c, post_id, who.user.id).await? {
                Some(open) => Ok(Responded::AlreadyOpen(open)),
                None => Err(not_found()),
            };
        }
        Err(e) => return Err(e.into()),
    };
    if !message.is_empty() {
        store::add_message(&mut tx, id, who.user.id, proxy, &message, t).await?;
    }
    record(
        &mut tx,
        Some(caller.user.id),
        Some(p.author_id),
        AuditAction::HelpMatchChanged,
        &format!("help match {id} on post {post_id}: requested"),
        Some(ip),
        t,
    )
    .await?;
    let link = format!("/help/matches/{id}");
    let answer = match p.kind {
        post::Kind::Ask => "can help with",
        post::Kind::Offer => "would like",
    };
    let next = match state.settings.mutual_aid.mode {
        Mode::Peer => "Say yes or no when you are ready.",
        Mode::Brokered => "A coordinator will talk with you both before you say yes.",
    };
    let words = format!(
        "{}{} {answer} \"{}\". {next}",
        first_name(&who.user.display_name),
        typed_for(caller, proxy),
        p.title
    );
    notify(&mut tx, p.author_id, &words, &link, t).await?;
    if let Some(proxy) = proxy {
        let what = format!("answered \"{}\"", p.title);
        super::acted_for(&mut tx, caller, (who.user.id, proxy), &what, &link, ip, t).await?;
    }
    tx.commit().await?;
    email_about(
        state,
        p.author_id,
        "Someone answered your post",
        &words,
        &link,
    )
    .await;
    Ok(Responded::New(id))
}

/// " (typed in by Sam, a coordinator)": said after a member's name in what the other is told.
fn typed_for(caller: &Identity, proxy: Option<store::Proxy>) -> String {
    match proxy {
        Some(_) => format!(
            " (typed in by {}, a coordinator)",
            first_name(&caller.user.display_name)
        ),
        None => String::new(),
    }
}

/// How the caller stands to a match.
fn parties(who: &Identity, m: &MatchRow) -> Parties {
    Parties {
        poster: m.author_id == who.user.id,
        responder: m.responder_id == who.user.id,
    }
}

/// A match and how the caller stands to it; not found for anyone but its two people. The
/// organisers of a group a post is in the name of all stand as its poster.
async fn in_match(db: &mut impl Db, who: &Identity, id: i64) -> Result<(MatchRow, Parties)> {
    let Some(row) = store::match_row(db, id).await? else {
        return Err(not_found());
    };
    let mut p = parties(who, &row);
    if let (false, Some(group)) = (p.poster, &row.organization_id) {
        p.poster = village_store::directory::is_organiser(db, group, who.user.id).await?;
    }
    if !p.poster && !p.responder {
        return Err(not_found());
    }
    Ok((row, p))
}

/// Whether a coordinator, not one of the two, may see this match: every match on a
/// brokered hub; on a peer-to-peer hub, one they typed something in for or settled time in,
/// or one with time the two did not agree on or that one of them asked to be taken back (it
/// is theirs to settle).
pub(crate) async fn coordinator_sees(
    state: &App,
    db: &mut impl Db,
    who: &Identity,
    row: &MatchRow,
) -> Result<bool> {
    if super::may_coordinate(who).is_err() {
        return Ok(false);
    }
    if state.settings.mutual_aid.mode == Mode::Brokered {
        return Ok(true);
    }
    Ok(store::acted_in_match(db, row.id, who.user.id).await?
        || store::exchanges_of_match(db, row.id)
            .await?
            .iter()
            .any(|x| {
                x.state == village_domain::mutual_aid::credits::ExchangeState::Disputed
                    || x.take_back_waiting()
            }))
}

/// Someone who is not one of the two but may see a match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Onlooker {
    /// A coordinator (see `coordinator_sees`).
    Coordinator,
    /// A safeguarding lead, because these concerns were raised about the match.
    Lead(Vec<i64>),
}

/// Whether someone who is not one of the two may see this match, and as whom.
pub(crate) async fn onlooker(
    state: &App,
    db: &mut impl Db,
    who: &Identity,
    row: &MatchRow,
) -> Result<Option<Onlooker>> {
    if coordinator_sees(state, db, who, row).await? {
        return Ok(Some(Onlooker::Coordinator));
    }
    if access::check(&who.actor(), access::Action::HandleConcerns).is_ok() {
        let concerns = village_store::safeguarding::about_match(db, row.id).await?;
        if !concerns.is_empty() {
            return Ok(Some(Onlooker::Lead(concerns)));
        }
    }
    Ok(None)
}

/// Whether someone may see this match at all: one of the two, or an onlooker.
pub(crate) async fn may_see(
    state: &App,
    db: &mut impl Db,
    who: &Identity,
    id: i64,
) -> Result<MatchRow> {
    match in_match(db, who, id).await {
        Ok((row, _)) => Ok(row),
        Err(Error::NotFound(what)) => match store::match_row(db, id).await? {
            Some(row) if onlooker(state, db, who, &row).await?.is_some() => Ok(row),
            _ => Err(Error::NotFound(what)),
        },
        Err(e) => Err(e),
    }
}

/// Who a safeguarding concern raised from a match page is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchConcern {
    /// The member it is about, when it is about one of the two.
    pub about_person: Option<i64>,
    /// Who it is about, in words, for the safeguarding leads.
    pub about_name: String,
    /// Who it is about, in the words the one raising it sees on the match page.
    pub seen_as: String,
}

/// Whether `who` may attach this match to a concern they raise, and who it is about: one of
/// the two (or an organiser of the group that posted), or a coordinator who may see the
/// match. `about_person`, when given, must be one of the two; otherwise it is the other
/// person for one of the two, and both for a coordinator. `None` when they may not.
pub async fn concern_about(
    state: &App,
    who: &Identity,
    id: i64,
    about_person: Option<i64>,
) -> Result<Option<MatchConcern>> {
    let mut c = state.store.conn().await?;
    let (row, party) = match in_match(&mut c, who, id).await {
        Ok((row, p)) => (row, Some(p)),
        Err(Error::NotFound(_)) => match store::match_row(&mut c, id).await? {
            Some(row) if coordinator_sees(state, &mut c, who, &row).await? => (row, None),
            _ => return Ok(None),
        },
        Err(e) => return Err(e),
    };
    let contact_shared = row.state.contact_shared();
    let name_of = |person: i64| {
        let full = if person == row.author_id {
            row.author_name.clone()
        } else {
            row.responder_name.clone()
        };
        let seen = if party.is_some() && !contact_shared {
            first_name(&full)
        } else {
            full.clone()
        };
        (full, seen)
    };
    let person = match (about_person, party) {
        (Some(p), _) if p == row.author_id || p == row.responder_id => Some(p),
        (Some(_), _) => {
            return Err(FieldError::new(
                "about_person_id",
                ErrorCode::PersonUnknown,
                "A concern about a match is about one of the two people in it.",
            )
            .into())
        }
        (None, Some(p)) => Some(other_of(&row, p)),
        (None, None) => None,
    };
    Ok(Some(match person {
        Some(p) => {
            let (full, seen) = name_of(p);
            MatchConcern {
                about_person: Some(p),
                about_name: format!("{full} (help match {id}: {})", row.title),
                seen_as: format!("{seen}, in your match about “{}”", row.title),
            }
        }
        None => MatchConcern {
            about_person: None,
            about_name: format!(
                "{} and {} (help match {id}: {})",
                row.author_name, row.responder_name, row.title
            ),
            seen_as: format!(
                "the match between {} and {} about “{}”",
                row.author_name, row.responder_name, row.title
            ),
        },
    }))
}

/// The other of the two.
fn other_of(row: &MatchRow, p: Parties) -> i64 {
    if p.poster {
        row.responder_id
    } else {
        row.author_id
    }
}

/// Email the other person about a match, once the change is saved (its notice was written
/// with it).
async fn email_about(state: &App, other: i64, subject: &str, words: &str, link: &str) {
    let body = format!("{words}\n\nHave a look:\n\n{}\n", state.settings.link(link));
    email_user(state, other, subject, &body).await;
}

/// The other person's contact details, as they chose to share them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// One match as one of its two people sees it.
#[derive(Debug, Clone)]
pub struct MatchSeen {
    pub row: MatchRow,
    pub parties: Parties,
    /// The other person's first name (their whole name once both said yes).
    pub other_name: String,
    /// Only once both said yes, and only what they chose to share.
    pub contact: Option<Contact>,
    pub messages: Vec<MessageRow>,
    pub events: Vec<MatchEventRow>,
    pub actions: Vec<Action>,
    /// The post asks for help in someone's home or with personal care.
    pub in_home: bool,
    pub personal_care: bool,
    /// While waiting for a yes: why it cannot be given yet, when the helper lacks a safety
    /// check the help needs.
    pub safety_missing: Option<super::SafetyGap>,
    /// Seen by a coordinator who is not one of the two: no contact details, and the steps
    /// they can take for each of the two.
    pub coordinating: Option<ForEach>,
    /// For a safeguarding lead who is not one of the two: the concerns raised about the
    /// match.
    pub for_concerns: Vec<i64>,
    /// Seen by a safeguarding lead only because of those concerns: as a coordinator sees it,
    /// with nothing to do.
    pub read_only: bool,
}

/// The steps a coordinator can take for the one who posted and for the one who answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForEach {
    pub poster: Vec<Action>,
    pub responder: Vec<Action>,
}

/// One match, for its two people only. Seeing the other's contact details is audited.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn view_match(
    state: &App,
    who: &Identity,
    id: i64,
    ip: &str,
    t: i64,
) -> Result<MatchSeen> {
    let mut c = state.store.conn().await?;
    let (row, p) = match in_match(&mut c, who, id).await {
        Ok(found) => found,
        Err(Error::NotFound(what)) => {
            let Some(row) = store::match_row(&mut c, id).await? else {
                return Err(Error::NotFound(what));
            };
            return match onlooker(state, &mut c, who, &row).await? {
                Some(o) => onlooker_view(state, &mut c, who, row, o, ip, t).await,
                None => Err(Error::NotFound(what)),
            };
        }
        Err(e) => return Err(e),
    };
    let (other, other_full, email, phone) = if p.poster {
        (
            row.responder_id,
            row.responder_name.clone(),
            row.responder_email,
            row.responder_phone,
        )
    } else {
        (
            row.author_id,
            row.author_name.clone(),
            row.poster_email,
            row.poster_phone,
        )
    };
    // A group's post: the details shared are those of the organiser who said yes (what they
    // chose to share), never the author's unless the author said yes.
    let (other, other_full) = match (&row.organization_id, p.poster) {
        (Some(_), false) => match store::accepted_by(&mut c, id).await? {
            Some(by) if by != row.author_id => {
                let name = village_store::accounts::user_by_id(&mut c, by)
                    .await?
                    .map(|u| u.display_name)
                    .unwrap_or_else(|| other_full.clone());
                (by, name)
            }
            _ => (other, other_full),
        },
        _ => (other, other_full),
    };
    let other_full = &other_full;
    let contact = if row.state.contact_shared() {
        let user = village_store::accounts::user_by_id(&mut c, other).await?;
        let number = village_store::accounts::phone_of(&mut c, other).await?;
        let contact = Contact {
            name: other_full.clone(),
            email: user.map(|u| u.email).filter(|_| email),
            phone: Some(number).filter(|n| phone && !n.is_empty()),
        };
        if contact.email.is_some() || contact.phone.is_some() {
            record(
                &mut c,
                Some(who.user.id),
                Some(other),
                AuditAction::HelpContactSeen,
                &format!("help match {id}"),
                Some(ip),
                t,
            )
            .await?;
        }
        Some(contact)
    } else {
        None
    };
    let other_name = if row.state.contact_shared() {
        other_full.clone()
    } else {
        first_name(other_full)
    };
    let post = store::post(&mut c, row.post_id).await?;
    let mut messages = store::messages(&mut c, id).await?;
    for m in &mut messages {
        if !row.state.contact_shared() {
            m.author_name = first_name(&m.author_name);
        }
    }
    let mut safety_missing = None;
    if let (Some(post), State::Requested) = (&post, row.state) {
        let helper = super::safety::helper_of(post, row.responder_id);
        safety_missing =
            super::safety::gap_for(state, &mut c, post, helper, who.user.id, t).await?;
    }
    Ok(MatchSeen {
        safety_missing,
        parties: p,
        other_name,
        contact,
        messages,
        events: store::match_events(&mut c, id).await?,
        actions: rules::available(
            row.state,
            p,
            Way {
                mode: state.settings.mutual_aid.mode,
                by_coordinator: false,
            },
        ),
        coordinating: None,
        for_concerns: Vec::new(),
        read_only: false,
        in_home: post.as_ref().is_some_and(|p| p.in_home),
        personal_care: post.as_ref().is_some_and(|p| p.personal_care),
        row,
    })
}

/// A match as someone who is not one of the two sees it: both whole names, the messages and
/// history, never contact details. A coordinator also gets the steps they can take for each
/// of the two, and their look is audited against both people. A safeguarding lead, there
/// because a concern was raised about the match, gets nothing to do, and their look is
/// audited as a look at the concern, never against the two: it must not show on their side.
async fn onlooker_view(
    state: &App,
    c: &mut impl Db,
    who: &Identity,
    row: MatchRow,
    onlooker: Onlooker,
    ip: &str,
    t: i64,
) -> Result<MatchSeen> {
    let post = store::post(c, row.post_id).await?;
    let mut safety_missing = None;
    let read_only = matches!(onlooker, Onlooker::Lead(_));
    let (for_each, for_concerns) = match onlooker {
        Onlooker::Lead(concerns) => {
            let list = concerns
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            record(
                c,
                Some(who.user.id),
                None,
                AuditAction::ConcernViewed,
                &format!("help match {} (concern {list})", row.id),
                Some(ip),
                t,
            )
            .await?;
            let nothing = ForEach {
                poster: Vec::new(),
                responder: Vec::new(),
            };
            (nothing, concerns)
        }
        Onlooker::Coordinator => {
            for person in [row.author_id, row.responder_id] {
                record(
                    c,
                    Some(who.user.id),
                    Some(person),
                    AuditAction::HelpMatchSeen,
                    &format!("help match {}", row.id),
                    Some(ip),
                    t,
                )
                .await?;
            }
            let way = Way {
                mode: state.settings.mutual_aid.mode,
                by_coordinator: true,
            };
            let steps = |poster: bool| {
                rules::available(
                    row.state,
                    Parties {
                        poster,
                        responder: !poster,
                    },
                    way,
                )
            };
            if let (Some(post), State::Requested) = (&post, row.state) {
                let helper = super::safety::helper_of(post, row.responder_id);
                safety_missing =
                    super::safety::gap_for(state, c, post, helper, who.user.id, t).await?;
            }
            let for_each = ForEach {
                poster: steps(true),
                responder: steps(false),
            };
            // A coordinator who is also a safeguarding lead is told of concerns about it.
            let concerns = if access::check(&who.actor(), access::Action::HandleConcerns).is_ok() {
                village_store::safeguarding::about_match(c, row.id).await?
            } else {
                Vec::new()
            };
            (for_each, concerns)
        }
    };
    Ok(MatchSeen {
        parties: Parties::default(),
        other_name: row.responder_name.clone(),
        contact: None,
        messages: store::messages(c, row.id).await?,
        events: store::match_events(c, row.id).await?,
        actions: Vec::new(),
        in_home: post.as_ref().is_some_and(|p| p.in_home),
        personal_care: post.as_ref().is_some_and(|p| p.personal_care),
        safety_missing,
        coordinating: Some(for_each),
        for_concerns,
        read_only,
        row,
    })
}

/// Take a step in a match: the one who posted says yes (choosing what to share) or no;
/// either says how it went or withdraws. Audited; the other person is told.
#[tracing::instrument(skip_all, fields(actor = caller.user.id, id))]
#[allow(clippy::too_many_arguments)]
pub async fn act(
    state: &App,
    caller: &Identity,
    id: i64,
    action: Action,
    shares: Shares,
    on_behalf: Option<super::OnBehalf>,
    ip: &str,
    t: i64,
) -> Result<State> {
    let mut tx = state.store.begin().await?;
    // A coordinator taking a step for one of the two stands as them.
    let (who, proxy) = super::acting(&mut tx, caller, on_behalf).await?;
    let who = &who;
    let (row, p) = in_match(&mut tx, who, id).await?;
    let way = Way {
        mode: state.settings.mutual_aid.mode,
        by_coordinator: proxy.is_some(),
    };
    let to = rules::next(row.state, action, p, way).map_err(refused)?;
    if action == Action::Accept {
        let Some(post) = store::post(&mut tx, row.post_id).await? else {
            return Err(not_found());
        };
        let helper = super::safety::helper_of(&post, row.responder_id);
        super::safety::check_helper(state, &mut tx, &post, helper, who.user.id, t).await?;
        check_shares(&mut tx, who, shares).await?;
    }
    let moved = store::step(
        &mut tx,
        &store::Step {
            id,
            actor: who.user.id,
            action: action.code(),
            from: row.state,
            to,
            poster_shares: (action == Action::Accept).then_some((shares.email, shares.phone)),
            proxy,
        },
        t,
    )
    .await?;
    if !moved {
        return crate::error::conflict(
            ErrorCode::NotAllowedNow,
            "The other person moved this match on just now. Look again.",
        );
    }
    let other = other_of(&row, p);
    record(
        &mut tx,
        Some(caller.user.id),
        Some(other),
        AuditAction::HelpMatchChanged,
        &format!("help match {id}: {} → {}", row.state.code(), to.code()),
        Some(ip),
        t,
    )
    .await?;
    let name = format!(
        "{}{}",
        first_name(&who.user.display_name),
        typed_for(caller, proxy)
    );
    let words = match to {
        State::Accepted => format!(
            "{name} said yes to \"{}\". You can now see how to reach each other.",
            row.title
        ),
        State::Declined => format!(
            "{name} said no, thank you, to your answer about \"{}\".",
            row.title
        ),
        State::Done => format!("{name} says \"{}\" happened. Thank you!", row.title),
        State::DidntHappen => format!("{name} says \"{}\" did not happen.", row.title),
        State::Withdrawn => format!("{name} withdrew from \"{}\".", row.title),
        State::Requested => format!("{name} answered \"{}\".", row.title),
    };
    let link = format!("/help/matches/{id}");
    notify(&mut tx, other, &words, &link, t).await?;
    if let Some(proxy) = proxy {
        let what = format!("took the step \"{}\" on \"{}\"", action.words(), row.title);
        super::acted_for(&mut tx, caller, (who.user.id, proxy), &what, &link, ip, t).await?;
    }
    tx.commit().await?;
    email_about(state, other, "News about your help match", &words, &link).await;
    Ok(to)
}

/// A short message to the other person, carried by the hub. Before both said yes it must
/// not hold contact details.
#[tracing::instrument(skip_all, fields(actor = caller.user.id, id))]
pub async fn send_message(
    state: &App,
    caller: &Identity,
    id: i64,
    body: &str,
    on_behalf: Option<super::OnBehalf>,
    ip: &str,
    t: i64,
) -> Result<i64> {
    let body = check_message("message", body, true)?;
    let mut tx = state.store.begin().await?;
    // A coordinator writing for one of the two: the message is theirs, typed by the coordinator.
    let (who, proxy) = super::acting(&mut tx, caller, on_behalf).await?;
    let who = &who;
    let (row, p) = in_match(&mut tx, who, id).await?;
    if !row.state.open_to_messages() {
        return crate::error::conflict(
            ErrorCode::NotAllowedNow,
            "This match has ended, so messages cannot be sent.",
        );
    }
    if !row.state.contact_shared() {
        no_contact_details("message", &body)?;
    }
    let message = store::add_message(&mut tx, id, who.user.id, proxy, &body, t).await?;
    let other = other_of(&row, p);
    let link = format!("/help/matches/{id}");
    let words = format!(
        "{}{} sent you a message about \"{}\".",
        first_name(&who.user.display_name),
        typed_for(caller, proxy),
        row.title
    );
    notify(&mut tx, other, &words, &link, t).await?;
    if let Some(proxy) = proxy {
        let what = format!("wrote a message about \"{}\"", row.title);
        super::acted_for(&mut tx, caller, (who.user.id, proxy), &what, &link, ip, t).await?;
    }
    tx.commit().await?;
    email_about(state, other, "A new message about help", &words, &link).await;
    Ok(message)
}
