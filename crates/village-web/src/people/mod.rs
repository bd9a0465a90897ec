//! People at the centre: the person's own profile, what others may see of it, the circle of
//! support, chosen connectors, every sharing choice, and "my data" (download, who has looked,
//! forget me). Pages (`pages`) and the API (`api`) call the functions here, and every one of
//! them asks the domain's single access policy (`village_domain::people::decide`).

pub mod api;
pub mod circle;
pub mod circle_pages;
pub mod conversations;
pub mod pages;

use crate::auth::Identity;
use crate::AppState;
use serde::Serialize;
use village_app::audit::record;
use village_domain::accounts::FieldError;
use village_domain::audit::AuditAction;
use village_domain::directory::taxonomy::category_by_id;
use village_domain::people::profile::{self, Content};
use village_domain::people::{decide, Decision, PersonalAction, Relationship, Section, Visibility};
use village_store::people::{self as store, NewEdit, SectionRow, SectionWrite};
use village_store::{accounts as account_store, Db, StoreError};

/// One section as someone may see it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub section: Section,
    pub content: Content,
    pub visibility: Visibility,
    /// Whether the one looking may change its words (the person, or a supporter).
    pub editable: bool,
}

/// A profile as one viewer may see it.
#[derive(Debug, Clone)]
pub struct ProfileView {
    pub person_id: i64,
    pub display_name: String,
    pub relationship: Relationship,
    /// In the order of [`Section::ALL`]. For the person: every section, empty or not. For
    /// anyone else: only sections with something in them that reach them.
    pub sections: Vec<Shown>,
}

impl ProfileView {
    pub fn section(&self, s: Section) -> Option<&Shown> {
        self.sections.iter().find(|x| x.section == s)
    }
}

/// A stored section (or a section never written, with its default visibility).
fn read_row(row: Option<&SectionRow>, section: Section) -> (Content, Visibility) {
    match row {
        Some(r) => (
            Content::from_stored(&r.body, r.structure.as_deref()),
            Visibility::parse(&r.visibility).unwrap_or(Visibility::OnlyMe),
        ),
        None => (Content::default(), section.default_visibility()),
    }
}

/// Work out what `viewer` may see of a person's profile, and write the look to the audit log
/// when it is anyone but the person. `None`: no such person, or nothing the viewer may see
/// (to them, the person is not there at all).
pub async fn view_profile(
    state: &AppState,
    viewer: Option<&Identity>,
    person_id: i64,
    ip: &str,
    now: i64,
) -> Result<Option<ProfileView>, StoreError> {
    let mut c = state.store.conn().await?;
    let Some(read) = store::read_profile(&mut c, person_id, viewer.map(|v| v.user.id)).await?
    else {
        return Ok(None);
    };
    drop(c);
    let relationship = read.relationship;
    let rows = read.sections;
    let mut sections = Vec::new();
    let mut audited = false;
    for section in Section::ALL {
        let (content, visibility) =
            read_row(rows.iter().find(|r| r.section == section.key()), section);
        let decision = decide(
            relationship,
            PersonalAction::ViewSection,
            section,
            visibility,
        );
        let Decision::Allow { audit } = decision else {
            continue;
        };
        if relationship != Relationship::Themself && content.is_empty() {
            continue;
        }
        audited |= audit;
        let editable = decide(
            relationship,
            PersonalAction::EditSection,
            section,
            visibility,
        )
        .allowed();
        sections.push(Shown {
            section,
            content,
            visibility,
            editable,
        });
    }
    let known = matches!(
        relationship,
        Relationship::Supporter | Relationship::Circle | Relationship::Connector
    );
    if relationship != Relationship::Themself && sections.is_empty() && !known {
        return Ok(None);
    }
    if audited {
        let keys: Vec<&str> = sections.iter().map(|s| s.section.key()).collect();
        state
            .audit
            .record(village_domain::audit::AuditEvent {
                at: now,
                actor: viewer.map(|v| v.user.id),
                subject: Some(person_id),
                action: AuditAction::PersonalDataViewed,
                detail: format!(
                    "profile ({}): {}",
                    relationship_code(relationship),
                    keys.join(", ")
                ),
                ip: Some(ip.to_string()),
            })
            .await?;
    }
    Ok(Some(ProfileView {
        person_id,
        display_name: read.display_name,
        relationship,
        sections,
    }))
}

