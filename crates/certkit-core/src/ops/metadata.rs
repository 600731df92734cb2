//! The Salesforce side of a JWT-bearer setup as deployable source: the External Credential,
//! its Named Credential and the permission set granting its principal (and, org to org, the
//! External Client App of the called org), with the values the runbooks prescribe, plus the
//! steps that are not metadata. A private key cannot be deployed (Certificate metadata makes
//! Salesforce mint a new key), so the keystore import stays a manual step.
//!
//! Facts and sources: `docs/salesforce-metadata.md`, `docs/salesforce-import.md`.

use std::path::{Path, PathBuf};

use base64::Engine;
use serde::Serialize;

use super::credential::ClaimSet;
use crate::assertion::{ClaimFlags, KeyContext, Profile};
use crate::choice::Choice;
use crate::error::{Error, Result};
use crate::formats::sfmeta::{
    self, EcParameter, EcaGlobalOauthSettings, EcaOauthPolicies, EcaOauthSettings,
    ExternalClientApplication, ExternalCredential, NamedCredential, NcParameter, ObjectPermissions,
    PermissionSet, PrincipalAccess,
};
use crate::host::{Access, Found, Host, Output};
use crate::jws::Alg;
use crate::model::Want;
use crate::open::{self, Input};
use crate::rules::external_credential::exp_formula;
use crate::rules::{google, salesforce, salesforce_jwt};
use crate::setting::{msg, Setting};

/// Stands for the consumer key until the called org's app is deployed and mints one.
pub const CONSUMER_KEY_PLACEHOLDER: &str = "REPLACE_WITH_THE_CONSUMER_KEY";

/// Claims certkit writes itself, which `--claim` may not set again.
const RESERVED: [&str; 7] = ["iss", "sub", "aud", "exp", "iat", "nbf", "scope"];

/// The API version the generated project says it is written for.
pub const API_VERSION: &str = "62.0";

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// The signing key (its alias, account and key id fill the values).
    pub input: Input,
    /// The entry, by alias.
    pub entry: Option<String>,
    /// google, salesforce or generic.
    pub profile: Profile,
    /// The signing algorithm.
    pub alg: Alg,
    /// The claims.
    pub claims: ClaimFlags,
    /// The credential's DeveloperName [default: from the account or the CN].
    pub name: Option<String>,
    /// The certificate's Unique Name in Salesforce [default: the keystore alias].
    pub cert_name: Option<String>,
    /// The certificate of a key that has none (a PEM key's certificate file, Google's x509
    /// metadata for a JSON key): its Google key id and name fill the values.
    pub cert: Option<PathBuf>,
    /// The named principal.
    pub principal: String,
    /// The Named Credential's URL (the API called).
    pub url: Option<String>,
    /// The token URL [default: the profile's].
    pub token_url: Option<String>,
    /// Org to org: also write the called org's External Client App.
    pub client_app: bool,
    /// The folder of the Salesforce DX project.
    pub out_dir: PathBuf,
    /// Replace files that exist.
    pub force: bool,
}

/// What was written.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The External Credential's DeveloperName.
    pub name: String,
    /// The certificate the credential signs with (import it under this Unique Name).
    pub certificate: String,
    /// The files written.
    pub files: Vec<String>,
    /// The steps that are not metadata, in order.
    pub steps: Vec<String>,
    /// What only a real org can tell.
    pub not_verified: &'static str,
}

/// The longest credential name: its permission set, NAME_Access, is a Unique Name of at
/// most 80 characters too.
const MAX_NAME: usize = salesforce::MAX_UNIQUE_NAME - "_Access".len();

fn check_name(n: &str) -> Result<()> {
    if !salesforce::is_developer_name(n) || n.len() > MAX_NAME {
        return Err(usage(format!(
            "\"{n}\" is not a Salesforce Unique Name for a credential: letters, digits and underscores, a letter first, no trailing or double underscore, at most {MAX_NAME} characters (its permission set adds _Access)"
        )));
    }
    Ok(())
}

fn param(ty: &str, name: &str, value: Option<String>, description: Option<&str>) -> EcParameter {
    EcParameter {
        certificate: None,
        description: description.map(str::to_string),
        parameter_group: Some("DefaultGroup".into()),
        parameter_name: name.into(),
        parameter_type: ty.into(),
        parameter_value: value,
        sequence_number: None,
    }
}

fn usage(s: impl Into<String>) -> Error {
    Error::Invalid(s.into())
}

