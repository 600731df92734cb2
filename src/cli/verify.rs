//! `certkit verify`: sign the assertion a provider expects and check it, or check a token
//! made elsewhere.

use std::path::PathBuf;

use serde_json::Value;

use certkit_core::assertion::Profile;
use certkit_core::ops::verify::{self, Options, Report, TokenSource};
use certkit_core::rules;
use certkit_core::{Error, Result};

use super::args::{choice, ClaimArgs, EntryArg, InPasswords, WarnDaysArg};
use super::render::{self, Invocation, Text};

pub const EXAMPLES: &str = "\
Examples:
  # The assertion Salesforce will send to Google:
  certkit verify google_sa.jks --password-file jks.pw --profile google \\
    --scope https://www.googleapis.com/auth/bigquery

  # Org to org, verified with the certificate uploaded to the Connected App:
  certkit verify org2.key --cert org2.crt --profile salesforce \\
    --iss 3MVG9...consumer-key --sub integration.user@example.com --aud https://test.salesforce.com

  # A token made elsewhere (pasted on standard input, kept out of ps):
  certkit verify --token-file - --cert org2.crt --profile salesforce

  # Was it valid when it was sent? The time rules as of that instant:
  certkit verify --token-file token.jwt --cert org2.crt --profile salesforce --at 2026-12-06T10:00:00Z";

/// Arguments of `certkit verify`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The signing key (any keystore or key file); optional with --token-file and --cert.
    pub input: Option<PathBuf>,
    #[command(flatten)]
    pub entry: EntryArg,
    /// Claim profile: the defaults and rules of the token endpoint.
    #[arg(long, value_name = "PROFILE", default_value = "generic", value_parser = choice::<Profile>())]
    pub profile: Profile,
    #[command(flatten)]
    pub claims: ClaimArgs,
    /// Verify with this certificate (the one the other side holds: the Connected App's, or
    /// Google's x509 metadata document) instead of the input's own.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// Check a token made elsewhere instead of signing one: read from FILE, or from standard
    /// input with "-" (wrapped lines, a "Bearer " prefix and quotes are taken off).
    #[arg(long, value_name = "FILE|-", alias = "token")]
    pub token_file: Option<PathBuf>,
    /// Judge the time rules (the token's window, the certificates' validity) as of this
    /// instant instead of now: RFC 3339 (2026-12-06T10:00:00Z) or seconds since 1970.
    #[arg(long, value_name = "TIME", value_parser = parse_at)]
    pub at: Option<i64>,
    /// Write the signed assertion to stdout (the report goes to stderr); with --json, the
    /// report on stdout carries it as "token".
    #[arg(long)]
    pub print_token: bool,
    #[command(flatten)]
    pub warn: WarnDaysArg,
    #[command(flatten)]
    pub passwords: InPasswords,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let token = match &a.token_file {
        None => None,
        Some(p) if p.as_os_str() == "-" => Some(TokenSource::Stdin),
        // Not a file: most likely the token itself, pasted. It is not repeated: a token is a
        // live credential, already in ps and the shell history.
        Some(p) if !p.exists() => {
            return Err(Error::Usage(
                "--token-file names no file (a token itself is never an argument: it would show in ps and the shell history); \
                 give it with --token-file FILE, or --token-file - to read standard input"
                    .into(),
            ))
        }
        Some(p) => Some(TokenSource::File(p.clone())),
    };
    if token.is_some() && a.claims.given() {
        return Err(Error::Usage(
            "the claim options build the assertion certkit signs; a token from --token-file is checked as it is"
                .into(),
        ));
    }
    let mut report = verify::run(
        &crate::host::Local,
        &Options {
            input: a.input.as_ref().map(|p| a.passwords.input(p)),
            entry: a.entry.entry,
            profile: a.profile,
            alg: a.claims.alg,
            claims: a.claims.flags(),
            cert: a.cert,
            token,
            warn_days: a.warn.warn_days,
            now: a.at,
        },
    )?;
    let claims_can_be_given = a.token_file.is_none();
    render::remedies(
        &mut report.checks,
        &Invocation {
            claims: claims_can_be_given,
            ..Invocation::default()
        },
    );
    if json {
        // The signed token itself is a credential: only --print-token shows it.
        let token = Some(report.token.expose());
        render::json(&super::WithToken::new(&report, token, a.print_token))?;
    } else if a.print_token {
        eprint!("{}", text(&report).0);
        render::stdout(&format!("{}\n", report.token.expose()))?;
    } else {
        render::stdout(&text(&report).0)?;
    }
    match rules::failures(&report.checks) {
        0 => Ok(()),
        n => Err(Error::ChecksFailed(n)),
    }
}

/// `--at`: RFC 3339, or seconds since 1970.
fn parse_at(s: &str) -> std::result::Result<i64, String> {
    use time::format_description::well_known::Rfc3339;
    let t = s.trim();
    if let Ok(n) = t.parse::<i64>() {
        return if (0..=253_402_300_799).contains(&n) {
            Ok(n)
        } else {
            Err(format!(
                "{n} is out of range (seconds since 1970, before the year 10000)"
            ))
        };
    }
    time::OffsetDateTime::parse(t, &Rfc3339)
        .map(|d| d.unix_timestamp())
        .map_err(|_| {
            "not a time: give RFC 3339 (2026-12-06T10:00:00Z) or seconds since 1970".to_string()
        })
}

fn text(r: &Report) -> Text {
    let mut t = Text::default();
    t.line(format!("Header: {}", Value::Object(r.header.clone())));
    t.line(format!(
        "Claims: {}",
        serde_json::to_string_pretty(&Value::Object(r.claims.clone())).unwrap_or_default()
    ));
    t.line("");
    if let Some(at) = r.at {
        t.line(format!(
            "Time rules judged as of {}.",
            certkit_core::clock::rfc3339(at)
        ));
        t.line("");
    }
    render::checks(&mut t, &r.checks);
    t.line("");
    let warnings = r
        .checks
        .iter()
        .filter(|c| c.status == rules::Status::Warn)
        .count();
    // Only an enforced rule fails (rules::Check::fail): a FAIL is a refusal the endpoint is
    // known to give.
    t.line(match (r.ok, warnings) {
        (false, _) => {
            "The token endpoint will refuse this assertion: fix each FAIL above.".to_string()
        }
        (true, 0) => "The assertion is signed and verified, and every rule holds.".to_string(),
        (true, n) => format!(
            "No rule the token endpoint enforces is broken; {n} warning{} above.",
            if n == 1 { "" } else { "s" }
        ),
    });
    t
}
