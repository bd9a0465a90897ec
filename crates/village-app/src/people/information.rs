//! "Your information": everything Village holds about a person, as they download it; the
//! sharing choices about them; and who else has looked at their record.

use super::{circle, read_row};
use crate::accounts::Identity;
use crate::audit::record;
use crate::App;
use serde::Serialize;
use village_domain::audit::AuditAction;
use village_domain::people::profile::Content;
use village_domain::people::{Section, Visibility};
use village_store::people::{self as store, SectionRow};
use village_store::{accounts as account_store, StoreError};

/// Everything Village holds about a person, as they download it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Export {
    pub exported_at: i64,
    pub account: ExportAccount,
    /// Every profile section under its key, with its words, structure and visibility.
    #[schema(value_type = Object)]
    pub profile: serde_json::Value,
    pub profile_history: Vec<EditOut>,
    pub sharing_choices: Vec<ConsentOut>,
    pub circle: Vec<circle::CircleEntryOut>,
    pub circles_i_am_in: Vec<circle::MembershipOut>,
    pub connectors: Vec<circle::ConnectorOut>,
    /// For connectors: the people who chose them.
    pub people_i_walk_alongside: Vec<circle::ConnectorOut>,
    /// For connectors: what people choosing a connector read about them.
    pub what_people_see_about_me: Option<ConnectorIntroOut>,
    /// Notes of conversations with connectors, with replies.
    pub conversations: Vec<super::conversations::ConversationOut>,
    /// Every audit entry about the person (including who has looked at their record).
    pub activity: Vec<crate::audit::AuditEntry>,
    /// Saved and dismissed ideas, introductions, shortlists, check-ins and notices.
    pub connections: crate::connections::mine::ConnectionsExport,
    /// Asks and offers, matches with their messages, time given and received, the time
    /// account and safety checks.
    pub mutual_aid: crate::mutual_aid::MutualAidExport,
    /// The gatherings I signed up to, with what I said would help me (kept until 30 days
    /// after each gathering, unless the hub says otherwise).
    pub gatherings: Vec<GatheringPlaceOut>,
}

/// A place at a gathering, as its member downloads it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GatheringPlaceOut {
    pub gathering_id: i64,
    pub title: String,
    pub starts_at: i64,
    /// `going`, `waiting` or `offered`.
    pub place: String,
    pub signed_up_at: i64,
    /// What would help me take part (codes), while it is kept.
    pub needs: Vec<String>,
    pub words: String,
}

/// What a connector tells people choosing a connector.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConnectorIntroOut {
    pub about: String,
    pub how_i_work: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportAccount {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub joined_at: i64,
    pub lived_experience_declared: bool,
    pub lived_experience_kinds: String,
    pub lived_experience_in_my_words: Option<String>,
}

/// One change in a profile's history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EditOut {
    pub id: i64,
    pub section: String,
    pub at: i64,
    /// Who made the change (absent once they have left the hub).
    pub editor_id: Option<i64>,
    pub editor_name: Option<String>,
    pub before: String,
    pub after: String,
    /// The change this one undid.
    pub undoes: Option<i64>,
}

impl From<store::EditRow> for EditOut {
    fn from(e: store::EditRow) -> Self {
        Self {
            id: e.id,
            section: e.section.key().to_string(),
            at: e.at,
            editor_id: e.editor_id,
            editor_name: e.editor_name,
            before: e.before_body,
            after: e.after_body,
            undoes: e.undoes,
        }
    }
}

/// One sharing choice.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConsentOut {
    pub id: i64,
    /// The section (or other thing) the choice is about.
    pub what: String,
    pub shared_with: String,
    pub previous: Option<String>,
    pub at: i64,
    pub by_id: Option<i64>,
    pub by_name: Option<String>,
}

impl From<store::ConsentRow> for ConsentOut {
    fn from(k: store::ConsentRow) -> Self {
        Self {
            id: k.id,
            what: k.what,
            shared_with: k.shared_with,
            previous: k.previous,
            at: k.at,
            by_id: k.by_id,
            by_name: k.by_name,
        }
    }
}

/// Every sharing choice about a person, newest first.
pub async fn sharing_choices(state: &App, person_id: i64) -> Result<Vec<ConsentOut>, StoreError> {
    let mut c = state.store.conn().await?;
    Ok(store::consents(&mut c, person_id)
        .await?
        .into_iter()
        .map(ConsentOut::from)
        .collect())
}

