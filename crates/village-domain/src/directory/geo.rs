//! Places: UK postcodes, coordinates, distances, and the bounding box used to narrow a
//! distance search in SQL before the exact distance is worked out here.

use serde::Serialize;
use std::fmt;

/// A UK postcode, either whole ("SW1A 1AA") or just its district ("SW1A"), as people type
/// them: any case, with or without the space.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Postcode {
    Full(String),
    District(String),
}

impl Postcode {
    /// ```
    /// use village_domain::directory::geo::Postcode;
    /// assert_eq!(Postcode::parse("sw1a1aa").map(|p| p.to_string()), Ok("SW1A 1AA".to_string()));
    /// assert_eq!(Postcode::parse(" m1 ").map(|p| p.to_string()), Ok("M1".to_string()));
    /// assert!(Postcode::parse("not a postcode").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if compact.is_empty() {
            return Err("Enter a postcode, like M1 1AE, or the first part, like M1");
        }
        if is_outward(&compact) {
            return Ok(Postcode::District(compact));
        }
        if compact.len() >= 5 && compact.is_char_boundary(compact.len() - 3) {
            let (outward, inward) = compact.split_at(compact.len() - 3);
            if is_outward(outward) && is_inward(inward) {
                return Ok(Postcode::Full(format!("{outward} {inward}")));
            }
        }
        Err("Enter a real postcode, like M1 1AE, or the first part, like M1")
    }

    /// The district ("SW1A" of "SW1A 1AA").
    pub fn district(&self) -> &str {
        match self {
            Postcode::Full(p) => p.split(' ').next().unwrap_or(p),
            Postcode::District(d) => d,
        }
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Postcode::Full(p) | Postcode::District(p) => f.write_str(p),
        }
    }
}

/// The first half of a postcode: A9, A99, AA9, AA99, A9A or AA9A.
fn is_outward(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    let a = |i: usize| c.get(i).is_some_and(|ch| ch.is_ascii_uppercase());
    let d = |i: usize| c.get(i).is_some_and(|ch| ch.is_ascii_digit());
    match c.len() {
        2 => a(0) && d(1),
        3 => (a(0) && d(1) && (d(2) || a(2))) || (a(0) && a(1) && d(2)),
        4 => a(0) && a(1) && d(2) && (d(3) || a(3)),
        _ => false,
    }
}

/// The second half: 9AA.
fn is_inward(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    c.len() == 3 && c[0].is_ascii_digit() && c[1].is_ascii_uppercase() && c[2].is_ascii_uppercase()
}

/// A point on the Earth, in degrees. Only real coordinates can be made.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatLon {
    lat: f64,
    lon: f64,
}

impl LatLon {
    pub fn new(lat: f64, lon: f64) -> Result<Self, &'static str> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err("latitude must be between -90 and 90");
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err("longitude must be between -180 and 180");
        }
        Ok(Self { lat, lon })
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lon(self) -> f64 {
        self.lon
    }
}

const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The great-circle distance in kilometres (haversine).
pub fn distance_km(a: LatLon, b: LatLon) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// The box of latitudes and longitudes that holds every point within `km` of `centre`: a
/// cheap first filter an index can answer, before the exact distance. Also a map's visible
/// area ([`BoundingBox::parse`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

impl BoundingBox {
    pub fn around(centre: LatLon, km: f64) -> Self {
        let km = km.max(0.0);
        let dlat = (km / EARTH_RADIUS_KM).to_degrees();
        let min_lat = (centre.lat - dlat).max(-90.0);
        let max_lat = (centre.lat + dlat).min(90.0);
        // Longitude degrees shrink towards the poles; near a pole, take every longitude.
        let widest = min_lat.abs().max(max_lat.abs());
        let (min_lon, max_lon) = if widest >= 89.0 {
            (-180.0, 180.0)
        } else {
            let dlon = dlat / widest.to_radians().cos();
            (
                (centre.lon - dlon).max(-180.0),
                (centre.lon + dlon).min(180.0),
            )
        };
        Self {
            min_lat,
            max_lat,
            min_lon,
            max_lon,
        }
    }

