//! Every flag of every subcommand, with its help text, in one place (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::passwords::Source;
use crate::rules::salesforce::PasswordPolicy;

/// Keys and certificates for Salesforce JWT integrations.
#[derive(Parser, Debug)]
#[command(name = "certkit", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// certkit's subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Convert a Google service-account key (P12 or JSON), or any keystore, to a JKS that
    /// Salesforce's Import from Keystore accepts.
    #[command(name = "p12-to-jks")]
    P12ToJks(P12ToJksArgs),
    /// Show what is inside a keystore, certificate or key file (like keytool -list -v).
    Inspect(InspectArgs),
    /// Make an RSA key and a self-signed signing certificate (PEM; JKS and P12 on request)
    /// for a Connected App or an External Credential.
    Selfsign(SelfsignArgs),
    /// Print every identifier a verifier may look the key up by (Google key id, x5t, JWK thumbprint...).
    Kid(KidArgs),
    /// Sign the assertion a provider expects, verify it with the certificate, check the claim rules.
    Verify(VerifyArgs),
    /// Run a runbook step's checks (pass / warn / fail, each with its fix).
    Preflight(PreflightArgs),
}

/// Where the input password comes from (never a plain argument value).
#[derive(Args, Debug, Default, Clone)]
pub struct InPassword {
    /// Read the input password from the first line of FILE.
    #[arg(long, value_name = "FILE", group = "in_pw")]
    pub password_file: Option<PathBuf>,
    /// Read the input password from environment variable VAR.
    #[arg(long, value_name = "VAR", group = "in_pw")]
    pub password_env: Option<String>,
    /// Read the input password from the first line of standard input.
    #[arg(long, group = "in_pw")]
    pub password_stdin: bool,
}

impl InPassword {
    /// The explicit source, if any flag named one.
    pub fn source(&self) -> Option<Source> {
        if let Some(f) = &self.password_file {
            Some(Source::File(f.clone()))
        } else if let Some(v) = &self.password_env {
            Some(Source::Env(v.clone()))
        } else if self.password_stdin {
            Some(Source::Stdin)
        } else {
            None
        }
    }
}

/// Where a JKS key password comes from, when it is not the keystore password.
#[derive(Args, Debug, Default, Clone)]
pub struct KeyPassword {
    /// Read the input JKS key password from the first line of FILE (when it differs from
    /// the keystore password; Google's notasecret and the empty password are tried anyway).
    #[arg(long, value_name = "FILE", group = "key_pw")]
    pub key_password_file: Option<PathBuf>,
    /// Read the input JKS key password from environment variable VAR.
    #[arg(long, value_name = "VAR", group = "key_pw")]
    pub key_password_env: Option<String>,
}

impl KeyPassword {
    /// The explicit source, if any.
    pub fn source(&self) -> Option<Source> {
        if let Some(f) = &self.key_password_file {
            Some(Source::File(f.clone()))
        } else {
            self.key_password_env
                .as_ref()
                .map(|v| Source::Env(v.clone()))
        }
    }
}

/// Where the output keystore password comes from.
#[derive(Args, Debug, Clone)]
pub struct OutPassword {
    /// Read the output keystore password from the first line of FILE.
    #[arg(long, value_name = "FILE", group = "out_pw")]
    pub out_password_file: Option<PathBuf>,
    /// Read the output keystore password from environment variable VAR.
    #[arg(long, value_name = "VAR", group = "out_pw")]
    pub out_password_env: Option<String>,
    /// Generate an 8-character password; it is shown once (stderr, or the --json report).
    #[arg(long, group = "out_pw")]
    pub generate_password: bool,
    /// Keystore password policy: salesforce = 6 to 8 printable ASCII characters; java = at least 6.
    #[arg(long, value_enum, default_value_t = PasswordPolicy::Salesforce)]
    pub password_policy: PasswordPolicy,
}

impl OutPassword {
    /// The explicit file or environment source, if any.
    pub fn source(&self) -> Option<Source> {
        if let Some(f) = &self.out_password_file {
            Some(Source::File(f.clone()))
        } else {
            self.out_password_env
                .as_ref()
                .map(|v| Source::Env(v.clone()))
        }
    }
}

