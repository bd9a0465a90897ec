//! Accounts: who someone is on this hub, how they prove it, and what role they hold.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub use crate::error::{ErrorCode, FieldError};

/// An email address, trimmed and lower-cased so that one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    /// Check an address typed by a person.
    ///
    /// ```
    /// use village_domain::accounts::Email;
    /// assert_eq!(Email::parse(" Ada@Example.org ").map(|e| e.to_string()), Ok("ada@example.org".to_string()));
    /// assert!(Email::parse("not an address").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value = input.trim().to_lowercase();
        let bad = |message: &str| FieldError::new("email", ErrorCode::EmailInvalid, message);
        if value.is_empty() {
            return Err(FieldError::new(
                "email",
                ErrorCode::EmailMissing,
                "Enter your email address",
            ));
        }
        if value.chars().count() > 254 {
            return Err(bad("Email address must be 254 characters or fewer"));
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err(bad(
                "Enter an email address in the right form, like name@example.org",
            ));
        };
        let domain_ok = !domain.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c == '@' || c.is_control() || c == '<' || c == '>');
        if !domain_ok || !local_ok {
            return Err(bad(
                "Enter an email address in the right form, like name@example.org",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name a member chooses to be called by on this hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let value: String = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return Err(FieldError::new(
                "display_name",
                ErrorCode::DisplayNameMissing,
                "Enter the name you would like to be called",
            ));
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(
                "display_name",
                ErrorCode::DisplayNameTooLong,
                format!("Name must be {} characters or fewer", Self::MAX_CHARS),
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(FieldError::new(
                "display_name",
                ErrorCode::DisplayNameInvalid,
                "Name must not contain control characters",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password that meets the hub's rules. It is never stored: only its argon2id hash is.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 1000;

    /// Check a new password: at least 10 characters and not a common or easily guessed one.
    /// `personal` holds words the password must not lean on, such as the email and name.
    ///
    /// ```
    /// use village_domain::accounts::NewPassword;
    /// assert!(NewPassword::parse("password123", &[]).is_err());
    /// assert!(NewPassword::parse("short", &[]).is_err());
    /// assert!(NewPassword::parse("kettle-lantern-orchard-42", &[]).is_ok());
    /// ```
    pub fn parse(input: &str, personal: &[&str]) -> Result<Self, FieldError> {
        let count = input.chars().count();
        if count == 0 {
            return Err(FieldError::new(
                "password",
                ErrorCode::PasswordMissing,
                "Enter a password",
            ));
        }
        if count < Self::MIN_CHARS {
            return Err(FieldError::new(
                "password",
                ErrorCode::PasswordTooShort,
                format!(
                    "Password must be at least {} characters. A few words strung together work well.",
                    Self::MIN_CHARS
                ),
            ));
        }
        if count > Self::MAX_CHARS {
            return Err(FieldError::new(
                "password",
                ErrorCode::PasswordTooLong,
                format!("Password must be {} characters or fewer", Self::MAX_CHARS),
            ));
        }
        // zxcvbn knows the common-password lists and their usual variations ("Passw0rd!").
        // Score 0 or 1 means fewer than a million guesses would find it.
        let guessable = zxcvbn::zxcvbn(input, personal).score() < zxcvbn::Score::Two;
        if guessable {
            return Err(FieldError::new(
                "password",
                ErrorCode::PasswordTooCommon,
                "This password is too easy to guess: it is a common password, or close to one. Try a few unrelated words.",
            ));
        }
        Ok(Self(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What someone may do on this hub. Spelled exactly so in the CLI, the API and the database.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    Member,
    Connector,
    Steward,
    CouncilOfficer,
    HubAdmin,
    Coordinator,
}

stored_code!(Role, "role");

impl Role {
    pub const ALL: &'static [Role] = <Role as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The role for a stored code, if it is one.
    pub fn parse(code: &str) -> Option<Self> {
        code.parse().ok()
    }

    /// The role's name on pages.
    pub fn label(self) -> &'static str {
        match self {
            Role::Member => "Member",
            Role::Connector => "Connector",
            Role::Steward => "Steward",
            Role::CouncilOfficer => "Council officer",
            Role::HubAdmin => "Hub admin",
            Role::Coordinator => "Mutual aid coordinator",
        }
    }

    /// What the role is for, in plain words.
    pub fn description(self) -> &'static str {
        match self {
            Role::Member => "Anyone in the community. Keeps their own profile, finds groups, asks for and offers help.",
            Role::Connector => "A link worker, local area coordinator or peer connector who walks alongside people who choose them.",
            Role::Steward => "A trusted community moderator who reviews offers and stories.",
            Role::CouncilOfficer => "Works for the council: evidence, co-produced decisions and publishing the directory.",
            Role::HubAdmin => "Runs this hub: people's roles, invitations and the audit log.",
            Role::Coordinator => "Puts neighbours who ask for help in touch with neighbours who offer it, and posts and answers for people without email or internet.",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                FieldError::new(
                    "role",
                    ErrorCode::RoleUnknown,
                    "Choose one of: member, connector, steward, council_officer, hub_admin",
                )
            })
    }
}

/// Who may create an account on this hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignUpMode {
    /// Anyone may sign up.
    Open,
    /// Only people with an invite link from a hub admin may sign up.
    InviteOnly,
}

impl SignUpMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SignUpMode::Open => "open",
            SignUpMode::InviteOnly => "invite_only",
        }
    }
}

impl FromStr for SignUpMode {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "open" => Ok(SignUpMode::Open),
            "invite_only" => Ok(SignUpMode::InviteOnly),
            _ => Err(FieldError::new(
                "signup_mode",
                ErrorCode::SignupModeUnknown,
                "Choose open or invite_only",
            )),
        }
    }
}

