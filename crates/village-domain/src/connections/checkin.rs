//! Check-ins a person owns: the four ONS personal wellbeing questions (0 to 10, any can be
//! skipped) at the start, after six weeks and after three months, with "what has changed for
//! you" in their own words; and a simple chart of their answers.

use crate::accounts::FieldError;
use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};

/// The four ONS personal wellbeing questions, as the ONS asks them.
pub const QUESTIONS: [(&str, &str); 4] = [
    (
        "satisfied",
        "Overall, how satisfied are you with your life nowadays?",
    ),
    (
        "worthwhile",
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
    ),
    ("happy", "Overall, how happy did you feel yesterday?"),
    ("anxious", "Overall, how anxious did you feel yesterday?"),
];

/// Which check-in this is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Moment {
    Start,
    SixWeeks,
    ThreeMonths,
}

stored_code!(Moment, "check-in moment");

impl Moment {
    pub const ALL: &'static [Moment] = <Moment as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.parse().ok()
    }

    pub fn words(self) -> &'static str {
        match self {
            Moment::Start => "At the start",
            Moment::SixWeeks => "After six weeks",
            Moment::ThreeMonths => "After three months",
        }
    }

    /// The check-in named in a sentence: "Your check-in after six weeks".
    pub fn due_words(self) -> &'static str {
        match self {
            Moment::Start => "to start with",
            Moment::SixWeeks => "after six weeks",
            Moment::ThreeMonths => "after three months",
        }
    }

    /// Days after the first check-in when this one is due.
    pub fn due_after_days(self) -> i64 {
        match self {
            Moment::Start => 0,
            Moment::SixWeeks => 42,
            Moment::ThreeMonths => 91,
        }
    }
}

/// One check-in's answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Answers {
    pub satisfied: Option<i64>,
    pub worthwhile: Option<i64>,
    pub happy: Option<i64>,
    pub anxious: Option<i64>,
    /// What has changed for you, in your own words.
    #[serde(default)]
    pub changed: String,
}

impl Answers {
    pub fn scores(&self) -> [Option<i64>; 4] {
        [self.satisfied, self.worthwhile, self.happy, self.anxious]
    }

    /// Every score 0 to 10 (or skipped), the words under 2,000 characters, and something
    /// answered. Problems name the field.
    pub fn check(mut self) -> Result<Self, FieldError> {
        for ((key, _), v) in QUESTIONS.iter().zip(self.scores()) {
            if let Some(v) = v {
                if !(0..=10).contains(&v) {
                    return Err(FieldError::new(
                        key,
                        ErrorCode::ScoreOutOfRange,
                        "Choose a number from 0 to 10, or leave it out.",
                    ));
                }
            }
        }
        self.changed = self.changed.trim().replace("\r\n", "\n");
        if self.changed.chars().count() > 2_000 {
            return Err(FieldError::new(
                "changed",
                ErrorCode::TooLong,
                "Please keep this under 2,000 characters.",
            ));
        }
        if self.scores().iter().all(Option::is_none) && self.changed.is_empty() {
            return Err(FieldError::new(
                "satisfied",
                ErrorCode::NothingAnswered,
                "Answer at least one question, or write what has changed.",
            ));
        }
        Ok(self)
    }
}

/// The next check-in and when it is due, given the ones done (moment, time) so far.
pub fn next_due(done: &[(Moment, i64)]) -> Option<(Moment, i64)> {
    let start = done
        .iter()
        .find(|(m, _)| *m == Moment::Start)
        .map(|(_, t)| *t)?;
    Moment::ALL
        .iter()
        .copied()
        .find(|m| !done.iter().any(|(d, _)| d == m))
        .map(|m| (m, start + m.due_after_days() * 86_400))
}

