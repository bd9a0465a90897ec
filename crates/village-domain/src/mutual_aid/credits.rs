//! Time credits: time given in a match, recorded by either of the two and confirmed by the
//! other before it changes any balance; the ledger rules that keep every hub's entries
//! adding up to nothing.
//!
//! ```text
//! proposed ──confirm (the other person)──► posted
//!     │    └──dispute (the other person)──► disputed ──resolve (a coordinator)──► posted
//!     │                                              └──set_aside (a coordinator)──► set_aside
//!     └──(unanswered for the hub's delay)──► posted ──reverse (a coordinator)──► reversed
//! ```
//!
//! Either of the two may ask a coordinator, once, to take back time that was added (a
//! mistake); the coordinator takes it back (`reverse`) or keeps it (`keep`: it stays
//! `posted`, and the asking is over).
//!
//! A posted exchange is two ledger entries written together: minus the minutes for the one
//! who received the help, plus the minutes for the one who gave it. Nothing in the ledger is
//! ever changed or removed: a correction is a reversing pair (a coordinator takes back time
//! added by mistake, once).

use crate::error::ErrorCode;

coded!(
    #[schema(as = HelpExchangeState)]
    ExchangeState, "exchange state" {
        Proposed => "Waiting for the other person to confirm",
        Posted => "Confirmed",
        Disputed => "Not agreed: a coordinator will look at it",
        SetAside => "Set aside",
        Reversed => "Taken back: it was a mistake",
    }
);

coded!(
    #[schema(as = HelpExchangeAction)]
    ExchangeAction, "exchange action" {
        Confirm => "Confirm",
        Dispute => "This is not right",
    }
);

/// The fewest and most minutes one exchange may record (a minute to a long day).
pub const MINUTES: std::ops::RangeInclusive<i64> = 1..=12 * 60;

/// Where an answered exchange goes, if the one answering may answer it now.
pub fn answer(
    state: ExchangeState,
    action: ExchangeAction,
    recorded_by_me: bool,
) -> Result<ExchangeState, ErrorCode> {
    if recorded_by_me {
        return Err(ErrorCode::NotYours);
    }
    match (state, action) {
        (ExchangeState::Proposed, ExchangeAction::Confirm) => Ok(ExchangeState::Posted),
        (ExchangeState::Proposed, ExchangeAction::Dispute) => Ok(ExchangeState::Disputed),
        _ => Err(ErrorCode::NotAllowedNow),
    }
}

coded!(
    /// What a coordinator does with time the two did not agree on.
    #[schema(as = HelpSettleAction)]
    SettleAction, "settle action" {
        Resolve => "Confirm it: it is right",
        SetAside => "Set it aside: it is not added",
        Reverse => "Take it back: it was a mistake",
        Keep => "Keep it: it was right",
    }
);

/// Where an exchange goes when a coordinator settles it: a disputed one is added or set
/// aside; one already added is taken back (a reversing pair in the ledger), only once; one
/// added that someone asked to be taken back may instead be kept (`asked`: such an asking
/// waits for a coordinator).
pub fn settle(
    state: ExchangeState,
    action: SettleAction,
    asked: bool,
) -> Result<ExchangeState, ErrorCode> {
    match (state, action) {
        (ExchangeState::Disputed, SettleAction::Resolve) => Ok(ExchangeState::Posted),
        (ExchangeState::Disputed, SettleAction::SetAside) => Ok(ExchangeState::SetAside),
        (ExchangeState::Posted, SettleAction::Reverse) => Ok(ExchangeState::Reversed),
        (ExchangeState::Posted, SettleAction::Keep) if asked => Ok(ExchangeState::Posted),
        _ => Err(ErrorCode::NotAllowedNow),
    }
}

/// Whether one of the two may ask a coordinator to take this time back: only time that was
/// added, and only once (`asked_before`: whether anyone asked already, answered or not).
pub fn may_ask_to_take_back(state: ExchangeState, asked_before: bool) -> Result<(), ErrorCode> {
    if state == ExchangeState::Posted && !asked_before {
        Ok(())
    } else {
        Err(ErrorCode::NotAllowedNow)
    }
}

