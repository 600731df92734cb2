//! The flag groups several commands share, each defined once with its help, and flattened
//! into the commands that take them.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::Args;

use certkit_core::assertion::ClaimFlags;
use certkit_core::choice::Choice;
use certkit_core::jws::Alg;
use certkit_core::open::Input;
use certkit_core::ops::OutPassword;
use certkit_core::passwords::Source;
use certkit_core::rules::salesforce::PasswordPolicy;

/// The heading of the options that relax a rule.
pub const RISKY: &str = "Risky options";

/// A value parser offering a library [`Choice`]'s values, each with its help.
pub fn choice<T: Choice + Send + Sync + Clone>() -> impl TypedValueParser<Value = T> {
    choice_described(T::help)
}

/// A value parser offering a library [`Choice`]'s values, each with the help `help` gives
/// (the command line's own words: a value's help that names this command's flags).
pub fn choice_described<T: Choice + Send + Sync + Clone>(
    help: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(
        T::ALL
            .iter()
            .map(|v| PossibleValue::new(v.name()).help(help(*v))),
    )
    .try_map(|s| T::from_name(&s).ok_or_else(|| unknown(&s)))
}

/// The error of a value the possible values admitted but the [`Choice`] does not know: clap
/// checks the values first, so this is a mismatch between the two lists, reported rather than
/// replaced by the first value.
fn unknown(s: &str) -> String {
    format!("\"{s}\" is not one of the values this option knows (an internal mismatch)")
}

/// A value parser offering some of a [`Choice`]'s values (a command that takes only these).
pub fn choice_among<T: Choice + Send + Sync + Clone>(
    values: &'static [T],
) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(
        values
            .iter()
            .map(|v| PossibleValue::new(v.name()).help(v.help())),
    )
    .try_map(|s| T::from_name(&s).ok_or_else(|| unknown(&s)))
}

/// The profiles of a token exchange (a Google self-signed JWT is sent to the API instead).
pub const EXCHANGE_PROFILES: &[certkit_core::assertion::Profile] = &[
    certkit_core::assertion::Profile::Google,
    certkit_core::assertion::Profile::Salesforce,
    certkit_core::assertion::Profile::Generic,
];

/// Where the keystore passwords come from (never a plain argument value): the part of
/// [`InPasswords`] that `expiry`, which opens no key, takes alone.
#[derive(Args, Debug, Default, Clone)]
#[command(next_help_heading = "Input passwords")]
pub struct StorePasswords {
    /// Read the keystore password from the first line of FILE. Repeatable, for inputs with
    /// different passwords: each input is opened with the first given password that opens it.
    #[arg(long, value_name = "FILE")]
    pub password_file: Vec<PathBuf>,
    /// Read the keystore password from environment variable VAR (repeatable, as
    /// --password-file; files are tried first, then variables, then standard input).
    #[arg(long, value_name = "VAR")]
    pub password_env: Vec<String>,
    /// Read the keystore password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

impl StorePasswords {
    /// The keystore passwords' sources the flags named, in the order they are tried.
    pub fn sources(&self) -> Vec<Source> {
        let files = self.password_file.iter().cloned().map(Source::File);
        let vars = self.password_env.iter().cloned().map(Source::Env);
        let stdin = self.password_stdin.then_some(Source::Stdin);
        files.chain(vars).chain(stdin).collect()
    }
}

/// Where the input's passwords come from (never a plain argument value).
#[derive(Args, Debug, Default, Clone)]
#[command(next_help_heading = "Input passwords")]
pub struct InPasswords {
    #[command(flatten)]
    pub store: StorePasswords,
    /// Read a JKS key's own password from the first line of FILE, when it differs from the
    /// keystore password (Google's notasecret and the empty password are tried anyway).
    #[arg(long, value_name = "FILE", group = "key_pw")]
    pub key_password_file: Option<PathBuf>,
    /// Read a JKS key's own password from environment variable VAR.
    #[arg(long, value_name = "VAR", group = "key_pw")]
    pub key_password_env: Option<String>,
}

impl InPasswords {
    /// The keystore passwords' sources the flags named, in the order they are tried.
    pub fn stores(&self) -> Vec<Source> {
        self.store.sources()
    }

    /// The key password's source, if a flag named one.
    pub fn key(&self) -> Option<Source> {
        if let Some(f) = &self.key_password_file {
            Some(Source::File(f.clone()))
        } else {
            self.key_password_env.clone().map(Source::Env)
        }
    }

