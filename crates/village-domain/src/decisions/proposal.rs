//! Proposals in a decision space: stances with reasons, the lived-experience rule, outcomes
//! that answer every block and publish the dissent, and the accountability that follows.

use crate::accounts::FieldError;
use crate::error::ErrorCode;
use crate::privacy::{ShownCount, SMALLEST_SHOWN};
use crate::text::check as text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest title, and the longest body of text anyone writes here.
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The longest reason for a stance.
pub const MAX_REASON_CHARS: usize = 4_000;

/// Where someone stands on a proposal.
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
pub enum Stance {
    Agree,
    Abstain,
    Disagree,
    Block,
}

stored_code!(Stance, "stance");

impl Stance {
    pub const ALL: &'static [Stance] = <Stance as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.trim().parse().ok()
    }

    /// Plain words for pages.
    pub fn words(self) -> &'static str {
        match self {
            Stance::Agree => "Agree",
            Stance::Abstain => "Not taking a side",
            Stance::Disagree => "Disagree",
            Stance::Block => "Block",
        }
    }

    /// What choosing it means, as the hint beside it.
    pub fn hint(self) -> &'static str {
        match self {
            Stance::Agree => "I am happy for this to go ahead.",
            Stance::Abstain => "I am not taking a side, but I want my voice counted.",
            Stance::Disagree => "I think this is the wrong way, but I will not stop it. Say why.",
            Stance::Block => {
                "I have a serious objection: this must not go ahead as it is. Say why; \
                 the decision must answer it."
            }
        }
    }

    /// Disagreeing and blocking need a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, Stance::Disagree | Stance::Block)
    }

    /// Dissent: it is published with the outcome and must be summarised.
    pub fn dissents(self) -> bool {
        matches!(self, Stance::Disagree | Stance::Block)
    }
}

/// A stance as someone takes it: checked that a reason comes where one is needed.
pub fn check_stance(stance: Stance, reason: &str) -> Result<String, FieldError> {
    let reason = text(
        "reason",
        reason,
        stance.needs_reason(),
        MAX_REASON_CHARS,
        "your reason",
    )?;
    Ok(reason)
}

/// The kind of a comment in the discussion.
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
pub enum CommentKind {
    InFavour,
    Against,
    Question,
}

stored_code!(CommentKind, "comment kind");

impl CommentKind {
    pub const ALL: &'static [CommentKind] = <CommentKind as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.trim().parse().ok()
    }

    pub fn words(self) -> &'static str {
        match self {
            CommentKind::InFavour => "In favour",
            CommentKind::Against => "Against",
            CommentKind::Question => "A question",
        }
    }
}

/// A space's lived-experience rule: of all stances on a proposal, at least this share, and at
/// least this many, must come from members who have declared lived experience before the
/// proposal can be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LivedRule {
    /// The share in hundredths of a per cent (5,000 is half).
    pub share_bp: u32,
    pub count: u32,
}

impl Default for LivedRule {
    fn default() -> Self {
        LivedRule {
            share_bp: 5_000,
            count: 3,
        }
    }
}

impl LivedRule {
    /// The most voices a rule may ask for.
    pub const MAX_COUNT: i64 = 1_000;

    /// Read the rule from what someone typed. The share is a number from 0 to 1 (0.5 is
    /// half); a number above 1, up to 100, is read as a percentage (50 is half).
    pub fn new(share: f64, count: i64) -> Result<Self, FieldError> {
        if !share.is_finite() || !(0.0..=100.0).contains(&share) {
            return Err(FieldError::new(
                "min_lived_share",
                ErrorCode::InvalidShare,
                "The share of voices with lived experience must be a number from 0 to 1 \
                 (0.5 is half), or a percentage up to 100",
            ));
        }
        let fraction = if share > 1.0 { share / 100.0 } else { share };
        if !(0..=Self::MAX_COUNT).contains(&count) {
            return Err(FieldError::new(
                "min_lived_count",
                ErrorCode::InvalidCount,
                format!(
                    "The number of voices with lived experience must be a whole number from 0 to {}",
                    Self::MAX_COUNT
                ),
            ));
        }
        Ok(LivedRule {
            share_bp: (fraction * 10_000.0).round() as u32,
            count: count as u32,
        })
    }

