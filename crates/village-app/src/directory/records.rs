//! Reading the directory's published records as stored: one offer (ORUK service), one
//! service at a location, a group's offers, the taxonomies and their terms, and where a
//! postcode is. Public: anyone may read what is published.

use crate::error::{Error, Result};
use crate::App;
use village_domain::directory::geo::{LatLon, Postcode};
use village_store::directory as store;

/// A published offer's whole ORUK record, as stored.
pub async fn service(state: &App, id: &str) -> Result<String> {
    let mut c = state.store.conn().await?;
    store::service_doc(&mut c, id, true)
        .await?
        .ok_or(Error::NotFound("service with that id"))
}

/// The published offer with this service-at-location, as stored.
pub async fn service_by_location(state: &App, id: &str) -> Result<String> {
    let mut c = state.store.conn().await?;
    store::service_doc_by_location(&mut c, id)
        .await?
        .ok_or(Error::NotFound("service at location with that id"))
}

/// The published offers of one group: (id, record as stored).
pub async fn offers_of_group(state: &App, id: &str) -> Result<Vec<(String, String)>> {
    let mut c = state.store.conn().await?;
    Ok(store::services_of_organization(&mut c, id).await?)
}

/// Whether this member is one of the group's organisers (a steward approved their request).
pub async fn is_organiser(state: &App, group_id: &str, user_id: i64) -> Result<bool> {
    let mut c = state.store.conn().await?;
    Ok(store::is_organiser(&mut c, group_id, user_id).await?)
}

/// One page of the taxonomies, and how many there are.
pub async fn taxonomies(state: &App, limit: i64, offset: i64) -> Result<(Vec<String>, i64)> {
    let mut c = state.store.conn().await?;
    Ok(store::list_taxonomies(&mut c, limit, offset).await?)
}

/// One taxonomy's record.
pub async fn taxonomy(state: &App, id: &str) -> Result<String> {
    let mut c = state.store.conn().await?;
    store::taxonomy_doc(&mut c, id)
        .await?
        .ok_or(Error::NotFound("taxonomy with that id"))
}

/// One page of taxonomy terms (of one taxonomy, if given), and how many there are.
pub async fn taxonomy_terms(
    state: &App,
    taxonomy_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<String>, i64)> {
    let mut c = state.store.conn().await?;
    Ok(store::list_taxonomy_terms(&mut c, taxonomy_id, limit, offset).await?)
}

/// One taxonomy term's record.
pub async fn taxonomy_term(state: &App, id: &str) -> Result<String> {
    let mut c = state.store.conn().await?;
    store::taxonomy_term_doc(&mut c, id)
        .await?
        .ok_or(Error::NotFound("taxonomy term with that id"))
}

/// Where a postcode is, if the hub knows it (the postcodes file an operator imported).
pub async fn postcode_point(state: &App, postcode: &Postcode) -> Result<Option<LatLon>> {
    let mut c = state.store.conn().await?;
    Ok(store::postcode_point(&mut c, postcode).await?)
}
