//! The community directory on the web: the Open Referral UK 3.0 API under `/oruk/`, and the
//! import and export the `village` command runs. Pages for searching and suggesting changes
//! come next (issue 3).

pub mod import;
pub mod oruk;
