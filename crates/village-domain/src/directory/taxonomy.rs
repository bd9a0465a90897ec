//! The words Village uses to describe community life: the default taxonomy of categories,
//! accessibility codes, and kinds of group. They travel in Open Referral UK data as taxonomy
//! terms and attributes, so ORUK output stays valid; their ids never change.

use serde::Serialize;

/// The id of Village's default taxonomy ("Community life").
pub const COMMUNITY_TAXONOMY_ID: &str = "3818fc1a-9acf-43e5-865b-89eef6b33079";
pub const COMMUNITY_TAXONOMY_NAME: &str = "Village community life";

/// One category of community life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Category {
    /// A stable UUID, used as the ORUK taxonomy term id.
    pub id: &'static str,
    /// A short stable code for addresses and forms, e.g. `peer_support`.
    pub code: &'static str,
    pub name: &'static str,
    /// What it covers, in plain words.
    pub description: &'static str,
}

/// The default categories, in the order pages show them.
pub const CATEGORIES: [Category; 17] = [
    Category { id: "29091acb-02d3-4079-be64-767949acc902", code: "social", name: "Social and friendship", description: "Meeting people, making friends and having company: coffee mornings, lunch clubs, social groups." },
    Category { id: "b2d5ed02-dbd9-4680-ba48-f00c6ff3f127", code: "arts", name: "Arts and making", description: "Art, craft, music, singing, writing, theatre and making things together." },
    Category { id: "94abc10e-8000-4391-81d9-27a0570371fe", code: "moving", name: "Moving and sport", description: "Walking groups, dance, chair exercise, swimming, football and other ways to move." },
    Category { id: "4e34339e-4657-4601-9056-fd482bc4ecc1", code: "food", name: "Food", description: "Cooking, eating together, community fridges, food banks and growing food." },
    Category { id: "48a68afb-fa00-4fb3-bf97-d56b2a5ddd4f", code: "learning", name: "Learning", description: "Classes, courses, reading groups, languages and learning something new." },
    Category { id: "263444b9-ee5f-4967-96f1-a459024a0267", code: "volunteering", name: "Volunteering and giving", description: "Ways to give your time, skills and gifts to others." },
    Category { id: "61abac26-4213-44de-91ce-c2c7650cfcb1", code: "peer_support", name: "Peer support", description: "People with shared experience supporting each other." },
    Category { id: "ec752004-9328-485c-a0e6-e9ea6931ae61", code: "carers", name: "Carers' support", description: "Support, breaks and company for people who look after someone." },
    Category { id: "480ee2de-3e42-4d9d-b003-d188d878b2b8", code: "wellbeing", name: "Mental wellbeing", description: "Feeling well in your mind: talking, calm, connection and support when things are hard." },
    Category { id: "82c65f0f-2586-4cb0-8a95-5bc5986706f6", code: "advice", name: "Advice and money", description: "Help with money, benefits, housing, rights and forms." },
    Category { id: "35d81921-2c2f-4645-a7c8-67ee1eca2d64", code: "getting_out", name: "Getting out and about", description: "Transport, travel buddies, trips and help getting to places." },
    Category { id: "be656e12-e1f9-4345-a31f-f3b7679d0471", code: "help_at_home", name: "Help at home", description: "Practical help around the home, shopping, odd jobs and good neighbours." },
    Category { id: "d5858878-cee5-4aec-a8b7-f6181aaac8d0", code: "digital", name: "Digital skills", description: "Help with phones, tablets, computers and getting online." },
    Category { id: "97727311-3023-43cc-8c05-81259ec7b50d", code: "faith_culture", name: "Faith and culture", description: "Faith groups, cultural groups and celebrations." },
    Category { id: "1716fe23-fb35-4f2b-ba1f-d58a5ef24507", code: "nature", name: "Nature and gardening", description: "Gardening, allotments, parks, wildlife and being outdoors." },
    Category { id: "c1af4264-5775-4a7b-88b3-628b6ae11137", code: "work", name: "Work and enterprise", description: "Finding work, starting a small business or micro-enterprise, and work skills." },
    Category { id: "f4e9dcee-685b-4ef4-b63c-dff28e4303ec", code: "health", name: "Health and care", description: "Health services, care and support services, and staying well." },
];

/// The taxonomies that carry Village's additions in Open Referral data (the "Village profile").
pub const ACCESS_TAXONOMY_ID: &str = "112e30ef-4add-42e1-ad68-4f91e0f4dd58";
pub const ACCESS_TAXONOMY_NAME: &str = "Village access";
pub const GROUP_KIND_TAXONOMY_ID: &str = "f939b3a5-f66f-474e-8573-8a4fc1d4a680";
pub const GROUP_KIND_TAXONOMY_NAME: &str = "Village kind of group";
pub const LIVED_EXPERIENCE_TAXONOMY_ID: &str = "a93e1541-9897-464e-b708-3e9f189a8622";
pub const LIVED_EXPERIENCE_TAXONOMY_NAME: &str = "Village lived experience";
/// The term an offer carries when it is led by people with lived experience.
pub const COMMUNITIES_TAXONOMY_ID: &str = "518fb316-db0a-4867-8998-be09849651bd";
pub const COMMUNITIES_TAXONOMY_NAME: &str = "Village communities of interest";
pub const SPACE_TAXONOMY_ID: &str = "1c0bbd0c-3e79-42c4-ac57-66272464a228";
pub const SPACE_TAXONOMY_NAME: &str = "Village space";
pub const LIVED_EXPERIENCE_LED_TERM_ID: &str = "ea65a0f2-186f-4362-aeb9-5a27035df2f3";

