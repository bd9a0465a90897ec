//! Many rows in one text. On SQLite, reading thousands of small rows one by one costs more
//! than the query; `group_concat` packs them into one text instead: fields split by the unit
//! separator ([`UNIT`]), rows by the record separator ([`RECORD`]). The directory reads
//! records and ids this way; matching keeps each place's facts packed in one column
//! ([`pack`], [`unpack`]). A text holding a separator cannot be split back: callers then read
//! those rows one by one.

use village_domain::connections::matching::Facts;
use village_domain::directory::geo::LatLon;

/// Separates the fields of one packed row.
pub const UNIT: char = '\u{1f}';
/// Separates packed rows.
pub const RECORD: char = '\u{1e}';

/// The rows of a packed text, each split at its first field separator: (first field, rest).
/// `None` as soon as a row has no separator (a value held one: read them one by one).
pub fn pairs(packed: Option<&str>) -> Option<Vec<(&str, &str)>> {
    packed
        .into_iter()
        .flat_map(|p| p.split(RECORD))
        .map(|r| r.split_once(UNIT))
        .collect()
}

/// One place of an offer as matching reads it, packed into one text: the fields split by the
/// unit separator, the offer's id last (so an id can only break the packing of rows joined
/// together, never of one row).
pub fn pack(id: &str, point: Option<LatLon>, facts: &Facts) -> String {
    fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
        v.map(|v| v.to_string()).unwrap_or_default()
    }
    let hours = facts.hours;
    let words = facts.words.unwrap_or([0; 4]);
    [
        opt(point.map(LatLon::lat)),
        opt(point.map(LatLon::lon)),
        facts.bits.to_string(),
        opt(facts.minimum_age),
        opt(facts.maximum_age),
        opt(facts.free.map(u8::from)),
        opt(hours.map(|h| h[0])),
        opt(hours.map(|h| h[1])),
        opt(hours.map(|h| h[2])),
        words[0].to_string(),
        words[1].to_string(),
        words[2].to_string(),
        words[3].to_string(),
        id.to_string(),
    ]
    .join(&UNIT.to_string())
}

