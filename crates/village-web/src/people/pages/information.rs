//! Your information: sharing choices, the download, everything on one page, who has looked.

pub(crate) use super::*;

// ---- Sharing choices and your information ---------------------------------------------

#[derive(Template)]
#[template(path = "people/sharing.html")]
pub(super) struct SharingPage {
    pub(super) layout: Layout,
    pub(super) now_sharing: Vec<(&'static str, &'static str)>,
    pub(super) choices: Vec<(String, String, String, String)>,
}

pub(crate) async fn view_sharing(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
) -> PageResult {
    let Some(view) = view_profile(&state, Some(&identity), identity.user.id, &ip, now()).await?
    else {
        return Ok(pages::unavailable());
    };
    let rows = village_app::people::information::sharing_choices(&state, identity.user.id).await?;
    let choices = rows
        .into_iter()
        .map(|k| {
            let what = Section::parse(&k.what)
                .map(|s| s.question().heading.to_string())
                .unwrap_or_else(|| match k.what.as_str() {
                    "circle" => "Your circle of support".into(),
                    "connectors" => "Your connectors".into(),
                    "supporter" => "Supporters".into(),
                    other => other.to_string(),
                });
            let with = Visibility::parse(&k.shared_with)
                .map(|v| format!("Shared with: {}", v.words()))
                .unwrap_or(k.shared_with.clone());
            let who = match (k.by_id, k.by_name) {
                (Some(id), _) if id == identity.user.id => "You".to_string(),
                (Some(_), Some(n)) => n,
                _ => "Someone who has since left the hub".into(),
            };
            (pages::when(k.at), what, with, who)
        })
        .collect();
    Ok(pages::page(&SharingPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/sharing",
            "Who can see your information",
        ),
        now_sharing: view
            .sections
            .iter()
            .map(|s| (s.section.question().heading, s.visibility.words()))
            .collect(),
        choices,
    }))
}

#[derive(Template)]
#[template(path = "people/information.html")]
pub(super) struct DataPage {
    pub(super) layout: Layout,
}

pub(crate) async fn view_information(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> Response {
    pages::page(&DataPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/information",
            "Your information",
        ),
    })
}