/// The claim values of an External Credential: issuer, subject, audience and token URL.
struct Claims {
    iss: String,
    sub: String,
    aud: String,
    token_url: String,
}

/// Google's claims: the service account signs for itself, with the scopes.
fn google_claims(o: &Options, ctx: &KeyContext, set: &ClaimSet) -> Result<Claims> {
    let email = set.iss.clone().ok_or_else(|| {
        Error::invalid_setting(msg!(
            "the service account's e-mail is not in this key: give it with ",
            Setting::Issuer.value_as("CLIENT_EMAIL")
        ))
    })?;
    if o.claims
        .scope
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        return Err(usage(
            "Google needs the scopes (a JWT body claim named scope)",
        ));
    }
    let token_url = o.token_url.clone().unwrap_or_else(|| {
        ctx.google
            .as_ref()
            .and_then(|g| g.token_uri.clone())
            .unwrap_or_else(|| google::TOKEN_URI.into())
    });
    Ok(Claims {
        iss: email.clone(),
        sub: set.sub.clone().unwrap_or(email),
        aud: set.aud.clone().unwrap_or_else(|| google::TOKEN_URI.into()),
        token_url,
    })
}

/// Salesforce's claims: the consumer key, the integration user, the org's login host.
fn salesforce_claims(o: &Options, set: &ClaimSet) -> Result<Claims> {
    // With the client app, the consumer key exists only once the app is deployed.
    let iss = match (&set.iss, o.client_app) {
        (Some(i), _) => i.clone(),
        (None, true) => CONSUMER_KEY_PLACEHOLDER.to_string(),
        (None, false) => {
            return Err(Error::invalid_setting(msg!(
                "give the Connected App's consumer key with ",
                Setting::Issuer.value_as("CONSUMER_KEY"),
                " (or ",
                Setting::ClientApp.alone(),
                " to deploy one)"
            )))
        }
    };
    let sub = set.sub.clone().ok_or_else(|| {
        Error::invalid_setting(msg!(
            "give the integration user's username with ",
            Setting::Subject.value_as("USERNAME")
        ))
    })?;
    let aud = set
        .aud
        .clone()
        .unwrap_or_else(|| salesforce_jwt::AUDIENCES[0].into());
    let token_url = match (&o.token_url, crate::rules::jwt::https_host_path(&aud)) {
        (Some(t), _) => t.clone(),
        (None, Some((host, _))) => format!("https://{host}/services/oauth2/token"),
        (None, None) => {
            return Err(Error::invalid_setting(msg!(
                format!("the audience \"{aud}\" is not an https URL: give the token URL with "),
                Setting::TokenUrl.value()
            )))
        }
    };
    Ok(Claims {
        iss,
        sub,
        aud,
        token_url,
    })
}

/// A third party's claims: all three given.
fn generic_claims(o: &Options, set: &ClaimSet) -> Result<Claims> {
    let need = |v: &Option<String>, setting: Setting| {
        v.clone().ok_or_else(|| {
            Error::invalid_setting(msg!(
                "an External Credential whose claims are set needs iss, sub and aud: give ",
                setting.value()
            ))
        })
    };
    let aud = need(&set.aud, Setting::Audience)?;
    let token_url = o.token_url.clone().unwrap_or_else(|| aud.clone());
    Ok(Claims {
        iss: need(&set.iss, Setting::Issuer)?,
        sub: need(&set.sub, Setting::Subject)?,
        aud,
        token_url,
    })
}

/// The claims of the profile, each a plain value.
fn claims(o: &Options, ctx: &KeyContext, set: &ClaimSet) -> Result<Claims> {
    let c = match o.profile {
        Profile::Google => google_claims(o, ctx, set)?,
        Profile::Salesforce => salesforce_claims(o, set)?,
        Profile::Generic => generic_claims(o, set)?,
        Profile::GoogleSelfSigned => return Err(usage(
            "a Google self-signed JWT is not an External Credential flow; use the google profile",
        )),
    };
    for (what, v) in [
        ("issuer", &c.iss),
        ("subject", &c.sub),
        ("audience", &c.aud),
    ] {
        if crate::rules::jwt::badly_quoted(v) {
            return Err(usage(format!(
                "the {what} {v} has quotes or spaces around it: give the plain value"
            )));
        }
    }
    Ok(c)
}