    /// What the rule asks, in plain words.
    pub fn words(self) -> String {
        let r = self;
        match (r.count, r.share_bp) {
            (0, 0) => {
                "This space does not ask for a number of voices with lived experience.".to_string()
            }
            (c, 0) => format!(
                "At least {c} {} from people with lived experience.",
                plural(c, "view", "views")
            ),
            (0, _) => format!(
                "At least {} of all views from people with lived experience.",
                r.percent_words()
            ),
            (c, _) => format!(
                "At least {c} {} from people with lived experience, and at least {} of all views.",
                plural(c, "view", "views"),
                r.percent_words()
            ),
        }
    }

    /// The share as a number from 0 to 1.
    pub fn share(self) -> f64 {
        f64::from(self.share_bp) / 10_000.0
    }

    /// The share as a whole percentage for pages ("50%").
    pub fn percent_words(self) -> String {
        let p = f64::from(self.share_bp) / 100.0;
        if (p - p.round()).abs() < 1e-9 {
            format!("{}%", p.round() as u32)
        } else {
            format!("{p:.1}%")
        }
    }

    /// Where the voices on a proposal stand against the rule. Only numbers go in and come
    /// out: never who declared.
    pub fn check(self, voices: Voices) -> LivedCheck {
        let count_met = voices.lived >= self.count;
        let share_met =
            u64::from(voices.lived) * 10_000 >= u64::from(self.share_bp) * u64::from(voices.total);
        // How many more stances from people with lived experience would meet both parts: each
        // one adds to the lived voices and to all voices.
        let for_count = self.count.saturating_sub(voices.lived);
        let for_share = if share_met {
            Some(0)
        } else if self.share_bp >= 10_000 {
            None
        } else {
            let need = u64::from(self.share_bp) * u64::from(voices.total)
                - u64::from(voices.lived) * 10_000;
            let per = 10_000 - u64::from(self.share_bp);
            Some(u32::try_from(need.div_ceil(per)).unwrap_or(u32::MAX))
        };
        LivedCheck {
            rule: self,
            voices,
            met: count_met && share_met,
            more_needed: for_share.map(|s| s.max(for_count)),
        }
    }
}

/// How many stances there are, and how many from people with lived experience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Voices {
    pub total: u32,
    pub lived: u32,
}

/// The lived-experience rule against a proposal's stances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LivedCheck {
    pub rule: LivedRule,
    pub voices: Voices,
    pub met: bool,
    /// How many more stances from people with lived experience would meet the rule; `None`
    /// when more of them alone cannot (the rule asks for every voice and someone without
    /// declared lived experience has taken a stance).
    pub more_needed: Option<u32>,
}

impl LivedCheck {
    /// What the rule asks, in plain words.
    pub fn rule_words(&self) -> String {
        self.rule.words()
    }

    /// What is missing, in plain words, or `None` when the rule is met.
    pub fn missing_words(&self) -> Option<String> {
        if self.met {
            return None;
        }
        Some(match self.more_needed {
            Some(n) => format!(
                "This needs {n} more {} from people with lived experience before it can be decided.",
                plural(n, "view", "views")
            ),
            None => "This space asks that every view comes from someone with lived \
                     experience, so it cannot be decided as the views stand."
                .to_string(),
        })
    }
}

/// What everyone who can see a proposal may see of its lived-experience voices. Where names
/// are shown, the count and how many more are needed follow [`crate::privacy`]: a count
/// below 8 is "fewer than 8", so no one's declaration can be read off the names beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivedShown {
    pub lived: ShownCount,
    /// How many more would meet the rule, when that does not give the count away.
    pub more_needed: Option<u32>,
    /// The voices in plain words.
    pub summary: String,
    /// What is missing in plain words, or `None` when the rule is met.
    pub missing: Option<String>,
}

