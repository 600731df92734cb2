//! The page's operations: one request (JSON: the options and the picked files, base64) in,
//! one answer (JSON: the report, the files written, or the error) out. Each runs the same
//! core operation as the command of the same name, with the same options and defaults, so
//! its report is the command's `--json` report and its files are the command's files.
//!
//! JSON both ways keeps the boundary one plain function, testable natively
//! (`cargo test -p certkit-web`) as well as in the browser.

use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use certkit_core::assertion::{ClaimFlags, Profile};
use certkit_core::certgen::CertSpec;
use certkit_core::choice::Choice;
use certkit_core::error::{Error, Hint, WhichPassword};
use certkit_core::http::{Answer, Transport};
use certkit_core::integration::Integration;
use certkit_core::jws::Alg;
use certkit_core::open::Input;
use certkit_core::ops::{self, OutPassword};
use certkit_core::passwords::Source;
use certkit_core::rules::salesforce::PasswordPolicy;
use certkit_core::secret::{Password, SecretBytes};
use certkit_core::setting::{Part, Setting};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use zeroize::Zeroizing;

use crate::host::{Memory, Written};

/// Run `command` with `request` (JSON); the answer as JSON: `{"ok": true, "report": ...,
/// "files": [{"name", "base64", "private"}]}` or `{"ok": false, "error": {"kind",
/// "message", "which"}}`. The answer may hold a key (a written file): the page drops it
/// when the view is left, and this module's memory is wiped as it is freed.
pub fn run(command: &str, request: &str) -> Zeroizing<String> {
    let answer = match dispatch(command, request) {
        Ok((report, files)) => json!({
            "ok": true,
            "report": report,
            "files": files.iter().map(|f| json!({
                "name": f.name,
                "base64": B64.encode(&f.bytes[..]),
                "private": f.private,
            })).collect::<Vec<_>>(),
        }),
        Err(e) => json!({ "ok": false, "error": error(&e) }),
    };
    Zeroizing::new(answer.to_string())
}

/// One picked file.
#[derive(Deserialize, Default)]
struct Picked {
    name: String,
    base64: String,
}

/// The picked files and the passwords typed. Like every other block of this module's memory,
/// wiped when freed (the allocator, `zeroizing-alloc`, wipes each block it frees: serde's
/// copies included).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Common {
    /// The picked files.
    files: Vec<Picked>,
    /// The input's password (keystore, PEM key).
    password: Option<String>,
    /// A JKS key's own password.
    key_password: Option<String>,
    /// The output's password.
    out_password: Option<String>,
}

impl Common {
    fn memory(&self) -> Result<Memory, Error> {
        let mut m = Memory::default();
        for f in &self.files {
            let bytes = B64
                .decode(f.base64.as_bytes())
                .map_err(|e| Error::Internal(format!("the page sent {} badly: {e}", f.name)))?;
            m.add(&f.name, Zeroizing::new(bytes));
        }
        Ok(m)
    }

    fn input(&self, name: &str) -> Input {
        Input {
            path: PathBuf::from(name),
            password: given(&self.password),
            more_passwords: Vec::new(),
            key_password: given(&self.key_password),
        }
    }

    fn out_password(&self, generate: bool, policy: PasswordPolicy) -> OutPassword {
        OutPassword {
            source: given(&self.out_password),
            generate,
            policy,
        }
    }
}

fn given(pw: &Option<String>) -> Option<Source> {
    pw.as_ref().map(|p| Source::Given(Password::new(p.clone())))
}

fn choice<T: Choice>(what: &str, name: &Option<String>, default: T) -> Result<T, Error> {
    match name.as_deref() {
        None | Some("") => Ok(default),
        Some(n) => T::from_name(n)
            .ok_or_else(|| Error::Invalid(format!("{what} \"{n}\" is not one certkit knows"))),
    }
}

/// A JWT's claims as the forms give them (the command line's claim options).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Claims {
    profile: Option<String>,
    alg: Option<String>,
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<String>,
    scope: Option<String>,
    kid: Option<String>,
}

