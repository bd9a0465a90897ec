//! Matching: which directory offers fit a person's life, best first, each with its reasons in
//! plain words.
//!
//! Four things rule an offer out (*hard constraints*): the person's age is outside its age
//! limits; every place it meets is further than the person can travel; it never happens when
//! the person said they are free; it lacks an access need the person marked essential. The
//! rest are scored: interests, the words that matter to the person, distance, time, access,
//! communities, who runs it, cost and space, less a little for offers like ones the person
//! dismissed. The hub can tune every weight.
//!
//! A national directory is too big to read whole for one person, so matching runs in two
//! steps. First every candidate near the person is judged from its *facts*, a few numbers
//! kept beside each place ([`Facts`]), giving an upper bound on its score. Then candidates are
//! read in full in order of that bound and scored exactly, stopping once no bound left can
//! reach the list ([`TopK`]). Both steps use the same function ([`evaluate`]), which treats
//! what the facts cannot tell as the best case, so the bound is never below the score and the
//! result is the same as scoring every offer in full (tested).

use super::words::{as_written, signature, slot, stem_set, stems};
use crate::directory::geo::{distance_km, distance_words, LatLon};
use crate::directory::oruk::ServiceIndex;
use crate::directory::schedule::{Schedule, TimeOfDay, Weekday};
use crate::directory::taxonomy::{
    category_by_id, Access, Category, Community, Space, CATEGORIES, LIVED_EXPERIENCE_LED_TERM_ID,
};
use crate::people::profile::{Content, Section};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How much each kind of fit counts. Hubs set these in the `[matching]` part of the
/// settings file; every weight must be zero or more.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// For each of the person's interests the offer is about (up to two).
    pub interest: f64,
    /// For each word that matters to the person found in the offer (up to three).
    pub words: f64,
    /// For being close: all of it next door, none of it at the edge of how far they travel.
    pub distance: f64,
    /// For happening when the person is free.
    pub time: f64,
    /// For meeting the person's access needs (in proportion).
    pub access: f64,
    /// For being for a community the person is part of.
    pub community: f64,
    /// For being led by people with lived experience, when the person prefers it.
    pub lived_experience: f64,
    /// For being free (twice this when the person prefers free things).
    pub free: f64,
    /// For having space now (half of it is taken off for a waiting list).
    pub space: f64,
    /// Taken off (half of it, up to three times) for each dismissed offer sharing a category.
    pub dismissed: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            interest: 3.0,
            words: 1.0,
            distance: 2.0,
            time: 2.0,
            access: 2.0,
            community: 1.5,
            lived_experience: 1.5,
            free: 0.5,
            space: 1.0,
            dismissed: 1.0,
        }
    }
}

impl Weights {
    /// Every weight must be a number, zero or more: the problem names the setting.
    pub fn check(&self) -> Result<(), String> {
        for (name, w) in [
            ("interest", self.interest),
            ("words", self.words),
            ("distance", self.distance),
            ("time", self.time),
            ("access", self.access),
            ("community", self.community),
            ("lived_experience", self.lived_experience),
            ("free", self.free),
            ("space", self.space),
            ("dismissed", self.dismissed),
        ] {
            if !(w.is_finite() && (0.0..=100.0).contains(&w)) {
                return Err(format!(
                    "matching.{name} must be a number from 0 to 100 (it is {w})"
                ));
            }
        }
        Ok(())
    }
}

/// How far someone is taken to travel when they have not said.
pub const DEFAULT_REACH_KM: f64 = 8.0;

/// Choices a person makes about their suggestions, beside their profile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// Prefer groups led by people with lived experience.
    pub lived_experience: bool,
    /// Prefer things that cost nothing.
    pub free: bool,
}

/// A time in the week the person is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreeTime {
    pub day: Weekday,
    pub from: TimeOfDay,
    pub to: TimeOfDay,
}

/// The person as matching sees them: only what they let the viewer see.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seeker {
    /// Directory term ids (Village categories or imported terms).
    pub interests: Vec<String>,
    /// Comparable words from what they like to do, what matters to them and their gifts,
    /// each with the word as they wrote it.
    pub keywords: Vec<(String, String)>,
    pub home: Option<LatLon>,
    pub max_km: Option<f64>,
    pub free_times: Vec<FreeTime>,
    pub needs: Vec<Access>,
    pub essential: Vec<Access>,
    /// The ages they may be (a birth year gives two).
    pub ages: Option<(i64, i64)>,
    pub communities: Vec<Community>,
    pub preferences: Preferences,
    /// One entry for each category of each offer they dismissed.
    pub dismissed_categories: Vec<String>,
}

