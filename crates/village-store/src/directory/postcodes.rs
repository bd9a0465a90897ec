//! Postcodes and where they are (the file an operator imports).

use super::*;

// ---- Postcodes --------------------------------------------------------------------------

/// Store postcode centroids (postcode in its usual form, district, latitude, longitude).
pub async fn upsert_postcodes(db: &mut impl Db, rows: &[(String, String, f64, f64)]) -> Result<()> {
    for (postcode, district, lat, lon) in rows {
        query!(db, c => sqlx::query(
            "INSERT INTO postcodes (postcode, district, lat, lon) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (postcode) DO UPDATE SET district = excluded.district, lat = excluded.lat, lon = excluded.lon",
        )
        .bind(postcode)
        .bind(district)
        .bind(*lat)
        .bind(*lon)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Where a postcode is: its own centroid, or for a district the middle of its postcodes.
pub async fn postcode_point(
    db: &mut impl Db,
    postcode: &village_domain::directory::geo::Postcode,
) -> Result<Option<LatLon>> {
    use village_domain::directory::geo::Postcode;
    let found: Option<(Option<f64>, Option<f64>)> = match postcode {
        Postcode::Full(p) => {
            query!(db, c => sqlx::query_as("SELECT lat, lon FROM postcodes WHERE postcode = $1")
            .bind(p)
            .fetch_optional(&mut *c)
            .await)?
        }
        Postcode::District(d) => {
            query!(db, c => sqlx::query_as("SELECT AVG(lat), AVG(lon) FROM postcodes WHERE district = $1")
            .bind(d)
            .fetch_optional(&mut *c)
            .await)?
        }
    };
    Ok(match found {
        Some((Some(lat), Some(lon))) => LatLon::new(lat, lon).ok(),
        _ => None,
    })
}
