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
/// "message", "field"}}`. The answer may hold a key (a written file): the page drops it
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

/// One operation's report and the files it wrote.
type Done = (Value, Vec<Written>);

/// A request: its JSON, and the picked files in memory as the operation's host.
struct Request {
    json: Value,
    common: Common,
    host: Memory,
}

fn bad(e: serde_json::Error) -> Error {
    Error::Internal(format!("the page's request: {e}"))
}

impl Request {
    fn parse(request: &str) -> Result<Self, Error> {
        let json: Value = serde_json::from_str(request).map_err(bad)?;
        let common: Common = serde_json::from_value(json.clone()).map_err(bad)?;
        let host = common.memory()?;
        Ok(Request { json, common, host })
    }

    /// A text field, absent when empty.
    fn text(&self, k: &str) -> Option<String> {
        self.json
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    fn flag(&self, k: &str) -> bool {
        self.json.get(k).and_then(Value::as_bool).unwrap_or(false)
    }

    fn number(&self, k: &str, default: u32) -> u32 {
        self.json
            .get(k)
            .and_then(Value::as_u64)
            .map_or(default, |n| u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The input file's name (the file itself is in the host).
    fn input_name(&self) -> Result<String, Error> {
        self.text("input")
            .ok_or_else(|| Error::Invalid("choose a file first".into()))
    }

    fn input(&self) -> Result<Input, Error> {
        Ok(self.common.input(&self.input_name()?))
    }

    fn claims(&self) -> Result<Claims, Error> {
        serde_json::from_value(self.json.clone()).map_err(bad)
    }

    /// The report, with the files the operation wrote.
    fn done<T: Serialize>(&self, report: &T) -> Result<Done, Error> {
        Ok((to_value(report)?, self.host.take_outputs()))
    }
}

fn dispatch(command: &str, request: &str) -> Result<Done, Error> {
    let mut r = Request::parse(request)?;
    match command {
        "p12-to-jks" => p12_to_jks(&r),
        "selfsign" => selfsign(&r),
        "kid" => kid(&r),
        "verify" => verify(&mut r),
        "inspect" => {
            let report = ops::inspect::run(&r.host, &r.input()?)?;
            // As `certkit inspect --json` reports one file.
            Ok((
                json!({ "files": [to_value(&report)?], "errors": [] }),
                Vec::new(),
            ))
        }
        "explain" => {
            let provider = r
                .text("provider")
                .map(|p| choice("the provider", &Some(p), Integration::Google))
                .transpose()?;
            let text = r.text("text").unwrap_or_default();
            r.done(&ops::explain::run(&text, provider))
        }
        "metadata" => metadata(&r),
        "lint" => lint(&mut r),
        other => Err(Error::Internal(format!("no operation \"{other}\""))),
    }
}

/// `certkit p12-to-jks`, with the command's defaults.
fn p12_to_jks(r: &Request) -> Result<Done, Error> {
    let input = r.input_name()?;
    let policy = choice(
        "the password policy",
        &r.text("policy"),
        PasswordPolicy::Salesforce,
    )?;
    let report = ops::p12_to_jks::run(
        &r.host,
        &ops::p12_to_jks::Options {
            output: Some(ops::p12_to_jks::default_output(input.as_ref())),
            input: r.common.input(&input),
            entry: r.text("entry"),
            alias: r.text("alias"),
            out_password: r.common.out_password(r.flag("generate_password"), policy),
            cert: r.text("cert").map(PathBuf::from),
            days: 3650,
            allow_long_validity: false,
            allow_rule_violations: false,
            warn_days: 30,
            force: false,
        },
    )?;
    r.done(&report)
}

/// `certkit selfsign`: a new key and its certificate, and a JKS when asked.
fn selfsign(r: &Request) -> Result<Done, Error> {
    let report = ops::selfsign::run(
        &r.host,
        &ops::selfsign::Options {
            spec: CertSpec {
                common_name: r.text("common_name").unwrap_or_default(),
                organization: r.text("organization"),
                days: r.number("days", 365),
                ..CertSpec::default()
            },
            key_size: r.number("key_size", 2048),
            allow_long_validity: false,
            files: ops::selfsign::Files {
                out_dir: PathBuf::new(),
                name: r.text("name"),
                encrypt_key: false,
                jks: r.flag("jks"),
                p12: false,
                legacy_p12: false,
                out_password: r
                    .common
                    .out_password(r.flag("generate_password"), PasswordPolicy::Salesforce),
                force: false,
            },
        },
    )?;
    r.done(&report)
}

/// `certkit kid FILE... --jwks`: each input's identifiers and the JWK set.
fn kid(r: &Request) -> Result<Done, Error> {
    let inputs: Vec<String> = r
        .json
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
    let alg = r
        .text("alg")
        .map(|a| choice("the algorithm", &Some(a), Alg::RS256))
        .transpose()?;
    let mut reports = Vec::new();
    for name in &inputs {
        let o = ops::kid::Options {
            input: r.common.input(name),
            entry: r.text("entry"),
            jwk: true,
            alg,
            metadata: None,
        };
        reports.push(ops::kid::run(&r.host, &o)?);
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
    Ok((json!({"jwks": set, "inputs": inputs}), files))
}

/// `certkit verify --token-file`: a pasted token against a certificate or a key.
fn verify(r: &mut Request) -> Result<Done, Error> {
    const TOKEN: &str = "(pasted token)";
    let claims = r.claims()?;
    let token = r.text("token").unwrap_or_default();
    r.host.add(TOKEN, Zeroizing::new(token.into_bytes()));
    let report = ops::verify::run(
        &r.host,
        &ops::verify::Options {
            input: r.text("input").map(|n| r.common.input(&n)),
            entry: r.text("entry"),
            profile: claims.profile()?,
            alg: claims.alg()?,
            claims: ClaimFlags::default(),
            cert: r.text("cert").map(PathBuf::from),
            token: Some(ops::verify::TokenSource::File(TOKEN.into())),
            warn_days: 30,
            now: None,
        },
    )?;
    // The token is a credential the user pasted: not sent back (`verify --json` without
    // --print-token leaves it out too).
    let mut v = to_value(&report)?;
    if let Some(o) = v.as_object_mut() {
        o.remove("token");
    }
    Ok((v, Vec::new()))
}

/// `certkit metadata -o sfdx`: the SFDX project, as one zip.
fn metadata(r: &Request) -> Result<Done, Error> {
    let claims = r.claims()?;
    let report = ops::metadata::run(
        &r.host,
        &ops::metadata::Options {
            input: r.input()?,
            entry: r.text("entry"),
            profile: claims.profile()?,
            alg: claims.alg()?,
            claims: claims.flags(),
            name: r.text("name"),
            cert_name: r.text("cert_name"),
            cert: None,
            principal: r.text("principal").unwrap_or_else(|| "Default".into()),
            url: r.text("url"),
            token_url: r.text("token_url"),
            client_app: r.flag("client_app"),
            out_dir: PathBuf::from("sfdx"),
            force: false,
        },
    )?;
    let zip = crate::zip::stored(&r.host.take_outputs())?;
    let file = Written {
        name: format!("{}-sfdx.zip", report.name),
        bytes: zip,
        private: false,
    };
    Ok((to_value(&report)?, vec![file]))
}

/// `certkit preflight --external-credential`: a pasted External Credential against the key.
fn lint(r: &mut Request) -> Result<Done, Error> {
    const EC: &str = "pasted.externalCredential-meta.xml";
    let claims = r.claims()?;
    let ec = r
        .text("external_credential")
        .filter(|x| !x.trim().is_empty())
        .ok_or_else(|| Error::Invalid("paste the External Credential's XML first".into()))?;
    r.host.add(EC, Zeroizing::new(ec.into_bytes()));
    let target = match claims.profile()? {
        Profile::Salesforce => ops::preflight::Target::SalesforceJwt,
        Profile::Google | Profile::GoogleSelfSigned => ops::preflight::Target::Google,
        // As `preflight`, whose External Credential checks are Google's and Salesforce's.
        Profile::Generic => {
            return Err(Error::Invalid(
                "the External Credential check knows Google's and Salesforce's token endpoints: choose one of them".into(),
            ))
        }
    };
    let options = ops::preflight::Options {
        input: r.input()?,
        target,
        entry: r.text("entry"),
        cert: None,
        warn_days: 30,
        password_policy: PasswordPolicy::Salesforce,
        alg: claims.alg()?,
        claims: claims.flags(),
        live: None,
        metadata: Some(ops::preflight::MetadataFiles {
            external_credential: EC.into(),
            named_credential: None,
            permission_set: None,
            cert_name: r.text("cert_name"),
        }),
    };
    let report = ops::preflight::run(&r.host, &options, &Offline)?;
    r.done(&report)
}

fn to_value<T: Serialize>(report: &T) -> Result<Value, Error> {
    serde_json::to_value(report).map_err(|e| Error::Internal(format!("report: {e}")))
}

/// The page sends nothing: the operations it runs never ask (`preflight` without its live
/// step), and its Content-Security-Policy would have the browser refuse the request.
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
    // A setting is named by its field's label (the page's labels begin with these words).
    let part = |p: &Part| match p {
        Part::Words(w) => w.clone(),
        Part::Value(s, _) | Part::Alone(s) => {
            format!("the \u{201c}{}\u{201d} field", page_label(*s))
        }
    };
    let mut msg = match inner {
        Error::InvalidSetting(m) => m.render(part),
        other => other.to_string(),
    };
    if let Some(Hint::Setting(m)) = hint {
        msg.push_str(&m.render(part));
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

/// A setting in the page's words: its field's label begins with them (a test reads
/// web/index.html). The core's neutral words ([`Setting::label`]), but where the page's field
/// is not what the command line's option is (the token is pasted, not a file).
pub fn page_label(s: Setting) -> &'static str {
    match s {
        Setting::TokenFile => "assertion (JWT)",
        other => other.label(),
    }
}

/// The name of the page's form field for a setting, where a form has one.
pub fn field_name(s: Setting) -> Option<&'static str> {
    Some(match s {
        Setting::TokenFile => "token",
        Setting::ClientApp => "client_app",
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
