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
    Venue { name: "Hawthorn Allotments", address: "Hawthorn Lane", postcode: "MF3 7GL", lat: 52.9621, lon: -1.1408, access: "Raised beds and a wide gravel path. Quiet, out in the open air. The shed has a step." },
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
    &[Access::QuietSpace],
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

/// More activities, each with who runs it, what kind of group that is, whether it is led by
/// people with lived experience, and who it is especially for.
struct More {
    name: &'static str,
    category: &'static str,
    group: &'static str,
    kind: GroupKind,
    led: bool,
    communities: &'static [Community],
    description: &'static str,
}

#[rustfmt::skip]
const MORE: [More; 100] = [
    More { name: "Dementia café", category: "wellbeing", group: "Meadowfield Memory Café", kind: GroupKind::UserLed, led: true, communities: &[Community::Dementia, Community::Carers], description: "A relaxed café for people living with dementia and the people close to them. Music, games and a listening ear." },
    More { name: "Stroke survivors' group", category: "peer_support", group: "Stroke Club Meadowfield", kind: GroupKind::UserLed, led: true, communities: &[Community::DisabledPeople], description: "People who have had a stroke meet to share what helps, from speech to getting about. Partners welcome." },
    More { name: "Parent carers' forum", category: "carers", group: "Meadowfield Parent Carers", kind: GroupKind::UserLed, led: true, communities: &[Community::Carers, Community::Parents], description: "Parents of disabled children share news and tips, and tell the council what families need." },
    More { name: "Refugee welcome lunch", category: "food", group: "Meadowfield Welcome", kind: GroupKind::RegisteredCharity, led: false, communities: &[Community::NewToTheUk], description: "A shared lunch for people new to Meadowfield and the neighbours who want to meet them." },
    More { name: "Women's walking group", category: "moving", group: "Stride Sisters", kind: GroupKind::InformalGroup, led: false, communities: &[Community::Women], description: "Brisk or gentle walks for women, with a stop for coffee. Buggies and walking sticks welcome." },
    More { name: "Youth club", category: "social", group: "Oakwood Youth", kind: GroupKind::Neighbourhood, led: false, communities: &[Community::YoungPeople], description: "Games, music, cooking and trips for 11 to 18 year olds. Run by young people with adult volunteers." },
    More { name: "Trans and non-binary peer group", category: "peer_support", group: "Meadowfield Pride", kind: GroupKind::UserLed, led: true, communities: &[Community::Lgbtq], description: "A safe, confidential space for trans and non-binary people to meet and support each other." },
    More { name: "Pottery for beginners", category: "arts", group: "Clay Corner", kind: GroupKind::MicroEnterprise, led: false, communities: &[], description: "Learn to make pots by hand with a local potter. Small groups, all materials included." },
    More { name: "Ukulele band", category: "arts", group: "Strum Along Meadowfield", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Learn the ukulele and play pop songs together. Ukuleles to borrow." },
    More { name: "Sewing and mending circle", category: "arts", group: "Make Do and Mend Meadowfield", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Bring clothes to mend or alter, or learn to use a sewing machine. Machines provided." },
    More { name: "Community drumming", category: "arts", group: "Heartbeat Drummers", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Drum together in a circle. No experience needed and no noise too small." },
    More { name: "Creative writing group", category: "arts", group: "Meadowfield Writers", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Write stories, poems and memories, and read them aloud if you want to. Prompts given." },
    More { name: "Photography walks", category: "arts", group: "Meadowfield Lens Club", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Walk and take photos around town with any camera or phone. Tips for beginners." },
    More { name: "Community theatre", category: "arts", group: "Brook Street Players", kind: GroupKind::Neighbourhood, led: false, communities: &[], description: "Act, build sets or help backstage in our two shows a year. Everyone gets a part." },
    More { name: "Sing and sign", category: "arts", group: "Meadowfield Deaf Club", kind: GroupKind::UserLed, led: true, communities: &[Community::Deaf], description: "Songs in British Sign Language for Deaf and hearing people together." },
    More { name: "Seated dance", category: "moving", group: "Move It Meadowfield", kind: GroupKind::MicroEnterprise, led: false, communities: &[Community::OlderPeople], description: "Dance to music from every decade without leaving your chair." },
    More { name: "Tai chi in the park", category: "moving", group: "Friends of Riverside Park", kind: GroupKind::Neighbourhood, led: false, communities: &[], description: "Slow, gentle movement outdoors. Wear comfortable shoes; chairs are there if you need one." },
    More { name: "Parkrun walk and talk", category: "moving", group: "Riverside Parkrun", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Walk the Saturday 5k at your own pace with a buddy. Nobody finishes last." },
    More { name: "Inclusive cycling", category: "moving", group: "Wheels for All Meadowfield", kind: GroupKind::RegisteredCharity, led: false, communities: &[Community::DisabledPeople], description: "Adapted bikes, trikes and side-by-sides so everyone can ride. Staff help you get started." },
    More { name: "Boccia club", category: "moving", group: "Meadowfield Boccia", kind: GroupKind::UserLed, led: true, communities: &[Community::DisabledPeople], description: "A friendly, competitive ball game that anyone can play, seated or standing." },
    More { name: "Badminton for all", category: "moving", group: "Meadowfield Leisure Centre", kind: GroupKind::CouncilService, led: false, communities: &[], description: "Relaxed doubles badminton with rackets to borrow. Beginners paired with old hands." },
    More { name: "Strength and balance class", category: "moving", group: "Meadowfield Primary Care Network", kind: GroupKind::NhsService, led: false, communities: &[Community::OlderPeople], description: "Exercises that help you stay steady on your feet, led by a physiotherapist." },
    More { name: "Bowls taster", category: "moving", group: "Meadowfield Bowls Club", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Try flat green bowls with club members. Flat shoes and a cup of tea provided." },
    More { name: "Community breakfast", category: "food", group: "St Anne's Church", kind: GroupKind::Faith, led: false, communities: &[], description: "A free hot breakfast every week, no questions asked. Sit down with neighbours." },
    More { name: "Soup and a roll", category: "food", group: "Al-Noor Mosque", kind: GroupKind::Faith, led: false, communities: &[], description: "Homemade soup and fresh bread for anyone who drops in. Vegetarian and halal." },
    More { name: "Community kitchen takeaway", category: "food", group: "Meadowfield Kitchen Collective", kind: GroupKind::Neighbourhood, led: false, communities: &[], description: "Volunteers cook a batch of meals to take home. Pay what you can." },
    More { name: "Baking together", category: "food", group: "Rise Up Bakers", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Bake bread and cakes with a retired baker, then share them out." },
    More { name: "Growing and cooking for health", category: "food", group: "Hawthorn Growers", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Pick vegetables from the plot and cook them straight away with a cook who loves veg." },
    More { name: "Sunday lunch for one", category: "food", group: "Brook Street Lunch Club", kind: GroupKind::Neighbourhood, led: false, communities: &[Community::OlderPeople], description: "A proper Sunday roast for people who usually eat alone." },
    More { name: "Cooking on a budget", category: "food", group: "Meadowfield Advice Centre", kind: GroupKind::RegisteredCharity, led: false, communities: &[], description: "Learn five cheap, tasty meals and how to shop for them. Recipes to take home." },
    More { name: "Holiday meals for families", category: "food", group: "Oakwood Families", kind: GroupKind::Neighbourhood, led: false, communities: &[Community::Parents], description: "Free lunches and activities for children in the school holidays. Grown-ups eat too." },
    More { name: "Learn to use a smartphone", category: "digital", group: "Meadowfield Library", kind: GroupKind::CouncilService, led: false, communities: &[Community::OlderPeople], description: "Step by step help with calls, photos, messages and apps, at your pace." },
    More { name: "Online safety workshop", category: "digital", group: "Meadowfield Library", kind: GroupKind::CouncilService, led: false, communities: &[], description: "How to spot scam calls, texts and emails, and what to do about them." },
    More { name: "Coding club for adults", category: "digital", group: "Code Meadowfield", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Learn to build a simple website or app with friendly volunteers. Laptops provided." },
    More { name: "Video calls with family", category: "digital", group: "Meadowfield Good Neighbours", kind: GroupKind::RegisteredCharity, led: false, communities: &[], description: "A volunteer helps you set up video calls with family far away, at home or at the library." },
    More { name: "Computer recycling and repair", category: "digital", group: "Fix It Meadowfield", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Old laptops are mended and given to people who need one. Come to help or to get one." },
    More { name: "Family history group", category: "learning", group: "Meadowfield Local History Society", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Trace your family tree with help from people who love a good record office." },
    More { name: "Local history talks", category: "learning", group: "Meadowfield Local History Society", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Talks about Meadowfield's mills, canals and people, with old photos." },
    More { name: "Spanish for beginners", category: "learning", group: "Hola Meadowfield", kind: GroupKind::MicroEnterprise, led: false, communities: &[], description: "A relaxed Spanish class for absolute beginners. Holiday phrases first." },
    More { name: "British Sign Language for beginners", category: "learning", group: "Meadowfield Deaf Club", kind: GroupKind::UserLed, led: true, communities: &[Community::Deaf], description: "Learn to sign from Deaf tutors. Level 1 in ten weeks." },
    More { name: "Maths for everyday life", category: "learning", group: "Meadowfield Adult Learning", kind: GroupKind::CouncilService, led: false, communities: &[], description: "Help with numbers for shopping, bills and work, in a small, patient group." },
    More { name: "Chess club", category: "learning", group: "Meadowfield Chess Club", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Play, learn and chat over a board. Sets provided and beginners welcome." },
    More { name: "Quiz night", category: "social", group: "The Red Lion Quizzers", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "A pub quiz with teams mixed on the night, so nobody needs to bring one." },
    More { name: "Friday film club", category: "social", group: "Meadowfield Film Club", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "A film on the big screen with subtitles, then a chat over tea." },
    More { name: "Board games café", category: "social", group: "Roll and Natter", kind: GroupKind::MicroEnterprise, led: false, communities: &[], description: "Hundreds of board games and staff who will teach you any of them." },
    More { name: "Over-50s social club", category: "social", group: "Meadowfield Over-50s", kind: GroupKind::InformalGroup, led: false, communities: &[Community::OlderPeople], description: "Bingo, trips, talks and parties, run by members for members." },
    More { name: "Dads and kids Saturday club", category: "social", group: "Oakwood Families", kind: GroupKind::Neighbourhood, led: false, communities: &[Community::Parents, Community::Men], description: "Dads, grandads and male carers play with their children and meet other dads." },
    More { name: "Learning disability disco", category: "social", group: "Speak Up Meadowfield", kind: GroupKind::SelfAdvocacy, led: true, communities: &[Community::LearningDisabilities], description: "A monthly disco run by and for people with learning disabilities. Supporters free." },
    More { name: "Silver surfers lunch", category: "social", group: "Meadowfield Over-60s", kind: GroupKind::InformalGroup, led: false, communities: &[Community::OlderPeople], description: "Lunch and a laugh, with a tablet helper at every table." },
    More { name: "Neighbourhood street party planning", category: "social", group: "Brook Street Mutual Aid", kind: GroupKind::MutualAid, led: false, communities: &[], description: "Help plan the summer street party: food, music, road closure and bunting." },
    More { name: "Carers' relaxation evening", category: "carers", group: "Meadowfield Carers Together", kind: GroupKind::UserLed, led: true, communities: &[Community::Carers], description: "Massage, mindfulness and a meal for people who look after someone." },
    More { name: "Carers' rights clinic", category: "carers", group: "Meadowfield Advice Centre", kind: GroupKind::RegisteredCharity, led: false, communities: &[Community::Carers], description: "Help with Carer's Allowance, carers' assessments and time off." },
    More { name: "Sitting service for carers", category: "carers", group: "Meadowfield Good Neighbours", kind: GroupKind::RegisteredCharity, led: false, communities: &[Community::Carers], description: "A trusted volunteer sits with the person you care for so you can have a break." },
    More { name: "Carers' walking group", category: "carers", group: "Meadowfield Carers Together", kind: GroupKind::UserLed, led: true, communities: &[Community::Carers], description: "A walk and talk with other carers. Bring the person you care for if you like." },
    More { name: "Men's mental health group", category: "wellbeing", group: "Andy's Talk Meadowfield", kind: GroupKind::UserLed, led: true, communities: &[Community::Men, Community::MentalHealth], description: "It's OK to talk. Men meet to chat about anything, with a brew." },
    More { name: "Mindfulness for beginners", category: "wellbeing", group: "Calm Meadowfield", kind: GroupKind::MicroEnterprise, led: false, communities: &[], description: "Learn simple ways to calm a busy mind. Sitting on chairs, no experience needed." },
    More { name: "Grief walk", category: "wellbeing", group: "Meadowfield Bereavement Café", kind: GroupKind::UserLed, led: true, communities: &[Community::Bereaved], description: "A gentle walk with others who have lost someone. Talk or just walk." },
    More { name: "Hearing loss support group", category: "peer_support", group: "Meadowfield Hard of Hearing Club", kind: GroupKind::UserLed, led: true, communities: &[Community::DisabledPeople], description: "Tips on hearing aids, lip reading and loops, from people who live with hearing loss." },
    More { name: "Sight loss social", category: "peer_support", group: "Meadowfield Vision Club", kind: GroupKind::UserLed, led: true, communities: &[Community::DisabledPeople], description: "A social group for people with sight loss. Volunteers can walk with you from the bus." },
    More { name: "Recovery café", category: "peer_support", group: "Fresh Start Recovery", kind: GroupKind::UserLed, led: true, communities: &[Community::MentalHealth], description: "A welcoming place for people in recovery from drink or drugs, and for their families." },
    More { name: "Long-term pain support", category: "peer_support", group: "Living Well With Pain", kind: GroupKind::UserLed, led: true, communities: &[Community::DisabledPeople], description: "People living with long-term pain share ways to get through the bad days." },
    More { name: "Young adults' peer group", category: "peer_support", group: "Spectrum Social", kind: GroupKind::UserLed, led: true, communities: &[Community::AutisticAdults, Community::YoungPeople], description: "For autistic people aged 16 to 25: games, chat and trips, at your pace." },
    More { name: "Diabetes support group", category: "health", group: "Meadowfield Primary Care Network", kind: GroupKind::NhsService, led: false, communities: &[], description: "Share tips on food, checks and feet with others who live with diabetes. A nurse drops in." },
    More { name: "Memory clinic drop-in", category: "health", group: "Meadowfield Surgery", kind: GroupKind::NhsService, led: false, communities: &[Community::Dementia], description: "Worried about your memory? Talk to a nurse, without an appointment." },
    More { name: "Stop smoking support", category: "health", group: "Meadowfield Surgery", kind: GroupKind::NhsService, led: false, communities: &[], description: "Free help and patches to stop smoking, from people who have done it." },
    More { name: "Men's health check", category: "health", group: "Meadowfield Primary Care Network", kind: GroupKind::NhsService, led: false, communities: &[Community::Men], description: "A quick check of blood pressure, weight and sugar, with a chat, at the pub." },
    More { name: "Blood pressure check at the mosque", category: "health", group: "Al-Noor Mosque", kind: GroupKind::Faith, led: false, communities: &[], description: "A volunteer nurse checks blood pressure after Friday prayers. Everyone welcome." },
    More { name: "Pension credit help", category: "advice", group: "Meadowfield Advice Centre", kind: GroupKind::RegisteredCharity, led: false, communities: &[Community::OlderPeople], description: "Check whether you can get pension credit and fill in the form together." },
    More { name: "Energy bills help", category: "advice", group: "Warm Homes Meadowfield", kind: GroupKind::RegisteredCharity, led: false, communities: &[], description: "Help to cut energy bills, get grants and deal with suppliers." },
    More { name: "Tenants' association", category: "advice", group: "Meadowfield Tenants Together", kind: GroupKind::Neighbourhood, led: false, communities: &[], description: "Tenants meet to sort out repairs, rents and problems together with the landlord." },
    More { name: "Legal advice evening", category: "advice", group: "Meadowfield Law Centre", kind: GroupKind::RegisteredCharity, led: false, communities: &[], description: "Free advice from volunteer solicitors on housing, work and family problems." },
    More { name: "Immigration advice", category: "advice", group: "Meadowfield Welcome", kind: GroupKind::RegisteredCharity, led: false, communities: &[Community::NewToTheUk], description: "Free, confidential advice about visas, status and rights, with interpreters." },
    More { name: "Hospital lifts", category: "getting_out", group: "Meadowfield Community Transport", kind: GroupKind::RegisteredCharity, led: false, communities: &[], description: "A volunteer driver takes you to hospital appointments and waits to bring you home." },
    More { name: "Shopmobility", category: "getting_out", group: "Meadowfield Shopmobility", kind: GroupKind::RegisteredCharity, led: false, communities: &[Community::DisabledPeople], description: "Borrow a mobility scooter or wheelchair to get round the town centre." },
    More { name: "Garden visits", category: "getting_out", group: "Meadowfield Over-60s", kind: GroupKind::InformalGroup, led: false, communities: &[Community::OlderPeople], description: "Trips to open gardens in summer, by accessible minibus." },
    More { name: "Handyperson service", category: "help_at_home", group: "Meadowfield Care and Repair", kind: GroupKind::RegisteredCharity, led: false, communities: &[Community::OlderPeople], description: "Small jobs done safely: grab rails, smoke alarms, curtain rails and dripping taps." },
    More { name: "Garden helpers", category: "help_at_home", group: "Meadowfield Good Neighbours", kind: GroupKind::RegisteredCharity, led: false, communities: &[], description: "Volunteers help keep your garden tidy if you can no longer manage it." },
    More { name: "Prescription collection", category: "help_at_home", group: "Brook Street Mutual Aid", kind: GroupKind::MutualAid, led: false, communities: &[], description: "Neighbours collect and deliver prescriptions for people who cannot get out." },
    More { name: "Oakwood mutual aid", category: "help_at_home", group: "Oakwood Mutual Aid", kind: GroupKind::MutualAid, led: false, communities: &[], description: "A WhatsApp and phone network of neighbours on the Oakwood estate who help each other out." },
    More { name: "Tool library", category: "help_at_home", group: "Meadowfield Tool Library", kind: GroupKind::MutualAid, led: false, communities: &[], description: "Borrow a drill, ladder or lawnmower for a week instead of buying one." },
    More { name: "Baby bank", category: "help_at_home", group: "Oakwood Families", kind: GroupKind::Neighbourhood, led: false, communities: &[Community::Parents], description: "Free prams, cots, clothes and toys for families who need them. Donations welcome." },
    More { name: "Furniture reuse", category: "help_at_home", group: "Second Home Meadowfield", kind: GroupKind::RegisteredCharity, led: false, communities: &[], description: "Good used furniture and kitchen things at low prices, delivered to your door." },
    More { name: "Friendly home visits", category: "help_at_home", group: "St Anne's Church", kind: GroupKind::Faith, led: false, communities: &[], description: "A volunteer visits for a chat and a cup of tea every week." },
    More { name: "Litter pick", category: "volunteering", group: "Friends of Riverside Park", kind: GroupKind::Neighbourhood, led: false, communities: &[], description: "Help keep the park clean. Grabbers, gloves and a cuppa provided." },
    More { name: "Charity shop volunteering", category: "volunteering", group: "Meadowfield Hospice Shop", kind: GroupKind::RegisteredCharity, led: false, communities: &[], description: "Sort donations, dress the window or work the till, a few hours a week." },
    More { name: "Befriender training", category: "volunteering", group: "Meadowfield Good Neighbours", kind: GroupKind::RegisteredCharity, led: false, communities: &[], description: "Become a volunteer befriender. Training, support and a friendly team." },
    More { name: "Tree planting days", category: "volunteering", group: "Meadowfield Tree Wardens", kind: GroupKind::Neighbourhood, led: false, communities: &[], description: "Plant and care for street trees across town. All tools provided." },
    More { name: "Community radio", category: "volunteering", group: "Meadowfield FM", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Present, produce or just tell your story on local radio. Training given." },
    More { name: "Bee keeping taster", category: "nature", group: "Meadowfield Beekeepers", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Meet the bees in a suit and veil, and taste the honey." },
    More { name: "Pond dipping for all ages", category: "nature", group: "Friends of Riverside Park", kind: GroupKind::Neighbourhood, led: false, communities: &[Community::Parents], description: "Find newts, snails and dragonfly larvae. Nets and jars provided." },
    More { name: "Orchard club", category: "nature", group: "Hawthorn Growers", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Prune, pick and press apples in the community orchard." },
    More { name: "Sensory garden sessions", category: "nature", group: "Meadowfield Sensory Garden", kind: GroupKind::UserLed, led: true, communities: &[Community::LearningDisabilities], description: "Touch, smell and grow in a garden designed with disabled people. Quiet and step-free." },
    More { name: "Cake stall start-up", category: "work", group: "Small Good Things", kind: GroupKind::MicroEnterprise, led: true, communities: &[], description: "Sell your baking at the Saturday market with help on hygiene, pricing and stall space." },
    More { name: "Work experience with support", category: "work", group: "Meadowfield Works", kind: GroupKind::RegisteredCharity, led: false, communities: &[Community::LearningDisabilities], description: "Try a job with a job coach alongside you, at a pace that works." },
    More { name: "Pop-up market for makers", category: "work", group: "Made in Meadowfield", kind: GroupKind::MicroEnterprise, led: false, communities: &[], description: "A monthly market where local makers sell crafts, cards and food. Stalls from £5." },
    More { name: "Interview clothes bank", category: "work", group: "Meadowfield Works", kind: GroupKind::RegisteredCharity, led: false, communities: &[], description: "Free smart clothes and shoes for interviews and new jobs." },
    More { name: "Gurdwara langar", category: "faith_culture", group: "Meadowfield Gurdwara", kind: GroupKind::Faith, led: false, communities: &[], description: "A free vegetarian meal for anyone, served by volunteers, every day." },
    More { name: "Caribbean elders' lunch", category: "faith_culture", group: "Windrush Meadowfield", kind: GroupKind::UserLed, led: true, communities: &[Community::OlderPeople], description: "Caribbean food, dominoes and stories for elders and their families." },
    More { name: "Polish Saturday school", category: "faith_culture", group: "Meadowfield Polish Community", kind: GroupKind::InformalGroup, led: false, communities: &[Community::Parents], description: "Polish language, songs and culture for children, with coffee for parents." },
    More { name: "Chinese New Year planning group", category: "faith_culture", group: "Meadowfield Chinese Association", kind: GroupKind::InformalGroup, led: false, communities: &[], description: "Plan the lantern parade and feast. Everyone welcome to help." },
];

/// One offer to build: an activity from either list, with the place in the schedule
/// pattern (`a`, `v`) and its number (`n`, which fixes its id).
struct Entry {
    a: usize,
    v: usize,
    n: usize,
    name: &'static str,
    category: &'static str,
    group: &'static str,
    description: &'static str,
    kind: GroupKind,
    lived: bool,
    communities: &'static [Community],
}

/// Every offer: the 50 activities first kept their ids (`n = 3a + 1`); the 100 more take the
/// numbers between (`3a + 2`, `3a + 3`), so ids already handed out never change.
fn entries() -> Vec<Entry> {
    let mut out: Vec<Entry> = ACTIVITIES
        .iter()
        .enumerate()
        .map(|(a, x)| {
            let (kind, lived) = kind_of(x.group);
            Entry {
                a,
                v: 0,
                n: a * 3 + 1,
                name: x.name,
                category: x.category,
                group: x.group,
                description: x.description,
                kind,
                lived,
                communities: communities_of(x.name),
            }
        })
        .collect();
    out.extend(MORE.iter().enumerate().map(|(k, x)| Entry {
        a: k / 2,
        v: 1 + k % 2,
        n: (k / 2) * 3 + 2 + k % 2,
        name: x.name,
        category: x.category,
        group: x.group,
        description: x.description,
        kind: x.kind,
        lived: x.led,
        communities: x.communities,
    }));
    out.sort_by_key(|e| e.n);
    out
}

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const SLOTS: [(&str, &str); 6] = [
    ("10:00", "12:00"),
    ("13:30", "15:30"),
    ("18:30", "20:30"),
    ("09:30", "11:00"),
    ("14:00", "16:00"),
    ("11:00", "13:00"),
];

/// A deterministic UUID for the demo: `kind` tells records apart, `n` counts.
pub(super) fn demo_id(kind: u32, n: usize) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

/// The organisation running an offer: one id per group name, the number of the first of the
/// 50 activities it runs (so ids already handed out stay), or for a group that runs only
/// later activities, the next number after them.
fn group_id(new_groups: &mut Vec<&'static str>, group: &'static str) -> String {
    if let Some(first) = ACTIVITIES.iter().position(|x| x.group == group) {
        return demo_id(0x0D0_0001, first + 1);
    }
    let k = match new_groups.iter().position(|g| *g == group) {
        Some(k) => k,
        None => {
            new_groups.push(group);
            new_groups.len() - 1
        }
    };
    demo_id(0x0D0_0001, ACTIVITIES.len() + k + 1)
}

/// The organisation that runs one of the first 50 activities.
pub(super) fn group_of_activity(activity: usize) -> String {
    group_id(
        &mut Vec::new(),
        ACTIVITIES[activity % ACTIVITIES.len()].group,
    )
}

/// Build the demo's ORUK service records.
pub fn services() -> Vec<Value> {
    let mut out = Vec::new();
    // Organisations: one id per group name, numbered in order of first appearance (the
    // first 50 activities' groups keep the ids they had).
    let mut groups: Vec<&'static str> = Vec::new();
    for e in entries() {
        let Entry { a, v, n, .. } = e;
        let activity = &e;
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
        let org_id = group_id(&mut groups, activity.group);
        let mut record = json!({
            "id": demo_id(0x0D0_0002, n),
            "organization_id": org_id,
            "name": activity.name,
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
                attributes.push(
                    json!({"id": demo_id(0x0D0_0009 + k as u32, n), "taxonomy_term_id": term_id}),
                );
            };
            if let Some(c) = category {
                attribute(c.id, 0);
            }
            attribute(activity.kind.term_id(), 1);
            if activity.lived {
                attribute(LIVED_EXPERIENCE_LED_TERM_ID, 2);
            }
            for (k, access) in VENUE_ACCESS[(a * 3 + v * 7) % VENUES.len()]
                .iter()
                .enumerate()
            {
                attribute(access.term_id(), 3 + k);
            }
            for (k, community) in activity.communities.iter().enumerate() {
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
    out
}

/// Homes in Meadowfield that are not venues: where demo members live (a street behind the
/// library, so Grace is a few minutes' walk from it).
const HOMES: [(&str, f64, f64); 1] = [("MF1 2AB", 52.9557, -1.1489)];

/// Postcode centroids for Meadowfield's own invented postcodes: every venue, and every
/// demo member's home.
pub fn postcodes() -> Vec<(String, String, f64, f64)> {
    VENUES
        .iter()
        .map(|v| (v.postcode, v.lat, v.lon))
        .chain(HOMES)
        .map(|(postcode, lat, lon)| {
            let district = postcode.split(' ').next().unwrap_or(postcode).to_string();
            (postcode.to_string(), district, lat, lon)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hundred_and_fifty_distinct_offers_at_places_the_directory_knows() {
        let records = services();
        assert_eq!(records.len(), 150);
        let names: std::collections::HashSet<&str> =
            records.iter().filter_map(|r| r["name"].as_str()).collect();
        assert_eq!(names.len(), 150, "every offer has its own name");
        let ids: std::collections::HashSet<&str> =
            records.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(ids.len(), 150);
        assert_eq!(
            records[0]["id"], "00d00002-0000-4000-8000-000000000001",
            "ids already handed out stay"
        );
        let mut groups = std::collections::HashMap::new();
        for r in &records {
            let (name, id) = (&r["organization"]["name"], &r["organization_id"]);
            assert_eq!(
                groups.entry(name.to_string()).or_insert(id),
                &id,
                "one id for {name}"
            );
        }
        let known: Vec<String> = postcodes().into_iter().map(|(p, ..)| p).collect();
        let mut kinds = std::collections::HashSet::new();
        for r in &records {
            assert!(read_service(r).is_ok(), "{}", r["name"]);
            let postcode = r["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]
                .as_str()
                .unwrap_or("");
            assert!(known.iter().any(|k| k == postcode), "{}", r["name"]);
            for a in r["attributes"].as_array().into_iter().flatten() {
                if let Some(k) = a["taxonomy_term_id"]
                    .as_str()
                    .and_then(GroupKind::from_term_id)
                {
                    kinds.insert(k);
                }
            }
        }
        for kind in [
            GroupKind::InformalGroup,
            GroupKind::MicroEnterprise,
            GroupKind::UserLed,
            GroupKind::Faith,
            GroupKind::Neighbourhood,
            GroupKind::MutualAid,
            GroupKind::SelfAdvocacy,
        ] {
            assert!(kinds.contains(&kind), "some offers are run by a {kind:?}");
        }
    }
}
