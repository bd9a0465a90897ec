//! The codes each enum is stored under, in the database, the API and the CLI. A hub's rows
//! hold these words, so changing one loses data: these tests fail first.

#[test]
fn role_codes_stay_the_same() {
    use crate::accounts::Role;
    let codes: Vec<&str> = Role::ALL.iter().map(|x| x.as_str()).collect();
    assert_eq!(
        codes,
        [
            "member",
            "connector",
            "steward",
            "council_officer",
            "hub_admin",
            "coordinator"
        ]
    );
    for x in Role::ALL.iter() {
        assert_eq!(x.as_str().parse::<Role>().ok(), Some(*x));
    }
    assert_eq!("not_a_code".parse::<Role>().ok(), None);
    assert_eq!(" steward ".parse::<Role>().ok(), Some(Role::Steward));
}

#[test]
fn sign_up_mode_codes_stay_the_same() {
    use crate::accounts::SignUpMode;
    let codes: Vec<&str> = [SignUpMode::Open, SignUpMode::InviteOnly]
        .iter()
        .map(|x| x.as_str())
        .collect();
    assert_eq!(codes, ["open", "invite_only"]);
    for x in [SignUpMode::Open, SignUpMode::InviteOnly].iter() {
        assert_eq!(x.as_str().parse::<SignUpMode>().ok(), Some(*x));
    }
    assert_eq!("not_a_code".parse::<SignUpMode>().ok(), None);
}

#[test]
fn lived_experience_kind_codes_stay_the_same() {
    use crate::accounts::LivedExperienceKind;
    let codes: Vec<&str> = LivedExperienceKind::ALL
        .iter()
        .map(|x| x.as_str())
        .collect();
    assert_eq!(codes, ["draws_on_support", "unpaid_carer", "other"]);
    for x in LivedExperienceKind::ALL.iter() {
        assert_eq!(LivedExperienceKind::parse(x.as_str()), Some(*x));
    }
    assert_eq!(LivedExperienceKind::parse("not_a_code"), None);
    assert_eq!(
        LivedExperienceKind::parse(" other "),
        Some(LivedExperienceKind::Other)
    );
}

#[test]
fn audit_action_codes_stay_the_same() {
    use crate::audit::AuditAction;
    let codes: Vec<&str> = AuditAction::ALL.iter().map(|x| x.as_str()).collect();
    assert_eq!(
        codes,
        [
            "signed_up",
            "signed_in",
            "sign_in_failed",
            "sign_in_limited",
            "signed_out",
            "signed_out_everywhere",
            "password_changed",
            "password_reset_requested",
            "password_reset",
            "email_changed",
            "display_name_changed",
            "phone_changed",
            "lived_experience_changed",
            "role_changed",
            "api_token_created",
            "api_token_revoked",
            "invite_created",
            "sign_up_mode_changed",
            "account_deleted",
            "listing_suggested",
            "listing_approved",
            "listing_rejected",
            "listing_checked",
            "listing_claimed",
            "claim_decided",
            "listing_edited",
            "personal_data_viewed",
            "profile_edited_by_supporter",
            "circle_invited",
            "circle_answered",
            "connector_linked",
            "data_exported",
            "account_forgotten",
            "conversation_recorded",
            "concern_raised",
            "concern_viewed",
            "concern_actioned",
            "safeguarding_lead_changed",
            "introduction_changed",
            "introduction_viewed",
            "proposal_closed",
            "bid_checked",
            "round_phase_changed",
            "paper_ballot_entered",
            "help_match_changed",
            "help_contact_seen",
            "safety_mark_changed",
            "safety_marks_seen",
            "help_acted_for",
            "help_match_seen",
            "story_moderated",
            "story_seen"
        ]
    );
    for x in AuditAction::ALL.iter() {
        assert_eq!(AuditAction::parse(x.as_str()), Some(*x));
    }
    assert_eq!(AuditAction::parse("not_a_code"), None);
}

#[test]
fn moment_codes_stay_the_same() {
    use crate::connections::checkin::Moment;
    let codes: Vec<&str> = Moment::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(codes, ["start", "six_weeks", "three_months"]);
    for x in Moment::ALL.iter() {
        assert_eq!(Moment::parse(x.code()), Some(*x));
    }
    assert_eq!(Moment::parse("not_a_code"), None);
}