/// A row packed by [`pack`], read back: the id, the place and the facts (with that place).
/// It runs for each of a dense city's thousands of candidates, so it reads the bytes once,
/// by hand (the separators are ASCII, so every field starts and ends on a character
/// boundary).
pub fn unpack(record: &str) -> Option<(&str, Option<LatLon>, Facts)> {
    /// The next field, up to its unit separator; `rest` moves past the separator.
    fn cut<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
        let end = rest.iter().position(|b| *b == UNIT as u8)?;
        let field = rest.get(..end)?;
        *rest = rest.get(end + 1..)?;
        Some(field)
    }
    /// A whole number written by `to_string`: an optional minus and digits, no more than
    /// fit (`i64::MIN` included, so it is counted down from zero).
    fn int(field: &[u8]) -> Option<i64> {
        let (negative, digits) = match field.split_first() {
            Some((b'-', digits)) => (true, digits),
            _ => (false, field),
        };
        if digits.is_empty() {
            return None;
        }
        let mut n: i64 = 0;
        for b in digits {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n.checked_mul(10)?.checked_sub(i64::from(b - b'0'))?;
        }
        if negative {
            Some(n)
        } else {
            n.checked_neg()
        }
    }
    fn opt_int(field: &[u8]) -> Option<Option<i64>> {
        if field.is_empty() {
            Some(None)
        } else {
            int(field).map(Some)
        }
    }
    fn opt_float(field: &[u8]) -> Option<Option<f64>> {
        if field.is_empty() {
            Some(None)
        } else {
            std::str::from_utf8(field).ok()?.parse().ok().map(Some)
        }
    }
    let mut rest = record.as_bytes();
    let lat = opt_float(cut(&mut rest)?)?;
    let lon = opt_float(cut(&mut rest)?)?;
    let bits = int(cut(&mut rest)?)?;
    let minimum_age = opt_int(cut(&mut rest)?)?;
    let maximum_age = opt_int(cut(&mut rest)?)?;
    let free = match cut(&mut rest)? {
        b"" => None,
        b"1" => Some(true),
        b"0" => Some(false),
        _ => return None,
    };
    let h0 = opt_int(cut(&mut rest)?)?;
    let h1 = opt_int(cut(&mut rest)?)?;
    let h2 = opt_int(cut(&mut rest)?)?;
    let w0 = int(cut(&mut rest)?)?;
    let w1 = int(cut(&mut rest)?)?;
    let w2 = int(cut(&mut rest)?)?;
    let w3 = int(cut(&mut rest)?)?;
    // The id is the rest, separators and all.
    let id = record.get(record.len() - rest.len()..)?;
    let point = match (lat, lon) {
        (Some(a), Some(b)) => LatLon::new(a, b).ok(),
        _ => None,
    };
    let hours = match (h0, h1, h2) {
        (Some(a), Some(b), Some(c)) => Some([a, b, c]),
        _ => None,
    };
    Some((
        id,
        point,
        Facts {
            bits,
            minimum_age,
            maximum_age,
            free,
            hours,
            points: point.into_iter().collect(),
            words: Some([w0, w1, w2, w3]),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_split_rows_and_refuse_a_row_without_a_separator() {
        let packed = format!("1{UNIT}a{RECORD}2{UNIT}b{UNIT}c");
        assert_eq!(
            pairs(Some(&packed)),
            Some(vec![("1", "a"), ("2", &*format!("b{UNIT}c"))])
        );
        assert_eq!(pairs(None), Some(vec![]));
        assert_eq!(pairs(Some(&format!("1{UNIT}a{RECORD}2"))), None);
    }

    #[test]
    fn packed_facts_read_back_as_they_were() {
        let facts = Facts {
            bits: (1 << 17) | (1 << 45) | 3,
            minimum_age: Some(18),
            maximum_age: None,
            free: Some(false),
            hours: Some([1 << 40, 0, i64::MAX]),
            points: Vec::new(),
            words: Some([5, -1, 0, 1 << 62]),
        };
        let p = LatLon::new(51.507_412_345_678_9, -0.127_8).unwrap();
        let packed = pack("0a0b0c0d-0000-4000-8000-000000000001", Some(p), &facts);
        let (id, point, back) = unpack(&packed).unwrap();
        assert_eq!(id, "0a0b0c0d-0000-4000-8000-000000000001");
        assert_eq!(point, Some(p));
        assert_eq!(
            back,
            Facts {
                points: vec![p],
                ..facts.clone()
            }
        );
        let online = Facts {
            free: None,
            hours: None,
            minimum_age: None,
            ..facts
        };
        let packed = pack("x", None, &online);
        let (_, point, back) = unpack(&packed).unwrap();
        assert_eq!(point, None);
        assert_eq!(back, online);
        assert!(unpack("not packed").is_none());
        // The extremes of every whole number read back; anything else is refused.
        let extremes = Facts {
            bits: i64::MIN,
            minimum_age: Some(0),
            maximum_age: Some(i64::MAX),
            free: Some(true),
            hours: Some([i64::MIN, -1, i64::MAX]),
            points: Vec::new(),
            words: Some([i64::MIN, i64::MAX, -9, 10]),
        };
        let packed = pack("y", None, &extremes);
        assert_eq!(unpack(&packed).unwrap().2, extremes);
        let u = UNIT;
        for bad in [
            format!("{u}{u}-{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4{u}id"),
            format!("{u}{u}1x{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4{u}id"),
            format!("{u}{u}9223372036854775808{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4{u}id"),
            format!("{u}{u}1{u}{u}{u}2{u}{u}{u}{u}1{u}2{u}3{u}4{u}id"),
            format!("north{u}{u}1{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4{u}id"),
            format!("{u}{u}1{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4"),
        ] {
            assert!(unpack(&bad).is_none(), "{bad:?} was read");
        }
        let fine = format!("{u}{u}1{u}{u}{u}{u}{u}{u}{u}1{u}2{u}3{u}4{u}id");
        assert_eq!(unpack(&fine).unwrap().0, "id");
        // An id holding the field separator still reads back (it comes last).
        let odd = format!("odd{UNIT}id");
        let packed = pack(&odd, None, &online);
        assert_eq!(unpack(&packed).unwrap().0, odd);
    }
}