/// The ways of having lived experience a member can declare.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
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
pub enum LivedExperienceKind {
    /// Draws on care and support.
    DrawsOnSupport,
    /// An unpaid carer for someone.
    UnpaidCarer,
    /// Other lived experience, in the member's own words.
    Other,
}

impl LivedExperienceKind {
    pub const ALL: &'static [LivedExperienceKind] =
        <LivedExperienceKind as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            LivedExperienceKind::DrawsOnSupport => "I draw on care and support",
            LivedExperienceKind::UnpaidCarer => "I am an unpaid carer",
            LivedExperienceKind::Other => "Other lived experience",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        s.trim().parse().ok()
    }
}

/// A member's own declaration of lived experience. Private to them; later features use it
/// only in aggregate (for example, how many voices in a decision have lived experience).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct LivedExperience {
    pub declared: bool,
    pub kinds: Vec<LivedExperienceKind>,
    pub in_my_words: Option<String>,
}

impl LivedExperience {
    pub const MAX_WORDS_CHARS: usize = 2000;

    /// Build a declaration. Withdrawing it (`declared = false`) clears the kinds and words, so
    /// nothing lingers once someone changes their mind.
    pub fn new(
        declared: bool,
        kinds: Vec<LivedExperienceKind>,
        in_my_words: Option<&str>,
    ) -> Result<Self, FieldError> {
        if !declared {
            return Ok(Self::default());
        }
        let words = in_my_words
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string);
        if let Some(w) = &words {
            if w.chars().count() > Self::MAX_WORDS_CHARS {
                return Err(FieldError::new(
                    "in_my_words",
                    ErrorCode::InMyWordsTooLong,
                    format!(
                        "Your words must be {} characters or fewer",
                        Self::MAX_WORDS_CHARS
                    ),
                ));
            }
        }
        let mut kinds = kinds;
        kinds.sort_by_key(|k| k.as_str());
        kinds.dedup();
        Ok(Self {
            declared,
            kinds,
            in_my_words: words,
        })
    }

    /// The kinds as stored: a comma-separated list of codes.
    pub fn kinds_code(&self) -> String {
        self.kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn kinds_from_code(code: &str) -> Vec<LivedExperienceKind> {
        code.split(',')
            .filter_map(LivedExperienceKind::parse)
            .collect()
    }
}