/// The parameters every credential has: protocol, token URL, certificate, the three claims,
/// the expiry and the header.
fn base_parameters(o: &Options, c: Claims, cert_name: &str, life: i64) -> Vec<EcParameter> {
    vec![
        param(
            "AuthProtocolVariant",
            "Oauth",
            Some("JwtBearer".into()),
            None,
        ),
        param(
            "AuthProviderUrl",
            "AuthProviderUrl",
            Some(c.token_url),
            None,
        ),
        EcParameter {
            certificate: Some(cert_name.to_string()),
            ..param("SigningCertificate", "SigningCertificate", None, None)
        },
        param("JwtBodyClaim", "iss", Some(c.iss), Some("Issuer")),
        param("JwtBodyClaim", "sub", Some(c.sub), Some("Subject")),
        param("JwtBodyClaim", "aud", Some(c.aud), Some("Audience")),
        param(
            "JwtBodyClaim",
            "exp",
            Some(exp_formula(life)),
            Some("Expiration Time"),
        ),
        param(
            "JwtHeaderClaim",
            "alg",
            Some(o.alg.name().into()),
            Some("Algorithm"),
        ),
        param("JwtHeaderClaim", "typ", Some("JWT".into()), Some("Type")),
    ]
}

/// The optional parameters: kid, scope, extra claims, then the named principal.
fn more_parameters(
    o: &Options,
    kid: Option<String>,
    parameters: &mut Vec<EcParameter>,
) -> Result<()> {
    let f = &o.claims;
    if let Some(k) = kid {
        parameters.push(param("JwtHeaderClaim", "kid", Some(k), Some("Key ID")));
    }
    if let Some(s) = &f.scope {
        parameters.push(param(
            "JwtBodyClaim",
            "scope",
            Some(s.clone()),
            Some("Scope"),
        ));
    }
    if f.exp_seconds.is_some_and(|s| s <= 0) {
        return Err(Error::invalid_setting(msg!(
            "the expiration must be a positive number of seconds: give ",
            Setting::Lifetime.value(),
            " above 0"
        )));
    }
    for kv in &f.claims {
        let (k, v) = kv
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| usage(format!("the claim \"{kv}\" is not NAME=VALUE")))?;
        if RESERVED.contains(&k.trim()) {
            return Err(usage(format!(
                "the claim {k} is written from its own option, not as an extra claim"
            )));
        }
        parameters.push(param("JwtBodyClaim", k, Some(v.to_string()), None));
    }
    parameters.push(EcParameter {
        parameter_group: Some(o.principal.clone()),
        sequence_number: Some(1),
        ..param("NamedPrincipal", &o.principal, None, None)
    });
    Ok(())
}

/// The External Credential the runbook prescribes for this key and these claims.
pub fn external_credential(
    o: &Options,
    ctx: &KeyContext,
    name: &str,
    cert_name: &str,
) -> Result<(ExternalCredential, String)> {
    // The claims the credential sends: the same function gives `exchange` its claims.
    let set = super::credential::claim_set(o.profile, &o.claims, ctx, Some(cert_name));
    let c = claims(o, ctx, &set)?;
    crate::http::refuse_userinfo("the token URL", &c.token_url)?;
    let (life, kid) = (set.lifetime, set.kid.clone());
    let token_url = c.token_url.clone();
    let mut parameters = base_parameters(o, c, cert_name, life);
    more_parameters(o, kid, &mut parameters)?;
    Ok((
        ExternalCredential {
            xmlns: sfmeta::NAMESPACE.into(),
            authentication_protocol: "Oauth".into(),
            description: Some(format!(
                "JWT bearer flow, made by certkit {}",
                env!("CARGO_PKG_VERSION")
            )),
            parameters,
            label: name.to_string(),
        },
        token_url,
    ))
}

/// The entry that signs: selected, paired with `--cert`, and one Salesforce would import.
fn signing_entry(
    host: &dyn Host,
    o: &Options,
    opened: &open::Opened,
) -> Result<crate::model::Entry> {
    let mut entry = opened.ks.select(o.entry.as_deref(), Want::PrivateKey)?;
    if let Some(c) = &o.cert {
        if !entry.chain().is_empty() {
            return Err(Error::invalid_setting(msg!(
                format!(
                    "{} holds the key's certificate already: leave ",
                    o.input.name()
                ),
                Setting::Certificate.alone(),
                " out"
            )));
        }
        super::pair::pair_from_file(host, &mut entry, c, opened.ks.google.as_ref())?;
    }
    // A key Salesforce would not import makes no credential: refused as p12-to-jks refuses it.
    let scope = salesforce::KeyScope {
        import: false,
        certificate: false,
    };
    if let Some(c) = salesforce::key_checks(&entry, scope)
        .into_iter()
        .find(|c| c.failed())
    {
        return Err(c.into_error());
    }
    Ok(entry)
}

