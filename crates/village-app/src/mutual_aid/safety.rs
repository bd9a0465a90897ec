//! Safety marks: stewards record what they checked about a helper (met in person, references
//! taken, a DBS check seen), and help in someone's home or personal care waits until the
//! helper holds what the hub says it needs. A person sees their own marks; a steward sees
//! anyone's, and each look at someone else's is audited.

use super::*;
use crate::accounts::Identity;
use crate::audit::record;
use village_domain::access::{self, Action};
use village_domain::audit::AuditAction;
use village_domain::dates;
use village_domain::mutual_aid::post::Kind;
use village_domain::mutual_aid::safety::{self as rules, Mark, MarkDraft, PostSafety};
use village_store::connections::notify;
use village_store::mutual_aid::{self as store, MarkRow, MarkedPerson, PostRow};
use village_store::Db;

fn today(t: i64) -> chrono::NaiveDate {
    dates::parse_day(&dates::today_ymd(t)).unwrap_or_default()
}

/// The marks the helper on this post needs, as the hub set them.
pub fn needed_for(state: &App, post: &PostRow) -> Vec<Mark> {
    state
        .settings
        .mutual_aid
        .safety
        .needs()
        .for_post(PostSafety {
            category: post.category,
            in_home: post.in_home,
            personal_care: post.personal_care,
        })
}

/// The marks `helper` is missing for this post today.
pub(crate) async fn missing_for(
    state: &App,
    db: &mut impl Db,
    post: &PostRow,
    helper: i64,
    t: i64,
) -> Result<Vec<Mark>> {
    let needed = needed_for(state, post);
    if needed.is_empty() {
        return Ok(Vec::new());
    }
    let held: Vec<_> = store::marks_of(db, helper)
        .await?
        .iter()
        .filter_map(MarkRow::held)
        .collect();
    Ok(rules::missing(&needed, &held, today(t)))
}

/// Refuse when the helper lacks a mark this post needs: 403 `safety_marks_needed`, saying
/// what to do (to the helper) or that they cannot yet (to the other person).
pub(crate) async fn check_helper(
    state: &App,
    db: &mut impl Db,
    post: &PostRow,
    helper: i64,
    caller: i64,
    t: i64,
) -> Result<()> {
    let missing = missing_for(state, db, post, helper, t).await?;
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::Conflict(
        ErrorCode::SafetyMarksNeeded,
        rules::missing_words(&missing, helper == caller),
    ))
}

/// Why the help cannot go ahead yet: the helper lacks a safety check it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafetyGap {
    /// Plain words for the one who sees it.
    pub words: String,
    /// The one who sees it is the helper (and can ask a steward for the checks).
    pub mine: bool,
}

/// The gap, if any, as `viewer` sees it.
pub(crate) async fn gap_for(
    state: &App,
    db: &mut impl Db,
    post: &PostRow,
    helper: i64,
    viewer: i64,
    t: i64,
) -> Result<Option<SafetyGap>> {
    let missing = missing_for(state, db, post, helper, t).await?;
    Ok((!missing.is_empty()).then(|| SafetyGap {
        words: rules::missing_words(&missing, helper == viewer),
        mine: helper == viewer,
    }))
}

/// The one who would give the help if `responder` answered this post.
pub(crate) fn helper_of(post: &PostRow, responder: i64) -> i64 {
    match post.kind {
        Kind::Ask => responder,
        Kind::Offer => post.author_id,
    }
}

/// Someone's marks, as they or a steward see them.
#[derive(Debug, Clone)]
pub struct PersonMarks {
    pub user_id: i64,
    pub display_name: String,
    pub marks: Vec<MarkRow>,
    /// The ones that hold today.
    pub holding: Vec<Mark>,
    /// The caller may record and take away marks (a steward, not about themselves).
    pub may_record: bool,
}

fn may_see(who: &Identity, person: i64) -> Result<()> {
    if who.user.id == person {
        return Ok(());
    }
    access::check(&who.actor(), Action::RecordSafetyMarks).map_err(|_| Error::Forbidden)
}

/// A steward records their own checks through another steward.
fn may_record(who: &Identity, person: i64) -> Result<()> {
    access::check(&who.actor(), Action::RecordSafetyMarks).map_err(|_| Error::Forbidden)?;
    if who.user.id == person {
        return Err(Error::Conflict(
            ErrorCode::NotYours,
            "Another steward records your own safety checks.".into(),
        ));
    }
    Ok(())
}