impl Claims {
    fn flags(&self) -> ClaimFlags {
        let some = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        ClaimFlags {
            iss: some(&self.iss),
            sub: some(&self.sub),
            aud: some(&self.aud),
            scope: some(&self.scope),
            kid: some(&self.kid),
            ..ClaimFlags::default()
        }
    }
    fn profile(&self) -> Result<Profile, Error> {
        choice("the profile", &self.profile, Profile::Google)
    }
    fn alg(&self) -> Result<Alg, Error> {
        choice("the algorithm", &self.alg, Alg::RS256)
    }
}

type Done = (Value, Vec<Written>);

fn dispatch(command: &str, request: &str) -> Result<Done, Error> {
    let bad = |e: serde_json::Error| Error::Internal(format!("the page's request: {e}"));
    let req: Value = serde_json::from_str(request).map_err(bad)?;
    let common: Common = serde_json::from_value(req.clone()).map_err(bad)?;
    let mut host = common.memory()?;
    let field = |k: &str| req.get(k).and_then(Value::as_str).map(str::to_string);
    let flag = |k: &str| req.get(k).and_then(Value::as_bool).unwrap_or(false);
    let input_name = || field("input").ok_or_else(|| Error::Invalid("choose a file first".into()));
    let report = match command {
        "p12-to-jks" => {
            let input = input_name()?;
            let report = ops::p12_to_jks::run(
                &host,
                &ops::p12_to_jks::Options {
                    output: Some(ops::p12_to_jks::default_output(input.as_ref())),
                    input: common.input(&input),
                    entry: field("entry").filter(|e| !e.is_empty()),
                    alias: field("alias").filter(|a| !a.is_empty()),
                    out_password: common.out_password(
                        flag("generate_password"),
                        choice(
                            "the password policy",
                            &field("policy"),
                            PasswordPolicy::Salesforce,
                        )?,
                    ),
                    cert: field("cert").map(PathBuf::from),
                    days: 3650,
                    allow_long_validity: false,
                    allow_rule_violations: false,
                    warn_days: 30,
                    force: false,
                },
            )?;
            to_value(&report)?
        }
        "selfsign" => {
            let days = req.get("days").and_then(Value::as_u64).unwrap_or(365) as u32;
            let report = ops::selfsign::run(
                &host,
                &ops::selfsign::Options {
                    spec: CertSpec {
                        common_name: field("common_name").unwrap_or_default(),
                        organization: field("organization").filter(|s| !s.is_empty()),
                        days,
                        ..CertSpec::default()
                    },
                    key_size: req.get("key_size").and_then(Value::as_u64).unwrap_or(2048) as u32,
                    allow_long_validity: false,
                    files: ops::selfsign::Files {
                        out_dir: PathBuf::new(),
                        name: field("name").filter(|s| !s.is_empty()),
                        encrypt_key: false,
                        jks: flag("jks"),
                        p12: false,
                        legacy_p12: false,
                        out_password: common
                            .out_password(flag("generate_password"), PasswordPolicy::Salesforce),
                        force: false,
                    },
                },
            )?;
            to_value(&report)?
        }
        "kid" => {
            let inputs: Vec<String> = req
                .get("inputs")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if inputs.is_empty() {
                return Err(Error::Invalid("choose a file first".into()));
            }
            let alg = field("alg")
                .map(|a| choice("the algorithm", &Some(a), Alg::RS256))
                .transpose()?;
            let mut reports = Vec::new();
            for name in &inputs {
                reports.push(ops::kid::run(
                    &host,
                    &ops::kid::Options {
                        input: common.input(name),
                        entry: None,
                        jwk: true,
                        alg,
                        metadata: None,
                    },
                )?);
            }
            let set = ops::kid::jwk_set(reports.iter());
            // The same bytes as `certkit kid FILE... --jwks > jwks.json`.
            let text = format!(
                "{}\n",
                serde_json::to_string_pretty(&set).unwrap_or_default()
            );
            let files = vec![Written {
                name: "jwks.json".into(),
                bytes: Zeroizing::new(text.into_bytes()),
                private: false,
            }];
            let inputs: Vec<Value> = inputs
                .iter()
                .zip(&reports)
                .map(|(name, r)| json!({"input": name, "report": r}))
                .collect();
            return Ok((json!({"jwks": set, "inputs": inputs}), files));
        }
        "verify" => {
            let claims: Claims = serde_json::from_value(req.clone()).map_err(bad)?;
            let token = field("token").unwrap_or_default();
            host.add("(pasted token)", Zeroizing::new(token.into_bytes()));
            let report = ops::verify::run(
                &host,
                &ops::verify::Options {
                    input: field("input").map(|n| common.input(&n)),
                    entry: None,
                    profile: claims.profile()?,
                    alg: claims.alg()?,
                    claims: ClaimFlags::default(),
                    cert: field("cert").map(PathBuf::from),
                    token: Some(ops::verify::TokenSource::File("(pasted token)".into())),
                    warn_days: 30,
                    now: None,
                },
            )?;
            // The token is a credential the user pasted: not sent back (`verify --json`
            // without --print-token leaves it out too).
            let mut v = to_value(&report)?;
            if let Some(o) = v.as_object_mut() {
                o.remove("token");
            }
            v
        }
        "inspect" => {
            let input = input_name()?;
            let report = ops::inspect::run(&host, &common.input(&input))?;
            json!({ "files": [to_value(&report)?], "errors": [] })
        }
        "explain" => {
            let provider = field("provider")
                .filter(|p| !p.is_empty())
                .map(|p| choice("the provider", &Some(p), Integration::Google))
                .transpose()?;
            to_value(&ops::explain::run(
                &field("text").unwrap_or_default(),
                provider,
            ))?
        }
        "metadata" => {
            let input = input_name()?;
            let claims: Claims = serde_json::from_value(req.clone()).map_err(bad)?;
            let report = ops::metadata::run(
                &host,
                &ops::metadata::Options {
                    input: common.input(&input),
                    entry: None,
                    profile: claims.profile()?,
                    alg: claims.alg()?,
                    claims: claims.flags(),
                    name: field("name").filter(|s| !s.is_empty()),
                    cert_name: field("cert_name").filter(|s| !s.is_empty()),
                    cert: None,
                    principal: field("principal")
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| "Default".into()),
                    url: field("url").filter(|s| !s.is_empty()),
                    token_url: field("token_url").filter(|s| !s.is_empty()),
                    client_app: flag("client_app"),
                    out_dir: PathBuf::from("sfdx"),
                    force: false,
                },
            )?;
            let files = host.take_outputs();
            let zip = crate::zip::stored(&files)?;
            let name = format!("{}-sfdx.zip", report.name);
            return Ok((
                to_value(&report)?,
                vec![Written {
                    name,
                    bytes: zip,
                    private: false,
                }],
            ));
        }
        "lint" => {
            let input = input_name()?;
            let claims: Claims = serde_json::from_value(req.clone()).map_err(bad)?;
            let ec = field("external_credential").unwrap_or_default();
            if ec.trim().is_empty() {
                return Err(Error::Invalid(
                    "paste the External Credential's XML first".into(),
                ));
            }
            let ec_name = "pasted.externalCredential-meta.xml";
            host.add(ec_name, Zeroizing::new(ec.into_bytes()));
            let target = match claims.profile()? {
                Profile::Salesforce => ops::preflight::Target::SalesforceJwt,
                _ => ops::preflight::Target::Google,
            };
            let report = ops::preflight::run(
                &host,
                &ops::preflight::Options {
                    input: common.input(&input),
                    target,
                    entry: None,
                    cert: None,
                    warn_days: 30,
                    password_policy: PasswordPolicy::Salesforce,
                    alg: claims.alg()?,
                    claims: claims.flags(),
                    live: None,
                    metadata: Some(ops::preflight::MetadataFiles {
                        external_credential: ec_name.into(),
                        named_credential: None,
                        permission_set: None,
                        cert_name: field("cert_name").filter(|s| !s.is_empty()),
                    }),
                },
                &Offline,
            )?;
            to_value(&report)?
        }
        other => return Err(Error::Internal(format!("no operation \"{other}\""))),
    };
    Ok((report, host.take_outputs()))
}