impl LivedCheck {
    /// What may be shown, in a space that shows names (`names_shown`) or hides them.
    pub fn shown(&self, names_shown: bool) -> LivedShown {
        let Voices { total, lived } = self.voices;
        let shown = if names_shown {
            ShownCount::of(lived)
        } else {
            ShownCount::Exactly(lived)
        };
        let stances = plural(total, "view", "views");
        let summary = match shown {
            ShownCount::Exactly(n) => format!(
                "{n} of {total} {stances} so far {} from people with lived experience.",
                plural(n, "comes", "come")
            ),
            ShownCount::FewerThan(_) if total < SMALLEST_SHOWN => format!(
                "There {} {total} {stances} so far. Names are shown in this space, so we do not \
                 say how many come from people with lived experience: a small number could tell \
                 who they are.",
                plural(total, "is", "are")
            ),
            ShownCount::FewerThan(n) => format!(
                "Fewer than {n} of the {total} views so far come from people with lived experience."
            ),
        };
        let exact = shown.exactly().is_some();
        // Even "it cannot be met by more of them" says someone named has not declared.
        let missing = match (self.met, exact) {
            (true, _) => None,
            (false, true) => self.missing_words(),
            (false, false) => Some(
                "This cannot be decided yet: it needs more views from people with lived \
                 experience."
                    .to_string(),
            ),
        };
        LivedShown {
            lived: shown,
            more_needed: self.more_needed.filter(|_| exact),
            summary,
            missing,
        }
    }
}

fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// A stance as the outcome check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cast {
    pub id: i64,
    pub stance: Stance,
    pub lived: bool,
}

/// Count the voices in a set of stances.
pub fn voices(stances: &[Cast]) -> Voices {
    Voices {
        total: u32::try_from(stances.len()).unwrap_or(u32::MAX),
        lived: u32::try_from(stances.iter().filter(|s| s.lived).count()).unwrap_or(u32::MAX),
    }
}

/// What a facilitator writes to close a proposal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeDraft {
    pub decision: String,
    pub reasons: String,
    pub dissent_summary: String,
    /// An answer to each block, by the stance's id.
    pub block_responses: BTreeMap<i64, String>,
    /// Whether the decision is to go ahead (then it is followed up) or not.
    pub agreed: bool,
}

/// A checked outcome, ready to be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub decision: String,
    pub reasons: String,
    pub dissent_summary: String,
    pub block_responses: BTreeMap<i64, String>,
    pub agreed: bool,
}

/// Why a proposal cannot be closed with this outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseRefusal {
    /// The lived-experience rule is not met.
    LivedVoicesMissing(LivedCheck),
    /// These blocks have no answer (stance ids, in order).
    BlockNotAnswered(Vec<i64>),
    /// A field is missing or wrong.
    Field(FieldError),
}

impl CloseRefusal {
    pub fn code(&self) -> ErrorCode {
        match self {
            CloseRefusal::LivedVoicesMissing(_) => ErrorCode::LivedExperienceVoicesMissing,
            CloseRefusal::BlockNotAnswered(_) => ErrorCode::BlockNotAnswered,
            CloseRefusal::Field(f) => f.code,
        }
    }

    /// The refusal in plain words, for a space that shows names (`names_shown`) or not: see
    /// [`LivedCheck::shown`].
    pub fn message(&self, names_shown: bool) -> String {
        match self {
            CloseRefusal::LivedVoicesMissing(c) => format!(
                "{} {}",
                c.shown(names_shown).missing.unwrap_or_default(),
                c.rule_words()
            ),
            CloseRefusal::BlockNotAnswered(ids) => match ids.len() {
                1 => "Answer every block before closing: 1 block has no answer yet.".to_string(),
                n => format!("Answer every block before closing: {n} blocks have no answer yet."),
            },
            CloseRefusal::Field(f) => f.message.clone(),
        }
    }
}