/// One person's marks: their own, or anyone's for a steward (audited).
#[tracing::instrument(skip_all, fields(actor = who.user.id, person))]
pub async fn marks(
    state: &App,
    who: &Identity,
    person: i64,
    ip: &str,
    t: i64,
) -> Result<PersonMarks> {
    may_see(who, person)?;
    let mut c = state.store.conn().await?;
    let Some(user) = village_store::accounts::user_by_id(&mut c, person).await? else {
        return Err(Error::NotFound("person"));
    };
    let marks = store::marks_of(&mut c, person).await?;
    if who.user.id != person {
        record(
            &mut c,
            Some(who.user.id),
            Some(person),
            AuditAction::SafetyMarksSeen,
            "safety marks",
            Some(ip),
            t,
        )
        .await?;
    }
    let holding = marks
        .iter()
        .filter_map(MarkRow::held)
        .filter(|h| h.holds_on(today(t)))
        .map(|h| h.mark)
        .collect();
    Ok(PersonMarks {
        user_id: person,
        display_name: user.display_name,
        marks,
        holding,
        may_record: may_record(who, person).is_ok(),
    })
}

/// Record a mark about someone (or bring it up to date): stewards only, never about
/// themselves. Audited; the person is told.
#[tracing::instrument(skip_all, fields(actor = who.user.id, person))]
pub async fn record_mark(
    state: &App,
    who: &Identity,
    person: i64,
    draft: &MarkDraft<'_>,
    ip: &str,
    t: i64,
) -> Result<Mark> {
    may_record(who, person)?;
    let held = draft.check(today(t))?;
    let mut tx = state.store.begin().await?;
    if village_store::accounts::user_by_id(&mut tx, person)
        .await?
        .is_none()
    {
        return Err(Error::NotFound("person"));
    }
    store::set_mark(&mut tx, person, &held, who.user.id, t).await?;
    let until = held
        .expires_on
        .map(|d| format!(", holds until {d}"))
        .unwrap_or_default();
    record(
        &mut tx,
        Some(who.user.id),
        Some(person),
        AuditAction::SafetyMarkChanged,
        &format!(
            "{} recorded: seen {}{until}",
            held.mark.code(),
            held.seen_on
        ),
        Some(ip),
        t,
    )
    .await?;
    let words = format!(
        "A steward recorded a safety check for you: {}.",
        held.mark.words()
    );
    notify(
        &mut tx,
        person,
        &words,
        &format!("/people/{person}/safety-marks"),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(held.mark)
}

/// Take a mark away (recorded by mistake, or no longer true): stewards only. Audited; the
/// person is told. Whether there was one.
#[tracing::instrument(skip_all, fields(actor = who.user.id, person))]
pub async fn remove_mark(
    state: &App,
    who: &Identity,
    person: i64,
    mark: &str,
    ip: &str,
    t: i64,
) -> Result<bool> {
    may_record(who, person)?;
    let Some(mark) = Mark::parse(mark) else {
        return Err(FieldError::new(
            "mark",
            ErrorCode::MarkInvalid,
            "Choose which check to take away.",
        )
        .into());
    };
    let mut tx = state.store.begin().await?;
    if !store::remove_mark(&mut tx, person, mark).await? {
        return Ok(false);
    }
    record(
        &mut tx,
        Some(who.user.id),
        Some(person),
        AuditAction::SafetyMarkChanged,
        &format!("{} taken away", mark.code()),
        Some(ip),
        t,
    )
    .await?;
    notify(
        &mut tx,
        person,
        &format!("A steward took away a safety check: {}.", mark.words()),
        &format!("/people/{person}/safety-marks"),
        t,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// For stewards: everyone with marks recorded, most recent first.
pub async fn people_with_marks(state: &App, who: &Identity) -> Result<Vec<MarkedPerson>> {
    access::check(&who.actor(), Action::RecordSafetyMarks).map_err(|_| Error::Forbidden)?;
    let mut c = state.store.conn().await?;
    Ok(store::people_with_marks(&mut c, 500).await?)
}

/// For stewards: the member with this email address, to record their marks.
pub async fn find_member(state: &App, who: &Identity, email: &str) -> Result<i64> {
    access::check(&who.actor(), Action::RecordSafetyMarks).map_err(|_| Error::Forbidden)?;
    let email = email.trim();
    let mut c = state.store.conn().await?;
    match village_store::accounts::user_by_email(&mut c, email).await? {
        Some(u) => Ok(u.id),
        None => Err(FieldError::new(
            "email",
            ErrorCode::NoSuchMember,
            "There is no member with that email address here. Check it for a typo.",
        )
        .into()),
    }
}
