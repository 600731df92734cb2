//! What any OAuth 2.0 token endpoint answers to an RFC 7523 JWT-bearer request, in the
//! wording of authlib's `JWTBearerGrant` (the independent server certkit's tests run on
//! loopback, and a common base of third-party token endpoints). Source: authlib's
//! `authlib/oauth2/rfc7523/jwt_bearer.py`, measured against authlib 1.9.10 on loopback
//! (`tests/servers/token_server.py`).
//!
//! A `{}` in a description stands for any text (a claim's name).
//!
//! Facts and sources: `docs/token-endpoints.md`.

use super::{Rule, TokenError};

/// The rules of this authority: none of its own (a third party's token endpoint is checked
/// with the rules every endpoint applies, in [`super::jwt`], and the External Credential's,
/// in [`super::salesforce_jwt`]).
pub const RULES: &[Rule] = &[];

const AUTHLIB: &str =
    "authlib/authlib authlib/oauth2/rfc7523/jwt_bearer.py (tested against authlib 1.9.10 on loopback)";

/// The answers of an authlib-based (RFC 7523) token endpoint.
pub const TOKEN_ERRORS: &[TokenError] = &[
    TokenError {
        id: "oauth.bad-signature",
        error: "invalid_grant",
        description: "",
        also: &[],
        status: 400,
        cause: "the signature does not verify with the public key the server holds for iss (another key signed it)",
        fix: "register the certificate (or JWK) of the signing key with the server, or sign with the key it knows",
        check: Some("certkit verify KEYSTORE.jks --cert REGISTERED.crt"),
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.invalid-sub",
        error: "invalid_grant",
        description: "Invalid 'sub' value in assertion",
        also: &[],
        status: 400,
        cause: "the server knows no user named by sub (quotes around it count)",
        fix: "set sub to a user the server knows, without quotes",
        check: Some("certkit verify KEYSTORE.jks --cert REGISTERED.crt --iss ISSUER --sub SUBJECT --aud AUDIENCE"),
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.invalid-aud",
        error: "invalid_grant",
        description: "Invalid claim: 'aud'",
        also: &[],
        status: 400,
        cause: "aud is not an audience the server accepts (usually its token URL)",
        fix: "set aud to the server's token URL",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.invalid-claim",
        error: "invalid_grant",
        description: "Invalid claim: {}",
        also: &[],
        status: 400,
        cause: "a claim has a value the server refuses",
        fix: "set the named claim as the server expects",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.missing-claim",
        error: "invalid_grant",
        description: "Missing claim: {}",
        also: &[],
        status: 400,
        cause: "the assertion lacks a claim the server requires (aud, exp, iat, scope...)",
        fix: "add the named claim (an External Credential needs iss, sub and aud once any claim is edited)",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.expired",
        error: "invalid_grant",
        description: "The token is expired",
        also: &[],
        status: 400,
        cause: "exp is in the past (beyond the server's leeway): the signing clock is off, or exp is too short",
        fix: "check the clock; sign a new assertion",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.issued-in-the-future",
        error: "invalid_grant",
        description: "The token was issued in the future",
        also: &[],
        status: 400,
        cause: "iat is ahead of the server's clock",
        fix: "check the clock of the machine that signs",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.not-yet-valid",
        error: "invalid_grant",
        description: "The token is not yet valid",
        also: &[],
        status: 400,
        cause: "nbf is ahead of the server's clock",
        fix: "check the clock of the machine that signs",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.unknown-client",
        error: "invalid_grant",
        description: "The client does not exist on this server.",
        also: &[],
        status: 400,
        cause: "iss names no client the server knows",
        fix: "set iss to the client id the server registered",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.client-no-permission",
        error: "invalid_client",
        description: "Client has no permission to access user data",
        also: &[],
        status: 400,
        cause: "the server does not let this client act for the user named by sub",
        fix: "grant the client access to the user on the server, or drop sub",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.algorithm-not-recommended",
        error: "invalid_grant",
        description: "Algorithm of {} is not recommended",
        also: &[],
        status: 400,
        cause: "the server does not accept this signing algorithm (authlib accepts RS256 only by default)",
        fix: "sign RS256 (the External Credential's Signing Algorithm)",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.invalid-jwt-assertion",
        error: "invalid_grant",
        description: "Invalid JWT assertion.",
        also: &[],
        status: 400,
        cause: "the assertion is not a compact JWS",
        fix: "send the signed JWT itself as assertion",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.missing-assertion",
        error: "invalid_request",
        description: "Missing 'assertion' in request",
        also: &[],
        status: 400,
        cause: "the request has no assertion parameter",
        fix: "POST grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=JWT form-encoded",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.unsupported-grant-type",
        error: "unsupported_grant_type",
        description: "",
        also: &[],
        status: 400,
        cause: "the server saw no JWT-bearer grant_type: a JSON body, or another grant type",
        fix: "POST grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer form-encoded",
        check: None,
        source: AUTHLIB,
    },
    TokenError {
        id: "oauth.unauthorized-client",
        error: "unauthorized_client",
        description: "",
        also: &[],
        status: 400,
        cause: "the client may not use the JWT-bearer grant",
        fix: "allow the JWT-bearer grant for this client on the server",
        check: None,
        source: AUTHLIB,
    },
];
