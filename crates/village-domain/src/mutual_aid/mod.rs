//! Mutual aid: neighbours' asks and offers on one board (`post`), a match between the person
//! who posted and the person who answered, whose contact details stay private until both say
//! yes (`matches`, with `contact` spotting details written into messages too soon).

pub mod contact;
pub mod credits;
pub mod matches;
pub mod post;
pub mod safety;