/// Limits on repeated attempts, counted over a sliding window. Documented as settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptLimit {
    /// How many attempts are allowed in the window.
    pub max: u32,
    /// The window, in seconds. It is also the longest anyone waits once limited.
    pub window_secs: i64,
}

impl AttemptLimit {
    /// Whether one more attempt is allowed, given how many happened in the window.
    pub fn allows(self, recent_attempts: u64) -> bool {
        recent_attempts < u64::from(self.max)
    }

    /// The earliest time still inside the window.
    pub fn window_start(self, now: crate::Timestamp) -> crate::Timestamp {
        now - self.window_secs
    }

    /// Plain words for how long someone should wait, e.g. "15 minutes".
    pub fn wait_words(self) -> String {
        let minutes = (self.window_secs + 59) / 60;
        if minutes <= 1 {
            "a minute".to_string()
        } else if minutes < 120 {
            format!("{minutes} minutes")
        } else {
            format!("{} hours", minutes / 60)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Sam@Meadowfield.Example ").map(|e| e.to_string()),
            Ok("sam@meadowfield.example".to_string())
        );
        for bad in [
            "",
            "sam",
            "sam@",
            "@x.org",
            "sam@localhost",
            "sa m@x.org",
            "a@b..org",
        ] {
            let err = Email::parse(bad).err();
            assert_eq!(err.map(|e| e.field), Some("email"), "{bad:?}");
        }
    }

    #[test]
    fn passwords_follow_the_rules() {
        let short = NewPassword::parse("abc", &[])
            .err()
            .map(|e| e.code.as_str());
        assert_eq!(short, Some("password_too_short"));
        for common in ["password1234", "qwertyuiop", "1234567890", "iloveyou123"] {
            let code = NewPassword::parse(common, &[])
                .err()
                .map(|e| e.code.as_str());
            assert_eq!(code, Some("password_too_common"), "{common}");
        }
        let personal = NewPassword::parse("ada.lovelace", &["ada.lovelace"])
            .err()
            .map(|e| e.code.as_str());
        assert_eq!(personal, Some("password_too_common"));
        assert!(NewPassword::parse("marigold tuesday bicycle", &[]).is_ok());
    }

    #[test]
    fn roles_round_trip_their_spelling() {
        for &role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
    }

    #[test]
    fn withdrawing_lived_experience_clears_it() {
        let le = LivedExperience::new(
            false,
            vec![LivedExperienceKind::UnpaidCarer],
            Some("I care for my dad"),
        );
        assert_eq!(le, Ok(LivedExperience::default()));
        let le = LivedExperience::new(
            true,
            vec![
                LivedExperienceKind::UnpaidCarer,
                LivedExperienceKind::DrawsOnSupport,
                LivedExperienceKind::UnpaidCarer,
            ],
            Some("  I care for my dad  "),
        );
        let le = le.ok();
        assert_eq!(
            le.as_ref().map(|l| l.kinds_code()),
            Some("draws_on_support,unpaid_carer".to_string())
        );
        assert_eq!(
            le.and_then(|l| l.in_my_words),
            Some("I care for my dad".to_string())
        );
    }

    #[test]
    fn attempt_limits_allow_up_to_the_maximum() {
        let limit = AttemptLimit {
            max: 3,
            window_secs: 900,
        };
        assert!(limit.allows(2));
        assert!(!limit.allows(3));
        assert_eq!(limit.window_start(1000), 100);
        assert_eq!(limit.wait_words(), "15 minutes");
    }

    proptest! {
        #[test]
        fn display_names_never_keep_extra_spaces(name in "[a-zA-Z ]{1,60}") {
            if let Ok(n) = DisplayName::parse(&name) {
                prop_assert!(!n.as_str().contains("  "));
                prop_assert_eq!(n.as_str().trim(), n.as_str());
            }
        }

        #[test]
        fn email_parse_never_panics(s in ".{0,300}") {
            let _ = Email::parse(&s);
        }
    }
}
