//! A steward's decision about a story waiting to be read (publish, suggest changes, do not
//! publish, or a safeguarding matter), the author's approval of suggested changes, and
//! withdrawing; organisers of the groups it names are told when it is published.

use super::*;

/// What a steward decides.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ModerationBody {
    /// `publish`, `edit`, `withhold` or `safeguarding`.
    pub decision: String,
    /// For `edit`: the story as the steward suggests it (the title too, if changed).
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    /// For `edit`: why, from the published list (`identifies_someone`, `names_staff`,
    /// `offensive`, `commercial`, `too_long`, `not_own_experience`, `legal_risk`).
    #[serde(default)]
    pub rule_codes: Vec<String>,
    /// For `withhold` and `safeguarding`: why (the author is told, kindly).
    #[serde(default)]
    pub reason: Option<String>,
    /// The hub's themes it is about (codes from the hub's settings), for readers to find it by.
    #[serde(default)]
    pub themes: Vec<String>,
}

/// The hub's themes among `codes`, once each in the hub's order; 422 naming `themes` for any
/// other.
pub(super) fn hub_themes(state: &App, codes: &[String]) -> Result<Vec<String>> {
    village_domain::stories::themes::pick(&state.settings.stories.themes, codes).ok_or_else(|| {
        field(
            "themes",
            ErrorCode::Invalid,
            "Choose themes from the hub's list.",
        )
    })
}

/// A story a steward looks after: 404 when there is none, 409 `not_yours` for one they told
/// or that was told for them (another steward looks after those).
pub(super) async fn for_another_steward(state: &App, who: &Identity, id: i64) -> Result<StoryRow> {
    let mut c = state.store.conn().await?;
    let row = store::story(&mut c, id).await?.ok_or_else(not_found)?;
    if row.author_id == who.user.id || row.told_for == Some(who.user.id) {
        return conflict(
            ErrorCode::NotYours,
            "Another steward looks after the stories you tell, and those told for you.",
        );
    }
    Ok(row)
}