    /// A box as `south,west,north,east` in degrees (a map's visible area), or words naming
    /// what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let numbers: Vec<f64> = parts
            .iter()
            .filter_map(|p| p.parse::<f64>().ok().filter(|n| n.is_finite()))
            .collect();
        let [south, west, north, east] = numbers[..] else {
            return Err(format!(
                "a box is four numbers, south,west,north,east, like 52.94,-1.17,52.97,-1.13, not {text:?}"
            ));
        };
        if parts.len() != 4 {
            return Err(format!(
                "a box is four numbers, south,west,north,east, like 52.94,-1.17,52.97,-1.13, not {text:?}"
            ));
        }
        LatLon::new(south, west).map_err(str::to_string)?;
        LatLon::new(north, east).map_err(str::to_string)?;
        if south > north {
            return Err(format!(
                "the box's south ({south}) is north of its north ({north})"
            ));
        }
        if west > east {
            return Err(format!(
                "the box's west ({west}) is east of its east ({east}): a box across the 180th meridian is two boxes"
            ));
        }
        Ok(Self {
            min_lat: south,
            max_lat: north,
            min_lon: west,
            max_lon: east,
        })
    }

    pub fn contains(&self, p: LatLon) -> bool {
        (self.min_lat..=self.max_lat).contains(&p.lat)
            && (self.min_lon..=self.max_lon).contains(&p.lon)
    }

    /// The grid cells ([`cell`]) that cover the box, as ranges of cell numbers: one range per
    /// row of cells, or one band of whole rows when the box is very tall.
    pub fn cell_ranges(&self) -> Vec<(i64, i64)> {
        Grid::COARSE.box_ranges(self)
    }
}

/// One row of grid cells that a circle reaches: the cells (a range of [`cell`] numbers) and
/// the latitudes and longitudes of the circle within the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CircleRow {
    pub cells: (i64, i64),
    pub within: BoundingBox,
}

/// The rows of cells holding every point within `km` of `centre`, each only as wide as the
/// circle is in that row (a box's corners hold a fifth of its area and no point in reach).
/// `None` when the circle is very tall or reaches near a pole: use the box then.
pub fn circle_rows(centre: LatLon, km: f64) -> Option<Vec<CircleRow>> {
    Grid::COARSE.circle_rows(centre, km)
}

/// A grid of cells a fixed fraction of a degree square, numbered row by row so that the
/// cells of a row are a range of numbers an ordinary index finds. The database's places are
/// in [`Grid::COARSE`]; the search index's in [`Grid::FINE`], small enough that the offers
/// nearest a point in a city are read without those a kilometre away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    per_degree: i64,
    /// Rows from which a box or circle is too tall to take row by row.
    tall_rows: i64,
}

impl Grid {
    /// 0.01° by 0.01° (about 1.1 km by 0.7 km in Britain).
    pub const COARSE: Grid = Grid {
        per_degree: 100,
        tall_rows: 64,
    };
    /// 0.0025° by 0.0025° (about 280 m by 170 m in Britain).
    /// A circle or box up to 5° tall (about 550 km) is taken row by row: each row is one
    /// range of the index's dictionary of cells.
    pub const FINE: Grid = Grid {
        per_degree: 400,
        tall_rows: 2_000,
    };

    /// Cell numbers per row (more than a row has cells).
    fn row_len(self) -> i64 {
        self.per_degree * 1_000
    }

    #[allow(clippy::cast_precision_loss)]
    fn degrees(self, n: i64) -> f64 {
        n as f64 / self.per_degree as f64
    }

    fn index(self, lat: f64, lon: f64) -> (i64, i64) {
        #[allow(clippy::cast_precision_loss)]
        let per = self.per_degree as f64;
        // Truncation is the point: the row and column the point falls in.
        #[allow(clippy::cast_possible_truncation)]
        let row = ((lat + 90.0) * per).floor() as i64;
        #[allow(clippy::cast_possible_truncation)]
        let col = ((lon + 180.0) * per).floor() as i64;
        (
            row.clamp(0, 180 * self.per_degree),
            col.clamp(0, 360 * self.per_degree),
        )
    }

    /// The cell a point is in.
    pub fn cell(self, p: LatLon) -> i64 {
        let (row, col) = self.index(p.lat, p.lon);
        row * self.row_len() + col
    }

    /// The row of cells a cell is in.
    pub fn row(self, cell: i64) -> i64 {
        cell.div_euclid(self.row_len())
    }

