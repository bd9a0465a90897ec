//! Mutual aid: neighbours' asks and offers on one board (`post`), a match between the person
//! who posted and the person who answered, whose contact details stay private until both say
//! yes (`matches`, with `contact` spotting details written into messages too soon).

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

pub mod contact;
pub mod credits;
pub mod matches;
pub mod post;
pub mod safety;
