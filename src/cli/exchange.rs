//! `certkit exchange`: the token exchange an External Credential makes, and why it failed.

use std::path::PathBuf;

use serde_json::Value;

use certkit_core::assertion::Profile;
use certkit_core::ops::exchange::{self, Options, Outcome, Report};

use super::args::{choice_among, ClaimArgs, EntryArg, InPasswords, TimeoutArg, EXCHANGE_PROFILES};
use super::error::{CliError, Result};
use super::render::{self, Invocation, Text};

pub const EXAMPLES: &str = "\
Examples:
  # Prove the Google setup before Salesforce does (the JSON key's token_uri is the default URL):
  certkit exchange google_sa.jks --password-file jks.pw --profile google \\
    --scope https://www.googleapis.com/auth/bigquery

  # What the External Credential sends when a scope is typed in its Scope field:
  certkit exchange google_sa.jks --password-file jks.pw --profile google \\
    --scope-param https://www.googleapis.com/auth/bigquery

  # Org to org: the token URL comes from aud; see the request first:
  certkit exchange org2.key --cert org2.crt --profile salesforce --iss 3MVG9...consumer-key \\
    --sub integration.user@example.com --aud https://test.salesforce.com --dry-run";

/// Arguments of `certkit exchange`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The signing key (any keystore or key file).
    pub input: PathBuf,
    #[command(flatten)]
    pub entry: EntryArg,
    /// Whose token endpoint: its defaults, its rules and its table of answers.
    #[arg(long, value_name = "PROFILE", default_value = "generic", value_parser = choice_among(EXCHANGE_PROFILES))]
    pub profile: Profile,
    #[command(flatten)]
    pub claims: ClaimArgs,
    /// The token endpoint [default: google: the JSON key's token_uri or Google's; salesforce:
    /// AUD/services/oauth2/token; generic: aud].
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
    /// Also send SCOPES as a `scope` form parameter, as the External Credential's Scope field
    /// does (Google refuses it: this reproduces that configuration).
    #[arg(long, value_name = "SCOPES")]
    pub scope_param: Option<String>,
    /// Show the request that would be sent and the offline checks of its assertion, and send
    /// nothing (exit 1 when a check fails, as verify).
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub timeout: TimeoutArg,
    /// The certificate the other side holds, for the offline checks shown with a refusal.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// Google's x509 or JWK metadata document of the account: is this key among its keys?
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,
    /// Write the access token to stdout (the report goes to stderr); with --json, the report
    /// on stdout carries it as "token". A dry run gets no token: verify --print-token writes
    /// the assertion.
    #[arg(long, conflicts_with = "dry_run")]
    pub print_token: bool,
    #[command(flatten)]
    pub passwords: InPasswords,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let input = a.passwords.input(&a.input);
    let invocation = Invocation::of(&input);
    let mut report = exchange::run(
        &crate::host::Local,
        &Options {
            input,
            entry: a.entry.entry,
            profile: a.profile,
            alg: a.claims.alg,
            claims: a.claims.flags(),
            token_url: a.token_url,
            scope_param: a.scope_param,
            dry_run: a.dry_run,
            timeout: a.timeout.duration(),
            cert: a.cert,
            metadata: a.metadata,
        },
        &crate::transport::Ureq,
    )?;
    render::remedies(&mut report.offline, &invocation);
    if json {
        let token = report.access_token.as_ref().map(|t| t.expose());
        render::json(&super::WithToken::new(&report, token, a.print_token))?;
    } else if a.print_token {
        eprint!("{}", text(&report).0);
        if let Some(t) = &report.access_token {
            render::stdout(&format!("{}\n", t.expose()))?;
        }
    } else {
        render::stdout(&text(&report).0)?;
    }
    match report.outcome {
        Outcome::Refused => Err(CliError::ChecksFailed(1)),
        // A dry run ends as `verify` does: exit 1 when an offline check fails (the endpoint
        // would refuse), 0 when every check passes or only warns.
        Outcome::DryRun => match certkit_core::rules::failures(&report.offline) {
            0 => Ok(()),
            n => Err(CliError::ChecksFailed(n)),
        },
        Outcome::Token => Ok(()),
    }
}

fn text(r: &Report) -> Text {
    let mut t = Text::default();
    let q = &r.request;
    t.line(format!("{} {}", q.method, q.url));
    for (k, v) in &q.headers {
        t.line(format!("  {k}: {v}"));
    }
    for f in &q.form {
        t.line(format!("  {}={}", f.name, f.value));
    }
    t.line(format!(
        "  assertion header: {}",
        Value::Object(q.assertion_header.clone())
    ));
    t.line(format!(
        "  assertion claims: {}",
        Value::Object(q.assertion_claims.clone())
    ));
    for n in &r.notes {
        t.line(format!("  note: {n}"));
    }
    t.line("");
    match r.outcome {
        Outcome::DryRun => {
            // The offline checks before anything is sent: what the endpoint would refuse.
            if r.offline.is_empty() {
                t.line("Offline checks of the assertion about to be sent: all pass.");
            } else {
                t.line("Offline checks of the assertion about to be sent that fail or warn:");
                render::checks(&mut t, &r.offline);
            }
            t.line("");
            t.line("Dry run: nothing was sent.");
        }
        Outcome::Token => {
            let g = r.granted.clone().unwrap_or_default();
            t.line(format!(
                "HTTP {}: an access token was granted ({}{}).",
                r.status.unwrap_or(0),
                render::clean(g.token_type.as_deref().unwrap_or("no token_type")),
                g.expires_in
                    .as_ref()
                    .map(|e| format!(", expires in {} s", render::clean(&e.to_string())))
                    .unwrap_or_default()
            ));
            if let Some(s) = &g.scope {
                t.line(format!("  scope:        {}", render::clean(s)));
            }
            if let Some(u) = &g.instance_url {
                t.line(format!("  instance_url: {}", render::clean(u)));
            }
            if let Some(i) = &g.id {
                t.line(format!("  id:           {}", render::clean(i)));
            }
            t.line("The token itself is shown only with --print-token.");
        }
        Outcome::Refused => {
            t.line(format!(
                "HTTP {}: the token endpoint refused.",
                r.status.unwrap_or(0)
            ));
            if let Some(e) = &r.error {
                t.line(format!("  error:             {}", render::clean(&e.error)));
                t.line(format!(
                    "  error_description: {}",
                    render::clean(e.error_description.as_deref().unwrap_or("(none)"))
                ));
            }
            if let Some(b) = &r.body {
                t.line(format!("  body: {}", render::clean(b)));
            }
            t.line("");
            let mut causes = Text::default();
            super::explain::matches(&mut causes, &r.diagnosis);
            for l in causes.0.lines() {
                t.line(l);
            }
            if r.unknown {
                t.line("certkit does not know this answer: it is shown verbatim above.");
            }
        }
    }
    if r.outcome == Outcome::Refused && !r.offline.is_empty() {
        t.line("");
        t.line("Offline checks of this key and assertion that fail or warn:");
        render::checks(&mut t, &r.offline);
    }
    t
}
