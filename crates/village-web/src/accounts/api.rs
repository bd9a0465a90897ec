//! The accounts API: the signed-in member, their lived experience, people and roles.

pub(crate) use super::*;

// ---- API --------------------------------------------------------------------------------

/// A member's lived experience, as they declared it. Only they ever see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LivedExperienceBody {
    pub declared: bool,
    /// Any of `draws_on_support`, `unpaid_carer`, `other`.
    #[serde(default)]
    pub kinds: Vec<LivedExperienceKind>,
    /// In the member's own words.
    #[serde(default)]
    pub in_my_words: Option<String>,
}

impl From<LivedExperience> for LivedExperienceBody {
    fn from(l: LivedExperience) -> Self {
        Self {
            declared: l.declared,
            kinds: l.kinds,
            in_my_words: l.in_my_words,
        }
    }
}

/// The signed-in member.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub lived_experience: LivedExperienceBody,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
}

pub(super) fn me_from(user: &UserRow) -> Me {
    Me {
        id: user.id,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        role: user.role(),
        lived_experience: user.lived_experience().into(),
        created_at: user.created_at,
    }
}

/// The signed-in member's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_me(ApiUser(identity): ApiUser) -> Json<Me> {
    Json(me_from(&identity.user))
}

/// Declare, change or withdraw lived experience. Withdrawing clears the kinds and words.
#[utoipa::path(put, path = "/api/v1/me/lived-experience", tag = "accounts",
    request_body = LivedExperienceBody,
    responses((status = 200, body = LivedExperienceBody), (status = 401, body = crate::api::ErrorBody), (status = 422, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_put_lived_experience(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    ApiJson(body): ApiJson<LivedExperienceBody>,
) -> Result<Json<LivedExperienceBody>, ApiError> {
    let lived = LivedExperience::new(body.declared, body.kinds, body.in_my_words.as_deref())?;
    set_lived_experience(&state, &identity, &lived, &ip, now()).await?;
    Ok(Json(lived.into()))
}

/// One account in the admin list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub created_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleList {
    pub total: i64,
    pub people: Vec<Person>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleParams {
    /// Part of a name or email address.
    pub q: Option<String>,
    /// Only this role.
    pub role: Option<Role>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Up to 200 a page; 50 if not given.
    pub per_page: Option<i64>,
}

/// People on this hub with their roles (hub admins only; each person listed is told in
/// their audit trail).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "accounts", params(PeopleParams),
    responses((status = 200, body = PeopleList), (status = 401, body = crate::api::ErrorBody), (status = 403, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_list_users(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    crate::extract::Query(params): crate::extract::Query<PeopleParams>,
) -> Result<Json<PeopleList>, ApiError> {
    let per_page = params.per_page.unwrap_or(PAGE_SIZE).clamp(1, 200);
    let page = params.page.unwrap_or(1).clamp(1, 1_000_000);
    let filter = UserFilter {
        text: params.q,
        role: params.role,
        limit: per_page,
        offset: (page - 1) * per_page,
    };
    let (rows, total) = list_people(&state, &identity, &filter, &ip, now()).await?;
    Ok(Json(PeopleList {
        total,
        people: rows
            .into_iter()
            .map(|u| Person {
                id: u.id,
                role: u.role(),
                email: u.email,
                display_name: u.display_name,
                created_at: u.created_at,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleBody {
    pub role: Role,
}

/// Change someone's role (hub admins only; not their own).
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/role", tag = "accounts",
    params(("id" = i64, Path, description = "The account's id")),
    request_body = RoleBody,
    responses((status = 200, body = Person), (status = 403, body = crate::api::ErrorBody), (status = 404, body = crate::api::ErrorBody), (status = 409, body = crate::api::ErrorBody)),
    security(("bearer" = []), ()))]
pub async fn api_set_role(
    State(state): State<AppState>,
    ApiUser(identity): ApiUser,
    ClientAddress(ip): ClientAddress,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RoleBody>,
) -> Result<Json<Person>, ApiError> {
    match set_role(&state, &identity, id, body.role, &ip, now()).await {
        Ok(u) => Ok(Json(Person {
            id: u.id,
            role: u.role(),
            email: u.email,
            display_name: u.display_name,
            created_at: u.created_at,
        })),
        Err(e) => Err(e.into()),
    }
}
