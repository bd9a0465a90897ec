//! The person's own profile: a one-page profile and more, section by section, each with its
//! own visibility. Sections ask open questions; four of them also carry structure that
//! matching uses (interests → directory terms, travel → postcode and distance, availability
//! → weekly slots, access needs → accessibility codes).

use crate::accounts::FieldError;
use crate::directory::geo::Postcode;
use crate::directory::schedule::{TimeOfDay, Weekday};
use crate::directory::taxonomy::Access;
use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};

/// A part of the profile. The keys are stable: they are stored and used in the API.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum Section {
    Appreciated,
    Important,
    Support,
    Story,
    Gifts,
    Interests,
    Communication,
    AccessNeeds,
    Travel,
    Availability,
    /// The year the person was born, for offers with age limits.
    BirthYear,
}

/// What a section is for, as the page asks it.
pub struct Question {
    pub heading: &'static str,
    pub hint: &'static str,
}

stored_code!(Section, "profile section");

impl Section {
    pub const ALL: &'static [Section] = <Section as strum::VariantArray>::VARIANTS;

    pub fn key(self) -> &'static str {
        self.into()
    }

    pub fn parse(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    /// The heading and the open question with examples, as pages show them.
    pub fn question(self) -> Question {
        let (heading, hint) = match self {
            Section::Appreciated => ("What people like and admire about me", "For example: \"People say I make them laugh\", \"I'm a good listener\", \"I never give up\"."),
            Section::Important => ("What is important to me", "For example: seeing my grandchildren on Sundays, my faith, my garden, being out in the fresh air."),
            Section::Support => ("How best to support me", "For example: \"Give me time to answer\", \"Ring before you visit\", \"Explain things one step at a time\"."),
            Section::Story => ("My story", "Tell it your way: where you have come from, what you have done, what you are proud of, what you hope for."),
            Section::Gifts => ("My gifts and skills", "Gifts of the head (things I know), the hands (things I can do) and the heart (things I care about)."),
            Section::Interests => ("Things I'd like to do, learn or share", "For example: singing, learning to use a tablet, teaching someone to cook. Tick the kinds of activity that fit."),
            Section::Communication => ("How I communicate", "For example: British Sign Language, Polish, easy read, texts rather than calls, I use a communication aid."),
            Section::AccessNeeds => ("What helps me take part", "For example: step-free access, a quiet space, a hearing loop. Tick what you need, and which are essential."),
            Section::Travel => ("Getting about", "Your home area (a postcode, or its first part), how far you can get to, and how: on foot, by bus, with a lift."),
            Section::Availability => ("When I'm free", "The times in a usual week when you could do something."),
            Section::BirthYear => ("Year of birth", "Only used to find activities with age limits. You choose who else sees it."),
        };
        Question { heading, hint }
    }

    /// Where a section starts out: close to the person.
    pub fn default_visibility(self) -> Visibility {
        match self {
            Section::Story | Section::Travel | Section::BirthYear => Visibility::OnlyMe,
            _ => Visibility::Circle,
        }
    }

    /// The longest text a section keeps, in characters.
    pub fn max_chars(self) -> usize {
        match self {
            Section::Story => 20_000,
            Section::BirthYear => 4,
            _ => 4_000,
        }
    }

    /// The name of the text field in forms and the API, for error messages.
    pub fn text_field(self) -> &'static str {
        match self {
            Section::Appreciated => "appreciated.text",
            Section::Important => "important.text",
            Section::Support => "support.text",
            Section::Story => "story.text",
            Section::Gifts => "gifts.text",
            Section::Interests => "interests.text",
            Section::Communication => "communication.text",
            Section::AccessNeeds => "access_needs.text",
            Section::Travel => "travel.text",
            Section::Availability => "availability.text",
            Section::BirthYear => "birth_year.value",
        }
    }

    pub fn visibility_field(self) -> &'static str {
        match self {
            Section::Appreciated => "appreciated.visibility",
            Section::Important => "important.visibility",
            Section::Support => "support.visibility",
            Section::Story => "story.visibility",
            Section::Gifts => "gifts.visibility",
            Section::Interests => "interests.visibility",
            Section::Communication => "communication.visibility",
            Section::AccessNeeds => "access_needs.visibility",
            Section::Travel => "travel.visibility",
            Section::Availability => "availability.visibility",
            Section::BirthYear => "birth_year.visibility",
        }
    }
}

