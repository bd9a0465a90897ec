//! Hub settings: read from the TOML config file, environment and command line by the binary.

use serde::{Deserialize, Serialize};
use village_domain::accounts::{AttemptLimit, SignUpMode};

/// The largest request body the hub accepts (forms and JSON).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The address people use to reach the hub, used in links in emails, e.g.
    /// `https://village.example.org`. When it starts with `https`, cookies are marked
    /// Secure and HSTS is sent.
    pub public_url: String,
    /// Use the first address in `X-Forwarded-For` as the visitor's address (only behind a
    /// proxy you run).
    pub trust_forwarded_for: bool,
    pub hub: HubSettings,
    pub limits: LimitSettings,
    pub sessions: SessionSettings,
    pub mail: MailSettings,
    /// How much each kind of fit counts when suggesting offers to someone (every weight zero
    /// or more; see `village_domain::connections::matching::Weights`).
    pub matching: village_domain::connections::matching::Weights,
    pub suggestions: SuggestionSettings,
    pub giving: GivingSettings,
    pub safeguarding: SafeguardingSettings,
    pub map: MapSettings,
    pub search: SearchSettings,
    pub mutual_aid: MutualAidSettings,
    pub stories: StoriesSettings,
    pub gatherings: GatheringsSettings,
}

/// Gatherings (`/gatherings`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GatheringsSettings {
    /// How many days after a gathering ends (or is cancelled) what people said would help
    /// them take part is deleted (30 unless set; 1 to 365).
    pub forget_needs_after_days: u32,
}

impl Default for GatheringsSettings {
    fn default() -> Self {
        Self {
            forget_needs_after_days: 30,
        }
    }
}

/// Stories (`/stories`): the framing helper's words, beside its starting lexicon, and the
/// open licence stories others may reuse are shared under.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoriesSettings {
    /// The hub's own entries for the framing helper, added to the starting lexicon
    /// (`village_domain::stories::framing::starting`), e.g.
    /// `framing = [{ phrases = ["frequent flyer"], suggestion = "someone who often needs the service", why = "It mocks the person." }]`.
    pub framing: Vec<village_domain::stories::framing::Entry>,
    /// The licence of stories whose tellers let others reuse them (in `/stories.atom`).
    pub licence: Licence,
    /// The themes a steward picks for a story, for readers to find stories by
    /// (`/stories?theme=`), e.g. `themes = [{ code = "getting_out", name = "Getting out" }]`.
    pub themes: Vec<village_domain::stories::themes::Theme>,
}

impl Default for StoriesSettings {
    fn default() -> Self {
        Self {
            framing: Vec::new(),
            licence: Licence::default(),
            themes: village_domain::stories::themes::starting(),
        }
    }
}

/// An open licence: its name and where to read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Licence {
    pub name: String,
    pub url: String,
}

impl Default for Licence {
    fn default() -> Self {
        Self {
            name: "CC BY 4.0".into(),
            url: "https://creativecommons.org/licenses/by/4.0/".into(),
        }
    }
}

/// Mutual aid: neighbours' asks and offers (`/help`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MutualAidSettings {
    /// The hub's own areas, which people can choose as roughly where (beside a postcode
    /// district), each placed by a postcode district, e.g.
    /// `areas = [{ name = "Oakwood", postcode = "NG8" }]`.
    pub areas: Vec<HelpArea>,
    /// Time credits: after help has happened, either person records the time given and the
    /// other confirms it. `false` hides them everywhere.
    pub credits: bool,
    /// The lowest a member's balance may go, in minutes (below zero: they may receive more
    /// help than they have given so far).
    pub lowest_balance_minutes: i64,
    /// The highest a member's balance may go, in minutes.
    pub highest_balance_minutes: i64,
    /// Show members their balance (their entries are always shown).
    pub show_balances: bool,
    /// Time recorded and not answered posts by itself after this many days (unless the
    /// other person said it is not right).
    pub post_after_days: i64,
    /// Which safety checks a helper needs for help in someone's home or personal care.
    pub safety: SafetySettings,
    /// `peer`: the one who posted says yes to an answer themselves. `brokered`: a mutual
    /// aid coordinator says yes for them, having talked with both.
    pub mode: village_domain::mutual_aid::matches::Mode,
    /// How much memory (in MB) each process may use to keep pages of the board while
    /// nothing on them has changed (a page of 20 posts is a few kilobytes, at most about
    /// 200). 0 keeps none: every visit reads the database (`bench/help` measures both).
    pub board_kept_mb: u64,
}