/// Check an outcome against the stances and the rule. The lived-experience rule comes
/// first (without it nothing can be decided), then every block must be answered by the
/// stance's id, then the decision, its reasons and a summary of any dissent must be written.
pub fn check_close(
    rule: LivedRule,
    stances: &[Cast],
    draft: &OutcomeDraft,
) -> Result<Outcome, CloseRefusal> {
    let check = rule.check(voices(stances));
    if !check.met {
        return Err(CloseRefusal::LivedVoicesMissing(check));
    }
    let blocks: Vec<i64> = stances
        .iter()
        .filter(|s| s.stance == Stance::Block)
        .map(|s| s.id)
        .collect();
    for id in draft.block_responses.keys() {
        if !blocks.contains(id) {
            return Err(CloseRefusal::Field(FieldError::new(
                "block_responses",
                ErrorCode::NotABlock,
                format!("Stance {id} is not a block on this proposal, so it needs no answer"),
            )));
        }
    }
    let mut block_responses = BTreeMap::new();
    let mut unanswered = Vec::new();
    for id in blocks {
        let answer = draft
            .block_responses
            .get(&id)
            .map(|a| a.trim())
            .unwrap_or("");
        if answer.is_empty() {
            unanswered.push(id);
        } else {
            let answer = text(
                "block_responses",
                answer,
                true,
                MAX_TEXT_CHARS,
                "the answer to a block",
            )
            .map_err(CloseRefusal::Field)?;
            block_responses.insert(id, answer);
        }
    }
    if !unanswered.is_empty() {
        return Err(CloseRefusal::BlockNotAnswered(unanswered));
    }
    let decision = text(
        "decision",
        &draft.decision,
        true,
        MAX_TEXT_CHARS,
        "the decision",
    )
    .map_err(CloseRefusal::Field)?;
    let reasons = text(
        "reasons",
        &draft.reasons,
        true,
        MAX_TEXT_CHARS,
        "the reasons for the decision",
    )
    .map_err(CloseRefusal::Field)?;
    let dissent = stances.iter().any(|s| s.stance.dissents());
    let dissent_summary = text(
        "dissent_summary",
        &draft.dissent_summary,
        dissent,
        MAX_TEXT_CHARS,
        "a summary of the disagreement",
    )
    .map_err(CloseRefusal::Field)?;
    Ok(Outcome {
        decision,
        reasons,
        dissent_summary,
        block_responses,
        agreed: draft.agreed,
    })
}

/// Where an agreed decision has got to.
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
pub enum Progress {
    /// Decided not to go ahead: nothing to follow up.
    NotAgreed,
    Agreed,
    InProgress,
    Done,
    NotDone,
}

stored_code!(Progress, "progress");

impl Progress {
    pub const ALL: &'static [Progress] = <Progress as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.trim().parse().ok()
    }

    pub fn words(self) -> &'static str {
        match self {
            Progress::NotAgreed => "Decided not to go ahead",
            Progress::Agreed => "Agreed, not started yet",
            Progress::InProgress => "In progress",
            Progress::Done => "Done",
            Progress::NotDone => "Not done",
        }
    }

    /// Nothing more is expected.
    pub fn finished(self) -> bool {
        matches!(
            self,
            Progress::NotAgreed | Progress::Done | Progress::NotDone
        )
    }

    /// Whether an update may move the decision from here to `to`. Staying put is allowed
    /// (an update that only says how it is going).
    pub fn may_become(self, to: Progress) -> bool {
        match self {
            Progress::Agreed => matches!(
                to,
                Progress::Agreed | Progress::InProgress | Progress::Done | Progress::NotDone
            ),
            Progress::InProgress => {
                matches!(
                    to,
                    Progress::InProgress | Progress::Done | Progress::NotDone
                )
            }
            Progress::NotAgreed | Progress::Done | Progress::NotDone => false,
        }
    }
}

/// Check a dated update on an agreed decision.
pub fn check_update(from: Progress, to: Progress, note: &str) -> Result<String, FieldError> {
    if from.finished() {
        return Err(FieldError::new(
            "status",
            ErrorCode::DecisionFinished,
            format!(
                "This decision is finished ({}): it takes no more updates",
                from.words().to_lowercase()
            ),
        ));
    }
    if !from.may_become(to) {
        return Err(FieldError::new(
            "status",
            ErrorCode::InvalidStatus,
            format!(
                "A decision that is {} cannot become {}",
                from.words().to_lowercase(),
                to.words().to_lowercase()
            ),
        ));
    }
    let what = if to == Progress::NotDone {
        "why it was not done"
    } else {
        "what has happened"
    };
    text("note", note, true, MAX_TEXT_CHARS, what)
}

/// How often an agreed decision must be updated, in days, when the facilitator does not say.
pub const DEFAULT_UPDATE_EVERY_DAYS: i64 = 30;

