//! `certkit convert`: every keystore format to every other.

use std::path::PathBuf;

use certkit_core::choice::Choice;
use certkit_core::ops::convert::{self, DerFiles, Destination, Options, PemFiles, Report, Target};
use certkit_core::rules::salesforce::PasswordPolicy;

use super::args::{choice_described, EntryArg, ForceArg, InPasswords, OutPasswords};
use super::error::{CliError, Result};
use super::render::{self, Text};

pub const EXAMPLES: &str = "\
Examples:
  # Salesforce's Export to Keystore (JKS) -> the key and certificate sf org login jwt needs:
  certkit convert exported.jks --password-file jks.pw --key-out server.key --cert-out server.crt

  # The same key and chain as a PKCS#12 for MuleSoft or Windows (--legacy for old Java):
  certkit convert exported.jks --password-file jks.pw -o server.p12 --generate-password

  # A PEM key and its certificate (separate files) into one JKS:
  certkit convert server.key server.crt -o server.jks --out-password-file jks.pw

  # Several certificates into one truststore:
  certkit convert ca1.crt ca2.crt -o trust.p12 --out-password-file p12.pw";

/// Arguments of `certkit convert`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("password_policy", |a| a.help(
    "Keystore password policy (java accepts passwords Salesforce may refuse) [default: java]"
)))]
// The shared --entry without its --alias alias: here --alias names the entry written.
#[command(mut_arg("entry", |a| a.alias(None).help("Keep only this entry, by alias")))]
pub struct Args {
    /// The inputs (any format certkit reads); several are merged, and a key is paired with
    /// the certificate that has its public key.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The output [its extension names the format: .jks, .p12/.pfx, .pem/.crt/.key, .der/.cer].
    #[arg(short, long, value_name = "OUTPUT")]
    pub output: Option<PathBuf>,
    /// The output format, whatever the extension.
    #[arg(long, value_name = "FORMAT", value_parser = choice_described(target_help))]
    pub to: Option<Target>,
    #[command(flatten)]
    pub entry: EntryArg,
    /// The alias of the one entry written.
    #[arg(long, value_name = "NAME")]
    pub alias: Option<String>,
    /// PKCS#12 with 3DES and HMAC-SHA1, for old Java, Windows and macOS.
    #[arg(long)]
    pub legacy: bool,
    /// PEM/DER: write the private key to FILE (0600; unencrypted unless --encrypt-key).
    #[arg(long, value_name = "FILE")]
    pub key_out: Option<PathBuf>,
    /// PEM: write the certificates to FILE.
    #[arg(long, value_name = "FILE")]
    pub cert_out: Option<PathBuf>,
    /// PEM/DER: encrypt the private key (PKCS#8, PBES2 / AES-256) with the output password.
    #[arg(long)]
    pub encrypt_key: bool,
    #[command(flatten)]
    pub force: ForceArg,
    #[command(flatten)]
    pub passwords: InPasswords,
    #[command(flatten)]
    pub out_password: OutPasswords,
}

/// What each `--to` value means, with the flags of this command that go with it.
fn target_help(t: Target) -> &'static str {
    match t {
        Target::Pkcs12 => "PKCS#12 (.p12, .pfx): PBES2/AES-256 and HMAC-SHA256, or --legacy",
        Target::Der => "DER (.der, .cer): exactly one certificate (and one key with --key-out)",
        other => other.help(),
    }
}

/// Nowhere to write: PEM and DER.
const NAME_THE_OUTPUT: &str = "name the output with -o FILE (for PEM and DER, or the key and certificates with --key-out FILE / --cert-out FILE)";

/// Nowhere to write: JKS and PKCS#12.
const NAME_THE_OUTPUT_FILE: &str = "name the output file with -o FILE";

fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

/// The format: `--to`, else `-o`'s extension, else PEM when only `--key-out` or
/// `--cert-out` is named.
fn target(a: &Args) -> Result<Target> {
    Ok(match (a.to, &a.output) {
        (Some(t), _) => t,
        (None, Some(p)) => convert::target_of(p).ok_or_else(|| {
            usage(format!(
                "the extension of {} names no format (.jks, .p12, .pfx, .pem, .crt, .key, .der, .cer)\n  say which with --to jks|pkcs12|pem|der",
                p.display()
            ))
        })?,
        (None, None) if a.key_out.is_some() || a.cert_out.is_some() => Target::Pem,
        (None, None) => return Err(usage(NAME_THE_OUTPUT)),
    })
}

