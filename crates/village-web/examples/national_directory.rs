//! Generate a national-scale directory for the benchmark (`bench/directory`): N offers across
//! Great Britain as ORUK JSON, in files of 10,000 (`services-0000.json` …), plus
//! `postcodes.csv` with the centres of the towns used. Deterministic for the same N.
//!
//! ```sh
//! cargo run --release -p village-web --example national_directory -- 1000000 target/national
//! ```
//!
//! Offers cluster around 64 towns and cities in proportion to their size; names, descriptions,
//! categories, kinds of group, access, communities, schedules, ages and costs are drawn from
//! realistic lists, so common words ("group", "community") match most offers and a few rare
//! ones ("zither", "bouldering") match a handful.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use std::io::Write;
use village_domain::directory::taxonomy::{
    Access, Community, GroupKind, Space, CATEGORIES, LIVED_EXPERIENCE_LED_TERM_ID,
};

/// (name, postcode at its centre, latitude, longitude, weight ~ population in 10,000s)
const TOWNS: &[(&str, &str, f64, f64, u32)] = &[
    ("London", "EC1A 1BB", 51.5074, -0.1278, 890),
    ("Birmingham", "B2 4QA", 52.4797, -1.8967, 114),
    ("Manchester", "M1 1AE", 53.4794, -2.2453, 55),
    ("Leeds", "LS1 1UR", 53.7997, -1.5492, 79),
    ("Glasgow", "G1 1XQ", 55.8609, -4.2514, 63),
    ("Sheffield", "S1 2HE", 53.3811, -1.4701, 58),
    ("Bradford", "BD1 1HY", 53.7938, -1.7564, 54),
    ("Liverpool", "L1 1JD", 53.4084, -2.9916, 50),
    ("Edinburgh", "EH1 1YZ", 55.9533, -3.1883, 52),
    ("Bristol", "BS1 4DJ", 51.4545, -2.5879, 47),
    ("Cardiff", "CF10 1EP", 51.4816, -3.1791, 36),
    ("Leicester", "LE1 5YA", 52.6369, -1.1398, 36),
    ("Coventry", "CV1 1FB", 52.4068, -1.5197, 37),
    ("Nottingham", "NG1 5FS", 52.9536, -1.1505, 33),
    ("Newcastle upon Tyne", "NE1 7RU", 54.9783, -1.6178, 30),
    ("Sunderland", "SR1 3AA", 54.9069, -1.3838, 28),
    ("Brighton", "BN1 1AA", 50.8225, -0.1372, 29),
    ("Hull", "HU1 1AA", 53.7457, -0.3367, 26),
    ("Plymouth", "PL1 1AA", 50.3755, -4.1427, 26),
    ("Stoke-on-Trent", "ST1 1AA", 53.0027, -2.1794, 26),
    ("Wolverhampton", "WV1 1AA", 52.5862, -2.1288, 26),
    ("Derby", "DE1 1AA", 52.9225, -1.4746, 26),
    ("Swansea", "SA1 1AA", 51.6214, -3.9436, 24),
    ("Southampton", "SO14 7AA", 50.9097, -1.4044, 25),
    ("Salford", "M3 6AA", 53.4875, -2.2901, 25),
    ("Aberdeen", "AB10 1AA", 57.1497, -2.0943, 20),
    ("Westminster", "SW1A 1AA", 51.4975, -0.1357, 25),
    ("Portsmouth", "PO1 1AA", 50.8198, -1.0880, 21),
    ("York", "YO1 7AA", 53.9600, -1.0873, 21),
    ("Peterborough", "PE1 1AA", 52.5695, -0.2405, 20),
    ("Dundee", "DD1 1AA", 56.4620, -2.9707, 15),
    ("Lancaster", "LA1 1AA", 54.0466, -2.8007, 14),
    ("Oxford", "OX1 1AA", 51.7520, -1.2577, 15),
    ("Newport", "NP20 1AA", 51.5842, -2.9977, 15),
    ("Preston", "PR1 1AA", 53.7632, -2.7031, 14),
    ("St Albans", "AL1 1AA", 51.7520, -0.3360, 15),
    ("Norwich", "NR1 1AA", 52.6309, 1.2974, 14),
    ("Chester", "CH1 1AA", 53.1934, -2.8931, 12),
    ("Cambridge", "CB1 1AA", 52.2053, 0.1218, 12),
    ("Salisbury", "SP1 1AA", 51.0688, -1.7945, 5),
    ("Exeter", "EX1 1AA", 50.7184, -3.5339, 13),
    ("Gloucester", "GL1 1AA", 51.8642, -2.2382, 13),
    ("Lisburn", "BT28 1AA", 54.5162, -6.0580, 5),
    ("Chichester", "PO19 1AA", 50.8376, -0.7749, 3),
    ("Winchester", "SO23 8AA", 51.0632, -1.3080, 5),
    ("Worcester", "WR1 1AA", 52.1936, -2.2216, 10),
    ("Carlisle", "CA1 1AA", 54.8925, -2.9329, 8),
    ("Inverness", "IV1 1AA", 57.4778, -4.2247, 5),
    ("Stirling", "FK8 1AA", 56.1165, -3.9369, 4),
    ("Perth", "PH1 1AA", 56.3950, -3.4308, 5),
    ("Bangor", "LL57 1AA", 53.2274, -4.1293, 2),
    ("St Davids", "SA62 6AA", 51.8812, -5.2660, 1),
    ("Truro", "TR1 1AA", 50.2632, -5.0510, 2),
    ("Wells", "BA5 1AA", 51.2094, -2.6450, 1),
    ("Ely", "CB7 4AA", 52.3995, 0.2624, 2),
    ("Ripon", "HG4 1AA", 54.1375, -1.5240, 2),
    ("Milton Keynes", "MK9 1AA", 52.0406, -0.7594, 23),
    ("Reading", "RG1 1AA", 51.4543, -0.9781, 17),
    ("Northampton", "NN1 1AA", 52.2405, -0.9027, 22),
    ("Luton", "LU1 1AA", 51.8787, -0.4200, 21),
    ("Bolton", "BL1 1AA", 53.5769, -2.4282, 19),
    ("Middlesbrough", "TS1 1AA", 54.5742, -1.2350, 14),
    ("Blackpool", "FY1 1AA", 53.8175, -3.0357, 14),
    ("Ipswich", "IP1 1AA", 52.0567, 1.1482, 13),
];

