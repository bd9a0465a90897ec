//! Participatory budgeting: a round with a pot shared out to community groups' bids by the
//! votes of the people they serve.
//!
//! A round moves through its phases in order, never back: ideas → bids → checks → voting →
//! results → delivery. Results are worked out the same way every time ([`tally`]): bids are
//! funded in order of votes while the pot allows, skipping any that no longer fit; ties go to
//! the smaller amount, then to the earlier bid.

use crate::accounts::FieldError;
use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// The biggest pot a round may have: £100 million, in pence.
pub const MAX_POT_PENCE: i64 = 10_000_000_000;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
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
pub enum Phase {
    Ideas,
    Bids,
    Checks,
    Voting,
    Results,
    Delivery,
}

stored_code!(Phase, "round phase");

impl Phase {
    pub const ALL: &'static [Phase] = <Phase as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.trim().parse().ok()
    }

    pub fn words(self) -> &'static str {
        match self {
            Phase::Ideas => "Sharing ideas",
            Phase::Bids => "Groups are making bids",
            Phase::Checks => "Checking bids",
            Phase::Voting => "Voting is open",
            Phase::Results => "Results",
            Phase::Delivery => "Groups are doing what they said",
        }
    }

    /// The phase after this one.
    pub fn next(self) -> Option<Phase> {
        let i = Self::ALL.iter().position(|p| *p == self)?;
        Self::ALL.get(i + 1).copied()
    }

    /// Groups may put bids in (ideas may already become bids).
    pub fn takes_bids(self) -> bool {
        matches!(self, Phase::Ideas | Phase::Bids)
    }

    /// Results are known and published.
    pub fn results_known(self) -> bool {
        matches!(self, Phase::Results | Phase::Delivery)
    }
}

/// What stops a round moving to another phase, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseRefusal {
    pub code: ErrorCode,
    pub message: String,
}

/// What the round looks like when someone asks to move it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoundState {
    pub unchecked_bids: u32,
    pub eligible_bids: u32,
    /// Paper ballots waiting for a second entry, or whose two entries disagree.
    pub unresolved_papers: u32,
}

/// Whether a round may move from `from` to `to`: only to the very next phase, and only when
/// that phase can work.
pub fn check_phase(from: Phase, to: Phase, state: RoundState) -> Result<(), PhaseRefusal> {
    if from.next() != Some(to) {
        return Err(PhaseRefusal {
            code: ErrorCode::PhaseOutOfOrder,
            message: match from.next() {
                Some(next) => format!(
                    "A round moves one phase at a time: after {} comes {}.",
                    from.code(),
                    next.code()
                ),
                None => "This round is in its last phase.".to_string(),
            },
        });
    }
    match to {
        Phase::Voting if state.unchecked_bids > 0 => Err(PhaseRefusal {
            code: ErrorCode::BidsNotChecked,
            message: format!(
                "{} {} not been checked yet. A steward records whether each bid is eligible \
                 (POST /api/v1/rounds/{{id}}/bids/{{bid_id}}/check) before voting opens.",
                state.unchecked_bids,
                if state.unchecked_bids == 1 {
                    "bid has"
                } else {
                    "bids have"
                }
            ),
        }),
        Phase::Voting if state.eligible_bids == 0 => Err(PhaseRefusal {
            code: ErrorCode::NoEligibleBids,
            message: "There are no bids that went forward to vote on.".to_string(),
        }),
        Phase::Results if state.unresolved_papers > 0 => Err(PhaseRefusal {
            code: ErrorCode::PaperBallotsUnresolved,
            message: if state.unresolved_papers == 1 {
                "1 paper ballot is waiting for a second entry, or its two entries disagree. \
                 Resolve it first."
                    .to_string()
            } else {
                format!(
                    "{} paper ballots are waiting for a second entry, or their two entries \
                     disagree. Resolve them first.",
                    state.unresolved_papers
                )
            },
        }),
        _ => Ok(()),
    }
}

/// How people vote.
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
pub enum Method {
    /// Choose any number of bids you support.
    Approval,
    /// Choose bids whose amounts together fit in the pot.
    Knapsack,
}

stored_code!(Method, "voting method");

impl Method {
    pub const ALL: &'static [Method] = <Method as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.trim().parse().ok()
    }

    /// How to vote, in plain words.
    pub fn how_to_vote(self) -> &'static str {
        match self {
            Method::Approval => "Choose every bid you would like to see funded. You can choose as many as you like.",
            Method::Knapsack => "Choose the bids you would fund if the pot were yours: together they must fit in the pot.",
        }
    }
}

