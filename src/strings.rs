//! User-facing words used in more than one place, so wording is reviewed together.

pub const APP: &str = "labbook";
