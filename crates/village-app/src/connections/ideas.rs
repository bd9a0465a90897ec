//! "Ideas for you": offers suggested from a person's profile and the directory, explained,
//! kept until something they depend on changes, and marked saved or not for me.

use super::{Error, Result};
use crate::accounts::Identity;
use crate::people::view_profile;
use crate::App;
use village_domain::access::people::Relationship;
use village_domain::accounts::FieldError;
use village_domain::connections::matching::{
    by_bound, evaluate, term_bits, Details, Seeker, Suggestion, TopK, DEFAULT_REACH_KM,
};
use village_domain::directory::geo::Postcode;
use village_domain::directory::oruk::{match_details, read_service, MatchDetails, ServiceIndex};
use village_domain::directory::taxonomy::category_by_id;
use village_domain::error::ErrorCode;
use village_domain::people::{Section, Visibility};
use village_store::connections::{self as store, CandidateQuery};
use village_store::{directory as dir_store, people as people_store, Db, StoreError};

/// With no home area, suggestions read the whole directory only up to this many places.
const WITHOUT_HOME_AT_MOST: i64 = 5_000;
/// Candidates near someone are read up to this many places (a whole dense city).
const NEAR_AT_MOST: i64 = 400_000;
/// Records are read in batches of this many, best bound first.
const BATCH: usize = 40;

/// One suggestion with what a page needs to show it.
#[derive(Debug, Clone)]
pub struct Idea {
    pub suggestion: Suggestion,
    pub name: String,
    pub organization_name: Option<String>,
    pub saved: bool,
}

/// A person's suggestions.
#[derive(Debug, Clone, Default)]
pub struct Ideas {
    pub ideas: Vec<Idea>,
    /// The directory is too big to suggest from without knowing roughly where they live.
    pub needs_home: bool,
    /// They gave a home area, but it is not a postcode this hub knows.
    pub home_unknown: bool,
    /// The profile says nothing to suggest from (no interests, words, home area, free times,
    /// access needs or communities): the page asks for a few answers instead of guessing.
    pub needs_profile: bool,
    /// Offers they saved, by id and name (some may no longer be listed).
    pub saved: Vec<(String, String)>,
    pub dismissed: Vec<(String, String, String)>,
    pub person_name: String,
}

