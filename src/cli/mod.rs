//! The command line: every flag with its help (clap derive), one file per command. Each
//! command's `exec` turns its flags into the library's typed options, runs the operation,
//! and renders the report it returns, as text or as `--json`. Help, man pages and shell
//! completions are generated from these definitions.

pub mod args;
mod completions;
mod convert;
pub mod error;
mod exchange;
mod expiry;
mod explain;
mod inspect;
mod kid;
mod man;
mod metadata;
mod p12_to_jks;
mod preflight;
pub mod render;
mod renew;
mod selfsign;
mod verify;

use clap::{Parser, Subcommand};

use args::Deferred;

use error::{CliError, Result};

/// Keys and certificates for Salesforce JWT integrations.
#[derive(Parser, Debug)]
#[command(
    name = "certkit",
    version,
    about,
    long_about = "Keys and certificates for Salesforce JWT integrations: Google P12 or JSON keys to the JKS \
Salesforce imports, conversions between JKS, PKCS#12, PEM and DER, self-signed and renewed certificates, key ids, \
expiry checks, the JWT assertion checked before Salesforce sends it, the token exchange itself and the \
explanation of its errors, and the External Credential as deployable metadata.",
    after_long_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    /// Print a machine-readable JSON report on stdout (errors too).
    #[arg(long, global = true)]
    pub json: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The exit codes, as every command's long help and the man page list them.
pub const EXIT_CODES: &str = "\
Exit codes:
  0    done; verify, preflight, kid --metadata: no rule the endpoint enforces is broken
       (warnings may remain); exchange: a token was granted (or --dry-run: no enforced
       rule broken); explain: the text was explained
  1    a check failed: an enforced rule is broken (verify, preflight, exchange --dry-run;
       kid --metadata found no matching key); exchange: the provider refused; explain: no
       error certkit knows was found; expiry: a certificate has expired or expires within
       the window, or a file could not be read (unless --allow-unread)
  2    usage: a flag missing or wrong, an entry that does not exist or was not chosen, a
       file without the private key needed, a token or password given as an argument
  3    wrong password (the message says which: keystore, key, or PEM key password)
  4    damaged, truncated or unknown file, or a JSON key field missing or malformed
  5    unsupported algorithm or feature (named): an EC key where RSA is needed, JCEKS...
  6    refused by a rule (named, with its fix): Salesforce's key rules, an expired
       certificate, the password policy, the alias
  7    the output exists; nothing was written (--force replaces it)
  8    a file could not be read or written (missing, a folder, no permission)
  9    a password is needed and no flag or terminal gave it (an empty source is named)
  10   exchange, preflight --live: the token endpoint could not be reached (the step is
       named: name resolution, connection, TLS, proxy, timeout, HTTP; plain HTTP on an
       https:// URL is named so), or what answered is not the token endpoint (an HTML
       page, a gateway's 5xx, JSON without access_token or error: status and first line)
  101  internal error (a bug): one line, no backtrace";

/// The end of a command's long help and man page: its examples, then the exit codes.
fn tail(examples: &str) -> String {
    format!("{examples}\n\n{EXIT_CODES}")
}

/// certkit's commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Convert a Google service-account key (P12 or JSON), or any keystore, to a JKS that
    /// Salesforce's Import from Keystore accepts.
    #[command(name = "p12-to-jks", after_long_help = tail(p12_to_jks::EXAMPLES))]
    P12ToJks(Deferred<p12_to_jks::Args>),
    /// Show what is inside a keystore, certificate or key file (like keytool -list -v).
    #[command(after_long_help = tail(inspect::EXAMPLES))]
    Inspect(Deferred<inspect::Args>),
    /// Make an RSA key and a self-signed signing certificate (PEM; JKS and P12 on request)
    /// for a Connected App or an External Credential.
    #[command(after_long_help = tail(selfsign::EXAMPLES))]
    Selfsign(Deferred<selfsign::Args>),
    /// Print every identifier a verifier may look the key up by (Google key id, x5t, JWK thumbprint...).
    #[command(after_long_help = tail(kid::EXAMPLES))]
    Kid(Deferred<kid::Args>),
    /// Sign the assertion a provider expects, verify it with the certificate, check the claim rules.
    #[command(after_long_help = tail(verify::EXAMPLES))]
    Verify(Deferred<verify::Args>),
    /// Run a runbook step's checks (pass / warn / fail, each with its fix).
    #[command(after_long_help = tail(preflight::EXAMPLES))]
    Preflight(Deferred<preflight::Args>),
    /// Convert between JKS, PKCS#12, PEM and DER, merging inputs (a key and its certificate,
    /// certificates into a truststore).
    #[command(after_long_help = tail(convert::EXAMPLES))]
    Convert(Deferred<convert::Args>),
    /// A new self-signed certificate for the same key (same subject and extensions, new
    /// serial and validity), written as selfsign writes.
    #[command(after_long_help = tail(renew::EXAMPLES))]
    Renew(Deferred<renew::Args>),
    /// List every certificate in files and folders by expiry; exit 1 when one has expired
    /// or expires within the window (a CI gate).
    #[command(after_long_help = tail(expiry::EXAMPLES))]
    Expiry(Deferred<expiry::Args>),
    /// Write the Salesforce side as deployable source: External Credential, Named Credential,
    /// permission set (and the called org's External Client App), plus the manual steps.
    #[command(after_long_help = tail(metadata::EXAMPLES))]
    Metadata(Deferred<metadata::Args>),
    /// Run the JWT-bearer token exchange as an External Credential does, and say why the
    /// provider refused it.
    #[command(after_long_help = tail(exchange::EXAMPLES))]
    Exchange(Deferred<exchange::Args>),
    /// Explain a token-exchange error (Salesforce's exception, an OAuth error body): its cause
    /// and fix. No network.
    #[command(after_long_help = tail(explain::EXAMPLES))]
    Explain(Deferred<explain::Args>),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_long_help = tail(completions::EXAMPLES))]
    Completions(Deferred<completions::Args>),
    /// Print the man page of certkit or of one command, or write them all to a folder.
    #[command(after_long_help = tail(man::EXAMPLES))]
    Man(Deferred<man::Args>),
}

