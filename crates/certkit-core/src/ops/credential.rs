//! The claims a Salesforce External Credential sends, derived once from the inputs: `metadata`
//! writes them into the credential's parameters, `exchange` signs and sends them, so that the
//! exchange certkit makes is the one the credential will make.

use crate::assertion::{ClaimFlags, KeyContext, Profile};
use crate::open::Input;
use crate::passwords::Source;
use crate::remedy::shell_quote;
use crate::rules::{google, salesforce_jwt};

/// The claim set of a JWT-bearer External Credential, as its parameters hold it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimSet {
    /// `iss` (JwtBodyClaim), when known.
    pub iss: Option<String>,
    /// `sub` (JwtBodyClaim), when known.
    pub sub: Option<String>,
    /// `aud` (JwtBodyClaim), when known.
    pub aud: Option<String>,
    /// `scope` (a JwtBodyClaim, not the Scope field).
    pub scope: Option<String>,
    /// Header `kid` (JwtHeaderClaim).
    pub kid: Option<String>,
    /// `exp - iat` in seconds (the `exp` formula's `+ N`).
    pub lifetime: i64,
    /// Extra body claims, `NAME=VALUE`.
    pub claims: Vec<String>,
}

/// The lifetime an External Credential gives an assertion when none is set: "a default of two
/// minutes in the future" (Salesforce Help, "JWT claims", nc_jwt_claims.htm). Google's runbook
/// sets Google's maximum, 3600 s.
pub const DEFAULT_LIFETIME_SECS: i64 = 120;

/// The claims for a profile: the values given, else the profile's defaults.
///
/// - google: `iss` = the service account (`client_email`, or a certificate's CN that is
///   one), `sub` = `iss` (the runbook's credential sets Subject to the account itself; a
///   user's address is domain-wide delegation), `aud` = Google's token endpoint, 3600 s.
/// - salesforce: `aud` = `https://login.salesforce.com`, 120 s.
/// - generic: only what is given, 120 s.
///
/// `kid`: the one rule of [`crate::keyids::kid_for`] (the Google key id for google, the
/// RFC 7638 JWK thumbprint otherwise, never the keystore alias), unless `--kid` is given.
/// The credential writes it as a `kid` claim: without one, Salesforce would send the
/// certificate's Unique Name. `cert_name` (that Unique Name) does not choose the `kid`.
pub fn claim_set(
    profile: Profile,
    f: &ClaimFlags,
    ctx: &KeyContext,
    _cert_name: Option<&str>,
) -> ClaimSet {
    let kid = f.kid.clone().or_else(|| ctx.kid(profile));
    match profile {
        Profile::Google | Profile::GoogleSelfSigned => {
            let iss = f.iss.clone().or_else(|| {
                ctx.google
                    .as_ref()
                    .map(|g| g.client_email.clone())
                    .or_else(|| {
                        ctx.cert_cn
                            .clone()
                            .filter(|c| crate::keyids::is_service_account(c))
                    })
            });
            // Google's token endpoint, whatever the JSON key's token_uri (where the request
            // goes): google-auth sets aud to that constant too (google/oauth2/service_account.py,
            // `_make_authorization_grant_assertion`).
            let aud = f
                .aud
                .clone()
                .or_else(|| (profile == Profile::Google).then(|| google::TOKEN_URI.to_string()));
            ClaimSet {
                sub: f.sub.clone().or_else(|| iss.clone()),
                iss,
                aud,
                scope: f.scope.clone(),
                kid,
                lifetime: f.exp_seconds.unwrap_or(google::MAX_LIFETIME_SECS),
                claims: f.claims.clone(),
            }
        }
        Profile::Salesforce => ClaimSet {
            iss: f.iss.clone(),
            sub: f.sub.clone(),
            aud: Some(
                f.aud
                    .clone()
                    .unwrap_or_else(|| salesforce_jwt::AUDIENCES[0].to_string()),
            ),
            scope: f.scope.clone(),
            kid,
            lifetime: f.exp_seconds.unwrap_or(DEFAULT_LIFETIME_SECS),
            claims: f.claims.clone(),
        },
        Profile::Generic => ClaimSet {
            iss: f.iss.clone(),
            sub: f.sub.clone(),
            aud: f.aud.clone(),
            scope: f.scope.clone(),
            kid,
            lifetime: f.exp_seconds.unwrap_or(DEFAULT_LIFETIME_SECS),
            claims: f.claims.clone(),
        },
    }
}