/// A proposed exchange posts by itself once it has waited this long unanswered (a disputed
/// one never does).
pub fn posts_by_itself(state: ExchangeState, proposed_at: i64, delay_secs: i64, now: i64) -> bool {
    state == ExchangeState::Proposed && now >= proposed_at.saturating_add(delay_secs)
}

/// The hub's limits on balances, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub lowest: i64,
    pub highest: i64,
}

/// The two entries a transfer of `minutes` from `from` to `to` writes, or why it may not:
/// a balance would go below the lowest or above the highest the hub allows. `None` is the
/// community pot, which has no limits.
pub fn transfer(
    from: (Option<i64>, i64),
    to: (Option<i64>, i64),
    minutes: i64,
    limits: Limits,
) -> Result<[(Option<i64>, i64); 2], ErrorCode> {
    if minutes <= 0 {
        return Err(ErrorCode::InvalidAmount);
    }
    let (from_id, from_balance) = from;
    let (to_id, to_balance) = to;
    if from_id.is_some() && from_balance - minutes < limits.lowest {
        return Err(ErrorCode::BalanceLimit);
    }
    if to_id.is_some() && to_balance + minutes > limits.highest {
        return Err(ErrorCode::BalanceLimit);
    }
    Ok([(from_id, -minutes), (to_id, minutes)])
}

/// "1 hour 30 minutes", "45 minutes", "2 hours": time in words.
///
/// ```
/// use village_domain::mutual_aid::credits::minutes_words;
/// assert_eq!(minutes_words(90), "1 hour 30 minutes");
/// assert_eq!(minutes_words(-120), "minus 2 hours");
/// assert_eq!(minutes_words(1), "1 minute");
/// assert_eq!(minutes_words(0), "no time");
/// ```
pub fn minutes_words(minutes: i64) -> String {
    if minutes == 0 {
        return "no time".into();
    }
    let sign = if minutes < 0 { "minus " } else { "" };
    let m = minutes.unsigned_abs();
    let (h, m) = (m / 60, m % 60);
    let part = |n: u64, one: &str| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {one}s")),
    };
    let words: Vec<String> = [part(h, "hour"), part(m, "minute")]
        .into_iter()
        .flatten()
        .collect();
    format!("{sign}{}", words.join(" "))
}

