//! People at the centre on the web: profile pages and API (`pages`, `api`), the circle of
//! support (`circle_pages`), conversations with connectors (`conversations`), and "your
//! information" (download, who has looked, sharing choices, forget me) below. The profile and
//! circle use cases are `village_app::people`.

pub mod api;
pub mod circle_pages;
pub mod conversations;
pub mod pages;