/// Every audit entry about a person made by someone else (or by nobody signed in), newest
/// first: "who has looked at my record".
pub async fn access_log(
    state: &App,
    person_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<village_store::audit::AuditRow>, StoreError> {
    let mut c = state.store.conn().await?;
    village_store::audit::list(
        &mut c,
        &village_store::audit::AuditFilter {
            subject: Some(person_id),
            others_only: true,
            before_id,
            limit,
            ..Default::default()
        },
    )
    .await
}

/// Gather everything about a person.
pub async fn export(state: &App, me: &Identity, ip: &str, now: i64) -> Result<Export, StoreError> {
    let mut c = state.store.conn().await?;
    let user = account_store::user_by_id(&mut c, me.user.id)
        .await?
        .unwrap_or_else(|| me.user.clone());
    let rows = store::sections(&mut c, user.id).await?;
    let profile = profile_json(&rows, true);
    let history = store::edits(&mut c, user.id, None, i64::MAX)
        .await?
        .into_iter()
        .map(EditOut::from)
        .collect();
    let sharing = store::consents(&mut c, user.id)
        .await?
        .into_iter()
        .map(ConsentOut::from)
        .collect();
    let circle_rows = store::circle(&mut c, user.id).await?;
    let memberships = store::memberships(&mut c, user.id).await?;
    let connectors = store::connectors_of(&mut c, user.id).await?;
    let people = store::people_of(&mut c, user.id).await?;
    let intro = store::connector_intro(&mut c, user.id).await?;
    let activity = village_store::audit::list(
        &mut c,
        &village_store::audit::AuditFilter {
            subject: Some(user.id),
            limit: i64::MAX,
            ..Default::default()
        },
    )
    .await?;
    let notes = super::conversations::out(
        store::conversations(&mut c, user.id, None).await?,
        &store::replies(&mut c, user.id).await?,
    );
    let connections = crate::connections::mine::export_of(&mut c, user.id).await?;
    let mutual_aid = crate::mutual_aid::export_of(&mut c, user.id)
        .await
        .map_err(|e| match e {
            crate::Error::Store(s) => s,
            other => StoreError::Invalid(other.to_string()),
        })?;
    let gatherings = village_store::gatherings::places::of_member(&mut c, user.id)
        .await?
        .into_iter()
        .map(|r| GatheringPlaceOut {
            gathering_id: r.gathering_id,
            title: r.title,
            starts_at: r.starts_at,
            place: r.place.code().to_string(),
            signed_up_at: r.joined_at,
            needs: r
                .needs
                .unwrap_or_default()
                .split(',')
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect(),
            words: r.words.unwrap_or_default(),
        })
        .collect();
    record(
        &mut c,
        Some(user.id),
        Some(user.id),
        AuditAction::DataExported,
        "",
        Some(ip),
        now,
    )
    .await?;
    Ok(Export {
        exported_at: now,
        account: ExportAccount {
            id: user.id,
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_string(),
            joined_at: user.created_at,
            lived_experience_declared: user.lived_declared,
            lived_experience_kinds: user.lived_kinds.clone(),
            lived_experience_in_my_words: user.lived_words.clone(),
        },
        profile,
        profile_history: history,
        sharing_choices: sharing,
        circle: circle_rows.into_iter().map(circle::entry_out).collect(),
        circles_i_am_in: memberships
            .into_iter()
            .map(circle::membership_out)
            .collect(),
        connectors: connectors
            .into_iter()
            .map(|l| circle::link_out(l, false))
            .collect(),
        people_i_walk_alongside: people
            .into_iter()
            .map(|l| circle::link_out(l, true))
            .collect(),
        what_people_see_about_me: intro.map(|i| ConnectorIntroOut {
            about: i.about,
            how_i_work: i.how_i_work,
        }),
        conversations: notes,
        activity: activity
            .into_iter()
            .map(crate::audit::AuditEntry::from)
            .collect(),
        connections,
        mutual_aid,
        gatherings,
    })
}

/// One section in the API's shape: `{"text", "visibility", …structure}`; the birth year as
/// `{"value", "visibility"}`.
pub fn section_json(
    section: Section,
    content: &Content,
    visibility: Visibility,
) -> serde_json::Value {
    if section == Section::BirthYear {
        return serde_json::json!({"value": content.year(), "visibility": visibility});
    }
    let mut v = serde_json::to_value(content).unwrap_or_else(|_| serde_json::json!({}));
    if let Some(o) = v.as_object_mut() {
        o.insert("visibility".into(), serde_json::json!(visibility));
        // Matching reads these; always present on the four structured sections.
        match section {
            Section::Interests => {
                o.entry("terms").or_insert(serde_json::json!([]));
            }
            Section::Travel => {
                o.entry("postcode").or_insert(serde_json::Value::Null);
                o.entry("max_km").or_insert(serde_json::Value::Null);
            }
            Section::Availability => {
                o.entry("slots").or_insert(serde_json::json!([]));
            }
            Section::AccessNeeds => {
                o.entry("needs").or_insert(serde_json::json!([]));
                o.entry("essential").or_insert(serde_json::json!([]));
            }
            _ => {}
        }
    }
    v
}

/// Every section under its key (empty ones too when `all`).
fn profile_json(rows: &[SectionRow], all: bool) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for &section in Section::ALL {
        let (content, visibility) = read_row(rows.iter().find(|r| r.section == section), section);
        if all || !content.is_empty() {
            map.insert(
                section.key().into(),
                section_json(section, &content, visibility),
            );
        }
    }
    serde_json::Value::Object(map)
}
