//! The community directory on the web: the Open Referral UK 3.0 API under `/oruk/`, and the
//! import and export the `village` command runs. Pages for searching and suggesting changes
//! come next (issue 3).

pub mod import;
pub mod oruk;
pub mod pages;

use serde_json::json;
use village_domain::directory::taxonomy::{
    CATEGORIES, COMMUNITY_TAXONOMY_ID, COMMUNITY_TAXONOMY_NAME,
};
use village_store::directory as store;
use village_store::Store;

/// Make sure the hub has Village's default taxonomy of community life, as ORUK taxonomy and
/// taxonomy terms. Safe to run at every start: it writes the same records each time.
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
    tx.commit().await
}