impl ClaimSet {
    /// As claim flags with every value set, so that the assertion built from them carries
    /// exactly this set (`assertion::build` adds `iat`, `nbf` and `exp` = `iat` + lifetime).
    pub fn flags(&self) -> ClaimFlags {
        ClaimFlags {
            iss: self.iss.clone(),
            sub: self.sub.clone(),
            aud: self.aud.clone(),
            scope: self.scope.clone(),
            kid: self.kid.clone(),
            claims: self.claims.clone(),
            exp_seconds: Some(self.lifetime),
        }
    }
}

/// The flags that name a password source as the user gave it: the option and its file or
/// variable name, never a password. A password the front end holds has none: the pasted
/// command asks for it.
pub fn source_flags(prefix: &str, src: &Source) -> Option<String> {
    Some(match src {
        Source::File(p) => format!(
            "--{prefix}password-file {}",
            shell_quote(&p.display().to_string())
        ),
        Source::Env(v) => format!("--{prefix}password-env {}", shell_quote(v)),
        Source::Stdin => format!("--{prefix}password-stdin"),
        Source::Given(_) => return None,
    })
}

/// An input as a printed command names it: its path, quoted, then the password options the
/// user gave for it, so that the command works when pasted.
pub fn input_words(input: &Input) -> String {
    let mut s = shell_quote(&input.name());
    let store = input.password.iter().chain(&input.more_passwords);
    let flags = store.filter_map(|p| source_flags("", p));
    for f in flags.chain(
        input
            .key_password
            .iter()
            .filter_map(|k| source_flags("key-", k)),
    ) {
        s.push(' ');
        s.push_str(&f);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GoogleAccount;

    fn google_ctx() -> KeyContext {
        KeyContext {
            google: Some(GoogleAccount {
                client_email: "sa@p.iam.gserviceaccount.com".into(),
                ..GoogleAccount::default()
            }),
            google_key_id: Some("abc123".into()),
            ..KeyContext::default()
        }
    }

    #[test]
    fn google_sends_sub_as_the_account_unless_a_user_is_given() {
        let f = ClaimFlags {
            scope: Some("s".into()),
            ..ClaimFlags::default()
        };
        let c = claim_set(Profile::Google, &f, &google_ctx(), Some("ignored"));
        assert_eq!(c.iss.as_deref(), Some("sa@p.iam.gserviceaccount.com"));
        assert_eq!(c.sub, c.iss);
        assert_eq!(c.aud.as_deref(), Some(google::TOKEN_URI));
        assert_eq!(c.kid.as_deref(), Some("abc123"));
        assert_eq!(c.lifetime, 3600);
        let f = ClaimFlags {
            sub: Some("user@example.com".into()),
            ..f
        };
        let c = claim_set(Profile::Google, &f, &google_ctx(), None);
        assert_eq!(c.sub.as_deref(), Some("user@example.com"));
    }

    #[test]
    fn salesforce_and_generic_send_the_thumbprint_as_kid_not_the_certificate_name_and_live_120_s() {
        let ctx = KeyContext {
            alias: Some("org2".into()),
            jwk_thumbprint: Some("NzbLsXh8uDCcd".into()),
            ..KeyContext::default()
        };
        for p in [Profile::Salesforce, Profile::Generic] {
            let c = claim_set(p, &ClaimFlags::default(), &ctx, Some("org2"));
            assert_eq!(c.kid.as_deref(), Some("NzbLsXh8uDCcd"));
            assert_eq!(c.lifetime, 120);
            assert_eq!(c.flags().exp_seconds, Some(120));
        }
    }
}