fn to_value<T: Serialize>(report: &T) -> Result<Value, Error> {
    serde_json::to_value(report).map_err(|e| Error::Internal(format!("report: {e}")))
}

/// The page sends nothing: its Content-Security-Policy forbids every connection, and the
/// operations it runs never ask (`preflight` without its live step).
struct Offline;

impl Transport for Offline {
    fn post_form(
        &self,
        url: &str,
        _form: &SecretBytes,
        _t: std::time::Duration,
    ) -> Result<Answer, Error> {
        Err(Error::Internal(format!(
            "the page makes no request ({url}): the exchange runs in the command line"
        )))
    }
}

/// An error as the page shows it: the core's kind and message, with the settings named as
/// the page's fields and the remedy in the page's words (the command line names its flags).
fn error(e: &Error) -> Value {
    let (inner, hint) = e.parts();
    let field = |p: &Part| match p {
        Part::Words(w) => w.clone(),
        Part::Value(s, _) | Part::Alone(s) => format!("the \u{201c}{}\u{201d} field", label(*s)),
    };
    let mut msg = match inner {
        Error::InvalidSetting(m) => m.render(field),
        other => other.to_string(),
    };
    if let Some(Hint::Setting(m)) = hint {
        msg.push_str(&m.render(field));
    }
    // The form field to put right: a password asked for or refused, else the first setting
    // the message names.
    let password = match inner {
        Error::PasswordRequired { which, .. } | Error::WrongPassword { which, .. } => Some(*which),
        _ => None,
    };
    let settings = match (inner, hint) {
        (Error::InvalidSetting(m), _) | (_, Some(Hint::Setting(m))) => m.settings().collect(),
        _ => Vec::new(),
    };
    let field = match (password, hint) {
        (Some(WhichPassword::Store | WhichPassword::PemKey), _) => Some("password"),
        (Some(WhichPassword::Key), _) | (_, Some(Hint::KeyPassword)) => Some("key_password"),
        (Some(WhichPassword::Output), _) | (_, Some(Hint::OutPassword)) => Some("out_password"),
        (_, Some(Hint::Alias)) => Some("alias"),
        (_, Some(Hint::ChooseEntry)) => Some("entry"),
        (_, Some(Hint::LongValidity)) => Some("days"),
        _ => settings.into_iter().find_map(field_name),
    };
    // The remedy in the page's words, where the message does not already give it (the
    // command line names its flags here).
    let extra = match hint {
        Some(Hint::ChooseEntry) => {
            Some("type the name of the one to use in the \u{201c}entry\u{201d} field")
        }
        Some(Hint::KeyPassword) => {
            Some("type the key's own password in the \u{201c}key password\u{201d} field")
        }
        Some(Hint::Alias) => Some("type an alias of letters, digits and underscores"),
        _ => None,
    };
    if let Some(x) = extra {
        msg.push('\n');
        msg.push_str(x);
    }
    json!({ "kind": e.kind().name(), "message": msg, "field": field })
}

/// A setting as the page's forms label it.
pub fn label(s: Setting) -> &'static str {
    s.label()
}

/// The name of the page's form field for a setting, where a form has one.
fn field_name(s: Setting) -> Option<&'static str> {
    Some(match s {
        Setting::Alias => "alias",
        Setting::Name => "name",
        Setting::CertName => "cert_name",
        Setting::Issuer => "iss",
        Setting::Subject => "sub",
        Setting::Audience => "aud",
        Setting::ApiUrl => "url",
        Setting::TokenUrl => "token_url",
        Setting::Certificate => "cert",
        _ => return None,
    })
}