/// The credential's name: `--name`, or one made from the account or the CN.
fn credential_name(o: &Options, ctx: &KeyContext) -> Result<String> {
    Ok(match &o.name {
        Some(n) => n.clone(),
        None => ctx
            .google
            .as_ref()
            .map(|g| g.client_email.clone())
            .or_else(|| ctx.cert_cn.clone())
            .and_then(|c| salesforce::derive_alias(&c))
            .map(|n| {
                n.chars()
                    .take(MAX_NAME)
                    .collect::<String>()
                    .trim_end_matches('_')
                    .to_string()
            })
            .ok_or_else(|| {
                Error::invalid_setting(msg!(
                    "no name can be made from the key: give one with ",
                    Setting::Name.value()
                ))
            })?,
    })
}

/// The certificate's Unique Name: `--cert-name`, or the alias p12-to-jks writes for this key
/// (the name the certificate gets on import).
fn certificate_name(
    o: &Options,
    entry: &crate::model::Entry,
    google: Option<&crate::model::GoogleAccount>,
) -> Result<String> {
    Ok(match &o.cert_name {
        Some(c) if salesforce::is_unique_name(c) => c.clone(),
        Some(c) => {
            return Err(usage(format!(
                "\"{c}\" is not a certificate Unique Name as a keystore alias is one (lower case letters, digits, underscores)"
            )))
        }
        None => super::p12_to_jks::default_alias(entry, google).ok_or_else(|| {
            Error::invalid_setting(msg!(
                "no certificate name can be made from the key: give one with ",
                Setting::CertName.value()
            ))
        })?,
    })
}

/// What certkit writes passes what certkit checks. A third party's rules are unknown:
/// nothing to check.
fn check_credential(
    o: &Options,
    ec: &ExternalCredential,
    entry: &crate::model::Entry,
    ctx: &KeyContext,
    cert_name: &str,
    google: Option<&crate::model::GoogleAccount>,
) -> Result<()> {
    use crate::rules::external_credential as rules;
    let Some(provider) = rules::Provider::of(o.profile.integration()) else {
        return Ok(());
    };
    let expect = rules::Expect {
        provider,
        certificates: vec![cert_name.to_string()],
        google_key_id: crate::keyids::of_entry(entry, google).google_key_id,
        client_email: ctx.google.as_ref().map(|g| g.client_email.clone()),
    };
    let broken = rules::checks(ec, &expect)
        .into_iter()
        .find(|c| c.failed() && !(o.client_app && c.rule == rules::ISS));
    match broken {
        Some(c) => Err(c.into_error()),
        None => Ok(()),
    }
}

/// The URL of the API the Named Credential calls: `--url`, or Google's.
fn api_url(o: &Options) -> Result<String> {
    let url = match (&o.url, o.profile) {
        (Some(u), _) => u.clone(),
        (None, Profile::Google) => "https://www.googleapis.com".into(),
        (None, _) => {
            return Err(Error::invalid_setting(msg!(
                "give the URL of the API the Named Credential calls with ",
                Setting::ApiUrl.value()
            )))
        }
    };
    crate::http::refuse_userinfo("the Named Credential URL", &url)?;
    if !url.starts_with("https://") {
        return Err(usage(format!(
            "the Named Credential URL {} is not https",
            crate::http::shown(&url)
        )));
    }
    Ok(url)
}

/// The Named Credential calling `url` through the External Credential `name`.
fn named_credential(name: &str, url: String) -> NamedCredential {
    NamedCredential {
        xmlns: sfmeta::NAMESPACE.into(),
        allow_merge_fields_in_body: false,
        allow_merge_fields_in_header: false,
        callout_status: "Enabled".into(),
        generate_authorization_header: true,
        label: name.to_string(),
        parameters: vec![
            NcParameter {
                external_credential: None,
                parameter_name: "Url".into(),
                parameter_type: "Url".into(),
                parameter_value: Some(url),
            },
            NcParameter {
                external_credential: Some(name.to_string()),
                parameter_name: "ExternalCredential".into(),
                parameter_type: "Authentication".into(),
                parameter_value: None,
            },
        ],
        named_credential_type: "SecuredEndpoint".into(),
    }
}

