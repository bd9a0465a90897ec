//! The limits the server checks on what is sent, by request schema and property, and on
//! query parameters: the table `with_limits` writes into the document.

use super::*;

/// Every limit, by component schema and property.
pub(super) fn limits() -> Vec<(&'static str, &'static str, Rule)> {
    use Rule::*;
    let emails = || Like {
        pattern: EMAIL,
        max: 254,
    };
    vec![
        // accounts
        ("LivedExperienceBody", "in_my_words", text(false, 2_000)),
        // people
        ("NewCircleBody", "ring", one_of(Ring::ALL, Ring::code)),
        ("NewCircleBody", "name", text(true, 100)),
        ("NewCircleBody", "contact", text(false, 500)),
        ("NewCircleBody", "member_email", emails()),
        ("CircleChangeBody", "ring", one_of(Ring::ALL, Ring::code)),
        ("CircleChangeBody", "name", text(true, 100)),
        ("CircleChangeBody", "contact", text(false, 500)),
        (
            "NoteBody",
            "happened_on",
            Like {
                pattern: "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$",
                max: 10,
            },
        ),
        ("NoteBody", "story", text(true, 4_000)),
        ("NoteBody", "next_steps", text(false, 2_000)),
        ("ReplyBody", "text", text(false, 2_000)),
        ("ReplyBody", "next_steps", text(false, 2_000)),
        // connections
        ("CheckinBody", "moment", one_of(Moment::ALL, Moment::code)),
        ("CheckinBody", "satisfied", Whole { min: 0, max: 10 }),
        ("CheckinBody", "worthwhile", Whole { min: 0, max: 10 }),
        ("CheckinBody", "happy", Whole { min: 0, max: 10 }),
        ("CheckinBody", "anxious", Whole { min: 0, max: 10 }),
        ("CheckinBody", "changed", text(false, 2_000)),
        ("MarkBody", "mark", OneOf(vec!["saved", "dismissed"])),
        ("MarkBody", "reason", text(false, 500)),
        ("IntroductionBody", "contact", text(false, 200)),
        ("IntroductionBody", "message", text(false, 1_000)),
        ("IntroductionActionBody", "reason", text(false, 1_000)),
        ("ShortlistBody", "title", text(true, 200)),
        ("ItemBody", "note", text(false, 1_000)),
        // directory
        ("ChangeBody", "name", text(true, 120)),
        ("ChangeBody", "description", text(true, 2_000)),
        (
            "ChangeBody",
            "email",
            Schema(json!({"anyOf": [
            {"type": "string", "maxLength": 0},
            {"type": "string", "pattern": EMAIL, "maxLength": 254}]})),
        ),
        (
            "ChangeBody",
            "url",
            Like {
                pattern: "^(https?://[^\\s\\u0000\\u0085]+)?$",
                max: 300,
            },
        ),
        ("ChangeBody", "why", text(true, 10_000)),
        (
            "ChangeBody",
            "space",
            Schema(json!({
            "type": ["string", "null"],
            "enum": [null, "", Space::HasSpace.code(), Space::WaitingList.code()]})),
        ),
        (
            "ChangeBody",
            "communities",
            codes(Community::ALL, Community::code),
        ),
        ("ChangeBody", "access", codes(Access::ALL, Access::code)),
        (
            "ChangeBody",
            "times",
            Each {
                max: MAX_TIMES,
                each: Box::new(Schema(json!({"$ref": "#/components/schemas/TimeBody"}))),
            },
        ),
        ("TimeBody", "day", one_of(Weekday::ALL, Weekday::code)),
        (
            "TimeBody",
            "week",
            Rule::OneOf(WEEKS.iter().map(|(code, _)| *code).collect()),
        ),
        (
            "TimeBody",
            "opens",
            Like {
                pattern: CLOCK,
                max: 5,
            },
        ),
        (
            "TimeBody",
            "closes",
            Like {
                pattern: CLOCK,
                max: 5,
            },
        ),
        ("CostBody", "free", OneOf(vec!["yes", "no", ""])),
        ("CostBody", "description", text(false, 200)),
        ("PlaceBody", "venue", text(false, 120)),
        ("PlaceBody", "address", text(false, 200)),
        (
            "PlaceBody",
            "postcode",
            Schema(
                json!({"type": "string", "maxLength": 8, "pattern": "^$|".to_string() + POSTCODE}),
            ),
        ),
        ("DecisionBody", "reason", text(false, 10_000)),
        // decisions: spaces and proposals
        ("SpaceBody", "name", text(true, 120)),
        ("SpaceBody", "about", text(false, MAX_TEXT_CHARS)),
        (
            "SpaceBody",
            "min_lived_share",
            Number {
                min: 0.0,
                max: 100.0,
            },
        ),
        (
            "SpaceBody",
            "min_lived_count",
            Whole {
                min: 0,
                max: LivedRule::MAX_COUNT,
            },
        ),
        ("SpaceBody", "update_every_days", Whole { min: 1, max: 366 }),
        ("MemberBody", "email", emails()),
        ("ProposalBody", "title", text(true, MAX_TITLE_CHARS)),
        ("ProposalBody", "body", text(true, MAX_TEXT_CHARS)),
        ("ProposalBody", "affects", text(false, MAX_TEXT_CHARS)),
        ("StanceBody", "stance", one_of(Stance::ALL, Stance::code)),
        ("StanceBody", "reason", text(false, MAX_REASON_CHARS)),
        (
            "CommentBody",
            "kind",
            one_of(CommentKind::ALL, CommentKind::code),
        ),
        ("CommentBody", "body", text(true, MAX_TEXT_CHARS)),
        ("CloseProposalBody", "decision", text(true, MAX_TEXT_CHARS)),
        ("CloseProposalBody", "reasons", text(true, MAX_TEXT_CHARS)),
        (
            "CloseProposalBody",
            "dissent_summary",
            text(false, MAX_TEXT_CHARS),
        ),
        (
            "CloseProposalBody",
            "block_responses",
            Schema(json!({
            "type": "object",
            "propertyNames": {"pattern": "^[0-9]{1,18}$"},
            "additionalProperties": {"type": "string", "maxLength": MAX_TEXT_CHARS}})),
        ),
        (
            "ProgressBody",
            "status",
            one_of(Progress::ALL, Progress::code),
        ),
        ("ProgressBody", "note", text(true, MAX_TEXT_CHARS)),
        // decisions: funding rounds
        ("RoundBody", "name", text(true, 120)),
        ("RoundBody", "about", text(false, MAX_TEXT_CHARS)),
        ("RoundBody", "method", one_of(Method::ALL, Method::code)),
        (
            "RoundBody",
            "pot_pence",
            Whole {
                min: 1,
                max: MAX_POT_PENCE,
            },
        ),
        (
            "RoundBody",
            "max_bid_pence",
            Whole {
                min: 1,
                max: MAX_POT_PENCE,
            },
        ),
        ("IdeaBody", "title", text(true, MAX_TITLE_CHARS)),
        ("IdeaBody", "body", text(false, MAX_TEXT_CHARS)),
        ("BidBody", "title", text(true, MAX_TITLE_CHARS)),
        ("BidBody", "summary", text(true, MAX_TEXT_CHARS)),
        ("BidBody", "for_whom", text(false, MAX_TEXT_CHARS)),
        ("BidBody", "group_name", text(false, 200)),
        (
            "BidBody",
            "amount_pence",
            Whole {
                min: 1,
                max: MAX_POT_PENCE,
            },
        ),
        (
            "BidBody",
            "charity_number",
            Like {
                pattern: "^([0-9]{1,11}(-[0-9]{1,10})?)?$",
                max: 12,
            },
        ),
        ("CheckBody", "reason", text(false, MAX_REASON_CHARS)),
        ("DeliveryBody", "text", text(true, MAX_TEXT_CHARS)),
        ("PhaseBody", "phase", one_of(Phase::ALL, Phase::code)),
        (
            "PaperBody",
            "paper",
            Like {
                pattern: "^[A-Za-z0-9-]{1,40}$",
                max: 40,
            },
        ),
        ("ResolveBody", "note", text(false, MAX_REASON_CHARS)),
        // safeguarding
        ("ConcernBody", "what", text(true, 10_000)),
        ("ConcernBody", "about_name", text(false, 200)),
        // stories
        ("FramingBody", "text", text(false, 20_000)),
        ("StoryBody", "title", text(true, 200)),
        ("StoryBody", "body", text(true, 10_000)),
        ("StoryBody", "told_by", one_of(ToldBy::ALL, ToldBy::code)),
        (
            "StoryBody",
            "audience",
            one_of(StoryAudience::ALL, StoryAudience::code),
        ),
        ("StoryBody", "screen_name", text(false, 60)),
        (
            "StoryBody",
            "about_organisation_ids",
            Each {
                max: 10,
                each: Box::new(text(false, 200)),
            },
        ),
        (
            "StoryBody",
            "about_offer_ids",
            Each {
                max: 10,
                each: Box::new(text(false, 200)),
            },
        ),
        (
            "StoryBody",
            "when",
            Like {
                pattern: "^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$",
                max: 7,
            },
        ),
        (
            "ModerationBody",
            "decision",
            one_of(StoryDecision::ALL, StoryDecision::code),
        ),
        (
            "ModerationBody",
            "rule_codes",
            codes(StoryRule::ALL, StoryRule::code),
        ),
        ("ModerationBody", "title", text(false, 200)),
        ("ModerationBody", "body", text(false, 10_000)),
        ("ModerationBody", "reason", text(false, 2_000)),
        ("AnswerBody", "body", text(true, 4_000)),
        (
            "FollowUpBody",
            "changed",
            one_of(
                village_domain::stories::follow_up::Changed::ALL,
                village_domain::stories::follow_up::Changed::code,
            ),
        ),
        ("FollowUpBody", "words", text(false, 2_000)),
        (
            "AnswerBody",
            "change",
            one_of(
                village_domain::stories::answers::Change::ALL,
                village_domain::stories::answers::Change::code,
            ),
        ),
        ("ConcernActionBody", "text", text(true, 10_000)),
        ("ConcernCloseBody", "outcome", text(true, 10_000)),
        // mutual aid
        (
            "HelpPostBody",
            "kind",
            one_of(HelpKind::ALL, HelpKind::code),
        ),
        (
            "HelpPostBody",
            "category",
            one_of(HelpCategory::ALL, HelpCategory::code),
        ),
        ("HelpPostBody", "title", text(true, help_post::TITLE_MAX)),
        (
            "HelpPostBody",
            "details",
            text(false, help_post::DETAILS_MAX),
        ),
        (
            "HelpPostBody",
            "when",
            Like {
                pattern: HELP_WHEN,
                max: 21,
            },
        ),
        (
            "HelpPostBody",
            "area",
            Like {
                pattern: HELP_AREA,
                max: help_post::AREA_MAX,
            },
        ),
        (
            "HelpPostBody",
            "urgency",
            one_of(HelpUrgency::ALL, HelpUrgency::code),
        ),
        (
            "HelpPostBody",
            "up_for_days",
            Whole {
                min: 1,
                max: help_post::LONGEST_UP_DAYS,
            },
        ),
        ("HelpResponseBody", "message", text(false, 1_000)),
        ("HelpMessageBody", "message", text(true, 1_000)),
        ("HelpExchangeBody", "minutes", Whole { min: 1, max: 720 }),
        ("HelpExchangeBody", "note", text(false, 500)),
        // gatherings
        ("GatheringBody", "title", text(true, 200)),
        ("GatheringBody", "about", text(true, 5_000)),
        (
            "GatheringBody",
            "starts_at",
            Like {
                pattern: MOMENT,
                max: 25,
            },
        ),
        (
            "GatheringBody",
            "ends_at",
            Like {
                pattern: MOMENT,
                max: 25,
            },
        ),
        // A joining link has no white space as Rust counts it: U+0085 too, which `\s` in
        // the document's patterns (ECMAScript) leaves out.
        (
            "GatheringBody",
            "online_url",
            Like {
                pattern: "^(https?://[^\\s\\u0000\\u0085]+)?$",
                max: 500,
            },
        ),
        ("GatheringBody", "for_whom", text(false, 300)),
        ("GatheringBody", "cost", text(false, 300)),
        ("GatheringBody", "organization_id", text(false, 200)),
        ("GatheringBody", "offer_id", text(false, 200)),
        (
            "GatheringBody",
            "capacity",
            Whole {
                min: 1,
                max: 10_000,
            },
        ),
        (
            "GatheringBody",
            "reserved_places",
            Whole {
                min: 0,
                max: 10_000,
            },
        ),
        (
            "GatheringBody",
            "access",
            codes(GatheringAccessFact::ALL, GatheringAccessFact::code),
        ),
        ("VenueBody", "venue", text(false, 300)),
        ("VenueBody", "address", text(false, 300)),
        (
            "VenueBody",
            "postcode",
            Schema(json!({"anyOf": [
            {"type": ["string", "null"], "maxLength": 0},
            {"type": "string", "pattern": POSTCODE, "maxLength": 8}]})),
        ),
        (
            "SignUpBody",
            "needs",
            codes(GatheringNeed::ALL, GatheringNeed::code),
        ),
        ("SignUpBody", "words", text(false, 2_000)),
        (
            "GatheringBody",
            "rooms",
            Each {
                max: 30,
                each: Box::new(text(false, 60)),
            },
        ),
        (
            "GatheringBody",
            "session_minutes",
            Whole { min: 15, max: 240 },
        ),
        (
            "GatheringBody",
            "repeats",
            one_of(GatheringRepeats::ALL, GatheringRepeats::code),
        ),
        (
            "GatheringBody",
            "repeat_until",
            Like {
                pattern: DAY,
                max: 10,
            },
        ),
        (
            "GatheringBody",
            "skip",
            Each {
                max: 60,
                each: Box::new(Like {
                    pattern: DAY,
                    max: 10,
                }),
            },
        ),
        ("SessionBody", "title", text(true, 200)),
        ("SessionBody", "room", text(true, 60)),
        (
            "SessionBody",
            "starts_at",
            Like {
                pattern: MOMENT,
                max: 25,
            },
        ),
        ("SessionBody", "for_name", text(false, 80)),
        ("NotesBody", "notes", text(false, 20_000)),
        ("ToProposalBody", "title", text(false, 200)),
        ("ToProposalBody", "body", text(false, 20_000)),
        ("MinutesBody", "body", text(true, 50_000)),
        (
            "MinutesBody",
            "came",
            Whole {
                min: 0,
                max: 100_000,
            },
        ),
        (
            "MinutesBody",
            "groups",
            Each {
                max: 50,
                each: Box::new(text(false, 200)),
            },
        ),
        (
            "MinutesBody",
            "actions",
            Schema(json!({"type": "array", "maxItems": 50,
                "items": {"$ref": "#/components/schemas/ActionBody"}})),
        ),
        ("ActionBody", "what", text(true, 500)),
        ("ActionBody", "who", text(true, 500)),
        (
            "ActionBody",
            "by",
            Like {
                pattern: DAY,
                max: 10,
            },
        ),
        ("HelpTakeBackBody", "why", text(true, 500)),
        ("HelpGiftBody", "minutes", Whole { min: 1, max: 6_000 }),
        (
            "HelpDigestBody",
            "area",
            Like {
                pattern: HELP_AREA,
                max: help_post::AREA_MAX,
            },
        ),
    ]
}

