//! One error model. Every problem the hub reports, in the API, on a page or from the command
//! line, has a stable snake_case code that clients can rely on, and each code answers with
//! exactly one HTTP status. A problem with one field of a form or request is a [`FieldError`]:
//! the field, the code and plain words saying what to do.

/// A stable machine code for a problem, with the one HTTP status it answers with.
///
/// ```
/// use village_domain::error::ErrorCode;
/// assert_eq!(ErrorCode::PasswordTooShort.as_str(), "password_too_short");
/// assert_eq!(ErrorCode::PasswordTooShort.status(), 422);
/// assert_eq!("not_found".parse::<ErrorCode>(), Ok(ErrorCode::NotFound));
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::EnumIter,
    strum::Display,
)]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    // ---- 400: The request could not be read
    BodyUnreadable,
    InvalidParameter,
    JsonMalformed,
    // ---- 401: Not signed in, or not who they said
    Unauthenticated,
    WrongCredentials,
    // ---- 403: Not allowed
    CsrfTokenInvalid,
    Forbidden,
    NeedsPersonsAgreement,
    NotYours,
    SafetyMarksNeeded,
    // ---- 404: Not there
    ActionUnknown,
    NotFound,
    // ---- 409: Not possible now: the state of things does not allow it
    AlreadyDecided,
    AlreadyInCircle,
    AlreadyInUse,
    AlreadyIntroduced,
    BalanceLimit,
    BidsNotChecked,
    BlockNotAnswered,
    CannotChangeOwnAdminRole,
    ChairNeeded,
    ChangedSince,
    ConcernClosed,
    LastFacilitator,
    ListingExists,
    LivedExperienceVoicesMissing,
    NoAwards,
    NoEligibleBids,
    NotAMember,
    NotAllowedNow,
    NotFunded,
    OwnPost,
    OnlyConnectorsOffer,
    PaperAlreadyEntered,
    PaperBallotsUnresolved,
    PaperNotInDispute,
    PhaseOutOfOrder,
    PostClosed,
    ProposalClosed,
    ProposalOpen,
    ResultsNotReady,
    RoomTaken,
    SupporterNeedsMember,
    VotingClosed,
    WrongPhase,
    // ---- 415: Not JSON
    JsonRequired,
    // ---- 422: A field or the body is not right (most name the field)
    AboutMissing,
    AccessCodeUnknown,
    AccountNotFound,
    AuditActionUnknown,
    BeforeOpening,
    BidNotEligible,
    BirthYearInvalid,
    CategoryUnknown,
    ChangeInvalid,
    ContactTooLong,
    ContactTooSoon,
    CurrentPasswordWrong,
    DateInFuture,
    DateInvalid,
    DayInvalid,
    DecisionFinished,
    DisplayNameInvalid,
    DisplayNameMissing,
    DisplayNameTooLong,
    DistanceInvalid,
    EmailInvalid,
    EmailMissing,
    EmailTaken,
    FieldNotInSection,
    HomeAreaNeeded,
    InMyWordsTooLong,
    Invalid,
    InvalidAmount,
    InvalidCharityNumber,
    InvalidCount,
    InvalidDays,
    InvalidKind,
    InvalidMethod,
    InvalidPaperReference,
    InvalidPhase,
    InvalidShare,
    InvalidStance,
    InvalidStatus,
    InviteRequired,
    InviteUsed,
    JsonInvalid,
    LastHubAdmin,
    MarkInvalid,
    MatchUnknown,
    MemberIsYou,
    MemberUnknown,
    Missing,
    MomentInvalid,
    NameMissing,
    NameTooLong,
    NoSuchMember,
    NotABlock,
    NotAConnector,
    NotATime,
    NothingAnswered,
    OfferUnknown,
    GroupUnknown,
    OverTheLimit,
    OverThePot,
    PasswordMissing,
    PasswordTooCommon,
    PasswordTooLong,
    PasswordTooShort,
    PasswordWrong,
    PersonUnknown,
    PostcodeInvalid,
    ReasonMissing,
    ReasonNeeded,
    RecordInvalid,
    ReplyKindInvalid,
    RingUnknown,
    RoleUnknown,
    SameSteward,
    ScoreOutOfRange,
    SectionUnknown,
    ShortlistEmpty,
    SignupModeUnknown,
    TermUnknown,
    TextInvalid,
    TextMissing,
    TimeInvalid,
    TimeOrder,
    TooLong,
    TooMany,
    Unknown,
    UnknownBid,
    UnknownSpace,
    UrgencyUnknown,
    VisibilityUnknown,
    WhyMissing,
    // ---- 429: Too many tries
    TooManyAttempts,
    // ---- 503: Something went wrong on our side
    Unavailable,
}

