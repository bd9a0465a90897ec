//! Stories: people tell what happened in their own words. A story waits for a steward
//! before anyone else reads it (`village_domain::stories::story` says who may read it and where
//! a decision takes it); the steward sees what could identify someone (`screen`); an edit is
//! published only when its author approves; the author may withdraw it at any time. The
//! framing helper marks words that describe people by what they lack and suggests others
//! (the starting lexicon and the hub's own entries from `[stories] framing`); it never
//! changes the text. Answers from groups and the council, and "me too": `answers`.

pub mod answers;
mod glimpses;
mod moderation;
pub use glimpses::{curate, glimpses, CurationBody};
pub use moderation::{approve, moderate, withdraw, ModerationBody};

use crate::accounts::Identity;
use crate::audit::record;
use crate::error::{conflict, Error, Result};
use crate::App;
use serde::Deserialize;
use utoipa::ToSchema;
use village_domain::access::{self, Action};
use village_domain::audit::AuditAction;
use village_domain::error::{ErrorCode, FieldError};
use village_domain::stories::framing::{Flag, Lexicon};
use village_domain::stories::screen::{self, Mark, Names};
use village_domain::stories::story::{
    self as rules, Audience, Decision, Reader, Rule, State, ToldBy,
};
use village_store::connections::notify;
use village_store::stories::{self as store, Decided, NewStory, StoryRow};

/// The longest text the framing helper reads, in characters (a story is about 1,000 words).
pub const CHECK_MAX: usize = 20_000;

/// Which words in `text` the framing helper marks, with what to say instead and why.
#[tracing::instrument(skip_all)]
pub fn framing(state: &App, text: &str) -> Result<Vec<Flag>> {
    if text.chars().count() > CHECK_MAX {
        return Err(FieldError::new(
            "text",
            ErrorCode::TooLong,
            "Check up to 20,000 characters at a time.",
        )
        .into());
    }
    Ok(Lexicon::new(&state.settings.stories.framing).check(text))
}