const ACTIVITIES: &[(&str, &str)] = &[
    ("walking group", "moving"),
    ("knit and natter", "arts"),
    ("lunch club", "food"),
    ("men's shed", "social"),
    ("carers' coffee morning", "carers"),
    ("peer support group", "peer_support"),
    ("community choir", "arts"),
    ("chair yoga", "moving"),
    ("community garden", "nature"),
    ("repair café", "volunteering"),
    ("digital drop-in", "digital"),
    ("money advice session", "advice"),
    ("food pantry", "food"),
    ("reading group", "learning"),
    ("walking football", "moving"),
    ("befriending service", "help_at_home"),
    ("community transport", "getting_out"),
    ("job club", "work"),
    ("faith lunch", "faith_culture"),
    ("art for wellbeing", "wellbeing"),
    ("bereavement café", "wellbeing"),
    ("dementia café", "carers"),
    ("conversation English", "learning"),
    ("allotment taster", "nature"),
    ("tea dance", "social"),
    ("swim session", "moving"),
    ("mutual aid network", "help_at_home"),
    ("self-advocacy group", "peer_support"),
    ("social prescribing clinic", "health"),
    ("cook and eat", "food"),
];

const PLACES: &[&str] = &[
    "Community Centre",
    "Library",
    "Church Hall",
    "Leisure Centre",
    "Park Pavilion",
    "Village Hall",
    "Mosque community room",
    "Gurdwara hall",
    "Primary School hall",
    "Café",
    "Methodist Hall",
    "Youth Centre",
];

const SETTINGS: &[&str] = &[
    "Friendly",
    "Riverside",
    "Northside",
    "Southside",
    "Eastfield",
    "Westgate",
    "Oakwood",
    "Hillside",
    "Parkview",
    "Meadow",
    "Brookside",
    "Old Town",
    "Station Road",
    "High Street",
    "Greenway",
    "Castle",
    "Harbour",
    "Moorland",
    "Valley",
    "Market",
];

const OPENERS: &[&str] = &[
    "A relaxed group where everyone is welcome.",
    "Come along on your own or bring a friend.",
    "Run by local volunteers who know the area well.",
    "A chance to meet people and try something new.",
    "No experience needed and nobody minds if you just watch.",
    "Started by neighbours who wanted somewhere to meet.",
    "Led by people who have been through it themselves.",
    "A small, friendly community group that has met for years.",
];

const MIDDLES: &[&str] = &[
    "Tea, coffee and biscuits are always on.",
    "We support each other and share what works.",
    "The group meets in a warm, quiet room with plenty of seats.",
    "People of every background come, and many come back every week.",
    "There is space to talk, or to sit quietly and listen.",
    "Carers and the people they support are both welcome.",
    "Our volunteers can help you get there if travel is hard.",
    "We share skills, stories and a good laugh.",
];

const RARE: &[&str] = &["zither", "bouldering", "origami", "beekeeping", "ukulele"];

/// A small, fast, deterministic random source (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// Roughly normal, mean 0, standard deviation 1.
    fn normal(&mut self) -> f64 {
        (0..6).map(|_| self.unit()).sum::<f64>() - 3.0
    }
}

fn id(kind: u32, n: usize) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