    /// The corners of a cell.
    pub fn bounds(self, cell: i64) -> BoundingBox {
        let (row, col) = (
            cell.div_euclid(self.row_len()),
            cell.rem_euclid(self.row_len()),
        );
        let (south, west) = (self.degrees(row) - 90.0, self.degrees(col) - 180.0);
        BoundingBox {
            min_lat: south,
            max_lat: south + self.degrees(1),
            min_lon: west,
            max_lon: west + self.degrees(1),
        }
    }

    /// No place in the cell is nearer to `p` than this (km): the distance to the cell's
    /// nearest corner or edge, less 50 m for the curve of the earth (a cell is a hundredth of
    /// a degree or less, so taking the nearest latitude and longitude on their own is off by
    /// metres at most).
    pub fn nearest_km(self, cell: i64, p: LatLon) -> f64 {
        let b = self.bounds(cell);
        let nearest = LatLon {
            lat: p.lat.clamp(b.min_lat, b.max_lat),
            lon: p.lon.clamp(b.min_lon, b.max_lon),
        };
        (distance_km(p, nearest) - 0.05).max(0.0)
    }

    /// The cells that cover the box, as ranges of cell numbers: one range per row of cells,
    /// or one band of whole rows when the box is very tall.
    pub fn box_ranges(self, b: &BoundingBox) -> Vec<(i64, i64)> {
        let (lat0, lon0) = self.index(b.min_lat, b.min_lon);
        let (lat1, lon1) = self.index(b.max_lat, b.max_lon);
        let len = self.row_len();
        if lat1 - lat0 >= self.tall_rows {
            return vec![(lat0 * len, lat1 * len + len - 1)];
        }
        (lat0..=lat1)
            .map(|row| (row * len + lon0, row * len + lon1))
            .collect()
    }

    /// The rows of cells holding every point within `km` of `centre`, each only as wide as
    /// the circle is in that row. `None` when the circle is very tall or reaches near a pole:
    /// use the box then.
    pub fn circle_rows(self, centre: LatLon, km: f64) -> Option<Vec<CircleRow>> {
        let b = BoundingBox::around(centre, km);
        let (row0, _) = self.index(b.min_lat, b.min_lon);
        let (row1, _) = self.index(b.max_lat, b.max_lon);
        if row1 - row0 >= self.tall_rows || b.min_lat.abs().max(b.max_lat.abs()) >= 89.0 {
            return None;
        }
        // Haversine: a point is in reach when sin²(Δφ/2) + cos φ₀ cos φ sin²(Δλ/2) ≤
        // sin²(d/2R). Within a row, Δλ is widest where Δφ is smallest and cos φ is smallest.
        let reach = (km.max(0.0) / EARTH_RADIUS_KM / 2.0).sin().powi(2);
        let cos0 = centre.lat.to_radians().cos();
        let len = self.row_len();
        let mut rows = Vec::new();
        for row in row0..=row1 {
            // The row's latitudes, cut to the circle's.
            let south = (self.degrees(row) - 90.0).max(b.min_lat);
            let north = (self.degrees(row + 1) - 90.0).min(b.max_lat);
            if south > north {
                continue;
            }
            let nearest = centre.lat.clamp(south, north);
            let dphi = (nearest - centre.lat).to_radians();
            let left = reach - (dphi / 2.0).sin().powi(2);
            if left < 0.0 {
                continue;
            }
            let cos_far = south.abs().max(north.abs()).to_radians().cos();
            let ratio = left / (cos0 * cos_far);
            let (min_lon, max_lon) = if ratio >= 1.0 {
                (-180.0, 180.0)
            } else {
                // A hair wider than the exact edge, so rounding never leaves a place out.
                let dlon = (2.0 * ratio.sqrt().asin()).to_degrees() * 1.000_001 + 1e-9;
                (
                    (centre.lon - dlon).max(-180.0),
                    (centre.lon + dlon).min(180.0),
                )
            };
            let (_, col0) = self.index(south, min_lon);
            let (_, col1) = self.index(south, max_lon);
            rows.push(CircleRow {
                cells: (row * len + col0, row * len + col1),
                within: BoundingBox {
                    min_lat: south,
                    max_lat: north,
                    min_lon,
                    max_lon,
                },
            });
        }
        Some(rows)
    }
}

/// The row of grid cells a cell number ([`cell`]) is in.
pub fn cell_row(cell: i64) -> i64 {
    Grid::COARSE.row(cell)
}

/// The grid cell a point is in ([`Grid::COARSE`]): a number an ordinary index can find by
/// ranges, so places near a point are read without scanning a whole band of latitude.
pub fn cell(p: LatLon) -> i64 {
    Grid::COARSE.cell(p)
}

