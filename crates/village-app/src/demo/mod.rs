//! The demo neighbourhood: Meadowfield, a fictional place with realistic people. Loading it
//! twice changes nothing. Each capability adds its own demo data here.

pub mod connections;
pub mod decisions;
pub mod directory;
pub mod gatherings;
pub mod mutual_aid;
pub mod people;
pub mod stories;

use crate::accounts::create_account;
use village_domain::accounts::{LivedExperience, LivedExperienceKind, Role};
use village_store::accounts as store;
use village_store::Store;

/// The demo hub's name and description, used when the config file does not name the hub.
pub const HUB_NAME: &str = "Meadowfield Village";
pub const HUB_DESCRIPTION: &str = "Meadowfield is a made-up neighbourhood for trying Village: a market town's estate with a community centre, a library, a park and a lot of good neighbours. Everything and everyone here is invented.";

/// The password every demo account shares, printed when the demo loads. Demo hubs only.
pub const DEMO_PASSWORD: &str = "meadowfield-demo-2026";

struct DemoPerson {
    email: &'static str,
    name: &'static str,
    role: Role,
    lived: Option<(&'static [LivedExperienceKind], &'static str)>,
}

const PEOPLE: &[DemoPerson] = &[
    DemoPerson { email: "admin@meadowfield.example", name: "Priya Sharma", role: Role::HubAdmin, lived: None },
    DemoPerson { email: "sam.okafor@meadowfield.example", name: "Sam Okafor", role: Role::Connector, lived: None },
    DemoPerson { email: "bronwen@meadowfield.example", name: "Bronwen Price", role: Role::Steward, lived: Some((&[LivedExperienceKind::UnpaidCarer], "I cared for my husband for eleven years.")) },
    DemoPerson { email: "david.chen@meadowfield.example", name: "David Chen", role: Role::CouncilOfficer, lived: None },
    DemoPerson { email: "joan@meadowfield.example", name: "Joan Ellis", role: Role::Coordinator, lived: None },
    DemoPerson { email: "grace@meadowfield.example", name: "Grace Adeyemi", role: Role::Member, lived: Some((&[LivedExperienceKind::DrawsOnSupport], "I have a personal assistant two mornings a week and I run the Tuesday knit and natter.")) },
    DemoPerson { email: "tom.wright@meadowfield.example", name: "Tom Wright", role: Role::Member, lived: Some((&[LivedExperienceKind::DrawsOnSupport, LivedExperienceKind::Other], "Autistic, and a keen gardener.")) },
    DemoPerson { email: "aisha@meadowfield.example", name: "Aisha Begum", role: Role::Member, lived: Some((&[LivedExperienceKind::UnpaidCarer], "I look after my mum and my son.")) },
    DemoPerson { email: "mick@meadowfield.example", name: "Mick O'Donnell", role: Role::Member, lived: None },
    DemoPerson { email: "lena@meadowfield.example", name: "Lena Kowalska", role: Role::Member, lived: None },
];

/// What loading the demo added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    pub accounts: usize,
    pub offers: usize,
}

impl std::fmt::Display for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} new accounts, {} new offers",
            self.accounts, self.offers
        )
    }
}

/// Load the demo neighbourhood: its people, then its directory.
pub async fn load(store_: &Store, now: i64) -> anyhow::Result<Loaded> {
    let accounts = load_people(store_, now)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let offers = directory::load(store_, now).await?;
    connections::load(store_, now).await?;
    decisions::load(store_, now).await?;
    mutual_aid::load(store_, now).await?;
    stories::load(store_, now).await?;
    gatherings::load(store_, now).await?;
    Ok(Loaded { accounts, offers })
}

/// Load the demo's people: the founding accounts, forty members with profiles and circles,
/// and the connectors some of them chose. Returns how many accounts were new.
async fn load_people(store_: &Store, now: i64) -> crate::Result<usize> {
    let mut added = 0;
    let mut new_ids = std::collections::HashMap::new();
    let founding = PEOPLE.iter().map(|p| (p.email, p.name, p.role, p.lived));
    let others = people::PEOPLE
        .iter()
        .map(|p| (p.email, p.name, p.role, None))
        .chain(
            people::EXTRA_CONNECTORS
                .iter()
                .map(|(email, name)| (*email, *name, Role::Connector, None)),
        );
    for (email, name, role, lived) in founding.chain(others) {
        if new_ids.contains_key(email) {
            continue;
        }
        let exists = {
            let mut c = store_.conn().await?;
            store::user_by_email(&mut c, email).await?.is_some()
        };
        if exists {
            continue;
        }
        let id = create_account(store_, email, name, DEMO_PASSWORD, role, now).await?;
        if let Some((kinds, words)) = lived {
            let lived = LivedExperience::new(true, kinds.to_vec(), Some(words))?;
            let mut c = store_.conn().await?;
            store::set_lived_experience(&mut c, id, &lived, now).await?;
        }
        new_ids.insert(email, id);
        added += 1;
    }
    for p in people::PEOPLE {
        if let Some(id) = new_ids.get(p.email) {
            people::fill(store_, p, *id, now).await?;
        }
    }
    // Bronwen, the steward, is the demo's safeguarding lead.
    if let Some(id) = new_ids.get("bronwen@meadowfield.example") {
        let mut c = store_.conn().await?;
        store::set_safeguarding_lead(&mut c, *id, true, now).await?;
    }
    // What the demo's connectors tell people choosing one.
    for (email, about, how) in CONNECTOR_INTROS {
        if let Some(id) = new_ids.get(email) {
            let mut c = store_.conn().await?;
            village_store::people::put_connector_intro(&mut c, *id, about, how, now).await?;
        }
    }
    people::link(store_, now).await?;
    Ok(added)
}

/// Who each demo connector is and how they work, in their words.
const CONNECTOR_INTROS: &[(&str, &str, &str)] = &[
    (
        "sam.okafor@meadowfield.example",
        "I'm a community connector with the council. I grew up on the Meadowfield estate and I play five-a-side on Sundays. I like helping people find their people.",
        "I meet you where you feel at home: your kitchen, the library or the café at the community centre. Weekdays, and Thursday evenings. Ring or text me, or send a message here.",
    ),
    (
        "joy@meadowfield.example",
        "I'm a peer connector. I have a learning disability and I know what it is like when nobody asks what you want. I love dancing and cooking.",
        "We can meet at the Hub on Tuesdays and Fridays, or go for a walk. I can bring easy read. Send me a message here and I will ring you.",
    ),
    (
        "rhys@meadowfield.example",
        "I'm a local area coordinator. Before this I was a carer for my dad. I know the groups round here well, from walking football to the repair café.",
        "I come to you, at home or anywhere you like. Mornings suit me best. I speak English and Welsh.",
    ),
];