    /// The input `path` with these password sources.
    pub fn input(&self, path: &std::path::Path) -> Input {
        let mut stores = self.stores().into_iter();
        Input {
            path: path.to_path_buf(),
            password: stores.next(),
            more_passwords: stores.collect(),
            key_password: self.key(),
        }
    }
}

/// Where the password of a file certkit writes comes from.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Output password")]
pub struct OutPasswords {
    /// Read the output keystore password from the first line of FILE.
    #[arg(long, value_name = "FILE", group = "out_pw")]
    pub out_password_file: Option<PathBuf>,
    /// Read the output keystore password from environment variable VAR.
    #[arg(long, value_name = "VAR", group = "out_pw")]
    pub out_password_env: Option<String>,
    /// Generate an 8-character password; it is shown once (stderr, or the --json report).
    #[arg(long, group = "out_pw")]
    pub generate_password: bool,
    #[command(flatten)]
    pub policy: PolicyArg,
}

impl OutPasswords {
    /// As the library's output password, with the command's default policy.
    pub fn spec(&self, default_policy: PasswordPolicy) -> OutPassword {
        OutPassword {
            source: match (&self.out_password_file, &self.out_password_env) {
                (Some(f), _) => Some(Source::File(f.clone())),
                (None, Some(v)) => Some(Source::Env(v.clone())),
                (None, None) => None,
            },
            generate: self.generate_password,
            policy: self.policy.password_policy.unwrap_or(default_policy),
        }
    }
}

/// Which entry of the input a command works on. `convert` and `p12-to-jks` flatten it too,
/// without its `--alias` alias (`mut_arg("entry", |a| a.alias(None))`): there `--alias` names
/// the entry written.
#[derive(Args, Debug, Default, Clone)]
pub struct EntryArg {
    /// The entry to use, by alias [default: the only private-key entry].
    #[arg(long, value_name = "ALIAS", alias = "alias")]
    pub entry: Option<String>,
}

/// The validity of a certificate certkit makes (selfsign, renew; p12-to-jks for a Google JSON
/// key), with its 10-year limit. Each command sets its own default and help with `mut_arg`.
#[derive(Args, Debug, Clone)]
pub struct ValidityArgs {
    /// Validity in days (1 to 3650; more needs --allow-long-validity).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub days: u32,
    /// Allow a validity longer than 10 years.
    #[arg(long, help_heading = RISKY)]
    pub allow_long_validity: bool,
}

/// How long a token exchange may take (exchange; preflight --live).
#[derive(Args, Debug, Clone)]
pub struct TimeoutArg {
    /// Seconds to wait for the whole exchange.
    #[arg(long, value_name = "SECONDS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
}

impl TimeoutArg {
    /// As a duration.
    pub fn duration(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.timeout)
    }
}

/// When a certificate counts as about to expire.
#[derive(Args, Debug, Clone)]
pub struct WarnDaysArg {
    /// Warn when a certificate expires within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30, value_parser = clap::value_parser!(i64).range(0..=36_500))]
    pub warn_days: i64,
}

/// Which keystore password policy applies.
#[derive(Args, Debug, Clone)]
pub struct PolicyArg {
    /// Keystore password policy (java accepts passwords Salesforce may refuse) [default:
    /// salesforce].
    #[arg(long, value_name = "POLICY", value_parser = choice::<PasswordPolicy>(), help_heading = RISKY)]
    pub password_policy: Option<PasswordPolicy>,
}

/// Replace outputs that exist.
#[derive(Args, Debug, Default, Clone)]
pub struct ForceArg {
    /// Replace the output if it exists (atomically: the old file stays until the new one is complete).
    #[arg(long)]
    pub force: bool,
}

/// The claims of an assertion, and its algorithm.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Assertion")]
pub struct ClaimArgs {
    /// Issuer (iss): the Google client_email, or the Connected App's consumer key.
    #[arg(long, value_name = "ISS", visible_alias = "consumer-key")]
    pub iss: Option<String>,
    /// Subject (sub): a Salesforce username, or the user a Google service account impersonates.
    #[arg(long, value_name = "SUB")]
    pub sub: Option<String>,
    /// Audience (aud).
    #[arg(long, value_name = "URL")]
    pub aud: Option<String>,
    /// Scopes, space-separated (a JWT body claim).
    #[arg(long, value_name = "SCOPES")]
    pub scope: Option<String>,
    /// Header kid [default: the Google key id for google, the RFC 7638 JWK thumbprint otherwise].
    // A thumbprint may begin with "-" (base64url): taken as the value, not as a flag.
    #[arg(long, value_name = "KID", allow_hyphen_values = true)]
    pub kid: Option<String>,
    /// An extra claim NAME=VALUE (VALUE as JSON if it parses, else a string); repeatable.
    #[arg(long = "claim", value_name = "NAME=VALUE")]
    pub claims: Vec<String>,
    /// exp minus iat, in seconds [default: 3600 Google, 120 otherwise].
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true, value_parser = clap::value_parser!(i64).range(-3_153_600_000..=3_153_600_000))]
    pub exp_seconds: Option<i64>,
    /// Signing algorithm.
    #[arg(long, value_name = "ALG", default_value = "RS256", value_parser = choice::<Alg>())]
    pub alg: Alg,
}

