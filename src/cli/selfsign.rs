//! `certkit selfsign`: an RSA key and a self-signed signing certificate.

use certkit_core::certgen::CertSpec;
use certkit_core::ops::selfsign::{self, Options, Report};
use certkit_core::Result;

use super::args::{FileArgs, ForceArg, OutPasswords, SubjectArgs, ValidityArgs};
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
#[command(mut_arg("days", |a| a.default_value("365").required(false)))]
pub struct Args {
    #[command(flatten)]
    pub subject: SubjectArgs,
    /// RSA key size in bits: 2048, 3072 or 4096 (what Salesforce imports).
    #[arg(long, value_name = "BITS", default_value = "2048", value_parser = key_bits())]
    pub key_size: u32,
    #[command(flatten)]
    pub validity: ValidityArgs,
    #[command(flatten)]
    pub files: FileArgs,
    #[command(flatten)]
    pub force: ForceArg,
    #[command(flatten)]
    pub out_password: OutPasswords,
}

/// The key sizes `--key-size` offers, as numbers. clap checks the value against the list
/// first; a value of the list that is not a number would be an error, not a default.
fn key_bits() -> impl clap::builder::TypedValueParser<Value = u32> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["2048", "3072", "4096"]).try_map(|s| s.parse::<u32>())
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let report = selfsign::run(
        &crate::host::Local,
        &Options {
            spec: a.subject.subject().over(CertSpec {
                days: a.validity.days,
                ..CertSpec::default()
            }),
            key_size: a.key_size,
            allow_long_validity: a.validity.allow_long_validity,
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
    render::files(&mut t, &r.written);
    t
}