/// A report and, when `--print-token` asked for it, the token (`"token"`): with `--json`
/// the flag puts the value into the one document instead of dropping it.
#[derive(serde::Serialize)]
pub struct WithToken<'a, T: serde::Serialize> {
    #[serde(flatten)]
    report: &'a T,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
}

impl<'a, T: serde::Serialize> WithToken<'a, T> {
    /// `report`, with `token` only when `asked`.
    pub fn new(report: &'a T, token: Option<&'a str>, asked: bool) -> Self {
        WithToken {
            report,
            token: token.filter(|_| asked),
        }
    }
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let json = cli.json;
    match cli.command {
        Command::P12ToJks(Deferred(a)) => p12_to_jks::exec(a, json),
        Command::Inspect(Deferred(a)) => inspect::exec(a, json),
        Command::Selfsign(Deferred(a)) => selfsign::exec(a, json),
        Command::Kid(Deferred(a)) => kid::exec(a, json),
        Command::Verify(Deferred(a)) => verify::exec(a, json),
        Command::Preflight(Deferred(a)) => preflight::exec(a, json),
        Command::Convert(Deferred(a)) => convert::exec(a, json),
        Command::Renew(Deferred(a)) => renew::exec(a, json),
        Command::Expiry(Deferred(a)) => expiry::exec(a, json),
        Command::Metadata(Deferred(a)) => metadata::exec(a, json),
        Command::Exchange(Deferred(a)) => exchange::exec(a, json),
        Command::Explain(Deferred(a)) => explain::exec(a, json),
        // A shell script and a man page are not reports: with --json, one error document
        // rather than a document that is not JSON.
        Command::Completions(_) | Command::Man(_) if json => Err(CliError::Usage(
            "--json: completions and man print a shell script or a man page, not a report; run them without --json"
                .into(),
        )),
        Command::Completions(Deferred(a)) => completions::exec(a),
        Command::Man(Deferred(a)) => man::exec(a),
    }
}