/// Arguments of `certkit p12-to-jks`.
#[derive(Args, Debug)]
pub struct P12ToJksArgs {
    /// The input: a Google P12 or JSON key, or any PKCS#12, JKS or PEM file.
    pub input: PathBuf,
    /// Output JKS file [default: the input's name with .jks, in the current folder].
    #[arg(short, long, value_name = "OUT.jks")]
    pub output: Option<PathBuf>,
    /// Alias of the key in the JKS (the certificate's Unique Name in Salesforce)
    /// [default: the entry's friendlyName, else derived from the certificate CN].
    #[arg(long)]
    pub alias: Option<String>,
    /// Which private-key entry of the input to convert, by its alias, when it has several.
    #[arg(long, value_name = "ALIAS")]
    pub entry: Option<String>,
    /// Input password source.
    #[command(flatten)]
    pub in_password: InPassword,
    /// Input JKS key password source.
    #[command(flatten)]
    pub key_password: KeyPassword,
    /// Output password source and policy.
    #[command(flatten)]
    pub out_password: OutPassword,
    /// For a JSON key: a certificate to use instead of a generated one (PEM, or Google's
    /// x509 metadata document); the one whose public key matches is taken.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// For a JSON key: validity in days of the generated wrapper certificate.
    #[arg(long, default_value_t = 3650)]
    pub days: u32,
    /// Write even when a Salesforce import rule is broken (each broken rule is warned about).
    #[arg(long)]
    pub no_salesforce_rules: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Print a machine-readable JSON report on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `certkit inspect`.
#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The file to inspect: JKS, PKCS#12, PEM, DER or Google JSON.
    pub input: PathBuf,
    /// Password source (a JKS without one is listed, its integrity unchecked).
    #[command(flatten)]
    pub in_password: InPassword,
    /// Print a machine-readable JSON report on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `certkit selfsign`.
#[derive(Args, Debug)]
pub struct SelfsignArgs {
    /// Subject common name (CN), e.g. the org or integration name.
    #[arg(long)]
    pub cn: String,
    /// RSA key size in bits: 2048, 3072 or 4096 (what Salesforce imports).
    #[arg(long, default_value = "2048", value_parser = ["2048", "3072", "4096"])]
    pub key_size: String,
    /// Validity in days (1 to 3650; more needs --allow-long-validity).
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    /// Allow a validity longer than 10 years.
    #[arg(long)]
    pub allow_long_validity: bool,
    /// Subject organisation (O).
    #[arg(long)]
    pub org: Option<String>,
    /// Subject organisational unit (OU).
    #[arg(long)]
    pub ou: Option<String>,
    /// Subject country (C), two letters.
    #[arg(long)]
    pub country: Option<String>,
    /// Subject e-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Subject alternative name: a DNS name, or an e-mail address (repeatable).
    #[arg(long = "san", value_name = "NAME")]
    pub sans: Vec<String>,
    /// Folder for the outputs.
    #[arg(long, default_value = ".")]
    pub out_dir: PathBuf,
    /// Base name of the outputs (and the JKS alias) [default: the CN made a Salesforce Unique Name].
    #[arg(long)]
    pub name: Option<String>,
    /// Protect BASE.key with the password (PKCS#8, PBES2 / AES-256-CBC).
    #[arg(long)]
    pub encrypt_key: bool,
    /// Also write BASE.jks for Salesforce's Import from Keystore.
    #[arg(long)]
    pub jks: bool,
    /// Also write BASE.p12 (PBES2 / AES-256 unless --legacy-p12).
    #[arg(long)]
    pub p12: bool,
    /// Write BASE.p12 with 3DES and HMAC-SHA1, for old Java and Windows.
    #[arg(long, requires = "p12")]
    pub legacy_p12: bool,
    /// Password for the key, JKS and P12 (one password for all).
    #[command(flatten)]
    pub out_password: OutPassword,
    /// Replace outputs that exist.
    #[arg(long)]
    pub force: bool,
    /// Print a machine-readable JSON report on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `certkit kid`.
#[derive(Args, Debug)]
pub struct KidArgs {
    /// A keystore, key or certificate file.
    pub input: PathBuf,
    /// Which entry, by alias [default: the only private-key entry].
    #[arg(long)]
    pub alias: Option<String>,
    /// Print the public JWK (with kid, alg, use, x5c, x5t#S256).
    #[arg(long)]
    pub jwk: bool,
    /// Google's x509 or JWK metadata document of the account: say which key id in it is this key.
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,
    /// Password source.
    #[command(flatten)]
    pub in_password: InPassword,
    /// Print a machine-readable JSON report on stdout.
    #[arg(long)]
    pub json: bool,
}

/// The claims of an assertion, as flags.
#[derive(Args, Debug, Clone, Default)]
pub struct ClaimArgs {
    /// Issuer (iss): Google client_email, or the Connected App's consumer key.
    #[arg(long)]
    pub iss: Option<String>,
    /// Subject (sub): a Salesforce username, or the user a Google service account impersonates.
    #[arg(long)]
    pub sub: Option<String>,
    /// Audience (aud).
    #[arg(long)]
    pub aud: Option<String>,
    /// Scopes, space-separated (a JWT body claim).
    #[arg(long)]
    pub scope: Option<String>,
    /// Header kid [default: the Google key id for Google profiles, the alias for salesforce].
    #[arg(long)]
    pub kid: Option<String>,
    /// An extra claim NAME=VALUE (VALUE as JSON if it parses, else a string); repeatable.
    #[arg(long = "claim", value_name = "NAME=VALUE")]
    pub claims: Vec<String>,
    /// exp minus iat, in seconds [default: 3600 Google, 120 Salesforce].
    #[arg(long, allow_negative_numbers = true)]
    pub exp_seconds: Option<i64>,
}

impl ClaimArgs {
    /// As the library's claim flags.
    pub fn flags(&self) -> crate::assertion::ClaimFlags {
        crate::assertion::ClaimFlags {
            iss: self.iss.clone(),
            sub: self.sub.clone(),
            aud: self.aud.clone(),
            scope: self.scope.clone(),
            kid: self.kid.clone(),
            claims: self.claims.clone(),
            exp_seconds: self.exp_seconds,
        }
    }
}

/// Arguments of `certkit verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The signing key (any keystore or key file); optional with --token and --cert.
    pub input: Option<PathBuf>,
    /// Which entry, by alias [default: the only private-key entry].
    #[arg(long)]
    pub alias: Option<String>,
    /// Claim profile: defaults and rules of the token endpoint.
    #[arg(long, value_enum, default_value_t = crate::assertion::Profile::Generic)]
    pub profile: crate::assertion::Profile,
    /// Signing algorithm.
    #[arg(long, value_enum, default_value_t = crate::jwt::Alg::RS256)]
    pub alg: crate::jwt::Alg,
    /// The claims.
    #[command(flatten)]
    pub claims: ClaimArgs,
    /// Verify with this certificate (the one the other side holds: the Connected App's, or
    /// Google's x509 metadata document) instead of the input's own.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// Check a token made elsewhere instead of signing one ("-" reads it from standard input).
    #[arg(long)]
    pub token: Option<String>,
    /// Write the signed assertion to stdout (the report goes to stderr).
    #[arg(long, conflicts_with = "json")]
    pub print_token: bool,
    /// Password source.
    #[command(flatten)]
    pub in_password: InPassword,
    /// Print a machine-readable JSON report on stdout.
    #[arg(long)]
    pub json: bool,
}

/// What `certkit preflight` checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// Salesforce Certificate and Key Management > Import from Keystore.
    SalesforceImport,
    /// The key and certificate of a Connected App with "Use digital signatures".
    ConnectedApp,
    /// A Google service-account key and its token-exchange assertion.
    Google,
    /// An assertion for Salesforce's JWT bearer token endpoint.
    SalesforceJwt,
}

