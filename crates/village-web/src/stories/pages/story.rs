//! One story (`/stories/{id}`) as each reader sees it: readers the published words; its
//! author their own words, where it has got to, a steward's suggested changes side by side
//! (approve or withdraw); a steward the author's words with what could identify someone
//! marked, and the decision form while it waits.

use super::*;
use village_app::stories::answers::AnswerBody;
use village_app::stories::answers::FollowUpBody;
use village_app::stories::{CurationBody, ModerationBody, StorySeen};
use village_domain::stories::answers::{AnswerAs, Change};
use village_domain::stories::follow_up::Changed;
use village_domain::stories::story::{Decision, Rule};

/// A steward's suggested changes, for the author: their words and the steward's, with what
/// was taken out and put in, and why.
pub struct Changes {
    title_before: String,
    title_after: String,
    before: Vec<Piece>,
    after: Vec<Piece>,
    rules: Vec<&'static str>,
    /// Published as it was told (a story told for someone waits for them even so).
    unchanged: bool,
}

/// An answer as the story's page shows it.
pub struct AnswerItem {
    id: i64,
    by: String,
    body: String,
    /// `none`, `planned` or `made`, and in words.
    change: &'static str,
    change_words: &'static str,
    held: bool,
    when: String,
}

/// What the answer form holds, to show again.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct AnswerForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    change: String,
    keep_if_story_goes: Option<String>,
}

/// What the decision form holds, to show again.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    rule_codes: Vec<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    themes: Vec<String>,
}