/// The permission set `ps_name` granting the principal of `name`.
fn permission_set(o: &Options, name: &str, ps_name: &str) -> PermissionSet {
    PermissionSet {
        xmlns: sfmeta::NAMESPACE.into(),
        description: Some(format!("Grants the {} principal of {name}", o.principal)),
        principal_accesses: vec![PrincipalAccess {
            enabled: true,
            external_credential_principal: format!("{name}-{}", o.principal),
        }],
        has_activation_required: false,
        label: ps_name.to_string(),
        object_permissions: vec![ObjectPermissions {
            allow_read: true,
            object: "UserExternalCredential".into(),
            ..ObjectPermissions::default()
        }],
    }
}

/// The three metadata files of the calling org.
fn credential_files(
    o: &Options,
    name: &str,
    ps_name: &str,
    ec: &ExternalCredential,
    url: String,
) -> Result<Vec<(PathBuf, String)>> {
    let nc = named_credential(name, url);
    let ps = permission_set(o, name, ps_name);
    let root = o.out_dir.join("force-app/main/default");
    Ok(vec![
        (
            root.join(format!(
                "externalCredentials/{name}.externalCredential-meta.xml"
            )),
            sfmeta::to_xml(ec)?,
        ),
        (
            root.join(format!("namedCredentials/{name}.namedCredential-meta.xml")),
            sfmeta::to_xml(&nc)?,
        ),
        (
            root.join(format!("permissionsets/{ps_name}.permissionset-meta.xml")),
            sfmeta::to_xml(&ps)?,
        ),
    ])
}

/// The `sfdx-project.json` of a project in `dir`.
fn project(dir: &Path, name: &str) -> (PathBuf, String) {
    (
        dir.join("sfdx-project.json"),
        format!(
            "{}\n",
            serde_json::to_string_pretty(&serde_json::json!({
                "packageDirectories": [{"path": "force-app", "default": true}],
                "name": name,
                "namespace": "",
                "sourceApiVersion": API_VERSION,
            }))
            .unwrap_or_default()
        ),
    )
}

/// The project file when the folder has none, and the called org's project with `--client-app`.
fn project_files(
    host: &dyn Host,
    o: &Options,
    entry: &crate::model::Entry,
    name: &str,
    files: &mut Vec<(PathBuf, String)>,
) -> Result<()> {
    if matches!(
        host.find(&o.out_dir.join("sfdx-project.json")),
        Found::Missing
    ) {
        files.push(project(&o.out_dir, name));
    }
    let client_dir = o.out_dir.join("client-app");
    if o.client_app {
        if o.profile != Profile::Salesforce {
            return Err(usage(
                "the External Client App is for the salesforce profile (org to org)",
            ));
        }
        let cert = entry
            .leaf()
            .ok_or_else(|| usage("the key has no certificate for the client app"))?;
        files.extend(client_app(&client_dir, name, &cert.0)?);
        files.push(project(&client_dir, name));
    }
    Ok(())
}

/// Write the files, none of them over one that exists unless forced.
fn write_files(host: &dyn Host, files: &[(PathBuf, String)], force: bool) -> Result<()> {
    let paths: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    host.ensure_free(&paths, force)?;
    for (p, _) in files {
        if let Some(dir) = p.parent() {
            host.create_dir_all(dir)?;
        }
    }
    let outputs: Vec<Output> = files
        .iter()
        .map(|(p, t)| Output {
            path: p.clone(),
            bytes: t.as_bytes(),
        })
        .collect();
    host.write(&outputs, force, Access::Public)
}