/// A round's money rules, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub pot_pence: i64,
    pub max_bid_pence: i64,
}

impl Money {
    pub fn new(pot_pence: i64, max_bid_pence: i64) -> Result<Self, FieldError> {
        if !(1..=MAX_POT_PENCE).contains(&pot_pence) {
            return Err(FieldError::new(
                "pot_pence",
                ErrorCode::InvalidAmount,
                "The pot must be more than nothing and at most £100,000,000, in pence",
            ));
        }
        if !(1..=pot_pence).contains(&max_bid_pence) {
            return Err(FieldError::new(
                "max_bid_pence",
                ErrorCode::InvalidAmount,
                "The most a bid may ask for must be more than nothing and no more than the pot, in pence",
            ));
        }
        Ok(Money {
            pot_pence,
            max_bid_pence,
        })
    }

    /// A bid's amount: more than nothing and no more than the round allows.
    pub fn check_bid(self, amount_pence: i64) -> Result<i64, FieldError> {
        if amount_pence < 1 {
            return Err(FieldError::new(
                "amount_pence",
                ErrorCode::InvalidAmount,
                "Say how much you are asking for, in pence (£250 is 25000)",
            ));
        }
        if amount_pence > self.max_bid_pence {
            return Err(FieldError::new(
                "amount_pence",
                ErrorCode::OverTheLimit,
                format!(
                    "A bid in this round may ask for at most {}",
                    pounds(self.max_bid_pence)
                ),
            ));
        }
        Ok(amount_pence)
    }
}

/// An amount in pence as people read it: "£1,250" or "£12.50".
pub fn pounds(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let pence = pence.unsigned_abs();
    let whole = pence / 100;
    let rest = pence % 100;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if rest == 0 {
        format!("{sign}£{grouped}")
    } else {
        format!("{sign}£{grouped}.{rest:02}")
    }
}

/// A bid as voting and the tally see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bid {
    pub id: i64,
    pub amount_pence: i64,
    pub eligible: bool,
    /// When it came in (ties between equal amounts go to the earlier bid; then the lower id).
    pub created_at: crate::Timestamp,
}

/// Check a ballot: every choice an eligible bid of this round, each once, and for knapsack
/// voting, all of them together within the pot. Gives the choices sorted.
pub fn check_ballot(
    method: Method,
    pot_pence: i64,
    bids: &[Bid],
    chosen: &[i64],
) -> Result<Vec<i64>, FieldError> {
    let mut set = BTreeSet::new();
    let mut total: i64 = 0;
    for id in chosen {
        let Some(bid) = bids.iter().find(|b| b.id == *id) else {
            return Err(FieldError::new(
                "bid_ids",
                ErrorCode::UnknownBid,
                format!("Bid {id} is not in this round"),
            ));
        };
        if !bid.eligible {
            return Err(FieldError::new(
                "bid_ids",
                ErrorCode::BidNotEligible,
                format!("Bid {id} could not go forward, so it cannot be voted for"),
            ));
        }
        if set.insert(*id) {
            total = total.saturating_add(bid.amount_pence);
        }
    }
    if method == Method::Knapsack && total > pot_pence {
        return Err(FieldError::new(
            "bid_ids",
            ErrorCode::OverThePot,
            format!(
                "Your choices add up to {}, more than the pot of {}. Leave some out.",
                pounds(total),
                pounds(pot_pence)
            ),
        ));
    }
    Ok(set.into_iter().collect())
}

/// The results of a round.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Results {
    /// Votes for every eligible bid (zero included).
    pub counts: BTreeMap<i64, u64>,
    /// Bids in the order they were considered: votes, then smaller amount, then earlier.
    pub order: Vec<i64>,
    /// Funded bids, in funding order.
    pub funded: Vec<i64>,
    /// Bids passed over because they no longer fitted in what was left of the pot.
    pub skipped: Vec<i64>,
    /// What is left in the pot.
    pub left_pence: i64,
    pub ballots: u64,
}

