//! Meadowfield's community directory: about 150 offers from groups of every kind, many
//! informal and led by people with lived experience, at real-feeling places with times,
//! costs and access. Deterministic: the same ids every time, so loading again changes nothing.

use serde_json::{json, Value};
use village_domain::directory::oruk::read_service;
use village_domain::directory::taxonomy::{
    category_by_code, Access, Community, GroupKind, Space, LIVED_EXPERIENCE_LED_TERM_ID,
};
use village_store::directory as store;
use village_store::Store;

/// A place in Meadowfield. Postcodes use the invented district MF, so they never clash with
/// real ones; the demo ships their centroids.
struct Venue {
    name: &'static str,
    address: &'static str,
    postcode: &'static str,
    lat: f64,
    lon: f64,
    access: &'static str,
}

const VENUES: [Venue; 10] = [
    Venue { name: "Meadowfield Community Centre", address: "12 Brook Street", postcode: "MF1 1AA", lat: 52.9531, lon: -1.1502, access: "Step-free entrance, accessible toilet and a hearing loop in the main hall. Quiet room on request." },
    Venue { name: "Meadowfield Library", address: "3 Market Square", postcode: "MF1 2BD", lat: 52.9548, lon: -1.1467, access: "Step-free throughout, lift to the first floor, large print and easy read books." },
    Venue { name: "St Anne's Church Hall", address: "Church Lane", postcode: "MF2 3CF", lat: 52.9586, lon: -1.1561, access: "Ramp at the side door. Accessible toilet. No hearing loop yet." },
    Venue { name: "Riverside Park pavilion", address: "Riverside Walk", postcode: "MF2 4DG", lat: 52.9497, lon: -1.1589, access: "Flat paths around the park; the pavilion has a step-free entrance and a Changing Places toilet." },
    Venue { name: "Al-Noor Mosque community room", address: "44 Station Road", postcode: "MF1 5EH", lat: 52.9512, lon: -1.1423, access: "Step-free entrance and women's entrance at the side." },
    Venue { name: "The Kettle Café", address: "27 High Street", postcode: "MF1 6FJ", lat: 52.9539, lon: -1.1449, access: "One small step at the door (a portable ramp is kept inside). Quiet corner at the back." },
    Venue { name: "Hawthorn Allotments", address: "Hawthorn Lane", postcode: "MF3 7GL", lat: 52.9621, lon: -1.1408, access: "Raised beds and a wide gravel path. The shed has a step." },
    Venue { name: "Meadowfield Leisure Centre", address: "Park Road", postcode: "MF2 8HN", lat: 52.9474, lon: -1.1527, access: "Step-free, pool hoist, accessible changing rooms and blue badge parking." },
    Venue { name: "Oakwood Primary School hall", address: "Oakwood Avenue", postcode: "MF3 9JP", lat: 52.9603, lon: -1.1349, access: "Step-free entrance through the main gate. Accessible toilet." },
    Venue { name: "The Red Lion back room", address: "2 Mill Street", postcode: "MF1 1BQ", lat: 52.9526, lon: -1.1481, access: "Step-free from the car park entrance. Assistance dogs welcome." },
];

/// What each venue has, by the Village access codes (same order as `VENUES`).
const VENUE_ACCESS: [&[Access]; 10] = [
    &[
        Access::StepFree,
        Access::AccessibleToilet,
        Access::HearingLoop,
        Access::QuietSpace,
    ],
    &[
        Access::StepFree,
        Access::AccessibleToilet,
        Access::LargePrint,
        Access::EasyRead,
    ],
    &[Access::AccessibleToilet],
    &[
        Access::StepFree,
        Access::ChangingPlaces,
        Access::AccessibleToilet,
    ],
    &[Access::StepFree],
    &[Access::QuietSpace, Access::AssistanceDogs],
    &[],
    &[
        Access::StepFree,
        Access::AccessibleToilet,
        Access::BlueBadgeParking,
    ],
    &[Access::StepFree, Access::AccessibleToilet],
    &[Access::StepFree, Access::AssistanceDogs],
];