/// Words in a profile that say someone belongs to a community an offer may be for. Only
/// the person (and those they share with) see the reasons this gives.
const COMMUNITY_WORDS: &[(Community, &[&str])] = &[
    (
        Community::Carers,
        &["carer", "caring", "look after my", "looking after my"],
    ),
    (Community::Deaf, &["deaf", "bsl", "sign language"]),
    (Community::AutisticAdults, &["autistic", "autism"]),
    (Community::LearningDisabilities, &["learning disabilit"]),
    (
        Community::DisabledPeople,
        &["disabled", "wheelchair", "disability"],
    ),
    (
        Community::MentalHealth,
        &["anxiety", "depression", "mental health", "bipolar"],
    ),
    (Community::Dementia, &["dementia", "alzheimer"]),
    (
        Community::Lgbtq,
        &["lgbt", "gay", "lesbian", "bisexual", "queer", "trans "],
    ),
    (
        Community::NewToTheUk,
        &["refugee", "asylum", "new to the uk", "new to this country"],
    ),
    (
        Community::Bereaved,
        &["bereave", "grief", "widow", "lost my"],
    ),
    (
        Community::Parents,
        &["my children", "my kids", "my son", "my daughter", "parent"],
    ),
];

impl Seeker {
    /// Build from the profile sections the viewer may see, the place their home area is
    /// (looked up by the caller), the year now and their preferences.
    pub fn from_profile(
        sections: &[(Section, Content)],
        home: Option<LatLon>,
        this_year: i32,
        preferences: Preferences,
    ) -> Self {
        let mut seeker = Seeker {
            home,
            preferences,
            ..Seeker::default()
        };
        let mut all_text = String::new();
        for (section, content) in sections {
            all_text.push(' ');
            all_text.push_str(&content.text.to_lowercase());
            match section {
                Section::Interests => {
                    for t in &content.terms {
                        if !seeker.interests.contains(t) {
                            seeker.interests.push(t.clone());
                        }
                    }
                }
                Section::Travel => {
                    seeker.max_km = content.max_km.filter(|k| k.is_finite() && *k > 0.0);
                }
                Section::Availability => {
                    for slot in &content.slots {
                        if let (Some(day), Some(from), Some(to)) = (
                            Weekday::parse(&slot.day),
                            TimeOfDay::parse(&slot.from),
                            TimeOfDay::parse(&slot.to),
                        ) {
                            if from < to {
                                seeker.free_times.push(FreeTime { day, from, to });
                            }
                        }
                    }
                }
                Section::AccessNeeds => {
                    for code in &content.needs {
                        if let Some(a) = Access::parse(code) {
                            if !seeker.needs.contains(&a) {
                                seeker.needs.push(a);
                            }
                        }
                    }
                    for code in &content.essential {
                        if let Some(a) = Access::parse(code) {
                            if !seeker.essential.contains(&a) {
                                seeker.essential.push(a);
                            }
                            if !seeker.needs.contains(&a) {
                                seeker.needs.push(a);
                            }
                        }
                    }
                }
                Section::BirthYear => {
                    if let Some(y) = content.year() {
                        let age = i64::from(this_year) - i64::from(y);
                        seeker.ages = Some(((age - 1).max(0), age.max(0)));
                    }
                }
                _ => {}
            }
            if matches!(
                section,
                Section::Interests | Section::Important | Section::Gifts
            ) {
                for s in stems(&content.text) {
                    if !seeker.keywords.iter().any(|(k, _)| *k == s) {
                        let written = as_written(&content.text, &s);
                        seeker.keywords.push((s, written));
                    }
                }
            }
        }
        for (community, words) in COMMUNITY_WORDS {
            if words.iter().any(|w| all_text.contains(w)) {
                seeker.communities.push(*community);
            }
        }
        if let Some((_, oldest)) = seeker.ages {
            if oldest >= 65 {
                seeker.communities.push(Community::OlderPeople);
            }
            if oldest <= 25 {
                seeker.communities.push(Community::YoungPeople);
            }
        }
        seeker
    }

    /// The hours of the week the person is free, as [`week_hours`] marks them.
    pub fn free_hours(&self) -> Option<[i64; 3]> {
        if self.free_times.is_empty() {
            return None;
        }
        let mut mask = [0i64; 3];
        for f in &self.free_times {
            mark(&mut mask, f.day, f.from.minutes(), f.to.minutes());
        }
        Some(mask)
    }
}

// ---- Facts: a few numbers kept beside each place -----------------------------------------