/// Late: the decision is still going and its last update (or the decision itself) is older
/// than the space's update interval.
pub fn overdue(
    progress: Progress,
    last_update_at: crate::Timestamp,
    every_days: i64,
    now: crate::Timestamp,
) -> bool {
    !progress.finished() && now > last_update_at.saturating_add(every_days.saturating_mul(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cast(id: i64, stance: Stance, lived: bool) -> Cast {
        Cast { id, stance, lived }
    }

    fn draft() -> OutcomeDraft {
        OutcomeDraft {
            decision: "We will meet in the library.".into(),
            reasons: "It is step-free and on the bus route.".into(),
            dissent_summary: String::new(),
            block_responses: BTreeMap::new(),
            agreed: true,
        }
    }

    #[test]
    fn the_share_reads_as_a_fraction_or_a_percentage() {
        assert_eq!(LivedRule::new(0.5, 3).map(|r| r.share_bp), Ok(5_000));
        assert_eq!(LivedRule::new(50.0, 3).map(|r| r.share_bp), Ok(5_000));
        assert_eq!(LivedRule::new(1.0, 3).map(|r| r.share_bp), Ok(10_000));
        assert_eq!(
            LivedRule::new(150.0, 3).map_err(|e| e.field),
            Err("min_lived_share")
        );
        assert_eq!(
            LivedRule::new(f64::NAN, 3).map_err(|e| e.field),
            Err("min_lived_share")
        );
        assert_eq!(
            LivedRule::new(0.5, -1).map_err(|e| e.field),
            Err("min_lived_count")
        );
    }

    #[test]
    fn both_parts_of_the_rule_must_be_met() {
        let rule = LivedRule::default();
        // Two of two: the share is met but not the count.
        let c = rule.check(Voices { total: 2, lived: 2 });
        assert!(!c.met);
        assert_eq!(c.more_needed, Some(1));
        // Three of seven: the count is met but not half.
        let c = rule.check(Voices { total: 7, lived: 3 });
        assert!(!c.met);
        // 3 + x >= (7 + x) / 2  =>  x >= 1
        assert_eq!(c.more_needed, Some(1));
        let c = rule.check(Voices {
            total: 10,
            lived: 3,
        });
        assert_eq!(c.more_needed, Some(4));
        let c = rule.check(Voices { total: 6, lived: 3 });
        assert!(c.met);
        assert_eq!(c.more_needed, Some(0));
        assert_eq!(c.missing_words(), None);
    }

    #[test]
    fn more_needed_is_exactly_enough() {
        for share_bp in [0, 2_500, 3_333, 5_000, 6_667, 9_000] {
            for count in 0..5 {
                let rule = LivedRule { share_bp, count };
                for total in 0..30 {
                    for lived in 0..=total {
                        let c = rule.check(Voices { total, lived });
                        let Some(n) = c.more_needed else {
                            panic!("only a share of every voice can be out of reach")
                        };
                        let after = rule.check(Voices {
                            total: total + n,
                            lived: lived + n,
                        });
                        assert!(after.met, "{share_bp} {count} {total} {lived} {n}");
                        if n > 0 {
                            let before = rule.check(Voices {
                                total: total + n - 1,
                                lived: lived + n - 1,
                            });
                            assert!(!before.met, "{share_bp} {count} {total} {lived} {n}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn beside_names_no_count_below_eight_is_shown() {
        let rule = LivedRule {
            share_bp: 5_000,
            count: 3,
        };
        for lived in 0..8 {
            let shown = rule.check(Voices { total: 9, lived }).shown(true);
            assert_eq!(shown.lived, ShownCount::FewerThan(8));
            assert_eq!(shown.more_needed, None);
            assert_eq!(
                shown.summary,
                "Fewer than 8 of the 9 views so far come from people with lived experience."
            );
            assert!(!shown.missing.unwrap_or_default().contains(char::is_numeric));
        }
        let hidden = rule.check(Voices { total: 9, lived: 1 }).shown(false);
        assert_eq!(hidden.lived, ShownCount::Exactly(1));
        assert_eq!(hidden.more_needed, Some(7));
        let many = rule
            .check(Voices {
                total: 12,
                lived: 9,
            })
            .shown(true);
        assert_eq!(many.lived, ShownCount::Exactly(9));
    }

    #[test]
    fn a_rule_of_every_voice_can_be_out_of_reach() {
        let rule = LivedRule {
            share_bp: 10_000,
            count: 1,
        };
        let c = rule.check(Voices { total: 3, lived: 2 });
        assert_eq!(c.more_needed, None);
        assert!(c.missing_words().is_some());
    }

    #[test]
    fn closing_needs_the_lived_experience_voices() {
        let stances = [cast(1, Stance::Agree, true), cast(2, Stance::Agree, true)];
        let e = check_close(LivedRule::default(), &stances, &draft());
        assert_eq!(
            e.map_err(|e| e.code().as_str()),
            Err("lived_experience_voices_missing")
        );
    }

    #[test]
    fn every_block_must_be_answered_and_dissent_summarised() {
        let stances = [
            cast(1, Stance::Agree, true),
            cast(2, Stance::Block, true),
            cast(3, Stance::Disagree, true),
            cast(4, Stance::Block, false),
        ];
        let rule = LivedRule::default();
        let mut d = draft();
        d.dissent_summary = "Two people worry about the cost.".into();
        d.block_responses
            .insert(2, "We found a cheaper room.".into());
        match check_close(rule, &stances, &d) {
            Err(CloseRefusal::BlockNotAnswered(ids)) => assert_eq!(ids, vec![4]),
            other => panic!("expected block_not_answered, got {other:?}"),
        }
        d.block_responses.insert(4, "   ".into());
        assert_eq!(
            check_close(rule, &stances, &d).map_err(|e| e.code().as_str()),
            Err("block_not_answered")
        );
        d.block_responses
            .insert(4, "The library is free on Tuesdays.".into());
        d.dissent_summary = String::new();
        assert_eq!(
            check_close(rule, &stances, &d).map_err(|e| e.code().as_str()),
            Err("text_missing")
        );
        d.dissent_summary = "Two people worry about the cost.".into();
        let outcome = check_close(rule, &stances, &d).unwrap();
        assert_eq!(outcome.block_responses.len(), 2);
        d.block_responses.insert(1, "Thanks".into());
        assert_eq!(
            check_close(rule, &stances, &d).map_err(|e| e.code().as_str()),
            Err("not_a_block")
        );
    }

    #[test]
    fn without_dissent_no_summary_is_needed() {
        let stances = [
            cast(1, Stance::Agree, true),
            cast(2, Stance::Abstain, true),
            cast(3, Stance::Agree, true),
        ];
        assert!(check_close(LivedRule::default(), &stances, &draft()).is_ok());
    }

    #[test]
    fn reasons_are_needed_to_disagree_or_block() {
        assert!(check_stance(Stance::Agree, "").is_ok());
        assert!(check_stance(Stance::Abstain, " ").is_ok());
        assert_eq!(
            check_stance(Stance::Disagree, " ").map_err(|e| e.field),
            Err("reason")
        );
        assert_eq!(
            check_stance(Stance::Block, "").map_err(|e| e.field),
            Err("reason")
        );
        assert_eq!(
            check_stance(Stance::Block, "It leaves out people who cannot use stairs.").as_deref(),
            Ok("It leaves out people who cannot use stairs.")
        );
    }

    #[test]
    fn accountability_moves_forward_and_can_be_late() {
        assert!(check_update(Progress::Agreed, Progress::InProgress, "Started").is_ok());
        assert!(check_update(Progress::InProgress, Progress::Agreed, "Back").is_err());
        assert_eq!(
            check_update(Progress::InProgress, Progress::NotDone, "").map_err(|e| e.field),
            Err("note")
        );
        assert_eq!(
            check_update(Progress::Done, Progress::Done, "More").map_err(|e| e.code.as_str()),
            Err("decision_finished")
        );
        let day = 86_400;
        assert!(!overdue(Progress::Agreed, 0, 30, 30 * day));
        assert!(overdue(Progress::Agreed, 0, 30, 30 * day + 1));
        assert!(!overdue(Progress::Done, 0, 30, 300 * day));
    }
}