/// What kind of group runs it, and whether it is led by people with lived experience.
fn kind_of(group: &str) -> (GroupKind, bool) {
    let g = group.to_lowercase();
    let led = [
        "voices",
        "spectrum",
        "deaf club",
        "speak up",
        "saheli",
        "wheels",
        "mind your way",
        "carers together",
        "young carers",
        "bereavement",
        "pride",
    ];
    let lived = led.iter().any(|w| g.contains(w));
    let kind = if g.contains("council")
        || g.contains("library")
        || g.contains("leisure centre")
        || g.contains("community centre")
    {
        GroupKind::CouncilService
    } else if g.contains("surgery") || g.contains("primary care") {
        GroupKind::NhsService
    } else if g.contains("mutual aid") {
        GroupKind::MutualAid
    } else if g.contains("church") || g.contains("mosque") {
        GroupKind::Faith
    } else if g.contains("speak up") {
        GroupKind::SelfAdvocacy
    } else if g.contains("small good things") || g.contains("kettle") {
        GroupKind::MicroEnterprise
    } else if g.contains("advice")
        || g.contains("good neighbours")
        || g.contains("transport")
        || g.contains("pantry")
    {
        GroupKind::RegisteredCharity
    } else if g.contains("brook street")
        || g.contains("friends of")
        || g.contains("oakwood")
        || g.contains("together") && !lived
    {
        GroupKind::Neighbourhood
    } else if lived {
        GroupKind::UserLed
    } else {
        GroupKind::InformalGroup
    };
    (
        kind,
        lived || kind == GroupKind::MutualAid || kind == GroupKind::SelfAdvocacy,
    )
}

/// Communities an activity is especially for, by its name.
fn communities_of(activity: &str) -> &'static [Community] {
    use Community::*;
    match activity {
        "Carers' coffee morning" => &[Carers],
        "Peer support for carers of people with dementia" => &[Carers, Dementia],
        "Young carers' club" => &[Carers, YoungPeople],
        "Singing for the brain" => &[Dementia, Carers],
        "Hearing voices group" | "Mental health peer support" => &[MentalHealth],
        "Autistic adults social" => &[AutisticAdults],
        "Deaf café" => &[Deaf],
        "Self-advocacy group" => &[LearningDisabilities],
        "Mums' and carers' stay and play" => &[Parents],
        "South Asian women's circle" => &[SouthAsianWomen, Women],
        "LGBTQ+ social" => &[Lgbtq],
        "Bereavement café" => &[Bereaved],
        "Men's shed" => &[Men],
        "Conversation English" => &[NewToTheUk],
        "Wheelchair users' group" => &[DisabledPeople],
        "Day trips" | "Tea dance" => &[OlderPeople],
        _ => &[],
    }
}

/// An activity: name, category code, who runs it, what happens.
struct Activity {
    name: &'static str,
    category: &'static str,
    group: &'static str,
    description: &'static str,
}

