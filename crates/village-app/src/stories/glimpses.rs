//! After a story is published, a steward keeps it easy to find: changes its themes, and
//! features it on "Glimpses of the future", the hub's page celebrating what good support
//! looks like. Its teller (and the person it was told for) is told when it is featured.

use super::*;

/// A steward's choice for a published story.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CurationBody {
    /// The hub's themes it is about (codes from the hub's settings); the list replaces the
    /// one before.
    #[serde(default)]
    pub themes: Vec<String>,
    /// Show it on "Glimpses of the future". Only a story others may read (`hub` or `public`).
    #[serde(default)]
    pub featured: bool,
}

/// A steward sets a published story's themes and whether the hub features it. 403 for anyone
/// but a steward, 404 for no such story, 409 `not_allowed_now` before it is published,
/// `not_yours` for a story they told or that was told for them, 422 naming `themes`, or
/// `featured` for a story only some may read.
#[tracing::instrument(skip_all, fields(actor = who.user.id, id))]
pub async fn curate(
    state: &App,
    who: &Identity,
    id: i64,
    b: &CurationBody,
    ip: &str,
    t: i64,
) -> Result<()> {
    access::check(&who.actor(), Action::ModerateStories).map_err(|_| Error::Forbidden)?;
    let row = super::moderation::for_another_steward(state, who, id).await?;
    if row.state != State::Published {
        return conflict(
            ErrorCode::NotAllowedNow,
            "Themes and glimpses are for published stories.",
        );
    }
    let themes = super::moderation::hub_themes(state, &b.themes)?;
    if b.featured && row.audience == Audience::Private {
        return Err(field(
            "featured",
            ErrorCode::Invalid,
            "Only a story members or everyone may read can be a glimpse of the future.",
        ));
    }
    let mut tx = state.store.begin().await?;
    store::set_themes(&mut tx, id, &themes).await?;
    if !store::set_featured(&mut tx, id, b.featured, t).await? {
        return conflict(
            ErrorCode::NotAllowedNow,
            "This story has just been taken down.",
        );
    }
    record(
        &mut tx,
        Some(who.user.id),
        Some(row.author_id),
        AuditAction::StoryModerated,
        &format!(
            "story {id}: themes{}",
            if b.featured { ", featured" } else { "" }
        ),
        Some(ip),
        t,
    )
    .await?;
    if b.featured && row.featured_at.is_none() {
        let path = format!("/stories/{id}");
        let words = "Your story is now on the hub's \"Glimpses of the future\" page, with other stories of good support. Thank you for telling it.";
        notify(&mut tx, row.author_id, words, &path, t).await?;
        if let Some(p) = row.told_for {
            let words = "The story told for you is now on the hub's \"Glimpses of the future\" page, with other stories of good support.";
            notify(&mut tx, p, words, &path, t).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The published stories the hub features that this reader may see, newest featured first.
pub async fn glimpses(state: &App, who: Option<&Identity>) -> Result<Vec<StoryRow>> {
    let filter = store::Filter {
        featured: true,
        ..Default::default()
    };
    published(state, who, false, &filter).await
}