pub fn relationship_code(r: Relationship) -> &'static str {
    match r {
        Relationship::Themself => "themself",
        Relationship::Supporter => "supporter",
        Relationship::Circle => "circle",
        Relationship::Connector => "connector",
        Relationship::Member => "member",
        Relationship::Anonymous => "not signed in",
    }
}

/// A change to one section: new words and structure, a new visibility, or both.
#[derive(Debug, Clone)]
pub struct SectionChange {
    pub section: Section,
    pub content: Option<Content>,
    pub visibility: Option<Visibility>,
}

#[derive(Debug)]
pub enum SaveError {
    /// What was entered has a problem (named by field).
    Field(FieldError),
    /// The policy refused this change to this section.
    Forbidden(Section),
    /// No such person, or the editor may not see them at all.
    NotFound,
    Store(StoreError),
}

impl From<StoreError> for SaveError {
    fn from(e: StoreError) -> Self {
        SaveError::Store(e)
    }
}

impl From<FieldError> for SaveError {
    fn from(e: FieldError) -> Self {
        SaveError::Field(e)
    }
}

pub(crate) use village_app::this_year;

/// Directory term ids in `terms` that this hub knows: Village's categories, or any term
/// imported into the directory.
async fn unknown_terms(db: &mut impl Db, terms: &[String]) -> Result<Vec<String>, StoreError> {
    let mut unknown = Vec::new();
    for t in terms {
        if category_by_id(t.trim()).is_none()
            && village_store::directory::taxonomy_term_doc(db, t.trim())
                .await?
                .is_none()
        {
            unknown.push(t.trim().to_string());
        }
    }
    Ok(unknown)
}