impl ErrorCode {
    /// The code as clients see it, e.g. `password_too_short`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The HTTP status this code always answers with.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            BodyUnreadable | InvalidParameter | JsonMalformed => 400,
            Unauthenticated | WrongCredentials => 401,
            CsrfTokenInvalid | Forbidden | NeedsPersonsAgreement | NotYours | SafetyMarksNeeded => {
                403
            }
            ActionUnknown | NotFound => 404,
            AlreadyDecided
            | AlreadyInCircle
            | AlreadyInUse
            | AlreadyIntroduced
            | BalanceLimit
            | BidsNotChecked
            | BlockNotAnswered
            | CannotChangeOwnAdminRole
            | ChairNeeded
            | ChangedSince
            | ConcernClosed
            | LastFacilitator
            | ListingExists
            | LivedExperienceVoicesMissing
            | NoAwards
            | NoEligibleBids
            | NotAMember
            | NotAllowedNow
            | NotFunded
            | OwnPost
            | OnlyConnectorsOffer
            | PaperAlreadyEntered
            | PaperBallotsUnresolved
            | PaperNotInDispute
            | PhaseOutOfOrder
            | PostClosed
            | ProposalClosed
            | ProposalOpen
            | ResultsNotReady
            | RoomTaken
            | SupporterNeedsMember
            | VotingClosed
            | WrongPhase => 409,
            JsonRequired => 415,
            AboutMissing
            | AccessCodeUnknown
            | AccountNotFound
            | AuditActionUnknown
            | BeforeOpening
            | BidNotEligible
            | BirthYearInvalid
            | CategoryUnknown
            | ChangeInvalid
            | ContactTooLong
            | ContactTooSoon
            | CurrentPasswordWrong
            | DateInFuture
            | DateInvalid
            | DayInvalid
            | DecisionFinished
            | DisplayNameInvalid
            | DisplayNameMissing
            | DisplayNameTooLong
            | DistanceInvalid
            | EmailInvalid
            | EmailMissing
            | EmailTaken
            | FieldNotInSection
            | HomeAreaNeeded
            | InMyWordsTooLong
            | Invalid
            | InvalidAmount
            | InvalidCharityNumber
            | InvalidCount
            | InvalidDays
            | InvalidKind
            | InvalidMethod
            | InvalidPaperReference
            | InvalidPhase
            | InvalidShare
            | InvalidStance
            | InvalidStatus
            | InviteRequired
            | InviteUsed
            | JsonInvalid
            | LastHubAdmin
            | MarkInvalid
            | MemberIsYou
            | MemberUnknown
            | Missing
            | MomentInvalid
            | MatchUnknown
            | NameMissing
            | NameTooLong
            | NoSuchMember
            | NotABlock
            | NotAConnector
            | NotATime
            | NothingAnswered
            | OfferUnknown
            | GroupUnknown
            | OverTheLimit
            | OverThePot
            | PasswordMissing
            | PasswordTooCommon
            | PasswordTooLong
            | PasswordTooShort
            | PasswordWrong
            | PersonUnknown
            | PostcodeInvalid
            | ReasonMissing
            | ReasonNeeded
            | RecordInvalid
            | ReplyKindInvalid
            | RingUnknown
            | RoleUnknown
            | SameSteward
            | ScoreOutOfRange
            | SectionUnknown
            | ShortlistEmpty
            | SignupModeUnknown
            | TermUnknown
            | TextInvalid
            | TextMissing
            | TimeInvalid
            | TimeOrder
            | TooLong
            | TooMany
            | Unknown
            | UnknownBid
            | UnknownSpace
            | UrgencyUnknown
            | VisibilityUnknown
            | WhyMissing => 422,
            TooManyAttempts => 429,
            Unavailable => 503,
        }
    }

    /// Every code, for documentation and for the test that each one is used.
    pub fn all() -> impl Iterator<Item = ErrorCode> {
        <ErrorCode as strum::IntoEnumIterator>::iter()
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A problem with one field of a form or request, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    /// The form field or JSON property the problem is about.
    pub field: &'static str,
    /// A stable machine code, e.g. `password_too_short`.
    pub code: ErrorCode,
    /// What is wrong and what to do, in plain English.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            field,
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::Path;

    fn repo() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
    }

    /// Every `.rs` file under `dir`.
    fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_code_reads_back_and_is_an_error_status() {
        for code in ErrorCode::all() {
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(code));
            assert!((400..600).contains(&code.status()), "{code}");
        }
    }

    /// A code nobody answers with is a promise to clients the hub does not keep.
    #[test]
    fn every_code_is_used() {
        let mut files = Vec::new();
        sources(&repo().join("crates"), &mut files);
        let text: String = files
            .iter()
            .filter(|p| !p.ends_with("village-domain/src/error.rs"))
            .filter(|p| !p.components().any(|c| c.as_os_str() == "tests"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        let unused: Vec<ErrorCode> = ErrorCode::all()
            .filter(|code| !text.contains(&format!("ErrorCode::{code:?}")))
            .collect();
        assert!(unused.is_empty(), "codes never used: {unused:?}");
    }

    /// docs/API.md lists every code once, in the row of the status it answers with.
    #[test]
    fn every_code_is_documented_with_its_status() {
        let doc = std::fs::read_to_string(repo().join("docs/API.md")).unwrap_or_default();
        let mut documented: BTreeMap<String, Vec<u16>> = BTreeMap::new();
        for row in doc.lines().filter(|l| l.starts_with("| ")) {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let Some(status) = cells.get(1).and_then(|c| c.parse::<u16>().ok()) else {
                continue;
            };
            let codes = cells.get(2).copied().unwrap_or_default();
            for code in codes.split(',').map(|c| c.trim().trim_matches('`')) {
                documented.entry(code.to_string()).or_default().push(status);
            }
        }
        for code in ErrorCode::all() {
            assert_eq!(
                documented.get(code.as_str()),
                Some(&vec![code.status()]),
                "docs/API.md's errors table lists `{code}` once, under {}",
                code.status()
            );
        }
        for code in documented.keys() {
            assert!(
                code.parse::<ErrorCode>().is_ok(),
                "docs/API.md lists `{code}`, which is not a code"
            );
        }
    }
}