#[test]
fn state_codes_stay_the_same() {
    use crate::connections::introduction::State;
    let codes: Vec<&str> = State::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(
        codes,
        [
            "requested",
            "sent",
            "accepted",
            "declined",
            "met",
            "going_well",
            "stopped",
            "withdrawn"
        ]
    );
    for x in State::ALL.iter() {
        assert_eq!(State::parse(x.code()), Some(*x));
    }
    assert_eq!(State::parse("not_a_code"), None);
}

#[test]
fn action_codes_stay_the_same() {
    use crate::connections::introduction::Action;
    let codes: Vec<&str> = Action::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(
        codes,
        [
            "send",
            "accept",
            "decline",
            "met",
            "going_well",
            "stop",
            "withdraw"
        ]
    );
    for x in Action::ALL.iter() {
        assert_eq!(Action::parse(x.code()), Some(*x));
    }
    assert_eq!(Action::parse("not_a_code"), None);
}

#[test]
fn phase_codes_stay_the_same() {
    use crate::decisions::budget::Phase;
    let codes: Vec<&str> = Phase::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(
        codes,
        ["ideas", "bids", "checks", "voting", "results", "delivery"]
    );
    for x in Phase::ALL.iter() {
        assert_eq!(Phase::parse(x.code()), Some(*x));
    }
    assert_eq!(Phase::parse("not_a_code"), None);
}

#[test]
fn method_codes_stay_the_same() {
    use crate::decisions::budget::Method;
    let codes: Vec<&str> = Method::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(codes, ["approval", "knapsack"]);
    for x in Method::ALL.iter() {
        assert_eq!(Method::parse(x.code()), Some(*x));
    }
    assert_eq!(Method::parse("not_a_code"), None);
}

#[test]
fn stance_codes_stay_the_same() {
    use crate::decisions::proposal::Stance;
    let codes: Vec<&str> = Stance::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(codes, ["agree", "abstain", "disagree", "block"]);
    for x in Stance::ALL.iter() {
        assert_eq!(Stance::parse(x.code()), Some(*x));
    }
    assert_eq!(Stance::parse("not_a_code"), None);
}

#[test]
fn comment_kind_codes_stay_the_same() {
    use crate::decisions::proposal::CommentKind;
    let codes: Vec<&str> = CommentKind::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(codes, ["in_favour", "against", "question"]);
    for x in CommentKind::ALL.iter() {
        assert_eq!(CommentKind::parse(x.code()), Some(*x));
    }
    assert_eq!(CommentKind::parse("not_a_code"), None);
}

#[test]
fn progress_codes_stay_the_same() {
    use crate::decisions::proposal::Progress;
    let codes: Vec<&str> = Progress::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(
        codes,
        ["not_agreed", "agreed", "in_progress", "done", "not_done"]
    );
    for x in Progress::ALL.iter() {
        assert_eq!(Progress::parse(x.code()), Some(*x));
    }
    assert_eq!(Progress::parse("not_a_code"), None);
}

#[test]
fn weekday_codes_stay_the_same() {
    use crate::directory::schedule::Weekday;
    let codes: Vec<&str> = Weekday::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(codes, ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]);
    for x in Weekday::ALL.iter() {
        assert_eq!(Weekday::parse(x.code()), Some(*x));
    }
    assert_eq!(Weekday::parse("not_a_code"), None);
    // Imported files write days in any case, with spaces around.
    assert_eq!(Weekday::parse(" tu "), Some(Weekday::Tu));
    assert_eq!(Weekday::parse("Th"), Some(Weekday::Th));
}

#[test]
fn ring_codes_stay_the_same() {
    use crate::people::circle::Ring;
    let codes: Vec<&str> = Ring::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(codes, ["close", "family_friends", "community", "paid"]);
    for x in Ring::ALL.iter() {
        assert_eq!(Ring::parse(x.code()), Some(*x));
    }
    assert_eq!(Ring::parse("not_a_code"), None);
}

