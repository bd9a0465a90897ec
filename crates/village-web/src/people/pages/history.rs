//! A profile's history of changes, and undoing one.

pub(crate) use super::*;

// ---- History --------------------------------------------------------------------------

pub struct EditView {
    pub(super) id: i64,
    pub(super) when: String,
    pub(super) who: String,
    pub(super) section: &'static str,
    pub(super) before: String,
    pub(super) after: String,
    pub(super) undo: bool,
    pub(super) note: String,
}

#[derive(Template)]
#[template(path = "people/history.html")]
pub(super) struct HistoryPage {
    pub(super) layout: Layout,
    pub(super) heading: String,
    pub(super) back: String,
    pub(super) action_base: String,
    pub(super) edits: Vec<EditView>,
}

pub(super) fn short(text: &str) -> String {
    let t: String = text.chars().take(300).collect();
    if text.chars().count() > 300 {
        format!("{t}…")
    } else if t.is_empty() {
        "(empty)".into()
    } else {
        t
    }
}

pub(super) async fn history_page(
    state: AppState,
    identity: Identity,
    ip: String,
    csrf: CsrfToken,
    person: i64,
    notice: Option<&str>,
) -> PageResult {
    let own = person == identity.user.id;
    let Some(edits) = history(&state, &identity, person, &ip, now()).await? else {
        return Err(PageError::NotFound);
    };
    // The newest change to each section can be undone.
    let mut latest: Vec<Section> = Vec::new();
    let views = edits
        .iter()
        .map(|e| {
            let first = !latest.contains(&e.section);
            if first {
                latest.push(e.section);
            }
            EditView {
                id: e.id,
                when: pages::when(e.at),
                who: match (e.editor_id, &e.editor_name) {
                    (Some(id), _) if id == identity.user.id => "You".into(),
                    (Some(_), Some(n)) => n.clone(),
                    _ => "Someone who has since left the hub".into(),
                },
                section: e.section.question().heading,
                before: short(&e.before_body),
                after: short(&e.after_body),
                undo: first,
                note: if e.undoes.is_some() {
                    "This put back an earlier version.".into()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let (heading, back, base) = if own {
        (
            "Changes to your profile".to_string(),
            "/me/profile".to_string(),
            "/me/profile/history".to_string(),
        )
    } else {
        let name = village_app::accounts::name_of(&state, person).await?;
        (
            format!("Changes to {name}'s profile"),
            format!("/people/{person}"),
            format!("/people/{person}/history"),
        )
    };
    Ok(pages::page(&HistoryPage {
        layout: Layout::new(&state, Some(&identity), &csrf, &base, heading.clone())
            .with_notice(notice),
        heading,
        back,
        action_base: base,
        edits: views,
    }))
}

pub(crate) async fn view_my_history(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let me = identity.user.id;
    history_page(
        state,
        identity,
        ip,
        csrf,
        me,
        q.done.as_deref().map(done_words),
    )
    .await
}

pub(crate) async fn view_person_history(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    history_page(
        state,
        identity,
        ip,
        csrf,
        id,
        q.done.as_deref().map(done_words),
    )
    .await
}

pub(super) async fn undo(
    state: AppState,
    identity: Identity,
    ip: String,
    person: i64,
    edit: i64,
) -> PageResult {
    let back = if person == identity.user.id {
        "/me/profile/history".to_string()
    } else {
        format!("/people/{person}/history")
    };
    undo_edit(&state, &identity, person, edit, &ip, now()).await?;
    Ok(Redirect::to(&format!("{back}?done=undone")).into_response())
}

pub(crate) async fn view_my_undo(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path(edit): Path<i64>,
) -> PageResult {
    let me = identity.user.id;
    undo(state, identity, ip, me, edit).await
}

pub(crate) async fn view_person_undo(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    Path((id, edit)): Path<(i64, i64)>,
) -> PageResult {
    undo(state, identity, ip, id, edit).await
}
