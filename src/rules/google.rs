//! Google's rules for service-account keys and the JWT assertions it accepts.
//! Sources: `shared/reference/salesforce-google.md`.

/// Google's OAuth token endpoint (the `aud` of a JWT-bearer assertion).
pub const TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// The older token endpoint some guides still show.
pub const LEGACY_TOKEN_URI: &str = "https://accounts.google.com/o/oauth2/token";
/// The password Google puts on every P12 key.
pub const P12_PASSWORD: &str = "notasecret";
/// Longest lifetime Google accepts for an assertion (`exp - iat`).
pub const MAX_LIFETIME_SECS: i64 = 3600;