/// The bit each Village term has in [`Facts::bits`].
fn bit_of(term_id: &str) -> Option<u32> {
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
const ACCESS_BIT: usize = 17;

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
fn mark(mask: &mut [i64; 3], day: Weekday, from: u16, to: u16) {
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

/// The words of an offer that matching compares with the person's.
pub fn offer_text(name: &str, description: &str) -> String {
    format!("{name} {description}")
}

/// What reading the whole record adds.
#[derive(Debug, Clone, Copy)]
pub struct Details<'a> {
    pub terms: &'a [String],
    pub schedules: &'a [Schedule],
    pub name: &'a str,
    pub description: &'a str,
}

impl<'a> Details<'a> {
    pub fn of(index: &'a ServiceIndex) -> Self {
        Details {
            terms: &index.taxonomy_term_ids,
            schedules: &index.schedules,
            name: &index.name,
            description: &index.description,
        }
    }

    /// The same, from what [`crate::directory::oruk::match_details`] read.
    pub fn of_record(d: &'a crate::directory::oruk::MatchDetails) -> Self {
        Details {
            terms: &d.taxonomy_term_ids,
            schedules: &d.schedules,
            name: &d.name,
            description: &d.description,
        }
    }
}

/// One suggestion: the offer, how well it fits, and why, in plain words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub offer_id: String,
    pub score: f64,
    pub reasons: Vec<String>,
    #[serde(skip)]
    pub distance_km: Option<f64>,
}

impl Suggestion {
    /// Best first: higher score, then nearer (unknown last), then by id.
    pub fn order(a: &Suggestion, b: &Suggestion) -> Ordering {
        b.score
            .total_cmp(&a.score)
            .then_with(|| match (a.distance_km, b.distance_km) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| a.offer_id.cmp(&b.offer_id))
    }
}

fn nearest(seeker: &Seeker, facts: &Facts) -> Option<f64> {
    let home = seeker.home?;
    facts
        .points
        .iter()
        .map(|p| distance_km(home, *p))
        .min_by(f64::total_cmp)
}

/// "For carers", "For Deaf people".
fn for_words(c: Community) -> String {
    let label = c.label();
    let keep = ["Deaf", "LGBTQ", "South Asian", "Refugees"];
    if keep.iter().any(|k| label.starts_with(k)) {
        format!("For {label}")
    } else {
        let mut chars = label.chars();
        let first: String = chars
            .next()
            .map(|f| f.to_lowercase().collect())
            .unwrap_or_default();
        format!("For {first}{}", chars.as_str())
    }
}

fn list_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Judge one offer for one person: `None` when a hard constraint rules it out. Without
/// `details` (only the facts are known) it gives the best the offer could score, never less
/// than the score with them.
pub fn evaluate(
    seeker: &Seeker,
    id: &str,
    facts: &Facts,
    details: Option<Details<'_>>,
    w: &Weights,
) -> Option<Suggestion> {
    let (score, reasons, distance_km) = judge(&Prepared::new(seeker), facts, details, w)?;
    Some(Suggestion {
        offer_id: id.to_string(),
        score,
        reasons,
        distance_km,
    })
}

/// The person's side of matching as bits and numbers, worked out once for many offers.
struct Prepared<'s> {
    seeker: &'s Seeker,
    essential: i64,
    free_hours: Option<[i64; 3]>,
    /// Each interest: a Village category with its bit, or another term to find in the record.
    interests: Vec<(Option<&'static Category>, i64, &'s str)>,
    /// Where each of the person's words lands in an offer's word fingerprint.
    slots: Vec<(usize, i64)>,
    needs: Vec<(Access, i64)>,
    communities: Vec<(Community, i64)>,
    lived_experience: i64,
    has_space: i64,
    waiting_list: i64,
    /// A bit for each dismissed category (none for a term that has no bit).
    dismissed: Vec<i64>,
}

/// The bit of a Village term in [`Facts::bits`] as a mask (0 when it has none).
fn mask_of(term_id: &str) -> i64 {
    bit_of(term_id).map_or(0, |b| 1i64 << b)
}

impl<'s> Prepared<'s> {
    fn new(seeker: &'s Seeker) -> Self {
        Prepared {
            seeker,
            essential: seeker
                .essential
                .iter()
                .fold(0, |m, a| m | mask_of(a.term_id())),
            free_hours: seeker.free_hours(),
            interests: seeker
                .interests
                .iter()
                .map(|i| {
                    let c = category_by_id(i);
                    (c, c.map_or(0, |c| mask_of(c.id)), i.as_str())
                })
                .collect(),
            slots: seeker.keywords.iter().map(|(k, _)| slot(k)).collect(),
            needs: seeker
                .needs
                .iter()
                .map(|a| (*a, mask_of(a.term_id())))
                .collect(),
            communities: seeker
                .communities
                .iter()
                .map(|c| (*c, mask_of(c.term_id())))
                .collect(),
            lived_experience: mask_of(LIVED_EXPERIENCE_LED_TERM_ID),
            has_space: mask_of(Space::HasSpace.term_id()),
            waiting_list: mask_of(Space::WaitingList.term_id()),
            dismissed: seeker
                .dismissed_categories
                .iter()
                .map(|c| mask_of(c))
                .collect(),
        }
    }
}