/// Who can see a section. Each reaches everyone the one before it reaches, and more.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Visibility {
    OnlyMe,
    Circle,
    Connectors,
    Members,
    Public,
}

stored_code!(Visibility, "visibility");

impl Visibility {
    pub const ALL: &'static [Visibility] = <Visibility as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.trim().parse().ok()
    }

    /// Who can see it, in plain words, for the person's own pages.
    pub fn words(self) -> &'static str {
        match self {
            Visibility::OnlyMe => "Only you",
            Visibility::Circle => "You and the people in your circle of support",
            Visibility::Connectors => "Your circle and the connectors you chose",
            Visibility::Members => "Everyone signed in to this hub",
            Visibility::Public => "Anyone, including people who are not signed in",
        }
    }
}

/// A time in the week when the person is free.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Slot {
    /// `MO` … `SU`.
    pub day: String,
    /// `HH:MM`.
    pub from: String,
    /// `HH:MM`, after `from`.
    pub to: String,
}

/// What one section says: its words and, for four sections, its structure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Content {
    pub text: String,
    /// `interests`: directory taxonomy term ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    /// `travel`: a full postcode or its district, in its usual form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// `travel`: how far the person can get to, in kilometres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_km: Option<f64>,
    /// `availability`: when the person is free in a usual week.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<Slot>,
    /// `access_needs`: accessibility codes that help.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// `access_needs`: the codes without which the person cannot take part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub essential: Vec<String>,
}

impl Content {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.terms.is_empty()
            && self.postcode.is_none()
            && self.max_km.is_none()
            && self.slots.is_empty()
            && self.needs.is_empty()
            && self.essential.is_empty()
    }

    /// The structure as stored beside the words (`None` when there is none).
    pub fn structure_json(&self) -> Option<String> {
        let mut only = self.clone();
        only.text.clear();
        if only.is_empty() {
            return None;
        }
        serde_json::to_value(&only).ok().map(|mut v| {
            if let Some(o) = v.as_object_mut() {
                o.remove("text");
            }
            v.to_string()
        })
    }

    /// Read back what [`Content::structure_json`] stored.
    pub fn from_stored(text: &str, structure: Option<&str>) -> Self {
        /// The stored structure: a section's content without its words, read straight into
        /// place (this runs for every section of every profile shown).
        #[derive(Default, Deserialize)]
        struct Stored {
            #[serde(default)]
            terms: Vec<String>,
            #[serde(default)]
            postcode: Option<String>,
            #[serde(default)]
            max_km: Option<f64>,
            #[serde(default)]
            slots: Vec<Slot>,
            #[serde(default)]
            needs: Vec<String>,
            #[serde(default)]
            essential: Vec<String>,
        }
        let stored: Stored = structure
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default();
        Content {
            text: text.to_string(),
            terms: stored.terms,
            postcode: stored.postcode,
            max_km: stored.max_km,
            slots: stored.slots,
            needs: stored.needs,
            essential: stored.essential,
        }
    }

    /// The birth year, for the `birth_year` section.
    pub fn year(&self) -> Option<i32> {
        self.text.trim().parse().ok()
    }

    /// Short plain words for the structure, to show under the text ("Free on Tuesdays
    /// 10am to midday"), with distances in the hub's `unit`.
    pub fn structure_words(&self, unit: crate::directory::geo::DistanceUnit) -> Vec<String> {
        let mut words = Vec::new();
        for id in &self.terms {
            if let Some(c) = crate::directory::taxonomy::category_by_id(id) {
                words.push(c.name.to_string());
            }
        }
        if let Some(p) = &self.postcode {
            words.push(format!("Home area: {p}"));
        }
        if let Some(km) = self.max_km {
            words.push(format!(
                "Can get to places up to {} away",
                unit.amount(km / unit.km())
            ));
        }
        for slot in &self.slots {
            let day = Weekday::parse(&slot.day).map(|d| d.name()).unwrap_or("");
            words.push(format!(
                "Free on {day}s {}",
                crate::directory::schedule::hours_words(&slot.from, &slot.to)
            ));
        }
        for code in &self.needs {
            if let Some(a) = Access::parse(code) {
                if self.essential.iter().any(|e| e == code) {
                    words.push(format!("{} (essential)", a.label()));
                } else {
                    words.push(a.label().to_string());
                }
            }
        }
        words
    }
}

