//! Text holding a NUL character (U+0000): PostgreSQL cannot keep it, and no person types it, so
//! every form, query string and JSON body that holds one is refused before a handler runs,
//! with the field named.

use serde_json::Value;

/// Plain words for a field holding a NUL.
pub fn words(field: &str) -> String {
    format!(
        "‘{field}’ holds an invisible character (NUL, U+0000) that cannot be kept. Remove it and send again."
    )
}

/// The name of the first field of form-encoded text (a form body or a query string) whose
/// name or value holds a NUL.
pub fn in_form(encoded: &[u8]) -> Option<String> {
    // A NUL arrives as %00 or as a raw byte; most bodies have neither, and are not decoded.
    let has = encoded.contains(&0) || encoded.windows(3).any(|w| w == b"%00");
    if !has {
        return None;
    }
    form_urlencoded::parse(encoded)
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', ""))
}

/// The path (`times[1].closes`) of the first string, or object key, in a JSON body that holds
/// a NUL, if the body holds one. Only a body with a `\u0000` escape is read twice.
pub fn in_json(body: &[u8]) -> Option<String> {
    if !body.windows(6).any(|w| w == b"\\u0000") {
        return None;
    }
    let value: Value = serde_json::from_slice(body).ok()?;
    path_to_nul(&value, String::new())
}

fn path_to_nul(value: &Value, at: String) -> Option<String> {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => {
            Some(if at.is_empty() { "body".into() } else { at })
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| path_to_nul(v, format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(join(&k.replace('\0', "")))
            } else {
                path_to_nul(v, join(k))
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_name_the_field_holding_a_nul() {
        assert_eq!(in_form(b"email=a%40b.org&password=x"), None);
        assert_eq!(in_form(b"email=a%00b&password=x"), Some("email".into()));
        assert_eq!(in_form(b"q=ok&search=%00"), Some("search".into()));
        assert_eq!(in_form(b"na%00me=x"), Some("name".into()));
        assert_eq!(
            in_form(b"a=%2500"),
            None,
            "an encoded percent sign is not a NUL"
        );
    }

    #[test]
    fn json_names_the_path_to_a_nul() {
        assert_eq!(in_json(br#"{"name": "ok"}"#), None);
        assert_eq!(in_json(br#"{"name": "a\u0000b"}"#), Some("name".into()));
        assert_eq!(
            in_json(br#"{"times": [{"opens": "x"}, {"closes": "\u0000"}]}"#),
            Some("times[1].closes".into())
        );
        assert_eq!(in_json(br#"["\u0000"]"#), Some("[0]".into()));
        assert_eq!(in_json(br#""\u0000""#), Some("body".into()));
    }
}