/// Write the source folder.
pub fn run(host: &dyn Host, o: &Options) -> Result<Report> {
    if let Some(n) = &o.name {
        check_name(n)?;
    }
    let opened = open::open(host, &o.input, true)?;
    let google = opened.ks.google.as_ref();
    let entry = signing_entry(host, o, &opened)?;
    let ctx = KeyContext::of(&entry, google);
    let name = credential_name(o, &ctx)?;
    if o.principal.trim().is_empty() || o.principal.contains(['-', '<', '>', '&']) {
        return Err(usage(format!(
            "\"{}\" is not a principal name",
            o.principal
        )));
    }
    let cert_name = certificate_name(o, &entry, google)?;
    let (ec, token_url) = external_credential(o, &ctx, &name, &cert_name)?;
    check_credential(o, &ec, &entry, &ctx, &cert_name, google)?;
    let url = api_url(o)?;
    let ps_name = format!("{name}_Access");
    let mut files = credential_files(o, &name, &ps_name, &ec, url)?;
    project_files(host, o, &entry, &name, &mut files)?;
    let set = super::credential::claim_set(o.profile, &o.claims, &ctx, Some(&cert_name));
    let steps = steps(
        host,
        o,
        Some(entry.alias.as_str()),
        &name,
        &cert_name,
        &ps_name,
        &exchange_command(host, o, &set, &token_url),
    );
    files.push((o.out_dir.join("README-deploy.md"), readme(&name, &steps)));
    write_files(host, &files, o.force)?;
    Ok(Report {
        name,
        certificate: cert_name,
        files: files.iter().map(|(p, _)| p.display().to_string()).collect(),
        steps,
        not_verified: "a real deploy: certkit writes the source the Metadata API documents and retrieved orgs show, but only `sf project deploy start` against an org proves it deploys",
    })
}

/// The app's global OAuth settings: the certificate the JWT's signature is checked with.
fn global_oauth_settings(name: &str, cert: &[u8]) -> EcaGlobalOauthSettings {
    EcaGlobalOauthSettings {
        xmlns: sfmeta::NAMESPACE.to_string(),
        callback_url: "http://localhost:1717/OauthRedirect".into(),
        certificate: base64::engine::general_purpose::STANDARD.encode(cert),
        external_client_application: name.into(),
        is_secret_required_for_refresh_token: true,
        label: format!("{name} Global OAuth Settings"),
        ..EcaGlobalOauthSettings::default()
    }
}

/// The app's policies: the users of the permission set `ps_name` are pre-authorised.
fn oauth_policies(name: &str, ps_name: &str) -> EcaOauthPolicies {
    EcaOauthPolicies {
        xmlns: sfmeta::NAMESPACE.to_string(),
        comma_separated_permission_set: Some(ps_name.to_string()),
        external_client_application: name.into(),
        ip_relaxation_policy_type: "Enforce".into(),
        label: format!("{name} OAuth Policies"),
        permitted_users_policy_type: "AdminApprovedPreAuthorized".into(),
        refresh_token_policy_type: "SpecificLifetime".into(),
        refresh_token_validity_period: 365,
        refresh_token_validity_unit: "Days".into(),
        required_session_level: "STANDARD".into(),
        ..EcaOauthPolicies::default()
    }
}

/// The called org's External Client App: its global OAuth settings carry the certificate,
/// its policies pre-authorise admin-approved users of the permission set.
fn client_app(dir: &Path, name: &str, cert: &[u8]) -> Result<Vec<(PathBuf, String)>> {
    // The called org's own permission set: it pre-authorises the integration user.
    let ps_name = format!("{name}_Client");
    let root = dir.join("force-app/main/default");
    let ns = sfmeta::NAMESPACE.to_string();
    let eca = ExternalClientApplication {
        xmlns: ns.clone(),
        contact_email: "admin@example.com".into(),
        description: format!("JWT bearer client for {name}, made by certkit"),
        distribution_state: "Local".into(),
        is_protected: false,
        label: name.into(),
    };
    let oauth = EcaOauthSettings {
        xmlns: ns,
        comma_separated_oauth_scopes: "Api, RefreshToken".into(),
        external_client_application: name.into(),
        is_first_party_app_enabled: false,
        label: format!("{name} OAuth Settings"),
    };
    let global = global_oauth_settings(name, cert);
    let policies = oauth_policies(name, &ps_name);
    Ok(vec![
        (
            root.join(format!("externalClientApps/{name}.eca-meta.xml")),
            sfmeta::to_xml(&eca)?,
        ),
        (
            root.join(format!("extlClntAppOauthSettings/{name}.ecaOauth-meta.xml")),
            sfmeta::to_xml(&oauth)?,
        ),
        (
            root.join(format!(
                "extlClntAppGlobalOauthSets/{name}.ecaGlblOauth-meta.xml"
            )),
            sfmeta::to_xml(&global)?,
        ),
        (
            root.join(format!(
                "extlClntAppOauthPolicies/{name}.ecaOauthPlcy-meta.xml"
            )),
            sfmeta::to_xml(&policies)?,
        ),
        (
            root.join(format!("permissionsets/{ps_name}.permissionset-meta.xml")),
            sfmeta::to_xml(&PermissionSet {
                xmlns: sfmeta::NAMESPACE.into(),
                description: Some(format!(
                    "Pre-authorises the users of the {name} client app (JWT bearer)"
                )),
                label: ps_name.clone(),
                ..PermissionSet::default()
            })?,
        ),
    ])
}

