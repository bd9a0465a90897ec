//! The community directory on the web: the Open Referral UK 3.0 API under `/oruk/`, and the
//! import and export the `village` command runs. Pages for searching and suggesting changes
//! come next (issue 3).

pub mod api;
pub mod editing;
pub mod hsds_csv;
pub mod import;
pub mod oruk;
pub mod pages;

use serde_json::json;
use village_domain::directory::taxonomy::{
    Access, GroupKind, ACCESS_TAXONOMY_ID, ACCESS_TAXONOMY_NAME, CATEGORIES, COMMUNITY_TAXONOMY_ID,
    COMMUNITY_TAXONOMY_NAME, GROUP_KIND_TAXONOMY_ID, GROUP_KIND_TAXONOMY_NAME,
    LIVED_EXPERIENCE_LED_TERM_ID, LIVED_EXPERIENCE_TAXONOMY_ID, LIVED_EXPERIENCE_TAXONOMY_NAME,
};
use village_store::directory as store;
use village_store::Store;

/// One taxonomy term of the Village profile, as ORUK JSON.
fn term(
    id: &str,
    code: &str,
    name: &str,
    description: &str,
    taxonomy_id: &str,
    taxonomy: &str,
) -> serde_json::Value {
    json!({
        "id": id,
        "code": code,
        "name": name,
        "description": description,
        "taxonomy_id": taxonomy_id,
        "taxonomy": taxonomy,
    })
}

/// Make sure the hub has Village's default taxonomy of community life and the Village profile's
/// taxonomies (access, kind of group, lived experience), as ORUK taxonomies and terms. Safe to
/// run at every start: it writes the same records each time.
pub async fn ensure_default_taxonomy(store_: &Store) -> Result<(), village_store::StoreError> {
    let mut tx = store_.begin().await?;
    let taxonomy = json!({
        "id": COMMUNITY_TAXONOMY_ID,
        "name": COMMUNITY_TAXONOMY_NAME,
        "description": "Categories of community life used by Village hubs: the kinds of things people come together to do.",
        "version": "1",
    });
    store::upsert_taxonomy(
        &mut tx,
        COMMUNITY_TAXONOMY_ID,
        COMMUNITY_TAXONOMY_NAME,
        &taxonomy.to_string(),
    )
    .await?;
    for c in CATEGORIES {
        let term = json!({
            "id": c.id,
            "code": c.code,
            "name": c.name,
            "description": c.description,
            "taxonomy_id": COMMUNITY_TAXONOMY_ID,
            "taxonomy": COMMUNITY_TAXONOMY_NAME,
        });
        store::upsert_taxonomy_term(
            &mut tx,
            c.id,
            Some(COMMUNITY_TAXONOMY_ID),
            None,
            c.name,
            &term.to_string(),
        )
        .await?;
    }
    let profile: [(&str, &str, &str); 3] = [
        (
            ACCESS_TAXONOMY_ID,
            ACCESS_TAXONOMY_NAME,
            "Access a place or activity has, beside its own description.",
        ),
        (
            GROUP_KIND_TAXONOMY_ID,
            GROUP_KIND_TAXONOMY_NAME,
            "What kind of group runs an offer, from informal groups to council services.",
        ),
        (
            LIVED_EXPERIENCE_TAXONOMY_ID,
            LIVED_EXPERIENCE_TAXONOMY_NAME,
            "Whether an offer is led by people with lived experience of what it is about.",
        ),
    ];
    for (id, name, description) in profile {
        let doc = json!({"id": id, "name": name, "description": description, "version": "1"});
        store::upsert_taxonomy(&mut tx, id, name, &doc.to_string()).await?;
    }
    for a in Access::ALL {
        let doc = term(
            a.term_id(),
            a.code(),
            a.label(),
            a.label(),
            ACCESS_TAXONOMY_ID,
            ACCESS_TAXONOMY_NAME,
        );
        store::upsert_taxonomy_term(
            &mut tx,
            a.term_id(),
            Some(ACCESS_TAXONOMY_ID),
            None,
            a.label(),
            &doc.to_string(),
        )
        .await?;
    }
    for k in GroupKind::ALL {
        let doc = term(
            k.term_id(),
            k.code(),
            k.label(),
            k.label(),
            GROUP_KIND_TAXONOMY_ID,
            GROUP_KIND_TAXONOMY_NAME,
        );
        store::upsert_taxonomy_term(
            &mut tx,
            k.term_id(),
            Some(GROUP_KIND_TAXONOMY_ID),
            None,
            k.label(),
            &doc.to_string(),
        )
        .await?;
    }
    let led = "Led by people with lived experience";
    let doc = term(
        LIVED_EXPERIENCE_LED_TERM_ID,
        "lived_experience_led",
        led,
        "Run by people who know what it is about from their own life.",
        LIVED_EXPERIENCE_TAXONOMY_ID,
        LIVED_EXPERIENCE_TAXONOMY_NAME,
    );
    store::upsert_taxonomy_term(
        &mut tx,
        LIVED_EXPERIENCE_LED_TERM_ID,
        Some(LIVED_EXPERIENCE_TAXONOMY_ID),
        None,
        led,
        &doc.to_string(),
    )
    .await?;
    tx.commit().await
}
