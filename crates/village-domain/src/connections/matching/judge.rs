//! Judging one offer for a person (hard constraints, then a score with reasons in plain words), and keeping the best few.

use super::*;

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

pub(super) fn nearest(seeker: &Seeker, facts: &Facts) -> Option<f64> {
    let home = seeker.home?;
    facts
        .points
        .iter()
        .map(|p| distance_km(home, *p))
        .min_by(f64::total_cmp)
}

/// "For carers", "For Deaf people".
pub(super) fn for_words(c: Community) -> String {
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
pub(super) struct Prepared<'s> {
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
pub(super) fn mask_of(term_id: &str) -> i64 {
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
/// Nearer than this (about a street, or the same postcode) is said as "very close to your
/// home" rather than as a distance.
pub const NEXT_DOOR_KM: f64 = 0.2;

pub(super) fn judge(
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
            reasons.push(if d < NEXT_DOOR_KM {
                "Very close to your home".to_string()
            } else {
                distance_words(d, seeker.unit)
            });
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
            reasons.push(format!(
                "{}: one of your interests",
                crate::text::and_list(&named)
            ));
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
                    reasons.push(format!("Mentions {}", crate::text::and_list(&found)));
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