/// The org setting and user permission the Metadata API names for an External Client App's
/// OAuth settings ("Special Access Rules" of ExtlClntAppOauthSettings and
/// ExtlClntAppGlobalOauthSettings in the Metadata API Developer Guide).
pub const ECA_METADATA_ACCESS: &str = "Setup > External Client App Settings: turn on \"Allow Access to OAuth Consumer Secrets via Metadata API\" (the org setting ExternalClientAppSettings.enableConsumerSecretApiAccess), and give the user who deploys the permission \"View External Client Apps Consumer Secrets in Metadata\": the Metadata API requires both to deploy an External Client App's OAuth settings (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappglobaloauthsettings.htm, \"Special Access Rules\")";

/// The input as a command run from another folder names it: absolute paths, the same
/// password options.
fn absolute_input(host: &dyn Host, i: &Input) -> Input {
    let abs = |s: &crate::passwords::Source| match s {
        crate::passwords::Source::File(f) => crate::passwords::Source::File(host.absolute(f)),
        other => other.clone(),
    };
    Input {
        path: host.absolute(&i.path),
        password: i.password.as_ref().map(abs),
        more_passwords: i.more_passwords.iter().map(abs).collect(),
        key_password: i.key_password.as_ref().map(abs),
    }
}

/// The key as a printed command names it from any folder: its path and password options,
/// and `--cert` with the certificate given for a key that has none.
fn key_words(host: &dyn Host, o: &Options) -> String {
    let mut words = super::credential::input_words(&absolute_input(host, &o.input));
    if let Some(c) = &o.cert {
        words.push_str(" --cert ");
        words.push_str(&crate::remedy::shell_quote(
            &host.absolute(c).display().to_string(),
        ));
    }
    words
}

/// The `certkit exchange` that makes the credential's exchange: the same key (with the
/// password options given), the same claims, every one of them spelled out, quoted.
pub fn exchange_command(host: &dyn Host, o: &Options, set: &ClaimSet, token_url: &str) -> String {
    use crate::remedy::shell_quote as q;
    let profile = o.profile.name();
    let mut cmd = format!(
        "certkit exchange {} --profile {profile} --token-url {}",
        key_words(host, o),
        q(token_url)
    );
    if let Some(e) = &o.entry {
        cmd.push_str(&format!(" --entry {}", q(e)));
    }
    let iss = match (&set.iss, o.client_app) {
        (None, true) => Some(CONSUMER_KEY_PLACEHOLDER.to_string()),
        (i, _) => i.clone(),
    };
    for (flag, v) in [
        ("--iss", &iss),
        ("--sub", &set.sub),
        ("--aud", &set.aud),
        ("--scope", &set.scope),
        ("--kid", &set.kid),
    ] {
        // `--flag=VALUE`: a value may begin with "-" (a base64url thumbprint does, one time
        // in 64), which the command line would read as another flag.
        if let Some(v) = v {
            cmd.push_str(&format!(" {flag}={}", q(v)));
        }
    }
    cmd.push_str(&format!(" --exp-seconds {}", set.lifetime));
    if o.alg != Alg::RS256 {
        cmd.push_str(&format!(" --alg {}", o.alg.name()));
    }
    for c in &set.claims {
        cmd.push_str(&format!(" --claim {}", q(c)));
    }
    cmd
}

/// The first step: import the keystore, the input itself when it is a JKS with the right
/// alias, or the one p12-to-jks writes.
fn import_step(
    host: &dyn Host,
    o: &Options,
    input: &Input,
    input_alias: Option<&str>,
    cert: &str,
) -> String {
    use crate::remedy::shell_quote as q;
    let jks = input
        .path
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!("{cert}_salesforce.jks"));
    let rewrite = format!(
        "certkit p12-to-jks {} -o {} --alias {cert} --generate-password",
        key_words(host, o),
        q(&jks.display().to_string())
    );
    let shown = q(&input.name());
    let import = if input_alias == Some(cert) && input.name().to_ascii_lowercase().ends_with(".jks")
    {
        format!("{shown} as it is (its alias is \"{cert}\"); or one written by {rewrite}")
    } else {
        format!("the keystore written by {rewrite}")
    };
    format!(
        "Import the keystore in the calling org (Setup > Certificate and Key Management > Import from Keystore) so that the certificate's Unique Name is \"{cert}\": {import}. Enable an Identity Provider first (Setup > Identity Provider), or the import fails with \"Data Not Available\"."
    )
}

