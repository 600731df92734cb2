//! `certkit metadata`: the Salesforce side of the setup as deployable source.

use std::path::PathBuf;

use certkit_core::assertion::Profile;
use certkit_core::ops::metadata::{self, Options, Report};
use certkit_core::Result;

use super::args::{choice_among, ClaimArgs, EntryArg, ForceArg, InPasswords, EXCHANGE_PROFILES};
use super::render::{self, Text};

pub const EXAMPLES: &str = "\
Examples:
  # Google: the External Credential, Named Credential and permission set for a key, then deploy:
  certkit metadata google_sa.jks --password-file jks.pw --profile google \\
    --scope https://www.googleapis.com/auth/bigquery --name Google_BQ -o sfdx
  cd sfdx && sf project deploy start --source-dir force-app

  # Org to org, with the called org's External Client App (certificate included):
  certkit metadata org2.jks --password-env JKS_PW --profile salesforce --consumer-key 3MVG9... \\
    --sub integration.user@example.com --aud https://test.salesforce.com \\
    --url https://acme--uat.sandbox.my.salesforce.com --client-app -o sfdx";

/// Arguments of `certkit metadata`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The signing key: its alias, account and key id fill the values.
    pub input: PathBuf,
    /// The certificate of a key that has none: for a PEM key, its certificate file; for a
    /// Google JSON key, Google's x509 metadata.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    #[command(flatten)]
    pub entry: EntryArg,
    /// Whose token endpoint.
    #[arg(long, value_name = "PROFILE", value_parser = choice_among(EXCHANGE_PROFILES))]
    pub profile: Profile,
    #[command(flatten)]
    pub claims: ClaimArgs,
    /// The folder of the Salesforce DX project to write (force-app/main/default/...).
    #[arg(short = 'o', long = "out-dir", value_name = "DIR")]
    pub out_dir: PathBuf,
    /// The External Credential's Unique Name (the Named Credential's too; the permission set
    /// is NAME_Access) [default: from the account or the certificate's CN].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The certificate's Unique Name in the org [default: the keystore alias].
    #[arg(long, value_name = "NAME")]
    pub cert_name: Option<String>,
    /// The named principal.
    #[arg(long, value_name = "NAME", default_value = "Default")]
    pub principal: String,
    /// The URL of the API the Named Credential calls [default for google: https://www.googleapis.com].
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The token endpoint [default: the profile's].
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
    /// Org to org: also write the called org's External Client App (in DIR/client-app).
    #[arg(long)]
    pub client_app: bool,
    #[command(flatten)]
    pub force: ForceArg,
    #[command(flatten)]
    pub passwords: InPasswords,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let report = metadata::run(
        &crate::host::Local,
        &Options {
            input: a.passwords.input(&a.input),
            entry: a.entry.entry,
            profile: a.profile,
            alg: a.claims.alg,
            claims: a.claims.flags(),
            name: a.name,
            cert_name: a.cert_name,
            cert: a.cert,
            principal: a.principal,
            url: a.url,
            token_url: a.token_url,
            client_app: a.client_app,
            out_dir: a.out_dir,
            force: a.force.force,
        },
    )?;
    if json {
        return render::json(&report);
    }
    render::stdout(&text(&report).0)
}

fn text(r: &Report) -> Text {
    let mut t = Text::default();
    t.line(format!(
        "Wrote the External Credential {} (signing certificate \"{}\"):",
        r.name, r.certificate
    ));
    for f in &r.files {
        t.line(format!("  {f}"));
    }
    t.line("");
    t.line("Then, in order:");
    for (i, s) in r.steps.iter().enumerate() {
        t.line(format!("  {}. {s}", i + 1));
    }
    t.line("");
    t.line(format!("Not verified here: {}.", r.not_verified));
    t
}
