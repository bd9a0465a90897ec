//! Facts: a few numbers kept beside each place (term bits, access keys, hours in the week), so matching can rule offers out before reading their records.

use super::*;

// ---- Facts: a few numbers kept beside each place -----------------------------------------

/// The bit each Village term has in [`Facts::bits`].
pub(super) fn bit_of(term_id: &str) -> Option<u32> {
    if let Some(i) = CATEGORIES.iter().position(|c| c.id == term_id) {
        return u32::try_from(i).ok();
    }
    if let Some(i) = Access::ALL.iter().position(|a| a.term_id() == term_id) {
        return u32::try_from(17 + i).ok();
    }
    if let Some(i) = Community::ALL.iter().position(|c| c.term_id() == term_id) {
        return u32::try_from(27 + i).ok();
    }
    match Space::from_term_id(term_id) {
        Some(Space::HasSpace) => return Some(43),
        Some(Space::WaitingList) => return Some(44),
        None => {}
    }
    (term_id == LIVED_EXPERIENCE_LED_TERM_ID).then_some(45)
}

/// The first bit of the access codes in [`Facts::bits`] (in [`Access::ALL`] order).
pub(super) const ACCESS_BIT: usize = 17;

/// An offer's access codes as a key of [`Access::ALL`]`.len()` bits, the first code
/// (step-free, the need people most often mark essential) the highest. Kept beside each place
/// and ordered by, so the places with every essential need lie in a few ranges of keys
/// ([`access_key_ranges`]) and the rest are never read.
pub fn access_key(bits: i64) -> i64 {
    let n = Access::ALL.len();
    (0..n)
        .filter(|i| bits & (1i64 << (ACCESS_BIT + i)) != 0)
        .fold(0i64, |key, i| key | (1i64 << (n - 1 - i)))
}

/// The ranges of [`access_key`]s that have every access code in `essential_bits` (bits as in
/// [`Facts::bits`]), in order; `None` when no access is needed or it would take more than
/// `at_most` ranges (then every key has to be read).
pub fn access_key_ranges(essential_bits: i64, at_most: usize) -> Option<Vec<(i64, i64)>> {
    let need = access_key(essential_bits);
    if need == 0 {
        return None;
    }
    let n = Access::ALL.len() as u32;
    let low = need.trailing_zeros();
    // Below the lowest needed bit anything goes (one run of keys); above it, each bit that is
    // not needed doubles the number of runs.
    let free: Vec<u32> = (low + 1..n).filter(|b| need & (1i64 << b) == 0).collect();
    if free.len() >= usize::BITS as usize || (1usize << free.len()) > at_most {
        return None;
    }
    let mut ranges: Vec<(i64, i64)> = (0..(1i64 << free.len()))
        .map(|combo| {
            let start = free
                .iter()
                .enumerate()
                .filter(|(j, _)| combo & (1i64 << j) != 0)
                .fold(need, |k, (_, b)| k | (1i64 << b));
            (start, start + (1i64 << low) - 1)
        })
        .collect();
    ranges.sort_unstable();
    Some(ranges)
}

/// Village's own terms among `term_ids` as bits of one number (categories, access, communities,
/// space, led by lived experience).
pub fn term_bits(term_ids: &[String]) -> i64 {
    term_ids
        .iter()
        .filter_map(|t| bit_of(t))
        .fold(0i64, |acc, b| acc | (1i64 << b))
}

/// Mark the hours `from`..`to` (minutes) of `day`: bit `day * 24 + hour`, 56 bits to a number.
pub(super) fn mark(mask: &mut [i64; 3], day: Weekday, from: u16, to: u16) {
    let d = Weekday::ALL.iter().position(|x| *x == day).unwrap_or(0);
    let (first, last) = if to > from {
        (usize::from(from / 60), usize::from(to.div_ceil(60)).min(24))
    } else {
        // Through midnight or unclear: the whole day, so no real time is missed.
        (0, 24)
    };
    for h in first..last {
        let i = d * 24 + h;
        mask[i / 56] |= 1i64 << (i % 56);
    }
}

/// The hours of the week an offer may happen in (whole hours, so never less than the real
/// times): `None` when its schedules name no days.
pub fn week_hours(schedules: &[Schedule]) -> Option<[i64; 3]> {
    let mut mask = [0i64; 3];
    let mut any = false;
    for s in schedules {
        let from = s.opens.map_or(0, TimeOfDay::minutes);
        let to = s.closes.map_or(24 * 60, TimeOfDay::minutes);
        for day in s.days() {
            any = true;
            mark(&mut mask, day, from, to);
        }
    }
    any.then_some(mask)
}

/// The hours of the week that any time slot (a day, opening and closing minutes) found by a
/// directory search's time filter must touch in [`week_hours`]: a slot on one of `days` that
/// opens at or after `opens_from` and is open at some time in `between` (minutes after
/// midnight, the end not included). So an offer whose hours miss these cannot match, and one
/// that meets them is then checked exactly. `None` when no slot can meet the filter.
pub fn hours_to_search(
    days: &[Weekday],
    opens_from: Option<i64>,
    between: Option<(i64, i64)>,
) -> Option<[i64; 3]> {
    // A slot marks its hours from the one it opens in (see `mark`): opening at or after
    // `opens_from` means marking an hour no earlier than that one; being open in `between`
    // means marking an hour from the one it starts in to the one before it ends.
    // (A window that ends before it starts narrows nothing: a long slot can still span it.)
    let mut first = 0i64;
    let mut last = 23i64;
    if let Some(from) = opens_from {
        first = first.max(from.div_euclid(60));
    }
    if let Some((from, to)) = between.filter(|(from, to)| to > from) {
        first = first.max(from.div_euclid(60));
        last = last.min((to - 1).div_euclid(60));
    }
    // A slot opening at the very end of the day marks the whole day.
    let first = first.min(23);
    if first > last || days.is_empty() {
        return None;
    }
    let mut mask = [0i64; 3];
    for day in days {
        let d = Weekday::ALL.iter().position(|x| x == day).unwrap_or(0);
        for h in first..=last {
            let i = d * 24 + usize::try_from(h).unwrap_or(0);
            mask[i / 56] |= 1i64 << (i % 56);
        }
    }
    Some(mask)
}

/// Whether two hour masks share an hour.
pub fn hours_meet(a: &[i64; 3], b: &[i64; 3]) -> bool {
    a.iter().zip(b).any(|(x, y)| x & y != 0)
}

/// What is known about an offer before its record is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub bits: i64,
    pub minimum_age: Option<i64>,
    pub maximum_age: Option<i64>,
    pub free: Option<bool>,
    pub hours: Option<[i64; 3]>,
    pub points: Vec<LatLon>,
    /// The [`signature`] of the offer's name and description (`None`: not known, so any
    /// word may be there).
    pub words: Option<[i64; 4]>,
}

impl Facts {
    pub fn of(index: &ServiceIndex) -> Self {
        Facts {
            bits: term_bits(&index.taxonomy_term_ids),
            minimum_age: index.minimum_age,
            maximum_age: index.maximum_age,
            free: index.free,
            hours: week_hours(&index.schedules),
            points: index.places.iter().map(|p| p.point).collect(),
            words: Some(signature(&offer_text(&index.name, &index.description))),
        }
    }
}
