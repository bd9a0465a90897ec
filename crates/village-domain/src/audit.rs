//! The audit log: an append-only record of sign-ins, account and role changes, and every time
//! someone reads another person's personal data.

use serde::Serialize;

/// What happened. The codes are stable: they are stored, filtered on and sent in the API.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    utoipa::ToSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AuditAction {
    SignedUp,
    SignedIn,
    SignInFailed,
    SignInLimited,
    SignedOut,
    SignedOutEverywhere,
    PasswordChanged,
    PasswordResetRequested,
    PasswordReset,
    EmailChanged,
    DisplayNameChanged,
    PhoneChanged,
    LivedExperienceChanged,
    RoleChanged,
    ApiTokenCreated,
    ApiTokenRevoked,
    InviteCreated,
    SignUpModeChanged,
    AccountDeleted,
    ListingSuggested,
    ListingApproved,
    ListingRejected,
    ListingChecked,
    ListingClaimed,
    ClaimDecided,
    ListingEdited,
    /// Someone read another person's personal data.
    PersonalDataViewed,
    ProfileEditedBySupporter,
    CircleInvited,
    CircleAnswered,
    ConnectorLinked,
    DataExported,
    AccountForgotten,
    ConversationRecorded,
    ConcernRaised,
    ConcernViewed,
    ConcernActioned,
    SafeguardingLeadChanged,
    IntroductionChanged,
    IntroductionViewed,
    ProposalClosed,
    BidChecked,
    RoundPhaseChanged,
    PaperBallotEntered,
    HelpMatchChanged,
    HelpContactSeen,
    SafetyMarkChanged,
    SafetyMarksSeen,
    HelpActedFor,
    HelpMatchSeen,
    StoryModerated,
    StorySeen,
}

impl AuditAction {
    pub const ALL: &'static [AuditAction] = <AuditAction as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Plain words for the audit pages.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::SignedUp => "Joined the hub",
            AuditAction::SignedIn => "Signed in",
            AuditAction::SignInFailed => "Sign-in failed",
            AuditAction::SignInLimited => "Sign-in paused after too many tries",
            AuditAction::SignedOut => "Signed out",
            AuditAction::SignedOutEverywhere => "Signed out everywhere",
            AuditAction::PasswordChanged => "Password changed",
            AuditAction::PasswordResetRequested => "Password reset asked for",
            AuditAction::PasswordReset => "Password reset",
            AuditAction::EmailChanged => "Email address changed",
            AuditAction::PhoneChanged => "Phone number changed",
            AuditAction::DisplayNameChanged => "Name changed",
            AuditAction::LivedExperienceChanged => "Lived experience changed",
            AuditAction::RoleChanged => "Role changed",
            AuditAction::ApiTokenCreated => "API token created",
            AuditAction::ApiTokenRevoked => "API token removed",
            AuditAction::InviteCreated => "Invite link created",
            AuditAction::SignUpModeChanged => "Who can join changed",
            AuditAction::AccountDeleted => "Account deleted",
            AuditAction::ListingSuggested => "Suggested an offer or change",
            AuditAction::ListingApproved => "Suggestion approved",
            AuditAction::ListingRejected => "Suggestion not approved",
            AuditAction::ListingChecked => "Offer checked and still right",
            AuditAction::ListingClaimed => "Asked to be a group's organiser",
            AuditAction::ClaimDecided => "Organiser request decided",
            AuditAction::ListingEdited => "Offer edited by its organiser",
            AuditAction::PersonalDataViewed => "Looked at personal information",
            AuditAction::ProfileEditedBySupporter => "Profile changed by a supporter",
            AuditAction::CircleInvited => "Invited into a circle of support",
            AuditAction::CircleAnswered => "Answered a circle of support invitation",
            AuditAction::ConnectorLinked => "Connector chosen, offered or accepted",
            AuditAction::DataExported => "Downloaded all their information",
            AuditAction::AccountForgotten => "Forgotten at their own request",
            AuditAction::ConversationRecorded => "Conversation note written or revised",
            AuditAction::ConcernRaised => "Safeguarding concern raised",
            AuditAction::ConcernViewed => "Safeguarding concern looked at",
            AuditAction::ConcernActioned => "Safeguarding action recorded",
            AuditAction::SafeguardingLeadChanged => "Safeguarding lead role changed",
            AuditAction::IntroductionChanged => "Introduction asked for, sent or answered",
            AuditAction::IntroductionViewed => "Introduction looked at",
            AuditAction::ProposalClosed => "Proposal decided",
            AuditAction::BidChecked => "Bid checked",
            AuditAction::RoundPhaseChanged => "Funding round moved on",
            AuditAction::PaperBallotEntered => "Paper ballot typed in",
            AuditAction::HelpMatchChanged => "Help asked for, offered or answered",
            AuditAction::HelpContactSeen => "Contact details seen after both said yes to help",
            AuditAction::SafetyMarkChanged => "Safety check recorded or taken away",
            AuditAction::SafetyMarksSeen => "Safety checks looked at",
            AuditAction::HelpActedFor => {
                "A coordinator posted, answered or took a step for someone"
            }
            AuditAction::HelpMatchSeen => "A coordinator looked at a help match",
            AuditAction::StoryModerated => "A steward decided about a story",
            AuditAction::StorySeen => "A steward read a story before it was published",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

/// One thing to write to the audit log. `subject` is the person the entry is about, so that
/// they can see it; `actor` is who did it (absent for a failed sign-in by an unknown address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub at: crate::Timestamp,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    pub action: AuditAction,
    /// What was involved, in short words: never passwords or tokens.
    pub detail: String,
    pub ip: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_unique_code_that_parses_back() {
        let mut seen = std::collections::HashSet::new();
        for &action in AuditAction::ALL {
            assert!(seen.insert(action.as_str()), "{action:?}");
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            // The API sends the serde spelling; it must be the stored code.
            let json = serde_json::to_string(&action).ok();
            assert_eq!(json, Some(format!("\"{}\"", action.as_str())));
        }
    }
}