#[derive(Template)]
#[template(path = "people/everything.html")]
pub(super) struct EverythingPage {
    pub(super) layout: Layout,
    pub(super) account: Vec<(&'static str, String)>,
    pub(super) sections: Vec<SectionView>,
    pub(super) history: Vec<(String, String, String, String)>,
    pub(super) sharing: Vec<(String, String, String)>,
    pub(super) circle: Vec<(String, String, String, String)>,
    pub(super) memberships: Vec<(String, String)>,
    pub(super) connectors: Vec<(String, String)>,
    pub(super) people: Vec<(String, String)>,
    pub(super) intro: Option<(String, String)>,
    pub(super) connections: Vec<String>,
    pub(super) mutual_aid: Vec<String>,
    /// The gatherings signed up to: a link, and what was said would help.
    pub(super) gatherings: Vec<(String, String, String)>,
    /// How many days after a gathering what people said would help them is kept.
    pub(super) forget_days: u32,
    pub(super) activity: Vec<(String, String, String)>,
}

pub(crate) async fn view_everything(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
) -> PageResult {
    let t = now();
    let doc = export(&state, &identity, &ip, t).await?;
    let Some(view) = view_profile(&state, Some(&identity), identity.user.id, &ip, t).await? else {
        return Ok(pages::unavailable());
    };
    let ring = |code: &str| {
        village_domain::people::circle::Ring::parse(code)
            .map(|r| r.label().to_string())
            .unwrap_or_default()
    };
    let a = &doc.account;
    Ok(pages::page(&EverythingPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/information",
            "Everything we hold about you",
        ),
        account: vec![
            ("Account number", a.id.to_string()),
            ("Name", a.display_name.clone()),
            ("Email address", a.email.clone()),
            (
                "Role",
                village_domain::accounts::Role::parse(&a.role)
                    .map(|r| r.label().to_string())
                    .unwrap_or_else(|| a.role.clone()),
            ),
            ("Joined", pages::when(a.joined_at)),
            (
                "Lived experience",
                if a.lived_experience_declared {
                    let kinds: Vec<&str> =
                        village_domain::accounts::LivedExperience::kinds_from_code(
                            &a.lived_experience_kinds,
                        )
                        .into_iter()
                        .map(|k| k.label())
                        .collect();
                    let words = a.lived_experience_in_my_words.clone().unwrap_or_default();
                    [kinds.join(", "), words]
                        .into_iter()
                        .filter(|p| !p.trim().is_empty())
                        .collect::<Vec<_>>()
                        .join(". In your words: ")
                } else {
                    "Not declared".into()
                },
            ),
        ],
        sections: view
            .sections
            .iter()
            .map(|s| section_view(s, "/me/profile", state.settings.hub.distances))
            .collect(),
        history: doc
            .profile_history
            .iter()
            .map(|e| {
                (
                    pages::when(e.at),
                    e.section.clone(),
                    e.editor_name
                        .clone()
                        .unwrap_or_else(|| "Someone who has left".into()),
                    short(&e.after),
                )
            })
            .collect(),
        sharing: doc
            .sharing_choices
            .iter()
            .map(|k| (pages::when(k.at), k.what.clone(), k.shared_with.clone()))
            .collect(),
        circle: doc
            .circle
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    ring(&e.ring),
                    e.contact.clone(),
                    e.status.clone(),
                )
            })
            .collect(),
        memberships: doc
            .circles_i_am_in
            .iter()
            .map(|m| (m.person_name.clone(), m.status.clone()))
            .collect(),
        connectors: doc
            .connectors
            .iter()
            .map(|c| (c.name.clone(), c.status.clone()))
            .collect(),
        people: doc
            .people_i_walk_alongside
            .iter()
            .map(|c| (c.name.clone(), c.status.clone()))
            .collect(),
        intro: doc
            .what_people_see_about_me
            .as_ref()
            .map(|i| (i.about.clone(), i.how_i_work.clone())),
        connections: doc.connections.lines(),
        mutual_aid: doc.mutual_aid.lines(),
        gatherings: doc.gatherings.iter().map(gathering_line).collect(),
        forget_days: village_app::gatherings::forget_needs_days(&state),
        activity: doc
            .activity
            .iter()
            .map(|e| {
                (
                    pages::when(e.at),
                    village_domain::audit::AuditAction::parse(&e.action)
                        .map(|a| a.label().to_string())
                        .unwrap_or(e.action.clone()),
                    e.detail.clone(),
                )
            })
            .collect(),
    }))
}

#[derive(Template)]
#[template(path = "people/access_log.html")]
pub(super) struct AccessLogPage {
    pub(super) layout: Layout,
    pub(super) entries: Vec<(String, String, String, String)>,
}

pub(crate) async fn view_access_log(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let rows =
        village_app::people::information::access_log(&state, identity.user.id, None, 500).await?;
    let entries = rows
        .into_iter()
        .map(|r| {
            (
                pages::when(r.at),
                match (r.actor_id, r.actor_name.clone()) {
                    (Some(_), Some(n)) => n,
                    (Some(i), None) => format!("Account {i}, since deleted"),
                    (None, _) => "Someone not signed in".into(),
                },
                r.action()
                    .map(|a| a.label().to_string())
                    .unwrap_or_else(|| r.action.clone()),
                r.detail.clone(),
            )
        })
        .collect();
    Ok(pages::page(&AccessLogPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/me/access-log",
            "Who has looked at your information",
        ),
        entries,
    }))
}

/// A gathering someone signed up to, as "everything we hold" says it: its link and title, and
/// their place with what they said would help them (while it is kept).
fn gathering_line(
    g: &village_app::people::information::GatheringPlaceOut,
) -> (String, String, String) {
    use village_domain::gatherings::places::{Need, Place};
    let place = match Place::parse(&g.place) {
        Some(Place::Going) => "You have a place",
        Some(Place::Waiting) => "You are on the waiting list",
        Some(Place::Offered) => "A place is offered to you",
        None => "You signed up",
    };
    let needs: Vec<&str> = g
        .needs
        .iter()
        .filter_map(|n| Need::parse(n))
        .map(|n| n.words())
        .collect();
    let mut said = format!("{}, {}.", pages::when(g.starts_at), place.to_lowercase());
    if !needs.is_empty() {
        said.push_str(&format!(" What would help you: {}.", needs.join("; ")));
    }
    if !g.words.trim().is_empty() {
        said.push_str(&format!(" In your words: {}", g.words.trim()));
    }
    (
        village_app::gatherings::link(g.gathering_id),
        g.title.clone(),
        said,
    )
}