/// Which safety checks (`met_in_person`, `references_taken`, `dbs_basic_seen`,
/// `dbs_enhanced_seen`) a steward must have recorded before someone may offer or take on
/// help of each sort, under `[mutual_aid.safety]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct SafetySettings {
    /// For help in someone's home.
    pub in_home: Vec<village_domain::mutual_aid::safety::Mark>,
    /// For personal care, like washing or dressing.
    pub personal_care: Vec<village_domain::mutual_aid::safety::Mark>,
    /// Categories of help that are always in someone's home on this hub, e.g. `["repairs"]`.
    pub in_home_categories: Vec<village_domain::mutual_aid::post::Category>,
    /// Categories of help that are always personal care.
    pub personal_care_categories: Vec<village_domain::mutual_aid::post::Category>,
}

impl Default for SafetySettings {
    fn default() -> Self {
        use village_domain::mutual_aid::safety::Mark;
        SafetySettings {
            in_home: vec![Mark::MetInPerson, Mark::ReferencesTaken],
            personal_care: vec![
                Mark::MetInPerson,
                Mark::ReferencesTaken,
                Mark::DbsEnhancedSeen,
            ],
            in_home_categories: Vec::new(),
            personal_care_categories: Vec::new(),
        }
    }
}

impl SafetySettings {
    /// As the rules read them.
    pub fn needs(&self) -> village_domain::mutual_aid::safety::Needs {
        village_domain::mutual_aid::safety::Needs {
            in_home: self.in_home.clone(),
            personal_care: self.personal_care.clone(),
            in_home_categories: self.in_home_categories.clone(),
            personal_care_categories: self.personal_care_categories.clone(),
        }
    }
}

impl Default for MutualAidSettings {
    fn default() -> Self {
        MutualAidSettings {
            areas: Vec::new(),
            credits: true,
            lowest_balance_minutes: -10 * 60,
            highest_balance_minutes: 100 * 60,
            show_balances: true,
            post_after_days: 14,
            safety: SafetySettings::default(),
            mode: village_domain::mutual_aid::matches::Mode::Peer,
            board_kept_mb: 16,
        }
    }
}

/// One of the hub's areas.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HelpArea {
    pub name: String,
    /// The postcode district it is in, or a full postcode near its middle.
    pub postcode: String,
}

/// The directory's search index (kept in memory beside the database).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchSettings {
    /// Memory the index may use while taking in changes, in megabytes (at least 15; more
    /// makes the first build of a very large directory quicker).
    pub index_memory_mb: usize,
    /// How many searches' counts are kept (a few hundred bytes each), so that the next page
    /// of one is not counted again. 0 keeps none.
    pub counts_kept: u64,
    /// How many common words' fits and orders of fit are kept, for searches of one word near
    /// a place or in a map's box (each up to 4 bytes for every offer in the directory, and 8
    /// for every offer holding the word). 0 keeps none.
    pub common_words_kept: usize,
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings {
            index_memory_mb: 15,
            counts_kept: 4_096,
            common_words_kept: 16,
        }
    }
}

/// The map beside directory results (drawn in the browser; the list works without it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MapSettings {
    /// Show a map of the results at all.
    pub enabled: bool,
    /// Where map pictures (tiles) come from, as `https://host/{z}/{x}/{y}.png` (`{s}` for a
    /// server letter is allowed). Empty: the map shows the places with no pictures behind
    /// them, and nothing is fetched from elsewhere.
    pub tiles: String,
    /// Who made the map pictures, shown on the map (tile servers require it).
    pub attribution: String,
    /// Where the attribution links to.
    pub attribution_url: String,
}

