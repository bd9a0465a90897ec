//! People at the centre: the person's own profile, what others may see of it, its history
//! of changes, and the circle of support (`circle`). Pages and the API
//! (`village_web::people`) call the functions here, and every one of them asks the domain's
//! single access policy (`village_domain::access::people::decide`).

pub mod circle;
pub mod conversations;
pub mod information;

use crate::accounts::Identity;
use crate::audit::record;
use crate::App;
use village_domain::access::people::{decide, Decision, PersonalAction, Relationship};
use village_domain::accounts::FieldError;
use village_domain::audit::AuditAction;
use village_domain::directory::taxonomy::category_by_id;
use village_domain::error::ErrorCode;
use village_domain::people::profile::{self, Content};
use village_domain::people::{Section, Visibility};
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
pub fn read_row(row: Option<&SectionRow>, section: Section) -> (Content, Visibility) {
    match row {
        Some(r) => (
            Content::from_stored(&r.body, r.structure.as_deref()),
            r.visibility,
        ),
        None => (Content::default(), section.default_visibility()),
    }
}

/// Work out what `viewer` may see of a person's profile, and write the look to the audit log
/// when it is anyone but the person. `None`: no such person, or nothing the viewer may see
/// (to them, the person is not there at all).
#[tracing::instrument(level = "debug", skip_all, fields(actor = ?viewer.map(|i| i.user.id), person_id))]
pub async fn view_profile(
    state: &App,
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
    for &section in Section::ALL {
        let (content, visibility) = read_row(rows.iter().find(|r| r.section == section), section);
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

/// The policy refuses this change to this section: names the section's visibility field.
fn refused(section: Section) -> crate::Error {
    FieldError::new(
        section.visibility_field(),
        ErrorCode::Forbidden,
        format!(
            "You may not change the '{}' section, or who can see it.",
            section.key()
        ),
    )
    .into()
}

use crate::this_year;

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
#[tracing::instrument(skip_all, fields(person_id))]
pub async fn save_profile(
    state: &App,
    editor: &Identity,
    person_id: i64,
    changes: &[SectionChange],
    ip: &str,
    now: i64,
) -> crate::Result<usize> {
    let mut tx = state.store.begin().await?;
    if account_store::user_by_id(&mut tx, person_id)
        .await?
        .is_none()
    {
        return Err(crate::Error::NotFound("person"));
    }
    let relationship = store::relationship(&mut tx, person_id, Some(editor.user.id)).await?;
    let rows = store::sections(&mut tx, person_id).await?;
    let mut changed = 0;
    let mut edited_by_other: Vec<&str> = Vec::new();
    for change in changes {
        let section = change.section;
        let row = rows.iter().find(|r| r.section == section);
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
                    crate::Error::NotFound("person")
                } else {
                    refused(section)
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
            return Err(refused(section));
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
                    return Err(refused(section));
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

/// Put a section back as it was before one change. The undo is itself a change in the
/// history, made by whoever undid it.
#[tracing::instrument(skip_all, fields(person_id, edit_id))]
pub async fn undo_edit(
    state: &App,
    editor: &Identity,
    person_id: i64,
    edit_id: i64,
    ip: &str,
    now: i64,
) -> crate::Result<Section> {
    let mut tx = state.store.begin().await?;
    let Some(edit) = store::edit(&mut tx, person_id, edit_id).await? else {
        return Err(crate::Error::NotFound("change"));
    };
    let section = edit.section;
    let relationship = store::relationship(&mut tx, person_id, Some(editor.user.id)).await?;
    let rows = store::sections(&mut tx, person_id).await?;
    let row = rows.iter().find(|r| r.section == section);
    let (current, visibility) = read_row(row, section);
    if !decide(
        relationship,
        PersonalAction::ViewHistory,
        section,
        visibility,
    )
    .allowed()
    {
        return Err(crate::Error::NotFound("change"));
    }
    if !decide(
        relationship,
        PersonalAction::EditSection,
        section,
        visibility,
    )
    .allowed()
    {
        return Err(crate::Error::Forbidden);
    }
    let after = Content::from_stored(&edit.after_body, edit.after_structure.as_deref());
    if after != current {
        return crate::error::conflict(
            ErrorCode::ChangedSince,
            "Someone changed that part of the profile again after this change. Undo the newest change first.",
        );
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
#[tracing::instrument(skip_all, fields(actor = viewer.user.id, person_id))]
pub async fn history(
    state: &App,
    viewer: &Identity,
    person_id: i64,
    ip: &str,
    now: i64,
) -> Result<Option<Vec<store::EditRow>>, StoreError> {
    let mut c = state.store.conn().await?;
    let relationship = store::relationship(&mut c, person_id, Some(viewer.user.id)).await?;
    let rows = store::sections(&mut c, person_id).await?;
    let visible = |s: Section| {
        let (_, v) = read_row(rows.iter().find(|r| r.section == s), s);
        decide(relationship, PersonalAction::ViewHistory, s, v).allowed()
    };
    if !Section::ALL.iter().any(|&s| visible(s)) {
        return Ok(None);
    }
    let edits: Vec<store::EditRow> = store::edits(&mut c, person_id, None, 500)
        .await?
        .into_iter()
        .filter(|e| visible(e.section))
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

/// Tidy typed words (trimmed, Windows line ends made plain), required or not, under `max`
/// characters; the problem names the field. Shared by every free-text field in people and
/// connections.
pub fn check_text(
    field: &'static str,
    text: &str,
    required: bool,
    max: usize,
) -> Result<String, FieldError> {
    village_domain::text::check(field, text, required, max, "something here")
}

/// Forget a person at their request, after checking their password: everything about them
/// goes (see `village_store::people::forget`), they are signed out everywhere, and the words
/// are cleared from disk.
pub async fn forget(state: &App, me: &Identity, password: &str, now: i64) -> crate::Result<()> {
    if !crate::accounts::verify_password(password.to_string(), Some(me.user.password_hash.clone()))
        .await
    {
        return Err(crate::Error::Field(FieldError::new(
            "password",
            ErrorCode::PasswordWrong,
            "Your password is not right",
        )));
    }
    if me.user.role() == village_domain::accounts::Role::HubAdmin {
        let mut c = state.store.conn().await?;
        if account_store::count_role(&mut c, village_domain::accounts::Role::HubAdmin).await? <= 1 {
            return Err(crate::Error::Field(FieldError::new(
                "password",
                ErrorCode::LastHubAdmin,
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