pub fn category_by_code(code: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.code == code)
}

pub fn category_by_id(id: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.id == id)
}

/// What a taxonomy term is called on pages, for any term Village knows (a category, an access
/// fact, a kind of group, a community, space, or "Led by people with lived experience").
pub fn term_label(id: &str) -> Option<&'static str> {
    if id == LIVED_EXPERIENCE_LED_TERM_ID {
        return Some("Led by people with lived experience");
    }
    category_by_id(id)
        .map(|c| c.name)
        .or_else(|| Access::from_term_id(id).map(Access::label))
        .or_else(|| GroupKind::from_term_id(id).map(GroupKind::label))
        .or_else(|| Community::from_term_id(id).map(Community::label))
        .or_else(|| Space::from_term_id(id).map(Space::label))
}

macro_rules! coded {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal, $id:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable code used in addresses, the API and ORUK attributes.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            /// Plain words for pages.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
            }

            /// The ORUK taxonomy term id (a fixed UUID) that carries it in Open Referral data.
            pub fn term_id(self) -> &'static str {
                match self { $($name::$variant => $id,)* }
            }

            pub fn from_term_id(id: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.term_id() == id)
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code.trim())
            }
        }
    };
}

coded!(
    /// Access a place or activity has, beside its free-text description.
    Access {
        StepFree => "step_free", "Step-free access", "f2ba66e1-7090-4298-9d7e-7b965f4d771f";
        AccessibleToilet => "accessible_toilet", "Accessible toilet", "22627289-2427-474d-aba8-fd40ffca76fc";
        HearingLoop => "hearing_loop", "Hearing loop", "d5166263-8371-4cee-bebf-2473afbcb652";
        Bsl => "bsl", "British Sign Language", "6da42816-0877-44e2-9d95-12938d05a268";
        QuietSpace => "quiet_space", "Quiet space", "acc84bd3-d0e7-4dec-ba19-35dd5c948986";
        EasyRead => "easy_read", "Easy read information", "bc197ff7-07de-4145-a447-57c934132961";
        LargePrint => "large_print", "Large print", "d7164abd-4b56-4d08-b229-d8deca4c082d";
        BlueBadgeParking => "blue_badge_parking", "Blue badge parking", "6c343cd0-b905-43bc-b40c-081e61233bb8";
        ChangingPlaces => "changing_places", "Changing Places toilet", "83f3ca10-4fea-4ed4-b751-6de24c034bf9";
        AssistanceDogs => "assistance_dogs", "Assistance dogs welcome", "4c232237-a659-4d59-bc6a-47f80e096f13";
    }
);

coded!(
    /// What kind of group runs an offer.
    GroupKind {
        RegisteredCharity => "registered_charity", "Registered charity", "8ca3ed7c-f9be-40c2-90e9-3cb65ccd38fa";
        InformalGroup => "informal_group", "Informal group", "4ec73546-b2e7-4f05-b6e4-cf63e98bd5b3";
        MutualAid => "mutual_aid", "Mutual aid group", "e0062210-86b7-410f-834e-c8e9fd0b2172";
        UserLed => "user_led", "User-led organisation", "c16d54a0-2228-440f-94d3-f1cd9a2e0216";
        SelfAdvocacy => "self_advocacy", "Self-advocacy group", "115d7b63-7e1c-4371-88c1-31a9f22670f4";
        MicroEnterprise => "micro_enterprise", "Micro-enterprise", "344b4a39-e136-47b5-8526-6c467101bd33";
        Faith => "faith", "Faith group", "947dfce0-5ca9-449e-b4cc-ba05be109e88";
        Neighbourhood => "neighbourhood", "Neighbourhood group", "b6992c27-9c16-4e32-af39-29a74ced7e4e";
        CouncilService => "council_service", "Council service", "75d9e7d9-1d8c-4161-a160-30ec843c09a3";
        NhsService => "nhs_service", "NHS service", "13b8afc1-8580-4d5f-8e4e-faf88bd27998";
        Business => "business", "Business", "3ca185d0-b709-4cc5-a466-a890242d7f2f";
    }
);