impl Default for MapSettings {
    fn default() -> Self {
        MapSettings {
            enabled: true,
            tiles: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            attribution: "© OpenStreetMap contributors".into(),
            attribution_url: "https://www.openstreetmap.org/copyright".into(),
        }
    }
}

impl MapSettings {
    /// The tile server's origin for the page's Content-Security-Policy (`{s}` as `*`), or
    /// `None` with no tiles. An address that is not `https://` or `http://` followed by a
    /// host is refused with words naming the setting.
    pub fn tiles_origin(&self) -> Result<Option<String>, String> {
        let tiles = self.tiles.trim();
        if tiles.is_empty() {
            return Ok(None);
        }
        let bad = || {
            format!(
                "map.tiles: {tiles:?} is not a web address like \
                 https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png"
            )
        };
        let (scheme, rest) = tiles.split_once("://").ok_or_else(bad)?;
        if scheme != "https" && scheme != "http" {
            return Err(bad());
        }
        let host = rest
            .split('/')
            .next()
            .unwrap_or_default()
            .replace("{s}", "*");
        let fine = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*'))
            && rest.contains("{z}")
            && rest.contains("{x}")
            && rest.contains("{y}");
        if !fine {
            return Err(bad());
        }
        Ok(Some(format!("{scheme}://{host}")))
    }
}

/// What the safeguarding page tells anyone worried about someone, signed in or not.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct SafeguardingSettings {
    /// The local safeguarding adults board or the council's adult social care front door,
    /// e.g. "Meadowshire Adult Social Care". Empty: the page does not name one.
    pub adults_board_name: String,
    /// Its phone number for reporting a concern about an adult, e.g. "0300 123 4567".
    pub adults_board_phone: String,
    /// How to reach the people who run this hub, e.g. "hello@meadowfield.example or 0115
    /// 496 0000". Empty: the page does not give one.
    pub hub_contact: String,
}

/// How "Ideas for you" is served.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SuggestionSettings {
    /// Keep each person's suggestions until something they depend on changes (their profile,
    /// their dismissed offers, the weights, any offer). `false` works them out on every
    /// visit: only for measuring that cost (`bench/connections`).
    pub keep: bool,
    /// How many of the directory's places matching keeps in memory (each about 230 bytes),
    /// so working out suggestions, or searching the directory near a place, in a dense city
    /// does not read the same places from the database each time; they are read again after
    /// any change to an offer. 0 keeps none.
    pub places_kept: usize,
}

impl Default for SuggestionSettings {
    fn default() -> Self {
        SuggestionSettings {
            keep: true,
            places_kept: 200_000,
        }
    }
}