/// Hours and minutes as people type them: "90", "1:30", "1h30", "1 hour 30", "1.5 hours",
/// "45 minutes". In minutes.
///
/// ```
/// use village_domain::mutual_aid::credits::read_minutes;
/// assert_eq!(read_minutes("1:30"), Some(90));
/// assert_eq!(read_minutes("1 hour 30"), Some(90));
/// assert_eq!(read_minutes("1.5 hours"), Some(90));
/// assert_eq!(read_minutes("45 minutes"), Some(45));
/// assert_eq!(read_minutes("2h"), Some(120));
/// assert_eq!(read_minutes("lots"), None);
/// ```
pub fn read_minutes(text: &str) -> Option<i64> {
    let t = text.trim().to_ascii_lowercase();
    if let Some((h, m)) = t.split_once(':') {
        return Some(h.trim().parse::<i64>().ok()? * 60 + m.trim().parse::<i64>().ok()?);
    }
    let spaced: String = t
        .chars()
        .map(|c| if c.is_ascii_alphabetic() { ' ' } else { c })
        .collect();
    let numbers: Vec<&str> = spaced.split_whitespace().collect();
    let hours_named = t.contains('h');
    match numbers.as_slice() {
        [n] if hours_named => {
            let h: f64 = n.parse().ok()?;
            (h.is_finite() && h >= 0.0).then(|| (h * 60.0).round() as i64)
        }
        [n] => n.parse::<i64>().ok(),
        [h, m] if hours_named => Some(h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_disputed_exchange_is_settled_and_only_an_added_one_taken_back_once() {
        use ExchangeState::*;
        for &state in ExchangeState::ALL {
            for &action in SettleAction::ALL {
                for asked in [false, true] {
                    let expected = match (state, action) {
                        (Disputed, SettleAction::Resolve) => Ok(Posted),
                        (Disputed, SettleAction::SetAside) => Ok(SetAside),
                        (Posted, SettleAction::Reverse) => Ok(Reversed),
                        (Posted, SettleAction::Keep) if asked => Ok(Posted),
                        _ => Err(ErrorCode::NotAllowedNow),
                    };
                    assert_eq!(
                        settle(state, action, asked),
                        expected,
                        "{state:?} {action:?} {asked}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_added_time_may_be_asked_to_be_taken_back_and_only_once() {
        for &state in ExchangeState::ALL {
            for asked_before in [false, true] {
                let expected = if state == ExchangeState::Posted && !asked_before {
                    Ok(())
                } else {
                    Err(ErrorCode::NotAllowedNow)
                };
                assert_eq!(
                    may_ask_to_take_back(state, asked_before),
                    expected,
                    "{state:?} {asked_before}"
                );
            }
        }
    }

    use super::*;
    use proptest::prelude::*;

    const LIMITS: Limits = Limits {
        lowest: -600,
        highest: 6000,
    };

    #[test]
    fn only_the_other_person_answers_and_only_once() {
        use ExchangeAction::*;
        use ExchangeState::*;
        assert_eq!(answer(Proposed, Confirm, false), Ok(Posted));
        assert_eq!(answer(Proposed, Dispute, false), Ok(Disputed));
        assert_eq!(answer(Proposed, Confirm, true), Err(ErrorCode::NotYours));
        for s in [Posted, Disputed, SetAside] {
            assert_eq!(answer(s, Confirm, false), Err(ErrorCode::NotAllowedNow));
        }
    }

    #[test]
    fn a_dispute_never_posts_by_itself() {
        let day = 86_400;
        assert!(!posts_by_itself(
            ExchangeState::Proposed,
            0,
            14 * day,
            14 * day - 1
        ));
        assert!(posts_by_itself(
            ExchangeState::Proposed,
            0,
            14 * day,
            14 * day
        ));
        assert!(!posts_by_itself(
            ExchangeState::Disputed,
            0,
            14 * day,
            100 * day
        ));
    }

    #[test]
    fn a_transfer_keeps_within_the_limits_except_for_the_pot() {
        assert_eq!(
            transfer((Some(1), -590), (Some(2), 0), 10, LIMITS),
            Ok([(Some(1), -10), (Some(2), 10)])
        );
        assert_eq!(
            transfer((Some(1), -590), (Some(2), 0), 11, LIMITS),
            Err(ErrorCode::BalanceLimit)
        );
        assert_eq!(
            transfer((Some(1), 0), (Some(2), 5995), 6, LIMITS),
            Err(ErrorCode::BalanceLimit)
        );
        assert!(transfer((None, -100_000), (Some(2), 0), 60, LIMITS).is_ok());
        assert!(transfer((Some(1), 600), (None, 100_000), 60, LIMITS).is_ok());
    }

    proptest! {
        /// Whatever is moved between whom, every transfer's two entries add up to nothing,
        /// so the ledger always does.
        #[test]
        fn every_transfer_adds_up_to_nothing(moves in proptest::collection::vec((0usize..4, 0usize..4, 1i64..200), 0..300)) {
            let mut balances = [0i64; 4];
            let mut total = 0i64;
            for (from, to, minutes) in moves {
                if from == to {
                    continue;
                }
                let id = |i: usize| if i == 3 { None } else { Some(i as i64) };
                if let Ok(entries) = transfer((id(from), balances[from]), (id(to), balances[to]), minutes, LIMITS) {
                    balances[from] += entries[0].1;
                    balances[to] += entries[1].1;
                    total += entries[0].1 + entries[1].1;
                }
                prop_assert_eq!(total, 0);
                prop_assert_eq!(balances.iter().sum::<i64>(), 0);
                for b in &balances[..3] {
                    prop_assert!((LIMITS.lowest..=LIMITS.highest).contains(b));
                }
            }
        }

        #[test]
        fn minutes_read_back_from_their_words(m in 1i64..2000) {
            let words = minutes_words(m).replace(" minutes", "").replace(" minute", "").replace(" hours", "h").replace(" hour", "h");
            prop_assert_eq!(read_minutes(&words), Some(m));
        }
    }
}