/// What "Check my words" finds in other writing (a conversation note, a proposal): for each
/// part, named by its field, the words that describe people by what they lack, with others
/// to use. A part longer than the helper reads is named. Nothing is changed or kept.
#[tracing::instrument(skip_all)]
pub fn check_parts(
    state: &App,
    parts: &[(&'static str, &str)],
) -> Result<Vec<(&'static str, Vec<Flag>)>> {
    let problems: Vec<FieldError> = parts
        .iter()
        .filter(|(_, text)| text.chars().count() > CHECK_MAX)
        .map(|(field, _)| {
            FieldError::new(
                field,
                ErrorCode::TooLong,
                "This is too long to check. Check up to 20,000 characters at a time.",
            )
        })
        .collect();
    if !problems.is_empty() {
        return Err(Error::Fields(problems));
    }
    let lexicon = Lexicon::new(&state.settings.stories.framing);
    Ok(parts
        .iter()
        .map(|(field, text)| (*field, lexicon.check(text)))
        .collect())
}

/// What "Check my words" finds in a story before it is sent: words that describe people by
/// what they lack, with others to use (in the title and in the story), and what could tell
/// people who someone is (the author's own name too). Nothing is changed or kept.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub title: Vec<Flag>,
    pub body: Vec<Flag>,
    pub marks: Vec<Mark>,
}

/// Check a story's words for its author before it is sent: the names it marks are the
/// author's own, the person a connector tells it for (one who chose them), and the people
/// who run the groups it names (as staff, for the naming rule).
#[tracing::instrument(skip_all)]
pub async fn check(
    state: &App,
    who: &Identity,
    (title, body): (&str, &str),
    groups: &[String],
    told_for: Option<i64>,
) -> Result<Checked> {
    // The limits of telling it, so a story checked can be sent as it is.
    let problems: Vec<FieldError> = [
        village_domain::text::check("title", title, false, TITLE_MAX, "a title"),
        village_domain::text::check("body", body, false, BODY_MAX, "your story"),
    ]
    .into_iter()
    .filter_map(|r| r.err())
    .collect();
    if !problems.is_empty() {
        return Err(Error::Fields(problems));
    }
    let mut known = vec![who.user.display_name.clone()];
    if let Some(person) = told_for {
        known.extend(
            may_tell_for(state, who)
                .await?
                .into_iter()
                .filter(|(id, _)| *id == person)
                .map(|(_, name)| name),
        );
    }
    let staff = staff_names(state, &groups[..groups.len().min(ABOUT_MAX)]).await?;
    let lexicon = Lexicon::new(&state.settings.stories.framing);
    Ok(Checked {
        title: lexicon.check(title),
        body: lexicon.check(body),
        marks: screen::screen(body, &Names { known, staff }),
    })
}

/// The names of the people who run these groups in the directory.
async fn staff_names(state: &App, groups: &[String]) -> Result<Vec<String>> {
    let mut c = state.store.conn().await?;
    let mut staff = Vec::new();
    for g in groups {
        for user in village_store::directory::organisers_of(&mut c, g).await? {
            if let Some(u) = village_store::accounts::user_by_id(&mut c, user).await? {
                staff.push(u.display_name);
            }
        }
    }
    Ok(staff)
}

/// A group or offer in the directory a story names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// The names of the groups a story names, as the directory has them (a group no longer
/// there is left out).
pub async fn group_names(state: &App, ids: &[String]) -> Result<Vec<Named>> {
    let mut out = Vec::new();
    for id in ids.iter().take(ABOUT_MAX) {
        if let Some(name) = crate::safeguarding::group_name(state, id).await? {
            out.push(Named {
                id: id.clone(),
                name,
            });
        }
    }
    Ok(out)
}

/// The names of the offers a story names, as the directory has them (an offer no longer
/// public is left out).
pub async fn offer_names(state: &App, ids: &[String]) -> Result<Vec<Named>> {
    let mut out = Vec::new();
    let mut c = state.store.conn().await?;
    for id in ids.iter().take(ABOUT_MAX) {
        let Some(doc) = village_store::directory::service_doc(&mut c, id, true).await? else {
            continue;
        };
        let name = serde_json::from_str::<serde_json::Value>(&doc)
            .ok()
            .and_then(|d| d.get("name")?.as_str().map(str::to_string));
        if let Some(name) = name {
            out.push(Named {
                id: id.clone(),
                name,
            });
        }
    }
    Ok(out)
}

/// The longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// The most words a story holds ("about 1,000 words", with room to finish a sentence).
pub const WORDS_MAX: usize = 1_200;
/// The most characters a story holds.
pub const BODY_MAX: usize = 10_000;
/// The longest screen name.
pub const SCREEN_NAME_MAX: usize = 60;
/// The most groups, and the most offers, one story names.
pub const ABOUT_MAX: usize = 10;
/// How much of a story goes with a safeguarding concern: with its title (up to 200) and the
/// steward's reason (up to 2,000), it fits in a concern's 10,000 characters.
const CONCERN_STORY_MAX: usize = 7_500;

/// A story as its author tells it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct StoryBody {
    pub title: String,
    /// The story, up to about 1,000 words.
    pub body: String,
    /// The ORUK ids of offers in the directory it is about (up to 10).
    #[serde(default)]
    pub about_offer_ids: Vec<String>,
    /// The ORUK ids of groups in the directory it is about (up to 10).
    #[serde(default)]
    pub about_organisation_ids: Vec<String>,
    /// `self`, `family`, `friend` or `supporter` (with the person's agreement).
    pub told_by: String,
    /// The name shown with it; "A neighbour" unless given (never the account's name unless
    /// the author writes it).
    #[serde(default)]
    pub screen_name: Option<String>,
    /// `private` (only the author), `hub` (members signed in) or `public`.
    pub audience: String,
    /// A connector telling it for someone who chose them (their member id): recorded as
    /// such (`told_by` becomes `supporter`), and published only when that person agrees.
    #[serde(default)]
    pub told_for: Option<i64>,
    /// A private story only: send it privately to the groups it names, so their organisers
    /// may read and answer it once a steward has read it.
    #[serde(default)]
    pub send_to_groups: bool,
    /// Others may reuse it under the hub's open licence (only a public story is fed out).
    #[serde(default)]
    pub open_data: bool,
    /// Roughly when, `YYYY-MM` (never a day).
    #[serde(default)]
    pub when: Option<String>,
}

fn field(name: &'static str, code: ErrorCode, words: &str) -> Error {
    FieldError::new(name, code, words).into()
}

fn this_month(t: i64) -> String {
    village_domain::dates::today_ymd(t)
        .get(..7)
        .unwrap_or_default()
        .to_string()
}

