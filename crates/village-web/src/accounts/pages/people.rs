//! People and roles (hub admins).

pub(crate) use super::*;

// ---- People and roles (hub admins) ------------------------------------------------------

pub(crate) const PAGE_SIZE: i64 = 50;

pub struct PersonRow {
    pub(super) id: i64,
    pub(super) display_name: String,
    pub(super) email: String,
    pub(super) joined: String,
    pub(super) options: Vec<(&'static str, &'static str, bool)>,
    pub(super) role_label: &'static str,
    pub(super) is_me: bool,
}

#[derive(Template)]
#[template(path = "accounts/admin_users.html")]
pub(crate) struct AdminUsersPage {
    layout: Layout,
    errors: Errors,
    q: String,
    role_options: Vec<(&'static str, &'static str, bool)>,
    role_descriptions: Vec<(&'static str, &'static str, &'static str)>,
    total: i64,
    rows: Vec<PersonRow>,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    #[serde(default)]
    pub(super) q: String,
    #[serde(default)]
    pub(super) role: String,
    pub(super) page: Option<i64>,
    pub(super) done: Option<String>,
}

pub(crate) async fn view_admin_users_get(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    query: Result<Query<PeopleQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Query(q) = query.unwrap_or_default();
    let role: Option<Role> = q.role.parse().ok();
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let filter = UserFilter {
        text: Some(q.q.clone()),
        role,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let (rows, total) = match list_people(&state, &identity, &filter, &ip, now()).await {
        Ok(r) => r,
        Err(e) => return Err(e.into()),
    };
    let link = |p: i64| {
        format!(
            "/admin/users?{}",
            serde_urlencoded::to_string([
                ("q", q.q.as_str()),
                ("role", q.role.as_str()),
                ("page", &p.to_string())
            ])
            .unwrap_or_default()
        )
    };
    Ok(pages::page(&AdminUsersPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/admin/users",
            "People and roles",
        )
        .with_notice(notice(q.done.as_deref())),
        errors: Errors::none(),
        q: q.q.clone(),
        role_options: Role::ALL
            .iter()
            .map(|r| (r.as_str(), r.label(), Some(*r) == role))
            .collect(),
        role_descriptions: Role::ALL
            .iter()
            .map(|r| (r.as_str(), r.label(), r.description()))
            .collect(),
        total,
        rows: rows
            .into_iter()
            .map(|u| PersonRow {
                id: u.id,
                is_me: u.id == identity.user.id,
                options: Role::ALL
                    .iter()
                    .map(|r| (r.as_str(), r.label(), *r == u.role()))
                    .collect(),
                role_label: u.role().label(),
                joined: pages::when(u.created_at),
                display_name: u.display_name,
                email: u.email,
            })
            .collect(),
        prev: (page > 1).then(|| link(page - 1)),
        next: (page * PAGE_SIZE < total).then(|| link(page + 1)),
    }))
}

#[derive(Deserialize, Default)]
pub struct RoleForm {
    #[serde(default)]
    pub(super) role: String,
}

pub(crate) async fn view_admin_role_post(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(form): PageForm<RoleForm>,
) -> Response {
    let role =
        match form.role.parse::<Role>() {
            Ok(r) => r,
            Err(_) => return pages::problem(
                &state,
                Some(&identity),
                &csrf,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Choose a role",
                &["That is not one of this hub's roles. Go back and choose one from the list."],
            ),
        };
    match set_role(&state, &identity, id, role, &ip, now()).await {
        Ok(_) => Redirect::to("/admin/users?done=role_changed").into_response(),
        Err(Error::Forbidden) => pages::forbidden(&state, Some(&identity), &csrf),
        Err(Error::Conflict(ErrorCode::CannotChangeOwnAdminRole, _)) => pages::problem(
            &state,
            Some(&identity),
            &csrf,
            StatusCode::CONFLICT,
            "You cannot change your own role",
            &["So that the hub always has an admin, ask another hub admin to change your role."],
        ),
        Err(Error::NotFound(_)) => pages::problem(
            &state,
            Some(&identity),
            &csrf,
            StatusCode::NOT_FOUND,
            "We cannot find that person",
            &["Their account may have been deleted."],
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}