const ACTIVITIES: [Activity; 50] = [
    Activity { name: "Knit and natter", category: "arts", group: "Meadowfield Knitters", description: "Bring your knitting or crochet, or learn from scratch. Tea, biscuits and good company." },
    Activity { name: "Walking group", category: "moving", group: "Meadowfield Walkers", description: "Gentle walks of about an hour on flat paths, finishing with a cuppa. Everyone walks at the pace of the slowest." },
    Activity { name: "Lunch club", category: "food", group: "Brook Street Lunch Club", description: "A hot two-course lunch cooked by volunteers, and a chance to catch up with friends." },
    Activity { name: "Men's shed", category: "social", group: "Meadowfield Men's Shed", description: "Woodwork, repairs and tinkering, with a brew and a natter. Women are welcome too." },
    Activity { name: "Singing for the brain", category: "wellbeing", group: "Memory Lane Singers", description: "Singing familiar songs together, for people living with dementia and the people who care for them." },
    Activity { name: "Chair yoga", category: "moving", group: "Meadowfield Movers", description: "Yoga sitting down or holding a chair. Good for stiff joints and a calm mind." },
    Activity { name: "Community garden", category: "nature", group: "Hawthorn Growers", description: "Grow vegetables and flowers together. No experience needed: tools and gloves provided." },
    Activity { name: "Repair café", category: "volunteering", group: "Fix It Meadowfield", description: "Bring broken things (clothes, lamps, bikes, toasters) and mend them with our volunteer fixers." },
    Activity { name: "Digital drop-in", category: "digital", group: "Meadowfield Library", description: "Help with phones, tablets, email, video calls and staying safe online. Bring your device." },
    Activity { name: "Carers' coffee morning", category: "carers", group: "Meadowfield Carers Together", description: "Time for you if you look after someone. Coffee, company and people who understand." },
    Activity { name: "Hearing voices group", category: "peer_support", group: "Voices Meadowfield", description: "A peer-led group for people who hear voices or see visions, to share ways of living well." },
    Activity { name: "Autistic adults social", category: "social", group: "Spectrum Social", description: "A relaxed social evening run by and for autistic adults. Quiet space available, no pressure to talk." },
    Activity { name: "Deaf café", category: "social", group: "Meadowfield Deaf Club", description: "Social café in British Sign Language. Hearing people learning BSL are welcome." },
    Activity { name: "Money advice surgery", category: "advice", group: "Meadowfield Advice Centre", description: "Free, confidential help with benefits, debt, bills and forms. No appointment needed." },
    Activity { name: "Food pantry", category: "food", group: "Meadowfield Community Pantry", description: "Pay a small amount each week and choose groceries worth much more. Members run it together." },
    Activity { name: "Community fridge", category: "food", group: "Meadowfield Community Pantry", description: "Free surplus food from local shops. Take what you need, leave what you can." },
    Activity { name: "Self-advocacy group", category: "peer_support", group: "Speak Up Meadowfield", description: "People with learning disabilities speaking up for themselves and each other, and telling the council what needs to change." },
    Activity { name: "Mums' and carers' stay and play", category: "social", group: "Oakwood Families", description: "Play and craft for under-fives while grown-ups chat. Free fruit and drinks." },
    Activity { name: "South Asian women's circle", category: "wellbeing", group: "Saheli Circle", description: "A space for South Asian women to talk, cook, exercise and support each other, in English, Urdu and Punjabi." },
    Activity { name: "LGBTQ+ social", category: "social", group: "Meadowfield Pride", description: "A friendly monthly get-together for LGBTQ+ people and friends." },
    Activity { name: "Bereavement café", category: "wellbeing", group: "Meadowfield Bereavement Café", description: "Tea and cake with people who have also lost someone. Come and talk, or just listen." },
    Activity { name: "Good neighbours scheme", category: "help_at_home", group: "Meadowfield Good Neighbours", description: "Volunteers who help with shopping, lifts to appointments, small jobs and a friendly phone call." },
    Activity { name: "Befriending calls", category: "help_at_home", group: "Meadowfield Good Neighbours", description: "A regular friendly phone call from a volunteer, at a time that suits you." },
    Activity { name: "Mutual aid street group", category: "help_at_home", group: "Brook Street Mutual Aid", description: "Neighbours helping neighbours: lending, sharing, errands and checking in. Join the street group." },
    Activity { name: "Art for wellbeing", category: "arts", group: "Open Studio Meadowfield", description: "Painting, drawing and collage at your own pace, with an artist on hand. Materials provided." },
    Activity { name: "Community choir", category: "arts", group: "Meadowfield Community Choir", description: "No auditions, no reading music: just come and sing." },
    Activity { name: "Walking football", category: "moving", group: "Meadowfield Walking Football", description: "Football without the running, for people of any age or fitness." },
    Activity { name: "Swim for all", category: "moving", group: "Meadowfield Leisure Centre", description: "A quieter swim session with a pool hoist, support in the water and accessible changing." },
    Activity { name: "Conversation English", category: "learning", group: "Meadowfield Welcome", description: "Practise speaking English with friendly volunteers. All levels, all welcome." },
    Activity { name: "Reading group", category: "learning", group: "Meadowfield Library", description: "We read a book a month and talk about it over tea. Large print and audio copies available." },
    Activity { name: "Cook and eat", category: "food", group: "Meadowfield Kitchen Collective", description: "Cook a simple, cheap meal together, then sit down and eat it together." },
    Activity { name: "Peer support for carers of people with dementia", category: "carers", group: "Meadowfield Carers Together", description: "Share what works with other carers who know what it's like." },
    Activity { name: "Volunteer drop-in", category: "volunteering", group: "Meadowfield Community Centre", description: "Find a way to give your time and gifts that suits you, from gardening to driving." },
    Activity { name: "Faith lunch", category: "faith_culture", group: "St Anne's Church", description: "A free community lunch for people of any faith or none." },
    Activity { name: "Eid and Diwali celebrations planning", category: "faith_culture", group: "Meadowfield Together", description: "Plan the neighbourhood's festival celebrations with people from every community." },
    Activity { name: "Job club", category: "work", group: "Meadowfield Works", description: "Help with CVs, applications and interviews, and finding work that fits your life." },
    Activity { name: "Start your own micro-enterprise", category: "work", group: "Small Good Things", description: "Support to start a small business doing what you love, from people who have done it." },
    Activity { name: "Wheelchair users' group", category: "peer_support", group: "Wheels Meadowfield", description: "A user-led group sharing tips on equipment, access and getting about, and campaigning for better streets." },
    Activity { name: "Mental health peer support", category: "peer_support", group: "Mind Your Way", description: "A peer-led group for anyone going through a hard time. You don't need a diagnosis." },
    Activity { name: "Community transport", category: "getting_out", group: "Meadowfield Community Transport", description: "Door-to-door minibus trips for people who find buses hard. Book a seat the day before." },
    Activity { name: "Travel buddies", category: "getting_out", group: "Meadowfield Good Neighbours", description: "A volunteer travels with you until you're confident on the bus or train." },
    Activity { name: "Day trips", category: "getting_out", group: "Meadowfield Over-60s", description: "Monthly outings to the seaside, gardens and markets. Accessible coach." },
    Activity { name: "Allotment taster", category: "nature", group: "Hawthorn Growers", description: "Try growing on a shared plot before taking one on." },
    Activity { name: "Wildlife watch", category: "nature", group: "Friends of Riverside Park", description: "Bird, bug and bat walks in the park, with binoculars to borrow." },
    Activity { name: "GP health check drop-in", category: "health", group: "Meadowfield Surgery", description: "Blood pressure checks and a friendly chat with a health coach." },
    Activity { name: "Social prescribing clinic", category: "health", group: "Meadowfield Primary Care Network", description: "Meet a link worker to talk about what matters to you and find things that help." },
    Activity { name: "Benefits and housing advice (council)", category: "advice", group: "Meadowfield Borough Council", description: "Council advisers help with housing, council tax and benefits questions." },
    Activity { name: "Young carers' club", category: "carers", group: "Meadowfield Young Carers", description: "Fun, games and a break for young people who look after someone at home." },
    Activity { name: "Tea dance", category: "social", group: "Meadowfield Over-60s", description: "Old-time and ballroom dancing with tea and cake. Partners not needed." },
    Activity { name: "Tablet loan scheme", category: "digital", group: "Meadowfield Library", description: "Borrow a tablet with data for three months, with help to get started." },
];

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const SLOTS: [(&str, &str); 6] = [
    ("10:00", "12:00"),
    ("13:30", "15:30"),
    ("18:30", "20:30"),
    ("09:30", "11:00"),
    ("14:00", "16:00"),
    ("11:00", "13:00"),
];
const VARIANTS: [&str; 3] = ["", " (evenings)", " at the weekend"];