/// Count ballots (each a list of bid ids) and fund bids in order of votes while the pot
/// allows, skipping any that no longer fit. Ties go to the smaller amount, then the earlier
/// bid, then the lower id, so the same ballots always give the same results. Votes for
/// bids that are not eligible or not in the round are not counted.
pub fn tally<'a>(
    pot_pence: i64,
    bids: &[Bid],
    ballots: impl IntoIterator<Item = &'a [i64]>,
) -> Results {
    let mut counts: BTreeMap<i64, u64> = bids
        .iter()
        .filter(|b| b.eligible)
        .map(|b| (b.id, 0))
        .collect();
    let mut n = 0u64;
    for ballot in ballots {
        n += 1;
        for id in ballot {
            if let Some(c) = counts.get_mut(id) {
                *c += 1;
            }
        }
    }
    fund(pot_pence, bids, counts, n)
}

/// Fund bids from counts already made (for example by the database).
pub fn fund(pot_pence: i64, bids: &[Bid], counts: BTreeMap<i64, u64>, ballots: u64) -> Results {
    let mut eligible: Vec<&Bid> = bids.iter().filter(|b| b.eligible).collect();
    let votes = |b: &Bid| counts.get(&b.id).copied().unwrap_or(0);
    eligible.sort_by(|a, b| {
        votes(b)
            .cmp(&votes(a))
            .then(a.amount_pence.cmp(&b.amount_pence))
            .then(a.created_at.cmp(&b.created_at))
            .then(a.id.cmp(&b.id))
    });
    let mut left = pot_pence;
    let mut funded = Vec::new();
    let mut skipped = Vec::new();
    for b in &eligible {
        match b.amount_pence.cmp(&left) {
            Ordering::Less | Ordering::Equal => {
                left -= b.amount_pence;
                funded.push(b.id);
            }
            Ordering::Greater => skipped.push(b.id),
        }
    }
    let counts = eligible.iter().map(|b| (b.id, votes(b))).collect();
    Results {
        counts,
        order: eligible.iter().map(|b| b.id).collect(),
        funded,
        skipped,
        left_pence: left,
        ballots,
    }
}

/// A paper ballot as two stewards typed it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paper {
    /// Only one steward has typed it in so far.
    WaitingForSecond { entered_by: i64 },
    /// Both entries agree: it counts.
    Agreed(Vec<i64>),
    /// The entries disagree: a steward must resolve it.
    Mismatch { first: Vec<i64>, second: Vec<i64> },
    /// A steward resolved a mismatch: it counts as they decided.
    Resolved(Vec<i64>),
}

impl Paper {
    /// Work out a paper's state from its entries (each by a steward, in order) and any
    /// resolution.
    pub fn from_entries(entries: &[(i64, Vec<i64>)], resolution: Option<Vec<i64>>) -> Option<Self> {
        if let Some(r) = resolution {
            return Some(Paper::Resolved(r));
        }
        match entries {
            [] => None,
            [(by, _)] => Some(Paper::WaitingForSecond { entered_by: *by }),
            [(_, a), (_, b), ..] if a == b => Some(Paper::Agreed(a.clone())),
            [(_, a), (_, b), ..] => Some(Paper::Mismatch {
                first: a.clone(),
                second: b.clone(),
            }),
        }
    }

    /// The choices that count, if it counts yet.
    pub fn counted(&self) -> Option<&[i64]> {
        match self {
            Paper::Agreed(c) | Paper::Resolved(c) => Some(c),
            _ => None,
        }
    }

    /// Whether what the stewards typed may be shown. Not while the paper waits for its second
    /// entry: the second steward types it in from the paper alone (blind double entry).
    pub fn entries_shown(&self) -> bool {
        !matches!(self, Paper::WaitingForSecond { .. })
    }

    pub fn words(&self) -> &'static str {
        match self {
            Paper::WaitingForSecond { .. } => "Waiting for a second steward to type it in",
            Paper::Agreed(_) => "Both entries agree: counted",
            Paper::Mismatch { .. } => "The two entries disagree: needs resolving",
            Paper::Resolved(_) => "Resolved: counted",
        }
    }
}

/// A paper ballot's reference as written on the paper: letters, digits and dashes.
pub fn check_paper_reference(reference: &str) -> Result<String, FieldError> {
    let r = reference.trim().to_uppercase();
    if r.is_empty()
        || r.len() > 40
        || !r
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
    {
        return Err(FieldError::new(
            "paper",
            ErrorCode::InvalidPaperReference,
            "Type the number written on the paper ballot (letters, numbers and dashes, up to 40)",
        ));
    }
    Ok(r)
}

