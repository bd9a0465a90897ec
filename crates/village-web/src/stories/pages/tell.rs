//! Telling a story (`/stories/new`), with "Check my words": the story shown back with words
//! to frame by strengths and what could tell people who someone is, every answer kept.

use super::*;
use village_app::stories::StoryBody;

#[derive(Debug, Deserialize, Default)]
pub struct AboutParams {
    /// A group in the directory it is about (from the group's page).
    group: Option<String>,
    /// An offer in the directory it is about (from the offer's page).
    offer: Option<String>,
}

/// What the form holds, to show again after "Check my words".
#[derive(Debug, Deserialize, Default, Clone)]
pub struct StoryForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    told_by: String,
    #[serde(default)]
    screen_name: String,
    #[serde(default)]
    audience: String,
    /// A connector telling it for someone who chose them: their member id.
    #[serde(default)]
    told_for: String,
    /// A private story: send it privately to the groups it names.
    send_to_groups: Option<String>,
    open_data: Option<String>,
    #[serde(default)]
    when_month: String,
    #[serde(default)]
    when_year: String,
    #[serde(default)]
    about_organisation_ids: Vec<String>,
    #[serde(default)]
    about_offer_ids: Vec<String>,
    /// "Check my words" was pressed rather than "Send it".
    check: Option<String>,
}

impl StoryForm {
    fn body(&self) -> StoryBody {
        let (m, y) = (self.when_month.trim(), self.when_year.trim());
        StoryBody {
            title: self.title.clone(),
            body: self.body.clone(),
            about_offer_ids: self.about_offer_ids.clone(),
            about_organisation_ids: self.about_organisation_ids.clone(),
            told_by: self.told_by.clone(),
            screen_name: Some(self.screen_name.clone()),
            audience: self.audience.clone(),
            send_to_groups: self.send_to_groups.is_some(),
            // Anything but a number is nobody they walk alongside, and named as such.
            told_for: match self.told_for.trim() {
                "" => None,
                t => Some(t.parse().unwrap_or(0)),
            },
            open_data: self.open_data.is_some(),
            when: (!m.is_empty() || !y.is_empty()).then(|| format!("{y}-{m}")),
        }
    }
}

#[derive(Template)]
#[template(path = "stories/new.html")]
struct NewPage {
    layout: Layout,
    errors: Errors,
    form: StoryForm,
    told_by: Vec<(&'static str, &'static str)>,
    audiences: Vec<(&'static str, &'static str)>,
    months: Vec<(String, &'static str)>,
    groups: Vec<Named>,
    offers: Vec<Named>,
    checked: Option<CheckShown>,
    /// For a connector: the people who chose them, to tell it for (id, name).
    people: Vec<(String, String)>,
}

async fn new_page(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    form: StoryForm,
    errors: Errors,
    checked: Option<CheckShown>,
) -> Result<NewPage, Error> {
    Ok(NewPage {
        layout: Layout::new(state, Some(identity), csrf, "/stories", "Tell your story"),
        errors,
        told_by: ToldBy::ALL.iter().map(|t| (t.code(), t.words())).collect(),
        audiences: [Audience::Hub, Audience::Public, Audience::Private]
            .iter()
            .map(|a| (a.code(), audience_words(*a)))
            .collect(),
        months: dates::MONTHS
            .iter()
            .enumerate()
            .map(|(i, m)| (format!("{:02}", i + 1), *m))
            .collect(),
        groups: stories::group_names(state, &form.about_organisation_ids).await?,
        offers: stories::offer_names(state, &form.about_offer_ids).await?,
        people: stories::may_tell_for(state, identity)
            .await?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect(),
        form,
        checked,
    })
}

/// Who may read it, as the form asks.
fn audience_words(a: Audience) -> &'static str {
    match a {
        Audience::Hub => "Members of this hub, when they are signed in",
        Audience::Public => "Anyone, on the open web",
        Audience::Private => "Only me, and the stewards who read it",
    }
}

pub(crate) async fn view_new_story(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    Query(p): Query<AboutParams>,
) -> PageResult {
    let form = StoryForm {
        told_by: "self".into(),
        audience: "hub".into(),
        about_organisation_ids: p.group.into_iter().collect(),
        about_offer_ids: p.offer.into_iter().collect(),
        ..Default::default()
    };
    let page = new_page(&state, &identity, &csrf, form, Errors::none(), None).await?;
    Ok(pages::page(&page))
}

pub(crate) async fn view_tell(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    csrf: CsrfToken,
    PageForm(f): PageForm<StoryForm>,
) -> PageResult {
    if f.check.is_some() {
        let words = (f.title.as_str(), f.body.as_str());
        let told_for = f.body().told_for;
        let checked = stories::check(
            &state,
            &identity,
            words,
            &f.about_organisation_ids,
            told_for,
        )
        .await;
        return match checked {
            Ok(checked) => {
                let shown = CheckShown::new(
                    vec![
                        ("In your title", &f.title, checked.title),
                        ("In your story", &f.body, checked.body),
                    ],
                    checked.marks,
                );
                let page =
                    new_page(&state, &identity, &csrf, f, Errors::none(), Some(shown)).await?;
                Ok(pages::page(&page))
            }
            Err(e) => {
                let errors = field_errors(e)?;
                let page = new_page(&state, &identity, &csrf, f, errors, None).await?;
                Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
            }
        };
    }
    match stories::tell(&state, &identity, &f.body(), now()).await {
        Ok(id) => Ok(Redirect::to(&format!("/stories/{id}?done=told")).into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            let page = new_page(&state, &identity, &csrf, f, errors, None).await?;
            Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