/// The called org's steps with `--client-app`; the options that name the calling org then.
fn client_app_steps(o: &Options, name: &str, v: &mut Vec<String>) -> &'static str {
    use crate::remedy::shell_quote as q;
    if !o.client_app {
        return "";
    }
    let called = "--target-org CALLED_ORG";
    v.push(format!(
        "In the called org, before its deploy: {ECA_METADATA_ACCESS}."
    ));
    // A subshell: the folder change ends with it, even when the deploy fails.
    v.push(format!("In the called org (the client app is a project of its own, in client-app): (cd client-app && sf project deploy start --source-dir force-app {called}) (the External Client App with the certificate, and the permission set {name}_Client)."));
    let user = o
        .claims
        .sub
        .as_deref()
        .map(q)
        .unwrap_or_else(|| "INTEGRATION_USER".into());
    v.push(format!("In the called org: sf org assign permset --name {name}_Client --on-behalf-of {user} {called}, then link the set to the app: sf data create record --sobject SetupEntityAccess --values \"SetupEntityId=<the app's Id> ParentId=<the permission set's Id>\" {called} (without it every grant answers \"user hasn't approved this consumer\")."));
    let iss_now = o.claims.iss.as_deref().unwrap_or(CONSUMER_KEY_PLACEHOLDER);
    v.push(format!("In the called org: (cd client-app && sf project retrieve start --metadata \"ExtlClntAppGlobalOauthSettings:{name}\" {called}); the <consumerKey> of client-app/force-app/main/default/extlClntAppGlobalOauthSets/{name}.ecaGlblOauth-meta.xml is the External Credential's iss claim (force-app/main/default/externalCredentials/{name}.externalCredential-meta.xml, now \"{iss_now}\": replace it if it differs, and in the certkit exchange command below)."));
    " --target-org CALLING_ORG"
}

fn steps(
    host: &dyn Host,
    o: &Options,
    input_alias: Option<&str>,
    name: &str,
    cert: &str,
    ps: &str,
    exchange: &str,
) -> Vec<String> {
    use crate::remedy::shell_quote as q;
    let input = absolute_input(host, &o.input);
    let dir = q(&host.absolute(&o.out_dir).display().to_string());
    let mut v = vec![import_step(host, o, &input, input_alias, cert)];
    v.push(format!(
        "Go to the project folder; the commands below run from it: cd {dir}"
    ));
    if o.profile == Profile::Generic {
        // A third party looks the key up by the kid the credential sends (keyids::kid_for).
        let kid = match &o.claims.kid {
            Some(k) => format!("the credential sends kid \"{k}\" (--kid): set the JWK's kid to it"),
            None => "its kid is the one the credential sends".into(),
        };
        v.push(format!(
            "Register the public key with the third party: certkit kid {} --jwk > {}; {kid}.",
            super::credential::input_words(&input),
            q(&format!("{name}.jwk.json"))
        ));
    }
    let calling = client_app_steps(o, name, &mut v);
    let folder = if o.client_app {
        "from the project folder (not client-app)"
    } else {
        "from the project folder"
    };
    v.push(format!(
        "In the calling org, {folder}: sf project deploy start --source-dir force-app{calling}"
    ));
    v.push(format!(
        "In the calling org: sf org assign permset --name {ps}{calling} (to each user who runs the callouts)"
    ));
    v.push(format!(
        "Prove the exchange before the first callout: the request the External Credential sends, same key, same claims: {exchange}"
    ));
    v
}

fn readme(name: &str, steps: &[String]) -> String {
    let mut s = format!(
        "# Deploying {name}\n\nThe External Credential, Named Credential and permission set in `force-app/` are\nmetadata; these steps are not, and come in this order:\n\n"
    );
    for (i, step) in steps.iter().enumerate() {
        s.push_str(&format!("{}. {step}\n", i + 1));
    }
    s.push_str("\nA private key cannot be deployed (Certificate metadata would make Salesforce mint a new\nkey), which is why the keystore is imported by hand.\n");
    s
}
