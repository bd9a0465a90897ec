//! `village import postcodes`: the ONS Postcode Directory's centroids.

use super::text::{csv_problem, Lines};
use super::{ImportReport, Reported};
use std::path::Path;
use village_store::directory as store;
use village_store::Store;

/// Import postcode centroids from a CSV with the ONS Postcode Directory's `pcds`, `lat` and
/// `long` columns (others are ignored). Postcodes the ONS has no location for (latitude
/// 99.999999) are skipped with a warning. Like the ORUK import: one bad line means nothing is
/// written, unless `skip_invalid`.
#[tracing::instrument(skip_all)]
pub async fn import_postcodes(
    store_: &Store,
    path: &Path,
    skip_invalid: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<ImportReport> {
    use village_domain::directory::geo::{LatLon, Postcode};
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("{shown} cannot be read: {e}"))?;
    let lines = Lines::of(&bytes);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => anyhow::bail!("{}", csv_problem(&shown, &e, &lines)),
    };
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(pc), Some(lat_i), Some(lon_i)) = (column("pcds"), column("lat"), column("long"))
    else {
        anyhow::bail!("{shown}: the first line must name the columns pcds, lat and long");
    };
    let mut report = ImportReport {
        files: 1,
        ..Default::default()
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let line = match &record {
            Ok(r) => r.position().map_or(0, |p| lines.at(p.byte())),
            Err(_) => 0,
        };
        let at = |message: String| Reported {
            file: shown.clone(),
            path: format!("line {line}"),
            message,
        };
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                report.refused.push(csv_problem(&shown, &e, &lines));
                continue;
            }
        };
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        let postcode = match Postcode::parse(&field(pc)) {
            Ok(Postcode::Full(p)) => p,
            _ => {
                report
                    .refused
                    .push(at(format!("pcds {:?} is not a full postcode", field(pc))));
                continue;
            }
        };
        let (Ok(lat), Ok(lon)) = (field(lat_i).parse::<f64>(), field(lon_i).parse::<f64>()) else {
            report.refused.push(at(format!(
                "lat and long must be numbers, not {:?} and {:?}",
                field(lat_i),
                field(lon_i)
            )));
            continue;
        };
        if (lat - 99.999999).abs() < 1e-6 {
            report.warnings.push(at(format!(
                "{postcode} has no location in the ONS data: skipped"
            )));
            continue;
        }
        if LatLon::new(lat, lon).is_err() {
            report
                .refused
                .push(at(format!("({lat}, {lon}) is not a place on Earth")));
            continue;
        }
        let district = postcode.split(' ').next().unwrap_or(&postcode).to_string();
        rows.push((postcode, district, lat, lon));
    }
    if !report.refused.is_empty() && !skip_invalid {
        return Ok(report);
    }
    let total = rows.len() as u64;
    let mut tx = store_.begin().await?;
    for (done, chunk) in rows.chunks(1000).enumerate() {
        store::upsert_postcodes(&mut tx, chunk).await?;
        progress(((done * 1000) + chunk.len()) as u64, total);
    }
    tx.commit().await?;
    report.imported = rows.len();
    report.written = true;
    Ok(report)
}