/// A line chart of the answers as SVG (server-drawn, no script): one line per question over
/// the check-ins in order, 0 to 10 upwards. Its text alternative is the table beside it.
pub fn chart(checkins: &[(String, Answers)]) -> String {
    const W: f64 = 320.0;
    const H: f64 = 200.0;
    const LEFT: f64 = 28.0;
    const BOTTOM: f64 = 24.0;
    const TOP: f64 = 10.0;
    let colours = ["#1d5e3a", "#1f4e8c", "#8a4b00", "#6b2c6b"];
    let dashes = ["", "6 3", "2 3", "10 3 2 3"];
    let n = checkins.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            LEFT + (W - LEFT - 20.0) / 2.0
        } else {
            LEFT + (W - LEFT - 20.0) * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: i64| TOP + (H - TOP - BOTTOM) * (10 - v) as f64 / 10.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" class=\"chart\">\
<title id=\"chart-title\">Your wellbeing answers over time</title>\
<desc id=\"chart-desc\">Four lines, one for each question, from 0 to 10. The table below gives every answer.</desc>"
    );
    for v in [0, 5, 10] {
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#767676\" stroke-width=\"0.5\"/><text x=\"4\" y=\"{}\" font-size=\"10\" fill=\"#333\">{v}</text>",
            W - 10.0,
            y(v) + 3.0,
            y = y(v)
        ));
    }
    for (i, (label, _)) in checkins.iter().enumerate() {
        let short: String = label.chars().take(12).collect();
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#333\">{}</text>",
            x(i),
            H - 8.0,
            escape(&short)
        ));
    }
    for (q, ((key, _), (colour, dash))) in
        QUESTIONS.iter().zip(colours.iter().zip(dashes)).enumerate()
    {
        let points: Vec<(f64, f64)> = checkins
            .iter()
            .enumerate()
            .filter_map(|(i, (_, a))| a.scores()[q].map(|v| (x(i), y(v))))
            .collect();
        if points.len() > 1 {
            let path: Vec<String> = points
                .iter()
                .map(|(a, b)| format!("{a:.1},{b:.1}"))
                .collect();
            svg.push_str(&format!(
                "<polyline data-question=\"{key}\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/>",
                path.join(" ")
            ));
        }
        for (a, b) in points {
            svg.push_str(&format!(
                "<circle data-question=\"{key}\" cx=\"{a:.1}\" cy=\"{b:.1}\" r=\"3\" fill=\"{colour}\"/>"
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_checked_by_field() {
        let ok = Answers {
            satisfied: Some(7),
            changed: " More company. ".into(),
            ..Answers::default()
        };
        assert_eq!(
            ok.check().map(|a| a.changed),
            Ok("More company.".to_string())
        );
        let bad = Answers {
            happy: Some(11),
            ..Answers::default()
        };
        assert_eq!(bad.check().map_err(|e| e.field), Err("happy"));
        assert_eq!(
            Answers::default().check().map_err(|e| e.code.as_str()),
            Err("nothing_answered")
        );
    }

    #[test]
    fn check_ins_fall_due_after_six_weeks_and_three_months() {
        assert_eq!(next_due(&[]), None);
        assert_eq!(
            next_due(&[(Moment::Start, 1_000)]),
            Some((Moment::SixWeeks, 1_000 + 42 * 86_400))
        );
        assert_eq!(
            next_due(&[(Moment::Start, 0), (Moment::SixWeeks, 50 * 86_400)]),
            Some((Moment::ThreeMonths, 91 * 86_400))
        );
        assert_eq!(
            next_due(&[
                (Moment::Start, 0),
                (Moment::SixWeeks, 1),
                (Moment::ThreeMonths, 2)
            ]),
            None
        );
    }

    #[test]
    fn the_chart_draws_each_answer() {
        let a = |s, h| Answers {
            satisfied: Some(s),
            happy: h,
            ..Answers::default()
        };
        let svg = chart(&[
            ("Start".into(), a(4, Some(3))),
            ("Six weeks".into(), a(7, None)),
        ]);
        assert!(svg.starts_with("<svg") && svg.contains("<title"));
        assert_eq!(
            svg.matches("<circle data-question=\"satisfied\"").count(),
            2
        );
        assert_eq!(svg.matches("<circle data-question=\"happy\"").count(), 1);
        assert_eq!(svg.matches("<polyline").count(), 1);
    }
}
