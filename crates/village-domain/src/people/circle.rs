//! The circle of support: the people in a person's life, in four rings, drawn as a picture.

use crate::accounts::FieldError;
use crate::error::ErrorCode;
use serde::Serialize;

/// How close someone is. The codes are stable (stored and used in the API).
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
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Ring {
    Close,
    FamilyFriends,
    Community,
    Paid,
}

stored_code!(Ring, "circle ring");

impl Ring {
    pub const ALL: &'static [Ring] = <Ring as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.trim().parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            Ring::Close => "Close to me",
            Ring::FamilyFriends => "Family and friends",
            Ring::Community => "Community: groups and neighbours",
            Ring::Paid => "Paid support",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Ring::Close => "The people you are closest to and would turn to first.",
            Ring::FamilyFriends => "Family, friends and people you enjoy being with.",
            Ring::Community => {
                "Neighbours, groups, clubs, your place of worship, people you see around."
            }
            Ring::Paid => {
                "People paid to support you: a personal assistant, care worker, GP, social worker."
            }
        }
    }

    /// A gentle prompt where a ring is empty, with the directory categories worth a look.
    pub fn empty_prompt(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Ring::Close => ("Nobody here yet. Friendships often start at something you enjoy.", &["social"]),
            Ring::FamilyFriends => ("Nobody here yet. Groups built around what you love are a good place to meet people.", &["social", "arts"]),
            Ring::Community => ("Nobody here yet. There may be groups near you for the things you are interested in.", &["social", "volunteering", "peer_support"]),
            Ring::Paid => ("Nobody here, which is fine. If you want advice or support, these may help.", &["advice", "health"]),
        }
    }
}

/// Where an invitation to a member is up to. A named entry (not a member) is always `listed`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum LinkStatus {
    Listed,
    Invited,
    Accepted,
    Declined,
}

stored_code!(LinkStatus, "circle link status");

impl LinkStatus {
    pub const ALL: &'static [LinkStatus] = <LinkStatus as strum::VariantArray>::VARIANTS;

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

/// A checked name for a circle entry.
pub fn check_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldError::new(
            "name",
            ErrorCode::NameMissing,
            "Enter their name, or what you call them.",
        ));
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new(
            "name",
            ErrorCode::NameTooLong,
            "Keep the name under 100 characters.",
        ));
    }
    Ok(name.to_string())
}

/// Private contact details (only the person sees them).
pub fn check_contact(contact: &str) -> Result<String, FieldError> {
    let contact = contact.trim();
    if contact.chars().count() > 500 {
        return Err(FieldError::new(
            "contact",
            ErrorCode::ContactTooLong,
            "Keep contact details under 500 characters.",
        ));
    }
    Ok(contact.to_string())
}

/// One person in the picture: where they sit.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
}

/// Positions on the picture for `counts[ring]` people per ring: rings are circles around
/// the person at the centre, people evenly spaced on their ring, starting at the top.
pub fn layout(counts: [usize; 4], size: f64) -> Vec<Vec<Placed>> {
    let centre = size / 2.0;
    let step = ring_step(size);
    counts
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let radius = step * (i as f64 + 1.0) + step * 0.5;
            (0..n)
                .map(|k| {
                    // Offset each ring a little so names do not stack up in a column.
                    let angle = -std::f64::consts::FRAC_PI_2
                        + (k as f64) * std::f64::consts::TAU / (n as f64)
                        + (i as f64) * 0.35;
                    Placed {
                        x: centre + radius * angle.cos(),
                        y: centre + radius * angle.sin(),
                    }
                })
                .collect()
        })
        .collect()
}

/// The width of each ring in a picture `size` across: the outer ring (the edge of ring 3,
/// at five steps) stays inside the picture.
pub fn ring_step(size: f64) -> f64 {
    size / 2.0 / 5.3
}

/// The outer edge of ring `i` (0 is the closest), to draw it.
pub fn ring_edge(i: usize, size: f64) -> f64 {
    ring_step(size) * (i as f64 + 2.0)
}

/// A name for the picture, in at most two lines of about `width` characters each, broken
/// between words; a name too long for that ends with "…" (the table gives it whole).
pub fn label_lines(name: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in name.split_whitespace() {
        let Some(line) = lines.last_mut() else {
            break;
        };
        if line.is_empty() || line.chars().count() + 1 + word.chars().count() <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    if lines.len() > 2 || lines.iter().any(|l| l.chars().count() > width) {
        lines.truncate(2);
        for line in &mut lines {
            if line.chars().count() > width {
                *line = line.chars().take(width - 1).collect::<String>() + "…";
            }
        }
        if let Some(last) = lines.last_mut() {
            if !last.ends_with('…') {
                last.push('…');
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_wrap_between_words_and_fit() {
        assert_eq!(label_lines("Tunde (son)", 16), ["Tunde (son)"]);
        assert_eq!(label_lines("St Anne's choir", 16), ["St Anne's choir"]);
        assert_eq!(
            label_lines("Marie, my personal assistant", 16),
            ["Marie, my", "personal…"]
        );
        assert_eq!(
            label_lines("Folake (sister, Lagos)", 16),
            ["Folake (sister,", "Lagos)"]
        );
        assert_eq!(
            label_lines("Bartholomew-Fitzwilliam", 16),
            ["Bartholomew-Fit…"]
        );
    }

    #[test]
    fn rings_fit_inside_the_picture() {
        assert!(ring_edge(3, 440.0) <= 220.0);
    }

    #[test]
    fn rings_parse_back() {
        for &r in Ring::ALL {
            assert_eq!(Ring::parse(r.code()), Some(r));
            for code in r.empty_prompt().1 {
                assert!(
                    crate::directory::taxonomy::category_by_code(code).is_some(),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn everyone_is_placed_on_their_ring_inside_the_picture() {
        let placed = layout([1, 3, 8, 0], 400.0);
        assert_eq!(
            placed.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![1, 3, 8, 0]
        );
        let mut last = 0.0;
        for ring in &placed {
            for p in ring {
                assert!(p.x > 0.0 && p.x < 400.0 && p.y > 0.0 && p.y < 400.0);
                let r = ((p.x - 200.0).powi(2) + (p.y - 200.0).powi(2)).sqrt();
                assert!(r > last);
            }
            if let Some(p) = ring.first() {
                last = ((p.x - 200.0).powi(2) + (p.y - 200.0).powi(2)).sqrt() - 1.0;
            }
        }
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name("  ").is_err());
        assert_eq!(check_name(" Aunty Pat ").ok().as_deref(), Some("Aunty Pat"));
        assert!(check_name(&"x".repeat(101)).is_err());
    }
}
