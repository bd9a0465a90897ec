//! The lists: published stories (`/stories`), a member's own ("Your stories",
//! `/stories/mine`) and, for stewards, stories waiting to be read (`/stories/review`).

use super::*;

#[derive(Template)]
#[template(path = "stories/list.html")]
struct ListPage {
    layout: Layout,
    items: Vec<StoryItem>,
    signed_in: bool,
    steward: bool,
    /// What the list is narrowed to, in words, and the address without it.
    narrowed: Option<String>,
    changed_things: bool,
    /// The hub's themes, to find stories by: (code, name); and the one chosen.
    themes: Vec<(String, String)>,
    theme: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ListParams {
    /// Stories about this group.
    group: Option<String>,
    /// Stories about this offer.
    offer: Option<String>,
    /// Only stories where a change was made.
    changed: Option<String>,
    /// Stories with this theme (its code).
    theme: Option<String>,
}

pub(crate) async fn view_stories(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
    Query(q): Query<ListParams>,
) -> PageResult {
    let filter = village_store::stories::Filter {
        group: q.group.filter(|g| !g.trim().is_empty()),
        offer: q.offer.filter(|o| !o.trim().is_empty()),
        changed_things: q.changed.is_some_and(|c| !c.is_empty()),
        theme: q.theme.filter(|t| !t.trim().is_empty()),
        featured: false,
    };
    let hub_themes = &state.settings.stories.themes;
    let mut named = stories::group_names(&state, filter.group.as_slice()).await?;
    named.extend(stories::offer_names(&state, filter.offer.as_slice()).await?);
    let narrowed = if filter.group.is_some() || filter.offer.is_some() {
        Some(match named.first() {
            Some(n) => format!("Stories about {}", n.name),
            None => "Stories about a group that is no longer listed".into(),
        })
    } else {
        filter.theme.as_ref().map(
            |t| match village_domain::stories::themes::name(hub_themes, t) {
                Some(name) => format!("Stories about {}", name.to_lowercase()),
                None => "Stories with a theme this hub no longer has".into(),
            },
        )
    };
    let rows = stories::published(&state, identity.as_ref(), false, &filter).await?;
    Ok(pages::page(&ListPage {
        layout: Layout::new(&state, identity.as_ref(), &csrf, "/stories", "Stories"),
        narrowed,
        changed_things: filter.changed_things,
        themes: hub_themes
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
        theme: filter.theme.clone(),
        items: rows.iter().map(item).collect(),
        signed_in: identity.is_some(),
        steward: identity
            .as_ref()
            .is_some_and(|i| i.may(village_domain::access::Action::ModerateStories)),
    }))
}

#[derive(Template)]
#[template(path = "stories/glimpses.html")]
struct GlimpsesPage {
    layout: Layout,
    items: Vec<StoryItem>,
    signed_in: bool,
}

/// "Glimpses of the future": the published stories the hub features, as this reader may
/// read them, newest featured first.
pub(crate) async fn view_glimpses(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    csrf: CsrfToken,
) -> PageResult {
    let rows = stories::glimpses(&state, identity.as_ref()).await?;
    Ok(pages::page(&GlimpsesPage {
        layout: Layout::new(
            &state,
            identity.as_ref(),
            &csrf,
            "/stories",
            "Glimpses of the future",
        ),
        items: rows
            .iter()
            .map(|r| StoryItem {
                opening: opening(r.published_body.as_deref().unwrap_or_default(), 80),
                ..item(r)
            })
            .collect(),
        signed_in: identity.is_some(),
    }))
}

#[derive(Template)]
#[template(path = "stories/mine.html")]
struct MinePage {
    layout: Layout,
    items: Vec<StoryItem>,
    /// For organisers: private stories sent to their groups.
    sent_to_me: Vec<StoryItem>,
}

pub(crate) async fn view_my_stories(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let rows = stories::mine(&state, &identity).await?;
    let notice = match q.done.as_deref() {
        Some("withdrawn") => Some("Your story is withdrawn and its words are deleted."),
        _ => None,
    };
    Ok(pages::page(&MinePage {
        layout: Layout::new(&state, Some(&identity), &csrf, "/stories", "Your stories")
            .with_notice(notice),
        items: rows
            .iter()
            .filter(|r| r.state != StoryState::Withdrawn)
            .map(item)
            .collect(),
        sent_to_me: stories::sent_to_me(&state, &identity)
            .await?
            .iter()
            .map(item)
            .collect(),
    }))
}

/// A story waiting for a steward, as the list shows it.
pub struct WaitingItem {
    item: StoryItem,
    /// How many things could identify someone.
    marks: usize,
}

#[derive(Template)]
#[template(path = "stories/review.html")]
struct ReviewPage {
    layout: Layout,
    items: Vec<WaitingItem>,
    /// Stories with answers held because they name the teller: (id, title).
    held: Vec<(i64, String)>,
}

pub(crate) async fn view_review(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let waiting = stories::waiting_marked(&state, &identity).await?;
    let notice = match q.done.as_deref() {
        Some("decided") => Some("Your decision is saved, and the author has been told."),
        _ => None,
    };
    Ok(pages::page(&ReviewPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/stories",
            "Stories to read",
        )
        .with_notice(notice),
        held: stories::answers::held(&state, &identity).await?,
        items: waiting
            .iter()
            .map(|(row, marks)| WaitingItem {
                item: item(row),
                marks: *marks,
            })
            .collect(),
    }))
}