/// How a hub says distances: miles (as most people in Britain think of them) or kilometres.
/// Stored and searched in kilometres either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DistanceUnit {
    #[default]
    Miles,
    Km,
}

/// Kilometres in a mile.
pub const KM_PER_MILE: f64 = 1.609_344;

impl DistanceUnit {
    /// Kilometres in one of this unit.
    pub fn km(self) -> f64 {
        match self {
            DistanceUnit::Miles => KM_PER_MILE,
            DistanceUnit::Km => 1.0,
        }
    }

    /// "1 mile", "2.5 miles", "3 km": a number of this unit, for labels.
    pub fn amount(self, n: f64) -> String {
        let n_words = if (n - n.round()).abs() < 0.05 {
            format!("{:.0}", n.round())
        } else {
            format!("{n:.1}")
        };
        match self {
            DistanceUnit::Miles if n_words == "1" => "1 mile".into(),
            DistanceUnit::Miles => format!("{n_words} miles"),
            DistanceUnit::Km => format!("{n_words} km"),
        }
    }
}

/// Distance in plain words. In miles: "0.3 miles away", "1 mile away", "2.5 miles away",
/// "12 miles away". In kilometres: "400 m away", "1.2 km away", "12 km away".
pub fn distance_words(km: f64, unit: DistanceUnit) -> String {
    match unit {
        DistanceUnit::Km => {
            let metres = ((km * 1000.0) / 100.0).round().max(1.0) * 100.0;
            if metres < 1000.0 {
                format!("{metres:.0} m away")
            } else if km < 9.95 {
                format!("{km:.1} km away")
            } else {
                format!("{km:.0} km away")
            }
        }
        DistanceUnit::Miles => {
            let miles = (km / KM_PER_MILE).max(0.0);
            let shown = if miles < 9.95 {
                ((miles * 10.0).round() / 10.0).max(0.1)
            } else {
                miles.round()
            };
            format!("{} away", DistanceUnit::Miles.amount(shown))
        }
    }
}

/// An area a service covers, read from an ORUK `service_area` whose `extent` is GeoJSON: one
/// or more polygons, each an outer ring with any holes, as (longitude, latitude) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

impl Area {
    /// Read a GeoJSON `Polygon` or `MultiPolygon`, or a `Feature` or `FeatureCollection` of
    /// them (the area is all of them). `None` when the text is not one of those, or holds a
    /// ring of fewer than three points or a coordinate that is not a longitude and latitude.
    pub fn from_geojson(text: &str) -> Option<Area> {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        let mut polygons = Vec::new();
        Self::gather(&value, &mut polygons)?;
        (!polygons.is_empty()).then_some(Area { polygons })
    }