fn not_found() -> Error {
    Error::NotFound("story")
}

fn reader(who: Option<&Identity>, row: &StoryRow) -> Reader {
    Reader {
        signed_in: who.is_some(),
        author: who.is_some_and(|w| w.user.id == row.author_id),
        steward: who.is_some_and(|w| access::check(&w.actor(), Action::ModerateStories).is_ok()),
        sent_to: false,
        told_for: who.is_some_and(|w| row.told_for == Some(w.user.id)),
    }
}

/// How `who` stands to a story, with whether they organise a group a private story was
/// sent to (which needs the directory).
async fn reader_of(
    db: &mut impl village_store::Db,
    who: Option<&Identity>,
    row: &StoryRow,
) -> Result<Reader> {
    let mut r = reader(who, row);
    if let (Some(w), true) = (
        who,
        row.audience == Audience::Private && row.send_to_groups && !r.author,
    ) {
        let (groups, _) = store::about(db, row.id).await?;
        for g in &groups {
            if village_store::directory::is_organiser(db, g, w.user.id).await? {
                r.sent_to = true;
                break;
            }
        }
    }
    Ok(r)
}

/// Tell a story: it waits for a steward to read it before anyone else can.
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn tell(state: &App, who: &Identity, b: &StoryBody, t: i64) -> Result<i64> {
    let mut problems = Vec::new();
    let title = village_domain::text::check("title", &b.title, true, TITLE_MAX, "a title");
    let body = village_domain::text::check("body", &b.body, true, BODY_MAX, "your story");
    if let Ok(body) = &body {
        if body.split_whitespace().count() > WORDS_MAX {
            problems.push(FieldError::new(
                "body",
                ErrorCode::TooLong,
                format!("Please keep your story under {WORDS_MAX} words."),
            ));
        }
    }
    let told_by = ToldBy::parse(&b.told_by);
    if told_by.is_none() {
        problems.push(FieldError::new(
            "told_by",
            ErrorCode::Invalid,
            "Say who is telling it: you, a family member, a friend or a supporter.",
        ));
    }
    let audience = Audience::parse(&b.audience);
    if audience.is_none() {
        problems.push(FieldError::new(
            "audience",
            ErrorCode::Invalid,
            "Choose who may read it: only you, members of this hub, or anyone.",
        ));
    }
    let screen_name = village_domain::text::check(
        "screen_name",
        b.screen_name.as_deref().unwrap_or(""),
        false,
        SCREEN_NAME_MAX,
        "a name to show",
    );
    let when = match b.when.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => None,
        Some(w) => match rules::read_month(w, &this_month(t)) {
            Some(m) => Some(m),
            None => {
                problems.push(FieldError::new(
                    "when",
                    ErrorCode::DateInvalid,
                    "Give the month and year it happened, and not a month still to come.",
                ));
                None
            }
        },
    };
    for r in [&title, &body, &screen_name] {
        if let Err(e) = r {
            problems.push(e.clone());
        }
    }
    for (name, list, what) in [
        (
            "about_organisation_ids",
            &b.about_organisation_ids,
            "groups",
        ),
        ("about_offer_ids", &b.about_offer_ids, "offers"),
    ] {
        if list.len() > ABOUT_MAX {
            return Err(field(
                name,
                ErrorCode::TooMany,
                &format!("Name up to {ABOUT_MAX} {what}."),
            ));
        }
    }
    let mut groups = Vec::new();
    for g in b
        .about_organisation_ids
        .iter()
        .map(|g| g.trim())
        .filter(|g| !g.is_empty())
    {
        if crate::safeguarding::group_name(state, g).await?.is_none() {
            problems.push(FieldError::new(
                "about_organisation_ids",
                ErrorCode::GroupUnknown,
                "One of the groups is not in the directory.",
            ));
            break;
        }
        groups.push(g.to_string());
    }
    let mut offers = Vec::new();
    for o in b
        .about_offer_ids
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
    {
        let mut c = state.store.conn().await?;
        if village_store::directory::service_doc(&mut c, o, true)
            .await?
            .is_none()
        {
            problems.push(FieldError::new(
                "about_offer_ids",
                ErrorCode::OfferUnknown,
                "One of the offers is not in the directory.",
            ));
            break;
        }
        offers.push(o.to_string());
    }
    // Told for someone: only by a connector they chose.
    let told_by = if let Some(person) = b.told_for {
        let mut c = state.store.conn().await?;
        let as_connector = village_store::people::as_connector(&mut c, person, who.user.id).await?;
        if person == who.user.id
            || as_connector != village_domain::access::people::Relationship::Connector
        {
            problems.push(FieldError::new(
                "told_for",
                ErrorCode::NotAConnector,
                "You can tell a story for someone only when they chose you as their connector.",
            ));
        }
        Some(ToldBy::Supporter)
    } else {
        told_by
    };
    // Sent privately: only a private story, and only to groups it names.
    let send_to_groups = b.send_to_groups && audience == Some(Audience::Private);
    if send_to_groups && groups.is_empty() {
        problems.push(FieldError::new(
            "send_to_groups",
            ErrorCode::AboutMissing,
            "Choose the groups to send it to, or keep it to yourself.",
        ));
    }
    let (Ok(title), Ok(body), Ok(screen_name), Some(told_by), Some(audience), true) = (
        title,
        body,
        screen_name,
        told_by,
        audience,
        problems.is_empty(),
    ) else {
        return Err(Error::Fields(problems));
    };
    let screen_name = if screen_name.is_empty() {
        "A neighbour".to_string()
    } else {
        screen_name
    };
    let mut tx = state.store.begin().await?;
    let id = store::create(
        &mut tx,
        &NewStory {
            author_id: who.user.id,
            told_by,
            screen_name: &screen_name,
            title: &title,
            body: &body,
            happened_month: when.as_deref(),
            audience,
            open_data: b.open_data,
            send_to_groups,
            told_for: b.told_for,
            groups: &groups,
            offers: &offers,
        },
        t,
    )
    .await?;
    if let Some(person) = b.told_for {
        notify(
            &mut tx,
            person,
            &format!(
                "{} told a story for you. A steward will read it, then you can say whether it may be published.",
                who.user.display_name
            ),
            &format!("/stories/{id}"),
            t,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// A story as someone may see it.
#[derive(Debug, Clone)]
pub struct StorySeen {
    pub row: StoryRow,
    /// The title and words this reader sees: as published once it is; before that, its
    /// author's own words (for them and the stewards).
    pub title: String,
    pub body: String,
    pub is_author: bool,
    /// The person a connector told it for: they agree before it is published.
    pub is_told_for: bool,
    /// For stewards: what could identify someone in the author's words.
    pub marks: Option<Vec<Mark>>,
    pub groups: Vec<String>,
    pub offers: Vec<String>,
    /// The themes a steward picked (codes, in the hub's order).
    pub themes: Vec<String>,
}

/// One story, for whoever may read it (404 for anyone else). A steward's look before it is
/// published, and an organiser's look at a private story sent to their group, are audited.
#[tracing::instrument(skip_all, fields(id))]
pub async fn story(
    state: &App,
    who: Option<&Identity>,
    id: i64,
    ip: &str,
    t: i64,
) -> Result<StorySeen> {
    let mut c = state.store.conn().await?;
    let row = store::story(&mut c, id).await?.ok_or_else(not_found)?;
    let r = reader_of(&mut c, who, &row).await?;
    if !rules::may_read(r, row.state, row.audience) {
        return Err(not_found());
    }
    let (groups, offers) = store::about(&mut c, id).await?;
    if let (Some(w), true) = (who, r.sent_to && !r.steward) {
        record(
            &mut c,
            Some(w.user.id),
            Some(row.author_id),
            AuditAction::StorySeen,
            &format!("story {id}, sent to their group"),
            Some(ip),
            t,
        )
        .await?;
    }
    let before_publishing = row.state != State::Published;
    // Once published, everyone (its author too) reads the words as published.
    let own_words = (r.author || r.told_for || r.steward) && before_publishing;
    let (title, body) = if own_words {
        (row.title.clone(), row.body.clone())
    } else {
        (
            row.published_title.clone().unwrap_or_default(),
            row.published_body.clone().unwrap_or_default(),
        )
    };
    let mut marks = None;
    if r.steward && !r.author {
        marks = Some(marks_in(state, &row, &body, &groups).await?);
        if before_publishing {
            if let Some(w) = who {
                record(
                    &mut c,
                    Some(w.user.id),
                    Some(row.author_id),
                    AuditAction::StorySeen,
                    &format!("story {id}"),
                    Some(ip),
                    t,
                )
                .await?;
            }
        }
    }
    Ok(StorySeen {
        is_author: r.author,
        is_told_for: r.told_for,
        themes: themes_of(state, &mut c, id).await?,
        title,
        body,
        marks,
        groups,
        offers,
        row,
    })
}

/// What could identify someone in a story's words: the pre-screen, knowing the author's name
/// and the names of the people who run the groups it names (marked as staff, for the
/// naming rule).
async fn marks_in(state: &App, row: &StoryRow, body: &str, groups: &[String]) -> Result<Vec<Mark>> {
    let staff = staff_names(state, groups).await?;
    let mut known = vec![row.author_name.clone()];
    known.extend(row.told_for_name.clone());
    Ok(screen::screen(body, &Names { known, staff }))
}

/// Private stories sent to the groups `who` organises, published, newest first.
pub async fn sent_to_me(state: &App, who: &Identity) -> Result<Vec<StoryRow>> {
    let mut c = state.store.conn().await?;
    Ok(store::sent_to_organiser(&mut c, who.user.id, 500).await?)
}

/// A story's themes, in the hub's order (one the hub no longer has is left out).
pub async fn themes_of(
    state: &App,
    db: &mut impl village_store::Db,
    id: i64,
) -> Result<Vec<String>> {
    let codes = store::themes_of(db, id).await?;
    Ok(state
        .settings
        .stories
        .themes
        .iter()
        .filter(|t| codes.contains(&t.code))
        .map(|t| t.code.clone())
        .collect())
}

/// The themes of each of these stories, in order.
pub async fn themes_of_each(state: &App, rows: &[StoryRow]) -> Result<Vec<Vec<String>>> {
    let mut c = state.store.conn().await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(themes_of(state, &mut c, row.id).await?);
    }
    Ok(out)
}

/// The people a connector may tell a story for: those who chose them (id and name).
pub async fn may_tell_for(state: &App, who: &Identity) -> Result<Vec<(i64, String)>> {
    if !who.may(Action::WalkAlongside) {
        return Ok(Vec::new());
    }
    let mut c = state.store.conn().await?;
    Ok(village_store::people::people_of(&mut c, who.user.id)
        .await?
        .into_iter()
        .filter(|l| l.status == "accepted")
        .map(|l| (l.person_id, l.person_name))
        .collect())
}

/// A member's own stories, and those told for them, newest first.
pub async fn mine(state: &App, who: &Identity) -> Result<Vec<StoryRow>> {
    let mut c = state.store.conn().await?;
    Ok(store::of_author(&mut c, who.user.id).await?)
}

/// Stories waiting for a steward, oldest first.
pub async fn waiting(state: &App, who: &Identity) -> Result<Vec<StoryRow>> {
    access::check(&who.actor(), Action::ModerateStories).map_err(|_| Error::Forbidden)?;
    let mut c = state.store.conn().await?;
    Ok(store::waiting(&mut c, 500).await?)
}

/// Stories waiting for a steward, oldest first, each with how many things in it could
/// identify someone; the steward's own stories are left for another steward.
pub async fn waiting_marked(state: &App, who: &Identity) -> Result<Vec<(StoryRow, usize)>> {
    let rows = waiting(state, who).await?;
    let mut out = Vec::new();
    for row in rows.into_iter().filter(|r| r.author_id != who.user.id) {
        let mut c = state.store.conn().await?;
        let (groups, _) = store::about(&mut c, row.id).await?;
        drop(c);
        let n = marks_in(state, &row, &row.body, &groups).await?.len();
        out.push((row, n));
    }
    Ok(out)
}

/// Published stories this reader may see, newest first; `open_data_only` for the feed and
/// the open API (public stories others may reuse).
pub async fn published(
    state: &App,
    who: Option<&Identity>,
    open_data_only: bool,
    filter: &store::Filter,
) -> Result<Vec<StoryRow>> {
    let audiences: &[Audience] = if who.is_some() && !open_data_only {
        &[Audience::Public, Audience::Hub]
    } else {
        &[Audience::Public]
    };
    let mut c = state.store.conn().await?;
    Ok(store::published(&mut c, audiences, open_data_only, filter, 500).await?)
}
