//! Awards from a participatory budgeting round as 360Giving 1.4 data (a JSON package and the
//! standard's flat CSV), so funders and researchers can see where community money went.

use crate::error::ErrorCode;
use serde_json::{json, Value};

/// Who gives the money, as 360Giving names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funder {
    /// The hub's 360Giving prefix, e.g. `360G-meadowfield` (grant and group ids start with it).
    pub prefix: String,
    /// The funding organisation's identifier (a registered one, or one made with the prefix).
    pub id: String,
    pub name: String,
}

/// One funded bid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub round_id: i64,
    pub bid_id: i64,
    pub title: String,
    pub description: String,
    pub amount_pence: i64,
    pub applied_pence: i64,
    /// YYYY-MM-DD: when the results were published.
    pub award_date: String,
    pub recipient_name: String,
    /// A registered charity number, if the group has one.
    pub charity_number: Option<String>,
    /// The round's name (the grant programme).
    pub programme: String,
    /// RFC 3339, when the record last changed.
    pub modified: String,
}

impl Award {
    pub fn grant_id(&self, funder: &Funder) -> String {
        format!(
            "{}-round-{}-bid-{}",
            funder.prefix, self.round_id, self.bid_id
        )
    }

    /// A registered charity's number in the org-id.guide scheme, or an identifier made with
    /// the hub's prefix for groups that are not registered (most of them).
    pub fn recipient_id(&self, funder: &Funder) -> String {
        match &self.charity_number {
            Some(n) => format!("GB-CHC-{n}"),
            None => format!("{}-group-{}-{}", funder.prefix, self.round_id, self.bid_id),
        }
    }
}

/// Pence as 360Giving amounts: pounds, with pence only where there are any.
fn amount(pence: i64) -> Value {
    if pence % 100 == 0 {
        json!(pence / 100)
    } else {
        json!(pence as f64 / 100.0)
    }
}

/// The 360Giving package for these awards.
pub fn package(funder: &Funder, awards: &[Award]) -> Value {
    let grants: Vec<Value> = awards
        .iter()
        .map(|a| {
            json!({
                "id": a.grant_id(funder),
                "title": a.title,
                "description": a.description,
                "currency": "GBP",
                "amountAppliedFor": amount(a.applied_pence),
                "amountAwarded": amount(a.amount_pence),
                "awardDate": a.award_date,
                "recipientOrganization": [{"id": a.recipient_id(funder), "name": a.recipient_name}],
                "fundingOrganization": [{"id": funder.id, "name": funder.name}],
                "grantProgramme": [{"code": format!("{}-round-{}", funder.prefix, a.round_id), "title": a.programme}],
                "fromOpenCall": "Yes",
                "dateModified": a.modified,
            })
        })
        .collect();
    json!({
        "version": "1.4",
        "title": format!("Community micro-grants from {}", funder.name),
        "grants": grants,
    })
}

/// The column titles of the 360Giving flat CSV, in order.
pub const CSV_COLUMNS: [&str; 14] = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Last Modified",
];

/// One CSV row for an award, in the order of [`CSV_COLUMNS`].
pub fn csv_row(funder: &Funder, a: &Award) -> [String; 14] {
    let money = |p: i64| {
        if p % 100 == 0 {
            (p / 100).to_string()
        } else {
            format!("{}.{:02}", p / 100, p % 100)
        }
    };
    [
        a.grant_id(funder),
        a.title.clone(),
        a.description.clone(),
        "GBP".to_string(),
        money(a.applied_pence),
        money(a.amount_pence),
        a.award_date.clone(),
        a.recipient_id(funder),
        a.recipient_name.clone(),
        funder.id.clone(),
        funder.name.clone(),
        format!("{}-round-{}", funder.prefix, a.round_id),
        a.programme.clone(),
        a.modified.clone(),
    ]
}

/// A registered charity number: digits, optionally with a dash and a subsidiary number.
pub fn check_charity_number(n: &str) -> Result<Option<String>, crate::accounts::FieldError> {
    let n = n.trim();
    if n.is_empty() {
        return Ok(None);
    }
    let ok = n.len() <= 12
        && n.split('-').count() <= 2
        && n.split('-')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if !ok {
        return Err(crate::accounts::FieldError::new(
            "charity_number",
            ErrorCode::InvalidCharityNumber,
            "A charity number is digits, like 1123456. Leave it empty if the group is not a registered charity.",
        ));
    }
    Ok(Some(n.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_pounds() {
        assert_eq!(amount(250_000), json!(2500));
        assert_eq!(amount(1_250), json!(12.5));
    }

    #[test]
    fn registered_and_unregistered_groups_get_identifiers() {
        let f = Funder {
            prefix: "360G-meadowfield".into(),
            id: "360G-meadowfield".into(),
            name: "Meadowfield".into(),
        };
        let mut a = Award {
            round_id: 2,
            bid_id: 9,
            title: "Seeds".into(),
            description: "Seeds for the garden".into(),
            amount_pence: 5_000,
            applied_pence: 5_000,
            award_date: "2026-11-01".into(),
            recipient_name: "Allotment friends".into(),
            charity_number: None,
            programme: "Fund".into(),
            modified: "2026-11-01T10:00:00Z".into(),
        };
        assert_eq!(a.recipient_id(&f), "360G-meadowfield-group-2-9");
        a.charity_number = Some("1123456".into());
        assert_eq!(a.recipient_id(&f), "GB-CHC-1123456");
        assert_eq!(a.grant_id(&f), "360G-meadowfield-round-2-bid-9");
        assert_eq!(check_charity_number(" "), Ok(None));
        assert!(check_charity_number("12ab").is_err());
        assert_eq!(
            check_charity_number("1123456-1"),
            Ok(Some("1123456-1".into()))
        );
    }
}