/// A steward decides about a story waiting to be read: publish it, suggest changes to its
/// author, withhold it, or hold it as a safeguarding matter (a concern goes to the leads
/// with the story). The author is told; the decision is audited.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn moderate(
    state: &App,
    who: &Identity,
    id: i64,
    b: &ModerationBody,
    ip: &str,
    t: i64,
) -> Result<State> {
    access::check(&who.actor(), Action::ModerateStories).map_err(|_| Error::Forbidden)?;
    let Some(decision) = Decision::parse(&b.decision) else {
        return Err(field(
            "decision",
            ErrorCode::Invalid,
            "Choose: publish it, suggest changes, do not publish it, or a safeguarding matter.",
        ));
    };
    let mut rule_list = Vec::new();
    for code in &b.rule_codes {
        match Rule::parse(code) {
            Some(r) => rule_list.push(r),
            None => {
                return Err(field(
                    "rule_codes",
                    ErrorCode::Invalid,
                    "Use the rules from the published list.",
                ))
            }
        }
    }
    let row = for_another_steward(state, who, id).await?;
    // A story told for someone waits for them to agree, even published as it is.
    let needs_agreement = row.told_for.is_some() && row.person_agreed_at.is_none();
    let to =
        rules::decide(row.state, decision, &rule_list, needs_agreement).map_err(
            |code| match code {
                ErrorCode::Missing => field(
                    "rule_codes",
                    ErrorCode::Missing,
                    "Say why you changed it: choose at least one rule.",
                ),
                code => Error::Conflict(code, "This story has already been decided.".into()),
            },
        )?;
    // Words changed with any other decision would be lost without the author knowing.
    let same =
        |sent: Option<&str>, was: &str| sent.is_none_or(|x| x.trim().replace("\r\n", "\n") == was);
    if decision != Decision::Edit
        && !(same(b.title.as_deref(), &row.title) && same(b.body.as_deref(), &row.body))
    {
        return Err(field(
            "decision",
            ErrorCode::Invalid,
            "You changed some words: choose \"Suggest changes to the author\" so they can agree to them, or put the words back.",
        ));
    }
    let reason = village_domain::text::check(
        "reason",
        b.reason.as_deref().unwrap_or(""),
        matches!(decision, Decision::Withhold | Decision::Safeguarding),
        2_000,
        "why, in words the author will read",
    )?;
    let (edit_title, edit_body) = if decision == Decision::Edit {
        let title = village_domain::text::check(
            "title",
            b.title.as_deref().unwrap_or(&row.title),
            true,
            TITLE_MAX,
            "a title",
        )?;
        let body = village_domain::text::check(
            "body",
            b.body.as_deref().unwrap_or(""),
            true,
            BODY_MAX,
            "the story as you suggest it",
        )?;
        if title == row.title && body == row.body {
            return Err(field(
                "body",
                ErrorCode::Invalid,
                "Nothing was changed: publish it as it is instead.",
            ));
        }
        (title, body)
    } else {
        (String::new(), String::new())
    };
    let themes = hub_themes(state, &b.themes)?;
    let rule_codes = rule_list
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(",");
    let decided = match decision {
        Decision::Publish if needs_agreement => Decided::Edit {
            title: &row.title,
            body: &row.body,
            rules: "",
        },
        Decision::Publish => Decided::Publish,
        Decision::Edit => Decided::Edit {
            title: &edit_title,
            body: &edit_body,
            rules: &rule_codes,
        },
        Decision::Withhold | Decision::Safeguarding => Decided::Withhold { reason: &reason },
    };
    let organisers = if to == State::Published {
        organisers_to_tell(state, id).await?
    } else {
        Vec::new()
    };
    let mut tx = state.store.begin().await?;
    if !store::decide(&mut tx, id, who.user.id, to, &decided, t).await? {
        return conflict(
            ErrorCode::NotAllowedNow,
            "This story has just been decided by another steward.",
        );
    }
    store::set_themes(&mut tx, id, &themes).await?;
    record(
        &mut tx,
        Some(who.user.id),
        Some(row.author_id),
        AuditAction::StoryModerated,
        &format!("story {id}: {}", decision.code()),
        Some(ip),
        t,
    )
    .await?;
    let person = row.told_for_name.clone().unwrap_or_default();
    let words = match decision {
        Decision::Publish if needs_agreement => format!("A steward read the story you told for {person}. It is published once they agree."),
        Decision::Publish => "Your story has been published. Thank you for telling it.".to_string(),
        Decision::Edit => "A steward suggested some changes to your story. Have a look: it is published only if you agree.".to_string(),
        Decision::Withhold => format!("Thank you for telling your story. It has not been published, because: {reason}"),
        Decision::Safeguarding => "Thank you for telling your story. It has not been published: what you wrote made us want to check you, or someone else, are safe. If anyone is in danger now, call 999. Someone from the hub may get in touch.".to_string(),
    };
    notify(&mut tx, row.author_id, &words, &format!("/stories/{id}"), t).await?;
    if let Some(p) = row.told_for {
        let for_them = match (to, decision) {
            (State::AwaitingAuthor, _) => {
                "A story told for you is ready. Read it and say whether it may be published."
                    .to_string()
            }
            (_, Decision::Withhold) => format!("The story told for you has not been published, because: {reason}"),
            (_, Decision::Safeguarding) => "The story told for you has not been published: what it says made us want to check you are safe. If anyone is in danger now, call 999. Someone from the hub may get in touch.".to_string(),
            _ => "The story told for you has been published.".to_string(),
        };
        notify(&mut tx, p, &for_them, &format!("/stories/{id}"), t).await?;
    }
    tell_organisers(&mut tx, &organisers, &row, t).await?;
    tx.commit().await?;
    if decision == Decision::Safeguarding {
        // The story goes with the concern, within what a concern holds (10,000 characters).
        let story: String = row.body.chars().take(CONCERN_STORY_MAX).collect();
        let cut = if story.chars().count() < row.body.chars().count() {
            " …"
        } else {
            ""
        };
        let body = crate::safeguarding::ConcernBody {
            about_person_id: Some(row.told_for.unwrap_or(row.author_id)),
            what: format!(
                "A steward held a story as a safeguarding matter ({reason}).\n\nThe story, \"{}\":\n\n{story}{cut}",
                row.title
            ),
            ..Default::default()
        };
        crate::safeguarding::raise(
            state,
            crate::safeguarding::Raiser::Member(who),
            &body,
            ip,
            t,
        )
        .await?;
    }
    Ok(to)
}