/// [`evaluate`] without the offer's id: the score, the reasons (with `details`) and the
/// distance.
fn judge(
    p: &Prepared<'_>,
    facts: &Facts,
    details: Option<Details<'_>>,
    w: &Weights,
) -> Option<(f64, Vec<String>, Option<f64>)> {
    let seeker = p.seeker;
    // Hard constraints.
    if let Some((youngest, oldest)) = seeker.ages {
        if facts.minimum_age.is_some_and(|min| oldest < min)
            || facts.maximum_age.is_some_and(|max| youngest > max)
        {
            return None;
        }
    }
    let distance = nearest(seeker, facts);
    if let (Some(d), Some(max)) = (distance, seeker.max_km) {
        if d > max {
            return None;
        }
    }
    if facts.bits & p.essential != p.essential {
        return None;
    }
    let mut time_reason = None;
    let mut time_fits = false;
    if let Some(free) = p.free_hours {
        match details {
            Some(d) => {
                let dated: Vec<&Schedule> = d
                    .schedules
                    .iter()
                    .filter(|s| !s.days().is_empty())
                    .collect();
                if !dated.is_empty() {
                    let fit = dated.iter().find(|s| {
                        seeker
                            .free_times
                            .iter()
                            .any(|f| s.open_during(f.day, Some(f.from), Some(f.to)))
                    });
                    match fit {
                        Some(s) => {
                            time_fits = true;
                            time_reason = Some(format!("{}, when you're free", s.words()));
                        }
                        None => return None,
                    }
                }
            }
            None => match facts.hours {
                Some(h) if !hours_meet(&h, &free) => return None,
                Some(_) => time_fits = true,
                None => {}
            },
        }
    }

    let mut score = 0.0;
    let mut reasons = Vec::new();
    // Reasons are words for people; a bound (no record read) needs only the number.
    let explain = details.is_some();
    if let Some(r) = time_reason {
        if explain {
            reasons.push(r);
        }
    }
    if time_fits {
        score += w.time;
    }
    if let Some(d) = distance {
        let reach = seeker.max_km.unwrap_or(DEFAULT_REACH_KM);
        score += w.distance * (1.0 - d / reach).max(0.0);
        if explain {
            reasons.push(distance_words(d));
        }
    }
    // Interests: Village categories are known from the facts; other terms from the record.
    let mut matched = 0usize;
    let mut named = Vec::new();
    for (category, mask, interest) in &p.interests {
        let hit = match (category, details) {
            (Some(c), _) => (facts.bits & mask != 0).then_some(Some(c.name)),
            (None, Some(d)) => d.terms.iter().any(|t| t == interest).then_some(None),
            (None, None) => Some(None),
        };
        if let Some(name) = hit {
            matched += 1;
            if let (Some(n), true) = (name, explain) {
                named.push(n.to_string());
            }
        }
    }
    score += w.interest * matched.min(2) as f64;
    if !named.is_empty() {
        if explain {
            reasons.push(format!("{}: one of your interests", list_words(&named)));
        }
    } else if matched > 0 && explain {
        reasons.push("About one of your interests".to_string());
    }
    // Words that matter to the person, in the offer's own words.
    match details {
        Some(d) => {
            let text = offer_text(d.name, d.description);
            let offer_words = stem_set(&text);
            let found: Vec<String> = seeker
                .keywords
                .iter()
                .filter(|(k, _)| offer_words.contains(k))
                .map(|(_, written)| written.clone())
                .take(3)
                .collect();
            if !found.is_empty() {
                score += w.words * found.len() as f64;
                if explain {
                    reasons.push(format!("Mentions {}", list_words(&found)));
                }
            }
        }
        None => {
            let may = match &facts.words {
                Some(sig) => p
                    .slots
                    .iter()
                    .filter(|(word, bit)| sig[*word] & bit != 0)
                    .count(),
                None => seeker.keywords.len(),
            };
            score += w.words * may.min(3) as f64;
        }
    }
    if !p.needs.is_empty() {
        let met = p.needs.iter().filter(|(_, m)| facts.bits & m != 0);
        score += w.access * met.clone().count() as f64 / p.needs.len() as f64;
        if explain {
            reasons.extend(met.map(|(a, _)| a.label().to_string()));
        }
    }
    if let Some((c, _)) = p.communities.iter().find(|(_, m)| facts.bits & m != 0) {
        score += w.community;
        if explain {
            reasons.push(for_words(*c));
        }
    }
    if seeker.preferences.lived_experience && facts.bits & p.lived_experience != 0 {
        score += w.lived_experience;
        if explain {
            reasons.push("Run by people with lived experience".to_string());
        }
    }
    if facts.free == Some(true) {
        score += if seeker.preferences.free {
            2.0 * w.free
        } else {
            w.free
        };
        if explain {
            reasons.push("Free".to_string());
        }
    }
    if facts.bits & p.has_space != 0 {
        score += w.space;
        if explain {
            reasons.push("Has space now".to_string());
        }
    } else if facts.bits & p.waiting_list != 0 {
        score -= w.space / 2.0;
        if explain {
            reasons.push("Has a waiting list".to_string());
        }
    }
    let like_dismissed = p
        .dismissed
        .iter()
        .filter(|m| facts.bits & *m != 0)
        .count()
        .min(3);
    score -= w.dismissed * 0.5 * like_dismissed as f64;
    Some((score, reasons, distance))
}