    fn gather(v: &serde_json::Value, out: &mut Vec<Vec<Vec<(f64, f64)>>>) -> Option<()> {
        let ring = |r: &serde_json::Value| -> Option<Vec<(f64, f64)>> {
            let points: Vec<(f64, f64)> = r
                .as_array()?
                .iter()
                .map(|p| {
                    let p = p.as_array()?;
                    let (lon, lat) = (p.first()?.as_f64()?, p.get(1)?.as_f64()?);
                    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat))
                        .then_some((lon, lat))
                })
                .collect::<Option<_>>()?;
            (points.len() >= 3).then_some(points)
        };
        let polygon = |p: &serde_json::Value| -> Option<Vec<Vec<(f64, f64)>>> {
            let rings: Vec<Vec<(f64, f64)>> =
                p.as_array()?.iter().map(ring).collect::<Option<_>>()?;
            (!rings.is_empty()).then_some(rings)
        };
        match v.get("type")?.as_str()? {
            "Polygon" => out.push(polygon(v.get("coordinates")?)?),
            "MultiPolygon" => {
                for p in v.get("coordinates")?.as_array()? {
                    out.push(polygon(p)?);
                }
            }
            "Feature" => Self::gather(v.get("geometry")?, out)?,
            "FeatureCollection" => {
                for f in v.get("features")?.as_array()? {
                    Self::gather(f, out)?;
                }
            }
            _ => return None,
        }
        Some(())
    }

    /// Whether the point lies inside the area (inside an outer ring and in none of its holes).
    pub fn contains(&self, p: LatLon) -> bool {
        let inside = |ring: &[(f64, f64)]| {
            let (x, y) = (p.lon, p.lat);
            let mut odd = false;
            let mut j = ring.len() - 1;
            for i in 0..ring.len() {
                let (xi, yi) = ring[i];
                let (xj, yj) = ring[j];
                if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                    odd = !odd;
                }
                j = i;
            }
            odd
        };
        self.polygons.iter().any(|rings| {
            rings.first().is_some_and(|outer| inside(outer))
                && !rings.iter().skip(1).any(|hole| inside(hole))
        })
    }

    /// The area as one GeoJSON `MultiPolygon`, which [`Area::from_geojson`] reads back.
    pub fn to_geojson(&self) -> String {
        let coordinates: Vec<Vec<Vec<[f64; 2]>>> = self
            .polygons
            .iter()
            .map(|rings| {
                rings
                    .iter()
                    .map(|ring| ring.iter().map(|(lon, lat)| [*lon, *lat]).collect())
                    .collect()
            })
            .collect();
        serde_json::json!({"type": "MultiPolygon", "coordinates": coordinates}).to_string()
    }

    /// The smallest box of latitudes and longitudes holding the whole area.
    pub fn bounds(&self) -> BoundingBox {
        let points = self.polygons.iter().flatten().flatten();
        let mut b = BoundingBox {
            min_lat: f64::INFINITY,
            max_lat: f64::NEG_INFINITY,
            min_lon: f64::INFINITY,
            max_lon: f64::NEG_INFINITY,
        };
        for (lon, lat) in points {
            b.min_lat = b.min_lat.min(*lat);
            b.max_lat = b.max_lat.max(*lat);
            b.min_lon = b.min_lon.min(*lon);
            b.max_lon = b.max_lon.max(*lon);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_box_is_read_as_south_west_north_east_and_mistakes_are_named() {
        let b = BoundingBox::parse("52.94, -1.17,52.97,-1.13").unwrap();
        assert_eq!(
            (b.min_lat, b.min_lon, b.max_lat, b.max_lon),
            (52.94, -1.17, 52.97, -1.13)
        );
        assert!(b.contains(LatLon::new(52.95, -1.15).unwrap()));
        assert!(!b.contains(LatLon::new(52.98, -1.15).unwrap()));
        for (bad, says) in [
            ("52.94,-1.17,52.97", "four numbers"),
            ("52.94,-1.17,52.97,-1.13,4", "four numbers"),
            ("a,b,c,d", "four numbers"),
            ("52.94,-1.17,NaN,-1.13", "four numbers"),
            ("95,-1.17,96,-1.13", "latitude"),
            ("52.97,-1.17,52.94,-1.13", "south"),
            ("52.94,179,52.97,-179", "180th meridian"),
        ] {
            let e = BoundingBox::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
    use proptest::prelude::*;

    proptest! {
        /// No point in a grid cell is nearer than the cell's nearest distance says, so a
        /// search that stops at a ring of cells misses nothing nearer.
        #[test]
        fn no_place_in_a_cell_is_nearer_than_the_cell_says(
            lat in 49.0f64..59.0, lon in -8.0f64..2.0,
            dlat in -0.2f64..0.2, dlon in -0.3f64..0.3,
            fx in 0.0f64..1.0, fy in 0.0f64..1.0, fine in any::<bool>(),
        ) {
            let grid = if fine { Grid::FINE } else { Grid::COARSE };
            let p = LatLon::new(lat, lon).unwrap();
            let c = grid.cell(LatLon::new(lat + dlat, lon + dlon).unwrap());
            let b = grid.bounds(c);
            let q = LatLon::new(
                b.min_lat + fy * (b.max_lat - b.min_lat),
                b.min_lon + fx * (b.max_lon - b.min_lon),
            ).unwrap();
            let middle = LatLon::new((b.min_lat + b.max_lat) / 2.0, (b.min_lon + b.max_lon) / 2.0).unwrap();
            prop_assert_eq!(grid.cell(middle), c);
            prop_assert!(grid.nearest_km(c, p) <= distance_km(p, q));
        }
    }

    #[test]
    fn an_area_holds_the_points_inside_it_and_not_its_holes() {
        // A square around central Meadowfield with a square hole in the middle.
        let area = Area::from_geojson(
            r#"{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
                [[-1.20, 52.90], [-1.10, 52.90], [-1.10, 53.00], [-1.20, 53.00], [-1.20, 52.90]],
                [[-1.16, 52.94], [-1.14, 52.94], [-1.14, 52.96], [-1.16, 52.96], [-1.16, 52.94]]
            ]}}"#,
        )
        .expect("a polygon");
        let at = |lat, lon| LatLon::new(lat, lon).expect("a point");
        assert!(area.contains(at(52.92, -1.18)));
        assert!(!area.contains(at(52.95, -1.15)), "in the hole");
        assert!(!area.contains(at(53.05, -1.15)), "north of it");
        assert!(!area.contains(at(52.95, -1.05)), "east of it");
        let b = area.bounds();
        assert_eq!(
            (b.min_lat, b.max_lat, b.min_lon, b.max_lon),
            (52.90, 53.00, -1.20, -1.10)
        );
        let two = Area::from_geojson(
            r#"{"type": "MultiPolygon", "coordinates": [
                [[[0, 0], [1, 0], [1, 1], [0, 0]]],
                [[[10, 10], [11, 10], [11, 11], [10, 10]]]
            ]}"#,
        )
        .expect("two polygons");
        assert!(two.contains(at(10.2, 10.8)));
        assert!(!two.contains(at(5.0, 5.0)));
        assert_eq!(Area::from_geojson(&two.to_geojson()).as_ref(), Some(&two));
        assert_eq!(Area::from_geojson(&area.to_geojson()).as_ref(), Some(&area));
        for bad in [
            "extent",
            r#"{"type": "Point", "coordinates": [0, 0]}"#,
            r#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}"#,
            r#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 100], [2, 0]]]}"#,
            r#"{"type": "FeatureCollection", "features": []}"#,
        ] {
            assert_eq!(Area::from_geojson(bad), None, "{bad}");
        }
    }

    #[test]
    fn postcodes_in_every_uk_shape() {
        for (typed, shown) in [
            ("M1 1AE", "M1 1AE"),
            ("m601nw", "M60 1NW"),
            ("CR2 6XH", "CR2 6XH"),
            ("dn551pt", "DN55 1PT"),
            ("W1A 1HQ", "W1A 1HQ"),
            ("ec1a 1bb", "EC1A 1BB"),
        ] {
            assert_eq!(
                Postcode::parse(typed).map(|p| p.to_string()),
                Ok(shown.to_string())
            );
        }
        assert_eq!(
            Postcode::parse("EC1A 1BB").map(|p| p.district().to_string()),
            Ok("EC1A".to_string())
        );
        for bad in ["", "1AA 1AA", "ABC 1234", "SW1A 1A", "hello", "M1 1A€"] {
            assert!(Postcode::parse(bad).is_err(), "{bad}");
        }
    }

    /// A centre, and a point about `km` from it on `bearing` (the centre itself when the
    /// point would fall off the map), for the property tests below.
    fn centre_and_point(lat: f64, lon: f64, km: f64, bearing: f64) -> (LatLon, LatLon) {
        let centre = LatLon::new(lat, lon).unwrap_or(LatLon {
            lat: 51.0,
            lon: 0.0,
        });
        let d = km / EARTH_RADIUS_KM;
        let p = LatLon::new(
            (lat.to_radians() + d * bearing.cos()).to_degrees(),
            lon + (d * bearing.sin() / lat.to_radians().cos()).to_degrees(),
        )
        .unwrap_or(centre);
        (centre, p)
    }

    proptest! {
        #[test]
        fn cells_cover_every_point_in_range(lat in 49.0..61.0f64, lon in -8.0..2.0f64, km in 0.1..150.0f64, bearing in 0.0..std::f64::consts::TAU, frac in 0.0..1.0f64, fine in any::<bool>()) {
            let grid = if fine { Grid::FINE } else { Grid::COARSE };
            let (centre, p) = centre_and_point(lat, lon, km * frac, bearing);
            prop_assume!(distance_km(centre, p) <= km);
            let c = grid.cell(p);
            prop_assert!(grid.box_ranges(&BoundingBox::around(centre, km)).iter().any(|(a, b)| (*a..=*b).contains(&c)));
        }

        #[test]
        fn circle_rows_hold_every_point_in_range(lat in 49.0..61.0f64, lon in -8.0..2.0f64, km in 0.1..30.0f64, bearing in 0.0..std::f64::consts::TAU, frac in 0.0..1.0f64, fine in any::<bool>()) {
            let grid = if fine { Grid::FINE } else { Grid::COARSE };
            let (centre, p) = centre_and_point(lat, lon, km * frac, bearing);
            prop_assume!(distance_km(centre, p) <= km);
            let c = grid.cell(p);
            let rows = grid.circle_rows(centre, km);
            prop_assert!(rows.is_some());
            let rows = rows.unwrap_or_default();
            prop_assert!(
                rows.iter().any(|r| (r.cells.0..=r.cells.1).contains(&c) && r.within.contains(p)),
                "{p:?} at {} km not in {rows:?}", distance_km(centre, p)
            );
        }
    }

    #[test]
    fn circle_rows_leave_out_the_corners() {
        let Ok(london) = LatLon::new(51.5074, -0.1278) else {
            return;
        };
        let rows = circle_rows(london, 3.0).unwrap_or_default();
        let cells = |ranges: &mut dyn Iterator<Item = (i64, i64)>| -> i64 {
            ranges.map(|(a, b)| b - a + 1).sum()
        };
        let in_circle = cells(&mut rows.iter().map(|r| r.cells));
        let in_box = cells(&mut BoundingBox::around(london, 3.0).cell_ranges().into_iter());
        assert!(in_circle < in_box, "{in_circle} of {in_box}");
        let corner = LatLon::new(51.5074 + 0.026, -0.1278 + 0.041).unwrap_or(london);
        assert!(distance_km(london, corner) > 3.0);
        assert!(!rows.iter().any(|r| r.within.contains(corner)));
        assert!(
            circle_rows(london, 200.0).is_none(),
            "very tall: the box instead"
        );
    }

    #[test]
    fn coordinates_must_be_real() {
        assert!(LatLon::new(100.0, 101.0).is_err());
        assert!(LatLon::new(53.48, f64::NAN).is_err());
        assert!(LatLon::new(53.48, -2.24).is_ok());
    }

    #[test]
    fn distances_are_right() {
        let manchester = LatLon::new(53.4808, -2.2426).ok();
        let london = LatLon::new(51.5074, -0.1278).ok();
        if let (Some(m), Some(l)) = (manchester, london) {
            let d = distance_km(m, l);
            assert!((d - 262.0).abs() < 2.0, "{d}");
            assert_eq!(distance_km(m, m), 0.0);
        }
        let km = DistanceUnit::Km;
        assert_eq!(distance_words(0.43, km), "400 m away");
        assert_eq!(distance_words(1.24, km), "1.2 km away");
        assert_eq!(distance_words(12.4, km), "12 km away");
        assert_eq!(distance_words(0.9996, km), "1.0 km away");
        assert_eq!(distance_words(9.97, km), "10 km away");
        let miles = DistanceUnit::Miles;
        assert_eq!(distance_words(0.43, miles), "0.3 miles away");
        assert_eq!(distance_words(0.01, miles), "0.1 miles away");
        assert_eq!(distance_words(1.609, miles), "1 mile away");
        assert_eq!(distance_words(4.0, miles), "2.5 miles away");
        assert_eq!(distance_words(3.22, miles), "2 miles away");
        assert_eq!(distance_words(19.3, miles), "12 miles away");
    }

    proptest! {
        #[test]
        fn the_box_holds_every_point_within_the_distance(
            lat in -80.0f64..80.0, lon in -179.0f64..179.0,
            bearing in 0.0f64..360.0, fraction in 0.0f64..1.0, km in 0.1f64..50.0,
        ) {
            let centre = LatLon::new(lat, lon).map_err(TestCaseError::fail)?;
            // A point `fraction * km` away along `bearing`.
            let d = fraction * km / EARTH_RADIUS_KM;
            let (lat1, lon1, b) = (lat.to_radians(), lon.to_radians(), bearing.to_radians());
            let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * b.cos()).asin();
            let lon2 = lon1 + (b.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat2.sin());
            let lon2 = (lon2.to_degrees() + 540.0) % 360.0 - 180.0;
            if let Ok(p) = LatLon::new(lat2.to_degrees(), lon2) {
                if distance_km(centre, p) <= km && (lon2 - lon).abs() < 180.0 {
                    prop_assert!(BoundingBox::around(centre, km * 1.000001).contains(p));
                }
            }
        }

        #[test]
        fn postcode_parsing_never_panics(s in "\\PC{0,12}") {
            let _ = Postcode::parse(&s);
        }
    }
}
