//! The loop that closes: four weeks after a story's first answer, and again at twelve, its
//! teller is asked "Did things change?"; and a group's figures over the stories about it.

coded!(
    /// What the teller says about whether things changed.
    #[schema(as = StoryChanged)]
    Changed, "story follow-up" {
        Yes => "Yes",
        Partly => "Partly",
        No => "No",
        NotSure => "Not sure",
    }
);

impl Changed {
    /// `partly` and `no` keep the story open: the group sees there is more to do.
    pub fn keeps_open(self) -> bool {
        matches!(self, Changed::Partly | Changed::No)
    }
}

/// The weeks after the first answer when the teller is asked.
pub const ASK_WEEKS: [i64; 2] = [4, 12];

const WEEK: i64 = 7 * 86_400;

/// The weeks whose asking is due at `now` and not yet done, given when the first answer
/// came and the weeks already asked. The teller is asked once for all of them (a server
/// that was down for a while does not ask twice in a row).
pub fn weeks_due(first_answer_at: i64, asked: &[i64], now: i64) -> Vec<i64> {
    ASK_WEEKS
        .iter()
        .copied()
        .filter(|w| now >= first_answer_at + w * WEEK && !asked.contains(w))
        .collect()
}

/// What is known about one published story about a group, for its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryFacts {
    pub published_at: i64,
    /// When the group first answered it.
    pub first_answer_at: Option<i64>,
    /// The group said a change was made.
    pub change_made: bool,
    /// The teller's newest answer to "Did things change?".
    pub said: Option<Changed>,
}

/// A group's figures over its published stories.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// How many published stories name the group.
    pub stories: usize,
    /// How many it answered.
    pub answered: usize,
    /// The middle number of days from publishing to its first answer (of those answered).
    pub median_days_to_first_answer: Option<f64>,
    /// How many where it said a change was made.
    pub change_made: usize,
    /// How many whose tellers said things changed (`yes`).
    pub said_changed: usize,
}

impl Figures {
    /// A share of the stories, from 0 to 1 (0 when there are none).
    pub fn share(&self, n: usize) -> f64 {
        if self.stories == 0 {
            0.0
        } else {
            n as f64 / self.stories as f64
        }
    }
}

pub fn figures(facts: &[StoryFacts]) -> Figures {
    let mut days: Vec<f64> = facts
        .iter()
        .filter_map(|f| {
            f.first_answer_at
                .map(|a| (a - f.published_at).max(0) as f64 / 86_400.0)
        })
        .collect();
    days.sort_by(f64::total_cmp);
    let median = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2]),
        n => Some((days[n / 2 - 1] + days[n / 2]) / 2.0),
    };
    Figures {
        stories: facts.len(),
        answered: facts.iter().filter(|f| f.first_answer_at.is_some()).count(),
        median_days_to_first_answer: median,
        change_made: facts.iter().filter(|f| f.change_made).count(),
        said_changed: facts
            .iter()
            .filter(|f| f.said == Some(Changed::Yes))
            .count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_teller_is_asked_at_four_and_twelve_weeks_once_each() {
        let a = 1_000;
        assert!(weeks_due(a, &[], a + 4 * WEEK - 1).is_empty());
        assert_eq!(weeks_due(a, &[], a + 4 * WEEK), [4]);
        assert!(weeks_due(a, &[4], a + 5 * WEEK).is_empty());
        assert_eq!(weeks_due(a, &[4], a + 12 * WEEK), [12]);
        assert_eq!(weeks_due(a, &[], a + 13 * WEEK), [4, 12]);
        assert!(weeks_due(a, &[4, 12], a + 50 * WEEK).is_empty());
    }

    #[test]
    fn figures_count_what_happened() {
        let d = 86_400;
        let f = |first: Option<i64>, made: bool, said: Option<Changed>| StoryFacts {
            published_at: 0,
            first_answer_at: first,
            change_made: made,
            said,
        };
        let figs = figures(&[
            f(Some(2 * d), true, Some(Changed::Yes)),
            f(Some(4 * d), false, Some(Changed::No)),
            f(Some(9 * d), true, None),
            f(Some(d), false, Some(Changed::Yes)),
            f(None, false, None),
        ]);
        assert_eq!(
            figs,
            Figures {
                stories: 5,
                answered: 4,
                median_days_to_first_answer: Some(3.0),
                change_made: 2,
                said_changed: 2,
            }
        );
        assert_eq!(figs.share(figs.answered), 0.8);
        assert_eq!(figures(&[]).median_days_to_first_answer, None);
        assert_eq!(figures(&[]).share(0), 0.0);
        assert!(Changed::Partly.keeps_open() && !Changed::NotSure.keeps_open());
    }
}