/// A deterministic UUID for the demo: `kind` tells records apart, `n` counts.
pub(super) fn demo_id(kind: u32, n: usize) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

/// Build the demo's ORUK service records.
pub fn services() -> Vec<Value> {
    let mut out = Vec::new();
    let mut n = 0usize;
    for (a, activity) in ACTIVITIES.iter().enumerate() {
        for (v, variant) in VARIANTS.iter().enumerate() {
            n += 1;
            let venue = &VENUES[(a * 3 + v * 7) % VENUES.len()];
            let day = if v == 2 {
                DAYS[5 + (a % 2)]
            } else {
                DAYS[(a + v * 2) % 5]
            };
            let (opens, closes) = if v == 1 {
                SLOTS[2]
            } else {
                SLOTS[(a + v) % SLOTS.len()]
            };
            let monthly = a % 9 == 4;
            let free = a % 4 != 1;
            let category = category_by_code(activity.category);
            let (min_age, max_age) = match activity.category {
                "carers" if activity.name.starts_with("Young") => (Some(8), Some(18)),
                _ if activity.name.contains("stay and play") => (Some(0), Some(5)),
                _ if activity.group.contains("Over-60s") => (Some(60), None),
                _ => (Some(18), None),
            };
            let org_id = demo_id(0x0D0_0001, a + 1);
            let mut record = json!({
                "id": demo_id(0x0D0_0002, n),
                "organization_id": org_id,
                "name": format!("{}{}", activity.name, variant),
                "description": format!("{} Meets at {}.", activity.description, venue.name),
                "status": "active",
                "email": format!("hello@{}.example", activity.group.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "")),
                // Some offers have not been checked for over a year, for stewards to follow up.
                "last_modified": if n % 7 == 0 { "2025-06-01T10:00:00Z" } else { "2026-11-01T10:00:00Z" },
                "organization": {"id": org_id, "name": activity.group, "description": format!("{} is part of Meadowfield's community life.", activity.group)},
                "schedules": [{
                    "id": demo_id(0x0D0_0003, n),
                    "freq": if monthly { "MONTHLY" } else { "WEEKLY" },
                    "byday": if monthly { format!("1{day}") } else { day.to_string() },
                    "opens_at": opens,
                    "closes_at": closes,
                    "description": "Please check before your first visit.",
                }],
                "service_at_locations": [{
                    "id": demo_id(0x0D0_0004, n),
                    "location": {
                        "id": demo_id(0x0D0_0005, (a * 3 + v * 7) % VENUES.len() + 1),
                        "location_type": "physical",
                        "name": venue.name,
                        "latitude": venue.lat,
                        "longitude": venue.lon,
                        "addresses": [{
                            "id": demo_id(0x0D0_0006, (a * 3 + v * 7) % VENUES.len() + 1),
                            "address_1": venue.address,
                            "city": "Meadowfield",
                            "state_province": "Meadowshire",
                            "postal_code": venue.postcode,
                            "country": "GB",
                            "address_type": "physical",
                        }],
                        "accessibility": [{"id": demo_id(0x0D0_0007, (a * 3 + v * 7) % VENUES.len() + 1), "description": venue.access}],
                    }
                }],
                "cost_options": [if free {
                    json!({"id": demo_id(0x0D0_0008, n), "option": "Free", "amount": 0, "currency": "GBP"})
                } else {
                    json!({"id": demo_id(0x0D0_0008, n), "option": "Per session", "amount": 2, "currency": "GBP", "amount_description": "£2 a session, or pay what you can"})
                }],
            });
            if let Some(map) = record.as_object_mut() {
                if let Some(age) = min_age {
                    map.insert("minimum_age".into(), json!(age));
                }
                if let Some(age) = max_age {
                    map.insert("maximum_age".into(), json!(age));
                }
                let mut attributes = Vec::new();
                let mut attribute = |term_id: &str, k: usize| {
                    attributes.push(json!({"id": demo_id(0x0D0_0009 + k as u32, n), "taxonomy_term_id": term_id}));
                };
                if let Some(c) = category {
                    attribute(c.id, 0);
                }
                let (kind, lived) = kind_of(activity.group);
                attribute(kind.term_id(), 1);
                if lived {
                    attribute(LIVED_EXPERIENCE_LED_TERM_ID, 2);
                }
                for (k, access) in VENUE_ACCESS[(a * 3 + v * 7) % VENUES.len()]
                    .iter()
                    .enumerate()
                {
                    attribute(access.term_id(), 3 + k);
                }
                for (k, community) in communities_of(activity.name).iter().enumerate() {
                    attribute(community.term_id(), 20 + k);
                }
                // Some say whether they can take new people now.
                if n % 5 == 0 {
                    attribute(Space::WaitingList.term_id(), 30);
                } else if n % 3 == 0 {
                    attribute(Space::HasSpace.term_id(), 30);
                }
                map.insert("attributes".into(), json!(attributes));
            }
            out.push(record);
        }
    }
    out
}

/// Postcode centroids for Meadowfield's own invented postcodes.
pub fn postcodes() -> Vec<(String, String, f64, f64)> {
    VENUES
        .iter()
        .map(|v| {
            let district = v
                .postcode
                .split(' ')
                .next()
                .unwrap_or(v.postcode)
                .to_string();
            (v.postcode.to_string(), district, v.lat, v.lon)
        })
        .collect()
}

/// Load the demo directory. Returns how many offers were new.
pub async fn load(store_: &Store, now: i64) -> anyhow::Result<usize> {
    let mut tx = store_.begin().await?;
    let mut added = 0;
    for record in services() {
        let (index, _) = read_service(&record)
            .map_err(|p| anyhow::anyhow!("the demo's own record is wrong: {p:?}"))?;
        if store::service_doc(&mut tx, &index.id, false)
            .await?
            .is_none()
        {
            added += 1;
        }
        store::upsert_service(&mut tx, &index, &record.to_string(), true, now).await?;
    }
    store::upsert_postcodes(&mut tx, &postcodes()).await?;
    tx.commit().await?;
    Ok(added)
}