/// Where to write, from `--to`, `-o`, `--key-out`, `--cert-out`, `--legacy` and
/// `--encrypt-key`; flags that contradict are refused here, before any input is read or
/// file written (an empty path once reached the writer: "certkit: : no such file or
/// folder"). `--legacy` outside PKCS#12 and `--encrypt-key` where no key is written as PEM
/// or DER change nothing, as before.
fn destination(a: &Args) -> Result<Destination> {
    let target = target(a)?;
    let (output, key_out, cert_out) = (a.output.clone(), a.key_out.clone(), a.cert_out.clone());
    let keystore = || match (output.clone(), &key_out, &cert_out) {
        (None, _, _) => Err(usage(NAME_THE_OUTPUT_FILE)),
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(usage(
            "separate key and certificate files are for PEM and DER",
        )),
        (Some(path), None, None) => Ok(path),
    };
    Ok(match target {
        Target::Jks => Destination::Jks(keystore()?),
        Target::Pkcs12 => Destination::Pkcs12 {
            path: keystore()?,
            legacy: a.legacy,
        },
        Target::Pem => Destination::Pem(pem_files(output, key_out, cert_out, a.encrypt_key)?),
        Target::Der => Destination::Der(der_files(output, key_out, cert_out, a.encrypt_key)?),
    })
}

/// PEM: `-o` is the file of whichever of the key and the certificates is not named on its
/// own (with both named, `-o` is not written); the certificates need one.
fn pem_files(
    output: Option<PathBuf>,
    key_out: Option<PathBuf>,
    cert_out: Option<PathBuf>,
    encrypt_key: bool,
) -> Result<PemFiles> {
    Ok(match (output, key_out, cert_out) {
        (None, None, None) => return Err(usage(NAME_THE_OUTPUT)),
        (Some(path), None, None) => PemFiles::One { path, encrypt_key },
        (_, Some(key), Some(certs))
        | (Some(certs), Some(key), None)
        | (Some(key), None, Some(certs)) => PemFiles::Split {
            key,
            certs,
            encrypt_key,
        },
        (None, None, Some(certs)) => PemFiles::Certs(certs),
        (None, Some(_), None) => {
            return Err(usage(
                "name the file for the certificates with -o FILE or --cert-out FILE",
            ))
        }
    })
}

/// Whether two paths name one file, however they are spelled (`./a.pem`, `a.pem`).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let abs = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    abs(a) == abs(b)
}

/// DER: the certificate to `-o`, the key to `--key-out`, at least one. `--cert-out` is for
/// PEM: DER ignores it, as it always has, but not when it names the key's file.
fn der_files(
    output: Option<PathBuf>,
    key_out: Option<PathBuf>,
    cert_out: Option<PathBuf>,
    encrypt_key: bool,
) -> Result<DerFiles> {
    Ok(match (output, key_out) {
        (None, None) => return Err(usage(NAME_THE_OUTPUT)),
        (_, Some(key)) if cert_out.as_deref().is_some_and(|c| same_file(c, &key)) => {
            return Err(usage(
                "the key and the certificates need two different files",
            ))
        }
        (Some(cert), None) => DerFiles::Cert(cert),
        (None, Some(path)) => DerFiles::Key { path, encrypt_key },
        (Some(cert), Some(key)) => DerFiles::Both {
            cert,
            key,
            encrypt_key,
        },
    })
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let options = Options {
        destination: destination(&a)?,
        inputs: a.inputs.iter().map(|p| a.passwords.input(p)).collect(),
        entry: a.entry.entry,
        alias: a.alias,
        out_password: a.out_password.spec(PasswordPolicy::Java),
        force: a.force.force,
    };
    let report = convert::run(&crate::host::Local, &options)?;
    if json {
        let mut report = report;
        report.notes = report.notes.iter().map(render::words).collect();
        return render::json(&report);
    }
    render::stdout(&text(&report).0)?;
    if let Some(pw) = &report.generated_password {
        eprintln!("Generated password (shown once): {}", pw.0.expose());
    }
    Ok(())
}

fn text(r: &Report) -> Text {
    let mut t = Text::default();
    t.line(format!(
        "Wrote {} ({})",
        r.outputs.join(", "),
        r.format.name().to_uppercase()
    ));
    for e in &r.entries {
        t.line(format!(
            "  {:<24} {} ({} certificate{})",
            e.alias,
            e.kind,
            e.certificates,
            if e.certificates == 1 { "" } else { "s" }
        ));
    }
    if let Some(p) = r.protection {
        t.line(format!("  protection: {p}"));
    }
    if let Some(p) = r.password {
        t.line(format!("  password:   {p}"));
    }
    for n in &r.notes {
        t.line(format!("  note: {}", render::message(n)));
    }
    if r.key_unencrypted {
        t.line("  The private key is written unencrypted (mode 0600): keep the file secret, or use --encrypt-key.");
    }
    t
}