/// The best `k` suggestions as exact scores arrive in order of their bounds.
#[derive(Debug, Clone)]
pub struct TopK {
    k: usize,
    best: Vec<Suggestion>,
}

impl TopK {
    pub fn new(k: usize) -> Self {
        TopK {
            k,
            best: Vec::new(),
        }
    }

    pub fn push(&mut self, s: Suggestion) {
        let at = self
            .best
            .partition_point(|x| Suggestion::order(x, &s) == Ordering::Less);
        self.best.insert(at, s);
        self.best.truncate(self.k);
    }

    /// True once no offer whose bound is `next_bound` (or lower) could enter the list.
    pub fn settled(&self, next_bound: f64) -> bool {
        self.k == 0
            || (self.best.len() == self.k
                && self.best.last().is_some_and(|last| next_bound < last.score))
    }

    pub fn into_vec(self) -> Vec<Suggestion> {
        self.best
    }
}

/// Order candidates (id, facts) for exact scoring: those a hard constraint rules out are left
/// out; the rest come with their bound, highest first (then by id).
pub fn by_bound<'a>(
    seeker: &Seeker,
    candidates: &'a [(String, Facts)],
    w: &Weights,
) -> Vec<(&'a str, f64)> {
    let p = Prepared::new(seeker);
    let mut out: Vec<(&str, f64)> = candidates
        .iter()
        .filter_map(|(id, f)| judge(&p, f, None, w).map(|(score, _, _)| (id.as_str(), score)))
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    out
}

/// Rank whole offers (every record read): what the two steps must agree with.
pub fn rank(seeker: &Seeker, offers: &[ServiceIndex], w: &Weights, k: usize) -> Vec<Suggestion> {
    let mut all: Vec<Suggestion> = offers
        .iter()
        .filter_map(|o| evaluate(seeker, &o.id, &Facts::of(o), Some(Details::of(o)), w))
        .collect();
    all.sort_by(Suggestion::order);
    all.truncate(k);
    all
}

/// Whether an offer breaks one of the person's hard constraints, checked directly (the
/// property tests hold matching to this).
pub fn breaks_hard_constraint(seeker: &Seeker, offer: &ServiceIndex) -> bool {
    if let Some((youngest, oldest)) = seeker.ages {
        if offer.minimum_age.is_some_and(|m| oldest < m)
            || offer.maximum_age.is_some_and(|m| youngest > m)
        {
            return true;
        }
    }
    if let (Some(home), Some(max)) = (seeker.home, seeker.max_km) {
        if !offer.places.is_empty()
            && offer
                .places
                .iter()
                .all(|p| distance_km(home, p.point) > max)
        {
            return true;
        }
    }
    if seeker
        .essential
        .iter()
        .any(|a| !offer.taxonomy_term_ids.iter().any(|t| t == a.term_id()))
    {
        return true;
    }
    let dated: Vec<&Schedule> = offer
        .schedules
        .iter()
        .filter(|s| !s.days().is_empty())
        .collect();
    !seeker.free_times.is_empty()
        && !dated.is_empty()
        && !dated.iter().any(|s| {
            seeker
                .free_times
                .iter()
                .any(|f| s.open_during(f.day, Some(f.from), Some(f.to)))
        })
}

#[cfg(test)]
mod tests;
