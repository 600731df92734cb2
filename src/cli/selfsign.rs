//! `certkit selfsign`: an RSA key and a self-signed signing certificate.

use certkit::certgen::CertSpec;
use certkit::ops::selfsign::{self, Options, Report, Written};
use certkit::Result;

use super::args::{FileArgs, ForceArg, OutPasswords, SubjectArgs, RISKY};
use super::render::{self, Text};

pub const EXAMPLES: &str = "\
Examples:
  # Org to org: org2.crt for the Connected App, org2.key for sf org login jwt, org2.jks to import:
  certkit selfsign --cn org2 --jks --generate-password

  # A third party: the key encrypted, a PKCS#12 for Java and Windows tools, two years:
  certkit selfsign --cn partner-api --days 730 --encrypt-key --p12 --out-password-file p12.pw";

/// Arguments of `certkit selfsign`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("cn", |a| a.help(
    "Subject common name (CN), e.g. the org or integration name (required)"
)))]
pub struct Args {
    #[command(flatten)]
    pub subject: SubjectArgs,
    /// RSA key size in bits: 2048, 3072 or 4096 (what Salesforce imports).
    #[arg(long, value_name = "BITS", default_value = "2048", value_parser = ["2048", "3072", "4096"])]
    pub key_size: String,
    /// Validity in days (1 to 3650; more needs --allow-long-validity).
    #[arg(long, value_name = "DAYS", default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..))]
    pub days: u32,
    /// Allow a validity longer than 10 years.
    #[arg(long, help_heading = RISKY)]
    pub allow_long_validity: bool,
    #[command(flatten)]
    pub files: FileArgs,
    #[command(flatten)]
    pub force: ForceArg,
    #[command(flatten)]
    pub out_password: OutPasswords,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let report = selfsign::run(&Options {
        spec: a.subject.subject().over(CertSpec {
            days: a.days,
            ..CertSpec::default()
        }),
        // clap admits only 2048, 3072 and 4096.
        key_size: a.key_size.parse().unwrap_or(2048),
        allow_long_validity: a.allow_long_validity,
        files: a.files.files(&a.out_password, &a.force),
    })?;
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
    t.line(format!(
        "Made an RSA {} key and a self-signed certificate for CN={}",
        r.key_bits, r.common_name
    ));
    if let Some(s) = &r.details {
        t.line(format!("  valid until:  {}", s.not_after));
        t.line(format!("  SHA-1:        {}", s.sha1));
        t.line(format!("  SHA-256:      {}", s.sha256));
    }
    t.line("");
    files(&mut t, &r.written);
    t
}

/// Where each file goes (selfsign and renew write the same files).
pub fn files(t: &mut Text, r: &Written) {
    t.line(format!(
        "  {:<24} the certificate: upload it to the Connected App (\"Use digital signatures\")",
        r.certificate
    ));
    t.line(format!(
        "  {:<24} the private key{}: sf org login jwt --jwt-key-file {}; keep it secret",
        r.key,
        if r.key_encrypted { " (encrypted)" } else { "" },
        r.key
    ));
    if let Some(j) = &r.jks {
        t.line(format!(
            "  {j:<24} Salesforce Setup > Certificate and Key Management > Import from Keystore (alias \"{}\")",
            r.alias
        ));
    }
    if let Some(p) = &r.p12 {
        t.line(format!("  {p:<24} PKCS#12 for Java and Windows tools"));
    }
}