/// Save changes to a person's profile, all or nothing. Every change of words is kept in the
/// history with who made it; every change of visibility goes into the consent ledger; a
/// supporter's change is also written to the audit log. Returns how many sections changed.
pub async fn save_profile(
    state: &AppState,
    editor: &Identity,
    person_id: i64,
    changes: &[SectionChange],
    ip: &str,
    now: i64,
) -> Result<usize, SaveError> {
    let mut tx = state.store.begin().await?;
    if account_store::user_by_id(&mut tx, person_id)
        .await?
        .is_none()
    {
        return Err(SaveError::NotFound);
    }
    let relationship = store::relationship(&mut tx, person_id, Some(editor.user.id)).await?;
    let rows = store::sections(&mut tx, person_id).await?;
    let mut changed = 0;
    let mut edited_by_other: Vec<&str> = Vec::new();
    for change in changes {
        let section = change.section;
        let row = rows.iter().find(|r| r.section == section.key());
        let (current, visibility) = read_row(row, section);
        if !decide(
            relationship,
            PersonalAction::ViewSection,
            section,
            visibility,
        )
        .allowed()
        {
            // Someone who may not even read it is told nothing more than that.
            return Err(
                if relationship == Relationship::Member || relationship == Relationship::Anonymous {
                    SaveError::NotFound
                } else {
                    SaveError::Forbidden(section)
                },
            );
        }
        let new_visibility = change.visibility.unwrap_or(visibility);
        if new_visibility != visibility
            && !decide(
                relationship,
                PersonalAction::ChangeVisibility,
                section,
                visibility,
            )
            .allowed()
        {
            return Err(SaveError::Forbidden(section));
        }
        let new_content = match &change.content {
            Some(content) => {
                // The domain names an unknown term; the directory says which terms exist.
                let unknown = unknown_terms(&mut tx, &content.terms).await?;
                let checked = profile::check(
                    section,
                    content.clone(),
                    |t| !unknown.iter().any(|u| u == t),
                    this_year(now),
                )?;
                if checked != current
                    && !decide(
                        relationship,
                        PersonalAction::EditSection,
                        section,
                        visibility,
                    )
                    .allowed()
                {
                    return Err(SaveError::Forbidden(section));
                }
                checked
            }
            None => current.clone(),
        };
        if new_content == current && new_visibility == visibility && row.is_some() {
            continue;
        }
        let structure = new_content.structure_json();
        store::put_section(
            &mut tx,
            &SectionWrite {
                user_id: person_id,
                section: section.key(),
                body: &new_content.text,
                structure: structure.as_deref(),
                visibility: new_visibility.code(),
                editor: editor.user.id,
            },
            now,
        )
        .await?;
        if new_content != current {
            let before_structure = current.structure_json();
            store::record_edit(
                &mut tx,
                &NewEdit {
                    user_id: person_id,
                    section: section.key(),
                    editor_id: editor.user.id,
                    before_body: &current.text,
                    before_structure: before_structure.as_deref(),
                    after_body: &new_content.text,
                    after_structure: structure.as_deref(),
                    undoes: None,
                },
                now,
            )
            .await?;
            if editor.user.id != person_id {
                edited_by_other.push(section.key());
            }
            changed += 1;
        }
        if new_visibility != visibility || row.is_none() && change.visibility.is_some() {
            store::record_consent(
                &mut tx,
                person_id,
                section.key(),
                new_visibility.code(),
                row.map(|_| visibility.code()),
                editor.user.id,
                now,
            )
            .await?;
            if new_content == current {
                changed += 1;
            }
        }
    }
    if !edited_by_other.is_empty() {
        record(
            &mut tx,
            Some(editor.user.id),
            Some(person_id),
            AuditAction::ProfileEditedBySupporter,
            &edited_by_other.join(", "),
            Some(ip),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}

#[derive(Debug)]
pub enum UndoError {
    NotFound,
    Forbidden,
    /// The section has changed since; undo the later change first.
    ChangedSince,
    Store(StoreError),
}

impl From<StoreError> for UndoError {
    fn from(e: StoreError) -> Self {
        UndoError::Store(e)
    }
}

/// Put a section back as it was before one change. The undo is itself a change in the
/// history, made by whoever undid it.
pub async fn undo_edit(
    state: &AppState,
    editor: &Identity,
    person_id: i64,
    edit_id: i64,
    ip: &str,
    now: i64,
) -> Result<Section, UndoError> {
    let mut tx = state.store.begin().await?;
    let Some(edit) = store::edit(&mut tx, person_id, edit_id).await? else {
        return Err(UndoError::NotFound);
    };
    let Some(section) = Section::parse(&edit.section) else {
        return Err(UndoError::NotFound);
    };
    let relationship = store::relationship(&mut tx, person_id, Some(editor.user.id)).await?;
    let rows = store::sections(&mut tx, person_id).await?;
    let row = rows.iter().find(|r| r.section == section.key());
    let (current, visibility) = read_row(row, section);
    if !decide(
        relationship,
        PersonalAction::ViewHistory,
        section,
        visibility,
    )
    .allowed()
    {
        return Err(UndoError::NotFound);
    }
    if !decide(
        relationship,
        PersonalAction::EditSection,
        section,
        visibility,
    )
    .allowed()
    {
        return Err(UndoError::Forbidden);
    }
    let after = Content::from_stored(&edit.after_body, edit.after_structure.as_deref());
    if after != current {
        return Err(UndoError::ChangedSince);
    }
    let before = Content::from_stored(&edit.before_body, edit.before_structure.as_deref());
    let structure = before.structure_json();
    store::put_section(
        &mut tx,
        &SectionWrite {
            user_id: person_id,
            section: section.key(),
            body: &before.text,
            structure: structure.as_deref(),
            visibility: visibility.code(),
            editor: editor.user.id,
        },
        now,
    )
    .await?;
    store::record_edit(
        &mut tx,
        &NewEdit {
            user_id: person_id,
            section: section.key(),
            editor_id: editor.user.id,
            before_body: &edit.after_body,
            before_structure: edit.after_structure.as_deref(),
            after_body: &before.text,
            after_structure: structure.as_deref(),
            undoes: Some(edit.id),
        },
        now,
    )
    .await?;
    if editor.user.id != person_id {
        record(
            &mut tx,
            Some(editor.user.id),
            Some(person_id),
            AuditAction::ProfileEditedBySupporter,
            &format!("{} (undo)", section.key()),
            Some(ip),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(section)
}

/// The history as one viewer may see it: changes to sections they may see the history of.
pub async fn history(
    state: &AppState,
    viewer: &Identity,
    person_id: i64,
    ip: &str,
    now: i64,
) -> Result<Option<Vec<store::EditRow>>, StoreError> {
    let mut c = state.store.conn().await?;
    let relationship = store::relationship(&mut c, person_id, Some(viewer.user.id)).await?;
    let rows = store::sections(&mut c, person_id).await?;
    let visible = |key: &str| {
        Section::parse(key).is_some_and(|s| {
            let (_, v) = read_row(rows.iter().find(|r| r.section == key), s);
            decide(relationship, PersonalAction::ViewHistory, s, v).allowed()
        })
    };
    if !Section::ALL.iter().any(|s| visible(s.key())) {
        return Ok(None);
    }
    let edits: Vec<store::EditRow> = store::edits(&mut c, person_id, None, 500)
        .await?
        .into_iter()
        .filter(|e| visible(&e.section))
        .collect();
    if relationship != Relationship::Themself && !edits.is_empty() {
        record(
            &mut c,
            Some(viewer.user.id),
            Some(person_id),
            AuditAction::PersonalDataViewed,
            "profile history",
            Some(ip),
            now,
        )
        .await?;
    }
    Ok(Some(edits))
}

// ---- My data --------------------------------------------------------------------------

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
    /// Notes of conversations with connectors, with replies.
    pub conversations: Vec<conversations::ConversationOut>,
    /// Every audit entry about the person (including who has looked at their record).
    pub activity: Vec<crate::audit::AuditEntry>,
    /// Saved and dismissed ideas, introductions, shortlists, check-ins and notices.
    pub connections: crate::connections::followup::ConnectionsExport,
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
            section: e.section,
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
pub async fn sharing_choices(
    state: &AppState,
    person_id: i64,
) -> Result<Vec<ConsentOut>, StoreError> {
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
    state: &AppState,
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
pub async fn export(
    state: &AppState,
    me: &Identity,
    ip: &str,
    now: i64,
) -> Result<Export, StoreError> {
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
    let activity = village_store::audit::list(
        &mut c,
        &village_store::audit::AuditFilter {
            subject: Some(user.id),
            limit: i64::MAX,
            ..Default::default()
        },
    )
    .await?;
    let notes = conversations::out(
        store::conversations(&mut c, user.id, None).await?,
        &store::replies(&mut c, user.id).await?,
    );
    let connections = crate::connections::followup::export_of(&mut c, user.id).await?;
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
            role: user.role.clone(),
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
        conversations: notes,
        activity: activity
            .into_iter()
            .map(crate::audit::AuditEntry::from)
            .collect(),
        connections,
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
    for section in Section::ALL {
        let (content, visibility) =
            read_row(rows.iter().find(|r| r.section == section.key()), section);
        if all || !content.is_empty() {
            map.insert(
                section.key().into(),
                section_json(section, &content, visibility),
            );
        }
    }
    serde_json::Value::Object(map)
}

#[derive(Debug)]
pub enum ForgetError {
    Field(FieldError),
    Store(StoreError),
}

impl From<StoreError> for ForgetError {
    fn from(e: StoreError) -> Self {
        ForgetError::Store(e)
    }
}

/// Forget a person at their request, after checking their password: everything about them
/// goes (see `village_store::people::forget`), they are signed out everywhere, and the words
/// are cleared from disk.
pub async fn forget(
    state: &AppState,
    me: &Identity,
    password: &str,
    now: i64,
) -> Result<(), ForgetError> {
    if !crate::auth::verify_password(password.to_string(), Some(me.user.password_hash.clone()))
        .await
    {
        return Err(ForgetError::Field(FieldError::new(
            "password",
            "password_wrong",
            "Your password is not right",
        )));
    }
    if me.user.role() == village_domain::accounts::Role::HubAdmin {
        let mut c = state.store.conn().await?;
        if account_store::count_role(&mut c, village_domain::accounts::Role::HubAdmin).await? <= 1 {
            return Err(ForgetError::Field(FieldError::new(
                "password",
                "last_hub_admin",
                "You are the only hub admin. Make someone else a hub admin first, so the hub is not left without one.",
            )));
        }
    }
    let mut tx = state.store.begin().await?;
    store::forget(&mut tx, me.user.id).await?;
    record(
        &mut tx,
        None,
        Some(me.user.id),
        AuditAction::AccountForgotten,
        "",
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    state.forget_home_counts();
    state.sessions.changed(&state.store);
    if let Err(e) = store::scrub(&state.store).await {
        tracing::warn!(error = %e, "could not clear freed space after forgetting a person");
    }
    Ok(())
}