fn offer(n: usize, rng: &mut Rng, towns_total: u32) -> Value {
    // A town, in proportion to its size.
    let mut ticket = rng.below(towns_total as usize) as u32;
    let town = TOWNS
        .iter()
        .find(|t| {
            if ticket < t.4 {
                true
            } else {
                ticket -= t.4;
                false
            }
        })
        .unwrap_or(&TOWNS[0]);
    let spread_km = 2.0 + (town.4 as f64).sqrt() * 0.6;
    let lat = town.2 + rng.normal() * spread_km / 111.0 / 2.0;
    let lon = town.3 + rng.normal() * spread_km / (111.0 * town.2.to_radians().cos()) / 2.0;
    let (activity, category) = *rng.pick(ACTIVITIES);
    let setting = *rng.pick(SETTINGS);
    let place = *rng.pick(PLACES);
    let rare = if n % 20_011 == 7 {
        format!(" Bring your {}!", rng.pick(RARE))
    } else {
        String::new()
    };
    let group = format!("{setting} {} {}", town.0, title(activity));
    let name = format!("{} at {setting} {place}", title(activity));
    let description = format!(
        "{} {} {}{rare}",
        rng.pick(OPENERS),
        rng.pick(MIDDLES),
        format_args!("Meets at {setting} {place}, {}.", town.0),
    );
    let org_id = id(0x0B0_0001, n / 3 + 1);
    let days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let slots = [
        ("09:30", "11:30"),
        ("10:00", "12:00"),
        ("13:30", "15:30"),
        ("14:00", "16:00"),
        ("18:30", "20:30"),
        ("19:00", "21:00"),
    ];
    let (opens, closes) = *rng.pick(&slots);
    let free = rng.below(10) < 6;
    let mut attributes = vec![];
    let mut term = |t: &str, k: usize| {
        attributes.push(json!({"id": id(0x0B0_0010 + k as u32, n), "taxonomy_term_id": t}))
    };
    if let Some(c) = CATEGORIES.iter().find(|c| c.code == category) {
        term(c.id, 0);
    }
    term(rng.pick(GroupKind::ALL).term_id(), 1);
    if rng.below(10) < 3 {
        term(LIVED_EXPERIENCE_LED_TERM_ID, 2);
    }
    for (k, a) in Access::ALL.iter().enumerate() {
        if rng.below(10) < 3 {
            term(a.term_id(), 3 + k);
        }
    }
    if rng.below(10) == 0 {
        term(rng.pick(Community::ALL).term_id(), 20);
    }
    match rng.below(6) {
        0 => term(Space::HasSpace.term_id(), 30),
        1 => term(Space::WaitingList.term_id(), 30),
        _ => {}
    }
    let mut record = json!({
        "id": id(0x0B0_0002, n),
        "name": name,
        "description": description,
        "status": "active",
        "email": format!("hello{n}@example.org"),
        "last_modified": "2026-11-01T10:00:00Z",
        "organization": {"id": org_id, "name": group, "description": format!("{group} is a community group in {}.", town.0)},
        "schedules": [{"id": id(0x0B0_0003, n), "freq": "WEEKLY", "byday": rng.pick(&days), "opens_at": opens, "closes_at": closes}],
        "service_at_locations": [{
            "id": id(0x0B0_0004, n),
            "location": {
                "id": id(0x0B0_0005, n),
                "location_type": "physical",
                "name": format!("{setting} {place}"),
                "latitude": (lat * 1e5).round() / 1e5,
                "longitude": (lon * 1e5).round() / 1e5,
                "addresses": [{"id": id(0x0B0_0006, n), "address_1": format!("{} {setting} Road", 1 + rng.below(200)), "city": town.0, "state_province": "", "postal_code": town.1, "country": "GB", "address_type": "physical"}],
            }
        }],
        "cost_options": [if free {
            json!({"id": id(0x0B0_0007, n), "option": "Free", "amount": 0, "currency": "GBP"})
        } else {
            json!({"id": id(0x0B0_0007, n), "option": "Per session", "amount": 1 + rng.below(5), "currency": "GBP"})
        }],
        "attributes": attributes,
    });
    match rng.below(10) {
        0 => {
            record["minimum_age"] = json!(60);
        }
        1 => {
            record["minimum_age"] = json!(5);
            record["maximum_age"] = json!(17);
        }
        2..=6 => {
            record["minimum_age"] = json!(18);
        }
        _ => {}
    }
    record
}

fn title(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let total: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let out = std::path::PathBuf::from(args.get(2).map_or("target/national", |s| s.as_str()));
    let services = out.join("services");
    std::fs::create_dir_all(&services).expect("create the output folder");
    let towns_total: u32 = TOWNS.iter().map(|t| t.4).sum();
    let mut rng = Rng(20_261_123);
    let per_file = 10_000;
    for file in 0..total.div_ceil(per_file) {
        let path = services.join(format!("services-{file:04}.json"));
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path).expect("create a file"));
        w.write_all(b"[").expect("write");
        for i in 0..per_file.min(total - file * per_file) {
            if i > 0 {
                w.write_all(b",\n").expect("write");
            }
            let n = file * per_file + i + 1;
            serde_json::to_writer(&mut w, &offer(n, &mut rng, towns_total)).expect("write");
        }
        w.write_all(b"]\n").expect("write");
    }
    let mut csv = String::from("pcds,lat,long\n");
    for t in TOWNS {
        csv.push_str(&format!("{},{},{}\n", t.1, t.2, t.3));
    }
    std::fs::write(out.join("postcodes.csv"), csv).expect("write postcodes.csv");
    println!(
        "{total} offers in {} under {}",
        total.div_ceil(per_file),
        services.display()
    );
}