#[test]
fn link_status_codes_stay_the_same() {
    use crate::people::circle::LinkStatus;
    let all = [
        LinkStatus::Listed,
        LinkStatus::Invited,
        LinkStatus::Accepted,
        LinkStatus::Declined,
    ];
    let codes: Vec<&str> = all.iter().map(|x| x.code()).collect();
    assert_eq!(codes, ["listed", "invited", "accepted", "declined"]);
    assert_eq!(LinkStatus::ALL, all);
}

#[test]
fn section_codes_stay_the_same() {
    use crate::people::profile::Section;
    let codes: Vec<&str> = Section::ALL.iter().map(|x| x.key()).collect();
    assert_eq!(
        codes,
        [
            "appreciated",
            "important",
            "support",
            "story",
            "gifts",
            "interests",
            "communication",
            "access_needs",
            "travel",
            "availability",
            "birth_year"
        ]
    );
    for x in Section::ALL.iter() {
        assert_eq!(Section::parse(x.key()), Some(*x));
    }
    assert_eq!(Section::parse("not_a_code"), None);
}

#[test]
fn visibility_codes_stay_the_same() {
    use crate::people::profile::Visibility;
    let codes: Vec<&str> = Visibility::ALL.iter().map(|x| x.code()).collect();
    assert_eq!(
        codes,
        ["only_me", "circle", "connectors", "members", "public"]
    );
    for x in Visibility::ALL.iter() {
        assert_eq!(Visibility::parse(x.code()), Some(*x));
    }
    assert_eq!(Visibility::parse("not_a_code"), None);
}

/// Mutual aid's codes: named in the issue that asked for them, so other clients rely on them.
#[test]
fn mutual_aid_codes_stay_the_same() {
    use crate::mutual_aid::matches::{Action, State};
    use crate::mutual_aid::post::{Category, Kind, PostState, Urgency};
    macro_rules! same {
        ($t:ty, $codes:expr) => {{
            let codes: Vec<&str> = <$t>::ALL.iter().map(|x| x.code()).collect();
            assert_eq!(codes, $codes);
            for x in <$t>::ALL.iter() {
                assert_eq!(<$t>::parse(x.code()), Some(*x));
            }
            assert_eq!(<$t>::parse("not_a_code"), None);
        }};
    }
    same!(Kind, ["ask", "offer"]);
    same!(
        Category,
        [
            "shopping",
            "lifts",
            "company",
            "repairs",
            "gardening",
            "digital",
            "paperwork",
            "cooking",
            "pets",
            "other"
        ]
    );
    same!(Urgency, ["today", "this_week", "anytime"]);
    same!(PostState, ["open", "closed"]);
    same!(
        State,
        [
            "requested",
            "accepted",
            "declined",
            "done",
            "didnt_happen",
            "withdrawn"
        ]
    );
    same!(
        Action,
        ["accept", "decline", "done", "didnt_happen", "withdraw"]
    );
}

#[test]
fn story_codes_stay_the_same() {
    use crate::stories::answers::Change;
    use crate::stories::story::{Audience, Decision, Rule, State, ToldBy};
    fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|x| code(*x)).collect()
    }
    assert_eq!(
        codes(State::ALL, State::code),
        [
            "submitted",
            "awaiting_author",
            "published",
            "withheld",
            "withdrawn"
        ]
    );
    assert_eq!(
        codes(Audience::ALL, Audience::code),
        ["private", "hub", "public"]
    );
    assert_eq!(
        codes(ToldBy::ALL, ToldBy::code),
        ["self", "family", "friend", "supporter"]
    );
    assert_eq!(
        codes(Decision::ALL, Decision::code),
        ["publish", "edit", "withhold", "safeguarding"]
    );
    assert_eq!(
        codes(Rule::ALL, Rule::code),
        [
            "identifies_someone",
            "names_staff",
            "offensive",
            "commercial",
            "too_long",
            "not_own_experience",
            "legal_risk"
        ]
    );
    assert_eq!(
        codes(Change::ALL, Change::code),
        ["none", "planned", "made"]
    );
    for c in Change::ALL {
        assert_eq!(Change::parse(c.code()), Some(*c));
    }
}