/// The author approves the changes a steward suggested: it is published as changed.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn approve(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    let organisers = organisers_to_tell(state, id).await?;
    let mut tx = state.store.begin().await?;
    let row = store::story(&mut tx, id).await?.ok_or_else(not_found)?;
    if rules::agrees(row.author_id, row.told_for) != who.user.id {
        if row.author_id == who.user.id {
            return conflict(
                ErrorCode::NeedsPersonsAgreement,
                "It is published only when the person you told it for agrees.",
            );
        }
        return Err(not_found());
    }
    rules::approve(row.state).map_err(|code| {
        Error::Conflict(
            code,
            "There are no changes waiting for you to approve.".into(),
        )
    })?;
    if !store::approve(&mut tx, id, t).await? {
        return conflict(ErrorCode::NotAllowedNow, "This story has just changed.");
    }
    if row.told_for.is_some() {
        let person = row.told_for_name.clone().unwrap_or_default();
        notify(
            &mut tx,
            row.author_id,
            &format!("{person} agreed: the story you told for them is published."),
            &format!("/stories/{id}"),
            t,
        )
        .await?;
    }
    tell_organisers(&mut tx, &organisers, &row, t).await?;
    tx.commit().await?;
    Ok(())
}

/// The author (or the person it was told for) withdraws it, at any time: its words go,
/// and it is gone from every page, the API and the feed on the next request.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn withdraw(state: &App, who: &Identity, id: i64, t: i64) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let row = store::story(&mut tx, id).await?.ok_or_else(not_found)?;
    if row.author_id != who.user.id && row.told_for != Some(who.user.id) {
        return Err(not_found());
    }
    rules::withdraw(row.state)
        .map_err(|code| Error::Conflict(code, "This story is already withdrawn.".into()))?;
    if !store::withdraw(&mut tx, id, t).await? {
        return conflict(ErrorCode::NotAllowedNow, "This story is already withdrawn.");
    }
    tx.commit().await?;
    if let Err(e) = village_store::people::scrub(&state.store).await {
        tracing::warn!(error = %e, "could not clear freed space after a story was withdrawn");
    }
    Ok(())
}

/// The organisers of the groups a story names, each with the group's name, to tell them
/// when it is published (they may answer it).
async fn organisers_to_tell(state: &App, id: i64) -> Result<Vec<(i64, String)>> {
    let mut c = state.store.conn().await?;
    let (groups, _) = store::about(&mut c, id).await?;
    let mut out = Vec::new();
    for g in groups {
        let Some(name) = crate::safeguarding::group_name(state, &g).await? else {
            continue;
        };
        for user in village_store::directory::organisers_of(&mut c, &g).await? {
            out.push((user, name.clone()));
        }
    }
    Ok(out)
}

/// Tell each organiser a story about their group was published, or sent to them privately
/// (a private story not sent to them: nobody is told).
async fn tell_organisers(
    db: &mut impl village_store::Db,
    organisers: &[(i64, String)],
    row: &StoryRow,
    t: i64,
) -> Result<()> {
    let private = row.audience == Audience::Private;
    if private && !row.send_to_groups {
        return Ok(());
    }
    let (author_id, id) = (row.author_id, row.id);
    let mut told = Vec::new();
    for (user, group) in organisers.iter().filter(|(u, _)| *u != author_id) {
        if told.contains(user) {
            continue;
        }
        told.push(*user);
        let words = if private {
            format!("A story about {group} was sent to you privately. Only you, its teller and the hub's stewards can read it. You can answer it.")
        } else {
            format!("A story about {group} was published. You can answer it in public.")
        };
        notify(db, *user, &words, &format!("/stories/{id}"), t).await?;
    }
    Ok(())
}
