//! `certkit renew`: a new certificate for the same key.

use std::path::PathBuf;

use certkit_core::ops::renew::{self, Options, Report};
use certkit_core::Result;

use super::args::{
    EntryArg, FileArgs, ForceArg, InPasswords, OutPasswords, SubjectArgs, ValidityArgs,
};
use super::render::{self, Text};

pub const EXAMPLES: &str = "\
Examples:
  # Rotate the Connected App certificate before it expires; the key stays, the new JKS's
  # alias (the certificate's Unique Name on import) is the old one with today's date:
  certkit renew org2.jks --password-env JKS_PW --days 365 --jks --out-password-env JKS_PW --out-dir new

  # From a PEM key and certificate, with a new CN:
  certkit renew org2.key --cert org2.crt --days 730 --cn org2-2027 --out-dir renewed";

/// Arguments of `certkit renew`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("cn", |a| a.help(
    "Subject common name (CN) [default: the current certificate's]"
)))]
#[command(mut_arg("days", |a| a.help(
    "Validity of the new certificate in days (1 to 3650; more needs --allow-long-validity)"
)))]
pub struct Args {
    /// The key and its current certificate: a keystore, or a PEM key (with --cert when the
    /// certificate is in another file).
    pub input: PathBuf,
    /// The current certificate, when it is not in the input.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    #[command(flatten)]
    pub entry: EntryArg,
    #[command(flatten)]
    pub validity: ValidityArgs,
    #[command(flatten)]
    pub subject: SubjectArgs,
    #[command(flatten)]
    pub files: FileArgs,
    #[command(flatten)]
    pub force: ForceArg,
    #[command(flatten)]
    pub passwords: InPasswords,
    #[command(flatten)]
    pub out_password: OutPasswords,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let report = renew::run(
        &crate::host::Local,
        &Options {
            input: a.passwords.input(&a.input),
            cert: a.cert,
            entry: a.entry.entry,
            days: a.validity.days,
            allow_long_validity: a.validity.allow_long_validity,
            subject: a.subject.subject(),
            files: a.files.files(&a.out_password, &a.force),
        },
    )?;
    if json {
        return render::json(&report);
    }
    render::stdout(&text(&report).0)?;
    if let Some(pw) = &report.written.generated_password {
        eprintln!("Generated password (shown once): {}", pw.0.expose());
    }
    Ok(())
}

fn text(r: &Report) -> Text {
    let mut t = Text::default();
    t.line("Renewed the certificate; the key is the same.");
    if let (Some(o), Some(n)) = (&r.old, &r.new) {
        t.line(format!("  subject:      {}", n.subject));
        t.line(format!(
            "  old:          serial {}, valid until {}",
            o.serial, o.not_after
        ));
        t.line(format!(
            "  new:          serial {}, valid until {}",
            n.serial, n.not_after
        ));
        t.line(format!("  new SHA-256:  {}", n.sha256));
    }
    // The one kid rule (README "The kid"): Google's kid is the certificate's SHA-1 and
    // changes; every other profile's is the key's thumbprint and stays.
    if let Some(th) = &r.key_ids.jwk_thumbprint {
        t.line(format!(
            "  kid (salesforce, generic): {th} (unchanged: the JWK thumbprint of the same key)"
        ));
    }
    t.line(format!(
        "  kid (google):  {} -> {} (a Google key id is the certificate's SHA-1: it changes)",
        r.key_ids.google_key_id_old, r.key_ids.google_key_id_new
    ));
    t.line("");
    render::files(&mut t, &r.written);
    t.line("");
    t.line("The other side must receive the new certificate before the old one expires:");
    for u in r.upload_to {
        t.line(format!("  - {u}"));
    }
    if let Some(jks) = &r.written.jks {
        let new = &r.written.alias;
        t.line("");
        t.line(format!(
            "In the calling org: import {jks} (Import from Keystore); its certificate's Unique Name is \"{new}\"{}. Then set the External Credential's signing certificate to \"{new}\" (and its kid claim, if it names the certificate), prove it with certkit exchange, and only then delete the old certificate.",
            match &r.old_name {
                Some(old) if old != new => format!(", beside \"{old}\", which the credential still uses"),
                _ => String::new(),
            }
        ));
    }
    t
}