coded!(
    /// Communities of interest or identity an offer is for (it may welcome others too).
    Community {
        Carers => "carers", "Carers", "2c9b1311-49f3-44ef-bb3c-6fe0b1072848";
        Deaf => "deaf", "Deaf people", "bc72a46e-ab52-4de0-a0b7-d83d314e4c82";
        AutisticAdults => "autistic_adults", "Autistic adults", "0ad0891c-998c-4790-9bfc-fd50762a3052";
        LearningDisabilities => "learning_disabilities", "People with learning disabilities", "5760aa47-5857-4db6-8566-f29970063a9a";
        DisabledPeople => "disabled_people", "Disabled people", "0354cc0a-bdae-40c7-bf38-be4577969629";
        MentalHealth => "mental_health", "People living with mental distress", "22f9c61e-b13e-446c-ae1e-1467f6ceb407";
        Dementia => "dementia", "People living with dementia", "948b83cb-6a85-4c71-81b1-a530db17812c";
        OlderPeople => "older_people", "Older people", "e302b8e2-916b-4f95-89b9-44faadb0a732";
        YoungPeople => "young_people", "Children and young people", "efbb04d1-f479-4622-a691-18b7ab54aaf9";
        Parents => "parents", "Parents and families", "120bb934-d01a-4591-8651-3025752e5f97";
        Lgbtq => "lgbtq", "LGBTQ+ people", "94cd8274-e2b4-4f12-9fe5-2e9ecbb2d22f";
        SouthAsianWomen => "south_asian_women", "South Asian women", "4525b4c4-70e8-4301-8ee5-71f62839ef56";
        Women => "women", "Women", "156dfb21-2a25-4fec-8f36-9a30b8dab1b8";
        Men => "men", "Men", "efd48c19-829e-497a-b5ba-6b43a9f7ff34";
        NewToTheUk => "new_to_the_uk", "Refugees and people new to the UK", "06284d6e-7380-4cd1-8ac0-782dad05dd00";
        Bereaved => "bereaved", "People who have lost someone", "39a06e7f-ef98-4c4f-a99d-4a4df1d21562";
    }
);

coded!(
    /// Whether an offer can take new people now.
    Space {
        HasSpace => "has_space", "Has space now", "8da34d8a-e02c-46a1-bd9a-840d06d2095b";
        WaitingList => "waiting_list", "Waiting list", "e97930f2-2eb7-4ed7-ad03-c57a52b626bd";
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn is_uuid(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
            && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
    }

    #[test]
    fn categories_have_unique_uuids_and_codes() {
        let mut ids = HashSet::new();
        let mut codes = HashSet::new();
        assert!(is_uuid(COMMUNITY_TAXONOMY_ID));
        for c in CATEGORIES {
            assert!(is_uuid(c.id), "{}", c.id);
            assert!(ids.insert(c.id) && codes.insert(c.code), "{c:?}");
            assert_ne!(c.id, COMMUNITY_TAXONOMY_ID);
            assert!(c.description.ends_with('.'));
            assert_eq!(category_by_code(c.code).map(|x| x.id), Some(c.id));
            assert_eq!(category_by_id(c.id).map(|x| x.code), Some(c.code));
        }
    }

    #[test]
    fn profile_terms_have_unique_uuids() {
        let mut ids = HashSet::new();
        let all = Access::ALL
            .iter()
            .map(|a| a.term_id())
            .chain(GroupKind::ALL.iter().map(|k| k.term_id()))
            .chain(Community::ALL.iter().map(|k| k.term_id()))
            .chain(Space::ALL.iter().map(|k| k.term_id()))
            .chain(CATEGORIES.iter().map(|c| c.id))
            .chain([
                ACCESS_TAXONOMY_ID,
                GROUP_KIND_TAXONOMY_ID,
                LIVED_EXPERIENCE_TAXONOMY_ID,
                LIVED_EXPERIENCE_LED_TERM_ID,
                COMMUNITY_TAXONOMY_ID,
                COMMUNITIES_TAXONOMY_ID,
                SPACE_TAXONOMY_ID,
            ]);
        for id in all {
            assert!(is_uuid(id) && ids.insert(id), "{id}");
        }
        for a in Access::ALL {
            assert_eq!(Access::from_term_id(a.term_id()), Some(*a));
        }
    }

    #[test]
    fn codes_round_trip() {
        assert_eq!(Access::ALL.len(), 10);
        for a in Access::ALL {
            assert_eq!(Access::parse(a.code()), Some(*a));
            assert_eq!(
                serde_json::to_value(a).ok(),
                Some(serde_json::json!(a.code()))
            );
        }
        assert_eq!(GroupKind::ALL.len(), 11);
        for k in GroupKind::ALL {
            assert_eq!(GroupKind::parse(k.code()), Some(*k));
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::json!(k.code()))
            );
        }
        for c in Community::ALL {
            assert_eq!(Community::parse(c.code()), Some(*c));
            assert_eq!(Community::from_term_id(c.term_id()), Some(*c));
        }
        assert_eq!(Space::parse("waiting_list"), Some(Space::WaitingList));
        assert_eq!(Access::parse("ramps"), None);
    }
}
