//! Free text people type (a reason, a note, a summary): one check for every capability.

use crate::accounts::FieldError;
use crate::error::ErrorCode;

/// Trim it, make line endings plain, and check it is there when `required` and no longer
/// than `max` characters. `what` finishes the sentence "Write …" when it is missing.
///
/// ```
/// use village_domain::text::check;
/// assert_eq!(check("reason", "  Too far \r\n", true, 100, "your reason").as_deref(), Ok("Too far"));
/// assert_eq!(check("reason", " ", true, 100, "your reason").map_err(|e| e.code.as_str()), Err("text_missing"));
/// assert_eq!(check("reason", "", false, 100, "your reason").as_deref(), Ok(""));
/// assert_eq!(check("reason", "abc", false, 2, "your reason").map_err(|e| e.code.as_str()), Err("too_long"));
/// ```
pub fn check(
    field: &'static str,
    value: &str,
    required: bool,
    max: usize,
    what: &str,
) -> Result<String, FieldError> {
    let value = value.trim().replace("\r\n", "\n");
    if required && value.is_empty() {
        return Err(FieldError::new(
            field,
            ErrorCode::TextMissing,
            format!("Write {what}."),
        ));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(
            field,
            ErrorCode::TooLong,
            format!("Please keep this under {max} characters."),
        ));
    }
    Ok(value)
}

/// Things in a list, as said: "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