/// A steward's second entry must come from a different steward.
pub fn check_second_entry(first_by: i64, by: i64) -> Result<(), FieldError> {
    if first_by == by {
        return Err(FieldError::new(
            "paper",
            ErrorCode::SameSteward,
            "You typed in this paper ballot already. A different steward types it in the second time.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {

    #[test]
    fn what_a_steward_typed_is_hidden_until_the_second_has_typed_it_in() {
        let one = Paper::from_entries(&[(1, vec![3])], None).unwrap();
        assert!(!one.entries_shown());
        for two in [
            Paper::from_entries(&[(1, vec![3]), (2, vec![3])], None).unwrap(),
            Paper::from_entries(&[(1, vec![3]), (2, vec![4])], None).unwrap(),
            Paper::from_entries(&[(1, vec![3])], Some(vec![3])).unwrap(),
        ] {
            assert!(two.entries_shown(), "{two:?}");
        }
    }

    use super::*;
    use proptest::prelude::*;

    fn bid(id: i64, amount_pence: i64) -> Bid {
        Bid {
            id,
            amount_pence,
            eligible: true,
            created_at: id * 10,
        }
    }

    #[test]
    fn phases_go_one_at_a_time() {
        let ok = RoundState {
            unchecked_bids: 0,
            eligible_bids: 2,
            unresolved_papers: 0,
        };
        assert!(check_phase(Phase::Ideas, Phase::Bids, ok).is_ok());
        assert_eq!(
            check_phase(Phase::Ideas, Phase::Voting, ok).map_err(|e| e.code.as_str()),
            Err("phase_out_of_order")
        );
        assert_eq!(
            check_phase(Phase::Voting, Phase::Checks, ok).map_err(|e| e.code.as_str()),
            Err("phase_out_of_order")
        );
        let unchecked = RoundState {
            unchecked_bids: 1,
            ..ok
        };
        assert_eq!(
            check_phase(Phase::Checks, Phase::Voting, unchecked).map_err(|e| e.code.as_str()),
            Err("bids_not_checked")
        );
        let papers = RoundState {
            unresolved_papers: 2,
            ..ok
        };
        assert_eq!(
            check_phase(Phase::Voting, Phase::Results, papers).map_err(|e| e.code.as_str()),
            Err("paper_ballots_unresolved")
        );
        assert!(check_phase(Phase::Results, Phase::Delivery, papers).is_ok());
    }

    #[test]
    fn money_is_checked() {
        assert!(Money::new(2_000_000, 250_000).is_ok());
        assert_eq!(Money::new(0, 1).map_err(|e| e.field), Err("pot_pence"));
        assert_eq!(
            Money::new(100, 101).map_err(|e| e.field),
            Err("max_bid_pence")
        );
        let m = Money::new(2_000_000, 250_000).unwrap();
        assert_eq!(
            m.check_bid(250_001).map_err(|e| e.code.as_str()),
            Err("over_the_limit")
        );
        assert_eq!(
            m.check_bid(0).map_err(|e| e.code.as_str()),
            Err("invalid_amount")
        );
        assert_eq!(pounds(2_000_000), "£20,000");
        assert_eq!(pounds(1_250), "£12.50");
        assert_eq!(pounds(123_456_789), "£1,234,567.89");
    }

    #[test]
    fn ballots_are_checked() {
        let mut bids = vec![bid(1, 600), bid(2, 500), bid(3, 300)];
        bids[2].eligible = false;
        assert_eq!(
            check_ballot(Method::Approval, 1000, &bids, &[2, 1, 2]),
            Ok(vec![1, 2])
        );
        assert_eq!(
            check_ballot(Method::Knapsack, 1000, &bids, &[1, 2]).map_err(|e| e.code.as_str()),
            Err("over_the_pot")
        );
        assert_eq!(
            check_ballot(Method::Approval, 1000, &bids, &[3]).map_err(|e| e.code.as_str()),
            Err("bid_not_eligible")
        );
        assert_eq!(
            check_ballot(Method::Approval, 1000, &bids, &[9]).map_err(|e| e.code.as_str()),
            Err("unknown_bid")
        );
        assert_eq!(check_ballot(Method::Knapsack, 1000, &bids, &[]), Ok(vec![]));
    }

    #[test]
    fn funds_in_order_of_votes_skipping_what_no_longer_fits() {
        // Pot £10: A (£6, 3 votes), B (£5, 2 votes), C (£4, 2 votes), D (£1, 1 vote).
        let bids = [bid(1, 600), bid(2, 500), bid(3, 400), bid(4, 100)];
        let ballots: Vec<Vec<i64>> = vec![vec![1, 2, 3], vec![1, 2, 3, 4], vec![1]];
        let r = tally(1000, &bids, ballots.iter().map(Vec::as_slice));
        assert_eq!(r.counts, BTreeMap::from([(1, 3), (2, 2), (3, 2), (4, 1)]));
        // B and C tie on votes: C is smaller, so it comes first and fits; B no longer fits.
        assert_eq!(r.order, vec![1, 3, 2, 4]);
        assert_eq!(r.funded, vec![1, 3]);
        assert_eq!(r.skipped, vec![2, 4]);
        assert_eq!(r.left_pence, 0);
        assert_eq!(r.ballots, 3);
    }

    #[test]
    fn equal_votes_and_amounts_go_to_the_earlier_bid() {
        let mut bids = [bid(7, 500), bid(3, 500)];
        bids[0].created_at = 1;
        bids[1].created_at = 2;
        let r = tally(500, &bids, [[7i64, 3].as_slice()]);
        assert_eq!(r.funded, vec![7]);
        assert_eq!(r.skipped, vec![3]);
    }

    #[test]
    fn ineligible_bids_are_never_counted_or_funded() {
        let mut bids = [bid(1, 100), bid(2, 100)];
        bids[0].eligible = false;
        let r = tally(1000, &bids, [[1i64, 2].as_slice(), [1].as_slice()]);
        assert_eq!(r.counts, BTreeMap::from([(2, 1)]));
        assert_eq!(r.funded, vec![2]);
    }

    #[test]
    fn paper_ballots_count_when_two_entries_agree() {
        assert_eq!(Paper::from_entries(&[], None), None);
        assert_eq!(
            Paper::from_entries(&[(5, vec![1])], None),
            Some(Paper::WaitingForSecond { entered_by: 5 })
        );
        let agreed = Paper::from_entries(&[(5, vec![1, 2]), (6, vec![1, 2])], None).unwrap();
        assert_eq!(agreed.counted(), Some([1i64, 2].as_slice()));
        let mismatch = Paper::from_entries(&[(5, vec![1, 2]), (6, vec![1])], None).unwrap();
        assert_eq!(mismatch.counted(), None);
        let resolved =
            Paper::from_entries(&[(5, vec![1, 2]), (6, vec![1])], Some(vec![1])).unwrap();
        assert_eq!(resolved.counted(), Some([1i64].as_slice()));
        assert!(check_second_entry(5, 5).is_err());
        assert_eq!(check_paper_reference(" a-017 ").as_deref(), Ok("A-017"));
        assert!(check_paper_reference("A 017").is_err());
    }

    proptest! {
        /// The funded bids fit in the pot; every skipped bid was too big for what was left
        /// when its turn came; and no skipped bid would fit in what is left at the end.
        #[test]
        fn funding_respects_the_pot(
            amounts in proptest::collection::vec(1i64..1_000, 1..30),
            ballots in proptest::collection::vec(proptest::collection::vec(0i64..30, 0..10), 0..60),
            pot in 1i64..5_000,
        ) {
            let bids: Vec<Bid> = amounts.iter().enumerate().map(|(i, a)| bid(i as i64, *a)).collect();
            let r = tally(pot, &bids, ballots.iter().map(Vec::as_slice));
            let spent: i64 = r.funded.iter().map(|id| bids[*id as usize].amount_pence).sum();
            prop_assert!(spent <= pot);
            prop_assert_eq!(r.left_pence, pot - spent);
            for id in &r.skipped {
                prop_assert!(bids[*id as usize].amount_pence > r.left_pence);
            }
            prop_assert_eq!(r.funded.len() + r.skipped.len(), bids.len());
            // Order: votes never rise along it.
            for w in r.order.windows(2) {
                prop_assert!(r.counts[&w[0]] >= r.counts[&w[1]]);
            }
            // Deterministic, whatever order the ballots come in.
            let mut reversed = ballots.clone();
            reversed.reverse();
            let again = tally(pot, &bids, reversed.iter().map(Vec::as_slice));
            prop_assert_eq!(again, r);
        }
    }
}
