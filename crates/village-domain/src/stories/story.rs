//! A story and its way to being read, with its author in control at every step:
//!
//! ```text
//! submitted ──publish (a steward)──────────────► published
//!     │      ─edit (a steward, with rule codes)─► awaiting_author ──approve (the author)──► published
//!     │      ─withhold / safeguarding (a steward)► withheld
//!     └── withdraw (the author, from any state) ──► withdrawn
//! ```
//!
//! Nobody but its author and the stewards reads a story before it is published; an edited
//! story is published only when its author approves the edit; a withdrawn story is gone.

use crate::error::ErrorCode;

coded!(
    #[schema(as = StoryState)]
    State, "story state" {
        Submitted => "Waiting to be read by a steward",
        AwaitingAuthor => "A steward suggested changes: waiting for the author",
        Published => "Published",
        Withheld => "Not published",
        Withdrawn => "Withdrawn by the author",
    }
);

coded!(
    /// Who may read a story once it is published.
    #[schema(as = StoryAudience)]
    Audience, "story audience" {
        /// Only the author.
        Private => "Only me",
        /// Members of the hub who are signed in.
        Hub => "Members of this hub",
        /// Anyone.
        Public => "Anyone",
    }
);

coded!(
    /// Who is telling it.
    #[schema(as = StoryToldBy)]
    ToldBy, "story teller" {
        #[serde(rename = "self")]
        #[strum(serialize = "self")]
        Myself => "The person it happened to",
        Family => "A family member",
        Friend => "A friend",
        Supporter => "A supporter, with their agreement",
    }
);

coded!(
    /// What a steward decides about a story waiting to be read.
    #[schema(as = StoryDecision)]
    Decision, "story decision" {
        Publish => "Publish it as it is",
        Edit => "Suggest changes to the author",
        Withhold => "Do not publish it",
        Safeguarding => "It is a safeguarding matter",
    }
);

coded!(
    /// Why a steward changed words in a story (a published list).
    #[schema(as = StoryRule)]
    Rule, "story rule" {
        IdentifiesSomeone => "It could identify someone",
        NamesStaff => "It names a member of staff",
        Offensive => "It could offend",
        Commercial => "It advertises something",
        TooLong => "It is too long",
        NotOwnExperience => "It is not the teller's own experience",
        LegalRisk => "It could break the law",
    }
);

/// Where a story goes when a steward decides about it: only a story waiting to be read is
/// decided, and an edit needs at least one rule.
/// A story told for someone (`needs_agreement`, until they agree) waits for them even when
/// published as it is.
pub fn decide(
    state: State,
    decision: Decision,
    rules: &[Rule],
    needs_agreement: bool,
) -> Result<State, ErrorCode> {
    if state != State::Submitted {
        return Err(ErrorCode::NotAllowedNow);
    }
    Ok(match decision {
        Decision::Publish if needs_agreement => State::AwaitingAuthor,
        Decision::Publish => State::Published,
        Decision::Edit if rules.is_empty() => return Err(ErrorCode::Missing),
        Decision::Edit => State::AwaitingAuthor,
        Decision::Withhold | Decision::Safeguarding => State::Withheld,
    })
}

/// The author approves the changes a steward suggested (for a story told for someone, that
/// person agrees to its words): it is published as it stands.
pub fn approve(state: State) -> Result<State, ErrorCode> {
    match state {
        State::AwaitingAuthor => Ok(State::Published),
        _ => Err(ErrorCode::NotAllowedNow),
    }
}

/// The author withdraws the story, whatever its state (once).
pub fn withdraw(state: State) -> Result<State, ErrorCode> {
    match state {
        State::Withdrawn => Err(ErrorCode::NotAllowedNow),
        _ => Ok(State::Withdrawn),
    }
}

/// How someone looking stands to a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    pub signed_in: bool,
    pub author: bool,
    /// A steward (or hub admin), who reads stories before anyone else.
    pub steward: bool,
    /// An organiser of a group a private story was sent to ("send it to them privately").
    pub sent_to: bool,
    /// The person a connector told it for, who reads it as its author does.
    pub told_for: bool,
}

/// Who agrees to a story's words before it is published: the person it was told for, or
/// else its author.
pub fn agrees(author_id: i64, told_for: Option<i64>) -> i64 {
    told_for.unwrap_or(author_id)
}