/// Suggestions for `person_id` as `viewer` may build them: from the whole profile for the
/// person themself; for a connector they chose, only from what they shared with connectors
/// (the look is audited). Anyone else: not found.
#[tracing::instrument(level = "debug", skip_all, fields(actor = viewer.user.id, person_id))]
pub async fn ideas(
    state: &App,
    viewer: &Identity,
    person_id: i64,
    ip: &str,
    t: i64,
    limit: usize,
) -> Result<Ideas> {
    let own = viewer.user.id == person_id;
    if !own {
        let mut c = state.store.conn().await?;
        if people_store::as_connector(&mut c, person_id, viewer.user.id).await?
            != Relationship::Connector
        {
            return Err(Error::NotFound("person, offer or introduction"));
        }
    }
    let Some(profile) = view_profile(state, Some(viewer), person_id, ip, t).await? else {
        return Err(Error::NotFound("person, offer or introduction"));
    };
    let shared_with_connectors = |v: Visibility| v >= Visibility::Connectors;
    let sections: Vec<(Section, village_domain::people::profile::Content)> = profile
        .sections
        .iter()
        .filter(|s| own || shared_with_connectors(s.visibility))
        .map(|s| (s.section, s.content.clone()))
        .collect();
    let mut c = state.store.conn().await?;
    let mut out = Ideas {
        person_name: profile.display_name.clone(),
        ..Ideas::default()
    };
    let postcode = sections
        .iter()
        .find(|(s, _)| *s == Section::Travel)
        .and_then(|(_, c)| c.postcode.clone());
    let home = match postcode.as_deref().map(Postcode::parse) {
        Some(Ok(p)) => {
            // A full postcode the hub does not know yet still has a known district.
            let mut point = dir_store::postcode_point(&mut c, &p).await?;
            if point.is_none() {
                if let Ok(district) = Postcode::parse(p.district()) {
                    point = dir_store::postcode_point(&mut c, &district).await?;
                }
            }
            out.home_unknown = point.is_none();
            point
        }
        Some(Err(_)) => {
            out.home_unknown = true;
            None
        }
        None => None,
    };
    let preferences = store::preferences(&mut c, person_id).await?;
    let this_year = chrono::DateTime::from_timestamp(t, 0)
        .map(|d| chrono::Datelike::year(&d))
        .unwrap_or(2026);
    let mut seeker = Seeker::from_profile(&sections, home, this_year, preferences);
    seeker.unit = state.settings.hub.distances;
    let marks = store::marks(&mut c, person_id).await?;
    seeker.dismissed_categories = store::dismissed_terms(&mut c, person_id)
        .await?
        .into_iter()
        .filter(|t| category_by_id(t).is_some())
        .collect();
    let saved: Vec<&str> = marks
        .iter()
        .filter(|m| m.mark == "saved")
        .map(|m| m.service_id.as_str())
        .collect();
    let dismissed: Vec<&str> = marks
        .iter()
        .filter(|m| m.mark == "dismissed")
        .map(|m| m.service_id.as_str())
        .collect();
    let query = CandidateQuery {
        near: home.map(|h| (h, seeker.max_km.unwrap_or(DEFAULT_REACH_KM))),
        essential_bits: term_bits(
            &seeker
                .essential
                .iter()
                .map(|a| a.term_id().to_string())
                .collect::<Vec<_>>(),
        ),
        ages: seeker.ages,
        free_hours: seeker.free_hours(),
        limit: if home.is_some() {
            NEAR_AT_MOST
        } else {
            WITHOUT_HOME_AT_MOST
        },
    };
    let weights = &state.settings.matching;
    // Worked out again only when something it depends on has changed: what the viewer may
    // see of the person (the seeker), their dismissed offers, the weights, how many, and the
    // directory's generation (moved on by every change to an offer).
    let scope = if own { "own" } else { "connectors" };
    let (generation, kept) = store::cached_ideas(&mut c, person_id, scope).await?;
    let key = {
        use sha2::Digest;
        let basis = format!(
            "{seeker:?}|{dismissed:?}|{weights:?}|{limit}|{query:?}|{generation}|{CACHE_FORMAT}"
        );
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            sha2::Sha256::digest(basis.as_bytes()),
        )
    };
    let kept = kept.filter(|_| state.settings.suggestions.keep);
    // Nothing to go on: any "idea" would be a guess (a bereavement café for someone who has
    // said nothing), so none are made until the person says a little about themselves.
    out.needs_profile = seeker.interests.is_empty()
        && seeker.keywords.is_empty()
        && seeker.home.is_none()
        && seeker.free_times.is_empty()
        && seeker.needs.is_empty()
        && seeker.communities.is_empty();
    let worked_out = if out.needs_profile {
        WorkedOut::default()
    } else {
        match kept.and_then(|(k, ideas)| {
            (k == key)
                .then(|| serde_json::from_str::<WorkedOut>(&ideas).ok())
                .flatten()
        }) {
            Some(w) => w,
            None => {
                let kept_places = Some((&*state.kept_places, generation));
                let w = work_out(
                    &mut c,
                    &seeker,
                    &query,
                    kept_places,
                    &dismissed,
                    weights,
                    limit,
                )
                .await?;
                // Keeping them is only a saving: if it fails, the person still gets their ideas.
                let text = state
                    .settings
                    .suggestions
                    .keep
                    .then(|| serde_json::to_string(&w).ok())
                    .flatten();
                if let Some(text) = text {
                    if let Err(e) =
                        store::keep_ideas(&mut c, person_id, scope, &key, &text, t).await
                    {
                        tracing::warn!(error = %e, "could not keep the suggestions worked out");
                    }
                }
                w
            }
        }
    };
    out.needs_home = worked_out.needs_home;
    for k in worked_out.ideas {
        out.ideas.push(Idea {
            saved: saved.contains(&k.offer_id.as_str()),
            suggestion: Suggestion {
                offer_id: k.offer_id,
                score: k.score,
                reasons: k.reasons,
                distance_km: k.distance_km,
            },
            name: k.name,
            organization_name: k.organization_name,
        });
    }
    let names = names_of(
        &mut c,
        &marks
            .iter()
            .map(|m| m.service_id.as_str())
            .collect::<Vec<_>>(),
    )
    .await?;
    for m in &marks {
        let name = names
            .get(&m.service_id)
            .cloned()
            .unwrap_or_else(|| "An offer no longer listed".to_string());
        if m.mark == "saved" {
            out.saved.push((m.service_id.clone(), name));
        } else {
            out.dismissed
                .push((m.service_id.clone(), name, m.reason.clone()));
        }
    }
    Ok(out)
}

/// Bumped when what is kept changes shape, so older entries are worked out again.
const CACHE_FORMAT: u32 = 1;

/// Suggestions as worked out, and kept (see `village_store::connections::cached_ideas`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct WorkedOut {
    needs_home: bool,
    ideas: Vec<KeptIdea>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct KeptIdea {
    offer_id: String,
    score: f64,
    reasons: Vec<String>,
    distance_km: Option<f64>,
    name: String,
    organization_name: Option<String>,
}