/// A day (`2027-01-31`); any day of a month up to the 28th, so every one the pattern allows
/// is real.
const DAY: &str = "^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]))?$";
/// A day or a range of days, as `When::parse` takes them (`ongoing`, `2026-12-10`,
/// `2026-12-10/2026-12-14`); whether the days are still ahead is the hub's to say.
const HELP_WHEN: &str = "^(ongoing|[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])(/[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]))?)$";
/// A moment: a day and a time in London (`2026-12-10T14:00`, `2026-12-10 14:00:00`), or
/// RFC 3339 with seconds and an offset (`2026-12-10T14:00:00Z`, `2026-12-10T14:00:00+01:00`);
/// whether it is still ahead is the hub's to say.
const MOMENT: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))$";
/// A day, or a moment, to list gatherings from or to.
const DAY_OR_MOMENT: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])(([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])))?$";
/// A postcode or its first part, or a hub's area by name (letters and spaces).
const HELP_AREA: &str =
    "^([A-Za-z]{1,2}[0-9][A-Za-z0-9]?( ?[0-9][A-Za-z]{2})?|[A-Za-z][A-Za-z ]*)$";

/// Limits on query parameters, by path and name.
pub(super) fn parameter_limits() -> Vec<(&'static str, &'static str, Rule)> {
    use Rule::*;
    let actions = || one_of(AuditAction::ALL, AuditAction::as_str);
    vec![
        ("/api/v1/admin/audit", "action", actions()),
        ("/api/v1/me/audit", "action", actions()),
        (
            "/api/v1/help/posts",
            "kind",
            one_of(HelpKind::ALL, HelpKind::code),
        ),
        (
            "/api/v1/help/posts",
            "category",
            one_of(HelpCategory::ALL, HelpCategory::code),
        ),
        (
            "/api/v1/help/posts",
            "urgency",
            one_of(HelpUrgency::ALL, HelpUrgency::code),
        ),
        (
            "/api/v1/help/posts",
            "near",
            Like {
                pattern: POSTCODE,
                max: 8,
            },
        ),
        (
            "/api/v1/gatherings",
            "from",
            Like {
                pattern: DAY_OR_MOMENT,
                max: 25,
            },
        ),
        (
            "/api/v1/gatherings",
            "to",
            Like {
                pattern: DAY_OR_MOMENT,
                max: 25,
            },
        ),
        ("/api/v1/gatherings", "group", text(false, 200)),
        (
            "/api/v1/help/posts",
            "page",
            Whole {
                min: 1,
                max: 10_000,
            },
        ),
    ]
}

