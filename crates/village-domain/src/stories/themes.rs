//! Themes: tags the hub sets (in settings), which a steward picks for a story when they read
//! it, so readers can find stories by what they are about ("Good support", "Getting out").

use serde::{Deserialize, Serialize};

/// A theme: a short code for addresses and the API, and its name for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub code: String,
    pub name: String,
}

/// The themes a hub starts with.
pub fn starting() -> Vec<Theme> {
    [
        ("good_support", "Good support"),
        ("could_be_better", "Could be better"),
        ("getting_out", "Getting out"),
        ("being_heard", "Being heard"),
    ]
    .into_iter()
    .map(|(code, name)| Theme {
        code: code.into(),
        name: name.into(),
    })
    .collect()
}

/// The themes picked, each once, in the hub's order; `None` when one is not the hub's.
pub fn pick(hub: &[Theme], codes: &[String]) -> Option<Vec<String>> {
    let codes: Vec<&str> = codes
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.iter().any(|c| !hub.iter().any(|t| t.code == *c)) {
        return None;
    }
    Some(
        hub.iter()
            .filter(|t| codes.contains(&t.code.as_str()))
            .map(|t| t.code.clone())
            .collect(),
    )
}

/// The name of a theme, as the hub has it.
pub fn name<'a>(hub: &'a [Theme], code: &str) -> Option<&'a str> {
    hub.iter().find(|t| t.code == code).map(|t| t.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_hub_s_themes_are_picked_once_each_in_its_order() {
        let hub = starting();
        let codes = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            pick(
                &hub,
                &codes(&["being_heard", "good_support", "being_heard", " "])
            ),
            Some(codes(&["good_support", "being_heard"]))
        );
        assert_eq!(pick(&hub, &codes(&["good_support", "cats"])), None);
        assert_eq!(pick(&hub, &[]), Some(vec![]));
        assert_eq!(name(&hub, "getting_out"), Some("Getting out"));
        assert_eq!(name(&hub, "cats"), None);
    }
}