/// Arguments of `certkit preflight`.
#[derive(Args, Debug)]
pub struct PreflightArgs {
    /// The keystore or key file of the step.
    pub input: PathBuf,
    /// The runbook step to check.
    #[arg(long, value_enum)]
    pub target: Target,
    /// Which entry, by alias.
    #[arg(long)]
    pub alias: Option<String>,
    /// The certificate the other side holds (Connected App, Google's metadata).
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// Warn when the certificate expires within this many days.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(0..=36_500))]
    pub warn_days: i64,
    /// Keystore password policy (salesforce-import).
    #[arg(long, value_enum, default_value_t = PasswordPolicy::Salesforce)]
    pub password_policy: PasswordPolicy,
    /// Signing algorithm of the assertion.
    #[arg(long, value_enum, default_value_t = crate::jwt::Alg::RS256)]
    pub alg: crate::jwt::Alg,
    /// The claims (google, salesforce-jwt).
    #[command(flatten)]
    pub claims: ClaimArgs,
    /// Password source.
    #[command(flatten)]
    pub in_password: InPassword,
    /// Print a machine-readable JSON report on stdout.
    #[arg(long)]
    pub json: bool,
}

impl Cli {
    /// Whether the command asked for a JSON report (errors are then reported as JSON too).
    pub fn json(&self) -> bool {
        match &self.command {
            Command::P12ToJks(a) => a.json,
            Command::Inspect(a) => a.json,
            Command::Selfsign(a) => a.json,
            Command::Kid(a) => a.json,
            Command::Verify(a) => a.json,
            Command::Preflight(a) => a.json,
        }
    }
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> crate::error::Result<()> {
    match cli.command {
        Command::P12ToJks(a) => crate::commands::p12_to_jks::run(a),
        Command::Inspect(a) => crate::commands::inspect::run(a),
        Command::Selfsign(a) => crate::commands::selfsign::run(a),
        Command::Kid(a) => crate::commands::kid::run(a),
        Command::Verify(a) => crate::commands::verify::run(a),
        Command::Preflight(a) => crate::commands::preflight::run(a),
    }
}