/// The body of `PUT /api/v1/me/profile`: any sections under their keys, each with only the
/// fields it takes (`profile::check`).
pub(super) fn profile_body() -> Value {
    let visibility = Value::from(Visibility::ALL.iter().map(|v| v.code()).collect::<Vec<_>>());
    let mut sections = Map::new();
    for section in Section::ALL {
        // Words a person types: no control characters but new lines and tabs.
        let words = json!({"type": "string", "maxLength": section.max_chars(),
            "pattern": "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$"});
        let mut fields = Map::new();
        fields.insert(
            "visibility".into(),
            json!({"type": "string", "enum": visibility}),
        );
        match section {
            Section::BirthYear => {
                // The year moves on: the hub takes the last 120 years (`birth_year_invalid`
                // otherwise); the document says four figures.
                fields.insert(
                    "value".into(),
                    json!({"type": "integer", "minimum": 1000, "maximum": 9999}),
                );
            }
            _ => {
                fields.insert("text".into(), words);
            }
        }
        match section {
            Section::Interests => {
                fields.insert("terms".into(), json!({"type": "array", "maxItems": 40,
                    "items": {"type": "string", "description": "A taxonomy term id of this hub's directory (`term_unknown` otherwise)."}}));
            }
            Section::Travel => {
                fields.insert(
                    "postcode".into(),
                    json!({"type": "string", "pattern": POSTCODE}),
                );
                fields.insert(
                    "max_km".into(),
                    json!({"type": "number", "minimum": 0.1, "maximum": 500}),
                );
            }
            Section::Availability => {
                let days: Vec<&str> = Weekday::ALL.iter().map(|d| d.code()).collect();
                fields.insert("slots".into(), json!({"type": "array", "maxItems": 50, "items": {
                    "type": "object", "required": ["day", "from", "to"], "additionalProperties": false,
                    "properties": {"day": {"type": "string", "enum": days},
                        "from": {"type": "string", "pattern": CLOCK},
                        "to": {"type": "string", "pattern": CLOCK}}}}));
            }
            Section::AccessNeeds => {
                let access: Vec<&str> = Access::ALL.iter().map(|a| a.code()).collect();
                let list = json!({"type": "array", "maxItems": access.len(),
                    "items": {"type": "string", "enum": access}});
                fields.insert("needs".into(), list.clone());
                fields.insert("essential".into(), list);
            }
            _ => {}
        }
        sections.insert(
            section.key().into(),
            json!({"type": "object", "additionalProperties": false, "properties": fields}),
        );
    }
    json!({
        "type": "object",
        "description": "Sections under their keys, each with only the fields it takes; sections and fields left out stay as they are.",
        "additionalProperties": false,
        "properties": sections,
    })
}
