//! Village's pure rules and types.
//!
//! Nothing in this crate does IO, reads the clock or draws random numbers: time and ids are
//! passed in, so every rule can be tested exactly. Each capability is a module with the same
//! name in `village-store` and `village-web`.

/// A code read back from storage that names no variant: reading it is an error, never a
/// guess at what was meant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the stored {kind} {code:?} is not one Village knows")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// `TryFrom<String>` for an enum with `parse(&str) -> Option<Self>`, so a store row can carry
/// the enum itself (`#[sqlx(try_from = "String")]`), decoded once when it is read.
macro_rules! stored_code {
    ($type:ty, $kind:literal) => {
        impl TryFrom<String> for $type {
            type Error = $crate::UnknownCode;
            fn try_from(code: String) -> Result<Self, Self::Error> {
                <$type>::parse(&code).ok_or($crate::UnknownCode { kind: $kind, code })
            }
        }
    };
}

/// An enum stored and sent as a snake_case code, with plain words for pages.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident, $kind:literal { $($(#[$vm:meta])* $variant:ident => $words:literal),+ $(,)? }) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
            utoipa::ToSchema, strum::IntoStaticStr, strum::EnumString, strum::VariantArray,
        )]
        $(#[$m])*
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum $name {
            $($(#[$vm])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = <$name as strum::VariantArray>::VARIANTS;

            pub fn code(self) -> &'static str {
                self.into()
            }

            pub fn parse(code: &str) -> Option<Self> {
                code.trim().parse().ok()
            }

            /// Plain words for pages.
            pub fn words(self) -> &'static str {
                match self {
                    $($name::$variant => $words),+
                }
            }
        }

        stored_code!($name, $kind);
    };
}

pub mod access;
pub mod accounts;
pub mod audit;
pub mod connections;
pub mod dates;
pub mod decisions;
pub mod directory;
pub mod error;
pub mod gatherings;
pub mod mutual_aid;
pub mod people;
pub mod privacy;
pub mod stories;
pub mod text;

#[cfg(test)]
mod stored_codes;

/// Seconds since the Unix epoch. The web layer reads the clock once per request and passes it in.
pub type Timestamp = i64;
