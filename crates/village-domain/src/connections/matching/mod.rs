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

mod facts;
mod judge;

pub use facts::*;
pub use judge::*;

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
    /// How reasons say distances (the hub's setting).
    pub unit: crate::directory::geo::DistanceUnit,
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

#[cfg(test)]
mod tests;