/// Check and tidy what someone entered for a section. `known_term` says whether a taxonomy
/// term id exists in this hub's directory.
pub fn check(
    section: Section,
    mut content: Content,
    known_term: impl Fn(&str) -> bool,
    this_year: i32,
) -> Result<Content, FieldError> {
    content.text = content.text.trim().replace("\r\n", "\n");
    if content.text.chars().count() > section.max_chars() {
        return Err(FieldError::new(
            section.text_field(),
            ErrorCode::TooLong,
            format!(
                "Please keep this under {} characters, or split it up.",
                section.max_chars()
            ),
        ));
    }
    if content
        .text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(FieldError::new(
            section.text_field(),
            ErrorCode::TextInvalid,
            "This has characters in it that cannot be shown. Please type it again.",
        ));
    }
    let other_structure = {
        let mut probe = content.clone();
        probe.text.clear();
        match section {
            Section::Interests => probe.terms.clear(),
            Section::Travel => {
                probe.postcode = None;
                probe.max_km = None;
            }
            Section::Availability => probe.slots.clear(),
            Section::AccessNeeds => {
                probe.needs.clear();
                probe.essential.clear();
            }
            _ => {}
        }
        !probe.is_empty()
    };
    if other_structure {
        return Err(FieldError::new(
            section.text_field(),
            ErrorCode::FieldNotInSection,
            format!(
                "The '{}' section only takes its words{}.",
                section.key(),
                match section {
                    Section::Interests => " and 'terms'",
                    Section::Travel => ", 'postcode' and 'max_km'",
                    Section::Availability => " and 'slots'",
                    Section::AccessNeeds => ", 'needs' and 'essential'",
                    _ => "",
                }
            ),
        ));
    }
    match section {
        Section::Interests => {
            let mut terms: Vec<String> = Vec::new();
            for t in &content.terms {
                let t = t.trim();
                if !known_term(t) {
                    return Err(FieldError::new(
                        "interests.terms",
                        ErrorCode::TermUnknown,
                        format!("'{t}' is not a category in this hub's directory."),
                    ));
                }
                if !terms.iter().any(|x| x == t) {
                    terms.push(t.to_string());
                }
            }
            if terms.len() > 40 {
                return Err(FieldError::new(
                    "interests.terms",
                    ErrorCode::TooMany,
                    "Choose up to 40 kinds of activity.",
                ));
            }
            content.terms = terms;
        }
        Section::Travel => {
            if let Some(p) = content.postcode.take() {
                if !p.trim().is_empty() {
                    let parsed = Postcode::parse(&p).map_err(|m| {
                        FieldError::new("travel.postcode", ErrorCode::PostcodeInvalid, m)
                    })?;
                    content.postcode = Some(parsed.to_string());
                }
            }
            if let Some(km) = content.max_km {
                if !km.is_finite() || km <= 0.0 || km > 500.0 {
                    return Err(FieldError::new(
                        "travel.max_km",
                        ErrorCode::DistanceInvalid,
                        "Enter how far you can travel as a number, more than 0 and up to 300 miles (500 km).",
                    ));
                }
                content.max_km = Some((km * 10.0).round() / 10.0);
            }
        }
        Section::Availability => {
            if content.slots.len() > 50 {
                return Err(FieldError::new(
                    "availability.slots",
                    ErrorCode::TooMany,
                    "Give up to 50 times in a week.",
                ));
            }
            let mut slots = Vec::new();
            for slot in &content.slots {
                let day = Weekday::parse(&slot.day).ok_or_else(|| {
                    FieldError::new(
                        "availability.slots",
                        ErrorCode::DayInvalid,
                        format!(
                            "'{}' is not a day: use MO, TU, WE, TH, FR, SA or SU.",
                            slot.day
                        ),
                    )
                })?;
                let from = TimeOfDay::parse(&slot.from);
                let to = TimeOfDay::parse(&slot.to);
                let (Some(from), Some(to)) = (from, to) else {
                    return Err(FieldError::new(
                        "availability.slots",
                        ErrorCode::TimeInvalid,
                        format!(
                            "Give times like 09:30 for {} ('{}' to '{}').",
                            day.name(),
                            slot.from,
                            slot.to
                        ),
                    ));
                };
                if to <= from {
                    return Err(FieldError::new(
                        "availability.slots",
                        ErrorCode::TimeOrder,
                        format!(
                            "On {} the end time must be after the start time.",
                            day.name()
                        ),
                    ));
                }
                slots.push(Slot {
                    day: day.code().to_string(),
                    from: from.to_string(),
                    to: to.to_string(),
                });
            }
            slots.sort_by(|a, b| {
                (Weekday::parse(&a.day), &a.from).cmp(&(Weekday::parse(&b.day), &b.from))
            });
            slots.dedup();
            content.slots = slots;
        }
        Section::AccessNeeds => {
            let read = |codes: &[String]| -> Result<Vec<String>, FieldError> {
                let mut out: Vec<String> = Vec::new();
                for code in codes {
                    let a = Access::parse(code).ok_or_else(|| {
                        FieldError::new(
                            "access_needs.needs",
                            ErrorCode::AccessCodeUnknown,
                            format!("'{code}' is not one of the directory's accessibility codes."),
                        )
                    })?;
                    if !out.iter().any(|x| x == a.code()) {
                        out.push(a.code().to_string());
                    }
                }
                Ok(out)
            };
            let essential = read(&content.essential)?;
            let mut needs = read(&content.needs)?;
            // Something essential is also something that helps.
            for e in &essential {
                if !needs.contains(e) {
                    needs.push(e.clone());
                }
            }
            content.needs = needs;
            content.essential = essential;
        }
        Section::BirthYear if !content.text.is_empty() => {
            let year_ok = content
                .text
                .parse::<i32>()
                .is_ok_and(|y| y >= this_year - 120 && y <= this_year);
            if !year_ok {
                return Err(FieldError::new(
                    "birth_year.value",
                    ErrorCode::BirthYearInvalid,
                    format!(
                        "Enter the year you were born as four figures, like 1961 (from {} to {this_year}).",
                        this_year - 120
                    ),
                ));
            }
        }
        _ => {}
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any_term(_: &str) -> bool {
        true
    }

    #[test]
    fn keys_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for &s in Section::ALL {
            assert!(seen.insert(s.key()));
            assert_eq!(Section::parse(s.key()), Some(s));
            assert!(s.text_field().starts_with(s.key()));
            assert!(s.visibility_field().starts_with(s.key()));
        }
        for &v in Visibility::ALL {
            assert_eq!(Visibility::parse(v.code()), Some(v));
            assert_eq!(
                serde_json::to_string(&v).ok(),
                Some(format!("\"{}\"", v.code()))
            );
        }
    }

    #[test]
    fn defaults_keep_things_close() {
        for &s in Section::ALL {
            assert!(s.default_visibility() <= Visibility::Circle, "{s:?}");
        }
    }

    #[test]
    fn structure_is_checked_and_tidied() {
        let travel = check(
            Section::Travel,
            Content {
                text: " I get the 42 bus ".into(),
                postcode: Some("mf11aa".into()),
                max_km: Some(3.04),
                ..Content::default()
            },
            any_term,
            2026,
        );
        let travel = travel.ok();
        assert_eq!(
            travel.as_ref().map(|t| t.text.as_str()),
            Some("I get the 42 bus")
        );
        assert_eq!(
            travel.as_ref().and_then(|t| t.postcode.clone()),
            Some("MF1 1AA".to_string())
        );
        assert_eq!(travel.and_then(|t| t.max_km), Some(3.0));

        let bad = check(
            Section::Travel,
            Content {
                postcode: Some("not a place".into()),
                ..Content::default()
            },
            any_term,
            2026,
        );
        assert_eq!(bad.err().map(|e| e.field), Some("travel.postcode"));

        let slots = check(
            Section::Availability,
            Content {
                slots: vec![
                    Slot {
                        day: "tu".into(),
                        from: "14:00".into(),
                        to: "16:00".into(),
                    },
                    Slot {
                        day: "MO".into(),
                        from: "9:30".into(),
                        to: "12:00".into(),
                    },
                ],
                ..Content::default()
            },
            any_term,
            2026,
        )
        .map(|c| c.slots)
        .unwrap_or_default();
        assert_eq!(slots[0].day, "MO");
        assert_eq!(slots[0].from, "09:30");
        assert_eq!(slots[1].day, "TU");

        let backwards = check(
            Section::Availability,
            Content {
                slots: vec![Slot {
                    day: "MO".into(),
                    from: "12:00".into(),
                    to: "09:00".into(),
                }],
                ..Content::default()
            },
            any_term,
            2026,
        );
        assert_eq!(backwards.err().map(|e| e.code.as_str()), Some("time_order"));

        let needs = check(
            Section::AccessNeeds,
            Content {
                needs: vec!["quiet_space".into()],
                essential: vec!["step_free".into()],
                ..Content::default()
            },
            any_term,
            2026,
        )
        .ok()
        .unwrap_or_default();
        assert_eq!(needs.needs, vec!["quiet_space", "step_free"]);
        let unknown = check(
            Section::AccessNeeds,
            Content {
                needs: vec!["stairs".into()],
                ..Content::default()
            },
            any_term,
            2026,
        );
        assert_eq!(
            unknown.err().map(|e| e.code.as_str()),
            Some("access_code_unknown")
        );

        let terms = check(
            Section::Interests,
            Content {
                terms: vec!["nope".into()],
                ..Content::default()
            },
            |t| t == "yes",
            2026,
        );
        assert_eq!(terms.err().map(|e| e.field), Some("interests.terms"));

        let wrong_place = check(
            Section::Story,
            Content {
                text: "hello".into(),
                max_km: Some(2.0),
                ..Content::default()
            },
            any_term,
            2026,
        );
        assert_eq!(
            wrong_place.err().map(|e| e.code.as_str()),
            Some("field_not_in_section")
        );
    }

    #[test]
    fn birth_years_are_real_years() {
        for (text, ok) in [
            ("1961", true),
            ("", true),
            ("1850", false),
            ("2030", false),
            ("sixty", false),
        ] {
            let r = check(
                Section::BirthYear,
                Content {
                    text: text.into(),
                    ..Content::default()
                },
                any_term,
                2026,
            );
            assert_eq!(r.is_ok(), ok, "{text}");
        }
    }

    #[test]
    fn structure_survives_storage() {
        let c = Content {
            text: "Tuesdays are good".into(),
            slots: vec![Slot {
                day: "TU".into(),
                from: "10:00".into(),
                to: "12:00".into(),
            }],
            ..Content::default()
        };
        let stored = c.structure_json();
        assert!(stored
            .as_deref()
            .is_some_and(|s| !s.contains("Tuesdays are good")));
        assert_eq!(Content::from_stored(&c.text, stored.as_deref()), c);
        assert_eq!(Content::from_stored("x", None).text, "x");
        // Every part of the structure, as the four sections store it.
        let full = Content {
            text: "All of it".into(),
            terms: vec!["village-food".into(), "village-peer-support".into()],
            postcode: Some("EC1A 1BB".into()),
            max_km: Some(2.5),
            slots: c.slots.clone(),
            needs: vec!["step_free".into(), "quiet_space".into()],
            essential: vec!["step_free".into()],
        };
        let stored = full.structure_json();
        assert_eq!(Content::from_stored(&full.text, stored.as_deref()), full);
        // A structure that cannot be read leaves the words and no structure.
        for bad in ["not json", "[1, 2]", r#"{"max_km": "far"}"#] {
            assert_eq!(
                Content::from_stored("words", Some(bad)),
                Content {
                    text: "words".into(),
                    ..Content::default()
                },
                "{bad}"
            );
        }
    }

    #[test]
    fn long_text_is_refused_by_name() {
        let r = check(
            Section::Gifts,
            Content {
                text: "a".repeat(4_001),
                ..Content::default()
            },
            any_term,
            2026,
        );
        assert_eq!(r.err().map(|e| e.field), Some("gifts.text"));
    }
}
