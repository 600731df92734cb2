//! `certkit p12-to-jks`: any key to the JKS Salesforce's Import from Keystore accepts.

use std::path::PathBuf;

use certkit_core::choice::Choice;
use certkit_core::ops::p12_to_jks::{self, Options, Report};
use certkit_core::rules::salesforce::PasswordPolicy;
use certkit_core::Result;

use super::args::{
    EntryArg, ForceArg, InPasswords, OutPasswords, ValidityArgs, WarnDaysArg, RISKY,
};
use super::render::{self, Text};

pub const EXAMPLES: &str = "\
Examples:
  # A Google P12 key (password notasecret, found automatically), with your own 6-8 character password:
  certkit p12-to-jks my-project-1234.p12 -o google_sa.jks --alias google_sa --out-password-file jks.pw

  # A Google JSON key: wrapped in a self-signed certificate (or Google's own, with --cert):
  certkit p12-to-jks my-project-1234.json -o google_sa.jks --generate-password

  # A PEM key and its certificate in separate files:
  certkit p12-to-jks server.key --cert server.crt -o server.jks --generate-password

  # Repair keytool's Google recipe (key left under notasecret), in place:
  certkit p12-to-jks old.jks -o old.jks --password-file jks.pw --force";

/// Arguments of `certkit p12-to-jks`.
#[derive(clap::Args, Debug)]
// The shared --entry without its --alias alias: here --alias names the entry written.
#[command(mut_arg("entry", |a| a.alias(None).help(
    "Which private-key entry of the input to convert, when it has several"
)))]
#[command(mut_arg("days", |a| a.default_value("3650").required(false).help(
    "For a JSON key without --cert: validity in days of the certificate made for it"
)))]
#[command(mut_arg("allow_long_validity", |a| a.help(
    "Allow a certificate made for a JSON key to be valid longer than 10 years"
)))]
pub struct Args {
    /// The input: a Google P12 or JSON key, or any PKCS#12, JKS or PEM file.
    pub input: PathBuf,
    /// Output JKS file [default: the input's name with .jks, in the current folder].
    #[arg(short, long, value_name = "OUT.jks")]
    pub output: Option<PathBuf>,
    /// Alias of the key in the JKS (the certificate's Unique Name in Salesforce)
    /// [default: the entry's name, else derived from the certificate CN].
    #[arg(long, value_name = "NAME")]
    pub alias: Option<String>,
    #[command(flatten)]
    pub entry: EntryArg,
    /// The certificate of a key that has none: for a PEM key, its certificate file; for a
    /// Google JSON key, Google's x509 metadata (else a self-signed one is made).
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    #[command(flatten)]
    pub validity: ValidityArgs,
    #[command(flatten)]
    pub warn: WarnDaysArg,
    /// Write even when a Salesforce rule is broken or the certificate has expired (each broken
    /// rule is warned about).
    #[arg(long, alias = "no-salesforce-rules", help_heading = RISKY)]
    pub allow_rule_violations: bool,
    #[command(flatten)]
    pub force: ForceArg,
    #[command(flatten)]
    pub passwords: InPasswords,
    #[command(flatten)]
    pub out_password: OutPasswords,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let report = p12_to_jks::run(
        &crate::host::Local,
        &Options {
            input: a.passwords.input(&a.input),
            output: a.output,
            entry: a.entry.entry,
            alias: a.alias,
            out_password: a.out_password.spec(PasswordPolicy::Salesforce),
            cert: a.cert,
            days: a.validity.days,
            allow_long_validity: a.validity.allow_long_validity,
            allow_rule_violations: a.allow_rule_violations,
            warn_days: a.warn.warn_days,
            force: a.force.force,
        },
    )?;
    if json {
        return render::json(&report);
    }
    for w in &report.warnings {
        eprintln!("certkit: warning: {w}");
    }
    for n in &report.notes {
        eprintln!("certkit: note: {n}");
    }
    if let Some(pw) = &report.generated_password {
        eprintln!(
            "Generated keystore password (shown once): {}",
            pw.0.expose()
        );
    }
    render::stdout(&text(&report).0)
}

fn text(r: &Report) -> Text {
    let mut t = Text::default();
    t.line(format!("Wrote {} (JKS, one PrivateKeyEntry)", r.output));
    t.line(format!("  alias:        {}", r.alias));
    if let Some(k) = &r.key {
        t.line(format!("  key:          {} {}", k.algorithm, k.bits));
    }
    if let Some(c) = &r.certificate {
        t.line(format!("  certificate:  {}", c.subject));
        t.line(format!("  valid until:  {}", c.not_after));
        t.line(format!("  SHA-1:        {}", c.sha1));
        t.line(format!("  SHA-256:      {}", c.sha256));
    }
    if let Some(g) = &r.google {
        t.line(format!(
            "  Google key id: {} (the External Credential's kid claim)",
            g.key_id
        ));
    }
    t.line(format!(
        "  password:     {} policy; the key password is the keystore password",
        r.password_policy.name()
    ));
    t.line("");
    if !r.warnings.is_empty() {
        t.line(format!(
            "Warning: {} (see above); Salesforce may refuse this file or the exchange may fail.",
            r.warnings.join("; ")
        ));
    }
    t.line("Next: in Salesforce Setup > Certificate and Key Management > Import from Keystore,");
    t.line(format!(
        "  choose {} and enter the keystore password.",
        r.output
    ));
    t.line("  Import fails with \"Data Not Available\" until an Identity Provider is enabled");
    t.line("  (Setup > Identity Provider > Enable, with any self-signed certificate); certkit cannot check that.");
    t.line(format!(
        "  The certificate's Unique Name will be \"{}\": pick it as the External Credential's signing certificate.",
        r.alias
    ));
    t
}
