//! `certkit preflight`: one runbook step as a checklist.

use std::path::PathBuf;

use certkit_core::choice::Choice;
use certkit_core::ops::preflight::{self, Options, Report, Target};
use certkit_core::rules::salesforce::PasswordPolicy;

use super::args::{choice, ClaimArgs, EntryArg, InPasswords, PolicyArg, TimeoutArg, WarnDaysArg};
use super::error::{CliError, Result};
use super::render::{self, Invocation, Text};

pub const EXAMPLES: &str = "\
Examples:
  certkit preflight google_sa.jks --target salesforce-import --password-file jks.pw
  certkit preflight my-project-1234.json --target google --scope https://www.googleapis.com/auth/bigquery
  certkit preflight org2.key --target connected-app --cert org2.crt
  certkit preflight google_sa.jks --password-file jks.pw --target google --scope https://www.googleapis.com/auth/bigquery --live
  certkit preflight google_sa.jks --password-file jks.pw --target google \
    --external-credential force-app/main/default/externalCredentials/Google_BQ.externalCredential-meta.xml
  certkit preflight org2.key --target salesforce-jwt --cert org2.crt \\
    --iss 3MVG9...consumer-key --sub integration.user@example.com --aud https://test.salesforce.com";

/// Arguments of `certkit preflight`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("timeout", |a| a.help("With --live: seconds to wait for the exchange")))]
pub struct Args {
    /// The keystore or key file of the step.
    pub input: PathBuf,
    /// The runbook step to check.
    #[arg(long, value_name = "TARGET", value_parser = choice::<Target>())]
    pub target: Target,
    #[command(flatten)]
    pub entry: EntryArg,
    /// The certificate the other side holds (the Connected App's, or Google's metadata).
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    #[command(flatten)]
    pub warn: WarnDaysArg,
    #[command(flatten)]
    pub policy: PolicyArg,
    #[command(flatten)]
    pub claims: ClaimArgs,
    /// End the google and salesforce-jwt checklists with the real token exchange.
    #[arg(long)]
    pub live: bool,
    /// With --live: the token endpoint [default: as certkit exchange chooses it].
    #[arg(long, value_name = "URL", requires = "live")]
    pub token_url: Option<String>,
    #[command(flatten)]
    pub timeout: TimeoutArg,
    /// A retrieved External Credential (NAME.externalCredential-meta.xml): check it against
    /// this key and the target's rules.
    #[arg(long, value_name = "FILE", help_heading = "Salesforce metadata")]
    pub external_credential: Option<PathBuf>,
    /// With --external-credential: its Named Credential file.
    #[arg(
        long,
        value_name = "FILE",
        requires = "external_credential",
        help_heading = "Salesforce metadata"
    )]
    pub named_credential: Option<PathBuf>,
    /// With --external-credential: the permission set that should grant its principal.
    #[arg(
        long,
        value_name = "FILE",
        requires = "external_credential",
        help_heading = "Salesforce metadata"
    )]
    pub permission_set: Option<PathBuf>,
    /// With --external-credential: the certificate's Unique Name in the org [default: the
    /// keystore alias].
    #[arg(
        long,
        value_name = "NAME",
        requires = "external_credential",
        help_heading = "Salesforce metadata"
    )]
    pub cert_name: Option<String>,
    #[command(flatten)]
    pub passwords: InPasswords,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let input = a.passwords.input(&a.input);
    let invocation = Invocation::of(&input);
    let mut report = preflight::run(
        &crate::host::Local,
        &Options {
            input,
            target: a.target,
            entry: a.entry.entry,
            cert: a.cert,
            warn_days: a.warn.warn_days,
            password_policy: a
                .policy
                .password_policy
                .unwrap_or(PasswordPolicy::Salesforce),
            alg: a.claims.alg,
            claims: a.claims.flags(),
            metadata: a.external_credential.map(|f| preflight::MetadataFiles {
                external_credential: f,
                named_credential: a.named_credential,
                permission_set: a.permission_set,
                cert_name: a.cert_name,
            }),
            live: a.live.then(|| preflight::Live {
                token_url: a.token_url,
                timeout: a.timeout.duration(),
            }),
        },
        &crate::transport::Ureq,
    )?;
    render::remedies(&mut report.checks, &invocation);
    if json {
        render::json(&report)?;
    } else {
        render::stdout(&text(&report).0)?;
    }
    match certkit_core::rules::failures(&report.checks) {
        0 => Ok(()),
        n => Err(CliError::ChecksFailed(n)),
    }
}

fn text(r: &Report) -> Text {
    let mut t = Text::default();
    t.line(format!("Preflight {} for {}", r.target.name(), r.file));
    render::checks(&mut t, &r.checks);
    t.line("");
    t.line("Not checked from here:");
    for c in r.cannot_check {
        t.line(format!("  - {c}"));
    }
    t.line("");
    let failed = certkit_core::rules::failures(&r.checks);
    t.line(if failed == 0 {
        "Ready: nothing failed.".to_string()
    } else {
        format!("{failed} check(s) failed: fix them before this step.")
    });
    t
}