/// How the hub names itself in 360Giving data about its community micro-grants.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GivingSettings {
    /// The hub's 360Giving prefix (registered with 360Giving, e.g. `360G-meadowfield`); grant
    /// ids start with it. Empty: `360G-village`.
    pub prefix: String,
    /// The funding organisation's identifier, e.g. `GB-CHC-1123456`. Empty: the prefix.
    pub funder_id: String,
    /// The funding organisation's name. Empty: the hub's name.
    pub funder_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HubSettings {
    /// The hub's name, shown on every page.
    pub name: String,
    /// A sentence or two about the hub, shown on the home page.
    pub description: String,
    /// Who can join when the hub first starts: `open` or `invite_only`. Hub admins can
    /// change it later on the invitations page.
    pub sign_up: SignUpMode,
    /// How pages say distances: `miles` (the default) or `km`.
    pub distances: village_domain::directory::geo::DistanceUnit,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSettings {
    /// Failed sign-ins allowed from one network address in the window.
    pub sign_in_per_address: AttemptLimit,
    /// Failed sign-ins allowed to one account in the window.
    pub sign_in_per_account: AttemptLimit,
    /// Sign-up attempts allowed from one network address in the window.
    pub sign_up_per_address: AttemptLimit,
    /// Password reset requests allowed from one network address in the window.
    pub reset_per_address: AttemptLimit,
    /// Safeguarding concerns raised without signing in, from one network address in the
    /// window.
    pub concern_per_address: AttemptLimit,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSettings {
    /// Sign someone out after this many seconds without a visit.
    pub idle_timeout_secs: i64,
    /// Sign someone out this many seconds after they signed in, however active.
    pub absolute_timeout_secs: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    /// `outbox` writes each email as a file in `outbox_dir`; `smtp` sends through `smtp_url`.
    pub transport: MailTransport,
    /// Where `outbox` mail goes. The binary sets it to `<data dir>/outbox`.
    pub outbox_dir: String,
    /// e.g. `smtps://user:password@smtp.example.org:465` or `smtp://localhost:25`.
    pub smtp_url: String,
    /// The sender, e.g. `Meadowfield Village <hello@meadowfield.example>`.
    pub from: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailTransport {
    Outbox,
    Smtp,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            trust_forwarded_for: false,
            hub: HubSettings::default(),
            limits: LimitSettings::default(),
            sessions: SessionSettings::default(),
            mail: MailSettings::default(),
            matching: Default::default(),
            suggestions: SuggestionSettings::default(),
            giving: GivingSettings::default(),
            safeguarding: SafeguardingSettings::default(),
            map: MapSettings::default(),
            search: SearchSettings::default(),
            mutual_aid: MutualAidSettings::default(),
            stories: StoriesSettings::default(),
            gatherings: GatheringsSettings::default(),
        }
    }
}

impl Default for HubSettings {
    fn default() -> Self {
        Self {
            name: "Village".into(),
            description: "A place for the people, groups and neighbours round here to find each other, help each other and decide things together.".into(),
            sign_up: SignUpMode::Open,
            distances: Default::default(),
        }
    }
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            sign_in_per_address: AttemptLimit {
                max: 20,
                window_secs: 15 * 60,
            },
            sign_in_per_account: AttemptLimit {
                max: 5,
                window_secs: 15 * 60,
            },
            // High enough for a joining-up session at a library or community centre, where
            // many people share one network address.
            sign_up_per_address: AttemptLimit {
                max: 30,
                window_secs: 60 * 60,
            },
            reset_per_address: AttemptLimit {
                max: 5,
                window_secs: 60 * 60,
            },
            concern_per_address: AttemptLimit {
                max: 5,
                window_secs: 60 * 60,
            },
        }
    }
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            idle_timeout_secs: 7 * 24 * 60 * 60,
            absolute_timeout_secs: 30 * 24 * 60 * 60,
        }
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            transport: MailTransport::Outbox,
            outbox_dir: "village-data/outbox".into(),
            smtp_url: String::new(),
            from: "Village <no-reply@village.invalid>".into(),
        }
    }
}

impl Settings {
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// A full link to a path on this hub, for emails.
    /// Who funds micro-grants, as 360Giving data names them.
    pub fn funder(&self) -> village_domain::decisions::giving::Funder {
        let or = |v: &str, d: &str| {
            if v.trim().is_empty() {
                d.to_string()
            } else {
                v.trim().to_string()
            }
        };
        let prefix = or(&self.giving.prefix, "360G-village");
        village_domain::decisions::giving::Funder {
            id: or(&self.giving.funder_id, &prefix),
            name: or(&self.giving.funder_name, &self.hub.name),
            prefix,
        }
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url.trim_end_matches('/'), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_server_is_named_by_its_origin_and_a_wrong_one_names_the_setting() {
        let with = |tiles: &str| MapSettings {
            tiles: tiles.into(),
            ..MapSettings::default()
        };
        assert_eq!(
            MapSettings::default().tiles_origin(),
            Ok(Some("https://tile.openstreetmap.org".into()))
        );
        assert_eq!(
            with("https://{s}.tile.example.org/{z}/{x}/{y}.png").tiles_origin(),
            Ok(Some("https://*.tile.example.org".into()))
        );
        assert_eq!(with("").tiles_origin(), Ok(None));
        for bad in [
            "tile.openstreetmap.org/{z}/{x}/{y}.png",
            "ftp://tiles.example.org/{z}/{x}/{y}.png",
            "https://tiles.example.org/tile.png",
            "https://tiles.example.org; script-src *//{z}/{x}/{y}",
        ] {
            let e = with(bad).tiles_origin().unwrap_err();
            assert!(e.starts_with("map.tiles:"), "{bad}: {e}");
        }
    }
}