impl ClaimArgs {
    /// Whether any claim was given (the algorithm aside, which has a default).
    pub fn given(&self) -> bool {
        self.iss.is_some()
            || self.sub.is_some()
            || self.aud.is_some()
            || self.scope.is_some()
            || self.kid.is_some()
            || !self.claims.is_empty()
            || self.exp_seconds.is_some()
    }

    /// As the library's claim flags.
    pub fn flags(&self) -> ClaimFlags {
        ClaimFlags {
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

/// Where selfsign and renew write the key and certificate, and in which forms.
#[derive(Args, Debug, Clone)]
pub struct FileArgs {
    /// Folder for the outputs.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out_dir: std::path::PathBuf,
    /// Base name of the outputs (and the JKS alias) [default: the CN made a Salesforce Unique Name].
    #[arg(long, value_name = "NAME")]
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
}

impl FileArgs {
    /// As the library's file options.
    pub fn files(
        &self,
        out: &OutPasswords,
        force: &ForceArg,
    ) -> certkit_core::ops::selfsign::Files {
        certkit_core::ops::selfsign::Files {
            out_dir: self.out_dir.clone(),
            name: self.name.clone(),
            encrypt_key: self.encrypt_key,
            jks: self.jks,
            p12: self.p12,
            legacy_p12: self.legacy_p12,
            out_password: out.spec(PasswordPolicy::Salesforce),
            force: force.force,
        }
    }
}

/// The subject and names of a certificate certkit makes (selfsign), or changes (renew).
#[derive(Args, Debug, Clone, Default)]
pub struct SubjectArgs {
    /// Subject common name (CN), e.g. the org or integration name.
    #[arg(long, value_name = "CN")]
    pub cn: Option<String>,
    /// Subject organisation (O).
    #[arg(long, value_name = "O")]
    pub org: Option<String>,
    /// Subject organisational unit (OU).
    #[arg(long, value_name = "OU")]
    pub ou: Option<String>,
    /// Subject country (C), two letters.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Subject e-mail address.
    #[arg(long, value_name = "ADDRESS")]
    pub email: Option<String>,
    /// Subject alternative name: a DNS name, or an e-mail address (repeatable; replaces
    /// the certificate's own).
    #[arg(long = "san", value_name = "NAME")]
    pub sans: Vec<String>,
}

impl SubjectArgs {
    /// As the library's subject fields.
    pub fn subject(&self) -> certkit_core::certgen::Subject {
        certkit_core::certgen::Subject {
            common_name: self.cn.clone(),
            organization: self.org.clone(),
            organizational_unit: self.ou.clone(),
            country: self.country.clone(),
            email: self.email.clone(),
            sans: self.sans.clone(),
        }
    }
}

/// A command's flags, built only when that command runs (or when help, a man page or a
/// completion script needs them all): clap's `defer`. Building the flags of all 14 commands
/// for every run was most of certkit's start-up (885,000 of 1.8 million instructions for
/// `certkit --version`, callgrind); parsing and the parsed values are the inner type's.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T: clap::Args> clap::FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }
    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

impl<T: clap::Args> clap::Args for Deferred<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(build_later::<T, false>)
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(build_later::<T, true>)
    }
}

/// The deferred build of `T`'s flags. It keeps the command's help texts: clap's derive gives
/// a command the texts of its enum variant after those of the flags struct, and a deferred
/// build comes last, so the variant's texts are put back.
fn build_later<T: clap::Args, const UPDATE: bool>(cmd: clap::Command) -> clap::Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let cmd = if UPDATE {
        T::augment_args_for_update(cmd)
    } else {
        T::augment_args(cmd)
    };
    let cmd = match about {
        Some(text) => cmd.about(text),
        None => cmd,
    };
    match long_about {
        Some(text) => cmd.long_about(text),
        None => cmd,
    }
}