#[derive(Template)]
#[template(path = "stories/story.html")]
struct StoryPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    title: String,
    pieces: Vec<Piece>,
    state: StoryState,
    by: String,
    told_by: &'static str,
    when: String,
    published: String,
    /// Who can read it, in words, as its author is told.
    who_reads: String,
    /// Only a few may read it (its teller, stewards, the groups it was sent to).
    private: bool,
    open_data: bool,
    /// The groups and offers it is about: (link, name).
    about: Vec<(String, String)>,
    /// Its themes, and the hub's for a steward to pick from: (code, name).
    themes: Vec<(String, String)>,
    hub_themes: Vec<(String, String)>,
    /// Its author, or the person it was told for: they see where it has got to.
    is_author: bool,
    /// Told by a connector for someone; `for_me`: this reader is that person.
    told_for_someone: bool,
    for_me: bool,
    /// This reader agrees to the words waiting (the person it was told for, else its author).
    may_approve: bool,
    /// A steward reading it (not their own).
    steward: bool,
    /// For a steward, once it is published: the form for its themes and glimpses.
    curate: bool,
    /// The hub features it on "Glimpses of the future".
    featured: bool,
    /// For the author: why it was not published.
    reason: Option<String>,
    changes: Option<Changes>,
    /// For a steward: what could identify someone, numbered as marked: (words, what).
    marks: Vec<(String, &'static str)>,
    /// For a steward while it waits: the form.
    decide: Option<DecisionForm>,
    decisions: Vec<(&'static str, &'static str)>,
    rules: Vec<(&'static str, &'static str)>,
    /// The rules ticked when the form comes back.
    rules_ticked: Vec<&'static str>,
    answers: Vec<AnswerItem>,
    /// Readers who said it happened to them too, and whether this reader did.
    me_too: i64,
    my_me_too: bool,
    /// A signed-in reader (not the teller) of a published story.
    may_me_too: bool,
    /// Who this reader may answer as ("Meadowfield Lunch Club", "the council"), and whether
    /// for a group (which may keep its answer if the story goes).
    answer_as: Option<String>,
    answer_for_group: bool,
    answer_form: AnswerForm,
    changes_choice: Vec<(&'static str, &'static str)>,
    /// The teller's newest "Did things change?", in words, with theirs for who may see them.
    follow_up: Option<(&'static str, Option<String>)>,
    /// The teller, once an answer shows: the form.
    may_follow_up: bool,
    changed_choice: Vec<(&'static str, &'static str)>,
}

/// The forms a story's page may come back with.
#[derive(Default)]
struct Sent {
    decision: Option<DecisionForm>,
    answer: Option<AnswerForm>,
}

async fn story_page(
    state: &AppState,
    identity: Option<&Identity>,
    csrf: &CsrfToken,
    seen: StorySeen,
    notice: Option<&str>,
    errors: Errors,
    sent: Sent,
) -> Result<StoryPage, Error> {
    let form = sent.decision;
    let answers = stories::answers::answers(state, identity, &seen).await?;
    let (me_too, my_me_too) = stories::answers::me_too_count(state, identity, seen.row.id).await?;
    let answering = stories::answers::answering_as(state, identity, &seen).await?;
    let answer_for_group = matches!(answering, Some(AnswerAs::Group(_)));
    let answer_as = match answering {
        Some(AnswerAs::Group(g)) => Some(
            stories::group_names(state, &[g])
                .await?
                .pop()
                .map(|n| n.name)
                .unwrap_or_else(|| "your group".into()),
        ),
        Some(AnswerAs::Council) => Some("the council".into()),
        None => None,
    };
    let follow_up = stories::answers::latest_follow_up(state, identity, &seen)
        .await?
        .map(|(c, words)| (c.words(), words.filter(|w| !w.is_empty())));
    let may_follow_up = (seen.is_author || seen.is_told_for)
        && seen.row.state == StoryState::Published
        && answers.iter().any(|a| !a.row.held);
    let row = &seen.row;
    let steward = seen.marks.is_some();
    let marks = seen.marks.clone().unwrap_or_default();
    let spans: Vec<(usize, usize)> = marks.iter().map(|m| (m.start, m.end)).collect();
    let pieces = marked(&seen.body, &spans);
    // Only the marks the text shows (one overlapping another is not numbered).
    let mut shown_marks = Vec::new();
    let mut at = 0;
    for m in &marks {
        if m.start >= at && m.end > m.start {
            shown_marks.push((m.text.clone(), m.kind.words()));
            at = m.end;
        }
    }
    let changes = match (&row.edited_title, &row.edited_body) {
        (Some(t), Some(b))
            if (seen.is_author || seen.is_told_for) && row.state == StoryState::AwaitingAuthor =>
        {
            let (before, after) = side_by_side(&row.body, b);
            Some(Changes {
                unchanged: *t == row.title && *b == row.body,
                title_before: row.title.clone(),
                title_after: t.clone(),
                before,
                after,
                rules: row
                    .edit_rules
                    .split(',')
                    .filter_map(Rule::parse)
                    .map(Rule::words)
                    .collect(),
            })
        }
        _ => None,
    };
    let rules_ticked = form
        .as_ref()
        .map(|f| {
            f.rule_codes
                .iter()
                .filter_map(|c| Rule::parse(c))
                .map(Rule::code)
                .collect()
        })
        .unwrap_or_default();
    let decide = (steward && row.state == StoryState::Submitted).then(|| {
        form.unwrap_or_else(|| DecisionForm {
            title: seen.title.clone(),
            body: seen.body.clone(),
            ..Default::default()
        })
    });
    Ok(StoryPage {
        layout: Layout::new(state, identity, csrf, "/stories", seen.title.clone())
            .with_notice(notice),
        errors,
        id: row.id,
        title: seen.title.clone(),
        pieces,
        state: row.state,
        by: row.screen_name.clone(),
        told_by: row.told_by.words(),
        when: dates::month(row.happened_month.as_deref().unwrap_or_default()),
        published: row.published_at.map(dates::day_of).unwrap_or_default(),
        who_reads: match (row.audience, row.send_to_groups) {
            (Audience::Public, _) => "anyone".into(),
            (Audience::Hub, _) => "members of this hub".into(),
            (Audience::Private, false) => "only you and the stewards".into(),
            (Audience::Private, true) => {
                let names: Vec<String> = stories::group_names(state, &seen.groups)
                    .await?
                    .into_iter()
                    .map(|n| n.name)
                    .collect();
                format!(
                    "you, the stewards and the people who run {}",
                    village_domain::text::and_list(&names)
                )
            }
        },
        private: row.audience == Audience::Private,
        open_data: row.open_data,
        about: about_links(state, &seen.groups, &seen.offers).await?,
        themes: theme_names(state, &seen.themes),
        hub_themes: state
            .settings
            .stories
            .themes
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
        is_author: seen.is_author || seen.is_told_for,
        told_for_someone: row.told_for.is_some(),
        for_me: seen.is_told_for,
        may_approve: identity.is_some_and(|w| {
            village_domain::stories::story::agrees(row.author_id, row.told_for) == w.user.id
        }),
        steward,
        curate: steward && !seen.is_told_for && row.state == StoryState::Published,
        featured: row.featured_at.is_some() && row.state == StoryState::Published,
        reason: ((seen.is_author || seen.is_told_for)
            && row.state == StoryState::Withheld
            && !row.steward_reason.is_empty())
        .then(|| row.steward_reason.clone()),
        changes,
        marks: shown_marks,
        decide,
        decisions: Decision::ALL
            .iter()
            .map(|d| (d.code(), d.words()))
            .collect(),
        rules: Rule::ALL.iter().map(|r| (r.code(), r.words())).collect(),
        rules_ticked,
        answers: answers
            .into_iter()
            .map(|a| AnswerItem {
                id: a.row.id,
                by: a.by,
                body: a.row.body,
                change: a.row.change.code(),
                change_words: a.row.change.words(),
                held: a.row.held,
                when: dates::day_of(a.row.at),
            })
            .collect(),
        me_too,
        my_me_too,
        may_me_too: identity.is_some()
            && !seen.is_author
            && !seen.is_told_for
            && row.state == StoryState::Published
            && row.audience != Audience::Private,
        answer_as,
        answer_for_group,
        answer_form: sent.answer.unwrap_or_default(),
        changes_choice: Change::ALL.iter().map(|c| (c.code(), c.words())).collect(),
        follow_up,
        may_follow_up,
        changed_choice: Changed::ALL.iter().map(|c| (c.code(), c.words())).collect(),
    })
}

/// A form on the story's page had a problem: the page again, everything sent kept, each
/// problem beside its field.
async fn again(
    state: &AppState,
    identity: &Identity,
    csrf: &CsrfToken,
    (id, ip, t): (i64, &str, i64),
    e: Error,
    sent: Sent,
) -> PageResult {
    let errors = field_errors(e)?;
    let seen = stories::story(state, Some(identity), id, ip, t).await?;
    let page = story_page(state, Some(identity), csrf, seen, None, errors, sent).await?;
    Ok(pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub(crate) async fn view_story(
    State(state): State<AppState>,
    MaybeSignedIn(identity): MaybeSignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<DoneParams>,
) -> PageResult {
    let seen = stories::story(&state, identity.as_ref(), id, &ip, now()).await?;
    let notice = match q.done.as_deref() {
        Some("told") => Some("Thank you for telling your story. A steward will read it soon, and we will tell you when they have."),
        Some("approved") => Some("Thank you. Your story is published with the changes."),
        Some("answered") => Some("Your answer is published with the story, and its teller has been told."),
        Some("curated") => Some("Saved. Readers find it by what you chose."),
        Some("answer_held") => Some("Your answer names the person who told the story, so a steward will read it before it shows."),
        Some("me_too") => Some("Thank you for saying so. It helps show what happens to people here."),
        Some("released") => Some("The answer now shows, and the teller has been told."),
        Some("followed_up") => Some("Thank you for telling us. It helps everyone see what changes."),
        _ => None,
    };
    let page = story_page(
        &state,
        identity.as_ref(),
        &csrf,
        seen,
        notice,
        Errors::none(),
        Sent::default(),
    )
    .await?;
    Ok(pages::page(&page))
}

/// A steward's decision, from the story's page.
pub(crate) async fn view_moderate(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<DecisionForm>,
) -> PageResult {
    let body = ModerationBody {
        decision: f.decision.clone(),
        title: Some(f.title.clone()),
        body: Some(f.body.clone()),
        rule_codes: f.rule_codes.clone(),
        reason: Some(f.reason.clone()),
        themes: f.themes.clone(),
    };
    let t = now();
    match stories::moderate(&state, &identity, id, &body, &ip, t).await {
        Ok(_) => Ok(Redirect::to("/stories/review?done=decided").into_response()),
        Err(e) => {
            let sent = Sent {
                decision: Some(f),
                ..Sent::default()
            };
            again(&state, &identity, &csrf, (id, &ip, t), e, sent).await
        }
    }
}

/// What a steward sends about a published story: its themes, and whether it is a glimpse.
#[derive(Debug, Deserialize, Default)]
pub struct CurationForm {
    #[serde(default)]
    themes: Vec<String>,
    featured: Option<String>,
}

/// A steward's themes and glimpses, from the story's page.
pub(crate) async fn view_curate(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<CurationForm>,
) -> PageResult {
    let body = CurationBody {
        themes: f.themes,
        featured: f.featured.is_some(),
    };
    let t = now();
    match stories::curate(&state, &identity, id, &body, &ip, t).await {
        Ok(()) => Ok(Redirect::to(&format!("/stories/{id}?done=curated")).into_response()),
        Err(e) => again(&state, &identity, &csrf, (id, &ip, t), e, Sent::default()).await,
    }
}

/// The author agrees to a steward's changes: it is published as changed.
pub(crate) async fn view_approve(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    stories::approve(&state, &identity, id, now()).await?;
    Ok(Redirect::to(&format!("/stories/{id}?done=approved")).into_response())
}

/// Asked before a story is withdrawn: its words go for good.
pub(crate) async fn view_withdraw_confirm(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
) -> PageResult {
    let seen = stories::story(&state, Some(&identity), id, &ip, now()).await?;
    if !(seen.is_author || seen.is_told_for) {
        return Err(pages::PageError::NotFound);
    }
    Ok(pages::page(&pages::ConfirmPage {
        layout: Layout::new(
            &state,
            Some(&identity),
            &csrf,
            "/stories",
            format!("Withdraw \"{}\"?", seen.title),
        ),
        lines: vec![
            "Nobody will be able to read it any more, here or anywhere it was shared from this hub.".into(),
            "Its words will be deleted, and this cannot be undone.".into(),
            "You can tell a new story at any time.".into(),
        ],
        action: format!("/stories/{id}/withdraw"),
        yes: "Yes, withdraw my story".into(),
        no: "No, keep it".into(),
        back: format!("/stories/{id}"),
        reason_label: String::new(),
    }))
}

pub(crate) async fn view_withdraw(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    stories::withdraw(&state, &identity, id, now()).await?;
    Ok(Redirect::to("/stories/mine?done=withdrawn").into_response())
}

/// An organiser or council officer answers from the story's page.
pub(crate) async fn view_answer(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<AnswerForm>,
) -> PageResult {
    let body = AnswerBody {
        body: f.body.clone(),
        change: f.change.clone(),
        keep_if_story_goes: f.keep_if_story_goes.is_some(),
    };
    let t = now();
    match stories::answers::answer(&state, &identity, id, &body, &ip, t).await {
        Ok(a) => {
            let done = if a.row.held {
                "answer_held"
            } else {
                "answered"
            };
            Ok(Redirect::to(&format!("/stories/{id}?done={done}")).into_response())
        }
        Err(e) => {
            let sent = Sent {
                answer: Some(f),
                ..Sent::default()
            };
            again(&state, &identity, &csrf, (id, &ip, t), e, sent).await
        }
    }
}

/// A steward lets a held answer show.
pub(crate) async fn view_release_answer(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path((id, answer)): Path<(i64, i64)>,
) -> PageResult {
    stories::answers::release(&state, &identity, id, answer, now()).await?;
    Ok(Redirect::to(&format!("/stories/{id}?done=released")).into_response())
}

/// A reader says it happened to them too.
pub(crate) async fn view_me_too(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    Path(id): Path<i64>,
) -> PageResult {
    stories::answers::me_too(&state, &identity, id, now()).await?;
    Ok(Redirect::to(&format!("/stories/{id}?done=me_too")).into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct FollowUpForm {
    #[serde(default)]
    changed: String,
    #[serde(default)]
    words: String,
}

/// The teller says whether things changed.
pub(crate) async fn view_follow_up(
    State(state): State<AppState>,
    SignedIn(identity): SignedIn,
    ClientAddress(ip): ClientAddress,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    PageForm(f): PageForm<FollowUpForm>,
) -> PageResult {
    let body = FollowUpBody {
        changed: f.changed,
        words: Some(f.words),
    };
    let t = now();
    match stories::answers::follow_up(&state, &identity, id, &body, &ip, t).await {
        Ok(_) => Ok(Redirect::to(&format!("/stories/{id}?done=followed_up")).into_response()),
        // The answers given come back filled in by `refill`.
        Err(e) => again(&state, &identity, &csrf, (id, &ip, t), e, Sent::default()).await,
    }
}