/// Whether a reader may see a story at all: its author always (until withdrawn), stewards
/// while it is being read or once published or held back, and everyone else only once it
/// is published and its audience includes them (a private story: the organisers of the
/// groups it was sent to).
pub fn may_read(reader: Reader, state: State, audience: Audience) -> bool {
    if state == State::Withdrawn {
        return false;
    }
    if reader.author || reader.told_for || reader.steward {
        return true;
    }
    state == State::Published
        && match audience {
            Audience::Public => true,
            Audience::Hub => reader.signed_in,
            Audience::Private => reader.sent_to,
        }
}

/// A month a story happened, `YYYY-MM`, not after `this_month` (also `YYYY-MM`).
pub fn read_month(text: &str, this_month: &str) -> Option<String> {
    let t = text.trim();
    let (y, m) = t.split_once('-')?;
    let ok = y.len() == 4
        && m.len() == 2
        && y.chars().chain(m.chars()).all(|c| c.is_ascii_digit())
        && (1..=12).contains(&m.parse::<u32>().ok()?)
        && y.parse::<u32>().ok()? >= 1900;
    (ok && t <= this_month).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_waiting_story_is_decided_and_an_edit_needs_a_rule() {
        for &state in State::ALL {
            for &decision in Decision::ALL {
                let got = decide(state, decision, &[Rule::IdentifiesSomeone], false);
                if state != State::Submitted {
                    assert_eq!(got, Err(ErrorCode::NotAllowedNow));
                    continue;
                }
                let expected = match decision {
                    Decision::Publish => State::Published,
                    Decision::Edit => State::AwaitingAuthor,
                    _ => State::Withheld,
                };
                assert_eq!(got, Ok(expected));
            }
        }
        assert_eq!(
            decide(State::Submitted, Decision::Edit, &[], false),
            Err(ErrorCode::Missing)
        );
    }

    #[test]
    fn nobody_but_the_author_and_stewards_reads_a_story_before_it_is_published() {
        let anyone = Reader {
            signed_in: false,
            author: false,
            steward: false,
            sent_to: false,
            told_for: false,
        };
        let member = Reader {
            signed_in: true,
            ..anyone
        };
        let author = Reader {
            author: true,
            ..member
        };
        let steward = Reader {
            steward: true,
            ..member
        };
        let sent_to = Reader {
            sent_to: true,
            ..member
        };
        for &state in State::ALL {
            for &audience in Audience::ALL {
                let published = state == State::Published;
                let gone = state == State::Withdrawn;
                assert_eq!(
                    may_read(anyone, state, audience),
                    published && audience == Audience::Public
                );
                assert_eq!(
                    may_read(member, state, audience),
                    published && audience != Audience::Private
                );
                assert_eq!(may_read(author, state, audience), !gone);
                assert_eq!(may_read(steward, state, audience), !gone);
                let told_for = Reader {
                    told_for: true,
                    ..member
                };
                assert_eq!(may_read(told_for, state, audience), !gone);
                assert_eq!(
                    may_read(sent_to, state, audience),
                    published,
                    "an organiser of a group a private story was sent to reads it once published"
                );
            }
        }
    }

    #[test]
    fn a_story_told_for_someone_waits_for_them_and_they_agree() {
        assert_eq!(
            decide(State::Submitted, Decision::Publish, &[], true),
            Ok(State::AwaitingAuthor)
        );
        assert_eq!(
            decide(State::Submitted, Decision::Publish, &[], false),
            Ok(State::Published)
        );
        assert_eq!(
            decide(State::Submitted, Decision::Withhold, &[], true),
            Ok(State::Withheld)
        );
        assert_eq!(agrees(7, Some(9)), 9);
        assert_eq!(agrees(7, None), 7);
    }

    #[test]
    fn the_author_approves_an_edit_and_withdraws_once() {
        assert_eq!(approve(State::AwaitingAuthor), Ok(State::Published));
        assert_eq!(approve(State::Submitted), Err(ErrorCode::NotAllowedNow));
        assert_eq!(withdraw(State::Published), Ok(State::Withdrawn));
        assert_eq!(withdraw(State::Withdrawn), Err(ErrorCode::NotAllowedNow));
        assert_eq!(ToldBy::parse("self"), Some(ToldBy::Myself));
        assert_eq!(ToldBy::Myself.code(), "self");
    }

    #[test]
    fn a_month_is_a_month_and_not_yet_to_come() {
        assert_eq!(read_month("2026-03", "2026-12"), Some("2026-03".into()));
        assert_eq!(read_month("2027-01", "2026-12"), None);
        assert_eq!(read_month("2026-13", "2026-12"), None);
        assert_eq!(read_month("March 2026", "2026-12"), None);
        assert_eq!(read_month("2026-3", "2026-12"), None);
    }
}