/// Match the person against the directory: the candidates near them judged from their facts,
/// then records read best bound first until no bound left can reach the list.
async fn work_out(
    c: &mut village_store::Conn,
    seeker: &Seeker,
    query: &CandidateQuery,
    kept_places: Option<(&store::KeptPlaces, i64)>,
    dismissed: &[&str],
    weights: &village_domain::connections::matching::Weights,
    limit: usize,
) -> Result<WorkedOut> {
    let timer = std::time::Instant::now();
    let mut candidates = store::candidates(c, query, kept_places).await?;
    let candidates_read = timer.elapsed();
    let mut needs_home = false;
    if query.near.is_none() && candidates.len() as i64 > WITHOUT_HOME_AT_MOST {
        needs_home = true;
        candidates.clear();
    }
    candidates.retain(|(id, _)| !dismissed.contains(&id.as_str()));
    let order = by_bound(seeker, &candidates, weights);
    let facts: std::collections::HashMap<&str, &village_domain::connections::matching::Facts> =
        candidates.iter().map(|(id, f)| (id.as_str(), f)).collect();
    let mut top = TopK::new(limit);
    let mut read: std::collections::HashMap<String, MatchDetails> =
        std::collections::HashMap::new();
    let bounded = timer.elapsed();
    let mut records = 0usize;
    for chunk in order.chunks(BATCH) {
        if chunk.first().is_some_and(|(_, bound)| top.settled(*bound)) {
            break;
        }
        let ids: Vec<&str> = chunk.iter().map(|(id, _)| *id).collect();
        for (id, doc) in dir_store::service_docs(c, &ids).await? {
            records += 1;
            let Some(details) = details(&doc) else {
                continue;
            };
            let Some(f) = facts.get(id.as_str()) else {
                continue;
            };
            if let Some(s) = evaluate(seeker, &id, f, Some(Details::of_record(&details)), weights) {
                top.push(s);
                read.insert(id, details);
            }
        }
    }
    tracing::debug!(
        candidates = candidates.len(),
        records,
        candidates_ms = candidates_read.as_secs_f64() * 1000.0,
        bounds_ms = (bounded - candidates_read).as_secs_f64() * 1000.0,
        records_ms = (timer.elapsed() - bounded).as_secs_f64() * 1000.0,
        "suggestions worked out"
    );
    Ok(WorkedOut {
        needs_home,
        ideas: top
            .into_vec()
            .into_iter()
            .map(|s| {
                let (name, organization_name) = read
                    .get(&s.offer_id)
                    .map(|i| (i.name.clone(), i.organization_name.clone()))
                    .unwrap_or_default();
                KeptIdea {
                    offer_id: s.offer_id,
                    score: s.score,
                    reasons: s.reasons,
                    distance_km: s.distance_km,
                    name,
                    organization_name,
                }
            })
            .collect(),
    })
}

/// A stored record read whole.
pub fn parse(doc: &str) -> Option<ServiceIndex> {
    let value: serde_json::Value = serde_json::from_str(doc).ok()?;
    read_service(&value).ok().map(|(i, _)| i)
}

/// What matching explains from a stored record: read quickly, or whole when the quick
/// reader cannot.
pub fn details(doc: &str) -> Option<MatchDetails> {
    match_details(doc).or_else(|| parse(doc).map(Into::into))
}

async fn names_of(
    db: &mut impl Db,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, String>, StoreError> {
    Ok(dir_store::service_docs(db, ids)
        .await?
        .into_iter()
        .filter_map(|(id, doc)| details(&doc).map(|d| (id, d.name)))
        .collect())
}

/// Save an offer, dismiss it (with an optional reason), or undo either (`mark` = `clear`).
#[tracing::instrument(skip_all, fields(actor = who.user.id))]
pub async fn mark(
    state: &App,
    who: &Identity,
    offer_id: &str,
    mark: &str,
    reason: &str,
    t: i64,
) -> Result<()> {
    let reason = reason.trim();
    if reason.chars().count() > 500 {
        return Err(FieldError::new(
            "reason",
            ErrorCode::TooLong,
            "Please keep the reason under 500 characters.",
        )
        .into());
    }
    let mut c = state.store.conn().await?;
    match mark {
        "saved" | "dismissed" => {
            if dir_store::service_doc(&mut c, offer_id, true)
                .await?
                .is_none()
            {
                return Err(Error::NotFound("person, offer or introduction"));
            }
            store::set_mark(&mut c, who.user.id, offer_id, mark, reason, t).await?;
        }
        "clear" => {
            store::clear_mark(&mut c, who.user.id, offer_id).await?;
        }
        _ => {
            return Err(FieldError::new(
                "mark",
                ErrorCode::MarkInvalid,
                "Choose saved, dismissed or clear.",
            )
            .into())
        }
    }
    Ok(())
}
